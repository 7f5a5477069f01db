/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/vrrp/vrrp_conf_int.h: what the vrrp_conf*.c files share (not the runtime). */
#pragma once
#include <stdbool.h>

#include "cfg_reader.h"
#include "parser.h"
#include "vrrp_conf.h"
#include "vrrp_ipaddr.h"

/*
 * The keyword tables of keepalived.conf's VRRP blocks are split by what they fill:
 *   vrrp_conf.c         shared helpers, names, the top-level table (vrrp_root_kws), free
 *   vrrp_conf_inst.c    vrrp_instance
 *   vrrp_conf_script.c  vrrp_script, and the options after a tracked name
 *   vrrp_conf_group.c   vrrp_sync_group
 *   vrrp_conf_later.c   the other top-level blocks: static_*, track_group, those not acted on yet
 *   vrrp_conf_finish.c  after the parse: references between objects, lookups
 * Not for the runtime: it reads vrrp_conf.h.
 */

/* vrrp_conf.c */
/*
 * One copy of s owned by the vrrp_conf being filled (file and interface names:
 * few distinct ones, each written by many objects).
 */
const char *vc_intern(struct cfg *c, const char *s);
/* Where argument i of a was written; vc_set_ref() copies the word too (r->name). */
void vc_set_ref(struct cfg *c, const struct cfg_args *a, int i, struct vc_ref *r);
void vc_set_at(struct cfg *c, const struct cfg_args *a, int i, struct vc_at *at);
/* Keeps the line's words joined by single spaces (quoted where needed). */
void vc_add_line(const struct cfg_args *a, struct vc_lines *l);
/* SCRIPT [USER [[:]GROUP]] into cmd (see SET_CMD). */
int vc_set_cmd(struct cfg *c, const struct cfg_args *a, struct vc_cmd *cmd);
/* Names of instances, scripts and groups: one hash map (vrrp_conf.names), a tag per kind. */
extern const char vc_tag_inst, vc_tag_script, vc_tag_group;
const struct vc_ref *vc_name_get(const struct vrrp_conf *vc, const char *tag, const char *name);
/* Remembers the first definition of a name (the key is the object's own copy). */
void vc_name_put(struct vrrp_conf *vc, const char *tag, struct vc_ref *r);
/* Is the name of this new object taken? Reported (error or warning); the block is still checked. */
bool vc_check_dup(struct cfg *c, const struct cfg_args *a, const struct vrrp_conf *vc,
		  const char *tag, bool is_error);

/* vrrp_conf_inst.c */
extern const struct cfg_kw vc_instance_kws[];
void *vc_open_instance(struct cfg *c, void *parent, const struct cfg_args *a);
/* ADDR[/PREFIX] of an address line (a VIP, an excluded VIP or a static address). */
int vc_check_ip_prefix(struct cfg *c, const struct cfg_args *a, const char *kw);
/* -t: the interface of an address line (its dev, else default_ifname) must exist. */
int vc_check_addr_dev(struct cfg *c, const struct cfg_args *a, const struct vrrp_ipaddr *ia,
		      const char *kw, const char *default_ifname);

/* vrrp_conf_script.c */
extern const struct cfg_kw vc_script_kws[];
void *vc_open_script(struct cfg *c, void *parent, const struct cfg_args *a);
int vc_close_script(struct cfg *c, void *obj);
/* What follows a tracked object's name. */
struct vc_track_opts {
	int weight;
	bool has_weight, reverse, has_reverse;
};
/* [weight N [reverse|noreverse]] (noreverse: whether it is allowed). */
int vc_parse_track_opts(struct cfg *c, const struct cfg_args *a, const char *kw,
			bool noreverse, struct vc_track_opts *o);

/* vrrp_conf_group.c */
extern const struct cfg_kw vc_sync_group_kws[];
void *vc_open_group(struct cfg *c, void *parent, const struct cfg_args *a);

/* vrrp_conf_later.c */
extern const struct cfg_kw vc_track_group_kws[], vc_garp_group_kws[];
void *vc_open_garp_group(struct cfg *c, void *parent, const struct cfg_args *a);
int vc_close_garp_group(struct cfg *c, void *obj);
int vc_line_static_addr(struct cfg *c, void *obj, const struct cfg_args *a);
int vc_line_static_route(struct cfg *c, void *obj, const struct cfg_args *a);
int vc_line_static_rule(struct cfg *c, void *obj, const struct cfg_args *a);
int vc_line_linkbeat(struct cfg *c, void *obj, const struct cfg_args *a);
/* routes: the root's statics (static_*, track groups, the rule preference counter) */
struct vc_routes *vc_statics(struct vrrp_conf *vc);
void *vc_open_track_group(struct cfg *c, void *parent, const struct cfg_args *a);
int vc_line_if_delays(struct cfg *c, void *obj, const struct cfg_args *a);

/*
 * Handlers that store one typed field: generated, so that each keyword's line in
 * the tables below says what it fills.
 */
#define SET_FLAG(fn, type, field, val)						\
	static int fn(struct cfg *c, void *obj, const struct cfg_args *a)	\
	{									\
		cfg_kw_flag(c, obj, a);						\
		type(obj)->field = (val);					\
		return 0;							\
	}
#define SET_BOOL(fn, type, field)						\
	static int fn(struct cfg *c, void *obj, const struct cfg_args *a)	\
	{									\
		bool b;								\
		if (cfg_bool(c, a, 1, &b) < 0)					\
			return -EINVAL;						\
		type(obj)->field = b;					\
		return 0;							\
	}
#define SET_UINT(fn, type, field, min, max)					\
	static int fn(struct cfg *c, void *obj, const struct cfg_args *a)	\
	{									\
		unsigned v;							\
		if (cfg_uint(c, a, 1, min, max, &v) < 0)			\
			return -EINVAL;						\
		type(obj)->field = v;					\
		return 0;							\
	}
#define SET_SECS(fn, type, field, min_us, max_us)				\
	static int fn(struct cfg *c, void *obj, const struct cfg_args *a)	\
	{									\
		uint64_t v;							\
		if (cfg_timer_us(c, a, 1, min_us, max_us, &v) < 0)		\
			return -EINVAL;						\
		type(obj)->field = v;					\
		return 0;							\
	}
#define SET_ADDR(fn, type, field)						\
	static int fn(struct cfg *c, void *obj, const struct cfg_args *a)	\
	{									\
		return cfg_addr(c, a, 1, &type(obj)->field);		\
	}
/* SCRIPT [USER [GROUP]] */
#define SET_CMD(fn, type, field)						\
	static int fn(struct cfg *c, void *obj, const struct cfg_args *a)	\
	{									\
		return vc_set_cmd(c, a, &type(obj)->field);			\
	}
