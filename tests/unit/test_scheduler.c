// SPDX-License-Identifier: GPL-2.0-or-later
/* tests/unit/test_scheduler.c: the event loop with real pipes, signals and children. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "scheduler.h"
#include "sched_test.h"
#include "utils.h"

/* Callbacks append their id here; tests compare the order, never durations. */
struct rec {
	int order[64];
	int n;
};

struct item {
	struct sched *s;
	struct rec *rec;
	int id;
	struct sched_ev *ev;
	struct item *other;	/* what this callback cancels, if anything */
	int fd;
	enum sched_why why;
	bool was_ref_null;	/* *ref was already NULL when the callback ran */
};

static void rec_add(struct rec *r, int id)
{
	assert_true(r->n < (int)ARRAY_SIZE(r->order));
	r->order[r->n++] = id;
}

static void make_pipe(int p[2])
{
	assert_int_equal(pipe2(p, O_NONBLOCK | O_CLOEXEC), 0);
}

static void record_cb(struct sched_ev *ev, void *arg)
{
	struct item *it = arg;

	it->why = sched_ev_why(ev);
	it->was_ref_null = it->ev == NULL;
	rec_add(it->rec, it->id);
}

/* ---- timers ---- */

static const struct {
	const char *what;
	uint64_t after_us;
} order_rows[] = {
	{ "3 ms", 3000 },
	{ "1 ms, armed first", 1000 },
	{ "2 ms", 2000 },
	{ "1 ms, armed second", 1000 },
	{ "0, armed first", 0 },
	{ "1 ms, armed third", 1000 },
	{ "0, armed second", 0 },
	{ "2 ms, tie", 2000 },
};

struct order_ctx {
	struct rec rec;
	struct item items[ARRAY_SIZE(order_rows)];
};

/* Arms the table from a callback, so all rows count from one cached now: true ties. */
static void arm_rows_cb(struct sched_ev *ev, void *arg)
{
	struct order_ctx *c = arg;

	for (size_t i = 0; i < ARRAY_SIZE(order_rows); i++)
		assert_int_equal(sched_timer(c->items[i].s, &c->items[i].ev, order_rows[i].after_us,
					     record_cb, &c->items[i]), 0);
}

static void test_timer_order_and_ties(void **state)
{
	struct sched *s = sched_start();
	struct order_ctx c = { 0 };
	struct sched_ev *ev_start = NULL;
	int want[ARRAY_SIZE(order_rows)], n = 0;

	for (size_t i = 0; i < ARRAY_SIZE(order_rows); i++)
		c.items[i] = (struct item){ .s = s, .rec = &c.rec, .id = (int)i };
	assert_int_equal(sched_timer(s, &ev_start, 0, arm_rows_cb, &c), 0);
	assert_int_equal(sched_run(s), 0);

	/* expected: by after_us, ties in table (arming) order: a stable sort */
	for (uint64_t t = 0; t <= 3000; t++)
		for (size_t i = 0; i < ARRAY_SIZE(order_rows); i++)
			if (order_rows[i].after_us == t)
				want[n++] = (int)i;
	assert_int_equal(c.rec.n, n);
	for (int i = 0; i < n; i++)
		if (c.rec.order[i] != want[i])
			fail_msg("position %d: got \"%s\", want \"%s\"", i,
				 order_rows[c.rec.order[i]].what, order_rows[want[i]].what);
	for (size_t i = 0; i < ARRAY_SIZE(order_rows); i++) {
		assert_true(c.items[i].was_ref_null);
		assert_int_equal(c.items[i].why, SCHED_TIMER);
	}
	sched_finish(s);
}

/* Same absolute deadline, armed outside the loop: arming order decides. */
static void test_timer_at_ties(void **state)
{
	struct sched *s = sched_start();
	struct rec rec = { 0 };
	struct item it[5];
	uint64_t at = sched_now_us(s) + 2000;

	for (int i = 0; i < 5; i++) {
		it[i] = (struct item){ .s = s, .rec = &rec, .id = i };
		assert_int_equal(sched_timer_at(s, &it[i].ev, i == 2 ? at - 1000 : at, record_cb,
						&it[i]), 0);
	}
	/* re-arming to the same deadline counts as arming it last */
	assert_int_equal(sched_timer_at(s, &it[0].ev, at, record_cb, &it[0]), 0);
	assert_int_equal(sched_run(s), 0);
	static const int want[] = { 2, 1, 3, 4, 0 };	/* 2 has the earlier deadline */

	assert_int_equal(rec.n, 5);
	for (int i = 0; i < 5; i++)
		assert_int_equal(rec.order[i], want[i]);
	sched_finish(s);
}

static void cancel_other_cb(struct sched_ev *ev, void *arg)
{
	struct item *it = arg;

	rec_add(it->rec, it->id);
	if (it->other)
		sched_cancel(&it->other->ev);
	if (it->fd >= 0 && it->ev) {	/* a persistent watch: end it */
		char buf[16];

		while (read(it->fd, buf, sizeof(buf)) > 0)
			;
		sched_cancel(&it->ev);
	}
}

/* Three timers due together; the first cancels the second, which must not run. */
static void test_cancel_timer_during_dispatch(void **state)
{
	struct sched *s = sched_start();
	struct rec rec = { 0 };
	struct item it[3];
	uint64_t at = sched_now_us(s) + 1000;

	for (int i = 0; i < 3; i++) {
		it[i] = (struct item){ .s = s, .rec = &rec, .id = i, .fd = -1 };
		assert_int_equal(sched_timer_at(s, &it[i].ev, at, cancel_other_cb, &it[i]), 0);
	}
	it[0].other = &it[1];
	assert_int_equal(sched_run(s), 0);
	assert_int_equal(rec.n, 2);
	assert_int_equal(rec.order[0], 0);
	assert_int_equal(rec.order[1], 2);
	assert_null(it[1].ev);
	sched_finish(s);
}

/* Two pipes ready in the same batch; whichever runs first cancels the other. */
static void test_cancel_fd_in_batch(void **state)
{
	struct sched *s = sched_start();
	struct rec rec = { 0 };
	struct item it[2];
	int p[2][2];

	for (int i = 0; i < 2; i++) {
		make_pipe(p[i]);
		assert_int_equal(write(p[i][1], "x", 1), 1);
		it[i] = (struct item){ .s = s, .rec = &rec, .id = i, .fd = p[i][0] };
	}
	it[0].other = &it[1];
	it[1].other = &it[0];
	for (int i = 0; i < 2; i++)
		assert_int_equal(sched_read(s, &it[i].ev, p[i][0], 0, cancel_other_cb, &it[i]), 0);
	assert_int_equal(sched_run(s), 0);
	assert_int_equal(rec.n, 1);
	assert_null(it[0].ev);
	assert_null(it[1].ev);
	for (int i = 0; i < 2; i++) {
		close(p[i][0]);
		close(p[i][1]);
	}
	sched_finish(s);
}

/* A due timer runs before the batch and cancels a watch the batch reported ready. */
static void test_timer_cancels_ready_fd(void **state)
{
	struct sched *s = sched_start();
	struct rec rec = { 0 };
	struct item t = { .s = s, .rec = &rec, .id = 0, .fd = -1 };
	struct item r = { .s = s, .rec = &rec, .id = 1 };
	struct sched_stats st;
	int p[2];

	make_pipe(p);
	assert_int_equal(write(p[1], "x", 1), 1);
	r.fd = p[0];
	t.other = &r;
	assert_int_equal(sched_read(s, &r.ev, p[0], 0, cancel_other_cb, &r), 0);
	assert_int_equal(sched_timer(s, &t.ev, 0, cancel_other_cb, &t), 0);
	assert_int_equal(sched_run(s), 0);
	sched_get_stats(s, &st);
	assert_int_equal(st.n_iterations, 1);	/* so the readiness was in that one batch */
	assert_int_equal(rec.n, 1);
	assert_int_equal(rec.order[0], 0);
	assert_null(r.ev);
	close(p[0]);
	close(p[1]);
	sched_finish(s);
}

/* An object that owns a read watch, a timer and a pipe, and frees itself from a callback. */
struct obj {
	struct sched_ev *ev_rd, *ev_timer;
	int p[2];
	int *n_freed;
};

