// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * keepalived/vrrp/vrrp_json.c: keepalived.json (--signum=JSON), keepalived 2.2.7's
 * document: an array with one {"data": {...}, "stats": {...}} object per instance, on
 * one line, with its member names, order and number formats (keepalived-exporter's
 * --ka.json mode reads "data" and "stats").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/global_defs.h"
#include "vrrp_ctx.h"
#include "vrrp_dump.h"
#include "vrrp_eff.h"
#include "vrrp_sync.h"
#include "vrrp_status.h"
#include "vrrp_track.h"

/* a JSON string as 2.2.7's writer escapes it (it escapes '/' too) */
static void jstr(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"': fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '/': fputs("\\/", f); break;
		case '\b': fputs("\\b", f); break;
		case '\f': fputs("\\f", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		case '\t': fputs("\\t", f); break;
		default:
			if (*p < 0x20)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

static void jname(FILE *f, const char *name)
{
	fputc(',', f);
	jstr(f, name);
	fputc(':', f);
}

static void juint(FILE *f, const char *name, unsigned long long v)
{
	jname(f, name);
	fprintf(f, "%llu", v);
}

static void jbool(FILE *f, const char *name, bool v)
{
	jname(f, name);
	fputs(v ? "true" : "false", f);
}

static void jfield(FILE *f, const char *name, const char *v)
{
	jname(f, name);
	jstr(f, v);
}

/* a notify command as keepalived's cmd_str(), as a string member */
static void jcmd(FILE *f, const char *name, const struct process_cmd *c)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m;

	if (!c || !(m = open_memstream(&buf, &len)))
		return;
	vrrp_dump_cmd(m, c, NULL);
	fclose(m);
	jfield(f, name, buf);
	free(buf);
}

static void jaddrs(FILE *f, const char *name, const struct vrrp_inst *vi, unsigned from,
		   unsigned to)
{
	char b[256];

	if (from >= to)
		return;
	jname(f, name);
	fputc('[', f);
	for (unsigned i = from; i < to; i++) {
		if (i > from)
			fputc(',', f);
		jstr(f, vrrp_dump_vip(vi, i, b, sizeof(b)));
	}
	fputc(']', f);
}

static bool smtp_on(const struct vrrp_ctx *ctx, int own)
{
	struct gd_vrrp_notify g;

	if (own >= 0)
		return own > 0;
	global_defs_vrrp_notify(ctx->cmds.gd, &g);
	return g.smtp_alert > 0;
}

static void dump_data(const struct vrrp_ctx *ctx, const struct vrrp_inst *vi, FILE *f)
{
	const struct vc_instance *c = vi->conf;
	const struct vc_more *m = vc_more(c);
	unsigned n_vips = c->n_vips < vi->n_all_vips ? c->n_vips : vi->n_all_vips;
	bool any = false;
	struct vrrp_eff e;

	vrrp_eff_compute(c, &ctx->gd, &e);
	fputs("{\"iname\":", f);
	jstr(f, vi->name);
	juint(f, "dont_track_primary", c->dont_track_primary);
	juint(f, "skip_check_adv_addr", vi->skip_check_adv_addr);
	juint(f, "strict_mode", e.strict);
	jfield(f, "vmac_ifname", vi->vmac_base ? vi->ifname : "");
	if (vi->ifname[0])
		jfield(f, "ifp_ifname", vi->ifname);
	juint(f, "master_priority", vi->fsm.state == VRRP_STATE_BACKUP ? vi->st_master_prio : 0);
	jname(f, "last_transition");
	fprintf(f, "%llu.%06llu", (unsigned long long)(vrrp_status_since_realtime_us(vi) / 1000000),
		(unsigned long long)(vrrp_status_since_realtime_us(vi) % 1000000));
	jname(f, "garp_delay");
	fprintf(f, "%g", (double)e.garp.master_delay_us / 1e6);
	juint(f, "garp_refresh", e.garp.master_refresh_us / 1000000);
	juint(f, "garp_rep", e.garp.master_repeat);
	juint(f, "garp_refresh_rep", e.garp.master_refresh_repeat);
	juint(f, "garp_lower_prio_delay", e.garp.lower_prio_delay_us / 1000000);
	juint(f, "garp_lower_prio_rep", e.garp.lower_prio_repeat);
	juint(f, "lower_prio_no_advert", vi->fc.lower_prio_no_advert);
	juint(f, "higher_prio_send_advert", vi->fc.higher_prio_send_advert);
	juint(f, "vrid", c->vrid);
	juint(f, "base_priority", vi->fc.priority);
	juint(f, "effective_priority", vi->fsm.eff_prio);
	jbool(f, "vipset", vi->vips_set);
	jbool(f, "promote_secondaries", m->promote_secondaries);
	jname(f, "adver_int");
	fprintf(f, "%g", vi->fc.adver_int_cs / 100.0);
	jname(f, "master_adver_int");
	fprintf(f, "%g", (vi->fsm.master_adver_int_cs ? vi->fsm.master_adver_int_cs :
			  vi->fc.adver_int_cs) / 100.0);
	juint(f, "accept", e.accept);
	jbool(f, "nopreempt", !vi->fc.preempt);
	juint(f, "preempt_delay", vi->fc.preempt_delay_us / 1000000);
	juint(f, "state", vi->fsm.state);
	juint(f, "wantstate", vi->sync_want_master ? VRRP_STATE_MASTER : vi->fsm.state);
	juint(f, "version", vi->version);
	jbool(f, "smtp_alert", smtp_on(ctx, m->smtp_alert));
	jbool(f, "notify_deleted", m->notify_deleted_set);
	if (vi->notify_cmd) {
		jcmd(f, "script_backup", vi->notify_cmd[VC_NOTIFY_BACKUP]);
		jcmd(f, "script_master", vi->notify_cmd[VC_NOTIFY_MASTER]);
		jcmd(f, "script_fault", vi->notify_cmd[VC_NOTIFY_FAULT]);
		jcmd(f, "script_stop", vi->notify_cmd[VC_NOTIFY_STOP]);
		jcmd(f, "script_deleted", vi->notify_cmd[VC_NOTIFY_DELETED]);
		jcmd(f, "script", vi->notify_cmd[VC_NOTIFY_ANY]);
		jcmd(f, "script_master_rx_lower_pri", vi->notify_cmd[VC_NOTIFY_RX_LOWER]);
	}
	jaddrs(f, "vips", vi, 0, n_vips);
	jaddrs(f, "evips", vi, n_vips, vi->n_all_vips);
	if (m->n_track_ifs) {
		jname(f, "track_ifp");
		fputc('[', f);
		for (unsigned i = 0; i < m->n_track_ifs; i++) {
			if (i)
				fputc(',', f);
			jstr(f, m->track_ifs[i].name);
		}
		fputc(']', f);
	}
	/* 2.2.7 lists each tracked script by its command */
	for (unsigned i = 0; i < m->n_track_scripts; i++) {
		const struct vc_track_script *ts = &m->track_scripts[i];
		const struct vc_script *s = ts->script >= 0 ? ctx->conf->scripts[ts->script] : NULL;
		const struct vrrp_script_rt *rt = NULL;
		char *buf = NULL;
		size_t len = 0;
		FILE *mf;

		if (!s || vrrp_sync_member_script_dropped(vi, ts->has_weight ? ts->weight :
							  s->weight))
			continue;
		for (unsigned k = 0; k < ctx->n_scripts; k++)
			if (ctx->scripts[k]->conf == s)
				rt = ctx->scripts[k];
		if (!(mf = open_memstream(&buf, &len)))
			continue;
		vrrp_dump_cmd(mf, rt ? rt->cmd : NULL, s->script);
		fclose(mf);
		if (!any) {
			jname(f, "track_script");
			fputc('[', f);
		} else {
			fputc(',', f);
		}
		any = true;
		jstr(f, buf);
		free(buf);
	}
	if (any)
		fputc(']', f);
	juint(f, "auth_type", e.auth == VRRP_AUTH_AH ? 2 : e.auth == VRRP_AUTH_PASS ? 1 : 0);
	if (e.auth == VRRP_AUTH_PASS)
		jfield(f, "auth_data", m->auth_pass);
	fputc('}', f);
}

static void dump_stats(const struct vrrp_inst *vi, FILE *f)
{
	struct vrrp_dump_counters c;

	vrrp_dump_counters(vi, &c);
	fprintf(f, "{\"advert_rcvd\":%llu", c.advert_rcvd);
	juint(f, "advert_sent", c.advert_sent);
	juint(f, "become_master", c.become_master);
	juint(f, "release_master", c.release_master);
	juint(f, "packet_len_err", c.packet_len_err);
	juint(f, "advert_interval_err", c.advert_interval_err);
	juint(f, "ip_ttl_err", c.ip_ttl_err);
	juint(f, "invalid_type_rcvd", c.invalid_type_rcvd);
	juint(f, "addr_list_err", c.addr_list_err);
	juint(f, "invalid_authtype", c.invalid_authtype);
	juint(f, "authtype_mismatch", c.authtype_mismatch);
	juint(f, "auth_failure", c.auth_failure);
	juint(f, "pri_zero_rcvd", c.pri_zero_rcvd);
	juint(f, "pri_zero_sent", c.pri_zero_sent);
	fputc('}', f);
}

void vrrp_ctx_dump_json(const struct vrrp_ctx *ctx, FILE *f)
{
	fputc('[', f);
	for (unsigned i = 0; i < ctx->n_insts; i++) {
		fputs(i ? ",{\"data\":" : "{\"data\":", f);
		dump_data(ctx, ctx->insts[i], f);
		fputs(",\"stats\":", f);
		dump_stats(ctx->insts[i], f);
		fputc('}', f);
	}
	fputs("]\n", f);
}
