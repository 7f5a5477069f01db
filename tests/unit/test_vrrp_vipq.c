// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tests/unit/test_vrrp_vipq.c: the VIP operation queue against the kernel, in a network
 * namespace of its own (needs root; skipped otherwise): last request wins, a changed set
 * runs again, detached slots finish, the live limit, and when the queue says it is idle.
 */
#include <net/if.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include <cmocka.h>

#include "netns_test.h"
#include "nl.h"
#include "scheduler.h"
#include "utils.h"
#include "vrrp/vrrp_vipq.h"

#define N_ADDRS 400

struct t {
	struct sched *s;
	struct nl_tx *tx;
	struct vrrp_vipq *q;
	struct sched_ev *ev_deadline;
	int ifindex;
	unsigned n_idle;
	bool in_call;			/* inside a call to the queue */
	bool idle_in_call;		/* idle_cb ran then: a defect */
	struct vrrp_ipaddr addrs[N_ADDRS];
};

static bool skip_all;

/* A slot's owner, as an instance is: its name and set, lent through owner_set(). */
struct owner {
	struct vrrp_vipq_slot sl;	/* first: owner_set() finds the owner from it */
	const char *name;
	const struct vrrp_ipaddr *addrs;
	unsigned n;
};

static void owner_set(const struct vrrp_vipq_slot *sl, const char **name,
		      const struct vrrp_ipaddr **addrs, unsigned *n)
{
	const struct owner *o = (const struct owner *)sl;

	*name = o->name;
	*addrs = o->addrs;
	*n = o->n;
}

static void own(struct owner *o, const char *name, const struct vrrp_ipaddr *addrs, unsigned n)
{
	o->name = name;
	o->addrs = addrs;
	o->n = n;
}

static void idle_cb(void *arg)
{
	struct t *t = arg;

	t->n_idle++;
	t->idle_in_call |= t->in_call;
	sched_stop(t->s);
}

static void deadline_cb(struct sched_ev *ev, void *arg)
{
	struct t *t = arg;

	(void)ev;
	fail_msg("the queue did not become idle within 10 s");
	sched_stop(t->s);
}

/* Runs the loop until the queue says it is idle. */
static void run_idle(struct t *t)
{
	unsigned n = t->n_idle;

	if (!vrrp_vipq_busy(t->q))
		return;
	sched_timer(t->s, &t->ev_deadline, 10000000, deadline_cb, t);
	assert_int_equal(sched_run(t->s), 0);
	sched_cancel(&t->ev_deadline);
	assert_false(vrrp_vipq_busy(t->q));
	assert_int_equal(t->n_idle, n + 1);
	assert_false(t->idle_in_call);
}

/* How many of 10.77.x.y the interface holds (ip's view, not ours). */
static unsigned present(void)
{
	FILE *p = popen("ip -4 -o addr show dev hvq0 | grep -c ' 10\\.77\\.'", "r");
	unsigned n = 0;

	assert_non_null(p);
	assert_int_equal(fscanf(p, "%u", &n), 1);
	pclose(p);
	return n;
}

static uint64_t n_requests(const struct t *t)
{
	struct nl_tx_stats st;

	nl_tx_get_stats(t->tx, &st);
	return st.n_requests;
}

static void request(struct t *t, struct vrrp_vipq_slot *sl, bool add)
{
	t->in_call = true;
	vrrp_vipq_request(t->q, sl, add);
	t->in_call = false;
}

static int setup(void **state)
{
	static struct t t;
	int r = netns_enter("test_vrrp_vipq");

	if (r <= 0) {
		skip_all = r == 0;
		return r;
	}
	sh("ip link add hvq0 type veth peer name hvq1 && ip link set hvq0 up && ip link set hvq1 up");
	t.ifindex = if_nametoindex("hvq0");
	assert_true(t.ifindex > 0);
	for (unsigned i = 0; i < N_ADDRS; i++) {
		struct vrrp_ipaddr *a = &t.addrs[i];

		*a = (struct vrrp_ipaddr){ .addr.family = AF_INET, .prefix_len = 32,
					   .ifindex = t.ifindex };
		a->addr.v4.s_addr = htonl(0x0a4d0000u | (i / 250) << 8 | (i % 250 + 1));
		snprintf(a->ifname, sizeof(a->ifname), "hvq0");
	}
	assert_int_equal(sched_new(&t.s), 0);
	assert_int_equal(nl_tx_new(&t.tx, t.s), 0);
	t.q = vrrp_vipq_new(t.tx, owner_set, idle_cb, &t);
	*state = &t;
	return 0;
}

static int teardown(void **state)
{
	struct t *t = *state;

	if (skip_all || !t)
		return 0;
	vrrp_vipq_free(t->q);
	nl_tx_free(t->tx);
	sched_free(t->s);
	log_close();
	return 0;
}

/* Add, remove, add while the first runs: the last wish is what runs, nothing more. */
static void test_last_wins(void **state)
{
	struct t *t = *state;
	struct owner o = { 0 };
	struct vrrp_vipq_slot *sl = &o.sl;
	uint64_t n0;

	if (skip_all)
		skip();
	own(&o, "VI_flap", t->addrs, 50);
	n0 = n_requests(t);
	request(t, sl, true);
	assert_true(vrrp_vipq_slot_busy(sl));
	request(t, sl, false);
	request(t, sl, true);
	run_idle(t);
	assert_int_equal(present(), 50);
	assert_int_equal(n_requests(t) - n0, 50);	/* one operation */
	/* add, then remove: the removal follows */
	n0 = n_requests(t);
	request(t, sl, true);
	request(t, sl, false);
	run_idle(t);
	assert_int_equal(present(), 0);
	assert_int_equal(n_requests(t) - n0, 100);
	vrrp_vipq_slot_detach(t->q, sl);
}

