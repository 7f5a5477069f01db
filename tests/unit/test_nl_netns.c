// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tests/unit/test_nl_netns.c: the netlink edge against the kernel, in a network
 * namespace of its own (unshare(CLONE_NEWNET): private to this process, gone with
 * it). Needs root; skipped otherwise. A veth pair, 1100 VIPs added and removed
 * through vrrp_ipaddr_apply(), the reflector's callbacks for links and addresses,
 * and a re-dump after the reflector's socket overruns.
 */
#include <errno.h>
#include <inttypes.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>

#include <cmocka.h>
#include <libmnl/libmnl.h>

#include "core/reflector.h"
#include "log.h"
#include "netns_test.h"
#include "nl.h"
#include "scheduler.h"
#include "utils.h"
#include "vrrp/vrrp_ipaddr.h"

#define N_VIPS 1100
#define N_V6 100	/* of them IPv6 */

struct t {
	struct sched *s;
	struct sched_ev *ev_poll, *ev_deadline;
	struct reflector *r;
	struct nl_tx *tx;
	bool (*until)(struct t *t);
	bool timed_out;
	/* reflector callbacks */
	unsigned n_new, n_up, n_down, n_rename, n_del, n_addr_add, n_addr_del;
	char last_link[128];
	/* the op */
	struct vrrp_ipaddr vips[N_VIPS + 2];
	struct vrrp_ipaddr_op op;
	unsigned n_results, n_failed_results;
	int errs[N_VIPS + 2];
	const char *msgs[N_VIPS + 2];
	bool done;
	size_t done_failed;
	uint64_t done_us;
};

static bool skip_all;

static void on_link(void *arg, const struct reflector_if *ifp, enum reflector_link_ev ev,
		    const char *old)
{
	struct t *t = arg;

	if (strncmp(ifp->name, "hnlv", 4) && !(old && !strncmp(old, "hnlv", 4)))
		return;
	switch (ev) {
	case REFLECTOR_LINK_NEW: t->n_new++; break;
	case REFLECTOR_LINK_UP: t->n_up++; break;
	case REFLECTOR_LINK_DOWN: t->n_down++; break;
	case REFLECTOR_LINK_RENAME: t->n_rename++; break;
	case REFLECTOR_LINK_DEL: t->n_del++; break;
	default: break;
	}
	snprintf(t->last_link, sizeof(t->last_link), "%s %d %s%s%s", reflector_link_ev_str(ev),
		 ifp->ifindex, ifp->name, old ? " from " : "", old ? old : "");
}

static void on_addr(void *arg, const struct reflector_if *ifp, const struct reflector_addr *a,
		    bool added)
{
	struct t *t = arg;
	(void)ifp;

	/* the VIPs only, not the link-local addresses the kernel adds */
	if (a->addr.family == AF_INET6 && IN6_IS_ADDR_LINKLOCAL(&a->addr.v6))
		return;
	if (added)
		t->n_addr_add++;
	else
		t->n_addr_del++;
}

static void poll_cb(struct sched_ev *ev, void *arg)
{
	struct t *t = arg;
	(void)ev;

	if (t->until(t)) {
		sched_cancel(&t->ev_deadline);
		sched_stop(t->s);
		return;
	}
	sched_timer(t->s, &t->ev_poll, 2000, poll_cb, t);
}

static void deadline_cb(struct sched_ev *ev, void *arg)
{
	struct t *t = arg;
	(void)ev;

	t->timed_out = true;
	sched_cancel(&t->ev_poll);
	sched_stop(t->s);
}

/* Runs the loop until pred holds (checked every 2 ms) or timeout_ms passes. */
static bool run_until(struct t *t, bool (*pred)(struct t *t), unsigned timeout_ms)
{
	t->until = pred;
	t->timed_out = false;
	sched_timer(t->s, &t->ev_poll, 0, poll_cb, t);
	sched_timer(t->s, &t->ev_deadline, timeout_ms * 1000ull, deadline_cb, t);
	assert_int_equal(sched_run(t->s), 0);
	return !t->timed_out;
}

static int setup(void **state)
{
	static struct t t;
	int r = netns_enter("test_nl_netns");

	if (r <= 0) {
		skip_all = r == 0;
		return r;
	}
	assert_int_equal(sched_new(&t.s), 0);
	assert_int_equal(reflector_new(&t.r, t.s, &(struct reflector_cbs){
		on_link, on_addr, NULL, &t }), 0);
	assert_int_equal(nl_tx_new(&t.tx, t.s), 0);
	*state = &t;
	return 0;
}

