// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/check/check_dns.c: DNS_CHECK: one query over UDP, a reply with RCODE 0 (spec 2.5). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check_drivers.h"
#include "check_udp.h"
#include "dns_pkt.h"
#include "log.h"
#include "scheduler.h"


struct dns_state {
	struct ck_sock sk;
	uint64_t deadline_us;		/* the attempt's end: connect_timeout after it began */
	uint16_t id;
	size_t qlen;
	uint8_t query[DNS_PKT_MAX_QUERY];
};

static const char *dns_name(const struct ck_conf *cf)
{
	return cf->u.dns.name ? cf->u.dns.name : ".";
}

/* "DNS_CHECK ([10.1.0.2]:udp:53) ..." once per member that is still up or has not run */
static void dns_log(struct ck_probe *p, bool all, const char *msg)
{
	for (struct ck_member *m = ck_probe_members(p); m; m = ck_member_next(m)) {
		struct ce_ck *mk = ck_member_ck(m);

		if (!mk->enabled || (!all && !mk->is_up && mk->has_run))
			continue;
		log_info("DNS_CHECK (%s) %s", ck_member_rs_str(m), msg);
	}
}

/*
 * keepalived's dns_final: a failure while up (or before the first result) is logged when
 * it exhausts the retries (or log_all_failures), with " after N retries" once the checker
 * has run; with retries left the next attempt follows after delay_before_retry (which
 * defaults to delay_loop for DNS_CHECK). Otherwise the next attempt is delay_loop away.
 */
