// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/core/ctl_server.c: the parent's control socket: root's `keepalived --status` asks the running children. */
#include "ctl_server.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "list.h"
#include "log.h"
#include "ratelimit.h"
#include "module.h"
#include "scheduler.h"
#include "utils.h"

#define CONN_MAX 16			/* connections served at once; more are refused */
#define REQ_MAX 256			/* the request line */
#define CONN_TIMEOUT_US (5 * 1000 * 1000)	/* a client's request line, or its reading */
#define WRITE_MAX (256 * 1024)		/* bytes per write callback: the loop goes on meanwhile */

/* The member names of the JSON answer, and the children's names in the table. */
static const char *const mod_key[KA_MOD__COUNT] = {
	[KA_MOD_VRRP] = "vrrp", [KA_MOD_CHECK] = "check",
};
static const char *const mod_name[KA_MOD__COUNT] = {
	[KA_MOD_VRRP] = "VRRP", [KA_MOD_CHECK] = "Healthcheck",
};

struct conn {
	struct list node;
	struct ctl_server *srv;
	int fd;
	char req[REQ_MAX];
	size_t req_len;
	const char *refuse;	/* answer the request with this "ERR ..." line */
	char *out;		/* the answer, being written */
	size_t out_len, out_off;
	struct ctl_gather *gather;
	struct sched_ev *ev_read, *ev_write;
};

struct ctl_server {
	struct sched *sched;
	struct ctl_hub *hub;
	char *path;
	int fd;
	dev_t dev;		/* of the socket file we bound: removed at exit if still there */
	ino_t ino;
	uint64_t started_us;
	unsigned n_conns;
	struct list conns;
	struct sched_ev *ev_accept;
	struct ratelimit refused_rl;	/* the "refused a connection" lines */
};

/* A process that is not root may connect in a loop once the socket's mode is opened. */
static const struct ratelimit_conf refused_limit = { .window_us = 10000000, .burst = 5 };

char *ctl_default_path(const char *ns)
{
	if (ns)
		return xasprintf("%s/keepalived/keepalived_%s/keepalived.ctl", RUNSTATEDIR, ns);
	return xstrdup(RUNSTATEDIR "/keepalived/keepalived.ctl");
}

static void conn_free(struct conn *c)
{
	struct ctl_server *srv = c->srv;

	list_del(&c->node);
	srv->n_conns--;
	ctl_gather_cancel(&c->gather);
	sched_cancel(&c->ev_read);
	sched_cancel(&c->ev_write);
	/* what the client sent after its request line, read: a close then resets nothing */
	while (recv(c->fd, c->req, sizeof(c->req), MSG_DONTWAIT) > 0)
		;
	close(c->fd);
	free(c->out);
	free(c);
}

static void conn_write_cb(struct sched_ev *ev, void *arg)
{
	struct conn *c = arg;

	if (sched_ev_why(ev) == SCHED_TIMEOUT) {
		conn_free(c);
		return;
	}
	for (size_t sent = 0; c->out_off < c->out_len && sent < WRITE_MAX;) {
		size_t len = c->out_len - c->out_off;
		ssize_t n = send(c->fd, c->out + c->out_off, len < WRITE_MAX ? len : WRITE_MAX,
				 MSG_DONTWAIT | MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n <= 0) {
			conn_free(c);	/* the client went away */
			return;
		}
		c->out_off += (size_t)n;
		sent += (size_t)n;
	}
	if (c->out_off == c->out_len)
		conn_free(c);
}

/* Answer with buf (taken) and close once it is written. */
static void conn_reply(struct conn *c, char *buf, size_t len)
{
	sched_cancel(&c->ev_read);
	c->out = buf;
	c->out_len = len;
	c->out_off = 0;
	if (sched_write(c->srv->sched, &c->ev_write, c->fd, CONN_TIMEOUT_US, conn_write_cb, c) < 0)
		conn_free(c);
}

static void conn_reply_str(struct conn *c, const char *s)
{
	conn_reply(c, xstrdup(s), strlen(s));
}

static bool all_answered(const struct ctl_answer *ans, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (!ans[i].answered || ans[i].truncated)
			return false;
	return true;
}

static void render_text(FILE *f, const struct ctl_server *srv, const struct ctl_answer *ans,
			unsigned n)
{
	char up[32];

	ctl_duration_str(up, sizeof(up), mono_now_us() - srv->started_us);
	fprintf(f, "%s, pid %d, up %s\n", KA_VERSION_STRING, (int)getpid(), up);
	if (!n)
		fputs("No child process is running\n", f);
	for (unsigned i = 0; i < n; i++) {
		fprintf(f, "%s child process(%d): ", mod_name[ans[i].mod], (int)ans[i].pid);
		if (!ans[i].answered)
			fprintf(f, "NOT ANSWERING (no answer within %u ms)\n",
				CTL_DEADLINE_US / 1000);
		else if (ans[i].truncated)
			fputs("answered, but its answer is incomplete\n", f);
		else
			fputs("running\n", f);
	}
	for (unsigned i = 0; i < n; i++)
		if (ans[i].answered && ans[i].len) {
			fputc('\n', f);
			fwrite(ans[i].data, 1, ans[i].len, f);
		}
}

