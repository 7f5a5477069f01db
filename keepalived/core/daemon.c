// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/core/daemon.c: daemonizing and the start-up log lines. */
#include "daemon.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "global_defs.h"
#include "log.h"

int daemon_detach(void)
{
	pid_t pid = fork();
	int fd;

	if (pid < 0)
		return -errno;
	if (pid > 0)
		_exit(0);
	if (setsid() < 0)
		return -errno;
	/* A second fork: the daemon is not a session leader, so it never gets a tty back. */
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid > 0)
		_exit(0);
	if (chdir("/") < 0)
		return -errno;
	fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	dup2(fd, STDIN_FILENO);
	dup2(fd, STDOUT_FILENO);
	dup2(fd, STDERR_FILENO);
	if (fd > STDERR_FILENO)
		close(fd);
	return 0;
}

/* keepalived wraps the command line at about 100 columns, continuing with spaces. */
static void log_command_line(const struct ka_opts *o)
{
	char line[256];
	size_t len = 0;
	const char *lead = "Command line:";

	for (int i = 0; i < o->argc; i++) {
		const char *a = o->argv[i];
		size_t need = strlen(a) + 3;

		if (len && len + need > 90) {
			log_info("%-13s%s", lead, line);
			lead = "";
			len = 0;
		}
		if (need >= sizeof(line) - len)
			need = sizeof(line) - len - 1;
		len += (size_t)snprintf(line + len, sizeof(line) - len, " '%s'", a);
		if (len >= sizeof(line))
			len = sizeof(line) - 1;
	}
	log_info("%-13s%s", lead, line);
}

void daemon_log_start(const struct ka_opts *o)
{
	struct utsname u;

	log_info("Starting %s", KA_VERSION_STRING);
	if (uname(&u) == 0)
		log_info("Running on %s %s %s", u.sysname, u.release, u.version);
	log_command_line(o);
}

void daemon_log_cpu_usage(void)
{
	struct rusage self, kids;

	getrusage(RUSAGE_SELF, &self);
	getrusage(RUSAGE_CHILDREN, &kids);
	log_detail("CPU usage (self/children) user: %ld.%06ld/%ld.%06ld system: %ld.%06ld/%ld.%06ld",
		 (long)self.ru_utime.tv_sec, (long)self.ru_utime.tv_usec,
		 (long)kids.ru_utime.tv_sec, (long)kids.ru_utime.tv_usec,
		 (long)self.ru_stime.tv_sec, (long)self.ru_stime.tv_usec,
		 (long)kids.ru_stime.tv_sec, (long)kids.ru_stime.tv_usec);
}

void daemon_set_umask(const struct ka_opts *o, const struct global_defs *gd, bool report)
{
	if (report && o->umask_val >= 0 && gd && global_defs_has_umask(gd))
		log_info("umask command line option specified, ignoring config option");
	if (o->umask_val >= 0)
		umask((mode_t)o->umask_val);
	else
		umask(gd ? (mode_t)global_defs_umask(gd) : GD_UMASK_DEFAULT);
	log_file_apply_umask();
}

const char *daemon_tmp_dir(void)
{
	const char *d = getenv("TMPDIR");

	return d && d[0] == '/' ? d : "/tmp";
}

const char *daemon_node_name(void)
{
	static char name[256];	/* computed once; read-only afterwards */
	struct utsname u;

	if (!name[0] && uname(&u) == 0) {
		snprintf(name, sizeof(name), "%s", u.nodename);
		name[strcspn(name, ".")] = '\0';
	}
	return name;
}

/*
 * systemd's notification protocol (sd_notify(3)): one datagram to the AF_UNIX socket
 * that $NOTIFY_SOCKET names, "@..." for the abstract namespace. Done here, not through
 * libsystemd: that library and the compression and crypto libraries it loads were about
 * 1 MB of the parent's resident memory, for one sendto() per state change.
 */
void daemon_notify(const char *state)
{
	const char *name = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	size_t len;
	int fd;

	if (!name || (name[0] != '/' && name[0] != '@'))
		return;		/* not started by systemd (or an address family we do not speak) */
	len = strlen(name);
	if (len >= sizeof(sa.sun_path)) {
		log_warn("Cannot notify systemd: NOTIFY_SOCKET '%s' is too long", name);
		return;
	}
	memcpy(sa.sun_path, name, len);
	if (name[0] == '@')
		sa.sun_path[0] = '\0';
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || sendto(fd, state, strlen(state), MSG_NOSIGNAL, (struct sockaddr *)&sa,
			     (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len)) < 0)
		log_warn("Cannot notify systemd of %s on %s: %s", state, name, strerror(errno));
	if (fd >= 0)
		close(fd);
}
