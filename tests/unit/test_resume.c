// SPDX-License-Identifier: GPL-2.0-or-later
/* tests/unit/test_resume.c: the parent keeps a child's last state report for its successor (core/resume.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/ctl.h"
#include "core/resume.h"

/* sv[0]: the parent's end, sv[1]: the child's, as the watchdog makes them. */
static void pair(int sv[2])
{
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv),
			 0);
}

/* The last of several reports is kept, heartbeats between them count as messages. */
static void test_last_report_kept(void **state)
{
	struct ka_resume rs = { 0 };
	int sv[2];
	(void)state;

	pair(sv);
	assert_false(ka_resume_read(&rs, sv[0]));
	assert_int_equal(ka_resume_send(sv[1], "one", 3), 0);
	assert_int_equal(write(sv[1], "h", 1), 1);
	assert_int_equal(ka_resume_send(sv[1], "second", 6), 0);
	assert_int_equal(write(sv[1], "h", 1), 1);
	assert_true(ka_resume_read(&rs, sv[0]));
	assert_int_equal(rs.last_len, 6);
	assert_memory_equal(rs.last, "second", 6);
	/* beats only: the report stays */
	assert_int_equal(write(sv[1], "h", 1), 1);
	assert_true(ka_resume_read(&rs, sv[0]));
	assert_memory_equal(rs.last, "second", 6);
	ka_resume_clear(&rs);
	close(sv[0]);
	close(sv[1]);
}

/* A respawn hands the report to the next child, first in its queue; a normal end drops it. */
static void test_hand_over(void **state)
{
	struct ka_resume rs = { 0 };
	int sv[2], nv[2];
	size_t len;
	char *p, b[16];
	(void)state;

	pair(sv);
	assert_int_equal(ka_resume_send(sv[1], "MASTERS", 7), 0);
	close(sv[1]);			/* the child died; what it sent is still queued */
	ka_resume_read(&rs, sv[0]);
	ka_resume_child_gone(&rs, true);
	assert_null(rs.last);
	assert_non_null(rs.pending);
	close(sv[0]);

	pair(nv);
	ka_resume_hand_over(&rs, nv[0], "VRRP");
	assert_null(rs.pending);
	/* the new child: a request of the status plane after it does not get in the way */
	assert_int_equal(write(nv[0], "xxxxxxxxxx", 10), 10);
	p = ka_resume_take(nv[1], &len);
	assert_non_null(p);
	assert_int_equal(len, 7);
	assert_memory_equal(p, "MASTERS", 7);
	free(p);
	/* the next message is left for its own reader */
	assert_null(ka_resume_take(nv[1], &len));
	assert_int_equal(len, 0);
	assert_int_equal(recv(nv[1], b, sizeof(b), MSG_DONTWAIT), 10);
	close(nv[0]);
	close(nv[1]);

	/* a normal exit (or a stop): nothing for the next start */
	pair(sv);
	assert_int_equal(ka_resume_send(sv[1], "MASTERS", 7), 0);
	ka_resume_read(&rs, sv[0]);
	ka_resume_child_gone(&rs, false);
	assert_null(rs.last);
	assert_null(rs.pending);
	close(sv[0]);
	close(sv[1]);
}

/* A normal start: nothing queued, or something else first: no report taken. */
static void test_take_nothing(void **state)
{
	int sv[2];
	size_t len = 99;
	(void)state;

	pair(sv);
	assert_null(ka_resume_take(sv[1], &len));
	assert_int_equal(len, 0);
	assert_int_equal(write(sv[0], "h", 1), 1);
	assert_null(ka_resume_take(sv[1], &len));
	close(sv[0]);
	close(sv[1]);
}

/* Another reader of the socket passes each message it does not know to ka_resume_note(). */
static void test_note(void **state)
{
	struct ka_resume rs = { 0 };
	char msg[sizeof(struct ka_ctl_hdr) + 4];
	struct ka_ctl_hdr hd = { .type = KA_CTL_STATE };
	(void)state;

	memcpy(msg, &hd, sizeof(hd));
	memcpy(msg + sizeof(hd), "abcd", 4);
	assert_false(ka_resume_note(&rs, "h", 1));
	assert_true(ka_resume_note(&rs, msg, sizeof(msg)));
	assert_int_equal(rs.last_len, 4);
	hd.type = 'P';
	memcpy(msg, &hd, sizeof(hd));
	assert_false(ka_resume_note(&rs, msg, sizeof(msg)));
	assert_memory_equal(rs.last, "abcd", 4);
	assert_int_equal(ka_resume_send(-1, "x", 1) < 0, 1);
	assert_int_equal(ka_resume_send(3, "x", KA_RESUME_MAX + 1), -EMSGSIZE);
	ka_resume_clear(&rs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_last_report_kept),
		cmocka_unit_test(test_hand_over),
		cmocka_unit_test(test_take_nothing),
		cmocka_unit_test(test_note),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
