// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/core/metrics_http.c: the parent's opt-in Prometheus listener (metrics_listen). */
#include "metrics_http.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "ctl.h"
#include "daemon.h"
#include "global_defs.h"
#include "list.h"
#include "log.h"
#include "metrics_expo.h"
#include "metrics_proc.h"
#include "module.h"
#include "scheduler.h"
#include "utils.h"

#define MH_READ_TIMEOUT_US (10 * 1000 * 1000)	/* a client's whole request head */
#define MH_WRITE_TIMEOUT_US (30 * 1000 * 1000)	/* between two writes the socket took */
#define MH_LINGER_US (2 * 1000 * 1000)		/* after the answer: the client's close */
#define MH_ACCEPT_BUDGET 32			/* connections accepted per callback */
#define MH_REJECT_MAX 16			/* past MH_CONN_MAX: answered 503, then closed */

/* ---- the request head (pure) ---- */

static bool is_token_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       strchr("!#$%&'*+-.^_`|~", c);
}

enum mh_verdict metrics_http_parse(const char *buf, size_t len, size_t max)
{
	const char *end, *p, *sp1, *sp2, *path, *path_end, *le;
	size_t mlen;

	end = memmem(buf, len, "\r\n\r\n", 4);
	if (!end)
		end = memmem(buf, len, "\n\n", 2);
	if (!end)
		return len >= max ? MH_TOO_LARGE : MH_INCOMPLETE;
	/* the request line: METHOD SP TARGET SP HTTP/1.x */
	le = memchr(buf, '\n', len);	/* there is one: the head's end has two */
	if (le > buf && le[-1] == '\r')
		le--;
	sp1 = memchr(buf, ' ', (size_t)(le - buf));
	if (!sp1 || sp1 == buf)
		return MH_BAD_REQUEST;
	for (p = buf; p < sp1; p++)
		if (!is_token_char(*p))
			return MH_BAD_REQUEST;
	mlen = (size_t)(sp1 - buf);
	sp2 = memchr(sp1 + 1, ' ', (size_t)(le - sp1 - 1));
	if (!sp2 || sp2 == sp1 + 1)
		return MH_BAD_REQUEST;
	if ((size_t)(le - sp2 - 1) != 8 || memcmp(sp2 + 1, "HTTP/1.", 7) ||
	    sp2[8] < '0' || sp2[8] > '9')
		return MH_BAD_REQUEST;
	path = sp1 + 1;
	/* absolute-form (RFC 9112 §3.2.2), which a server must accept: skip scheme and host */
	if ((size_t)(sp2 - path) > 7 && (!strncasecmp(path, "http://", 7) ||
					 !strncasecmp(path, "https://", 8))) {
		const char *slash = memchr(path + 8, '/', (size_t)(sp2 - path - 8));

		path = slash ? slash : sp2;
	}
	for (path_end = path; path_end < sp2 && *path_end != '?' && *path_end != '#'; path_end++)
		;
	if ((size_t)(path_end - path) != 8 || memcmp(path, "/metrics", 8))
		return MH_NOT_FOUND;
	if (mlen == 3 && !memcmp(buf, "GET", 3))
		return MH_GET_METRICS;
	if (mlen == 4 && !memcmp(buf, "HEAD", 4))
		return MH_HEAD_METRICS;
	return MH_BAD_METHOD;
}

static const struct {
	const char *status, *extra, *body;
} errors[] = {
	[MH_NOT_FOUND] = { "404 Not Found", "", "Not Found\n" },
	[MH_BAD_METHOD] = { "405 Method Not Allowed", "Allow: GET, HEAD\r\n", "Method Not Allowed\n" },
	[MH_BAD_REQUEST] = { "400 Bad Request", "", "Bad Request\n" },
	[MH_TOO_LARGE] = { "431 Request Header Fields Too Large", "",
			   "Request Header Fields Too Large\n" },
	[MH_UNAVAILABLE] = { "503 Service Unavailable", "", "Service Unavailable\n" },
};

