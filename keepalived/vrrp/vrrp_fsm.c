// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/vrrp/vrrp_fsm.c: the VRRP state machine as a step function (RFC 5798 §6.4). */
#include <stdbool.h>
#include <stdint.h>

#include "vrrp_fsm.h"

#define PRIO_OWNER	255
#define US_PER_CS	10000u
#define US_PER_S	1000000u

static const char *const state_names[VRRP_STATE__COUNT] = {
	[VRRP_STATE_INIT] = "INIT",
	[VRRP_STATE_BACKUP] = "BACKUP",
	[VRRP_STATE_MASTER] = "MASTER",
	[VRRP_STATE_FAULT] = "FAULT",
	[VRRP_STATE_STOP] = "STOP",
};

static const char *const ev_names[VRRP_EV__COUNT] = {
	[VRRP_EV_START] = "start",
	[VRRP_EV_ADVERT] = "advert",
	[VRRP_EV_MASTER_DOWN] = "master-down timer",
	[VRRP_EV_ADVER_TIMER] = "advert timer",
	[VRRP_EV_FAULT] = "fault",
	[VRRP_EV_FAULT_CLEAR] = "fault cleared",
	[VRRP_EV_PRIO] = "priority changed",
	[VRRP_EV_STOP] = "stop",
	[VRRP_EV_RECONF] = "reconfigured",
	[VRRP_EV_SYNC_MASTER] = "sync group to master",
	[VRRP_EV_SYNC_BACKUP] = "sync group to backup",
	[VRRP_EV_RESIGN] = "resign",
};

static const char *const why_names[VRRP_WHY__COUNT] = {
	[VRRP_WHY_NONE] = "none",
	[VRRP_WHY_INIT] = "init",
	[VRRP_WHY_INIT_FAULT] = "init in fault",
	[VRRP_WHY_OWNER] = "address owner",
	[VRRP_WHY_DOWN_TIMEOUT] = "advertisement timeout",
	[VRRP_WHY_RX_ACCEPT] = "advert accepted",
	[VRRP_WHY_RX_LOWER_DISCARD] = "lower priority advert discarded",
	[VRRP_WHY_RX_PREEMPT_DELAY_START] = "preempt delay started",
	[VRRP_WHY_RX_PREEMPT_WAIT] = "lower priority advert accepted during preempt delay",
	[VRRP_WHY_RX_PRIO0_BACKUP] = "backup received priority 0",
	[VRRP_WHY_RX_PRIO0_MASTER] = "master received priority 0",
	[VRRP_WHY_RX_HIGHER] = "master received higher priority",
	[VRRP_WHY_RX_EQUAL_HIGHER_ADDR] = "master received same priority, higher address",
	[VRRP_WHY_RX_OWNER_CONFLICT] = "two address owners",
	[VRRP_WHY_RX_LOWER_MASTER] = "master received lower priority",
	[VRRP_WHY_RX_OWNER_IGNORE] = "owner ignores adverts",
	[VRRP_WHY_SEND] = "advert sent",
	[VRRP_WHY_FAULT] = "fault",
	[VRRP_WHY_FAULT_CLEAR] = "fault cleared",
	[VRRP_WHY_PRIO] = "priority changed",
	[VRRP_WHY_STOP] = "stop",
	[VRRP_WHY_SYNC] = "sync group",
	[VRRP_WHY_RESIGN] = "resigned",
	[VRRP_WHY_RESUME] = "resumed after a restart",
};

const char *vrrp_state_str(enum vrrp_state s)
{
	return (unsigned)s < VRRP_STATE__COUNT ? state_names[s] : "UNKNOWN";
}

const char *vrrp_ev_str(enum vrrp_ev ev)
{
	return (unsigned)ev < VRRP_EV__COUNT ? ev_names[ev] : "unknown";
}

const char *vrrp_why_str(enum vrrp_why why)
{
	return (unsigned)why < VRRP_WHY__COUNT ? why_names[why] : "unknown";
}

