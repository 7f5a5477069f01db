// SPDX-License-Identifier: GPL-2.0-or-later
/* tests/unit/test_process.c: script argv splitting, checks, and real children on a real loop. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "log.h"
#include "process.h"
#include "scheduler.h"
#include "sched_test.h"
#include "userdb.h"
#include "utils.h"

#define NOBODY 65534	/* nobody:nogroup on Debian */

/* --- splitting --- */

#define MAXW 12
static const struct {
	const char *what;
	const char *in;
	enum process_split_err want;
	const char *argv[MAXW];	/* NULL-terminated */
} split_rows[] = {
	{ "plain words", "/bin/x a b", PROCESS_SPLIT_OK, { "/bin/x", "a", "b" } },
	{ "every isspace() blank separates", "/bin/x\ta\nb\rc\vd\fe  ", PROCESS_SPLIT_OK,
	  { "/bin/x", "a", "b", "c", "d", "e" } },
	{ "leading and trailing blanks", "   x   y  ", PROCESS_SPLIT_OK, { "x", "y" } },
	{ "single quotes keep blanks", "x 'a b'", PROCESS_SPLIT_OK, { "x", "a b" } },
	{ "double quotes keep blanks", "x \"c d\"", PROCESS_SPLIT_OK, { "x", "c d" } },
	{ "quotes join their neighbours", "x a'b c'd d\"e f\"g 'it''s'", PROCESS_SPLIT_OK,
	  { "x", "ab cd", "de fg", "its" } },
	{ "empty quotes are empty words", "x '' \"\" y", PROCESS_SPLIT_OK, { "x", "", "", "y" } },
	{ "the other quote inside quotes", "x 'a\"b' \"c'd\"", PROCESS_SPLIT_OK,
	  { "x", "a\"b", "c'd" } },
	{ "escaped blank joins", "x a\\ b 'a b'c\\ d", PROCESS_SPLIT_OK, { "x", "a b", "a bc d" } },
	{ "escaped quotes are characters", "x \\'x\\' \\\"y", PROCESS_SPLIT_OK,
	  { "x", "'x'", "\"y" } },
	{ "escapes work inside single quotes", "x 'a\\'b' 'a\\tb' 'a\\\\b'", PROCESS_SPLIT_OK,
	  { "x", "a'b", "a\tb", "a\\b" } },
	{ "escapes work inside double quotes", "x \"a\\tb\" \"c\\\"d\" \"a\\\\b\"",
	  PROCESS_SPLIT_OK, { "x", "a\tb", "c\"d", "a\\b" } },
	{ "named escapes", "x \\a\\b\\E\\f\\n\\r\\t\\v", PROCESS_SPLIT_OK,
	  { "x", "\a\b\033\f\n\r\t\v" } },
	{ "unknown escapes are the character", "x a\\qb \\e \\8 \\Z \\\\", PROCESS_SPLIT_OK,
	  { "x", "aqb", "e", "8", "Z", "\\" } },
	{ "octal: 1 to 3 digits, low byte", "x \\101 \\1234 \\07 \\777 \\1 \\12",
	  PROCESS_SPLIT_OK, { "x", "A", "S4", "\a", "\377", "\001", "\n" } },
	{ "hex: all digits, low byte", "x \\x41 \\x4142 \\xfff \\x0041 a\\x41b",
	  PROCESS_SPLIT_OK, { "x", "A", "B", "\377", "A", "a\033" } },
	{ "hex without digits is x", "x \\xg \\x", PROCESS_SPLIT_OK, { "x", "xg", "x" } },
	{ "control characters", "x \\ca \\c? \\c1 \\cA\\cb \\c", PROCESS_SPLIT_OK,
	  { "x", "\001", "\037", "\021", "\001\002", "c" } },
	{ "control of a backslash", "x \\c\\\\ y", PROCESS_SPLIT_OK, { "x", "\034 y" } },
	{ "a NUL escape ends the word", "x a\\0 y a\\0b \\400 z", PROCESS_SPLIT_OK,
	  { "x", "a", "y", "a", "", "z" } },
	{ "no shell expansion", "x ~ * ; | > a&b $HOME `id`", PROCESS_SPLIT_OK,
	  { "x", "~", "*", ";", "|", ">", "a&b", "$HOME", "`id`" } },
	{ "braces and comment characters", "x {a} } a#b !c", PROCESS_SPLIT_OK,
	  { "x", "{a}", "}", "a#b", "!c" } },
	{ "notify example from keepalived.conf(5)", "/path/fault.sh VG_1", PROCESS_SPLIT_OK,
	  { "/path/fault.sh", "VG_1" } },
	{ "sh -c with a quoted script", "/bin/sh -c 'exit 1'", PROCESS_SPLIT_OK,
	  { "/bin/sh", "-c", "exit 1" } },
	{ "only empty quotes", "''", PROCESS_SPLIT_OK, { "" } },
	{ "empty string", "", PROCESS_SPLIT_EMPTY, { 0 } },
	{ "only blanks", " \t  ", PROCESS_SPLIT_EMPTY, { 0 } },
	{ "open single quote", "x 'unterminated y", PROCESS_SPLIT_OPEN_SQUOTE, { 0 } },
	{ "open double quote", "x \"unterminated", PROCESS_SPLIT_OPEN_DQUOTE, { 0 } },
	{ "escaped closing quote leaves it open", "x 'a\\'", PROCESS_SPLIT_OPEN_SQUOTE, { 0 } },
	{ "trailing backslash", "x a\\", PROCESS_SPLIT_TRAILING_ESCAPE, { 0 } },
	{ "trailing backslash in quotes", "x 'a\\", PROCESS_SPLIT_TRAILING_ESCAPE, { 0 } },
	{ "eleven words do not fit", "a b c d e f g h i j k", PROCESS_SPLIT_TOO_MANY, { 0 } },
	{ "ten words fit", "a b c d e f g h i j", PROCESS_SPLIT_OK,
	  { "a", "b", "c", "d", "e", "f", "g", "h", "i", "j" } },
};

static void test_split_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(split_rows); i++) {
		const char *in = split_rows[i].in;
		char *buf = malloc(strlen(in) + 1);	/* exactly the documented size */
		char *argv[MAXW - 1];			/* room for 10 words + NULL */
		int argc = -1, n = 0;
		enum process_split_err e = process_split(in, buf, argv, ARRAY_SIZE(argv), &argc);

		if (e != split_rows[i].want)
			fail_msg("%s: got %s, want %s", split_rows[i].what, process_split_err_str(e),
				 process_split_err_str(split_rows[i].want));
		if (e == PROCESS_SPLIT_OK) {
			while (split_rows[i].argv[n])
				n++;
			if (argc != n)
				fail_msg("%s: %d words, want %d", split_rows[i].what, argc, n);
			for (int w = 0; w < n; w++)
				if (strcmp(argv[w], split_rows[i].argv[w]))
					fail_msg("%s: word %d is '%s', want '%s'", split_rows[i].what,
						 w, argv[w], split_rows[i].argv[w]);
			if (argv[n])
				fail_msg("%s: argv not NULL-terminated", split_rows[i].what);
		}
		free(buf);
	}
}

