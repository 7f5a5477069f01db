// SPDX-License-Identifier: GPL-2.0-or-later
/* tests/unit/test_vrrp_pkt.c: VRRP codec: captured adverts, drop reasons, round trips, truncation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <arpa/inet.h>

#include <cmocka.h>

#include "utils.h"
#include "vrrp/vrrp_conf.h"
#include "vrrp/vrrp_pkt.h"
#include "vrrp_vectors.h"

#define MAX_VIPS 255
#define CAP6_SRC "fe80::ece1:68ff:fe97:b819"

static struct inet_addr addr(const char *s)
{
	struct inet_addr a;

	if (!inet_addr_parse(s, &a))
		fail_msg("bad address in test: %s", s);
	return a;
}

/* "a,b,c" -> vips; returns the count */
static unsigned addr_list(const char *s, struct inet_addr *out)
{
	char buf[4096], *save = NULL;
	unsigned n = 0;

	snprintf(buf, sizeof(buf), "%s", s);
	for (char *t = strtok_r(buf, ",", &save); t != NULL; t = strtok_r(NULL, ",", &save))
		out[n++] = addr(t);
	return n;
}

static struct vrrp_pkt_rx rx_for(sa_family_t family, const char *src6, const char *dst6)
{
	struct vrrp_pkt_rx rx = { .family = family };

	if (family == AF_INET6) {
		rx.src = addr(src6).v6;
		rx.dst = addr(dst6).v6;
		rx.hop_limit = 255;
	}
	return rx;
}

/*
 * The addressing an instance receiving from src at dst would expect: the group when dst
 * is multicast, else unicast to dst with src as its one peer (TTL range unset). group,
 * self and peer are the storage ex points into.
 */
static void addressing(struct vrrp_expect *ex, const struct inet_addr *src,
		       const struct inet_addr *dst, struct inet_addr *group, struct vc_peer *peer)
{
	bool mc = dst->family == AF_INET ? IN_MULTICAST(ntohl(dst->v4.s_addr))
					 : IN6_IS_ADDR_MULTICAST(&dst->v6);

	*group = *dst;
	*peer = (struct vc_peer){ .addr = *src, .min_ttl = -1, .max_ttl = -1 };
	ex->group = mc ? group : NULL;
	ex->self = mc ? NULL : group;
	ex->peers = mc ? NULL : peer;
	ex->n_peers = mc ? 0 : 1;
}

/* An exact-size heap copy, so that ASan sees any read past the end. */
static uint8_t *dup_exact(const uint8_t *p, size_t len)
{
	uint8_t *q = malloc(len ? len : 1);

	assert_non_null(q);
	memcpy(q, p, len);
	return q;
}

static struct vrrp_auth *auth_new(enum vrrp_auth_type type, const char *pass)
{
	struct vrrp_auth *a = NULL;

	assert_int_equal(vrrp_auth_new(&a, type, pass, NULL), 0);
	return a;
}

/* ---- independent RFC 1071 checksums, to keep patched vectors valid ---- */

static uint32_t sum16(uint32_t s, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	return s;
}

static uint16_t fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static size_t vrrp_off(const uint8_t *p, sa_family_t family)
{
	if (family == AF_INET6)
		return 0;
	return (size_t)(p[0] & 0x0f) * 4 + (p[9] == 51 ? 24 : 0);
}

/* Recomputes the VRRP checksum of p[len] (v2, or v3 with the pseudo-header). */
static void fix_csum(uint8_t *p, size_t len, sa_family_t family, const struct vrrp_pkt_rx *rx)
{
	size_t off = vrrp_off(p, family), vlen = len - off;
	uint8_t *v = p + off;
	uint32_t s = 0;

	v[6] = v[7] = 0;
	if ((v[0] >> 4) == 3) {
		if (family == AF_INET) {
			s = sum16(s, p + 12, 8);
			s += 112 + (uint32_t)vlen;
		} else {
			s = sum16(s, rx->src.s6_addr, 16);
			s = sum16(s, rx->dst.s6_addr, 16);
			s += (uint32_t)vlen + 112;
		}
	}
	s = fold(sum16(s, v, vlen));
	v[6] = (uint8_t)(s >> 8);
	v[7] = (uint8_t)s;
}

/* ---- good packets: captured from keepalived, and built by hand ---- */

static const struct good {
	const char *what;
	const uint8_t *pkt;
	size_t len;
	sa_family_t family;
	const char *src6, *dst6;	/* IPv6: what recvmsg() would give */
	const char *src, *dst;
	uint8_t version, vrid, priority, n_addrs;
	uint16_t adver_int_cs;
	enum vrrp_auth_type auth;
	const char *pass;
	uint32_t ah_seq;		/* AH: as sent */
	uint16_t ip_id;
	bool reencode;			/* encode gives these very bytes */
	const char *vips;		/* all the addresses, in order */
} goods[] = {
	{ "captured v2 PASS", cap_v2_pass, sizeof(cap_v2_pass), AF_INET, NULL, NULL,
	  "10.9.0.1", "224.0.0.18", 2, 51, 150, 1, 100, VRRP_AUTH_PASS, "secret", 0, 1, true,
	  "10.9.0.100" },
	{ "captured v2 PASS, long password", cap_v2_pass_long, sizeof(cap_v2_pass_long), AF_INET,
	  NULL, NULL, "10.9.0.1", "224.0.0.18", 2, 52, 150, 1, 100, VRRP_AUTH_PASS,
	  "verylongpassword", 0, 1, true, "10.9.0.101" },
	{ "captured v2 AH", cap_v2_ah, sizeof(cap_v2_ah), AF_INET, NULL, NULL,
	  "10.9.0.1", "224.0.0.18", 2, 51, 150, 1, 100, VRRP_AUTH_AH, "secret", 1, 1, true,
	  "10.9.0.100" },
	{ "captured v2 AH, priority 0", cap_v2_ah_prio0, sizeof(cap_v2_ah_prio0), AF_INET,
	  NULL, NULL, "10.9.0.1", "224.0.0.18", 2, 51, 0, 1, 100, VRRP_AUTH_AH, "secret", 5, 5,
	  true, "10.9.0.100" },
	{ "captured v2 AH, long password", cap_v2_ah_long, sizeof(cap_v2_ah_long), AF_INET,
	  NULL, NULL, "10.9.0.1", "224.0.0.18", 2, 51, 200, 1, 100, VRRP_AUTH_AH,
	  "verylongpassword", 1, 1, true, "10.9.0.100" },
	{ "captured v2, 25 VIPs", cap_v2_25vips, sizeof(cap_v2_25vips), AF_INET, NULL, NULL,
	  "10.9.0.1", "224.0.0.18", 2, 51, 150, 25, 100, VRRP_AUTH_NONE, NULL, 0, 1, true,
	  "10.9.1.1,10.9.1.2,10.9.1.3,10.9.1.4,10.9.1.5,10.9.1.6,10.9.1.7,10.9.1.8,10.9.1.9,"
	  "10.9.1.10,10.9.1.11,10.9.1.12,10.9.1.13,10.9.1.14,10.9.1.15,10.9.1.16,10.9.1.17,"
	  "10.9.1.18,10.9.1.19,10.9.1.20,10.9.1.21,10.9.1.22,10.9.1.23,10.9.1.24,10.9.1.25" },
	{ "captured v3 IPv4", cap_v3_ip4, sizeof(cap_v3_ip4), AF_INET, NULL, NULL,
	  "10.9.0.1", "224.0.0.18", 3, 51, 150, 2, 100, VRRP_AUTH_NONE, NULL, 0, 1, true,
	  "10.9.0.100,10.9.0.101" },
	{ "captured v3 IPv4 unicast", cap_v3_unicast, sizeof(cap_v3_unicast), AF_INET, NULL, NULL,
	  "10.9.0.1", "10.9.0.2", 3, 51, 150, 1, 100, VRRP_AUTH_NONE, NULL, 0, 1, true,
	  "10.9.0.100" },
	{ "captured v3 IPv6", cap_v3_ip6, sizeof(cap_v3_ip6), AF_INET6, CAP6_SRC, "ff02::12",
	  CAP6_SRC, "ff02::12", 3, 52, 200, 2, 50, VRRP_AUTH_NONE, NULL, 0, 0, true,
	  "fd00:9::100,fd00:9::101" },
	{ "hand-built v2 IPv4", hb_v2_none, sizeof(hb_v2_none), AF_INET, NULL, NULL,
	  "10.0.0.1", "224.0.0.18", 2, 1, 100, 1, 100, VRRP_AUTH_NONE, NULL, 0, 1, true,
	  "10.0.0.100" },
	{ "hand-built v3 IPv4 with an IP option", hb_v3_ipopt, sizeof(hb_v3_ipopt), AF_INET,
	  NULL, NULL, "192.168.1.2", "224.0.0.18", 3, 5, 10, 1, 200, VRRP_AUTH_NONE, NULL, 0,
	  0x1234, false, "192.168.1.1" },
	{ "hand-built v3 IPv6", hb_v3_ip6, sizeof(hb_v3_ip6), AF_INET6, "fe80::1", "ff02::12",
	  "fe80::1", "ff02::12", 3, 10, 255, 2, 100, VRRP_AUTH_NONE, NULL, 0, 0, true,
	  "fe80::100,2001:db8::100" },
};

