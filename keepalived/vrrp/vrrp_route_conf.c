// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/vrrp/vrrp_route_conf.c: route lines, read as keepalived 2.2.7 reads them (see the header). */
#include "vrrp_route_conf.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <linux/rtnetlink.h>

#include "vrrp_conf_host.h"
#include "vrrp_conf_int.h"
#include "vrrp_rt_words.h"

/* rtt, rttvar, rto_min (what): a number in the kernel's unit, or a time with s or ms */
static bool rtt_value(struct rt_rd *p, const char *what, unsigned unit_mult, uint32_t *out)
{
	const char *v = rt_locked_value(p), *u;
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
	/* the kernel's unit: ms (rto_min), ms * 8 (rtt), ms * 4 (rttvar) */
	*out = (uint32_t)(u ? val * unit_mult : val);
	return true;
bad:
	rt_bad(p, p->i, true, "invalid %s '%s' (a number, or a time in s or ms up to 120 s)", what,
	    v);
	return false;
}

/* encap ip|ip6|mpls|ila ...: keepalived reports a bad one and keeps the route */
static void encap(struct rt_rd *p)
{
	const char *type = rt_value(p);

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
				ok = has_id = rt_num(v, 10, UINT64_MAX, &n);
			} else if (!strcmp(o, "dst") || !strcmp(o, "src")) {
				ok = inet_addr_parse(v, &ia) && ia.family == (v6 ? AF_INET6 : AF_INET);
				has_dst |= ok && o[0] == 'd';
			} else if (!strcmp(o, v6 ? "tc" : "tos")) {
				uint32_t id;

				ok = rt_name_lookup(v, IPROUTE2_DIR "rt_dsfield", NULL, 255, &id);
			} else if (!strcmp(o, v6 ? "hoplimit" : "ttl")) {
				ok = rt_num(v, 10, 255, &n);
			} else if (!strcmp(o, "flags")) {
				ok = rt_num(v, 10, UINT16_MAX, &n);
			} else {
				break;
			}
			p->i += 2;
			if (!ok) {
				rt_bad(p, p->i, false, "encap %s %s '%s' is not valid", type, o, v);
				return;
			}
		}
		if (!has_dst && !has_id)
			rt_bad(p, p->i, false, "encap %s needs dst or id", type);
	} else if (!strcmp(type, "mpls")) {
		const char *v = rt_value(p);
		char *save = NULL, *copy;
		bool ok = v != NULL;

		if (!v)
			return;
		copy = xstrdup(v);
		for (char *t = strtok_r(copy, "/", &save); t && ok; t = strtok_r(NULL, "/", &save)) {
			uint64_t label;

			ok = rt_num(t, 0, (1 << 20) - 1, &label);
		}
		free(copy);
		if (!ok)
			rt_bad(p, p->i, false, "encap mpls '%s' is not LABEL[/LABEL...]", v);
	} else if (!strcmp(type, "ila")) {
		const char *v = rt_value(p);
		unsigned g[4];
		int used = 0;

		if (v && (sscanf(v, "%4x:%4x:%4x:%4x%n", &g[0], &g[1], &g[2], &g[3], &used) != 4 ||
			  v[used]))
			rt_bad(p, p->i, false, "encap ila locator '%s' is not four hex groups", v);
	} else {
		rt_bad(p, p->i, false, "unknown encap type '%s'", type);
	}
}

