// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * keepalived/core/child_prog.c: a child as a program of its own.
 *
 * The watchdog forks each child. A module that names a program (the VRRP child:
 * keepalived-vrrp) then has the forked process exec it: the child starts from a fresh
 * address space that holds only what it needs, instead of a copy of the parent's heap
 * (the whole configuration, the parser's leftovers) and the libraries the parent and
 * the checker need (libnl). That is most of a small child's memory.
 * The program reads the same command line and configuration file as the parent.
 */
#include "child.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "cli.h"
#include "global_defs.h"
#include "log.h"
#include "utils.h"

/* "HB_FD:PARENT_PID", set only for the exec: removed before the child runs scripts. */
#define KA_CHILD_ENV "KEEPALIVED_CHILD"
#define TUNABLES_ENV "GLIBC_TUNABLES"

char *ka_program_path(const char *prog)
{
	char self[PATH_MAX], *path, *slash;
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n > 0) {
		self[n] = '\0';
		slash = strrchr(self, '/');
		if (slash) {
			*slash = '\0';
			path = xasprintf("%s/%s", self, prog);
			if (access(path, X_OK) == 0)
				return path;
			free(path);
		}
	}
	path = xasprintf("%s/%s", PKGLIBEXECDIR, prog);
	if (access(path, X_OK) == 0)
		return path;
	free(path);
	return NULL;
}

char *ka_child_program_path(enum ka_mod id)
{
	const char *prog = ka_modules[id] ? ka_modules[id]->program : NULL;

	return prog ? ka_program_path(prog) : NULL;
}

/* The module's malloc tunables, before the user's (theirs win); the user's value back. */
static char *tunables_set(const char *ours)
{
	const char *was = getenv(TUNABLES_ENV);
	char *v, *saved = was ? xstrdup(was) : NULL;

	if (!ours)
		return saved;
	v = was ? xasprintf("%s:%s", ours, was) : xstrdup(ours);	/* "": "ours:", back to "" */
	setenv(TUNABLES_ENV, v, 1);
	free(v);
	return saved;
}

static void tunables_unset(const char *ours)
{
	const char *v = getenv(TUNABLES_ENV);
	size_t n = ours ? strlen(ours) : 0;
	char *rest;

	if (!ours || !v || strncmp(v, ours, n) || (v[n] && v[n] != ':'))
		return;
	if (!v[n]) {
		unsetenv(TUNABLES_ENV);
		return;
	}
	rest = xstrdup(v + n + 1);
	setenv(TUNABLES_ENV, rest, 1);
	free(rest);
}

int ka_child_exec(enum ka_mod id, const char *path, const struct ka_opts *o, int hb_fd)
{
	const char *tun = ka_modules[id] ? ka_modules[id]->malloc_tunables : NULL;
	char env[48], *saved;
	int r, fl = fcntl(hb_fd, F_GETFD);

	if (fl < 0 || fcntl(hb_fd, F_SETFD, fl & ~FD_CLOEXEC) < 0)
		return -errno;
	snprintf(env, sizeof(env), "%d:%d", hb_fd, (int)getppid());
	if (setenv(KA_CHILD_ENV, env, 1) < 0)
		return -errno;
	saved = tunables_set(tun);
	/* kept across the exec; the program checks the parent is still the one we had */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	execv(path, o->argv);
	r = -errno;
	unsetenv(KA_CHILD_ENV);
	if (tun) {
		if (saved)
			setenv(TUNABLES_ENV, saved, 1);
		else
			unsetenv(TUNABLES_ENV);
	}
	free(saved);
	fcntl(hb_fd, F_SETFD, fl);
	return r;
}

/* KA_CHILD_ENV's "HB_FD:PARENT_PID"; false if it is not that. */
static bool parse_child_env(const char *env, int *hb_fd, int *parent)
{
	char *end;
	long fd, pid;

	if (!env)
		return false;
	errno = 0;
	fd = strtol(env, &end, 10);
	if (end == env || *end != ':' || fd < 0 || fd > INT_MAX)
		return false;
	env = end + 1;
	pid = strtol(env, &end, 10);
	if (end == env || *end || errno || pid <= 0 || pid > INT_MAX)
		return false;
	*hb_fd = (int)fd;
	*parent = (int)pid;
	return true;
}

static void quiet_diag(void *arg, const struct cfg_diag *d)
{
}

int ka_child_main(enum ka_mod id, int argc, char **argv)
{
	const char *env = getenv(KA_CHILD_ENV);
	struct ka_config_opts lo = { .skip_unknown_top = true, .diag = quiet_diag };
	struct ka_config *cfg;
	struct ka_cli cl;
	char *ns = NULL;
	int hb_fd, parent, r;

	if (!parse_child_env(env, &hb_fd, &parent)) {
		fprintf(stderr, "This is keepalived's %s child program: keepalived runs it; "
			"run keepalived instead\n", ka_modules[id]->name);
		return KA_EXIT_PROGRAM_ERROR;
	}
	unsetenv(KA_CHILD_ENV);
	tunables_unset(ka_modules[id] ? ka_modules[id]->malloc_tunables : NULL);	/* read */
	if (fcntl(hb_fd, F_SETFD, FD_CLOEXEC) < 0) {
		fprintf(stderr, "Bad heartbeat descriptor %d: %s\n", hb_fd, strerror(errno));
		return KA_EXIT_PROGRAM_ERROR;
	}
	if (getppid() != parent)
		return KA_EXIT_OK;	/* the parent died before the exec: nothing to serve */
	if (ka_cli_parse(&cl, argc, argv, true) != KA_CLI_RUN)
		return KA_EXIT_PROGRAM_ERROR;
	log_open(&cl.log);	/* the parent has said if the log file cannot be opened */
	lo.path = cl.o.conf_file;
	lo.config_id = cl.o.config_id;
	lo.includes_required = cl.o.all_config;
	lo.load[id] = true;
	r = ka_config_load(&lo, &cfg);
	if (r == -ENOENT) {
		log_err("Config files missing '%s'.", cl.o.conf_file);
		ka_config_free(cfg);
		log_close();
		return KA_EXIT_CONFIG;
	}
	/* as the parent does: -s, else the config's net_namespace (already entered) */
	if (!cl.o.namespace && global_defs_net_namespace(cfg->gd))
		cl.o.namespace = ns = xstrdup(global_defs_net_namespace(cfg->gd));
	r = ka_child_run(id, cfg, &cl.o, hb_fd);
	free(ns);
	log_close();
	return r;
}
