// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/core/reflector.c: the reflector's socket: start-up dump, notifications, re-dumps. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include <libmnl/libmnl.h>

#include "core/reflector_int.h"
#include "log.h"
#include "scheduler.h"

#define START_DUMP_TIMEOUT_MS 5000
#define READ_BUDGET 64		/* datagrams per callback */

int reflector_set_rcvbuf(struct reflector *r, unsigned bytes, bool force)
{
	return r->ns ? nl_set_rcvbuf(r->ns, bytes, force) : -ENOTCONN;
}

void reflector_free(struct reflector *r)
{
	if (!r)
		return;
	sched_cancel(&r->ev_read);
	nl_sock_close(r->ns);
	reflector_table_clear(r);
	xunmap(r, sizeof(*r));
}

static int dump_request(struct reflector *r, enum dump_phase phase)
{
	uint8_t buf[64];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);

	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = r->dump_seq = nl_seq_next(r->ns, 1);
	if (phase == DUMP_LINKS) {
		struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));

		nlh->nlmsg_type = RTM_GETLINK;
		ifi->ifi_family = AF_UNSPEC;
		/* statistics are big and of no use here */
		mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	} else {
		struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));

		nlh->nlmsg_type = RTM_GETADDR;
		ifa->ifa_family = AF_UNSPEC;
	}
	r->dump = phase;
	r->dump_intr = false;
	return nl_sock_send(r->ns, buf, nlh->nlmsg_len);
}

static int dump_start(struct reflector *r)
{
	r->redump = false;
	r->st.n_dumps++;
	reflector_resync_begin(r);
	return dump_request(r, DUMP_LINKS);
}

/* The dump phase r->dump ended (NLMSG_DONE, or an error answering it). */
static void dump_phase_end(struct reflector *r, int err)
{
	if (err || r->dump_intr) {
		/* inconsistent or refused: sweep nothing, start over */
		r->dump = DUMP_NONE;
		r->redump = true;
		return;
	}
	reflector_resync_end(r, r->dump == DUMP_LINKS);
	if (r->dump == DUMP_LINKS) {
		if (dump_request(r, DUMP_ADDRS) < 0) {
			r->dump = DUMP_NONE;
			r->redump = true;
		}
		return;
	}
	r->dump = DUMP_NONE;
}

static int msg_cb(void *arg, const struct nlmsghdr *nlh)
{
	struct reflector *r = arg;
	bool ours = r->dump != DUMP_NONE && nlh->nlmsg_seq == r->dump_seq &&
		    nlh->nlmsg_pid == nl_portid(r->ns);

	if (ours && (nlh->nlmsg_flags & NLM_F_DUMP_INTR))
		r->dump_intr = true;
	if (ours && nlh->nlmsg_type == NLMSG_DONE) {
		dump_phase_end(r, 0);
		return 0;
	}
	if (nlh->nlmsg_type == NLMSG_ERROR) {
		struct nl_err e;

		if (ours && nl_err_parse(nlh, &e) == 0 && e.err)
			dump_phase_end(r, e.err);
		return 0;
	}
	(void)reflector_handle_msg(r, nlh);
	return 0;
}

static void overrun(struct reflector *r)
{
	r->st.n_overruns++;
	if (!r->redump) {
		log_info("Netlink: Receive buffer overrun on monitor socket - (%s)", strerror(ENOBUFS));
		log_info("  - increase the relevant netlink_rcv_bufs global parameter and/or set force");
	}
	r->redump = true;
}

/* Reads up to budget datagrams; 0, or -errno for a socket failure. */
static int read_some(struct reflector *r, int budget)
{
	while (budget-- > 0) {
		ssize_t n = nl_sock_recv(r->ns, r->rbuf, sizeof(r->rbuf));

		if (n == -EAGAIN)
			break;
		if (n == -ENOBUFS) {
			overrun(r);
			continue;
		}
		if (n == -EMSGSIZE) {
			/* a message too big for us was lost: as good as an overrun */
			r->st.n_bad++;
			r->redump = true;
			continue;
		}
		if (n < 0)
			return (int)n;
		if (nl_walk(r->rbuf, (size_t)n, msg_cb, r) < 0)
			r->st.n_bad++;
	}
	if (r->redump && r->dump == DUMP_NONE && dump_start(r) < 0) {
		r->dump = DUMP_NONE;	/* retried on the next datagram */
		r->redump = true;
	}
	return 0;
}

static void reflector_read_cb(struct sched_ev *ev, void *arg)
{
	struct reflector *r = arg;
	int err = read_some(r, READ_BUDGET);
	(void)ev;

	if (err < 0)
		log_err("Netlink: recvmsg error on monitor socket - %d (%s)", -err, strerror(-err));
}

int reflector_new(struct reflector **ret, struct sched *s, const struct reflector_cbs *cbs)
{
	static const unsigned groups[] = { RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV6_IFADDR };
	struct reflector *r = reflector_table_new(cbs);
	uint64_t end_us = mono_now_us() + START_DUMP_TIMEOUT_MS * 1000ull;
	int err;

	r->s = s;
	if ((err = nl_open(&r->ns, groups, ARRAY_SIZE(groups), 0)) < 0)
		goto fail;
	/* Start-up: subscribed first, then the dump, read synchronously (the loop is not
	 * running yet); notifications that arrive meanwhile are applied in order. */
	r->starting = true;
	if ((err = dump_start(r)) < 0)
		goto fail;
	while (r->dump != DUMP_NONE || r->redump) {
		uint64_t now_us = mono_now_us();

		if (now_us >= end_us) {
			err = -ETIMEDOUT;
			goto fail;
		}
		if ((err = nl_wait(r->ns, (int)((end_us - now_us) / 1000) + 1)) < 0)
			goto fail;
		if ((err = read_some(r, READ_BUDGET)) < 0)
			goto fail;
	}
	r->starting = false;
	reflector_table_log_sources(r);
	if (s && (err = sched_read(s, &r->ev_read, nl_fd(r->ns), 0, reflector_read_cb, r)) < 0)
		goto fail;
	*ret = r;
	return 0;
fail:
	reflector_free(r);
	return err;
}
