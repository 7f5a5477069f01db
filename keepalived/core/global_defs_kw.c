// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/core/global_defs_kw.c: global_defs keywords with a syntax of their own. */
#include "global_defs_int.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "userdb.h"

static int find_word(const char *const words[], const char *w)
{
	for (int i = 0; words[i]; i++)
		if (!strcmp(words[i], w))
			return i;
	return -1;
}

/* notification_email { ADDR ... }: every word is one recipient. */
void *gd_open_emails(struct cfg *c, void *parent, const struct cfg_args *a)
{
	struct global_defs *gd = parent;

	gd->n_emails_at_open = gd->n_emails;
	return gd;
}

int gd_kw_email(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct global_defs *gd = obj;

	gd->emails = xrealloc(gd->emails, (gd->n_emails + a->argc) * sizeof(*gd->emails));
	for (int i = 0; i < a->argc; i++)
		gd->emails[gd->n_emails++] = xstrdup(a->argv[i]);
	return 0;
}

int gd_close_emails(struct cfg *c, void *obj)
{
	struct global_defs *gd = obj;

	if (gd->n_emails == gd->n_emails_at_open) {
		cfg_error(c, "empty notification_email block");
		return -EINVAL;
	}
	return 0;
}

void gd_dump_emails(const struct global_defs *gd, const char *ind, const char *name, FILE *f)
{
	if (!gd->n_emails)
		return;
	fprintf(f, "%s%s {\n", ind, name);
	for (unsigned i = 0; i < gd->n_emails; i++) {
		fprintf(f, "%s\t", ind);
		cfg_dump_word(f, gd->emails[i]);
		fputc('\n', f);
	}
	fprintf(f, "%s}\n", ind);
}

/* smtp_server ADDRESS|HOSTNAME [PORT]: the name is resolved when the config loads. */
int gd_kw_smtp_server(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct global_defs *gd = obj;
	struct inet_addr addr;
	unsigned port = 25;

	if (a->argc > 2 && cfg_uint(c, a, 2, 1, 65535, &port) < 0)
		return -EINVAL;
	if (cfg_host(c, a, 1, &addr) < 0)
		return -EINVAL;
	cfg_str(c, a, 1, &gd->smtp_server);
	gd->smtp_addr = addr;
	gd->smtp_port = port;
	return 0;
}

void gd_dump_smtp_server(const struct global_defs *gd, const char *ind, const char *name, FILE *f)
{
	if (!gd->smtp_server)
		return;
	fprintf(f, "%s%s ", ind, name);
	cfg_dump_word(f, gd->smtp_server);
	fprintf(f, " %u\n", gd->smtp_port);
}

/*
 * script_user USER [[:]GROUP]: both must exist (keepalived refuses the config otherwise).
 * Kept even then: the scripts that would run as this user are not run (keepalived's
 * "Failed to set default user ..."), rather than run as root.
 */
int gd_kw_script_user(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct global_defs *gd = obj;

	return userdb_cfg_words(c, a, 1, &gd->script_user, &gd->script_group);
}

void gd_dump_script_user(const struct global_defs *gd, const char *ind, const char *name, FILE *f)
{
	if (!gd->script_user)
		return;
	fprintf(f, "%s%s ", ind, name);
	cfg_dump_word(f, gd->script_user);
	if (gd->script_group) {
		fputc(' ', f);
		cfg_dump_word(f, gd->script_group);
	}
	fputc('\n', f);
}

/* max_auto_priority [-1..99]: without a value, the highest realtime priority. */
int gd_kw_max_auto_priority(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct global_defs *gd = obj;

	if (a->argc < 2) {
		gd->max_auto_priority = 99;
		return 0;
	}
	return cfg_int(c, a, 1, -1, 99, &gd->max_auto_priority);
}

void gd_dump_max_auto_priority(const struct global_defs *gd, const char *ind, const char *name,
			       FILE *f)
{
	fprintf(f, "%s%s %d\n", ind, name, gd->max_auto_priority);
}

int gd_kw_dynamic_interfaces(struct cfg *c, void *obj, const struct cfg_args *a)
{
	static const char *const opts[] = { "allow_if_changes", NULL };
	struct global_defs *gd = obj;
	int i;

	if (a->argc > 1 && cfg_enum(c, a, 1, opts, &i) < 0)
		return -EINVAL;
	gd->dynamic_interfaces = true;
	gd->dynamic_interfaces_allow_if_changes = a->argc > 1;
	return 0;
}

