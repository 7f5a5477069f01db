/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/vrrp/vrrp_conflict.h: VIP conflicts and split brain seen by a master, failover time. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/filter.h>

#include "ratelimit.h"
#include "utils.h"

/*
 * Issue 15 items 4 and 5 (keepalived 2.2.7 has neither).
 *
 * A conflict: while an instance is MASTER, another router claims what is ours: an ARP
 * reply, ARP request or gratuitous ARP whose sender address is one of our VIPs, or a
 * neighbour advert (solicited or not) whose target is one of our IPv6 VIPs, from a MAC
 * that is none of this host's interfaces' (our own GARPs, a use_vmac instance's VMAC
 * included, are never conflicts); or an advert for our VRID from another router that
 * leaves us MASTER (another master: a split brain; an advert that makes us BACKUP is an
 * election, not a conflict). An episode starts at the first such packet and ends when
 * none has come for a quiet time (VRRP_CONFLICT_QUIET_ADVERTS advert intervals, at least
 * VRRP_CONFLICT_QUIET_MIN_US): then the master announces its VIPs again (GARP/NA, the
 * becoming-master set), the step whose absence black-holes traffic after a partition
 * heals in keepalived (its issues #166, #1884). Leaving MASTER ends an episode without it.
 *
 * Log lines (one pair per episode, the start limited per instance to
 * VRRP_CONFLICT_LOG_BURST per VRRP_CONFLICT_LOG_WINDOW_US; an end is logged when its start
 * was):
 *   (VI_1) conflict: 192.0.2.100 is claimed by 02:00:00:00:00:03 on eth0 (ARP reply)
 *   (VI_1) conflict: another master 192.0.2.2 (priority 90) advertises VRID 51 on eth0
 *   (VI_1) conflict with 02:00:00:00:00:03 ended after 3.0 s (3 packets): announcing the VIPs again
 *   (VI_1) conflict with 192.0.2.2 ended after 1.2 s (4 packets): no longer master
 * notify_conflict SCRIPT (ours) runs with INSTANCE NAME CONFLICT PEER appended at a start
 * and INSTANCE NAME CONFLICT_END PEER at an end (PEER: the other master's address, or the
 * MAC that claims a VIP), limited like the lines.
 *
 * Failover time: when an instance goes BACKUP -> MASTER having heard an advert for its
 * VRID since it entered BACKUP, it logs
 *   (VI_1) took over from 192.0.2.1, 3609 ms after its last advert
 * and keeps the figure and the address for the status and metrics (vrrp_conflict_failover()).
 *
 * The receive edge (vrrp_conflict_edge.c): for each interface that holds VIPs of a MASTER
 * instance, one AF_PACKET socket with a classic BPF filter that passes only ARP frames
 * whose sender address is one of those VIPs and NAs whose target is one of them, never
 * our own outgoing frames: the child wakes for what concerns its VIPs, not for every
 * packet. The socket is opened when an instance on the interface becomes MASTER; when
 * none is left its filter passes nothing (closing a packet socket would stall the loop
 * for an RCU grace period), and it is closed when the interface goes or the child ends.
 */

#define VRRP_CONFLICT_QUIET_ADVERTS	3
#define VRRP_CONFLICT_QUIET_MIN_US	1000000ULL
#define VRRP_CONFLICT_LOG_BURST		5
#define VRRP_CONFLICT_LOG_WINDOW_US	(60 * 1000000ULL)

enum vrrp_conflict_kind {
	VRRP_CONFLICT_NONE,
	VRRP_CONFLICT_ADVERT,		/* an advert for our VRID from another master */
	VRRP_CONFLICT_ARP_REPLY,
	VRRP_CONFLICT_ARP_REQUEST,	/* a host using our VIP as its own to ask */
	VRRP_CONFLICT_GARP,		/* a gratuitous ARP (request or reply: sender == target) */
	VRRP_CONFLICT_NA,		/* a neighbour advert for an IPv6 VIP */
	VRRP_CONFLICT__COUNT
};
/* "ARP reply", "gratuitous ARP", "neighbour advert" ... */
const char *vrrp_conflict_kind_str(enum vrrp_conflict_kind k);

