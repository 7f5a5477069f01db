// SPDX-License-Identifier: GPL-2.0-or-later
/* tests/unit/test_vrrp_arp.c: GARP/NA bytes against keepalived's, the schedule on a real loop, veth. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <sched.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "log.h"
#include "scheduler.h"
#include "utils.h"
#include "vrrp/vrrp_arp.h"

/*
 * Frames captured from Debian's keepalived 2.2.7 (tcpdump -xx -e on the peer of a veth),
 * interface hw 02:00:00:00:0a:01.
 */
static const uint8_t ka_hw[6] = { 0x02, 0x00, 0x00, 0x00, 0x0a, 0x01 };

static const uint8_t ka_garp_100[] = {	/* GARP for 192.0.2.100 */
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff,	/* eth dst: broadcast */
	0x02, 0x00, 0x00, 0x00, 0x0a, 0x01,	/* eth src: hw */
	0x08, 0x06,				/* ethertype ARP */
	0x00, 0x01,				/* htype Ethernet */
	0x08, 0x00,				/* ptype IPv4 */
	0x06, 0x04,				/* hlen 6, plen 4 */
	0x00, 0x01,				/* op 1: REQUEST */
	0x02, 0x00, 0x00, 0x00, 0x0a, 0x01,	/* sender hw */
	0xc0, 0x00, 0x02, 0x64,			/* sender IP: the VIP */
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff,	/* target hw: all ones */
	0xc0, 0x00, 0x02, 0x64,			/* target IP: the VIP */
};						/* 42 bytes: no padding */

static const uint8_t ka_garp_101[] = {	/* GARP for 192.0.2.101 */
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0x00, 0x00, 0x00, 0x0a, 0x01, 0x08, 0x06,
	0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01,
	0x02, 0x00, 0x00, 0x00, 0x0a, 0x01, 0xc0, 0x00, 0x02, 0x65,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xc0, 0x00, 0x02, 0x65,
};

#define NA_FRAME(last, csum_hi, csum_lo, flags)						\
	{										\
		0x33, 0x33, 0x00, 0x00, 0x00, 0x01,	/* eth dst: ff02::1's group */	\
		0x02, 0x00, 0x00, 0x00, 0x0a, 0x01,	/* eth src: hw */		\
		0x86, 0xdd,				/* ethertype IPv6 */		\
		0x60, 0x00, 0x00, 0x00,			/* v6, tclass 0, flow 0 */	\
		0x00, 0x20,				/* payload 32 */		\
		0x3a, 0xff,				/* ICMPv6, hop limit 255 */	\
		0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,	/* src: the VIP */		\
		0, 0, 0, 0, 0, 0, 0x01, last,					\
		0xff, 0x02, 0, 0, 0, 0, 0, 0,		/* dst: ff02::1 */		\
		0, 0, 0, 0, 0, 0, 0, 0x01,						\
		0x88, 0x00,				/* type 136, code 0 */		\
		csum_hi, csum_lo,			/* ICMPv6 checksum */		\
		flags, 0x00, 0x00, 0x00,		/* R S O flags, reserved */	\
		0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,	/* target: the VIP */		\
		0, 0, 0, 0, 0, 0, 0x01, last,					\
		0x02, 0x01,				/* option 2 (TLLA), 8 bytes */	\
		0x02, 0x00, 0x00, 0x00, 0x0a, 0x01,	/* hw */			\
	}
static const uint8_t ka_na_100[] = NA_FRAME(0x00, 0xed, 0x2c, 0x20);	/* O */
static const uint8_t ka_na_101[] = NA_FRAME(0x01, 0xed, 0x2a, 0x20);	/* O */
static const uint8_t ka_na_100_router[] = NA_FRAME(0x00, 0x6d, 0x2c, 0xa0);	/* R|O: forwarding */
/* A link-local VIP of an IPv6 instance: the same shape, source fe80::200 too. */
static const uint8_t ka_na_fe80_200[] = {
	0x33, 0x33, 0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x0a, 0x01, 0x86, 0xdd,
	0x60, 0x00, 0x00, 0x00, 0x00, 0x20, 0x3a, 0xff,
	0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x00,	/* src fe80::200 */
	0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01,	/* dst ff02::1 */
	0x88, 0x00, 0x49, 0x9d, 0x20, 0x00, 0x00, 0x00,			/* NA, csum, O */
	0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x00,	/* target */
	0x02, 0x01, 0x02, 0x00, 0x00, 0x00, 0x0a, 0x01,			/* TLLA */
};

static struct in_addr v4(const char *s)
{
	struct in_addr a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a;
}

static struct in6_addr v6(const char *s)
{
	struct in6_addr a;

	assert_int_equal(inet_pton(AF_INET6, s, &a), 1);
	return a;
}

static void assert_bytes(const char *what, const uint8_t *got, size_t got_len,
			 const uint8_t *want, size_t want_len)
{
	if (got_len != want_len)
		fail_msg("%s: length %zu, want %zu", what, got_len, want_len);
	for (size_t i = 0; i < want_len; i++)
		if (got[i] != want[i])
			fail_msg("%s: byte %zu is %02x, want %02x", what, i, got[i], want[i]);
}

/* ---- frames ---- */

static void test_arp_bytes(void **state)
{
	static const struct {
		const char *what, *vip;
		const uint8_t *want;
		size_t len;
	} rows[] = {
		{ "GARP 192.0.2.100", "192.0.2.100", ka_garp_100, sizeof(ka_garp_100) },
		{ "GARP 192.0.2.101", "192.0.2.101", ka_garp_101, sizeof(ka_garp_101) },
	};
	uint8_t buf[GARP_FRAME_MAX + 8];

	(void)state;
	assert_int_equal(sizeof(ka_garp_100), GARP_ARP_FRAME_LEN);
	for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
		struct in_addr a = v4(rows[i].vip);

		memset(buf, 0x5a, sizeof(buf));
		size_t n = garp_build_arp(buf, ka_hw, &a);
		assert_bytes(rows[i].what, buf, n, rows[i].want, rows[i].len);
		assert_int_equal(buf[n], 0x5a);		/* nothing written past the frame */
	}
}

