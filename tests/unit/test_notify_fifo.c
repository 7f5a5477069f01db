// SPDX-License-Identifier: GPL-2.0-or-later
/* tests/unit/test_notify_fifo.c: notify FIFO lines, VRRP mail texts, a FIFO's script at a stop. */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/notify_fifo.h"
#include "process.h"
#include "sched_test.h"
#include "vrrp/vrrp_notify.h"

static void test_vrrp_line(void **state)
{
	char b[128];

	(void)state;
	assert_int_equal(notify_fifo_vrrp_line(b, sizeof(b), false, "VI_1", "MASTER", 200), 27);
	assert_string_equal(b, "INSTANCE \"VI_1\" MASTER 200\n");
	notify_fifo_vrrp_line(b, sizeof(b), true, "G 1", "BACKUP", 0);
	assert_string_equal(b, "GROUP \"G 1\" BACKUP 0\n");
	notify_fifo_vrrp_line(b, sizeof(b), false, "v", "MASTER_RX_LOWER_PRI", 1);
	assert_string_equal(b, "INSTANCE \"v\" MASTER_RX_LOWER_PRI 1\n");
}

static void test_mail_text(void **state)
{
	char subj[256], body[512];

	(void)state;
	assert_true(vrrp_notify_mail_text(false, "lb1", "VI_1", VRRP_STATE_MASTER, subj,
					  sizeof(subj), body, sizeof(body)));
	assert_string_equal(subj, "[lb1] VRRP Instance VI_1 - Entering MASTER state");
	assert_string_equal(body, "=> VRRP Instance is now owning VRRP VIPs <=");
	assert_true(vrrp_notify_mail_text(false, "lb1", "VI_1", VRRP_STATE_FAULT, subj,
					  sizeof(subj), body, sizeof(body)));
	assert_string_equal(subj, "[lb1] VRRP Instance VI_1 - Entering FAULT state");
	assert_string_equal(body, "=> VRRP Instance is no longer owning VRRP VIPs <=");
	assert_true(vrrp_notify_mail_text(false, "lb1", "VI_1", VRRP_STATE_STOP, subj,
					  sizeof(subj), body, sizeof(body)));
	assert_string_equal(subj, "[lb1] VRRP Instance VI_1 - Stopping");
	assert_string_equal(body, "=> VRRP Instance stopping <=");
	assert_true(vrrp_notify_mail_text(true, "lb1", "G", VRRP_STATE_BACKUP, subj,
					  sizeof(subj), body, sizeof(body)));
	assert_string_equal(subj, "[lb1] VRRP Group G - Entering BACKUP state");
	assert_string_equal(body, "=> All VRRP group instances are now in BACKUP state <=");
	assert_true(vrrp_notify_mail_text(true, "lb1", "G", VRRP_STATE_STOP, subj,
					  sizeof(subj), body, sizeof(body)));
	assert_string_equal(body, "=> All VRRP group instances are now stopping <=");
	assert_true(vrrp_notify_mail_text(false, "lb1", "VI_1", VRRP_NOTIFY_DELETED, subj,
					  sizeof(subj), body, sizeof(body)));
	assert_string_equal(subj, "[lb1] VRRP Instance VI_1 - Deleted");
	assert_string_equal(body, "=> VRRP Deleted at reload <=");
	assert_false(vrrp_notify_mail_text(false, "lb1", "VI_1", VRRP_STATE_INIT, subj,
					   sizeof(subj), body, sizeof(body)));
}

