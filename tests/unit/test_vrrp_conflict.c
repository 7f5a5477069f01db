// SPDX-License-Identifier: GPL-2.0-or-later
/* tests/unit/test_vrrp_conflict.c: conflict episodes, failover time, frames, the socket filter. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "vrrp/vrrp_conflict.h"

#define S 1000000ULL

static struct inet_addr ip(const char *s)
{
	struct inet_addr a;

	assert_true(inet_addr_parse(s, &a));
	return a;
}

/* ---- episodes ---- */

static void test_episode(void **state)
{
	struct vrrp_conflict_ep ep = { 0 };
	struct vrrp_conflict_peer p = { .kind = VRRP_CONFLICT_ARP_REPLY, .has_mac = true,
					.mac = { 2, 0, 0, 0, 0, 3 }, .addr = ip("192.0.2.100") };
	uint64_t q = vrrp_conflict_quiet_us(100);	/* advert_int 1 s: 3 s */

	(void)state;
	assert_int_equal(q, 3 * S);
	assert_int_equal(vrrp_conflict_quiet_us(10), VRRP_CONFLICT_QUIET_MIN_US);	/* 10 ms */
	assert_int_equal(vrrp_conflict_quiet_us(500), 15 * S);
	/* nothing yet: nothing ends */
	assert_false(vrrp_conflict_check(&ep, 100 * S, q));
	assert_false(vrrp_conflict_stop(&ep));
	/* the first packet starts an episode, the next ones do not */
	assert_true(vrrp_conflict_seen(&ep, &p, 10 * S));
	assert_false(vrrp_conflict_seen(&ep, &p, 11 * S));
	assert_false(vrrp_conflict_seen(&ep, &p, 12 * S));
	assert_true(ep.active);
	assert_int_equal(ep.n_episodes, 1);
	assert_int_equal(ep.n_packets, 3);
	assert_int_equal(ep.n_ep_packets, 3);
	/* it ends a quiet time after the last packet, not the first */
	assert_int_equal(vrrp_conflict_due_us(&ep, q), 15 * S);
	assert_false(vrrp_conflict_check(&ep, 14 * S, q));
	assert_true(ep.active);
	assert_true(vrrp_conflict_check(&ep, 15 * S, q));
	assert_false(ep.active);
	assert_false(vrrp_conflict_check(&ep, 16 * S, q));	/* once */
	/* another: counted apart; leaving MASTER ends it (no announcement) */
	p.kind = VRRP_CONFLICT_ADVERT;
	p.has_mac = false;
	p.addr = ip("192.0.2.2");
	assert_true(vrrp_conflict_seen(&ep, &p, 20 * S));
	assert_int_equal(ep.n_episodes, 2);
	assert_int_equal(ep.n_ep_packets, 1);
	assert_int_equal(ep.n_packets, 4);
	assert_int_equal(ep.start_us, 20 * S);
	assert_true(vrrp_conflict_stop(&ep));
	assert_false(vrrp_conflict_check(&ep, 30 * S, q));
	assert_int_equal(ep.last.kind, VRRP_CONFLICT_ADVERT);
}

static void test_log_limit(void **state)
{
	struct vrrp_conflict_ep ep = { 0 };
	unsigned n = 0;

	(void)state;
	for (unsigned i = 0; i < 20; i++)
		n += vrrp_conflict_log_pass(&ep, (uint64_t)i * S);
	assert_int_equal(n, VRRP_CONFLICT_LOG_BURST);
	/* a new window */
	assert_true(vrrp_conflict_log_pass(&ep, VRRP_CONFLICT_LOG_WINDOW_US + 1));
}

static void test_peer_str(void **state)
{
	char b[VRRP_CONFLICT_PEER_STRLEN];
	struct vrrp_conflict_peer p = { .kind = VRRP_CONFLICT_GARP, .has_mac = true,
					.mac = { 0x02, 0xab, 0, 0x10, 0xff, 0x03 },
					.addr = ip("192.0.2.100") };

	(void)state;
	assert_string_equal(vrrp_conflict_peer_str(&p, b, sizeof(b)), "02:ab:00:10:ff:03");
	p.kind = VRRP_CONFLICT_ADVERT;
	p.addr = ip("2001:db8::2");
	assert_string_equal(vrrp_conflict_peer_str(&p, b, sizeof(b)), "2001:db8::2");
	assert_string_equal(vrrp_conflict_kind_str(VRRP_CONFLICT_NA), "neighbour advert");
	assert_string_equal(vrrp_conflict_kind_str(VRRP_CONFLICT_ARP_REPLY), "ARP reply");
}

/* ---- failover time ---- */

