// SPDX-License-Identifier: GPL-2.0-or-later
/* lib/cfg_reader.c: keepalived.conf lines: files, includes, comments, @id, words. */
#include "cfg_reader.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cfg_expand.h"
#include "cfg_include.h"
#include "utils.h"

#define MAX_LINE		65536u		/* bytes in one line, read or expanded */
#define MAX_BAD_LINES		20		/* lines of garbage before a file is given up */

struct src {
	struct cfg_include_file f;	/* name, include prefix, identity; f.up: the includer */
	const char *pwd;	/* interned: absolute directory, for ${_PWD} */
	const char *buf;
	size_t len, pos;
	int line;
	unsigned n_bad;
	unsigned saved_inc_check;
};

struct cfg_reader {
	struct cfg_opts o;
	char config_id[256];
	struct cfg_reader_cbs cb;
	struct src *src;
	unsigned n_inc;		/* includes open now; the main file is 0 */
	unsigned n_included;	/* files includes have read, for opts->max_includes */
	struct cfg_map names;	/* interned strings, owned */
	const char *main;
	unsigned inc_check;
	struct cfg_expand *ex;	/* $NAME definitions, expansion, ~SEQ/~LST */
	const struct cfg_loc *inc_loc;	/* the include line being carried out */
	char *wbuf;		/* words of the current logical line */
	size_t wbuf_cap;
	struct cfg_word *words;
	size_t words_cap;
};

/* ---- hash map ---- */

static uint64_t map_hash(const void *tag, const char *key)
{
	uint64_t h = 1469598103934665603ull ^ ((uint64_t)(uintptr_t)tag * 0x9e3779b97f4a7c15ull);

	for (; *key; key++) {
		h ^= (unsigned char)*key;
		h *= 1099511628211ull;
	}
	return h;
}

static struct cfg_map_ent *map_find(const struct cfg_map *m, const void *tag, const char *key,
				    uint64_t h)
{
	size_t i = h & (m->cap - 1);

	for (; m->v[i].key; i = (i + 1) & (m->cap - 1))
		if (m->v[i].hash == h && m->v[i].tag == tag && !strcmp(m->v[i].key, key))
			return &m->v[i];
	return &m->v[i];
}

struct cfg_map_ent *cfg_map_get(const struct cfg_map *m, const void *tag, const char *key)
{
	struct cfg_map_ent *e;

	if (!m->cap)
		return NULL;
	e = map_find(m, tag, key, map_hash(tag, key));
	return e->key ? e : NULL;
}

struct cfg_map_ent *cfg_map_put(struct cfg_map *m, const void *tag, const char *key, bool *added)
{
	uint64_t h = map_hash(tag, key);
	struct cfg_map_ent *e;

	if ((m->n + 1) * 4 > m->cap * 3) {
		struct cfg_map old = *m;

		m->cap = old.cap ? old.cap * 2 : 16;
		m->v = xcalloc(m->cap, sizeof(*m->v));
		for (size_t i = 0; i < old.cap; i++)
			if (old.v[i].key)
				*map_find(m, old.v[i].tag, old.v[i].key, old.v[i].hash) = old.v[i];
		free(old.v);
	}
	e = map_find(m, tag, key, h);
	*added = !e->key;
	if (!e->key) {
		*e = (struct cfg_map_ent){ .tag = tag, .key = key, .hash = h };
		m->n++;
	}
	return e;
}

void cfg_map_free(struct cfg_map *m)
{
	free(m->v);
	*m = (struct cfg_map){ 0 };
}

/* ---- small helpers ---- */

