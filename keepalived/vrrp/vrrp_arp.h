/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/vrrp/vrrp_arp.h: gratuitous ARP and unsolicited neighbour adverts for VIPs. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include "utils.h"

struct sched;

/*
 * Three layers:
 *  1. pure frame builders (no syscalls): the exact bytes keepalived 2.2.7 puts on the wire;
 *  2. the edge: one AF_PACKET socket that sends a built frame out of an ifindex;
 *  3. the schedule of one VRRP instance (struct garp), driven by lib/scheduler timers.
 *
 * Wire facts (captured from Debian's keepalived 2.2.7):
 *  - GARP: 42 bytes, no padding. Ethernet dst ff:ff:ff:ff:ff:ff, src = hw, type 0x0806;
 *    ARP htype 1, ptype 0x0800, hlen 6, plen 4, op 1 (REQUEST), sender hw = hw,
 *    sender IP = VIP, target hw = ff:ff:ff:ff:ff:ff, target IP = VIP.
 *  - NA: 86 bytes. Ethernet dst 33:33:00:00:00:01, src = hw, type 0x86dd; IPv6 version 6,
 *    traffic class 0, flow label 0, payload 32, next header 58, hop limit 255,
 *    src = the VIP itself, dst ff02::1; ICMPv6 type 136 code 0, checksum over the
 *    pseudo-header, flags O (0x20), plus R (0x80) when the interface forwards IPv6, S = 0;
 *    target = VIP; option 2 (target link-layer address) length 1 (8 bytes) = hw.
 */
#define GARP_HWADDR_LEN		6
#define GARP_ARP_FRAME_LEN	42	/* Ethernet 14 + ARP 28 */
#define GARP_NA_FRAME_LEN	86	/* Ethernet 14 + IPv6 40 + NA 24 + TLLA option 8 */
#define GARP_FRAME_MAX		GARP_NA_FRAME_LEN

/* Pure: write the frame into buf (at least the *_FRAME_LEN bytes) and return its length. */
size_t garp_build_arp(uint8_t *buf, const uint8_t hw[GARP_HWADDR_LEN], const struct in_addr *vip);
size_t garp_build_na(uint8_t *buf, const uint8_t hw[GARP_HWADDR_LEN], const struct in6_addr *vip,
		     bool router);
/*
 * Pure: the ICMPv6 checksum (RFC 4443 §2.3) of icmp/len, with the checksum field taken
 * as whatever icmp holds there (set it to 0 first), over the RFC 8200 §8.1 pseudo-header.
 * Returned in host order, ready for htons().
 */
uint16_t garp_icmp6_csum(const struct in6_addr *src, const struct in6_addr *dst,
			 const uint8_t *icmp, size_t len);

/*
 * The edge: one AF_PACKET/SOCK_RAW socket (protocol 0: it never receives) shared by all
 * instances, non-blocking; each send is a sendto() naming the ifindex.
 */
struct garp_sock;
int garp_sock_open(struct garp_sock **ret);		/* 0 or -errno (needs CAP_NET_RAW) */
void garp_sock_close(struct garp_sock *gs);		/* NULL is fine */
/* 0 or -errno (-EAGAIN/-ENOBUFS when the device queue is full). Never blocks. */
int garp_sock_send(void *gs, int ifindex, const uint8_t *frame, size_t len);

/* What struct garp uses to put a frame on the wire; garp_sock_send fits (arg: the garp_sock). */
typedef int garp_send_fn(void *arg, int ifindex, const uint8_t *frame, size_t len);

/*
 * Pacing of one interface (or of one garp_group's interfaces): vrrp_garp_interval /
 * vrrp_gna_interval, or garp_group's garp_interval / gna_interval. Shared by every
 * instance announcing on those interfaces, so instances take turns: each frame reserves
 * the next free slot, and a late frame pushes the next slot to an interval after it.
 * The caller owns it; it must outlive every struct garp whose addresses point at it.
 * Intervals are independent for ARP and NA (as in keepalived).
 */
struct garp_pace;
struct garp_pace *garp_pace_new(uint64_t arp_interval_us, uint64_t na_interval_us);
void garp_pace_free(struct garp_pace *p);		/* NULL is fine */
/* A reload may change the intervals; slots already reserved stay. */
void garp_pace_set(struct garp_pace *p, uint64_t arp_interval_us, uint64_t na_interval_us);

/* One address to announce. The caller fills these; struct garp borrows the array. */
struct garp_addr {		/* ordered for no padding: 48 bytes (a VIP each) */
	struct inet_addr addr;		/* the VIP: AF_INET -> GARP, AF_INET6 -> unsolicited NA */
	int ifindex;
	uint8_t hw[GARP_HWADDR_LEN];	/* the interface's (or VMAC's) hardware address */
	bool na_router;			/* NA R flag: IPv6 forwarding is on for ifindex */
	const char *ifname;		/* borrowed; for the log lines */
	struct garp_pace *pace;		/* borrowed; NULL (or interval 0): no pacing */
};

/*
 * Per instance settings. The caller resolves keepalived's defaulting: the instance's
 * garp_* keywords, else global_defs vrrp_garp_*, else 5 s / 5 / off / 1 / master_delay /
 * master_repeat; vrrp_min_garp means master_repeat 1 and master_delay 0.
 * struct garp keeps the times to the millisecond, rounded up (keepalived's are seconds).
 */