static void test_na_bytes(void **state)
{
	static const struct {
		const char *what, *vip;
		bool router;
		const uint8_t *want;
		size_t len;
	} rows[] = {
		{ "NA 2001:db8::100", "2001:db8::100", false, ka_na_100, sizeof(ka_na_100) },
		{ "NA 2001:db8::101", "2001:db8::101", false, ka_na_101, sizeof(ka_na_101) },
		{ "NA 2001:db8::100, forwarding on", "2001:db8::100", true, ka_na_100_router,
		  sizeof(ka_na_100_router) },
		{ "NA fe80::200", "fe80::200", false, ka_na_fe80_200, sizeof(ka_na_fe80_200) },
	};
	uint8_t buf[GARP_FRAME_MAX + 8];

	(void)state;
	assert_int_equal(sizeof(ka_na_100), GARP_NA_FRAME_LEN);
	for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
		struct in6_addr a = v6(rows[i].vip);

		memset(buf, 0x5a, sizeof(buf));
		size_t n = garp_build_na(buf, ka_hw, &a, rows[i].router);
		assert_bytes(rows[i].what, buf, n, rows[i].want, rows[i].len);
		assert_int_equal(buf[n], 0x5a);
	}
}

static void test_na_checksum(void **state)
{
	/* Over a packet that holds its checksum, the sum verifies: the function returns 0. */
	static const char *const vips[] = { "2001:db8::100", "fe80::1", "::1", "ffff::ffff",
					    "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff" };
	struct in6_addr all = v6("ff02::1");
	uint8_t buf[GARP_FRAME_MAX], icmp[32];

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(vips); i++) {
		struct in6_addr a = v6(vips[i]);
		uint8_t hw[6] = { 0xfe, 0xff, 0xff, 0xff, 0xff, (uint8_t)i };

		for (int router = 0; router < 2; router++) {
			garp_build_na(buf, hw, &a, router);
			if (garp_icmp6_csum(&a, &all, buf + 54, 32) != 0)
				fail_msg("%s router %d: checksum does not verify", vips[i], router);
		}
	}
	/* The captured frame: zero its checksum field and recompute. */
	memcpy(icmp, ka_na_100 + 54, sizeof(icmp));
	icmp[2] = icmp[3] = 0;
	struct in6_addr src = v6("2001:db8::100");
	assert_int_equal(garp_icmp6_csum(&src, &all, icmp, sizeof(icmp)), 0xed2c);
	/* odd length: a trailing byte counts as the high half of a last word */
	static const uint8_t odd[] = { 0x01, 0x02, 0x03 };
	struct in6_addr zero = { 0 };
	uint32_t sum = 0x0102 + 0x0300 + 3 + IPPROTO_ICMPV6;
	assert_int_equal(garp_icmp6_csum(&zero, &zero, odd, sizeof(odd)), (uint16_t)~sum);
}

/* ---- the schedule, on a real loop, with a recording sender ---- */

struct sent {
	uint64_t t_us;
	int ifindex;
	struct inet_addr addr;
	uint8_t flags;		/* NA flags byte */
};

struct rec {
	struct sched *s;
	struct sent *v;
	size_t n, cap;
	unsigned fail_every;	/* every Nth send fails with -ENOBUFS; 0: none */
	unsigned n_calls;
	uint64_t t0;
	/*
	 * Frames sent from one callback, or one call from the test between loop runs: the
	 * current run and the longest. A run is the frames that see the same (iteration,
	 * callbacks done) pair of the loop's counters.
	 */
	uint64_t run_iter, run_dispatch;
	size_t run, max_run;
};

static int rec_send(void *arg, int ifindex, const uint8_t *frame, size_t len)
{
	struct rec *r = arg;
	struct sched_stats st;
	struct sent *e;

	r->n_calls++;
	sched_get_stats(r->s, &st);
	r->run = st.n_iterations == r->run_iter && st.n_dispatched == r->run_dispatch ?
		 r->run + 1 : 1;
	r->run_iter = st.n_iterations;
	r->run_dispatch = st.n_dispatched;
	if (r->run > r->max_run)
		r->max_run = r->run;
	if (r->fail_every && r->n_calls % r->fail_every == 0)
		return -ENOBUFS;
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 64;
		r->v = xrealloc(r->v, r->cap * sizeof(*r->v));
	}
	e = &r->v[r->n++];
	memset(e, 0, sizeof(*e));
	e->t_us = sched_now_us(r->s) - r->t0;
	e->ifindex = ifindex;
	if (len == GARP_ARP_FRAME_LEN && frame[12] == 0x08 && frame[13] == 0x06) {
		e->addr.family = AF_INET;
		memcpy(&e->addr.v4, frame + 28, 4);
	} else {
		assert_int_equal(len, GARP_NA_FRAME_LEN);
		e->addr.family = AF_INET6;
		memcpy(&e->addr.v6, frame + 62, 16);
		e->flags = frame[58];
	}
	return 0;
}

static void fill_addr(struct garp_addr *a, int ifindex, const char *ifname, const char *ip,
		      struct garp_pace *pace)
{
	memset(a, 0, sizeof(*a));
	a->ifindex = ifindex;
	a->ifname = ifname;
	memcpy(a->hw, ka_hw, 6);
	assert_true(inet_addr_parse(ip, &a->addr));
	a->pace = pace;
}

