/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tests/unit/sched_test.h: for unit tests that run a real event loop, with real children. */
#pragma once
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>

#include <cmocka.h>

#include "file_test.h"
#include "scheduler.h"

static inline struct sched *sched_start(void)
{
	struct sched *s = NULL;

	assert_int_equal(sched_new(&s), 0);
	return s;
}

/* Every test ends here: nothing armed, then freed (ASan/valgrind check the rest). */
static inline void sched_finish(struct sched *s)
{
	struct sched_stats st;

	sched_get_stats(s, &st);
	assert_int_equal(st.n_timers, 0);
	assert_int_equal(st.n_fds, 0);
	assert_int_equal(st.n_children, 0);
	assert_int_equal(st.n_signals, 0);
	assert_int_equal(st.n_deferred, 0);
	sched_free(s);
}

/* /proc/PID gone or a zombie (an orphan waits for whoever reaps orphans here). */
static inline bool is_dead(pid_t pid)
{
	char path[64], *st, *rp;
	bool dead;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (!(st = read_file(path)))
		return true;
	rp = strrchr(st, ')');
	dead = !rp || rp[2] == 'Z' || rp[2] == 'X';
	free(st);
	return dead;
}

static inline bool wait_dead(pid_t pid, int ms)
{
	for (int i = 0; i < ms / 10; i++) {
		if (is_dead(pid))
			return true;
		nanosleep(&(struct timespec){ .tv_nsec = 10000000 }, NULL);
	}
	return is_dead(pid);
}

/* The number a script wrote into path (0: none yet). */
static inline pid_t read_pid(const char *path)
{
	char *s = read_file(path);
	pid_t pid = s ? (pid_t)atoi(s) : 0;

	free(s);
	return pid;
}
