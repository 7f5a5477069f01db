// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * keepalived/check/check_engine_ipvs.c: the engine's IPVS rules on ipvs.h layer 2, as
 * keepalived 2.2.7's ipvswrapper.c builds them: persistence only in service commands,
 * inhibit_on_failure turning deletes into weight 0, a group replayed on each entry with
 * per-entry alive counters. b == NULL: nothing is sent and every command succeeds.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "check_engine_int.h"
#include "log.h"
#include "utils.h"

#define SVC_F_PERSISTENT 0x0001		/* IP_VS_SVC_F_PERSISTENT */

const char *ce_proto_str(uint16_t p)
{
	return p == IPPROTO_TCP ? "tcp" : p == IPPROTO_UDP ? "udp" : p == IPPROTO_SCTP ? "sctp" :
	       p == 0 ? "none" : "?";
}

void ce_fmt_trio(const struct inet_addr *a, uint16_t proto, uint16_t port, char *buf,
		 size_t len)
{
	char as[INET6_ADDRSTRLEN];

	snprintf(buf, len, "[%s]:%s:%u", inet_addr_str(a, as, sizeof(as)), ce_proto_str(proto),
		 port);
}

/* --- IPVS rules: keepalived's ipvs_set_srule / ipvs_set_drule / ipvs_cmd --- */

static void svc_base(const struct ce_vs *vs, bool svc_cmd, struct ipvs_svc *s)
{
	const struct vs_conf *c = vs->cf;

	memset(s, 0, sizeof(*s));
	snprintf(s->sched_name, sizeof(s->sched_name), "%s", c->sched);
	s->af = c->af;
	s->flags = c->flags;
	s->protocol = c->protocol;
	s->netmask = s->af == AF_INET6 ? 128 : 0xffffffff;
	/* persistence (and its netmask and pe) only in service commands (ipvswrapper.c:504-513) */
	if (c->persistence_timeout_s && svc_cmd) {
		s->timeout_s = c->persistence_timeout_s;
		s->flags |= SVC_F_PERSISTENT;
		if (c->granularity && c->granularity != 0xffffffff)
			s->netmask = c->granularity;
		snprintf(s->pe_name, sizeof(s->pe_name), "%s", c->pe_name);
	}
}

static void set_addr(union ipvs_addr *u, const struct inet_addr *a)
{
	memset(u, 0, sizeof(*u));
	if (a->family == AF_INET6)
		u->v6 = a->v6;
	else
		u->v4 = a->v4;
}

static uint32_t fwd_method(enum lvs_method m)
{
	return m == LVS_DR ? 3 : m == LVS_TUN ? 2 : 0;
}

static void dest_base(const struct ce_rs *rs, struct ipvs_dest *d)
{
	const struct rs_conf *c = rs->cf;

	memset(d, 0, sizeof(*d));
	d->af = c->addr.family;
	set_addr(&d->addr, &c->addr);
	d->port = c->port;
	d->fwd_method = fwd_method(c->fwd.method);
	d->weight = ce_real_weight(rs->weight);
	d->tun_type = (uint8_t)c->fwd.tun_type;
	d->tun_port = c->fwd.tun_port;
	d->tun_flags = c->fwd.tun_flags;
	d->u_thresh = c->u_thresh;
	d->l_thresh = c->l_thresh;
}

static int send_svc(struct ce *e, enum ce_op op, const struct ipvs_svc *s)
{
	if (!e->b)
		return 0;
	return op == CE_OP_ADD ? ipvs_add_service(e->b, s) :
	       op == CE_OP_DEL ? ipvs_del_service(e->b, s) : ipvs_edit_service(e->b, s);
}

static int send_dest(struct ce *e, enum ce_op op, const struct ipvs_svc *s,
		     const struct ipvs_dest *d)
{
	if (!e->b)
		return 0;
	return op == CE_OP_ADD ? ipvs_add_dest(e->b, s, d, false) :
	       op == CE_OP_DEL ? ipvs_del_dest(e->b, s, d) : ipvs_edit_dest(e->b, s, d);
}

