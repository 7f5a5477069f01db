/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/core/ipvs_nl.h: the generic-netlink encoder of the IPVS backend (ipvs_nl.c), for tests. */
#pragma once
#include <netlink/msg.h>

#include "ipvs.h"

/* Requests beyond the backend's commands: sent at open and before the first SET_CONFIG. */
enum {
	IPVS_NL_GET_INFO = IPVS_C__COUNT,
	IPVS_NL_GET_CONFIG,
};

/*
 * One request as keepalived 2.2.7 sends it (spec checker-ipvs.md 4.2): the genl header
 * (family, cmd, version 1, NLM_F_REQUEST|NLM_F_ACK) and the attributes, in its order.
 * c: an enum ipvs_cmd or IPVS_NL_*; s, d, t, dm: what c needs (others may be NULL).
 * Pure: no socket; 0, -EINVAL (c without what it needs) or -EMSGSIZE.
 */
int ipvs_nl_build(struct nl_msg *msg, int family, int c, const struct ipvs_svc *s,
		  const struct ipvs_dest *d, const struct ipvs_timeouts *t,
		  const struct ipvs_daemon *dm);
/* The IPVS_CMD_* of c (IPVS_CMD_NEW_SERVICE ...), 0 if none. */
int ipvs_nl_genl_cmd(int c);

/*
 * A batch of requests for one sendmsg (the backend's queue, ipvs.h): each request as
 * ipvs_nl_build() makes it but with its own sequence number and without NLM_F_ACK (the
 * kernel then answers only a failure), except the last, which ipvs_nl_batch_seal() marks
 * NLM_F_ACK: its answer, ACK or error, is the barrier after which every failure of the
 * batch has been read. Pure, for the tests: no socket.
 */
#define IPVS_NL_BATCH_MAX 64		/* requests per send (failures a send may queue) */
#define IPVS_NL_BATCH_BYTES 16384
struct ipvs_nl_batch {
	uint8_t buf[IPVS_NL_BATCH_BYTES];
	size_t len;
	unsigned n;
	uint32_t seq0;			/* the first request's; request i has seq0 + i */
	struct ipvs_nl_batched {
		int c;
		struct ipvs_svc s;
		struct ipvs_dest d;
		int err;		/* its answer: the kernel's -errno; 0: none (success) */
	} req[IPVS_NL_BATCH_MAX];
	bool done;			/* the barrier's answer was read */
};
/* Append c (an enum ipvs_cmd with s, d); -ENOSPC when full (send it first), -EINVAL, -EMSGSIZE. */
int ipvs_nl_batch_add(struct ipvs_nl_batch *q, int family, uint32_t port, int c,
		      const struct ipvs_svc *s, const struct ipvs_dest *d);
void ipvs_nl_batch_seal(struct ipvs_nl_batch *q);
/* Empty it; the next request gets sequence number seq0. */
void ipvs_nl_batch_reset(struct ipvs_nl_batch *q, uint32_t seq0);
/*
 * One read's netlink messages: each error answers the request of its sequence number
 * (req[i].err); the barrier's answer sets done. Others (stale, unknown) are skipped.
 */
void ipvs_nl_batch_replies(struct ipvs_nl_batch *q, const void *buf, size_t len);
