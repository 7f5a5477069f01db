// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/vrrp/vrrp_reload.c: SIGHUP: adopt a new config, applying each instance's changes in place. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "scheduler.h"
#include "vrrp_ctx.h"
#include "vrrp_static.h"
#include "vrrp_eff.h"
#include "vrrp_fw.h"
#include "vrrp_lvs_sync.h"
#include "vrrp_notify.h"
#include "vrrp_sync.h"
#include "vrrp_misc.h"
#include "vrrp_track.h"
#include "vrrp_trackers.h"

/* An object's dump as a string, to compare two configs' versions of it. */
#define DUMP_TEXT(name, type, dump_fn)				\
	static char *name(const type *obj)			\
	{							\
		char *buf = NULL;				\
		size_t len = 0;					\
		FILE *f = open_memstream(&buf, &len);		\
								\
		dump_fn(f, obj);				\
		fclose(f);					\
		return buf;					\
	}
DUMP_TEXT(inst_text, struct vc_instance, vrrp_conf_dump_instance)
DUMP_TEXT(script_text, struct vc_script, vrrp_conf_dump_script)

static bool same_inst(const struct vc_instance *a, const struct vc_instance *b)
{
	char *ta = inst_text(a), *tb = inst_text(b);
	bool same = !strcmp(ta, tb);

	free(ta);
	free(tb);
	return same;
}

/*
 * Scripts whose definition did not change keep their runtime (state, counters,
 * a run in progress; their command is prepared again); changed ones start afresh from the
 * old one's result.
 */
static void reload_scripts(struct vrrp_ctx *ctx, const struct vrrp_conf *nc)
{
	struct vrrp_script_rt **old = ctx->scripts;
	unsigned n_old = ctx->n_scripts;
	struct vrrp_script_rt **kept = xcalloc(nc->n_scripts ? nc->n_scripts : 1, sizeof(*kept));
	struct vrrp_script_rt **prev = xcalloc(nc->n_scripts ? nc->n_scripts : 1, sizeof(*prev));

	for (unsigned i = 0; i < nc->n_scripts; i++) {
		char *t = script_text(nc->scripts[i]);

		for (unsigned k = 0; k < n_old && !nc->scripts[i]->is_dup; k++) {
			char *to;

			if (!old[k] || strcmp(old[k]->conf->id.name, nc->scripts[i]->id.name))
				continue;
			to = script_text(old[k]->conf);
			if (!strcmp(t, to))
				kept[i] = old[k];
			else
				prev[i] = old[k];
			old[k] = NULL;
			free(to);
		}
		free(t);
	}
	/* what is left of the old ones goes; the kept ones run on, the new ones start */
	vrrp_scripts_free(ctx);
	ctx->conf = nc;
	vrrp_scripts_start(ctx, kept);
	vrrp_scripts_carry(ctx, prev);
	free(kept);
	free(prev);
}

/* A kept instance: its settings under the old config and under the new one. */
struct kept {
	const struct vc_instance *c;	/* its new block */
	struct vrrp_eff was, now;
	bool new_vips;			/* it holds VIPs, and some are new */
};

/*
 * Instances are matched by name. One whose identity (interface, VRID, family, unicast or
 * multicast) is unchanged keeps its state, timers and VIPs, and takes the new settings in
 * place; the others restart, and say why. Settings are compared as computed (block plus
 * global_defs), so a changed global_defs reaches instances whose block did not change.
 */