static const struct garp_params no_garps = { 0 };

struct fixture {
	struct sched *s;
	struct garp_ctx *gc;
	struct rec rec;
	struct garp *g;
	struct sched_ev *ev_end, *ev_act;
};

static void fixture_init(struct fixture *f, const struct garp_params *p)
{
	memset(f, 0, sizeof(*f));
	assert_int_equal(sched_new(&f->s), 0);
	f->rec.s = f->s;
	f->rec.t0 = sched_now_us(f->s);
	f->gc = garp_ctx_new(f->s, rec_send, &f->rec);
	assert_int_equal(garp_new(&f->g, f->gc, "VI_1", p), 0);
}

static void fixture_done(struct fixture *f)
{
	struct sched_stats st;

	garp_free(f->g);
	sched_get_stats(f->s, &st);
	assert_int_equal(st.n_timers, 0);	/* the shared delayed-set timer too */
	garp_ctx_free(f->gc);
	/* no callback runs long: it yields after a budget of frames (sent or not) */
	assert_true(f->rec.max_run <= GARP_BUDGET);
	sched_free(f->s);
	free(f->rec.v);
}

/* Ends the test's loop once want frames were sent or max_us passed: leave MASTER. */
struct until {
	struct fixture *f;
	size_t want;
	uint64_t end_us;
	struct sched_ev *ev;
};

static void until_cb(struct sched_ev *ev, void *arg)
{
	struct until *u = arg;

	(void)ev;
	if (u->f->rec.n >= u->want || sched_now_us(u->f->s) >= u->end_us)
		garp_stop(u->f->g);
	else
		sched_timer(u->f->s, &u->ev, 2000, until_cb, u);
}

static void run_until(struct fixture *f, size_t want, uint64_t max_us)
{
	struct until u = { .f = f, .want = want, .end_us = sched_now_us(f->s) + max_us };

	assert_int_equal(sched_timer(f->s, &u.ev, 2000, until_cb, &u), 0);
	assert_int_equal(sched_run(f->s), 0);
}

static void end_cb(struct sched_ev *ev, void *arg)
{
	(void)ev;
	garp_stop(arg);
}

/* For tests that check what does not happen before a time: run exactly us. */
static void run_for(struct fixture *f, uint64_t us)
{
	assert_int_equal(sched_timer(f->s, &f->ev_end, us, end_cb, f->g), 0);
	assert_int_equal(sched_run(f->s), 0);
}

static void assert_sent(const struct sent *e, const char *ip, const char *what, size_t k)
{
	struct inet_addr a;
	char buf[INET6_ADDRSTRLEN];

	assert_true(inet_addr_parse(ip, &a));
	if (!inet_addr_eq(&a, &e->addr))
		fail_msg("%s frame %zu: %s, want %s", what, k,
			 inet_addr_str(&e->addr, buf, sizeof(buf)), ip);
}

static const char *const five[] = { "192.0.2.100", "192.0.2.101", "192.0.2.102",
				    "2001:db8::100", "2001:db8::101" };

/* keepalived defaults, time scaled: 5 rounds at once, 5 more after the delay. */
static void test_master_unpaced(void **state)
{
	struct garp_params p = { .master_delay_us = 40000, .master_repeat = 5,
				 .master_refresh_repeat = 1, .lower_prio_delay_us = 40000,
				 .lower_prio_repeat = 5 };
	struct garp_addr addrs[5];
	struct garp_stats st;
	struct fixture f;

	(void)state;
	fixture_init(&f, &p);
	for (size_t i = 0; i < 5; i++)
		fill_addr(&addrs[i], 7, "eth0", five[i], NULL);
	addrs[3].na_router = true;
	garp_set_addrs(f.g, addrs, 5);
	garp_start_master(f.g);
	/* the first set goes out from inside the call, before it returns */
	assert_int_equal(f.rec.n, 25);
	run_for(&f, 60000);
	assert_int_equal(f.rec.n, 50);
	for (size_t k = 0; k < 50; k++) {
		assert_sent(&f.rec.v[k], five[k % 5], "round-robin", k);
		assert_int_equal(f.rec.v[k].ifindex, 7);
		if (k < 25)
			assert_true(f.rec.v[k].t_us < 40000);
		else
			assert_true(f.rec.v[k].t_us >= 40000);
	}
	assert_int_equal(f.rec.v[3].flags, 0xa0);
	assert_int_equal(f.rec.v[4].flags, 0x20);
	garp_get_stats(f.g, &st);
	assert_int_equal(st.n_arp, 30);
	assert_int_equal(st.n_na, 20);
	assert_int_equal(st.n_err, 0);
	fixture_done(&f);
}

