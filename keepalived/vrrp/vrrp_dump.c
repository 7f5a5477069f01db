// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * keepalived/vrrp/vrrp_dump.c: SIGUSR1 / SIGUSR2 dumps of the VRRP runtime, in keepalived
 * 2.2.7's layout (what monitoring tools such as keepalived-exporter parse): after the
 * global definitions (core/dumpfile_gd.c) the data dump has VRRP Topology, VRRP
 * Sockpool, VRRP Sync groups, VRRP Scripts and the trackers; the stats dump one block
 * per instance, then each socket's counters (ours, after keepalived's part).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <sys/time.h>
#include <linux/if_addr.h>

#include "vrrp_ctx.h"
#include "vrrp_dump.h"
#include "vrrp_eff.h"
#include "vrrp_rt_words.h"
#include "vrrp_sock.h"
#include "vrrp_sync.h"
#include "vrrp_status.h"
#include "vrrp_track.h"
#include "vrrp_trackers.h"

static const char *tf(bool b)
{
	return b ? "true" : "false";
}

static uint64_t realtime_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

void vrrp_dump_transition(struct vrrp_inst *vi, enum vrrp_state prev, enum vrrp_state now)
{
	if (prev == VRRP_STATE_MASTER && (now == VRRP_STATE_BACKUP || now == VRRP_STATE_FAULT))
		vi->dump_n_released_master++;
}

/* "1796584092.058467 (Sun Dec  6 19:08:12.058467 2026)", as keepalived's ctime_us_r */
static void time_us(FILE *f, uint64_t us)
{
	time_t t = (time_t)(us / 1000000);
	char b[32];
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(b, sizeof(b), "%a %b %e %H:%M:%S", &tm);
	fprintf(f, "%lld.%06llu (%s.%06llu ", (long long)t, (unsigned long long)(us % 1000000), b,
		(unsigned long long)(us % 1000000));
	strftime(b, sizeof(b), "%Y", &tm);
	fprintf(f, "%s)\n", b);
}

static const char *scope_name(unsigned scope)
{
	for (const struct rt_name *n = rt_scope_names; n->name; n++)
		if (n->id == scope)
			return n->name;
	return "global";
}

const char *vrrp_dump_ipaddr(const struct vrrp_ipaddr *a, bool set, char *buf, size_t size)
{
	return vrrp_dump_ipaddr_on(a, NULL, set, buf, size);
}

const char *vrrp_dump_ipaddr_on(const struct vrrp_ipaddr *a, const char *base, bool set,
				char *buf, size_t size)
{
	char b[INET6_ADDRSTRLEN];
	bool v6 = a->addr.family == AF_INET6;
	size_t n;

	n = (size_t)snprintf(buf, size, "%s", inet_addr_str(&a->addr, b, sizeof(b)));
#define ADD(...) do { if (n < size) n += (size_t)snprintf(buf + n, size - n, __VA_ARGS__); } while (0)
	if (a->prefix_len != (v6 ? 128 : 32))
		ADD("/%u", a->prefix_len);
	if (!v6 && (a->flags & VRRP_IPADDR_F_BRD) && a->v4.broadcast.s_addr)
		ADD(" brd %s", inet_ntop(AF_INET, &a->v4.broadcast, b, sizeof(b)));
	ADD(" dev %s", a->ifname[0] ? a->ifname : "(null)");
	if (base)
		ADD("@%s", base);
	if (a->flags & VRRP_IPADDR_F_USE_VMAC)
		ADD(" use_vmac");
	ADD(" scope %s", scope_name(a->scope));
	if (!v6 && a->v4.label[0])
		ADD(" label %s", a->v4.label);
	if (a->flags & VRRP_IPADDR_F_PEER)
		ADD(" peer %s/%u", inet_ntop(a->addr.family, v6 ? (const void *)&a->v6.peer :
					       (const void *)&a->v4.peer, b, sizeof(b)), a->prefix_len);
	if (a->ifa_flags & IFA_F_HOMEADDRESS)
		ADD(" home");
	/* IPv6 addresses go without DAD unless "-nodad" said otherwise */
	if (v6 && !(a->ifa_flags & IFA_F_NODAD))
		ADD(" -nodad");
	if (a->ifa_flags & IFA_F_MANAGETEMPADDR)
		ADD(" mngtmpaddr");
	if (a->ifa_flags & IFA_F_NOPREFIXROUTE)
		ADD(" noprefixroute");
	if (a->ifa_flags & IFA_F_MCAUTOJOIN)
		ADD(" autojoin");
	if (a->flags & VRRP_IPADDR_F_NO_TRACK)
		ADD(" no_track");
	if (v6) {
		if (!a->preferred_lft_s)
			ADD(" deprecated");
		else if (a->preferred_lft_s == VRRP_IPADDR_LFT_FOREVER)
			ADD(" preferred_lft forever");
		else
			ADD(" preferred_lft %u", a->preferred_lft_s);
	}
	if (set)
		ADD(" set");
#undef ADD
	return buf;
}

