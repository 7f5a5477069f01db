// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tests/unit/test_check_http_drv.c: the HTTP_GET and SMTP_CHECK drivers on a real event
 * loop against scripted loopback servers, with a stand-in for check_api: what they
 * report (state changes with their SMTP alert bodies), log and schedule.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "check/check_drivers.h"
#include "log_test.h"
#include "scheduler.h"
#include "utils.h"

/* --- a stand-in for check_api.c: one probe, one member ------------------------------ */

struct ck_member {
	struct ce_ck ck;
};

struct ck_probe {
	struct sched *s;
	struct ck_conf cf;
	void *state;
	struct ck_member m;
	int n_set;			/* ck_probe_set_state calls */
	bool last_up;
	char last_body[600];		/* "" : NULL */
	bool scheduled;
	uint64_t delay_us;
	int n_results, n_ok;
};

static struct rs_conf the_rs;

struct sched *ck_probe_sched(const struct ck_probe *p) { return p->s; }
const struct ck_conf *ck_probe_conf(const struct ck_probe *p) { return &p->cf; }
void ck_probe_dst(const struct ck_probe *p, union ck_sockaddr *out) { *out = p->cf.conn.dst; }
void *ck_probe_state(const struct ck_probe *p) { return p->state; }
struct ce_ck *ck_probe_ck(const struct ck_probe *p) { return (struct ce_ck *)&p->m.ck; }
struct ck_member *ck_probe_members(const struct ck_probe *p) { return (struct ck_member *)&p->m; }
struct ck_member *ck_member_next(const struct ck_member *m) { (void)m; return NULL; }
const char *ck_member_rs_str(const struct ck_member *m) { (void)m; return "[127.0.0.1]:tcp:80"; }
const char *ck_member_vs_str(const struct ck_member *m) { (void)m; return "[10.0.0.1]:tcp:80"; }
struct ce_ck *ck_member_ck(const struct ck_member *m) { return (struct ce_ck *)&m->ck; }
bool ck_log_all_failures(const struct ck_probe *p) { return p->cf.log_all_failures; }
const struct rs_conf *ce_rs_conf(const struct ce_rs *rs) { (void)rs; return &the_rs; }

void ck_probe_set_state(struct ck_probe *p, bool up, const char *alert_body)
{
	p->m.ck.is_up = up;
	p->m.ck.has_run = true;
	p->n_set++;
	p->last_up = up;
	snprintf(p->last_body, sizeof(p->last_body), "%s", alert_body ? alert_body : "");
}

void ck_probe_note_result(struct ck_probe *p, bool ok)
{
	p->n_results++;
	p->n_ok += ok;
}

void ck_probe_schedule(struct ck_probe *p, uint64_t delay_us)
{
	p->scheduled = true;
	p->delay_us = delay_us;
	sched_stop(p->s);
}

/* --- scripted servers: one reply script per accepted connection, in a thread -------- */

struct server {
	int fd;
	uint16_t port;
	pthread_t th;
	const char *const *replies;	/* per connection: what to send (NULL ends) */
	bool smtp;			/* send a line, read a line, for each step */
};

static void *serve(void *arg)
{
	struct server *sv = arg;

	for (const char *const *r = sv->replies; *r; r++) {
		int c = accept(sv->fd, NULL, NULL);
		char buf[4096];

		if (c < 0)
			break;
		if (sv->smtp) {
			/* lines separated by '|': send one, read one */
			char *copy = strdup(*r), *save = NULL;

			for (char *l = strtok_r(copy, "|", &save); l; l = strtok_r(NULL, "|", &save)) {
				if (write(c, l, strlen(l)) < 0 || read(c, buf, sizeof(buf)) <= 0)
					break;
			}
			free(copy);
		} else {
			size_t n = 0;
			ssize_t k;

			while (n < sizeof(buf) - 1 && (k = read(c, buf + n, sizeof(buf) - 1 - n)) > 0) {
				n += (size_t)k;
				buf[n] = '\0';
				if (strstr(buf, "\r\n\r\n"))
					break;
			}
			if (write(c, *r, strlen(*r)) < 0)
				break;
		}
		close(c);
	}
	return NULL;
}

static void server_start(struct server *sv, const char *const *replies, bool smtp)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);

	sv->replies = replies;
	sv->smtp = smtp;
	sv->fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(sv->fd >= 0);
	assert_int_equal(bind(sv->fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(sv->fd, 8), 0);
	assert_int_equal(getsockname(sv->fd, (struct sockaddr *)&a, &len), 0);
	sv->port = ntohs(a.sin_port);
	assert_int_equal(pthread_create(&sv->th, NULL, serve, sv), 0);
}

static void server_stop(struct server *sv)
{
	shutdown(sv->fd, SHUT_RDWR);
	pthread_join(sv->th, NULL);
	close(sv->fd);
}

/* --- the probe ---------------------------------------------------------------------- */

static void probe_init(struct ck_probe *p, const struct ck_driver *drv, enum ck_type t,
		       uint16_t port, unsigned retry)
{
	struct sockaddr_in *d = (struct sockaddr_in *)&p->cf.conn.dst;

	memset(p, 0, sizeof(*p));
	assert_int_equal(sched_new(&p->s), 0);
	p->cf.type = t;
	p->cf.retry = retry;
	p->cf.delay_loop_us = 5000000;
	p->cf.delay_before_retry_us = 1000000;
	p->cf.conn.connect_timeout_us = 2000000;
	d->sin_family = AF_INET;
	d->sin_port = htons(port);
	d->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	p->m.ck.is_up = true;		/* the engine at cold start */
	p->m.ck.enabled = true;
	p->m.ck.retry_it = retry;
	p->state = xcalloc(1, drv->state_size);
	inet_addr_parse("127.0.0.1", &the_rs.addr);
	the_rs.port = port;
}

