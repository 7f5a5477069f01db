// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tests/unit/test_check_api.c: the checker runtime (check_api.c) with the TCP and MISC
 * drivers on a real loop, against a fake engine that records what it is told:
 * deduplication and fan-out, spec 1.2's retry rules, misc_dynamic weights.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check/check_api.h"
#include "check/check_drivers.h"
#include "process.h"
#include "sched_test.h"
#include "utils.h"

/* --- a fake engine: up to four VSs of one RS each, one checker each --- */

struct ce_rs {
	const struct rs_conf *cf;
	struct ce_vs *vs;
	struct ce_ck ck;
	unsigned n_up, n_down, n_weight, n_dropped;
	int last_weight;
};
struct ce_vs {
	const struct vs_conf *cf;
	struct ce_rs rs;
};
#define MAX_VS 4
struct ce {
	struct ce_vs vs[MAX_VS];
	unsigned n_vs;
};

unsigned ce_n_vs(const struct ce *e) { return e->n_vs; }
struct ce_vs *ce_vs_at(const struct ce *e, unsigned i) { return (struct ce_vs *)&e->vs[i]; }
const struct vs_conf *ce_vs_conf(const struct ce_vs *vs) { return vs->cf; }
unsigned ce_vs_n_rs(const struct ce_vs *vs) { (void)vs; return 1; }
struct ce_rs *ce_rs_at(const struct ce_vs *vs, unsigned i) { (void)i; return (struct ce_rs *)&vs->rs; }
const struct rs_conf *ce_rs_conf(const struct ce_rs *rs) { return rs->cf; }
struct ce_vs *ce_rs_vs(const struct ce_rs *rs) { return rs->vs; }
unsigned ce_rs_n_ck(const struct ce_rs *rs) { (void)rs; return 1; }
struct ce_ck *ce_ck_at(const struct ce_rs *rs, unsigned i) { (void)i; return (struct ce_ck *)&rs->ck; }
const char *ce_rs_str(const struct ce_rs *rs) { (void)rs; return "[127.0.0.1]:tcp:N"; }
const char *ce_vs_str(const struct ce_vs *vs) { return vs->cf->str; }

void ce_ck_set_state(struct ce *e, struct ce_ck *ck, bool up, const char *alert_body)
{
	(void)e;
	(void)alert_body;
	ck->is_up = up;
	if (up)
		ck->rs->n_up++;
	else
		ck->rs->n_down++;
}

void ce_ck_set_weight(struct ce *e, struct ce_ck *ck, int cur_weight)
{
	(void)e;
	ck->cur_weight = cur_weight;
	ck->rs->n_weight++;
	ck->rs->last_weight = cur_weight;
}

/* the quiet reset: counted apart, so a test sees that no weight change was announced */
void ce_ck_drop_weight(struct ce *e, struct ce_ck *ck)
{
	(void)e;
	ck->cur_weight = 0;
	ck->rs->n_dropped++;
}

unsigned ce_vs_ha_addr_count(const struct ce_vs *vs) { (void)vs; return 0; }

struct fixture {
	struct vs_conf vs[MAX_VS];
	struct rs_conf rs[MAX_VS];
	struct ck_conf ck[MAX_VS];
	struct ce e;
};

/* n_vs VSs listing the same backend 127.0.0.1:port with equal (not shared) checkers */
static void fixture_init(struct fixture *f, unsigned n_vs, const struct ck_conf *ck,
			 unsigned retry_it)
{
	memset(f, 0, sizeof(*f));
	f->e.n_vs = n_vs;
	for (unsigned i = 0; i < n_vs; i++) {
		static const char *const names[MAX_VS] = { "[10.0.0.1]:tcp:80",
			"[10.0.0.2]:tcp:80", "[10.0.0.3]:tcp:80", "[10.0.0.4]:tcp:80" };

		f->vs[i].str = (char *)names[i];
		f->rs[i].addr.family = AF_INET;
		f->rs[i].addr.v4.s_addr = htonl(INADDR_LOOPBACK);
		f->rs[i].port = ntohs(((const struct sockaddr_in *)&ck->conn.dst)->sin_port);
		f->rs[i].weight = 2;
		f->ck[i] = *ck;
		f->e.vs[i].cf = &f->vs[i];
		f->e.vs[i].rs.cf = &f->rs[i];
		f->e.vs[i].rs.vs = &f->e.vs[i];
		f->e.vs[i].rs.ck = (struct ce_ck){ .cf = &f->ck[i], .rs = &f->e.vs[i].rs,
						   .is_up = !ck->alpha, .enabled = true,
						   .retry_it = retry_it };
	}
}