static void check_good_fields(const struct good *g, const struct vrrp_advert *ad)
{
	struct inet_addr vips[MAX_VIPS], a, src = addr(g->src), dst = addr(g->dst);
	unsigned n = addr_list(g->vips, vips);
	char b1[INET6_ADDRSTRLEN], b2[INET6_ADDRSTRLEN];

	if (ad->version != g->version || ad->type != 1 || ad->vrid != g->vrid ||
	    ad->priority != g->priority || ad->n_addrs != g->n_addrs ||
	    ad->adver_int_cs != g->adver_int_cs || ad->family != g->family || ad->ttl != 255)
		fail_msg("%s: header fields v%u t%u vrid %u prio %u n %u int %u ttl %u", g->what,
			 ad->version, ad->type, ad->vrid, ad->priority, ad->n_addrs,
			 ad->adver_int_cs, ad->ttl);
	if (!inet_addr_eq(&ad->src, &src) || !inet_addr_eq(&ad->dst, &dst))
		fail_msg("%s: src %s dst %s", g->what, inet_addr_str(&ad->src, b1, sizeof(b1)),
			 inet_addr_str(&ad->dst, b2, sizeof(b2)));
	if (ad->auth_type != (g->version == 2 ? g->auth : VRRP_AUTH_NONE) ||
	    ad->has_ah != (g->auth == VRRP_AUTH_AH))
		fail_msg("%s: auth type %d has_ah %d", g->what, ad->auth_type, ad->has_ah);
	if (ad->has_ah && (ad->ah_seq != g->ah_seq || ad->ah_spi != ntohl(src.v4.s_addr)))
		fail_msg("%s: AH seq %u spi %08x", g->what, ad->ah_seq, ad->ah_spi);
	if ((g->version == 2) != (ad->auth_data != NULL))
		fail_msg("%s: auth_data", g->what);
	if (ad->pkt != g->pkt || ad->pkt_len != g->len || ad->vrrp + ad->vrrp_len != g->pkt + g->len ||
	    ad->addrs != ad->vrrp + 8 || ad->old_csum)
		fail_msg("%s: pointers into the buffer", g->what);
	assert_int_equal(n, ad->n_addrs);
	for (unsigned i = 0; i < n; i++) {
		vrrp_advert_addr(ad, i, &a);
		if (!inet_addr_eq(&a, &vips[i]))
			fail_msg("%s: address %u is %s", g->what, i, inet_addr_str(&a, b1, sizeof(b1)));
	}
}

static void test_good_decode_and_check(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(goods); i++) {
		const struct good *g = &goods[i];
		struct vrrp_pkt_rx rx = rx_for(g->family, g->src6, g->dst6);
		struct vrrp_advert ad;
		struct inet_addr vips[MAX_VIPS];
		struct vrrp_ah_seq seq = { g->ah_seq - 1 };
		struct vrrp_expect ex = { .version = g->version, .vrid = g->vrid,
					  .adver_int_cs = g->adver_int_cs, .ah_seq = &seq,
					  .vips = vips, .n_vips = addr_list(g->vips, vips) };
		struct inet_addr src = addr(g->src), dst = addr(g->dst), group;
		struct vc_peer peer;
		enum vrrp_drop why = vrrp_pkt_decode(g->pkt, g->len, &rx, &ad);

		if (why != VRRP_DROP_NONE)
			fail_msg("%s: decode: %s", g->what, vrrp_drop_str(why));
		check_good_fields(g, &ad);
		rx.version = g->version;	/* the version required, and it is this one */
		assert_int_equal(vrrp_pkt_decode(g->pkt, g->len, &rx, &ad), VRRP_DROP_NONE);

		ex.auth = auth_new(g->auth, g->pass);
		addressing(&ex, &src, &dst, &group, &peer);
		why = vrrp_pkt_check(&ad, &ex);
		if (why != VRRP_DROP_NONE)
			fail_msg("%s: check: %s", g->what, vrrp_drop_str(why));
		vrrp_auth_free(ex.auth);
	}
}

/* Our encoder, given what keepalived sent, writes the very same bytes (AH ICV included). */
static void test_good_reencode(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(goods); i++) {
		const struct good *g = &goods[i];
		struct inet_addr vips[MAX_VIPS];
		struct vrrp_ah_seq seq = { g->ah_seq ? g->ah_seq - 1 : 0 };
		struct vrrp_pkt_tx tx = { .version = g->version, .vrid = g->vrid,
					  .priority = g->priority, .adver_int_cs = g->adver_int_cs,
					  .src = addr(g->src), .dst = addr(g->dst), .addrs = vips,
					  .n_addrs = addr_list(g->vips, vips), .ah_seq = &seq,
					  .ip_id = g->ip_id };
		uint8_t *buf;
		int n;

		if (!g->reencode)
			continue;
		tx.auth = g->auth != VRRP_AUTH_NONE ? auth_new(g->auth, g->pass) : NULL;
		assert_int_equal(vrrp_pkt_len(&tx), g->len);
		buf = malloc(g->len);
		assert_non_null(buf);
		n = vrrp_pkt_encode(&tx, buf, g->len);
		if (n != (int)g->len)
			fail_msg("%s: encode returned %d", g->what, n);
		for (size_t b = 0; b < g->len; b++)
			if (buf[b] != g->pkt[b])
				fail_msg("%s: byte %zu is %02x, keepalived sent %02x", g->what, b,
					 buf[b], g->pkt[b]);
		if (g->auth == VRRP_AUTH_AH)
			assert_int_equal(seq.counter, g->ah_seq);
		free(buf);
		vrrp_auth_free(tx.auth);
	}
}

/* ---- decode drops: a good packet, patched ---- */

struct patch {
	uint16_t off;
	uint8_t val;
};
#define PATCH(...) .p = (const struct patch[]){ __VA_ARGS__ }, \
	.np = sizeof((const struct patch[]){ __VA_ARGS__ }) / sizeof(struct patch)
#define VECTOR(v) .pkt = v, .len = sizeof(v)

enum { FIX_CSUM = 1, KEEP_IPLEN = 2 };