/* Random strings of the characters that matter: buf and argv at their documented sizes. */
static void test_split_bounds(void **state)
{
	static const char alphabet[] = " \t'\"\\ax0c7E";
	unsigned seed = 12345;

	(void)state;
	for (int round = 0; round < 20000; round++) {
		size_t len = (size_t)(rand_r(&seed) % 24);
		char *in = malloc(len + 1), *buf = malloc(len + 1);
		size_t max = len / 2 + 2;
		char **argv = malloc(max * sizeof(*argv));
		int argc;

		for (size_t k = 0; k < len; k++)
			in[k] = alphabet[rand_r(&seed) % (sizeof(alphabet) - 1)];
		in[len] = '\0';
		if (process_split(in, buf, argv, max, &argc) == PROCESS_SPLIT_TOO_MANY)
			fail_msg("'%s': len/2+2 argv entries must always do", in);
		free(argv);
		free(buf);
		free(in);
	}
}

static void test_split_msg(void **state)
{
	char buf[256];

	(void)state;
	assert_string_equal(process_split_msg(PROCESS_SPLIT_OPEN_SQUOTE, "/x 'a", buf, sizeof(buf)),
			    "String '/x 'a': missing terminating '");
	assert_string_equal(process_split_msg(PROCESS_SPLIT_OPEN_DQUOTE, "/x \"a", buf, sizeof(buf)),
			    "String '/x \"a': missing terminating \"");
	assert_string_equal(process_split_msg(PROCESS_SPLIT_TRAILING_ESCAPE, "/x a\\", buf,
					      sizeof(buf)),
			    "Missing escape char at end: '/x a\\'");
	assert_string_equal(process_split_err_str(PROCESS_SPLIT_EMPTY), "empty");
	assert_string_equal(process_check_str(PROCESS_CHECK_INSECURE), "insecure");
}

static void test_cmd_new(void **state)
{
	struct process_cmd *cmd = NULL;
	enum process_split_err e = PROCESS_SPLIT_OK;

	(void)state;
	assert_int_equal(process_cmd_new("/bin/sh -c 'exit 1'", 1, 2, &cmd, &e), 0);
	assert_int_equal(cmd->argc, 3);
	assert_string_equal(cmd->argv[0], "/bin/sh");
	assert_string_equal(cmd->argv[2], "exit 1");
	assert_null(cmd->argv[3]);
	assert_string_equal(cmd->path, "/bin/sh");
	assert_string_equal(cmd->cmdline, "/bin/sh -c 'exit 1'");
	assert_int_equal(cmd->uid, 1);
	assert_int_equal(cmd->gid, 2);
	assert_true(process_cmd_runnable(cmd));
	process_cmd_free(cmd);
	process_cmd_free(NULL);

	cmd = NULL;
	assert_int_equal(process_cmd_new("x 'open", 0, 0, &cmd, &e), -EINVAL);
	assert_int_equal(e, PROCESS_SPLIT_OPEN_SQUOTE);
	assert_null(cmd);
	assert_int_equal(process_cmd_new("   ", 0, 0, &cmd, NULL), -EINVAL);
}

/* --- a scratch tree under /tmp (root-owned and sticky, so it does not spoil the checks) --- */

struct tree {
	char dir[64];
	char log[128];
};

static const char *tp(const struct tree *t, const char *rel, char *buf)
{
	snprintf(buf, PATH_MAX, "%s/%s", t->dir, rel);
	return buf;
}

static void mkdir_mode(const struct tree *t, const char *rel, mode_t mode)
{
	char p[PATH_MAX];

	assert_int_equal(mkdir(tp(t, rel, p), 0700), 0);
	assert_int_equal(chmod(p, mode), 0);
}

static void write_file(const struct tree *t, const char *rel, mode_t mode, const char *body)
{
	char p[PATH_MAX];
	FILE *f = fopen(tp(t, rel, p), "w");

	assert_non_null(f);
	fputs(body, f);
	fclose(f);
	assert_int_equal(chmod(p, mode), 0);
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(p);
}

static int tree_setup(void **state)
{
	struct tree *t = calloc(1, sizeof(*t));
	struct log_opts lo = { .ident = "test_process", .facility = LOG_DAEMON,
			       .max_prio = LOG_DEBUG };

	snprintf(t->dir, sizeof(t->dir), "/tmp/test_process.XXXXXX");
	if (!mkdtemp(t->dir))
		return -1;
	chmod(t->dir, 0755);
	snprintf(t->log, sizeof(t->log), "%s/log", t->dir);
	lo.file = t->log;
	if (log_open(&lo) < 0)
		return -1;
	*state = t;
	return 0;
}