/* one command on every address of a group's range entry (ipvs_group_range_cmd) */
static int range_cmd(struct ce *e, enum ce_op op, bool dest, struct ipvs_svc *s,
		     const struct ipvs_dest *d, const struct vsg_entry *ge)
{
	struct inet_addr a = ge->first;
	int r;

	s->af = ge->first.family;
	s->netmask = s->af == AF_INET6 ? 128 : 0xffffffff;
	s->port = ge->port;
	for (;;) {
		set_addr(&s->addr, &a);
		r = dest ? send_dest(e, op, s, d) : send_svc(e, op, s);
		if (r)
			return -1;
		if (a.family == AF_INET) {
			if (a.v4.s_addr == ge->last.v4.s_addr)
				break;
			a.v4.s_addr = htonl(ntohl(a.v4.s_addr) + 1);
		} else {
			/* keepalived steps the last 16 bits only */
			if (a.v6.s6_addr[14] == ge->last.v6.s6_addr[14] &&
			    a.v6.s6_addr[15] == ge->last.v6.s6_addr[15])
				break;
			uint16_t lo = (uint16_t)((a.v6.s6_addr[14] << 8 | a.v6.s6_addr[15]) + 1);
			a.v6.s6_addr[14] = (uint8_t)(lo >> 8);
			a.v6.s6_addr[15] = (uint8_t)lo;
		}
	}
	return 0;
}

static sa_family_t fwm_af(const struct ce_vs *vs, const struct vsg_entry *ge)
{
	if (ge->fwmark_af)
		return ge->fwmark_af;
	return vs->cf->af ? vs->cf->af : AF_INET;
}

unsigned *ce_gcount(const struct ce_vs *vs, unsigned idx)
{
	const struct vsg_entry *ge = &vs->cf->group->entries[idx];
	struct ce_gentry *g = &vs->gent[idx];
	uint16_t p = vs->cf->protocol;

	if (ge->is_fwmark)
		return &g->alive[fwm_af(vs, ge) == AF_INET6 ? CE_GK_FWM6 : CE_GK_FWM4];
	return &g->alive[p == IPPROTO_TCP ? CE_GK_TCP : p == IPPROTO_UDP ? CE_GK_UDP : CE_GK_SCTP];
}

/*
 * A group VS: the command on each address entry (every address of its range), then on
 * each fwmark entry; the per-entry alive counters let several VSs share the group's
 * services (ipvswrapper.c:390-487). svc_op: a service command; else rs's dest command.
 */
static int group_cmd(struct ce_vs *vs, enum ce_op op, struct ce_rs *rs, struct ipvs_svc *s,
		     struct ipvs_dest *d)
{
	const struct vsg_conf *g = vs->cf->group;
	struct ce *e = vs->e;

	if (!g || !vs->gent)
		return 0;
	for (int pass = 0; pass < 2; pass++) {
		for (unsigned i = 0; i < g->n_entries; i++) {
			const struct vsg_entry *ge = &g->entries[i];
			unsigned *cnt;
			bool needed;

			if (ge->is_fwmark != (pass == 1))
				continue;
			if (!rs && op == CE_OP_ADD && e->reload && vs->gent[i].reloaded)
				continue;
			cnt = ce_gcount(vs, i);
			if (!rs)
				needed = op == CE_OP_ADD ? !*cnt : op == CE_OP_DEL ? !*cnt : true;
			else
				needed = op == CE_OP_ADD ? !rs->alive : op == CE_OP_DEL ? rs->alive : true;
			if (!ge->is_fwmark) {
				if (rs)
					d->port = rs->cf->fwd.method != LVS_NAT ? ge->port : rs->cf->port;
				if (needed && range_cmd(e, op, rs != NULL, s, d, ge))
					return -1;
			} else {
				memset(&s->addr, 0, sizeof(s->addr));
				s->port = 0;
				s->fwmark = ge->fwmark;
				s->af = fwm_af(vs, ge);
				s->netmask = s->af == AF_INET6 ? 128 : 0xffffffff;
				if (rs)
					d->port = rs->cf->fwd.method != LVS_NAT ? 0 : rs->cf->port;
				if (needed && (rs ? send_dest(e, op, s, d) : send_svc(e, op, s)))
					return -1;
				s->fwmark = 0;
			}
			if (rs && op == CE_OP_ADD)
				(*cnt)++;
			else if (rs && op == CE_OP_DEL && *cnt)
				(*cnt)--;
		}
	}
	return 0;
}

static void svc_single(const struct ce_vs *vs, struct ipvs_svc *s)
{
	if (vs->cf->kind == VS_FWMARK) {
		s->fwmark = vs->cf->fwmark;
	} else {
		set_addr(&s->addr, &vs->cf->addr);
		s->port = vs->cf->port;
	}
}

int ce_svc_cmd(struct ce_vs *vs, enum ce_op op)
{
	struct ipvs_svc s;

	svc_base(vs, true, &s);
	if (vs->cf->kind == VS_GROUP)
		return group_cmd(vs, op, NULL, &s, NULL);
	svc_single(vs, &s);
	return send_svc(vs->e, op, &s);
}