void gd_dump_dynamic_interfaces(const struct global_defs *gd, const char *ind, const char *name,
				FILE *f)
{
	if (gd->dynamic_interfaces)
		fprintf(f, "%s%s%s\n", ind, name,
			gd->dynamic_interfaces_allow_if_changes ? " allow_if_changes" : "");
}

static int parse_mcast(struct cfg *c, const struct cfg_args *a, int family, struct inet_addr *out)
{
	struct inet_addr addr;

	if (cfg_addr(c, a, 1, &addr) < 0)
		return -EINVAL;
	if (addr.family != family ||
	    (family == AF_INET ? !IN_MULTICAST(ntohl(addr.v4.s_addr))
			       : !IN6_IS_ADDR_MULTICAST(&addr.v6))) {
		cfg_error_arg(c, 1, "'%s' expects an %s multicast address, got '%s'", a->argv[0],
			      family == AF_INET ? "IPv4" : "IPv6", a->argv[1]);
		return -EINVAL;
	}
	*out = addr;
	return 0;
}

int gd_kw_mcast_group4(struct cfg *c, void *obj, const struct cfg_args *a)
{
	return parse_mcast(c, a, AF_INET, &((struct global_defs *)obj)->mcast_group4);
}

int gd_kw_mcast_group6(struct cfg *c, void *obj, const struct cfg_args *a)
{
	return parse_mcast(c, a, AF_INET6, &((struct global_defs *)obj)->mcast_group6);
}

static void dump_addr(FILE *f, const char *ind, const char *name, const struct inet_addr *addr)
{
	char buf[INET6_ADDRSTRLEN];

	fprintf(f, "%s%s %s\n", ind, name, inet_addr_str(addr, buf, sizeof(buf)));
}

void gd_dump_mcast_group4(const struct global_defs *gd, const char *ind, const char *name, FILE *f)
{
	dump_addr(f, ind, name, &gd->mcast_group4);
}

void gd_dump_mcast_group6(const struct global_defs *gd, const char *ind, const char *name, FILE *f)
{
	dump_addr(f, ind, name, &gd->mcast_group6);
}

/* vrrp_garp_extra_if [all] SECS */
int gd_kw_garp_extra_if(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct global_defs *gd = obj;
	bool all = a->argc > 1 && !strcmp(a->argv[1], "all");
	int i = all ? 2 : 1;

	if (i >= a->argc) {
		cfg_error(c, "'%s' expects [all] SECONDS", a->argv[0]);
		return -EINVAL;
	}
	if (i + 1 < a->argc) {
		cfg_error_arg(c, i + 1, "'%s' expects [all] SECONDS, got an extra '%s'", a->argv[0],
			      a->argv[i + 1]);
		return -EINVAL;
	}
	if (cfg_uint(c, a, i, 1, 86400, &gd->garp_extra_if_s) < 0)
		return -EINVAL;
	gd->garp_extra_if_all = all;
	return 0;
}

void gd_dump_garp_extra_if(const struct global_defs *gd, const char *ind, const char *name, FILE *f)
{
	if (gd->garp_extra_if_s)
		fprintf(f, "%s%s %s%u\n", ind, name, gd->garp_extra_if_all ? "all " : "",
			gd->garp_extra_if_s);
}

/*
 * Debian's keepalived is built without iptables/ipset support, and so are we: as it does,
 * vrrp_iptables means nftables' table "keepalived" (whatever nftables said before), and
 * vrrp_ipsets, which it does not know, is ignored. Both are mistakes (its -t fails).
 */
int gd_kw_iptables(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct global_defs *gd = obj;

	if (!strcmp(a->argv[0], "vrrp_ipsets")) {
		cfg_mistake(c, "'vrrp_ipsets' is not supported (ipsets are keepalived's iptables "
			    "firewall): it is ignored, the firewall is nftables");
		return 0;
	}
	cfg_mistake(c, "iptables not supported, using nftables instead. Please replace "
		    "'vrrp_iptables and 'vrrp_ipsets' with 'nftables' config option");
	free(gd->nftables);
	gd->nftables = xstrdup("keepalived");
	return 0;
}

/* nftables [TABLE]: the first one given counts (keepalived 2.2.7's checks and words). */
int gd_kw_nftables(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct global_defs *gd = obj;
	const char *name = a->argc > 1 ? a->argv[1] : "keepalived";

	if (gd->nftables) {
		cfg_mistake(c, "nftables already specified - ignoring");
		return 0;
	}
	/* NFT_TABLE_MAXNAMELEN: 32 with the NUL */
	if (strlen(name) >= 32) {
		cfg_mistake_arg(c, 1, "nftables table name too long - ignoring");
		return 0;
	}
	gd->nftables = xstrdup(name);
	return 0;
}

