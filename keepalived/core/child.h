/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/core/child.h: the runtime every subsystem child shares (loop, reload, stop, heartbeat). */
#pragma once
#include "config.h"
#include "daemon.h"
#include "module.h"
#include "scheduler.h"

struct global_defs;

/*
 * Heartbeat: the child writes one byte to the parent (watchdog.c reads it) at most
 * KA_HEARTBEAT_MAX_US after the previous one, and from KA_HEARTBEAT_MIN_US on whenever
 * its loop is awake anyway (a VRRP master's adverts): an idle child wakes for it, a
 * busy one pays no wakeup of its own.
 */
#define KA_HEARTBEAT_MIN_US (500 * 1000)
#define KA_HEARTBEAT_MAX_US (1500 * 1000)

/*
 * Run subsystem id in this (freshly forked) process until it stops. cfg is the
 * configuration the parent loaded before forking (the child takes ownership);
 * hb_fd is the child's end of the heartbeat socketpair. Returns the exit status.
 */
int ka_child_run(enum ka_mod id, struct ka_config *cfg, const struct ka_opts *o, int hb_fd);

/* For the subsystem's start/reload/stop callbacks. */
struct sched *ka_child_sched(const struct ka_child *ch);
void *ka_child_conf(const struct ka_child *ch);		/* this subsystem's config object */
const struct global_defs *ka_child_gd(const struct ka_child *ch);
const struct ka_opts *ka_child_opts(const struct ka_child *ch);
/* The subsystem's runtime state, set by start(); the core never reads it. */
void *ka_child_state(const struct ka_child *ch);
void ka_child_set_state(struct ka_child *ch, void *state);
/*
 * core/resume.h: the last state report of this child's predecessor when it is a respawn
 * after an abnormal exit, readable during start() only; NULL (len 0): none (a normal start).
 */
const void *ka_child_resume_state(const struct ka_child *ch, size_t *len);
/* Sends the module's state report to the parent: 0, -EAGAIN (the socket is full) or -errno. */
int ka_child_report_state(struct ka_child *ch, const void *p, size_t len);
/* stop() is done releasing: the loop ends and the child exits 0. */
void ka_child_stopped(struct ka_child *ch);
/*
 * For long synchronous work (the checker programming thousands of IPVS servers at
 * start-up or reload): writes the heartbeat byte if the last one is KA_HEARTBEAT_MIN_US
 * old or more. One clock read otherwise; call it after each step of the work. A child
 * stuck inside one step still misses its beats and the parent kills it.
 */
void ka_child_heartbeat_poll(struct ka_child *ch);

/*
 * core/child_prog.c: a child as a program of its own. In the forked child: exec path
 * with the parent's command line, handing it hb_fd; returns only on failure (-errno),
 * and the caller then runs the child in the forked process instead.
 */
int ka_child_exec(enum ka_mod id, const char *path, const struct ka_opts *o, int hb_fd);
/*
 * The main() of such a program: reads the same command line and the configuration
 * (quietly: the parent has reported every diagnostic), then ka_child_run(). Refuses to
 * run when not started by ka_child_exec().
 */
int ka_child_main(enum ka_mod id, int argc, char **argv);
/* Where program prog is: beside the running binary, else in PKGLIBEXECDIR. NULL: none. */
char *ka_program_path(const char *prog);
/* ka_program_path() of module id's program; NULL also when the module names none. */
char *ka_child_program_path(enum ka_mod id);
