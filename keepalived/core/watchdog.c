// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/core/watchdog.c: the parent process: forks, watches, respawns children, relays signals. */
#include "watchdog.h"

#include <errno.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child.h"
#include "ctl.h"
#include "ctl_server.h"
#include "dumpfile.h"
#include "global_defs.h"
#include "log.h"
#include "metrics_http.h"
#include "parent_script.h"
#include "resume.h"
#include "scheduler.h"
#include "signals.h"
#include "utils.h"

struct watchdog;

struct wd_child {
	struct watchdog *wd;
	enum ka_mod id;
	pid_t pid;			/* 0 when not running */
	int hb_fd;			/* our end of the heartbeat socketpair, -1 when none */
	struct pidfile pf;
	uint64_t started_us;
	unsigned n_quick_deaths;	/* consecutive deaths after a short run: the backoff step */
	unsigned missed_beats;		/* consecutive checks that found no heartbeat */
	bool wanted;			/* the config has work for it (or --all) */
	struct sched_ev *ev_exit, *ev_restart;
	struct ka_resume resume;	/* its last state report, for a successor (core/resume.h) */
	bool loading;			/* started or signalled; not yet said KA_CTL_LOADED */
};

struct watchdog {
	struct sched *sched;
	const struct ka_opts *opts;
	struct ka_config *cfg;
	struct pidfile *pf;
	struct wd_child kids[KA_MOD__COUNT];
	char *program[KA_MOD__COUNT];	/* the child's own program; NULL: it runs forked */
	bool stopping;
	bool starting;			/* the startup script runs: no child yet */
	int exit_status;
	struct parent_script startup, shutdown;
	struct sched_ev *ev_term, *ev_int, *ev_hup, *ev_usr1, *ev_usr2, *ev_hb_check;
	struct sched_ev *ev_kill;	/* child_wait_time after the stop began */
	struct sched_ev *ev_stats_clear, *ev_json;
	struct ctl_hub *hub;		/* the live status plane's transport (core/ctl.h) */
	struct ctl_server *ctl;		/* the control socket; NULL: none */
	struct metrics_http *metrics;	/* metrics_listen (core/metrics_http.h); NULL: none */
	/* a start or a reload not complete until each child it started or signalled is loaded */
	enum { WD_PHASE_NONE, WD_PHASE_START, WD_PHASE_RELOAD } phase;
};

static const char *const child_names[KA_MOD__COUNT] = {
	[KA_MOD_VRRP] = "VRRP",
	[KA_MOD_CHECK] = "Healthcheck",
};
/* as keepalived names them in "vrrp process failed to die - forcing termination" */
static const char *const child_short_names[KA_MOD__COUNT] = {
	[KA_MOD_VRRP] = "vrrp",
	[KA_MOD_CHECK] = "checker",
};

unsigned watchdog_backoff_s(unsigned n_quick_deaths)
{
	if (n_quick_deaths <= 1)
		return 0;
	if (n_quick_deaths - 2 >= 6)	/* 2^6 = 64 > 60 */
		return WD_BACKOFF_MAX_S;
	return 1u << (n_quick_deaths - 2);
}

static int spawn(struct wd_child *k);

/*
 * Reads every message queued on k's socket; true if there was any since the last
 * check. The status plane's answers travel there too (core/ctl.c) and count as beats,
 * and so do the child's state reports (state_cb()).
 */
static bool beats_queued(struct wd_child *k)
{
	return ctl_hub_alive(k->wd->hub, (int)k->id);
}

/* The hub read a state report of child m: kept for its successor (core/resume.h). */
static void state_cb(void *arg, int m, const void *msg, size_t n)
{
	struct watchdog *wd = arg;

	ka_resume_note(&wd->kids[m].resume, msg, n);
}

/*
 * keepalived 2.2.7's parent says "Startup complete" or "Reload complete" once its children
 * have read the configuration, and only then tells systemd it is ready.
 */
static void phase_check(struct watchdog *wd)
{
	if (wd->phase == WD_PHASE_NONE)
		return;
	for (int m = 0; m < KA_MOD__COUNT; m++)
		if (wd->kids[m].loading)
			return;
	log_info(wd->phase == WD_PHASE_START ? "Startup complete" : "Reload complete");
	wd->phase = WD_PHASE_NONE;
	daemon_notify("READY=1");
}

static void await_loaded(struct wd_child *k, bool on)
{
	k->loading = on;
	ctl_hub_await(k->wd->hub, (int)k->id, on);
}