static void obj_free(struct obj *o)
{
	sched_cancel(&o->ev_timer);
	sched_cancel(&o->ev_rd);
	close(o->p[0]);
	close(o->p[1]);
	(*o->n_freed)++;
	free(o);
}

static void obj_read_cb(struct sched_ev *ev, void *arg)
{
	obj_free(arg);
}

static void obj_timer_cb(struct sched_ev *ev, void *arg)
{
	obj_free(arg);
}

static void test_callback_frees_own_object(void **state)
{
	struct sched *s = sched_start();
	int n_freed = 0;

	for (int i = 0; i < 4; i++) {
		struct obj *o = calloc(1, sizeof(*o));

		assert_non_null(o);
		o->n_freed = &n_freed;
		make_pipe(o->p);
		if (i % 2 == 0)		/* freed by its ready fd; the long timer goes with it */
			assert_int_equal(write(o->p[1], "x", 1), 1);
		assert_int_equal(sched_read(s, &o->ev_rd, o->p[0], 0, obj_read_cb, o), 0);
		assert_int_equal(sched_timer(s, &o->ev_timer, i % 2 ? 1000 : 60000000,
					     obj_timer_cb, o), 0);
	}
	assert_int_equal(sched_run(s), 0);
	assert_int_equal(n_freed, 4);
	sched_finish(s);
}

static void rearm_cb(struct sched_ev *ev, void *arg)
{
	struct item *it = arg;

	assert_null(it->ev);	/* cleared before a one-shot callback */
	rec_add(it->rec, it->id++);
	if (it->id < 5) {
		assert_int_equal(sched_timer(it->s, &it->ev, 100, rearm_cb, it), 0);
		assert_non_null(it->ev);
	}
}

static void test_rearm_via_same_ref(void **state)
{
	struct sched *s = sched_start();
	struct rec rec = { 0 };
	struct item it = { .s = s, .rec = &rec };
	struct sched_stats st;

	/* arming an armed timer replaces it: only the second arming fires */
	assert_int_equal(sched_timer(s, &it.ev, 60000000, rearm_cb, &it), 0);
	assert_int_equal(sched_timer(s, &it.ev, 100, rearm_cb, &it), 0);
	sched_get_stats(s, &st);
	assert_int_equal(st.n_timers, 1);
	assert_int_equal(sched_run(s), 0);
	assert_int_equal(rec.n, 5);
	for (int i = 0; i < 5; i++)
		assert_int_equal(rec.order[i], i);
	assert_null(it.ev);
	sched_finish(s);
}

/* A timer that re-arms itself with after_us 0 runs once per iteration; fds still get served. */
struct spin {
	struct sched *s;
	struct sched_ev *ev_timer, *ev_rd;
	int fd;
	uint64_t timer_iter[4];
	int n_timer;
	uint64_t read_iter;
};

static uint64_t iterations(struct sched *s)
{
	struct sched_stats st;

	sched_get_stats(s, &st);
	return st.n_iterations;
}

static void spin_timer_cb(struct sched_ev *ev, void *arg)
{
	struct spin *sp = arg;

	sp->timer_iter[sp->n_timer++] = iterations(sp->s);
	if (sp->n_timer < 4)
		assert_int_equal(sched_timer(sp->s, &sp->ev_timer, 0, spin_timer_cb, sp), 0);
}

static void spin_read_cb(struct sched_ev *ev, void *arg)
{
	struct spin *sp = arg;
	char c;

	assert_int_equal(read(sp->fd, &c, 1), 1);
	sp->read_iter = iterations(sp->s);
	sched_cancel(&sp->ev_rd);
}

static void test_zero_timer_runs_next_iteration(void **state)
{
	struct sched *s = sched_start();
	struct spin sp = { .s = s };
	int p[2];

	make_pipe(p);
	sp.fd = p[0];
	assert_int_equal(sched_timer(s, &sp.ev_timer, 0, spin_timer_cb, &sp), 0);
	assert_int_equal(sched_read(s, &sp.ev_rd, p[0], 0, spin_read_cb, &sp), 0);
	assert_int_equal(write(p[1], "x", 1), 1);
	assert_int_equal(sched_run(s), 0);
	assert_int_equal(sp.n_timer, 4);
	for (int i = 1; i < 4; i++)
		assert_int_equal(sp.timer_iter[i], sp.timer_iter[i - 1] + 1);
	assert_int_equal(sp.read_iter, sp.timer_iter[0]);	/* not starved by the timer */
	close(p[0]);
	close(p[1]);
	sched_finish(s);
}

/* ---- fd watches ---- */

static void read_or_timeout_cb(struct sched_ev *ev, void *arg)
{
	struct item *it = arg;
	char buf[16];

	record_cb(ev, arg);
	if (it->why == SCHED_READY) {
		assert_int_equal(sched_ev_fd(ev), it->fd);
		assert_true(read(it->fd, buf, sizeof(buf)) > 0);
		sched_cancel(&it->ev);
	}
}

static const struct {
	const char *what;
	bool has_data;
	uint64_t timeout_us;
	bool is_late;	/* the timeout has passed too when the loop first looks */
	enum sched_why want;
} race_rows[] = {
	{ "data before the timeout", true, 5000000, false, SCHED_READY },
	{ "data and a short timeout", true, 1000, false, SCHED_READY },
	{ "data and timeout both due: data wins", true, 1000, true, SCHED_READY },
	{ "no data: times out", false, 20000, false, SCHED_TIMEOUT },
	{ "no data, 1 ms", false, 1000, false, SCHED_TIMEOUT },
	{ "no data, late loop", false, 1000, true, SCHED_TIMEOUT },
};

static void test_read_vs_timeout(void **state)
{
	for (size_t i = 0; i < ARRAY_SIZE(race_rows); i++) {
		struct sched *s = sched_start();
		struct rec rec = { 0 };
		struct item it = { .s = s, .rec = &rec };
		int p[2];

		make_pipe(p);
		it.fd = p[0];
		if (race_rows[i].has_data)
			assert_int_equal(write(p[1], "x", 1), 1);
		assert_int_equal(sched_read(s, &it.ev, p[0], race_rows[i].timeout_us,
					    read_or_timeout_cb, &it), 0);
		/* the scenario: the loop runs late, when the timeout is due as well */
		if (race_rows[i].is_late)
			usleep(2 * race_rows[i].timeout_us);
		assert_int_equal(sched_run(s), 0);
		if (rec.n != 1 || it.why != race_rows[i].want)
			fail_msg("%s: %d calls, why %d", race_rows[i].what, rec.n, it.why);
		if (it.why == SCHED_TIMEOUT && !it.was_ref_null)
			fail_msg("%s: *ref not NULL in the timeout callback", race_rows[i].what);
		assert_null(it.ev);
		close(p[0]);
		close(p[1]);
		sched_finish(s);
	}
}

/* The idle timeout restarts after each READY: data at 20 ms keeps a 100 ms watch alive at 110. */
struct idle {
	struct sched *s;
	struct rec rec;
	struct sched_ev *ev_rd, *ev_write, *ev_check;
	int p[2];
	bool was_armed_at_check;
};

static void idle_write_cb(struct sched_ev *ev, void *arg)
{
	struct idle *d = arg;

	rec_add(&d->rec, 0);
	assert_int_equal(write(d->p[1], "x", 1), 1);
}

static void idle_read_cb(struct sched_ev *ev, void *arg)
{
	struct idle *d = arg;
	char c;

	if (sched_ev_why(ev) == SCHED_READY) {
		rec_add(&d->rec, 1);
		assert_int_equal(read(d->p[0], &c, 1), 1);
	} else {
		rec_add(&d->rec, 3);
		assert_null(d->ev_rd);
	}
}

static void idle_check_cb(struct sched_ev *ev, void *arg)
{
	struct idle *d = arg;

	rec_add(&d->rec, 2);
	d->was_armed_at_check = d->ev_rd != NULL;
}

