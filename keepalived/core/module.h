/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/core/module.h: what a subsystem (VRRP, checkers) gives the core. */
#pragma once
#include <stdbool.h>
#include <stdio.h>
#include "ctl.h"
#include "parser.h"

struct ka_child;
struct global_defs;

/*
 * -t's sink for the checks a module makes after the parse: each finding as a located
 * diagnostic (FILE:LINE:COL: error|warning: message), through the same sink as the
 * parser's. Errors are counted: any makes -t exit non-zero.
 */
struct ka_test {
	cfg_diag_fn *diag;
	void *diag_arg;
	unsigned n_errors;
};
/* sev: CFG_SEV_MISTAKE counts as an error here (this is -t); col 0 when unknown. */
void ka_test_report(struct ka_test *t, enum cfg_sev sev, const char *file, int line, int col,
		    const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/*
 * A subsystem plugs into the core through one const instance of this struct
 * (vrrp_module in vrrp/, check_module in check/); keepalived/modules.c lists
 * them, so core/ never includes vrrp/ or check/.
 *
 * Config: conf_new() makes an empty config object; the parser fills it through
 * kws (the subsystem's top-level keywords); finish() runs after the whole parse
 * for cross-references; conf_free() frees it (NULL is fine).
 *
 * Runtime (in the child process only): start() arms the subsystem on the child's
 * scheduler from ka_child_conf(); reload() adopts a new config (the old one is
 * still readable through its argument and freed after reload returns); stop()
 * begins an orderly stop and calls ka_child_stopped() when nothing is left to
 * release (at once, or later from a callback). free_state() frees what start()
 * set with ka_child_set_state(), before the loop is freed.
 */
struct ka_module {
	const char *name;		/* "VRRP", "Healthcheck": in log lines */
	const char *ident;		/* syslog ident of its child: "Keepalived_vrrp" */
	/*
	 * Put before the extension of its SIGUSR1/SIGUSR2 dumps' names (core/dumpfile.h):
	 * "" for /tmp/keepalived.data and .stats, "_check" for keepalived_check.data ...
	 */
	const char *dump_suffix;
	/*
	 * The program the forked child execs ("keepalived-vrrp"; see core/child_prog.c), or
	 * NULL: the child runs on in the forked copy of the parent.
	 */
	const char *program;
	const struct cfg_kw *kws;
	void *(*conf_new)(void);
	void (*conf_free)(void *conf);
	cfg_close_fn *finish;
	bool (*has_work)(const void *conf);	/* fork the child only if true (or --all) */
	void (*dump)(const void *conf, FILE *f);	/* -d: normalised, re-parseable */
	int (*start)(struct ka_child *ch);
	int (*reload)(struct ka_child *ch, void *old_conf);
	void (*stop)(struct ka_child *ch);
	void (*free_state)(void *state);	/* at the child's exit; NULL: nothing to free */
	/*
	 * -t, after the parse (one with errors too; not when the file could not be read): the
	 * checks keepalived makes when it loads (scripts exist, are executable, are safe).
	 * Reports what it finds through t; returns KA_EXIT_OK or
	 * KA_EXIT_CONFIG_TEST_SECURITY (scripts run without enable_script_security).
	 */
	int (*config_test)(const void *conf, const struct global_defs *gd, struct ka_test *t);
	/* SIGUSR1 (stats false) / SIGUSR2 (true): the runtime's part of the dump file */
	void (*dump_state)(const void *state, FILE *f, bool stats);
	/* STATS_CLEAR, after the stats dump: zero the runtime's counters (NULL: ignored) */
	void (*stats_clear)(void *state);
	/*
	 * The live status plane (core/ctl.h): append this module's part of the answer to req
	 * to f, from state (the child's runtime). NULL: the module has nothing to say.
	 */
	void (*ctl_render)(const void *state, enum ka_ctl_req req, FILE *f);
	/* --signum=JSON: the runtime as keepalived.json (2.2.7's document); NULL: ignored */
	void (*dump_json)(const void *state, FILE *f);
	/*
	 * Optional, used instead of ctl_render when set: the answer a part at a time, for
	 * answers too large for one callback (10,000 real servers). cursor is 0 at first;
	 * returns where to go on from, or 0 once the answer is whole. The child calls it
	 * once per loop iteration, its other events run in between: the state may have
	 * changed (a reload), and the renderer keeps its output well-formed whatever it finds.
	 */
	size_t (*ctl_render_part)(const void *state, enum ka_ctl_req req, FILE *f, size_t cursor);
	/*
	 * glibc's malloc tunables for its program ("glibc.malloc.tcache_count=0"), put before
	 * the user's GLIBC_TUNABLES for the exec (child_prog.c) and taken out of the
	 * environment again once the program runs (its scripts do not inherit them). NULL: none.
	 */
	const char *malloc_tunables;
};

enum ka_mod { KA_MOD_VRRP, KA_MOD_CHECK, KA_MOD__COUNT };

/*
 * Defined in keepalived/modules.c; indexed by enum ka_mod. A child program defines its
 * own, with only its module (so it links none of the others' libraries).
 */
extern const struct ka_module *const ka_modules[KA_MOD__COUNT];
