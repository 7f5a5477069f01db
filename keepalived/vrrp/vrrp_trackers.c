// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/vrrp/vrrp_trackers.c: track_file and track_process at run time -> priority and FAULT. */
#include "vrrp_trackers.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "core/global_defs.h"
#include "core/track_file.h"
#include "core/track_process.h"
#include "log.h"
#include "scheduler.h"
#include "utils.h"
#include "vrrp_conf_track.h"
#include "vrrp_ctx.h"
#include "vrrp_sync.h"
#include "vrrp_track.h"

#define STATUS_FAULT (-254)

/* A track_file block some instance tracks. */
struct tfile_rt {
	const struct track_file *tf;	/* borrowed: global_defs */
	char *path;			/* resolved; NULL: its directory is missing (not tracked) */
	const char *base;		/* into path: the name inotify reports */
	int wd;
	int64_t value;			/* the last value read */
	struct ratelimit rl_invalid;	/* its "Invalid number" lines */
};

/* A vrrp_track_process block some instance tracks. */
struct tproc_rt {
	struct vrrp_trackers *trk;
	const struct vc_tproc *conf;	/* borrowed: the config */
	bool have;			/* quorum, as the instances see it */
	enum track_proc_pending pending;
	struct sched_ev *ev_delay;	/* fork_delay / terminate_delay */
};

struct vrrp_trackers {
	struct vrrp_ctx *ctx;
	int ifd;			/* inotify; -1: none */
	struct sched_ev *ev_ino;
	struct tfile_rt *files;
	unsigned n_files;
	struct tproc_rt *procs;
	unsigned n_procs;
	struct track_proc_spec *specs;	/* one per procs[i] */
	struct track_proc_mon *mon;
};

/* ---- pure ---- */

int vrrp_track_file_status(int64_t value, int weight, bool reverse)
{
	int s = track_file_status(value, weight, reverse);

	if (s <= STATUS_FAULT)
		return STATUS_FAULT;
	return s > 253 ? 253 : s;
}

bool vrrp_track_proc_fault(bool have, int weight, bool reverse, int *add)
{
	int mult = reverse ? -1 : 1;

	*add = 0;
	if (!weight)
		return have == reverse;
	/* keepalived: a positive weight counts while the quorum holds, a negative one while not */
	if ((weight > 0) == have)
		*add = weight * mult;
	return false;
}

/* ---- lookups ---- */

static struct tfile_rt *find_file(const struct vrrp_trackers *trk, const char *name)
{
	for (unsigned i = 0; i < trk->n_files; i++)
		if (!strcmp(trk->files[i].tf->name, name))
			return &trk->files[i];
	return NULL;
}

static struct tproc_rt *find_proc(const struct vrrp_trackers *trk, const char *name)
{
	for (unsigned i = 0; i < trk->n_procs; i++)
		if (!strcmp(trk->procs[i].conf->id.name, name))
			return &trk->procs[i];
	return NULL;
}

static const struct vc_track_ref *find_ref(const struct vc_track_ref *refs, unsigned n,
					   const char *name)
{
	for (unsigned k = 0; k < n; k++)
		if (!strcmp(refs[k].ref.name, name))
			return &refs[k];
	return NULL;
}

/* ---- evaluation ---- */

static void eval_file(const struct vrrp_trackers *trk, const char *name, bool init,
		      const struct vc_track_ref *t, unsigned *faults, int *sum)
{
	const struct tfile_rt *rt = find_file(trk, t->ref.name);
	int s, raw;

	if (!rt || !rt->path)
		return;
	s = vrrp_track_file_status(rt->value, t->weight, t->reverse);
	if (s != STATUS_FAULT) {
		*sum += s;
		return;
	}
	(*faults)++;
	if (!init)
		return;
	raw = track_file_status(rt->value, t->weight, t->reverse);
	log_info("(%s): entering FAULT state (tracked file %s has status %i)", name, t->ref.name,
		 raw == INT_MIN ? STATUS_FAULT : raw);
}

