// SPDX-License-Identifier: GPL-2.0-or-later
/* tests/bench/bench_timers.c: cost of arming, firing and cancelling timers in lib/scheduler. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "log.h"
#include "scheduler.h"
#include "utils.h"

/*
 * Deadlines are random within one second that has already passed, so the fire phase
 * measures dispatch (heap pop, callback, its timing) and not waiting. They are armed
 * with sched_timer_at() outside the loop, which reads no clock, like sched_timer() in
 * a callback. (A timer armed in a timer callback with a past deadline is moved to
 * "now", which would make every key equal and the heap trivially ordered.)
 */
struct bench {
	struct sched *s;
	struct sched_ev **evs;
	unsigned *perm;
	unsigned n;
	unsigned n_fired;
	uint64_t state;		/* xorshift64 */
};

static uint64_t rnd(struct bench *b)
{
	b->state ^= b->state << 13;
	b->state ^= b->state >> 7;
	b->state ^= b->state << 17;
	return b->state;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void fire_cb(struct sched_ev *ev, void *arg)
{
	struct bench *b = arg;

	b->n_fired++;
}

static void arm_all(struct bench *b)
{
	uint64_t now = sched_now_us(b->s), base = now > 2000000 ? now - 2000000 : 0;

	for (unsigned i = 0; i < b->n; i++)
		if (sched_timer_at(b->s, &b->evs[i], base + rnd(b) % 1000000, fire_cb, b) < 0)
			fatal("cannot arm timer %u", i);
}

static double per_op(uint64_t t0, unsigned n)
{
	return (double)(now_ns() - t0) / n;
}

int main(int argc, char **argv)
{
	struct bench b = { .n = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 0) : 1000000,
			   .state = 0x9e3779b97f4a7c15ULL };
	double best[3] = { 0 };

	if (b.n == 0 || sched_new(&b.s) < 0)
		return 1;
	b.evs = xcalloc(b.n, sizeof(*b.evs));
	b.perm = xmalloc(b.n * sizeof(*b.perm));

	/* Best of a few rounds: the least disturbed by whatever else the machine runs. */
	for (int round = 0; round < 3; round++) {
		double t[3];
		uint64_t t0;

		t0 = now_ns();
		arm_all(&b);
		t[0] = per_op(t0, b.n);

		b.n_fired = 0;
		t0 = now_ns();
		sched_run(b.s);
		t[1] = per_op(t0, b.n);
		if (b.n_fired != b.n)
			fatal("%u of %u timers fired", b.n_fired, b.n);

		arm_all(&b);
		for (unsigned i = 0; i < b.n; i++)
			b.perm[i] = i;
		for (unsigned i = b.n - 1; i > 0; i--) {	/* cancel in random order */
			unsigned j = rnd(&b) % (i + 1), x = b.perm[i];

			b.perm[i] = b.perm[j];
			b.perm[j] = x;
		}
		t0 = now_ns();
		for (unsigned i = 0; i < b.n; i++)
			sched_cancel(&b.evs[b.perm[i]]);
		t[2] = per_op(t0, b.n);

		for (int k = 0; k < 3; k++)
			if (round == 0 || t[k] < best[k])
				best[k] = t[k];
	}
	printf("timers: %u insert %.1f ns/op, fire %.1f ns/op, cancel %.1f ns/op\n",
	       b.n, best[0], best[1], best[2]);
	free(b.perm);
	free(b.evs);
	sched_free(b.s);
	return 0;
}