/* Shared pacing: each address once per set, ARP and NA on separate clocks. */
static void test_master_paced(void **state)
{
	struct garp_params p = { .master_delay_us = 50000, .master_repeat = 3 };
	struct garp_pace *pace = garp_pace_new(5000, 10000);
	struct garp_addr addrs[5];
	uint64_t first[2] = { 0 }, n_fam[2][2] = { { 0 } };
	struct fixture f;

	(void)state;
	fixture_init(&f, &p);
	for (size_t i = 0; i < 5; i++)
		fill_addr(&addrs[i], 3, "eth0", five[i], pace);
	garp_set_addrs(f.g, addrs, 5);
	garp_start_master(f.g);
	/* the first of each family goes at once: the interface was idle */
	assert_int_equal(f.rec.n, 2);
	assert_sent(&f.rec.v[0], "192.0.2.100", "first", 0);
	assert_sent(&f.rec.v[1], "2001:db8::100", "first", 1);
	run_for(&f, 80000);
	assert_int_equal(f.rec.n, 10);
	/* in each set, ARPs 100 101 102 and NAs ::100 ::101, in list order */
	size_t ai = 0, ni = 0;
	for (size_t k = 0; k < f.rec.n; k++) {
		const struct sent *e = &f.rec.v[k];
		int fam = e->addr.family == AF_INET6;
		int set = k >= 5;	/* the first set is over long before the second */
		uint64_t interval = fam ? 10000 : 5000;

		if (fam)
			assert_sent(e, five[3 + ni++ % 2], "NA order", k);
		else
			assert_sent(e, five[ai++ % 3], "ARP order", k);
		if (n_fam[set][fam] == 0)
			first[fam] = e->t_us;
		if (set && n_fam[set][fam] == 0)
			assert_true(e->t_us >= 50000);
		/* the kth frame of a family in a set: no earlier than first + k intervals */
		assert_true(e->t_us >= first[fam] + n_fam[set][fam] * interval);
		n_fam[set][fam]++;
	}
	assert_int_equal(n_fam[0][0], 3);
	assert_int_equal(n_fam[0][1], 2);
	assert_int_equal(n_fam[1][0], 3);
	assert_int_equal(n_fam[1][1], 2);
	fixture_done(&f);
	garp_pace_free(pace);
}

/*
 * A reload changes the shared pacing (garp_pace_set()) under running schedules: the next
 * set follows the new interval, and going back to 0 unpaces it again.
 */
static void test_pace_set_applies_to_next_set(void **state)
{
	struct garp_params p = { .master_delay_us = 30000, .master_repeat = 1 };
	struct garp_pace *pace = garp_pace_new(0, 0);
	struct garp_addr addrs[3];
	struct fixture f;

	(void)state;
	fixture_init(&f, &p);
	for (size_t i = 0; i < 3; i++)
		fill_addr(&addrs[i], 3, "eth0", five[i], pace);
	garp_set_addrs(f.g, addrs, 3);
	garp_start_master(f.g);
	assert_int_equal(f.rec.n, 3);		/* interval 0: one burst, from inside the call */
	garp_pace_set(pace, 10000, 0);
	run_for(&f, 70000);
	assert_int_equal(f.rec.n, 6);
	for (size_t k = 3; k < 6; k++) {
		assert_sent(&f.rec.v[k], five[k - 3], "paced set", k);
		if (f.rec.v[k].t_us < 30000 + (k - 3) * 10000)
			fail_msg("frame %zu at %llu us: the new 10 ms interval was not applied", k,
				 (unsigned long long)f.rec.v[k].t_us);
	}
	garp_pace_set(pace, 0, 0);
	garp_start_master(f.g);
	assert_int_equal(f.rec.n, 9);		/* unpaced again: at once */
	fixture_done(&f);
	garp_pace_free(pace);
}

/* Two instances on one paced interface take turns; slots never overlap. */
static void test_two_instances_share_pace(void **state)
{
	struct garp_params p = { .master_repeat = 5 };
	struct garp_pace *pace = garp_pace_new(20000, 0);	/* long: a busy machine keeps the order */
	struct garp_addr a1[3], a2[3];
	struct garp *g2;
	struct fixture f;

	(void)state;
	fixture_init(&f, &p);
	assert_int_equal(garp_new(&g2, f.gc, "VI_2", &p), 0);
	for (size_t i = 0; i < 3; i++) {
		fill_addr(&a1[i], 3, "eth0", five[i], pace);
		char ip[32];
		snprintf(ip, sizeof(ip), "198.51.100.%zu", i + 1);
		fill_addr(&a2[i], 3, "eth0", ip, pace);
	}
	garp_set_addrs(f.g, a1, 3);
	garp_set_addrs(g2, a2, 3);
	garp_start_master(f.g);
	garp_start_master(g2);
	run_until(&f, 6, 2000000);
	assert_int_equal(f.rec.n, 6);
	/* slot k is at k * 20 ms or later: never two frames in one slot */
	for (size_t k = 0; k < 6; k++)
		assert_true(f.rec.v[k].t_us >= k * 20000);
	/* turns: VI_1 takes slot 0 and 1 (reserved in its first call), then they alternate */
	assert_sent(&f.rec.v[0], "192.0.2.100", "turns", 0);
	assert_sent(&f.rec.v[1], "192.0.2.101", "turns", 1);
	assert_sent(&f.rec.v[2], "198.51.100.1", "turns", 2);
	assert_sent(&f.rec.v[3], "192.0.2.102", "turns", 3);
	assert_sent(&f.rec.v[4], "198.51.100.2", "turns", 4);
	assert_sent(&f.rec.v[5], "198.51.100.3", "turns", 5);
	garp_free(g2);
	fixture_done(&f);
	garp_pace_free(pace);
}

/*
 * 100 new masters with garp_master_delay: one timer waits for all their second sets,
 * which go out in arming order, at most GARP_DELAYED_BUDGET per callback; the one that
 * left MASTER meanwhile sends no second set.
 */
