// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/check/check_conf_ck.c: the checker blocks of a real_server (TCP_CHECK ... FILE_CHECK). */
#include <errno.h>
#include <limits.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>

#include "check_conf_int.h"
#include "check_file.h"
#include "userdb.h"
#include "utils.h"

#define K(o) ((struct cc_ck *)(o))
/* timing keywords of a host { } block set its SMTP_CHECK's, as in keepalived */
#define TK(o) (K(o)->parent ? K(o)->parent : K(o))

static struct cc_conf *root_of(struct cfg *c)
{
	return cfg_root_obj(c, check_root_kws);
}

static int kw_timing(struct cfg *c, void *obj, const struct cfg_args *a)
{
	return cc_kw_timing(c, a, &TK(obj)->t, true);
}

static int kw_log_all_failures(struct cfg *c, void *obj, const struct cfg_args *a)
{
	return cfg_bool(c, a, 1, &TK(obj)->c.log_all_failures);
}

/* --- connection keywords --- */

/* connect_ip, bindto: both of one address family (keepalived skips the second otherwise) */
static int kw_addr(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct cc_ck *k = obj;
	bool is_dst = !strcmp(a->argv[0], "connect_ip");
	struct inet_addr *addr = is_dst ? &k->dst_addr : &k->src_addr;
	bool *has_addr = is_dst ? &k->has_dst_addr : &k->has_src_addr;
	const struct inet_addr *other = is_dst ? &k->src_addr : &k->dst_addr;
	bool has_other = is_dst ? k->has_src_addr : k->has_dst_addr;
	struct inet_addr ia;

	if (cfg_addr(c, a, 1, &ia) < 0)
		return -EINVAL;
	if (has_other && other->family != ia.family) {
		cfg_mistake_arg(c, 1, "%s address %s does not match address family of %s - skipping",
				a->argv[0], a->argv[1], is_dst ? "bindto" : "connect_ip");
		return 0;
	}
	*addr = ia;
	*has_addr = k->has_conn_kw = true;
	return 0;
}

static int kw_port(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct cc_ck *k = obj;
	unsigned port;

	if (cfg_uint(c, a, 1, 1, 65535, &port) < 0)
		return -EINVAL;
	if (!strcmp(a->argv[0], "connect_port"))
		k->dst_port = (uint16_t)port;
	else
		k->src_port = (uint16_t)port;
	k->has_conn_kw = true;
	return 0;
}

static int kw_bind_if(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct cc_ck *k = obj;

	if (strlen(a->argv[1]) > sizeof(k->c.conn.bind_if) - 1) {
		cfg_mistake_arg(c, 1, "Interface name %s is too long - ignoring", a->argv[1]);
		return 0;
	}
	strcpy(k->c.conn.bind_if, a->argv[1]);
	k->has_conn_kw = true;
	return 0;
}

static int kw_connect_timeout(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct cc_ck *k = obj;

	if (cfg_timer_us(c, a, 1, 1, UINT_MAX, &k->connect_timeout_us) < 0)
		return -EINVAL;
	k->has_connect_timeout = k->has_conn_kw = true;
	return 0;
}

static int kw_fwmark(struct cfg *c, void *obj, const struct cfg_args *a)
{
	if (cfg_uint(c, a, 1, 0, UINT_MAX, &K(obj)->c.conn.fwmark) < 0)
		return -EINVAL;
	K(obj)->has_conn_kw = true;
	return 0;
}

#define TIMING_KWS \
	CFG_KW("retry", kw_timing, CFG_ARG1), \
	CFG_KW("delay_before_retry", kw_timing, CFG_ARG1), \
	CFG_KW("warmup", kw_timing, CFG_ARG1), \
	CFG_KW("delay_loop", kw_timing, CFG_ARG1), \
	CFG_KW("alpha", kw_timing, CFG_OPT1), \
	CFG_KW("log_all_failures", kw_log_all_failures, CFG_OPT1)

