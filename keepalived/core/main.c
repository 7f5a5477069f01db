// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/core/main.c: the command line, -t, and starting the watchdog parent. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "child.h"
#include "cli.h"
#include "config.h"
#include "ctl_server.h"
#include "daemon.h"
#include "global_defs.h"
#include "log.h"
#include "parent_script.h"
#include "pidfile.h"
#include "safe_file.h"
#include "utils.h"
#include "watchdog.h"

/* keepalived -T runs it (run_genhash()) */
#define GENHASH_PROGRAM "keepalived-genhash"

/* -t: every diagnostic to stderr or the LOG_FILE given, as FILE:LINE:COL: severity: message. */
static void test_diag(void *arg, const struct cfg_diag *d)
{
	char buf[4096];

	fprintf(arg, "%s\n", cfg_diag_format(d, buf, sizeof(buf)));
}

static int config_test(const struct ka_opts *o, const char *log_file)
{
	FILE *out = stderr;
	struct ka_config_opts lo = {
		.path = o->conf_file,
		.config_id = o->config_id,
		.includes_required = o->all_config,
		.diag = test_diag,
		.config_test = true,
	};
	struct ka_config *cfg;
	struct ka_test t = { .diag = test_diag };
	int fd, r, test_rc = KA_EXIT_OK;

	/* Appended to, as keepalived does; never through a symlink or another user's file. */
	if (log_file) {
		r = safe_file_open(log_file, O_WRONLY | O_APPEND, 0644, &fd);
		if (r >= 0 && !(out = fdopen(fd, "a"))) {
			r = -errno;
			close(fd);
		}
		if (r < 0) {
			fprintf(stderr, "Cannot open %s: %s\n", log_file, strerror(-r));
			return KA_EXIT_CONFIG;
		}
	}
	lo.diag_arg = t.diag_arg = out;
	for (int m = 0; m < KA_MOD__COUNT; m++)
		lo.load[m] = ka_modules[m] != NULL;
	r = ka_config_load(&lo, &cfg);
	if (o->dump_conf)
		ka_config_dump(cfg, stdout);
	if (r != -ENOENT) {
		/* the modules' load-time checks report through t; the code they use stays quiet */
		struct log_opts lop = { .ident = "Keepalived", .facility = LOG_DAEMON,
					.max_prio = LOG_DEBUG };
		int r2;

		log_open(&lop);
		for (int m = 0; m < KA_MOD__COUNT; m++) {
			int rc;

			if (!ka_modules[m] || !ka_modules[m]->config_test || !cfg->mod[m])
				continue;
			rc = ka_modules[m]->config_test(cfg->mod[m], cfg->gd, &t);
			if (rc > test_rc)
				test_rc = rc;
		}
		/* the startup/shutdown scripts' checks speak keepalived's lines, on the console */
		lop.to_console = true;
		log_open(&lop);
		r2 = parent_script_test(cfg->gd);
		if (r2 > test_rc)
			test_rc = r2;
	}
	ka_config_free(cfg);
	if (out != stderr)
		fclose(out);
	if (r == -ENOENT)
		return KA_EXIT_CONFIG;	/* cannot run: no configuration */
	/* as keepalived: a security finding (6) outranks errors (5) */
	if (test_rc == KA_EXIT_OK && (r < 0 || t.n_errors))
		test_rc = KA_EXIT_CONFIG_TEST;
	return test_rc;
}

/* -d at run time: the parsed configuration, line by line, into the log. */
static void dump_to_log(const struct ka_config *cfg)
{
	char *buf = NULL, *line, *save = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return;
	ka_config_dump(cfg, f);
	fclose(f);
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		log_info("%s", line);
	free(buf);
}

/*
 * Default pid files, as keepalived 2.2.7 names them: /run/keepalived.pid,
 * /run/vrrp.pid, /run/checkers.pid; in /run/keepalived/ with use_pid_dir or
 * `instance NAME` (then keepalived_NAME.pid ...); in /run/keepalived/keepalived_NS/
 * for a network namespace NS (keepalived bind-mounts that directory on
 * /run/keepalived inside a private mount namespace; we write there directly, so
 * the files are where a user in the default mount namespace looks for them).
 * Paths given with -p, -r, -c are kept.
 */
