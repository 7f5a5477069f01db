// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/vrrp/vrrp_route_rt.c: sets of routes and rules at run time, and their watch. */
#include "vrrp_route.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>

#include "core/reflector.h"
#include "log.h"
#include "scheduler.h"

#define LINE_MAX_LEN 512
#define WATCH_BUDGET 64			/* datagrams read per callback */

/* One request of a set's job: a copy, so that a reload or a free does not pull it away. */
struct item {
	bool is_rule;
	bool add;
	bool log_restored;		/* a static entry put back on link up: say so if it was gone */
	union {
		struct vrrp_route route;
		struct vrrp_rule rule;
	};
};

struct vrrp_rtset {
	struct vrrp_routes *rs;
	struct vrrp_rtset *next;	/* in rs->sets */
	char name[64];			/* for log lines: the instance's, "" for the statics */
	const struct vc_routes *c;	/* borrowed; NULL once freed by its owner */
	bool is_static;
	void (*deleted_cb)(void *arg);
	void *arg;
	bool want;			/* in place: what the last apply asked */
	bool is_set;			/* ... and asked to the kernel */
	bool running;
	bool again;			/* asked while running: apply want once it is done */
	bool orphan;			/* freed by its owner while running: free at done */
	struct nl_job job;
	struct item *items;		/* the running job's */
	size_t n_items;
	struct item *extra;		/* queued for after the running job (reload, restore) */
	size_t n_extra;
};

struct vrrp_routes {
	struct sched *s;
	struct nl_tx *nl;
	struct reflector *refl;
	struct nl_sock *watch;		/* route and rule notifications; NULL: not opened */
	struct sched_ev *ev_watch;
	struct vrrp_rtset *sets;
	unsigned n_running;
	void (*idle_cb)(void *arg);
	void *arg;
	uint8_t *buf;			/* NL_RECV_BUF, with the watch: inline it made every child
					 * with no route at all keep 32 KB of zeroed memory */
};

static int ifindex_of(const struct vrrp_routes *rs, const char *name)
{
	const struct reflector_if *ifp = name[0] ? reflector_if_by_name(rs->refl, name) : NULL;

	return ifp ? ifp->ifindex : 0;
}

/* ---- jobs ---- */

static void submit(struct vrrp_rtset *set);

static int job_build(void *arg, size_t i, void *buf, size_t room, uint32_t seq)
{
	struct vrrp_rtset *set = arg;
	const struct item *it = &set->items[i];
	int nh_oif[VRRP_ROUTE_MAX_NH] = { 0 }, oif;

	if (it->is_rule)
		return vrrp_rule_build(buf, room, it->add, seq, &it->rule);
	oif = ifindex_of(set->rs, it->route.oif);
	if (it->route.oif[0] && !oif)
		return -ENODEV;
	for (unsigned k = 0; k < it->route.n_nh; k++)
		if (it->route.nh[k].dev[0] && !(nh_oif[k] = ifindex_of(set->rs, it->route.nh[k].dev)))
			return -ENODEV;
	return vrrp_route_build(buf, room, it->add, seq, &it->route, oif, nh_oif);
}

static void job_result(void *arg, size_t i, int err, const char *msg)
{
	struct vrrp_rtset *set = arg;
	const struct item *it = &set->items[i];
	char line[LINE_MAX_LEN];
	const char *who = set->name[0] ? set->name : "static";

	/* already so (a route on a missing interface is not there either) */
	if (it->add ? err == -EEXIST : (err == -ESRCH || err == -ENOENT || err == -ENODEV))
		return;
	if (!err) {
		if (it->log_restored)
			log_info("Restoring deleted static %s %s", it->is_rule ? "rule" : "route",
				 it->is_rule ? vrrp_rule_str(&it->rule, line, sizeof(line)) :
				 vrrp_route_str(&it->route, line, sizeof(line)));
		return;
	}
	log_err("(%s) cannot %s %s %s: %s%s%s", who, it->add ? "add" : "remove",
		it->is_rule ? "rule" : "route",
		it->is_rule ? vrrp_rule_str(&it->rule, line, sizeof(line)) :
		vrrp_route_str(&it->route, line, sizeof(line)), strerror(-err),
		msg ? " - " : "", msg ? msg : "");
}