/* The hub read child m's KA_CTL_LOADED. */
static void loaded_cb(void *arg, int m)
{
	struct watchdog *wd = arg;

	await_loaded(&wd->kids[m], false);
	phase_check(wd);
}

/* child_exit_cb() restarts the child: its successor may resume what it held. */
static bool respawns(const struct wd_child *k, int st)
{
	if (k->wd->stopping || !k->wanted || k->wd->opts->dont_respawn)
		return false;
	return !(WIFEXITED(st) && (WEXITSTATUS(st) == KA_EXIT_CONFIG ||
				   WEXITSTATUS(st) == KA_EXIT_FATAL));
}

/*
 * Runs every WD_CHECK_US. The heartbeats are not watched: they wait on the socket
 * until this check reads them, so the parent wakes once per check instead of once per
 * beat as well. Counting consecutive silent periods (rather than time since the last
 * beat) means a frozen-then-thawed daemon does not kill its children: the parent's own
 * timer was frozen too.
 */
static void hb_check_cb(struct sched_ev *ev, void *arg)
{
	struct watchdog *wd = arg;

	for (int m = 0; m < KA_MOD__COUNT; m++) {
		struct wd_child *k = &wd->kids[m];

		if (!k->pid)
			continue;
		if (beats_queued(k))
			k->missed_beats = 0;
		else if (++k->missed_beats == WD_MISSED_BEATS_MAX) {
			log_err("%s child process(%d) is not responding: killing it",
				child_names[m], (int)k->pid);
			kill(k->pid, SIGKILL);
		}
	}
	sched_timer(wd->sched, &wd->ev_hb_check, WD_CHECK_US, hb_check_cb, wd);
}

static void stopped(void *arg)
{
	struct watchdog *wd = arg;

	pidfile_remove(wd->pf);
	ctl_server_close(wd->ctl);
	wd->ctl = NULL;
	metrics_http_free(wd->metrics);
	wd->metrics = NULL;
	daemon_log_cpu_usage();
	log_info("Stopped %s", KA_VERSION_STRING);
	sched_stop(wd->sched);
}

/* Once every child is gone: the shutdown script, then the end. */
static void finish_stop(struct watchdog *wd)
{
	for (int m = 0; m < KA_MOD__COUNT; m++)
		if (wd->kids[m].pid)
			return;
	sched_cancel(&wd->ev_hb_check);
	sched_cancel(&wd->ev_kill);
	if (parent_script_running(&wd->shutdown))
		return;
	if (parent_script_run(&wd->shutdown, wd->sched, stopped, wd) < 0)
		stopped(wd);
}

/* child_wait_time: keepalived kills the children that have not stopped by then. */
static void kill_cb(struct sched_ev *ev, void *arg)
{
	struct watchdog *wd = arg;

	for (int m = 0; m < KA_MOD__COUNT; m++)
		if (wd->kids[m].pid) {
			log_info("%s process failed to die - forcing termination",
				 child_short_names[m]);
			kill(wd->kids[m].pid, SIGKILL);
		}
}

static void stop_children(struct watchdog *wd)
{
	for (int m = 0; m < KA_MOD__COUNT; m++) {
		sched_cancel(&wd->kids[m].ev_restart);
		if (wd->kids[m].pid)
			kill(wd->kids[m].pid, SIGTERM);
	}
}

static void begin_stop(struct watchdog *wd, int status)
{
	if (wd->stopping)
		return;
	wd->stopping = true;
	wd->exit_status = status;
	wd->phase = WD_PHASE_NONE;
	daemon_notify("STOPPING=1");
	log_info("Stopping");
	/* a stop during the startup script: it is cut short, no child starts */
	wd->starting = false;
	process_run_cancel(&wd->startup.run);
	stop_children(wd);
	sched_timer(wd->sched, &wd->ev_kill,
		    (uint64_t)global_defs_child_wait_time_s(wd->cfg->gd) * 1000000, kill_cb, wd);
	finish_stop(wd);
}

static void restart_cb(struct sched_ev *ev, void *arg)
{
	struct wd_child *k = arg;

	if (!k->wd->stopping && k->wanted && !k->pid && spawn(k) < 0)
		begin_stop(k->wd, KA_EXIT_FATAL);
}

static void child_gone(struct wd_child *k)
{
	k->loading = false;
	ctl_hub_child_down(k->wd->hub, (int)k->id);
	if (k->hb_fd >= 0)
		close(k->hb_fd);
	k->hb_fd = -1;
	pidfile_remove(&k->pf);
	k->pid = 0;
}

