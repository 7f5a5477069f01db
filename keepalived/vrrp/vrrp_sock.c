// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/vrrp/vrrp_sock.c: raw VRRP sockets (protocol 112), one per interface and family. */
#include "vrrp_sock.h"

#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "log.h"
#include "scheduler.h"

#define RX_BUDGET 64		/* packets per wakeup */
#define RX_BUF (VRRP_IP4_HDR_LEN + VRRP_AH_LEN + VRRP_PKT_MAX_LEN + 64)

struct vrrp_sock {
	int fd;
	int family;
	int proto;
	int ifindex;
	char ifname[IF_NAMESIZE];
	bool joined;
	uint8_t min_ttl, max_ttl;
	struct sched_ev *ev_read;
	vrrp_sock_rx_fn *rx_cb;
	void *arg;
	struct vrrp_sock_stats stats;
	uint8_t buf[RX_BUF];
};

static int setopt(int fd, int level, int name, int val)
{
	return setsockopt(fd, level, name, &val, sizeof(val)) < 0 ? -errno : 0;
}

static int setup_v4(int fd)
{
	int r;

	if ((r = setopt(fd, IPPROTO_IP, IP_HDRINCL, 1)) < 0 ||
	    (r = setopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, 0)) < 0 ||
	    (r = setopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, VRRP_TTL)) < 0)
		return r;
	return 0;
}

static int setup_v6(int fd, int ifindex)
{
	int r;

	if ((r = setopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, 0)) < 0 ||
	    (r = setopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, VRRP_TTL)) < 0 ||
	    (r = setopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, VRRP_TTL)) < 0 ||
	    (r = setopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, ifindex)) < 0 ||
	    (r = setopt(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1)) < 0 ||
	    (r = setopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, 1)) < 0 ||
	    (r = setopt(fd, IPPROTO_IPV6, IPV6_TCLASS, VRRP_TOS)) < 0)
		return r;
	return 0;
}

/* The VRID byte of a packet that failed decoding, if the bytes reach it; else -1. */
static int peek_vrid(const struct vrrp_sock *vs, size_t len)
{
	size_t off = 0;

	if (vs->family == AF_INET) {
		if (len < VRRP_IP4_HDR_LEN)
			return -1;
		off = (vs->buf[0] & 0x0f) * 4;
		if (vs->buf[9] == VRRP_PROTO_AH)
			off += VRRP_AH_LEN;
	}
	return off + 1 < len ? vs->buf[off + 1] : -1;
}

static void handle(struct vrrp_sock *vs, size_t len, const struct msghdr *mh)
{
	struct vrrp_pkt_rx rx = { .family = vs->family, .min_ttl = vs->min_ttl,
				  .max_ttl = vs->max_ttl };
	struct vrrp_advert ad;
	enum vrrp_drop why;

	if (vs->family == AF_INET6) {
		const struct sockaddr_in6 *from = mh->msg_name;
		struct cmsghdr *cm;

		rx.src = from->sin6_addr;
		for (cm = CMSG_FIRSTHDR((struct msghdr *)mh); cm;
		     cm = CMSG_NXTHDR((struct msghdr *)mh, cm)) {
			if (cm->cmsg_level != IPPROTO_IPV6)
				continue;
			if (cm->cmsg_type == IPV6_HOPLIMIT) {
				int hl;

				memcpy(&hl, CMSG_DATA(cm), sizeof(hl));
				rx.hop_limit = hl;
			} else if (cm->cmsg_type == IPV6_PKTINFO) {
				struct in6_pktinfo pi;

				memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
				rx.dst = pi.ipi6_addr;
			}
		}
	}
	vs->stats.n_rx++;
	memset(&ad, 0, sizeof(ad));
	why = vrrp_pkt_decode(vs->buf, len, &rx, &ad);
	if (why != VRRP_DROP_NONE)
		vs->stats.n_drop[why]++;
	vs->rx_cb(vs->arg, vs, &ad, why, why == VRRP_DROP_NONE ? ad.vrid : peek_vrid(vs, len));
}

static void read_cb(struct sched_ev *ev, void *arg)
{
	struct vrrp_sock *vs = arg;

	for (int i = 0; i < RX_BUDGET; i++) {
		struct sockaddr_storage from;
		union {
			struct cmsghdr align;
			uint8_t b[CMSG_SPACE(sizeof(int)) + CMSG_SPACE(sizeof(struct in6_pktinfo))];
		} cbuf;
		struct iovec iov = { vs->buf, sizeof(vs->buf) };
		struct msghdr mh = { .msg_name = &from, .msg_namelen = sizeof(from),
				     .msg_iov = &iov, .msg_iovlen = 1,
				     .msg_control = cbuf.b, .msg_controllen = sizeof(cbuf.b) };
		ssize_t n = recvmsg(vs->fd, &mh, MSG_DONTWAIT);

		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR)
				log_warn("%s: VRRP socket read failed: %m", vs->ifname);
			return;
		}
		if (mh.msg_flags & MSG_TRUNC) {
			vs->stats.n_rx++;
			vs->stats.n_drop[VRRP_DROP_LENGTH]++;
			continue;
		}
		handle(vs, n, &mh);	/* sockets live until the child's end: vs stays valid */
	}
}

