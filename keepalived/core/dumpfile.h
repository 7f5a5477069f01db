/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/core/dumpfile.h: where the SIGUSR1 / SIGUSR2 dumps go, and writing one safely. */
#pragma once
#include <stdbool.h>
#include <stdio.h>
#include "safe_file.h"

struct global_defs;

enum dumpfile_kind {
	DUMPFILE_DATA,		/* SIGUSR1: keepalived.data; state_dump_file */
	DUMPFILE_STATS,		/* SIGUSR2: keepalived.stats; stats_dump_file */
	DUMPFILE_JSON,		/* keepalived.json; json_dump_file */
	DUMPFILE__COUNT
};

/*
 * The dump's path (the caller frees it). The *_dump_file setting, when absolute, gives
 * the directory and, unless it ends in '/', the file name; a relative one gives only the
 * file name. The directory is otherwise keepalived's temporary directory ($TMPDIR if
 * absolute, else /tmp) and the name keepalived.data/.stats/.json. suffix ("" for the
 * VRRP child, "_check", "_parent") goes before the name's extension, and so does
 * ".NS_INSTANCE" for a data dump under data_use_instance (ns: the network namespace or
 * NULL; the instance name comes from gd). So state_dump_file /var/tmp/ka.data puts the
 * parent's dump in /var/tmp/ka_parent.data.
 */
char *dumpfile_path(const struct global_defs *gd, const char *ns, enum dumpfile_kind kind,
		    const char *suffix);

/*
 * A dump is written to a private temporary file beside path, renamed over path by
 * dumpfile_close() (lib/safe_file.h): no symlink is followed, no file someone else made
 * is written through, and the file's mode is 0666 & ~umask (0600 by default).
 * dumpfile_open() returns the stream, or NULL after logging keepalived's "Can't open
 * dump file" line; dumpfile_close() logs a failure to put the file in place.
 */
FILE *dumpfile_open(struct safe_file *sf, const char *path);
int dumpfile_close(struct safe_file *sf);

/*
 * The "------< Global definitions >------" section every SIGUSR1 dump opens with, in
 * keepalived 2.2.7's layout (core/dumpfile_gd.c). vrrp_child: the VRRP child's dump,
 * which alone shows "Default interface".
 */
void dumpfile_global_defs(const struct global_defs *gd, FILE *f, bool vrrp_child);