static void test_delayed_sets_share_a_timer(void **state)
{
	struct garp_params p = { .master_repeat = 1, .master_delay_us = 20000 };
	struct garp_addr a[100];
	struct garp *g[100];
	struct sched_stats st;
	struct fixture f;
	char ip[32];

	(void)state;
	fixture_init(&f, &p);
	for (size_t i = 0; i < 100; i++) {
		snprintf(ip, sizeof(ip), "10.2.0.%zu", i + 1);
		fill_addr(&a[i], 3, "eth0", ip, NULL);
		assert_int_equal(garp_new(&g[i], f.gc, "VI_x", &p), 0);
		garp_set_addrs(g[i], &a[i], 1);
		garp_start_master(g[i]);
	}
	assert_int_equal(f.rec.n, 100);		/* the first sets, at once */
	sched_get_stats(f.s, &st);
	assert_int_equal(st.n_timers, 1);	/* and one timer for the 100 second sets */
	garp_stop(g[50]);
	run_until(&f, 199, 2000000);
	assert_int_equal(f.rec.n, 199);
	for (size_t k = 0; k < 99; k++) {
		size_t i = k < 50 ? k : k + 1;

		snprintf(ip, sizeof(ip), "10.2.0.%zu", i + 1);
		assert_sent(&f.rec.v[100 + k], ip, "second set", k);
		assert_true(f.rec.v[100 + k].t_us >= 20000);
	}
	sched_get_stats(f.s, &st);
	assert_true(st.n_dispatched >= 99 / GARP_DELAYED_BUDGET + 1);
	for (size_t i = 0; i < 100; i++)
		garp_free(g[i]);
	fixture_done(&f);
}

/* garp_master_refresh: every period counted from MASTER, refresh_repeat rounds each. */
static void test_refresh(void **state)
{
	struct garp_params p = { .master_repeat = 1, .master_refresh_us = 20000,
				 .master_refresh_repeat = 2 };
	struct garp_addr addrs[2];
	struct fixture f;

	(void)state;
	fixture_init(&f, &p);
	fill_addr(&addrs[0], 2, "eth0", "192.0.2.100", NULL);
	fill_addr(&addrs[1], 2, "eth0", "2001:db8::100", NULL);
	garp_set_addrs(f.g, addrs, 2);
	garp_start_master(f.g);
	run_for(&f, 70000);
	/* the master set (2 frames), then refreshes of 4 at 20, 40 and 60 ms */
	assert_int_equal(f.rec.n, 2 + 3 * 4);
	for (size_t k = 0; k < f.rec.n; k++) {
		size_t set = k < 2 ? 0 : 1 + (k - 2) / 4;

		assert_true(f.rec.v[k].t_us >= set * 20000);
		assert_sent(&f.rec.v[k], k % 2 ? "2001:db8::100" : "192.0.2.100", "refresh", k);
	}
	fixture_done(&f);
}

static void lower_prio_cb(struct sched_ev *ev, void *arg)
{
	(void)ev;
	garp_lower_prio(arg);
}

/* A lower-priority advert: a set at once, another after lower_prio_delay. */
static void test_lower_prio(void **state)
{
	struct garp_params p = { .master_repeat = 1, .lower_prio_delay_us = 30000,
				 .lower_prio_repeat = 2 };
	struct garp_addr addrs[1];
	struct fixture f;

	(void)state;
	fixture_init(&f, &p);
	fill_addr(&addrs[0], 2, "eth0", "192.0.2.100", NULL);
	garp_set_addrs(f.g, addrs, 1);
	garp_start_master(f.g);
	assert_int_equal(f.rec.n, 1);
	garp_lower_prio(f.g);
	assert_int_equal(f.rec.n, 3);
	/* a second advert 10 ms later: its set at once; the pending delayed set stays */
	assert_int_equal(sched_timer(f.s, &f.ev_act, 10000, lower_prio_cb, f.g), 0);
	run_for(&f, 50000);
	/* master 1 + lower 2 at 0; lower 2 at 10 ms; the delayed lower set of 2 at 30 ms */
	assert_int_equal(f.rec.n, 7);
	for (size_t k = 3; k < 7; k++)
		assert_true(f.rec.v[k].t_us >= (k < 5 ? 10000 : 30000));
	fixture_done(&f);

	/* lower_prio_repeat 0: lower-priority adverts send nothing */
	fixture_init(&f, &no_garps);
	garp_set_addrs(f.g, addrs, 1);
	garp_lower_prio(f.g);
	garp_start_master(f.g);
	assert_int_equal(f.rec.n, 0);
	run_for(&f, 1000);
	assert_int_equal(f.rec.n, 0);
	fixture_done(&f);
}

static struct garp_addr *many_addrs(size_t n, struct garp_pace *pace)
{
	struct garp_addr *v = xcalloc(n, sizeof(*v));

	for (size_t i = 0; i < n; i++) {
		char ip[32];

		snprintf(ip, sizeof(ip), "10.1.%zu.%zu", i / 250, i % 250 + 1);
		fill_addr(&v[i], 4, "eth1", ip, pace);
	}
	return v;
}

/* 1000 VIPs, 5 rounds: 5000 frames in chunks from zero-delay timers, in order. */
static void test_many_unpaced_chunks(void **state)
{
	struct garp_params p = { .master_repeat = 5 };
	struct garp_addr *v = many_addrs(1000, NULL);
	struct sched_stats st;
	struct fixture f;
	char ip[32];

	(void)state;
	fixture_init(&f, &p);
	garp_set_addrs(f.g, v, 1000);
	garp_start_master(f.g);
	assert_true(f.rec.n > 0 && f.rec.n < 5000);	/* the call returned early */
	run_until(&f, 5000, 5000000);
	assert_int_equal(f.rec.n, 5000);
	for (size_t k = 0; k < 5000; k += 499) {
		snprintf(ip, sizeof(ip), "10.1.%zu.%zu", (k % 1000) / 250, (k % 1000) % 250 + 1);
		assert_sent(&f.rec.v[k], ip, "many", k);
	}
	sched_get_stats(f.s, &st);
	assert_true(st.n_dispatched >= 5000 / 128);
	fixture_done(&f);
	free(v);
}

