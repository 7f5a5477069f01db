// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/core/notify_fifo.c: a notify FIFO (notify_fifo, vrrp_/lvs_notify_fifo) and its script. */
#include "notify_fifo.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "global_defs.h"
#include "log.h"
#include "process.h"
#include "scheduler.h"
#include "userdb.h"
#include "utils.h"

struct notify_fifo {
	struct sched *s;
	char *path;
	int fd;				/* -1 once finished */
	bool created;			/* we made it: unlinked when we close it */
	const char *exit_line;		/* borrowed: a string constant */
	struct process_run run;		/* the FIFO script */
	struct sched_ev *ev_wait;	/* finish: how long the script may still run */
	void (*done)(void *arg);
	void *done_arg;
};

size_t notify_fifo_vrrp_line(char *buf, size_t len, bool group, const char *name,
			     const char *state, unsigned prio)
{
	int n = snprintf(buf, len, "%s \"%s\" %s %u\n", group ? "GROUP" : "INSTANCE", name, state,
			 prio);

	return n > 0 ? (size_t)n : 0;
}

static void finished(struct notify_fifo *f)
{
	void (*done)(void *arg) = f->done;

	sched_cancel(&f->ev_wait);
	f->done = NULL;
	if (done)
		done(f->done_arg);
}

static void script_done_cb(void *arg, const struct process_result *res)
{
	struct notify_fifo *f = arg;

	(void)res;
	if (f->exit_line)
		log_info("%s", f->exit_line);
	finished(f);
}

int notify_fifo_open(struct sched *s, const struct notify_fifo_conf *c, struct notify_fifo **ret)
{
	struct notify_fifo *f;
	struct stat st;
	int r;

	f = xcalloc(1, sizeof(*f));
	f->s = s;
	f->fd = -1;
	f->path = xstrdup(c->path);
	f->exit_line = c->exit_line;
	if (mkfifo(c->path, S_IRUSR | S_IWUSR | S_IRGRP | S_IROTH) == 0) {
		f->created = true;	/* given to its user once opened (fchown: no path race) */
	} else if (errno != EEXIST) {
		r = -errno;
		log_info("Unable to create %snotify fifo %s", c->type, c->path);
		notify_fifo_free(f);
		return r;
	}
	/* the script first, as keepalived: it opens the FIFO for reading while we open it */
	if (c->script && process_cmd_runnable(c->script) &&
	    (r = process_run_start(s, &f->run, c->script, (const char *const[]){ c->path, NULL },
				   0, script_done_cb, f)) < 0)
		log_warn("Cannot run %snotify_fifo_script %s: %s", c->type, c->script->cmdline,
			 strerror(-r));
	f->fd = open(c->path, O_RDWR | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW);
	if (f->fd < 0) {
		r = -errno;
		log_info("Unable to open %snotify fifo %s - errno %d", c->type, c->path, -r);
		notify_fifo_free(f);
		return r;
	}
	/* a file that is there already must be a FIFO: never write as root into a file */
	if (fstat(f->fd, &st) < 0 || !S_ISFIFO(st.st_mode)) {
		log_info("Unable to open %snotify fifo %s - it is not a FIFO", c->type, c->path);
		notify_fifo_free(f);
		return -EINVAL;
	}
	if (f->created && (c->uid != geteuid() || c->gid != getegid()) &&
	    fchown(f->fd, c->uid != geteuid() ? c->uid : (uid_t)-1,
		   c->gid != getegid() ? c->gid : (gid_t)-1) < 0)
		log_info("Failed to set uid:gid for fifo %s", c->path);
	*ret = f;
	return 0;
}

const char *notify_fifo_path(const struct notify_fifo *f)
{
	return f->path;
}

void notify_fifo_write(struct notify_fifo *f, const char *line, size_t len)
{
	ssize_t n;

	if (!f || f->fd < 0)
		return;
	/* a FIFO takes up to PIPE_BUF bytes whole or not at all: a line is never cut */
	do
		n = write(f->fd, line, len);
	while (n < 0 && errno == EINTR);
}

static void close_fifo(struct notify_fifo *f)
{
	/* unlinked first, so that a script that opens it again finds nothing */
	if (f->created)
		unlink(f->path);
	f->created = false;
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
}

static void wait_cb(struct sched_ev *ev, void *arg)
{
	struct notify_fifo *f = arg;

	(void)ev;
	process_run_cancel(&f->run);
	finished(f);
}

void notify_fifo_finish(struct notify_fifo *f, uint64_t wait_us, void (*done)(void *arg),
			void *arg)
{
	close_fifo(f);
	f->done = done;
	f->done_arg = arg;
	if (process_run_state(&f->run) == PROCESS_RUN_IDLE) {
		finished(f);
		return;
	}
	if (sched_timer(f->s, &f->ev_wait, wait_us, wait_cb, f) < 0)
		wait_cb(NULL, f);
}

void notify_fifo_free(struct notify_fifo *f)
{
	if (!f)
		return;
	sched_cancel(&f->ev_wait);
	process_run_cancel(&f->run);
	close_fifo(f);
	free(f->path);
	free(f);
}

char *notify_fifo_sig(const struct gd_fifo *f)
{
	if (!f->path)
		return NULL;
	return xasprintf("%s|%s|%s|%s|%s|%s", f->path, f->user ? f->user : "",
			 f->group ? f->group : "", f->script ? f->script : "",
			 f->script_user ? f->script_user : "", f->script_group ? f->script_group : "");
}

bool notify_fifo_owner(const struct global_defs *gd, const struct gd_fifo *f, const char *type,
		       uid_t *uid, gid_t *gid)
{
	const char *user = f->user ? f->user : global_defs_script_user(gd);
	const char *group = f->user ? f->group : global_defs_script_group(gd);

	if (!user) {
		if (!process_default_user(uid, gid)) {
			*uid = geteuid();
			*gid = getegid();
		}
		return true;
	}
	if (userdb_lookup(user, group, uid, gid) == USERDB_OK)
		return true;
	log_info("Invalid user/group for %s fifo %s - ignoring", type, f->path);
	return false;
}
