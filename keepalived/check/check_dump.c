// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * keepalived/check/check_dump.c: SIGUSR1's keepalived_check.data after the global
 * definitions, in keepalived 2.2.7's layout: "LVS Topology" (each virtual server with
 * its settings and state, each real server with its weights and state) and "Health
 * checkers" (each checker with its timing, connection and state). tests/ipvs/dumps.py
 * compares it with 2.2.7's in the IPVS VM (its golden: tests/ipvs/expected/dumps-check.data).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <linux/ip_vs.h>

#include "check_api.h"
#include "check_daemon.h"
#include "check_engine.h"
#include "scheduler.h"

/* keepalived's default connection timeout, a VS's and RS's "connection timeout" */
#define CK_DUMP_CONNECT_TIMEOUT_US 5000000ULL

static const char *on_off(bool b)
{
	return b ? "ON" : "OFF";
}

static const char *yes_no(bool b)
{
	return b ? "yes" : "no";
}

static const char *abled(bool b)
{
	return b ? "enabled" : "disabled";
}

/* keepalived's format_decimal(us, 6): "   name = 2.000000" */
static void secs(FILE *f, const char *name, uint64_t us)
{
	fprintf(f, "   %s = %llu.%06llu\n", name, (unsigned long long)(us / 1000000),
		(unsigned long long)(us % 1000000));
}

static void fwd(FILE *f, const char *prefix, const struct lvs_fwd *w)
{
	switch (w->method) {
	case LVS_NAT:
		fprintf(f, "   %sforwarding method = NAT\n", prefix);
		break;
	case LVS_DR:
		fprintf(f, "   %sforwarding method = DR\n", prefix);
		break;
	case LVS_TUN: {
		const char *csum = w->tun_flags == IP_VS_TUNNEL_ENCAP_FLAG_CSUM ? ", checksum" :
			w->tun_flags == IP_VS_TUNNEL_ENCAP_FLAG_REMCSUM ? ", remote checksum" :
			", no checksum";

		/* sic: 2.2.7 leaves the prefix out of its GUE and GRE lines */
		if (w->tun_type == LVS_TUN_IPIP)
			fprintf(f, "   %sforwarding method = TUN, type = IPIP\n", prefix);
		else if (w->tun_type == LVS_TUN_GUE)
			fprintf(f, "   forwarding method = TUN, type = GUE, port = %u%s\n", w->tun_port,
				csum);
		else
			fprintf(f, "   forwarding method = TUN, type = GRE%s\n", csum);
		break;
	}
	}
}

static void script(FILE *f, const char *what, const struct process_cmd *c)
{
	if (!c)
		return;
	fprintf(f, "%s = ", what);
	for (int i = 0; i < c->argc; i++)
		fprintf(f, i ? " '%s'" : "'%s'", !i && c->path ? c->path : c->argv[i]);
	fprintf(f, ", uid:gid %u:%u\n", (unsigned)c->uid, (unsigned)c->gid);
}

static void dump_rs(FILE *f, const struct ce_rs *rs)
{
	const struct rs_conf *rc = ce_rs_conf(rs);
	const struct rs_scripts *sc = rs_scripts(rc);
	const struct vs_conf *vc = ce_vs_conf(ce_rs_vs(rs));
	int w = ce_rs_weight(rs);
	unsigned n_failed = 0;
	char b[INET6_ADDRSTRLEN];

	for (unsigned c = 0; c < ce_rs_n_ck(rs); c++)
		n_failed += !ce_ck_at(rs, c)->is_up;
	fputs("   ------< Real server >------\n", f);
	fprintf(f, "   RIP = %s, RPORT = %u, WEIGHT = %d EFF WEIGHT = %d\n",
		inet_addr_str(&rc->addr, b, sizeof(b)), rc->port, w < 0 ? 0 : w, w);
	fwd(f, "", &rc->fwd);
	fprintf(f, "   Alpha is %s\n", on_off(rc->alpha));
	secs(f, "connection timeout", CK_DUMP_CONNECT_TIMEOUT_US);
	fprintf(f, "   connection limit range = %u -> %u\n", rc->l_thresh, rc->u_thresh);
	secs(f, "Delay loop", rc->n_checkers ? rc->checkers[0].delay_loop_us :
	     vc->delay_loop_us);
	fprintf(f, "   Inhibit on failure is %s\n", on_off(rc->inhibit));
	script(f, "     RS up notify script", sc->notify_up);
	script(f, "     RS down notify script", sc->notify_down);
	if (rc->virtualhost)
		fprintf(f, "    VirtualHost = '%s'\n", rc->virtualhost);
	fprintf(f, "   Using smtp notification = %s\n", yes_no(rc->smtp_alert));
	fprintf(f, "   initial weight = %d\n", rc->weight);
	fprintf(f, "   effective weight = %d\n", w);
	/* 2.2.7's weight before its last change; we keep none (keepalived(8) DUMPS) */
	fputs("   previous effective_weight = 0\n", f);
	fprintf(f, "   alive = %d\n", ce_rs_alive(rs));
	fprintf(f, "   num failed checkers = %u\n", n_failed);
	fprintf(f, "   RS set = %d\n", ce_rs_in_table(rs));
	fputs("   reloaded = 0\n", f);
}

