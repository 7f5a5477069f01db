/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/vrrp/vrrp_trackers.h: track_file and track_process at run time -> priority and FAULT. */
#pragma once
#include <stdbool.h>
#include <stdio.h>

#include "vrrp_conf.h"

struct vrrp_ctx;
struct vrrp_inst;

/*
 * Watches the track files (inotify on their directories, init_file applied first; reload:
 * keepalived's rule that init_file does not overwrite then) and counts the tracked
 * processes (core/track_process.c) that ctx's instances reference. After the instances
 * are made, before they begin; a reload calls vrrp_trackers_free() then this again (the
 * values are read afresh, silently). A change updates every instance that tracks it.
 */
void vrrp_trackers_start(struct vrrp_ctx *ctx, bool reload);
void vrrp_trackers_free(struct vrrp_ctx *ctx);
/*
 * SIGHUP, once ctx->conf and ctx->cmds.gd are the new ones: everything is watched and
 * counted afresh; a tracked process whose quorum is not what it was logs its line.
 */
void vrrp_trackers_reload(struct vrrp_ctx *ctx);
/* SIGUSR1's data dump: each tracked file's value, each tracked process's count and quorum. */
void vrrp_trackers_dump(const struct vrrp_ctx *ctx, FILE *f);
/* ... and an instance's "Tracked files :" / "Tracked processes :" lines. */
struct vrrp_inst;
void vrrp_trackers_dump_inst(const struct vrrp_ctx *ctx, const struct vrrp_inst *vi, FILE *f);

/*
 * vrrp_inst_track_update()'s part: adds the faults and the weights of vi's tracked files
 * and processes, as keepalived 2.2.7 counts them. While vi is still in INIT, says which
 * tracker keeps it in FAULT (keepalived's lines at start).
 */
void vrrp_trackers_eval(struct vrrp_inst *vi, unsigned *faults, int *sum);
/*
 * The same for any list of references (a sync group's, for its members): name is the
 * owner's name in the lines, init whether to log them.
 */
void vrrp_trackers_eval_refs(const struct vrrp_ctx *ctx, const char *name, bool init,
			     const struct vc_track_ref *files, unsigned n_files,
			     const struct vc_track_ref *procs, unsigned n_procs,
			     unsigned *faults, int *sum);

/*
 * Pure: what a tracked file's value means under weight and reverse (keepalived 2.2.7):
 * -254 is FAULT (weight 0: a non-zero value, reverse: zero; otherwise value * weight,
 * negated by reverse, of -254 or less), else a weight to add, at most 253.
 */
int vrrp_track_file_status(int64_t value, int weight, bool reverse);
/* Pure: the same for a process's quorum: 1 a fault, else *add gets the weight to add. */
bool vrrp_track_proc_fault(bool have_quorum, int weight, bool reverse, int *add);
