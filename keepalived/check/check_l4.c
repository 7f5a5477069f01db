// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/check/check_l4.c: the epilog TCP_CHECK, UDP_CHECK and PING_CHECK share (spec 1.2). */
#include "check_l4.h"

#include "log.h"

static void log_success(struct ck_probe *p, const struct ck_l4_type *t)
{
	for (struct ck_member *m = ck_probe_members(p); m; m = ck_member_next(m)) {
		struct ce_ck *mk = ck_member_ck(m);

		if (mk->enabled && (!mk->is_up || !mk->has_run))
			log_info("%s connection to %s success.", t->conn, ck_member_rs_str(m));
	}
}

static void log_failure(struct ck_probe *p, const struct ck_l4_type *t)
{
	unsigned retry = ck_probe_conf(p)->retry;

	for (struct ck_member *m = ck_probe_members(p); m; m = ck_member_next(m)) {
		struct ce_ck *mk = ck_member_ck(m);

		if (!mk->enabled || (!mk->is_up && mk->has_run))
			continue;
		if (retry && mk->has_run && t->retries_name_vs)
			log_info("%s on service %s of %s failed after %u retries.", t->check,
				 ck_member_rs_str(m), ck_member_vs_str(m), retry);
		else if (retry && mk->has_run)
			log_info("%s on service %s failed after %u retries.", t->check,
				 ck_member_rs_str(m), retry);
		else
			log_info("%s on service %s failed.", t->check, ck_member_rs_str(m));
	}
}

void ck_l4_epilog(struct ck_probe *p, const struct ck_l4_type *t, bool ok)
{
	const struct ck_conf *cf = ck_probe_conf(p);
	struct ce_ck *ck = ck_probe_ck(p);
	/* whether this failure uses up one of the retries */
	bool counts = ck->is_up || t->retries_while_down;
	uint64_t delay = cf->delay_loop_us;

	ck_probe_note_result(p, ok);

	if (ok || (ck->retry_it >= cf->retry && (counts || !ck->has_run))) {
		ck->retry_it = 0;
		if (ok && (!ck->is_up || !ck->has_run)) {
			log_success(p, t);
			ck_probe_set_state(p, true, t->alert_up);
		} else if (!ok && (ck->is_up || !ck->has_run)) {
			log_failure(p, t);
			ck_probe_set_state(p, false, t->alert_down);
		}
	} else if (counts) {
		delay = cf->delay_before_retry_us;
		ck->retry_it++;
	}
	ck->has_run = true;
	ck_probe_schedule(p, delay);
}
