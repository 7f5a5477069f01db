/* SPDX-License-Identifier: GPL-2.0-or-later */
/* lib/process.h: scripts run from the event loop: argv splitting, spawning as a user, timeouts, script security. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct sched;
struct sched_ev;

/*
 * Three layers, from config load to run time:
 *
 *  1. process_split() (pure) turns the one config word of `script`, `notify*`,
 *     `misc_path` ... into argv, as keepalived does. process_cmd_new() keeps the
 *     result with the user it runs as.
 *  2. process_cmd_prepare() at load time: PATH search for a bare name, access and
 *     script-security checks (process_script_check()), keepalived's log lines.
 *  3. process_run_start() / process_spawn() at run time, from a callback: fork,
 *     exec the argv directly (no shell), watch with sched_child(); never blocks.
 *
 * The child: signals reset (sched_child_reset_signals()), its own process group
 * (so a timeout kills the script's children too), setgroups/setgid/setuid to the
 * cmd's user, stdin/stdout/stderr on /dev/null, every other fd closed, the
 * daemon's environment (see process.c for keepalived's rules), then execve().
 */

/* --- 1. argv splitting (pure: no syscalls, no allocation) --- */

enum process_split_err {
	PROCESS_SPLIT_OK,
	PROCESS_SPLIT_EMPTY,		/* no word at all (blank string) */
	PROCESS_SPLIT_TOO_MANY,		/* more words than max_argv - 1 */
	PROCESS_SPLIT__COUNT
};
const char *process_split_err_str(enum process_split_err e);

/*
 * Split cmd into words (keepalived's rules for script strings: see process.c).
 * The words are written NUL-separated into buf, which needs strlen(cmd) + 1 bytes;
 * argv[0..*argc-1] point into buf and argv[*argc] = NULL, so argv needs room for
 * the words plus one. strlen(cmd) / 2 + 2 entries always suffice.
 */
enum process_split_err process_split(const char *cmd, char *buf, char **argv, size_t max_argv,
				     int *argc);

/* --- 2. a configured command --- */

enum process_check {
	PROCESS_CHECK_OK,
	PROCESS_CHECK_NOT_FOUND,	/* the file (or a directory on its path) does not exist */
	PROCESS_CHECK_NO_ACCESS,	/* the user cannot reach it (search permission, EACCES) */
	PROCESS_CHECK_NOT_EXEC,		/* not a regular file the user may execute */
	PROCESS_CHECK_INSECURE,		/* run as root, but writable by a non-root user (below) */
	PROCESS_CHECK__COUNT
};
const char *process_check_str(enum process_check c);

/*
 * A command as configured. Fields are read-only for callers (dumps, log lines);
 * everything is owned by the struct.
 */
struct process_cmd {
	char *cmdline;		/* the config word as written (keepalived's logs quote it) */
	char **argv;		/* split, NULL-terminated; argv[0] as written */
	int argc;
	char *path;		/* what execve() runs: argv[0], or its PATH search result */
	uid_t uid;		/* who runs it */
	gid_t gid;
	enum process_check state;	/* from process_cmd_prepare(); OK until then */
};

/*
 * Splits cmdline and stores uid/gid. 0, or -EINVAL (blank, or more than
 * PROCESS_MAX_ARGS words). Config time only (allocates).
 */
#define PROCESS_MAX_ARGS 256
int process_cmd_new(const char *cmdline, uid_t uid, gid_t gid, struct process_cmd **ret);
void process_cmd_free(struct process_cmd *cmd);		/* NULL is fine */

/*
 * User names to ids, at config time (getpwnam/getgrnam may ask NSS). group NULL:
 * the user's primary group. 0, or -ENOENT when the user or group is unknown.
 */
int process_user_lookup(const char *user, const char *group, uid_t *uid, gid_t *gid);
/*
 * keepalived's default script user: "keepalived_script" if that user exists
 * (*is_default_user = true), else the daemon's own uid/gid.
 */
