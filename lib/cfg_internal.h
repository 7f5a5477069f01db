/* SPDX-License-Identifier: GPL-2.0-or-later */
/* lib/cfg_internal.h: what lib/cfg_values.c needs from lib/parser.c; not for other callers. */
#pragma once
#include <string.h>

#include "parser.h"

/* User text in messages is cut: a 64 KiB word must not push the point out of the message. */
#define QW(s)	(int)(strlen(s) > 80 ? 80 : strlen(s)), (s)

/* The keyword a value of a belongs to: a free-form line's is its block's. */
const char *cfg_value_kw(const struct cfg *c, const struct cfg_args *a);
/* An error at a->file:a->line, at argument i's column when a is the line being handled. */
void cfg_error_value(struct cfg *c, const struct cfg_args *a, int i, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
