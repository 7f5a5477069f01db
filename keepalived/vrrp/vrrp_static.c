// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/vrrp/vrrp_static.c: static_ipaddress, static_routes, static_rules and track_group. */
#include "vrrp_static.h"

#include <errno.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <libmnl/libmnl.h>

#include "core/reflector.h"
#include "log.h"
#include "nl.h"
#include "vrrp_ctx.h"
#include "vrrp_route.h"

#define LINE_LEN 512
#define START_TIMEOUT_MS 2000		/* per answer, at start-up only */

struct pending {
	struct vrrp_ipaddr a;
	bool add;
};

/* The child's static entries at run time (ctx->statics). */
struct vrrp_static {
	struct vrrp_ctx *ctx;
	const struct vc_routes *c;	/* borrowed: ctx->conf's */
	struct vrrp_rtset *set;		/* the routes and rules */
	struct vrrp_ipaddr_op op;
	struct vrrp_ipaddr *op_addrs;	/* the running op's copies */
	bool op_running;
	bool stopping;
	struct pending *q;		/* address requests after the running one */
	size_t n_q;
};

static const struct vc_routes *statics_of(const struct vrrp_ctx *ctx)
{
	return ctx->conf ? ctx->conf->statics : NULL;
}

/* ---- at start-up: everything in place before the reflector and the instances look ---- */

/* One request and its answer: 0 or -errno (the kernel's). */
static int sync_request(struct nl_sock *ns, uint8_t *buf, int len, uint32_t seq)
{
	uint8_t rx[NL_RECV_BUF];
	int r;

	if (len < 0)
		return len;
	if ((r = nl_sock_send(ns, buf, (size_t)len)) < 0)
		return r;
	for (;;) {
		ssize_t n;
		const struct nlmsghdr *nlh;
		struct nl_err e;

		if ((r = nl_wait(ns, START_TIMEOUT_MS)) < 0)
			return r;
		if ((n = nl_sock_recv(ns, rx, sizeof(rx))) == -EAGAIN)
			continue;
		if (n < 0)
			return (int)n;
		nlh = (const struct nlmsghdr *)rx;
		if ((size_t)n >= sizeof(*nlh) && nlh->nlmsg_type == NLMSG_ERROR &&
		    nl_err_parse(nlh, &e) == 0 && e.seq == seq)
			return e.err;
	}
}

static void install_log(const char *what, const char *line, int err)
{
	if (err && err != -EEXIST)
		log_err("(static) cannot add %s %s: %s", what, line, strerror(-err));
}

void vrrp_static_install(const struct vc_routes *st)
{
	uint8_t buf[VRRP_ROUTE_MSG_MAX];
	char line[LINE_LEN];
	struct nl_sock *ns;
	uint32_t seq = 1;
	int r;

	if (!st || !(st->n_addrs + st->n_routes + st->n_rules))
		return;
	if ((r = nl_open(&ns, NULL, 0, 0)) < 0) {
		log_err("(static) cannot open a netlink socket: %s", strerror(-r));
		return;
	}
	for (unsigned k = 0; k < st->n_addrs; k++) {
		struct vrrp_ipaddr a = st->addrs[k];

		a.ifindex = (int)if_nametoindex(a.ifname);
		r = a.ifindex ? sync_request(ns, buf, vrrp_ipaddr_build(buf, sizeof(buf), true,
					     seq, &a), seq) : -ENODEV;
		seq++;
		install_log("address", vrrp_ipaddr_line(&a, line, sizeof(line)), r);
	}
	for (unsigned k = 0; k < st->n_routes; k++) {
		const struct vrrp_route *rt = &st->routes[k];
		int oif = rt->oif[0] ? (int)if_nametoindex(rt->oif) : 0, nh_oif[VRRP_ROUTE_MAX_NH];

		for (unsigned j = 0; j < rt->n_nh; j++)
			nh_oif[j] = rt->nh[j].dev[0] ? (int)if_nametoindex(rt->nh[j].dev) : 0;
		r = rt->oif[0] && !oif ? -ENODEV :
		    sync_request(ns, buf, vrrp_route_build(buf, sizeof(buf), true, seq, rt, oif,
							   nh_oif), seq);
		seq++;
		install_log("route", vrrp_route_str(rt, line, sizeof(line)), r);
	}
	for (unsigned k = 0; k < st->n_rules; k++) {
		const struct vrrp_rule *ru = &st->rules[k];

		if (ru->auto_priority)
			log_info("Rule has no preference specified - setting to %u. This is probably "
				 "not what you want.", ru->priority);
		r = sync_request(ns, buf, vrrp_rule_build(buf, sizeof(buf), true, seq, ru), seq);
		seq++;
		install_log("rule", vrrp_rule_str(ru, line, sizeof(line)), r);
	}
	nl_sock_close(ns);
}

