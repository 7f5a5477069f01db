// SPDX-License-Identifier: GPL-2.0-or-later
/* lib/nl.c: rtnetlink sockets over libmnl, ACK/error parsing, and the windowed request engine. */
#include "nl.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <libmnl/libmnl.h>

#include "scheduler.h"
#include "utils.h"

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif
#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK 10
#endif

struct nl_sock {
	struct mnl_socket *mnl;
	uint32_t portid;
	uint32_t seq;		/* last number handed out */
};

static void set_buf(int fd, int force_opt, int opt, unsigned bytes)
{
	int v = (int)bytes;

	/* FORCE passes rmem_max/wmem_max when we have CAP_NET_ADMIN; else take what we may */
	if (setsockopt(fd, SOL_SOCKET, force_opt, &v, sizeof(v)) < 0)
		(void)setsockopt(fd, SOL_SOCKET, opt, &v, sizeof(v));
}

int nl_open(struct nl_sock **ret, const unsigned *groups, size_t n_groups, unsigned rcvbuf)
{
	struct nl_sock *ns;
	int one = 1, fd, r;

	struct mnl_socket *mnl = mnl_socket_open2(NETLINK_ROUTE, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (!mnl)
		return -errno;
	fd = mnl_socket_get_fd(mnl);
	set_buf(fd, SO_RCVBUFFORCE, SO_RCVBUF, rcvbuf ? rcvbuf : NL_RCVBUF_DEFAULT);
	set_buf(fd, SO_SNDBUFFORCE, SO_SNDBUF, NL_SNDBUF);
	/* Both are optional (older kernels): errors then come without text, or echo the request */
	(void)setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	(void)setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	if (mnl_socket_bind(mnl, 0, MNL_SOCKET_AUTOPID) < 0)
		goto fail;
	for (size_t i = 0; i < n_groups; i++) {
		int g = (int)groups[i];

		if (setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &g, sizeof(g)) < 0)
			goto fail;
	}
	ns = xcalloc(1, sizeof(*ns));
	ns->mnl = mnl;
	ns->portid = mnl_socket_get_portid(mnl);
	/* Start somewhere unlikely to match a previous process's answers still queued nowhere */
	ns->seq = (uint32_t)mono_now_us();
	*ret = ns;
	return 0;
fail:
	r = -errno;
	mnl_socket_close(mnl);
	return r;
}

void nl_sock_close(struct nl_sock *ns)
{
	if (!ns)
		return;
	mnl_socket_close(ns->mnl);
	free(ns);
}

int nl_set_rcvbuf(struct nl_sock *ns, unsigned bytes, bool force)
{
	int v = (int)bytes;

	if (setsockopt(nl_fd(ns), SOL_SOCKET, force ? SO_RCVBUFFORCE : SO_RCVBUF, &v, sizeof(v)) < 0)
		return -errno;
	return 0;
}

int nl_fd(const struct nl_sock *ns)
{
	return mnl_socket_get_fd(ns->mnl);
}

uint32_t nl_portid(const struct nl_sock *ns)
{
	return ns->portid;
}

uint32_t nl_seq_next(struct nl_sock *ns, uint32_t count)
{
	uint32_t first = ns->seq + 1;

	if (count == 0)
		count = 1;
	/* No 0 inside the run and no wrap: restart at 1 */
	if (first == 0 || first > UINT32_MAX - count + 1)
		first = 1;
	ns->seq = first + count - 1;
	return first;
}

int nl_sock_send(struct nl_sock *ns, const void *buf, size_t len)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	ssize_t n;

	do
		n = sendto(nl_fd(ns), buf, len, 0, (struct sockaddr *)&sa, sizeof(sa));
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}

ssize_t nl_sock_recv(struct nl_sock *ns, void *buf, size_t len)
{
	for (;;) {
		struct sockaddr_nl sa;
		struct iovec iov = { buf, len };
		struct msghdr mh = { .msg_name = &sa, .msg_namelen = sizeof(sa),
				     .msg_iov = &iov, .msg_iovlen = 1 };
		ssize_t n = recvmsg(nl_fd(ns), &mh, 0);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return errno == EWOULDBLOCK ? -EAGAIN : -errno;
		}
		if (mh.msg_flags & MSG_TRUNC)
			return -EMSGSIZE;
		if (mh.msg_namelen != sizeof(sa) || sa.nl_pid != 0)
			continue;	/* not from the kernel */
		return n;
	}
}

