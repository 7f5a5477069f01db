// SPDX-License-Identifier: GPL-2.0-or-later
/* lib/scheduler.c: the event loop: one iteration (wait, timers, fds, children, signals, deferrals). */

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
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "list.h"
#include "log.h"
#include "sched_heap.h"
#include "sched_int.h"
#include "utils.h"

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
	sched_ev_slot_clear(s, ev, c->pidfd);
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
		sched_ev_slot_clear(s, ev, FD_OF(ev)->fd);
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
	/* the earliest due entry says how late this iteration runs (max_auto_priority) */
	top = sched_heap_top(&s->heap);
	if (s->late_cb && top && top->at_us < s->now_us && s->now_us - top->at_us > s->late_us)
		s->late_cb(s->late_arg, s->now_us - top->at_us);
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
			FD_OF(sl->rd)->revents = e;
			sl->rd->is_pending = true;
			s->pending[s->n_pending++] = sl->rd;
		}
		if (sl->wr && (e & wr_mask)) {
			FD_OF(sl->wr)->revents = e;
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
		sched_ev_sig_unwatch(s, signo);
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

void sched_set_late(struct sched *s, uint64_t late_us, void (*cb)(void *arg, uint64_t late_us),
		    void *arg)
{
	s->late_us = late_us;
	s->late_cb = cb;
	s->late_arg = arg;
}
