// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/vrrp/vrrp_conflict.c: conflicts and failover time, the pure part (see the header). */
#include "vrrp_conflict.h"

#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/if_packet.h>

static const char *const kind_str[VRRP_CONFLICT__COUNT] = {
	[VRRP_CONFLICT_NONE] = "none",
	[VRRP_CONFLICT_ADVERT] = "advert",
	[VRRP_CONFLICT_ARP_REPLY] = "ARP reply",
	[VRRP_CONFLICT_ARP_REQUEST] = "ARP request",
	[VRRP_CONFLICT_GARP] = "gratuitous ARP",
	[VRRP_CONFLICT_NA] = "neighbour advert",
};

const char *vrrp_conflict_kind_str(enum vrrp_conflict_kind k)
{
	return (unsigned)k < VRRP_CONFLICT__COUNT ? kind_str[k] : "?";
}

const char *vrrp_conflict_peer_str(const struct vrrp_conflict_peer *p, char *buf, size_t len)
{
	const uint8_t *m = p->mac;

	if (p->kind == VRRP_CONFLICT_ADVERT || !p->has_mac)
		return inet_addr_str(&p->addr, buf, len);
	snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
	return buf;
}

/* ---- episodes ---- */

static const struct ratelimit_conf log_limit = {
	.window_us = VRRP_CONFLICT_LOG_WINDOW_US, .burst = VRRP_CONFLICT_LOG_BURST,
};

bool vrrp_conflict_seen(struct vrrp_conflict_ep *ep, const struct vrrp_conflict_peer *p,
			uint64_t now_us)
{
	bool start = !ep->active;

	if (start) {
		ep->active = true;
		ep->logged = false;
		ep->start_us = now_us;
		ep->n_ep_packets = 0;
		ep->n_episodes++;
	}
	ep->last_us = now_us;
	ep->n_ep_packets++;
	ep->n_packets++;
	ep->last = *p;
	return start;
}

uint64_t vrrp_conflict_quiet_us(uint16_t adver_int_cs)
{
	uint64_t q = (uint64_t)VRRP_CONFLICT_QUIET_ADVERTS * adver_int_cs * 10000;

	return q < VRRP_CONFLICT_QUIET_MIN_US ? VRRP_CONFLICT_QUIET_MIN_US : q;
}

uint64_t vrrp_conflict_due_us(const struct vrrp_conflict_ep *ep, uint64_t quiet_us)
{
	return ep->last_us + quiet_us;
}

bool vrrp_conflict_check(struct vrrp_conflict_ep *ep, uint64_t now_us, uint64_t quiet_us)
{
	if (!ep->active || now_us < vrrp_conflict_due_us(ep, quiet_us))
		return false;
	ep->active = false;
	return true;
}

bool vrrp_conflict_stop(struct vrrp_conflict_ep *ep)
{
	bool was = ep->active;

	ep->active = false;
	return was;
}

bool vrrp_conflict_log_pass(struct vrrp_conflict_ep *ep, uint64_t now_us)
{
	uint32_t n_ended;

	/* an episode is one line: the count of those held back would say nothing more */
	return ratelimit_pass(&ep->rl, &log_limit, now_us, &n_ended);
}

/* ---- failover time ---- */

void vrrp_failover_advert(struct vrrp_failover_heard *h, uint64_t now_us,
			  const struct inet_addr *from)
{
	h->heard = true;
	h->us = now_us;
	h->from = *from;
}

void vrrp_failover_forget(struct vrrp_failover_heard *h)
{
	h->heard = false;
}

bool vrrp_failover_master(struct vrrp_failover_heard *h, struct vrrp_failover *f,
			  uint64_t now_us)
{
	if (!h->heard)
		return false;
	h->heard = false;
	f->has_last = true;
	f->last_us = now_us >= h->us ? now_us - h->us : 0;
	f->last_from = h->from;
	f->last_at_us = now_us;
	return true;
}

/* ---- frames ---- */

