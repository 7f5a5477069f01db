/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/core/config.h: loading the whole configuration (global_defs + subsystems). */
#pragma once
#include <stdbool.h>
#include <stdio.h>
#include "module.h"
#include "parser.h"

struct global_defs;

/* One loaded configuration. Immutable once loaded; a reload makes a new one. */
struct ka_config {
	struct global_defs *gd;
	void *mod[KA_MOD__COUNT];	/* NULL for a subsystem not loaded */
	unsigned n_errors, n_warnings;
};

struct ka_config_opts {
	const char *path;
	const char *config_id;		/* -i */
	bool includes_required;		/* -e */
	bool load[KA_MOD__COUNT];	/* subsystems whose keywords are installed */
	bool skip_unknown_top;		/* a child: other subsystems' keywords are skipped */
	bool config_test;		/* -t: keepalived's verdict (struct cfg_opts) */
	cfg_diag_fn *diag;		/* NULL: log each diagnostic */
	void *diag_arg;
};

/*
 * Parse the file into *out (always set, even with errors; free with ka_config_free).
 * Returns 0, -ENOENT (the main file cannot be read) or -EINVAL (errors reported).
 */
int ka_config_load(const struct ka_config_opts *o, struct ka_config **out);
void ka_config_free(struct ka_config *cfg);	/* NULL is fine */
void ka_config_dump(const struct ka_config *cfg, FILE *f);
