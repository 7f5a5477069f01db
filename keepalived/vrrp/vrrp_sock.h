/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/vrrp/vrrp_sock.h: raw VRRP sockets (protocol 112), one per interface and family. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "utils.h"
#include "vrrp_pkt.h"

struct sched;

/*
 * What every socket of a process shares: the send queue and the receive batch.
 *
 * Sending: packets queued during a loop iteration go out at its end (a sched_defer),
 * one sendmmsg per socket with that socket's packets in queue order; also as soon as
 * 64 are queued, and at vrrp_sock_flush(). A packet that fails to go out is counted
 * (n_tx_err) and handed to tx_err_cb with the cookie it was queued with, so the
 * caller can report it in its own name: a cookie must stay valid until the next
 * flush (flush before freeing what it points to).
 *
 * Receiving: a socket reads up to 64 packets per wakeup with one recvmmsg into the
 * shared batch (the loop runs one callback at a time).
 */
struct vrrp_sock_batch;

/* err: -errno of the send; dst: the packet's destination. Must not queue or flush. */
typedef void vrrp_sock_tx_err_fn(void *cookie, const struct inet_addr *dst, int err);

struct vrrp_sock_batch *vrrp_sock_batch_new(struct sched *s, vrrp_sock_tx_err_fn *tx_err_cb);
/* NULL is fine. Close its sockets first (each close flushes). */
void vrrp_sock_batch_free(struct vrrp_sock_batch *b);
/* Sends everything queued, now. NULL is fine. Not from tx_err_cb. */
void vrrp_sock_flush(struct vrrp_sock_batch *b);

/*
 * One socket per (interface, family, protocol), shared by every instance on it: bound to
 * the device, joined to the multicast groups its instances use (and no others: IPv4
 * IP_MULTICAST_ALL off), TTL / hop limit 255, multicast loop off (a host never hears
 * itself). It hears unicast VRRP to any address of the host too: which destination,
 * source and TTL an instance accepts is the instance's check (vrrp_pkt_check). IPv4 is
 * sent with IP_HDRINCL (the codec writes the IP header); IPv6 with the source and
 * interface in IPV6_PKTINFO, the hop limit from the socket.
 *
 * Every packet read is counted (n_rx), decoded (the generic checks) and handed to
 * rx_cb, dropped or not: the instance demux (by VRID), the instance's checks and the
 * drop counts (vrrp_sock_count_drop) are the caller's. A socket reads at most 64
 * packets per wakeup.
 */
struct vrrp_sock;

/*
 * Every packet read: why is VRRP_DROP_NONE with a decoded advert, or the decode check
 * that failed, with the fields read so far (ad->vrid among them when the bytes reach
 * it), so that the drop can be reported in the instance's name as keepalived does.
 */
typedef void vrrp_sock_rx_fn(void *arg, struct vrrp_sock *vs, const struct vrrp_advert *ad,
			     enum vrrp_drop why);

struct vrrp_sock_stats {
	uint64_t n_rx, n_tx, n_tx_err;
	uint64_t n_drop[VRRP_DROP__COUNT];
};

/*
 * Opens the socket on ifindex for family and IP protocol (VRRP_PROTO, or VRRP_PROTO_AH
 * for instances with AH authentication: the kernel hands a raw socket only its own
 * protocol). 0 or -errno.
 */
int vrrp_sock_open(struct vrrp_sock **ret, struct vrrp_sock_batch *b, int family, int proto,
		   int ifindex, const char *ifname, vrrp_sock_rx_fn *rx_cb, void *arg);
/* NULL is fine. Flushes the batch first: what vs has queued still goes out. */
void vrrp_sock_close(struct vrrp_sock *vs);
/*
 * Memberships are counted, one per instance using a group: join takes one (the first
 * joins the group), leave gives one back (the last leaves it). 0 or -errno.
 */
int vrrp_sock_join(struct vrrp_sock *vs, const struct inet_addr *group);
void vrrp_sock_leave(struct vrrp_sock *vs, const struct inet_addr *group);

/*
 * Queues one encoded packet (IPv4: the whole datagram; IPv6: the payload, with src as
 * the source address, in IPV6_PKTINFO) to dst; pkt is copied. The send never blocks
 * (-EAGAIN counts as a failure, see struct vrrp_sock_batch). 0, or -EMSGSIZE for a
 * packet longer than any advert. Not from tx_err_cb.
 */
int vrrp_sock_queue(struct vrrp_sock *vs, const uint8_t *pkt, size_t len,
		    const struct inet_addr *src, const struct inet_addr *dst, void *cookie);

int vrrp_sock_ifindex(const struct vrrp_sock *vs);
int vrrp_sock_fd(const struct vrrp_sock *vs);		/* for the dumps */
int vrrp_sock_family(const struct vrrp_sock *vs);
int vrrp_sock_proto(const struct vrrp_sock *vs);
const struct vrrp_sock_stats *vrrp_sock_stats(const struct vrrp_sock *vs);
void vrrp_sock_stats_clear(struct vrrp_sock *vs);	/* STATS_CLEAR */
/* Counts a dropped packet under its reason (the receive path's one place that counts). */
void vrrp_sock_count_drop(struct vrrp_sock *vs, enum vrrp_drop why);
/*
 * VRRPv3 over IPv4 with keepalived's old unicast checksum (group in place of the
 * destination, keepalived < 1.3.6 and old_unicast_checksum): adverts whose checksum
 * matches that way are decoded too, with ad->old_csum set; each instance then decides
 * (vrrp_misc_rx_csum). group is borrowed; NULL (the default): RFC checksums only.
 */
void vrrp_sock_set_old_csum_dst(struct vrrp_sock *vs, const struct inet_addr *group);
/* SO_RCVBUF (the kernel doubles it, capped by net.core.rmem_max); 0 or -errno */
int vrrp_sock_set_rcvbuf(struct vrrp_sock *vs, unsigned bytes);
