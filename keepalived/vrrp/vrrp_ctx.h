/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/vrrp/vrrp_ctx.h: the VRRP child's context: instances, sockets, queues; start and stop. */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "core/global_defs.h"
#include "vrrp_inst.h"

struct vrrp_notify;
struct vrrp_vipq;
struct vrrp_script_rt;
struct vrrp_lvs_sync;
struct vrrp_trackers;
struct vrrp_routes;
struct vrrp_static;

/* A shared socket and the instances it carries, by VRID. */
struct vrrp_sock_ent {
	struct vrrp_ctx *ctx;
	struct vrrp_sock *vs;
	struct vrrp_inst *by_vrid[256];
};

/*
 * Everything the VRRP child holds. Stopping is a state of the context, and "stopped"
 * is derived from the state of its parts: once stopping, the stop is over when the VIP
 * operation queue is idle (no instance, kept or retired, still adding or removing
 * addresses) and no notify script runs. Each part says when it becomes idle.
 */
struct vrrp_ctx {
	struct sched *s;
	const struct vrrp_conf *conf;	/* borrowed: the child's config */
	struct gd_vrrp gd;		/* global_defs as the instances see it (struct vrrp_eff) */
	bool release_vips;		/* false with -V (dont_release_vrrp) */
	struct vrrp_cmd_env cmds;
	struct reflector *refl;
	struct nl_tx *nl;
	struct vrrp_vipq *vipq;		/* every VIP operation, in turn */
	struct vrrp_notify *notify;	/* the notify scripts running */
	struct garp_sock *garp_sock;
	struct garp_ctx *garp_ctx;	/* the instances' GARP schedules: sender, delayed-set timer */
	struct garp_pace *pace;
	struct vrrp_sock_batch *sock_batch;	/* the sockets' shared send queue and receive batch */
	struct vrrp_sock_ent **socks;	/* one allocation each (sockets point at them) */
	unsigned n_socks;
	struct vrrp_inst **insts;
	unsigned n_insts;
	struct vrrp_script_rt **scripts;
	unsigned n_scripts;
	struct vrrp_lvs_sync *lvs;	/* lvs_sync_daemon on an instance; NULL: none */
	/* one send buffer for every instance: the child is one thread */
	uint8_t tx_buf[VRRP_IP4_HDR_LEN + VRRP_AH_LEN + VRRP_PKT_MAX_LEN];
	bool stopping;			/* vrrp_ctx_stop() was called */
	bool stopped;			/* ... and stopped_cb has been called */
	void (*stopped_cb)(struct vrrp_ctx *ctx);
	void *arg;
	/* vrrp_sync_group (vrrp_sync.c) */
	struct vrrp_sync **syncs;
	unsigned n_syncs;
	/* VMAC (vrrp_vmac.c): the instances' macvlan interfaces; NULL: none yet */
	struct vrrp_vmacs *vmacs;
	/* the nftables firewall (vrrp_fw.c): made on first use, tables deleted when freed */
	struct vrrp_nft *nft;
	/* track_file / track_process (issue 14, track: vrrp_trackers.c) */
	struct vrrp_trackers *trk;
	/* routes: virtual/static routes and rules, static addresses (vrrp_route.h, vrrp_static.h) */
	struct vrrp_routes *routes;
	struct vrrp_static *statics;
	/* misc (issue 14 item 8): delayed start, promote_secondaries, disable_local_igmp */
	struct vrrp_misc *misc;
	/* conflict (issue 15 item 4): the packet sockets that watch masters' VIPs; NULL: none */
	struct vrrp_conflict_ctx *conflict;
	/* a respawn after a crash resumes MASTER; the reports to the parent (vrrp_resume.c) */
	struct vrrp_resume *resume;
};

/* Builds the runtime from conf (sockets, scripts, instances) and starts every instance. */
int vrrp_ctx_start(struct vrrp_ctx *ctx);
/* global_defs' vrrp_netlink_*_rcv_bufs applied to the child's netlink sockets (start, reload) */
void vrrp_ctx_netlink_bufs(struct vrrp_ctx *ctx);
/*
 * A reload: adopt conf under gd (global_defs' new settings), keeping each instance of
 * the same name and identity with its state and VIPs and applying its changes in place.
 */
int vrrp_ctx_reload(struct vrrp_ctx *ctx, const struct vrrp_conf *conf, const struct gd_vrrp *gd);
/* Orderly stop: priority 0 adverts, VIPs removed; stopped_cb once nothing is left running. */
void vrrp_ctx_stop(struct vrrp_ctx *ctx);
void vrrp_ctx_free(struct vrrp_ctx *ctx);
void vrrp_ctx_dump(const struct vrrp_ctx *ctx, FILE *f, bool stats);
/* STATS_CLEAR: every counter the stats dump shows back to 0, as keepalived 2.2.7 does. */
void vrrp_ctx_stats_clear(struct vrrp_ctx *ctx);
/* --signum=JSON: keepalived 2.2.7's keepalived.json (vrrp_json.c). */
void vrrp_ctx_dump_json(const struct vrrp_ctx *ctx, FILE *f);
/* vrrp_inst.c, for the dumps (vrrp_dump.c): a state change, an advert the FSM stepped on. */
void vrrp_dump_transition(struct vrrp_inst *vi, enum vrrp_state prev, enum vrrp_state now);
/*
 * The shared socket for (ifindex, family, proto), opened on first use (ifname and the
 * instance name are for its log line); NULL when it cannot be opened.
 */
struct vrrp_sock_ent *vrrp_ctx_sock(struct vrrp_ctx *ctx, int ifindex, int family, int proto,
				    const char *ifname, const char *inst_name);
