// SPDX-License-Identifier: GPL-2.0-or-later
/* tests/unit/test_track_process.c: process matching, quorum and delays, what VRRP makes of trackers. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/track_process.h"
#include "sched_test.h"
#include "utils.h"
#include "vrrp/vrrp_conf_track.h"
#include "vrrp/vrrp_trackers.h"


/* "/bin/sleep\04242\0" as /proc/PID/cmdline has it */
#define CMD(s) s, sizeof(s) - 1

static const struct {
	const char *what;
	struct track_proc_spec spec;
	const char *comm;
	const char *cmd;
	size_t len;
	bool want;
} matches[] = {
	{ "comm equal", { .name = "sshd" }, "sshd", NULL, 0, true },
	{ "comm differs", { .name = "sshd" }, "sshd2", NULL, 0, false },
	{ "comm is not a prefix", { .name = "ssh" }, "sshd", NULL, 0, false },
	{ "full command, no params compared",
	  { .name = "/bin/sleep", .full_command = true }, NULL, CMD("/bin/sleep\0" "10\0"), true },
	{ "full command, argv0 differs",
	  { .name = "sleep", .full_command = true }, NULL, CMD("/bin/sleep\0" "10\0"), false },
	{ "exact params",
	  { .name = "/bin/sleep", .params = "4242", .params_len = 5,
	    .match = TRACK_PROC_PARAMS_EXACT, .full_command = true },
	  NULL, CMD("/bin/sleep\0" "4242\0"), true },
	{ "exact params, one more",
	  { .name = "/bin/sleep", .params = "4242", .params_len = 5,
	    .match = TRACK_PROC_PARAMS_EXACT, .full_command = true },
	  NULL, CMD("/bin/sleep\0" "4242\0" "x\0"), false },
	{ "exact without params: none allowed",
	  { .name = "/bin/sleep", .match = TRACK_PROC_PARAMS_EXACT, .full_command = true },
	  NULL, CMD("/bin/sleep\0" "1\0"), false },
	{ "exact without params, none given",
	  { .name = "/bin/sleep", .match = TRACK_PROC_PARAMS_EXACT, .full_command = true },
	  NULL, CMD("/bin/sleep\0"), true },
	{ "partial: configured ones first",
	  { .name = "python3", .params = "-m\0http.server", .params_len = 15,
	    .match = TRACK_PROC_PARAMS_PARTIAL, .full_command = true },
	  NULL, CMD("python3\0" "-m\0" "http.server\0" "8080\0"), true },
	{ "partial: a word is not a prefix",
	  { .name = "python3", .params = "-m\0http", .params_len = 8,
	    .match = TRACK_PROC_PARAMS_PARTIAL, .full_command = true },
	  NULL, CMD("python3\0" "-m\0" "http.server\0"), false },
	{ "initial: the last word may be a prefix",
	  { .name = "python3", .params = "-m\0http", .params_len = 8,
	    .match = TRACK_PROC_PARAMS_INITIAL, .full_command = true },
	  NULL, CMD("python3\0" "-m\0" "http.server\0"), true },
	{ "initial: not the other words",
	  { .name = "python3", .params = "-\0http", .params_len = 7,
	    .match = TRACK_PROC_PARAMS_INITIAL, .full_command = true },
	  NULL, CMD("python3\0" "-m\0" "http.server\0"), false },
	{ "a zombie has no command line",
	  { .name = "x", .full_command = true }, NULL, "", 0, false },
};

static void test_match(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(matches); i++) {
		bool got = track_proc_match(&matches[i].spec, matches[i].comm, matches[i].cmd,
					    matches[i].len);

		if (got != matches[i].want)
			fail_msg("%s: got %d", matches[i].what, got);
	}
}

static void test_stat_comm(void **state)
{
	static const struct {
		const char *what, *in, *comm;
		bool ok;
	} rows[] = {
		{ "running", "123 (sshd) S 1 123", "sshd", true },
		{ "a name with ') ' in it", "7 (a) b) R 1", "a) b", true },
		{ "a zombie", "9 (sleep) Z 1", "sleep", false },
		{ "cut", "9 (sleep", NULL, false },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
		char buf[64];
		const char *comm = NULL;
		bool ok;

		snprintf(buf, sizeof(buf), "%s", rows[i].in);
		ok = track_proc_stat_comm(buf, strlen(buf), &comm);
		if (ok != rows[i].ok || (rows[i].comm && (!comm || strcmp(comm, rows[i].comm))))
			fail_msg("%s: got %d '%s'", rows[i].what, ok, comm ? comm : "(null)");
	}
}