#define ETH_HLEN_	14
#define OFF_ETHERTYPE	12
#define OFF_ARP		ETH_HLEN_
#define OFF_ARP_PTYPE	(OFF_ARP + 2)
#define OFF_ARP_OP	(OFF_ARP + 6)
#define OFF_ARP_SHA	(OFF_ARP + 8)
#define OFF_ARP_SPA	(OFF_ARP + 14)
#define OFF_ARP_TPA	(OFF_ARP + 24)
#define ARP_FRAME_LEN	(OFF_ARP + 28)
#define OFF_IP6_NH	(ETH_HLEN_ + 6)
#define OFF_ICMP6	(ETH_HLEN_ + 40)
#define OFF_NA_TARGET	(OFF_ICMP6 + 8)
#define OFF_NA_OPTS	(OFF_NA_TARGET + 16)

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static enum vrrp_conflict_kind parse_arp(const uint8_t *b, size_t len,
					 struct vrrp_conflict_frame *o)
{
	uint16_t op;

	/* Ethernet hardware (1), IPv4 (0x0800), address lengths 6 and 4 */
	if (len < ARP_FRAME_LEN || rd16(b + OFF_ARP) != 1 || rd16(b + OFF_ARP_PTYPE) != 0x0800 ||
	    b[OFF_ARP + 4] != 6 || b[OFF_ARP + 5] != 4)
		return VRRP_CONFLICT_NONE;
	op = rd16(b + OFF_ARP_OP);
	o->addr.family = AF_INET;
	memcpy(&o->addr.v4, b + OFF_ARP_SPA, 4);
	memcpy(o->mac, b + OFF_ARP_SHA, 6);
	if (!memcmp(b + OFF_ARP_SPA, b + OFF_ARP_TPA, 4))
		return VRRP_CONFLICT_GARP;
	if (op == 2)
		return VRRP_CONFLICT_ARP_REPLY;
	return op == 1 ? VRRP_CONFLICT_ARP_REQUEST : VRRP_CONFLICT_NONE;
}

static enum vrrp_conflict_kind parse_na(const uint8_t *b, size_t len,
					struct vrrp_conflict_frame *o)
{
	/* no extension headers (RFC 4861 §7.1.2: a node sends none before an NA) */
	if (len < OFF_NA_OPTS || b[OFF_IP6_NH] != 58 || b[OFF_ICMP6] != 136 || b[OFF_ICMP6 + 1])
		return VRRP_CONFLICT_NONE;
	o->addr.family = AF_INET6;
	memcpy(&o->addr.v6, b + OFF_NA_TARGET, 16);
	memcpy(o->mac, o->eth_src, 6);
	/* options of 8-byte units: the target link-layer address (type 2) names the claimer */
	for (size_t off = OFF_NA_OPTS; off + 2 <= len && b[off + 1]; off += b[off + 1] * 8u) {
		if (b[off] == 2 && b[off + 1] == 1 && off + 8 <= len) {
			memcpy(o->mac, b + off + 2, 6);
			break;
		}
	}
	return VRRP_CONFLICT_NA;
}

enum vrrp_conflict_kind vrrp_conflict_parse(const uint8_t *buf, size_t len,
					    struct vrrp_conflict_frame *out)
{
	memset(out, 0, sizeof(*out));
	if (len < ETH_HLEN_)
		return VRRP_CONFLICT_NONE;
	memcpy(out->eth_src, buf + 6, 6);
	switch (rd16(buf + OFF_ETHERTYPE)) {
	case 0x0806: out->kind = parse_arp(buf, len, out); break;
	case 0x86dd: out->kind = parse_na(buf, len, out); break;
	default: break;
	}
	return out->kind;
}

/* ---- the socket filter ---- */

/*
 * Every jump is short (jt/jf are 8 bits): each address is tested next to its own
 * "accept", and the two sections are reached with ja (32-bit offsets). Layout:
 *	ldb pkttype; jeq OUTGOING -> ret 0
 *	ldh [12]; jeq 0x0806 -> ja arp; jeq 0x86dd -> ja ip6; ret 0
 *   arp: ldh [16]; jne 0x0800 -> ret 0; ld [28];  per VIP: jeq a -> ret SNAP;  ret 0
 *   ip6: ldb [20]; jne 58 -> ret 0; ldb [54]; jne 136 -> ret 0;
 *	per VIP: ld [62] .. ld [74], each jne -> next VIP, then ret SNAP;  ret 0
 * With n4 = n6 = 0 and *all: every ARP (IPv4) and NA passes.
 */
#define HEAD_LEN	9
#define ARP_HEAD_LEN	4
#define IP6_HEAD_LEN	6
#define PER_V4		2
#define PER_V6		9

static size_t len_of(size_t n4, size_t n6, bool all)
{
	if (all)	/* each section: "ret SNAP" in place of its addresses */
		return HEAD_LEN + ARP_HEAD_LEN + 2 + IP6_HEAD_LEN + 2;
	return HEAD_LEN + ARP_HEAD_LEN + PER_V4 * n4 + 1 + IP6_HEAD_LEN + PER_V6 * n6 + 1;
}

