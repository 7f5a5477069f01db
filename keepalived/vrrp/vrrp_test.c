// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/vrrp/vrrp_test.c: -t's load-time checks of the VRRP scripts, as keepalived makes them. */
#include <stdbool.h>
#include <sys/types.h>

#include "core/daemon.h"
#include "core/global_defs.h"
#include "log.h"
#include "process.h"
#include "vrrp_conf.h"
#include "vrrp_daemon.h"

struct tally {
	const struct global_defs *gd;
	bool have_user;			/* uid/gid resolved (at the first script, as keepalived) */
	bool security;
	uid_t uid;
	gid_t gid;
	unsigned n, n_insecure, n_bad;
};

/* One script as the VRRP child would prepare it; false when it would be dropped. */
static bool check_one(struct tally *t, const char *cmdline, const char *user, const char *group)
{
	struct process_cmd *pc;
	uid_t uid;
	gid_t gid;
	enum process_check chk;

	if (!t->have_user) {
		const char *su = global_defs_script_user(t->gd);

		t->have_user = true;
		if (!su || process_user_lookup(su, global_defs_script_group(t->gd), &t->uid,
					       &t->gid) < 0)
			if (!process_default_user(&t->uid, &t->gid))
				log_info("Script user '%s' does not exist", PROCESS_DEFAULT_USER);
	}
	uid = t->uid;
	gid = t->gid;
	if (user && process_user_lookup(user, group, &uid, &gid) < 0) {
		t->n_bad++;
		return false;
	}
	if (process_cmd_new(cmdline, uid, gid, &pc, NULL) < 0) {
		t->n_bad++;
		return false;
	}
	chk = process_cmd_prepare(pc, t->security);
	t->n++;
	t->n_insecure += pc->is_insecure || chk == PROCESS_CHECK_INSECURE;
	if (chk != PROCESS_CHECK_OK && !(chk == PROCESS_CHECK_INSECURE && !t->security))
		t->n_bad++;
	process_cmd_free(pc);
	return chk == PROCESS_CHECK_OK;
}

static void check_cmd(struct tally *t, const struct vc_cmd *c)
{
	if (c->cmd)
		check_one(t, c->cmd, c->user, c->group);
}

int vrrp_config_test(const void *conf, const struct global_defs *gd)
{
	const struct vrrp_conf *vc = conf;
	struct tally t = { .gd = gd, .security = global_defs_script_security(gd) };

	for (unsigned i = 0; i < vc->n_scripts; i++) {
		const struct vc_script *s = vc->scripts[i];
		bool used = false;

		for (unsigned k = 0; k < vc->n_insts && !used; k++)
			for (unsigned j = 0; j < vc->insts[k]->n_track_scripts; j++)
				used |= vc->insts[k]->track_scripts[j].script == (int)i;
		if (s->is_dup || !used || !s->script)
			continue;
		if (!check_one(&t, s->script, s->user, s->group))
			log_warn("Disabling track script %s since not found/accessible", s->id.name);
	}
	for (unsigned k = 0; k < vc->n_insts; k++) {
		const struct vc_instance *vi = vc->insts[k];

		if (vi->is_dup)
			continue;
		check_cmd(&t, &vi->notify_master);
		check_cmd(&t, &vi->notify_backup);
		check_cmd(&t, &vi->notify_fault);
		check_cmd(&t, &vi->notify_stop);
		check_cmd(&t, &vi->notify);
		check_cmd(&t, &vi->notify_master_rx_lower_pri);
	}
	if (t.n_bad)
		return KA_EXIT_CONFIG_TEST;
	return process_security_summary(t.n, t.n_insecure, t.security) ?
	       KA_EXIT_CONFIG_TEST_SECURITY : KA_EXIT_OK;
}
