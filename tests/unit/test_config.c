// SPDX-License-Identifier: GPL-2.0-or-later
/* tests/unit/test_config.c: golden tests of the global_defs, VRRP and checker keyword tables. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check/check_conf.h"
#include "file_test.h"
#include "core/global_defs.h"
#include "parser.h"
#include "utils.h"
#include "vrrp/vrrp_conf.h"

/*
 * conf/NAME.conf (not bad-*): parsed with all three keyword tables, without an
 * error; the dump must equal conf/NAME.ok, and parse again to the same dump.
 * conf/bad-NAME.conf: its diagnostics must equal conf/bad-NAME.err; bad-t-NAME.conf is
 * parsed as -t parses (cfg_opts.config_test: mistakes are errors, names are looked up on
 * this host, so it names only lo).
 * Files are parsed from their own directory by a relative name, so the
 * expected "FILE:LINE:COL" do not depend on where the tree is.
 * KT_UPDATE_GOLDEN=1 rewrites the .ok/.err files instead (review the diff!).
 * The host name, the default of router_id and smtp_helo_name, is written @HOSTNAME@.
 */
#ifndef SRCDIR
#define SRCDIR "."
#endif
#define CONF_DIR SRCDIR "/tests/unit/conf"
#define SAMPLE_DIR SRCDIR "/etc/keepalived"

struct loaded {
	struct global_defs *gd;
	void *vrrp;
	void *check;
	char *diags;		/* one formatted diagnostic per line */
	size_t diags_len;
	FILE *diag_f;
	unsigned n_errors, n_warnings;
	int r;
};

static void diag_cb(void *arg, const struct cfg_diag *d)
{
	struct loaded *l = arg;
	char buf[2048];

	fprintf(l->diag_f, "%s\n", cfg_diag_format(d, buf, sizeof(buf)));
}

/*
 * The resolver of the tests (cfg_opts.resolve): no name becomes a DNS query. localhost
 * is 127.0.0.1 and mail.kt.test 192.0.2.25; no other name has an address.
 */
static unsigned n_resolved;

static int fake_resolve(const char *name, struct inet_addr *out)
{
	n_resolved++;
	if (!strcmp(name, "localhost"))
		return inet_addr_parse("127.0.0.1", out) ? 0 : -1;
	if (!strcmp(name, "mail.kt.test"))
		return inet_addr_parse("192.0.2.25", out) ? 0 : -1;
	return -1;
}

/* Parses the file path (relative to dir), or buf when it is not NULL. */
static void load(struct loaded *l, const char *dir, const char *path, const char *buf)
{
	char cwd[PATH_MAX];
	struct cfg_opts o = { .diag = diag_cb, .diag_arg = l,
			      .config_test = !strncmp(path, "bad-t-", 6), .resolve = fake_resolve };
	struct cfg_root roots[3];

	memset(l, 0, sizeof(*l));
	l->gd = global_defs_new();
	l->vrrp = vrrp_conf_new();
	l->check = check_conf_new();
	roots[0] = (struct cfg_root){ global_defs_root_kws, l->gd, global_defs_finish };
	roots[1] = (struct cfg_root){ vrrp_root_kws, l->vrrp, vrrp_conf_finish };
	roots[2] = (struct cfg_root){ check_root_kws, l->check, check_conf_finish };
	l->diag_f = open_memstream(&l->diags, &l->diags_len);
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(dir), 0);
	if (buf)
		l->r = cfg_parse_buf(path, buf, strlen(buf), roots, 3, &o, &l->n_errors,
				     &l->n_warnings);
	else
		l->r = cfg_parse_file(path, roots, 3, &o, &l->n_errors, &l->n_warnings);
	assert_int_equal(chdir(cwd), 0);
	fclose(l->diag_f);
}

static void unload(struct loaded *l)
{
	global_defs_free(l->gd);
	vrrp_conf_free(l->vrrp);
	check_conf_free(l->check);
	free(l->diags);
}

static char *dump(const struct loaded *l)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	global_defs_dump(l->gd, f);
	vrrp_conf_dump(l->vrrp, f);
	check_conf_dump(l->check, f);
	fclose(f);
	return buf;
}

static bool is_word_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       ch == '_' || ch == '-' || ch == '.';
}

/* s with the host name, where it is a whole word, written @HOSTNAME@. */
static char *hide_hostname(const char *s)
{
	char host[HOST_NAME_MAX + 1] = "";
	char *out = NULL;
	size_t len = 0, n;
	FILE *f = open_memstream(&out, &len);

	gethostname(host, sizeof(host) - 1);
	n = strlen(host);
	for (const char *p = s; *p;) {
		if (n && !strncmp(p, host, n) && (p == s || !is_word_char(p[-1])) &&
		    !is_word_char(p[n])) {
			fputs("@HOSTNAME@", f);
			p += n;
		} else {
			fputc(*p++, f);
		}
	}
	fclose(f);
	return out;
}

