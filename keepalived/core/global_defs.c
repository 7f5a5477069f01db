// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/core/global_defs.c: the global_defs block and the daemon-wide top-level keywords. */
#include "global_defs.h"

#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "global_defs_int.h"
#include "userdb.h"

/*
 * Most keywords fill one field in a standard way: a descriptor names the field and
 * its type, kw_field() parses it and dump_field() writes it back. Keywords with
 * their own syntax have their own handler and a .dump function.
 */
enum gd_type {
	GD_STR,		/* char *: one word */
	GD_STR_OPT,	/* char *: an optional word; the bare keyword sets .dflt */
	GD_FLAG,	/* bool: keepalived takes no argument and ignores any given */
	GD_BOOL,	/* bool: an optional <BOOL>, absent means true */
	GD_TRI,		/* signed char: -1 unset, else an optional <BOOL> */
	GD_UINT,	/* unsigned in [min, max]; a default outside the range is not dumped */
	GD_INT,		/* int in [min, max] */
	GD_TIMER,	/* uint64_t µs from seconds, in [min, max] µs; likewise */
	GD_SCRIPT,	/* struct gd_script: PATH [USER [GROUP]], the user must exist */
	GD_FIFO,	/* struct gd_script: PATH [USER [GROUP]], names as given */
	GD_CPUS,	/* struct gd_sched: CPU [CPU ...] */
	GD_CUSTOM,	/* its own handler in the keyword table, written by .dump */
};

struct gd_field {
	const char *name;
	enum gd_type type;
	size_t off;
	long long min, max;
	const char *dflt;	/* GD_STR_OPT */
	gd_dump_fn *dump;	/* GD_CUSTOM */
};

#define GD_OFF(field) offsetof(struct global_defs, field)
#define F(n, t, field) { n, t, GD_OFF(field), 0, 0, NULL, NULL }
#define FR(n, t, field, lo, hi) { n, t, GD_OFF(field), lo, hi, NULL, NULL }
#define FO(n, field, dflt) { n, GD_STR_OPT, GD_OFF(field), 0, 0, dflt, NULL }
#define FC(n, fn) { n, GD_CUSTOM, 0, 0, 0, NULL, fn }

static void *field_ptr(struct global_defs *gd, const struct gd_field *fd)
{
	return (char *)gd + fd->off;
}

static const void *field_cptr(const struct global_defs *gd, const struct gd_field *fd)
{
	return (const char *)gd + fd->off;
}

/* PATH [USER [[:]GROUP]] */
static int parse_script(struct cfg *c, const struct cfg_args *a, bool check, struct gd_script *out)
{
	const char *group = a->argc > 3 ? userdb_group_name(a->argv[3]) : NULL;

	if (check && a->argc > 2 && userdb_cfg_words(c, a, 2, NULL, NULL) < 0)
		return -EINVAL;
	cfg_str(c, a, 1, &out->path);
	free(out->user);
	out->user = a->argc > 2 ? xstrdup(a->argv[2]) : NULL;
	free(out->group);
	out->group = group ? xstrdup(group) : NULL;
	free(out->file);
	out->file = a->file ? xstrdup(a->file) : NULL;
	out->line = a->line;
	out->col = cfg_col(c, 1);
	return 0;
}

static int parse_cpus(struct cfg *c, const struct cfg_args *a, struct gd_sched *s)
{
	unsigned *cpus = xcalloc(a->argc - 1, sizeof(*cpus));
	/* keepalived's -t refuses a CPU this host does not have */
	long n_online = cfg_config_test(c) ? sysconf(_SC_NPROCESSORS_ONLN) : 0;

	for (int i = 1; i < a->argc; i++) {
		if (cfg_uint(c, a, i, 0, CPU_SETSIZE - 1, &cpus[i - 1]) < 0) {
			free(cpus);
			return -EINVAL;
		}
		if (n_online > 0 && cpus[i - 1] >= n_online) {
			cfg_error_arg(c, i, "'%s': CPU %u does not exist (this host has %ld)",
				      a->argv[0], cpus[i - 1], n_online);
			free(cpus);
			return -EINVAL;
		}
	}
	free(s->cpus);
	s->cpus = cpus;
	s->n_cpus = a->argc - 1;
	return 0;
}

static const struct gd_field *find_field(const char *name);

/* The handler of every keyword with a descriptor. */
static int kw_field(struct cfg *c, void *obj, const struct cfg_args *a)
{
	const struct gd_field *fd = find_field(a->argv[0]);
	struct global_defs *gd = obj;
	void *p;
	int i;
	bool b;

	assert(fd && fd->type != GD_CUSTOM);
	p = field_ptr(gd, fd);
	switch (fd->type) {
	case GD_STR:
		/* keepalived accepts a bare smtp_helo_name and keeps the default */
		return a->argc > 1 ? cfg_str(c, a, 1, p) : 0;
	case GD_STR_OPT:
		if (a->argc > 1)
			return cfg_str(c, a, 1, p);
		free(*(char **)p);
		*(char **)p = xstrdup(fd->dflt);
		return 0;
	case GD_FLAG:
		if (a->argc > 1)
			cfg_warn_arg(c, 1, "'%s' takes no argument: '%s' ignored, %s is on",
				     a->argv[0], a->argv[1], a->argv[0]);
		*(bool *)p = true;
		return 0;
	case GD_BOOL:
		return cfg_bool(c, a, 1, p);
	case GD_TRI:
		if (cfg_bool(c, a, 1, &b) < 0)
			return -EINVAL;
		*(signed char *)p = b;
		return 0;
	case GD_UINT:
		return cfg_uint(c, a, 1, fd->min, fd->max, p);
	case GD_INT:
		if (cfg_int(c, a, 1, fd->min, fd->max, &i) < 0)
			return -EINVAL;
		*(int *)p = i;
		return 0;
	case GD_TIMER:
		return cfg_timer_us(c, a, 1, fd->min, fd->max, p);
	case GD_SCRIPT:
		/* keepalived runs the first startup/shutdown script and reports the others */
		if (((struct gd_script *)p)->path) {
			cfg_error(c, "'%s' is already specified: only one is run", a->argv[0]);
			return -EINVAL;
		}
		return parse_script(c, a, true, p);
	case GD_FIFO:
		/* keepalived keeps the first one */
		if (((struct gd_script *)p)->path) {
			cfg_error(c, "%s already specified - ignoring %s", a->argv[0], a->argv[1]);
			return -EINVAL;
		}
		return parse_script(c, a, false, p);
	case GD_CPUS:
		return parse_cpus(c, a, p);
	case GD_CUSTOM:
		break;
	}
	return 0;
}

