/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tests/fuzz/conf_roundtrip.h: the configuration fuzzers' round trip: what a configuration without errors dumps to parses again to the same dump. */
#pragma once
#include <sched.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/global_defs.h"
#include "parser.h"

/* One module's configuration (the checker's, the VRRP child's), read beside global_defs. */
struct conf_module {
	const struct cfg_kw *kws;
	void *(*new)(void);
	int (*finish)(struct cfg *c, void *conf);
	void (*dump)(const void *conf, FILE *f);
	void (*free)(void *conf);
	bool dump_global_defs;		/* global_defs is part of the dump too */
};

static void conf_no_diag(void *arg, const struct cfg_diag *d)
{
	(void)arg, (void)d;
}

/*
 * Host names (smtp_server) without the system's resolver, whose DNS queries would leave
 * the machine and take seconds: a name ending in ".test" is 192.0.2.25, no other has an
 * address.
 */
static int conf_resolve(const char *name, struct inet_addr *out)
{
	size_t n = strlen(name);

	if (n < 5 || strcmp(name + n - 5, ".test"))
		return -1;
	return inet_addr_parse("192.0.2.25", out) ? 0 : -1;
}

/*
 * LLVMFuzzerInitialize: the fuzzer in a network namespace of its own (only a loopback,
 * down), so that no configuration, whatever it names, reaches another host. Root only;
 * otherwise it goes on without (conf_resolve still keeps names off the network).
 */
static void conf_isolate(void)
{
	if (unshare(CLONE_NEWNET) < 0)
		perror("unshare(CLONE_NEWNET): fuzzing in the machine's network namespace");
}

/* Parses buf with global_defs and m's keywords; returns the dump. */
static char *conf_load(const struct conf_module *m, const char *buf, size_t len,
		       unsigned *n_errors)
{
	struct global_defs *gd = global_defs_new();
	void *conf = m->new();
	struct cfg_root roots[] = {
		{ global_defs_root_kws, gd, global_defs_finish },
		{ m->kws, conf, m->finish },
	};
	/* no includes (fuzz_parser has them), a small expansion limit (~SEQ(A, 1e9) costs
	 * milliseconds), the keyword index kept from one input to the next */
	struct cfg_opts o = { .config_id = "main", .diag = conf_no_diag, .no_includes = true,
			      .max_depth = 16, .max_expansion = 256 << 10, .keep_index = true,
			      .resolve = conf_resolve };
	char *out = NULL;
	size_t out_len = 0;
	FILE *f;

	cfg_parse_buf("fuzz.conf", buf, len, roots, 2, &o, n_errors, NULL);
	f = open_memstream(&out, &out_len);
	if (m->dump_global_defs)
		global_defs_dump(gd, f);
	m->dump(conf, f);
	fclose(f);
	m->free(conf);
	global_defs_free(gd);
	return out;
}

/* The fuzz input's round trip: aborts when the dump does not parse to itself. */
static int conf_roundtrip(const struct conf_module *m, const uint8_t *data, size_t size)
{
	unsigned n_errors, n2;
	char *dump = conf_load(m, (const char *)data, size, &n_errors);
	char *again;

	if (!n_errors) {
		again = conf_load(m, dump, strlen(dump), &n2);
		if (n2 || strcmp(dump, again)) {
			fprintf(stderr, "the dump does not parse to itself (%u errors):\n%s\n---\n%s\n",
				n2, dump, again);
			abort();
		}
		free(again);
	}
	free(dump);
	return 0;
}
