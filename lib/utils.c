// SPDX-License-Identifier: GPL-2.0-or-later
/* lib/utils.c: allocation that cannot fail, time, addresses, edit distance. */
#include "utils.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "log.h"

static void *oom(size_t n)
{
	fatal("out of memory allocating %zu bytes", n);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	return p ? p : oom(n);
}

void *xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

	return p ? p : oom(nmemb * size);
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	return q ? q : oom(n);
}

void *xmap_zeroed(size_t n)
{
	void *p = mmap(NULL, n ? n : 1, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p != MAP_FAILED ? p : oom(n);
}

void xunmap(void *p, size_t n)
{
	if (p)
		munmap(p, n ? n : 1);
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = strndup(s, n);

	return p ? p : oom(n + 1);
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;
	int r;

	va_start(ap, fmt);
	r = vasprintf(&p, fmt, ap);
	va_end(ap);
	return r < 0 ? oom(strlen(fmt)) : p;
}

uint64_t mono_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

bool inet_addr_parse(const char *s, struct inet_addr *out)
{
	struct inet_addr a = { 0 };

	if (inet_pton(AF_INET, s, &a.v4) == 1)
		a.family = AF_INET;
	else if (inet_pton(AF_INET6, s, &a.v6) == 1)
		a.family = AF_INET6;
	else
		return false;
	*out = a;
	return true;
}

int inet_addr_resolve(const char *name, struct inet_addr *out)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res;
	struct inet_addr a = { 0 };

	if (getaddrinfo(name, NULL, &hints, &res) != 0)
		return -1;
	a.family = res->ai_family;
	if (res->ai_family == AF_INET)
		a.v4 = ((struct sockaddr_in *)res->ai_addr)->sin_addr;
	else
		a.v6 = ((struct sockaddr_in6 *)res->ai_addr)->sin6_addr;
	freeaddrinfo(res);
	*out = a;
	return 0;
}

const char *inet_addr_str(const struct inet_addr *a, char *buf, size_t len)
{
	if (!inet_ntop(a->family, a->family == AF_INET ? (const void *)&a->v4 : (const void *)&a->v6,
		       buf, len))
		snprintf(buf, len, "?");
	return buf;
}

bool inet_addr_eq(const struct inet_addr *a, const struct inet_addr *b)
{
	if (a->family != b->family)
		return false;
	return a->family == AF_INET ? a->v4.s_addr == b->v4.s_addr
				    : !memcmp(&a->v6, &b->v6, sizeof(a->v6));
}

unsigned edit_distance(const char *a, const char *b, unsigned cap)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned row[64];
	/* Only cells within band of the diagonal can stay within cap (a distance is at most 63
	 * here); the ones just outside it hold over = "more than band". */
	size_t band = cap < ARRAY_SIZE(row) ? cap : ARRAY_SIZE(row) - 1;
	unsigned over = (unsigned)band + 1;

	if (la >= ARRAY_SIZE(row) || lb >= ARRAY_SIZE(row))
		return cap + 1;
	if ((la > lb ? la - lb : lb - la) > cap)
		return cap + 1;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j <= band ? (unsigned)j : over;
	for (size_t i = 1; i <= la; i++) {
		size_t lo = i > band ? i - band : 1, hi = i + band < lb ? i + band : lb;
		unsigned diag = row[lo - 1];	/* (i - 1, lo - 1) */
		unsigned left = lo == 1 && i <= band ? (unsigned)i : over;	/* (i, lo - 1) */
		unsigned best = left;

		row[lo - 1] = left;
		for (size_t j = lo; j <= hi; j++) {
			unsigned up = row[j];	/* (i - 1, j): over where j = i + band */
			unsigned v = diag + (a[i - 1] != b[j - 1]);

			if (up + 1 < v)
				v = up + 1;
			if (left + 1 < v)
				v = left + 1;
			if (v > over)
				v = over;
			row[j] = left = v;
			diag = up;
			if (v < best)
				best = v;
		}
		if (best > cap)
			return cap + 1;
	}
	return row[lb] > cap ? cap + 1 : row[lb];
}
