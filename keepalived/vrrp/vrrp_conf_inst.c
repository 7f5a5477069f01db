// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/vrrp/vrrp_conf_inst.c: the vrrp_instance block and its keywords. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vrrp_conf_int.h"
#include "core/global_defs.h"
#include "utils.h"
#include "vrrp_conf_host.h"
#include "vrrp_conf_track.h"
#include "vrrp_route_conf.h"
#include "vrrp_vmac.h"
#include "zone.h"

/* The instance's rarely set fields, allocated (with their defaults) on the first one. */
static struct vc_more *more_of(void *obj)
{
	struct vc_instance *vi = obj;

	if (!vi->more) {
		vi->more = xmalloc(sizeof(*vi->more));
		*vi->more = vc_more_default;
	}
	return vi->more;
}

const struct vc_more vc_more_default = {
	.unicast_ttl = -1,
	.garp_master_delay_us = -1, .garp_master_refresh_us = -1, .garp_lower_prio_delay_us = -1,
	.garp_master_repeat = -1, .garp_master_refresh_repeat = -1, .garp_lower_prio_repeat = -1,
	.skip_check_adv_addr = -1, .lower_prio_no_advert = -1, .higher_prio_send_advert = -1,
	.notify_priority_changes = -1, .owner_ignore_adverts = -1,
	.smtp_alert = -1,
};

/* keepalived's misnamed spelling: an error that names the keyword to use */
static int kw_thread_timer_expired(struct cfg *c, void *obj, const struct cfg_args *a)
{
	cfg_error(c, "'thread_timer_expired' is not a keyword: use 'timer_expired_backup'");
	return -EINVAL;
}

static int line_track_interface(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct vc_more *m;
	struct vc_track_opts o;
	struct vc_track_if *t;

	if (vc_parse_track_opts(c, a, "track_interface", false, &o) < 0 ||
	    vc_check_ifname(c, a, 0, "track_interface") < 0)
		return -EINVAL;
	m = more_of(obj);
	for (unsigned i = 0; i < m->n_track_ifs; i++)
		if (!strcmp(m->track_ifs[i].name, a->argv[0])) {
			cfg_mistake_arg(c, 0, "track_interface %s is listed twice: this one is ignored",
					a->argv[0]);
			return 0;
		}
	m->track_ifs = xrealloc(m->track_ifs, (m->n_track_ifs + 1) * sizeof(*m->track_ifs));
	t = &m->track_ifs[m->n_track_ifs++];
	*t = (struct vc_track_if){ .name = xstrdup(a->argv[0]), .weight = o.weight,
				   .reverse = o.reverse };
	vc_set_at(c, a, 0, &t->at);
	return 0;
}

/*
 * ADDR[/PREFIX] [options]: the address of a VIP, an excluded VIP or a static
 * address. The options are the VRRP engine's business (iproute2-like syntax).
 */
int vc_check_ip_prefix(struct cfg *c, const struct cfg_args *a, const char *kw)
{
	const char *s = a->argv[0], *slash = strchr(s, '/');
	char *addr = slash ? xstrndup(s, slash - s) : xstrdup(s);
	struct inet_addr ia;
	bool ok = inet_addr_parse(addr, &ia);

	free(addr);
	if (ok && slash) {
		char *end;
		unsigned long plen = strtoul(slash + 1, &end, 10);

		ok = isdigit((unsigned char)slash[1]) && !*end &&
		     plen <= (ia.family == AF_INET ? 32u : 128u);
	}
	if (!ok) {
		cfg_error_arg(c, 0, "'%s' expects an IP address[/prefix], got '%s'", kw, s);
		return -EINVAL;
	}
	return 0;
}

/*
 * -t: the interface of an address line (its dev, else default_ifname when given) must exist.
 * kw names the block in the message.
 */
