/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/vrrp/vrrp_resume.h: a VRRP child respawned after a crash resumes the MASTER instances it held. */
#pragma once
#include <stdbool.h>

struct vrrp_ctx;
struct vrrp_inst;

/*
 * The VRRP child reports its MASTER instances to the parent on every change (core/resume.h):
 * each as a hash of its name and a fingerprint of what makes it the same virtual router
 * holding the same addresses (interface, VRID, family, version, priority, advert interval,
 * every VIP and excluded VIP with its interface). When the child is killed, the parent
 * respawns it and hands that report to the new child, whose instances that were MASTER
 * with the same fingerprint, whose addresses are all still on their interfaces, that
 * are not in a sync group and not in fault, start in MASTER at once (first advert and
 * GARPs then) instead of waiting a master-down interval in BACKUP; a backup never sees
 * a gap long enough to take over. The others start as at a normal start. One log line
 * per reported instance (keepalived(8), RESPAWN):
 *   (VI_1) resuming MASTER state after a restart of the VRRP process: its VIPs are still set
 *   (VI_1) not resuming MASTER state after a restart of the VRRP process: <why>
 */

/* vrrp_inst_begin(), after the trackers: true if vi starts in MASTER (logged). */
bool vrrp_resume_check(struct vrrp_inst *vi);
/* After vrrp_ctx_start(): the handed-over report is dropped, the first one of ours goes. */
void vrrp_resume_started(struct vrrp_ctx *ctx);
/* An instance changed state, or a reload: a report goes at the end of the loop iteration. */
void vrrp_resume_changed(struct vrrp_ctx *ctx);
void vrrp_resume_free(struct vrrp_ctx *ctx);	/* at the child's exit */