static const struct mut {
	const char *what;
	const uint8_t *pkt;
	size_t len;
	sa_family_t family;		/* 0: AF_INET */
	const struct patch *p;
	unsigned np;
	int dlen;			/* cut (< 0) or append zeros (> 0) */
	unsigned flags;			/* IPv4 total length follows dlen unless KEEP_IPLEN */
	uint8_t version, hop_limit;
	enum vrrp_drop want;
} muts[] = {
	{ "19 bytes: no IPv4 header", VECTOR(hb_v2_none), .dlen = -21, .flags = KEEP_IPLEN,
	  .want = VRRP_DROP_SHORT_IP },
	{ "empty", VECTOR(hb_v2_none), .dlen = -40, .want = VRRP_DROP_SHORT_IP },
	{ "IP version 6", VECTOR(hb_v2_none), PATCH({ 0, 0x65 }), .want = VRRP_DROP_IP_HDR },
	{ "IHL 4", VECTOR(hb_v2_none), PATCH({ 0, 0x44 }), .want = VRRP_DROP_IP_HDR },
	{ "IHL 15, past the end", VECTOR(hb_v2_none), PATCH({ 0, 0x4f }), .want = VRRP_DROP_IP_HDR },
	{ "total length 41 for 40 bytes", VECTOR(hb_v2_none), PATCH({ 3, 41 }),
	  .want = VRRP_DROP_IP_LEN },
	{ "total length 39 for 40 bytes", VECTOR(hb_v2_none), PATCH({ 3, 39 }),
	  .want = VRRP_DROP_IP_LEN },
	{ "total length 296 for 40 bytes", VECTOR(hb_v2_none), PATCH({ 2, 1 }),
	  .want = VRRP_DROP_IP_LEN },
	{ "cut without fixing the total length", VECTOR(cap_v3_ip4), .dlen = -4, .flags = KEEP_IPLEN,
	  .want = VRRP_DROP_IP_LEN },
	{ "protocol 17", VECTOR(hb_v2_none), PATCH({ 9, 17 }), .want = VRRP_DROP_IP_PROTO },
	/* the TTL is the instance's to check (test_check_addressing) */
	{ "TTL 64: decoded", VECTOR(hb_v2_none), PATCH({ 8, 64 }), .want = VRRP_DROP_NONE },
	{ "TTL 0: decoded", VECTOR(cap_v2_pass), PATCH({ 8, 0 }), .want = VRRP_DROP_NONE },
	{ "AH, 30 bytes", VECTOR(cap_v2_ah), .dlen = -34, .want = VRRP_DROP_SHORT_AH },
	{ "AH, one byte short of its header", VECTOR(cap_v2_ah), .dlen = -21,
	  .want = VRRP_DROP_SHORT_AH },
	{ "AH next header 6", VECTOR(cap_v2_ah), PATCH({ 20, 6 }), .want = VRRP_DROP_AH_HDR },
	{ "AH payload length 5", VECTOR(cap_v2_ah), PATCH({ 21, 5 }), .want = VRRP_DROP_AH_HDR },
	{ "7 bytes of VRRP header", VECTOR(hb_v2_none), .dlen = -13, .want = VRRP_DROP_SHORT },
	{ "IPv4 header only", VECTOR(hb_v2_none), .dlen = -20, .want = VRRP_DROP_SHORT },
	{ "AH, then 7 bytes", VECTOR(cap_v2_ah), .dlen = -13, .want = VRRP_DROP_SHORT },
	{ "IPv6, 7 bytes", VECTOR(hb_v3_ip6), .family = AF_INET6, .dlen = -33,
	  .want = VRRP_DROP_SHORT },
	{ "IPv6, empty", VECTOR(hb_v3_ip6), .family = AF_INET6, .dlen = -40,
	  .want = VRRP_DROP_SHORT },
	{ "version 1", VECTOR(hb_v2_none), PATCH({ 20, 0x11 }), .flags = FIX_CSUM,
	  .want = VRRP_DROP_VERSION },
	{ "version 4", VECTOR(hb_v2_none), PATCH({ 20, 0x41 }), .flags = FIX_CSUM,
	  .want = VRRP_DROP_VERSION },
	{ "version 0", VECTOR(cap_v3_ip4), PATCH({ 20, 0x01 }), .flags = FIX_CSUM,
	  .want = VRRP_DROP_VERSION },
	{ "v3 inside AH", VECTOR(cap_v2_ah), PATCH({ 44, 0x31 }), .flags = FIX_CSUM,
	  .want = VRRP_DROP_VERSION },
	{ "v2 when v3 is required", VECTOR(cap_v2_pass), .version = 3, .want = VRRP_DROP_VERSION },
	{ "v3 when v2 is required", VECTOR(cap_v3_ip4), .version = 2, .want = VRRP_DROP_VERSION },
	{ "v2 over IPv6", hb_v2_none + 20, sizeof(hb_v2_none) - 20, AF_INET6,
	  .want = VRRP_DROP_VERSION },
	{ "type 2", VECTOR(hb_v2_none), PATCH({ 20, 0x22 }), .flags = FIX_CSUM,
	  .want = VRRP_DROP_TYPE },
	{ "type 0", VECTOR(cap_v3_ip6), .family = AF_INET6, PATCH({ 0, 0x30 }), .flags = FIX_CSUM,
	  .want = VRRP_DROP_TYPE },
	{ "v2 count 4, one address", VECTOR(hb_v2_none), PATCH({ 23, 4 }), .flags = FIX_CSUM,
	  .want = VRRP_DROP_SHORT_ADDRS },
	{ "v2 count 2, one address: auth data cut", VECTOR(hb_v2_none), PATCH({ 23, 2 }),
	  .flags = FIX_CSUM, .want = VRRP_DROP_SHORT_AUTH },
	{ "v2 auth data cut by 1", VECTOR(cap_v2_pass), .dlen = -1, .want = VRRP_DROP_SHORT_AUTH },
	{ "v2 no auth data", VECTOR(cap_v2_pass), .dlen = -8, .want = VRRP_DROP_SHORT_AUTH },
	{ "v2 count 0, one address", VECTOR(hb_v2_none), PATCH({ 23, 0 }), .flags = FIX_CSUM,
	  .want = VRRP_DROP_LENGTH },
	{ "v2, 4 trailing bytes", VECTOR(hb_v2_none), .dlen = 4, .flags = FIX_CSUM,
	  .want = VRRP_DROP_LENGTH },
	{ "v2 AH, 1 trailing byte", VECTOR(cap_v2_ah), .dlen = 1, .want = VRRP_DROP_LENGTH },
	{ "v3 IPv4 count 3, two addresses", VECTOR(cap_v3_ip4), PATCH({ 23, 3 }),
	  .flags = FIX_CSUM, .want = VRRP_DROP_SHORT_ADDRS },
	{ "v3 IPv4 count 1, two addresses", VECTOR(cap_v3_ip4), PATCH({ 23, 1 }),
	  .flags = FIX_CSUM, .want = VRRP_DROP_LENGTH },
	{ "v3 IPv6 count 3, two addresses", VECTOR(hb_v3_ip6), .family = AF_INET6,
	  PATCH({ 3, 3 }), .flags = FIX_CSUM, .want = VRRP_DROP_SHORT_ADDRS },
	{ "v3 IPv6 address cut by 1", VECTOR(cap_v3_ip6), .family = AF_INET6, .dlen = -1,
	  .want = VRRP_DROP_SHORT_ADDRS },
	{ "v3 IPv6, 16 trailing bytes", VECTOR(cap_v3_ip6), .family = AF_INET6, .dlen = 16,
	  .flags = FIX_CSUM, .want = VRRP_DROP_LENGTH },
	{ "IPv6 hop limit 1: decoded", VECTOR(hb_v3_ip6), .family = AF_INET6, .hop_limit = 1,
	  .want = VRRP_DROP_NONE },
	{ "v2 checksum zeroed", VECTOR(hb_v2_none), PATCH({ 26, 0 }, { 27, 0 }),
	  .want = VRRP_DROP_CHECKSUM },
	{ "v2 PASS, password byte changed", VECTOR(cap_v2_pass), PATCH({ 35, 'x' }),
	  .want = VRRP_DROP_CHECKSUM },
	{ "v2 priority changed", VECTOR(cap_v2_25vips), PATCH({ 22, 151 }),
	  .want = VRRP_DROP_CHECKSUM },
	{ "v3 IPv4 checksum off by one", VECTOR(cap_v3_ip4), PATCH({ 27, 0xef }),
	  .want = VRRP_DROP_CHECKSUM },
	{ "v3 IPv4 unicast to another destination", VECTOR(cap_v3_unicast), PATCH({ 19, 3 }),
	  .want = VRRP_DROP_CHECKSUM },
	{ "v3 IPv4 from another source", VECTOR(cap_v3_ip4), PATCH({ 15, 2 }),
	  .want = VRRP_DROP_CHECKSUM },
	{ "v3 IPv6 address changed", VECTOR(cap_v3_ip6), .family = AF_INET6, PATCH({ 23, 2 }),
	  .want = VRRP_DROP_CHECKSUM },
	{ "v3 IPv4 reserved bits set: ignored", VECTOR(cap_v3_ip4), PATCH({ 24, 0xf0 }),
	  .flags = FIX_CSUM, .want = VRRP_DROP_NONE },
	{ "v2 DF set and TOS 0: not checked", VECTOR(hb_v2_none), PATCH({ 1, 0 }, { 6, 0x40 }),
	  .want = VRRP_DROP_NONE },
};

static void test_decode_drops(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(muts); i++) {
		const struct mut *m = &muts[i];
		sa_family_t fam = m->family ? m->family : AF_INET;
		struct vrrp_pkt_rx rx = rx_for(fam, "fe80::1", "ff02::12");
		size_t len = (size_t)((ptrdiff_t)m->len + m->dlen);
		uint8_t *buf = calloc(1, len > m->len ? len : m->len);
		struct vrrp_advert ad;
		enum vrrp_drop got;

		assert_non_null(buf);
		if (m->pkt == cap_v3_ip6)
			rx.src = addr(CAP6_SRC).v6;
		memcpy(buf, m->pkt, len < m->len ? len : m->len);
		for (unsigned p = 0; p < m->np; p++)
			buf[m->p[p].off] = m->p[p].val;
		if (fam == AF_INET && len >= 4 && !(m->flags & KEEP_IPLEN) && m->dlen != 0) {
			buf[2] = (uint8_t)(len >> 8);
			buf[3] = (uint8_t)len;
		}
		if (m->flags & FIX_CSUM)
			fix_csum(buf, len, fam, &rx);
		rx.version = m->version;
		if (m->hop_limit)
			rx.hop_limit = m->hop_limit;
		{
			uint8_t *exact = dup_exact(buf, len);

			got = vrrp_pkt_decode(exact, len, &rx, &ad);
			free(exact);
		}
		if (got != m->want)
			fail_msg("%s: got %s, want %s", m->what, vrrp_drop_str(got),
				 vrrp_drop_str(m->want));
		free(buf);
	}
}

/* On a drop the fields read so far are there for the log line. */
static void test_decode_drop_fields(void **state)
{
	struct vrrp_pkt_rx rx = rx_for(AF_INET, NULL, NULL);
	struct vrrp_advert ad;
	uint8_t buf[sizeof(cap_v2_pass) + 4] = { 0 };

	(void)state;
	memcpy(buf, cap_v2_pass, sizeof(cap_v2_pass));
	buf[8] = 64;
	assert_int_equal(vrrp_pkt_decode(buf, sizeof(cap_v2_pass), &rx, &ad), VRRP_DROP_NONE);
	assert_int_equal(ad.ttl, 64);		/* for the instance's TTL check */
	buf[8] = 255;

	rx.version = 3;
	assert_int_equal(vrrp_pkt_decode(buf, sizeof(cap_v2_pass), &rx, &ad), VRRP_DROP_VERSION);
	assert_int_equal(ad.version, 2);	/* "wrong version. Received 2 and expect 3" */
	rx.version = 0;

	buf[3] = sizeof(buf);			/* 4 trailing bytes */
	assert_int_equal(vrrp_pkt_decode(buf, sizeof(buf), &rx, &ad), VRRP_DROP_LENGTH);
	assert_int_equal(ad.pkt_len, 44);	/* "vrrp packet too long, length 44 and expect 40" */
	assert_int_equal(ad.need_len, 40);

	buf[3] = 36;
	assert_int_equal(vrrp_pkt_decode(buf, 36, &rx, &ad), VRRP_DROP_SHORT_AUTH);
	assert_int_equal(ad.pkt_len, 36);	/* "vrrp packet too short, length 36 and expect 40" */
	assert_int_equal(ad.need_len, 40);
	assert_int_equal(ad.n_addrs, 1);
}

