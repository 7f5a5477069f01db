// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/core/metrics_expo.c: the Prometheus text exposition format (0.0.4): writer and joiner. */
#include "metrics_expo.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const type_names[] = {
	[EXPO_GAUGE] = "gauge",
	[EXPO_COUNTER] = "counter",
	[EXPO_UNTYPED] = "untyped",
};

/* Writes s with each character of esc preceded by a backslash; '\n' becomes "\n". */
static void put_escaped(FILE *f, const char *s, const char *esc)
{
	for (;;) {
		size_t run = strcspn(s, esc);

		fwrite(s, 1, run, f);
		s += run;
		if (!*s)
			return;
		fputc('\\', f);
		fputc(*s == '\n' ? 'n' : *s, f);
		s++;
	}
}

void expo_put_label_value(FILE *f, const char *s)
{
	put_escaped(f, s ? s : "", "\\\"\n");
}

void expo_family(FILE *f, const char *name, enum expo_type t, const char *help)
{
	fprintf(f, "# HELP %s ", name);
	put_escaped(f, help, "\\\n");
	fprintf(f, "\n# TYPE %s %s\n", name, type_names[t]);
}

static void put_head(FILE *f, const char *name, const struct expo_label *l, unsigned n)
{
	fputs(name, f);
	if (!n) {
		fputc(' ', f);
		return;
	}
	fputc('{', f);
	for (unsigned i = 0; i < n; i++) {
		if (i)
			fputc(',', f);
		fputs(l[i].name, f);
		fputs("=\"", f);
		expo_put_label_value(f, l[i].value);
		fputc('"', f);
	}
	fputs("} ", f);
}

void expo_sample_u64(FILE *f, const char *name, const struct expo_label *l, unsigned n, uint64_t v)
{
	put_head(f, name, l, n);
	fprintf(f, "%" PRIu64 "\n", v);
}

void expo_sample_i64(FILE *f, const char *name, const struct expo_label *l, unsigned n, int64_t v)
{
	put_head(f, name, l, n);
	fprintf(f, "%" PRId64 "\n", v);
}

void expo_sample_f(FILE *f, const char *name, const struct expo_label *l, unsigned n, double v)
{
	put_head(f, name, l, n);
	if (isnan(v))
		fputs("NaN\n", f);
	else if (isinf(v))
		fputs(v > 0 ? "+Inf\n" : "-Inf\n", f);
	else
		fprintf(f, "%.17g\n", v);
}

bool expo_name_ok(const char *name, bool metric)
{
	if (!name || !*name || (*name >= '0' && *name <= '9'))
		return false;
	for (const char *p = name; *p; p++) {
		char c = *p;

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || (metric && c == ':')))
			return false;
	}
	return true;
}

/* ---- joining ---- */

struct range {
	const char *p;
	size_t len;
};

struct family {
	const char *name;	/* points into a part */
	size_t name_len;
	struct range help, type;	/* len 0: not seen yet */
	struct range *samples;	/* runs of sample lines, each run contiguous in one part */
	unsigned n_samples, cap_samples;
};

struct join {
	struct family *fams;
	unsigned n_fams, cap_fams;
	struct family *cur;	/* the family the last header or sample line opened */
};

/* A sample's metric name belongs to family fam: the same, or fam plus a series suffix. */
static bool belongs(const struct family *fam, const char *name, size_t len)
{
	static const char *const suffixes[] = { "_total", "_bucket", "_count", "_sum", "_created" };

	if (len < fam->name_len || memcmp(name, fam->name, fam->name_len))
		return false;
	if (len == fam->name_len)
		return true;
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++)
		if (len - fam->name_len == strlen(suffixes[i]) &&
		    !memcmp(name + fam->name_len, suffixes[i], len - fam->name_len))
			return true;
	return false;
}

static struct family *find_family(struct join *j, const char *name, size_t len)
{
	if (j->cur && j->cur->name_len == len && !memcmp(j->cur->name, name, len))
		return j->cur;
	for (unsigned i = 0; i < j->n_fams; i++)
		if (j->fams[i].name_len == len && !memcmp(j->fams[i].name, name, len))
			return &j->fams[i];
	return NULL;
}