/* ---- addresses at run time: one operation at a time, the others queued ---- */

static void addr_next(struct vrrp_static *vs);

static void addr_result_cb(void *arg, const struct vrrp_ipaddr *a, int err, const char *msg)
{
	char line[LINE_LEN];

	(void)arg;
	if (err)
		log_err("(static) cannot change address %s: %s%s%s",
			vrrp_ipaddr_line(a, line, sizeof(line)), strerror(-err), msg ? " - " : "",
			msg ? msg : "");
}

static void addr_done_cb(void *arg, size_t n_failed)
{
	struct vrrp_static *vs = arg;
	struct vrrp_ctx *ctx = vs->ctx;

	(void)n_failed;
	vs->op_running = false;
	free(vs->op_addrs);
	vs->op_addrs = NULL;
	addr_next(vs);
	if (!vrrp_static_busy(ctx))
		vrrp_routes_notify_idle(ctx->routes);
}

static void addr_next(struct vrrp_static *vs)
{
	size_t n = 0;

	if (vs->op_running || !vs->n_q)
		return;
	/* the leading requests of one kind, in one operation */
	while (n < vs->n_q && vs->q[n].add == vs->q[0].add)
		n++;
	vs->op_addrs = xcalloc(n, sizeof(*vs->op_addrs));
	for (size_t k = 0; k < n; k++) {
		const struct reflector_if *ifp;

		vs->op_addrs[k] = vs->q[k].a;
		ifp = reflector_if_by_name(vs->ctx->refl, vs->op_addrs[k].ifname);
		vs->op_addrs[k].ifindex = ifp ? ifp->ifindex : 0;
	}
	vs->op = (struct vrrp_ipaddr_op){ .addrs = vs->op_addrs, .n = n, .add = vs->q[0].add,
					  .result_cb = addr_result_cb, .done_cb = addr_done_cb,
					  .arg = vs };
	memmove(vs->q, vs->q + n, (vs->n_q - n) * sizeof(*vs->q));
	vs->n_q -= n;
	vs->op_running = true;
	vrrp_ipaddr_apply(vs->ctx->nl, &vs->op);
}

static void addr_queue(struct vrrp_static *vs, const struct vrrp_ipaddr *a, bool add)
{
	vs->q = xrealloc(vs->q, (vs->n_q + 1) * sizeof(*vs->q));
	vs->q[vs->n_q++] = (struct pending){ .a = *a, .add = add };
	addr_next(vs);
}

/* keepalived 2.2.7's line for an address: "192.168.50.1/24 dev eth1 scope global set" */
static const char *addr_log_str(const struct vrrp_ipaddr *a, const char *tg, char *buf, size_t len)
{
	char b[INET6_ADDRSTRLEN + 8];
	const char *scope = vrrp_ipaddr_scope_str(a->scope);

	snprintf(buf, len, "%s dev %s scope %s%s%s set", vrrp_ipaddr_str(a, b, sizeof(b)),
		 a->ifname, scope ? scope : "global", tg ? " track_group " : "", tg ? tg : "");
	return buf;
}

void vrrp_static_addr_event(struct vrrp_ctx *ctx, const struct reflector_if *ifp,
			    const struct reflector_addr *ra, bool added)
{
	struct vrrp_static *vs = ctx->statics;
	const struct vc_routes *c;
	char line[LINE_LEN];

	if (added || !vs || vs->stopping || !(c = vs->c))
		return;
	for (unsigned k = 0; k < c->n_addrs; k++) {
		const struct vrrp_ipaddr *a = &c->addrs[k];

		if ((a->flags & VRRP_IPADDR_F_NO_TRACK) || strcmp(a->ifname, ifp->name) ||
		    !inet_addr_eq(&a->addr, &ra->addr))
			continue;
		log_info("Restoring deleted static address %s",
			 addr_log_str(a, c->addr_tg[k], line, sizeof(line)));
		addr_queue(vs, a, true);
		/*
		 * the kernel took the routes through its subnet with it: the static ones come
		 * back after it (in the same queue), "Restoring deleted static route ..."
		 * (keepalived 2.2.7 leaves them out)
		 */
		if (ifp->is_up)
			vrrp_routes_link_event(ctx->routes, ifp, true);
	}
}

