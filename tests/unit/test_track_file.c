// SPDX-License-Identifier: GPL-2.0-or-later
/* tests/unit/test_track_file.c: track_file blocks, the values their files hold, what trackers make of them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/global_defs.h"
#include "core/track_file.h"
#include "file_test.h"
#include "log_test.h"
#include "parser.h"
#include "utils.h"

/* keepalived 2.2.7's process_track_file: strtol(buf, NULL, 0) of up to 127 bytes */
static const struct {
	const char *what;
	const char *in;
	bool ok;
	int64_t value;
} values[] = {
	{ "decimal with a newline", "5\n", true, 5 },
	{ "negative", "-12\n", true, -12 },
	{ "leading blanks and plus", "  \t+7", true, 7 },
	{ "hexadecimal", "0x10\n", true, 16 },
	{ "octal", "010\n", true, 8 },
	{ "octal stops at 8", "08\n", true, 0 },
	{ "text after the number", "3 apples\n", true, 3 },
	{ "no number", "up\n", true, 0 },
	{ "empty", "", true, 0 },
	{ "INT32_MAX + 1 is accepted", "2147483648", true, 2147483648LL },
	{ "INT32_MIN", "-2147483648", true, INT32_MIN },
	{ "INT32_MAX + 2", "2147483649", false, 2147483649LL },
	{ "below INT32_MIN", "-2147483649", false, -2147483649LL },
	{ "past long long", "99999999999999999999", false, INT64_MAX },
};

static void test_parse(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(values); i++) {
		int64_t v = 42;
		bool ok = track_file_parse(values[i].in, strlen(values[i].in), &v);

		if (ok != values[i].ok || v != values[i].value)
			fail_msg("%s: ok %d value %lld", values[i].what, ok, (long long)v);
	}
}

static void test_parse_127_bytes(void **state)
{
	char buf[200];

	(void)state;
	/* keepalived reads 127 bytes: the digits past them are not part of the number */
	memset(buf, ' ', sizeof(buf));
	memcpy(buf + 125, "123", 3);
	int64_t v;
	assert_true(track_file_parse(buf, sizeof(buf), &v));
	assert_int_equal(v, 12);
}

static void test_read(void **state)
{
	char dir[] = "/tmp/test_track_file.XXXXXX", path[64];
	int64_t v = 1;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/f", dir);
	assert_true(track_file_read(path, &v));	/* missing: 0 */
	assert_int_equal(v, 0);
	f = fopen(path, "w");
	fputs("-3\n", f);
	fclose(f);
	assert_true(track_file_read(path, &v));
	assert_int_equal(v, -3);
	f = fopen(path, "w");
	fclose(f);
	assert_true(track_file_read(path, &v));	/* empty: 0 */
	assert_int_equal(v, 0);
	unlink(path);
	rmdir(dir);
}

/* keepalived's update_track_file_status + weight_range */
static const struct {
	const char *what;
	int64_t value;
	int weight;
	bool reverse;
	int want;
} statuses[] = {
	{ "weight 0, value 0: up", 0, 0, false, 0 },
	{ "weight 0, value 1: down", 1, 0, false, TRACK_FILE_FAULT },
	{ "weight 0, value -1: down", -1, 0, false, TRACK_FILE_FAULT },
	{ "weight 0 reverse, value 0: down", 0, 0, true, TRACK_FILE_FAULT },
	{ "weight 0 reverse, value 5: up", 5, 0, true, 0 },
	{ "weight 10, value 3", 3, 10, false, 30 },
	{ "weight 10 reverse, value 3", 3, 10, true, -30 },
	{ "weight -2, value 4", 4, -2, false, -8 },
	{ "clamped high", 2147483648LL, 2147483647, false, INT32_MAX },
	{ "clamped low: down", -2147483648LL, 2147483647, false, TRACK_FILE_FAULT },
	{ "exactly INT_MIN: down", INT32_MIN, 1, false, TRACK_FILE_FAULT },
	{ "INT_MIN + 1: a weight", INT32_MIN + 1, 1, false, INT32_MIN + 1 },
};

static void test_status(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(statuses); i++) {
		int got = track_file_status(statuses[i].value, statuses[i].weight,
					    statuses[i].reverse);

		if (got != statuses[i].want)
			fail_msg("%s: got %d, want %d", statuses[i].what, got, statuses[i].want);
	}
}

struct diags {
	char text[2048];
	unsigned n;
};

static void collect(void *arg, const struct cfg_diag *d)
{
	struct diags *ds = arg;
	char line[512];

	cfg_diag_format(d, line, sizeof(line));
	snprintf(ds->text + strlen(ds->text), sizeof(ds->text) - strlen(ds->text), "%s\n", line);
	ds->n++;
}

static struct global_defs *parse(const char *text, struct diags *ds)
{
	struct global_defs *gd = global_defs_new();
	struct cfg_root root = { global_defs_root_kws, gd, global_defs_finish };
	struct cfg_opts o = { .diag = collect, .diag_arg = ds };

	memset(ds, 0, sizeof(*ds));
	cfg_parse_buf("t.conf", text, strlen(text), &root, 1, &o, NULL, NULL);
	return gd;
}

