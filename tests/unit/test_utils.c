// SPDX-License-Identifier: GPL-2.0-or-later
/* tests/unit/test_utils.c: edit distance and address parsing/printing in lib/utils.c. */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "md5.h"
#include "utils.h"

static const struct {
	const char *what;
	const char *a, *b;
	unsigned cap;
	unsigned want;
} dist[] = {
	{ "equal", "priority", "priority", 2, 0 },
	{ "both empty", "", "", 2, 0 },
	{ "one empty", "", "abc", 5, 3 },
	{ "one empty, over the cap", "", "abc", 2, 3 },
	{ "one deletion", "priorty", "priority", 2, 1 },
	{ "one insertion", "prioritty", "priority", 2, 1 },
	{ "one substitution", "prioroty", "priority", 2, 1 },
	{ "a swap is two edits", "pirority", "priority", 2, 2 },
	{ "kitten/sitting", "kitten", "sitting", 5, 3 },
	{ "kitten/sitting capped at 2", "kitten", "sitting", 2, 3 },
	{ "length gap alone exceeds the cap", "ab", "abcdef", 2, 3 },
	{ "case counts", "Priority", "priority", 2, 1 },
	{ "cap 0: equal", "x", "x", 0, 0 },
	{ "cap 0: different", "x", "y", 0, 1 },
	{ "long strings are not compared",
	  "a_very_long_keyword_name_that_goes_on_and_on_past_sixty_four_chars",
	  "a_very_long_keyword_name_that_goes_on_and_on_past_sixty_four_chars", 2, 3 },
	{ "63 characters still work",
	  "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijk",
	  "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijx", 2, 1 },
	{ "symmetric", "priority", "priorty", 2, 1 },
	{ "vrrp_instance", "vrrp_instanc", "vrrp_instance", 2, 1 },
	{ "unrelated", "frobnicate", "priority", 2, 3 },
};

static void test_edit_distance(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(dist); i++) {
		unsigned got = edit_distance(dist[i].a, dist[i].b, dist[i].cap);

		if (got != dist[i].want)
			fail_msg("%s: edit_distance(\"%s\", \"%s\", %u) = %u, want %u", dist[i].what,
				 dist[i].a, dist[i].b, dist[i].cap, got, dist[i].want);
	}
}

/* The plain full-table distance, to check the banded one against. */
static unsigned full_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned d[16][16];

	for (size_t i = 0; i <= la; i++)
		for (size_t j = 0; j <= lb; j++) {
			unsigned v = i == 0 ? (unsigned)j : j == 0 ? (unsigned)i :
				     d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);

			if (i && j && d[i - 1][j] + 1 < v)
				v = d[i - 1][j] + 1;
			if (i && j && d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			d[i][j] = v;
		}
	return d[la][lb];
}

/* Random words of a three-letter alphabet (so that near misses are common), every cap. */
static void test_edit_distance_random(void **state)
{
	unsigned seed = 1;

	(void)state;
	for (int n = 0; n < 20000; n++) {
		char a[16], b[16];
		size_t la, lb;
		unsigned cap, want, got;

		seed = seed * 1103515245u + 12345u;
		la = (seed >> 16) % 15;
		seed = seed * 1103515245u + 12345u;
		lb = (seed >> 16) % 15;
		for (size_t i = 0; i < la || i < lb; i++) {
			seed = seed * 1103515245u + 12345u;
			if (i < la)
				a[i] = (char)('a' + (seed >> 16) % 3);
			if (i < lb)
				b[i] = (char)('a' + (seed >> 20) % 3);
		}
		a[la] = b[lb] = '\0';
		cap = (unsigned)n % 7;
		want = full_distance(a, b);
		want = want > cap ? cap + 1 : want;
		got = edit_distance(a, b, cap);
		if (got != want)
			fail_msg("edit_distance(\"%s\", \"%s\", %u) = %u, want %u", a, b, cap, got,
				 want);
	}
}