static void write_file(const char *path, const char *s)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(s, f);
	assert_int_equal(fclose(f), 0);
}

/* Fails naming the first line that differs. */
static void expect_text(const char *what, const char *expected_path, const char *got)
{
	char *want;
	int line = 1;
	const char *w, *g, *wl, *gl;

	if (getenv("KT_UPDATE_GOLDEN")) {
		write_file(expected_path, got);
		return;
	}
	want = read_file(expected_path);
	if (!want)
		fail_msg("%s: cannot read %s: %s", what, expected_path, strerror(errno));
	wl = want;
	gl = got;
	for (w = want, g = got; *w && *w == *g; w++, g++)
		if (*w == '\n') {
			line++;
			wl = w + 1;
			gl = g + 1;
		}
	if (*w || *g) {
		print_error("%s: differs from %s at line %d:\n  want: %.*s\n  got:  %.*s\n", what,
			    expected_path, line, (int)strcspn(wl, "\n"), wl,
			    (int)strcspn(gl, "\n"), gl);
		free(want);
		fail();
	}
	free(want);
}

static char *path_in(const char *dir, const char *name, const char *ext)
{
	return xasprintf("%s/%s%s", dir, name, ext);
}

/* One golden case: dir/file parsed, dumped, compared with golden, parsed again. */
static void check_golden(const char *dir, const char *file, const char *golden)
{
	struct loaded l, again;
	char *out, *out2, *shown;

	load(&l, dir, file, NULL);
	if (l.r != 0 || l.n_errors)
		fail_msg("%s: %u errors (r=%d):\n%s", file, l.n_errors, l.r, l.diags);
	out = dump(&l);
	shown = hide_hostname(out);
	expect_text(file, golden, shown);

	/* the dump is keepalived.conf text and means the same */
	load(&again, dir, "dump", out);
	if (again.r != 0 || again.n_errors)
		fail_msg("%s: the dump does not parse:\n%s\n%s", file, again.diags, out);
	out2 = dump(&again);
	if (strcmp(out, out2))
		fail_msg("%s: the dump of the dump differs:\n%s\n---\n%s", file, out, out2);
	free(out2);
	unload(&again);
	free(shown);
	free(out);
	unload(&l);
}

static void for_each_conf(bool bad, void (*fn)(const char *name))
{
	glob_t g;
	unsigned n = 0;

	assert_int_equal(glob(CONF_DIR "/*.conf", 0, NULL, &g), 0);
	for (size_t i = 0; i < g.gl_pathc; i++) {
		const char *name = strrchr(g.gl_pathv[i], '/') + 1;

		if ((strncmp(name, "bad-", 4) == 0) != bad)
			continue;
		fn(name);
		n++;
	}
	globfree(&g);
	assert_true(n > 0);
}

static void golden_one(const char *name)
{
	char *base = xstrndup(name, strlen(name) - strlen(".conf"));
	char *ok = path_in(CONF_DIR, base, ".ok");

	check_golden(CONF_DIR, name, ok);
	free(ok);
	free(base);
}

static void test_golden(void **state)
{
	(void)state;
	for_each_conf(false, golden_one);
}

static void test_sample(void **state)
{
	(void)state;
	check_golden(SAMPLE_DIR, "keepalived.conf", CONF_DIR "/sample.ok");
}

static void bad_one(const char *name)
{
	char *base = xstrndup(name, strlen(name) - strlen(".conf"));
	char *err = path_in(CONF_DIR, base, ".err");
	struct loaded l;

	load(&l, CONF_DIR, name, NULL);
	if (l.r != -EINVAL || !l.n_errors)
		fail_msg("%s: expected errors, got r=%d with %u errors", name, l.r, l.n_errors);
	expect_text(name, err, l.diags);
	unload(&l);
	free(err);
	free(base);
}

static void test_bad(void **state)
{
	(void)state;
	for_each_conf(true, bad_one);
}