static void set_free_now(struct vrrp_rtset *set)
{
	struct vrrp_rtset **pp = &set->rs->sets;

	while (*pp && *pp != set)
		pp = &(*pp)->next;
	if (*pp)
		*pp = set->next;
	free(set->items);
	free(set->extra);
	free(set);
}

static void job_done(void *arg, int err)
{
	struct vrrp_rtset *set = arg;
	struct vrrp_routes *rs = set->rs;

	(void)err;
	set->running = false;
	free(set->items);
	set->items = NULL;
	set->n_items = 0;
	rs->n_running--;
	if (set->orphan && !set->n_extra) {
		set_free_now(set);
	} else if (set->again || set->n_extra) {
		submit(set);
		return;
	}
	if (!rs->n_running && rs->idle_cb)
		rs->idle_cb(rs->arg);
}

static const struct nl_job_ops job_ops = {
	.build = job_build, .result = job_result, .done = job_done,
};

static void add_item(struct item **v, size_t *n, const struct item *it)
{
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = *it;
}

/* Every entry of c, added (routes then rules) or removed (rules then routes), as keepalived. */
static void items_all(const struct vc_routes *c, bool add, struct item **v, size_t *n)
{
	struct item it = { .add = add };

	if (!c)
		return;
	if (add)
		for (unsigned k = 0; k < c->n_routes; k++) {
			it.route = c->routes[k];
			add_item(v, n, &it);
		}
	it.is_rule = true;
	for (unsigned k = 0; k < c->n_rules; k++) {
		it.rule = c->rules[k];
		add_item(v, n, &it);
	}
	it.is_rule = false;
	if (!add)
		for (unsigned k = 0; k < c->n_routes; k++) {
			it.route = c->routes[k];
			add_item(v, n, &it);
		}
}

/* The next job: what was queued (reload, restore), else the whole set as wanted. */
static void submit(struct vrrp_rtset *set)
{
	if (set->running) {
		set->again = true;
		return;
	}
	if (set->n_extra) {
		set->again |= set->want != set->is_set;
		set->items = set->extra;
		set->n_items = set->n_extra;
		set->extra = NULL;
		set->n_extra = 0;
	} else {
		if (!set->again && set->want == set->is_set)
			return;
		set->again = false;
		items_all(set->c, set->want, &set->items, &set->n_items);
		set->is_set = set->want;
	}
	set->running = true;
	set->rs->n_running++;
	nl_tx_submit(set->rs->nl, &set->job, set->n_items, &job_ops, set);
}

/* ---- the watch ---- */

static bool entry_tracked_route(const struct vrrp_route *r)
{
	return !(r->flags & VRRP_ROUTE_F_NO_TRACK);
}

static void queue_restore(struct vrrp_rtset *set, const struct item *it)
{
	add_item(&set->extra, &set->n_extra, it);
	submit(set);
}

