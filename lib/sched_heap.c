// SPDX-License-Identifier: GPL-2.0-or-later
/* lib/sched_heap.c: the scheduler's deadline min-heap, with O(log n) removal from anywhere. */
#include "sched_heap.h"

#include <stdbool.h>
#include <stdlib.h>

#include "utils.h"

static inline bool ent_lt(const struct sched_heap_ent *a, const struct sched_heap_ent *b)
{
	return a->at_us < b->at_us || (a->at_us == b->at_us && a->seq < b->seq);
}

static inline void heap_place(struct sched_heap *h, uint32_t i, const struct sched_heap_ent *e)
{
	h->ent[i] = *e;
	e->node->idx = i;
}

static void sift_up(struct sched_heap *h, uint32_t i, const struct sched_heap_ent *e)
{
	while (i > 0) {
		uint32_t p = (i - 1) / 2;

		if (!ent_lt(e, &h->ent[p]))
			break;
		heap_place(h, i, &h->ent[p]);
		i = p;
	}
	heap_place(h, i, e);
}

/*
 * Fill the hole at i with e. Floyd's trick: walk the hole down to a leaf along the
 * smaller children (one compare per level), then let e climb back. e comes from the
 * bottom and seldom climbs far, so this saves the compare against e at every level.
 */
static void sift_down(struct sched_heap *h, uint32_t i, const struct sched_heap_ent *e)
{
	uint32_t c, n = h->n;

	while ((c = 2 * i + 1) < n) {
		c += c + 1 < n && ent_lt(&h->ent[c + 1], &h->ent[c]);
		heap_place(h, i, &h->ent[c]);
		i = c;
	}
	sift_up(h, i, e);
}

/* Put entry e at slot i (a hole, or the entry being replaced) and restore the order. */
static void heap_fix(struct sched_heap *h, uint32_t i, const struct sched_heap_ent *e)
{
	if (i > 0 && ent_lt(e, &h->ent[(i - 1) / 2]))
		sift_up(h, i, e);
	else
		sift_down(h, i, e);
}

void sched_heap_remove(struct sched_heap *h, struct sched_heap_node *node)
{
	uint32_t i = node->idx;
	struct sched_heap_ent last;

	if (i == SCHED_HEAP_NONE)
		return;
	node->idx = SCHED_HEAP_NONE;
	last = h->ent[--h->n];
	if (i < h->n)
		heap_fix(h, i, &last);
}

void sched_heap_set(struct sched_heap *h, struct sched_heap_node *node, uint64_t at_us)
{
	struct sched_heap_ent e = { .at_us = at_us, .seq = h->seq++, .node = node };

	if (node->idx != SCHED_HEAP_NONE) {
		heap_fix(h, node->idx, &e);
		return;
	}
	if (h->n == h->cap) {
		h->cap = h->cap ? 2 * h->cap : 64;
		h->ent = xrealloc(h->ent, h->cap * sizeof(*h->ent));
	}
	sift_up(h, h->n++, &e);
}

void sched_heap_free(struct sched_heap *h)
{
	free(h->ent);
	*h = (struct sched_heap){ 0 };
}
