/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/check/check_daemon.h: the health-checker subsystem as the core sees it. */
#pragma once
#include <stdbool.h>
#include <stdio.h>

#include "core/module.h"

struct ce;
struct sched;

/*
 * The parent's view (check_module.c, linked into keepalived): the configuration part
 * and the program the child runs, keepalived-checker. The parent links neither libnl
 * nor OpenSSL: the runtime lives in that program only (check_main.c).
 */
extern const struct ka_module check_module;

/* keepalived-checker: check_module's runtime callbacks (check_daemon.c) added to m. */
void check_module_runtime(struct ka_module *m);

/* For the SIGUSR1 dump (check_dump.c): the running child's state. */
const struct ce *check_ctx_engine(const void *state);
const struct sched *check_ctx_sched(const void *state);
bool check_ctx_ipvs(const void *state);
void check_dump_state(const void *state, FILE *f, bool stats);
/*
 * `keepalived --status` (check_status.c): the checker's part, KA_CTL_STATUS_TEXT / _JSON,
 * a part at a time (struct ka_module's ctl_render_part).
 */
size_t check_status_render_part(const void *state, enum ka_ctl_req req, FILE *f, size_t cursor);
