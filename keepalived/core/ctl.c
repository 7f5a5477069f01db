// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/core/ctl.c: the live status plane's transport between the parent and its children. */
#include "ctl.h"

#include <errno.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "list.h"
#include "log.h"
#include "module.h"
#include "scheduler.h"
#include "utils.h"

#define MSG_MAX (sizeof(struct ka_ctl_hdr) + KA_CTL_CHUNK)
#define DRAIN_MAX 8		/* messages per read callback: 256 KB at most */

/* ---- parent side ---- */

struct hub_child {
	pid_t pid;		/* 0: not running */
	int fd;
	bool seen;		/* a message came since the last ctl_hub_alive() */
	struct sched_ev *ev_read;
	bool await;		/* ctl_hub_await(): its socket is watched */
};

/* One child's part of one gather. */
struct part {
	int mod;
	pid_t pid;
	bool done, answered, truncated;
	char *buf;
	size_t len, cap;
};

struct ctl_gather {
	struct list node;
	struct ctl_hub *hub;
	struct ctl_gather **ref;
	uint32_t id;
	enum ka_ctl_req req;
	ctl_done_fn *fn;
	void *arg;
	struct part parts[KA_MOD__COUNT];
	unsigned n_parts;
	struct sched_ev *ev_timer;
};

struct ctl_hub {
	struct sched *sched;
	struct hub_child kids[KA_MOD__COUNT];
	struct list gathers;
	uint32_t next_id;
	char *rbuf;		/* MSG_MAX + 1 */
	ctl_state_fn *on_state;	/* KA_CTL_STATE messages (core/resume.h); NULL: dropped */
	void *on_state_arg;
	ctl_loaded_fn *on_loaded;	/* KA_CTL_LOADED messages; NULL: dropped */
	void *on_loaded_arg;
};

void ctl_hub_on_state(struct ctl_hub *h, ctl_state_fn *fn, void *arg)
{
	h->on_state = fn;
	h->on_state_arg = arg;
}

void ctl_hub_on_loaded(struct ctl_hub *h, ctl_loaded_fn *fn, void *arg)
{
	h->on_loaded = fn;
	h->on_loaded_arg = arg;
}

int ctl_hub_new(struct sched *s, struct ctl_hub **ret)
{
	struct ctl_hub *h = xcalloc(1, sizeof(*h));

	h->sched = s;
	list_init(&h->gathers);
	h->rbuf = xmalloc(MSG_MAX + 1);
	for (int m = 0; m < KA_MOD__COUNT; m++)
		h->kids[m].fd = -1;
	*ret = h;
	return 0;
}

static void gather_free(struct ctl_gather *g)
{
	list_del(&g->node);
	sched_cancel(&g->ev_timer);
	if (g->ref)
		*g->ref = NULL;
	for (unsigned i = 0; i < g->n_parts; i++)
		free(g->parts[i].buf);
	free(g);
}

static void update_watches(struct ctl_hub *h);

/* Every part has come (or the time is up): hand the answers over, then forget the gather. */
static void gather_finish(struct ctl_gather *g)
{
	struct ctl_answer ans[KA_MOD__COUNT];
	char *joined;
	size_t jlen = 0, off = 0;
	struct ctl_hub *h = g->hub;

	for (unsigned i = 0; i < g->n_parts; i++) {
		const struct part *p = &g->parts[i];

		ans[i] = (struct ctl_answer){
			.mod = p->mod, .pid = p->pid, .answered = p->answered,
			.truncated = p->truncated, .data = p->answered ? p->buf : NULL,
			.len = p->answered ? p->len : 0,
		};
		jlen += ans[i].len;
	}
	joined = xmalloc(jlen + 1);
	for (unsigned i = 0; i < g->n_parts; i++) {
		if (ans[i].len)
			memcpy(joined + off, ans[i].data, ans[i].len);
		off += ans[i].len;
	}
	joined[jlen] = '\0';
	/* unlinked first: fn may start another gather */
	list_del(&g->node);
	sched_cancel(&g->ev_timer);
	if (g->ref)
		*g->ref = NULL;
	g->fn(g->arg, g->req, ans, g->n_parts, joined, jlen);
	free(joined);
	for (unsigned i = 0; i < g->n_parts; i++)
		free(g->parts[i].buf);
	free(g);
	update_watches(h);
}

