// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/check/check_misc.c: MISC_CHECK: a script's exit status, misc_dynamic weights (spec 2.4). */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "check_drivers.h"
#include "log.h"
#include "process.h"
#include "scheduler.h"

struct misc_state {
	struct process_run run;
	uint64_t last_ran_us;		/* the script's start: the next run counts from it */
	int last_exit;			/* -1: none yet (misc_dynamic recomputes on a change) */
	bool initialised;
};

static struct misc_state *state_of(struct ck_probe *p)
{
	struct misc_state *st = ck_probe_state(p);

	if (!st->initialised) {
		st->last_exit = -1;
		st->initialised = true;
	}
	return st;
}

static const char *script_name(const struct ck_conf *cf)
{
	return cf->u.misc.cmd->path ? cf->u.misc.cmd->path : cf->u.misc.cmd->argv[0];
}

/* exit N of a misc_dynamic script: weight N - 2 (0..253), as a contribution to the RS's */
static void set_dynamic_weight(struct ck_probe *p, unsigned status)
{
	for (struct ck_member *m = ck_probe_members(p); m; m = ck_member_next(m)) {
		struct ce_ck *ck = ck_member_ck(m);

		ck_member_set_weight(m, status ? (int)status - 2 - ce_rs_conf(ck->rs)->weight : 0);
	}
}

/* ", will do 2 retries", " on retry 1/2", " after 2 retries", " with retry disabled" */
static void retry_suffix(const struct ck_conf *cf, unsigned retry_it, char *buf, size_t len)
{
	const char *word = cf->retry == 1 ? "retry" : "retries";

	if (!cf->retry)
		snprintf(buf, len, " with retry disabled");
	else if (retry_it == 1)
		snprintf(buf, len, ", will do %u %s", cf->retry, word);
	else if (retry_it > 1)
		snprintf(buf, len, " on retry %u/%u", retry_it - 1, cf->retry);
	else
		snprintf(buf, len, " after %u %s", cf->retry, word);
}

static void misc_log(struct ck_probe *p, const char *rs, const char *vs, const char *type,
		     const char *suffix, const char *reason, int code)
{
	const char *script = script_name(ck_probe_conf(p));

	if (reason)
		log_info("Misc check for [%s VS %s] by [%s] %s%s (%s %d).", rs, vs, script, type,
			 suffix, reason, code);
	else
		log_info("Misc check for [%s VS %s] by [%s] %s%s.", rs, vs, script, type, suffix);
}

