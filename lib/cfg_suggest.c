// SPDX-License-Identifier: GPL-2.0-or-later
/* lib/cfg_suggest.c: unknown keywords: where in the tree a keyword is valid, and did you mean. */
#include "parser.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg_internal.h"
#include "utils.h"

struct ptr_list {
	size_t n;
	const void *p[];
};

/*
 * Where every keyword of the tree is valid. A pure function of the roots' tables: built by
 * the first unknown keyword of a parse, freed at its end, unless opts.keep_index keeps it
 * for the next parse with the same roots.
 */
static struct {
	const struct cfg_kw *roots[8];	/* the tables it was built from */
	size_t n_roots;
	bool built;
	struct cfg_map places;		/* name -> struct ptr_list of the tables holding it */
	struct cfg_map owners;		/* (table, "") -> struct ptr_list of the names opening it */
	/* every name, by length then name: the far "did you mean" looks only at names whose
	 * length is close enough */
	struct name {
		const char *s;
		size_t len;
	} *names;
	size_t n_names, cap_names;
} ix;

static void list_add(struct cfg_map_ent *e, const void *p)
{
	struct ptr_list *l = e->val;

	for (size_t i = 0; l && i < l->n; i++)
		if (l->p[i] == p)
			return;
	l = xrealloc(l, sizeof(*l) + ((l ? l->n : 0) + 1) * sizeof(l->p[0]));
	if (!e->val)
		l->n = 0;
	l->p[l->n++] = p;
	e->val = l;
}

/* Indexes table tbl, opened by keyword owner (NULL: a root), and the blocks below it. */
static void index_tree(const struct cfg_kw *tbl, const char *owner, unsigned depth)
{
	bool added;

	if (!tbl)
		return;
	list_add(cfg_map_put(&ix.owners, tbl, "", &added), owner);
	if (!added || depth > 32)
		return;
	for (const struct cfg_kw *kw = tbl; kw->name; kw++) {
		list_add(cfg_map_put(&ix.places, NULL, kw->name, &added), tbl);
		if (added && ix.n_names == ix.cap_names) {
			ix.cap_names = ix.cap_names ? 2 * ix.cap_names : 256;
			ix.names = xrealloc(ix.names, ix.cap_names * sizeof(*ix.names));
		}
		if (added)
			ix.names[ix.n_names++] = (struct name){ kw->name, strlen(kw->name) };
		if (kw->block)
			index_tree(kw->block, kw->name, depth + 1);
	}
}

static int by_len(const void *x, const void *y)
{
	const struct name *a = x, *b = y;

	return a->len != b->len ? (a->len < b->len ? -1 : 1) : strcmp(a->s, b->s);
}

static void free_lists(struct cfg_map *m)
{
	for (size_t i = 0; i < m->cap; i++)
		if (m->v[i].key)
			free(m->v[i].val);
	cfg_map_free(m);
}

static void free_index(void)
{
	free_lists(&ix.places);
	free_lists(&ix.owners);
	free(ix.names);
	memset(&ix, 0, sizeof(ix));
}

/* Makes ix the index of c's roots (more roots than ix holds: built for every parse). */
static void index_roots(const struct cfg *c)
{
	bool same = ix.built && ix.n_roots == c->n_roots;

	for (size_t i = 0; same && i < c->n_roots; i++)
		same = ix.roots[i] == c->roots[i].kws;
	if (same)
		return;
	free_index();
	ix.built = c->n_roots <= ARRAY_SIZE(ix.roots);
	ix.n_roots = ix.built ? c->n_roots : 0;
	for (size_t i = 0; i < c->n_roots; i++) {
		if (ix.built)
			ix.roots[i] = c->roots[i].kws;
		index_tree(c->roots[i].kws, NULL, 0);
	}
	if (ix.n_names)
		qsort(ix.names, ix.n_names, sizeof(*ix.names), by_len);
}

/*
 * The blocks where name is valid, as "in A or in B" / "at top level", into buf.
 * *top: the top level is its only place. false when name is nowhere in the tree.
 */