int vrrp_sock_open(struct vrrp_sock **ret, struct sched *s, int family, int proto, int ifindex,
		   const char *ifname, vrrp_sock_rx_fn *rx_cb, void *arg)
{
	struct vrrp_sock *vs;
	int r, fd = socket(family, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);

	if (fd < 0)
		return -errno;
	if (ifname && setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname, strlen(ifname) + 1) < 0) {
		r = -errno;
		goto fail;
	}
	r = family == AF_INET ? setup_v4(fd) : setup_v6(fd, ifindex);
	if (r < 0)
		goto fail;
	vs = xcalloc(1, sizeof(*vs));
	vs->fd = fd;
	vs->family = family;
	vs->proto = proto;
	vs->ifindex = ifindex;
	snprintf(vs->ifname, sizeof(vs->ifname), "%s", ifname ? ifname : "");
	vs->min_ttl = vs->max_ttl = VRRP_TTL;
	vs->rx_cb = rx_cb;
	vs->arg = arg;
	if ((r = sched_read(s, &vs->ev_read, fd, 0, read_cb, vs)) < 0) {
		free(vs);
		goto fail;
	}
	*ret = vs;
	return 0;
fail:
	close(fd);
	return r;
}

void vrrp_sock_close(struct vrrp_sock *vs)
{
	if (!vs)
		return;
	sched_cancel(&vs->ev_read);
	close(vs->fd);
	free(vs);
}

int vrrp_sock_join(struct vrrp_sock *vs, const struct inet_addr *group)
{
	int r;

	if (vs->joined)
		return 0;
	if (vs->family == AF_INET) {
		struct ip_mreqn m = { .imr_multiaddr = group->v4, .imr_ifindex = vs->ifindex };

		r = setsockopt(vs->fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &m, sizeof(m));
	} else {
		struct ipv6_mreq m = { .ipv6mr_multiaddr = group->v6, .ipv6mr_interface = vs->ifindex };

		r = setsockopt(vs->fd, IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, &m, sizeof(m));
	}
	if (r < 0 && errno != EADDRINUSE)
		return -errno;
	vs->joined = true;
	return 0;
}

void vrrp_sock_set_ttl_range(struct vrrp_sock *vs, uint8_t min_ttl, uint8_t max_ttl)
{
	vs->min_ttl = min_ttl;
	vs->max_ttl = max_ttl;
}

int vrrp_sock_send(struct vrrp_sock *vs, const uint8_t *pkt, size_t len,
		   const struct inet_addr *src, const struct inet_addr *dst)
{
	struct iovec iov = { (void *)pkt, len };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;
	union {
		struct cmsghdr align;
		uint8_t b[CMSG_SPACE(sizeof(struct in6_pktinfo))];
	} cbuf;
	ssize_t n;

	if (vs->family == AF_INET) {
		sin = (struct sockaddr_in){ .sin_family = AF_INET, .sin_addr = dst->v4 };
		mh.msg_name = &sin;
		mh.msg_namelen = sizeof(sin);
	} else {
		struct cmsghdr *cm;
		struct in6_pktinfo pi = { .ipi6_addr = src->v6, .ipi6_ifindex = vs->ifindex };

		sin6 = (struct sockaddr_in6){ .sin6_family = AF_INET6, .sin6_addr = dst->v6,
					      .sin6_scope_id = vs->ifindex };
		mh.msg_name = &sin6;
		mh.msg_namelen = sizeof(sin6);
		mh.msg_control = cbuf.b;
		mh.msg_controllen = sizeof(cbuf.b);
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = IPPROTO_IPV6;
		cm->cmsg_type = IPV6_PKTINFO;
		cm->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(cm), &pi, sizeof(pi));
	}
	n = sendmsg(vs->fd, &mh, MSG_DONTWAIT);
	if (n < 0) {
		vs->stats.n_tx_err++;
		return -errno;
	}
	vs->stats.n_tx++;
	return 0;
}

int vrrp_sock_ifindex(const struct vrrp_sock *vs) { return vs->ifindex; }
int vrrp_sock_family(const struct vrrp_sock *vs) { return vs->family; }
int vrrp_sock_proto(const struct vrrp_sock *vs) { return vs->proto; }
const struct vrrp_sock_stats *vrrp_sock_stats(const struct vrrp_sock *vs) { return &vs->stats; }

void vrrp_sock_count_drop(struct vrrp_sock *vs, enum vrrp_drop why)
{
	vs->stats.n_drop[why]++;
}
