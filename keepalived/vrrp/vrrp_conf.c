// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/vrrp/vrrp_conf.c: VRRP keywords: instances, scripts, sync groups, static addresses. */
#include "vrrp_conf.h"

#include <errno.h>
#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cfg_reader.h"
#include "userdb.h"
#include "core/global_defs.h"
#include "utils.h"
#include "vrrp_conf_host.h"
#include "vrrp_ipaddr.h"
#include "vrrp_route_conf.h"

/*
 * One copy of s owned by the vrrp_conf being filled (file and interface names:
 * few distinct ones, each written by many objects). The last one is tried first.
 */
static const char *intern(struct cfg *c, const char *s)
{
	struct vrrp_conf *vc = cfg_root_obj(c, vrrp_root_kws);

	for (unsigned i = vc->n_strs; i-- > 0;)
		if (!strcmp(vc->strs[i], s))
			return vc->strs[i];
	vc->strs = xrealloc(vc->strs, (vc->n_strs + 1) * sizeof(*vc->strs));
	return vc->strs[vc->n_strs++] = xstrdup(s);
}

static void set_ref(struct cfg *c, const struct cfg_args *a, int i, struct vc_ref *r)
{
	r->name = xstrdup(a->argv[i]);
	r->file = intern(c, a->file);
	r->line = a->line;
	r->col = cfg_col(c, i);
}

static void set_at(struct cfg *c, const struct cfg_args *a, int i, struct vc_at *at)
{
	*at = (struct vc_at){ .file = intern(c, a->file), .line = a->line, .col = cfg_col(c, i) };
}

void vc_report(struct cfg *c, enum cfg_sev sev, const struct vc_ref *r, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cfg_report_at(c, sev, r->file, r->line, r->col, "%s", msg);
}

static void free_ref(struct vc_ref *r)
{
	free(r->name);
}

/* The instance's rarely set fields, allocated (with their defaults) on the first one. */
static struct vc_more *more_of(void *obj)
{
	struct vc_instance *vi = obj;

	if (!vi->more) {
		vi->more = xmalloc(sizeof(*vi->more));
		*vi->more = vc_more_default;
	}
	return vi->more;
}

const struct vc_more vc_more_default = {
	.unicast_ttl = -1,
	.garp_master_delay_us = -1, .garp_master_refresh_us = -1, .garp_lower_prio_delay_us = -1,
	.garp_master_repeat = -1, .garp_master_refresh_repeat = -1, .garp_lower_prio_repeat = -1,
	.skip_check_adv_addr = -1, .lower_prio_no_advert = -1, .higher_prio_send_advert = -1,
	.notify_priority_changes = -1, .owner_ignore_adverts = -1,
};

static void add_ref(struct cfg *c, const struct cfg_args *a, struct vc_ref **v, unsigned *n)
{
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	set_ref(c, a, 0, &(*v)[(*n)++]);
}

static void free_refs(struct vc_ref *v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		free_ref(&v[i]);
	free(v);
}

/* Keeps the line's words joined by single spaces (quoted where needed). */
static void add_line(const struct cfg_args *a, struct vc_lines *l)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	for (int i = 0; i < a->argc; i++) {
		if (i)
			fputc(' ', f);
		cfg_dump_word(f, a->argv[i]);
	}
	fclose(f);
	l->v = xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
	l->v[l->n++] = buf;
}