uint8_t vrrp_fsm_eff_prio(uint8_t base, int weight_sum)
{
	int64_t p = (int64_t)base + weight_sum;

	/* keepalived ignores weighted trackers of an owner, and never lets weights make one */
	if (base == PRIO_OWNER)
		return PRIO_OWNER;
	if (p < 1)
		return 1;
	if (p > PRIO_OWNER - 1)
		return PRIO_OWNER - 1;
	return (uint8_t)p;
}

/*
 * RFC 3768 §6.1: (256 - Priority) / 256 seconds; RFC 5798 §6.1:
 * ((256 - Priority) * Master_Adver_Interval) / 256. keepalived works in µs and
 * truncates there, not in centiseconds: priority 100 at 100 cs gives 609375 µs,
 * not 60 cs (measured against it: a backup takes over 0.612 s after a priority-0 advert).
 */
uint64_t vrrp_fsm_skew_us(uint8_t version, uint8_t prio, uint16_t master_adver_int_cs)
{
	uint64_t unit = version == 3 ? (uint64_t)master_adver_int_cs * US_PER_CS : US_PER_S;

	return (256 - (uint64_t)prio) * unit / 256;
}

uint64_t vrrp_fsm_down_us(uint8_t version, uint8_t prio, uint16_t master_adver_int_cs,
			  uint8_t n_adverts)
{
	uint64_t n = n_adverts ? n_adverts : 3;

	return n * master_adver_int_cs * US_PER_CS +
	       vrrp_fsm_skew_us(version, prio, master_adver_int_cs);
}

void vrrp_fsm_init(const struct vrrp_fsm_conf *cfg, struct vrrp_fsm *st)
{
	*st = (struct vrrp_fsm){
		.state = VRRP_STATE_INIT,
		.eff_prio = cfg->priority,
		.master_adver_int_cs = cfg->adver_int_cs,
	};
}

/* keepalived clears nopreempt when the initial state is MASTER ("will not work ... - clearing"). */
static bool preempting(const struct vrrp_fsm_conf *cfg)
{
	return cfg->preempt || cfg->init_master;
}

static uint64_t down_total_us(const struct vrrp_fsm_conf *cfg, const struct vrrp_fsm *st,
			      bool skew_only)
{
	if (skew_only)
		return vrrp_fsm_skew_us(cfg->version, st->eff_prio, st->master_adver_int_cs);
	return vrrp_fsm_down_us(cfg->version, st->eff_prio, st->master_adver_int_cs,
				cfg->down_timer_adverts);
}

static void arm_down(const struct vrrp_fsm_conf *cfg, struct vrrp_fsm *st, uint64_t now_us,
		     bool skew_only, struct vrrp_fsm_out *out)
{
	st->down_armed_us = now_us;
	st->down_skew_only = skew_only;
	out->acts |= VRRP_ACT_ARM_DOWN;
	out->down_us = down_total_us(cfg, st, skew_only);
}

static void set_adver_int(struct vrrp_fsm *st, uint16_t cs, struct vrrp_fsm_out *out)
{
	if (st->master_adver_int_cs == cs)
		return;
	if (!out->old_adver_int_cs)
		out->old_adver_int_cs = st->master_adver_int_cs;
	st->master_adver_int_cs = cs;
}

/* RFC 5798 §6.4.2: a v3 backup takes Master_Adver_Interval from the master's advert. */
static void learn_adver_int(const struct vrrp_fsm_conf *cfg, struct vrrp_fsm *st,
			    const struct vrrp_fsm_in *in, struct vrrp_fsm_out *out)
{
	if (cfg->version == 3 && in->peer_adver_int_cs)
		set_adver_int(st, in->peer_adver_int_cs, out);
}

static void become_backup(const struct vrrp_fsm_conf *cfg, struct vrrp_fsm *st, uint64_t now_us,
			  struct vrrp_fsm_out *out)
{
	st->state = VRRP_STATE_BACKUP;
	st->preempt_until_us = 0;	/* preempt_delay runs again from the next lower advert */
	arm_down(cfg, st, now_us, false, out);
	out->acts |= VRRP_ACT_NOTIFY;
}

