/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/core/cli.h: keepalived 2.2.7's command line, for the parent and the VRRP child program. */
#pragma once
#include <stdbool.h>

#include "daemon.h"
#include "log.h"

enum ka_cli_action {
	KA_CLI_RUN,	/* start the daemon */
	KA_CLI_TEST,	/* -t: check the configuration */
	KA_CLI_DONE,	/* -v, -h, --signum: printed; exit with rc */
	KA_CLI_STATUS,	/* --status: ask the running daemon (status_json: --json) */
};

struct ka_cli {
	struct ka_opts o;
	struct log_opts log;
	bool test;				/* -t */
	const char *test_log;			/* -t=LOG_FILE */
	bool explicit_pid[KA_MOD__COUNT + 1];	/* -r, -c, then -p were given */
	char log_path[4096];			/* -g's file, when made from a relative name */
	int rc;					/* KA_CLI_DONE */
	bool status_json;			/* --json (with --status) */
};

/*
 * Reads argv as keepalived does (-T/--genhash is the caller's: it must come first).
 * A usage error prints the message and the usage text, and exits 2. quiet: no warnings
 * (the VRRP child program reads the command line the parent has already warned about).
 */
enum ka_cli_action ka_cli_parse(struct ka_cli *cl, int argc, char **argv, bool quiet);