/* lvs_timeouts [tcp SECS] [tcpfin SECS] [udp SECS] */
int gd_kw_lvs_timeouts(struct cfg *c, void *obj, const struct cfg_args *a)
{
	static const char *const names[] = { "tcp", "tcpfin", "udp", NULL };
	struct global_defs *gd = obj;
	unsigned *fields[] = { &gd->lvs_timeout_tcp_s, &gd->lvs_timeout_tcpfin_s,
			       &gd->lvs_timeout_udp_s };
	int which;

	if (a->argc < 3 || a->argc % 2 == 0) {
		cfg_error(c, "'lvs_timeouts' expects pairs of tcp|tcpfin|udp SECONDS");
		return -EINVAL;
	}
	for (int i = 1; i + 1 < a->argc; i += 2)
		if (cfg_enum(c, a, i, names, &which) < 0 ||
		    cfg_uint(c, a, i + 1, 0, 2678400, fields[which]) < 0)
			return -EINVAL;
	return 0;
}

void gd_dump_lvs_timeouts(const struct global_defs *gd, const char *ind, const char *name, FILE *f)
{
	if (!gd->lvs_timeout_tcp_s && !gd->lvs_timeout_tcpfin_s && !gd->lvs_timeout_udp_s)
		return;
	fprintf(f, "%s%s", ind, name);
	if (gd->lvs_timeout_tcp_s)
		fprintf(f, " tcp %u", gd->lvs_timeout_tcp_s);
	if (gd->lvs_timeout_tcpfin_s)
		fprintf(f, " tcpfin %u", gd->lvs_timeout_tcpfin_s);
	if (gd->lvs_timeout_udp_s)
		fprintf(f, " udp %u", gd->lvs_timeout_udp_s);
	fputc('\n', f);
}

/* lvs_flush_on_stop [VS] */
int gd_kw_lvs_flush_on_stop(struct cfg *c, void *obj, const struct cfg_args *a)
{
	static const char *const opts[] = { "VS", NULL };
	struct global_defs *gd = obj;
	int i;

	if (a->argc > 1 && cfg_enum(c, a, 1, opts, &i) < 0)
		return -EINVAL;
	gd->lvs_flush_on_stop = a->argc > 1 ? GD_FLUSH_VS : GD_FLUSH_ON;
	return 0;
}

void gd_dump_lvs_flush_on_stop(const struct global_defs *gd, const char *ind, const char *name,
			       FILE *f)
{
	if (gd->lvs_flush_on_stop != GD_FLUSH_OFF)
		fprintf(f, "%s%s%s\n", ind, name, gd->lvs_flush_on_stop == GD_FLUSH_VS ? " VS" : "");
}

/* lvs_sync_daemon IF [[inst] NAME] [id N] [maxlen N] [port N] [ttl N] [group ADDR] */
int gd_kw_lvs_sync_daemon(struct cfg *c, void *obj, const struct cfg_args *a)
{
	static const char *const opts[] = { "inst", "id", "maxlen", "port", "ttl", "group", NULL };
	struct global_defs *gd = obj;
	const char *inst = NULL;
	unsigned id = UINT_MAX, maxlen = 0, port = 0, ttl = 0;
	struct inet_addr group = { 0 };
	int i = 2, opt, r = 0;

	if (gd->lvs_syncd_if) {
		cfg_error(c, "'lvs_sync_daemon' is already set (to %s)", gd->lvs_syncd_if);
		return -EINVAL;
	}
	/* the instance name may come without "inst", straight after the interface */
	if (i < a->argc && find_word(opts, a->argv[i]) < 0)
		inst = a->argv[i++];
	for (; i < a->argc && r == 0; i += 2) {
		opt = find_word(opts, a->argv[i]);
		if (opt < 0) {
			cfg_error_arg(c, i, "'lvs_sync_daemon': unknown option '%s'", a->argv[i]);
			return -EINVAL;
		}
		if (i + 1 >= a->argc) {
			cfg_error_arg(c, i, "'lvs_sync_daemon': '%s' expects a value", a->argv[i]);
			return -EINVAL;
		}
		switch (opt) {
		case 0: inst = a->argv[i + 1]; break;
		case 1: r = cfg_uint(c, a, i + 1, 0, 255, &id); break;
		case 2: r = cfg_uint(c, a, i + 1, 1, 65507, &maxlen); break;
		case 3: r = cfg_uint(c, a, i + 1, 1, 65535, &port); break;
		case 4: r = cfg_uint(c, a, i + 1, 1, 255, &ttl); break;
		case 5: r = cfg_addr(c, a, i + 1, &group); break;
		}
	}
	if (r < 0)
		return r;
	cfg_str(c, a, 1, &gd->lvs_syncd_if);
	free(gd->lvs_syncd_inst);
	gd->lvs_syncd_inst = inst ? xstrdup(inst) : NULL;
	gd->lvs_syncd_id = id == UINT_MAX ? -1 : (int)id;
	gd->lvs_syncd_maxlen = maxlen;
	gd->lvs_syncd_port = port;
	gd->lvs_syncd_ttl = ttl;
	gd->lvs_syncd_group = group;
	return 0;
}

