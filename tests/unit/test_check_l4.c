// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tests/unit/test_check_l4.c: ck_l4_epilog(), the end of a TCP_CHECK, UDP_CHECK or
 * PING_CHECK attempt (spec 1.2), with a stand-in for check_api: the lines each type
 * logs, the state changes with their alert bodies, retry_it and the next delay.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "check/check_l4.h"
#include "log_test.h"

#define LOOP_US 5000000ULL
#define RETRY_US 2000000ULL

/* --- a stand-in for check_api.c: one probe, one member ------------------------------ */

struct ck_member {
	struct ce_ck ck;
};

struct ck_probe {
	struct ck_conf cf;
	struct ck_member m;
	int n_set;			/* ck_probe_set_state calls */
	char last_body[100];
	uint64_t delay_us;		/* of the last ck_probe_schedule */
	int n_noted;			/* ck_probe_note_result calls (the dump's last result) */
	bool last_ok;
};

const struct ck_conf *ck_probe_conf(const struct ck_probe *p) { return &p->cf; }
void ck_probe_dst(const struct ck_probe *p, union ck_sockaddr *out) { *out = p->cf.conn.dst; }
struct ce_ck *ck_probe_ck(const struct ck_probe *p) { return (struct ce_ck *)&p->m.ck; }
struct ck_member *ck_probe_members(const struct ck_probe *p) { return (struct ck_member *)&p->m; }
struct ck_member *ck_member_next(const struct ck_member *m) { (void)m; return NULL; }
const char *ck_member_rs_str(const struct ck_member *m) { (void)m; return "[10.1.0.1]:tcp:80"; }
const char *ck_member_vs_str(const struct ck_member *m) { (void)m; return "[10.0.0.1]:tcp:80"; }
struct ce_ck *ck_member_ck(const struct ck_member *m) { return (struct ce_ck *)&m->ck; }

void ck_probe_set_state(struct ck_probe *p, bool up, const char *alert_body)
{
	p->m.ck.is_up = up;
	p->n_set++;
	snprintf(p->last_body, sizeof(p->last_body), "%s", alert_body);
}

void ck_probe_note_result(struct ck_probe *p, bool ok)
{
	p->n_noted++;
	p->last_ok = ok;
}

void ck_probe_schedule(struct ck_probe *p, uint64_t delay_us)
{
	p->delay_us = delay_us;
}

/* --- the types' words, as check_tcp.c, check_udp.c and check_ping.c give them -------- */

static const struct ck_l4_type tcp = {
	.conn = "TCP", .check = "TCP_CHECK",
	.alert_up = "=> TCP CHECK succeed on service <=",
	.alert_down = "=> TCP CHECK failed on service <=",
	.retries_while_down = true,
};
static const struct ck_l4_type udp = {
	.conn = "UDP", .check = "UDP_CHECK",
	.alert_up = "=> UDP CHECK succeed on service <=",
	.alert_down = "=> UDP CHECK failed on service <=",
};
static const struct ck_l4_type ping = {
	.conn = "ICMP", .check = "ICMP CHECK", .retries_name_vs = true,
	.alert_up = "=> ICMP CHECK succeed on service <=",
	.alert_down = "=> ICMP CHECK failed on service <=",
};

/* cold start (spec 1.2): up, not run yet, retry_it = retry */
static void probe_init(struct ck_probe *p, unsigned retry, bool is_up, unsigned retry_it)
{
	memset(p, 0, sizeof(*p));
	p->cf.retry = retry;
	p->cf.delay_loop_us = LOOP_US;
	p->cf.delay_before_retry_us = RETRY_US;
	p->m.ck.enabled = true;
	p->m.ck.is_up = is_up;
	p->m.ck.retry_it = retry_it;
	log_test_new_lines();
}

/* one attempt: what it logged, and afterwards retry_it and the delay to the next */
#define STEP(p, type, ok, lines, want_retry_it, want_delay) do { \
		int n_noted_ = (p)->n_noted; \
		ck_l4_epilog((p), (type), (ok)); \
		assert_int_equal((p)->n_noted, n_noted_ + 1); \
		assert_int_equal((p)->last_ok, (ok)); \
		assert_string_equal(log_test_new_lines(), (lines)); \
		assert_int_equal((p)->m.ck.retry_it, (want_retry_it)); \
		assert_int_equal((p)->delay_us, (want_delay)); \
		assert_true((p)->m.ck.has_run); \
	} while (0)