static void test_failover(void **state)
{
	struct vrrp_failover_heard h = { 0 };
	struct vrrp_failover f = { 0 };
	struct inet_addr a = ip("192.0.2.1"), b = ip("192.0.2.3");

	(void)state;
	/* a master without a master before it: no figure */
	assert_false(vrrp_failover_master(&h, &f, 5 * S));
	assert_false(f.has_last);
	vrrp_failover_advert(&h, 10 * S, &b);
	vrrp_failover_advert(&h, 11 * S, &a);	/* the last one counts */
	assert_true(vrrp_failover_master(&h, &f, 11 * S + 3609 * 1000));
	assert_true(f.has_last);
	assert_int_equal(f.last_us, 3609 * 1000);
	assert_true(inet_addr_eq(&f.last_from, &a));
	assert_int_equal(f.last_at_us, 11 * S + 3609 * 1000);
	/* measured once: MASTER again without a new advert gives nothing */
	assert_false(vrrp_failover_master(&h, &f, 12 * S));
	/* BACKUP again, then FAULT: what was heard before is forgotten, the last figure kept */
	vrrp_failover_advert(&h, 20 * S, &b);
	vrrp_failover_forget(&h);
	assert_false(vrrp_failover_master(&h, &f, 30 * S));
	assert_int_equal(f.last_us, 3609 * 1000);
}

/* ---- frames ---- */

static const uint8_t mac_a[6] = { 0x02, 0, 0, 0, 0, 0x0a };
static const uint8_t mac_b[6] = { 0x02, 0, 0, 0, 0, 0x0b };

/* An Ethernet ARP frame: sender spa/sha, target tpa */
static size_t arp_frame(uint8_t *f, uint16_t op, const char *spa, const char *tpa,
			const uint8_t *sha, uint16_t ptype)
{
	struct in_addr s, t;

	assert_int_equal(inet_pton(AF_INET, spa, &s), 1);
	assert_int_equal(inet_pton(AF_INET, tpa, &t), 1);
	memset(f, 0xff, 6);
	memcpy(f + 6, sha, 6);
	f[12] = 0x08; f[13] = 0x06;
	f[14] = 0; f[15] = 1;
	f[16] = ptype >> 8; f[17] = ptype & 0xff;
	f[18] = 6; f[19] = 4;
	f[20] = op >> 8; f[21] = op & 0xff;
	memcpy(f + 22, sha, 6);
	memcpy(f + 28, &s, 4);
	memset(f + 32, 0, 6);
	memcpy(f + 38, &t, 4);
	return 42;
}

/* An NA (or another ICMPv6 type) for target; with a target link-layer option if tlla */
static size_t na_frame(uint8_t *f, uint8_t type, const char *target, const uint8_t *src,
		       const uint8_t *tlla)
{
	struct in6_addr t;
	size_t len = 14 + 40 + 24 + (tlla ? 8 : 0);

	assert_int_equal(inet_pton(AF_INET6, target, &t), 1);
	memset(f, 0, len);
	f[0] = 0x33; f[1] = 0x33; f[5] = 1;
	memcpy(f + 6, src, 6);
	f[12] = 0x86; f[13] = 0xdd;
	f[14] = 0x60;
	f[19] = (uint8_t)(len - 54);
	f[20] = 58;
	f[21] = 255;
	f[54] = type;
	memcpy(f + 62, &t, 16);
	if (tlla) {
		f[78] = 2;
		f[79] = 1;
		memcpy(f + 80, tlla, 6);
	}
	return len;
}

