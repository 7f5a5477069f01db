// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/core/ctl_client.c: `keepalived --status [--json]`, the control socket's client. */
#include "ctl_server.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "utils.h"

/* The parent answers within CTL_DEADLINE_US; this is for a parent that is stuck. */
#define CLIENT_TIMEOUT_S 10

/*
 * Exit status: 0 every child answered; 1 no answer (not running, not root, the parent
 * stuck ...; on stderr); 3 a child did not answer in time (the output says which).
 */
int ctl_client_status(const struct ka_opts *o, bool json)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = CLIENT_TIMEOUT_S };
	char *path = o->control_socket ? xstrdup(o->control_socket) : ctl_default_path(o->namespace);
	const char *req = json ? "status json\n" : "status\n";
	char *buf = NULL, *nl;
	size_t len = 0, cap = 0;
	int fd, rc = 1;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "Control socket path too long: %s\n", path);
		goto out;
	}
	memcpy(sa.sun_path, path, strlen(path));
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		fprintf(stderr, "Cannot create a socket: %s\n", strerror(errno));
		goto out;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		if (errno == ENOENT || errno == ECONNREFUSED)
			fprintf(stderr, "keepalived is not running (no control socket at %s: %s)\n",
				path, strerror(errno));
		else if (errno == EACCES || errno == EPERM)
			fprintf(stderr, "Cannot connect to %s: %s (the control socket is for root only)\n",
				path, strerror(errno));
		else
			fprintf(stderr, "Cannot connect to %s: %s\n", path, strerror(errno));
		close(fd);
		goto out;
	}
	if (send(fd, req, strlen(req), MSG_NOSIGNAL) < 0) {
		fprintf(stderr, "Cannot send the request to %s: %s\n", path, strerror(errno));
		close(fd);
		goto out;
	}
	for (;;) {
		ssize_t n;

		if (cap - len < 65536) {
			cap = cap ? cap * 2 : 262144;
			buf = xrealloc(buf, cap + 1);
		}
		n = recv(fd, buf + len, cap - len, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fprintf(stderr, "No answer from %s: %s\n", path,
				errno == EAGAIN ? "timed out" : strerror(errno));
			close(fd);
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	if (!buf || !(nl = memchr(buf, '\n', len))) {
		fprintf(stderr, "No answer from %s: the connection was closed\n", path);
		goto out;
	}
	*nl = '\0';
	if (!strncmp(buf, "ERR ", 4)) {
		fprintf(stderr, "keepalived refused the request: %s\n", buf + 4);
		goto out;
	}
	rc = !strcmp(buf, "OK") ? 0 : 3;
	fwrite(nl + 1, 1, len - (size_t)(nl + 1 - buf), stdout);
	if (fflush(stdout) != 0)
		rc = 1;
out:
	free(buf);
	free(path);
	return rc;
}
