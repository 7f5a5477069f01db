/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/vrrp/vrrp_inst.h: one VRRP instance at run time: its socket, timers, VIPs and FSM. */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include <net/if.h>

#include "core/global_defs.h"
#include "core/reflector.h"
#include "process.h"
#include "utils.h"
#include "vrrp_arp.h"
#include "vrrp_auth.h"
#include "vrrp_conf.h"
#include "vrrp_conflict.h"
#include "vrrp_fsm.h"
#include "vrrp_ipaddr.h"
#include "vrrp_nft.h"
#include "vrrp_pkt.h"
#include "vrrp_vipq.h"

struct sched;
struct reflector;
struct nl_tx;
struct vrrp_sock;
struct vrrp_sock_batch;
struct vrrp_ctx;
struct vrrp_rx_log;
struct vrrp_eff;
struct vrrp_sync;

/*
 * One vrrp_instance at run time. conf is borrowed from the loaded config and
 * replaced on reload; everything else is owned here. The FSM (vrrp_fsm.c) decides,
 * vrrp_inst.c carries its actions out: adverts, VIPs (through the context's VIP
 * operation queue), GARP/NA, timers, notify scripts, and keepalived's log lines.
 */
struct vrrp_inst {
	const struct vc_instance *conf;	/* borrowed: the config tree owns it */
	struct vrrp_ctx *ctx;
	const char *name;		/* conf->id.name */
	const char *ifname;		/* conf->interface, or "" */
	int ifindex;			/* 0: the interface is missing */
	int weight_sum;			/* tracking: the weights in effect */
	unsigned n_faults;		/* tracking: tracked objects in fault */
	uint16_t ip_id;			/* IPv4 identification of the last advert */
	uint8_t family;			/* AF_INET or AF_INET6 */
	uint8_t version;		/* effective (struct vrrp_eff) */
	bool has_src;
	bool no_src;			/* a fault: the interface has no address to send from */
	bool joined;			/* holds a membership of its group on ent's socket */
	bool timer_is_down;		/* ev_timer is the master-down timer, else the advert timer */
	bool vips_set;			/* we have asked for them to be added (not removed since) */
	bool fault_scripts_only;	/* the only faults are scripts with no result yet */
	bool skip_check_adv_addr;	/* effective (struct vrrp_eff) */
	bool vmac_xmit_base;		/* VMAC: adverts on the base interface (a byte hole here) */
	struct vrrp_fsm_conf fc;	/* effective (struct vrrp_eff) */
	struct vrrp_fsm fsm;
	/* a master runs the advert timer, the others the master-down one: never both */
	struct sched_ev *ev_timer;
	struct vrrp_sock_ent *ent;	/* borrowed from ctx: the socket and its VRID table */
	struct vrrp_auth *auth;		/* NULL: none */
	struct vrrp_ah_seq ah_seq;
	struct inet_addr src;		/* advert source: primary address, or *_src_ip */
	unsigned n_vip_addrs;
	unsigned n_all_vips;
	unsigned n_garp_addrs;
	uint32_t dump_n_released_master;	/* dumps: "Released master": MASTER -> BACKUP/FAULT */
	/* one block (garp_addrs owns it): */
	struct garp_addr *garp_addrs;
	struct vrrp_ipaddr *all_vips;	/* vips + excluded: what goes into the kernel */
	/* and after all_vips, vrrp_vip_addrs(): the advertised ones (the instance's family) */
	struct vrrp_vipq_slot vq;	/* all_vips' slot in the context's VIP operation queue */
	struct garp *garp;
	struct process_cmd **notify_cmd;	/* VC_NOTIFY__COUNT of them, or NULL: none at all */
	/* stats */
	uint64_t n_adverts_rx, n_adverts_tx;
	uint32_t n_became_master, n_prio0_rx, n_prio0_tx;
	uint32_t n_transitions;		/* metrics: every change of state (INIT -> BACKUP too) */
	uint64_t *n_drop;		/* VRRP_DROP__COUNT, from the first drop; NULL: none yet */
	struct vrrp_rx_log *rx_log;	/* vrrp_rx.c's log limiters, from the first drop logged */
	/* notify FIFOs and SMTP alerts (vrrp_notify.c) */
	uint8_t last_mail_state;	/* enum vrrp_state last mailed; INIT: none yet */
	/*
	 * The one-byte fields of the features below, together (after each of them alone the
	 * compiler left 7 bytes of padding: 1,000 instances are 1,000 of these structs)
	 */
	bool sync_want_master;		/* sync group: its master-down timer fired: it waits */
	bool firewall;			/* accept mode off: effective (struct vrrp_eff) */
	bool config_fault;		/* a setting it cannot run with (strict and unicast): FAULT */
	bool misc_src_missing;		/* track_src_ip: the configured source is not there */
	bool conflict_listed;		/* conflict: its VIPs are in the conflict sockets' tables */
	bool st_has_master;		/* status: st_master heard since it entered its state */
	uint8_t st_master_prio;		/* status: st_master's priority ("Master priority") */
	/* vrrp_sync_group (vrrp_sync.c) */
	struct vrrp_sync *sync;		/* its group; NULL: none */
	/* VMAC (vrrp_vmac.c): ifname is the VMAC's, vmac_base the configured interface */
	const char *vmac_base;		/* NULL: no VMAC */
	char vmac_ifname[IFNAMSIZ];	/* ifname points here */
	struct sched_ev *vmac_ev;	/* deleted by someone else: made again */
	/* accept mode off (vrrp_fw.c): its addresses dropped while it holds them */
	struct vrrp_nft_hold fw_hold;	/* what it has in the drop sets */
	/* routes: virtual_routes/virtual_rules at run time (vrrp_static.h); NULL: none */
	struct vrrp_rtset *rtset;
	/* misc (issue 14 item 8); its two flags are at the end */
	struct vrrp_misc_inst *misc;	/* garp_extra_if's schedule (vrrp_misc.c) */
	/* conflict (issue 15 items 4, 5): VIP conflicts, split brain, failover time (vrrp_conflict.h) */
	struct vrrp_conflict_inst *cfl;	/* from its first conflict or takeover; NULL: none yet */
	uint64_t fo_heard_us;		/* the last advert heard in BACKUP (from st_master); 0: none */
	/* dumps (issue 15 item 1): what keepalived 2.2.7's data, stats and JSON dumps show */
	/* (the last transition: st_since_us; the master it hears: st_master, st_master_prio) */
	/* live status (issue 15, vrrp_status.c): time in state, the master it hears */
	uint64_t st_since_us;		/* when it entered its state (vrrp_now_us); 0: not started */
	struct inet_addr st_master;	/* backup: the sender of the last advert it took as master's
					 * (st_has_master, st_master_prio with the bytes above) */
	/* misc (issue 14 item 8), here where the struct's tail padding was */
	bool misc_owner_start;		/* an address owner waiting for the delayed start */
	bool misc_old_csum;		/* switched to the old unicast checksum by an advert */
	bool resume_master;		/* a respawn after a crash: starts in MASTER (vrrp_resume.c) */
};

