/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/vrrp/vrrp_static.h: static_ipaddress, static_routes, static_rules and track_group. */
#pragma once
#include <stdbool.h>

#include "vrrp_route_conf.h"

struct vrrp_ctx;
struct vrrp_inst;
struct reflector_if;
struct reflector_addr;

/*
 * The static entries of the top level, kept in place while the child runs:
 *  - vrrp_static_install() adds them all at start-up, synchronously on a socket of its
 *    own, before the reflector dumps the interfaces: the instances then find a static
 *    address there when they start (keepalived 2.2.7 adds them after the instances have
 *    looked, #2695); call it before vrrp_ctx_start()'s reflector.
 *  - vrrp_static_start() then watches them: one deleted by someone else is put back
 *    ("Restoring deleted static address|route|rule ..."), as are the routes of a link
 *    that comes back up.
 *  - vrrp_static_stop() removes them (rules, routes, addresses), after the instances;
 *    the context's stop waits for vrrp_routes_busy() / the address queue.
 *  - vrrp_static_reload() applies a new configuration's differences.
 */
void vrrp_static_install(const struct vc_routes *st);
void vrrp_static_start(struct vrrp_ctx *ctx);
void vrrp_static_stop(struct vrrp_ctx *ctx);
void vrrp_static_reload(struct vrrp_ctx *ctx, const struct vc_routes *old,
			const struct vc_routes *st);
void vrrp_static_free(struct vrrp_ctx *ctx);
bool vrrp_static_busy(const struct vrrp_ctx *ctx);
/* The reflector's events (vrrp_ctx.c). */
void vrrp_static_addr_event(struct vrrp_ctx *ctx, const struct reflector_if *ifp,
			    const struct reflector_addr *ra, bool added);
void vrrp_static_link_event(struct vrrp_ctx *ctx, const struct reflector_if *ifp);
/*
 * Is ifname the interface of a tracked virtual route or rule, or of a static entry of a
 * track group (the reflector logs its events: "Netlink reports eth1 down")?
 */
bool vrrp_static_if_used(const struct vrrp_ctx *ctx, const char *ifname);

/*
 * An instance's faults from its routes: tracked virtual route/rule interfaces down, and
 * the interfaces of the static entries of a track_group that names it (vrrp_track.c).
 */
unsigned vrrp_route_faults(const struct vrrp_inst *vi);
/* The instance side (vrrp_inst.c): its virtual_routes/rules set, made and freed with it. */
void vrrp_route_inst_new(struct vrrp_inst *vi);
void vrrp_route_inst_free(struct vrrp_inst *vi);
/* Adds (true) or removes the instance's routes and rules, with keepalived's lines. */
void vrrp_route_inst_apply(struct vrrp_inst *vi, bool add);
/* At the start, keepalived removes what a previous run may have left: logged, removed. */
void vrrp_route_inst_init(struct vrrp_inst *vi);
void vrrp_route_inst_reconf(struct vrrp_inst *vi);
