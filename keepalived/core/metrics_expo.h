/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/core/metrics_expo.h: the Prometheus text exposition format (0.0.4): writer and joiner. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * Pure: these only write to the FILE they are given (an open_memstream in practice),
 * through a buffer of their own (struct expo): a scrape of 1000 VRRP instances is 35,000
 * samples, and stdio's per-call cost on short strings was most of its time.
 *
 * A family is its "# HELP" and "# TYPE" lines, then its samples, one a line. Every
 * process (each child, the parent) writes its families with expo_family() followed by
 * their samples; expo_join() then merges the parts so that each family appears once
 * in the answer, as the format requires, even where several processes write samples of
 * the same family (process_cpu_seconds_total{process="vrrp"} and {process="checker"}).
 */
enum expo_type { EXPO_GAUGE, EXPO_COUNTER, EXPO_UNTYPED };

struct expo_label {
	const char *name;	/* [a-zA-Z_][a-zA-Z0-9_]*, not checked here */
	const char *value;	/* any UTF-8: escaped */
};

#define EXPO_BUF 16384
/* A writer: expo_init(), the calls below, expo_flush() (which writes what is left to f). */
struct expo {
	FILE *f;
	size_t len;
	char buf[EXPO_BUF];
};
void expo_init(struct expo *w, FILE *f);
void expo_flush(struct expo *w);

/* "# HELP name help" (help escaped: \\ and \n) and "# TYPE name type". */
void expo_family(struct expo *w, const char *name, enum expo_type t, const char *help);
/* name{l0="v0",...} value: n labels (0: no braces). */
void expo_sample_u64(struct expo *w, const char *name, const struct expo_label *l, unsigned n,
		     uint64_t v);
void expo_sample_i64(struct expo *w, const char *name, const struct expo_label *l, unsigned n,
		     int64_t v);
/* Doubles: shortest exact form (%.17g), and NaN, +Inf, -Inf as the format spells them. */
void expo_sample_f(struct expo *w, const char *name, const struct expo_label *l, unsigned n,
		   double v);

/*
 * For many samples with the same labels (an instance's iname, intf, vrid in every
 * family): the labels rendered once, escaped, as `{a="x",b="y"` without the closing
 * brace (NULL on allocation failure; free() it). expo_sample_pre_*() then write name,
 * them, extra (more labels, `,reason="ttl"`, already escaped; NULL: none), `} ` and the
 * value.
 */
char *expo_labels_open(const struct expo_label *l, unsigned n);
void expo_sample_pre_u64(struct expo *w, const char *name, const char *open_labels,
			 const char *extra, uint64_t v);
void expo_sample_pre_i64(struct expo *w, const char *name, const char *open_labels,
			 const char *extra, int64_t v);
void expo_sample_pre_f(struct expo *w, const char *name, const char *open_labels,
		       const char *extra, double v);
/* A duration given in µs, written in seconds with six decimals ("0.001250"). */
void expo_sample_pre_us(struct expo *w, const char *name, const char *open_labels,
			const char *extra, uint64_t us);

/* A label value as the format escapes it: backslash, double quote and newline. */
void expo_put_label_value(struct expo *w, const char *s);
/* A metric or label name the format accepts (metric names may also hold ':'). */
bool expo_name_ok(const char *name, bool metric);

/* One process's answer, borrowed. */
struct expo_part {
	const char *buf;
	size_t len;
};
/*
 * Joins parts into one exposition with one family per name: the first HELP and TYPE seen
 * for a name, then its samples from every part in order. Families come in the order they
 * first appear. A sample line whose metric name belongs to no open family (a counter's
 * name_total belongs to name's) makes a family of its own; other comments are dropped.
 * A last line without its newline gets one. The result is one allocation, *out (free()
 * it), of *out_len bytes, NUL-terminated. 0, or -ENOMEM.
 */
int expo_join(const struct expo_part *parts, unsigned n, char **out, size_t *out_len);