static void eval_proc(const struct vrrp_trackers *trk, const char *name, bool init,
		      const struct vc_track_ref *t, unsigned *faults, int *sum)
{
	const struct tproc_rt *rt = find_proc(trk, t->ref.name);
	int add;

	if (!rt)
		return;
	if (vrrp_track_proc_fault(rt->have, t->weight, t->reverse, &add)) {
		(*faults)++;
		if (init)
			log_info("(%s) entering FAULT state (tracked process %s quorum not achieved)",
				 name, t->ref.name);
	}
	*sum += add;
}

/*
 * own: the instance's references; grp: its sync group's, which apply to it too (one
 * tracker on both counts once, with keepalived 2.2.7's weight: vc_track_ref_eff()).
 */
static void eval_list(const struct vrrp_trackers *trk, const char *name, bool init, bool file,
		      const struct vc_track_ref *own, unsigned n_own,
		      const struct vc_track_ref *grp, unsigned n_grp, unsigned *faults, int *sum)
{
	for (unsigned k = 0; k < n_own + n_grp; k++) {
		const struct vc_track_ref *o = k < n_own ? &own[k] : NULL;
		const struct vc_track_ref *g = k < n_own ? find_ref(grp, n_grp, own[k].ref.name) :
				       &grp[k - n_own];
		struct vc_track_ref t;

		if (!o && find_ref(own, n_own, g->ref.name))
			continue;	/* counted with the instance's */
		t = vc_track_ref_eff(o, g, file);
		if (file)
			eval_file(trk, name, init, &t, faults, sum);
		else
			eval_proc(trk, name, init, &t, faults, sum);
	}
}

void vrrp_trackers_eval_refs(const struct vrrp_ctx *ctx, const char *name, bool init,
			     const struct vc_track_ref *files, unsigned n_files,
			     const struct vc_track_ref *procs, unsigned n_procs,
			     unsigned *faults, int *sum)
{
	if (!ctx->trk)
		return;
	eval_list(ctx->trk, name, init, true, files, n_files, NULL, 0, faults, sum);
	eval_list(ctx->trk, name, init, false, procs, n_procs, NULL, 0, faults, sum);
}

/* The sync group whose trackers apply to c too, or NULL. */
static const struct vc_group *group_of(const struct vrrp_conf *vc, const struct vc_instance *c)
{
	if (c->sync_group < 0 || (unsigned)c->sync_group >= vc->n_groups)
		return NULL;
	return vc->groups[c->sync_group];
}

void vrrp_trackers_eval(struct vrrp_inst *vi, unsigned *faults, int *sum)
{
	const struct vrrp_trackers *trk = vi->ctx->trk;
	const struct vc_more *m = vc_more(vi->conf);
	const struct vc_group *g = group_of(vi->ctx->conf, vi->conf);
	bool init = vi->fsm.state == VRRP_STATE_INIT;

	if (!trk)
		return;
	eval_list(trk, vi->name, init, true, m->track_files, m->n_track_files,
		  g ? g->track_files : NULL, g ? g->n_track_files : 0, faults, sum);
	eval_list(trk, vi->name, init, false, m->track_procs, m->n_track_procs,
		  g ? g->track_procs : NULL, g ? g->n_track_procs : 0, faults, sum);
}

/*
 * The reference to the tracker called name that applies to instance c (its own or its
 * group's, with the weight in effect); false: none.
 */
static bool ref_of(const struct vrrp_conf *vc, const struct vc_instance *c, bool file,
		   const char *name, struct vc_track_ref *out)
{
	const struct vc_more *m = vc_more(c);
	const struct vc_group *g = group_of(vc, c);
	const struct vc_track_ref *o = file ? find_ref(m->track_files, m->n_track_files, name) :
				       find_ref(m->track_procs, m->n_track_procs, name);
	const struct vc_track_ref *gr = !g ? NULL :
		file ? find_ref(g->track_files, g->n_track_files, name) :
		       find_ref(g->track_procs, g->n_track_procs, name);

	if (!o && !gr)
		return false;
	*out = vc_track_ref_eff(o, gr, file);
	return true;
}

