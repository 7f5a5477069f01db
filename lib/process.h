/* SPDX-License-Identifier: GPL-2.0-or-later */
/* lib/process.h: scripts run from the event loop: argv splitting, spawning as a user, timeouts, script security. */
#pragma once
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

struct sched;

/*
 * Three layers, from config load to run time (keepalived 2.2.7's behaviour, observed):
 *
 *  1. process_split() (pure) turns the one config word of `script`, `notify*`,
 *     `misc_path` ... into argv. process_cmd_new() keeps it with the user it runs as.
 *  2. process_cmd_prepare() at load time: PATH search for a bare name, realpath,
 *     access and script-security checks (process_script_check()), keepalived's lines.
 *  3. process_run_start() / process_spawn() at run time, from a callback: fork and
 *     execve() the argv directly (no shell), watched by sched_child(); never blocks.
 *
 * The child, as keepalived sets it up: signals reset (sched_child_reset_signals()),
 * its own process group (setpgid: a timeout signals the script's children too), the
 * daemon's session, stdin/stdout/stderr on /dev/null (output is not captured), every
 * other fd closed, setgroups({gid}) + setgid + setuid (no supplementary groups),
 * PR_SET_PDEATHSIG = SIGTERM, then execve(cmd->path, argv) with argv[0] = cmd->path.
 * Inherited unchanged: the environment, cwd, umask (keepalived's scripts see the
 * daemon's umask, 0177 by default) and rlimits. keepalived sets no variables.
 */

/* --- 1. argv splitting (pure: no syscalls, no allocation) --- */

/*
 * keepalived's rules for a script string (after the config reader's own quote and
 * escape pass): blanks (isspace) separate words; '...' and "..." quote and join their
 * neighbours (a'b c'd is one word "ab cd", '' is an empty word); a backslash escapes
 * outside and inside both kinds of quotes: \a \b \E \f \n \r \t \v, \NNN (1-3 octal
 * digits, low byte), \xHH... (all hex digits that follow, low byte; none: "x"), \cC
 * (C & 0x1f; at the end: "c"), any other \C is C (\\ \' \" \  ...). A NUL produced
 * by an escape ends its word there. No globbing, no $ expansion, no ~.
 */
enum process_split_err {
	PROCESS_SPLIT_OK,
	PROCESS_SPLIT_EMPTY,		/* no word at all (blank string) */
	PROCESS_SPLIT_OPEN_SQUOTE,	/* a ' is not closed */
	PROCESS_SPLIT_OPEN_DQUOTE,	/* a " is not closed */
	PROCESS_SPLIT_TRAILING_ESCAPE,	/* the string ends with a lone backslash */
	PROCESS_SPLIT_TOO_MANY,		/* more words than max_argv - 1 */
	PROCESS_SPLIT__COUNT
};
const char *process_split_err_str(enum process_split_err e);	/* "open-squote" ... */

/*
 * Split cmd into words. They are written NUL-terminated into buf, which needs
 * strlen(cmd) + 1 bytes; argv[0..*argc-1] point into buf and argv[*argc] = NULL, so
 * argv needs room for the words plus one (strlen(cmd) / 2 + 2 entries always do).
 * *argc is set on PROCESS_SPLIT_OK only.
 */
enum process_split_err process_split(const char *cmd, char *buf, char **argv, size_t max_argv,
				     int *argc);

/*
 * keepalived's message for a split error, into buf (returns buf):
 *   String '<cmd>': missing terminating '        (OPEN_SQUOTE; " for OPEN_DQUOTE)
 *   Missing escape char at end: '<cmd>'           (TRAILING_ESCAPE)
 * keepalived prefixes the first with "(FILE: Line N) " (cfg_error does) and logs the
 * second plainly. EMPTY has no message of its own: the caller logs, for vrrp_script,
 * "No script set for vrrp_script <name> - removing".
 */
const char *process_split_msg(enum process_split_err e, const char *cmd, char *buf, size_t len);

/* --- 2. a configured command --- */

enum process_check {
	PROCESS_CHECK_OK,
	PROCESS_CHECK_NOT_FOUND,	/* no such file (or a bare name not found in PATH) */
	PROCESS_CHECK_NO_ACCESS,	/* the user cannot search a directory on the path */
	PROCESS_CHECK_NOT_EXEC,		/* not a regular file the user may execute */
	PROCESS_CHECK_INSECURE,		/* runs as root but writable by a non-root user (below) */
	PROCESS_CHECK__COUNT
};
const char *process_check_str(enum process_check c);		/* "not-found" ... */

