// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/vrrp/vrrp_conf_finish.c: VRRP config after the parse: references, lookups. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vrrp_conf_int.h"
#include "vrrp_conf_track.h"
#include "vrrp_route_conf.h"
#include "utils.h"

/* The index of the vrrp_script called name (its first definition), or -1. */
static int find_script(const struct vrrp_conf *vc, const char *name)
{
	const struct vc_ref *r = vc_name_get(vc, &vc_tag_script, name);

	return r ? (int)(container_of(r, struct vc_script, id)->index) : -1;
}

/* The instance's address family: its first VIP's, else its peers', else native_ipv6. */
static void set_family(struct cfg *c, struct vc_instance *vi)
{
	const struct vc_more *m = vc_more(vi);

	vi->family = vi->n_vips ? vi->vip_ia[0].addr.family :
		     m->n_peers ? m->peers[0].addr.family :
		     vi->native_ipv6 ? AF_INET6 : AF_INET;
	for (unsigned k = 0; k < vi->n_vips; k++)
		if (vi->vip_ia[k].addr.family != vi->family) {
			char buf[VRRP_IPADDR_LINE_MAX];

			/* keepalived ignores it */
			vc_report(c, CFG_SEV_MISTAKE, &vi->id,
				  "vrrp_instance '%s': virtual_ipaddress %s is not of the instance's "
				  "address family (%s): put it in virtual_ipaddress_excluded",
				  vi->id.name, vrrp_ipaddr_line(&vi->vip_ia[k], buf, sizeof(buf)),
				  vi->family == AF_INET ? "IPv4" : "IPv6");
			break;
		}
	for (unsigned k = 0; k < m->n_peers; k++)
		if (m->peers[k].addr.family != vi->family) {
			vc_report(c, CFG_SEV_ERROR, &vi->id,
				  "vrrp_instance '%s': unicast_peer of the wrong address family",
				  vi->id.name);
			break;
		}
}

/*
 * Two multicast instances with one VRID on one interface and family cannot both
 * run: keepalived refuses the configuration, naming the first one.
 */
static int check_vrids(struct cfg *c, const struct vrrp_conf *vc)
{
	struct cfg_map seen = { 0 };
	char **keys = xcalloc(vc->n_insts + 1, sizeof(*keys));
	int r = 0;

	for (unsigned i = 0; i < vc->n_insts; i++) {
		const struct vc_instance *vi = vc->insts[i];
		struct cfg_map_ent *e;
		bool added;

		if (vi->is_dup || !vi->vrid || !vi->interface || vc_more(vi)->n_peers)
			continue;
		keys[i] = xasprintf("%s/%d/%u", vi->interface, vi->family, vi->vrid);
		e = cfg_map_put(&seen, NULL, keys[i], &added);
		if (added) {
			e->val = (void *)vi;
			continue;
		}
		vc_report(c, CFG_SEV_ERROR, &vi->id, "%s and %s both use VRID %u with %s on interface %s",
			  ((const struct vc_instance *)e->val)->id.name, vi->id.name, vi->vrid,
			  vi->family == AF_INET6 ? "IPv6" : "IPv4", vi->interface);
		r = -EINVAL;
	}
	cfg_map_free(&seen);
	for (unsigned i = 0; i < vc->n_insts; i++)
		free(keys[i]);
	free(keys);
	return r;
}

/*
 * A sync group's members, with keepalived 2.2.7's messages (vrrp_sync.c, vrrp.c): it goes
 * on without the members (or the group) it rejects, so these are mistakes.
 */
static int finish_group(struct cfg *c, struct vrrp_conf *vc, struct vc_group *g, unsigned gi,
			const struct vc_group **in_group)
{
	unsigned n_owner = 0;
	int r = 0;

	if (!g->n_members) {
		vc_report(c, CFG_SEV_MISTAKE, &g->id,
			  "Sync group %s has no virtual router(s). removing", g->id.name);
		return 0;
	}
	for (unsigned k = 0; k < g->n_members; k++) {
		const struct vc_ref *m = &g->members[k];
		const struct vc_instance *mi = vrrp_conf_find(vc, m->name);

		if (!mi) {
			vc_report(c, CFG_SEV_MISTAKE, m, "Virtual router %s specified in sync group "
				  "%s doesn't exist - ignoring", m->name, g->id.name);
		} else if (in_group[mi->index]) {
			vc_report(c, CFG_SEV_MISTAKE, m, "Virtual router %s cannot exist in more than "
				  "one sync group; ignoring %s", m->name, g->id.name);
		} else {
			in_group[mi->index] = g;
			vc->insts[mi->index]->sync_group = gi;
			g->n_valid++;
			n_owner += vc_priority(mi) == VC_PRIO_OWNER && vc_init_master(mi);
		}
	}
	if (n_owner && n_owner != g->n_valid)
		vc_report(c, CFG_SEV_MISTAKE, &g->id, "Sync group %s has some member(s) as address "
			  "owner and some not as address owner. This won't work.", g->id.name);
	if (!g->n_valid)
		vc_report(c, CFG_SEV_MISTAKE, &g->id, "Sync group %s, no matching virtual router "
			  "found in group declaration - removing", g->id.name);
	else if (g->n_valid == 1)
		vc_report(c, CFG_SEV_MISTAKE, &g->id, "Sync group %s has only 1 virtual router(s) - "
			  "this probably isn't what you want", g->id.name);
	for (unsigned k = 0; k < g->n_track_scripts; k++) {
		struct vc_track_script *t = &g->track_scripts[k];

		t->script = find_script(vc, t->ref.name);
		if (t->script < 0) {
			vc_report(c, CFG_SEV_ERROR, &t->ref,
				  "track_script '%s' is not a defined vrrp_script", t->ref.name);
			r = -EINVAL;
		}
	}
	vrrp_conf_check_group(c, vc, g);
	return r;
}

