// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/check/check_ping.c: PING_CHECK: an ICMP echo over an unprivileged socket (spec 2.7). */
#include "check_ping.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip_icmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check_drivers.h"
#include "check_l4.h"
#include "check_api.h"
#include "check_udp.h"
#include "log.h"
#include "scheduler.h"


#define ICMP_PAYLOAD 128
#define PING_RCVBUF (128 * 1024)

static const char ping_group_range[] = "/proc/sys/net/ipv4/ping_group_range";

/*
 * The one piece of process-wide state of the checker: the lower bound of the ping
 * group range before we widened it, for check_ping_restore() at exit. It describes
 * the process's network namespace, not any configuration, so a reload keeps it.
 */
static struct {
	bool expanded;
	unsigned long saved_lo;
} ping_range;

bool check_ping_parse_range(const char *buf, unsigned long *lo, unsigned long *hi)
{
	char *end;

	errno = 0;
	*lo = strtoul(buf, &end, 10);
	if (errno || end == buf || *lo >= 1UL << 32 || (*end != '\t' && *end != ' '))
		return false;
	buf = end + 1;
	*hi = strtoul(buf, &end, 10);
	return !errno && end != buf && *hi < 1UL << 32 && *end == '\n';
}

/* read the range; fd stays open for the write (0, or -1: leave it alone) */
static int range_read(int *fd, unsigned long *lo, unsigned long *hi)
{
	char buf[32];
	ssize_t n;

	*fd = open(ping_group_range, O_RDWR | O_CLOEXEC);
	if (*fd < 0)
		return -1;
	n = read(*fd, buf, sizeof(buf) - 1);
	if (n <= 0 || n == sizeof(buf) - 1)
		goto fail;
	buf[n] = '\0';
	if (!check_ping_parse_range(buf, lo, hi))
		goto fail;
	return 0;
fail:
	close(*fd);
	return -1;
}

static void range_write(int fd, unsigned long lo, unsigned long hi)
{
	char buf[32];
	int len = snprintf(buf, sizeof(buf), "%lu\t%lu\t\n", lo, hi);
	ssize_t n;

	n = pwrite(fd, buf, (size_t)len, 0);
	if (n < 0)
		log_info("Write %s failed - errno %d", ping_group_range, errno);
	else if (n != len)
		log_info("Write %s wrote %zd bytes instead of %d", ping_group_range, n, len);
}

bool check_ping_expand(void)
{
	unsigned long lo, hi;
	int fd;

	if (ping_range.expanded)
		return true;
	if (range_read(&fd, &lo, &hi) < 0)
		return false;
	ping_range.expanded = true;
	ping_range.saved_lo = lo;
	if (lo != 0) {
		if (lo > 1 && hi > 1)
			log_info("Warning: %s being expanded from %lu %lu to 0 %lu", ping_group_range,
				 lo, hi, hi);
		range_write(fd, 0, hi);
	}
	close(fd);
	return true;
}

void check_ping_restore(void)
{
	unsigned long lo, hi;
	int fd;

	if (!ping_range.expanded)
		return;
	ping_range.expanded = false;
	if (range_read(&fd, &lo, &hi) < 0)
		return;
	if (lo != ping_range.saved_lo)
		range_write(fd, ping_range.saved_lo, hi);
	close(fd);
}

struct ping_state {
	struct ck_sock sk;
	uint16_t seq;
};

/* keepalived's icmp_epilog: UDP_CHECK's rules (ck_l4_epilog) with ICMP's words */
static const struct ck_l4_type ping_type = {
	.conn = "ICMP",
	.check = "ICMP CHECK",
	.retries_name_vs = true,
	.alert_up = "=> ICMP CHECK succeed on service <=",
	.alert_down = "=> ICMP CHECK failed on service <=",
};

static bool log_attempt(struct ck_probe *p)
{
	return ck_probe_ck(p)->is_up && ck_log_all_failures(p);
}

/* keepalived's recv_it / recv6_it */
static bool ping_recv(int fd, bool v6)
{
	uint8_t buf[sizeof(struct icmp6_hdr) + ICMP_PAYLOAD];
	ssize_t n = recv(fd, buf, sizeof(buf), 0);
	size_t hdr = v6 ? sizeof(struct icmp6_hdr) : sizeof(struct icmphdr);
	uint8_t want = v6 ? ICMP6_ECHO_REPLY : ICMP_ECHOREPLY;

	if (n < 0) {
		log_info("recv ICMP%s packet error", v6 ? "v6" : "");
		return false;
	}
	if ((size_t)n < hdr) {
		log_info("Error, got short ICMP%s packet, %zd bytes", v6 ? "v6" : "", n);
		return false;
	}
	if (buf[0] != want) {
		log_info("Got ICMP%s packet with type 0x%x", v6 ? "v6" : "", buf[0]);
		return false;
	}
	return true;
}

