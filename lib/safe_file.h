/* SPDX-License-Identifier: GPL-2.0-or-later */
/* lib/safe_file.h: files a root daemon writes where other users may write too (/tmp, /run). */
#pragma once
#include <stdio.h>
#include <sys/types.h>

/*
 * Every file opened here obeys two rules, whoever planted what at its path:
 * - a symlink is never followed;
 * - a file another user owns (or a regular file with a second hard link) is never
 *   written through: a new file of ours replaces it, renamed into place.
 * A mode is given as to open(2): the process umask applies (dumps and logs pass 0666,
 * so keepalived's default umask 0177 gives 0600).
 * They do not log: callers name the file in their own message.
 */

/*
 * A whole file (a SIGUSR1/SIGUSR2 dump): written to a fresh private temporary file
 * beside path (O_CREAT|O_EXCL, 0600), then given its mode and renamed over path, so a
 * reader never sees half a dump and nobody else can read it while it is written.
 */
struct safe_file {
	FILE *f;	/* write here */
	char *path;	/* the final name (a copy) */
	char *tmp;	/* "PATH.XXXXXX" until commit or discard */
	mode_t mode;
};

/* 0 or -errno (sf is then empty: nothing to discard). */
int safe_file_create(struct safe_file *sf, const char *path, mode_t mode);
/*
 * Flush, give the file mode & ~umask, rename it over path (a symlink or another
 * user's file there is replaced, not followed). 0 or -errno (a write error too); the
 * temporary file is removed on failure. sf is emptied either way.
 */
int safe_file_commit(struct safe_file *sf);
/* Remove the temporary file and empty sf; safe on an emptied sf. */
void safe_file_discard(struct safe_file *sf);

/* safe_file_open() replaced what was at the path. */
#define SAFE_FILE_REPLACED 1

/*
 * Open path for writing without truncating it (log files, pid files). flags: O_WRONLY
 * or O_RDWR, optionally O_APPEND; O_NOFOLLOW, O_NONBLOCK, O_NOCTTY and O_CLOEXEC are
 * always added. What is at path decides:
 * - nothing: a new file is created exclusively;
 * - our own regular file with one link, or our own device or fifo: it is opened;
 * - a symlink another user owns, another user's regular file, or a regular file with
 *   more than one link: an empty file of ours replaces it (SAFE_FILE_REPLACED);
 * - our own symlink: refused with -ELOOP (somebody with our rights set it up, as with
 *   /dev/stdout); another user's device, fifo or socket, or a directory: -EPERM/-EISDIR.
 * A regular file gets mode & ~umask, as keepalived sets its log file's mode.
 * Returns 0 or SAFE_FILE_REPLACED with *fd set, or -errno.
 */
int safe_file_open(const char *path, int flags, mode_t mode, int *fd);

/* fchmod(fd, mode & ~umask) if fd is our own regular file; 0 or -errno. */
int safe_file_chmod(int fd, mode_t mode);
