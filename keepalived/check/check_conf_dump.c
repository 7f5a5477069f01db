// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/check/check_conf_dump.c: -d: the checker's effective configuration as keepalived.conf text. */
#include <arpa/inet.h>
#include <linux/ip_vs.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "check_conf_int.h"
#include "check_sock.h"
#include "process.h"

/*
 * Every value is written as it is in effect (after check_conf_finish()), so the text
 * parses again to the same model and the same dump; inherited values are written where
 * they apply (a checker's timing in the checker).
 */

static const char *tf(bool b)
{
	return b ? "true" : "false";
}

static void dump_fwd(FILE *f, const char *ind, const char *kw, const struct lvs_fwd *w)
{
	static const char *const methods[] = { "NAT", "DR", "TUN" };
	static const char *const types[] = { "ipip", "gue", "gre" };

	fprintf(f, "%s%s %s", ind, kw, methods[w->method]);
	if (w->method == LVS_TUN && w->tun_type != LVS_TUN_IPIP) {
		fprintf(f, " type %s", types[w->tun_type]);
		if (w->tun_type == LVS_TUN_GUE)
			fprintf(f, " port %u", w->tun_port);
		if (w->tun_flags == IP_VS_TUNNEL_ENCAP_FLAG_CSUM)
			fputs(" csum", f);
		else if (w->tun_flags == IP_VS_TUNNEL_ENCAP_FLAG_REMCSUM)
			fputs(" remcsum", f);
	}
	fputc('\n', f);
}

static void dump_cmd(FILE *f, const char *ind, const char *kw, const struct process_cmd *pc,
		     const struct ck_script_user *as)
{
	if (!pc)
		return;
	fprintf(f, "%s%s ", ind, kw);
	cfg_dump_word(f, pc->cmdline);
	if (as->user) {
		fputc(' ', f);
		cfg_dump_word(f, as->user);
		if (as->group) {
			fputc(' ', f);
			cfg_dump_word(f, as->group);
		}
	}
	fputc('\n', f);
}

static void dump_str(FILE *f, const char *ind, const char *kw, const char *s)
{
	if (!s)
		return;
	fprintf(f, "%s%s ", ind, kw);
	cfg_dump_word(f, s);
	fputc('\n', f);
}

static void dump_secs(FILE *f, const char *ind, const char *kw, uint64_t us)
{
	fprintf(f, "%s%s ", ind, kw);
	cfg_dump_secs(f, us);
	fputc('\n', f);
}

static void dump_sockaddr(FILE *f, const char *ind, const char *kw_ip, const char *kw_port,
			  const union ck_sockaddr *ss)
{
	char buf[INET6_ADDRSTRLEN];
	unsigned port;

	if (!ck_sockaddr_ip(ss, buf, sizeof(buf), &port))
		return;
	fprintf(f, "%s%s %s\n", ind, kw_ip, buf);
	if (port)
		fprintf(f, "%s%s %u\n", ind, kw_port, port);
}

static void dump_hex(FILE *f, const uint8_t *d, const uint8_t *mask, size_t n)
{
	static const char hex[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		fputc(mask && !(mask[i] & 0xf0) ? 'X' : hex[d[i] >> 4], f);
		fputc(mask && !(mask[i] & 0x0f) ? 'X' : hex[d[i] & 0xf], f);
	}
}

static void dump_status(FILE *f, const char *ind, const struct ck_url *u)
{
	unsigned code = CK_HTTP_STATUS_MIN;

	fprintf(f, "%sstatus_code", ind);
	while (code <= CK_HTTP_STATUS_MAX) {
		unsigned lo;

#define HAS(c) (u->status[((c) - CK_HTTP_STATUS_MIN) / 64] & \
		1ULL << (((c) - CK_HTTP_STATUS_MIN) % 64))
		if (!HAS(code)) {
			code++;
			continue;
		}
		lo = code;
		while (code + 1 <= CK_HTTP_STATUS_MAX && HAS(code + 1))
			code++;
#undef HAS
		if (lo == code)
			fprintf(f, " %u", lo);
		else
			fprintf(f, " %u-%u", lo, code);
		code++;
	}
	fputc('\n', f);
}