static bool gather_complete(const struct ctl_gather *g)
{
	for (unsigned i = 0; i < g->n_parts; i++)
		if (!g->parts[i].done)
			return false;
	return true;
}

static struct part *gather_part(struct ctl_gather *g, int m)
{
	for (unsigned i = 0; i < g->n_parts; i++)
		if (g->parts[i].mod == m)
			return &g->parts[i];
	return NULL;
}

/* Child m's part of every gather ends unanswered (it died, or cannot be asked). */
static void fail_child(struct ctl_hub *h, int m)
{
	struct list *pos;

	list_for_each(pos, &h->gathers) {
		struct ctl_gather *g = list_entry(pos, struct ctl_gather, node);
		struct part *p = gather_part(g, m);

		if (p && !p->done)
			p->done = true;
	}
	/* one at a time: each completion may change the list */
	for (;;) {
		struct ctl_gather *done = NULL;

		list_for_each(pos, &h->gathers)
			if (gather_complete(list_entry(pos, struct ctl_gather, node))) {
				done = list_entry(pos, struct ctl_gather, node);
				break;
			}
		if (!done)
			break;
		gather_finish(done);
	}
}

static void on_chunk(struct ctl_hub *h, int m, const struct ka_ctl_hdr *hd, const char *data,
		     size_t len)
{
	struct ctl_gather *found = NULL;
	struct list *pos;
	struct part *p;

	list_for_each(pos, &h->gathers)
		if (list_entry(pos, struct ctl_gather, node)->id == hd->id) {
			found = list_entry(pos, struct ctl_gather, node);
			break;
		}
	if (!found)
		return;		/* the answer to a gather that has ended: dropped */
	p = gather_part(found, m);
	if (!p || p->done)
		return;
	if (p->len + len > KA_CTL_MAX_ANSWER) {
		p->truncated = true;
		len = 0;
	}
	if (p->len + len > p->cap) {
		p->cap = p->cap ? p->cap : 64 * 1024;
		while (p->cap < p->len + len)
			p->cap *= 2;
		p->buf = xrealloc(p->buf, p->cap);
	}
	if (len)
		memcpy(p->buf + p->len, data, len);
	p->len += len;
	if (hd->type == KA_CTL_END) {
		p->done = p->answered = true;
		if (hd->flags & KA_CTL_F_TRUNCATED)
			p->truncated = true;
		if (gather_complete(found))
			gather_finish(found);
	}
}

/*
 * Reads what child m has queued, at most max messages (0: all): a callback that reads a
 * large answer as fast as the child writes it would hold the parent's loop meanwhile.
 */
static void drain(struct ctl_hub *h, int m, unsigned max)
{
	struct hub_child *k = &h->kids[m];

	for (unsigned i = 0; k->fd >= 0 && (!max || i < max); i++) {
		ssize_t n = recv(k->fd, h->rbuf, MSG_MAX + 1, MSG_DONTWAIT);
		struct ka_ctl_hdr hd;

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		k->seen = true;
		if ((size_t)n < sizeof(hd) || (size_t)n > MSG_MAX)
			continue;	/* a heartbeat, or nothing we know */
		memcpy(&hd, h->rbuf, sizeof(hd));
		if (hd.type == KA_CTL_STATE && h->on_state)
			h->on_state(h->on_state_arg, m, h->rbuf, (size_t)n);
		if (hd.type == KA_CTL_LOADED && h->on_loaded)
			h->on_loaded(h->on_loaded_arg, m);	/* may call ctl_hub_await() */
		if (hd.type != KA_CTL_PART && hd.type != KA_CTL_END)
			continue;
		/* on_chunk may end gathers; the child's fd stays ours */
		on_chunk(h, m, &hd, h->rbuf + sizeof(hd), (size_t)n - sizeof(hd));
	}
}

/* The children's sockets are watched only while a gather waits on them. */
static void hub_child_read_cb(struct sched_ev *ev, void *arg);

static void update_watches(struct ctl_hub *h)
{
	for (int m = 0; m < KA_MOD__COUNT; m++) {
		struct hub_child *k = &h->kids[m];
		bool want = k->await;
		struct list *pos;

		list_for_each(pos, &h->gathers) {
			struct part *p = gather_part(list_entry(pos, struct ctl_gather, node), m);

			if (p && !p->done)
				want = true;
		}
		if (want && k->fd >= 0 && !k->ev_read) {
			if (sched_read(h->sched, &k->ev_read, k->fd, 0, hub_child_read_cb, h) < 0)
				fail_child(h, m);
		} else if (!want) {
			sched_cancel(&k->ev_read);
		}
	}
}