int vc_check_addr_dev(struct cfg *c, const struct cfg_args *a, const struct vrrp_ipaddr *ia,
		      const char *kw, const char *default_ifname)
{
	char what[160];

	if (!(ia->flags & VRRP_IPADDR_F_DEV)) {
		if (!default_ifname || vc_ifname_fine(c, default_ifname))
			return 0;
		snprintf(what, sizeof(what), "%s %s (no dev: the default_interface)", kw, a->argv[0]);
		return vc_check_ifname_at(c, default_ifname, 0, what) < 0 ? -EINVAL : 0;
	}
	for (int i = 1; i + 1 < a->argc; i++) {
		if (strcmp(a->argv[i], "dev"))
			continue;
		if (vc_ifname_fine(c, a->argv[i + 1]))
			return 0;
		snprintf(what, sizeof(what), "%s %s", kw, a->argv[0]);
		return vc_check_ifname(c, a, i + 1, what) < 0 ? -EINVAL : 0;
	}
	return 0;
}

static int line_vip(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct vc_instance *vi = obj;
	struct vrrp_ipaddr ia;

	vi->has_vip_lines = true;
	if (vc_check_ip_prefix(c, a, "virtual_ipaddress") < 0 ||
	    vrrp_ipaddr_parse_cfg(c, a, VRRP_IPADDR_VIP, NULL, &ia) < 0)
		return -EINVAL;
	vi->vip_ia = zone_realloc(vi->vip_ia, (vi->n_vips + 1) * sizeof(*vi->vip_ia));
	vi->vip_ia[vi->n_vips++] = ia;
	return vc_check_addr_dev(c, a, &ia, "virtual_ipaddress", NULL);
}

static int line_evip(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct vc_instance *vi = obj;
	struct vrrp_ipaddr ia;

	if (vc_check_ip_prefix(c, a, "virtual_ipaddress_excluded") < 0 ||
	    vrrp_ipaddr_parse_cfg(c, a, VRRP_IPADDR_EVIP, NULL, &ia) < 0)
		return -EINVAL;
	vi->evip_ia = zone_realloc(vi->evip_ia, (vi->n_evips + 1) * sizeof(*vi->evip_ia));
	vi->evip_ia[vi->n_evips++] = ia;
	return vc_check_addr_dev(c, a, &ia, "virtual_ipaddress_excluded", NULL);
}

static int line_vroute(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct vrrp_route r;

	if (vrrp_route_parse_cfg(c, a, "virtual_routes", &r) == 0)
		vc_routes_add_route(&more_of(obj)->routes, a, &r);
	return 0;
}

static int line_vrule(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct vrrp_conf *vc = cfg_root_obj(c, vrrp_root_kws);
	struct vrrp_rule r;

	if (vrrp_rule_parse_cfg(c, a, "virtual_rules", &r) == 0)
		vc_routes_add_rule(c, &more_of(obj)->routes, vc_statics(vc), a, &r);
	return 0;
}

/* unicast_peer { ADDR [min_ttl N] [max_ttl N] } */
static int line_unicast_peer(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct vc_more *m;
	struct vc_peer p = { .min_ttl = -1, .max_ttl = -1 };

	if (!inet_addr_parse(a->argv[0], &p.addr)) {
		cfg_error_arg(c, 0, "'unicast_peer' expects an IP address, got '%s'", a->argv[0]);
		return -EINVAL;
	}
	for (int i = 1; i < a->argc; i += 2) {
		unsigned v;

		if (strcmp(a->argv[i], "min_ttl") && strcmp(a->argv[i], "max_ttl")) {
			cfg_error_arg(c, i, "'unicast_peer' expects ADDR [min_ttl N] [max_ttl N], got '%s'",
				      a->argv[i]);
			return -EINVAL;
		}
		if (i + 1 >= a->argc) {
			cfg_error_arg(c, i, "'%s' needs a value", a->argv[i]);
			return -EINVAL;
		}
		if (cfg_uint(c, a, i + 1, 0, 255, &v) < 0)
			return -EINVAL;
		*(a->argv[i][1] == 'i' ? &p.min_ttl : &p.max_ttl) = v;
	}
	if (p.min_ttl >= 0 && p.max_ttl >= 0 && p.min_ttl > p.max_ttl)
		cfg_mistake_arg(c, 0, "unicast_peer %s: min_ttl %d is above max_ttl %d: every "
				"advert from it is dropped", a->argv[0], p.min_ttl, p.max_ttl);
	m = more_of(obj);
	for (unsigned i = 0; i < m->n_peers; i++)
		if (inet_addr_eq(&m->peers[i].addr, &p.addr)) {
			cfg_warn_arg(c, 0, "unicast_peer %s is listed twice", a->argv[0]);
			return 0;
		}
	m->peers = xrealloc(m->peers, (m->n_peers + 1) * sizeof(*m->peers));
	m->peers[m->n_peers++] = p;
	return 0;
}

