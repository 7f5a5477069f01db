// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/vrrp/vrrp_dump.c: SIGUSR1 / SIGUSR2 dumps of the VRRP runtime. */
#include <stdio.h>
#include <string.h>

#include "vrrp_ctx.h"
#include "vrrp_sock.h"
#include "vrrp_trackers.h"

static unsigned long long sum(const uint64_t *d, const enum vrrp_drop *why, unsigned n)
{
	unsigned long long t = 0;

	for (unsigned i = 0; i < n; i++)
		t += d[why[i]];
	return t;
}

#define SUM(d, ...) sum(d, (const enum vrrp_drop[]){ __VA_ARGS__ }, \
			sizeof((const enum vrrp_drop[]){ __VA_ARGS__ }) / sizeof(enum vrrp_drop))

/* keepalived's lines, where it counts these drops, then each reason counted by name. */
static void dump_stats(const struct vrrp_inst *vi, FILE *f)
{
	static const uint64_t none[VRRP_DROP__COUNT];
	const uint64_t *d = vi->n_drop ? vi->n_drop : none;

	fprintf(f, "VRRP Instance: %s\n", vi->name);
	fprintf(f, "  Advertisements:\n    Received: %llu\n    Sent: %llu\n",
		(unsigned long long)vi->n_adverts_rx, (unsigned long long)vi->n_adverts_tx);
	fprintf(f, "  Became master: %llu\n", (unsigned long long)vi->n_became_master);
	fprintf(f, "  Packet Errors:\n");
	fprintf(f, "    Length: %llu\n", SUM(d, VRRP_DROP_IP_LEN, VRRP_DROP_SHORT,
					      VRRP_DROP_SHORT_ADDRS, VRRP_DROP_SHORT_AUTH,
					      VRRP_DROP_LENGTH));
	fprintf(f, "    TTL: %llu\n", (unsigned long long)d[VRRP_DROP_TTL]);
	fprintf(f, "    Invalid Type: %llu\n", (unsigned long long)d[VRRP_DROP_TYPE]);
	fprintf(f, "    Advertisement Interval: %llu\n", (unsigned long long)d[VRRP_DROP_ADVER_INT]);
	fprintf(f, "    Address List: %llu\n", SUM(d, VRRP_DROP_ADDRS, VRRP_DROP_NADDR,
						    VRRP_DROP_DST));
	fprintf(f, "  Authentication Errors:\n");
	fprintf(f, "    Type Mismatch: %llu\n", (unsigned long long)d[VRRP_DROP_AUTH_TYPE]);
	fprintf(f, "    Failure: %llu\n", SUM(d, VRRP_DROP_AUTH, VRRP_DROP_AH_SPI, VRRP_DROP_AH_SEQ));
	fprintf(f, "  Priority Zero:\n    Received: %llu\n    Sent: %llu\n",
		(unsigned long long)vi->n_prio0_rx, (unsigned long long)vi->n_prio0_tx);
	if (!vi->n_drop)
		return;
	fprintf(f, "  Dropped:\n");
	for (int i = 1; i < VRRP_DROP__COUNT; i++)
		if (d[i])
			fprintf(f, "    %s: %llu\n", vrrp_drop_str(i), (unsigned long long)d[i]);
}

/* Per socket: every drop reason of the receive path, by name. */
static void dump_sock(const struct vrrp_sock *vs, FILE *f)
{
	const struct vrrp_sock_stats *st = vrrp_sock_stats(vs);

	fprintf(f, "VRRP socket: ifindex %d, %s, protocol %d\n", vrrp_sock_ifindex(vs),
		vrrp_sock_family(vs) == AF_INET ? "IPv4" : "IPv6", vrrp_sock_proto(vs));
	fprintf(f, "  Received: %llu\n  Sent: %llu\n  Send errors: %llu\n",
		(unsigned long long)st->n_rx, (unsigned long long)st->n_tx,
		(unsigned long long)st->n_tx_err);
	for (int i = 1; i < VRRP_DROP__COUNT; i++)
		fprintf(f, "  Dropped, %s: %llu\n", vrrp_drop_str(i), (unsigned long long)st->n_drop[i]);
}

void vrrp_ctx_dump(const struct vrrp_ctx *ctx, FILE *f, bool stats)
{
	char b[INET6_ADDRSTRLEN];

	for (unsigned i = 0; i < ctx->n_insts; i++) {
		const struct vrrp_inst *vi = ctx->insts[i];

		if (stats) {
			dump_stats(vi, f);
			continue;
		}
		fprintf(f, " VRRP Instance = %s\n", vi->name);
		fprintf(f, "   State = %s\n", vrrp_state_str(vi->fsm.state));
		fprintf(f, "   Interface = %s\n", vi->ifname);
		if (vi->has_src)
			fprintf(f, "   Using src_ip = %s\n", inet_addr_str(&vi->src, b, sizeof(b)));
		fprintf(f, "   Virtual Router ID = %u\n", vi->conf->vrid);
		fprintf(f, "   Priority = %u\n   Effective priority = %u\n", vi->fc.priority,
			vi->fsm.eff_prio);
		fprintf(f, "   Advert interval = %u milli-sec\n", vi->fc.adver_int_cs * 10);
		fprintf(f, "   VRRP Version = %u\n", vi->version);
		fprintf(f, "   Tracked faults = %u, weights = %d\n", vi->n_faults, vi->weight_sum);
	}
	if (stats)
		for (unsigned i = 0; i < ctx->n_socks; i++)
			dump_sock(ctx->socks[i]->vs, f);
	else
		vrrp_trackers_dump(ctx, f);	/* track_file, track_process */
}

void vrrp_ctx_stats_clear(struct vrrp_ctx *ctx)
{
	for (unsigned i = 0; i < ctx->n_insts; i++) {
		struct vrrp_inst *vi = ctx->insts[i];

		vi->n_adverts_rx = vi->n_adverts_tx = 0;
		vi->n_became_master = vi->n_prio0_rx = vi->n_prio0_tx = 0;
		if (vi->n_drop)
			memset(vi->n_drop, 0, VRRP_DROP__COUNT * sizeof(*vi->n_drop));
	}
	for (unsigned i = 0; i < ctx->n_socks; i++)
		vrrp_sock_stats_clear(ctx->socks[i]->vs);
}
