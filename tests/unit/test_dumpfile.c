// SPDX-License-Identifier: GPL-2.0-or-later
/* tests/unit/test_dumpfile.c: the dump paths state_dump_file, stats_dump_file and data_use_instance give. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dumpfile.h"
#include "core/global_defs.h"
#include "parser.h"
#include "utils.h"

static void quiet(void *arg, const struct cfg_diag *d)
{
}

static struct global_defs *parse(const char *text)
{
	struct global_defs *gd = global_defs_new();
	struct cfg_root root = { global_defs_root_kws, gd, global_defs_finish };
	struct cfg_opts o = { .diag = quiet };
	unsigned n_err = 0, n_warn = 0;

	cfg_parse_buf("test.conf", text, strlen(text), &root, 1, &o, &n_err, &n_warn);
	if (n_err)
		fail_msg("errors parsing: %s", text);
	return gd;
}

static const struct {
	const char *what;
	const char *conf;
	const char *ns;
	enum dumpfile_kind kind;
	const char *suffix;
	const char *want;
} cases[] = {
	{ "VRRP data, default", "", NULL, DUMPFILE_DATA, "", "/tmp/keepalived.data" },
	{ "VRRP stats, default", "", NULL, DUMPFILE_STATS, "", "/tmp/keepalived.stats" },
	{ "checker data, default", "", NULL, DUMPFILE_DATA, "_check", "/tmp/keepalived_check.data" },
	{ "parent data, default", "", NULL, DUMPFILE_DATA, "_parent",
	  "/tmp/keepalived_parent.data" },
	{ "json, default", "", NULL, DUMPFILE_JSON, "", "/tmp/keepalived.json" },
	{ "state_dump_file absolute", "state_dump_file /var/tmp/ka.data", NULL, DUMPFILE_DATA, "",
	  "/var/tmp/ka.data" },
	{ "state_dump_file: the parent's beside it", "state_dump_file /var/tmp/ka.data", NULL,
	  DUMPFILE_DATA, "_parent", "/var/tmp/ka_parent.data" },
	{ "state_dump_file: the checker's beside it", "state_dump_file /var/tmp/ka.data", NULL,
	  DUMPFILE_DATA, "_check", "/var/tmp/ka_check.data" },
	{ "state_dump_file without extension", "state_dump_file /var/tmp/dump", NULL,
	  DUMPFILE_DATA, "_parent", "/var/tmp/dump_parent" },
	{ "state_dump_file a directory", "state_dump_file /var/tmp/ka/", NULL, DUMPFILE_DATA,
	  "_parent", "/var/tmp/ka/keepalived_parent.data" },
	{ "state_dump_file relative: a name in the temporary directory",
	  "state_dump_file sub/ka.data", NULL, DUMPFILE_DATA, "", "/tmp/ka.data" },
	{ "state_dump_file does not move the stats", "state_dump_file /var/tmp/ka.data", NULL,
	  DUMPFILE_STATS, "", "/tmp/keepalived.stats" },
	{ "stats_dump_file absolute", "stats_dump_file /var/tmp/s.txt", NULL, DUMPFILE_STATS, "",
	  "/var/tmp/s.txt" },
	{ "stats_dump_file: the checker's beside it", "stats_dump_file /var/tmp/s.txt", NULL,
	  DUMPFILE_STATS, "_check", "/var/tmp/s_check.txt" },
	{ "json_dump_file", "json_dump_file /var/tmp/j.json", NULL, DUMPFILE_JSON, "",
	  "/var/tmp/j.json" },
	{ "data_use_instance alone changes nothing", "data_use_instance", NULL, DUMPFILE_DATA, "",
	  "/tmp/keepalived.data" },
	{ "data_use_instance with a namespace", "data_use_instance", "blue", DUMPFILE_DATA, "",
	  "/tmp/keepalived.blue.data" },
	{ "data_use_instance, parent, namespace", "data_use_instance", "blue", DUMPFILE_DATA,
	  "_parent", "/tmp/keepalived_parent.blue.data" },
	{ "data_use_instance: not the stats", "data_use_instance", "blue", DUMPFILE_STATS, "",
	  "/tmp/keepalived.stats" },
	{ "namespace without data_use_instance", "", "blue", DUMPFILE_DATA, "",
	  "/tmp/keepalived.data" },
	{ "data_use_instance off", "data_use_instance false", "blue", DUMPFILE_DATA, "",
	  "/tmp/keepalived.data" },
};

static void test_paths(void **state)
{
	(void)state;
	unsetenv("TMPDIR");
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char *conf = xasprintf("global_defs {\n%s\n}\n", cases[i].conf);
		struct global_defs *gd = parse(conf);
		char *got = dumpfile_path(gd, cases[i].ns, cases[i].kind, cases[i].suffix);

		if (strcmp(got, cases[i].want))
			fail_msg("%s: got %s, want %s", cases[i].what, got, cases[i].want);
		free(got);
		global_defs_free(gd);
		free(conf);
	}
}

/* The instance name (top-level `instance`) joins the namespace in the data file's name. */
static void test_instance(void **state)
{
	struct global_defs *gd = parse("instance red\nglobal_defs {\ndata_use_instance\n}\n");
	char *got;

	(void)state;
	unsetenv("TMPDIR");
	got = dumpfile_path(gd, "blue", DUMPFILE_DATA, "_parent");
	assert_string_equal(got, "/tmp/keepalived_parent.blue_red.data");
	free(got);
	got = dumpfile_path(gd, NULL, DUMPFILE_DATA, "");
	assert_string_equal(got, "/tmp/keepalived.red.data");
	free(got);
	global_defs_free(gd);
}