/* track_script { NAME [weight N [reverse|noreverse]] } */
static int line_inst_track_script(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct vc_more *m;
	struct vc_track_script *t;
	struct vc_track_opts o;

	if (vc_parse_track_opts(c, a, "track_script", true, &o) < 0)
		return -EINVAL;
	m = more_of(obj);
	m->track_scripts = xrealloc(m->track_scripts,
				    (m->n_track_scripts + 1) * sizeof(*m->track_scripts));
	t = &m->track_scripts[m->n_track_scripts++];
	*t = (struct vc_track_script){ .weight = o.weight, .has_weight = o.has_weight,
				       .reverse = o.reverse, .has_reverse = o.has_reverse,
				       .script = -1 };
	vc_set_ref(c, a, 0, &t->ref);
	return 0;
}

static int kw_interface(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct vc_instance *vi = obj;
	char what[160];
	int r = 0;

	if (!vc_ifname_fine(c, a->argv[1])) {	/* only then the message (-t on 100k instances) */
		snprintf(what, sizeof(what), "vrrp_instance '%s'", vi->id.name);
		r = vc_check_ifname(c, a, 1, what);
	}
	if (r > 0)
		cfg_error_arg(c, 1, "vrrp_instance '%s': cannot use a loopback interface (%s) for VRRP",
			      vi->id.name, a->argv[1]);
	vi->interface = vc_intern(c, a->argv[1]);
	return r ? -EINVAL : 0;
}

static int kw_state(struct cfg *c, void *obj, const struct cfg_args *a)
{
	static const char *const states[] = { "BACKUP", "MASTER", NULL };
	struct vc_instance *vi = obj;
	int i;

	vi->has_state = true;
	if (cfg_enum(c, a, 1, states, &i) < 0)
		return -EINVAL;
	vi->state = i;
	return 0;
}

/* debug 0..4: checked, not acted on */
static int kw_debug(struct cfg *c, void *obj, const struct cfg_args *a)
{
	unsigned v;

	return cfg_uint(c, a, 1, 0, 4, &v);
}

/*
 * use_ipvlan [ADDR/PREFIX] [bridge|private|vepa]: keepalived 2.2.7 makes an ipvlan interface
 * for the instance. The kernels this daemon is meant for have no ipvlan module (and it
 * makes none): the instance logs 2.2.7's "Unable to create ipvlan interface" line and
 * stays in FAULT, as 2.2.7 does there (vrrp_misc.c).
 */
static int kw_use_ipvlan(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct vc_more *m = more_of(obj);

	if (m->use_ipvlan) {
		cfg_mistake(c, "(%s) use_ipvlan already specified", ((struct vc_instance *)obj)->id.name);
		return 0;
	}
	(void)a;
	m->use_ipvlan = true;
	return 0;
}

/* garp_extra_if [all] SECS (vmac_garp_intvl: its deprecated name), as keepalived 2.2.7 reads it */
static int kw_garp_extra_if(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct vc_more *m = more_of(obj);
	const char *name = ((struct vc_instance *)obj)->id.name;
	unsigned secs = UINT_MAX, v;
	bool all = false;

	for (int i = 1; i < a->argc; i++) {
		char *end;

		if (!strcmp(a->argv[i], "all")) {
			all = true;
			continue;
		}
		errno = 0;
		v = strtoul(a->argv[i], &end, 10);
		if (errno || end == a->argv[i] || *end || v > 86400 || a->argv[i][0] == '-') {
			cfg_mistake(c, "(%s): %s '%s' invalid - ignoring", name, a->argv[0], a->argv[i]);
			return 0;
		}
		secs = v;
	}
	if (secs == UINT_MAX) {
		cfg_mistake(c, "(%s): %s specified without time - ignoring", name, a->argv[0]);
		return 0;
	}
	m->has_garp_extra_if = true;
	m->garp_extra_if_all = all;
	m->garp_extra_if_s = secs;
	return 0;
}

