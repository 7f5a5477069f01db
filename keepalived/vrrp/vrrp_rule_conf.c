// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/vrrp/vrrp_rule_conf.c: rule lines, read as keepalived 2.2.7 reads them (vrrp_route_conf.h). */
#include "vrrp_route_conf.h"

#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>

#include "vrrp_conf_host.h"
#include "vrrp_conf_int.h"
#include "vrrp_rt_words.h"

/* "A[-B]" with 16-bit ports into out[0..1] */
static bool port_range(const char *s, uint16_t *out)
{
	const char *dash = strchr(s, '-');
	uint64_t lo, hi;
	char *first;
	bool ok;

	if (!dash) {
		ok = rt_num(s, 10, 65535, &lo);
		hi = lo;
	} else {
		first = xstrndup(s, (size_t)(dash - s));
		ok = rt_num(first, 10, 65535, &lo) && rt_num(dash + 1, 10, 65535, &hi);
		free(first);
	}
	if (ok) {
		out[0] = (uint16_t)lo;
		out[1] = (uint16_t)hi;
	}
	return ok;
}

/* realms [FROM/]TO as the kernel takes them (FRA_FLOW): FROM << 16 | TO */
static uint32_t realms_value(const char *v)
{
	const char *slash = strchr(v, '/');
	uint32_t from = 0, to = 0;

	if (slash) {
		char *f = xstrndup(v, (size_t)(slash - v));

		rt_name_lookup(f, IPROUTE2_DIR "rt_realms", NULL, 255, &from);
		free(f);
		rt_name_lookup(slash + 1, IPROUTE2_DIR "rt_realms", NULL, 255, &to);
	} else {
		rt_name_lookup(v, IPROUTE2_DIR "rt_realms", NULL, 255, &to);
	}
	return from << 16 | to;
}

static bool set_action(struct rt_rd *p, struct vrrp_rule *r, enum vrrp_rule_action act)
{
	if (r->action != VRRP_RULE_NONE) {
		rt_bad(p, p->i, true, "a rule takes one action (table, goto, nop, blackhole, prohibit, "
		    "unreachable, l3mdev)");
		return false;
	}
	r->action = (uint8_t)act;
	return true;
}

