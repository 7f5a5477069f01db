/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/core/sched_prio.h: a child's scheduling (global_defs' vrrp_* / checker_* keywords). */
#pragma once
#include <stdbool.h>

struct global_defs;
struct sched;
struct sched_ev;

/*
 * Applies the VRRP child's (vrrp_*) or the checker child's (checker_*) settings to this
 * process, as keepalived 2.2.7 does once the child has started, and again after each
 * reload (after sched_prio_reset()):
 *  - *_rt_priority: SCHED_RR at that priority, with SCHED_RESET_ON_FORK. Then
 *    RLIMIT_RTTIME: hard limit *_rlimit_rttime µs (default 10000, at least 2), soft limit
 *    half of it. The kernel sends SIGXCPU when the child has run that long without
 *    blocking (then every second), SIGKILL at the hard limit. SIGXCPU is watched on s
 *    through *ev_xcpu (the caller's handle) and logged as keepalived logs it:
 *    "VRRP process has used too much CPU time, vrrp_rlimit_rttime may need to be increased".
 *  - *_priority: the nice value, only for a child that is not realtime (as in 2.2.7).
 *  - *_no_swap: mlockall() of current and future pages, as they are first touched.
 *  - *_cpu_affinity: sched_setaffinity() to those CPUs.
 * What fails is logged with keepalived's line; the rest still applies.
 * Every process the child forks (scripts) starts with the nice value and RLIMIT_RTTIME the
 * child had before (SCHED_OTHER and no memory lock come with fork); it keeps the CPUs.
 */
void sched_prio_apply(const struct global_defs *gd, bool checker, struct sched *s,
		      struct sched_ev **ev_xcpu);

/*
 * Back to what the process had before the first sched_prio_apply(): SCHED_OTHER, its
 * nice value, RLIMIT_RTTIME and CPUs, memory unlocked. keepalived 2.2.7 does this before
 * it reloads (a long reload must not run into the realtime limit); unlike 2.2.7 it also
 * restores the CPUs, and RLIMIT_RTTIME as it was (2.2.7 leaves 0), so that what a reload
 * removes from the configuration is undone. Nothing to do before the first apply.
 */
void sched_prio_reset(void);