static void free_lines(struct vc_lines *l)
{
	for (unsigned i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

/* keepalived's misnamed spelling: an error that names the keyword to use */
static int kw_thread_timer_expired(struct cfg *c, void *obj, const struct cfg_args *a)
{
	cfg_error(c, "'thread_timer_expired' is not a keyword: use 'timer_expired_backup'");
	return -EINVAL;
}

/*
 * vrrp_script's user USER [[:]GROUP]: keepalived refuses a user or group that does not
 * exist. Kept even then, so that the script is removed when it loads (keepalived's
 * "Unable to set uid/gid for script") instead of running as script_user.
 */
static int kw_user(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct vc_script *vs = obj;

	return userdb_cfg_words(c, a, 1, &vs->user, &vs->group);
}

/* What follows a tracked object's name. */
struct track_opts {
	int weight;
	bool has_weight, reverse, has_reverse;
};

/*
 * The options after a tracked object's name: [weight N [reverse|noreverse]]
 * (track_interface knows only reverse). Returns 0 or -EINVAL after reporting.
 */
static int parse_track_opts(struct cfg *c, const struct cfg_args *a, const char *kw,
			    bool noreverse, struct track_opts *o)
{
	static const char *const rev[] = { "reverse", "noreverse", NULL };
	static const char *const rev1[] = { "reverse", NULL };
	int i = 0;

	*o = (struct track_opts){ 0 };
	if (a->argc == 1)
		return 0;
	if (a->argc > 4) {
		cfg_error_arg(c, 4, "'%s' expects NAME [weight N [reverse%s]], got an extra '%s'",
			      kw, noreverse ? "|noreverse" : "", a->argv[4]);
		return -EINVAL;
	}
	if (strcmp(a->argv[1], "weight") || a->argc < 3) {
		cfg_error_arg(c, 1, "'%s' expects NAME [weight N [reverse%s]], got '%s'", kw,
			      noreverse ? "|noreverse" : "", a->argv[1]);
		return -EINVAL;
	}
	if (cfg_int(c, a, 2, -253, 253, &o->weight) < 0 ||
	    (a->argc > 3 && cfg_enum(c, a, 3, noreverse ? rev : rev1, &i) < 0))
		return -EINVAL;
	o->has_weight = true;
	o->has_reverse = a->argc > 3;
	o->reverse = o->has_reverse && i == 0;
	return 0;
}

static int line_track_interface(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct vc_more *m;
	struct track_opts o;
	struct vc_track_if *t;

	if (parse_track_opts(c, a, "track_interface", false, &o) < 0 ||
	    vc_check_ifname(c, a, 0, "track_interface") < 0)
		return -EINVAL;
	m = more_of(obj);
	for (unsigned i = 0; i < m->n_track_ifs; i++)
		if (!strcmp(m->track_ifs[i].name, a->argv[0])) {
			cfg_mistake_arg(c, 0, "track_interface %s is listed twice: this one is ignored",
					a->argv[0]);
			return 0;
		}
	m->track_ifs = xrealloc(m->track_ifs, (m->n_track_ifs + 1) * sizeof(*m->track_ifs));
	t = &m->track_ifs[m->n_track_ifs++];
	*t = (struct vc_track_if){ .name = xstrdup(a->argv[0]), .weight = o.weight,
				   .reverse = o.reverse };
	set_at(c, a, 0, &t->at);
	return 0;
}

/* The sync group's track_interface: checked, not acted on (sync groups are not yet). */
static int line_group_track_interface(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct track_opts o;

	struct vc_group *g = obj;

	if (parse_track_opts(c, a, "track_interface", false, &o) < 0 ||
	    vc_check_ifname(c, a, 0, "track_interface") < 0)
		return -EINVAL;
	add_ref(c, a, &g->track_ifs, &g->n_track_ifs);
	return 0;
}

/*
 * ADDR[/PREFIX] [options]: the address of a VIP, an excluded VIP or a static
 * address. The options are the VRRP engine's business (iproute2-like syntax).
 */
static int check_ip_prefix(struct cfg *c, const struct cfg_args *a, const char *kw)
{
	const char *s = a->argv[0], *slash = strchr(s, '/');
	char *addr = slash ? xstrndup(s, slash - s) : xstrdup(s);
	struct inet_addr ia;
	bool ok = inet_addr_parse(addr, &ia);

	free(addr);
	if (ok && slash) {
		char *end;
		unsigned long plen = strtoul(slash + 1, &end, 10);

		ok = isdigit((unsigned char)slash[1]) && !*end &&
		     plen <= (ia.family == AF_INET ? 32u : 128u);
	}
	if (!ok) {
		cfg_error_arg(c, 0, "'%s' expects an IP address[/prefix], got '%s'", kw, s);
		return -EINVAL;
	}
	return 0;
}

/*
 * -t: the interface of an address line (its dev, else default_ifname when given) must exist.
 * kw names the block in the message.
 */
static int check_addr_dev(struct cfg *c, const struct cfg_args *a, const struct vrrp_ipaddr *ia,
			  const char *kw, const char *default_ifname)
{
	char what[160];

	snprintf(what, sizeof(what), "%s %s", kw, a->argv[0]);
	if (!(ia->flags & VRRP_IPADDR_F_DEV)) {
		if (!default_ifname)
			return 0;
		snprintf(what, sizeof(what), "%s %s (no dev: the default_interface)", kw, a->argv[0]);
		return vc_check_ifname_at(c, default_ifname, 0, what) < 0 ? -EINVAL : 0;
	}
	for (int i = 1; i + 1 < a->argc; i++)
		if (!strcmp(a->argv[i], "dev"))
			return vc_check_ifname(c, a, i + 1, what) < 0 ? -EINVAL : 0;
	return 0;
}

static int line_vip(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct vc_instance *vi = obj;
	struct vrrp_ipaddr ia;

	vi->has_vip_lines = true;
	if (check_ip_prefix(c, a, "virtual_ipaddress") < 0 ||
	    vrrp_ipaddr_parse_cfg(c, a, VRRP_IPADDR_VIP, NULL, &ia) < 0)
		return -EINVAL;
	vi->vip_ia = xrealloc(vi->vip_ia, (vi->n_vips + 1) * sizeof(*vi->vip_ia));
	vi->vip_ia[vi->n_vips++] = ia;
	return check_addr_dev(c, a, &ia, "virtual_ipaddress", NULL);
}

static int line_evip(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct vc_instance *vi = obj;
	struct vrrp_ipaddr ia;

	if (check_ip_prefix(c, a, "virtual_ipaddress_excluded") < 0 ||
	    vrrp_ipaddr_parse_cfg(c, a, VRRP_IPADDR_EVIP, NULL, &ia) < 0)
		return -EINVAL;
	vi->evip_ia = xrealloc(vi->evip_ia, (vi->n_evips + 1) * sizeof(*vi->evip_ia));
	vi->evip_ia[vi->n_evips++] = ia;
	return check_addr_dev(c, a, &ia, "virtual_ipaddress_excluded", NULL);
}

static int line_static_addr(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct vrrp_conf *vc = obj;
	const struct global_defs *gd = cfg_root_obj(c, global_defs_root_kws);
	struct vrrp_ipaddr ia;

	if (check_ip_prefix(c, a, "static_ipaddress") < 0 ||
	    vrrp_ipaddr_parse_cfg(c, a, VRRP_IPADDR_STATIC, NULL, &ia) < 0 ||
	    check_addr_dev(c, a, &ia, "static_ipaddress",
			   gd ? global_defs_default_interface(gd) : NULL) < 0)
		return -EINVAL;
	add_line(a, &vc->static_addrs);
	return 0;
}

/*
 * Routes and rules: checked as keepalived reads them (it drops a bad line and runs on,
 * so a bad one is a mistake); static routes are kept as lines for the dump.
 */
static int line_static_route(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct vrrp_conf *vc = obj;
	struct vrrp_route r;

	if (vrrp_route_parse_cfg(c, a, "static_routes", &r) == 0)
		add_line(a, &vc->static_routes);
	return 0;
}

static int line_static_rule(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct vrrp_rule r;

	vrrp_rule_parse_cfg(c, a, "static_rules", &r);
	return 0;
}

static int line_vroute(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct vrrp_route r;

	vrrp_route_parse_cfg(c, a, "virtual_routes", &r);
	return 0;
}

static int line_vrule(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct vrrp_rule r;

	vrrp_rule_parse_cfg(c, a, "virtual_rules", &r);
	return 0;
}

/* unicast_peer { ADDR [min_ttl N] [max_ttl N] } */
static int line_unicast_peer(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct vc_more *m;
	struct vc_peer p = { .min_ttl = -1, .max_ttl = -1 };

	if (!inet_addr_parse(a->argv[0], &p.addr)) {
		cfg_error_arg(c, 0, "'unicast_peer' expects an IP address, got '%s'", a->argv[0]);
		return -EINVAL;
	}
	for (int i = 1; i < a->argc; i += 2) {
		unsigned v;

		if (strcmp(a->argv[i], "min_ttl") && strcmp(a->argv[i], "max_ttl")) {
			cfg_error_arg(c, i, "'unicast_peer' expects ADDR [min_ttl N] [max_ttl N], got '%s'",
				      a->argv[i]);
			return -EINVAL;
		}
		if (i + 1 >= a->argc) {
			cfg_error_arg(c, i, "'%s' needs a value", a->argv[i]);
			return -EINVAL;
		}
		if (cfg_uint(c, a, i + 1, 0, 255, &v) < 0)
			return -EINVAL;
		*(a->argv[i][1] == 'i' ? &p.min_ttl : &p.max_ttl) = v;
	}
	if (p.min_ttl >= 0 && p.max_ttl >= 0 && p.min_ttl > p.max_ttl)
		cfg_mistake_arg(c, 0, "unicast_peer %s: min_ttl %d is above max_ttl %d: every "
				"advert from it is dropped", a->argv[0], p.min_ttl, p.max_ttl);
	m = more_of(obj);
	for (unsigned i = 0; i < m->n_peers; i++)
		if (inet_addr_eq(&m->peers[i].addr, &p.addr)) {
			cfg_warn_arg(c, 0, "unicast_peer %s is listed twice", a->argv[0]);
			return 0;
		}
	m->peers = xrealloc(m->peers, (m->n_peers + 1) * sizeof(*m->peers));
	m->peers[m->n_peers++] = p;
	return 0;
}

/* track_script { NAME [weight N [reverse|noreverse]] } */
static int line_inst_track_script(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct vc_more *m;
	struct vc_track_script *t;
	struct track_opts o;

	if (parse_track_opts(c, a, "track_script", true, &o) < 0)
		return -EINVAL;
	m = more_of(obj);
	m->track_scripts = xrealloc(m->track_scripts,
				    (m->n_track_scripts + 1) * sizeof(*m->track_scripts));
	t = &m->track_scripts[m->n_track_scripts++];
	*t = (struct vc_track_script){ .weight = o.weight, .has_weight = o.has_weight,
				       .reverse = o.reverse, .has_reverse = o.has_reverse,
				       .script = -1 };
	set_ref(c, a, 0, &t->ref);
	return 0;
}

static int line_group_track_script(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct vc_group *g = obj;
	struct track_opts o;

	if (parse_track_opts(c, a, "track_script", true, &o) < 0)
		return -EINVAL;
	add_ref(c, a, &g->track_scripts, &g->n_track_scripts);
	add_line(a, &g->track_script_lines);
	return 0;
}

static int kw_interface(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct vc_instance *vi = obj;
	char what[160];
	int r;

	snprintf(what, sizeof(what), "vrrp_instance '%s'", vi->id.name);
	r = vc_check_ifname(c, a, 1, what);
	if (r > 0)
		cfg_error_arg(c, 1, "vrrp_instance '%s': cannot use a loopback interface (%s) for VRRP",
			      vi->id.name, a->argv[1]);
	vi->interface = intern(c, a->argv[1]);
	return r ? -EINVAL : 0;
}

static int kw_state(struct cfg *c, void *obj, const struct cfg_args *a)
{
	static const char *const states[] = { "BACKUP", "MASTER", NULL };
	struct vc_instance *vi = obj;
	int i;

	vi->has_state = true;
	if (cfg_enum(c, a, 1, states, &i) < 0)
		return -EINVAL;
	vi->state = i;
	return 0;
}

/* debug 0..4: checked, not acted on */
static int kw_debug(struct cfg *c, void *obj, const struct cfg_args *a)
{
	unsigned v;

	return cfg_uint(c, a, 1, 0, 4, &v);
}

/* virtual_router_id and priority: an invalid value is reported once, not also as "missing" */
static int kw_vrid(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct vc_instance *vi = obj;
	unsigned v;

	vi->has_vrid = true;
	if (cfg_uint(c, a, 1, 1, 255, &v) < 0)
		return -EINVAL;
	vi->vrid = v;
	return 0;
}

static int kw_priority(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct vc_instance *vi = obj;
	unsigned v;

	vi->has_priority = true;
	if (cfg_uint(c, a, 1, 1, 255, &v) < 0)
		return -EINVAL;
	vi->priority = v;
	return 0;
}


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
		return set_cmd(c, a, &type(obj)->field);			\
	}

/*
 * SCRIPT [USER [[:]GROUP]]. keepalived 2.2.7 does not run a notify script whose user or
 * group does not exist, and its -t passes: a warning here, and the names are kept so that
 * the child refuses the script (vrrp_cmd_prepare()) instead of running it as another user.
 */
static int set_cmd(struct cfg *c, const struct cfg_args *a, struct vc_cmd *cmd)
{
	uid_t uid;
	gid_t gid;

	free(cmd->user);
	free(cmd->group);
	cmd->user = cmd->group = NULL;
	if (a->argc > 2) {
		cmd->user = xstrdup(a->argv[2]);
		if (a->argc > 3)
			cmd->group = xstrdup(userdb_group_name(a->argv[3]));
		switch (userdb_lookup(cmd->user, cmd->group, &uid, &gid)) {
		case USERDB_NO_USER:
			cfg_warn_arg(c, 2, "'%s': user '%s' does not exist: the script is not run",
				     a->argv[0], a->argv[2]);
			break;
		case USERDB_NO_GROUP:
			cfg_warn_arg(c, 3, "'%s': group '%s' does not exist: the script is not run",
				     a->argv[0], cmd->group);
			break;
		case USERDB_OK:
			break;
		}
	}
	cfg_str(c, a, 1, &cmd->cmd);
	set_at(c, a, 1, &cmd->at);
	return 0;
}

static void free_cmd(struct vc_cmd *cmd)
{
	free(cmd->cmd);
	free(cmd->user);
	free(cmd->group);
}

#define VI(o) ((struct vc_instance *)(o))
#define VM(o) more_of(o)
/* keepalived: 0.01 to 255 seconds (VRRPv3 counts centiseconds) */
SET_SECS(kw_advert_int, VI, advert_int_us, 10000, 255000000)
SET_UINT(kw_version, VI, version, 2, 3)
SET_FLAG(kw_native_ipv6, VI, native_ipv6, true)
SET_FLAG(kw_no_vips, VI, no_vips, true)
SET_FLAG(kw_nopreempt, VI, nopreempt, true)
SET_FLAG(kw_preempt, VI, nopreempt, false)
SET_SECS(kw_preempt_delay, VI, preempt_delay_us, 0, 1000000000ULL)
SET_ADDR(kw_unicast_src_ip, VM, unicast_src)
SET_ADDR(kw_mcast_src_ip, VM, mcast_src)
SET_ADDR(kw_mcast_dst_ip, VM, mcast_dst)
SET_UINT(kw_unicast_ttl, VM, unicast_ttl, 1, 255)
SET_FLAG(kw_dont_track_primary, VI, dont_track_primary, true)
SET_FLAG(kw_unicast_fault_no_peer, VI, unicast_fault_no_peer, true)
SET_FLAG(kw_use_vmac, VI, use_vmac, true)
SET_FLAG(kw_vmac_xmit_base, VI, vmac_xmit_base, true)
SET_FLAG(kw_accept, VI, accept, true)
SET_FLAG(kw_no_accept, VI, accept, false)
SET_BOOL(kw_skip_check_adv_addr, VM, skip_check_adv_addr)
SET_BOOL(kw_lower_prio_no_advert, VM, lower_prio_no_advert)
SET_BOOL(kw_higher_prio_send_advert, VM, higher_prio_send_advert)
SET_BOOL(kw_inst_notify_prio, VM, notify_priority_changes)
SET_UINT(kw_down_timer_adverts, VM, down_timer_adverts, 1, 100)
SET_FLAG(kw_check_unicast_src, VM, check_unicast_src, true)
SET_BOOL(kw_owner_ignore_adverts, VM, owner_ignore_adverts)
SET_SECS(kw_garp_master_delay, VM, garp_master_delay_us, 0, 1000000000ULL)
SET_SECS(kw_garp_master_refresh, VM, garp_master_refresh_us, 0, 1000000000ULL)
SET_SECS(kw_garp_lower_prio_delay, VM, garp_lower_prio_delay_us, 0, 1000000000ULL)
SET_UINT(kw_garp_master_repeat, VM, garp_master_repeat, 1, 10000)
SET_UINT(kw_garp_master_refresh_repeat, VM, garp_master_refresh_repeat, 1, 10000)
SET_UINT(kw_garp_lower_prio_repeat, VM, garp_lower_prio_repeat, 1, 10000)
SET_CMD(kw_notify_master, VM, notify_master)
SET_CMD(kw_notify_backup, VM, notify_backup)
SET_CMD(kw_notify_fault, VM, notify_fault)
SET_CMD(kw_notify_stop, VM, notify_stop)
SET_CMD(kw_notify, VM, notify)
SET_CMD(kw_notify_rx_lower, VM, notify_master_rx_lower_pri)
#undef VI
#undef VM
#define VG(o) ((struct vc_group *)(o))
SET_CMD(kw_group_notify_master, VG, notify_master)
SET_CMD(kw_group_notify_backup, VG, notify_backup)
SET_CMD(kw_group_notify_fault, VG, notify_fault)
SET_CMD(kw_group_notify_stop, VG, notify_stop)
SET_CMD(kw_group_notify, VG, notify)
SET_FLAG(kw_group_tracking_weight, VG, tracking_weight, true)
#undef VG
#define VS(o) ((struct vc_script *)(o))
SET_SECS(kw_script_timeout, VS, timeout_us, 1000, 4294000000ULL)
SET_UINT(kw_rise, VS, rise, 1, 1000000)
SET_UINT(kw_fall, VS, fall, 1, 1000000)
SET_FLAG(kw_init_fail, VS, init_fail, true)
#undef VS

static int kw_auth_type(struct cfg *c, void *obj, const struct cfg_args *a)
{
	static const char *const types[] = { "PASS", "AH", NULL };
	int i;

	if (cfg_enum(c, a, 1, types, &i) < 0)
		return -EINVAL;
	((struct vc_instance *)obj)->auth_type = i == 0 ? VC_AUTH_PASS : VC_AUTH_AH;
	return 0;
}

/* keepalived uses the first 8 bytes (the size of the v2 authentication data) */
static int kw_auth_pass(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct vc_more *m = more_of(obj);

	if (strlen(a->argv[1]) > 8)
		cfg_mistake_arg(c, 1, "'auth_pass' is longer than 8 characters: only '%.8s' is used",
				a->argv[1]);
	snprintf(m->auth_pass, sizeof(m->auth_pass), "%s", a->argv[1]);
	return 0;
}

static const struct cfg_kw authentication_kws[] = {
	CFG_KW("auth_type", kw_auth_type, CFG_ARG1),
	CFG_KW("auth_pass", kw_auth_pass, CFG_ARG1),
	{ 0 }
};

static const struct cfg_kw auth_hmac_kws[] = {
	CFG_KW_LATER("key", NULL, .args = 2),
	CFG_KW_LATER("active_key", NULL, CFG_ARG1),
	CFG_KW_LATER("anti_replay", NULL, CFG_ARG1),
	CFG_KW_LATER("time_window", NULL, CFG_ARG1),
	CFG_KW_LATER("mode", NULL, CFG_ARG1),
	{ 0 }
};

static const struct cfg_kw vrrp_instance_kws[] = {
	CFG_KW("state", kw_state, CFG_ARG1),
	CFG_KW("interface", kw_interface, CFG_ARG1),
	CFG_KW("virtual_router_id", kw_vrid, CFG_ARG1),
	CFG_KW("priority", kw_priority, CFG_ARG1),
	CFG_KW("advert_int", kw_advert_int, CFG_ARG1),
	CFG_KW("virtual_ipaddress", NULL, .line = line_vip),
	CFG_KW("virtual_ipaddress_excluded", NULL, .line = line_evip),
	CFG_KW("no_virtual_ipaddress", kw_no_vips, CFG_FLAGARGS),
	CFG_KW("authentication", NULL, .block = authentication_kws),
	CFG_KW_LATER("auth_hmac", NULL, .block = auth_hmac_kws),
	CFG_KW("nopreempt", kw_nopreempt, CFG_FLAGARGS),
	CFG_KW("preempt", kw_preempt, CFG_FLAGARGS),
	CFG_KW("preempt_delay", kw_preempt_delay, CFG_ARG1),
	CFG_KW("unicast_src_ip", kw_unicast_src_ip, CFG_ARG1),
	CFG_KW("unicast_peer", NULL, .line = line_unicast_peer),
	CFG_KW_LATER("unicast_fault_no_peer", kw_unicast_fault_no_peer, CFG_FLAGARGS),
	CFG_KW("unicast_ttl", kw_unicast_ttl, CFG_ARG1),
	CFG_KW("check_unicast_src", kw_check_unicast_src, CFG_FLAGARGS),
	CFG_KW_LATER("old_unicast_checksum", NULL, CFG_OPT1),
	CFG_KW("mcast_src_ip", kw_mcast_src_ip, CFG_ARG1),
	CFG_KW("mcast_dst_ip", kw_mcast_dst_ip, CFG_ARG1),
	CFG_KW_LATER("track_src_ip", cfg_kw_flag, CFG_FLAGARGS),
	CFG_KW("version", kw_version, CFG_ARG1),
	CFG_KW("native_ipv6", kw_native_ipv6, CFG_FLAGARGS),
	CFG_KW("dont_track_primary", kw_dont_track_primary, CFG_FLAGARGS),
	CFG_KW("track_interface", NULL, .line = line_track_interface),
	CFG_KW("track_script", NULL, .line = line_inst_track_script),
	CFG_KW_LATER("track_file", NULL, .line = cfg_line_any),
	CFG_KW_LATER("track_process", NULL, .line = cfg_line_any),
	CFG_KW_LATER("track_bfd", NULL, .line = cfg_line_any),
	CFG_KW_LATER("use_vmac", kw_use_vmac, CFG_FLAGARGS),
	CFG_KW_LATER("use_vmac_addr", cfg_kw_flag, CFG_FLAGARGS),
	CFG_KW_LATER("vmac_xmit_base", kw_vmac_xmit_base, CFG_FLAGARGS),
	CFG_KW_LATER("use_ipvlan", NULL, CFG_FLAGARGS),
	CFG_KW_LATER("vrf", NULL, CFG_ARG1),
	CFG_KW_LATER("promote_secondaries", cfg_kw_flag, CFG_FLAGARGS),
	CFG_KW_LATER("virtual_routes", NULL, .line = line_vroute),
	CFG_KW_LATER("virtual_rules", NULL, .line = line_vrule),
	CFG_KW("accept", kw_accept, CFG_FLAGARGS),
	CFG_KW_LATER("no_accept", kw_no_accept, CFG_FLAGARGS),
	CFG_KW("skip_check_adv_addr", kw_skip_check_adv_addr, CFG_OPT1),
	CFG_KW_LATER("strict_mode", NULL, CFG_OPT1),
	CFG_KW_LATER("v3_checksum_as_v2", cfg_kw_check_bool, CFG_OPT1),
	CFG_KW_LATER("debug", kw_debug, CFG_ARG1),
	CFG_KW("notify_master", kw_notify_master, CFG_ARGS(1, 3)),
	CFG_KW("notify_backup", kw_notify_backup, CFG_ARGS(1, 3)),
	CFG_KW("notify_fault", kw_notify_fault, CFG_ARGS(1, 3)),
	CFG_KW("notify_stop", kw_notify_stop, CFG_ARGS(1, 3)),
	CFG_KW_LATER("notify_deleted", NULL, .max_args = 3),
	CFG_KW("notify", kw_notify, CFG_ARGS(1, 3)),
	CFG_KW("notify_master_rx_lower_pri", kw_notify_rx_lower, CFG_ARGS(1, 3)),
	CFG_KW_LATER("notify_priority_changes", kw_inst_notify_prio, CFG_OPT1),
	CFG_KW_LATER("smtp_alert", NULL, CFG_OPT1),
	CFG_KW_LATER("lvs_sync_daemon_interface", NULL, CFG_ARG1,
		     CFG_ALIAS("lvs_sync_daemon (in global_defs)")),
	CFG_KW("garp_master_delay", kw_garp_master_delay, CFG_ARG1),
	CFG_KW("garp_master_repeat", kw_garp_master_repeat, CFG_ARG1),
	CFG_KW("garp_master_refresh", kw_garp_master_refresh, CFG_ARG1),
	CFG_KW("garp_master_refresh_repeat", kw_garp_master_refresh_repeat, CFG_ARG1),
	CFG_KW("garp_lower_prio_delay", kw_garp_lower_prio_delay, CFG_ARG1),
	CFG_KW("garp_lower_prio_repeat", kw_garp_lower_prio_repeat, CFG_ARG1),
	CFG_KW_LATER("garp_extra_if", NULL, CFG_ARGS(1, 2)),
	CFG_KW_LATER("vmac_garp_intvl", NULL, CFG_ARGS(1, 2), CFG_ALIAS("garp_extra_if")),
	CFG_KW("down_timer_adverts", kw_down_timer_adverts, CFG_ARG1),
	CFG_KW_LATER("timer_expired_backup", NULL, CFG_OPT1),
	CFG_KW("thread_timer_expired", kw_thread_timer_expired, CFG_OPT1),
	CFG_KW("lower_prio_no_advert", kw_lower_prio_no_advert, CFG_OPT1),
	CFG_KW("higher_prio_send_advert", kw_higher_prio_send_advert, CFG_OPT1),
	CFG_KW("owner_ignore_adverts", kw_owner_ignore_adverts, CFG_OPT1),
	CFG_KW_LATER("kernel_rx_buf_size", NULL, CFG_ARG1),
	CFG_KW_LATER("linkbeat_use_polling", NULL, CFG_FLAGARGS, CFG_ALIAS("linkbeat_interfaces")),
	{ 0 }
};

static int kw_script(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct vc_script *vs = obj;

	set_at(c, a, 1, &vs->script_at);
	return cfg_str(c, a, 1, &vs->script);
}

/* keepalived 2.2.7 takes whole seconds up to 4294; later versions fractions too */
static int kw_interval(struct cfg *c, void *obj, const struct cfg_args *a)
{
	return cfg_timer_us(c, a, 1, 1000, 4294000000ULL, &((struct vc_script *)obj)->interval_us);
}

/* weight -253..253 [reverse] */
static int kw_weight(struct cfg *c, void *obj, const struct cfg_args *a)
{
	static const char *const opts[] = { "reverse", NULL };
	struct vc_script *vs = obj;
	int i;

	if (cfg_int(c, a, 1, -253, 253, &vs->weight) < 0 ||
	    (a->argc > 2 && cfg_enum(c, a, 2, opts, &i) < 0))
		return -EINVAL;
	vs->weight_reverse = a->argc > 2;
	return 0;
}

static const struct cfg_kw vrrp_script_kws[] = {
	CFG_KW("script", kw_script, CFG_ARG1),
	CFG_KW("interval", kw_interval, CFG_ARG1),
	CFG_KW("timeout", kw_script_timeout, CFG_ARG1),
	CFG_KW("weight", kw_weight, CFG_ARGS(1, 2)),
	CFG_KW("rise", kw_rise, CFG_ARG1),
	CFG_KW("fall", kw_fall, CFG_ARG1),
	CFG_KW("user", kw_user, CFG_ARGS(1, 2)),
	CFG_KW("init_fail", kw_init_fail, CFG_FLAGARGS),
	{ 0 }
};

/* group { VRRP_INSTANCE ... }: one name per line (several per line are taken too) */
static void *open_group_members(struct cfg *c, void *parent, const struct cfg_args *a)
{
	struct vc_group *g = parent;

	if (g->has_group) {
		cfg_error(c, "vrrp_sync_group '%s' already has a group list", g->id.name);
		return NULL;
	}
	g->has_group = true;
	return g;
}

static int line_group_member(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct vc_group *g = obj;

	for (int i = 0; i < a->argc; i++) {
		g->members = xrealloc(g->members, (g->n_members + 1) * sizeof(*g->members));
		set_ref(c, a, i, &g->members[g->n_members++]);
	}
	return 0;
}

static const struct cfg_kw vrrp_sync_group_kws[] = {
	CFG_KW_LATER("group", NULL, .line = line_group_member, .open = open_group_members),
	CFG_KW_LATER("track_interface", NULL, .line = line_group_track_interface),
	CFG_KW_LATER("track_script", NULL, .line = line_group_track_script),
	CFG_KW_LATER("track_file", NULL, .line = cfg_line_any),
	CFG_KW_LATER("track_process", NULL, .line = cfg_line_any),
	CFG_KW_LATER("track_bfd", NULL, .line = cfg_line_any),
	CFG_KW_LATER("notify_master", kw_group_notify_master, CFG_ARGS(1, 3)),
	CFG_KW_LATER("notify_backup", kw_group_notify_backup, CFG_ARGS(1, 3)),
	CFG_KW_LATER("notify_fault", kw_group_notify_fault, CFG_ARGS(1, 3)),
	CFG_KW_LATER("notify_stop", kw_group_notify_stop, CFG_ARGS(1, 3)),
	CFG_KW_LATER("notify", kw_group_notify, CFG_ARGS(1, 3)),
	CFG_KW_LATER("smtp_alert", NULL, CFG_OPT1),
	CFG_KW_LATER("global_tracking", NULL, CFG_FLAGARGS,
		     CFG_ALIAS("track_interface/track_script/track_file on the sync group")),
	CFG_KW_LATER("sync_group_tracking_weight", kw_group_tracking_weight, CFG_FLAGARGS),
	CFG_KW_LATER("notify_priority_changes", cfg_kw_check_bool, CFG_OPT1),
	{ 0 }
};

static const struct cfg_kw track_file_kws[] = {
	CFG_KW_LATER("file", NULL, CFG_ARG1),
	CFG_KW_LATER("weight", NULL, CFG_ARGS(1, 2)),
	CFG_KW_LATER("init_file", NULL, .max_args = 2),
	{ 0 }
};

static const struct cfg_kw track_process_kws[] = {
	CFG_KW_LATER("process", NULL, CFG_ARGS(1, CFG_ANY)),
	CFG_KW_LATER("param_match", NULL, CFG_ARG1),
	CFG_KW_LATER("weight", NULL, CFG_ARGS(1, 2)),
	CFG_KW_LATER("quorum", NULL, CFG_ARG1),
	CFG_KW_LATER("quorum_max", NULL, CFG_ARG1),
	CFG_KW_LATER("delay", NULL, CFG_ARG1),
	CFG_KW_LATER("terminate_delay", NULL, CFG_ARG1),
	CFG_KW_LATER("fork_delay", NULL, CFG_ARG1),
	CFG_KW_LATER("full_command", cfg_kw_flag, CFG_FLAGARGS),
	{ 0 }
};

/*
 * The interfaces of blocks not acted on yet are checked all the same (under -t, where
 * keepalived 2.2.7 refuses the names this host does not have).
 */
static int line_ifnames(struct cfg *c, void *obj, const struct cfg_args *a)
{
	int r = 0;

	for (int i = 0; i < a->argc; i++)
		if (vc_check_ifname(c, a, i, "interfaces") < 0)
			r = -EINVAL;
	return r;
}

static int kw_garp_group_if(struct cfg *c, void *obj, const struct cfg_args *a)
{
	return vc_check_ifname(c, a, 1, "garp_group") < 0 ? -EINVAL : 0;
}

/* linkbeat_interfaces { IFNAME [MII|ETHTOOL|IOCTL] } */
static int line_linkbeat(struct cfg *c, void *obj, const struct cfg_args *a)
{
	if (vc_check_ifname(c, a, 0, "linkbeat_interfaces") < 0)
		return -EINVAL;
	if (a->argc > 1 && (a->argc > 2 || (strcmp(a->argv[1], "MII") &&
			    strcmp(a->argv[1], "ETHTOOL") && strcmp(a->argv[1], "IOCTL"))))
		cfg_mistake_arg(c, 1, "linkbeat_interfaces %s: expects MII, ETHTOOL or IOCTL, got "
				"'%s'", a->argv[0], a->argv[1]);
	return 0;
}

/* interface_up_down_delays { IFNAME DOWN [UP] }, each delay 0 to 255 s */
static int line_if_delays(struct cfg *c, void *obj, const struct cfg_args *a)
{
	uint64_t us;

	if (vc_check_ifname(c, a, 0, "interface_up_down_delays") < 0)
		return -EINVAL;
	for (int i = 1; i < a->argc && i < 3; i++)
		if (cfg_timer_us(c, a, i, 0, 255000000, &us) < 0)
			return -EINVAL;
	return 0;
}

static const struct cfg_kw track_group_kws[] = {
	CFG_KW_LATER("group", NULL, .line = cfg_line_any),
	{ 0 }
};

static const struct cfg_kw garp_group_kws[] = {
	CFG_KW_LATER("garp_interval", NULL, CFG_ARG1),
	CFG_KW_LATER("gna_interval", NULL, CFG_ARG1),
	CFG_KW_LATER("interface", kw_garp_group_if, CFG_ARG1),
	CFG_KW_LATER("interfaces", NULL, .line = line_ifnames),
	{ 0 }
};

/* Names of instances, scripts and groups: one hash map, a tag per kind. */
static const char tag_inst = 'i', tag_script = 's', tag_group = 'g';

static const struct vc_ref *name_get(const struct vrrp_conf *vc, const char *tag, const char *name)
{
	const struct cfg_map_ent *e = cfg_map_get(vc->names, tag, name);

	return e ? e->val : NULL;
}

/* Remembers the first definition of a name (the key is the object's own copy). */
static void name_put(struct vrrp_conf *vc, const char *tag, struct vc_ref *r)
{
	bool added;
	struct cfg_map_ent *e = cfg_map_put(vc->names, tag, r->name, &added);

	if (added)
		e->val = r;
}

/* Is the name of this new object taken? Reported (error or warning); the block is still checked. */
static bool check_dup(struct cfg *c, const struct cfg_args *a, const struct vrrp_conf *vc,
		      const char *tag, bool is_error)
{
	const struct vc_ref *r = name_get(vc, tag, a->argv[1]);

	if (!r)
		return false;
	if (is_error)
		cfg_error_arg(c, 1, "%s '%s' is already defined at %s:%d", a->argv[0], a->argv[1],
			      r->file, r->line);
	else
		cfg_warn_arg(c, 1, "%s '%s' is already defined at %s:%d: this one is ignored",
			     a->argv[0], a->argv[1], r->file, r->line);
	return true;
}

static void *open_instance(struct cfg *c, void *parent, const struct cfg_args *a)
{
	struct vrrp_conf *vc = parent;
	size_t len = strlen(a->argv[1]) + 1;
	struct vc_instance *vi = xcalloc(1, sizeof(*vi) + len);

	vi->is_dup = check_dup(c, a, vc, &tag_inst, true);
	memcpy(vi->name, a->argv[1], len);
	vi->id = (struct vc_ref){ .name = vi->name, .file = intern(c, a->file), .line = a->line,
				  .col = cfg_col(c, 1) };
	name_put(vc, &tag_inst, &vi->id);
	vi->priority = VC_PRIO_DEFAULT;
	vi->advert_int_us = 1000000;
	vi->sync_group = -1;
	vi->index = vc->n_insts;
	vc->insts = xrealloc(vc->insts, (vc->n_insts + 1) * sizeof(*vc->insts));
	vc->insts[vc->n_insts++] = vi;
	return vi;
}

static void *open_script(struct cfg *c, void *parent, const struct cfg_args *a)
{
	struct vrrp_conf *vc = parent;
	struct vc_script *vs = xcalloc(1, sizeof(*vs));

	/* keepalived silently keeps the first one */
	vs->is_dup = check_dup(c, a, vc, &tag_script, false);
	set_ref(c, a, 1, &vs->id);
	name_put(vc, &tag_script, &vs->id);
	vs->interval_us = 1000000;
	vs->rise = vs->fall = 1;
	vs->index = vc->n_scripts;
	vc->scripts = xrealloc(vc->scripts, (vc->n_scripts + 1) * sizeof(*vc->scripts));
	vc->scripts[vc->n_scripts++] = vs;
	return vs;
}

static int close_script(struct cfg *c, void *obj)
{
	struct vc_script *vs = obj;

	if (!vs->script) {
		vc_report(c, CFG_SEV_ERROR, &vs->id, "vrrp_script '%s' has no script",
			  vs->id.name);
		return -EINVAL;
	}
	return 0;
}

static void *open_group(struct cfg *c, void *parent, const struct cfg_args *a)
{
	struct vrrp_conf *vc = parent;
	struct vc_group *g = xcalloc(1, sizeof(*g));

	g->is_dup = check_dup(c, a, vc, &tag_group, true);
	set_ref(c, a, 1, &g->id);
	name_put(vc, &tag_group, &g->id);
	vc->groups = xrealloc(vc->groups, (vc->n_groups + 1) * sizeof(*vc->groups));
	vc->groups[vc->n_groups++] = g;
	return g;
}

const struct cfg_kw vrrp_root_kws[] = {
	CFG_KW("vrrp_instance", NULL, CFG_ARG1, .block = vrrp_instance_kws, .open = open_instance),
	CFG_KW("vrrp_script", NULL, CFG_ARG1, .block = vrrp_script_kws, .open = open_script,
	       .close = close_script),
	CFG_KW_LATER("vrrp_sync_group", NULL, CFG_ARG1, .block = vrrp_sync_group_kws,
		     .open = open_group),
	CFG_KW_LATER("static_ipaddress", NULL, .line = line_static_addr),
	CFG_KW_LATER("static_routes", NULL, .line = line_static_route),
	CFG_KW_LATER("static_rules", NULL, .line = line_static_rule),
	CFG_KW_LATER("track_group", NULL, CFG_ARG1, .block = track_group_kws),
	CFG_KW_LATER("garp_group", NULL, .block = garp_group_kws),
	CFG_KW_LATER("linkbeat_interfaces", NULL, .line = line_linkbeat),
	CFG_KW_LATER("interface_up_down_delays", NULL, .line = line_if_delays),
	CFG_KW_LATER("track_file", NULL, CFG_ARG1, .block = track_file_kws),
	CFG_KW_LATER("vrrp_track_file", NULL, CFG_ARG1, .block = track_file_kws,
		     .flags = CFG_KW_DEPRECATED | CFG_KW_DEPRECATED_OK, .alias = "track_file"),
	CFG_KW_LATER("vrrp_track_process", NULL, CFG_ARG1, .block = track_process_kws),
	{ 0 }
};

void *vrrp_conf_new(void)
{
	struct vrrp_conf *vc = xcalloc(1, sizeof(*vc));

	vc->names = xcalloc(1, sizeof(*vc->names));
	return vc;
}

void vrrp_conf_free(void *conf)
{
	struct vrrp_conf *vc = conf;

	if (!vc)
		return;
	for (unsigned i = 0; i < vc->n_insts; i++) {
		struct vc_instance *vi = vc->insts[i];

		struct vc_more *m = vi->more;

		free(vi->vip_ia);
		free(vi->evip_ia);
		if (m) {
			free(m->peers);
			for (unsigned k = 0; k < m->n_track_ifs; k++)
				free(m->track_ifs[k].name);
			free(m->track_ifs);
			for (unsigned k = 0; k < m->n_track_scripts; k++)
				free_ref(&m->track_scripts[k].ref);
			free(m->track_scripts);
			free_cmd(&m->notify_master);
			free_cmd(&m->notify_backup);
			free_cmd(&m->notify_fault);
			free_cmd(&m->notify_stop);
			free_cmd(&m->notify);
			free_cmd(&m->notify_master_rx_lower_pri);
			free(m);
		}
		free(vi);
	}
	free(vc->insts);
	for (unsigned i = 0; i < vc->n_scripts; i++) {
		free_ref(&vc->scripts[i]->id);
		free(vc->scripts[i]->script);
		free(vc->scripts[i]->user);
		free(vc->scripts[i]->group);
		free(vc->scripts[i]);
	}
	free(vc->scripts);
	for (unsigned i = 0; i < vc->n_groups; i++) {
		struct vc_group *g = vc->groups[i];

		free_ref(&g->id);
		free_refs(g->members, g->n_members);
		free_refs(g->track_scripts, g->n_track_scripts);
		free_lines(&g->track_script_lines);
		free_refs(g->track_ifs, g->n_track_ifs);
		free_cmd(&g->notify_master);
		free_cmd(&g->notify_backup);
		free_cmd(&g->notify_fault);
		free_cmd(&g->notify_stop);
		free_cmd(&g->notify);
		free(g);
	}
	free(vc->groups);
	free_lines(&vc->static_addrs);
	free_lines(&vc->static_routes);
	if (vc->names)
		cfg_map_free(vc->names);
	free(vc->names);
	for (unsigned i = 0; i < vc->n_strs; i++)
		free(vc->strs[i]);
	free(vc->strs);
	free(vc);
}

static int check_track_scripts(struct cfg *c, const struct vrrp_conf *vc,
			       const struct vc_ref *refs, unsigned n)
{
	int r = 0;

	for (unsigned i = 0; i < n; i++)
		if (!name_get(vc, &tag_script, refs[i].name)) {
			vc_report(c, CFG_SEV_ERROR, &refs[i],
				  "track_script '%s' is not a defined vrrp_script", refs[i].name);
			r = -EINVAL;
		}
	return r;
}

/* The index of the vrrp_script called name (its first definition), or -1. */
static int find_script(const struct vrrp_conf *vc, const char *name)
{
	const struct vc_ref *r = name_get(vc, &tag_script, name);

	return r ? (int)(container_of(r, struct vc_script, id)->index) : -1;
}

/* The instance's address family: its first VIP's, else its peers', else native_ipv6. */
static void set_family(struct cfg *c, struct vc_instance *vi)
{
	const struct vc_more *m = vc_more(vi);

	vi->family = vi->n_vips ? vi->vip_ia[0].addr.family :
		     m->n_peers ? m->peers[0].addr.family :
		     vi->native_ipv6 ? AF_INET6 : AF_INET;
	for (unsigned k = 0; k < vi->n_vips; k++)
		if (vi->vip_ia[k].addr.family != vi->family) {
			char buf[VRRP_IPADDR_LINE_MAX];

			/* keepalived ignores it */
			vc_report(c, CFG_SEV_MISTAKE, &vi->id,
				  "vrrp_instance '%s': virtual_ipaddress %s is not of the instance's "
				  "address family (%s): put it in virtual_ipaddress_excluded",
				  vi->id.name, vrrp_ipaddr_line(&vi->vip_ia[k], buf, sizeof(buf)),
				  vi->family == AF_INET ? "IPv4" : "IPv6");
			break;
		}
	for (unsigned k = 0; k < m->n_peers; k++)
		if (m->peers[k].addr.family != vi->family) {
			vc_report(c, CFG_SEV_ERROR, &vi->id,
				  "vrrp_instance '%s': unicast_peer of the wrong address family",
				  vi->id.name);
			break;
		}
}

/*
 * Two multicast instances with one VRID on one interface and family cannot both
 * run: keepalived refuses the configuration, naming the first one.
 */
static int check_vrids(struct cfg *c, const struct vrrp_conf *vc)
{
	struct cfg_map seen = { 0 };
	char **keys = xcalloc(vc->n_insts + 1, sizeof(*keys));
	int r = 0;

	for (unsigned i = 0; i < vc->n_insts; i++) {
		const struct vc_instance *vi = vc->insts[i];
		struct cfg_map_ent *e;
		bool added;

		if (vi->is_dup || !vi->vrid || !vi->interface || vc_more(vi)->n_peers)
			continue;
		keys[i] = xasprintf("%s/%d/%u", vi->interface, vi->family, vi->vrid);
		e = cfg_map_put(&seen, NULL, keys[i], &added);
		if (added) {
			e->val = (void *)vi;
			continue;
		}
		vc_report(c, CFG_SEV_ERROR, &vi->id, "%s and %s both use VRID %u with %s on interface %s",
			  ((const struct vc_instance *)e->val)->id.name, vi->id.name, vi->vrid,
			  vi->family == AF_INET6 ? "IPv6" : "IPv4", vi->interface);
		r = -EINVAL;
	}
	cfg_map_free(&seen);
	for (unsigned i = 0; i < vc->n_insts; i++)
		free(keys[i]);
	free(keys);
	return r;
}

int vrrp_conf_finish(struct cfg *c, void *conf)
{
	struct vrrp_conf *vc = conf;
	/* the sync group each instance is in, to refuse a second one */
	const struct vc_group **in_group = xcalloc(vc->n_insts + 1, sizeof(*in_group));
	int r = 0;

	for (unsigned i = 0; i < vc->n_insts; i++) {
		struct vc_instance *vi = vc->insts[i];

		if (vi->is_dup)
			continue;
		set_family(c, vi);
		/* a virtual_router_id given but refused is reported already */
		if (!vi->vrid && !vi->has_vrid) {
			vc_report(c, CFG_SEV_ERROR, &vi->id,
				  "vrrp_instance '%s' has no virtual_router_id", vi->id.name);
			r = -EINVAL;
		}
		/* keepalived 2.2.7 always wants one; later versions not with unicast peers */
		if (!vi->interface && !vc_more(vi)->n_peers) {
			vc_report(c, CFG_SEV_ERROR, &vi->id, "vrrp_instance '%s' has no interface",
				  vi->id.name);
			r = -EINVAL;
		}
		for (unsigned k = 0; vi->more && k < vi->more->n_track_scripts; k++) {
			struct vc_track_script *t = &vi->more->track_scripts[k];

			t->script = find_script(vc, t->ref.name);
			if (t->script < 0) {
				vc_report(c, CFG_SEV_ERROR, &t->ref,
					  "track_script '%s' is not a defined vrrp_script", t->ref.name);
				r = -EINVAL;
			}
		}
		vrrp_conf_check_instance(c, vc, vi);
	}
	for (unsigned i = 0; i < vc->n_groups; i++) {
		const struct vc_group *g = vc->groups[i];

		if (g->is_dup)
			continue;
		if (!g->n_members) {
			vc_report(c, CFG_SEV_ERROR, &g->id,
				  "vrrp_sync_group '%s' has no member instances", g->id.name);
			r = -EINVAL;
		} else if (g->n_members == 1) {
			vc_report(c, CFG_SEV_MISTAKE, &g->id,
				  "vrrp_sync_group '%s' has only one member instance", g->id.name);
		}
		for (unsigned k = 0; k < g->n_members; k++) {
			const struct vc_ref *m = &g->members[k];
			unsigned j;

			const struct vc_instance *mi = vrrp_conf_find(vc, m->name);

			j = mi ? mi->index : vc->n_insts;
			if (j == vc->n_insts) {
				vc_report(c, CFG_SEV_ERROR, m,
					  "vrrp_sync_group '%s': '%s' is not a defined vrrp_instance",
					  g->id.name, m->name);
				r = -EINVAL;
			} else if (in_group[j]) {
				vc_report(c, CFG_SEV_ERROR, m,
					  "vrrp_instance '%s' is already in vrrp_sync_group '%s'",
					  m->name, in_group[j]->id.name);
				r = -EINVAL;
			} else {
				in_group[j] = g;
				vc->insts[j]->sync_group = i;
			}
		}
		if (check_track_scripts(c, vc, g->track_scripts, g->n_track_scripts) < 0)
			r = -EINVAL;
		vrrp_conf_check_group(c, vc, g);
	}
	free(in_group);
	if (check_vrids(c, vc) < 0)
		r = -EINVAL;
	/* names are looked up during the parse; vrrp_conf_find() searches the list after it */
	cfg_map_free(vc->names);
	free(vc->names);
	vc->names = NULL;
	return r;
}

bool vrrp_conf_has_work(const void *conf)
{
	const struct vrrp_conf *vc = conf;

	return vc->n_insts || vc->static_addrs.n || vc->static_routes.n;
}

const struct vc_instance *vrrp_conf_find(const struct vrrp_conf *vc, const char *name)
{
	const struct vc_ref *r;

	if (!vc->names) {
		for (unsigned i = 0; i < vc->n_insts; i++)
			if (!vc->insts[i]->is_dup && !strcmp(vc->insts[i]->id.name, name))
				return vc->insts[i];
		return NULL;
	}
	r = name_get(vc, &tag_inst, name);
	return r ? container_of(r, struct vc_instance, id) : NULL;
}

const struct vc_cmd *vc_notify_cmd(const struct vc_instance *vi, enum vc_notify n)
{
	const struct vc_more *m = vc_more(vi);

	switch (n) {
	case VC_NOTIFY_MASTER: return &m->notify_master;
	case VC_NOTIFY_BACKUP: return &m->notify_backup;
	case VC_NOTIFY_FAULT: return &m->notify_fault;
	case VC_NOTIFY_STOP: return &m->notify_stop;
	case VC_NOTIFY_ANY: return &m->notify;
	default: return &m->notify_master_rx_lower_pri;
	}
}

bool vrrp_conf_script_used(const struct vrrp_conf *vc, unsigned idx)
{
	for (unsigned i = 0; i < vc->n_insts; i++) {
		const struct vc_more *m = vc_more(vc->insts[i]);

		for (unsigned k = 0; k < m->n_track_scripts && !vc->insts[i]->is_dup; k++)
			if (m->track_scripts[k].script == (int)idx)
				return true;
	}
	return false;
}

unsigned vrrp_conf_n_instances(const void *conf)
{
	const struct vrrp_conf *vc = conf;

	return vc->n_insts;
}
