// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/vrrp/vrrp_test.c: -t's load-time checks of the VRRP scripts, with keepalived 2.2.7's verdicts. */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

#include "core/daemon.h"
#include "core/global_defs.h"
#include "process.h"
#include "userdb.h"
#include "vrrp_conf.h"
#include "vrrp_daemon.h"

/*
 * What keepalived 2.2.7's -t makes of scripts (each observed side by side):
 * - a vrrp_script (tracked or not) that cannot be found or accessed, or is unsafe under
 *   enable_script_security, is disabled and fails -t (exit 5);
 * - a notify script with the same problems is not run, and -t passes; a script that is
 *   not executable is dropped, and -t passes;
 * - the default user keepalived_script missing: scripts run as root, -t passes; under
 *   enable_script_security they are not run, and -t fails;
 * - any script that exists, without enable_script_security: "SECURITY VIOLATION",
 *   exit 6 (over 5).
 * None of this is looked at when there is no vrrp_instance.
 */
struct scripts {
	struct ka_test *t;
	const struct global_defs *gd;
	bool security;
	int dflt;			/* default user: 0 not looked up yet, 1 found, -1 missing */
	uid_t dflt_uid;
	gid_t dflt_gid;
	const struct vc_at *first_found;	/* where the summary points */
	unsigned n_insecure;
};

static bool lookup(const char *user, const char *group, uid_t *uid, gid_t *gid)
{
	return userdb_lookup(user, group, uid, gid) == USERDB_OK;
}

/* The user a command without its own runs as; false when it is not run at all. */
static bool default_user(struct scripts *s, const struct vc_at *at, uid_t *uid, gid_t *gid)
{
	const char *su = global_defs_script_user(s->gd);

	/* an unknown script_user is an error of its own, at its line */
	if (su)
		return lookup(su, global_defs_script_group(s->gd), uid, gid);
	if (!s->dflt) {
		s->dflt = lookup(PROCESS_DEFAULT_USER, NULL, &s->dflt_uid, &s->dflt_gid) ? 1 : -1;
		if (s->dflt < 0 && s->security)
			ka_test_report(s->t, CFG_SEV_MISTAKE, at->file, at->line, at->col,
				       "script user '%s' does not exist: under enable_script_security "
				       "scripts without a user of their own are not run (set script_user)",
				       PROCESS_DEFAULT_USER);
		else if (s->dflt < 0)
			ka_test_report(s->t, CFG_SEV_WARNING, at->file, at->line, at->col,
				       "script user '%s' does not exist: scripts without a user of "
				       "their own run as root (set script_user)", PROCESS_DEFAULT_USER);
	}
	if (s->dflt > 0) {
		*uid = s->dflt_uid;
		*gid = s->dflt_gid;
	} else {
		*uid = getuid();
		*gid = getgid();
	}
	return s->dflt > 0 || !s->security;
}

/*
 * One command as the child would prepare it. what names it in messages ("vrrp_script
 * 'chk'", "notify_master"); tracked: a vrrp_script (its problems fail -t).
 */
static void check_cmd(struct scripts *s, const struct vc_at *at, const char *what, bool tracked,
		      const char *cmdline, const char *user, const char *group)
{
	enum cfg_sev sev = tracked ? CFG_SEV_MISTAKE : CFG_SEV_WARNING;
	const char *fate = tracked ? "the script is disabled" : "it is not run";
	struct process_cmd *pc;
	uid_t uid;
	gid_t gid;

	/* an unknown user or group is an error of its own, at its line */
	if (user ? !lookup(user, group, &uid, &gid) : !default_user(s, at, &uid, &gid))
		return;
	if (process_cmd_new(cmdline, uid, gid, &pc, NULL) < 0)
		return;
	switch (process_cmd_prepare(pc, s->security)) {
	case PROCESS_CHECK_NOT_FOUND:
	case PROCESS_CHECK_NO_ACCESS:
		ka_test_report(s->t, sev, at->file, at->line, at->col,
			       "%s: script '%s' cannot be accessed (%s): %s", what, pc->argv[0],
			       strerror(pc->state == PROCESS_CHECK_NO_ACCESS ? EACCES : ENOENT), fate);
		break;
	case PROCESS_CHECK_NOT_EXEC:
		ka_test_report(s->t, CFG_SEV_WARNING, at->file, at->line, at->col,
			       "%s: script '%s' is not executable for uid:gid %u:%u: %s", what,
			       pc->path, (unsigned)uid, (unsigned)gid, fate);
		break;
	case PROCESS_CHECK_INSECURE:
		ka_test_report(s->t, sev, at->file, at->line, at->col,
			       "%s: unsafe permissions found for script '%s' (a non-root user "
			       "may change what runs as root): %s", what, pc->path, fate);
		break;
	default:
		break;
	}
	if (pc->state != PROCESS_CHECK_NOT_FOUND && pc->state != PROCESS_CHECK_NO_ACCESS) {
		if (!strchr(pc->argv[0], '/'))
			ka_test_report(s->t, CFG_SEV_WARNING, at->file, at->line, at->col,
				       "%s: script '%s' found by PATH search as '%s': give the full path",
				       what, pc->argv[0], pc->path);
		if (!s->first_found)
			s->first_found = at;
		s->n_insecure += pc->is_insecure || pc->state == PROCESS_CHECK_INSECURE;
	}
	process_cmd_free(pc);
}