void vrrp_static_link_event(struct vrrp_ctx *ctx, const struct reflector_if *ifp)
{
	struct vrrp_static *vs = ctx->statics;
	const struct vc_routes *c;
	char line[LINE_LEN];

	if (!vs || vs->stopping || !(c = vs->c) || !ifp->is_up)
		return;
	/* keepalived 2.2.7 puts the addresses of a track group back when their link comes up */
	for (unsigned k = 0; k < c->n_addrs; k++) {
		const struct vrrp_ipaddr *a = &c->addrs[k];

		if (!c->addr_tg[k] || strcmp(a->ifname, ifp->name))
			continue;
		log_info("Restoring deleted static address %s",
			 addr_log_str(a, c->addr_tg[k], line, sizeof(line)));
		addr_queue(vs, a, true);
	}
	vrrp_routes_link_event(ctx->routes, ifp, true);
}

static bool routes_use(const struct vc_routes *c, const char *ifname)
{
	for (unsigned k = 0; c && k < c->n_routes; k++)
		if (!(c->routes[k].flags & VRRP_ROUTE_F_NO_TRACK) && !strcmp(c->routes[k].oif, ifname))
			return true;
	for (unsigned k = 0; c && k < c->n_rules; k++)
		if (!c->rules[k].no_track &&
		    (!strcmp(c->rules[k].iif, ifname) || !strcmp(c->rules[k].oif, ifname)))
			return true;
	return false;
}

bool vrrp_static_if_used(const struct vrrp_ctx *ctx, const char *ifname)
{
	const struct vc_routes *c = statics_of(ctx);

	/* the interfaces of the instances' tracked routes and rules */
	for (unsigned i = 0; i < ctx->n_insts; i++)
		if (routes_use(vc_more(ctx->insts[i]->conf)->routes, ifname))
			return true;

	for (unsigned k = 0; c && k < c->n_addrs; k++)
		if (c->addr_tg[k] && !strcmp(c->addrs[k].ifname, ifname))
			return true;
	for (unsigned k = 0; c && k < c->n_routes; k++)
		if (c->routes[k].track_group && !strcmp(c->routes[k].oif, ifname))
			return true;
	for (unsigned k = 0; c && k < c->n_rules; k++)
		if (c->rules[k].track_group && !strcmp(c->rules[k].iif, ifname))
			return true;
	return false;
}

/* ---- life ---- */

static void static_new(struct vrrp_ctx *ctx, bool installed);

void vrrp_static_start(struct vrrp_ctx *ctx)
{
	static_new(ctx, true);
}

/* installed: vrrp_static_install() put everything in place; else it is added now */
static void static_new(struct vrrp_ctx *ctx, bool installed)
{
	struct vrrp_static *vs;
	const struct vc_routes *c = statics_of(ctx);

	for (unsigned g = 0; c && g < c->n_tgs; g++)
		for (unsigned k = 0; k < c->tgs[g].n_insts; k++)
			if (!vrrp_conf_find(ctx->conf, c->tgs[g].insts[k]))
				log_info("vrrp instance %s specified in track group %s doesn't exist - "
					 "ignoring", c->tgs[g].insts[k], c->tgs[g].name);

	if (!c || !(c->n_addrs + c->n_routes + c->n_rules))
		return;
	vs = ctx->statics = xcalloc(1, sizeof(*vs));
	vs->ctx = ctx;
	vs->c = c;
	vs->set = vrrp_rtset_new(ctx->routes, NULL, installed ? c : NULL, true, NULL, NULL);
	vrrp_rtset_assume_set(vs->set);
	if (installed)
		return;
	for (unsigned k = 0; k < c->n_addrs; k++)
		addr_queue(vs, &c->addrs[k], true);
	vrrp_rtset_reconf(vs->set, c);	/* after the addresses, in the same queue */
}

void vrrp_static_stop(struct vrrp_ctx *ctx)
{
	struct vrrp_static *vs = ctx->statics;

	if (!vs || vs->stopping)
		return;
	vs->stopping = true;
	vrrp_rtset_apply(vs->set, false);
	for (unsigned k = 0; vs->c && k < vs->c->n_addrs; k++)
		addr_queue(vs, &vs->c->addrs[k], false);
}

static bool same_addr_line(const struct vrrp_ipaddr *a, const struct vrrp_ipaddr *b)
{
	char la[LINE_LEN], lb[LINE_LEN];

	return !strcmp(vrrp_ipaddr_line(a, la, sizeof(la)), vrrp_ipaddr_line(b, lb, sizeof(lb)));
}