/* 1000 VIPs paced at 100 µs: one frame per slot, each VIP once, nothing blocks. */
static void test_many_paced(void **state)
{
	struct garp_params p = { .master_repeat = 5 };
	struct garp_pace *pace = garp_pace_new(100, 100);
	struct garp_addr *v = many_addrs(1000, pace);
	struct fixture f;
	char ip[32];

	(void)state;
	fixture_init(&f, &p);
	garp_set_addrs(f.g, v, 1000);
	garp_start_master(f.g);
	assert_int_equal(f.rec.n, 1);
	run_until(&f, 1000, 10000000);
	assert_int_equal(f.rec.n, 1000);
	for (size_t k = 0; k < 1000; k++) {
		snprintf(ip, sizeof(ip), "10.1.%zu.%zu", k / 250, k % 250 + 1);
		assert_sent(&f.rec.v[k], ip, "paced", k);
		/* one instance: every gap is an interval at least, even after a late timer */
		if (k > 0 && f.rec.v[k].t_us < f.rec.v[k - 1].t_us + 100)
			fail_msg("frame %zu %" PRIu64 " µs after the one before", k,
				 f.rec.v[k].t_us - f.rec.v[k - 1].t_us);
	}
	fixture_done(&f);
	free(v);
	garp_pace_free(pace);
}

/* Errors are counted and the schedule goes on. */
static void test_send_errors(void **state)
{
	struct garp_params p = { .master_repeat = 5 };
	struct garp_addr addrs[5];
	struct garp_stats st;
	struct fixture f;

	(void)state;
	fixture_init(&f, &p);
	f.rec.fail_every = 3;
	for (size_t i = 0; i < 5; i++)
		fill_addr(&addrs[i], 7, "eth0", five[i], NULL);
	garp_set_addrs(f.g, addrs, 5);
	garp_start_master(f.g);
	run_for(&f, 1000);
	garp_get_stats(f.g, &st);
	assert_int_equal(f.rec.n_calls, 25);
	assert_int_equal(st.n_err, 8);
	assert_int_equal(st.last_err, -ENOBUFS);
	assert_int_equal(st.n_arp + st.n_na, 17);
	fixture_done(&f);
}

static void stop_cb(struct sched_ev *ev, void *arg)
{
	(void)ev;
	garp_stop(arg);
}

/* Leaving MASTER in the middle of a paced set cancels the rest (and the second set). */
static void test_stop_mid_set(void **state)
{
	struct garp_params p = { .master_repeat = 1, .master_delay_us = 20000,
				 .master_refresh_us = 20000, .master_refresh_repeat = 1 };
	struct garp_pace *pace = garp_pace_new(3000, 3000);
	struct garp_addr *v = many_addrs(10, pace);
	struct fixture f;

	(void)state;
	fixture_init(&f, &p);
	garp_set_addrs(f.g, v, 10);
	garp_start_master(f.g);
	assert_int_equal(sched_timer(f.s, &f.ev_act, 7500, stop_cb, f.g), 0);
	/* nothing else is armed: the loop ends on its own */
	assert_int_equal(sched_run(f.s), 0);
	/* 0, 3 and 6 ms when on time; never the 9 ms one, the second set or a refresh */
	assert_true(f.rec.n >= 1 && f.rec.n <= 3);
	fixture_done(&f);
	free(v);
	garp_pace_free(pace);
}

struct swap {
	struct garp *g;
	const struct garp_addr *addrs;
	size_t n;
};

static void swap_cb(struct sched_ev *ev, void *arg)
{
	struct swap *sw = arg;

	(void)ev;
	garp_set_addrs(sw->g, sw->addrs, sw->n);
}

/* The caller's list changes during a paced set: the walk goes on at the same index. */
static void test_set_addrs_mid_set(void **state)
{
	struct garp_params p = { .master_repeat = 1 };
	struct garp_pace *pace = garp_pace_new(3000, 3000);
	struct garp_addr *old = many_addrs(4, pace), *grown = many_addrs(6, pace);
	struct fixture f;
	struct swap sw;
	char ip[32];

	(void)state;
	fixture_init(&f, &p);
	sw = (struct swap){ .g = f.g, .addrs = grown, .n = 6 };
	garp_set_addrs(f.g, old, 4);
	garp_start_master(f.g);
	assert_int_equal(f.rec.n, 1);
	/* at 4 ms frames 0 and 1 are out and 2 holds the 6 ms slot: the list grows to 6 */
	assert_int_equal(sched_timer(f.s, &f.ev_act, 4000, swap_cb, &sw), 0);
	run_for(&f, 40000);
	assert_int_equal(f.rec.n, 6);
	for (size_t k = 0; k < 6; k++) {
		snprintf(ip, sizeof(ip), "10.1.0.%zu", k + 1);
		assert_sent(&f.rec.v[k], ip, "grown", k);
	}
	/* each address once: the slot reserved for the old entry 2 was given up, not used twice */
	fixture_done(&f);
	free(old);
	free(grown);
	garp_pace_free(pace);
}

/* The log lines, exactly as keepalived 2.2.7 writes them with -D. */
/*
 * The log file at path holds exactly want[n] (the messages, without their prefixes);
 * it is removed, and the log goes back to the console.
 */
static void assert_log_file(const char *path, const char *const *want, size_t n_want)
{
	char line[512];
	size_t n = 0;
	FILE *in = fopen(path, "r");

	assert_non_null(in);
	while (fgets(line, sizeof(line), in)) {
		char *msg = strstr(line, "]: ");

		assert_non_null(msg);
		msg += 3;
		msg[strcspn(msg, "\n")] = 0;
		if (n >= n_want || strcmp(msg, want[n]))
			fail_msg("line %zu: '%s', want '%s'", n, msg, n < n_want ? want[n] : "(none)");
		n++;
	}
	fclose(in);
	unlink(path);
	assert_int_equal(n, n_want);
	log_open(&(struct log_opts){ .ident = "test", .max_prio = LOG_DEBUG });
}

