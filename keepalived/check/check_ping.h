/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/check/check_ping.h: PING_CHECK's process-wide part: the ping group range. */
#pragma once
#include <stdbool.h>

/*
 * Unprivileged ICMP sockets need the process's group inside
 * /proc/sys/net/ipv4/ping_group_range (per network namespace). Like keepalived 2.2.7,
 * the first PING_CHECK widens it to "0 <max>" (logging `Warning: %s being expanded
 * from %lu %lu to 0 %lu` when both bounds were over 1), and check_ping_restore() puts
 * the old lower bound back: call it when the checker child stops. Both are no-ops when
 * there is nothing to do; neither blocks (one small /proc read and write).
 */
bool check_ping_expand(void);
void check_ping_restore(void);

/* The text to parse, for tests: "1\t0\n" -> 1, 0; false if it is not two numbers. */
bool check_ping_parse_range(const char *buf, unsigned long *lo, unsigned long *hi);
