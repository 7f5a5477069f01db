/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/vrrp/vrrp_eff.h: an instance's effective settings: its block plus global_defs. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/global_defs.h"
#include "utils.h"
#include "vrrp_arp.h"
#include "vrrp_auth.h"
#include "vrrp_conf.h"
#include "vrrp_fsm.h"

/*
 * Everything an instance does that its vrrp_instance block leaves to global_defs (or
 * to a default) is resolved here, once, by a pure function: the runtime never mixes
 * the two itself. A reload computes the settings of each kept instance from the old
 * and the new config and applies what differs (vrrp_reload.c).
 *
 * The identity fields name the virtual router itself: when one changes the instance
 * restarts (vrrp_eff_identity_change()). Everything else is applied in place.
 */
struct vrrp_eff {
	/* identity */
	const char *interface;		/* borrowed from the config; "" for none */
	uint8_t vrid;
	sa_family_t family;		/* AF_INET or AF_INET6 */
	bool unicast;			/* unicast_peer given */
	/* applied in place */
	uint8_t version;		/* 2 or 3 */
	struct vrrp_fsm_conf fc;
	struct garp_params garp;
	enum vrrp_auth_type auth;	/* VRRP_AUTH_NONE with VRRPv3 */
	int proto;			/* VRRP_PROTO, or VRRP_PROTO_AH with AH authentication */
	struct inet_addr group;		/* multicast: where adverts go; family 0 for unicast */
	struct inet_addr src;		/* unicast_src_ip / mcast_src_ip; family 0: the interface's */
	uint8_t unicast_ttl;		/* TTL of unicast adverts; 0: the socket's (255) */
	bool skip_check_adv_addr;
	bool check_unicast_src;		/* for the dump: the receive path checks unicast peers always */
	/* adjustments the edge warns about, in keepalived's words */
	bool version_forced;		/* IPv6 asked for VRRPv2: 3 is used */
	bool auth_ignored;		/* authentication with VRRPv3 */
	bool adver_int_rounded;		/* VRRPv2 advert_int with a fraction: whole seconds */
	bool nopreempt_cleared;		/* nopreempt with state MASTER */
	/* VMAC (vrrp_vmac.c): part of the identity (a change restarts the instance) */
	bool use_vmac, vmac_xmit_base;
	const char *vmac_ifname;	/* borrowed; "" for the default name */
	uint8_t vmac_mac[6];		/* all 0: the default */
	bool use_vmac_addr;
	/* vrrp_strict and accept mode (vrrp_nft.c drops what an instance without it owns) */
	bool strict;			/* strict_mode, else vrrp_strict */
	bool accept;			/* accept mode: accept, else priority 255 or !strict */
	bool firewall;			/* as master, drop what is sent to/from its addresses */
	/* what strict mode changed, said in keepalived 2.2.7's words (vrrp_eff_strict_lines) */
	uint16_t strict_fixes;		/* enum vrrp_eff_strict_fix bits */
	bool strict_unicast;		/* unicast_peer under strict mode: the instance stays in
					 * FAULT ("Unicast peers are not supported in strict mode") */
};

/* What strict mode (or accept with it) makes an instance change. */
enum vrrp_eff_strict_fix {
	VRRP_EFF_FIX_STATE = 1 << 0,		/* state MASTER only with priority 255 */
	VRRP_EFF_FIX_AUTH = 1 << 1,		/* no authentication */
	VRRP_EFF_FIX_PREEMPT_DELAY = 1 << 2,
	VRRP_EFF_FIX_DOWN_TIMER = 1 << 3,	/* down_timer_adverts 3 */
	VRRP_EFF_FIX_GARP_REPEAT = 1 << 4,	/* garp_lower_prio_repeat 0 */
	VRRP_EFF_FIX_GARP_DELAY = 1 << 5,	/* garp_lower_prio_delay 0 */
	VRRP_EFF_FIX_LOWER_NO_ADVERT = 1 << 6,	/* lower_prio_no_advert on */
	VRRP_EFF_FIX_HIGHER_ADVERT = 1 << 7,	/* higher_prio_send_advert off */
	VRRP_EFF_FIX_ACCEPT_V2 = 1 << 8,	/* accept with VRRPv2: off */
	VRRP_EFF_FIX_FIRST_LL = 1 << 9,		/* the first IPv6 VIP is not link-local (said only) */
	VRRP_EFF_FIX__COUNT = 10
};
/* keepalived 2.2.7's line for fix number i (of enum vrrp_eff_strict_fix), after "(NAME) ". */
const char *vrrp_eff_strict_line(unsigned i);

/* Pure: c's effective settings under gd. out->interface borrows from c. */
void vrrp_eff_compute(const struct vc_instance *c, const struct gd_vrrp *gd, struct vrrp_eff *out);

/*
 * Do a and b name different virtual routers? Then what (len bytes, for a log line):
 * "virtual_router_id changed (51 -> 52)", "interface changed (eth0 -> eth1)",
 * "address family changed (IPv4 -> IPv6)", "unicast_peer changed (multicast -> unicast)".
 */
bool vrrp_eff_identity_change(const struct vrrp_eff *a, const struct vrrp_eff *b,
			      char *what, size_t len);

/* Every setting equal (what a reload would apply in place: nothing if so). */
bool vrrp_eff_same(const struct vrrp_eff *a, const struct vrrp_eff *b);

/* The multicast group of family for an instance block: mcast_dst_ip, else global_defs'. */
struct inet_addr vrrp_eff_group(const struct vc_instance *c, sa_family_t family,
				const struct gd_vrrp *gd);