static void test_log_lines(void **state)
{
	char path[] = "/tmp/test_vrrp_arp.XXXXXX";
	int fd = mkstemp(path);
	struct log_opts o = { .ident = "Keepalived_vrrp", .facility = LOG_DAEMON,
			      .to_syslog = false, .detail = true, .file = path,
			      .max_prio = LOG_DEBUG };
	struct garp_params p = { .master_repeat = 2 };
	struct garp_addr addrs[2];
	struct fixture f;
	static const char *const want[] = {
		/* a set of 2 rounds */
		"(VI_1) Sending/queueing gratuitous ARPs on eth0 for 192.0.2.100",
		"Sending gratuitous ARP on eth0 for 192.0.2.100",
		"(VI_1) Sending/queueing Unsolicited Neighbour Adverts on eth0 for 2001:db8::100",
		"Sending unsolicited Neighbour Advert on eth0 for 2001:db8::100",
		"Sending gratuitous ARP on eth0 for 192.0.2.100",
		"Sending unsolicited Neighbour Advert on eth0 for 2001:db8::100",
		/* a set whose sends all fail: one error line */
		"(VI_1) Sending/queueing gratuitous ARPs on eth0 for 192.0.2.100",
		"Sending gratuitous ARP on eth0 for 192.0.2.100",
		"(VI_1) Error sending gratuitous ARP on eth0 for 192.0.2.100: No buffer space available",
		"(VI_1) Sending/queueing Unsolicited Neighbour Adverts on eth0 for 2001:db8::100",
		"Sending unsolicited Neighbour Advert on eth0 for 2001:db8::100",
		"Sending gratuitous ARP on eth0 for 192.0.2.100",
		"Sending unsolicited Neighbour Advert on eth0 for 2001:db8::100",
		/* without -D: only the error line */
		"(VI_1) Error sending gratuitous ARP on eth0 for 192.0.2.100: No buffer space available",
	};

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	fill_addr(&addrs[0], 2, "eth0", "192.0.2.100", NULL);
	fill_addr(&addrs[1], 2, "eth0", "2001:db8::100", NULL);
	for (int detail = 1; detail >= 0; detail--) {
		o.detail = detail;
		assert_int_equal(log_open(&o), 0);
		fixture_init(&f, &p);
		garp_set_addrs(f.g, addrs, 2);
		if (detail)
			garp_start_master(f.g);
		f.rec.fail_every = 1;
		garp_start_master(f.g);
		garp_stop(f.g);
		fixture_done(&f);
		log_close();
	}
	assert_log_file(path, want, ARRAY_SIZE(want));
}

struct gate {
	unsigned n_asked, n_pass;
};

static bool gate_cb(void *arg)
{
	struct gate *gt = arg;

	return gt->n_asked++ < gt->n_pass;
}

/*
 * A lower-priority advert's set asks the gate before each line it would log (and only
 * then), and logs only what the gate passes; its frames go out regardless. A master's set
 * never asks.
 */
static void test_lower_prio_gate(void **state)
{
	char path[] = "/tmp/test_vrrp_arp.XXXXXX";
	int fd = mkstemp(path);
	struct log_opts o = { .ident = "Keepalived_vrrp", .facility = LOG_DAEMON,
			      .to_syslog = false, .detail = true, .file = path,
			      .max_prio = LOG_DEBUG };
	struct garp_params p = { .master_repeat = 1, .lower_prio_repeat = 2 };
	static const char *const want[] = {
		"(VI_1) Sending/queueing gratuitous ARPs on eth0 for 192.0.2.100",	/* master */
		"Sending gratuitous ARP on eth0 for 192.0.2.100",
		"(VI_1) Sending/queueing gratuitous ARPs on eth0 for 192.0.2.100",	/* lower: 2 of 3 */
		"Sending gratuitous ARP on eth0 for 192.0.2.100",
	};
	struct gate gt = { .n_pass = 2 };
	struct garp_addr addr;
	struct fixture f;

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	fill_addr(&addr, 2, "eth0", "192.0.2.100", NULL);
	assert_int_equal(log_open(&o), 0);
	fixture_init(&f, &p);
	garp_set_addrs(f.g, &addr, 1);
	garp_set_lower_gate(f.g, gate_cb, &gt);
	garp_start_master(f.g);
	assert_int_equal(gt.n_asked, 0);
	garp_lower_prio(f.g);
	assert_int_equal(gt.n_asked, 3);	/* its "Sending/queueing" line and 2 frames' */
	assert_int_equal(f.rec.n, 3);		/* every frame sent */
	log_close();
	o.detail = false;			/* no line to log: nothing asked */
	assert_int_equal(log_open(&o), 0);
	garp_lower_prio(f.g);
	assert_int_equal(gt.n_asked, 3);
	assert_int_equal(f.rec.n, 5);
	garp_stop(f.g);
	fixture_done(&f);
	log_close();
	assert_log_file(path, want, ARRAY_SIZE(want));
}

/* ---- root only: a veth pair in a private network namespace ---- */

static int write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	int r;

	if (!f)
		return -errno;
	r = fputs(text, f) < 0 ? -EIO : 0;
	if (fclose(f) != 0 && r == 0)
		r = -errno;
	return r;
}