static void render_json(FILE *f, const struct ctl_server *srv, const struct ctl_answer *ans,
			unsigned n)
{
	uint64_t up = mono_now_us() - srv->started_us;

	fprintf(f, "{\"schema\":%d,\"version\":", CTL_STATUS_SCHEMA);
	ctl_json_str(f, KA_VERSION_STRING);
	fprintf(f, ",\"pid\":%d,\"uptime_s\":%llu.%03u,\"complete\":%s,\"children\":[",
		(int)getpid(), (unsigned long long)(up / 1000000), (unsigned)(up % 1000000 / 1000),
		all_answered(ans, n) ? "true" : "false");
	for (unsigned i = 0; i < n; i++)
		fprintf(f, "%s{\"name\":\"%s\",\"pid\":%d,\"answered\":%s,\"truncated\":%s}",
			i ? "," : "", mod_key[ans[i].mod], (int)ans[i].pid,
			ans[i].answered ? "true" : "false", ans[i].truncated ? "true" : "false");
	fputc(']', f);
	for (int m = 0; m < KA_MOD__COUNT; m++) {
		const struct ctl_answer *a = NULL;

		for (unsigned i = 0; i < n; i++)
			if (ans[i].mod == m)
				a = &ans[i];
		fprintf(f, ",\"%s\":", mod_key[m]);
		/* a truncated answer is not valid JSON: left out, "truncated" says so */
		if (a && a->answered && !a->truncated && a->len)
			fwrite(a->data, 1, a->len, f);
		else
			fputs("null", f);
	}
	fputs("}\n", f);
}

static void gathered_cb(void *arg, enum ka_ctl_req req, const struct ctl_answer *ans,
			unsigned n, const char *joined, size_t joined_len)
{
	struct conn *c = arg;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f) {
		conn_reply_str(c, "ERR out of memory\n");
		return;
	}
	fputs(all_answered(ans, n) ? "OK\n" : "PARTIAL\n", f);
	if (req == KA_CTL_STATUS_JSON)
		render_json(f, c->srv, ans, n);
	else
		render_text(f, c->srv, ans, n);
	if (fclose(f) != 0) {
		free(buf);
		conn_reply_str(c, "ERR out of memory\n");
		return;
	}
	conn_reply(c, buf, len);
}

static void conn_request(struct conn *c)
{
	const char *err = c->refuse;
	enum ka_ctl_req req = KA_CTL_STATUS_TEXT;

	if (!err && !strcmp(c->req, "status"))
		req = KA_CTL_STATUS_TEXT;
	else if (!err && !strcmp(c->req, "status json"))
		req = KA_CTL_STATUS_JSON;
	else if (!err)
		err = "ERR unknown request\n";
	if (err) {
		conn_reply_str(c, err);
		return;
	}
	sched_cancel(&c->ev_read);
	if (ctl_gather(c->srv->hub, req, CTL_DEADLINE_US, gathered_cb, c, &c->gather) < 0)
		conn_reply_str(c, "ERR cannot ask the children\n");
}

static void conn_read_cb(struct sched_ev *ev, void *arg)
{
	struct conn *c = arg;
	char *nl;
	ssize_t n;

	if (sched_ev_why(ev) == SCHED_TIMEOUT) {
		conn_free(c);
		return;
	}
	n = recv(c->fd, c->req + c->req_len, sizeof(c->req) - 1 - c->req_len, MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		conn_free(c);
		return;
	}
	c->req_len += (size_t)n;
	c->req[c->req_len] = '\0';
	nl = strchr(c->req, '\n');
	if (nl) {
		*nl = '\0';
		conn_request(c);
	} else if (c->req_len == sizeof(c->req) - 1) {
		conn_reply_str(c, "ERR request too long\n");
	}
}

static void accept_cb(struct sched_ev *ev, void *arg)
{
	struct ctl_server *srv = arg;

	for (;;) {
		int fd = accept4(srv->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		struct ucred cred;
		socklen_t cl = sizeof(cred);
		struct conn *c;

		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			return;
		}
		c = xcalloc(1, sizeof(*c));
		c->srv = srv;
		c->fd = fd;
		list_add_tail(&srv->conns, &c->node);
		srv->n_conns++;
		if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &cl) < 0)
			cred = (struct ucred){ .uid = (uid_t)-1 };
		if (cred.uid != 0) {
			uint32_t held;

			/* the socket's mode keeps others out; this is the second lock */
			if (ratelimit_pass(&srv->refused_rl, &refused_limit, mono_now_us(), &held)) {
				if (held)
					log_warn("Control socket: %u similar log lines suppressed",
						 held);
				log_warn("Control socket: refused a connection from uid %d pid %d "
					 "(root only)", (int)cred.uid, (int)cred.pid);
			}
			c->refuse = "ERR permission denied: the control socket is for root only\n";
		} else if (srv->n_conns > CONN_MAX) {
			c->refuse = "ERR busy\n";
		}
		/* the request is read first: closing on it unread would reset the client's read */
		if (sched_read(srv->sched, &c->ev_read, fd, CONN_TIMEOUT_US, conn_read_cb, c) < 0)
			conn_free(c);
	}
}