static int tree_teardown(void **state)
{
	struct tree *t = *state;

	log_close();
	nftw(t->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(t);
	return 0;
}

static bool log_has(const struct tree *t, const char *needle)
{
	char *s = read_file(t->log);
	bool is_found = s && strstr(s, needle);

	free(s);
	return is_found;
}

static void log_clear(const struct tree *t)
{
	assert_int_equal(truncate(t->log, 0), 0);
}

#define SCRIPT_OK "#!/bin/sh\nexit 0\n"

/* --- the pure rules of script security --- */

static void test_security_rules(void **state)
{
	static const struct {
		const char *what;
		uid_t uid;		/* who runs it */
		gid_t gid;
		uid_t f_uid;		/* the file */
		gid_t f_gid;
		mode_t mode;
		bool want;
	} prot[] = {
		{ "root", 0, 0, 0, 0, 0755, true },
		{ "uid 0, another group", 0, NOBODY, 0, 0, 0755, true },
		{ "user nobody, group root", NOBODY, 0, 0, 0, 0755, true },
		{ "nobody:nogroup", NOBODY, NOBODY, 0, 0, 0755, false },
		{ "nobody, setuid root", NOBODY, NOBODY, 0, 0, 04755, true },
		{ "nobody, setuid root without the owner's x bit", NOBODY, NOBODY, 0, 0, 04655, false },
		{ "nobody, setuid to nobody", NOBODY, NOBODY, NOBODY, 0, 04755, false },
		{ "nobody, setgid root", NOBODY, NOBODY, 0, 0, 02755, true },
		{ "nobody, setgid root without the group's x bit", NOBODY, NOBODY, 0, 0, 02745, false },
		{ "nobody, setgid to nogroup", NOBODY, NOBODY, 0, NOBODY, 02755, false },
		{ "nobody, setgid bit, root-owned, group nogroup", NOBODY, NOBODY, 0, NOBODY, 06711, true },
	};
	static const struct {
		const char *what;
		uid_t uid;
		gid_t gid;
		mode_t mode;		/* with the type bits */
		bool want;
	} comp[] = {
		{ "root 0755 directory", 0, 0, S_IFDIR | 0755, false },
		{ "root 0775 directory, group root", 0, 0, S_IFDIR | 0775, false },
		{ "root 0775 directory, group nogroup", 0, NOBODY, S_IFDIR | 0775, true },
		{ "root 0757 directory", 0, 0, S_IFDIR | 0757, true },
		{ "root 0777 directory", 0, 0, S_IFDIR | 0777, true },
		{ "root 01777 directory (like /tmp)", 0, 0, S_IFDIR | 01777, false },
		{ "root 01775 directory, group nogroup", 0, NOBODY, S_IFDIR | 01775, false },
		{ "nobody's 0755 directory", NOBODY, 0, S_IFDIR | 0755, true },
		{ "nobody's 01777 directory", NOBODY, 0, S_IFDIR | 01777, true },
		{ "root 0755 file", 0, 0, S_IFREG | 0755, false },
		{ "root 0775 file, group root", 0, 0, S_IFREG | 0775, false },
		{ "root 0775 file, group nogroup", 0, NOBODY, S_IFREG | 0775, true },
		{ "root 0757 file", 0, 0, S_IFREG | 0757, true },
		{ "root 01757 file: sticky means nothing on a file", 0, 0, S_IFREG | 01757, true },
		{ "nobody's 0700 file", NOBODY, NOBODY, S_IFREG | 0700, true },
		{ "root symlink (0777 by nature)", 0, 0, S_IFLNK | 0777, false },
		{ "nobody's symlink", NOBODY, NOBODY, S_IFLNK | 0777, true },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(prot); i++) {
		struct stat st = { .st_uid = prot[i].f_uid, .st_gid = prot[i].f_gid,
				   .st_mode = S_IFREG | prot[i].mode };

		if (process_needs_protection(prot[i].uid, prot[i].gid, &st) != prot[i].want)
			fail_msg("needs protection: %s: want %d", prot[i].what, prot[i].want);
	}
	for (size_t i = 0; i < ARRAY_SIZE(comp); i++) {
		struct stat st = { .st_uid = comp[i].uid, .st_gid = comp[i].gid,
				   .st_mode = comp[i].mode };

		if (process_component_insecure(&st) != comp[i].want)
			fail_msg("component: %s: want %d", comp[i].what, comp[i].want);
	}
}

/* --- process_script_check --- */

static void test_script_check(void **state)
{
	struct tree *t = *state;
	bool is_root = geteuid() == 0;
	char p[PATH_MAX], q[PATH_MAX];
	static const struct {
		const char *what;
		const char *rel;
		bool is_nobody;		/* else root */
		bool needs_root;	/* chown, or a root-only outcome */
		enum process_check want;
		const char *bad;	/* relative to the tree, or NULL: not checked */
		const char *resolved;	/* relative to the tree, or NULL: same as rel */
	} rows[] = {
		{ "a good script", "ok/good.sh", false, false, PROCESS_CHECK_OK, NULL, NULL },
		{ "missing", "ok/missing.sh", false, false, PROCESS_CHECK_NOT_FOUND, "ok/missing.sh", NULL },
		{ "missing directory", "nodir/x.sh", false, false, PROCESS_CHECK_NOT_FOUND, NULL, NULL },
		{ "no x bit at all", "ok/noexec.sh", false, false, PROCESS_CHECK_NOT_EXEC, "ok/noexec.sh", NULL },
		{ "a directory", "ok", false, false, PROCESS_CHECK_NOT_EXEC, NULL, NULL },
		{ "world-writable directory", "ww/a.sh", false, true, PROCESS_CHECK_INSECURE, "ww", NULL },
		{ "sticky world-writable directory", "st/b.sh", false, true, PROCESS_CHECK_OK, NULL, NULL },
		{ "sticky directory, writable group 65534", "stg/b.sh", false, true, PROCESS_CHECK_OK, NULL, NULL },
		{ "group-writable file, group root", "ok/gw0.sh", false, true, PROCESS_CHECK_OK, NULL, NULL },
		{ "group-writable file, group 65534", "ok/gwng.sh", false, true, PROCESS_CHECK_INSECURE, "ok/gwng.sh", NULL },
		{ "group-writable directory, group 65534", "gwd/x.sh", false, true, PROCESS_CHECK_INSECURE, "gwd", NULL },
		{ "world-writable file", "ok/ww.sh", false, true, PROCESS_CHECK_INSECURE, "ok/ww.sh", NULL },
		{ "sticky world-writable file", "ok/stww.sh", false, true, PROCESS_CHECK_INSECURE, "ok/stww.sh", NULL },
		{ "file owned by nobody", "ok/own.sh", false, true, PROCESS_CHECK_INSECURE, "ok/own.sh", NULL },
		{ "directory owned by nobody", "nb/c.sh", false, true, PROCESS_CHECK_INSECURE, "nb", NULL },
		{ "sticky directory owned by nobody", "nbst/d.sh", false, true, PROCESS_CHECK_INSECURE, "nbst", NULL },
		{ "symlink in a world-writable dir to a good file", "ww/lnk_good.sh", false, true,
		  PROCESS_CHECK_OK, NULL, "ok/good.sh" },
		{ "symlink to a file in a world-writable dir", "ok/lnk_bad.sh", false, true,
		  PROCESS_CHECK_INSECURE, "ww", "ww/a.sh" },
		{ "symlink beside its target keeps its name", "ok/rel.sh", false, false,
		  PROCESS_CHECK_OK, NULL, "ok/rel.sh" },
		{ "dots are resolved", "ok/../ok/./good.sh", false, false, PROCESS_CHECK_OK, NULL, "ok/good.sh" },
		{ "dangling symlink", "ok/dangling.sh", false, false, PROCESS_CHECK_NOT_FOUND, NULL, NULL },
		{ "nobody: world-writable dir is not checked", "ww/a.sh", true, true, PROCESS_CHECK_OK, NULL, NULL },
		{ "nobody: 0700 root file", "ok/ro.sh", true, true, PROCESS_CHECK_NOT_EXEC, "ok/ro.sh", NULL },
		{ "nobody: group x bit of nogroup", "ok/gx.sh", true, true, PROCESS_CHECK_OK, NULL, NULL },
		{ "nobody: owner x bit only, other class", "ok/ux.sh", true, true, PROCESS_CHECK_NOT_EXEC, NULL, NULL },
		{ "nobody: unsearchable directory", "priv/x.sh", true, false, PROCESS_CHECK_NO_ACCESS, "priv", NULL },
	};

	mkdir_mode(t, "ok", 0755);
	write_file(t, "ok/good.sh", 0755, SCRIPT_OK);
	write_file(t, "ok/noexec.sh", 0644, SCRIPT_OK);
	write_file(t, "ok/ro.sh", 0700, SCRIPT_OK);
	write_file(t, "ok/ux.sh", 0744, SCRIPT_OK);
	assert_int_equal(symlink("good.sh", tp(t, "ok/rel.sh", p)), 0);
	assert_int_equal(symlink("nothere.sh", tp(t, "ok/dangling.sh", p)), 0);
	mkdir_mode(t, "priv", 0700);
	write_file(t, "priv/x.sh", 0755, SCRIPT_OK);
	if (is_root) {
		mkdir_mode(t, "ww", 0777);
		write_file(t, "ww/a.sh", 0755, SCRIPT_OK);
		assert_int_equal(symlink(tp(t, "ok/good.sh", q), tp(t, "ww/lnk_good.sh", p)), 0);
		assert_int_equal(symlink(tp(t, "ww/a.sh", q), tp(t, "ok/lnk_bad.sh", p)), 0);
		mkdir_mode(t, "st", 01777);
		write_file(t, "st/b.sh", 0755, SCRIPT_OK);
		mkdir_mode(t, "stg", 01775);
		assert_int_equal(chown(tp(t, "stg", p), 0, NOBODY), 0);
		write_file(t, "stg/b.sh", 0755, SCRIPT_OK);
		mkdir_mode(t, "gwd", 0775);
		assert_int_equal(chown(tp(t, "gwd", p), 0, NOBODY), 0);
		write_file(t, "gwd/x.sh", 0755, SCRIPT_OK);
		write_file(t, "ok/gw0.sh", 0775, SCRIPT_OK);
		write_file(t, "ok/gwng.sh", 0775, SCRIPT_OK);
		assert_int_equal(chown(tp(t, "ok/gwng.sh", p), 0, NOBODY), 0);
		write_file(t, "ok/gx.sh", 0750, SCRIPT_OK);
		assert_int_equal(chown(tp(t, "ok/gx.sh", p), 0, NOBODY), 0);
		write_file(t, "ok/ww.sh", 0757, SCRIPT_OK);
		write_file(t, "ok/stww.sh", 01757, SCRIPT_OK);
		write_file(t, "ok/own.sh", 0755, SCRIPT_OK);
		assert_int_equal(chown(tp(t, "ok/own.sh", p), NOBODY, NOBODY), 0);
		mkdir_mode(t, "nb", 0755);
		assert_int_equal(chown(tp(t, "nb", p), NOBODY, 0), 0);
		write_file(t, "nb/c.sh", 0755, SCRIPT_OK);
		mkdir_mode(t, "nbst", 01777);
		assert_int_equal(chown(tp(t, "nbst", p), NOBODY, 0), 0);
		write_file(t, "nbst/d.sh", 0755, SCRIPT_OK);
	}
	for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
		char res[PATH_MAX] = "", bad[PATH_MAX] = "";
		/* not root: "nobody" rows need a user who does not own the tree */
		uid_t other = geteuid() == NOBODY ? 1 : NOBODY, uid = rows[i].is_nobody ? other : 0;
		enum process_check got;

		if (rows[i].needs_root && !is_root)
			continue;
		/* not root: "root" rows run as our own uid, whose files these are */
		if (!is_root && !rows[i].is_nobody)
			uid = geteuid();
		got = process_script_check(tp(t, rows[i].rel, p), uid, rows[i].is_nobody ? other : 0,
					   res, bad, sizeof(bad));
		if (got != rows[i].want)
			fail_msg("%s: got %s, want %s (bad '%s')", rows[i].what, process_check_str(got),
				 process_check_str(rows[i].want), bad);
		if (rows[i].bad && strcmp(bad, tp(t, rows[i].bad, q)))
			fail_msg("%s: bad is '%s', want '%s'", rows[i].what, bad, q);
		if (got == PROCESS_CHECK_OK &&
		    strcmp(res, tp(t, rows[i].resolved ? rows[i].resolved : rows[i].rel, q)))
			fail_msg("%s: resolved '%s', want '%s'", rows[i].what, res, q);
	}
	/* root's rights without uid 0: group root, setuid root, setgid root (keepalived 2.2.7) */
	if (is_root) {
		static const struct {
			const char *what;
			const char *rel;
			mode_t mode;
			gid_t gid;
			enum process_check want;
		} rows2[] = {
			{ "nobody:root, world-writable dir", "ww/a.sh", 0755, 0, PROCESS_CHECK_INSECURE },
			{ "nobody:nogroup, setuid root in a world-writable dir", "ww/su.sh", 04755,
			  NOBODY, PROCESS_CHECK_INSECURE },
			{ "nobody:nogroup, setgid root in a world-writable dir", "ww/sg.sh", 02755,
			  NOBODY, PROCESS_CHECK_INSECURE },
			{ "nobody:nogroup, plain file in a world-writable dir", "ww/pl.sh", 0755,
			  NOBODY, PROCESS_CHECK_OK },
			{ "nobody:root, sticky world-writable dir", "st/b.sh", 0755, 0, PROCESS_CHECK_OK },
			{ "nobody:root, group-writable file of nogroup", "ok/gwng.sh", 0775, 0,
			  PROCESS_CHECK_INSECURE },
		};

		for (size_t i = 0; i < ARRAY_SIZE(rows2); i++) {
			char bad[PATH_MAX] = "";
			enum process_check got;

			tp(t, rows2[i].rel, p);
			if (access(p, F_OK) < 0)
				write_file(t, rows2[i].rel, rows2[i].mode, SCRIPT_OK);
			got = process_script_check(p, NOBODY, rows2[i].gid, NULL, bad, sizeof(bad));
			if (got != rows2[i].want)
				fail_msg("%s: got %s, want %s (bad '%s')", rows2[i].what,
					 process_check_str(got), process_check_str(rows2[i].want), bad);
		}
	}
	/* a relative path resolves against the cwd */
	{
		char cwd[PATH_MAX], res[PATH_MAX];

		assert_non_null(getcwd(cwd, sizeof(cwd)));
		assert_int_equal(chdir(t->dir), 0);
		assert_int_equal(process_script_check("ok/good.sh", geteuid(), getegid(), res, NULL, 0),
				 PROCESS_CHECK_OK);
		assert_string_equal(res, tp(t, "ok/good.sh", q));
		assert_int_equal(chdir(cwd), 0);
	}
}

