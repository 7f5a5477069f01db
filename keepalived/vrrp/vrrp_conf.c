// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/vrrp/vrrp_conf.c: VRRP config: shared helpers, names, top-level keywords. */
#include "vrrp_conf.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vrrp_conf_int.h"
#include "vrrp_conf_track.h"
#include "vrrp_route_conf.h"
#include "userdb.h"
#include "utils.h"
#include "zone.h"

/*
 * One copy of s owned by the vrrp_conf being filled (file and interface names:
 * few distinct ones, each written by many objects). The last one is tried first.
 */
const char *vc_intern(struct cfg *c, const char *s)
{
	struct vrrp_conf *vc = cfg_root_obj(c, vrrp_root_kws);

	for (unsigned i = vc->n_strs; i-- > 0;)
		if (!strcmp(vc->strs[i], s))
			return vc->strs[i];
	vc->strs = xrealloc(vc->strs, (vc->n_strs + 1) * sizeof(*vc->strs));
	return vc->strs[vc->n_strs++] = xstrdup(s);
}

void vc_set_ref(struct cfg *c, const struct cfg_args *a, int i, struct vc_ref *r)
{
	r->name = xstrdup(a->argv[i]);
	r->file = vc_intern(c, a->file);
	r->line = a->line;
	r->col = cfg_col(c, i);
}

void vc_set_at(struct cfg *c, const struct cfg_args *a, int i, struct vc_at *at)
{
	*at = (struct vc_at){ .file = vc_intern(c, a->file), .line = a->line, .col = cfg_col(c, i) };
}

void vc_report(struct cfg *c, enum cfg_sev sev, const struct vc_ref *r, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cfg_report_at(c, sev, r->file, r->line, r->col, "%s", msg);
}

static void free_ref(struct vc_ref *r)
{
	free(r->name);
}

static void free_refs(struct vc_ref *v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		free_ref(&v[i]);
	free(v);
}

/* Keeps the line's words joined by single spaces (quoted where needed). */
void vc_add_line(const struct cfg_args *a, struct vc_lines *l)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	for (int i = 0; i < a->argc; i++) {
		if (i)
			fputc(' ', f);
		cfg_dump_word(f, a->argv[i]);
	}
	fclose(f);
	l->v = xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
	l->v[l->n++] = buf;
}

