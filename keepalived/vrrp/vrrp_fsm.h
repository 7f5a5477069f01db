/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/vrrp/vrrp_fsm.h: the VRRP state machine (RFC 3768, RFC 5798 §6.4, keepalived's additions), pure. */
#pragma once
#include <stdbool.h>
#include <stdint.h>

/*
 * vrrp_fsm_step() maps (config, state, input) to a new state plus the actions
 * the caller must carry out: it makes no syscalls, logs nothing, allocates
 * nothing and arms no timers. The caller (vrrp_inst.c) owns the three timers
 * (advert, master-down, preempt-delay), the sockets, the VIPs and the notify
 * scripts, and acts on the output in this order: cancel timers, SEND_ADVERT /
 * SEND_PRIO0 (before DEL_VIPS, so the advert still leaves with the VIPs in it),
 * DEL_VIPS, ADD_VIPS, GARP, arm timers, NOTIFY, then its log line from `why`.
 *
 * Times are uint64_t µs on the monotonic clock; intervals on the wire are
 * centiseconds (v3) or seconds (v2: the caller passes seconds * 100).
 *
 * Both structs are plain data the caller fills: vrrp_fsm_conf from the config
 * (immutable between reloads), vrrp_fsm from vrrp_fsm_init() and then only
 * through vrrp_fsm_step().
 */

enum vrrp_state {
	VRRP_STATE_INIT,	/* configured, not started */
	VRRP_STATE_BACKUP,
	VRRP_STATE_MASTER,
	VRRP_STATE_FAULT,
	VRRP_STATE_STOP,	/* shut down; every event is ignored */
	VRRP_STATE__COUNT
};
/* keepalived's names as in logs and notify's $3: "INIT", "BACKUP", "MASTER", "FAULT", "STOP". */
const char *vrrp_state_str(enum vrrp_state s);

enum vrrp_ev {
	VRRP_EV_START,		/* the instance starts (INIT -> BACKUP, or MASTER for an owner) */
	VRRP_EV_ADVERT,		/* a valid advert for our VRID (peer_prio, peer_adver_int_cs, ...) */
	VRRP_EV_MASTER_DOWN,	/* the master-down timer fired */
	VRRP_EV_ADVER_TIMER,	/* the advert timer fired (master sends) */
	VRRP_EV_PREEMPT_DELAY,	/* the preempt-delay timer fired */
	VRRP_EV_FAULT,		/* the instance's fault count went 0 -> 1 (the caller counts) */
	VRRP_EV_FAULT_CLEAR,	/* the fault count went back to 0 */
	VRRP_EV_PRIO,		/* effective priority changed: new_prio (see vrrp_fsm_eff_prio) */
	VRRP_EV_STOP,		/* shutdown (SIGTERM, or the instance removed by a reload) */
	VRRP_EV__COUNT
};
const char *vrrp_ev_str(enum vrrp_ev ev);

struct vrrp_fsm_conf {
	uint8_t priority;		/* base priority 1..255; 255 = address owner */
	uint8_t version;		/* 2 or 3 */
	uint16_t adver_int_cs;		/* our advert interval, cs (v2: whole seconds * 100) */
	bool init_master;		/* "state MASTER" */
	bool preempt;			/* false with nopreempt */
	uint64_t preempt_delay_us;	/* 0 = none */
	uint8_t down_timer_adverts;	/* adverts missed before master-down; 3 (RFC), 0 means 3 */
	bool lower_prio_no_advert;	/* master does not answer a lower-priority advert */
	bool higher_prio_send_advert;	/* master sends one advert before yielding to a higher one */
	bool owner_ignore_adverts;	/* an owner (255) ignores received adverts */
	bool has_notify_rx_lower;	/* notify_master_rx_lower_pri is set */
};

struct vrrp_fsm {
	enum vrrp_state state;
	uint8_t eff_prio;		/* effective priority now (starts as conf priority) */
	uint16_t master_adver_int_cs;	/* v3: learned from the master's adverts; ours when master */
	bool in_fault;			/* a fault is active (FAULT state, or pending before START) */
	uint64_t preempt_until_us;	/* preempt_delay deadline; 0 = not started */
	bool preempt_done;		/* preempt_delay has elapsed (or is 0) */
};

/* Why the step did what it did: the caller picks keepalived's log line from this. */
enum vrrp_why {
	VRRP_WHY_NONE,			/* nothing to say (event ignored in this state) */
	VRRP_WHY_INIT,			/* START -> BACKUP: "(VI_1) Entering BACKUP STATE (init)" */
	VRRP_WHY_OWNER,			/* START as owner (255) -> MASTER at once */
	VRRP_WHY_DOWN_TIMEOUT,		/* master-down expired: "(VI_1) Receive advertisement timeout" */
	VRRP_WHY_RX_ACCEPT,		/* backup: advert from the master accepted, down timer reset */
	VRRP_WHY_RX_LOWER_DISCARD,	/* backup, preempting: lower-priority advert discarded */
	VRRP_WHY_RX_PREEMPT_WAIT,	/* backup: lower advert accepted while preempt_delay runs */
	VRRP_WHY_RX_PRIO0_BACKUP,	/* backup: "(VI_1) Backup received priority 0 advertisement" */
	VRRP_WHY_RX_PRIO0_MASTER,	/* master: priority 0 from another master, answer at once */
	VRRP_WHY_RX_HIGHER,		/* master -> BACKUP: higher-priority advert */
	VRRP_WHY_RX_EQUAL_HIGHER_ADDR,	/* master -> BACKUP: same priority, greater primary address */
	VRRP_WHY_RX_LOWER_MASTER,	/* master stays: lower (or equal, lower address) advert */
	VRRP_WHY_RX_OWNER_IGNORE,	/* owner with owner_ignore_adverts: advert ignored */
	VRRP_WHY_SEND,			/* master: advert timer, send and re-arm */
	VRRP_WHY_PREEMPT_DELAY_DONE,	/* preempt_delay elapsed */
	VRRP_WHY_FAULT,			/* -> FAULT */
	VRRP_WHY_FAULT_CLEAR,		/* FAULT -> BACKUP (or MASTER for an owner) */
	VRRP_WHY_PRIO,			/* effective priority changed */
	VRRP_WHY_STOP,			/* -> STOP */
	VRRP_WHY__COUNT
};
const char *vrrp_why_str(enum vrrp_why why);	/* a short name for debug logs and tests */

/* Actions, a bitmask in vrrp_fsm_out.acts. */
enum vrrp_act {
	VRRP_ACT_SEND_ADVERT	= 1u << 0,	/* send one advert now, with st->eff_prio */
	VRRP_ACT_SEND_PRIO0	= 1u << 1,	/* send one advert with priority 0 now */
	VRRP_ACT_ADD_VIPS	= 1u << 2,	/* add VIPs (and virtual routes/rules) */
	VRRP_ACT_DEL_VIPS	= 1u << 3,	/* remove them */
	VRRP_ACT_GARP_START	= 1u << 4,	/* start the becoming-master GARP/NA bursts (garp_master_*) */
	VRRP_ACT_GARP_STOP	= 1u << 5,	/* stop pending GARP bursts and refresh */
	VRRP_ACT_GARP_LOWER	= 1u << 6,	/* garp_lower_prio_repeat/_delay bursts, if configured */
	VRRP_ACT_NOTIFY		= 1u << 7,	/* state changed to out->state: notify scripts, FIFO, SMTP */
	VRRP_ACT_NOTIFY_RX_LOWER = 1u << 8,	/* run notify_master_rx_lower_pri */
	VRRP_ACT_ARM_ADVER	= 1u << 9,	/* (re)arm the advert timer: out->adver_us from now */
	VRRP_ACT_CANCEL_ADVER	= 1u << 10,
	VRRP_ACT_ARM_DOWN	= 1u << 11,	/* (re)arm the master-down timer: out->down_us from now */
	VRRP_ACT_CANCEL_DOWN	= 1u << 12,
	VRRP_ACT_ARM_PREEMPT	= 1u << 13,	/* (re)arm the preempt-delay timer: out->preempt_us */
	VRRP_ACT_CANCEL_PREEMPT	= 1u << 14,
};

struct vrrp_fsm_in {
	enum vrrp_ev ev;
	uint64_t now_us;		/* monotonic, every event */
	/* VRRP_EV_ADVERT */
	uint8_t peer_prio;		/* 0..255 */
	uint16_t peer_adver_int_cs;	/* the advert's interval (v2: seconds * 100) */
	bool peer_addr_greater;		/* the sender's primary address > ours (RFC 5798 §6.4.3) */
	/* VRRP_EV_PRIO */
	uint8_t new_prio;		/* the new effective priority */
};

struct vrrp_fsm_out {
	uint32_t acts;			/* enum vrrp_act bits */
	enum vrrp_state prev;		/* state before the step */
	enum vrrp_state state;		/* state after it (== st->state) */
	enum vrrp_why why;
	uint64_t adver_us;		/* with ARM_ADVER */
	uint64_t down_us;		/* with ARM_DOWN */
	uint64_t preempt_us;		/* with ARM_PREEMPT */
};

/* State INIT, eff_prio = conf priority, master_adver_int_cs = conf adver_int_cs. */
void vrrp_fsm_init(const struct vrrp_fsm_conf *cfg, struct vrrp_fsm *st);

/* One step. st is updated in place; *out is overwritten. Safe anywhere (pure). */
void vrrp_fsm_step(const struct vrrp_fsm_conf *cfg, struct vrrp_fsm *st,
		   const struct vrrp_fsm_in *in, struct vrrp_fsm_out *out);

/*
 * Effective priority from the base and the summed tracker weights, as keepalived
 * does: an owner (base 255) stays 255; otherwise base + weights clamped to 1..254.
 */
uint8_t vrrp_fsm_eff_prio(uint8_t base, int weight_sum);

/* Skew_Time in µs for priority prio (v2: (256-prio)/256 s; v3: (256-prio)*adver_int/256). */
uint64_t vrrp_fsm_skew_us(uint8_t version, uint8_t prio, uint16_t master_adver_int_cs);
/* Master_Down_Interval in µs: n_adverts * master_adver_int + skew (n_adverts 0 means 3). */
uint64_t vrrp_fsm_down_us(uint8_t version, uint8_t prio, uint16_t master_adver_int_cs,
			  uint8_t n_adverts);