static void test_parse(void **state)
{
	uint8_t f[128];
	struct vrrp_conflict_frame o;
	size_t n;
	static const struct {
		const char *what;
		uint16_t op;
		const char *spa, *tpa;
		uint16_t ptype;
		enum vrrp_conflict_kind want;
	} arps[] = {
		{ "ARP reply", 2, "192.0.2.100", "192.0.2.1", 0x0800, VRRP_CONFLICT_ARP_REPLY },
		{ "GARP request", 1, "192.0.2.100", "192.0.2.100", 0x0800, VRRP_CONFLICT_GARP },
		{ "GARP reply", 2, "192.0.2.100", "192.0.2.100", 0x0800, VRRP_CONFLICT_GARP },
		{ "ARP request", 1, "192.0.2.100", "192.0.2.1", 0x0800, VRRP_CONFLICT_ARP_REQUEST },
		{ "RARP-like op 3", 3, "192.0.2.100", "192.0.2.1", 0x0800, VRRP_CONFLICT_NONE },
		{ "not IPv4", 2, "192.0.2.100", "192.0.2.1", 0x86dd, VRRP_CONFLICT_NONE },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(arps) / sizeof(arps[0]); i++) {
		n = arp_frame(f, arps[i].op, arps[i].spa, arps[i].tpa, mac_b, arps[i].ptype);
		if (vrrp_conflict_parse(f, n, &o) != arps[i].want)
			fail_msg("%s: got %s", arps[i].what, vrrp_conflict_kind_str(o.kind));
		if (o.kind != VRRP_CONFLICT_NONE)
			assert_memory_equal(o.mac, mac_b, 6);
	}
	n = arp_frame(f, 2, "192.0.2.100", "192.0.2.1", mac_b, 0x0800);
	assert_int_equal(vrrp_conflict_parse(f, n - 1, &o), VRRP_CONFLICT_NONE);	/* cut */
	assert_int_equal(vrrp_conflict_parse(f, 10, &o), VRRP_CONFLICT_NONE);
	vrrp_conflict_parse(f, n, &o);
	{
		struct inet_addr want = ip("192.0.2.100");

		assert_true(inet_addr_eq(&o.addr, &want));
	}
	/* NA: the option's MAC names the claimer, else the Ethernet source */
	n = na_frame(f, 136, "2001:db8::100", mac_a, mac_b);
	assert_int_equal(vrrp_conflict_parse(f, n, &o), VRRP_CONFLICT_NA);
	assert_memory_equal(o.mac, mac_b, 6);
	assert_memory_equal(o.eth_src, mac_a, 6);
	{
		struct inet_addr want = ip("2001:db8::100");

		assert_true(inet_addr_eq(&o.addr, &want));
	}
	n = na_frame(f, 136, "2001:db8::100", mac_a, NULL);
	assert_int_equal(vrrp_conflict_parse(f, n, &o), VRRP_CONFLICT_NA);
	assert_memory_equal(o.mac, mac_a, 6);
	n = na_frame(f, 135, "2001:db8::100", mac_a, NULL);	/* an NS */
	assert_int_equal(vrrp_conflict_parse(f, n, &o), VRRP_CONFLICT_NONE);
	n = na_frame(f, 136, "2001:db8::100", mac_a, NULL);
	assert_int_equal(vrrp_conflict_parse(f, n - 1, &o), VRRP_CONFLICT_NONE);
	/* a zero-length option ends the walk (no endless loop) */
	n = na_frame(f, 136, "2001:db8::100", mac_a, mac_b);
	f[79] = 0;
	assert_int_equal(vrrp_conflict_parse(f, n, &o), VRRP_CONFLICT_NA);
	assert_memory_equal(o.mac, mac_a, 6);
}

/* ---- the filter, run by the kernel on a datagram socket (no root needed) ---- */

struct filt {
	int fd[2];
};

static void filt_open(struct filt *t, const struct in_addr *v4, size_t n4,
		      const struct in6_addr *v6, size_t n6, size_t max, bool want_all)
{
	static struct sock_filter prog[BPF_MAXINSNS];
	struct sock_fprog fp;
	bool all;
	size_t n = vrrp_conflict_bpf(v4, n4, v6, n6, prog, max, &all);

	assert_int_equal(all, want_all);
	assert_true(n > 0 && n <= max);
	if (!all)
		assert_int_equal(n, vrrp_conflict_bpf_len(n4, n6));
	assert_int_equal(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0, t->fd), 0);
	fp = (struct sock_fprog){ .len = (unsigned short)n, .filter = prog };
	if (setsockopt(t->fd[1], SOL_SOCKET, SO_ATTACH_FILTER, &fp, sizeof(fp)) < 0)
		fail_msg("SO_ATTACH_FILTER: %s", strerror(errno));
}

/* Does the frame pass? */
static bool passes(struct filt *t, const uint8_t *f, size_t n)
{
	uint8_t buf[256];

	assert_int_equal(send(t->fd[0], f, n, 0), (ssize_t)n);
	return recv(t->fd[1], buf, sizeof(buf), 0) > 0;
}

static void filt_close(struct filt *t)
{
	close(t->fd[0]);
	close(t->fd[1]);
}

static void pton4(const char *s, struct in_addr *a)
{
	assert_int_equal(inet_pton(AF_INET, s, a), 1);
}

static void pton6(const char *s, struct in6_addr *a)
{
	assert_int_equal(inet_pton(AF_INET6, s, a), 1);
}