#define CONN_KWS \
	CFG_KW("connect_ip", kw_addr, CFG_ARG1), \
	CFG_KW("connect_port", kw_port, CFG_ARG1), \
	CFG_KW("bindto", kw_addr, CFG_ARG1), \
	CFG_KW("bind_port", kw_port, CFG_ARG1), \
	CFG_KW("bind_if", kw_bind_if, CFG_ARG1), \
	CFG_KW("connect_timeout", kw_connect_timeout, CFG_ARG1), \
	CFG_KW("fwmark", kw_fwmark, CFG_ARG1), \
	TIMING_KWS

/* --- HTTP_GET / SSL_GET --- */

static struct ck_url *cur_url(void *obj)
{
	return &K(obj)->c.u.http.urls[K(obj)->c.u.http.n_urls - 1];
}

static void *open_url(struct cfg *c, void *parent, const struct cfg_args *a)
{
	struct ck_http *h = &K(parent)->c.u.http;

	(void)c;
	(void)a;
	h->urls = xrealloc(h->urls, (h->n_urls + 1) * sizeof(*h->urls));
	memset(&h->urls[h->n_urls++], 0, sizeof(*h->urls));
	return parent;
}

static void url_free(struct ck_url *u)
{
	free(u->path);
	free(u->virtualhost);
	free(u->regex);
}

/* keepalived: a url without a path is dropped; no status_code: 200-299 */
static int close_url(struct cfg *c, void *obj)
{
	struct ck_http *h = &K(obj)->c.u.http;
	struct ck_url *u = cur_url(obj);
	bool any = false;

	if (!u->path) {
		cfg_mistake(c, "HTTP/SSL_GET checker url has no path - ignoring");
		url_free(u);
		h->n_urls--;
		return 0;
	}
	for (unsigned i = 0; i < sizeof(u->status) / sizeof(u->status[0]); i++)
		any |= u->status[i] != 0;
	if (!any)
		for (unsigned code = 200; code <= 299; code++)
			u->status[(code - CK_HTTP_STATUS_MIN) / 64] |=
				1ULL << ((code - CK_HTTP_STATUS_MIN) % 64);
	if (!u->regex && (u->regex_options || u->regex_no_match || u->regex_min_offset ||
			  u->regex_max_offset || u->regex_stack_max)) {
		cfg_warn(c, "regex parameters specified without regex");
		u->regex_options = 0;
		u->regex_no_match = false;
		u->regex_min_offset = u->regex_max_offset = 0;
		u->regex_stack_start = u->regex_stack_max = 0;
	}
	return 0;
}

static int kw_url_path(struct cfg *c, void *obj, const struct cfg_args *a)
{
	return cfg_str(c, a, 1, &cur_url(obj)->path);
}

static int kw_url_virtualhost(struct cfg *c, void *obj, const struct cfg_args *a)
{
	return cfg_str(c, a, 1, &cur_url(obj)->virtualhost);
}

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* digest: an MD5 sum, as genhash prints it */
static int kw_url_digest(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct ck_url *u = cur_url(obj);
	const char *d = a->argv[1];

	if (strlen(d) != 32 || strspn(d, "0123456789abcdefABCDEF") != 32) {
		cfg_error_arg(c, 1, "'digest' expects 32 hexadecimal digits (an MD5 sum), got '%s'",
			      d);
		return -EINVAL;
	}
	if (u->has_digest)
		cfg_mistake_arg(c, 1, "Digest '%s' is a duplicate", d);
	for (int i = 0; i < 16; i++)
		u->digest[i] = (uint8_t)(hexval(d[2 * i]) << 4 | hexval(d[2 * i + 1]));
	u->has_digest = true;
	return 0;
}

