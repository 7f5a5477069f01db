// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/check/check_smtp.c: SMTP_CHECK: banner 220, HELO 250, QUIT (spec 2.3). */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check_drivers.h"
#include "check_sock.h"
#include "log.h"
#include "scheduler.h"
#include "smtp_reply.h"

/*
 * keepalived 2.2.7's dialogue and its own retry rules (check_smtp.c): every cycle
 * starts with retry_it = 0, so the checker always has its retries, even at start-up;
 * a failure is logged (prefixed "SMTP_CHECK ") only with the checker up or not yet
 * run, and then only the one that uses up the retries unless log_all_failures.
 */

enum smtp_phase { SP_IDLE, SP_CONNECT, SP_BANNER, SP_HELO, SP_HELO_REPLY, SP_QUIT, SP_QUIT_REPLY };

struct smtp_state {
	enum smtp_phase phase;
	struct ck_sock sk;
	bool retrying;			/* the next run is a retry: retry_it goes on */
	size_t len, out_len;
	uint8_t buf[SMTP_REPLY_BUF];
	char out[SMTP_REPLY_BUF];
};

static void smtp_close(struct smtp_state *st)
{
	ck_sock_close(&st->sk);
	st->phase = SP_IDLE;
}

static const char *dst_pair(const struct ck_probe *p, char *buf, size_t len)
{
	union ck_sockaddr dst;

	ck_probe_dst(p, &dst);
	return ck_sockaddr_pair(&dst, buf, len);
}

static void set_state(struct ck_probe *p, bool up, const char *body)
{
	struct ce_ck *ck = ck_probe_ck(p);
	bool was_up = ck->is_up;

	ck_probe_set_state(p, up, was_up != up ? body : NULL);
	ck->has_run = true;
}

/*
 * keepalived's smtp_final(): reason NULL is a success. Decides, logs, reports and
 * schedules the next run.
 */
