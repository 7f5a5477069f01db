// SPDX-License-Identifier: GPL-2.0-or-later
/* tests/unit/test_vrrp_notify.c: notify scripts run without a timeout; a stop waits for STOP's a second. */
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "process.h"
#include "sched_test.h"
#include "vrrp/vrrp_conf.h"
#include "vrrp/vrrp_notify.h"

/* One instance's notify scripts, on a real loop. */
struct fixture {
	char dir[64];
	struct sched *s;
	struct vrrp_notify *n;
	struct process_cmd *cmds[VC_NOTIFY__COUNT];
	int n_idle;
};

static void idle_cb(void *arg)
{
	((struct fixture *)arg)->n_idle++;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	snprintf(f->dir, sizeof(f->dir), "/tmp/test_vrrp_notify.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	f->s = sched_start();
	f->n = vrrp_notify_new(f->s, idle_cb, f);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	vrrp_notify_free(f->n);
	sched_finish(f->s);
	for (int i = 0; i < VC_NOTIFY__COUNT; i++)
		process_cmd_free(f->cmds[i]);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

/* A script that writes its pid to DIR/NAME.pid, then sleeps for secs. */
static void set_script(struct fixture *f, int which, const char *name, int secs)
{
	char line[PATH_MAX + 128];

	snprintf(line, sizeof(line), "/bin/sh -c 'echo $$ > %s/%s.tmp; mv %s/%s.tmp %s/%s.pid; "
		 "exec sleep %d'", f->dir, name, f->dir, name, f->dir, name, secs);
	assert_int_equal(process_cmd_new(line, geteuid(), getegid(), &f->cmds[which], NULL), 0);
}

static pid_t wait_pid_file(struct fixture *f, const char *name)
{
	char path[PATH_MAX];
	pid_t pid = 0;

	snprintf(path, sizeof(path), "%s/%s.pid", f->dir, name);
	for (int i = 0; i < 500 && !(pid = read_pid(path)); i++)
		nanosleep(&(struct timespec){ .tv_nsec = 10000000 }, NULL);
	assert_true(pid > 0);
	return pid;
}

static unsigned n_timers(struct sched *s)
{
	struct sched_stats st;

	sched_get_stats(s, &st);
	return st.n_timers;
}

/*
 * keepalived 2.2.7 never kills a notify script while it runs (it had 30 s here): the
 * script is started with no timer at all, so nothing will ever signal it.
 */
static void test_state_scripts_have_no_timeout(void **state)
{
	static const struct { const char *what; enum vrrp_state st; int which; bool stopping; }
	rows[] = {
		{ "notify_master", VRRP_STATE_MASTER, VC_NOTIFY_MASTER, false },
		{ "notify_backup", VRRP_STATE_BACKUP, VC_NOTIFY_BACKUP, false },
		{ "notify_fault", VRRP_STATE_FAULT, VC_NOTIFY_FAULT, false },
		{ "notify_stop while the daemon runs on", VRRP_STATE_STOP, VC_NOTIFY_STOP, false },
		{ "notify_backup while stopping", VRRP_STATE_BACKUP, VC_NOTIFY_BACKUP, true },
	};
	struct fixture *f = *state;

	for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
		char path[PATH_MAX];
		pid_t pid;

		if (vrrp_notify_timeout_us(rows[i].st, rows[i].stopping))
			fail_msg("%s: has a timeout", rows[i].what);
		if (rows[i].stopping)
			vrrp_notify_stopping(f->n);
		set_script(f, rows[i].which, "s", 60);
		vrrp_notify_state(f->n, "VI_1", f->cmds, rows[i].st, 100);
		pid = wait_pid_file(f, "s");
		if (n_timers(f->s))
			fail_msg("%s: %u timer(s) armed for the script", rows[i].what, n_timers(f->s));
		if (vrrp_notify_busy(f->n))
			fail_msg("%s: a stop would wait for it", rows[i].what);
		/* the loop reaps it once it is gone, and is empty then */
		assert_int_equal(kill(pid, SIGTERM), 0);
		assert_int_equal(sched_run(f->s), 0);
		assert_true(is_dead(pid));
		process_cmd_free(f->cmds[rows[i].which]);
		f->cmds[rows[i].which] = NULL;
		snprintf(path, sizeof(path), "%s/s.pid", f->dir);
		assert_int_equal(unlink(path), 0);
	}
}

/* A stop waits for its STOP scripts (notify_stop, then notify ... STOP): at most a second. */
static void test_stop_waits_a_second(void **state)
{
	struct fixture *f = *state;
	pid_t a, b;

	set_script(f, VC_NOTIFY_STOP, "stop", 0);
	set_script(f, VC_NOTIFY_ANY, "any", 60);
	vrrp_notify_stopping(f->n);
	vrrp_notify_state(f->n, "VI_1", f->cmds, VRRP_STATE_STOP, 100);
	assert_true(vrrp_notify_busy(f->n));
	assert_int_equal(n_timers(f->s), 2);
	a = wait_pid_file(f, "stop");
	b = wait_pid_file(f, "any");
	assert_int_equal(f->n_idle, 0);
	/* notify_stop ends by itself; notify sleeps on and gets SIGTERM after a second */
	assert_int_equal(sched_run(f->s), 0);
	assert_int_equal(f->n_idle, 1);
	assert_false(vrrp_notify_busy(f->n));
	assert_true(is_dead(a));
	assert_true(is_dead(b));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_state_scripts_have_no_timeout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stop_waits_a_second, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
