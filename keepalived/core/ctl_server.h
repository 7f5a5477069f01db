/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/core/ctl_server.h: the parent's control socket (`keepalived --status`) and its client. */
#pragma once
#include <stdint.h>

#include "ctl.h"
#include "daemon.h"

struct sched;
struct ctl_server;

/*
 * The protocol, one request per connection: the client sends one line, "status" or
 * "status json"; the parent answers with one line, "OK", "PARTIAL" (a child did not
 * answer within CTL_DEADLINE_US: the body says which) or "ERR reason", then the body,
 * and closes. Only root may connect: the socket is mode 0600, and the peer's
 * credentials (SO_PEERCRED) are checked as well.
 */
#define CTL_DEADLINE_US (1000 * 1000)
/* The JSON answer's "schema": raised when a member changes meaning or goes away. */
#define CTL_STATUS_SCHEMA 1

/* RUNSTATEDIR/keepalived/[keepalived_NS/]keepalived.ctl; the caller frees it. */
char *ctl_default_path(const char *ns);

/*
 * Listen on o->control_socket (else the default path): a stale socket of ours there is
 * replaced, a live one (another keepalived) is left alone and we run without. Logs why
 * it cannot. 0 or -errno (*ret NULL then).
 */
int ctl_server_open(struct sched *s, struct ctl_hub *hub, const struct ka_opts *o,
		    struct ctl_server **ret);
/* Stop listening, drop the connections, remove the socket if it is still ours. NULL ok. */
void ctl_server_close(struct ctl_server *srv);
/* In a forked child: close the descriptors without touching the socket file. NULL ok. */
void ctl_server_forget(struct ctl_server *srv);

/* `keepalived --status [--json]`: prints the answer; returns the exit status. */
int ctl_client_status(const struct ka_opts *o, bool json);