static void test_tcp(void **state)
{
	struct ck_probe p;

	(void)state;
	/* cold start: the first failure marks down at once, without " after N retries" */
	probe_init(&p, 2, true, 2);
	STEP(&p, &tcp, false, "TCP_CHECK on service [10.1.0.1]:tcp:80 failed.|", 0, LOOP_US);
	assert_int_equal(p.n_set, 1);
	assert_false(p.m.ck.is_up);
	assert_string_equal(p.last_body, "=> TCP CHECK failed on service <=");
	/* down: retry_it goes on cycling, so the interval alternates (2.2.7's) */
	STEP(&p, &tcp, false, "", 1, RETRY_US);
	STEP(&p, &tcp, false, "", 2, RETRY_US);
	STEP(&p, &tcp, false, "", 0, LOOP_US);
	STEP(&p, &tcp, false, "", 1, RETRY_US);
	assert_int_equal(p.n_set, 1);
	/* one success brings it up */
	STEP(&p, &tcp, true, "TCP connection to [10.1.0.1]:tcp:80 success.|", 0, LOOP_US);
	assert_int_equal(p.n_set, 2);
	assert_true(p.m.ck.is_up);
	assert_string_equal(p.last_body, "=> TCP CHECK succeed on service <=");
	/* up: retry N is N + 1 failed attempts, delay_before_retry apart */
	STEP(&p, &tcp, true, "", 0, LOOP_US);
	STEP(&p, &tcp, false, "", 1, RETRY_US);
	STEP(&p, &tcp, false, "", 2, RETRY_US);
	STEP(&p, &tcp, false, "TCP_CHECK on service [10.1.0.1]:tcp:80 failed after 2 retries.|",
	     0, LOOP_US);
	assert_int_equal(p.n_set, 3);
}

static void test_udp(void **state)
{
	struct ck_probe p;

	(void)state;
	probe_init(&p, 1, true, 1);
	STEP(&p, &udp, true, "UDP connection to [10.1.0.1]:tcp:80 success.|", 0, LOOP_US);
	assert_string_equal(p.last_body, "=> UDP CHECK succeed on service <=");
	STEP(&p, &udp, false, "", 1, RETRY_US);
	STEP(&p, &udp, false, "UDP_CHECK on service [10.1.0.1]:tcp:80 failed after 1 retries.|",
	     0, LOOP_US);
	assert_string_equal(p.last_body, "=> UDP CHECK failed on service <=");
	/* down: delay_loop between attempts, nothing counted */
	STEP(&p, &udp, false, "", 0, LOOP_US);
	STEP(&p, &udp, false, "", 0, LOOP_US);
	assert_int_equal(p.n_set, 2);
	/* retry 0: the first failure while up marks down */
	probe_init(&p, 0, true, 0);
	p.m.ck.has_run = true;
	STEP(&p, &udp, false, "UDP_CHECK on service [10.1.0.1]:tcp:80 failed.|", 0, LOOP_US);
	/* alpha, new on reload (retry_it 0): down, so it waits and never counts */
	probe_init(&p, 1, false, 0);
	STEP(&p, &udp, false, "", 0, LOOP_US);
	assert_int_equal(p.n_set, 0);
}

static void test_ping(void **state)
{
	struct ck_probe p;

	(void)state;
	probe_init(&p, 1, true, 1);
	STEP(&p, &ping, false, "ICMP CHECK on service [10.1.0.1]:tcp:80 failed.|", 0, LOOP_US);
	assert_string_equal(p.last_body, "=> ICMP CHECK failed on service <=");
	STEP(&p, &ping, false, "", 0, LOOP_US);
	STEP(&p, &ping, true, "ICMP connection to [10.1.0.1]:tcp:80 success.|", 0, LOOP_US);
	assert_string_equal(p.last_body, "=> ICMP CHECK succeed on service <=");
	STEP(&p, &ping, false, "", 1, RETRY_US);
	/* ICMP's "after N retries" line names the virtual server too */
	STEP(&p, &ping, false, "ICMP CHECK on service [10.1.0.1]:tcp:80 of [10.0.0.1]:tcp:80 "
	     "failed after 1 retries.|", 0, LOOP_US);
	assert_int_equal(p.n_set, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tcp),
		cmocka_unit_test(test_udp),
		cmocka_unit_test(test_ping),
	};

	return cmocka_run_group_tests(tests, log_test_setup, log_test_teardown);
}
