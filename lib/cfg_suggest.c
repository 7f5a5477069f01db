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

/* Where every keyword of the tree is valid: for "it belongs in ..." and far suggestions. */
static void index_tree(struct cfg *c, const struct cfg_kw *tbl, const char *owner, unsigned depth)
{
	bool added;

	if (!tbl)
		return;
	list_add(cfg_map_put(&c->owners, tbl, "", &added), owner);
	if (!added || depth > 32)
		return;
	for (const struct cfg_kw *kw = tbl; kw->name; kw++) {
		list_add(cfg_map_put(&c->places, NULL, kw->name, &added), tbl);
		if (kw->block)
			index_tree(c, kw->block, kw->name, depth + 1);
	}
}

static void index_roots(struct cfg *c)
{
	if (c->tree_indexed)
		return;
	c->tree_indexed = true;
	for (size_t i = 0; i < c->n_roots; i++)
		index_tree(c, c->roots[i].kws, NULL, 0);
}

/*
 * The blocks where name is valid, as "in A or in B" / "at top level", into buf.
 * *top: the top level is its only place. false when name is nowhere in the tree.
 */
static bool places_of(struct cfg *c, const char *name, char *buf, size_t len, bool *top)
{
	struct cfg_map_ent *e = cfg_map_get(&c->places, NULL, name);
	const struct ptr_list *tbls = e ? e->val : NULL;
	const char *seen[8];
	size_t n = 0, at = 0, shown = 0;

	*top = false;
	buf[0] = '\0';
	for (size_t i = 0; tbls && i < tbls->n; i++) {
		const struct ptr_list *own = cfg_map_get(&c->owners, tbls->p[i], "")->val;

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
	if (places_of(c, w, where, sizeof(where), &top)) {
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
	for (size_t i = 0; i < c->places.cap; i++) {
		const char *k = c->places.v[i].key;
		unsigned d = k ? edit_distance(w, k, best - 1) : best;

		if (d < best) {
			best = d;
			hit = k;
		}
	}
	if (hit && places_of(c, hit, where, sizeof(where), &top))
		cfg_error(c, "unknown keyword '%.*s' %s; did you mean '%s' (valid %s)?", QW(w), ctx,
			  hit, where);
	else
		cfg_error(c, "unknown keyword '%.*s' %s", QW(w), ctx);
}

static void free_lists(struct cfg_map *m)
{
	for (size_t i = 0; i < m->cap; i++)
		if (m->v[i].key)
			free(m->v[i].val);
	cfg_map_free(m);
}

void cfg_suggest_free(struct cfg *c)
{
	free_lists(&c->places);
	free_lists(&c->owners);
}
