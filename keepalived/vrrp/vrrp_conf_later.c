// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/vrrp/vrrp_conf_later.c: static_*, track_group, top-level blocks not acted on yet. */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include "vrrp_conf_int.h"
#include "core/global_defs.h"
#include "vrrp_conf_host.h"
#include "vrrp_route_conf.h"
#include "utils.h"

struct vc_routes *vc_statics(struct vrrp_conf *vc)
{
	if (!vc->statics)
		vc->statics = xcalloc(1, sizeof(*vc->statics));
	return vc->statics;
}

/*
 * A static entry's track_group must be defined above it, as keepalived 2.2.7 reads it:
 * else "track_group NAME not found" (a mistake: -t fails), and the entry is untracked.
 */
static const char *check_track_group(struct cfg *c, const struct cfg_args *a, const char *name)
{
	struct vrrp_conf *vc = cfg_root_obj(c, vrrp_root_kws);
	const struct vc_routes *st = vc->statics;

	if (!name)
		return NULL;
	for (unsigned i = 0; st && i < st->n_tgs; i++)
		if (!strcmp(st->tgs[i].name, name))
			return name;
	for (int i = 0; i + 1 < a->argc; i++)
		if (!strcmp(a->argv[i], "track_group") && !strcmp(a->argv[i + 1], name)) {
			cfg_mistake_arg(c, i + 1, "track_group %s not found", name);
			return NULL;
		}
	cfg_mistake(c, "track_group %s not found", name);
	return NULL;
}

/* static_ipaddress: without dev, on global_defs' default_interface (eth0 by default) */
int vc_line_static_addr(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct vrrp_conf *vc = obj;
	const struct global_defs *gd = cfg_root_obj(c, global_defs_root_kws);
	const char *def = gd ? global_defs_default_interface(gd) : NULL;
	struct vc_routes *st;
	struct vrrp_ipaddr ia;

	if (vc_check_ip_prefix(c, a, "static_ipaddress") < 0 ||
	    vrrp_ipaddr_parse_cfg(c, a, VRRP_IPADDR_STATIC, def ? def : "eth0", &ia) < 0 ||
	    vc_check_addr_dev(c, a, &ia, "static_ipaddress", def) < 0)
		return -EINVAL;
	vc_add_line(a, &vc->static_addrs);
	st = vc_statics(vc);
	st->addrs = xrealloc(st->addrs, (st->n_addrs + 1) * sizeof(*st->addrs));
	st->addr_tg = xrealloc(st->addr_tg, (st->n_addrs + 1) * sizeof(*st->addr_tg));
	st->addr_tg[st->n_addrs] = ia.track_group_arg && ia.track_group_arg < a->argc ?
				   vc_intern(c, a->argv[ia.track_group_arg]) : NULL;
	st->addr_tg[st->n_addrs] = check_track_group(c, a, st->addr_tg[st->n_addrs]);
	if (st->addr_tg[st->n_addrs] && (ia.flags & VRRP_IPADDR_F_NO_TRACK)) {
		cfg_mistake_arg(c, ia.track_group_arg, "Static address has both track_group and "
				"no_track set - not tracking");
		st->addr_tg[st->n_addrs] = NULL;
	}
	st->addrs[st->n_addrs++] = ia;
	return 0;
}

/*
 * Routes and rules: checked as keepalived reads them (it drops a bad line and runs on,
 * so a bad one is a mistake); static routes are kept as lines for the dump too.
 */
int vc_line_static_route(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct vrrp_conf *vc = obj;
	struct vrrp_route r;

	if (vrrp_route_parse_cfg(c, a, "static_routes", &r) == 0) {
		r.track_group = check_track_group(c, a, r.track_group);
		vc_add_line(a, &vc->static_routes);
		vc_routes_add_route(&vc->statics, a, &r);
	}
	return 0;
}

int vc_line_static_rule(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct vrrp_conf *vc = obj;
	struct vrrp_rule r;

	if (vrrp_rule_parse_cfg(c, a, "static_rules", &r) == 0) {
		r.track_group = check_track_group(c, a, r.track_group);
		vc_routes_add_rule(c, &vc->statics, vc_statics(vc), a, &r);
	}
	return 0;
}

/* track_group NAME { group { INSTANCE ... } } */
void *vc_open_track_group(struct cfg *c, void *parent, const struct cfg_args *a)
{
	struct vc_routes *st = vc_statics(parent);
	struct vc_track_group *tg;

	for (unsigned i = 0; i < st->n_tgs; i++)
		if (!strcmp(st->tgs[i].name, a->argv[1]))
			return &st->tgs[i];
	st->tgs = xrealloc(st->tgs, (st->n_tgs + 1) * sizeof(*st->tgs));
	tg = &st->tgs[st->n_tgs++];
	*tg = (struct vc_track_group){ .name = xstrdup(a->argv[1]) };
	return tg;
}

static int line_track_group(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct vc_track_group *tg = obj;

	for (int i = 0; i < a->argc; i++) {
		tg->insts = xrealloc(tg->insts, (tg->n_insts + 1) * sizeof(*tg->insts));
		tg->insts[tg->n_insts++] = xstrdup(a->argv[i]);
	}
	return 0;
}