/* --- process_cmd_prepare: resolution and keepalived's lines --- */

static struct process_cmd *cmd_of(const char *line, uid_t uid, gid_t gid)
{
	struct process_cmd *cmd = NULL;

	assert_int_equal(process_cmd_new(line, uid, gid, &cmd, NULL), 0);
	return cmd;
}

static void test_prepare(void **state)
{
	struct tree *t = *state;
	uid_t me = geteuid();
	gid_t my_gid = getegid();
	char p[PATH_MAX], line[PATH_MAX + 64], want[PATH_MAX * 2];
	char *old_path = getenv("PATH") ? xstrdup(getenv("PATH")) : NULL;
	struct process_cmd *cmd;

	mkdir_mode(t, "bin", 0755);
	mkdir_mode(t, "bin2", 0755);
	write_file(t, "bin/tool.sh", 0755, SCRIPT_OK);
	write_file(t, "bin/half.sh", 0644, SCRIPT_OK);
	write_file(t, "bin2/half.sh", 0755, SCRIPT_OK);
	write_file(t, "bin/noexec.sh", 0644, SCRIPT_OK);
	snprintf(line, sizeof(line), "%s/bin:%s/bin2", t->dir, t->dir);
	setenv("PATH", line, 1);

	log_clear(t);
	cmd = cmd_of("tool.sh 'a b'", me, my_gid);
	assert_int_equal(process_cmd_prepare(cmd, false), PROCESS_CHECK_OK);
	assert_string_equal(cmd->path, tp(t, "bin/tool.sh", p));
	assert_string_equal(cmd->argv[0], "tool.sh");
	snprintf(want, sizeof(want), "WARNING - script `tool.sh` resolved by path search to `%s`. "
		 "Please specify full path.", p);
	assert_true(log_has(t, want));
	process_cmd_free(cmd);

	/* PATH search skips a non-executable file for an executable one further on */
	cmd = cmd_of("half.sh", me, my_gid);
	assert_int_equal(process_cmd_prepare(cmd, false), PROCESS_CHECK_OK);
	assert_string_equal(cmd->path, tp(t, "bin2/half.sh", p));
	process_cmd_free(cmd);

	log_clear(t);
	cmd = cmd_of("nosuch.sh x", me, my_gid);
	assert_int_equal(process_cmd_prepare(cmd, false), PROCESS_CHECK_NOT_FOUND);
	assert_false(process_cmd_runnable(cmd));
	assert_true(log_has(t, "Cannot find script nosuch.sh in path - disabling"));
	process_cmd_free(cmd);

	log_clear(t);
	snprintf(line, sizeof(line), "%s x", tp(t, "bin/missing.sh", p));
	cmd = cmd_of(line, me, my_gid);
	assert_int_equal(process_cmd_prepare(cmd, false), PROCESS_CHECK_NOT_FOUND);
	snprintf(want, sizeof(want), "Script %s cannot be accessed - No such file or directory", p);
	assert_true(log_has(t, want));
	process_cmd_free(cmd);

	log_clear(t);
	snprintf(line, sizeof(line), "%s", tp(t, "bin/noexec.sh", p));
	cmd = cmd_of(line, me, my_gid);
	assert_int_equal(process_cmd_prepare(cmd, false), PROCESS_CHECK_NOT_EXEC);
	snprintf(want, sizeof(want), "WARNING - script '%s' is not executable for uid:gid %u:%u - "
		 "disabling.", p, (unsigned)me, (unsigned)my_gid);
	assert_true(log_has(t, want));
	process_cmd_free(cmd);

	if (me == 0) {
		mkdir_mode(t, "ww", 0777);
		write_file(t, "ww/bad.sh", 0755, SCRIPT_OK);
		snprintf(line, sizeof(line), "%s", tp(t, "ww/bad.sh", p));

		log_clear(t);
		cmd = cmd_of(line, 0, 0);
		assert_int_equal(process_cmd_prepare(cmd, true), PROCESS_CHECK_INSECURE);
		assert_false(process_cmd_runnable(cmd));
		snprintf(want, sizeof(want), "Unsafe permissions found for script '%s' - disabling.", p);
		assert_true(log_has(t, want));
		process_cmd_free(cmd);

		/* without enable_script_security it runs, and keepalived 2.2.7 says so */
		log_clear(t);
		cmd = cmd_of(line, 0, 0);
		assert_int_equal(process_cmd_prepare(cmd, false), PROCESS_CHECK_OK);
		assert_true(cmd->is_insecure);
		assert_true(process_cmd_runnable(cmd));
		snprintf(want, sizeof(want), "Unsafe permissions found for script '%s'.\n", p);
		assert_true(log_has(t, want));
		assert_false(log_has(t, "disabling"));
		process_cmd_free(cmd);

		/* user nobody, group root: root's rights all the same (keepalived 2.2.7) */
		log_clear(t);
		cmd = cmd_of(line, NOBODY, 0);
		assert_int_equal(process_cmd_prepare(cmd, true), PROCESS_CHECK_INSECURE);
		assert_false(process_cmd_runnable(cmd));
		snprintf(want, sizeof(want), "Unsafe permissions found for script '%s' - disabling.", p);
		assert_true(log_has(t, want));
		process_cmd_free(cmd);
	}

	log_clear(t);
	assert_false(process_security_summary(3, 1, true));
	assert_false(process_security_summary(0, 0, false));
	assert_false(log_has(t, "SECURITY"));
	assert_true(process_security_summary(2, 0, false));
	assert_true(log_has(t, "SECURITY VIOLATION - scripts are being executed but script_security "
			    "not enabled.\n"));
	log_clear(t);
	assert_true(process_security_summary(2, 1, false));
	assert_true(log_has(t, "SECURITY VIOLATION - scripts are being executed but script_security "
			    "not enabled. There are insecure scripts.\n"));

	if (old_path)
		setenv("PATH", old_path, 1);
	else
		unsetenv("PATH");
	free(old_path);
}

