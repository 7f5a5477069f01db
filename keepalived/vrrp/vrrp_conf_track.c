// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/vrrp/vrrp_conf_track.c: vrrp_track_process blocks; track_file/track_process references. */
#include "vrrp_conf_track.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/global_defs.h"
#include "core/track_file.h"
#include "core/track_process.h"
#include "vrrp_conf_int.h"
#include "utils.h"

/* ---- vrrp_track_process NAME { ... } ---- */

void *vc_open_tproc(struct cfg *c, void *parent, const struct cfg_args *a)
{
	struct vrrp_conf *vc = parent;
	struct vc_tproc *tp = xcalloc(1, sizeof(*tp));

	tp->is_dup = vrrp_conf_find_tproc(vc, a->argv[1]) != NULL;
	vc_set_ref(c, a, 1, &tp->id);
	tp->quorum = 1;
	tp->quorum_max = UINT_MAX;
	vc->tprocs = xrealloc(vc->tprocs, (vc->n_tprocs + 1) * sizeof(*vc->tprocs));
	vc->tprocs[vc->n_tprocs++] = tp;
	return tp;
}

int vc_close_tproc(struct cfg *c, void *obj)
{
	struct vc_tproc *tp = obj;

	if (!tp->process)
		cfg_mistake(c, "track process '%s' process name not specified", tp->id.name);
	return 0;
}

/* process NAME [PARAM ...]: parameters mean the command line is compared */
static int kw_process(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct vc_tproc *tp = obj;
	size_t len = 0;
	char *p;

	if (tp->process) {
		cfg_mistake_arg(c, 1, "Process already set for track process %s - ignoring %s",
				tp->id.name, a->argv[1]);
		return 0;
	}
	tp->process = xstrdup(a->argv[1]);
	if (a->argc <= 2)
		return 0;
	for (int i = 2; i < a->argc; i++)
		len += strlen(a->argv[i]) + 1;
	tp->params = p = xcalloc(1, len);
	tp->params_len = len;
	for (int i = 2; i < a->argc; i++) {
		strcpy(p, a->argv[i]);
		p += strlen(a->argv[i]) + 1;
	}
	if (tp->param_match == TRACK_PROC_PARAMS_NONE)
		tp->param_match = TRACK_PROC_PARAMS_EXACT;
	tp->full_command = true;
	return 0;
}

/* param_match [initial|partial]: none means exact */
static int kw_param_match(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct vc_tproc *tp = obj;

	if (a->argc < 2)
		tp->param_match = TRACK_PROC_PARAMS_EXACT;
	else if (!strcmp(a->argv[1], "initial"))
		tp->param_match = TRACK_PROC_PARAMS_INITIAL;
	else if (!strcmp(a->argv[1], "partial"))
		tp->param_match = TRACK_PROC_PARAMS_PARTIAL;
	else {
		cfg_mistake_arg(c, 1, "Invalid param_match type %s - ignoring", a->argv[1]);
		return 0;
	}
	tp->full_command = true;
	return 0;
}

/* A whole number in [min, max], as keepalived's read_int_strvec reads one. */
static bool read_int(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		return false;
	*out = v;
	return true;
}

static int kw_tp_weight(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct vc_tproc *tp = obj;
	long w;

	if (tp->weight) {
		cfg_mistake_arg(c, 1, "Weight already set for track process %s - ignoring %s",
				tp->id.name, a->argv[1]);
		return 0;
	}
	if (!read_int(a->argv[1], -254, 254, &w)) {
		cfg_mistake_arg(c, 1, "Weight (%s) for vrrp_track_process %s must be between "
				"[-254..254] inclusive. Ignoring...", a->argv[1], tp->id.name);
		return 0;
	}
	if (a->argc > 2) {
		if (!strcmp(a->argv[2], "reverse"))
			tp->reverse = true;
		else
			cfg_mistake_arg(c, 2, "vrrp_track_process %s unknown weight option %s",
					tp->id.name, a->argv[2]);
	}
	tp->weight = (int)w;
	return 0;
}

static int kw_quorum(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct vc_tproc *tp = obj;
	long q;

	if (!read_int(a->argv[1], 1, 65535, &q)) {
		cfg_mistake_arg(c, 1, "Quorum (%s) for vrrp_track_process %s must be between "
				"[1..65535] inclusive. Ignoring...", a->argv[1], tp->id.name);
		return 0;
	}
	if ((unsigned long)q > tp->quorum_max) {
		cfg_mistake_arg(c, 1, "Quorum is greater than quorum_max - ignoring");
		return 0;
	}
	tp->quorum = (unsigned)q;
	return 0;
}

