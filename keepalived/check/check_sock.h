/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/check/check_sock.h: the sockets of a checker's connection (fwmark, bind_if, bindto, connect_ip). */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "check_data.h"

struct sched_ev;

/*
 * The set-up every checker that opens a socket does before connect(): SO_MARK (fwmark
 * non-zero), SO_BINDTODEVICE (ifname non-NULL and non-empty), bind() (src non-NULL),
 * in this order. 0, or -errno of the first step that failed. http_fetch (genhash too)
 * passes its request's fields; the drivers pass their ck_conn through ck_sock_setup_conn().
 */
int ck_sock_setup(int fd, uint32_t fwmark, const char *ifname, const struct sockaddr *src,
		  socklen_t src_len);
int ck_sock_setup_conn(int fd, const struct ck_conn *co);
/* ck_sock_setup_conn(), then connect() to dst (ck_probe_dst()): 0, or -errno (-EINPROGRESS) */
int ck_sock_connect(int fd, const struct ck_conn *co, const union ck_sockaddr *dst);

socklen_t ck_sockaddr_len(const union ck_sockaddr *ss);
/* connect() errors that are the backend's (keepalived's layer4.c list): a failed check */
bool ck_connect_error_counted(int err);
/* ss's address as text (len >= INET6_ADDRSTRLEN) and port; false, untouched: no AF_INET(6) */
bool ck_sockaddr_ip(const union ck_sockaddr *ss, char *ip, size_t len, unsigned *port);
/* "[10.1.0.2]:53" (keepalived's inet_sockaddrtopair); buf >= INET6_ADDRSTRLEN + 10 */
const char *ck_sockaddr_pair(const union ck_sockaddr *ss, char *buf, size_t len);

/* A driver's socket for one attempt, and the readiness watch on it. */
struct ck_sock {
	int fd;				/* valid while has_fd: an attempt in flight */
	bool has_fd;
	struct sched_ev *ev_io;
};
/* Cancel the watch and close the socket; idempotent (a plain close, no SO_LINGER: spec 6.2). */
void ck_sock_close(struct ck_sock *sk);
