/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/check/check_fifo.h: the checker's notify FIFO lines (notify_fifo, lvs_notify_fifo). */
#pragma once
#include <stdbool.h>

struct sched;
struct global_defs;

/*
 * keepalived 2.2.7's checker lines (check/ipwrapper.c), written after a real server's
 * notify_up/notify_down script or a virtual server's quorum script is started (with or
 * without one), to notify_fifo and lvs_notify_fifo:
 *   RS [192.0.2.2]:tcp:8080 [10.0.0.1]:tcp:80 UP
 *   VS [10.0.0.1]:tcp:80 DOWN
 * The checker runs lvs_notify_fifo_script; notify_fifo_script is the VRRP child's
 * (2.2.7 gives it to the checker when both run; a child cannot tell here).
 */
struct check_fifo;

/* At start: the FIFOs of gd made and opened, lvs_notify_fifo_script started. NULL: none. */
struct check_fifo *check_fifo_open(struct sched *s, const struct global_defs *gd, bool security);
/* A reload: reopened where gd's settings changed; returns the object to keep. */
struct check_fifo *check_fifo_reload(struct check_fifo *cf, struct sched *s,
				     const struct global_defs *gd, bool security);
void check_fifo_rs(struct check_fifo *cf, const char *rs, const char *vs, bool up);
void check_fifo_vs(struct check_fifo *cf, const char *vs, bool up);
/* NULL is fine: the FIFOs closed (those we made removed), the script sent SIGTERM. */
void check_fifo_free(struct check_fifo *cf);
