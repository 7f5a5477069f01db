/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * keepalived/core/ipvs_nl.c: the IPVS backend on libnl-genl-3 (spec checker-ipvs.md 4.1,
 * 4.2, 4.7). One request per command, NLM_F_REQUEST|NLM_F_ACK, and its ACK or error read
 * before the next is sent, as keepalived 2.2.7's libipvs does. The encoder
 * (ipvs_nl_build) is apart from the socket so the tests compare its bytes with the
 * captured ones.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/ip_vs.h>
#include <netlink/netlink.h>
#include <netlink/attr.h>
#include <netlink/errno.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>

#include "ipvs_nl.h"

struct nl_be {
	struct ipvs_backend b;		/* first: the ops get &b */
	struct nl_sock *sk;
	int family;
	/* the request in flight */
	bool done;
	int err;			/* the kernel's, negative */
	int c;				/* what the reply answers */
	struct ipvs_timeouts *tout;	/* GET_CONFIG's result */
	bool got_reply;
	struct ipvs_nl_batch *q;	/* the queue (batching); NULL until first used */
	/*
	 * The batches' sequence numbers: apart from libnl's (which checks that each answer
	 * it reads has the number it expects next); every answer to a batch is read here.
	 */
	uint32_t batch_seq;
};

int ipvs_nl_genl_cmd(int c)
{
	switch (c) {
	case IPVS_C_NEW_SERVICE: return IPVS_CMD_NEW_SERVICE;
	case IPVS_C_SET_SERVICE: return IPVS_CMD_SET_SERVICE;
	case IPVS_C_DEL_SERVICE: return IPVS_CMD_DEL_SERVICE;
	case IPVS_C_NEW_DEST: return IPVS_CMD_NEW_DEST;
	case IPVS_C_SET_DEST: return IPVS_CMD_SET_DEST;
	case IPVS_C_DEL_DEST: return IPVS_CMD_DEL_DEST;
	case IPVS_C_FLUSH: return IPVS_CMD_FLUSH;
	case IPVS_C_SET_CONFIG: return IPVS_CMD_SET_CONFIG;
	case IPVS_C_NEW_DAEMON: return IPVS_CMD_NEW_DAEMON;
	case IPVS_C_DEL_DAEMON: return IPVS_CMD_DEL_DAEMON;
	case IPVS_NL_GET_INFO: return IPVS_CMD_GET_INFO;
	case IPVS_NL_GET_CONFIG: return IPVS_CMD_GET_CONFIG;
	}
	return 0;
}

