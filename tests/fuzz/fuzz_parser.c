// SPDX-License-Identifier: GPL-2.0-or-later
/* tests/fuzz/fuzz_parser.c: libFuzzer target: any bytes as config files that include each other, through a small keyword tree. */
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "parser.h"
#include "utils.h"

/* Handlers use every value helper, so their error paths are fuzzed too. */
struct sink {
	char *s;
	unsigned u;
	int i;
	bool b;
	uint64_t us;
	struct inet_addr addr;
	int e;
	unsigned n_lines;
};

static int kw_str(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct sink *k = obj;

	return cfg_str(c, a, 1, &k->s);
}

static int kw_uint(struct cfg *c, void *obj, const struct cfg_args *a)
{
	return cfg_uint(c, a, 1, 1, 255, &((struct sink *)obj)->u);
}

static int kw_int(struct cfg *c, void *obj, const struct cfg_args *a)
{
	return cfg_int(c, a, 1, -100, 100, &((struct sink *)obj)->i);
}

static int kw_bool(struct cfg *c, void *obj, const struct cfg_args *a)
{
	return cfg_bool(c, a, 1, &((struct sink *)obj)->b);
}

static int kw_timer(struct cfg *c, void *obj, const struct cfg_args *a)
{
	return cfg_timer_us(c, a, 1, 1, UINT64_MAX, &((struct sink *)obj)->us);
}

static int kw_addr(struct cfg *c, void *obj, const struct cfg_args *a)
{
	return cfg_addr(c, a, 1, &((struct sink *)obj)->addr);
}

static int kw_enum(struct cfg *c, void *obj, const struct cfg_args *a)
{
	static const char *const names[] = { "MASTER", "BACKUP", NULL };

	return cfg_enum(c, a, 1, names, &((struct sink *)obj)->e);
}

static int kw_line(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct inet_addr addr;

	((struct sink *)obj)->n_lines++;
	return a->argc > 1 ? cfg_addr(c, a, 0, &addr) : 0;
}

static int kw_fail(struct cfg *c, void *obj, const struct cfg_args *a)
{
	(void)c, (void)obj, (void)a;
	return -1;
}

static void *open_obj(struct cfg *c, void *parent, const struct cfg_args *a)
{
	(void)c;
	return a->argc > 1 && a->argv[1][0] == 'x' ? NULL : parent;
}

static int close_obj(struct cfg *c, void *obj)
{
	if (((struct sink *)obj)->u == 13)
		cfg_error(c, "unlucky");
	return 0;
}

static const struct cfg_kw auth_kws[] = {
	{ "auth_type", kw_enum, .args = 1 },
	{ "auth_pass", kw_str, .args = 1 },
	{ 0 }
};

static const struct cfg_kw inst_kws[] = {
	{ "priority", kw_uint, .args = 1 },
	{ "state", kw_enum, .args = 1 },
	{ "advert_int", kw_timer, .args = 1 },
	{ "nopreempt", kw_bool, .max_args = 1 },
	{ "virtual_ipaddress", .line = kw_line },
	{ "track_interface", .line = kw_line, .flags = CFG_KW_BLOCK_OPTIONAL },
	{ "authentication", .block = auth_kws },
	{ "nested", .block = inst_kws },
	{ "old", kw_int, .args = 1, .flags = CFG_KW_DEPRECATED, .alias = "new" },
	{ 0 }
};

static const struct cfg_kw gd_kws[] = {
	{ "router_id", kw_str, .args = 1 },
	{ "max_auto_priority", kw_int, .args = 1 },
	{ "enable_traps", kw_bool, .max_args = 1 },
	{ "vrrp_mcast_group4", kw_addr, .args = 1 },
	{ "notification_email", .line = kw_line },
	CFG_KW_LATER("snmp_socket", NULL, CFG_ARG1),
	{ "fail", kw_fail, .max_args = CFG_ANY },
	{ 0 }
};