/* ---- track files ---- */

/* keepalived's detail lines for each instance that tracks the file, then the update */
static void file_changed(struct vrrp_trackers *trk, struct tfile_rt *rt, int64_t value)
{
	struct vrrp_ctx *ctx = trk->ctx;
	int64_t was = rt->value;

	rt->value = value;
	if (was == value)
		return;
	for (unsigned i = 0; i < ctx->n_insts; i++) {
		struct vrrp_inst *vi = ctx->insts[i];
		struct vc_track_ref t;
		int old_s, new_s;

		if (!ref_of(ctx->conf, vi->conf, true, rt->tf->name, &t))
			continue;
		old_s = vrrp_track_file_status(was, t.weight, t.reverse);
		new_s = vrrp_track_file_status(value, t.weight, t.reverse);
		if (old_s == new_s)
			continue;
		if (new_s == STATUS_FAULT)
			log_detail("(%s): tracked file %s now FAULT state", vi->name, rt->tf->name);
		else if (old_s == STATUS_FAULT)
			log_detail("(%s): tracked file %s leaving FAULT state", vi->name,
				   rt->tf->name);
		vrrp_inst_track_update(vi);
	}
}

static void file_read(struct vrrp_trackers *trk, struct tfile_rt *rt)
{
	int64_t v;

	if (!track_file_read(rt->path, &v)) {
		track_file_log_invalid(&rt->rl_invalid, rt->path, v);
		return;
	}
	file_changed(trk, rt, v);
}

static void inotify_cb(struct sched_ev *ev, void *arg)
{
	struct vrrp_trackers *trk = arg;
	char buf[sizeof(struct inotify_event) + NAME_MAX + 1]
		__attribute__((aligned(__alignof__(struct inotify_event))));

	(void)ev;
	for (int budget = 64; budget > 0; budget--) {
		ssize_t n = read(trk->ifd, buf, sizeof(buf));

		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR)
				log_info("inotify read() returned error %d - %s", errno,
					 strerror(errno));
			return;
		}
		if (n < (ssize_t)sizeof(struct inotify_event)) {
			log_info("inotify read() returned short length %zd", n);
			return;
		}
		for (char *q = buf; q + sizeof(struct inotify_event) <= buf + n;) {
			const struct inotify_event *e = (const struct inotify_event *)q;

			q += sizeof(*e) + e->len;
			if ((e->mask & IN_ISDIR) || !e->len)
				continue;
			/* several files may share a directory, so a watch */
			for (unsigned i = 0; i < trk->n_files; i++) {
				struct tfile_rt *rt = &trk->files[i];

				if (!rt->path || rt->wd != e->wd || strcmp(e->name, rt->base))
					continue;
				if (e->mask & (IN_MOVED_FROM | IN_DELETE))
					file_changed(trk, rt, 0);	/* gone: 0 */
				else if (e->mask & (IN_CLOSE_WRITE | IN_MOVED_TO))
					file_read(trk, rt);
			}
		}
	}
}

static bool inst_tracks(const struct vrrp_conf *vc, bool files, const char *name)
{
	struct vc_track_ref t;

	for (unsigned i = 0; i < vc->n_insts; i++)
		if (!vc->insts[i]->is_dup && ref_of(vc, vc->insts[i], files, name, &t))
			return true;
	return false;
}