static void test_idle_timeout_restarts(void **state)
{
	struct sched *s = sched_start();
	struct idle d = { .s = s };

	make_pipe(d.p);
	assert_int_equal(sched_read(s, &d.ev_rd, d.p[0], 100000, idle_read_cb, &d), 0);
	assert_int_equal(sched_timer(s, &d.ev_write, 20000, idle_write_cb, &d), 0);
	assert_int_equal(sched_timer(s, &d.ev_check, 110000, idle_check_cb, &d), 0);
	assert_int_equal(sched_run(s), 0);
	assert_int_equal(d.rec.n, 4);
	for (int i = 0; i < 4; i++)
		assert_int_equal(d.rec.order[i], i);
	assert_true(d.was_armed_at_check);
	close(d.p[0]);
	close(d.p[1]);
	sched_finish(s);
}

static void write_once_cb(struct sched_ev *ev, void *arg)
{
	struct item *it = arg;

	record_cb(ev, arg);
	assert_int_equal(sched_ev_fd(ev), it->fd);
	assert_int_equal(write(it->fd, "y", 1), 1);
	sched_cancel(&it->ev);
}

static void test_write_watch(void **state)
{
	struct sched *s = sched_start();
	struct rec rec = { 0 };
	struct item it = { .s = s, .rec = &rec };
	char c;
	int p[2];

	make_pipe(p);
	it.fd = p[1];
	assert_int_equal(sched_write(s, &it.ev, p[1], 0, write_once_cb, &it), 0);
	assert_int_equal(sched_run(s), 0);
	assert_int_equal(rec.n, 1);
	assert_int_equal(it.why, SCHED_READY);
	assert_int_equal(read(p[0], &c, 1), 1);
	assert_int_equal(c, 'y');
	close(p[0]);
	close(p[1]);
	sched_finish(s);
}

/* Read and write watches on one socket: the write side ends first, the read side still works. */
struct duplex {
	struct rec rec;
	struct sched_ev *ev_rd, *ev_wr;
	int sv[2];
};

static void duplex_write_cb(struct sched_ev *ev, void *arg)
{
	struct duplex *d = arg;

	rec_add(&d->rec, 0);
	sched_cancel(&d->ev_wr);	/* EPOLL_CTL_MOD down to read only */
	assert_int_equal(write(d->sv[1], "z", 1), 1);	/* makes sv[0] readable */
}

static void duplex_read_cb(struct sched_ev *ev, void *arg)
{
	struct duplex *d = arg;
	char c;

	rec_add(&d->rec, 1);
	assert_int_equal(read(d->sv[0], &c, 1), 1);
	assert_int_equal(c, 'z');
	sched_cancel(&d->ev_rd);
}

static void test_read_and_write_one_fd(void **state)
{
	struct sched *s = sched_start();
	struct duplex d = { 0 };
	struct sched_ev *ev_dup = NULL;

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, d.sv), 0);
	assert_int_equal(sched_read(s, &d.ev_rd, d.sv[0], 0, duplex_read_cb, &d), 0);
	assert_int_equal(sched_write(s, &d.ev_wr, d.sv[0], 0, duplex_write_cb, &d), 0);
	/* one watch per direction */
	assert_int_equal(sched_read(s, &ev_dup, d.sv[0], 0, duplex_read_cb, &d), -EEXIST);
	assert_null(ev_dup);
	assert_int_equal(sched_run(s), 0);
	assert_int_equal(d.rec.n, 2);
	assert_int_equal(d.rec.order[0], 0);
	assert_int_equal(d.rec.order[1], 1);
	close(d.sv[0]);
	close(d.sv[1]);
	sched_finish(s);
}

/*
 * The peer goes away while neither direction is ready: HUP or ERR wakes both watches.
 * A guard timer ends the test (as a failure) if a watch is never woken.
 */
struct hup {
	struct rec rec;
	struct sched_ev *ev_rd, *ev_wr, *ev_guard;
	enum sched_why why_rd, why_wr;
};

static void hup_rd_cb(struct sched_ev *ev, void *arg)
{
	struct hup *h = arg;

	rec_add(&h->rec, 0);
	h->why_rd = sched_ev_why(ev);
	sched_cancel(&h->ev_rd);
	if (!h->ev_wr)
		sched_cancel(&h->ev_guard);
}

static void hup_wr_cb(struct sched_ev *ev, void *arg)
{
	struct hup *h = arg;

	rec_add(&h->rec, 1);
	h->why_wr = sched_ev_why(ev);
	sched_cancel(&h->ev_wr);
	if (!h->ev_rd)
		sched_cancel(&h->ev_guard);
}

static void hup_guard_cb(struct sched_ev *ev, void *arg)
{
	struct hup *h = arg;

	rec_add(&h->rec, 2);
	sched_cancel(&h->ev_rd);
	sched_cancel(&h->ev_wr);
}

static void hup_run(struct sched *s, struct hup *h, int rd_fd, int wr_fd)
{
	assert_int_equal(sched_read(s, &h->ev_rd, rd_fd, 0, hup_rd_cb, h), 0);
	assert_int_equal(sched_write(s, &h->ev_wr, wr_fd, 0, hup_wr_cb, h), 0);
	assert_int_equal(sched_timer(s, &h->ev_guard, 5000000, hup_guard_cb, h), 0);
	assert_int_equal(sched_run(s), 0);
	assert_int_equal(h->rec.n, 2);
	assert_int_not_equal(h->rec.order[1], 2);	/* not the guard */
	assert_int_equal(h->why_rd, SCHED_READY);
	assert_int_equal(h->why_wr, SCHED_READY);
}

static void test_hup_wakes_both(void **state)
{
	struct sched *s = sched_start();
	struct hup h = { 0 };
	char buf[4096] = { 0 };
	int sv[2];

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv), 0);
	while (write(sv[0], buf, sizeof(buf)) > 0)	/* fill it: no longer writable */
		;
	assert_int_equal(errno, EAGAIN);
	close(sv[1]);
	hup_run(s, &h, sv[0], sv[0]);
	close(sv[0]);
	sched_finish(s);
}

/* Pipes report only HUP (reader, writer gone, no data) or only ERR (writer, reader gone, full). */
static void test_hup_err_alone_wake(void **state)
{
	struct sched *s = sched_start();
	struct hup h = { 0 };
	char buf[4096] = { 0 };
	int a[2], b[2];

	make_pipe(a);
	make_pipe(b);
	close(a[1]);
	while (write(b[1], buf, sizeof(buf)) > 0)
		;
	assert_int_equal(errno, EAGAIN);
	close(b[0]);
	hup_run(s, &h, a[0], b[1]);
	close(a[0]);
	close(b[1]);
	sched_finish(s);
}

/*
 * sched_ev_revents(): a non-blocking connect on loopback that succeeds wakes the write
 * watch with EPOLLOUT and no EPOLLERR/EPOLLHUP (TCP_CHECK and HTTP_GET skip getsockopt
 * then); one refused (no listener) wakes it with EPOLLERR.
 */
struct conn_watch {
	uint32_t revents;
	enum sched_why why;
	struct sched_ev *ev;
};

static void conn_watch_cb(struct sched_ev *ev, void *arg)
{
	struct conn_watch *w = arg;

	w->why = sched_ev_why(ev);
	w->revents = sched_ev_revents(ev);
	sched_cancel(&w->ev);
}