/* One rule word at p->i (with its values); bad words drop the line. */
static void rule_word(struct rt_rd *p, struct vrrp_rule *r, bool *table_option, bool *l3mdev,
		      int *track_i, int *proto_i)
{
	const char *w = p->a->argv[p->i], *v;
	uint32_t id;
	uint64_t n;

	if (!strcmp(w, "inet6") || !strcmp(w, "inet")) {
		rt_same_family(p, &r->family, w[4] ? AF_INET6 : AF_INET, w);
	} else if (!strcmp(w, "from") || !strcmp(w, "to")) {
		struct vrrp_rt_prefix *pf = w[0] == 'f' ? &r->from : &r->to;

		if ((v = rt_value(p)) && rt_prefix(p, v, w, pf))
			rt_same_family(p, &r->family, pf->addr.family, w);
	} else if (!strcmp(w, "table") || !strcmp(w, "lookup")) {
		if (!rt_named(p, "table", IPROUTE2_DIR "rt_tables", rt_table_names, UINT32_MAX, &id))
			return;
		if (!id)
			rt_bad(p, p->i, true, "table 0 is not valid");
		else if (set_action(p, r, VRRP_RULE_TABLE))
			r->table = id;
	} else if (!strcmp(w, "not")) {
		r->invert = true;
	} else if (!strcmp(w, "preference") || !strcmp(w, "order") || !strcmp(w, "priority")) {
		if ((v = rt_value(p)) && rt_num(v, 0, UINT32_MAX, &n)) {
			r->priority = (uint32_t)n;
			r->has_priority = true;
		} else if (v) {
			rt_bad(p, p->i, true, "'%s' expects an integer up to 4294967295, got '%s'", w, v);
		}
	} else if (!strcmp(w, "tos") || !strcmp(w, "dsfield")) {
		if (rt_named(p, "tos", IPROUTE2_DIR "rt_dsfield", NULL, 255, &id))
			r->tos = (uint8_t)id;
	} else if (!strcmp(w, "fwmark")) {
		const char *slash;
		char *mark;
		bool ok;

		if (!(v = rt_value(p)))
			return;
		slash = strchr(v, '/');
		mark = slash ? xstrndup(v, (size_t)(slash - v)) : xstrdup(v);
		ok = rt_num(mark, 0, UINT32_MAX, &n);
		r->fwmark = (uint32_t)n;
		if (ok && slash) {
			ok = rt_num(slash + 1, 0, UINT32_MAX, &n);
			r->fwmask = (uint32_t)n;
			r->has_fwmask = true;
		}
		free(mark);
		r->has_fwmark = ok;
		if (!ok)
			rt_bad(p, p->i, true, "fwmark '%s' is not MARK[/MASK]", v);
	} else if (!strcmp(w, "realms")) {
		*table_option = true;
		if (rt_realms(p, "rule") && rt_same_family(p, &r->family, AF_INET,
							   "realms (IPv4 only)"))
			r->realms = realms_value(p->a->argv[p->i]);
	} else if (!strcmp(w, "suppress_prefixlength") || !strcmp(w, "sup_pl")) {
		*table_option = true;
		if (rt_number(p, w, INT32_MAX, &n))
			r->suppress_prefixlen = (int32_t)n;
	} else if (!strcmp(w, "suppress_ifgroup") || !strcmp(w, "sup_group")) {
		*table_option = true;
		if (rt_named(p, "suppress_ifgroup", IPROUTE2_DIR "group", NULL, INT32_MAX, &id))
			r->suppress_ifgroup = (int32_t)id;
	} else if (!strcmp(w, "dev") || !strcmp(w, "iif") || !strcmp(w, "oif")) {
		if (!(v = rt_value(p)))
			return;
		if (vc_check_ifname(p->c, p->a, p->i, p->kw) < 0)
			p->drop = true;
		snprintf(w[0] == 'o' ? r->oif : r->iif, IFNAMSIZ, "%s", v);
	} else if (!strcmp(w, "tunnel-id")) {
		if (rt_number(p, w, UINT64_MAX, &n)) {
			r->tun_id = n;
			r->has_tun_id = true;
		}
	} else if (!strcmp(w, "uidrange")) {
		unsigned lo, hi;
		int used = 0;

		if ((v = rt_value(p)) && (sscanf(v, "%u-%u%n", &lo, &hi, &used) != 2 || v[used])) {
			rt_bad(p, p->i, true, "uidrange '%s' is not FIRST-LAST", v);
		} else if (v) {
			r->uid_start = lo;
			r->uid_end = hi;
			r->has_uidrange = true;
		}
	} else if (!strcmp(w, "l3mdev")) {
		*l3mdev = true;
		r->l3mdev = true;
		set_action(p, r, VRRP_RULE_TABLE);
	} else if (!strcmp(w, "protocol")) {
		/* keepalived reports a bad one and keeps the rule */
		if ((v = rt_value(p)) && !rt_num(v, 10, 255, &n)) {
			rt_bad(p, p->i, false, "protocol '%s' is not a number up to 255: ignored", v);
		} else if (v) {
			r->protocol = (uint8_t)n;
			if (n != RTPROT_KEEPALIVED)
				*proto_i = p->i;
		}
	} else if (!strcmp(w, "ipproto")) {
		const struct protoent *pe = NULL;

		if ((v = rt_value(p)) && !rt_num(v, 10, 127, &n) && !(pe = getprotobyname(v)))
			rt_bad(p, p->i, false, "ipproto '%s' is not a protocol number or name: ignored",
			    v);
		else if (v)
			r->ipproto = (uint8_t)(pe ? pe->p_proto : (int)n);
	} else if (!strcmp(w, "sport") || !strcmp(w, "dport")) {
		if ((v = rt_value(p)) && !port_range(v, w[0] == 's' ? r->sport : r->dport))
			rt_bad(p, p->i, false, "%s '%s' is not PORT[-PORT]: ignored", w, v);
	} else if (!strcmp(w, "no_track")) {
		r->no_track = true;
	} else if (p->is_static && !strcmp(w, "track_group")) {
		*track_i = p->i;
		if ((v = rt_value(p)))
			r->track_group = vc_intern(p->c, v);
	} else {
		/* the action: [type] goto N | nop | blackhole | unreachable | prohibit */
		if (!strcmp(w, "type") && !(w = rt_value(p)))
			return;
		if (!strcmp(w, "goto")) {
			if ((v = rt_value(p)) && rt_num(v, 10, UINT32_MAX, &n)) {
				if (set_action(p, r, VRRP_RULE_GOTO))
					r->goto_target = (uint32_t)n;
			} else if (v) {
				rt_bad(p, p->i, true, "goto '%s' is not a preference", v);
			}
		} else if (!strcmp(w, "nop")) {
			set_action(p, r, VRRP_RULE_NOP);
		} else if (rt_name_lookup(w, NULL, rt_type_names, 255, &id)) {
			if (id == RTN_BLACKHOLE)
				set_action(p, r, VRRP_RULE_BLACKHOLE);
			else if (id == RTN_UNREACHABLE)
				set_action(p, r, VRRP_RULE_UNREACHABLE);
			else if (id == RTN_PROHIBIT)
				set_action(p, r, VRRP_RULE_PROHIBIT);
			else
				rt_bad(p, p->i, true, "'%s' is not a rule action", w);
		} else {
			rt_bad(p, p->i, true, "'%s' is not a rule option", w);
		}
	}
}

int vrrp_rule_parse_cfg(struct cfg *c, const struct cfg_args *a, const char *kw,
			struct vrrp_rule *out)
{
	struct rt_rd p = { .c = c, .a = a, .kw = kw, .is_static = !strncmp(kw, "static", 6) };
	struct vrrp_rule *r = out;
	bool table_option = false, l3mdev = false;
	int track_i = -1, proto_i = -1;

	*r = (struct vrrp_rule){ .suppress_prefixlen = -1, .suppress_ifgroup = -1 };
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
		cfg_mistake_arg(c, proto_i, "%s: Rule cannot be tracked if protocol is not "
				"RTPROT_KEEPALIVED(%d), resetting protocol", kw, RTPROT_KEEPALIVED);
	if (!r->no_track || proto_i < 0)
		r->protocol = RTPROT_KEEPALIVED;
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
