// SPDX-License-Identifier: GPL-2.0-or-later
/* lib/cfg_expand.c: keepalived.conf parameters: $NAME definitions and expansion, ~SEQ/~LST. */
#include "cfg_expand.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cfg_reader.h"
#include "utils.h"

/*
 * Nested substitutions and ~SEQ/~LST, counted across the includes they open (a file
 * included from inside a ~SEQ goes on at its depth): stops $X=$X, and bounds the stack
 * with the include limit (opts->max_depth): each level is a few KiB of frames.
 */
#define MAX_EXPAND_DEPTH	32
#define MAX_EXPANSION		(256ull << 20)	/* default of opts->max_expansion */
#define RANDOM_MAX		32767

struct cfg_expand {
	struct cfg_expand_cbs cb;
	char *config_id;	/* for ${_INSTANCE} */
	struct cfg_map defs;	/* $NAME: key and value owned; value NULL when undefined */
	uint64_t rng;
	uint64_t max_bytes;	/* opts->max_expansion, or its default */
	uint64_t work;		/* bytes expansion may still produce: ~SEQ(A, 1e9) must end */
	bool stopped;		/* work ran out: the rest of the configuration is skipped */
	unsigned depth;		/* expansion nesting of the current line, includes too */
};

/* ---- small helpers ---- */

