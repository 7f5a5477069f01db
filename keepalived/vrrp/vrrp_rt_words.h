/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/vrrp/vrrp_rt_words.h: the words of route and rule lines (names, values, prefixes). */
#pragma once
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include "vrrp_route_conf.h"

/* Shared by vrrp_route_conf.c (routes) and vrrp_rule_conf.c (rules); not for other callers. */

#define RTPROT_KEEPALIVED 18	/* "proto keepalived": what keepalived tags its routes with */
#define IPROUTE2_DIR "/etc/iproute2/"

/* A built-in name of an iproute2 table (the list ends with a NULL name). */
struct rt_name {
	uint32_t id;
	const char *name;
};
extern const struct rt_name rt_table_names[], rt_proto_names[], rt_scope_names[],
			    rt_type_names[];

/* An unsigned number in C notation (base 0: 010 is eight, 0x10 sixteen), at most max. */
bool rt_num(const char *s, int base, uint64_t max, uint64_t *out);
/* A number, a name in file (an iproute2 "ID NAME" file; NULL: none) or a builtin one. */
bool rt_name_lookup(const char *s, const char *file, const struct rt_name *builtin,
		    uint32_t max, uint32_t *out);
/* ADDR[/LEN], default, any or all (without reporting). */
bool rt_is_prefix(const char *s);

/* The reader of one line. */
struct rt_rd {
	struct cfg *c;
	const struct cfg_args *a;
	const char *kw;		/* the block, named in messages */
	int i;			/* the word being read */
	bool drop;		/* keepalived would drop the line */
	bool is_static;		/* static_*: track_group is known */
};

/* A problem at word i, a mistake: keepalived drops the line (drop) or corrects it. */
void rt_bad(struct rt_rd *p, int i, bool drop, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* The value after the option at p->i (p->i moves to it), or NULL after dropping the line. */
const char *rt_value(struct rt_rd *p);
/* The same after an optional "lock" (route metrics). */
const char *rt_locked_value(struct rt_rd *p);
/* A decimal value up to max (out may be NULL); false after reporting (the line is dropped). */
bool rt_number(struct rt_rd *p, const char *what, uint64_t max, uint64_t *out);
/* A named value (table, protocol ...): see rt_name_lookup(); false after reporting. */
bool rt_named(struct rt_rd *p, const char *what, const char *file, const struct rt_name *builtin,
	      uint32_t max, uint32_t *out);
/* The family of the line so far: *fam (0 unset) must agree with f, which it takes. */
bool rt_same_family(struct rt_rd *p, sa_family_t *fam, sa_family_t f, const char *what);
/* ADDR (no prefix) */
bool rt_address(struct rt_rd *p, const char *s, const char *what, struct inet_addr *out);
/* ADDR[/LEN], or default, any, all; keepalived takes a bad LEN as the host prefix. */
bool rt_prefix(struct rt_rd *p, const char *s, const char *what, struct vrrp_rt_prefix *out);
/* realms [FROM/]TO, each a number or a name in rt_realms */
bool rt_realms(struct rt_rd *p, const char *what);
