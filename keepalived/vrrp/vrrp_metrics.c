// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/vrrp/vrrp_metrics.c: the VRRP child's Prometheus families (KA_CTL_METRICS). */
#include "vrrp_metrics.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/metrics_expo.h"
#include "core/metrics_proc.h"
#include "vrrp_conflict.h"
#include "vrrp_ctx.h"
#include "vrrp_eff.h"
#include "vrrp_sock.h"
#include "vrrp_track.h"

/*
 * The reason label of each drop. Those an advert can be dropped for once its VRID is
 * known are counted per instance too (vrrp_rx.c's drop()), the others only per socket.
 */
static const struct {
	const char *label;
	bool per_inst;
} drops[VRRP_DROP__COUNT] = {
	[VRRP_DROP_SHORT_IP] = { "short_ip", false },
	[VRRP_DROP_IP_HDR] = { "ip_header", false },
	[VRRP_DROP_IP_LEN] = { "ip_length", false },
	[VRRP_DROP_IP_PROTO] = { "ip_protocol", false },
	[VRRP_DROP_SHORT_AH] = { "short_ah", false },
	[VRRP_DROP_AH_HDR] = { "ah_header", false },
	[VRRP_DROP_SHORT] = { "short", false },
	[VRRP_DROP_VERSION] = { "version", true },
	[VRRP_DROP_TYPE] = { "type", true },
	[VRRP_DROP_SHORT_ADDRS] = { "short_addresses", true },
	[VRRP_DROP_SHORT_AUTH] = { "short_auth", true },
	[VRRP_DROP_LENGTH] = { "length", true },
	[VRRP_DROP_CHECKSUM] = { "checksum", true },
	[VRRP_DROP_DST] = { "destination", true },
	[VRRP_DROP_PEER] = { "peer", true },
	[VRRP_DROP_TTL] = { "ttl", true },
	[VRRP_DROP_VRID] = { "vrid", false },
	[VRRP_DROP_AUTH_TYPE] = { "auth_type", true },
	[VRRP_DROP_AUTH] = { "auth", true },
	[VRRP_DROP_AH_SPI] = { "ah_spi", true },
	[VRRP_DROP_AH_SEQ] = { "ah_seq", true },
	[VRRP_DROP_ADVER_INT] = { "advert_interval", true },
	[VRRP_DROP_NADDR] = { "address_count", true },
	[VRRP_DROP_ADDRS] = { "addresses", true },
};

const char *vrrp_metrics_drop_label(unsigned why)
{
	return why && why < VRRP_DROP__COUNT ? drops[why].label : NULL;
}

/* The exporter's three labels of an instance: iname, intf, vrid. */
struct inst_lbl {
	char vrid[4];
	struct expo_label l[3];
	char *open;		/* the three rendered once (expo_labels_open) */
};

static uint64_t drop_of(const struct vrrp_inst *vi, enum vrrp_drop why)
{
	return vi->n_drop ? vi->n_drop[why] : 0;
}

static uint64_t drops_of(const struct vrrp_inst *vi, const enum vrrp_drop *why, unsigned n)
{
	uint64_t t = 0;

	for (unsigned i = 0; i < n; i++)
		t += drop_of(vi, why[i]);
	return t;
}

#define DROPS(vi, ...) drops_of(vi, (const enum vrrp_drop[]){ __VA_ARGS__ }, \
				sizeof((const enum vrrp_drop[]){ __VA_ARGS__ }) / sizeof(enum vrrp_drop))

typedef uint64_t inst_get_fn(const struct vrrp_inst *vi);

static uint64_t get_rx(const struct vrrp_inst *vi) { return vi->n_adverts_rx; }
static uint64_t get_tx(const struct vrrp_inst *vi) { return vi->n_adverts_tx; }
static uint64_t get_became(const struct vrrp_inst *vi) { return vi->n_became_master; }
/* keepalived.stats' "Released master" (vrrp_dump.c counts it: MASTER -> BACKUP or FAULT) */
static uint64_t get_released(const struct vrrp_inst *vi) { return vi->dump_n_released_master; }
static uint64_t get_prio0_rx(const struct vrrp_inst *vi) { return vi->n_prio0_rx; }
static uint64_t get_prio0_tx(const struct vrrp_inst *vi) { return vi->n_prio0_tx; }
static uint64_t get_transitions(const struct vrrp_inst *vi) { return vi->n_transitions; }
static uint64_t get_prio(const struct vrrp_inst *vi) { return vi->fc.priority; }
static uint64_t get_eff_prio(const struct vrrp_inst *vi) { return vi->fsm.eff_prio; }

