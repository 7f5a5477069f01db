/* SPDX-License-Identifier: GPL-2.0-or-later */
/* lib/cfg_expand.h: keepalived.conf parameters: $NAME definitions and expansion, ~SEQ/~LST. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "parser.h"

/*
 * Internal to the config reader (lib/cfg_reader.c is the only caller). The
 * reader hands over each line once comments and @id are dealt with; the
 * expander stores definitions, substitutes $NAME and ${NAME}, repeats lines
 * for ~SEQ/~LST, and gives every line that results back through cb->line,
 * which may call cfg_expand_line() again (the nesting is limited,
 * across the includes a repeated line opens).
 * Definitions hold for the rest of the parse, across includes.
 */
struct cfg_expand;

#define CFG_EXPAND_MAX	(1u << 20)	/* bytes of one definition or one expansion step */

/* Where a text came from. Columns are counted from col0 when exact. */
struct cfg_loc {
	const char *file;	/* interned by the reader */
	int line;
	int col0;	/* 0-based column of the text's first byte in its source line */
	bool exact;
};

struct cfg_expand_cbs {
	/* A line made by expansion or repetition, to be processed as if the file held it. */
	void (*line)(void *arg, const char *t, const struct cfg_loc *l);
	/* msg is formatted; file as in the cfg_loc given */
	void (*diag)(void *arg, enum cfg_sev sev, const char *file, int line, int col,
		     const char *msg);
	/* ${_PWD}: the absolute directory of the file being read (borrowed) */
	const char *(*pwd)(void *arg);
	void *arg;
};

/* config_id (for ${_INSTANCE}) is copied; max_bytes as opts->max_expansion (0: 256 MiB). */
struct cfg_expand *cfg_expand_new(const char *config_id, uint64_t max_bytes,
				  const struct cfg_expand_cbs *cb);
void cfg_expand_free(struct cfg_expand *ex);	/* NULL is fine */

/*
 * t: a line without its comment; p: where its content starts (past blanks and
 * @id, not at the end). Returns true when the line was dealt with here (a
 * definition, a ~SEQ/~LST or a line with references, its results given to
 * cb->line, or an error reported); false for a plain line.
 */
bool cfg_expand_line(struct cfg_expand *ex, const char *t, const char *p, const struct cfg_loc *l);
/*
 * n more bytes to read (an included file), counted against max_bytes: false (reported
 * at l, once) when they are spent, and the file is not to be read.
 */
bool cfg_expand_charge(struct cfg_expand *ex, size_t n, const struct cfg_loc *l);
/* True once max_bytes are spent: the rest of the configuration is to be skipped. */
bool cfg_expand_stopped(const struct cfg_expand *ex);
void cfg_expand_set_random_seed(struct cfg_expand *ex, uint64_t seed);	/* for ${_RANDOM} */
/* A definition whose value goes on over the next lines ("$NAME=... \")? t as above. */
bool cfg_expand_multiline_def(const char *t, size_t len);

/* The lexical rules the reader shares: blanks, parameter names, columns. */
static inline bool cfg_is_ws(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\v' || ch == '\f';
}

static inline const char *cfg_skip_ws(const char *p)
{
	while (cfg_is_ws(*p))
		p++;
	return p;
}

static inline bool cfg_is_name1(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_';
}

static inline bool cfg_is_name(char ch)
{
	return cfg_is_name1(ch) || (ch >= '0' && ch <= '9');
}

/* Characters (not bytes: UTF-8 continuation bytes do not count) in [a, b). */
static inline int cfg_n_chars(const char *a, const char *b)
{
	int n = 0;

	for (; a < b; a++)
		n += ((unsigned char)*a & 0xc0) != 0x80;
	return n;
}

/* The 1-based column of at, inside text (which l locates); 0 when l is not exact. */
static inline int cfg_col_of(const struct cfg_loc *l, const char *text, const char *at)
{
	return l->exact ? l->col0 + cfg_n_chars(text, at) + 1 : 0;
}

/* A growing string: s is NUL-terminated once anything (even "") was added. */
struct cfg_sbuf {
	char *s;
	size_t len, cap;
};
void cfg_sb_add(struct cfg_sbuf *b, const char *s, size_t n);