static inline const struct inet_addr *vrrp_vip_addrs(const struct vrrp_inst *vi)
{
	return (const struct inet_addr *)(vi->all_vips + vi->n_all_vips);
}

/* Counts a dropped advert in vi's name (vrrp_rx.c). */
void vrrp_inst_count_drop(struct vrrp_inst *vi, enum vrrp_drop why);
/* Frees vi->rx_log, logging the lines it still holds back (vrrp_rx.c). */
void vrrp_rx_log_free(struct vrrp_inst *vi);

/*
 * The kinds of line that an advert which passed every check can make an instance log,
 * again and again: a neighbour flooding valid adverts. Each is limited per instance
 * like a drop reason's line (vrrp_rx.c), with the same "N similar log lines
 * suppressed (...)" count. A state change's own lines ("Entering MASTER STATE",
 * "setting VIPs." ...) are never limited.
 */
enum vrrp_rx_line {
	VRRP_LINE_LOWER_DISCARD,	/* backup: "received lower priority (P) advert from X - discarding" */
	VRRP_LINE_PREEMPT_DELAY,	/* backup: "start preempt delay (D)" */
	VRRP_LINE_PRIO0_BACKUP,		/* "Backup received priority 0 advertisement" */
	VRRP_LINE_PRIO0_MASTER,		/* "Master received priority 0 message" */
	VRRP_LINE_HIGHER,		/* "Master received advert from X with higher priority P, ours O"
					 * (after an owner conflict's "CONFIGURATION ERROR: ..." line) */
	VRRP_LINE_EQUAL_HIGHER_ADDR,	/* "... with same priority P but higher IP address than ours" */
	VRRP_LINE_LOWER_MASTER,		/* "Received advert from X with lower priority P, ours O[, forcing
					 * new election]" */
	VRRP_LINE_ADVER_INT,		/* backup: "advertisement interval updated from A to B by master" */
	VRRP_LINE_AH_SYNC,		/* "IPSEC-AH : Syncing seq_num - Increment seq" */
	VRRP_LINE_SEND_ERR,		/* "(VI_1): send advert error E (...)": each answer to an advert */
	VRRP_LINE_GARP_LOWER,		/* the GARP/NA lines of a lower-priority advert's set (-D) */
	VRRP_LINE__COUNT
};
/* Whether vi may log a line of that kind now (a window that ended first logs its count). */
bool vrrp_rx_log_pass(struct vrrp_inst *vi, enum vrrp_rx_line kind);
/* Where vi's multicast adverts go: mcast_dst_ip, else global_defs' group (vrrp_inst.c). */
struct inet_addr vrrp_inst_group(const struct vrrp_inst *vi);