/* A drop carries the VRID whenever the bytes reach it (for the instance's name), else 0. */
static void test_decode_drop_vrid(void **state)
{
	struct vrrp_pkt_rx rx = rx_for(AF_INET, NULL, NULL);
	struct vrrp_advert ad;
	uint8_t buf[sizeof(cap_v2_ah)];

	(void)state;
	memcpy(buf, cap_v2_pass, sizeof(cap_v2_pass));
	buf[26] ^= 1;				/* checksum */
	assert_int_equal(vrrp_pkt_decode(buf, sizeof(cap_v2_pass), &rx, &ad), VRRP_DROP_CHECKSUM);
	assert_int_equal(ad.vrid, 51);
	buf[26] ^= 1;
	buf[3] += 1;				/* total length: before the VRRP header is read */
	assert_int_equal(vrrp_pkt_decode(buf, sizeof(cap_v2_pass), &rx, &ad), VRRP_DROP_IP_LEN);
	assert_int_equal(ad.vrid, 51);
	assert_int_equal(vrrp_pkt_decode(buf, 21, &rx, &ad), VRRP_DROP_IP_LEN);
	assert_int_equal(ad.vrid, 0);		/* one byte of VRRP: no VRID */
	assert_int_equal(vrrp_pkt_decode(buf, 19, &rx, &ad), VRRP_DROP_SHORT_IP);
	assert_int_equal(ad.vrid, 0);
	memcpy(buf, cap_v2_ah, sizeof(cap_v2_ah));
	buf[21] = 5;				/* AH payload length: VRID after the AH header */
	assert_int_equal(vrrp_pkt_decode(buf, sizeof(cap_v2_ah), &rx, &ad), VRRP_DROP_AH_HDR);
	assert_int_equal(ad.vrid, 51);
	/* longer than the socket's buffer: a LENGTH drop of no instance */
	rx.truncated = true;
	assert_int_equal(vrrp_pkt_decode(cap_v2_pass, sizeof(cap_v2_pass), &rx, &ad),
			 VRRP_DROP_LENGTH);
	assert_int_equal(ad.vrid, 0);
}

/* ---- per-instance checks ---- */

static const struct chk {
	const char *what;
	const uint8_t *pkt;
	size_t len;
	uint8_t version, vrid;
	uint16_t adver_int_cs;
	enum vrrp_auth_type auth;
	const char *pass;
	uint32_t counter;		/* AH: our sequence counter */
	const char *vips;		/* NULL: the advert's own */
	enum vrrp_drop want;
} chks[] = {
	{ "v2 PASS as expected", VECTOR(cap_v2_pass), 2, 51, 100, VRRP_AUTH_PASS, "secret", 0,
	  NULL, VRRP_DROP_NONE },
	{ "v3 instance, v2 advert", VECTOR(cap_v2_pass), 3, 51, 100, VRRP_AUTH_NONE, NULL, 0, NULL,
	  VRRP_DROP_VERSION },
	{ "v2 instance, v3 advert", VECTOR(cap_v3_ip4), 2, 51, 100, VRRP_AUTH_NONE, NULL, 0, NULL,
	  VRRP_DROP_VERSION },
	{ "VRID 52, advert 51", VECTOR(cap_v2_pass), 2, 52, 100, VRRP_AUTH_PASS, "secret", 0, NULL,
	  VRRP_DROP_VRID },
	{ "v3 VRID 51, advert 52", VECTOR(cap_v3_ip6), 3, 51, 50, VRRP_AUTH_NONE, NULL, 0, NULL,
	  VRRP_DROP_VRID },
	{ "no auth, PASS advert", VECTOR(cap_v2_pass), 2, 51, 100, VRRP_AUTH_NONE, NULL, 0, NULL,
	  VRRP_DROP_AUTH_TYPE },
	{ "PASS, no-auth advert", VECTOR(hb_v2_none), 2, 1, 100, VRRP_AUTH_PASS, "secret", 0, NULL,
	  VRRP_DROP_AUTH_TYPE },
	{ "PASS, AH advert", VECTOR(cap_v2_ah), 2, 51, 100, VRRP_AUTH_PASS, "secret", 0, NULL,
	  VRRP_DROP_AUTH_TYPE },
	{ "AH, PASS advert", VECTOR(cap_v2_pass), 2, 51, 100, VRRP_AUTH_AH, "secret", 0, NULL,
	  VRRP_DROP_AUTH_TYPE },
	{ "bad password", VECTOR(cap_v2_pass), 2, 51, 100, VRRP_AUTH_PASS, "secreT", 0, NULL,
	  VRRP_DROP_AUTH },
	{ "password, a prefix of it", VECTOR(cap_v2_pass), 2, 51, 100, VRRP_AUTH_PASS, "secre", 0,
	  NULL, VRRP_DROP_AUTH },
	{ "password longer than 8: the first 8 count", VECTOR(cap_v2_pass_long), 2, 52, 100,
	  VRRP_AUTH_PASS, "verylongXYZ", 0, NULL, VRRP_DROP_NONE },
	{ "password differs in its 8th byte", VECTOR(cap_v2_pass_long), 2, 52, 100,
	  VRRP_AUTH_PASS, "verylonG", 0, NULL, VRRP_DROP_AUTH },
	{ "AH, wrong key", VECTOR(cap_v2_ah), 2, 51, 100, VRRP_AUTH_AH, "secreT", 0, NULL,
	  VRRP_DROP_AUTH },
	{ "AH, key longer than 8: the first 8 count", VECTOR(cap_v2_ah_long), 2, 51, 100,
	  VRRP_AUTH_AH, "verylongZZZ", 0, NULL, VRRP_DROP_NONE },
	{ "AH, sequence 1 with ours 1", VECTOR(cap_v2_ah), 2, 51, 100, VRRP_AUTH_AH, "secret", 1,
	  NULL, VRRP_DROP_AH_SEQ },
	{ "AH, sequence 5 with ours 8 (a restarted peer)", VECTOR(cap_v2_ah_prio0), 2, 51, 100,
	  VRRP_AUTH_AH, "secret", 8, NULL, VRRP_DROP_AH_SEQ },
	{ "AH, sequence 5 with ours 4", VECTOR(cap_v2_ah_prio0), 2, 51, 100, VRRP_AUTH_AH, "secret",
	  4, NULL, VRRP_DROP_NONE },
	{ "AH, wrong key and stale sequence: the ICV first", VECTOR(cap_v2_ah), 2, 51, 100,
	  VRRP_AUTH_AH, "other", 9, NULL, VRRP_DROP_AUTH },
	{ "v2 interval 1 s, ours 2 s", VECTOR(cap_v2_pass), 2, 51, 200, VRRP_AUTH_PASS, "secret",
	  0, NULL, VRRP_DROP_ADVER_INT },
	{ "v3 interval 100 cs, ours 200: for the FSM", VECTOR(cap_v3_ip4), 3, 51, 200,
	  VRRP_AUTH_NONE, NULL, 0, NULL, VRRP_DROP_NONE },
	{ "v3 ignores our auth", VECTOR(cap_v3_ip4), 3, 51, 100, VRRP_AUTH_PASS, "secret", 0, NULL,
	  VRRP_DROP_NONE },
	{ "one VIP, we have two", VECTOR(cap_v2_pass), 2, 51, 100, VRRP_AUTH_PASS, "secret", 0,
	  "10.9.0.100,10.9.0.101", VRRP_DROP_NADDR },
	{ "two VIPs, we have one", VECTOR(cap_v3_ip4), 3, 51, 100, VRRP_AUTH_NONE, NULL, 0,
	  "10.9.0.100", VRRP_DROP_NADDR },
	{ "another VIP", VECTOR(cap_v2_pass), 2, 51, 100, VRRP_AUTH_PASS, "secret", 0,
	  "10.9.0.101", VRRP_DROP_ADDRS },
	{ "IPv6: one VIP differs", VECTOR(cap_v3_ip6), 3, 52, 50, VRRP_AUTH_NONE, NULL, 0,
	  "fd00:9::100,fd00:9::102", VRRP_DROP_ADDRS },
	{ "same VIPs, other order", VECTOR(cap_v3_ip4), 3, 51, 100, VRRP_AUTH_NONE, NULL, 0,
	  "10.9.0.101,10.9.0.100", VRRP_DROP_NONE },
	{ "our VIP of the other family", VECTOR(cap_v2_pass), 2, 51, 100, VRRP_AUTH_PASS, "secret",
	  0, "fd00:9::100", VRRP_DROP_ADDRS },
	{ "priority 0: for the FSM", VECTOR(cap_v2_ah_prio0), 2, 51, 100, VRRP_AUTH_AH, "secret", 0,
	  NULL, VRRP_DROP_NONE },
};

static void test_check(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(chks); i++) {
		const struct chk *c = &chks[i];
		bool v6 = c->pkt == cap_v3_ip6;
		struct vrrp_pkt_rx rx = rx_for(v6 ? AF_INET6 : AF_INET, CAP6_SRC, "ff02::12");
		struct inet_addr vips[MAX_VIPS];
		struct vrrp_ah_seq seq = { c->counter };
		struct vrrp_expect ex = { .version = c->version, .vrid = c->vrid,
					  .adver_int_cs = c->adver_int_cs, .ah_seq = &seq,
					  .vips = vips };
		struct vrrp_advert ad;
		enum vrrp_drop got;

		assert_int_equal(vrrp_pkt_decode(c->pkt, c->len, &rx, &ad), VRRP_DROP_NONE);
		if (c->vips != NULL) {
			ex.n_vips = addr_list(c->vips, vips);
		} else {
			ex.n_vips = ad.n_addrs;
			for (unsigned a = 0; a < ad.n_addrs; a++)
				vrrp_advert_addr(&ad, a, &vips[a]);
		}
		ex.auth = auth_new(c->auth, c->pass);
		got = vrrp_pkt_check(&ad, &ex);
		if (got != c->want)
			fail_msg("%s: got %s, want %s", c->what, vrrp_drop_str(got),
				 vrrp_drop_str(c->want));
		assert_int_equal(seq.counter, c->counter);	/* check changes nothing */
		vrrp_auth_free(ex.auth);
	}
}