/* IPVS_CMD_ATTR_SERVICE: AF, FWMARK or PROTOCOL+ADDR+PORT, SCHED_NAME, [PE_NAME], FLAGS, TIMEOUT, NETMASK */
static int put_svc(struct nl_msg *msg, const struct ipvs_svc *s)
{
	struct ip_vs_flags flags = { .flags = s->flags, .mask = ~0U };
	char sched[sizeof(s->sched_name) + 1], pe[sizeof(s->pe_name) + 1];
	struct nlattr *nest = nla_nest_start(msg, IPVS_CMD_ATTR_SERVICE);

	/* the names as C strings even if a caller filled all 16 bytes */
	memcpy(sched, s->sched_name, sizeof(s->sched_name));
	sched[sizeof(s->sched_name)] = '\0';
	memcpy(pe, s->pe_name, sizeof(s->pe_name));
	pe[sizeof(s->pe_name)] = '\0';
	if (!nest || nla_put_u16(msg, IPVS_SVC_ATTR_AF, s->af) < 0)
		return -EMSGSIZE;
	if (s->fwmark) {
		if (nla_put_u32(msg, IPVS_SVC_ATTR_FWMARK, s->fwmark) < 0)
			return -EMSGSIZE;
	} else if (nla_put_u16(msg, IPVS_SVC_ATTR_PROTOCOL, s->protocol) < 0 ||
		   nla_put(msg, IPVS_SVC_ATTR_ADDR, sizeof(s->addr), &s->addr) < 0 ||
		   nla_put_u16(msg, IPVS_SVC_ATTR_PORT, htons(s->port)) < 0) {
		return -EMSGSIZE;
	}
	if (nla_put_string(msg, IPVS_SVC_ATTR_SCHED_NAME, sched) < 0 ||
	    (pe[0] && nla_put_string(msg, IPVS_SVC_ATTR_PE_NAME, pe) < 0) ||
	    nla_put(msg, IPVS_SVC_ATTR_FLAGS, sizeof(flags), &flags) < 0 ||
	    nla_put_u32(msg, IPVS_SVC_ATTR_TIMEOUT, s->timeout_s) < 0 ||
	    nla_put_u32(msg, IPVS_SVC_ATTR_NETMASK, s->netmask) < 0)
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

/* IPVS_CMD_ATTR_DEST: ADDR_FAMILY, ADDR, PORT, FWD_METHOD, WEIGHT, [TUN_*], U_THRESH, L_THRESH */
static int put_dest(struct nl_msg *msg, const struct ipvs_dest *d)
{
	struct nlattr *nest = nla_nest_start(msg, IPVS_CMD_ATTR_DEST);
	uint32_t fwd = d->fwd_method & IP_VS_CONN_F_FWD_MASK;

	if (!nest ||
	    nla_put_u16(msg, IPVS_DEST_ATTR_ADDR_FAMILY, d->af) < 0 ||
	    nla_put(msg, IPVS_DEST_ATTR_ADDR, sizeof(d->addr), &d->addr) < 0 ||
	    nla_put_u16(msg, IPVS_DEST_ATTR_PORT, htons(d->port)) < 0 ||
	    nla_put_u32(msg, IPVS_DEST_ATTR_FWD_METHOD, fwd) < 0 ||
	    nla_put_u32(msg, IPVS_DEST_ATTR_WEIGHT, (uint32_t)d->weight) < 0)
		return -EMSGSIZE;
	if (fwd == IP_VS_CONN_F_TUNNEL) {
		if (nla_put_u8(msg, IPVS_DEST_ATTR_TUN_TYPE, d->tun_type) < 0 ||
		    (d->tun_type == IP_VS_CONN_F_TUNNEL_TYPE_GUE &&
		     nla_put_u16(msg, IPVS_DEST_ATTR_TUN_PORT, htons(d->tun_port)) < 0) ||
		    (d->tun_type != IP_VS_CONN_F_TUNNEL_TYPE_IPIP &&
		     nla_put_u16(msg, IPVS_DEST_ATTR_TUN_FLAGS, d->tun_flags) < 0))
			return -EMSGSIZE;
	}
	if (nla_put_u32(msg, IPVS_DEST_ATTR_U_THRESH, d->u_thresh) < 0 ||
	    nla_put_u32(msg, IPVS_DEST_ATTR_L_THRESH, d->l_thresh) < 0)
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

/*
 * IPVS_CMD_ATTR_DAEMON: STATE, MCAST_IFN, SYNC_ID, then the optional ones (NEW_DAEMON).
 * MCAST_PORT goes in host order, as 2.2.7 and ipvsadm send it (the kernel keeps it so).
 */
static int put_daemon(struct nl_msg *msg, const struct ipvs_daemon *dm, bool start)
{
	struct nlattr *nest = nla_nest_start(msg, IPVS_CMD_ATTR_DAEMON);
	char ifn[sizeof(dm->mcast_ifn) + 1];

	memcpy(ifn, dm->mcast_ifn, sizeof(dm->mcast_ifn));
	ifn[sizeof(dm->mcast_ifn)] = '\0';
	if (!nest || nla_put_s32(msg, IPVS_DAEMON_ATTR_STATE, dm->state) < 0)
		return -EMSGSIZE;
	if (!start) {
		if (nla_put_s32(msg, IPVS_DAEMON_ATTR_SYNC_ID, dm->syncid) < 0)
			return -EMSGSIZE;
		nla_nest_end(msg, nest);
		return 0;
	}
	if (nla_put_string(msg, IPVS_DAEMON_ATTR_MCAST_IFN, ifn) < 0 ||
	    nla_put_s32(msg, IPVS_DAEMON_ATTR_SYNC_ID, dm->syncid) < 0 ||
	    (dm->sync_maxlen &&
	     nla_put_u16(msg, IPVS_DAEMON_ATTR_SYNC_MAXLEN, dm->sync_maxlen) < 0) ||
	    (dm->mcast_port &&
	     nla_put_u16(msg, IPVS_DAEMON_ATTR_MCAST_PORT, dm->mcast_port) < 0) ||
	    (dm->mcast_ttl && nla_put_u8(msg, IPVS_DAEMON_ATTR_MCAST_TTL, dm->mcast_ttl) < 0))
		return -EMSGSIZE;
	if (dm->mcast_af == AF_INET6) {
		if (nla_put(msg, IPVS_DAEMON_ATTR_MCAST_GROUP6, sizeof(dm->mcast_group.v6),
			    &dm->mcast_group.v6) < 0)
			return -EMSGSIZE;
	} else if (dm->mcast_af == AF_INET) {
		if (nla_put_u32(msg, IPVS_DAEMON_ATTR_MCAST_GROUP, dm->mcast_group.v4.s_addr) < 0)
			return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return 0;
}

int ipvs_nl_build(struct nl_msg *msg, int family, int c, const struct ipvs_svc *s,
		  const struct ipvs_dest *d, const struct ipvs_timeouts *t,
		  const struct ipvs_daemon *dm)
{
	int cmd = ipvs_nl_genl_cmd(c);

	if (!cmd)
		return -EINVAL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, NLM_F_REQUEST | NLM_F_ACK,
			 (uint8_t)cmd, IPVS_GENL_VERSION))
		return -EMSGSIZE;
	switch (c) {
	case IPVS_C_NEW_SERVICE:
	case IPVS_C_SET_SERVICE:
	case IPVS_C_DEL_SERVICE:
		return s ? put_svc(msg, s) : -EINVAL;
	case IPVS_C_NEW_DEST:
	case IPVS_C_SET_DEST:
	case IPVS_C_DEL_DEST:
		if (!s || !d)
			return -EINVAL;
		return put_svc(msg, s) < 0 ? -EMSGSIZE : put_dest(msg, d);
	case IPVS_C_SET_CONFIG:
		if (!t)
			return -EINVAL;
		if (nla_put_u32(msg, IPVS_CMD_ATTR_TIMEOUT_TCP, t->tcp_s) < 0 ||
		    nla_put_u32(msg, IPVS_CMD_ATTR_TIMEOUT_TCP_FIN, t->tcpfin_s) < 0 ||
		    nla_put_u32(msg, IPVS_CMD_ATTR_TIMEOUT_UDP, t->udp_s) < 0)
			return -EMSGSIZE;
		return 0;
	case IPVS_C_NEW_DAEMON:
	case IPVS_C_DEL_DAEMON:
		return dm ? put_daemon(msg, dm, c == IPVS_C_NEW_DAEMON) : -EINVAL;
	}
	return 0;		/* FLUSH, GET_INFO, GET_CONFIG: no attributes */
}

/* libnl's error codes back to errno, for failures of the socket itself */
static int nle_errno(int nle)
{
	switch (abs(nle)) {
	case NLE_BAD_SOCK: return EBADF;
	case NLE_EXIST: return EEXIST;
	case NLE_NOADDR: return EADDRNOTAVAIL;
	case NLE_OBJ_NOTFOUND: return ENOENT;
	case NLE_INTR: return EINTR;
	case NLE_AGAIN: return EAGAIN;
	case NLE_INVAL: return EINVAL;
	case NLE_NOACCESS: return EACCES;
	case NLE_NOMEM: return ENOMEM;
	case NLE_AF_NOSUPPORT: return EAFNOSUPPORT;
	case NLE_PROTO_MISMATCH: return EPROTONOSUPPORT;
	case NLE_OPNOTSUPP: return EOPNOTSUPP;
	case NLE_PERM: return EPERM;
	case NLE_BUSY: return EBUSY;
	case NLE_RANGE: return ERANGE;
	case NLE_NODEV: return ENODEV;
	case NLE_MSGSIZE: return EMSGSIZE;
	}
	return EIO;
}

static int valid_cb(struct nl_msg *msg, void *arg)
{
	struct nl_be *be = arg;
	struct nlattr *a[IPVS_CMD_ATTR_MAX + 1];
	struct nlmsghdr *nlh = nlmsg_hdr(msg);

	be->got_reply = true;
	if (be->c != IPVS_NL_GET_CONFIG || !be->tout)
		return NL_OK;
	if (genlmsg_parse(nlh, 0, a, IPVS_CMD_ATTR_MAX, NULL) < 0)
		return NL_SKIP;
	if (a[IPVS_CMD_ATTR_TIMEOUT_TCP])
		be->tout->tcp_s = nla_get_u32(a[IPVS_CMD_ATTR_TIMEOUT_TCP]);
	if (a[IPVS_CMD_ATTR_TIMEOUT_TCP_FIN])
		be->tout->tcpfin_s = nla_get_u32(a[IPVS_CMD_ATTR_TIMEOUT_TCP_FIN]);
	if (a[IPVS_CMD_ATTR_TIMEOUT_UDP])
		be->tout->udp_s = nla_get_u32(a[IPVS_CMD_ATTR_TIMEOUT_UDP]);
	return NL_OK;
}

static int ack_cb(struct nl_msg *msg, void *arg)
{
	struct nl_be *be = arg;

	(void)msg;
	be->done = true;
	return NL_STOP;
}

static int err_cb(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct nl_be *be = arg;

	(void)nla;
	be->err = e->error < 0 ? e->error : -e->error;
	be->done = true;
	return NL_STOP;
}

/* Send one request built from the arguments and wait for its ACK: 0 or the kernel's -errno. */
static int request(struct nl_be *be, int c, const struct ipvs_svc *s, const struct ipvs_dest *d,
		   const struct ipvs_timeouts *t, const struct ipvs_daemon *dm)
{
	struct nl_msg *msg = nlmsg_alloc();
	int r;

	if (!msg)
		return -ENOMEM;
	if ((r = ipvs_nl_build(msg, be->family, c, s, d, t, dm)) < 0)
		goto out;
	be->done = false;
	be->err = 0;
	be->c = c;
	be->got_reply = false;
	if ((r = nl_send_auto(be->sk, msg)) < 0) {
		r = -nle_errno(r);
		goto out;
	}
	r = 0;
	while (!be->done) {
		int n = nl_recvmsgs_default(be->sk);

		if (!be->done && n < 0) {
			r = -nle_errno(n);
			break;
		}
	}
	if (be->done)
		r = be->err;
out:
	nlmsg_free(msg);
	return r;
}

static struct nl_be *of(struct ipvs_backend *b)
{
	return (struct nl_be *)b;
}

/* --- batching --- */

void ipvs_nl_batch_reset(struct ipvs_nl_batch *q, uint32_t seq0)
{
	q->len = 0;
	q->n = 0;
	q->seq0 = seq0;
	q->done = false;
}

int ipvs_nl_batch_add(struct ipvs_nl_batch *q, int family, uint32_t port, int c,
		      const struct ipvs_svc *s, const struct ipvs_dest *d)
{
	struct nl_msg *msg;
	struct nlmsghdr *nlh;
	size_t len;
	int r;

	if (q->n >= IPVS_NL_BATCH_MAX)
		return -ENOSPC;
	if (!(msg = nlmsg_alloc()))
		return -ENOMEM;
	if ((r = ipvs_nl_build(msg, family, c, s, d, NULL, NULL)) < 0)
		goto out;
	nlh = nlmsg_hdr(msg);
	len = NLMSG_ALIGN(nlh->nlmsg_len);
	if (q->len + len > sizeof(q->buf)) {
		r = q->n ? -ENOSPC : -EMSGSIZE;
		goto out;
	}
	nlh->nlmsg_flags = NLM_F_REQUEST;	/* the kernel answers only a failure */
	nlh->nlmsg_seq = q->seq0 + q->n;
	nlh->nlmsg_pid = port;
	memset(q->buf + q->len, 0, len);
	memcpy(q->buf + q->len, nlh, nlh->nlmsg_len);
	q->len += len;
	q->req[q->n].c = c;
	if (s)
		q->req[q->n].s = *s;
	if (d)
		q->req[q->n].d = *d;
	q->req[q->n].err = 0;
	q->n++;
	r = 0;
out:
	nlmsg_free(msg);
	return r;
}

void ipvs_nl_batch_seal(struct ipvs_nl_batch *q)
{
	size_t off = 0;
	struct nlmsghdr *last = NULL;

	while (off < q->len) {
		last = (struct nlmsghdr *)(q->buf + off);
		off += NLMSG_ALIGN(last->nlmsg_len);
	}
	if (last)
		last->nlmsg_flags |= NLM_F_ACK;
}

void ipvs_nl_batch_replies(struct ipvs_nl_batch *q, const void *buf, size_t len)
{
	const struct nlmsghdr *h = buf;
	int n = (int)len;

	for (; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
		const struct nlmsgerr *e;
		uint32_t i = h->nlmsg_seq - q->seq0;

		if (h->nlmsg_type != NLMSG_ERROR || i >= q->n ||
		    h->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
			continue;
		e = NLMSG_DATA(h);
		if (e->error)
			q->req[i].err = e->error < 0 ? e->error : -e->error;
		if (i == q->n - 1)
			q->done = true;
	}
}

/* Send the batch, read its answers up to the barrier's, report the failures. */
static int batch_send(struct nl_be *be)
{
	struct ipvs_nl_batch *q = be->q;
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	int fd = nl_socket_get_fd(be->sk), r = 0;
	unsigned n = q->n;
	uint8_t rbuf[8192];		/* an answer is one error message (< 1 KB) */

	if (!n)
		return 0;
	ipvs_nl_batch_seal(q);
	while (sendto(fd, q->buf, q->len, 0, (struct sockaddr *)&kernel, sizeof(kernel)) < 0) {
		if (errno != EINTR) {
			r = -errno;
			break;
		}
	}
	while (!r && !q->done) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t got;

		/* the kernel has handled the whole send when sendto() returns: answers are there */
		if (poll(&pfd, 1, 10000) == 0) {
			r = -ETIMEDOUT;
			break;
		}
		got = recv(fd, rbuf, sizeof(rbuf), 0);
		if (got < 0) {
			if (errno != EINTR && errno != EAGAIN)
				r = -errno;
			continue;
		}
		ipvs_nl_batch_replies(q, rbuf, (size_t)got);
	}
	/* the batch is over before the failures are handled: they may send on the socket */
	be->batch_seq += n;
	ipvs_nl_batch_reset(q, be->batch_seq);
	for (unsigned i = 0; i < n; i++) {
		struct ipvs_nl_batched *x = &q->req[i];

		/* a socket failure: each command is reported as if refused with it */
		if ((r || x->err) && be->b.failed)
			be->b.failed(&be->b, (enum ipvs_cmd)x->c, &x->s, &x->d, r ? r : x->err);
	}
	if (be->b.progress)
		be->b.progress(be->b.progress_arg);
	return r;
}

static int be_queue(struct ipvs_backend *b, enum ipvs_cmd c, const struct ipvs_svc *s,
		    const struct ipvs_dest *d)
{
	struct nl_be *be = of(b);
	uint32_t port = nl_socket_get_local_port(be->sk);
	int r;

	if (!be->q) {
		be->q = calloc(1, sizeof(*be->q));
		if (!be->q)
			return -ENOMEM;
		ipvs_nl_batch_reset(be->q, be->batch_seq);
	}
	r = ipvs_nl_batch_add(be->q, be->family, port, c, s, d);
	if (r == -ENOSPC) {
		batch_send(be);
		r = ipvs_nl_batch_add(be->q, be->family, port, c, s, d);
	}
	return r;
}

static int be_flush_queue(struct ipvs_backend *b)
{
	struct nl_be *be = of(b);
	int r;

	if (!be->q)
		return 0;
	r = batch_send(be);
	/* 23 KB: not kept between batches (start-up and reloads) */
	free(be->q);
	be->q = NULL;
	return r;
}

static int be_svc(struct ipvs_backend *b, enum ipvs_cmd c, const struct ipvs_svc *s)
{
	if (c != IPVS_C_NEW_SERVICE && c != IPVS_C_SET_SERVICE && c != IPVS_C_DEL_SERVICE)
		return -EINVAL;
	return request(of(b), c, s, NULL, NULL, NULL);
}

static int be_dest(struct ipvs_backend *b, enum ipvs_cmd c, const struct ipvs_svc *s,
		   const struct ipvs_dest *d)
{
	if (c != IPVS_C_NEW_DEST && c != IPVS_C_SET_DEST && c != IPVS_C_DEL_DEST)
		return -EINVAL;
	return request(of(b), c, s, d, NULL, NULL);
}

static int be_flush(struct ipvs_backend *b)
{
	return request(of(b), IPVS_C_FLUSH, NULL, NULL, NULL, NULL);
}

static int be_get_timeouts(struct ipvs_backend *b, struct ipvs_timeouts *out)
{
	struct nl_be *be = of(b);
	int r;

	memset(out, 0, sizeof(*out));
	be->tout = out;
	r = request(be, IPVS_NL_GET_CONFIG, NULL, NULL, NULL, NULL);
	be->tout = NULL;
	if (!r && !be->got_reply)
		r = -EPROTO;
	return r;
}

static int be_set_timeouts(struct ipvs_backend *b, const struct ipvs_timeouts *t)
{
	return request(of(b), IPVS_C_SET_CONFIG, NULL, NULL, t, NULL);
}

static int be_daemon(struct ipvs_backend *b, enum ipvs_cmd c, const struct ipvs_daemon *d)
{
	if (c != IPVS_C_NEW_DAEMON && c != IPVS_C_DEL_DAEMON)
		return -EINVAL;
	return request(of(b), c, NULL, NULL, NULL, d);
}

static void be_close(struct ipvs_backend *b)
{
	struct nl_be *be = of(b);

	if (!be)
		return;
	if (be->q && be->q->n)
		batch_send(be);
	free(be->q);
	nl_socket_free(be->sk);
	free(be);
}

int ipvs_nl_open(struct ipvs_backend **ret)
{
	struct nl_be *be = calloc(1, sizeof(*be));
	int r;

	*ret = NULL;
	if (!be)
		return -ENOMEM;
	be->b = (struct ipvs_backend){
		.svc = be_svc, .dest = be_dest, .flush = be_flush,
		.get_timeouts = be_get_timeouts, .set_timeouts = be_set_timeouts,
		.daemon = be_daemon, .close = be_close,
		.queue = be_queue, .flush_queue = be_flush_queue,
	};
	if (!(be->sk = nl_socket_alloc())) {
		free(be);
		return -ENOMEM;
	}
	be->batch_seq = 0x80000000U;
	if ((r = genl_connect(be->sk)) < 0) {
		r = -nle_errno(r);
		goto fail;
	}
	if ((be->family = genl_ctrl_resolve(be->sk, IPVS_GENL_NAME)) < 0) {
		r = -ENOENT;		/* no IPVS in this kernel (module not loaded) */
		goto fail;
	}
	if (nl_socket_modify_cb(be->sk, NL_CB_VALID, NL_CB_CUSTOM, valid_cb, be) < 0 ||
	    nl_socket_modify_cb(be->sk, NL_CB_ACK, NL_CB_CUSTOM, ack_cb, be) < 0 ||
	    nl_socket_modify_err_cb(be->sk, NL_CB_CUSTOM, err_cb, be) < 0) {
		r = -ENOMEM;
		goto fail;
	}
	if ((r = request(be, IPVS_NL_GET_INFO, NULL, NULL, NULL, NULL)) < 0)
		goto fail;
	if (!be->got_reply) {
		r = -EPROTONOSUPPORT;
		goto fail;
	}
	*ret = &be->b;
	return 0;
fail:
	nl_socket_free(be->sk);
	free(be);
	return r;
}
