// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/vrrp/vrrp_conf_dump.c: the VRRP model as keepalived.conf text (-d, tests). */
#include <stdio.h>

#include "vrrp_conf.h"
#include "vrrp_conf_track.h"
#include "vrrp_route_conf.h"

static void dump_word(FILE *f, const char *ind, const char *kw, const char *v)
{
	if (!v)
		return;
	fprintf(f, "%s%s ", ind, kw);
	cfg_dump_word(f, v);
	fputc('\n', f);
}

static void dump_secs(FILE *f, const char *kw, int64_t us)
{
	if (us < 0)
		return;
	fprintf(f, "\t%s ", kw);
	cfg_dump_secs(f, us);
	fputc('\n', f);
}

static void dump_int(FILE *f, const char *kw, int v)
{
	if (v >= 0)
		fprintf(f, "\t%s %d\n", kw, v);
}

static void dump_tristate(FILE *f, const char *kw, signed char v)
{
	if (v >= 0)
		fprintf(f, "\t%s %s\n", kw, v ? "true" : "false");
}

static void dump_addr(FILE *f, const char *kw, const struct inet_addr *a)
{
	char buf[INET6_ADDRSTRLEN];

	if (a->family)
		fprintf(f, "\t%s %s\n", kw, inet_addr_str(a, buf, sizeof(buf)));
}

static void dump_cmd(FILE *f, const char *ind, const char *kw, const struct vc_cmd *c)
{
	if (!c->cmd)
		return;
	fprintf(f, "%s%s ", ind, kw);
	cfg_dump_word(f, c->cmd);
	if (c->user) {
		fputc(' ', f);
		cfg_dump_word(f, c->user);
	}
	if (c->group) {
		fputc(' ', f);
		cfg_dump_word(f, c->group);
	}
	fputc('\n', f);
}

void vrrp_conf_dump_script(FILE *f, const struct vc_script *vs)
{
	fputs("vrrp_script ", f);
	cfg_dump_word(f, vs->id.name);
	fputs(" {\n", f);
	dump_word(f, "\t", "script", vs->script);
	fputs("\tinterval ", f);
	cfg_dump_secs(f, vs->interval_us);
	fputc('\n', f);
	if (vs->timeout_us)
		dump_secs(f, "timeout", vs->timeout_us);
	fprintf(f, "\tweight %d%s\n", vs->weight, vs->weight_reverse ? " reverse" : "");
	fprintf(f, "\trise %u\n\tfall %u\n", vs->rise, vs->fall);
	if (vs->user) {
		fputs("\tuser ", f);
		cfg_dump_word(f, vs->user);
		if (vs->group) {
			fputc(' ', f);
			cfg_dump_word(f, vs->group);
		}
		fputc('\n', f);
	}
	if (vs->init_fail)
		fputs("\tinit_fail\n", f);
	fputs("}\n", f);
}

static void dump_peers(FILE *f, const struct vc_more *m)
{
	char buf[INET6_ADDRSTRLEN];

	if (!m->n_peers)
		return;
	fputs("\tunicast_peer {\n", f);
	for (unsigned k = 0; k < m->n_peers; k++) {
		const struct vc_peer *p = &m->peers[k];

		fprintf(f, "\t\t%s", inet_addr_str(&p->addr, buf, sizeof(buf)));
		if (p->min_ttl >= 0)
			fprintf(f, " min_ttl %d", p->min_ttl);
		if (p->max_ttl >= 0)
			fprintf(f, " max_ttl %d", p->max_ttl);
		fputc('\n', f);
	}
	fputs("\t}\n", f);
}

/* The notify scripts an instance and a sync group both have, in keepalived's keyword order. */
static void dump_notify(FILE *f, const struct vc_cmd *master, const struct vc_cmd *backup,
			const struct vc_cmd *fault, const struct vc_cmd *stop,
			const struct vc_cmd *any)
{
	dump_cmd(f, "\t", "notify_master", master);
	dump_cmd(f, "\t", "notify_backup", backup);
	dump_cmd(f, "\t", "notify_fault", fault);
	dump_cmd(f, "\t", "notify_stop", stop);
	dump_cmd(f, "\t", "notify", any);
}

static void dump_vips(FILE *f, const char *kw, const struct vrrp_ipaddr *v, unsigned n)
{
	if (!n)
		return;
	fprintf(f, "\t%s {\n", kw);
	for (unsigned i = 0; i < n; i++) {
		fputs("\t\t", f);
		vrrp_ipaddr_dump(&v[i], f);
		fputc('\n', f);
	}
	fputs("\t}\n", f);
}

