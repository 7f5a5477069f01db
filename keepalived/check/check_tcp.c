// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/check/check_tcp.c: TCP_CHECK: a non-blocking connect, nothing sent (spec 2.1). */
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check_drivers.h"
#include "check_l4.h"
#include "check_sock.h"
#include "log.h"
#include "scheduler.h"

struct tcp_state {
	struct ck_sock sk;
};

static const struct ck_l4_type tcp_type = {
	.conn = "TCP",
	.check = "TCP_CHECK",
	.alert_up = "=> TCP CHECK succeed on service <=",
	.alert_down = "=> TCP CHECK failed on service <=",
	.retries_while_down = true,
};

static void tcp_epilog(struct ck_probe *p, bool ok)
{
	ck_l4_epilog(p, &tcp_type, ok);
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
		ck_sock_close(&st->sk);
		tcp_failure_line(p, "timeout");
		tcp_epilog(p, false);
		return;
	}
	/* EPOLLOUT alone is a connect that succeeded: no getsockopt() needed to know it */
	if ((sched_ev_revents(ev) & (EPOLLERR | EPOLLHUP)) &&
	    getsockopt(st->sk.fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		err = errno;
	ck_sock_close(&st->sk);
	if (err) {
		tcp_failure_line(p, "failed");
		tcp_epilog(p, false);
		return;
	}
	tcp_epilog(p, true);
}

static void tcp_run(struct ck_probe *p)
{
	const struct ck_conf *cf = ck_probe_conf(p);
	const struct ck_conn *co = &cf->conn;
	struct tcp_state *st = ck_probe_state(p);
	union ck_sockaddr dst;
	int fd, r;

	ck_probe_dst(p, &dst);
	fd = socket(dst.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, IPPROTO_TCP);
	if (fd < 0) {
		log_info("TCP connect fail to create socket. Rescheduling.");
		ck_probe_schedule(p, cf->delay_loop_us);
		return;
	}
	st->sk.fd = fd;
	st->sk.has_fd = true;
	r = ck_sock_connect(fd, co, &dst);
	if (!r) {			/* connected at once (loopback) */
		ck_sock_close(&st->sk);
		tcp_epilog(p, true);
		return;
	}
	if (r == -EINPROGRESS) {
		r = sched_write(ck_probe_sched(p), &st->sk.ev_io, fd, co->connect_timeout_us,
				tcp_io_cb, p);
		if (!r)
			return;
	}
	ck_sock_close(&st->sk);
	if (ck_connect_error_counted(-r)) {
		tcp_failure_line(p, "failed");
		tcp_epilog(p, false);
		return;
	}
	log_info("TCP socket bind failed. Rescheduling.");
	ck_probe_schedule(p, cf->delay_loop_us);
}

static void tcp_cancel(struct ck_probe *p)
{
	struct tcp_state *st = ck_probe_state(p);

	ck_sock_close(&st->sk);
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