/* AH: an SPI other than the source address, with a valid ICV over it. */
static void test_check_ah_spi(void **state)
{
	uint8_t buf[sizeof(cap_v2_ah)];
	struct vrrp_auth *a = auth_new(VRRP_AUTH_AH, "secret");
	struct vrrp_pkt_rx rx = rx_for(AF_INET, NULL, NULL);
	struct inet_addr vip = addr("10.9.0.100");
	struct vrrp_ah_seq seq = { 0 };
	struct vrrp_expect ex = { .version = 2, .vrid = 51, .adver_int_cs = 100, .auth = a,
				  .ah_seq = &seq, .vips = &vip, .n_vips = 1 };
	struct vrrp_advert ad;

	(void)state;
	memcpy(buf, cap_v2_ah, sizeof(buf));
	buf[27] = 2;				/* SPI 10.9.0.2, source 10.9.0.1 */
	assert_int_equal(vrrp_auth_ah_sign(a, buf, sizeof(buf)), 0);
	assert_int_equal(vrrp_pkt_decode(buf, sizeof(buf), &rx, &ad), VRRP_DROP_NONE);
	assert_int_equal(vrrp_pkt_check(&ad, &ex), VRRP_DROP_AH_SPI);
	/* and the ICV is checked first: "invalid IPSEC HMAC-MD5" wins over the SPI */
	buf[40] ^= 1;
	assert_int_equal(vrrp_pkt_decode(buf, sizeof(buf), &rx, &ad), VRRP_DROP_NONE);
	assert_int_equal(vrrp_pkt_check(&ad, &ex), VRRP_DROP_AUTH);
	vrrp_auth_free(a);
}

/* ---- per-instance addressing: destination, peer, TTL, before everything else ---- */

enum { MC = 0, UC = 1 };

static const struct addr_chk {
	const char *what;
	const uint8_t *pkt;
	size_t len;
	sa_family_t family;		/* 0: AF_INET */
	const struct patch *p;
	unsigned np;
	int mode;			/* MC: group (NULL: any) / UC: self and peers */
	const char *group, *self;
	const char *peer;		/* UC: the one peer */
	int min_ttl, max_ttl;		/* the peer's; -1: unset */
	uint8_t version;		/* the instance's; 0: the advert's */
	uint8_t hop_limit;		/* IPv6 */
	enum vrrp_drop want;
} addr_chks[] = {
	/* multicast: TTL 255, to the group */
	{ "multicast, TTL 255, our group", VECTOR(cap_v3_ip4), .group = "224.0.0.18",
	  .want = VRRP_DROP_NONE },
	{ "multicast, any group", VECTOR(cap_v3_ip4), .want = VRRP_DROP_NONE },
	{ "multicast, TTL 64", VECTOR(hb_v2_none), PATCH({ 8, 64 }), .group = "224.0.0.18",
	  .want = VRRP_DROP_TTL },
	{ "multicast, TTL 254", VECTOR(cap_v3_ip4), PATCH({ 8, 254 }), .want = VRRP_DROP_TTL },
	{ "multicast, TTL 0", VECTOR(cap_v2_pass), PATCH({ 8, 0 }), .want = VRRP_DROP_TTL },
	{ "IPv6 multicast, hop limit 254", VECTOR(cap_v3_ip6), AF_INET6, .group = "ff02::12",
	  .hop_limit = 254, .want = VRRP_DROP_TTL },
	{ "IPv6 multicast, hop limit 1", VECTOR(hb_v3_ip6), AF_INET6, .hop_limit = 1,
	  .want = VRRP_DROP_TTL },
	{ "IPv6 multicast, our group", VECTOR(cap_v3_ip6), AF_INET6, .group = "ff02::12",
	  .want = VRRP_DROP_NONE },
	{ "multicast instance, another group", VECTOR(cap_v3_ip4), .group = "224.0.0.19",
	  .want = VRRP_DROP_DST },
	{ "IPv6 multicast instance, another group", VECTOR(cap_v3_ip6), AF_INET6,
	  .group = "ff02::13", .want = VRRP_DROP_DST },
	{ "multicast instance, a unicast advert, TTL 255", VECTOR(cap_v3_unicast),
	  .group = "224.0.0.18", .want = VRRP_DROP_DST },
	{ "multicast instance, unicast and TTL 64: the destination first", VECTOR(cap_v3_unicast),
	  PATCH({ 8, 64 }), .want = VRRP_DROP_DST },
	{ "multicast, TTL 64 and wrong version: the TTL first", VECTOR(cap_v3_ip4),
	  PATCH({ 8, 64 }), .version = 2, .want = VRRP_DROP_TTL },
	/* unicast: to us, from a peer, TTL in the peer's range */
	{ "unicast, from the peer to us", VECTOR(cap_v3_unicast), .mode = UC, .self = "10.9.0.2",
	  .peer = "10.9.0.1", .min_ttl = -1, .max_ttl = -1, .want = VRRP_DROP_NONE },
	{ "unicast, TTL 64, range unset (0-255)", VECTOR(cap_v3_unicast), PATCH({ 8, 64 }),
	  .mode = UC, .self = "10.9.0.2", .peer = "10.9.0.1", .min_ttl = -1, .max_ttl = -1,
	  .want = VRRP_DROP_NONE },
	{ "unicast, TTL 64, below min_ttl 65", VECTOR(cap_v3_unicast), PATCH({ 8, 64 }),
	  .mode = UC, .self = "10.9.0.2", .peer = "10.9.0.1", .min_ttl = 65, .max_ttl = -1,
	  .want = VRRP_DROP_TTL },
	{ "unicast, TTL 255, above max_ttl 254", VECTOR(cap_v3_unicast), .mode = UC,
	  .self = "10.9.0.2", .peer = "10.9.0.1", .min_ttl = 1, .max_ttl = 254,
	  .want = VRRP_DROP_TTL },
	{ "unicast, TTL 100 within 100-100", VECTOR(cap_v3_unicast), PATCH({ 8, 100 }),
	  .mode = UC, .self = "10.9.0.2", .peer = "10.9.0.1", .min_ttl = 100, .max_ttl = 100,
	  .want = VRRP_DROP_NONE },
	{ "unicast, from a host that is not a peer", VECTOR(cap_v3_unicast), .mode = UC,
	  .self = "10.9.0.2", .peer = "10.9.0.3", .min_ttl = -1, .max_ttl = -1,
	  .want = VRRP_DROP_PEER },
	{ "unicast, not a peer and TTL 64: the peer first", VECTOR(cap_v3_unicast),
	  PATCH({ 8, 64 }), .mode = UC, .self = "10.9.0.2", .peer = "10.9.0.3", .min_ttl = 255,
	  .max_ttl = -1, .want = VRRP_DROP_PEER },
	{ "unicast, to another address of ours", VECTOR(cap_v3_unicast), .mode = UC,
	  .self = "10.9.0.9", .peer = "10.9.0.1", .min_ttl = -1, .max_ttl = -1,
	  .want = VRRP_DROP_DST },
	{ "unicast, we have no address yet", VECTOR(cap_v3_unicast), .mode = UC,
	  .peer = "10.9.0.1", .min_ttl = -1, .max_ttl = -1, .want = VRRP_DROP_DST },
	{ "unicast instance, a multicast advert from the peer", VECTOR(cap_v3_ip4), .mode = UC,
	  .self = "10.9.0.1", .peer = "10.9.0.1", .min_ttl = -1, .max_ttl = -1,
	  .want = VRRP_DROP_DST },
	{ "IPv6 unicast instance, a multicast advert", VECTOR(cap_v3_ip6), AF_INET6, .mode = UC,
	  .self = "fe80::9", .peer = CAP6_SRC, .min_ttl = -1, .max_ttl = -1,
	  .want = VRRP_DROP_DST },
};

static void test_check_addressing(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(addr_chks); i++) {
		const struct addr_chk *c = &addr_chks[i];
		sa_family_t fam = c->family ? c->family : AF_INET;
		struct vrrp_pkt_rx rx = rx_for(fam, CAP6_SRC, "ff02::12");
		struct inet_addr group, self, vips[MAX_VIPS];
		struct vc_peer peer = { .min_ttl = c->min_ttl, .max_ttl = c->max_ttl };
		struct vrrp_expect ex = { .vips = vips };
		struct vrrp_advert ad;
		uint8_t buf[256];
		enum vrrp_drop got;

		assert_true(c->len <= sizeof(buf));
		memcpy(buf, c->pkt, c->len);
		for (unsigned p = 0; p < c->np; p++)
			buf[c->p[p].off] = c->p[p].val;
		if (c->pkt == hb_v3_ip6)
			rx.src = addr("fe80::1").v6;
		if (c->hop_limit)
			rx.hop_limit = c->hop_limit;
		if ((got = vrrp_pkt_decode(buf, c->len, &rx, &ad)) != VRRP_DROP_NONE)
			fail_msg("%s: decode: %s", c->what, vrrp_drop_str(got));
		ex.version = c->version ? c->version : ad.version;
		ex.vrid = ad.vrid;
		ex.adver_int_cs = ad.adver_int_cs;
		ex.n_vips = ad.n_addrs;
		for (unsigned a = 0; a < ad.n_addrs; a++)
			vrrp_advert_addr(&ad, a, &vips[a]);
		if (c->group) {
			group = addr(c->group);
			ex.group = &group;
		}
		if (c->mode == UC) {
			if (c->self) {
				self = addr(c->self);
				ex.self = &self;
			}
			peer.addr = addr(c->peer);
			ex.peers = &peer;
			ex.n_peers = 1;
		}
		got = vrrp_pkt_check(&ad, &ex);
		if (got != c->want)
			fail_msg("%s: got %s, want %s", c->what, vrrp_drop_str(got),
				 vrrp_drop_str(c->want));
	}
}

