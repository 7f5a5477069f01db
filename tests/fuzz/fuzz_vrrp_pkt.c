// SPDX-License-Identifier: GPL-2.0-or-later
/* tests/fuzz/fuzz_vrrp_pkt.c: libFuzzer target: VRRP advert decode, checks, re-encode. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "vrrp/vrrp_conf.h"
#include "vrrp/vrrp_pkt.h"

/*
 * Input: one byte of options, then the packet (IPv4 datagram or IPv6 payload).
 *   bit 0: IPv6 (the addresses are fixed: fe80::1 -> ff02::12, hop limit 255)
 *   bit 1: the instance is unicast (to the advert's destination, its source a peer with
 *          keepalived's TTL range 0..255) instead of multicast (224.0.0.18 / ff02::12)
 *   bit 2: accept keepalived's old v3 checksum; bit 3: only that one
 *   bits 4-5: require no version, v2, v3, v2
 *   bits 6-7: the instance's auth: none, PASS, AH, AH
 * What must hold: decode never reads outside the input (ASan), returns a named reason;
 * an accepted advert is consistent with its length and points into the input; the checks
 * run on it without trouble; and re-encoding its fields gives a packet that decodes to
 * the same fields; every drop has a log line.
 */

static void check(bool ok)
{
	if (!ok)
		abort();
}

static bool named(enum vrrp_drop d)
{
	return (unsigned)d < VRRP_DROP__COUNT && strcmp(vrrp_drop_str(d), "unknown") != 0;
}

/* A drop's log line: written whole, NUL-terminated, named after the instance (or AH's). */
static void line(enum vrrp_drop why, const struct vrrp_advert *ad, const struct vrrp_expect *ex)
{
	char buf[256];

	memset(buf, 'x', sizeof(buf));
	vrrp_drop_line(buf, sizeof(buf), "VI_1", why, ad, ex);
	check(memchr(buf, 0, sizeof(buf)) != NULL);
	check(strncmp(buf, "(VI_1) ", 7) == 0 || strncmp(buf, "IPSEC AH : ", 11) == 0);
}

