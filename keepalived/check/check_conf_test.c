// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/check/check_conf_test.c: -t's load-time checks of the checker's scripts, with keepalived 2.2.7's verdicts. */
#include "check_conf.h"

#include <errno.h>
#include <string.h>

#include "check_data.h"
#include "core/daemon.h"
#include "core/global_defs.h"
#include "process.h"

/*
 * keepalived 2.2.7 checks MISC_CHECK scripts, notify_up/notify_down and
 * quorum_up/quorum_down when it loads: a MISC_CHECK script it cannot find or access is
 * disabled (the real server is judged by its other checkers); then, with any script
 * and without enable_script_security, "SECURITY VIOLATION - check scripts are being
 * executed but script_security not enabled." and -t exits 6.
 */
struct ct {
	struct ka_test *t;
	bool security;
	unsigned n_found, n_insecure;
	const char *file;		/* the first script found: where the summary points */
	int line;
};

static void check_one(struct ct *s, const struct process_cmd *pc, const char *what,
		      const char *file, int line)
{
	struct process_cmd *copy;

	if (!pc || process_cmd_new(pc->cmdline, pc->uid, pc->gid, &copy, NULL) < 0)
		return;
	switch (process_cmd_prepare(copy, s->security)) {
	case PROCESS_CHECK_NOT_FOUND:
	case PROCESS_CHECK_NO_ACCESS:
		ka_test_report(s->t, CFG_SEV_WARNING, file, line, 0,
			       "%s: script '%s' cannot be accessed (%s): it is not run", what,
			       copy->argv[0], strerror(copy->state == PROCESS_CHECK_NO_ACCESS ?
						       EACCES : ENOENT));
		break;
	case PROCESS_CHECK_NOT_EXEC:
		ka_test_report(s->t, CFG_SEV_WARNING, file, line, 0,
			       "%s: script '%s' is not executable for uid:gid %u:%u: it is not run",
			       what, copy->path, (unsigned)copy->uid, (unsigned)copy->gid);
		break;
	case PROCESS_CHECK_INSECURE:
		ka_test_report(s->t, CFG_SEV_WARNING, file, line, 0,
			       "%s: unsafe permissions found for script '%s': it is not run", what,
			       copy->path);
		break;
	default:
		break;
	}
	/* a script that cannot be found is dropped: it does not count (2.2.7's -t passes) */
	if (copy->state != PROCESS_CHECK_NOT_FOUND && copy->state != PROCESS_CHECK_NO_ACCESS) {
		if (!s->n_found++) {
			s->file = file;
			s->line = line;
		}
		s->n_insecure += copy->is_insecure || copy->state == PROCESS_CHECK_INSECURE;
	}
	process_cmd_free(copy);
}

int check_config_test(const void *conf, const struct global_defs *gd, struct ka_test *t)
{
	const struct check_conf *cc = conf;
	struct ct s = { .t = t, .security = global_defs_script_security(gd) };

	for (unsigned i = 0; i < cc->n_vs; i++) {
		const struct vs_conf *vs = &cc->vs[i];

		check_one(&s, vs->quorum_up, "quorum_up", vs->file, vs->line);
		check_one(&s, vs->quorum_down, "quorum_down", vs->file, vs->line);
		for (unsigned k = 0; k < vs->n_rs; k++) {
			const struct rs_conf *rs = &vs->rs[k];

			const struct rs_scripts *sc = rs_scripts(rs);

			check_one(&s, sc->notify_up, "notify_up", sc->file, sc->line);
			check_one(&s, sc->notify_down, "notify_down", sc->file, sc->line);
			for (unsigned n = 0; n < rs->n_checkers; n++) {
				const struct ck_conf *ck = &rs->checkers[n];

				if (ck->type != CK_MISC || !ck->u.misc.cmd)
					continue;
				check_one(&s, ck->u.misc.cmd, "MISC_CHECK", ck->file, ck->line);
			}
		}
	}
	if (!s.n_found || s.security)
		return KA_EXIT_OK;
	ka_test_report(t, CFG_SEV_ERROR, s.file, s.line, 0,
		       "SECURITY VIOLATION - check scripts are being executed but script_security "
		       "not enabled.%s", s.n_insecure ? " There are insecure scripts." : "");
	return KA_EXIT_CONFIG_TEST_SECURITY;
}
