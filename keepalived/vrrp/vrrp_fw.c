// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/vrrp/vrrp_fw.c: accept mode off: an instance's addresses dropped while it is master. */
#include "vrrp_fw.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "vrrp_ctx.h"
#include "vrrp_eff.h"
#include "vrrp_inst.h"
#include "vrrp_nft.h"

static struct vrrp_nft_conf nft_conf(const struct vrrp_ctx *ctx)
{
	return (struct vrrp_nft_conf){
		.table = ctx->gd.nftables ? ctx->gd.nftables : "keepalived",
		.priority = ctx->gd.nftables_priority,
		.counters = ctx->gd.nftables_counters,
	};
}

void vrrp_fw_ctx_conf(struct vrrp_ctx *ctx, const struct vrrp_conf *conf)
{
	struct vrrp_nft_conf nc = nft_conf(ctx);
	bool needed = false;

	for (unsigned i = 0; i < conf->n_insts && !needed; i++) {
		const struct vc_instance *c = conf->insts[i];
		struct vrrp_eff e;

		if (c->is_dup)
			continue;
		vrrp_eff_compute(c, &ctx->gd, &e);
		needed = e.firewall || c->use_vmac;
	}
	/* keepalived 2.2.7 says it at every config load that needs the default table */
	if (needed && !ctx->gd.nftables)
		log_info("use_vmac or no_accept/strict specified, but no firewall configured - "
			 "using nftables");
	if (ctx->nft && !vrrp_nft_conf_same(ctx->nft, &nc))
		vrrp_nft_reconf(ctx->nft, &nc);
}

struct vrrp_nft *vrrp_fw_nft(struct vrrp_ctx *ctx)
{
	struct vrrp_nft_conf nc;

	if (!ctx->nft) {
		nc = nft_conf(ctx);
		ctx->nft = vrrp_nft_new(&nc);
	}
	return ctx->nft;
}

int vrrp_fw_vmac(struct vrrp_ctx *ctx, int vmac_ifindex, int base_ifindex, sa_family_t family,
		 bool other_family, bool add)
{
	if (!add && !ctx->nft)
		return 0;
	return vrrp_nft_vmac(vrrp_fw_nft(ctx), vmac_ifindex, base_ifindex, family, other_family,
			     add);
}

void vrrp_fw_ctx_free(struct vrrp_ctx *ctx)
{
	vrrp_nft_free(ctx->nft);
	ctx->nft = NULL;
}

/* Every address vi puts in the kernel (VIPs and excluded ones), as the sets key them. */
static void hold_all(struct vrrp_inst *vi)
{
	const struct vrrp_ctx *ctx = vi->ctx;
	struct vrrp_nft_addr *a = xcalloc(vi->n_all_vips + 1, sizeof(*a));

	for (unsigned k = 0; k < vi->n_all_vips; k++) {
		const struct vrrp_ipaddr *ia = &vi->all_vips[k];

		a[k].addr = ia->addr;
		a[k].ifindex = ia->ifindex;
		snprintf(a[k].ifname, sizeof(a[k].ifname), "%s", ia->ifname);
		/*
		 * keepalived 2.2.7 keys a link-local address by interface name when the instance
		 * does not track its interface (it may come back with another index), unless
		 * nftables_ifindex says otherwise
		 */
		a[k].by_name = !ctx->gd.nftables_ifindex && vi->conf->dont_track_primary &&
			       (!strcmp(ia->ifname, vi->ifname) ||
				(ia->flags & VRRP_IPADDR_F_NO_TRACK));
	}
	vrrp_nft_hold(vrrp_fw_nft(vi->ctx), &vi->fw_hold, a, vi->n_all_vips);
	free(a);
}

void vrrp_fw_inst(struct vrrp_inst *vi, bool set)
{
	if (!vi->firewall)
		return;
	log_detail("(%s) %s firewall drop rule", vi->name, set ? "setting" : "removing");
	if (set && vi->n_all_vips)
		hold_all(vi);
	else if (!set)
		vrrp_nft_release(vi->ctx->nft, &vi->fw_hold);
}

void vrrp_fw_inst_reconf(struct vrrp_inst *vi, const struct vrrp_eff *eff)
{
	bool was = vi->firewall;

	vi->firewall = eff->firewall;
	if (!vi->vips_set)
		return;
	if (vi->firewall && vi->n_all_vips)
		hold_all(vi);		/* the new addresses in, those gone out */
	else if (was)
		vrrp_nft_release(vi->ctx->nft, &vi->fw_hold);
}

void vrrp_fw_inst_free(struct vrrp_inst *vi)
{
	vrrp_nft_release(vi->ctx->nft, &vi->fw_hold);
	free(vi->fw_hold.addrs);
	vi->fw_hold = (struct vrrp_nft_hold){ 0 };
}
