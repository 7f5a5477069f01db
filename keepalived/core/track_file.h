/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/core/track_file.h: the top-level track_file blocks and the values their files hold. */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "parser.h"
#include "ratelimit.h"

/*
 * track_file NAME {
 *	file PATH
 *	weight W [reverse]		(-254..254, default 1)
 *	init_file [VALUE] [overwrite]	(create the file holding VALUE, default 0)
 * }
 * (and the deprecated vrrp_track_file). keepalived 2.2.7 keeps them for both children:
 * VRRP's track_file (issue 14) and the checker's FILE_CHECK. The list lives in
 * global_defs (global_defs_track_files()); nothing here depends on vrrp/ or check/.
 */
struct track_file {
	char *name;
	char *path;		/* NULL: no `file` line (the block is then dropped) */
	int weight;
	bool reverse;
	bool has_weight;
	bool has_init;		/* init_file given */
	bool init_overwrite;
	int init_value;
	const char *file;	/* where the block opened (the parser's strings) */
	int line;
};

struct track_files {
	struct track_file **v;	/* in config order; owned */
	unsigned n;
};

/* The block's keywords; the object is the struct track_file that track_files_open() made. */
extern const struct cfg_kw track_file_kws[];
void *track_files_open(struct cfg *c, struct track_files *l, const struct cfg_args *a);
int track_file_close(struct cfg *c, void *obj);
void track_files_free(struct track_files *l);	/* the contents; l itself is the caller's */
const struct track_file *track_files_find(const struct track_files *l, const char *name);
/* -d: the blocks as keepalived.conf lines */
void track_files_dump(const struct track_files *l, FILE *f);

/*
 * init_file, once the config is loaded (not for -t): a file that does not exist is
 * created holding the value; with overwrite, an existing regular file is rewritten too
 * (unless reload: keepalived does not overwrite on a reload). Problems are logged.
 */
void track_files_init(const struct track_files *l, bool reload);

/*
 * The value a track file holds, as keepalived reads it (strtol base 0 of up to 127
 * bytes: leading blanks, a sign, 0x and 0 prefixes; text after the number and a file
 * without a number count as 0). Returns false for a number out of
 * [INT32_MIN, INT32_MAX + 1]: keepalived then logs "Invalid number %lld read from %s -
 * ignoring" and keeps the previous value.
 */
bool track_file_parse(const char *buf, size_t len, int64_t *value);
/*
 * The file's real path as keepalived's init_track_files resolves it: realpath() of the
 * file, or of its directory when the file does not exist (yet). NULL: no such directory.
 * Free it.
 */
char *track_file_resolve(const char *path);
/* Read path (missing or empty: 0). false as track_file_parse(); *value is then set. */
bool track_file_read(const char *path, int64_t *value);
/*
 * keepalived's "Invalid number %lld read from %s - ignoring" for a file anyone allowed to
 * write it can rewrite at will: at most 5 lines per 10 s per file (rl, zeroed at first),
 * the others counted in "N similar log lines suppressed (track file PATH)".
 */
void track_file_log_invalid(struct ratelimit *rl, const char *path, int64_t value);

#define TRACK_FILE_FAULT INT32_MIN
/*
 * What a tracker makes of value (keepalived's update_track_file_status): weight 0 means
 * a non-zero value is a fault (reverse: a zero value is); otherwise value * weight
 * (reverse: negated), clamped to int. TRACK_FILE_FAULT (INT_MIN) means down.
 */
int track_file_status(int64_t value, int weight, bool reverse);
