// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/check/check_dump.c: SIGUSR1: every virtual server, real server and checker's state. */
#include <stdio.h>

#include "check_api.h"
#include "check_daemon.h"
#include "check_engine.h"
#include "scheduler.h"

static const char *yes_no(bool b)
{
	return b ? "yes" : "no";
}

static void dump_ck(const struct ce_ck *ck, FILE *f, uint64_t now_us)
{
	fprintf(f, "   Checker %s: %s, has_run %s, retry_it %u/%u, %s", ck_type_kw(ck->cf->type),
		ck->is_up ? "UP" : "DOWN", yes_no(ck->has_run), ck->retry_it, ck->cf->retry,
		ck->enabled ? "enabled" : "suspended (ha_suspend)");
	if (ck->cur_weight)
		fprintf(f, ", weight %+d", ck->cur_weight);
	fprintf(f, "\n");
	if (ck->probe)
		ck_probe_dump(ck->probe, f, now_us);
	else
		fprintf(f, "     not probed (dropped, or its type is not built)\n");
}

void check_dump_state(const void *state, FILE *f, bool stats)
{
	const struct ce *e = check_ctx_engine(state);
	uint64_t now_us = sched_now_us(check_ctx_sched(state));

	if (stats || !e)
		return;
	fprintf(f, "------< Health checkers >------\n");
	fprintf(f, " IPVS: %s\n", check_ctx_ipvs(state) ? "programmed" :
		"not available (nothing is programmed)");
	for (unsigned v = 0; v < ce_n_vs(e); v++) {
		struct ce_vs *vs = ce_vs_at(e, v);
		const struct vs_conf *vc = ce_vs_conf(vs);

		fprintf(f, " VS %s: quorum %s (%u, hysteresis %u)\n", ce_vs_str(vs),
			ce_vs_quorum_up(vs) ? "UP" : "DOWN", vc->quorum, vc->hysteresis);
		for (unsigned r = 0; r < ce_vs_n_rs(vs); r++) {
			struct ce_rs *rs = ce_rs_at(vs, r);

			fprintf(f, "  RS %s: %s, in IPVS %s, weight %d (configured %d)\n", ce_rs_str(rs),
				ce_rs_alive(rs) ? "alive" : "down", yes_no(ce_rs_in_table(rs)),
				ce_rs_weight(rs), ce_rs_conf(rs)->weight);
			for (unsigned c = 0; c < ce_rs_n_ck(rs); c++)
				dump_ck(ce_ck_at(rs, c), f, now_us);
		}
	}
}
