// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/vrrp/vrrp_pkt.c: VRRPv2/v3 adverts: encode, decode, per-instance checks, drop lines. */
#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "vrrp/vrrp_conf.h"		/* struct vc_peer */
#include "vrrp/vrrp_pkt.h"

#define V2_AUTH_LEN	8
#define AH_NEXT_HDR	VRRP_PROTO
#define AH_PAYLOAD_LEN	4	/* RFC 2402 §2.2: 32-bit words of AH minus 2 (24 bytes) */
#define VRRP_TYPE_ADVERT 1

/* Each reason's phrase, and whether keepalived 2.2.7 logs a line of its own for it. */
static const struct {
	const char *name;
	bool keepalived_line;
} drops[VRRP_DROP__COUNT] = {
	[VRRP_DROP_NONE] = { "accepted", false },
	[VRRP_DROP_SHORT_IP] = { "shorter than an IPv4 header", false },
	[VRRP_DROP_IP_HDR] = { "bad IPv4 header", false },
	[VRRP_DROP_IP_LEN] = { "IPv4 total length mismatch", false },
	[VRRP_DROP_IP_PROTO] = { "not VRRP or AH", false },
	[VRRP_DROP_SHORT_AH] = { "truncated AH header", false },
	[VRRP_DROP_AH_HDR] = { "bad AH header", false },
	[VRRP_DROP_SHORT] = { "truncated VRRP header", true },
	[VRRP_DROP_VERSION] = { "wrong version", true },
	[VRRP_DROP_TYPE] = { "not an advertisement", true },
	[VRRP_DROP_SHORT_ADDRS] = { "truncated address list", true },
	[VRRP_DROP_SHORT_AUTH] = { "truncated auth data", true },
	[VRRP_DROP_LENGTH] = { "packet too long", true },
	[VRRP_DROP_CHECKSUM] = { "bad checksum", true },
	[VRRP_DROP_DST] = { "wrong destination", true },
	[VRRP_DROP_PEER] = { "not a unicast peer", true },
	[VRRP_DROP_TTL] = { "invalid TTL/hop limit", true },
	[VRRP_DROP_VRID] = { "wrong VRID", false },
	[VRRP_DROP_AUTH_TYPE] = { "auth type mismatch", true },
	[VRRP_DROP_AUTH] = { "authentication failed", true },
	[VRRP_DROP_AH_SPI] = { "bad AH SPI", true },
	[VRRP_DROP_AH_SEQ] = { "AH sequence number replayed", true },
	[VRRP_DROP_ADVER_INT] = { "advert interval mismatch", true },
	[VRRP_DROP_NADDR] = { "address count mismatch", true },
	[VRRP_DROP_ADDRS] = { "VIP missing from advert", true },
};

const char *vrrp_drop_str(enum vrrp_drop d)
{
	return (unsigned)d < VRRP_DROP__COUNT ? drops[d].name : "unknown";
}

bool vrrp_drop_has_keepalived_line(enum vrrp_drop d)
{
	return (unsigned)d < VRRP_DROP__COUNT && drops[d].keepalived_line;
}

/* ---- bounds-checked cursor ---- */

struct rd {
	const uint8_t *p;
	size_t len, off;
};

static size_t rd_left(const struct rd *r)
{
	return r->len - r->off;
}

/* Takes n bytes: *v points at them. False (and nothing taken) when fewer are left. */
static bool rd_take(struct rd *r, size_t n, const uint8_t **v)
{
	if (rd_left(r) < n)
		return false;
	*v = r->p + r->off;
	r->off += n;
	return true;
}

static bool rd_u8(struct rd *r, uint8_t *v)
{
	const uint8_t *b;

	if (!rd_take(r, 1, &b))
		return false;
	*v = b[0];
	return true;
}

static bool rd_u16(struct rd *r, uint16_t *v)
{
	const uint8_t *b;

	if (!rd_take(r, 2, &b))
		return false;
	*v = (uint16_t)(b[0] << 8 | b[1]);
	return true;
}