/* status_code N|N-M ...: 100..599; a bad one is skipped (keepalived's -t fails) */
static int kw_url_status(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct ck_url *u = cur_url(obj);

	for (int i = 1; i < a->argc; i++) {
		const char *s = a->argv[i];
		char *end;
		unsigned long lo, hi;

		lo = strtoul(s, &end, 10);
		hi = lo;
		if (end != s && *end == '-' && end[1] >= '0' && end[1] <= '9')
			hi = strtoul(end + 1, &end, 10);
		if (end == s || *end || lo < CK_HTTP_STATUS_MIN || hi > CK_HTTP_STATUS_MAX ||
		    lo > hi) {
			cfg_mistake_arg(c, i, "Invalid HTTP_GET status code '%s'", s);
			continue;
		}
		for (unsigned long code = lo; code <= hi; code++)
			u->status[(code - CK_HTTP_STATUS_MIN) / 64] |=
				1ULL << ((code - CK_HTTP_STATUS_MIN) % 64);
	}
	return 0;
}

static int kw_url_regex(struct cfg *c, void *obj, const struct cfg_args *a)
{
	return cfg_str(c, a, 1, &cur_url(obj)->regex);
}

static int kw_url_regex_no_match(struct cfg *c, void *obj, const struct cfg_args *a)
{
	if (cfg_kw_flag(c, obj, a) < 0)
		return -EINVAL;
	cur_url(obj)->regex_no_match = true;
	return 0;
}

/* keepalived's names, in PCRE2's bit order (PCRE2_ALLOW_EMPTY_CLASS 0x1 ... USE_OFFSET_LIMIT) */
static const char *const regex_opts[] = {
	"allow_empty_class", "alt_bsux", "auto_callout", "caseless", "dollar_endonly", "dotall",
	"dupnames", "extended", "firstline", "match_unset_backref", "multiline", "never_ucp",
	"never_utf", "no_auto_capture", "no_auto_possess", "no_dotstar_anchor",
	"no_start_optimize", "ucp", "ungreedy", "utf", "never_backslash_c", "alt_circumflex",
	"alt_verbnames", "use_offset_limit", NULL
};

static int kw_url_regex_options(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct ck_url *u = cur_url(obj);

	for (int i = 1; i < a->argc; i++) {
		int j;

		for (j = 0; regex_opts[j] && strcmp(regex_opts[j], a->argv[i]); j++)
			;
		/* keepalived ignores a name it does not know, silently */
		if (!regex_opts[j])
			cfg_warn_arg(c, i, "unknown regex option '%s' - ignoring", a->argv[i]);
		else
			u->regex_options |= 1u << j;
	}
	return 0;
}

static int kw_url_regex_offset(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct ck_url *u = cur_url(obj);
	unsigned v;

	if (cfg_uint(c, a, 1, 0, UINT_MAX - 1, &v) < 0)
		return -EINVAL;
	if (strstr(a->argv[0], "min"))
		u->regex_min_offset = v;
	else
		u->regex_max_offset = (uint64_t)v + 1;	/* one beyond, as keepalived keeps it */
	return 0;
}

static int kw_url_regex_stack(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct ck_url *u = cur_url(obj);
	unsigned lo, hi;

	if (cfg_uint(c, a, 1, 0, UINT_MAX, &lo) < 0 || cfg_uint(c, a, 2, 0, UINT_MAX, &hi) < 0)
		return -EINVAL;
	if (lo > hi) {
		cfg_error(c, "regex stack start cannot exceed max value");
		return -EINVAL;
	}
	u->regex_stack_start = lo;
	u->regex_stack_max = hi;
	return 0;
}

static const struct cfg_kw url_kws[] = {
	CFG_KW("path", kw_url_path, CFG_ARG1),
	CFG_KW("digest", kw_url_digest, CFG_ARG1),
	CFG_KW("status_code", kw_url_status, CFG_ARGS(1, CFG_ANY)),
	CFG_KW("virtualhost", kw_url_virtualhost, CFG_ARG1),
	CFG_KW("regex", kw_url_regex, CFG_ARG1),
	CFG_KW("regex_no_match", kw_url_regex_no_match, CFG_FLAGARGS),
	CFG_KW("regex_options", kw_url_regex_options, CFG_ARGS(1, CFG_ANY)),
	CFG_KW("regex_min_offset", kw_url_regex_offset, CFG_ARG1),
	CFG_KW("regex_max_offset", kw_url_regex_offset, CFG_ARG1),
	CFG_KW("regex_stack", kw_url_regex_stack, .args = 2),
	{ 0 }
};

