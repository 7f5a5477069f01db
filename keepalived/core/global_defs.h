/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/core/global_defs.h: the global_defs block, parsed into a typed model. */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "parser.h"
#include "utils.h"

/* The full field list lives in global_defs.c's struct; callers use these accessors. */
struct global_defs;

struct global_defs *global_defs_new(void);	/* with keepalived's defaults */
void global_defs_free(struct global_defs *gd);	/* NULL is fine */
/*
 * Top-level keywords owned by global_defs: the global_defs { ... } block and the
 * daemon-wide siblings (net_namespace, instance, use_pid_dir, child_wait_time, ...).
 * bfd_instance is accepted (its keywords checked) with a warning: BFD is not implemented.
 */
extern const struct cfg_kw global_defs_root_kws[];
/* After the parse: defaults that depend on other fields (router_id from the host name...). */
int global_defs_finish(struct cfg *c, void *gd);
/*
 * -d: every field as keepalived.conf lines that parse again to the same dump: the
 * top-level keywords first, then global_defs { one "keyword value" line per field }.
 * Fields that are unset, or off flags that take no argument, are left out.
 */
void global_defs_dump(const struct global_defs *gd, FILE *f);

/* Strings are borrowed from gd; NULL when unset. */
const char *global_defs_router_id(const struct global_defs *gd);
const char *global_defs_instance(const struct global_defs *gd);	/* top-level "instance" */
const char *global_defs_net_namespace(const struct global_defs *gd);
bool global_defs_use_pid_dir(const struct global_defs *gd);
unsigned global_defs_child_wait_time_s(const struct global_defs *gd);
const char *global_defs_default_interface(const struct global_defs *gd);
/* script_user USER [GROUP]: names only (NULL: keepalived_script if it exists, else root). */
const char *global_defs_script_user(const struct global_defs *gd);
const char *global_defs_script_group(const struct global_defs *gd);
bool global_defs_script_security(const struct global_defs *gd);
/* smtp_alert_checker, else smtp_alert: -1 neither set, else 0/1 (the checker's defaults) */
int global_defs_smtp_alert_checker(const struct global_defs *gd);
/* dynamic_interfaces: configured interfaces may be missing now (created later) */
bool global_defs_dynamic_interfaces(const struct global_defs *gd);
bool global_defs_vrrp_strict(const struct global_defs *gd);
unsigned global_defs_vrrp_version(const struct global_defs *gd);
/* startup_script / shutdown_script as configured (cmd NULL: none). */
struct gd_parent_script {
	const char *cmd;		/* the command line, one config word */
	const char *user, *group;	/* NULL: script_user's (then keepalived's default) */
	unsigned timeout_s;
};
void global_defs_parent_script(const struct global_defs *gd, bool startup,
			       struct gd_parent_script *out);
/* umask for created files (keepalived's default 0177; -u on the command line wins). */
#define GD_UMASK_DEFAULT 0177
unsigned global_defs_umask(const struct global_defs *gd);
bool global_defs_has_umask(const struct global_defs *gd);	/* the keyword was given */

/* vrrp_* / checker_* scheduling of a child process (core/sched_prio.c applies it). */
struct gd_sched {
	int priority;		/* *_priority: the nice value; 0: left alone */
	bool no_swap;
	unsigned rt_priority;	/* *_rt_priority: SCHED_RR at this priority; 0: not realtime */
	unsigned rlimit_rttime_us;	/* *_rlimit_rttime: RLIMIT_RTTIME when realtime */
	unsigned *cpus;		/* *_cpu_affinity: CPU ids */
	unsigned n_cpus;	/* 0: affinity left alone */
};
/* Borrowed from gd: the checker child's (checker_*), else the VRRP child's (vrrp_*). */
const struct gd_sched *global_defs_sched(const struct global_defs *gd, bool checker);
/* misc (issue 14 item 8): max_auto_priority (0: no boost) and min_auto_priority_delay */
void global_defs_auto_priority(const struct global_defs *gd, int *max, unsigned *min_delay_us);

/* Where the SIGUSR1 / SIGUSR2 / JSON dumps go (core/dumpfile.c reads these). */
struct gd_dump_files {
	const char *state_file;		/* state_dump_file; NULL: the default (borrowed) */
	const char *stats_file;		/* stats_dump_file */
	const char *json_file;		/* json_dump_file */
	bool use_instance;		/* data_use_instance */
};
void global_defs_dump_files(const struct global_defs *gd, struct gd_dump_files *out);

