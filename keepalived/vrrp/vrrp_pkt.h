/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/vrrp/vrrp_pkt.h: VRRPv2/v3 advert encode/decode, IPv4 and IPv6 (pure: no I/O). */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#include "utils.h"		/* struct inet_addr */
#include "vrrp/vrrp_auth.h"

/*
 * What goes on the wire:
 *   IPv4: the whole datagram, sent with IP_HDRINCL and received as such from the raw socket:
 *         IPv4 header (20 bytes) [AH, 24 bytes, v2 only] VRRP packet.
 *         keepalived 2.2.7: TOS 0xc0, no DF, TTL 255, id a per-instance counter (1 first).
 *   IPv6: the VRRP packet only; the kernel adds the IPv6 header (keepalived: traffic class
 *         0xc0, hop limit 255, link-local source) and the edge passes the hop limit and
 *         addresses from recvmsg() ancillary data.
 *   VRRP packet: 8-byte header, n_addrs addresses (4 or 16 bytes each), v2: 8 auth bytes.
 * v2 (RFC 3768) is IPv4 only; v3 (RFC 5798) has no authentication.
 * Checksums: v2 over the VRRP packet; v3 over the IPv4/IPv6 pseudo-header + VRRP packet
 * (RFC 5798 §5.2.8), with the destination address of the IP header.
 * With AH an instance's raw socket is protocol 51 (keepalived: "proto(51)"), so it never
 * sees protocol 112 adverts and the other way round.
 */
#define VRRP_PROTO	     112	/* IPPROTO_VRRP */
#define VRRP_PROTO_AH	     51		/* IPPROTO_AH: the IPv4 protocol when AH is used */
#define VRRP_TTL	     255	/* TTL / hop limit sent, and required on multicast */
#define VRRP_TOS	     0xc0	/* IPv4 TOS / IPv6 traffic class keepalived sends */
#define VRRP_MAX_ADDRS	     255	/* the count field is 8 bits */
#define VRRP_IP4_HDR_LEN     20
#define VRRP_HDR_LEN	     8
#define VRRP_V3_MAX_ADVER_CS 4095	/* 12 bits of centiseconds */
#define VRRP_V2_MAX_ADVER_S  255
/* The largest packet encode writes or decode accepts: v3, IPv6, 255 addresses. */
#define VRRP_PKT_MAX_LEN     (VRRP_HDR_LEN + VRRP_MAX_ADDRS * 16)

/*
 * Why a packet was dropped. decode returns the generic ones, check the per-instance ones.
 * The edge (vrrp_rx.c) counts each once, for the instance and the socket, and logs
 * vrrp_drop_line() at a limited rate. Keep vrrp_pkt.c's drops[] in this order.
 */