static int kw_http_protocol(struct cfg *c, void *obj, const struct cfg_args *a)
{
	static const char *const protos[] = { "1.0", "1.0C", "1.1", NULL };
	int i;

	for (i = 0; protos[i] && strcmp(protos[i], a->argv[1]); i++)
		;
	if (!protos[i]) {
		cfg_mistake_arg(c, 1, "Invalid http_protocol version %s", a->argv[1]);
		return 0;
	}
	K(obj)->c.u.http.proto = i == 0 ? CK_HTTP_10 : i == 1 ? CK_HTTP_10C : CK_HTTP_11;
	return 0;
}

static int kw_http_virtualhost(struct cfg *c, void *obj, const struct cfg_args *a)
{
	return cfg_str(c, a, 1, &K(obj)->c.u.http.virtualhost);
}

static int kw_http_bool(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct ck_http *h = &K(obj)->c.u.http;

	return cfg_bool(c, a, 1, a->argv[0][0] == 'f' ? &h->fast_recovery : &h->enable_sni);
}

/* sni_name (after 2.2.7): the SNI name sent, over the virtualhost chain */
static int kw_http_sni_name(struct cfg *c, void *obj, const struct cfg_args *a)
{
	return cfg_str(c, a, 1, &K(obj)->sni_name);
}

/* nb_get_retry: 2.2.7's deprecated alias of retry, with its words (its -t fails) */
static int kw_nb_get_retry(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct cc_ck *k = obj;

	cfg_mistake(c, "nb_get_retry is deprecated - please use 'retry'");
	if (cfg_uint(c, a, 1, 0, UINT_MAX, &k->t.retry) < 0)
		return -EINVAL;
	k->t.has_retry = true;
	return 0;
}

/* HTTP_GET and SSL_GET (the same keywords in 2.2.7) */
const struct cfg_kw cc_http_get_kws[] = {
	CONN_KWS,
	CFG_KW("http_protocol", kw_http_protocol, CFG_ARG1),
	CFG_KW("virtualhost", kw_http_virtualhost, CFG_ARG1),
	CFG_KW("fast_recovery", kw_http_bool, CFG_OPT1),
	CFG_KW("nb_get_retry", kw_nb_get_retry, CFG_ARG1),
	CFG_KW("enable_sni", kw_http_bool, CFG_OPT1),
	CFG_KW("sni_name", kw_http_sni_name, CFG_ARG1),
	CFG_KW("url", NULL, .block = url_kws, .open = open_url, .close = close_url),
	{ 0 }
};

const struct cfg_kw cc_tcp_check_kws[] = {
	CONN_KWS,
	{ 0 }
};

const struct cfg_kw cc_ping_check_kws[] = {
	CONN_KWS,
	{ 0 }
};

/* --- SMTP_CHECK --- */

static int kw_helo_name(struct cfg *c, void *obj, const struct cfg_args *a)
{
	return cfg_str(c, a, 1, &K(obj)->c.u.smtp.helo_name);
}

/* host { }: deprecated; one more SMTP checker per block (keepalived's WITH_HOST_ENTRIES) */
static void *open_host(struct cfg *c, void *parent, const struct cfg_args *a)
{
	struct cc_ck *k = parent;
	struct cc_ck *h = cc_tmp_alloc(sizeof(*h));

	if (!k->n_hosts)
		cfg_warn(c, "The SMTP_CHECK host block is deprecated. Please define additional "
			 "checkers.");
	h->c.type = CK_SMTP;
	h->parent = k;
	cc_timing_init(&h->t);
	h->c.file = cc_intern_file(root_of(c), a->file);
	h->c.line = a->line;
	k->hosts = xrealloc(k->hosts, (k->n_hosts + 1) * sizeof(*k->hosts));
	k->hosts[k->n_hosts++] = h;
	return h;
}

static const struct cfg_kw smtp_host_kws[] = {
	CONN_KWS,
	{ 0 }
};