static void hub_child_read_cb(struct sched_ev *ev, void *arg)
{
	struct ctl_hub *h = arg;
	int fd = sched_ev_fd(ev);

	for (int m = 0; m < KA_MOD__COUNT; m++)
		if (h->kids[m].fd == fd) {
			drain(h, m, DRAIN_MAX);
			break;
		}
	update_watches(h);
}

void ctl_hub_child_up(struct ctl_hub *h, int m, pid_t pid, int fd)
{
	struct hub_child *k = &h->kids[m];

	sched_cancel(&k->ev_read);
	k->pid = pid;
	k->fd = fd;
	k->seen = false;
	k->await = false;
}

void ctl_hub_child_down(struct ctl_hub *h, int m)
{
	struct hub_child *k = &h->kids[m];

	sched_cancel(&k->ev_read);
	k->pid = 0;
	k->fd = -1;
	k->await = false;
	fail_child(h, m);
}

void ctl_hub_await(struct ctl_hub *h, int m, bool on)
{
	h->kids[m].await = on && h->kids[m].fd >= 0;
	update_watches(h);
}

bool ctl_hub_alive(struct ctl_hub *h, int m)
{
	struct hub_child *k = &h->kids[m];
	bool seen;

	drain(h, m, 0);
	seen = k->seen;
	k->seen = false;
	update_watches(h);
	return seen;
}

unsigned ctl_hub_children(const struct ctl_hub *h, int *mods, pid_t *pids)
{
	unsigned n = 0;

	for (int m = 0; m < KA_MOD__COUNT; m++)
		if (h->kids[m].pid) {
			mods[n] = m;
			pids[n++] = h->kids[m].pid;
		}
	return n;
}

static void gather_timeout_cb(struct sched_ev *ev, void *arg)
{
	struct ctl_gather *g = arg;

	for (unsigned i = 0; i < g->n_parts; i++)
		g->parts[i].done = true;
	gather_finish(g);
}

int ctl_gather(struct ctl_hub *h, enum ka_ctl_req req, uint64_t timeout_us, ctl_done_fn *fn,
	       void *arg, struct ctl_gather **ref)
{
	struct ctl_gather *g = xcalloc(1, sizeof(*g));
	struct ka_ctl_hdr hd = { .type = KA_CTL_REQUEST, .req = (uint8_t)req };
	int r;

	g->hub = h;
	g->req = req;
	g->fn = fn;
	g->arg = arg;
	g->id = ++h->next_id;
	hd.id = g->id;
	list_add_tail(&h->gathers, &g->node);
	for (int m = 0; m < KA_MOD__COUNT; m++) {
		struct hub_child *k = &h->kids[m];
		struct part *p;

		if (!k->pid || k->fd < 0)
			continue;
		p = &g->parts[g->n_parts++];
		p->mod = m;
		p->pid = k->pid;
		/* a child that cannot take even this (its socket is full: stopped) is late */
		if (send(k->fd, &hd, sizeof(hd), MSG_DONTWAIT | MSG_NOSIGNAL) != sizeof(hd))
			p->done = true;
	}
	/* the timer also runs a gather that is complete already, at the next iteration */
	r = sched_timer(h->sched, &g->ev_timer, gather_complete(g) ? 0 : timeout_us,
			gather_timeout_cb, g);
	if (r < 0) {
		g->ref = NULL;
		gather_free(g);
		return r;
	}
	g->ref = ref;
	if (ref)
		*ref = g;
	update_watches(h);
	return 0;
}

void ctl_gather_cancel(struct ctl_gather **ref)
{
	struct ctl_gather *g = *ref;

	if (!g)
		return;
	gather_free(g);
	*ref = NULL;
}

void ctl_hub_free(struct ctl_hub *h)
{
	if (!h)
		return;
	while (!list_empty(&h->gathers)) {
		struct ctl_gather *g = list_entry(h->gathers.next, struct ctl_gather, node);

		gather_free(g);
	}
	for (int m = 0; m < KA_MOD__COUNT; m++)
		sched_cancel(&h->kids[m].ev_read);
	free(h->rbuf);
	free(h);
}

/* ---- child side ---- */

