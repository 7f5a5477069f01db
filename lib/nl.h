/* SPDX-License-Identifier: GPL-2.0-or-later */
/* lib/nl.h: thin rtnetlink helpers over libmnl: sockets, sequence numbers, ACKs, request batches. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <linux/netlink.h>

struct sched;

/*
 * A NETLINK_ROUTE socket: non-blocking, close-on-exec, bound to a portid the kernel
 * picks, with NETLINK_EXT_ACK (errors carry the kernel's text) and NETLINK_CAP_ACK
 * (errors do not echo the request back). The receive buffer is rcvbuf bytes
 * (SO_RCVBUFFORCE when we may, else SO_RCVBUF up to rmem_max; 0: NL_RCVBUF_DEFAULT),
 * the send buffer NL_SNDBUF. The socket joins each RTNLGRP_* of groups[] (n_groups may
 * be 0: a socket for requests only).
 */
#define NL_RCVBUF_DEFAULT (8u << 20)	/* bytes: room for the ACKs of a full batch and more */
#define NL_SNDBUF (1u << 20)		/* bytes */
/* Big enough for any datagram the kernel sends us (dump pages are at most 32 KiB). */
#define NL_RECV_BUF 32768

struct nl_sock;		/* opaque */

int nl_open(struct nl_sock **ret, const unsigned *groups, size_t n_groups, unsigned rcvbuf);
void nl_sock_close(struct nl_sock *ns);	/* NULL is fine; cancel any watch on nl_fd() first */
/* Receive buffer of bytes; force: SO_RCVBUFFORCE (past rmem_max; needs CAP_NET_ADMIN). */
int nl_set_rcvbuf(struct nl_sock *ns, unsigned bytes, bool force);
int nl_fd(const struct nl_sock *ns);
uint32_t nl_portid(const struct nl_sock *ns);
/* Reserves count consecutive sequence numbers and returns the first: never 0, no wrap inside. */
uint32_t nl_seq_next(struct nl_sock *ns, uint32_t count);

/* One sendmsg of len bytes (one or many messages) to the kernel: 0 or -errno. */
int nl_sock_send(struct nl_sock *ns, const void *buf, size_t len);
/*
 * One datagram into buf (NL_RECV_BUF bytes). Returns its length; -EAGAIN when nothing
 * is queued; -ENOBUFS when the kernel dropped messages for this socket (it overran:
 * what multicast told us is stale, re-dump); -EMSGSIZE if it was truncated; other -errno.
 * Datagrams not from the kernel are skipped. Never blocks.
 */
ssize_t nl_sock_recv(struct nl_sock *ns, void *buf, size_t len);
/* Start-up only: wait up to timeout_ms for nl_fd() to be readable. 0, -ETIMEDOUT or -errno. */
int nl_wait(struct nl_sock *ns, int timeout_ms);

/* Pure helpers (no syscalls). */

/*
 * Calls fn for each message of one datagram of len bytes, in order. Returns 0, -EBADMSG
 * at a malformed or truncated header, or the first non-zero value fn returns.
 */
typedef int nl_msg_fn(void *arg, const struct nlmsghdr *nlh);
int nl_walk(const void *buf, size_t len, nl_msg_fn *fn, void *arg);

/* What an NLMSG_ERROR message says. */
struct nl_err {
	uint32_t seq;		/* of the request it answers */
	uint16_t req_type;	/* that request's nlmsg_type */
	int err;		/* 0 for an ACK, else -errno */
	const char *msg;	/* NLMSGERR_ATTR_MSG (extended ACK text) or NULL; points into nlh */
};
/* nlh must be of type NLMSG_ERROR. 0, or -EBADMSG when it is too short or malformed. */
int nl_err_parse(const struct nlmsghdr *nlh, struct nl_err *out);