/* Someone else deleted a route or rule: whose is it? */
static void deleted(struct vrrp_routes *rs, const struct nlmsghdr *nlh)
{
	bool is_rule = nlh->nlmsg_type == RTM_DELRULE;
	char line[LINE_MAX_LEN];

	for (struct vrrp_rtset *set = rs->sets; set; set = set->next) {
		const struct vc_routes *c = set->c;
		bool hit = false;

		if (!c || !set->is_set || set->orphan)
			continue;
		for (unsigned k = 0; !is_rule && k < c->n_routes; k++) {
			const struct vrrp_route *r = &c->routes[k];

			if (!entry_tracked_route(r) || !vrrp_route_match(r, ifindex_of(rs, r->oif), nlh))
				continue;
			hit = true;
			if (set->is_static) {
				struct item it = { .add = true, .route = *r };

				log_info("Restoring deleted static route %s",
					 vrrp_route_str(r, line, sizeof(line)));
				queue_restore(set, &it);
			}
		}
		for (unsigned k = 0; is_rule && k < c->n_rules; k++) {
			const struct vrrp_rule *r = &c->rules[k];

			if (r->no_track || !vrrp_rule_match(r, nlh))
				continue;
			hit = true;
			if (set->is_static) {
				struct item it = { .is_rule = true, .add = true, .rule = *r };

				log_info("Restoring deleted static rule %s",
					 vrrp_rule_str(r, line, sizeof(line)));
				queue_restore(set, &it);
			}
		}
		if (hit && !set->is_static && set->deleted_cb)
			set->deleted_cb(set->arg);
	}
}

static int watch_msg(void *arg, const struct nlmsghdr *nlh)
{
	struct vrrp_routes *rs = arg;

	/* our own requests come back with our portid: a removal we asked is no news */
	if (nlh->nlmsg_pid == nl_tx_portid(rs->nl))
		return 0;
	if (nlh->nlmsg_type == RTM_DELROUTE || nlh->nlmsg_type == RTM_DELRULE)
		deleted(rs, nlh);
	return 0;
}

/*
 * Deletions may have been lost: every set in place adds its entries again (those
 * still there answer EEXIST: no error, no line; a static one that was gone says
 * "Restoring deleted static ...").
 */
static void resync(struct vrrp_routes *rs)
{
	for (struct vrrp_rtset *set = rs->sets; set; set = set->next) {
		const struct vc_routes *c = set->c;
		struct item it = { .add = true, .log_restored = set->is_static };

		if (!c || !set->is_set || set->orphan)
			continue;
		for (unsigned k = 0; k < c->n_routes; k++) {
			it.route = c->routes[k];
			add_item(&set->extra, &set->n_extra, &it);
		}
		it.is_rule = true;
		for (unsigned k = 0; k < c->n_rules; k++) {
			it.rule = c->rules[k];
			add_item(&set->extra, &set->n_extra, &it);
		}
		submit(set);
	}
}

static void watch_cb(struct sched_ev *ev, void *arg)
{
	struct vrrp_routes *rs = arg;

	(void)ev;
	for (int n = 0; n < WATCH_BUDGET; n++) {
		ssize_t len = nl_sock_recv(rs->watch, rs->buf, NL_RECV_BUF);

		if (len == -EAGAIN)
			return;
		if (len == -ENOBUFS) {
			log_warn("Netlink: route/rule notifications were lost (receive buffer full): "
				 "adding every route and rule in place again");
			resync(rs);
			continue;
		}
		if (len < 0)
			return;
		nl_walk(rs->buf, (size_t)len, watch_msg, rs);
	}
}

static void watch_open(struct vrrp_routes *rs)
{
	static const unsigned groups[] = { RTNLGRP_IPV4_ROUTE, RTNLGRP_IPV6_ROUTE,
					   RTNLGRP_IPV4_RULE, RTNLGRP_IPV6_RULE };
	int r;

	if (rs->watch)
		return;
	if (!rs->buf)
		rs->buf = xmalloc(NL_RECV_BUF);
	if ((r = nl_open(&rs->watch, groups, sizeof(groups) / sizeof(groups[0]), 0)) < 0) {
		log_err("Cannot watch routes and rules: %s", strerror(-r));
		rs->watch = NULL;
		return;
	}
	if ((r = sched_read(rs->s, &rs->ev_watch, nl_fd(rs->watch), 0, watch_cb, rs)) < 0) {
		log_err("Cannot watch routes and rules: %s", strerror(-r));
		nl_sock_close(rs->watch);
		rs->watch = NULL;
	}
}

/* ---- the API ---- */