const char *metrics_http_error_response(enum mh_verdict v)
{
	static char resp[sizeof(errors) / sizeof(errors[0])][256];
	unsigned i = (unsigned)v;

	if (i >= sizeof(errors) / sizeof(errors[0]) || !errors[i].status)
		i = MH_BAD_REQUEST;
	if (!resp[i][0])
		snprintf(resp[i], sizeof(resp[i]),
			 "HTTP/1.1 %s\r\nContent-Type: text/plain; charset=utf-8\r\n%s"
			 "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
			 errors[i].status, errors[i].extra, strlen(errors[i].body), errors[i].body);
	return resp[i];
}

/* ---- the server ---- */

/* One answer, shared by the scrapes that waited for the same gather. */
struct mh_body {
	unsigned refs;
	size_t len;
	char *buf;		/* expo_join()'s */
};

struct mh_conn {
	struct list node;		/* in mh->conns */
	struct list wait;		/* in mh->waiting until the gather ends */
	struct metrics_http *mh;
	int fd;
	bool head_only;
	bool lingering;			/* answered: waiting for the client's close */
	char head[256];
	const char *out_head;		/* head, or a static error response */
	size_t head_len, head_off;
	struct mh_body *body;		/* NULL: none */
	size_t body_off;
	struct sched_ev *ev_read, *ev_write;
	uint64_t deadline_us;		/* for the whole request head (a watch's timeout restarts) */
	size_t req_len;
	char req[MH_REQ_MAX];
};

struct metrics_http {
	struct sched *s;
	struct ctl_hub *hub;
	int fd;				/* the listener, -1: none */
	struct inet_addr addr;
	unsigned port;
	struct sched_ev *ev_accept;
	struct list conns;
	unsigned n_conns;
	struct list waiting;		/* scrapes for the gather under way */
	struct ctl_gather *gather;
};

static void body_unref(struct mh_body *b)
{
	if (b && !--b->refs) {
		free(b->buf);
		free(b);
	}
}

static void conn_free(struct mh_conn *c)
{
	sched_cancel(&c->ev_read);
	sched_cancel(&c->ev_write);
	close(c->fd);
	list_del(&c->node);
	list_del(&c->wait);
	body_unref(c->body);
	c->mh->n_conns--;
	free(c);
}

static void conn_read_cb(struct sched_ev *ev, void *arg);
static void conn_write_cb(struct sched_ev *ev, void *arg);

/* Everything is written: half-close, then wait (briefly) for the client's close. */
static void conn_done(struct mh_conn *c)
{
	sched_cancel(&c->ev_write);
	body_unref(c->body);
	c->body = NULL;
	shutdown(c->fd, SHUT_WR);
	c->lingering = true;
	/* closing with unread bytes would reset the connection, and the answer with it */
	if (sched_read(c->mh->s, &c->ev_read, c->fd, MH_LINGER_US, conn_read_cb, c) < 0)
		conn_free(c);
}

static void conn_write(struct mh_conn *c)
{
	for (;;) {
		struct iovec iov[2];
		struct msghdr msg = { .msg_iov = iov };
		ssize_t n;

		if (c->head_off < c->head_len)
			iov[msg.msg_iovlen++] = (struct iovec){ (char *)c->out_head + c->head_off,
								 c->head_len - c->head_off };
		if (c->body && c->body_off < c->body->len)
			iov[msg.msg_iovlen++] = (struct iovec){ c->body->buf + c->body_off,
								 c->body->len - c->body_off };
		if (!msg.msg_iovlen) {
			conn_done(c);
			return;
		}
		n = sendmsg(c->fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK) {
				conn_free(c);
				return;
			}
			if (!c->ev_write && sched_write(c->mh->s, &c->ev_write, c->fd,
							MH_WRITE_TIMEOUT_US, conn_write_cb, c) < 0)
				conn_free(c);
			return;
		}
		if ((size_t)n <= c->head_len - c->head_off) {
			c->head_off += (size_t)n;
			continue;
		}
		n -= (ssize_t)(c->head_len - c->head_off);
		c->head_off = c->head_len;
		c->body_off += (size_t)n;
	}
}

