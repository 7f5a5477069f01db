// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/check/smtp_reply.c: SMTP_CHECK's reading of a server's reply lines. */
#include "smtp_reply.h"

ssize_t smtp_reply_line_end(const uint8_t *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (buf[i] == '\n')
			return (ssize_t)i;
		if (buf[i] == '\0')
			return -1;
	}
	return -1;
}

int smtp_reply_code(const uint8_t *line, size_t len)
{
	int code = 0;
	size_t i;

	for (i = 0; i < 3; i++) {
		if (i >= len || line[i] < '0' || line[i] > '9')
			return -1;
		code = code * 10 + (line[i] - '0');
	}
	if (i < len && line[i] != ' ' && line[i] != '\0')
		return -1;
	return code;
}