static void test_users(void **state)
{
	struct tree *t = *state;
	uid_t uid = 1;
	gid_t gid = 1;

	assert_int_equal(process_user_lookup("root", NULL, &uid, &gid), 0);
	assert_int_equal(uid, 0);
	assert_int_equal(gid, 0);
	log_clear(t);
	assert_int_equal(process_user_lookup("no_such_user_hpr", NULL, &uid, &gid), -ENOENT);
	assert_true(log_has(t, "Script user 'no_such_user_hpr' does not exist"));
	assert_int_equal(process_user_lookup("root", "no_such_group_hpr", &uid, &gid), -ENOENT);
	assert_true(log_has(t, "Script group 'no_such_group_hpr' does not exist"));
	if (process_user_lookup("nobody", "root", &uid, &gid) == 0) {
		assert_int_equal(uid, NOBODY);
		assert_int_equal(gid, 0);
	}
	if (!process_default_user(&uid, &gid)) {
		assert_int_equal(uid, getuid());
		assert_int_equal(gid, getgid());
	}
}

/* lib/userdb: the one lookup behind every USER [[:]GROUP] of the config */
static void test_userdb(void **state)
{
	uid_t uid = 1;
	gid_t gid = 1;

	(void)state;
	assert_string_equal(userdb_group_name(":root"), "root");
	assert_string_equal(userdb_group_name("root"), "root");
	assert_null(userdb_group_name(NULL));
	assert_int_equal(userdb_lookup("nobody", NULL, &uid, &gid), USERDB_OK);
	assert_int_equal(uid, NOBODY);
	assert_int_equal(gid, NOBODY);
	assert_int_equal(userdb_lookup("nobody", ":root", &uid, &gid), USERDB_OK);
	assert_int_equal(uid, NOBODY);
	assert_int_equal(gid, 0);
	uid = gid = 7;
	assert_int_equal(userdb_lookup("no_such_user_hpr", "root", &uid, &gid), USERDB_NO_USER);
	assert_int_equal(userdb_lookup("root", "no_such_group_hpr", &uid, &gid), USERDB_NO_GROUP);
	/* untouched unless the whole lookup succeeds */
	assert_int_equal(uid, 7);
	assert_int_equal(gid, 7);
}

