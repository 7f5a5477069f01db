/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/vrrp/vrrp_fsm.h: the VRRP state machine (RFC 3768, RFC 5798 §6.4), pure. */
#pragma once
#include <stdbool.h>
#include <stdint.h>

/*
 * vrrp_fsm_step() maps (config, state, input) to a new state plus the actions
 * the caller must carry out: it makes no syscalls, logs nothing, allocates
 * nothing and arms no timers. The caller (vrrp_inst.c) owns the two timers
 * (advert, master-down), the sockets, the VIPs and the notify scripts, and acts
 * on the output in this order: cancel timers, SEND_ADVERT / SEND_PRIO0 (before
 * DEL_VIPS, so the advert still leaves with the VIPs in it), DEL_VIPS, ADD_VIPS,
 * GARP, arm timers, NOTIFY. Its log lines come from `why`, old_prio and
 * old_adver_int_cs (keepalived 2.2.7's texts are listed at enum vrrp_why).
 *
 * keepalived 2.2.7's behaviour, observed black-box, where the RFCs leave room:
 * - Every start goes through BACKUP and waits Master_Down_Interval, whatever
 *   "state" says; the one exception is an owner (priority 255) with state
 *   MASTER, which goes MASTER at once. "state MASTER" otherwise only forces
 *   preempt on (keepalived clears nopreempt with a warning; so does the FSM).
 * - preempt_delay has no timer of its own: it starts at the first
 *   lower-priority advert received since entering BACKUP; until it has run,
 *   lower adverts are accepted like a master's (down timer re-armed); after,
 *   they are discarded and the down timer takes over. Entering BACKUP again
 *   (from MASTER or FAULT) starts it afresh.
 * - Skew uses the effective priority and is computed in µs:
 *   v2 (256 - prio) * 1000000 / 256, v3 (256 - prio) * Master_Adver_Interval_us / 256.
 * - A change of effective priority in BACKUP moves the pending master-down
 *   deadline (it counts from the last accepted advert with the new skew).
 * - A master answers a lower advert (or an equal one from a lower address) with an
 *   advert at once (unless lower_prio_no_advert) and GARPs; a priority-0 advert
 *   with an advert at once. Both restart the advert timer.
 * - Leaving FAULT goes to BACKUP with a full Master_Down_Interval (owners too).
 *
 * Times are uint64_t µs on the monotonic clock; intervals on the wire are
 * centiseconds (v3) or seconds (v2: the caller passes seconds * 100).
 *
 * Both structs are plain data the caller fills: vrrp_fsm_conf from the config
 * (replaced by a reload, which then steps VRRP_EV_RECONF), vrrp_fsm from
 * vrrp_fsm_init() and then only through vrrp_fsm_step().
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
	VRRP_EV_FAULT,		/* the instance's fault count went 0 -> 1 (the caller counts) */
	VRRP_EV_FAULT_CLEAR,	/* the fault count went back to 0 */
	VRRP_EV_PRIO,		/* effective priority changed: new_prio (see vrrp_fsm_eff_prio) */
	VRRP_EV_STOP,		/* shutdown (SIGTERM, or the instance removed by a reload) */
	VRRP_EV_RECONF,		/* a reload replaced cfg (in place): the interval that is ours
				 * (a master's, any in v2) follows it; no action, no state change */
	/* vrrp_sync_group (vrrp_sync.c): a member follows its group */
	VRRP_EV_SYNC_MASTER,	/* BACKUP -> MASTER at once (a sibling became master); no
				 * SEND_ADVERT: the group sent it before (vrrp_inst_queue_advert) */
	VRRP_EV_SYNC_BACKUP,	/* MASTER -> BACKUP without a priority 0 advert (a sibling left) */
	/* routes: a tracked virtual route or rule of a master was deleted by someone else */
	VRRP_EV_RESIGN,		/* MASTER -> BACKUP with a priority 0 advert, its addresses removed,
				 * the master-down timer at Skew_Time only: it takes over again at
				 * once unless another router does (keepalived's set_vrrp_backup) */
	VRRP_EV__COUNT
};
const char *vrrp_ev_str(enum vrrp_ev ev);

struct vrrp_fsm_conf {
	uint8_t priority;		/* base priority 1..255; 255 = address owner */
	uint8_t version;		/* 2 or 3 */
	uint16_t adver_int_cs;		/* our advert interval, cs (v2: whole seconds * 100) */
	bool init_master;		/* "state MASTER" (forces preempt, as keepalived does) */
	bool preempt;			/* false with nopreempt */
	uint64_t preempt_delay_us;	/* 0 = none; counted from the first lower advert */
	uint8_t down_timer_adverts;	/* adverts missed before master-down; 3 (RFC), 0 means 3 */
	bool lower_prio_no_advert;	/* master does not answer a lower-priority advert */
	bool higher_prio_send_advert;	/* master sends one advert before yielding to a higher one */
	bool owner_ignore_adverts;	/* an owner master (255) ignores adverts (newer upstream:
					 * keepalived 2.2.7 rejects the keyword) */
	bool has_notify_rx_lower;	/* notify_master_rx_lower_pri is set: NOTIFY_RX_LOWER wanted */
};

struct vrrp_fsm {
	enum vrrp_state state;
	uint8_t eff_prio;		/* effective priority now (starts as conf priority) */
	uint16_t master_adver_int_cs;	/* v3: learned from the master's adverts; ours when master */
	bool in_fault;			/* a fault is active (FAULT state, or pending before START) */
	uint64_t preempt_until_us;	/* preempt_delay deadline; 0 = not started since BACKUP */
	uint64_t down_armed_us;		/* when the master-down timer was last armed */
	bool down_skew_only;		/* ... and it was for Skew_Time only (priority 0 seen) */
};

