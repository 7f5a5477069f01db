/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/check/check_l4.h: the epilog TCP_CHECK, UDP_CHECK and PING_CHECK share (spec 1.2). */
#pragma once
#include <stdbool.h>

#include "check_api.h"

/* A type's words in keepalived's lines, and its one variant of the retry rule. */
struct ck_l4_type {
	const char *conn;		/* "TCP": "TCP connection to %s success." */
	const char *check;		/* "TCP_CHECK": "TCP_CHECK on service %s failed." */
	bool retries_name_vs;		/* "... on service %s of %s failed after %u retries." */
	const char *alert_up;		/* "=> TCP CHECK succeed on service <=" */
	const char *alert_down;		/* "=> TCP CHECK failed on service <=" */
	/*
	 * true (TCP): retry_it cycles while the checker is down too, so a down checker
	 * alternates delay_before_retry and delay_loop (2.2.7's behaviour, kept).
	 * false (UDP, PING): a down checker waits delay_loop between attempts.
	 */
	bool retries_while_down;
};

/*
 * keepalived's tcp_epilog / udp_epilog / icmp_epilog: the attempt is over (ok or not).
 * A success, or a failure that finds the retries used up, decides: the type's line
 * for every member whose state changes, ck_probe_set_state(), and delay_loop to the
 * next attempt. A failure with retries left counts one (retry_it++) and waits
 * delay_before_retry. Schedules the next attempt (ck_probe_schedule) in every case.
 */
void ck_l4_epilog(struct ck_probe *p, const struct ck_l4_type *t, bool ok);
