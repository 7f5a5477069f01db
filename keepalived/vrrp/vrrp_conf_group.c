// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/vrrp/vrrp_conf_group.c: the vrrp_sync_group block (the runtime is vrrp_sync.c). */
#include <errno.h>
#include <string.h>

#include "vrrp_conf_int.h"
#include "utils.h"
#include "vrrp_conf_host.h"
#include "vrrp_conf_track.h"

/*
 * keepalived 2.2.7's messages for a sync group's block (vrrp_parser.c) are kept word for
 * word; it reports them and goes on, so they are mistakes: the daemon runs, -t fails.
 */

static int line_group_track_interface(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct vc_group *g = obj;
	struct vc_track_opts o;
	struct vc_track_if *t;

	if (vc_parse_track_opts(c, a, "track_interface", false, &o) < 0 ||
	    vc_check_ifname(c, a, 0, "track_interface") < 0)
		return -EINVAL;
	g->track_ifs = xrealloc(g->track_ifs, (g->n_track_ifs + 1) * sizeof(*g->track_ifs));
	t = &g->track_ifs[g->n_track_ifs++];
	*t = (struct vc_track_if){ .name = xstrdup(a->argv[0]), .weight = o.weight,
				   .reverse = o.reverse };
	vc_set_at(c, a, 0, &t->at);
	vc_add_line(a, &g->track_if_lines);
	return 0;
}

static int line_group_track_script(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct vc_group *g = obj;
	struct vc_track_opts o;
	struct vc_track_script *t;

	if (vc_parse_track_opts(c, a, "track_script", true, &o) < 0)
		return -EINVAL;
	g->track_scripts = xrealloc(g->track_scripts,
				    (g->n_track_scripts + 1) * sizeof(*g->track_scripts));
	t = &g->track_scripts[g->n_track_scripts++];
	*t = (struct vc_track_script){ .weight = o.weight, .has_weight = o.has_weight,
				       .reverse = o.reverse, .has_reverse = o.has_reverse,
				       .script = -1 };
	vc_set_ref(c, a, 0, &t->ref);
	vc_add_line(a, &g->track_script_lines);
	return 0;
}

/* group { VRRP_INSTANCE ... }: one name per line (several per line are taken too) */
static void *open_group_members(struct cfg *c, void *parent, const struct cfg_args *a)
{
	struct vc_group *g = parent;

	(void)a;
	if (g->has_group) {
		cfg_mistake(c, "Group list already specified for sync group %s", g->id.name);
		return NULL;
	}
	g->has_group = true;
	return g;
}

