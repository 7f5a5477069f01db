// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/core/track_file.c: the top-level track_file blocks and the values their files hold. */
#include "track_file.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "safe_file.h"
#include "utils.h"

void *track_files_open(struct cfg *c, struct track_files *l, const struct cfg_args *a)
{
	struct track_file *tf = xcalloc(1, sizeof(*tf));

	tf->name = xstrdup(a->argv[1]);
	tf->weight = 1;
	tf->file = cfg_file(c);
	tf->line = cfg_line(c);
	l->v = xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
	l->v[l->n++] = tf;
	return tf;
}

static int kw_file(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct track_file *tf = obj;

	if (tf->path) {
		cfg_error(c, "File already set for track file %s - ignoring %s", tf->name,
			  a->argv[1]);
		return 0;
	}
	tf->path = xstrdup(a->argv[1]);
	return 0;
}

static int kw_weight(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct track_file *tf = obj;
	char *end;
	long w;

	if (tf->has_weight) {
		cfg_error(c, "Weight already set for track file %s - ignoring %s", tf->name,
			  a->argv[1]);
		return 0;
	}
	errno = 0;
	w = strtol(a->argv[1], &end, 10);
	if (errno || end == a->argv[1] || *end || w < -254 || w > 254) {
		cfg_error_arg(c, 1, "Weight (%s) for track_file %s must be between [-254..254] "
			      "inclusive. Ignoring...", a->argv[1], tf->name);
		w = 1;
	}
	tf->weight = (int)w;
	tf->has_weight = true;
	if (a->argc > 2) {
		if (!strcmp(a->argv[2], "reverse"))
			tf->reverse = true;
		else
			cfg_error_arg(c, 2, "track_file %s unknown weight option %s", tf->name,
				      a->argv[2]);
	}
	return 0;
}

static int kw_init_file(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct track_file *tf = obj;

	tf->has_init = true;
	tf->init_overwrite = false;
	tf->init_value = 0;
	for (int i = 1; i < a->argc; i++) {
		const char *w = a->argv[i];

		if ((w[0] >= '0' && w[0] <= '9') || w[0] == '-') {
			char *end;
			long v;

			errno = 0;
			v = strtol(w, &end, 10);
			if (errno || *end || v < INT_MIN || v > INT_MAX) {
				cfg_error_arg(c, i, "Track file %s init value %s is invalid",
					      tf->name, w);
				v = 0;
			} else if (v < -254 || v > 254) {
				cfg_error_arg(c, i, "Track file %s init value %ld is outside sensible "
					      "range [%d, %d]", tf->name, v, -254, 254);
			}
			tf->init_value = (int)v;
		} else if (!strcmp(w, "overwrite")) {
			tf->init_overwrite = true;
		} else {
			cfg_error_arg(c, i, "Unknown track file init option %s", w);
		}
	}
	return 0;
}

const struct cfg_kw track_file_kws[] = {
	CFG_KW("file", kw_file, CFG_ARG1),
	CFG_KW("weight", kw_weight, CFG_ARGS(1, 2)),
	CFG_KW("init_file", kw_init_file, CFG_ARGS(0, 2)),
	{ 0 }
};

static void track_file_free(struct track_file *tf)
{
	free(tf->name);
	free(tf->path);
	free(tf);
}

int track_file_close(struct cfg *c, void *obj)
{
	struct track_file *tf = obj;

	if (!tf->path)
		cfg_error(c, "No file set for track_file %s - ignoring", tf->name);
	return 0;
}

