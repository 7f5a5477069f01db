/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tests/unit/netns_test.h: for unit tests that run in a network namespace of their own. */
#pragma once
#include <errno.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "log.h"

/* Runs a shell command (printf-style); the test fails if it does not exit 0. */
static inline void __attribute__((format(printf, 1, 2))) sh(const char *fmt, ...)
{
	char cmd[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (system(cmd) != 0)
		fail_msg("'%s' failed", cmd);
}

/*
 * Moves the process into a new network namespace (private to it, gone with it) with lo
 * up, and opens the log as ident (on the console with TEST_LOG set). 1: done; 0: not
 * root, the caller skips its tests; -1: unshare failed (said on stderr).
 */
static inline int netns_enter(const char *ident)
{
	struct log_opts lo = { .ident = ident, .facility = LOG_DAEMON,
			       .to_console = getenv("TEST_LOG") != NULL, .detail = true,
			       .max_prio = LOG_DEBUG };

	if (geteuid() != 0)
		return 0;
	if (unshare(CLONE_NEWNET) < 0) {
		fprintf(stderr, "unshare(CLONE_NEWNET): %s\n", strerror(errno));
		return -1;
	}
	log_open(&lo);
	sh("ip link set lo up");
	return 1;
}
