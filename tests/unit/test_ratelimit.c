// SPDX-License-Identifier: GPL-2.0-or-later
/* tests/unit/test_ratelimit.c: lib/ratelimit.c against a fake clock. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "ratelimit.h"

#define S 1000000ULL

static const struct ratelimit_conf c = { .window_us = 10 * S, .burst = 3 };

/* The first burst events of a window pass, the rest are held back and counted. */
static void test_burst_then_held(void **state)
{
	struct ratelimit rl = { 0 };
	uint32_t ended = 99;

	(void)state;
	assert_int_equal(ratelimit_due_us(&rl, &c), 0);
	for (int i = 0; i < 3; i++) {
		assert_true(ratelimit_pass(&rl, &c, 5 * S + i, &ended));
		assert_int_equal(ended, 0);
	}
	assert_int_equal(ratelimit_due_us(&rl, &c), 0);	/* nothing held yet */
	for (int i = 0; i < 1000; i++)
		assert_false(ratelimit_pass(&rl, &c, 6 * S + i, &ended));
	assert_int_equal(ended, 0);
	/* the window opened at the first event: it ends 10 s after it */
	assert_int_equal(ratelimit_due_us(&rl, &c), 15 * S);
	assert_int_equal(ratelimit_end(&rl, &c, 15 * S - 1), 0);	/* not yet */
	assert_int_equal(ratelimit_end(&rl, &c, 15 * S), 1000);
	assert_int_equal(ratelimit_end(&rl, &c, 15 * S), 0);		/* once */
	assert_int_equal(ratelimit_due_us(&rl, &c), 0);
	/* a new window opens at the next event */
	assert_true(ratelimit_pass(&rl, &c, 40 * S, &ended));
	assert_int_equal(ended, 0);
	assert_true(ratelimit_pass(&rl, &c, 49 * S, &ended));
	assert_true(ratelimit_pass(&rl, &c, 49 * S, &ended));
	assert_false(ratelimit_pass(&rl, &c, 49 * S, &ended));
	assert_int_equal(ratelimit_due_us(&rl, &c), 50 * S);
}

/* An event after a window that held some back hands their count out, then passes. */
static void test_count_at_next_event(void **state)
{
	struct ratelimit rl = { 0 };
	uint32_t ended;

	(void)state;
	for (int i = 0; i < 10; i++)
		ratelimit_pass(&rl, &c, S, &ended);
	assert_true(ratelimit_pass(&rl, &c, 11 * S, &ended));
	assert_int_equal(ended, 7);
	assert_int_equal(ratelimit_end(&rl, &c, 30 * S), 0);	/* already handed out */
	assert_int_equal(ratelimit_due_us(&rl, &c), 0);
}

/* A steady stream at the limit's rate is never held back: one a second, 10 per 10 s. */
static void test_steady_stream(void **state)
{
	const struct ratelimit_conf c1 = { .window_us = 10 * S, .burst = 10 };
	struct ratelimit rl = { 0 };
	uint32_t ended;

	(void)state;
	for (uint64_t t = 0; t < 600; t++) {
		if (!ratelimit_pass(&rl, &c1, 1000 + t * S, &ended))
			fail_msg("event at %llu s held back", (unsigned long long)t);
		assert_int_equal(ended, 0);
	}
}

/* A flood: at most burst events per window pass, every other one is counted once. */
static void test_flood(void **state)
{
	struct ratelimit rl = { 0 };
	uint64_t passed = 0, held = 0, now = 0;
	uint32_t ended;

	(void)state;
	for (int i = 0; i < 100000; i++, now += 1000) {	/* 1000/s for 100 s */
		if (ratelimit_due_us(&rl, &c) && now >= ratelimit_due_us(&rl, &c))
			held += ratelimit_end(&rl, &c, now);
		passed += ratelimit_pass(&rl, &c, now, &ended);
		held += ended;
	}
	held += ratelimit_end(&rl, &c, now + 10 * S);
	assert_int_equal(passed, 30);				/* 10 windows of 10 s */
	assert_int_equal(passed + held, 100000);
}

/* The held count saturates instead of wrapping; the clock may start at 0. */
static void test_saturates(void **state)
{
	struct ratelimit rl = { .start_us = 0, .n_passed = 3, .n_held = UINT32_MAX - 1 };
	uint32_t ended;

	(void)state;
	assert_false(ratelimit_pass(&rl, &c, 1, &ended));
	assert_false(ratelimit_pass(&rl, &c, 2, &ended));
	assert_int_equal(rl.n_held, UINT32_MAX);
	assert_int_equal(ratelimit_end(&rl, &c, 10 * S), UINT32_MAX);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_burst_then_held),
		cmocka_unit_test(test_count_at_next_event),
		cmocka_unit_test(test_steady_stream),
		cmocka_unit_test(test_flood),
		cmocka_unit_test(test_saturates),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