static void dump_vs(FILE *f, const struct ce_vs *vs, bool ipvs)
{
	const struct vs_conf *vc = ce_vs_conf(vs);
	bool sh = !strcmp(vc->sched, "sh"), mh = !strcmp(vc->sched, "mh");
	char b[INET6_ADDRSTRLEN];

	fputs(" ------< Virtual server >------\n", f);
	if (vc->kind == VS_GROUP)
		fprintf(f, " VS GROUP = %s\n", ce_vs_str(vs));
	else if (vc->kind == VS_FWMARK)
		fprintf(f, " VS FWMARK = %u\n", vc->fwmark);
	else
		fprintf(f, " VS VIP = %s, VPORT = %u\n", inet_addr_str(&vc->addr, b, sizeof(b)),
			vc->port);
	if (vc->virtualhost)
		fprintf(f, "   VirtualHost = %s\n", vc->virtualhost);
	if (vc->af)
		fprintf(f, "   Address family = inet%s\n", vc->af == AF_INET ? "" : "6");
	else
		fputs("   Address family = unknown\n", f);
	secs(f, "connection timeout", CK_DUMP_CONNECT_TIMEOUT_US);
	secs(f, "delay_loop", vc->delay_loop_us);
	fprintf(f, "   lvs_sched = %s\n", vc->sched);
	fprintf(f, "   Hashed = %s\n", abled(vc->flags & IP_VS_SVC_F_HASHED));
	if (sh || mh) {
		fprintf(f, "   %s-port = %s\n", vc->sched, abled(vc->flags & IP_VS_SVC_F_SCHED1));
		fprintf(f, "   %s-fallback = %s\n", vc->sched, abled(vc->flags & IP_VS_SVC_F_SCHED2));
	} else {
		fprintf(f, "   flag-1 = %s\n", abled(vc->flags & IP_VS_SVC_F_SCHED1));
		fprintf(f, "   flag-2 = %s\n", abled(vc->flags & IP_VS_SVC_F_SCHED2));
		fprintf(f, "   flag-3 = %s\n", abled(vc->flags & IP_VS_SVC_F_SCHED3));
	}
	fprintf(f, "   One packet scheduling = %s%s\n", abled(vc->flags & IP_VS_SVC_F_ONEPACKET),
		(vc->flags & IP_VS_SVC_F_ONEPACKET) && vc->protocol != IPPROTO_UDP ?
		" (inactive due to not UDP)" : "");
	if (vc->persistence_timeout_s)
		fprintf(f, "   persistence timeout = %u\n", vc->persistence_timeout_s);
	if (vc->granularity) {
		if (vc->af == AF_INET6)
			fprintf(f, "   persistence granularity = %u\n", vc->granularity);
		else
			fprintf(f, "   persistence granularity = %s\n",
				inet_ntop(AF_INET, &vc->granularity, b, sizeof(b)));
	}
	fprintf(f, "   protocol = %s\n", vc->protocol == IPPROTO_TCP ? "TCP" :
		vc->protocol == IPPROTO_UDP ? "UDP" : vc->protocol == IPPROTO_SCTP ? "SCTP" :
		"none");
	fprintf(f, "   alpha is %s\n", on_off(vc->alpha));
	fprintf(f, "   omega is %s\n", on_off(vc->omega));
	fprintf(f, "   Inhibit on failure is %s\n", on_off(vc->inhibit));
	fprintf(f, "   quorum = %u, hysteresis = %u\n", vc->quorum, vc->hysteresis);
	script(f, "   Quorum up notify script", vc->quorum_up);
	script(f, "   Quorum down notify script", vc->quorum_down);
	if (vc->ha_suspend)
		fputs("   Using HA suspend\n", f);
	fprintf(f, "   Using smtp notification = %s\n", yes_no(vc->smtp_alert));
	fwd(f, "default ", &vc->fwd);
	if (vc->sorry) {
		char rb[CK_RS_STR_LEN];

		fprintf(f, "   sorry server = %s\n",
			ck_rs_str(vc, &vc->sorry->addr, vc->sorry->port, rb, sizeof(rb)));
		fwd(f, "  ", &vc->sorry->fwd);
		fprintf(f, "     Inhibit on failure is %s\n", on_off(vc->sorry_inhibit));
	}
	fprintf(f, "   alive = %d\n", ipvs);
	fprintf(f, "   quorum_state_up = %d\n", ce_vs_quorum_up(vs));
	fputs("   reloaded = 0\n", f);
	for (unsigned r = 0; r < ce_vs_n_rs(vs); r++)
		dump_rs(f, ce_rs_at(vs, r));
}