static void dump_field(const struct global_defs *gd, const struct gd_field *fd, const char *ind,
		       FILE *f)
{
	const void *p = field_cptr(gd, fd);
	const struct gd_script *s;
	const struct gd_sched *sc;

	switch (fd->type) {
	case GD_STR:
	case GD_STR_OPT:
		if (!*(char *const *)p)
			return;
		fprintf(f, "%s%s ", ind, fd->name);
		cfg_dump_word(f, *(char *const *)p);
		break;
	case GD_FLAG:
		if (!*(const bool *)p)
			return;
		fprintf(f, "%s%s", ind, fd->name);
		break;
	case GD_BOOL:
		fprintf(f, "%s%s %s", ind, fd->name, *(const bool *)p ? "true" : "false");
		break;
	case GD_TRI:
		if (*(const signed char *)p < 0)
			return;
		fprintf(f, "%s%s %s", ind, fd->name, *(const signed char *)p ? "true" : "false");
		break;
	case GD_UINT:
		if (*(const unsigned *)p < fd->min || *(const unsigned *)p > fd->max)
			return;
		fprintf(f, "%s%s %u", ind, fd->name, *(const unsigned *)p);
		break;
	case GD_INT:
		fprintf(f, "%s%s %d", ind, fd->name, *(const int *)p);
		break;
	case GD_TIMER:
		if (*(const uint64_t *)p < (uint64_t)fd->min ||
		    *(const uint64_t *)p > (uint64_t)fd->max)
			return;
		fprintf(f, "%s%s ", ind, fd->name);
		cfg_dump_secs(f, *(const uint64_t *)p);
		break;
	case GD_SCRIPT:
	case GD_FIFO:
		s = p;
		if (!s->path)
			return;
		fprintf(f, "%s%s ", ind, fd->name);
		cfg_dump_word(f, s->path);
		if (s->user) {
			fputc(' ', f);
			cfg_dump_word(f, s->user);
		}
		if (s->group) {
			fputc(' ', f);
			cfg_dump_word(f, s->group);
		}
		break;
	case GD_CPUS:
		sc = p;
		if (!sc->n_cpus)
			return;
		fprintf(f, "%s%s", ind, fd->name);
		for (unsigned i = 0; i < sc->n_cpus; i++)
			fprintf(f, " %u", sc->cpus[i]);
		break;
	case GD_CUSTOM:
		fd->dump(gd, ind, fd->name, f);
		return;
	}
	fputc('\n', f);
}

#define US(s) ((long long)(s) * 1000000)