/* keepalived 2.2.7's stats groupings, as in keepalived.stats (vrrp_dump.c sums the same). */
static uint64_t get_len_err(const struct vrrp_inst *vi)
{
	return DROPS(vi, VRRP_DROP_IP_LEN, VRRP_DROP_SHORT, VRRP_DROP_SHORT_ADDRS,
		     VRRP_DROP_SHORT_AUTH, VRRP_DROP_LENGTH);
}
static uint64_t get_int_err(const struct vrrp_inst *vi) { return drop_of(vi, VRRP_DROP_ADVER_INT); }
static uint64_t get_ttl_err(const struct vrrp_inst *vi) { return drop_of(vi, VRRP_DROP_TTL); }
static uint64_t get_type_err(const struct vrrp_inst *vi) { return drop_of(vi, VRRP_DROP_TYPE); }
static uint64_t get_addr_err(const struct vrrp_inst *vi)
{
	return DROPS(vi, VRRP_DROP_ADDRS, VRRP_DROP_NADDR, VRRP_DROP_DST);
}
/*
 * keepalived counts an auth type that is none of the three apart from one that differs
 * from ours; the decoder here reports both as VRRP_DROP_AUTH_TYPE (the mismatch).
 */
static uint64_t get_zero(const struct vrrp_inst *vi) { (void)vi; return 0; }
static uint64_t get_auth_mismatch(const struct vrrp_inst *vi)
{
	return drop_of(vi, VRRP_DROP_AUTH_TYPE);
}
static uint64_t get_auth_fail(const struct vrrp_inst *vi)
{
	return DROPS(vi, VRRP_DROP_AUTH, VRRP_DROP_AH_SPI, VRRP_DROP_AH_SEQ);
}
/* VIP conflicts and split brain (vrrp_conflict.h) */
static uint64_t get_conflicts(const struct vrrp_inst *vi) { return vrrp_conflict_n_episodes(vi); }
static uint64_t get_conflict_pkts(const struct vrrp_inst *vi) { return vrrp_conflict_n_packets(vi); }
static uint64_t get_conflict_now(const struct vrrp_inst *vi) { return vrrp_conflict_is_active(vi); }

/* "Gratuitous ARP delay" of keepalived.data (garp_master_delay, s) */
static uint64_t get_garp_delay(const struct vrrp_inst *vi)
{
	struct vrrp_eff eff;

	vrrp_eff_compute(vi->conf, &vi->ctx->gd, &eff);
	return eff.garp.master_delay_us / 1000000;
}

static const struct inst_family {
	const char *name;
	enum expo_type type;
	const char *help;
	inst_get_fn *get;
} inst_families[] = {
	/* mehdy/keepalived-exporter's, with its help texts */
	{ "keepalived_advertisements_received_total", EXPO_COUNTER, "Advertisements received", get_rx },
	{ "keepalived_advertisements_sent_total", EXPO_COUNTER, "Advertisements sent", get_tx },
	{ "keepalived_become_master_total", EXPO_COUNTER, "Became master", get_became },
	{ "keepalived_release_master_total", EXPO_COUNTER, "Released master", get_released },
	{ "keepalived_packet_length_errors_total", EXPO_COUNTER, "Packet length errors",
	  get_len_err },
	{ "keepalived_advertisements_interval_errors_total", EXPO_COUNTER,
	  "Advertisement interval errors", get_int_err },
	{ "keepalived_ip_ttl_errors_total", EXPO_COUNTER, "TTL errors", get_ttl_err },
	{ "keepalived_invalid_type_received_total", EXPO_COUNTER, "Invalid type errors",
	  get_type_err },
	{ "keepalived_address_list_errors_total", EXPO_COUNTER, "Address list errors",
	  get_addr_err },
	{ "keepalived_authentication_invalid_total", EXPO_COUNTER, "Authentication invalid",
	  get_zero },
	{ "keepalived_authentication_mismatch_total", EXPO_COUNTER, "Authentication mismatch",
	  get_auth_mismatch },
	{ "keepalived_authentication_failure_total", EXPO_COUNTER, "Authentication failure",
	  get_auth_fail },
	{ "keepalived_priority_zero_received_total", EXPO_COUNTER, "Priority zero received",
	  get_prio0_rx },
	{ "keepalived_priority_zero_sent_total", EXPO_COUNTER, "Priority zero sent", get_prio0_tx },
	/* the exporter's type for a setting (it reads keepalived.data's value) */
	{ "keepalived_gratuitous_arp_delay_total", EXPO_COUNTER, "Gratuitous ARP delay",
	  get_garp_delay },
	/* ours */
	{ "keepalived_vrrp_priority", EXPO_GAUGE, "Configured priority of the VRRP instance",
	  get_prio },
	{ "keepalived_vrrp_effective_priority", EXPO_GAUGE,
	  "Effective priority of the VRRP instance (configured plus tracking weights)",
	  get_eff_prio },
	{ "keepalived_vrrp_transitions_total", EXPO_COUNTER,
	  "State changes of the VRRP instance (INIT to BACKUP included)", get_transitions },
	{ "keepalived_vrrp_conflicts_total", EXPO_COUNTER,
	  "Conflicts seen as MASTER: another router claiming a VIP, or another master", get_conflicts },
	{ "keepalived_vrrp_conflict_packets_total", EXPO_COUNTER,
	  "Packets of those conflicts (ARP, neighbour adverts, adverts of another master)",
	  get_conflict_pkts },
	{ "keepalived_vrrp_conflict_active", EXPO_GAUGE,
	  "Whether a conflict goes on now (1) or not (0)", get_conflict_now },
};