void vrrp_static_reload(struct vrrp_ctx *ctx, const struct vc_routes *old,
			const struct vc_routes *st)
{
	struct vrrp_static *vs = ctx->statics;

	if (!vs) {
		/* none before: as at start, but through the loop */
		static_new(ctx, false);
		return;
	}
	for (unsigned k = 0; old && k < old->n_addrs; k++) {
		bool kept = false;

		for (unsigned j = 0; st && j < st->n_addrs && !kept; j++)
			kept = same_addr_line(&old->addrs[k], &st->addrs[j]);
		if (!kept)
			addr_queue(vs, &old->addrs[k], false);
	}
	for (unsigned k = 0; st && k < st->n_addrs; k++) {
		bool known = false;

		for (unsigned j = 0; old && j < old->n_addrs && !known; j++)
			known = same_addr_line(&st->addrs[k], &old->addrs[j]);
		if (!known)
			addr_queue(vs, &st->addrs[k], true);
	}
	vs->c = st;
	vrrp_rtset_reconf(vs->set, st);
}

bool vrrp_static_busy(const struct vrrp_ctx *ctx)
{
	const struct vrrp_static *vs = ctx->statics;

	return vrrp_routes_busy(ctx->routes) || (vs && (vs->op_running || vs->n_q));
}

void vrrp_static_free(struct vrrp_ctx *ctx)
{
	struct vrrp_static *vs = ctx->statics;

	if (!vs)
		return;
	if (vs->op_running)
		vrrp_ipaddr_cancel(ctx->nl, &vs->op);
	free(vs->op_addrs);
	free(vs->q);
	free(vs);
	ctx->statics = NULL;
}

/* ---- the instances' side ---- */

static void inst_deleted_cb(void *arg)
{
	struct vrrp_inst *vi = arg;

	/* keepalived 2.2.7 gives the mastership up (set_vrrp_backup) and takes it back */
	if (vi->fsm.state == VRRP_STATE_MASTER && !vi->ctx->stopping)
		vrrp_inst_feed(vi, &(struct vrrp_fsm_in){ .ev = VRRP_EV_RESIGN,
				.now_us = vrrp_now_us(vi) });
}

void vrrp_route_inst_new(struct vrrp_inst *vi)
{
	const struct vc_routes *c = vc_more(vi->conf)->routes;

	if (!c || !(c->n_routes + c->n_rules))
		return;
	for (unsigned k = 0; k < c->n_rules; k++)
		if (c->rules[k].auto_priority)
			log_info("Rule has no preference specified - setting to %u. This is probably "
				 "not what you want.", c->rules[k].priority);
	vi->rtset = vrrp_rtset_new(vi->ctx->routes, vi->name, c, false, inst_deleted_cb, vi);
}

void vrrp_route_inst_free(struct vrrp_inst *vi)
{
	vrrp_rtset_free(vi->rtset);
	vi->rtset = NULL;
}

static void inst_log(const struct vrrp_inst *vi, const char *verb, bool rules)
{
	const struct vc_routes *c = vc_more(vi->conf)->routes;

	if (c && (rules ? c->n_rules : c->n_routes))
		log_info("(%s) %s Virtual %s", vi->name, verb, rules ? "Rules" : "Routes");
}

void vrrp_route_inst_apply(struct vrrp_inst *vi, bool add)
{
	if (!vi->rtset || add == vrrp_rtset_is_set(vi->rtset))
		return;
	if (add) {
		inst_log(vi, "setting", false);
		inst_log(vi, "setting", true);
	} else {
		inst_log(vi, "removing", true);
		inst_log(vi, "removing", false);
	}
	vrrp_rtset_apply(vi->rtset, add);
}

void vrrp_route_inst_init(struct vrrp_inst *vi)
{
	if (!vi->rtset)
		return;
	inst_log(vi, "removing", true);
	inst_log(vi, "removing", false);
	/* a previous run's leftovers: removed as if they were set (absent ones are no error) */
	vrrp_rtset_assume_set(vi->rtset);
	vrrp_rtset_apply(vi->rtset, false);
}

void vrrp_route_inst_reconf(struct vrrp_inst *vi)
{
	const struct vc_routes *c = vc_more(vi->conf)->routes;

	if (!vi->rtset && c && (c->n_routes + c->n_rules)) {
		vrrp_route_inst_new(vi);
		if (vi->vips_set)
			vrrp_route_inst_apply(vi, true);
		return;
	}
	if (vi->rtset)
		vrrp_rtset_reconf(vi->rtset, c);
}

unsigned vrrp_route_faults(const struct vrrp_inst *vi)
{
	const struct vc_routes *st = statics_of(vi->ctx);
	unsigned n = vrrp_rtset_faults(vi->rtset);

	for (unsigned g = 0; st && g < st->n_tgs; g++)
		for (unsigned k = 0; k < st->tgs[g].n_insts; k++)
			if (!strcmp(st->tgs[g].insts[k], vi->name))
				n += vrrp_routes_group_faults(vi->ctx->routes, st, st->tgs[g].name);
	return n;
}
