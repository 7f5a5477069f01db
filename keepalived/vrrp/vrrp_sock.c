// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/vrrp/vrrp_sock.c: raw VRRP sockets (protocol 112), one per interface and family. */
#include "vrrp_sock.h"

#include <assert.h>
#include <errno.h>
#include <limits.h>
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

#define BATCH	64		/* messages per sendmmsg and recvmmsg; packets read per wakeup */
#define PKT_MAX	(VRRP_IP4_HDR_LEN + VRRP_AH_LEN + VRRP_PKT_MAX_LEN)
#define RX_BUF	(PKT_MAX + 64)	/* longer is a VRRP_DROP_LENGTH */
#define RX_HEAD	256		/* the part of each receive slot that every advert touches */
#define TX_DATA	(4 * PKT_MAX)	/* the queued packets' bytes: 64 of up to 256 bytes */
/*
 * A new socket's receive buffer, past net.core.rmem_max (keepalived 2.2.7: the kernel's,
 * 208 kB by default: 256 short packets, 5 ms of a 50,000 packets/s flood, and a child
 * that waits longer for a CPU lost adverts of the master with the flood's packets). The
 * kernel doubles it: 8 MB, about 10,000 short packets (200 ms of that flood); memory
 * only while packets wait in it.
 * vrrp_rx_bufs_policy and kernel_rx_buf_size set it as 2.2.7 does instead.
 */
#define RCVBUF_DEFAULT	(4 << 20)

struct tx_msg {
	struct vrrp_sock *vs;		/* NULL once handed to sendmmsg */
	void *cookie;
	struct inet_addr dst;
	struct msghdr mh;		/* points at the fields below and into tx_data */
	struct iovec iov;
	union {
		struct sockaddr_in v4;
		struct sockaddr_in6 v6;
	} to;
	union {
		struct cmsghdr align;
		uint8_t b[CMSG_SPACE(sizeof(struct in6_pktinfo))];
	} cbuf;
};

struct rx_msg {
	struct sockaddr_in6 from;
	union {
		struct cmsghdr align;
		uint8_t b[CMSG_SPACE(sizeof(int)) + CMSG_SPACE(sizeof(struct in6_pktinfo))];
	} cbuf;
	struct iovec iov[2];		/* rx_head[i], then rx_rest[i] */
};

/*
 * 320 kB in one mapping of its own (xmap_zeroed), so that only the pages written cost
 * memory: what every read writes first, then the slots in the order they fill up (a
 * burst of n packets writes the first n), the packed bytes of the queued packets
 * (64 short adverts fill a page) and at the end what only long packets write.
 */
struct vrrp_sock_batch {
	struct sched *s;
	vrrp_sock_tx_err_fn *tx_err_cb;
	struct sched_ev *ev_flush;
	bool is_flushing;
	unsigned n_tx;
	size_t tx_used;			/* bytes of tx_data in use */
	struct mmsghdr rx_mm[BATCH];
	struct rx_msg rx[BATCH];
	struct tx_msg tx[BATCH];
	struct mmsghdr tx_mm[BATCH];	/* one socket's share of tx[] */
	unsigned tx_idx[BATCH];		/* tx_mm[k] is tx[tx_idx[k]] */
	uint8_t tx_data[TX_DATA];
	uint8_t rx_head[BATCH][RX_HEAD];
	uint8_t rx_long[RX_BUF];	/* a long packet joined up for the decoder */
	/* The rest of each slot, 252 kB of which a long packet writes a little */
	uint8_t rx_rest[BATCH][RX_BUF - RX_HEAD];
};

struct sock_group {
	struct inet_addr addr;
	unsigned refs;
};

struct vrrp_sock {
	int fd;
	int family;
	int proto;
	int ifindex;
	char ifname[IF_NAMESIZE];
	struct sock_group *groups;	/* joined, with how many instances use each */
	unsigned n_groups;
	struct vrrp_sock_batch *batch;	/* borrowed: the process's */
	struct sched_ev *ev_read;
	vrrp_sock_rx_fn *rx_cb;
	void *arg;
	struct vrrp_sock_stats stats;
	/* misc (issue 14 item 8): v3 unicast's old checksum, see vrrp_sock_set_old_csum_dst() */
	const struct inet_addr *old_csum_dst;
};

static int setopt(int fd, int level, int name, int val)
{
	return setsockopt(fd, level, name, &val, sizeof(val)) < 0 ? -errno : 0;
}

