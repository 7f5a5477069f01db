// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/check/check_file_conf.c: a FILE_CHECK's track_file, found when its block closes. */
#include <errno.h>

#include "check_file.h"
#include "core/global_defs.h"
#include "core/track_file.h"

const struct track_file *check_file_find(struct cfg *c, const char *name)
{
	const struct global_defs *gd = cfg_root_obj(c, global_defs_root_kws);

	return gd ? track_files_find(global_defs_track_files(gd), name) : NULL;
}

int check_file_resolve(struct cfg *c, struct ck_file *f)
{
	const struct track_file *tf;

	if (!f->track_file) {
		cfg_mistake(c, "FILE_CHECK has no track_file specified - ignoring");
		return -EINVAL;
	}
	tf = check_file_find(c, f->track_file);
	if (!tf) {
		cfg_mistake(c, "track_file %s not found", f->track_file);
		return -EINVAL;
	}
	f->tf = tf;
	if (!f->has_weight) {
		f->weight = tf->weight;
		f->reverse = tf->reverse;
	}
	return 0;
}
