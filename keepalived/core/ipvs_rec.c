/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * keepalived/core/ipvs_rec.c: the recording IPVS backend. Each command is one JSON line
 * (flushed); the table the kernel would hold is kept beside it, answering as the kernel
 * does (EEXIST, ESRCH, ENOENT), and printed like `ipvsadm -Ln`. Unit tests use it, and the
 * daemon on a kernel without ip_vs when KEEPALIVED_IPVS_RECORD names a file.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <linux/ip_vs.h>

#include "ipvs.h"

struct rec_svc {
	struct ipvs_svc s;
	struct ipvs_dest *dests;
	unsigned n_dests, cap_dests;
};

struct rec_be {
	struct ipvs_backend b;		/* first */
	FILE *out;
	int fail[IPVS_C__COUNT];	/* the next command of that type fails with -fail */
	struct rec_svc *svcs;
	unsigned n_svcs, cap_svcs;
	struct ipvs_timeouts tout;
	struct ipvs_daemon daemon[2];	/* [0] master, [1] backup */
	bool daemon_on[2];
	unsigned delay_us;		/* tests: each command takes this much longer */
};

static struct rec_be *of(struct ipvs_backend *b)
{
	return (struct rec_be *)b;
}

/* --- JSON --- */

static void json_str(FILE *f, const char *s, size_t max)
{
	fputc('"', f);
	for (size_t i = 0; i < max && s[i]; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch < 0x20 || ch >= 0x7f)
			fprintf(f, "\\u%04x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

static void addr_text(uint16_t af, const union ipvs_addr *a, char *buf, size_t len)
{
	if (!inet_ntop(af == AF_INET6 ? AF_INET6 : AF_INET, a, buf, (socklen_t)len))
		snprintf(buf, len, "?");
}

static void json_svc(FILE *f, const struct ipvs_svc *s)
{
	char a[INET6_ADDRSTRLEN];

	addr_text(s->af, &s->addr, a, sizeof(a));
	fprintf(f, "{\"af\":%u,\"protocol\":%u,\"addr\":\"%s\",\"port\":%u,\"fwmark\":%" PRIu32
		",\"sched_name\":", s->af, s->protocol, a, s->port, s->fwmark);
	json_str(f, s->sched_name, sizeof(s->sched_name));
	fputs(",\"pe_name\":", f);
	json_str(f, s->pe_name, sizeof(s->pe_name));
	fprintf(f, ",\"flags\":%" PRIu32 ",\"timeout_s\":%" PRIu32 ",\"netmask\":%" PRIu32 "}",
		s->flags, s->timeout_s, s->netmask);
}

static void json_dest(FILE *f, const struct ipvs_dest *d)
{
	char a[INET6_ADDRSTRLEN];

	addr_text(d->af, &d->addr, a, sizeof(a));
	fprintf(f, "{\"af\":%u,\"addr\":\"%s\",\"port\":%u,\"fwd_method\":%" PRIu32
		",\"weight\":%" PRId32 ",\"tun_type\":%u,\"tun_port\":%u,\"tun_flags\":%u"
		",\"u_thresh\":%" PRIu32 ",\"l_thresh\":%" PRIu32 "}",
		d->af, a, d->port, d->fwd_method, d->weight, d->tun_type, d->tun_port, d->tun_flags,
		d->u_thresh, d->l_thresh);
}

static void json_daemon(FILE *f, const struct ipvs_daemon *d)
{
	char a[INET6_ADDRSTRLEN] = "";

	if (d->mcast_af)
		addr_text(d->mcast_af, &d->mcast_group, a, sizeof(a));
	fprintf(f, "{\"state\":%d,\"mcast_ifn\":", d->state);
	json_str(f, d->mcast_ifn, sizeof(d->mcast_ifn));
	fprintf(f, ",\"syncid\":%d,\"sync_maxlen\":%u,\"mcast_port\":%u,\"mcast_ttl\":%u"
		",\"mcast_af\":%u,\"mcast_group\":\"%s\"}", d->syncid, d->sync_maxlen, d->mcast_port,
		d->mcast_ttl, d->mcast_af, a);
}

static void json_timeouts(FILE *f, const struct ipvs_timeouts *t)
{
	fprintf(f, "{\"tcp_s\":%" PRIu32 ",\"tcpfin_s\":%" PRIu32 ",\"udp_s\":%" PRIu32 "}",
		t->tcp_s, t->tcpfin_s, t->udp_s);
}

/* One line: {"cmd":...,"svc":...,"dest":...,"timeouts":...,"daemon":...[,"err":N]} */
static void record(struct rec_be *r, const char *cmd, const struct ipvs_svc *s,
		   const struct ipvs_dest *d, const struct ipvs_timeouts *t,
		   const struct ipvs_daemon *dm, int err)
{
	FILE *f = r->out;

	if (r->delay_us) {
		struct timespec ts = {
			.tv_sec = r->delay_us / 1000000,
			.tv_nsec = (long)(r->delay_us % 1000000) * 1000,
		};

		/* a signal cuts it short: sleep the rest (the scheduler's handlers only queue) */
		while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
			;
	}
	if (!f)
		return;
	fprintf(f, "{\"cmd\":\"%s\"", cmd);
	if (s) {
		fputs(",\"svc\":", f);
		json_svc(f, s);
	}
	if (d) {
		fputs(",\"dest\":", f);
		json_dest(f, d);
	}
	if (t) {
		fputs(",\"timeouts\":", f);
		json_timeouts(f, t);
	}
	if (dm) {
		fputs(",\"daemon\":", f);
		json_daemon(f, dm);
	}
	if (err)
		fprintf(f, ",\"err\":%d", err < 0 ? -err : err);
	fputs("}\n", f);
	fflush(f);
}

/* --- the table, as the kernel keeps it --- */

static bool same_svc(const struct ipvs_svc *a, const struct ipvs_svc *b)
{
	if (a->af != b->af || a->fwmark != b->fwmark)
		return false;
	if (a->fwmark)
		return true;
	return a->protocol == b->protocol && a->port == b->port &&
	       !memcmp(&a->addr, &b->addr, a->af == AF_INET6 ? 16 : 4);
}

static bool same_dest(const struct ipvs_dest *a, const struct ipvs_dest *b)
{
	return a->af == b->af && a->port == b->port &&
	       !memcmp(&a->addr, &b->addr, a->af == AF_INET6 ? 16 : 4);
}

static struct rec_svc *find_svc(struct rec_be *r, const struct ipvs_svc *s)
{
	for (unsigned i = 0; i < r->n_svcs; i++)
		if (same_svc(&r->svcs[i].s, s))
			return &r->svcs[i];
	return NULL;
}

static struct ipvs_dest *find_dest(struct rec_svc *rs, const struct ipvs_dest *d)
{
	for (unsigned i = 0; i < rs->n_dests; i++)
		if (same_dest(&rs->dests[i], d))
			return &rs->dests[i];
	return NULL;
}

static bool known_sched(const char *name)
{
	static const char *const scheds[] = {
		"rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh", "sed", "nq", "fo", "ovf",
		"mh",
	};

	for (size_t i = 0; i < sizeof(scheds) / sizeof(scheds[0]); i++)
		if (!strncmp(name, scheds[i], 16))
			return true;
	return false;
}

/* the kernel's answer to a service command, and its effect */
static int apply_svc(struct rec_be *r, enum ipvs_cmd c, const struct ipvs_svc *s)
{
	struct rec_svc *rs = find_svc(r, s);

	switch (c) {
	case IPVS_C_NEW_SERVICE:
		if (rs)
			return -EEXIST;
		if (!known_sched(s->sched_name) || (s->pe_name[0] && strncmp(s->pe_name, "sip", 16)))
			return -ENOENT;
		if (r->n_svcs == r->cap_svcs) {
			unsigned cap = r->cap_svcs ? 2 * r->cap_svcs : 8;
			struct rec_svc *n = realloc(r->svcs, cap * sizeof(*n));

			if (!n)
				return -ENOMEM;
			r->svcs = n;
			r->cap_svcs = cap;
		}
		r->svcs[r->n_svcs++] = (struct rec_svc){ .s = *s };
		return 0;
	case IPVS_C_SET_SERVICE:
		if (!rs)
			return -ESRCH;
		if (!known_sched(s->sched_name) || (s->pe_name[0] && strncmp(s->pe_name, "sip", 16)))
			return -ENOENT;
		rs->s = *s;
		return 0;
	case IPVS_C_DEL_SERVICE:
		if (!rs)
			return -ESRCH;
		free(rs->dests);
		*rs = r->svcs[--r->n_svcs];
		return 0;
	default:
		return -EINVAL;
	}
}

static int apply_dest(struct rec_be *r, enum ipvs_cmd c, const struct ipvs_svc *s,
		      const struct ipvs_dest *d)
{
	struct rec_svc *rs = find_svc(r, s);
	struct ipvs_dest *rd;

	if (!rs)
		return -ESRCH;
	rd = find_dest(rs, d);
	switch (c) {
	case IPVS_C_NEW_DEST:
		if (rd)
			return -EEXIST;
		if (d->weight < 0 || d->l_thresh > d->u_thresh)
			return -ERANGE;
		if (rs->n_dests == rs->cap_dests) {
			unsigned cap = rs->cap_dests ? 2 * rs->cap_dests : 4;
			struct ipvs_dest *n = realloc(rs->dests, cap * sizeof(*n));

			if (!n)
				return -ENOMEM;
			rs->dests = n;
			rs->cap_dests = cap;
		}
		rs->dests[rs->n_dests++] = *d;
		return 0;
	case IPVS_C_SET_DEST:
		if (d->weight < 0 || d->l_thresh > d->u_thresh)
			return -ERANGE;
		if (!rd)
			return -ENOENT;
		*rd = *d;
		return 0;
	case IPVS_C_DEL_DEST:
		if (!rd)
			return -ENOENT;
		*rd = rs->dests[--rs->n_dests];
		return 0;
	default:
		return -EINVAL;
	}
}

static void clear_table(struct rec_be *r)
{
	for (unsigned i = 0; i < r->n_svcs; i++)
		free(r->svcs[i].dests);
	r->n_svcs = 0;
}

/* an injected failure for c, once */
static int injected(struct rec_be *r, enum ipvs_cmd c)
{
	int err = r->fail[c];

	r->fail[c] = 0;
	return err ? -err : 0;
}

static int rec_svc(struct ipvs_backend *b, enum ipvs_cmd c, const struct ipvs_svc *s)
{
	struct rec_be *r = of(b);
	int err;

	if (c != IPVS_C_NEW_SERVICE && c != IPVS_C_SET_SERVICE && c != IPVS_C_DEL_SERVICE)
		return -EINVAL;
	if (!(err = injected(r, c)))
		err = apply_svc(r, c, s);
	record(r, ipvs_cmd_name(c), s, NULL, NULL, NULL, err);
	return err;
}

static int rec_dest(struct ipvs_backend *b, enum ipvs_cmd c, const struct ipvs_svc *s,
		    const struct ipvs_dest *d)
{
	struct rec_be *r = of(b);
	int err;

	if (c != IPVS_C_NEW_DEST && c != IPVS_C_SET_DEST && c != IPVS_C_DEL_DEST)
		return -EINVAL;
	if (!(err = injected(r, c)))
		err = apply_dest(r, c, s, d);
	record(r, ipvs_cmd_name(c), s, d, NULL, NULL, err);
	return err;
}

static int rec_flush(struct ipvs_backend *b)
{
	struct rec_be *r = of(b);
	int err = injected(r, IPVS_C_FLUSH);

	if (!err)
		clear_table(r);
	record(r, "FLUSH", NULL, NULL, NULL, NULL, err);
	return err;
}

static int rec_get_timeouts(struct ipvs_backend *b, struct ipvs_timeouts *out)
{
	struct rec_be *r = of(b);
	int err = 0;

	if (!err)
		*out = r->tout;
	record(r, "GET_CONFIG", NULL, NULL, NULL, NULL, err);
	return err;
}

static int rec_set_timeouts(struct ipvs_backend *b, const struct ipvs_timeouts *t)
{
	struct rec_be *r = of(b);
	int err = injected(r, IPVS_C_SET_CONFIG);

	if (!err) {
		/* the kernel leaves a 0 as it is */
		if (t->tcp_s)
			r->tout.tcp_s = t->tcp_s;
		if (t->tcpfin_s)
			r->tout.tcpfin_s = t->tcpfin_s;
		if (t->udp_s)
			r->tout.udp_s = t->udp_s;
	}
	record(r, "SET_CONFIG", NULL, NULL, t, NULL, err);
	return err;
}

static int rec_daemon(struct ipvs_backend *b, enum ipvs_cmd c, const struct ipvs_daemon *d)
{
	struct rec_be *r = of(b);
	int err, i = d->state == IP_VS_STATE_BACKUP ? 1 : 0;

	if (c != IPVS_C_NEW_DAEMON && c != IPVS_C_DEL_DAEMON)
		return -EINVAL;
	if (!(err = injected(r, c))) {
		if (d->state != IP_VS_STATE_MASTER && d->state != IP_VS_STATE_BACKUP)
			err = -EINVAL;
		else if (c == IPVS_C_NEW_DAEMON && r->daemon_on[i])
			err = -EEXIST;
		else if (c == IPVS_C_DEL_DAEMON && !r->daemon_on[i])
			err = -ESRCH;
	}
	if (!err) {
		r->daemon_on[i] = c == IPVS_C_NEW_DAEMON;
		r->daemon[i] = *d;
	}
	record(r, ipvs_cmd_name(c), NULL, NULL, NULL, d, err);
	return err;
}

static void rec_close(struct ipvs_backend *b)
{
	struct rec_be *r = of(b);

	if (!r)
		return;
	clear_table(r);
	free(r->svcs);
	free(r);
}

struct ipvs_backend *ipvs_rec_open(FILE *out)
{
	struct rec_be *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->b = (struct ipvs_backend){
		.svc = rec_svc, .dest = rec_dest, .flush = rec_flush,
		.get_timeouts = rec_get_timeouts, .set_timeouts = rec_set_timeouts,
		.daemon = rec_daemon, .close = rec_close,
	};
	r->out = out;
	r->tout = (struct ipvs_timeouts){ 900, 120, 300 };	/* the kernel's defaults */
	return &r->b;
}

void ipvs_rec_fail(struct ipvs_backend *b, enum ipvs_cmd c, int err)
{
	struct rec_be *r = of(b);

	err = err < 0 ? -err : err;
	if ((unsigned)c < IPVS_C__COUNT)
		r->fail[c] = err;
}

/* --- ipvsadm -Ln --- */

/* ipvsadm's order (ipvs_cmp_services / ipvs_cmp_dests), its int arithmetic included */
static int cmp_addr(uint16_t af, const union ipvs_addr *a, const union ipvs_addr *b)
{
	int r = 0;

	if (af == AF_INET6) {
		for (int i = 0; !r && i < 4; i++) {
			uint32_t x, y;

			memcpy(&x, a->v6.s6_addr + 4 * i, 4);
			memcpy(&y, b->v6.s6_addr + 4 * i, 4);
			r = (int)(ntohl(x) - ntohl(y));
		}
		return r;
	}
	return (int)(ntohl(a->v4.s_addr) - ntohl(b->v4.s_addr));
}

static int cmp_svc(const void *pa, const void *pb)
{
	const struct ipvs_svc *a = &((const struct rec_svc *)pa)->s;
	const struct ipvs_svc *b = &((const struct rec_svc *)pb)->s;
	int r;

	if ((r = (int)(a->fwmark - b->fwmark)) || (r = a->af - b->af) ||
	    (r = a->protocol - b->protocol) || (r = cmp_addr(a->af, &a->addr, &b->addr)))
		return r;
	return a->port - b->port;
}

static int cmp_dest(const void *pa, const void *pb)
{
	const struct ipvs_dest *a = pa, *b = pb;
	int r;

	if ((r = a->af - b->af) || (r = cmp_addr(a->af, &a->addr, &b->addr)))
		return r;
	return a->port - b->port;
}

static const char *proto_name(uint16_t p)
{
	switch (p) {
	case IPPROTO_TCP: return "TCP";
	case IPPROTO_UDP: return "UDP";
	case IPPROTO_SCTP: return "SCTP";
	}
	return "UNKNOWN";
}

static const char *fwd_name(uint32_t f)
{
	switch (f & IP_VS_CONN_F_FWD_MASK) {
	case IP_VS_CONN_F_MASQ: return "Masq";
	case IP_VS_CONN_F_LOCALNODE: return "Local";
	case IP_VS_CONN_F_TUNNEL: return "Tunnel";
	case IP_VS_CONN_F_DROUTE: return "Route";
	}
	return "Unknown";
}

static void addr_port(uint16_t af, const union ipvs_addr *a, uint16_t port, char *buf, size_t len)
{
	char t[INET6_ADDRSTRLEN];

	addr_text(af, a, t, sizeof(t));
	snprintf(buf, len, af == AF_INET6 ? "[%s]:%u" : "%s:%u", t, port);
}

/* ipvsadm's scheduler flags: " (sh-fallback,sh-port)" */
static void sched_flags(FILE *f, const struct ipvs_svc *s)
{
	char buf[64] = "";

	if (!strncmp(s->sched_name, "sh", 16) || !strncmp(s->sched_name, "mh", 16)) {
		const char *p = s->sched_name[0] == 's' ? "sh" : "mh";

		if (s->flags & IP_VS_SVC_F_SCHED1)
			snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s-fallback,", p);
		if (s->flags & IP_VS_SVC_F_SCHED2)
			snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s-port,", p);
	} else {
		if (s->flags & IP_VS_SVC_F_SCHED1)
			strcat(buf, "flag-1,");
		if (s->flags & IP_VS_SVC_F_SCHED2)
			strcat(buf, "flag-2,");
	}
	if (s->flags & IP_VS_SVC_F_SCHED3)
		strcat(buf, "flag-3,");
	if (buf[0]) {
		buf[strlen(buf) - 1] = '\0';
		fprintf(f, " (%s)", buf);
	}
}

void ipvs_rec_dump_table(struct ipvs_backend *b, FILE *f)
{
	struct rec_be *r = of(b);
	char name[INET6_ADDRSTRLEN + 16];

	fputs("Prot LocalAddress:Port Scheduler Flags\n"
	      "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n", f);
	if (r->n_svcs)
		qsort(r->svcs, r->n_svcs, sizeof(*r->svcs), cmp_svc);
	for (unsigned i = 0; i < r->n_svcs; i++) {
		struct rec_svc *rs = &r->svcs[i];
		const struct ipvs_svc *s = &rs->s;

		if (s->fwmark) {
			fprintf(f, "FWM  %" PRIu32 " %s%.16s", s->fwmark, s->af == AF_INET6 ? "IPv6 " : "",
				s->sched_name);
		} else {
			addr_port(s->af, &s->addr, s->port, name, sizeof(name));
			fprintf(f, "%s  %s %.16s", proto_name(s->protocol), name, s->sched_name);
		}
		sched_flags(f, s);
		if (s->flags & IP_VS_SVC_F_PERSISTENT) {
			fprintf(f, " persistent %" PRIu32, s->timeout_s);
			if (s->af == AF_INET6 ? s->netmask != 128 : s->netmask != 0xffffffffU) {
				if (s->af == AF_INET6) {
					fprintf(f, " mask %" PRIu32, s->netmask);
				} else {
					struct in_addr m = { .s_addr = s->netmask };

					fprintf(f, " mask %s", inet_ntoa(m));
				}
			}
			if (s->pe_name[0])
				fprintf(f, " pe %.16s", s->pe_name);
		}
		if (s->flags & IP_VS_SVC_F_ONEPACKET)
			fputs(" ops", f);
		fputc('\n', f);
		if (rs->n_dests)
			qsort(rs->dests, rs->n_dests, sizeof(*rs->dests), cmp_dest);
		for (unsigned j = 0; j < rs->n_dests; j++) {
			const struct ipvs_dest *d = &rs->dests[j];

			addr_port(d->af, &d->addr, d->port, name, sizeof(name));
			fprintf(f, "  -> %-28s %-7s %-6d %-10u %-10u\n", name, fwd_name(d->fwd_method),
				d->weight, 0u, 0u);
		}
	}
}

void ipvs_rec_set_delay(struct ipvs_backend *b, unsigned delay_us)
{
	of(b)->delay_us = delay_us;
}