/* RCVBUF_DEFAULT unless the buffer is already as large (rmem_default); best effort */
static void rcvbuf_default(int fd)
{
	int cur = 0;
	socklen_t len = sizeof(cur);

	if (getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &cur, &len) == 0 && cur >= 2 * RCVBUF_DEFAULT)
		return;
	if (setopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, RCVBUF_DEFAULT) < 0)
		(void)setopt(fd, SOL_SOCKET, SO_RCVBUF, RCVBUF_DEFAULT);	/* no CAP_NET_ADMIN */
}

static int setup_v4(int fd)
{
	int r;

	/* IP_MULTICAST_ALL off: only the groups this socket joins, as keepalived */
	if ((r = setopt(fd, IPPROTO_IP, IP_HDRINCL, 1)) < 0 ||
	    (r = setopt(fd, IPPROTO_IP, IP_MULTICAST_ALL, 0)) < 0 ||
	    (r = setopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, 0)) < 0 ||
	    (r = setopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, VRRP_TTL)) < 0)
		return r;
	return 0;
}

static int setup_v6(int fd, int ifindex)
{
	int r;

	if ((r = setopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_ALL, 0)) < 0 ||
	    (r = setopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, 0)) < 0 ||
	    (r = setopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, VRRP_TTL)) < 0 ||
	    (r = setopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, VRRP_TTL)) < 0 ||
	    (r = setopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, ifindex)) < 0 ||
	    (r = setopt(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1)) < 0 ||
	    (r = setopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, 1)) < 0 ||
	    (r = setopt(fd, IPPROTO_IPV6, IPV6_TCLASS, VRRP_TOS)) < 0)
		return r;
	return 0;
}

/* Decodes one packet (the generic checks) and hands it to rx_cb, dropped or not. */
static void handle(struct vrrp_sock *vs, const uint8_t *buf, size_t len, const struct msghdr *mh)
{
	struct vrrp_pkt_rx rx = { .family = vs->family,
				  .truncated = (mh->msg_flags & MSG_TRUNC) != 0,
				  .old_csum_dst = vs->old_csum_dst };
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
	why = vrrp_pkt_decode(buf, len, &rx, &ad);
	vs->rx_cb(vs->arg, vs, &ad, why);
}

static void read_cb(struct sched_ev *ev, void *arg)
{
	struct vrrp_sock *vs = arg;
	struct vrrp_sock_batch *b = vs->batch;
	bool is_v6 = vs->family == AF_INET6;
	int n;

	/* IPv4 takes everything from the IP header; IPv6 the source and the cmsgs */
	for (unsigned i = 0; i < BATCH; i++) {
		struct rx_msg *m = &b->rx[i];

		b->rx_mm[i].msg_hdr = (struct msghdr){
			.msg_name = is_v6 ? &m->from : NULL,
			.msg_namelen = is_v6 ? sizeof(m->from) : 0,
			.msg_iov = m->iov, .msg_iovlen = 2,
			.msg_control = is_v6 ? m->cbuf.b : NULL,
			.msg_controllen = is_v6 ? sizeof(m->cbuf.b) : 0,
		};
	}
	n = recvmmsg(vs->fd, b->rx_mm, BATCH, MSG_DONTWAIT, NULL);
	if (n < 0) {
		if (errno != EAGAIN && errno != EINTR)
			log_warn("%s: VRRP socket read failed: %m", vs->ifname);
		return;
	}
	/* a full batch may leave more queued: the watch is level-triggered, we come back */
	for (int i = 0; i < n; i++) {
		const struct msghdr *mh = &b->rx_mm[i].msg_hdr;
		size_t len = b->rx_mm[i].msg_len;
		const uint8_t *buf = b->rx_head[i];

		if (len > RX_HEAD) {
			memcpy(b->rx_long, b->rx_head[i], RX_HEAD);
			memcpy(b->rx_long + RX_HEAD, b->rx_rest[i], len - RX_HEAD);
			buf = b->rx_long;
		}
		handle(vs, buf, len, mh);	/* sockets live until the child's end: vs stays valid */
	}
}

static void flush_cb(struct sched_ev *ev, void *arg)
{
	vrrp_sock_flush(arg);
}

struct vrrp_sock_batch *vrrp_sock_batch_new(struct sched *s, vrrp_sock_tx_err_fn *tx_err_cb)
{
	struct vrrp_sock_batch *b = xmap_zeroed(sizeof(*b));