const char *vrrp_dump_vip(const struct vrrp_inst *vi, unsigned i, char *buf, size_t size)
{
	const struct vrrp_ipaddr *a = &vi->all_vips[i];

	/* on a VMAC: "dev vrrp.51@eth0" */
	return vrrp_dump_ipaddr_on(a, vi->vmac_base && !strcmp(a->ifname, vi->ifname) ?
				   vi->vmac_base : NULL, vi->vips_set, buf, size);
}

/* keepalived's cmd_str(): each word in single quotes */
void vrrp_dump_cmd(FILE *f, const struct process_cmd *c, const char *fallback)
{
	if (!c || !c->argv) {
		fprintf(f, "'%s'", fallback ? fallback : "");
		return;
	}
	/* the first word as it runs: the resolved path, as 2.2.7 shows it */
	for (int i = 0; i < c->argc; i++) {
		const char *w = !i && c->path ? c->path : c->argv[i];
		bool redir = !i && (w[0] == '<' || w[0] == '>');

		fprintf(f, i ? " %s%s%s" : "%s%s%s", redir ? "" : "'", w, redir ? "" : "'");
	}
}

/* keepalived's Wantstate: where the instance is going (MASTER once its timer fired) */
static enum vrrp_state want_state(const struct vrrp_inst *vi)
{
	if (vi->sync_want_master)
		return VRRP_STATE_MASTER;
	return vi->fsm.state;
}

unsigned vrrp_dump_down_timer_us(const struct vrrp_inst *vi)
{
	uint64_t adv_us = (uint64_t)(vi->fsm.master_adver_int_cs ? vi->fsm.master_adver_int_cs :
				     vi->fc.adver_int_cs) * 10000;
	unsigned n = vi->fc.down_timer_adverts ? vi->fc.down_timer_adverts : 3;

	/* Skew_Time: (256 - Priority) / 256 s in VRRPv2 (RFC 3768), x the interval in v3 */
	return (unsigned)(n * adv_us + (256 - vi->fc.priority) *
			  (vi->version == 2 ? 1000000 : adv_us) / 256);
}

static const struct vrrp_sync_info *sync_of(const struct vrrp_inst *vi, struct vrrp_sync_info *si)
{
	if (!vi->sync)
		return NULL;
	vrrp_sync_info(vi->sync, si);
	return si;
}

/* an instance's or group's smtp_alert (-1: none of its own): smtp_alert_vrrp, smtp_alert */
static bool smtp_on(const struct vrrp_ctx *ctx, int own)
{
	struct gd_vrrp_notify g;

	if (own >= 0)
		return own > 0;
	global_defs_vrrp_notify(ctx->cmds.gd, &g);
	return g.smtp_alert > 0;
}

static void dump_notify(FILE *f, const struct vrrp_inst *vi, enum vc_notify k, const char *what)
{
	const struct process_cmd *c = vi->notify_cmd ? vi->notify_cmd[k] : NULL;

	if (!c)
		return;
	fprintf(f, "   %s state transition script = ", what);
	vrrp_dump_cmd(f, c, NULL);
	fprintf(f, ", uid:gid %u:%u\n", (unsigned)c->uid, (unsigned)c->gid);
}