/* nexthop [via ADDR] [dev IF] [weight N] [onlink] [encap ...] [realms R] ... repeated */
static void nexthops(struct rt_rd *p, struct vrrp_route *r)
{
	const struct cfg_args *a = p->a;

	while (!p->drop && p->i < a->argc && !strcmp(a->argv[p->i], "nexthop")) {
		struct vrrp_nexthop dummy, *nh = &dummy;

		if (r->n_nh < VRRP_ROUTE_MAX_NH)
			nh = &r->nh[r->n_nh++];
		else
			rt_bad(p, p->i, false, "more than %d nexthops: this one is left out",
			       VRRP_ROUTE_MAX_NH);
		*nh = (struct vrrp_nexthop){ 0 };
		for (p->i++; !p->drop && p->i < a->argc; p->i++) {
			const char *w = a->argv[p->i], *v;
			struct inet_addr ia;
			uint64_t n;

			if (!strcmp(w, "via")) {
				sa_family_t f = 0;

				if (!(v = rt_value(p)))
					break;
				if (!strcmp(v, "inet") || !strcmp(v, "inet6")) {
					f = v[4] ? AF_INET6 : AF_INET;
					if (!rt_same_family(p, &r->family, f, "nexthop") || !(v = rt_value(p)))
						break;
				}
				if (rt_address(p, v, "nexthop via", &ia) &&
				    rt_same_family(p, &r->family, ia.family, "nexthop"))
					nh->via = ia;
			} else if (!strcmp(w, "dev")) {
				if ((v = rt_value(p)) && vc_check_ifname(p->c, a, p->i, p->kw) < 0)
					p->drop = true;
				else if (v)
					snprintf(nh->dev, sizeof(nh->dev), "%s", v);
			} else if (!strcmp(w, "weight")) {
				if (rt_number(p, "weight", 256, &n) && !n)
					rt_bad(p, p->i, true, "nexthop weight must be 1 to 256");
				else if (n)
					nh->weight = (uint8_t)(n - 1);
			} else if (!strcmp(w, "onlink")) {
				nh->onlink = true;
				continue;
			} else if (!strcmp(w, "encap")) {
				encap(p);
			} else if (!strcmp(w, "realms")) {
				if (rt_realms(p, "nexthop"))
					rt_same_family(p, &r->family, AF_INET, "realms (IPv4 only)");
			} else if (!strcmp(w, "as")) {
				rt_bad(p, p->i, true, "'as [to]' (NAT) is not supported");
			} else {
				break;
			}
		}
	}
	if (!p->drop && p->i < a->argc)
		rt_bad(p, p->i, true, "'%s' after the nexthops is not a nexthop option", a->argv[p->i]);
}

/* The route metrics (RTAX_*) by name; 0: none. */
static uint32_t metric_of(const char *w)
{
	static const struct rt_name names[] = {
		{ RTAX_MTU, "mtu" }, { RTAX_ADVMSS, "advmss" }, { RTAX_REORDERING, "reordering" },
		{ RTAX_CWND, "cwnd" }, { RTAX_SSTHRESH, "ssthresh" }, { RTAX_WINDOW, "window" },
		{ RTAX_INITCWND, "initcwnd" }, { RTAX_INITRWND, "initrwnd" },
		{ RTAX_HOPLIMIT, "hoplimit" }, { RTAX_RTT, "rtt" }, { RTAX_RTTVAR, "rttvar" },
		{ RTAX_RTO_MIN, "rto_min" }, { RTAX_QUICKACK, "quickack" },
		{ RTAX_FASTOPEN_NO_COOKIE, "fastopen_no_cookie" }, { 0, NULL }
	};

	for (const struct rt_name *n = names; n->name; n++)
		if (!strcmp(n->name, w))
			return n->id;
	return 0;
}

/* mtu [lock] N ...: into r->metrics[id] (lock: bit id of RTAX_LOCK) */
static void metric(struct rt_rd *p, struct vrrp_route *r, const char *w, uint32_t id)
{
	const char *v;
	uint64_t n;
	uint32_t val = 0;
	bool ok;

	if (id == RTAX_QUICKACK || id == RTAX_FASTOPEN_NO_COOKIE || id == RTAX_HOPLIMIT ||
	    id == RTAX_WINDOW || id == RTAX_INITCWND || id == RTAX_INITRWND) {
		/* keepalived 2.2.7 takes no lock on these */
		if (!rt_number(p, w, id == RTAX_HOPLIMIT ? 255 : id == RTAX_QUICKACK ||
			       id == RTAX_FASTOPEN_NO_COOKIE ? 1 : UINT32_MAX, &n))
			return;
		val = (uint32_t)n;
	} else if (id == RTAX_RTT || id == RTAX_RTTVAR || id == RTAX_RTO_MIN) {
		bool lock = p->i + 1 < p->a->argc && !strcmp(p->a->argv[p->i + 1], "lock");

		if (!rtt_value(p, w, id == RTAX_RTT ? 8 : id == RTAX_RTTVAR ? 4 : 1, &val))
			return;
		if (lock)
			r->metrics[RTAX_LOCK] |= 1u << id;
	} else {
		bool lock = p->i + 1 < p->a->argc && !strcmp(p->a->argv[p->i + 1], "lock");

		if (!(v = rt_locked_value(p)))
			return;
		ok = rt_num(v, 10, UINT32_MAX, &n);
		if (!ok) {
			rt_bad(p, p->i, true, "'%s' expects an integer, got '%s'", w, v);
			return;
		}
		val = (uint32_t)n;
		if (lock)
			r->metrics[RTAX_LOCK] |= 1u << id;
	}
	r->metrics[id] = val;
	r->metrics_set |= 1u << id;
	if (r->metrics[RTAX_LOCK])
		r->metrics_set |= 1u << RTAX_LOCK;
}