/* ---- the log line of each drop: keepalived 2.2.7's text ---- */

static void test_drop_lines(void **state)
{
	struct vrrp_pkt_rx rx = rx_for(AF_INET, NULL, NULL);
	struct vrrp_auth *pass = auth_new(VRRP_AUTH_PASS, "secret");
	struct vrrp_auth *ah = auth_new(VRRP_AUTH_AH, "secret");
	struct inet_addr vips[2] = { addr("10.9.0.100"), addr("10.9.0.102") };
	struct inet_addr self = addr("10.9.0.2"), group = addr("224.0.0.18");
	struct vc_peer peer = { .addr = addr("10.9.0.1"), .min_ttl = 100, .max_ttl = -1 };
	struct vrrp_ah_seq seq = { 8 };
	struct vrrp_expect ex = { .version = 3, .vrid = 51, .adver_int_cs = 200, .group = &group,
				  .auth = pass, .ah_seq = &seq, .vips = vips, .n_vips = 1 };
	struct vrrp_advert ad;
	uint8_t buf[64];
	char line[256];

	(void)state;
#define LINE(why, want_ka, text) do { \
		bool ka = vrrp_drop_line(line, sizeof(line), "VI_1", why, &ad, &ex); \
		if (ka != (want_ka) || strcmp(line, text) != 0) \
			fail_msg("%s: \"%s\" (%s)", vrrp_drop_str(why), line, ka ? "keepalived's" : "ours"); \
	} while (0)

	memcpy(buf, cap_v3_unicast, sizeof(cap_v3_unicast));
	buf[8] = 64;
	assert_int_equal(vrrp_pkt_decode(buf, sizeof(cap_v3_unicast), &rx, &ad), VRRP_DROP_NONE);
	LINE(VRRP_DROP_DST, true, "(VI_1) Expected multicast packet but received unicast packet");
	LINE(VRRP_DROP_TTL, true, "(VI_1) invalid TTL/HL. Received 64 and expect 255");
	LINE(VRRP_DROP_VERSION, true, "(VI_1) wrong version. Received 3 and expect 3");
	LINE(VRRP_DROP_CHECKSUM, true, "(VI_1) Invalid VRRPv3 checksum");
	vips[0] = addr("10.9.0.101");		/* the advert has 10.9.0.100 */
	LINE(VRRP_DROP_ADDRS, true, "(VI_1) ip address associated with VRID 51 not present in "
	     "MASTER advert: 10.9.0.101");
	vips[0] = addr("10.9.0.100");
	ex.n_vips = 2;				/* and 10.9.0.102 */
	LINE(VRRP_DROP_NADDR, true, "(VI_1) ip address associated with VRID 51 not present in "
	     "MASTER advert: 10.9.0.102");
	vips[1] = vips[0];
	LINE(VRRP_DROP_NADDR, true, "(VI_1) received an unexpected ip number count 1, expected 2!");
	ex.n_vips = 1;

	/* unicast: the peer's range, the source */
	ex.group = NULL;
	ex.self = &self;
	ex.peers = &peer;
	ex.n_peers = 1;
	LINE(VRRP_DROP_TTL, true, "(VI_1) TTL/HL 64 not in range 100 - 255");
	peer.addr = addr("10.9.0.3");
	LINE(VRRP_DROP_PEER, true, "(VI_1) unicast source address 10.9.0.1 not a unicast peer");
	self = addr("10.9.0.9");
	LINE(VRRP_DROP_DST, true, "(VI_1) Expected unicast packet to 10.9.0.9 but received one "
	     "to 10.9.0.2");

	/* a multicast advert to a unicast instance; another group */
	assert_int_equal(vrrp_pkt_decode(cap_v2_pass, sizeof(cap_v2_pass), &rx, &ad),
			 VRRP_DROP_NONE);
	LINE(VRRP_DROP_DST, true, "(VI_1) Expected unicast packet but received multicast packet");
	ex.n_peers = 0;
	group = addr("224.0.0.19");
	ex.group = &group;
	LINE(VRRP_DROP_DST, true, "(VI_1) Expected multicast packet to 224.0.0.19 but received "
	     "one to 224.0.0.18");

	/* v2: authentication and interval */
	ex.version = 2;
	ex.auth = NULL;
	LINE(VRRP_DROP_AUTH_TYPE, true, "(VI_1) received a 1 auth, expecting 0!");
	ex.auth = pass;
	LINE(VRRP_DROP_AUTH, true, "(VI_1) received an invalid passwd!");
	ex.auth = ah;
	LINE(VRRP_DROP_AUTH, true, "(VI_1) IPSEC-AH : invalid IPSEC HMAC-MD5 value. Due to fields "
	     "mutation or bad password !");
	LINE(VRRP_DROP_ADVER_INT, true, "(VI_1) advertisement interval mismatch mine=2 sec "
	     "rcv'd=1 sec");
	assert_int_equal(vrrp_pkt_decode(cap_v2_ah, sizeof(cap_v2_ah), &rx, &ad), VRRP_DROP_NONE);
	LINE(VRRP_DROP_AH_SEQ, true, "(VI_1) IPSEC-AH : sequence number 1 already processed. "
	     "Packet dropped. Local(8)");
	ad.src = addr("10.9.0.3");		/* SPI 10.9.0.1 */
	LINE(VRRP_DROP_AH_SPI, true, "IPSEC AH : invalid IPSEC SPI value. 50333962 and expect "
	     "16779530");

	/* decode's */
	memcpy(buf, cap_v2_pass, sizeof(cap_v2_pass));
	buf[3] = 36;
	assert_int_equal(vrrp_pkt_decode(buf, 36, &rx, &ad), VRRP_DROP_SHORT_AUTH);
	LINE(VRRP_DROP_SHORT_AUTH, true, "(VI_1) vrrp packet too short, length 36 and expect 40");
	buf[20] = 0x41;
	assert_int_equal(vrrp_pkt_decode(buf, 36, &rx, &ad), VRRP_DROP_VERSION);
	LINE(VRRP_DROP_VERSION, true, "(VI_1) wrong version. Received 4 and expect 2");
	buf[20] = 0x22;
	assert_int_equal(vrrp_pkt_decode(buf, 36, &rx, &ad), VRRP_DROP_TYPE);
	LINE(VRRP_DROP_TYPE, true, "(VI_1) Invalid packet type. 2 and expect 1");
	buf[9] = 17;
	assert_int_equal(vrrp_pkt_decode(buf, 36, &rx, &ad), VRRP_DROP_IP_PROTO);
	LINE(VRRP_DROP_IP_PROTO, false, "(VI_1) packet dropped: not VRRP or AH");
	LINE(VRRP_DROP_VRID, false, "(VI_1) advert from 10.9.0.1 dropped: wrong VRID");
#undef LINE
	vrrp_auth_free(pass);
	vrrp_auth_free(ah);
}

/* ---- round trips, and truncation at every length ---- */

static const char *const shortish[] = { "shorter than an IPv4 header", "bad IPv4 header",
	"IPv4 total length mismatch", "truncated AH header", "truncated VRRP header",
	"truncated address list", "truncated auth data" };

static bool is_shortish(enum vrrp_drop d)
{
	for (size_t i = 0; i < ARRAY_SIZE(shortish); i++)
		if (strcmp(vrrp_drop_str(d), shortish[i]) == 0)
			return true;
	return false;
}

/* The reason a prefix of cut bytes gives, once its IPv4 total length says cut. */
static enum vrrp_drop cut_reason(const uint8_t *pkt, sa_family_t fam, size_t cut)
{
	size_t ihl = fam == AF_INET ? (size_t)(pkt[0] & 0x0f) * 4 : 0;
	size_t vo = vrrp_off(pkt, fam), alen = fam == AF_INET ? 4 : 16;

	if (fam == AF_INET && cut < 20)
		return VRRP_DROP_SHORT_IP;
	if (cut < ihl)
		return VRRP_DROP_IP_HDR;
	if (cut < vo)
		return VRRP_DROP_SHORT_AH;
	if (cut < vo + 8)
		return VRRP_DROP_SHORT;
	if (cut < vo + 8 + pkt[vo + 3] * alen)
		return VRRP_DROP_SHORT_ADDRS;
	return VRRP_DROP_SHORT_AUTH;
}

