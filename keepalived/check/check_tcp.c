// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/check/check_tcp.c: TCP_CHECK: a non-blocking connect, nothing sent (spec 2.1). */
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check_drivers.h"
#include "log.h"
#include "scheduler.h"

struct tcp_state {
	int fd;				/* valid while has_fd: an attempt in flight */
	bool has_fd;
	struct sched_ev *ev_io;
};

static void tcp_close(struct tcp_state *st)
{
	sched_cancel(&st->ev_io);
	if (st->has_fd)
		close(st->fd);	/* a plain close: no 5 s SO_LINGER as keepalived's (spec 6.2) */
	st->has_fd = false;
	st->fd = -1;
}

/*
 * keepalived's tcp_epilog: a success, or the failure that exhausts the retries, is
 * followed by delay_loop; a failure with retries left by delay_before_retry. retry_it
 * cycles while the checker is down too, so a down checker alternates the two
 * intervals (2.2.7's behaviour, kept: spec 1.2).
 */
static void tcp_epilog(struct ck_probe *p, bool ok)
{
	const struct ck_conf *cf = ck_probe_conf(p);
	struct ce_ck *ck = ck_probe_ck(p);
	uint64_t delay;

	ck_probe_note_result(p, ok);
	if (ok || ck->retry_it >= cf->retry) {
		delay = cf->delay_loop_us;
		ck->retry_it = 0;
		if (ok && (!ck->is_up || !ck->has_run)) {
			for (struct ck_member *m = ck_probe_members(p); m; m = ck_member_next(m))
				if (ck_member_ck(m)->enabled &&
				    (!ck_member_ck(m)->is_up || !ck_member_ck(m)->has_run))
					log_info("TCP connection to %s success.", ck_member_rs_str(m));
			ck_probe_set_state(p, true, "=> TCP CHECK succeed on service <=");
		} else if (!ok && (ck->is_up || !ck->has_run)) {
			for (struct ck_member *m = ck_probe_members(p); m; m = ck_member_next(m)) {
				struct ce_ck *mk = ck_member_ck(m);

				if (!mk->enabled || (!mk->is_up && mk->has_run))
					continue;
				if (cf->retry && mk->has_run)
					log_info("TCP_CHECK on service %s failed after %u retries.",
						 ck_member_rs_str(m), cf->retry);
				else
					log_info("TCP_CHECK on service %s failed.", ck_member_rs_str(m));
			}
			ck_probe_set_state(p, false, "=> TCP CHECK failed on service <=");
		}
	} else {
		delay = cf->delay_before_retry_us;
		ck->retry_it++;
	}
	ck->has_run = true;
	ck_probe_schedule(p, delay);
}

static void tcp_failure_line(struct ck_probe *p, const char *what)
{
	if (!ck_probe_ck(p)->is_up || !ck_log_all_failures(p))
		return;
	for (struct ck_member *m = ck_probe_members(p); m; m = ck_member_next(m))
		if (ck_member_ck(m)->enabled)
			log_info("TCP connection to %s %s.", ck_member_rs_str(m), what);
}

static void tcp_io_cb(struct sched_ev *ev, void *arg)
{
	struct ck_probe *p = arg;
	struct tcp_state *st = ck_probe_state(p);
	int err = 0;
	socklen_t len = sizeof(err);

	if (sched_ev_why(ev) == SCHED_TIMEOUT) {
		tcp_close(st);
		tcp_failure_line(p, "timeout");
		tcp_epilog(p, false);
		return;
	}
	if (getsockopt(st->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		err = errno;
	tcp_close(st);
	if (err) {
		tcp_failure_line(p, "failed");
		tcp_epilog(p, false);
		return;
	}
	tcp_epilog(p, true);
}

/* connect() errors that mean the backend failed (layer4.c's list); others are ours */
static bool counted_connect_error(int err)
{
	switch (err) {
	case ENETUNREACH: case EHOSTUNREACH: case ECONNREFUSED: case EHOSTDOWN:
	case ENETDOWN: case ECONNRESET: case ECONNABORTED: case ETIMEDOUT:
		return true;
	default:
		return false;
	}
}

static socklen_t sockaddr_len(const struct sockaddr_storage *ss)
{
	return ss->ss_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
}

/* SO_MARK, SO_BINDTODEVICE, bind: 0, or -errno */
static int tcp_socket_opts(int fd, const struct ck_conn *co)
{
	if (co->fwmark && setsockopt(fd, SOL_SOCKET, SO_MARK, &co->fwmark, sizeof(co->fwmark)) < 0)
		return -errno;
	if (co->bind_if[0] && setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, co->bind_if,
					 (socklen_t)strlen(co->bind_if) + 1) < 0)
		return -errno;
	if (co->src.ss_family &&
	    bind(fd, (const struct sockaddr *)&co->src, sockaddr_len(&co->src)) < 0)
		return -errno;
	return 0;
}

static void tcp_run(struct ck_probe *p)
{
	const struct ck_conf *cf = ck_probe_conf(p);
	const struct ck_conn *co = &cf->conn;
	struct tcp_state *st = ck_probe_state(p);
	int fd, r;

	fd = socket(co->dst.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, IPPROTO_TCP);
	if (fd < 0) {
		log_info("TCP connect fail to create socket. Rescheduling.");
		ck_probe_schedule(p, cf->delay_loop_us);
		return;
	}
	st->fd = fd;
	st->has_fd = true;
	r = tcp_socket_opts(fd, co);
	if (!r && connect(fd, (const struct sockaddr *)&co->dst, sockaddr_len(&co->dst)) < 0)
		r = -errno;
	if (!r) {			/* connected at once (loopback) */
		tcp_close(st);
		tcp_epilog(p, true);
		return;
	}
	if (r == -EINPROGRESS) {
		r = sched_write(ck_probe_sched(p), &st->ev_io, fd, co->connect_timeout_us, tcp_io_cb, p);
		if (!r)
			return;
	}
	tcp_close(st);
	if (counted_connect_error(-r)) {
		tcp_failure_line(p, "failed");
		tcp_epilog(p, false);
		return;
	}
	log_info("TCP socket bind failed. Rescheduling.");
	ck_probe_schedule(p, cf->delay_loop_us);
}

static void tcp_cancel(struct ck_probe *p)
{
	tcp_close(ck_probe_state(p));
}

static bool tcp_same(const struct ck_conf *a, const struct ck_conf *b)
{
	(void)a;
	(void)b;
	return true;		/* TCP_CHECK has no data of its own */
}

const struct ck_driver ck_driver_tcp = {
	.type = CK_TCP,
	.state_size = sizeof(struct tcp_state),
	.run = tcp_run,
	.cancel = tcp_cancel,
	.release = tcp_cancel,
	.same = tcp_same,
};
