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

/* Labels of one real server's samples: copies, whatever the accessors return. */
struct rs_lbl {
	char vs[128], rs[128], index[12];
	struct expo_label l[4];	/* virtual_server, real_server, checker, index */
};

static void rs_labels(struct rs_lbl *lb, const struct ce_vs *vs, const struct ce_rs *rs)
{
	snprintf(lb->vs, sizeof(lb->vs), "%s", ce_vs_str(vs));
	snprintf(lb->rs, sizeof(lb->rs), "%s", ce_rs_str(rs));
	lb->l[0] = (struct expo_label){ "virtual_server", lb->vs };
	lb->l[1] = (struct expo_label){ "real_server", lb->rs };
	lb->l[2] = (struct expo_label){ "checker", NULL };
	lb->l[3] = (struct expo_label){ "index", lb->index };
}

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

static void rs_sample(FILE *f, enum rs_fam k, struct rs_lbl *lb, const struct ce_rs *rs)
{
	const char *name = rs_fams[k].name;

	switch (k) {
	case RSF_UP:
		expo_sample_u64(f, name, lb->l, 2, ce_rs_alive(rs));
		break;
	case RSF_IN_IPVS:
		expo_sample_u64(f, name, lb->l, 2, ce_rs_in_table(rs));
		break;
	default:
		expo_sample_i64(f, name, lb->l, 2, ce_rs_weight(rs));
		break;
	}
}

static void ck_sample(FILE *f, enum ck_fam k, struct rs_lbl *lb, const struct ce_ck *ck)
{
	const char *name = ck_fams[k].name;
	struct ck_probe_stats st = { 0 };

	if (ck->probe)
		ck_probe_get_stats(ck->probe, &st);
	switch (k) {
	case CKF_UP:
		expo_sample_u64(f, name, lb->l, 4, ck->is_up);
		break;
	case CKF_ATTEMPTS:
		expo_sample_u64(f, name, lb->l, 4, st.n_attempts);
		break;
	case CKF_FAILURES:
		expo_sample_u64(f, name, lb->l, 4, st.n_failures);
		break;
	default:
		/* no sample before the first result: 0 s would be a lie */
		if (st.has_result)
			expo_sample_f(f, name, lb->l, 4, st.last_latency_us / 1e6);
		break;
	}
}

void check_metrics_render_families(const struct ce *e, FILE *f)
{
	struct rs_lbl lb;
	char vs_name[128];
	struct expo_label vl[1] = { { "virtual_server", vs_name } };
	unsigned nv = e ? ce_n_vs(e) : 0;

	expo_family(f, "keepalived_virtual_server_quorum_up", EXPO_GAUGE,
		    "Whether the virtual server's quorum is met (1) or not (0)");
	for (unsigned v = 0; v < nv; v++) {
		const struct ce_vs *vs = ce_vs_at(e, v);

		snprintf(vs_name, sizeof(vs_name), "%s", ce_vs_str(vs));
		expo_sample_u64(f, "keepalived_virtual_server_quorum_up", vl, 1,
				ce_vs_quorum_up(vs));
	}
	expo_family(f, "keepalived_virtual_server_alive_real_servers", EXPO_GAUGE,
		    "Real servers of the virtual server that are alive");
	for (unsigned v = 0; v < nv; v++) {
		const struct ce_vs *vs = ce_vs_at(e, v);
		unsigned alive = 0;

		for (unsigned r = 0; r < ce_vs_n_rs(vs); r++)
			alive += ce_rs_alive(ce_rs_at(vs, r));
		snprintf(vs_name, sizeof(vs_name), "%s", ce_vs_str(vs));
		expo_sample_u64(f, "keepalived_virtual_server_alive_real_servers", vl, 1, alive);
	}
	for (int k = 0; k < RSF__COUNT; k++) {
		expo_family(f, rs_fams[k].name, rs_fams[k].type, rs_fams[k].help);
		for (unsigned v = 0; v < nv; v++) {
			const struct ce_vs *vs = ce_vs_at(e, v);

			for (unsigned r = 0; r < ce_vs_n_rs(vs); r++) {
				const struct ce_rs *rs = ce_rs_at(vs, r);

				rs_labels(&lb, vs, rs);
				rs_sample(f, k, &lb, rs);
			}
		}
	}
	for (int k = 0; k < CKF__COUNT; k++) {
		expo_family(f, ck_fams[k].name, ck_fams[k].type, ck_fams[k].help);
		for (unsigned v = 0; v < nv; v++) {
			const struct ce_vs *vs = ce_vs_at(e, v);

			for (unsigned r = 0; r < ce_vs_n_rs(vs); r++) {
				const struct ce_rs *rs = ce_rs_at(vs, r);

				rs_labels(&lb, vs, rs);
				for (unsigned c = 0; c < ce_rs_n_ck(rs); c++) {
					const struct ce_ck *ck = ce_ck_at(rs, c);

					snprintf(lb.index, sizeof(lb.index), "%u", c);
					lb.l[2].value = ck_type_kw(ck->cf->type);
					ck_sample(f, k, &lb, ck);
				}
			}
		}
	}
}

void check_metrics_render(const void *state, FILE *f)
{
	check_metrics_render_families(check_ctx_engine(state), f);
	metrics_proc_render(f, "checker");
}
