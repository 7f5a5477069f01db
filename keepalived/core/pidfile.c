// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/core/pidfile.c: pid files that refuse a second instance and clear stale ones. */
#include "pidfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "safe_file.h"
#include "utils.h"

static pid_t read_pid(int fd)
{
	char buf[32];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
	long v;
	char *end;

	if (n <= 0)
		return 0;
	buf[n] = '\0';
	v = strtol(buf, &end, 10);
	if (end == buf || v <= 0 || v > INT_MAX)
		return 0;
	return (pid_t)v;
}

/* keepalived does not lock its pid files: a running process named keepalived* counts too. */
static bool is_keepalived(pid_t pid)
{
	char path[64], comm[64] = "";
	FILE *f;

	if (kill(pid, 0) < 0 && errno == ESRCH)
		return false;
	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return false;
	if (!fgets(comm, sizeof(comm), f))
		comm[0] = '\0';
	fclose(f);
	return !strncmp(comm, "keepalived", 10);
}

/* mkdir -p of path's directory; rwxr-xr-x whatever the umask, as keepalived makes it. */
static void mkdir_parents(const char *path)
{
	char *dir = xstrdup(path);

	for (char *p = strchr(dir + 1, '/'); p; p = strchr(p + 1, '/')) {
		*p = '\0';
		if (mkdir(dir, 0755) == 0)
			chmod(dir, 0755);
		*p = '/';
	}
	free(dir);
}

/*
 * Only our own regular file can name a live daemon: a symlink, or a file another user
 * made, is stale (pidfile_create replaces it) and cannot keep us from starting.
 */
bool pidfile_is_live(const char *path, pid_t *pid)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	bool live;
	pid_t p;

	if (fd < 0)
		return false;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid()) {
		close(fd);
		return false;
	}
	p = read_pid(fd);
	live = flock(fd, LOCK_SH | LOCK_NB) < 0 && errno == EWOULDBLOCK;
	if (!live && p > 0 && p != getpid())
		live = is_keepalived(p);
	close(fd);
	if (live && pid)
		*pid = p;
	return live;
}

int pidfile_update(struct pidfile *pf, pid_t pid)
{
	char buf[32];
	int len = snprintf(buf, sizeof(buf), "%d\n", (int)pid);

	if (pf->fd < 0)
		return -EBADF;
	if (ftruncate(pf->fd, 0) < 0 || pwrite(pf->fd, buf, (size_t)len, 0) != len)
		return -errno;
	return 0;
}

int pidfile_create(struct pidfile *pf, const char *path, pid_t pid, pid_t *other_pid)
{
	struct stat st;
	int fd, r;

	pf->fd = -1;
	pf->path = NULL;
	if (pidfile_is_live(path, other_pid))
		return -EEXIST;
	/* Never through a symlink or another user's file: those are replaced. */
	r = safe_file_open(path, O_RDWR, 0644, &fd);
	if (r == -ENOENT) {
		/* /run/keepalived/[keepalived_NS/] may not exist yet. */
		mkdir_parents(path);
		r = safe_file_open(path, O_RDWR, 0644, &fd);
	}
	if (r < 0)
		return r;
	/*
	 * A regular file only (a device would not truncate, and pidfile_remove() would unlink
	 * it), rw-r--r-- whatever the umask, as keepalived writes its pid files.
	 */
	if (fstat(fd, &st) < 0)
		r = -errno;
	else if (!S_ISREG(st.st_mode))
		r = -EINVAL;
	else if (fchmod(fd, 0644) < 0)
		r = -errno;
	if (r < 0) {
		close(fd);
		return r;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		r = errno == EWOULDBLOCK ? -EEXIST : -errno;
		if (r == -EEXIST && other_pid)
			*other_pid = read_pid(fd);
		close(fd);
		return r;
	}
	pf->fd = fd;
	pf->path = xstrdup(path);
	r = pidfile_update(pf, pid);
	if (r < 0)
		pidfile_remove(pf);
	return r;
}

void pidfile_remove(struct pidfile *pf)
{
	if (pf->path)
		unlink(pf->path);
	pidfile_forget(pf);
}

void pidfile_forget(struct pidfile *pf)
{
	if (pf->fd >= 0)
		close(pf->fd);
	pf->fd = -1;
	free(pf->path);
	pf->path = NULL;
}
