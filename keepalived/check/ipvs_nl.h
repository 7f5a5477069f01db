/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/check/ipvs_nl.h: the generic-netlink encoder of the IPVS backend (ipvs_nl.c), for tests. */
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