static void check_truncations(const char *what, const uint8_t *pkt, size_t len,
			      const struct vrrp_pkt_rx *rx)
{
	struct vrrp_advert ad;

	for (size_t cut = 0; cut < len; cut++) {
		uint8_t *p = dup_exact(pkt, cut);
		enum vrrp_drop got = vrrp_pkt_decode(p, cut, rx, &ad), want;

		if (!is_shortish(got))
			fail_msg("%s cut to %zu: %s", what, cut, vrrp_drop_str(got));
		if (rx->family == AF_INET && cut >= 4) {
			p[2] = (uint8_t)(cut >> 8);
			p[3] = (uint8_t)cut;
		}
		got = vrrp_pkt_decode(p, cut, rx, &ad);
		want = cut_reason(pkt, rx->family, cut);
		if (got != want)
			fail_msg("%s cut to %zu, total length fixed: %s, want %s", what, cut,
				 vrrp_drop_str(got), vrrp_drop_str(want));
		free(p);
	}
}

static void test_truncation_captured(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(goods); i++) {
		const struct good *g = &goods[i];
		struct vrrp_pkt_rx rx = rx_for(g->family, g->src6, g->dst6);

		check_truncations(g->what, g->pkt, g->len, &rx);
	}
}

static const char *const v4_vips[] = { "10.1.2.3", "192.168.0.1", "10.0.0.255" };
static const char *const v6_vips[] = { "fe80::1:2", "2001:db8::1", "fd00::ffff" };

static void fill_vips(struct inet_addr *vips, sa_family_t fam, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		vips[i] = addr(fam == AF_INET ? v4_vips[i % 3] : v6_vips[i % 3]);
		if (fam == AF_INET)
			vips[i].v4.s_addr ^= htonl(i << 8);
		else
			vips[i].v6.s6_addr[13] ^= (uint8_t)i;
	}
}

static void roundtrip(uint8_t version, sa_family_t fam, enum vrrp_auth_type auth, unsigned n,
		      bool unicast)
{
	static const char *const src[] = { [AF_INET] = "10.0.0.1", [AF_INET6] = "fe80::1" };
	static const char *const mcast[] = { [AF_INET] = "224.0.0.18", [AF_INET6] = "ff02::12" };
	static const char *const peer[] = { [AF_INET] = "10.0.0.2", [AF_INET6] = "fe80::2" };
	struct inet_addr vips[MAX_VIPS];
	struct vrrp_auth *a = auth != VRRP_AUTH_NONE ? auth_new(auth, "pw") : NULL;
	struct vrrp_ah_seq tx_seq = { 41 }, rx_seq = { 40 };
	struct vrrp_pkt_tx tx = { .version = version, .vrid = 200, .priority = 254,
				  .adver_int_cs = version == 2 ? 300 : 4095,
				  .src = addr(src[fam]), .dst = addr(unicast ? peer[fam] : mcast[fam]),
				  .addrs = vips, .n_addrs = n, .auth = a, .ah_seq = &tx_seq,
				  .ip_id = 7 };
	struct vrrp_pkt_rx rx = { .family = fam, .src = tx.src.v6, .dst = tx.dst.v6,
				  .hop_limit = 255 };
	struct vrrp_expect ex = { .version = version, .vrid = 200, .adver_int_cs = tx.adver_int_cs,
				  .auth = a, .ah_seq = &rx_seq, .vips = vips, .n_vips = n };
	struct inet_addr group;
	struct vc_peer peer_conf;
	struct vrrp_advert ad;
	char what[96];
	uint8_t *buf;
	size_t len;
	int r;

	snprintf(what, sizeof(what), "v%u %s %s, %u VIPs%s", version,
		 fam == AF_INET ? "IPv4" : "IPv6", vrrp_auth_type_str(auth), n,
		 unicast ? ", unicast" : "");
	fill_vips(vips, fam, n);
	len = vrrp_pkt_len(&tx);
	buf = malloc(VRRP_PKT_MAX_LEN);
	assert_non_null(buf);
	r = vrrp_pkt_encode(&tx, buf, VRRP_PKT_MAX_LEN);
	if ((version == 2 && fam == AF_INET6) || (version == 3 && auth != VRRP_AUTH_NONE)) {
		if (r != -EINVAL || len != 0)
			fail_msg("%s: encode gave %d, length %zu: want -EINVAL", what, r, len);
		goto out;
	}
	if (r < 0 || (size_t)r != len || len > VRRP_PKT_MAX_LEN)
		fail_msg("%s: encode gave %d, length %zu", what, r, len);
	if (auth == VRRP_AUTH_AH)
		assert_int_equal(tx_seq.counter, 42);
	r = vrrp_pkt_decode(buf, len, &rx, &ad);
	if (r != VRRP_DROP_NONE)
		fail_msg("%s: decode: %s", what, vrrp_drop_str(r));
	if (ad.version != version || ad.vrid != 200 || ad.priority != 254 || ad.n_addrs != n ||
	    ad.adver_int_cs != tx.adver_int_cs || !inet_addr_eq(&ad.src, &tx.src) ||
	    !inet_addr_eq(&ad.dst, &tx.dst) || ad.ttl != 255 || ad.has_ah != (auth == VRRP_AUTH_AH) ||
	    (version == 2 && ad.auth_type != auth) || (ad.has_ah && ad.ah_seq != 42))
		fail_msg("%s: decoded fields differ", what);
	for (unsigned i = 0; i < n; i++) {
		struct inet_addr got;

		vrrp_advert_addr(&ad, i, &got);
		if (!inet_addr_eq(&got, &vips[i]))
			fail_msg("%s: address %u differs", what, i);
	}
	addressing(&ex, &tx.src, &tx.dst, &group, &peer_conf);
	r = vrrp_pkt_check(&ad, &ex);
	if (r != VRRP_DROP_NONE)
		fail_msg("%s: check: %s", what, vrrp_drop_str(r));
	check_truncations(what, buf, len, &rx);
out:
	free(buf);
	vrrp_auth_free(a);
}

static void test_roundtrip(void **state)
{
	static const unsigned counts[] = { 0, 1, 3, 255 };
	static const sa_family_t fams[] = { AF_INET, AF_INET6 };

	(void)state;
	for (uint8_t v = 2; v <= 3; v++)
		for (size_t f = 0; f < ARRAY_SIZE(fams); f++)
			for (int auth = VRRP_AUTH_NONE; auth < VRRP_AUTH__COUNT; auth++)
				for (size_t c = 0; c < ARRAY_SIZE(counts); c++)
					for (int uni = 0; uni <= 1; uni++)
						roundtrip(v, fams[f], (enum vrrp_auth_type)auth,
							  counts[c], uni);
}

/* ---- encode errors and sizes ---- */

static void test_encode_errors(void **state)
{
	struct inet_addr vips[2] = { addr("10.0.0.100"), addr("10.0.0.101") };
	struct inet_addr v6 = addr("fe80::1"), v6b = addr("ff02::12");
	struct vrrp_auth *ah = auth_new(VRRP_AUTH_AH, "k"), *pass = auth_new(VRRP_AUTH_PASS, "k");
	struct vrrp_ah_seq seq = { 0 };
	const struct vrrp_pkt_tx ok = { .version = 2, .vrid = 1, .priority = 100,
					.adver_int_cs = 100, .src = addr("10.0.0.1"),
					.dst = addr("224.0.0.18"), .addrs = vips, .n_addrs = 2 };
	struct vrrp_pkt_tx tx;
	uint8_t buf[VRRP_PKT_MAX_LEN];

	(void)state;
	assert_int_equal(vrrp_pkt_len(&ok), 20 + 8 + 8 + 8);
	assert_int_equal(vrrp_pkt_encode(&ok, buf, 44), 44);
	assert_int_equal(vrrp_pkt_encode(&ok, buf, 43), -ENOSPC);
	assert_int_equal(vrrp_pkt_encode(&ok, buf, 0), -ENOSPC);

#define BAD(what, ...) do { tx = ok; __VA_ARGS__; \
	if (vrrp_pkt_encode(&tx, buf, sizeof(buf)) != -EINVAL || vrrp_pkt_len(&tx) != 0) \
		fail_msg("%s: not -EINVAL", what); } while (0)
	BAD("version 1", tx.version = 1);
	BAD("version 4", tx.version = 4);
	BAD("VRID 0", tx.vrid = 0);
	BAD("v2 interval 150 cs", tx.adver_int_cs = 150);
	BAD("v2 interval 0", tx.adver_int_cs = 0);
	BAD("v2 interval 256 s", tx.adver_int_cs = 25600);
	BAD("v3 interval 0", tx.version = 3, tx.adver_int_cs = 0);
	BAD("v3 interval 4096 cs", tx.version = 3, tx.adver_int_cs = 4096);
	BAD("v2 over IPv6", tx.src = v6, tx.dst = v6b, tx.n_addrs = 0);
	BAD("mixed families", tx.dst = v6b);
	BAD("a VIP of the other family", tx.version = 3, tx.addrs = &v6, tx.n_addrs = 1);
	BAD("no family", tx.src.family = 0, tx.dst.family = 0);
	BAD("256 VIPs", tx.n_addrs = 256);
	BAD("VIPs NULL", tx.addrs = NULL);
	BAD("v3 with PASS", tx.version = 3, tx.auth = pass);
	BAD("v3 with AH", tx.version = 3, tx.auth = ah, tx.ah_seq = &seq);
	BAD("AH without a sequence", tx.auth = ah);
	BAD("v2 with an old checksum destination", tx.csum_dst = &ok.dst);
	BAD("v3 with an old checksum destination of another family", tx.version = 3,
	    tx.csum_dst = &v6b);
