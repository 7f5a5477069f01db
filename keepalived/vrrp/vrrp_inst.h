/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/vrrp/vrrp_inst.h: the VRRP child's runtime: instances, their sockets, timers and VIPs. */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include <net/if.h>

#include "core/global_defs.h"
#include "process.h"
#include "utils.h"
#include "vrrp_arp.h"
#include "vrrp_auth.h"
#include "vrrp_conf.h"
#include "vrrp_fsm.h"
#include "vrrp_ipaddr.h"
#include "vrrp_pkt.h"

struct sched;
struct reflector;
struct nl_tx;
struct vrrp_sock;
struct vrrp_sock_batch;
struct vrrp_ctx;
struct vrrp_rx_log;

/*
 * One vrrp_instance at run time. conf is borrowed from the loaded config and
 * replaced on reload; everything else is owned here. The FSM (vrrp_fsm.c) decides,
 * this file carries its actions out: adverts, VIPs through netlink, GARP/NA, timers,
 * notify scripts, and keepalived's log lines.
 */
struct vrrp_inst {
	const struct vc_instance *conf;	/* borrowed: the config tree owns it */
	struct vrrp_ctx *ctx;
	const char *name;		/* conf->id.name, or its own copy (name_owned) */
	const char *ifname;		/* conf->interface, or "" */
	int ifindex;			/* 0: the interface is missing */
	int weight_sum;			/* tracking: the weights in effect */
	unsigned n_faults;		/* tracking: tracked objects in fault */
	uint16_t ip_id;			/* IPv4 identification of the last advert */
	uint8_t family;			/* AF_INET or AF_INET6 */
	uint8_t version;
	bool name_owned;		/* retired: it outlives its config, with a copy of the name */
	bool dying;			/* removed by a reload: freed once its VIPs are gone */
	bool has_src;
	bool timer_is_down;		/* ev_timer is the master-down timer, else the advert timer */
	bool op_busy, op_again_add, op_again_pending;
	bool op_waiting, op_want_add;	/* in ctx's FIFO of VIP operations waiting for room */
	bool vips_set;			/* we have added them (and not removed them since) */
	bool fault_scripts_only;	/* the only faults are scripts with no result yet */
	struct vrrp_fsm_conf fc;
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
	/* one block (garp_addrs owns it): */
	struct garp_addr *garp_addrs;
	struct vrrp_ipaddr *all_vips;	/* vips + excluded: what goes into the kernel */
	/* and after all_vips, vrrp_vip_addrs(): the advertised ones (the instance's family) */
	struct vrrp_ipaddr_op *op_vips;	/* while a netlink operation on them runs */
	struct vrrp_inst *op_wait_next;
	struct garp *garp;
	struct process_cmd **notify_cmd;	/* VC_NOTIFY__COUNT of them, or NULL: none at all */
	/* stats */
	uint64_t n_adverts_rx, n_adverts_tx;
	uint32_t n_became_master, n_prio0_rx, n_prio0_tx;
	uint64_t *n_drop;		/* VRRP_DROP__COUNT, from the first drop; NULL: none yet */
	struct vrrp_rx_log *rx_log;	/* vrrp_rx.c's log limiters, from the first drop logged */
};

static inline const struct inet_addr *vrrp_vip_addrs(const struct vrrp_inst *vi)
{
	return (const struct inet_addr *)(vi->all_vips + vi->n_all_vips);
}

/* Counts a dropped advert in vi's name (vrrp_rx.c). */
void vrrp_inst_count_drop(struct vrrp_inst *vi, enum vrrp_drop why);
/* Frees vi->rx_log, logging the lines it still holds back (vrrp_rx.c). */
void vrrp_rx_log_free(struct vrrp_inst *vi);
/* Where vi's multicast adverts go: mcast_dst_ip, else global_defs' group (vrrp_inst.c). */
struct inet_addr vrrp_inst_group(const struct vrrp_inst *vi);

/* A vrrp_script at run time, shared by the instances that track it. */
struct vrrp_script_rt {
	const struct vc_script *conf;	/* borrowed */
	struct vrrp_ctx *ctx;
	struct process_cmd *cmd;
	struct process_run run;
	struct sched_ev *ev_timer;
	bool ok;			/* the state instances see */
	bool known;			/* a result has been logged */
	unsigned n_good, n_bad;		/* consecutive results */
	bool disabled;			/* could not be prepared: not run, not tracked */
	bool removed;			/* disabled for its user: instances say "not found" */
	int last_code;			/* last exit code; -1: none (timeout, signal); -2: never ran */
};

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

/* A shared socket and the instances it carries, by VRID. */
struct vrrp_sock_ent {
	struct vrrp_sock *vs;
	struct vrrp_inst *by_vrid[256];
};

