/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/vrrp/vrrp_status.h: the VRRP child's part of `keepalived --status` (core/ctl.h). */
#pragma once
#include <stdio.h>

#include "core/ctl.h"
#include "vrrp_fsm.h"

struct vrrp_inst;
struct inet_addr;

/* After each FSM step (vrrp_inst.c): when the state changed, who is master now. */
void vrrp_status_note(struct vrrp_inst *vi, const struct vrrp_fsm_out *o,
		      const struct inet_addr *from);
/* ka_module.ctl_render for the VRRP child; state is its struct vrrp_ctx. */
void vrrp_status_render(const void *state, enum ka_ctl_req req, FILE *f);