int ce_dest_cmd(struct ce_vs *vs, struct ce_rs *rs, enum ce_op op)
{
	struct ipvs_svc s;
	struct ipvs_dest d;

	dest_base(rs, &d);
	/* inhibit_on_failure: a removal is weight 0, a re-add an edit (ipvswrapper.c:563-578) */
	if (op == CE_OP_DEL && rs->inhibit) {
		d.weight = 0;
		op = CE_OP_EDIT;
	} else if (op == CE_OP_ADD && rs->inhibit && rs->set) {
		op = CE_OP_EDIT;
	} else if (op == CE_OP_ADD && !rs->set) {
		rs->set = true;
		if (rs->inhibit && rs->n_failed)
			d.weight = 0;
	} else if (op == CE_OP_DEL && rs->set) {
		rs->set = false;
	}
	svc_base(vs, false, &s);
	if (vs->cf->kind == VS_GROUP)
		return group_cmd(vs, op, rs, &s, &d);
	svc_single(vs, &s);
	if (rs->cf->fwd.method != LVS_NAT)
		d.port = s.port;
	return send_dest(vs->e, op, &s, &d);
}

void ce_group_sync(struct ce_vs *vs)
{
	const struct vsg_conf *g = vs->cf->group;

	for (int pass = 0; pass < 2; pass++) {
		for (unsigned i = 0; i < g->n_entries; i++) {
			const struct vsg_entry *ge = &g->entries[i];
			char a[CK_RS_STR_LEN], b[INET6_ADDRSTRLEN];
			struct ipvs_svc s;

			if (ge->is_fwmark != (pass == 1) || vs->gent[i].reloaded)
				continue;
			if (ge->is_fwmark) {
				log_info("VS [FWM %u] added into group %s", ge->fwmark, g->name);
			} else {
				ce_fmt_trio(&ge->first, vs->cf->protocol, ge->port, a, sizeof(a));
				if (inet_addr_eq(&ge->first, &ge->last))
					log_info("VS [%s] added into group %s", a, g->name);
				else
					log_info("VS [%s-%s] added into group %s", a,
						 inet_addr_str(&ge->last, b, sizeof(b)), g->name);
			}
			/* the carried-over servers go into the new entry's services */
			svc_base(vs, false, &s);
			for (unsigned j = 0; j < vs->n_rs; j++) {
				struct ce_rs *rs = &vs->rs[j];
				struct ipvs_dest d;

				if (!rs->reloaded || !(rs->alive || (rs->inhibit && rs->set)))
					continue;
				dest_base(rs, &d);
				d.weight = rs->inhibit && !rs->alive ? 0 : ce_real_weight(rs->weight);
				if (ge->is_fwmark) {
					s.fwmark = ge->fwmark;
					s.af = fwm_af(vs, ge);
					s.netmask = s.af == AF_INET6 ? 128 : 0xffffffff;
					send_dest(vs->e, CE_OP_ADD, &s, &d);
				} else {
					range_cmd(vs->e, CE_OP_ADD, true, &s, &d, ge);
				}
			}
		}
	}
}

void ce_group_entry_del(struct ce_vs *vs, unsigned idx)
{
	const struct vsg_entry *ge = &vs->cf->group->entries[idx];
	unsigned *cnt = ce_gcount(vs, idx);
	struct ipvs_svc s;

	svc_base(vs, false, &s);
	if (ge->is_fwmark) {
		s.fwmark = ge->fwmark;
		s.af = fwm_af(vs, ge);
		s.netmask = s.af == AF_INET6 ? 128 : 0xffffffff;
	}
	if (vs->e->h.flush_on_stop == 0) {
		for (unsigned i = 0; i < vs->n_rs; i++) {
			struct ce_rs *rs = &vs->rs[i];
			struct ipvs_dest d;

			if (!rs->alive)
				continue;
			dest_base(rs, &d);
			if (rs->cf->fwd.method != LVS_NAT)
				d.port = ge->is_fwmark ? 0 : ge->port;
			if (ge->is_fwmark)
				send_dest(vs->e, CE_OP_DEL, &s, &d);
			else
				range_cmd(vs->e, CE_OP_DEL, true, &s, &d, ge);
			/* counted down (2.2.7 did not, and kept the entry's service: a fix) */
			if (*cnt)
				(*cnt)--;
		}
	}
	if (*cnt)
		return;
	svc_base(vs, true, &s);
	if (ge->is_fwmark) {
		s.fwmark = ge->fwmark;
		s.af = fwm_af(vs, ge);
		s.netmask = s.af == AF_INET6 ? 128 : 0xffffffff;
		send_svc(vs->e, CE_OP_DEL, &s);
	} else {
		range_cmd(vs->e, CE_OP_DEL, false, &s, NULL, ge);
	}
}
