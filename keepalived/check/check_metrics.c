// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/check/check_metrics.c: the checker child's Prometheus families (KA_CTL_METRICS). */
#include "check_metrics.h"

#include <stdlib.h>
#include <string.h>

#include "check_api.h"
#include "check_daemon.h"
#include "check_engine.h"
#include "core/metrics_expo.h"
#include "core/metrics_proc.h"

enum rs_fam { RSF_UP, RSF_IN_IPVS, RSF_WEIGHT, RSF__COUNT };
enum ck_fam { CKF_UP, CKF_ATTEMPTS, CKF_FAILURES, CKF_LATENCY, CKF__COUNT };

static const struct {
	const char *name;
	enum expo_type type;
	const char *help;
} rs_fams[RSF__COUNT] = {
	[RSF_UP] = { "keepalived_real_server_up", EXPO_GAUGE,
		    "Whether the real server is alive (1: every checker up) or down (0)" },
	[RSF_IN_IPVS] = { "keepalived_real_server_in_ipvs", EXPO_GAUGE,
			 "Whether the real server is in the IPVS table" },
	[RSF_WEIGHT] = { "keepalived_real_server_weight", EXPO_GAUGE,
			"Effective weight of the real server (configured plus checkers' dynamic weights)" },
}, ck_fams[CKF__COUNT] = {
	[CKF_UP] = { "keepalived_checker_up", EXPO_GAUGE,
		    "Whether the checker of the real server is up (1) or down (0)" },
	[CKF_ATTEMPTS] = { "keepalived_checker_attempts_total", EXPO_COUNTER,
			  "Checks the checker's probe has started" },
	[CKF_FAILURES] = { "keepalived_checker_failures_total", EXPO_COUNTER,
			  "Checks of the checker's probe that failed" },
	[CKF_LATENCY] = { "keepalived_checker_latency_seconds", EXPO_GAUGE,
			 "How long the probe's last check took, from its start to its result" },
};

/* Each real server of e, in config order, with its labels rendered once. */
struct rs_ref {
	const struct ce_rs *rs;
	char *open;		/* {virtual_server="...",real_server="..." */
};

/* Real servers [lo, hi) in config order (flattened over the virtual servers); *n_out found. */
static struct rs_ref *collect(const struct ce *e, unsigned lo, unsigned hi, unsigned *n_out)
{
	unsigned nv = e ? ce_n_vs(e) : 0, k = 0, at = 0;
	struct rs_ref *v = calloc(hi > lo ? hi - lo : 1, sizeof(*v));

	*n_out = 0;
	if (!v)
		return NULL;
	for (unsigned i = 0; i < nv && at < hi; i++) {
		const struct ce_vs *vs = ce_vs_at(e, i);
		unsigned n = ce_vs_n_rs(vs);
		char vs_name[128];

		if (at + n <= lo) {	/* wholly before the slice */
			at += n;
			continue;
		}
		/* a copy: the accessors' strings are not promised to outlive the next call */
		snprintf(vs_name, sizeof(vs_name), "%s", ce_vs_str(vs));
		for (unsigned r = 0; r < n && at < hi; r++, at++) {
			const struct ce_rs *rs;

			if (at < lo)
				continue;
			rs = ce_rs_at(vs, r);
			const struct expo_label l[2] = { { "virtual_server", vs_name },
							 { "real_server", ce_rs_str(rs) } };

			v[k].rs = rs;
			if (!(v[k].open = expo_labels_open(l, 2)))
				goto out;
			k++;
		}
	}
out:
	*n_out = k;
	return v;
}

static unsigned count_rs(const struct ce *e)
{
	unsigned n = 0, nv = e ? ce_n_vs(e) : 0;

	for (unsigned i = 0; i < nv; i++)
		n += ce_vs_n_rs(ce_vs_at(e, i));
	return n;
}

static void rs_sample(struct expo *w, enum rs_fam k, const struct rs_ref *r)
{
	const char *name = rs_fams[k].name;

	switch (k) {
	case RSF_UP:
		expo_sample_pre_u64(w, name, r->open, NULL, ce_rs_alive(r->rs));
		break;
	case RSF_IN_IPVS:
		expo_sample_pre_u64(w, name, r->open, NULL, ce_rs_in_table(r->rs));
		break;
	default:
		expo_sample_pre_i64(w, name, r->open, NULL, ce_rs_weight(r->rs));
		break;
	}
}