static const struct cfg_kw top_kws[] = {
	{ "global_defs", .block = gd_kws },
	{ "vrrp_instance", kw_str, .args = 1, .block = inst_kws, .open = open_obj,
	  .close = close_obj },
	{ "mixed", .block = gd_kws, .line = kw_line, .flags = CFG_KW_BLOCK_OPTIONAL },
	{ 0 }
};

static void no_diag(void *arg, const struct cfg_diag *d)
{
	(void)arg, (void)d;
}

static int finish(struct cfg *c, void *obj)
{
	(void)obj;
	cfg_error_at(c, cfg_file(c), cfg_line(c), "finish");
	return 0;
}

/*
 * The input is up to four files, split at form feeds ('\f', a blank to the parser, so a
 * seed without one is a plain config): main.conf, then a.conf, b.conf and sub/c.conf, in a
 * directory of our own. main.conf is parsed; includes are followed into the others (and
 * may loop, nest, glob and fan out), but include_root keeps the parser from opening
 * anything outside the directory.
 */
static const char *const names[] = { "main.conf", "a.conf", "b.conf", "sub/c.conf" };
static char dir[64];

static void remove_dir(void)
{
	char path[PATH_MAX];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/sub", dir);
	rmdir(path);
	rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char path[PATH_MAX], *real;

	(void)argc, (void)argv;
	/* in memory where there is a tmpfs: on a disk, rewriting the files costs more than
	 * parsing them */
	snprintf(dir, sizeof(dir), "%s/fuzz_parser.XXXXXX",
		 access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
	if (!mkdtemp(dir))
		abort();
	/* include_root must be a real path: /tmp could be a link */
	if (!(real = realpath(dir, NULL)) || strlen(real) >= sizeof(dir))
		abort();
	strcpy(dir, real);
	free(real);
	snprintf(path, sizeof(path), "%s/sub", dir);
	if (mkdir(path, 0700) < 0)
		abort();
	atexit(remove_dir);
	return 0;
}

/* Writes file i, unless it holds these bytes already (a mutation mostly changes one part). */
static void write_part(size_t i, const uint8_t *p, size_t n)
{
	static uint8_t *last[sizeof(names) / sizeof(names[0])];
	static size_t last_len[sizeof(names) / sizeof(names[0])];
	char path[PATH_MAX];
	FILE *f;

	if (last[i] && last_len[i] == n && !memcmp(last[i], p, n))
		return;
	snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
	if (!(f = fopen(path, "w")) || (n && fwrite(p, 1, n, f) != n) || fclose(f))
		abort();
	free(last[i]);
	if (!(last[i] = malloc(n + 1)))
		abort();
	memcpy(last[i], p, n);
	last_len[i] = n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sink k = { 0 };
	struct cfg_root roots[] = { { top_kws, &k, finish } };
	/* a small expansion limit (included files count too), so that ~SEQ(A, 1e9) costs
	 * milliseconds, not the run's time limit; and a few included files, so that files
	 * including each other ten times over cost a few reads, not thousands (loops, nesting
	 * and globs take no more than that) */
	struct cfg_opts o = { .config_id = "main", .diag = no_diag, .include_root = dir,
			      .max_depth = 16, .max_expansion = 256 << 10, .max_includes = 16,
			      .keep_index = true };
	const uint8_t *p = data, *end = data + size;
	char path[PATH_MAX];
	unsigned n_err, n_warn;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const uint8_t *ff = i + 1 < sizeof(names) / sizeof(names[0]) ?
				    memchr(p, '\f', (size_t)(end - p)) : NULL;
		const uint8_t *e = ff ? ff : end;

		write_part(i, p, (size_t)(e - p));
		p = ff ? ff + 1 : end;
	}
	snprintf(path, sizeof(path), "%s/main.conf", dir);
	cfg_parse_file(path, roots, 1, &o, &n_err, &n_warn);
	free(k.s);
	return 0;
}