void process_default_user(uid_t *uid, gid_t *gid, bool *is_default_user);

/*
 * Can uid/gid run path, and is it safe? path should be absolute. Checks, with the
 * user's permissions (uid, gid and the user's supplementary groups): every
 * directory on the path searchable, the file a regular file with an x bit for
 * the user. When uid is 0 it also checks keepalived's rule "don't run scripts
 * as root if any part of the path is writable by a non-root user": the file and
 * every directory up to / (following symlinks, every component of each link's
 * target too) must be owned by root and not group- or world-writable, except a
 * sticky directory owned by root (like /tmp) does not make its entries insecure
 * by itself. Does stat()/readlink() but no logging: usable from -t, the loaders
 * and the runtime. If bad is not NULL, the offending path component is copied
 * there (bad_len bytes, NUL-terminated) for INSECURE/NO_ACCESS/NOT_FOUND.
 */
enum process_check process_script_check(const char *path, uid_t uid, gid_t gid, char *bad,
					size_t bad_len);

/*
 * At config load, once cmd->uid/gid are final: resolve argv[0] (a name without
 * '/' is searched in PATH, with keepalived's warning), run process_script_check(),
 * log keepalived's lines for a missing, unreachable, non-executable or insecure
 * script, and set cmd->state. script_security: global_defs enable_script_security
 * (an insecure script is then refused; without it, it is run, and the caller logs
 * process_security_violation_msg once if any script runs as root).
 * Returns cmd->state; the caller disables the script unless it is OK (or INSECURE
 * without script_security), and counts INSECURE for -t's exit code 6.
 */
enum process_check process_cmd_prepare(struct process_cmd *cmd, bool script_security);
extern const char process_security_violation_msg[];

/* --- 3. running --- */

struct process_result {
	pid_t pid;
	int status;		/* wait status (WIFEXITED/WEXITSTATUS...); -1 unknown or timed out */
	bool timed_out;		/* ran past timeout_us; being terminated in the background */
};
/* Called once per run; the run is idle again, and the callback may free its owner. */
typedef void process_done_fn(void *arg, const struct process_result *res);

/* Embed in the owner's object and zero it; one run at a time. Fields are private. */
struct process_run {
	struct sched *s;
	struct sched_ev *ev_child;
	pid_t pid;
	process_done_fn *fn;
	void *arg;
};

/*
 * Fork and exec cmd with argv = cmd->argv followed by extra (NULL-terminated, may be
 * NULL: notify's "INSTANCE" "VI_1" "MASTER" "100"). Safe in a callback. With
 * timeout_us (0: none) passed, fn gets timed_out = true and the process group is
 * terminated in the background (SIGTERM, then SIGKILL) and reaped by the loop.
 * Returns 0; -EBUSY if run is already running; -EPERM if cmd->state forbids running;
 * or -errno from fork/pidfd_open (nothing is left running then).
 * An exec failure in the child is logged by the child, which exits with status 127
 * (the callback sees that).
 */
int process_run_start(struct sched *s, struct process_run *run, const struct process_cmd *cmd,
		      const char *const *extra, uint64_t timeout_us, process_done_fn *fn, void *arg);
bool process_run_active(const struct process_run *run);
pid_t process_run_pid(const struct process_run *run);	/* 0 when idle */
/*
 * No callback will run; a running process group is terminated (SIGTERM, then
 * SIGKILL) and reaped in the background. Idempotent; safe in any callback.
 */
void process_run_cancel(struct process_run *run);

/*
 * Fire and forget (notify scripts): spawn, let the loop reap it, report nothing.
 * timeout_us 0: none. *pid (may be NULL) gets the child. Same errors as above.
 */
int process_spawn(struct sched *s, const struct process_cmd *cmd, const char *const *extra,
		  uint64_t timeout_us, pid_t *pid);
