// SPDX-License-Identifier: GPL-2.0-or-later
/* tests/unit/test_ctl.c: the status plane's transport: a gather over socketpairs, in one loop. */
#include "sched_test.h"

#include <sys/socket.h>
#include <unistd.h>

#include "core/ctl.h"
#include "core/module.h"

struct result {
	bool called;
	enum ka_ctl_req req;
	unsigned n;
	struct ctl_answer ans[KA_MOD__COUNT];
	char *data[KA_MOD__COUNT];
	char *joined;
	size_t joined_len;
	struct sched *s;
};

static void done_cb(void *arg, enum ka_ctl_req req, const struct ctl_answer *ans, unsigned n,
		    const char *joined, size_t joined_len)
{
	struct result *res = arg;

	res->called = true;
	res->req = req;
	res->n = n;
	for (unsigned i = 0; i < n; i++) {
		res->ans[i] = ans[i];
		res->data[i] = ans[i].data ? strndup(ans[i].data, ans[i].len) : NULL;
	}
	res->joined = strndup(joined, joined_len);
	res->joined_len = joined_len;
	sched_stop(res->s);
}

static void result_free(struct result *res)
{
	for (unsigned i = 0; i < res->n; i++)
		free(res->data[i]);
	free(res->joined);
}

static size_t big_size;

/* A big answer (many chunks), its size fixed by big_size, then the kind of request. */
static size_t render_big(void *arg, enum ka_ctl_req req, FILE *f, size_t cursor)
{
	for (size_t i = 0; i < big_size; i++)
		fputc('a' + (int)(i % 26), f);
	fprintf(f, "|%d", (int)req);
	return 0;
}

static size_t render_small(void *arg, enum ka_ctl_req req, FILE *f, size_t cursor)
{
	fputs(arg, f);
	return 0;
}

/* Ten parts, "0123456789"; each part counts the ticks the loop made since the first. */
static unsigned ticks, ticks_seen[10];

static size_t render_parts(void *arg, enum ka_ctl_req req, FILE *f, size_t cursor)
{
	ticks_seen[cursor] = ticks;
	fputc('0' + (int)cursor, f);
	return cursor + 1 < 10 ? cursor + 1 : 0;
}

static struct sched_ev *tick_ev;

/* A timer due at once, again and again: one tick per loop iteration. */
static void tick_cb(struct sched_ev *ev, void *arg)
{
	ticks++;
	sched_timer(arg, &tick_ev, 0, tick_cb, arg);
}

static void pair(int sv[2])
{
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv),
			 0);
}

/* 3 MB through a socket that takes ~200 KB at a time: every chunk arrives, in order. */
static void test_big_answer(void **state)
{
	struct sched *s = sched_start();
	struct ctl_hub *h;
	struct ctl_responder *r;
	struct ctl_gather *g = NULL;
	struct result res = { .s = s };
	int sv[2];

	pair(sv);
	big_size = 3 * 1024 * 1024 + 17;
	assert_int_equal(ctl_hub_new(s, &h), 0);
	ctl_hub_child_up(h, KA_MOD_VRRP, getpid(), sv[0]);
	assert_int_equal(ctl_responder_new(s, sv[1], render_big, NULL, &r), 0);
	assert_int_equal(ctl_gather(h, KA_CTL_STATUS_JSON, 5000000, done_cb, &res, &g), 0);
	assert_non_null(g);
	assert_int_equal(sched_run(s), 0);
	assert_true(res.called);
	assert_null(g);
	assert_int_equal(res.n, 1);
	assert_true(res.ans[0].answered);
	assert_false(res.ans[0].truncated);
	assert_int_equal(res.ans[0].len, big_size + 2);
	for (size_t i = 0; i < big_size; i += 4099)
		assert_int_equal(res.data[0][i], 'a' + (int)(i % 26));
	assert_string_equal(res.data[0] + big_size, "|2");
	assert_int_equal(res.joined_len, big_size + 2);
	/* the chunks counted as signs of life */
	assert_true(ctl_hub_alive(h, KA_MOD_VRRP));
	assert_false(ctl_hub_alive(h, KA_MOD_VRRP));
	result_free(&res);
	ctl_responder_free(r);
	ctl_hub_free(h);
	close(sv[0]);
	close(sv[1]);
	sched_finish(s);
}