static bool rd_u32(struct rd *r, uint32_t *v)
{
	const uint8_t *b;

	if (!rd_take(r, 4, &b))
		return false;
	*v = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
	return true;
}

/* ---- writer: encode checks the size first, so these only assert ---- */

struct wr {
	uint8_t *p;
	size_t len, off;
};

static uint8_t *wr_put(struct wr *w, const void *data, size_t n)
{
	uint8_t *at = w->p + w->off;

	assert(w->len - w->off >= n);
	if (data != NULL)
		memcpy(at, data, n);
	else
		memset(at, 0, n);
	w->off += n;
	return at;
}

static void wr_u8(struct wr *w, uint8_t v)
{
	wr_put(w, &v, 1);
}

static void wr_u16(struct wr *w, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	wr_put(w, b, 2);
}

static void wr_u32(struct wr *w, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };

	wr_put(w, b, 4);
}

static void put16(uint8_t *at, uint16_t v)
{
	at[0] = (uint8_t)(v >> 8);
	at[1] = (uint8_t)v;
}

/* ---- Internet checksum (RFC 1071) ---- */

/* Adds data as big-endian 16-bit words; callers pass even lengths except for the last piece. */
static uint32_t csum_add(uint32_t sum, const uint8_t *data, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(data[i] << 8 | data[i + 1]);
	if (len & 1)
		sum += (uint32_t)data[len - 1] << 8;
	return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static size_t addr_len(sa_family_t family)
{
	return family == AF_INET ? 4 : 16;
}

static const void *addr_bytes(const struct inet_addr *a)
{
	return a->family == AF_INET ? (const void *)&a->v4 : (const void *)&a->v6;
}

/* The sum of the v3 pseudo-header (RFC 5798 §5.2.8: RFC 768 for IPv4, RFC 8200 §8.1 for IPv6). */
static uint32_t pseudo_sum(const struct inet_addr *src, const struct inet_addr *dst, size_t vrrp_len)
{
	size_t alen = addr_len(src->family);
	uint32_t sum = 0;

	sum = csum_add(sum, addr_bytes(src), alen);
	sum = csum_add(sum, addr_bytes(dst), alen);
	if (src->family == AF_INET)
		return sum + VRRP_PROTO + (uint32_t)vrrp_len;	/* zero, proto, 16-bit length */
	return sum + (uint32_t)(vrrp_len >> 16) + (uint32_t)(vrrp_len & 0xffff) + VRRP_PROTO;
}

/* ---- encode ---- */

static bool is_family(sa_family_t f)
{
	return f == AF_INET || f == AF_INET6;
}

static bool tx_valid(const struct vrrp_pkt_tx *tx)
{
	enum vrrp_auth_type auth = vrrp_auth_get_type(tx->auth);
	sa_family_t f = tx->src.family;

	if (!is_family(f) || tx->dst.family != f || tx->vrid == 0)
		return false;
	if (tx->n_addrs > VRRP_MAX_ADDRS || (tx->n_addrs > 0 && tx->addrs == NULL))
		return false;
	for (unsigned i = 0; i < tx->n_addrs; i++)
		if (tx->addrs[i].family != f)
			return false;
	switch (tx->version) {
	case 2:
		/* RFC 3768: IPv4 only, whole seconds */
		if (f != AF_INET || tx->csum_dst != NULL)
			return false;
		if (tx->adver_int_cs % 100 != 0 || tx->adver_int_cs == 0 ||
		    tx->adver_int_cs / 100 > VRRP_V2_MAX_ADVER_S)
			return false;
		return auth != VRRP_AUTH_AH || tx->ah_seq != NULL;
	case 3:
		if (tx->csum_dst != NULL && tx->csum_dst->family != f)
			return false;
		return auth == VRRP_AUTH_NONE && tx->adver_int_cs >= 1 &&
		       tx->adver_int_cs <= VRRP_V3_MAX_ADVER_CS;
	default:
		return false;
	}
}

static size_t vrrp_len_of(uint8_t version, sa_family_t f, unsigned n_addrs)
{
	return VRRP_HDR_LEN + n_addrs * addr_len(f) + (version == 2 ? V2_AUTH_LEN : 0);
}

size_t vrrp_pkt_len(const struct vrrp_pkt_tx *tx)
{
	size_t len;

	if (!tx_valid(tx))
		return 0;
	len = vrrp_len_of(tx->version, tx->src.family, tx->n_addrs);
	if (tx->src.family == AF_INET6)
		return len;
	return VRRP_IP4_HDR_LEN + (vrrp_auth_get_type(tx->auth) == VRRP_AUTH_AH ? VRRP_AH_LEN : 0) +
	       len;
}

static void put_ip4_hdr(struct wr *w, const struct vrrp_pkt_tx *tx, size_t total, bool ah)
{
	uint8_t *hdr = w->p + w->off;

	wr_u8(w, 0x45);				/* version 4, IHL 5 */
	wr_u8(w, VRRP_TOS);
	wr_u16(w, (uint16_t)total);
	wr_u16(w, tx->ip_id);
	wr_u16(w, 0);				/* no DF, as keepalived */
	wr_u8(w, tx->ttl ? tx->ttl : VRRP_TTL);
	wr_u8(w, ah ? VRRP_PROTO_AH : VRRP_PROTO);
	wr_u16(w, 0);				/* checksum, below */
	wr_put(w, &tx->src.v4, 4);
	wr_put(w, &tx->dst.v4, 4);
	put16(hdr + 10, csum_fold(csum_add(0, hdr, VRRP_IP4_HDR_LEN)));
}

int vrrp_pkt_encode(const struct vrrp_pkt_tx *tx, uint8_t *buf, size_t size)
{
	size_t total = vrrp_pkt_len(tx), vlen;
	enum vrrp_auth_type auth;
	struct wr w = { buf, size, 0 };
	uint8_t *vrrp;
	uint32_t sum;

	if (total == 0)
		return -EINVAL;
	if (size < total)
		return -ENOSPC;
	auth = vrrp_auth_get_type(tx->auth);
	vlen = vrrp_len_of(tx->version, tx->src.family, tx->n_addrs);

	if (tx->src.family == AF_INET) {
		put_ip4_hdr(&w, tx, total, auth == VRRP_AUTH_AH);
		if (auth == VRRP_AUTH_AH) {
			wr_u8(&w, AH_NEXT_HDR);
			wr_u8(&w, AH_PAYLOAD_LEN);
			wr_u16(&w, 0);			/* reserved */
			wr_put(&w, &tx->src.v4, 4);	/* SPI: keepalived uses the source address */
			wr_u32(&w, vrrp_ah_seq_next(tx->ah_seq));
			wr_put(&w, NULL, VRRP_AH_ICV_LEN);	/* signed below */
		}
	}

	vrrp = w.p + w.off;
	wr_u8(&w, (uint8_t)(tx->version << 4 | VRRP_TYPE_ADVERT));
	wr_u8(&w, tx->vrid);
	wr_u8(&w, tx->priority);
	wr_u8(&w, (uint8_t)tx->n_addrs);
	if (tx->version == 2) {
		wr_u8(&w, (uint8_t)auth);
		wr_u8(&w, (uint8_t)(tx->adver_int_cs / 100));
	} else {
		wr_u16(&w, tx->adver_int_cs);		/* 4 reserved bits, 12 bits of cs */
	}
	wr_u16(&w, 0);					/* checksum, below */
	for (unsigned i = 0; i < tx->n_addrs; i++)
		wr_put(&w, addr_bytes(&tx->addrs[i]), addr_len(tx->src.family));
	if (tx->version == 2)	/* PASS: the key; none and AH: zeros */
		wr_put(&w, auth == VRRP_AUTH_PASS ? vrrp_auth_key(tx->auth) : NULL, V2_AUTH_LEN);
	assert(w.off == total);

	sum = 0;
	if (tx->version == 3 && !(tx->csum_as_v2 && tx->src.family == AF_INET))
		sum = pseudo_sum(&tx->src, tx->csum_dst ? tx->csum_dst : &tx->dst, vlen);
	put16(vrrp + 6, csum_fold(csum_add(sum, vrrp, vlen)));

	/* last: the ICV covers the VRRP checksum */
	if (auth == VRRP_AUTH_AH && vrrp_auth_ah_sign(tx->auth, buf, total) < 0)
		return -EIO;
	return (int)total;
}

unsigned vrrp_pkt_max_addrs(uint8_t version, sa_family_t family, enum vrrp_auth_type auth,
			    unsigned mtu)
{
	/* keepalived's reserve, found black-box: IP header + 24, + 8 (v2), + 24 (AH) */
	unsigned over, n;

	if ((version != 2 && version != 3) || !is_family(family) || (version == 2 && family != AF_INET))
		return 0;
	over = (family == AF_INET ? 20 : 40) + 24;
	if (version == 2)
		over += V2_AUTH_LEN + (auth == VRRP_AUTH_AH ? VRRP_AH_LEN : 0);
	if (mtu <= over)
		return 0;
	n = (mtu - over) / (unsigned)addr_len(family);
	return n < VRRP_MAX_ADDRS ? n : VRRP_MAX_ADDRS;
}

/* ---- decode ---- */

/* IPv4 header and AH; leaves r at the VRRP packet. */
static enum vrrp_drop decode_ip4(struct rd *r, struct vrrp_advert *out)
{
	const uint8_t *src = NULL, *dst = NULL, *skip = NULL;
	uint8_t vihl = 0, tos = 0, proto = 0, nh = 0, plen = 0;
	uint16_t total = 0, id = 0, frag = 0, csum = 0, rsvd = 0;
	size_t ihl;

	/* TOS, id, fragment and checksum are not checked: the kernel did, keepalived does not */
	if (!(rd_u8(r, &vihl) && rd_u8(r, &tos) && rd_u16(r, &total) && rd_u16(r, &id) &&
	      rd_u16(r, &frag) && rd_u8(r, &out->ttl) && rd_u8(r, &proto) && rd_u16(r, &csum) &&
	      rd_take(r, 4, &src) && rd_take(r, 4, &dst)))
		return VRRP_DROP_SHORT_IP;
	out->src.family = out->dst.family = AF_INET;
	memcpy(&out->src.v4, src, 4);
	memcpy(&out->dst.v4, dst, 4);

	ihl = (size_t)(vihl & 0x0f) * 4;
	if (vihl >> 4 != 4 || ihl < VRRP_IP4_HDR_LEN || !rd_take(r, ihl - VRRP_IP4_HDR_LEN, &skip))
		return VRRP_DROP_IP_HDR;
	if (total != r->len)
		return VRRP_DROP_IP_LEN;
	if (proto != VRRP_PROTO && proto != VRRP_PROTO_AH)
		return VRRP_DROP_IP_PROTO;
	if (proto == VRRP_PROTO_AH) {
		out->has_ah = true;
		if (!(rd_u8(r, &nh) && rd_u8(r, &plen) && rd_u16(r, &rsvd) &&
		      rd_u32(r, &out->ah_spi) && rd_u32(r, &out->ah_seq) &&
		      rd_take(r, VRRP_AH_ICV_LEN, &skip)))
			return VRRP_DROP_SHORT_AH;
		if (nh != AH_NEXT_HDR || plen != AH_PAYLOAD_LEN)
			return VRRP_DROP_AH_HDR;
	}
	return VRRP_DROP_NONE;
}

static bool v3_csum_ok(const struct vrrp_advert *ad, const struct inet_addr *dst)
{
	return csum_fold(csum_add(pseudo_sum(&ad->src, dst, ad->vrrp_len), ad->vrrp, ad->vrrp_len)) == 0;
}

static enum vrrp_drop check_csum(const struct vrrp_pkt_rx *rx, struct vrrp_advert *ad)
{
	const struct inet_addr *old = rx->old_csum_dst;

	if (ad->version == 2)
		return csum_fold(csum_add(0, ad->vrrp, ad->vrrp_len)) == 0 ? VRRP_DROP_NONE
									    : VRRP_DROP_CHECKSUM;
	if (old != NULL && old->family != ad->family)
		old = NULL;
	if (!(rx->old_csum_only && old != NULL) && v3_csum_ok(ad, &ad->dst))
		return VRRP_DROP_NONE;
	if (old != NULL && v3_csum_ok(ad, old)) {
		ad->old_csum = true;
		return VRRP_DROP_NONE;
	}
	return VRRP_DROP_CHECKSUM;
}

static enum vrrp_drop decode(const uint8_t *buf, size_t len, const struct vrrp_pkt_rx *rx,
			     struct vrrp_advert *out)
{
	struct rd r = { buf, len, 0 };
	enum vrrp_drop why;
	size_t alen, head, need;
	uint8_t vt = 0, b4 = 0, b5 = 0;
	uint16_t csum = 0;

	if (rx->truncated)
		return VRRP_DROP_LENGTH;
	if (rx->family == AF_INET) {
		if ((why = decode_ip4(&r, out)) != VRRP_DROP_NONE)
			return why;
	} else if (rx->family == AF_INET6) {
		out->src.family = out->dst.family = AF_INET6;
		out->src.v6 = rx->src;
		out->dst.v6 = rx->dst;
		out->ttl = rx->hop_limit;
	} else {
		return VRRP_DROP_IP_HDR;
	}

	head = r.off;
	out->vrrp = buf + head;
	if (!(rd_u8(&r, &vt) && rd_u8(&r, &out->vrid) && rd_u8(&r, &out->priority) &&
	      rd_u8(&r, &out->n_addrs) && rd_u8(&r, &b4) && rd_u8(&r, &b5) && rd_u16(&r, &csum)))
		return VRRP_DROP_SHORT;
	out->version = vt >> 4;
	out->type = vt & 0x0f;
	if ((out->version != 2 && out->version != 3) ||
	    (out->version == 2 && rx->family != AF_INET) ||
	    (out->version == 3 && out->has_ah) ||
	    (rx->version != 0 && out->version != rx->version))
		return VRRP_DROP_VERSION;
	if (out->type != VRRP_TYPE_ADVERT)
		return VRRP_DROP_TYPE;
	if (out->version == 2) {
		out->auth_type = (enum vrrp_auth_type)b4;
		out->adver_int_cs = (uint16_t)(b5 * 100);
	} else {
		out->adver_int_cs = (uint16_t)((b4 & 0x0f) << 8 | b5);	/* 4 bits reserved */
	}

	alen = addr_len(rx->family);
	need = head + vrrp_len_of(out->version, rx->family, out->n_addrs);
	if (!rd_take(&r, out->n_addrs * alen, &out->addrs)) {
		out->need_len = need;
		return VRRP_DROP_SHORT_ADDRS;
	}
	if (out->version == 2 && !rd_take(&r, V2_AUTH_LEN, &out->auth_data)) {
		out->need_len = need;
		return VRRP_DROP_SHORT_AUTH;
	}
	if (rd_left(&r) != 0) {
		out->need_len = need;
		return VRRP_DROP_LENGTH;
	}
	out->vrrp_len = len - head;
	return check_csum(rx, out);
}

/* The VRID byte of a packet that failed decoding, if the bytes reach it; else 0 (none). */
static uint8_t peek_vrid(const uint8_t *buf, size_t len, sa_family_t family)
{
	size_t off = 0;

	if (family == AF_INET) {
		if (len < VRRP_IP4_HDR_LEN)
			return 0;
		off = (size_t)(buf[0] & 0x0f) * 4;
		if (buf[9] == VRRP_PROTO_AH)
			off += VRRP_AH_LEN;
	}
	return off + 1 < len ? buf[off + 1] : 0;
}

enum vrrp_drop vrrp_pkt_decode(const uint8_t *buf, size_t len, const struct vrrp_pkt_rx *rx,
			       struct vrrp_advert *out)
{
	enum vrrp_drop why;

	memset(out, 0, sizeof(*out));
	out->family = rx->family;
	out->pkt = buf;
	out->pkt_len = len;
	why = decode(buf, len, rx, out);
	if (why != VRRP_DROP_NONE && !rx->truncated && !out->vrid)
		out->vrid = peek_vrid(buf, len, rx->family);
	return why;
}

void vrrp_advert_addr(const struct vrrp_advert *ad, unsigned i, struct inet_addr *out)
{
	assert(i < ad->n_addrs);
	memset(out, 0, sizeof(*out));
	out->family = ad->family;
	if (ad->family == AF_INET)
		memcpy(&out->v4, ad->addrs + i * 4, 4);
	else
		memcpy(&out->v6, ad->addrs + i * 16, 16);
}

int vrrp_advert_missing(const struct vrrp_advert *ad, const struct inet_addr *vips,
			unsigned n_vips)
{
	size_t alen = addr_len(ad->family);

	for (unsigned v = 0; v < n_vips; v++) {
		bool found = false;

		for (unsigned i = 0; i < ad->n_addrs && !found; i++)
			found = vips[v].family == ad->family &&
				memcmp(ad->addrs + i * alen, addr_bytes(&vips[v]), alen) == 0;
		if (!found)
			return (int)v;
	}
	return -1;
}

/* ---- per-instance checks ---- */

static enum vrrp_drop check_auth(const struct vrrp_advert *ad, const struct vrrp_expect *ex)
{
	enum vrrp_auth_type ours = vrrp_auth_get_type(ex->auth);
	uint32_t src;

	if (ad->auth_type != ours || ad->has_ah != (ours == VRRP_AUTH_AH))
		return VRRP_DROP_AUTH_TYPE;
	switch (ours) {
	case VRRP_AUTH_PASS:
		return vrrp_auth_pass_ok(ex->auth, ad->auth_data) ? VRRP_DROP_NONE : VRRP_DROP_AUTH;
	case VRRP_AUTH_AH:
		/* keepalived's order: ICV, then SPI, then sequence */
		if (vrrp_auth_ah_verify(ex->auth, ad->pkt, ad->pkt_len) != 0)
			return VRRP_DROP_AUTH;
		memcpy(&src, &ad->src.v4, 4);
		if (ad->ah_spi != ntohl(src))
			return VRRP_DROP_AH_SPI;
		assert(ex->ah_seq != NULL);
		return vrrp_ah_seq_ok(ex->ah_seq, ad->ah_seq) ? VRRP_DROP_NONE : VRRP_DROP_AH_SEQ;
	default:
		return VRRP_DROP_NONE;
	}
}

static bool is_multicast(const struct inet_addr *a)
{
	return a->family == AF_INET ? IN_MULTICAST(ntohl(a->v4.s_addr)) : IN6_IS_ADDR_MULTICAST(&a->v6);
}

static bool is_unicast(const struct vrrp_expect *ex)
{
	return ex->n_peers > 0;
}

static enum vrrp_drop check_dst(const struct vrrp_advert *ad, const struct vrrp_expect *ex)
{
	if (is_multicast(&ad->dst) == is_unicast(ex))
		return VRRP_DROP_DST;
	if (is_unicast(ex))
		return ex->self && inet_addr_eq(&ad->dst, ex->self) ? VRRP_DROP_NONE : VRRP_DROP_DST;
	return !ex->group || inet_addr_eq(&ad->dst, ex->group) ? VRRP_DROP_NONE : VRRP_DROP_DST;
}

/* The unicast peer the advert comes from, or NULL. */
static const struct vc_peer *find_peer(const struct vrrp_advert *ad, const struct vrrp_expect *ex)
{
	for (unsigned i = 0; i < ex->n_peers; i++)
		if (inet_addr_eq(&ex->peers[i].addr, &ad->src))
			return &ex->peers[i];
	return NULL;
}

/* A peer's TTL range: min_ttl / max_ttl, unset ones at keepalived's 0 and 255. */
static void peer_ttl(const struct vc_peer *p, unsigned *lo, unsigned *hi)
{
	*lo = p->min_ttl >= 0 ? (unsigned)p->min_ttl : 0;
	*hi = p->max_ttl >= 0 ? (unsigned)p->max_ttl : VRRP_TTL;
}

static bool ttl_ok(const struct vrrp_advert *ad, const struct vc_peer *peer)
{
	unsigned lo = VRRP_TTL, hi = VRRP_TTL;

	if (peer)
		peer_ttl(peer, &lo, &hi);
	return ad->ttl >= lo && ad->ttl <= hi;
}

enum vrrp_drop vrrp_pkt_check(const struct vrrp_advert *ad, const struct vrrp_expect *ex)
{
	const struct vc_peer *peer = NULL;
	enum vrrp_drop why;

	if ((why = check_dst(ad, ex)) != VRRP_DROP_NONE)
		return why;
	if (is_unicast(ex) && !(peer = find_peer(ad, ex)))
		return VRRP_DROP_PEER;
	if (!ttl_ok(ad, peer))
		return VRRP_DROP_TTL;
	if (ad->version != ex->version)
		return VRRP_DROP_VERSION;
	if (ad->vrid != ex->vrid)
		return VRRP_DROP_VRID;
	if (ad->version == 2) {
		if ((why = check_auth(ad, ex)) != VRRP_DROP_NONE)
			return why;
		if (ad->adver_int_cs != ex->adver_int_cs)
			return VRRP_DROP_ADVER_INT;
	}
	if (ex->skip_addrs)
		return VRRP_DROP_NONE;
	if (ad->n_addrs != ex->n_vips)
		return VRRP_DROP_NADDR;
	if (vrrp_advert_missing(ad, ex->vips, ex->n_vips) >= 0)
		return VRRP_DROP_ADDRS;
	return VRRP_DROP_NONE;
}

/* ---- the log line of a drop ---- */

static const char *kind(bool multicast)
{
	return multicast ? "mult" : "un";
}

/* keepalived's line when multicast and unicast are mixed up; ours for a wrong address. */
static void dst_line(char *buf, size_t size, const char *name, const struct vrrp_advert *ad,
		     const struct vrrp_expect *ex)
{
	const struct inet_addr *want = is_unicast(ex) ? ex->self : ex->group;
	char b1[INET6_ADDRSTRLEN], b2[INET6_ADDRSTRLEN];

	if (is_multicast(&ad->dst) == is_unicast(ex) || !want)
		snprintf(buf, size, "(%s) Expected %sicast packet but received %sicast packet", name,
			 kind(!is_unicast(ex)), kind(is_multicast(&ad->dst)));
	else
		snprintf(buf, size, "(%s) Expected %sicast packet to %s but received one to %s", name,
			 kind(!is_unicast(ex)), inet_addr_str(want, b1, sizeof(b1)),
			 inet_addr_str(&ad->dst, b2, sizeof(b2)));
}

static void ttl_line(char *buf, size_t size, const char *name, const struct vrrp_advert *ad,
		     const struct vrrp_expect *ex)
{
	const struct vc_peer *peer = is_unicast(ex) ? find_peer(ad, ex) : NULL;
	unsigned lo, hi;

	if (!peer) {
		snprintf(buf, size, "(%s) invalid TTL/HL. Received %u and expect %u", name, ad->ttl,
			 VRRP_TTL);
		return;
	}
	peer_ttl(peer, &lo, &hi);
	snprintf(buf, size, "(%s) TTL/HL %u not in range %u - %u", name, ad->ttl, lo, hi);
}

/* NADDR and ADDRS: keepalived names the first of our VIPs missing, else the count. */
static void addrs_line(char *buf, size_t size, const char *name, const struct vrrp_advert *ad,
		       const struct vrrp_expect *ex)
{
	int missing = vrrp_advert_missing(ad, ex->vips, ex->n_vips);
	char b[INET6_ADDRSTRLEN];

	if (missing >= 0)
		snprintf(buf, size, "(%s) ip address associated with VRID %u not present in MASTER "
			 "advert: %s", name, ex->vrid, inet_addr_str(&ex->vips[missing], b, sizeof(b)));
	else
		snprintf(buf, size, "(%s) received an unexpected ip number count %u, expected %u!",
			 name, ad->n_addrs, ex->n_vips);
}

/* keepalived prints the source address and the SPI as the 4 bytes on the wire in a uint32. */
static void ah_spi_line(char *buf, size_t size, const struct vrrp_advert *ad)
{
	uint32_t src, spi = htonl(ad->ah_spi);

	memcpy(&src, &ad->src.v4, 4);
	snprintf(buf, size, "IPSEC AH : invalid IPSEC SPI value. %u and expect %u", src, spi);
}

bool vrrp_drop_line(char *buf, size_t size, const char *name, enum vrrp_drop why,
		    const struct vrrp_advert *ad, const struct vrrp_expect *ex)
{
	char b[INET6_ADDRSTRLEN];

	switch (why) {
	case VRRP_DROP_DST:
		dst_line(buf, size, name, ad, ex);
		break;
	case VRRP_DROP_PEER:
		snprintf(buf, size, "(%s) unicast source address %s not a unicast peer", name,
			 inet_addr_str(&ad->src, b, sizeof(b)));
		break;
	case VRRP_DROP_TTL:
		ttl_line(buf, size, name, ad, ex);
		break;
	case VRRP_DROP_VERSION:
		snprintf(buf, size, "(%s) wrong version. Received %u and expect %u", name, ad->version,
			 ex->version);
		break;
	case VRRP_DROP_TYPE:
		snprintf(buf, size, "(%s) Invalid packet type. %u and expect 1", name, ad->type);
		break;
	case VRRP_DROP_SHORT:
	case VRRP_DROP_SHORT_ADDRS:
	case VRRP_DROP_SHORT_AUTH:
	case VRRP_DROP_LENGTH:
		/* lengths: the whole IPv4 datagram, or the IPv6 payload */
		snprintf(buf, size, "(%s) vrrp packet too %s, length %zu and expect %zu", name,
			 why == VRRP_DROP_LENGTH ? "long" : "short", ad->pkt_len, ad->need_len);
		break;
	case VRRP_DROP_CHECKSUM:
		snprintf(buf, size, "(%s) Invalid VRRPv%u checksum", name,
			 ad->version ? ad->version : ex->version);
		break;
	case VRRP_DROP_AUTH_TYPE:
		snprintf(buf, size, "(%s) received a %u auth, expecting %u!", name, ad->auth_type,
			 vrrp_auth_get_type(ex->auth));
		break;
	case VRRP_DROP_AUTH:
		if (vrrp_auth_get_type(ex->auth) == VRRP_AUTH_AH)
			snprintf(buf, size, "(%s) IPSEC-AH : invalid IPSEC HMAC-MD5 value. Due to fields "
				 "mutation or bad password !", name);
		else
			snprintf(buf, size, "(%s) received an invalid passwd!", name);
		break;
	case VRRP_DROP_AH_SPI:
		ah_spi_line(buf, size, ad);	/* keepalived names no instance here */
		break;
	case VRRP_DROP_AH_SEQ:
		snprintf(buf, size, "(%s) IPSEC-AH : sequence number %u already processed. Packet "
			 "dropped. Local(%u)", name, ad->ah_seq, ex->ah_seq ? ex->ah_seq->counter : 0);
		break;
	case VRRP_DROP_ADVER_INT:
		snprintf(buf, size, "(%s) advertisement interval mismatch mine=%u sec rcv'd=%u sec",
			 name, ex->adver_int_cs / 100, ad->adver_int_cs / 100);
		break;
	case VRRP_DROP_NADDR:
	case VRRP_DROP_ADDRS:
		addrs_line(buf, size, name, ad, ex);
		break;
	default:
		/* keepalived logs nothing, or the kernel already drops such packets */
		if (why < VRRP_DROP_DST)
			snprintf(buf, size, "(%s) packet dropped: %s", name, vrrp_drop_str(why));
		else
			snprintf(buf, size, "(%s) advert from %s dropped: %s", name,
				 inet_addr_str(&ad->src, b, sizeof(b)), vrrp_drop_str(why));
		break;
	}
	return vrrp_drop_has_keepalived_line(why);
}

bool vrrp_pkt_csum_as_v2_ok(const struct vrrp_advert *ad)
{
	return ad->vrrp && csum_fold(csum_add(0, ad->vrrp, ad->vrrp_len)) == 0;
}