static void dump_http(FILE *f, const struct ck_conf *cf)
{
	const struct ck_http *h = &cf->u.http;

	fprintf(f, "   Keepalive method = %s_GET, http protocol %s\n",
		cf->type == CK_HTTP ? "HTTP" : "SSL",
		h->proto == CK_HTTP_10C ? "1.0C" : h->proto == CK_HTTP_11 ? "1.1" : "1.0");
	if (h->virtualhost)
		fprintf(f, "   Virtualhost = %s\n", h->virtualhost);
	fprintf(f, "   Enable SNI %sset\n", h->enable_sni ? "" : "un");
	fprintf(f, "   Fast recovery %sset\n", h->fast_recovery ? "" : "un");
	for (unsigned u = 0; u < h->n_urls; u++) {
		const struct ck_url *url = &h->urls[u];
		unsigned min = 0;

		fprintf(f, "   Checked url = %s\n", url->path);
		if (url->has_digest) {
			fputs("     digest = ", f);
			for (int i = 0; i < 16; i++)
				fprintf(f, "%02x", url->digest[i]);
			fputc('\n', f);
		}
		fputs("     HTTP Status Code(s)\n", f);
		/* runs of codes: "200", "200-299" */
		for (unsigned c = CK_HTTP_STATUS_MIN; c <= CK_HTTP_STATUS_MAX + 1; c++) {
			unsigned bit = c - CK_HTTP_STATUS_MIN;
			bool in = c <= CK_HTTP_STATUS_MAX && (url->status[bit / 64] >> (bit % 64) & 1);

			if (in && !min)
				min = c;
			if (in || !min)
				continue;
			if (c - 1 == min)
				fprintf(f, "       %u\n", min);
			else
				fprintf(f, "       %u-%u\n", min, c - 1);
			min = 0;
		}
		if (url->virtualhost)
			fprintf(f, "     Virtual host = %s\n", url->virtualhost);
		if (url->regex)
			fprintf(f, "     Regex = \"%s\"\n", url->regex);
	}
}

static void dump_type(FILE *f, const struct ce_ck *ck)
{
	const struct ck_conf *cf = ck->cf;

	switch (cf->type) {
	case CK_HTTP:
	case CK_SSL:
		dump_http(f, cf);
		break;
	case CK_SMTP:
		fputs("   Keepalive method = SMTP_CHECK\n", f);
		fprintf(f, "   helo = %s\n", cf->u.smtp.helo_name ? cf->u.smtp.helo_name : "");
		break;
	case CK_DNS:
		fputs("   Keepalive method = DNS_CHECK\n", f);
		fprintf(f, "   Name = %s\n", cf->u.dns.name ? cf->u.dns.name : ".");
		break;
	case CK_UDP:
		fputs("   Keepalive method = UDP_CHECK\n", f);
		if (cf->u.udp.payload)
			fprintf(f, "   Payload len = %u\n", cf->u.udp.payload_len);
		else
			fputs("   Payload specified = no\n", f);
		fprintf(f, "   Require reply = %s\n", yes_no(cf->u.udp.require_reply));
		break;
	case CK_MISC:
		fputs("   Keepalive method = MISC_CHECK\n", f);
		if (cf->u.misc.cmd) {
			const struct process_cmd *c = cf->u.misc.cmd;

			fputs("   script = ", f);
			for (int i = 0; i < c->argc; i++)
				fprintf(f, i ? " '%s'" : "'%s'", !i && c->path ? c->path : c->argv[i]);
			fputc('\n', f);
		}
		fprintf(f, "   timeout = %llu\n", (unsigned long long)(cf->u.misc.timeout_us / 1000000));
		fprintf(f, "   dynamic = %s\n", cf->u.misc.dynamic ? "YES" : "NO");
		if (cf->u.misc.cmd)
			fprintf(f, "   uid:gid = %u:%u\n", (unsigned)cf->u.misc.cmd->uid,
				(unsigned)cf->u.misc.cmd->gid);
		/* 2.2.7's "Last ran" and "Last status" are not shown (keepalived(8) DUMPS) */
		break;
	case CK_FILE:
		fputs("   Keepalive method = FILE_CHECK\n", f);
		fprintf(f, "     Tracked file = %s\n", cf->u.file.track_file);
		fputs("     Reloaded = No\n", f);
		break;
	default:
		fprintf(f, "   Keepalive method = %s\n", ck_type_kw(cf->type));
		break;
	}
}

