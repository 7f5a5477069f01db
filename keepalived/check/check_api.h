/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/check/check_api.h: the checker runtime: probes on the event loop, and the driver interface. */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "check_data.h"
#include "check_engine.h"

struct sched;

/*
 * A probe runs one checker definition against one backend every interval, on the
 * child's scheduler; never a thread, never a blocking call.
 *
 * One probe per distinct definition: checkers of several virtual servers that list
 * the same backend with the same checker (type, connection, type data, timing, alpha)
 * share one probe, whose result every one of them sees (keepalived probes once per
 * virtual server: issues #2358, #1495, #2111). Each member is one ce_ck of the
 * engine; the probe keeps the first member's state as its own and applies each
 * transition to all. A member that joins an existing probe on reload takes its state.
 *
 * Drivers (one file per checker type: check_tcp.c, check_http.c, ...) implement
 * struct ck_driver. run() starts one attempt and, when the attempt is over, decides
 * with the probe's state (ck_probe_ck(): is_up, has_run, retry_it) what it means
 * (the retry rules of spec 1.2 are each type's own), logs the type's lines, reports
 * with ck_probe_set_state() / ck_probe_set_weight(), and calls ck_probe_schedule()
 * exactly once with the delay to the next attempt.
 */

struct ck_probe;
struct ck_member;

struct ck_driver {
	enum ck_type type;
	size_t state_size;		/* zeroed per probe, ck_probe_state() */
	/*
	 * Once per probe before the first run (may be NULL). Non-zero: the checker is
	 * dropped, as keepalived drops a MISC_CHECK whose script is not found (the driver
	 * logs why); its real server is then judged by its other checkers.
	 */
	int (*prepare)(struct ck_probe *p);
	void (*run)(struct ck_probe *p);
	/* abort an attempt in flight: no callback, no schedule (reload, stop). May be NULL. */
	void (*cancel)(struct ck_probe *p);
	void (*release)(struct ck_probe *p);	/* free the state's contents; may be NULL */
	/*
	 * A stricter test of the type data than the engine's ck_conf_same(), which
	 * check_api applies first (it compares every type's data already); may be NULL.
	 */
	bool (*same)(const struct ck_conf *a, const struct ck_conf *b);
};
const struct ck_driver *ck_driver_of(enum ck_type t);	/* NULL: not built (BFD) */

/* For drivers. */
struct sched *ck_probe_sched(const struct ck_probe *p);
const struct ck_conf *ck_probe_conf(const struct ck_probe *p);
void *ck_probe_state(const struct ck_probe *p);
struct ce_ck *ck_probe_ck(const struct ck_probe *p);	/* the lead member's state */
/* all members, in config order; the probe's log lines are written once per member */
struct ck_member *ck_probe_members(const struct ck_probe *p);
struct ck_member *ck_member_next(const struct ck_member *m);
const char *ck_member_rs_str(const struct ck_member *m);	/* "[10.1.0.1]:tcp:80" */
const char *ck_member_vs_str(const struct ck_member *m);
struct ce_ck *ck_member_ck(const struct ck_member *m);
/* the state of every member becomes up (see ce_ck_set_state) */
void ck_probe_set_state(struct ck_probe *p, bool up, const char *alert_body);
void ck_probe_set_weight(struct ck_probe *p, int cur_weight);
void ck_probe_drop_weight(struct ck_probe *p);	/* ce_ck_drop_weight of every member */
/*
 * One member's contribution: MISC misc_dynamic's is relative to the member's own real
 * server weight (exit N: weight N - 2), which members in different VSs may differ in.
 */
void ck_member_set_weight(struct ck_member *m, int cur_weight);
/* Optional, once per attempt: its outcome, for the SIGUSR1 dump ("last result"). */
void ck_probe_note_result(struct ck_probe *p, bool ok);
void ck_probe_schedule(struct ck_probe *p, uint64_t delay_us);
/* at_us rounded up to the slot probes share (see check_api.c) */
uint64_t ck_coalesce_us(uint64_t at_us);
bool ck_log_all_failures(const struct ck_probe *p);	/* checker's or global's */

/*
 * The runtime, for check_daemon.c. ck_runtime_start(): a probe for every checker of
 * e (deduplicated), "Activating healthchecker for service %s for VS %s" per checker,
 * first runs at 1 s + random(0..warmup). On reload: ck_runtime_stop(old) first
 * (in-flight attempts cancelled, scripts get SIGTERM), then start on the new engine.
 */
struct ck_runtime;
struct ck_runtime *ck_runtime_start(struct sched *s, struct ce *e, bool log_all_failures);
void ck_runtime_stop(struct ck_runtime *rt);	/* cancels and frees; NULL is fine */
unsigned ck_runtime_n_probes(const struct ck_runtime *rt);
/* SIGUSR1: a probe's counters and last result (ce_ck.probe points at it), indented. */
void ck_probe_dump(const struct ck_probe *p, FILE *f, uint64_t now_us);
/*
 * Metrics (issue 15): a probe's counters and its last attempt's outcome and length (from
 * its start to the driver's ck_probe_note_result(), at the loop's resolution).
 */
struct ck_probe_stats {
	uint64_t n_attempts;
	uint32_t n_failures, n_guard;
	bool has_result, last_ok;
	uint32_t last_latency_us;	/* with has_result */
};
void ck_probe_get_stats(const struct ck_probe *p, struct ck_probe_stats *out);