/* One row per keyword handled by kw_field() or written by a .dump; dump follows the kw tables. */
static const struct gd_field gd_fields[] = {
	/* top level */
	F("net_namespace", GD_STR, net_namespace),
	FC("net_namespace_ipvs", gd_dump_net_namespace_ipvs),
	F("namespace_with_ipsets", GD_FLAG, namespace_with_ipsets),
	F("instance", GD_STR, instance),
	F("use_pid_dir", GD_FLAG, use_pid_dir),
	FR("child_wait_time", GD_UINT, child_wait_time_s, 0, UINT_MAX),
	F("linkbeat_use_polling", GD_FLAG, linkbeat_use_polling),
	/* email */
	F("router_id", GD_STR, router_id),
	FC("notification_email", gd_dump_emails),
	F("notification_email_from", GD_STR, email_from),
	FC("smtp_server", gd_dump_smtp_server),
	FR("smtp_connect_timeout", GD_UINT, smtp_connect_timeout_s, 1, 4294),
	F("smtp_helo_name", GD_STR, smtp_helo_name),
	F("smtp_alert", GD_TRI, smtp_alert),
	F("smtp_alert_vrrp", GD_TRI, smtp_alert_vrrp),
	F("smtp_alert_checker", GD_TRI, smtp_alert_checker),
	F("no_email_faults", GD_FLAG, no_email_faults),
	F("no_checker_emails", GD_BOOL, no_checker_emails),
	F("checker_log_all_failures", GD_BOOL, checker_log_all_failures),
	/* scripts */
	FC("script_user", gd_dump_script_user),
	F("enable_script_security", GD_FLAG, script_security),
	F("use_symlink_paths", GD_BOOL, use_symlink_paths),
	F("set_supplementary_groups", GD_BOOL, set_supplementary_groups),
	F("startup_script", GD_SCRIPT, startup_script),
	FR("startup_script_timeout", GD_UINT, startup_script_timeout_s, 1, 1000),
	F("shutdown_script", GD_SCRIPT, shutdown_script),
	FR("shutdown_script_timeout", GD_UINT, shutdown_script_timeout_s, 1, 1000),
	/* processes */
	F("process_names", GD_FLAG, process_names),
	F("process_name", GD_STR, process_name),
	F("vrrp_process_name", GD_STR, vrrp_process_name),
	F("checker_process_name", GD_STR, checker_process_name),
	F("lvs_process_name", GD_STR, checker_process_name),
	FC("max_auto_priority", gd_dump_max_auto_priority),
	FR("min_auto_priority_delay", GD_UINT, min_auto_priority_delay_us, 1, 10000000),
	/* VRRP defaults */
	FC("dynamic_interfaces", gd_dump_dynamic_interfaces),
	F("default_interface", GD_STR, default_interface),
	F("disable_local_igmp", GD_FLAG, disable_local_igmp),
	F("v3_checksum_as_v2", GD_BOOL, v3_checksum_as_v2),
	FC("vrrp_mcast_group4", gd_dump_mcast_group4),
	FC("vrrp_mcast_group6", gd_dump_mcast_group6),
	FR("vrrp_garp_master_delay", GD_UINT, garp_master_delay_s, 0, 4294),
	FR("vrrp_garp_master_repeat", GD_UINT, garp_master_repeat, 1, INT_MAX),
	FR("vrrp_garp_master_refresh", GD_UINT, garp_master_refresh_s, 0, INT_MAX),
	FR("vrrp_garp_master_refresh_repeat", GD_UINT, garp_master_refresh_repeat, 1, INT_MAX),
	FR("vrrp_garp_lower_prio_delay", GD_UINT, garp_lower_prio_delay_s, 0, 4294),
	FR("vrrp_garp_lower_prio_repeat", GD_UINT, garp_lower_prio_repeat, 0, INT_MAX),
	FR("vrrp_garp_interval", GD_TIMER, garp_interval_us, 1, UINT_MAX),
	FR("vrrp_gna_interval", GD_TIMER, gna_interval_us, 1, UINT_MAX),
	F("vrrp_min_garp", GD_BOOL, min_garp),
	FC("vrrp_garp_extra_if", gd_dump_garp_extra_if),
	FR("vrrp_down_timer_adverts", GD_UINT, down_timer_adverts, 1, 100),
	F("vrrp_lower_prio_no_advert", GD_TRI, lower_prio_no_advert),
	F("vrrp_higher_prio_send_advert", GD_BOOL, higher_prio_send_advert),
	FR("vrrp_version", GD_UINT, vrrp_version, 2, 3),
	FO("nftables", nftables, "keepalived"),
	FR("nftables_priority", GD_INT, nftables_priority, INT_MIN, INT_MAX),
	F("nftables_ifindex", GD_FLAG, nftables_ifindex),
	F("nftables_counters", GD_FLAG, nftables_counters),
	FO("nftables_ipvs", nftables_ipvs, "keepalived_ipvs"),
	FR("nftables_ipvs_priority", GD_INT, nftables_ipvs_priority, INT_MIN, INT_MAX),
	FR("nftables_ipvs_start_fwmark", GD_UINT, nftables_ipvs_start_fwmark, 1, UINT_MAX),
	F("vrrp_check_unicast_src", GD_FLAG, vrrp_check_unicast_src),
	F("vrrp_skip_check_adv_addr", GD_BOOL, vrrp_skip_check_adv_addr),
	F("vrrp_strict", GD_FLAG, vrrp_strict),
	F("vrrp_owner_ignore_adverts", GD_BOOL, vrrp_owner_ignore_adverts),
	FR("vrrp_priority", GD_INT, vrrp_sched.priority, -20, 19),
	F("vrrp_no_swap", GD_FLAG, vrrp_sched.no_swap),
	FR("vrrp_rt_priority", GD_UINT, vrrp_sched.rt_priority, 1, 99),
	F("vrrp_cpu_affinity", GD_CPUS, vrrp_sched),
	FR("vrrp_rlimit_rttime", GD_UINT, vrrp_sched.rlimit_rttime_us, 1, UINT_MAX),
	FR("vrrp_rlimit_rtime", GD_UINT, vrrp_sched.rlimit_rttime_us, 1, UINT_MAX),
	FR("checker_priority", GD_INT, checker_sched.priority, -20, 19),
	F("checker_no_swap", GD_FLAG, checker_sched.no_swap),
	FR("checker_rt_priority", GD_UINT, checker_sched.rt_priority, 1, 99),
	F("checker_cpu_affinity", GD_CPUS, checker_sched),
	FR("checker_rlimit_rttime", GD_UINT, checker_sched.rlimit_rttime_us, 1, UINT_MAX),
	FR("checker_rlimit_rtime", GD_UINT, checker_sched.rlimit_rttime_us, 1, UINT_MAX),
	/* LVS */
	FC("lvs_timeouts", gd_dump_lvs_timeouts),
	F("lvs_flush", GD_FLAG, lvs_flush),
	FC("lvs_flush_on_stop", gd_dump_lvs_flush_on_stop),
	FC("lvs_sync_daemon", gd_dump_lvs_sync_daemon),
	/* FIFOs */
	F("notify_fifo", GD_FIFO, notify_fifo),
	F("notify_fifo_script", GD_FIFO, notify_fifo_script),
	F("vrrp_notify_fifo", GD_FIFO, vrrp_notify_fifo),
	F("vrrp_notify_fifo_script", GD_FIFO, vrrp_notify_fifo_script),
	F("vrrp_notify_priority_changes", GD_BOOL, vrrp_notify_priority_changes),
	F("fifo_write_vrrp_states_on_reload", GD_FLAG, fifo_write_vrrp_states_on_reload),
	F("lvs_notify_fifo", GD_FIFO, lvs_notify_fifo),
	F("lvs_notify_fifo_script", GD_FIFO, lvs_notify_fifo_script),
	/* SNMP, D-Bus */
	F("snmp_socket", GD_STR, snmp_socket),
	F("enable_traps", GD_FLAG, enable_traps),
	F("enable_snmp_vrrp", GD_FLAG, enable_snmp_vrrp),
	F("enable_snmp_keepalived", GD_FLAG, enable_snmp_vrrp),
	F("enable_snmp_checker", GD_FLAG, enable_snmp_checker),
	F("enable_snmp_rfc", GD_FLAG, enable_snmp_rfc),
	F("enable_snmp_rfcv2", GD_FLAG, enable_snmp_rfcv2),
	F("enable_snmp_rfcv3", GD_FLAG, enable_snmp_rfcv3),
	FR("snmp_vs_stats_update_interval", GD_TIMER, snmp_vs_stats_update_us, 1000, US(30)),
	FR("snmp_rs_stats_update_interval", GD_TIMER, snmp_rs_stats_update_us, 1000, US(30)),
	F("enable_dbus", GD_FLAG, enable_dbus),
	F("dbus_service_name", GD_STR, dbus_service_name),
	F("dbus_no_interface_name", GD_STR, dbus_no_interface_name),
	/* buffers */
	FR("vrrp_netlink_cmd_rcv_bufs", GD_UINT, vrrp_netlink_cmd_rcv_bufs, 0, UINT_MAX),
	F("vrrp_netlink_cmd_rcv_bufs_force", GD_BOOL, vrrp_netlink_cmd_rcv_bufs_force),
	FR("vrrp_netlink_monitor_rcv_bufs", GD_UINT, vrrp_netlink_monitor_rcv_bufs, 0, UINT_MAX),
	F("vrrp_netlink_monitor_rcv_bufs_force", GD_BOOL, vrrp_netlink_monitor_rcv_bufs_force),
	FR("process_monitor_rcv_bufs", GD_UINT, process_monitor_rcv_bufs, 0, UINT_MAX),
	F("process_monitor_rcv_bufs_force", GD_BOOL, process_monitor_rcv_bufs_force),
	FR("lvs_netlink_cmd_rcv_bufs", GD_UINT, lvs_netlink_cmd_rcv_bufs, 0, UINT_MAX),
	F("lvs_netlink_cmd_rcv_bufs_force", GD_BOOL, lvs_netlink_cmd_rcv_bufs_force),
	FR("lvs_netlink_monitor_rcv_bufs", GD_UINT, lvs_netlink_monitor_rcv_bufs, 0, UINT_MAX),
	F("lvs_netlink_monitor_rcv_bufs_force", GD_BOOL, lvs_netlink_monitor_rcv_bufs_force),
	F("rs_init_notifies", GD_BOOL, rs_init_notifies),
	FC("vrrp_rx_bufs_policy", gd_dump_rx_bufs_policy),
	FR("vrrp_rx_bufs_multiplier", GD_UINT, rx_bufs_multiplier, 1, UINT_MAX),
	/* startup, files, reloads */
	FR("vrrp_startup_delay", GD_TIMER, vrrp_startup_delay_us, 1000, UINT_MAX),
	FR("vrrp_delay_after_boot", GD_TIMER, vrrp_delay_after_boot_us, 1000,
	   366LL * 86400 * 1000000),	/* misc: a year of uptime, not UINT_MAX µs */
	F("log_unknown_vrids", GD_FLAG, log_unknown_vrids),
	F("vmac_prefix", GD_STR, vmac_prefix),
	F("vmac_addr_prefix", GD_STR, vmac_addr_prefix),
	FC("umask", gd_dump_umask),
	FC("random_seed", gd_dump_random_seed),
	FC("include_check", gd_dump_include_check),
	FC("reload_check_config", gd_dump_reload_check_config),
	F("reload_time_file", GD_STR, reload_time_file),
	F("reload_repeat", GD_FLAG, reload_repeat),
	FC("reload_file", gd_dump_reload_file),
	F("config_save_dir", GD_STR, config_save_dir),
	F("tmp_config_directory", GD_STR, tmp_config_directory),
	F("data_use_instance", GD_BOOL, data_use_instance),
	FR("json_version", GD_UINT, json_version, 1, 2),
	F("iproute_usr_dir", GD_STR, iproute_usr_dir),
	F("iproute_etc_dir", GD_STR, iproute_etc_dir),
	F("state_dump_file", GD_STR, state_dump_file),
	F("stats_dump_file", GD_STR, stats_dump_file),
	F("json_dump_file", GD_STR, json_dump_file),
	FC("metrics_listen", gd_dump_metrics_listen),
};