void gd_dump_lvs_sync_daemon(const struct global_defs *gd, const char *ind, const char *name,
			     FILE *f)
{
	char buf[INET6_ADDRSTRLEN];

	if (!gd->lvs_syncd_if)
		return;
	fprintf(f, "%s%s ", ind, name);
	cfg_dump_word(f, gd->lvs_syncd_if);
	if (gd->lvs_syncd_inst) {
		fputs(" inst ", f);
		cfg_dump_word(f, gd->lvs_syncd_inst);
	}
	if (gd->lvs_syncd_id >= 0)
		fprintf(f, " id %d", gd->lvs_syncd_id);
	if (gd->lvs_syncd_maxlen)
		fprintf(f, " maxlen %u", gd->lvs_syncd_maxlen);
	if (gd->lvs_syncd_port)
		fprintf(f, " port %u", gd->lvs_syncd_port);
	if (gd->lvs_syncd_ttl)
		fprintf(f, " ttl %u", gd->lvs_syncd_ttl);
	if (gd->lvs_syncd_group.family)
		fprintf(f, " group %s", inet_addr_str(&gd->lvs_syncd_group, buf, sizeof(buf)));
	fputc('\n', f);
}

/* vrrp_rx_bufs_policy MTU|ADVERT|BYTES (the names in any case, as keepalived) */
int gd_kw_rx_bufs_policy(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct global_defs *gd = obj;

	if (!strcasecmp(a->argv[1], "MTU")) {
		gd->rx_bufs_policy = GD_RX_MTU;
	} else if (!strcasecmp(a->argv[1], "ADVERT")) {
		gd->rx_bufs_policy = GD_RX_ADVERT;
	} else {
		char *end;
		unsigned long v;

		errno = 0;
		v = strtoul(a->argv[1], &end, 10);
		if (errno || *end || !isdigit((unsigned char)a->argv[1][0]) || v > UINT_MAX) {
			cfg_error_arg(c, 1, "'vrrp_rx_bufs_policy' expects MTU, ADVERT or a size "
				      "in bytes, got '%s'", a->argv[1]);
			return -EINVAL;
		}
		gd->rx_bufs_size = v;
		gd->rx_bufs_policy = GD_RX_SIZE;
	}
	return 0;
}

void gd_dump_rx_bufs_policy(const struct global_defs *gd, const char *ind, const char *name,
			    FILE *f)
{
	switch (gd->rx_bufs_policy) {
	case GD_RX_DEFAULT:
		break;
	case GD_RX_MTU:
		fprintf(f, "%s%s MTU\n", ind, name);
		break;
	case GD_RX_ADVERT:
		fprintf(f, "%s%s ADVERT\n", ind, name);
		break;
	case GD_RX_SIZE:
		fprintf(f, "%s%s %u\n", ind, name, gd->rx_bufs_size);
		break;
	}
}