static void ping_io_cb(struct sched_ev *ev, void *arg)
{
	struct ck_probe *p = arg;
	struct ping_state *st = ck_probe_state(p);
	union ck_sockaddr dst;
	bool v6, ok;

	ck_probe_dst(p, &dst);
	v6 = dst.ss_family == AF_INET6;

	if (sched_ev_why(ev) == SCHED_TIMEOUT) {
		ck_sock_close(&st->sk);
		if (log_attempt(p))
			for (struct ck_member *m = ck_probe_members(p); m; m = ck_member_next(m))
				if (ck_member_ck(m)->enabled)
					log_info("ICMP connection to address %s timeout.",
						 ck_member_rs_str(m));
		ck_l4_epilog(p, &ping_type, false);
		return;
	}
	ok = ping_recv(st->sk.fd, v6);
	ck_sock_close(&st->sk);
	if (!ok && log_attempt(p))
		for (struct ck_member *m = ck_probe_members(p); m; m = ck_member_next(m))
			if (ck_member_ck(m)->enabled)
				log_info("ICMP connection to %s of %s failed.", ck_member_rs_str(m),
					 ck_member_vs_str(m));
	ck_l4_epilog(p, &ping_type, ok);
}

static void ping_run(struct ck_probe *p)
{
	const struct ck_conf *cf = ck_probe_conf(p);
	union ck_sockaddr dst_buf;
	const union ck_sockaddr *dst = (ck_probe_dst(p, &dst_buf), &dst_buf);
	struct ping_state *st = ck_probe_state(p);
	static const char fill[] = "keepalived check - ";
	bool v6 = dst->ss_family == AF_INET6;
	uint8_t pkt[sizeof(struct icmp6_hdr) + ICMP_PAYLOAD];
	size_t hdr = v6 ? sizeof(struct icmp6_hdr) : sizeof(struct icmphdr);
	int fd, size = PING_RCVBUF;

	if (!ck_probe_ck(p)->enabled) {
		ck_probe_schedule(p, cf->delay_loop_us);
		return;
	}
	/* bindto and bind_if are not used (keepalived 2.2.7 ignores them for PING_CHECK) */
	fd = socket(dst->ss_family, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
		    v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP);
	if (fd < 0) {
		log_info("ICMP%s connect fail to create socket. Rescheduling.", v6 ? "v6" : "");
		ck_probe_schedule(p, cf->delay_loop_us);
		return;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size)) < 0)
		log_info("setsockopt SO_RCVBUF for socket %d failed (%d) - %s", fd, errno,
			 strerror(errno));
	st->sk.fd = fd;
	st->sk.has_fd = true;

	/* echo request: the kernel sets the identifier (and the checksum) of ping sockets */
	memset(pkt, 0, hdr);
	for (size_t i = 0; i < ICMP_PAYLOAD; i++)
		pkt[hdr + i] = (uint8_t)fill[i % (sizeof(fill) - 1)];
	if (v6) {
		struct icmp6_hdr *h = (struct icmp6_hdr *)pkt;

		h->icmp6_type = ICMP6_ECHO_REQUEST;
		h->icmp6_seq = st->seq++;
	} else {
		struct icmphdr *h = (struct icmphdr *)pkt;

		h->type = ICMP_ECHO;
		h->un.echo.sequence = st->seq++;
	}
	if (sendto(fd, pkt, hdr + ICMP_PAYLOAD, 0, (const struct sockaddr *)dst,
		   ck_sockaddr_len(dst)) < 0) {
		if (v6)
			log_info("send ICMPv6 packet fail - errno %d", errno);
		else
			log_info("send ICMP packet fail");
		ck_sock_close(&st->sk);
		ck_l4_epilog(p, &ping_type, false);
		return;
	}
	if (sched_read(ck_probe_sched(p), &st->sk.ev_io, fd, cf->conn.connect_timeout_us,
		       ping_io_cb, p) < 0) {
		ck_sock_close(&st->sk);
		ck_l4_epilog(p, &ping_type, false);
	}
}

static int ping_prepare(struct ck_probe *p)
{
	(void)p;
	check_ping_expand();
	return 0;
}

static void ping_cancel(struct ck_probe *p)
{
	struct ping_state *st = ck_probe_state(p);

	ck_sock_close(&st->sk);
}

static bool ping_same(const struct ck_conf *a, const struct ck_conf *b)
{
	(void)a;
	(void)b;
	return true;		/* PING_CHECK has no data of its own */
}

const struct ck_driver ck_driver_ping = {
	.type = CK_PING,
	.state_size = sizeof(struct ping_state),
	.prepare = ping_prepare,
	.run = ping_run,
	.cancel = ping_cancel,
	.release = ping_cancel,
	.same = ping_same,
};
