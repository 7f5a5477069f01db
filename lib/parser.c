// SPDX-License-Identifier: GPL-2.0-or-later
/* lib/parser.c: the keyword tree walk over the reader's lines, and the parse itself. */
#include "parser.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg_internal.h"
#include "cfg_reader.h"
#include "utils.h"

static void err_col(struct cfg *c, int col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void err_col(struct cfg *c, int col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cfg_vreport(c, CFG_SEV_ERROR, c->cur.file, c->cur.line, col, fmt, ap);
	va_end(ap);
}

const char *cfg_file(const struct cfg *c)
{
	return c->cur.file;
}

void *cfg_root_obj(const struct cfg *c, const struct cfg_kw *kws)
{
	for (size_t i = 0; i < c->n_roots; i++)
		if (c->roots[i].kws == kws)
			return c->roots[i].obj;
	return NULL;
}

int cfg_line(const struct cfg *c)
{
	return c->cur.line;
}

int cfg_col(const struct cfg *c, int i)
{
	return cur_col(c, i);
}

void cfg_set_include_check(struct cfg *c, unsigned checks)
{
	cfg_reader_set_include_check(c->rd, checks);
}

unsigned cfg_include_check(const struct cfg *c)
{
	return cfg_reader_include_check(c->rd);
}

void cfg_set_random_seed(struct cfg *c, unsigned seed)
{
	cfg_reader_set_random_seed(c->rd, seed);
}

/* ---- keyword tables ---- */

static const struct cfg_kw *lookup(struct cfg *c, const struct cfg_kw *tbl, const char *name)
{
	struct cfg_map_ent *e;
	bool added;

	if (!tbl || !*name)
		return NULL;
	if (!cfg_map_get(&c->kw_index, tbl, "")) {
		/* first use of this table: index it once, so a lookup costs one hash */
		cfg_map_put(&c->kw_index, tbl, "", &added);
		for (const struct cfg_kw *kw = tbl; kw->name; kw++) {
			e = cfg_map_put(&c->kw_index, tbl, kw->name, &added);
			if (added)
				e->val = (void *)kw;
		}
	}
	e = cfg_map_get(&c->kw_index, tbl, name);
	return e ? e->val : NULL;
}

static const struct cfg_kw *lookup_top(struct cfg *c, const char *name, void **obj)
{
	for (size_t i = 0; i < c->n_roots; i++) {
		const struct cfg_kw *kw = lookup(c, c->roots[i].kws, name);

		if (kw) {
			*obj = c->roots[i].obj;
			return kw;
		}
	}
	return NULL;
}

/* ---- the walk ---- */

static struct frame *top(struct cfg *c)
{
	return &c->fr[c->n_fr - 1];
}

static struct frame *push(struct cfg *c, enum frame_mode mode)
{
	struct frame *f;

	if (c->n_fr == c->cap_fr) {
		c->cap_fr = c->cap_fr ? c->cap_fr * 2 : 16;
		c->fr = xrealloc(c->fr, c->cap_fr * sizeof(*c->fr));
	}
	f = &c->fr[c->n_fr++];
	*f = (struct frame){ .mode = mode, .file = c->cur.file, .line = c->cur.line,
			     .col = cur_col(c, 0) };
	return f;
}

static void pop(struct cfg *c)
{
	free(top(c)->name);
	c->n_fr--;
}

/* Skips a block whose opening brace was just read: one frame, however deep it goes. */
static void push_skip(struct cfg *c)
{
	struct frame *f = push(c, F_SKIP);

	f->name = xstrdup(c->cur.argc > 0 ? c->cur.argv[0] : "{");
	f->skip = 1;
}

static void set_cur(struct cfg *c, const struct cfg_line *l, int i, int k)
{
	if ((size_t)k + 1 > c->cap_args) {
		c->cap_args = ((size_t)k + 1) * 2;
		c->argv = xrealloc(c->argv, c->cap_args * sizeof(*c->argv));
		c->cols = xrealloc(c->cols, c->cap_args * sizeof(*c->cols));
	}
	for (int j = 0; j < k; j++) {
		c->argv[j] = l->w[i + j].s;
		c->cols[j] = l->w[i + j].col;
	}
	c->argv[k] = NULL;
	c->cur.file = l->file;
	c->cur.line = l->line;
	c->cur.col = k ? c->cols[0] : l->w[i].col;
	c->cur.argc = k;
	c->cur.argv = c->argv;
	c->cur.cols = c->cols;
	c->cur.kwname = NULL;
}

static int call_fn(struct cfg *c, cfg_kw_fn *fn, void *obj, const char *name)
{
	struct cfg_args a = { c->cur.argc, c->cur.argv, c->cur.file, c->cur.line };
	unsigned before = c->n_err;
	int r = fn(c, obj, &a);

	/* a handler that fails silently must still fail the parse */
	if (r < 0 && c->n_err == before)
		cfg_error(c, "'%s' is invalid here (%s)", name, strerror(-r));
	return r;
}

static void call_close(struct cfg *c, const struct cfg_kw *kw, void *obj, const char *file,
		       int line, int col)
{
	struct cur saved = c->cur;
	unsigned before = c->n_err;

	/* errors from close() are about the block: they point at its keyword */
	c->cur.file = file;
	c->cur.line = line;
	c->cur.col = col;
	c->cur.argc = 0;
	c->cur.argv = NULL;
	c->cur.cols = NULL;
	if (kw->close(c, obj) < 0 && c->n_err == before)
		cfg_error(c, "block '%s' is invalid", kw->name);
	c->cur = saved;
}

static bool args_ok(struct cfg *c, const struct cfg_kw *kw)
{
	int n = c->cur.argc - 1, min = kw->args;
	int max = kw->max_args == CFG_ANY ? INT_MAX : kw->max_args ? kw->max_args : min;
	int col;

	if (max < min)
		max = min;
	if (n >= min && n <= max)
		return true;
	col = cur_col(c, n > max ? max + 1 : 0);
	if (min == max)
		err_col(c, col, "'%s' expects %d argument%s, got %d", kw->name, min,
			min == 1 ? "" : "s", n);
	else if (max == INT_MAX)
		err_col(c, col, "'%s' expects at least %d argument%s, got %d", kw->name, min,
			min == 1 ? "" : "s", n);
	else if (min == 0)
		err_col(c, col, "'%s' expects at most %d argument%s, got %d", kw->name, max,
			max == 1 ? "" : "s", n);
	else
		err_col(c, col, "'%s' expects %d to %d arguments, got %d", kw->name, min, max, n);
	return false;
}

static void open_block(struct cfg *c, const struct cfg_kw *kw, void *parent, int brace_col)
{
	unsigned depth = c->n_fr - 1 + cfg_reader_include_depth(c->rd);
	struct cfg_args a = { c->cur.argc, c->cur.argv, c->cur.file, c->cur.line };
	struct frame *f;
	void *obj = parent;

	if (depth >= c->o.max_depth) {
		err_col(c, brace_col, "blocks nested more than %u deep: this one is skipped",
			c->o.max_depth);
		push_skip(c);
		return;
	}
	if (kw->open && !(obj = kw->open(c, parent, &a))) {
		push_skip(c);
		return;
	}
	if (kw->fn)
		call_fn(c, kw->fn, obj, kw->name);
	f = push(c, kw->line ? F_LINES : F_KWS);
	f->kw = kw;
	f->obj = obj;
}

/* A block keyword without its block: an error, or an empty block if that is allowed. */
static void no_block(struct cfg *c, const struct cfg_kw *kw, void *parent)
{
	struct cfg_args a = { c->cur.argc, c->cur.argv, c->cur.file, c->cur.line };
	void *obj = parent;

	if (!(kw->flags & CFG_KW_BLOCK_OPTIONAL)) {
		cfg_error(c, "'%s' expects a block: '{' is missing", kw->name);
		return;
	}
	if (kw->open && !(obj = kw->open(c, parent, &a)))
		return;
	if (kw->fn)
		call_fn(c, kw->fn, obj, kw->name);
	if (kw->close)
		call_close(c, kw, obj, c->cur.file, c->cur.line, cur_col(c, 0));
}

static void set_pending(struct cfg *c, int kind, const struct cfg_kw *kw, void *obj)
{
	struct pending *p = &c->pend;

	*p = (struct pending){ .kind = kind, .kw = kw, .obj = obj, .argc = c->cur.argc,
			       .file = c->cur.file, .line = c->cur.line };
	p->argv = xcalloc((size_t)p->argc + 1, sizeof(*p->argv));
	p->cols = xcalloc((size_t)p->argc + 1, sizeof(*p->cols));
	for (int i = 0; i < p->argc; i++) {
		p->argv[i] = xstrdup(c->cur.argv[i]);
		p->cols[i] = c->cur.cols[i];
	}
}

/* The line after a block keyword ended its own: is it the '{'? Returns words used. */
static int resolve_pending(struct cfg *c, const struct cfg_line *l)
{
	struct pending p = c->pend;
	bool brace = l && l->w[0].brace && l->w[0].s[0] == '{';

	c->pend.kind = P_NONE;
	c->cur.file = p.file;
	c->cur.line = p.line;
	c->cur.col = p.cols[0];
	c->cur.argc = p.argc;
	c->cur.argv = p.argv;
	c->cur.cols = p.cols;
	c->cur.kwname = NULL;
	if (p.kind == P_BLOCK && brace)
		open_block(c, p.kw, p.obj, l->w[0].col);
	else if (p.kind == P_BLOCK)
		no_block(c, p.kw, p.obj);
	else if (brace)
		push_skip(c);
	for (int i = 0; i < p.argc; i++)
		free(p.argv[i]);
	free(p.argv);
	free(p.cols);
	c->cur.argc = 0;
	c->cur.argv = NULL;
	c->cur.cols = NULL;
	return brace;
}

/* Inside a block not acted on yet, whose keyword was warned about: its keywords are not. */
static bool in_not_yet_block(const struct cfg *c)
{
	for (unsigned i = 0; i < c->n_fr; i++)
		if (c->fr[i].kw && c->fr[i].kw->acted == CFG_NOT_YET)
			return true;
	return false;
}

static void warn_flags(struct cfg *c, const struct cfg_kw *kw)
{
	bool added;

	/* keepalived's -t fails on most deprecated keywords */
	if (kw->flags & CFG_KW_DEPRECATED) {
		enum cfg_sev sev = kw->flags & CFG_KW_DEPRECATED_OK ? CFG_SEV_WARNING :
				   CFG_SEV_MISTAKE;

		if (kw->alias)
			cfg_report_at(c, sev, c->cur.file, c->cur.line, cur_col(c, 0),
				  "'%s' is deprecated: use '%s' instead", kw->name, kw->alias);
		else
			cfg_report_at(c, sev, c->cur.file, c->cur.line, cur_col(c, 0),
				  "'%s' is deprecated", kw->name);
	}
	if (kw->acted == CFG_NOT_YET && !in_not_yet_block(c)) {
		cfg_map_put(&c->warned, NULL, kw->name, &added);
		if (added)
			cfg_warn(c, "'%s' is not acted on yet: it is parsed and ignored", kw->name);
	}
}

/* A known keyword on the current line; next: the brace after its words, if any.
 * Returns true when it used that brace. */
static bool keyword(struct cfg *c, const struct cfg_kw *kw, void *obj, const struct cfg_word *next)
{
	bool ok = args_ok(c, kw), brace = next && next->s[0] == '{';

	warn_flags(c, kw);
	if (!kw->block && !kw->line) {
		if (ok && kw->fn)
			call_fn(c, kw->fn, obj, kw->name);
		if (brace) {
			err_col(c, next->col, "'%s' takes no block", kw->name);
			push_skip(c);
		}
		return brace;
	}
	if (brace) {
		if (ok)
			open_block(c, kw, obj, next->col);
		else
			push_skip(c);	/* its lines would only repeat the error */
	} else if (!next) {
		set_pending(c, ok ? P_BLOCK : P_SKIP, kw, obj);
	} else if (ok) {
		no_block(c, kw, obj);
	}
	return brace;
}

static bool unknown(struct cfg *c, const struct frame *f, const struct cfg_word *next)
{
	bool brace = next && next->s[0] == '{';

	if (f->mode != F_TOP || !c->o.skip_unknown_top)
		cfg_report_unknown(c, f, c->cur.argv[0]);
	/* a block after it is skipped whole: its lines would each be an error */
	if (brace)
		push_skip(c);
	else if (!next)
		set_pending(c, P_SKIP, NULL, NULL);
	return brace;
}

/* Words [i, i + k) of l, up to a brace or the end. Returns true when it used next. */
static bool statement(struct cfg *c, const struct cfg_line *l, int i, int k,
		      const struct cfg_word *next)
{
	struct frame *f = top(c);
	const struct cfg_kw *kw;
	void *obj = f->obj;

	if (f->mode == F_SKIP)
		return false;
	set_cur(c, l, i, k);
	if (f->mode == F_LINES) {
		if ((kw = lookup(c, f->kw->block, c->argv[0])))
			return keyword(c, kw, f->obj, next);
		c->cur.kwname = f->kw->name;
		call_fn(c, f->kw->line, f->obj, f->kw->name);
		if (next && next->s[0] == '{') {
			err_col(c, next->col, "unexpected '{' in '%s'", f->kw->name);
			push_skip(c);
			return true;
		}
		return false;
	}
	kw = f->mode == F_TOP ? lookup_top(c, c->argv[0], &obj) : lookup(c, f->kw->block, c->argv[0]);
	return kw ? keyword(c, kw, obj, next) : unknown(c, f, next);
}

static void close_block(struct cfg *c, const struct cfg_word *w)
{
	struct frame f = *top(c);

	if (f.mode == F_TOP) {
		err_col(c, w->col, "unexpected '}': no block is open");
		return;
	}
	if (f.mode == F_SKIP) {
		if (--top(c)->skip == 0)
			pop(c);
		return;
	}
	c->n_fr--;
	if (f.kw->close)
		call_close(c, f.kw, f.obj, f.file, f.line, f.col);
}

static void on_line(void *arg, const struct cfg_line *l)
{
	struct cfg *c = arg;
	int i = 0;

	c->cur.file = l->file;
	c->cur.line = l->line;
	c->cur.argc = 0;
	if (c->pend.kind != P_NONE)
		i = resolve_pending(c, l);
	while (i < l->n) {
		const struct cfg_word *w = &l->w[i];
		int j = i;

		c->cur.file = l->file;
		c->cur.line = l->line;
		c->cur.argc = 0;
		c->cur.col = w->col;
		if (w->brace) {
			if (top(c)->mode == F_SKIP && w->s[0] == '{') {
				top(c)->skip++;
			} else if (w->s[0] == '}') {
				close_block(c, w);
			} else {
				err_col(c, w->col, "unexpected '{'");
				push_skip(c);
			}
			i++;
			continue;
		}
		while (j < l->n && !l->w[j].brace)
			j++;
		i = j + statement(c, l, i, j - i, j < l->n ? &l->w[j] : NULL);
	}
}

static void on_diag(void *arg, enum cfg_sev sev, const char *file, int line, int col,
		    const char *msg)
{
	cfg_report(arg, sev, file, line, col, msg);
}

static unsigned on_depth(void *arg)
{
	struct cfg *c = arg;

	return c->n_fr - 1;
}

/* ---- parse ---- */

static void cfg_init(struct cfg *c, const struct cfg_root *roots, size_t n_roots,
		     const struct cfg_opts *o)
{
	struct cfg_reader_cbs cb = { on_line, on_diag, on_depth, c };

	*c = (struct cfg){ .roots = roots, .n_roots = n_roots };
	if (o)
		c->o = *o;
	if (!c->o.max_depth)
		c->o.max_depth = 64;
	c->rd = cfg_reader_new(&c->o, &cb);
	push(c, F_TOP);
}

static int cfg_done(struct cfg *c, bool read_ok, unsigned *n_errors, unsigned *n_warnings)
{
	if (read_ok) {
		if (c->pend.kind != P_NONE)
			resolve_pending(c, NULL);
		if (c->n_fr > 1) {
			const struct frame *f = &c->fr[1];

			char more[64] = "";

			/* only the outermost: a '}' is missing somewhere inside it */
			if (c->n_fr == 3)
				snprintf(more, sizeof(more), " (nor is the block inside it)");
			else if (c->n_fr > 3)
				snprintf(more, sizeof(more), " (nor are the %u blocks inside it)",
					 c->n_fr - 2);
			cfg_report_at(c, CFG_SEV_ERROR, f->file, f->line, f->col,
				  "block '%.*s' opened here is not closed%s",
				  QW(f->kw ? f->kw->name : f->name), more);
		}
		while (c->n_fr > 1)
			pop(c);
		for (size_t i = 0; i < c->n_roots; i++) {
			unsigned before = c->n_err;

			if (!c->roots[i].finish)
				continue;
			c->cur.file = cfg_reader_main(c->rd);
			c->cur.line = 0;
			c->cur.col = 0;
			c->cur.argc = 0;
			if (c->roots[i].finish(c, c->roots[i].obj) < 0 && c->n_err == before)
				cfg_error(c, "the configuration is invalid");
		}
	}
	if (c->n_hidden) {
		char msg[96];

		snprintf(msg, sizeof(msg), "%u more errors and warnings are not shown", c->n_hidden);
		cfg_emit_diag(c, &(struct cfg_diag){
			.sev = c->n_err ? CFG_SEV_ERROR : CFG_SEV_WARNING,
			.file = cfg_reader_main(c->rd), .msg = msg });
	}
	while (c->n_fr > 0)
		pop(c);
	if (n_errors)
		*n_errors = c->n_err;
	if (n_warnings)
		*n_warnings = c->n_warn;
	free(c->fr);
	free(c->argv);
	free(c->cols);
	cfg_map_free(&c->kw_index);
	cfg_map_free(&c->warned);
	cfg_suggest_free(c);
	cfg_reader_free(c->rd);
	if (!read_ok)
		return -ENOENT;
	return c->n_err ? -EINVAL : 0;
}

int cfg_parse_file(const char *path, const struct cfg_root *roots, size_t n_roots,
		   const struct cfg_opts *o, unsigned *n_errors, unsigned *n_warnings)
{
	struct cfg c;

	cfg_init(&c, roots, n_roots, o);
	return cfg_done(&c, cfg_reader_file(c.rd, path) == 0, n_errors, n_warnings);
}

int cfg_parse_buf(const char *name, const char *buf, size_t len, const struct cfg_root *roots,
		  size_t n_roots, const struct cfg_opts *o, unsigned *n_errors, unsigned *n_warnings)
{
	struct cfg c;

	cfg_init(&c, roots, n_roots, o);
	cfg_reader_buf(c.rd, name ? name : "<buffer>", buf, len);
	return cfg_done(&c, true, n_errors, n_warnings);
}