/* Who claimed what, by one packet. */
struct vrrp_conflict_peer {
	uint8_t kind;			/* enum vrrp_conflict_kind; NONE: none yet */
	uint8_t prio;			/* ADVERT: its priority */
	bool has_mac;			/* ARP, NA: mac is the claiming MAC */
	uint8_t mac[6];
	struct inet_addr addr;		/* ADVERT: the other router's address; else our VIP it claims */
};
/* PEER as the log lines and notify_conflict give it: the address (ADVERT) or the MAC. */
const char *vrrp_conflict_peer_str(const struct vrrp_conflict_peer *p, char *buf, size_t len);
#define VRRP_CONFLICT_PEER_STRLEN 48

/* An instance's conflicts: plain data, zeroed is "none yet". */
struct vrrp_conflict_ep {
	bool active;			/* an episode is going on */
	bool logged;			/* its start line was logged (its end line will be) */
	uint64_t start_us, last_us;	/* its first and latest packet (monotonic) */
	uint64_t n_ep_packets;		/* its packets */
	uint64_t n_episodes;		/* episodes since the instance was made */
	uint64_t n_packets;		/* conflicting packets since then */
	struct vrrp_conflict_peer last;	/* the latest conflicting packet's sender */
	struct ratelimit rl;		/* the episodes' lines and scripts */
};

/*
 * Pure core. vrrp_conflict_seen(): one conflicting packet at now_us; true when it starts
 * an episode. vrrp_conflict_due_us(): when the episode ends if nothing more comes.
 * vrrp_conflict_check(): true when the episode is over at now_us (the master announces
 * its VIPs again); false while it goes on. vrrp_conflict_stop(): the instance left MASTER:
 * true when an episode was going on (it ends without an announcement).
 */
bool vrrp_conflict_seen(struct vrrp_conflict_ep *ep, const struct vrrp_conflict_peer *p,
			uint64_t now_us);
uint64_t vrrp_conflict_quiet_us(uint16_t adver_int_cs);
uint64_t vrrp_conflict_due_us(const struct vrrp_conflict_ep *ep, uint64_t quiet_us);
bool vrrp_conflict_check(struct vrrp_conflict_ep *ep, uint64_t now_us, uint64_t quiet_us);
bool vrrp_conflict_stop(struct vrrp_conflict_ep *ep);
/* Whether an episode's start may be logged (and its script run) now. */
bool vrrp_conflict_log_pass(struct vrrp_conflict_ep *ep, uint64_t now_us);

/* The last advert a backup heard and the last takeover: plain data, zeroed is "none". */
/*
 * What a BACKUP heard last (kept in every instance: 32 bytes), and the last takeover
 * measured from it (in struct vrrp_conflict_inst, made at an instance's first takeover).
 */
struct vrrp_failover_heard {
	uint64_t us;			/* the last advert heard since entering BACKUP (monotonic) */
	struct inet_addr from;		/* ... whose */
	bool heard;			/* false: none since entering BACKUP */
};
struct vrrp_failover {
	bool has_last;			/* a takeover was measured */
	uint64_t last_us;		/* its duration: the last advert heard -> MASTER */
	struct inet_addr last_from;	/* whose advert that was */
	uint64_t last_at_us;		/* when it took over (monotonic) */
};
void vrrp_failover_advert(struct vrrp_failover_heard *h, uint64_t now_us,
			  const struct inet_addr *from);
void vrrp_failover_forget(struct vrrp_failover_heard *h);	/* entered BACKUP (or FAULT) */
/* BACKUP -> MASTER at now_us: true when measured into f (an advert had been heard). */
bool vrrp_failover_master(struct vrrp_failover_heard *h, struct vrrp_failover *f,
			  uint64_t now_us);

/*
 * An instance's conflict episodes and last takeover: made at its first conflicting packet
 * or first measured takeover (most instances never have either: 8 bytes of the instance
 * until then, not 200).
 */
