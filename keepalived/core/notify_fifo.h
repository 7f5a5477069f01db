/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/core/notify_fifo.h: a notify FIFO (notify_fifo, vrrp_/lvs_notify_fifo) and its script. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct sched;
struct process_cmd;
struct global_defs;
struct gd_fifo;

/*
 * keepalived 2.2.7's notify FIFOs (lib/notify.c, spec vrrp-advanced.md 2): the daemon
 * makes the FIFO (mode 0644 under its umask; one that exists already is used as it is
 * and left in place at exit), chowns it to the configured user/group, starts the FIFO
 * script with the FIFO's path as its last argument, then opens the FIFO O_RDWR |
 * O_NONBLOCK (it never blocks and a reader never sees EOF while the daemon runs). A
 * line that cannot be written (nobody reads and the pipe is full) is dropped.
 *
 * Unlike 2.2.7, a stop does not kill the script before the last lines are written:
 * notify_fifo_finish() closes the FIFO (the reader gets EOF once it has read everything)
 * and lets the script end by itself, for at most wait_us.
 */
struct notify_fifo;

struct notify_fifo_conf {
	const char *path;
	uid_t uid;			/* owner to give the FIFO (when it differs from ours) */
	gid_t gid;
	const struct process_cmd *script;	/* prepared (runnable or not), or NULL; borrowed */
	const char *type;		/* "", "vrrp_", "lvs_": in keepalived's lines */
	const char *exit_line;		/* logged when the script ends ("vrrp notify fifo script
					 * terminated") */
};

/*
 * 0 with *ret, or -errno (nothing open) after keepalived's line:
 *   Unable to create <type>notify fifo <path>
 *   Unable to open <type>notify fifo <path> - errno <n>
 * and "Failed to set uid:gid for fifo <path>" (kept open) when it cannot be chowned.
 */
int notify_fifo_open(struct sched *s, const struct notify_fifo_conf *c, struct notify_fifo **ret);
/* The line as it is; dropped when it cannot be written now. NULL f: nothing. */
void notify_fifo_write(struct notify_fifo *f, const char *line, size_t len);
/* Its path, as configured. */
const char *notify_fifo_path(const struct notify_fifo *f);
/*
 * The last line was written: the FIFO is unlinked (if we made it) and closed, and the
 * script may read what is left and end; done(arg) when it has (at once when there is
 * none), or after wait_us, when it gets SIGTERM. Then notify_fifo_free() (done may call it).
 */
void notify_fifo_finish(struct notify_fifo *f, uint64_t wait_us, void (*done)(void *arg),
			void *arg);
/* NULL is fine. A script still running gets SIGTERM; no callback runs. */
void notify_fifo_free(struct notify_fifo *f);

/*
 * At config load: who the FIFO f (of gd) is given to: its own user/group, else the
 * default script user (script_user, else keepalived_script if it exists, else ours).
 * False after keepalived's "Invalid user/group for <type> fifo <path> - ignoring".
 */
bool notify_fifo_owner(const struct global_defs *gd, const struct gd_fifo *f, const char *type,
		       uid_t *uid, gid_t *gid);
/* f's settings as one string (a reload compares them); NULL when there is no FIFO. */
char *notify_fifo_sig(const struct gd_fifo *f);

/*
 * Pure: keepalived's VRRP line, `INSTANCE "VI_1" MASTER 100\n` (`GROUP "G" BACKUP 0\n`),
 * into buf; returns its length as snprintf.
 */
size_t notify_fifo_vrrp_line(char *buf, size_t len, bool group, const char *name,
			     const char *state, unsigned prio);