static struct family *add_family(struct join *j, const char *name, size_t len)
{
	if (j->n_fams == j->cap_fams) {
		unsigned cap = j->cap_fams ? j->cap_fams * 2 : 32;
		struct family *nf = realloc(j->fams, cap * sizeof(*nf));

		if (!nf)
			return NULL;
		/* cur points into the old array */
		if (j->cur)
			j->cur = nf + (j->cur - j->fams);
		j->fams = nf;
		j->cap_fams = cap;
	}
	j->fams[j->n_fams] = (struct family){ .name = name, .name_len = len };
	return &j->fams[j->n_fams++];
}

static int add_sample(struct family *fam, const char *p, size_t len)
{
	struct range *last = fam->n_samples ? &fam->samples[fam->n_samples - 1] : NULL;

	if (last && last->p + last->len == p) {	/* the next line of the same run */
		last->len += len;
		return 0;
	}
	if (fam->n_samples == fam->cap_samples) {
		unsigned cap = fam->cap_samples ? fam->cap_samples * 2 : 4;
		struct range *nr = realloc(fam->samples, cap * sizeof(*nr));

		if (!nr)
			return -ENOMEM;
		fam->samples = nr;
		fam->cap_samples = cap;
	}
	fam->samples[fam->n_samples++] = (struct range){ p, len };
	return 0;
}

/* "# HELP name ..." or "# TYPE name ...": opens the family it names (made if new). */
static int header_line(struct join *j, const char *line, size_t len)
{
	const char *name, *ne, *end = line + len;
	bool help;
	struct family *fam;

	if (len < 7 || memcmp(line, "# ", 2))
		return 0;
	if (!memcmp(line + 2, "HELP ", 5))
		help = true;
	else if (!memcmp(line + 2, "TYPE ", 5))
		help = false;
	else
		return 0;
	name = ne = line + 7;
	while (ne < end && *ne != ' ' && *ne != '\n')
		ne++;
	if (ne == name)
		return 0;
	fam = find_family(j, name, (size_t)(ne - name));
	if (!fam && !(fam = add_family(j, name, (size_t)(ne - name))))
		return -ENOMEM;
	j->cur = fam;
	if (help && !fam->help.len)
		fam->help = (struct range){ line, len };
	else if (!help && !fam->type.len)
		fam->type = (struct range){ line, len };
	return 0;
}

static int sample_line(struct join *j, const char *line, size_t len)
{
	size_t n = 0;
	struct family *fam;

	while (n < len && line[n] != '{' && line[n] != ' ' && line[n] != '\n')
		n++;
	if (j->cur && belongs(j->cur, line, n))
		fam = j->cur;
	else {
		fam = NULL;
		for (unsigned i = 0; i < j->n_fams && !fam; i++)
			if (belongs(&j->fams[i], line, n))
				fam = &j->fams[i];
		if (!fam && !(fam = add_family(j, line, n)))
			return -ENOMEM;
		j->cur = fam;
	}
	return add_sample(fam, line, len);
}

static int scan_part(struct join *j, const struct expo_part *pt)
{
	const char *p = pt->buf, *end = pt->buf + pt->len;
	int r = 0;

	j->cur = NULL;	/* a family never continues from one part into the next */
	while (p < end && !r) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);

		if (len == 1 && *p == '\n')
			;	/* blank line */
		else if (*p == '#')
			r = header_line(j, p, len);	/* other comments are dropped */
		else
			r = sample_line(j, p, len);
		p += len;
	}
	return r;
}

static void put_range(FILE *out, const struct range *r)
{
	fwrite(r->p, 1, r->len, out);
	if (r->len && r->p[r->len - 1] != '\n')
		fputc('\n', out);
}

int expo_join(const struct expo_part *parts, unsigned n, FILE *out)
{
	struct join j = { 0 };
	int r = 0;

	for (unsigned i = 0; i < n && !r; i++)
		if (parts[i].buf && parts[i].len)
			r = scan_part(&j, &parts[i]);
	for (unsigned i = 0; i < j.n_fams; i++) {
		struct family *fam = &j.fams[i];

		if (!r) {
			/* a family with a header but no sample is still written: it is valid */
			if (fam->help.len)
				put_range(out, &fam->help);
			if (fam->type.len)
				put_range(out, &fam->type);
			for (unsigned k = 0; k < fam->n_samples; k++)
				put_range(out, &fam->samples[k]);
		}
		free(fam->samples);
	}
	free(j.fams);
	return r;
}