/* fork_delay / terminate_delay: a change counts once it has held for its delay */
static void test_step(void **state)
{
	static const struct {
		const char *what;
		bool have, want, fork_delay, term_delay;
		enum track_proc_pending pending, pending_after;
		enum track_proc_act act;
	} rows[] = {
		{ "no change", true, true, true, true, TRACK_PROC_NONE, TRACK_PROC_NONE,
		  TRACK_PROC_KEEP },
		{ "gained, no delay", false, true, false, true, TRACK_PROC_NONE, TRACK_PROC_NONE,
		  TRACK_PROC_REPORT },
		{ "lost, no delay", true, false, true, false, TRACK_PROC_NONE, TRACK_PROC_NONE,
		  TRACK_PROC_REPORT },
		{ "gained with fork_delay", false, true, true, false, TRACK_PROC_NONE,
		  TRACK_PROC_GAINING, TRACK_PROC_ARM },
		{ "lost with terminate_delay", true, false, false, true, TRACK_PROC_NONE,
		  TRACK_PROC_LOSING, TRACK_PROC_ARM },
		{ "still gaining", false, true, true, false, TRACK_PROC_GAINING,
		  TRACK_PROC_GAINING, TRACK_PROC_KEEP },
		{ "back before the fork delay ended", false, false, true, false,
		  TRACK_PROC_GAINING, TRACK_PROC_NONE, TRACK_PROC_CANCEL },
		{ "back before the terminate delay ended", true, true, false, true,
		  TRACK_PROC_LOSING, TRACK_PROC_NONE, TRACK_PROC_CANCEL },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
		enum track_proc_pending p = rows[i].pending;
		enum track_proc_act a = track_proc_step(rows[i].have, rows[i].want,
							 rows[i].fork_delay, rows[i].term_delay,
							 &p);

		if (a != rows[i].act || p != rows[i].pending_after)
			fail_msg("%s: got act %d pending %d", rows[i].what, a, p);
	}
	assert_true(track_proc_quorum(2, 2, 3));
	assert_false(track_proc_quorum(4, 2, 3));
	assert_true(track_proc_quorum(0, 0, 0));	/* quorum_max 0: must not run */
	assert_false(track_proc_quorum(1, 0, 0));
}

/* keepalived 2.2.7's track file statuses for a VRRP instance (-254: FAULT) */
static void test_file_status(void **state)
{
	static const struct {
		const char *what;
		int64_t value;
		int weight;
		bool reverse;
		int want;
	} rows[] = {
		{ "weight 0, zero", 0, 0, false, 0 },
		{ "weight 0, non-zero: FAULT", 3, 0, false, -254 },
		{ "weight 0 reverse, zero: FAULT", 0, 0, true, -254 },
		{ "weight 0 reverse, non-zero", -1, 0, true, 0 },
		{ "weighted", 3, 10, false, 30 },
		{ "weighted reverse", 3, 10, true, -30 },
		{ "clamped to 253", 100, 10, false, 253 },
		{ "-254 is FAULT", -127, 2, false, -254 },
		{ "-253 is not", -253, 1, false, -253 },
		{ "far below", INT32_MIN, 254, false, -254 },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
		int got = vrrp_track_file_status(rows[i].value, rows[i].weight, rows[i].reverse);

		if (got != rows[i].want)
			fail_msg("%s: got %d", rows[i].what, got);
	}
}

static void test_proc_fault(void **state)
{
	static const struct {
		const char *what;
		bool have;
		int weight;
		bool reverse, fault;
		int add;
	} rows[] = {
		{ "weight 0, quorum", true, 0, false, false, 0 },
		{ "weight 0, no quorum: FAULT", false, 0, false, true, 0 },
		{ "weight 0 reverse, quorum: FAULT", true, 0, true, true, 0 },
		{ "positive, quorum", true, 20, false, false, 20 },
		{ "positive, none", false, 20, false, false, 0 },
		{ "negative, none", false, -20, false, false, -20 },
		{ "negative, quorum", true, -20, false, false, 0 },
		{ "positive reverse, quorum: negated", true, 20, true, false, -20 },
		{ "negative reverse, none: negated", false, -20, true, false, 20 },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
		int add;
		bool fault = vrrp_track_proc_fault(rows[i].have, rows[i].weight, rows[i].reverse,
						   &add);

		if (fault != rows[i].fault || add != rows[i].add)
			fail_msg("%s: got fault %d add %d", rows[i].what, fault, add);
	}
}