/* The ten kinds of mistake in conf/bad-ten.conf are each reported, and nothing else is. */
static void test_ten_mistakes(void **state)
{
	static const char *const want[] = {
		"bad-ten.conf:5:5: error: unknown keyword 'frobnicate' in global_defs\n",
		"bad-ten.conf:6:5: error: unknown keyword 'router_idd' in global_defs; "
		"did you mean 'router_id'?\n",
		"bad-ten.conf:7:5: error: 'virtual_router_id' is not valid in global_defs",
		"bad-ten.conf:13:14: error: 'priority' expects an integer between 1 and 255, "
		"got '300'\n",
		"bad-ten.conf:17:9: error: 'virtual_ipaddress' expects an IP address[/prefix], "
		"got '192.0.2.300/24'\n",
		"bad-ten.conf:14:5: error: 'advert_int' expects 1 argument, got 0\n",
		"bad-ten.conf:15:18: error: 'state' expects 1 argument, got 2\n",
		"bad-ten.conf:21:15: error: vrrp_instance 'VI_1' is already defined at "
		"bad-ten.conf:10\n",
		/* keepalived 2.2.7 reports it and runs without it: a mistake (-t fails) */
		"bad-ten.conf:31:9: warning: Virtual router VI_9 specified in sync group VG "
		"doesn't exist - ignoring\n",
		"bad-ten.conf:34:1: error: unexpected '}'",
	};
	struct loaded l;

	(void)state;
	load(&l, CONF_DIR, "bad-ten.conf", NULL);
	for (size_t i = 0; i < ARRAY_SIZE(want); i++)
		if (!strstr(l.diags, want[i]))
			fail_msg("mistake %zu not reported as '%s...' in:\n%s", i + 1, want[i],
				 l.diags);
	assert_int_equal(l.n_errors, 9);	/* and the mistake above */
	unload(&l);
}

/* What the daemon reads through the accessors and the module API. */
static void test_api(void **state)
{
	static const char conf[] =
		"instance kt\n"
		"global_defs {\n"
		"  script_user daemon\n"
		"  vrrp_strict\n"
		"}\n"
		"static_ipaddress {\n"
		"  192.0.2.1/24 dev eth0\n"
		"}\n";
	struct loaded l;
	char host[HOST_NAME_MAX + 1] = "";

	(void)state;
	gethostname(host, sizeof(host) - 1);
	load(&l, CONF_DIR, "api.conf", conf);
	assert_int_equal(l.r, 0);
	assert_string_equal(global_defs_router_id(l.gd), host);
	assert_string_equal(global_defs_instance(l.gd), "kt");
	assert_string_equal(global_defs_script_user(l.gd), "daemon");
	assert_null(global_defs_script_group(l.gd));
	assert_true(global_defs_vrrp_strict(l.gd));
	assert_int_equal(global_defs_vrrp_version(l.gd), 2);
	assert_int_equal(global_defs_umask(l.gd), 0177);
	assert_int_equal(global_defs_child_wait_time_s(l.gd), 5);
	assert_string_equal(global_defs_default_interface(l.gd), "eth0");
	/* a static address is work for the VRRP child, even without an instance */
	assert_true(vrrp_conf_has_work(l.vrrp));
	assert_int_equal(vrrp_conf_n_instances(l.vrrp), 0);
	assert_false(check_conf_has_work(l.check));
	assert_int_equal(check_conf_n_virtual_servers(l.check), 0);
	unload(&l);

	load(&l, CONF_DIR, "api.conf", "global_defs {\n}\n");
	assert_int_equal(l.r, 0);
	assert_false(vrrp_conf_has_work(l.vrrp));
	unload(&l);
}

/* smtp_server: an address as written, a host name through cfg_opts.resolve. */
static void test_smtp_server_host(void **state)
{
	struct loaded l;
	struct gd_smtp smtp;
	char buf[INET6_ADDRSTRLEN];

	(void)state;
	n_resolved = 0;
	load(&l, CONF_DIR, "smtp.conf", "global_defs {\n  smtp_server mail.kt.test 2525\n}\n");
	assert_int_equal(l.r, 0);
	global_defs_smtp(l.gd, &smtp);
	assert_string_equal(smtp.server, "mail.kt.test");
	assert_string_equal(inet_addr_str(&smtp.addr, buf, sizeof(buf)), "192.0.2.25");
	assert_int_equal(smtp.port, 2525);
	assert_int_equal(n_resolved, 1);
	unload(&l);

	load(&l, CONF_DIR, "smtp.conf", "global_defs {\n  smtp_server 2001:db8::25\n}\n");
	assert_int_equal(l.r, 0);
	global_defs_smtp(l.gd, &smtp);
	assert_string_equal(inet_addr_str(&smtp.addr, buf, sizeof(buf)), "2001:db8::25");
	assert_int_equal(smtp.port, 25);
	assert_int_equal(n_resolved, 1);	/* an address is not looked up */
	unload(&l);

	load(&l, CONF_DIR, "smtp.conf", "global_defs {\n  smtp_server mail.kt.invalid\n}\n");
	assert_int_equal(l.n_errors, 1);
	assert_string_equal(l.diags, "smtp.conf:2:15: error: 'smtp_server' expects an IP address "
			    "or a host name that resolves, got 'mail.kt.invalid'\n");
	global_defs_smtp(l.gd, &smtp);
	assert_null(smtp.server);
	assert_int_equal(n_resolved, 2);
	unload(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden),
		cmocka_unit_test(test_sample),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_ten_mistakes),
		cmocka_unit_test(test_api),
		cmocka_unit_test(test_smtp_server_host),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