static const struct {
	const char *what;
	const char *in;
	bool ok;
	int family;
	const char *out;	/* inet_addr_str() of the result */
} addrs[] = {
	{ "v4", "10.0.0.1", true, AF_INET, "10.0.0.1" },
	{ "v4 zero", "0.0.0.0", true, AF_INET, "0.0.0.0" },
	{ "v4 broadcast", "255.255.255.255", true, AF_INET, "255.255.255.255" },
	{ "v4 octet too big", "10.0.0.256", false, 0, NULL },
	{ "v4 too short", "10.0.0", false, 0, NULL },
	{ "v4 with prefix", "10.0.0.1/24", false, 0, NULL },
	{ "v4 leading space", " 10.0.0.1", false, 0, NULL },
	{ "v6 loopback", "::1", true, AF_INET6, "::1" },
	{ "v6 long form is shortened", "fe80:0:0:0:0:0:0:1", true, AF_INET6, "fe80::1" },
	{ "v6 upper case", "FF02::12", true, AF_INET6, "ff02::12" },
	{ "v6 mapped v4", "::ffff:10.0.0.1", true, AF_INET6, "::ffff:10.0.0.1" },
	{ "v6 bad", "fe80:::1", false, 0, NULL },
	{ "v6 with zone", "fe80::1%eth0", false, 0, NULL },
	{ "empty", "", false, 0, NULL },
	{ "a name", "localhost", false, 0, NULL },
};

static void test_addr_parse_str(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(addrs); i++) {
		struct inet_addr a = { .family = 12345 };
		char buf[INET6_ADDRSTRLEN];
		bool ok = inet_addr_parse(addrs[i].in, &a);

		if (ok != addrs[i].ok)
			fail_msg("%s: parse(\"%s\") = %d", addrs[i].what, addrs[i].in, ok);
		if (!ok) {
			/* untouched on failure */
			assert_int_equal(a.family, 12345);
			continue;
		}
		assert_int_equal(a.family, addrs[i].family);
		if (strcmp(inet_addr_str(&a, buf, sizeof(buf)), addrs[i].out))
			fail_msg("%s: str = \"%s\", want \"%s\"", addrs[i].what, buf, addrs[i].out);
	}
}

static void test_addr_str_small_buffer(void **state)
{
	struct inet_addr a;
	char buf[4];

	(void)state;
	assert_true(inet_addr_parse("10.0.0.1", &a));
	/* too small for the address: a placeholder, never an overflow */
	assert_string_equal(inet_addr_str(&a, buf, sizeof(buf)), "?");
}

static void test_addr_eq(void **state)
{
	static const struct {
		const char *what, *a, *b;
		bool eq;
	} rows[] = {
		{ "same v4", "10.0.0.1", "10.0.0.1", true },
		{ "other v4", "10.0.0.1", "10.0.0.2", false },
		{ "same v6, two spellings", "fe80::1", "FE80:0::0:1", true },
		{ "other v6", "fe80::1", "fe80::2", false },
		{ "v4 and its mapped v6 differ", "10.0.0.1", "::ffff:10.0.0.1", false },
		{ "v6 differing in the last byte only", "2001:db8::1:ff", "2001:db8::1:fe", false },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
		struct inet_addr a, b;

		assert_true(inet_addr_parse(rows[i].a, &a));
		assert_true(inet_addr_parse(rows[i].b, &b));
		if (inet_addr_eq(&a, &b) != rows[i].eq || inet_addr_eq(&b, &a) != rows[i].eq)
			fail_msg("%s: eq(%s, %s) != %d", rows[i].what, rows[i].a, rows[i].b,
				 rows[i].eq);
	}
}

/* lib/md5.c: RFC 1321's test suite, whole and fed in pieces across block boundaries */
static void test_md5(void **state)
{
	static const struct { const char *in, *hex; } v[] = {
		{ "", "d41d8cd98f00b204e9800998ecf8427e" },
		{ "a", "0cc175b9c0f1b6a831c399e269772661" },
		{ "abc", "900150983cd24fb0d6963f7d28e17f72" },
		{ "message digest", "f96b697d7cb7938d525a2f31aaf161d0" },
		{ "abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b" },
		{ "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
		  "d174ab98d277d9f5a5611c2c9f419d9f" },
		{ "1234567890123456789012345678901234567890123456789012345678901234567890"
		  "1234567890", "57edf4a22be3c955ac49da2e2107b67a" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		for (size_t step = 1; step <= 80; step += 79) {
			struct md5 m;
			uint8_t out[MD5_LEN];
			char hex[2 * MD5_LEN + 1];
			size_t len = strlen(v[i].in);

			md5_init(&m);
			for (size_t off = 0; off < len; off += step)
				md5_update(&m, v[i].in + off, len - off < step ? len - off : step);
			md5_final(&m, out);
			for (int j = 0; j < MD5_LEN; j++)
				snprintf(hex + 2 * j, 3, "%02x", out[j]);
			assert_string_equal(hex, v[i].hex);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_edit_distance),
		cmocka_unit_test(test_edit_distance_random),
		cmocka_unit_test(test_md5),
		cmocka_unit_test(test_addr_parse_str),
		cmocka_unit_test(test_addr_str_small_buffer),
		cmocka_unit_test(test_addr_eq),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
