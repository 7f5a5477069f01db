// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * lib/safe_file.c: writing files as root without following symlinks or writing through
 * files that other users created (what keepalived fixed for CVE-2018-19044/19046).
 */
#include "safe_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "utils.h"

/* The umask can only be read by setting it; the processes using this are single-threaded. */
static mode_t current_umask(void)
{
	mode_t m = umask(0);

	umask(m);
	return m;
}

int safe_file_chmod(int fd, mode_t mode)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode) || st.st_uid != geteuid())
		return 0;
	if (fchmod(fd, mode & ~current_umask() & 0777) < 0)
		return -errno;
	return 0;
}

/*
 * A new private file beside path: "PATH.XXXXXX", created with O_CREAT|O_EXCL and mode
 * 0600 by mkostemp(), so it can be neither a symlink nor a file someone made first.
 * Returns its fd (*tmp: its name, to free) or -errno.
 */
static int create_tmp(const char *path, int oflags, char **tmp)
{
	char *t = xasprintf("%s.XXXXXX", path);
	int fd = mkostemp(t, O_CLOEXEC | oflags);

	if (fd < 0) {
		fd = -errno;
		free(t);
		return fd;
	}
	*tmp = t;
	return fd;
}

int safe_file_create(struct safe_file *sf, const char *path, mode_t mode)
{
	int fd, r;

	*sf = (struct safe_file){ .mode = mode };
	fd = create_tmp(path, 0, &sf->tmp);
	if (fd < 0)
		return fd;
	sf->f = fdopen(fd, "w");
	if (!sf->f) {
		r = -errno;
		close(fd);
		safe_file_discard(sf);
		return r;
	}
	sf->path = xstrdup(path);
	return 0;
}

int safe_file_commit(struct safe_file *sf)
{
	int r = 0;

	errno = 0;
	if (fflush(sf->f) != 0)
		r = errno ? -errno : -EIO;
	else if (ferror(sf->f))
		r = -EIO;	/* an earlier write failed */
	else
		r = safe_file_chmod(fileno(sf->f), sf->mode);
	if (fclose(sf->f) != 0 && r == 0)
		r = -errno;
	sf->f = NULL;
	/* rename() replaces a symlink or another user's file at path; it follows neither. */
	if (r == 0 && rename(sf->tmp, sf->path) < 0)
		r = -errno;
	if (r == 0) {
		free(sf->tmp);
		sf->tmp = NULL;
	}
	safe_file_discard(sf);
	return r;
}

void safe_file_discard(struct safe_file *sf)
{
	if (sf->f)
		fclose(sf->f);
	if (sf->tmp)
		unlink(sf->tmp);
	free(sf->tmp);
	free(sf->path);
	*sf = (struct safe_file){ 0 };
}

/* An empty file of ours in place of whatever is at path, renamed over it. */
static int replace(const char *path, int flags, mode_t mode, int *fd)
{
	char *tmp = NULL;
	int r, nfd = create_tmp(path, flags & O_APPEND, &tmp);

	if (nfd < 0)
		return nfd;
	r = safe_file_chmod(nfd, mode);
	if (r == 0 && rename(tmp, path) < 0)
		r = -errno;
	if (r < 0) {
		unlink(tmp);
		close(nfd);
	} else {
		*fd = nfd;
	}
	free(tmp);
	return r < 0 ? r : SAFE_FILE_REPLACED;
}

int safe_file_open(const char *path, int flags, mode_t mode, int *fd)
{
	int oflags = (flags & (O_ACCMODE | O_APPEND)) | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY |
		     O_CLOEXEC;
	uid_t me = geteuid();

	/* Decide on lstat(), then check that the file opened is the one looked at. */
	for (int tries = 0; tries < 3; tries++) {
		struct stat ls, st;
		int nfd, r;

		if (lstat(path, &ls) < 0) {
			if (errno != ENOENT)
				return -errno;
			nfd = open(path, oflags | O_CREAT | O_EXCL, mode);
			if (nfd >= 0) {
				*fd = nfd;
				return 0;
			}
			if (errno == EEXIST)
				continue;	/* created meanwhile: look again */
			return -errno;
		}
		if (S_ISLNK(ls.st_mode))
			return ls.st_uid == me ? -ELOOP : replace(path, flags, mode, fd);
		if (S_ISDIR(ls.st_mode))
			return -EISDIR;
		if (S_ISREG(ls.st_mode) && (ls.st_uid != me || ls.st_nlink > 1))
			return replace(path, flags, mode, fd);
		if (ls.st_uid != me)
			return -EPERM;	/* another user's device, fifo or socket */
		nfd = open(path, oflags);
		if (nfd < 0) {
			if (errno == ENOENT || errno == ELOOP)
				continue;	/* changed since the lstat() */
			return -errno;
		}
		if (fstat(nfd, &st) < 0 || st.st_dev != ls.st_dev || st.st_ino != ls.st_ino) {
			close(nfd);
			continue;
		}
		r = safe_file_chmod(nfd, mode);
		if (r < 0) {
			close(nfd);
			return r;
		}
		*fd = nfd;
		return 0;
	}
	return -EAGAIN;
}