static void dump_inst(const struct vrrp_ctx *ctx, const struct vrrp_inst *vi, FILE *f)
{
	const struct vc_instance *c = vi->conf;
	const struct vc_more *m = vc_more(c);
	struct vrrp_sync_info si;
	const struct vrrp_sync_info *sy = sync_of(vi, &si);
	bool backup = vi->fsm.state == VRRP_STATE_BACKUP, v3 = vi->version == 3;
	unsigned total = vi->fc.priority == 255 ? 255 : (unsigned)(vi->fc.priority + vi->weight_sum);
	char b[256];
	struct vrrp_eff e;

	vrrp_eff_compute(c, &ctx->gd, &e);
	fprintf(f, " VRRP Instance = %s\n", vi->name);
	fprintf(f, "   VRRP Version = %u\n", vi->version);
	if (sy)
		fprintf(f, "   Sync group = %s\n", sy->name);
	if (vi->family == AF_INET6)
		fputs("   Using Native IPv6\n", f);
	fprintf(f, "   State = %s\n", vrrp_state_str(vi->fsm.state));
	if (backup) {
		fprintf(f, "   Master router = %s\n", vi->st_master.family ?
			inet_addr_str(&vi->st_master, b, sizeof(b)) :
			(vi->family == AF_INET6 ? "::" : "0.0.0.0"));
		fprintf(f, "   Master priority = %u\n", vi->st_master_prio);
		if (v3)
			fprintf(f, "   Master advert int = %.2f sec\n",
				vi->fsm.master_adver_int_cs / 100.0);
	}
	/* 2.2.7 says "none" only when no flag of its own is set: these are its flags */
	if (e.unicast || c->unicast_fault_no_peer || vi->vmac_base || c->nopreempt ||
	    m->promote_secondaries || c->dont_track_primary || vi->skip_check_adv_addr ||
	    e.src.family || e.check_unicast_src || m->use_vmac_addr) {
		fputs("   Flags:\n", f);
		if (e.unicast)
			fputs("     Using unicast\n", f);
		if (c->unicast_fault_no_peer)
			fputs("     If unicast go to fault state if no peers\n", f);
	} else {
		fputs("   Flags: none\n", f);
	}
	fprintf(f, "   Wantstate = %s\n", vrrp_state_str(want_state(vi)));
	fprintf(f, "   Number of config faults = %u\n", vi->config_fault ? 1 : 0);
	fprintf(f, "   Number of interface and track script faults = %u\n", vi->n_faults);
	fprintf(f, "   Number of track scripts init = %u\n", vi->fault_scripts_only ? vi->n_faults : 0);
	fputs("   Last transition = ", f);
	time_us(f, vrrp_status_since_realtime_us(vi));
	/* the timer's deadline is the scheduler's: the dump shows when the instance next acts */
	if (!vi->ev_timer) {
		fputs("   Read timeout = DISABLED\n", f);
	} else {
		uint64_t left = vi->timer_is_down ? vrrp_dump_down_timer_us(vi) :
				(uint64_t)vi->fc.adver_int_cs * 10000;

		fputs("   Read timeout = ", f);
		time_us(f, realtime_us() + left);
	}
	fprintf(f, "   Master down timer = %u usecs\n", vrrp_dump_down_timer_us(vi));
	if (vi->vmac_base) {
		fprintf(f, "   Use VMAC, i/f name %s, is_up = %s, xmit_base = %s\n", vi->ifname,
			tf(vi->ifindex > 0), tf(vi->vmac_xmit_base));
		fprintf(f, "   Interface = %s, vmac on %s%s\n", vi->ifname, vi->vmac_base,
			vi->vmac_xmit_base ? ", xmit base i/f" : "");
	} else {
		fprintf(f, "   Interface = %s\n", vi->ifname[0] ? vi->ifname : "not configured");
	}
	if (c->dont_track_primary)
		fputs("   VRRP interface tracking disabled\n", f);
	if (vi->skip_check_adv_addr)
		fputs("   Skip checking advert IP addresses\n", f);
	if (e.strict)
		fputs("   Enforcing strict VRRP compliance\n", f);
	fprintf(f, "   Using src_ip = %s%s\n", vi->has_src ? inet_addr_str(&vi->src, b, sizeof(b)) :
		"(none)", e.src.family ? " (from configuration)" : "");
	if (!e.unicast) {
		struct inet_addr g = vrrp_inst_group(vi);

		if (g.family == AF_INET)
			fprintf(f, "   Multicast address %s\n", inet_addr_str(&g, b, sizeof(b)));
		else
			fprintf(f, "   Multicast address %s, ifindex %d\n",
				inet_addr_str(&g, b, sizeof(b)), vi->ifindex);
	}
	fprintf(f, "   Gratuitous ARP delay = %u\n", (unsigned)(e.garp.master_delay_us / 1000000));
	fprintf(f, "   Gratuitous ARP repeat = %u\n", e.garp.master_repeat);
	fprintf(f, "   Gratuitous ARP refresh = %u\n", (unsigned)(e.garp.master_refresh_us / 1000000));
	fprintf(f, "   Gratuitous ARP refresh repeat = %u\n", e.garp.master_refresh_repeat);
	fprintf(f, "   Gratuitous ARP lower priority delay = %u\n",
		(unsigned)(e.garp.lower_prio_delay_us / 1000000));
	fprintf(f, "   Gratuitous ARP lower priority repeat = %u\n", e.garp.lower_prio_repeat);
	fprintf(f, "   Down timer adverts = %u\n",
		vi->fc.down_timer_adverts ? vi->fc.down_timer_adverts : 3);
	fprintf(f, "   Send advert after receive lower priority advert = %s\n",
		tf(!vi->fc.lower_prio_no_advert));
	fprintf(f, "   Send advert after receive higher priority advert = %s\n",
		tf(vi->fc.higher_prio_send_advert));
	fprintf(f, "   Virtual Router ID = %u\n", c->vrid);
	fprintf(f, "   Priority = %u\n", vi->fc.priority);
	fprintf(f, "   Effective priority = %u\n", vi->fsm.eff_prio);
	fprintf(f, "   Total priority = %u\n", total);
	if (v3)
		fprintf(f, "   Advert interval = %u milli-sec\n", vi->fc.adver_int_cs * 10);
	else
		fprintf(f, "   Advert interval = %u sec\n", vi->fc.adver_int_cs / 100);
	if (backup && v3)
		fprintf(f, "   Master advert interval = %u milli-sec\n",
			vi->fsm.master_adver_int_cs * 10);
	fprintf(f, "   Accept = %s\n", e.accept ? "enabled" : "disabled");
	fprintf(f, "   Preempt = %s\n", vi->fc.preempt ? "enabled" : "disabled");
	if (vi->fc.preempt_delay_us)
		fprintf(f, "   Preempt delay = %g secs\n", (double)vi->fc.preempt_delay_us / 1e6);
	fprintf(f, "   Promote_secondaries = %s\n", m->promote_secondaries ? "enabled" : "disabled");
	if (e.auth == VRRP_AUTH_AH) {
		fputs("   Authentication type = IPSEC_AH\n", f);
	} else if (e.auth == VRRP_AUTH_PASS) {
		fputs("   Authentication type = SIMPLE_PASSWORD\n", f);
		fprintf(f, "   Password = %s\n", m->auth_pass);
	} else if (!v3) {
		fputs("   Authentication type = none\n", f);
	}
	if (m->kernel_rx_buf_size)
		fprintf(f, "   Kernel rx buffer size = %u\n", m->kernel_rx_buf_size);
	if (c->n_vips) {
		fprintf(f, "   Virtual IP (%u):\n", c->n_vips);
		for (unsigned i = 0; i < c->n_vips && i < vi->n_all_vips; i++)
			fprintf(f, "     %s\n", vrrp_dump_vip(vi, i, b, sizeof(b)));
	}
	if (c->n_evips) {
		fputs("   Virtual IP Excluded :\n", f);
		for (unsigned i = c->n_vips; i < vi->n_all_vips; i++)
			fprintf(f, "     %s\n", vrrp_dump_vip(vi, i, b, sizeof(b)));
	}
	if (e.unicast) {
		fprintf(f, "   Unicast TTL = %d\n", m->unicast_ttl >= 0 ? m->unicast_ttl : 255);
		fprintf(f, "   Check unicast src : %s\n", e.check_unicast_src ? "yes" : "no");
		fputs("   Unicast Peer :\n", f);
		for (unsigned i = 0; i < m->n_peers; i++)
			fprintf(f, "     %s min_ttl %d max_ttl %d\n",
				inet_addr_str(&m->peers[i].addr, b, sizeof(b)),
				m->peers[i].min_ttl < 0 ? 0 : m->peers[i].min_ttl,
				m->peers[i].max_ttl < 0 ? 255 : m->peers[i].max_ttl);
		fprintf(f, "   Unicast checksum compatibility = %s\n",
			m->old_unicast_csum == VC_OLD_CSUM_NEVER ? "never" :
			m->old_unicast_csum == VC_OLD_CSUM_ON ? "config" :
			vi->misc_old_csum ? "auto" : "no");
	}
	if (vi->ent)
		fprintf(f, "   fd_in %d, fd_out %d\n", vrrp_sock_fd(vi->ent->vs),
			vrrp_sock_fd(vi->ent->vs));
	else
		fputs("   No sockets allocated\n", f);
	if (m->n_track_ifs) {
		fputs("   Tracked interfaces :\n", f);
		for (unsigned i = 0; i < m->n_track_ifs; i++)
			if (!vrrp_track_if_ignored(vi->conf, &m->track_ifs[i]))
				fprintf(f, "     %s weight %d%s\n", m->track_ifs[i].name,
				vrrp_sync_member_if_weight(vi, m->track_ifs[i].weight),
				m->track_ifs[i].reverse ? " reverse" : "");
	}
	if (m->n_track_scripts) {
		bool any = false;

		for (unsigned i = 0; i < m->n_track_scripts; i++) {
			const struct vc_track_script *ts = &m->track_scripts[i];
			const struct vc_script *s = ts->script >= 0 ?
				ctx->conf->scripts[ts->script] : NULL;
			int w = ts->has_weight ? ts->weight : s ? s->weight : 0;

			/* a weighted script in a sync group is not tracked (2.2.7) */
			if (!s || vrrp_sync_member_script_dropped(vi, w))
				continue;
			if (!any)
				fputs("   Tracked scripts :\n", f);
			any = true;
			fprintf(f, "     %s weight %d%s\n", s->id.name, w,
				(ts->has_reverse ? ts->reverse : s->weight_reverse) ? " reverse" : "");
		}
	}
	vrrp_trackers_dump_inst(ctx, vi, f);
	fprintf(f, "   Using smtp notification = %s\n", smtp_on(ctx, m->smtp_alert) ? "yes" : "no");
	fprintf(f, "   Notify deleted = %s\n", m->notify_deleted_set ? "Deleted" : "Fault");
	dump_notify(f, vi, VC_NOTIFY_BACKUP, "Backup");
	dump_notify(f, vi, VC_NOTIFY_MASTER, "Master");
	dump_notify(f, vi, VC_NOTIFY_FAULT, "Fault");
	dump_notify(f, vi, VC_NOTIFY_STOP, "Stop");
	dump_notify(f, vi, VC_NOTIFY_DELETED, "Deleted");
	dump_notify(f, vi, VC_NOTIFY_ANY, "Generic");
	dump_notify(f, vi, VC_NOTIFY_RX_LOWER, "Master rx lower pri");
	fprintf(f, "   Notify priority changes = %s\n",
		tf(m->notify_priority_changes < 0 ? ctx->gd.notify_priority_changes :
		   m->notify_priority_changes));
}