static void become_master(const struct vrrp_fsm_conf *cfg, struct vrrp_fsm *st,
			  struct vrrp_fsm_out *out)
{
	st->state = VRRP_STATE_MASTER;
	set_adver_int(st, cfg->adver_int_cs, out);
	out->acts |= VRRP_ACT_CANCEL_DOWN | VRRP_ACT_ADD_VIPS | VRRP_ACT_SEND_ADVERT |
		     VRRP_ACT_GARP_START | VRRP_ACT_ARM_ADVER | VRRP_ACT_NOTIFY;
	out->adver_us = (uint64_t)cfg->adver_int_cs * US_PER_CS;
}

static void leave_master(struct vrrp_fsm_out *out)
{
	out->acts |= VRRP_ACT_CANCEL_ADVER | VRRP_ACT_GARP_STOP | VRRP_ACT_DEL_VIPS;
}

static void send_now(const struct vrrp_fsm_conf *cfg, struct vrrp_fsm_out *out)
{
	out->acts |= VRRP_ACT_SEND_ADVERT | VRRP_ACT_ARM_ADVER;
	out->adver_us = (uint64_t)cfg->adver_int_cs * US_PER_CS;
}

/* The effective priority changed; in BACKUP the master-down deadline moves with the skew. */
static void set_prio(const struct vrrp_fsm_conf *cfg, struct vrrp_fsm *st,
		     const struct vrrp_fsm_in *in, struct vrrp_fsm_out *out)
{
	uint64_t deadline;

	if (in->new_prio == st->eff_prio)
		return;
	st->eff_prio = in->new_prio;
	out->why = VRRP_WHY_PRIO;
	if (st->state != VRRP_STATE_BACKUP)
		return;
	deadline = st->down_armed_us + down_total_us(cfg, st, st->down_skew_only);
	out->acts |= VRRP_ACT_ARM_DOWN;
	out->down_us = deadline > in->now_us ? deadline - in->now_us : 0;
}

static void step_init(const struct vrrp_fsm_conf *cfg, struct vrrp_fsm *st,
		      const struct vrrp_fsm_in *in, struct vrrp_fsm_out *out)
{
	switch (in->ev) {
	case VRRP_EV_START:
		/* keepalived removes leftover VIPs first, whatever comes next */
		out->acts |= VRRP_ACT_DEL_VIPS;
		if (st->in_fault) {
			st->state = VRRP_STATE_FAULT;
			out->acts |= VRRP_ACT_NOTIFY;
			out->why = VRRP_WHY_INIT_FAULT;
		} else if (in->resume_master) {
			/* the VIPs are still set: nothing changes for the world, no notify */
			become_master(cfg, st, out);
			out->acts &= ~(uint32_t)VRRP_ACT_NOTIFY;
			out->why = VRRP_WHY_RESUME;
		} else if (cfg->init_master && st->eff_prio == PRIO_OWNER) {
			become_master(cfg, st, out);
			out->why = VRRP_WHY_OWNER;
		} else {
			/* "state MASTER" below 255 waits Master_Down_Interval like BACKUP */
			become_backup(cfg, st, in->now_us, out);
			out->why = VRRP_WHY_INIT;
		}
		break;
	case VRRP_EV_FAULT:
		st->in_fault = true;
		break;
	case VRRP_EV_FAULT_CLEAR:
		st->in_fault = false;
		break;
	case VRRP_EV_PRIO:
		set_prio(cfg, st, in, out);
		break;
	case VRRP_EV_STOP:
		/* never started: nothing to release, nothing to notify */
		st->state = VRRP_STATE_STOP;
		out->why = VRRP_WHY_STOP;
		break;
	default:
		break;
	}
}

/* RFC 5798 §6.4.2 with keepalived's preempt_delay. */
static void backup_rx(const struct vrrp_fsm_conf *cfg, struct vrrp_fsm *st,
		      const struct vrrp_fsm_in *in, struct vrrp_fsm_out *out)
{
	if (in->peer_prio == 0) {
		/* the master is leaving: take over after Skew_Time only */
		arm_down(cfg, st, in->now_us, true, out);
		out->why = VRRP_WHY_RX_PRIO0_BACKUP;
		return;
	}
	if (!preempting(cfg) || in->peer_prio >= st->eff_prio) {
		/* an equal priority is accepted whatever the address (RFC; keepalived alike) */
		out->why = VRRP_WHY_RX_ACCEPT;
	} else if (!cfg->preempt_delay_us) {
		out->why = VRRP_WHY_RX_LOWER_DISCARD;
		return;
	} else if (!st->preempt_until_us) {
		st->preempt_until_us = in->now_us + cfg->preempt_delay_us;
		out->why = VRRP_WHY_RX_PREEMPT_DELAY_START;
	} else if (in->now_us < st->preempt_until_us) {
		out->why = VRRP_WHY_RX_PREEMPT_WAIT;
	} else {
		out->why = VRRP_WHY_RX_LOWER_DISCARD;
		return;
	}
	learn_adver_int(cfg, st, in, out);
	arm_down(cfg, st, in->now_us, false, out);
}