int nl_wait(struct nl_sock *ns, int timeout_ms)
{
	struct pollfd p = { .fd = nl_fd(ns), .events = POLLIN };
	uint64_t end_us = mono_now_us() + (uint64_t)timeout_ms * 1000u;

	for (;;) {
		uint64_t now_us = mono_now_us();
		int left_ms = now_us >= end_us ? 0 : (int)((end_us - now_us + 999) / 1000);
		int r = poll(&p, 1, left_ms);

		if (r > 0)
			return 0;
		if (r == 0)
			return -ETIMEDOUT;
		if (errno != EINTR)
			return -errno;
	}
}

int nl_walk(const void *buf, size_t len, nl_msg_fn *fn, void *arg)
{
	const struct nlmsghdr *nlh = buf;
	int left = len > INT32_MAX ? INT32_MAX : (int)len;

	while (left > 0) {
		int r;

		if (!mnl_nlmsg_ok(nlh, left))
			return -EBADMSG;
		if ((r = fn(arg, nlh)) != 0)
			return r;
		nlh = mnl_nlmsg_next(nlh, &left);
	}
	return 0;
}

int nl_err_parse(const struct nlmsghdr *nlh, struct nl_err *out)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	size_t payload = mnl_nlmsg_get_payload_len(nlh), tlv_off;

	if (nlh->nlmsg_type != NLMSG_ERROR || payload < sizeof(*e))
		return -EBADMSG;
	*out = (struct nl_err){ .seq = e->msg.nlmsg_seq, .req_type = e->msg.nlmsg_type,
				.err = e->error > 0 ? -e->error : e->error };
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return 0;
	/* TLVs follow the request: only its header when capped (NETLINK_CAP_ACK or an ACK) */
	if (nlh->nlmsg_flags & NLM_F_CAPPED)
		tlv_off = sizeof(*e);
	else
		tlv_off = sizeof(e->error) + NLMSG_ALIGN(e->msg.nlmsg_len);
	if (tlv_off >= payload)
		return 0;
	const struct nlattr *a = (const void *)((const char *)e + tlv_off);
	int left = (int)(payload - tlv_off);

	for (; mnl_attr_ok(a, left); left -= MNL_ALIGN(a->nla_len), a = mnl_attr_next(a))
		if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG &&
		    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0 && mnl_attr_get_payload_len(a) > 1)
			out->msg = mnl_attr_get_str(a);
	return 0;
}

/*
 * The request engine. One window is in flight at a time: the requests
 * [win_first, win_first + win_n) of win_job, sent with sequence numbers
 * win_seq + (i - win_first). answered[] marks the ones whose result() ran;
 * build_err[] the ones the builder refused, reported right after the send.
 */
#define WIN_WORDS ((NL_TX_WINDOW + 63) / 64)

struct nl_tx {
	struct nl_sock *ns;
	struct sched *s;
	struct sched_ev *ev_read;
	struct sched_ev *ev_timeout;
	struct nl_job *head, *tail;	/* queue; head is the one running */
	struct nl_job *win_job;		/* NULL: no window in flight (or its job cancelled) */
	size_t win_first, win_n, n_pending;
	uint32_t win_seq;
	uint64_t answered[WIN_WORDS];
	int build_err[NL_TX_WINDOW];	/* non-zero: request win_first + k was not sent */
	int job_err;			/* first socket error of the running job */
	bool busy;			/* inside the engine: submit() only queues */
	bool lost;			/* ENOBUFS: answers of the window were dropped */
	unsigned window;		/* requests in the next window (adaptive, see nl.h) */
	struct nl_tx_stats st;
	/*
	 * 96 kB, of which a window of VIPs writes a few pages and the answers (one small
	 * datagram each) one: the struct is a mapping of its own (xmap_zeroed), so only
	 * the pages written cost memory.
	 */
	uint8_t rbuf[NL_RECV_BUF];
	uint8_t sbuf[NL_TX_BUF];
};

static void tx_read_cb(struct sched_ev *ev, void *arg);
static void tx_timeout_cb(struct sched_ev *ev, void *arg);

int nl_tx_new(struct nl_tx **ret, struct sched *s)
{
	struct nl_tx *tx = xmap_zeroed(sizeof(*tx));
	int r;

	if ((r = nl_open(&tx->ns, NULL, 0, 0)) < 0)
		goto fail;
	tx->s = s;
	tx->window = NL_TX_WINDOW_START;
	if ((r = sched_read(s, &tx->ev_read, nl_fd(tx->ns), 0, tx_read_cb, tx)) < 0)
		goto fail;
	*ret = tx;
	return 0;
fail:
	nl_sock_close(tx->ns);
	xunmap(tx, sizeof(*tx));
	return r;
}