const struct cfg_kw cc_smtp_check_kws[] = {
	CONN_KWS,
	CFG_KW("helo_name", kw_helo_name, CFG_ARG1),
	/* deprecated, with keepalived's own line (its -t passes) */
	CFG_KW("host", NULL, .block = smtp_host_kws, .open = open_host),
	{ 0 }
};

/* --- DNS_CHECK --- */

static const struct { const char *name; uint16_t type; } dns_types[] = {
	{ "A", 1 }, { "NS", 2 }, { "CNAME", 5 }, { "SOA", 6 }, { "MX", 15 }, { "TXT", 16 },
	{ "AAAA", 28 }, { "RRSIG", 46 }, { "DNSKEY", 48 },
};

static int kw_dns_type(struct cfg *c, void *obj, const struct cfg_args *a)
{
	for (unsigned i = 0; i < sizeof(dns_types) / sizeof(dns_types[0]); i++) {
		if (!strcasecmp(dns_types[i].name, a->argv[1])) {
			K(obj)->c.u.dns.qtype = dns_types[i].type;
			return 0;
		}
	}
	cfg_mistake_arg(c, 1, "Unknown DNS check type %s - ignoring", a->argv[1]);
	return 0;
}

static int kw_dns_name(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct ck_dns *d = &K(obj)->c.u.dns;
	const char *n = a->argv[1];

	if (d->name) {
		cfg_mistake(c, "DNS_CHECK name already specified - ignoring");
		return 0;
	}
	/* an empty label: "..", or a leading dot in anything but "." */
	if (strstr(n, "..") || (n[0] == '.' && n[1])) {
		cfg_mistake_arg(c, 1, "DNS_CHECK name '%s' has empty label - ignoring", n);
		return 0;
	}
	d->name = xstrdup(n);
	return 0;
}

const struct cfg_kw cc_dns_check_kws[] = {
	CONN_KWS,
	CFG_KW("type", kw_dns_type, CFG_ARG1),
	CFG_KW("name", kw_dns_name, CFG_ARG1),
	{ 0 }
};

/* --- UDP_CHECK --- */

/*
 * Hex digits, free format (blanks between words): the payload; with wild, an X (or x)
 * nibble matches anything (mask). Returns the byte count, or -1.
 */
static ssize_t parse_hex(const struct cfg_args *a, bool wild, uint8_t **data, uint8_t **mask)
{
	size_t n = 0, cap = 0;
	uint8_t *d = NULL, *m = NULL;
	int nib = 0;

	for (int i = 1; i < a->argc; i++) {
		for (const char *p = a->argv[i]; *p; p++) {
			int v = hexval(*p);
			int mv = 0xf;

			if (v < 0 && wild && (*p == 'x' || *p == 'X')) {
				v = 0;
				mv = 0;
			}
			if (v < 0) {
				free(d);
				free(m);
				return -1;
			}
			if (!nib) {
				if (n == cap) {
					cap = cap ? 2 * cap : 16;
					d = xrealloc(d, cap);
					m = xrealloc(m, cap);
				}
				d[n] = (uint8_t)(v << 4);
				m[n] = (uint8_t)(mv << 4);
			} else {
				d[n] |= (uint8_t)v;
				m[n++] |= (uint8_t)mv;
			}
			nib ^= 1;
		}
	}
	if (nib || !n) {
		free(d);
		free(m);
		return -1;
	}
	*data = d;
	if (mask)
		*mask = m;
	else
		free(m);
	return (ssize_t)n;
}

static int kw_udp_payload(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct ck_udp *u = &K(obj)->c.u.udp;
	uint8_t *d;
	ssize_t n = parse_hex(a, false, &d, NULL);

	if (n < 0) {
		cfg_mistake_arg(c, 1, "Invalid hex string for UDP_CHECK payload");
		return 0;
	}
	free(u->payload);
	u->payload = d;
	u->payload_len = (uint32_t)n;
	return 0;
}

