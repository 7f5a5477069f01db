/* SPDX-License-Identifier: GPL-2.0-or-later */
/* lib/cfg_include.h: include lines: {a,b} and glob expansion, include loops, whole files. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include "cfg_expand.h"
#include "cfg_reader.h"
#include "parser.h"

/*
 * Internal to the reader (lib/cfg_reader.c is the only caller). An include line
 * names a file or a pattern; the files it matches are found here and handed back
 * to the reader one at a time, which reads each where the line stands.
 */

/*
 * The whole of a regular file: 0 or -errno (-EISDIR, -EINVAL not a regular file,
 * -EFBIG). On 0, *out is the caller's to free. *opened: whether open() succeeded.
 */
int cfg_include_slurp(const char *path, char **out, size_t *len, struct stat *st, bool *opened);

/* The CFG_INC_* checks include keyword w implies (0 for "include"), or -1 if w is none. */
int cfg_include_keyword(const char *w);

/* One file being read. The reader keeps one per open file; include loops are found here. */
struct cfg_include_file {
	const struct cfg_include_file *up;	/* the file that included it, NULL at the top */
	const char *name;	/* interned, as diagnostics show it */
	const char *prefix;	/* interned: "" or "dir/", put before relative include patterns */
	bool has_id;		/* dev/ino are set (not a buffer) */
	dev_t dev;
	ino_t ino;
};

/* Where an include line stands. Borrowed for the call. */
struct cfg_include_env {
	const struct cfg_opts *o;	/* max_depth (not 0), no_includes, includes_required,
					 * include_root */
	const struct cfg_include_file *top;	/* the file holding the line */
	unsigned depth;		/* blocks plus includes open around the line */
	unsigned checks;	/* CFG_INC_* in force from include_check, besides the keyword's */
	/* Reads one included file as a new source; buf is borrowed for the call. */
	void (*read)(void *arg, const char *path, const char *buf, size_t len,
		     const struct stat *st);
	/* msg is formatted; file is interned (or NULL) */
	void (*diag)(void *arg, enum cfg_sev sev, const char *file, int line, int col,
		     const char *msg);
	void *arg;
};

/*
 * One include line: w[0] is the keyword, n counts the words, checks is what
 * cfg_include_keyword() gave for w[0]. Expands the pattern ({a,b} terms, then a
 * glob of each), reports what the checks make errors, and calls env->read for
 * each file found that is not open already (an include loop is an error). w is
 * not used after the first env->read, which may overwrite it.
 */
void cfg_include_line(const struct cfg_include_env *env, const struct cfg_word *w, int n,
		      const struct cfg_loc *l, unsigned checks);
