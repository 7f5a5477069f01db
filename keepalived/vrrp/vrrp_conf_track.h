/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/vrrp/vrrp_conf_track.h: vrrp_track_process blocks; track_file/track_process references. */
#pragma once
#include <stdbool.h>
#include <stdio.h>

#include "parser.h"
#include "vrrp_conf.h"

/* vrrp_track_process NAME { ... }: the block (a top-level keyword of vrrp_root_kws). */
extern const struct cfg_kw vc_track_process_kws[];
void *vc_open_tproc(struct cfg *c, void *parent, const struct cfg_args *a);
int vc_close_tproc(struct cfg *c, void *obj);

/*
 * One line of a track_file { } or track_process { } block: NAME [weight W [reverse|noreverse]],
 * added to (*refs, *n) as keepalived 2.2.7 does (a track_file block read before it; the
 * weight and reverse of the block unless given), or reported and left out. owner: the
 * instance's (or group's) name for the messages. For instances and sync groups.
 */
int vc_track_file_line(struct cfg *c, const struct cfg_args *a, const char *owner,
		       struct vc_track_ref **refs, unsigned *n);
int vc_track_process_line(struct cfg *c, const struct cfg_args *a, const char *owner,
			  struct vc_track_ref **refs, unsigned *n);
/* The instance's track_file { } and track_process { } lines (vc_instance_kws). */
int vc_line_inst_track_file(struct cfg *c, void *obj, const struct cfg_args *a);
int vc_line_inst_track_process(struct cfg *c, void *obj, const struct cfg_args *a);
/* The same in a vrrp_sync_group (vc_sync_group_kws): they apply to every member. */
int vc_line_group_track_file(struct cfg *c, void *obj, const struct cfg_args *a);
int vc_line_group_track_process(struct cfg *c, void *obj, const struct cfg_args *a);

/*
 * After the parse, once sync groups are known: the weights keepalived 2.2.7 takes away
 * from an address owner and from a member of a sync group without
 * sync_group_tracking_weight (a track_file's default weight 1 becomes 0, other weights
 * are left out; a weighted track_process is left out too, which 2.2.7 forgets); a
 * group's weighted trackers with an owner among its members get weight 0; a tracker on
 * both a member and its group is said.
 */
void vc_finish_trackers(struct cfg *c, struct vrrp_conf *vc);
/* Frees the blocks and every instance's references (before the instances are freed). */
void vc_free_trackers(struct vrrp_conf *vc);
void vc_dump_tprocs(FILE *f, const struct vrrp_conf *vc);
void vc_dump_track_refs(FILE *f, const struct vc_more *m);
void vc_dump_group_track_refs(FILE *f, const struct vc_group *g);
/*
 * A member's reference (t, of its own or of its group) with the weight and reverse in
 * effect: a group's reference to what the member tracks too gives its weight, unless the
 * member's is 0 (keepalived 2.2.7's rule). For the runtime.
 */
struct vc_track_ref vc_track_ref_eff(const struct vc_track_ref *own, const struct vc_track_ref *grp,
				     bool file);
/* The vrrp_track_process block called name (the first of that name), or NULL. */
const struct vc_tproc *vrrp_conf_find_tproc(const struct vrrp_conf *vc, const char *name);