/* "10.0.0.1/24" as keepalived.data writes it; the host prefix (/32, /128) is left out. */
static const char *vip_str(const struct vrrp_ipaddr *a, char *b, size_t size)
{
	unsigned host = a->addr.family == AF_INET ? 32 : 128;
	size_t n;

	inet_addr_str(&a->addr, b, size);
	n = strlen(b);
	if (a->prefix_len != host)
		snprintf(b + n, size - n, "/%u", a->prefix_len);
	return b;
}

/* keepalived_vrrp_state (and _excluded_state): one sample per address, as the exporter. */
static void state_family(struct vrrp_inst *const *insts, unsigned n, const struct inst_lbl *lb,
			 bool excl, struct expo *w)
{
	const char *name = excl ? "keepalived_vrrp_excluded_state" : "keepalived_vrrp_state";
	char b[INET6_ADDRSTRLEN + 8];

	expo_family(w, name, EXPO_GAUGE, excl ? "State of vrrp with excluded VIP" : "State of vrrp");
	for (unsigned i = 0; i < n; i++) {
		const struct vrrp_inst *vi = insts[i];
		unsigned lo = excl ? vi->conf->n_vips : 0;
		unsigned hi = excl ? vi->n_all_vips : vi->conf->n_vips;
		struct expo_label l[4] = { lb[i].l[0], lb[i].l[1], lb[i].l[2],
					   { "ip_address", "" } };

		if (hi > vi->n_all_vips)
			hi = vi->n_all_vips;
		/* without a VIP the exporter still has the state, with ip_address "" */
		if (!excl && lo == hi)
			expo_sample_u64(w, name, l, 4, vi->fsm.state);
		for (unsigned k = lo; k < hi; k++) {
			const struct vrrp_ipaddr *a = &vi->all_vips[k];

			l[1].value = a->ifname[0] ? a->ifname : vi->ifname;
			l[3].value = vip_str(a, b, sizeof(b));
			expo_sample_u64(w, name, l, 4, vi->fsm.state);
		}
	}
}

static void drop_family(struct vrrp_inst *const *insts, unsigned n, const struct inst_lbl *lb,
			struct expo *w)
{
	static const char name[] = "keepalived_vrrp_dropped_adverts_total";
	char extra[VRRP_DROP__COUNT][32];

	for (unsigned d = 1; d < VRRP_DROP__COUNT; d++)
		snprintf(extra[d], sizeof(extra[d]), ",reason=\"%s\"", drops[d].label);
	expo_family(w, name, EXPO_COUNTER,
		    "Adverts for the VRRP instance dropped by the receive path, by reason");
	/*
	 * Only instances that have dropped an advert: their counters exist from the first drop
	 * on (vrrp_inst_count_drop()), and a thousand quiet instances would otherwise be half
	 * of every scrape. Every reason is in the sockets' family from the start.
	 */
	for (unsigned i = 0; i < n; i++) {
		const struct vrrp_inst *vi = insts[i];

		if (!vi->n_drop)
			continue;
		for (unsigned d = 1; d < VRRP_DROP__COUNT; d++)
			if (drops[d].per_inst)
				expo_sample_pre_u64(w, name, lb[i].open, extra[d], drop_of(vi, d));
	}
}

