// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/vrrp/vrrp_daemon.c: the VRRP child's start, reload and stop. */
#include "vrrp_daemon.h"

#include "core/child.h"
#include "log.h"
#include "vrrp_conf.h"

/*
 * The protocol engine is issue 4's work: for now the child holds its parsed
 * configuration, answers signals and heartbeats, and says what it loaded.
 */
static int vrrp_start(struct ka_child *ch)
{
	log_info("VRRP configuration loaded: %u instance(s); the VRRP protocol engine is not built yet",
		 vrrp_conf_n_instances(ka_child_conf(ch)));
	return 0;
}

static int vrrp_reload(struct ka_child *ch, void *old_conf)
{
	log_info("VRRP configuration reloaded: %u instance(s) (was %u)",
		 vrrp_conf_n_instances(ka_child_conf(ch)), vrrp_conf_n_instances(old_conf));
	return 0;
}

static void vrrp_stop(struct ka_child *ch)
{
	ka_child_stopped(ch);
}

const struct ka_module vrrp_module = {
	.name = "VRRP",
	.ident = "Keepalived_vrrp",
	.data_file = "/tmp/keepalived.data",
	.stats_file = "/tmp/keepalived.stats",
	.kws = vrrp_root_kws,
	.conf_new = vrrp_conf_new,
	.conf_free = vrrp_conf_free,
	.finish = vrrp_conf_finish,
	.has_work = vrrp_conf_has_work,
	.dump = vrrp_conf_dump,
	.start = vrrp_start,
	.reload = vrrp_reload,
	.stop = vrrp_stop,
};