/* A command as configured. Read-only for callers (dumps, log lines); owns everything. */
struct process_cmd {
	char *cmdline;		/* the config word as written */
	char **argv;		/* split, NULL-terminated; argv[0] stays as written */
	int argc;
	char *path;		/* what execve() runs, passed as argv[0]: argv[0] until
				 * process_cmd_prepare() resolves it */
	uid_t uid;		/* who runs it */
	gid_t gid;
	enum process_check state;	/* from process_cmd_prepare(); OK until then */
	bool is_insecure;	/* INSECURE found but run anyway (no enable_script_security) */
};

#define PROCESS_MAX_ARGS 256	/* words in one command line */
#define PROCESS_MAX_EXTRA 8	/* extra arguments at run time (notify passes 4) */

/*
 * Splits cmdline (see process_split) and stores uid/gid. 0, or -EINVAL with *err
 * (may be NULL) saying why. Config time only (allocates).
 */
int process_cmd_new(const char *cmdline, uid_t uid, gid_t gid, struct process_cmd **ret,
		    enum process_split_err *err);
void process_cmd_free(struct process_cmd *cmd);		/* NULL is fine */
/* OK, or INSECURE found without enable_script_security: what process_run_start() allows. */
bool process_cmd_runnable(const struct process_cmd *cmd);

/*
 * Names to ids, at config time (getpwnam/getgrnam may ask NSS). group NULL: the
 * user's primary group. 0, or -ENOENT after logging keepalived's
 * "Script user '<user>' does not exist" / "Script group '<group>' does not exist".
 * (For notify scripts keepalived then logs
 * "Invalid user/group for notify script <script> - ignoring".)
 */
int process_user_lookup(const char *user, const char *group, uid_t *uid, gid_t *gid);

#define PROCESS_DEFAULT_USER "keepalived_script"
/*
 * keepalived's default script user when global_defs has no script_user: "keepalived_script"
 * if it exists (true), else the daemon's own uid/gid (false). Logs nothing. keepalived
 * then logs once: without enable_script_security "Script user 'keepalived_script' does
 * not exist" and runs scripts as root; with it, "(FILE: Line N) Unable to set default
 * user keepalived_script for script" and drops each script without a user of its own:
 * "(FILE: Line N) Unable to set default user for vrrp script <name> - removing"
 * (-t then exits 5).
 */
bool process_default_user(uid_t *uid, gid_t *gid);

/*
 * Can uid/gid run path, and is it safe? Resolves path with realpath() (relative paths
 * against the cwd) into resolved (PATH_MAX bytes, may be NULL), then checks, for the
 * user (uid and gid only: the child gets no supplementary groups): every directory on
 * the resolved path searchable, the file a regular file with the x bit of the user's
 * class (root: any x bit). If the original file name exists in the resolved directory
 * and is the same file (a symlink next to its target), that name is kept as the
 * resolved path, as keepalived does, and both are checked.
 * Only when the script runs with root's rights (process_needs_protection()), keepalived's
 * "don't run scripts as root if any part of the path is writable by a non-root user":
 * no component from / down may be process_component_insecure().
 * Does stat()/realpath() but no logging: usable from -t, the loaders and tests.
 * bad (bad_len bytes, may be NULL) gets the offending path for any result but OK.
 */
enum process_check process_script_check(const char *path, uid_t uid, gid_t gid,
					char *resolved, char *bad, size_t bad_len);

/*
 * The pure rules of script security (keepalived 2.2.7's), on stat results.
 * process_needs_protection(): does a script run with root's rights? As uid 0 or gid 0
 * (`user nobody root` is root's group), or because the file (st: stat() of it) is
 * setuid root (owner 0, S_ISUID and S_IXUSR) or setgid root (group 0, S_ISGID, S_IXGRP).
 * process_component_insecure(): may anyone but root change this component of its path
 * (st: lstat() of it)? Yes if it is not owned by root; else, unless it is a symlink or
 * a sticky directory (like /tmp), if it is world-writable or group-writable with a
 * group other than 0.
 */
bool process_needs_protection(uid_t uid, gid_t gid, const struct stat *st);
bool process_component_insecure(const struct stat *st);

/*
 * At config load, once cmd->uid/gid are final: resolve argv[0] (a name without '/' is
 * searched in $PATH), process_script_check(), set cmd->path and cmd->state, and log
 * keepalived's lines (the caller adds its own, in brackets):
 *   WARNING - script `<name>` resolved by path search to `<path>`. Please specify full path.
 *   Cannot find script <name> in path - disabling
 *   Script <argv0> cannot be accessed - <strerror>
 *      [vrrp: Disabling track script <name> since not found/accessible]
 *   WARNING - script '<path>' is not executable for uid:gid <uid>:<gid> - disabling.
 *   Unsafe permissions found for script '<path>' - disabling.     (script_security)
 *      [vrrp: Disabling track script <name> due to insecure]
 *   Unsafe permissions found for script '<path>'.                 (without it)
 * Without script_security an insecure script stays runnable (cmd->is_insecure, state
 * OK). Returns cmd->state.
 */