/* --- running: real children on a real loop --- */

struct job {
	struct process_run run;
	struct process_result res;
	int n_done;
	int n_restarts;			/* restart from the callback this many times */
	const struct process_cmd *cmd;
	struct sched *s;
	enum process_run_state seen;	/* what a probe timer saw */
	struct sched_ev *ev_probe;
};

static void job_done_cb(void *arg, const struct process_result *res)
{
	struct job *j = arg;

	j->res = *res;
	j->n_done++;
	assert_int_equal(process_run_state(&j->run), PROCESS_RUN_IDLE);
	assert_int_equal(process_run_pid(&j->run), 0);
	if (j->n_restarts > 0) {
		j->n_restarts--;
		assert_int_equal(process_run_start(j->s, &j->run, j->cmd, NULL, 0, job_done_cb, j), 0);
	}
}

static void run_one(const struct process_cmd *cmd, const char *const *extra, uint64_t timeout_us,
		    struct job *j)
{
	struct sched *s = sched_start();

	memset(j, 0, sizeof(*j));
	j->s = s;
	j->cmd = cmd;
	assert_int_equal(process_run_start(s, &j->run, cmd, extra, timeout_us, job_done_cb, j), 0);
	assert_int_equal(process_run_state(&j->run), PROCESS_RUN_RUNNING);
	assert_true(process_run_pid(&j->run) > 0);
	assert_int_equal(sched_run(s), 0);
	assert_int_equal(j->n_done, 1);
	sched_finish(s);
}

static void test_true_false(void **state)
{
	struct process_cmd *t_ = cmd_of("/bin/true", 0, 0), *f_ = cmd_of("/bin/false", 0, 0);
	struct job j;

	(void)state;
	t_->uid = f_->uid = geteuid();
	t_->gid = f_->gid = getegid();
	run_one(t_, NULL, 0, &j);
	assert_true(WIFEXITED(j.res.status));
	assert_int_equal(WEXITSTATUS(j.res.status), 0);
	assert_false(j.res.timed_out);
	assert_true(j.res.pid > 0);
	run_one(f_, NULL, 0, &j);
	assert_true(WIFEXITED(j.res.status));
	assert_int_equal(WEXITSTATUS(j.res.status), 1);
	process_cmd_free(t_);
	process_cmd_free(f_);
}

static void test_exec_failure(void **state)
{
	struct tree *t = *state;
	struct process_cmd *cmd = cmd_of("/nonexistent/hpr_script a", geteuid(), getegid());
	struct job j;

	log_clear(t);
	run_one(cmd, NULL, 0, &j);
	assert_true(WIFEXITED(j.res.status));
	assert_int_equal(WEXITSTATUS(j.res.status), PROCESS_EXEC_FAILED);
	assert_true(log_has(t, "Error exec-ing command '/nonexistent/hpr_script', error 2: No such "
			    "file or directory"));
	process_cmd_free(cmd);
}

/* argv as the script sees it: configured words, then the extras; $0 is the resolved path */
static void test_argv(void **state)
{
	struct tree *t = *state;
	char p[PATH_MAX], out[PATH_MAX], line[PATH_MAX * 2], want[PATH_MAX * 2];
	const char *const extra[] = { "INSTANCE", "VI_1", "MASTER", "100", NULL };
	struct process_cmd *cmd;
	struct job j;
	char *got;

	snprintf(line, sizeof(line), "#!/bin/sh\nprintf '<%%s>\\n' \"$0\" \"$@\" > %s\n",
		 tp(t, "argv.out", out));
	write_file(t, "argv.sh", 0755, line);
	snprintf(line, sizeof(line), "%s 'my arg' x\\ y \"\" %s", tp(t, "argv.sh", p), "--opt=1");
	cmd = cmd_of(line, geteuid(), getegid());
	assert_int_equal(process_cmd_prepare(cmd, false), PROCESS_CHECK_OK);
	run_one(cmd, extra, 0, &j);
	assert_int_equal(WEXITSTATUS(j.res.status), 0);
	got = read_file(out);
	snprintf(want, sizeof(want), "<%s>\n<my arg>\n<x y>\n<>\n<--opt=1>\n<INSTANCE>\n<VI_1>\n"
		 "<MASTER>\n<100>\n", p);
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
	process_cmd_free(cmd);
}

/*
 * What the child inherits and what it does not: stdio on /dev/null, no stray fd, its
 * own process group, an empty signal mask (with a signal blocked here), the
 * environment and umask.
 */
static void test_child_setup(void **state)
{
	struct tree *t = *state;
	char p[PATH_MAX], out[PATH_MAX], st[PATH_MAX], body[PATH_MAX * 4], *got, want[256];
	struct process_cmd *cmd, *cp;
	sigset_t usr1, old_mask;
	struct job jcp;
	mode_t old_umask;
	struct job j;
	int pfd[2];

	assert_int_equal(pipe(pfd), 0);		/* deliberately not CLOEXEC */
	assert_true(dup2(pfd[1], 50) == 50);
	snprintf(body, sizeof(body),
		 "#!/bin/sh\n"
		 "fds=$(readlink /proc/$$/fd/0 /proc/$$/fd/1 /proc/$$/fd/2)\n"
		 "exec 9> %s\n"
		 "echo \"$fds\" >&9\n"
		 "[ -e /proc/$$/fd/50 ] && echo leaked >&9\n"
		 "echo pgrp=$(cut -d' ' -f5 /proc/$$/stat) pid=$$ >&9\n"
		 "echo env=$HPR_TEST_VAR umask=$(umask) >&9\n",
		 tp(t, "setup.out", out));
	write_file(t, "setup.sh", 0755, body);
	cmd = cmd_of(tp(t, "setup.sh", p), geteuid(), getegid());
	setenv("HPR_TEST_VAR", "inherited", 1);
	old_umask = umask(0027);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, &old_mask);
	signal(SIGUSR2, SIG_IGN);
	run_one(cmd, NULL, 0, &j);
	/* cp, not sh: dash clears its signal mask itself */
	snprintf(body, sizeof(body), "/bin/cp /proc/self/status %s", tp(t, "status.out", st));
	cp = cmd_of(body, geteuid(), getegid());
	run_one(cp, NULL, 0, &jcp);
	assert_int_equal(WEXITSTATUS(jcp.res.status), 0);
	process_cmd_free(cp);
	signal(SIGUSR2, SIG_DFL);
	sigprocmask(SIG_SETMASK, &old_mask, NULL);
	umask(old_umask);
	unsetenv("HPR_TEST_VAR");
	close(50);
	close(pfd[0]);
	close(pfd[1]);
	got = read_file(out);
	assert_non_null(got);
	if (!strstr(got, "/dev/null\n/dev/null\n/dev/null\n"))
		fail_msg("stdio: %s", got);
	assert_null(strstr(got, "leaked"));
	snprintf(want, sizeof(want), "pgrp=%d pid=%d\n", (int)j.res.pid, (int)j.res.pid);
	assert_non_null(strstr(got, want));
	assert_non_null(strstr(got, "env=inherited umask=0027\n"));
	free(got);
	got = read_file(st);
	assert_non_null(got);
	assert_non_null(strstr(got, "SigBlk:\t0000000000000000\n"));
	if (!strstr(got, "SigIgn:\t0000000000000000\n"))
		fail_msg("ignored: %s", strstr(got, "SigIgn"));
	free(got);
	process_cmd_free(cmd);
}