static void sockaddr_pair(FILE *f, const char *what, const union ck_sockaddr *sa)
{
	char b[INET6_ADDRSTRLEN];
	bool v6 = sa->ss_family == AF_INET6;

	inet_ntop(sa->ss_family, v6 ? (const void *)&sa->in6.sin6_addr :
		  (const void *)&sa->in.sin_addr, b, sizeof(b));
	fprintf(f, "     %s = [%s]:%u\n", what, b,
		ntohs(v6 ? sa->in6.sin6_port : sa->in.sin_port));
}

static void dump_ck(FILE *f, const struct ce_vs *vs, const struct ce_rs *rs, const struct ce_ck *ck,
		    bool log_all)
{
	const struct ck_conf *cf = ck->cf;
	uint64_t delay = cf->delay_loop_us;

	fprintf(f, " %s -> %s\n", ce_vs_str(vs), ce_rs_str(rs));
	fprintf(f, "   Enabled = %s\n", yes_no(ck->enabled));
	fprintf(f, "   Up = %s\n", yes_no(ck->is_up));
	fprintf(f, "   Has run = %s\n", yes_no(ck->has_run));
	fprintf(f, "   Current weight = %d\n", ck->cur_weight);
	if (cf->type != CK_FILE) {
		fprintf(f, "   Alpha = %s\n", yes_no(cf->alpha));
		fprintf(f, "   Delay loop = %llu us\n", (unsigned long long)delay);
		/* no warmup given: 2.2.7's is the delay loop */
		fprintf(f, "   Warmup = %llu us\n",
			(unsigned long long)(cf->warmup_us ? cf->warmup_us : delay));
		fprintf(f, "   Retries = %u\n", cf->retry);
		if (cf->retry) {
			fprintf(f, "   Delay before retry = %llu us\n",
				(unsigned long long)cf->delay_before_retry_us);
			fprintf(f, "   Retries iterations = %u\n", ck->retry_it);
		}
		fprintf(f, "   Default delay before retry = %llu us\n",
			(unsigned long long)cf->delay_before_retry_us);
	}
	fprintf(f, "   Log all failures = %s\n", yes_no(cf->log_all_failures || log_all));
	if (cf->type != CK_MISC && cf->type != CK_FILE && cf->type != CK_BFD) {
		fputs("   Connection\n", f);
		sockaddr_pair(f, "Dest", &cf->conn.dst);
		if (cf->conn.src.ss_family)
			sockaddr_pair(f, "Bind to", &cf->conn.src);
		if (cf->conn.bind_if[0])
			fprintf(f, "     Bind i/f = %s\n", cf->conn.bind_if);
		if (cf->conn.fwmark)
			fprintf(f, "     Mark = %u\n", cf->conn.fwmark);
		fprintf(f, "     Timeout = %f\n", (double)cf->conn.connect_timeout_us / 1e6);
	}
	dump_type(f, ck);
}

void check_dump_state(const void *state, FILE *f, bool stats)
{
	const struct ce *e = check_ctx_engine(state);
	bool ipvs = check_ctx_ipvs(state), any = false;

	if (stats || !e)
		return;
	if (ce_n_vs(e)) {
		fputs("------< LVS Topology >------\n", f);
		fprintf(f, " System is compiled with LVS v%d.%d.%d\n", (IP_VS_VERSION_CODE >> 16) & 0xff,
			(IP_VS_VERSION_CODE >> 8) & 0xff, IP_VS_VERSION_CODE & 0xff);
	}
	for (unsigned v = 0; v < ce_n_vs(e); v++)
		dump_vs(f, ce_vs_at(e, v), ipvs);
	for (unsigned v = 0; v < ce_n_vs(e); v++) {
		struct ce_vs *vs = ce_vs_at(e, v);

		for (unsigned r = 0; r < ce_vs_n_rs(vs); r++) {
			struct ce_rs *rs = ce_rs_at(vs, r);

			for (unsigned c = 0; c < ce_rs_n_ck(rs); c++) {
				if (!any)
					fputs("------< Health checkers >------\n", f);
				any = true;
				dump_ck(f, vs, rs, ce_ck_at(rs, c), false);
			}
		}
	}
}
