/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tests/unit/log_test.h: a test group's log in a temporary file, read back without the stamps. */
#pragma once
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

static char log_test_path[] = "/tmp/test_log.XXXXXX";
static long log_test_seen;

/* cmocka group setup: everything (ident "test", up to LOG_DEBUG) to a new temporary file */
static inline int log_test_setup(void **state)
{
	struct log_opts o = { .ident = "test", .to_syslog = false, .max_prio = LOG_DEBUG,
			      .file = log_test_path };
	int fd = mkstemp(log_test_path);

	(void)state;
	if (fd < 0)
		return -1;
	close(fd);
	return log_open(&o);
}

static inline int log_test_teardown(void **state)
{
	(void)state;
	log_close();
	unlink(log_test_path);
	return 0;
}

/* The messages logged since the last call, each followed by "|" (a static buffer). */
static inline const char *log_test_new_lines(void)
{
	static char out[4096];
	char buf[1024];
	FILE *f = fopen(log_test_path, "r");
	size_t n = 0;

	out[0] = '\0';
	if (!f)
		return out;
	fseek(f, log_test_seen, SEEK_SET);
	while (fgets(buf, sizeof(buf), f) && n < sizeof(out)) {
		const char *msg = strstr(buf, "]: ");	/* "<time>: test[<pid>]: <msg>" */

		msg = msg ? msg + 3 : buf;
		n += (size_t)snprintf(out + n, sizeof(out) - n, "%.*s|", (int)strcspn(msg, "\n"),
				      msg);
	}
	log_test_seen = ftell(f);
	fclose(f);
	return out;
}
