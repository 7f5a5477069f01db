// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/core/child.c: the runtime every subsystem child shares (loop, reload, stop, heartbeat). */
#include "child.h"

#include <errno.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "ctl.h"
#include "dumpfile.h"
#include "global_defs.h"
#include "log.h"
#include "resume.h"
#include "sched_prio.h"
#include "signals.h"
#include "utils.h"

struct ka_child {
	enum ka_mod id;
	const struct ka_module *mod;
	const struct ka_opts *opts;
	struct sched *sched;
	struct ka_config *cfg;
	void *state;
	int hb_fd;
	uint64_t hb_last_us;		/* CLOCK_MONOTONIC of the last beat written; 0: none yet */
	bool stopping;
	struct sched_ev *ev_hb, *ev_term, *ev_int, *ev_hup, *ev_usr1, *ev_usr2;
	struct sched_ev *ev_stats_clear, *ev_json;
	struct sched_ev *ev_xcpu;	/* sched_prio.c's, once RLIMIT_RTTIME is set */
	bool json_logged;
	struct ctl_responder *ctl;	/* the live status plane's requests (core/ctl.h) */
	void *resume;			/* the predecessor's last state report (core/resume.h) */
	size_t resume_len;
};

struct sched *ka_child_sched(const struct ka_child *ch) { return ch->sched; }
void *ka_child_conf(const struct ka_child *ch) { return ch->cfg->mod[ch->id]; }
const struct global_defs *ka_child_gd(const struct ka_child *ch) { return ch->cfg->gd; }
const struct ka_opts *ka_child_opts(const struct ka_child *ch) { return ch->opts; }
void *ka_child_state(const struct ka_child *ch) { return ch->state; }
void ka_child_set_state(struct ka_child *ch, void *state) { ch->state = state; }

const void *ka_child_resume_state(const struct ka_child *ch, size_t *len)
{
	*len = ch->resume_len;
	return ch->resume;
}

int ka_child_report_state(struct ka_child *ch, const void *p, size_t len)
{
	return ch->hb_fd >= 0 ? ka_resume_send(ch->hb_fd, p, len) : -EBADF;
}

void ka_child_stopped(struct ka_child *ch)
{
	sched_stop(ch->sched);
}

static uint64_t mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

static void beat(struct ka_child *ch, uint64_t now)
{
	char b = 'h';

	ch->hb_last_us = now;
	/* Non-blocking: if the parent is not reading, a full buffer is its problem, not ours. */
	if (write(ch->hb_fd, &b, 1) < 0 && errno != EAGAIN)
		log_debug("heartbeat write failed: %s", strerror(errno));
}

void ka_child_heartbeat_poll(struct ka_child *ch)
{
	uint64_t now;

	if (!ch || ch->hb_fd < 0)
		return;
	now = mono_us();
	if (!ch->hb_last_us || now - ch->hb_last_us >= KA_HEARTBEAT_MIN_US)
		beat(ch, now);
}

static void heartbeat_cb(struct sched_ev *ev, void *arg)
{
	struct ka_child *ch = arg;

	beat(ch, mono_us());
	sched_timer_early(ch->sched, &ch->ev_hb, KA_HEARTBEAT_MAX_US,
			  KA_HEARTBEAT_MAX_US - KA_HEARTBEAT_MIN_US, heartbeat_cb, ch);
}

static void stop_cb(struct sched_ev *ev, void *arg)
{
	struct ka_child *ch = arg;

	if (ch->stopping)
		return;
	ch->stopping = true;
	ch->mod->stop(ch);
}

/*
 * After a start or a reload: the parse's transient objects, the old config and the
 * reload's working arrays are free chunks between the objects that live on, pages that
 * stay resident (glibc gives back only the top of the heap, and only after a large free).
 * malloc_trim() gives back every whole free page. Measured, VRRP child, 1,000 instances
 * and 200 reloads: RssAnon 2,560-2,732 kB without, 1,932-2,012 kB with (the trim: 41 us
 * median, 99 us at most).
 */
