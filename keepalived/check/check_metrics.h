/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/check/check_metrics.h: the checker child's Prometheus families (KA_CTL_METRICS). */
#pragma once
#include <stddef.h>
#include <stdio.h>

struct ce;

/*
 * Writes the checker's families (core/metrics_expo.h) for engine e (NULL: none yet):
 * per virtual server its quorum and live real servers; per real server its state,
 * whether it is in the IPVS table and its weight; per checker its state, attempts,
 * failures and the length of its last attempt. Labels: virtual_server and real_server
 * as keepalived's log lines write them ("[10.0.0.1]:tcp:80"), checker (TCP_CHECK ...)
 * and index (its place among the real server's checkers). mehdy/keepalived-exporter has
 * no checker metrics: every name is ours. Reads only; safe in a callback.
 */
void check_metrics_render_families(const struct ce *e, FILE *f);
/*
 * struct ka_module's ctl_render_part for KA_CTL_METRICS, from the child's state: the
 * virtual servers' families and CHECK_METRICS_PART real servers at first, then as many
 * from cursor each call; the last part adds this process's process_* families
 * (process="checker"). Returns where to go on from, or 0 once whole. Each part repeats
 * the families' headers: the parent's expo_join() merges them.
 */
#define CHECK_METRICS_PART 500
size_t check_metrics_render_part(const void *state, FILE *f, size_t cursor);