/* One route option at p->i; false when it is none (then it is the destination). */
static bool route_option(struct rt_rd *p, struct vrrp_route *r, int *proto_i)
{
	const char *w = p->a->argv[p->i], *v;
	uint32_t id;
	uint64_t n;

	if (!strcmp(w, "inet6") || !strcmp(w, "inet")) {
		rt_same_family(p, &r->family, w[4] ? AF_INET6 : AF_INET, w);
	} else if (!strcmp(w, "src")) {
		if ((v = rt_value(p)) && rt_address(p, v, "src", &r->src))
			rt_same_family(p, &r->family, r->src.family, "src");
	} else if (!strcmp(w, "as")) {
		if ((v = rt_value(p)) && !strcmp(v, "to"))
			rt_value(p);
		rt_bad(p, p->i, false, "'as [to]' is for MPLS only: ignored");
	} else if (!strcmp(w, "via") || !strcmp(w, "gw")) {
		if (w[0] == 'g')
			rt_bad(p, p->i, false, "'gw' is deprecated: use 'via'");
		if (!(v = rt_value(p)))
			return true;
		if (!strcmp(v, "inet") || !strcmp(v, "inet6")) {
			if (!rt_same_family(p, &r->family, v[4] ? AF_INET6 : AF_INET, "via") ||
			    !(v = rt_value(p)))
				return true;
		}
		if (rt_address(p, v, "via", &r->via))
			rt_same_family(p, &r->family, r->via.family, "via");
	} else if (!strcmp(w, "from")) {
		if (!(v = rt_value(p)) || !rt_prefix(p, v, "from", &r->from))
			return true;
		if (r->from.addr.family != AF_INET6)
			rt_bad(p, p->i, true, "a source prefix (from) is for IPv6 routes only");
		else
			rt_same_family(p, &r->family, AF_INET6, "from");
	} else if (!strcmp(w, "tos") || !strcmp(w, "dsfield")) {
		if (rt_named(p, "tos", IPROUTE2_DIR "rt_dsfield", NULL, 255, &id))
			r->tos = (uint8_t)id;
	} else if (!strcmp(w, "table")) {
		rt_named(p, "table", IPROUTE2_DIR "rt_tables", rt_table_names, UINT32_MAX, &r->table);
	} else if (!strcmp(w, "protocol")) {
		if (rt_named(p, "protocol", IPROUTE2_DIR "rt_protos", rt_proto_names, 255, &id)) {
			r->protocol = (uint8_t)id;
			*proto_i = p->i;
		}
	} else if (!strcmp(w, "scope")) {
		if (rt_named(p, "scope", IPROUTE2_DIR "rt_scopes", rt_scope_names, 255, &id)) {
			r->scope = (uint8_t)id;
			r->has_scope = true;
		}
	} else if (!strcmp(w, "metric") || !strcmp(w, "priority") || !strcmp(w, "preference")) {
		if (rt_number(p, w, UINT32_MAX, &n))
			r->metric = (uint32_t)n;
	} else if (!strcmp(w, "dev") || !strcmp(w, "oif")) {
		if (!(v = rt_value(p)))
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
			rt_bad(p, p->i, true, "expires is for IPv6 routes only");
		else if (rt_number(p, w, UINT32_MAX, NULL))
			r->family = AF_INET6;
	} else if ((id = metric_of(w))) {
		metric(p, r, w, id);
	} else if (!strcmp(w, "realms")) {
		if (rt_realms(p, "route") && r->family == AF_INET6)
			rt_bad(p, p->i, true, "realms are for IPv4 routes only");
		else
			r->family = AF_INET;
	} else if (!strcmp(w, "features")) {
		if ((v = rt_value(p)) && strcmp(v, "ecn"))
			rt_bad(p, p->i, false, "feature '%s' is not supported (only ecn)", v);
	} else if (!strcmp(w, "congctl")) {
		rt_locked_value(p);
	} else if (!strcmp(w, "pref")) {
		if (r->family == AF_INET) {
			rt_bad(p, p->i, true, "pref is for IPv6 routes only");
		} else if ((v = rt_value(p))) {
			r->family = AF_INET6;
			if (strcmp(v, "low") && strcmp(v, "medium") && strcmp(v, "high") &&
			    !rt_num(v, 10, 255, &n))
				rt_bad(p, p->i, true, "pref expects low, medium, high or 0..255, got '%s'", v);
		}
	} else if (!strcmp(w, "ttl-propagate")) {
		if ((v = rt_value(p)) && strcmp(v, "enabled") && strcmp(v, "disabled"))
			rt_bad(p, p->i, false, "ttl-propagate expects enabled or disabled, got '%s'", v);
	} else if (!strcmp(w, "add")) {
		r->flags = (uint8_t)((r->flags | VRRP_ROUTE_F_ADD) & ~VRRP_ROUTE_F_APPEND);
	} else if (!strcmp(w, "prepend")) {
		r->flags &= (uint8_t)~(VRRP_ROUTE_F_ADD | VRRP_ROUTE_F_APPEND);
	} else if (!strcmp(w, "append")) {
		r->flags = (uint8_t)((r->flags | VRRP_ROUTE_F_APPEND) & ~VRRP_ROUTE_F_ADD);
	} else if (!strcmp(w, "or")) {
		struct inet_addr ia;

		rt_bad(p, p->i, false, "'or' is deprecated: use 'nexthop'");
		if (r->flags & VRRP_ROUTE_F_NEXTHOPS) {
			rt_bad(p, p->i, false, "'or' given twice: the second is ignored");
			p->i++;
		} else if ((v = rt_value(p)) && rt_address(p, v, "or", &ia) &&
			   rt_same_family(p, &r->family, ia.family, "or")) {
			/* a second gateway: the route becomes multipath (vrrp_route_parse_cfg()) */
			r->flags |= VRRP_ROUTE_F_NEXTHOPS;
			r->nh[1].via = ia;
			r->n_nh = 2;
		}
	} else if (!strcmp(w, "no_track")) {
		r->flags |= VRRP_ROUTE_F_NO_TRACK;
	} else if (p->is_static && !strcmp(w, "track_group")) {
		if ((v = rt_value(p)))
			r->track_group = vc_intern(p->c, v);
	} else if (!strcmp(w, "vrf")) {
		if ((v = rt_value(p)) && vc_check_ifname(p->c, p->a, p->i, "vrf") < 0)
			p->drop = true;
	} else {
		return false;
	}
	return true;
}

