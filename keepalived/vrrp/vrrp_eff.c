// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/vrrp/vrrp_eff.c: an instance's effective settings, computed once (pure). */
#include "vrrp_eff.h"

#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "vrrp_pkt.h"

/* An instance's setting, or global_defs' where it has none (-1). */
#define OR_GLOBAL(v, g)	((v) >= 0 ? (__typeof__(g))(v) : (g))

struct inet_addr vrrp_eff_group(const struct vc_instance *c, sa_family_t family,
				const struct gd_vrrp *gd)
{
	const struct vc_more *m = vc_more(c);

	if (m->mcast_dst.family == family)
		return m->mcast_dst;
	return family == AF_INET ? gd->mcast_group4 : gd->mcast_group6;
}

static void garp_of(const struct vc_more *m, const struct gd_vrrp *gd, struct garp_params *p)
{
	*p = (struct garp_params){
		.master_delay_us = OR_GLOBAL(m->garp_master_delay_us, gd->garp_master_delay_us),
		.master_repeat = OR_GLOBAL(m->garp_master_repeat, gd->garp_master_repeat),
		.master_refresh_us = OR_GLOBAL(m->garp_master_refresh_us, gd->garp_master_refresh_us),
		.master_refresh_repeat = OR_GLOBAL(m->garp_master_refresh_repeat,
						   gd->garp_master_refresh_repeat),
		.lower_prio_delay_us = OR_GLOBAL(m->garp_lower_prio_delay_us,
						 gd->garp_lower_prio_delay_us),
		.lower_prio_repeat = OR_GLOBAL(m->garp_lower_prio_repeat, gd->garp_lower_prio_repeat),
	};
	if (gd->min_garp) {
		p->master_repeat = 1;
		p->master_delay_us = 0;
	}
}

static const char *const strict_lines[VRRP_EFF_FIX__COUNT] = {
	"State MASTER must match being address owner",
	"Strict mode does not support authentication. Ignoring.",
	"preempt_delay is incompatible with strict mode - resetting",
	"down_timer_adverts is incompatible with strict mode - resetting",
	"Strict mode requires no repeat garps. resetting",
	"Strict mode requires no repeat garp delay. resetting",
	"Strict mode requires no lower priority advert. resetting",
	"strict mode requires higher_prio_send_advert to be clear. resetting",
	"warning - accept mode for VRRP version 2 does not comply with RFC3768 - resetting",
	"the first IPv6 VIP address must be link local",
};

const char *vrrp_eff_strict_line(unsigned i)
{
	return i < VRRP_EFF_FIX__COUNT ? strict_lines[i] : NULL;
}

/*
 * keepalived 2.2.7 (vrrp_complete_instance): what strict mode forces, and accept mode.
 * A setting left unset takes strict mode's value silently; one written against it is
 * changed, with a line.
 */
static void strict_of(const struct vc_instance *c, const struct vc_more *m,
		      const struct gd_vrrp *gd, struct vrrp_eff *out)
{
	bool owner = vc_priority(c) == VC_PRIO_OWNER;
	struct vrrp_fsm_conf *fc = &out->fc;

	out->strict = c->has_strict_mode ? c->strict_mode : gd->strict;
	out->accept = c->has_accept ? c->accept : owner || !out->strict;
	if (out->accept && !owner && out->strict && out->version == 2) {
		out->accept = false;
		out->strict_fixes |= VRRP_EFF_FIX_ACCEPT_V2;
	}
	out->firewall = !owner && !out->accept;
	if (!out->strict)
		return;
	/* the RFCs' VRRP is multicast: 2.2.7 means to refuse it, but its check comes too early */
	out->strict_unicast = m->n_peers > 0;
	if (c->family == AF_INET6 && !m->n_peers && c->n_vips &&
	    !IN6_IS_ADDR_LINKLOCAL(&c->vip_ia[0].addr.v6))
		out->strict_fixes |= VRRP_EFF_FIX_FIRST_LL;
	if (c->has_state && fc->init_master != owner) {
		fc->init_master = owner;
		out->strict_fixes |= VRRP_EFF_FIX_STATE;
	}
	if (c->auth_type != VC_AUTH_NONE) {
		out->auth = VRRP_AUTH_NONE;
		out->proto = VRRP_PROTO;
		out->auth_ignored = false;	/* this line, not VRRPv3's */
		out->strict_fixes |= VRRP_EFF_FIX_AUTH;
	}
	if (fc->preempt_delay_us) {
		fc->preempt_delay_us = 0;
		out->strict_fixes |= VRRP_EFF_FIX_PREEMPT_DELAY;
	}
	if (fc->down_timer_adverts != 3) {
		fc->down_timer_adverts = 3;
		out->strict_fixes |= VRRP_EFF_FIX_DOWN_TIMER;
	}
	if (m->garp_lower_prio_repeat > 0)
		out->strict_fixes |= VRRP_EFF_FIX_GARP_REPEAT;
	if (m->garp_lower_prio_delay_us > 0)
		out->strict_fixes |= VRRP_EFF_FIX_GARP_DELAY;
	out->garp.lower_prio_repeat = 0;
	out->garp.lower_prio_delay_us = 0;
	if (m->lower_prio_no_advert == 0)
		out->strict_fixes |= VRRP_EFF_FIX_LOWER_NO_ADVERT;
	fc->lower_prio_no_advert = true;
	if (m->higher_prio_send_advert > 0)
		out->strict_fixes |= VRRP_EFF_FIX_HIGHER_ADVERT;
	fc->higher_prio_send_advert = false;
}