static uint32_t connect_revents(bool listening)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(sa);
	struct sched *s = sched_start();
	struct conn_watch w = { 0 };
	int l, c, r;

	l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(l >= 0);
	assert_int_equal(bind(l, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(getsockname(l, (struct sockaddr *)&sa, &len), 0);
	if (listening)
		assert_int_equal(listen(l, 4), 0);
	/* not listening: the port stays bound, so nothing else can take it meanwhile */
	c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	assert_true(c >= 0);
	r = connect(c, (struct sockaddr *)&sa, sizeof(sa));
	assert_true(r < 0 && errno == EINPROGRESS);	/* Linux, even on loopback */
	assert_int_equal(sched_write(s, &w.ev, c, 2000000, conn_watch_cb, &w), 0);
	assert_int_equal(sched_run(s), 0);
	assert_int_equal(w.why, SCHED_READY);
	close(c);
	close(l);
	sched_finish(s);
	return w.revents;
}

static void test_revents_of_connect(void **state)
{
	uint32_t ok = connect_revents(true), refused = connect_revents(false);

	assert_true(ok & EPOLLOUT);
	assert_false(ok & (EPOLLERR | EPOLLHUP));
	assert_true(refused & EPOLLERR);
}

static void test_fd_above_1024(void **state)
{
	struct sched *s = sched_start();
	struct rec rec = { 0 };
	struct item it = { .s = s, .rec = &rec };
	struct rlimit rl;
	int p[2];

	assert_int_equal(getrlimit(RLIMIT_NOFILE, &rl), 0);
	if (rl.rlim_cur < 2048) {
		if (rl.rlim_max < 2048)
			skip();
		rl.rlim_cur = 2048;
		assert_int_equal(setrlimit(RLIMIT_NOFILE, &rl), 0);
	}
	make_pipe(p);
	assert_int_equal(dup2(p[0], 1500), 1500);
	it.fd = 1500;
	assert_int_equal(write(p[1], "x", 1), 1);
	assert_int_equal(sched_read(s, &it.ev, 1500, 1000000, read_or_timeout_cb, &it), 0);
	assert_int_equal(sched_run(s), 0);
	assert_int_equal(rec.n, 1);
	assert_int_equal(it.why, SCHED_READY);
	close(1500);
	close(p[0]);
	close(p[1]);
	sched_finish(s);
}

/* ---- children ---- */

struct kid {
	struct rec rec;
	struct sched_ev *ev;
	pid_t pid;
	int status;
	enum sched_why why;
	bool was_ref_null;
};

static void kid_cb(struct sched_ev *ev, void *arg)
{
	struct kid *k = arg;

	rec_add(&k->rec, 0);
	k->why = sched_ev_why(ev);
	k->was_ref_null = k->ev == NULL;
	assert_int_equal(sched_ev_pid(ev), k->pid);
	if (k->why == SCHED_CHILD_EXIT)
		k->status = sched_ev_status(ev);
}

static void assert_reaped(pid_t pid)
{
	errno = 0;
	assert_int_equal(waitpid(pid, NULL, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
}

/* valgrind 3.19 does not know pidfd_open (ENOSYS): child tests skip there; ASan runs them. */
static bool has_pidfd(void)
{
	int fd = (int)syscall(SYS_pidfd_open, getpid(), 0);

	if (fd < 0 && errno == ENOSYS)
		return false;
	if (fd >= 0)
		close(fd);
	return true;
}

static void skip_without_pidfd(void)
{
	if (!has_pidfd())
		skip();
}

enum kid_mode { KID_EXIT3, KID_SIGTERM };

static pid_t fork_kid(enum kid_mode mode)
{
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid > 0)
		return pid;
	sched_child_reset_signals();
	if (mode == KID_SIGTERM)
		kill(getpid(), SIGTERM);
	_exit(3);
}

static void test_child_exit_status(void **state)
{
	static const struct {
		const char *what;
		enum kid_mode mode;
		uint64_t timeout_us;
		bool is_late;	/* exited, and the timeout passed, before the loop looks */
	} rows[] = {
		{ "_exit(3)", KID_EXIT3, 10000000, false },
		{ "killed by SIGTERM", KID_SIGTERM, 10000000, false },
		{ "exit and timeout both due: the exit wins", KID_EXIT3, 1000, true },
	};

	skip_without_pidfd();
	for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
		struct sched *s = sched_start();
		struct kid k = { 0 };

		k.pid = fork_kid(rows[i].mode);
		assert_int_equal(sched_child(s, &k.ev, k.pid, rows[i].timeout_us, kid_cb, &k), 0);
		if (rows[i].is_late) {
			siginfo_t si;

			/* wait for the exit without reaping it */
			assert_int_equal(waitid(P_PID, k.pid, &si, WEXITED | WNOWAIT), 0);
			/* the scenario: then the timeout passes too before the loop runs */
			usleep(2 * rows[i].timeout_us);
		}
		assert_int_equal(sched_run(s), 0);
		if (k.rec.n != 1 || k.why != SCHED_CHILD_EXIT || !k.was_ref_null)
			fail_msg("%s: %d calls, why %d", rows[i].what, k.rec.n, k.why);
		if (rows[i].mode == KID_EXIT3 &&
		    !(WIFEXITED(k.status) && WEXITSTATUS(k.status) == 3))
			fail_msg("%s: status %#x", rows[i].what, k.status);
		if (rows[i].mode == KID_SIGTERM &&
		    !(WIFSIGNALED(k.status) && WTERMSIG(k.status) == SIGTERM))
			fail_msg("%s: status %#x", rows[i].what, k.status);
		assert_reaped(k.pid);
		sched_finish(s);
	}
}

/*
 * A child (and, in its own group, a grandchild) that never exits; both hold the write
 * end of a pipe. EOF on it before a 5 s guard timer proves the kill reached them all.
 */
struct hang {
	struct sched *s;
	struct rec rec;
	struct sched_ev *ev_child, *ev_eof, *ev_guard;
	pid_t pid;
	int eof_fd;
	enum sched_why why;
	bool was_ref_null;
};

static void hang_guard_cb(struct sched_ev *ev, void *arg)
{
	struct hang *h = arg;

	rec_add(&h->rec, 2);
	sched_cancel(&h->ev_eof);
}

static void hang_eof_cb(struct sched_ev *ev, void *arg)
{
	struct hang *h = arg;
	char c;

	if (read(h->eof_fd, &c, 1) != 0)
		return;
	rec_add(&h->rec, 1);
	sched_cancel(&h->ev_eof);
	sched_cancel(&h->ev_guard);
}

static void hang_timeout_cb(struct sched_ev *ev, void *arg)
{
	struct hang *h = arg;

	rec_add(&h->rec, 0);
	h->why = sched_ev_why(ev);
	h->was_ref_null = h->ev_child == NULL;
	assert_int_equal(sched_ev_pid(ev), h->pid);
	assert_int_equal(sched_read(h->s, &h->ev_eof, h->eof_fd, 0, hang_eof_cb, h), 0);
	assert_int_equal(sched_timer(h->s, &h->ev_guard, 5000000, hang_guard_cb, h), 0);
}

static pid_t fork_hanger(bool is_own_group, int p[2])
{
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid > 0) {
		if (is_own_group)
			setpgid(pid, pid);	/* the child does it too: no race either way */
		return pid;
	}
	close(p[0]);
	sched_child_reset_signals();
	if (is_own_group) {
		setpgid(0, 0);
		if (fork() < 0)		/* a grandchild in the same group */
			_exit(1);
	}
	alarm(10);	/* if the kill never comes, do not hang make check forever */
	for (;;)
		pause();
}

static void test_child_timeout(void **state)
{
	static const struct {
		const char *what;
		bool is_own_group;
	} rows[] = {
		{ "leads its own process group", true },
		{ "in our process group", false },
	};

	skip_without_pidfd();
	/* the orphaned grandchild comes to us, so we can reap it */
	assert_int_equal(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
	for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
		struct sched *s = sched_start();
		struct hang h = { .s = s };
		int p[2];

		make_pipe(p);
		h.eof_fd = p[0];
		h.pid = fork_hanger(rows[i].is_own_group, p);
		close(p[1]);
		assert_int_equal(sched_child(s, &h.ev_child, h.pid, 50000, hang_timeout_cb, &h), 0);
		/* returns only once the loop has reaped the killed child */
		assert_int_equal(sched_run(s), 0);
		if (h.rec.n != 2 || h.rec.order[0] != 0 || h.rec.order[1] != 1)
			fail_msg("%s: want timeout then EOF, got %d calls, last %d", rows[i].what,
				 h.rec.n, h.rec.order[h.rec.n - 1]);
		if (h.why != SCHED_CHILD_TIMEOUT || !h.was_ref_null)
			fail_msg("%s: why %d", rows[i].what, h.why);
		assert_reaped(h.pid);
		if (rows[i].is_own_group)
			assert_true(waitpid(-1, NULL, 0) > 0);	/* the grandchild */
		close(p[0]);
		sched_finish(s);
	}
	prctl(PR_SET_CHILD_SUBREAPER, 0);
}

