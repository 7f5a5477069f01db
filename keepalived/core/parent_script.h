/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/core/parent_script.h: startup_script and shutdown_script, run by the parent. */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include "process.h"

struct global_defs;
struct sched;

/*
 * keepalived 2.2.7 runs startup_script once, before it starts the children, and
 * shutdown_script once, after they have all stopped; the parent waits for each, up to
 * its timeout (then SIGTERM to its process group, SIGKILL 2 s later), and logs
 *   startup script timed out
 *   startup script script failed, status N        (keepalived's words, doubled "script")
 * A reload does not run the startup script again; the shutdown script that runs is the
 * one of the configuration in force at the stop.
 */
struct parent_script {
	bool startup;
	struct process_cmd *cmd;	/* NULL: none configured, or it cannot run (logged) */
	uint64_t timeout_us;
	struct process_run run;
	void (*done)(void *arg);
	void *arg;
};

/*
 * Makes gd's script ready to run (user, path and script-security checks, logging
 * keepalived's lines for a script that cannot run) into ps, replacing what it held
 * (a run in progress goes on). Returns 0, or -EINVAL when a script is configured but
 * its user cannot be set (keepalived's "Invalid startup script": -t counts an error).
 */
int parent_script_load(struct parent_script *ps, const struct global_defs *gd, bool startup);
/* Cancels a run (the process group gets SIGTERM, done is not called) and frees. */
void parent_script_clear(struct parent_script *ps);
/*
 * Starts the script; done(arg) is called once it has ended. -ENOENT when there is
 * nothing to run, or -errno when it cannot be started (logged): done is not called then.
 */
int parent_script_run(struct parent_script *ps, struct sched *s, void (*done)(void *arg),
		      void *arg);
bool parent_script_running(const struct parent_script *ps);

/*
 * keepalived's "SECURITY VIOLATION - start/shutdown scripts are being executed but
 * script_security not enabled." when a script of v will run without
 * enable_script_security; returns true when it was logged.
 */
bool parent_script_security(const struct parent_script *const *v, unsigned n, bool security);

/* -t: both scripts checked as the daemon would; KA_EXIT_OK, _CONFIG_TEST or _SECURITY. */
int parent_script_test(const struct global_defs *gd);
