// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/core/dumpfile.c: where the SIGUSR1 / SIGUSR2 dumps go, and writing one safely. */
#include "dumpfile.h"

#include <stdlib.h>
#include <string.h>

#include "daemon.h"
#include "global_defs.h"
#include "log.h"
#include "utils.h"

static const char *const default_name[DUMPFILE__COUNT] = {
	[DUMPFILE_DATA] = "keepalived.data",
	[DUMPFILE_STATS] = "keepalived.stats",
	[DUMPFILE_JSON] = "keepalived.json",
};

char *dumpfile_path(const struct global_defs *gd, const char *ns, enum dumpfile_kind kind,
		    const char *suffix)
{
	struct gd_dump_files df;
	const char *set, *dir, *name, *dot, *inst = global_defs_instance(gd);
	bool tag;
	int dir_len;

	global_defs_dump_files(gd, &df);
	set = kind == DUMPFILE_DATA ? df.state_file :
	      kind == DUMPFILE_STATS ? df.stats_file : df.json_file;
	if (set && !set[0])
		set = NULL;
	if (set && set[0] == '/') {
		dir = set;
		dir_len = (int)(strrchr(set, '/') - set);	/* "/a/b.data", "/a/": "/a" */
	} else {
		dir = daemon_tmp_dir();
		dir_len = (int)strlen(dir);
	}
	if (set && set[strlen(set) - 1] != '/')
		name = strrchr(set, '/') ? strrchr(set, '/') + 1 : set;
	else
		name = default_name[kind];
	dot = strrchr(name, '.');
	if (!dot)
		dot = name + strlen(name);
	/* keepalived's data_use_instance: keepalived.NS_INSTANCE.data, data dumps only */
	tag = kind == DUMPFILE_DATA && df.use_instance && (ns || inst);
	return xasprintf("%.*s/%.*s%s%s%s%s%s%s", dir_len, dir, (int)(dot - name), name, suffix,
			 tag ? "." : "", tag && ns ? ns : "", tag && ns && inst ? "_" : "",
			 tag && inst ? inst : "", dot);
}

FILE *dumpfile_open(struct safe_file *sf, const char *path)
{
	int r = safe_file_create(sf, path, 0666);

	if (r < 0) {
		log_info("Can't open dump file %s (%d: %s)", path, -r, strerror(-r));
		return NULL;
	}
	return sf->f;
}

int dumpfile_close(struct safe_file *sf)
{
	char *path = xstrdup(sf->path);
	int r = safe_file_commit(sf);

	if (r < 0)
		log_err("Cannot write dump file %s: %s", path, strerror(-r));
	free(path);
	return r;
}