/* One child answers, the other is silent (stopped): it is reported after the timeout. */
static void test_silent_child(void **state)
{
	struct sched *s = sched_start();
	struct ctl_hub *h;
	struct ctl_responder *r;
	struct result res = { .s = s };
	uint64_t t0 = mono_now_us(), took;
	int a[2], b[2];

	pair(a);
	pair(b);
	assert_int_equal(ctl_hub_new(s, &h), 0);
	ctl_hub_child_up(h, KA_MOD_VRRP, 101, a[0]);
	ctl_hub_child_up(h, KA_MOD_CHECK, 102, b[0]);
	assert_int_equal(ctl_responder_new(s, a[1], render_small, "vrrp part\n", &r), 0);
	assert_int_equal(ctl_gather(h, KA_CTL_STATUS_TEXT, 200000, done_cb, &res, NULL), 0);
	assert_int_equal(sched_run(s), 0);
	took = mono_now_us() - t0;
	assert_true(took >= 200000 && took < 2000000);
	assert_int_equal(res.n, 2);
	assert_int_equal(res.ans[0].mod, KA_MOD_VRRP);
	assert_int_equal(res.ans[0].pid, 101);
	assert_true(res.ans[0].answered);
	assert_string_equal(res.data[0], "vrrp part\n");
	assert_int_equal(res.ans[1].mod, KA_MOD_CHECK);
	assert_int_equal(res.ans[1].pid, 102);
	assert_false(res.ans[1].answered);
	assert_null(res.data[1]);
	assert_string_equal(res.joined, "vrrp part\n");
	result_free(&res);
	/* a heartbeat byte is a sign of life too */
	assert_false(ctl_hub_alive(h, KA_MOD_CHECK));
	assert_int_equal(write(b[1], "h", 1), 1);
	assert_true(ctl_hub_alive(h, KA_MOD_CHECK));
	ctl_responder_free(r);
	ctl_hub_free(h);
	close(a[0]);
	close(a[1]);
	close(b[0]);
	close(b[1]);
	sched_finish(s);
}

static void child_dies_cb(struct sched_ev *ev, void *arg)
{
	ctl_hub_child_down(arg, KA_MOD_VRRP);
}

/* A child that dies during a gather ends it at once, unanswered. */
struct state_seen {
	int n, m;
	char payload[8];
};

static void state_cb(void *arg, int m, const void *msg, size_t n)
{
	struct state_seen *seen = arg;

	seen->n++;
	seen->m = m;
	assert_int_equal(n, sizeof(struct ka_ctl_hdr) + 4);
	memcpy(seen->payload, (const char *)msg + sizeof(struct ka_ctl_hdr), 4);
}

/* A child's state report (KA_CTL_STATE, core/resume.h) read by the hub goes to on_state. */
static void test_state_report(void **state)
{
	struct sched *s = sched_start();
	struct ctl_hub *h;
	struct state_seen seen = { 0 };
	struct ka_ctl_hdr hd = { .type = KA_CTL_STATE };
	char msg[sizeof(hd) + 4];
	int a[2];

	pair(a);
	memcpy(msg, &hd, sizeof(hd));
	memcpy(msg + sizeof(hd), "VRS1", 4);
	assert_int_equal(ctl_hub_new(s, &h), 0);
	ctl_hub_child_up(h, KA_MOD_CHECK, 101, a[0]);
	assert_int_equal(write(a[1], msg, sizeof(msg)), (ssize_t)sizeof(msg));
	assert_true(ctl_hub_alive(h, KA_MOD_CHECK));	/* no callback yet: dropped */
	assert_int_equal(seen.n, 0);
	ctl_hub_on_state(h, state_cb, &seen);
	assert_int_equal(write(a[1], "h", 1), 1);
	assert_int_equal(write(a[1], msg, sizeof(msg)), (ssize_t)sizeof(msg));
	assert_true(ctl_hub_alive(h, KA_MOD_CHECK));
	assert_int_equal(seen.n, 1);
	assert_int_equal(seen.m, KA_MOD_CHECK);
	assert_memory_equal(seen.payload, "VRS1", 4);
	ctl_hub_free(h);
	close(a[0]);
	close(a[1]);
	sched_finish(s);
}

static void test_child_down(void **state)
{
	struct sched *s = sched_start();
	struct ctl_hub *h;
	struct sched_ev *ev = NULL;
	struct result res = { .s = s };
	int a[2];

	pair(a);
	assert_int_equal(ctl_hub_new(s, &h), 0);
	ctl_hub_child_up(h, KA_MOD_VRRP, 101, a[0]);
	assert_int_equal(ctl_gather(h, KA_CTL_METRICS, 10000000, done_cb, &res, NULL), 0);
	assert_int_equal(sched_timer(s, &ev, 1000, child_dies_cb, h), 0);
	assert_int_equal(sched_run(s), 0);
	assert_int_equal(res.req, KA_CTL_METRICS);
	assert_int_equal(res.n, 1);
	assert_false(res.ans[0].answered);
	result_free(&res);
	ctl_hub_free(h);
	close(a[0]);
	close(a[1]);
	sched_finish(s);
}

