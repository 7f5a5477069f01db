/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/vrrp/vrrp_metrics.h: the VRRP child's Prometheus families (KA_CTL_METRICS). */
#pragma once
#include <stdio.h>

struct vrrp_ctx;

/*
 * Writes every VRRP family to f in the text exposition format (core/metrics_expo.h):
 * mehdy/keepalived-exporter's names and labels (iname, intf, vrid; keepalived_vrrp_state
 * with ip_address) where it has one, ours (keepalived_vrrp_*) for the rest, then this
 * process's process_* metrics (process="vrrp"). Reads only; safe in a callback: one pass
 * per family over the instances, no I/O but f and /proc/self.
 */
void vrrp_metrics_render(const struct vrrp_ctx *ctx, FILE *f);
/* The same without the process_* families (unit tests: /proc differs from run to run). */
void vrrp_metrics_render_families(const struct vrrp_ctx *ctx, FILE *f);
/* The reason label of a drop ("ttl", "auth_type" ...); NULL for VRRP_DROP_NONE. */
const char *vrrp_metrics_drop_label(unsigned why);
