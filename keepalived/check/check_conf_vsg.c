// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/check/check_conf_vsg.c: virtual_server_group entries: addresses, ranges, fwmarks. */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "check_conf_int.h"
#include "utils.h"

void *cc_open_vsg(struct cfg *c, void *parent, const struct cfg_args *a)
{
	struct cc_conf *cc = parent;
	struct vsg_conf *g;

	(void)c;
	cc->pub.vsg = xrealloc(cc->pub.vsg, (cc->pub.n_vsg + 1) * sizeof(*cc->pub.vsg));
	g = &cc->pub.vsg[cc->pub.n_vsg++];
	memset(g, 0, sizeof(*g));
	g->name = xstrdup(a->argv[1]);
	return cc;
}

static struct vsg_conf *cur_vsg(struct cc_conf *cc)
{
	return &cc->pub.vsg[cc->pub.n_vsg - 1];
}

void cc_vsg_free(struct vsg_conf *g)
{
	free(g->name);
	free(g->entries);
}

static void add_entry(struct vsg_conf *g, const struct vsg_entry *e)
{
	g->entries = xrealloc(g->entries, (g->n_entries + 1) * sizeof(*g->entries));
	g->entries[g->n_entries++] = *e;
}

/* compares two addresses of one family as big-endian numbers */
static int addr_cmp(const struct inet_addr *a, const struct inet_addr *b)
{
	if (a->family == AF_INET)
		return memcmp(&a->v4, &b->v4, 4);
	return memcmp(&a->v6, &b->v6, 16);
}

/*
 * ADDR: a.b.c.d, a.b.c.d-e (last byte; IPv6: last 16-bit group, hex), a.b.c.d-e.f.g.h,
 * a.b.c.d/nn (host bits must be 0). Returns 0 or -EINVAL after reporting with
 * keepalived's words (the entry is skipped).
 */
static int parse_range(struct cfg *c, const char *s, struct vsg_entry *e)
{
	char buf[INET6_ADDRSTRLEN + 48];
	char *sep;

	if (strlen(s) >= sizeof(buf))
		goto bad_addr;
	strcpy(buf, s);
	if ((sep = strchr(buf, '/'))) {
		char *end;
		unsigned long mask;
		unsigned bits;
		uint8_t *first, *last;

		*sep++ = '\0';
		if (!inet_addr_parse(buf, &e->first))
			goto bad_addr;
		bits = e->first.family == AF_INET ? 32 : 128;
		mask = strtoul(sep, &end, 10);
		if (*end || !*sep || !mask || mask > bits) {
			cfg_mistake(c, "Invalid netmask - %s - skipping", s);
			return -EINVAL;
		}
		e->last = e->first;
		first = e->first.family == AF_INET ? (uint8_t *)&e->first.v4 : e->first.v6.s6_addr;
		last = e->first.family == AF_INET ? (uint8_t *)&e->last.v4 : e->last.v6.s6_addr;
		for (unsigned b = (unsigned)mask; b < bits; b++) {
			uint8_t bit = (uint8_t)(0x80 >> (b % 8));

			if (first[b / 8] & bit) {
				cfg_mistake(c, "Address mask bits not empty - %s - skipping", s);
				return -EINVAL;
			}
			last[b / 8] |= bit;
		}
		return 0;
	}
	sep = strchr(buf, '-');
	if (sep)
		*sep++ = '\0';
	if (!inet_addr_parse(buf, &e->first))
		goto bad_addr;
	e->last = e->first;
	if (!sep)
		return 0;
	if (strchr(sep, e->first.family == AF_INET ? '.' : ':')) {
		if (!inet_addr_parse(sep, &e->last)) {
			cfg_mistake(c, "Invalid range end %s - skipping", s);
			return -EINVAL;
		}
		if (e->last.family != e->first.family) {
			cfg_mistake(c, "Range address families do not match %s - skipping", s);
			return -EINVAL;
		}
		if (addr_cmp(&e->last, &e->first) < 0) {
			cfg_mistake(c, "Address range end is less than address range start - %s - "
				    "skipping", s);
			return -EINVAL;
		}
		return 0;
	} else {
		char *end;
		unsigned long r = strtoul(sep, &end, e->first.family == AF_INET ? 10 : 16);
		unsigned start;

		if (*end || !*sep || r > (e->first.family == AF_INET ? 255UL : 65535UL))
			goto bad_addr;
		if (e->first.family == AF_INET) {
			start = ((uint8_t *)&e->first.v4)[3];
			((uint8_t *)&e->last.v4)[3] = (uint8_t)r;
		} else {
			start = (unsigned)e->first.v6.s6_addr[14] << 8 | e->first.v6.s6_addr[15];
			e->last.v6.s6_addr[14] = (uint8_t)(r >> 8);
			e->last.v6.s6_addr[15] = (uint8_t)r;
		}
		if (start >= r) {
			cfg_mistake(c, "Address range end is not greater than address range start - "
				    "%s - skipping", s);
			return -EINVAL;
		}
		return 0;
	}
bad_addr:
	cfg_error(c, "'virtual_server_group' expects an address, a range (a.b.c.d-e, "
		  "a.b.c.d-e.f.g.h, a.b.c.d/nn) or fwmark N, got '%s'", s);
	return -EINVAL;
}

