// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/check/check_file.c: FILE_CHECK: a real server follows a track file's value (spec 2.8). */
#include "check_file.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_drivers.h"
#include "check_api.h"
#include "core/track_file.h"
#include "log.h"
#include "scheduler.h"
#include "utils.h"


/*
 * One inotify watch per probe, on the file's directory (the file may not exist yet,
 * and editors replace it): IN_CLOSE_WRITE or a move in re-reads it, a delete or a move
 * away counts as 0, as keepalived's process_inotify.
 */
struct file_state {
	int fd;				/* inotify */
	bool has_fd;
	int wd;
	struct sched_ev *ev_read;
	char *path;			/* resolved: a real directory + the file's name */
	const char *base;		/* into path */
	int64_t value;			/* the last value read */
	struct ratelimit rl_invalid;	/* its "Invalid number" lines */
};

/* the state and weight the value means for this checker */
void check_file_status(const struct ck_file *f, int64_t value, bool *up, int *weight)
{
	int s = track_file_status(value, f->weight, f->reverse);

	*up = s != TRACK_FILE_FAULT;
	*weight = *up ? s : 0;
}

/* keepalived's process_update_checker_track_file_status, against the checker's own state */
static void file_apply(struct ck_probe *p, int64_t value)
{
	const struct ck_file *f = &ck_probe_conf(p)->u.file;
	struct ce_ck *ck = ck_probe_ck(p);
	bool up;
	int weight;

	check_file_status(f, value, &up, &weight);
	if (!up) {
		if (!ck->is_up)
			return;
		for (struct ck_member *m = ck_probe_members(p); m; m = ck_member_next(m))
			log_detail("(%s): tracked file %s now FAULT state", ck_member_rs_str(m),
				   f->tf->name);
		ck_probe_set_state(p, false, NULL);
		return;
	}
	if (!ck->is_up) {
		for (struct ck_member *m = ck_probe_members(p); m; m = ck_member_next(m))
			log_detail("(%s): tracked file %s leaving FAULT state", ck_member_rs_str(m),
				   f->tf->name);
		if (ck->cur_weight != weight)
			ck_probe_set_weight(p, weight);
		ck_probe_set_state(p, true, NULL);
		return;
	}
	if (ck->cur_weight != weight)
		ck_probe_set_weight(p, weight);
}

static void file_read_and_apply(struct ck_probe *p)
{
	struct file_state *st = ck_probe_state(p);
	int64_t v;

	if (!track_file_read(st->path, &v)) {
		track_file_log_invalid(&st->rl_invalid, st->path, v);
		return;
	}
	st->value = v;
	file_apply(p, v);
}

static void file_inotify_cb(struct sched_ev *ev, void *arg)
{
	struct ck_probe *p = arg;
	struct file_state *st = ck_probe_state(p);
	char buf[sizeof(struct inotify_event) + NAME_MAX + 1]
		__attribute__((aligned(__alignof__(struct inotify_event))));
	ssize_t n;

	(void)ev;
	for (int budget = 64; budget > 0; budget--) {
		n = read(st->fd, buf, sizeof(buf));
		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR)
				log_info("inotify read() returned error %d - %s", errno, strerror(errno));
			return;
		}
		if (n < (ssize_t)sizeof(struct inotify_event)) {
			log_info("inotify read() returned short length %zd", n);
			return;
		}
		for (char *q = buf; q + sizeof(struct inotify_event) <= buf + n;) {
			const struct inotify_event *e = (const struct inotify_event *)q;

			q += sizeof(*e) + e->len;
			if (e->wd != st->wd || (e->mask & IN_ISDIR) || !e->len ||
			    strcmp(e->name, st->base))
				continue;
			if (e->mask & (IN_MOVED_FROM | IN_DELETE)) {
				st->value = 0;
				file_apply(p, 0);
			} else if (e->mask & (IN_CLOSE_WRITE | IN_MOVED_TO)) {
				file_read_and_apply(p);
			}
		}
	}
}

/* keepalived's init_track_files: the real directory of the file (the file may be missing) */
char *check_file_path(const char *path)
{
	return track_file_resolve(path);
}

static void file_release(struct ck_probe *p)
{
	struct file_state *st = ck_probe_state(p);

	sched_cancel(&st->ev_read);
	if (st->has_fd)
		close(st->fd);
	st->has_fd = false;
	free(st->path);
	st->path = NULL;
}

static int file_prepare(struct ck_probe *p)
{
	const struct ck_file *f = &ck_probe_conf(p)->u.file;
	struct file_state *st = ck_probe_state(p);
	char *dir;
	int r;

	if (!f->tf || !f->tf->path)
		return -EINVAL;
	st->path = check_file_path(f->tf->path);
	if (!st->path) {
		log_err("Track file directory for %s does not exist - removing", f->tf->name);
		return -ENOENT;
	}
	st->base = strrchr(st->path, '/') + 1;
	st->fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
	if (st->fd < 0) {
		log_info("Unable to monitor track files");
	} else {
		st->has_fd = true;
		dir = xstrndup(st->path, (size_t)(st->base - st->path));
		st->wd = inotify_add_watch(st->fd, dir, IN_CLOSE_WRITE | IN_DELETE | IN_MOVE);
		free(dir);
		r = st->wd < 0 ? -errno :
		    sched_read(ck_probe_sched(p), &st->ev_read, st->fd, 0, file_inotify_cb, p);
		if (r < 0)
			log_info("Unable to monitor track file %s: %s", f->tf->name, strerror(-r));
	}
	/* there is nothing to run: the file's state is known at once (keepalived: has_run) */
	for (struct ck_member *m = ck_probe_members(p); m; m = ck_member_next(m))
		ck_member_ck(m)->has_run = true;
	file_read_and_apply(p);
	return 0;
}

/* Nothing to do per interval: inotify reports the changes. */
static void file_run(struct ck_probe *p)
{
	ck_probe_schedule(p, ck_probe_conf(p)->delay_loop_us);
}

static bool file_same(const struct ck_conf *a, const struct ck_conf *b)
{
	const struct ck_file *x = &a->u.file, *y = &b->u.file;

	return x->weight == y->weight && x->reverse == y->reverse && x->tf && y->tf &&
	       !strcmp(x->tf->name, y->tf->name) && x->tf->path && y->tf->path &&
	       !strcmp(x->tf->path, y->tf->path);
}

const struct ck_driver ck_driver_file = {
	.type = CK_FILE,
	.state_size = sizeof(struct file_state),
	.prepare = file_prepare,
	.run = file_run,
	.release = file_release,
	.same = file_same,
};