void vrrp_eff_compute(const struct vc_instance *c, const struct gd_vrrp *gd, struct vrrp_eff *out)
{
	const struct vc_more *m = vc_more(c);
	uint64_t cs = c->advert_int_us / 10000;
	uint8_t version = c->version ? c->version : gd->version;

	*out = (struct vrrp_eff){
		.interface = c->interface ? c->interface : "",
		.vrid = c->vrid,
		.family = c->family,
		.unicast = m->n_peers > 0,
		.unicast_ttl = m->n_peers && m->unicast_ttl > 0 ? m->unicast_ttl : 0,
		.nopreempt_cleared = c->nopreempt && vc_init_master(c),
		.use_vmac = c->use_vmac,
		/* unicast over a VMAC: 2.2.7 sets vmac_xmit_base */
		.vmac_xmit_base = c->use_vmac && (c->vmac_xmit_base || m->n_peers),
		.vmac_ifname = c->use_vmac && m->vmac_ifname ? m->vmac_ifname : "",
		.use_vmac_addr = m->use_vmac_addr,
	};
	if (c->use_vmac && m->has_vmac_mac) {	/* VMAC */
		memcpy(out->vmac_mac, m->vmac_mac, sizeof(out->vmac_mac));
		if (m->vmac_mac_vrid)
			out->vmac_mac[5] = c->vrid;
	}
	if (c->family == AF_INET6 && version == 2) {
		version = 3;
		out->version_forced = true;
	}
	out->version = version;
	if (version == 2 && cs % 100) {
		cs = cs < 100 ? 100 : cs - cs % 100;
		out->adver_int_rounded = true;
	}
	out->fc = (struct vrrp_fsm_conf){
		.priority = vc_priority(c),
		.version = version,
		.adver_int_cs = cs,
		.init_master = vc_init_master(c),
		/* keepalived clears nopreempt for an owner too (-t says so) */
		.preempt = !c->nopreempt || vc_priority(c) == VC_PRIO_OWNER,
		.preempt_delay_us = c->preempt_delay_us,
		.down_timer_adverts = m->down_timer_adverts ? m->down_timer_adverts :
				      gd->down_timer_adverts,
		.lower_prio_no_advert = OR_GLOBAL(m->lower_prio_no_advert, gd->lower_prio_no_advert),
		.higher_prio_send_advert = OR_GLOBAL(m->higher_prio_send_advert,
						     gd->higher_prio_send_advert),
		.owner_ignore_adverts = OR_GLOBAL(m->owner_ignore_adverts, gd->owner_ignore_adverts),
		.has_notify_rx_lower = m->notify_master_rx_lower_pri.cmd != NULL,
	};
	garp_of(m, gd, &out->garp);
	if (c->auth_type != VC_AUTH_NONE && version == 3)
		out->auth_ignored = true;
	else if (c->auth_type != VC_AUTH_NONE)
		out->auth = c->auth_type == VC_AUTH_PASS ? VRRP_AUTH_PASS : VRRP_AUTH_AH;
	out->proto = out->auth == VRRP_AUTH_AH ? VRRP_PROTO_AH : VRRP_PROTO;
	if (!out->unicast)
		out->group = vrrp_eff_group(c, c->family, gd);
	if (m->n_peers && m->unicast_src.family)
		out->src = m->unicast_src;
	else if (m->mcast_src.family)
		out->src = m->mcast_src;
	out->skip_check_adv_addr = OR_GLOBAL(m->skip_check_adv_addr, gd->skip_check_adv_addr);
	out->check_unicast_src = m->check_unicast_src || gd->check_unicast_src;
	strict_of(c, m, gd, out);
}