/* Cancelling a child watch kills nothing and calls nothing, but the loop still reaps it. */
static void test_child_cancel_still_reaped(void **state)
{
	struct sched *s;
	struct kid k = { 0 };
	int p[2];
	pid_t pid;
	char c;

	skip_without_pidfd();
	s = sched_start();

	make_pipe(p);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(p[1]);
		fcntl(p[0], F_SETFL, 0);
		_exit(read(p[0], &c, 1) == 0 ? 0 : 1);	/* exits when we close the pipe */
	}
	close(p[0]);
	k.pid = pid;
	assert_int_equal(sched_child(s, &k.ev, k.pid, 0, kid_cb, &k), 0);
	sched_cancel(&k.ev);
	assert_null(k.ev);
	assert_int_equal(kill(pid, 0), 0);	/* not killed */
	close(p[1]);
	assert_int_equal(sched_run(s), 0);
	assert_int_equal(k.rec.n, 0);
	assert_reaped(pid);
	sched_finish(s);
}

/* Re-arming an armed fd or child watch through its ref, e.g. to switch state, updates it. */
struct switcher {
	struct sched *s;
	struct rec rec;
	struct sched_ev *ev;
	int fd;
	int status;
};

static void second_cb(struct sched_ev *ev, void *arg)
{
	struct switcher *w = arg;
	char c;

	rec_add(&w->rec, 1);
	if (sched_ev_why(ev) == SCHED_CHILD_EXIT) {
		w->status = sched_ev_status(ev);
		return;
	}
	assert_int_equal(read(w->fd, &c, 1), 1);
	sched_cancel(&w->ev);
}

static void first_cb(struct sched_ev *ev, void *arg)
{
	struct switcher *w = arg;
	struct sched_stats st;
	char c;

	rec_add(&w->rec, 0);
	assert_int_equal(read(w->fd, &c, 1), 1);
	assert_int_equal(sched_read(w->s, &w->ev, w->fd, 0, second_cb, w), 0);
	sched_get_stats(w->s, &st);
	assert_int_equal(st.n_fds, 1);
}

static void test_rearm_watch_in_place(void **state)
{
	struct sched *s;
	struct switcher w = { 0 };
	int p[2];
	pid_t pid;
	char c;

	/* fd: a header callback hands over to a body callback */
	s = sched_start();
	w.s = s;
	make_pipe(p);
	w.fd = p[0];
	assert_int_equal(write(p[1], "hb", 2), 2);
	assert_int_equal(sched_read(s, &w.ev, p[0], 1000000, first_cb, &w), 0);
	assert_int_equal(sched_run(s), 0);
	assert_int_equal(w.rec.n, 2);
	assert_int_equal(w.rec.order[0], 0);
	assert_int_equal(w.rec.order[1], 1);
	close(p[0]);
	close(p[1]);
	sched_finish(s);

	/* child: a new callback and no timeout; it alone reaps the child, with its status */
	if (!has_pidfd())
		return;
	s = sched_start();
	w = (struct switcher){ .s = s };
	make_pipe(p);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(p[1]);
		fcntl(p[0], F_SETFL, 0);
		_exit(read(p[0], &c, 1) == 0 ? 7 : 1);
	}
	close(p[0]);
	assert_int_equal(sched_child(s, &w.ev, pid, 50000, first_cb, &w), 0);
	assert_int_equal(sched_child(s, &w.ev, pid, 0, second_cb, &w), 0);
	close(p[1]);
	assert_int_equal(sched_run(s), 0);
	assert_int_equal(w.rec.n, 1);
	assert_int_equal(w.rec.order[0], 1);
	assert_true(WIFEXITED(w.status));
	assert_int_equal(WEXITSTATUS(w.status), 7);
	assert_reaped(pid);
	sched_finish(s);
}

/* ---- signals ---- */

struct sig_ctx {
	struct rec rec;
	struct item w[3];
};

static void sig_cb(struct sched_ev *ev, void *arg)
{
	struct item *it = arg;

	rec_add(it->rec, it->id);
	assert_int_equal(sched_ev_why(ev), SCHED_SIGNAL);
	assert_int_equal(sched_ev_siginfo(ev)->ssi_signo, SIGUSR1);
	assert_int_equal((pid_t)sched_ev_siginfo(ev)->ssi_pid, getpid());
	if (it->other)
		sched_cancel(&it->other->ev);
	sched_cancel(&it->ev);
}

static bool is_blocked(int signo)
{
	sigset_t cur;

	sigprocmask(SIG_BLOCK, NULL, &cur);
	return sigismember(&cur, signo);
}

static void test_signals(void **state)
{
	struct sched *s = sched_start();
	struct sig_ctx c = { 0 };

	for (int i = 0; i < 3; i++) {
		c.w[i] = (struct item){ .s = s, .rec = &c.rec, .id = i };
		assert_int_equal(sched_signal(s, &c.w[i].ev, SIGUSR1, sig_cb, &c.w[i]), 0);
	}
	c.w[0].other = &c.w[1];	/* cancelled mid-dispatch: must not run */
	assert_true(is_blocked(SIGUSR1));
	assert_int_equal(raise(SIGUSR1), 0);
	assert_int_equal(sched_run(s), 0);
	assert_int_equal(c.rec.n, 2);
	assert_int_equal(c.rec.order[0], 0);
	assert_int_equal(c.rec.order[1], 2);
	assert_false(is_blocked(SIGUSR1));	/* unblocked with the last watch */
	assert_int_equal(sched_signal(s, &c.w[0].ev, SIGKILL, sig_cb, &c.w[0]), -EINVAL);
	sched_finish(s);
}

/*
 * A child forked from a callback drops the loop with sched_free_forked(): it must not
 * touch what it shares with the parent (signalfd mask, epoll set), and it frees all
 * (LSan runs at its exit() in ASan builds, so a leak there fails its exit status).
 */
struct forker {
	struct sched *s;
	struct rec rec;
	struct sched_ev *ev_fork, *ev_sig, *ev_child, *ev_guard;
	int status;
};

static void forker_sig_cb(struct sched_ev *ev, void *arg)
{
	struct forker *f = arg;

	rec_add(&f->rec, 2);
	sched_cancel(&f->ev_sig);
	sched_cancel(&f->ev_guard);
}

static void forker_child_cb(struct sched_ev *ev, void *arg)
{
	struct forker *f = arg;

	rec_add(&f->rec, 1);
	f->status = sched_ev_status(ev);
	assert_true(is_blocked(SIGUSR2));
	assert_int_equal(raise(SIGUSR2), 0);	/* the parent's signalfd still reads it */
}

static void forker_guard_cb(struct sched_ev *ev, void *arg)
{
	struct forker *f = arg;

	rec_add(&f->rec, 9);
	sched_cancel(&f->ev_sig);
	sched_cancel(&f->ev_child);
}

static void forker_fork_cb(struct sched_ev *ev, void *arg)
{
	struct forker *f = arg;
	pid_t pid;

	fflush(stdout);	/* or the child's exit() prints cmocka's buffer twice */
	fflush(stderr);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		sched_free_forked(f->s);
		exit(is_blocked(SIGUSR2) ? 0 : 1);	/* kept blocked for the child's own loop */
	}
	rec_add(&f->rec, 0);
	assert_int_equal(sched_child(f->s, &f->ev_child, pid, 0, forker_child_cb, f), 0);
}

static void test_free_forked(void **state)
{
	struct sched *s;
	struct forker f = { 0 };

	skip_without_pidfd();
	s = sched_start();
	f.s = s;
	assert_int_equal(sched_signal(s, &f.ev_sig, SIGUSR2, forker_sig_cb, &f), 0);
	assert_int_equal(sched_timer(s, &f.ev_fork, 0, forker_fork_cb, &f), 0);
	assert_int_equal(sched_timer(s, &f.ev_guard, 5000000, forker_guard_cb, &f), 0);
	assert_int_equal(sched_run(s), 0);
	assert_int_equal(f.rec.n, 3);
	for (int i = 0; i < 3; i++)
		assert_int_equal(f.rec.order[i], i);
	assert_true(WIFEXITED(f.status));
	assert_int_equal(WEXITSTATUS(f.status), 0);
	assert_false(is_blocked(SIGUSR2));
	sched_finish(s);
}