static void step_backup(const struct vrrp_fsm_conf *cfg, struct vrrp_fsm *st,
			const struct vrrp_fsm_in *in, struct vrrp_fsm_out *out)
{
	switch (in->ev) {
	case VRRP_EV_ADVERT:
		backup_rx(cfg, st, in, out);
		break;
	case VRRP_EV_MASTER_DOWN:
		become_master(cfg, st, out);
		out->why = VRRP_WHY_DOWN_TIMEOUT;
		break;
	case VRRP_EV_SYNC_MASTER:
		/* the group has sent every member's first advert at once (vrrp_sync.c) */
		become_master(cfg, st, out);
		out->acts &= ~VRRP_ACT_SEND_ADVERT;
		out->why = VRRP_WHY_SYNC;
		break;
	case VRRP_EV_FAULT:
		st->in_fault = true;
		st->state = VRRP_STATE_FAULT;
		out->acts |= VRRP_ACT_CANCEL_DOWN | VRRP_ACT_NOTIFY;
		out->why = VRRP_WHY_FAULT;
		break;
	case VRRP_EV_PRIO:
		set_prio(cfg, st, in, out);
		break;
	case VRRP_EV_STOP:
		st->state = VRRP_STATE_STOP;
		out->acts |= VRRP_ACT_CANCEL_DOWN | VRRP_ACT_NOTIFY;
		out->why = VRRP_WHY_STOP;
		break;
	default:
		break;
	}
}

/* RFC 5798 §6.4.3 with keepalived's owner conflict, lower_prio_no_advert and GARPs. */
static void master_rx(const struct vrrp_fsm_conf *cfg, struct vrrp_fsm *st,
		      const struct vrrp_fsm_in *in, struct vrrp_fsm_out *out)
{
	enum vrrp_why why;

	if (cfg->owner_ignore_adverts && st->eff_prio == PRIO_OWNER) {
		out->why = VRRP_WHY_RX_OWNER_IGNORE;
		return;
	}
	if (in->peer_prio == 0) {
		send_now(cfg, out);
		out->why = VRRP_WHY_RX_PRIO0_MASTER;
		return;
	}
	if (in->peer_prio == PRIO_OWNER && st->eff_prio == PRIO_OWNER) {
		/* two owners: keepalived steps down to 254 for good and yields */
		st->eff_prio = PRIO_OWNER - 1;
		why = VRRP_WHY_RX_OWNER_CONFLICT;
	} else if (in->peer_prio > st->eff_prio) {
		why = VRRP_WHY_RX_HIGHER;
	} else if (in->peer_prio == st->eff_prio && in->peer_addr_greater) {
		why = VRRP_WHY_RX_EQUAL_HIGHER_ADDR;
	} else {
		/* lower, or equal from a lower address: we stay and tell the others at once */
		if (!cfg->lower_prio_no_advert)
			send_now(cfg, out);
		out->acts |= VRRP_ACT_GARP_LOWER;
		if (cfg->has_notify_rx_lower)
			out->acts |= VRRP_ACT_NOTIFY_RX_LOWER;
		out->why = VRRP_WHY_RX_LOWER_MASTER;
		return;
	}
	if (cfg->higher_prio_send_advert)
		out->acts |= VRRP_ACT_SEND_ADVERT;
	leave_master(out);
	learn_adver_int(cfg, st, in, out);
	become_backup(cfg, st, in->now_us, out);
	out->why = why;
}