static void dump_sockpool(const struct vrrp_ctx *ctx, FILE *f)
{
	if (!ctx->n_socks)
		return;
	fputs("------< VRRP Sockpool >------\n", f);
	for (unsigned i = 0; i < ctx->n_socks; i++) {
		const struct vrrp_sock_ent *se = ctx->socks[i];
		const struct vrrp_sock *vs = se->vs;
		bool unicast = false;
		char ifname[IF_NAMESIZE] = "", b[INET6_ADDRSTRLEN];
		struct inet_addr src = { 0 };

		for (unsigned v = 0; v < 256; v++)
			if (se->by_vrid[v] && se->by_vrid[v]->ent == se) {
				struct vrrp_eff e;

				vrrp_eff_compute(se->by_vrid[v]->conf, &ctx->gd, &e);
				unicast = e.unicast;
				if (se->by_vrid[v]->has_src)
					src = se->by_vrid[v]->src;
				break;
			}
		if (!if_indextoname((unsigned)vrrp_sock_ifindex(vs), ifname))
			snprintf(ifname, sizeof(ifname), "%s", "(unknown)");
		fprintf(f, " fd_in %d fd_out = %d\n", vrrp_sock_fd(vs), vrrp_sock_fd(vs));
		fprintf(f, "   Interface = %s\n", ifname);
		fprintf(f, "   Family = %s\n", vrrp_sock_family(vs) == AF_INET ? "IPv4" : "IPv6");
		fprintf(f, "   Protocol = %s\n", vrrp_sock_proto(vs) == 51 ? "AH" : "VRRP");
		fprintf(f, "   Type = %s\n", unicast ? "Unicast" : "Multicast");
		if (unicast && src.family)
			fprintf(f, "   Address = %s\n", inet_addr_str(&src, b, sizeof(b)));
		fprintf(f, "   Rx buf size = %d\n", 0);
		fputs("   VRRP instances\n", f);
		for (unsigned v = 0; v < 256; v++)
			if (se->by_vrid[v])
				fprintf(f, "     %s vrid %u\n", se->by_vrid[v]->name, v);
	}
}