static void diag(struct cfg_reader *r, enum cfg_sev sev, const char *file, int line, int col,
		 const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static void diag(struct cfg_reader *r, enum cfg_sev sev, const char *file, int line, int col,
		 const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	r->cb.diag(r->cb.arg, sev, file, line, col, msg);
}

#define err_at(r, l, col, ...)	diag(r, CFG_SEV_ERROR, (l)->file, (l)->line, col, __VA_ARGS__)

/* Passes on a diagnostic formatted elsewhere (cfg_expand, cfg_include). */
static void diag_cb(void *arg, enum cfg_sev sev, const char *file, int line, int col,
		    const char *msg)
{
	struct cfg_reader *r = arg;

	r->cb.diag(r->cb.arg, sev, file, line, col, msg);
}

static const char *intern(struct cfg_reader *r, const char *s)
{
	bool added;
	struct cfg_map_ent *e = cfg_map_put(&r->names, NULL, s, &added);

	if (added)
		e->key = e->val = xstrdup(s);
	return e->key;
}

/* cfg_col_of() for positions that only move forward: linear over a whole line. */
struct colc {
	const char *at;
	int n;
};

static int colc_get(const struct cfg_loc *l, struct colc *c, const char *s)
{
	c->n += cfg_n_chars(c->at, s);
	c->at = s;
	return l->exact ? l->col0 + c->n + 1 : 0;
}

/* Length of a valid UTF-8 sequence at s (2..4), or 0. */
static int utf8_len(const unsigned char *s)
{
	int n;
	unsigned cp;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	for (int i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* overlong forms, UTF-16 surrogates, beyond U+10FFFF */
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

/* One more line of garbage in the current file; past the limit the file is dropped. */
static void bad_line(struct cfg_reader *r, const struct cfg_loc *l)
{
	struct src *s = r->src;

	if (!s || ++s->n_bad < MAX_BAD_LINES)
		return;
	err_at(r, l, 0, "too many lines with unexpected characters: the rest of '%s' is skipped",
	       s->f.name);
	s->pos = s->len;
}

/* ---- words ---- */

/* Where a "${...}" reference starting at p ends (just past '}'), or NULL. */
static const char *ref_end(const char *p)
{
	const char *q = p + 2;

	if (!cfg_is_name1(*q))
		return NULL;
	while (cfg_is_name(*q))
		q++;
	if (*q == ' ' || *q == '\t')
		while (*q && *q != '}' && *q != '{' && *q != '\n')
			q++;
	return *q == '}' ? q + 1 : NULL;
}

/*
 * One escape inside double quotes, s at the backslash: the shell's list as
 * keepalived documents it. Any other \C is kept as it is, backslash included,
 * so regular expressions and script command lines reach their keyword intact.
 */
static const char *escape(struct cfg_reader *r, const struct cfg_loc *l, const char *text,
			  const char *s, char **o)
{
	static const char simple[] = "a\ab\bE\033e\033f\fn\nr\rt\tv\v\\\\\"\"''";
	const char *p = s + 1, *hit;
	unsigned v = 0;
	int n = 0;

	if (*p && (hit = strchr(simple, *p)) && (hit - simple) % 2 == 0) {
		v = (unsigned char)hit[1];
		p++;
	} else if (*p >= '0' && *p <= '7') {
		for (; n < 3 && *p >= '0' && *p <= '7'; n++, p++)
			v = v * 8 + (unsigned)(*p - '0');
	} else if (*p == 'x' && p[1] && strchr("0123456789abcdefABCDEF", p[1])) {
		for (p++; n < 2 && *p && strchr("0123456789abcdefABCDEF", *p); n++, p++)
			v = v * 16 + (unsigned)(*p <= '9' ? *p - '0' : (*p | 0x20) - 'a' + 10);
	} else if (*p == 'c' && p[1] > 0x20 && p[1] < 0x7f && p[1] != '"') {
		/* not \c": the quote must close the string, as strip_comment() saw it */
		v = p[1] == '?' ? 0x7f : (unsigned)(p[1] & 0x1f);
		p += 2;
	} else {
		*(*o)++ = '\\';
		return p;
	}
	if ((v & 0xff) == 0) {
		err_at(r, l, cfg_col_of(l, text, s), "escape '%.*s' makes a NUL character; dropped",
		       (int)(p - s), s);
		return p;
	}
	*(*o)++ = (char)v;
	return p;
}

static void add_word(struct cfg_reader *r, int n, char *s, int col, bool brace)
{
	if ((size_t)n >= r->words_cap) {
		r->words_cap = r->words_cap ? r->words_cap * 2 : 16;
		r->words = xrealloc(r->words, r->words_cap * sizeof(*r->words));
	}
	r->words[n] = (struct cfg_word){ .s = s, .col = col, .brace = brace };
}

/*
 * Split text into r->words: whitespace separates words, '{' and '}' are words of
 * their own (as in keepalived, even inside a word), "..." and '...' quote, and
 * quoted parts join their neighbours as in the shell. Returns the number of
 * words, or -1 after reporting a character no config may hold.
 */
static int tokenize(struct cfg_reader *r, const char *text, const struct cfg_loc *l)
{
	size_t len = strlen(text);
	const char *s = text;
	struct colc cc = { text, 0 };
	bool inc = false;
	char *o;
	int n = 0;

	if (len * 2 + 2 > r->wbuf_cap) {
		r->wbuf_cap = len * 2 + 2;
		free(r->wbuf);
		r->wbuf = xmalloc(r->wbuf_cap);
	}
	o = r->wbuf;
	while (*(s = cfg_skip_ws(s))) {
		char *w = o;
		const char *qs = NULL;
		char q = 0;

		if ((*s == '{' || *s == '}') && !inc) {
			add_word(r, n++, o, colc_get(l, &cc, s), true);
			*o++ = *s++;
			*o++ = '\0';
			continue;
		}
		add_word(r, n, w, colc_get(l, &cc, s), false);
		while (*s && (q || (!cfg_is_ws(*s) && ((*s != '{' && *s != '}') || inc)))) {
			unsigned char ch = (unsigned char)*s;
			const char *e;
			int u;

			if (!q && ch == '$' && s[1] == '{' && (e = ref_end(s))) {
				/* an undefined ${NAME} stays as it is: its braces open no block */
				memcpy(o, s, (size_t)(e - s));
				o += e - s;
				s = e;
			} else if (q && ch == (unsigned char)q) {
				q = 0;
				s++;
			} else if (!q && (ch == '"' || ch == '\'')) {
				q = *s;
				qs = s++;
			} else if (q == '"' && ch == '\\' && s[1]) {
				s = escape(r, l, text, s, &o);
			} else if (!q && ch == '\\' && s[1] && strchr(" \t\"'\\#!{}", s[1])) {
				*o++ = s[1];
				s += 2;
			} else if (ch >= 0x80) {
				if (!(u = utf8_len((const unsigned char *)s))) {
					err_at(r, l, cfg_col_of(l, text, s),
					       "unexpected character 0x%02x (not UTF-8)", ch);
					bad_line(r, l);
					return -1;
				}
				memcpy(o, s, (size_t)u);
				o += u;
				s += u;
			} else if ((ch < 0x20 && ch != '\t' && ch != '\r') || ch == 0x7f) {
				err_at(r, l, cfg_col_of(l, text, s), "unexpected character 0x%02x",
				       ch);
				bad_line(r, l);
				return -1;
			} else {
				*o++ = *s++;
			}
		}
		if (q)
			err_at(r, l, cfg_col_of(l, text, qs), "missing closing %c quote", q);
		*o++ = '\0';
		/* include's pattern may hold csh braces: {a,b}.conf is one word */
		inc |= n == 0 && cfg_include_keyword(w) >= 0;
		n++;
	}
	return n;
}

/* ---- sources ---- */

static void read_src(struct cfg_reader *r, struct src *s);

/* "dir/" of a path ("" when it has none), and its absolute directory. */
static void path_dirs(struct cfg_reader *r, const char *path, const char **prefix,
		      const char **pwd)
{
	const char *slash = strrchr(path, '/');
	char *pre = xstrndup(path, slash ? (size_t)(slash - path) + 1 : 0), *abs, cwd[4096];

	*prefix = intern(r, pre);
	if (slash && path[0] == '/')
		abs = slash == path ? xstrdup("/") : xstrndup(path, (size_t)(slash - path));
	else if (!getcwd(cwd, sizeof(cwd)))
		abs = xstrdup(".");
	else if (slash)
		abs = xasprintf("%s/%.*s", cwd, (int)(slash - path), path);
	else
		abs = xstrdup(cwd);
	*pwd = intern(r, abs);
	free(abs);
	free(pre);
}

/* Reads one file or buffer as a new source on top of r->src. */
static void read_buf(struct cfg_reader *r, const char *name, const char *buf, size_t len,
		     const struct stat *st)
{
	struct src *up = r->src;
	struct src s = { .f = { .up = up ? &up->f : NULL, .name = intern(r, name) },
			 .buf = buf, .len = len, .saved_inc_check = r->inc_check };

	path_dirs(r, name, &s.f.prefix, &s.pwd);
	if (st) {
		s.f.has_id = true;
		s.f.dev = st->st_dev;
		s.f.ino = st->st_ino;
	}
	r->src = &s;
	read_src(r, &s);
	r->src = up;
	r->inc_check = s.saved_inc_check;
}

/* ---- includes ---- */

/* A file an include line names: an include is open while it is read. */
static void include_read_cb(void *arg, const char *path, const char *buf, size_t len,
			    const struct stat *st)
{
	struct cfg_reader *r = arg;

	if (r->o.max_includes && r->n_included >= r->o.max_includes) {
		err_at(r, r->inc_loc, 0, "'%s' not read: the limit of %u included files is reached",
		       path, r->o.max_includes);
		return;
	}
	if (!cfg_expand_charge(r->ex, len, r->inc_loc))
		return;
	r->n_included++;
	r->n_inc++;
	read_buf(r, path, buf, len, st);
	r->n_inc--;
}

/* An include line: cfg_include finds the files, include_read_cb() reads each one here. */
static void include_line(struct cfg_reader *r, int n, const struct cfg_loc *l, unsigned checks)
{
	struct cfg_include_env env = {
		.o = &r->o, .top = &r->src->f, .depth = r->n_inc + r->cb.depth(r->cb.arg),
		.checks = r->inc_check, .read = include_read_cb, .diag = diag_cb, .arg = r,
	};
	const struct cfg_loc *up = r->inc_loc;

	if (r->o.max_includes && r->n_included >= r->o.max_includes) {
		err_at(r, l, r->words[0].col, "'%s': the limit of %u included files is reached; "
		       "not read", r->words[0].s, r->o.max_includes);
		return;
	}
	r->inc_loc = l;
	cfg_include_line(&env, r->words, n, l, checks);
	r->inc_loc = up;
}

/* ---- logical lines ---- */

static void emit(struct cfg_reader *r, const char *t, const struct cfg_loc *l)
{
	struct cfg_line line;
	int n, checks;

	if (strlen(t) > MAX_LINE) {
		err_at(r, l, 0, "line longer than %u bytes after expansion; skipped", MAX_LINE);
		return;
	}
	if ((n = tokenize(r, t, l)) <= 0)
		return;
	if (!r->words[0].brace && (checks = cfg_include_keyword(r->words[0].s)) >= 0) {
		include_line(r, n, l, (unsigned)checks);
		return;
	}
	line = (struct cfg_line){ .n = n, .w = r->words, .file = l->file, .line = l->line };
	r->cb.line(r->cb.arg, &line);
}

/* A line after comments: @id, $NAME=, ~SEQ, expansion, then words or an include. */
static void process_line(struct cfg_reader *r, const char *t, const struct cfg_loc *l)
{
	const char *p = cfg_skip_ws(t);

	if (*p == '@') {
		const char *id = p + 1 + (p[1] == '^'), *e = id;

		while (*e && !cfg_is_ws(*e))
			e++;
		if (e == id) {
			err_at(r, l, cfg_col_of(l, t, p), "'%.*s' must be followed by a config id",
			       (int)(id - p), p);
			return;
		}
		if (((size_t)(e - id) == strlen(r->config_id) &&
		     !memcmp(id, r->config_id, (size_t)(e - id))) == (p[1] == '^'))
			return;
		p = cfg_skip_ws(e);
	}
	if (!*p || cfg_expand_line(r->ex, t, p, l))
		return;
	emit(r, p, &(struct cfg_loc){ l->file, l->line, l->col0 + cfg_n_chars(t, p), l->exact });
}

/* Cuts a '#' or '!' comment (outside quotes) and trailing blanks; returns the new length. */
static size_t strip_comment(char *t)
{
	char q = 0, *p = t, *end;

	for (; *p; p++) {
		if (q) {
			if (*p == q)
				q = 0;
			else if (q == '"' && *p == '\\' && p[1])
				p++;
		} else if (*p == '"' || *p == '\'') {
			q = *p;
		} else if (*p == '\\' && p[1]) {
			p++;
		} else if (*p == '#' || *p == '!') {
			break;
		}
	}
	for (end = p; end > t && cfg_is_ws(end[-1]); end--)
		;
	*end = '\0';
	return (size_t)(end - t);
}

/*
 * The next physical line of s into *text (NUL-terminated, comment cut).
 * Returns false at the end; lines too long or holding NUL bytes are reported
 * and given as empty.
 */
static bool next_line(struct cfg_reader *r, struct src *s, struct cfg_sbuf *text)
{
	const char *p = s->buf + s->pos, *nl, *nul;
	struct cfg_loc l;
	size_t n;

	if (s->pos >= s->len)
		return false;
	nl = memchr(p, '\n', s->len - s->pos);
	n = nl ? (size_t)(nl - p) : s->len - s->pos;
	s->pos += n + (nl != NULL);
	s->line++;
	l = (struct cfg_loc){ .file = s->f.name, .line = s->line };
	text->len = 0;
	cfg_sb_add(text, "", 0);
	if (n > MAX_LINE) {
		err_at(r, &l, 1, "line longer than %u bytes; skipped", MAX_LINE);
		return true;
	}
	if ((nul = memchr(p, '\0', n))) {
		err_at(r, &l, cfg_n_chars(p, nul) + 1, "unexpected character 0x00");
		bad_line(r, &l);
		return true;
	}
	cfg_sb_add(text, p, n);
	text->len = strip_comment(text->s);
	return true;
}

static void read_src(struct cfg_reader *r, struct src *s)
{
	struct cfg_sbuf text = { 0 }, more = { 0 };

	while (!cfg_expand_stopped(r->ex) && next_line(r, s, &text)) {
		struct cfg_loc l = { .file = s->f.name, .line = s->line, .exact = true };

		if (!text.len)
			continue;
		if (cfg_expand_multiline_def(text.s, text.len)) {
			/* gather the value: blank lines inside do not end it */
			text.s[--text.len] = '\0';
			while (next_line(r, s, &more)) {
				bool go_on = more.len && more.s[more.len - 1] == '\\';

				if (!more.len)
					continue;
				if (go_on)
					more.s[--more.len] = '\0';
				cfg_sb_add(&text, "\n", 1);
				cfg_sb_add(&text, more.s, more.len);
				if (text.len > CFG_EXPAND_MAX) {
					err_at(r, &l, 1, "definition longer than %u bytes; skipped",
					       CFG_EXPAND_MAX);
					text.s[0] = '\0';
				}
				if (!go_on || !text.s[0])
					break;
			}
		}
		process_line(r, text.s, &l);
	}
	free(text.s);
	free(more.s);
}

/* ---- public ---- */

static void expand_line_cb(void *arg, const char *t, const struct cfg_loc *l)
{
	process_line(arg, t, l);
}

static const char *expand_pwd_cb(void *arg)
{
	struct cfg_reader *r = arg;

	return r->src ? r->src->pwd : ".";
}

struct cfg_reader *cfg_reader_new(const struct cfg_opts *o, const struct cfg_reader_cbs *cb)
{
	struct cfg_reader *r = xcalloc(1, sizeof(*r));
	char *dot;

	r->o = *o;
	if (!r->o.max_depth)
		r->o.max_depth = 64;
	r->cb = *cb;
	if (o->config_id) {
		snprintf(r->config_id, sizeof(r->config_id), "%s", o->config_id);
	} else {
		if (gethostname(r->config_id, sizeof(r->config_id) - 1) < 0)
			r->config_id[0] = '\0';
		if ((dot = strchr(r->config_id, '.')))
			*dot = '\0';
	}
	r->ex = cfg_expand_new(r->config_id, o->max_expansion,
			       &(struct cfg_expand_cbs){ expand_line_cb, diag_cb,
							 expand_pwd_cb, r });
	return r;
}

void cfg_reader_free(struct cfg_reader *r)
{
	if (!r)
		return;
	cfg_expand_free(r->ex);
	for (size_t i = 0; i < r->names.cap; i++)
		free(r->names.v[i].val);
	cfg_map_free(&r->names);
	free(r->wbuf);
	free(r->words);
	free(r);
}

int cfg_reader_file(struct cfg_reader *r, const char *path)
{
	struct stat st;
	char *buf = NULL;
	size_t len = 0;
	bool opened;
	int e = cfg_include_slurp(path, &buf, &len, &st, &opened);

	r->main = intern(r, path);
	if (e < 0) {
		diag(r, CFG_SEV_ERROR, NULL, 0, 0, "cannot %s configuration file '%s': %s",
		     opened ? "read" : "open", path,
		     e == -EINVAL ? "not a regular file" : strerror(-e));
		return e;
	}
	read_buf(r, path, buf, len, &st);
	free(buf);
	return 0;
}

void cfg_reader_buf(struct cfg_reader *r, const char *name, const char *buf, size_t len)
{
	r->main = intern(r, name);
	read_buf(r, name, buf, len, NULL);
}

unsigned cfg_reader_include_depth(const struct cfg_reader *r)
{
	return r->n_inc;
}

const char *cfg_reader_main(const struct cfg_reader *r)
{
	return r->main;
}

void cfg_reader_set_include_check(struct cfg_reader *r, unsigned checks)
{
	r->inc_check = checks & CFG_INC_ALL;
}

unsigned cfg_reader_include_check(const struct cfg_reader *r)
{
	return r->inc_check;
}

void cfg_reader_set_random_seed(struct cfg_reader *r, uint64_t seed)
{
	cfg_expand_set_random_seed(r->ex, seed);
}