static void test_block(void **state)
{
	struct diags ds;
	struct global_defs *gd;
	const struct track_files *l;
	const struct track_file *tf;

	(void)state;
	gd = parse("track_file up {\n file /run/x\n weight -5 reverse\n init_file 3 overwrite\n}\n"
		   "vrrp_track_file old {\n file /run/y\n}\n", &ds);
	l = global_defs_track_files(gd);
	assert_int_equal(l->n, 2);
	tf = track_files_find(l, "up");
	assert_non_null(tf);
	assert_string_equal(tf->path, "/run/x");
	assert_int_equal(tf->weight, -5);
	assert_true(tf->reverse);
	assert_true(tf->has_init && tf->init_overwrite);
	assert_int_equal(tf->init_value, 3);
	tf = track_files_find(l, "old");
	assert_non_null(tf);
	assert_int_equal(tf->weight, 1);
	assert_false(tf->reverse || tf->has_init);
	assert_null(track_files_find(l, "none"));
	/* only the deprecation warning of vrrp_track_file */
	assert_int_equal(ds.n, 1);
	assert_non_null(strstr(ds.text, "t.conf:6:"));
	global_defs_free(gd);
}

static const struct {
	const char *what;
	const char *conf;
	const char *want;	/* in the diagnostics */
} bad[] = {
	{ "no file", "track_file a {\n weight 2\n}\n", "No file set for track_file a - ignoring" },
	{ "weight too big", "track_file a {\n file /x\n weight 255\n}\n",
	  "Weight (255) for track_file a must be between [-254..254] inclusive. Ignoring..." },
	{ "weight option", "track_file a {\n file /x\n weight 2 backwards\n}\n",
	  "track_file a unknown weight option backwards" },
	{ "two files", "track_file a {\n file /x\n file /y\n}\n",
	  "File already set for track file a - ignoring /y" },
	{ "init value", "track_file a {\n file /x\n init_file 300\n}\n",
	  "Track file a init value 300 is outside sensible range [-254, 254]" },
	{ "init option", "track_file a {\n file /x\n init_file please\n}\n",
	  "Unknown track file init option please" },
};

static void test_block_errors(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		struct diags ds;
		struct global_defs *gd = parse(bad[i].conf, &ds);

		if (!strstr(ds.text, bad[i].want))
			fail_msg("%s: diagnostics: %s", bad[i].what, ds.text);
		global_defs_free(gd);
	}
	/* a block without a file is not found */
	{
		struct diags ds;
		struct global_defs *gd = parse("track_file a {\n}\n", &ds);

		assert_null(track_files_find(global_defs_track_files(gd), "a"));
		global_defs_free(gd);
	}
}

static void test_init(void **state)
{
	char dir[] = "/tmp/test_track_file.XXXXXX", conf[512], path[64], path2[64];
	struct diags ds;
	struct global_defs *gd;
	char *s;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/a", dir);
	snprintf(path2, sizeof(path2), "%s/b", dir);
	snprintf(conf, sizeof(conf),
		 "track_file a {\n file %s\n init_file 7 overwrite\n}\n"
		 "track_file b {\n file %s\n init_file -2\n}\n", path, path2);
	gd = parse(conf, &ds);
	assert_int_equal(ds.n, 0);
	/* the parse writes nothing */
	assert_int_equal(access(path, F_OK), -1);
	track_files_init(global_defs_track_files(gd), false);
	s = read_file(path);
	assert_string_equal(s, "7\n");
	free(s);
	s = read_file(path2);
	assert_string_equal(s, "-2\n");
	free(s);

	f = fopen(path, "w");
	fputs("1\n", f);
	fclose(f);
	f = fopen(path2, "w");
	fputs("1\n", f);
	fclose(f);
	/* a reload overwrites nothing; a start overwrites only with overwrite */
	track_files_init(global_defs_track_files(gd), true);
	s = read_file(path);
	assert_string_equal(s, "1\n");
	free(s);
	track_files_init(global_defs_track_files(gd), false);
	s = read_file(path);
	assert_string_equal(s, "7\n");
	free(s);
	s = read_file(path2);
	assert_string_equal(s, "1\n");
	free(s);
	global_defs_free(gd);
	unlink(path);
	unlink(path2);
	rmdir(dir);
}

/* A file anyone may rewrite cannot flood the log: 5 "Invalid number" lines per 10 s per file */
static void test_log_invalid_limited(void **state)
{
	struct ratelimit a = { 0 }, b = { 0 };
	char want[512] = "";

	(void)state;
	log_test_new_lines();
	for (int i = 0; i < 12; i++)
		track_file_log_invalid(&a, "/tmp/kt-a", 4294967296LL + i);
	track_file_log_invalid(&b, "/tmp/kt-b", -4294967296LL);
	for (int i = 0; i < 5; i++)
		snprintf(want + strlen(want), sizeof(want) - strlen(want),
			 "Invalid number %lld read from /tmp/kt-a - ignoring|", 4294967296LL + i);
	strcat(want, "Invalid number -4294967296 read from /tmp/kt-b - ignoring|");
	assert_string_equal(log_test_new_lines(), want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_parse_127_bytes),
		cmocka_unit_test(test_read),
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_block),
		cmocka_unit_test(test_block_errors),
		cmocka_unit_test(test_init),
		cmocka_unit_test(test_log_invalid_limited),
	};

	return cmocka_run_group_tests(tests, log_test_setup, log_test_teardown);
}