void nl_tx_free(struct nl_tx *tx)
{
	if (!tx)
		return;
	sched_cancel(&tx->ev_read);
	sched_cancel(&tx->ev_timeout);
	for (struct nl_job *j = tx->head; j; j = j->next)
		j->queued = false;
	nl_sock_close(tx->ns);
	xunmap(tx, sizeof(*tx));
}

bool nl_tx_idle(const struct nl_tx *tx)
{
	return !tx->head;
}

int nl_tx_set_rcvbuf(struct nl_tx *tx, unsigned bytes, bool force)
{
	return nl_set_rcvbuf(tx->ns, bytes, force);
}

uint32_t nl_tx_portid(const struct nl_tx *tx)
{
	return nl_portid(tx->ns);
}

void nl_tx_get_stats(const struct nl_tx *tx, struct nl_tx_stats *out)
{
	*out = tx->st;
	out->window = tx->window;
}

static bool is_answered(const struct nl_tx *tx, size_t k)
{
	return tx->answered[k / 64] >> (k % 64) & 1;
}

/* Marks request win_first + k answered and reports it. False if the job went away meanwhile. */
static bool answer(struct nl_tx *tx, size_t k, int err, const char *msg)
{
	struct nl_job *job = tx->win_job;

	tx->answered[k / 64] |= (uint64_t)1 << (k % 64);
	tx->n_pending--;
	if (err)
		tx->st.n_errors++;
	if (job->ops->result)
		job->ops->result(job->arg, tx->win_first + k, err, msg);
	return tx->win_job == job;
}

/* The requests of the window sent and not answered fail with err (answers lost). */
static void fail_window(struct nl_tx *tx, int err)
{
	if (!tx->job_err)
		tx->job_err = err;
	for (size_t k = 0; k < tx->win_n && tx->win_job; k++)
		if (!tx->build_err[k] && !is_answered(tx, k) && !answer(tx, k, err, NULL))
			return;
}

static void unlink_job(struct nl_tx *tx, struct nl_job *job)
{
	struct nl_job **pp = &tx->head, *prev = NULL;

	while (*pp && *pp != job) {
		prev = *pp;
		pp = &(*pp)->next;
	}
	if (!*pp)
		return;
	*pp = job->next;
	if (tx->tail == job)
		tx->tail = prev;
	job->next = NULL;
	job->queued = false;
}

/* After the window's last answer: on to the next one (or the next job). */
static void window_end(struct nl_tx *tx)
{
	if (tx->win_job && tx->n_pending == 0) {
		tx->win_job = NULL;
		sched_cancel(&tx->ev_timeout);
	}
}

/* Builds and sends the next window of the head job; finishes the jobs that are complete. */
static void tx_pump(struct nl_tx *tx)
{
	while (tx->head && !tx->win_job) {
		struct nl_job *job = tx->head;
		size_t off = 0, n_sent = 0, i;
		int r;

		if (job->next_i >= job->n) {
			int err = tx->job_err;

			unlink_job(tx, job);
			tx->job_err = 0;
			if (job->ops->done)
				job->ops->done(job->arg, err);	/* may free job, submit more */
			continue;
		}
		tx->win_job = job;
		tx->win_first = job->next_i;
		tx->win_seq = nl_seq_next(tx->ns, NL_TX_WINDOW);
		tx->win_n = 0;
		memset(tx->answered, 0, sizeof(tx->answered));
		for (i = job->next_i; i < job->n && i - tx->win_first < tx->window; i++) {
			uint32_t seq = tx->win_seq + (uint32_t)(i - tx->win_first);

			r = job->ops->build(job->arg, i, tx->sbuf + off, sizeof(tx->sbuf) - off, seq);
			if (r == -ENOSPC && off > 0)
				break;			/* goes first in the next window */
			if (r == -ENOSPC)
				r = -EMSGSIZE;		/* does not fit even alone */
			else if (r >= 0 && (size_t)r < sizeof(struct nlmsghdr))
				r = -EINVAL;
			tx->build_err[tx->win_n++] = r < 0 ? r : 0;
			if (r >= 0) {
				off += NLMSG_ALIGN((size_t)r);
				n_sent++;
			}
		}
		job->next_i = i;
		tx->n_pending = tx->win_n;
		if (n_sent) {
			tx->st.n_sendmsg++;
			tx->st.n_requests += n_sent;
			uint64_t t0_us = mono_now_us(), took_us;

			r = nl_sock_send(tx->ns, tx->sbuf, off);
			took_us = mono_now_us() - t0_us;
			if (took_us > tx->st.max_send_us)
				tx->st.max_send_us = took_us;
			if (took_us > NL_TX_SLOW_US && tx->window > NL_TX_WINDOW_MIN)
				tx->window /= 2;
			else if (took_us < NL_TX_FAST_US && tx->window < NL_TX_WINDOW &&
				 n_sent == tx->win_n)
				tx->window *= 2;
			if (r < 0)
				fail_window(tx, r);
			else
				sched_timer(tx->s, &tx->ev_timeout, NL_TX_TIMEOUT_US, tx_timeout_cb, tx);
		}
		for (size_t k = 0; k < tx->win_n && tx->win_job == job; k++)
			if (tx->build_err[k] && !answer(tx, k, tx->build_err[k], NULL))
				break;
		if (tx->win_job != job)
			continue;	/* cancelled from a callback */
		window_end(tx);
		if (tx->win_job)
			return;		/* wait for the answers */
	}
}

