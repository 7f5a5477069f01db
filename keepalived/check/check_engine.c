// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * keepalived/check/check_engine.c: real-server and virtual-server state, quorum, sorry
 * server, start and shutdown (spec checker-ipvs.md 1.3-1.10, 1.12; keepalived 2.2.7's
 * ipwrapper.c semantics, including its order of IPVS commands and log lines).
 */
#include "check_engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_engine_int.h"
#include "log.h"
#include "utils.h"

int ce_real_weight(int64_t w)
{
	if (w < 0)
		return 0;
	if (w > CE_WEIGHT_MAX)
		return CE_WEIGHT_MAX;
	return (int)w;
}

/* --- notifies and alerts --- */

void ce_rs_notify(struct ce_vs *vs, struct ce_rs *rs, bool stopping)
{
	const struct ce_hooks *h = &vs->e->h;

	if (h->rs_notify)
		h->rs_notify(h->arg, vs->cf, rs->cf, rs->alive, stopping);
}

void ce_rs_alert(struct ce_vs *vs, struct ce_rs *rs, const char *state, const char *body)
{
	const struct ce_hooks *h = &vs->e->h;
	char subject[512];

	if (!h->alert)
		return;
	snprintf(subject, sizeof(subject), "[%s] Realserver %s of virtual server %s - %s",
		 h->router_id ? h->router_id : "", ce_rs_str(rs), vs->cf->str, state);
	h->alert(h->arg, subject, body);
}

static void vs_notifies(struct ce_vs *vs, bool init, long threshold, long weight_sum,
			bool stopping)
{
	const struct ce_hooks *h = &vs->e->h;
	char subject[512], body[128];

	/* only the SNMP trap (not built) when stopping without omega */
	if (stopping && !vs->cf->omega)
		return;
	if (h->vs_notify)
		h->vs_notify(h->arg, vs->cf, vs->quorum_up, stopping);
	if (!vs->cf->smtp_alert || !h->alert)
		return;
	if (stopping)
		snprintf(body, sizeof(body), "=> Shutting down <=");
	else
		snprintf(body, sizeof(body), "=> %s %u+%u=%ld <= %ld <=",
			 vs->quorum_up ? (init ? "Starting with quorum up" : "Gained quorum") :
			 (init ? "Starting with quorum down" : "Lost quorum"),
			 vs->cf->quorum, vs->cf->hysteresis, threshold, weight_sum);
	snprintf(subject, sizeof(subject), "[%s] Virtualserver %s - %s",
		 h->router_id ? h->router_id : "", vs->cf->str, vs->quorum_up ? "UP" : "DOWN");
	h->alert(h->arg, subject, body);
}

/* --- quorum (ipwrapper.c:503-584) --- */

static long weigh_live(const struct ce_vs *vs)
{
	long sum = 0;

	for (unsigned i = 0; i < vs->n_rs; i++)
		if (vs->rs[i].alive)
			sum += ce_real_weight(vs->rs[i].weight);
	return sum;
}

/* add or remove the alive real servers (the sorry server leaves or comes) */
static void perform_quorum_state(struct ce_vs *vs, bool add)
{
	log_info("%s the pool for VS %s",
		 add ? "Adding alive servers to" : "Removing alive servers from", vs->cf->str);
	for (unsigned i = 0; i < vs->n_rs; i++) {
		struct ce_rs *rs = &vs->rs[i];

		if (!rs->alive)
			continue;
		if (add)
			rs->alive = false;	/* so that a group's entries take the add */
		ce_dest_cmd(vs, rs, add ? CE_OP_ADD : CE_OP_DEL);
		rs->alive = true;
	}
}

