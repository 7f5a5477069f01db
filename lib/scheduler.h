/* SPDX-License-Identifier: GPL-2.0-or-later */
/* lib/scheduler.h: the event loop of one process (fds, timers, children, signals). */
#pragma once
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/signalfd.h>
#include <sys/types.h>

/*
 * One struct sched per process; one epoll_wait dispatches everything.
 *
 * Handles: every arming call takes `struct sched_ev **ref`. The loop keeps *ref
 * pointing at the live event and sets it to NULL when the event is cancelled and
 * before it calls a one-shot callback (timer, child, deferral), which may re-arm it.
 * So `obj->ev_x != NULL` means "armed", and sched_cancel(&obj->ev_x) is always safe.
 * Arming through a ref that is armed replaces the old event (it is cancelled); a
 * pending deferral is the exception (see sched_defer).
 * fd and signal watches are persistent: they stay until cancelled.
 *
 * Time: timers count from sched_now_us() (CLOCK_MONOTONIC, µs), read once per
 * iteration. Timers due at the same instant run in the order they were armed.
 * Timers live in a binary heap: O(log n) arm and cancel.
 *
 * Callbacks: may cancel any event, arm new ones, free their own object; the loop
 * never touches an event after its callback returns if it was cancelled or
 * one-shot. A callback must never block. Each callback is timed, and one that
 * runs over 5 ms is logged with its name (the function name, taken by the macros below).
 *
 * Nothing here is thread-safe: one thread, one loop.
 */
struct sched;
struct sched_ev;
typedef void sched_fn(struct sched_ev *ev, void *arg);

/* Why a callback runs; read it with sched_ev_why() during the callback. */
enum sched_why {
	SCHED_TIMER,		/* a timer expired */
	SCHED_READY,		/* the fd is readable (sched_read) or writable (sched_write) */
	SCHED_TIMEOUT,		/* an fd watch saw no readiness within its timeout; now cancelled */
	SCHED_CHILD_EXIT,	/* a child exited; sched_ev_status() has its wait status */
	SCHED_CHILD_TIMEOUT,	/* a child overran its timeout; the loop sent it SIGKILL and reaps it */
	SCHED_SIGNAL,		/* a signal arrived; sched_ev_siginfo() has it */
	SCHED_DEFERRED,		/* the iteration's events are all dispatched (sched_defer) */
};

int sched_new(struct sched **ret);		/* 0 or -errno */
void sched_free(struct sched *s);		/* NULL is fine; cancels everything without callbacks */
/*
 * In a process forked from inside one of s's callbacks: drop the parent's loop
 * (its fds, memory, signal mask) without callbacks. The caller must never return
 * into the loop afterwards.
 */
void sched_free_forked(struct sched *s);

uint64_t sched_now_us(const struct sched *s);	/* cached once per iteration */

/*
 * Run until sched_stop() is called or nothing is armed (no timer, fd watch,
 * child, signal or deferral; a child the loop is still reaping counts). An
 * iteration that calls sched_stop() still runs its deferrals. Returns 0, or
 * -errno if epoll_wait fails for good. Not from a callback.
 */
int sched_run(struct sched *s);
void sched_stop(struct sched *s);		/* safe in a callback: returns after this iteration */

/* One-shot timer, after_us from sched_now_us(). */
int sched_timer_named(struct sched *s, struct sched_ev **ref, uint64_t after_us,
		      sched_fn *fn, void *arg, const char *name);
/* Absolute deadline on the sched_now_us() clock. */
int sched_timer_at_named(struct sched *s, struct sched_ev **ref, uint64_t at_us,
			 sched_fn *fn, void *arg, const char *name);

/*
 * A one-shot timer after_us from now that may also run up to early_us sooner, at the
 * first iteration the loop makes anyway (for an fd, another timer ...) once inside that
 * window; the loop wakes for it only at its deadline. For periodic housekeeping, such
 * as the children's heartbeat, that should ride on wakeups the loop has anyway instead
 * of costing one of its own. One per loop: arming another makes the first a plain timer
 * (so does re-arming it with sched_timer()).
 */
int sched_timer_early_named(struct sched *s, struct sched_ev **ref, uint64_t after_us,
			    uint64_t early_us, sched_fn *fn, void *arg, const char *name);

/*
 * When an iteration finds a due timer more than late_us past its time (a loaded machine,
 * the process stopped), cb(arg, how late) is called first, at most once per iteration
 * (keepalived's max_auto_priority raises the process's priority then). NULL cb: none.
 */
void sched_set_late(struct sched *s, uint64_t late_us, void (*cb)(void *arg, uint64_t late_us),
		    void *arg);

/*
 * Persistent fd watches. timeout_us 0 means none; otherwise the callback runs with
 * SCHED_TIMEOUT (and the watch is cancelled) if timeout_us passes without readiness;
 * the countdown restarts after every SCHED_READY dispatch. The fd stays the caller's:
 * cancel the watch before closing it. One read and one write watch per fd at most.
 */