static int cmp_field_names(const void *a, const void *b)
{
	const struct gd_field *const *fa = a, *const *fb = b;

	return strcmp((*fa)->name, (*fb)->name);
}

/*
 * The field of a keyword, by halving a name-sorted index built on first use: the dump
 * looks up every keyword of global_defs, and one pass down the table for each cost
 * ~10,000 comparisons a dump.
 */
static const struct gd_field *find_field(const char *name)
{
	static const struct gd_field *by_name[ARRAY_SIZE(gd_fields)];
	const struct gd_field key = { .name = name }, *pkey = &key, *const *found;

	if (!by_name[0]) {
		for (size_t i = 0; i < ARRAY_SIZE(gd_fields); i++)
			by_name[i] = &gd_fields[i];
		qsort(by_name, ARRAY_SIZE(by_name), sizeof(by_name[0]), cmp_field_names);
	}
	found = bsearch(&pkey, by_name, ARRAY_SIZE(by_name), sizeof(by_name[0]),
			cmp_field_names);
	return found ? *found : NULL;
}

/*
 * CFG_KW: the parent, the VRRP child or the parser reads the value and acts on it;
 * CFG_KW_LATER: stored and dumped (-d), not acted on yet, and warned about.
 */
static const struct cfg_kw global_defs_kws[] = {
	CFG_KW("router_id", kw_field, CFG_ARG1),
	CFG_KW("notification_email", NULL, .line = gd_kw_email, .open = gd_open_emails,
		     .close = gd_close_emails),
	CFG_KW("notification_email_from", kw_field, CFG_ARG1),
	CFG_KW("smtp_server", gd_kw_smtp_server, CFG_ARGS(1, 2)),
	CFG_KW("smtp_connect_timeout", kw_field, CFG_ARG1),
	CFG_KW("smtp_helo_name", kw_field, CFG_OPT1),
	CFG_KW("smtp_alert", kw_field, CFG_OPT1),
	CFG_KW("smtp_alert_vrrp", kw_field, CFG_OPT1),
	CFG_KW("smtp_alert_checker", kw_field, CFG_OPT1),
	CFG_KW("no_email_faults", kw_field, CFG_FLAGARGS),
	CFG_KW("no_checker_emails", kw_field, CFG_OPT1),
	CFG_KW("checker_log_all_failures", kw_field, CFG_OPT1),
	CFG_KW("script_user", gd_kw_script_user, CFG_ARGS(1, 2)),
	CFG_KW("enable_script_security", kw_field, CFG_FLAGARGS),
	CFG_KW_LATER("use_symlink_paths", kw_field, CFG_OPT1),
	CFG_KW_LATER("set_supplementary_groups", kw_field, CFG_OPT1),
	CFG_KW("startup_script", kw_field, CFG_ARGS(1, 3)),
	CFG_KW("startup_script_timeout", kw_field, CFG_ARG1),
	CFG_KW("shutdown_script", kw_field, CFG_ARGS(1, 3)),
	CFG_KW("shutdown_script_timeout", kw_field, CFG_ARG1),
	CFG_KW_LATER("process_names", kw_field, CFG_FLAGARGS),
	CFG_KW_LATER("process_name", kw_field, CFG_ARG1),
	CFG_KW_LATER("vrrp_process_name", kw_field, CFG_ARG1),
	CFG_KW_LATER("checker_process_name", kw_field, CFG_ARG1),
	CFG_KW_LATER("lvs_process_name", kw_field, CFG_ARG1, CFG_ALIAS("checker_process_name")),
	CFG_KW_LATER("bfd_process_name", NULL, CFG_ARG1),
	CFG_KW("max_auto_priority", gd_kw_max_auto_priority, CFG_OPT1),
	CFG_KW("min_auto_priority_delay", kw_field, CFG_ARG1),
	CFG_KW("dynamic_interfaces", gd_kw_dynamic_interfaces, CFG_OPT1),
	CFG_KW("default_interface", kw_field, CFG_ARG1),
	CFG_KW("disable_local_igmp", kw_field, CFG_FLAGARGS),
	CFG_KW("v3_checksum_as_v2", kw_field, CFG_OPT1),
	CFG_KW("vrrp_mcast_group4", gd_kw_mcast_group4, CFG_ARG1),
	CFG_KW("vrrp_mcast_group6", gd_kw_mcast_group6, CFG_ARG1),
	CFG_KW("vrrp_garp_master_delay", kw_field, CFG_ARG1),
	CFG_KW("vrrp_garp_master_repeat", kw_field, CFG_ARG1),
	CFG_KW("vrrp_garp_master_refresh", kw_field, CFG_ARG1),
	CFG_KW("vrrp_garp_master_refresh_repeat", kw_field, CFG_ARG1),
	CFG_KW("vrrp_garp_lower_prio_delay", kw_field, CFG_ARG1),
	CFG_KW("vrrp_garp_lower_prio_repeat", kw_field, CFG_ARG1),
	CFG_KW("vrrp_garp_interval", kw_field, CFG_ARG1),
	CFG_KW("vrrp_gna_interval", kw_field, CFG_ARG1),
	CFG_KW("vrrp_min_garp", kw_field, CFG_OPT1),
	CFG_KW("vrrp_garp_extra_if", gd_kw_garp_extra_if, CFG_ARGS(1, 2)),
	CFG_KW("vrrp_vmac_garp_intvl", gd_kw_garp_extra_if, CFG_ARGS(1, 2),
		     CFG_ALIAS("vrrp_garp_extra_if")),
	CFG_KW("vrrp_down_timer_adverts", kw_field, CFG_ARG1),
	CFG_KW("vrrp_lower_prio_no_advert", kw_field, CFG_OPT1),
	CFG_KW("vrrp_higher_prio_send_advert", kw_field, CFG_OPT1),
	CFG_KW("vrrp_version", kw_field, CFG_ARG1),
	CFG_KW("vrrp_iptables", gd_kw_iptables, CFG_FLAGARGS),
	CFG_KW("vrrp_ipsets", gd_kw_iptables, CFG_FLAGARGS),
	CFG_KW("nftables", gd_kw_nftables, CFG_OPT1),
	CFG_KW("nftables_priority", kw_field, CFG_ARG1),
	CFG_KW("nftables_ifindex", kw_field, CFG_FLAGARGS),
	CFG_KW("nftables_counters", kw_field, CFG_FLAGARGS),
	CFG_KW_LATER("nftables_ipvs", kw_field, CFG_OPT1),
	CFG_KW_LATER("nftables_ipvs_priority", kw_field, CFG_ARG1),
	CFG_KW_LATER("nftables_ipvs_start_fwmark", kw_field, CFG_ARG1),
	CFG_KW("vrrp_check_unicast_src", kw_field, CFG_FLAGARGS),
	CFG_KW("vrrp_skip_check_adv_addr", kw_field, CFG_OPT1),
	CFG_KW("vrrp_strict", kw_field, CFG_FLAGARGS),
	CFG_KW("vrrp_owner_ignore_adverts", kw_field, CFG_OPT1),
	CFG_KW("vrrp_priority", kw_field, CFG_ARG1),
	CFG_KW("vrrp_no_swap", kw_field, CFG_FLAGARGS),
	CFG_KW("vrrp_rt_priority", kw_field, CFG_ARG1),
	CFG_KW("vrrp_cpu_affinity", kw_field, CFG_ARGS(1, CFG_ANY)),
	CFG_KW("vrrp_rlimit_rttime", kw_field, CFG_ARG1),
	CFG_KW("vrrp_rlimit_rtime", kw_field, CFG_ARG1, CFG_ALIAS("vrrp_rlimit_rttime")),
	CFG_KW("checker_priority", kw_field, CFG_ARG1),
	CFG_KW("checker_no_swap", kw_field, CFG_FLAGARGS),
	CFG_KW("checker_rt_priority", kw_field, CFG_ARG1),
	CFG_KW("checker_cpu_affinity", kw_field, CFG_ARGS(1, CFG_ANY)),
	CFG_KW("checker_rlimit_rttime", kw_field, CFG_ARG1),
	CFG_KW("checker_rlimit_rtime", kw_field, CFG_ARG1, CFG_ALIAS("checker_rlimit_rttime")),
	CFG_KW_LATER("bfd_priority", NULL, CFG_ARG1),
	CFG_KW_LATER("bfd_no_swap", NULL, CFG_FLAGARGS),
	CFG_KW_LATER("bfd_rt_priority", NULL, CFG_ARG1),
	CFG_KW_LATER("bfd_cpu_affinity", NULL, CFG_ARGS(1, CFG_ANY)),
	CFG_KW_LATER("bfd_rlimit_rttime", NULL, CFG_ARG1),
	CFG_KW_LATER("bfd_rlimit_rtime", NULL, CFG_ARG1),
	CFG_KW("lvs_timeouts", gd_kw_lvs_timeouts, CFG_ARGS(2, 6)),
	CFG_KW("lvs_flush", kw_field, CFG_FLAGARGS),
	CFG_KW("lvs_flush_on_stop", gd_kw_lvs_flush_on_stop, CFG_OPT1),
	CFG_KW("lvs_flush_onstop", gd_kw_lvs_flush_on_stop, CFG_OPT1,
		     .flags = CFG_KW_DEPRECATED | CFG_KW_DEPRECATED_OK, .alias = "lvs_flush_on_stop"),
	CFG_KW("lvs_sync_daemon", gd_kw_lvs_sync_daemon, CFG_ARGS(1, 14)),
	CFG_KW("notify_fifo", kw_field, CFG_ARGS(1, 3)),
	CFG_KW("notify_fifo_script", kw_field, CFG_ARGS(1, 3)),
	CFG_KW("vrrp_notify_fifo", kw_field, CFG_ARGS(1, 3)),
	CFG_KW("vrrp_notify_fifo_script", kw_field, CFG_ARGS(1, 3)),
	CFG_KW("vrrp_notify_priority_changes", kw_field, CFG_OPT1),
	CFG_KW("fifo_write_vrrp_states_on_reload", kw_field, CFG_FLAGARGS),
	CFG_KW("lvs_notify_fifo", kw_field, CFG_ARGS(1, 3)),
	CFG_KW("lvs_notify_fifo_script", kw_field, CFG_ARGS(1, 3)),
	CFG_KW_LATER("snmp_socket", kw_field, CFG_ARG1),
	CFG_KW_LATER("enable_traps", kw_field, CFG_FLAGARGS),
	CFG_KW_LATER("enable_snmp_vrrp", kw_field, CFG_FLAGARGS),
	CFG_KW_LATER("enable_snmp_keepalived", kw_field, CFG_FLAGARGS, CFG_ALIAS("enable_snmp_vrrp")),
	CFG_KW_LATER("enable_snmp_checker", kw_field, CFG_FLAGARGS),
	CFG_KW_LATER("enable_snmp_rfc", kw_field, CFG_FLAGARGS),
	CFG_KW_LATER("enable_snmp_rfcv2", kw_field, CFG_FLAGARGS),
	CFG_KW_LATER("enable_snmp_rfcv3", kw_field, CFG_FLAGARGS),
	CFG_KW_LATER("snmp_vs_stats_update_interval", kw_field, CFG_ARG1),
	CFG_KW_LATER("snmp_rs_stats_update_interval", kw_field, CFG_ARG1),
	CFG_KW_LATER("enable_dbus", kw_field, CFG_FLAGARGS),
	CFG_KW_LATER("dbus_service_name", kw_field, CFG_ARG1),
	CFG_KW_LATER("dbus_no_interface_name", kw_field, CFG_ARG1),
	CFG_KW("vrrp_netlink_cmd_rcv_bufs", kw_field, CFG_ARG1),
	CFG_KW("vrrp_netlink_cmd_rcv_bufs_force", kw_field, CFG_OPT1),
	CFG_KW("vrrp_netlink_monitor_rcv_bufs", kw_field, CFG_ARG1),
	CFG_KW("vrrp_netlink_monitor_rcv_bufs_force", kw_field, CFG_OPT1),
	CFG_KW("process_monitor_rcv_bufs", kw_field, CFG_ARG1),
	CFG_KW("process_monitor_rcv_bufs_force", kw_field, CFG_OPT1),
	CFG_KW_LATER("lvs_netlink_cmd_rcv_bufs", kw_field, CFG_ARG1),
	CFG_KW_LATER("lvs_netlink_cmd_rcv_bufs_force", kw_field, CFG_OPT1),
	CFG_KW_LATER("lvs_netlink_monitor_rcv_bufs", kw_field, CFG_ARG1),
	CFG_KW_LATER("lvs_netlink_monitor_rcv_bufs_force", kw_field, CFG_OPT1),
	CFG_KW("rs_init_notifies", kw_field, CFG_OPT1),
	CFG_KW("vrrp_rx_bufs_policy", gd_kw_rx_bufs_policy, CFG_ARG1),
	CFG_KW("vrrp_rx_bufs_multiplier", kw_field, CFG_ARG1),
	CFG_KW("vrrp_startup_delay", kw_field, CFG_ARG1),
	CFG_KW("vrrp_delay_after_boot", kw_field, CFG_ARG1),
	CFG_KW("log_unknown_vrids", kw_field, CFG_FLAGARGS),
	CFG_KW("vmac_prefix", kw_field, CFG_ARG1),
	CFG_KW("vmac_addr_prefix", kw_field, CFG_ARG1),
	CFG_KW("umask", gd_kw_umask, CFG_ARGS(1, CFG_ANY)),
	CFG_KW("random_seed", gd_kw_random_seed, CFG_ARG1),
	CFG_KW_LATER("reload_check_config", gd_kw_reload_check_config, CFG_OPT1),
	CFG_KW_LATER("reload_time_file", kw_field, CFG_ARG1),
	CFG_KW_LATER("reload_repeat", kw_field, CFG_FLAGARGS),
	CFG_KW_LATER("reload_file", gd_kw_reload_file, CFG_OPT1),
	CFG_KW("include_check", gd_kw_include_check, CFG_FLAGARGS),
	CFG_KW_LATER("config_save_dir", kw_field, CFG_ARG1),
	CFG_KW_LATER("tmp_config_directory", kw_field, CFG_ARG1),
	CFG_KW("data_use_instance", kw_field, CFG_OPT1),
	CFG_KW_LATER("json_version", kw_field, CFG_ARG1),
	CFG_KW_LATER("iproute_usr_dir", kw_field, CFG_ARG1),
	CFG_KW_LATER("iproute_etc_dir", kw_field, CFG_ARG1),
	CFG_KW("state_dump_file", kw_field, CFG_ARG1),
	CFG_KW("stats_dump_file", kw_field, CFG_ARG1),
	CFG_KW_LATER("json_dump_file", kw_field, CFG_ARG1),
	/* ours (issue 15): the Prometheus metrics listener of the parent */
	CFG_KW("metrics_listen", gd_kw_metrics_listen, CFG_ARGS(0, 2)),
	{ 0 }
};

