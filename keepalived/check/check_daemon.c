// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/check/check_daemon.c: the health-checker child's start, reload and stop. */
#include "check_daemon.h"

#include "check_conf.h"
#include "core/child.h"
#include "log.h"

/*
 * Checkers and the IPVS client are later issues' work: for now the child holds
 * its parsed configuration, answers signals and heartbeats, and says what it loaded.
 */
static int check_start(struct ka_child *ch)
{
	log_info("Healthcheck configuration loaded: %u virtual server(s); checkers are not built yet",
		 check_conf_n_virtual_servers(ka_child_conf(ch)));
	return 0;
}

static int check_reload(struct ka_child *ch, void *old_conf)
{
	log_info("Healthcheck configuration reloaded: %u virtual server(s) (was %u)",
		 check_conf_n_virtual_servers(ka_child_conf(ch)),
		 check_conf_n_virtual_servers(old_conf));
	return 0;
}

static void check_stop(struct ka_child *ch)
{
	ka_child_stopped(ch);
}

const struct ka_module check_module = {
	.name = "Healthcheck",
	.ident = "Keepalived_healthcheckers",
	.dump_suffix = "_check",
	.kws = check_root_kws,
	.conf_new = check_conf_new,
	.conf_free = check_conf_free,
	.finish = check_conf_finish,
	.has_work = check_conf_has_work,
	.dump = check_conf_dump,
	.config_test = check_config_test,
	.start = check_start,
	.reload = check_reload,
	.stop = check_stop,
};