/* Frames that arrive on fd within timeout_ms, ARP and NA only (other IPv6 is noise). */
static size_t recv_frames(int fd, uint8_t (*out)[128], size_t *lens, size_t max, int timeout_ms)
{
	uint64_t end = mono_now_us() + (uint64_t)timeout_ms * 1000;
	size_t n = 0;

	while (n < max) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		int64_t left = (int64_t)(end - mono_now_us()) / 1000;
		ssize_t len;

		if (left <= 0 || poll(&pfd, 1, (int)left) <= 0)
			break;
		len = recv(fd, out[n], sizeof(out[n]), MSG_DONTWAIT);
		if (len < 14)
			continue;
		bool arp = out[n][12] == 0x08 && out[n][13] == 0x06;
		bool na = out[n][12] == 0x86 && out[n][13] == 0xdd && len >= 55 &&
			  out[n][20] == IPPROTO_ICMPV6 && out[n][54] == 136;
		if (arp || na)
			lens[n++] = (size_t)len;
	}
	return n;
}

static void test_veth_wire(void **state)
{
	uint8_t got[8][128];
	size_t lens[8], n;
	struct garp_params p = { .master_repeat = 2 };
	struct garp_addr addrs[2];
	struct garp_sock *gs = NULL;
	struct garp_ctx *gc;
	struct sched *s;
	struct garp *g;
	struct garp_stats st;
	int tx_if, rx_if, rx;

	(void)state;
	if (geteuid() != 0) {
		print_message("not root: skipping the veth test\n");
		skip();
	}
	if (unshare(CLONE_NEWNET) < 0) {
		print_message("unshare(CLONE_NEWNET): %s: skipping the veth test\n", strerror(errno));
		skip();
	}
	/* in the new namespace only: the pair dies with this process */
	assert_int_equal(system("ip link add harv0 type veth peer name harv1 && "
				"ip link set harv0 address 02:00:00:00:0a:01"), 0);
	assert_int_equal(write_file("/proc/sys/net/ipv6/conf/harv0/disable_ipv6", "1"), 0);
	assert_int_equal(write_file("/proc/sys/net/ipv6/conf/harv1/disable_ipv6", "1"), 0);
	assert_int_equal(system("ip link set harv0 up && ip link set harv1 up"), 0);
	tx_if = (int)if_nametoindex("harv0");
	rx_if = (int)if_nametoindex("harv1");
	assert_true(tx_if > 0 && rx_if > 0);

	rx = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
	assert_true(rx >= 0);
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL),
				   .sll_ifindex = rx_if };
	assert_int_equal(bind(rx, (struct sockaddr *)&sll, sizeof(sll)), 0);

	assert_int_equal(garp_sock_open(&gs), 0);
	assert_int_equal(sched_new(&s), 0);
	gc = garp_ctx_new(s, garp_sock_send, gs);
	assert_int_equal(garp_new(&g, gc, "VI_1", &p), 0);
	fill_addr(&addrs[0], tx_if, "harv0", "192.0.2.100", NULL);
	fill_addr(&addrs[1], tx_if, "harv0", "2001:db8::100", NULL);
	garp_set_addrs(g, addrs, 2);
	/* the schedule's set: 2 rounds of (GARP, NA); then the R flag sent by hand */
	garp_start_master(g);
	uint8_t frame[GARP_FRAME_MAX];
	struct in6_addr vip6 = v6("2001:db8::100");
	size_t len = garp_build_na(frame, ka_hw, &vip6, true);
	assert_int_equal(garp_sock_send(gs, tx_if, frame, len), 0);
	/* a frame for a missing interface is an error, not a crash */
	assert_true(garp_sock_send(gs, 999999, frame, len) < 0);

	n = recv_frames(rx, got, lens, ARRAY_SIZE(got), 2000);
	assert_int_equal(n, 5);
	assert_bytes("wire GARP 1", got[0], lens[0], ka_garp_100, sizeof(ka_garp_100));
	assert_bytes("wire NA 1", got[1], lens[1], ka_na_100, sizeof(ka_na_100));
	assert_bytes("wire GARP 2", got[2], lens[2], ka_garp_100, sizeof(ka_garp_100));
	assert_bytes("wire NA 2", got[3], lens[3], ka_na_100, sizeof(ka_na_100));
	assert_bytes("wire NA R", got[4], lens[4], ka_na_100_router, sizeof(ka_na_100_router));
	garp_get_stats(g, &st);
	assert_int_equal(st.n_arp, 2);
	assert_int_equal(st.n_na, 2);
	assert_int_equal(st.n_err, 0);

	/* an interface that went away: counted and logged, the schedule goes on */
	addrs[0].ifindex = 999999;
	garp_start_master(g);
	garp_get_stats(g, &st);
	assert_int_equal(st.n_err, 2);
	assert_int_equal(st.last_err, -ENXIO);
	assert_int_equal(st.n_na, 4);
	garp_free(g);
	garp_ctx_free(gc);
	sched_free(s);
	garp_sock_close(gs);
	close(rx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arp_bytes),
		cmocka_unit_test(test_na_bytes),
		cmocka_unit_test(test_na_checksum),
		cmocka_unit_test(test_master_unpaced),
		cmocka_unit_test(test_master_paced),
		cmocka_unit_test(test_pace_set_applies_to_next_set),
		cmocka_unit_test(test_two_instances_share_pace),
		cmocka_unit_test(test_refresh),
		cmocka_unit_test(test_lower_prio),
		cmocka_unit_test(test_delayed_sets_share_a_timer),
		cmocka_unit_test(test_many_unpaced_chunks),
		cmocka_unit_test(test_many_paced),
		cmocka_unit_test(test_send_errors),
		cmocka_unit_test(test_stop_mid_set),
		cmocka_unit_test(test_set_addrs_mid_set),
		cmocka_unit_test(test_log_lines),
		cmocka_unit_test(test_lower_prio_gate),
		cmocka_unit_test(test_veth_wire),	/* last: it leaves the namespace */
	};

	log_open(&(struct log_opts){ .ident = "test", .max_prio = LOG_DEBUG });
	return cmocka_run_group_tests(tests, NULL, NULL);
}