static void ck_sample(struct expo *w, enum ck_fam k, const struct rs_ref *r, const char *extra,
		      const struct ce_ck *ck)
{
	const char *name = ck_fams[k].name;
	struct ck_probe_stats st = { 0 };

	if (ck->probe)
		ck_probe_get_stats(ck->probe, &st);
	switch (k) {
	case CKF_UP:
		expo_sample_pre_u64(w, name, r->open, extra, ck->is_up);
		break;
	case CKF_ATTEMPTS:
		expo_sample_pre_u64(w, name, r->open, extra, st.n_attempts);
		break;
	case CKF_FAILURES:
		expo_sample_pre_u64(w, name, r->open, extra, st.n_failures);
		break;
	default:
		/* no sample before the first result: 0 s would be a lie */
		if (st.has_result)
			expo_sample_pre_us(w, name, r->open, extra, st.last_latency_us);
		break;
	}
}

/*
 * The checker's labels after the real server's: `,checker="TCP_CHECK",index="0"`, made
 * once per type and place in a scrape (ten thousand snprintf()s were a good part of it).
 */
#define EXTRA_CACHED 4
typedef char extra_cache[CK__COUNT][EXTRA_CACHED][48];

static const char *ck_extra(extra_cache cache, enum ck_type t, unsigned c, char *buf)
{
	char *e = (unsigned)t < CK__COUNT && c < EXTRA_CACHED ? cache[t][c] : buf;

	if (!*e || e == buf)
		snprintf(e, 48, ",checker=\"%s\",index=\"%u\"", ck_type_kw(t), c);
	return e;
}

/* Per virtual server: small, written whole in the first part. */
static void vs_families(const struct ce *e, struct expo *w)
{
	char vs_name[128];
	struct expo_label vl[1] = { { "virtual_server", vs_name } };
	unsigned nv = e ? ce_n_vs(e) : 0;

	expo_family(w, "keepalived_virtual_server_quorum_up", EXPO_GAUGE,
		    "Whether the virtual server's quorum is met (1) or not (0)");
	for (unsigned v = 0; v < nv; v++) {
		const struct ce_vs *vs = ce_vs_at(e, v);

		snprintf(vs_name, sizeof(vs_name), "%s", ce_vs_str(vs));
		expo_sample_u64(w, "keepalived_virtual_server_quorum_up", vl, 1,
				ce_vs_quorum_up(vs));
	}
	expo_family(w, "keepalived_virtual_server_alive_real_servers", EXPO_GAUGE,
		    "Real servers of the virtual server that are alive");
	for (unsigned v = 0; v < nv; v++) {
		const struct ce_vs *vs = ce_vs_at(e, v);
		unsigned alive = 0;

		for (unsigned r = 0; r < ce_vs_n_rs(vs); r++)
			alive += ce_rs_alive(ce_rs_at(vs, r));
		snprintf(vs_name, sizeof(vs_name), "%s", ce_vs_str(vs));
		expo_sample_u64(w, "keepalived_virtual_server_alive_real_servers", vl, 1, alive);
	}
}

/*
 * Real servers [lo, hi) of every per-real-server and per-checker family, each slice with
 * the families' headers again: the parent's expo_join() merges them.
 */
static void render_slice(const struct ce *e, unsigned lo, unsigned hi, struct expo *w)
{
	extra_cache extras = { { { 0 } } };
	unsigned n_rs;
	struct rs_ref *rr = collect(e, lo, hi, &n_rs);

	if (!rr)
		return;
	for (int k = 0; k < RSF__COUNT; k++) {
		expo_family(w, rs_fams[k].name, rs_fams[k].type, rs_fams[k].help);
		for (unsigned i = 0; i < n_rs; i++)
			rs_sample(w, k, &rr[i]);
	}
	for (int k = 0; k < CKF__COUNT; k++) {
		expo_family(w, ck_fams[k].name, ck_fams[k].type, ck_fams[k].help);
		for (unsigned i = 0; i < n_rs; i++)
			for (unsigned c = 0; c < ce_rs_n_ck(rr[i].rs); c++) {
				const struct ce_ck *ck = ce_ck_at(rr[i].rs, c);
				char extra[64];

				ck_sample(w, k, &rr[i], ck_extra(extras, ck->cf->type, c, extra), ck);
			}
	}
	for (unsigned i = 0; i < n_rs; i++)
		free(rr[i].open);
	free(rr);
}

void check_metrics_render_families(const struct ce *e, FILE *f)
{
	struct expo w;

	expo_init(&w, f);
	vs_families(e, &w);
	render_slice(e, 0, count_rs(e), &w);
	expo_flush(&w);
}

size_t check_metrics_render_part(const void *state, FILE *f, size_t cursor)
{
	const struct ce *e = check_ctx_engine(state);
	unsigned n = count_rs(e), lo = cursor < n ? (unsigned)cursor : n;
	unsigned hi = n - lo > CHECK_METRICS_PART ? lo + CHECK_METRICS_PART : n;
	struct expo w;

	expo_init(&w, f);
	if (!cursor)
		vs_families(e, &w);
	render_slice(e, lo, hi, &w);
	if (hi < n) {
		expo_flush(&w);
		return hi;
	}
	metrics_proc_render(&w, "checker");
	expo_flush(&w);
	return 0;
}