static void files_start(struct vrrp_trackers *trk, bool reload)
{
	const struct track_files *l = global_defs_track_files(trk->ctx->cmds.gd);
	int r;

	track_files_init(l, reload);
	trk->files = xcalloc(l->n ? l->n : 1, sizeof(*trk->files));
	for (unsigned i = 0; i < l->n; i++) {
		const struct track_file *tf = l->v[i];
		struct tfile_rt *rt;
		char *dir;

		/* keepalived drops the blocks nobody tracks (the first of two with one name counts) */
		if (!tf->path || track_files_find(l, tf->name) != tf ||
		    !inst_tracks(trk->ctx->conf, true, tf->name))
			continue;
		rt = &trk->files[trk->n_files++];
		rt->tf = tf;
		rt->wd = -1;
		rt->path = track_file_resolve(tf->path);
		if (!rt->path) {
			log_err("Track file directory for %s does not exist - removing", tf->name);
			continue;
		}
		rt->base = strrchr(rt->path, '/') + 1;
		if (trk->ifd < 0) {
			trk->ifd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
			if (trk->ifd < 0) {
				log_info("Unable to monitor track files");
			} else if ((r = sched_read(trk->ctx->s, &trk->ev_ino, trk->ifd, 0, inotify_cb,
						   trk)) < 0) {
				log_info("Unable to monitor track files: %s", strerror(-r));
			}
		}
		if (trk->ifd >= 0) {
			dir = xstrndup(rt->path, (size_t)(rt->base - rt->path));
			rt->wd = inotify_add_watch(trk->ifd, dir, IN_CLOSE_WRITE | IN_DELETE | IN_MOVE);
			if (rt->wd < 0)
				log_info("Unable to monitor track file %s: %s", tf->name,
					 strerror(errno));
			free(dir);
		}
		if (!track_file_read(rt->path, &rt->value)) {
			track_file_log_invalid(&rt->rl_invalid, rt->path, rt->value);
			rt->value = 0;
		}
	}
}

/* ---- tracked processes ---- */

static void proc_report(struct tproc_rt *rt, bool have)
{
	struct vrrp_ctx *ctx = rt->trk->ctx;

	rt->have = have;
	log_info("Quorum %s for tracked process %s", have ? "gained" : "lost", rt->conf->id.name);
	for (unsigned i = 0; i < ctx->n_insts; i++) {
		struct vc_track_ref t;

		if (ref_of(ctx->conf, ctx->insts[i]->conf, false, rt->conf->id.name, &t))
			vrrp_inst_track_update(ctx->insts[i]);
	}
}

static bool proc_want(const struct tproc_rt *rt)
{
	unsigned n = track_proc_mon_count(rt->trk->mon, (unsigned)(rt - rt->trk->procs));

	return track_proc_quorum(n, rt->conf->quorum, rt->conf->quorum_max);
}

static void proc_delay_cb(struct sched_ev *ev, void *arg)
{
	struct tproc_rt *rt = arg;
	bool want = proc_want(rt);

	(void)ev;
	rt->pending = TRACK_PROC_NONE;
	if (want != rt->have)
		proc_report(rt, want);
}

static void proc_count_cb(void *arg, unsigned idx)
{
	struct vrrp_trackers *trk = arg;
	struct tproc_rt *rt = &trk->procs[idx];
	bool want = proc_want(rt);

	switch (track_proc_step(rt->have, want, rt->conf->fork_delay_us != 0,
				rt->conf->terminate_delay_us != 0, &rt->pending)) {
	case TRACK_PROC_REPORT:
		sched_cancel(&rt->ev_delay);
		proc_report(rt, want);
		break;
	case TRACK_PROC_ARM:
		sched_timer(trk->ctx->s, &rt->ev_delay, want ? rt->conf->fork_delay_us :
			    rt->conf->terminate_delay_us, proc_delay_cb, rt);
		break;
	case TRACK_PROC_CANCEL:
		sched_cancel(&rt->ev_delay);
		break;
	case TRACK_PROC_KEEP:
		break;
	}
}