/* The shared sockets: every packet is counted there, before it reaches an instance. */
static void sock_families(const struct vrrp_ctx *ctx, struct expo *w)
{
	static const char rx[] = "keepalived_vrrp_socket_received_total",
			  drop[] = "keepalived_vrrp_socket_dropped_total",
			  txerr[] = "keepalived_vrrp_socket_send_errors_total";
	char ifindex[16];
	struct expo_label l[4] = { { "ifindex", ifindex }, { "family", NULL }, { "protocol", NULL },
				   { "reason", NULL } };

	for (int pass = 0; pass < 3; pass++) {
		const char *name = pass == 0 ? rx : pass == 1 ? txerr : drop;

		if (pass == 0)
			expo_family(w, name, EXPO_COUNTER, "Packets read by a VRRP socket");
		else if (pass == 1)
			expo_family(w, name, EXPO_COUNTER, "Adverts a VRRP socket could not send");
		else
			expo_family(w, name, EXPO_COUNTER,
				    "Packets a VRRP socket dropped, by reason (any instance)");
		for (unsigned i = 0; i < ctx->n_socks; i++) {
			const struct vrrp_sock *vs = ctx->socks[i]->vs;
			const struct vrrp_sock_stats *st;

			if (!vs)
				continue;
			st = vrrp_sock_stats(vs);
			snprintf(ifindex, sizeof(ifindex), "%d", vrrp_sock_ifindex(vs));
			l[1].value = vrrp_sock_family(vs) == AF_INET ? "ipv4" : "ipv6";
			l[2].value = vrrp_sock_proto(vs) == VRRP_PROTO_AH ? "ah" : "vrrp";
			if (pass == 0)
				expo_sample_u64(w, name, l, 3, st->n_rx);
			else if (pass == 1)
				expo_sample_u64(w, name, l, 3, st->n_tx_err);
			else
				for (unsigned d = 1; d < VRRP_DROP__COUNT; d++) {
					l[3].value = drops[d].label;
					expo_sample_u64(w, name, l, 4, st->n_drop[d]);
				}
		}
	}
}

/* vrrp_script: the exporter's keepalived_script_status (BAD 0, GOOD 1) and _state. */
static void script_families(const struct vrrp_ctx *ctx, struct expo *w)
{
	struct expo_label l[1] = { { "name", NULL } };

	for (int pass = 0; pass < 2; pass++) {
		const char *name = pass ? "keepalived_script_state" : "keepalived_script_status";

		expo_family(w, name, EXPO_GAUGE, pass ? "Tracker Script State" :
			    "Tracker Script Status");
		for (unsigned i = 0; i < ctx->n_scripts; i++) {
			const struct vrrp_script_rt *sr = ctx->scripts[i];

			if (!sr || !sr->conf)
				continue;
			l[0].value = sr->conf->id.name;
			if (!pass)
				expo_sample_u64(w, name, l, 1, sr->ok);
			else	/* idle 0, running 1, requested termination 2 */
				expo_sample_u64(w, name, l, 1, process_run_state(&sr->run));
		}
	}
}

/*
 * When the instance entered its state (the status plane's st_since_us), as a Unix time:
 * Prometheus' way to say "time in state" (time() - it). None before the instance started.
 */
static void since_family(struct vrrp_inst *const *insts, unsigned n, const struct inst_lbl *lb,
			 struct expo *w)
{
	static const char name[] = "keepalived_vrrp_last_transition_timestamp_seconds";
	struct timespec rt;
	uint64_t mono = mono_now_us(), wall;

	clock_gettime(CLOCK_REALTIME, &rt);
	wall = (uint64_t)rt.tv_sec * 1000000 + (uint64_t)rt.tv_nsec / 1000;
	expo_family(w, name, EXPO_GAUGE,
		    "When the VRRP instance entered its current state, in seconds since the epoch");
	for (unsigned i = 0; i < n; i++) {
		uint64_t since = insts[i]->st_since_us;

		if (since && since <= mono && mono - since <= wall)
			expo_sample_pre_us(w, name, lb[i].open, NULL, wall - (mono - since));
	}
}

/*
 * The last takeover of each instance that ever took over from a master it heard
 * (vrrp_conflict_failover()): how long after that master's last advert, from whom, when.
 */