static void smtp_final(struct ck_probe *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void smtp_final(struct ck_probe *p, const char *fmt, ...)
{
	const struct ck_conf *cf = ck_probe_conf(p);
	struct smtp_state *st = ck_probe_state(p);
	struct ce_ck *ck = ck_probe_ck(p);
	char reason[400], body[480];
	va_list ap;

	smtp_close(st);
	ck_probe_note_result(p, !fmt);
	if (!fmt) {
		ck->retry_it = 0;
		if (!ck->is_up || !ck->has_run) {
			for (struct ck_member *m = ck_probe_members(p); m; m = ck_member_next(m))
				if (ck_member_ck(m)->enabled)
					log_info("Remote SMTP server %s succeed on service.",
						 ck_member_rs_str(m));
			set_state(p, true, "=> CHECK succeed on service <=");
		}
		ck->has_run = true;
		ck_probe_schedule(p, cf->delay_loop_us);
		return;
	}

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	if ((ck->is_up || !ck->has_run) && (ck_log_all_failures(p) || ck->retry_it >= cf->retry))
		for (struct ck_member *m = ck_probe_members(p); m; m = ck_member_next(m))
			if (ck_member_ck(m)->enabled)
				log_info("SMTP_CHECK %s", reason);
	if (++ck->retry_it <= cf->retry) {
		st->retrying = true;
		ck_probe_schedule(p, cf->delay_before_retry_us);
		return;
	}
	if (ck->is_up || !ck->has_run) {
		snprintf(body, sizeof(body), "=> CHECK failed on service : %s <=", reason);
		set_state(p, false, body);
	}
	ck_probe_schedule(p, cf->delay_loop_us);
}

static void io_cb(struct sched_ev *ev, void *arg);

static int arm(struct ck_probe *p, bool rd)
{
	struct smtp_state *st = ck_probe_state(p);
	uint64_t to = ck_probe_conf(p)->conn.connect_timeout_us;

	sched_cancel(&st->sk.ev_io);
	return rd ? sched_read(ck_probe_sched(p), &st->sk.ev_io, st->sk.fd, to, io_cb, p) :
		    sched_write(ck_probe_sched(p), &st->sk.ev_io, st->sk.fd, to, io_cb, p);
}

static void get_line(struct ck_probe *p, enum smtp_phase next)
{
	struct smtp_state *st = ck_probe_state(p);
	char who[INET6_ADDRSTRLEN + 16];

	st->phase = next;
	st->len = 0;
	if (arm(p, true) < 0)
		smtp_final(p, "Read failure from server %s", dst_pair(p, who, sizeof(who)));
}

static void put_line(struct ck_probe *p, enum smtp_phase phase);

static void have_line(struct ck_probe *p, const uint8_t *line, size_t len)
{
	const struct ck_conf *cf = ck_probe_conf(p);
	struct smtp_state *st = ck_probe_state(p);
	char who[INET6_ADDRSTRLEN + 16];

	switch (st->phase) {
	case SP_BANNER:
		if (smtp_reply_code(line, len) != 220) {
			smtp_final(p, "Bad greeting banner from server %s",
				   dst_pair(p, who, sizeof(who)));
			return;
		}
		snprintf(st->out, sizeof(st->out), "HELO %s\r\n", cf->u.smtp.helo_name);
		put_line(p, SP_HELO);
		return;
	case SP_HELO_REPLY:
		if (smtp_reply_code(line, len) != 250) {
			smtp_final(p, "Bad HELO response from server %s",
				   dst_pair(p, who, sizeof(who)));
			return;
		}
		snprintf(st->out, sizeof(st->out), "QUIT\r\n");
		put_line(p, SP_QUIT);
		return;
	case SP_QUIT_REPLY:
		smtp_final(p, NULL);
		return;
	default:
		smtp_final(p, "Unknown smtp engine state encountered");
		return;
	}
}

static void read_step(struct ck_probe *p)
{
	struct smtp_state *st = ck_probe_state(p);
	char who[INET6_ADDRSTRLEN + 16];
	ssize_t n, nl;

	if (st->len >= sizeof(st->buf) - 1) {
		log_info("SMTP_CHECK Buffer overflow reading from server %s. "
			 "Increase SMTP_BUFF_MAX in check_smtp.h", dst_pair(p, who, sizeof(who)));
		st->len = 0;
	}
	do
		n = read(st->sk.fd, st->buf + st->len, sizeof(st->buf) - 1 - st->len);
	while (n < 0 && errno == EINTR);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return;			/* still armed */
	if (n <= 0) {
		smtp_final(p, "Read failure from server %s", dst_pair(p, who, sizeof(who)));
		return;
	}
	st->len += (size_t)n;
	nl = smtp_reply_line_end(st->buf, st->len);
	if (nl >= 0)
		have_line(p, st->buf, (size_t)nl);
}

static void put_line(struct ck_probe *p, enum smtp_phase phase)
{
	struct smtp_state *st = ck_probe_state(p);
	char who[INET6_ADDRSTRLEN + 16];
	ssize_t n;

	st->phase = phase;
	st->out_len = strlen(st->out);
	do
		n = send(st->sk.fd, st->out, st->out_len, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
		if (arm(p, false) < 0)
			smtp_final(p, "Write failure to server %s", dst_pair(p, who, sizeof(who)));
		return;
	}
	if (n <= 0) {
		smtp_final(p, "Write failure to server %s", dst_pair(p, who, sizeof(who)));
		return;
	}
	/* keepalived takes one write as the line sent */
	get_line(p, phase == SP_HELO ? SP_HELO_REPLY : SP_QUIT_REPLY);
}

static void connected(struct ck_probe *p)
{
	get_line(p, SP_BANNER);
}

static void io_cb(struct sched_ev *ev, void *arg)
{
	struct ck_probe *p = arg;
	struct smtp_state *st = ck_probe_state(p);
	char who[INET6_ADDRSTRLEN + 16];
	int err = 0;
	socklen_t len = sizeof(err);

	dst_pair(p, who, sizeof(who));
	switch (st->phase) {
	case SP_CONNECT:
		if (sched_ev_why(ev) == SCHED_TIMEOUT) {
			smtp_final(p, "Connection timeout to server %s", who);
			return;
		}
		if (getsockopt(st->sk.fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0) {
			smtp_final(p, "Error connecting to server %s", who);
			return;
		}
		if (err == ETIMEDOUT) {
			smtp_final(p, "Connection timeout to server %s", who);
			return;
		}
		if (err) {
			smtp_final(p, "Could not connect to server %s", who);
			return;
		}
		sched_cancel(&st->sk.ev_io);
		connected(p);
		return;
	case SP_HELO:
	case SP_QUIT:
		if (sched_ev_why(ev) == SCHED_TIMEOUT) {
			smtp_final(p, "Write timeout to server %s", who);
			return;
		}
		sched_cancel(&st->sk.ev_io);
		put_line(p, st->phase);
		return;
	default:
		if (sched_ev_why(ev) == SCHED_TIMEOUT) {
			smtp_final(p, "Read timeout from server %s", who);
			return;
		}
		read_step(p);
		return;
	}
}

/* "real server [ip]:port" of the lead member, as keepalived's inet_sockaddrtopair(rs) */
static const char *rs_pair(struct ck_probe *p, char *buf, size_t len)
{
	const struct rs_conf *rs = ce_rs_conf(ck_probe_ck(p)->rs);
	char ip[INET6_ADDRSTRLEN];

	inet_addr_str(&rs->addr, ip, sizeof(ip));
	snprintf(buf, len, "[%s]:%u", ip, rs->port);
	return buf;
}

static void smtp_run(struct ck_probe *p)
{
	const struct ck_conf *cf = ck_probe_conf(p);
	const struct ck_conn *co = &cf->conn;
	struct smtp_state *st = ck_probe_state(p);
	char ip[INET6_ADDRSTRLEN] = "", rs[INET6_ADDRSTRLEN + 16];
	unsigned port;
	union ck_sockaddr dst;
	int fd, r;

	ck_probe_dst(p, &dst);
	if (!st->retrying)		/* smtp_start_check_thread */
		ck_probe_ck(p)->retry_it = 0;
	st->retrying = false;

	fd = socket(dst.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, IPPROTO_TCP);
	if (fd < 0) {
		log_info("SMTP_CHECK connection failed to create socket. Rescheduling.");
		ck_probe_schedule(p, cf->delay_loop_us);
		return;
	}
	st->sk.fd = fd;
	st->sk.has_fd = true;
	st->phase = SP_CONNECT;
	r = ck_sock_connect(fd, co, &dst);
	if (!r || r == -EINPROGRESS) {
		/* keepalived looks at SO_ERROR once the socket is writable, either way */
		if (arm(p, false) == 0)
			return;
		r = -ENOMEM;
	}
	smtp_close(st);
	if (ck_connect_error_counted(-r)) {
		ck_sockaddr_ip(&dst, ip, sizeof(ip), &port);
		smtp_final(p, "Network unreachable for server %s - real server %s", ip,
			   rs_pair(p, rs, sizeof(rs)));
		return;
	}
	log_info("SMTP_CHECK socket bind failed. Rescheduling.");
	ck_probe_schedule(p, cf->delay_loop_us);
}

static void smtp_cancel(struct ck_probe *p)
{
	struct smtp_state *st = ck_probe_state(p);

	smtp_close(st);
	st->retrying = false;
}

static bool smtp_same(const struct ck_conf *a, const struct ck_conf *b)
{
	return !strcmp(a->u.smtp.helo_name, b->u.smtp.helo_name);
}

const struct ck_driver ck_driver_smtp = {
	.type = CK_SMTP,
	.state_size = sizeof(struct smtp_state),
	.run = smtp_run,
	.cancel = smtp_cancel,
	.release = smtp_cancel,
	.same = smtp_same,
};