static void child_exit_cb(struct sched_ev *ev, void *arg)
{
	struct wd_child *k = arg;
	struct watchdog *wd = k->wd;
	const char *name = child_names[k->id];
	int st = sched_ev_status(ev);
	pid_t pid = k->pid;
	uint64_t ran_us = sched_now_us(wd->sched) - k->started_us;
	unsigned delay;

	/* the reports it sent before it died are still queued: the last one is kept */
	beats_queued(k);
	ka_resume_child_gone(&k->resume, respawns(k, st));
	child_gone(k);
	if (wd->stopping || !k->wanted) {
		if (wd->stopping)
			finish_stop(wd);
		else
			phase_check(wd);	/* not waited on any more */
		return;
	}
	if (WIFEXITED(st) && (WEXITSTATUS(st) == KA_EXIT_CONFIG || WEXITSTATUS(st) == KA_EXIT_FATAL)) {
		log_err("pid %d exited with permanent error %s. Terminating", (int)pid,
			WEXITSTATUS(st) == KA_EXIT_CONFIG ? "CONFIG" : "FATAL");
		begin_stop(wd, WEXITSTATUS(st));
		return;
	}
	/* SIGKILL: also the kernel's at RLIMIT_RTTIME's hard limit (*_rlimit_rttime) */
	if (WIFSIGNALED(st))
		log_err("pid %d exited due to signal %d (%s)%s", (int)pid, WTERMSIG(st),
			strsignal(WTERMSIG(st)),
			WTERMSIG(st) == SIGKILL ? " - has rlimit_rttime been exceeded?" : "");
	else
		log_err("pid %d exited with status %d", (int)pid, WEXITSTATUS(st));
	if (wd->opts->dont_respawn) {
		log_err("%s child process(%d) died: Exiting", name, (int)pid);
		begin_stop(wd, KA_EXIT_OK);
		return;
	}
	log_err("%s child process(%d) died: Respawning", name, (int)pid);
	k->n_quick_deaths = ran_us >= WD_LONG_RUN_US ? 0 : k->n_quick_deaths + 1;
	delay = watchdog_backoff_s(k->n_quick_deaths);
	log_info("Restart of %s process delayed %u seconds to limit respawn rate", name, delay);
	sched_timer(wd->sched, &k->ev_restart, (uint64_t)delay * 1000000, restart_cb, k);
}

static int spawn(struct wd_child *k)
{
	struct watchdog *wd = k->wd;
	const struct ka_opts *o = wd->opts;
	const char *name = child_names[k->id];
	pid_t pid, other;
	int sv[2], r;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv) < 0) {
		log_err("Cannot create the %s heartbeat socket: %s", name, strerror(errno));
		return -errno;
	}
	ka_resume_hand_over(&k->resume, sv[0], name);	/* the first message the child reads */
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		r = -errno;
		log_err("Cannot fork the %s child process: %s", name, strerror(errno));
		close(sv[0]);
		close(sv[1]);
		return r;
	}
	if (pid == 0) {
		/* The child keeps only its config and its end of the socketpair. */
		struct ka_config *cfg = wd->cfg;

		close(sv[0]);
		for (int m = 0; m < KA_MOD__COUNT; m++) {
			if (wd->kids[m].hb_fd >= 0)
				close(wd->kids[m].hb_fd);
			pidfile_forget(&wd->kids[m].pf);
		}
		pidfile_forget(wd->pf);
		ctl_server_forget(wd->ctl);
		metrics_http_forget(wd->metrics);
		sched_free_forked(wd->sched);
		if (wd->program[k->id]) {
			r = ka_child_exec(k->id, wd->program[k->id], o, sv[1]);
			log_err("Cannot run %s: %s; the %s child runs in the forked process",
				wd->program[k->id], strerror(-r), name);
		}
		exit(ka_child_run(k->id, cfg, o, sv[1]));
	}
	close(sv[1]);
	k->pid = pid;
	k->hb_fd = sv[0];
	k->started_us = sched_now_us(wd->sched);
	k->missed_beats = 0;
	ctl_hub_child_up(wd->hub, (int)k->id, pid, k->hb_fd);
	await_loaded(k, true);
	log_info("Starting %s child process, pid=%d", name, (int)pid);
	r = pidfile_create(&k->pf, o->child_pidfile[k->id], pid, &other);
	if (r < 0)
		log_err("Cannot write %s pid file %s: %s", name, o->child_pidfile[k->id],
			strerror(-r));
	if ((r = sched_child(wd->sched, &k->ev_exit, pid, 0, child_exit_cb, k)) < 0) {
		log_err("Cannot watch the %s child process: %s", name, strerror(-r));
		kill(pid, SIGKILL);
		return r;
	}
	return 0;
}