/* No child: the callback still comes, from the loop, with nothing. */
static void test_no_child(void **state)
{
	struct sched *s = sched_start();
	struct ctl_hub *h;
	struct ctl_gather *g = NULL;
	struct result res = { .s = s };

	assert_int_equal(ctl_hub_new(s, &h), 0);
	assert_int_equal(ctl_gather(h, KA_CTL_STATUS_TEXT, 1000000, done_cb, &res, &g), 0);
	assert_false(res.called);
	assert_int_equal(sched_run(s), 0);
	assert_true(res.called);
	assert_int_equal(res.n, 0);
	assert_string_equal(res.joined, "");
	result_free(&res);
	/* a cancelled gather never calls back */
	res.called = false;
	assert_int_equal(ctl_gather(h, KA_CTL_STATUS_TEXT, 1000000, done_cb, &res, &g), 0);
	ctl_gather_cancel(&g);
	assert_null(g);
	ctl_gather_cancel(&g);
	assert_false(res.called);
	ctl_hub_free(h);
	sched_finish(s);
}

/* Two gathers at once (the control socket and the metrics listener): each gets its own. */
static void test_concurrent(void **state)
{
	struct sched *s = sched_start();
	struct ctl_hub *h;
	struct ctl_responder *r;
	struct result r1 = { .s = s }, r2 = { .s = s };
	int a[2];

	pair(a);
	big_size = 100000;
	assert_int_equal(ctl_hub_new(s, &h), 0);
	ctl_hub_child_up(h, KA_MOD_VRRP, 101, a[0]);
	assert_int_equal(ctl_responder_new(s, a[1], render_big, NULL, &r), 0);
	assert_int_equal(ctl_gather(h, KA_CTL_STATUS_TEXT, 5000000, done_cb, &r1, NULL), 0);
	assert_int_equal(ctl_gather(h, KA_CTL_METRICS, 5000000, done_cb, &r2, NULL), 0);
	while (!r1.called || !r2.called)
		assert_int_equal(sched_run(s), 0);
	assert_string_equal(r1.data[0] + big_size, "|1");
	assert_string_equal(r2.data[0] + big_size, "|3");
	result_free(&r1);
	result_free(&r2);
	ctl_responder_free(r);
	ctl_hub_free(h);
	close(a[0]);
	close(a[1]);
	sched_finish(s);
}

/* A part per loop iteration: the loop's other events run between the parts. */
static void test_parts(void **state)
{
	struct sched *s = sched_start();
	struct ctl_hub *h;
	struct ctl_responder *r;
	struct result res = { .s = s };
	int a[2];

	pair(a);
	ticks = 0;
	assert_int_equal(ctl_hub_new(s, &h), 0);
	ctl_hub_child_up(h, KA_MOD_CHECK, 101, a[0]);
	assert_int_equal(ctl_responder_new(s, a[1], render_parts, NULL, &r), 0);
	assert_int_equal(ctl_gather(h, KA_CTL_STATUS_TEXT, 5000000, done_cb, &res, NULL), 0);
	assert_int_equal(sched_timer(s, &tick_ev, 0, tick_cb, s), 0);
	assert_int_equal(sched_run(s), 0);
	sched_cancel(&tick_ev);
	assert_true(res.ans[0].answered);
	assert_string_equal(res.data[0], "0123456789");
	for (int i = 1; i < 10; i++)
		assert_true(ticks_seen[i] > ticks_seen[i - 1]);
	result_free(&res);
	ctl_responder_free(r);
	ctl_hub_free(h);
	close(a[0]);
	close(a[1]);
	sched_finish(s);
}

static void test_json_str(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ctl_json_str(f, "a\"b\\c\nd\x01");
	fputc(' ', f);
	ctl_json_str(f, NULL);
	fclose(f);
	assert_string_equal(buf, "\"a\\\"b\\\\c\\nd\\u0001\" null");
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_big_answer),
		cmocka_unit_test(test_silent_child),
		cmocka_unit_test(test_child_down),
		cmocka_unit_test(test_state_report),
		cmocka_unit_test(test_no_child),
		cmocka_unit_test(test_concurrent),
		cmocka_unit_test(test_parts),
		cmocka_unit_test(test_json_str),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