static void probe_cb(struct sched_ev *ev, void *arg)
{
	struct job *j = arg;

	(void)ev;
	j->seen = process_run_state(&j->run);
}

/* The timeout: SIGTERM to the whole group (the script and its background child) */
static void test_timeout_kills_group(void **state)
{
	struct tree *t = *state;
	char p[PATH_MAX], gp[PATH_MAX], body[PATH_MAX * 4];
	struct process_cmd *cmd;
	struct job j;
	pid_t gpid;

	snprintf(body, sizeof(body), "#!/bin/sh\nsleep 1000 &\necho $! > %s.tmp\nmv %s.tmp %s\nwait\n",
		 tp(t, "g1.pid", gp), gp, gp);
	write_file(t, "hang.sh", 0755, body);
	cmd = cmd_of(tp(t, "hang.sh", p), geteuid(), getegid());
	run_one(cmd, NULL, 1000000, &j);	/* time for sh to start its child */
	assert_true(j.res.timed_out);
	assert_true(WIFSIGNALED(j.res.status));
	assert_int_equal(WTERMSIG(j.res.status), SIGTERM);
	gpid = read_pid(gp);
	assert_true(gpid > 0);
	assert_true(wait_dead(gpid, 5000));
	process_cmd_free(cmd);
}

/* A group that ignores SIGTERM: TIMING_OUT during the grace, then SIGKILL for all of it */
static void test_timeout_sigkill_after_grace(void **state)
{
	struct tree *t = *state;
	char p[PATH_MAX], gp[PATH_MAX], body[PATH_MAX * 4];
	struct sched *s = sched_start();
	struct process_cmd *cmd;
	struct job j = { 0 };
	pid_t gpid;

	snprintf(body, sizeof(body),
		 "#!/bin/sh\ntrap '' TERM\nsleep 1000 &\necho $! > %s.tmp\nmv %s.tmp %s\n"
		 "while :; do wait; done\n", tp(t, "g2.pid", gp), gp, gp);
	write_file(t, "stubborn.sh", 0755, body);
	cmd = cmd_of(tp(t, "stubborn.sh", p), geteuid(), getegid());
	j.s = s;
	assert_int_equal(process_run_start(s, &j.run, cmd, NULL, 800000, job_done_cb, &j), 0);
	assert_int_equal(sched_timer(s, &j.ev_probe, 800000 + 500000, probe_cb, &j), 0);
	assert_int_equal(sched_run(s), 0);
	assert_int_equal(j.seen, PROCESS_RUN_TIMING_OUT);
	assert_int_equal(j.n_done, 1);
	assert_true(j.res.timed_out);
	assert_int_equal(j.res.status, -1);
	gpid = read_pid(gp);
	assert_true(gpid > 0);
	assert_true(wait_dead(gpid, 5000));
	process_cmd_free(cmd);
	sched_finish(s);
}

/* As nobody: uid, gid and no supplementary groups (root only) */
static void test_uid_switch(void **state)
{
	struct tree *t = *state;
	char p[PATH_MAX], out[PATH_MAX], body[PATH_MAX * 4], *got;
	const gid_t extra[] = { 0, 4 };
	struct process_cmd *cmd;
	gid_t old[64];
	int n_old;
	struct job j;

	if (geteuid() != 0)
		skip();
	mkdir_mode(t, "pub", 01777);
	snprintf(body, sizeof(body), "#!/bin/sh\necho $(id -u) $(id -g) $(id -G) > %s\n",
		 tp(t, "pub/id.out", out));
	write_file(t, "id.sh", 0755, body);
	cmd = cmd_of(tp(t, "id.sh", p), NOBODY, NOBODY);
	assert_int_equal(process_cmd_prepare(cmd, true), PROCESS_CHECK_OK);
	/* supplementary groups here must not leak into the script */
	n_old = getgroups(ARRAY_SIZE(old), old);
	assert_true(n_old >= 0);
	assert_int_equal(setgroups(ARRAY_SIZE(extra), extra), 0);
	run_one(cmd, NULL, 0, &j);
	assert_int_equal(setgroups((size_t)n_old, old), 0);
	assert_int_equal(WEXITSTATUS(j.res.status), 0);
	got = read_file(out);
	assert_non_null(got);
	assert_string_equal(got, "65534 65534 65534\n");
	free(got);
	process_cmd_free(cmd);
}

/* 200 at once, all reaped, the loop empty afterwards */
static void test_many_concurrent(void **state)
{
	enum { N = 200 };
	struct process_cmd *ok = cmd_of("/bin/true", geteuid(), getegid());
	struct process_cmd *bad = cmd_of("/bin/sh -c 'exit 3'", geteuid(), getegid());
	struct sched *s = sched_start();
	struct job *jobs = calloc(N, sizeof(*jobs));
	struct sched_stats st;

	(void)state;
	for (int i = 0; i < N; i++) {
		jobs[i].s = s;
		assert_int_equal(process_run_start(s, &jobs[i].run, i % 2 ? bad : ok, NULL, 10000000,
						   job_done_cb, &jobs[i]), 0);
	}
	sched_get_stats(s, &st);
	assert_int_equal(st.n_children, N);
	assert_int_equal(sched_run(s), 0);
	for (int i = 0; i < N; i++) {
		assert_int_equal(jobs[i].n_done, 1);
		assert_false(jobs[i].res.timed_out);
		assert_int_equal(WEXITSTATUS(jobs[i].res.status), i % 2 ? 3 : 0);
		assert_int_equal(waitpid(jobs[i].res.pid, NULL, WNOHANG), -1);	/* reaped */
	}
	free(jobs);
	process_cmd_free(ok);
	process_cmd_free(bad);
	sched_finish(s);
}

/* The callback frees the object its run is embedded in (ASan checks the rest) */
struct owner {
	struct process_run run;
	int *n_freed;
};

static void owner_done_cb(void *arg, const struct process_result *res)
{
	struct owner *o = arg;

	assert_true(WIFEXITED(res->status));
	(*o->n_freed)++;
	free(o);
}

static void test_callback_frees_owner(void **state)
{
	struct process_cmd *cmd = cmd_of("/bin/true", geteuid(), getegid());
	struct sched *s = sched_start();
	int n_freed = 0;

	(void)state;
	for (int i = 0; i < 3; i++) {
		struct owner *o = calloc(1, sizeof(*o));

		o->n_freed = &n_freed;
		assert_int_equal(process_run_start(s, &o->run, cmd, NULL, i == 1 ? 5000000 : 0,
						   owner_done_cb, o), 0);
	}
	assert_int_equal(sched_run(s), 0);
	assert_int_equal(n_freed, 3);
	process_cmd_free(cmd);
	sched_finish(s);
}

