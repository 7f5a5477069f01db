// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/core/smtp_alert.c: alert mails, one SMTP connection each, on the event loop. */
#include "smtp_alert.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "global_defs.h"
#include "list.h"
#include "log.h"
#include "scheduler.h"
#include "utils.h"

/* keepalived's stages, each with the reply code it waits for */
enum stage { ST_BANNER, ST_HELO, ST_MAIL, ST_RCPT, ST_DATA, ST_BODY, ST_QUIT, ST__COUNT };

static const struct {
	int code;
	const char *name;	/* in "Error processing %s cmd ..." */
} stages[ST__COUNT] = {
	[ST_BANNER] = { 220, "(E)SMTP" },
	[ST_HELO] = { 250, "HELO" },
	[ST_MAIL] = { 250, "MAIL" },
	[ST_RCPT] = { 250, "RCPT" },
	[ST_DATA] = { 354, "DATA" },
	[ST_BODY] = { 250, "BODY" },
	[ST_QUIT] = { 221, "QUIT" },
};

#define IN_MAX 1024		/* keepalived's reply buffer: a longer reply ends the mail */

struct alert {
	struct sched *s;
	struct sched_ev *ev_read, *ev_write;
	int fd;
	enum stage stage;
	unsigned rcpt_i;
	char host[INET6_ADDRSTRLEN + 10];	/* "[10.0.0.1]:25" */
	uint64_t timeout_us;
	char *helo, *from, *subject, *body;
	char **to;
	unsigned n_to;
	char in[IN_MAX];
	size_t in_len;
	char *out;		/* what is left to send */
	size_t out_len, out_off;
	void (*done)(void *arg);	/* smtp_alert_send_cb(): the mail is over */
	void *done_arg;
	struct list node;		/* on the caller's inflight list, if any */
	bool on_list;
};

static void alert_free(struct alert *a)
{
	sched_cancel(&a->ev_read);
	sched_cancel(&a->ev_write);
	if (a->fd >= 0)
		close(a->fd);
	for (unsigned i = 0; i < a->n_to; i++)
		free(a->to[i]);
	free(a->to);
	free(a->helo);
	free(a->from);
	free(a->subject);
	free(a->body);
	free(a->out);
	if (a->on_list)
		list_del(&a->node);
	if (a->done)
		a->done(a->done_arg);
	free(a);
}

void smtp_alert_cancel_all(struct list *inflight)
{
	struct list *p, *t;

	list_for_each_safe(p, t, inflight) {
		struct alert *a = list_entry(p, struct alert, node);

		a->done = NULL;
		alert_free(a);
	}
}

