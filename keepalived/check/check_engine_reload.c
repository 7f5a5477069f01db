// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * keepalived/check/check_engine_reload.c: a reload's diff of the old and the new engine
 * (spec checker-ipvs.md 1.11; keepalived 2.2.7's clear_diff_services, ipwrapper.c:800-1182),
 * (checker identity, ck_conf_same: check_data.c).
 *
 * Deliberate differences from 2.2.7 (the rest is copied, e.g. a failed RS is not
 * re-added on reload until a check succeeds; new non-alpha RSs go into the pool
 * unchecked; removed RSs' DEL_DEST carry the old VS's service attributes):
 *  1. misc_dynamic weight: 2.2.7's migrate_misc_check() computes cur_weight =
 *     status - 0 - weight, so after every reload the RS weight becomes 0 (or its
 *     configured weight is lost). A migrated checker here keeps its cur_weight as it
 *     was; only a change of the configured weight changes the RS's weight.
 *  2. Spurious quorum_down: 2.2.7 runs update_vs_notifies() on the *old* VS after the
 *     RS diff, so removing a live RS can fire quorum_down (script, FIFO, mail) with no
 *     "Lost quorum" line while the new VS keeps its quorum. Here quorum is judged
 *     only on the new VS (the start-up evaluation after the diff), which logs and
 *     notifies only on a real change.
 *  3. Removing (or replacing) the sorry server while quorum is down: 2.2.7 deletes it
 *     and leaves the alive RSs out of the pool. Here they are put back ("Adding alive
 *     servers to the pool for VS %s"); a new sorry server then takes over as at start.
 *  4. A changed RS (weight, forwarding method, tunnel, thresholds) gets its SET_DEST
 *     only when it is in the table (2.2.7 sent it for a removed RS too; the kernel's
 *     ENOENT was then retried as NEW_DEST, putting a failed RS back in the pool).
 *     Threshold changes are included (2.2.7 ignored them).
 *  5. A group entry that disappears: its services are deleted once its servers are
 *     (2.2.7 did not count the deleted destinations and so kept the services).
 */
#include "check_engine.h"

#include <string.h>

#include "check_engine_int.h"
#include "log.h"

static bool str_eq(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* --- the diff --- */

/* vs_iseq (ipwrapper.c:44-68): a group VS is its group's name and its index in it */
static bool vs_same(const struct vs_conf *a, const struct vs_conf *b)
{
	if ((a->kind == VS_GROUP) != (b->kind == VS_GROUP))
		return false;
	if (a->kind == VS_GROUP)
		return a->group_index == b->group_index && str_eq(a->group_name, b->group_name);
	if (a->af != b->af || a->kind != b->kind)
		return false;
	if (a->kind == VS_FWMARK)
		return a->fwmark == b->fwmark;
	return a->protocol == b->protocol && inet_addr_eq(&a->addr, &b->addr) &&
	       a->port == b->port;
}

static bool rs_same(const struct rs_conf *a, const struct rs_conf *b)
{
	return inet_addr_eq(&a->addr, &b->addr) && a->port == b->port;
}

static bool entry_same(const struct vsg_entry *a, const struct vsg_entry *b)
{
	if (a->is_fwmark != b->is_fwmark)
		return false;
	if (a->is_fwmark)
		return a->fwmark == b->fwmark;
	return inet_addr_eq(&a->first, &b->first) && inet_addr_eq(&a->last, &b->last) &&
	       a->port == b->port;
}

static int find_entry(const struct vsg_conf *g, const struct vsg_entry *ge)
{
	for (unsigned i = 0; g && i < g->n_entries; i++)
		if (entry_same(&g->entries[i], ge))
			return (int)i;
	return -1;
}

static void diff_group(struct ce_vs *ov, struct ce_vs *nv)
{
	const struct vsg_conf *og = ov->cf->group, *ng = nv->cf->group;

	if (!og || !ov->gent || !nv->gent)
		return;
	for (int pass = 0; pass < 2; pass++) {
		for (unsigned i = 0; i < og->n_entries; i++) {
			const struct vsg_entry *ge = &og->entries[i];
			char a[INET6_ADDRSTRLEN + 16], b[INET6_ADDRSTRLEN];
			int j;

			if (ge->is_fwmark != (pass == 1))
				continue;
			j = find_entry(ng, ge);
			if (j >= 0) {
				nv->gent[j].reloaded = true;
				continue;
			}
			if (ge->is_fwmark) {
				log_info("VS [%u] in group %s no longer exists", ge->fwmark,
					 ov->cf->group_name);
			} else {
				ce_fmt_trio(&ge->first, ov->cf->protocol, ge->port, a, sizeof(a));
				if (inet_addr_eq(&ge->first, &ge->last))
					log_info("VS [%s] in group %s no longer exists", a,
						 ov->cf->group_name);
				else
					log_info("VS [%s-%s] in group %s no longer exists", a,
						 inet_addr_str(&ge->last, b, sizeof(b)),
						 ov->cf->group_name);
			}
			ce_group_entry_del(ov, i);
		}
	}
}

static void copy_group_counts(struct ce_vs *ov, struct ce_vs *nv)
{
	const struct vsg_conf *og = ov->cf->group;

	if (!og || !ov->gent || !nv->gent)
		return;
	for (unsigned i = 0; i < og->n_entries; i++) {
		int j = find_entry(nv->cf->group, &og->entries[i]);

		if (j >= 0)
			memcpy(nv->gent[j].alive, ov->gent[i].alive, sizeof(ov->gent[i].alive));
	}
}

/* migrate_checkers (ipwrapper.c:947-1039), keeping a migrated checker's cur_weight */
static void migrate_checkers(struct ce_vs *nv, struct ce_rs *ors, struct ce_rs *nrs)
{
	bool any_run = false;

	for (unsigned i = 0; i < nrs->n_ck; i++) {
		struct ce_ck *nc = &nrs->ck[i];

		for (unsigned j = 0; j < ors->n_ck; j++) {
			const struct ce_ck *oc = &ors->ck[j];
			unsigned retry = nc->cf->retry;

			if (!ck_conf_same_target(oc->cf, nc->cf))
				continue;
			if (oc->has_run && oc->is_up != nc->is_up)
				ce_set_checker_state(nc, oc->is_up);
			nc->has_run = oc->has_run;
			/* enough retries already for the new retry count: one more failure */
			if (oc->retry_it && retry)
				nc->retry_it = oc->retry_it >= retry ? retry - 1 : oc->retry_it;
			nc->cur_weight = oc->cur_weight;
			break;
		}
	}
	nrs->n_failed = 0;
	for (unsigned i = 0; i < nrs->n_ck; i++) {
		if (nrs->ck[i].has_run && !nrs->ck[i].is_up)
			nrs->n_failed++;
		if (nrs->ck[i].has_run)
			any_run = true;
	}
	/* a failed (or never checked, down) server: its new checkers need one failure */
	if (nrs->n_failed || (!nrs->alive && !any_run)) {
		for (unsigned i = 0; i < nrs->n_ck; i++) {
			struct ce_ck *nc = &nrs->ck[i];

			if (nc->has_run)
				continue;
			if (nc->cf->alpha)
				ce_set_checker_state(nc, false);
			nc->retry_it = nc->cf->retry;
		}
	}
	if (!nrs->n_failed && !nrs->alive)
		ce_perform_svr_state(nv, nrs, true);
	else if (nrs->n_failed && nrs->set != nrs->inhibit)
		ce_dest_cmd(nv, nrs, nrs->inhibit ? CE_OP_ADD : CE_OP_DEL);
}

static bool dest_changed(const struct rs_conf *a, const struct rs_conf *b)
{
	return a->fwd.method != b->fwd.method || a->fwd.tun_type != b->fwd.tun_type ||
	       a->fwd.tun_port != b->fwd.tun_port || a->fwd.tun_flags != b->fwd.tun_flags ||
	       a->u_thresh != b->u_thresh || a->l_thresh != b->l_thresh;
}

static void diff_rs(struct ce_vs *ov, struct ce_vs *nv)
{
	for (unsigned i = 0; i < ov->n_rs; i++) {
		struct ce_rs *ors = &ov->rs[i], *nrs = NULL;

		for (unsigned j = 0; j < nv->n_rs && !nrs; j++)
			if (rs_same(ors->cf, nv->rs[j].cf))
				nrs = &nv->rs[j];
		if (!nrs) {
			log_info("service %s no longer exist", ce_rs_str(ors));
			ce_clear_rs(ov, ors, false);
			continue;
		}
		nrs->alive = ors->alive;
		nrs->set = ors->set;
		nrs->weight = ors->weight;
		nrs->prev_weight = ors->weight;
		nrs->reloaded = true;
		migrate_checkers(nv, ors, nrs);
		if (nrs->set && dest_changed(ors->cf, nrs->cf))
			ce_dest_cmd(nv, nrs, CE_OP_EDIT);
	}
}

static void diff_sorry(struct ce_vs *ov, struct ce_vs *nv)
{
	struct ce_rs *os = ov->sorry, *ns = nv->sorry;
	bool was_active;

	if (!os)
		return;
	if (ns && rs_same(os->cf, ns->cf)) {
		ns->alive = os->alive;
		ns->set = os->set;
		ns->reloaded = true;
		return;
	}
	/* the alive RSs were out of the pool for it (quorum down) */
	was_active = os->alive && !ov->quorum_up;
	if (os->inhibit) {
		if (!os->alive && os->set)
			os->alive = true;
		os->inhibit = false;
	}
	if (!os->alive)
		return;
	log_info("Removing sorry server %s from VS %s", ce_rs_str(os), ov->cf->str);
	ce_dest_cmd(ov, os, CE_OP_DEL);
	os->alive = false;
	if (was_active && !nv->quorum_up) {
		log_info("Adding alive servers to the pool for VS %s", nv->cf->str);
		for (unsigned i = 0; i < nv->n_rs; i++) {
			struct ce_rs *rs = &nv->rs[i];

			if (!rs->alive)
				continue;
			rs->alive = false;
			ce_dest_cmd(nv, rs, CE_OP_ADD);
			rs->alive = true;
		}
	}
}

static bool svc_changed(const struct vs_conf *a, const struct vs_conf *b)
{
	return strcmp(a->sched, b->sched) || a->flags != b->flags ||
	       strcmp(a->pe_name, b->pe_name) || a->granularity != b->granularity ||
	       a->persistence_timeout_s != b->persistence_timeout_s;
}

void ce_reload_diff(struct ce *e, struct ce *old)
{
	/* the old engine's removals go through the new backend, with the new hooks */
	old->b = e->b;
	old->h = e->h;
	for (unsigned i = 0; i < old->n_vs; i++) {
		struct ce_vs *ov = &old->vs[i], *nv = NULL;

		for (unsigned j = 0; j < e->n_vs && !nv; j++)
			if (vs_same(ov->cf, e->vs[j].cf))
				nv = &e->vs[j];
		if (!nv) {
			if (ov->cf->kind == VS_GROUP)
				log_info("Removing Virtual Server Group [%s]", ov->cf->group_name);
			else
				log_info("Removing Virtual Server %s", ov->cf->str);
			ce_clear_vs(ov, false);
			continue;
		}
		nv->alive = ov->alive;
		nv->quorum_up = ov->quorum_up;
		nv->reloaded = true;
		nv->ha_addr_count = ov->ha_addr_count;
		if (ov->cf->kind == VS_GROUP)
			diff_group(ov, nv);
		/* one SET_SERVICE, before any destination changes */
		if (svc_changed(ov->cf, nv->cf))
			ce_svc_cmd(nv, CE_OP_EDIT);
		diff_rs(ov, nv);
		diff_sorry(ov, nv);
		copy_group_counts(ov, nv);
	}
	/* effective weights: configured + the (migrated) checkers' contributions */
	for (unsigned i = 0; i < e->n_vs; i++) {
		struct ce_vs *vs = &e->vs[i];

		for (unsigned j = 0; j < vs->n_rs; j++)
			vs->rs[j].weight = ce_rs_weight_sum(&vs->rs[j]);
	}
	/* check_new_rs_state: the alpha checkers of new servers start down */
	for (unsigned i = 0; i < e->n_vs; i++) {
		struct ce_vs *vs = &e->vs[i];

		for (unsigned j = 0; j < vs->n_rs; j++) {
			struct ce_rs *rs = &vs->rs[j];

			if (rs->reloaded)
				continue;
			for (unsigned k = 0; k < rs->n_ck; k++) {
				if (!rs->ck[k].cf->alpha)
					continue;
				ce_set_checker_state(&rs->ck[k], false);
				rs->alive = false;
			}
		}
	}
}
