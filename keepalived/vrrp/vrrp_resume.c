// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/vrrp/vrrp_resume.c: a VRRP child respawned after a crash resumes the MASTER instances it held. */
#include "vrrp_resume.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/child.h"
#include "core/reflector.h"
#include "core/resume.h"
#include "log.h"
#include "scheduler.h"
#include "utils.h"
#include "vrrp_ctx.h"
#include "vrrp_inst.h"

#define REPORT_MAGIC 0x56525331u	/* "VRS1" */
#define RETRY_US (100 * 1000)		/* the parent's socket was full: again after this */

/* One MASTER instance in a report. */
struct entry {
	uint64_t name_hash;
	uint64_t fingerprint;
};

struct report_head {
	uint32_t magic;
	uint32_t n;
};

#define MAX_ENTRIES ((KA_RESUME_MAX - sizeof(struct report_head)) / sizeof(struct entry))

struct vrrp_resume {
	struct entry *handed;		/* the predecessor's MASTER instances (at the start) */
	uint32_t n_handed;
	bool started;
	struct sched_ev *ev_send;
	struct entry *buf;		/* our report, built at each send */
	bool err_logged, cut_logged;
};

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++) {
		h ^= b[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

#define FNV_INIT 0xcbf29ce484222325ull

static uint64_t name_hash(const struct vrrp_inst *vi)
{
	return fnv(FNV_INIT, vi->name, strlen(vi->name));
}

static uint64_t fingerprint(const struct vrrp_inst *vi)
{
	uint64_t h = FNV_INIT;
	uint8_t b[6] = { vi->conf->vrid, vi->family, vi->version, vi->fc.priority,
			 (uint8_t)(vi->fc.adver_int_cs & 0xff), (uint8_t)(vi->fc.adver_int_cs >> 8) };

	h = fnv(h, vi->ifname, strlen(vi->ifname) + 1);
	h = fnv(h, b, sizeof(b));
	for (unsigned i = 0; i < vi->n_all_vips; i++) {
		const struct vrrp_ipaddr *a = &vi->all_vips[i];
		size_t len = a->addr.family == AF_INET6 ? 16 : 4;
		uint8_t fam = (uint8_t)a->addr.family;

		h = fnv(h, &fam, 1);
		h = fnv(h, &a->addr.v6, len);
		h = fnv(h, a->ifname, strlen(a->ifname) + 1);
	}
	return h;
}

static struct vrrp_resume *get(struct vrrp_ctx *ctx)
{
	if (!ctx->resume)
		ctx->resume = xcalloc(1, sizeof(*ctx->resume));
	return ctx->resume;
}

/* The predecessor's report, once, at the first instance's start. */
static void load_handed(struct vrrp_ctx *ctx, struct vrrp_resume *rs)
{
	struct report_head hd;
	size_t len;
	const char *p = ka_child_resume_state(ctx->arg, &len);

	if (rs->started || rs->handed || !p || len < sizeof(hd))
		return;
	memcpy(&hd, p, sizeof(hd));
	if (hd.magic != REPORT_MAGIC || hd.n > (len - sizeof(hd)) / sizeof(struct entry))
		return;
	rs->handed = xcalloc(hd.n ? hd.n : 1, sizeof(struct entry));
	memcpy(rs->handed, p + sizeof(hd), hd.n * sizeof(struct entry));
	rs->n_handed = hd.n;
}

static const char *why_not(const struct vrrp_inst *vi, uint64_t fp_was)
{
	if (fingerprint(vi) != fp_was)
		return "its configuration changed";
	if (vi->sync)
		return "it is in a sync group";
	if (vi->fsm.in_fault)
		return "it is in FAULT";
	if (!vi->ifindex)
		return "its interface is missing";
	for (unsigned i = 0; i < vi->n_all_vips; i++) {
		const struct vrrp_ipaddr *a = &vi->all_vips[i];

		if (!a->ifindex || !reflector_addr_find(vi->ctx->refl, a->ifindex, &a->addr))
			return "its VIPs are not all set";
	}
	return NULL;
}

bool vrrp_resume_check(struct vrrp_inst *vi)
{
	struct vrrp_ctx *ctx = vi->ctx;
	struct vrrp_resume *rs;
	uint64_t h;
	const char *why;

	if (!ctx->arg || (!ka_child_resume_state(ctx->arg, &(size_t){ 0 }) && !ctx->resume))
		return false;	/* a normal start (the usual case): nothing to look at */
	rs = get(ctx);
	load_handed(ctx, rs);
	if (rs->started)
		return false;
	h = name_hash(vi);
	for (uint32_t i = 0; i < rs->n_handed; i++) {
		if (rs->handed[i].name_hash != h)
			continue;
		why = why_not(vi, rs->handed[i].fingerprint);
		if (why) {
			log_info("(%s) not resuming MASTER state after a restart of the VRRP process: %s",
				 vi->name, why);
			return false;
		}
		log_info("(%s) resuming MASTER state after a restart of the VRRP process: its VIPs are still set",
			 vi->name);
		return true;
	}
	return false;
}

static void send_cb(struct sched_ev *ev, void *arg)
{
	struct vrrp_ctx *ctx = arg;
	struct vrrp_resume *rs = ctx->resume;
	struct report_head hd = { .magic = REPORT_MAGIC };
	size_t len;
	char *msg;
	int r;

	rs->buf = xrealloc(rs->buf, (ctx->n_insts ? ctx->n_insts : 1) * sizeof(struct entry));
	for (unsigned i = 0; i < ctx->n_insts; i++) {
		const struct vrrp_inst *vi = ctx->insts[i];

		if (vi && vi->fsm.state == VRRP_STATE_MASTER)
			rs->buf[hd.n++] = (struct entry){ name_hash(vi), fingerprint(vi) };
	}
	if (hd.n > MAX_ENTRIES) {
		if (!rs->cut_logged)
			log_warn("%u MASTER instances: only the first %u are reported to the parent; "
				 "a restart of the VRRP process after a crash resumes only those",
				 (unsigned)hd.n, (unsigned)MAX_ENTRIES);
		rs->cut_logged = true;
		hd.n = MAX_ENTRIES;
	}
	len = sizeof(hd) + hd.n * sizeof(struct entry);
	msg = xmalloc(len);
	memcpy(msg, &hd, sizeof(hd));
	memcpy(msg + sizeof(hd), rs->buf, hd.n * sizeof(struct entry));
	r = ka_child_report_state(ctx->arg, msg, len);
	free(msg);
	if (r == -EAGAIN)
		sched_timer(ctx->s, &rs->ev_send, RETRY_US, send_cb, ctx);
	else if (r < 0 && !rs->err_logged) {
		rs->err_logged = true;
		log_warn("Cannot report the MASTER instances to the parent: %s; a restart of the VRRP process after a crash will not resume them",
			 strerror(-r));
	}
}

void vrrp_resume_changed(struct vrrp_ctx *ctx)
{
	struct vrrp_resume *rs;

	if (!ctx->arg)
		return;		/* not a child's (a unit test's context) */
	rs = get(ctx);
	if (rs->started && !rs->ev_send && !ctx->stopping)
		sched_defer(ctx->s, &rs->ev_send, send_cb, ctx);
}

void vrrp_resume_started(struct vrrp_ctx *ctx)
{
	struct vrrp_resume *rs = get(ctx);

	free(rs->handed);
	rs->handed = NULL;
	rs->n_handed = 0;
	rs->started = true;
	vrrp_resume_changed(ctx);
}

void vrrp_resume_free(struct vrrp_ctx *ctx)
{
	struct vrrp_resume *rs = ctx->resume;

	if (!rs)
		return;
	sched_cancel(&rs->ev_send);
	free(rs->handed);
	free(rs->buf);
	free(rs);
	ctx->resume = NULL;
}