static int kw_quorum_max(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct vc_tproc *tp = obj;
	long q;

	if (!read_int(a->argv[1], 0, 65535, &q)) {
		cfg_mistake_arg(c, 1, "quorum_max (%s) for vrrp_track_process %s must be between "
				"[0..65535] inclusive. Ignoring...", a->argv[1], tp->id.name);
		return 0;
	}
	/* quorum_max 0 (with no quorum above 1): the process must not run */
	if ((q || tp->quorum > 1) && (unsigned long)q < tp->quorum) {
		cfg_mistake_arg(c, 1, "quorum_max is less than quorum - ignoring");
		return 0;
	}
	tp->quorum_max = (unsigned)q;
	if (!q)
		tp->quorum = 0;
	else if (!tp->quorum)
		tp->quorum = 1;
	return 0;
}

enum { DELAY_BOTH, DELAY_TERMINATE, DELAY_FORK };

/* SECS with up to 6 decimals, 0.000001 to 3600 */
static int set_delay(struct cfg *c, struct vc_tproc *tp, const struct cfg_args *a, int which)
{
	static const char *const prefix[] = { "", "terminate_", "fork_" };
	char *end;
	double v;
	const char *dot = strchr(a->argv[1], '.');

	errno = 0;
	v = strtod(a->argv[1], &end);
	if (errno || end == a->argv[1] || *end || !isfinite(v) || v < 0.0000005 || v > 3600 ||
	    a->argv[1][0] == '-' || (dot && strlen(dot + 1) > 6)) {
		cfg_mistake_arg(c, 1, "%sdelay (%s) for vrrp_track_process %s must be between "
				"[0.000001..3600] inclusive. Ignoring...", prefix[which], a->argv[1],
				tp->id.name);
		return 0;
	}
	if (which != DELAY_FORK)
		tp->terminate_delay_us = (uint64_t)(v * 1e6 + 0.5);
	if (which != DELAY_TERMINATE)
		tp->fork_delay_us = (uint64_t)(v * 1e6 + 0.5);
	return 0;
}

static int kw_delay(struct cfg *c, void *obj, const struct cfg_args *a)
{
	return set_delay(c, obj, a, DELAY_BOTH);
}

static int kw_terminate_delay(struct cfg *c, void *obj, const struct cfg_args *a)
{
	return set_delay(c, obj, a, DELAY_TERMINATE);
}

static int kw_fork_delay(struct cfg *c, void *obj, const struct cfg_args *a)
{
	return set_delay(c, obj, a, DELAY_FORK);
}

static int kw_full_command(struct cfg *c, void *obj, const struct cfg_args *a)
{
	cfg_kw_flag(c, obj, a);
	((struct vc_tproc *)obj)->full_command = true;
	return 0;
}

const struct cfg_kw vc_track_process_kws[] = {
	CFG_KW("process", kw_process, CFG_ARGS(1, CFG_ANY)),
	CFG_KW("param_match", kw_param_match, CFG_OPT1),
	CFG_KW("weight", kw_tp_weight, CFG_ARGS(1, 2)),
	CFG_KW("quorum", kw_quorum, CFG_ARG1),
	CFG_KW("quorum_max", kw_quorum_max, CFG_ARG1),
	CFG_KW("delay", kw_delay, CFG_ARG1),
	CFG_KW("terminate_delay", kw_terminate_delay, CFG_ARG1),
	CFG_KW("fork_delay", kw_fork_delay, CFG_ARG1),
	CFG_KW("full_command", kw_full_command, CFG_FLAGARGS),
	{ 0 }
};

const struct vc_tproc *vrrp_conf_find_tproc(const struct vrrp_conf *vc, const char *name)
{
	for (unsigned i = 0; i < vc->n_tprocs; i++)
		if (vc->tprocs[i]->process && !vc->tprocs[i]->is_dup &&
		    !strcmp(vc->tprocs[i]->id.name, name))
			return vc->tprocs[i];
	return NULL;
}

/* ---- references: NAME [weight W [reverse|noreverse]] ---- */

/*
 * kind: "file" or "process" (keepalived's messages differ a little between the two:
 * kw names the keyword as its messages write it).
 */
static int add_ref(struct cfg *c, const struct cfg_args *a, const char *owner, const char *kind,
		   const char *kw, bool found, int weight, bool reverse,
		   struct vc_track_ref **refs, unsigned *n)
{
	const char *name = a->argv[0];
	long w;