/*
 * vrrp_cmd.c: every configured command (vrrp_script, notify*) made ready to run, the same
 * way for the child and for -t: who runs it, split, checked (script security), counted.
 */
struct vrrp_cmd_env {
	bool security;			/* enable_script_security */
	bool have_user;			/* uid/gid resolved (lazily: keepalived says nothing without scripts) */
	bool no_default;		/* script_user unknown, or keepalived_script under
					 * enable_script_security: no default user at all */
	uid_t uid;			/* script_user, keepalived_script, or the daemon's own */
	gid_t gid;
	const struct global_defs *gd;
	unsigned n_cmds, n_insecure;	/* for the SECURITY VIOLATION summary */
};
/*
 * The prepared command (check its state), or NULL: NULL cmdline, it does not split, or
 * no user to run it as - its own user/group (user, group) is unknown, or it has none
 * and there is no default user. It never runs as root in place of a user that could not
 * be resolved. Logs keepalived's lines; script_name: the vrrp_script's name, or NULL
 * for a notify script:
 *   Invalid user/group for notify script <argv0> - ignoring
 *   Failed to set default user for notify script <argv0> - ignoring
 *   Unable to set uid/gid for script '<word>' '<word>' ...
 *   Unable to set default user for vrrp script <name> - removing
 */
struct process_cmd *vrrp_cmd_prepare(struct vrrp_cmd_env *env, const char *cmdline,
				     const char *user, const char *group, const char *script_name);
/*
 * vi's notify commands prepared afresh with ctx->cmds (the current script_user and
 * enable_script_security): at creation, and for every instance a reload keeps.
 */
void vrrp_cmd_prepare_notify(struct vrrp_inst *vi);
void vrrp_cmd_free_notify(struct vrrp_inst *vi);

/* Makes vi from c (socket, source address, VIPs, GARP, notify commands); not started yet. */
struct vrrp_inst *vrrp_inst_new(struct vrrp_ctx *ctx, const struct vc_instance *c);
/* NULL is fine. A VIP operation it started carries on (the context's stop waits for it). */
void vrrp_inst_free(struct vrrp_inst *vi);
/* Leaves the protocol (priority 0 if master, VIPs removed, notify_stop), then frees itself. */
void vrrp_inst_retire(struct vrrp_inst *vi);
void vrrp_inst_begin(struct vrrp_inst *vi);	/* trackers evaluated, then START */
/*
 * A reload kept vi (same name and identity): it borrows from c now, and what differs
 * between old and eff (computed from its old and its new block) applies in place:
 * priority, intervals, GARP settings, authentication, multicast group, source, peers,
 * notify scripts, VIPs one by one: those gone are removed now. True when it holds VIPs
 * and some are new: vrrp_inst_set_new_vips() once every kept instance has had its
 * removals queued (a VIP moved from one instance to another then ends up set). The
 * trackers are the caller's to re-evaluate.
 */
bool vrrp_inst_reconf(struct vrrp_inst *vi, const struct vc_instance *c,
		      const struct vrrp_eff *old, const struct vrrp_eff *eff);
void vrrp_inst_set_new_vips(struct vrrp_inst *vi);
void vrrp_inst_feed(struct vrrp_inst *vi, const struct vrrp_fsm_in *in);
/* vrrp_sync.c: queue one advert with vi's effective priority (vrrp_sock_flush() sends it). */
void vrrp_inst_queue_advert(struct vrrp_inst *vi);
/* The same for an advert from `from` (for the log lines). */
void vrrp_inst_feed_from(struct vrrp_inst *vi, const struct vrrp_fsm_in *in,
			 const struct inet_addr *from);
/* Interface and address events (the reflector's), for each instance. */
void vrrp_inst_link_event(struct vrrp_inst *vi, const struct reflector_if *ifp,
			  enum reflector_link_ev ev);
void vrrp_inst_addr_event(struct vrrp_inst *vi, const struct reflector_if *ifp,
			  const struct reflector_addr *ra, bool added);
/* The VIP queue's view of an instance's slot: its name and all_vips (vrrp_vipq_set_fn). */
void vrrp_inst_vips_of(const struct vrrp_vipq_slot *sl, const char **name,
		       const struct vrrp_ipaddr **addrs, unsigned *n);
/* An advert that could not be sent; cookie: its instance (the socket batch's tx_err_cb). */
void vrrp_inst_send_err_cb(void *cookie, const struct inet_addr *dst, int err);
/* vrrp_rx.c: every packet a shared socket reads (arg: its struct vrrp_sock_ent). */
void vrrp_inst_rx_cb(void *arg, struct vrrp_sock *vs, const struct vrrp_advert *ad,
		     enum vrrp_drop why);
uint64_t vrrp_now_us(const struct vrrp_inst *vi);
