// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/vrrp/vrrp_conf_group.c: the vrrp_sync_group block (checked, not acted on yet). */
#include <errno.h>

#include "vrrp_conf_int.h"
#include "utils.h"
#include "vrrp_conf_host.h"
#include "vrrp_conf_track.h"

static void add_ref(struct cfg *c, const struct cfg_args *a, struct vc_ref **v, unsigned *n)
{
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	vc_set_ref(c, a, 0, &(*v)[(*n)++]);
}

/* The sync group's track_interface: checked, not acted on (sync groups are not yet). */
static int line_group_track_interface(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct vc_track_opts o;

	struct vc_group *g = obj;

	if (vc_parse_track_opts(c, a, "track_interface", false, &o) < 0 ||
	    vc_check_ifname(c, a, 0, "track_interface") < 0)
		return -EINVAL;
	add_ref(c, a, &g->track_ifs, &g->n_track_ifs);
	return 0;
}

static int line_group_track_script(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct vc_group *g = obj;
	struct vc_track_opts o;

	if (vc_parse_track_opts(c, a, "track_script", true, &o) < 0)
		return -EINVAL;
	add_ref(c, a, &g->track_scripts, &g->n_track_scripts);
	vc_add_line(a, &g->track_script_lines);
	return 0;
}

/* group { VRRP_INSTANCE ... }: one name per line (several per line are taken too) */
static void *open_group_members(struct cfg *c, void *parent, const struct cfg_args *a)
{
	struct vc_group *g = parent;

	if (g->has_group) {
		cfg_error(c, "vrrp_sync_group '%s' already has a group list", g->id.name);
		return NULL;
	}
	g->has_group = true;
	return g;
}

static int line_group_member(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct vc_group *g = obj;

	for (int i = 0; i < a->argc; i++) {
		g->members = xrealloc(g->members, (g->n_members + 1) * sizeof(*g->members));
		vc_set_ref(c, a, i, &g->members[g->n_members++]);
	}
	return 0;
}

#define VG(o) ((struct vc_group *)(o))
SET_CMD(kw_group_notify_master, VG, notify_master)
SET_CMD(kw_group_notify_backup, VG, notify_backup)
SET_CMD(kw_group_notify_fault, VG, notify_fault)
SET_CMD(kw_group_notify_stop, VG, notify_stop)
SET_CMD(kw_group_notify, VG, notify)
SET_FLAG(kw_group_tracking_weight, VG, tracking_weight, true)
#undef VG

const struct cfg_kw vc_sync_group_kws[] = {
	CFG_KW_LATER("group", NULL, .line = line_group_member, .open = open_group_members),
	CFG_KW_LATER("track_interface", NULL, .line = line_group_track_interface),
	CFG_KW_LATER("track_script", NULL, .line = line_group_track_script),
	/* acted on (vrrp_trackers.c) once vrrp_sync_group is: then CFG_KW */
	CFG_KW_LATER("track_file", NULL, .line = vc_line_group_track_file),
	CFG_KW_LATER("track_process", NULL, .line = vc_line_group_track_process),
	CFG_KW_LATER("track_bfd", NULL, .line = cfg_line_any),
	CFG_KW_LATER("notify_master", kw_group_notify_master, CFG_ARGS(1, 3)),
	CFG_KW_LATER("notify_backup", kw_group_notify_backup, CFG_ARGS(1, 3)),
	CFG_KW_LATER("notify_fault", kw_group_notify_fault, CFG_ARGS(1, 3)),
	CFG_KW_LATER("notify_stop", kw_group_notify_stop, CFG_ARGS(1, 3)),
	CFG_KW_LATER("notify", kw_group_notify, CFG_ARGS(1, 3)),
	CFG_KW_LATER("smtp_alert", NULL, CFG_OPT1),
	CFG_KW_LATER("global_tracking", NULL, CFG_FLAGARGS,
		     CFG_ALIAS("track_interface/track_script/track_file on the sync group")),
	CFG_KW_LATER("sync_group_tracking_weight", kw_group_tracking_weight, CFG_FLAGARGS),
	CFG_KW_LATER("notify_priority_changes", cfg_kw_check_bool, CFG_OPT1),
	{ 0 }
};

void *vc_open_group(struct cfg *c, void *parent, const struct cfg_args *a)
{
	struct vrrp_conf *vc = parent;
	struct vc_group *g = xcalloc(1, sizeof(*g));

	g->is_dup = vc_check_dup(c, a, vc, &vc_tag_group, true);
	vc_set_ref(c, a, 1, &g->id);
	vc_name_put(vc, &vc_tag_group, &g->id);
	vc->groups = xrealloc(vc->groups, (vc->n_groups + 1) * sizeof(*vc->groups));
	vc->groups[vc->n_groups++] = g;
	return g;
}
