// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/vrrp/vrrp_rx.c: adverts received: the instance's checks, keepalived's drop lines, the FSM. */
#include <string.h>

#include "log.h"
#include "vrrp_ctx.h"
#include "vrrp_sock.h"

static const char *addr_str(const struct inet_addr *a, char *buf)
{
	return inet_addr_str(a, buf, INET6_ADDRSTRLEN);
}

/* Signed comparison of two addresses of one family, as unsigned big-endian numbers. */
static int addr_cmp(const struct inet_addr *a, const struct inet_addr *b)
{
	return a->family == AF_INET ? memcmp(&a->v4, &b->v4, 4) : memcmp(&a->v6, &b->v6, 16);
}

static bool is_peer(const struct vrrp_inst *vi, const struct inet_addr *a)
{
	for (unsigned i = 0; i < vc_more(vi->conf)->n_peers; i++)
		if (inet_addr_eq(&vc_more(vi->conf)->peers[i].addr, a))
			return true;
	return false;
}

static void log_missing_vip(const struct vrrp_inst *vi, const struct vrrp_advert *ad)
{
	char b[INET6_ADDRSTRLEN];

	for (unsigned i = 0; i < vi->n_vip_addrs; i++) {
		bool found = false;

		for (unsigned k = 0; k < ad->n_addrs && !found; k++) {
			struct inet_addr a;

			vrrp_advert_addr(ad, k, &a);
			found = inet_addr_eq(&a, &vrrp_vip_addrs(vi)[i]);
		}
		if (!found) {
			log_info("(%s) ip address associated with VRID %u not present in MASTER advert: %s",
				 vi->name, vi->conf->vrid, addr_str(&vrrp_vip_addrs(vi)[i], b));
			return;
		}
	}
	if (ad->n_addrs != vi->n_vip_addrs)
		log_info("(%s) received an unexpected ip number count %u, expected %u!", vi->name,
			 ad->n_addrs, vi->n_vip_addrs);
}

/* keepalived's line for an advert an instance refuses. */
static void log_drop(const struct vrrp_inst *vi, const struct vrrp_advert *ad, enum vrrp_drop why)
{
	switch (why) {
	case VRRP_DROP_AUTH_TYPE:
		log_info("(%s) received a %u auth, expecting %u!", vi->name, ad->auth_type,
			 vrrp_auth_get_type(vi->auth));
		break;
	case VRRP_DROP_AUTH:
		if (vrrp_auth_get_type(vi->auth) == VRRP_AUTH_AH)
			log_info("(%s) IPSEC-AH : invalid IPSEC HMAC-MD5 value. Due to fields mutation or bad password !",
				 vi->name);
		else
			log_info("(%s) received an invalid passwd!", vi->name);
		break;
	case VRRP_DROP_AH_SEQ:
		log_info("(%s) IPSEC-AH : sequence number %u already processed. Packet dropped. Local(%u)",
			 vi->name, ad->ah_seq, vi->ah_seq.counter);
		break;
	case VRRP_DROP_VERSION:
		log_info("(%s) wrong version. Received %u and expect %u", vi->name, ad->version,
			 vi->version);
		break;
	case VRRP_DROP_ADVER_INT:
		log_info("(%s) advertisement interval mismatch mine=%u sec rcv'd=%u sec", vi->name,
			 vi->fc.adver_int_cs / 100, ad->adver_int_cs / 100);
		break;
	default:
		break;
	}
}

/* Most instances never drop an advert: their counters exist from the first drop on. */
void vrrp_inst_count_drop(struct vrrp_inst *vi, enum vrrp_drop why)
{
	if (!vi->n_drop)
		vi->n_drop = xcalloc(VRRP_DROP__COUNT, sizeof(*vi->n_drop));
	vi->n_drop[why]++;
}

