// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/check/check_udp.c: UDP_CHECK: a datagram out, a reply or an ICMP error back (spec 2.6). */
#include "check_drivers.h"
#include "check_l4.h"
#include "check_udp.h"

#include <errno.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "log.h"
#include "scheduler.h"
#include "utils.h"


/* keepalived's default payload (layer4.c set_buf): "keepalived check - " repeated, 32 bytes */
#define UDP_DEFAULT_PAYLOAD_LEN 32

struct udp_state {
	struct ck_sock sk;
};

int ck_udp_socket(const struct ck_conn *co, const union ck_sockaddr *dst, bool recverr,
		  enum ck_sock_stage *stage)
{
	int on = 1, r = 0;
	int fd = socket(dst->ss_family, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, IPPROTO_UDP);

	*stage = CK_SOCK_CREATE;
	if (fd < 0)
		return -errno;
	*stage = CK_SOCK_SETUP;
	if (!recverr)
		r = 0;
	else if (dst->ss_family == AF_INET6)
		r = setsockopt(fd, SOL_IPV6, IPV6_RECVERR, &on, sizeof(on));
	else
		r = setsockopt(fd, SOL_IP, IP_RECVERR, &on, sizeof(on));
	if (r < 0)
		log_info("Error %d setting IP%s_RECVERR for socket %d - %s", errno,
			 dst->ss_family == AF_INET6 ? "V6" : "", fd, strerror(errno));
	r = ck_sock_setup_conn(fd, co);
	if (r < 0)
		goto fail;
	*stage = CK_SOCK_CONNECT;
	if (connect(fd, (const struct sockaddr *)dst, ck_sockaddr_len(dst)) < 0) {
		r = -errno;
		goto fail;
	}
	return fd;
fail:
	close(fd);
	return r;
}

/* keepalived's udp_epilog (check_udp.c): a down checker waits delay_loop (ck_l4_epilog) */
static const struct ck_l4_type udp_type = {
	.conn = "UDP",
	.check = "UDP_CHECK",
	.alert_up = "=> UDP CHECK succeed on service <=",
	.alert_down = "=> UDP CHECK failed on service <=",
};

/* a failed attempt's own line, while the checker is up and log_all_failures is on */
static void udp_failure_line(struct ck_probe *p, bool mismatch)
{
	if (!ck_probe_ck(p)->is_up || !ck_log_all_failures(p))
		return;
	for (struct ck_member *m = ck_probe_members(p); m; m = ck_member_next(m)) {
		if (!ck_member_ck(m)->enabled)
			continue;
		if (mismatch)
			log_info("UDP check to %s reply data mismatch.", ck_member_rs_str(m));
		else
			log_info("UDP connection to %s failed.", ck_member_rs_str(m));
	}
}

static void udp_io_cb(struct sched_ev *ev, void *arg)
{
	struct ck_probe *p = arg;
	const struct ck_udp *u = &ck_probe_conf(p)->u.udp;
	struct udp_state *st = ck_probe_state(p);
	uint8_t buf[65536];
	ssize_t n;

	if (sched_ev_why(ev) == SCHED_TIMEOUT) {
		/* no reply, no ICMP error: a success unless a reply is required */
		ck_sock_close(&st->sk);
		if (u->require_reply)
			udp_failure_line(p, false);
		ck_l4_epilog(p, &udp_type, !u->require_reply);
		return;
	}
	/* keepalived reads max_reply_length + 1 bytes: a longer reply then fails the length */
	n = recv(st->sk.fd, buf, u->require_reply ? u->max_reply_len + 1 : 1, 0);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	ck_sock_close(&st->sk);
	if (n < 0) {
		/* IP_RECVERR: an ICMP error (port/host unreachable) fails the read */
		udp_failure_line(p, false);
		ck_l4_epilog(p, &udp_type, false);
		return;
	}
	if (u->require_reply && !udp_reply_ok(u, buf, (size_t)n)) {
		udp_failure_line(p, true);
		ck_l4_epilog(p, &udp_type, false);
		return;
	}
	ck_l4_epilog(p, &udp_type, true);
}

static void udp_run(struct ck_probe *p)
{
	const struct ck_conf *cf = ck_probe_conf(p);
	const struct ck_udp *u = &cf->u.udp;
	struct udp_state *st = ck_probe_state(p);
	static const char fill[] = "keepalived check - ";
	uint8_t dflt[UDP_DEFAULT_PAYLOAD_LEN];
	const uint8_t *payload = u->payload;
	size_t len = u->payload_len;
	enum ck_sock_stage stage;
	union ck_sockaddr dst;
	int fd;

	if (!ck_probe_ck(p)->enabled) {
		ck_probe_schedule(p, cf->delay_loop_us);
		return;
	}
	if (!payload) {
		for (size_t i = 0; i < sizeof(dflt); i++)
			dflt[i] = (uint8_t)fill[i % (sizeof(fill) - 1)];
		payload = dflt;
		len = sizeof(dflt);
	}
	ck_probe_dst(p, &dst);
	fd = ck_udp_socket(&cf->conn, &dst, true, &stage);
	if (fd < 0 && stage == CK_SOCK_CREATE) {
		log_info("UDP connect fail to create socket. Rescheduling.");
		ck_probe_schedule(p, cf->delay_loop_us);
		return;
	}
	/* keepalived (udp_bind_connect) counts every other set-up or send error as a failed
	 * attempt, without a line of its own */
	if (fd < 0 || send(fd, payload, len, 0) != (ssize_t)len) {
		if (fd >= 0)
			close(fd);
		ck_l4_epilog(p, &udp_type, false);
		return;
	}
	st->sk.fd = fd;
	st->sk.has_fd = true;
	if (sched_read(ck_probe_sched(p), &st->sk.ev_io, fd, cf->conn.connect_timeout_us, udp_io_cb,
		       p) < 0) {
		ck_sock_close(&st->sk);
		ck_l4_epilog(p, &udp_type, false);
	}
}

static void udp_cancel(struct ck_probe *p)
{
	struct udp_state *st = ck_probe_state(p);

	ck_sock_close(&st->sk);
}

static bool bytes_eq(const uint8_t *a, const uint8_t *b, size_t n)
{
	return (!a && !b) || (a && b && !memcmp(a, b, n));
}

static bool udp_same(const struct ck_conf *a, const struct ck_conf *b)
{
	const struct ck_udp *x = &a->u.udp, *y = &b->u.udp;

	return x->payload_len == y->payload_len && bytes_eq(x->payload, y->payload, x->payload_len) &&
	       x->require_reply == y->require_reply && x->reply_len == y->reply_len &&
	       bytes_eq(x->reply, y->reply, x->reply_len) &&
	       bytes_eq(x->reply_mask, y->reply_mask, x->reply_len) &&
	       x->min_reply_len == y->min_reply_len && x->max_reply_len == y->max_reply_len;
}

const struct ck_driver ck_driver_udp = {
	.type = CK_UDP,
	.state_size = sizeof(struct udp_state),
	.run = udp_run,
	.cancel = udp_cancel,
	.release = udp_cancel,
	.same = udp_same,
};
