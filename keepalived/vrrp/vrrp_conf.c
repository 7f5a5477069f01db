// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/vrrp/vrrp_conf.c: VRRP keywords: instances, scripts, sync groups, static addresses. */
#include "vrrp_conf.h"

#include <errno.h>
#include <ctype.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "utils.h"

/* Where a name was written, for errors found after the parse. */
struct vc_ref {
	char *name;
	char *file;
	int line;
};

/* A free-form line kept as its words, normalised (a VIP, a route, a track_script entry). */
struct vc_lines {
	char **v;
	unsigned n;
};

enum vc_state { VC_STATE_BACKUP, VC_STATE_MASTER };

struct vc_instance {
	struct vc_ref id;		/* name and where vrrp_instance was written */
	bool is_dup;			/* a second definition: reported, left out of checks */
	char *interface;
	enum vc_state state;
	unsigned vrid;			/* 0: not set */
	unsigned priority;
	uint64_t advert_int_us;
	struct vc_lines vips;
	struct vc_lines evips;		/* virtual_ipaddress_excluded */
	unsigned n_unicast_peers;
	struct vc_ref *track_scripts;
	unsigned n_track_scripts;
	struct vc_lines track_script_lines;
};

struct vc_script {
	struct vc_ref id;
	bool is_dup;			/* keepalived keeps the first definition */
	char *script;
	uint64_t interval_us;
	int weight;
	bool weight_reverse;
};

struct vc_group {
	struct vc_ref id;
	bool is_dup;
	bool has_group;			/* the group { } block was seen */
	struct vc_ref *members;
	unsigned n_members;
	struct vc_ref *track_scripts;
	unsigned n_track_scripts;
	struct vc_lines track_script_lines;
};

struct vrrp_conf {
	struct vc_instance **insts;
	unsigned n_insts;
	struct vc_script **scripts;
	unsigned n_scripts;
	struct vc_group **groups;
	unsigned n_groups;
	struct vc_lines static_addrs;
	struct vc_lines static_routes;
};

static void set_ref(struct cfg *c, const struct cfg_args *a, int i, struct vc_ref *r)
{
	r->name = xstrdup(a->argv[i]);
	r->file = xstrdup(a->file);
	r->line = a->line;
}

static void free_ref(struct vc_ref *r)
{
	free(r->name);
	free(r->file);
}

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

static void dump_lines(FILE *f, const char *ind, const char *kw, const struct vc_lines *l)
{
	if (!l->n)
		return;
	fprintf(f, "%s%s {\n", ind, kw);
	for (unsigned i = 0; i < l->n; i++)
		fprintf(f, "%s\t%s\n", ind, l->v[i]);
	fprintf(f, "%s}\n", ind);
}

static void dump_us(FILE *f, uint64_t us)
{
	unsigned frac = us % 1000000;
	int digits = 6;

	fprintf(f, "%llu", (unsigned long long)(us / 1000000));
	if (!frac)
		return;
	while (frac % 10 == 0) {
		frac /= 10;
		digits--;
	}
	fprintf(f, ".%0*u", digits, frac);
}

static int kw_check_version(struct cfg *c, void *obj, const struct cfg_args *a)
{
	unsigned v;

	return cfg_uint(c, a, 1, 2, 3, &v);
}

static int kw_check_auth_type(struct cfg *c, void *obj, const struct cfg_args *a)
{
	static const char *const types[] = { "PASS", "AH", NULL };
	int i;

	return cfg_enum(c, a, 1, types, &i);
}

/* keepalived's misnamed spelling: an error that names the keyword to use */
static int kw_thread_timer_expired(struct cfg *c, void *obj, const struct cfg_args *a)
{
	cfg_error(c, "'thread_timer_expired' is not a keyword: use 'timer_expired_backup'");
	return -EINVAL;
}

