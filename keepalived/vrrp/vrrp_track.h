/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/vrrp/vrrp_track.h: vrrp_script checks and tracked interfaces -> priority and FAULT. */
#pragma once
#include <stdbool.h>

#include "process.h"
#include "vrrp_conf.h"

struct sched_ev;
struct vrrp_ctx;
struct vrrp_inst;

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

/* kept (NULL, or one per new script): runtimes carried over from before a reload. */
int vrrp_scripts_start(struct vrrp_ctx *ctx, struct vrrp_script_rt **kept);
/*
 * A reload changed these scripts (prev[i]: the old runtime of new script i, same name):
 * each new one starts from the old one's result, with keepalived's line
 * "VRRP_Script(chk) considered successful on reload"; the old ones are freed.
 */
void vrrp_scripts_carry(struct vrrp_ctx *ctx, struct vrrp_script_rt **prev);
void vrrp_scripts_free(struct vrrp_ctx *ctx);
/*
 * Recomputes an instance's faults (its interface, tracked interfaces and scripts, an
 * address to send from) and weights, and feeds the FSM what changed.
 */
void vrrp_inst_track_update(struct vrrp_inst *vi);
/*
 * One tracked object in state up with weight w: w == 0 counts a FAULT while down; w > 0
 * adds w to *sum while up, w < 0 adds w while down (keepalived); reverse swaps up/down.
 */
/*
 * A track_interface line naming the instance's own interface: -t says "this line is
 * ignored" (the instance tracks its interface anyway), and like keepalived 2.2.7 its
 * weight is not applied either, nor is it listed in the dump.
 */
bool vrrp_track_if_ignored(const struct vc_instance *c, const struct vc_track_if *t);
void vrrp_track_apply(bool up, int w, bool reverse, unsigned *faults, int *sum);