int sched_read_named(struct sched *s, struct sched_ev **ref, int fd, uint64_t timeout_us,
		     sched_fn *fn, void *arg, const char *name);
int sched_write_named(struct sched *s, struct sched_ev **ref, int fd, uint64_t timeout_us,
		      sched_fn *fn, void *arg, const char *name);

/*
 * Watch a child process (by pidfd). One-shot: SCHED_CHILD_EXIT with the wait status,
 * or, after timeout_us (0: none), SCHED_CHILD_TIMEOUT: the loop has sent SIGKILL to the
 * child's process group (and the child) and reaps it itself afterwards.
 * Cancelling a child watch does not kill the child; the loop still reaps it.
 * One watch per child (re-arming its ref for the same pid updates it); the status
 * is -1 if something else reaped it first.
 */
int sched_child_named(struct sched *s, struct sched_ev **ref, pid_t pid, uint64_t timeout_us,
		      sched_fn *fn, void *arg, const char *name);

/*
 * Persistent signal watch through signalfd: the signal is blocked for the process
 * while watched and unblocked when the last watch on it is cancelled. Forked
 * children must call sched_child_reset_signals() (lib/process does) before exec.
 */
int sched_signal_named(struct sched *s, struct sched_ev **ref, int signo,
		       sched_fn *fn, void *arg, const char *name);

/*
 * Deferred work, for batching: fn runs once, after every timer, fd, child and signal
 * callback of the current iteration, before the loop waits again (armed outside
 * sched_run(): in its first iteration, which does not block). One-shot like a timer:
 * *ref is NULL again when fn runs. Deferring through a ref that is pending changes its
 * callback and nothing else (it keeps its place): a producer can call this for every
 * item it queues. Deferrals run in the order they were armed; one armed while the
 * deferrals run (fn deferring itself again) waits for the end of the next iteration,
 * which then only polls instead of waiting. Cancel with sched_cancel(). 0 or -EINVAL.
 */
int sched_defer_named(struct sched *s, struct sched_ev **ref, sched_fn *fn, void *arg,
		      const char *name);

/* Idempotent: cancels *ref if armed and sets *ref = NULL. No callback runs. */
void sched_cancel(struct sched_ev **ref);

/* During a callback only. */
enum sched_why sched_ev_why(const struct sched_ev *ev);
int sched_ev_fd(const struct sched_ev *ev);			/* fd watches */
/*
 * SCHED_READY of an fd watch: epoll's event bits (EPOLLIN, EPOLLOUT, EPOLLERR, EPOLLHUP
 * ...), e.g. to tell a non-blocking connect that succeeded (EPOLLOUT alone) from one that
 * failed (EPOLLERR) without a getsockopt(). 0 otherwise.
 */
uint32_t sched_ev_revents(const struct sched_ev *ev);
pid_t sched_ev_pid(const struct sched_ev *ev);			/* child watches */
int sched_ev_status(const struct sched_ev *ev);			/* SCHED_CHILD_EXIT: wait status */
const struct signalfd_siginfo *sched_ev_siginfo(const struct sched_ev *ev); /* SCHED_SIGNAL */

/* In a freshly forked child: unblock every signal, restore default handlers. */
void sched_child_reset_signals(void);

/* Counters for stats dumps and tests. */
struct sched_stats {
	uint64_t n_iterations;
	uint64_t n_dispatched;
	uint64_t n_slow;	/* callbacks over the slow threshold */
	unsigned n_timers, n_fds, n_children, n_signals, n_deferred;	/* currently armed */
};
void sched_get_stats(const struct sched *s, struct sched_stats *out);

/* The callback's function name becomes the event's name (for slow-callback warnings). */
#define sched_timer(s, ref, after_us, fn, arg) \
	sched_timer_named(s, ref, after_us, fn, arg, #fn)
#define sched_timer_at(s, ref, at_us, fn, arg) \
	sched_timer_at_named(s, ref, at_us, fn, arg, #fn)
#define sched_timer_early(s, ref, after_us, early_us, fn, arg) \
	sched_timer_early_named(s, ref, after_us, early_us, fn, arg, #fn)
#define sched_read(s, ref, fd, timeout_us, fn, arg) \
	sched_read_named(s, ref, fd, timeout_us, fn, arg, #fn)
#define sched_write(s, ref, fd, timeout_us, fn, arg) \
	sched_write_named(s, ref, fd, timeout_us, fn, arg, #fn)
#define sched_child(s, ref, pid, timeout_us, fn, arg) \
	sched_child_named(s, ref, pid, timeout_us, fn, arg, #fn)
#define sched_signal(s, ref, signo, fn, arg) \
	sched_signal_named(s, ref, signo, fn, arg, #fn)
#define sched_defer(s, ref, fn, arg) \
	sched_defer_named(s, ref, fn, arg, #fn)
