// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tests/unit/test_vrrp_sock.c: the VRRP socket edge against the kernel, in a network
 * namespace of its own (unshare(CLONE_NEWNET): private to this process, gone with it).
 * Needs root; skipped otherwise. A veth pair kcpu0 (sender) - kcpu1 (receiver): adverts
 * queued in a callback leave at the end of the iteration in sendmmsg batches of 64, are
 * read 64 per wakeup at most, long ones intact; IPv6 sources per message (IPV6_PKTINFO);
 * packets the kernel refuses are reported one by one while the rest go out.
 */
#include <errno.h>
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
#include <net/if.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "log.h"
#include "netns_test.h"
#include "scheduler.h"
#include "utils.h"
#include "vrrp/vrrp_pkt.h"
#include "vrrp/vrrp_sock.h"

#define N_MAX 160

struct t;

/* A queued packet's cookie: which one it was. */
struct cookie {
	struct t *t;
	unsigned id;
};

struct t {
	struct sched *s;
	struct sched_ev *ev_go, *ev_deadline;
	struct vrrp_sock_batch *b;
	struct vrrp_sock *tx, *rx;
	int family;
	bool timed_out;
	/* what the go callback queues: n packets, the long ones with n_long_addrs VIPs */
	unsigned n_queue, n_long_addrs;
	bool (*is_long)(unsigned i);
	const char *src[2];		/* alternating sources (IPv6: per-message PKTINFO) */
	uint64_t n_tx_in_cb;		/* sender's n_tx when the go callback returned */
	struct cookie cookies[N_MAX];
	/* received */
	unsigned want_rx, n_rx;
	uint8_t vrid[N_MAX], n_addrs[N_MAX];
	enum vrrp_drop why[N_MAX];
	struct inet_addr from[N_MAX];
	uint64_t iter[N_MAX];
	bool addrs_ok[N_MAX];
	/* send errors */
	unsigned n_err;
	unsigned err_id[N_MAX];
	int err[N_MAX];
};

static bool skip_all;

static struct inet_addr addr(const char *s)
{
	struct inet_addr a;

	if (!inet_addr_parse(s, &a))
		fail_msg("bad address %s", s);
	return a;
}

/* The k-th VIP of a test packet: 10.1.k.1 or 2001:db8::k. */
static struct inet_addr vip(int family, unsigned k)
{
	char b[64];

	if (family == AF_INET)
		snprintf(b, sizeof(b), "10.1.%u.1", k);
	else
		snprintf(b, sizeof(b), "2001:db8::%x", k + 1);
	return addr(b);
}

static const char *group(int family)
{
	return family == AF_INET ? "224.0.0.18" : "ff02::12";
}

static void rx_cb(void *arg, struct vrrp_sock *vs, const struct vrrp_advert *ad,
		  enum vrrp_drop why)
{
	struct t *t = arg;
	struct sched_stats st;
	unsigned i = t->n_rx++;

	assert_true(i < N_MAX);
	sched_get_stats(t->s, &st);
	t->iter[i] = st.n_iterations;
	t->why[i] = why;
	t->vrid[i] = ad->vrid;
	t->n_addrs[i] = ad->n_addrs;
	t->from[i] = ad->src;
	t->addrs_ok[i] = true;
	for (unsigned k = 0; why == VRRP_DROP_NONE && k < ad->n_addrs; k++) {
		struct inet_addr a, want = vip(t->family, k);

		vrrp_advert_addr(ad, k, &a);
		t->addrs_ok[i] &= inet_addr_eq(&a, &want);
	}
	if (t->n_rx >= t->want_rx)
		sched_stop(t->s);
}

static void tx_err_cb(void *cookie, const struct inet_addr *dst, int err)
{
	struct cookie *c = cookie;
	struct t *t = c->t;
	struct inet_addr want = addr(group(t->family));

	assert_true(inet_addr_eq(dst, &want));
	t->err_id[t->n_err] = c->id;
	t->err[t->n_err++] = err;
}

/* Packet i: VRID i + 1, one VIP (or n_long_addrs), from src[i % 2]. */
static void queue_one(struct t *t, unsigned i)
{
	struct inet_addr addrs[VRRP_MAX_ADDRS];
	struct vrrp_pkt_tx tx = {
		.version = 3, .vrid = i + 1, .priority = 100, .adver_int_cs = 100,
		.src = addr(t->src[i % 2]), .dst = addr(group(t->family)),
		.addrs = addrs, .n_addrs = t->is_long && t->is_long(i) ? t->n_long_addrs : 1,
		.ip_id = i + 1,
	};
	uint8_t buf[VRRP_IP4_HDR_LEN + VRRP_PKT_MAX_LEN];
	int len;

	for (unsigned k = 0; k < tx.n_addrs; k++)
		addrs[k] = vip(t->family, k);
	len = vrrp_pkt_encode(&tx, buf, sizeof(buf));
	assert_true(len > 0);
	t->cookies[i] = (struct cookie){ t, i };
	assert_int_equal(vrrp_sock_queue(t->tx, buf, len, &tx.src, &tx.dst, &t->cookies[i]), 0);
}

