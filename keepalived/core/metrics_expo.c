// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/core/metrics_expo.c: the Prometheus text exposition format (0.0.4): writer and joiner. */
#include "metrics_expo.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const type_names[] = {
	[EXPO_GAUGE] = "gauge",
	[EXPO_COUNTER] = "counter",
	[EXPO_UNTYPED] = "untyped",
};

void expo_init(struct expo *w, FILE *f)
{
	w->f = f;
	w->len = 0;
}

void expo_flush(struct expo *w)
{
	if (w->len)
		fwrite(w->buf, 1, w->len, w->f);
	w->len = 0;
}

static void put(struct expo *w, const char *s, size_t n)
{
	if (n > EXPO_BUF - w->len) {
		expo_flush(w);
		if (n > EXPO_BUF) {
			fwrite(s, 1, n, w->f);
			return;
		}
	}
	memcpy(w->buf + w->len, s, n);
	w->len += n;
}

static void puts_(struct expo *w, const char *s)
{
	put(w, s, strlen(s));
}

static void putc_(struct expo *w, char c)
{
	if (w->len == EXPO_BUF)
		expo_flush(w);
	w->buf[w->len++] = c;
}

/* Writes s with each character of esc preceded by a backslash; '\n' becomes "\n". */
static void put_escaped(struct expo *w, const char *s, const char *esc)
{
	for (;;) {
		size_t run = strcspn(s, esc);

		put(w, s, run);
		s += run;
		if (!*s)
			return;
		putc_(w, '\\');
		putc_(w, *s == '\n' ? 'n' : *s);
		s++;
	}
}

void expo_put_label_value(struct expo *w, const char *s)
{
	put_escaped(w, s ? s : "", "\\\"\n");
}

void expo_family(struct expo *w, const char *name, enum expo_type t, const char *help)
{
	puts_(w, "# HELP ");
	puts_(w, name);
	putc_(w, ' ');
	put_escaped(w, help, "\\\n");
	puts_(w, "\n# TYPE ");
	puts_(w, name);
	putc_(w, ' ');
	puts_(w, type_names[t]);
	putc_(w, '\n');
}

static void put_head(struct expo *w, const char *name, const struct expo_label *l, unsigned n)
{
	puts_(w, name);
	if (!n) {
		putc_(w, ' ');
		return;
	}
	putc_(w, '{');
	for (unsigned i = 0; i < n; i++) {
		if (i)
			putc_(w, ',');
		puts_(w, l[i].name);
		put(w, "=\"", 2);
		expo_put_label_value(w, l[i].value);
		putc_(w, '"');
	}
	put(w, "} ", 2);
}

/* v in decimal and a newline: what fprintf's %PRIu64 costs a thousand times over */
static void put_u64_nl(struct expo *w, uint64_t v)
{
	char b[24], *p = b + sizeof(b);

	*--p = '\n';
	do
		*--p = (char)('0' + v % 10);
	while ((v /= 10));
	put(w, p, (size_t)(b + sizeof(b) - p));
}

static void put_i64_nl(struct expo *w, int64_t v)
{
	if (v < 0) {
		putc_(w, '-');
		put_u64_nl(w, (uint64_t)0 - (uint64_t)v);
	} else
		put_u64_nl(w, (uint64_t)v);
}

static void put_f_nl(struct expo *w, double v)
{
	char b[40];
	int n;

	if (isnan(v))
		puts_(w, "NaN\n");
	else if (isinf(v))
		puts_(w, v > 0 ? "+Inf\n" : "-Inf\n");
	else {
		n = snprintf(b, sizeof(b), "%.17g\n", v);
		put(w, b, (size_t)n);
	}
}

void expo_sample_u64(struct expo *w, const char *name, const struct expo_label *l, unsigned n,
		     uint64_t v)
{
	put_head(w, name, l, n);
	put_u64_nl(w, v);
}

void expo_sample_i64(struct expo *w, const char *name, const struct expo_label *l, unsigned n,
		     int64_t v)
{
	put_head(w, name, l, n);
	put_i64_nl(w, v);
}

void expo_sample_f(struct expo *w, const char *name, const struct expo_label *l, unsigned n,
		   double v)
{
	put_head(w, name, l, n);
	put_f_nl(w, v);
}

/* Appends s to p escaped as a label value; with p NULL, only counts. Returns the length. */
static size_t escape_into(char *p, const char *s)
{
	size_t n = 0;

	for (; *s; s++) {
		char c = *s == '\n' ? 'n' : *s;

		if (*s == '\\' || *s == '"' || *s == '\n') {
			if (p)
				p[n] = '\\';
			n++;
		}
		if (p)
			p[n] = c;
		n++;
	}
	return n;
}