/*
 * What is at path before we bind: nothing, or a stale socket of ours (removed), is fine.
 * A live socket (another keepalived answers there) is left alone: -EADDRINUSE. A symlink
 * or anything else of another user's is removed (never followed); one of ours that is
 * not a socket is refused: -EEXIST.
 */
static int clear_path(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat st;
	int fd, r;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (S_ISDIR(st.st_mode))
		return -EISDIR;
	if (st.st_uid == geteuid() && !S_ISSOCK(st.st_mode))
		return -EEXIST;
	if (S_ISSOCK(st.st_mode) && st.st_uid == geteuid()) {
		fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
		if (fd < 0)
			return -errno;
		memcpy(sa.sun_path, path, strlen(path));
		r = connect(fd, (struct sockaddr *)&sa, sizeof(sa));
		close(fd);
		if (r == 0 || errno == EAGAIN || errno == EINPROGRESS)
			return -EADDRINUSE;
	}
	if (unlink(path) < 0 && errno != ENOENT)
		return -errno;
	return 0;
}

/* The directory of path, if it is RUNSTATEDIR/keepalived[/keepalived_NS], made 0755. */
static void make_run_dir(const char *path)
{
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');

	if (slash && slash != dir &&
	    !strncmp(dir, RUNSTATEDIR "/keepalived", strlen(RUNSTATEDIR "/keepalived"))) {
		*slash = '\0';
		if (mkdir(RUNSTATEDIR "/keepalived", 0755) < 0 && errno != EEXIST)
			log_debug("Cannot create %s: %s", RUNSTATEDIR "/keepalived", strerror(errno));
		if (strcmp(dir, RUNSTATEDIR "/keepalived") && mkdir(dir, 0755) < 0 && errno != EEXIST)
			log_debug("Cannot create %s: %s", dir, strerror(errno));
	}
	free(dir);
}

int ctl_server_open(struct sched *s, struct ctl_hub *hub, const struct ka_opts *o,
		    struct ctl_server **ret)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct ctl_server *srv;
	struct stat st;
	mode_t old_mask;
	char *path = o->control_socket ? xstrdup(o->control_socket) : ctl_default_path(o->namespace);
	int fd, r;

	*ret = NULL;
	if (strlen(path) >= sizeof(sa.sun_path)) {
		log_err("Control socket %s: the path is too long: no control socket", path);
		free(path);
		return -ENAMETOOLONG;
	}
	memcpy(sa.sun_path, path, strlen(path));
	make_run_dir(path);
	r = clear_path(path);
	if (r == -EADDRINUSE) {
		log_warn("Control socket %s is in use by another keepalived: no control socket "
			 "(give each daemon its own with --control-socket)", path);
		free(path);
		return r;
	}
	if (r < 0) {
		log_err("Cannot use control socket %s: %s: no control socket", path, strerror(-r));
		free(path);
		return r;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		r = -errno;
		goto fail;
	}
	/* created 0600: nobody else can connect between bind() and a chmod() */
	old_mask = umask(0177);
	r = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old_mask);
	if (r < 0 || lstat(path, &st) < 0 || listen(fd, CONN_MAX) < 0) {
		r = -errno;
		close(fd);
		goto fail;
	}
	srv = xcalloc(1, sizeof(*srv));
	srv->sched = s;
	srv->hub = hub;
	srv->path = path;
	srv->fd = fd;
	srv->dev = st.st_dev;
	srv->ino = st.st_ino;
	srv->started_us = mono_now_us();
	list_init(&srv->conns);
	r = sched_read(s, &srv->ev_accept, fd, 0, accept_cb, srv);
	if (r < 0) {
		ctl_server_close(srv);
		log_err("Cannot listen on control socket %s: %s", path, strerror(-r));
		return r;
	}
	log_info("Control socket %s: listening", path);
	*ret = srv;
	return 0;
fail:
	log_err("Cannot listen on control socket %s: %s", path, strerror(-r));
	free(path);
	return r;
}

void ctl_server_close(struct ctl_server *srv)
{
	struct stat st;

	if (!srv)
		return;
	while (!list_empty(&srv->conns))
		conn_free(list_entry(srv->conns.next, struct conn, node));
	sched_cancel(&srv->ev_accept);
	close(srv->fd);
	/* only our own socket: another daemon may have replaced a stale-looking one */
	if (lstat(srv->path, &st) == 0 && st.st_dev == srv->dev && st.st_ino == srv->ino)
		unlink(srv->path);
	free(srv->path);
	free(srv);
}

void ctl_server_forget(struct ctl_server *srv)
{
	struct list *pos;

	if (!srv)
		return;
	close(srv->fd);
	list_for_each(pos, &srv->conns)
		close(list_entry(pos, struct conn, node)->fd);
}
