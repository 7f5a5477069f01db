// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/core/track_process.c: counting the running processes that match track_process specs. */
#include "track_process.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/netlink.h>
#include <sys/socket.h>

#include "log.h"
#include "scheduler.h"
#include "utils.h"

#define CMDLINE_MAX 4096
#define ACK_WAIT_US 100000	/* keepalived waits 100 ms for the kernel's answer */
#define SCAN_STEP 32		/* processes read per loop iteration by a periodic scan */

/* ---- pure ---- */

static bool params_match(const struct track_proc_spec *s, const char *p, size_t len)
{
	if (s->match == TRACK_PROC_PARAMS_EXACT)
		return len == s->params_len && (!len || !memcmp(p, s->params, len));
	if (!s->params)
		return true;
	if (len < s->params_len)
		return false;
	if (s->match == TRACK_PROC_PARAMS_PARTIAL)
		return !memcmp(p, s->params, s->params_len);
	/* initial: the last configured word may be the start of the process's one */
	return !memcmp(p, s->params, s->params_len - 1);
}

bool track_proc_match(const struct track_proc_spec *s, const char *comm, const char *cmdline,
		      size_t len)
{
	size_t n;

	if (!s->full_command)
		return comm && !strcmp(comm, s->name);
	if (!cmdline || !len)
		return false;
	n = strnlen(cmdline, len);
	if (n == len || strcmp(cmdline, s->name))
		return false;
	if (s->match == TRACK_PROC_PARAMS_NONE)
		return true;
	return params_match(s, cmdline + n + 1, len - n - 1);
}

bool track_proc_stat_comm(char *buf, size_t len, const char **comm)
{
	char *open, *close;

	buf[len] = '\0';
	open = strchr(buf, '(');
	close = strrchr(buf, ')');	/* a comm may hold ')' itself */
	if (!open || !close || close < open || close[1] != ' ' || !close[2])
		return false;
	*close = '\0';
	*comm = open + 1;
	return close[2] != 'Z';
}

enum track_proc_act track_proc_step(bool have, bool want, bool fork_delay, bool terminate_delay,
				    enum track_proc_pending *pending)
{
	enum track_proc_pending dir = want ? TRACK_PROC_GAINING : TRACK_PROC_LOSING;

	if (want == have) {
		if (*pending == TRACK_PROC_NONE)
			return TRACK_PROC_KEEP;
		/* back before the delay ended: nothing happened */
		*pending = TRACK_PROC_NONE;
		return TRACK_PROC_CANCEL;
	}
	if (*pending == dir)
		return TRACK_PROC_KEEP;
	if (want ? fork_delay : terminate_delay) {
		*pending = dir;
		return TRACK_PROC_ARM;
	}
	*pending = TRACK_PROC_NONE;
	return TRACK_PROC_REPORT;
}

/* ---- the monitor ---- */

struct pid_set {
	pid_t *v;
	unsigned n, cap;
};

struct track_proc_mon {
	struct sched *s;
	const struct track_proc_spec *specs;	/* borrowed */
	unsigned n_specs;
	struct pid_set *sets;		/* one per spec */
	struct pid_set *next;		/* a periodic scan's sets, while it runs */
	DIR *scan_dir;			/* the periodic scan under way; NULL: none */
	uint64_t scan_start_us;
	unsigned *reported;		/* the counts cb was last told of */
	bool need_comm, need_cmdline;
	track_proc_mon_fn *cb;
	void *arg;
	int fd;				/* the connector; -1: scanning */
	bool acked;
	struct sched_ev *ev_read, *ev_timer;
	char *cmd_buf;			/* CMDLINE_MAX + 1 */
};

static bool set_has(const struct pid_set *ps, pid_t pid)
{
	for (unsigned i = 0; i < ps->n; i++)
		if (ps->v[i] == pid)
			return true;
	return false;
}

static void set_add(struct pid_set *ps, pid_t pid)
{
	if (set_has(ps, pid))
		return;
	if (ps->n == ps->cap) {
		ps->cap = ps->cap ? 2 * ps->cap : 4;
		ps->v = xrealloc(ps->v, ps->cap * sizeof(*ps->v));
	}
	ps->v[ps->n++] = pid;
}

static void set_del(struct pid_set *ps, pid_t pid)
{
	for (unsigned i = 0; i < ps->n; i++)
		if (ps->v[i] == pid) {
			ps->v[i] = ps->v[--ps->n];
			return;
		}
}

static ssize_t read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, size);
	close(fd);
	return n;
}