struct vrrp_routes *vrrp_routes_new(struct sched *s, struct nl_tx *nl, struct reflector *refl,
				    void (*idle_cb)(void *arg), void *arg)
{
	struct vrrp_routes *rs = xcalloc(1, sizeof(*rs));

	rs->s = s;
	rs->nl = nl;
	rs->refl = refl;
	rs->idle_cb = idle_cb;
	rs->arg = arg;
	return rs;
}

void vrrp_routes_free(struct vrrp_routes *rs)
{
	if (!rs)
		return;
	while (rs->sets) {
		struct vrrp_rtset *set = rs->sets;

		if (set->running)
			nl_tx_cancel(rs->nl, &set->job);
		set_free_now(set);
	}
	sched_cancel(&rs->ev_watch);
	nl_sock_close(rs->watch);
	free(rs->buf);
	free(rs);
}

bool vrrp_routes_busy(const struct vrrp_routes *rs)
{
	return rs && rs->n_running;
}

void vrrp_routes_notify_idle(struct vrrp_routes *rs)
{
	if (rs && !rs->n_running && rs->idle_cb)
		rs->idle_cb(rs->arg);
}

void vrrp_routes_link_event(struct vrrp_routes *rs, const struct reflector_if *ifp, bool up)
{
	/* IPv4 routes through a link that went down are gone, silently: put the static ones back */
	if (!rs || !up)
		return;
	for (struct vrrp_rtset *set = rs->sets; set; set = set->next) {
		const struct vc_routes *c = set->c;

		if (!set->is_static || !set->is_set || !c)
			continue;
		for (unsigned k = 0; k < c->n_routes; k++)
			if (!strcmp(c->routes[k].oif, ifp->name)) {
				struct item it = { .add = true, .log_restored = true,
						   .route = c->routes[k] };

				add_item(&set->extra, &set->n_extra, &it);
			}
		submit(set);
	}
}

static bool has_tracked(const struct vc_routes *c)
{
	for (unsigned k = 0; c && k < c->n_routes; k++)
		if (entry_tracked_route(&c->routes[k]))
			return true;
	for (unsigned k = 0; c && k < c->n_rules; k++)
		if (!c->rules[k].no_track)
			return true;
	return false;
}

struct vrrp_rtset *vrrp_rtset_new(struct vrrp_routes *rs, const char *name,
				  const struct vc_routes *c, bool is_static,
				  void (*deleted_cb)(void *arg), void *arg)
{
	struct vrrp_rtset *set = xcalloc(1, sizeof(*set));

	set->rs = rs;
	snprintf(set->name, sizeof(set->name), "%s", name ? name : "");
	set->c = c;
	set->is_static = is_static;
	set->deleted_cb = deleted_cb;
	set->arg = arg;
	set->next = rs->sets;
	rs->sets = set;
	if (has_tracked(c))
		watch_open(rs);
	return set;
}

void vrrp_rtset_free(struct vrrp_rtset *set)
{
	if (!set)
		return;
	set->c = NULL;
	set->deleted_cb = NULL;
	if (set->running || set->n_extra) {
		set->orphan = true;
		set->again = false;
		return;
	}
	set_free_now(set);
}

void vrrp_rtset_apply(struct vrrp_rtset *set, bool add)
{
	if (!set)
		return;
	set->want = add;
	if (set->running)
		set->again = set->want != set->is_set;
	submit(set);
}

void vrrp_rtset_assume_set(struct vrrp_rtset *set)
{
	set->want = set->is_set = true;
}

bool vrrp_rtset_is_set(const struct vrrp_rtset *set)
{
	return set && set->is_set;
}

static bool same_route(const struct vrrp_route *a, const struct vrrp_route *b)
{
	char la[LINE_MAX_LEN], lb[LINE_MAX_LEN];

	return !strcmp(vrrp_route_str(a, la, sizeof(la)), vrrp_route_str(b, lb, sizeof(lb))) &&
	       a->metrics_set == b->metrics_set &&
	       !memcmp(a->metrics, b->metrics, sizeof(a->metrics));
}

