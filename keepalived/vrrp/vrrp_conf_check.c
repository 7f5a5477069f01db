// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/vrrp/vrrp_conf_check.c: an instance's settings checked together, as keepalived 2.2.7 does. */
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "core/global_defs.h"
#include "vrrp_conf.h"

#define PRIO_OWNER 255

/*
 * What keepalived 2.2.7 makes of the instance once it is read (vrrp.c,
 * vrrp_complete_instance): each setting it corrects or drops here is a mistake, and
 * its -t fails on it. The values it works with: an unset priority comes from the
 * state, an unset state from the priority (vc_priority(), vc_init_master()).
 */
struct eff {
	unsigned version;
	unsigned down_timer_adverts;
	bool strict, master, nopreempt;
	unsigned priority;
	uint32_t preempt_delay_us;
};

#define MISTAKE(c, vi, fmt, ...) \
	vc_report(c, CFG_SEV_MISTAKE, &(vi)->id, "vrrp_instance '%s': " fmt, (vi)->id.name, \
		  ##__VA_ARGS__)

static void check_auth(struct cfg *c, const struct vc_instance *vi, const struct eff *e)
{
	if (vi->auth_type == VC_AUTH_NONE)
		return;
	if (e->strict)
		MISTAKE(c, vi, "vrrp_strict allows no authentication: it is ignored");
	else if (e->version == 3)
		MISTAKE(c, vi, "VRRP version 3 has no authentication: it is ignored");
	else if (!vc_more(vi)->auth_pass[0])
		MISTAKE(c, vi, "authentication without auth_pass: it is ignored");
	else if (vi->family == AF_INET6 && vi->auth_type == VC_AUTH_AH)
		MISTAKE(c, vi, "AH authentication is not for IPv6: it is ignored");
	else if (vi->auth_type == VC_AUTH_AH && e->master && e->priority != PRIO_OWNER)
		MISTAKE(c, vi, "state MASTER with AH authentication: it starts as BACKUP (it needs "
			"an advert's sequence number first)");
}

static void check_preempt(struct cfg *c, const struct vc_instance *vi, struct eff *e)
{
	if (e->nopreempt && e->priority == PRIO_OWNER) {
		MISTAKE(c, vi, "nopreempt does not go with priority 255: it is ignored");
		e->nopreempt = false;
	}
	if (e->master && e->nopreempt) {
		MISTAKE(c, vi, "nopreempt does not work with state MASTER: it is ignored");
		e->nopreempt = false;
	}
	if (e->master && e->preempt_delay_us) {
		MISTAKE(c, vi, "preempt_delay does not work with state MASTER: it is ignored");
		e->preempt_delay_us = 0;
	}
	if (e->preempt_delay_us && e->strict) {
		MISTAKE(c, vi, "preempt_delay does not go with vrrp_strict: it is ignored");
		e->preempt_delay_us = 0;
	}
	if (e->preempt_delay_us && e->nopreempt)
		MISTAKE(c, vi, "preempt_delay does not go with nopreempt: it is ignored");
}

/* Seconds as written: 1500000 -> "1.5". */
static const char *secs(uint32_t us, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%u.%06u", us / 1000000, us % 1000000);

	while (n > 0 && buf[n - 1] == '0')
		buf[--n] = '\0';
	if (n > 0 && buf[n - 1] == '.')
		buf[--n] = '\0';
	return buf;
}

/* RFC 3768: whole seconds up to 255; RFC 5798: centiseconds up to 40.95 s */
static void check_advert_int(struct cfg *c, const struct vc_instance *vi, const struct eff *e)
{
	uint32_t us = vi->advert_int_us;
	char buf[32];

	if (e->version == 2 && us % 1000000)
		MISTAKE(c, vi, "VRRPv2 advert_int %s s is not whole seconds: it is rounded",
			secs(us, buf, sizeof(buf)));
	else if (e->version == 3 && us >= 40960000)
		MISTAKE(c, vi, "VRRPv3 advert_int %s s is out of range (at most 40.95 s): 40.95 s "
			"is used", secs(us, buf, sizeof(buf)));
	else if (e->version == 3 && us % 10000)
		MISTAKE(c, vi, "VRRPv3 advert_int %s s is not whole centiseconds: it is rounded",
			secs(us, buf, sizeof(buf)));
}

/* vrrp_strict's own rules on what an instance may set */
static void check_strict(struct cfg *c, const struct vc_instance *vi, const struct eff *e)
{
	const struct vc_more *m = vc_more(vi);

	if (!e->strict)
		return;
	if (vi->has_state && e->master != (e->priority == PRIO_OWNER))
		MISTAKE(c, vi, "with vrrp_strict, state MASTER goes with priority 255 (and only it): "
			"the state follows the priority");
	if (vi->accept && e->priority != PRIO_OWNER && e->version == 2)
		MISTAKE(c, vi, "with vrrp_strict, accept mode does not comply with RFC 3768 (VRRPv2): "
			"it is off");
	if (m->garp_lower_prio_repeat > 0 || m->garp_lower_prio_delay_us > 0)
		MISTAKE(c, vi, "vrrp_strict sends no gratuitous ARP on lower priority adverts: "
			"garp_lower_prio_* are ignored");
	if (m->lower_prio_no_advert == 0)
		MISTAKE(c, vi, "vrrp_strict needs lower_prio_no_advert: it is on");
	if (m->higher_prio_send_advert == 1)
		MISTAKE(c, vi, "vrrp_strict does not allow higher_prio_send_advert: it is off");
	if (e->down_timer_adverts != 3)
		MISTAKE(c, vi, "with vrrp_strict, down_timer_adverts must be 3 (as the RFCs say): it "
			"is reset");
	if (vi->family == AF_INET6 && !m->n_peers && vi->n_vips &&
	    !IN6_IS_ADDR_LINKLOCAL(&vi->vip_ia[0].addr.v6))
		MISTAKE(c, vi, "with vrrp_strict, the first IPv6 virtual_ipaddress must be link-local");
}

/* keepalived ignores the weight of what an address owner tracks */
static void check_owner_weights(struct cfg *c, const struct vrrp_conf *vc,
				const struct vc_instance *vi, const struct eff *e)
{
	const struct vc_more *m = vc_more(vi);

	if (e->priority != PRIO_OWNER)
		return;
	for (unsigned k = 0; k < m->n_track_ifs; k++)
		if (m->track_ifs[k].weight)
			vc_report(c, CFG_SEV_MISTAKE, &vi->id, "vrrp_instance '%s': priority 255 (address "
				  "owner) ignores track_interface %s with a weight", vi->id.name,
				  m->track_ifs[k].name);
	for (unsigned k = 0; k < m->n_track_scripts; k++) {
		const struct vc_track_script *t = &m->track_scripts[k];
		/* an undefined vrrp_script is an error of its own */
		int w = t->script < 0 ? 0 : t->has_weight ? t->weight :
			vc->scripts[t->script]->weight;

		if (w)
			vc_report(c, CFG_SEV_MISTAKE, &t->ref, "vrrp_instance '%s': priority 255 "
				  "(address owner) ignores track_script %s with a weight",
				  vi->id.name, t->ref.name);
	}
}

void vrrp_conf_check_instance(struct cfg *c, const struct vrrp_conf *vc,
			      const struct vc_instance *vi)
{
	const struct global_defs *gd = cfg_root_obj(c, global_defs_root_kws);
	const struct vc_more *m = vc_more(vi);
	struct eff e = {
		.strict = gd && global_defs_vrrp_strict(gd),
		.nopreempt = vi->nopreempt,
		.preempt_delay_us = vi->preempt_delay_us,
		.down_timer_adverts = m->down_timer_adverts,
	};

	if (!e.down_timer_adverts && gd) {
		struct gd_vrrp g;

		global_defs_vrrp(gd, &g);
		e.down_timer_adverts = g.down_timer_adverts;
	} else if (!e.down_timer_adverts) {
		e.down_timer_adverts = 3;
	}

	e.version = vi->version ? vi->version : vi->family == AF_INET6 ? 3 :
		    gd ? global_defs_vrrp_version(gd) : 2;
	if (vi->family == AF_INET6 && vi->version == 2 && e.strict) {
		MISTAKE(c, vi, "vrrp_strict: IPv6 needs VRRP version 3, which is used");
		e.version = 3;
	}
	e.priority = vc_priority(vi);
	e.master = vc_init_master(vi);

	/* a virtual_ipaddress line refused is reported already */
	if (!vi->n_vips && !vi->no_vips && !vi->has_vip_lines) {
		if (e.version == 3 || e.strict)
			MISTAKE(c, vi, "no virtual_ipaddress: VRRP version 3 and vrrp_strict need one "
				"(the instance is not run)");
		else
			MISTAKE(c, vi, "no virtual_ipaddress");
	}
	/* keepalived takes the family from native_ipv6 too, and then ignores IPv4 VIPs */
	if (vi->native_ipv6 && vi->family == AF_INET)
		MISTAKE(c, vi, "native_ipv6 with IPv4 addresses: they are ignored");
	if (m->unicast_src.family && m->unicast_src.family != vi->family)
		MISTAKE(c, vi, "unicast_src_ip is not of the instance's address family: it is ignored");
	if (m->mcast_src.family && m->mcast_src.family != vi->family)
		MISTAKE(c, vi, "mcast_src_ip is not of the instance's address family: it is ignored");
	/* keepalived 2.2.7 says it once, for any keyword that means unicast */
	if (m->unicast_src.family && !m->n_peers && !vi->unicast_fault_no_peer)
		MISTAKE(c, vi, "unicast_src_ip without unicast_peer: multicast is used (deprecated)");
	else if (m->check_unicast_src && !m->n_peers && !vi->unicast_fault_no_peer)
		MISTAKE(c, vi, "check_unicast_src without unicast_peer: multicast is used (deprecated)");
	if (vi->vmac_xmit_base && !vi->use_vmac)
		MISTAKE(c, vi, "vmac_xmit_base without use_vmac: it is ignored");
	if (m->mcast_dst.family && m->n_peers)
		MISTAKE(c, vi, "mcast_dst_ip with unicast_peer: it is ignored");
	for (unsigned k = 0; vi->interface && k < m->n_track_ifs; k++)
		if (!strcmp(m->track_ifs[k].name, vi->interface))
			cfg_report_at(c, CFG_SEV_MISTAKE, m->track_ifs[k].at.file, m->track_ifs[k].at.line,
				      m->track_ifs[k].at.col, "track_interface %s is the instance's own "
				      "interface, which it tracks anyway: this line is ignored",
				      vi->interface);
	check_auth(c, vi, &e);
	check_preempt(c, vi, &e);
	check_advert_int(c, vi, &e);
	check_strict(c, vi, &e);
	check_owner_weights(c, vc, vi, &e);
	/* keepalived 2.2.7 does not know it; later versions clear it below 255 and say so */
	if (m->owner_ignore_adverts > 0 && e.priority != PRIO_OWNER)
		MISTAKE(c, vi, "owner_ignore_adverts is for priority 255 (the address owner): it "
			"is ignored");
}

/*
 * A sync group without sync_group_tracking_weight makes its members' tracker weights 0
 * (interfaces) or drops the weighted trackers (scripts), and a member that is an address
 * owner makes the group's own weights 0: keepalived 2.2.7's messages (vrrp.c), reported
 * as mistakes as it does. vrrp_sync.c applies the same rules at run time.
 */
void vrrp_conf_check_group(struct cfg *c, const struct vrrp_conf *vc, const struct vc_group *g)
{
	int owner_prio = 0;

	for (unsigned i = 0; i < vc->n_insts; i++) {
		const struct vc_instance *vi = vc->insts[i];
		const struct vc_more *m = vc_more(vi);

		if (vi->is_dup || vi->sync_group < 0 || vc->groups[vi->sync_group] != g)
			continue;
		if (vc_priority(vi) == VC_PRIO_OWNER)
			owner_prio = VC_PRIO_OWNER;
		for (unsigned k = 0; k < m->n_track_ifs; k++) {
			const struct vc_track_if *t = &m->track_ifs[k];

			if (t->weight && !g->tracking_weight)
				cfg_report_at(c, CFG_SEV_MISTAKE, t->at.file, t->at.line, t->at.col,
					      "(%s) ignoring %s tracked interface weight due to SYNC group",
					      vi->id.name, t->name);
			for (unsigned j = 0; j < g->n_track_ifs; j++)
				if (!strcmp(g->track_ifs[j].name, t->name))
					cfg_report_at(c, CFG_SEV_MISTAKE, t->at.file, t->at.line,
						      t->at.col, "vrrp_instance '%s': track_interface "
						      "%s is also on its vrrp_sync_group '%s': keep one",
						      vi->id.name, t->name, g->id.name);
		}
		for (unsigned k = 0; k < m->n_track_scripts && !g->tracking_weight; k++) {
			const struct vc_track_script *t = &m->track_scripts[k];
			int w = t->script < 0 ? 0 : t->has_weight ? t->weight :
				vc->scripts[t->script]->weight;

			if (w)
				vc_report(c, CFG_SEV_MISTAKE, &t->ref, "(%s) ignoring tracked script %s "
					  "with weights due to SYNC group", vi->id.name, t->ref.name);
		}
	}
	if (!owner_prio)
		return;
	for (unsigned k = 0; k < g->n_track_scripts; k++) {
		const struct vc_track_script *t = &g->track_scripts[k];
		int w = t->script < 0 ? 0 : t->has_weight ? t->weight : vc->scripts[t->script]->weight;

		if (w)
			vc_report(c, CFG_SEV_MISTAKE, &t->ref, "(%s) Cannot have weighted track script "
				  "'%s' with member having priority %d - clearing weight", g->id.name,
				  t->ref.name, owner_prio);
	}
	for (unsigned k = 0; k < g->n_track_ifs; k++) {
		const struct vc_track_if *t = &g->track_ifs[k];

		if (t->weight)
			cfg_report_at(c, CFG_SEV_MISTAKE, t->at.file, t->at.line, t->at.col,
				      "(%s) Cannot have weighted track interface '%s' with member having "
				      "priority %d - clearing weight", g->id.name, t->name, owner_prio);
	}
}