/* linkbeat_use_polling (deprecated): no polling here, netlink gives the link state */
static int kw_linkbeat(struct cfg *c, void *obj, const struct cfg_args *a)
{
	(void)obj;
	cfg_warn(c, "'%s': no polling: the link state comes from netlink, which reports the "
		 "same changes", a->argv[0]);
	return 0;
}

/* kernel_rx_buf_size BYTES: this instance's share of its socket's receive buffer */
static int kw_kernel_rx_buf_size(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct vc_more *m = more_of(obj);
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(a->argv[1], &end, 10);
	if (errno || end == a->argv[1] || *end || a->argv[1][0] == '-' || v > UINT_MAX) {
		cfg_mistake(c, "(%s) invalid kernel_rx_buf_size specified",
			    ((struct vc_instance *)obj)->id.name);
		return 0;
	}
	m->kernel_rx_buf_size = (unsigned)v;
	return 0;
}

/*
 * lvs_sync_daemon_interface IF (deprecated): global_defs' lvs_sync_daemon IF on this
 * instance, unless that is set already (by it or by an earlier instance).
 */
static int kw_lvs_sync_if(struct cfg *c, void *obj, const struct cfg_args *a)
{
	const struct global_defs *gd = cfg_root_obj(c, global_defs_root_kws);
	const struct vrrp_conf *vc = cfg_root_obj(c, vrrp_root_kws);
	struct vc_instance *vi = obj;
	const char *was = NULL;
	struct gd_check g;

	if (gd) {
		global_defs_check(gd, &g);
		was = g.syncd_if;
	}
	for (unsigned i = 0; vc && !was && i < vc->n_insts; i++)
		if (vc->insts[i]->more && vc->insts[i]->more->lvs_sync_if)
			was = vc->insts[i]->more->lvs_sync_if;
	if (was) {
		cfg_mistake(c, "(%s) lvs_sync_daemon_interface has already been specified as %s - "
			    "ignoring", vi->id.name, was);
		return 0;
	}
	if (vc_check_ifname(c, a, 1, "lvs_sync_daemon_interface") < 0)
		return -EINVAL;
	more_of(obj)->lvs_sync_if = vc_intern(c, a->argv[1]);
	return 0;
}

/* v3_checksum_as_v2 [BOOL] (later keepalived) */
static int kw_v3_csum_as_v2(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct vc_more *m = more_of(obj);
	bool b = true;

	if (a->argc > 1 && cfg_bool(c, a, 1, &b) < 0)
		return -EINVAL;
	m->has_v3_csum_as_v2 = true;
	m->v3_csum_as_v2 = b;
	return 0;
}

/* old_unicast_checksum [never] */
static int kw_old_unicast_checksum(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct vc_more *m = more_of(obj);

	if (a->argc < 2) {
		m->old_unicast_csum = VC_OLD_CSUM_ON;
	} else if (!strcmp(a->argv[1], "never")) {
		m->old_unicast_csum = VC_OLD_CSUM_NEVER;
	} else {
		cfg_mistake(c, "(%s) Unknown old_unicast_chksum mode %s - ignoring",
			    ((struct vc_instance *)obj)->id.name, a->argv[1]);
	}
	return 0;
}

/* vrf NAME: a VRF device for unicast without an interface; none exists without the module */
static int kw_vrf(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct vc_instance *vi = obj;

	if (strlen(a->argv[1]) >= IF_NAMESIZE)
		cfg_mistake(c, "(%s) VRF interface name '%s' too long - ignoring", vi->id.name, a->argv[1]);
	else if (vi->interface)
		cfg_mistake(c, "(%s) Cannot specify VRF interface and interface - ignoring", vi->id.name);
	else
		cfg_mistake(c, "(%s) vrf %s: VRFs are not supported (no VRF module) - ignoring",
			    vi->id.name, a->argv[1]);
	return 0;
}

/* virtual_router_id and priority: an invalid value is reported once, not also as "missing" */
static int kw_vrid(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct vc_instance *vi = obj;
	unsigned v;

	vi->has_vrid = true;
	if (cfg_uint(c, a, 1, 1, 255, &v) < 0)
		return -EINVAL;
	vi->vrid = v;
	return 0;
}