/* One line of the block: ADDR|RANGE [PORT] or fwmark N [inet|inet6]. */
int cc_vsg_line(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct vsg_conf *g = cur_vsg(obj);
	struct vsg_entry e = { 0 };

	if (!strcmp(a->argv[0], "fwmark")) {
		static const char *const fams[] = { "inet", "inet6", NULL };
		int i;

		if (a->argc < 2 || a->argc > 3) {
			cfg_error(c, "'fwmark' in a virtual_server_group expects N [inet|inet6]");
			return -EINVAL;
		}
		if (cfg_uint(c, a, 1, 0, UINT_MAX, &e.fwmark) < 0)
			return -EINVAL;
		if (a->argc > 2) {
			if (cfg_enum(c, a, 2, fams, &i) < 0)
				return -EINVAL;
			e.fwmark_af = i ? AF_INET6 : AF_INET;
		}
		e.is_fwmark = true;
		add_entry(g, &e);
		return 0;
	}
	if (a->argc > 2) {
		cfg_error_arg(c, 2, "a virtual_server_group entry expects ADDRESS [PORT], got an "
			      "extra '%s'", a->argv[2]);
		return -EINVAL;
	}
	if (parse_range(c, a->argv[0], &e) < 0)
		return 0;	/* keepalived skips it; the reason is reported */
	if (a->argc > 1) {
		unsigned port;

		if (cfg_uint(c, a, 1, 0, 65535, &port) < 0)
			return -EINVAL;
		e.port = (uint16_t)port;
	}
	add_entry(g, &e);
	return 0;
}

/* keepalived removes a group with no entries, or one mixing families with a bare fwmark */
int cc_close_vsg(struct cfg *c, void *obj)
{
	struct cc_conf *cc = obj;
	struct vsg_conf *g = cur_vsg(cc);
	bool v4 = false, v6 = false, bare_fwmark = false;

	for (unsigned i = 0; i < g->n_entries; i++) {
		const struct vsg_entry *e = &g->entries[i];
		sa_family_t af = e->is_fwmark ? e->fwmark_af : e->first.family;

		v4 |= af == AF_INET;
		v6 |= af == AF_INET6;
		bare_fwmark |= e->is_fwmark && !af;
	}
	if (!g->n_entries)
		cfg_mistake(c, "virtual server group %s has no entries - removing", g->name);
	else if (v4 && v6 && bare_fwmark)
		cfg_mistake(c, "virtual server group %s cannot have IPv4, IPv6 and fwmark without "
			    "family - removing", g->name);
	else
		return 0;
	cc_vsg_free(g);
	cc->pub.n_vsg--;
	return 0;
}

void cc_vsg_entry_dump(const struct vsg_entry *e, FILE *f)
{
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];

	if (e->is_fwmark) {
		fprintf(f, "\tfwmark %u%s\n", e->fwmark,
			e->fwmark_af == AF_INET ? " inet" : e->fwmark_af == AF_INET6 ? " inet6" : "");
		return;
	}
	inet_addr_str(&e->first, a, sizeof(a));
	if (inet_addr_eq(&e->first, &e->last))
		fprintf(f, "\t%s", a);
	else
		fprintf(f, "\t%s-%s", a, inet_addr_str(&e->last, b, sizeof(b)));
	if (e->port)
		fprintf(f, " %u", e->port);
	fputc('\n', f);
}