static void conn_write_cb(struct sched_ev *ev, void *arg)
{
	struct mh_conn *c = arg;

	if (sched_ev_why(ev) == SCHED_TIMEOUT) {	/* the watch is cancelled already */
		conn_free(c);
		return;
	}
	conn_write(c);
}

static void conn_answer_static(struct mh_conn *c, enum mh_verdict v)
{
	c->out_head = metrics_http_error_response(v);
	c->head_len = strlen(c->out_head);
	conn_write(c);
}

static void conn_answer_body(struct mh_conn *c, struct mh_body *b)
{
	int n = snprintf(c->head, sizeof(c->head),
			 "HTTP/1.1 200 OK\r\n"
			 "Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n"
			 "Content-Length: %zu\r\nConnection: close\r\n\r\n", b->len);

	c->out_head = c->head;
	c->head_len = (size_t)n;
	if (!c->head_only) {
		c->body = b;
		b->refs++;
	}
	conn_write(c);
}

static const char *const mod_label[KA_MOD__COUNT] = {
	[KA_MOD_VRRP] = "vrrp",
	[KA_MOD_CHECK] = "checker",
};

/* The parent's own families: whether the children answered, its build, its process. */
static void parent_part(struct expo *w, const struct ctl_answer *ans, unsigned n)
{
	struct expo_label l[2];
	bool all = n > 0;

	for (unsigned i = 0; i < n; i++)
		all &= ans[i].answered && !ans[i].truncated;
	expo_family(w, "keepalived_up", EXPO_GAUGE, "Status");
	expo_sample_u64(w, "keepalived_up", NULL, 0, all);
	expo_family(w, "keepalived_child_up", EXPO_GAUGE,
		    "Whether the child process answered this scrape in time (1) or not (0)");
	for (unsigned i = 0; i < n; i++) {
		l[0] = (struct expo_label){ "process", ans[i].mod >= 0 && ans[i].mod < KA_MOD__COUNT ?
					    mod_label[ans[i].mod] : "unknown" };
		expo_sample_u64(w, "keepalived_child_up", l, 1, ans[i].answered);
	}
	l[0] = (struct expo_label){ "version", KA_COMPAT_VERSION };
	l[1] = (struct expo_label){ "implementation", PACKAGE_NAME " " PACKAGE_VERSION };
	expo_family(w, "keepalived_build_info", EXPO_GAUGE,
		    "The keepalived version this daemon is compatible with, and its own");
	expo_sample_u64(w, "keepalived_build_info", l, 2, 1);
	metrics_proc_render(w, "parent");
}

/* The body for the scrapes that waited: the parent's part and the children's, joined. */
static struct mh_body *build_body(const struct ctl_answer *ans, unsigned n)
{
	struct expo_part parts[1 + KA_MOD__COUNT];
	unsigned np = 0;
	char *pbuf = NULL, *jbuf = NULL;
	size_t plen = 0, jlen = 0;
	struct mh_body *b = NULL;
	FILE *f = open_memstream(&pbuf, &plen);
	struct expo w;

	if (!f)
		return NULL;
	expo_init(&w, f);
	parent_part(&w, ans, n);
	expo_flush(&w);
	if (fclose(f))
		goto out;
	parts[np++] = (struct expo_part){ pbuf, plen };
	for (unsigned i = 0; i < n && np < sizeof(parts) / sizeof(parts[0]); i++)
		if (ans[i].answered && ans[i].data)
			parts[np++] = (struct expo_part){ ans[i].data, ans[i].len };
	if (expo_join(parts, np, &jbuf, &jlen) < 0)
		goto out;
	if ((b = malloc(sizeof(*b)))) {
		*b = (struct mh_body){ .refs = 1, .len = jlen, .buf = jbuf };	/* the caller's ref */
		jbuf = NULL;
	}
out:
	free(pbuf);
	free(jbuf);
	return b;
}