static void test_filter(void **state)
{
	struct in_addr v4[2];
	struct in6_addr v6[2];
	struct filt t;
	uint8_t f[128];
	static const struct {
		const char *what;
		int arp;		/* 1: ARP frame, 0: ICMPv6, -1: IPv4 */
		uint16_t op_or_type;
		const char *addr, *tpa;
		bool want;
	} cases[] = {
		{ "ARP reply from a VIP", 1, 2, "192.0.2.100", "192.0.2.1", true },
		{ "GARP for the other VIP", 1, 1, "192.0.2.101", "192.0.2.101", true },
		{ "ARP reply from another address", 1, 2, "192.0.2.5", "192.0.2.1", false },
		{ "ARP request for a VIP (not a claim)", 1, 1, "192.0.2.5", "192.0.2.100", false },
		{ "an address next to a VIP", 1, 2, "192.0.2.99", "192.0.2.1", false },
		{ "NA for a VIP", 0, 136, "2001:db8::100", NULL, true },
		{ "NA for the other VIP", 0, 136, "2001:db8:1::100", NULL, true },
		{ "NA for another address", 0, 136, "2001:db8::5", NULL, false },
		{ "NA differing in the last word only", 0, 136, "2001:db8::1:100", NULL, false },
		{ "NS for a VIP", 0, 135, "2001:db8::100", NULL, false },
		{ "an IPv4 packet", -1, 0, NULL, NULL, false },
	};

	(void)state;
	pton4("192.0.2.100", &v4[0]);
	pton4("192.0.2.101", &v4[1]);
	pton6("2001:db8::100", &v6[0]);
	pton6("2001:db8:1::100", &v6[1]);
	filt_open(&t, v4, 2, v6, 2, BPF_MAXINSNS, false);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t n;

		if (cases[i].arp > 0) {
			n = arp_frame(f, cases[i].op_or_type, cases[i].addr, cases[i].tpa, mac_b,
				      0x0800);
		} else if (!cases[i].arp) {
			n = na_frame(f, (uint8_t)cases[i].op_or_type, cases[i].addr, mac_b, mac_b);
		} else {
			n = 60;
			memset(f, 0, n);
			f[12] = 0x08;
			f[14] = 0x45;
		}
		if (passes(&t, f, n) != cases[i].want)
			fail_msg("%s: %s", cases[i].what, cases[i].want ? "dropped" : "passed");
	}
	filt_close(&t);
}

/* Too many for max: every ARP and NA passes, the rest does not. */
static void test_filter_all(void **state)
{
	struct in_addr v4[40];
	struct filt t;
	uint8_t f[128];

	(void)state;
	for (unsigned i = 0; i < 40; i++)
		v4[i].s_addr = htonl(0xc0000200 + i);
	filt_open(&t, v4, 40, NULL, 0, 50, true);
	assert_true(passes(&t, f, arp_frame(f, 2, "198.51.100.7", "192.0.2.1", mac_b, 0x0800)));
	assert_true(passes(&t, f, na_frame(f, 136, "2001:db8::5", mac_b, NULL)));
	assert_false(passes(&t, f, na_frame(f, 135, "2001:db8::5", mac_b, NULL)));
	filt_close(&t);
}

/* Many addresses: jumps stay in range, the last of each kind still matches. */
static void test_filter_many(void **state)
{
	static struct in_addr v4[1500];
	static struct in6_addr v6[100];
	struct filt t;
	uint8_t f[128];
	char s[INET6_ADDRSTRLEN];

	(void)state;
	for (unsigned i = 0; i < 1500; i++)
		v4[i].s_addr = htonl(0x0a000000 + i);
	for (unsigned i = 0; i < 100; i++) {
		snprintf(s, sizeof(s), "2001:db8::%x", i + 1);
		pton6(s, &v6[i]);
	}
	assert_true(vrrp_conflict_bpf_len(1500, 100) <= BPF_MAXINSNS);
	filt_open(&t, v4, 1500, v6, 100, BPF_MAXINSNS, false);
	assert_true(passes(&t, f, arp_frame(f, 2, "10.0.5.219", "10.0.0.1", mac_b, 0x0800)));
	assert_true(passes(&t, f, arp_frame(f, 2, "10.0.0.0", "10.0.0.1", mac_b, 0x0800)));
	assert_false(passes(&t, f, arp_frame(f, 2, "10.0.5.220", "10.0.0.1", mac_b, 0x0800)));
	assert_true(passes(&t, f, na_frame(f, 136, "2001:db8::64", mac_b, NULL)));
	assert_true(passes(&t, f, na_frame(f, 136, "2001:db8::1", mac_b, NULL)));
	assert_false(passes(&t, f, na_frame(f, 136, "2001:db8::65", mac_b, NULL)));
	filt_close(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_episode),
		cmocka_unit_test(test_log_limit),
		cmocka_unit_test(test_peer_str),
		cmocka_unit_test(test_failover),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_filter),
		cmocka_unit_test(test_filter_all),
		cmocka_unit_test(test_filter_many),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