/*
 * Why the step did what it did: the caller prints keepalived's line from it.
 * The texts are keepalived 2.2.7's, as it logs them (VI_1 = instance name, X = the
 * advert's source, P = in->peer_prio, O = st->eff_prio after the step).
 * A state change is also logged "(VI_1) Entering BACKUP|MASTER|FAULT STATE",
 * after the why line, except where noted.
 */
enum vrrp_why {
	VRRP_WHY_NONE,			/* nothing to say (event ignored in this state) */
	VRRP_WHY_INIT,			/* START -> BACKUP: "(VI_1) Entering BACKUP STATE (init)" instead
					 * of the usual state line (after "(VI_1) removing VIPs.") */
	VRRP_WHY_INIT_FAULT,		/* START with a fault pending -> FAULT: "(VI_1) entering FAULT
					 * state" (lower case) instead of the usual state line */
	VRRP_WHY_OWNER,			/* START as owner with state MASTER -> MASTER at once: keepalived
					 * logs "(VI_1) Receive advertisement timeout" here too */
	VRRP_WHY_DOWN_TIMEOUT,		/* BACKUP -> MASTER: "(VI_1) Receive advertisement timeout" */
	VRRP_WHY_RX_ACCEPT,		/* backup: advert accepted, down timer re-armed (silent) */
	VRRP_WHY_RX_LOWER_DISCARD,	/* backup: "(VI_1) received lower priority (P) advert from X
					 * - discarding" */
	VRRP_WHY_RX_PREEMPT_DELAY_START,/* backup: first lower advert with preempt_delay: accepted;
					 * "(VI_1) start preempt delay (%f)" with preempt_delay_us/1e6
					 * printed as %f, e.g. "(8.000000)" */
	VRRP_WHY_RX_PREEMPT_WAIT,	/* backup: lower advert accepted while preempt_delay runs (silent) */
	VRRP_WHY_RX_PRIO0_BACKUP,	/* backup: "(VI_1) Backup received priority 0 advertisement" */
	VRRP_WHY_RX_PRIO0_MASTER,	/* master: "(VI_1) Master received priority 0 message" */
	VRRP_WHY_RX_HIGHER,		/* MASTER -> BACKUP: "(VI_1) Master received advert from X with
					 * higher priority P, ours O" */
	VRRP_WHY_RX_EQUAL_HIGHER_ADDR,	/* MASTER -> BACKUP: "(VI_1) Master received advert from X with
					 * same priority P but higher IP address than ours" */
	VRRP_WHY_RX_OWNER_CONFLICT,	/* owner master got priority 255: eff_prio is now 254 and it goes
					 * BACKUP: "(VI_1) CONFIGURATION ERROR: local instance and a remote
					 * instance are both configured as address owner, please fix -
					 * reducing local priority", then the RX_HIGHER line (ours 254) */
	VRRP_WHY_RX_LOWER_MASTER,	/* master stays: "(VI_1) Received advert from X with lower
					 * priority P, ours O, forcing new election"; with
					 * lower_prio_no_advert the same without ", forcing new election".
					 * Also for an equal priority from a lower address. */
	VRRP_WHY_RX_OWNER_IGNORE,	/* owner master with owner_ignore_adverts: ignored (silent) */
	VRRP_WHY_SEND,			/* master: advert timer, send and re-arm (silent) */
	VRRP_WHY_FAULT,			/* -> FAULT ("Entering FAULT STATE"; from MASTER then "(VI_1)
					 * sent 0 priority" and "(VI_1) removing VIPs."; keepalived puts
					 * two priority-0 adverts on the wire there, one on shutdown) */
	VRRP_WHY_FAULT_CLEAR,		/* FAULT -> BACKUP ("Entering BACKUP STATE") */
	VRRP_WHY_PRIO,			/* eff_prio changed: "(VI_1) Changing effective priority from
					 * old_prio to O" */
	VRRP_WHY_STOP,			/* -> STOP: no state line; from MASTER "(VI_1) sent 0 priority",
					 * "(VI_1) removing VIPs." */
	VRRP_WHY_SYNC,			/* SYNC_MASTER / SYNC_BACKUP: the group's line instead
					 * ("VRRP_Group(G) Syncing instances to ... state", vrrp_sync.c) */
	VRRP_WHY_RESIGN,		/* MASTER -> BACKUP on VRRP_EV_RESIGN: "Entering BACKUP STATE",
					 * then "(VI_1) sent 0 priority", "(VI_1) removing VIPs." */
	VRRP_WHY_RESUME,		/* START with resume_master -> MASTER at once, no notify */
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
	/* VRRP_EV_START: a respawn after a crash resumes MASTER (vrrp_resume.c) */
	bool resume_master;
};

struct vrrp_fsm_out {
	uint32_t acts;			/* enum vrrp_act bits */
	enum vrrp_state prev;		/* state before the step */
	enum vrrp_state state;		/* state after it (== st->state) */
	enum vrrp_why why;
	uint64_t adver_us;		/* with ARM_ADVER */
	uint64_t down_us;		/* with ARM_DOWN (0: at once) */
	uint8_t old_prio;		/* eff_prio before the step */
	/*
	 * Nonzero when master_adver_int_cs changed in this step: its old value. v3 only:
	 * a backup learning the master's: "(VI_1) advertisement interval updated from
	 * OLDms to NEWms by master" (logged after the RX_HIGHER line, before "Entering
	 * BACKUP STATE"); on becoming master: "(VI_1) changing advert interval from OLDms
	 * to locally configured NEWms" (after "Entering MASTER STATE").
	 */
	uint16_t old_adver_int_cs;
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
