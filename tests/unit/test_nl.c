// SPDX-License-Identifier: GPL-2.0-or-later
/* tests/unit/test_nl.c: netlink helpers: message walk, extended ACKs, the request engine. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/rtnetlink.h>

#include <cmocka.h>
#include <libmnl/libmnl.h>

#include "nl.h"
#include "scheduler.h"
#include "utils.h"

/* ---- nl_walk ---- */

static int count_cb(void *arg, const struct nlmsghdr *nlh)
{
	unsigned *n = arg;

	(*n)++;
	return nlh->nlmsg_type == 0x7777 ? 42 : 0;
}

static size_t put_msg(uint8_t *buf, uint16_t type, size_t payload)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);

	nlh->nlmsg_type = type;
	memset(mnl_nlmsg_put_extra_header(nlh, payload), 0x5a, payload);
	return nlh->nlmsg_len;
}

static void test_walk(void **state)
{
	uint8_t buf[256];
	size_t len = 0;
	unsigned n = 0;
	(void)state;

	memset(buf, 0, sizeof(buf));
	len += put_msg(buf + len, RTM_NEWLINK, 3);	/* 19 bytes, padded to 20 */
	len += put_msg(buf + len, RTM_NEWADDR, 8);
	len += put_msg(buf + len, NLMSG_DONE, 4);
	assert_int_equal(nl_walk(buf, len, count_cb, &n), 0);
	assert_int_equal(n, 3);
	/* cut inside the last message */
	n = 0;
	assert_int_equal(nl_walk(buf, len - 1, count_cb, &n), -EBADMSG);
	assert_int_equal(n, 2);
	/* a header claiming more than there is */
	n = 0;
	((struct nlmsghdr *)buf)->nlmsg_len = 200;
	assert_int_equal(nl_walk(buf, len, count_cb, &n), -EBADMSG);
	assert_int_equal(n, 0);
	/* the callback stops it and its value comes back */
	len = put_msg(buf, 0x7777, 0);
	len += put_msg(buf + len, RTM_NEWLINK, 0);
	n = 0;
	assert_int_equal(nl_walk(buf, len, count_cb, &n), 42);
	assert_int_equal(n, 1);
	assert_int_equal(nl_walk(buf, 0, count_cb, &n), 0);
}

/* ---- nl_err_parse ---- */

/* An NLMSG_ERROR for a request (echoed unless capped), with an optional message. */
static size_t put_err(uint8_t *buf, size_t size, int error, uint32_t seq, bool capped,
		      size_t req_payload, const char *ext)
{
	struct nlmsghdr *nlh;
	struct nlmsgerr *e;

	memset(buf, 0, size);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = NLMSG_ERROR;
	e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));
	e->error = error;
	e->msg.nlmsg_len = (uint32_t)(sizeof(struct nlmsghdr) + req_payload);
	e->msg.nlmsg_type = RTM_NEWADDR;
	e->msg.nlmsg_seq = seq;
	if (capped) {
		nlh->nlmsg_flags |= NLM_F_CAPPED;
	} else if (req_payload) {
		memset(mnl_nlmsg_put_extra_header(nlh, NLMSG_ALIGN(req_payload)), 0x11,
		       NLMSG_ALIGN(req_payload));
	}
	if (ext) {
		nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
		mnl_attr_put_u32(nlh, NLMSGERR_ATTR_OFFS, 16);
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, ext);
	}
	return nlh->nlmsg_len;
}

static void test_err_parse(void **state)
{
	uint8_t buf[512];
	struct nl_err e;
	(void)state;

	put_err(buf, sizeof(buf), 0, 77, true, 0, NULL);
	assert_int_equal(nl_err_parse((void *)buf, &e), 0);
	assert_int_equal(e.err, 0);
	assert_int_equal(e.seq, 77);
	assert_int_equal(e.req_type, RTM_NEWADDR);
	assert_null(e.msg);

	put_err(buf, sizeof(buf), -EEXIST, 78, true, 40, NULL);
	assert_int_equal(nl_err_parse((void *)buf, &e), 0);
	assert_int_equal(e.err, -EEXIST);
	assert_null(e.msg);

	put_err(buf, sizeof(buf), -EINVAL, 79, true, 40, "ipv4: Invalid scope value");
	assert_int_equal(nl_err_parse((void *)buf, &e), 0);
	assert_int_equal(e.err, -EINVAL);
	assert_string_equal(e.msg, "ipv4: Invalid scope value");

	/* not capped: the request is echoed before the TLVs */
	put_err(buf, sizeof(buf), -EINVAL, 80, false, 37, "autojoin needs multicast");
	assert_int_equal(nl_err_parse((void *)buf, &e), 0);
	assert_int_equal(e.seq, 80);
	assert_string_equal(e.msg, "autojoin needs multicast");

	/* a message string without its NUL is ignored */
	size_t len = put_err(buf, sizeof(buf), -EINVAL, 81, true, 0, "abcd");
	struct nlattr *last = (void *)(buf + len - MNL_ALIGN(sizeof(struct nlattr) + 5));
	last->nla_len = sizeof(struct nlattr) + 4;	/* "abcd" without the NUL */
	assert_int_equal(nl_err_parse((void *)buf, &e), 0);
	assert_null(e.msg);

	/* too short, or not an error */
	struct nlmsghdr *nlh = (void *)buf;
	put_err(buf, sizeof(buf), 0, 1, true, 0, NULL);
	nlh->nlmsg_len = sizeof(*nlh) + 8;
	assert_int_equal(nl_err_parse(nlh, &e), -EBADMSG);
	put_err(buf, sizeof(buf), 0, 1, true, 0, NULL);
	nlh->nlmsg_type = NLMSG_DONE;
	assert_int_equal(nl_err_parse(nlh, &e), -EBADMSG);
}

