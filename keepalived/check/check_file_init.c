// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/check/check_file_init.c: FILE_CHECK's states before the first IPVS table. */
#include <stdlib.h>

#include "check_engine.h"
#include "check_file.h"
#include "core/track_file.h"

/* apart from the driver, so that what links the driver table needs no engine */
void check_file_initial(struct ce *e)
{
	for (unsigned v = 0; v < ce_n_vs(e); v++) {
		struct ce_vs *vs = ce_vs_at(e, v);

		for (unsigned r = 0; r < ce_vs_n_rs(vs); r++) {
			struct ce_rs *rs = ce_rs_at(vs, r);

			for (unsigned c = 0; c < ce_rs_n_ck(rs); c++) {
				struct ce_ck *ck = ce_ck_at(rs, c);
				const struct ck_file *f = &ck->cf->u.file;
				int64_t value;
				char *path;
				bool up;
				int w;

				if (ck->cf->type != CK_FILE || !f->tf || !f->tf->path)
					continue;
				path = check_file_path(f->tf->path);
				if (!path)
					continue;
				if (track_file_read(path, &value)) {
					check_file_status(f, value, &up, &w);
					ce_ck_init_state(ck, up, w);
				}
				free(path);
			}
		}
	}
}