/* One rendered answer waiting to be sent. */
struct pending {
	struct list node;
	uint32_t id;
	uint8_t req;
	uint16_t flags;
	bool whole;		/* rendered: it may be sent */
	FILE *f;		/* while it is rendered: a stream appending to buf (ans_write) */
	size_t cursor;		/* where its renderer goes on from */
	char *buf;
	size_t len, cap, off;
};

struct ctl_responder {
	struct sched *sched;
	int fd;
	ctl_render_fn *render;
	void *arg;
	struct list queue;
	size_t queued;		/* bytes not yet sent */
	struct sched_ev *ev_read, *ev_write, *ev_render;
};

static void pending_free(struct pending *a)
{
	list_del(&a->node);
	if (a->f)
		fclose(a->f);
	free(a->buf);
	free(a);
}

/*
 * The stream an answer is rendered into: appends to a->buf, doubled by realloc() as it
 * fills (large blocks are mremap()ed, not copied). open_memstream() zero-filled and
 * copied the whole buffer at each growth: 20-55 ms of a 10,000-real-server scrape's
 * 8.5 MB, against 5 ms this way.
 */
static ssize_t ans_write(void *cookie, const char *p, size_t n)
{
	struct pending *a = cookie;

	if (n > a->cap - a->len) {
		size_t cap = a->cap ? a->cap : 16384;
		char *b;

		while (cap - a->len < n)
			cap *= 2;
		if (!(b = realloc(a->buf, cap)))
			return -1;	/* the stream's error: finish() truncates the answer */
		a->buf = b;
		a->cap = cap;
	}
	memcpy(a->buf + a->len, p, n);
	a->len += n;
	return (ssize_t)n;
}

static FILE *ans_stream(struct pending *a)
{
	static const cookie_io_functions_t io = { .write = ans_write };
	FILE *f = fopencookie(a, "w", io);

	/* one thread: no lock per putc (a large answer is millions of them) */
	if (f)
		__fsetlocking(f, FSETLOCKING_BYCALLER);
	return f;
}

/* Sends the rendered answers as the socket takes them; false: it is full, try again. */
static bool flush(struct ctl_responder *r)
{
	while (!list_empty(&r->queue)) {
		struct pending *a = list_entry(r->queue.next, struct pending, node);
		size_t n = a->len - a->off;
		struct ka_ctl_hdr hd = { .type = KA_CTL_PART, .req = a->req, .id = a->id };
		struct iovec iov[2] = { { &hd, sizeof(hd) } };
		struct msghdr mh = { .msg_iov = iov, .msg_iovlen = 1 };
		ssize_t w;

		if (!a->whole)
			return true;	/* the next one is still being rendered */
		if (n > KA_CTL_CHUNK)
			n = KA_CTL_CHUNK;
		else {
			hd.type = KA_CTL_END;
			hd.flags = a->flags;
		}
		/* one message: the header, then the chunk where it lies (no copy) */
		if (n) {
			iov[1] = (struct iovec){ a->buf + a->off, n };
			mh.msg_iovlen = 2;
		}
		w = sendmsg(r->fd, &mh, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && (errno == EAGAIN || errno == ENOBUFS))
			return false;
		if (w < 0) {
			/* the parent is gone: nothing to answer */
			log_debug("control answer not sent: %s", strerror(errno));
			n = a->len - a->off;
			hd.type = KA_CTL_END;
		}
		a->off += n;
		r->queued -= n;
		if (hd.type == KA_CTL_END)
			pending_free(a);
	}
	return true;
}

static void responder_write_cb(struct sched_ev *ev, void *arg)
{
	struct ctl_responder *r = arg;

	if (flush(r))
		sched_cancel(&r->ev_write);
}

static void send_whole(struct ctl_responder *r)
{
	if (!flush(r) && !r->ev_write &&
	    sched_write(r->sched, &r->ev_write, r->fd, 0, responder_write_cb, r) < 0)
		log_err("Cannot watch the control channel: answers are delayed");
}

/* The answer a is whole (or given up: truncated): it may be sent. */
static void finish(struct ctl_responder *r, struct pending *a, bool truncated)
{
	if (a->f && fclose(a->f) != 0)
		truncated = true;
	a->f = NULL;
	if (truncated || a->len > KA_CTL_MAX_ANSWER ||
	    r->queued + a->len > 4ull * KA_CTL_MAX_ANSWER) {
		/* cut (or the parent is not reading): an empty, truncated answer */
		a->len = 0;
		a->flags |= KA_CTL_F_TRUNCATED;
	}
	a->whole = true;
	r->queued += a->len;
}