static const char *family_str(sa_family_t f)
{
	return f == AF_INET ? "IPv4" : f == AF_INET6 ? "IPv6" : "none";
}

bool vrrp_eff_identity_change(const struct vrrp_eff *a, const struct vrrp_eff *b,
			      char *what, size_t len)
{
	if (strcmp(a->interface, b->interface))
		snprintf(what, len, "interface changed (%s -> %s)", a->interface, b->interface);
	else if (a->vrid != b->vrid)
		snprintf(what, len, "virtual_router_id changed (%u -> %u)", a->vrid, b->vrid);
	else if (a->family != b->family)
		snprintf(what, len, "address family changed (%s -> %s)", family_str(a->family),
			 family_str(b->family));
	else if (a->unicast != b->unicast)
		snprintf(what, len, "unicast_peer changed (%s -> %s)",
			 a->unicast ? "unicast" : "multicast", b->unicast ? "unicast" : "multicast");
	else if (a->use_vmac != b->use_vmac)
		snprintf(what, len, "use_vmac changed (%s -> %s)", a->use_vmac ? "on" : "off",
			 b->use_vmac ? "on" : "off");
	else if (a->vmac_xmit_base != b->vmac_xmit_base || strcmp(a->vmac_ifname, b->vmac_ifname) ||
		 a->use_vmac_addr != b->use_vmac_addr ||
		 memcmp(a->vmac_mac, b->vmac_mac, sizeof(a->vmac_mac)))
		snprintf(what, len, "VMAC settings changed");
	else
		return false;
	return true;
}

static bool same_addr(const struct inet_addr *a, const struct inet_addr *b)
{
	return a->family == b->family && (!a->family || inet_addr_eq(a, b));
}

static bool same_fsm_conf(const struct vrrp_fsm_conf *a, const struct vrrp_fsm_conf *b)
{
	return a->priority == b->priority && a->version == b->version &&
	       a->adver_int_cs == b->adver_int_cs && a->init_master == b->init_master &&
	       a->preempt == b->preempt && a->preempt_delay_us == b->preempt_delay_us &&
	       a->down_timer_adverts == b->down_timer_adverts &&
	       a->lower_prio_no_advert == b->lower_prio_no_advert &&
	       a->higher_prio_send_advert == b->higher_prio_send_advert &&
	       a->owner_ignore_adverts == b->owner_ignore_adverts &&
	       a->has_notify_rx_lower == b->has_notify_rx_lower;
}

static bool same_garp(const struct garp_params *a, const struct garp_params *b)
{
	return a->master_delay_us == b->master_delay_us && a->master_repeat == b->master_repeat &&
	       a->master_refresh_us == b->master_refresh_us &&
	       a->master_refresh_repeat == b->master_refresh_repeat &&
	       a->lower_prio_delay_us == b->lower_prio_delay_us &&
	       a->lower_prio_repeat == b->lower_prio_repeat;
}

bool vrrp_eff_same(const struct vrrp_eff *a, const struct vrrp_eff *b)
{
	char what[8];

	return !vrrp_eff_identity_change(a, b, what, sizeof(what)) && a->version == b->version &&
	       same_fsm_conf(&a->fc, &b->fc) && same_garp(&a->garp, &b->garp) &&
	       a->auth == b->auth && a->proto == b->proto && same_addr(&a->group, &b->group) &&
	       same_addr(&a->src, &b->src) && a->unicast_ttl == b->unicast_ttl &&
	       a->skip_check_adv_addr == b->skip_check_adv_addr &&
	       a->check_unicast_src == b->check_unicast_src &&
	       a->version_forced == b->version_forced && a->auth_ignored == b->auth_ignored &&
	       a->adver_int_rounded == b->adver_int_rounded &&
	       a->nopreempt_cleared == b->nopreempt_cleared && a->strict == b->strict &&
	       a->accept == b->accept && a->firewall == b->firewall &&
	       a->strict_fixes == b->strict_fixes && a->strict_unicast == b->strict_unicast;
}
