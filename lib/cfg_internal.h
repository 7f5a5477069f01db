/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lib/cfg_internal.h: the parser's state, shared by its files and by no other caller:
 * parser.c (the keyword tree walk), cfg_diag.c (diagnostics), cfg_suggest.c (unknown
 * keywords) and cfg_values.c (value helpers).
 */
#pragma once
#include <stdarg.h>
#include <stdbool.h>
#include <string.h>

#include "cfg_reader.h"
#include "parser.h"

/* User text in messages is cut: a 64 KiB word must not push the point out of the message. */
#define QW(s)	(int)(strlen(s) > 80 ? 80 : strlen(s)), (s)

enum frame_mode {
	F_TOP,		/* the roots' keywords */
	F_KWS,		/* a block of keywords (kw->block) */
	F_LINES,	/* a block of free-form lines (kw->line) */
	F_SKIP,		/* a block being skipped after an error: only braces count */
};

struct frame {
	enum frame_mode mode;
	const struct cfg_kw *kw;	/* the block's keyword; NULL at the top and in skips */
	void *obj;
	const char *file;		/* where the block's keyword is, for "not closed" */
	int line, col;
	char *name;			/* F_SKIP: what opened it (owned) */
	unsigned skip;			/* F_SKIP: braces still open */
};

/* A block keyword at the end of its line: its '{' may come first on the next one. */
struct pending {
	enum { P_NONE, P_BLOCK, P_SKIP } kind;
	const struct cfg_kw *kw;
	void *obj;
	int argc;
	char **argv;	/* owned copies: the reader reuses its words */
	int *cols;
	const char *file;
	int line;
};

/* What handlers and cfg_error() see: the keyword line being handled. */
struct cur {
	const char *file;
	int line, col;		/* col: when there are no words (close, finish) */
	int argc;
	char **argv;
	const int *cols;
	const char *kwname;	/* named in value errors: the block's for free lines */
};

struct cfg {
	struct cfg_opts o;
	const struct cfg_root *roots;
	size_t n_roots;
	struct cfg_reader *rd;
	unsigned n_err, n_warn;
	unsigned n_hidden;	/* past MAX_SHOWN: counted, not shown */
	struct frame *fr;
	unsigned n_fr, cap_fr;
	struct pending pend;
	struct cur cur;
	char **argv;		/* scratch for cur.argv */
	int *cols;
	size_t cap_args;
	struct cfg_map kw_index;	/* (table, name) -> kw; (table, "") marks it indexed */
	struct cfg_map warned;		/* keyword names warned about as not acted on yet */
	struct cfg_map far_seen;	/* unknown word -> its far "did you mean" (cfg_suggest.c) */
};


/* Column of word i of the current line; past the end, the keyword's. */
static inline int cur_col(const struct cfg *c, int i)
{
	if (c->cur.argc <= 0 || !c->cur.cols)
		return c->cur.col;
	return c->cur.cols[i >= 0 && i < c->cur.argc ? i : 0];
}

/* cfg_diag.c: counts a diagnostic (a mistake becomes an error or a warning), shows it. */
void cfg_report(struct cfg *c, enum cfg_sev sev, const char *file, int line, int col,
		const char *msg);
void cfg_vreport(struct cfg *c, enum cfg_sev sev, const char *file, int line, int col,
		 const char *fmt, va_list ap) __attribute__((format(printf, 6, 0)));
/* Shows d without counting it (the "more are not shown" line). */
void cfg_emit_diag(struct cfg *c, const struct cfg_diag *d);
/* The keyword a value of a belongs to: a free-form line's is its block's. */
const char *cfg_value_kw(const struct cfg *c, const struct cfg_args *a);
/* An error at a->file:a->line, at argument i's column when a is the line being handled. */
void cfg_error_value(struct cfg *c, const struct cfg_args *a, int i, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* cfg_suggest.c: the error for an unknown keyword w in frame f, with where it belongs or
 * what it may be a misspelling of. */
void cfg_report_unknown(struct cfg *c, const struct frame *f, const char *w);
/* Frees what cfg_report_unknown() keeps for one parse (c->far_seen). */
void cfg_suggest_free(struct cfg *c);