static int kw_udp_require_reply(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct ck_udp *u = &K(obj)->c.u.udp;
	uint8_t *d, *m;
	ssize_t n;

	u->require_reply = true;
	if (a->argc < 2)
		return 0;
	n = parse_hex(a, true, &d, &m);
	if (n < 0) {
		cfg_mistake_arg(c, 1, "Invalid hex string for UDP_CHECK reply");
		return 0;
	}
	free(u->reply);
	free(u->reply_mask);
	u->reply = d;
	u->reply_mask = m;
	u->reply_len = (uint32_t)n;
	return 0;
}

static int kw_udp_len(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct cc_ck *k = obj;
	bool min = strstr(a->argv[0], "min") != NULL;

	if (cfg_uint(c, a, 1, 0, UINT16_MAX, min ? &k->c.u.udp.min_reply_len :
		     &k->c.u.udp.max_reply_len) < 0)
		return -EINVAL;
	return 0;
}

const struct cfg_kw cc_udp_check_kws[] = {
	CONN_KWS,
	CFG_KW("payload", kw_udp_payload, CFG_ARGS(1, CFG_ANY)),
	CFG_KW("require_reply", kw_udp_require_reply, CFG_ARGS(0, CFG_ANY)),
	CFG_KW("min_reply_length", kw_udp_len, CFG_ARG1),
	CFG_KW("max_reply_length", kw_udp_len, CFG_ARG1),
	{ 0 }
};

/* --- MISC_CHECK --- */

static int kw_misc_path(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct cc_cmd *m = &K(obj)->misc;

	free(m->cmdline);
	m->cmdline = xstrdup(a->argv[1]);
	m->file = cc_intern_file(root_of(c), a->file);
	m->line = a->line;
	m->col = cfg_col(c, 1);
	return 0;
}

/* whole seconds, 0..4294; 0: the virtual server's delay_loop */
static int kw_misc_timeout(struct cfg *c, void *obj, const struct cfg_args *a)
{
	unsigned s;

	if (cfg_uint(c, a, 1, 0, UINT_MAX / 1000000, &s) < 0)
		return -EINVAL;
	K(obj)->c.u.misc.timeout_us = (uint64_t)s * 1000000;
	K(obj)->has_misc_timeout = s != 0;
	return 0;
}

static int kw_misc_dynamic(struct cfg *c, void *obj, const struct cfg_args *a)
{
	if (cfg_kw_flag(c, obj, a) < 0)
		return -EINVAL;
	K(obj)->c.u.misc.dynamic = true;
	return 0;
}

/* user USER [[:]GROUP]: keepalived refuses a user or group that does not exist */
static int kw_misc_user(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct cc_cmd *m = &K(obj)->misc;
	char *user = NULL, *group = NULL;

	if (userdb_cfg_words(c, a, 1, &user, &group) < 0) {
		free(user);
		free(group);
		return -EINVAL;
	}
	free(m->as.user);
	free(m->as.group);
	m->as.user = user;
	m->as.group = group;
	return 0;
}

const struct cfg_kw cc_misc_check_kws[] = {
	CFG_KW("misc_path", kw_misc_path, CFG_ARG1),
	CFG_KW("misc_timeout", kw_misc_timeout, CFG_ARG1),
	CFG_KW("misc_dynamic", kw_misc_dynamic, CFG_FLAGARGS),
	CFG_KW("user", kw_misc_user, CFG_ARGS(1, 2)),
	TIMING_KWS,
	{ 0 }
};

/* --- FILE_CHECK --- */

static int kw_file_track(struct cfg *c, void *obj, const struct cfg_args *a)
{
	/* 2.2.7: the track_file block must come first; else "not found", and the block's
	 * end then finds no track_file */
	if (!check_file_find(c, a->argv[1])) {
		cfg_mistake_arg(c, 1, "track_file %s not found", a->argv[1]);
		return 0;
	}
	return cfg_str(c, a, 1, &K(obj)->c.u.file.track_file);
}