size_t vrrp_conflict_bpf_len(size_t n4, size_t n6)
{
	return len_of(n4, n6, false);
}

#define STMT(c, kk) ((struct sock_filter){ .code = (c), .k = (kk) })
#define JUMP(c, kk, t, f) ((struct sock_filter){ .code = (c), .jt = (t), .jf = (f), .k = (kk) })

size_t vrrp_conflict_bpf(const struct in_addr *v4, size_t n4, const struct in6_addr *v6,
			 size_t n6, struct sock_filter *out, size_t max, bool *all)
{
	struct sock_filter *p = out;
	size_t arp_at = HEAD_LEN, ip6_at;

	*all = len_of(n4, n6, false) > max;
	if (*all) {
		n4 = n6 = 0;
		if (len_of(0, 0, true) > max)
			return 0;
	}
	ip6_at = HEAD_LEN + ARP_HEAD_LEN + PER_V4 * n4 + 1 + (*all ? 1 : 0);
	*p++ = STMT(BPF_LD | BPF_B | BPF_ABS, SKF_AD_OFF + SKF_AD_PKTTYPE);
	*p++ = JUMP(BPF_JMP | BPF_JEQ | BPF_K, PACKET_OUTGOING, 0, 1);
	*p++ = STMT(BPF_RET | BPF_K, 0);
	*p++ = STMT(BPF_LD | BPF_H | BPF_ABS, OFF_ETHERTYPE);
	*p++ = JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x0806, 0, 1);
	*p++ = STMT(BPF_JMP | BPF_JA, (uint32_t)(arp_at - 6));	/* from the next insn (6) */
	*p++ = JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x86dd, 0, 1);
	*p++ = STMT(BPF_JMP | BPF_JA, (uint32_t)(ip6_at - 8));
	*p++ = STMT(BPF_RET | BPF_K, 0);
	/* arp: */
	*p++ = STMT(BPF_LD | BPF_H | BPF_ABS, OFF_ARP_PTYPE);
	*p++ = JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x0800, 1, 0);
	*p++ = STMT(BPF_RET | BPF_K, 0);
	*p++ = STMT(BPF_LD | BPF_W | BPF_ABS, OFF_ARP_SPA);
	for (size_t i = 0; i < n4; i++) {
		*p++ = JUMP(BPF_JMP | BPF_JEQ | BPF_K, ntohl(v4[i].s_addr), 0, 1);
		*p++ = STMT(BPF_RET | BPF_K, VRRP_CONFLICT_SNAP_LEN);
	}
	if (*all)
		*p++ = STMT(BPF_RET | BPF_K, VRRP_CONFLICT_SNAP_LEN);
	*p++ = STMT(BPF_RET | BPF_K, 0);
	/* ip6: */
	*p++ = STMT(BPF_LD | BPF_B | BPF_ABS, OFF_IP6_NH);
	*p++ = JUMP(BPF_JMP | BPF_JEQ | BPF_K, 58, 1, 0);
	*p++ = STMT(BPF_RET | BPF_K, 0);
	*p++ = STMT(BPF_LD | BPF_B | BPF_ABS, OFF_ICMP6);
	*p++ = JUMP(BPF_JMP | BPF_JEQ | BPF_K, 136, 1, 0);
	*p++ = STMT(BPF_RET | BPF_K, 0);
	for (size_t i = 0; i < n6; i++) {
		for (unsigned w = 0; w < 4; w++) {
			uint32_t word;

			memcpy(&word, v6[i].s6_addr + 4 * w, 4);
			*p++ = STMT(BPF_LD | BPF_W | BPF_ABS, OFF_NA_TARGET + 4 * w);
			/* not this word: on to the next address (past the rest of this one) */
			*p++ = JUMP(BPF_JMP | BPF_JEQ | BPF_K, ntohl(word), 0, (uint8_t)(7 - 2 * w));
		}
		*p++ = STMT(BPF_RET | BPF_K, VRRP_CONFLICT_SNAP_LEN);
	}
	if (*all)
		*p++ = STMT(BPF_RET | BPF_K, VRRP_CONFLICT_SNAP_LEN);
	*p++ = STMT(BPF_RET | BPF_K, 0);
	return (size_t)(p - out);
}