	if (!found) {
		cfg_mistake_arg(c, 0, "(%s) track %s %s not found, ignoring...", owner, kind, name);
		return 0;
	}
	for (unsigned i = 0; i < *n; i++)
		if (!strcmp((*refs)[i].ref.name, name)) {
			cfg_mistake_arg(c, 0, "(%s) duplicate %s %s - ignoring", owner, kw, name);
			return 0;
		}
	if (a->argc >= 2) {
		if (strcmp(a->argv[1], "weight")) {
			cfg_mistake_arg(c, 1, "(%s) unknown track %s option %s - ignoring", owner, kind,
					a->argv[1]);
			return 0;
		}
		if (a->argc == 2) {
			cfg_mistake_arg(c, 1, "(%s) weight without value specified for track %s %s - "
					"ignoring", owner, kind, name);
			return 0;
		}
		if (read_int(a->argv[2], -254, 254, &w))
			weight = (int)w;
		else
			cfg_mistake_arg(c, 2, "(%s) weight for track %s %s must be in [-254..254] "
					"inclusive. Ignoring...", owner, kind, name);
		if (a->argc >= 4) {
			if (!strcmp(a->argv[3], "reverse")) {
				reverse = true;
			} else if (!strcmp(a->argv[3], "noreverse")) {
				reverse = false;
			} else {
				/* 2.2.7: "track file" but "track_process" */
				cfg_mistake_arg(c, 3, "(%s) unknown %s %s weight option %s - ignoring",
						owner, strcmp(kind, "file") ? kw : "track file", name,
						a->argv[3]);
				/* 2.2.7 drops a file's line here, keeps a process's */
				if (!strcmp(kind, "file"))
					return 0;
			}
		}
	}
	*refs = xrealloc(*refs, (*n + 1) * sizeof(**refs));
	(*refs)[*n] = (struct vc_track_ref){ .weight = weight, .reverse = reverse };
	vc_set_ref(c, a, 0, &(*refs)[*n].ref);
	(*n)++;
	return 0;
}

int vc_track_file_line(struct cfg *c, const struct cfg_args *a, const char *owner,
		       struct vc_track_ref **refs, unsigned *n)
{
	const struct global_defs *gd = cfg_root_obj(c, global_defs_root_kws);
	const struct track_file *tf = gd ? track_files_find(global_defs_track_files(gd),
							     a->argv[0]) : NULL;

	/* keepalived 2.2.7 finds only a track_file block written before the line */
	return add_ref(c, a, owner, "file", "track_file", tf != NULL, tf ? tf->weight : 0,
		       tf && tf->reverse, refs, n);
}

int vc_track_process_line(struct cfg *c, const struct cfg_args *a, const char *owner,
			  struct vc_track_ref **refs, unsigned *n)
{
	const struct vrrp_conf *vc = cfg_root_obj(c, vrrp_root_kws);
	const struct vc_tproc *tp = vc ? vrrp_conf_find_tproc(vc, a->argv[0]) : NULL;

	return add_ref(c, a, owner, "process", "track_process", tp != NULL, tp ? tp->weight : 0,
		       tp && tp->reverse, refs, n);
}

/* The instance's rarely set fields (vrrp_conf_inst.c has its own copy of this). */
static struct vc_more *more_of(struct vc_instance *vi)
{
	if (!vi->more) {
		vi->more = xmalloc(sizeof(*vi->more));
		*vi->more = vc_more_default;
	}
	return vi->more;
}

int vc_line_inst_track_file(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct vc_instance *vi = obj;
	struct vc_more *m = more_of(vi);

	return vc_track_file_line(c, a, vi->id.name, &m->track_files, &m->n_track_files);
}

int vc_line_inst_track_process(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct vc_instance *vi = obj;
	struct vc_more *m = more_of(vi);

	return vc_track_process_line(c, a, vi->id.name, &m->track_procs, &m->n_track_procs);
}

int vc_line_group_track_file(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct vc_group *g = obj;

	return vc_track_file_line(c, a, g->id.name, &g->track_files, &g->n_track_files);
}

int vc_line_group_track_process(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct vc_group *g = obj;

	return vc_track_process_line(c, a, g->id.name, &g->track_procs, &g->n_track_procs);
}

struct vc_track_ref vc_track_ref_eff(const struct vc_track_ref *own, const struct vc_track_ref *grp,
				     bool file)
{
	struct vc_track_ref r = *(own ? own : grp);

	if (own && grp && own->weight) {
		r.weight = grp->weight;
		if (file)	/* 2.2.7 takes a process's weight only, a file's reverse too */
			r.reverse = grp->reverse;
	}
	return r;
}

/* ---- after the parse ---- */

