// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/vrrp/vrrp_route_conf.c: route and rule lines, read as keepalived 2.2.7 reads them. */
#include "vrrp_route_conf.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>

#include "vrrp_conf_host.h"

#define RTPROT_KEEPALIVED 18	/* "proto keepalived": what keepalived tags its routes with */
#define IPROUTE2_DIR "/etc/iproute2/"

/* ---- names: a number, a name from an iproute2 file, or a built-in one ---- */

struct rt_name {
	uint32_t id;
	const char *name;
};

static const struct rt_name table_names[] = {
	{ RT_TABLE_DEFAULT, "default" }, { RT_TABLE_MAIN, "main" }, { RT_TABLE_LOCAL, "local" },
	{ 0, NULL }
};
static const struct rt_name proto_names[] = {
	{ RTPROT_UNSPEC, "none" }, { RTPROT_REDIRECT, "redirect" }, { RTPROT_KERNEL, "kernel" },
	{ RTPROT_BOOT, "boot" }, { RTPROT_STATIC, "static" }, { RTPROT_GATED, "gated" },
	{ RTPROT_RA, "ra" }, { RTPROT_MRT, "mrt" }, { RTPROT_ZEBRA, "zebra" },
	{ RTPROT_BIRD, "bird" }, { RTPROT_BABEL, "babel" }, { RTPROT_DNROUTED, "dnrouted" },
	{ RTPROT_XORP, "xorp" }, { RTPROT_NTK, "ntk" }, { RTPROT_DHCP, "dhcp" }, { 0, NULL }
};
static const struct rt_name scope_names[] = {
	{ RT_SCOPE_UNIVERSE, "global" }, { RT_SCOPE_NOWHERE, "nowhere" }, { RT_SCOPE_HOST, "host" },
	{ RT_SCOPE_LINK, "link" }, { RT_SCOPE_SITE, "site" }, { 0, NULL }
};
static const struct rt_name type_names[] = {
	{ RTN_LOCAL, "local" }, { RTN_NAT, "nat" }, { RTN_BROADCAST, "broadcast" },
	{ RTN_BROADCAST, "brd" }, { RTN_ANYCAST, "anycast" }, { RTN_MULTICAST, "multicast" },
	{ RTN_PROHIBIT, "prohibit" }, { RTN_UNREACHABLE, "unreachable" },
	{ RTN_BLACKHOLE, "blackhole" }, { RTN_XRESOLVE, "xresolve" }, { RTN_UNICAST, "unicast" },
	{ RTN_THROW, "throw" }, { 0, NULL }
};

/* An unsigned number in C notation (010 is eight, 0x10 sixteen), at most max. */
static bool parse_num(const char *s, int base, uint64_t max, uint64_t *out)
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
		if (n == 2 && !strcmp(w[1], name) && parse_num(w[0], 0, max, &v)) {
			*out = (uint32_t)v;
			found = true;
		}
	}
	fclose(f);
	return found;
}

