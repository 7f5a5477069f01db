// SPDX-License-Identifier: GPL-2.0-or-later
/* lib/cfg_include.c: include lines: {a,b} and glob expansion, include loops, whole files. */
#include "cfg_include.h"

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "utils.h"

#define MAX_FILE		(64u << 20)	/* bytes in one config file */
#define MAX_BRACE_STEPS		256		/* {a,b} groups expanded for one include */

static void diag(const struct cfg_include_env *env, enum cfg_sev sev, const char *file, int line,
		 int col, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static void diag(const struct cfg_include_env *env, enum cfg_sev sev, const char *file, int line,
		 int col, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	env->diag(env->arg, sev, file, line, col, msg);
}

#define err_at(env, l, col, ...) \
	diag(env, CFG_SEV_ERROR, (l)->file, (l)->line, col, __VA_ARGS__)

static const struct {
	const char *name;
	unsigned checks;
} includes[] = {
	{ "include", 0 },
	{ "includer", CFG_INC_READABLE },
	{ "includem", CFG_INC_READABLE | CFG_INC_MATCH },
	{ "includew", CFG_INC_READABLE | CFG_INC_WILDCARD },
	{ "includeb", CFG_INC_READABLE | CFG_INC_BRACE },
	{ "includea", CFG_INC_ALL },
};

int cfg_include_keyword(const char *w)
{
	if (strncmp(w, "include", 7))
		return -1;
	for (size_t i = 0; i < ARRAY_SIZE(includes); i++)
		if (!strcmp(w, includes[i].name))
			return (int)includes[i].checks;
	return -1;
}

int cfg_include_slurp(const char *path, char **out, size_t *len, struct stat *st, bool *opened)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	size_t cap, n = 0;
	char *buf;
	int r = 0;

	*opened = fd >= 0;
	if (fd < 0)
		return -errno;
	if (fstat(fd, st) < 0) {
		r = -errno;
		goto out;
	}
	if (!S_ISREG(st->st_mode)) {
		r = S_ISDIR(st->st_mode) ? -EISDIR : -EINVAL;
		goto out;
	}
	/* st_size is only a hint: /proc files say 0, and the file may change under us */
	cap = st->st_size > 0 && (uint64_t)st->st_size < MAX_FILE ? (size_t)st->st_size + 1 : 4096;
	buf = xmalloc(cap);
	for (;;) {
		ssize_t got;

		if (n == cap) {
			if (cap >= MAX_FILE) {
				free(buf);
				r = -EFBIG;
				goto out;
			}
			cap *= 2;
			buf = xrealloc(buf, cap);
		}
		got = read(fd, buf + n, cap - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			r = -errno;
			free(buf);
			goto out;
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	*out = buf;
	*len = n;
out:
	close(fd);
	return r;
}

/* Is path's real location below root (opts->include_root)? One that does not resolve is
 * let through: opening it fails and says why. */
static bool below_root(const char *root, const char *path)
{
	char real[PATH_MAX];
	size_t n = strlen(root);

	if (!realpath(path, real))
		return true;
	return !strncmp(real, root, n) && (real[n] == '/' || (n && root[n - 1] == '/'));
}

static void include_file(const struct cfg_include_env *env, const char *kw, const char *path,
			 unsigned checks, const struct cfg_loc *l, int col)
{
	enum cfg_sev sev = checks & CFG_INC_READABLE ? CFG_SEV_ERROR : CFG_SEV_WARNING;
	struct stat st;
	size_t len = 0;
	char *buf = NULL;
	bool opened;
	int e;

	if (env->o->include_root && !below_root(env->o->include_root, path)) {
		err_at(env, l, col, "'%s': '%s' is outside %s; not read", kw, path,
		       env->o->include_root);
		return;
	}
	e = cfg_include_slurp(path, &buf, &len, &st, &opened);

	if (e == -ENOENT) {
		/* glob() saw it a moment ago (or it is a dangling symbolic link) */
		err_at(env, l, col, "'%s': cannot open '%s': %s", kw, path, strerror(-e));
		return;
	}
	if (e == -EISDIR || e == -EINVAL) {
		diag(env, sev, l->file, l->line, col, "'%s': '%s' is not a regular file; skipped",
		     kw, path);
		return;
	}
	if (e < 0) {
		/* a file that opens but cannot be read to its end is always an error */
		diag(env, opened ? CFG_SEV_ERROR : sev, l->file, l->line, col,
		     "'%s': cannot read '%s': %s", kw, path, strerror(-e));
		return;
	}
	for (const struct cfg_include_file *s = env->top; s; s = s->up) {
		const char *names[128];
		struct cfg_sbuf chain = { 0 };
		size_t n = 0;

		if (!s->has_id || s->dev != st.st_dev || s->ino != st.st_ino)
			continue;
		/* the cycle: s, the files it included down to the current one, then s again */
		for (const struct cfg_include_file *t = env->top;
		     t != s->up && n < ARRAY_SIZE(names); t = t->up)
			names[n++] = t->name;
		while (n-- > 0) {
			cfg_sb_add(&chain, names[n], strlen(names[n]));
			cfg_sb_add(&chain, " -> ", 4);
		}
		cfg_sb_add(&chain, path, strlen(path));
		err_at(env, l, col, "'%s': include loop: %s", kw, chain.s);
		free(chain.s);
		free(buf);
		return;
	}
	env->read(env->arg, path, buf, len, &st);
	free(buf);
}

/* Finds the '}' matching the '{' at p, or NULL. */
static const char *brace_close(const char *p)
{
	int depth = 0;

	for (; *p; p++) {
		if (*p == '\\' && p[1])
			p++;
		else if (*p == '{')
			depth++;
		else if (*p == '}' && --depth == 0)
			return p;
	}
	return NULL;
}

/*
 * csh brace expansion, as glob(GLOB_BRACE) does it, but term by term so that
 * each term can be checked (includeb). Iterative, with a work limit.
 */
static size_t brace_expand(const char *pat, char ***out, bool *too_many)
{
	char **todo = xmalloc(sizeof(*todo)), **res = NULL;
	size_t n_todo = 1, n_res = 0, steps = 0;

	todo[0] = xstrdup(pat);
	*too_many = false;
	while (n_todo) {
		char *t = todo[--n_todo];
		const char *open = NULL, *close = NULL;
		const char *alts[256];
		size_t n_alts = 0;

		for (const char *p = t; *p; p++) {
			if (*p == '\\' && p[1]) {
				p++;
			} else if (*p == '{' && (close = brace_close(p))) {
				open = p;
				break;
			}
		}
		if (!open || ++steps > MAX_BRACE_STEPS) {
			*too_many |= open != NULL;
			res = xrealloc(res, (n_res + 1) * sizeof(*res));
			res[n_res++] = t;
			continue;
		}
		alts[n_alts++] = open + 1;
		for (const char *p = open + 1, *e; p < close; p++) {
			if (*p == '\\' && p[1])
				p++;
			else if (*p == '{' && (e = brace_close(p)) && e < close)
				p = e;
			else if (*p == ',' && n_alts < ARRAY_SIZE(alts))
				alts[n_alts++] = p + 1;
			else if (*p == ',')
				*too_many = true;	/* the rest stay in the last one */
		}
		todo = xrealloc(todo, (n_todo + n_alts) * sizeof(*todo));
		/* pushed last first, so the first alternative comes out first */
		for (size_t i = n_alts; i-- > 0;) {
			const char *end = i + 1 < n_alts ? alts[i + 1] - 1 : close;

			todo[n_todo++] = xasprintf("%.*s%.*s%s", (int)(open - t), t,
						   (int)(end - alts[i]), alts[i], close + 1);
		}
		free(t);
	}
	free(todo);
	*out = res;
	return n_res;
}

void cfg_include_line(const struct cfg_include_env *env, const struct cfg_word *w, int n,
		      const struct cfg_loc *l, unsigned checks)
{
	unsigned max = env->o->max_depth;
	char **terms, *pattern, *kw;
	size_t n_terms;
	bool too_many;
	int col;

	if (n != 2) {
		err_at(env, l, n > 2 ? w[2].col : w[0].col,
		       "'%s' expects 1 argument (a file name or pattern), got %d", w[0].s, n - 1);
		return;
	}
	if (env->o->no_includes) {
		err_at(env, l, w[0].col, "'%s' is disabled here", w[0].s);
		return;
	}
	if (env->depth + 1 > max) {
		err_at(env, l, w[1].col, "'%s': includes nested more than %u deep", w[0].s, max);
		return;
	}
	checks |= env->checks | (env->o->includes_required ? CFG_INC_ALL : 0);
	pattern = w[1].s[0] == '/' ? xstrdup(w[1].s) : xasprintf("%s%s", env->top->prefix, w[1].s);
	n_terms = brace_expand(pattern, &terms, &too_many);
	if (too_many)
		err_at(env, l, w[1].col, "'%s': '%s' expands to too many names", w[0].s, w[1].s);
	kw = xstrdup(w[0].s);	/* w is overwritten by the included lines */
	col = w[1].col;

	for (size_t i = 0; i < n_terms; i++) {
		glob_t g;
		int gr = glob(terms[i], 0, NULL, &g);
		bool wild = strpbrk(terms[i], "*?[") != NULL;

		if (gr == GLOB_NOMATCH) {
			bool err = (checks & (wild ? CFG_INC_WILDCARD : CFG_INC_MATCH)) ||
				   ((checks & CFG_INC_BRACE) && n_terms > 1);

			if (!wild || err)
				diag(env, err ? CFG_SEV_ERROR : CFG_SEV_WARNING, l->file, l->line, col,
				     wild ? "'%s': no file matches '%s'" : "'%s': file '%s' not found",
				     kw, terms[i]);
		} else if (gr) {
			err_at(env, l, col, "'%s': cannot expand '%s'", kw, terms[i]);
		} else {
			for (size_t j = 0; j < g.gl_pathc; j++)
				include_file(env, kw, g.gl_pathv[j], checks, l, col);
		}
		if (gr != GLOB_NOMATCH)
			globfree(&g);
		free(terms[i]);
	}
	free(terms);
	free(pattern);
	free(kw);
}