struct garp_params {
	uint64_t master_delay_us;	/* garp_master_delay: second set after MASTER; 0: none */
	unsigned master_repeat;		/* garp_master_repeat: frames per address per set */
	uint64_t master_refresh_us;	/* garp_master_refresh: period while MASTER; 0: off */
	unsigned master_refresh_repeat;	/* garp_master_refresh_repeat */
	uint64_t lower_prio_delay_us;	/* garp_lower_prio_delay: second set after a lower-prio advert; 0: none */
	unsigned lower_prio_repeat;	/* garp_lower_prio_repeat; 0: nothing on lower-prio adverts */
};

struct garp_stats {
	uint64_t n_arp;			/* GARP frames sent */
	uint64_t n_na;			/* NA frames sent */
	uint64_t n_err;			/* sends that failed (counted, logged, never fatal) */
	int last_err;			/* -errno of the last failure, 0 if none */
};

/*
 * The schedule of one instance. A "set" announces every address:
 *  - unpaced addresses: repeat rounds over the list at once, round by round in list order
 *    (keepalived: 3 VIPs + 2 v6 VIPs, repeat 5 -> (100 101 102 ::100 ::101) x 5);
 *  - paced addresses: each address once per set, one frame per interval per pacer and
 *    family, the first at once when the pacer is idle. keepalived queues one pending
 *    announcement per address, so it too sends ~1 frame per address per set when an
 *    interval is set (it sends the list's first address twice when repeat >= 2; we don't).
 *  A set bigger than one callback's budget goes on from zero-delay timers; nothing blocks.
 *  A new set restarts one still in progress, keeping its remaining rounds if more.
 *  One instance's paced addresses are walked in list order per family, so addresses on two
 *  differently paced interfaces take turns instead of going out in parallel.
 *
 * Log lines (keepalived's exact text; all of them only with -D, through log_detail):
 *   "(VI_1) Sending/queueing gratuitous ARPs on eth0 for 192.0.2.100"	per address per set
 *   "(VI_1) Sending/queueing Unsolicited Neighbour Adverts on eth0 for 2001:db8::100"
 *   "Sending gratuitous ARP on eth0 for 192.0.2.100"			per frame
 *   "Sending unsolicited Neighbour Advert on eth0 for 2001:db8::100"
 * plus ours, at warning level, once per set: "(VI_1) Error sending gratuitous ARP on eth0
 * for 192.0.2.100: No such device or address".
 *
 * name (the instance, for "(VI_1) ..." log lines), gc, and addrs are borrowed; addrs
 * must stay valid until garp_set_addrs() replaces it or garp_free(). Every function
 * here is safe in a scheduler callback and may send frames before it returns.
 */
struct garp;
/* Frames sent or addresses visited per callback before yielding to the loop. */
#define GARP_BUDGET 128
/*
 * What every instance's schedule shares: the loop, how frames leave (send, send_arg), and
 * one timer for all the garp_master_delay sets, kept in deadline order: a thousand
 * instances becoming master together arm one timer, not a thousand. It runs at most
 * GARP_DELAYED_BUDGET due sets per callback. The caller owns it; it outlives its garps.
 */
struct garp_ctx;
struct garp_ctx *garp_ctx_new(struct sched *s, garp_send_fn *send, void *send_arg);
void garp_ctx_free(struct garp_ctx *gc);	/* NULL is fine; its garps must be freed first */
#define GARP_DELAYED_BUDGET 32
int garp_new(struct garp **ret, struct garp_ctx *gc, const char *name,
	     const struct garp_params *p);
void garp_free(struct garp *g);			/* NULL is fine; cancels its timers */
/* The list changed (reload, VIP added): a set in progress continues from the same index. */
void garp_set_addrs(struct garp *g, const struct garp_addr *addrs, size_t n);
void garp_set_params(struct garp *g, const struct garp_params *p);	/* copied */
void garp_set_name(struct garp *g, const char *name);			/* borrowed */

/*
 * Became MASTER (call it after sending the first advert: keepalived's GARPs follow it):
 * a set of master_repeat now, another after master_delay, and while MASTER a set of
 * master_refresh_repeat every master_refresh counted from now (at 2, 4, 6 s for 2 s).
 */
void garp_start_master(struct garp *g);
/*
 * As MASTER, a lower-priority advert arrived (after the caller's answering advert): a set
 * of lower_prio_repeat now and another after lower_prio_delay. keepalived arms one delayed
 * set per such advert; while one is pending we keep it instead of arming more.
 */
void garp_lower_prio(struct garp *g);
/*
 * What the network can repeat at will (lower-priority adverts) must not flood the log:
 * each line of a set garp_lower_prio() started (or of a set it took over) is logged only
 * if gate(arg) says so, asked just before it would be. NULL gate: always. arg is borrowed.
 */
typedef bool garp_gate_fn(void *arg);
void garp_set_lower_gate(struct garp *g, garp_gate_fn *gate, void *arg);
/* Left MASTER (or shutting down): cancel every pending frame and timer. */
void garp_stop(struct garp *g);

void garp_get_stats(const struct garp *g, struct garp_stats *out);
