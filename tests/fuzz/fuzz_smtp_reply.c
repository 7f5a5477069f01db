// SPDX-License-Identifier: GPL-2.0-or-later
/* tests/fuzz/fuzz_smtp_reply.c: libFuzzer target: SMTP_CHECK's reply reading, fed in pieces. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check/smtp_reply.h"

/*
 * Input: one byte that picks the read size, then what a server sends. It is read the
 * way check_smtp.c reads it (a 512-byte buffer that starts over when full, the first
 * line judged, the rest of the read dropped) for each of the three replies. These must
 * hold: a line end is a '\n' with no '\n' or NUL before it, a code is -1 or three
 * digits that begin the line, and whole-line parsing does not depend on the cut.
 */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool ok)
{
	if (!ok)
		abort();
}

static void check_line(const uint8_t *line, size_t len)
{
	int code = smtp_reply_code(line, len);

	check(code >= -1 && code <= 999);
	if (code >= 0) {
		check(len >= 3);
		for (int i = 0; i < 3; i++)
			check(line[i] >= '0' && line[i] <= '9');
		check(code == (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0'));
		check(len == 3 || line[3] == ' ' || line[3] == '\0');
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t buf[SMTP_REPLY_BUF];
	size_t step, len = 0, pos = 1, replies = 0;

	if (size < 1)
		return 0;
	step = (size_t)data[0] % 64 + 1;
	while (pos < size && replies < 3) {
		size_t n = size - pos;
		ssize_t nl;

		if (len >= sizeof(buf) - 1)
			len = 0;
		if (n > step)
			n = step;
		if (n > sizeof(buf) - 1 - len)
			n = sizeof(buf) - 1 - len;
		memcpy(buf + len, data + pos, n);
		pos += n;
		len += n;
		nl = smtp_reply_line_end(buf, len);
		check(nl >= -1 && nl < (ssize_t)len);
		if (nl < 0)
			continue;
		check(buf[nl] == '\n');
		check(!memchr(buf, '\n', (size_t)nl) && !memchr(buf, '\0', (size_t)nl));
		check_line(buf, (size_t)nl);
		len = 0;		/* the next reply starts with an empty buffer */
		replies++;
	}
	check_line(data, size);
	return 0;
}