/* keepalived's temporary directory is $TMPDIR when it is an absolute path. */
static void test_tmpdir(void **state)
{
	struct global_defs *gd = parse("global_defs {\n}\n");
	char *got;

	(void)state;
	setenv("TMPDIR", "/var/tmp", 1);
	got = dumpfile_path(gd, NULL, DUMPFILE_STATS, "");
	assert_string_equal(got, "/var/tmp/keepalived.stats");
	free(got);
	setenv("TMPDIR", "relative", 1);
	got = dumpfile_path(gd, NULL, DUMPFILE_DATA, "");
	assert_string_equal(got, "/tmp/keepalived.data");
	free(got);
	unsetenv("TMPDIR");
	global_defs_free(gd);
}

/* SIGUSR1's "Global definitions": keepalived 2.2.7's lines, in its order */
static void test_global_defs(void **state)
{
	struct global_defs *gd = parse(
		"global_defs {\n router_id r1\n smtp_server 192.0.2.25 2525\n"
		" notification_email {\n a@example.org\n }\n notification_email_from k@example.org\n"
		" vrrp_garp_master_delay 7\n lvs_timeouts udp 30\n vrrp_strict\n"
		" dbus_service_name org.example.Vrrp\n}\n");
	char *text = NULL, *p;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	static const char *const want[] = {
		"------< Global definitions >------\n Network namespace = (default)\n",
		" Router ID = r1\n Smtp server = 192.0.2.25\n Smtp server port = 2525\n",
		" Email notification from = k@example.org\n Email notification to:\n"
		"   a@example.org\n Default smtp_alert = unset\n",
		/* sic: 2.2.7 names the UDP timeout a TCP one */
		" LVS TCP timeout = 30\n Default interface = eth0\n",
		" Gratuitous ARP delay = 7\n",
		" Gratuitous ARP lower priority delay = 7\n",
		" VRRP strict mode = true\n",
		" DBus service name = org.example.Vrrp\n",
		" umask = 0177\n",
	};

	dumpfile_global_defs(gd, f, true);
	fclose(f);
	p = text;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		char *at = strstr(p, want[i]);

		if (!at)
			fail_msg("not found (in order): %s\nin:\n%s", want[i], text);
		p = at + strlen(want[i]);
	}
	assert_null(strstr(text, "libnftnl"));
	free(text);
	/* the parent's and checker's: no default interface */
	text = NULL;
	f = open_memstream(&text, &len);
	dumpfile_global_defs(gd, f, false);
	fclose(f);
	assert_null(strstr(text, "Default interface"));
	free(text);
	global_defs_free(gd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_instance),
		cmocka_unit_test(test_tmpdir),
		cmocka_unit_test(test_global_defs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
