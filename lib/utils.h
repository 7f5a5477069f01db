/* SPDX-License-Identifier: GPL-2.0-or-later */
/* lib/utils.h: allocation that cannot fail, time, strings, addresses. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include <sys/socket.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define container_of(ptr, type, member) ((type *)((char *)(ptr) - offsetof(type, member)))

/* These log and exit(1) when memory runs out; allocate at config/start time. */
void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * Zeroed memory of its own (an anonymous mapping, whole pages) whose pages cost no
 * memory until first written: for a large buffer of which only a part is used, where
 * calloc would hand out (and clear) heap pages. Free with xunmap(p, n), the same n.
 */
void *xmap_zeroed(size_t n);
void xunmap(void *p, size_t n);	/* NULL is fine */

uint64_t mono_now_us(void);	/* CLOCK_MONOTONIC in µs */

/* An address as the config and logs see it. */
struct inet_addr {
	sa_family_t family;	/* AF_INET or AF_INET6 */
	union {
		struct in_addr v4;
		struct in6_addr v6;
	};
};
/* "10.0.0.1" or "fe80::1" (no prefix, no port); true on success. */
bool inet_addr_parse(const char *s, struct inet_addr *out);
/* The first address getaddrinfo() gives for a host name: 0, or -1 when there is none. */
int inet_addr_resolve(const char *name, struct inet_addr *out);
/* Writes into buf (INET6_ADDRSTRLEN bytes at least) and returns buf. */
const char *inet_addr_str(const struct inet_addr *a, char *buf, size_t len);
bool inet_addr_eq(const struct inet_addr *a, const struct inet_addr *b);

/* Levenshtein distance, capped: returns cap + 1 as soon as it is exceeded. */
unsigned edit_distance(const char *a, const char *b, unsigned cap);