/* BFD is not implemented; its keywords are still checked so that mistakes are reported. */
static const struct cfg_kw bfd_instance_kws[] = {
	CFG_KW_LATER("neighbor_ip", NULL, CFG_ARG1),
	CFG_KW_LATER("neighbour_ip", NULL, CFG_ARG1),
	CFG_KW_LATER("source_ip", NULL, CFG_ARG1),
	CFG_KW_LATER("min_rx", NULL, CFG_ARG1),
	CFG_KW_LATER("min_tx", NULL, CFG_ARG1),
	CFG_KW_LATER("idle_tx", NULL, CFG_ARG1),
	CFG_KW_LATER("multiplier", NULL, CFG_ARG1),
	CFG_KW_LATER("passive", NULL),
	CFG_KW_LATER("ttl", NULL, CFG_ARG1),
	CFG_KW_LATER("hoplimit", NULL, CFG_ARG1),
	CFG_KW_LATER("max_hops", NULL, CFG_ARG1),
	CFG_KW_LATER("multihop", NULL, CFG_OPT1),
	CFG_KW_LATER("weight", NULL, CFG_ARGS(1, 2)),
	CFG_KW_LATER("vrrp", NULL),
	CFG_KW_LATER("checker", NULL),
	{ 0 }
};

static void *open_track_file(struct cfg *c, void *parent, const struct cfg_args *a)
{
	struct global_defs *gd = parent;

	return track_files_open(c, &gd->track_files, a);
}