static bool has_ref(const struct vc_track_ref *refs, unsigned n, const char *name)
{
	for (unsigned k = 0; k < n; k++)
		if (!strcmp(refs[k].ref.name, name))
			return true;
	return false;
}

/* A sync group's trackers (keepalived 2.2.7's vrrp.c: sync group tracking). */
static void finish_group(struct cfg *c, const struct vrrp_conf *vc, unsigned gi)
{
	struct vc_group *g = vc->groups[gi];
	bool has_owner = false;

	for (unsigned i = 0; i < vc->n_insts; i++)
		if (vc->insts[i]->sync_group == (int)gi && !vc->insts[i]->is_dup &&
		    vc_priority(vc->insts[i]) == VC_PRIO_OWNER)
			has_owner = true;
	for (unsigned k = 0; k < g->n_track_files; k++)
		if (has_owner && g->track_files[k].weight) {
			vc_report(c, CFG_SEV_MISTAKE, &g->track_files[k].ref, "(%s) Cannot have "
				  "weighted track file '%s' with member having priority %d - setting "
				  "weight 0", g->id.name, g->track_files[k].ref.name, VC_PRIO_OWNER);
			g->track_files[k].weight = 0;
		}
	for (unsigned k = 0; k < g->n_track_procs; k++)
		if (has_owner && g->track_procs[k].weight) {
			vc_report(c, CFG_SEV_MISTAKE, &g->track_procs[k].ref, "(%s) Cannot have "
				  "weighted track process '%s' with member having priority %d - "
				  "setting weight 0", g->id.name, g->track_procs[k].ref.name,
				  VC_PRIO_OWNER);
			g->track_procs[k].weight = 0;
		}
	for (unsigned i = 0; i < vc->n_insts; i++) {
		const struct vc_instance *vi = vc->insts[i];
		const struct vc_more *m = vc_more(vi);

		if (vi->sync_group != (int)gi || vi->is_dup)
			continue;
		for (unsigned k = 0; k < g->n_track_files; k++)
			if (has_ref(m->track_files, m->n_track_files, g->track_files[k].ref.name))
				vc_report(c, CFG_SEV_WARNING, &g->track_files[k].ref, "(%s) track_file "
					  "%s is configured on VRRP instance and sync group. Remove vrrp "
					  "instance config", vi->id.name, g->track_files[k].ref.name);
		for (unsigned k = 0; k < g->n_track_procs; k++)
			if (has_ref(m->track_procs, m->n_track_procs, g->track_procs[k].ref.name))
				vc_report(c, CFG_SEV_WARNING, &g->track_procs[k].ref, "(%s) "
					  "track_process %s is configured on VRRP instance and sync group. "
					  "Remove vrrp instance config", vi->id.name,
					  g->track_procs[k].ref.name);
	}
}

static void drop_ref(struct vc_track_ref *refs, unsigned *n, unsigned k)
{
	free(refs[k].ref.name);
	memmove(&refs[k], &refs[k + 1], (*n - k - 1) * sizeof(*refs));
	(*n)--;
}

void vc_finish_trackers(struct cfg *c, struct vrrp_conf *vc)
{
	for (unsigned i = 0; i < vc->n_insts; i++) {
		struct vc_instance *vi = vc->insts[i];
		struct vc_more *m = vi->more;
		bool in_group = vi->sync_group >= 0 && (unsigned)vi->sync_group < vc->n_groups &&
				!vc->groups[vi->sync_group]->tracking_weight;
		const char *why = in_group ? "SYNC group" : "address_owner";

		if (vi->is_dup || !m || (!in_group && vc_priority(vi) != VC_PRIO_OWNER))
			continue;
		for (unsigned k = 0; k < m->n_track_files;) {
			struct vc_track_ref *t = &m->track_files[k];

			if (t->weight == 1) {	/* the block's default */
				vc_report(c, CFG_SEV_MISTAKE, &t->ref, "(%s) ignoring weight from "
					  "tracked file %s due to %s. specify weight 0", vi->id.name,
					  t->ref.name, why);
				t->weight = 0;
			} else if (t->weight) {
				vc_report(c, CFG_SEV_MISTAKE, &t->ref, "(%s) ignoring tracked file %s "
					  "with weight %d due to %s", vi->id.name, t->ref.name,
					  t->weight, why);
				drop_ref(m->track_files, &m->n_track_files, k);
				continue;
			}
			k++;
		}
		/* keepalived 2.2.7 has no such check for processes (spec 13, item 10) */
		for (unsigned k = 0; k < m->n_track_procs;) {
			struct vc_track_ref *t = &m->track_procs[k];

			if (t->weight) {
				vc_report(c, CFG_SEV_MISTAKE, &t->ref, "(%s) ignoring tracked process "
					  "%s with weight %d due to %s", vi->id.name, t->ref.name,
					  t->weight, why);
				drop_ref(m->track_procs, &m->n_track_procs, k);
				continue;
			}
			k++;
		}
	}
	for (unsigned gi = 0; gi < vc->n_groups; gi++)
		if (!vc->groups[gi]->is_dup)
			finish_group(c, vc, gi);
}