static void dns_final(struct ck_probe *p, bool error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void dns_final(struct ck_probe *p, bool error, const char *fmt, ...)
{
	const struct ck_conf *cf = ck_probe_conf(p);
	struct dns_state *st = ck_probe_state(p);
	struct ce_ck *ck = ck_probe_ck(p);
	char msg[512];
	va_list ap;
	int n;

	ck_probe_note_result(p, !error);
	ck_sock_close(&st->sk);
	if (error) {
		if (ck->is_up || !ck->has_run) {
			if (fmt && (ck_log_all_failures(p) || ck->retry_it >= cf->retry)) {
				va_start(ap, fmt);
				n = vsnprintf(msg, sizeof(msg), fmt, ap);
				va_end(ap);
				if (n < 0)
					n = 0;
				if ((size_t)n >= sizeof(msg))
					n = sizeof(msg) - 1;
				if (ck->has_run && ck->retry_it >= cf->retry)
					snprintf(msg + n, sizeof(msg) - (size_t)n, " after %u retries",
						 cf->retry);
				dns_log(p, false, msg);
			}
			if (ck->retry_it < cf->retry) {
				ck->retry_it++;
				ck->has_run = true;
				ck_probe_schedule(p, cf->delay_before_retry_us);
				return;
			}
			ck_probe_set_state(p, false, "=> DNS_CHECK: failed on service <=");
		}
	} else if (!ck->is_up || !ck->has_run) {
		ck_probe_set_state(p, true, "=> DNS_CHECK: succeed on service <=");
	}
	ck->retry_it = 0;
	ck->has_run = true;
	ck_probe_schedule(p, cf->delay_loop_us);
}

static uint64_t remaining_us(struct ck_probe *p)
{
	struct dns_state *st = ck_probe_state(p);
	uint64_t now = sched_now_us(ck_probe_sched(p));

	return st->deadline_us > now ? st->deadline_us - now : 1;
}

static void dns_read_cb(struct sched_ev *ev, void *arg)
{
	struct ck_probe *p = arg;
	struct dns_state *st = ck_probe_state(p);
	uint8_t buf[512];
	enum dns_reply r;
	ssize_t n;
	int rcode = 0;

	if (sched_ev_why(ev) == SCHED_TIMEOUT) {
		dns_final(p, true, "read timeout from socket");
		return;
	}
	n = recv(st->sk.fd, buf, sizeof(buf), 0);
	if (n < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return;
		dns_final(p, true, "failed to read socket; errno %d (%s)", errno, strerror(errno));
		return;
	}
	r = dns_pkt_reply(buf, (size_t)n, st->id, &rcode);
	switch (r) {
	case DNS_REPLY_OK:
		dns_final(p, false, NULL);
		return;
	case DNS_REPLY_RCODE:
		dns_final(p, true, "read error occurred. (rcode = %d)", rcode);
		return;
	default:
		/* another id, a query, a runt: ignored; the attempt keeps its deadline */
		if (sched_read(ck_probe_sched(p), &st->sk.ev_io, st->sk.fd, remaining_us(p),
			       dns_read_cb, p) < 0)
			dns_final(p, true, "read timeout from socket");
		return;
	}
}

static void dns_send(struct ck_probe *p);

static void dns_write_cb(struct sched_ev *ev, void *arg)
{
	struct ck_probe *p = arg;

	if (sched_ev_why(ev) == SCHED_TIMEOUT) {
		dns_final(p, true, "write timeout to socket.");
		return;
	}
	sched_cancel(&((struct dns_state *)ck_probe_state(p))->sk.ev_io);
	dns_send(p);
}

static void dns_send(struct ck_probe *p)
{
	struct dns_state *st = ck_probe_state(p);
	ssize_t n = send(st->sk.fd, st->query, st->qlen, 0);

	if (n < 0) {
		if ((errno == EAGAIN || errno == EINTR) &&
		    !sched_write(ck_probe_sched(p), &st->sk.ev_io, st->sk.fd, remaining_us(p),
				 dns_write_cb, p))
			return;
		dns_final(p, true, "failed to write socket.");
		return;
	}
	if ((size_t)n != st->qlen) {
		dns_final(p, true, "failed to write all of the datagram.");
		return;
	}
	if (sched_read(ck_probe_sched(p), &st->sk.ev_io, st->sk.fd, remaining_us(p), dns_read_cb,
		       p) < 0)
		dns_final(p, true, "connection error.");
}

static void dns_run(struct ck_probe *p)
{
	const struct ck_conf *cf = ck_probe_conf(p);
	struct dns_state *st = ck_probe_state(p);
	enum ck_sock_stage stage;
	char pair[INET6_ADDRSTRLEN + 10];
	union ck_sockaddr dst;
	int fd;

	if (!ck_probe_ck(p)->enabled) {
		ck_probe_schedule(p, cf->delay_loop_us);
		return;
	}
	ck_probe_dst(p, &dst);
	fd = ck_udp_socket(&cf->conn, &dst, false, &stage);
	if (fd < 0) {
		if (stage == CK_SOCK_CONNECT && ck_connect_error_counted(-fd)) {
			dns_final(p, true, "network unreachable for %s",
				  ck_sockaddr_pair(&dst, pair, sizeof(pair)));
			return;
		}
		dns_log(p, true, stage == CK_SOCK_CREATE ? "failed to create socket. Rescheduling."
							 : "UDP socket bind failed. Rescheduling.");
		ck_probe_schedule(p, cf->delay_loop_us);
		return;
	}
	st->sk.fd = fd;
	st->sk.has_fd = true;
	st->deadline_us = sched_now_us(ck_probe_sched(p)) + cf->conn.connect_timeout_us;
	st->id = (uint16_t)random();
	st->qlen = dns_pkt_query(st->query, st->id, dns_name(cf), cf->u.dns.qtype);
	dns_send(p);
}

static int dns_prepare(struct ck_probe *p)
{
	const struct ck_conf *cf = ck_probe_conf(p);
	uint8_t q[DNS_PKT_MAX_QUERY];

	/* the conf checks the name; a name the wire cannot carry drops the checker */
	if (!dns_pkt_query(q, 0, dns_name(cf), cf->u.dns.qtype)) {
		for (struct ck_member *m = ck_probe_members(p); m; m = ck_member_next(m))
			log_info("DNS_CHECK (%s) name %s is not a valid domain name - ignoring checker",
				 ck_member_rs_str(m), dns_name(cf));
		return -EINVAL;
	}
	return 0;
}

static void dns_cancel(struct ck_probe *p)
{
	struct dns_state *st = ck_probe_state(p);

	ck_sock_close(&st->sk);
}

static bool dns_same(const struct ck_conf *a, const struct ck_conf *b)
{
	return a->u.dns.qtype == b->u.dns.qtype && !strcmp(dns_name(a), dns_name(b));
}

const struct ck_driver ck_driver_dns = {
	.type = CK_DNS,
	.state_size = sizeof(struct dns_state),
	.prepare = dns_prepare,
	.run = dns_run,
	.cancel = dns_cancel,
	.release = dns_cancel,
	.same = dns_same,
};
