// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/check/check_data.c: the checker model's names, keepalived's FMT_RS/FMT_VS, and its frees. */
#include "check_data.h"

#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>

#include "check_conf_int.h"
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
	for (unsigned i = 0; i < rs->n_checkers; i++)
		cc_ck_conf_free(&rs->checkers[i]);
	free(rs->checkers);
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
	free(cc->pub.ssl.password);
	free(cc->pub.ssl.ca);
	free(cc->pub.ssl.certificate);
	free(cc->pub.ssl.key);
	for (unsigned i = 0; i < cc->n_files; i++)
		free(cc->files[i]);
	free(cc->files);
	free(cc);
}
