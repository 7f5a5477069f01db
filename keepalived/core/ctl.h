/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/core/ctl.h: what the live status plane (control socket, metrics) asks a child. */
#pragma once

/*
 * The parent's control socket (`keepalived --status`) and its metrics listener ask each
 * running child for its part of an answer; the child renders it from its runtime state
 * with struct ka_module's ctl_render, in its own loop, and the parent joins the parts.
 */
enum ka_ctl_req {
	KA_CTL_STATUS_TEXT = 1,	/* the human table of `keepalived --status` */
	KA_CTL_STATUS_JSON = 2,	/* this module's member of `keepalived --status --json` */
	KA_CTL_METRICS = 3,	/* Prometheus text exposition format, this module's families */
};

/*
 * Messages on each child's heartbeat socketpair (SOCK_SEQPACKET; boundaries kept):
 * a 1-byte message is a heartbeat (child to parent, core/child.c); any longer one
 * starts with a struct ka_ctl_hdr saying what it is.
 */
#include <stdint.h>

enum ka_ctl_type {
	/*
	 * Both ways, payload the module's (core/resume.h): child to parent, what the child
	 * holds now (the VRRP child: its MASTER instances), sent on every change; parent to
	 * a child respawned after an abnormal exit, the last one its predecessor sent,
	 * queued before the fork so that it is the first message the child reads.
	 */
	KA_CTL_STATE = 'S',
};

struct ka_ctl_hdr {
	uint8_t type;		/* enum ka_ctl_type */
	uint8_t req;		/* enum ka_ctl_req; 0 for KA_CTL_STATE */
	uint16_t flags;
	uint32_t id;		/* 0 for KA_CTL_STATE */
};