/* One allocation, no stream: a checker child renders ten thousand of these per scrape. */
char *expo_labels_open(const struct expo_label *l, unsigned n)
{
	size_t len = 1;
	char *buf, *p;

	for (unsigned i = 0; i < n; i++)
		len += (i > 0) + strlen(l[i].name) + 3 + escape_into(NULL, l[i].value ? l[i].value : "");
	if (!(buf = malloc(len + 1)))
		return NULL;
	p = buf;
	*p++ = '{';
	for (unsigned i = 0; i < n; i++) {
		size_t k = strlen(l[i].name);

		if (i)
			*p++ = ',';
		memcpy(p, l[i].name, k);
		p += k;
		*p++ = '=';
		*p++ = '"';
		p += escape_into(p, l[i].value ? l[i].value : "");
		*p++ = '"';
	}
	*p = '\0';
	return buf;
}

static void put_pre(struct expo *w, const char *name, const char *open_labels, const char *extra)
{
	puts_(w, name);
	puts_(w, open_labels);
	if (extra)
		puts_(w, extra);
	put(w, "} ", 2);
}

void expo_sample_pre_u64(struct expo *w, const char *name, const char *open_labels,
			 const char *extra, uint64_t v)
{
	put_pre(w, name, open_labels, extra);
	put_u64_nl(w, v);
}

void expo_sample_pre_i64(struct expo *w, const char *name, const char *open_labels,
			 const char *extra, int64_t v)
{
	put_pre(w, name, open_labels, extra);
	put_i64_nl(w, v);
}

void expo_sample_pre_f(struct expo *w, const char *name, const char *open_labels,
		       const char *extra, double v)
{
	put_pre(w, name, open_labels, extra);
	put_f_nl(w, v);
}

void expo_sample_pre_us(struct expo *w, const char *name, const char *open_labels,
			const char *extra, uint64_t us)
{
	char b[32], *p = b + sizeof(b);
	uint64_t s = us / 1000000, frac = us % 1000000;

	put_pre(w, name, open_labels, extra);
	*--p = '\n';
	for (int i = 0; i < 6; i++, frac /= 10)
		*--p = (char)('0' + frac % 10);
	*--p = '.';
	do
		*--p = (char)('0' + s % 10);
	while ((s /= 10));
	put(w, p, (size_t)(b + sizeof(b) - p));
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

	/* most lines are the next sample of the current family: no scan of the name */
	if (j->cur && len > j->cur->name_len && !memcmp(line, j->cur->name, j->cur->name_len) &&
	    (line[j->cur->name_len] == '{' || line[j->cur->name_len] == ' '))
		return add_sample(j->cur, line, len);
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

/* Copies r to p, with a newline if it has none; returns the bytes written. */
static size_t copy_range(char *p, const struct range *r)
{
	bool nl = r->len && r->p[r->len - 1] != '\n';

	if (p) {
		memcpy(p, r->p, r->len);
		if (nl)
			p[r->len] = '\n';
	}
	return r->len + nl;
}

/* Writes the families to p (NULL: only counts); returns the length. */
static size_t emit(const struct join *j, char *p)
{
	size_t n = 0;

	for (unsigned i = 0; i < j->n_fams; i++) {
		const struct family *fam = &j->fams[i];

		/* a family with a header but no sample is still written: it is valid */
		if (fam->help.len)
			n += copy_range(p ? p + n : NULL, &fam->help);
		if (fam->type.len)
			n += copy_range(p ? p + n : NULL, &fam->type);
		for (unsigned k = 0; k < fam->n_samples; k++)
			n += copy_range(p ? p + n : NULL, &fam->samples[k]);
	}
	return n;
}

int expo_join(const struct expo_part *parts, unsigned n, char **out, size_t *out_len)
{
	struct join j = { 0 };
	size_t len = 0;
	char *buf = NULL;
	int r = 0;

	for (unsigned i = 0; i < n && !r; i++)
		if (parts[i].buf && parts[i].len)
			r = scan_part(&j, &parts[i]);
	if (!r) {
		len = emit(&j, NULL);
		if (!(buf = malloc(len + 1)))
			r = -ENOMEM;
		else {
			emit(&j, buf);
			buf[len] = '\0';
		}
	}
	for (unsigned i = 0; i < j.n_fams; i++)
		free(j.fams[i].samples);
	free(j.fams);
	*out = buf;
	*out_len = r ? 0 : len;
	return r;
}