static int kw_priority(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct vc_instance *vi = obj;
	unsigned v;

	vi->has_priority = true;
	if (cfg_uint(c, a, 1, 1, 255, &v) < 0)
		return -EINVAL;
	vi->priority = v;
	return 0;
}

/*
 * use_vmac [IFNAME] [MAC] (VMAC, vrrp_vmac.c): in either order, the word with a ':' is the
 * MAC. 2.2.7's messages; what it ignores is left out, the VMAC still made.
 */
static int kw_use_vmac(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct vc_instance *vi = obj;
	bool name = false, addr = false;
	struct vc_more *m;

	vi->use_vmac = true;
	for (int i = 1; i < a->argc; i++) {
		const char *w = a->argv[i];

		if (strchr(w, ':')) {
			uint8_t mac[6];
			bool with_vrid;
			int r;

			if (addr) {	/* 2.2.7 reads no further */
				cfg_mistake_arg(c, i, "VMAC interface address already specified");
				return 0;
			}
			addr = true;
			r = vrrp_vmac_parse_mac(w, mac, &with_vrid);
			if (r == -EINVAL)
				cfg_mistake_arg(c, i, "VMAC invalid MAC address %s", w);
			else if (r == -EADDRNOTAVAIL)
				cfg_mistake_arg(c, i, "VMAC MAC address is multicast %s - ignoring", w);
			else if (r == -EADDRINUSE)
				cfg_mistake_arg(c, i, "VMAC MAC address not allowed to be RFC5798 address (%s) - ignoring", w);
			if (r < 0)
				continue;
			m = more_of(obj);
			memcpy(m->vmac_mac, mac, sizeof(mac));
			m->has_vmac_mac = true;
			m->vmac_mac_vrid = with_vrid;
		} else if (name) {
			cfg_mistake_arg(c, i, "VMAC interface name already specified");
			return 0;
		} else if (!vrrp_vmac_ifname_ok(w)) {
			name = true;
			cfg_mistake_arg(c, i, "VMAC interface name '%s' too long or invalid characters - ignoring", w);
		} else {
			name = true;
			m = more_of(obj);
			free(m->vmac_ifname);
			m->vmac_ifname = xstrdup(w);
		}
	}
	return 0;
}

#define VI(o) ((struct vc_instance *)(o))
#define VM(o) more_of(o)
/* keepalived: 0.01 to 255 seconds (VRRPv3 counts centiseconds) */
SET_SECS(kw_advert_int, VI, advert_int_us, 10000, 255000000)
SET_UINT(kw_version, VI, version, 2, 3)
SET_FLAG(kw_native_ipv6, VI, native_ipv6, true)
SET_FLAG(kw_no_vips, VI, no_vips, true)
SET_FLAG(kw_nopreempt, VI, nopreempt, true)
SET_FLAG(kw_preempt, VI, nopreempt, false)
SET_SECS(kw_preempt_delay, VI, preempt_delay_us, 0, 1000000000ULL)
SET_ADDR(kw_unicast_src_ip, VM, unicast_src)
SET_ADDR(kw_mcast_src_ip, VM, mcast_src)
SET_ADDR(kw_mcast_dst_ip, VM, mcast_dst)
SET_UINT(kw_unicast_ttl, VM, unicast_ttl, 1, 255)
SET_FLAG(kw_dont_track_primary, VI, dont_track_primary, true)
SET_FLAG(kw_unicast_fault_no_peer, VI, unicast_fault_no_peer, true)
SET_FLAG(kw_vmac_xmit_base, VI, vmac_xmit_base, true)
SET_FLAG(kw_use_vmac_addr, VM, use_vmac_addr, true)
/* accept / no_accept: the last one written counts */
static int kw_accept(struct cfg *c, void *obj, const struct cfg_args *a)
{
	cfg_kw_flag(c, obj, a);
	VI(obj)->accept = !strcmp(a->argv[0], "accept");
	VI(obj)->has_accept = true;
	return 0;
}

