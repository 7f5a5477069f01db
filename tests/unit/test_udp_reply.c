// SPDX-License-Identifier: GPL-2.0-or-later
/* tests/unit/test_udp_reply.c: UDP_CHECK's require_reply pattern, wildcards and lengths. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "check/udp_reply.h"
#include "utils.h"

/* require_reply "de ad X0 Xf": the mask keeps the bits that must match (X nibbles clear theirs) */
static uint8_t pat[] = { 0xde, 0xad, 0x00, 0x0f };
static uint8_t mask[] = { 0xff, 0xff, 0x0f, 0x0f };

static const struct {
	const char *what;
	const char *in;		/* hex bytes */
	unsigned min, max;
	bool with_mask, with_pattern;
	bool want;
} cases[] = {
	{ "exact", "dead000f", 0, 255, true, true, true },
	{ "wildcard nibbles differ", "deadf0af", 0, 255, true, true, true },
	{ "fixed nibble differs", "deadf1af", 0, 255, true, true, false },
	{ "first byte differs", "dfad000f", 0, 255, true, true, false },
	{ "longer reply: only the pattern's bytes count", "dead000f0102", 0, 255, true, true, true },
	{ "shorter reply: only its own bytes count", "de", 0, 255, true, true, true },
	{ "shorter reply that differs", "df", 0, 255, true, true, false },
	{ "empty reply", "", 0, 255, true, true, true },
	{ "below min_reply_length", "dead", 3, 255, true, true, false },
	{ "at min_reply_length", "dead00", 3, 255, true, true, true },
	{ "over max_reply_length", "dead000f01", 0, 4, true, true, false },
	{ "at max_reply_length", "dead000f", 0, 4, true, true, true },
	{ "no mask: wildcard bytes compared", "deadf0af", 0, 255, false, true, false },
	{ "no mask: exact", "dead000f", 0, 255, false, true, true },
	{ "no pattern: anything, any length", "0102030405", 0, 2, false, false, true },
};

static size_t unhex(const char *s, uint8_t *out)
{
	size_t n = 0;
	unsigned v;

	for (; s[0] && s[1]; s += 2) {
		sscanf(s, "%2x", &v);
		out[n++] = (uint8_t)v;
	}
	return n;
}

static void test_match(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct ck_udp u = {
			.require_reply = true,
			.reply = cases[i].with_pattern ? pat : NULL,
			.reply_mask = cases[i].with_mask ? mask : NULL,
			.reply_len = cases[i].with_pattern ? sizeof(pat) : 0,
			.min_reply_len = cases[i].min,
			.max_reply_len = cases[i].max,
		};
		uint8_t buf[64];
		size_t n = unhex(cases[i].in, buf);

		if (udp_reply_ok(&u, buf, n) != cases[i].want)
			fail_msg("%s: got %d", cases[i].what, !cases[i].want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_match),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
