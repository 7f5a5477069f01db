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

#include "../../genhash/genhash.h"
#include "config.h"
#include "daemon.h"
#include "global_defs.h"
#include "log.h"
#include "pidfile.h"
#include "utils.h"
#include "watchdog.h"

#define DEFAULT_CONF SYSCONFDIR "/keepalived/keepalived.conf"

static const char usage_text[] =
"Usage: keepalived [OPTION...]\n"
"  -f, --use-file=FILE          Use the specified configuration file\n"
"                                default '" DEFAULT_CONF "'\n"
"  -P, --vrrp                   Only run with VRRP subsystem\n"
"  -C, --check                  Only run with Health-checker subsystem\n"
"  -B, --no_bfd                 Don't run BFD subsystem\n"
"      --all                    Force all child processes to run, even if have no configuration\n"
"  -l, --log-console            Log messages to local console\n"
"  -D, --log-detail             Detailed log messages\n"
"  -S, --log-facility=([0-7]|local[0-7]|user|daemon)\n"
"                               Set syslog facility to LOG_LOCAL[0-7], user or daemon (default)\n"
"  -G, --no-syslog              Don't log via syslog\n"
"  -g, --log-file=FILE          Also log to FILE (default /tmp/keepalived.log)\n"
"  -u, --umask=MASK             umask for file creation (in numeric form)\n"
"  -X, --release-vips           Drop VIP on transition from signal.\n"
"  -V, --dont-release-vrrp      Don't remove VRRP VIPs and VROUTEs on daemon stop\n"
"  -I, --dont-release-ipvs      Don't remove IPVS topology on daemon stop\n"
"  -R, --dont-respawn           Don't respawn child processes\n"
"  -n, --dont-fork              Don't fork the daemon process\n"
"  -d, --dump-conf              Dump the configuration data\n"
"  -p, --pid=FILE               Use specified pidfile for parent process\n"
"  -r, --vrrp_pid=FILE          Use specified pidfile for VRRP child process\n"
"  -T, --genhash                Enter into genhash utility mode (this should be the first option used).\n"
"  -c, --checkers_pid=FILE      Use specified pidfile for checkers child process\n"
"  -a, --address-monitoring     Report all address additions/deletions notified via netlink\n"
"  -b, --bfd_pid=FILE           Use specified pidfile for BFD child process\n"
"  -x, --snmp                   Enable SNMP subsystem\n"
"  -A, --snmp-agent-socket=FILE Use the specified socket for master agent\n"
"  -s, --namespace=NAME         Run in network namespace NAME (overrides config)\n"
"  -m, --core-dump              Produce core dump if terminate abnormally\n"
"  -M, --core-dump-pattern=PATN Also set /proc/sys/kernel/core_pattern to PATN (default 'core')\n"
"  -e, --all-config             Error if any configuration file missing (same as includet)\n"
"  -i, --config-id id           Skip any configuration lines beginning '@' that don't match id\n"
"                                or any lines beginning @^ that do match.\n"
"                                The config-id defaults to the node name if option not used\n"
"      --signum=SIGFUNC         Return signal number for STOP, RELOAD, DATA, STATS, STATS_CLEAR, JSON\n"
"  -t, --config-test[=LOG_FILE] Check the configuration for obvious errors, output to\n"
"                                stderr by default\n"
"  -v, --version                Display the version number\n"
"  -h, --help                   Display this help message\n";

enum { OPT_ALL = 256, OPT_SIGNUM };