static bool name_lookup(const char *s, const char *file, const struct rt_name *builtin,
			uint32_t max, uint32_t *out)
{
	uint64_t v;

	if (parse_num(s, 0, max, &v)) {
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

struct rd {
	struct cfg *c;
	const struct cfg_args *a;
	const char *kw;		/* the block, named in messages */
	int i;			/* the word being read */
	bool drop;		/* keepalived would drop the line */
	bool is_static;		/* static_*: track_group is known */
};

static void vbad(struct rd *p, int i, bool drop, const char *fmt, va_list ap)
	__attribute__((format(printf, 4, 0)));
static void vbad(struct rd *p, int i, bool drop, const char *fmt, va_list ap)
{
	char msg[512];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	cfg_mistake_arg(p->c, i, "%s: %s", p->kw, msg);
	p->drop |= drop;
}

/* A problem at word i: keepalived drops the line (drop) or corrects it. */
static void bad(struct rd *p, int i, bool drop, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void bad(struct rd *p, int i, bool drop, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vbad(p, i, drop, fmt, ap);
	va_end(ap);
}

/* The value after the option at p->i (p->i moves to it), or NULL after dropping the line. */
static const char *value(struct rd *p)
{
	if (p->i + 1 >= p->a->argc) {
		bad(p, p->i, true, "'%s' needs a value", p->a->argv[p->i]);
		return NULL;
	}
	return p->a->argv[++p->i];
}

/* An optional "lock" before a metric's value */
static const char *locked_value(struct rd *p)
{
	const char *v = value(p);

	if (v && !strcmp(v, "lock"))
		v = value(p);
	return v;
}

static bool number(struct rd *p, const char *what, uint64_t max, uint64_t *out)
{
	const char *v = value(p);
	uint64_t dummy;

	if (!v)
		return false;
	if (parse_num(v, 10, max, out ? out : &dummy))
		return true;
	bad(p, p->i, true, "'%s' expects an integer between 0 and %llu, got '%s'", what,
	    (unsigned long long)max, v);
	return false;
}

/* A named value (table, protocol ...): false after reporting; the line is dropped. */
static bool named(struct rd *p, const char *what, const char *file, const struct rt_name *builtin,
		  uint32_t max, uint32_t *out)
{
	const char *v = value(p);
	uint32_t dummy;

	if (!v)
		return false;
	if (name_lookup(v, file, builtin, max, out ? out : &dummy))
		return true;
	if (file)
		bad(p, p->i, true, "%s '%s' is not a number up to %u nor a name in %s", what, v,
		    (unsigned)max, file);
	else
		bad(p, p->i, true, "%s '%s' is not a number up to %u", what, v, (unsigned)max);
	return false;
}

/* The family of the line so far: fam (0 unset) must agree with f. */
static bool same_family(struct rd *p, sa_family_t *fam, sa_family_t f, const char *what)
{
	if (!f || !*fam || *fam == f) {
		if (f)
			*fam = f;
		return true;
	}
	bad(p, p->i, true, "%s: IPv4 and IPv6 mixed in one line", what);
	return false;
}

/* ADDR (no prefix) */
static bool address(struct rd *p, const char *s, const char *what, struct inet_addr *out)
{
	if (inet_addr_parse(s, out))
		return true;
	bad(p, p->i, true, "%s '%s' is not an IP address", what, s);
	return false;
}

static bool is_prefix_word(const char *s)
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
static bool prefix(struct rd *p, const char *s, const char *what, struct vrrp_rt_prefix *out)
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
		bad(p, p->i, true, "%s '%s' is not an IP address[/prefix]", what, s);
		return false;
	}
	out->len = out->addr.family == AF_INET ? 32 : 128;
	if (slash) {
		uint64_t len;

		if (parse_num(slash + 1, 10, out->len, &len))
			out->len = (uint8_t)len;
		else
			bad(p, p->i, false, "%s '%s': invalid prefix length, /%u is used", what, s,
			    out->len);
	}
	return true;
}

/* keepalived reads realms as [FROM/]TO, each a number or a name in rt_realms */
static bool realms(struct rd *p, const char *what)
{
	const char *v = value(p), *slash;
	uint32_t id;
	bool ok;

	if (!v)
		return false;
	slash = strchr(v, '/');
	if (slash) {
		char *from = xstrndup(v, (size_t)(slash - v));

		ok = name_lookup(from, IPROUTE2_DIR "rt_realms", NULL, 255, &id) &&
		     name_lookup(slash + 1, IPROUTE2_DIR "rt_realms", NULL, 255, &id);
		free(from);
	} else {
		ok = name_lookup(v, IPROUTE2_DIR "rt_realms", NULL, 255, &id);
	}
	if (!ok)
		bad(p, p->i, true, "%s realms '%s' is not [FROM/]TO, each a number up to 255 or a "
		    "name in " IPROUTE2_DIR "rt_realms", what, v);
	return ok;
}

/* rtt, rttvar, rto_min (what): a number in the kernel's unit, or a time with s or ms */
static bool rtt_value(struct rd *p, const char *what, unsigned unit_mult)
{
	const char *v = locked_value(p), *u;
	char num[32];
	size_t n;
	unsigned frac_digits = 0, max_frac = 0;
	uint64_t val = 0, scale = 1;

	if (!v)
		return false;
	u = strpbrk(v, "sS");
	n = u ? (size_t)(u - v) : strlen(v);
	if (u) {
		if (strcasecmp(u, "s") && strcasecmp(u, "sec") && strcasecmp(u, "secs"))
			goto bad;
		if (n && tolower((unsigned char)v[n - 1]) == 'm')
			n--;		/* ms: whole milliseconds */
		else
			max_frac = 3;	/* s: to the millisecond */
	}
	if (!n || n >= sizeof(num))
		goto bad;
	memcpy(num, v, n);
	num[n] = '\0';
	for (const char *s = num; *s; s++) {
		if (*s == '.' && max_frac && !frac_digits) {
			frac_digits = 1;
			continue;
		}
		if (!isdigit((unsigned char)*s) || (frac_digits && frac_digits++ > max_frac))
			goto bad;
		val = val * 10 + (uint64_t)(*s - '0');
		if (val > UINT32_MAX)
			goto bad;
	}
	for (unsigned k = frac_digits ? frac_digits - 1 : 0; k < max_frac; k++)
		scale *= 10;
	val *= scale;
	if (val > 120000ULL * unit_mult)
		goto bad;
	return true;
bad:
	bad(p, p->i, true, "invalid %s '%s' (a number, or a time in s or ms up to 120 s)", what,
	    v);
	return false;
}

/* ---- routes ---- */

/* encap ip|ip6|mpls|ila ...: keepalived reports a bad one and keeps the route */
static void encap(struct rd *p)
{
	const char *type = value(p);

	if (!type)
		return;
	if (!strcmp(type, "ip") || !strcmp(type, "ip6")) {
		bool v6 = type[2] == '6', has_dst = false, has_id = false;

		while (p->i + 2 < p->a->argc) {
			const char *o = p->a->argv[p->i + 1], *v = p->a->argv[p->i + 2];
			struct inet_addr ia;
			uint64_t n;
			bool ok = true;

			if (!strcmp(o, "id")) {
				ok = has_id = parse_num(v, 10, UINT64_MAX, &n);
			} else if (!strcmp(o, "dst") || !strcmp(o, "src")) {
				ok = inet_addr_parse(v, &ia) && ia.family == (v6 ? AF_INET6 : AF_INET);
				has_dst |= ok && o[0] == 'd';
			} else if (!strcmp(o, v6 ? "tc" : "tos")) {
				uint32_t id;

				ok = name_lookup(v, IPROUTE2_DIR "rt_dsfield", NULL, 255, &id);
			} else if (!strcmp(o, v6 ? "hoplimit" : "ttl")) {
				ok = parse_num(v, 10, 255, &n);
			} else if (!strcmp(o, "flags")) {
				ok = parse_num(v, 10, UINT16_MAX, &n);
			} else {
				break;
			}
			p->i += 2;
			if (!ok) {
				bad(p, p->i, false, "encap %s %s '%s' is not valid", type, o, v);
				return;
			}
		}
		if (!has_dst && !has_id)
			bad(p, p->i, false, "encap %s needs dst or id", type);
	} else if (!strcmp(type, "mpls")) {
		const char *v = value(p);
		char *save = NULL, *copy;
		bool ok = v != NULL;

		if (!v)
			return;
		copy = xstrdup(v);
		for (char *t = strtok_r(copy, "/", &save); t && ok; t = strtok_r(NULL, "/", &save)) {
			uint64_t label;

			ok = parse_num(t, 0, (1 << 20) - 1, &label);
		}
		free(copy);
		if (!ok)
			bad(p, p->i, false, "encap mpls '%s' is not LABEL[/LABEL...]", v);
	} else if (!strcmp(type, "ila")) {
		const char *v = value(p);
		unsigned g[4];
		int used = 0;

		if (v && (sscanf(v, "%4x:%4x:%4x:%4x%n", &g[0], &g[1], &g[2], &g[3], &used) != 4 ||
			  v[used]))
			bad(p, p->i, false, "encap ila locator '%s' is not four hex groups", v);
	} else {
		bad(p, p->i, false, "unknown encap type '%s'", type);
	}
}

/* nexthop [via ADDR] [dev IF] [weight N] [onlink] [encap ...] [realms R] ... repeated */
static void nexthops(struct rd *p, struct vrrp_route *r)
{
	const struct cfg_args *a = p->a;

	while (!p->drop && p->i < a->argc && !strcmp(a->argv[p->i], "nexthop")) {
		for (p->i++; !p->drop && p->i < a->argc; p->i++) {
			const char *w = a->argv[p->i], *v;
			struct inet_addr ia;
			uint64_t n;

			if (!strcmp(w, "via")) {
				sa_family_t f = 0;

				if (!(v = value(p)))
					break;
				if (!strcmp(v, "inet") || !strcmp(v, "inet6")) {
					f = v[4] ? AF_INET6 : AF_INET;
					if (!same_family(p, &r->family, f, "nexthop") || !(v = value(p)))
						break;
				}
				if (address(p, v, "nexthop via", &ia))
					same_family(p, &r->family, ia.family, "nexthop");
			} else if (!strcmp(w, "dev")) {
				if ((v = value(p)) && vc_check_ifname(p->c, a, p->i, p->kw) < 0)
					p->drop = true;
			} else if (!strcmp(w, "weight")) {
				if (number(p, "weight", 256, &n) && !n)
					bad(p, p->i, true, "nexthop weight must be 1 to 256");
			} else if (!strcmp(w, "onlink")) {
				continue;
			} else if (!strcmp(w, "encap")) {
				encap(p);
			} else if (!strcmp(w, "realms")) {
				if (realms(p, "nexthop"))
					same_family(p, &r->family, AF_INET, "realms (IPv4 only)");
			} else if (!strcmp(w, "as")) {
				bad(p, p->i, true, "'as [to]' (NAT) is not supported");
			} else {
				break;
			}
		}
	}
	if (!p->drop && p->i < a->argc)
		bad(p, p->i, true, "'%s' after the nexthops is not a nexthop option", a->argv[p->i]);
}

/* One route option at p->i; false when it is none (then it is the destination). */
static bool route_option(struct rd *p, struct vrrp_route *r, int *proto_i)
{
	const char *w = p->a->argv[p->i], *v;
	uint32_t id;
	uint64_t n;

	if (!strcmp(w, "inet6") || !strcmp(w, "inet")) {
		same_family(p, &r->family, w[4] ? AF_INET6 : AF_INET, w);
	} else if (!strcmp(w, "src")) {
		if ((v = value(p)) && address(p, v, "src", &r->src))
			same_family(p, &r->family, r->src.family, "src");
	} else if (!strcmp(w, "as")) {
		if ((v = value(p)) && !strcmp(v, "to"))
			value(p);
		bad(p, p->i, false, "'as [to]' is for MPLS only: ignored");
	} else if (!strcmp(w, "via") || !strcmp(w, "gw")) {
		if (w[0] == 'g')
			bad(p, p->i, false, "'gw' is deprecated: use 'via'");
		if (!(v = value(p)))
			return true;
		if (!strcmp(v, "inet") || !strcmp(v, "inet6")) {
			if (!same_family(p, &r->family, v[4] ? AF_INET6 : AF_INET, "via") ||
			    !(v = value(p)))
				return true;
		}
		if (address(p, v, "via", &r->via))
			same_family(p, &r->family, r->via.family, "via");
	} else if (!strcmp(w, "from")) {
		if (!(v = value(p)) || !prefix(p, v, "from", &r->from))
			return true;
		if (r->from.addr.family != AF_INET6)
			bad(p, p->i, true, "a source prefix (from) is for IPv6 routes only");
		else
			same_family(p, &r->family, AF_INET6, "from");
	} else if (!strcmp(w, "tos") || !strcmp(w, "dsfield")) {
		named(p, "tos", IPROUTE2_DIR "rt_dsfield", NULL, 255, NULL);
	} else if (!strcmp(w, "table")) {
		named(p, "table", IPROUTE2_DIR "rt_tables", table_names, UINT32_MAX, &r->table);
	} else if (!strcmp(w, "protocol")) {
		if (named(p, "protocol", IPROUTE2_DIR "rt_protos", proto_names, 255, &id)) {
			r->protocol = (uint8_t)id;
			*proto_i = p->i;
		}
	} else if (!strcmp(w, "scope")) {
		if (named(p, "scope", IPROUTE2_DIR "rt_scopes", scope_names, 255, &id))
			r->scope = (uint8_t)id;
	} else if (!strcmp(w, "metric") || !strcmp(w, "priority") || !strcmp(w, "preference")) {
		if (number(p, w, UINT32_MAX, &n))
			r->metric = (uint32_t)n;
	} else if (!strcmp(w, "dev") || !strcmp(w, "oif")) {
		if (!(v = value(p)))
			return true;
		if (vc_check_ifname(p->c, p->a, p->i, p->kw) < 0)
			p->drop = true;
		snprintf(r->oif, sizeof(r->oif), "%s", v);
	} else if (!strcmp(w, "onlink")) {
		r->flags |= VRRP_ROUTE_F_ONLINK;
	} else if (!strcmp(w, "encap")) {
		encap(p);
	} else if (!strcmp(w, "expires")) {
		if (r->family == AF_INET)
			bad(p, p->i, true, "expires is for IPv6 routes only");
		else if (number(p, w, UINT32_MAX, NULL))
			r->family = AF_INET6;
	} else if (!strcmp(w, "mtu") || !strcmp(w, "advmss") || !strcmp(w, "reordering") ||
		   !strcmp(w, "cwnd") || !strcmp(w, "ssthresh")) {
		if ((v = locked_value(p)) && !parse_num(v, 10, UINT32_MAX, &n))
			bad(p, p->i, true, "'%s' expects an integer, got '%s'", w, v);
	} else if (!strcmp(w, "window") || !strcmp(w, "initcwnd") || !strcmp(w, "initrwnd")) {
		number(p, w, UINT32_MAX, NULL);
	} else if (!strcmp(w, "hoplimit")) {
		number(p, w, 255, NULL);
	} else if (!strcmp(w, "rtt") || !strcmp(w, "rttvar") || !strcmp(w, "rto_min")) {
		rtt_value(p, w, w[1] == 't' ? (w[3] == 'v' ? 4 : 8) : 1);
	} else if (!strcmp(w, "realms")) {
		if (realms(p, "route") && r->family == AF_INET6)
			bad(p, p->i, true, "realms are for IPv4 routes only");
		else
			r->family = AF_INET;
	} else if (!strcmp(w, "features")) {
		if ((v = value(p)) && strcmp(v, "ecn"))
			bad(p, p->i, false, "feature '%s' is not supported (only ecn)", v);
	} else if (!strcmp(w, "quickack") || !strcmp(w, "fastopen_no_cookie")) {
		number(p, w, 1, NULL);
	} else if (!strcmp(w, "congctl")) {
		locked_value(p);
	} else if (!strcmp(w, "pref")) {
		if (r->family == AF_INET) {
			bad(p, p->i, true, "pref is for IPv6 routes only");
		} else if ((v = value(p))) {
			r->family = AF_INET6;
			if (strcmp(v, "low") && strcmp(v, "medium") && strcmp(v, "high") &&
			    !parse_num(v, 10, 255, &n))
				bad(p, p->i, true, "pref expects low, medium, high or 0..255, got '%s'", v);
		}
	} else if (!strcmp(w, "ttl-propagate")) {
		if ((v = value(p)) && strcmp(v, "enabled") && strcmp(v, "disabled"))
			bad(p, p->i, false, "ttl-propagate expects enabled or disabled, got '%s'", v);
	} else if (!strcmp(w, "add")) {
		r->flags = (uint8_t)((r->flags | VRRP_ROUTE_F_ADD) & ~VRRP_ROUTE_F_APPEND);
	} else if (!strcmp(w, "prepend")) {
		r->flags &= (uint8_t)~(VRRP_ROUTE_F_ADD | VRRP_ROUTE_F_APPEND);
	} else if (!strcmp(w, "append")) {
		r->flags = (uint8_t)((r->flags | VRRP_ROUTE_F_APPEND) & ~VRRP_ROUTE_F_ADD);
	} else if (!strcmp(w, "or")) {
		struct inet_addr ia;

		bad(p, p->i, false, "'or' is deprecated: use 'nexthop'");
		if (r->flags & VRRP_ROUTE_F_NEXTHOPS) {
			bad(p, p->i, false, "'or' given twice: the second is ignored");
			p->i++;
		} else if ((v = value(p)) && address(p, v, "or", &ia)) {
			r->flags |= VRRP_ROUTE_F_NEXTHOPS;
		}
	} else if (!strcmp(w, "no_track")) {
		r->flags |= VRRP_ROUTE_F_NO_TRACK;
	} else if (p->is_static && !strcmp(w, "track_group")) {
		value(p);
	} else if (!strcmp(w, "vrf")) {
		if ((v = value(p)) && vc_check_ifname(p->c, p->a, p->i, "vrf") < 0)
			p->drop = true;
	} else {
		return false;
	}
	return true;
}

int vrrp_route_parse_cfg(struct cfg *c, const struct cfg_args *a, const char *kw,
			 struct vrrp_route *out)
{
	struct rd p = { .c = c, .a = a, .kw = kw, .is_static = !strncmp(kw, "static", 6) };
	struct vrrp_route *r = out;
	bool has_dst = false;
	int dst_i = 0, track_i = -1, proto_i = -1;

	*r = (struct vrrp_route){ .table = RT_TABLE_MAIN, .type = RTN_UNICAST,
				  .scope = RT_SCOPE_UNIVERSE };
	for (p.i = 0; p.i < a->argc && !p.drop; p.i++) {
		const char *w = a->argv[p.i];
		uint32_t type;

		if (!strcmp(w, "nexthop")) {
			if (r->flags & VRRP_ROUTE_F_NEXTHOPS) {
				bad(&p, p.i, false, "nexthop cannot follow 'or'");
				break;
			}
			r->flags |= VRRP_ROUTE_F_NEXTHOPS;
			nexthops(&p, r);
			break;
		}
		if (p.is_static && !strcmp(w, "track_group"))
			track_i = p.i;
		if (route_option(&p, r, &proto_i))
			continue;
		/* [to] [TYPE] PREFIX; keepalived takes TYPE only without "to" */
		if (!strcmp(w, "to")) {
			if (!value(&p))
				break;
		} else if (name_lookup(w, NULL, type_names, 255, &type)) {
			r->type = (uint8_t)type;
			if (!value(&p))
				break;
		} else if (!is_prefix_word(w)) {
			bad(&p, p.i, true, "'%s' is neither a route option nor a destination", w);
			break;
		}
		if (!prefix(&p, a->argv[p.i], "destination", &r->dst))
			break;
		has_dst = true;
		dst_i = p.i;
		same_family(&p, &r->family, r->dst.addr.family, "destination");
	}
	if (p.drop)
		return -EINVAL;
	if (!has_dst) {
		cfg_mistake(c, "%s: the route has no destination", kw);
		return -EINVAL;
	}
	if (!(r->flags & VRRP_ROUTE_F_NO_TRACK)) {
		if (proto_i >= 0 && r->protocol != RTPROT_KEEPALIVED)
			cfg_mistake_arg(c, proto_i, "%s: a tracked route is always proto keepalived "
					"(%d): the protocol is ignored (no_track keeps it)", kw,
					RTPROT_KEEPALIVED);
		r->protocol = RTPROT_KEEPALIVED;
		if (!r->oif[0]) {
			/* keepalived 2.2.7 (later versions track such routes) */
			cfg_mistake_arg(c, dst_i, "%s: route %s has no dev: it cannot be tracked "
					"(give dev, or no_track)", kw, a->argv[dst_i]);
			r->flags |= VRRP_ROUTE_F_NO_TRACK;
		}
	}
	if (track_i >= 0 && !r->oif[0])
		cfg_mistake_arg(c, track_i, "%s: track_group needs the route's dev: it is ignored",
				kw);
	if (!r->family)
		r->family = AF_INET;
	return 0;
}

/* ---- rules ---- */

/* "A[-B]" with 16-bit ports */
static bool port_range(const char *s)
{
	const char *dash = strchr(s, '-');
	uint64_t lo, hi;
	char *first;
	bool ok;

	if (!dash)
		return parse_num(s, 10, 65535, &lo);
	first = xstrndup(s, (size_t)(dash - s));
	ok = parse_num(first, 10, 65535, &lo) && parse_num(dash + 1, 10, 65535, &hi);
	free(first);
	return ok;
}

static bool set_action(struct rd *p, struct vrrp_rule *r, enum vrrp_rule_action act)
{
	if (r->action != VRRP_RULE_NONE) {
		bad(p, p->i, true, "a rule takes one action (table, goto, nop, blackhole, prohibit, "
		    "unreachable, l3mdev)");
		return false;
	}
	r->action = (uint8_t)act;
	return true;
}

/* One rule word at p->i (with its values); bad words drop the line. */
static void rule_word(struct rd *p, struct vrrp_rule *r, bool *table_option, bool *l3mdev,
		      int *track_i, int *proto_i)
{
	const char *w = p->a->argv[p->i], *v;
	uint32_t id;
	uint64_t n;

	if (!strcmp(w, "inet6") || !strcmp(w, "inet")) {
		same_family(p, &r->family, w[4] ? AF_INET6 : AF_INET, w);
	} else if (!strcmp(w, "from") || !strcmp(w, "to")) {
		struct vrrp_rt_prefix *pf = w[0] == 'f' ? &r->from : &r->to;

		if ((v = value(p)) && prefix(p, v, w, pf))
			same_family(p, &r->family, pf->addr.family, w);
	} else if (!strcmp(w, "table") || !strcmp(w, "lookup")) {
		if (!named(p, "table", IPROUTE2_DIR "rt_tables", table_names, UINT32_MAX, &id))
			return;
		if (!id)
			bad(p, p->i, true, "table 0 is not valid");
		else if (set_action(p, r, VRRP_RULE_TABLE))
			r->table = id;
	} else if (!strcmp(w, "not")) {
		r->invert = true;
	} else if (!strcmp(w, "preference") || !strcmp(w, "order") || !strcmp(w, "priority")) {
		if ((v = value(p)) && parse_num(v, 0, UINT32_MAX, &n)) {
			r->priority = (uint32_t)n;
			r->has_priority = true;
		} else if (v) {
			bad(p, p->i, true, "'%s' expects an integer up to 4294967295, got '%s'", w, v);
		}
	} else if (!strcmp(w, "tos") || !strcmp(w, "dsfield")) {
		named(p, "tos", IPROUTE2_DIR "rt_dsfield", NULL, 255, NULL);
	} else if (!strcmp(w, "fwmark")) {
		const char *slash;
		char *mark;
		bool ok;

		if (!(v = value(p)))
			return;
		slash = strchr(v, '/');
		mark = slash ? xstrndup(v, (size_t)(slash - v)) : xstrdup(v);
		ok = parse_num(mark, 0, UINT32_MAX, &n) &&
		     (!slash || parse_num(slash + 1, 0, UINT32_MAX, &n));
		free(mark);
		if (!ok)
			bad(p, p->i, true, "fwmark '%s' is not MARK[/MASK]", v);
	} else if (!strcmp(w, "realms")) {
		*table_option = true;
		if (realms(p, "rule"))
			same_family(p, &r->family, AF_INET, "realms (IPv4 only)");
	} else if (!strcmp(w, "suppress_prefixlength") || !strcmp(w, "sup_pl")) {
		*table_option = true;
		number(p, w, INT32_MAX, NULL);
	} else if (!strcmp(w, "suppress_ifgroup") || !strcmp(w, "sup_group")) {
		*table_option = true;
		named(p, "suppress_ifgroup", IPROUTE2_DIR "group", NULL, INT32_MAX, NULL);
	} else if (!strcmp(w, "dev") || !strcmp(w, "iif") || !strcmp(w, "oif")) {
		if (!(v = value(p)))
			return;
		if (vc_check_ifname(p->c, p->a, p->i, p->kw) < 0)
			p->drop = true;
		snprintf(w[0] == 'o' ? r->oif : r->iif, IFNAMSIZ, "%s", v);
	} else if (!strcmp(w, "tunnel-id")) {
		number(p, w, UINT64_MAX, NULL);
	} else if (!strcmp(w, "uidrange")) {
		unsigned lo, hi;
		int used = 0;

		if ((v = value(p)) && (sscanf(v, "%u-%u%n", &lo, &hi, &used) != 2 || v[used]))
			bad(p, p->i, true, "uidrange '%s' is not FIRST-LAST", v);
	} else if (!strcmp(w, "l3mdev")) {
		*l3mdev = true;
		set_action(p, r, VRRP_RULE_TABLE);
	} else if (!strcmp(w, "protocol")) {
		/* keepalived reports a bad one and keeps the rule */
		if ((v = value(p)) && !parse_num(v, 10, 255, &n))
			bad(p, p->i, false, "protocol '%s' is not a number up to 255: ignored", v);
		else if (v && n != RTPROT_KEEPALIVED)
			*proto_i = p->i;
	} else if (!strcmp(w, "ipproto")) {
		if ((v = value(p)) && !parse_num(v, 10, 127, &n) && !getprotobyname(v))
			bad(p, p->i, false, "ipproto '%s' is not a protocol number or name: ignored",
			    v);
	} else if (!strcmp(w, "sport") || !strcmp(w, "dport")) {
		if ((v = value(p)) && !port_range(v))
			bad(p, p->i, false, "%s '%s' is not PORT[-PORT]: ignored", w, v);
	} else if (!strcmp(w, "no_track")) {
		r->no_track = true;
	} else if (p->is_static && !strcmp(w, "track_group")) {
		*track_i = p->i;
		value(p);
	} else {
		/* the action: [type] goto N | nop | blackhole | unreachable | prohibit */
		if (!strcmp(w, "type") && !(w = value(p)))
			return;
		if (!strcmp(w, "goto")) {
			if ((v = value(p)) && parse_num(v, 10, UINT32_MAX, &n)) {
				if (set_action(p, r, VRRP_RULE_GOTO))
					r->goto_target = (uint32_t)n;
			} else if (v) {
				bad(p, p->i, true, "goto '%s' is not a preference", v);
			}
		} else if (!strcmp(w, "nop")) {
			set_action(p, r, VRRP_RULE_NOP);
		} else if (name_lookup(w, NULL, type_names, 255, &id)) {
			if (id == RTN_BLACKHOLE)
				set_action(p, r, VRRP_RULE_BLACKHOLE);
			else if (id == RTN_UNREACHABLE)
				set_action(p, r, VRRP_RULE_UNREACHABLE);
			else if (id == RTN_PROHIBIT)
				set_action(p, r, VRRP_RULE_PROHIBIT);
			else
				bad(p, p->i, true, "'%s' is not a rule action", w);
		} else {
			bad(p, p->i, true, "'%s' is not a rule option", w);
		}
	}
}

int vrrp_rule_parse_cfg(struct cfg *c, const struct cfg_args *a, const char *kw,
			struct vrrp_rule *out)
{
	struct rd p = { .c = c, .a = a, .kw = kw, .is_static = !strncmp(kw, "static", 6) };
	struct vrrp_rule *r = out;
	bool table_option = false, l3mdev = false;
	int track_i = -1, proto_i = -1;

	*r = (struct vrrp_rule){ 0 };
	for (p.i = 0; p.i < a->argc && !p.drop; p.i++)
		rule_word(&p, r, &table_option, &l3mdev, &track_i, &proto_i);
	if (p.drop)
		return -EINVAL;
	if (r->action == VRRP_RULE_GOTO && (!r->has_priority || r->priority >= r->goto_target)) {
		cfg_mistake(c, "%s: goto %u needs a preference below it", kw, r->goto_target);
		return -EINVAL;
	}
	if (r->action == VRRP_RULE_NONE) {
		cfg_mistake(c, "%s: the rule has no action (table, goto, nop, blackhole, prohibit, "
			    "unreachable or l3mdev)", kw);
		return -EINVAL;
	}
	if (r->action != VRRP_RULE_TABLE && table_option) {
		cfg_mistake(c, "%s: realms and suppress_* need a table action", kw);
		return -EINVAL;
	}
	if (l3mdev && r->table) {
		cfg_mistake(c, "%s: l3mdev takes no table", kw);
		return -EINVAL;
	}
	if (proto_i >= 0 && !r->no_track)
		cfg_mistake_arg(c, proto_i, "%s: a tracked rule is always protocol keepalived (%d): "
				"the protocol is ignored (no_track keeps it)", kw, RTPROT_KEEPALIVED);
	if (track_i >= 0 && !r->iif[0])
		cfg_mistake_arg(c, track_i, "%s: track_group needs the rule's iif (dev): it is "
				"ignored", kw);
	if (!r->family)
		r->family = AF_INET;
	if (!r->has_priority)
		cfg_mistake(c, "%s: the rule has no preference: keepalived picks one counting down "
			    "from 16384, which is probably not what you want", kw);
	return 0;
}