void ce_update_quorum(struct ce_vs *vs, bool init)
{
	const struct vs_conf *c = vs->cf;
	long w = weigh_live(vs);
	long threshold = (long)c->quorum + (vs->quorum_up ? -1 : 1) * (long)c->hysteresis;
	struct ce_rs *ss = vs->sorry;

	if (!vs->quorum_up && w >= threshold) {
		vs->quorum_up = true;
		log_info("Gained quorum %u+%u=%ld <= %ld for VS %s", c->quorum, c->hysteresis,
			 threshold, w, c->str);
		if (ss && ss->alive) {
			log_info("%s sorry server %s from VS %s",
				 ss->inhibit ? "Disabling" : "Removing", ce_rs_str(ss), c->str);
			ce_dest_cmd(vs, ss, CE_OP_DEL);
			ss->alive = false;
			perform_quorum_state(vs, true);
		}
		vs_notifies(vs, init, threshold, w, false);
	} else if ((vs->quorum_up && (!w || w < threshold)) ||
		   (init && !vs->quorum_up && ss && !ss->alive)) {
		vs->quorum_up = false;
		log_info("%s %u-%u=%ld > %ld for VS %s",
			 init ? "Starting with quorum down" : "Lost quorum", c->quorum,
			 c->hysteresis, threshold, w, c->str);
		if (ss && !ss->alive) {
			log_info("%s sorry server %s to VS %s",
				 ss->inhibit ? "Enabling" : "Adding", ce_rs_str(ss), c->str);
			perform_quorum_state(vs, false);
			ce_dest_cmd(vs, ss, CE_OP_ADD);
			ss->alive = true;
		}
		vs_notifies(vs, init, threshold, w, false);
	}
}

/* keepalived's update_vs_notifies: the VS goes (reload removal, shutdown) */
void ce_vs_notifies_stop(struct ce_vs *vs, bool stopping)
{
	long threshold = (long)vs->cf->quorum - (long)vs->cf->hysteresis;
	long w = weigh_live(vs);

	if (stopping || (vs->quorum_up && (!w || w < threshold))) {
		vs->quorum_up = false;
		vs_notifies(vs, false, threshold, w, stopping);
	}
}

/* --- real-server state (ipwrapper.c:587-624, 698-776) --- */

bool ce_perform_svr_state(struct ce_vs *vs, struct ce_rs *rs, bool alive)
{
	if (rs->alive == alive)
		return true;
	log_info("%s service %s %s VS %s",
		 alive ? (rs->inhibit ? "Enabling" : "Adding") :
			 (rs->inhibit ? "Disabling" : "Removing"),
		 ce_rs_str(rs), rs->inhibit ? "of" : alive ? "to" : "from", vs->cf->str);
	/* with quorum down and the sorry server in, the pool is the sorry server's */
	if (vs->quorum_up || !vs->sorry || !vs->sorry->alive) {
		if (ce_dest_cmd(vs, rs, alive ? CE_OP_ADD : CE_OP_DEL))
			return false;
	}
	rs->alive = alive;
	ce_rs_notify(vs, rs, false);
	ce_update_quorum(vs, false);
	return true;
}

void ce_set_checker_state(struct ce_ck *ck, bool up)
{
	if (ck->is_up == up)
		return;
	ck->is_up = up;
	if (!up)
		ck->rs->n_failed++;
	else if (ck->rs->n_failed)
		ck->rs->n_failed--;
}

void ce_ck_set_state(struct ce *e, struct ce_ck *ck, bool up, const char *alert_body)
{
	struct ce_rs *rs = ck->rs;
	struct ce_vs *vs = rs->vs;
	bool was_up = ck->is_up, rs_was_alive = rs->alive;

	if (ck->is_up == up) {
		/* a first result equal to the initial state: only notifies (ipwrapper.c:749-755) */
		if (!ck->has_run) {
			if (ck->cf->alpha || !up)
				ce_rs_notify(vs, rs, false);
			ck->has_run = true;
		}
	} else {
		bool ok = true;

		ck->has_run = true;
		/* the first failed checker takes the RS out, the last recovered one puts it back */
		if (up && rs->n_failed <= 1)
			ok = ce_perform_svr_state(vs, rs, true);
		else if (!up && rs->n_failed == 0)
			ok = ce_perform_svr_state(vs, rs, false);
		if (ok)
			ce_set_checker_state(ck, up);
	}
	if (alert_body && rs->cf->smtp_alert && was_up != up &&
	    (rs_was_alive != rs->alive || !e->h.no_checker_emails))
		ce_rs_alert(vs, rs, rs->alive ? "UP" : "DOWN", alert_body);
}