int vrrp_conf_finish(struct cfg *c, void *conf)
{
	struct vrrp_conf *vc = conf;
	/* the sync group each instance is in, to refuse a second one */
	const struct vc_group **in_group = xcalloc(vc->n_insts + 1, sizeof(*in_group));
	int r = 0;

	for (unsigned i = 0; i < vc->n_insts; i++) {
		struct vc_instance *vi = vc->insts[i];

		if (vi->is_dup)
			continue;
		set_family(c, vi);
		/* a virtual_router_id given but refused is reported already */
		if (!vi->vrid && !vi->has_vrid) {
			vc_report(c, CFG_SEV_ERROR, &vi->id,
				  "vrrp_instance '%s' has no virtual_router_id", vi->id.name);
			r = -EINVAL;
		}
		/* keepalived 2.2.7 always wants one; later versions not with unicast peers */
		if (!vi->interface && !vc_more(vi)->n_peers) {
			vc_report(c, CFG_SEV_ERROR, &vi->id, "vrrp_instance '%s' has no interface",
				  vi->id.name);
			r = -EINVAL;
		}
		for (unsigned k = 0; vi->more && k < vi->more->n_track_scripts; k++) {
			struct vc_track_script *t = &vi->more->track_scripts[k];

			t->script = find_script(vc, t->ref.name);
			if (t->script < 0) {
				vc_report(c, CFG_SEV_ERROR, &t->ref,
					  "track_script '%s' is not a defined vrrp_script", t->ref.name);
				r = -EINVAL;
			}
		}
		vrrp_conf_check_instance(c, vc, vi);
	}
	for (unsigned i = 0; i < vc->n_groups; i++)
		if (finish_group(c, vc, vc->groups[i], i, in_group) < 0)
			r = -EINVAL;
	free(in_group);
	vc_finish_trackers(c, vc);
	if (check_vrids(c, vc) < 0)
		r = -EINVAL;
	/* names are looked up during the parse; vrrp_conf_find() searches the list after it */
	cfg_map_free(vc->names);
	free(vc->names);
	vc->names = NULL;
	return r;
}

bool vrrp_conf_has_work(const void *conf)
{
	const struct vrrp_conf *vc = conf;

	return vc->n_insts || vc->static_addrs.n || vc->static_routes.n ||
	       (vc->statics && vc->statics->n_rules);	/* routes: static_rules alone too */
}

const struct vc_instance *vrrp_conf_find(const struct vrrp_conf *vc, const char *name)
{
	const struct vc_ref *r;

	if (!vc->names) {
		for (unsigned i = 0; i < vc->n_insts; i++)
			if (!vc->insts[i]->is_dup && !strcmp(vc->insts[i]->id.name, name))
				return vc->insts[i];
		return NULL;
	}
	r = vc_name_get(vc, &vc_tag_inst, name);
	return r ? container_of(r, struct vc_instance, id) : NULL;
}

const struct vc_cmd *vc_notify_cmd(const struct vc_instance *vi, enum vc_notify n)
{
	const struct vc_more *m = vc_more(vi);

	switch (n) {
	case VC_NOTIFY_MASTER: return &m->notify_master;
	case VC_NOTIFY_BACKUP: return &m->notify_backup;
	case VC_NOTIFY_FAULT: return &m->notify_fault;
	case VC_NOTIFY_STOP: return &m->notify_stop;
	case VC_NOTIFY_ANY: return &m->notify;
	case VC_NOTIFY_DELETED: return &m->notify_deleted;
	case VC_NOTIFY_CONFLICT: return &m->notify_conflict;
	default: return &m->notify_master_rx_lower_pri;
	}
}

bool vrrp_conf_script_used(const struct vrrp_conf *vc, unsigned idx)
{
	/* a sync group's track_script, for a group that has members */
	for (unsigned i = 0; i < vc->n_groups; i++)
		for (unsigned k = 0; k < vc->groups[i]->n_track_scripts && vc->groups[i]->n_valid; k++)
			if (vc->groups[i]->track_scripts[k].script == (int)idx)
				return true;
	for (unsigned i = 0; i < vc->n_insts; i++) {
		const struct vc_more *m = vc_more(vc->insts[i]);

		for (unsigned k = 0; k < m->n_track_scripts && !vc->insts[i]->is_dup; k++)
			if (m->track_scripts[k].script == (int)idx)
				return true;
	}
	return false;
}

unsigned vrrp_conf_n_instances(const void *conf)
{
	const struct vrrp_conf *vc = conf;

	return vc->n_insts;
}
