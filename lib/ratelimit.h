/* SPDX-License-Identifier: GPL-2.0-or-later */
/* lib/ratelimit.h: how many of a stream of like events to report, per fixed window (pure). */
#pragma once
#include <stdbool.h>
#include <stdint.h>

/*
 * A window opens at the first event after the last one closed and lasts window_us:
 * its first burst events pass, the rest are held back (counted). When a window that
 * held events back has ended, its count is handed out once, for a line such as
 * "1234 similar log lines suppressed": by ratelimit_pass() at the next event, or by
 * ratelimit_end() from a timer armed for ratelimit_due_us(), whichever comes first.
 * Pure: the caller passes the time (µs, monotonic); no allocation. Zeroed is idle.
 */
struct ratelimit_conf {
	uint64_t window_us;		/* > 0 */
	uint32_t burst;			/* events that pass per window, > 0 */
};

struct ratelimit {
	uint64_t start_us;		/* the open window's first event */
	uint32_t n_passed;		/* in the open window; 0: no window open */
	uint32_t n_held;		/* held back in it (saturates) */
};

/*
 * One event at now_us: true when it may be reported. *n_ended: the events held back
 * in a window that ended before now_us (report those first), else 0.
 */
bool ratelimit_pass(struct ratelimit *rl, const struct ratelimit_conf *c, uint64_t now_us,
		    uint32_t *n_ended);

/* When the open window, which holds events back, ends; 0 when none are held. */
uint64_t ratelimit_due_us(const struct ratelimit *rl, const struct ratelimit_conf *c);

/*
 * The events held back in a window that has ended by now_us, once (0: none, or the
 * window is still open); the window is closed then.
 */
uint32_t ratelimit_end(struct ratelimit *rl, const struct ratelimit_conf *c, uint64_t now_us);