/* strict_mode [BOOL]: vrrp_strict for this instance alone */
static int kw_strict_mode(struct cfg *c, void *obj, const struct cfg_args *a)
{
	bool b;

	if (cfg_bool(c, a, 1, &b) < 0)
		return -EINVAL;
	VI(obj)->strict_mode = b;
	VI(obj)->has_strict_mode = true;
	return 0;
}
SET_BOOL(kw_skip_check_adv_addr, VM, skip_check_adv_addr)
SET_BOOL(kw_lower_prio_no_advert, VM, lower_prio_no_advert)
SET_BOOL(kw_higher_prio_send_advert, VM, higher_prio_send_advert)
SET_BOOL(kw_inst_notify_prio, VM, notify_priority_changes)
SET_BOOL(kw_inst_smtp_alert, VM, smtp_alert)

/* notify_deleted [SCRIPT [USER [GROUP]]]: keepalived keeps the first */
static int kw_notify_deleted(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct vc_more *m = VM(obj);

	if (m->notify_deleted_set) {
		cfg_error(c, "(%s) notify_deleted already specified - ignoring %s", VI(obj)->id.name,
			  a->argc > 1 ? a->argv[1] : "");
		return -EINVAL;
	}
	m->notify_deleted_set = true;
	return a->argc > 1 ? vc_set_cmd(c, a, &m->notify_deleted) : 0;
}
SET_UINT(kw_down_timer_adverts, VM, down_timer_adverts, 1, 100)
SET_FLAG(kw_check_unicast_src, VM, check_unicast_src, true)
SET_FLAG(kw_promote_secondaries, VM, promote_secondaries, true)
SET_FLAG(kw_track_src_ip, VM, track_src_ip, true)
SET_BOOL(kw_owner_ignore_adverts, VM, owner_ignore_adverts)
SET_SECS(kw_garp_master_delay, VM, garp_master_delay_us, 0, 1000000000ULL)
SET_SECS(kw_garp_master_refresh, VM, garp_master_refresh_us, 0, 1000000000ULL)
SET_SECS(kw_garp_lower_prio_delay, VM, garp_lower_prio_delay_us, 0, 1000000000ULL)
SET_UINT(kw_garp_master_repeat, VM, garp_master_repeat, 1, 10000)
SET_UINT(kw_garp_master_refresh_repeat, VM, garp_master_refresh_repeat, 1, 10000)
SET_UINT(kw_garp_lower_prio_repeat, VM, garp_lower_prio_repeat, 1, 10000)
SET_CMD(kw_notify_master, VM, notify_master)
SET_CMD(kw_notify_backup, VM, notify_backup)
SET_CMD(kw_notify_fault, VM, notify_fault)
SET_CMD(kw_notify_stop, VM, notify_stop)
SET_CMD(kw_notify, VM, notify)
SET_CMD(kw_notify_rx_lower, VM, notify_master_rx_lower_pri)
SET_CMD(kw_notify_conflict, VM, notify_conflict)	/* conflict (issue 15) */
#undef VI
#undef VM

static int kw_auth_type(struct cfg *c, void *obj, const struct cfg_args *a)
{
	static const char *const types[] = { "PASS", "AH", NULL };
	int i;

	if (cfg_enum(c, a, 1, types, &i) < 0)
		return -EINVAL;
	((struct vc_instance *)obj)->auth_type = i == 0 ? VC_AUTH_PASS : VC_AUTH_AH;
	return 0;
}

/* keepalived uses the first 8 bytes (the size of the v2 authentication data) */
static int kw_auth_pass(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct vc_more *m = more_of(obj);

	if (strlen(a->argv[1]) > 8)
		cfg_mistake_arg(c, 1, "'auth_pass' is longer than 8 characters: only '%.8s' is used",
				a->argv[1]);
	snprintf(m->auth_pass, sizeof(m->auth_pass), "%s", a->argv[1]);
	return 0;
}

static const struct cfg_kw authentication_kws[] = {
	CFG_KW("auth_type", kw_auth_type, CFG_ARG1),
	CFG_KW("auth_pass", kw_auth_pass, CFG_ARG1),
	{ 0 }
};

static const struct cfg_kw auth_hmac_kws[] = {
	CFG_KW_LATER("key", NULL, .args = 2),
	CFG_KW_LATER("active_key", NULL, CFG_ARG1),
	CFG_KW_LATER("anti_replay", NULL, CFG_ARG1),
	CFG_KW_LATER("time_window", NULL, CFG_ARG1),
	CFG_KW_LATER("mode", NULL, CFG_ARG1),
	{ 0 }
};

