// SPDX-License-Identifier: GPL-2.0-or-later
/* lib/cfg_values.c: the value helpers of parser.h (cfg_uint() ... cfg_enum()) and their errors. */
#include "parser.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cfg_internal.h"
#include "utils.h"

static int bad_value(struct cfg *c, const struct cfg_args *a, int i, const char *expect)
{
	if (i < a->argc)
		cfg_error_value(c, a, i, "'%s' expects %s, got '%.*s'", cfg_value_kw(c, a), expect,
				QW(a->argv[i]));
	else
		cfg_error_value(c, a, i, "'%s' expects %s, got nothing", cfg_value_kw(c, a), expect);
	return -EINVAL;
}

static bool is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

/* Decimal only (keepalived reads 010 as ten): an optional '-' when neg is allowed. */
static bool parse_dec(const char *s, bool neg, long long *v)
{
	bool minus = neg && *s == '-';
	unsigned long long u = 0;

	s += minus;
	if (!is_digit(*s))
		return false;
	for (; is_digit(*s); s++) {
		if (u > (ULLONG_MAX - 9) / 10)
			return false;
		u = u * 10 + (unsigned)(*s - '0');
	}
	if (*s || u > (unsigned long long)LLONG_MAX)
		return false;
	*v = minus ? -(long long)u : (long long)u;
	return true;
}

int cfg_uint(struct cfg *c, const struct cfg_args *a, int i, unsigned min, unsigned max,
	     unsigned *out)
{
	char expect[64];
	long long v;

	if (i < a->argc && parse_dec(a->argv[i], false, &v) && v >= min && v <= max) {
		*out = (unsigned)v;
		return 0;
	}
	snprintf(expect, sizeof(expect), "an integer between %u and %u", min, max);
	return bad_value(c, a, i, expect);
}

int cfg_int(struct cfg *c, const struct cfg_args *a, int i, int min, int max, int *out)
{
	char expect[64];
	long long v;

	if (i < a->argc && parse_dec(a->argv[i], true, &v) && v >= min && v <= max) {
		*out = (int)v;
		return 0;
	}
	snprintf(expect, sizeof(expect), "an integer between %d and %d", min, max);
	return bad_value(c, a, i, expect);
}

int cfg_bool(struct cfg *c, const struct cfg_args *a, int i, bool *out)
{
	static const char *const names[] = { "off", "on", "false", "true", "no", "yes" };

	if (i >= a->argc) {
		*out = true;
		return 0;
	}
	for (size_t k = 0; k < ARRAY_SIZE(names); k++)
		if (!strcasecmp(a->argv[i], names[k])) {
			*out = k & 1;
			return 0;
		}
	return bad_value(c, a, i, "on|off|true|false|yes|no");
}

/* µs as seconds, without trailing zeros: 2500000 -> "2.5". */
static void fmt_secs(uint64_t us, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%llu.%06llu", (unsigned long long)(us / 1000000),
			 (unsigned long long)(us % 1000000));

	while (n > 0 && (size_t)n < len && buf[n - 1] == '0')
		buf[--n] = '\0';
	if (n > 0 && (size_t)n < len && buf[n - 1] == '.')
		buf[n - 1] = '\0';
}