static void dump_syncs(const struct vrrp_ctx *ctx, FILE *f)
{
	if (!ctx->n_syncs)
		return;
	fputs("------< VRRP Sync groups >------\n", f);
	for (unsigned i = 0; i < ctx->n_syncs; i++) {
		struct vrrp_sync_info si;
		unsigned n_fault = 0, n_init = 0;

		vrrp_sync_info(ctx->syncs[i], &si);
		for (unsigned k = 0; k < si.n; k++) {
			n_fault += si.members[k]->fsm.state == VRRP_STATE_FAULT;
			n_init += si.members[k]->fsm.state == VRRP_STATE_INIT;
		}
		fprintf(f, " VRRP Sync Group = %s, %s\n", si.name, vrrp_state_str(si.state));
		fprintf(f, "   Num member fault %u, num member init %u\n", n_fault, n_init);
		if (si.n) {
			fputs("   VRRP member instances :\n", f);
			for (unsigned k = 0; k < si.n; k++)
				fprintf(f, "     %s\n", si.members[k]->name);
		}
		if (si.conf && si.conf->tracking_weight)
			fputs("   sync group tracking weight set\n", f);
		fprintf(f, "   Using smtp notification = %s\n",
			smtp_on(ctx, si.conf ? si.conf->smtp_alert : -1) ? "yes" : "no");
	}
}

static bool script_tracked(const struct vrrp_ctx *ctx, const struct vc_script *s)
{
	for (unsigned k = 0; k < ctx->n_insts; k++) {
		const struct vrrp_inst *vi = ctx->insts[k];
		const struct vc_more *m = vc_more(vi->conf);

		for (unsigned t = 0; t < m->n_track_scripts; t++) {
			const struct vc_track_script *ts = &m->track_scripts[t];

			if (ts->script == (int)s->index &&
			    !vrrp_sync_member_script_dropped(vi, ts->has_weight ? ts->weight : s->weight))
				return true;
		}
	}
	return false;
}