/* ---- sequence numbers ---- */

static void test_seq(void **state)
{
	struct nl_sock *ns;
	(void)state;

	assert_int_equal(nl_open(&ns, NULL, 0, 0), 0);
	uint32_t a = nl_seq_next(ns, 10), b = nl_seq_next(ns, 1);
	assert_int_equal(b, a + 10);
	assert_int_not_equal(a, 0);
	/* runs never contain 0 and never wrap: walk past the end twice */
	bool restarted = false;
	for (int i = 0; i < 6; i++) {
		uint32_t f = nl_seq_next(ns, 0x40000000u);

		assert_int_not_equal(f, 0);
		assert_true((uint64_t)f + 0x40000000u - 1 <= UINT32_MAX);
		restarted |= f == 1;
	}
	assert_true(restarted);
	nl_sock_close(ns);
	nl_sock_close(NULL);
}

/*
 * ---- the request engine, against the kernel ----
 * RTM_GETLINK by ifindex needs no privilege and changes nothing: lo (ifindex 1) is
 * in every namespace and answers with the link then an ACK; a huge ifindex fails
 * with -ENODEV. So each request's result tells whether it was matched to the right
 * index.
 */
#define BAD_IFINDEX 0x7ffffff0

struct eng {
	struct sched *s;
	struct nl_tx *tx;
	struct nl_job job, job2;
	size_t n;
	int *res;		/* result per index; 1 = none yet */
	unsigned n_results, n_done, n_done2;
	int done_err;
	size_t cancel_at;	/* cancel job from result(cancel_at) */
	bool resubmit;		/* done() submits job2 */
	size_t n2;
};

static bool is_good(size_t i)
{
	return i % 10 == 3;
}

static int want_result(size_t i)
{
	return i % 97 == 50 ? -EINVAL : i % 101 == 60 ? -EMSGSIZE : is_good(i) ? 0 : -ENODEV;
}

static int eng_build(void *arg, size_t i, void *buf, size_t room, uint32_t seq)
{
	(void)arg;
	if (i % 97 == 50)
		return -EINVAL;		/* refused by the builder: never sent */
	if (i % 101 == 60)
		return -ENOSPC;		/* never fits */
	if (room < 64)
		return -ENOSPC;
	memset(buf, 0, 64);
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = seq;
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_index = is_good(i) ? 1 : BAD_IFINDEX;
	mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	return (int)nlh->nlmsg_len;
}

static void eng_result(void *arg, size_t i, int err, const char *msg)
{
	struct eng *g = arg;
	(void)msg;

	assert_true(i < g->n);
	if (g->res[i] != 1)
		fail_msg("request %zu answered twice", i);
	g->res[i] = err;
	g->n_results++;
	if (i == g->cancel_at)
		nl_tx_cancel(g->tx, &g->job);
}

static void eng_done2(void *arg, int err)
{
	struct eng *g = arg;

	assert_int_equal(err, 0);
	g->n_done2++;
	sched_stop(g->s);
}

static void eng_result2(void *arg, size_t i, int err, const char *msg)
{
	struct eng *g = arg;
	(void)msg;
	assert_true(i < g->n2);
	assert_int_equal(err, want_result(i));
}

static const struct nl_job_ops ops2 = { eng_build, eng_result2, eng_done2 };

static void eng_done(void *arg, int err)
{
	struct eng *g = arg;

	g->n_done++;
	g->done_err = err;
	if (g->resubmit)
		assert_int_equal(nl_tx_submit(g->tx, &g->job2, g->n2, &ops2, g), 0);
	else
		sched_stop(g->s);
}

static const struct nl_job_ops ops = { eng_build, eng_result, eng_done };