	b->s = s;
	b->tx_err_cb = tx_err_cb;
	for (unsigned i = 0; i < BATCH; i++) {
		b->rx[i].iov[0] = (struct iovec){ b->rx_head[i], RX_HEAD };
		b->rx[i].iov[1] = (struct iovec){ b->rx_rest[i], sizeof(b->rx_rest[i]) };
	}
	return b;
}

void vrrp_sock_batch_free(struct vrrp_sock_batch *b)
{
	if (!b)
		return;
	assert(!b->n_tx);	/* its sockets are closed */
	sched_cancel(&b->ev_flush);
	xunmap(b, sizeof(*b));
}

/* Hands vs's share of the queue, from tx[first] on, to sendmmsg in queue order. */
static void flush_sock(struct vrrp_sock_batch *b, struct vrrp_sock *vs, unsigned first)
{
	unsigned n = 0;

	for (unsigned i = first; i < b->n_tx; i++) {
		if (b->tx[i].vs != vs)
			continue;
		b->tx[i].vs = NULL;
		b->tx_mm[n] = (struct mmsghdr){ .msg_hdr = b->tx[i].mh };
		b->tx_idx[n++] = i;
	}
	for (unsigned k = 0; k < n;) {
		int r = sendmmsg(vs->fd, b->tx_mm + k, n - k, MSG_DONTWAIT);
		const struct tx_msg *m;

		if (r > 0) {
			vs->stats.n_tx += r;
			k += r;
			continue;
		}
		/* the first one left failed; sendmmsg reports a later one's error at the next call */
		m = &b->tx[b->tx_idx[k++]];
		vs->stats.n_tx_err++;
		b->tx_err_cb(m->cookie, &m->dst, r < 0 ? -errno : -EIO);
	}
}

void vrrp_sock_flush(struct vrrp_sock_batch *b)
{
	if (!b || !b->n_tx)
		return;
	assert(!b->is_flushing);	/* not from tx_err_cb */
	b->is_flushing = true;
	for (unsigned i = 0; i < b->n_tx; i++)
		if (b->tx[i].vs)
			flush_sock(b, b->tx[i].vs, i);
	b->n_tx = 0;
	b->tx_used = 0;
	b->is_flushing = false;
}

int vrrp_sock_open(struct vrrp_sock **ret, struct vrrp_sock_batch *b, int family, int proto,
		   int ifindex, const char *ifname, vrrp_sock_rx_fn *rx_cb, void *arg)
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
	rcvbuf_default(fd);
	vs = xcalloc(1, sizeof(*vs));
	vs->fd = fd;
	vs->family = family;
	vs->proto = proto;
	vs->ifindex = ifindex;
	snprintf(vs->ifname, sizeof(vs->ifname), "%s", ifname ? ifname : "");
	vs->rx_cb = rx_cb;
	vs->arg = arg;
	vs->batch = b;
	if ((r = sched_read(b->s, &vs->ev_read, fd, 0, read_cb, vs)) < 0) {
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
	vrrp_sock_flush(vs->batch);
	sched_cancel(&vs->ev_read);
	close(vs->fd);
	free(vs->groups);
	free(vs);
}

static int membership(struct vrrp_sock *vs, const struct inet_addr *group, bool add)
{
	int r;

	if (vs->family == AF_INET) {
		struct ip_mreqn m = { .imr_multiaddr = group->v4, .imr_ifindex = vs->ifindex };

		r = setsockopt(vs->fd, IPPROTO_IP, add ? IP_ADD_MEMBERSHIP : IP_DROP_MEMBERSHIP,
			       &m, sizeof(m));
	} else {
		struct ipv6_mreq m = { .ipv6mr_multiaddr = group->v6, .ipv6mr_interface = vs->ifindex };

		r = setsockopt(vs->fd, IPPROTO_IPV6, add ? IPV6_ADD_MEMBERSHIP : IPV6_DROP_MEMBERSHIP,
			       &m, sizeof(m));
	}
	return r < 0 ? -errno : 0;
}

static struct sock_group *group_find(struct vrrp_sock *vs, const struct inet_addr *group)
{
	for (unsigned i = 0; i < vs->n_groups; i++)
		if (inet_addr_eq(&vs->groups[i].addr, group))
			return &vs->groups[i];
	return NULL;
}