/*
 * Reads what the specs need of process pid. false: it is gone, a zombie, or unreadable.
 * comm points into stat_buf, cmdline is m->cmd_buf.
 */
static bool read_proc(struct track_proc_mon *m, const char *pid, char *stat_buf, size_t size,
		      const char **comm, size_t *cmd_len)
{
	char path[64];
	ssize_t n;

	*comm = NULL;
	*cmd_len = 0;
	if (m->need_comm) {
		snprintf(path, sizeof(path), "/proc/%s/stat", pid);
		n = read_file(path, stat_buf, size - 1);
		if (n <= 0 || !track_proc_stat_comm(stat_buf, (size_t)n, comm))
			return false;
	}
	if (m->need_cmdline) {
		snprintf(path, sizeof(path), "/proc/%s/cmdline", pid);
		n = read_file(path, m->cmd_buf, CMDLINE_MAX);
		if (n < 0)
			return false;
		m->cmd_buf[n] = '\0';
		*cmd_len = (size_t)n;
	}
	return true;
}

/* Re-reads process pid and puts it into (or takes it out of) each spec's set. */
static void check_pid(struct track_proc_mon *m, pid_t pid)
{
	char id[16], stat_buf[512];
	const char *comm;
	size_t len;
	bool ok;

	snprintf(id, sizeof(id), "%d", (int)pid);
	ok = read_proc(m, id, stat_buf, sizeof(stat_buf), &comm, &len);
	for (unsigned i = 0; i < m->n_specs; i++) {
		if (ok && track_proc_match(&m->specs[i], comm, m->cmd_buf, len))
			set_add(&m->sets[i], pid);
		else
			set_del(&m->sets[i], pid);
	}
}

/* Up to max processes of d into sets; false once d is exhausted. */
static bool scan_some(struct track_proc_mon *m, DIR *d, struct pid_set *sets, unsigned max)
{
	struct dirent *e;
	char stat_buf[512];

	while (max && (e = readdir(d))) {
		const char *comm;
		size_t len;

		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		max--;
		if (!read_proc(m, e->d_name, stat_buf, sizeof(stat_buf), &comm, &len))
			continue;
		for (unsigned i = 0; i < m->n_specs; i++)
			if (track_proc_match(&m->specs[i], comm, m->cmd_buf, len))
				set_add(&sets[i], (pid_t)atoi(e->d_name));
	}
	return max == 0;
}

static void scan_stop(struct track_proc_mon *m)
{
	if (m->scan_dir)
		closedir(m->scan_dir);
	m->scan_dir = NULL;
}

/* The whole of /proc at once (at start, and when the connector's events were lost). */
static void scan(struct track_proc_mon *m)
{
	DIR *d = opendir("/proc");

	scan_stop(m);
	for (unsigned i = 0; i < m->n_specs; i++)
		m->sets[i].n = 0;
	if (!d) {
		log_err("Cannot read /proc for track_process: %s", strerror(errno));
		return;
	}
	while (scan_some(m, d, m->sets, UINT32_MAX))
		;
	closedir(d);
}

/* Tells the caller of each count that changed since it was last told. */
static void report(struct track_proc_mon *m)
{
	for (unsigned i = 0; i < m->n_specs; i++)
		if (m->sets[i].n != m->reported[i]) {
			m->reported[i] = m->sets[i].n;
			m->cb(m->arg, i);
		}
}

/*
 * A periodic scan reads SCAN_STEP processes per loop iteration (a whole /proc takes some
 * ms: the loop must not stall on it), then the counts change at once, and the next scan
 * starts TRACK_PROC_SCAN_US after this one started.
 */
static void scan_timer_cb(struct sched_ev *ev, void *arg)
{
	struct track_proc_mon *m = arg;

	(void)ev;
	if (!m->scan_dir) {
		m->scan_dir = opendir("/proc");
		if (!m->scan_dir) {
			log_err("Cannot read /proc for track_process: %s", strerror(errno));
			sched_timer(m->s, &m->ev_timer, TRACK_PROC_SCAN_US, scan_timer_cb, m);
			return;
		}
		m->scan_start_us = sched_now_us(m->s);
		for (unsigned i = 0; i < m->n_specs; i++)
			m->next[i].n = 0;
	}
	if (scan_some(m, m->scan_dir, m->next, SCAN_STEP)) {
		sched_timer(m->s, &m->ev_timer, 0, scan_timer_cb, m);
		return;
	}
	scan_stop(m);
	for (unsigned i = 0; i < m->n_specs; i++) {
		struct pid_set t = m->sets[i];

		m->sets[i] = m->next[i];
		m->next[i] = t;
	}
	sched_timer_at(m->s, &m->ev_timer, m->scan_start_us + TRACK_PROC_SCAN_US, scan_timer_cb, m);
	report(m);
}

