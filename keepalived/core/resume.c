// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/core/resume.c: what a child held, kept by the parent for its successor after a crash. */
#include "resume.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "ctl.h"
#include "log.h"
#include "utils.h"

#define MSG_MAX (sizeof(struct ka_ctl_hdr) + KA_RESUME_MAX)

static bool is_state(const char *buf, size_t n)
{
	struct ka_ctl_hdr hd;

	if (n < sizeof(hd))
		return false;
	memcpy(&hd, buf, sizeof(hd));
	return hd.type == KA_CTL_STATE;
}

bool ka_resume_read(struct ka_resume *rs, int fd)
{
	static char *buf;
	bool any = false;

	if (fd < 0)
		return false;
	if (!buf)
		buf = xmalloc(MSG_MAX);
	for (;;) {
		ssize_t n = recv(fd, buf, MSG_MAX, MSG_DONTWAIT);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		any = true;
		ka_resume_note(rs, buf, (size_t)n);	/* else a heartbeat, or another kind */
	}
	return any;
}

bool ka_resume_note(struct ka_resume *rs, const void *msg, size_t n)
{
	if (!is_state(msg, n) || n > MSG_MAX)
		return false;
	free(rs->last);
	rs->last_len = n - sizeof(struct ka_ctl_hdr);
	rs->last = xmalloc(rs->last_len ? rs->last_len : 1);
	memcpy(rs->last, (const char *)msg + sizeof(struct ka_ctl_hdr), rs->last_len);
	return true;
}

void ka_resume_child_gone(struct ka_resume *rs, bool respawn)
{
	free(rs->pending);
	rs->pending = NULL;
	rs->pending_len = 0;
	if (respawn && rs->last) {
		rs->pending = rs->last;
		rs->pending_len = rs->last_len;
	} else {
		free(rs->last);
	}
	rs->last = NULL;
	rs->last_len = 0;
}

static int send_msg(int fd, const void *p, size_t len)
{
	struct ka_ctl_hdr hd = { .type = KA_CTL_STATE };
	struct iovec iov[2] = {
		{ .iov_base = &hd, .iov_len = sizeof(hd) },
		{ .iov_base = (void *)p, .iov_len = len },
	};
	struct msghdr mh = { .msg_iov = iov, .msg_iovlen = 2 };

	if (len > KA_RESUME_MAX)
		return -EMSGSIZE;
	for (;;) {
		if (sendmsg(fd, &mh, MSG_DONTWAIT | MSG_NOSIGNAL) >= 0)
			return 0;
		if (errno != EINTR)
			return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	}
}

void ka_resume_hand_over(struct ka_resume *rs, int fd, const char *name)
{
	int r;

	if (!rs->pending)
		return;
	if ((r = send_msg(fd, rs->pending, rs->pending_len)) < 0)
		log_warn("Cannot hand the %s child's last state over to its successor: %s", name,
			 strerror(-r));
	free(rs->pending);
	rs->pending = NULL;
	rs->pending_len = 0;
}

void ka_resume_clear(struct ka_resume *rs)
{
	free(rs->last);
	free(rs->pending);
	*rs = (struct ka_resume){ 0 };
}

int ka_resume_send(int fd, const void *p, size_t len)
{
	return send_msg(fd, p, len);
}

void *ka_resume_take(int fd, size_t *len)
{
	char *buf = xmalloc(MSG_MAX), *p;
	ssize_t n;

	*len = 0;
	do
		n = recv(fd, buf, MSG_MAX, MSG_DONTWAIT | MSG_PEEK);
	while (n < 0 && errno == EINTR);
	if (n <= 0 || !is_state(buf, (size_t)n)) {
		free(buf);
		return NULL;
	}
	(void)recv(fd, buf, MSG_MAX, MSG_DONTWAIT);	/* the one just peeked at */
	*len = (size_t)n - sizeof(struct ka_ctl_hdr);
	p = xmalloc(*len ? *len : 1);
	memcpy(p, buf + sizeof(struct ka_ctl_hdr), *len);
	free(buf);
	return p;
}
