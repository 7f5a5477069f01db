// SPDX-License-Identifier: GPL-2.0-or-later
/* tests/unit/test_safe_file.c: lib/safe_file.c against symlinks, others' files, hard links. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "safe_file.h"
#include "utils.h"

#define NOBODY 65534
#define TARGET_TEXT "the target: nobody may change this\n"

/* What is at the path before the call; "target" is what a planted link points to. */
enum plant {
	NOTHING, OWN_FILE, OWN_SYMLINK, FOREIGN_SYMLINK, DANGLING_SYMLINK, FOREIGN_FILE,
	HARD_LINK, DIRECTORY, OWN_FIFO, FOREIGN_FIFO,
};

struct dir {
	char path[64];
	char file[96];		/* where we write */
	char target[96];	/* what a planted symlink or hard link leads to */
};

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static char *read_text(const char *path)
{
	static char buf[256];
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static struct dir *live_dir;	/* removed by the teardown when a test fails half-way */

/* A world-writable sticky directory, as /tmp is, holding the target. */
static void dir_new(struct dir *d)
{
	live_dir = d;
	snprintf(d->path, sizeof(d->path), "/tmp/kt_safe_file_XXXXXX");
	assert_non_null(mkdtemp(d->path));
	assert_int_equal(chmod(d->path, 01777), 0);
	snprintf(d->file, sizeof(d->file), "%s/keepalived.data", d->path);
	snprintf(d->target, sizeof(d->target), "%s/target", d->path);
	write_text(d->target, TARGET_TEXT);
}

/* Number of entries in d besides "." and ".."; leftovers of a temporary file show here. */
static int dir_entries(const struct dir *d)
{
	DIR *dh = opendir(d->path);
	struct dirent *e;
	int n = 0;

	assert_non_null(dh);
	while ((e = readdir(dh)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(dh);
	return n;
}

static void dir_free(struct dir *d)
{
	DIR *dh = opendir(d->path);
	struct dirent *e;
	char p[400];

	if (!dh) {
		live_dir = NULL;
		return;
	}
	while ((e = readdir(dh))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(p, sizeof(p), "%s/%s", d->path, e->d_name);
		if (unlink(p) < 0)
			rmdir(p);
	}
	closedir(dh);
	rmdir(d->path);
	live_dir = NULL;
}

static int teardown(void **state)
{
	(void)state;
	if (live_dir)
		dir_free(live_dir);
	return 0;
}

static bool is_root(void)
{
	return geteuid() == 0;
}

/* Plants p at d->file. */
static void plant(struct dir *d, enum plant p)
{
	switch (p) {
	case NOTHING:
		break;
	case OWN_FILE:
		write_text(d->file, "old\n");
		break;
	case OWN_SYMLINK:
		assert_int_equal(symlink(d->target, d->file), 0);
		break;
	case FOREIGN_SYMLINK:
	case DANGLING_SYMLINK:
		assert_int_equal(symlink(p == FOREIGN_SYMLINK ? d->target : "/nonexistent/x",
					 d->file), 0);
		assert_int_equal(lchown(d->file, NOBODY, NOBODY), 0);
		break;
	case FOREIGN_FILE:
		write_text(d->file, "nobody's\n");
		assert_int_equal(chown(d->file, NOBODY, NOBODY), 0);
		assert_int_equal(chmod(d->file, 0666), 0);
		break;
	case HARD_LINK:
		assert_int_equal(link(d->target, d->file), 0);
		break;
	case DIRECTORY:
		assert_int_equal(mkdir(d->file, 0755), 0);
		break;
	case OWN_FIFO:
	case FOREIGN_FIFO:
		assert_int_equal(mkfifo(d->file, 0600), 0);
		if (p == FOREIGN_FIFO)
			assert_int_equal(chown(d->file, NOBODY, NOBODY), 0);
		break;
	}
}

static const struct {
	const char *what;
	enum plant plant;
	int want;		/* safe_file_open()'s return */
	bool root;		/* needs root (chown to nobody) */
} open_cases[] = {
	{ "nothing there: created", NOTHING, 0, false },
	{ "our own file: appended to", OWN_FILE, 0, false },
	{ "our own symlink: refused", OWN_SYMLINK, -ELOOP, false },
	{ "nobody's symlink: replaced, target untouched", FOREIGN_SYMLINK, SAFE_FILE_REPLACED, true },
	{ "nobody's dangling symlink: replaced", DANGLING_SYMLINK, SAFE_FILE_REPLACED, true },
	{ "nobody's file: replaced, not written through", FOREIGN_FILE, SAFE_FILE_REPLACED, true },
	{ "a second hard link: replaced, the other link untouched", HARD_LINK, SAFE_FILE_REPLACED,
	  false },
	{ "a directory: refused", DIRECTORY, -EISDIR, false },
	{ "our own fifo with a reader: opened", OWN_FIFO, 0, false },
	{ "nobody's fifo: refused", FOREIGN_FIFO, -EPERM, true },
};

static void test_open(void **state)
{
	(void)state;
	umask(022);
	for (size_t i = 0; i < ARRAY_SIZE(open_cases); i++) {
		const char *what = open_cases[i].what;
		struct stat before = { 0 }, st;
		struct dir d;
		int fd = -1, rd = -1, r;

		if (open_cases[i].root && !is_root()) {
			print_message("skipped (not root): %s\n", what);
			continue;
		}
		dir_new(&d);
		plant(&d, open_cases[i].plant);
		lstat(d.file, &before);
		if (open_cases[i].plant == OWN_FIFO)
			rd = open(d.file, O_RDONLY | O_NONBLOCK);
		r = safe_file_open(d.file, O_WRONLY | O_APPEND, 0666, &fd);
		if (r != open_cases[i].want)
			fail_msg("%s: got %d (%s), want %d", what, r, r < 0 ? strerror(-r) : "",
				 open_cases[i].want);
		if (r >= 0) {
			assert_true(write(fd, "new\n", 4) == 4);
			assert_int_equal(fstat(fd, &st), 0);
			close(fd);
			if (lstat(d.file, &st) < 0 || st.st_uid != geteuid())
				fail_msg("%s: not our file at the path afterwards", what);
			if (r == SAFE_FILE_REPLACED && st.st_ino == before.st_ino)
				fail_msg("%s: same inode: written through", what);
			if (S_ISREG(st.st_mode) && (st.st_mode & 0777) != 0644)
				fail_msg("%s: mode %o, want 644 (umask 022)", what, st.st_mode & 0777);
			if (open_cases[i].plant == OWN_FILE)
				assert_string_equal(read_text(d.file), "old\nnew\n");
			else if (S_ISREG(st.st_mode))
				assert_string_equal(read_text(d.file), "new\n");
		}
		if (strcmp(read_text(d.target), TARGET_TEXT))
			fail_msg("%s: the target changed", what);
		/* the target and one file at the path, however it got there */
		if (dir_entries(&d) != 2)
			fail_msg("%s: %d directory entries, want 2 (a temporary file left?)", what,
				 dir_entries(&d));
		if (rd >= 0)
			close(rd);
		dir_free(&d);
	}
}

static const struct {
	const char *what;
	enum plant plant;
	bool root;
} commit_cases[] = {
	{ "nothing there", NOTHING, false },
	{ "our own file", OWN_FILE, false },
	{ "our own symlink", OWN_SYMLINK, false },
	{ "nobody's symlink", FOREIGN_SYMLINK, true },
	{ "nobody's file", FOREIGN_FILE, true },
	{ "a hard link", HARD_LINK, false },
};

/* A dump replaces whatever is at its path and never writes through it. */
static void test_commit(void **state)
{
	(void)state;
	umask(0177);
	for (size_t i = 0; i < ARRAY_SIZE(commit_cases); i++) {
		const char *what = commit_cases[i].what;
		struct safe_file sf;
		struct stat before = { 0 }, st;
		struct dir d;

		if (commit_cases[i].root && !is_root()) {
			print_message("skipped (not root): %s\n", what);
			continue;
		}
		dir_new(&d);
		plant(&d, commit_cases[i].plant);
		lstat(d.file, &before);
		assert_int_equal(safe_file_create(&sf, d.file, 0666), 0);
		/* private while written: ours, 0600, beside the path */
		assert_int_equal(fstat(fileno(sf.f), &st), 0);
		if ((st.st_mode & 0777) != 0600 || st.st_uid != geteuid() ||
		    strncmp(sf.tmp, d.file, strlen(d.file)))
			fail_msg("%s: temporary file %s mode %o", what, sf.tmp, st.st_mode & 0777);
		fputs("secret auth_pass\n", sf.f);
		assert_int_equal(safe_file_commit(&sf), 0);
		assert_null(sf.tmp);
		if (lstat(d.file, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid())
			fail_msg("%s: not our regular file at the path", what);
		if (commit_cases[i].plant != NOTHING && st.st_ino == before.st_ino)
			fail_msg("%s: same inode: written through", what);
		if ((st.st_mode & 0777) != 0600)
			fail_msg("%s: mode %o, want 600", what, st.st_mode & 0777);
		assert_string_equal(read_text(d.file), "secret auth_pass\n");
		if (strcmp(read_text(d.target), TARGET_TEXT))
			fail_msg("%s: the target changed", what);
		if (dir_entries(&d) != 2)
			fail_msg("%s: %d directory entries (a temporary file left?)", what,
				 dir_entries(&d));
		dir_free(&d);
	}
}

static const struct {
	mode_t umask;
	mode_t want;
} modes[] = {
	{ 0177, 0600 }, { 0077, 0600 }, { 0022, 0644 }, { 0027, 0640 }, { 0, 0666 },
};

/* The dump's mode is 0666 & ~umask, set after writing. */
static void test_umask(void **state)
{
	struct safe_file sf;
	struct stat st;
	struct dir d;

	(void)state;
	dir_new(&d);
	for (size_t i = 0; i < ARRAY_SIZE(modes); i++) {
		umask(modes[i].umask);
		assert_int_equal(safe_file_create(&sf, d.file, 0666), 0);
		assert_int_equal(safe_file_commit(&sf), 0);
		assert_int_equal(stat(d.file, &st), 0);
		if ((st.st_mode & 0777) != modes[i].want)
			fail_msg("umask %03o: mode %03o, want %03o", modes[i].umask,
				 st.st_mode & 0777, modes[i].want);
	}
	dir_free(&d);
}

static void test_discard_and_errors(void **state)
{
	struct safe_file sf;
	struct dir d;
	char missing[200];
	int fd;

	(void)state;
	dir_new(&d);
	assert_int_equal(safe_file_create(&sf, d.file, 0666), 0);
	fputs("half a dump\n", sf.f);
	safe_file_discard(&sf);
	safe_file_discard(&sf);		/* twice is fine */
	assert_int_equal(dir_entries(&d), 1);	/* the target only */

	snprintf(missing, sizeof(missing), "%s/no/such/dir/x.data", d.path);
	assert_int_equal(safe_file_create(&sf, missing, 0666), -ENOENT);
	assert_null(sf.f);
	assert_int_equal(safe_file_open(missing, O_WRONLY, 0666, &fd), -ENOENT);
	dir_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_open, teardown),
		cmocka_unit_test_teardown(test_commit, teardown),
		cmocka_unit_test_teardown(test_umask, teardown),
		cmocka_unit_test_teardown(test_discard_and_errors, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
