// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/check/check_sock.c: the sockets of a checker's connection (fwmark, bind_if, bindto, connect_ip). */
#include "check_sock.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "scheduler.h"

int ck_sock_setup(int fd, uint32_t fwmark, const char *ifname, const struct sockaddr *src,
		  socklen_t src_len)
{
	if (fwmark && setsockopt(fd, SOL_SOCKET, SO_MARK, &fwmark, sizeof(fwmark)) < 0)
		return -errno;
	if (ifname && ifname[0] && setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname,
					      (socklen_t)strlen(ifname) + 1) < 0)
		return -errno;
	if (src && bind(fd, src, src_len) < 0)
		return -errno;
	return 0;
}

int ck_sock_setup_conn(int fd, const struct ck_conn *co)
{
	const struct sockaddr *src = co->src.ss_family ? (const struct sockaddr *)&co->src : NULL;

	return ck_sock_setup(fd, co->fwmark, co->bind_if, src, ck_sockaddr_len(&co->src));
}

int ck_sock_connect(int fd, const struct ck_conn *co, const union ck_sockaddr *dst)
{
	int r = ck_sock_setup_conn(fd, co);

	if (!r && connect(fd, (const struct sockaddr *)dst, ck_sockaddr_len(dst)) < 0)
		r = -errno;
	return r;
}

socklen_t ck_sockaddr_len(const union ck_sockaddr *ss)
{
	return ss->ss_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
}

bool ck_connect_error_counted(int err)
{
	switch (err) {
	case ENETUNREACH: case EHOSTUNREACH: case ECONNREFUSED: case EHOSTDOWN:
	case ENETDOWN: case ECONNRESET: case ECONNABORTED: case ETIMEDOUT:
		return true;
	default:
		return false;
	}
}

bool ck_sockaddr_ip(const union ck_sockaddr *ss, char *ip, size_t len, unsigned *port)
{
	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)ss;

		inet_ntop(AF_INET6, &s6->sin6_addr, ip, (socklen_t)len);
		*port = ntohs(s6->sin6_port);
	} else if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)ss;

		inet_ntop(AF_INET, &s4->sin_addr, ip, (socklen_t)len);
		*port = ntohs(s4->sin_port);
	} else {
		return false;
	}
	return true;
}

const char *ck_sockaddr_pair(const union ck_sockaddr *ss, char *buf, size_t len)
{
	char ip[INET6_ADDRSTRLEN] = "?";
	unsigned port = 0;

	ck_sockaddr_ip(ss, ip, sizeof(ip), &port);
	snprintf(buf, len, "[%s]:%u", ip, port);
	return buf;
}

void ck_sock_close(struct ck_sock *sk)
{
	sched_cancel(&sk->ev_io);
	if (sk->has_fd)
		close(sk->fd);
	sk->has_fd = false;
	sk->fd = -1;
}
