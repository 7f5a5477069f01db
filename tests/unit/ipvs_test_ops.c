// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tests/unit/ipvs_test_ops.c: ipvs.h's layer 2 as plain pass-throughs with keepalived's
 * error rules but no log line, until ipvs_ops.c lands: then delete this file and link
 * libkaipvs.a (its error lines then join the timeline of test_and_semantics).
 */
#include <errno.h>

#include "core/ipvs.h"

static const char *const names[IPVS_C__COUNT] = {
	"NEW_SERVICE", "SET_SERVICE", "DEL_SERVICE", "NEW_DEST", "SET_DEST", "DEL_DEST",
	"FLUSH", "SET_CONFIG", "NEW_DAEMON", "DEL_DAEMON",
};

const char *ipvs_cmd_name(enum ipvs_cmd c)
{
	return c < IPVS_C__COUNT ? names[c] : "?";
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

/* the test backend has no queue: each command goes at once, as ipvs_ops.c does then */
void ipvs_batch_begin(struct ipvs_backend *b)
{
	(void)b;
}

void ipvs_batch_flush(struct ipvs_backend *b)
{
	(void)b;
}

void ipvs_batch_end(struct ipvs_backend *b)
{
	(void)b;
}
