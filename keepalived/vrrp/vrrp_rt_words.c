// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/vrrp/vrrp_rt_words.c: the words of route and rule lines, as keepalived 2.2.7 reads them. */
#include "vrrp_rt_words.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/rtnetlink.h>

/* ---- names: a number, a name from an iproute2 file, or a built-in one ---- */

const struct rt_name rt_table_names[] = {
	{ RT_TABLE_DEFAULT, "default" }, { RT_TABLE_MAIN, "main" }, { RT_TABLE_LOCAL, "local" },
	{ 0, NULL }
};
const struct rt_name rt_proto_names[] = {
	{ RTPROT_UNSPEC, "none" }, { RTPROT_REDIRECT, "redirect" }, { RTPROT_KERNEL, "kernel" },
	{ RTPROT_BOOT, "boot" }, { RTPROT_STATIC, "static" }, { RTPROT_GATED, "gated" },
	{ RTPROT_RA, "ra" }, { RTPROT_MRT, "mrt" }, { RTPROT_ZEBRA, "zebra" },
	{ RTPROT_BIRD, "bird" }, { RTPROT_BABEL, "babel" }, { RTPROT_DNROUTED, "dnrouted" },
	{ RTPROT_XORP, "xorp" }, { RTPROT_NTK, "ntk" }, { RTPROT_DHCP, "dhcp" }, { 0, NULL }
};
const struct rt_name rt_scope_names[] = {
	{ RT_SCOPE_UNIVERSE, "global" }, { RT_SCOPE_NOWHERE, "nowhere" }, { RT_SCOPE_HOST, "host" },
	{ RT_SCOPE_LINK, "link" }, { RT_SCOPE_SITE, "site" }, { 0, NULL }
};
const struct rt_name rt_type_names[] = {
	{ RTN_LOCAL, "local" }, { RTN_NAT, "nat" }, { RTN_BROADCAST, "broadcast" },
	{ RTN_BROADCAST, "brd" }, { RTN_ANYCAST, "anycast" }, { RTN_MULTICAST, "multicast" },
	{ RTN_PROHIBIT, "prohibit" }, { RTN_UNREACHABLE, "unreachable" },
	{ RTN_BLACKHOLE, "blackhole" }, { RTN_XRESOLVE, "xresolve" }, { RTN_UNICAST, "unicast" },
	{ RTN_THROW, "throw" }, { 0, NULL }
};

/* An unsigned number in C notation (010 is eight, 0x10 sixteen), at most max. */
bool rt_num(const char *s, int base, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!isdigit((unsigned char)*s))
		return false;
	errno = 0;
	v = strtoull(s, &end, base);
	if (*end || errno || v > max)
		return false;
	*out = v;
	return true;
}

/* An "ID NAME" line of an iproute2 file naming name; '#' starts a comment. */
static bool file_lookup(const char *file, const char *name, uint32_t max, uint32_t *out)
{
	FILE *f = fopen(file, "re");
	char line[256];
	bool found = false;

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		char *w[3], *save = NULL;
		int n = 0;
		uint64_t v;

		line[strcspn(line, "#")] = '\0';
		for (char *t = strtok_r(line, " \t\r\n", &save); t && n < 3;
		     t = strtok_r(NULL, " \t\r\n", &save))
			w[n++] = t;
		if (n == 2 && !strcmp(w[1], name) && rt_num(w[0], 0, max, &v)) {
			*out = (uint32_t)v;
			found = true;
		}
	}
	fclose(f);
	return found;
}

bool rt_name_lookup(const char *s, const char *file, const struct rt_name *builtin,
			uint32_t max, uint32_t *out)
{
	uint64_t v;

	if (rt_num(s, 0, max, &v)) {
		*out = (uint32_t)v;
		return true;
	}
	if (file && file_lookup(file, s, max, out))
		return true;
	for (; builtin && builtin->name; builtin++)
		if (!strcmp(builtin->name, s)) {
			*out = builtin->id;
			return true;
		}
	return false;
}

/* ---- the reader of one line ---- */

static void rt_vbad(struct rt_rd *p, int i, bool drop, const char *fmt, va_list ap)
	__attribute__((format(printf, 4, 0)));
static void rt_vbad(struct rt_rd *p, int i, bool drop, const char *fmt, va_list ap)
{
	char msg[512];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	cfg_mistake_arg(p->c, i, "%s: %s", p->kw, msg);
	p->drop |= drop;
}

/* A problem at word i: keepalived drops the line (drop) or corrects it. */
void rt_bad(struct rt_rd *p, int i, bool drop, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rt_vbad(p, i, drop, fmt, ap);
	va_end(ap);
}

/* The value after the option at p->i (p->i moves to it), or NULL after dropping the line. */
const char *rt_value(struct rt_rd *p)
{
	if (p->i + 1 >= p->a->argc) {
		rt_bad(p, p->i, true, "'%s' needs a value", p->a->argv[p->i]);
		return NULL;
	}
	return p->a->argv[++p->i];
}