enum vrrp_drop {
	VRRP_DROP_NONE,
	/* vrrp_pkt_decode() */
	VRRP_DROP_SHORT_IP,	/* shorter than an IPv4 header */
	VRRP_DROP_IP_HDR,	/* not IPv4, IHL < 5, or the header longer than the packet */
	VRRP_DROP_IP_LEN,	/* IPv4 total length differs from the bytes received */
	VRRP_DROP_IP_PROTO,	/* IPv4 protocol neither 112 (VRRP) nor 51 (AH) */
	VRRP_DROP_SHORT_AH,	/* protocol 51 but no room for the 24-byte AH header */
	VRRP_DROP_AH_HDR,	/* AH next header not 112, or payload length not 4 (HMAC-MD5-96) */
	VRRP_DROP_SHORT,	/* no room for the 8-byte VRRP header */
	VRRP_DROP_VERSION,	/* not 2 or 3, v2 over IPv6, AH with v3, or not rx->version */
	VRRP_DROP_TYPE,		/* not 1 (advertisement) */
	VRRP_DROP_SHORT_ADDRS,	/* the address list (count field) runs past the end */
	VRRP_DROP_SHORT_AUTH,	/* v2: no room for the 8 auth data bytes after the addresses */
	VRRP_DROP_LENGTH,	/* bytes left over after the packet the count field describes */
	VRRP_DROP_CHECKSUM,	/* v2: VRRP packet; v3: with the pseudo-header */
	/* vrrp_pkt_check() */
	VRRP_DROP_DST,		/* not to our multicast group, or (unicast) not to our address */
	VRRP_DROP_PEER,		/* unicast: the source is none of our unicast peers */
	VRRP_DROP_TTL,		/* TTL / hop limit not 255 (multicast), or outside the peer's range */
	VRRP_DROP_VRID,		/* not our virtual router (the edge demuxes on ad->vrid first) */
	VRRP_DROP_AUTH_TYPE,	/* v2: auth type field (or AH present/absent) differs from ours */
	VRRP_DROP_AUTH,		/* v2: PASS differs, or the AH ICV does not verify */
	VRRP_DROP_AH_SPI,	/* v2 AH: SPI is not the IPv4 source address */
	VRRP_DROP_AH_SEQ,	/* v2 AH: sequence number <= ours (anti-replay, see vrrp_ah_seq) */
	VRRP_DROP_ADVER_INT,	/* v2: advert interval differs from ours (RFC 3768 §7.1) */
	VRRP_DROP_NADDR,	/* address count differs from our number of VIPs */
	VRRP_DROP_ADDRS,	/* one of our VIPs is missing from the advert */
	VRRP_DROP__COUNT
};
/* A short lower-case phrase for logs and stats, e.g. "bad checksum"; never NULL. */
const char *vrrp_drop_str(enum vrrp_drop d);

/* ---- encode ---- */

/* What to send. Everything is borrowed for the call. */
struct vrrp_pkt_tx {
	uint8_t version;		/* 2 or 3 */
	uint8_t vrid;			/* 1..255 */
	uint8_t priority;		/* 0 (leaving) .. 255 */
	uint16_t adver_int_cs;		/* v3: 1..4095; v2: whole seconds, 100..25500 */
	/*
	 * src/dst decide the family. IPv4: they go into the IP header. IPv6: only into the
	 * pseudo-header of the checksum. dst is the multicast group or a unicast peer.
	 */
	struct inet_addr src, dst;
	/*
	 * v3 only: when non-NULL, the checksum uses this destination instead of dst
	 * (keepalived < 1.3.6 and `old_unicast_checksum` put the multicast group there
	 * even when sending unicast). NULL for the RFC checksum.
	 */
	const struct inet_addr *csum_dst;
	const struct inet_addr *addrs;	/* n_addrs VIPs, all of src's family */
	unsigned n_addrs;		/* 0..VRRP_MAX_ADDRS */
	/* v2 only: NULL or NONE for none; PASS; AH (IPv4 only) signs with it. */
	struct vrrp_auth *auth;
	struct vrrp_ah_seq *ah_seq;	/* AH: required; vrrp_ah_seq_next() is called once */
	/*
	 * IPv4 identification. keepalived: a per-instance counter, 1 in the first advert, +1
	 * per advert. Avoid 0: the kernel replaces an id of 0 (IP_HDRINCL), which breaks AH.
	 */
	uint16_t ip_id;
	uint8_t ttl;			/* IPv4 TTL; 0 means VRRP_TTL (IPv6: the socket's job) */
	/* v3 over IPv4: the checksum without the pseudo-header, as v2 (v3_checksum_as_v2) */
	bool csum_as_v2;
};

/*
 * The exact length encode will write for tx (0 when tx is invalid): the IPv4 datagram, or
 * the IPv6 payload. Size a buffer with VRRP_PKT_MAX_LEN, or with this at config time.
 */
size_t vrrp_pkt_len(const struct vrrp_pkt_tx *tx);

/*
 * Writes the packet into buf[size] and returns its length, or -EINVAL (a field out of
 * range, v2 over IPv6, auth with v3, AH over IPv6 or without ah_seq, mixed families),
 * -ENOSPC (size too small), or -EIO (OpenSSL failed to sign). Allocates nothing; safe in
 * a callback.
 */
int vrrp_pkt_encode(const struct vrrp_pkt_tx *tx, uint8_t *buf, size_t size);

