/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * keepalived/vrrp/vrrp_misc.h: the smaller VRRP settings that act on the whole child or on
 * an instance's interface: the delayed start (vrrp_startup_delay, vrrp_delay_after_boot),
 * promote_secondaries and disable_local_igmp (sysctls, restored at exit).
 */
#pragma once
#include <stdbool.h>
#include <stdint.h>

#include "vrrp_pkt.h"

struct garp_pace;
struct reflector_addr;
struct reflector_if;
struct vrrp_ctx;
struct vrrp_inst;
struct vrrp_misc;

/*
 * At the child's start, before the instances begin: works out the delayed start (logs
 * keepalived's "Delaying startup for %g seconds") and sets the sysctls asked for.
 */
void vrrp_misc_start(struct vrrp_ctx *ctx);
/* After a reload: promote_secondaries on the interfaces of instances that now ask for it. */
void vrrp_misc_reload(struct vrrp_ctx *ctx);
/* At exit: the sysctls it changed back to what they were. Frees ctx->misc. */
void vrrp_misc_free(struct vrrp_ctx *ctx);
/*
 * A new instance: says once why it can never run (2.2.7's lines): unicast_fault_no_peer
 * without peers, use_ipvlan.
 */
void vrrp_misc_inst_new(struct vrrp_inst *vi);
/* How many of those permanent faults the instance has (vrrp_track.c adds them up). */
unsigned vrrp_misc_faults(const struct vrrp_inst *vi);
/*
 * old_unicast_checksum: what an instance makes of an advert decoded with the old v3
 * unicast checksum or the RFC one (ad->old_csum), as keepalived 2.2.7: by default the
 * first old one switches the instance to the old checksum ("(VI_1) Setting unicast VRRPv3
 * checksum to old version"), which it then sends and requires; "never" keeps the RFC
 * one. VRRP_DROP_CHECKSUM for an advert whose checksum is not the instance's.
 */
enum vrrp_drop vrrp_misc_rx_csum(struct vrrp_inst *vi, const struct vrrp_advert *ad,
				  enum vrrp_drop why);
/*
 * v3_checksum_as_v2 (later keepalived; instance, else global_defs): VRRPv3 over IPv4 with
 * the checksum computed as v2's, without the pseudo-header, sent; received adverts pass
 * with either checksum (upstream checks none).
 */
bool vrrp_misc_csum_as_v2(const struct vrrp_inst *vi);
/* The checksum's destination for the adverts vi sends (vrrp_pkt_tx.csum_dst). */
const struct inet_addr *vrrp_misc_tx_csum_dst(const struct vrrp_inst *vi);
/*
 * Before a set of unsolicited NAs: each address's Router flag from its interface's
 * net.ipv6.conf.IF.forwarding, read again when the last reading is 5 s old (2.2.7).
 */
void vrrp_misc_na_router(struct vrrp_inst *vi);
/*
 * garp_extra_if / vrrp_garp_extra_if [all] SECS: while MASTER, every SECS one gratuitous
 * ARP / NA on each interface other than the instance's that has a VIP (for the first VIP
 * there), as keepalived 2.2.7: only VMACs unless "all" (no VMAC here yet: "all" only).
 * vrrp_misc_extra_addrs() after the VIPs' interfaces or the settings changed;
 * vrrp_misc_extra_garp() when the instance becomes MASTER (start) or leaves it.
 */
void vrrp_misc_extra_addrs(struct vrrp_inst *vi);
void vrrp_misc_extra_garp(struct vrrp_inst *vi, bool start);
void vrrp_misc_inst_free(struct vrrp_inst *vi);
/*
 * interface_up_down_delays: a link going down (up) on such an interface reaches the
 * instances only once it has stayed so for the delay: the link event is held back
 * (true: do not pass it on) and vrrp_misc_is_up() gives the state the instances see.
 */
bool vrrp_misc_link_delayed(struct vrrp_ctx *ctx, const struct reflector_if *ifp, int ev);
bool vrrp_misc_is_up(const struct vrrp_ctx *ctx, const struct reflector_if *ifp);
/*
 * track_src_ip: an instance with a configured source (unicast_src_ip with peers, else
 * mcast_src_ip) is in FAULT while that address is not on its interface (2.2.7).
 */
void vrrp_misc_addr_event(struct vrrp_ctx *ctx, const struct reflector_addr *ra, bool added);
/*
 * garp_group: the pacing of the gratuitous ARPs / NAs on ifname: its group's (one
 * shared by the group's interfaces), else the global one (ctx->pace). Borrowed: lives
 * until vrrp_misc_free(). A reload applies a group's new intervals.
 */
struct garp_pace *vrrp_misc_pace(struct vrrp_ctx *ctx, const char *ifname);
/* Is the delayed start still running at now_us? */
bool vrrp_misc_delaying(const struct vrrp_ctx *ctx, uint64_t now_us);
/*
 * The master-down timer an instance arms (down_us from now), pushed to the end of the
 * delayed start as keepalived 2.2.7 does: while it runs, no backup times out. An
 * address owner that waits for the delay takes over as soon as it ends.
 */
uint64_t vrrp_misc_down_us(struct vrrp_inst *vi, uint64_t down_us);

/* Pure, for the unit test: seconds of uptime from /proc/uptime's text; -1: unreadable. */
double vrrp_misc_parse_uptime(const char *text);
/* Pure: the start delay from vrrp_startup_delay, vrrp_delay_after_boot and the uptime. */
uint64_t vrrp_misc_start_delay_us(uint64_t startup_us, uint64_t after_boot_us, double uptime_s);