struct sched_ev;
struct vrrp_conflict_inst {
	struct vrrp_conflict_ep ep;
	struct vrrp_failover fo;
	struct sched_ev *ev;		/* the episode's end, if nothing more comes */
};

/*
 * Pure: the frame of interest in a packet socket's buffer (Ethernet header first).
 * VRRP_CONFLICT_NONE: not an ARP (Ethernet, IPv4) or an NA frame, or cut short.
 * addr: the ARP sender address, or the NA target; mac: the ARP sender hardware
 * address, or the NA's target link-layer option (else the Ethernet source); eth_src:
 * the Ethernet source.
 */
struct vrrp_conflict_frame {
	enum vrrp_conflict_kind kind;
	struct inet_addr addr;
	uint8_t mac[6];
	uint8_t eth_src[6];
};
enum vrrp_conflict_kind vrrp_conflict_parse(const uint8_t *buf, size_t len,
					    struct vrrp_conflict_frame *out);

/*
 * Pure: the classic BPF program for a packet socket (SOCK_RAW, Ethernet) that passes only
 * incoming ARP frames whose sender address is one of v4[] and NAs whose target is one of
 * v6[] (VRRP_CONFLICT_SNAP_LEN bytes of them), nothing that we send. It fits in max
 * instructions (BPF_MAXINSNS for the kernel) or is built with n4 = n6 = 0 meaning "every
 * ARP and NA", for the caller to sort out (too many VIPs on one interface): *all says so.
 * Returns the number of instructions written.
 */
#define VRRP_CONFLICT_SNAP_LEN 128
size_t vrrp_conflict_bpf(const struct in_addr *v4, size_t n4, const struct in6_addr *v6,
			 size_t n6, struct sock_filter *out, size_t max, bool *all);
/* The number of instructions vrrp_conflict_bpf() writes for n4 and n6 addresses. */
size_t vrrp_conflict_bpf_len(size_t n4, size_t n6);

/* ---- the edge (vrrp_conflict_edge.c): hooks of vrrp_inst.c and vrrp_ctx.c ---- */
struct vrrp_inst;
struct vrrp_ctx;
struct vrrp_fsm_in;
struct vrrp_fsm_out;

/* After a step of vi on an advert from `from` (vrrp_inst_feed_from): another master? */
void vrrp_conflict_advert(struct vrrp_inst *vi, const struct vrrp_fsm_in *in,
			  const struct vrrp_fsm_out *o, const struct inet_addr *from);
/* vi changed state (apply(), after its state line): failover line, sockets, episode end. */
void vrrp_conflict_moved(struct vrrp_inst *vi, int prev, int state);
/* vi's VIPs or their interfaces changed: the sockets' filters follow (at the loop's end). */
void vrrp_conflict_vips_changed(struct vrrp_inst *vi);
/* vi goes away (vrrp_inst_free): its timer, its entries in the sockets' tables. */
void vrrp_conflict_inst_free(struct vrrp_inst *vi);
/* The sockets closed (vrrp_ctx_free). */
void vrrp_conflict_ctx_free(struct vrrp_ctx *ctx);

/*
 * For the status and metrics renderers: safe anywhere, read only. Counts are since the
 * instance was made (a reload keeps them).
 */
uint64_t vrrp_conflict_n_episodes(const struct vrrp_inst *vi);	/* conflicts counted */
uint64_t vrrp_conflict_n_packets(const struct vrrp_inst *vi);	/* conflicting packets */
bool vrrp_conflict_is_active(const struct vrrp_inst *vi);	/* an episode goes on now */
/* The last conflicting router (NULL: none yet); PEER string: vrrp_conflict_peer_str(). */
const struct vrrp_conflict_peer *vrrp_conflict_last_peer(const struct vrrp_inst *vi);
/*
 * The last failover: false when vi never took over after hearing a master; else its
 * duration (µs from the last advert heard to MASTER), whose advert it was, and when
 * (monotonic µs, sched_now_us()'s clock).
 */
bool vrrp_conflict_failover(const struct vrrp_inst *vi, uint64_t *duration_us,
			    struct inet_addr *from, uint64_t *at_us);
