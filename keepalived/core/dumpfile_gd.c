// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * keepalived/core/dumpfile_gd.c: the "Global definitions" section that opens every
 * SIGUSR1 dump (keepalived.data, keepalived_check.data, keepalived_parent.data), in
 * keepalived 2.2.7's layout: one " Name = value" line per setting, in its order.
 * Reads the global_defs model directly (global_defs_int.h): it is a view of all of it.
 */
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>

#include "dumpfile.h"
#include "global_defs_int.h"
#include "track_file.h"

static const char *tf(bool b)
{
	return b ? "true" : "false";
}

static const char *alert_str(signed char v)
{
	return v < 0 ? "unset" : v ? "on" : "off";
}

/* user[:group] as keepalived resolves a script's: uid:gid, the user's group by default */
static bool resolve_user(const char *user, const char *group, unsigned *uid, unsigned *gid)
{
	const struct passwd *pw = getpwnam(user);

	if (!pw)
		return false;
	*uid = pw->pw_uid;
	*gid = pw->pw_gid;
	if (group) {
		const struct group *gr = getgrnam(group);

		if (!gr)
			return false;
		*gid = gr->gr_gid;
	}
	return true;
}

/* script_user, else keepalived_script, else root (keepalived's default script user) */
static void default_user(const struct global_defs *gd, unsigned *uid, unsigned *gid)
{
	*uid = *gid = 0;
	if (gd->script_user)
		resolve_user(gd->script_user, gd->script_group, uid, gid);
	else
		resolve_user("keepalived_script", NULL, uid, gid);
}

static void script_ids(const struct global_defs *gd, const struct gd_script *s, unsigned *uid,
		       unsigned *gid)
{
	if (!s->user || !resolve_user(s->user, s->group, uid, gid))
		default_user(gd, uid, gid);
}

static void dump_fifo(const struct global_defs *gd, FILE *f, const char *what,
		      const struct gd_script *fifo, const struct gd_script *script)
{
	unsigned uid = 0, gid = 0;

	if (!fifo->path)
		return;
	/* the FIFO itself: its user, else root (keepalived creates it as root) */
	if (fifo->user)
		resolve_user(fifo->user, fifo->group, &uid, &gid);
	fprintf(f, " %s notify fifo = %s, uid:gid %u:%u\n", what, fifo->path, uid, gid);
	if (script->path) {
		script_ids(gd, script, &uid, &gid);
		fprintf(f, " %s notify fifo script = %s, uid:gid %u:%u\n", what, script->path, uid,
			gid);
	}
}

static void dump_sched(FILE *f, const char *who, const struct gd_sched *s)
{
	fprintf(f, " %s process priority = %d\n", who, s->priority);
	fprintf(f, " %s don't swap = %s\n", who, tf(s->no_swap));
	fprintf(f, " %s realtime priority = %u\n", who, s->rt_priority);
	if (s->n_cpus) {
		fprintf(f, " %s CPU Affinity =", who);
		for (unsigned i = 0; i < s->n_cpus; i++)
			fprintf(f, " %u", s->cpus[i]);
		fputc('\n', f);
	}
	fprintf(f, " %s realtime limit = %u\n", who, s->rlimit_rttime_us);
}

