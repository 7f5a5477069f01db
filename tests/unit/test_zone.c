// SPDX-License-Identifier: GPL-2.0-or-later
/* tests/unit/test_zone.c: lib/zone.c: objects apart from the heap, chunks given back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "zone.h"

#if defined(__SANITIZE_ADDRESS__)
#define TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TEST_ASAN 1
#endif
#endif
#ifdef TEST_ASAN
#include <sanitizer/asan_interface.h>
#endif

#define N 3000			/* objects of 120 bytes: about 6 chunks of 64 KB */

static bool all_zero(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

/* Every object is 16-aligned, zeroed (also where a freed one was), and apart from the others. */
static void test_aligned_zeroed_apart(void **state)
{
	static unsigned char *p[200];

	(void)state;
	for (int round = 0; round < 2; round++) {
		for (size_t i = 0; i < 200; i++) {
			p[i] = zone_calloc(i + 1);
			assert_int_equal((uintptr_t)p[i] % 16, 0);
			assert_true(all_zero(p[i], i + 1));
			memset(p[i], (int)(i + 1), i + 1);
		}
		for (size_t i = 0; i < 200; i++)
			for (size_t k = 0; k <= i; k++)
				assert_int_equal(p[i][k], (unsigned char)(i + 1));
		for (size_t i = 0; i < 200; i++)
			zone_free(p[i]);	/* the chunk is made again from its start */
	}
	zone_free(NULL);
}

/* A chunk goes back to the kernel when its last object goes, in whatever order. */
static void test_chunks_given_back(void **state)
{
	static void *p[N];
	unsigned base = zone_n_chunks(), peak;

	(void)state;
	for (size_t i = 0; i < N; i++)
		p[i] = zone_calloc(120);
	peak = zone_n_chunks();
	assert_in_range(peak - base, N * 128 / 65536, N * 128 / 65536 + 2);
	for (size_t i = 0; i < N; i += 2)	/* every other one: no chunk is empty yet */
		zone_free(p[i]);
	assert_int_equal(zone_n_chunks(), peak);
	for (size_t i = N; i-- > 0;)
		if (i % 2)
			zone_free(p[i]);
	assert_in_range(zone_n_chunks(), 0, base + 1);	/* the current one may stay */
}

/*
 * The reload pattern: a config of N objects made while the previous one lives, then the
 * previous one freed, again and again: the chunks mapped stay those of two configs at most.
 */
static void test_alternating_configs_bounded(void **state)
{
	static void *a[N], *b[N];
	void **old = a, **cur = b;

	(void)state;
	for (size_t i = 0; i < N; i++)
		old[i] = zone_calloc(96 + i % 64);
	for (int r = 0; r < 50; r++) {
		void **t;

		for (size_t i = 0; i < N; i++)
			cur[i] = zone_calloc(96 + (i + (size_t)r) % 64);
		for (size_t i = 0; i < N; i++)
			zone_free(old[i]);
		assert_in_range(zone_n_chunks(), 1, N * 176 / 65536 + 3);
		t = old;
		old = cur;
		cur = t;
	}
	for (size_t i = 0; i < N; i++)
		zone_free(old[i]);
	assert_in_range(zone_n_chunks(), 0, 1);
}

/* The last object made grows where it is; another one moves, its content kept; new bytes 0. */
static void test_grow_in_place(void **state)
{
	unsigned char *p, *q, *r;

	(void)state;
	p = zone_realloc(NULL, 10);
	memset(p, 0xab, 10);
	q = zone_realloc(p, 1000);
	assert_ptr_equal(q, p);
	assert_int_equal(q[9], 0xab);
	assert_true(all_zero(q + 10, 990));
	memset(q, 0xcd, 1000);
	r = zone_calloc(8);		/* q is no longer the last one */
	p = zone_realloc(q, 2000);
	assert_ptr_not_equal(p, q);
	assert_int_equal(p[0], 0xcd);
	assert_int_equal(p[999], 0xcd);
	assert_true(all_zero(p + 1000, 1000));
	p = zone_realloc(p, 4);		/* shrinks */
	assert_int_equal(p[3], 0xcd);
	zone_free(p);
	zone_free(r);
}

/* Larger than a chunk: from the heap, freed and grown like the others. */
static void test_large(void **state)
{
	unsigned base = zone_n_chunks();
	unsigned char *p = zone_calloc(200000);

	(void)state;
	assert_int_equal((uintptr_t)p % 16, 0);
	assert_true(all_zero(p, 200000));
	assert_int_equal(zone_n_chunks(), base);
	p[199999] = 7;
	p = zone_realloc(p, 300000);
	assert_int_equal(p[199999], 7);
	assert_true(all_zero(p + 200000, 100000));
	p = zone_realloc(p, 16);	/* back into a chunk */
	zone_free(p);
}

/*
 * Under AddressSanitizer a freed object, the padding after an object and the rest of a
 * chunk are poisoned (a use after free is reported as in the heap); live bytes are not.
 */
static void test_asan_poison(void **state)
{
#ifdef TEST_ASAN
	unsigned char *a, *b;

	(void)state;
	a = zone_calloc(36);		/* 8 + 36 bytes in a span of 48: 4 of padding */
	b = zone_calloc(24);
	assert_false(__asan_region_is_poisoned(a, 36));
	assert_false(__asan_region_is_poisoned(b, 24));
	assert_true(__asan_address_is_poisoned(a + 36));	/* padding */
	assert_true(__asan_address_is_poisoned(b + 24 + 8));	/* the chunk's unused rest */
	zone_free(a);
	assert_true(__asan_address_is_poisoned(a));
	assert_true(__asan_address_is_poisoned(a + 35));
	assert_false(__asan_region_is_poisoned(b, 24));
	b = zone_realloc(b, 8);		/* the last one made: shrinks in place */
	assert_true(__asan_address_is_poisoned(b + 8));
	b = zone_realloc(b, 32);
	assert_false(__asan_region_is_poisoned(b, 32));
	zone_free(b);
#else
	(void)state;
	skip();
#endif
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_aligned_zeroed_apart),
		cmocka_unit_test(test_chunks_given_back),
		cmocka_unit_test(test_alternating_configs_bounded),
		cmocka_unit_test(test_grow_in_place),
		cmocka_unit_test(test_large),
		cmocka_unit_test(test_asan_poison),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