/* umask NUMBER | BITS: a number in C syntax, or I{R,W,X}{USR,GRP,OTH} joined by '|'. */
int gd_kw_umask(struct cfg *c, void *obj, const struct cfg_args *a)
{
	static const struct { const char *name; unsigned bits; } names[] = {
		{ "IRUSR", 0400 }, { "IWUSR", 0200 }, { "IXUSR", 0100 }, { "IRWXU", 0700 },
		{ "IRGRP", 0040 }, { "IWGRP", 0020 }, { "IXGRP", 0010 }, { "IRWXG", 0070 },
		{ "IROTH", 0004 }, { "IWOTH", 0002 }, { "IXOTH", 0001 }, { "IRWXO", 0007 },
	};
	struct global_defs *gd = obj;
	unsigned mask = 0;
	char *end;

	if (isdigit((unsigned char)a->argv[1][0])) {
		unsigned long v;

		errno = 0;
		v = strtoul(a->argv[1], &end, 0);
		if (errno || *end || a->argc > 2 || v > 0777) {
			cfg_error_arg(c, 1, "'umask' expects a mask up to 0777 or bits such as "
				      "IWGRP|IWOTH, got '%s'", a->argv[1]);
			return -EINVAL;
		}
		gd->umask = v;
		gd->has_umask = true;
		return 0;
	}
	/* the bits may be split over several words: "IWGRP | IWOTH" */
	for (int i = 1; i < a->argc; i++) {
		char *s = xstrdup(a->argv[i]), *save, *tok;

		for (tok = strtok_r(s, "|", &save); tok; tok = strtok_r(NULL, "|", &save)) {
			size_t k;

			for (k = 0; k < ARRAY_SIZE(names); k++)
				if (!strcmp(tok, names[k].name))
					break;
			if (k == ARRAY_SIZE(names)) {
				cfg_error_arg(c, i, "'umask': unknown bit '%s'", tok);
				free(s);
				return -EINVAL;
			}
			mask |= names[k].bits;
		}
		free(s);
	}
	gd->umask = mask;
	gd->has_umask = true;
	return 0;
}

void gd_dump_umask(const struct global_defs *gd, const char *ind, const char *name, FILE *f)
{
	fprintf(f, "%s%s 0%03o\n", ind, name, gd->umask);
}

/* random_seed N: ${_RANDOM} repeats from here on. */
int gd_kw_random_seed(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct global_defs *gd = obj;

	if (cfg_uint(c, a, 1, 0, UINT_MAX, &gd->random_seed) < 0)
		return -EINVAL;
	gd->has_random_seed = true;
	cfg_set_random_seed(c, gd->random_seed);
	return 0;
}

void gd_dump_random_seed(const struct global_defs *gd, const char *ind, const char *name, FILE *f)
{
	if (gd->has_random_seed)
		fprintf(f, "%s%s %u\n", ind, name, gd->random_seed);
}

static const struct {
	const char *name;
	unsigned bits;
} include_checks[] = {
	/* a check that needs a match also needs the file to be readable */
	{ "readable", CFG_INC_READABLE },
	{ "match", CFG_INC_MATCH | CFG_INC_READABLE },
	{ "wildcard_match", CFG_INC_WILDCARD | CFG_INC_READABLE },
	{ "brace_match", CFG_INC_BRACE | CFG_INC_READABLE },
};

/*
 * include_check [[+|-]CHECK ...]: no CHECK means all of them; names set the
 * checks, unless a '+' or '-' (alone or in front of a name) says to add or
 * remove them from the current setting, for that name and the ones after it.
 */
int gd_kw_include_check(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct global_defs *gd = obj;
	unsigned checks = 0;
	char sign = 0;

	if (a->argc == 1) {
		checks = CFG_INC_ALL;
	} else if (a->argv[1][0] == '+' || a->argv[1][0] == '-') {
		checks = cfg_include_check(c);
	}
	for (int i = 1; i < a->argc; i++) {
		const char *w = a->argv[i];
		size_t k;

		if (*w == '+' || *w == '-')
			sign = *w++;
		if (!*w)
			continue;
		/* keepalived 2.2.7's code takes "read", its man page says "readable" */
		if (!strcmp(w, "read"))
			w = "readable";
		for (k = 0; k < ARRAY_SIZE(include_checks); k++)
			if (!strcmp(w, include_checks[k].name))
				break;
		if (k == ARRAY_SIZE(include_checks)) {
			cfg_error_arg(c, i, "'include_check' expects readable, match, "
				      "wildcard_match or brace_match, got '%s'", w);
			return -EINVAL;
		}
		if (sign == '-')
			checks &= ~(include_checks[k].bits & ~(k ? CFG_INC_READABLE : 0));
		else
			checks |= include_checks[k].bits;
	}
	if (checks & ~CFG_INC_READABLE)
		checks |= CFG_INC_READABLE;
	gd->include_check = checks;
	cfg_set_include_check(c, checks);
	return 0;
}

