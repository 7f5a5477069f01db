// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/vrrp/vrrp_conf_dump.c: the VRRP model as keepalived.conf text (-d, tests). */
#include <stdio.h>

#include "vrrp_conf.h"

static void dump_lines(FILE *f, const char *ind, const char *kw, const struct vc_lines *l)
{
	if (!l->n)
		return;
	fprintf(f, "%s%s {\n", ind, kw);
	for (unsigned i = 0; i < l->n; i++)
		fprintf(f, "%s\t%s\n", ind, l->v[i]);
	fprintf(f, "%s}\n", ind);
}

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

static void dump_peers(FILE *f, const struct vc_instance *vi)
{
	char buf[INET6_ADDRSTRLEN];

	if (!vi->n_peers)
		return;
	fputs("\tunicast_peer {\n", f);
	for (unsigned k = 0; k < vi->n_peers; k++) {
		const struct vc_peer *p = &vi->peers[k];

		fprintf(f, "\t\t%s", inet_addr_str(&p->addr, buf, sizeof(buf)));
		if (p->min_ttl >= 0)
			fprintf(f, " min_ttl %d", p->min_ttl);
		if (p->max_ttl >= 0)
			fprintf(f, " max_ttl %d", p->max_ttl);
		fputc('\n', f);
	}
	fputs("\t}\n", f);
}

void vrrp_conf_dump_instance(FILE *f, const struct vc_instance *vi)
{
	static const char *const auth[] = { [VC_AUTH_PASS] = "PASS", [VC_AUTH_AH] = "AH" };

	fputs("vrrp_instance ", f);
	cfg_dump_word(f, vi->id.name);
	fprintf(f, " {\n\tstate %s\n", vi->state == VC_STATE_MASTER ? "MASTER" : "BACKUP");
	dump_word(f, "\t", "interface", vi->interface);
	if (vi->vrid)
		fprintf(f, "\tvirtual_router_id %u\n", vi->vrid);
	fprintf(f, "\tpriority %u\n\tadvert_int ", vi->priority);
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
	if (vi->auth_type != VC_AUTH_NONE || vi->auth_pass[0]) {
		fputs("\tauthentication {\n", f);
		if (vi->auth_type != VC_AUTH_NONE)
			fprintf(f, "\t\tauth_type %s\n", auth[vi->auth_type]);
		dump_word(f, "\t\t", "auth_pass", vi->auth_pass[0] ? vi->auth_pass : NULL);
		fputs("\t}\n", f);
	}
	dump_addr(f, "unicast_src_ip", &vi->unicast_src);
	dump_addr(f, "mcast_src_ip", &vi->mcast_src);
	dump_addr(f, "mcast_dst_ip", &vi->mcast_dst);
	dump_int(f, "unicast_ttl", vi->unicast_ttl);
	dump_peers(f, vi);
	if (vi->dont_track_primary)
		fputs("\tdont_track_primary\n", f);
	if (vi->no_vips)
		fputs("\tno_virtual_ipaddress\n", f);
	if (vi->accept)
		fputs("\taccept\n", f);
	dump_lines(f, "\t", "virtual_ipaddress", &vi->vips);
	dump_lines(f, "\t", "virtual_ipaddress_excluded", &vi->evips);
	dump_lines(f, "\t", "track_interface", &vi->track_if_lines);
	dump_lines(f, "\t", "track_script", &vi->track_script_lines);
	dump_cmd(f, "\t", "notify_master", &vi->notify_master);
	dump_cmd(f, "\t", "notify_backup", &vi->notify_backup);
	dump_cmd(f, "\t", "notify_fault", &vi->notify_fault);
	dump_cmd(f, "\t", "notify_stop", &vi->notify_stop);
	dump_cmd(f, "\t", "notify", &vi->notify);
	dump_cmd(f, "\t", "notify_master_rx_lower_pri", &vi->notify_master_rx_lower_pri);
	dump_secs(f, "garp_master_delay", vi->garp_master_delay_us);
	dump_int(f, "garp_master_repeat", vi->garp_master_repeat);
	dump_secs(f, "garp_master_refresh", vi->garp_master_refresh_us);
	dump_int(f, "garp_master_refresh_repeat", vi->garp_master_refresh_repeat);
	dump_secs(f, "garp_lower_prio_delay", vi->garp_lower_prio_delay_us);
	dump_int(f, "garp_lower_prio_repeat", vi->garp_lower_prio_repeat);
	dump_tristate(f, "skip_check_adv_addr", vi->skip_check_adv_addr);
	dump_tristate(f, "lower_prio_no_advert", vi->lower_prio_no_advert);
	dump_tristate(f, "higher_prio_send_advert", vi->higher_prio_send_advert);
	dump_tristate(f, "notify_priority_changes", vi->notify_priority_changes);
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
	dump_lines(f, "\t", "track_script", &g->track_script_lines);
	dump_cmd(f, "\t", "notify_master", &g->notify_master);
	dump_cmd(f, "\t", "notify_backup", &g->notify_backup);
	dump_cmd(f, "\t", "notify_fault", &g->notify_fault);
	dump_cmd(f, "\t", "notify_stop", &g->notify_stop);
	dump_cmd(f, "\t", "notify", &g->notify);
	fputs("}\n", f);
}

void vrrp_conf_dump(const void *conf, FILE *f)
{
	const struct vrrp_conf *vc = conf;

	dump_lines(f, "", "static_ipaddress", &vc->static_addrs);
	dump_lines(f, "", "static_routes", &vc->static_routes);
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
