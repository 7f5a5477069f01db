/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/vrrp/vrrp_fw.h: accept mode off: an instance's addresses dropped while it is master. */
#pragma once
#include <stdbool.h>
#include <sys/socket.h>

struct vrrp_ctx;
struct vrrp_inst;
struct vrrp_eff;
struct vrrp_nft;

/*
 * RFC 5798 Accept_Mode False (no_accept, and vrrp_strict's default below priority 255):
 * a master owns its addresses but drops every packet to or from them. keepalived 2.2.7
 * does it with nftables (vrrp_nft.c): the drop entries go in before the addresses are
 * added and come out after they are removed. The context's nftables handle is made on
 * first use, under global_defs' nftables settings.
 */

struct vrrp_conf;
/* At start and at a reload (conf: the new config), once ctx->gd is set: the table's settings. */
void vrrp_fw_ctx_conf(struct vrrp_ctx *ctx, const struct vrrp_conf *conf);
/* The context's nftables handle (made now if need be); for VMACs too. */
struct vrrp_nft *vrrp_fw_nft(struct vrrp_ctx *ctx);
void vrrp_fw_ctx_free(struct vrrp_ctx *ctx);	/* deletes the tables */

/*
 * A VMAC made (add) or removed (vrrp_vmac.c calls it): keepalived 2.2.7 sends its IGMP
 * (IPv4) or MLDv2 (IPv6) reports out of the base interface instead and drops its IPv6
 * router solicitations, with or without strict mode (see vrrp_nft_vmac()). 0 or -errno.
 */
int vrrp_fw_vmac(struct vrrp_ctx *ctx, int vmac_ifindex, int base_ifindex, sa_family_t family,
		 bool other_family, bool add);

/* vi's drop entries in (before its addresses are added) or out (after they are removed). */
void vrrp_fw_inst(struct vrrp_inst *vi, bool set);
/* A reload kept vi: accept mode or its addresses may have changed (eff: its new settings). */
void vrrp_fw_inst_reconf(struct vrrp_inst *vi, const struct vrrp_eff *eff);
/* vi goes: what it holds is let go. */
void vrrp_fw_inst_free(struct vrrp_inst *vi);