void gd_dump_include_check(const struct global_defs *gd, const char *ind, const char *name, FILE *f)
{
	if (!gd->include_check)
		return;
	fprintf(f, "%s%s", ind, name);
	/* each name in the table adds readable too, so write only the extra bits after it */
	if (gd->include_check == CFG_INC_READABLE)
		fputs(" readable", f);
	for (size_t k = 1; k < ARRAY_SIZE(include_checks); k++)
		if (gd->include_check & include_checks[k].bits & ~CFG_INC_READABLE)
			fprintf(f, " %s", include_checks[k].name);
	fputc('\n', f);
}

/* reload_check_config [LOG_FILE] */
int gd_kw_reload_check_config(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct global_defs *gd = obj;

	gd->reload_check_config = true;
	free(gd->reload_check_config_log);
	gd->reload_check_config_log = a->argc > 1 ? xstrdup(a->argv[1]) : NULL;
	return 0;
}

void gd_dump_reload_check_config(const struct global_defs *gd, const char *ind, const char *name,
				 FILE *f)
{
	if (!gd->reload_check_config)
		return;
	fprintf(f, "%s%s", ind, name);
	if (gd->reload_check_config_log) {
		fputc(' ', f);
		cfg_dump_word(f, gd->reload_check_config_log);
	}
	fputc('\n', f);
}

/* reload_file [PATH] */
int gd_kw_reload_file(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct global_defs *gd = obj;

	gd->reload_file = true;
	free(gd->reload_file_path);
	gd->reload_file_path = a->argc > 1 ? xstrdup(a->argv[1]) : NULL;
	return 0;
}

void gd_dump_reload_file(const struct global_defs *gd, const char *ind, const char *name, FILE *f)
{
	if (!gd->reload_file)
		return;
	fprintf(f, "%s%s", ind, name);
	if (gd->reload_file_path) {
		fputc(' ', f);
		cfg_dump_word(f, gd->reload_file_path);
	}
	fputc('\n', f);
}

/* net_namespace_ipvs [NAME]: without a name, the default namespace. */
int gd_kw_net_namespace_ipvs(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct global_defs *gd = obj;

	free(gd->net_namespace_ipvs);
	gd->net_namespace_ipvs = xstrdup(a->argc > 1 ? a->argv[1] : "");
	return 0;
}

void gd_dump_net_namespace_ipvs(const struct global_defs *gd, const char *ind, const char *name,
				FILE *f)
{
	if (!gd->net_namespace_ipvs)
		return;
	fprintf(f, "%s%s", ind, name);
	if (*gd->net_namespace_ipvs) {
		fputc(' ', f);
		cfg_dump_word(f, gd->net_namespace_ipvs);
	}
	fputc('\n', f);
}

/* linkbeat_use_polling: no polling here; netlink gives every interface's link state */
int gd_kw_linkbeat(struct cfg *c, void *obj, const struct cfg_args *a)
{
	((struct global_defs *)obj)->linkbeat_use_polling = true;
	cfg_warn(c, "'%s': no polling: the link state comes from netlink, which reports the "
		 "same changes", a->argv[0]);
	return 0;
}

/*
 * metrics_listen [ADDRESS] [PORT] (ours, issue 15): the parent serves Prometheus metrics
 * over HTTP (core/metrics_http.c). Off without the keyword; bare, on 127.0.0.1 port
 * GD_METRICS_PORT, mehdy/keepalived-exporter's port, so that scrape configs written for
 * it keep working.
 */
int gd_kw_metrics_listen(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct global_defs *gd = obj;
	struct inet_addr addr;
	unsigned port = GD_METRICS_PORT;

	inet_addr_parse("127.0.0.1", &addr);
	if (a->argc > 1 && !inet_addr_parse(a->argv[1], &addr)) {
		cfg_error_arg(c, 1, "'%s' expects an IPv4 or IPv6 address, got '%s'", a->argv[0],
			      a->argv[1]);
		return -EINVAL;
	}
	if (a->argc > 2 && cfg_uint(c, a, 2, 1, 65535, &port) < 0)
		return -EINVAL;
	gd->metrics_on = true;
	gd->metrics_addr = addr;
	gd->metrics_port = port;
	return 0;
}

void gd_dump_metrics_listen(const struct global_defs *gd, const char *ind, const char *name,
			    FILE *f)
{
	char b[INET6_ADDRSTRLEN];

	if (gd->metrics_on)
		fprintf(f, "%s%s %s %u\n", ind, name, inet_addr_str(&gd->metrics_addr, b, sizeof(b)),
			gd->metrics_port);
}