/* keepalived 2.2.7's "Result": 0 .. rise + fall - 1, GOOD from rise on */
static void dump_scripts(const struct vrrp_ctx *ctx, FILE *f)
{
	bool head = false;

	for (unsigned i = 0; i < ctx->n_scripts; i++) {
		const struct vrrp_script_rt *rt = ctx->scripts[i];
		const struct vc_script *s = rt->conf;
		unsigned rise = s->rise ? s->rise : 1, fall = s->fall ? s->fall : 1;
		unsigned result = rt->ok ? rise + fall - 1 : 0;
		bool any = false;

		/* 2.2.7 removes a script no instance tracks ("Warning - script X is not used") */
		if (!script_tracked(ctx, s))
			continue;
		if (!head)
			fputs("------< VRRP Scripts >------\n", f);
		head = true;
		fprintf(f, " VRRP Script = %s\n", s->id.name);
		fputs("   Command = ", f);
		vrrp_dump_cmd(f, rt->cmd, s->script);
		fputc('\n', f);
		fprintf(f, "   Interval = %llu sec\n", (unsigned long long)(s->interval_us / 1000000));
		fprintf(f, "   Timeout = %llu sec\n", (unsigned long long)(s->timeout_us / 1000000));
		fprintf(f, "   Weight = %d%s\n", s->weight, s->weight_reverse ? " reverse" : "");
		fprintf(f, "   Rise = %u\n", rise);
		fprintf(f, "   Fall = %u\n", fall);
		fprintf(f, "   Result = %u\n", result);
		fprintf(f, "   Insecure = %s\n", rt->cmd && rt->cmd->is_insecure ? "yes" : "no");
		fprintf(f, "   Init state = %s\n", rt->known ? "unknown" : "INIT");
		fprintf(f, "   Status = %s\n", rt->ok ? "GOOD" : "BAD");
		fprintf(f, "   Script uid:gid = %u:%u\n", rt->cmd ? (unsigned)rt->cmd->uid : 0,
			rt->cmd ? (unsigned)rt->cmd->gid : 0);
		fputs("   VRRP instances :\n", f);
		for (unsigned k = 0; k < ctx->n_insts; k++) {
			const struct vrrp_inst *vi = ctx->insts[k];
			const struct vc_more *m = vc_more(vi->conf);

			for (unsigned t = 0; t < m->n_track_scripts; t++) {
				const struct vc_track_script *ts = &m->track_scripts[t];
				int w = ts->has_weight ? ts->weight : s->weight;

				if (ts->script != (int)s->index || vrrp_sync_member_script_dropped(vi, w))
					continue;
				if (!any)
					fputs("   Tracking instances :\n", f);
				any = true;
				fprintf(f, "     %s, weight %d%s\n", vi->name, w,
					(ts->has_reverse ? ts->reverse : s->weight_reverse) ?
					" reverse" : "");
			}
		}
		fprintf(f, "   State = %s\n", rt->run.pid > 0 ? "running" : "idle");
	}
}

/* keepalived's lines, where it counts these drops, then each reason counted by name. */
static unsigned long long sum(const uint64_t *d, const enum vrrp_drop *why, unsigned n)
{
	unsigned long long t = 0;

	for (unsigned i = 0; i < n; i++)
		t += d[why[i]];
	return t;
}

#define SUM(d, ...) sum(d, (const enum vrrp_drop[]){ __VA_ARGS__ }, \
			sizeof((const enum vrrp_drop[]){ __VA_ARGS__ }) / sizeof(enum vrrp_drop))

void vrrp_dump_counters(const struct vrrp_inst *vi, struct vrrp_dump_counters *out)
{
	static const uint64_t none[VRRP_DROP__COUNT];
	const uint64_t *d = vi->n_drop ? vi->n_drop : none;

	*out = (struct vrrp_dump_counters){
		.advert_rcvd = vi->n_adverts_rx,
		.advert_sent = vi->n_adverts_tx,
		.become_master = vi->n_became_master,
		.release_master = vi->dump_n_released_master,
		.packet_len_err = SUM(d, VRRP_DROP_IP_LEN, VRRP_DROP_SHORT, VRRP_DROP_SHORT_ADDRS,
				      VRRP_DROP_SHORT_AUTH, VRRP_DROP_LENGTH),
		.advert_interval_err = d[VRRP_DROP_ADVER_INT],
		.ip_ttl_err = d[VRRP_DROP_TTL],
		.invalid_type_rcvd = d[VRRP_DROP_TYPE],
		.addr_list_err = SUM(d, VRRP_DROP_ADDRS, VRRP_DROP_NADDR, VRRP_DROP_DST),
		/* 2.2.7 counts an unknown auth type here: ours are type mismatches */
		.invalid_authtype = 0,
		.authtype_mismatch = d[VRRP_DROP_AUTH_TYPE],
		.auth_failure = SUM(d, VRRP_DROP_AUTH, VRRP_DROP_AH_SPI, VRRP_DROP_AH_SEQ),
		.pri_zero_rcvd = vi->n_prio0_rx,
		.pri_zero_sent = vi->n_prio0_tx,
	};
}

static void dump_stats(const struct vrrp_inst *vi, FILE *f)
{
	struct vrrp_dump_counters c;

	vrrp_dump_counters(vi, &c);
	fprintf(f, "VRRP Instance: %s\n", vi->name);
	fprintf(f, "  Advertisements:\n    Received: %llu\n    Sent: %llu\n", c.advert_rcvd,
		c.advert_sent);
	fprintf(f, "  Became master: %llu\n", c.become_master);
	fprintf(f, "  Released master: %llu\n", c.release_master);
	fprintf(f, "  Packet Errors:\n");
	fprintf(f, "    Length: %llu\n", c.packet_len_err);
	fprintf(f, "    TTL: %llu\n", c.ip_ttl_err);
	fprintf(f, "    Invalid Type: %llu\n", c.invalid_type_rcvd);
	fprintf(f, "    Advertisement Interval: %llu\n", c.advert_interval_err);
	fprintf(f, "    Address List: %llu\n", c.addr_list_err);
	fprintf(f, "  Authentication Errors:\n");
	fprintf(f, "    Invalid Type: %llu\n", c.invalid_authtype);
	fprintf(f, "    Type Mismatch: %llu\n", c.authtype_mismatch);
	fprintf(f, "    Failure: %llu\n", c.auth_failure);
	fprintf(f, "  Priority Zero:\n    Received: %llu\n    Sent: %llu\n", c.pri_zero_rcvd,
		c.pri_zero_sent);
	if (!vi->n_drop)
		return;
	/* ours: every reason an advert was dropped for, by name (only once one was) */
	fprintf(f, "  Dropped:\n");
	for (int i = 1; i < VRRP_DROP__COUNT; i++)
		if (vi->n_drop[i])
			fprintf(f, "    %s: %llu\n", vrrp_drop_str(i),
				(unsigned long long)vi->n_drop[i]);
}

