// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/core/parent_script.c: startup_script and shutdown_script, run by the parent. */
#include "parent_script.h"

#include <errno.h>
#include <string.h>
#include <sys/wait.h>

#include "daemon.h"
#include "global_defs.h"
#include "log.h"
#include "scheduler.h"

static const char *type_of(bool startup)
{
	return startup ? "startup script" : "shutdown script";
}

/*
 * Who runs it: its own USER [GROUP], else script_user, else keepalived_script if it
 * exists; failing that root, unless enable_script_security forbids it (keepalived:
 * "Unable to set default user keepalived_script for script" / "Invalid startup script").
 */
static int script_ids(const struct global_defs *gd, const struct gd_parent_script *g,
		      uid_t *uid, gid_t *gid)
{
	const char *su = global_defs_script_user(gd);

	if (g->user)
		return process_user_lookup(g->user, g->group, uid, gid);
	if (su)
		return process_user_lookup(su, global_defs_script_group(gd), uid, gid);
	if (process_default_user(uid, gid) || !global_defs_script_security(gd))
		return 0;
	log_err("Unable to set default user %s for script", PROCESS_DEFAULT_USER);
	return -ENOENT;
}

int parent_script_load(struct parent_script *ps, const struct global_defs *gd, bool startup)
{
	struct gd_parent_script g;
	struct process_cmd *pc = NULL;
	uid_t uid;
	gid_t gid;

	global_defs_parent_script(gd, startup, &g);
	process_cmd_free(ps->cmd);
	ps->cmd = NULL;
	ps->startup = startup;
	ps->timeout_us = (uint64_t)g.timeout_s * 1000000;
	if (!g.cmd)
		return 0;
	if (script_ids(gd, &g, &uid, &gid) < 0 || process_cmd_new(g.cmd, uid, gid, &pc, NULL) < 0) {
		log_err("Invalid %s", type_of(startup));
		return -EINVAL;
	}
	/* logs why a script cannot run: not found, not executable, unsafe with script security */
	process_cmd_prepare(pc, global_defs_script_security(gd));
	if (!process_cmd_runnable(pc)) {
		process_cmd_free(pc);
		return 0;
	}
	ps->cmd = pc;
	return 0;
}

void parent_script_clear(struct parent_script *ps)
{
	process_run_cancel(&ps->run);
	process_cmd_free(ps->cmd);
	ps->cmd = NULL;
}

bool parent_script_running(const struct parent_script *ps)
{
	return process_run_state(&ps->run) != PROCESS_RUN_IDLE;
}

static void script_done(void *arg, const struct process_result *res)
{
	struct parent_script *ps = arg;
	const char *type = type_of(ps->startup);

	if (res->timed_out)
		log_info("%s timed out", type);
	else if (res->status >= 0 && WIFEXITED(res->status) && WEXITSTATUS(res->status))
		log_info("%s script failed, status %d", type, WEXITSTATUS(res->status));
	else if (res->status >= 0 && WIFEXITED(res->status))
		log_detail("%s script succeeded", type);
	else if (res->status >= 0 && WIFSIGNALED(res->status))
		log_info("%s was killed by signal %d", type, WTERMSIG(res->status));
	ps->done(ps->arg);
}

int parent_script_run(struct parent_script *ps, struct sched *s, void (*done)(void *arg),
		      void *arg)
{
	int r;

	if (!ps->cmd)
		return -ENOENT;
	ps->done = done;
	ps->arg = arg;
	log_detail("Running %s %s", type_of(ps->startup), ps->cmd->argv[0]);
	r = process_run_start(s, &ps->run, ps->cmd, NULL, ps->timeout_us, script_done, ps);
	if (r < 0)
		log_info("Call of %s %s failed", type_of(ps->startup), ps->cmd->argv[0]);
	return r;
}

bool parent_script_security(const struct parent_script *const *v, unsigned n, bool security)
{
	bool any = false, insecure = false;

	for (unsigned i = 0; i < n; i++)
		if (v[i]->cmd) {
			any = true;
			insecure |= v[i]->cmd->is_insecure;
		}
	if (security || !any)
		return false;
	log_warn("SECURITY VIOLATION - start/shutdown scripts are being executed but "
		 "script_security not enabled.%s", insecure ? " There are insecure scripts." : "");
	return true;
}

int parent_script_test(const struct global_defs *gd)
{
	struct parent_script start = { 0 }, stop = { 0 };
	const struct parent_script *v[] = { &start, &stop };
	int rc = KA_EXIT_OK;

	if (parent_script_load(&start, gd, true) < 0 || parent_script_load(&stop, gd, false) < 0)
		rc = KA_EXIT_CONFIG_TEST;
	else if (parent_script_security(v, 2, global_defs_script_security(gd)))
		rc = KA_EXIT_CONFIG_TEST_SECURITY;
	parent_script_clear(&start);
	parent_script_clear(&stop);
	return rc;
}
