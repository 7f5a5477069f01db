// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tests/unit/ipvs_test_rec.c: ipvs.h's layer 2 as plain pass-throughs and a recording
 * backend, for test_check_engine until the ipvs helper's ipvs_ops.c / ipvs_rec.c land
 * (then drop this file and link theirs: the engine only calls layer 2).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ipvs_test_rec.h"

static const char *const names[IPVS_C__COUNT] = {
	"NEW_SERVICE", "SET_SERVICE", "DEL_SERVICE", "NEW_DEST", "SET_DEST", "DEL_DEST",
	"FLUSH", "SET_CONFIG", "NEW_DAEMON", "DEL_DAEMON",
};

const char *ipvs_cmd_name(enum ipvs_cmd c)
{
	return c < IPVS_C__COUNT ? names[c] : "?";
}

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
	if (d) {
		addr_str(d->af, &d->addr, d->port, ds, sizeof(ds));
		snprintf(line, sizeof(line), "%s %s %s -> %s w%d", names[c], sv, s->sched_name, ds,
			 d->weight);
		r->last_dest = *d;
	} else {
		snprintf(line, sizeof(line), "%s %s %s", names[c], sv, s->sched_name);
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

/* layer 2: keepalived's error rules, without the log line */
int ipvs_add_service(struct ipvs_backend *b, const struct ipvs_svc *s)
{
	int r = b->svc(b, IPVS_C_NEW_SERVICE, s);

	return r == -EEXIST ? 0 : r;
}

int ipvs_edit_service(struct ipvs_backend *b, const struct ipvs_svc *s)
{
	return b->svc(b, IPVS_C_SET_SERVICE, s);
}

int ipvs_del_service(struct ipvs_backend *b, const struct ipvs_svc *s)
{
	int r = b->svc(b, IPVS_C_DEL_SERVICE, s);

	return r == -ENOENT ? 0 : r;
}

int ipvs_add_dest(struct ipvs_backend *b, const struct ipvs_svc *s, const struct ipvs_dest *d,
		  bool in_table)
{
	int r;

	if (in_table)
		return ipvs_edit_dest(b, s, d);
	r = b->dest(b, IPVS_C_NEW_DEST, s, d);
	return r == -EEXIST ? 0 : r;
}

int ipvs_edit_dest(struct ipvs_backend *b, const struct ipvs_svc *s, const struct ipvs_dest *d)
{
	int r = b->dest(b, IPVS_C_SET_DEST, s, d);

	if (r == -ENOENT)
		r = b->dest(b, IPVS_C_NEW_DEST, s, d);
	return r;
}

int ipvs_del_dest(struct ipvs_backend *b, const struct ipvs_svc *s, const struct ipvs_dest *d)
{
	int r = b->dest(b, IPVS_C_DEL_DEST, s, d);

	return r == -ENOENT ? 0 : r;
}

int ipvs_flush(struct ipvs_backend *b)
{
	return b->flush(b);
}