const struct cfg_kw global_defs_root_kws[] = {
	CFG_KW("global_defs", NULL, .block = global_defs_kws),
	CFG_KW("net_namespace", kw_field, CFG_ARG1),
	CFG_KW_LATER("net_namespace_ipvs", gd_kw_net_namespace_ipvs, CFG_OPT1),
	CFG_KW("namespace_with_ipsets", kw_field, CFG_FLAGARGS),
	CFG_KW("instance", kw_field, CFG_ARG1),
	CFG_KW("use_pid_dir", kw_field, CFG_FLAGARGS),
	CFG_KW("child_wait_time", kw_field, CFG_ARG1),
	CFG_KW("linkbeat_use_polling", gd_kw_linkbeat, CFG_FLAGARGS),
	CFG_KW_LATER("bfd_instance", NULL, CFG_ARG1, .block = bfd_instance_kws),
	/* for the checker's FILE_CHECK; VRRP's track_file (issue 14) will share them */
	CFG_KW("track_file", NULL, CFG_ARG1, .block = track_file_kws, .open = open_track_file,
	       .close = track_file_close),
	CFG_KW("vrrp_track_file", NULL, CFG_ARG1, .block = track_file_kws, .open = open_track_file,
	       .close = track_file_close, .flags = CFG_KW_DEPRECATED | CFG_KW_DEPRECATED_OK,
	       .alias = "track_file"),
	{ 0 }
};

struct global_defs *global_defs_new(void)
{
	struct global_defs *gd = xcalloc(1, sizeof(*gd));

	gd->child_wait_time_s = 5;
	gd->smtp_port = 25;
	gd->smtp_connect_timeout_s = 30;
	gd->smtp_alert = gd->smtp_alert_vrrp = gd->smtp_alert_checker = -1;
	gd->startup_script_timeout_s = 10;
	gd->shutdown_script_timeout_s = 10;
	gd->min_auto_priority_delay_us = 1000000;
	gd->default_interface = xstrdup("eth0");
	inet_addr_parse("224.0.0.18", &gd->mcast_group4);
	inet_addr_parse("ff02::12", &gd->mcast_group6);
	gd->garp_master_delay_s = 5;
	gd->garp_master_repeat = 5;
	gd->garp_master_refresh_repeat = 1;
	gd->garp_lower_prio_delay_s = UINT_MAX;
	gd->garp_lower_prio_repeat = UINT_MAX;
	gd->down_timer_adverts = 3;
	gd->lower_prio_no_advert = -1;
	gd->vrrp_version = 2;
	gd->nftables_priority = -1;
	gd->nftables_ipvs_priority = -1;
	gd->nftables_ipvs_start_fwmark = 1000;
	gd->vrrp_sched.rlimit_rttime_us = 10000;
	gd->checker_sched.rlimit_rttime_us = 10000;
	gd->lvs_syncd_id = -1;
	gd->snmp_vs_stats_update_us = US(5);
	gd->snmp_rs_stats_update_us = US(5);
	gd->dbus_service_name = xstrdup("org.keepalived.Vrrp1");
	gd->rx_bufs_multiplier = 3;
	gd->vmac_prefix = xstrdup("vrrp");
	gd->umask = GD_UMASK_DEFAULT;
	gd->json_version = 1;
	return gd;
}