void ce_update_weight(struct ce_vs *vs, struct ce_rs *rs, int64_t weight, bool update_quorum)
{
	int nw = ce_real_weight(weight), ow = ce_real_weight(rs->weight);

	rs->weight = weight;
	if (nw == ow)
		return;
	log_info("Changing weight from %d to %d for %sactive service %s of VS %s", ow, nw,
		 rs->alive ? "" : "in", ce_rs_str(rs), vs->cf->str);
	/* an inactive server takes its new weight when it comes back */
	if (rs->set && rs->alive && (vs->quorum_up || !vs->sorry || !vs->sorry->alive))
		ce_dest_cmd(vs, rs, CE_OP_EDIT);
	if (update_quorum)
		ce_update_quorum(vs, false);
}

void ce_ck_set_weight(struct ce *e, struct ce_ck *ck, int cur_weight)
{
	struct ce_rs *rs = ck->rs;
	int64_t w = rs->weight - ck->cur_weight + cur_weight;

	(void)e;
	ck->cur_weight = cur_weight;
	ce_update_weight(rs->vs, rs, w, true);
}

void ce_ck_drop_weight(struct ce *e, struct ce_ck *ck)
{
	(void)e;
	ck->rs->weight -= ck->cur_weight;
	ck->cur_weight = 0;
}

void ce_ck_init_state(struct ce_ck *ck, bool up, int cur_weight)
{
	struct ce_rs *rs = ck->rs;

	ce_set_checker_state(ck, up);
	if (!up)
		rs->alive = false;
	ck->cur_weight = cur_weight;
	rs->weight = ce_rs_weight_sum(rs);
	rs->prev_weight = rs->weight;
}

int64_t ce_rs_weight_sum(const struct ce_rs *rs)
{
	int64_t w = rs->cf->weight;

	for (unsigned i = 0; i < rs->n_ck; i++)
		w += rs->ck[i].cur_weight;
	return w;
}

/* --- ha_suspend (check_api.c:634-697; groups matched by their entries: a fix) --- */

static int addr_cmp(const struct inet_addr *a, const struct inet_addr *b)
{
	if (a->family == AF_INET)
		return ntohl(a->v4.s_addr) < ntohl(b->v4.s_addr) ? -1 :
		       ntohl(a->v4.s_addr) > ntohl(b->v4.s_addr);
	return memcmp(&a->v6, &b->v6, sizeof(a->v6));
}

static bool vs_has_addr(const struct ce_vs *vs, const struct inet_addr *a)
{
	const struct vs_conf *c = vs->cf;

	if (c->kind == VS_ADDR)
		return inet_addr_eq(&c->addr, a);
	if (c->kind != VS_GROUP || !c->group)
		return false;
	for (unsigned i = 0; i < c->group->n_entries; i++) {
		const struct vsg_entry *ge = &c->group->entries[i];

		if (ge->is_fwmark || ge->first.family != a->family)
			continue;
		if (addr_cmp(&ge->first, a) <= 0 && addr_cmp(a, &ge->last) <= 0)
			return true;
	}
	return false;
}

void ce_address(struct ce *e, const struct inet_addr *a, bool present)
{
	for (unsigned i = 0; i < e->n_vs; i++) {
		struct ce_vs *vs = &e->vs[i];

		if (!vs->cf->ha_suspend || vs->cf->af != a->family || !vs_has_addr(vs, a))
			continue;
		/* the same address on several interfaces counts once per interface */
		if (present)
			vs->ha_addr_count++;
		else if (vs->ha_addr_count)
			vs->ha_addr_count--;
		for (unsigned j = 0; j < vs->n_rs; j++) {
			struct ce_rs *rs = &vs->rs[j];

			for (unsigned k = 0; k < rs->n_ck; k++) {
				struct ce_ck *ck = &rs->ck[k];

				if (present == ck->enabled || (!present && vs->ha_addr_count))
					continue;
				log_info("%s healthchecker for service %s for VS %s",
					 ck->enabled ? "Suspending" : "Activating", ce_rs_str(rs),
					 vs->cf->str);
				ck->enabled = present;
			}
		}
	}
}

/* --- start (ipwrapper.c:400-446, 626-695) --- */

