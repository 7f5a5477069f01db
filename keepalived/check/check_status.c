// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/check/check_status.c: the checker child's part of `keepalived --status`: virtual and real servers. */
#include <stdio.h>
#include <string.h>

#include "check_daemon.h"
#include "check_engine.h"
#include "core/ctl.h"

/* "up", "down", "suspended" (ha_suspend), or "pending" before its first result */
static const char *ck_state(const struct ce_ck *ck)
{
	if (!ck->enabled)
		return "suspended";
	if (!ck->has_run)
		return "pending";
	return ck->is_up ? "up" : "down";
}

static void text_rs(const struct ce_rs *rs, FILE *f, const char *what)
{
	fprintf(f, "  %s %s  %s  weight %d (configured %d)  %s", what, ce_rs_str(rs),
		ce_rs_alive(rs) ? "alive" : "DOWN", ce_rs_weight(rs), ce_rs_conf(rs)->weight,
		ce_rs_in_table(rs) ? "in IPVS" : "not in IPVS");
	for (unsigned c = 0; c < ce_rs_n_ck(rs); c++) {
		const struct ce_ck *ck = ce_ck_at((struct ce_rs *)rs, c);

		fprintf(f, "%s%s %s", c ? ", " : "  ", ck_type_kw(ck->cf->type), ck_state(ck));
	}
	fputc('\n', f);
}

/* keepalived --status: each virtual server, then its real servers, one line each. */
static void render_text(const void *state, FILE *f)
{
	const struct ce *e = check_ctx_engine(state);
	unsigned n = e ? ce_n_vs(e) : 0;

	fprintf(f, "Health checker: %u virtual server(s), IPVS %s\n", n,
		check_ctx_ipvs(state) ? "programmed" : "not available (nothing is programmed)");
	for (unsigned v = 0; v < n; v++) {
		struct ce_vs *vs = ce_vs_at(e, v);
		const struct vs_conf *vc = ce_vs_conf(vs);
		struct ce_rs *sorry = ce_vs_sorry(vs);

		fprintf(f, "Virtual server %s  quorum %s (%u)  %u real server(s)\n", ce_vs_str(vs),
			ce_vs_quorum_up(vs) ? "UP" : "DOWN", vc->quorum, ce_vs_n_rs(vs));
		for (unsigned r = 0; r < ce_vs_n_rs(vs); r++)
			text_rs(ce_rs_at(vs, r), f, "Real server");
		if (sorry)
			text_rs(sorry, f, "Sorry server");
	}
}

static void json_rs(const struct ce_rs *rs, FILE *f)
{
	const struct rs_conf *rc = ce_rs_conf(rs);
	char b[INET6_ADDRSTRLEN];

	fputs("{\"name\":", f);
	ctl_json_str(f, ce_rs_str(rs));
	fputs(",\"address\":", f);
	ctl_json_str(f, inet_addr_str(&rc->addr, b, sizeof(b)));
	fprintf(f, ",\"port\":%u,\"alive\":%s,\"in_ipvs\":%s,\"weight\":%d,"
		"\"configured_weight\":%d,\"checkers\":[", rc->port,
		ce_rs_alive(rs) ? "true" : "false", ce_rs_in_table(rs) ? "true" : "false",
		ce_rs_weight(rs), rc->weight);
	for (unsigned c = 0; c < ce_rs_n_ck(rs); c++) {
		const struct ce_ck *ck = ce_ck_at((struct ce_rs *)rs, c);

		fprintf(f, "%s{\"type\":\"%s\",\"state\":\"%s\",\"retries_failed\":%u,"
			"\"retry\":%u}", c ? "," : "", ck_type_kw(ck->cf->type), ck_state(ck),
			ck->retry_it, ck->cf->retry);
	}
	fputs("]}", f);
}

/* keepalived --status --json: the "check" member (schema in keepalived(8), STATUS). */
static void render_json(const void *state, FILE *f)
{
	const struct ce *e = check_ctx_engine(state);
	unsigned n = e ? ce_n_vs(e) : 0;

	fprintf(f, "{\"ipvs\":%s,\"virtual_servers\":[", check_ctx_ipvs(state) ? "true" : "false");
	for (unsigned v = 0; v < n; v++) {
		struct ce_vs *vs = ce_vs_at(e, v);
		const struct vs_conf *vc = ce_vs_conf(vs);
		struct ce_rs *sorry = ce_vs_sorry(vs);

		fputs(v ? ",{\"name\":" : "{\"name\":", f);
		ctl_json_str(f, ce_vs_str(vs));
		fprintf(f, ",\"quorum_up\":%s,\"quorum\":%u,\"real_servers\":[",
			ce_vs_quorum_up(vs) ? "true" : "false", vc->quorum);
		for (unsigned r = 0; r < ce_vs_n_rs(vs); r++) {
			if (r)
				fputc(',', f);
			json_rs(ce_rs_at(vs, r), f);
		}
		fputs("],\"sorry_server\":", f);
		if (sorry)
			json_rs(sorry, f);
		else
			fputs("null", f);
		fputc('}', f);
	}
	fputs("]}", f);
}

void check_status_render(const void *state, enum ka_ctl_req req, FILE *f)
{
	if (req == KA_CTL_STATUS_TEXT)
		render_text(state, f);
	else if (req == KA_CTL_STATUS_JSON)
		render_json(state, f);
}