static bool same_rule(const struct vrrp_rule *a, const struct vrrp_rule *b)
{
	char la[LINE_MAX_LEN], lb[LINE_MAX_LEN];

	return !strcmp(vrrp_rule_str(a, la, sizeof(la)), vrrp_rule_str(b, lb, sizeof(lb))) &&
	       a->suppress_prefixlen == b->suppress_prefixlen &&
	       a->suppress_ifgroup == b->suppress_ifgroup && a->realms == b->realms &&
	       a->ipproto == b->ipproto && !memcmp(a->sport, b->sport, sizeof(a->sport)) &&
	       !memcmp(a->dport, b->dport, sizeof(a->dport)) && a->tun_id == b->tun_id &&
	       a->uid_start == b->uid_start && a->uid_end == b->uid_end;
}

/* The entries of a not in b, added (add) or removed, onto v. */
static void items_diff(const struct vc_routes *a, const struct vc_routes *b, bool add,
		       struct item **v, size_t *n)
{
	struct item it = { .add = add };

	for (unsigned k = 0; a && k < a->n_rules; k++) {
		bool kept = false;

		for (unsigned j = 0; b && j < b->n_rules && !kept; j++)
			kept = same_rule(&a->rules[k], &b->rules[j]);
		if (!kept) {
			it.is_rule = true;
			it.rule = a->rules[k];
			add_item(v, n, &it);
		}
	}
	for (unsigned k = 0; a && k < a->n_routes; k++) {
		bool kept = false;

		for (unsigned j = 0; b && j < b->n_routes && !kept; j++)
			kept = same_route(&a->routes[k], &b->routes[j]);
		if (!kept) {
			it.is_rule = false;
			it.route = a->routes[k];
			add_item(v, n, &it);
		}
	}
}

void vrrp_rtset_reconf(struct vrrp_rtset *set, const struct vc_routes *c)
{
	const struct vc_routes *old = set->c;

	if (set->is_set) {
		items_diff(old, c, false, &set->extra, &set->n_extra);
		items_diff(c, old, true, &set->extra, &set->n_extra);
	}
	set->c = c;
	if (has_tracked(c))
		watch_open(set->rs);
	submit(set);
}

static bool if_down(const struct vrrp_routes *rs, const char *name)
{
	const struct reflector_if *ifp;

	if (!name[0])
		return false;
	ifp = reflector_if_by_name(rs->refl, name);
	return !ifp || !ifp->is_up;
}

unsigned vrrp_rtset_faults(const struct vrrp_rtset *set)
{
	const struct vc_routes *c = set ? set->c : NULL;
	unsigned n = 0;

	for (unsigned k = 0; c && k < c->n_routes; k++)
		n += entry_tracked_route(&c->routes[k]) && if_down(set->rs, c->routes[k].oif);
	for (unsigned k = 0; c && k < c->n_rules; k++)
		n += !c->rules[k].no_track &&
		     (if_down(set->rs, c->rules[k].iif) || if_down(set->rs, c->rules[k].oif));
	return n;
}

unsigned vrrp_routes_group_faults(const struct vrrp_routes *rs, const struct vc_routes *c,
				  const char *tg)
{
	unsigned n = 0;

	if (!rs || !c)
		return 0;
	for (unsigned k = 0; k < c->n_addrs; k++)
		n += c->addr_tg[k] && !strcmp(c->addr_tg[k], tg) &&
		     if_down(rs, c->addrs[k].ifname);
	for (unsigned k = 0; k < c->n_routes; k++)
		n += c->routes[k].track_group && !strcmp(c->routes[k].track_group, tg) &&
		     if_down(rs, c->routes[k].oif);
	for (unsigned k = 0; k < c->n_rules; k++)
		n += c->rules[k].track_group && !strcmp(c->rules[k].track_group, tg) &&
		     if_down(rs, c->rules[k].iif);
	return n;
}