/* Per socket: every drop reason of the receive path, by name (ours, after 2.2.7's part). */
static void dump_sock(const struct vrrp_sock *vs, FILE *f)
{
	const struct vrrp_sock_stats *st = vrrp_sock_stats(vs);

	fprintf(f, "VRRP socket: ifindex %d, %s, protocol %d\n", vrrp_sock_ifindex(vs),
		vrrp_sock_family(vs) == AF_INET ? "IPv4" : "IPv6", vrrp_sock_proto(vs));
	fprintf(f, "  Received: %llu\n  Sent: %llu\n  Send errors: %llu\n",
		(unsigned long long)st->n_rx, (unsigned long long)st->n_tx,
		(unsigned long long)st->n_tx_err);
	for (int i = 1; i < VRRP_DROP__COUNT; i++)
		if (st->n_drop[i])
			fprintf(f, "  Dropped, %s: %llu\n", vrrp_drop_str(i),
				(unsigned long long)st->n_drop[i]);
}

static int by_index(const void *a, const void *b)
{
	const struct reflector_if *x = *(const struct reflector_if *const *)a;
	const struct reflector_if *y = *(const struct reflector_if *const *)b;

	return (x->ifindex > y->ifindex) - (x->ifindex < y->ifindex);
}

/* An interface's instances: those on it (weight 0; a VMAC's base too) and those tracking it. */
static void dump_if_tracking(const struct vrrp_ctx *ctx, const char *name, FILE *f)
{
	bool any = false;

	for (unsigned k = 0; k < ctx->n_insts; k++) {
		const struct vrrp_inst *vi = ctx->insts[k];
		const struct vc_more *m = vc_more(vi->conf);
		const char *base = vi->vmac_base ? vi->vmac_base : vi->ifname;

		for (int t = -1; t < (int)m->n_track_ifs; t++) {
			bool own = t < 0;

			if (own ? vi->conf->dont_track_primary ||
				  (strcmp(name, base) && strcmp(name, vi->ifname)) :
				  strcmp(m->track_ifs[t].name, name) || !strcmp(name, base))
				continue;
			if (!any)
				fputs("   Tracking VRRP instances :\n", f);
			any = true;
			fprintf(f, "     %s, weight %d%s\n", vi->name,
				own ? 0 : vrrp_sync_member_if_weight(vi, m->track_ifs[t].weight),
				!own && m->track_ifs[t].reverse ? " reverse" : "");
		}
	}
}

/* The VMAC an instance made on this interface, or NULL. */
static const struct vrrp_inst *vmac_of(const struct vrrp_ctx *ctx, const char *name)
{
	for (unsigned k = 0; k < ctx->n_insts; k++)
		if (ctx->insts[k]->vmac_base && !strcmp(ctx->insts[k]->ifname, name))
			return ctx->insts[k];
	return NULL;
}

/* Is a one of the instances' virtual addresses (2.2.7 does not show them as the i/f's)? */
static bool is_vip(const struct vrrp_ctx *ctx, const struct in_addr *a)
{
	for (unsigned k = 0; k < ctx->n_insts; k++)
		for (unsigned i = 0; i < ctx->insts[k]->n_all_vips; i++) {
			const struct inet_addr *v = &ctx->insts[k]->all_vips[i].addr;

			if (v->family == AF_INET && v->v4.s_addr == a->s_addr)
				return true;
		}
	return false;
}

/* interface_up_down_delays: the interface's up (or down) delay, 0 when none */
static uint64_t if_delay(const struct vrrp_ctx *ctx, const struct reflector_if *ifp, bool up)
{
	for (unsigned i = 0; i < ctx->conf->n_if_delays; i++)
		if (!strcmp(ctx->conf->if_delays[i].ifname, ifp->name))
			return up ? ctx->conf->if_delays[i].up_us : ctx->conf->if_delays[i].down_us;
	return 0;
}

/*
 * keepalived 2.2.7's "Interfaces" section, from the reflector's table: the lines it has
 * the facts for (2.2.7's own bookkeeping - debounce timers, saved ARP sysctls - is not
 * shown: keepalived(8) DUMPS).
 */