/* vrrp_script's user USER [GROUP]: keepalived refuses a user or group that does not exist. */
static int kw_user(struct cfg *c, void *obj, const struct cfg_args *a)
{
	if (!getpwnam(a->argv[1])) {
		cfg_error_arg(c, 1, "'%s': user '%s' does not exist", a->argv[0], a->argv[1]);
		return -EINVAL;
	}
	if (a->argc > 2 && !getgrnam(a->argv[2] + (a->argv[2][0] == ':'))) {
		cfg_error_arg(c, 2, "'%s': group '%s' does not exist", a->argv[0], a->argv[2]);
		return -EINVAL;
	}
	return 0;
}

/*
 * The options after a tracked object's name: [weight N [reverse|noreverse]]
 * (track_interface knows only reverse). Returns 0 or -EINVAL after reporting.
 */
static int check_track_opts(struct cfg *c, const struct cfg_args *a, const char *kw,
			    bool noreverse)
{
	static const char *const rev[] = { "reverse", "noreverse", NULL };
	static const char *const rev1[] = { "reverse", NULL };
	int w, i;

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
	if (cfg_int(c, a, 2, -253, 253, &w) < 0 ||
	    (a->argc > 3 && cfg_enum(c, a, 3, noreverse ? rev : rev1, &i) < 0))
		return -EINVAL;
	return 0;
}

