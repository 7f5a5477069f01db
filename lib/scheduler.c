// SPDX-License-Identifier: GPL-2.0-or-later
/* lib/scheduler.c: the event loop: a timer heap, epoll over fds, pidfds, a timerfd and a signalfd. */

/*
 * One iteration of sched_run():
 *
 *  1. Wait in epoll_wait(). The earliest heap deadline is armed on a timerfd
 *     (CLOCK_MONOTONIC, TFD_TIMER_ABSTIME), so timers wake us to the microsecond
 *     instead of epoll's whole milliseconds (a VRRPv3 advert can be 10 ms). When an
 *     entry is already due we only poll (timeout 0).
 *  2. Read the clock once: that is sched_now_us() for the whole iteration.
 *  3. Walk the batch: every fd or child watch it names is marked pending.
 *  4. Pop due heap entries in (deadline, sequence) order: timers, fd-watch idle
 *     timeouts, child timeouts. Entries armed or moved during this step wait for
 *     the next iteration, even with after_us 0, so a timer that re-arms itself
 *     cannot starve the fds. A timeout whose watch is pending in this batch does
 *     not fire: the data (or the exit) arrived before we looked, so it wins.
 *  5. Dispatch the pending watches in batch order: SCHED_READY for fds, reaping
 *     and SCHED_CHILD_EXIT for pidfds.
 *  6. If the signalfd was ready, read up to SIG_BUDGET siginfos and call every
 *     watch on each signal.
 *  7. Run the deferred callbacks (sched_defer) in arming order. One armed during
 *     this step waits for the next iteration, whose wait then only polls: as with
 *     timers, a callback that defers itself again cannot starve the fds.
 *  8. Free the events that were cancelled while pending.
 *
 * Reentrancy: the batch (step 5) and the signal snapshot (step 6) hold pointers to
 * events that a callback may cancel. Such an event is marked dead and parked on
 * the zombie list until step 8 instead of being freed; dispatch skips dead events.
 * Every other cancel frees at once, and the loop never touches an event after its
 * callback: anything to do to it (restarting an idle timeout) is done before.
 */
#include "scheduler.h"

#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "list.h"
#include "log.h"
#include "sched_heap.h"
#include "utils.h"

#ifdef HAVE_PIDFD_OPEN
#include <sys/pidfd.h>
#else
/* glibc before 2.36 has neither wrapper; the kernel has had both since 5.3. */
static int pidfd_open(pid_t pid, unsigned int flags)
{
	return (int)syscall(SYS_pidfd_open, pid, flags);
}

static int pidfd_send_signal(int pidfd, int sig, siginfo_t *info, unsigned int flags)
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

static const size_t ev_size[EV__COUNT] = {
	[EV_TIMER] = sizeof(struct sched_ev),
	[EV_READ] = sizeof(struct ev_fd), [EV_WRITE] = sizeof(struct ev_fd),
	[EV_CHILD] = sizeof(struct ev_child),
	[EV_SIGNAL] = sizeof(struct ev_sig),
	[EV_DEFER] = sizeof(struct ev_defer),
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
};

#define TFD_FIRED UINT64_MAX

static uint64_t add_sat(uint64_t a, uint64_t b)
{
	return a + b < a ? UINT64_MAX : a + b;
}

/*
 * Outside sched_run() nothing refreshes the cached clock, so a relative deadline armed
 * after a long start-up (config load) would count from a stale now and fire early.
 */
static uint64_t arm_now(struct sched *s)
{
	if (!s->is_running)
		s->now_us = mono_now_us();
	return s->now_us;
}

static void set_handler(struct sched_ev *ev, sched_fn *fn, void *arg, const char *name)
{
	ev->fn = fn;
	ev->arg = arg;
	ev->name = name ? name : "?";
}

/*
 * A timer that re-arms itself from its callback (every advert timer) needs a new event
 * while the loop still holds the old one: keeping the last freed event makes that a swap.
 */
static struct sched_ev *ev_new(struct sched *s, enum ev_kind kind, sched_fn *fn, void *arg,
			       const char *name)
{
	struct sched_ev *ev = s->spare[kind] ? s->spare[kind] : xmalloc(ev_size[kind]);

	s->spare[kind] = NULL;
	memset(ev, 0, ev_size[kind]);
	ev->s = s;
	ev->hn.idx = SCHED_HEAP_NONE;
	ev->kind = kind;
	set_handler(ev, fn, arg, name);
	return ev;
}