static void step_master(const struct vrrp_fsm_conf *cfg, struct vrrp_fsm *st,
			const struct vrrp_fsm_in *in, struct vrrp_fsm_out *out)
{
	switch (in->ev) {
	case VRRP_EV_ADVER_TIMER:
		send_now(cfg, out);
		out->why = VRRP_WHY_SEND;
		break;
	case VRRP_EV_ADVERT:
		master_rx(cfg, st, in, out);
		break;
	case VRRP_EV_SYNC_BACKUP:
		/* keepalived's sync group: VIPs removed, no priority 0 (the peer takes over) */
		leave_master(out);
		become_backup(cfg, st, in->now_us, out);
		out->why = VRRP_WHY_SYNC;
		break;
	case VRRP_EV_FAULT:
		st->in_fault = true;
		st->state = VRRP_STATE_FAULT;
		leave_master(out);
		out->acts |= VRRP_ACT_SEND_PRIO0 | VRRP_ACT_NOTIFY;
		out->why = VRRP_WHY_FAULT;
		break;
	case VRRP_EV_PRIO:
		/* no advert now: the next one carries the new priority (as keepalived) */
		set_prio(cfg, st, in, out);
		break;
	case VRRP_EV_STOP:
		st->state = VRRP_STATE_STOP;
		leave_master(out);
		out->acts |= VRRP_ACT_SEND_PRIO0 | VRRP_ACT_NOTIFY;
		out->why = VRRP_WHY_STOP;
		break;
	case VRRP_EV_RESIGN:
		/* as a priority 0 received: only Skew_Time before taking over again */
		leave_master(out);
		st->state = VRRP_STATE_BACKUP;
		st->preempt_until_us = 0;
		arm_down(cfg, st, in->now_us, true, out);
		out->acts |= VRRP_ACT_SEND_PRIO0 | VRRP_ACT_NOTIFY;
		out->why = VRRP_WHY_RESIGN;
		break;
	default:
		break;
	}
}

static void step_fault(const struct vrrp_fsm_conf *cfg, struct vrrp_fsm *st,
		       const struct vrrp_fsm_in *in, struct vrrp_fsm_out *out)
{
	switch (in->ev) {
	case VRRP_EV_FAULT_CLEAR:
		/* back through BACKUP with a full Master_Down_Interval, owners included */
		st->in_fault = false;
		become_backup(cfg, st, in->now_us, out);
		out->why = VRRP_WHY_FAULT_CLEAR;
		break;
	case VRRP_EV_PRIO:
		set_prio(cfg, st, in, out);
		break;
	case VRRP_EV_STOP:
		st->state = VRRP_STATE_STOP;
		out->acts |= VRRP_ACT_NOTIFY;
		out->why = VRRP_WHY_STOP;
		break;
	default:
		break;
	}
}

/*
 * A reload gave a new cfg. Master_Adver_Interval is ours where we have not learnt it
 * from a master: as master, in v2 (never learnt), and before the start. The next timer
 * armed uses the new interval; the priority comes as VRRP_EV_PRIO.
 */
static void reconf(const struct vrrp_fsm_conf *cfg, struct vrrp_fsm *st)
{
	if (st->state == VRRP_STATE_MASTER || st->state == VRRP_STATE_INIT || cfg->version == 2)
		st->master_adver_int_cs = cfg->adver_int_cs;
}

void vrrp_fsm_step(const struct vrrp_fsm_conf *cfg, struct vrrp_fsm *st,
		   const struct vrrp_fsm_in *in, struct vrrp_fsm_out *out)
{
	*out = (struct vrrp_fsm_out){ .prev = st->state, .old_prio = st->eff_prio };
	if (in->ev == VRRP_EV_RECONF && st->state != VRRP_STATE_STOP)
		reconf(cfg, st);
	switch (st->state) {
	case VRRP_STATE_INIT:
		step_init(cfg, st, in, out);
		break;
	case VRRP_STATE_BACKUP:
		step_backup(cfg, st, in, out);
		break;
	case VRRP_STATE_MASTER:
		step_master(cfg, st, in, out);
		break;
	case VRRP_STATE_FAULT:
		step_fault(cfg, st, in, out);
		break;
	default:
		break;
	}
	out->state = st->state;
}