#undef BAD
	assert_int_equal(seq.counter, 0);	/* nothing consumed by a refused encode */

	tx = ok;
	tx.n_addrs = 0;				/* no VIPs: allowed (vrrp_strict forbids it) */
	tx.addrs = NULL;
	assert_int_equal(vrrp_pkt_encode(&tx, buf, sizeof(buf)), 36);
	tx.ttl = 64;				/* unicast_ttl */
	assert_int_equal(vrrp_pkt_encode(&tx, buf, sizeof(buf)), 36);
	assert_int_equal(buf[8], 64);
	tx.auth = ah;
	tx.ah_seq = &seq;
	assert_int_equal(vrrp_pkt_len(&tx), 20 + 24 + 8 + 8);
	assert_int_equal(buf[9], 112);
	assert_int_equal(vrrp_pkt_encode(&tx, buf, sizeof(buf)), 60);
	assert_int_equal(buf[9], 51);
	vrrp_auth_free(ah);
	vrrp_auth_free(pass);
}

static void test_max_len(void **state)
{
	struct inet_addr vips[MAX_VIPS];
	struct vrrp_auth *ah = auth_new(VRRP_AUTH_AH, "k");
	struct vrrp_ah_seq seq = { 0 };
	struct vrrp_pkt_tx tx = { .version = 3, .vrid = 1, .adver_int_cs = 100,
				  .src = addr("fe80::1"), .dst = addr("ff02::12"), .addrs = vips,
				  .n_addrs = MAX_VIPS };

	(void)state;
	fill_vips(vips, AF_INET6, MAX_VIPS);
	assert_int_equal(vrrp_pkt_len(&tx), VRRP_PKT_MAX_LEN);
	fill_vips(vips, AF_INET, MAX_VIPS);
	tx.version = 2;
	tx.src = addr("10.0.0.1");
	tx.dst = addr("224.0.0.18");
	tx.adver_int_cs = 25500;
	tx.auth = ah;
	tx.ah_seq = &seq;
	assert_true(vrrp_pkt_len(&tx) <= VRRP_PKT_MAX_LEN);
	assert_int_equal(vrrp_pkt_len(&tx), 20 + 24 + 8 + 255 * 4 + 8);
	vrrp_auth_free(ah);
}

/* The limits keepalived 2.2.7 printed for these MTUs ("max N addresses"). */
static void test_max_addrs(void **state)
{
	static const struct {
		const char *what;
		uint8_t version;
		sa_family_t fam;
		enum vrrp_auth_type auth;
		unsigned mtu, want;
	} rows[] = {
		{ "v3 IPv6, MTU 1500 (observed)", 3, AF_INET6, VRRP_AUTH_NONE, 1500, 89 },
		{ "v3 IPv6, MTU 1288 (observed)", 3, AF_INET6, VRRP_AUTH_NONE, 1288, 76 },
		{ "v2 IPv4, MTU 1000 (observed)", 2, AF_INET, VRRP_AUTH_NONE, 1000, 237 },
		{ "v2 IPv4 PASS, MTU 1000", 2, AF_INET, VRRP_AUTH_PASS, 1000, 237 },
		{ "v2 IPv4 AH, MTU 1000 (observed)", 2, AF_INET, VRRP_AUTH_AH, 1000, 231 },
		{ "v3 IPv4, MTU 1000 (observed)", 3, AF_INET, VRRP_AUTH_NONE, 1000, 239 },
		{ "v3 IPv4, MTU 1500: the count field (observed)", 3, AF_INET, VRRP_AUTH_NONE, 1500,
		  255 },
		{ "v2 IPv4, MTU 1500 (observed)", 2, AF_INET, VRRP_AUTH_NONE, 1500, 255 },
		{ "v2 IPv6", 2, AF_INET6, VRRP_AUTH_NONE, 1500, 0 },
		{ "version 4", 4, AF_INET, VRRP_AUTH_NONE, 1500, 0 },
		{ "MTU 60, IPv4", 2, AF_INET, VRRP_AUTH_NONE, 60, 2 },
		{ "MTU 20", 3, AF_INET, VRRP_AUTH_NONE, 20, 0 },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
		unsigned got = vrrp_pkt_max_addrs(rows[i].version, rows[i].fam, rows[i].auth,
						  rows[i].mtu);

		if (got != rows[i].want)
			fail_msg("%s: got %u, want %u", rows[i].what, got, rows[i].want);
	}
}

/* ---- v3 unicast: keepalived's old checksum (multicast group in the pseudo-header) ---- */

static void test_old_checksum(void **state)
{
	struct inet_addr vip = addr("10.9.0.100"), group = addr("224.0.0.18");
	struct vrrp_pkt_tx tx = { .version = 3, .vrid = 51, .priority = 150, .adver_int_cs = 100,
				  .src = addr("10.9.0.1"), .dst = addr("10.9.0.2"), .addrs = &vip,
				  .n_addrs = 1, .csum_dst = &group, .ip_id = 1 };
	struct vrrp_pkt_rx rx = { .family = AF_INET };
	struct inet_addr g6 = addr("ff02::12");
	struct vrrp_advert ad;
	uint8_t old[64];
	int n;

	(void)state;
	n = vrrp_pkt_encode(&tx, old, sizeof(old));
	assert_int_equal(n, sizeof(cap_v3_unicast));
	assert_memory_not_equal(old, cap_v3_unicast, (size_t)n);	/* only the checksum differs */
	assert_memory_equal(old, cap_v3_unicast, 26);
	assert_memory_equal(old + 28, cap_v3_unicast + 28, 4);

	/* RFC only: old refused */
	assert_int_equal(vrrp_pkt_decode(old, (size_t)n, &rx, &ad), VRRP_DROP_CHECKSUM);
	/* auto-detect: RFC accepted as such, old accepted and flagged */
	rx.old_csum_dst = &group;
	assert_int_equal(vrrp_pkt_decode(cap_v3_unicast, sizeof(cap_v3_unicast), &rx, &ad),
			 VRRP_DROP_NONE);
	assert_false(ad.old_csum);
	assert_int_equal(vrrp_pkt_decode(old, (size_t)n, &rx, &ad), VRRP_DROP_NONE);
	assert_true(ad.old_csum);
	/* switched to old: the RFC checksum is now refused, as keepalived does */
	rx.old_csum_only = true;
	assert_int_equal(vrrp_pkt_decode(old, (size_t)n, &rx, &ad), VRRP_DROP_NONE);
	assert_true(ad.old_csum);
	assert_int_equal(vrrp_pkt_decode(cap_v3_unicast, sizeof(cap_v3_unicast), &rx, &ad),
			 VRRP_DROP_CHECKSUM);
	/* a group of the other family is no help */
	rx.old_csum_dst = &g6;
	assert_int_equal(vrrp_pkt_decode(old, (size_t)n, &rx, &ad), VRRP_DROP_CHECKSUM);
	/* v2 has no pseudo-header: the option changes nothing */
	rx.old_csum_dst = &group;
	assert_int_equal(vrrp_pkt_decode(cap_v2_pass, sizeof(cap_v2_pass), &rx, &ad),
			 VRRP_DROP_NONE);
	assert_false(ad.old_csum);
}

/* ---- names, addresses ---- */

static void test_drop_str(void **state)
{
	(void)state;
	for (int i = 0; i < VRRP_DROP__COUNT; i++) {
		const char *s = vrrp_drop_str((enum vrrp_drop)i);

		assert_non_null(s);
		assert_string_not_equal(s, "unknown");
		for (int j = 0; j < i; j++)
			assert_string_not_equal(s, vrrp_drop_str((enum vrrp_drop)j));
	}
	assert_string_equal(vrrp_drop_str(VRRP_DROP__COUNT), "unknown");
	assert_string_equal(vrrp_drop_str((enum vrrp_drop)-1), "unknown");
	assert_string_equal(vrrp_drop_str(VRRP_DROP_CHECKSUM), "bad checksum");
}

static void test_missing(void **state)
{
	struct vrrp_pkt_rx rx = rx_for(AF_INET, NULL, NULL);
	struct inet_addr vips[3] = { addr("10.9.0.101"), addr("10.9.0.100"), addr("10.9.0.102") };
	struct vrrp_advert ad;

	(void)state;
	assert_int_equal(vrrp_pkt_decode(cap_v3_ip4, sizeof(cap_v3_ip4), &rx, &ad), VRRP_DROP_NONE);
	assert_int_equal(vrrp_advert_missing(&ad, vips, 2), -1);
	assert_int_equal(vrrp_advert_missing(&ad, vips, 3), 2);
	assert_int_equal(vrrp_advert_missing(&ad, vips + 2, 1), 0);
	assert_int_equal(vrrp_advert_missing(&ad, vips, 0), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_decode_and_check),
		cmocka_unit_test(test_good_reencode),
		cmocka_unit_test(test_decode_drops),
		cmocka_unit_test(test_decode_drop_fields),
		cmocka_unit_test(test_decode_drop_vrid),
		cmocka_unit_test(test_check_addressing),
		cmocka_unit_test(test_drop_lines),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_check_ah_spi),
		cmocka_unit_test(test_truncation_captured),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_encode_errors),
		cmocka_unit_test(test_max_len),
		cmocka_unit_test(test_max_addrs),
		cmocka_unit_test(test_old_checksum),
		cmocka_unit_test(test_drop_str),
		cmocka_unit_test(test_missing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
