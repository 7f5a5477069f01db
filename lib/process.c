// SPDX-License-Identifier: GPL-2.0-or-later
/* lib/process.c: scripts from the event loop: keepalived's argv rules, checks, fork/exec with a timeout. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"
#include "process.h"
#include "scheduler.h"
#include "userdb.h"
#include "utils.h"

/* When $PATH is unset: systemd's default, which is what keepalived.service sees. */
#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

static const char *const split_err_names[PROCESS_SPLIT__COUNT] = {
	[PROCESS_SPLIT_OK] = "ok",
	[PROCESS_SPLIT_EMPTY] = "empty",
	[PROCESS_SPLIT_OPEN_SQUOTE] = "open-squote",
	[PROCESS_SPLIT_OPEN_DQUOTE] = "open-dquote",
	[PROCESS_SPLIT_TRAILING_ESCAPE] = "trailing-escape",
	[PROCESS_SPLIT_TOO_MANY] = "too-many",
};

static const char *const check_names[PROCESS_CHECK__COUNT] = {
	[PROCESS_CHECK_OK] = "ok",
	[PROCESS_CHECK_NOT_FOUND] = "not-found",
	[PROCESS_CHECK_NO_ACCESS] = "no-access",
	[PROCESS_CHECK_NOT_EXEC] = "not-exec",
	[PROCESS_CHECK_INSECURE] = "insecure",
};

const char *process_split_err_str(enum process_split_err e)
{
	return (unsigned)e < PROCESS_SPLIT__COUNT ? split_err_names[e] : "?";
}

const char *process_check_str(enum process_check c)
{
	return (unsigned)c < PROCESS_CHECK__COUNT ? check_names[c] : "?";
}

/* --- splitting --- */