static void reencode(const struct vrrp_advert *ad, struct vrrp_auth *auth)
{
	struct inet_addr vips[VRRP_MAX_ADDRS];
	uint8_t buf[VRRP_PKT_MAX_LEN];
	struct vrrp_ah_seq seq = { ad->ah_seq };
	struct vrrp_pkt_tx tx = { .version = ad->version, .vrid = ad->vrid,
				  .priority = ad->priority, .adver_int_cs = ad->adver_int_cs,
				  .src = ad->src, .dst = ad->dst, .addrs = vips,
				  .n_addrs = ad->n_addrs, .ah_seq = &seq, .ip_id = 1, .ttl = ad->ttl };
	struct vrrp_pkt_rx rx = { .family = ad->family, .src = ad->src.v6, .dst = ad->dst.v6,
				  .hop_limit = ad->ttl };
	struct vrrp_advert back;
	int n;

	if (ad->version == 2) {
		/* our auth object stands for the advert's: only when the types agree */
		if ((enum vrrp_auth_type)ad->auth_type != vrrp_auth_get_type(auth) ||
		    ad->has_ah != (ad->auth_type == VRRP_AUTH_AH))
			return;
		tx.auth = auth;
	}
	for (unsigned i = 0; i < ad->n_addrs; i++)
		vrrp_advert_addr(ad, i, &vips[i]);
	n = vrrp_pkt_encode(&tx, buf, sizeof(buf));
	if (n < 0) {
		/* only a zero VRID or interval is decodable but not encodable */
		check(ad->vrid == 0 || ad->adver_int_cs == 0);
		return;
	}
	check((size_t)n == vrrp_pkt_len(&tx));
	check(vrrp_pkt_decode(buf, (size_t)n, &rx, &back) == VRRP_DROP_NONE);
	check(back.version == ad->version && back.vrid == ad->vrid &&
	      back.priority == ad->priority && back.n_addrs == ad->n_addrs &&
	      back.adver_int_cs == ad->adver_int_cs && back.auth_type == ad->auth_type &&
	      back.has_ah == ad->has_ah && !back.old_csum &&
	      back.ttl == (ad->ttl || ad->family == AF_INET6 ? ad->ttl : VRRP_TTL) &&
	      inet_addr_eq(&back.src, &ad->src) && inet_addr_eq(&back.dst, &ad->dst));
	check(memcmp(back.addrs, ad->addrs, ad->n_addrs * (ad->family == AF_INET ? 4u : 16u)) == 0);
	if (ad->has_ah) {
		check(back.ah_seq == (ad->ah_seq == UINT32_MAX ? UINT32_MAX : ad->ah_seq + 1));
		check(vrrp_auth_ah_verify(auth, back.pkt, back.pkt_len) == 0);
	} else if (ad->version == 2 && ad->auth_type == VRRP_AUTH_PASS) {
		check(vrrp_auth_pass_ok(auth, back.auth_data));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t versions[] = { 0, 2, 3, 2 };
	static const enum vrrp_auth_type auths[] = { VRRP_AUTH_NONE, VRRP_AUTH_PASS, VRRP_AUTH_AH,
						     VRRP_AUTH_AH };
	static struct vrrp_auth *auth[VRRP_AUTH__COUNT];	/* made once: OpenSSL setup is slow */
	struct inet_addr group4, group6, vips[VRRP_MAX_ADDRS];
	struct vrrp_pkt_rx rx = { 0 };
	struct vrrp_advert ad;
	struct vrrp_ah_seq seq = { 0 };
	struct vrrp_expect ex0 = { .version = 3, .vips = vips, .ah_seq = &seq };
	struct vc_peer peer = { .min_ttl = -1, .max_ttl = -1 };
	bool unicast;
	enum vrrp_drop why;
	uint8_t opt;
	size_t alen;

	if (size == 0)
		return 0;
	if (auth[VRRP_AUTH_NONE] == NULL)
		for (int t = 0; t < VRRP_AUTH__COUNT; t++)
			check(vrrp_auth_new(&auth[t], (enum vrrp_auth_type)t, "secret", NULL) == 0);
	opt = data[0];
	data++;
	size--;

	inet_addr_parse("224.0.0.18", &group4);
	inet_addr_parse("ff02::12", &group6);
	rx.family = opt & 1 ? AF_INET6 : AF_INET;
	inet_pton(AF_INET6, "fe80::1", &rx.src);
	inet_pton(AF_INET6, "ff02::12", &rx.dst);
	rx.hop_limit = 255;
	unicast = opt & 2;
	if (opt & 4)
		rx.old_csum_dst = opt & 1 ? &group6 : &group4;
	rx.old_csum_only = opt & 8;
	rx.version = versions[(opt >> 4) & 3];

	why = vrrp_pkt_decode(data, size, &rx, &ad);
	check(named(why));
	if (why != VRRP_DROP_NONE) {
		check(why < VRRP_DROP_DST);
		check(ad.need_len == 0 || why == VRRP_DROP_SHORT_ADDRS ||
		      why == VRRP_DROP_SHORT_AUTH || why == VRRP_DROP_LENGTH);
		line(why, &ad, &ex0);
		return 0;
	}

	alen = ad.family == AF_INET ? 4 : 16;
	check(ad.family == rx.family && ad.type == 1);
	check(ad.version == 2 || ad.version == 3);
	check(rx.version == 0 || ad.version == rx.version);
	check(ad.pkt == data && ad.pkt_len == size);
	check(ad.vrrp >= data && ad.vrrp + ad.vrrp_len == data + size);
	check(ad.vrrp_len == 8 + ad.n_addrs * alen + (ad.version == 2 ? 8 : 0));
	check(ad.addrs == ad.vrrp + 8);
	check(ad.version == 2 ? ad.auth_data == ad.addrs + ad.n_addrs * alen : ad.auth_data == NULL);
	check(!ad.has_ah || (ad.family == AF_INET && ad.version == 2));
	check(!ad.old_csum || rx.old_csum_dst != NULL);
	check(ad.version == 2 ? ad.adver_int_cs % 100 == 0 : ad.adver_int_cs <= 4095);

	/* the instance: the advert's own VIPs, or all but the last */
	for (unsigned i = 0; i < ad.n_addrs; i++)
		vrrp_advert_addr(&ad, i, &vips[i]);
	check(vrrp_advert_missing(&ad, vips, ad.n_addrs) == -1);
	peer.addr = ad.src;
	for (unsigned drop_last = 0; drop_last <= 1; drop_last++) {
		struct vrrp_expect ex = { .version = ad.version, .vrid = ad.vrid,
					  .adver_int_cs = ad.adver_int_cs,
					  .group = ad.family == AF_INET ? &group4 : &group6,
					  .self = unicast ? &ad.dst : NULL,
					  .peers = unicast ? &peer : NULL, .n_peers = unicast,
					  .auth = auth[auths[opt >> 6]], .ah_seq = &seq, .vips = vips,
					  .n_vips = ad.n_addrs - (drop_last && ad.n_addrs) };

		why = vrrp_pkt_check(&ad, &ex);
		check(named(why));
		check(why == VRRP_DROP_NONE || why >= VRRP_DROP_DST);
		check(why != VRRP_DROP_PEER && why != VRRP_DROP_VRID);	/* from our peer, our VRID */
		check(why != VRRP_DROP_TTL || (!unicast && ad.ttl != 255));
		if (ad.version == 3 || vrrp_auth_get_type(ex.auth) == VRRP_AUTH_NONE)
			check(why == VRRP_DROP_NONE || why == VRRP_DROP_NADDR ||
			      why == VRRP_DROP_AUTH_TYPE || why == VRRP_DROP_DST ||
			      why == VRRP_DROP_TTL);
		if (why != VRRP_DROP_NONE)
			line(why, &ad, &ex);
	}
	reencode(&ad, auth[auths[opt >> 6]]);
	return 0;
}
