// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/check/check_data.c: the checker model's names, keepalived's FMT_RS/FMT_VS, and its frees. */
#include "check_data.h"

#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_conf_int.h"
#include "check_engine.h"
#include "process.h"
#include "utils.h"

static const char *const type_kw[CK__COUNT] = {
	[CK_TCP] = "TCP_CHECK", [CK_HTTP] = "HTTP_GET", [CK_SSL] = "SSL_GET",
	[CK_SMTP] = "SMTP_CHECK", [CK_DNS] = "DNS_CHECK", [CK_UDP] = "UDP_CHECK",
	[CK_PING] = "PING_CHECK", [CK_MISC] = "MISC_CHECK", [CK_FILE] = "FILE_CHECK",
	[CK_BFD] = "BFD_CHECK",
};

const char *ck_type_kw(enum ck_type t)
{
	return (unsigned)t < CK__COUNT ? type_kw[t] : "?";
}

/* inet_sockaddrtotrio's protocol names */
static const char *proto_str(uint16_t protocol)
{
	switch (protocol) {
	case IPPROTO_TCP: return "tcp";
	case IPPROTO_UDP: return "udp";
	case IPPROTO_SCTP: return "sctp";
	case 0: return "none";
	default: return "?";
	}
}

const char *ck_rs_str(const struct vs_conf *vs, const struct inet_addr *a, uint16_t port,
		      char *buf, size_t len)
{
	char ip[INET6_ADDRSTRLEN];

	snprintf(buf, len, "[%s]:%s:%u", inet_addr_str(a, ip, sizeof(ip)),
		 proto_str(vs->kind == VS_FWMARK ? 0 : vs->protocol), port);
	return buf;
}

char *cc_vs_str(const struct vs_conf *vs)
{
	char ip[INET6_ADDRSTRLEN];

	switch (vs->kind) {
	case VS_FWMARK:
		return xasprintf("FWM %u", vs->fwmark);
	case VS_GROUP:
		return xasprintf("[%s]:%u", vs->group_name, vs->group_index);
	case VS_ADDR:
	default:
		return xasprintf("[%s]:%s:%u", inet_addr_str(&vs->addr, ip, sizeof(ip)),
				 proto_str(vs->protocol), vs->port);
	}
}

static void script_user_free(struct ck_script_user *s)
{
	free(s->user);
	free(s->group);
}

void cc_ck_conf_free(struct ck_conf *ck)
{
	switch (ck->type) {
	case CK_HTTP:
	case CK_SSL:
		for (unsigned i = 0; i < ck->u.http.n_urls; i++) {
			free(ck->u.http.urls[i].path);
			free(ck->u.http.urls[i].virtualhost);
			free(ck->u.http.urls[i].regex);
		}
		free(ck->u.http.urls);
		free(ck->u.http.virtualhost);
		free(ck->u.http.sni_virtualhost);
		break;
	case CK_SMTP:
		free(ck->u.smtp.helo_name);
		break;
	case CK_DNS:
		free(ck->u.dns.name);
		break;
	case CK_UDP:
		free(ck->u.udp.payload);
		free(ck->u.udp.reply);
		free(ck->u.udp.reply_mask);
		break;
	case CK_MISC:
		process_cmd_free(ck->u.misc.cmd);
		script_user_free(&ck->u.misc.as);
		break;
	case CK_FILE:
		free(ck->u.file.track_file);
		break;
	case CK_BFD:
		free(ck->u.bfd_name);
		break;
	default:
		break;
	}
}

void ck_conf_dst(const struct ck_conf *cf, const struct rs_conf *rs, union ck_sockaddr *out)
{
	/* sin_port and sin6_port are at the same offset: the port is in .in either way */
	uint16_t port = cf->conn.dst.in.sin_port ? cf->conn.dst.in.sin_port : htons(rs->port);

	*out = cf->conn.dst;
	if (!out->ss_family) {
		memset(out, 0, sizeof(*out));
		if (rs->addr.family == AF_INET6) {
			out->in6.sin6_family = AF_INET6;
			out->in6.sin6_addr = rs->addr.v6;
		} else {
			out->in.sin_family = AF_INET;
			out->in.sin_addr = rs->addr.v4;
		}
	}
	out->in.sin_port = port;
}

