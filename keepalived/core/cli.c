// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/core/cli.c: keepalived 2.2.7's command line, read the same way by the parent and the VRRP child program. */
#include "cli.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "signals.h"
#include "utils.h"

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
"  -g, --log-file=FILE          Also log to FILE (default $TMPDIR/keepalived.log, else\n"
"                                /tmp/keepalived.log)\n"
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
"      --status                 Show the running daemon's state (its control socket)\n"
"      --json                   With --status: as JSON (schema in keepalived(8))\n"
"      --control-socket=PATH    The control socket (default " RUNSTATEDIR "/keepalived/keepalived.ctl)\n"
"  -v, --version                Display the version number\n"
"  -h, --help                   Display this help message\n";

enum { OPT_ALL = 256, OPT_SIGNUM, OPT_STATUS, OPT_JSON, OPT_CONTROL_SOCKET };

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
	{ "status",		no_argument,	   NULL, OPT_STATUS },
	{ "json",		no_argument,	   NULL, OPT_JSON },
	{ "control-socket",	required_argument, NULL, OPT_CONTROL_SOCKET },
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
	/* the real-time ones are numbered at run time: core/signals.h */
	const struct { const char *name; int sig; } funcs[] = {
		{ "STOP", SIGTERM }, { "RELOAD", SIGHUP }, { "DATA", SIGUSR1 },
		{ "STATS", SIGUSR2 }, { "JSON", KA_SIGJSON }, { "STATS_CLEAR", KA_SIGSTATS_CLEAR },
	};

	for (size_t i = 0; i < sizeof(funcs) / sizeof(funcs[0]); i++)
		if (!strcmp(func, funcs[i].name))
			return funcs[i].sig;
	return -1;
}

/* "what 'arg'", then the usage text; exit 2. */
static _Noreturn void bad_usage(const char *what, const char *arg)
{
	fprintf(stderr, "%s '%s'\n", what, arg);
	fputs(usage_text, stderr);
	exit(KA_EXIT_PROGRAM_ERROR);
}

/*
 * -g[FILE], as keepalived 2.2.7 names the file: FILE when it is absolute, else (a relative
 * FILE, none, or an empty one: keepalived.log) in the temporary directory, $TMPDIR or /tmp.
 */
static const char *log_file_path(struct ka_cli *cl, const char *arg)
{
	int n;

	if (arg && arg[0] == '/')
		return arg;
	n = snprintf(cl->log_path, sizeof(cl->log_path), "%s/%s", daemon_tmp_dir(),
		     arg && arg[0] ? arg : "keepalived.log");
	if (n < 0 || (size_t)n >= sizeof(cl->log_path))
		bad_usage("Log file name too long:", arg && arg[0] ? arg : "keepalived.log");
	return cl->log_path;
}

enum ka_cli_action ka_cli_parse(struct ka_cli *cl, int argc, char **argv, bool quiet)
{
	bool only_vrrp = false, only_check = false, status = false;
	int c, r;