/* The watch timeout of an fd or child, counted from now; 0 takes it out of the heap. */
static void set_timeout(struct sched *s, struct sched_ev *ev, uint64_t timeout_us)
{
	if (ev->kind != EV_CHILD)
		FD_OF(ev)->timeout_us = timeout_us;	/* restarted after each dispatch */
	if (timeout_us)
		sched_heap_set(&s->heap, &ev->hn, add_sat(arm_now(s), timeout_us));
	else
		sched_heap_remove(&s->heap, &ev->hn);
}

static void ev_attach(struct sched_ev *ev, struct sched_ev **ref)
{
	ev->ref = ref;
	*ref = ev;
}

static void ev_detach(struct sched_ev *ev)
{
	if (ev->ref)
		*ev->ref = NULL;
	ev->ref = NULL;
}

static void ev_free(struct sched *s, struct sched_ev *ev)
{
	if (s->early == ev)
		s->early = NULL;
	if (s->spare[ev->kind])
		free(ev);
	else
		s->spare[ev->kind] = ev;
}

/* The batch or the signal snapshot may still point at a pending event: free it in step 8. */
static void ev_release(struct sched *s, struct sched_ev *ev)
{
	ev->is_dead = true;
	if (ev->is_pending) {
		ev->next_zombie = s->zombies;
		s->zombies = ev;
	} else {
		ev_free(s, ev);
	}
}

/* Grows geometrically: fd numbers past 1024 are the reason we are not select(). */
static void slots_reserve(struct sched *s, int fd)
{
	int n = s->n_slots ? s->n_slots : 64;

	if (fd < s->n_slots)
		return;
	while (n <= fd)
		n *= 2;
	s->slots = xrealloc(s->slots, n * sizeof(*s->slots));
	memset(s->slots + s->n_slots, 0, (n - s->n_slots) * sizeof(*s->slots));
	s->n_slots = n;
}

/* One epoll registration per fd carries both interests: ADD, MOD or DEL to match the slot. */
static int slot_sync(struct sched *s, int fd)
{
	struct fd_slot *sl = &s->slots[fd];
	uint32_t want = (sl->rd ? EPOLLIN : 0) | (sl->wr ? EPOLLOUT : 0);
	struct epoll_event ee = { .events = want, .data.fd = fd };
	int op;

	if (want == sl->mask)
		return 0;
	op = !sl->mask ? EPOLL_CTL_ADD : !want ? EPOLL_CTL_DEL : EPOLL_CTL_MOD;
	/* DEL may fail if the owner closed the fd first (closing dropped the registration) */
	if (epoll_ctl(s->epfd, op, fd, &ee) < 0 && op != EPOLL_CTL_DEL)
		return -errno;
	sl->mask = want;
	return 0;
}

static void slot_clear(struct sched *s, struct sched_ev *ev, int fd)
{
	struct fd_slot *sl = &s->slots[fd];

	if (sl->rd == ev)
		sl->rd = NULL;
	else if (sl->wr == ev)
		sl->wr = NULL;
	slot_sync(s, fd);
}