static void test_restart_from_callback(void **state)
{
	struct process_cmd *cmd = cmd_of("/bin/true", geteuid(), getegid());
	struct sched *s = sched_start();
	struct job j = { 0 };

	(void)state;
	j.s = s;
	j.cmd = cmd;
	j.n_restarts = 3;
	assert_int_equal(process_run_start(s, &j.run, cmd, NULL, 0, job_done_cb, &j), 0);
	assert_int_equal(sched_run(s), 0);
	assert_int_equal(j.n_done, 4);
	process_cmd_free(cmd);
	sched_finish(s);
}

static void fail_done_cb(void *arg, const struct process_result *res)
{
	(void)arg;
	(void)res;
	fail_msg("a cancelled run called back");
}

static void cancel_cb(struct sched_ev *ev, void *arg)
{
	(void)ev;
	process_run_cancel(arg);
	process_run_cancel(arg);	/* idempotent */
}

/* Cancel: no callback, SIGTERM to the group, reaped by the loop (which then ends) */
static void test_cancel(void **state)
{
	struct process_cmd *cmd = cmd_of("/bin/sleep 1000", geteuid(), getegid());
	struct sched *s = sched_start();
	struct process_run run = { 0 };
	struct sched_ev *ev = NULL;
	pid_t pid;

	(void)state;
	assert_int_equal(process_run_start(s, &run, cmd, NULL, 0, fail_done_cb, NULL), 0);
	pid = process_run_pid(&run);
	assert_int_equal(process_run_start(s, &run, cmd, NULL, 0, fail_done_cb, NULL), -EBUSY);
	assert_int_equal(sched_timer(s, &ev, 50000, cancel_cb, &run), 0);
	assert_int_equal(sched_run(s), 0);
	assert_int_equal(process_run_state(&run), PROCESS_RUN_IDLE);
	assert_int_equal(waitpid(pid, NULL, WNOHANG), -1);	/* the loop reaped it */
	process_run_cancel(&run);				/* idle: nothing */
	process_cmd_free(cmd);
	sched_finish(s);
}

static void test_refusals(void **state)
{
	struct process_cmd *cmd = cmd_of("/nonexistent/x", geteuid(), getegid());
	const char *const nine[] = { "1", "2", "3", "4", "5", "6", "7", "8", "9", NULL };
	struct sched *s = sched_start();
	struct process_run run = { 0 };

	(void)state;
	assert_int_equal(process_run_start(s, &run, cmd, nine, 0, fail_done_cb, NULL), -E2BIG);
	assert_int_equal(process_spawn(s, cmd, nine, NULL), -E2BIG);
	cmd->state = PROCESS_CHECK_NOT_FOUND;
	assert_int_equal(process_run_start(s, &run, cmd, NULL, 0, fail_done_cb, NULL), -EPERM);
	assert_int_equal(process_spawn(s, cmd, NULL, NULL), -EPERM);
	assert_int_equal(process_run_state(&run), PROCESS_RUN_IDLE);
	process_cmd_free(cmd);
	sched_finish(s);
}

/* Fire and forget: it runs with its extras, and the loop reaps it and ends */
static void test_spawn(void **state)
{
	struct tree *t = *state;
	char p[PATH_MAX], out[PATH_MAX], body[PATH_MAX * 4], *got;
	const char *const extra[] = { "GROUP", "VG_1", "BACKUP", "0", NULL };
	struct sched *s = sched_start();
	struct process_cmd *cmd;
	pid_t pid = 0;

	snprintf(body, sizeof(body), "#!/bin/sh\necho \"$@\" > %s\n", tp(t, "spawn.out", out));
	write_file(t, "notify.sh", 0755, body);
	cmd = cmd_of(tp(t, "notify.sh", p), geteuid(), getegid());
	assert_int_equal(process_spawn(s, cmd, extra, &pid), 0);
	assert_true(pid > 0);
	assert_int_equal(sched_run(s), 0);
	assert_int_equal(waitpid(pid, NULL, WNOHANG), -1);
	got = read_file(out);
	assert_non_null(got);
	assert_string_equal(got, "GROUP VG_1 BACKUP 0\n");
	free(got);
	process_cmd_free(cmd);
	sched_finish(s);
}

/* PR_SET_PDEATHSIG: a script gets SIGTERM when the process that ran it dies */
static void test_parent_death(void **state)
{
	struct process_cmd *cmd = cmd_of("/bin/sleep 1000", geteuid(), getegid());
	pid_t helper, script = 0;
	int p[2];

	(void)state;
	assert_int_equal(pipe(p), 0);
	helper = fork();
	assert_true(helper >= 0);
	if (helper == 0) {
		struct sched *s = NULL;
		pid_t pid = 0;

		close(p[0]);
		if (sched_new(&s) < 0 || process_spawn(s, cmd, NULL, &pid) < 0)
			_exit(1);
		if (write(p[1], &pid, sizeof(pid)) != sizeof(pid))
			_exit(1);
		pause();	/* SIGKILLed by the test */
		_exit(0);
	}
	close(p[1]);
	assert_int_equal(read(p[0], &script, sizeof(script)), (ssize_t)sizeof(script));
	close(p[0]);
	assert_true(script > 0);
	assert_false(is_dead(script));
	kill(helper, SIGKILL);
	assert_int_equal(waitpid(helper, NULL, 0), helper);
	assert_true(wait_dead(script, 5000));
	process_cmd_free(cmd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split_table),
		cmocka_unit_test(test_split_bounds),
		cmocka_unit_test(test_split_msg),
		cmocka_unit_test(test_cmd_new),
		cmocka_unit_test(test_security_rules),
		cmocka_unit_test_setup_teardown(test_script_check, tree_setup, tree_teardown),
		cmocka_unit_test_setup_teardown(test_prepare, tree_setup, tree_teardown),
		cmocka_unit_test_setup_teardown(test_users, tree_setup, tree_teardown),
		cmocka_unit_test(test_userdb),
		cmocka_unit_test(test_true_false),
		cmocka_unit_test_setup_teardown(test_exec_failure, tree_setup, tree_teardown),
		cmocka_unit_test_setup_teardown(test_argv, tree_setup, tree_teardown),
		cmocka_unit_test_setup_teardown(test_child_setup, tree_setup, tree_teardown),
		cmocka_unit_test_setup_teardown(test_timeout_kills_group, tree_setup, tree_teardown),
		cmocka_unit_test_setup_teardown(test_timeout_sigkill_after_grace, tree_setup,
						tree_teardown),
		cmocka_unit_test_setup_teardown(test_uid_switch, tree_setup, tree_teardown),
		cmocka_unit_test(test_many_concurrent),
		cmocka_unit_test(test_callback_frees_owner),
		cmocka_unit_test(test_restart_from_callback),
		cmocka_unit_test(test_cancel),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test_setup_teardown(test_spawn, tree_setup, tree_teardown),
		cmocka_unit_test(test_parent_death),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