static bool is_blank(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

static int hex_digit(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* One escape; *sp is just past the backslash, at a character that is not the NUL. */
static unsigned char unescape(const char **sp)
{
	const char *s = *sp;
	unsigned char c = (unsigned char)*s++;
	unsigned v;

	switch (c) {
	case 'a': v = '\a'; break;
	case 'b': v = '\b'; break;
	case 'E': v = 033; break;
	case 'f': v = '\f'; break;
	case 'n': v = '\n'; break;
	case 'r': v = '\r'; break;
	case 't': v = '\t'; break;
	case 'v': v = '\v'; break;
	case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7':
		v = c - '0';
		for (int n = 1; n < 3 && *s >= '0' && *s <= '7'; n++)
			v = v * 8 + (unsigned)(*s++ - '0');
		v &= 0xff;		/* \400 is 0, \777 is 0xff */
		break;
	case 'x':
		if (hex_digit((unsigned char)*s) < 0) {
			v = 'x';
			break;
		}
		/* every hex digit that follows; the low byte counts (\x4142 is 'B') */
		for (v = 0; hex_digit((unsigned char)*s) >= 0; s++)
			v = ((v << 4) | (unsigned)hex_digit((unsigned char)*s)) & 0xff;
		break;
	case 'c':
		if (!*s) {
			v = 'c';
			break;
		}
		v = (unsigned char)*s++ & 0x1f;	/* \c? is 0x1f, not DEL as in bash */
		break;
	default:
		v = c;
		break;
	}
	*sp = s;
	return (unsigned char)v;
}

enum process_split_err process_split(const char *cmd, char *buf, char **argv, size_t max_argv,
				     int *argc)
{
	const char *s = cmd;
	char *out = buf, *word = NULL;
	size_t n = 0;
	char quote = 0;
	bool is_cut = false;	/* an escaped NUL ended this word's text */

	for (;;) {
		unsigned char c = (unsigned char)*s;

		if (!c && quote)
			return quote == '\'' ? PROCESS_SPLIT_OPEN_SQUOTE : PROCESS_SPLIT_OPEN_DQUOTE;
		if (!c || (!quote && is_blank(c))) {
			if (word) {
				if (n + 2 > max_argv)
					return PROCESS_SPLIT_TOO_MANY;
				*out++ = '\0';
				argv[n++] = word;
				word = NULL;
				is_cut = false;
			}
			if (!c)
				break;
			s++;
			continue;
		}
		if (!word)
			word = out;
		s++;
		if (c == '\\') {
			if (!*s)
				return PROCESS_SPLIT_TRAILING_ESCAPE;
			c = unescape(&s);
		} else if (!quote && (c == '\'' || c == '"')) {
			quote = (char)c;
			continue;
		} else if (quote && c == (unsigned char)quote) {
			quote = 0;
			continue;
		}
		if (!c)
			is_cut = true;
		else if (!is_cut)
			*out++ = (char)c;
	}
	if (!n)
		return PROCESS_SPLIT_EMPTY;
	argv[n] = NULL;
	*argc = (int)n;
	return PROCESS_SPLIT_OK;
}

const char *process_split_msg(enum process_split_err e, const char *cmd, char *buf, size_t len)
{
	switch (e) {
	case PROCESS_SPLIT_OPEN_SQUOTE:
	case PROCESS_SPLIT_OPEN_DQUOTE:
		snprintf(buf, len, "String '%s': missing terminating %c", cmd,
			 e == PROCESS_SPLIT_OPEN_SQUOTE ? '\'' : '"');
		break;
	case PROCESS_SPLIT_TRAILING_ESCAPE:
		snprintf(buf, len, "Missing escape char at end: '%s'", cmd);
		break;
	case PROCESS_SPLIT_TOO_MANY:
		snprintf(buf, len, "Too many parameters (more than %d) in '%s'", PROCESS_MAX_ARGS,
			 cmd);
		break;
	default:
		snprintf(buf, len, "Invalid script '%s' (%s)", cmd, process_split_err_str(e));
		break;
	}
	return buf;
}

/* --- commands --- */

int process_cmd_new(const char *cmdline, uid_t uid, gid_t gid, struct process_cmd **ret,
		    enum process_split_err *err)
{
	size_t len = strlen(cmdline), max = len / 2 + 2;
	struct process_cmd *cmd;
	enum process_split_err e;
	char *buf, **argv;
	int argc = 0;

	if (max > PROCESS_MAX_ARGS + 1)
		max = PROCESS_MAX_ARGS + 1;
	buf = xmalloc(len + 1);
	argv = xcalloc(max, sizeof(*argv));
	e = process_split(cmdline, buf, argv, max, &argc);
	if (err)
		*err = e;
	if (e != PROCESS_SPLIT_OK) {
		free(argv);
		free(buf);
		return -EINVAL;
	}
	cmd = xcalloc(1, sizeof(*cmd));
	cmd->cmdline = xstrdup(cmdline);
	cmd->argv = argv;	/* argv[0] == buf: the first word starts the buffer */
	cmd->argc = argc;
	cmd->path = xstrdup(argv[0]);
	cmd->uid = uid;
	cmd->gid = gid;
	cmd->state = PROCESS_CHECK_OK;
	*ret = cmd;
	return 0;
}

void process_cmd_free(struct process_cmd *cmd)
{
	if (!cmd)
		return;
	free(cmd->argv[0]);	/* the split buffer */
	free(cmd->argv);
	free(cmd->cmdline);
	free(cmd->path);
	free(cmd);
}

bool process_cmd_runnable(const struct process_cmd *cmd)
{
	return cmd->state == PROCESS_CHECK_OK;
}

int process_user_lookup(const char *user, const char *group, uid_t *uid, gid_t *gid)
{
	switch (userdb_lookup(user, group, uid, gid)) {
	case USERDB_OK:
		return 0;
	case USERDB_NO_USER:
		log_err("Script user '%s' does not exist", user);
		break;
	case USERDB_NO_GROUP:
		log_err("Script group '%s' does not exist", userdb_group_name(group));
		break;
	}
	return -ENOENT;
}

bool process_default_user(uid_t *uid, gid_t *gid)
{
	if (userdb_lookup(PROCESS_DEFAULT_USER, NULL, uid, gid) == USERDB_OK)
		return true;
	*uid = getuid();
	*gid = getgid();
	return false;
}

/* --- checks --- */

static void copy_bad(char *bad, size_t bad_len, const char *p, size_t n)
{
	if (!bad || !bad_len)
		return;
	if (n >= bad_len)
		n = bad_len - 1;
	memcpy(bad, p, n);
	bad[n] = '\0';
}

/* The permission class the kernel picks for uid/gid (owner, else group, else other). */
static bool may(const struct stat *st, uid_t uid, gid_t gid, mode_t usr, mode_t grp, mode_t oth)
{
	if (st->st_uid == uid)
		return st->st_mode & usr;
	if (st->st_gid == gid)
		return st->st_mode & grp;
	return st->st_mode & oth;
}

/* Every directory above the file in p (absolute, canonical) must be searchable by uid/gid. */
static enum process_check check_search(const char *p, uid_t uid, gid_t gid, char *bad,
				       size_t bad_len)
{
	struct stat st;

	if (uid == 0)
		return PROCESS_CHECK_OK;	/* CAP_DAC_READ_SEARCH */
	for (const char *sl = strchr(p, '/'); sl; sl = strchr(sl + 1, '/')) {
		char dir[PATH_MAX];
		size_t n = sl == p ? 1 : (size_t)(sl - p);

		memcpy(dir, p, n);
		dir[n] = '\0';
		if (stat(dir, &st) < 0) {
			copy_bad(bad, bad_len, dir, n);
			return PROCESS_CHECK_NOT_FOUND;
		}
		if (!may(&st, uid, gid, S_IXUSR, S_IXGRP, S_IXOTH)) {
			copy_bad(bad, bad_len, dir, n);
			return PROCESS_CHECK_NO_ACCESS;
		}
	}
	return PROCESS_CHECK_OK;
}

bool process_needs_protection(uid_t uid, gid_t gid, const struct stat *st)
{
	return uid == 0 || gid == 0 ||
	       (st->st_uid == 0 && (st->st_mode & S_ISUID) && (st->st_mode & S_IXUSR)) ||
	       (st->st_gid == 0 && (st->st_mode & S_ISGID) && (st->st_mode & S_IXGRP));
}

bool process_component_insecure(const struct stat *st)
{
	if (st->st_uid != 0)
		return true;
	if (S_ISLNK(st->st_mode) || (S_ISDIR(st->st_mode) && (st->st_mode & S_ISVTX)))
		return false;
	return (st->st_mode & S_IWOTH) || ((st->st_mode & S_IWGRP) && st->st_gid != 0);
}

/* Every component of p from / down (lstat) must pass process_component_insecure(). */
static enum process_check check_secure(const char *p, char *bad, size_t bad_len)
{
	size_t len = strlen(p);

	for (size_t n = 1; n <= len; n++) {
		char comp[PATH_MAX];
		struct stat st;

		/* "/", then each prefix that ends before a '/' or at the end */
		if (n > 1 && n < len && p[n] != '/')
			continue;
		if (n == 1 && len > 1 && p[1] == '/')
			continue;	/* "//x" is not canonical anyway */
		memcpy(comp, p, n);
		comp[n] = '\0';
		if (lstat(comp, &st) < 0) {
			copy_bad(bad, bad_len, comp, n);
			return PROCESS_CHECK_NOT_FOUND;
		}
		if (process_component_insecure(&st)) {
			copy_bad(bad, bad_len, comp, n);
			return PROCESS_CHECK_INSECURE;
		}
	}
	return PROCESS_CHECK_OK;
}

enum process_check process_script_check(const char *path, uid_t uid, gid_t gid,
					char *resolved, char *bad, size_t bad_len)
{
	char real[PATH_MAX], sib[PATH_MAX];
	const char *use = real, *base = strrchr(path, '/');
	struct stat st, sst;
	enum process_check c;
	char *slash;

	if (!realpath(path, real)) {
		copy_bad(bad, bad_len, path, strlen(path));
		return errno == EACCES ? PROCESS_CHECK_NO_ACCESS : PROCESS_CHECK_NOT_FOUND;
	}
	if (stat(real, &st) < 0) {
		copy_bad(bad, bad_len, real, strlen(real));
		return PROCESS_CHECK_NOT_FOUND;
	}
	/*
	 * A symlink beside its target keeps its own name (argv[0] and $0 then name
	 * the link, as with keepalived), if it still is that file.
	 */
	base = base ? base + 1 : path;
	slash = strrchr(real, '/');
	if (*base && snprintf(sib, sizeof(sib), "%.*s/%s", (int)(slash - real), real, base) <
		     (int)sizeof(sib) &&
	    strcmp(sib, real) && stat(sib, &sst) == 0 && sst.st_dev == st.st_dev &&
	    sst.st_ino == st.st_ino)
		use = sib;
	if (resolved)
		snprintf(resolved, PATH_MAX, "%s", use);

	if ((c = check_search(real, uid, gid, bad, bad_len)) != PROCESS_CHECK_OK)
		return c;
	if (!S_ISREG(st.st_mode) ||
	    !(uid == 0 ? (st.st_mode & (S_IXUSR | S_IXGRP | S_IXOTH)) :
			 may(&st, uid, gid, S_IXUSR, S_IXGRP, S_IXOTH))) {
		copy_bad(bad, bad_len, use, strlen(use));
		return PROCESS_CHECK_NOT_EXEC;
	}
	if (!process_needs_protection(uid, gid, &st))
		return PROCESS_CHECK_OK;
	if ((c = check_secure(real, bad, bad_len)) != PROCESS_CHECK_OK)
		return c;
	return use == sib ? check_secure(sib, bad, bad_len) : PROCESS_CHECK_OK;
}

/*
 * A bare name, as execvp() looks it up: the first regular file in $PATH that the
 * user may execute, else the first regular file at all (so the caller reports it as
 * not executable). An empty $PATH entry is the current directory.
 */
static bool path_search(const char *name, uid_t uid, gid_t gid, char *out)
{
	const char *env = getenv("PATH"), *p, *end;
	bool is_found = false;

	if (!env)
		env = DEFAULT_PATH;
	for (p = env; ; p = end + 1) {
		char cand[PATH_MAX];
		struct stat st;
		int n;

		end = strchrnul(p, ':');
		n = end == p ? snprintf(cand, sizeof(cand), "%s", name) :
			       snprintf(cand, sizeof(cand), "%.*s/%s", (int)(end - p), p, name);
		if (n < (int)sizeof(cand) && stat(cand, &st) == 0 && S_ISREG(st.st_mode)) {
			bool is_exec = uid == 0 ? (st.st_mode & (S_IXUSR | S_IXGRP | S_IXOTH)) :
						  may(&st, uid, gid, S_IXUSR, S_IXGRP, S_IXOTH);

			if (is_exec || !is_found)
				memcpy(out, cand, (size_t)n + 1);
			if (is_exec)
				return true;
			is_found = true;
		}
		if (!*end)
			return is_found;
	}
}

enum process_check process_cmd_prepare(struct process_cmd *cmd, bool script_security)
{
	const char *name = cmd->argv[0], *p = name;
	char found[PATH_MAX], resolved[PATH_MAX], bad[PATH_MAX];
	enum process_check c;

	cmd->is_insecure = false;
	if (!strchr(name, '/')) {
		if (!path_search(name, cmd->uid, cmd->gid, found)) {
			log_err("Cannot find script %s in path - disabling", name);
			return cmd->state = PROCESS_CHECK_NOT_FOUND;
		}
		p = found;
	}
	resolved[0] = '\0';
	c = process_script_check(p, cmd->uid, cmd->gid, resolved, bad, sizeof(bad));
	if (resolved[0]) {
		free(cmd->path);
		cmd->path = xstrdup(resolved);
	}
	if (p == found)
		log_warn("WARNING - script `%s` resolved by path search to `%s`. Please specify "
			 "full path.", name, resolved[0] ? resolved : found);
	switch (c) {
	case PROCESS_CHECK_OK:
		break;
	case PROCESS_CHECK_NOT_FOUND:
	case PROCESS_CHECK_NO_ACCESS:
		log_err("Script %s cannot be accessed - %s", name,
			strerror(c == PROCESS_CHECK_NO_ACCESS ? EACCES : ENOENT));
		break;
	case PROCESS_CHECK_NOT_EXEC:
		log_warn("WARNING - script '%s' is not executable for uid:gid %u:%u - disabling.",
			 cmd->path, (unsigned)cmd->uid, (unsigned)cmd->gid);
		break;
	case PROCESS_CHECK_INSECURE:
		if (!script_security) {
			log_warn("Unsafe permissions found for script '%s'.", cmd->path);
			cmd->is_insecure = true;
			c = PROCESS_CHECK_OK;
			break;
		}
		log_err("Unsafe permissions found for script '%s' - disabling.", cmd->path);
		break;
	case PROCESS_CHECK__COUNT:
		break;
	}
	return cmd->state = c;
}

bool process_security_summary(unsigned n_scripts, unsigned n_insecure, bool script_security)
{
	if (script_security || !n_scripts)
		return false;
	log_warn("SECURITY VIOLATION - scripts are being executed but script_security not "
		 "enabled.%s", n_insecure ? " There are insecure scripts." : "");
	return true;
}

/* --- running --- */

static int set_ids(const struct process_cmd *cmd)
{
	if (geteuid() == 0) {
		/* keepalived gives scripts no supplementary groups: just the one gid */
		if (setgroups(1, &cmd->gid) < 0 || setgid(cmd->gid) < 0 || setuid(cmd->uid) < 0)
			return -errno;
		return 0;
	}
	if (cmd->gid != getegid() && setgid(cmd->gid) < 0)
		return -errno;
	if (cmd->uid != geteuid() && setuid(cmd->uid) < 0)
		return -errno;
	return 0;
}

/* Close-on-exec rather than closed, so the log's socket or file outlives a failing execve(). */
static void cloexec_from(int first)
{
	if (close_range((unsigned)first, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
		return;
	for (int fd = first, max = (int)sysconf(_SC_OPEN_MAX); fd < max && fd < 65536; fd++)
		fcntl(fd, F_SETFD, FD_CLOEXEC);
}

/*
 * glibc's sigaction() refuses its reserved signals (32, 33: thread cancel and setxid),
 * so an SIG_IGN inherited from whoever started the daemon would reach the script.
 * The kernel call takes them; SIG_DFL needs no restorer.
 */
static void reset_reserved_signals(void)
{
	struct { void *handler; unsigned long flags; void *restorer; uint64_t mask; } ka = { 0 };

	for (int signo = 32; signo < SIGRTMIN; signo++)
		syscall(SYS_rt_sigaction, signo, &ka, NULL, sizeof(ka.mask));
}

/* The forked child: never returns. Only what a child of a single-threaded process may do. */
static void (*child_init)(void);

void process_set_child_init(void (*fn)(void))
{
	child_init = fn;
}

static _Noreturn void child_exec(const struct process_cmd *cmd, char **av, pid_t parent)
{
	int fd, r;

	sched_child_reset_signals();
	reset_reserved_signals();
	if (child_init)
		child_init();	/* still with our ids: it may need root to undo what it undoes */
	setpgid(0, 0);
	if ((fd = open("/dev/null", O_RDWR)) >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	cloexec_from(3);
	if ((r = set_ids(cmd)) < 0) {
		log_msg(LOG_ALERT, "Unable to set uid:gid %u:%u for script %s - %s",
			(unsigned)cmd->uid, (unsigned)cmd->gid, cmd->path, strerror(-r));
		_exit(PROCESS_EXEC_FAILED);
	}
	/* After setuid(), which clears it. The parent may be gone already. */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != parent)
		_exit(PROCESS_EXEC_FAILED);
	execve(cmd->path, av, environ);
	r = errno;
	log_msg(LOG_ALERT, "Error exec-ing command '%s', error %d: %s", cmd->path, r, strerror(r));
	_exit(PROCESS_EXEC_FAILED);
}

static int count_extra(const char *const *extra)
{
	int n = 0;

	while (extra && extra[n])
		if (++n > PROCESS_MAX_EXTRA)
			return -E2BIG;
	return n;
}

static pid_t spawn(const struct process_cmd *cmd, const char *const *extra, int n_extra)
{
	char *av[PROCESS_MAX_ARGS + PROCESS_MAX_EXTRA + 2];
	pid_t parent = getpid(), pid;
	int n = 0;

	av[n++] = cmd->path;
	for (int i = 1; i < cmd->argc && i < PROCESS_MAX_ARGS; i++)
		av[n++] = cmd->argv[i];
	for (int i = 0; i < n_extra; i++)
		av[n++] = (char *)extra[i];
	av[n] = NULL;
	if ((pid = fork()) < 0)
		return -errno;
	if (pid == 0)
		child_exec(cmd, av, parent);
	/* Both sides set the group: a timeout's kill(-pid) cannot miss it. */
	setpgid(pid, pid);
	return pid;
}

/*
 * The loop could not watch the child (no fd for a pidfd): kill it and reap it here.
 * waitpid() without WNOHANG, but on a SIGKILLed child that has not reached execve()'s
 * I/O, so it returns at once; only this error path does it.
 */
static void kill_and_reap(pid_t pid)
{
	kill(-pid, SIGKILL);
	kill(pid, SIGKILL);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}

static void signal_group(pid_t pid, int signo)
{
	if (kill(-pid, signo) < 0)
		kill(pid, signo);
}

static void run_reset(struct process_run *run)
{
	sched_cancel(&run->ev_timer);
	sched_cancel(&run->ev_child);
	run->s = NULL;
	run->pid = 0;
	run->state = PROCESS_RUN_IDLE;
	run->fn = NULL;
	run->arg = NULL;
}

static void run_finish(struct process_run *run, int status, bool timed_out)
{
	struct process_result res = { .pid = run->pid, .status = status, .timed_out = timed_out };
	process_done_fn *fn = run->fn;
	void *arg = run->arg;

	run_reset(run);
	fn(arg, &res);		/* may free run's owner: nothing touches run after this */
}

static void run_child_cb(struct sched_ev *ev, void *arg)
{
	struct process_run *run = arg;

	if (sched_ev_why(ev) == SCHED_CHILD_EXIT)
		run_finish(run, sched_ev_status(ev), run->state == PROCESS_RUN_TIMING_OUT);
	else	/* SCHED_CHILD_TIMEOUT: the grace is over; the loop SIGKILLed the group */
		run_finish(run, -1, true);
}

static void run_timeout_cb(struct sched_ev *ev, void *arg)
{
	struct process_run *run = arg;

	(void)ev;
	run->state = PROCESS_RUN_TIMING_OUT;
	signal_group(run->pid, SIGTERM);
	/* The same pid: this only gives the watch its SIGKILL deadline, it cannot fail. */
	if (sched_child(run->s, &run->ev_child, run->pid, PROCESS_TERM_GRACE_US, run_child_cb,
			run) < 0)
		signal_group(run->pid, SIGKILL);
}

int process_run_start(struct sched *s, struct process_run *run, const struct process_cmd *cmd,
		      const char *const *extra, uint64_t timeout_us, process_done_fn *fn, void *arg)
{
	int n_extra = count_extra(extra), r;
	pid_t pid;

	if (run->state != PROCESS_RUN_IDLE)
		return -EBUSY;
	if (!process_cmd_runnable(cmd))
		return -EPERM;
	if (n_extra < 0)
		return n_extra;
	if ((pid = spawn(cmd, extra, n_extra)) < 0)
		return pid;
	run->s = s;
	run->pid = pid;
	run->fn = fn;
	run->arg = arg;
	if ((r = sched_child(s, &run->ev_child, pid, 0, run_child_cb, run)) < 0) {
		kill_and_reap(pid);
		run_reset(run);
		return r;
	}
	if (timeout_us && (r = sched_timer(s, &run->ev_timer, timeout_us, run_timeout_cb, run)) < 0) {
		signal_group(pid, SIGKILL);
		run_reset(run);		/* the loop reaps it */
		return r;
	}
	run->state = PROCESS_RUN_RUNNING;
	return 0;
}

enum process_run_state process_run_state(const struct process_run *run)
{
	return run->state;
}

pid_t process_run_pid(const struct process_run *run)
{
	return run->pid;
}

void process_run_cancel(struct process_run *run)
{
	if (run->state == PROCESS_RUN_IDLE)
		return;
	signal_group(run->pid, SIGTERM);
	run_reset(run);		/* the cancelled child watch still reaps it */
}

static void spawn_reaped_cb(struct sched_ev *ev, void *arg)
{
	(void)ev;
	(void)arg;	/* never called: the watch is cancelled at once */
}

int process_spawn(struct sched *s, const struct process_cmd *cmd, const char *const *extra,
		  pid_t *pid_out)
{
	int n_extra = count_extra(extra), r;
	struct sched_ev *ev = NULL;
	pid_t pid;

	if (!process_cmd_runnable(cmd))
		return -EPERM;
	if (n_extra < 0)
		return n_extra;
	if ((pid = spawn(cmd, extra, n_extra)) < 0)
		return pid;
	if ((r = sched_child(s, &ev, pid, 0, spawn_reaped_cb, NULL)) < 0) {
		kill_and_reap(pid);
		return r;
	}
	sched_cancel(&ev);	/* no callback; the loop keeps the pidfd and reaps it */
	if (pid_out)
		*pid_out = pid;
	return 0;
}