struct fixture {
	char dir[64];
	char fifo[128];
	struct sched *s;
	struct notify_fifo *f;
	int n_done;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	snprintf(f->dir, sizeof(f->dir), "/tmp/test_notify_fifo.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->fifo, sizeof(f->fifo), "%s/n.fifo", f->dir);
	f->s = sched_start();
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	notify_fifo_free(f->f);
	sched_finish(f->s);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

static void done_cb(void *arg)
{
	((struct fixture *)arg)->n_done++;
}

/* shell: the FIFO's path comes as the script's last argument ($0 of sh -c) */
static struct notify_fifo *open_with(struct fixture *f, const char *shell)
{
	struct process_cmd *cmd = NULL;
	struct notify_fifo_conf c = { .path = f->fifo, .uid = geteuid(), .gid = getegid(),
				      .type = "vrrp_" };
	char line[1024];

	if (shell) {
		snprintf(line, sizeof(line), "/bin/sh -c '%s'", shell);
		assert_int_equal(process_cmd_new(line, geteuid(), getegid(), &cmd, NULL), 0);
		c.script = cmd;
	}
	assert_int_equal(notify_fifo_open(f->s, &c, &f->f), 0);
	process_cmd_free(cmd);
	return f->f;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/*
 * The last lines are written, then finish: the script reads them all, gets EOF and
 * ends by itself, long before the wait is over; the FIFO we made is gone.
 */
static void test_finish_lets_the_script_read_the_rest(void **state)
{
	struct fixture *f = *state;
	char sh[512], out[128], ready[128], *got;
	uint64_t t0;

	snprintf(out, sizeof(out), "%s/out", f->dir);
	/* it says when it has the FIFO open: a FIFO made and gone before that is not read */
	snprintf(sh, sizeof(sh), "exec 3< \"$0\"; echo 1 > %s/ready; exec cat <&3 > %s", f->dir,
		 out);
	open_with(f, sh);
	snprintf(ready, sizeof(ready), "%s/ready", f->dir);
	for (int i = 0; i < 500 && !read_pid(ready); i++)
		nanosleep(&(struct timespec){ .tv_nsec = 10000000 }, NULL);
	assert_int_equal(read_pid(ready), 1);
	notify_fifo_write(f->f, "INSTANCE \"VI_1\" BACKUP 100\n", 27);
	notify_fifo_write(f->f, "INSTANCE \"VI_1\" STOP 100\n", 25);
	t0 = now_ms();
	notify_fifo_finish(f->f, 5000000, done_cb, f);
	assert_int_equal(access(f->fifo, F_OK), -1);
	assert_int_equal(f->n_done, 0);
	assert_int_equal(sched_run(f->s), 0);
	assert_int_equal(f->n_done, 1);
	assert_true(now_ms() - t0 < 4000);
	got = read_file(out);
	assert_non_null(got);
	assert_string_equal(got, "INSTANCE \"VI_1\" BACKUP 100\nINSTANCE \"VI_1\" STOP 100\n");
	free(got);
}

/* A script that does not stop at EOF gets SIGTERM once the wait is over. */
static void test_finish_ends_a_script_that_stays(void **state)
{
	struct fixture *f = *state;
	char sh[512], pidf[128];
	pid_t pid = 0;
	uint64_t t0;

	snprintf(pidf, sizeof(pidf), "%s/pid", f->dir);
	snprintf(sh, sizeof(sh), "echo $$ > %s.tmp; mv %s.tmp %s; exec sleep 60", pidf, pidf, pidf);
	open_with(f, sh);
	for (int i = 0; i < 500 && !(pid = read_pid(pidf)); i++)
		nanosleep(&(struct timespec){ .tv_nsec = 10000000 }, NULL);
	assert_true(pid > 0);
	t0 = now_ms();
	notify_fifo_finish(f->f, 200000, done_cb, f);
	assert_int_equal(sched_run(f->s), 0);
	assert_int_equal(f->n_done, 1);
	assert_true(now_ms() - t0 >= 190);
	assert_true(wait_dead(pid, 3000));
}

/* A FIFO that was there before is used and left in place; nobody reading: lines dropped. */
static void test_existing_fifo_is_kept(void **state)
{
	struct fixture *f = *state;
	char big[4096];
	struct stat st;

	assert_int_equal(mkfifo(f->fifo, 0600), 0);
	open_with(f, NULL);
	memset(big, 'x', sizeof(big));
	for (int i = 0; i < 64; i++)	/* 256 KiB: more than a pipe holds; never blocks */
		notify_fifo_write(f->f, big, sizeof(big));
	notify_fifo_finish(f->f, 1000000, done_cb, f);
	assert_int_equal(f->n_done, 1);		/* no script: at once */
	assert_int_equal(stat(f->fifo, &st), 0);
	assert_true(S_ISFIFO(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0600);
}

/* Made with 0644 less the umask; a path that cannot be made: keepalived's error. */
static void test_made_fifo_mode(void **state)
{
	struct fixture *f = *state;
	struct notify_fifo *g = NULL;
	struct notify_fifo_conf c = { .path = "/nonexistent/dir/x.fifo", .uid = geteuid(),
				      .gid = getegid(), .type = "vrrp_" };
	struct stat st;
	mode_t old = umask(0022);

	open_with(f, NULL);
	umask(old);
	assert_int_equal(stat(f->fifo, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	assert_int_equal(notify_fifo_open(f->s, &c, &g), -ENOENT);
	assert_null(g);
}

/* A regular file of that name is not written to (keepalived 2.2.7 would). */
static void test_regular_file_refused(void **state)
{
	struct fixture *f = *state;
	struct notify_fifo *g = NULL;
	struct notify_fifo_conf c = { .path = f->fifo, .uid = geteuid(), .gid = getegid(),
				      .type = "vrrp_" };
	FILE *fp = fopen(f->fifo, "w");
	char *got;

	assert_non_null(fp);
	fclose(fp);
	assert_int_equal(notify_fifo_open(f->s, &c, &g), -EINVAL);
	assert_null(g);
	got = read_file(f->fifo);
	assert_string_equal(got, "");
	free(got);
	assert_int_equal(access(f->fifo, F_OK), 0);	/* not ours: left alone */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vrrp_line),
		cmocka_unit_test(test_mail_text),
		cmocka_unit_test_setup_teardown(test_finish_lets_the_script_read_the_rest, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_finish_ends_a_script_that_stays, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_existing_fifo_is_kept, setup, teardown),
		cmocka_unit_test_setup_teardown(test_made_fifo_mode, setup, teardown),
		cmocka_unit_test_setup_teardown(test_regular_file_refused, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
