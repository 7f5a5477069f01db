/* SPDX-License-Identifier: GPL-2.0-or-later */
/* lib/sched_int.h: what the loop (lib/scheduler.c) and its events (lib/sched_ev.c) share. */
#pragma once
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/types.h>

#include "list.h"
#include "sched_heap.h"
#include "scheduler.h"
#include "utils.h"

/* Internal to the scheduler: no other file includes this. */

#ifdef HAVE_PIDFD_OPEN
#include <sys/pidfd.h>
#else
/* glibc before 2.36 has neither wrapper; the kernel has had both since 5.3. */
static inline int pidfd_open(pid_t pid, unsigned int flags)
{
	return (int)syscall(SYS_pidfd_open, pid, flags);
}

static inline int pidfd_send_signal(int pidfd, int sig, siginfo_t *info, unsigned int flags)
{
	return (int)syscall(SYS_pidfd_send_signal, pidfd, sig, info, flags);
}
#endif

#define MAX_EVENTS	256		/* epoll batch: fds beyond it wait one iteration */
#define SIG_BUDGET	16		/* siginfos read per wakeup; the rest stay queued */
#define SLOW_US		5000		/* a callback longer than this is logged */

enum ev_kind { EV_TIMER, EV_READ, EV_WRITE, EV_CHILD, EV_SIGNAL, EV_DEFER, EV__COUNT };

/*
 * What every event has; a timer is nothing more (56 bytes: one 64-byte malloc chunk,
 * and one per armed timer is the bulk of a VRRP child's events). The other kinds
 * embed it first and are allocated at their own size (see ev_size).
 */
struct sched_ev {
	struct sched *s;
	struct sched_ev **ref;		/* the caller's handle, NULL once detached */
	sched_fn *fn;			/* NULL: a child the loop reaps silently */
	void *arg;
	const char *name;
	struct sched_ev *next_zombie;
	struct sched_heap_node hn;	/* in s->heap while a deadline is armed */
	uint8_t kind;			/* enum ev_kind */
	uint8_t why;			/* enum sched_why of the running callback */
	bool is_pending;		/* the batch or signal snapshot points at it */
	bool is_dead;			/* cancelled while pending: skip, free in step 8 */
};

struct ev_fd {				/* EV_READ, EV_WRITE */
	struct sched_ev ev;
	uint64_t timeout_us;		/* idle timeout, 0: none */
	int fd;
	uint32_t revents;		/* epoll's events of the SCHED_READY being dispatched */
};

struct ev_child {			/* EV_CHILD; its timeout is only a deadline in the heap */
	struct sched_ev ev;
	pid_t pid;
	int pidfd;
	int status;
};

struct ev_sig {				/* EV_SIGNAL */
	struct sched_ev ev;
	struct list node;		/* in s->sig[signo] */
	const struct signalfd_siginfo *si;
	int signo;
};

struct ev_defer {			/* EV_DEFER */
	struct sched_ev ev;
	struct list node;		/* in s->deferred */
	uint64_t gen;			/* s->defer_gen when armed */
};


#define EV_OF(type, e) container_of(e, struct type, ev)
#define FD_OF(e) EV_OF(ev_fd, e)
#define CHILD_OF(e) EV_OF(ev_child, e)
#define SIG_OF(e) EV_OF(ev_sig, e)
#define DEFER_OF(e) EV_OF(ev_defer, e)

/* Indexed by fd number: fd watches, and the pidfds of child watches (in rd). */
struct fd_slot {
	struct sched_ev *rd, *wr;
	uint32_t mask;			/* what epoll has registered for this fd */
};

struct sched {
	int epfd, tfd, sigfd;
	uint64_t now_us;
	uint64_t t_last_us;		/* end of the previous callback, for timing */
	uint64_t tfd_at_us;		/* deadline on the timerfd; 0 disarmed, TFD_FIRED */
	bool no_pwait2;			/* the kernel lacks epoll_pwait2: the timerfd does timeouts */
	bool is_running, is_stopped, is_in_timers;
	bool is_forked;		/* sched_free_forked(): leave the signal mask alone */

	struct sched_heap heap;

	struct fd_slot *slots;
	int n_slots;

	struct sched_ev *pending[2 * MAX_EVENTS];
	unsigned n_pending;
	struct sched_ev **snap;		/* the watches of the signal being dispatched */
	size_t cap_snap;
	struct sched_ev *zombies;
	struct sched_ev *firing;	/* one-shot in its callback, freed after it returns */
	struct sched_ev *early;		/* sched_timer_early()'s timer: always armed (in the heap) */
	uint64_t early_from_us;		/* it may run at any iteration from then on */
	struct sched_ev *spare[EV__COUNT];	/* a freed event of each kind kept for the next one:
						 * re-arming allocates nothing */

	struct list deferred;		/* sched_defer, in arming order */
	uint64_t defer_gen;		/* bumped at each step 7 */

	struct list sig[_NSIG];		/* watches per signal number */
	sigset_t sig_mask;		/* what the signalfd reads */
	sigset_t sig_blocked_by_us;	/* unblocked again when the last watch goes */

	unsigned n_reaping;		/* cancelled or timed-out children not yet reaped */
	struct sched_stats st;
	struct epoll_event evs[MAX_EVENTS];
	/* sched_set_late(): a due timer found more than late_us late calls late_cb */
	uint64_t late_us;
	void (*late_cb)(void *arg, uint64_t late_us);
	void *late_arg;
};

#define TFD_FIRED UINT64_MAX

static inline uint64_t add_sat(uint64_t a, uint64_t b)
{
	return a + b < a ? UINT64_MAX : a + b;
}

static inline void ev_detach(struct sched_ev *ev)
{
	if (ev->ref)
		*ev->ref = NULL;
	ev->ref = NULL;
}

static inline void ev_free(struct sched *s, struct sched_ev *ev)
{
	if (s->early == ev)
		s->early = NULL;
	if (s->spare[ev->kind])
		free(ev);
	else
		s->spare[ev->kind] = ev;
}

/* sched_ev.c, for the loop */
void sched_ev_slot_clear(struct sched *s, struct sched_ev *ev, int fd);
/* The last watch on signo went: stop reading it, and unblock it unless it was blocked before. */
void sched_ev_sig_unwatch(struct sched *s, int signo);