int cfg_timer_us(struct cfg *c, const struct cfg_args *a, int i, uint64_t min_us,
		 uint64_t max_us, uint64_t *out)
{
	char expect[128], lo[32], hi[32];
	const char *s = i < a->argc ? a->argv[i] : "";
	uint64_t sec = 0, frac = 0;
	int n_int = 0, n_frac = 0;
	bool ok;

	for (; is_digit(*s) && sec <= UINT64_MAX / 10000000; s++, n_int++)
		sec = sec * 10 + (uint64_t)(*s - '0');
	if (*s == '.') {
		/* beyond µs, digits are dropped: the resolution keepalived documents */
		for (s++; is_digit(*s); s++) {
			if (n_frac < 6)
				frac = frac * 10 + (uint64_t)(*s - '0');
			n_frac++;
		}
	}
	for (int k = n_frac; k < 6; k++)
		frac *= 10;
	ok = i < a->argc && !*s && (n_int || n_frac) && sec <= (UINT64_MAX - frac) / 1000000;
	if (ok && sec * 1000000 + frac >= min_us && sec * 1000000 + frac <= max_us) {
		*out = sec * 1000000 + frac;
		return 0;
	}
	fmt_secs(min_us, lo, sizeof(lo));
	fmt_secs(max_us, hi, sizeof(hi));
	if (max_us == UINT64_MAX)
		snprintf(expect, sizeof(expect), "a time in seconds of at least %s", lo);
	else
		snprintf(expect, sizeof(expect), "a time in seconds between %s and %s", lo, hi);
	return bad_value(c, a, i, expect);
}

int cfg_str(struct cfg *c, const struct cfg_args *a, int i, char **out)
{
	if (i >= a->argc)
		return bad_value(c, a, i, "a value");
	free(*out);
	*out = xstrdup(a->argv[i]);
	return 0;
}

int cfg_addr(struct cfg *c, const struct cfg_args *a, int i, struct inet_addr *out)
{
	if (i < a->argc && inet_addr_parse(a->argv[i], out))
		return 0;
	return bad_value(c, a, i, "an IPv4 or IPv6 address");
}

int cfg_host(struct cfg *c, const struct cfg_args *a, int i, struct inet_addr *out)
{
	int (*resolve)(const char *, struct inet_addr *) =
		c->o.resolve ? c->o.resolve : inet_addr_resolve;

	if (i < a->argc && (inet_addr_parse(a->argv[i], out) || !resolve(a->argv[i], out)))
		return 0;
	return bad_value(c, a, i, "an IP address or a host name that resolves");
}

int cfg_enum(struct cfg *c, const struct cfg_args *a, int i, const char *const names[], int *out)
{
	char expect[512] = "one of ";
	size_t at = strlen(expect);

	for (int k = 0; i < a->argc && names[k]; k++)
		if (!strcmp(a->argv[i], names[k])) {
			*out = k;
			return 0;
		}
	for (int k = 0; names[k] && at < sizeof(expect); k++)
		at += (size_t)snprintf(expect + at, sizeof(expect) - at, "%s%s", k ? "|" : "",
				       names[k]);
	return bad_value(c, a, i, expect);
}

int cfg_kw_flag(struct cfg *c, void *obj, const struct cfg_args *a)
{
	if (a->argc > 1)
		cfg_warn_arg(c, 1, "'%s' takes no argument: '%s' ignored", a->argv[0], a->argv[1]);
	return 0;
}

int cfg_kw_check_bool(struct cfg *c, void *obj, const struct cfg_args *a)
{
	bool b;

	return cfg_bool(c, a, 1, &b);
}

int cfg_kw_check_addr(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct inet_addr ia;

	return cfg_addr(c, a, 1, &ia);
}

int cfg_line_any(struct cfg *c, void *obj, const struct cfg_args *a)
{
	return 0;
}

void cfg_dump_word(FILE *f, const char *s)
{
	bool plain = *s != '\0';

	for (const char *p = s; *p && plain; p++)
		if (isspace((unsigned char)*p) || strchr("\"'#!{}\\", *p))
			plain = false;
	if (plain) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (const char *p = s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fputc('\\', f);
		fputc(*p, f);
	}
	fputc('"', f);
}

void cfg_dump_secs(FILE *f, uint64_t us)
{
	unsigned frac = us % 1000000;
	int digits = 6;

	fprintf(f, "%llu", (unsigned long long)(us / 1000000));
	if (!frac)
		return;
	while (frac % 10 == 0) {
		frac /= 10;
		digits--;
	}
	fprintf(f, ".%0*u", digits, frac);
}