static void release_free_memory(void)
{
	malloc_trim(0);
}

/* Tells the parent that our configuration is read and set up (core/ctl.h, KA_CTL_LOADED). */
static void say_loaded(struct ka_child *ch)
{
	struct ka_ctl_hdr hd = { .type = KA_CTL_LOADED };

	if (send(ch->hb_fd, &hd, sizeof(hd), MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
		log_debug("Cannot tell the parent the configuration is loaded: %s", strerror(errno));
}

/* The parent has logged every diagnostic of this file already. */
static void quiet_diag(void *arg, const struct cfg_diag *d)
{
}

/*
 * The parent checked the new config before signalling us; we read it again with
 * only our keywords, quietly. Should it fail here anyway (the file changed in
 * between), the running config is kept, as in the parent.
 */
static void reload_cb(struct sched_ev *ev, void *arg)
{
	struct ka_child *ch = arg;
	struct ka_config_opts lo = {
		.path = ch->opts->conf_file,
		.config_id = ch->opts->config_id,
		.includes_required = ch->opts->all_config,
		.skip_unknown_top = true,
		.diag = quiet_diag,
	};
	struct ka_config *nc, *old;
	int r;

	if (ch->stopping)
		return;
	log_info("Reloading");
	/* as keepalived 2.2.7: ordinary scheduling while reloading, the new settings after */
	sched_prio_reset();
	lo.load[ch->id] = true;
	r = ka_config_load(&lo, &nc);
	if (r < 0) {
		log_err("Reload aborted: %u error(s) in the configuration; keeping the running configuration",
			nc->n_errors);
		ka_config_free(nc);
		sched_prio_apply(ch->cfg->gd, ch->id == KA_MOD_CHECK, ch->sched, &ch->ev_xcpu);
		say_loaded(ch);		/* the parent waits on every child it signalled */
		return;
	}
	old = ch->cfg;
	ch->cfg = nc;
	daemon_set_umask(ch->opts, nc->gd, true);
	if (ch->mod->reload(ch, old->mod[ch->id]) < 0)
		log_err("%s reload failed", ch->mod->name);
	ka_config_free(old);
	release_free_memory();
	sched_prio_apply(ch->cfg->gd, ch->id == KA_MOD_CHECK, ch->sched, &ch->ev_xcpu);
	say_loaded(ch);	/* the parent says "Reload complete" once all children have */
}

/*
 * SIGUSR1: data; SIGUSR2: stats; STATS_CLEAR: stats, then the counters zeroed (2.2.7).
 * Each file is keepalived 2.2.7's (the data dump: global definitions, then the module's
 * runtime); the stats dump ends with our scheduler counters, after the module's part.
 */
static void dump_cb(struct sched_ev *ev, void *arg)
{
	struct ka_child *ch = arg;
	int signo = (int)sched_ev_siginfo(ev)->ssi_signo;
	bool clear = signo == KA_SIGSTATS_CLEAR, stats = signo == SIGUSR2 || clear;
	struct safe_file sf;
	char *path;
	FILE *f;

	/* keepalived 2.2.7's checker child ignores STATS_CLEAR: it has no counters to clear */
	if (clear && !ch->mod->stats_clear)
		return;
	path = dumpfile_path(ch->cfg->gd, ch->opts->namespace,
			     stats ? DUMPFILE_STATS : DUMPFILE_DATA, ch->mod->dump_suffix);
	f = dumpfile_open(&sf, path);
	free(path);
	if (!f)
		return;
	if (stats) {
		struct sched_stats st;

		log_info("Printing %s%s stats for process(%d) on signal", clear ? "and clearing " : "",
			 ch->mod->name, (int)getpid());
		if (ch->mod->dump_state && ch->state)
			ch->mod->dump_state(ch->state, f, true);
		sched_get_stats(ch->sched, &st);
		fprintf(f, "%s child process(%d) statistics\n", ch->mod->name, (int)getpid());
		fprintf(f, " scheduler: %llu iterations, %llu callbacks, %llu slow\n",
			(unsigned long long)st.n_iterations, (unsigned long long)st.n_dispatched,
			(unsigned long long)st.n_slow);
		fprintf(f, " armed: %u timers, %u fds, %u children, %u signals\n",
			st.n_timers, st.n_fds, st.n_children, st.n_signals);
	} else {
		/* 2.2.7: "Printing VRRP data ..." and "Printing checker data ..." */
		log_info("Printing %s data for process(%d) on signal",
			 ch->id == KA_MOD_CHECK ? "checker" : ch->mod->name, (int)getpid());
		dumpfile_global_defs(ch->cfg->gd, f, ch->id == KA_MOD_VRRP);
		if (ch->mod->dump_state && ch->state)
			ch->mod->dump_state(ch->state, f, false);
	}
	dumpfile_close(&sf);
	if (clear && ch->state)
		ch->mod->stats_clear(ch->state);
}

/* --signum=JSON: keepalived.json, written as the other dumps (2.2.7: the VRRP child only). */
static void json_cb(struct sched_ev *ev, void *arg)
{
	struct ka_child *ch = arg;
	struct safe_file sf;
	char *path;
	FILE *f;

	if (!ch->mod->dump_json || !ch->state)
		return;
	log_info("Printing %s as json for process(%d) on signal", ch->mod->name, (int)getpid());
	path = dumpfile_path(ch->cfg->gd, ch->opts->namespace, DUMPFILE_JSON, ch->mod->dump_suffix);
	f = dumpfile_open(&sf, path);
	free(path);
	if (!f)
		return;
	ch->mod->dump_json(ch->state, f);
	dumpfile_close(&sf);
}

/* A request of the parent's control socket or metrics listener: the module renders it. */
static size_t ctl_render_cb(void *arg, enum ka_ctl_req req, FILE *f, size_t cursor)
{
	struct ka_child *ch = arg;

	if (!ch->state)
		return 0;
	if (ch->mod->ctl_render_part)
		return ch->mod->ctl_render_part(ch->state, req, f, cursor);
	if (ch->mod->ctl_render)
		ch->mod->ctl_render(ch->state, req, f);
	return 0;
}

/* keepalived 2.2.7's log_stopping(): the times with -D, children's too if scripts ran */
static void log_stopped(void)
{
	struct rusage ru, ch;

	if (!log_get_opts()->detail) {
		log_info("Stopped");
		return;
	}
	getrusage(RUSAGE_SELF, &ru);
	getrusage(RUSAGE_CHILDREN, &ch);
	if (ch.ru_utime.tv_sec || ch.ru_utime.tv_usec)
		log_info("Stopped - used (self/children) %ld.%06ld/%ld.%06ld user time, "
			 "%ld.%06ld/%ld.%06ld system time",
			 (long)ru.ru_utime.tv_sec, (long)ru.ru_utime.tv_usec,
			 (long)ch.ru_utime.tv_sec, (long)ch.ru_utime.tv_usec,
			 (long)ru.ru_stime.tv_sec, (long)ru.ru_stime.tv_usec,
			 (long)ch.ru_stime.tv_sec, (long)ch.ru_stime.tv_usec);
	else
		log_info("Stopped - used %ld.%06ld user time, %ld.%06ld system time",
			 (long)ru.ru_utime.tv_sec, (long)ru.ru_utime.tv_usec,
			 (long)ru.ru_stime.tv_sec, (long)ru.ru_stime.tv_usec);
}

int ka_child_run(enum ka_mod id, struct ka_config *cfg, const struct ka_opts *o, int hb_fd)
{
	struct ka_child ch = {
		.id = id, .mod = ka_modules[id], .opts = o, .cfg = cfg, .hb_fd = hb_fd,
	};
	pid_t parent = getppid();
	int r, status = KA_EXIT_OK;

	/* If the parent dies, stop in order (release VIPs) rather than linger. */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != parent)
		return KA_EXIT_OK;
	prctl(PR_SET_NAME, id == KA_MOD_VRRP ? "keepalived_vrrp" : "keepalived_chk");
	/* the parent has said whether -u overrides the config's umask */
	daemon_set_umask(o, cfg->gd, false);
	if (o->namespace) {
		/* keepalived appends the namespace to the syslog ident: Keepalived_vrrp_NS */
		char *ident = xasprintf("%s_%s", ch.mod->ident, o->namespace);

		log_set_ident(ident);
		free(ident);
	} else {
		log_set_ident(ch.mod->ident);
	}
	r = sched_new(&ch.sched);
	if (r < 0) {
		log_err("Cannot create the event loop: %s", strerror(-r));
		return KA_EXIT_FATAL;
	}
	if ((r = sched_signal(ch.sched, &ch.ev_term, SIGTERM, stop_cb, &ch)) < 0 ||
	    (r = sched_signal(ch.sched, &ch.ev_int, SIGINT, stop_cb, &ch)) < 0 ||
	    (r = sched_signal(ch.sched, &ch.ev_hup, SIGHUP, reload_cb, &ch)) < 0 ||
	    (r = sched_signal(ch.sched, &ch.ev_usr1, SIGUSR1, dump_cb, &ch)) < 0 ||
	    (r = sched_signal(ch.sched, &ch.ev_usr2, SIGUSR2, dump_cb, &ch)) < 0 ||
	    (r = sched_signal(ch.sched, &ch.ev_stats_clear, KA_SIGSTATS_CLEAR, dump_cb, &ch)) < 0 ||
	    (r = sched_signal(ch.sched, &ch.ev_json, KA_SIGJSON, json_cb, &ch)) < 0 ||
	    (r = sched_timer(ch.sched, &ch.ev_hb, 0, heartbeat_cb, &ch)) < 0 ||
	    (r = ctl_responder_new(ch.sched, hb_fd, ctl_render_cb, &ch, &ch.ctl)) < 0) {
		log_err("Cannot set up the event loop: %s", strerror(-r));
		status = KA_EXIT_FATAL;
		goto out;
	}
	/* a module whose runtime is in its own program (keepalived-checker) has none here */
	if (!ch.mod->start) {
		log_err("The %s child cannot run: its program %s was not found or could not run",
			ch.mod->name, ch.mod->program ? ch.mod->program : "");
		status = KA_EXIT_FATAL;
		goto out;
	}
	/* a respawn after a crash: what the predecessor held, queued before the fork */
	ch.resume = ka_resume_take(hb_fd, &ch.resume_len);
	r = ch.mod->start(&ch);
	free(ch.resume);
	ch.resume = NULL;
	ch.resume_len = 0;
	if (r < 0) {
		log_err("%s cannot start: %s", ch.mod->name, strerror(-r));
		status = r == -EINVAL ? KA_EXIT_CONFIG : KA_EXIT_FATAL;
		goto out;
	}
	release_free_memory();
	say_loaded(&ch);
	/* as keepalived 2.2.7: once started, so that the start-up work is not time-limited */
	sched_prio_apply(ch.cfg->gd, id == KA_MOD_CHECK, ch.sched, &ch.ev_xcpu);
	r = sched_run(ch.sched);
	if (r < 0) {
		log_err("Event loop failed: %s", strerror(-r));
		status = KA_EXIT_FATAL;
	}
	log_stopped();
out:
	ctl_responder_free(ch.ctl);
	if (ch.mod->free_state && ch.state)
		ch.mod->free_state(ch.state);
	sched_free(ch.sched);
	ka_config_free(ch.cfg);
	close(hb_fd);
	return status;
}
