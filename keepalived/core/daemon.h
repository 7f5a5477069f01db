/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/core/daemon.h: command-line options, version, daemonizing, process naming. */
#pragma once
#include <stdbool.h>
#include <sys/types.h>
#include "module.h"

struct global_defs;

/* Exit codes, as keepalived uses them. */
enum ka_exit {
	KA_EXIT_OK = 0,
	KA_EXIT_NO_MEMORY = 1,
	KA_EXIT_PROGRAM_ERROR = 2,
	KA_EXIT_FATAL = 3,		/* a child: cannot run; the parent stops */
	KA_EXIT_CONFIG = 4,		/* cannot run with this configuration */
	KA_EXIT_CONFIG_TEST = 5,	/* -t: errors found */
	KA_EXIT_CONFIG_TEST_SECURITY = 6,
};

/* The command line, parsed once in main() and read-only afterwards. */
struct ka_opts {
	const char *conf_file;		/* -f */
	const char *pidfile;		/* -p */
	const char *child_pidfile[KA_MOD__COUNT];	/* -r, -c */
	bool run[KA_MOD__COUNT];	/* -P / -C narrow it; default both */
	bool run_all;			/* --all */
	bool no_fork;			/* -n */
	bool dump_conf;			/* -d */
	bool dont_respawn;		/* -R */
	bool release_vips;		/* -X */
	bool dont_release_vrrp;		/* -V */
	bool dont_release_ipvs;		/* -I */
	bool address_monitoring;	/* -a */
	bool all_config;		/* -e */
	bool core_dump;			/* -m */
	const char *core_pattern;	/* -M */
	const char *config_id;		/* -i; NULL: host name up to the first dot */
	const char *namespace;		/* -s */
	int umask_val;			/* -u; -1: global_defs' umask */
	char *const *argv;		/* for the "Command line:" log line */
	int argc;
	const char *control_socket;	/* --control-socket; NULL: ctl_default_path() */
};

/*
 * keepalived's version line, so tools that parse "Keepalived vX.Y.Z" see the
 * release whose behaviour we match; the parenthesis names this implementation.
 */
#define KA_VERSION_STRING "Keepalived v" KA_COMPAT_VERSION " (" PACKAGE_NAME " " PACKAGE_VERSION ")"

/* Fork into the background: setsid, chdir /, stdio to /dev/null. Returns in the child. */
int daemon_detach(void);
/* Log "Starting ...", "Running on ...", "Command line: ..." as keepalived does. */
void daemon_log_start(const struct ka_opts *o);
/* "CPU usage (self/children) user: U/U system: S/S", with -D only (as 2.2.7) */
void daemon_log_cpu_usage(void);
/* Tell systemd "READY=1", "RELOADING=1", "STOPPING=1" ... when $NOTIFY_SOCKET is set. */
void daemon_notify(const char *state);
/*
 * The umask for the files we create and the scripts we run: -u, else global_defs' umask
 * (gd NULL: before the config is read, keepalived's default 0177). The log file's mode
 * follows it, as in keepalived. report: when both -u and the umask keyword are given,
 * log keepalived's "umask command line option specified, ignoring config option" (2.2.7
 * logs it where it reads the config: the parent at start, parent and child at a reload).
 */
void daemon_set_umask(const struct ka_opts *o, const struct global_defs *gd, bool report);
/* keepalived's directory for temporary files: $TMPDIR when it is absolute, else /tmp. */
const char *daemon_tmp_dir(void);
/* The host name up to its first dot (the default config id). */
const char *daemon_node_name(void);
