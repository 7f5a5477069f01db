/* SPDX-License-Identifier: GPL-2.0-or-later */
/* lib/log.h: logging to syslog, the console and a file, with keepalived's idents. */
#pragma once
#include <stdarg.h>
#include <stdbool.h>
#include <syslog.h>

/*
 * Settings are process-wide (the one piece of mutable file-scope state lib/ allows).
 * Defaults: syslog on (facility LOG_DAEMON), console off, no file, no detail.
 * log_open() may be called again after fork() with the child's ident
 * ("Keepalived_vrrp", "Keepalived_healthcheckers").
 */
struct log_opts {
	const char *ident;	/* "Keepalived"; copied */
	int facility;		/* LOG_DAEMON, LOG_LOCAL0..7, LOG_USER */
	bool to_syslog;		/* off with -G */
	bool to_console;	/* -l: stderr, "Mon Nov 23 17:41:24 2026: msg" */
	bool detail;		/* -D: log_detail() lines are written */
	const char *file;	/* --log-file, NULL for none; appended to (see log_open) */
	int max_prio;		/* drop messages less urgent than this; LOG_DEBUG keeps all */
};

/*
 * 0 or -errno (log file). The file is opened as lib/safe_file's safe_file_open() does:
 * a symlink or another user's file at its path is replaced (and a warning logged), never
 * written through; its mode is 0666 & ~umask.
 */
int log_open(const struct log_opts *o);
/* After a umask change: the log file's mode becomes 0666 & ~umask (as in keepalived). */
void log_file_apply_umask(void);
void log_close(void);
void log_set_ident(const char *ident);	/* after fork: the child's name; reopens syslog */
const struct log_opts *log_get_opts(void);

void log_msg(int prio, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void log_vmsg(int prio, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

#define log_err(...)	log_msg(LOG_ERR, __VA_ARGS__)
#define log_warn(...)	log_msg(LOG_WARNING, __VA_ARGS__)
#define log_notice(...)	log_msg(LOG_NOTICE, __VA_ARGS__)
#define log_info(...)	log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...)	log_msg(LOG_DEBUG, __VA_ARGS__)
/* Written only with -D (keepalived's "detail" messages). */
void log_detail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Log at LOG_ERR and exit(status). The watchdog decides what happens next. */
_Noreturn void fatal_status(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define fatal(...) fatal_status(1, __VA_ARGS__)
