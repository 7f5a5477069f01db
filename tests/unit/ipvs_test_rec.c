// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tests/unit/ipvs_test_rec.c: a recording IPVS backend for test_check_engine: each
 * command becomes one text line of the test's timeline (ipvs_rec.c records JSON to a
 * file; the engine's tests want the commands in order with the log lines).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "ipvs_test_rec.h"

static void addr_str(uint16_t af, const union ipvs_addr *a, uint16_t port, char *buf, size_t len)
{
	char s[INET6_ADDRSTRLEN];

	inet_ntop(af == AF_INET6 ? AF_INET6 : AF_INET, a, s, sizeof(s));
	if (af == AF_INET6)
		snprintf(buf, len, "[%s]:%u", s, port);
	else
		snprintf(buf, len, "%s:%u", s, port);
}

static int record(struct trec *r, enum ipvs_cmd c, const struct ipvs_svc *s,
		  const struct ipvs_dest *d)
{
	char line[256], sv[64], ds[64];
	int err;

	if (s->fwmark)
		snprintf(sv, sizeof(sv), "fwm%u%s", s->fwmark, s->af == AF_INET6 ? "/6" : "");
	else
		addr_str(s->af, &s->addr, s->port, sv, sizeof(sv));
	if (!s->fwmark && s->protocol != IPPROTO_TCP)	/* tcp: no suffix */
		strcat(sv, s->protocol == IPPROTO_UDP ? "/udp" : "/sctp");
	if (d) {
		addr_str(d->af, &d->addr, d->port, ds, sizeof(ds));
		snprintf(line, sizeof(line), "%s %s %s -> %s w%d", ipvs_cmd_name(c), sv,
			 s->sched_name, ds, d->weight);
		r->last_dest = *d;
	} else {
		snprintf(line, sizeof(line), "%s %s %s", ipvs_cmd_name(c), sv, s->sched_name);
	}
	r->last_svc = *s;
	r->n++;
	if (r->on_cmd)
		r->on_cmd(r->arg, line);
	err = r->fail_err[c];
	r->fail_err[c] = 0;
	return err;
}

static int rec_svc(struct ipvs_backend *b, enum ipvs_cmd c, const struct ipvs_svc *s)
{
	return record((struct trec *)b, c, s, NULL);
}

static int rec_dest(struct ipvs_backend *b, enum ipvs_cmd c, const struct ipvs_svc *s,
		    const struct ipvs_dest *d)
{
	return record((struct trec *)b, c, s, d);
}

static int rec_flush(struct ipvs_backend *b)
{
	struct trec *r = (struct trec *)b;

	r->n++;
	if (r->on_cmd)
		r->on_cmd(r->arg, "FLUSH");
	return 0;
}

void trec_init(struct trec *r, void (*on_cmd)(void *arg, const char *line), void *arg)
{
	memset(r, 0, sizeof(*r));
	r->b.svc = rec_svc;
	r->b.dest = rec_dest;
	r->b.flush = rec_flush;
	r->on_cmd = on_cmd;
	r->arg = arg;
}