int vrrp_route_parse_cfg(struct cfg *c, const struct cfg_args *a, const char *kw,
			 struct vrrp_route *out)
{
	struct rt_rd p = { .c = c, .a = a, .kw = kw, .is_static = !strncmp(kw, "static", 6) };
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
				rt_bad(&p, p.i, false, "nexthop cannot follow 'or'");
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
			if (!rt_value(&p))
				break;
		} else if (rt_name_lookup(w, NULL, rt_type_names, 255, &type)) {
			r->type = (uint8_t)type;
			if (!rt_value(&p))
				break;
		} else if (!rt_is_prefix(w)) {
			rt_bad(&p, p.i, true, "'%s' is neither a route option nor a destination", w);
			break;
		}
		if (!rt_prefix(&p, a->argv[p.i], "destination", &r->dst))
			break;
		has_dst = true;
		dst_i = p.i;
		rt_same_family(&p, &r->family, r->dst.addr.family, "destination");
	}
	if (p.drop)
		return -EINVAL;
	if (r->n_nh == 2 && !r->nh[0].via.family && !r->via.family) {
		r->via = r->nh[1].via;	/* "or" without a first gateway: the only one */
		r->n_nh = 0;
	} else if (r->n_nh == 2 && !r->nh[0].via.family) {
		/* VIA or OR [dev IF]: two nexthops through the route's interface */
		r->nh[0].via = r->via;
		r->via = (struct inet_addr){ 0 };
		snprintf(r->nh[0].dev, sizeof(r->nh[0].dev), "%s", r->oif);
		snprintf(r->nh[1].dev, sizeof(r->nh[1].dev), "%s", r->oif);
	}
	if (!has_dst) {
		cfg_mistake(c, "%s: the route has no destination", kw);
		return -EINVAL;
	}
	if (!(r->flags & VRRP_ROUTE_F_NO_TRACK)) {
		if (proto_i >= 0 && r->protocol != RTPROT_KEEPALIVED)
			cfg_mistake_arg(c, proto_i, "%s: Route cannot be tracked if protocol is not "
					"RTPROT_KEEPALIVED(%d), resetting protocol", kw,
					RTPROT_KEEPALIVED);
		r->protocol = RTPROT_KEEPALIVED;
		if (!r->oif[0]) {
			/* keepalived 2.2.7 (later versions track such routes) */
			cfg_mistake_arg(c, dst_i, "%s: Warning - cannot track route %s with no "
					"interface specified, not tracking", kw, a->argv[dst_i]);
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


static void lines_free(struct vc_lines *l)
{
	for (unsigned i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

void vc_lines_dump(FILE *f, const char *ind, const char *kw, const struct vc_lines *l)
{
	if (!l->n)
		return;
	fprintf(f, "%s%s {\n", ind, kw);
	for (unsigned i = 0; i < l->n; i++)
		fprintf(f, "%s\t%s\n", ind, l->v[i]);
	fprintf(f, "%s}\n", ind);
}

void vc_routes_dump(FILE *f, const char *ind, const struct vc_routes *r, const char *kw_routes,
		    const char *kw_rules)
{
	if (!r)
		return;
	vc_lines_dump(f, ind, kw_routes, &r->route_lines);
	vc_lines_dump(f, ind, kw_rules, &r->rule_lines);
}

void vc_track_groups_dump(FILE *f, const struct vc_routes *r)
{
	for (unsigned i = 0; r && i < r->n_tgs; i++) {
		fprintf(f, "track_group ");
		cfg_dump_word(f, r->tgs[i].name);
		fprintf(f, " {\n\tgroup {\n");
		for (unsigned k = 0; k < r->tgs[i].n_insts; k++) {
			fputs("\t\t", f);
			cfg_dump_word(f, r->tgs[i].insts[k]);
			fputc('\n', f);
		}
		fprintf(f, "\t}\n}\n");
	}
}

void vc_routes_free(struct vc_routes *r)
{
	if (!r)
		return;
	lines_free(&r->route_lines);
	lines_free(&r->rule_lines);
	free(r->routes);
	free(r->rules);
	free(r->addrs);
	free(r->addr_tg);
	for (unsigned i = 0; i < r->n_tgs; i++) {
		free(r->tgs[i].name);
		for (unsigned k = 0; k < r->tgs[i].n_insts; k++)
			free(r->tgs[i].insts[k]);
		free(r->tgs[i].insts);
	}
	free(r->tgs);
	free(r);
}

static struct vc_routes *routes_of(struct vc_routes **rp)
{
	if (!*rp)
		*rp = xcalloc(1, sizeof(**rp));
	return *rp;
}

void vc_routes_add_route(struct vc_routes **rp, const struct cfg_args *a,
			 const struct vrrp_route *r)
{
	struct vc_routes *v = routes_of(rp);

	vc_add_line(a, &v->route_lines);
	v->routes = xrealloc(v->routes, (v->n_routes + 1) * sizeof(*v->routes));
	v->routes[v->n_routes++] = *r;
}

/*
 * keepalived 2.2.7 numbers the rules without a preference from 16384 down, one counter
 * per family over the whole configuration, in the order they are read.
 */
void vc_routes_add_rule(struct cfg *c, struct vc_routes **rp, struct vc_routes *counter,
			const struct cfg_args *a, struct vrrp_rule *r)
{
	struct vc_routes *v = routes_of(rp);

	vc_add_line(a, &v->rule_lines);
	if (!r->has_priority) {
		uint32_t *next = &counter->next_pref[r->family == AF_INET6];

		if (!*next)
			*next = VRRP_RULE_AUTO_PREF;
		r->priority = (*next)--;
		r->auto_priority = true;
	}
	(void)c;
	v->rules = xrealloc(v->rules, (v->n_rules + 1) * sizeof(*v->rules));
	v->rules[v->n_rules++] = *r;
}
