// SPDX-License-Identifier: GPL-2.0-or-later
/* lib/ratelimit.c: how many of a stream of like events to report, per fixed window (pure). */
#include "ratelimit.h"

#include <assert.h>

static bool window_over(const struct ratelimit *rl, const struct ratelimit_conf *c,
			uint64_t now_us)
{
	return now_us - rl->start_us >= c->window_us;
}

bool ratelimit_pass(struct ratelimit *rl, const struct ratelimit_conf *c, uint64_t now_us,
		    uint32_t *n_ended)
{
	assert(c->window_us > 0 && c->burst > 0);
	*n_ended = 0;
	if (rl->n_passed == 0 || window_over(rl, c, now_us)) {
		*n_ended = rl->n_held;
		rl->start_us = now_us;
		rl->n_passed = 0;
		rl->n_held = 0;
	}
	if (rl->n_passed < c->burst) {
		rl->n_passed++;
		return true;
	}
	if (rl->n_held < UINT32_MAX)
		rl->n_held++;
	return false;
}

uint64_t ratelimit_due_us(const struct ratelimit *rl, const struct ratelimit_conf *c)
{
	return rl->n_held ? rl->start_us + c->window_us : 0;
}

uint32_t ratelimit_end(struct ratelimit *rl, const struct ratelimit_conf *c, uint64_t now_us)
{
	uint32_t n = rl->n_held;

	if (!n || !window_over(rl, c, now_us))
		return 0;
	rl->n_passed = 0;
	rl->n_held = 0;
	return n;
}