static void free_script(struct gd_script *s)
{
	free(s->path);
	free(s->user);
	free(s->group);
	free(s->file);
}

void global_defs_free(struct global_defs *gd)
{
	if (!gd)
		return;
	/* every char * field is owned */
	for (size_t i = 0; i < ARRAY_SIZE(gd_fields); i++) {
		const struct gd_field *fd = &gd_fields[i];
		void *p = field_ptr(gd, fd);

		if (fd->type == GD_STR || fd->type == GD_STR_OPT) {
			free(*(char **)p);
			*(char **)p = NULL;	/* lvs_process_name shares a field */
		} else if (fd->type == GD_SCRIPT || fd->type == GD_FIFO) {
			free_script(p);
			memset(p, 0, sizeof(struct gd_script));
		}
	}
	for (unsigned i = 0; i < gd->n_emails; i++)
		free(gd->emails[i]);
	free(gd->emails);
	free(gd->net_namespace_ipvs);
	free(gd->smtp_server);
	free(gd->script_user);
	free(gd->script_group);
	free(gd->vrrp_sched.cpus);
	free(gd->checker_sched.cpus);
	free(gd->lvs_syncd_if);
	free(gd->lvs_syncd_inst);
	free(gd->reload_check_config_log);
	free(gd->reload_file_path);
	track_files_free(&gd->track_files);
	free(gd);
}

int global_defs_finish(struct cfg *c, void *obj)
{
	struct global_defs *gd = obj;
	char host[HOST_NAME_MAX + 1] = "localhost";

	if (gethostname(host, sizeof(host)) < 0 || !*host)
		strcpy(host, "localhost");
	host[HOST_NAME_MAX] = '\0';
	if (!gd->router_id)
		gd->router_id = xstrdup(host);
	if (!gd->email_from)
		gd->email_from = xasprintf("keepalived@%s", host);
	if (!gd->smtp_helo_name)
		gd->smtp_helo_name = xstrdup(host);
	if (gd->garp_lower_prio_delay_s == UINT_MAX)
		gd->garp_lower_prio_delay_s = gd->garp_master_delay_s;
	if (gd->garp_lower_prio_repeat == UINT_MAX)
		gd->garp_lower_prio_repeat = gd->garp_master_repeat;
	if (gd->lower_prio_no_advert < 0)
		gd->lower_prio_no_advert = gd->vrrp_strict;
	if (!gd->vmac_addr_prefix)
		gd->vmac_addr_prefix = xstrdup(gd->vmac_prefix);
	return 0;
}

static void dump_table(const struct global_defs *gd, const struct cfg_kw *kws, const char *ind,
		       FILE *f)
{
	for (const struct cfg_kw *kw = kws; kw->name; kw++) {
		const struct gd_field *fd;

		/* aliases are dumped under their own name; bfd_* have no field */
		if (kw->flags & CFG_KW_DEPRECATED)
			continue;
		fd = find_field(kw->name);
		if (fd)
			dump_field(gd, fd, ind, f);
	}
}

void global_defs_dump(const struct global_defs *gd, FILE *f)
{
	dump_table(gd, global_defs_root_kws, "", f);
	fputs("global_defs {\n", f);
	dump_table(gd, global_defs_kws, "\t", f);
	fputs("}\n", f);
	track_files_dump(&gd->track_files, f);
}

const char *global_defs_router_id(const struct global_defs *gd)
{
	return gd->router_id;
}

const char *global_defs_instance(const struct global_defs *gd)
{
	return gd->instance;
}

const char *global_defs_net_namespace(const struct global_defs *gd)
{
	return gd->net_namespace;
}

bool global_defs_use_pid_dir(const struct global_defs *gd)
{
	return gd->use_pid_dir;
}

unsigned global_defs_child_wait_time_s(const struct global_defs *gd)
{
	return gd->child_wait_time_s;
}

const char *global_defs_default_interface(const struct global_defs *gd)
{
	return gd->default_interface;
}

const char *global_defs_script_user(const struct global_defs *gd)
{
	return gd->script_user;
}

const char *global_defs_script_group(const struct global_defs *gd)
{
	return gd->script_group;
}

bool global_defs_script_security(const struct global_defs *gd)
{
	return gd->script_security;
}

int global_defs_smtp_alert_checker(const struct global_defs *gd)
{
	return gd->smtp_alert_checker >= 0 ? gd->smtp_alert_checker : gd->smtp_alert;
}

bool global_defs_dynamic_interfaces(const struct global_defs *gd)
{
	return gd->dynamic_interfaces;
}

bool global_defs_vrrp_strict(const struct global_defs *gd)
{
	return gd->vrrp_strict;
}

unsigned global_defs_vrrp_version(const struct global_defs *gd)
{
	return gd->vrrp_version;
}

void global_defs_parent_script(const struct global_defs *gd, bool startup,
			       struct gd_parent_script *out)
{
	const struct gd_script *s = startup ? &gd->startup_script : &gd->shutdown_script;

	*out = (struct gd_parent_script){
		.cmd = s->path, .user = s->user, .group = s->group,
		.timeout_s = startup ? gd->startup_script_timeout_s : gd->shutdown_script_timeout_s,
	};
}

unsigned global_defs_umask(const struct global_defs *gd)
{
	return gd->umask;
}

bool global_defs_has_umask(const struct global_defs *gd)
{
	return gd->has_umask;
}

const struct gd_sched *global_defs_sched(const struct global_defs *gd, bool checker)
{
	return checker ? &gd->checker_sched : &gd->vrrp_sched;
}

void global_defs_auto_priority(const struct global_defs *gd, int *max, unsigned *min_delay_us)
{
	*max = gd->max_auto_priority;
	*min_delay_us = gd->min_auto_priority_delay_us;
}

void global_defs_dump_files(const struct global_defs *gd, struct gd_dump_files *out)
{
	*out = (struct gd_dump_files){
		.state_file = gd->state_dump_file,
		.stats_file = gd->stats_dump_file,
		.json_file = gd->json_dump_file,
		.use_instance = gd->data_use_instance,
	};
}

