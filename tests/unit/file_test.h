/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tests/unit/file_test.h: reading a whole file, for the unit tests that compare files. */
#pragma once
#include <stdio.h>
#include <stdlib.h>

/* The whole file, NUL-terminated (the caller frees it), or NULL when it cannot be read. */
static inline char *read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0;
	FILE *out;
	int ch;

	if (!f)
		return NULL;
	out = open_memstream(&buf, &len);
	if (!out) {
		fclose(f);
		return NULL;
	}
	while ((ch = fgetc(f)) != EOF)
		fputc(ch, out);
	fclose(out);
	fclose(f);
	return buf;
}