/* One attempt: run, loop until the driver schedules the next. */
static void attempt(struct ck_probe *p, const struct ck_driver *drv)
{
	p->scheduled = false;
	drv->run(p);
	if (!p->scheduled)
		assert_int_equal(sched_run(p->s), 0);
	assert_true(p->scheduled);
}

static void probe_free(struct ck_probe *p, const struct ck_driver *drv)
{
	if (drv->release)
		drv->release(p);
	free(p->state);
	sched_free(p->s);
}

static bool logged(const char *line)
{
	FILE *f = fopen(log_test_path, "r");
	char buf[1024];
	bool found = false;

	assert_non_null(f);
	while (!found && fgets(buf, sizeof(buf), f))
		found = strstr(buf, line) != NULL;
	fclose(f);
	return found;
}

#define OK_RESPONSE "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok"

static void test_http_bodies(void **state)
{
	static const char *const replies[] = {
		OK_RESPONSE,
		"HTTP/1.0 500 Oops\r\nContent-Length: 2\r\n\r\nno",	/* retry 0: down */
		"HTTP/1.1 200\r\nContent-Length: 2\r\n\r\nok",		/* no reason: still down */
		OK_RESPONSE, OK_RESPONSE,				/* the failed URL, all */
		NULL,
	};
	struct ck_url u = { .path = "/x" };
	struct ck_probe p;
	struct server sv;

	for (int c = 200; c < 300; c++)
		u.status[(c - 100) / 64] |= 1ull << ((c - 100) % 64);
	server_start(&sv, replies, false);
	probe_init(&p, &ck_driver_http, CK_HTTP, sv.port, 0);
	p.cf.u.http.urls = &u;
	p.cf.u.http.n_urls = 1;
	assert_int_equal(ck_driver_http.prepare(&p), 0);

	attempt(&p, &ck_driver_http);		/* cold start: up, no transition */
	assert_int_equal(p.n_set, 1);
	assert_true(p.last_up);
	assert_string_equal(p.last_body, "");
	assert_int_equal(p.delay_us, 5000000);
	assert_true(logged("Remote Web server [127.0.0.1]:tcp:80 succeed on service."));

	attempt(&p, &ck_driver_http);
	assert_int_equal(p.n_set, 2);
	assert_false(p.last_up);
	assert_string_equal(p.last_body, "=> CHECK failed on service : HTTP request failed <=");
	assert_true(logged("HTTP_CHECK on service [127.0.0.1]:tcp:80 failed."));

	attempt(&p, &ck_driver_http);		/* down: no report, no line */
	assert_int_equal(p.n_set, 2);
	attempt(&p, &ck_driver_http);
	assert_int_equal(p.n_set, 2);
	assert_true(logged("HTTP status code success to [127.0.0.1]:tcp:80 url(/x)"));
	attempt(&p, &ck_driver_http);
	assert_int_equal(p.n_set, 3);
	assert_true(p.last_up);
	assert_string_equal(p.last_body, "=> CHECK succeed on service <=");
	assert_int_equal(p.n_results, 5);
	assert_int_equal(p.n_ok, 3);

	probe_free(&p, &ck_driver_http);
	server_stop(&sv);
}

static void test_smtp_bodies(void **state)
{
	static const char *const replies[] = {
		"220 ok\r\n|250 hi\r\n|221 bye\r\n",
		"220-one\r\n220 two\r\n",		/* retry 1: two attempts */
		"220-one\r\n220 two\r\n",
		"220 ok\r\n|250 hi\r\n|221 bye\r\n",
		NULL,
	};
	struct ck_probe p;
	struct server sv;
	char want[200];

	server_start(&sv, replies, true);
	probe_init(&p, &ck_driver_smtp, CK_SMTP, sv.port, 1);
	p.cf.u.smtp.helo_name = "probe.test";

	attempt(&p, &ck_driver_smtp);
	assert_int_equal(p.n_set, 1);
	assert_true(p.last_up);
	assert_true(logged("Remote SMTP server [127.0.0.1]:tcp:80 succeed on service."));
	assert_int_equal(p.delay_us, 5000000);

	attempt(&p, &ck_driver_smtp);		/* the first failure: a retry, quietly */
	assert_int_equal(p.n_set, 1);
	assert_int_equal(p.delay_us, 1000000);
	attempt(&p, &ck_driver_smtp);
	assert_int_equal(p.n_set, 2);
	assert_false(p.last_up);
	snprintf(want, sizeof(want), "=> CHECK failed on service : Bad greeting banner from server "
		 "[127.0.0.1]:%u <=", sv.port);
	assert_string_equal(p.last_body, want);
	snprintf(want, sizeof(want), "SMTP_CHECK Bad greeting banner from server [127.0.0.1]:%u",
		 sv.port);
	assert_true(logged(want));
	assert_int_equal(p.delay_us, 5000000);

	attempt(&p, &ck_driver_smtp);
	assert_int_equal(p.n_set, 3);
	assert_true(p.last_up);
	assert_string_equal(p.last_body, "=> CHECK succeed on service <=");

	probe_free(&p, &ck_driver_smtp);
	server_stop(&sv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_http_bodies),
		cmocka_unit_test(test_smtp_bodies),
	};

	return cmocka_run_group_tests(tests, log_test_setup, log_test_teardown);
}