enum process_check process_cmd_prepare(struct process_cmd *cmd, bool script_security);

/*
 * After all scripts are prepared: without script_security and with any script
 * configured, logs keepalived's
 *   SECURITY VIOLATION - scripts are being executed but script_security not enabled.
 * with " There are insecure scripts." appended if n_insecure > 0, and returns true
 * (keepalived -t then exits 6). Otherwise logs nothing and returns false.
 */
bool process_security_summary(unsigned n_scripts, unsigned n_insecure, bool script_security);

/* --- 3. running --- */

/* keepalived 2.2.7: SIGTERM to the group at the timeout, SIGKILL this long after. */
#define PROCESS_TERM_GRACE_US 2000000
/*
 * Exit status of a child whose execve() failed (it logs, at LOG_ALERT,
 * "Error exec-ing command '<path>', error <errno>: <strerror>").
 * Deviation: keepalived 2.2.7's child exits 0 then, so a vrrp_script whose file
 * vanished or lost its x bit counts as succeeding; we report a failure.
 */
#define PROCESS_EXEC_FAILED 127

struct process_result {
	pid_t pid;
	int status;		/* wait status (WIFEXITED/WEXITSTATUS, WIFSIGNALED/WTERMSIG);
				 * -1 when SIGKILLed after the grace or reaped elsewhere */
	bool timed_out;		/* ran past its timeout (SIGTERM, maybe SIGKILL, was sent) */
};
/* Called once per run, when the process is gone; the run is idle again, and the
 * callback may start it again or free the object it is embedded in. */
typedef void process_done_fn(void *arg, const struct process_result *res);

enum process_run_state {
	PROCESS_RUN_IDLE,
	PROCESS_RUN_RUNNING,
	PROCESS_RUN_TIMING_OUT,	/* past the timeout, SIGTERM sent, not gone yet */
};

/*
 * Embed in the owner's object, zeroed; one run at a time. Fields are private.
 * (keepalived's vrrp caller logs "Track script <name> is already running, expect
 * idle - skipping run" / "... is being timed out, expect idle - skipping run" when
 * its interval fires in RUNNING / TIMING_OUT.)
 */
struct process_run {
	struct sched *s;
	struct sched_ev *ev_child;
	struct sched_ev *ev_timer;
	pid_t pid;
	enum process_run_state state;
	process_done_fn *fn;
	void *arg;
};

/*
 * Fork and exec cmd with argv = cmd->argv (argv[0] = cmd->path) followed by extra
 * (NULL-terminated, at most PROCESS_MAX_EXTRA, may be NULL; notify's "INSTANCE"
 * "VI_1" "MASTER" "100"). With timeout_us (0: none) passed: SIGTERM to the process
 * group, SIGKILL PROCESS_TERM_GRACE_US later, then fn with timed_out. Safe in a
 * callback. Returns 0; -EBUSY if run is not idle; -EPERM unless
 * process_cmd_runnable(cmd); -E2BIG for too many extras; or -errno from fork or the
 * child watch (nothing is left running then).
 */
int process_run_start(struct sched *s, struct process_run *run, const struct process_cmd *cmd,
		      const char *const *extra, uint64_t timeout_us, process_done_fn *fn, void *arg);
enum process_run_state process_run_state(const struct process_run *run);
pid_t process_run_pid(const struct process_run *run);	/* 0 when idle */
/*
 * No callback will run: a running process group gets SIGTERM (as keepalived does to
 * running scripts when it stops) and the loop reaps it. Idempotent; safe in callbacks.
 */
void process_run_cancel(struct process_run *run);

/*
 * fn runs in every script's process after the fork, before its user and group are set
 * and it execs (NULL: none): for what the daemon changed of itself that a script must
 * not inherit (its nice value, its RLIMIT_RTTIME). One per process.
 */
void process_set_child_init(void (*fn)(void));

/*
 * Fire and forget (notify scripts: keepalived gives them no timeout): spawn, let the
 * loop reap it, report nothing. *pid (may be NULL) gets the child. Errors as above.
 */
int process_spawn(struct sched *s, const struct process_cmd *cmd, const char *const *extra,
		  pid_t *pid);