static void set_pid_paths(struct ka_opts *o, const struct global_defs *gd, const bool *explicit_pid,
			  char **owned)
{
	static const char *const base[KA_MOD__COUNT + 1] = {
		[KA_MOD_VRRP] = "vrrp", [KA_MOD_CHECK] = "checkers", [KA_MOD__COUNT] = "keepalived",
	};
	const char *inst = global_defs_instance(gd);
	char *dir, *suffix = inst ? xasprintf("_%s", inst) : xstrdup("");

	if (o->namespace)
		dir = xasprintf("%s/keepalived/keepalived_%s", RUNSTATEDIR, o->namespace);
	else if (inst || global_defs_use_pid_dir(gd))
		dir = xstrdup(RUNSTATEDIR "/keepalived");
	else
		dir = xstrdup(RUNSTATEDIR);
	for (int m = 0; m <= KA_MOD__COUNT; m++) {
		char *path;

		if (explicit_pid[m])
			continue;
		path = owned[m] = xasprintf("%s/%s%s.pid", dir, base[m], suffix);
		if (m == KA_MOD__COUNT)
			o->pidfile = path;
		else
			o->child_pidfile[m] = path;
	}
	free(dir);
	free(suffix);
}

/* -s / net_namespace: the whole daemon moves into an existing named namespace. */
static int enter_namespace(const char *name)
{
	char *path = xasprintf("/run/netns/%s", name);
	int fd = open(path, O_RDONLY | O_CLOEXEC), r = 0;

	if (fd < 0) {
		r = -errno;
		log_err("Cannot open network namespace '%s' (%s): %s; create it with 'ip netns add %s'",
			name, path, strerror(errno), name);
	} else if (setns(fd, CLONE_NEWNET) < 0) {
		r = -errno;
		log_err("Cannot enter network namespace '%s': %s", name, strerror(errno));
	} else {
		char *ident = xasprintf("Keepalived_%s", name);

		log_set_ident(ident);
		free(ident);
		log_info("Running in network namespace %s", name);
	}
	if (fd >= 0)
		close(fd);
	free(path);
	return r;
}

/* -m / -M: unlimited core size; -M also sets the kernel's core_pattern. */
static void enable_core_dumps(const char *pattern)
{
	struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };
	FILE *f;

	setrlimit(RLIMIT_CORE, &rl);
	prctl(PR_SET_DUMPABLE, 1);
	if (!pattern)
		return;
	f = fopen("/proc/sys/kernel/core_pattern", "we");
	if (!f || fprintf(f, "%s\n", pattern) < 0)
		log_err("Cannot set core_pattern to '%s': %s", pattern, strerror(errno));
	if (f)
		fclose(f);
}

/*
 * -T/--genhash: genhash is a program of its own (keepalived-genhash, beside this binary
 * or in PKGLIBEXECDIR) so that this one, the long-running parent, does not map OpenSSL.
 * It gets our argv unchanged, argv[0] included, for its usage and error lines.
 */
static int run_genhash(char **argv)
{
	char *path = ka_program_path(GENHASH_PROGRAM);

	if (!path) {
		fprintf(stderr, "Cannot run genhash: %s is neither beside this binary nor in %s\n",
			GENHASH_PROGRAM, PKGLIBEXECDIR);
		return KA_EXIT_PROGRAM_ERROR;
	}
	execv(path, argv);
	fprintf(stderr, "Cannot run %s: %s\n", path, strerror(errno));
	free(path);
	return KA_EXIT_PROGRAM_ERROR;
}