/* NAME [weight N [reverse|noreverse]], as parse_track_opts() reads it */
static void dump_track(FILE *f, const char *name, bool has_weight, int weight, bool has_reverse,
		       bool reverse)
{
	fputs("\t\t", f);
	cfg_dump_word(f, name);
	if (has_weight)
		fprintf(f, " weight %d", weight);
	if (has_weight && has_reverse)
		fputs(reverse ? " reverse" : " noreverse", f);
	fputc('\n', f);
}

static void dump_tracks(FILE *f, const struct vc_more *m)
{
	if (m->n_track_ifs) {
		fputs("\ttrack_interface {\n", f);
		for (unsigned k = 0; k < m->n_track_ifs; k++) {
			const struct vc_track_if *t = &m->track_ifs[k];

			/* weight 0 is what no weight means */
			dump_track(f, t->name, t->weight || t->reverse, t->weight, t->reverse, true);
		}
		fputs("\t}\n", f);
	}
	if (m->n_track_scripts) {
		fputs("\ttrack_script {\n", f);
		for (unsigned k = 0; k < m->n_track_scripts; k++) {
			const struct vc_track_script *t = &m->track_scripts[k];

			dump_track(f, t->ref.name, t->has_weight, t->weight, t->has_reverse,
				   t->reverse);
		}
		fputs("\t}\n", f);
	}
}

void vrrp_conf_dump_instance(FILE *f, const struct vc_instance *vi)
{
	static const char *const auth[] = { [VC_AUTH_PASS] = "PASS", [VC_AUTH_AH] = "AH" };
	const struct vc_more *m = vc_more(vi);

	fputs("vrrp_instance ", f);
	cfg_dump_word(f, vi->id.name);
	/* each as derived from the other when only one was written: the dump means the same */
	fprintf(f, " {\n\tstate %s\n", vc_init_master(vi) ? "MASTER" : "BACKUP");
	dump_word(f, "\t", "interface", vi->interface);
	if (vi->vrid)
		fprintf(f, "\tvirtual_router_id %u\n", vi->vrid);
	fprintf(f, "\tpriority %u\n\tadvert_int ", vc_priority(vi));
	cfg_dump_secs(f, vi->advert_int_us);
	fputc('\n', f);
	if (vi->version)
		fprintf(f, "\tversion %u\n", vi->version);
	if (vi->native_ipv6)
		fputs("\tnative_ipv6\n", f);
	if (vi->nopreempt)
		fputs("\tnopreempt\n", f);
	if (vi->preempt_delay_us)
		dump_secs(f, "preempt_delay", vi->preempt_delay_us);
	if (vi->auth_type != VC_AUTH_NONE || m->auth_pass[0]) {
		fputs("\tauthentication {\n", f);
		if (vi->auth_type != VC_AUTH_NONE)
			fprintf(f, "\t\tauth_type %s\n", auth[vi->auth_type]);
		dump_word(f, "\t\t", "auth_pass", m->auth_pass[0] ? m->auth_pass : NULL);
		fputs("\t}\n", f);
	}
	dump_addr(f, "unicast_src_ip", &m->unicast_src);
	if (m->check_unicast_src)
		fputs("\tcheck_unicast_src\n", f);
	dump_addr(f, "mcast_src_ip", &m->mcast_src);
	dump_addr(f, "mcast_dst_ip", &m->mcast_dst);
	dump_int(f, "unicast_ttl", m->unicast_ttl);
	dump_peers(f, m);
	if (vi->dont_track_primary)
		fputs("\tdont_track_primary\n", f);
	if (vi->no_vips)
		fputs("\tno_virtual_ipaddress\n", f);
	if (vi->has_accept)
		fputs(vi->accept ? "\taccept\n" : "\tno_accept\n", f);
	if (vi->has_strict_mode)
		fprintf(f, "\tstrict_mode %s\n", vi->strict_mode ? "true" : "false");
	if (vi->use_vmac) {	/* VMAC */
		fputs("\tuse_vmac", f);
		if (m->vmac_ifname)
			fprintf(f, " %s", m->vmac_ifname);
		if (m->has_vmac_mac)
			for (unsigned k = 0; k < (m->vmac_mac_vrid ? 5u : 6u); k++)
				fprintf(f, "%c%02x", k ? ':' : ' ', m->vmac_mac[k]);
		fputc('\n', f);
	}
	if (vi->vmac_xmit_base)
		fputs("\tvmac_xmit_base\n", f);
	if (m->use_vmac_addr)
		fputs("\tuse_vmac_addr\n", f);
	dump_vips(f, "virtual_ipaddress", vi->vip_ia, vi->n_vips);
	dump_vips(f, "virtual_ipaddress_excluded", vi->evip_ia, vi->n_evips);
	vc_routes_dump(f, "\t", m->routes, "virtual_routes", "virtual_rules");	/* routes */
	dump_tracks(f, m);
	vc_dump_track_refs(f, m);
	dump_notify(f, &m->notify_master, &m->notify_backup, &m->notify_fault, &m->notify_stop,
		    &m->notify);
	dump_cmd(f, "\t", "notify_master_rx_lower_pri", &m->notify_master_rx_lower_pri);
	if (m->notify_deleted.cmd)
		dump_cmd(f, "\t", "notify_deleted", &m->notify_deleted);
	else if (m->notify_deleted_set)
		fputs("\tnotify_deleted\n", f);
	dump_cmd(f, "\t", "notify_conflict", &m->notify_conflict);	/* conflict */
	dump_secs(f, "garp_master_delay", m->garp_master_delay_us);
	dump_int(f, "garp_master_repeat", m->garp_master_repeat);
	dump_secs(f, "garp_master_refresh", m->garp_master_refresh_us);
	dump_int(f, "garp_master_refresh_repeat", m->garp_master_refresh_repeat);
	dump_secs(f, "garp_lower_prio_delay", m->garp_lower_prio_delay_us);
	dump_int(f, "garp_lower_prio_repeat", m->garp_lower_prio_repeat);
	dump_tristate(f, "skip_check_adv_addr", m->skip_check_adv_addr);
	dump_tristate(f, "lower_prio_no_advert", m->lower_prio_no_advert);
	dump_tristate(f, "higher_prio_send_advert", m->higher_prio_send_advert);
	dump_tristate(f, "notify_priority_changes", m->notify_priority_changes);
	dump_int(f, "down_timer_adverts", m->down_timer_adverts ? m->down_timer_adverts : -1);
	dump_tristate(f, "owner_ignore_adverts", m->owner_ignore_adverts);
	dump_tristate(f, "smtp_alert", m->smtp_alert);
	if (m->promote_secondaries)
		fputs("\tpromote_secondaries\n", f);
	if (m->use_ipvlan)
		fputs("\tuse_ipvlan\n", f);
	if (m->has_v3_csum_as_v2)
		fprintf(f, "\tv3_checksum_as_v2 %s\n", m->v3_csum_as_v2 ? "true" : "false");
	if (m->lvs_sync_if)
		fprintf(f, "\tlvs_sync_daemon_interface %s\n", m->lvs_sync_if);
	if (m->kernel_rx_buf_size)
		fprintf(f, "\tkernel_rx_buf_size %u\n", m->kernel_rx_buf_size);
	if (m->track_src_ip)
		fputs("\ttrack_src_ip\n", f);
	if (m->has_garp_extra_if)
		fprintf(f, "\tgarp_extra_if %s%u\n", m->garp_extra_if_all ? "all " : "",
			m->garp_extra_if_s);
	if (m->old_unicast_csum)
		fprintf(f, "\told_unicast_checksum%s\n",
			m->old_unicast_csum == VC_OLD_CSUM_NEVER ? " never" : "");
	if (vi->unicast_fault_no_peer)
		fputs("\tunicast_fault_no_peer\n", f);
	fputs("}\n", f);
}

