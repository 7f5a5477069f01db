/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/core/watchdog.h: the parent process: forks, watches, respawns children, relays signals. */
#pragma once
#include "config.h"
#include "daemon.h"
#include "pidfile.h"

/*
 * The parent reads the heartbeats every WD_CHECK_US, which is longer than the longest
 * gap between two beats (KA_HEARTBEAT_MAX_US), and notices a child that hangs when
 * WD_MISSED_BEATS_MAX checks in a row found none: after 10 s.
 */
#define WD_CHECK_US (2000 * 1000)
#define WD_MISSED_BEATS_MAX 5
/* A child that ran at least this long is restarted at once, and its backoff reset. */
#define WD_LONG_RUN_US (60ull * 1000 * 1000)
#define WD_BACKOFF_MAX_S 60

/*
 * Run the parent until it is told to stop or a child fails for good. Takes
 * ownership of cfg (the configuration loaded at start); pf is the parent's pid
 * file, removed on the way out. Returns the exit status.
 */
int watchdog_run(const struct ka_opts *o, struct ka_config *cfg, struct pidfile *pf);

/* Delay before restarting a child that died after a short run: 0, 1, 2, 4 ... 60 s. */
unsigned watchdog_backoff_s(unsigned n_quick_deaths);