/* weight -2147483647..2147483647 [reverse|noreverse] */
static int kw_file_weight(struct cfg *c, void *obj, const struct cfg_args *a)
{
	static const char *const rev[] = { "reverse", "noreverse", NULL };
	struct ck_file *f = &K(obj)->c.u.file;
	int w, i = 1;

	if (cfg_int(c, a, 1, -INT_MAX, INT_MAX, &w) < 0 ||
	    (a->argc > 2 && cfg_enum(c, a, 2, rev, &i) < 0))
		return -EINVAL;
	f->weight = w;
	f->has_weight = true;
	f->reverse = i == 0;
	return 0;
}

const struct cfg_kw cc_file_check_kws[] = {
	CFG_KW("track_file", kw_file_track, CFG_ARG1),
	CFG_KW("weight", kw_file_weight, CFG_ARGS(1, 2)),
	{ 0 }
};

/* BFD_CHECK: no BFD yet, so its keywords are checked and nothing is kept */
const struct cfg_kw cc_bfd_check_kws[] = {
	CFG_KW_LATER("name", NULL, CFG_ARG1),
	CFG_KW_LATER("alpha", cfg_kw_check_bool, CFG_OPT1),
	{ 0 }
};

/* --- the blocks --- */

static const struct { const char *kw; enum ck_type type; } ck_kws[] = {
	{ "TCP_CHECK", CK_TCP }, { "HTTP_GET", CK_HTTP }, { "SSL_GET", CK_SSL },
	{ "SMTP_CHECK", CK_SMTP }, { "DNS_CHECK", CK_DNS }, { "UDP_CHECK", CK_UDP },
	{ "PING_CHECK", CK_PING }, { "MISC_CHECK", CK_MISC }, { "FILE_CHECK", CK_FILE },
};

void *cc_open_ck(struct cfg *c, void *parent, const struct cfg_args *a)
{
	struct cc_rs *rs = parent;
	struct cc_ck *k = cc_tmp_alloc(sizeof(*k));

	for (unsigned i = 0; i < sizeof(ck_kws) / sizeof(ck_kws[0]); i++)
		if (!strcmp(ck_kws[i].kw, a->argv[0]))
			k->c.type = ck_kws[i].type;
	cc_timing_init(&k->t);
	if (k->c.type == CK_UDP)
		k->c.u.udp.max_reply_len = 255;
	k->c.file = cc_intern_file(root_of(c), a->file);
	k->c.line = a->line;
	k->col = cfg_col(c, 0);
	rs->cks = xrealloc(rs->cks, (rs->n_cks + 1) * sizeof(*rs->cks));
	rs->cks[rs->n_cks++] = k;
	return k;
}

/* What keepalived checks when the block ends: a checker it cannot run is dropped. */
int cc_close_ck(struct cfg *c, void *obj)
{
	struct cc_ck *k = obj;

	switch (k->c.type) {
	case CK_HTTP:
	case CK_SSL:
		if (!k->c.u.http.n_urls) {
			cfg_mistake(c, "HTTP/SSL_GET checker has no urls specified - ignoring");
			k->dropped = true;
		}
		break;
	case CK_MISC:
		if (!k->misc.cmdline) {
			cfg_mistake(c, "No script path has been specified for MISC_CHECKER - skipping");
			k->dropped = true;
		}
		break;
	case CK_FILE:
		if (!k->c.u.file.track_file) {
			cfg_mistake(c, "FILE_CHECK has no track_file specified - ignoring");
			k->dropped = true;
		} else if (check_file_resolve(c, &k->c.u.file) < 0) {
			k->dropped = true;
		}
		break;
	case CK_UDP:
		if (k->c.u.udp.min_reply_len > k->c.u.udp.max_reply_len)
			cfg_mistake(c, "UDP_CHECK min_reply length %u > max_reply_length %u - will "
				    "always fail", k->c.u.udp.min_reply_len,
				    k->c.u.udp.max_reply_len);
		break;
	default:
		break;
	}
	return 0;
}

void cc_ck_free(struct cc_ck *k)
{
	if (!k)
		return;
	for (unsigned i = 0; i < k->n_hosts; i++)
		cc_ck_free(k->hosts[i]);
	free(k->hosts);
	free(k->sni_name);
	cc_cmd_free(&k->misc);
	cc_ck_conf_free(&k->c);
	cc_tmp_free(k);
}
