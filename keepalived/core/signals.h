/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/core/signals.h: the signals `keepalived --signum` names, numbered as keepalived 2.2.7 does. */
#pragma once
#include <signal.h>

/*
 * STOP SIGTERM, RELOAD SIGHUP, DATA SIGUSR1 and STATS SIGUSR2 are the usual ones. The
 * real-time ones are numbered at run time (the C library keeps the first few for
 * itself), so these are expressions, not constants. Every process handles all of them
 * (core/watchdog.c for the parent, core/child.c for the children): a signal a monitoring
 * tool sends on every scrape must never stop the daemon.
 */
#define KA_SIGJSON		(SIGRTMIN + 2)	/* the parent relays it to the VRRP child */
#define KA_SIGSTATS_CLEAR	(SIGRTMAX - 1)	/* the same: the stats dump, then counters zeroed */
