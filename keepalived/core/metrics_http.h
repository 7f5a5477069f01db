/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/core/metrics_http.h: the parent's opt-in Prometheus listener (metrics_listen). */
#pragma once
#include <stdbool.h>
#include <stddef.h>

struct sched;
struct ctl_hub;
struct global_defs;

/*
 * A minimal HTTP/1.1 server on the parent's loop: GET (or HEAD) /metrics answers the
 * text exposition format (core/metrics_expo.h), gathered from the running children with
 * KA_CTL_METRICS over the status plane's transport (core/ctl.h) and joined with the
 * parent's own families; any other path is 404, any other method on /metrics 405.
 * Everything is non-blocking: requests are read as they come (at most MH_REQ_MAX bytes
 * of head), scrapes that arrive while a gather runs share its answer, answers are
 * written as the socket takes them, and every connection has a deadline. At most
 * MH_CONN_MAX connections at once; a few more get a 503, any beyond are closed at once. Each answer closes its
 * connection ("Connection: close").
 */
#define MH_REQ_MAX 8192
#define MH_CONN_MAX 64
#define MH_GATHER_TIMEOUT_US (5 * 1000 * 1000)

struct metrics_http;

/* hub: borrowed; it outlives mh. 0 or -errno. Nothing listens before metrics_http_apply(). */
int metrics_http_new(struct sched *s, struct ctl_hub *hub, struct metrics_http **ret);
/*
 * global_defs' metrics_listen, at start and after each reload: opens the listener, moves
 * it to a new address or closes it (connections being served finish). Logs
 * "Prometheus metrics on http://ADDR:PORT/metrics" when it starts listening, and
 * "Cannot listen for Prometheus metrics on ADDR:PORT: REASON" when it cannot (the daemon
 * runs on without it).
 */
void metrics_http_apply(struct metrics_http *mh, const struct global_defs *gd);
/* Closes the listener and every connection. NULL is fine. */
void metrics_http_free(struct metrics_http *mh);
/* In a process forked from the parent's loop: closes mh's descriptors, nothing else. */
void metrics_http_forget(struct metrics_http *mh);

/* Pure: what a request head asks, once it is whole. */
enum mh_verdict {
	MH_INCOMPLETE,		/* no blank line yet: read on */
	MH_GET_METRICS,		/* GET /metrics (a query string is ignored) */
	MH_HEAD_METRICS,	/* HEAD /metrics: the same head, no body */
	MH_NOT_FOUND,		/* 404: another path */
	MH_BAD_METHOD,		/* 405: /metrics with another method */
	MH_BAD_REQUEST,		/* 400: not an HTTP/1.x request line */
	MH_TOO_LARGE,		/* 431: no end of the head within max bytes */
	MH_UNAVAILABLE,		/* 503 (never parsed): too many connections, no answer */
};
enum mh_verdict metrics_http_parse(const char *buf, size_t len, size_t max);
/* The status line and headers of a verdict's answer (a static string); MH_GET_METRICS
 * and MH_HEAD_METRICS have their own, with the body's length. */
const char *metrics_http_error_response(enum mh_verdict v);