/*
 * One part of the first answer not yet whole, per loop iteration: a large answer is
 * rendered between the child's other events, not in one long callback.
 */
static void render_cb(struct sched_ev *ev, void *arg)
{
	struct ctl_responder *r = arg;
	struct pending *a = NULL;
	struct list *pos;

	list_for_each(pos, &r->queue)
		if (!list_entry(pos, struct pending, node)->whole) {
			a = list_entry(pos, struct pending, node);
			break;
		}
	if (!a)
		return;
	if (!a->f && !(a->f = ans_stream(a))) {
		finish(r, a, true);
		goto next;
	}
	a->cursor = r->render(r->arg, (enum ka_ctl_req)a->req, a->f, a->cursor);
	if (fflush(a->f) != 0 || a->len > KA_CTL_MAX_ANSWER)
		finish(r, a, true);
	else if (!a->cursor)
		finish(r, a, false);
next:
	send_whole(r);
	list_for_each(pos, &r->queue)
		if (!list_entry(pos, struct pending, node)->whole) {
			sched_defer(r->sched, &r->ev_render, render_cb, r);
			break;
		}
}

static void answer(struct ctl_responder *r, const struct ka_ctl_hdr *hd)
{
	struct pending *a = xcalloc(1, sizeof(*a));

	a->id = hd->id;
	a->req = hd->req;
	list_add_tail(&r->queue, &a->node);
	if (!r->ev_render)
		sched_defer(r->sched, &r->ev_render, render_cb, r);
}

static void responder_read_cb(struct sched_ev *ev, void *arg)
{
	struct ctl_responder *r = arg;

	for (;;) {
		/* a request is a header alone: anything longer is cut here, and ignored */
		struct ka_ctl_hdr hd;
		ssize_t n = recv(r->fd, &hd, sizeof(hd), MSG_DONTWAIT | MSG_TRUNC);

		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0) {
			/* the parent closed its end: it is gone, PDEATHSIG stops us */
			sched_cancel(&r->ev_read);
			return;
		}
		if (n < 0)
			return;
		if ((size_t)n != sizeof(hd))
			continue;
		if (hd.type == KA_CTL_REQUEST)
			answer(r, &hd);
	}
}

int ctl_responder_new(struct sched *s, int fd, ctl_render_fn *render, void *arg,
		      struct ctl_responder **ret)
{
	struct ctl_responder *r = xcalloc(1, sizeof(*r));
	int e;

	r->sched = s;
	r->fd = fd;
	r->render = render;
	r->arg = arg;
	list_init(&r->queue);
	e = sched_read(s, &r->ev_read, fd, 0, responder_read_cb, r);
	if (e < 0) {
		ctl_responder_free(r);
		return e;
	}
	*ret = r;
	return 0;
}

void ctl_responder_free(struct ctl_responder *r)
{
	if (!r)
		return;
	sched_cancel(&r->ev_read);
	sched_cancel(&r->ev_write);
	sched_cancel(&r->ev_render);
	while (!list_empty(&r->queue))
		pending_free(list_entry(r->queue.next, struct pending, node));
	free(r);
}

void ctl_json_str(FILE *f, const char *s)
{
	size_t plain;

	if (!s) {
		fputs("null", f);
		return;
	}
	putc('"', f);
	/* most names need no escape: written at once */
	for (plain = 0; s[plain] && s[plain] != '"' && s[plain] != '\\' &&
	     (unsigned char)s[plain] >= 0x20 && s[plain] != 0x7f; plain++)
		;
	fwrite(s, 1, plain, f);
	s += plain;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			putc(c, f);
	}
	putc('"', f);
}

void ctl_duration_str(char *buf, size_t len, uint64_t us)
{
	uint64_t s = us / 1000000;

	if (s >= 86400)
		snprintf(buf, len, "%llud %02u:%02u:%02u", (unsigned long long)(s / 86400),
			 (unsigned)(s % 86400 / 3600), (unsigned)(s % 3600 / 60), (unsigned)(s % 60));
	else
		snprintf(buf, len, "%u:%02u:%02u", (unsigned)(s / 3600), (unsigned)(s % 3600 / 60),
			 (unsigned)(s % 60));
}