/* garp_group { garp_interval S; gna_interval S; interface IF | interfaces { IF ... } } */
void *vc_open_garp_group(struct cfg *c, void *parent, const struct cfg_args *a)
{
	struct vrrp_conf *vc = parent;
	struct vc_garp_group *g = xcalloc(1, sizeof(*g));

	(void)c;
	(void)a;
	vc->garp_groups = xrealloc(vc->garp_groups, (vc->n_garp_groups + 1) * sizeof(*g));
	vc->garp_groups[vc->n_garp_groups++] = g;
	return g;
}

int vc_close_garp_group(struct cfg *c, void *obj)
{
	struct vc_garp_group *g = obj;

	if (!g->has_garp && !g->has_gna) {
		cfg_mistake(c, "garp_group does not have any delay set - removing");
		g->n_ifnames = 0;
	}
	return 0;
}

static void group_add_if(struct cfg *c, struct vc_garp_group *g, const char *name)
{
	const char *n = vc_intern(c, name);

	for (unsigned i = 0; i < g->n_ifnames; i++)
		if (g->ifnames[i] == n) {
			cfg_mistake(c, "garp_group already specified for %s - ignoring", name);
			return;
		}
	g->ifnames = xrealloc(g->ifnames, (g->n_ifnames + 1) * sizeof(*g->ifnames));
	g->ifnames[g->n_ifnames++] = n;
}

static int line_ifnames(struct cfg *c, void *obj, const struct cfg_args *a)
{
	int r = 0;

	for (int i = 0; i < a->argc; i++) {
		if (vc_check_ifname(c, a, i, "interfaces") < 0)
			r = -EINVAL;
		else
			group_add_if(c, obj, a->argv[i]);
	}
	return r;
}

static int kw_garp_group_if(struct cfg *c, void *obj, const struct cfg_args *a)
{
	if (vc_check_ifname(c, a, 1, "garp_group") < 0)
		return -EINVAL;
	group_add_if(c, obj, a->argv[1]);
	return 0;
}

static int group_interval(struct cfg *c, const struct cfg_args *a, uint64_t *us, bool *has)
{
	if (cfg_timer_us(c, a, 1, 0, INT_MAX, us) < 0)
		return -EINVAL;
	*has = true;
	if (*us >= 1000000)
		cfg_warn(c, "The %s is very large - %s seconds", a->argv[0], a->argv[1]);
	return 0;
}

static int kw_group_garp(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct vc_garp_group *g = obj;

	return group_interval(c, a, &g->garp_us, &g->has_garp);
}

static int kw_group_gna(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct vc_garp_group *g = obj;

	return group_interval(c, a, &g->gna_us, &g->has_gna);
}

/* linkbeat_interfaces { IFNAME [MII|ETHTOOL|IOCTL] } */
int vc_line_linkbeat(struct cfg *c, void *obj, const struct cfg_args *a)
{
	if (vc_check_ifname(c, a, 0, "linkbeat_interfaces") < 0)
		return -EINVAL;
	if (a->argc > 1 && (a->argc > 2 || (strcmp(a->argv[1], "MII") &&
			    strcmp(a->argv[1], "ETHTOOL") && strcmp(a->argv[1], "IOCTL"))))
		cfg_mistake_arg(c, 1, "linkbeat_interfaces %s: expects MII, ETHTOOL or IOCTL, got "
				"'%s'", a->argv[0], a->argv[1]);
	cfg_warn(c, "linkbeat_interfaces %s: no polling: the link state comes from netlink, "
		 "which reports the same changes", a->argv[0]);
	return 0;
}

/*
 * interface_up_down_delays { IFNAME DOWN [UP] }, each delay 0 to 255 s (UP: 0 when not
 * written, as keepalived 2.2.7 reads it). A later line for the same interface replaces.
 */
int vc_line_if_delays(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct vrrp_conf *vc = obj;
	struct vc_if_delay d = { 0 };
	unsigned i;

	if (vc_check_ifname(c, a, 0, "interface_up_down_delays") < 0)
		return -EINVAL;
	if (a->argc < 2) {
		cfg_mistake(c, "No timeouts specified for %s up/down delays", a->argv[0]);
		return 0;
	}
	if (a->argc > 3)
		cfg_mistake(c, "Too many parameters for %s up/down delays", a->argv[0]);
	if (cfg_timer_us(c, a, 1, 0, 255000000, &d.down_us) < 0 ||
	    (a->argc > 2 && cfg_timer_us(c, a, 2, 0, 255000000, &d.up_us) < 0))
		return -EINVAL;
	d.ifname = vc_intern(c, a->argv[0]);
	for (i = 0; i < vc->n_if_delays; i++)
		if (!strcmp(vc->if_delays[i].ifname, d.ifname))
			break;
	if (i == vc->n_if_delays)
		vc->if_delays = xrealloc(vc->if_delays, ++vc->n_if_delays * sizeof(*vc->if_delays));
	vc->if_delays[i] = d;
	return 0;
}

const struct cfg_kw vc_track_group_kws[] = {
	CFG_KW("group", NULL, .line = line_track_group),
	{ 0 }
};

const struct cfg_kw vc_garp_group_kws[] = {
	CFG_KW("garp_interval", kw_group_garp, CFG_ARG1),
	CFG_KW("gna_interval", kw_group_gna, CFG_ARG1),
	CFG_KW("interface", kw_garp_group_if, CFG_ARG1),
	CFG_KW("interfaces", NULL, .line = line_ifnames),
	{ 0 }
};