static int teardown(void **state)
{
	struct t *t = *state;

	if (skip_all || !t)
		return 0;
	sched_cancel(&t->ev_poll);
	sched_cancel(&t->ev_deadline);
	nl_tx_free(t->tx);
	reflector_free(t->r);
	sched_free(t->s);
	log_close();
	return 0;
}

static bool got_two_new(struct t *t) { return t->n_new >= 2; }
static bool got_two_up(struct t *t) { return t->n_up >= 2; }
static bool got_two_down(struct t *t) { return t->n_down >= 2; }
static bool got_rename(struct t *t) { return t->n_rename >= 1; }
static bool got_del_new(struct t *t) { return t->n_del >= 2 && t->n_new >= 2; }

static void test_links(void **state)
{
	struct t *t = *state;
	const struct reflector_if *a, *b;

	if (skip_all)
		skip();
	assert_non_null(reflector_if_by_name(t->r, "lo"));
	assert_true(reflector_if_by_name(t->r, "lo")->is_up);

	sh("ip link add hnlv0 type veth peer name hnlv1");
	assert_true(run_until(t, got_two_new, 2000));
	a = reflector_if_by_name(t->r, "hnlv0");
	b = reflector_if_by_name(t->r, "hnlv1");
	assert_non_null(a);
	assert_non_null(b);
	assert_false(a->is_up);
	assert_int_equal(a->hwaddr_len, 6);
	assert_int_equal(a->mtu, 1500);
	int ia = a->ifindex, ib = b->ifindex;

	/* a veth end is running only when both ends are up */
	sh("ip link set hnlv0 up && ip link set hnlv1 up");
	assert_true(run_until(t, got_two_up, 2000));
	assert_true(reflector_if_by_index(t->r, ia)->is_up);
	assert_true(reflector_if_by_index(t->r, ib)->is_up);

	/* one end down: both go down (the other loses its carrier) */
	sh("ip link set hnlv1 down");
	assert_true(run_until(t, got_two_down, 2000));
	assert_false(reflector_if_by_index(t->r, ia)->is_up);
	assert_true(reflector_if_by_index(t->r, ia)->flags & IFF_UP);
	t->n_up = 0;
	sh("ip link set hnlv1 up");
	assert_true(run_until(t, got_two_up, 2000));

	sh("ip link set hnlv1 down && ip link set hnlv1 name hnlv2 && ip link set hnlv2 up");
	assert_true(run_until(t, got_rename, 2000));
	assert_null(reflector_if_by_name(t->r, "hnlv1"));
	assert_int_equal(reflector_if_by_name(t->r, "hnlv2")->ifindex, ib);

	/* deleted and created again under the same names: new ifindexes */
	t->n_new = t->n_del = 0;
	sh("ip link del hnlv0 && ip link add hnlv0 type veth peer name hnlv1");
	assert_true(run_until(t, got_del_new, 2000));
	assert_null(reflector_if_by_name(t->r, "hnlv2"));
	assert_null(reflector_if_by_index(t->r, ia));
	a = reflector_if_by_name(t->r, "hnlv0");
	assert_non_null(a);
	assert_int_not_equal(a->ifindex, ia);
	t->n_up = 0;
	sh("ip link set hnlv0 up && ip link set hnlv1 up");
	assert_true(run_until(t, got_two_up, 2000));
}

/* ---- 1100 VIPs ---- */

static void res_cb(void *arg, const struct vrrp_ipaddr *a, int err, const char *msg)
{
	struct t *t = arg;
	size_t i = (size_t)(a - t->vips);

	assert_true(i < ARRAY_SIZE(t->vips));
	t->errs[i] = err;
	t->msgs[i] = msg ? "set" : NULL;	/* valid only during the call */
	t->n_results++;
	if (err)
		t->n_failed_results++;
}

static void done_cb(void *arg, size_t n_failed)
{
	struct t *t = arg;

	t->done = true;
	t->done_failed = n_failed;
	t->done_us = mono_now_us();
}

static bool op_done(struct t *t) { return t->done; }
static bool all_in_table(struct t *t) { return t->done && t->n_addr_add >= N_VIPS; }
static bool all_gone_from_table(struct t *t) { return t->done && t->n_addr_del >= N_VIPS; }