static const struct option long_opts[] = {
	{ "use-file",		required_argument, NULL, 'f' },
	{ "vrrp",		no_argument,	   NULL, 'P' },
	{ "check",		no_argument,	   NULL, 'C' },
	{ "no_bfd",		no_argument,	   NULL, 'B' },
	{ "all",		no_argument,	   NULL, OPT_ALL },
	{ "log-console",	no_argument,	   NULL, 'l' },
	{ "log-detail",		no_argument,	   NULL, 'D' },
	{ "log-facility",	required_argument, NULL, 'S' },
	{ "no-syslog",		no_argument,	   NULL, 'G' },
	{ "log-file",		optional_argument, NULL, 'g' },
	{ "umask",		required_argument, NULL, 'u' },
	{ "release-vips",	no_argument,	   NULL, 'X' },
	{ "dont-release-vrrp",	no_argument,	   NULL, 'V' },
	{ "dont-release-ipvs",	no_argument,	   NULL, 'I' },
	{ "dont-respawn",	no_argument,	   NULL, 'R' },
	{ "dont-fork",		no_argument,	   NULL, 'n' },
	{ "dump-conf",		no_argument,	   NULL, 'd' },
	{ "pid",		required_argument, NULL, 'p' },
	{ "vrrp_pid",		required_argument, NULL, 'r' },
	{ "genhash",		no_argument,	   NULL, 'T' },
	{ "checkers_pid",	required_argument, NULL, 'c' },
	{ "address-monitoring",	no_argument,	   NULL, 'a' },
	{ "bfd_pid",		required_argument, NULL, 'b' },
	{ "snmp",		no_argument,	   NULL, 'x' },
	{ "snmp-agent-socket",	required_argument, NULL, 'A' },
	{ "namespace",		required_argument, NULL, 's' },
	{ "core-dump",		no_argument,	   NULL, 'm' },
	{ "core-dump-pattern",	optional_argument, NULL, 'M' },
	{ "all-config",		no_argument,	   NULL, 'e' },
	{ "config-id",		required_argument, NULL, 'i' },
	{ "signum",		required_argument, NULL, OPT_SIGNUM },
	{ "config-test",	optional_argument, NULL, 't' },
	{ "version",		no_argument,	   NULL, 'v' },
	{ "help",		no_argument,	   NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

/* "0".."7", "local0".."local7", "user", "daemon" */
static int parse_facility(const char *s)
{
	static const int locals[] = { LOG_LOCAL0, LOG_LOCAL1, LOG_LOCAL2, LOG_LOCAL3,
				      LOG_LOCAL4, LOG_LOCAL5, LOG_LOCAL6, LOG_LOCAL7 };

	if (!strncmp(s, "local", 5))
		s += 5;
	if (s[0] >= '0' && s[0] <= '7' && !s[1])
		return locals[s[0] - '0'];
	if (!strcmp(s, "user"))
		return LOG_USER;
	if (!strcmp(s, "daemon"))
		return LOG_DAEMON;
	return -1;
}

static int signum(const char *func)
{
	static const struct { const char *name; int sig; } funcs[] = {
		{ "STOP", SIGTERM }, { "RELOAD", SIGHUP }, { "DATA", SIGUSR1 },
		{ "STATS", SIGUSR2 }, { "JSON", 0 }, { "STATS_CLEAR", 0 },
	};

	for (size_t i = 0; i < sizeof(funcs) / sizeof(funcs[0]); i++) {
		if (strcmp(func, funcs[i].name))
			continue;
		/* Real-time signals are numbered at run time, as keepalived numbers them. */
		if (!strcmp(func, "JSON"))
			return SIGRTMIN + 2;
		if (!strcmp(func, "STATS_CLEAR"))
			return SIGRTMAX - 1;
		return funcs[i].sig;
	}
	return -1;
}

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
	};
	struct ka_config *cfg;
	int r, test_rc = KA_EXIT_OK;

	if (log_file && !(out = fopen(log_file, "we"))) {
		fprintf(stderr, "Cannot open %s: %s\n", log_file, strerror(errno));
		return KA_EXIT_CONFIG;
	}
	lo.diag_arg = out;
	for (int m = 0; m < KA_MOD__COUNT; m++)
		lo.load[m] = ka_modules[m] != NULL;
	r = ka_config_load(&lo, &cfg);
	if (o->dump_conf)
		ka_config_dump(cfg, stdout);
	if (r == 0) {
		/* the modules' load-time checks speak through the log: to the console here */
		struct log_opts lop = { .ident = "Keepalived", .facility = LOG_DAEMON,
					.to_console = true, .max_prio = LOG_DEBUG };

		log_open(&lop);
		for (int m = 0; m < KA_MOD__COUNT; m++) {
			int t;

			if (!ka_modules[m] || !ka_modules[m]->config_test || !cfg->mod[m])
				continue;
			t = ka_modules[m]->config_test(cfg->mod[m], cfg->gd);
			if (t > test_rc)
				test_rc = t;
		}
	}
	ka_config_free(cfg);
	if (out != stderr)
		fclose(out);
	if (r == -ENOENT)
		return KA_EXIT_CONFIG;	/* cannot run: no configuration */
	return r < 0 ? KA_EXIT_CONFIG_TEST : test_rc;
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

/* "what 'arg'", then the usage text; exit 2. */
static _Noreturn void bad_usage(const char *what, const char *arg)
{
	fprintf(stderr, "%s '%s'\n", what, arg);
	fputs(usage_text, stderr);
	exit(KA_EXIT_PROGRAM_ERROR);
}

int main(int argc, char **argv)
{
	struct ka_opts o = {
		.conf_file = DEFAULT_CONF,
		.run = { [KA_MOD_VRRP] = true, [KA_MOD_CHECK] = true },
		.umask_val = -1,
		.argv = argv,
		.argc = argc,
	};
	struct log_opts lopts = { .ident = "Keepalived", .facility = LOG_DAEMON,
				  .to_syslog = true, .max_prio = LOG_DEBUG };
	bool only_vrrp = false, only_check = false, test = false;
	bool explicit_pid[KA_MOD__COUNT + 1] = { false };	/* -r, -c, then -p */
	char *pid_paths[KA_MOD__COUNT + 1] = { NULL };		/* default paths, freed at exit */
	char *ns_owned = NULL;
	const char *test_log = NULL;
	struct ka_config_opts lo = { 0 };
	struct ka_config *cfg;
	struct pidfile pf = { .fd = -1 };
	pid_t other;
	int c, r;

	/* -T must come first; like keepalived, "-Tvs ..." is genhash's "-vs ..." */
	if (argc > 1 && (!strncmp(argv[1], "-T", 2) || !strcmp(argv[1], "--genhash")))
		return genhash_keepalived_main(argc, argv);
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":f:PCBlDS:Gg::u:XVIRndp:r:Tc:ab:xA:s:mM::ei:t::vh",
				long_opts, NULL)) != -1) {
		switch (c) {
		case 'f': o.conf_file = optarg; break;
		case 'P': only_vrrp = true; break;
		case 'C': only_check = true; break;
		case 'B': break;	/* no BFD child in this build */
		case OPT_ALL: o.run_all = true; break;
		case 'l': lopts.to_console = true; break;
		case 'D': lopts.detail = true; break;
		case 'S':
			lopts.facility = parse_facility(optarg);
			if (lopts.facility < 0)
				bad_usage("Invalid log facility", optarg);
			break;
		case 'G': lopts.to_syslog = false; break;
		case 'g': lopts.file = optarg ? optarg : "/tmp/keepalived.log"; break;
		case 'u': {
			char *end;
			long v = strtol(optarg, &end, 0);

			if (*end || v < 0 || v > 0777)
				bad_usage("Invalid umask", optarg);
			o.umask_val = (int)v;
			break;
		}
		case 'X': o.release_vips = true; break;
		case 'V': o.dont_release_vrrp = true; break;
		case 'I': o.dont_release_ipvs = true; break;
		case 'R': o.dont_respawn = true; break;
		case 'n': o.no_fork = true; break;
		case 'd': o.dump_conf = true; break;
		case 'p': o.pidfile = optarg; explicit_pid[KA_MOD__COUNT] = true; break;
		case 'r':
			o.child_pidfile[KA_MOD_VRRP] = optarg;
			explicit_pid[KA_MOD_VRRP] = true;
			break;
		case 'c':
			o.child_pidfile[KA_MOD_CHECK] = optarg;
			explicit_pid[KA_MOD_CHECK] = true;
			break;
		case 'T': bad_usage("Option must be the first one:", "-T/--genhash");
		case 'a': o.address_monitoring = true; break;
		case 'b': break;	/* BFD pid file: no BFD child in this build */
		case 'x': case 'A':
			fprintf(stderr, "SNMP is not supported by this build; option ignored\n");
			break;
		case 's': o.namespace = optarg; break;
		case 'm': o.core_dump = true; break;
		case 'M': o.core_dump = true; o.core_pattern = optarg ? optarg : "core"; break;
		case 'e': o.all_config = true; break;
		case 'i': o.config_id = optarg; break;
		case OPT_SIGNUM:
			r = signum(optarg);
			if (r < 0) {
				fprintf(stderr, "Unknown sigfunc %s\n", optarg);
				return 1;
			}
			printf("%d\n", r);
			return 0;
		case 't': test = true; test_log = optarg; break;
		case 'v':
			printf("%s\n\nA keepalived-compatible daemon; configuration, logs and wire "
			       "format follow keepalived %s.\n", KA_VERSION_STRING, PACKAGE_VERSION);
			return 0;
		case 'h': fputs(usage_text, stdout); return 0;
		case ':': bad_usage("Option needs an argument:", argv[optind - 1]);
		default: bad_usage("Unknown option", argv[optind - 1]);
		}
	}
	if (optind < argc)
		bad_usage("Unexpected argument", argv[optind]);
	if (only_vrrp || only_check) {
		o.run[KA_MOD_VRRP] = only_vrrp;
		o.run[KA_MOD_CHECK] = only_check;
	}
	if (test)
		return config_test(&o, test_log);

	if (log_open(&lopts) < 0)
		fprintf(stderr, "Cannot open log file %s: %s\n", lopts.file, strerror(errno));
	daemon_log_start(&o);
	if (o.umask_val >= 0)
		umask((mode_t)o.umask_val);
	if (o.core_dump)
		enable_core_dumps(o.core_pattern);

	log_info("Opening file '%s'.", o.conf_file);
	lo.path = o.conf_file;
	lo.config_id = o.config_id;
	lo.includes_required = o.all_config;
	for (int m = 0; m < KA_MOD__COUNT; m++)
		lo.load[m] = ka_modules[m] != NULL;
	r = ka_config_load(&lo, &cfg);
	if (r == -ENOENT) {
		log_err("Config files missing '%s'.", o.conf_file);
		ka_config_free(cfg);
		daemon_log_cpu_usage();
		log_info("Stopped %s", KA_VERSION_STRING);
		return KA_EXIT_CONFIG;
	}
	if (r < 0)
		log_warn("Configuration has %u error(s): the affected settings are ignored (see above)",
			 cfg->n_errors);
	if (o.dump_conf)
		dump_to_log(cfg);

	/* The namespace and instance name come from -s or the config, and place the pid files. */
	/* A copy: the config is replaced on reload, the namespace is not (as in keepalived). */
	if (!o.namespace && global_defs_net_namespace(cfg->gd))
		o.namespace = ns_owned = xstrdup(global_defs_net_namespace(cfg->gd));
	set_pid_paths(&o, cfg->gd, explicit_pid, pid_paths);
	if (o.namespace && enter_namespace(o.namespace) < 0) {
		r = KA_EXIT_FATAL;
		goto out;
	}
	/* Checked before detaching, so the user sees the refusal in the exit code. */
	if (pidfile_is_live(o.pidfile, &other)) {
		log_info("daemon is already running");
		r = KA_EXIT_CONFIG;
		goto out;
	}
	for (int m = 0; m < KA_MOD__COUNT; m++)
		if (o.run[m] && pidfile_is_live(o.child_pidfile[m], &other)) {
			log_info("daemon is already running");
			r = KA_EXIT_CONFIG;
			goto out;
		}
	if (!o.no_fork && (r = daemon_detach()) < 0)
		fatal_status(KA_EXIT_FATAL, "Cannot detach: %s", strerror(-r));
	r = pidfile_create(&pf, o.pidfile, getpid(), &other);
	if (r == -EEXIST) {
		log_info("daemon is already running");
		r = KA_EXIT_CONFIG;
		goto out;
	}
	if (r < 0)
		log_err("Cannot write pid file %s: %s", o.pidfile, strerror(-r));
	r = watchdog_run(&o, cfg, &pf);	/* frees cfg */
	cfg = NULL;
out:
	ka_config_free(cfg);
	for (size_t i = 0; i < ARRAY_SIZE(pid_paths); i++)
		free(pid_paths[i]);
	free(ns_owned);
	log_close();
	return r;
}