void track_files_free(struct track_files *l)
{
	for (unsigned i = 0; i < l->n; i++)
		track_file_free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

const struct track_file *track_files_find(const struct track_files *l, const char *name)
{
	/* keepalived keeps the first of two blocks with one name */
	for (unsigned i = 0; i < l->n; i++)
		if (l->v[i]->path && !strcmp(l->v[i]->name, name))
			return l->v[i];
	return NULL;
}

void track_files_dump(const struct track_files *l, FILE *f)
{
	for (unsigned i = 0; i < l->n; i++) {
		const struct track_file *tf = l->v[i];

		if (!tf->path)
			continue;
		fputs("track_file ", f);
		cfg_dump_word(f, tf->name);
		fputs(" {\n\tfile ", f);
		cfg_dump_word(f, tf->path);
		fprintf(f, "\n\tweight %d%s\n", tf->weight, tf->reverse ? " reverse" : "");
		if (tf->has_init)
			fprintf(f, "\tinit_file %d%s\n", tf->init_value,
				tf->init_overwrite ? " overwrite" : "");
		fputs("}\n", f);
	}
}

void track_files_init(const struct track_files *l, bool reload)
{
	for (unsigned i = 0; i < l->n; i++) {
		const struct track_file *tf = l->v[i];
		struct stat st;
		char buf[32];
		int fd, n, r;

		if (!tf->path || !tf->has_init)
			continue;
		if (stat(tf->path, &st) == 0) {
			if (!tf->init_overwrite)
				continue;
			if (!S_ISREG(st.st_mode)) {
				log_err("Cannot initialise track file %s - it is not a regular file",
					tf->name);
				continue;
			}
			if (reload)
				continue;
		}
		r = safe_file_open(tf->path, O_WRONLY, 0666, &fd);
		if (r < 0) {
			log_err("Unable to initialise track file %s", tf->name);
			continue;
		}
		n = snprintf(buf, sizeof(buf), "%d\n", tf->init_value);
		if (ftruncate(fd, 0) < 0 || write(fd, buf, (size_t)n) != n)
			log_err("Unable to initialise track file %s", tf->name);
		close(fd);
	}
}

bool track_file_parse(const char *buf, size_t len, int64_t *value)
{
	char s[128];
	long long v;

	if (len > sizeof(s) - 1)
		len = sizeof(s) - 1;
	memcpy(s, buf, len);
	s[len] = '\0';
	errno = 0;
	v = strtoll(s, NULL, 0);
	*value = v;
	return !errno && v >= (long long)INT32_MIN && v <= (long long)INT32_MAX + 1;
}

bool track_file_read(const char *path, int64_t *value)
{
	char buf[128];
	ssize_t n = -1;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	*value = 0;
	if (fd >= 0) {
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
	}
	if (n <= 0)
		return true;
	return track_file_parse(buf, (size_t)n, value);
}

int track_file_status(int64_t value, int weight, bool reverse)
{
	int64_t s;

	if (!weight)
		return (value != 0) != reverse ? TRACK_FILE_FAULT : 0;
	s = value * weight * (reverse ? -1 : 1);
	if (s < INT_MIN)
		return INT_MIN;
	if (s > INT_MAX)
		return INT_MAX;
	return (int)s;
}

char *track_file_resolve(const char *path)
{
	char *real = realpath(path, NULL), *dir, *slash, *out;
	struct stat sb;

	if (real)
		return real;
	if (errno != ENOENT)
		return NULL;
	slash = strrchr(path, '/');
	dir = slash ? xstrndup(path, (size_t)(slash - path)) : xstrdup(".");
	real = realpath(*dir ? dir : "/", NULL);
	free(dir);
	if (!real || stat(real, &sb) < 0 || !S_ISDIR(sb.st_mode)) {
		free(real);
		return NULL;
	}
	out = xasprintf("%s/%s", strcmp(real, "/") ? real : "", slash ? slash + 1 : path);
	free(real);
	return out;
}

void track_file_log_invalid(struct ratelimit *rl, const char *path, int64_t value)
{
	static const struct ratelimit_conf c = { .window_us = 10000000, .burst = 5 };
	uint32_t held;
	bool pass = ratelimit_pass(rl, &c, mono_now_us(), &held);

	if (held)
		log_info("%u similar log lines suppressed (track file %s)", held, path);
	if (pass)
		log_info("Invalid number %lld read from %s - ignoring", (long long)value, path);
}