/* snprintf at *n, counting what would be written past len */
static void add(char *buf, size_t len, size_t *n, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void add(char *buf, size_t len, size_t *n, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vsnprintf(*n < len ? buf + *n : NULL, *n < len ? len - *n : 0, fmt, ap);
	va_end(ap);
	*n += r > 0 ? (size_t)r : 0;
}

size_t smtp_alert_data(char *buf, size_t len, const char *date, const char *from,
		       const char *subject, char *const *to, unsigned n_to, const char *body)
{
	size_t n = 0;

	if (len)
		buf[0] = '\0';
	add(buf, len, &n, "Date: %s\r\nFrom: %s\r\nSubject: %s\r\nX-Mailer: Keepalived\r\nTo: ",
	    date, from, subject);
	for (unsigned i = 0; i < n_to; i++)
		add(buf, len, &n, "%s%s", i ? ", " : "", to[i]);
	add(buf, len, &n, "\r\n\r\n%s\r\n\r\n.\r\n", body);
	return n;
}

const char *smtp_alert_date(char *buf, size_t len, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	localtime_r(&tt, &tm);
	if (!strftime(buf, len, "%a, %d %b %Y %H:%M:%S %z", &tm) && len)
		buf[0] = '\0';
	return buf;
}

const char *smtp_alert_rcpt_addr(const char *to, size_t *len)
{
	const char *lt = strrchr(to, '<');
	const char *gt = lt ? strchr(lt, '>') : NULL;

	if (!gt) {
		*len = strlen(to);
		return to;
	}
	*len = (size_t)(gt - lt - 1);
	return lt + 1;
}

size_t smtp_alert_reply(const char *buf, size_t len, int *code)
{
	size_t off = 0;

	/* keepalived takes the code from the first line that is not "NNN-" */
	while (off < len) {
		const char *line = buf + off;
		const char *eol = memmem(line, len - off, "\r\n", 2);

		if (!eol)
			return 0;
		off = (size_t)(eol - buf) + 2;
		if (eol - line > 3 && line[3] == '-')
			continue;
		if (eol - line >= 3 && line[0] >= '0' && line[0] <= '9' && line[1] >= '0' &&
		    line[1] <= '9' && line[2] >= '0' && line[2] <= '9')
			*code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
		else
			*code = -1;
		return off;
	}
	return 0;
}

/* Send what the socket takes now; the rest when it is writable. 0, or -1: give up. */
static void alert_write_cb(struct sched_ev *ev, void *arg);
static int alert_flush(struct alert *a)
{
	ssize_t n;

	while (a->out_off < a->out_len) {
		n = send(a->fd, a->out + a->out_off, a->out_len - a->out_off, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			if (a->ev_write)
				return 0;
			return sched_write(a->s, &a->ev_write, a->fd, a->timeout_us,
					   alert_write_cb, a) < 0 ? -1 : 0;
		}
		if (n <= 0)
			return -1;
		a->out_off += (size_t)n;
	}
	sched_cancel(&a->ev_write);
	return 0;
}

static void alert_write_cb(struct sched_ev *ev, void *arg)
{
	struct alert *a = arg;

	if (sched_ev_why(ev) == SCHED_TIMEOUT || alert_flush(a) < 0) {
		log_info("Cannot send data to remote SMTP server %s.", a->host);
		alert_free(a);
	}
}

static void alert_set_out(struct alert *a, char *out, size_t len)
{
	free(a->out);
	a->out = out;
	a->out_len = len;
	a->out_off = 0;
}

/* Send the command of the current stage. 0, or -1 (logged): give up. */
static int alert_command(struct alert *a)
{
	char date[64], *out = NULL;
	int r = 0;
	size_t n;

	switch (a->stage) {
	case ST_HELO:
		r = asprintf(&out, "HELO %s\r\n", a->helo);
		break;
	case ST_MAIL:
		r = asprintf(&out, "MAIL FROM:<%s>\r\n", a->from);
		break;
	case ST_RCPT: {
		size_t len;
		const char *addr = smtp_alert_rcpt_addr(a->to[a->rcpt_i], &len);

		r = asprintf(&out, "RCPT TO:<%.*s>\r\n", (int)len, addr);
		break;
	}
	case ST_DATA:
		r = asprintf(&out, "DATA\r\n");
		break;
	case ST_BODY:
		smtp_alert_date(date, sizeof(date), (int64_t)time(NULL));
		n = smtp_alert_data(NULL, 0, date, a->from, a->subject, a->to, a->n_to, a->body);
		out = xmalloc(n + 1);
		r = (int)smtp_alert_data(out, n + 1, date, a->from, a->subject, a->to, a->n_to,
					 a->body);
		break;
	case ST_QUIT:
		r = asprintf(&out, "QUIT\r\n");
		break;
	default:
		return 0;
	}
	if (r < 0)
		fatal("out of memory");
	alert_set_out(a, out, (size_t)r);
	if (alert_flush(a) < 0) {
		log_info("Cannot send data to remote SMTP server %s.", a->host);
		return -1;
	}
	return 0;
}

/* after a reply: keepalived's FSM (a wrong code logs and goes to QUIT) */
static bool alert_step(struct alert *a, int code)
{
	if (code != stages[a->stage].code) {
		log_info("Error processing %s cmd on SMTP server %s. SMTP status code = %d",
			 stages[a->stage].name, a->host, code);
		if (a->stage == ST_QUIT)
			return false;
		a->stage = ST_QUIT;
		return true;
	}
	switch (a->stage) {
	case ST_RCPT:
		if (++a->rcpt_i < a->n_to)
			return true;
		break;
	case ST_BODY:
		log_detail("SMTP alert successfully sent.");
		break;
	case ST_QUIT:
		return false;
	default:
		break;
	}
	a->stage++;
	return true;
}

static void alert_read_cb(struct sched_ev *ev, void *arg)
{
	struct alert *a = arg;
	ssize_t n;
	size_t used;
	int code;

	if (sched_ev_why(ev) == SCHED_TIMEOUT) {
		log_info("Timeout reading data to remote SMTP server %s.", a->host);
		if (a->stage == ST_QUIT) {
			alert_free(a);
			return;
		}
		a->stage = ST_QUIT;
		if (alert_command(a) < 0 ||
		    sched_read(a->s, &a->ev_read, a->fd, a->timeout_us, alert_read_cb, a) < 0)
			alert_free(a);
		return;
	}
	n = recv(a->fd, a->in + a->in_len, sizeof(a->in) - a->in_len, 0);
	if (n < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return;
		log_info("Error reading data from remote SMTP server %s.", a->host);
		alert_free(a);
		return;
	}
	if (n == 0) {
		log_info("Remote SMTP server %s has closed the connection.", a->host);
		alert_free(a);
		return;
	}
	a->in_len += (size_t)n;
	while ((used = smtp_alert_reply(a->in, a->in_len, &code)) > 0) {
		memmove(a->in, a->in + used, a->in_len - used);
		a->in_len -= used;
		if (!alert_step(a, code)) {
			alert_free(a);
			return;
		}
		if (alert_command(a) < 0) {
			alert_free(a);
			return;
		}
	}
	if (a->in_len == sizeof(a->in)) {
		log_info("Received buffer from remote SMTP server %s overflow our get read "
			 "buffer length.", a->host);
		a->in_len = 0;
		a->stage = ST_QUIT;
		if (alert_command(a) < 0)
			alert_free(a);
	}
}

static void alert_connect_cb(struct sched_ev *ev, void *arg)
{
	struct alert *a = arg;
	int err = 0;
	socklen_t len = sizeof(err);

	if (sched_ev_why(ev) == SCHED_TIMEOUT) {
		log_info("Timeout opening connection to remote SMTP server %s.", a->host);
		alert_free(a);
		return;
	}
	sched_cancel(&a->ev_write);
	if (getsockopt(a->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0 || err) {
		log_info("SMTP connection ERROR to %s.", a->host);
		alert_free(a);
		return;
	}
	log_detail("Remote SMTP server %s connected.", a->host);
	if (sched_read(a->s, &a->ev_read, a->fd, a->timeout_us, alert_read_cb, a) < 0)
		alert_free(a);
}

int smtp_alert_send(struct sched *s, const struct global_defs *gd, const char *subject,
		    const char *body)
{
	int r = smtp_alert_send_cb(s, gd, subject, body, NULL, NULL, NULL);

	return r < 0 ? r : 0;
}

int smtp_alert_send_cb(struct sched *s, const struct global_defs *gd, const char *subject,
		       const char *body, void (*done)(void *arg), void *arg, struct list *inflight)
{
	struct gd_smtp g;
	struct sockaddr_storage ss = { 0 };
	socklen_t sl;
	struct alert *a;
	char ip[INET6_ADDRSTRLEN];
	int r;

	global_defs_smtp(gd, &g);
	if (!g.server || !g.n_emails)
		return 0;
	if (g.addr.family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		sin->sin_family = AF_INET;
		sin->sin_addr = g.addr.v4;
		sin->sin_port = htons((uint16_t)g.port);
		sl = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_addr = g.addr.v6;
		sin6->sin6_port = htons((uint16_t)g.port);
		sl = sizeof(*sin6);
	}

	a = xcalloc(1, sizeof(*a));
	a->s = s;
	a->fd = socket(g.addr.family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP);
	if (a->fd < 0) {
		r = -errno;
		alert_free(a);
		return r;
	}
	snprintf(a->host, sizeof(a->host), "[%s]:%u", inet_addr_str(&g.addr, ip, sizeof(ip)),
		 g.port);
	a->timeout_us = (uint64_t)g.connect_timeout_s * 1000000;
	a->helo = xstrdup(g.helo_name ? g.helo_name : "localhost");
	a->from = xstrdup(g.email_from ? g.email_from : "");
	a->subject = xstrndup(subject, SMTP_ALERT_MAX_SUBJECT);
	a->body = xstrndup(body, SMTP_ALERT_MAX_BODY);
	a->to = xcalloc(g.n_emails, sizeof(*a->to));
	for (unsigned i = 0; i < g.n_emails; i++)
		a->to[a->n_to++] = xstrdup(g.emails[i]);
	a->stage = ST_BANNER;

	if (connect(a->fd, (struct sockaddr *)&ss, sl) < 0 && errno != EINPROGRESS) {
		/* keepalived drops the alert silently when connect() fails at once */
		alert_free(a);
		return 0;
	}
	r = sched_write(s, &a->ev_write, a->fd, a->timeout_us, alert_connect_cb, a);
	if (r < 0) {
		alert_free(a);
		return r;
	}
	/* from now on alert_free() says when it is over */
	a->done = done;
	a->done_arg = arg;
	if (inflight) {
		list_add_tail(inflight, &a->node);
		a->on_list = true;
	}
	return 1;
}
