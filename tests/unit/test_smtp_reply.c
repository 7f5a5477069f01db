// SPDX-License-Identifier: GPL-2.0-or-later
/* tests/unit/test_smtp_reply.c: SMTP_CHECK's reading of reply lines (keepalived 2.2.7's rules). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "check/smtp_reply.h"

static int code(const char *line)
{
	return smtp_reply_code((const uint8_t *)line, strlen(line));
}

/* A line as check_smtp.c hands it over: without its '\n', with any '\r'. */
static void test_codes(void **state)
{
	static const struct {
		const char *line;
		int code;
	} cases[] = {
		{ "220 mail.example.org ESMTP ready\r", 220 },
		{ "220 \r", 220 },
		{ "220 ", 220 },
		{ "220", 220 },			/* "220\n": the end follows the digits */
		{ "250 smtp.example.org Hello\r", 250 },
		{ "221 bye", 221 },
		{ "554 no service\r", 554 },
		{ "999 x", 999 },
		{ "000 x", 0 },
		{ "220-mail.example.org first line\r", -1 },	/* multi-line banner fails */
		{ "220\r", -1 },		/* CR straight after the digits */
		{ "2200 x", -1 },
		{ "22 x", -1 },
		{ "22", -1 },
		{ "", -1 },
		{ " 220 x", -1 },
		{ "+22 x", -1 },
		{ "-22 x", -1 },
		{ "22a x", -1 },
		{ "abc", -1 },
		{ "220\tx", -1 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int c = code(cases[i].line);

		if (c != cases[i].code)
			fail_msg("'%s': %d, expected %d", cases[i].line, c, cases[i].code);
	}
	/* a NUL ends the line as a C string does */
	assert_int_equal(smtp_reply_code((const uint8_t *)"220\0x", 5), 220);
	assert_int_equal(smtp_reply_code((const uint8_t *)"22\0 x", 5), -1);
	/* only len bytes are looked at */
	assert_int_equal(smtp_reply_code((const uint8_t *)"2205", 3), 220);
	assert_int_equal(smtp_reply_code((const uint8_t *)"22", 2), -1);
}

static ssize_t line_end(const char *s, size_t len)
{
	return smtp_reply_line_end((const uint8_t *)s, len);
}

static void test_line_end(void **state)
{
	assert_int_equal(line_end("220 ok\r\n", 8), 7);
	assert_int_equal(line_end("220 ok\r", 7), -1);
	assert_int_equal(line_end("", 0), -1);
	assert_int_equal(line_end("\n", 1), 0);
	/* two lines in one read: the first one */
	assert_int_equal(line_end("220-a\r\n220 b\r\n", 14), 6);
	/* a NUL before the newline hides it (keepalived's strchr) */
	assert_int_equal(line_end("220\0 ok\r\n", 9), -1);
	/* a NUL after it does not */
	assert_int_equal(line_end("220 ok\n\0", 8), 6);
}

/* The whole banner check as check_smtp.c makes it: first line of what came, code 220. */
static bool banner_ok(const char *read)
{
	ssize_t nl = line_end(read, strlen(read));

	return nl >= 0 && smtp_reply_code((const uint8_t *)read, (size_t)nl) == 220;
}

static void test_banner(void **state)
{
	assert_true(banner_ok("220 mail ESMTP\r\n"));
	assert_true(banner_ok("220 mail ESMTP\r\n250 junk\r\n"));
	assert_false(banner_ok("220-mail ESMTP\r\n220 more\r\n"));
	assert_false(banner_ok("220\r\n"));
	assert_true(banner_ok("220\n"));
	assert_false(banner_ok("421 busy\r\n"));
	assert_false(banner_ok("220 no newline yet"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_codes),
		cmocka_unit_test(test_line_end),
		cmocka_unit_test(test_banner),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