/* a listening socket on 127.0.0.1: its port; *fd gets it (connects succeed via the backlog) */
static uint16_t listen_any(int *fd)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(sa);

	*fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	assert_true(*fd >= 0);
	assert_int_equal(bind(*fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(*fd, 128), 0);
	assert_int_equal(getsockname(*fd, (struct sockaddr *)&sa, &len), 0);
	return ntohs(sa.sin_port);
}

static void listen_on(int *fd, uint16_t port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK),
				  .sin_port = htons(port) };
	int one = 1;

	*fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	assert_true(*fd >= 0);
	setsockopt(*fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	assert_int_equal(bind(*fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(*fd, 128), 0);
}

/* accepted connections waiting in the backlog, drained */
static unsigned drain(int fd)
{
	unsigned n = 0;
	int c;

	while ((c = accept4(fd, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
		close(c);
		n++;
	}
	return n;
}

static struct ck_conf tcp_conf(uint16_t port, unsigned retry)
{
	struct ck_conf c = { .type = CK_TCP, .retry = retry, .delay_before_retry_us = 10000,
			     .delay_loop_us = 20000 };
	struct sockaddr_in *sa = (struct sockaddr_in *)&c.conn.dst;

	sa->sin_family = AF_INET;
	sa->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa->sin_port = htons(port);
	c.conn.connect_timeout_us = 1000000;
	return c;
}

/* --- a controller on the loop: a step function polled every 2 ms --- */

struct ctl {
	struct sched *s;
	struct sched_ev *ev;
	bool (*step)(struct ctl *c);	/* true: done */
	struct fixture *f;
	struct ck_runtime *rt;
	int lfd;
	uint16_t port;
	unsigned phase, conns, attempts_at_up;
	uint64_t deadline_us;
	bool timed_out;
};

static void ctl_cb(struct sched_ev *ev, void *arg)
{
	struct ctl *c = arg;

	(void)ev;
	if (c->lfd >= 0)
		c->conns += drain(c->lfd);
	if (c->step(c)) {
		ck_runtime_stop(c->rt);
		c->rt = NULL;
		return;
	}
	if (sched_now_us(c->s) > c->deadline_us) {
		c->timed_out = true;
		ck_runtime_stop(c->rt);
		c->rt = NULL;
		return;
	}
	sched_timer(c->s, &c->ev, 2000, ctl_cb, c);
}

static void ctl_run(struct ctl *c, uint64_t limit_us)
{
	c->deadline_us = sched_now_us(c->s) + limit_us;
	sched_timer(c->s, &c->ev, 2000, ctl_cb, c);
	assert_int_equal(sched_run(c->s), 0);
	assert_false(c->timed_out);
}

/* the probe's attempt count, from its dump line */
static unsigned attempts(const struct ce_ck *ck)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	unsigned n_members = 0;
	unsigned long long n = 0;

	ck_probe_dump(ck->probe, f, 0);
	fclose(f);
	assert_int_equal(sscanf(buf, " probe: %u member(s), %llu attempt(s)", &n_members, &n), 2);
	free(buf);
	return (unsigned)n;
}

/* the probe's count of attempts cancelled by the liveness guard */
static unsigned guarded(const struct ce_ck *ck)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	unsigned n_members = 0;
	unsigned long long n = 0, n_failed = 0, n_guard = 0;

	ck_probe_dump(ck->probe, f, 0);
	fclose(f);
	assert_int_equal(sscanf(buf, " probe: %u member(s), %llu attempt(s), %llu failed, %llu",
				&n_members, &n, &n_failed, &n_guard), 4);
	free(buf);
	return (unsigned)n_guard;
}

static bool step_dedup(struct ctl *c)
{
	struct ce_rs *a = &c->f->e.vs[0].rs, *b = &c->f->e.vs[1].rs;

	if (!a->ck.has_run || !b->ck.has_run || attempts(&a->ck) < 3)
		return false;
	c->attempts_at_up = attempts(&a->ck);
	return true;
}

/* Two VSs, one backend, equal checkers: one probe, one connection per attempt, both see it. */
static void test_dedup_fanout(void **state)
{
	struct fixture f;
	struct ctl c = { .s = sched_start(), .step = step_dedup, .f = &f };
	struct ck_conf ck;

	(void)state;
	c.port = listen_any(&c.lfd);
	ck = tcp_conf(c.port, 1);
	fixture_init(&f, 2, &ck, 1);
	c.rt = ck_runtime_start(c.s, &f.e, false);
	assert_int_equal(ck_runtime_n_probes(c.rt), 1);
	assert_ptr_equal(f.e.vs[0].rs.ck.probe, f.e.vs[1].rs.ck.probe);
	ctl_run(&c, 5000000);
	c.conns += drain(c.lfd);
	close(c.lfd);
	/* one connection per attempt, not one per VS */
	assert_int_equal(c.conns, c.attempts_at_up);
	/* the first success reaches both members once (first result), and no more */
	assert_int_equal(f.e.vs[0].rs.n_up, 1);
	assert_int_equal(f.e.vs[1].rs.n_up, 1);
	assert_int_equal(f.e.vs[0].rs.n_down + f.e.vs[1].rs.n_down, 0);
	sched_finish(c.s);
}

/* A changed definition (another delay_loop) is a probe of its own. */
static void test_no_dedup_when_different(void **state)
{
	struct fixture f;
	struct sched *s = sched_start();
	struct ck_conf ck = tcp_conf(9, 1);
	struct ck_runtime *rt;

	(void)state;
	fixture_init(&f, 2, &ck, 1);
	f.ck[1].delay_loop_us++;
	rt = ck_runtime_start(s, &f.e, false);
	assert_int_equal(ck_runtime_n_probes(rt), 2);
	ck_runtime_stop(rt);
	sched_finish(s);
}

/*
 * Spec 1.2: cold start (retry_it = retry): the first failure marks down at once; once up,
 * retry 2 takes three failed attempts.
 */
static bool step_retry(struct ctl *c)
{
	struct ce_rs *rs = &c->f->e.vs[0].rs;

	switch (c->phase) {
	case 0:		/* refused at the first attempt: down at once */
		if (!rs->ck.has_run)
			return false;
		assert_int_equal(attempts(&rs->ck), 1);
		assert_int_equal(rs->n_down, 1);
		listen_on(&c->lfd, c->port);
		c->phase = 1;
		return false;
	case 1:
		if (!rs->n_up)
			return false;
		close(c->lfd);
		c->lfd = -1;
		c->attempts_at_up = attempts(&rs->ck);
		c->phase = 2;
		return false;
	default:
		if (rs->n_down < 2)
			return false;
		assert_int_equal(attempts(&rs->ck) - c->attempts_at_up, 3);
		return true;
	}
}

static void test_retry_rules(void **state)
{
	struct fixture f;
	struct ctl c = { .s = sched_start(), .step = step_retry, .f = &f };
	struct ck_conf ck;

	(void)state;
	c.port = listen_any(&c.lfd);
	close(c.lfd);		/* a port nobody listens on: refused */
	c.lfd = -1;
	ck = tcp_conf(c.port, 2);
	fixture_init(&f, 1, &ck, 2);
	c.rt = ck_runtime_start(c.s, &f.e, false);
	ctl_run(&c, 5000000);
	sched_finish(c.s);
}

/* --- MISC --- */

static struct ck_conf misc_conf(const char *cmdline, uint64_t timeout_us, bool dynamic)
{
	struct ck_conf c = { .type = CK_MISC, .delay_before_retry_us = 10000,
			     .delay_loop_us = 20000 };

	assert_int_equal(process_cmd_new(cmdline, getuid(), getgid(), &c.u.misc.cmd, NULL), 0);
	c.u.misc.timeout_us = timeout_us;
	c.u.misc.dynamic = dynamic;
	return c;
}

static bool step_first_run(struct ctl *c)
{
	return c->f->e.vs[0].rs.ck.has_run;
}

/* misc_dynamic: exit 12 is weight 10: a contribution of 10 - 2 (the RS's weight) */
static void test_misc_dynamic_weight(void **state)
{
	struct fixture f;
	struct ctl c = { .s = sched_start(), .step = step_first_run, .f = &f, .lfd = -1 };
	struct ck_conf ck = misc_conf("/bin/sh -c 'exit 12'", 1000000, true);

	(void)state;
	fixture_init(&f, 1, &ck, 0);
	c.rt = ck_runtime_start(c.s, &f.e, false);
	ctl_run(&c, 5000000);
	assert_int_equal(f.e.vs[0].rs.last_weight, 8);
	assert_int_equal(f.e.vs[0].rs.n_up, 1);
	assert_int_equal(f.e.vs[0].rs.n_down, 0);
	sched_run(c.s);		/* reap */
	process_cmd_free(ck.u.misc.cmd);
	sched_finish(c.s);
}

/* a timeout is a failure, and the weight the script had set goes with it (issue #2720) */
static void test_misc_timeout_drops_weight(void **state)
{
	struct fixture f;
	struct ctl c = { .s = sched_start(), .step = step_first_run, .f = &f, .lfd = -1 };
	struct ck_conf ck = misc_conf("/bin/sleep 5", 50000, true);

	(void)state;
	fixture_init(&f, 1, &ck, 0);
	f.e.vs[0].rs.ck.cur_weight = 8;		/* as an earlier exit 12 left it */
	c.rt = ck_runtime_start(c.s, &f.e, false);
	ctl_run(&c, 8000000);
	assert_int_equal(f.e.vs[0].rs.n_down, 1);
	assert_int_equal(f.e.vs[0].rs.ck.cur_weight, 0);
	/* quietly, as 2.2.7: no "Changing weight" for a server that just went down */
	assert_int_equal(f.e.vs[0].rs.n_dropped, 1);
	assert_int_equal(f.e.vs[0].rs.n_weight, 0);
	sched_run(c.s);
	process_cmd_free(ck.u.misc.cmd);
	sched_finish(c.s);
}

/* a script that cannot run: the checker is dropped (no probe runs), an alpha one set up */
static void test_misc_not_runnable_dropped(void **state)
{
	struct fixture f;
	struct sched *s = sched_start();
	struct ck_conf ck = misc_conf("/nonexistent/x", 0, false);
	struct ck_runtime *rt;

	(void)state;
	ck.u.misc.cmd->state = PROCESS_CHECK_NOT_FOUND;
	ck.alpha = true;
	fixture_init(&f, 1, &ck, 0);
	rt = ck_runtime_start(s, &f.e, false);
	assert_int_equal(f.e.vs[0].rs.n_up, 1);
	ck_runtime_stop(rt);
	process_cmd_free(ck.u.misc.cmd);
	sched_finish(s);
}

static bool step_guard(struct ctl *c)
{
	return guarded(&c->f->e.vs[0].rs.ck) >= 1;
}

/*
 * Spec 6.3: an attempt that never reports (here a script with no time limit) is
 * cancelled after delay_loop + its timeouts + the margin, and the probe runs again.
 */
static void test_liveness_guard(void **state)
{
	struct fixture f;
	struct ctl c = { .s = sched_start(), .step = step_guard, .f = &f, .lfd = -1 };
	struct ck_conf ck = misc_conf("/bin/sleep 60", 0, false);

	(void)state;
	fixture_init(&f, 1, &ck, 0);
	c.rt = ck_runtime_start(c.s, &f.e, false);
	ctl_run(&c, 20000000);
	/* nothing was decided about the backend */
	assert_int_equal(f.e.vs[0].rs.n_up + f.e.vs[0].rs.n_down, 0);
	sched_run(c.s);		/* reap the SIGTERMed scripts */
	process_cmd_free(ck.u.misc.cmd);
	sched_finish(c.s);
}

static bool step_all_ran_twice(struct ctl *c)
{
	for (unsigned i = 0; i < c->f->e.n_vs; i++)
		if (attempts(&c->f->e.vs[i].rs.ck) < 2)
			return false;
	return true;
}

/*
 * Probes wait in 10 ms slots, one scheduler timer per slot (not one per probe): four
 * probes due at the same slot are one timer, with the liveness guard's sweep one more;
 * each still runs, and is rescheduled, on its own.
 */
static void test_probes_share_slot_timers(void **state)
{
	struct fixture f;
	int lfd;
	uint16_t port = listen_any(&lfd);
	struct ctl c = { .s = sched_start(), .step = step_all_ran_twice, .f = &f, .lfd = lfd };
	struct ck_conf ck = tcp_conf(port, 1);
	struct sched_stats st;

	(void)state;
	fixture_init(&f, MAX_VS, &ck, 1);
	for (unsigned i = 1; i < MAX_VS; i++)
		f.ck[i].delay_loop_us += i;	/* four definitions: four probes */
	c.rt = ck_runtime_start(c.s, &f.e, false);
	assert_int_equal(ck_runtime_n_probes(c.rt), MAX_VS);
	sched_get_stats(c.s, &st);
	assert_int_equal(st.n_timers, 2);	/* the first runs' slot and the sweep */
	ctl_run(&c, 5000000);
	for (unsigned i = 0; i < MAX_VS; i++)
		assert_int_equal(f.e.vs[i].rs.n_up, 1);	/* up (alpha off: counted once) */
	assert_true(c.conns >= 2 * MAX_VS);
	close(lfd);
	sched_finish(c.s);
}

/* probes due in one 10 ms slot start together: deadlines round up to the slot, never down */
static void test_coalesce_slots(void **state)
{
	(void)state;
	assert_int_equal(ck_coalesce_us(0), 0);
	assert_int_equal(ck_coalesce_us(1), 10000);
	assert_int_equal(ck_coalesce_us(9999), 10000);
	assert_int_equal(ck_coalesce_us(10000), 10000);
	assert_int_equal(ck_coalesce_us(1000000001), 1000010000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_coalesce_slots),
		cmocka_unit_test(test_dedup_fanout),
		cmocka_unit_test(test_no_dedup_when_different),
		cmocka_unit_test(test_retry_rules),
		cmocka_unit_test(test_misc_dynamic_weight),
		cmocka_unit_test(test_misc_timeout_drops_weight),
		cmocka_unit_test(test_misc_not_runnable_dropped),
		cmocka_unit_test(test_liveness_guard),
		cmocka_unit_test(test_probes_share_slot_timers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