void ce_init_vs(struct ce_vs *vs)
{
	struct ce_rs *ss = vs->sorry;

	/*
	 * The service and its servers in a few sendmsg (ipvs.h batching); flushed before
	 * any line logged here, so that a refused command's "IPVS cmd" line keeps its place.
	 */
	ipvs_batch_begin(vs->e->b);
	if (!vs->alive || vs->cf->kind == VS_GROUP) {
		ce_svc_cmd(vs, CE_OP_ADD);
		vs->alive = true;
	}
	for (unsigned i = 0; i < vs->n_rs; i++) {
		struct ce_rs *rs = &vs->rs[i];

		if (rs->reloaded) {
			if (rs->weight != rs->prev_weight) {
				int64_t w = rs->weight;

				ipvs_batch_flush(vs->e->b);
				rs->weight = rs->prev_weight;
				ce_update_weight(vs, rs, w, false);
			}
			continue;	/* a failed server is not re-added on reload */
		}
		/* alpha: not in the pool before its checks pass (inhibit: at weight 0) */
		if ((!rs->n_failed && !rs->alive) || (rs->inhibit && !rs->set)) {
			ce_dest_cmd(vs, rs, CE_OP_ADD);
			if (!rs->n_failed) {
				rs->alive = true;
				if (vs->e->h.rs_init_notifies) {
					/* the script may look at the table */
					ipvs_batch_flush(vs->e->b);
					ce_rs_notify(vs, rs, false);
				}
			}
		}
	}
	ipvs_batch_end(vs->e->b);
	if (vs->reloaded && vs->cf->kind == VS_GROUP && vs->gent)
		ce_group_sync(vs);
	ce_update_quorum(vs, true);
	if (ss && ss->inhibit && !ss->set) {
		if (vs->sorry_dup_rs) {
			ss->set = true;
		} else {
			ss->n_failed = 1;	/* in at weight 0 */
			ce_dest_cmd(vs, ss, CE_OP_ADD);
			ss->n_failed = 0;
		}
	}
}

void ce_start(struct ce *e, struct ce *old)
{
	if (old)
		ce_reload_diff(e, old);
	for (unsigned i = 0; i < e->n_vs; i++)
		ce_init_vs(&e->vs[i]);
}

/* --- removal and shutdown (ipwrapper.c:223-397) --- */

void ce_clear_rs(struct ce_vs *vs, struct ce_rs *rs, bool stopping)
{
	bool sav;

	if (rs->set || stopping)
		log_info("%s %sservice %s from VS %s", stopping ? "Shutting down" : "Removing",
			 rs->inhibit && !rs->alive ? "(inhibited) " : "", ce_rs_str(rs), vs->cf->str);
	if (!rs->set)
		return;
	sav = rs->inhibit;
	rs->inhibit = false;		/* really deleted */
	ce_dest_cmd(vs, rs, CE_OP_DEL);
	rs->inhibit = sav;
	if (!rs->alive)
		return;
	rs->alive = false;
	if (!vs->cf->omega && stopping)
		return;
	ce_rs_notify(vs, rs, stopping);
	if (rs->cf->smtp_alert)
		ce_rs_alert(vs, rs, "DOWN", stopping ? "=> Shutting down <=" : "=> Removing <=");
}

void ce_clear_vs(struct ce_vs *vs, bool stopping)
{
	struct ce_rs *ss = vs->sorry;

	if (vs->e->h.flush_on_stop == 0) {
		if (ss && ss->set) {
			if (vs->sorry_dup_rs) {
				ss->set = false;
			} else {
				bool sav = ss->inhibit;

				ss->inhibit = false;
				ce_dest_cmd(vs, ss, CE_OP_DEL);
				ss->inhibit = sav;
			}
			ss->alive = false;
		}
		for (unsigned i = 0; i < vs->n_rs; i++)
			ce_clear_rs(vs, &vs->rs[i], stopping);
		ce_vs_notifies_stop(vs, stopping);
	} else {
		ce_vs_notifies_stop(vs, stopping);
		if (vs->e->h.flush_on_stop == 2 && vs->cf->kind == VS_GROUP && vs->gent)
			for (unsigned i = 0; i < vs->cf->group->n_entries; i++)
				*ce_gcount(vs, i) = 0;
		if (ss && ss->set)
			ss->alive = false;
	}
	ce_svc_cmd(vs, CE_OP_DEL);
	vs->alive = false;
}