/* An optional "lock" before a metric's value */
const char *rt_locked_value(struct rt_rd *p)
{
	const char *v = rt_value(p);

	if (v && !strcmp(v, "lock"))
		v = rt_value(p);
	return v;
}

bool rt_number(struct rt_rd *p, const char *what, uint64_t max, uint64_t *out)
{
	const char *v = rt_value(p);
	uint64_t dummy;

	if (!v)
		return false;
	if (rt_num(v, 10, max, out ? out : &dummy))
		return true;
	rt_bad(p, p->i, true, "'%s' expects an integer between 0 and %llu, got '%s'", what,
	    (unsigned long long)max, v);
	return false;
}

/* A named value (table, protocol ...): false after reporting; the line is dropped. */
bool rt_named(struct rt_rd *p, const char *what, const char *file, const struct rt_name *builtin,
		  uint32_t max, uint32_t *out)
{
	const char *v = rt_value(p);
	uint32_t dummy;

	if (!v)
		return false;
	if (rt_name_lookup(v, file, builtin, max, out ? out : &dummy))
		return true;
	if (file)
		rt_bad(p, p->i, true, "%s '%s' is not a number up to %u nor a name in %s", what, v,
		    (unsigned)max, file);
	else
		rt_bad(p, p->i, true, "%s '%s' is not a number up to %u", what, v, (unsigned)max);
	return false;
}

/* The family of the line so far: fam (0 unset) must agree with f. */
bool rt_same_family(struct rt_rd *p, sa_family_t *fam, sa_family_t f, const char *what)
{
	if (!f || !*fam || *fam == f) {
		if (f)
			*fam = f;
		return true;
	}
	rt_bad(p, p->i, true, "%s: IPv4 and IPv6 mixed in one line", what);
	return false;
}

/* ADDR (no prefix) */
bool rt_address(struct rt_rd *p, const char *s, const char *what, struct inet_addr *out)
{
	if (inet_addr_parse(s, out))
		return true;
	rt_bad(p, p->i, true, "%s '%s' is not an IP address", what, s);
	return false;
}

bool rt_is_prefix(const char *s)
{
	const char *slash = strchr(s, '/');
	char *addr;
	struct inet_addr ia;
	bool ok;

	if (!strcmp(s, "default") || !strcmp(s, "any") || !strcmp(s, "all") ||
	    !strcmp(s, "default6"))
		return true;
	addr = slash ? xstrndup(s, (size_t)(slash - s)) : xstrdup(s);
	ok = inet_addr_parse(addr, &ia);
	free(addr);
	return ok;
}

/* ADDR[/LEN], or default, any, all; keepalived takes a bad LEN as the host prefix. */
bool rt_prefix(struct rt_rd *p, const char *s, const char *what, struct vrrp_rt_prefix *out)
{
	const char *slash = strchr(s, '/');
	char *addr;
	bool ok;

	*out = (struct vrrp_rt_prefix){ 0 };
	if (!strcmp(s, "default") || !strcmp(s, "any") || !strcmp(s, "all"))
		return true;
	if (!strcmp(s, "default6")) {	/* keepalived 2.0.7 and before */
		out->addr.family = AF_INET6;
		return true;
	}
	addr = slash ? xstrndup(s, (size_t)(slash - s)) : xstrdup(s);
	ok = inet_addr_parse(addr, &out->addr);
	free(addr);
	if (!ok) {
		rt_bad(p, p->i, true, "%s '%s' is not an IP address[/prefix]", what, s);
		return false;
	}
	out->len = out->addr.family == AF_INET ? 32 : 128;
	if (slash) {
		uint64_t len;

		if (rt_num(slash + 1, 10, out->len, &len))
			out->len = (uint8_t)len;
		else
			rt_bad(p, p->i, false, "%s '%s': invalid prefix length, /%u is used", what, s,
			    out->len);
	}
	return true;
}

/* keepalived reads realms as [FROM/]TO, each a number or a name in rt_realms */
bool rt_realms(struct rt_rd *p, const char *what)
{
	const char *v = rt_value(p), *slash;
	uint32_t id;
	bool ok;

	if (!v)
		return false;
	slash = strchr(v, '/');
	if (slash) {
		char *from = xstrndup(v, (size_t)(slash - v));

		ok = rt_name_lookup(from, IPROUTE2_DIR "rt_realms", NULL, 255, &id) &&
		     rt_name_lookup(slash + 1, IPROUTE2_DIR "rt_realms", NULL, 255, &id);
		free(from);
	} else {
		ok = rt_name_lookup(v, IPROUTE2_DIR "rt_realms", NULL, 255, &id);
	}
	if (!ok)
		rt_bad(p, p->i, true, "%s realms '%s' is not [FROM/]TO, each a number up to 255 or a "
		    "name in " IPROUTE2_DIR "rt_realms", what, v);
	return ok;
}

