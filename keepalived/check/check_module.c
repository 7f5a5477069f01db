// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/check/check_module.c: the checker module as the parent sees it: config only. */
#include "check_conf.h"
#include "check_daemon.h"

/*
 * keepalived (the parent, -t, -d) parses and dumps the checker configuration and
 * decides whether to fork the child; the child execs keepalived-checker, whose
 * check_main.c adds the runtime (check_module_runtime()).
 */
const struct ka_module check_module = {
	.name = "Healthcheck",
	.ident = "Keepalived_healthcheckers",
	.dump_suffix = "_check",
	.program = "keepalived-checker",
	.kws = check_root_kws,
	.conf_new = check_conf_new,
	.conf_free = check_conf_free,
	.finish = check_conf_finish,
	.has_work = check_conf_has_work,
	.dump = check_conf_dump,
	.config_test = check_config_test,
};
