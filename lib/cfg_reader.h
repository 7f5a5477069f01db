/* SPDX-License-Identifier: GPL-2.0-or-later */
/* lib/cfg_reader.h: keepalived.conf lines: files, includes, comments, @id, $NAME, ~SEQ/~LST, words. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "parser.h"

/*
 * Internal to the parser (lib/parser.c is the only caller). The reader turns
 * files into logical lines, splits each into words and hands them to a callback;
 * it knows nothing of keywords. Includes are read where they appear, so the
 * callback sees one stream of lines.
 */
struct cfg_reader;

/* One word of a logical line. */
struct cfg_word {
	char *s;	/* NUL-terminated; quotes removed, escapes applied */
	int col;	/* 1-based column in the source line; 0 when unknown (multi-line definitions) */
	bool brace;	/* an unquoted '{' or '}' ("{" in quotes is a plain word) */
};

/* Borrowed: valid during the callback only. */
struct cfg_line {
	int n;
	struct cfg_word *w;
	const char *file;	/* interned: valid until cfg_reader_free() */
	int line;
};

struct cfg_reader_cbs {
	void (*line)(void *arg, const struct cfg_line *l);
	/* msg is formatted; file is interned (or NULL) */
	void (*diag)(void *arg, enum cfg_sev sev, const char *file, int line, int col,
		     const char *msg);
	/* Blocks open now: with include nesting they count toward opts->max_depth. */
	unsigned (*depth)(void *arg);
	void *arg;
};

struct cfg_reader *cfg_reader_new(const struct cfg_opts *o, const struct cfg_reader_cbs *cb);
void cfg_reader_free(struct cfg_reader *r);	/* NULL is fine */
/* Reads the main file: -errno when it cannot be read (reported as a diagnostic first). */
int cfg_reader_file(struct cfg_reader *r, const char *path);
void cfg_reader_buf(struct cfg_reader *r, const char *name, const char *buf, size_t len);
unsigned cfg_reader_include_depth(const struct cfg_reader *r);
/* The main file's name, interned (NULL before a parse). */
const char *cfg_reader_main(const struct cfg_reader *r);
void cfg_reader_set_include_check(struct cfg_reader *r, unsigned checks);
unsigned cfg_reader_include_check(const struct cfg_reader *r);
void cfg_reader_set_random_seed(struct cfg_reader *r, uint64_t seed);

/*
 * A string-keyed hash map (open addressing, never shrinks, no removal: store a
 * NULL value instead). tag lets one map hold keys of several namespaces (e.g.
 * one per keyword table). Keys are borrowed unless the caller owns them.
 */
struct cfg_map {
	struct cfg_map_ent *v;
	size_t cap, n;
};
struct cfg_map_ent {
	const void *tag;
	const char *key;	/* NULL: free slot */
	void *val;
	uint64_t hash;
};
/* The entry for (tag, key), or NULL. */
struct cfg_map_ent *cfg_map_get(const struct cfg_map *m, const void *tag, const char *key);
/* The entry for (tag, key), added with val NULL and the given key if it was missing. */
struct cfg_map_ent *cfg_map_put(struct cfg_map *m, const void *tag, const char *key, bool *added);
void cfg_map_free(struct cfg_map *m);	/* frees the array, not keys or values */
