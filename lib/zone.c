// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * lib/zone.c: chunks of ZONE_CHUNK bytes, mapped at a multiple of their size, so an
 * object's chunk is its address rounded down. Each chunk starts with its counts; each
 * object is preceded by an 8-byte word, its size << 1 (bit 0 set: a large object that
 * came from the heap). Objects are handed out one after the other (no reuse of a freed
 * one's space): a chunk is unmapped when its last object goes, or started afresh if it is
 * the current one.
 *
 * Under AddressSanitizer, what is not a live object (a freed one, the padding, the unused
 * rest of a chunk) is poisoned, so a use after free or an overflow is reported as in the
 * heap; a chunk is unpoisoned before it is unmapped (its addresses may be mapped again).
 */
#include "zone.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "utils.h"

#if defined(__SANITIZE_ADDRESS__)
#define ZONE_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ZONE_ASAN 1
#endif
#endif
#ifdef ZONE_ASAN
#include <sanitizer/asan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

#define ZONE_CHUNK (64 * 1024)
#define ZONE_FIRST 8			/* the first object's header: after the counts */

struct zone_chunk {
	uint32_t used;			/* bytes handed out, counts included */
	uint32_t live;			/* objects not freed */
};

static struct zone_chunk *cur;		/* where objects are made */
static unsigned n_chunks;

static size_t span(size_t size)		/* header + object, keeping objects 16-aligned */
{
	return (8 + size + 15) & ~(size_t)15;
}

static uint64_t *hdr_of(void *p)
{
	return (uint64_t *)p - 1;
}

static struct zone_chunk *chunk_of(void *p)
{
	return (struct zone_chunk *)((uintptr_t)p & ~(uintptr_t)(ZONE_CHUNK - 1));
}

/* ZONE_CHUNK bytes at a multiple of ZONE_CHUNK: twice as much mapped, the rest unmapped. */
static struct zone_chunk *chunk_new(void)
{
	char *m = mmap(NULL, 2 * ZONE_CHUNK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);
	char *c;

	if (m == MAP_FAILED)
		return NULL;
	c = (char *)(((uintptr_t)m + ZONE_CHUNK - 1) & ~(uintptr_t)(ZONE_CHUNK - 1));
	if (c > m)
		munmap(m, (size_t)(c - m));
	munmap(c + ZONE_CHUNK, (size_t)(m + 2 * ZONE_CHUNK - (c + ZONE_CHUNK)));
	POISON(c + ZONE_FIRST, ZONE_CHUNK - ZONE_FIRST);
	n_chunks++;
	return (struct zone_chunk *)c;
}

static void chunk_free(struct zone_chunk *c)
{
	UNPOISON(c, ZONE_CHUNK);
	munmap(c, ZONE_CHUNK);
	n_chunks--;
}

static void *from_heap(size_t size)
{
	uint64_t *h = xcalloc(1, 16 + size);

	h[1] = (uint64_t)size << 1 | 1;
	return h + 2;
}

void *zone_calloc(size_t size)
{
	size_t need = span(size);
	struct zone_chunk *c;
	uint64_t *h;

	if (need > ZONE_CHUNK - ZONE_FIRST)
		return from_heap(size);
	if (!cur || cur->used + need > ZONE_CHUNK) {
		if (!(c = chunk_new()))
			return from_heap(size);
		if (cur && !cur->live)
			chunk_free(cur);
		cur = c;
		cur->used = ZONE_FIRST;
		cur->live = 0;
	}
	h = (uint64_t *)((char *)cur + cur->used);
	UNPOISON(h, 8 + size);
	memset(h, 0, 8 + size);
	*h = (uint64_t)size << 1;
	cur->used += (uint32_t)need;
	cur->live++;
	return h + 1;
}

void zone_free(void *p)
{
	struct zone_chunk *c;

	if (!p)
		return;
	if (*hdr_of(p) & 1) {
		free((char *)p - 16);
		return;
	}
	POISON(p, (size_t)(*hdr_of(p) >> 1));
	c = chunk_of(p);
	if (--c->live)
		return;
	if (c == cur) {
		c->used = ZONE_FIRST;	/* empty: made again from its start */
		POISON((char *)c + ZONE_FIRST, ZONE_CHUNK - ZONE_FIRST);
	} else
		chunk_free(c);
}

void *zone_realloc(void *p, size_t size)
{
	size_t old;
	void *q;

	if (!p)
		return zone_calloc(size);
	old = (size_t)(*hdr_of(p) >> 1);
	if (!(*hdr_of(p) & 1) && chunk_of(p) == cur &&
	    (char *)p - 8 + span(old) == (char *)cur + cur->used &&
	    cur->used - span(old) + span(size) <= ZONE_CHUNK) {
		/* the last object made: it grows (or shrinks) where it is */
		cur->used = (uint32_t)(cur->used - span(old) + span(size));
		if (size > old) {
			UNPOISON((char *)p + old, size - old);
			memset((char *)p + old, 0, size - old);
		} else {
			POISON((char *)p + size, old - size);
		}
		*hdr_of(p) = (uint64_t)size << 1;
		return p;
	}
	q = zone_calloc(size);
	memcpy(q, p, old < size ? old : size);
	zone_free(p);
	return q;
}

unsigned zone_n_chunks(void)
{
	return n_chunks;
}