static void free_refs(struct vc_track_ref *refs, unsigned n)
{
	for (unsigned k = 0; k < n; k++)
		free(refs[k].ref.name);
	free(refs);
}

void vc_free_trackers(struct vrrp_conf *vc)
{
	for (unsigned i = 0; i < vc->n_insts; i++) {
		struct vc_more *m = vc->insts[i]->more;

		if (!m)
			continue;
		free_refs(m->track_files, m->n_track_files);
		free_refs(m->track_procs, m->n_track_procs);
		m->track_files = m->track_procs = NULL;
		m->n_track_files = m->n_track_procs = 0;
	}
	for (unsigned i = 0; i < vc->n_groups; i++) {
		struct vc_group *g = vc->groups[i];

		free_refs(g->track_files, g->n_track_files);
		free_refs(g->track_procs, g->n_track_procs);
		g->track_files = g->track_procs = NULL;
		g->n_track_files = g->n_track_procs = 0;
	}
	for (unsigned i = 0; i < vc->n_tprocs; i++) {
		free(vc->tprocs[i]->id.name);
		free(vc->tprocs[i]->process);
		free(vc->tprocs[i]->params);
		free(vc->tprocs[i]);
	}
	free(vc->tprocs);
	vc->tprocs = NULL;
	vc->n_tprocs = 0;
}

/* ---- dump ---- */

static void dump_secs(FILE *f, const char *kw, uint64_t us)
{
	fprintf(f, "\t%s ", kw);
	cfg_dump_secs(f, us);
	fputc('\n', f);
}

void vc_dump_tprocs(FILE *f, const struct vrrp_conf *vc)
{
	static const char *const match[] = { "", "", " partial", " initial" };

	for (unsigned i = 0; i < vc->n_tprocs; i++) {
		const struct vc_tproc *tp = vc->tprocs[i];

		if (tp->is_dup || !tp->process)
			continue;
		fputs("vrrp_track_process ", f);
		cfg_dump_word(f, tp->id.name);
		fputs(" {\n", f);
		if (tp->param_match != TRACK_PROC_PARAMS_NONE)
			fprintf(f, "\tparam_match%s\n", match[tp->param_match]);
		fputs("\tprocess ", f);
		cfg_dump_word(f, tp->process);
		for (const char *p = tp->params; p && p < tp->params + tp->params_len;
		     p += strlen(p) + 1) {
			fputc(' ', f);
			cfg_dump_word(f, p);
		}
		fputc('\n', f);
		if (tp->full_command)
			fputs("\tfull_command\n", f);
		if (tp->weight)
			fprintf(f, "\tweight %d%s\n", tp->weight, tp->reverse ? " reverse" : "");
		if (tp->quorum_max != UINT_MAX)
			fprintf(f, "\tquorum_max %u\n", tp->quorum_max);
		if (tp->quorum > 1)
			fprintf(f, "\tquorum %u\n", tp->quorum);
		if (tp->fork_delay_us)
			dump_secs(f, "fork_delay", tp->fork_delay_us);
		if (tp->terminate_delay_us)
			dump_secs(f, "terminate_delay", tp->terminate_delay_us);
		fputs("}\n", f);
	}
}

static void dump_refs(FILE *f, const char *kw, const struct vc_track_ref *refs, unsigned n)
{
	if (!n)
		return;
	fprintf(f, "\t%s {\n", kw);
	for (unsigned k = 0; k < n; k++) {
		fputs("\t\t", f);
		cfg_dump_word(f, refs[k].ref.name);
		fprintf(f, " weight %d %s\n", refs[k].weight,
			refs[k].reverse ? "reverse" : "noreverse");
	}
	fputs("\t}\n", f);
}

void vc_dump_track_refs(FILE *f, const struct vc_more *m)
{
	dump_refs(f, "track_file", m->track_files, m->n_track_files);
	dump_refs(f, "track_process", m->track_procs, m->n_track_procs);
}

void vc_dump_group_track_refs(FILE *f, const struct vc_group *g)
{
	dump_refs(f, "track_file", g->track_files, g->n_track_files);
	dump_refs(f, "track_process", g->track_procs, g->n_track_procs);
}
