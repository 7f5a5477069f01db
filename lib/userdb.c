// SPDX-License-Identifier: GPL-2.0-or-later
/* lib/userdb.c: user and group names to ids, and the config words that name them. */
#include "userdb.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>

#include "parser.h"
#include "utils.h"

const char *userdb_group_name(const char *group)
{
	return group && *group == ':' ? group + 1 : group;
}

enum userdb_res userdb_lookup(const char *user, const char *group, uid_t *uid, gid_t *gid)
{
	const struct passwd *pw = getpwnam(user);
	const struct group *gr;
	uid_t u;
	gid_t g;

	if (!pw)
		return USERDB_NO_USER;
	u = pw->pw_uid;
	g = pw->pw_gid;		/* copied: getgrnam() may reuse NSS's buffers */
	if (group) {
		if (!(gr = getgrnam(userdb_group_name(group))))
			return USERDB_NO_GROUP;
		g = gr->gr_gid;
	}
	*uid = u;
	*gid = g;
	return USERDB_OK;
}

int userdb_cfg_words(struct cfg *c, const struct cfg_args *a, int i, char **user, char **group)
{
	const char *g = i + 1 < a->argc ? userdb_group_name(a->argv[i + 1]) : NULL;
	uid_t uid;
	gid_t gid;
	int r = 0;

	switch (userdb_lookup(a->argv[i], g, &uid, &gid)) {
	case USERDB_OK:
		break;
	case USERDB_NO_USER:
		cfg_error_arg(c, i, "'%s': user '%s' does not exist", a->argv[0], a->argv[i]);
		r = -EINVAL;
		break;
	case USERDB_NO_GROUP:
		cfg_error_arg(c, i + 1, "'%s': group '%s' does not exist", a->argv[0], g);
		r = -EINVAL;
		break;
	}
	if (user) {
		free(*user);
		*user = xstrdup(a->argv[i]);
	}
	if (group) {
		free(*group);
		*group = g ? xstrdup(g) : NULL;
	}
	return r;
}