/* --- checker identity (check_engine.h; check_conf_finish shares equal lists) --- */

static bool str_eq(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

static bool ss_eq(const union ck_sockaddr *a, const union ck_sockaddr *b)
{
	if (a->ss_family != b->ss_family)
		return false;
	if (a->ss_family == AF_INET) {
		const struct sockaddr_in *x = (const void *)a, *y = (const void *)b;

		return x->sin_port == y->sin_port && x->sin_addr.s_addr == y->sin_addr.s_addr;
	}
	if (a->ss_family == AF_INET6) {
		const struct sockaddr_in6 *x = (const void *)a, *y = (const void *)b;

		return x->sin6_port == y->sin6_port && x->sin6_scope_id == y->sin6_scope_id &&
		       !memcmp(&x->sin6_addr, &y->sin6_addr, sizeof(x->sin6_addr));
	}
	/* 0: the real server's address, with a port or 0 (struct ck_conn) */
	return a->ss_family == 0 ? a->in.sin_port == b->in.sin_port : !memcmp(a, b, sizeof(*a));
}

static bool bytes_eq(const uint8_t *a, const uint8_t *b, size_t n)
{
	return n == 0 || a == b || (a && b && !memcmp(a, b, n));
}

static bool cmd_eq(const struct process_cmd *a, const struct process_cmd *b)
{
	if (!a || !b)
		return a == b;
	return str_eq(a->cmdline, b->cmdline) && a->uid == b->uid && a->gid == b->gid;
}

static bool url_eq(const struct ck_url *a, const struct ck_url *b)
{
	return str_eq(a->path, b->path) && str_eq(a->virtualhost, b->virtualhost) &&
	       a->has_digest == b->has_digest &&
	       (!a->has_digest || !memcmp(a->digest, b->digest, sizeof(a->digest))) &&
	       !memcmp(a->status, b->status, sizeof(a->status)) && str_eq(a->regex, b->regex) &&
	       a->regex_no_match == b->regex_no_match && a->regex_options == b->regex_options &&
	       a->regex_min_offset == b->regex_min_offset &&
	       a->regex_max_offset == b->regex_max_offset &&
	       a->regex_stack_start == b->regex_stack_start &&
	       a->regex_stack_max == b->regex_stack_max;
}

static bool type_data_eq(const struct ck_conf *a, const struct ck_conf *b)
{
	switch (a->type) {
	case CK_HTTP:
	case CK_SSL: {
		const struct ck_http *x = &a->u.http, *y = &b->u.http;

		if (x->n_urls != y->n_urls || x->proto != y->proto ||
		    !str_eq(x->virtualhost, y->virtualhost) ||
		    !str_eq(x->sni_virtualhost, y->sni_virtualhost) ||
		    x->fast_recovery != y->fast_recovery || x->enable_sni != y->enable_sni)
			return false;
		for (unsigned i = 0; i < x->n_urls; i++)
			if (!url_eq(&x->urls[i], &y->urls[i]))
				return false;
		return true;
	}
	case CK_SMTP:
		return str_eq(a->u.smtp.helo_name, b->u.smtp.helo_name);
	case CK_DNS:
		return a->u.dns.qtype == b->u.dns.qtype && str_eq(a->u.dns.name, b->u.dns.name);
	case CK_UDP: {
		const struct ck_udp *x = &a->u.udp, *y = &b->u.udp;

		return x->payload_len == y->payload_len &&
		       bytes_eq(x->payload, y->payload, x->payload_len) &&
		       x->require_reply == y->require_reply && x->reply_len == y->reply_len &&
		       bytes_eq(x->reply, y->reply, x->reply_len) &&
		       bytes_eq(x->reply_mask, y->reply_mask, x->reply_len) &&
		       x->min_reply_len == y->min_reply_len && x->max_reply_len == y->max_reply_len;
	}
	case CK_MISC:
		return cmd_eq(a->u.misc.cmd, b->u.misc.cmd) &&
		       a->u.misc.timeout_us == b->u.misc.timeout_us &&
		       a->u.misc.dynamic == b->u.misc.dynamic;
	case CK_FILE:
		return str_eq(a->u.file.track_file, b->u.file.track_file) &&
		       a->u.file.weight == b->u.file.weight &&
		       a->u.file.reverse == b->u.file.reverse &&
		       a->u.file.has_weight == b->u.file.has_weight;
	case CK_BFD:
		return str_eq(a->u.bfd_name, b->u.bfd_name);
	default:
		return true;
	}
}

bool ck_conf_same_target(const struct ck_conf *a, const struct ck_conf *b)
{
	const struct ck_conn *x = &a->conn, *y = &b->conn;

	if (a->type != b->type)
		return false;
	if (a->type != CK_MISC && a->type != CK_FILE && a->type != CK_BFD &&
	    (!ss_eq(&x->dst, &y->dst) || !ss_eq(&x->src, &y->src) ||
	     strncmp(x->bind_if, y->bind_if, sizeof(x->bind_if)) || x->fwmark != y->fwmark ||
	     x->connect_timeout_us != y->connect_timeout_us))
		return false;
	return type_data_eq(a, b);
}

bool ck_conf_same(const struct ck_conf *a, const struct ck_conf *b)
{
	return ck_conf_same_target(a, b) && a->retry == b->retry &&
	       a->delay_before_retry_us == b->delay_before_retry_us &&
	       a->delay_loop_us == b->delay_loop_us && a->warmup_us == b->warmup_us &&
	       a->alpha == b->alpha && a->log_all_failures == b->log_all_failures;
}

const struct rs_scripts *rs_scripts(const struct rs_conf *rs)
{
	static const struct rs_scripts none;

	return rs->scripts ? rs->scripts : &none;
}

void cc_rs_conf_free(struct rs_conf *rs)
{
	if (!rs)
		return;
	if (rs->scripts) {
		process_cmd_free(rs->scripts->notify_up);
		process_cmd_free(rs->scripts->notify_down);
		script_user_free(&rs->scripts->notify_up_as);
		script_user_free(&rs->scripts->notify_down_as);
		free(rs->scripts);
	}
	free(rs->virtualhost);
	/* rs->checkers: the check_conf's (cc_conf.ck_sets), maybe shared */
}

void cc_vs_conf_free(struct vs_conf *vs)
{
	free(vs->group_name);
	process_cmd_free(vs->quorum_up);
	process_cmd_free(vs->quorum_down);
	script_user_free(&vs->quorum_up_as);
	script_user_free(&vs->quorum_down_as);
	free(vs->virtualhost);
	if (vs->sorry) {
		cc_rs_conf_free(vs->sorry);
		free(vs->sorry);
	}
	for (unsigned i = 0; i < vs->n_rs; i++)
		cc_rs_conf_free(&vs->rs[i]);
	free(vs->rs);
	free(vs->str);
}

void check_conf_free(void *conf)
{
	struct cc_conf *cc = conf;

	if (!cc)
		return;
	cc_free_parse(cc);
	for (unsigned i = 0; i < cc->pub.n_vs; i++)
		cc_vs_conf_free(&cc->pub.vs[i]);
	free(cc->pub.vs);
	for (unsigned i = 0; i < cc->pub.n_vsg; i++)
		cc_vsg_free(&cc->pub.vsg[i]);
	free(cc->pub.vsg);
	for (unsigned i = 0; i < cc->n_ck_sets; i++) {
		for (unsigned k = 0; k < cc->ck_sets[i].n; k++)
			cc_ck_conf_free(&cc->ck_sets[i].ck[k]);
		free(cc->ck_sets[i].ck);
	}
	free(cc->ck_sets);
	free(cc->pub.ssl.password);
	free(cc->pub.ssl.ca);
	free(cc->pub.ssl.certificate);
	free(cc->pub.ssl.key);
	for (unsigned i = 0; i < cc->n_files; i++)
		free(cc->files[i]);
	free(cc->files);
	free(cc);
}