void dumpfile_global_defs(const struct global_defs *gd, FILE *f, bool vrrp_child)
{
	char b[INET6_ADDRSTRLEN];
	unsigned uid, gid;

	fputs("------< Global definitions >------\n", f);
	if (gd->config_save_dir)
		fprintf(f, " Config save dir = %s\n", gd->config_save_dir);
	fprintf(f, " Network namespace = %s\n", gd->net_namespace ? gd->net_namespace : "(default)");
	fprintf(f, " Network namespace ipvs = %s\n", !gd->net_namespace_ipvs ? "(main namespace)" :
		gd->net_namespace_ipvs[0] ? gd->net_namespace_ipvs : "(default)");
	if (gd->instance)
		fprintf(f, " Instance name = %s\n", gd->instance);
	if (gd->process_name)
		fprintf(f, " Parent process name = %s\n", gd->process_name);
	if (gd->vrrp_process_name)
		fprintf(f, " VRRP process name = %s\n", gd->vrrp_process_name);
	if (gd->checker_process_name)
		fprintf(f, " LVS process name = %s\n", gd->checker_process_name);
	if (gd->router_id)
		fprintf(f, " Router ID = %s\n", gd->router_id);
	if (gd->smtp_server) {
		fprintf(f, " Smtp server = %s\n", gd->smtp_addr.family ?
			inet_addr_str(&gd->smtp_addr, b, sizeof(b)) : gd->smtp_server);
		fprintf(f, " Smtp server port = %u\n", gd->smtp_port);
	}
	if (gd->smtp_server) {
		if (gd->smtp_helo_name)
			fprintf(f, " Smtp HELO name = %s\n", gd->smtp_helo_name);
		fprintf(f, " Smtp server connection timeout = %u\n", gd->smtp_connect_timeout_s);
		fprintf(f, " Email notification from = %s\n", gd->email_from ? gd->email_from : "");
		fputs(" Email notification to:\n", f);
		for (unsigned i = 0; i < gd->n_emails; i++)
			fprintf(f, "   %s\n", gd->emails[i]);
	}
	fprintf(f, " Default smtp_alert = %s\n", alert_str(gd->smtp_alert));
	fprintf(f, " Default smtp_alert_vrrp = %s\n", alert_str(gd->smtp_alert_vrrp));
	fprintf(f, " Default smtp_alert_checker = %s\n", alert_str(gd->smtp_alert_checker));
	fprintf(f, " Checkers log all failures = %s\n", tf(gd->checker_log_all_failures));
	if (gd->reload_check_config)
		fprintf(f, " Test config before reload, log to %s\n",
			gd->reload_check_config_log ? gd->reload_check_config_log : "");
	else
		fputs(" No test config before reload\n", f);
	if (gd->reload_time_file)
		fprintf(f, " Reload time file = %s%s\n", gd->reload_time_file,
			gd->reload_repeat ? " (repeat)" : "");
	if (gd->reload_file)
		fprintf(f, " Reload_file = %s\n", gd->reload_file_path ? gd->reload_file_path :
			"(default)");
	if (gd->tmp_config_directory)
		fprintf(f, " config save directory = %s\n", gd->tmp_config_directory);
	if (gd->data_use_instance)
		fputs(" Use instance name in data dumps\n", f);
	if (gd->startup_script.path) {
		script_ids(gd, &gd->startup_script, &uid, &gid);
		fprintf(f, " Startup script = %s, uid:gid %u:%u, timeout %u\n",
			gd->startup_script.path, uid, gid, gd->startup_script_timeout_s);
	}
	if (gd->shutdown_script.path) {
		script_ids(gd, &gd->shutdown_script, &uid, &gid);
		fprintf(f, " Shutdown script = %s, uid:gid %u:%u timeout %u\n",
			gd->shutdown_script.path, uid, gid, gd->shutdown_script_timeout_s);
	}
	fprintf(f, " Dynamic interfaces = %s\n", tf(gd->dynamic_interfaces));
	if (gd->dynamic_interfaces)
		fprintf(f, " Allow interface changes = %s\n",
			tf(gd->dynamic_interfaces_allow_if_changes));
	if (gd->no_email_faults)
		fputs(" Send emails for fault transitions = off\n", f);
	if (gd->lvs_timeout_tcp_s)
		fprintf(f, " LVS TCP timeout = %u\n", gd->lvs_timeout_tcp_s);
	if (gd->lvs_timeout_tcpfin_s)
		fprintf(f, " LVS TCP FIN timeout = %u\n", gd->lvs_timeout_tcpfin_s);
	/* sic: 2.2.7 names the UDP timeout "LVS TCP timeout" too */
	if (gd->lvs_timeout_udp_s)
		fprintf(f, " LVS TCP timeout = %u\n", gd->lvs_timeout_udp_s);
	if (vrrp_child)
		fprintf(f, " Default interface = %s\n",
			gd->default_interface ? gd->default_interface : "eth0");
	fprintf(f, " Disable local IGMP = %s\n", gd->disable_local_igmp ? "yes" : "no");
	if (gd->lvs_syncd_if) {
		if (gd->lvs_syncd_inst)
			fprintf(f, " LVS syncd vrrp name = %s\n", gd->lvs_syncd_inst);
		fprintf(f, " LVS syncd interface = %s\n", gd->lvs_syncd_if);
		fprintf(f, " LVS syncd syncid = %u\n", gd->lvs_syncd_id < 0 ? 0 : gd->lvs_syncd_id);
		if (gd->lvs_syncd_maxlen)
			fprintf(f, " LVS syncd maxlen = %u\n", gd->lvs_syncd_maxlen);
		if (gd->lvs_syncd_group.family)
			fprintf(f, " LVS mcast group %s\n",
				inet_addr_str(&gd->lvs_syncd_group, b, sizeof(b)));
		if (gd->lvs_syncd_port)
			fprintf(f, " LVS syncd mcast port = %u\n", gd->lvs_syncd_port);
		if (gd->lvs_syncd_ttl)
			fprintf(f, " LVS syncd mcast ttl = %u\n", gd->lvs_syncd_ttl);
	}
	fprintf(f, " LVS flush = %s\n", tf(gd->lvs_flush));
	fprintf(f, " LVS flush on stop = %s\n", gd->lvs_flush_on_stop == GD_FLUSH_ON ? "full" :
		gd->lvs_flush_on_stop == GD_FLUSH_VS ? "VS" : "disabled");
	dump_fifo(gd, f, "Global", &gd->notify_fifo, &gd->notify_fifo_script);
	dump_fifo(gd, f, "VRRP", &gd->vrrp_notify_fifo, &gd->vrrp_notify_fifo_script);
	dump_fifo(gd, f, "LVS", &gd->lvs_notify_fifo, &gd->lvs_notify_fifo_script);
	fprintf(f, " FIFO write vrrp states on reload = %s\n",
		tf(gd->fifo_write_vrrp_states_on_reload));
	fprintf(f, " VRRP notify priority changes = %s\n", tf(gd->vrrp_notify_priority_changes));
	if (gd->mcast_group4.family)
		fprintf(f, " VRRP IPv4 mcast group = %s\n",
			inet_addr_str(&gd->mcast_group4, b, sizeof(b)));
	if (gd->mcast_group6.family)
		fprintf(f, " VRRP IPv6 mcast group = %s\n",
			inet_addr_str(&gd->mcast_group6, b, sizeof(b)));
	fprintf(f, " Gratuitous ARP delay = %u\n", gd->garp_master_delay_s);
	fprintf(f, " Gratuitous ARP repeat = %u\n", gd->garp_master_repeat);
	fprintf(f, " Gratuitous ARP refresh timer = %u\n", gd->garp_master_refresh_s);
	fprintf(f, " Gratuitous ARP refresh repeat = %u\n", gd->garp_master_refresh_repeat);
	fprintf(f, " Gratuitous ARP lower priority delay = %u\n", gd->garp_lower_prio_delay_s);
	fprintf(f, " Gratuitous ARP lower priority repeat = %u\n", gd->garp_lower_prio_repeat);
	fprintf(f, " Num adverts before down = %u\n", gd->down_timer_adverts);
	fprintf(f, " Gratuitous ARP for each secondary %s = %us\n",
		gd->garp_extra_if_all ? "i/f" : "VMAC", gd->garp_extra_if_s);
	fprintf(f, " Send advert after receive lower priority advert = %s\n",
		tf(gd->lower_prio_no_advert <= 0));
	fprintf(f, " Send advert after receive higher priority advert = %s\n",
		tf(gd->higher_prio_send_advert));
	fprintf(f, " Gratuitous ARP interval = %f\n", (double)gd->garp_interval_us / 1e6);
	fprintf(f, " Gratuitous NA interval = %f\n", (double)gd->gna_interval_us / 1e6);
	fprintf(f, " VRRP default protocol version = %u\n", gd->vrrp_version);
	if (gd->nftables) {
		fprintf(f, " nftables table name = %s\n", gd->nftables);
		fprintf(f, " nftables base chain priority = %d\n", gd->nftables_priority);
		fprintf(f, " nftables %sforce use ifindex for link local IPv6\n",
			gd->nftables_ifindex ? "" : "don't ");
	}
	if (gd->nftables_ipvs) {
		fprintf(f, " ipvs nftables table name = %s\n", gd->nftables_ipvs);
		fprintf(f, " ipvs nftables base chain priority = %d\n", gd->nftables_ipvs_priority);
		fprintf(f, " ipvs nftables start fwmark = %u\n", gd->nftables_ipvs_start_fwmark);
	}
	/* 2.2.7's next line, "libnftnl version X.Y.Z", is left out: we do not use libnftnl */
	fprintf(f, " nftables with%s counters\n", gd->nftables_counters ? "" : "out");
	fprintf(f, " VRRP check unicast_src = %s\n", tf(gd->vrrp_check_unicast_src));
	fprintf(f, " VRRP skip check advert addresses = %s\n", tf(gd->vrrp_skip_check_adv_addr));
	fprintf(f, " VRRP strict mode = %s\n", tf(gd->vrrp_strict));
	if (gd->max_auto_priority < 0)
		fputs(" Max auto priority = Disabled\n", f);
	else
		fprintf(f, " Max auto priority = %d\n", gd->max_auto_priority);
	fprintf(f, " Min auto priority delay = %u usecs\n", gd->min_auto_priority_delay_us);
	dump_sched(f, "VRRP", &gd->vrrp_sched);
	dump_sched(f, "Checker", &gd->checker_sched);
	/* 2.2.7's four "BFD ..." lines are left out: there is no BFD process */
	fprintf(f, " SNMP vrrp %s\n", gd->enable_snmp_vrrp ? "enabled" : "disabled");
	fprintf(f, " SNMP checker %s\n", gd->enable_snmp_checker ? "enabled" : "disabled");
	fprintf(f, " SNMP RFCv2 %s\n", gd->enable_snmp_rfcv2 || gd->enable_snmp_rfc ?
		"enabled" : "disabled");
	fprintf(f, " SNMP RFCv3 %s\n", gd->enable_snmp_rfcv3 || gd->enable_snmp_rfc ?
		"enabled" : "disabled");
	fprintf(f, " SNMP traps %s\n", gd->enable_traps ? "enabled" : "disabled");
	fprintf(f, " SNMP socket = %s\n", gd->snmp_socket ? gd->snmp_socket :
		"default (unix:/var/agentx/master)");
	fprintf(f, " DBus %s\n", gd->enable_dbus ? "enabled" : "disabled");
	/* 2.2.7 shows the name only when one was configured */
	fprintf(f, " DBus service name = %s\n", gd->dbus_service_name &&
		strcmp(gd->dbus_service_name, "org.keepalived.Vrrp1") ? gd->dbus_service_name : "");
	fprintf(f, " Script security %s\n", gd->script_security ? "enabled" : "disabled");
	default_user(gd, &uid, &gid);
	fprintf(f, " Default script uid:gid %u:%u\n", uid, gid);
	fprintf(f, " vrrp_netlink_cmd_rcv_bufs = %u\n", gd->vrrp_netlink_cmd_rcv_bufs);
	fprintf(f, " vrrp_netlink_cmd_rcv_bufs_force = %d\n", gd->vrrp_netlink_cmd_rcv_bufs_force);
	fprintf(f, " vrrp_netlink_monitor_rcv_bufs = %u\n", gd->vrrp_netlink_monitor_rcv_bufs);
	fprintf(f, " vrrp_netlink_monitor_rcv_bufs_force = %d\n",
		gd->vrrp_netlink_monitor_rcv_bufs_force);
	fprintf(f, " process_monitor_rcv_bufs = %u\n", gd->process_monitor_rcv_bufs);
	fprintf(f, " process_monitor_rcv_bufs_force = %d\n", gd->process_monitor_rcv_bufs_force);
	fprintf(f, " lvs_netlink_cmd_rcv_bufs = %u\n", gd->lvs_netlink_cmd_rcv_bufs);
	fprintf(f, " lvs_netlink_cmd_rcv_bufs_force = %d\n", gd->lvs_netlink_cmd_rcv_bufs_force);
	fprintf(f, " lvs_netlink_monitor_rcv_bufs = %u\n", gd->lvs_netlink_monitor_rcv_bufs);
	fprintf(f, " lvs_netlink_monitor_rcv_bufs_force = %d\n",
		gd->lvs_netlink_monitor_rcv_bufs_force);
	fprintf(f, " rs_init_notifies = %d\n", gd->rs_init_notifies);
	fprintf(f, " no_checker_emails = %d\n", gd->no_checker_emails);
	if (gd->rx_bufs_policy == GD_RX_MTU)
		fputs(" rx_bufs_policy = MTU\n", f);
	else if (gd->rx_bufs_policy == GD_RX_ADVERT)
		fputs(" rx_bufs_policy = ADVERT\n", f);
	else if (gd->rx_bufs_policy == GD_RX_SIZE)
		fprintf(f, " rx_bufs_size = %u\n", gd->rx_bufs_size);
	fprintf(f, " rx_bufs_multiples = %u\n", gd->rx_bufs_multiplier);
	fprintf(f, " umask = 0%o\n", gd->umask);
	if (gd->vrrp_startup_delay_us)
		fprintf(f, " vrrp_startup_delay = %g\n", (double)gd->vrrp_startup_delay_us / 1e6);
	if (gd->log_unknown_vrids)
		fputs(" log_unknown_vrids\n", f);
	/* 2.2.7 shows the prefixes only when configured; "vrrp" is its default */
	if (gd->vmac_prefix && strcmp(gd->vmac_prefix, "vrrp"))
		fprintf(f, " VMAC prefix = %s\n", gd->vmac_prefix);
	if (gd->vmac_addr_prefix && strcmp(gd->vmac_addr_prefix, gd->vmac_prefix ?
					   gd->vmac_prefix : "vrrp"))
		fprintf(f, " VMAC address prefix = %s\n", gd->vmac_addr_prefix);
	if (gd->vrrp_sched.rt_priority && vrrp_child)
		fprintf(f, " current realtime priority = %u\n", gd->vrrp_sched.rt_priority);
}