static void go_cb(struct sched_ev *ev, void *arg)
{
	struct t *t = arg;

	for (unsigned i = 0; i < t->n_queue; i++)
		queue_one(t, i);
	t->n_tx_in_cb = vrrp_sock_stats(t->tx)->n_tx;
}

static void deadline_cb(struct sched_ev *ev, void *arg)
{
	struct t *t = arg;

	t->timed_out = true;
	sched_stop(t->s);
}

/* Opens kcpu0 -> kcpu1 sockets of family on a fresh batch. */
static void open_pair(struct t *t, int family)
{
	t->family = family;
	t->b = vrrp_sock_batch_new(t->s, tx_err_cb);
	assert_int_equal(vrrp_sock_open(&t->tx, t->b, family, VRRP_PROTO,
					if_nametoindex("kcpu0"), "kcpu0", rx_cb, t), 0);
	assert_int_equal(vrrp_sock_open(&t->rx, t->b, family, VRRP_PROTO,
					if_nametoindex("kcpu1"), "kcpu1", rx_cb, t), 0);
	struct inet_addr g = addr(group(family));
	assert_int_equal(vrrp_sock_join(t->rx, &g), 0);
}

static void close_pair(struct t *t)
{
	vrrp_sock_close(t->tx);
	vrrp_sock_close(t->rx);
	vrrp_sock_batch_free(t->b);
	t->tx = t->rx = NULL;
	t->b = NULL;
}

/* Queues from a callback, then runs until want_rx packets arrived (or 3 s passed). */
static void run(struct t *t, unsigned want_rx)
{
	t->want_rx = want_rx;
	t->timed_out = false;
	assert_int_equal(sched_timer(t->s, &t->ev_go, 0, go_cb, t), 0);
	assert_int_equal(sched_timer(t->s, &t->ev_deadline, 3000000, deadline_cb, t), 0);
	assert_int_equal(sched_run(t->s), 0);
	sched_cancel(&t->ev_deadline);
	if (t->timed_out)
		fail_msg("%u of %u packets received", t->n_rx, want_rx);
}

static void reset(struct t *t)
{
	struct sched *s = t->s;

	memset(t, 0, sizeof(*t));
	t->s = s;
}

static bool every_tenth(unsigned i)
{
	return i % 10 == 5;
}

/* Every packet arrived undropped, in order (VRID i + 1), from t->src[i % 2], its VIPs intact. */
static void assert_all_intact(const struct t *t)
{
	for (unsigned i = 0; i < t->n_rx; i++) {
		struct inet_addr want = addr(t->src[i % 2]);

		if (t->why[i] != VRRP_DROP_NONE)
			fail_msg("packet %u dropped: %s", i, vrrp_drop_str(t->why[i]));
		assert_int_equal(t->vrid[i], i + 1);
		assert_int_equal(t->n_addrs[i], t->is_long && t->is_long(i) ? t->n_long_addrs : 1);
		assert_true(t->addrs_ok[i]);
		assert_true(inet_addr_eq(&t->from[i], &want));
	}
}

/*
 * 150 IPv4 adverts queued in one callback, every tenth with 100 VIPs (428 bytes, past
 * the 256 bytes of a receive slot's head): 64 leave when the batch fills, the rest at
 * the end of the iteration; all arrive intact, in order, 64 per wakeup at most.
 */
static void test_batch_v4(void **state)
{
	struct t *t = *state;
	unsigned per_iter = 0, max_per_iter = 0;

	if (skip_all)
		skip();
	reset(t);
	open_pair(t, AF_INET);
	t->n_queue = 150;
	t->n_long_addrs = 100;
	t->is_long = every_tenth;
	t->src[0] = t->src[1] = "192.0.2.1";
	run(t, 150);
	/* two full batches went out inside the callback, the rest after it */
	assert_int_equal(t->n_tx_in_cb, 128);
	assert_int_equal(vrrp_sock_stats(t->tx)->n_tx, 150);
	assert_int_equal(vrrp_sock_stats(t->tx)->n_tx_err, 0);
	assert_int_equal(vrrp_sock_stats(t->rx)->n_rx, 150);
	assert_all_intact(t);
	for (unsigned i = 0; i < t->n_rx; i++) {
		per_iter = i && t->iter[i] == t->iter[i - 1] ? per_iter + 1 : 1;
		max_per_iter = per_iter > max_per_iter ? per_iter : max_per_iter;
	}
	assert_true(max_per_iter <= 64);
	assert_true(t->iter[t->n_rx - 1] > t->iter[0]);
	close_pair(t);
}