static int send_mcast_op(int fd, enum proc_cn_mcast_op op)
{
	struct {
		struct nlmsghdr nl;
		struct cn_msg cn;
		enum proc_cn_mcast_op op;
	} __attribute__((packed)) msg = {
		.nl = { .nlmsg_len = sizeof(msg), .nlmsg_type = NLMSG_DONE, .nlmsg_pid = 0 },
		.cn = { .id = { .idx = CN_IDX_PROC, .val = CN_VAL_PROC }, .len = sizeof(op) },
		.op = op,
	};
	struct sockaddr_nl to = { .nl_family = AF_NETLINK };

	if (sendto(fd, &msg, sizeof(msg), 0, (struct sockaddr *)&to, sizeof(to)) < 0)
		return -errno;
	return 0;
}

static void close_connector(struct track_proc_mon *m)
{
	sched_cancel(&m->ev_read);
	if (m->fd >= 0) {
		if (m->acked)
			send_mcast_op(m->fd, PROC_CN_MCAST_IGNORE);
		close(m->fd);
	}
	m->fd = -1;
	m->acked = false;
}

/* From now on: a scan of /proc every TRACK_PROC_SCAN_US (a first one at once). */
static void fall_back(struct track_proc_mon *m, const char *why)
{
	close_connector(m);
	log_info("track_process: %s - the process events of the kernel cannot be had (they exist "
		 "only in the initial network namespace): scanning /proc every %u s instead", why,
		 TRACK_PROC_SCAN_US / 1000000);
	sched_timer(m->s, &m->ev_timer, 0, scan_timer_cb, m);
}

static void ack_timer_cb(struct sched_ev *ev, void *arg)
{
	struct track_proc_mon *m = arg;

	(void)ev;
	if (m->acked)
		return;
	log_info("WARNING - the kernel does not support proc events - track_process will not work");
	fall_back(m, "no answer to the process event listen request");
}

static void proc_event(struct track_proc_mon *m, const struct proc_event *pe)
{
	switch (pe->what) {
	case PROC_EVENT_NONE:
		if (!m->acked) {
			m->acked = true;
			sched_cancel(&m->ev_timer);
			/*
			 * Nothing to count again: the first scan came after the listen
			 * request, and what changed since is in the events that follow.
			 */
			log_detail("proc_events has confirmed it is configured");
		}
		break;
	case PROC_EVENT_FORK: {
		pid_t parent = pe->event_data.fork.parent_tgid;
		pid_t child = pe->event_data.fork.child_pid;

		if (child != pe->event_data.fork.child_tgid)
			break;		/* a thread */
		/* a child of a tracked process is the same program until it execs */
		for (unsigned i = 0; i < m->n_specs; i++)
			if (set_has(&m->sets[i], parent))
				set_add(&m->sets[i], child);
		break;
	}
	case PROC_EVENT_EXEC:
		check_pid(m, pe->event_data.exec.process_tgid);
		break;
	case PROC_EVENT_COMM:
		if (pe->event_data.comm.process_pid == pe->event_data.comm.process_tgid)
			check_pid(m, pe->event_data.comm.process_tgid);
		break;
	case PROC_EVENT_EXIT:
		if (pe->event_data.exit.process_pid != pe->event_data.exit.process_tgid)
			break;
		for (unsigned i = 0; i < m->n_specs; i++)
			set_del(&m->sets[i], pe->event_data.exit.process_tgid);
		break;
	default:
		break;
	}
}

