/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/check/check_udp.h: what UDP_CHECK shares with DNS_CHECK and the tests. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "check_api.h"
#include "check_sock.h"

#include "udp_reply.h"

/*
 * A non-blocking datagram socket of the checker's connection, connected: with recverr
 * IP_RECVERR / IPV6_RECVERR (UDP_CHECK: any ICMP error fails the next recv), SO_MARK,
 * SO_BINDTODEVICE, bind. Returns the fd, or -errno with *stage saying which step failed.
 */
enum ck_sock_stage { CK_SOCK_CREATE, CK_SOCK_SETUP, CK_SOCK_CONNECT };
int ck_udp_socket(const struct ck_conn *co, const union ck_sockaddr *dst, bool recverr,
		  enum ck_sock_stage *stage);