static bool wants(const struct watchdog *wd, const struct ka_config *cfg, enum ka_mod m)
{
	const struct ka_module *mod = ka_modules[m];

	if (!mod || !wd->opts->run[m])
		return false;
	return wd->opts->run_all || mod->has_work(cfg->mod[m]);
}

/* Start, signal or stop each child to match the (new) config. */
static void apply_config(struct watchdog *wd, bool reload)
{
	bool any = false;

	for (int m = 0; m < KA_MOD__COUNT; m++) {
		struct wd_child *k = &wd->kids[m];

		k->wanted = wants(wd, wd->cfg, (enum ka_mod)m);
		any |= k->wanted;
		if (k->wanted && k->pid && reload) {
			await_loaded(k, true);
			kill(k->pid, SIGHUP);
		}
		else if (k->wanted && !k->pid && !k->ev_restart)
			spawn(k);
		else if (!k->wanted && k->pid) {
			log_info("%s child process(%d) has nothing left to run: stopping it",
				 child_names[m], (int)k->pid);
			kill(k->pid, SIGTERM);
		}
	}
	if (!any)
		log_warn("Warning - keepalived has no configuration to run");
}

static void reload_cb(struct sched_ev *ev, void *arg)
{
	struct watchdog *wd = arg;
	const struct ka_opts *o = wd->opts;
	struct ka_config_opts lo = {
		.path = o->conf_file,
		.config_id = o->config_id,
		.includes_required = o->all_config,
	};
	struct ka_config *nc;
	int r;

	if (wd->stopping)
		return;
	daemon_notify("RELOADING=1");
	log_info("Reloading ...");
	if (access(o->conf_file, R_OK) == 0)
		log_info("Configuration file %s", o->conf_file);	/* as 2.2.7's parent */
	for (int m = 0; m < KA_MOD__COUNT; m++)
		lo.load[m] = ka_modules[m] != NULL;
	r = ka_config_load(&lo, &nc);
	if (r == -ENOENT)
		log_err("Reload aborted: cannot read %s; keeping the running configuration",
			o->conf_file);
	else if (r < 0)
		log_err("Reload aborted: %u error(s) in the configuration; keeping the running configuration",
			nc->n_errors);
	if (r < 0) {
		ka_config_free(nc);
		daemon_notify("READY=1");
		return;
	}
	ka_config_free(wd->cfg);
	wd->cfg = nc;
	daemon_set_umask(o, nc->gd, true);
	/* keepalived checks the shutdown script again; the startup script has run */
	parent_script_load(&wd->shutdown, wd->cfg->gd, false);
	metrics_http_apply(wd->metrics, wd->cfg->gd);
	/* the old config's pages back to the kernel (its holes stay resident otherwise) */
	malloc_trim(0);
	if (wd->starting) {
		daemon_notify("READY=1");	/* the startup script runs: no child to wait on */
		return;
	}
	wd->phase = WD_PHASE_RELOAD;
	apply_config(wd, true);
	phase_check(wd);
}

static void stop_cb(struct sched_ev *ev, void *arg)
{
	begin_stop(arg, KA_EXIT_OK);
}

static void relay_cb(struct sched_ev *ev, void *arg)
{
	struct watchdog *wd = arg;
	int signo = (int)sched_ev_siginfo(ev)->ssi_signo;

	if (signo == SIGUSR1) {
		char *path = dumpfile_path(wd->cfg->gd, wd->opts->namespace, DUMPFILE_DATA,
					   "_parent");
		struct safe_file sf;
		FILE *f;

		log_info("Printing parent data for process(%d) on signal", (int)getpid());
		f = dumpfile_open(&sf, path);
		free(path);
		if (f) {
			/* keepalived 2.2.7's file is its global definitions; ours adds its children */
			dumpfile_global_defs(wd->cfg->gd, f, false);
			fprintf(f, "------< Parent process(%d) >------\n", (int)getpid());
			for (int m = 0; m < KA_MOD__COUNT; m++)
				fprintf(f, " %s child: pid %d, %u quick restart(s)\n", child_names[m],
					(int)wd->kids[m].pid, wd->kids[m].n_quick_deaths);
			dumpfile_close(&sf);
		}
	}
	for (int m = 0; m < KA_MOD__COUNT; m++) {
		/* keepalived 2.2.7: only the VRRP child has stats to clear or a JSON dump */
		if ((signo == KA_SIGSTATS_CLEAR || signo == KA_SIGJSON) && m != KA_MOD_VRRP)
			continue;
		if (wd->kids[m].pid)
			kill(wd->kids[m].pid, signo);
	}
}

