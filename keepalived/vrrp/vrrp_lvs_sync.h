/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/vrrp/vrrp_lvs_sync.h: lvs_sync_daemon tied to a VRRP instance, driven by its state. */
#pragma once
#include <stdbool.h>

#include "vrrp_fsm.h"

struct global_defs;
struct vrrp_ctx;
struct vrrp_inst;
struct vrrp_conf;

/*
 * `lvs_sync_daemon IF [inst] NAME ...` (spec checker-ipvs.md 4.5), as keepalived 2.2.7's
 * VRRP child runs it: the instance NAME entering MASTER stops the BACKUP sync daemon and
 * starts the MASTER one, leaving MASTER (BACKUP, FAULT) stops MASTER and starts BACKUP, a
 * start (BACKUP or FAULT) starts BACKUP, and a stop stops the one running. The syncid is
 * `id N`, else the instance's VRID. Without an instance the checker child runs it.
 *
 * The IPVS backend is opened only when NAME is an instance of the config: netlink, or the
 * recording backend on the file KEEPALIVED_IPVS_RECORD names (appended to). Deliberate
 * difference: without ip_vs, 2.2.7 exits FATAL; we log it once and VRRP runs on.
 */
struct vrrp_lvs_sync;

/*
 * The parent links the VRRP module too, but neither libnl nor the IPVS edge: the
 * keepalived-vrrp program (vrrp_main.c) points vrrp_lvs_sync at vrrp_lvs_sync_impl
 * (this file's functions) before anything runs; NULL: lvs_sync_daemon is not acted on.
 */
struct vrrp_lvs_sync_ops {
	/* NULL when lvs_sync_daemon names no instance (nothing to do). Before the instances begin. */
	struct vrrp_lvs_sync *(*start)(const struct global_defs *gd, struct vrrp_ctx *ctx);
	/* An instance changed state (from prev to state): the daemons follow if it is ours. */
	void (*state)(struct vrrp_lvs_sync *s, const struct vrrp_inst *vi, enum vrrp_state prev,
		      enum vrrp_state state);
	/*
	 * A reload, in two steps around the instances' changes: reload_begin before
	 * (unchanged settings: s goes on as it is; changed: the running daemon is stopped
	 * and s is made anew from gd and the new config nc, or NULL), reload_end after (an
	 * instance kept under new settings starts the daemon of its state; a new one did
	 * at its start).
	 */
	struct vrrp_lvs_sync *(*reload_begin)(struct vrrp_lvs_sync *s,
					      const struct global_defs *gd,
					      const struct vrrp_conf *nc);
	void (*reload_end)(struct vrrp_lvs_sync *s, struct vrrp_ctx *ctx);
	/* after the instances' stop (which stopped the daemon): the backend closed */
	void (*free)(struct vrrp_lvs_sync *s);
};
extern const struct vrrp_lvs_sync_ops *vrrp_lvs_sync;	/* vrrp_ctx.c; NULL in the parent */
extern const struct vrrp_lvs_sync_ops vrrp_lvs_sync_impl;	/* vrrp_lvs_sync.c */