static int line_track_interface(struct cfg *c, void *obj, const struct cfg_args *a)
{
	return check_track_opts(c, a, "track_interface", false);
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

static int line_vip(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct vc_instance *vi = obj;

	if (check_ip_prefix(c, a, "virtual_ipaddress") < 0)
		return -EINVAL;
	add_line(a, &vi->vips);
	return 0;
}

static int line_evip(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct vc_instance *vi = obj;

	if (check_ip_prefix(c, a, "virtual_ipaddress_excluded") < 0)
		return -EINVAL;
	add_line(a, &vi->evips);
	return 0;
}

static int line_static_addr(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct vrrp_conf *vc = obj;

	if (check_ip_prefix(c, a, "static_ipaddress") < 0)
		return -EINVAL;
	add_line(a, &vc->static_addrs);
	return 0;
}

static int line_static_route(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct vrrp_conf *vc = obj;

	add_line(a, &vc->static_routes);
	return 0;
}

/* unicast_peer { ADDR [min_ttl N] [max_ttl N] } */
static int line_unicast_peer(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct inet_addr ia;

	if (!inet_addr_parse(a->argv[0], &ia)) {
		cfg_error_arg(c, 0, "'unicast_peer' expects an IP address, got '%s'", a->argv[0]);
		return -EINVAL;
	}
	((struct vc_instance *)obj)->n_unicast_peers++;
	return 0;
}

/* track_script { NAME [weight N [reverse|noreverse]] }, in an instance or a sync group */
static int track_script_line(struct cfg *c, const struct cfg_args *a, struct vc_ref **v,
			     unsigned *n, struct vc_lines *lines)
{
	if (check_track_opts(c, a, "track_script", true) < 0)
		return -EINVAL;
	add_ref(c, a, v, n);
	add_line(a, lines);
	return 0;
}

static int line_inst_track_script(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct vc_instance *vi = obj;

	return track_script_line(c, a, &vi->track_scripts, &vi->n_track_scripts,
				 &vi->track_script_lines);
}

static int line_group_track_script(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct vc_group *g = obj;

	return track_script_line(c, a, &g->track_scripts, &g->n_track_scripts,
				 &g->track_script_lines);
}

static int kw_interface(struct cfg *c, void *obj, const struct cfg_args *a)
{
	return cfg_str(c, a, 1, &((struct vc_instance *)obj)->interface);
}

static int kw_state(struct cfg *c, void *obj, const struct cfg_args *a)
{
	static const char *const states[] = { "BACKUP", "MASTER", NULL };
	struct vc_instance *vi = obj;
	int i;

	if (cfg_enum(c, a, 1, states, &i) < 0)
		return -EINVAL;
	vi->state = i;
	return 0;
}

static int kw_vrid(struct cfg *c, void *obj, const struct cfg_args *a)
{
	return cfg_uint(c, a, 1, 1, 255, &((struct vc_instance *)obj)->vrid);
}

static int kw_priority(struct cfg *c, void *obj, const struct cfg_args *a)
{
	return cfg_uint(c, a, 1, 1, 255, &((struct vc_instance *)obj)->priority);
}

/* keepalived: 0.01 to 255 seconds (VRRPv3 counts centiseconds) */
static int kw_advert_int(struct cfg *c, void *obj, const struct cfg_args *a)
{
	return cfg_timer_us(c, a, 1, 10000, 255000000, &((struct vc_instance *)obj)->advert_int_us);
}

static const struct cfg_kw authentication_kws[] = {
	{ "auth_type", kw_check_auth_type, .args = 1 },
	{ "auth_pass", .args = 1 },
	{ 0 }
};

static const struct cfg_kw auth_hmac_kws[] = {
	{ "key", .args = 2 },
	{ "active_key", .args = 1 },
	{ "anti_replay", .args = 1 },
	{ "time_window", .args = 1 },
	{ "mode", .args = 1 },
	{ 0 }
};

#define FLAG(n)			{ n, cfg_kw_flag, .max_args = CFG_ANY }
#define BOOL(n)			{ n, cfg_kw_check_bool, .max_args = 1 }
#define ADDR(n)			{ n, cfg_kw_check_addr, .args = 1 }
#define ONE(n)			{ n, .args = 1 }
/* SCRIPT [USER [GROUP]]: keepalived does not check the user of notify scripts at load */
#define NOTIFY(n)		{ n, .args = 1, .max_args = 3 }
#define LINES(n, fn)		{ n, .line = fn }
/* Valid keepalived keywords the VRRP engine will not do yet: accepted with a warning. */
#define TODO(n, ...)		{ n, __VA_ARGS__, .flags = CFG_KW_UNIMPLEMENTED }
#define TODO_LINES(n)		{ n, .line = cfg_line_any, .flags = CFG_KW_UNIMPLEMENTED }

static const struct cfg_kw vrrp_instance_kws[] = {
	{ "state", kw_state, .args = 1 },
	{ "interface", kw_interface, .args = 1 },
	{ "virtual_router_id", kw_vrid, .args = 1 },
	{ "priority", kw_priority, .args = 1 },
	{ "advert_int", kw_advert_int, .args = 1 },
	LINES("virtual_ipaddress", line_vip),
	LINES("virtual_ipaddress_excluded", line_evip),
	FLAG("no_virtual_ipaddress"),
	{ "authentication", .block = authentication_kws },
	TODO("auth_hmac", .block = auth_hmac_kws),
	FLAG("nopreempt"),
	FLAG("preempt"),
	ONE("preempt_delay"),
	ADDR("unicast_src_ip"),
	LINES("unicast_peer", line_unicast_peer),
	FLAG("unicast_fault_no_peer"),
	ONE("unicast_ttl"),
	FLAG("check_unicast_src"),
	{ "old_unicast_checksum", .max_args = 1 },
	ADDR("mcast_src_ip"),
	ADDR("mcast_dst_ip"),
	FLAG("track_src_ip"),
	{ "version", kw_check_version, .args = 1 },
	FLAG("native_ipv6"),
	FLAG("dont_track_primary"),
	LINES("track_interface", line_track_interface),
	LINES("track_script", line_inst_track_script),
	TODO_LINES("track_file"),
	TODO_LINES("track_process"),
	TODO_LINES("track_bfd"),
	TODO("use_vmac", .max_args = CFG_ANY),
	FLAG("use_vmac_addr"),
	FLAG("vmac_xmit_base"),
	TODO("use_ipvlan", .max_args = CFG_ANY),
	ONE("vrf"),
	FLAG("promote_secondaries"),
	LINES("virtual_routes", cfg_line_any),
	TODO_LINES("virtual_rules"),
	FLAG("accept"),
	FLAG("no_accept"),
	BOOL("skip_check_adv_addr"),
	BOOL("strict_mode"),
	BOOL("v3_checksum_as_v2"),
	ONE("debug"),
	NOTIFY("notify_master"),
	NOTIFY("notify_backup"),
	NOTIFY("notify_fault"),
	NOTIFY("notify_stop"),
	{ "notify_deleted", .max_args = 3 },
	NOTIFY("notify"),
	NOTIFY("notify_master_rx_lower_pri"),
	BOOL("notify_priority_changes"),
	TODO("smtp_alert", .max_args = 1),
	{ "lvs_sync_daemon_interface", .args = 1, .flags = CFG_KW_DEPRECATED,
	  .alias = "lvs_sync_daemon (in global_defs)" },
	ONE("garp_master_delay"),
	ONE("garp_master_repeat"),
	ONE("garp_master_refresh"),
	ONE("garp_master_refresh_repeat"),
	ONE("garp_lower_prio_delay"),
	ONE("garp_lower_prio_repeat"),
	{ "garp_extra_if", .args = 1, .max_args = 2 },
	{ "vmac_garp_intvl", .args = 1, .max_args = 2, .flags = CFG_KW_DEPRECATED,
	  .alias = "garp_extra_if" },
	ONE("down_timer_adverts"),
	{ "timer_expired_backup", .max_args = 1 },
	{ "thread_timer_expired", kw_thread_timer_expired, .max_args = 1 },
	BOOL("lower_prio_no_advert"),
	BOOL("higher_prio_send_advert"),
	BOOL("owner_ignore_adverts"),
	ONE("kernel_rx_buf_size"),
	{ "linkbeat_use_polling", .max_args = CFG_ANY, .flags = CFG_KW_DEPRECATED,
	  .alias = "linkbeat_interfaces" },
	{ 0 }
};

static int kw_script(struct cfg *c, void *obj, const struct cfg_args *a)
{
	return cfg_str(c, a, 1, &((struct vc_script *)obj)->script);
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
	{ "script", kw_script, .args = 1 },
	{ "interval", kw_interval, .args = 1 },
	ONE("timeout"),
	{ "weight", kw_weight, .args = 1, .max_args = 2 },
	ONE("rise"),
	ONE("fall"),
	{ "user", kw_user, .args = 1, .max_args = 2 },
	FLAG("init_fail"),
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
	{ "group", .line = line_group_member, .open = open_group_members },
	LINES("track_interface", line_track_interface),
	LINES("track_script", line_group_track_script),
	TODO_LINES("track_file"),
	TODO_LINES("track_process"),
	TODO_LINES("track_bfd"),
	NOTIFY("notify_master"),
	NOTIFY("notify_backup"),
	NOTIFY("notify_fault"),
	NOTIFY("notify_stop"),
	NOTIFY("notify"),
	TODO("smtp_alert", .max_args = 1),
	{ "global_tracking", .max_args = CFG_ANY, .flags = CFG_KW_DEPRECATED,
	  .alias = "track_interface/track_script/track_file on the sync group" },
	FLAG("sync_group_tracking_weight"),
	BOOL("notify_priority_changes"),
	{ 0 }
};

static const struct cfg_kw track_file_kws[] = {
	ONE("file"),
	{ "weight", .args = 1, .max_args = 2 },
	{ "init_file", .max_args = 2 },
	{ 0 }
};

static const struct cfg_kw track_process_kws[] = {
	{ "process", .args = 1, .max_args = CFG_ANY },
	ONE("param_match"),
	{ "weight", .args = 1, .max_args = 2 },
	ONE("quorum"),
	ONE("quorum_max"),
	ONE("delay"),
	ONE("terminate_delay"),
	ONE("fork_delay"),
	FLAG("full_command"),
	{ 0 }
};

static const struct cfg_kw track_group_kws[] = {
	LINES("group", cfg_line_any),
	{ 0 }
};

static const struct cfg_kw garp_group_kws[] = {
	ONE("garp_interval"),
	ONE("gna_interval"),
	ONE("interface"),
	LINES("interfaces", cfg_line_any),
	{ 0 }
};

/* A new named object, or an error when the name is taken (the block is still checked). */
static struct vc_ref *find_ref(void **objs, unsigned n, size_t ref_off, const char *name)
{
	for (unsigned i = 0; i < n; i++) {
		struct vc_ref *r = (struct vc_ref *)((char *)objs[i] + ref_off);

		if (!strcmp(r->name, name))
			return r;
	}
	return NULL;
}

static bool check_dup(struct cfg *c, const struct cfg_args *a, void **objs, unsigned n,
		      size_t ref_off, bool is_error)
{
	const struct vc_ref *r = find_ref(objs, n, ref_off, a->argv[1]);

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
	struct vc_instance *vi = xcalloc(1, sizeof(*vi));

	vi->is_dup = check_dup(c, a, (void **)vc->insts, vc->n_insts,
			       offsetof(struct vc_instance, id), true);
	set_ref(c, a, 1, &vi->id);
	vi->priority = 100;
	vi->advert_int_us = 1000000;
	vc->insts = xrealloc(vc->insts, (vc->n_insts + 1) * sizeof(*vc->insts));
	vc->insts[vc->n_insts++] = vi;
	return vi;
}

static void *open_script(struct cfg *c, void *parent, const struct cfg_args *a)
{
	struct vrrp_conf *vc = parent;
	struct vc_script *vs = xcalloc(1, sizeof(*vs));

	/* keepalived silently keeps the first one */
	vs->is_dup = check_dup(c, a, (void **)vc->scripts, vc->n_scripts,
			       offsetof(struct vc_script, id), false);
	set_ref(c, a, 1, &vs->id);
	vs->interval_us = 1000000;
	vc->scripts = xrealloc(vc->scripts, (vc->n_scripts + 1) * sizeof(*vc->scripts));
	vc->scripts[vc->n_scripts++] = vs;
	return vs;
}

static int close_script(struct cfg *c, void *obj)
{
	struct vc_script *vs = obj;

	if (!vs->script) {
		cfg_error_at(c, vs->id.file, vs->id.line, "vrrp_script '%s' has no script",
			     vs->id.name);
		return -EINVAL;
	}
	return 0;
}

static void *open_group(struct cfg *c, void *parent, const struct cfg_args *a)
{
	struct vrrp_conf *vc = parent;
	struct vc_group *g = xcalloc(1, sizeof(*g));

	g->is_dup = check_dup(c, a, (void **)vc->groups, vc->n_groups,
			      offsetof(struct vc_group, id), true);
	set_ref(c, a, 1, &g->id);
	vc->groups = xrealloc(vc->groups, (vc->n_groups + 1) * sizeof(*vc->groups));
	vc->groups[vc->n_groups++] = g;
	return g;
}

const struct cfg_kw vrrp_root_kws[] = {
	{ "vrrp_instance", .args = 1, .block = vrrp_instance_kws, .open = open_instance },
	{ "vrrp_script", .args = 1, .block = vrrp_script_kws, .open = open_script,
	  .close = close_script },
	{ "vrrp_sync_group", .args = 1, .block = vrrp_sync_group_kws, .open = open_group },
	LINES("static_ipaddress", line_static_addr),
	LINES("static_routes", line_static_route),
	TODO_LINES("static_rules"),
	{ "track_group", .args = 1, .block = track_group_kws },
	TODO("garp_group", .block = garp_group_kws),
	TODO_LINES("linkbeat_interfaces"),
	TODO_LINES("interface_up_down_delays"),
	TODO("track_file", .args = 1, .block = track_file_kws),
	{ "vrrp_track_file", .args = 1, .block = track_file_kws,
	  .flags = CFG_KW_UNIMPLEMENTED | CFG_KW_DEPRECATED, .alias = "track_file" },
	TODO("vrrp_track_process", .args = 1, .block = track_process_kws),
	{ 0 }
};

void *vrrp_conf_new(void)
{
	return xcalloc(1, sizeof(struct vrrp_conf));
}

void vrrp_conf_free(void *conf)
{
	struct vrrp_conf *vc = conf;

	if (!vc)
		return;
	for (unsigned i = 0; i < vc->n_insts; i++) {
		struct vc_instance *vi = vc->insts[i];

		free_ref(&vi->id);
		free(vi->interface);
		free_lines(&vi->vips);
		free_lines(&vi->evips);
		free_refs(vi->track_scripts, vi->n_track_scripts);
		free_lines(&vi->track_script_lines);
		free(vi);
	}
	free(vc->insts);
	for (unsigned i = 0; i < vc->n_scripts; i++) {
		free_ref(&vc->scripts[i]->id);
		free(vc->scripts[i]->script);
		free(vc->scripts[i]);
	}
	free(vc->scripts);
	for (unsigned i = 0; i < vc->n_groups; i++) {
		struct vc_group *g = vc->groups[i];

		free_ref(&g->id);
		free_refs(g->members, g->n_members);
		free_refs(g->track_scripts, g->n_track_scripts);
		free_lines(&g->track_script_lines);
		free(g);
	}
	free(vc->groups);
	free_lines(&vc->static_addrs);
	free_lines(&vc->static_routes);
	free(vc);
}

static int check_track_scripts(struct cfg *c, const struct vrrp_conf *vc,
			       const struct vc_ref *refs, unsigned n)
{
	int r = 0;

	for (unsigned i = 0; i < n; i++)
		if (!find_ref((void **)vc->scripts, vc->n_scripts, offsetof(struct vc_script, id),
			      refs[i].name)) {
			cfg_error_at(c, refs[i].file, refs[i].line,
				     "track_script '%s' is not a defined vrrp_script", refs[i].name);
			r = -EINVAL;
		}
	return r;
}

int vrrp_conf_finish(struct cfg *c, void *conf)
{
	struct vrrp_conf *vc = conf;
	/* the sync group each instance is in, to refuse a second one */
	const struct vc_group **in_group = xcalloc(vc->n_insts + 1, sizeof(*in_group));
	int r = 0;

	for (unsigned i = 0; i < vc->n_insts; i++) {
		const struct vc_instance *vi = vc->insts[i];

		if (vi->is_dup)
			continue;
		if (!vi->vrid) {
			cfg_error_at(c, vi->id.file, vi->id.line,
				     "vrrp_instance '%s' has no virtual_router_id", vi->id.name);
			r = -EINVAL;
		}
		/* keepalived 2.2.7 always wants one; later versions not with unicast peers */
		if (!vi->interface && !vi->n_unicast_peers) {
			cfg_error_at(c, vi->id.file, vi->id.line,
				     "vrrp_instance '%s' has no interface", vi->id.name);
			r = -EINVAL;
		}
		if (!vi->vips.n)
			cfg_warn_at(c, vi->id.file, vi->id.line,
				    "vrrp_instance '%s' has no virtual_ipaddress", vi->id.name);
		if (check_track_scripts(c, vc, vi->track_scripts, vi->n_track_scripts) < 0)
			r = -EINVAL;
	}
	for (unsigned i = 0; i < vc->n_groups; i++) {
		const struct vc_group *g = vc->groups[i];

		if (g->is_dup)
			continue;
		if (!g->n_members) {
			cfg_error_at(c, g->id.file, g->id.line,
				     "vrrp_sync_group '%s' has no member instances", g->id.name);
			r = -EINVAL;
		} else if (g->n_members == 1) {
			cfg_warn_at(c, g->id.file, g->id.line,
				    "vrrp_sync_group '%s' has only one member instance", g->id.name);
		}
		for (unsigned k = 0; k < g->n_members; k++) {
			const struct vc_ref *m = &g->members[k];
			unsigned j;

			for (j = 0; j < vc->n_insts; j++)
				if (!vc->insts[j]->is_dup && !strcmp(vc->insts[j]->id.name, m->name))
					break;
			if (j == vc->n_insts) {
				cfg_error_at(c, m->file, m->line,
					     "vrrp_sync_group '%s': '%s' is not a defined vrrp_instance",
					     g->id.name, m->name);
				r = -EINVAL;
			} else if (in_group[j]) {
				cfg_error_at(c, m->file, m->line,
					     "vrrp_instance '%s' is already in vrrp_sync_group '%s'",
					     m->name, in_group[j]->id.name);
				r = -EINVAL;
			} else {
				in_group[j] = g;
			}
		}
		if (check_track_scripts(c, vc, g->track_scripts, g->n_track_scripts) < 0)
			r = -EINVAL;
	}
	free(in_group);
	return r;
}

bool vrrp_conf_has_work(const void *conf)
{
	const struct vrrp_conf *vc = conf;

	return vc->n_insts || vc->static_addrs.n || vc->static_routes.n;
}

unsigned vrrp_conf_n_instances(const void *conf)
{
	const struct vrrp_conf *vc = conf;

	return vc->n_insts;
}

void vrrp_conf_dump(const void *conf, FILE *f)
{
	const struct vrrp_conf *vc = conf;

	dump_lines(f, "", "static_ipaddress", &vc->static_addrs);
	dump_lines(f, "", "static_routes", &vc->static_routes);
	for (unsigned i = 0; i < vc->n_scripts; i++) {
		const struct vc_script *vs = vc->scripts[i];

		if (vs->is_dup)
			continue;
		fputs("vrrp_script ", f);
		cfg_dump_word(f, vs->id.name);
		fputs(" {\n", f);
		if (vs->script) {
			fputs("\tscript ", f);
			cfg_dump_word(f, vs->script);
			fputc('\n', f);
		}
		fputs("\tinterval ", f);
		dump_us(f, vs->interval_us);
		fprintf(f, "\n\tweight %d%s\n}\n", vs->weight, vs->weight_reverse ? " reverse" : "");
	}
	for (unsigned i = 0; i < vc->n_insts; i++) {
		const struct vc_instance *vi = vc->insts[i];

		if (vi->is_dup)
			continue;
		fputs("vrrp_instance ", f);
		cfg_dump_word(f, vi->id.name);
		fprintf(f, " {\n\tstate %s\n", vi->state == VC_STATE_MASTER ? "MASTER" : "BACKUP");
		if (vi->interface) {
			fputs("\tinterface ", f);
			cfg_dump_word(f, vi->interface);
			fputc('\n', f);
		}
		if (vi->vrid)
			fprintf(f, "\tvirtual_router_id %u\n", vi->vrid);
		fprintf(f, "\tpriority %u\n\tadvert_int ", vi->priority);
		dump_us(f, vi->advert_int_us);
		fputc('\n', f);
		dump_lines(f, "\t", "virtual_ipaddress", &vi->vips);
		dump_lines(f, "\t", "virtual_ipaddress_excluded", &vi->evips);
		dump_lines(f, "\t", "track_script", &vi->track_script_lines);
		fputs("}\n", f);
	}
	for (unsigned i = 0; i < vc->n_groups; i++) {
		const struct vc_group *g = vc->groups[i];

		if (g->is_dup)
			continue;
		fputs("vrrp_sync_group ", f);
		cfg_dump_word(f, g->id.name);
		fputs(" {\n", f);
		if (g->n_members) {
			fputs("\tgroup {\n", f);
			for (unsigned k = 0; k < g->n_members; k++) {
				fputs("\t\t", f);
				cfg_dump_word(f, g->members[k].name);
				fputc('\n', f);
			}
			fputs("\t}\n", f);
		}
		dump_lines(f, "\t", "track_script", &g->track_script_lines);
		fputs("}\n", f);
	}
}