static void misc_done(void *arg, const struct process_result *res)
{
	struct ck_probe *p = arg;
	struct misc_state *st = state_of(p);
	const struct ck_conf *cf = ck_probe_conf(p);
	struct ce_ck *ck = ck_probe_ck(p);
	const char *type = NULL, *reason = NULL;
	bool success = false, message_only = false, failed = false;
	int code = 0;
	char suffix[48] = "";
	uint64_t next, now;

	if (!res->timed_out && res->status == -1) {
		/* 2.2.7 never rescheduled such a checker (fixed in 2.3.0): we do */
		log_info("Misc script %s child (PID %d) lost", script_name(cf), (int)res->pid);
		goto schedule;
	}
	if (!res->timed_out && WIFEXITED(res->status)) {
		unsigned status = (unsigned)WEXITSTATUS(res->status);

		if (status == 0 || (cf->u.misc.dynamic && status >= 2)) {
			if (cf->u.misc.dynamic && (int)status != st->last_exit) {
				set_dynamic_weight(p, status);
				st->last_exit = (int)status;
			}
			if (!ck->is_up || !ck->has_run) {
				type = "succeeded";
				success = true;
			}
			ck->retry_it = 0;
		} else {
			failed = true;
			reason = "exited with status";
			code = (int)status;
		}
	} else {
		failed = true;
		if (res->timed_out) {
			type = "timed out";
		} else {
			reason = "due to signal";
			code = WTERMSIG(res->status);
		}
	}
	ck_probe_note_result(p, success || !failed);
	if (failed && (ck->is_up || !ck->has_run)) {
		if (!type)
			type = "failed";
		if (ck->retry_it < cf->retry) {
			ck->retry_it++;
			if (ck_log_all_failures(p))
				message_only = true;
			else
				type = NULL;
		} else {
			ck->retry_it = 0;
		}
	}
	if (type) {
		if (!success)
			retry_suffix(cf, ck->retry_it, suffix, sizeof(suffix));
		for (struct ck_member *m = ck_probe_members(p); m; m = ck_member_next(m)) {
			struct ce_ck *mk = ck_member_ck(m);

			if (!mk->enabled)
				continue;
			if (!message_only && (success ? mk->is_up && mk->has_run
					      : !mk->is_up && mk->has_run))
				continue;
			misc_log(p, ck_member_rs_str(m), ck_member_vs_str(m), type, suffix, reason, code);
		}
		if (!message_only) {
			char body[48];

			snprintf(body, sizeof(body), "=> MISC CHECK %s on service <=", type);
			ck_probe_set_state(p, success, body);
			if (!success && cf->u.misc.dynamic) {
				/*
				 * The dynamic weight goes with the failure, quietly as in 2.2.7, and
				 * on every path: 2.2.7 forgot it after a timeout or a signal, so the
				 * weight crept (keepalived issue #2720). The next success sets it again.
				 */
				ck_probe_drop_weight(p);
				st->last_exit = -1;
			}
		}
	}
schedule:
	ck->has_run = true;
	now = sched_now_us(ck_probe_sched(p));
	next = st->last_ran_us + (ck->retry_it ? cf->delay_before_retry_us : cf->delay_loop_us);
	ck_probe_schedule(p, next > now ? next - now : 1);
}

static void misc_run(struct ck_probe *p)
{
	struct misc_state *st = state_of(p);
	const struct ck_conf *cf = ck_probe_conf(p);
	int r;

	st->last_ran_us = sched_now_us(ck_probe_sched(p));
	r = process_run_start(ck_probe_sched(p), &st->run, cf->u.misc.cmd, NULL, cf->u.misc.timeout_us,
			      misc_done, p);
	if (r < 0) {
		log_warn("Misc check for %s: cannot run %s: %s", ck_member_rs_str(ck_probe_members(p)),
			 script_name(cf), strerror(-r));
		ck_probe_schedule(p, cf->delay_loop_us);
	}
}

/* keepalived drops the checker of a script it cannot run; the RS keeps its others */
static int misc_prepare(struct ck_probe *p)
{
	const struct ck_conf *cf = ck_probe_conf(p);

	state_of(p);
	if (cf->u.misc.cmd && process_cmd_runnable(cf->u.misc.cmd))
		return 0;
	log_info("Disabling misc script %s since not found/accessible",
		 cf->u.misc.cmd ? cf->u.misc.cmd->argv[0] : "(none)");
	return -1;
}

static void misc_cancel(struct ck_probe *p)
{
	process_run_cancel(&state_of(p)->run);
}

static bool misc_same(const struct ck_conf *a, const struct ck_conf *b)
{
	const struct ck_misc *x = &a->u.misc, *y = &b->u.misc;

	if (!x->cmd || !y->cmd)
		return false;
	return !strcmp(x->cmd->cmdline, y->cmd->cmdline) && x->cmd->uid == y->cmd->uid &&
	       x->cmd->gid == y->cmd->gid && x->timeout_us == y->timeout_us &&
	       x->dynamic == y->dynamic;
}

const struct ck_driver ck_driver_misc = {
	.type = CK_MISC,
	.state_size = sizeof(struct misc_state),
	.prepare = misc_prepare,
	.run = misc_run,
	.cancel = misc_cancel,
	.release = misc_cancel,
	.same = misc_same,
};