static int sig_watch(struct sched *s, int signo)
{
	sigset_t one, old, mask = s->sig_mask;
	struct epoll_event ee = { .events = EPOLLIN };
	int r, fd;

	if (sigemptyset(&one) < 0 || sigaddset(&one, signo) < 0 || sigaddset(&mask, signo) < 0)
		return -EINVAL;	/* glibc keeps 32 and 33 for itself */
	/* Block first: a signal arriving in between then waits in the signalfd. */
	if (sigprocmask(SIG_BLOCK, &one, &old) < 0)
		return -errno;
	fd = signalfd(s->sigfd, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (fd < 0) {
		r = -errno;
		goto fail;
	}
	if (s->sigfd < 0) {
		ee.data.fd = fd;
		if (epoll_ctl(s->epfd, EPOLL_CTL_ADD, fd, &ee) < 0) {
			r = -errno;
			close(fd);
			goto fail;
		}
		s->sigfd = fd;
	}
	s->sig_mask = mask;
	if (!sigismember(&old, signo))
		sigaddset(&s->sig_blocked_by_us, signo);
	return 0;
fail:
	if (!sigismember(&old, signo))
		sigprocmask(SIG_UNBLOCK, &one, NULL);
	return r;
}

/* The last watch on signo went: stop reading it, and unblock it unless it was blocked before. */
static void sig_unwatch(struct sched *s, int signo)
{
	sigset_t one;

	sigdelset(&s->sig_mask, signo);
	/* After fork() the signalfd is shared with the parent: sched_free closes it first. */
	if (s->sigfd >= 0)
		signalfd(s->sigfd, &s->sig_mask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (sigismember(&s->sig_blocked_by_us, signo) && !s->is_forked) {
		sigdelset(&s->sig_blocked_by_us, signo);
		sigemptyset(&one);
		sigaddset(&one, signo);
		sigprocmask(SIG_UNBLOCK, &one, NULL);
	}
}

static void ev_cancel(struct sched *s, struct sched_ev *ev)
{
	ev_detach(ev);
	sched_heap_remove(&s->heap, &ev->hn);
	switch (ev->kind) {
	case EV_TIMER:
		s->st.n_timers--;
		ev_release(s, ev);
		break;
	case EV_READ:
	case EV_WRITE:
		slot_clear(s, ev, FD_OF(ev)->fd);
		s->st.n_fds--;
		ev_release(s, ev);
		break;
	case EV_CHILD:
		/* No kill, but the child must not stay a zombie: keep the pidfd to reap it. */
		s->st.n_children--;
		s->n_reaping++;
		ev->fn = NULL;
		break;
	case EV_SIGNAL:
		list_del(&SIG_OF(ev)->node);
		s->st.n_signals--;
		if (list_empty(&s->sig[SIG_OF(ev)->signo]))
			sig_unwatch(s, SIG_OF(ev)->signo);
		ev_release(s, ev);
		break;
	case EV_DEFER:
		list_del(&DEFER_OF(ev)->node);
		s->st.n_deferred--;
		ev_release(s, ev);
		break;
	}
}

void sched_cancel(struct sched_ev **ref)
{
	if (ref && *ref)
		ev_cancel((*ref)->s, *ref);
}

/* Run a callback and time it. The chained clock read costs one per callback. */
static void call(struct sched *s, struct sched_ev *ev, sched_fn *fn, void *arg, const char *name)
{
	uint64_t t, dt;

	fn(ev, arg);
	t = mono_now_us();
	dt = t - s->t_last_us;
	s->t_last_us = t;
	s->st.n_dispatched++;
	/*
	 * A callback that stopped the loop is the process winding down (releasing,
	 * closing locked pid files): nobody waits on the loop any more, so no warning.
	 */
	if (dt > SLOW_US && !s->is_stopped) {
		s->st.n_slow++;
		log_warn("Scheduler: %s took %.1f ms", name, dt / 1000.0);
		s->t_last_us = mono_now_us();	/* the warning is not the next callback's time */
	}
}

/* A one-shot event is the loop's alone once detached: it frees it after the callback. */
static void call_once(struct sched *s, struct sched_ev *ev, sched_fn *fn)
{
	s->firing = ev;		/* for sched_free_forked() from inside the callback */
	call(s, ev, fn, ev->arg, ev->name);
	s->firing = NULL;
	ev_free(s, ev);
}

/* A wait status as waitpid() would give it, from waitid()'s siginfo. */
static int wait_status(const siginfo_t *si)
{
	switch (si->si_code) {
	case CLD_EXITED:
		return W_EXITCODE(si->si_status, 0);
	case CLD_KILLED:
		return W_EXITCODE(0, si->si_status);
	case CLD_DUMPED:
		return W_EXITCODE(0, si->si_status) | WCOREFLAG;
	}
	return -1;
}

/* SIGKILL to the child's process group if it leads one (a script's own children), then to it. */
static void kill_child(struct sched_ev *ev)
{
	pid_t pid = CHILD_OF(ev)->pid;

	if (getpgid(pid) == pid)
		kill(-pid, SIGKILL);
	/* by pidfd: if it is not our child, its pid could have been reused */
	pidfd_send_signal(CHILD_OF(ev)->pidfd, SIGKILL, NULL, 0);
}

static void child_exited(struct sched *s, struct sched_ev *ev)
{
	struct ev_child *c = CHILD_OF(ev);
	siginfo_t si;
	int status = -1;
	sched_fn *fn = ev->fn;

	memset(&si, 0, sizeof(si));
	if (waitid(P_PIDFD, c->pidfd, &si, WEXITED | WNOHANG) == 0) {
		if (si.si_pid == 0)
			return;		/* not exited after all: keep watching */
		status = wait_status(&si);
	}
	/* else ECHILD: reaped elsewhere or not our child; the status is unknown (-1) */
	sched_heap_remove(&s->heap, &ev->hn);
	slot_clear(s, ev, c->pidfd);
	close(c->pidfd);
	c->pidfd = -1;
	if (!fn) {
		s->n_reaping--;
		free(ev);
		return;
	}
	ev_detach(ev);
	s->st.n_children--;
	ev->why = SCHED_CHILD_EXIT;
	c->status = status;
	call_once(s, ev, fn);
}

static void expire(struct sched *s, struct sched_ev *ev)
{
	sched_fn *fn = ev->fn;

	switch (ev->kind) {
	case EV_TIMER:
		if (s->early == ev)
			s->early = NULL;
		ev_detach(ev);
		s->st.n_timers--;
		ev->why = SCHED_TIMER;
		call_once(s, ev, fn);
		break;
	case EV_READ:
	case EV_WRITE:
		if (ev->is_pending)
			break;		/* step 5 dispatches it and restarts the countdown */
		ev_detach(ev);
		slot_clear(s, ev, FD_OF(ev)->fd);
		s->st.n_fds--;
		ev->why = SCHED_TIMEOUT;
		call_once(s, ev, fn);
		break;
	case EV_CHILD:
		if (ev->is_pending || !fn)
			break;		/* it exited in time: step 5 reaps it */
		kill_child(ev);
		ev_detach(ev);
		s->st.n_children--;
		s->n_reaping++;
		ev->fn = NULL;	/* from now on the loop only reaps it */
		ev->why = SCHED_CHILD_TIMEOUT;
		call(s, ev, fn, ev->arg, ev->name);
		break;
	}
}

static void run_timers(struct sched *s)
{
	/*
	 * Anything armed from here on gets seq >= limit and a deadline >= now (see
	 * sched_timer_at_named), so it sorts after every entry that was due when we
	 * started: the first such entry at the top ends the step.
	 */
	uint64_t limit;
	const struct sched_heap_ent *top;

	/* Awake anyway and inside sched_timer_early()'s window: it is due now. */
	if (s->early && s->early_from_us <= s->now_us) {
		sched_heap_set(&s->heap, &s->early->hn, s->now_us);
		s->early = NULL;
	}
	limit = s->heap.seq;
	s->is_in_timers = true;
	while ((top = sched_heap_top(&s->heap)) && top->at_us <= s->now_us && top->seq < limit) {
		struct sched_ev *ev = container_of(top->node, struct sched_ev, hn);

		sched_heap_remove(&s->heap, &ev->hn);
		expire(s, ev);
	}
	s->is_in_timers = false;
}

static void collect(struct sched *s, int n, bool *sig_ready)
{
	const uint32_t rd_mask = EPOLLIN | EPOLLERR | EPOLLHUP;
	const uint32_t wr_mask = EPOLLOUT | EPOLLERR | EPOLLHUP;

	for (int i = 0; i < n; i++) {
		int fd = s->evs[i].data.fd;
		uint32_t e = s->evs[i].events;
		struct fd_slot *sl;

		if (fd == s->tfd) {
			/* still readable: the next wait must re-arm or disarm it */
			s->tfd_at_us = TFD_FIRED;
			continue;
		}
		if (fd == s->sigfd) {
			*sig_ready = true;
			continue;
		}
		if (fd < 0 || fd >= s->n_slots)
			continue;
		sl = &s->slots[fd];
		/* ERR/HUP wake both sides so each owner sees the error from its own read/write */
		if (sl->rd && (e & rd_mask)) {
			sl->rd->is_pending = true;
			s->pending[s->n_pending++] = sl->rd;
		}
		if (sl->wr && (e & wr_mask)) {
			sl->wr->is_pending = true;
			s->pending[s->n_pending++] = sl->wr;
		}
	}
}

static void dispatch_pending(struct sched *s)
{
	for (unsigned i = 0; i < s->n_pending; i++) {
		struct sched_ev *ev = s->pending[i];

		ev->is_pending = false;
		if (ev->is_dead)
			continue;
		if (ev->kind == EV_CHILD) {
			child_exited(s, ev);
			continue;
		}
		if (FD_OF(ev)->timeout_us)
			sched_heap_set(&s->heap, &ev->hn, add_sat(s->now_us, FD_OF(ev)->timeout_us));
		ev->why = SCHED_READY;
		call(s, ev, ev->fn, ev->arg, ev->name);
	}
	s->n_pending = 0;
}

static void dispatch_signals(struct sched *s)
{
	struct signalfd_siginfo buf[SIG_BUDGET];
	ssize_t len = read(s->sigfd, buf, sizeof(buf));

	if (len <= 0)
		return;
	for (size_t k = 0; k < (size_t)len / sizeof(buf[0]); k++) {
		unsigned signo = buf[k].ssi_signo;
		struct list *pos;
		size_t n = 0;

		if (signo == 0 || signo >= _NSIG)
			continue;
		/* Snapshot: callbacks may cancel or add watches on this signal. */
		list_for_each(pos, &s->sig[signo]) {
			if (n == s->cap_snap) {
				s->cap_snap = s->cap_snap ? 2 * s->cap_snap : 8;
				s->snap = xrealloc(s->snap, s->cap_snap * sizeof(*s->snap));
			}
			s->snap[n] = &list_entry(pos, struct ev_sig, node)->ev;
			s->snap[n++]->is_pending = true;
		}
		for (size_t j = 0; j < n; j++) {
			struct sched_ev *ev = s->snap[j];

			ev->is_pending = false;
			if (ev->is_dead)
				continue;
			ev->why = SCHED_SIGNAL;
			SIG_OF(ev)->si = &buf[k];
			call(s, ev, ev->fn, ev->arg, ev->name);
		}
	}
}

static void run_deferred(struct sched *s)
{
	uint64_t limit = ++s->defer_gen;	/* armed from here on: gen == limit */

	while (!list_empty(&s->deferred)) {
		struct ev_defer *d = list_entry(s->deferred.next, struct ev_defer, node);
		struct sched_ev *ev = &d->ev;

		if (d->gen == limit)
			break;
		list_del(&d->node);
		ev_detach(ev);
		s->st.n_deferred--;
		ev->why = SCHED_DEFERRED;
		call_once(s, ev, ev->fn);
	}
}

static void free_zombies(struct sched *s)
{
	while (s->zombies) {
		struct sched_ev *ev = s->zombies;

		s->zombies = ev->next_zombie;
		free(ev);
	}
}

static int tfd_arm(struct sched *s, uint64_t at_us)
{
	struct itimerspec its = {
		.it_value = { .tv_sec = at_us / 1000000, .tv_nsec = (at_us % 1000000) * 1000 },
	};

	/* Re-arming also resets the expiry count, so a fired timerfd need not be read. */
	if (timerfd_settime(s->tfd, TFD_TIMER_ABSTIME, &its, NULL) < 0)
		return -errno;
	s->tfd_at_us = at_us;
	return 0;
}

/*
 * One wait until the next timer or fd event. epoll_pwait2() takes the timeout in
 * ns, so a short wait costs one syscall. But the kernel lets an epoll timeout run
 * late by 0.1% of its length (select_estimate_accuracy(): 3.6 ms on a VRRP backup's
 * 3.6 s master_down timer), so a wait longer than PWAIT2_MAX_US is timed by the
 * timerfd instead, which fires on time; that costs a timerfd_settime() when the
 * deadline changes. A kernel without epoll_pwait2() (before 5.11) always uses it.
 */
#define PWAIT2_MAX_US	50000		/* 0.1% of it: 50 us, the default timer slack */

static int wait_events(struct sched *s, const struct sched_heap_ent *top, bool poll)
{
	int r, n, timeout_ms = -1;

	if (!s->no_pwait2) {
		struct timespec ts = { 0 }, *tp = NULL;
		uint64_t tfd_at = 0;

		if (poll) {
			tp = &ts;
		} else if (top) {
			/* relative to the clock now: the callbacks since now_us took time */
			uint64_t now = mono_now_us();
			uint64_t d = top->at_us > now ? top->at_us - now : 0;

			if (d > PWAIT2_MAX_US) {
				tfd_at = top->at_us;
			} else {
				ts = (struct timespec){ .tv_sec = d / 1000000,
							.tv_nsec = (d % 1000000) * 1000 };
				tp = &ts;
			}
		}
		if (s->tfd_at_us != tfd_at && (r = tfd_arm(s, tfd_at)) < 0)
			return r;
		do
			n = epoll_pwait2(s->epfd, s->evs, MAX_EVENTS, tp, NULL);
		while (n < 0 && errno == EINTR);
		if (n >= 0 || errno != ENOSYS)
			return n < 0 ? -errno : n;
		s->no_pwait2 = true;
	}
	if (poll) {
		timeout_ms = 0;
	} else if (top) {
		uint64_t at_us = top->at_us;

		if (at_us <= s->now_us)
			timeout_ms = 0;
		else if (at_us != s->tfd_at_us && (r = tfd_arm(s, at_us)) < 0)
			return r;
	} else if (s->tfd_at_us && (r = tfd_arm(s, 0)) < 0) {
		return r;	/* disarm, or a fired timerfd would keep epoll awake */
	}
	do
		n = epoll_wait(s->epfd, s->evs, MAX_EVENTS, timeout_ms);
	while (n < 0 && errno == EINTR);
	return n < 0 ? -errno : n;
}

static int iterate(struct sched *s)
{
	bool sig_ready = false;
	int n = wait_events(s, sched_heap_top(&s->heap), !list_empty(&s->deferred));

	if (n < 0)
		return n;

	s->now_us = mono_now_us();
	s->t_last_us = s->now_us;
	s->st.n_iterations++;
	collect(s, n, &sig_ready);
	run_timers(s);
	dispatch_pending(s);
	if (sig_ready)
		dispatch_signals(s);
	run_deferred(s);
	free_zombies(s);
	return 0;
}

static bool has_work(const struct sched *s)
{
	return s->st.n_timers || s->st.n_fds || s->st.n_children || s->st.n_signals ||
	       s->st.n_deferred || s->n_reaping;
}

int sched_run(struct sched *s)
{
	int r = 0;

	assert(!s->is_running);	/* not from a callback */
	s->is_running = true;
	s->is_stopped = false;
	s->now_us = mono_now_us();
	while (!s->is_stopped && has_work(s) && (r = iterate(s)) == 0)
		;
	s->is_running = false;
	return r;
}

void sched_stop(struct sched *s)
{
	s->is_stopped = true;
}

uint64_t sched_now_us(const struct sched *s)
{
	return s->now_us;
}

int sched_timer_at_named(struct sched *s, struct sched_ev **ref, uint64_t at_us,
			 sched_fn *fn, void *arg, const char *name)
{
	struct sched_ev *ev;

	if (!ref || !fn)
		return -EINVAL;
	/* A past deadline armed while timers run waits for the next iteration (run_timers). */
	if (s->is_in_timers && at_us < s->now_us)
		at_us = s->now_us;
	ev = *ref;
	if (ev && ev == s->early)
		s->early = NULL;
	if (ev && ev->kind == EV_TIMER) {
		/* Re-arming an armed timer: move it in the heap, no free + malloc. */
		assert(ev->s == s);
		set_handler(ev, fn, arg, name);
		sched_heap_set(&s->heap, &ev->hn, at_us);
		return 0;
	}
	sched_cancel(ref);
	ev = ev_new(s, EV_TIMER, fn, arg, name);
	sched_heap_set(&s->heap, &ev->hn, at_us);
	ev_attach(ev, ref);
	s->st.n_timers++;
	return 0;
}

int sched_timer_named(struct sched *s, struct sched_ev **ref, uint64_t after_us,
		      sched_fn *fn, void *arg, const char *name)
{
	return sched_timer_at_named(s, ref, add_sat(arm_now(s), after_us), fn, arg, name);
}

int sched_timer_early_named(struct sched *s, struct sched_ev **ref, uint64_t after_us,
			    uint64_t early_us, sched_fn *fn, void *arg, const char *name)
{
	uint64_t at_us = add_sat(arm_now(s), after_us);
	int r = sched_timer_at_named(s, ref, at_us, fn, arg, name);

	if (r == 0) {
		s->early = *ref;
		s->early_from_us = at_us - (early_us < at_us ? early_us : at_us);
	}
	return r;
}

static int watch_fd(struct sched *s, struct sched_ev **ref, enum ev_kind kind, int fd,
		    uint64_t timeout_us, sched_fn *fn, void *arg, const char *name)
{
	struct sched_ev *ev, **pos;
	int r;

	if (!ref || !fn || fd < 0)
		return -EINVAL;
	/*
	 * Replace even a watch on the same fd (no in-place update): if its owner closed
	 * and reopened the fd, only a fresh EPOLL_CTL_ADD registers the new file.
	 */
	sched_cancel(ref);
	slots_reserve(s, fd);
	pos = kind == EV_READ ? &s->slots[fd].rd : &s->slots[fd].wr;
	if (*pos)
		return -EEXIST;
	ev = ev_new(s, kind, fn, arg, name);
	FD_OF(ev)->fd = fd;
	*pos = ev;
	if ((r = slot_sync(s, fd)) < 0) {
		*pos = NULL;
		free(ev);
		return r;
	}
	set_timeout(s, ev, timeout_us);
	ev_attach(ev, ref);
	s->st.n_fds++;
	return 0;
}

int sched_read_named(struct sched *s, struct sched_ev **ref, int fd, uint64_t timeout_us,
		     sched_fn *fn, void *arg, const char *name)
{
	return watch_fd(s, ref, EV_READ, fd, timeout_us, fn, arg, name);
}

int sched_write_named(struct sched *s, struct sched_ev **ref, int fd, uint64_t timeout_us,
		      sched_fn *fn, void *arg, const char *name)
{
	return watch_fd(s, ref, EV_WRITE, fd, timeout_us, fn, arg, name);
}

int sched_child_named(struct sched *s, struct sched_ev **ref, pid_t pid, uint64_t timeout_us,
		      sched_fn *fn, void *arg, const char *name)
{
	struct sched_ev *ev;
	int r, pidfd;

	if (!ref || !fn || pid <= 0)
		return -EINVAL;
	ev = *ref;
	if (ev && ev->kind == EV_CHILD && CHILD_OF(ev)->pid == pid) {
		/* Same child: a second pidfd would race this one to reap it. */
		set_handler(ev, fn, arg, name);
		set_timeout(s, ev, timeout_us);
		return 0;
	}
	sched_cancel(ref);
	/* A pidfd, not SIGCHLD: readable once the child exits, even if it already has. */
	pidfd = pidfd_open(pid, 0);
	if (pidfd < 0)
		return -errno;
	slots_reserve(s, pidfd);
	if (s->slots[pidfd].rd || s->slots[pidfd].wr) {
		r = -EBUSY;	/* a watch outlived its fd: its owner closed without cancelling */
		goto fail;
	}
	ev = ev_new(s, EV_CHILD, fn, arg, name);
	CHILD_OF(ev)->pid = pid;
	CHILD_OF(ev)->pidfd = pidfd;
	s->slots[pidfd].rd = ev;
	if ((r = slot_sync(s, pidfd)) < 0) {
		s->slots[pidfd].rd = NULL;
		free(ev);
		goto fail;
	}
	set_timeout(s, ev, timeout_us);
	ev_attach(ev, ref);
	s->st.n_children++;
	return 0;
fail:
	close(pidfd);
	return r;
}

int sched_signal_named(struct sched *s, struct sched_ev **ref, int signo,
		       sched_fn *fn, void *arg, const char *name)
{
	struct sched_ev *ev;
	int r;

	if (!ref || !fn || signo <= 0 || signo >= _NSIG || signo == SIGKILL || signo == SIGSTOP)
		return -EINVAL;
	sched_cancel(ref);
	if (list_empty(&s->sig[signo]) && (r = sig_watch(s, signo)) < 0)
		return r;
	ev = ev_new(s, EV_SIGNAL, fn, arg, name);
	SIG_OF(ev)->signo = signo;
	list_add_tail(&s->sig[signo], &SIG_OF(ev)->node);
	ev_attach(ev, ref);
	s->st.n_signals++;
	return 0;
}

int sched_defer_named(struct sched *s, struct sched_ev **ref, sched_fn *fn, void *arg,
		      const char *name)
{
	struct sched_ev *ev;

	if (!ref || !fn)
		return -EINVAL;
	ev = *ref;
	if (ev && ev->kind == EV_DEFER) {
		assert(ev->s == s);
		set_handler(ev, fn, arg, name);		/* pending already: keeps its place */
		return 0;
	}
	sched_cancel(ref);
	ev = ev_new(s, EV_DEFER, fn, arg, name);
	DEFER_OF(ev)->gen = s->defer_gen;
	list_add_tail(&s->deferred, &DEFER_OF(ev)->node);
	ev_attach(ev, ref);
	s->st.n_deferred++;
	return 0;
}

enum sched_why sched_ev_why(const struct sched_ev *ev)
{
	return ev->why;
}

int sched_ev_fd(const struct sched_ev *ev)
{
	return ev->kind == EV_READ || ev->kind == EV_WRITE ? FD_OF(ev)->fd : -1;
}

pid_t sched_ev_pid(const struct sched_ev *ev)
{
	return ev->kind == EV_CHILD ? CHILD_OF(ev)->pid : -1;
}

int sched_ev_status(const struct sched_ev *ev)
{
	return ev->kind == EV_CHILD ? CHILD_OF(ev)->status : -1;
}

const struct signalfd_siginfo *sched_ev_siginfo(const struct sched_ev *ev)
{
	return ev->kind == EV_SIGNAL ? SIG_OF(ev)->si : NULL;
}

void sched_child_reset_signals(void)
{
	struct sigaction sa;
	sigset_t none;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	/* Handlers first: a signal unblocked below must not reach the parent's handler. */
	for (int signo = 1; signo < _NSIG; signo++)
		if (signo != SIGKILL && signo != SIGSTOP)
			sigaction(signo, &sa, NULL);	/* glibc's reserved ones fail: fine */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

void sched_get_stats(const struct sched *s, struct sched_stats *out)
{
	*out = s->st;
}

int sched_new(struct sched **ret)
{
	struct sched *s = xcalloc(1, sizeof(*s));
	struct epoll_event ee = { .events = EPOLLIN };
	int r;

	s->sigfd = -1;
	s->tfd = -1;
	s->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (s->epfd < 0)
		goto fail;
	s->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (s->tfd < 0)
		goto fail;
	ee.data.fd = s->tfd;
	if (epoll_ctl(s->epfd, EPOLL_CTL_ADD, s->tfd, &ee) < 0)
		goto fail;
	for (int i = 0; i < _NSIG; i++)
		list_init(&s->sig[i]);
	list_init(&s->deferred);
	sigemptyset(&s->sig_mask);
	sigemptyset(&s->sig_blocked_by_us);
	s->now_us = mono_now_us();
	*ret = s;
	return 0;
fail:
	r = -errno;
	if (s->tfd >= 0)
		close(s->tfd);
	if (s->epfd >= 0)
		close(s->epfd);
	free(s);
	return r;
}

/*
 * Cancels without callbacks: *ref of every event left is set to NULL like
 * sched_cancel() would, so call this before freeing the objects that hold refs,
 * or cancel their events first. Children still running cannot be reaped here;
 * they are left to the process.
 */
void sched_free(struct sched *s)
{
	if (!s)
		return;
	assert(!s->is_running);	/* not from a callback */
	/*
	 * Close the kernel objects before anything else: in a forked child they are
	 * shared with the parent, and changing them (signalfd mask, epoll set,
	 * timerfd) would change the parent's loop.
	 */
	if (s->sigfd >= 0)
		close(s->sigfd);
	s->sigfd = -1;
	close(s->tfd);
	close(s->epfd);
	/* Timers live only in the heap; fd and child watches are freed from the slots. */
	for (uint32_t i = 0; i < s->heap.n; i++) {
		struct sched_ev *ev = container_of(s->heap.ent[i].node, struct sched_ev, hn);

		ev->hn.idx = SCHED_HEAP_NONE;
		if (ev->kind == EV_TIMER) {
			ev_detach(ev);
			free(ev);
		}
	}
	for (int fd = 0; fd < s->n_slots; fd++) {
		struct sched_ev *evs[2] = { s->slots[fd].rd, s->slots[fd].wr };

		for (int k = 0; k < 2; k++) {
			struct sched_ev *ev = evs[k];
			siginfo_t si;

			if (!ev)
				continue;
			if (ev->kind == EV_CHILD) {
				waitid(P_PIDFD, CHILD_OF(ev)->pidfd, &si, WEXITED | WNOHANG);
				close(CHILD_OF(ev)->pidfd);
			}
			ev_detach(ev);
			free(ev);
		}
	}
	for (int signo = 1; signo < _NSIG; signo++) {
		struct list *pos, *tmp;

		if (list_empty(&s->sig[signo]))
			continue;
		list_for_each_safe(pos, tmp, &s->sig[signo]) {
			struct sched_ev *ev = &list_entry(pos, struct ev_sig, node)->ev;

			ev_detach(ev);
			free(ev);
		}
		list_init(&s->sig[signo]);
		sig_unwatch(s, signo);
	}
	while (!list_empty(&s->deferred)) {
		struct ev_defer *d = list_entry(s->deferred.next, struct ev_defer, node);

		list_del(&d->node);
		ev_detach(&d->ev);
		free(d);
	}
	/* Both only after sched_free_forked() from a callback: that iteration never ends. */
	free_zombies(s);
	free(s->firing);
	for (int k = 0; k < EV__COUNT; k++)
		free(s->spare[k]);
	sched_heap_free(&s->heap);
	free(s->slots);
	free(s->snap);
	free(s);
}

void sched_free_forked(struct sched *s)
{
	if (!s)
		return;
	/*
	 * The child never returns into the callback that forked it, so "running" no
	 * longer holds. Watched signals stay blocked: the child's own loop takes them
	 * over, and one arriving in between waits instead of killing it.
	 */
	s->is_running = false;
	s->is_forked = true;
	sched_free(s);
}
