// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/vrrp/vrrp_status.c: the VRRP child's part of `keepalived --status`: each instance's state. */
#include "vrrp_status.h"

#include <string.h>
#include <time.h>

#include "vrrp_ctx.h"
#include "vrrp_inst.h"

void vrrp_status_note(struct vrrp_inst *vi, const struct vrrp_fsm_in *in,
		      const struct vrrp_fsm_out *o, const struct inet_addr *from)
{
	if (o->state != o->prev) {
		vi->st_since_us = vrrp_now_us(vi);
		vi->st_has_master = false;
	}
	/*
	 * The adverts a backup takes as the master's: the one it now hears (for the status,
	 * keepalived's "Master router" / "Master priority" in the dumps, the failover line).
	 * A priority 0 advert (the master leaving) does not change who it was.
	 */
	if (o->state == VRRP_STATE_BACKUP && from && in->ev == VRRP_EV_ADVERT && in->peer_prio) {
		vi->st_master = *from;
		vi->st_master_prio = in->peer_prio;
		vi->st_has_master = true;
	}
}

uint64_t vrrp_status_since_realtime_us(const struct vrrp_inst *vi)
{
	struct timespec ts;
	uint64_t real, ago;

	if (!vi->st_since_us)
		return 0;
	clock_gettime(CLOCK_REALTIME, &ts);
	real = (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
	ago = mono_now_us() - vi->st_since_us;	/* sched_now_us()'s clock: CLOCK_MONOTONIC */
	return real > ago ? real - ago : 0;
}

/* The master's address: ours while master, the one it hears as backup; NULL: none known. */
static const struct inet_addr *master_of(const struct vrrp_inst *vi, bool *self)
{
	*self = false;
	if (vi->fsm.state == VRRP_STATE_MASTER) {
		*self = true;
		return vi->has_src ? &vi->src : NULL;
	}
	if (vi->fsm.state == VRRP_STATE_BACKUP && vi->st_has_master)
		return &vi->st_master;
	return NULL;
}

static uint64_t in_state_us(const struct vrrp_inst *vi)
{
	uint64_t now = vrrp_now_us(vi);

	return vi->st_since_us && now > vi->st_since_us ? now - vi->st_since_us : 0;
}

static void vip_str(const struct vrrp_ipaddr *a, char *buf, size_t len)
{
	char b[INET6_ADDRSTRLEN];

	snprintf(buf, len, "%s/%u", inet_addr_str(&a->addr, b, sizeof(b)), a->prefix_len);
}

/* "H:MM:SS", "Nd HH:MM:SS" */
static void duration(char *buf, size_t len, uint64_t us)
{
	uint64_t s = us / 1000000;

	if (s >= 86400)
		snprintf(buf, len, "%llud %02u:%02u:%02u", (unsigned long long)(s / 86400),
			 (unsigned)(s % 86400 / 3600), (unsigned)(s % 3600 / 60), (unsigned)(s % 60));
	else
		snprintf(buf, len, "%u:%02u:%02u", (unsigned)(s / 3600), (unsigned)(s % 3600 / 60),
			 (unsigned)(s % 60));
}

/* Instances per part: a part takes about a millisecond. */
#define PART_INSTS 200

/*
 * keepalived --status: one line per instance, under a header. A part: the instances from
 * cursor - 1 (the header first at 0); returns where the next part starts, 0 when done.
 */
static size_t render_text(const struct vrrp_ctx *ctx, FILE *f, size_t cursor)
{
	int w_name = (int)strlen("VRRP INSTANCE"), w_if = (int)strlen("INTERFACE");
	char b[INET6_ADDRSTRLEN + 16];

	for (unsigned i = 0; i < ctx->n_insts; i++) {
		const struct vrrp_inst *vi = ctx->insts[i];

		if ((int)strlen(vi->name) > w_name)
			w_name = (int)strlen(vi->name);
		if ((int)strlen(vi->ifname) > w_if)
			w_if = (int)strlen(vi->ifname);
	}
	if (!cursor) {
		fprintf(f, "%-*s  %-6s  %4s  %4s  %4s  %-*s  %-39s  %9s  %13s  %s\n", w_name,
			"VRRP INSTANCE", "STATE", "PRIO", "EFF", "VRID", w_if, "INTERFACE", "MASTER",
			"IN STATE", "LAST FAILOVER", "VIPS");
		if (!ctx->n_insts)
			fputs("(no VRRP instance)\n", f);
		cursor = 1;
	}
	/* a reload between parts may have removed instances: the count is read afresh */
	for (unsigned i = (unsigned)cursor - 1, end = i + PART_INSTS; i < ctx->n_insts; i++) {
		const struct vrrp_inst *vi = ctx->insts[i];
		bool self;
		const struct inet_addr *m = master_of(vi, &self);
		char mb[INET6_ADDRSTRLEN + 16];
		uint64_t fo_us;

		if (i == end)
			return i + 1;
		if (m)
			snprintf(mb, sizeof(mb), "%s%s", inet_addr_str(m, b, sizeof(b)),
				 self ? " (this host)" : "");
		else
			snprintf(mb, sizeof(mb), "%s", self ? "this host" : "-");
		fprintf(f, "%-*s  %-6s  %4u  %4u  %4u  %-*s  %-39s  ", w_name, vi->name,
			vrrp_state_str(vi->fsm.state), vi->fc.priority, vi->fsm.eff_prio,
			vi->conf->vrid, w_if, vi->ifname[0] ? vi->ifname : "-", mb);
		if (vi->st_since_us)
			duration(mb, sizeof(mb), in_state_us(vi));
		fprintf(f, "%9s", vi->st_since_us ? mb : "-");
		/* the last takeover: how long after the last advert heard (vrrp_conflict.c) */
		if (vrrp_conflict_failover(vi, &fo_us, NULL, NULL))
			snprintf(mb, sizeof(mb), "%llums", (unsigned long long)(fo_us / 1000));
		fprintf(f, "  %13s  ", vrrp_conflict_failover(vi, NULL, NULL, NULL) ? mb : "-");
		for (unsigned v = 0; v < vi->n_all_vips; v++) {
			vip_str(&vi->all_vips[v], b, sizeof(b));
			fprintf(f, "%s%s%s", v ? "," : "", b,
				v >= vi->conf->n_vips ? "(excluded)" : "");
		}
		if (!vi->n_all_vips)
			fputc('-', f);
		fputc('\n', f);
	}
	return 0;
}

static void json_vips(const struct vrrp_inst *vi, FILE *f, bool excluded)
{
	char b[INET6_ADDRSTRLEN + 16];
	bool first = true;

	fputc('[', f);
	for (unsigned v = 0; v < vi->n_all_vips; v++) {
		if ((v >= vi->conf->n_vips) != excluded)
			continue;
		vip_str(&vi->all_vips[v], b, sizeof(b));
		fputs(first ? "" : ",", f);
		ctl_json_str(f, b);
		first = false;
	}
	fputc(']', f);
}

/* keepalived --status --json: the "vrrp" member (schema in keepalived(8), STATUS), in parts. */
static size_t render_json(const struct vrrp_ctx *ctx, FILE *f, size_t cursor)
{
	char b[INET6_ADDRSTRLEN];

	if (!cursor) {
		fputs("{\"instances\":[", f);
		cursor = 1;
	}
	for (unsigned i = (unsigned)cursor - 1, end = i + PART_INSTS; i < ctx->n_insts; i++) {
		const struct vrrp_inst *vi = ctx->insts[i];
		bool self;
		const struct inet_addr *m = master_of(vi, &self);
		uint64_t us = in_state_us(vi), fo_us;
		struct inet_addr fo_from;
		const struct vrrp_conflict_peer *peer;
		char pb[VRRP_CONFLICT_PEER_STRLEN];

		if (i == end)
			return i + 1;
		fputs(i ? ",{\"name\":" : "{\"name\":", f);
		ctl_json_str(f, vi->name);
		fprintf(f, ",\"state\":\"%s\",\"priority\":%u,\"effective_priority\":%u,"
			"\"vrid\":%u,\"version\":%u,\"family\":\"%s\",\"interface\":",
			vrrp_state_str(vi->fsm.state), vi->fc.priority, vi->fsm.eff_prio,
			vi->conf->vrid, vi->version, vi->family == AF_INET6 ? "inet6" : "inet");
		ctl_json_str(f, vi->ifname[0] ? vi->ifname : NULL);
		fputs(",\"master\":", f);
		if (m || self) {
			fputs("{\"address\":", f);
			ctl_json_str(f, m ? inet_addr_str(m, b, sizeof(b)) : NULL);
			fprintf(f, ",\"self\":%s}", self ? "true" : "false");
		} else {
			fputs("null", f);
		}
		fputs(",\"vips\":", f);
		json_vips(vi, f, false);
		fputs(",\"excluded_vips\":", f);
		json_vips(vi, f, true);
		if (vi->st_since_us)
			fprintf(f, ",\"in_state_s\":%llu.%03u", (unsigned long long)(us / 1000000),
				(unsigned)(us % 1000000 / 1000));
		else
			fputs(",\"in_state_s\":null", f);
		if (vrrp_conflict_failover(vi, &fo_us, &fo_from, NULL)) {
			fprintf(f, ",\"last_failover\":{\"duration_ms\":%llu.%03u,\"from\":",
				(unsigned long long)(fo_us / 1000), (unsigned)(fo_us % 1000));
			ctl_json_str(f, fo_from.family ? inet_addr_str(&fo_from, b, sizeof(b)) : NULL);
			fputc('}', f);
		} else {
			fputs(",\"last_failover\":null", f);
		}
		/* VIP conflicts and split brain while master (vrrp_conflict.h) */
		fprintf(f, ",\"conflicts\":%llu,\"conflict_active\":%s,\"last_conflict_peer\":",
			(unsigned long long)vrrp_conflict_n_episodes(vi),
			vrrp_conflict_is_active(vi) ? "true" : "false");
		peer = vrrp_conflict_last_peer(vi);
		ctl_json_str(f, peer ? vrrp_conflict_peer_str(peer, pb, sizeof(pb)) : NULL);
		fprintf(f, ",\"tracked_faults\":%u,\"became_master\":%u,\"adverts_rx\":%llu,"
			"\"adverts_tx\":%llu}", vi->n_faults, vi->n_became_master,
			(unsigned long long)vi->n_adverts_rx, (unsigned long long)vi->n_adverts_tx);
	}
	fputs("]}", f);
	return 0;
}

size_t vrrp_status_render_part(const void *state, enum ka_ctl_req req, FILE *f, size_t cursor)
{
	const struct vrrp_ctx *ctx = state;

	if (req == KA_CTL_STATUS_TEXT)
		return render_text(ctx, f, cursor);
	if (req == KA_CTL_STATUS_JSON)
		return render_json(ctx, f, cursor);
	return 0;
}
