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