static void eng_setup(struct eng *g, size_t n)
{
	memset(g, 0, sizeof(*g));
	assert_int_equal(sched_new(&g->s), 0);
	assert_int_equal(nl_tx_new(&g->tx, g->s), 0);
	g->n = n;
	g->res = malloc(n * sizeof(*g->res));
	for (size_t i = 0; i < n; i++)
		g->res[i] = 1;
	g->cancel_at = SIZE_MAX;
}

static void eng_teardown(struct eng *g)
{
	nl_tx_free(g->tx);
	sched_free(g->s);
	free(g->res);
}

/* The fewest sendmsg calls the engine can make for n requests of eng_build. */
static unsigned windows(size_t n)
{
	unsigned w = 0;

	for (size_t i = 0; i < n;) {
		size_t k = 0, sent = 0;

		for (; k < NL_TX_WINDOW && i < n; k++, i++) {
			bool nospc = i % 101 == 60;

			if (nospc && k > 0)
				break;
			sent += !nospc && i % 97 != 50;
		}
		w += sent > 0;
	}
	return w;
}

static void test_engine(void **state)
{
	struct eng g;
	struct nl_tx_stats st;
	size_t n_unsent = 0;
	(void)state;

	eng_setup(&g, 1000);
	g.resubmit = true;
	g.n2 = 300;
	assert_int_equal(nl_tx_submit(g.tx, &g.job, g.n, &ops, &g), 0);
	assert_int_equal(nl_tx_submit(g.tx, &g.job, g.n, &ops, &g), -EBUSY);
	assert_false(nl_tx_idle(g.tx));
	assert_int_equal(sched_run(g.s), 0);
	assert_int_equal(g.n_results, g.n);
	assert_int_equal(g.n_done, 1);
	assert_int_equal(g.n_done2, 1);
	assert_int_equal(g.done_err, 0);
	for (size_t i = 0; i < g.n; i++) {
		int want = want_result(i);

		if (g.res[i] != want)
			fail_msg("request %zu: %d, want %d", i, g.res[i], want);
		n_unsent += i % 97 == 50 || i % 101 == 60;
	}
	assert_true(nl_tx_idle(g.tx));
	nl_tx_get_stats(g.tx, &st);
	/* windows of up to NL_TX_WINDOW, cut early before a request that does not fit,
	 * starting smaller (adaptive) */
	assert_true(st.n_sendmsg >= windows(1000) + windows(300));
	assert_true(st.n_sendmsg <= 1300 / NL_TX_WINDOW_MIN + 20);
	assert_in_range(st.window, NL_TX_WINDOW_MIN, NL_TX_WINDOW);
	size_t n_unsent2 = 0;
	for (size_t i = 0; i < 300; i++)
		n_unsent2 += i % 97 == 50 || i % 101 == 60;
	assert_int_equal(st.n_requests, 1000 - n_unsent + 300 - n_unsent2);
	eng_teardown(&g);
}

static void test_engine_cancel(void **state)
{
	struct eng g;
	(void)state;

	/* cancelled from its own result(): nothing more for it, the next job runs. The
	 * window holding 345 is [262, 363) (363 does not fit); its unsent 341 was reported
	 * right after the send, before the answers. */
	eng_setup(&g, 700);
	g.cancel_at = 345;
	g.n2 = 20;
	assert_int_equal(nl_tx_submit(g.tx, &g.job, g.n, &ops, &g), 0);
	assert_int_equal(nl_tx_submit(g.tx, &g.job2, g.n2, &ops2, &g), 0);
	assert_int_equal(sched_run(g.s), 0);
	assert_int_equal(g.n_results, 346);
	assert_int_equal(g.n_done, 0);
	assert_int_equal(g.n_done2, 1);
	for (size_t i = 346; i < g.n; i++)
		if (g.res[i] != 1)
			fail_msg("request %zu answered after the cancel", i);
	nl_tx_cancel(g.tx, &g.job);	/* idempotent */
	eng_teardown(&g);

	/* an empty job is done at once; a queued job cancelled before it starts never runs */
	eng_setup(&g, 10);
	assert_int_equal(nl_tx_submit(g.tx, &g.job2, 5, &ops2, &g), 0);
	g.n2 = 5;
	assert_int_equal(nl_tx_submit(g.tx, &g.job, 0, &ops, &g), 0);
	nl_tx_cancel(g.tx, &g.job);
	assert_int_equal(sched_run(g.s), 0);
	assert_int_equal(g.n_done, 0);
	assert_int_equal(g.n_done2, 1);
	assert_int_equal(g.n_results, 0);
	eng_teardown(&g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_walk),
		cmocka_unit_test(test_err_parse),
		cmocka_unit_test(test_seq),
		cmocka_unit_test(test_engine),
		cmocka_unit_test(test_engine_cancel),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