/* ---- loop control ---- */

static void stop_cb(struct sched_ev *ev, void *arg)
{
	struct item *it = arg;

	rec_add(it->rec, it->id);
	sched_stop(it->s);
}

static void test_stop_from_callback(void **state)
{
	struct sched *s = sched_start();
	struct rec rec = { 0 };
	struct item stop = { .s = s, .rec = &rec, .id = 0 }, later = { .s = s, .rec = &rec, .id = 1 };
	struct sched_stats st;

	assert_int_equal(sched_timer(s, &stop.ev, 1000, stop_cb, &stop), 0);
	assert_int_equal(sched_timer(s, &later.ev, 60000000, record_cb, &later), 0);
	assert_int_equal(sched_run(s), 0);
	assert_int_equal(rec.n, 1);
	sched_get_stats(s, &st);
	assert_int_equal(st.n_timers, 1);
	assert_non_null(later.ev);
	sched_cancel(&later.ev);
	assert_null(later.ev);
	sched_finish(s);
}

static void test_cancel_null_safe(void **state)
{
	struct sched *s = sched_start();
	struct sched_ev *ev = NULL;
	struct rec rec = { 0 };
	struct item it = { .s = s, .rec = &rec };

	sched_cancel(NULL);
	sched_cancel(&ev);
	assert_int_equal(sched_timer(s, &it.ev, 1000, record_cb, &it), 0);
	sched_cancel(&it.ev);
	sched_cancel(&it.ev);
	assert_null(it.ev);
	assert_int_equal(sched_run(s), 0);	/* nothing armed: returns at once */
	assert_int_equal(rec.n, 0);
	sched_finish(s);
}

/* A callback that hogs the loop for 8 ms: past the scheduler's slow-callback threshold. */
static void slow_cb(struct sched_ev *ev, void *arg)
{
	usleep(8000);
}

static void fast_cb(struct sched_ev *ev, void *arg)
{
}

static void test_slow_callback_counted(void **state)
{
	struct sched *s = sched_start();
	struct sched_ev *ev_slow = NULL, *ev_fast = NULL;
	struct sched_stats st;

	assert_int_equal(sched_timer(s, &ev_slow, 0, slow_cb, NULL), 0);
	assert_int_equal(sched_timer(s, &ev_fast, 0, fast_cb, NULL), 0);
	assert_int_equal(sched_run(s), 0);
	sched_get_stats(s, &st);
	assert_int_equal(st.n_dispatched, 2);
	assert_int_equal(st.n_slow, 1);
	sched_finish(s);
}

/* sched_free with everything still armed: no callbacks, refs cleared, nothing leaked. */
static void test_free_while_armed(void **state)
{
	struct sched *s = sched_start();
	struct rec rec = { 0 };
	struct item t = { .s = s, .rec = &rec }, r = { .s = s, .rec = &rec };
	struct item g = { .s = s, .rec = &rec }, d = { .s = s, .rec = &rec };
	struct kid k = { 0 };
	bool with_child = has_pidfd();
	int p[2];

	if (with_child) {
		k.pid = fork_kid(KID_EXIT3);
		assert_int_equal(sched_child(s, &k.ev, k.pid, 0, kid_cb, &k), 0);
	}
	make_pipe(p);
	assert_int_equal(sched_timer(s, &t.ev, 1000, record_cb, &t), 0);
	assert_int_equal(sched_read(s, &r.ev, p[0], 1000, record_cb, &r), 0);
	assert_int_equal(sched_signal(s, &g.ev, SIGUSR2, record_cb, &g), 0);
	assert_int_equal(sched_defer(s, &d.ev, record_cb, &d), 0);
	sched_free(s);
	assert_null(t.ev);
	assert_null(r.ev);
	assert_null(g.ev);
	assert_null(d.ev);
	assert_null(k.ev);
	assert_int_equal(rec.n + k.rec.n, 0);
	assert_false(is_blocked(SIGUSR2));
	if (with_child)
		waitpid(k.pid, NULL, 0);	/* sched_free reaps only what had already exited */
	close(p[0]);
	close(p[1]);
}

/* ---- deferrals ---- */

/*
 * A batch of a timer, a pipe and a signal; each one's callback records itself and
 * defers the same flush, which therefore runs once, after all three; then a second
 * deferral, armed by the first callback after the flush (arming order).
 */
struct batch {
	struct sched *s;
	struct rec rec;
	struct sched_ev *ev_timer, *ev_read, *ev_sig, *ev_flush, *ev_other;
	int fd;
	unsigned n_flush;
	enum sched_why flush_why;
	bool flush_ref_null;
};

enum { B_TIMER = 1, B_READ, B_SIG, B_FLUSH, B_OTHER };

static void batch_flush_cb(struct sched_ev *ev, void *arg)
{
	struct batch *b = arg;

	b->n_flush++;
	b->flush_why = sched_ev_why(ev);
	b->flush_ref_null = b->ev_flush == NULL;
	rec_add(&b->rec, B_FLUSH);
}

static void batch_other_cb(struct sched_ev *ev, void *arg)
{
	struct batch *b = arg;

	rec_add(&b->rec, B_OTHER);
}

static void batch_item(struct batch *b, int id)
{
	bool is_first = !b->ev_flush;

	rec_add(&b->rec, id);
	/* re-armed while pending (twice here, then by the others): keeps its place */
	assert_int_equal(sched_defer(b->s, &b->ev_flush, batch_flush_cb, b), 0);
	assert_int_equal(sched_defer(b->s, &b->ev_flush, batch_flush_cb, b), 0);
	/* the first producer also arms another deferral: it runs after the flush */
	if (is_first)
		assert_int_equal(sched_defer(b->s, &b->ev_other, batch_other_cb, b), 0);
}

static void batch_timer_cb(struct sched_ev *ev, void *arg)
{
	batch_item(arg, B_TIMER);
}

static void batch_read_cb(struct sched_ev *ev, void *arg)
{
	struct batch *b = arg;
	char c;

	assert_int_equal(read(b->fd, &c, 1), 1);
	sched_cancel(&b->ev_read);
	batch_item(b, B_READ);
}

static void batch_sig_cb(struct sched_ev *ev, void *arg)
{
	struct batch *b = arg;

	sched_cancel(&b->ev_sig);
	batch_item(b, B_SIG);
}

static void test_defer_after_batch(void **state)
{
	struct sched *s = sched_start();
	struct batch b = { .s = s };
	const int want[] = { B_TIMER, B_READ, B_SIG, B_FLUSH, B_OTHER };
	struct sched_stats st;
	int p[2];

	make_pipe(p);
	b.fd = p[0];
	assert_int_equal(write(p[1], "x", 1), 1);
	assert_int_equal(sched_signal(s, &b.ev_sig, SIGUSR1, batch_sig_cb, &b), 0);
	assert_int_equal(kill(getpid(), SIGUSR1), 0);
	/* due now, so the first wait only polls and sees the pipe and the signal with it */
	assert_int_equal(sched_timer(s, &b.ev_timer, 0, batch_timer_cb, &b), 0);
	assert_int_equal(sched_read(s, &b.ev_read, p[0], 0, batch_read_cb, &b), 0);
	assert_int_equal(sched_run(s), 0);
	assert_int_equal(b.rec.n, (int)ARRAY_SIZE(want));
	for (size_t i = 0; i < ARRAY_SIZE(want); i++)
		assert_int_equal(b.rec.order[i], want[i]);
	assert_int_equal(b.n_flush, 1);
	assert_int_equal(b.flush_why, SCHED_DEFERRED);
	assert_true(b.flush_ref_null);
	sched_get_stats(s, &st);
	assert_int_equal(st.n_iterations, 1);
	close(p[0]);
	close(p[1]);
	sched_finish(s);
}

/*
 * Cancelled before they run: d[1] by a later callback of the batch, d[3] by d[2] from
 * within the deferral step; d[0] replaced by a timer armed through its ref.
 */