/*
 * Request batches on the event loop (struct nl_tx): a job is n requests, each
 * with NLM_F_ACK. The engine builds them into its send buffer through build(),
 * sends them in windows (up to NL_TX_WINDOW requests or NL_TX_BUF bytes, one
 * sendmsg each), and hands each request's answer to result() as its ACK or error
 * arrives. The next window goes out when the current one is fully answered, so a
 * callback never does more than one window of kernel work and the ACKs always fit
 * in the receive buffer. Jobs run one after the other, in the order submitted.
 *
 * The job struct lives in the caller's object (no allocation per job) and is the
 * engine's until done() is called or nl_tx_cancel() returns.
 */
#define NL_TX_WINDOW 256	/* requests per sendmsg, at most */
/*
 * The kernel does a window's work inside sendmsg (rtnl_lock held), so the engine
 * sizes windows by that time: it starts at NL_TX_WINDOW_START requests, doubles
 * while a sendmsg takes under NL_TX_FAST_US and halves when one takes over
 * NL_TX_SLOW_US (never under NL_TX_WINDOW_MIN), keeping each callback well within
 * the scheduler's 5 ms.
 */
#define NL_TX_WINDOW_START 64
#define NL_TX_WINDOW_MIN 8
#define NL_TX_FAST_US 500
#define NL_TX_SLOW_US 1500
#define NL_TX_BUF (64u << 10)	/* bytes per sendmsg */
#define NL_TX_TIMEOUT_US 5000000	/* no answer for this long: the window fails with -ETIMEDOUT */

struct nl_job_ops {
	/*
	 * Writes request i with nlmsg_seq = seq (and NLM_F_ACK) into buf of room bytes.
	 * Returns its length, or -ENOSPC if it does not fit (it goes first in the next
	 * window), or another -errno: request i then fails with it, unsent.
	 */
	int (*build)(void *arg, size_t i, void *buf, size_t room, uint32_t seq);
	/* The answer to request i: 0 or -errno, with the kernel's extended ACK text or NULL. */
	void (*result)(void *arg, size_t i, int err, const char *ext_msg);
	/*
	 * Every request has had its result() (sent or not). err is 0, or the first socket
	 * error (-ENOBUFS: answers were lost; -ETIMEDOUT), which the requests left
	 * unanswered got as their result. May free the job or submit another one.
	 */
	void (*done)(void *arg, int err);
};

struct nl_job {
	/* private to lib/nl.c */
	struct nl_job *next;
	const struct nl_job_ops *ops;
	void *arg;
	size_t n;
	size_t next_i;			/* the first request not yet in a window */
	bool queued;
};

struct nl_tx;		/* opaque: a request socket, its send buffer and job queue on one loop */

/* Opens its own socket (no groups) and watches it on s. 0 or -errno. */
int nl_tx_new(struct nl_tx **ret, struct sched *s);
/* NULL is fine. Jobs still queued are dropped without callbacks. */
void nl_tx_free(struct nl_tx *tx);
/*
 * Queues job (n requests; with n == 0 only done() runs, in its turn) and, if the engine is idle,
 * sends its first window before returning. Safe in a callback, including result()
 * and done(). 0, or -EBUSY if the job is already queued.
 */
int nl_tx_submit(struct nl_tx *tx, struct nl_job *job, size_t n, const struct nl_job_ops *ops,
		 void *arg);
/* No more callbacks for job; answers to what was sent are ignored. Idempotent. */
void nl_tx_cancel(struct nl_tx *tx, struct nl_job *job);
bool nl_tx_idle(const struct nl_tx *tx);
/* The portid of its socket: the kernel's notifications of what it asked carry it. */
uint32_t nl_tx_portid(const struct nl_tx *tx);
/* Its socket's receive buffer, as nl_set_rcvbuf(). */
int nl_tx_set_rcvbuf(struct nl_tx *tx, unsigned bytes, bool force);

/* Counters for stats dumps and tests. */
struct nl_tx_stats {
	uint64_t n_sendmsg, n_requests, n_errors, n_recv;
	uint64_t max_send_us;		/* longest sendmsg */
	unsigned window;		/* the current window size */
};
void nl_tx_get_stats(const struct nl_tx *tx, struct nl_tx_stats *out);
