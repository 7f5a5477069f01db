/* SPDX-License-Identifier: GPL-2.0-or-later */
/* lib/sched_heap.h: the scheduler's deadline min-heap, ordered by (deadline, arming sequence). */
#pragma once
#include <stddef.h>
#include <stdint.h>

/*
 * Internal to the scheduler (lib/scheduler.c, lib/sched_ev.c). An intrusive binary min-heap: each element embeds a
 * struct sched_heap_node, in which the heap keeps the element's slot in ent[], so
 * sched_heap_remove() is O(log n) from anywhere; the owner gets from a node back to
 * its element with container_of(). Ordered by (at_us, seq): every sched_heap_set()
 * takes a fresh sequence number, so entries due at the same instant come out in the
 * order they were (re)armed.
 *
 * A zeroed struct sched_heap is empty. A node starts out of the heap:
 * `.idx = SCHED_HEAP_NONE`. Outside sched_heap.c the fields are read-only; ent[0]
 * is the earliest entry and ent[0 .. n) may be walked in any order (to free
 * everything).
 */
#define SCHED_HEAP_NONE	UINT32_MAX

struct sched_heap_node {
	uint32_t idx;		/* SCHED_HEAP_NONE when not in the heap */
};

/* Ordered by (at_us, seq): the sequence number makes ties fire in arming order. */
struct sched_heap_ent {
	uint64_t at_us;
	uint64_t seq;
	struct sched_heap_node *node;
};

struct sched_heap {
	struct sched_heap_ent *ent;
	uint32_t n, cap;
	uint64_t seq;		/* the next sequence number */
};

/* Arm or move node's deadline. A fresh sequence number: it now counts as armed last. */
void sched_heap_set(struct sched_heap *h, struct sched_heap_node *node, uint64_t at_us);
/* Takes node out of the heap; a node not in it is left alone. */
void sched_heap_remove(struct sched_heap *h, struct sched_heap_node *node);
/* Frees the array, not the elements: walk ent[] first to take care of them. */
void sched_heap_free(struct sched_heap *h);

/* The earliest entry, or NULL when the heap is empty. */
static inline const struct sched_heap_ent *sched_heap_top(const struct sched_heap *h)
{
	return h->n ? &h->ent[0] : NULL;
}