static void test_defer_cancelled(void **state)
{
	struct sched *s = sched_start();
	struct rec rec = { 0 };
	struct item d[5], t = { .s = s, .rec = &rec, .id = 10, .fd = -1 };
	struct sched_ev *ev_start = NULL;

	for (int i = 0; i < 5; i++)
		d[i] = (struct item){ .s = s, .rec = &rec, .id = i, .fd = -1 };
	d[2].other = &d[3];
	t.other = &d[1];
	for (int i = 0; i < 5; i++)
		assert_int_equal(sched_defer(s, &d[i].ev, cancel_other_cb, &d[i]), 0);
	assert_int_equal(sched_timer(s, &ev_start, 0, cancel_other_cb, &t), 0);
	assert_int_equal(sched_timer(s, &d[0].ev, 1000, record_cb, &d[0]), 0);
	assert_int_equal(sched_run(s), 0);
	/* t, then the deferrals left in arming order, then d[0] as a timer */
	assert_int_equal(rec.n, 4);
	assert_int_equal(rec.order[0], 10);
	assert_int_equal(rec.order[1], 2);
	assert_int_equal(rec.order[2], 4);
	assert_int_equal(rec.order[3], 0);
	assert_int_equal(d[0].why, SCHED_TIMER);
	for (int i = 0; i < 5; i++)
		assert_null(d[i].ev);
	sched_finish(s);
}

/*
 * A deferral that defers itself again runs once per iteration, and those iterations
 * do not block: an fd that never becomes ready and a 10 s guard timer stay armed.
 */
struct again {
	struct sched *s;
	struct sched_ev *ev, *ev_read, *ev_guard;
	unsigned n;
	uint64_t iter[3];
};

static void again_cb(struct sched_ev *ev, void *arg)
{
	struct again *a = arg;
	struct sched_stats st;

	sched_get_stats(a->s, &st);
	a->iter[a->n++] = st.n_iterations;
	if (a->n < ARRAY_SIZE(a->iter)) {
		assert_int_equal(sched_defer(a->s, &a->ev, again_cb, a), 0);
		return;
	}
	sched_cancel(&a->ev_read);
	sched_cancel(&a->ev_guard);
}

static void guard_cb(struct sched_ev *ev, void *arg)
{
	fail_msg("the loop blocked with a deferral pending");
}

static void never_cb(struct sched_ev *ev, void *arg)
{
	fail_msg("the pipe was never written");
}

static void test_defer_again_next_iteration(void **state)
{
	struct sched *s = sched_start();
	struct again a = { .s = s };
	int p[2];

	make_pipe(p);
	assert_int_equal(sched_read(s, &a.ev_read, p[0], 0, never_cb, &a), 0);
	assert_int_equal(sched_timer(s, &a.ev_guard, 10000000, guard_cb, &a), 0);
	/* armed before sched_run(): the first iteration polls and runs it */
	assert_int_equal(sched_defer(s, &a.ev, again_cb, &a), 0);
	assert_int_equal(sched_run(s), 0);
	assert_int_equal(a.n, 3);
	assert_int_equal(a.iter[0], 1);
	assert_int_equal(a.iter[1], 2);
	assert_int_equal(a.iter[2], 3);
	close(p[0]);
	close(p[1]);
	sched_finish(s);
}

/* The iteration that calls sched_stop() still runs its deferrals; a deferral alone keeps the loop. */
static void stop_and_defer_cb(struct sched_ev *ev, void *arg)
{
	struct item *it = arg;

	rec_add(it->rec, it->id);
	assert_int_equal(sched_defer(it->s, &it->other->ev, record_cb, it->other), 0);
	sched_stop(it->s);
}

static void test_defer_on_stop(void **state)
{
	struct sched *s = sched_start();
	struct rec rec = { 0 };
	struct item stop = { .s = s, .rec = &rec, .id = 0 }, d = { .s = s, .rec = &rec, .id = 1 };
	struct item later = { .s = s, .rec = &rec, .id = 2 };

	stop.other = &d;
	assert_int_equal(sched_timer(s, &stop.ev, 0, stop_and_defer_cb, &stop), 0);
	assert_int_equal(sched_timer(s, &later.ev, 60000000, record_cb, &later), 0);
	assert_int_equal(sched_run(s), 0);
	assert_int_equal(rec.n, 2);
	assert_int_equal(rec.order[1], 1);
	assert_true(d.was_ref_null);
	sched_cancel(&later.ev);
	/* nothing but a deferral armed: sched_run runs it and returns */
	assert_int_equal(sched_defer(s, &d.ev, record_cb, &d), 0);
	assert_int_equal(sched_run(s), 0);
	assert_int_equal(rec.n, 3);
	assert_int_equal(rec.order[2], 1);
	sched_finish(s);
}

/* ---- many timers ---- */

#define N_MANY 100000

struct many;
struct many_item {
	struct many *m;
	struct sched_ev *ev;
	uint64_t at_us;
	unsigned idx;
	unsigned n_fired;
};

struct many {
	struct many_item *items;
	uint64_t last_at;
	unsigned last_idx;
	unsigned n_fired;
	bool is_ordered;
};

static void many_cb(struct sched_ev *ev, void *arg)
{
	struct many_item *it = arg;
	struct many *m = it->m;

	/* (deadline, arming order) never goes backwards */
	if (m->n_fired && (it->at_us < m->last_at ||
			   (it->at_us == m->last_at && it->idx < m->last_idx)))
		m->is_ordered = false;
	m->last_at = it->at_us;
	m->last_idx = it->idx;
	m->n_fired++;
	it->n_fired++;
}

static struct many *many_arm(struct sched *s, unsigned seed)
{
	struct many *m = calloc(1, sizeof(*m));
	uint64_t base = sched_now_us(s);

	assert_non_null(m);
	m->items = calloc(N_MANY, sizeof(*m->items));
	assert_non_null(m->items);
	m->is_ordered = true;
	srandom(seed);
	for (unsigned i = 0; i < N_MANY; i++) {
		struct many_item *it = &m->items[i];

		/* 20 ms span: five timers per µs on average, so many ties */
		*it = (struct many_item){ .m = m, .idx = i, .at_us = base + random() % 20000 };
		assert_int_equal(sched_timer_at(s, &it->ev, it->at_us, many_cb, it), 0);
	}
	return m;
}

static void many_free(struct many *m)
{
	free(m->items);
	free(m);
}

/*
 * Events of each kind have their own size, and a freed one is kept for the next of
 * its kind: one ref cycles through every kind from the callbacks (each step frees
 * the previous event while arming the next), so every spare is reused by its kind
 * only (ASan checks the sizes), and the accessors still read the right fields.
 */
struct cycle {
	struct sched *s;
	struct sched_ev *ev;
	int fd_r, fd_w;
	int round, step;
	enum sched_why whys[8];
};

enum { CYCLE_ROUNDS = 50 };

static void cycle_cb(struct sched_ev *ev, void *arg)
{
	struct cycle *c = arg;
	enum sched_why why = sched_ev_why(ev);

	assert_int_equal(why, c->whys[c->step]);
	switch (c->step) {
	case 0:		/* timer -> read watch with an idle timeout */
		assert_null(c->ev);
		assert_int_equal(sched_ev_fd(ev), -1);
		assert_int_equal(sched_read(c->s, &c->ev, c->fd_r, 60 * 1000000, cycle_cb, c), 0);
		break;
	case 1:		/* read -> deferral, through the armed ref (cancels the watch) */
		assert_int_equal(sched_ev_fd(ev), c->fd_r);
		assert_int_equal(sched_defer(c->s, &c->ev, cycle_cb, c), 0);
		break;
	case 2:		/* deferral -> write watch: ready in the batch its 1 us timeout is due in */
		assert_null(c->ev);
		assert_int_equal(sched_ev_pid(ev), -1);
		assert_int_equal(sched_write(c->s, &c->ev, c->fd_w, 1, cycle_cb, c), 0);
		break;
	case 3:		/* write ready -> signal watch, then the signal */
		assert_int_equal(sched_ev_fd(ev), c->fd_w);
		assert_int_equal(sched_signal(c->s, &c->ev, SIGUSR2, cycle_cb, c), 0);
		assert_int_equal(kill(getpid(), SIGUSR2), 0);
		break;
	case 4:		/* signal, cancelled in its snapshot (a zombie) -> timer, or the end */
		assert_non_null(sched_ev_siginfo(ev));
		assert_int_equal(sched_ev_siginfo(ev)->ssi_signo, SIGUSR2);
		sched_cancel(&c->ev);
		if (++c->round < CYCLE_ROUNDS)
			assert_int_equal(sched_timer(c->s, &c->ev, 0, cycle_cb, c), 0);
		break;
	}
	c->step = (c->step + 1) % 5;
}