/* Runs one op over vips[0..n); returns its time in µs. */
static uint64_t apply(struct t *t, size_t n, bool add, bool (*until)(struct t *t))
{
	uint64_t t0;

	t->done = false;
	t->n_results = t->n_failed_results = 0;
	t->op = (struct vrrp_ipaddr_op){ .addrs = t->vips, .n = n, .add = add,
					 .result_cb = res_cb, .done_cb = done_cb, .arg = t };
	t0 = mono_now_us();
	assert_int_equal(vrrp_ipaddr_apply(t->tx, &t->op), 0);
	assert_true(run_until(t, until, 10000));
	assert_int_equal(t->n_results, n);
	return t->done_us - t0;
}

/* An independent dump on a socket of its own: addresses on ifindex. */
struct count { int ifindex; unsigned n; bool done; };

static int count_cb(void *arg, const struct nlmsghdr *nlh)
{
	struct count *c = arg;

	if (nlh->nlmsg_type == NLMSG_DONE)
		c->done = true;
	if (nlh->nlmsg_type == RTM_NEWADDR) {
		const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);

		c->n += (int)ifa->ifa_index == c->ifindex && ifa->ifa_scope != RT_SCOPE_LINK;
	}
	return 0;
}

static unsigned dump_count(int ifindex)
{
	struct nl_sock *ns;
	uint8_t req[64], *buf = malloc(NL_RECV_BUF);
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(req);
	struct count c = { .ifindex = ifindex };

	assert_int_equal(nl_open(&ns, NULL, 0, 0), 0);
	nlh->nlmsg_type = RTM_GETADDR;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = nl_seq_next(ns, 1);
	mnl_nlmsg_put_extra_header(nlh, sizeof(struct ifaddrmsg));
	assert_int_equal(nl_sock_send(ns, req, nlh->nlmsg_len), 0);
	while (!c.done) {
		ssize_t n;

		assert_int_equal(nl_wait(ns, 2000), 0);
		while ((n = nl_sock_recv(ns, buf, NL_RECV_BUF)) > 0)
			assert_int_equal(nl_walk(buf, (size_t)n, count_cb, &c), 0);
		assert_int_equal(n, -EAGAIN);
	}
	nl_sock_close(ns);
	free(buf);
	return c.n;
}

static void make_vips(struct t *t, int ifindex)
{
	for (size_t i = 0; i < N_VIPS; i++) {
		char line[64], *argv[1] = { line };

		if (i < N_VIPS - N_V6)
			snprintf(line, sizeof(line), "10.77.%zu.%zu/32", i / 250, i % 250 + 1);
		else
			snprintf(line, sizeof(line), "2001:db8:77::%zx/64", i);
		assert_int_equal(vrrp_ipaddr_parse(1, argv, VRRP_IPADDR_VIP, "hnlv0", &t->vips[i],
						   NULL), VRRP_IPADDR_OK);
		t->vips[i].ifindex = ifindex;
	}
}

static void test_vips(void **state)
{
	struct t *t = *state;
	struct nl_tx_stats st0, st1;
	uint64_t us;

	if (skip_all)
		skip();
	const struct reflector_if *ifp = reflector_if_by_name(t->r, "hnlv0");
	assert_non_null(ifp);
	int ifindex = ifp->ifindex;
	make_vips(t, ifindex);

	unsigned base = ifp->n_addrs;
	nl_tx_get_stats(t->tx, &st0);
	t->n_addr_add = t->n_addr_del = 0;
	us = apply(t, N_VIPS, true, op_done);
	nl_tx_get_stats(t->tx, &st1);
	print_message("add %u VIPs (%u IPv6): %.1f ms, %" PRIu64 " sendmsg, longest %" PRIu64
		      " us, window now %u\n", N_VIPS, N_V6, us / 1000.0,
		      st1.n_sendmsg - st0.n_sendmsg, st1.max_send_us, st1.window);
	assert_int_equal(t->done_failed, 0);
	for (size_t i = 0; i < N_VIPS; i++)
		if (t->errs[i])
			fail_msg("add %zu: %s", i, strerror(-t->errs[i]));
	assert_int_equal(dump_count(ifindex), N_VIPS);
	/* the reflector saw every one */
	assert_true(run_until(t, all_in_table, 5000));
	for (size_t i = 0; i < N_VIPS; i++)
		if (!vrrp_ipaddr_present(t->r, &t->vips[i]))
			fail_msg("VIP %zu not in the reflector's table", i);
	assert_int_equal(reflector_if_by_index(t->r, ifindex)->n_addrs, base + N_VIPS);

	/* again: every one is there already (EEXIST), which is success */
	apply(t, N_VIPS, true, op_done);
	assert_int_equal(t->done_failed, 0);

	t->n_addr_add = t->n_addr_del = 0;
	us = apply(t, N_VIPS, false, op_done);
	print_message("delete %u VIPs: %.1f ms\n", N_VIPS, us / 1000.0);
	assert_int_equal(t->done_failed, 0);
	assert_int_equal(dump_count(ifindex), 0);
	assert_true(run_until(t, all_gone_from_table, 5000));
	for (size_t i = 0; i < N_VIPS; i++)
		assert_null(vrrp_ipaddr_present(t->r, &t->vips[i]));
	/* again: gone already (EADDRNOTAVAIL), which is success */
	apply(t, N_VIPS, false, op_done);
	assert_int_equal(t->done_failed, 0);
}