static void dump_group(FILE *f, const struct vc_group *g)
{
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
	vc_lines_dump(f, "\t", "track_interface", &g->track_if_lines);
	vc_lines_dump(f, "\t", "track_script", &g->track_script_lines);
	if (g->tracking_weight)
		fputs("\tsync_group_tracking_weight\n", f);
	vc_dump_group_track_refs(f, g);
	dump_tristate(f, "smtp_alert", g->smtp_alert);
	dump_tristate(f, "notify_priority_changes", g->notify_priority_changes);
	dump_notify(f, &g->notify_master, &g->notify_backup, &g->notify_fault, &g->notify_stop,
		    &g->notify);
	fputs("}\n", f);
}

void vrrp_conf_dump(const void *conf, FILE *f)
{
	const struct vrrp_conf *vc = conf;

	vc_track_groups_dump(f, vc->statics);		/* routes: before the entries naming them */
	vc_lines_dump(f, "", "static_ipaddress", &vc->static_addrs);
	vc_lines_dump(f, "", "static_routes", &vc->static_routes);
	vc_dump_tprocs(f, vc);
	if (vc->statics)
		vc_lines_dump(f, "", "static_rules", &vc->statics->rule_lines);
	for (unsigned i = 0; i < vc->n_scripts; i++)
		if (!vc->scripts[i]->is_dup)
			vrrp_conf_dump_script(f, vc->scripts[i]);
	for (unsigned i = 0; i < vc->n_insts; i++)
		if (!vc->insts[i]->is_dup)
			vrrp_conf_dump_instance(f, vc->insts[i]);
	for (unsigned i = 0; i < vc->n_groups; i++)
		if (!vc->groups[i]->is_dup)
			dump_group(f, vc->groups[i]);
}