static void free_lines(struct vc_lines *l)
{
	for (unsigned i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

/*
 * SCRIPT [USER [[:]GROUP]]. keepalived 2.2.7 does not run a notify script whose user or
 * group does not exist, and its -t passes: a warning here, and the names are kept so that
 * the child refuses the script (vrrp_cmd_prepare()) instead of running it as another user.
 */
int vc_set_cmd(struct cfg *c, const struct cfg_args *a, struct vc_cmd *cmd)
{
	uid_t uid;
	gid_t gid;

	free(cmd->user);
	free(cmd->group);
	cmd->user = cmd->group = NULL;
	if (a->argc > 2) {
		cmd->user = xstrdup(a->argv[2]);
		if (a->argc > 3)
			cmd->group = xstrdup(userdb_group_name(a->argv[3]));
		switch (userdb_lookup(cmd->user, cmd->group, &uid, &gid)) {
		case USERDB_NO_USER:
			cfg_warn_arg(c, 2, "'%s': user '%s' does not exist: the script is not run",
				     a->argv[0], a->argv[2]);
			break;
		case USERDB_NO_GROUP:
			cfg_warn_arg(c, 3, "'%s': group '%s' does not exist: the script is not run",
				     a->argv[0], cmd->group);
			break;
		case USERDB_OK:
			break;
		}
	}
	cfg_str(c, a, 1, &cmd->cmd);
	vc_set_at(c, a, 1, &cmd->at);
	return 0;
}

static void free_cmd(struct vc_cmd *cmd)
{
	free(cmd->cmd);
	free(cmd->user);
	free(cmd->group);
}

/* Names of instances, scripts and groups: one hash map, a tag per kind. */
const char vc_tag_inst = 'i', vc_tag_script = 's', vc_tag_group = 'g';

const struct vc_ref *vc_name_get(const struct vrrp_conf *vc, const char *tag, const char *name)
{
	const struct cfg_map_ent *e = cfg_map_get(vc->names, tag, name);

	return e ? e->val : NULL;
}

/* Remembers the first definition of a name (the key is the object's own copy). */
void vc_name_put(struct vrrp_conf *vc, const char *tag, struct vc_ref *r)
{
	bool added;
	struct cfg_map_ent *e = cfg_map_put(vc->names, tag, r->name, &added);

	if (added)
		e->val = r;
}

/* Is the name of this new object taken? Reported (error or warning); the block is still checked. */
bool vc_check_dup(struct cfg *c, const struct cfg_args *a, const struct vrrp_conf *vc,
		  const char *tag, bool is_error)
{
	const struct vc_ref *r = vc_name_get(vc, tag, a->argv[1]);

	if (!r)
		return false;
	if (is_error)
		cfg_error_arg(c, 1, "%s '%s' is already defined at %s:%d", a->argv[0], a->argv[1],
			      r->file, r->line);
	else
		cfg_warn_arg(c, 1, "%s '%s' is already defined at %s:%d: this one is ignored",
			     a->argv[0], a->argv[1], r->file, r->line);
	return true;
}

const struct cfg_kw vrrp_root_kws[] = {
	CFG_KW("vrrp_instance", NULL, CFG_ARG1, .block = vc_instance_kws, .open = vc_open_instance),
	CFG_KW("vrrp_script", NULL, CFG_ARG1, .block = vc_script_kws, .open = vc_open_script,
	       .close = vc_close_script),
	CFG_KW("vrrp_sync_group", NULL, CFG_ARGS(0, CFG_ANY), .block = vc_sync_group_kws,
		     .open = vc_open_group),
	CFG_KW("static_ipaddress", NULL, .line = vc_line_static_addr),
	CFG_KW("static_routes", NULL, .line = vc_line_static_route),
	CFG_KW("static_rules", NULL, .line = vc_line_static_rule),
	CFG_KW("track_group", NULL, CFG_ARG1, .block = vc_track_group_kws,
	       .open = vc_open_track_group),
	CFG_KW("garp_group", NULL, .block = vc_garp_group_kws, .open = vc_open_garp_group,
	       .close = vc_close_garp_group),
	CFG_KW("linkbeat_interfaces", NULL, .line = vc_line_linkbeat),
	CFG_KW("interface_up_down_delays", NULL, .line = vc_line_if_delays),
	/* track_file / vrrp_track_file: global_defs' (core/track_file.c), shared with the checker */
	CFG_KW("vrrp_track_process", NULL, CFG_ARG1, .block = vc_track_process_kws,
	       .open = vc_open_tproc, .close = vc_close_tproc),
	{ 0 }
};

void *vrrp_conf_new(void)
{
	struct vrrp_conf *vc = xcalloc(1, sizeof(*vc));

	vc->names = xcalloc(1, sizeof(*vc->names));
	return vc;
}

void vrrp_conf_free(void *conf)
{
	struct vrrp_conf *vc = conf;

	if (!vc)
		return;
	vc_free_trackers(vc);
	for (unsigned i = 0; i < vc->n_insts; i++) {
		struct vc_instance *vi = vc->insts[i];

		struct vc_more *m = vi->more;

		zone_free(vi->vip_ia);
		zone_free(vi->evip_ia);
		if (m) {
			free(m->peers);
			for (unsigned k = 0; k < m->n_track_ifs; k++)
				free(m->track_ifs[k].name);
			free(m->track_ifs);
			for (unsigned k = 0; k < m->n_track_scripts; k++)
				free_ref(&m->track_scripts[k].ref);
			free(m->track_scripts);
			free_cmd(&m->notify_master);
			free_cmd(&m->notify_backup);
			free_cmd(&m->notify_fault);
			free_cmd(&m->notify_stop);
			free_cmd(&m->notify);
			free_cmd(&m->notify_master_rx_lower_pri);
			free(m->vmac_ifname);	/* VMAC */
			vc_routes_free(m->routes);
			free_cmd(&m->notify_deleted);
			free_cmd(&m->notify_conflict);	/* conflict */
			free(m);
		}
		zone_free(vi);
	}
	free(vc->insts);
	for (unsigned i = 0; i < vc->n_scripts; i++) {
		free_ref(&vc->scripts[i]->id);
		free(vc->scripts[i]->script);
		free(vc->scripts[i]->user);
		free(vc->scripts[i]->group);
		free(vc->scripts[i]);
	}
	free(vc->scripts);
	for (unsigned i = 0; i < vc->n_groups; i++) {
		struct vc_group *g = vc->groups[i];

		free_ref(&g->id);
		free_refs(g->members, g->n_members);
		for (unsigned k = 0; k < g->n_track_scripts; k++)
			free_ref(&g->track_scripts[k].ref);
		free(g->track_scripts);
		free_lines(&g->track_script_lines);
		for (unsigned k = 0; k < g->n_track_ifs; k++)
			free(g->track_ifs[k].name);
		free(g->track_ifs);
		free_lines(&g->track_if_lines);
		free_cmd(&g->notify_master);
		free_cmd(&g->notify_backup);
		free_cmd(&g->notify_fault);
		free_cmd(&g->notify_stop);
		free_cmd(&g->notify);
		free(g);
	}
	free(vc->groups);
	free_lines(&vc->static_addrs);
	free_lines(&vc->static_routes);
	vc_routes_free(vc->statics);
	free(vc->if_delays);
	for (unsigned i = 0; i < vc->n_garp_groups; i++) {
		free(vc->garp_groups[i]->ifnames);
		free(vc->garp_groups[i]);
	}
	free(vc->garp_groups);
	if (vc->names)
		cfg_map_free(vc->names);
	free(vc->names);
	for (unsigned i = 0; i < vc->n_strs; i++)
		free(vc->strs[i]);
	free(vc->strs);
	free(vc);
}