/* Real failures come back per address, with the kernel's text; the others go through. */
static void test_vip_errors(void **state)
{
	struct t *t = *state;

	if (skip_all)
		skip();
	int ifindex = reflector_if_by_name(t->r, "hnlv0")->ifindex;
	char l0[] = "192.0.2.1/24", l1[] = "192.0.2.2/24", l2[] = "autojoin", l3[] = "192.0.2.3/24";
	char *a0[] = { l0 }, *a1[] = { l1, l2 }, *a3[] = { l3 };

	assert_int_equal(vrrp_ipaddr_parse(1, a0, VRRP_IPADDR_VIP, "hnlv0", &t->vips[0], NULL), 0);
	assert_int_equal(vrrp_ipaddr_parse(2, a1, VRRP_IPADDR_VIP, "hnlv0", &t->vips[1], NULL), 0);
	assert_int_equal(vrrp_ipaddr_parse(1, a3, VRRP_IPADDR_VIP, "hnlv0", &t->vips[2], NULL), 0);
	t->vips[0].ifindex = ifindex;
	t->vips[1].ifindex = ifindex;	/* autojoin on a unicast address: EINVAL */
	t->vips[2].ifindex = 0;		/* unresolved: not sent */
	apply(t, 3, true, op_done);
	assert_int_equal(t->done_failed, 2);
	assert_int_equal(t->errs[0], 0);
	assert_int_equal(t->errs[1], -EINVAL);
	assert_non_null(t->msgs[1]);	/* "autojoin needs multicast address" or similar */
	assert_int_equal(t->errs[2], -ENODEV);
	apply(t, 1, false, op_done);
	assert_int_equal(t->errs[0], 0);
}

/* A receive buffer too small for a burst: ENOBUFS, then a re-dump puts the table right. */
static bool redumped(struct t *t)
{
	struct reflector_stats st;

	reflector_get_stats(t->r, &st);
	return t->done && st.n_overruns > 0 && t->n_addr_add == N_VIPS;
}

static void test_overrun(void **state)
{
	struct t *t = *state;
	struct reflector_stats st0, st1;

	if (skip_all)
		skip();
	int ifindex = reflector_if_by_name(t->r, "hnlv0")->ifindex;
	make_vips(t, ifindex);
	reflector_get_stats(t->r, &st0);
	assert_int_equal(reflector_set_rcvbuf(t->r, 4096, true), 0);
	t->n_addr_add = 0;
	apply(t, N_VIPS, true, op_done);
	assert_int_equal(t->done_failed, 0);
	assert_int_equal(reflector_set_rcvbuf(t->r, NL_RCVBUF_DEFAULT, true), 0);
	assert_true(run_until(t, redumped, 5000));
	reflector_get_stats(t->r, &st1);
	print_message("overrun: %" PRIu64 " ENOBUFS, %" PRIu64 " re-dumps; %u addresses reported\n",
		      st1.n_overruns - st0.n_overruns, st1.n_dumps - st0.n_dumps, t->n_addr_add);
	assert_true(st1.n_dumps > st0.n_dumps);
	assert_int_equal(t->n_addr_add, N_VIPS);	/* each reported once: by message or by dump */
	for (size_t i = 0; i < N_VIPS; i++)
		if (!vrrp_ipaddr_present(t->r, &t->vips[i]))
			fail_msg("VIP %zu not in the table after the re-dump", i);
	apply(t, N_VIPS, false, op_done);
	assert_int_equal(t->done_failed, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_links),
		cmocka_unit_test(test_vips),
		cmocka_unit_test(test_vip_errors),
		cmocka_unit_test(test_overrun),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