static void startup_done(void *arg)
{
	struct watchdog *wd = arg;

	wd->starting = false;
	wd->phase = WD_PHASE_START;
	apply_config(wd, false);
	phase_check(wd);
}

/* The children start once the startup script, if any, has ended. */
static void start(struct watchdog *wd)
{
	const struct parent_script *v[] = { &wd->startup, &wd->shutdown };

	parent_script_load(&wd->startup, wd->cfg->gd, true);
	parent_script_load(&wd->shutdown, wd->cfg->gd, false);
	parent_script_security(v, 2, global_defs_script_security(wd->cfg->gd));
	wd->starting = true;
	if (parent_script_run(&wd->startup, wd->sched, startup_done, wd) < 0)
		startup_done(wd);
}

int watchdog_run(const struct ka_opts *o, struct ka_config *cfg, struct pidfile *pf)
{
	struct watchdog wd = { .opts = o, .cfg = cfg, .pf = pf };
	int r;

	for (int m = 0; m < KA_MOD__COUNT; m++)
		wd.kids[m] = (struct wd_child){ .wd = &wd, .id = (enum ka_mod)m, .hb_fd = -1,
						.pf = { .fd = -1 } };
	for (int m = 0; m < KA_MOD__COUNT; m++) {
		const char *prog = ka_modules[m] ? ka_modules[m]->program : NULL;

		wd.program[m] = ka_child_program_path((enum ka_mod)m);
		if (prog && !wd.program[m])
			log_info("%s not found beside this binary or in %s: the %s child runs in "
				 "the forked process", prog, PKGLIBEXECDIR, child_names[m]);
	}
	r = sched_new(&wd.sched);
	if (r < 0) {
		log_err("Cannot create the event loop: %s", strerror(-r));
		ka_config_free(cfg);
		return KA_EXIT_FATAL;
	}
	ctl_hub_new(wd.sched, &wd.hub);
	ctl_hub_on_state(wd.hub, state_cb, &wd);
	ctl_hub_on_loaded(wd.hub, loaded_cb, &wd);
	if ((r = sched_signal(wd.sched, &wd.ev_term, SIGTERM, stop_cb, &wd)) < 0 ||
	    (r = sched_signal(wd.sched, &wd.ev_int, SIGINT, stop_cb, &wd)) < 0 ||
	    (r = sched_signal(wd.sched, &wd.ev_hup, SIGHUP, reload_cb, &wd)) < 0 ||
	    (r = sched_signal(wd.sched, &wd.ev_usr1, SIGUSR1, relay_cb, &wd)) < 0 ||
	    (r = sched_signal(wd.sched, &wd.ev_usr2, SIGUSR2, relay_cb, &wd)) < 0 ||
	    (r = sched_signal(wd.sched, &wd.ev_stats_clear, KA_SIGSTATS_CLEAR, relay_cb, &wd)) < 0 ||
	    (r = sched_signal(wd.sched, &wd.ev_json, KA_SIGJSON, relay_cb, &wd)) < 0 ||
	    (r = sched_timer(wd.sched, &wd.ev_hb_check, WD_CHECK_US, hb_check_cb, &wd)) < 0) {
		log_err("Cannot set up the event loop: %s", strerror(-r));
		wd.exit_status = KA_EXIT_FATAL;
		goto out;
	}
	/* without it the daemon runs on: --status cannot reach it (logged) */
	ctl_server_open(wd.sched, wd.hub, o, &wd.ctl);
	/* metrics_listen: off unless configured; a failure is logged, the daemon runs on */
	if (wd.hub && metrics_http_new(wd.sched, wd.hub, &wd.metrics) == 0)
		metrics_http_apply(wd.metrics, wd.cfg->gd);
	start(&wd);
	r = sched_run(wd.sched);
	if (r < 0) {
		log_err("Event loop failed: %s", strerror(-r));
		wd.exit_status = KA_EXIT_FATAL;
	}
out:
	ctl_server_close(wd.ctl);
	metrics_http_free(wd.metrics);
	ctl_hub_free(wd.hub);
	parent_script_clear(&wd.startup);
	parent_script_clear(&wd.shutdown);
	sched_free(wd.sched);
	ka_config_free(wd.cfg);
	for (int m = 0; m < KA_MOD__COUNT; m++) {
		free(wd.program[m]);
		ka_resume_clear(&wd.kids[m].resume);
	}
	return wd.exit_status;
}