static void inst_rx(struct vrrp_inst *vi, struct vrrp_sock *vs, const struct vrrp_advert *ad)
{
	struct vrrp_expect ex = {
		.version = vi->version, .vrid = vi->conf->vrid, .adver_int_cs = vi->fc.adver_int_cs,
		.auth = vi->auth, .ah_seq = &vi->ah_seq,
		.vips = vrrp_vip_addrs(vi), .n_vips = vi->n_vip_addrs,
	};
	enum vrrp_drop why = vrrp_pkt_check(ad, &ex);
	char b[INET6_ADDRSTRLEN];
	enum vrrp_state was;

	if (why == VRRP_DROP_ADDRS || why == VRRP_DROP_NADDR) {
		/* keepalived drops it, unless told to skip the address check */
		if (vi->skip_check_adv_addr)
			why = VRRP_DROP_NONE;
		else
			log_missing_vip(vi, ad);
	}
	log_drop(vi, ad, why);
	if (why == VRRP_DROP_NONE && vc_more(vi->conf)->n_peers && vi->check_unicast_src &&
	    !is_peer(vi, &ad->src))
		why = VRRP_DROP_VRID;
	if (why != VRRP_DROP_NONE) {
		vrrp_inst_count_drop(vi, why);
		vrrp_sock_count_drop(vs, why);
		log_detail("(%s) advert from %s dropped: %s", vi->name, addr_str(&ad->src, b),
			   vrrp_drop_str(why));
		return;
	}
	vi->n_adverts_rx++;
	if (!ad->priority)
		vi->n_prio0_rx++;
	was = vi->fsm.state;
	vrrp_inst_feed_from(vi, &(struct vrrp_fsm_in){
			  .ev = VRRP_EV_ADVERT, .now_us = vrrp_now_us(vi),
			  .peer_prio = ad->priority, .peer_adver_int_cs = ad->adver_int_cs,
			  .peer_addr_greater = addr_cmp(&ad->src, &vi->src) > 0,
		  }, &ad->src);
	if (ad->has_ah) {
		bool stays = was == VRRP_STATE_MASTER && vi->fsm.state == VRRP_STATE_MASTER;

		vrrp_ah_seq_seen(&vi->ah_seq, ad->ah_seq, stays);
		if (stays)
			log_info("(%s) IPSEC-AH : Syncing seq_num - Increment seq", vi->name);
	}
}

/* keepalived's line for a packet that failed the generic checks, in the instance's name. */
static void log_bad_packet(struct vrrp_inst *vi, const struct vrrp_advert *ad, enum vrrp_drop why)
{
	vrrp_inst_count_drop(vi, why);
	switch (why) {
	case VRRP_DROP_TTL:
		log_info("(%s) invalid TTL/HL. Received %u and expect %u", vi->name, ad->ttl, VRRP_TTL);
		break;
	case VRRP_DROP_VERSION:
		log_drop(vi, ad, why);	/* the same line as the instance's own version check */
		break;
	case VRRP_DROP_TYPE:
		log_info("(%s) Invalid packet type. %u and expect 1", vi->name, ad->type);
		break;
	case VRRP_DROP_SHORT:
	case VRRP_DROP_SHORT_ADDRS:
	case VRRP_DROP_SHORT_AUTH:
		log_info("(%s) vrrp packet too short, length %zu and expect %zu", vi->name, ad->pkt_len,
			 ad->need_len);
		break;
	case VRRP_DROP_LENGTH:
		log_info("(%s) vrrp packet too long, length %zu and expect %zu", vi->name, ad->pkt_len,
			 ad->need_len);
		break;
	case VRRP_DROP_CHECKSUM:
		log_info("(%s) Invalid VRRPv%u checksum", vi->name, ad->version ? ad->version : vi->version);
		break;
	default:
		log_detail("(%s) packet dropped: %s", vi->name, vrrp_drop_str(why));
		break;
	}
}

void vrrp_inst_rx_cb(void *arg, struct vrrp_sock *vs, const struct vrrp_advert *ad,
		     enum vrrp_drop why, int vrid)
{
	struct vrrp_sock_ent *e = arg;
	struct vrrp_inst *vi = vrid >= 0 ? e->by_vrid[vrid] : NULL;

	if (why != VRRP_DROP_NONE) {
		if (vi)
			log_bad_packet(vi, ad, why);
		return;
	}
	if (!vi) {
		vrrp_sock_count_drop(vs, VRRP_DROP_VRID);
		return;
	}
	inst_rx(vi, vs, ad);
}