static void connector_read_cb(struct sched_ev *ev, void *arg)
{
	struct track_proc_mon *m = arg;
	char buf[8192] __attribute__((aligned(__alignof__(struct nlmsghdr))));

	(void)ev;
	for (int budget = 64; budget > 0; budget--) {
		struct sockaddr_nl from;
		socklen_t from_len = sizeof(from);
		ssize_t n = recvfrom(m->fd, buf, sizeof(buf), 0, (struct sockaddr *)&from,
				     &from_len);

		if (n < 0) {
			if (errno == ENOBUFS) {
				/* events were lost: count afresh */
				log_info("track_process: process events lost (receive buffer full) - "
					 "rescanning /proc; consider process_monitor_rcv_bufs");
				scan(m);
				continue;
			}
			if (errno != EAGAIN && errno != EINTR)
				fall_back(m, strerror(errno));
			break;
		}
		/* only the kernel's events count */
		if (from_len != sizeof(from) || from.nl_pid != 0)
			continue;
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)n);
		     h = NLMSG_NEXT(h, n)) {
			const struct cn_msg *cn = NLMSG_DATA(h);
			struct proc_event pe;

			if (h->nlmsg_type == NLMSG_ERROR || h->nlmsg_type == NLMSG_NOOP ||
			    h->nlmsg_len < NLMSG_LENGTH(sizeof(*cn) + sizeof(pe)) ||
			    cn->id.idx != CN_IDX_PROC || cn->id.val != CN_VAL_PROC)
				continue;
			/* cn->data is 4-aligned only; the event has 64-bit fields */
			memcpy(&pe, cn->data, sizeof(pe));
			proc_event(m, &pe);
		}
	}
	report(m);
}

static int open_connector(struct track_proc_mon *m, const struct track_proc_opts *o)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = CN_IDX_PROC };
	int r, fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
			   NETLINK_CONNECTOR);

	if (fd < 0)
		return -errno;
	if (o->rcv_bufs) {
		int v = (int)o->rcv_bufs;

		if (setsockopt(fd, SOL_SOCKET, o->rcv_bufs_force ? SO_RCVBUFFORCE : SO_RCVBUF,
			       &v, sizeof(v)) < 0)
			log_info("Cannot set process_monitor_rcv_bufs to %u: %s", o->rcv_bufs,
				 strerror(errno));
	}
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		r = -errno;
		close(fd);
		return r;
	}
	m->fd = fd;
	if ((r = send_mcast_op(fd, PROC_CN_MCAST_LISTEN)) < 0) {
		/* keepalived's line, then ours (fall_back()) */
		log_info("Failed to set/clear process event listen - errno %d - %s", -r,
			 strerror(-r));
		return r;
	}
	if ((r = sched_read(m->s, &m->ev_read, fd, 0, connector_read_cb, m)) < 0)
		return r;
	return sched_timer(m->s, &m->ev_timer, ACK_WAIT_US, ack_timer_cb, m);
}

int track_proc_mon_new(struct sched *s, const struct track_proc_spec *specs, unsigned n,
		       const struct track_proc_opts *o, track_proc_mon_fn *cb, void *arg,
		       struct track_proc_mon **out)
{
	struct track_proc_mon *m = xcalloc(1, sizeof(*m));
	int r;

	m->s = s;
	m->specs = specs;
	m->n_specs = n;
	m->sets = xcalloc(n ? n : 1, sizeof(*m->sets));
	m->next = xcalloc(n ? n : 1, sizeof(*m->next));
	m->reported = xcalloc(n ? n : 1, sizeof(*m->reported));
	m->cb = cb;
	m->arg = arg;
	m->fd = -1;
	m->cmd_buf = xcalloc(1, CMDLINE_MAX + 1);
	for (unsigned i = 0; i < n; i++) {
		if (specs[i].full_command)
			m->need_cmdline = true;
		else
			m->need_comm = true;
	}
	/* the connector first, so that nothing started during the scan is missed */
	r = o->no_connector ? -ENOTSUP : open_connector(m, o);
	scan(m);
	for (unsigned i = 0; i < n; i++)
		m->reported[i] = m->sets[i].n;
	if (r < 0) {
		sched_cancel(&m->ev_timer);
		close_connector(m);
		if (o->no_connector)
			sched_timer(s, &m->ev_timer, TRACK_PROC_SCAN_US, scan_timer_cb, m);
		else
			fall_back(m, strerror(-r));
	}
	*out = m;
	return 0;
}

void track_proc_mon_free(struct track_proc_mon *m)
{
	if (!m)
		return;
	close_connector(m);
	sched_cancel(&m->ev_timer);
	scan_stop(m);
	for (unsigned i = 0; i < m->n_specs; i++) {
		free(m->sets[i].v);
		free(m->next[i].v);
	}
	free(m->sets);
	free(m->next);
	free(m->reported);
	free(m->cmd_buf);
	free(m);
}

unsigned track_proc_mon_count(const struct track_proc_mon *m, unsigned idx)
{
	return idx < m->n_specs ? m->reported[idx] : 0;
}

bool track_proc_mon_uses_events(const struct track_proc_mon *m)
{
	return m->fd >= 0;
}