static void dump_url(FILE *f, const struct ck_url *u)
{
	static const char *const opts[] = {
		"allow_empty_class", "alt_bsux", "auto_callout", "caseless", "dollar_endonly",
		"dotall", "dupnames", "extended", "firstline", "match_unset_backref", "multiline",
		"never_ucp", "never_utf", "no_auto_capture", "no_auto_possess",
		"no_dotstar_anchor", "no_start_optimize", "ucp", "ungreedy", "utf",
		"never_backslash_c", "alt_circumflex", "alt_verbnames", "use_offset_limit",
	};
	const char *ind = "\t\t\t\t";

	fputs("\t\t\turl {\n", f);
	dump_str(f, ind, "path", u->path);
	if (u->has_digest) {
		fprintf(f, "%sdigest ", ind);
		dump_hex(f, u->digest, NULL, sizeof(u->digest));
		fputc('\n', f);
	}
	dump_status(f, ind, u);
	dump_str(f, ind, "virtualhost", u->virtualhost);
	dump_str(f, ind, "regex", u->regex);
	if (u->regex_no_match)
		fprintf(f, "%sregex_no_match\n", ind);
	if (u->regex_options) {
		fprintf(f, "%sregex_options", ind);
		for (unsigned i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
			if (u->regex_options & 1u << i)
				fprintf(f, " %s", opts[i]);
		fputc('\n', f);
	}
	if (u->regex_min_offset)
		fprintf(f, "%sregex_min_offset %llu\n", ind,
			(unsigned long long)u->regex_min_offset);
	if (u->regex_max_offset)
		fprintf(f, "%sregex_max_offset %llu\n", ind,
			(unsigned long long)u->regex_max_offset - 1);
	if (u->regex_stack_max)
		fprintf(f, "%sregex_stack %u %u\n", ind, u->regex_stack_start, u->regex_stack_max);
	fputs("\t\t\t}\n", f);
}

static void dump_ck(FILE *f, const struct vs_conf *vs, const struct rs_conf *rs,
		    const struct ck_conf *ck)
{
	static const char *const dns_names[] = { [1] = "A", [2] = "NS", [5] = "CNAME",
		[6] = "SOA", [15] = "MX", [16] = "TXT", [28] = "AAAA", [46] = "RRSIG",
		[48] = "DNSKEY" };
	static const char *const protos[] = { "1.0", "1.0C", "1.1" };
	const char *ind = "\t\t\t";

	fprintf(f, "\t\t%s {\n", ck_type_kw(ck->type));
	if (ck->type != CK_MISC && ck->type != CK_FILE) {
		union ck_sockaddr dst;

		ck_conf_dst(ck, rs, &dst);
		dump_sockaddr(f, ind, "connect_ip", "connect_port", &dst);
		dump_sockaddr(f, ind, "bindto", "bind_port", &ck->conn.src);
		if (ck->conn.bind_if[0])
			fprintf(f, "%sbind_if %s\n", ind, ck->conn.bind_if);
		if (ck->conn.fwmark)
			fprintf(f, "%sfwmark %u\n", ind, ck->conn.fwmark);
		dump_secs(f, ind, "connect_timeout", ck->conn.connect_timeout_us);
	}
	if (ck->type != CK_FILE) {
		fprintf(f, "%sretry %u\n", ind, ck->retry);
		dump_secs(f, ind, "delay_before_retry", ck->delay_before_retry_us);
		dump_secs(f, ind, "delay_loop", ck->delay_loop_us);
		dump_secs(f, ind, "warmup", ck->warmup_us);
		fprintf(f, "%salpha %s\n", ind, tf(ck->alpha));
		fprintf(f, "%slog_all_failures %s\n", ind, tf(ck->log_all_failures));
	}
	switch (ck->type) {
	case CK_HTTP:
	case CK_SSL: {
		const struct ck_http *h = &ck->u.http;
		const char *inherited = rs->virtualhost ? rs->virtualhost : vs->virtualhost;

		fprintf(f, "%shttp_protocol %s\n", ind, protos[h->proto]);
		/* the checker's own only: the inherited one stays inherited (SNI skips the RS's) */
		if (h->virtualhost && (!inherited || strcmp(h->virtualhost, inherited)))
			dump_str(f, ind, "virtualhost", h->virtualhost);
		dump_str(f, ind, "sni_name", h->sni_virtualhost);
		fprintf(f, "%sfast_recovery %s\n", ind, tf(h->fast_recovery));
		fprintf(f, "%senable_sni %s\n", ind, tf(h->enable_sni));
		for (unsigned i = 0; i < h->n_urls; i++)
			dump_url(f, &h->urls[i]);
		break;
	}
	case CK_SMTP:
		dump_str(f, ind, "helo_name", ck->u.smtp.helo_name);
		break;
	case CK_DNS:
		if (ck->u.dns.qtype < sizeof(dns_names) / sizeof(dns_names[0]) &&
		    dns_names[ck->u.dns.qtype])
			fprintf(f, "%stype %s\n", ind, dns_names[ck->u.dns.qtype]);
		dump_str(f, ind, "name", ck->u.dns.name);
		break;
	case CK_UDP:
		fprintf(f, "%spayload ", ind);
		dump_hex(f, ck->u.udp.payload, NULL, ck->u.udp.payload_len);
		fputc('\n', f);
		if (ck->u.udp.require_reply) {
			fprintf(f, "%srequire_reply", ind);
			if (ck->u.udp.reply_len) {
				fputc(' ', f);
				dump_hex(f, ck->u.udp.reply, ck->u.udp.reply_mask, ck->u.udp.reply_len);
			}
			fputc('\n', f);
		}
		fprintf(f, "%smin_reply_length %u\n", ind, ck->u.udp.min_reply_len);
		fprintf(f, "%smax_reply_length %u\n", ind, ck->u.udp.max_reply_len);
		break;
	case CK_MISC:
		if (ck->u.misc.cmd) {
			dump_str(f, ind, "misc_path", ck->u.misc.cmd->cmdline);
			if (ck->u.misc.as.user) {
				fprintf(f, "%suser ", ind);
				cfg_dump_word(f, ck->u.misc.as.user);
				if (ck->u.misc.as.group) {
					fputc(' ', f);
					cfg_dump_word(f, ck->u.misc.as.group);
				}
				fputc('\n', f);
			}
		}
		/* whole seconds only; else it is the VS's delay_loop, which it stays */
		if (ck->u.misc.timeout_us % 1000000 == 0)
			fprintf(f, "%smisc_timeout %llu\n", ind,
				(unsigned long long)(ck->u.misc.timeout_us / 1000000));
		if (ck->u.misc.dynamic)
			fprintf(f, "%smisc_dynamic\n", ind);
		break;
	case CK_FILE:
		dump_str(f, ind, "track_file", ck->u.file.track_file);
		if (ck->u.file.has_weight)
			fprintf(f, "%sweight %d%s\n", ind, ck->u.file.weight,
				ck->u.file.reverse ? " reverse" : "");
		break;
	default:
		break;
	}
	fputs("\t\t}\n", f);
}

static void dump_rs(FILE *f, const struct vs_conf *vs, const struct rs_conf *rs)
{
	char buf[INET6_ADDRSTRLEN];
	const char *ind = "\t\t";

	fprintf(f, "\treal_server %s", inet_addr_str(&rs->addr, buf, sizeof(buf)));
	if (rs->port)
		fprintf(f, " %u", rs->port);
	fputs(" {\n", f);
	fprintf(f, "%sweight %d\n", ind, rs->weight);
	dump_fwd(f, ind, "lvs_method", &rs->fwd);
	fprintf(f, "%sinhibit_on_failure %s\n", ind, tf(rs->inhibit));
	fprintf(f, "%salpha %s\n", ind, tf(rs->alpha));
	fprintf(f, "%ssmtp_alert %s\n", ind, tf(rs->smtp_alert));
	if (rs->u_thresh)
		fprintf(f, "%suthreshold %u\n", ind, rs->u_thresh);
	if (rs->l_thresh)
		fprintf(f, "%slthreshold %u\n", ind, rs->l_thresh);
	dump_cmd(f, ind, "notify_up", rs_scripts(rs)->notify_up, &rs_scripts(rs)->notify_up_as);
	dump_cmd(f, ind, "notify_down", rs_scripts(rs)->notify_down,
		 &rs_scripts(rs)->notify_down_as);
	dump_str(f, ind, "virtualhost", rs->virtualhost);
	for (unsigned i = 0; i < rs->n_checkers; i++)
		dump_ck(f, vs, rs, &rs->checkers[i]);
	fputs("\t}\n", f);
}

static void dump_vs(FILE *f, const struct vs_conf *vs)
{
	static const char *const protos[] = { [IPPROTO_TCP] = "TCP", [IPPROTO_UDP] = "UDP",
					      [IPPROTO_SCTP] = "SCTP" };
	char buf[INET6_ADDRSTRLEN];
	const char *ind = "\t";

	switch (vs->kind) {
	case VS_ADDR:
		fprintf(f, "virtual_server %s %u {\n", inet_addr_str(&vs->addr, buf, sizeof(buf)),
			vs->port);
		break;
	case VS_FWMARK:
		fprintf(f, "virtual_server fwmark %u {\n", vs->fwmark);
		break;
	case VS_GROUP:
		fprintf(f, "virtual_server group %s {\n", vs->group_name);
		break;
	}
	if (vs->kind != VS_ADDR)
		fprintf(f, "%sip_family %s\n", ind, vs->af == AF_INET6 ? "inet6" : "inet");
	dump_secs(f, ind, "delay_loop", vs->delay_loop_us);
	fprintf(f, "%slvs_sched %s\n", ind, vs->sched);
	if (vs->flags & IP_VS_SVC_F_ONEPACKET)
		fprintf(f, "%sops\n", ind);
	for (int i = 1; i <= 3; i++)
		if (vs->flags & (IP_VS_SVC_F_SCHED1 << (i - 1)))
			fprintf(f, "%sflag-%d\n", ind, i);
	dump_fwd(f, ind, "lvs_method", &vs->fwd);
	if (vs->protocol < sizeof(protos) / sizeof(protos[0]) && protos[vs->protocol])
		fprintf(f, "%sprotocol %s\n", ind, protos[vs->protocol]);
	if (vs->persistence_timeout_s)
		fprintf(f, "%spersistence_timeout %u\n", ind, vs->persistence_timeout_s);
	if (vs->granularity) {
		if (vs->af == AF_INET6) {
			fprintf(f, "%spersistence_granularity %u\n", ind, vs->granularity);
		} else {
			struct in_addr m = { .s_addr = vs->granularity };

			fprintf(f, "%spersistence_granularity %s\n", ind,
				inet_ntop(AF_INET, &m, buf, sizeof(buf)));
		}
	}
	if (vs->pe_name[0])
		fprintf(f, "%spersistence_engine %s\n", ind, vs->pe_name);
	if (vs->ha_suspend)
		fprintf(f, "%sha_suspend\n", ind);
	if (vs->alpha)
		fprintf(f, "%salpha\n", ind);
	if (vs->omega)
		fprintf(f, "%somega\n", ind);
	fprintf(f, "%sinhibit_on_failure %s\n", ind, tf(vs->inhibit));
	fprintf(f, "%ssmtp_alert %s\n", ind, tf(vs->smtp_alert));
	dump_str(f, ind, "virtualhost", vs->virtualhost);
	fprintf(f, "%squorum %u\n", ind, vs->quorum ? vs->quorum : 1);
	fprintf(f, "%shysteresis %u\n", ind, vs->hysteresis);
	dump_cmd(f, ind, "quorum_up", vs->quorum_up, &vs->quorum_up_as);
	dump_cmd(f, ind, "quorum_down", vs->quorum_down, &vs->quorum_down_as);
	if (vs->sorry) {
		fprintf(f, "%ssorry_server %s", ind, inet_addr_str(&vs->sorry->addr, buf, sizeof(buf)));
		if (vs->sorry->port)
			fprintf(f, " %u", vs->sorry->port);
		fputc('\n', f);
		dump_fwd(f, ind, "sorry_server_lvs_method", &vs->sorry->fwd);
		if (vs->sorry_inhibit)
			fprintf(f, "%ssorry_server_inhibit\n", ind);
	}
	for (unsigned i = 0; i < vs->n_rs; i++)
		dump_rs(f, vs, &vs->rs[i]);
	fputs("}\n", f);
}

void check_conf_dump(const void *conf, FILE *f)
{
	const struct check_conf *cc = conf;

	if (cc->ssl.configured) {
		fputs("SSL {\n", f);
		dump_str(f, "\t", "password", cc->ssl.password);
		dump_str(f, "\t", "ca", cc->ssl.ca);
		dump_str(f, "\t", "certificate", cc->ssl.certificate);
		dump_str(f, "\t", "key", cc->ssl.key);
		fputs("}\n", f);
	}
	for (unsigned i = 0; i < cc->n_vsg; i++) {
		fprintf(f, "virtual_server_group %s {\n", cc->vsg[i].name);
		for (unsigned k = 0; k < cc->vsg[i].n_entries; k++)
			cc_vsg_entry_dump(&cc->vsg[i].entries[k], f);
		fputs("}\n", f);
	}
	for (unsigned i = 0; i < cc->n_vs; i++)
		dump_vs(f, &cc->vs[i]);
}