/* The VRRP defaults an instance takes when it does not set its own. */
struct gd_vrrp {
	unsigned version;			/* vrrp_version: 2 or 3 */
	struct inet_addr mcast_group4, mcast_group6;
	uint64_t garp_master_delay_us;
	unsigned garp_master_repeat;
	uint64_t garp_master_refresh_us;	/* 0: off */
	unsigned garp_master_refresh_repeat;
	uint64_t garp_lower_prio_delay_us;
	unsigned garp_lower_prio_repeat;
	uint64_t garp_interval_us, gna_interval_us;
	bool min_garp;
	unsigned down_timer_adverts;
	bool lower_prio_no_advert, higher_prio_send_advert;
	bool skip_check_adv_addr, check_unicast_src, owner_ignore_adverts;
	bool notify_priority_changes;
	bool log_unknown_vrids;		/* log adverts of a VRID no instance has */
	uint64_t startup_delay_us;
	/* VMAC (vrrp/vrrp_vmac.c) */
	const char *vmac_prefix;		/* "vrrp" */
	const char *vmac_addr_prefix;		/* the VMACs of use_vmac_addr: vmac_prefix */
	/* vrrp_strict and the firewall (vrrp/vrrp_nft.c); strings borrowed from gd */
	bool strict;			/* vrrp_strict: the instances' default strict_mode */
	const char *nftables;		/* nftables (or vrrp_iptables): table name; NULL: not given */
	int nftables_priority;		/* -1 */
	bool nftables_counters, nftables_ifindex;
	/* misc (issue 14 item 8): the delayed start after boot, igmp_link_local_mcast_reports */
	uint64_t delay_after_boot_us;	/* vrrp_delay_after_boot; 0: none */
	bool disable_local_igmp;
	bool dynamic_interfaces;	/* only the start's line differs: instances wait anyway */
	unsigned garp_extra_if_s;	/* vrrp_garp_extra_if; 0: off */
	bool garp_extra_if_all;
	/* vrrp_rx_bufs_policy: at most one of mtu/advert/size; none: the kernel's default */
	bool rx_bufs_mtu, rx_bufs_advert, rx_bufs_size_set;
	unsigned rx_bufs_size, rx_bufs_multiplier;
	bool v3_checksum_as_v2;
};
void global_defs_vrrp(const struct global_defs *gd, struct gd_vrrp *out);

/* SMTP alerts (core/smtp_alert.c): all borrowed from gd. */
struct gd_smtp {
	const char *server;		/* smtp_server as written; NULL: no alerts */
	struct inet_addr addr;		/* resolved when the config loaded */
	unsigned port;
	unsigned connect_timeout_s;	/* smtp_connect_timeout (30) */
	const char *helo_name;		/* smtp_helo_name, else the host name */
	const char *email_from;		/* notification_email_from, else keepalived@host */
	char *const *emails;		/* notification_email */
	unsigned n_emails;
};
void global_defs_smtp(const struct global_defs *gd, struct gd_smtp *out);

/*
 * The top-level track_file blocks (core/track_file.h), borrowed from gd. The child that
 * uses them applies init_file with track_files_init(l, reload) when it starts or reloads
 * (the parse only stores).
 */
struct track_files;
const struct track_files *global_defs_track_files(const struct global_defs *gd);
/* track_process (issue 14): process_monitor_rcv_bufs (0: unset) and its _force. */
void global_defs_process_monitor(const struct global_defs *gd, unsigned *rcv_bufs, bool *force);
/* vrrp_netlink_cmd_rcv_bufs / vrrp_netlink_monitor_rcv_bufs (0: unset) and their _force. */
void global_defs_vrrp_netlink(const struct global_defs *gd, unsigned *cmd_bufs, bool *cmd_force,
			      unsigned *monitor_bufs, bool *monitor_force);

/* What the checker child acts on (lvs_*, checker_log_all_failures, rs_init_notifies ...). */
struct gd_check {
	uint32_t timeout_tcp_s, timeout_tcpfin_s, timeout_udp_s;	/* lvs_timeouts; 0: leave */
	bool flush;			/* lvs_flush: at cold start */
	int flush_on_stop;		/* lvs_flush_on_stop: 0 off, 1 all, 2 VS */
	const char *syncd_if;		/* lvs_sync_daemon; NULL: none (borrowed) */
	const char *syncd_inst;		/* its VRRP instance; NULL: the checker runs it */
	int syncd_id;			/* -1: not given */
	unsigned syncd_maxlen, syncd_port, syncd_ttl;
	struct inet_addr syncd_group;	/* family 0: none */
	bool log_all_failures;		/* checker_log_all_failures */
	bool rs_init_notifies;
	bool no_checker_emails;
};
void global_defs_check(const struct global_defs *gd, struct gd_check *out);

/* Notify FIFOs (core/notify_fifo.c), borrowed from gd; path NULL: none. */
enum gd_fifo_kind { GD_FIFO_GLOBAL, GD_FIFO_VRRP, GD_FIFO_LVS };
struct gd_fifo {
	const char *path, *user, *group;		/* [vrrp_|lvs_]notify_fifo PATH [USER [GROUP]] */
	const char *script, *script_user, *script_group;	/* ..._script CMD [USER [GROUP]] */
	const char *same_as_global;	/* the path of a vrrp/lvs FIFO left out (below) */
	const char *script_file;	/* where the script was written (-t) */
	int script_line, script_col;
};
/*
 * The vrrp (lvs) FIFO named like the global one is left out, as keepalived 2.2.7 does:
 * a line would be written twice (the VRRP child logs it: vrrp_notify.c).
 */
void global_defs_fifo(const struct global_defs *gd, enum gd_fifo_kind k, struct gd_fifo *out);
/* VRRP alerts and FIFO lines (vrrp_notify.c). */
struct gd_vrrp_notify {
	int smtp_alert;			/* smtp_alert_vrrp, else smtp_alert: -1 neither set */
	bool no_email_faults;
	bool fifo_write_states_on_reload;	/* fifo_write_vrrp_states_on_reload */
	bool notify_priority_changes;		/* vrrp_notify_priority_changes */
};
void global_defs_vrrp_notify(const struct global_defs *gd, struct gd_vrrp_notify *out);

/*
 * metrics_listen (ours, issue 15): where the parent's Prometheus listener binds; false when
 * it is off (the default). Bare keyword: 127.0.0.1, port GD_METRICS_PORT.
 */
#define GD_METRICS_PORT 9165
bool global_defs_metrics_listen(const struct global_defs *gd, struct inet_addr *addr,
				unsigned *port);