static void gather_done(void *arg, enum ka_ctl_req req, const struct ctl_answer *ans,
			unsigned n, const char *joined, size_t joined_len)
{
	struct metrics_http *mh = arg;
	struct mh_body *b = build_body(ans, n);
	struct list *pos, *tmp;

	(void)req;
	(void)joined;
	(void)joined_len;
	list_for_each_safe(pos, tmp, &mh->waiting) {
		struct mh_conn *c = list_entry(pos, struct mh_conn, wait);

		list_del(&c->wait);
		if (b)
			conn_answer_body(c, b);
		else
			conn_answer_static(c, MH_UNAVAILABLE);
	}
	body_unref(b);
}

static void conn_scrape(struct mh_conn *c)
{
	struct metrics_http *mh = c->mh;
	int r;

	list_add_tail(&mh->waiting, &c->wait);
	if (mh->gather)
		return;		/* it joins the gather under way */
	r = ctl_gather(mh->hub, KA_CTL_METRICS, MH_GATHER_TIMEOUT_US, gather_done, mh, &mh->gather);
	if (r < 0) {
		log_warn("Cannot gather Prometheus metrics: %s", strerror(-r));
		list_del(&c->wait);
		conn_answer_static(c, MH_UNAVAILABLE);
	}
}

static void conn_read_cb(struct sched_ev *ev, void *arg)
{
	struct mh_conn *c = arg;
	enum mh_verdict v;
	ssize_t n;

	if (sched_ev_why(ev) == SCHED_TIMEOUT) {
		conn_free(c);
		return;
	}
	if (c->lingering) {
		char sink[512];

		do
			n = recv(c->fd, sink, sizeof(sink), MSG_DONTWAIT);
		while (n > 0);
		if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
			conn_free(c);
		return;
	}
	n = recv(c->fd, c->req + c->req_len, sizeof(c->req) - c->req_len, MSG_DONTWAIT);
	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
		conn_free(c);
		return;
	}
	if (n < 0)
		return;
	if (sched_now_us(c->mh->s) > c->deadline_us) {
		conn_free(c);
		return;
	}
	c->req_len += (size_t)n;
	v = metrics_http_parse(c->req, c->req_len, sizeof(c->req));
	if (v == MH_INCOMPLETE)
		return;
	sched_cancel(&c->ev_read);
	if (v == MH_GET_METRICS || v == MH_HEAD_METRICS) {
		c->head_only = v == MH_HEAD_METRICS;
		conn_scrape(c);
	} else
		conn_answer_static(c, v);
}

