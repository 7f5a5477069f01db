/* SPDX-License-Identifier: GPL-2.0-or-later */
/* lib/zone.h: small objects kept out of the heap, in page-aligned chunks of their own. */
#pragma once
#include <stddef.h>

/*
 * For objects that are made together and die together while long-lived ones are made in
 * between (a config's, parsed again on each reload): in the heap they leave holes among
 * the long-lived objects when they go, pages that stay resident; here a chunk goes back to
 * the kernel when its last object is freed. Memory is zeroed and 16-byte aligned; like
 * xcalloc, these log and exit when memory runs out. One process, one thread.
 */
void *zone_calloc(size_t size);
/* p NULL: zone_calloc. Grows in place when p is the last object made; new bytes zeroed. */
void *zone_realloc(void *p, size_t size);
void zone_free(void *p);		/* NULL is fine */
unsigned zone_n_chunks(void);		/* chunks mapped now (tests, diagnostics) */
