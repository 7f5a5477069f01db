/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/core/global_defs_int.h: the global_defs model (for global_defs.c and _kw.c only). */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "global_defs.h"
#include "parser.h"
#include "track_file.h"
#include "utils.h"

/* A script or FIFO with the user/group it runs as (names; resolved by the runtime). */
struct gd_script {
	char *path;		/* may hold arguments: one quoted word */
	char *user;
	char *group;
	/* where it was written (notify FIFO scripts, for -t's script checks) */
	char *file;
	int line, col;
};

enum gd_rx_policy { GD_RX_DEFAULT, GD_RX_MTU, GD_RX_ADVERT, GD_RX_SIZE };
enum gd_flush { GD_FLUSH_OFF, GD_FLUSH_ON, GD_FLUSH_VS };

struct global_defs {
	/* Top-level keywords */
	char *net_namespace;
	char *net_namespace_ipvs;	/* NULL: as net_namespace; "": the default namespace */
	bool namespace_with_ipsets;
	char *instance;
	bool use_pid_dir;
	unsigned child_wait_time_s;
	bool linkbeat_use_polling;
	struct track_files track_files;	/* top-level track_file blocks */

	/* Email */
	char *router_id;
	char **emails;
	unsigned n_emails;
	unsigned n_emails_at_open;	/* parse-time only: to spot an empty block */
	char *email_from;
	char *smtp_server;		/* as written: an address or a host name */
	struct inet_addr smtp_addr;	/* resolved when the config loads */
	unsigned smtp_port;
	unsigned smtp_connect_timeout_s;
	char *smtp_helo_name;
	signed char smtp_alert;		/* -1: not set */
	signed char smtp_alert_vrrp;	/* -1: as smtp_alert */
	signed char smtp_alert_checker;	/* -1: as smtp_alert */
	bool no_email_faults;
	bool no_checker_emails;
	bool checker_log_all_failures;

	/* Scripts */
	char *script_user;
	char *script_group;
	bool script_security;
	bool use_symlink_paths;
	bool set_supplementary_groups;
	struct gd_script startup_script;
	unsigned startup_script_timeout_s;
	struct gd_script shutdown_script;
	unsigned shutdown_script_timeout_s;

	/* Processes */
	bool process_names;
	char *process_name;
	char *vrrp_process_name;
	char *checker_process_name;
	int max_auto_priority;		/* 0: off; -1: off without the startup notice */
	unsigned min_auto_priority_delay_us;

	/* VRRP defaults */
	bool dynamic_interfaces;
	bool dynamic_interfaces_allow_if_changes;
	char *default_interface;
	bool disable_local_igmp;
	bool v3_checksum_as_v2;
	struct inet_addr mcast_group4;
	struct inet_addr mcast_group6;
	unsigned garp_master_delay_s;
	unsigned garp_master_repeat;
	unsigned garp_master_refresh_s;
	unsigned garp_master_refresh_repeat;
	unsigned garp_lower_prio_delay_s;	/* UINT_MAX until finish: as garp_master_delay_s */
	unsigned garp_lower_prio_repeat;	/* UINT_MAX until finish: as garp_master_repeat */
	uint64_t garp_interval_us;
	uint64_t gna_interval_us;
	bool min_garp;
	unsigned garp_extra_if_s;	/* 0: off */
	bool garp_extra_if_all;
	unsigned down_timer_adverts;
	signed char lower_prio_no_advert;	/* -1 until finish: as vrrp_strict */
	bool higher_prio_send_advert;
	unsigned vrrp_version;
	char *nftables;			/* table name; NULL: nftables not requested */
	int nftables_priority;
	bool nftables_ifindex;
	bool nftables_counters;
	char *nftables_ipvs;
	int nftables_ipvs_priority;
	unsigned nftables_ipvs_start_fwmark;
	bool vrrp_check_unicast_src;
	bool vrrp_skip_check_adv_addr;
	bool vrrp_strict;
	bool vrrp_owner_ignore_adverts;
	struct gd_sched vrrp_sched;
	struct gd_sched checker_sched;

	/* LVS */
	unsigned lvs_timeout_tcp_s;	/* 0: leave the kernel's value */
	unsigned lvs_timeout_tcpfin_s;
	unsigned lvs_timeout_udp_s;
	bool lvs_flush;
	enum gd_flush lvs_flush_on_stop;
	char *lvs_syncd_if;		/* NULL: no sync daemon */
	char *lvs_syncd_inst;		/* VRRP instance whose state it follows */
	int lvs_syncd_id;		/* -1: the instance's VRID */
	unsigned lvs_syncd_maxlen;	/* 0: kernel default */
	unsigned lvs_syncd_port;	/* 0: kernel default (8848) */
	unsigned lvs_syncd_ttl;		/* 0: kernel default */
	struct inet_addr lvs_syncd_group;	/* family 0: kernel default */