void ce_shutdown(struct ce *e)
{
	if (e->h.dont_release_ipvs)
		return;
	if (e->h.flush_on_stop == 1) {
		if (e->b)
			ipvs_flush(e->b);
		for (unsigned i = 0; i < e->n_vs; i++)
			ce_vs_notifies_stop(&e->vs[i], true);
		return;
	}
	for (unsigned i = 0; i < e->n_vs; i++)
		ce_clear_vs(&e->vs[i], true);
}

/* a reload's group entry that is gone: its servers and, when unused, its services */
/* --- objects --- */


/* ck_slots: the real server's cf->n_checkers slots of its VS's array (sorry: NULL) */
static void rs_init(struct ce_vs *vs, struct ce_rs *rs, const struct rs_conf *cf, bool sorry,
		    struct ce_ck *ck_slots)
{
	rs->cf = cf;
	rs->vs = vs;
	rs->inhibit = cf->inhibit || (sorry && vs->cf->sorry_inhibit);
	rs->is_sorry = sorry;
	rs->weight = cf->weight;
	rs->prev_weight = cf->weight;
	if (sorry)
		return;
	rs->n_ck = cf->n_checkers;
	rs->ck = rs->n_ck ? ck_slots : NULL;
	for (unsigned i = 0; i < rs->n_ck; i++) {
		struct ce_ck *ck = &rs->ck[i];

		ck->cf = &cf->checkers[i];
		ck->rs = rs;
		ck->is_up = true;
		ck->enabled = true;
		/* cold start: the first failure counts at once (spec 1.2); reload: full retries */
		ck->retry_it = vs->e->reload ? 0 : ck->cf->retry;
		/* alpha: down until it has passed (check_data.c:1376-1381) */
		if (!vs->e->reload && ck->cf->alpha)
			ce_set_checker_state(ck, false);
	}
}

static bool rs_same(const struct rs_conf *a, const struct rs_conf *b)
{
	return inet_addr_eq(&a->addr, &b->addr) && a->port == b->port;
}

static struct ce_gentry *find_group(struct ce *e, const struct vsg_conf *g, const char *name)
{
	for (unsigned i = 0; i < e->n_grp; i++)
		if (e->grp[i].cf == g)
			return e->grp[i].ent;
	for (unsigned i = 0; i < e->n_grp; i++)
		if (name && e->grp[i].cf->name && !strcmp(e->grp[i].cf->name, name))
			return e->grp[i].ent;
	return NULL;
}

struct ce *ce_new(const struct check_conf *cc, struct ipvs_backend *b, const struct ce_hooks *h,
		  struct ce *old)
{
	struct ce *e = xcalloc(1, sizeof(*e));

	e->cc = cc;
	e->b = b;
	e->h = *h;
	e->reload = old != NULL;
	e->n_grp = cc->n_vsg;
	e->grp = e->n_grp ? xcalloc(e->n_grp, sizeof(*e->grp)) : NULL;
	for (unsigned i = 0; i < e->n_grp; i++) {
		e->grp[i].cf = &cc->vsg[i];
		if (cc->vsg[i].n_entries)
			e->grp[i].ent = xcalloc(cc->vsg[i].n_entries, sizeof(struct ce_gentry));
	}
	e->n_vs = cc->n_vs;
	e->vs = e->n_vs ? xcalloc(e->n_vs, sizeof(*e->vs)) : NULL;
	for (unsigned i = 0; i < e->n_vs; i++) {
		struct ce_vs *vs = &e->vs[i];
		const struct vs_conf *c = &cc->vs[i];
		unsigned n_ck;

		vs->cf = c;
		vs->e = e;
		if (c->kind == VS_GROUP && c->group)
			vs->gent = find_group(e, c->group, c->group_name);
		vs->n_rs = c->n_rs;
		vs->rs = vs->n_rs ? xcalloc(vs->n_rs, sizeof(*vs->rs)) : NULL;
		n_ck = 0;
		for (unsigned j = 0; j < vs->n_rs; j++)
			n_ck += c->rs[j].n_checkers;
		/* one array for the VS's checkers: no chunk per server */
		vs->cks = n_ck ? xcalloc(n_ck, sizeof(*vs->cks)) : NULL;
		n_ck = 0;
		for (unsigned j = 0; j < vs->n_rs; j++) {
			rs_init(vs, &vs->rs[j], &c->rs[j], false, vs->cks ? vs->cks + n_ck : NULL);
			n_ck += c->rs[j].n_checkers;
		}
		if (c->sorry) {
			vs->sorry = xcalloc(1, sizeof(*vs->sorry));
			rs_init(vs, vs->sorry, c->sorry, true, NULL);
			for (unsigned j = 0; j < vs->n_rs; j++)
				if (rs_same(c->sorry, &c->rs[j]))
					vs->sorry_dup_rs = true;
		}
		/* set_quorum_states() runs before any server is alive (check_data.c:1395) */
		vs->quorum_up = 0 >= (long)c->quorum + (long)c->hysteresis;
	}
	return e;
}