static void procs_start(struct vrrp_trackers *trk)
{
	const struct vrrp_conf *vc = trk->ctx->conf;
	struct track_proc_opts o = { 0 };

	trk->procs = xcalloc(vc->n_tprocs ? vc->n_tprocs : 1, sizeof(*trk->procs));
	trk->specs = xcalloc(vc->n_tprocs ? vc->n_tprocs : 1, sizeof(*trk->specs));
	for (unsigned i = 0; i < vc->n_tprocs; i++) {
		const struct vc_tproc *tp = vc->tprocs[i];
		unsigned k;

		if (tp->is_dup || !tp->process || !inst_tracks(vc, false, tp->id.name))
			continue;
		k = trk->n_procs++;
		trk->procs[k] = (struct tproc_rt){ .trk = trk, .conf = tp };
		trk->specs[k] = (struct track_proc_spec){
			.name = tp->process, .params = tp->params, .params_len = tp->params_len,
			.match = tp->param_match, .full_command = tp->full_command,
		};
	}
	if (!trk->n_procs)
		return;
	global_defs_process_monitor(trk->ctx->cmds.gd, &o.rcv_bufs, &o.rcv_bufs_force);
	track_proc_mon_new(trk->ctx->s, trk->specs, trk->n_procs, &o, proc_count_cb, trk,
			   &trk->mon);
	/* the state at start is not a change: keepalived says nothing of it */
	for (unsigned k = 0; k < trk->n_procs; k++)
		trk->procs[k].have = proc_want(&trk->procs[k]);
}

void vrrp_trackers_start(struct vrrp_ctx *ctx, bool reload)
{
	struct vrrp_trackers *trk = xcalloc(1, sizeof(*trk));

	trk->ctx = ctx;
	trk->ifd = -1;
	ctx->trk = trk;
	files_start(trk, reload);
	procs_start(trk);
}

void vrrp_trackers_free(struct vrrp_ctx *ctx)
{
	struct vrrp_trackers *trk = ctx->trk;

	if (!trk)
		return;
	ctx->trk = NULL;
	sched_cancel(&trk->ev_ino);
	if (trk->ifd >= 0)
		close(trk->ifd);
	for (unsigned i = 0; i < trk->n_files; i++)
		free(trk->files[i].path);
	free(trk->files);
	for (unsigned i = 0; i < trk->n_procs; i++)
		sched_cancel(&trk->procs[i].ev_delay);
	track_proc_mon_free(trk->mon);
	free(trk->procs);
	free(trk->specs);
	free(trk);
}

void vrrp_trackers_reload(struct vrrp_ctx *ctx)
{
	struct vrrp_trackers *old = ctx->trk;
	unsigned n = old ? old->n_procs : 0;
	char **names = xcalloc(n ? n : 1, sizeof(*names));
	bool *had = xcalloc(n ? n : 1, sizeof(*had));

	/* the old config is still there (the instances borrowed it until now): copy */
	for (unsigned i = 0; i < n; i++) {
		names[i] = xstrdup(old->procs[i].conf->id.name);
		had[i] = old->procs[i].have;
	}
	vrrp_trackers_free(ctx);
	vrrp_trackers_start(ctx, true);
	for (unsigned i = 0; i < n; i++) {
		const struct tproc_rt *rt = find_proc(ctx->trk, names[i]);

		if (rt && rt->have != had[i])
			log_info("Quorum %s for tracked process %s", rt->have ? "gained" : "lost",
				 names[i]);
		free(names[i]);
	}
	free(names);
	free(had);
}