void global_defs_vrrp(const struct global_defs *gd, struct gd_vrrp *out)
{
	*out = (struct gd_vrrp){
		.version = gd->vrrp_version,
		.mcast_group4 = gd->mcast_group4,
		.mcast_group6 = gd->mcast_group6,
		.garp_master_delay_us = gd->garp_master_delay_s * 1000000ULL,
		.garp_master_repeat = gd->garp_master_repeat,
		.garp_master_refresh_us = gd->garp_master_refresh_s * 1000000ULL,
		.garp_master_refresh_repeat = gd->garp_master_refresh_repeat,
		.garp_lower_prio_delay_us = gd->garp_lower_prio_delay_s * 1000000ULL,
		.garp_lower_prio_repeat = gd->garp_lower_prio_repeat,
		.garp_interval_us = gd->garp_interval_us,
		.gna_interval_us = gd->gna_interval_us,
		.min_garp = gd->min_garp,
		.down_timer_adverts = gd->down_timer_adverts,
		.lower_prio_no_advert = gd->lower_prio_no_advert > 0,
		.higher_prio_send_advert = gd->higher_prio_send_advert,
		.skip_check_adv_addr = gd->vrrp_skip_check_adv_addr,
		.check_unicast_src = gd->vrrp_check_unicast_src,
		.owner_ignore_adverts = gd->vrrp_owner_ignore_adverts,
		.notify_priority_changes = gd->vrrp_notify_priority_changes,
		.log_unknown_vrids = gd->log_unknown_vrids,
		.startup_delay_us = gd->vrrp_startup_delay_us,
		.vmac_prefix = gd->vmac_prefix,
		.vmac_addr_prefix = gd->vmac_addr_prefix,
		.strict = gd->vrrp_strict,
		.nftables = gd->nftables,
		.nftables_priority = gd->nftables_priority,
		.nftables_counters = gd->nftables_counters,
		.nftables_ifindex = gd->nftables_ifindex,
		.delay_after_boot_us = gd->vrrp_delay_after_boot_us,
		.disable_local_igmp = gd->disable_local_igmp,
		.dynamic_interfaces = gd->dynamic_interfaces,
		.garp_extra_if_s = gd->garp_extra_if_s,
		.garp_extra_if_all = gd->garp_extra_if_all,
		.rx_bufs_mtu = gd->rx_bufs_policy == GD_RX_MTU,
		.rx_bufs_advert = gd->rx_bufs_policy == GD_RX_ADVERT,
		.rx_bufs_size_set = gd->rx_bufs_policy == GD_RX_SIZE,
		.rx_bufs_size = gd->rx_bufs_size,
		.rx_bufs_multiplier = gd->rx_bufs_multiplier,
		.v3_checksum_as_v2 = gd->v3_checksum_as_v2,
	};
}

void global_defs_smtp(const struct global_defs *gd, struct gd_smtp *out)
{
	*out = (struct gd_smtp){
		.server = gd->smtp_server,
		.addr = gd->smtp_addr,
		.port = gd->smtp_port,
		.connect_timeout_s = gd->smtp_connect_timeout_s,
		.helo_name = gd->smtp_helo_name,
		.email_from = gd->email_from,
		.emails = gd->emails,
		.n_emails = gd->n_emails,
	};
}

const struct track_files *global_defs_track_files(const struct global_defs *gd)
{
	return &gd->track_files;
}

void global_defs_process_monitor(const struct global_defs *gd, unsigned *rcv_bufs, bool *force)
{
	*rcv_bufs = gd->process_monitor_rcv_bufs;
	*force = gd->process_monitor_rcv_bufs_force;
}

void global_defs_vrrp_netlink(const struct global_defs *gd, unsigned *cmd_bufs, bool *cmd_force,
			       unsigned *monitor_bufs, bool *monitor_force)
{
	*cmd_bufs = gd->vrrp_netlink_cmd_rcv_bufs;
	*cmd_force = gd->vrrp_netlink_cmd_rcv_bufs_force;
	*monitor_bufs = gd->vrrp_netlink_monitor_rcv_bufs;
	*monitor_force = gd->vrrp_netlink_monitor_rcv_bufs_force;
}

void global_defs_check(const struct global_defs *gd, struct gd_check *out)
{
	*out = (struct gd_check){
		.timeout_tcp_s = gd->lvs_timeout_tcp_s,
		.timeout_tcpfin_s = gd->lvs_timeout_tcpfin_s,
		.timeout_udp_s = gd->lvs_timeout_udp_s,
		.flush = gd->lvs_flush,
		.flush_on_stop = gd->lvs_flush_on_stop == GD_FLUSH_ON ? 1 :
				 gd->lvs_flush_on_stop == GD_FLUSH_VS ? 2 : 0,
		.syncd_if = gd->lvs_syncd_if,
		.syncd_inst = gd->lvs_syncd_inst,
		.syncd_id = gd->lvs_syncd_id,
		.syncd_maxlen = gd->lvs_syncd_maxlen,
		.syncd_port = gd->lvs_syncd_port,
		.syncd_ttl = gd->lvs_syncd_ttl,
		.syncd_group = gd->lvs_syncd_group,
		.log_all_failures = gd->checker_log_all_failures,
		.rs_init_notifies = gd->rs_init_notifies,
		.no_checker_emails = gd->no_checker_emails,
	};
}

void global_defs_fifo(const struct global_defs *gd, enum gd_fifo_kind k, struct gd_fifo *out)
{
	const struct gd_script *f = k == GD_FIFO_VRRP ? &gd->vrrp_notify_fifo :
				    k == GD_FIFO_LVS ? &gd->lvs_notify_fifo : &gd->notify_fifo;
	const struct gd_script *sc = k == GD_FIFO_VRRP ? &gd->vrrp_notify_fifo_script :
				     k == GD_FIFO_LVS ? &gd->lvs_notify_fifo_script :
				     &gd->notify_fifo_script;

	*out = (struct gd_fifo){ .path = f->path, .user = f->user, .group = f->group };
	if (k != GD_FIFO_GLOBAL && f->path && gd->notify_fifo.path &&
	    !strcmp(f->path, gd->notify_fifo.path))
		*out = (struct gd_fifo){ .same_as_global = f->path };
	if (out->path)
		*out = (struct gd_fifo){ .path = out->path, .user = f->user, .group = f->group,
					 .script = sc->path, .script_user = sc->user,
					 .script_group = sc->group, .script_file = sc->file,
					 .script_line = sc->line, .script_col = sc->col };
}

void global_defs_vrrp_notify(const struct global_defs *gd, struct gd_vrrp_notify *out)
{
	*out = (struct gd_vrrp_notify){
		.smtp_alert = gd->smtp_alert_vrrp >= 0 ? gd->smtp_alert_vrrp : gd->smtp_alert,
		.no_email_faults = gd->no_email_faults,
		.fifo_write_states_on_reload = gd->fifo_write_vrrp_states_on_reload,
		.notify_priority_changes = gd->vrrp_notify_priority_changes,
	};
}

bool global_defs_metrics_listen(const struct global_defs *gd, struct inet_addr *addr,
				unsigned *port)
{
	if (gd->metrics_on) {
		*addr = gd->metrics_addr;
		*port = gd->metrics_port;
	}
	return gd->metrics_on;
}