/* Everything the VRRP child holds. */
struct vrrp_ctx {
	struct sched *s;
	const struct vrrp_conf *conf;	/* borrowed: the child's config */
	struct gd_vrrp gd;
	bool release_vips;		/* false with -V (dont_release_vrrp) */
	struct vrrp_cmd_env cmds;
	struct reflector *refl;
	struct nl_tx *nl;
	struct garp_sock *garp_sock;
	struct garp_ctx *garp_ctx;	/* the instances' GARP schedules: sender, delayed-set timer */
	struct garp_pace *pace;
	struct vrrp_sock_batch *sock_batch;	/* the sockets' shared send queue and receive batch */
	unsigned n_vip_ops;		/* VIP operations live (each allocated) */
	struct vrrp_inst *op_wait_head, *op_wait_tail;	/* and the instances waiting for one */
	struct vrrp_sock_ent **socks;	/* one allocation each (sockets point at them) */
	unsigned n_socks;
	struct vrrp_inst **insts;
	unsigned n_insts;
	struct vrrp_inst **retired;	/* dropped by a reload, their VIPs still being removed */
	unsigned n_retired;
	struct vrrp_script_rt **scripts;
	unsigned n_scripts;
	/* one send buffer for every instance: the child is one thread */
	uint8_t tx_buf[VRRP_IP4_HDR_LEN + VRRP_AH_LEN + VRRP_PKT_MAX_LEN];
	bool stopping;
	unsigned n_releasing;		/* instances still removing VIPs at stop */
	unsigned n_notify;		/* STOP notify scripts of the stop still running */
	bool stopped_done;
	void (*stopped_cb)(struct vrrp_ctx *ctx);
	void *arg;
};

/* Builds the runtime from conf (sockets, scripts, instances) and starts every instance. */
int vrrp_ctx_start(struct vrrp_ctx *ctx);
/* A reload: adopt conf, keeping unchanged instances' state and VIPs. */
int vrrp_ctx_reload(struct vrrp_ctx *ctx, const struct vrrp_conf *conf);
/* Orderly stop: priority 0 adverts, VIPs removed; stopped_cb when all is released. */
void vrrp_ctx_stop(struct vrrp_ctx *ctx);
void vrrp_ctx_free(struct vrrp_ctx *ctx);
/* For the stop's parts (VIP release, notify scripts): calls stopped_cb once all are done. */
void vrrp_ctx_maybe_stopped(struct vrrp_ctx *ctx);
void vrrp_ctx_dump(const struct vrrp_ctx *ctx, FILE *f, bool stats);
/* STATS_CLEAR: every counter the stats dump shows back to 0, as keepalived 2.2.7 does. */
void vrrp_ctx_stats_clear(struct vrrp_ctx *ctx);

/* vrrp_track.c: scripts and tracked interfaces feed the instances' priority and faults. */
/* kept (NULL, or one per new script): runtimes carried over from before a reload. */
int vrrp_scripts_start(struct vrrp_ctx *ctx, struct vrrp_script_rt **kept);
void vrrp_scripts_free(struct vrrp_ctx *ctx);
/* Recomputes an instance's faults and weights from its trackers and feeds the FSM. */
void vrrp_inst_track_update(struct vrrp_inst *vi);

/* vrrp_inst.c, for vrrp_track.c and vrrp_reload.c */
struct vrrp_inst *vrrp_inst_new(struct vrrp_ctx *ctx, const struct vc_instance *c);
/* A reload kept vi: it borrows from c now (same name, same dump). */
void vrrp_inst_adopt_conf(struct vrrp_inst *vi, const struct vc_instance *c);
void vrrp_inst_free(struct vrrp_inst *vi);
/* Leaves the protocol (priority 0 if master, VIPs removed), then frees itself. */
void vrrp_inst_retire(struct vrrp_inst *vi);
void vrrp_inst_begin(struct vrrp_inst *vi);	/* trackers evaluated, then START */
void vrrp_inst_feed(struct vrrp_inst *vi, const struct vrrp_fsm_in *in);
/* The same for an advert from `from` (for the log lines). */
void vrrp_inst_feed_from(struct vrrp_inst *vi, const struct vrrp_fsm_in *in,
			 const struct inet_addr *from);
/* vrrp_rx.c: every packet a shared socket reads (arg: its struct vrrp_sock_ent). */
void vrrp_inst_rx_cb(void *arg, struct vrrp_sock *vs, const struct vrrp_advert *ad,
		     enum vrrp_drop why);
uint64_t vrrp_now_us(const struct vrrp_inst *vi);

/* vrrp_notify.c: the notify scripts of a state change (keepalived's order and arguments). */
void vrrp_notify_state(struct vrrp_inst *vi, enum vrrp_state st);
void vrrp_notify_rx_lower(struct vrrp_inst *vi);
/* How long a notify script for st may run before it is killed (0: as long as it likes). */
uint64_t vrrp_notify_timeout_us(enum vrrp_state st, bool stopping);
