/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/check/check_engine.h: real-server and virtual-server state, quorum, sorry server, reload diff. */
#pragma once
#include <stdbool.h>
#include <stdint.h>

#include "check_data.h"
#include "core/ipvs.h"

/*
 * The pure core of the checker child (spec checker-ipvs.md 1.3-1.12): given the
 * configuration and the checkers' results, decide what goes into the IPVS table, in
 * keepalived 2.2.7's order, and what is logged and notified. No sockets, no timers,
 * no scripts: IPVS changes go through an ipvs_backend (ipvs.h), notifications through
 * the hooks, log lines through lib/log. Unit tests drive it with the recording
 * backend and compare against spec Appendix A.
 *
 * Objects: one ce_vs per vs_conf, one ce_rs per rs_conf (and one for the sorry
 * server), one ce_ck per ck_conf, in config order, pointing at their (read-only)
 * configuration. The checker runtime (check_api.c) runs probes and reports through
 * ce_ck_set_state() / ce_ck_set_weight(); the per-type retry logic and the probe's own
 * log lines are the drivers'.
 *
 * b may be NULL: IPVS is not available (a kernel without ip_vs). The engine then
 * keeps the same state, logs the same lines and runs the same notifies, and sends
 * nothing.
 */

struct ce;
struct ce_vs;
struct ce_rs;

/* one checker's state, as keepalived keeps it (is_up starts true; alpha: false) */
struct ce_ck {
	const struct ck_conf *cf;
	struct ce_rs *rs;
	bool is_up;
	bool has_run;
	bool enabled;			/* false while ha_suspend holds it */
	unsigned retry_it;
	int cur_weight;			/* MISC dynamic / FILE_CHECK contribution */
	void *probe;			/* check_api's */
};

struct ce_hooks {
	/* notify_up/notify_down of a real server (shutdown: run with a 1 s limit) */
	void (*rs_notify)(void *arg, const struct vs_conf *vs, const struct rs_conf *rs, bool up,
			  bool shutdown);
	/* quorum_up/quorum_down of a virtual server */
	void (*vs_notify)(void *arg, const struct vs_conf *vs, bool up, bool shutdown);
	/* an SMTP alert; NULL or not configured: none */
	void (*alert)(void *arg, const char *subject, const char *body);
	void *arg;
	const char *router_id;		/* for alert subjects */
	bool rs_init_notifies;		/* global_defs rs_init_notifies */
	bool no_checker_emails;
	bool dont_release_ipvs;		/* -I */
	int flush_on_stop;		/* 0 off, 1 all (one FLUSH), 2 VS (DEL_SERVICE per VS) */
};

/*
 * The runtime objects for cc, nothing sent yet. old: the engine being replaced by a
 * reload (NULL at start): then the identity rules of spec 1.11 decide what carries
 * over (alive, weights, quorum, matching checkers' state), and ce_start() applies
 * only the difference.
 */
struct ce *ce_new(const struct check_conf *cc, struct ipvs_backend *b, const struct ce_hooks *h,
		  struct ce *old);
/*
 * Start (spec 1.10) or, after ce_new(.., old), the reload diff (1.11): old's removed
 * services and servers go, changed ones are edited, new ones are added. old is
 * left with nothing the kernel still needs and may then be freed.
 */
void ce_start(struct ce *e, struct ce *old);
/* Stop (1.12): per VS, the sorry server, every real server, the service; or a flush. */
void ce_shutdown(struct ce *e);
void ce_free(struct ce *e);		/* NULL is fine */

/* Walking the objects (config order). */
unsigned ce_n_vs(const struct ce *e);
struct ce_vs *ce_vs_at(const struct ce *e, unsigned i);
const struct vs_conf *ce_vs_conf(const struct ce_vs *vs);
unsigned ce_vs_n_rs(const struct ce_vs *vs);
struct ce_rs *ce_rs_at(const struct ce_vs *vs, unsigned i);
const struct rs_conf *ce_rs_conf(const struct ce_rs *rs);
struct ce_vs *ce_rs_vs(const struct ce_rs *rs);
unsigned ce_rs_n_ck(const struct ce_rs *rs);
struct ce_ck *ce_ck_at(const struct ce_rs *rs, unsigned i);
const char *ce_rs_str(const struct ce_rs *rs);	/* FMT_RS: "[10.1.0.1]:tcp:80" */
const char *ce_vs_str(const struct ce_vs *vs);	/* FMT_VS */
bool ce_rs_alive(const struct ce_rs *rs);
bool ce_rs_in_table(const struct ce_rs *rs);
int ce_rs_weight(const struct ce_rs *rs);	/* effective, before clamping */
bool ce_vs_quorum_up(const struct ce_vs *vs);

/*
 * A checker's result changed its state (or is its first): keepalived's
 * set_checker_state + update_svr_checker_state (1.3, 1.4): the real server is
 * alive iff every checker is up. alert_body: the checker's SMTP body
 * ("=> TCP CHECK failed on service <="), sent when the real server's smtp_alert
 * and no_checker_emails allow.
 */
void ce_ck_set_state(struct ce *e, struct ce_ck *ck, bool up, const char *alert_body);
/* MISC dynamic / FILE_CHECK: the checker's weight contribution (update_svr_wgt). */
void ce_ck_set_weight(struct ce *e, struct ce_ck *ck, int cur_weight);
/*
 * A failed MISC dynamic checker gives its contribution back without a word or an IPVS
 * command, as 2.2.7 does (its real server is out of the pool or at weight 0 by then;
 * it comes back with the configured weight unless the next exit status sets another).
 */
void ce_ck_drop_weight(struct ce *e, struct ce_ck *ck);
/*
 * ha_suspend: an address appeared on / left a local interface. Checkers of the
 * virtual servers with that address are enabled / suspended, with keepalived's
 * "Activating|Suspending healthchecker for service %s for VS %s".
 * (Deliberate difference: a virtual_server group is matched against its entries.)
 */
void ce_address(struct ce *e, const struct inet_addr *a, bool present);

/* The sorry server's object (NULL: none); it has no checkers. */
struct ce_rs *ce_vs_sorry(const struct ce_vs *vs);
/*
 * ha_suspend: how many of the VS's addresses are on local interfaces (ce_address()
 * counts them). The runtime starts a checker of an ha_suspend VS with enabled = false
 * ("Deactivating healthchecker ...") while this is 0; feed the addresses present at
 * start through ce_address() before that (no line is logged then: the checkers are
 * already enabled).
 */
unsigned ce_vs_ha_addr_count(const struct ce_vs *vs);

/*
 * Two checker definitions are the same: type, connection, timing, alpha and the
 * type's data (check_api's probe deduplication). A reload migrates a checker's state
 * on the narrower keepalived rule: same type, connection and type data (timing may
 * change; retry_it is then capped, spec 1.11).
 */
bool ck_conf_same(const struct ck_conf *a, const struct ck_conf *b);
bool ck_conf_same_target(const struct ck_conf *a, const struct ck_conf *b);

/*
 * Between ce_new() and ce_start(): a checker's state known before any check runs
 * (FILE_CHECK: the tracked file's status and weight contribution), as keepalived
 * counts track files before it programs the servers. No line, no notify.
 */
void ce_ck_init_state(struct ce_ck *ck, bool up, int cur_weight);