static void tx_run(struct nl_tx *tx)
{
	if (tx->busy)
		return;
	tx->busy = true;
	tx_pump(tx);
	tx->busy = false;
}

int nl_tx_submit(struct nl_tx *tx, struct nl_job *job, size_t n, const struct nl_job_ops *ops,
		 void *arg)
{
	if (job->queued)
		return -EBUSY;
	*job = (struct nl_job){ .ops = ops, .arg = arg, .n = n, .queued = true };
	if (tx->tail)
		tx->tail->next = job;
	else
		tx->head = job;
	tx->tail = job;
	tx_run(tx);
	return 0;
}

void nl_tx_cancel(struct nl_tx *tx, struct nl_job *job)
{
	if (!job->queued)
		return;
	if (tx->win_job == job) {
		/* answers still to come match no window and are dropped */
		tx->win_job = NULL;
		sched_cancel(&tx->ev_timeout);
	}
	if (tx->head == job)
		tx->job_err = 0;
	unlink_job(tx, job);
	tx_run(tx);
}

static int tx_msg(void *arg, const struct nlmsghdr *nlh)
{
	struct nl_tx *tx = arg;
	struct nl_err e;
	uint32_t k;

	if (nlh->nlmsg_type != NLMSG_ERROR || nl_err_parse(nlh, &e) < 0)
		return 0;		/* nothing else is expected on this socket */
	if (!tx->win_job)
		return 0;
	k = e.seq - tx->win_seq;	/* wraps to huge when e.seq < win_seq */
	if (k >= tx->win_n || tx->build_err[k] || is_answered(tx, k))
		return 0;		/* stale (a cancelled job's) or duplicate */
	answer(tx, k, e.err, e.msg);
	return 0;
}

static void tx_read_cb(struct sched_ev *ev, void *arg)
{
	struct nl_tx *tx = arg;
	bool drained = false;
	(void)ev;

	tx->busy = true;
	/* Each answer is a datagram of its own: a budget of one window's worth */
	for (int budget = NL_TX_WINDOW; budget > 0; budget--) {
		ssize_t n = nl_sock_recv(tx->ns, tx->rbuf, sizeof(tx->rbuf));

		if (n == -EAGAIN) {
			drained = true;
			break;
		}
		if (n < 0) {
			/* -ENOBUFS: some answers were dropped; those still queued count */
			tx->lost = true;
			continue;
		}
		tx->st.n_recv++;
		(void)nl_walk(tx->rbuf, (size_t)n, tx_msg, tx);
		if (tx->win_job && tx->n_pending == 0)
			break;	/* the next window goes out now, its answers next round */
	}
	/* Once everything queued is read, what is still unanswered was lost */
	if (drained && tx->lost) {
		if (tx->win_job)
			fail_window(tx, -ENOBUFS);
		tx->lost = false;
	}
	window_end(tx);
	tx_pump(tx);
	tx->busy = false;
}

static void tx_timeout_cb(struct sched_ev *ev, void *arg)
{
	struct nl_tx *tx = arg;
	(void)ev;

	tx->busy = true;
	if (tx->win_job)
		fail_window(tx, -ETIMEDOUT);
	window_end(tx);
	tx_pump(tx);
	tx->busy = false;
}