/*
 * IPv6: each message carries its own source in IPV6_PKTINFO (two alternate), the
 * receiver takes the source from the name and checks hop limit and destination (cmsgs)
 * through the v3 checksum; 20 VIPs make a 328-byte payload.
 */
static void test_batch_v6(void **state)
{
	struct t *t = *state;

	if (skip_all)
		skip();
	reset(t);
	open_pair(t, AF_INET6);
	t->n_queue = 70;
	t->n_long_addrs = 20;
	t->is_long = every_tenth;
	t->src[0] = "fe80::1";
	t->src[1] = "fe80::2";
	run(t, 70);
	assert_int_equal(t->n_tx_in_cb, 64);
	assert_int_equal(vrrp_sock_stats(t->tx)->n_tx, 70);
	assert_all_intact(t);
	close_pair(t);
}

static bool every_third(unsigned i)
{
	return i % 3 == 1;
}

/*
 * kcpu0's MTU 68 takes a 32-byte advert but not one with 12 VIPs (76 bytes): in a batch
 * of small, big, small, ... each big one is reported with its cookie and EMSGSIZE and
 * counted, and every small one still goes out.
 */
static void test_send_errors(void **state)
{
	struct t *t = *state;
	unsigned n_small = 0;

	if (skip_all)
		skip();
	reset(t);
	sh("ip link set kcpu0 mtu 68");
	open_pair(t, AF_INET);
	t->n_queue = 12;
	t->n_long_addrs = 12;
	t->is_long = every_third;
	t->src[0] = t->src[1] = "192.0.2.1";
	for (unsigned i = 0; i < t->n_queue; i++)
		n_small += !every_third(i);
	run(t, n_small);
	assert_int_equal(t->n_err, t->n_queue - n_small);
	for (unsigned k = 0; k < t->n_err; k++) {
		assert_int_equal(t->err_id[k], 3 * k + 1);
		assert_int_equal(t->err[k], -EMSGSIZE);
	}
	for (unsigned i = 0; i < t->n_rx; i++)
		assert_false(every_third(t->vrid[i] - 1));
	assert_int_equal(vrrp_sock_stats(t->tx)->n_tx, n_small);
	assert_int_equal(vrrp_sock_stats(t->tx)->n_tx_err, t->n_queue - n_small);
	close_pair(t);
	sh("ip link set kcpu0 mtu 1500");
}

/* What is queued when a socket closes still goes out; a flush with nothing queued is fine. */
static void test_close_flushes(void **state)
{
	struct t *t = *state;
	struct vrrp_sock *rx;

	if (skip_all)
		skip();
	reset(t);
	open_pair(t, AF_INET);
	t->n_queue = 3;
	t->src[0] = t->src[1] = "192.0.2.1";
	vrrp_sock_flush(t->b);
	for (unsigned i = 0; i < t->n_queue; i++)
		queue_one(t, i);
	assert_int_equal(vrrp_sock_stats(t->tx)->n_tx, 0);
	vrrp_sock_close(t->tx);
	t->tx = NULL;
	/* the receiver alone: the batch's pending flush finds nothing left */
	t->want_rx = 3;
	assert_int_equal(sched_timer(t->s, &t->ev_deadline, 3000000, deadline_cb, t), 0);
	assert_int_equal(sched_run(t->s), 0);
	sched_cancel(&t->ev_deadline);
	assert_false(t->timed_out);
	assert_int_equal(t->n_rx, 3);
	rx = t->rx;
	t->rx = NULL;
	vrrp_sock_close(rx);
	vrrp_sock_batch_free(t->b);
	t->b = NULL;
}

static int setup(void **state)
{
	static struct t t;
	int r = netns_enter("test_vrrp_sock");

	if (r <= 0) {
		skip_all = r == 0;
		return r;
	}
	/*
	 * Both ends in this namespace: kcpu1 must accept a source that is local here
	 * (kcpu0's), which IPv4 otherwise drops as a martian.
	 */
	sh("ip link add kcpu0 type veth peer name kcpu1 && "
	   "ip link set kcpu0 up && ip link set kcpu1 up && "
	   "ip addr add 192.0.2.1/24 dev kcpu0 && ip addr add 192.0.2.2/24 dev kcpu1 && "
	   "ip -6 addr add fe80::1/64 dev kcpu0 nodad && ip -6 addr add fe80::2/64 dev kcpu0 nodad && "
	   "ip -6 addr add fe80::9/64 dev kcpu1 nodad && "
	   "echo 1 > /proc/sys/net/ipv4/conf/kcpu1/accept_local");
	assert_int_equal(sched_new(&t.s), 0);
	*state = &t;
	return 0;
}

static int teardown(void **state)
{
	struct t *t = *state;

	if (skip_all || !t)
		return 0;
	sched_free(t->s);
	log_close();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_batch_v4),
		cmocka_unit_test(test_batch_v6),
		cmocka_unit_test(test_close_flushes),
		cmocka_unit_test(test_send_errors),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