int main(int argc, char **argv)
{
	struct ka_cli cl;
	struct ka_opts *o = &cl.o;
	char *pid_paths[KA_MOD__COUNT + 1] = { NULL };		/* default paths, freed at exit */
	char *ns_owned = NULL;
	struct ka_config_opts lo = { 0 };
	struct ka_config *cfg;
	struct pidfile pf = { .fd = -1 };
	pid_t other;
	int r;

	/* -T must come first; like keepalived, "-Tvs ..." is genhash's "-vs ..." */
	if (argc > 1 && (!strncmp(argv[1], "-T", 2) || !strcmp(argv[1], "--genhash")))
		return run_genhash(argv);
	switch (ka_cli_parse(&cl, argc, argv, false)) {
	case KA_CLI_DONE: return cl.rc;
	case KA_CLI_TEST: return config_test(o, cl.test_log);
	case KA_CLI_STATUS: return ctl_client_status(o, cl.status_json);
	case KA_CLI_RUN: break;
	}

	/* keepalived's default umask until the config's is known, so the log file gets it too */
	daemon_set_umask(o, NULL, false);
	r = log_open(&cl.log);
	if (r < 0)
		fprintf(stderr, "Cannot open log file %s: %s\n", cl.log.file, strerror(-r));
	daemon_log_start(o);
	if (o->core_dump)
		enable_core_dumps(o->core_pattern);

	/* keepalived 2.2.7: "Opening file" with -D only, then always "Configuration file" */
	if (access(o->conf_file, R_OK) == 0) {
		log_detail("Opening file '%s'.", o->conf_file);
		log_info("Configuration file %s", o->conf_file);
	}
	lo.path = o->conf_file;
	lo.config_id = o->config_id;
	lo.includes_required = o->all_config;
	for (int m = 0; m < KA_MOD__COUNT; m++)
		lo.load[m] = ka_modules[m] != NULL;
	r = ka_config_load(&lo, &cfg);
	if (r == -ENOENT) {
		log_err("Config files missing '%s'.", o->conf_file);
		ka_config_free(cfg);
		daemon_log_cpu_usage();
		log_info("Stopped %s", KA_VERSION_STRING);
		return KA_EXIT_CONFIG;
	}
	if (r < 0)
		log_warn("Configuration has %u error(s): the affected settings are ignored (see above)",
			 cfg->n_errors);
	daemon_set_umask(o, cfg->gd, true);
	if (o->dump_conf)
		dump_to_log(cfg);

	/* The namespace and instance name come from -s or the config, and place the pid files. */
	/* A copy: the config is replaced on reload, the namespace is not (as in keepalived). */
	if (!o->namespace && global_defs_net_namespace(cfg->gd))
		o->namespace = ns_owned = xstrdup(global_defs_net_namespace(cfg->gd));
	set_pid_paths(o, cfg->gd, cl.explicit_pid, pid_paths);
	if (o->namespace && enter_namespace(o->namespace) < 0) {
		r = KA_EXIT_FATAL;
		goto out;
	}
	/* Checked before detaching, so the user sees the refusal in the exit code. */
	if (pidfile_is_live(o->pidfile, &other)) {
		log_info("daemon is already running");
		r = KA_EXIT_CONFIG;
		goto out;
	}
	for (int m = 0; m < KA_MOD__COUNT; m++)
		if (o->run[m] && pidfile_is_live(o->child_pidfile[m], &other)) {
			log_info("daemon is already running");
			r = KA_EXIT_CONFIG;
			goto out;
		}
	if (!o->no_fork && (r = daemon_detach()) < 0)
		fatal_status(KA_EXIT_FATAL, "Cannot detach: %s", strerror(-r));
	r = pidfile_create(&pf, o->pidfile, getpid(), &other);
	if (r == -EEXIST) {
		log_info("daemon is already running");
		r = KA_EXIT_CONFIG;
		goto out;
	}
	if (r < 0)
		log_err("Cannot write pid file %s: %s", o->pidfile, strerror(-r));
	r = watchdog_run(o, cfg, &pf);	/* frees cfg */
	cfg = NULL;
out:
	ka_config_free(cfg);
	for (size_t i = 0; i < ARRAY_SIZE(pid_paths); i++)
		free(pid_paths[i]);
	free(ns_owned);
	log_close();
	return r;
}