/* A tracker on a sync group member and on its group: keepalived 2.2.7's weight */
static void test_ref_eff(void **state)
{
	static const struct {
		const char *what;
		int own_w;
		bool own_rev, has_own, file;
		int want_w;
		bool want_rev;
	} rows[] = {
		{ "the group's alone", 0, false, false, true, 7, true },
		{ "member unweighted: stays 0", 0, false, true, true, 0, false },
		{ "member weighted: the group's, reverse too (file)", 3, false, true, true, 7, true },
		{ "member weighted: the group's weight only (process)", 3, false, true, false, 7,
		  false },
	};
	const struct vc_track_ref grp = { .weight = 7, .reverse = true };

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
		struct vc_track_ref own = { .weight = rows[i].own_w, .reverse = rows[i].own_rev };
		struct vc_track_ref r = vc_track_ref_eff(rows[i].has_own ? &own : NULL, &grp,
							 rows[i].file);

		if (r.weight != rows[i].want_w || r.reverse != rows[i].want_rev)
			fail_msg("%s: got weight %d reverse %d", rows[i].what, r.weight, r.reverse);
	}
}

/* ---- the monitor, with real processes ---- */

struct mon_test {
	struct sched *s;
	struct track_proc_mon *m;
	unsigned want;
	unsigned n_cb;
	struct sched_ev *ev_deadline;
	bool timed_out;
};

static void count_cb(void *arg, unsigned idx)
{
	struct mon_test *t = arg;

	assert_int_equal(idx, 0);
	t->n_cb++;
	if (track_proc_mon_count(t->m, 0) == t->want)
		sched_stop(t->s);
}

static void deadline_cb(struct sched_ev *ev, void *arg)
{
	struct mon_test *t = arg;

	(void)ev;
	t->timed_out = true;
	sched_stop(t->s);
}

static void run_until(struct mon_test *t, unsigned want, uint64_t timeout_us)
{
	t->want = want;
	t->timed_out = false;
	if (track_proc_mon_count(t->m, 0) == want)
		return;
	sched_timer(t->s, &t->ev_deadline, timeout_us, deadline_cb, t);
	sched_run(t->s);
	sched_cancel(&t->ev_deadline);
	if (t->timed_out)
		fail_msg("count %u, want %u, after %llu ms", track_proc_mon_count(t->m, 0), want,
			 (unsigned long long)timeout_us / 1000);
}

/* A child whose comm is name, waiting to be killed. */
static pid_t spawn_named(const char *name)
{
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (!pid) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);	/* a failed test leaves nothing behind */
		prctl(PR_SET_NAME, name);
		for (;;)
			pause();
	}
	return pid;
}

static void reap_child(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static void mon_run(bool connector)
{
	struct mon_test t = { 0 };
	char name[16];
	struct track_proc_spec spec;
	struct track_proc_opts o = { .no_connector = !connector };
	pid_t a, b;

	snprintf(name, sizeof(name), "kt-tp-%d", (int)getpid() % 100000);
	spec = (struct track_proc_spec){ .name = name };
	t.s = sched_start();
	a = spawn_named(name);
	/* the child names itself: the first scan sees it or sees it start */
	for (int i = 0; i < 200; i++) {
		char path[64], *comm;

		snprintf(path, sizeof(path), "/proc/%d/comm", (int)a);
		comm = read_file(path);
		if (comm && !strncmp(comm, name, strlen(name))) {
			free(comm);
			break;
		}
		free(comm);
		usleep(5000);
	}
	assert_int_equal(track_proc_mon_new(t.s, &spec, 1, &o, count_cb, &t, &t.m), 0);
	assert_int_equal(track_proc_mon_count(t.m, 0), 1);
	if (connector && !track_proc_mon_uses_events(t.m)) {
		/* not the initial network namespace: the fallback is what runs */
		print_message("no process events here: the scan path was tested instead\n");
	}
	b = spawn_named(name);
	run_until(&t, 2, 3 * TRACK_PROC_SCAN_US);
	reap_child(a);
	run_until(&t, 1, 3 * TRACK_PROC_SCAN_US);
	reap_child(b);
	run_until(&t, 0, 3 * TRACK_PROC_SCAN_US);
	assert_true(t.n_cb >= 3);
	track_proc_mon_free(t.m);
	sched_finish(t.s);
}

static void test_mon_scan(void **state)
{
	(void)state;
	mon_run(false);
}

/* The proc connector, where it works (root, initial network namespace). */
static void test_mon_connector(void **state)
{
	(void)state;
	mon_run(true);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_stat_comm),
		cmocka_unit_test(test_step),
		cmocka_unit_test(test_file_status),
		cmocka_unit_test(test_proc_fault),
		cmocka_unit_test(test_ref_eff),
		cmocka_unit_test(test_mon_scan),
		cmocka_unit_test(test_mon_connector),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