static void dump_ifs(const struct vrrp_ctx *ctx, FILE *f)
{
	size_t n = ctx->refl ? reflector_n_ifs(ctx->refl) : 0, k = 0;
	const struct reflector_if **ifs, *ifp = NULL;
	const struct vrrp_inst *vmac;
	char b[INET6_ADDRSTRLEN];

	if (!n)
		return;
	ifs = xcalloc(n, sizeof(*ifs));
	while (k < n && (ifp = reflector_if_next(ctx->refl, ifp)))
		ifs[k++] = ifp;
	qsort(ifs, k, sizeof(*ifs), by_index);
	fputs("------< Interfaces >------\n", f);
	for (size_t i = 0; i < k; i++) {
		ifp = ifs[i];
		fprintf(f, " Name = %s\n", ifp->name);
		fprintf(f, "   index = %d\n", ifp->ifindex);
		fprintf(f, "   IPv4 address = %s\n", ifp->has_src4 && !is_vip(ctx, &ifp->src4) ?
			inet_ntop(AF_INET, &ifp->src4, b, sizeof(b)) : "(none)");
		fprintf(f, "   IPv6 address = %s\n", ifp->has_src6 ?
			inet_ntop(AF_INET6, &ifp->src6, b, sizeof(b)) : "(none)");
		if (ifp->type == ARPHRD_ETHER && ifp->hwaddr_len == 6) {
			const uint8_t *h = ifp->hwaddr;

			fprintf(f, "   MAC = %02x:%02x:%02x:%02x:%02x:%02x\n", h[0], h[1], h[2], h[3],
				h[4], h[5]);
			fputs("   MAC broadcast = ff:ff:ff:ff:ff:ff\n", f);
		}
		fprintf(f, "   State = %s%s%s%s%s\n", ifp->flags & IFF_UP ? "UP" : "DOWN",
			ifp->flags & IFF_RUNNING ? ", RUNNING" : "",
			ifp->flags & IFF_BROADCAST ? "" : ", no broadcast",
			ifp->flags & IFF_LOOPBACK ? ", loopback" : "",
			ifp->flags & IFF_MULTICAST ? "" : ", no multicast");
		fprintf(f, "   Seen up = %d\n", ifp->is_up);
		fputs("   Delayed state change running = false\n", f);
		fprintf(f, "   Up debounce timer = %lluus\n", (unsigned long long)if_delay(ctx, ifp, true));
		fprintf(f, "   Down debounce timer = %lluus\n",
			(unsigned long long)if_delay(ctx, ifp, false));
		if ((vmac = vmac_of(ctx, ifp->name))) {
			const struct reflector_if *bi = reflector_if_by_name(ctx->refl, vmac->vmac_base);

			fprintf(f, "   VMAC type private, underlying interface = %s, state = %s%s\n",
				vmac->vmac_base, bi && (bi->flags & IFF_UP) ? "UP" : "DOWN",
				bi && (bi->flags & IFF_RUNNING) ? ", RUNNING" : "");
			fputs("   I/f created by keepalived\n", f);
		}
		fprintf(f, "   MTU = %u\n", ifp->mtu);
		fprintf(f, "   HW Type = %s\n", ifp->type == ARPHRD_ETHER ? "ETHERNET" :
			ifp->type == ARPHRD_LOOPBACK ? "LOOPBACK" : "UNKNOWN");
		fputs("   NIC netlink status update\n", f);
		dump_if_tracking(ctx, ifp->name, f);
	}
	free(ifs);
}

void vrrp_ctx_dump(const struct vrrp_ctx *ctx, FILE *f, bool stats)
{
	if (stats) {
		for (unsigned i = 0; i < ctx->n_insts; i++)
			dump_stats(ctx->insts[i], f);
		for (unsigned i = 0; i < ctx->n_socks; i++)
			dump_sock(ctx->socks[i]->vs, f);
		return;
	}
	if (ctx->conf->statics && ctx->conf->statics->n_addrs) {
		char b[256];

		fputs("------< Static Addresses >------\n", f);
		for (unsigned i = 0; i < ctx->conf->statics->n_addrs; i++)
			fprintf(f, "     %s\n", vrrp_dump_ipaddr(&ctx->conf->statics->addrs[i], true,
								b, sizeof(b)));
	}
	if (ctx->n_insts) {
		fputs("------< VRRP Topology >------\n", f);
		for (unsigned i = 0; i < ctx->n_insts; i++)
			dump_inst(ctx, ctx->insts[i], f);
	}
	dump_sockpool(ctx, f);
	dump_syncs(ctx, f);
	dump_scripts(ctx, f);
	vrrp_trackers_dump(ctx, f);	/* VRRP Track files, VRRP Track processes */
	dump_ifs(ctx, f);
}

void vrrp_ctx_stats_clear(struct vrrp_ctx *ctx)
{
	for (unsigned i = 0; i < ctx->n_insts; i++) {
		struct vrrp_inst *vi = ctx->insts[i];

		vi->n_adverts_rx = vi->n_adverts_tx = 0;
		vi->n_became_master = vi->n_prio0_rx = vi->n_prio0_tx = 0;
		vi->dump_n_released_master = 0;
		if (vi->n_drop)
			memset(vi->n_drop, 0, VRRP_DROP__COUNT * sizeof(*vi->n_drop));
	}
	for (unsigned i = 0; i < ctx->n_socks; i++)
		vrrp_sock_stats_clear(ctx->socks[i]->vs);
}