static const char *const notify_kw[VC_NOTIFY__COUNT] = {
	[VC_NOTIFY_MASTER] = "notify_master", [VC_NOTIFY_BACKUP] = "notify_backup",
	[VC_NOTIFY_FAULT] = "notify_fault", [VC_NOTIFY_STOP] = "notify_stop",
	[VC_NOTIFY_ANY] = "notify", [VC_NOTIFY_RX_LOWER] = "notify_master_rx_lower_pri",
	[VC_NOTIFY_DELETED] = "notify_deleted",
	[VC_NOTIFY_CONFLICT] = "notify_conflict",
};

static void check_notify(struct scripts *s, const struct vc_cmd *c, const char *kw)
{
	if (c->cmd)
		check_cmd(s, &c->at, kw, false, c->cmd, c->user, c->group);
}

int vrrp_config_test(const void *conf, const struct global_defs *gd, struct ka_test *t)
{
	const struct vrrp_conf *vc = conf;
	struct scripts s = { .t = t, .gd = gd, .security = global_defs_script_security(gd) };
	unsigned n_insts = 0;
	struct vc_at fifo_at[2];	/* s.first_found may point here */

	for (unsigned i = 0; i < vc->n_insts; i++)
		n_insts += !vc->insts[i]->is_dup;
	if (!n_insts)
		return KA_EXIT_OK;
	for (unsigned i = 0; i < vc->n_scripts; i++) {
		const struct vc_script *vs = vc->scripts[i];
		char what[160];

		if (vs->is_dup || !vs->script)
			continue;
		snprintf(what, sizeof(what), "vrrp_script '%s'", vs->id.name);
		check_cmd(&s, &vs->script_at, what, true, vs->script, vs->user, vs->group);
	}
	for (unsigned k = 0; k < vc->n_insts; k++) {
		const struct vc_instance *vi = vc->insts[k];

		for (int n = 0; n < VC_NOTIFY__COUNT && !vi->is_dup; n++)
			check_notify(&s, vc_notify_cmd(vi, n), notify_kw[n]);
	}
	for (unsigned k = 0; k < vc->n_groups; k++) {
		const struct vc_group *g = vc->groups[k];

		if (g->is_dup)
			continue;
		check_notify(&s, &g->notify_master, "notify_master");
		check_notify(&s, &g->notify_backup, "notify_backup");
		check_notify(&s, &g->notify_fault, "notify_fault");
		check_notify(&s, &g->notify_stop, "notify_stop");
		check_notify(&s, &g->notify, "notify");
	}
	/* the FIFO scripts the VRRP child runs (keepalived's -t counts them too) */
	for (int k = 0; k < 2; k++) {
		struct gd_fifo f;

		global_defs_fifo(gd, k ? GD_FIFO_VRRP : GD_FIFO_GLOBAL, &f);
		fifo_at[k] = (struct vc_at){ .file = f.script_file, .line = f.script_line,
					     .col = f.script_col };
		if (f.script)
			check_cmd(&s, &fifo_at[k], k ? "vrrp_notify_fifo_script" :
				  "notify_fifo_script", false, f.script, f.script_user,
				  f.script_group);
	}
	if (s.security || !s.first_found)
		return KA_EXIT_OK;
	ka_test_report(t, CFG_SEV_ERROR, s.first_found->file, s.first_found->line,
		       s.first_found->col, "SECURITY VIOLATION - scripts are being executed but "
		       "script_security not enabled.%s",
		       s.n_insecure ? " There are insecure scripts." : "");
	return KA_EXIT_CONFIG_TEST_SECURITY;
}
