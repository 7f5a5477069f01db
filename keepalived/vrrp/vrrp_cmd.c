// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/vrrp/vrrp_cmd.c: configured commands made ready to run, for the child and for -t. */
#include "core/global_defs.h"
#include "log.h"
#include "vrrp_inst.h"

/* script_user USER [GROUP], else keepalived_script if it exists, else the daemon's own. */
static void resolve_user(struct vrrp_cmd_env *env)
{
	const char *su = global_defs_script_user(env->gd);

	env->have_user = true;
	if (su && process_user_lookup(su, global_defs_script_group(env->gd), &env->uid,
				      &env->gid) == 0)
		return;
	if (!process_default_user(&env->uid, &env->gid))
		log_info("Script user '%s' does not exist", PROCESS_DEFAULT_USER);
}

struct process_cmd *vrrp_cmd_prepare(struct vrrp_cmd_env *env, const char *cmdline,
				     const char *user, const char *group)
{
	struct process_cmd *pc;
	uid_t uid;
	gid_t gid;
	enum process_check chk;

	if (!cmdline)
		return NULL;
	if (!env->have_user)
		resolve_user(env);
	uid = env->uid;
	gid = env->gid;
	if (user && process_user_lookup(user, group, &uid, &gid) < 0)
		return NULL;
	if (process_cmd_new(cmdline, uid, gid, &pc, NULL) < 0)
		return NULL;
	chk = process_cmd_prepare(pc, env->security);
	env->n_cmds++;
	env->n_insecure += pc->is_insecure || chk == PROCESS_CHECK_INSECURE;
	return pc;
}
