// SPDX-License-Identifier: GPL-2.0-or-later
/* lib/sched_ev.c: the loop's events: arming and cancelling timers, fd, child and signal watches, deferrals. */
#include "scheduler.h"

#include <assert.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "list.h"
#include "sched_heap.h"
#include "sched_int.h"
#include "utils.h"

static const size_t ev_size[EV__COUNT] = {
	[EV_TIMER] = sizeof(struct sched_ev),
	[EV_READ] = sizeof(struct ev_fd), [EV_WRITE] = sizeof(struct ev_fd),
	[EV_CHILD] = sizeof(struct ev_child),
	[EV_SIGNAL] = sizeof(struct ev_sig),
	[EV_DEFER] = sizeof(struct ev_defer),
};

static void set_handler(struct sched_ev *ev, sched_fn *fn, void *arg, const char *name)
{
	ev->fn = fn;
	ev->arg = arg;
	ev->name = name ? name : "?";
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

void sched_ev_slot_clear(struct sched *s, struct sched_ev *ev, int fd)
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

void sched_ev_sig_unwatch(struct sched *s, int signo)
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
		sched_ev_slot_clear(s, ev, FD_OF(ev)->fd);
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
			sched_ev_sig_unwatch(s, SIG_OF(ev)->signo);
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

uint32_t sched_ev_revents(const struct sched_ev *ev)
{
	return (ev->kind == EV_READ || ev->kind == EV_WRITE) && ev->why == SCHED_READY ?
		FD_OF(ev)->revents : 0;
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
