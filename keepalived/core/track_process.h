/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/core/track_process.h: counting the running processes that match track_process specs. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct sched;

/* How the parameters after the process name are compared (keepalived's param_match). */
enum track_proc_params {
	TRACK_PROC_PARAMS_NONE,		/* not compared */
	TRACK_PROC_PARAMS_EXACT,	/* the same parameters, no more */
	TRACK_PROC_PARAMS_PARTIAL,	/* the configured ones are the first ones */
	TRACK_PROC_PARAMS_INITIAL,	/* ... and the last configured one may be a prefix */
};

/* What a tracked process is: all borrowed from the caller's config. */
struct track_proc_spec {
	const char *name;		/* comm (15 chars at most), or argv[0] with full_command */
	const char *params;		/* NUL-terminated words one after another; NULL: none */
	size_t params_len;		/* bytes of params, the NULs included */
	enum track_proc_params match;
	bool full_command;		/* compare /proc/PID/cmdline, not comm */
};

/*
 * Pure: does a process match? comm: its name (/proc/PID/stat or comm); cmdline, len: its
 * /proc/PID/cmdline (NUL-separated words, a NUL after the last one). Either may be NULL
 * when spec does not need it.
 */
bool track_proc_match(const struct track_proc_spec *spec, const char *comm, const char *cmdline,
		      size_t len);
/*
 * Pure: the comm field of /proc/PID/stat in buf (len bytes, modified: the name is
 * NUL-terminated in place). false for a zombie or a line that cannot be read.
 */
bool track_proc_stat_comm(char *buf, size_t len, const char **comm);

/*
 * Quorum with delays (keepalived's fork_delay and terminate_delay), pure. have is the
 * state reported to the instances; want is quorum <= n <= quorum_max now. A change is
 * reported at once, or when a delay has passed and it still holds; a change that goes
 * back before its delay ends is never reported.
 */
enum track_proc_pending { TRACK_PROC_NONE, TRACK_PROC_GAINING, TRACK_PROC_LOSING };
enum track_proc_act {
	TRACK_PROC_KEEP,		/* nothing to do */
	TRACK_PROC_REPORT,		/* have = want: report it */
	TRACK_PROC_ARM,			/* arm the delay timer (*pending says which) */
	TRACK_PROC_CANCEL,		/* cancel the delay timer */
};
static inline bool track_proc_quorum(unsigned n, unsigned quorum, unsigned quorum_max)
{
	return n >= quorum && n <= quorum_max;
}
enum track_proc_act track_proc_step(bool have, bool want, bool fork_delay, bool terminate_delay,
				    enum track_proc_pending *pending);

/*
 * The monitor: counts, for each spec, the processes that match. It scans /proc once
 * when made, then follows the kernel's process events (the proc connector). Where they
 * cannot be had (the connector exists only in the initial network namespace; keepalived
 * 2.2.7 then never sees a process again) it says so in the log and scans /proc every
 * TRACK_PROC_SCAN_US instead. cb runs, from the loop, when spec idx's count changed.
 */
#define TRACK_PROC_SCAN_US 1000000
struct track_proc_mon;
typedef void track_proc_mon_fn(void *arg, unsigned idx);
struct track_proc_opts {
	unsigned rcv_bufs;		/* process_monitor_rcv_bufs; 0: the kernel's default */
	bool rcv_bufs_force;		/* SO_RCVBUFFORCE */
	bool no_connector;		/* scan only (for tests) */
};
int track_proc_mon_new(struct sched *s, const struct track_proc_spec *specs, unsigned n,
		       const struct track_proc_opts *o, track_proc_mon_fn *cb, void *arg,
		       struct track_proc_mon **out);
void track_proc_mon_free(struct track_proc_mon *m);	/* NULL is fine */
unsigned track_proc_mon_count(const struct track_proc_mon *m, unsigned idx);
bool track_proc_mon_uses_events(const struct track_proc_mon *m);	/* the connector works */
