/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/vrrp/vrrp_sync.h: vrrp_sync_group: its members move as one (MASTER, BACKUP, FAULT). */
#pragma once
#include <stdbool.h>

#include "vrrp_fsm.h"

struct vrrp_ctx;
struct vrrp_inst;
struct vrrp_sync;
struct vc_group;

/*
 * keepalived 2.2.7's sync groups ("all or nothing"):
 * - a member whose master-down timer fires goes MASTER only when the group is MASTER
 *   or every other member wants MASTER too; otherwise it waits another interval;
 * - one member going MASTER takes the others to MASTER at once ("VRRP_Group(G) Syncing
 *   instances to MASTER state"), one leaving MASTER takes them to BACKUP (VIPs removed,
 *   no priority 0 advert), one entering FAULT takes them to FAULT;
 * - a member leaves FAULT only once no member has a fault of its own;
 * - the group's notify scripts run after its members' (GROUP NAME STATE 0).
 *
 * The pure part decides; vrrp_sync.c's runtime feeds the members' FSMs.
 */

/* What the other members must do after one moved (pure). */
enum vrrp_sync_do {
	VRRP_SYNC_NONE,
	VRRP_SYNC_MASTER,	/* the BACKUP ones go MASTER */
	VRRP_SYNC_BACKUP,	/* the MASTER ones go BACKUP, the FAULT ones leave it */
	VRRP_SYNC_FAULT,	/* every other one goes FAULT */
};

/* A member moved from prev to now while the group was in state group. */
enum vrrp_sync_do vrrp_sync_on_member(enum vrrp_state group, enum vrrp_state prev,
				      enum vrrp_state now);
/* The group's state once a sync of that kind is done (group: its state before). */
enum vrrp_state vrrp_sync_after(enum vrrp_sync_do d, enum vrrp_state group);
/*
 * May a member whose master-down timer fired go MASTER? others_want: whether each
 * other member wants MASTER (its own timer fired, or it is MASTER).
 */
bool vrrp_sync_may_master(enum vrrp_state group, const bool *others_want, unsigned n_others);
/*
 * The group's state when its members start: FAULT if one has a fault, MASTER if every
 * member is an address owner starting as MASTER, else BACKUP.
 */
enum vrrp_state vrrp_sync_init_state(const bool *owner_master, const bool *faulty, unsigned n);

/* ---- the runtime (the VRRP child's) ---- */

/*
 * The groups of ctx->conf, with their members (vi->sync) and notify commands (counted in
 * ctx->cmds for the script security summary): once the instances exist.
 */
void vrrp_sync_build(struct vrrp_ctx *ctx);
/*
 * Once every instance exists and before they start: the members' tracker weights as
 * keepalived applies them, the group's initial state, FAULT at init, group notifies.
 */
void vrrp_sync_begin(struct vrrp_ctx *ctx);
/* A reload: groups rebuilt for the new config; a group's state carries over by name. */
void vrrp_sync_reload(struct vrrp_ctx *ctx);
/* Shutdown: the groups' STOP notifies, after the instances'. */
void vrrp_sync_stop(struct vrrp_ctx *ctx);
void vrrp_sync_free(struct vrrp_ctx *ctx);

/* vrrp_inst.c: vi (a member) moved from prev to now; called after its own actions. */
void vrrp_sync_member_moved(struct vrrp_inst *vi, enum vrrp_state prev, enum vrrp_state now);
/*
 * vrrp_inst.c: master vi got a lower-priority advert and re-announces its addresses
 * (garp_lower_prio_repeat): its group's other masters do too, as keepalived 2.2.7's.
 */
void vrrp_sync_garp_lower(struct vrrp_inst *vi);
/* vrrp_inst.c: vi's master-down timer fired: true when it must wait (the group holds it). */
bool vrrp_sync_hold_master(struct vrrp_inst *vi);
/* vrrp_track.c: vi's own fault count went 0 -> n (faulty) or n -> 0: the group decides. */
void vrrp_sync_member_fault(struct vrrp_inst *vi, bool faulty);
/*
 * vrrp_track.c: the weight vi's tracker counts with, as keepalived 2.2.7 applies them in
 * a sync group without sync_group_tracking_weight: interfaces 0 (a failure is a FAULT),
 * weighted scripts not tracked at all (-1 here). w: the configured weight.
 */
int vrrp_sync_member_if_weight(const struct vrrp_inst *vi, int w);
bool vrrp_sync_member_script_dropped(const struct vrrp_inst *vi, int w);
/* vrrp_ctx.c: does vi's group track interface name (its "Netlink reports" lines)? */
bool vrrp_sync_tracks_if(const struct vrrp_inst *vi, const char *name);
/* vrrp_track.c: the group's own track_interface / track_script, for member vi. */
void vrrp_sync_group_track(const struct vrrp_inst *vi, unsigned *faults, int *sum);

/* The dumps (vrrp_dump.c): a group as they show it; everything borrowed from s. */
struct vrrp_sync_info {
	const char *name;
	enum vrrp_state state;
	struct vrrp_inst *const *members;
	unsigned n;
	const struct vc_group *conf;
};
void vrrp_sync_info(const struct vrrp_sync *s, struct vrrp_sync_info *out);
