/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/vrrp/vrrp_vmac.h: VMACs (use_vmac): macvlan interfaces carrying the virtual router's MAC. */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>

struct vrrp_inst;
struct vrrp_ctx;

/*
 * An instance with use_vmac runs on a macvlan interface of its own, in private mode,
 * on top of its configured (base) interface, with the virtual router's MAC
 * 00:00:5e:00:01:VRID (IPv4) or 00:00:5e:00:02:VRID (IPv6), as keepalived 2.2.7
 * builds it: named <vmac_prefix>.<VRID> ("vrrp.51") unless use_vmac names it,
 * IPv6 address generation off, up in every state. Its VIPs (those without a dev of
 * their own) go on it, its GARPs/NAs leave from it with that MAC, and its adverts are
 * sent and read on it, or on the base interface with vmac_xmit_base; they leave from
 * the base interface's address.
 *
 * Sysctls, as 2.2.7 sets them (/proc/sys/net/ipv4/conf/<if>/...), for an IPv4 VMAC:
 * arp_ignore 1, accept_local 1, rp_filter 0, promote_secondaries 1 on the VMAC;
 * arp_ignore 1 and arp_filter 1 on the base (unless both are already 1); the
 * rp_filter of all/default moved as 2.2.7 does when all.rp_filter is not 0 (with its
 * "NOTICE: setting sysctl ..." lines). disable_ipv6 is 1 on an IPv4 VMAC, 0 on an
 * IPv6 one, which carries the base interface's link-local address (nodad, preferred
 * lifetime 0) to send adverts from, unless vmac_xmit_base.
 *
 * The firewall (vrrp_fw.c, vrrp_nft.c) gets each VMAC in its vmac_map as 2.2.7 does: the
 * VMAC's IGMP/MLD reports leave by the base interface (a switch must not learn the
 * virtual MAC from a backup), an IPv6 VMAC's router solicitations are dropped.
 *
 * Everything is undone when the VMAC goes (stop, reload): the VMAC deleted, and each
 * sysctl set on another interface put back to its value from before - when it still
 * holds ours (2.2.7 leaves the base's arp_ignore and arp_filter at 1).
 *
 * Netlink requests here are synchronous (a socket of its own, with ACKs): VMACs are
 * made at start-up and on reload only.
 */

/* ---- pure helpers ---- */

/* The VMAC's MAC of a VRID for family (AF_INET6: 00:00:5e:00:02:VRID). */
void vrrp_vmac_mac(uint8_t out[6], sa_family_t family, uint8_t vrid);

/* A name the kernel takes for an interface: 1..15 bytes, no '/', ':' or white space. */
bool vrrp_vmac_ifname_ok(const char *name);

/*
 * The MAC of use_vmac's argument: six octets, or five (the VRID is appended: *with_vrid
 * true). 0, -EINVAL (not a MAC), -EADDRNOTAVAIL (multicast), -EADDRINUSE (an RFC5798
 * address: 00:00:5e:00:01|02:xx).
 */
int vrrp_vmac_parse_mac(const char *s, uint8_t out[6], bool *with_vrid);

/*
 * The default name of the VMAC of (vrid, family) with prefix, as 2.2.7 picks it:
 * "<prefix>.<vrid>"; when taken(arg, name) says that one is in use, IPv6 tries
 * "<prefix>6.<vrid>", then both try "<prefix>1.<vrid>", "<prefix>2.<vrid>" ... (IPv6
 * skipping 6). A name longer than 15 bytes loses the end of its prefix. 0, or -ENOSPC
 * when every candidate is taken.
 */
typedef bool vrrp_vmac_taken_fn(void *arg, const char *name);
int vrrp_vmac_default_name(char out[IFNAMSIZ], const char *prefix, uint8_t vrid,
			   sa_family_t family, vrrp_vmac_taken_fn *taken, void *arg);

/* The EUI-64 link-local address of a MAC: fe80::(mac[0]^2)mac[1]mac[2]:fffe:mac[3..5]. */
void vrrp_vmac_eui64(struct in6_addr *out, const uint8_t mac[6]);

/* ---- the child's VMACs ---- */

struct vrrp_vmacs;

struct vrrp_vmacs *vrrp_vmacs_new(struct vrrp_ctx *ctx);
/* Every VMAC deleted, every sysctl put back, then freed. NULL is fine. */
void vrrp_vmacs_free(struct vrrp_vmacs *vs);
/* Deletes the VMACs their instances have let go (vrrp_vmac_inst_release), now. */
void vrrp_vmacs_gc(struct vrrp_vmacs *vs);

/*
 * Start-up, before the netlink reflector reads the interfaces: the VMAC of every
 * instance of ctx's config with use_vmac, so that the reflector finds them.
 */
void vrrp_vmac_start(struct vrrp_ctx *ctx);

/*
 * vi (being made, vi->ifname its configured interface) with use_vmac: its VMAC, made
 * now unless vrrp_vmac_start() made it; vi->ifname becomes the VMAC's name and
 * vi->vmac_base the configured interface's. Without a VMAC (it could not be made)
 * vi keeps its interface name, which then does not exist: the instance is in fault.
 */
void vrrp_vmac_inst_attach(struct vrrp_inst *vi);
/*
 * An address of vi with a dev of its own (a->ifname), with use_vmac or under
 * use_vmac_addr: it goes on a VMAC of that interface, <vmac_addr_prefix>.<VRID> with the
 * instance's MAC, made now unless vrrp_vmac_start() made it (a->ifname becomes its
 * name, and a->flags gets VRRP_IPADDR_F_USE_VMAC).
 */
struct vrrp_ipaddr;
void vrrp_vmac_vip(struct vrrp_inst *vi, struct vrrp_ipaddr *a);
/*
 * vi's VMAC was made (again) after the reflector last saw it: vi->ifindex is none, or
 * that of the one it replaced. The socket waits for the reflector's news of it.
 */
bool vrrp_vmac_pending(const struct vrrp_inst *vi);
/* vi goes: its VMAC is deleted once its VIPs are gone (the VIP queue idle). */
void vrrp_vmac_inst_release(struct vrrp_inst *vi);
/*
 * A link event, before the instance's own handling: true when it was vi's VMAC going
 * away behind our back (an admin's `ip link del`). Then, as 2.2.7 does, vi goes to
 * FAULT and the VMAC is made again (from the loop, right after); its appearance brings
 * the instance back (vrrp_inst_link_event).
 */
struct reflector_if;
bool vrrp_vmac_link_event(struct vrrp_inst *vi, const struct reflector_if *ifp, int ev);
/*
 * Is ifname one of vi's VMACs (its own, or one of use_vmac_addr)? For garp_extra_if,
 * which without "all" sends its periodic GARPs on VMACs only (vrrp_misc.c).
 */
bool vrrp_vmac_of_inst(const struct vrrp_inst *vi, const char *ifname);
/* The interface vi's adverts use: its VMAC's, or the base's with vmac_xmit_base. */
const char *vrrp_vmac_xmit_ifname(const struct vrrp_inst *vi);