int vrrp_ctx_reload(struct vrrp_ctx *ctx, const struct vrrp_conf *nc, const struct gd_vrrp *gd)
{
	struct vrrp_inst **old = ctx->insts;
	unsigned n_old = ctx->n_insts, cap = nc->n_insts ? nc->n_insts : 1;
	struct vrrp_inst **insts = xcalloc(cap, sizeof(*insts));
	/* the new instances' configs, where insts[i] is still to be made */
	const struct vc_instance **make = xcalloc(cap, sizeof(*make));
	struct kept *kept = xcalloc(cap, sizeof(*kept));
	const struct vc_routes *old_statics = ctx->conf->statics;	/* routes */
	unsigned n = 0, n_same = 0, n_changed = 0, n_added = 0, n_restarted = 0, n_removed = 0;
	char what[128];

	vrrp_ctx_netlink_bufs(ctx);	/* ctx->cmds.gd is the new one */
	/* changed lvs_sync_daemon settings stop its daemon first (ctx->cmds.gd is the new one) */
	if (vrrp_lvs_sync)
		ctx->lvs = vrrp_lvs_sync->reload_begin(ctx->lvs, ctx->cmds.gd, nc);
	for (unsigned i = 0; i < nc->n_insts; i++) {
		const struct vc_instance *c = nc->insts[i];
		bool known = false;

		if (c->is_dup)
			continue;
		for (unsigned k = 0; k < n_old && !known; k++) {
			if (!old[k] || strcmp(old[k]->name, c->id.name))
				continue;
			known = true;
			vrrp_eff_compute(old[k]->conf, &ctx->gd, &kept[n].was);
			vrrp_eff_compute(c, gd, &kept[n].now);
			if (vrrp_eff_identity_change(&kept[n].was, &kept[n].now, what, sizeof(what))) {
				log_info("(%s) %s: restarting the instance", c->id.name, what);
				vrrp_inst_retire(old[k]);
				make[n] = c;
				n_restarted++;
			} else {
				insts[n] = old[k];
				kept[n].c = c;
				if (vrrp_eff_same(&kept[n].was, &kept[n].now) &&
				    same_inst(old[k]->conf, c))
					n_same++;
				else
					n_changed++;
			}
			old[k] = NULL;
		}
		if (!known) {
			make[n] = c;
			n_added++;
		}
		n++;
	}
	for (unsigned k = 0; k < n_old; k++)
		if (old[k]) {
			log_info("(%s) removed from the configuration: stopping it", old[k]->name);
			vrrp_inst_retire(old[k]);
			n_removed++;
		}
	free(old);
	ctx->insts = insts;
	ctx->n_insts = n;
	ctx->gd = *gd;
	/* the shared GARP/NA pacing: every instance's addresses point at it */
	garp_pace_set(ctx->pace, gd->garp_interval_us, gd->gna_interval_us);
	ctx->cmds.n_cmds = ctx->cmds.n_insecure = 0;
	vrrp_fw_ctx_conf(ctx, nc);	/* a new table name: made again with what is held */
	for (unsigned i = 0; i < n; i++)
		if (!make[i])
			kept[i].new_vips = vrrp_inst_reconf(insts[i], kept[i].c, &kept[i].was,
							    &kept[i].now);
	for (unsigned i = 0; i < n; i++)	/* accept mode, addresses: before new ones go in */
		if (!make[i])
			vrrp_fw_inst_reconf(insts[i], &kept[i].now);
	for (unsigned i = 0; i < n; i++)	/* after every removal */
		if (!make[i] && kept[i].new_vips)
			vrrp_inst_set_new_vips(insts[i]);
	reload_scripts(ctx, nc);
	vrrp_trackers_reload(ctx);
	vrrp_static_reload(ctx, old_statics, nc->statics);	/* routes: the differences */
	for (unsigned i = 0; i < n; i++)
		if (make[i])
			insts[i] = vrrp_inst_new(ctx, make[i]);
	/* script_user and enable_script_security apply anew to the instances kept too */
	for (unsigned i = 0; i < n; i++)
		if (!make[i])
			vrrp_cmd_prepare_notify(insts[i]);
	vrrp_notify_reload(ctx->notify, &ctx->cmds);	/* FIFOs whose settings changed */
	vrrp_sync_reload(ctx);
	process_security_summary(ctx->cmds.n_cmds, ctx->cmds.n_insecure, ctx->cmds.security);
	vrrp_misc_reload(ctx);
	for (unsigned i = 0; i < n; i++)
		if (make[i])
			vrrp_inst_begin(insts[i]);
		else
			vrrp_inst_track_update(insts[i]);
	if (vrrp_notify_states_on_reload(ctx->notify)) {
		bool *was_kept = xcalloc(n + 1, sizeof(*was_kept));

		for (unsigned i = 0; i < n; i++)
			was_kept[i] = !make[i];
		vrrp_notify_reload_states(ctx, was_kept);
		free(was_kept);
	}
	if (ctx->lvs)
		vrrp_lvs_sync->reload_end(ctx->lvs, ctx);
	free(make);
	free(kept);
	log_info("VRRP reload: %u instance(s) kept as they were, %u changed in place, %u restarted, "
		 "%u added, %u removed", n_same, n_changed, n_restarted, n_added, n_removed);
	return 0;
}