/*
 * How many VIPs keepalived 2.2.7 puts in an advert on a link of this MTU: at most 255 and
 * at most (mtu - IP header - 24 - 8 for v2 - 24 for AH) / address size (1500, IPv6: 89).
 * The rest it keeps as excluded VIPs (set, not advertised) and logs at startup:
 * "(VI_1) Number of VIPs (300) exceeds maximum/space available in packet (max 255
 * addresses) - excess moved to eVIPs". 0 when the arguments make no sense.
 */
unsigned vrrp_pkt_max_addrs(uint8_t version, sa_family_t family, enum vrrp_auth_type auth,
			    unsigned mtu);

/* ---- decode ---- */

struct vrrp_advert;
/* Does a decoded v3 advert's checksum hold without the pseudo-header (v3_checksum_as_v2)? */
bool vrrp_pkt_csum_as_v2_ok(const struct vrrp_advert *ad);

/* What the edge knows about a received packet besides its bytes. */
struct vrrp_pkt_rx {
	sa_family_t family;		/* AF_INET: buf is the IP datagram; AF_INET6: payload */
	/* AF_INET6 only (IPv4 takes these from the IP header): */
	struct in6_addr src, dst;	/* recvmsg() name, IPV6_PKTINFO */
	uint8_t hop_limit;		/* IPV6_HOPLIMIT */
	bool truncated;			/* MSG_TRUNC: longer than the buffer (a LENGTH drop) */
	uint8_t version;		/* 2 or 3 to require one, 0 for either */
	/*
	 * v3 unicast: the multicast group, to recognise keepalived's old checksum, computed
	 * with it in place of the destination. NULL: RFC checksum only (`old_unicast_checksum
	 * never`). Otherwise the RFC checksum is tried first and an old one also accepted,
	 * with ad->old_csum set: keepalived then logs "(VI_1) Setting unicast VRRPv3 checksum
	 * to old version" and from then on sends and accepts only old ones: set old_csum_only.
	 */
	const struct inet_addr *old_csum_dst;
	bool old_csum_only;
};

/*
 * A decoded advert. Pointers point into the buffer given to decode: valid while it is.
 * On a drop the fields read before the failing check are set (the rest are zero), so
 * the edge can log them: version, type, ttl, src, dst, n_addrs, pkt_len and need_len;
 * and vrid whenever the bytes reach it (0 otherwise), so that the edge can report the
 * drop in the instance's name, as keepalived does.
 */
struct vrrp_advert {
	uint8_t version;		/* 2 or 3 */
	uint8_t type;			/* 1 */
	uint8_t vrid;
	uint8_t priority;
	uint8_t n_addrs;		/* the count field, = the number of addresses present */
	uint16_t adver_int_cs;		/* v3: as sent; v2: seconds * 100 */
	enum vrrp_auth_type auth_type;	/* v2: the field as sent (a number, maybe > 2); v3: NONE */
	sa_family_t family;
	struct inet_addr src, dst;	/* from the IPv4 header, or rx (IPv6) */
	uint8_t ttl;			/* TTL / hop limit */
	bool old_csum;			/* v3 checksum matched rx->old_csum_dst, not dst */
	const uint8_t *addrs;		/* n_addrs * 4 or 16 bytes, network order, unaligned */
	const uint8_t *auth_data;	/* v2: the 8 auth data bytes; v3: NULL */
	/* AH (IPv4 protocol 51) */
	bool has_ah;
	uint32_t ah_spi, ah_seq;	/* host order */
	/* The whole IPv4 datagram (AH verification), or the IPv6 payload. */
	const uint8_t *pkt;
	size_t pkt_len;
	/* The length the count field implies, in pkt_len's terms (SHORT_ADDRS/_AUTH, LENGTH). */
	size_t need_len;
	const uint8_t *vrrp;		/* the VRRP packet inside pkt */
	size_t vrrp_len;
};

