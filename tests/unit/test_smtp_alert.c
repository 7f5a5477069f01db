// SPDX-License-Identifier: GPL-2.0-or-later
/* tests/unit/test_smtp_alert.c: the alert mail's bytes and the SMTP reply parser. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "core/smtp_alert.h"
#include "utils.h"

/* keepalived 2.2.7's DATA part (core/smtp.c body_cmd with smtp.h's SMTP_HEADERS_CMD) */
static void test_data(void **state)
{
	static char *const to[] = { "ops@example.com", "oncall@example.com" };
	static const char want[] =
		"Date: Sun, 06 Dec 2026 12:05:39 +0000\r\n"
		"From: keepalived@lb1\r\n"
		"Subject: [lb1] Realserver [10.1.0.2]:tcp:53 of virtual server [10.0.0.1]:tcp:53 - DOWN\r\n"
		"X-Mailer: Keepalived\r\n"
		"To: ops@example.com, oncall@example.com\r\n"
		"\r\n"
		"=> DNS_CHECK: failed on service <=\r\n"
		"\r\n"
		".\r\n";
	char buf[1024];
	size_t n;

	(void)state;
	n = smtp_alert_data(buf, sizeof(buf), "Sun, 06 Dec 2026 12:05:39 +0000", "keepalived@lb1",
			    "[lb1] Realserver [10.1.0.2]:tcp:53 of virtual server [10.0.0.1]:tcp:53 - DOWN",
			    to, 2, "=> DNS_CHECK: failed on service <=");
	assert_int_equal(n, strlen(want));
	assert_string_equal(buf, want);
	/* measuring, then a short buffer: snprintf's contract */
	assert_int_equal(smtp_alert_data(NULL, 0, "d", "f", "s", to, 1, "b"),
			 strlen("Date: d\r\nFrom: f\r\nSubject: s\r\nX-Mailer: Keepalived\r\n"
				"To: ops@example.com\r\n\r\nb\r\n\r\n.\r\n"));
	n = smtp_alert_data(buf, 10, "d", "f", "s", to, 1, "b");
	assert_string_equal(buf, "Date: d\r\n");
	assert_true(n > 10);
}

static void test_date(void **state)
{
	char buf[64];

	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	assert_string_equal(smtp_alert_date(buf, sizeof(buf), 1796558739),
			    "Sun, 06 Dec 2026 12:05:39 +0000");
	setenv("TZ", "CET-1", 1);
	tzset();
	assert_string_equal(smtp_alert_date(buf, sizeof(buf), 1796558739),
			    "Sun, 06 Dec 2026 13:05:39 +0100");
	unsetenv("TZ");
}

static const struct {
	const char *what;
	const char *in;
	size_t used;	/* 0: incomplete */
	int code;
} replies[] = {
	{ "banner", "220 mx ESMTP\r\n", 14, 220 },
	{ "multi-line: the last line's code", "250-mx\r\n250-SIZE 1\r\n250 HELP\r\n", 30, 250 },
	{ "two replies: only the first", "250 ok\r\n354 go\r\n", 8, 250 },
	{ "no line end yet", "250 ok", 0, 0 },
	{ "multi-line, last line not in yet", "250-mx\r\n250 HE", 0, 0 },
	{ "bare code", "221\r\n", 5, 221 },
	{ "not digits", "hello\r\n", 7, -1 },
	{ "short line", "2\r\n", 3, -1 },
	{ "empty line", "\r\n", 2, -1 },
	{ "error code", "550 no such user\r\n", 18, 550 },
};

static void test_reply(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(replies); i++) {
		int code = 0;
		size_t used = smtp_alert_reply(replies[i].in, strlen(replies[i].in), &code);

		if (used != replies[i].used || code != replies[i].code)
			fail_msg("%s: used %zu code %d, want %zu %d", replies[i].what, used, code,
				 replies[i].used, replies[i].code);
	}
}

/* RCPT TO takes the address of "Name <a@b>" (2.2.7 sent it verbatim: <Name <a@b>>). */
static void test_rcpt_addr(void **state)
{
	size_t len;
	const char *a;

	(void)state;
	a = smtp_alert_rcpt_addr("ops@example.com", &len);
	assert_int_equal(len, 15);
	assert_memory_equal(a, "ops@example.com", 15);
	a = smtp_alert_rcpt_addr("Second Person <two@example.com>", &len);
	assert_int_equal(len, 15);
	assert_memory_equal(a, "two@example.com", 15);
	a = smtp_alert_rcpt_addr("broken <x", &len);
	assert_int_equal(len, 9);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_data),
		cmocka_unit_test(test_date),
		cmocka_unit_test(test_reply),
		cmocka_unit_test(test_rcpt_addr),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