static int close_group_members(struct cfg *c, void *obj)
{
	struct vc_group *g = obj;

	if (!g->n_members)
		cfg_mistake(c, "Warning - sync group %s has empty group block", g->id.name);
	return 0;
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

/* keepalived keeps the first notify script of each kind and names the one it ignores. */
static int set_group_cmd(struct cfg *c, struct vc_group *g, const struct cfg_args *a,
			 struct vc_cmd *cmd, const char *what)
{
	if (cmd->cmd) {
		cfg_mistake(c, "vrrp group %s: %s already specified - ignoring %s", g->id.name,
			    what, a->argv[1]);
		return 0;
	}
	return vc_set_cmd(c, a, cmd);
}

#define GROUP_CMD(fn, field, what)						\
	static int fn(struct cfg *c, void *obj, const struct cfg_args *a)	\
	{									\
		struct vc_group *g = obj;					\
		return set_group_cmd(c, g, a, &g->field, what);			\
	}
GROUP_CMD(kw_group_notify_master, notify_master, "notify_master script")
GROUP_CMD(kw_group_notify_backup, notify_backup, "notify_backup script")
GROUP_CMD(kw_group_notify_fault, notify_fault, "notify_fault script")
GROUP_CMD(kw_group_notify_stop, notify_stop, "notify_stop script")
GROUP_CMD(kw_group_notify, notify, "notify script")
#undef GROUP_CMD

static int kw_group_tracking_weight(struct cfg *c, void *obj, const struct cfg_args *a)
{
	cfg_kw_flag(c, obj, a);
	((struct vc_group *)obj)->tracking_weight = true;
	return 0;
}

static int kw_group_global_tracking(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct vc_group *g = obj;

	cfg_mistake(c, "(%s) global_tracking is deprecated. Use track_interface/script/file on "
		    "the sync group", g->id.name);
	return kw_group_tracking_weight(c, obj, a);
}

/* notify_priority_changes [BOOL]: the members' default (vrrp_notify.c) */
static int kw_group_notify_prio(struct cfg *c, void *obj, const struct cfg_args *a)
{
	bool b;

	if (cfg_bool(c, a, 1, &b) < 0)
		return -EINVAL;
	((struct vc_group *)obj)->notify_priority_changes = b;
	return 0;
}

/* smtp_alert [BOOL]: stored for the SMTP alerts (see vrrp_sync.h) */
static int kw_group_smtp_alert(struct cfg *c, void *obj, const struct cfg_args *a)
{
	static const char *const yes[] = { "on", "true", "yes", NULL };
	static const char *const no[] = { "off", "false", "no", NULL };
	struct vc_group *g = obj;

	if (a->argc < 2) {
		g->smtp_alert = 1;
		return 0;
	}
	for (int i = 0; yes[i]; i++)
		if (!strcasecmp(a->argv[1], yes[i]))
			return g->smtp_alert = 1, 0;
	for (int i = 0; no[i]; i++)
		if (!strcasecmp(a->argv[1], no[i]))
			return g->smtp_alert = 0, 0;
	cfg_mistake(c, "Invalid vrrp_group smtp_alert parameter %s", a->argv[1]);
	return 0;
}

const struct cfg_kw vc_sync_group_kws[] = {
	CFG_KW("group", NULL, .line = line_group_member, .open = open_group_members,
	       .close = close_group_members),
	CFG_KW("track_interface", NULL, .line = line_group_track_interface),
	CFG_KW("track_script", NULL, .line = line_group_track_script),
	CFG_KW("track_file", NULL, .line = vc_line_group_track_file),
	CFG_KW("track_process", NULL, .line = vc_line_group_track_process),
	CFG_KW_LATER("track_bfd", NULL, .line = cfg_line_any),
	CFG_KW("notify_master", kw_group_notify_master, CFG_ARGS(1, 3)),
	CFG_KW("notify_backup", kw_group_notify_backup, CFG_ARGS(1, 3)),
	CFG_KW("notify_fault", kw_group_notify_fault, CFG_ARGS(1, 3)),
	CFG_KW("notify_stop", kw_group_notify_stop, CFG_ARGS(1, 3)),
	CFG_KW("notify", kw_group_notify, CFG_ARGS(1, 3)),
	CFG_KW("smtp_alert", kw_group_smtp_alert, CFG_OPT1),
	CFG_KW("global_tracking", kw_group_global_tracking, CFG_FLAGARGS),
	CFG_KW("sync_group_tracking_weight", kw_group_tracking_weight, CFG_FLAGARGS),
	CFG_KW("notify_priority_changes", kw_group_notify_prio, CFG_OPT1),
	{ 0 }
};

void *vc_open_group(struct cfg *c, void *parent, const struct cfg_args *a)
{
	struct vrrp_conf *vc = parent;
	struct vc_group *g;

	if (a->argc != 2) {
		cfg_mistake(c, "vrrp_sync_group must have a name - skipping");
		return NULL;
	}
	if (vc_name_get(vc, &vc_tag_group, a->argv[1])) {
		cfg_mistake(c, "vrrp sync group %s already defined", a->argv[1]);
		return NULL;
	}
	g = xcalloc(1, sizeof(*g));
	g->smtp_alert = -1;
	g->notify_priority_changes = -1;
	vc_set_ref(c, a, 1, &g->id);
	vc_name_put(vc, &vc_tag_group, &g->id);
	vc->groups = xrealloc(vc->groups, (vc->n_groups + 1) * sizeof(*vc->groups));
	vc->groups[vc->n_groups++] = g;
	return g;
}
