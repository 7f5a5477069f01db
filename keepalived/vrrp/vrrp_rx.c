// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * keepalived/vrrp/vrrp_rx.c: an advert's way in, in one straight line:
 *   vrrp_sock.c reads it and decodes it (vrrp_pkt_decode: the generic checks)
 *   -> vrrp_inst_rx_cb(): the instance of its VRID on that socket
 *   -> vrrp_pkt_check(): the instance's checks, in their documented order
 *   -> a drop: drop(), the one place that counts it (socket and instance) and logs
 *      keepalived's line for it, at most log_limit lines per instance and reason
 *   -> accepted: accepted(), the FSM; the lines its actions log (vrrp_inst.c) pass the
 *      same limit, per instance and kind of line (vrrp_rx_log_pass()).
 */
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "ratelimit.h"
#include "scheduler.h"
#include "vrrp_ctx.h"
#include "vrrp_misc.h"
#include "vrrp_sock.h"

/*
 * Per instance and drop reason (or kind of line of an accepted advert): at most 20
 * lines in 10 s (a misconfigured peer at one advert a second is logged like keepalived
 * does), then, when the 10 s are over, one line with how many were held back.
 * Counters count every packet regardless.
 */
static const struct ratelimit_conf log_limit = { .window_us = 10 * 1000000, .burst = 20 };

/* A limiter's key: a drop reason, or VRRP_DROP__COUNT + an enum vrrp_rx_line. */
#define N_KINDS (VRRP_DROP__COUNT + VRRP_LINE__COUNT)

/* An instance's log limiters: allocated at its first limited line. */
struct vrrp_rx_log {
	struct vrrp_inst *vi;
	struct sched_ev *ev_end;	/* the earliest end of a window that holds lines back */
	uint64_t end_us;
	struct ratelimit rl[N_KINDS];
};

static const char *const line_str[VRRP_LINE__COUNT] = {
	[VRRP_LINE_LOWER_DISCARD] = "lower priority advert discarded",
	[VRRP_LINE_PREEMPT_DELAY] = "preempt delay started",
	[VRRP_LINE_PRIO0_BACKUP] = "priority 0 advert to a backup",
	[VRRP_LINE_PRIO0_MASTER] = "priority 0 advert to a master",
	[VRRP_LINE_HIGHER] = "higher priority advert",
	[VRRP_LINE_EQUAL_HIGHER_ADDR] = "same priority advert from a higher address",
	[VRRP_LINE_LOWER_MASTER] = "lower priority advert",
	[VRRP_LINE_ADVER_INT] = "advert interval from the master",
	[VRRP_LINE_AH_SYNC] = "IPSEC-AH sequence number sync",
	[VRRP_LINE_SEND_ERR] = "send advert error",
	[VRRP_LINE_GARP_LOWER] = "gratuitous ARP after a lower priority advert",
};

static void log_held(const struct vrrp_inst *vi, int kind, uint32_t n)
{
	if (kind == VRRP_DROP_VRID)	/* log_unknown_vrid()'s lines: the interface's */
		log_info("%u similar log lines suppressed (unknown VRID on %s)", n, vi->ifname);
	else
		log_info("(%s) %u similar log lines suppressed (%s)", vi->name, n,
			 kind < VRRP_DROP__COUNT ? vrrp_drop_str(kind) :
			 line_str[kind - VRRP_DROP__COUNT]);
}

static void end_cb(struct sched_ev *ev, void *arg);

static void arm_end(struct vrrp_rx_log *l, uint64_t at_us)
{
	if (l->ev_end && l->end_us <= at_us)
		return;
	l->end_us = at_us;
	if (sched_timer_at(l->vi->ctx->s, &l->ev_end, at_us, end_cb, l) < 0)
		l->ev_end = NULL;	/* cannot happen; the count comes with the next line */
}

/* Windows over: their counts out; the timer again for the next one that holds lines. */
static void end_cb(struct sched_ev *ev, void *arg)
{
	struct vrrp_rx_log *l = arg;
	uint64_t now = vrrp_now_us(l->vi), next = 0;

	for (int k = 0; k < N_KINDS; k++) {
		uint32_t n = ratelimit_end(&l->rl[k], &log_limit, now);
		uint64_t due = ratelimit_due_us(&l->rl[k], &log_limit);

		if (n)
			log_held(l->vi, k, n);
		if (due && (!next || due < next))
			next = due;
	}
	if (next)
		arm_end(l, next);
}

/* Whether a line of kind may be logged now; a window that ended first reports its count. */
static bool log_pass(struct vrrp_inst *vi, int kind)
{
	struct vrrp_rx_log *l = vi->rx_log;
	uint32_t n_ended;
	bool pass;

	if (!l) {
		l = vi->rx_log = xcalloc(1, sizeof(*l));
		l->vi = vi;
	}
	pass = ratelimit_pass(&l->rl[kind], &log_limit, vrrp_now_us(vi), &n_ended);
	if (n_ended)
		log_held(vi, kind, n_ended);
	if (!pass)
		arm_end(l, ratelimit_due_us(&l->rl[kind], &log_limit));
	return pass;
}

bool vrrp_rx_log_pass(struct vrrp_inst *vi, enum vrrp_rx_line kind)
{
	return log_pass(vi, VRRP_DROP__COUNT + kind);
}

void vrrp_rx_log_free(struct vrrp_inst *vi)
{
	struct vrrp_rx_log *l = vi->rx_log;

	if (!l)
		return;
	for (int k = 0; k < N_KINDS; k++)
		if (l->rl[k].n_held)
			log_held(vi, k, l->rl[k].n_held);
	sched_cancel(&l->ev_end);
	free(l);
	vi->rx_log = NULL;
}

