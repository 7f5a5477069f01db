// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/core/sched_prio.c: a child's scheduling (global_defs' vrrp_* / checker_* keywords). */
#include "sched_prio.h"

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>

#include "global_defs.h"
#include "log.h"
#include "process.h"
#include "scheduler.h"

/* Stack touched once locked, so that the calls of later callbacks find their pages in. */
#define STACK_RESERVE (16 * 1024)

/* keepalived's names of the child, in its SIGXCPU line */
static const struct who {
	const char *name;
	const char *kw;
} whos[] = { { "VRRP", "vrrp" }, { "Checker", "checker" } };

/*
 * What the process had before the first apply, and what is applied now. File scope,
 * because these are the process's own attributes (one set per process, like lib/log's
 * settings), and the fork handler of every script the child runs reads them.
 */
static struct {
	/* the originals, saved at the first apply */
	bool saved, has_cpus;
	int nice;
	struct rlimit rttime;
	cpu_set_t cpus;
	/* what is applied now */
	bool rt_set, rttime_set, nice_set, locked, cpus_set;
} proc;

/* In each script's process, before it execs: the child's settings are its own. */
static void restore_in_script(void)
{
	if (proc.nice_set)
		setpriority(PRIO_PROCESS, 0, proc.nice);
	if (proc.rttime_set)
		setrlimit(RLIMIT_RTTIME, &proc.rttime);
}

static void save_orig(void)
{
	if (proc.saved)
		return;
	proc.saved = true;
	errno = 0;
	proc.nice = getpriority(PRIO_PROCESS, 0);
	if (proc.nice == -1 && errno)
		proc.nice = 0;
	if (getrlimit(RLIMIT_RTTIME, &proc.rttime) < 0)
		proc.rttime = (struct rlimit){ RLIM_INFINITY, RLIM_INFINITY };
	proc.has_cpus = sched_getaffinity(0, sizeof(proc.cpus), &proc.cpus) == 0;
	/* SCHED_RESET_ON_FORK resets the policy; the nice value and rlimit are ours to undo */
	process_set_child_init(restore_in_script);
}

static void xcpu_cb(struct sched_ev *ev, void *arg)
{
	const struct who *w = arg;

	log_info("%s process has used too much CPU time, %s_rlimit_rttime may need to be increased",
		 w->name, w->kw);
}

static void set_rttime(unsigned limit_us, const struct who *w, struct sched *s,
		       struct sched_ev **ev_xcpu)
{
	/* keepalived: at least 2, so that the soft limit, half of it, is not 0 */
	rlim_t hard = limit_us < 2 ? 2 : limit_us;
	struct rlimit rl = { .rlim_cur = hard / 2, .rlim_max = hard };
	int r;

	/* before the limit: SIGXCPU's default action would end the child */
	if (!*ev_xcpu && (r = sched_signal(s, ev_xcpu, SIGXCPU, xcpu_cb, (void *)w)) < 0) {
		log_warn("Cannot watch SIGXCPU (%s): %s_rlimit_rttime not set", strerror(-r),
			 w->kw);
		return;
	}
	if (setrlimit(RLIMIT_RTTIME, &rl) < 0)
		log_warn("child process cannot set realtime rlimit");
	else
		proc.rttime_set = true;
}

static void touch_stack(void)
{
	volatile unsigned char stack[STACK_RESERVE];

	for (size_t i = 0; i < sizeof(stack); i += 512)
		stack[i] = 0;
}

/*
 * max_auto_priority / min_auto_priority_delay, as keepalived 2.2.7: a timer that runs
 * more than the delay late is logged, and (max_auto_priority > 0) the process goes one
 * realtime priority up, from SCHED_RR's lowest to max_auto_priority.
 */
static struct {
	int max;			/* 0: log only */
	int cur;			/* the realtime priority we set, 0: none */
} boost;