static void failover_families(struct vrrp_inst *const *insts, unsigned n,
			      const struct inst_lbl *lb, struct expo *w)
{
	static const char dur[] = "keepalived_vrrp_last_failover_seconds",
			  at[] = "keepalived_vrrp_last_failover_timestamp_seconds";
	struct timespec rt;
	uint64_t mono = mono_now_us(), wall;

	clock_gettime(CLOCK_REALTIME, &rt);
	wall = (uint64_t)rt.tv_sec * 1000000 + (uint64_t)rt.tv_nsec / 1000;
	for (int pass = 0; pass < 2; pass++) {
		const char *name = pass ? at : dur;

		expo_family(w, name, EXPO_GAUGE, pass ?
			    "When the VRRP instance last took over as MASTER, in seconds since the epoch" :
			    "How long after the last advert it heard the VRRP instance took over as MASTER");
		for (unsigned i = 0; i < n; i++) {
			uint64_t d_us, at_us;
			struct inet_addr from;
			char b[INET6_ADDRSTRLEN], extra[INET6_ADDRSTRLEN + 16];

			if (!vrrp_conflict_failover(insts[i], &d_us, &from, &at_us))
				continue;
			snprintf(extra, sizeof(extra), ",from=\"%s\"", inet_addr_str(&from, b, sizeof(b)));
			if (!pass)
				expo_sample_pre_us(w, name, lb[i].open, extra, d_us);
			else if (at_us <= mono && mono - at_us <= wall)
				expo_sample_pre_us(w, name, lb[i].open, extra, wall - (mono - at_us));
		}
	}
}

/*
 * Instances [lo, hi) of every per-instance family. A scrape is rendered a slice at a time
 * (vrrp_metrics_render_part()), each slice with the families' HELP and TYPE lines again:
 * the parent's join (expo_join()) merges each family's samples under one header.
 */
static void render_slice(const struct vrrp_ctx *ctx, unsigned lo, unsigned hi, struct expo *w)
{
	struct vrrp_inst *const *insts = ctx->insts + lo;
	unsigned n = hi - lo;
	struct inst_lbl *lb = calloc(n ? n : 1, sizeof(*lb));

	if (!lb)
		return;
	for (unsigned i = 0; i < n; i++) {
		const struct vrrp_inst *vi = insts[i];

		snprintf(lb[i].vrid, sizeof(lb[i].vrid), "%u", vi->conf->vrid);
		lb[i].l[0] = (struct expo_label){ "iname", vi->name };
		lb[i].l[1] = (struct expo_label){ "intf", vi->ifname };
		lb[i].l[2] = (struct expo_label){ "vrid", lb[i].vrid };
		if (!(lb[i].open = expo_labels_open(lb[i].l, 3)))
			goto out;
	}
	state_family(insts, n, lb, false, w);
	state_family(insts, n, lb, true, w);
	for (size_t k = 0; k < sizeof(inst_families) / sizeof(inst_families[0]); k++) {
		const struct inst_family *fam = &inst_families[k];

		expo_family(w, fam->name, fam->type, fam->help);
		for (unsigned i = 0; i < n; i++)
			expo_sample_pre_u64(w, fam->name, lb[i].open, NULL, fam->get(insts[i]));
	}
	since_family(insts, n, lb, w);
	failover_families(insts, n, lb, w);
	drop_family(insts, n, lb, w);
out:
	for (unsigned i = 0; i < n; i++)
		free(lb[i].open);
	free(lb);
}

/* What is not per instance: the sockets, the scripts, the process. */
static void render_tail(const struct vrrp_ctx *ctx, struct expo *w, bool proc)
{
	sock_families(ctx, w);
	script_families(ctx, w);
	if (proc)
		metrics_proc_render(w, "vrrp");
}

size_t vrrp_metrics_render_part(const struct vrrp_ctx *ctx, FILE *f, size_t cursor)
{
	unsigned lo = (unsigned)cursor, hi;
	struct expo w;

	expo_init(&w, f);
	/* a reload between two parts may have left fewer instances: the slice is clamped */
	lo = lo < ctx->n_insts ? lo : ctx->n_insts;
	hi = ctx->n_insts - lo > VRRP_METRICS_PART ? lo + VRRP_METRICS_PART : ctx->n_insts;
	render_slice(ctx, lo, hi, &w);
	if (hi < ctx->n_insts) {
		expo_flush(&w);
		return hi;
	}
	render_tail(ctx, &w, true);
	expo_flush(&w);
	return 0;
}

void vrrp_metrics_render_families(const struct vrrp_ctx *ctx, FILE *f)
{
	struct expo w;

	expo_init(&w, f);
	render_slice(ctx, 0, ctx->n_insts, &w);
	render_tail(ctx, &w, false);
	expo_flush(&w);
}
