/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/check/smtp_reply.h: SMTP_CHECK's reading of a server's reply lines (pure). */
#pragma once
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * keepalived 2.2.7 (check_smtp.c) reads into a 512-byte buffer until a '\n' is in it,
 * and looks at that first line only: the rest of the read is dropped, so a multi-line
 * reply ("220-...") is judged by its first line and fails. Its C-string handling
 * comes with it: a NUL before the '\n' hides the newline (reading goes on until the
 * buffer is full, then starts over empty).
 */
#define SMTP_REPLY_BUF 512

/* The index of the '\n' that ends the first line of buf[0, len); -1: none yet. */
ssize_t smtp_reply_line_end(const uint8_t *buf, size_t len);

/*
 * The reply code of a line (without its '\n'; it ends at a NUL too): three digits
 * followed by a space or the end of the line, as keepalived's strtoul() test takes
 * them, so "220 ready\r" is 220 while "220-ready", "220\r" and "2200 x" are -1.
 * (keepalived's strtoul also takes " 22 " or "+22 ": codes below 100, which no step
 * accepts; they are -1 here.)
 */
int smtp_reply_code(const uint8_t *line, size_t len);