static void accept_cb(struct sched_ev *ev, void *arg)
{
	struct metrics_http *mh = arg;

	(void)ev;
	for (int i = 0; i < MH_ACCEPT_BUDGET; i++) {
		int fd = accept4(mh->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		struct mh_conn *c;

		if (fd < 0)
			return;		/* EAGAIN, or out of descriptors: the next wakeup retries */
		if (mh->n_conns >= MH_CONN_MAX + MH_REJECT_MAX) {
			close(fd);	/* overrun: not even a 503 */
			continue;
		}
		c = malloc(sizeof(*c));
		if (!c) {
			close(fd);
			return;
		}
		memset(c, 0, offsetof(struct mh_conn, req));
		c->mh = mh;
		c->fd = fd;
		c->deadline_us = sched_now_us(mh->s) + MH_READ_TIMEOUT_US;
		list_init(&c->wait);
		list_add_tail(&mh->conns, &c->node);
		mh->n_conns++;
		/*
		 * Past the limit a 503, closed as gracefully as any answer: a close with the
		 * request unread would reset the connection, and the answer could be lost with it
		 */
		if (mh->n_conns > MH_CONN_MAX)
			conn_answer_static(c, MH_UNAVAILABLE);
		else if (sched_read(mh->s, &c->ev_read, fd, MH_READ_TIMEOUT_US, conn_read_cb, c) < 0)
			conn_free(c);
	}
}

int metrics_http_new(struct sched *s, struct ctl_hub *hub, struct metrics_http **ret)
{
	struct metrics_http *mh = calloc(1, sizeof(*mh));

	if (!mh)
		return -ENOMEM;
	mh->s = s;
	mh->hub = hub;
	mh->fd = -1;
	list_init(&mh->conns);
	list_init(&mh->waiting);
	*ret = mh;
	return 0;
}

static void close_listener(struct metrics_http *mh)
{
	sched_cancel(&mh->ev_accept);
	if (mh->fd >= 0)
		close(mh->fd);
	mh->fd = -1;
}

/* "127.0.0.1:9165", "[::1]:9165" */
static const char *addr_port_str(const struct inet_addr *a, unsigned port, char *buf, size_t size)
{
	char b[INET6_ADDRSTRLEN];

	inet_addr_str(a, b, sizeof(b));
	snprintf(buf, size, a->family == AF_INET6 ? "[%s]:%u" : "%s:%u", b, port);
	return buf;
}

static int open_listener(struct metrics_http *mh)
{
	union {
		struct sockaddr sa;
		struct sockaddr_in in;
		struct sockaddr_in6 in6;
	} sa = { 0 };
	socklen_t salen;
	int fd, one = 1, r;

	if (mh->addr.family == AF_INET) {
		sa.in = (struct sockaddr_in){ .sin_family = AF_INET, .sin_port = htons(mh->port),
					      .sin_addr = mh->addr.v4 };
		salen = sizeof(sa.in);
	} else {
		sa.in6 = (struct sockaddr_in6){ .sin6_family = AF_INET6,
						.sin6_port = htons(mh->port),
						.sin6_addr = mh->addr.v6 };
		salen = sizeof(sa.in6);
	}
	fd = socket(mh->addr.family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(fd, &sa.sa, salen) < 0 || listen(fd, MH_CONN_MAX) < 0) {
		r = -errno;
		close(fd);
		return r;
	}
	mh->fd = fd;
	if ((r = sched_read(mh->s, &mh->ev_accept, fd, 0, accept_cb, mh)) < 0) {
		close_listener(mh);
		return r;
	}
	return 0;
}

void metrics_http_apply(struct metrics_http *mh, const struct global_defs *gd)
{
	struct inet_addr addr;
	unsigned port;
	char b[INET6_ADDRSTRLEN + 16];
	int r;

	if (!mh)
		return;
	if (!global_defs_metrics_listen(gd, &addr, &port)) {
		if (mh->fd >= 0)
			log_info("Prometheus metrics on %s: closed",
				 addr_port_str(&mh->addr, mh->port, b, sizeof(b)));
		close_listener(mh);
		return;
	}
	if (mh->fd >= 0 && inet_addr_eq(&addr, &mh->addr) && port == mh->port)
		return;
	close_listener(mh);
	mh->addr = addr;
	mh->port = port;
	addr_port_str(&addr, port, b, sizeof(b));
	if ((r = open_listener(mh)) < 0)
		log_err("Cannot listen for Prometheus metrics on %s: %s", b, strerror(-r));
	else
		log_info("Prometheus metrics on http://%s/metrics", b);
}

void metrics_http_free(struct metrics_http *mh)
{
	struct list *pos, *tmp;

	if (!mh)
		return;
	ctl_gather_cancel(&mh->gather);
	list_for_each_safe(pos, tmp, &mh->conns)
		conn_free(list_entry(pos, struct mh_conn, node));
	close_listener(mh);
	free(mh);
}

void metrics_http_forget(struct metrics_http *mh)
{
	struct list *pos;

	if (!mh)
		return;
	if (mh->fd >= 0)
		close(mh->fd);
	list_for_each(pos, &mh->conns)
		close(list_entry(pos, struct mh_conn, node)->fd);
}