	/* Notify FIFOs */
	struct gd_script notify_fifo;
	struct gd_script notify_fifo_script;
	struct gd_script vrrp_notify_fifo;
	struct gd_script vrrp_notify_fifo_script;
	bool vrrp_notify_priority_changes;
	bool fifo_write_vrrp_states_on_reload;
	struct gd_script lvs_notify_fifo;
	struct gd_script lvs_notify_fifo_script;

	/* SNMP, D-Bus */
	char *snmp_socket;
	bool enable_traps;
	bool enable_snmp_vrrp;
	bool enable_snmp_checker;
	bool enable_snmp_rfc;
	bool enable_snmp_rfcv2;
	bool enable_snmp_rfcv3;
	uint64_t snmp_vs_stats_update_us;
	uint64_t snmp_rs_stats_update_us;
	bool enable_dbus;
	char *dbus_service_name;
	char *dbus_no_interface_name;

	/* Netlink and socket buffers (0: system default) */
	unsigned vrrp_netlink_cmd_rcv_bufs;
	bool vrrp_netlink_cmd_rcv_bufs_force;
	unsigned vrrp_netlink_monitor_rcv_bufs;
	bool vrrp_netlink_monitor_rcv_bufs_force;
	unsigned process_monitor_rcv_bufs;
	bool process_monitor_rcv_bufs_force;
	unsigned lvs_netlink_cmd_rcv_bufs;
	bool lvs_netlink_cmd_rcv_bufs_force;
	unsigned lvs_netlink_monitor_rcv_bufs;
	bool lvs_netlink_monitor_rcv_bufs_force;
	bool rs_init_notifies;
	enum gd_rx_policy rx_bufs_policy;
	unsigned rx_bufs_size;		/* GD_RX_SIZE */
	unsigned rx_bufs_multiplier;

	/* Startup, files, reloads */
	uint64_t vrrp_startup_delay_us;
	uint64_t vrrp_delay_after_boot_us;
	bool log_unknown_vrids;
	char *vmac_prefix;
	char *vmac_addr_prefix;		/* NULL until finish: as vmac_prefix */
	unsigned umask;
	bool has_umask;			/* the umask keyword was given */
	bool has_random_seed;
	unsigned random_seed;
	unsigned include_check;		/* enum cfg_include_check, as last set */
	bool reload_check_config;
	char *reload_check_config_log;
	char *reload_time_file;
	bool reload_repeat;
	bool reload_file;
	char *reload_file_path;		/* NULL: <piddir>/keepalived.reload */
	char *config_save_dir;
	char *tmp_config_directory;
	bool data_use_instance;
	unsigned json_version;
	char *iproute_usr_dir;
	char *iproute_etc_dir;
	char *state_dump_file;
	char *stats_dump_file;
	char *json_dump_file;

	/* metrics (issue 15 item 3): metrics_listen, the Prometheus listener (ours) */
	bool metrics_on;
	struct inet_addr metrics_addr;
	unsigned metrics_port;
};

/* Writes keyword `name` with gd's value, indented by ind, or nothing when it is unset. */
typedef void gd_dump_fn(const struct global_defs *gd, const char *ind, const char *name, FILE *f);

/* Keywords with a syntax of their own (global_defs_kw.c), and how each is written back. */
cfg_kw_fn gd_kw_email, gd_kw_smtp_server, gd_kw_script_user, gd_kw_max_auto_priority,
	gd_kw_dynamic_interfaces, gd_kw_mcast_group4, gd_kw_mcast_group6, gd_kw_garp_extra_if,
	gd_kw_iptables, gd_kw_nftables, gd_kw_lvs_timeouts, gd_kw_lvs_flush_on_stop, gd_kw_lvs_sync_daemon,
	gd_kw_rx_bufs_policy, gd_kw_umask, gd_kw_random_seed, gd_kw_include_check,
	gd_kw_reload_check_config, gd_kw_reload_file, gd_kw_net_namespace_ipvs;
cfg_kw_fn gd_kw_linkbeat;	/* misc (issue 14 item 8) */
cfg_kw_fn gd_kw_metrics_listen;	/* metrics (issue 15 item 3) */
gd_dump_fn gd_dump_metrics_listen;
cfg_open_fn gd_open_emails;
cfg_close_fn gd_close_emails;
gd_dump_fn gd_dump_emails, gd_dump_smtp_server, gd_dump_script_user, gd_dump_max_auto_priority,
	gd_dump_dynamic_interfaces, gd_dump_mcast_group4, gd_dump_mcast_group6, gd_dump_garp_extra_if,
	gd_dump_lvs_timeouts, gd_dump_lvs_flush_on_stop, gd_dump_lvs_sync_daemon,
	gd_dump_rx_bufs_policy, gd_dump_umask, gd_dump_random_seed, gd_dump_include_check,
	gd_dump_reload_check_config, gd_dump_reload_file, gd_dump_net_namespace_ipvs;