/*
 * Generic checks only, in this order: truncated, IPv4 header (size, version, IHL, total
 * length, protocol), AH header layout, VRRP header size, version, type, count vs length,
 * checksum. Fills *out and returns VRRP_DROP_NONE, or returns the first reason a check
 * failed. The TTL and the addresses are the instance's to check (vrrp_pkt_check).
 * Reads nothing outside buf[0, len). Pure; safe in a callback.
 */
enum vrrp_drop vrrp_pkt_decode(const uint8_t *buf, size_t len, const struct vrrp_pkt_rx *rx,
			       struct vrrp_advert *out);

/* The i-th address of the advert (i < ad->n_addrs). */
void vrrp_advert_addr(const struct vrrp_advert *ad, unsigned i, struct inet_addr *out);

/* The index of the first of vips[n_vips] missing from the advert, or -1 when all are in. */
int vrrp_advert_missing(const struct vrrp_advert *ad, const struct inet_addr *vips,
			unsigned n_vips);

/* ---- per-instance checks ---- */

struct vc_peer;			/* vrrp_conf.h: a unicast_peer (address, min_ttl, max_ttl) */

/* What an instance expects of an advert. Borrowed for the call. */
struct vrrp_expect {
	uint8_t version;		/* 2 or 3 */
	uint8_t vrid;
	uint16_t adver_int_cs;		/* ours; compared for v2 only */
	/*
	 * Addressing. Multicast (n_peers 0): to *group (NULL: any multicast group), TTL /
	 * hop limit 255. Unicast: to *self (NULL: we have no address yet, nothing is
	 * accepted), from one of peers[], with a TTL in that peer's min_ttl..max_ttl
	 * (unset: keepalived's 0..255).
	 */
	const struct inet_addr *group;
	const struct inet_addr *self;
	const struct vc_peer *peers;
	unsigned n_peers;
	/* v2: NULL or NONE for no authentication. Its HMAC context is used (AH). */
	struct vrrp_auth *auth;
	const struct vrrp_ah_seq *ah_seq;	/* AH: required; not changed here */
	const struct inet_addr *vips;	/* our VIPs, as we advertise them (not the eVIPs) */
	unsigned n_vips;
	bool skip_addrs;		/* skip_check_adv_addr: no NADDR / ADDRS drops */
};

/*
 * Checks a decoded advert against one instance, in this order:
 *   1. destination: our group (multicast) or our address (unicast)	DST
 *   2. unicast: the source is one of our peers				PEER
 *   3. TTL / hop limit: 255 (multicast), the peer's range (unicast)	TTL
 *   4. version, VRID							VERSION, VRID
 *   5. v2: auth type, PASS / AH ICV, AH SPI, AH sequence, interval	AUTH_TYPE .. ADVER_INT
 *   6. address count, addresses (unless skip_addrs)			NADDR, ADDRS
 * Returns the first failure, or VRRP_DROP_NONE. 1-3 come first: an advert from off the
 * link or to the wrong address is dropped for that, whatever else it holds (keepalived
 * 2.2.7: the socket's bind and the TTL check; check_unicast_src for 2, which we always
 * do). keepalived 2.2.7 drops on 6, v2 and v3 alike. Priority 0, a higher or lower
 * priority, a v3 interval different from ours: not drops, they are for the FSM.
 * On acceptance with AH the caller records the sequence: vrrp_ah_seq_seen().
 * Pure except for the HMAC context in ex->auth; safe in a callback.
 */
enum vrrp_drop vrrp_pkt_check(const struct vrrp_advert *ad, const struct vrrp_expect *ex);

/* Whether keepalived 2.2.7 logs a line for this drop (vrrp_drop_line() returns it too). */
bool vrrp_drop_has_keepalived_line(enum vrrp_drop d);

/*
 * The line to log for a drop (decode's or check's), in the name of the instance `name`,
 * written to buf[size]: keepalived 2.2.7's where it logs one (returns true), else a short
 * line of ours, for -D only (returns false). ex: the instance's expectations, which the lines
 * quote ("wrong version. Received 2 and expect 3"). Pure.
 */
bool vrrp_drop_line(char *buf, size_t size, const char *name, enum vrrp_drop why,
		    const struct vrrp_advert *ad, const struct vrrp_expect *ex);