const struct cfg_kw vc_instance_kws[] = {
	CFG_KW("state", kw_state, CFG_ARG1),
	CFG_KW("interface", kw_interface, CFG_ARG1),
	CFG_KW("virtual_router_id", kw_vrid, CFG_ARG1),
	CFG_KW("priority", kw_priority, CFG_ARG1),
	CFG_KW("advert_int", kw_advert_int, CFG_ARG1),
	CFG_KW("virtual_ipaddress", NULL, .line = line_vip),
	CFG_KW("virtual_ipaddress_excluded", NULL, .line = line_evip),
	CFG_KW("no_virtual_ipaddress", kw_no_vips, CFG_FLAGARGS),
	CFG_KW("authentication", NULL, .block = authentication_kws),
	CFG_KW_LATER("auth_hmac", NULL, .block = auth_hmac_kws),
	CFG_KW("nopreempt", kw_nopreempt, CFG_FLAGARGS),
	CFG_KW("preempt", kw_preempt, CFG_FLAGARGS),
	CFG_KW("preempt_delay", kw_preempt_delay, CFG_ARG1),
	CFG_KW("unicast_src_ip", kw_unicast_src_ip, CFG_ARG1),
	CFG_KW("unicast_peer", NULL, .line = line_unicast_peer),
	CFG_KW("unicast_fault_no_peer", kw_unicast_fault_no_peer, CFG_FLAGARGS),
	CFG_KW("unicast_ttl", kw_unicast_ttl, CFG_ARG1),
	CFG_KW("check_unicast_src", kw_check_unicast_src, CFG_FLAGARGS),
	CFG_KW("old_unicast_checksum", kw_old_unicast_checksum, CFG_OPT1),
	CFG_KW("mcast_src_ip", kw_mcast_src_ip, CFG_ARG1),
	CFG_KW("mcast_dst_ip", kw_mcast_dst_ip, CFG_ARG1),
	CFG_KW("track_src_ip", kw_track_src_ip, CFG_FLAGARGS),
	CFG_KW("version", kw_version, CFG_ARG1),
	CFG_KW("native_ipv6", kw_native_ipv6, CFG_FLAGARGS),
	CFG_KW("dont_track_primary", kw_dont_track_primary, CFG_FLAGARGS),
	CFG_KW("track_interface", NULL, .line = line_track_interface),
	CFG_KW("track_script", NULL, .line = line_inst_track_script),
	CFG_KW("track_file", NULL, .line = vc_line_inst_track_file),
	CFG_KW("track_process", NULL, .line = vc_line_inst_track_process),
	CFG_KW_LATER("track_bfd", NULL, .line = cfg_line_any),
	CFG_KW("use_vmac", kw_use_vmac, CFG_FLAGARGS),
	CFG_KW("use_vmac_addr", kw_use_vmac_addr, CFG_FLAGARGS),
	CFG_KW("vmac_xmit_base", kw_vmac_xmit_base, CFG_FLAGARGS),
	CFG_KW("use_ipvlan", kw_use_ipvlan, CFG_FLAGARGS),
	CFG_KW("vrf", kw_vrf, CFG_ARG1),
	CFG_KW("promote_secondaries", kw_promote_secondaries, CFG_FLAGARGS),
	CFG_KW("virtual_routes", NULL, .line = line_vroute),
	CFG_KW("virtual_rules", NULL, .line = line_vrule),
	CFG_KW("accept", kw_accept, CFG_FLAGARGS),
	CFG_KW("no_accept", kw_accept, CFG_FLAGARGS),
	CFG_KW("skip_check_adv_addr", kw_skip_check_adv_addr, CFG_OPT1),
	CFG_KW("strict_mode", kw_strict_mode, CFG_OPT1),
	CFG_KW("v3_checksum_as_v2", kw_v3_csum_as_v2, CFG_OPT1),
	CFG_KW("debug", kw_debug, CFG_ARG1),
	CFG_KW("notify_master", kw_notify_master, CFG_ARGS(1, 3)),
	CFG_KW("notify_backup", kw_notify_backup, CFG_ARGS(1, 3)),
	CFG_KW("notify_fault", kw_notify_fault, CFG_ARGS(1, 3)),
	CFG_KW("notify_stop", kw_notify_stop, CFG_ARGS(1, 3)),
	CFG_KW("notify_deleted", kw_notify_deleted, .max_args = 3),
	CFG_KW("notify", kw_notify, CFG_ARGS(1, 3)),
	CFG_KW("notify_master_rx_lower_pri", kw_notify_rx_lower, CFG_ARGS(1, 3)),
	CFG_KW("notify_conflict", kw_notify_conflict, CFG_ARGS(1, 3)),
	CFG_KW("notify_priority_changes", kw_inst_notify_prio, CFG_OPT1),
	CFG_KW("smtp_alert", kw_inst_smtp_alert, CFG_OPT1),
	CFG_KW("lvs_sync_daemon_interface", kw_lvs_sync_if, CFG_ARG1,
		     CFG_ALIAS("lvs_sync_daemon (in global_defs)")),
	CFG_KW("garp_master_delay", kw_garp_master_delay, CFG_ARG1),
	CFG_KW("garp_master_repeat", kw_garp_master_repeat, CFG_ARG1),
	CFG_KW("garp_master_refresh", kw_garp_master_refresh, CFG_ARG1),
	CFG_KW("garp_master_refresh_repeat", kw_garp_master_refresh_repeat, CFG_ARG1),
	CFG_KW("garp_lower_prio_delay", kw_garp_lower_prio_delay, CFG_ARG1),
	CFG_KW("garp_lower_prio_repeat", kw_garp_lower_prio_repeat, CFG_ARG1),
	CFG_KW("garp_extra_if", kw_garp_extra_if, CFG_ARGS(1, 2)),
	CFG_KW("vmac_garp_intvl", kw_garp_extra_if, CFG_ARGS(1, 2), CFG_ALIAS("garp_extra_if")),
	CFG_KW("down_timer_adverts", kw_down_timer_adverts, CFG_ARG1),
	CFG_KW_LATER("timer_expired_backup", NULL, CFG_OPT1),
	CFG_KW("thread_timer_expired", kw_thread_timer_expired, CFG_OPT1),
	CFG_KW("lower_prio_no_advert", kw_lower_prio_no_advert, CFG_OPT1),
	CFG_KW("higher_prio_send_advert", kw_higher_prio_send_advert, CFG_OPT1),
	CFG_KW("owner_ignore_adverts", kw_owner_ignore_adverts, CFG_OPT1),
	CFG_KW("kernel_rx_buf_size", kw_kernel_rx_buf_size, CFG_ARG1),
	CFG_KW("linkbeat_use_polling", kw_linkbeat, CFG_FLAGARGS, CFG_ALIAS("linkbeat_interfaces")),
	{ 0 }
};