static bool places_of(const char *name, char *buf, size_t len, bool *top)
{
	struct cfg_map_ent *e = cfg_map_get(&ix.places, NULL, name);
	const struct ptr_list *tbls = e ? e->val : NULL;
	const char *seen[8];
	size_t n = 0, at = 0, shown = 0;

	*top = false;
	buf[0] = '\0';
	for (size_t i = 0; tbls && i < tbls->n; i++) {
		const struct ptr_list *own = cfg_map_get(&ix.owners, tbls->p[i], "")->val;

		for (size_t j = 0; j < own->n && n < ARRAY_SIZE(seen); j++) {
			const char *o = own->p[j];
			size_t k = 0;

			while (k < n && !(o ? seen[k] && !strcmp(seen[k], o) : !seen[k]))
				k++;
			if (k < n)
				continue;
			seen[n++] = o;
			*top |= !o;
			if (++shown <= 3 && at < len)
				at += (size_t)snprintf(buf + at, len - at, "%s%s%s", n > 1 ? " or " : "",
						       o ? "in " : "at top level", o ? o : "");
		}
	}
	if (shown > 3 && at < len)
		snprintf(buf + at, len - at, " or elsewhere");
	*top = *top && n == 1;
	return n > 0;
}

/* The closest name to w among tbl's (within *best edits); updates *best and *hit. */
static void closest(const struct cfg_kw *tbl, const char *w, unsigned *best, const char **hit)
{
	for (const struct cfg_kw *kw = tbl; kw && kw->name; kw++) {
		unsigned d = edit_distance(w, kw->name, *best - 1);

		if (d < *best) {
			*best = d;
			*hit = kw->name;
		}
	}
}

/*
 * The name of the tree closest to w (within best - 1 edits), or NULL. Only names whose
 * length is close enough can be: the first of them is found by halving ix.names. Once per
 * word and parse: a word is often unknown many times over (~SEQ, a block repeated).
 */
static const char *far_match(struct cfg *c, const char *w, unsigned best)
{
	size_t len = strlen(w), lo = 0, hi = ix.n_names;
	struct cfg_map_ent *e = cfg_map_get(&c->far_seen, NULL, w);
	const char *hit = NULL;
	bool added;

	if (e)
		return e->val;	/* searched before: the name, or NULL */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ix.names[mid].len + (best - 1) < len)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < ix.n_names && ix.names[i].len <= len + (best - 1); i++) {
		unsigned d = edit_distance(w, ix.names[i].s, best - 1);

		if (d < best) {
			best = d;
			hit = ix.names[i].s;
		}
	}
	e = cfg_map_put(&c->far_seen, NULL, xstrdup(w), &added);
	e->val = (void *)hit;
	return hit;
}

void cfg_report_unknown(struct cfg *c, const struct frame *f, const char *w)
{
	char ctx[128], where[256];
	unsigned best = strlen(w) <= 3 ? 2 : 3;	/* one more than the edits allowed */
	const char *hit = NULL;
	bool top;

	if (f->mode == F_TOP)
		snprintf(ctx, sizeof(ctx), "at top level");
	else
		snprintf(ctx, sizeof(ctx), "in %s", f->kw->name);
	index_roots(c);
	if (places_of(w, where, sizeof(where), &top)) {
		/* a top-level keyword inside a block: most often a '}' left out above */
		cfg_error(c, "'%.*s' is not valid %s (it belongs %s)%s", QW(w), ctx, where,
			  top && f->mode != F_TOP ? "; is a '}' missing before it?" : "");
		return;
	}
	if (f->mode == F_TOP)
		for (size_t i = 0; i < c->n_roots; i++)
			closest(c->roots[i].kws, w, &best, &hit);
	else
		closest(f->kw->block, w, &best, &hit);
	if (hit) {
		cfg_error(c, "unknown keyword '%.*s' %s; did you mean '%s'?", QW(w), ctx, hit);
		return;
	}
	/* not valid here: perhaps a misspelling of a keyword of another block */
	hit = far_match(c, w, best);
	if (hit && places_of(hit, where, sizeof(where), &top))
		cfg_error(c, "unknown keyword '%.*s' %s; did you mean '%s' (valid %s)?", QW(w), ctx,
			  hit, where);
	else
		cfg_error(c, "unknown keyword '%.*s' %s", QW(w), ctx);
}

void cfg_suggest_free(struct cfg *c)
{
	for (size_t i = 0; i < c->far_seen.cap; i++)
		free((char *)c->far_seen.v[i].key);
	cfg_map_free(&c->far_seen);
	if (!c->o.keep_index)
		free_index();
}