/* Most instances never drop an advert: their counters exist from the first drop on. */
void vrrp_inst_count_drop(struct vrrp_inst *vi, enum vrrp_drop why)
{
	if (!vi->n_drop)
		vi->n_drop = xcalloc(VRRP_DROP__COUNT, sizeof(*vi->n_drop));
	vi->n_drop[why]++;
}

/*
 * The one place a dropped packet is counted, on its socket and for its instance (none:
 * no instance has its VRID here: log_unknown_vrid()), and logged.
 */
static void drop(struct vrrp_sock *vs, struct vrrp_inst *vi, const struct vrrp_advert *ad,
		 const struct vrrp_expect *ex, enum vrrp_drop why)
{
	char line[256];
	bool is_ka;

	vrrp_sock_count_drop(vs, why);
	if (!vi)
		return;
	vrrp_inst_count_drop(vi, why);
	is_ka = vrrp_drop_has_keepalived_line(why);
	if (!is_ka && !log_get_opts()->detail)
		return;		/* a line for -D only, and no -D */
	if (!log_pass(vi, why))
		return;		/* held back: not even formatted (a flood's packets end here) */
	vrrp_drop_line(line, sizeof(line), vi->name, why, ad, ex);
	if (is_ka)
		log_info("%s", line);
	else
		log_detail("%s", line);
}

/*
 * log_unknown_vrids: keepalived's line for an advert of a VRID that no instance has on
 * this socket. Limited per socket: the line's limiter is the socket's first instance's
 * one for VRRP_DROP_VRID, a reason its own adverts never give (they are demuxed by VRID).
 */
static void log_unknown_vrid(const struct vrrp_sock_ent *e, const struct vrrp_advert *ad)
{
	struct vrrp_inst *vi = NULL;

	if (!ad->vrid || !e->ctx->gd.log_unknown_vrids)
		return;		/* the packet ends before its VRID, or not asked for */
	for (int vrid = 1; vrid < 256 && !vi; vrid++)
		vi = e->by_vrid[vrid];
	if (!vi || !log_pass(vi, VRRP_DROP_VRID))
		return;
	log_info("Unknown VRID(%u) received on interface(%s). ignoring...", ad->vrid, vi->ifname);
}

/* Signed comparison of two addresses of one family, as unsigned big-endian numbers. */
static int addr_cmp(const struct inet_addr *a, const struct inet_addr *b)
{
	return a->family == AF_INET ? memcmp(&a->v4, &b->v4, 4) : memcmp(&a->v6, &b->v6, 16);
}

static void accepted(struct vrrp_inst *vi, const struct vrrp_advert *ad)
{
	enum vrrp_state was = vi->fsm.state;

	vi->n_adverts_rx++;
	if (!ad->priority)
		vi->n_prio0_rx++;
	vrrp_inst_feed_from(vi, &(struct vrrp_fsm_in){
			  .ev = VRRP_EV_ADVERT, .now_us = vrrp_now_us(vi),
			  .peer_prio = ad->priority, .peer_adver_int_cs = ad->adver_int_cs,
			  .peer_addr_greater = addr_cmp(&ad->src, &vi->src) > 0,
		  }, &ad->src);
	if (ad->has_ah) {
		bool stays = was == VRRP_STATE_MASTER && vi->fsm.state == VRRP_STATE_MASTER;

		vrrp_ah_seq_seen(&vi->ah_seq, ad->ah_seq, stays);
		if (stays && vrrp_rx_log_pass(vi, VRRP_LINE_AH_SYNC))
			log_info("(%s) IPSEC-AH : Syncing seq_num - Increment seq", vi->name);
	}
}

void vrrp_inst_rx_cb(void *arg, struct vrrp_sock *vs, const struct vrrp_advert *ad,
		     enum vrrp_drop why)
{
	struct vrrp_sock_ent *e = arg;
	struct vrrp_inst *vi = e->by_vrid[ad->vrid];	/* VRID 0 (none read) has no instance */
	const struct vc_more *m;
	struct inet_addr group;
	struct vrrp_expect ex;

	if (!vi) {
		drop(vs, NULL, ad, NULL, why != VRRP_DROP_NONE ? why : VRRP_DROP_VRID);
		log_unknown_vrid(e, ad);
		return;
	}
	m = vc_more(vi->conf);
	group = vrrp_inst_group(vi);
	ex = (struct vrrp_expect){
		.version = vi->version, .vrid = vi->conf->vrid, .adver_int_cs = vi->fc.adver_int_cs,
		.group = &group, .self = vi->has_src ? &vi->src : NULL,
		.peers = m->peers, .n_peers = m->n_peers,
		.auth = vi->auth, .ah_seq = &vi->ah_seq,
		.vips = vrrp_vip_addrs(vi), .n_vips = vi->n_vip_addrs,
		/* keepalived drops on the address checks, unless told to skip them */
		.skip_addrs = vi->skip_check_adv_addr,
	};
	if (why == VRRP_DROP_NONE || why == VRRP_DROP_CHECKSUM)
		why = vrrp_misc_rx_csum(vi, ad, why);	/* old_unicast_checksum, v3_checksum_as_v2 */
	if (why == VRRP_DROP_NONE)
		why = vrrp_pkt_check(ad, &ex);
	if (why != VRRP_DROP_NONE)
		drop(vs, vi, ad, &ex, why);
	else
		accepted(vi, ad);
}
