/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/vrrp/vrrp_metrics.h: the VRRP child's Prometheus families (KA_CTL_METRICS). */
#pragma once
#include <stddef.h>
#include <stdio.h>

struct vrrp_ctx;

/*
 * The VRRP families, written to f in the text exposition format (core/metrics_expo.h):
 * mehdy/keepalived-exporter's names and labels (iname, intf, vrid; keepalived_vrrp_state
 * with ip_address) where it has one, ours (keepalived_vrrp_*) for the rest, then this
 * process's process_* metrics (process="vrrp"). Reads only; safe in a callback: no I/O
 * but f and /proc/self.
 */
#define VRRP_METRICS_PART 250	/* instances per part */
/*
 * struct ka_module's ctl_render_part for KA_CTL_METRICS: VRRP_METRICS_PART instances of
 * every per-instance family from cursor (0 at first), then (last part) the rest; returns
 * where to go on from, or 0 once the answer is whole. Each part repeats the families'
 * headers: the parent's expo_join() merges them. A reload that reorders instances between
 * two parts could repeat or skip one in that scrape.
 */
size_t vrrp_metrics_render_part(const struct vrrp_ctx *ctx, FILE *f, size_t cursor);
/* Everything at once, without the process_* families (unit tests: /proc differs). */
void vrrp_metrics_render_families(const struct vrrp_ctx *ctx, FILE *f);
/* The reason label of a drop ("ttl", "auth_type" ...); NULL for VRRP_DROP_NONE. */
const char *vrrp_metrics_drop_label(unsigned why);
