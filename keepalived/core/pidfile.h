/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/core/pidfile.h: pid files that refuse a second instance and clear stale ones. */
#pragma once
#include <stdbool.h>
#include <sys/types.h>

/*
 * A pid file is "live" when another process holds an flock on it, or (for a
 * file written by keepalived itself, which does not lock) when the pid in it
 * names a running process called keepalived. Anything else is stale, and so is a
 * symlink or a file another user owns: pidfile_create() replaces those (it never
 * follows a symlink or writes through someone else's file) and writes mode 0644.
 */
struct pidfile {
	char *path;
	int fd;		/* held open with an flock while we own it; -1 otherwise */
};

/*
 * Create path holding pid, locked. Returns 0, -EEXIST when a live daemon owns it
 * (*other_pid set), or -errno.
 */
int pidfile_create(struct pidfile *pf, const char *path, pid_t pid, pid_t *other_pid);
/* Rewrite the pid (after daemonizing, or a respawned child). */
int pidfile_update(struct pidfile *pf, pid_t pid);
/* Remove the file and release it. Safe on a pidfile never created. */
void pidfile_remove(struct pidfile *pf);
/* Forget it without removing the file (in a forked child). */
void pidfile_forget(struct pidfile *pf);
/* Is a live daemon using path? (*pid set when it is). */
bool pidfile_is_live(const char *path, pid_t *pid);