int vrrp_sock_join(struct vrrp_sock *vs, const struct inet_addr *group)
{
	struct sock_group *g = group_find(vs, group);
	int r;

	if (g) {
		g->refs++;
		return 0;
	}
	if ((r = membership(vs, group, true)) < 0 && r != -EADDRINUSE)
		return r;
	vs->groups = xrealloc(vs->groups, (vs->n_groups + 1) * sizeof(*vs->groups));
	vs->groups[vs->n_groups++] = (struct sock_group){ .addr = *group, .refs = 1 };
	return 0;
}

void vrrp_sock_leave(struct vrrp_sock *vs, const struct inet_addr *group)
{
	struct sock_group *g = group_find(vs, group);

	if (!g || --g->refs)
		return;
	membership(vs, group, false);	/* nothing to do if it fails: the socket stays joined */
	*g = vs->groups[--vs->n_groups];
}

int vrrp_sock_queue(struct vrrp_sock *vs, const uint8_t *pkt, size_t len,
		    const struct inet_addr *src, const struct inet_addr *dst, void *cookie)
{
	struct vrrp_sock_batch *b = vs->batch;
	struct tx_msg *m;

	assert(!b->is_flushing);	/* not from tx_err_cb */
	if (len > PKT_MAX)
		return -EMSGSIZE;
	if (b->tx_used + len > sizeof(b->tx_data))
		vrrp_sock_flush(b);
	m = &b->tx[b->n_tx++];
	m->vs = vs;
	m->cookie = cookie;
	m->dst = *dst;
	memcpy(b->tx_data + b->tx_used, pkt, len);
	m->iov = (struct iovec){ b->tx_data + b->tx_used, len };
	b->tx_used += len;
	m->mh = (struct msghdr){ .msg_iov = &m->iov, .msg_iovlen = 1 };
	if (vs->family == AF_INET) {
		m->to.v4 = (struct sockaddr_in){ .sin_family = AF_INET, .sin_addr = dst->v4 };
		m->mh.msg_name = &m->to.v4;
		m->mh.msg_namelen = sizeof(m->to.v4);
	} else {
		struct in6_pktinfo pi = { .ipi6_addr = src->v6, .ipi6_ifindex = vs->ifindex };
		struct cmsghdr *cm;

		m->to.v6 = (struct sockaddr_in6){ .sin6_family = AF_INET6, .sin6_addr = dst->v6,
						  .sin6_scope_id = vs->ifindex };
		m->mh.msg_name = &m->to.v6;
		m->mh.msg_namelen = sizeof(m->to.v6);
		m->mh.msg_control = m->cbuf.b;
		m->mh.msg_controllen = sizeof(m->cbuf.b);
		cm = CMSG_FIRSTHDR(&m->mh);
		cm->cmsg_level = IPPROTO_IPV6;
		cm->cmsg_type = IPV6_PKTINFO;
		cm->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(cm), &pi, sizeof(pi));
	}
	if (b->n_tx == BATCH)
		vrrp_sock_flush(b);
	else if (!b->ev_flush && sched_defer(b->s, &b->ev_flush, flush_cb, b) < 0)
		vrrp_sock_flush(b);	/* cannot happen: ref and fn are set */
	return 0;
}

int vrrp_sock_fd(const struct vrrp_sock *vs) { return vs->fd; }
int vrrp_sock_ifindex(const struct vrrp_sock *vs) { return vs->ifindex; }
int vrrp_sock_family(const struct vrrp_sock *vs) { return vs->family; }
int vrrp_sock_proto(const struct vrrp_sock *vs) { return vs->proto; }
const struct vrrp_sock_stats *vrrp_sock_stats(const struct vrrp_sock *vs) { return &vs->stats; }

int vrrp_sock_set_rcvbuf(struct vrrp_sock *vs, unsigned bytes)
{
	return setopt(vs->fd, SOL_SOCKET, SO_RCVBUF, bytes > INT_MAX ? INT_MAX : (int)bytes);
}

void vrrp_sock_set_old_csum_dst(struct vrrp_sock *vs, const struct inet_addr *group)
{
	vs->old_csum_dst = group;
}

void vrrp_sock_count_drop(struct vrrp_sock *vs, enum vrrp_drop why)
{
	vs->stats.n_drop[why]++;
}

void vrrp_sock_stats_clear(struct vrrp_sock *vs)
{
	memset(&vs->stats, 0, sizeof(vs->stats));
}