	*cl = (struct ka_cli){
		.o = {
			.conf_file = DEFAULT_CONF,
			.run = { [KA_MOD_VRRP] = true, [KA_MOD_CHECK] = true },
			.umask_val = -1,
			.argv = argv,
			.argc = argc,
		},
		.log = { .ident = "Keepalived", .facility = LOG_DAEMON, .to_syslog = true,
			 .max_prio = LOG_DEBUG },
	};
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":f:PCBlDS:Gg::u:XVIRndp:r:Tc:ab:xA:s:mM::ei:t::vh",
				long_opts, NULL)) != -1) {
		switch (c) {
		case 'f': cl->o.conf_file = optarg; break;
		case 'P': only_vrrp = true; break;
		case 'C': only_check = true; break;
		case 'B': break;	/* no BFD child in this build */
		case OPT_ALL: cl->o.run_all = true; break;
		case 'l': cl->log.to_console = true; break;
		case 'D': cl->log.detail = true; break;
		case 'S':
			cl->log.facility = parse_facility(optarg);
			if (cl->log.facility < 0)
				bad_usage("Invalid log facility", optarg);
			break;
		case 'G': cl->log.to_syslog = false; break;
		case 'g': cl->log.file = log_file_path(cl, optarg); break;
		case 'u': {
			char *end;
			long v = strtol(optarg, &end, 0);

			if (*end || v < 0 || v > 0777)
				bad_usage("Invalid umask", optarg);
			cl->o.umask_val = (int)v;
			break;
		}
		case 'X': cl->o.release_vips = true; break;
		case 'V': cl->o.dont_release_vrrp = true; break;
		case 'I': cl->o.dont_release_ipvs = true; break;
		case 'R': cl->o.dont_respawn = true; break;
		case 'n': cl->o.no_fork = true; break;
		case 'd': cl->o.dump_conf = true; break;
		case 'p': cl->o.pidfile = optarg; cl->explicit_pid[KA_MOD__COUNT] = true; break;
		case 'r':
			cl->o.child_pidfile[KA_MOD_VRRP] = optarg;
			cl->explicit_pid[KA_MOD_VRRP] = true;
			break;
		case 'c':
			cl->o.child_pidfile[KA_MOD_CHECK] = optarg;
			cl->explicit_pid[KA_MOD_CHECK] = true;
			break;
		case 'T': bad_usage("Option must be the first one:", "-T/--genhash");
		case 'a': cl->o.address_monitoring = true; break;
		case 'b': break;	/* BFD pid file: no BFD child in this build */
		case 'x': case 'A':
			if (!quiet)
				fprintf(stderr, "SNMP is not supported by this build; option ignored\n");
			break;
		case 's': cl->o.namespace = optarg; break;
		case 'm': cl->o.core_dump = true; break;
		case 'M': cl->o.core_dump = true; cl->o.core_pattern = optarg ? optarg : "core"; break;
		case 'e': cl->o.all_config = true; break;
		case 'i': cl->o.config_id = optarg; break;
		case OPT_SIGNUM:
			r = signum(optarg);
			if (r < 0) {
				fprintf(stderr, "Unknown sigfunc %s\n", optarg);
				cl->rc = 1;
				return KA_CLI_DONE;
			}
			printf("%d\n", r);
			return KA_CLI_DONE;
		case 't': cl->test = true; cl->test_log = optarg; break;
		case OPT_STATUS: status = true; break;
		case OPT_JSON: cl->status_json = true; break;
		case OPT_CONTROL_SOCKET:
			if (!optarg[0])
				bad_usage("Invalid control socket", optarg);
			cl->o.control_socket = optarg;
			break;
		case 'v':
			printf("%s\n\nA keepalived-compatible daemon; configuration, logs and wire "
			       "format follow keepalived %s.\n", KA_VERSION_STRING, KA_COMPAT_VERSION);
			/* exporters look for --enable-json before they ask for keepalived.json */
			printf("Dumps: keepalived.data, keepalived.stats and keepalived.json, as "
			       "keepalived built with --enable-json\n");
			return KA_CLI_DONE;
		case 'h': fputs(usage_text, stdout); return KA_CLI_DONE;
		case ':': bad_usage("Option needs an argument:", argv[optind - 1]);
		default: bad_usage("Unknown option", argv[optind - 1]);
		}
	}
	if (optind < argc)
		bad_usage("Unexpected argument", argv[optind]);
	if (only_vrrp || only_check) {
		cl->o.run[KA_MOD_VRRP] = only_vrrp;
		cl->o.run[KA_MOD_CHECK] = only_check;
	}
	if (cl->status_json && !status)
		bad_usage("Option needs --status:", "--json");
	if (status)
		return KA_CLI_STATUS;
	return cl->test ? KA_CLI_TEST : KA_CLI_RUN;
}