void *vc_open_instance(struct cfg *c, void *parent, const struct cfg_args *a)
{
	struct vrrp_conf *vc = parent;
	size_t len = strlen(a->argv[1]) + 1;
	/*
	 * The instance and its VIP arrays come from lib/zone.h, not the heap: a reload makes a
	 * config while the old one lives, among the parse's transient objects; in the heap the
	 * old one left holes between long-lived objects, resident pages (issue 16: the VRRP
	 * child's RssAnon grew in steps over 1,000 reloads). vrrp_conf_free() gives them back.
	 */
	struct vc_instance *vi = zone_calloc(sizeof(*vi) + len);

	vi->is_dup = vc_check_dup(c, a, vc, &vc_tag_inst, true);
	memcpy(vi->name, a->argv[1], len);
	vi->id = (struct vc_ref){ .name = vi->name, .file = vc_intern(c, a->file), .line = a->line,
				  .col = cfg_col(c, 1) };
	vc_name_put(vc, &vc_tag_inst, &vi->id);
	vi->priority = VC_PRIO_DEFAULT;
	vi->advert_int_us = 1000000;
	vi->sync_group = -1;
	vi->index = vc->n_insts;
	vc->insts = xrealloc(vc->insts, (vc->n_insts + 1) * sizeof(*vc->insts));
	vc->insts[vc->n_insts++] = vi;
	return vi;
}