static void diag(struct cfg_expand *ex, enum cfg_sev sev, const char *file, int line, int col,
		 const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static void diag(struct cfg_expand *ex, enum cfg_sev sev, const char *file, int line, int col,
		 const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ex->cb.diag(ex->cb.arg, sev, file, line, col, msg);
}

#define err_at(ex, l, col, ...)	diag(ex, CFG_SEV_ERROR, (l)->file, (l)->line, col, __VA_ARGS__)
#define warn_at(ex, l, col, ...) \
	diag(ex, CFG_SEV_WARNING, (l)->file, (l)->line, col, __VA_ARGS__)

void cfg_sb_add(struct cfg_sbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->s = xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

/* ---- definitions, ~SEQ, ~LST ---- */

/* Counts n bytes of expansion; false once the parse's allowance is spent. */
static bool charge(struct cfg_expand *ex, size_t n, const struct cfg_loc *l)
{
	if (ex->stopped)
		return false;
	if (n <= ex->work) {
		ex->work -= n;
		return true;
	}
	ex->stopped = true;
	err_at(ex, l, 0, "parameters, ~SEQ, ~LST and includes expand to more than %llu bytes: "
	       "the rest of the configuration is skipped", (unsigned long long)ex->max_bytes);
	return false;
}

static const char *def_get(struct cfg_expand *ex, const char *name)
{
	struct cfg_map_ent *e = cfg_map_get(&ex->defs, NULL, name);

	return e ? e->val : NULL;
}

static void def_set(struct cfg_expand *ex, const char *name, const char *value)
{
	bool added;
	struct cfg_map_ent *e = cfg_map_put(&ex->defs, NULL, name, &added);

	if (added)
		e->key = xstrdup(name);
	free(e->val);
	e->val = value ? xstrdup(value) : NULL;
}

static uint64_t rng_next(struct cfg_expand *ex)
{
	/* xorshift64*: enough for picking numbers in a config template */
	ex->rng ^= ex->rng >> 12;
	ex->rng ^= ex->rng << 25;
	ex->rng ^= ex->rng >> 27;
	return ex->rng * 2685821657736338717ull;
}

static const char *const predefined[] = { "_PWD", "_INSTANCE", "_RANDOM", "_ENV", "_HASH",
					  "_BANG", NULL };

/*
 * The value of a predefined name with its arguments (after a space inside
 * ${...}), or NULL when it is not one or its arguments are wrong (reported).
 */
static const char *predef(struct cfg_expand *ex, const char *name, const char *args,
			  const struct cfg_loc *l, int col, char *tmp, size_t tmp_len)
{
	if (!strcmp(name, "_RANDOM")) {
		/* 64 bits whatever long is: the span MAX - MIN + 1 of two 32-bit limits is
		 * never 0, so the modulo below cannot divide by zero (with a 32-bit long,
		 * ${_RANDOM 0 4294967295} made it 0) */
		uint64_t lim[2] = { 0, RANDOM_MAX };
		char *end;
		int n = 0;

		for (const char *p = cfg_skip_ws(args); *p && n < 3; p = cfg_skip_ws(end), n++) {
			errno = 0;
			if (n == 2 || *p < '0' || *p > '9' ||
			    (lim[n] = strtoull(p, &end, 10)) > UINT32_MAX || errno ||
			    (*end && !cfg_is_ws(*end))) {
				err_at(ex, l, col,
				       "'${_RANDOM%s%s}' expects [MIN [MAX]] (integers from 0)",
				       *args ? " " : "", args);
				return NULL;
			}
		}
		if (lim[0] > lim[1]) {
			err_at(ex, l, col, "'${_RANDOM %s}': MIN is above MAX", args);
			return NULL;
		}
		snprintf(tmp, tmp_len, "%llu",
			 (unsigned long long)(lim[0] + rng_next(ex) % (lim[1] - lim[0] + 1)));
		return tmp;
	}
	if (!strcmp(name, "_ENV")) {
		const char *v;

		if (!*args)
			return NULL;
		v = getenv(args);
		return v ? v : "";
	}
	if (*args)
		return NULL;
	if (!strcmp(name, "_PWD"))
		return ex->cb.pwd(ex->cb.arg);
	if (!strcmp(name, "_INSTANCE"))
		return ex->config_id;
	if (!strcmp(name, "_HASH"))
		return "#";
	if (!strcmp(name, "_BANG"))
		return "!";
	return NULL;
}

static bool is_predefined(const char *name)
{
	for (int i = 0; predefined[i]; i++)
		if (!strcmp(name, predefined[i]))
			return true;
	return false;
}

/*
 * One pass of $NAME / ${NAME} substitution over t (values are inserted as
 * they are, and rescanned by the caller's next pass). Returns true when the
 * line was dealt with (expanded and processed, or an error reported).
 */
static bool expand(struct cfg_expand *ex, const char *t, const struct cfg_loc *l)
{
	struct cfg_sbuf out = { 0 };
	bool changed = false, multi = false;
	const char *p = t, *lit = t;

	while ((p = strchr(p, '$'))) {
		bool braced = p[1] == '{';
		const char *n0 = p + 1 + braced, *n1 = n0, *a0 = n0, *a1 = n0, *end, *val = NULL;
		char nm[128], args[256], tmp[32];

		if (!cfg_is_name1(*n0)) {
			p++;
			continue;
		}
		while (cfg_is_name(*n1))
			n1++;
		end = n1;
		if (braced) {
			/* ${NAME} or ${NAME ARGS}: the predefined ones take arguments */
			if (*end == ' ' || *end == '\t') {
				a0 = cfg_skip_ws(end);
				for (end = a0; *end && *end != '}' && *end != '\n'; end++)
					;
				for (a1 = end; a1 > a0 && cfg_is_ws(a1[-1]); a1--)
					;
			}
			if (*end++ != '}') {
				p++;
				continue;
			}
		} else if (*end && !cfg_is_ws(*end) && *end != '\n') {
			/* $NAME without braces only when a space or the end follows */
			p = end;
			continue;
		}
		if ((size_t)(n1 - n0) >= sizeof(nm) || (size_t)(a1 - a0) >= sizeof(args)) {
			p = end;
			continue;
		}
		memcpy(nm, n0, (size_t)(n1 - n0));
		nm[n1 - n0] = '\0';
		memcpy(args, a0, (size_t)(a1 - a0));
		args[a1 - a0] = '\0';
		if (is_predefined(nm))
			val = predef(ex, nm, args, l, cfg_col_of(l, t, p), tmp, sizeof(tmp));
		else if (!args[0])
			val = def_get(ex, nm);
		if (!val) {
			p = end;
			continue;
		}
		cfg_sb_add(&out, lit, (size_t)(p - lit));
		cfg_sb_add(&out, val, strlen(val));
		lit = p = end;
		changed = true;
		multi |= strchr(val, '\n') != NULL;
		if (out.len > CFG_EXPAND_MAX) {
			err_at(ex, l, cfg_col_of(l, t, t), "parameter expansion makes this line "
			       "longer than %u bytes", CFG_EXPAND_MAX);
			free(out.s);
			return true;
		}
	}
	if (!changed)
		return false;
	cfg_sb_add(&out, lit, strlen(lit));
	if (!charge(ex, out.len + 1, l)) {
		free(out.s);
		return true;
	}
	if (++ex->depth > MAX_EXPAND_DEPTH) {
		err_at(ex, l, cfg_col_of(l, t, t), "parameters expanded more than %d levels deep "
		       "(does a definition refer to itself?)", MAX_EXPAND_DEPTH);
	} else if (multi) {
		/* a multi-line definition: its lines are taken one by one, so that a
		 * $NAME=... among them applies to the lines after it */
		struct cfg_loc ml = *l;
		char *line = out.s, *nl;

		ml.exact = false;
		for (; line; line = nl) {
			if ((nl = strchr(line, '\n')))
				*nl++ = '\0';
			ex->cb.line(ex->cb.arg, line, &ml);
		}
	} else {
		ex->cb.line(ex->cb.arg, out.s, l);
	}
	ex->depth--;
	free(out.s);
	return true;
}

/* $NAME=value at p: defines it and returns true; false when p is not a definition. */
static bool definition(struct cfg_expand *ex, const char *t, const char *p, const struct cfg_loc *l)
{
	const char *e = p + 1, *v, *ve;
	char *name;

	if (!cfg_is_name1(*e))
		return false;
	while (cfg_is_name(*e))
		e++;
	if (*e != '=')
		return false;
	name = xstrndup(p + 1, (size_t)(e - p - 1));
	for (v = e + 1; cfg_is_ws(*v) || *v == '\n'; v++)
		;
	for (ve = v + strlen(v); ve > v && (cfg_is_ws(ve[-1]) || ve[-1] == '\n'); ve--)
		;
	if (is_predefined(name)) {
		warn_at(ex, l, cfg_col_of(l, t, p),
			"'$%s' is predefined: this definition is ignored", name);
	} else {
		char *val = xstrndup(v, (size_t)(ve - v));

		def_set(ex, name, val);
		free(val);
	}
	free(name);
	return true;
}

/* Splits "a, {b, c}, d" at commas outside braces; the parts are trimmed in place. */
static int split_list(char *s, char **parts, int max)
{
	int n = 0, depth = 0;
	char *start = s, *a, *b;
	bool last;

	for (;; s++) {
		if (*s == '{')
			depth++;
		else if (*s == '}')
			depth--;
		if (*s && (*s != ',' || depth > 0))
			continue;
		if (n == max)
			return -1;
		last = !*s;
		for (a = start; cfg_is_ws(*a); a++)
			;
		for (b = s; b > a && cfg_is_ws(b[-1]); b--)
			;
		*b = '\0';
		parts[n++] = a;
		if (last)
			return n;
		start = s + 1;
	}
}

/* The names or values of one ~LST item: "X" or "{X, Y}". */
static int lst_item(char *s, char **out, int max)
{
	size_t n = strlen(s);

	if (*s != '{')
		return (out[0] = s, 1);
	if (n < 2 || s[n - 1] != '}')
		return -1;
	s[n - 1] = '\0';
	return split_list(s + 1, out, max);
}

static bool parse_num(const char *s, bool hex, long long *v)
{
	char *end;

	errno = 0;
	/* base 0, as keepalived: 0x10 is hex, and 010 octal */
	*v = strtoll(s, &end, 0);
	return *s && !*end && !errno && (!hex || *v >= 0) && *v > -(1ll << 53) && *v < (1ll << 53);
}

#define MAX_LST 64

/* ~SEQ(...), ~SEQx(...) or ~LST(...) at p. false when p is none of them. */
static bool repeat(struct cfg_expand *ex, const char *t, const char *p, const struct cfg_loc *l)
{
	bool hex = !strncmp(p, "~SEQx(", 6), seq = hex || !strncmp(p, "~SEQ(", 5);
	const char *open = strchr(p, '('), *close = NULL, *rest;
	char *spec, *parts[4], *names[MAX_LST];
	char *saved[MAX_LST] = { 0 };
	int n_names = 0, n = 0, col = cfg_col_of(l, t, p);
	struct cfg_loc rl = *l;

	if (!seq && strncmp(p, "~LST(", 5))
		return false;
	for (int depth = 0, i = 0; open[i]; i++) {
		depth += (open[i] == '(') - (open[i] == ')');
		if (!depth) {
			close = open + i;
			break;
		}
	}
	if (!close) {
		err_at(ex, l, col, "'%.4s' is missing its ')'", p);
		return true;
	}
	spec = xstrndup(open + 1, (size_t)(close - open - 1));
	rest = cfg_skip_ws(close + 1);
	rl.col0 = l->col0 + cfg_n_chars(t, rest);
	if (++ex->depth > MAX_EXPAND_DEPTH) {
		err_at(ex, l, col, "'~SEQ' and '~LST' nested more than %d deep", MAX_EXPAND_DEPTH);
		goto out;
	}
	if (seq) {
		long long v[3], start, step, end;

		n = split_list(spec, parts, 4);
		if (n < 2 || !cfg_is_name1(*parts[0]) ||
		    strspn(parts[0], "abcdefghijklmnopqrstuvwxyz"
			   "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != strlen(parts[0])) {
			err_at(ex, l, col, "'%s' expects (VAR, [START,] [STEP,] END)",
			       hex ? "~SEQx" : "~SEQ");
			goto out;
		}
		for (int i = 1; i < n; i++) {
			if (!parse_num(parts[i], hex, &v[i - 1])) {
				err_at(ex, l, col, "'%s': '%s' is not a%s number",
				       hex ? "~SEQx" : "~SEQ", parts[i],
				       hex ? " non-negative" : "");
				goto out;
			}
		}
		end = v[n - 2];
		start = n >= 3 ? v[0] : end < 0 ? -1 : 1;
		step = n == 4 ? v[1] : end < start ? -1 : 1;
		if (!step) {
			err_at(ex, l, col, "'%s': the step is 0", hex ? "~SEQx" : "~SEQ");
			goto out;
		}
		names[0] = parts[0];
		n_names = 1;
		saved[0] = def_get(ex, names[0]) ? xstrdup(def_get(ex, names[0])) : NULL;
		for (long long x = start; (step > 0 ? x <= end : x >= end) &&
		     charge(ex, strlen(rest) + 1, l); x += step) {
			char buf[32];

			snprintf(buf, sizeof(buf), hex ? "%llx" : "%lld", x);
			def_set(ex, names[0], buf);
			ex->cb.line(ex->cb.arg, rest, &rl);
		}
	} else {
		char *items[MAX_LST * 4 + 1], **vals;
		int n_items = split_list(spec, items, ARRAY_SIZE(items));

		if (n_items < 2 || (n_names = lst_item(items[0], names, MAX_LST)) < 1) {
			err_at(ex, l, col, "'~LST' expects (VAR, VALUE, ...) or ({VAR, ...}, "
			       "{VALUE, ...}, ...)");
			n_names = 0;
			goto out;
		}
		for (int i = 0; i < n_names; i++) {
			if (!cfg_is_name1(*names[i])) {
				err_at(ex, l, col, "'~LST': '%s' is not a parameter name",
				       names[i]);
				n_names = 0;
				goto out;
			}
		}
		/* vals[(i - 1) * n_names + j]: value of names[j] in item i */
		vals = xcalloc((size_t)(n_items * n_names), sizeof(*vals));
		for (int i = 1; i < n_items; i++) {
			char *item = xstrdup(items[i]), *one[MAX_LST];
			bool ok = lst_item(items[i], one, MAX_LST) == n_names;

			if (ok)
				memcpy(vals + (i - 1) * n_names, one,
				       (size_t)n_names * sizeof(*one));
			else
				err_at(ex, l, col, "'~LST': '%s' does not give %d value%s", item,
				       n_names, n_names > 1 ? "s" : "");
			free(item);
			if (!ok) {
				n_names = 0;
				free(vals);
				goto out;
			}
		}
		for (int i = 0; i < n_names; i++)
			saved[i] = def_get(ex, names[i]) ? xstrdup(def_get(ex, names[i])) : NULL;
		for (int i = 1; i < n_items && charge(ex, strlen(rest) + 1, l); i++) {
			for (int j = 0; j < n_names; j++)
				def_set(ex, names[j], vals[(i - 1) * n_names + j]);
			ex->cb.line(ex->cb.arg, rest, &rl);
		}
		free(vals);
	}
	for (int i = 0; i < n_names; i++) {
		def_set(ex, names[i], saved[i]);
		free(saved[i]);
	}
out:
	ex->depth--;
	free(spec);
	return true;
}

/* ---- public ---- */

bool cfg_expand_line(struct cfg_expand *ex, const char *t, const char *p, const struct cfg_loc *l)
{
	if (*p == '$' && definition(ex, t, p, l))
		return true;
	if (*p == '~' && repeat(ex, t, p, l))
		return true;
	return strchr(p, '$') && expand(ex, p, &(struct cfg_loc){ l->file, l->line,
								 l->col0 + cfg_n_chars(t, p),
								 l->exact });
}

/* An @id before the definition is skipped here, as process_line() in cfg_reader.c does. */
bool cfg_expand_multiline_def(const char *t, size_t len)
{
	const char *p = cfg_skip_ws(t);

	if (!len || t[len - 1] != '\\')
		return false;
	if (*p == '@') {
		while (*p && !cfg_is_ws(*p))
			p++;
		p = cfg_skip_ws(p);
	}
	if (*p++ != '$' || !cfg_is_name1(*p))
		return false;
	while (cfg_is_name(*p))
		p++;
	return *p == '=';
}

struct cfg_expand *cfg_expand_new(const char *config_id, uint64_t max_bytes,
				  const struct cfg_expand_cbs *cb)
{
	struct cfg_expand *ex = xcalloc(1, sizeof(*ex));

	ex->cb = *cb;
	ex->config_id = xstrdup(config_id);
	ex->max_bytes = max_bytes ? max_bytes : MAX_EXPANSION;
	ex->work = ex->max_bytes;
	ex->rng = (mono_now_us() ^ ((uint64_t)getpid() << 32)) | 1;
	return ex;
}

void cfg_expand_free(struct cfg_expand *ex)
{
	if (!ex)
		return;
	for (size_t i = 0; i < ex->defs.cap; i++)
		if (ex->defs.v[i].key) {
			free((char *)ex->defs.v[i].key);
			free(ex->defs.v[i].val);
		}
	cfg_map_free(&ex->defs);
	free(ex->config_id);
	free(ex);
}

bool cfg_expand_charge(struct cfg_expand *ex, size_t n, const struct cfg_loc *l)
{
	return charge(ex, n, l);
}

bool cfg_expand_stopped(const struct cfg_expand *ex)
{
	return ex->stopped;
}

void cfg_expand_set_random_seed(struct cfg_expand *ex, uint64_t seed)
{
	ex->rng = seed * 0x9e3779b97f4a7c15ull | 1;
}
