// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/core/daemon.c: daemonizing and the start-up log lines. */
#include "daemon.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>

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
	log_info("CPU usage (self/children) user: %ld.%06ld/%ld.%06ld system: %ld.%06ld/%ld.%06ld",
		 (long)self.ru_utime.tv_sec, (long)self.ru_utime.tv_usec,
		 (long)kids.ru_utime.tv_sec, (long)kids.ru_utime.tv_usec,
		 (long)self.ru_stime.tv_sec, (long)self.ru_stime.tv_usec,
		 (long)kids.ru_stime.tv_sec, (long)kids.ru_stime.tv_usec);
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
