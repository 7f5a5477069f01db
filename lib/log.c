// SPDX-License-Identifier: GPL-2.0-or-later
/* lib/log.c: syslog, console (-l) and file (--log-file) output with keepalived's formats. */
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "safe_file.h"

/* The process-wide log settings: the only mutable file-scope state lib/ has. */
static struct {
	struct log_opts o;
	char ident[64];
	FILE *file;
	bool syslog_open;
} L = {
	.o = { .ident = "Keepalived", .facility = LOG_DAEMON, .to_syslog = true,
	       .max_prio = LOG_DEBUG },
	.ident = "Keepalived",
};

static void open_syslog(void)
{
	if (L.syslog_open)
		closelog();
	L.syslog_open = false;
	if (L.o.to_syslog) {
		openlog(L.ident, LOG_PID | LOG_NDELAY, L.o.facility);
		L.syslog_open = true;
	}
}

int log_open(const struct log_opts *o)
{
	int fd, r;

	L.o = *o;
	snprintf(L.ident, sizeof(L.ident), "%s", o->ident ? o->ident : "Keepalived");
	L.o.ident = L.ident;
	L.o.file = NULL;
	if (L.file)
		fclose(L.file);
	L.file = NULL;
	open_syslog();
	if (!o->file)
		return 0;
	/* Appended to, as keepalived does, but never through a symlink or someone else's file. */
	r = safe_file_open(o->file, O_WRONLY | O_APPEND, 0666, &fd);
	if (r < 0)
		return r;
	L.file = fdopen(fd, "a");
	if (!L.file) {
		r = -errno;
		close(fd);
		return r;
	}
	setvbuf(L.file, NULL, _IOLBF, 0);
	L.o.file = o->file;
	if (r == SAFE_FILE_REPLACED)
		log_warn("Log file %s was a symlink or another user's file: replaced by a new file",
			 o->file);
	return 0;
}

void log_file_apply_umask(void)
{
	if (L.file)
		safe_file_chmod(fileno(L.file), 0666);
}

void log_close(void)
{
	if (L.syslog_open)
		closelog();
	L.syslog_open = false;
	if (L.file)
		fclose(L.file);
	L.file = NULL;
}

void log_set_ident(const char *ident)
{
	snprintf(L.ident, sizeof(L.ident), "%s", ident);
	open_syslog();
}

const struct log_opts *log_get_opts(void)
{
	return &L.o;
}

/* keepalived's console/file stamp: ctime() without its newline. */
static void stamp(char *buf, size_t len)
{
	time_t t = time(NULL);
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(buf, len, "%a %b %e %H:%M:%S %Y", &tm);
}

void log_vmsg(int prio, const char *fmt, va_list ap)
{
	char msg[2048], ts[64];
	int saved = errno;

	if (prio > L.o.max_prio)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (L.syslog_open)
		syslog(prio, "%s", msg);
	if (L.o.to_console || L.file)
		stamp(ts, sizeof(ts));
	if (L.o.to_console)
		fprintf(stderr, "%s: %s\n", ts, msg);
	if (L.file)
		fprintf(L.file, "%s: %s[%d]: %s\n", ts, L.ident, (int)getpid(), msg);
	errno = saved;
}

void log_msg(int prio, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(prio, fmt, ap);
	va_end(ap);
}

void log_detail(const char *fmt, ...)
{
	va_list ap;

	if (!L.o.detail)
		return;
	va_start(ap, fmt);
	log_vmsg(LOG_INFO, fmt, ap);
	va_end(ap);
}

void fatal_status(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(LOG_ERR, fmt, ap);
	va_end(ap);
	exit(status);
}
