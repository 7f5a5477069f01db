/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/vrrp/vrrp_status.h: the VRRP child's part of `keepalived --status` (core/ctl.h). */
#pragma once
#include <stdio.h>

#include "core/ctl.h"
#include "vrrp_fsm.h"

struct vrrp_inst;
struct inet_addr;

/* After each FSM step (vrrp_inst.c): when the state changed, who is master now. */
void vrrp_status_note(struct vrrp_inst *vi, const struct vrrp_fsm_in *in,
		      const struct vrrp_fsm_out *o, const struct inet_addr *from);
/* CLOCK_REALTIME µs of vi's last state change (keepalived's "Last transition"); 0: none. */
uint64_t vrrp_status_since_realtime_us(const struct vrrp_inst *vi);
/*
 * The VRRP child's KA_CTL_STATUS_TEXT / _JSON, a part at a time (struct ka_module's
 * ctl_render_part); state is its struct vrrp_ctx.
 */
size_t vrrp_status_render_part(const void *state, enum ka_ctl_req req, FILE *f, size_t cursor);
