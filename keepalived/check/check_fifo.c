// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/check/check_fifo.c: the checker's notify FIFO lines (notify_fifo, lvs_notify_fifo). */
#include "check_fifo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/global_defs.h"
#include "core/notify_fifo.h"
#include "log.h"
#include "process.h"
#include "utils.h"

enum { CF_GLOBAL, CF_LVS, CF__COUNT };

struct check_fifo {
	struct notify_fifo *fifo[CF__COUNT];
	char *sig[CF__COUNT];
};

/* The FIFO script as a notify script of the checker: its own user, else the default one. */
static struct process_cmd *prepare(const struct global_defs *gd, const struct gd_fifo *f,
				   bool security)
{
	struct gd_fifo as = { .path = f->script, .user = f->script_user,
			      .group = f->script_group };
	struct process_cmd *cmd = NULL;
	uid_t uid;
	gid_t gid;

	if (!f->script || !notify_fifo_owner(gd, &as, "lvs_", &uid, &gid))
		return NULL;
	if (process_cmd_new(f->script, uid, gid, &cmd, NULL) < 0)
		return NULL;
	process_cmd_prepare(cmd, security);
	return cmd;
}

static void open_one(struct check_fifo *cf, int i, struct sched *s, const struct global_defs *gd,
		     bool security)
{
	struct gd_fifo f;
	struct notify_fifo_conf c = { .type = i == CF_LVS ? "lvs_" : "",
				      .exit_line = "lvs notify fifo script terminated" };
	struct process_cmd *script = NULL;

	global_defs_fifo(gd, i == CF_LVS ? GD_FIFO_LVS : GD_FIFO_GLOBAL, &f);
	if (i == CF_LVS && f.same_as_global)
		log_info("notify FIFO %s has been specified for global and LVS FIFO - ignoring "
			 "LVS FIFO", f.same_as_global);
	cf->sig[i] = notify_fifo_sig(&f);
	c.path = f.path;
	if (!f.path || !notify_fifo_owner(gd, &f, c.type, &c.uid, &c.gid))
		return;
	if (i == CF_LVS)
		script = prepare(gd, &f, security);
	c.script = script;
	if (notify_fifo_open(s, &c, &cf->fifo[i]) < 0)
		cf->fifo[i] = NULL;
	process_cmd_free(script);
}

struct check_fifo *check_fifo_open(struct sched *s, const struct global_defs *gd, bool security)
{
	struct check_fifo *cf = xcalloc(1, sizeof(*cf));

	for (int i = 0; i < CF__COUNT; i++)
		open_one(cf, i, s, gd, security);
	return cf;
}

struct check_fifo *check_fifo_reload(struct check_fifo *cf, struct sched *s,
				     const struct global_defs *gd, bool security)
{
	if (!cf)
		return check_fifo_open(s, gd, security);
	for (int i = 0; i < CF__COUNT; i++) {
		struct gd_fifo f;
		char *sig;
		bool same;

		global_defs_fifo(gd, i == CF_LVS ? GD_FIFO_LVS : GD_FIFO_GLOBAL, &f);
		sig = notify_fifo_sig(&f);
		same = (!sig && !cf->sig[i]) || (sig && cf->sig[i] && !strcmp(sig, cf->sig[i]));
		free(sig);
		if (same)
			continue;
		notify_fifo_free(cf->fifo[i]);
		cf->fifo[i] = NULL;
		free(cf->sig[i]);
		cf->sig[i] = NULL;
		open_one(cf, i, s, gd, security);
	}
	return cf;
}

static void write_all(struct check_fifo *cf, const char *line)
{
	size_t len = strlen(line);

	for (int i = 0; cf && i < CF__COUNT; i++)
		notify_fifo_write(cf->fifo[i], line, len);
}

void check_fifo_rs(struct check_fifo *cf, const char *rs, const char *vs, bool up)
{
	char line[512];

	if (!cf || (!cf->fifo[CF_GLOBAL] && !cf->fifo[CF_LVS]))
		return;
	snprintf(line, sizeof(line), "RS %s %s %s\n", rs, vs, up ? "UP" : "DOWN");
	write_all(cf, line);
}

void check_fifo_vs(struct check_fifo *cf, const char *vs, bool up)
{
	char line[512];

	if (!cf || (!cf->fifo[CF_GLOBAL] && !cf->fifo[CF_LVS]))
		return;
	snprintf(line, sizeof(line), "VS %s %s\n", vs, up ? "UP" : "DOWN");
	write_all(cf, line);
}

void check_fifo_free(struct check_fifo *cf)
{
	if (!cf)
		return;
	for (int i = 0; i < CF__COUNT; i++) {
		notify_fifo_free(cf->fifo[i]);
		free(cf->sig[i]);
	}
	free(cf);
}
