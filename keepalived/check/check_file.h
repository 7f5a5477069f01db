/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/check/check_file.h: FILE_CHECK's config-time and start-up parts. */
#pragma once
#include "check_data.h"
#include "parser.h"

struct ce;

/*
 * For check_conf.c, when a FILE_CHECK block closes: find its track_file (a top-level
 * block read before it, as keepalived 2.2.7 requires: "track_file %s not found"; "FILE_CHECK
 * has no track_file specified - ignoring") and make weight/reverse effective. 0, or
 * -EINVAL after reporting (a mistake, as 2.2.7's config error: the checker is dropped).
 * In check_file_conf.c, which the parent links too.
 */
int check_file_resolve(struct cfg *c, struct ck_file *f);
/* The top-level track_file block named name read so far (NULL: none), for the keyword. */
const struct track_file *check_file_find(struct cfg *c, const char *name);

/*
 * keepalived's set_track_file_checkers_down / set_track_file_weights: before ce_start()
 * at a cold start, every FILE_CHECK of e takes the state and weight its file says now,
 * so the first IPVS table already leaves out (or weighs) those real servers. The driver
 * applies the same on its own afterwards (ck_driver_file's prepare), so calling this is
 * optional; without it the real server is added first and removed at once.
 */
void check_file_initial(struct ce *e);	/* check_file_init.c */

/* For check_file_init.c: the file's path with its directory resolved (NULL: no such
 * directory; the caller frees it), and what a value means for the checker. */
char *check_file_path(const char *path);
void check_file_status(const struct ck_file *f, int64_t value, bool *up, int *weight);
