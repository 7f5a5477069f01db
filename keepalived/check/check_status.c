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

/* Real servers per part: a part takes about a millisecond. */
#define PART_RS 250

/*
 * Where a part starts: virtual server v, and r, 0 before its own line or header, else 1 +
 * how many of its real servers are out. 0 is the whole answer's start: kept free.
 */
static size_t cursor_of(unsigned v, unsigned r)
{
	return 1 + ((size_t)v << 32 | r);
}

static void cursor_at(size_t cursor, unsigned *v, unsigned *r)
{
	*v = (unsigned)((cursor - 1) >> 32);
	*r = (unsigned)((cursor - 1) & 0xffffffffu);
}

/* keepalived --status: each virtual server, then its real servers, one line each. */
static size_t render_text(const void *state, FILE *f, size_t cursor)
{
	const struct ce *e = check_ctx_engine(state);
	unsigned n = e ? ce_n_vs(e) : 0, v = 0, r = 0, budget = PART_RS;

	if (!cursor)
		fprintf(f, "Health checker: %u virtual server(s), IPVS %s\n", n,
			check_ctx_ipvs(state) ? "programmed" :
			"not available (nothing is programmed)");
	else
		cursor_at(cursor, &v, &r);
	/* a reload between parts may have removed what the cursor points at: it goes on */
	for (; v < n; v++, r = 0) {
		struct ce_vs *vs = ce_vs_at(e, v);
		struct ce_rs *sorry = ce_vs_sorry(vs);

		if (!r++)
			fprintf(f, "Virtual server %s  quorum %s (%u)  %u real server(s)\n",
				ce_vs_str(vs), ce_vs_quorum_up(vs) ? "UP" : "DOWN",
				ce_vs_conf(vs)->quorum, ce_vs_n_rs(vs));
		for (; r - 1 < ce_vs_n_rs(vs); r++) {
			if (!budget--)
				return cursor_of(v, r);
			text_rs(ce_rs_at(vs, r - 1), f, "Real server");
		}
		if (sorry)
			text_rs(sorry, f, "Sorry server");
	}
	return 0;
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
static size_t render_json(const void *state, FILE *f, size_t cursor)
{
	const struct ce *e = check_ctx_engine(state);
	unsigned n = e ? ce_n_vs(e) : 0, v = 0, r = 0, budget = PART_RS;

	if (!cursor)
		fprintf(f, "{\"ipvs\":%s,\"virtual_servers\":[",
			check_ctx_ipvs(state) ? "true" : "false");
	else
		cursor_at(cursor, &v, &r);
	for (; v < n; v++, r = 0) {
		struct ce_vs *vs = ce_vs_at(e, v);
		struct ce_rs *sorry = ce_vs_sorry(vs);

		if (!r++) {
			fputs(v ? ",{\"name\":" : "{\"name\":", f);
			ctl_json_str(f, ce_vs_str(vs));
			fprintf(f, ",\"quorum_up\":%s,\"quorum\":%u,\"real_servers\":[",
				ce_vs_quorum_up(vs) ? "true" : "false", ce_vs_conf(vs)->quorum);
		}
		for (; r - 1 < ce_vs_n_rs(vs); r++) {
			if (!budget--)
				return cursor_of(v, r);
			if (r > 1)
				fputc(',', f);
			json_rs(ce_rs_at(vs, r - 1), f);
		}
		fputs("],\"sorry_server\":", f);
		if (sorry)
			json_rs(sorry, f);
		else
			fputs("null", f);
		fputc('}', f);
	}
	fputs("]}", f);
	return 0;
}

size_t check_status_render_part(const void *state, enum ka_ctl_req req, FILE *f, size_t cursor)
{
	if (req == KA_CTL_STATUS_TEXT)
		return render_text(state, f, cursor);
	if (req == KA_CTL_STATUS_JSON)
		return render_json(state, f, cursor);
	return 0;
}