static void late_cb(void *arg, uint64_t late_us)
{
	struct sched_param sp;

	(void)arg;
	log_info("A thread timer expired %llu.%6.6llu seconds ago",
		 (unsigned long long)(late_us / 1000000), (unsigned long long)(late_us % 1000000));
	if (boost.max <= 0 || boost.cur >= boost.max)
		return;
	sp.sched_priority = boost.cur ? boost.cur + 1 : sched_get_priority_min(SCHED_RR);
	if (sched_setscheduler(0, SCHED_RR | SCHED_RESET_ON_FORK, &sp) < 0) {
		log_warn("child process: cannot raise priority");
		return;
	}
	boost.cur = sp.sched_priority;
	proc.rt_set = true;
	log_info("Set realtime priority %d", boost.cur);
}

static void auto_priority(const struct global_defs *gd, const struct gd_sched *gs,
			  struct sched *s)
{
	unsigned min_delay_us;

	global_defs_auto_priority(gd, &boost.max, &min_delay_us);
	/* a configured realtime priority is where the boost starts from */
	boost.cur = gs->rt_priority && proc.rt_set ? (int)gs->rt_priority : 0;
	sched_set_late(s, min_delay_us, late_cb, NULL);
}

void sched_prio_apply(const struct global_defs *gd, bool checker, struct sched *s,
		      struct sched_ev **ev_xcpu)
{
	const struct gd_sched *gs = global_defs_sched(gd, checker);
	const struct who *w = &whos[checker];

	save_orig();
	if (gs->rt_priority) {
		struct sched_param sp = { .sched_priority = (int)gs->rt_priority };

		/* the scripts the child forks run SCHED_OTHER */
		if (sched_setscheduler(0, SCHED_RR | SCHED_RESET_ON_FORK, &sp) < 0) {
			log_warn("child process: cannot raise priority");
		} else {
			proc.rt_set = true;
			set_rttime(gs->rlimit_rttime_us, w, s, ev_xcpu);
		}
	} else if (gs->priority) {
		if (setpriority(PRIO_PROCESS, 0, gs->priority) < 0)
			log_info("Unable to set process priority to %d - %s", gs->priority,
				 strerror(errno));
		else
			proc.nice_set = true;
	}
	if (gs->no_swap) {
		/* on fault: pages are locked as they are touched, not all mapped ones at once */
		if (mlockall(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT) < 0) {
			log_info("Unable to lock process in memory - %s", strerror(errno));
		} else {
			proc.locked = true;
			touch_stack();
		}
	}
	if (gs->n_cpus) {
		cpu_set_t set;

		CPU_ZERO(&set);
		for (unsigned i = 0; i < gs->n_cpus; i++)
			CPU_SET(gs->cpus[i], &set);
		if (sched_setaffinity(0, sizeof(set), &set) < 0)
			log_warn("unable to set cpu affinity to %s process (%s)", w->kw,
				 strerror(errno));
		else
			proc.cpus_set = true;
	}
	if (s)
		auto_priority(gd, gs, s);
}

void sched_prio_reset(void)
{
	if (proc.rt_set) {
		struct sched_param sp = { .sched_priority = 0 };

		if (sched_setscheduler(0, SCHED_OTHER, &sp) < 0)
			log_warn("child process: cannot reset realtime scheduling");
		else
			proc.rt_set = false;
	}
	if (proc.rttime_set) {
		/*
		 * Raising the hard limit back needs CAP_SYS_RESOURCE. Without it the limit stays:
		 * it does nothing to a process that is not realtime.
		 */
		if (setrlimit(RLIMIT_RTTIME, &proc.rttime) == 0)
			proc.rttime_set = false;
		else if (errno != EPERM)
			log_warn("child process cannot reset realtime rlimit");
	}
	if (proc.nice_set) {
		if (setpriority(PRIO_PROCESS, 0, proc.nice) < 0)
			log_info("Unable to reset process priority - %s", strerror(errno));
		else
			proc.nice_set = false;
	}
	if (proc.locked) {
		munlockall();
		proc.locked = false;
	}
	if (proc.cpus_set) {
		if (!proc.has_cpus || sched_setaffinity(0, sizeof(proc.cpus), &proc.cpus) < 0)
			log_warn("unable to restore the process's cpu affinity");
		else
			proc.cpus_set = false;
	}
}