void ce_free(struct ce *e)
{
	if (!e)
		return;
	for (unsigned i = 0; i < e->n_vs; i++) {
		struct ce_vs *vs = &e->vs[i];

		free(vs->cks);
		free(vs->rs);
		free(vs->sorry);
	}
	free(e->vs);
	for (unsigned i = 0; i < e->n_grp; i++)
		free(e->grp[i].ent);
	free(e->grp);
	free(e);
}

unsigned ce_n_vs(const struct ce *e)
{
	return e->n_vs;
}

struct ce_vs *ce_vs_at(const struct ce *e, unsigned i)
{
	return i < e->n_vs ? &e->vs[i] : NULL;
}

const struct vs_conf *ce_vs_conf(const struct ce_vs *vs)
{
	return vs->cf;
}

unsigned ce_vs_n_rs(const struct ce_vs *vs)
{
	return vs->n_rs;
}

struct ce_rs *ce_rs_at(const struct ce_vs *vs, unsigned i)
{
	return i < vs->n_rs ? &vs->rs[i] : NULL;
}

struct ce_rs *ce_vs_sorry(const struct ce_vs *vs)
{
	return vs->sorry;
}

const struct rs_conf *ce_rs_conf(const struct ce_rs *rs)
{
	return rs->cf;
}

struct ce_vs *ce_rs_vs(const struct ce_rs *rs)
{
	return rs->vs;
}

unsigned ce_rs_n_ck(const struct ce_rs *rs)
{
	return rs->n_ck;
}

struct ce_ck *ce_ck_at(const struct ce_rs *rs, unsigned i)
{
	return i < rs->n_ck ? &rs->ck[i] : NULL;
}

/*
 * FMT_RS, formatted when asked instead of kept per real server (tens of thousands): in a
 * ring of CE_RS_STR_RING buffers, so that many names can be used in one statement (a log
 * line has one or two); a name that must live longer is copied.
 */
#define CE_RS_STR_RING 8

const char *ce_rs_str(const struct ce_rs *rs)
{
	static char ring[CE_RS_STR_RING][CK_RS_STR_LEN];
	static unsigned next;
	char *buf = ring[next++ % CE_RS_STR_RING];

	ce_fmt_trio(&rs->cf->addr, rs->vs->cf->protocol, rs->cf->port, buf, CK_RS_STR_LEN);
	return buf;
}

const char *ce_vs_str(const struct ce_vs *vs)
{
	return vs->cf->str;
}

bool ce_rs_alive(const struct ce_rs *rs)
{
	return rs->alive;
}

bool ce_rs_in_table(const struct ce_rs *rs)
{
	return rs->set;
}

int ce_rs_weight(const struct ce_rs *rs)
{
	return rs->weight > INT32_MAX ? INT32_MAX : rs->weight < INT32_MIN ? INT32_MIN : (int)rs->weight;
}

bool ce_vs_quorum_up(const struct ce_vs *vs)
{
	return vs->quorum_up;
}

unsigned ce_vs_ha_addr_count(const struct ce_vs *vs)
{
	return vs->ha_addr_count;
}