static void test_kinds_recycled(void **state)
{
	struct cycle c = { .whys = { SCHED_TIMER, SCHED_READY, SCHED_DEFERRED, SCHED_READY,
				     SCHED_SIGNAL } };
	int p[2];

	c.s = sched_start();
	make_pipe(p);
	c.fd_r = p[0];
	c.fd_w = p[1];
	assert_int_equal(write(p[1], "x", 1), 1);	/* stays readable: never read */
	assert_int_equal(sched_timer(c.s, &c.ev, 0, cycle_cb, &c), 0);
	assert_int_equal(sched_run(c.s), 0);
	assert_int_equal(c.round, CYCLE_ROUNDS);
	assert_int_equal(c.step, 0);
	assert_null(c.ev);
	close(p[0]);
	close(p[1]);
	sched_finish(c.s);
}

/* ---- sched_timer_early ---- */

struct early_item {
	struct sched *s;
	struct sched_ev *ev;
	uint64_t iteration;	/* sched_stats.n_iterations when it ran, 0: never */
	uint64_t ran_at_us;
};

static void early_cb(struct sched_ev *ev, void *arg)
{
	struct early_item *it = arg;
	struct sched_stats st;

	sched_get_stats(it->s, &st);
	it->iteration = st.n_iterations;
	it->ran_at_us = sched_now_us(it->s);
}

static void test_early_timer_rides_on_wakeups(void **state)
{
	struct sched *s = sched_start();
	struct early_item e = { .s = s }, plain = { .s = s }, soon = { .s = s };
	uint64_t t0 = sched_now_us(s);

	/* A wakeup inside the window (10..40 ms) runs it, in that same iteration. */
	assert_int_equal(sched_timer_early(s, &e.ev, 40000, 30000, early_cb, &e), 0);
	assert_int_equal(sched_timer(s, &plain.ev, 20000, early_cb, &plain), 0);
	assert_int_equal(sched_run(s), 0);
	assert_int_not_equal(e.iteration, 0);
	assert_int_equal(e.iteration, plain.iteration);
	assert_true(plain.ran_at_us >= t0 + 20000);

	/* A wakeup before the window (200..300 ms) does not; it wakes the loop at its deadline. */
	e = (struct early_item){ .s = s };
	plain = (struct early_item){ .s = s };
	t0 = sched_now_us(s);
	assert_int_equal(sched_timer_early(s, &e.ev, 300000, 100000, early_cb, &e), 0);
	assert_int_equal(sched_timer(s, &soon.ev, 0, early_cb, &soon), 0);
	assert_int_equal(sched_run(s), 0);
	assert_int_not_equal(soon.iteration, 0);
	assert_true(e.iteration > soon.iteration);
	assert_true(e.ran_at_us >= t0 + 300000);

	/* Cancelled, or re-armed as a plain timer: the window is gone with it. */
	e = (struct early_item){ .s = s };
	plain = (struct early_item){ .s = s };
	assert_int_equal(sched_timer_early(s, &e.ev, 40000, 30000, early_cb, &e), 0);
	sched_cancel(&e.ev);
	assert_int_equal(sched_timer(s, &plain.ev, 20000, early_cb, &plain), 0);
	assert_int_equal(sched_run(s), 0);
	assert_int_equal(e.iteration, 0);
	plain = (struct early_item){ .s = s };
	t0 = sched_now_us(s);
	assert_int_equal(sched_timer_early(s, &e.ev, 60000, 50000, early_cb, &e), 0);
	assert_int_equal(sched_timer(s, &e.ev, 60000, early_cb, &e), 0);
	assert_int_equal(sched_timer(s, &plain.ev, 20000, early_cb, &plain), 0);
	assert_int_equal(sched_run(s), 0);
	assert_true(e.iteration > plain.iteration);
	assert_true(e.ran_at_us >= t0 + 60000);
	sched_finish(s);
}

static void test_100k_timers_in_order(void **state)
{
	struct sched *s = sched_start();
	struct many *m = many_arm(s, 1);

	assert_int_equal(sched_run(s), 0);
	assert_int_equal(m->n_fired, N_MANY);
	assert_true(m->is_ordered);
	for (unsigned i = 0; i < N_MANY; i++)
		assert_int_equal(m->items[i].n_fired, 1);
	many_free(m);
	sched_finish(s);
}

static void test_cancel_half_of_100k(void **state)
{
	struct sched *s = sched_start();
	struct many *m = many_arm(s, 2);
	unsigned *perm = malloc(N_MANY * sizeof(*perm));
	bool *is_cancelled = calloc(N_MANY, sizeof(*is_cancelled));
	struct sched_stats st;

	assert_non_null(perm);
	assert_non_null(is_cancelled);
	for (unsigned i = 0; i < N_MANY; i++)
		perm[i] = i;
	for (unsigned i = N_MANY - 1; i > 0; i--) {	/* Fisher-Yates */
		unsigned j = random() % (i + 1), t = perm[i];

		perm[i] = perm[j];
		perm[j] = t;
	}
	for (unsigned i = 0; i < N_MANY / 2; i++) {
		sched_cancel(&m->items[perm[i]].ev);
		is_cancelled[perm[i]] = true;
	}
	sched_get_stats(s, &st);
	assert_int_equal(st.n_timers, N_MANY / 2);
	assert_int_equal(sched_run(s), 0);
	assert_int_equal(m->n_fired, N_MANY / 2);
	assert_true(m->is_ordered);
	for (unsigned i = 0; i < N_MANY; i++)
		if (m->items[i].n_fired != (is_cancelled[i] ? 0u : 1u))
			fail_msg("timer %u (%s) fired %u times", i,
				 is_cancelled[i] ? "cancelled" : "armed", m->items[i].n_fired);
	free(perm);
	free(is_cancelled);
	many_free(m);
	sched_finish(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timer_order_and_ties),
		cmocka_unit_test(test_timer_at_ties),
		cmocka_unit_test(test_cancel_timer_during_dispatch),
		cmocka_unit_test(test_cancel_fd_in_batch),
		cmocka_unit_test(test_timer_cancels_ready_fd),
		cmocka_unit_test(test_callback_frees_own_object),
		cmocka_unit_test(test_rearm_via_same_ref),
		cmocka_unit_test(test_zero_timer_runs_next_iteration),
		cmocka_unit_test(test_read_vs_timeout),
		cmocka_unit_test(test_idle_timeout_restarts),
		cmocka_unit_test(test_write_watch),
		cmocka_unit_test(test_read_and_write_one_fd),
		cmocka_unit_test(test_hup_wakes_both),
		cmocka_unit_test(test_hup_err_alone_wake),
		cmocka_unit_test(test_revents_of_connect),
		cmocka_unit_test(test_fd_above_1024),
		cmocka_unit_test(test_child_exit_status),
		cmocka_unit_test(test_child_timeout),
		cmocka_unit_test(test_child_cancel_still_reaped),
		cmocka_unit_test(test_rearm_watch_in_place),
		cmocka_unit_test(test_signals),
		cmocka_unit_test(test_free_forked),
		cmocka_unit_test(test_stop_from_callback),
		cmocka_unit_test(test_cancel_null_safe),
		cmocka_unit_test(test_slow_callback_counted),
		cmocka_unit_test(test_free_while_armed),
		cmocka_unit_test(test_defer_after_batch),
		cmocka_unit_test(test_defer_cancelled),
		cmocka_unit_test(test_defer_again_next_iteration),
		cmocka_unit_test(test_defer_on_stop),
		cmocka_unit_test(test_kinds_recycled),
		cmocka_unit_test(test_early_timer_rides_on_wakeups),
		cmocka_unit_test(test_100k_timers_in_order),
		cmocka_unit_test(test_cancel_half_of_100k),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
