// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/vrrp/vrrp_cmd.c: configured commands made ready to run, for the child and for -t. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/global_defs.h"
#include "log.h"
#include "vrrp_ctx.h"

/*
 * script_user USER [GROUP], else keepalived_script if it exists, else the daemon's own.
 * keepalived 2.2.7 never falls back to root from a user it could not resolve: an unknown
 * script_user, or no keepalived_script under enable_script_security, leaves no default
 * user, and the commands that would have used it are not run.
 */
static void resolve_user(struct vrrp_cmd_env *env)
{
	const char *su = global_defs_script_user(env->gd);

	env->have_user = true;
	env->no_default = false;
	if (su) {
		/* logs "Script user '<user>' does not exist" (or the group's line) */
		if (process_user_lookup(su, global_defs_script_group(env->gd), &env->uid,
					&env->gid) < 0)
			env->no_default = true;
		return;
	}
	if (process_default_user(&env->uid, &env->gid))
		return;
	log_info("Script user '%s' does not exist", PROCESS_DEFAULT_USER);
	if (env->security) {
		log_err("Unable to set default user %s for script", PROCESS_DEFAULT_USER);
		env->no_default = true;
	}
}

/* keepalived's way of naming a vrrp_script's command in a log line: 'w0' 'w1' ... */
static void quoted_words(const struct process_cmd *pc, const char *cmdline, char *buf,
			 size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	if (!pc) {
		snprintf(buf, len, "'%s'", cmdline);
		return;
	}
	for (int i = 0; i < pc->argc && n < len; i++) {
		int w = snprintf(buf + n, len - n, "%s'%s'", i ? " " : "", pc->argv[i]);

		if (w < 0)
			break;
		n += (size_t)w;
	}
}

/* The command cannot run as anyone: keepalived's line for it. */
static void log_no_user(const char *cmdline, const char *script_name, bool is_own_user)
{
	struct process_cmd *pc = NULL;
	char words[512];

	/* only to name it: the ids do not matter */
	process_cmd_new(cmdline, 0, 0, &pc, NULL);
	if (!script_name)
		log_warn("%s for notify script %s - ignoring",
			 is_own_user ? "Invalid user/group" : "Failed to set default user",
			 pc ? pc->argv[0] : cmdline);
	else if (is_own_user) {
		quoted_words(pc, cmdline, words, sizeof(words));
		log_err("Unable to set uid/gid for script %s", words);
	} else {
		log_err("Unable to set default user for vrrp script %s - removing", script_name);
	}
	process_cmd_free(pc);
}

struct process_cmd *vrrp_cmd_prepare(struct vrrp_cmd_env *env, const char *cmdline,
				     const char *user, const char *group, const char *script_name)
{
	struct process_cmd *pc;
	uid_t uid;
	gid_t gid;
	enum process_check chk;

	if (!cmdline)
		return NULL;
	if (user) {
		if (process_user_lookup(user, group, &uid, &gid) < 0) {
			log_no_user(cmdline, script_name, true);
			return NULL;
		}
	} else {
		if (!env->have_user)
			resolve_user(env);
		if (env->no_default) {
			log_no_user(cmdline, script_name, false);
			return NULL;
		}
		uid = env->uid;
		gid = env->gid;
	}
	if (process_cmd_new(cmdline, uid, gid, &pc, NULL) < 0)
		return NULL;
	chk = process_cmd_prepare(pc, env->security);
	env->n_cmds++;
	env->n_insecure += pc->is_insecure || chk == PROCESS_CHECK_INSECURE;
	return pc;
}

void vrrp_cmd_free_notify(struct vrrp_inst *vi)
{
	for (int n = 0; vi->notify_cmd && n < VC_NOTIFY__COUNT; n++)
		process_cmd_free(vi->notify_cmd[n]);
	free(vi->notify_cmd);
	vi->notify_cmd = NULL;
}

/* Most instances have no notify script: no array then. */
void vrrp_cmd_prepare_notify(struct vrrp_inst *vi)
{
	vrrp_cmd_free_notify(vi);
	for (int n = 0; n < VC_NOTIFY__COUNT; n++) {
		const struct vc_cmd *c = vc_notify_cmd(vi->conf, n);
		struct process_cmd *pc;

		if (!c->cmd || !(pc = vrrp_cmd_prepare(&vi->ctx->cmds, c->cmd, c->user, c->group,
						       NULL)))
			continue;
		if (!vi->notify_cmd)
			vi->notify_cmd = xcalloc(VC_NOTIFY__COUNT, sizeof(*vi->notify_cmd));
		vi->notify_cmd[n] = pc;
	}
}
