// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/vrrp/vrrp_test.c: -t's load-time checks of the VRRP scripts, as keepalived makes them. */
#include <stdbool.h>

#include "core/daemon.h"
#include "core/global_defs.h"
#include "log.h"
#include "vrrp_conf.h"
#include "vrrp_daemon.h"
#include "vrrp_inst.h"

/*
 * One command as the VRRP child would prepare it; false when it would be dropped.
 * *is_prepared: false when it has no user to run as (vrrp_cmd_prepare() said so).
 */
static bool check_one(struct vrrp_cmd_env *env, const char *cmdline, const char *user,
		      const char *group, const char *script_name, bool *is_prepared)
{
	struct process_cmd *pc = vrrp_cmd_prepare(env, cmdline, user, group, script_name);
	bool ok = pc && (pc->state == PROCESS_CHECK_OK ||
			 (pc->state == PROCESS_CHECK_INSECURE && !env->security));

	*is_prepared = pc != NULL;
	process_cmd_free(pc);
	return ok;
}

int vrrp_config_test(const void *conf, const struct global_defs *gd)
{
	const struct vrrp_conf *vc = conf;
	struct vrrp_cmd_env env = { .gd = gd, .security = global_defs_script_security(gd) };
	unsigned n_bad = 0;
	bool is_prepared;

	for (unsigned i = 0; i < vc->n_scripts; i++) {
		const struct vc_script *s = vc->scripts[i];

		if (s->is_dup || !s->script || !vrrp_conf_script_used(vc, i))
			continue;
		if (!check_one(&env, s->script, s->user, s->group, s->id.name, &is_prepared)) {
			if (is_prepared)
				log_warn("Disabling track script %s since not found/accessible",
					 s->id.name);
			n_bad++;
		}
	}
	for (unsigned k = 0; k < vc->n_insts; k++) {
		const struct vc_instance *vi = vc->insts[k];

		for (int n = 0; n < VC_NOTIFY__COUNT && !vi->is_dup; n++) {
			const struct vc_cmd *c = vc_notify_cmd(vi, n);

			if (c->cmd && !check_one(&env, c->cmd, c->user, c->group, NULL, &is_prepared))
				n_bad++;
		}
	}
	if (n_bad)
		return KA_EXIT_CONFIG_TEST;
	return process_security_summary(env.n_cmds, env.n_insecure, env.security) ?
	       KA_EXIT_CONFIG_TEST_SECURITY : KA_EXIT_OK;
}
