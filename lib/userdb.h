/* SPDX-License-Identifier: GPL-2.0-or-later */
/* lib/userdb.h: user and group names to ids, for every USER [GROUP] of keepalived.conf. */
#pragma once
#include <sys/types.h>

struct cfg;
struct cfg_args;

enum userdb_res {
	USERDB_OK,
	USERDB_NO_USER,		/* no such user (or NSS could not say) */
	USERDB_NO_GROUP,	/* the user exists, the group does not */
};

/* keepalived.conf writes a group as GROUP or :GROUP; the name without the ':'. */
const char *userdb_group_name(const char *group);

/*
 * user and, when group (see userdb_group_name()) is not NULL, group to ids. group NULL:
 * the user's primary group. *uid and *gid are set on USERDB_OK only. May ask NSS: call
 * it when a config loads, never from an event loop callback. Logs nothing.
 */
enum userdb_res userdb_lookup(const char *user, const char *group, uid_t *uid, gid_t *gid);

/*
 * A keyword's USER [[:]GROUP] words: argument i (the user) and, when present, i + 1
 * (the group). Each must exist, else an error at its column ("'notify': user 'x' does
 * not exist"). The names are stored in *user and *group (either may be NULL: not
 * stored; *group NULL when the line has none, else without its ':') whether they exist
 * or not: a command whose own user is unknown is refused when it is loaded, instead
 * of running as the default user (root, maybe). Returns 0 or -EINVAL.
 */
int userdb_cfg_words(struct cfg *c, const struct cfg_args *a, int i, char **user, char **group);