/* The instances that track track_file (or vrrp_track_process) name, with their weights. */
static void dump_tracking(const struct vrrp_ctx *ctx, FILE *f, const char *name, bool proc)
{
	bool any = false;

	for (unsigned k = 0; k < ctx->n_insts; k++) {
		const struct vrrp_inst *vi = ctx->insts[k];
		const struct vc_more *m = vc_more(vi->conf);
		const struct vc_track_ref *refs = proc ? m->track_procs : m->track_files;
		unsigned n = proc ? m->n_track_procs : m->n_track_files;

		for (unsigned t = 0; t < n; t++) {
			if (strcmp(refs[t].ref.name, name) ||
			    vrrp_sync_member_script_dropped(vi, refs[t].weight))
				continue;
			if (!any)
				fputs("   Tracking instances :\n", f);
			any = true;
			fprintf(f, "     %s, weight %d%s\n", vi->name, refs[t].weight,
				refs[t].reverse ? " reverse" : "");
		}
	}
}

/* keepalived 2.2.7's "VRRP Track files" and "VRRP Track processes" sections (SIGUSR1). */
void vrrp_trackers_dump(const struct vrrp_ctx *ctx, FILE *f)
{
	const struct vrrp_trackers *trk = ctx->trk;

	if (!trk)
		return;
	if (trk->n_files)
		fputs("------< VRRP Track files >------\n", f);
	for (unsigned i = 0; i < trk->n_files; i++) {
		const struct tfile_rt *rt = &trk->files[i];

		fprintf(f, " Track file = %s\n", rt->tf->name);
		fprintf(f, "   File = %s\n", rt->path ? rt->path : rt->tf->path);
		fprintf(f, "   Status = %lld\n", (long long)rt->value);
		fprintf(f, "   Weight = %d%s\n", rt->tf->weight, rt->tf->reverse ? " reverse" : "");
		dump_tracking(ctx, f, rt->tf->name, false);
	}
	if (trk->n_procs)
		fputs("------< VRRP Track processes >------\n", f);
	for (unsigned i = 0; i < trk->n_procs; i++) {
		const struct tproc_rt *rt = &trk->procs[i];
		const struct vc_tproc *c = rt->conf;

		fprintf(f, " VRRP Track process = %s\n", c->id.name);
		fprintf(f, "   Process = %s\n", c->process);
		if (c->params) {
			fputs("   Parameters =", f);
			for (const char *p = c->params; p < c->params + c->params_len; p += strlen(p) + 1)
				fprintf(f, " %s", p);
			fputc('\n', f);
		}
		fprintf(f, "   Min processes = %u\n", c->quorum);
		if (c->quorum_max < UINT_MAX)
			fprintf(f, "   Max processes = %u\n", c->quorum_max);
		fprintf(f, "   Current processes = %u\n", track_proc_mon_count(trk->mon, i));
		fprintf(f, "   Have quorum = %s\n", rt->have ? "true" : "false");
		fprintf(f, "   Weight = %d%s\n", c->weight, c->reverse ? " reverse" : "");
		fprintf(f, "   Terminate delay = %fs\n", (double)c->terminate_delay_us / 1e6);
		fprintf(f, "   Fork delay = %fs\n", (double)c->fork_delay_us / 1e6);
		fprintf(f, "   Full command = %s\n", c->full_command ? "true" : "false");
		dump_tracking(ctx, f, c->id.name, true);
	}
}

/* An instance's "Tracked files :" and "Tracked processes :" lines (its topology entry). */
void vrrp_trackers_dump_inst(const struct vrrp_ctx *ctx, const struct vrrp_inst *vi, FILE *f)
{
	const struct vc_more *m = vc_more(vi->conf);

	for (int proc = 0; proc < 2; proc++) {
		const struct vc_track_ref *refs = proc ? m->track_procs : m->track_files;
		unsigned n = proc ? m->n_track_procs : m->n_track_files;
		bool any = false;

		for (unsigned t = 0; t < n; t++) {
			if (vrrp_sync_member_script_dropped(vi, refs[t].weight))
				continue;
			if (!any)
				fputs(proc ? "   Tracked processes :\n" : "   Tracked files :\n", f);
			any = true;
			fprintf(f, "     %s, weight %d%s\n", refs[t].ref.name, refs[t].weight,
				refs[t].reverse ? " reverse" : "");
		}
	}
}