/* The set changes while an add runs: another add runs with the new set. */
static void test_changed_set_runs_again(void **state)
{
	struct t *t = *state;
	struct owner o = { 0 };
	struct vrrp_vipq_slot *sl = &o.sl;
	struct vrrp_ipaddr *old = malloc(10 * sizeof(*old)), block[15];
	uint64_t n0;

	if (skip_all)
		skip();
	memcpy(old, t->addrs, 10 * sizeof(*old));
	own(&o, "VI_grow", old, 10);
	n0 = n_requests(t);
	request(t, sl, true);
	/* a reload's new block: the running operation keeps its own copy of the old one */
	vrrp_vipq_slot_changed(sl);
	memcpy(block, t->addrs, sizeof(block));
	own(&o, "VI_grow", block, 15);
	free(old);
	request(t, sl, true);
	run_idle(t);
	assert_int_equal(present(), 15);
	assert_int_equal(n_requests(t) - n0, 10 + 15);
	/* a one-off removal of five of them, as a reload does for VIPs no longer configured */
	t->in_call = true;
	vrrp_vipq_once(t->q, "VI_grow", t->addrs + 10, 5, false);
	t->in_call = false;
	run_idle(t);
	assert_int_equal(present(), 10);
	request(t, sl, false);
	run_idle(t);
	assert_int_equal(present(), 0);
	vrrp_vipq_slot_detach(t->q, sl);
}

/* The owner goes while its operation runs and another is asked: both still happen. */
static void test_detached_slot_finishes(void **state)
{
	struct t *t = *state;
	struct owner o = { 0 };
	struct vrrp_vipq_slot *sl = &o.sl;
	struct vrrp_ipaddr copy[20];
	char name[] = "VI_gone";

	if (skip_all)
		skip();
	memcpy(copy, t->addrs, sizeof(copy));
	own(&o, name, copy, 20);
	request(t, sl, true);
	request(t, sl, false);
	vrrp_vipq_slot_detach(t->q, sl);
	assert_false(vrrp_vipq_slot_busy(sl));
	memset(copy, 0, sizeof(copy));		/* the owner's memory is gone: the queue has copies */
	memset(name, 0, sizeof(name));
	run_idle(t);
	assert_int_equal(present(), 0);
	own(&o, "VI_gone", t->addrs, 20);
	request(t, sl, true);
	vrrp_vipq_slot_detach(t->q, sl);
	run_idle(t);
	assert_int_equal(present(), 20);
	t->in_call = true;
	vrrp_vipq_once(t->q, "VI_clean", t->addrs, 20, false);
	t->in_call = false;
	run_idle(t);
	assert_int_equal(present(), 0);
}

/* More slots than may run at once: the rest wait their turn; idle once, at the end. */
static void test_live_limit(void **state)
{
	struct t *t = *state;
	static struct owner o[N_ADDRS];

	if (skip_all)
		skip();
	assert_true(N_ADDRS > VRRP_VIPQ_LIVE);
	for (unsigned i = 0; i < N_ADDRS; i++) {
		own(&o[i], "VI_many", &t->addrs[i], 1);
		request(t, &o[i].sl, true);
	}
	assert_true(o[N_ADDRS - 1].sl.waiting);
	/* one waiting changes its mind before its turn: it never adds */
	request(t, &o[N_ADDRS - 1].sl, false);
	/* another one's owner goes while it waits: it still adds, from its copy */
	vrrp_vipq_slot_detach(t->q, &o[N_ADDRS - 2].sl);
	memset(&o[N_ADDRS - 2], 0, sizeof(o[0]));
	run_idle(t);
	assert_int_equal(present(), N_ADDRS - 1);
	for (unsigned i = 0; i < N_ADDRS; i++) {
		own(&o[i], "VI_many", &t->addrs[i], 1);
		request(t, &o[i].sl, false);
		vrrp_vipq_slot_detach(t->q, &o[i].sl);
	}
	run_idle(t);
	assert_int_equal(present(), 0);
}

/* An operation that ends within the call (nothing to send): no idle_cb from inside it. */
static void test_no_idle_within_a_call(void **state)
{
	struct t *t = *state;
	struct owner o = { 0 };
	struct vrrp_vipq_slot *sl = &o.sl;
	struct vrrp_ipaddr gone = t->addrs[0];

	if (skip_all)
		skip();
	gone.ifindex = 0;	/* fails unsent, with -ENODEV */
	own(&o, "VI_nodev", &gone, 1);
	request(t, sl, true);
	assert_false(t->idle_in_call);
	run_idle(t);		/* returns at once if the call finished it */
	vrrp_vipq_slot_detach(t->q, sl);
	/* the same as a one-off: freed at once (ASan: no leak, no use after free) */
	t->in_call = true;
	vrrp_vipq_once(t->q, "VI_nodev", &gone, 1, true);
	t->in_call = false;
	assert_false(t->idle_in_call);
	run_idle(t);
	assert_false(vrrp_vipq_busy(t->q));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_last_wins),
		cmocka_unit_test(test_changed_set_runs_again),
		cmocka_unit_test(test_detached_slot_finishes),
		cmocka_unit_test(test_live_limit),
		cmocka_unit_test(test_no_idle_within_a_call),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
