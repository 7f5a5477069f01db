// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/check/check_api.c: the checker runtime: deduplicated probes on the child's scheduler. */
#include "check_api.h"

#include <stdlib.h>
#include <string.h>

#include "check_drivers.h"
#include "log.h"
#include "scheduler.h"
#include "utils.h"

/* keepalived's BOOTSTRAP_DELAY: every checker's first run is at least this far from start */
#define CK_FIRST_RUN_US 1000000ULL
/* the liveness guard's slack over an attempt's own timeouts (spec 6.3) */
#define CK_GUARD_MARGIN_US 10000000ULL

struct ck_member {
	struct ck_member *next;		/* config order */
	struct ce_ck *ck;		/* borrowed: the engine's (ck->rs: its names; ck->probe) */
};

/*
 * No scheduler event per probe: a probe waiting for its next attempt is in the list of its
 * slot (struct ck_slot: the probes due at one CK_COALESCE_US boundary, one timer each),
 * and the liveness guard of an attempt in flight is a deadline the runtime's sweep looks
 * at (CK_SWEEP_US). With 10,000 real servers that is about 100 slots' events instead of
 * 10,000 events and heap entries.
 */
struct ck_probe {
	struct ck_runtime *rt;
	/* the definition: the lead member's ce_ck's (all members' are equal), CF(p) */
	struct ck_member *members;
	union {
		struct ck_member *last;	/* while ck_runtime_start() adds the members */
		struct ck_probe *tnext;	/* then: next in its slot, while armed */
	};
	/* for the dump */
	uint32_t last_ds;		/* the last result's time (clock, 0.1 s) */
	uint32_t n_attempts;
	uint32_t n_failures;
	uint32_t guard_s;		/* running: the sweep cancels it from then (clock s) */
	/* metrics (issue 15): the attempt's start (low 32 bits of its µs), the last's length */
	uint32_t attempt_lo_us, last_latency_us;
	uint16_t n_guard;		/* at most one a delay_loop (wraps after 65,535) */
	bool running;			/* an attempt is in flight */
	bool armed;			/* in a slot's list: the next attempt is due */
	bool dropped;			/* prepare() refused it */
	bool has_result, last_ok;
	/* the first member lives in the probe: most probes have only that one */
	struct ck_member lead;
	/*
	 * then the driver's state (its state_size bytes): pointers, ints and 64-bit
	 * counters, nothing aligned wider (so 88 bytes with TCP's: a 96-byte chunk)
	 */
	_Alignas(uint64_t) unsigned char state_buf[];
};

/* the probes due at one instant (a multiple of CK_COALESCE_US), in the order armed */
struct ck_slot {
	uint64_t at_us;
	struct ck_slot *hnext;		/* the runtime's hash chain */
	struct ck_probe *head, *tail;
	struct sched_ev *ev;
	struct ck_runtime *rt;
};

#define CF(p) ((p)->lead.ck->cf)

struct ck_runtime {
	struct sched *s;
	struct ce *e;
	bool log_all_failures;
	struct ck_probe **probes;
	unsigned n_probes;
	struct ck_probe **buckets;	/* deduplication, while ck_runtime_start() runs */
	unsigned n_buckets;
	struct ck_slot **slots;		/* armed slots by at_us (chained hash) */
	unsigned n_slot_buckets, n_slots;
	struct ck_slot *firing;		/* out of the table, its probes starting */
	struct sched_ev *sweep_ev;	/* the liveness guard's sweep */
};

const struct ck_driver *ck_driver_of(enum ck_type t)
{
#define CK_DRIVER_ENTRY(type, name) [type] = &name,
	static const struct ck_driver *const drivers[CK__COUNT] = { CK_DRIVERS(CK_DRIVER_ENTRY) };
#undef CK_DRIVER_ENTRY

	return (unsigned)t < CK__COUNT ? drivers[t] : NULL;
}

struct sched *ck_probe_sched(const struct ck_probe *p) { return p->rt->s; }
const struct ck_conf *ck_probe_conf(const struct ck_probe *p) { return CF(p); }
void ck_probe_dst(const struct ck_probe *p, union ck_sockaddr *out)
{
	ck_conf_dst(CF(p), ce_rs_conf(p->lead.ck->rs), out);
}

static const struct ck_driver *drv_of(const struct ck_probe *p)
{
	return ck_driver_of(CF(p)->type);
}

void *ck_probe_state(const struct ck_probe *p)
{
	return drv_of(p)->state_size ? (void *)p->state_buf : NULL;
}

struct ce_ck *ck_probe_ck(const struct ck_probe *p) { return p->members->ck; }
struct ck_member *ck_probe_members(const struct ck_probe *p) { return p->members; }
struct ck_member *ck_member_next(const struct ck_member *m) { return m->next; }
const char *ck_member_rs_str(const struct ck_member *m) { return ce_rs_str(m->ck->rs); }
const char *ck_member_vs_str(const struct ck_member *m)
{
	return ce_vs_str(ce_rs_vs(m->ck->rs));
}

struct ce_ck *ck_member_ck(const struct ck_member *m) { return m->ck; }
unsigned ck_runtime_n_probes(const struct ck_runtime *rt) { return rt ? rt->n_probes : 0; }

bool ck_log_all_failures(const struct ck_probe *p)
{
	return CF(p)->log_all_failures || p->rt->log_all_failures;
}

/*
 * A member suspended by ha_suspend keeps its state: results are not applied to it
 * (keepalived does not run its checker at all; the probe may run for another member).
 */
void ck_probe_set_state(struct ck_probe *p, bool up, const char *alert_body)
{
	for (struct ck_member *m = p->members; m; m = m->next) {
		if (!m->ck->enabled)
			continue;
		if (m->ck->is_up != up || !m->ck->has_run)
			ce_ck_set_state(p->rt->e, m->ck, up, alert_body);
	}
}

void ck_member_set_weight(struct ck_member *m, int cur_weight)
{
	if (m->ck->enabled && m->ck->cur_weight != cur_weight)
		ce_ck_set_weight(((struct ck_probe *)m->ck->probe)->rt->e, m->ck, cur_weight);
}

void ck_probe_set_weight(struct ck_probe *p, int cur_weight)
{
	for (struct ck_member *m = p->members; m; m = m->next)
		ck_member_set_weight(m, cur_weight);
}

void ck_probe_drop_weight(struct ck_probe *p)
{
	for (struct ck_member *m = p->members; m; m = m->next)
		if (m->ck->enabled)
			ce_ck_drop_weight(p->rt->e, m->ck);
}

void ck_probe_note_result(struct ck_probe *p, bool ok)
{
	uint64_t now_us = sched_now_us(p->rt->s);

	p->has_result = true;
	p->last_ok = ok;
	p->last_ds = (uint32_t)(now_us / 100000);
	/* modulo 2^32 µs (71 min): longer than any attempt the guard lets run */
	p->last_latency_us = (uint32_t)now_us - p->attempt_lo_us;
	if (!ok)
		p->n_failures++;
}

static void slot_cb(struct sched_ev *ev, void *arg);

/*
 * Probes due within the same CK_COALESCE_US slot start in one wakeup of the loop: with
 * thousands of real servers the checker wakes per slot, not per probe (a check is at most
 * that much later than its delay asks; keepalived's own timing is no finer).
 */
#define CK_COALESCE_US 10000

uint64_t ck_coalesce_us(uint64_t at_us)
{
	return (at_us + CK_COALESCE_US - 1) / CK_COALESCE_US * CK_COALESCE_US;
}

/* --- slots --- */

static unsigned slot_bucket(const struct ck_runtime *rt, uint64_t at_us)
{
	uint64_t k = at_us / CK_COALESCE_US;

	return (unsigned)((k * 0x9e3779b97f4a7c15ULL) >> 32) & (rt->n_slot_buckets - 1);
}

static void slots_grow(struct ck_runtime *rt)
{
	struct ck_slot **old = rt->slots;
	unsigned n_old = rt->n_slot_buckets;

	rt->n_slot_buckets = n_old ? 2 * n_old : 64;
	rt->slots = xcalloc(rt->n_slot_buckets, sizeof(*rt->slots));
	for (unsigned i = 0; i < n_old; i++) {
		for (struct ck_slot *sl = old[i], *next; sl; sl = next) {
			unsigned b = slot_bucket(rt, sl->at_us);

			next = sl->hnext;
			sl->hnext = rt->slots[b];
			rt->slots[b] = sl;
		}
	}
	free(old);
}

static void slot_unlink(struct ck_runtime *rt, struct ck_slot *sl)
{
	struct ck_slot **pp = &rt->slots[slot_bucket(rt, sl->at_us)];

	while (*pp != sl)
		pp = &(*pp)->hnext;
	*pp = sl->hnext;
	rt->n_slots--;
}

/* p (not armed) joins the slot of at_us (a multiple of CK_COALESCE_US), last */
static int probe_arm(struct ck_probe *p, uint64_t at_us)
{
	struct ck_runtime *rt = p->rt;
	struct ck_slot *sl;

	if (rt->n_slots >= rt->n_slot_buckets)
		slots_grow(rt);
	for (sl = rt->slots[slot_bucket(rt, at_us)]; sl && sl->at_us != at_us; sl = sl->hnext)
		;
	if (!sl) {
		unsigned b = slot_bucket(rt, at_us);

		sl = xcalloc(1, sizeof(*sl));
		sl->at_us = at_us;
		sl->rt = rt;
		if (sched_timer_at(rt->s, &sl->ev, at_us, slot_cb, sl) < 0) {
			free(sl);
			return -1;
		}
		sl->hnext = rt->slots[b];
		rt->slots[b] = sl;
		rt->n_slots++;
	}
	p->tnext = NULL;
	if (sl->tail)
		sl->tail->tnext = p;
	else
		sl->head = p;
	sl->tail = p;
	p->armed = true;
	return 0;
}

static bool slot_remove(struct ck_slot *sl, struct ck_probe *p)
{
	struct ck_probe *prev = NULL;

	for (struct ck_probe *q = sl->head; q; prev = q, q = q->tnext) {
		if (q != p)
			continue;
		if (prev)
			prev->tnext = p->tnext;
		else
			sl->head = p->tnext;
		if (sl->tail == p)
			sl->tail = prev;
		p->tnext = NULL;
		return true;
	}
	return false;
}

/*
 * Take an armed p out of its slot: not the usual path (a slot's run takes its probes out),
 * so a walk. An emptied slot stays until its time (its callback then has nothing to do).
 */
static void probe_disarm(struct ck_probe *p)
{
	struct ck_runtime *rt = p->rt;

	if (!p->armed)
		return;
	p->armed = false;
	if (rt->firing && slot_remove(rt->firing, p))
		return;
	for (unsigned b = 0; b < rt->n_slot_buckets; b++)
		for (struct ck_slot *sl = rt->slots[b]; sl; sl = sl->hnext)
			if (slot_remove(sl, p))
				return;
}

static void slot_free(struct ck_slot *sl)
{
	sched_cancel(&sl->ev);
	free(sl);
}

/* The attempt is over: the members follow the lead's counters; the next one is armed. */
void ck_probe_schedule(struct ck_probe *p, uint64_t delay_us)
{
	struct ce_ck *lead = ck_probe_ck(p);

	p->running = false;
	for (struct ck_member *m = p->members->next; m; m = m->next) {
		if (!m->ck->enabled)
			continue;
		m->ck->retry_it = lead->retry_it;
		m->ck->has_run = lead->has_run;
	}
	probe_disarm(p);	/* scheduled twice: the last one counts */
	if (probe_arm(p, ck_coalesce_us(sched_now_us(p->rt->s) + delay_us)) < 0)
		log_err("Cannot schedule the %s checker of %s", ck_type_kw(CF(p)->type),
			ck_member_rs_str(p->members));
}

static bool any_enabled(const struct ck_probe *p)
{
	for (const struct ck_member *m = p->members; m; m = m->next)
		if (m->ck->enabled)
			return true;
	return false;
}

/* How long one attempt may take before the guard gives up on it. */
static uint64_t guard_us(const struct ck_conf *cf)
{
	uint64_t t = cf->delay_loop_us + cf->conn.connect_timeout_us + CK_GUARD_MARGIN_US;

	if (cf->type == CK_MISC)	/* the script's timeout, then SIGTERM + 2 s, SIGKILL */
		t += cf->u.misc.timeout_us + 2 * 2000000ULL;
	return t;
}

static void probe_run(struct ck_probe *p)
{
	/* ha_suspend: keepalived's disabled checker just comes back every delay_loop */
	if (!any_enabled(p)) {
		ck_probe_schedule(p, CF(p)->delay_loop_us);
		return;
	}
	p->running = true;
	p->n_attempts++;
	p->attempt_lo_us = (uint32_t)sched_now_us(p->rt->s);
	p->guard_s = (uint32_t)((sched_now_us(p->rt->s) + guard_us(CF(p))) / 1000000 + 1);
	drv_of(p)->run(p);
}

/* A slot is due: its probes start, in the order they were armed. */
static void slot_cb(struct sched_ev *ev, void *arg)
{
	struct ck_slot *sl = arg;
	struct ck_runtime *rt = sl->rt;
	struct ck_probe *p;

	(void)ev;
	/* out of the table first: a probe re-armed for this same instant gets a new slot */
	slot_unlink(rt, sl);
	rt->firing = sl;
	while ((p = sl->head)) {
		sl->head = p->tnext;
		if (!sl->head)
			sl->tail = NULL;
		p->tnext = NULL;
		p->armed = false;
		probe_run(p);
	}
	rt->firing = NULL;
	free(sl);
}

/*
 * Spec 6.3 (keepalived issue #2523, and 2.2.7's lost MISC child that was never
 * rescheduled): an attempt that never reported within its guard time (delay_loop +
 * connect_timeout + 10 s, MISC: + its timeout) is cancelled and the probe re-armed.
 * One sweep of the probes every CK_SWEEP_US (a guard gives up at most that much later).
 */
#define CK_SWEEP_US 1000000ULL

static void sweep_cb(struct sched_ev *ev, void *arg)
{
	struct ck_runtime *rt = arg;
	uint32_t now_s = (uint32_t)(sched_now_us(rt->s) / 1000000);

	(void)ev;
	for (unsigned i = 0; i < rt->n_probes; i++) {
		struct ck_probe *p = rt->probes[i];

		if (!p->running || (int32_t)(now_s - p->guard_s) < 0)
			continue;
		p->n_guard++;
		log_warn("%s of service %s for VS %s gave no result within %llu s: attempt "
			 "cancelled, rescheduled", ck_type_kw(CF(p)->type),
			 ck_member_rs_str(p->members), ck_member_vs_str(p->members),
			 (unsigned long long)(guard_us(CF(p)) / 1000000));
		if (drv_of(p)->cancel)
			drv_of(p)->cancel(p);
		ck_probe_schedule(p, CF(p)->delay_loop_us);
	}
	sched_timer(rt->s, &rt->sweep_ev, CK_SWEEP_US, sweep_cb, rt);
}

/* --- deduplication: one probe per backend and definition --- */

static uint32_t fnv(uint32_t h, const void *data, size_t len)
{
	const uint8_t *b = data;

	for (size_t i = 0; i < len; i++)
		h = (h ^ b[i]) * 16777619u;
	return h;
}

static uint32_t hash_addr(uint32_t h, const struct inet_addr *a)
{
	h = fnv(h, &a->family, sizeof(a->family));
	if (a->family == AF_INET)
		h = fnv(h, &a->v4, sizeof(a->v4));
	else if (a->family == AF_INET6)
		h = fnv(h, &a->v6, sizeof(a->v6));
	return h;
}

static uint32_t hash_sockaddr(uint32_t h, const union ck_sockaddr *ss)
{
	const struct sockaddr_in *s4 = (const struct sockaddr_in *)ss;
	const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)ss;

	h = fnv(h, &ss->ss_family, sizeof(ss->ss_family));
	if (ss->ss_family == AF_INET) {
		h = fnv(h, &s4->sin_addr, sizeof(s4->sin_addr));
		h = fnv(h, &s4->sin_port, sizeof(s4->sin_port));
	} else if (ss->ss_family == AF_INET6) {
		h = fnv(h, &s6->sin6_addr, sizeof(s6->sin6_addr));
		h = fnv(h, &s6->sin6_port, sizeof(s6->sin6_port));
	}
	return h;
}

static uint32_t probe_hash(const struct rs_conf *rs, const struct ck_conf *cf)
{
	uint32_t h = 2166136261u;

	h = fnv(h, &cf->type, sizeof(cf->type));
	h = hash_addr(h, &rs->addr);
	h = fnv(h, &rs->port, sizeof(rs->port));
	h = hash_sockaddr(h, &cf->conn.dst);
	h = fnv(h, &cf->delay_loop_us, sizeof(cf->delay_loop_us));
	return h;
}

/*
 * The whole definition: the engine's ck_conf_same() (type, connection, timing, alpha,
 * the type's data), and the driver's own comparison if it has one.
 */
static bool conf_same(const struct ck_driver *drv, const struct ck_conf *a, const struct ck_conf *b)
{
	if (a == b)
		return true;
	return ck_conf_same(a, b) && (!drv->same || drv->same(a, b));
}

/* open addressing (linear probing): the probe's slot, or the empty one where it goes */
static struct ck_probe **probe_slot(struct ck_runtime *rt, const struct ck_driver *drv,
				   const struct rs_conf *rs, const struct ck_conf *cf, uint32_t h)
{
	unsigned i = h % rt->n_buckets;

	for (struct ck_probe *p; (p = rt->buckets[i]); i = (i + 1) % rt->n_buckets) {
		/* the backend: address and port of the first member */
		const struct rs_conf *prs = ce_rs_conf(p->lead.ck->rs);

		if (inet_addr_eq(&prs->addr, &rs->addr) && prs->port == rs->port &&
		    conf_same(drv, CF(p), cf))
			break;
	}
	return &rt->buckets[i];
}

static void member_add(struct ck_probe *p, struct ce_ck *ck)
{
	struct ck_member *m = p->members ? xcalloc(1, sizeof(*m)) : &p->lead;

	m->ck = ck;
	if (p->members)
		p->last->next = m;
	else
		p->members = m;
	p->last = m;
	ck->probe = p;
}

static void probe_add(struct ck_runtime *rt, struct ce_rs *rs, struct ce_ck *ck)
{
	const struct ck_driver *drv = ck_driver_of(ck->cf->type);
	const struct rs_conf *rc = ce_rs_conf(rs);
	struct ck_probe **slot, *p;

	ck->probe = NULL;
	if (!drv)
		return;		/* BFD: not built (the config said so) */
	slot = probe_slot(rt, drv, rc, ck->cf, probe_hash(rc, ck->cf));
	p = *slot;
	if (!p) {
		p = xcalloc(1, sizeof(*p) + drv->state_size);
		p->rt = rt;
		*slot = p;
		rt->probes[rt->n_probes++] = p;	/* sized for one probe per checker */
	}
	member_add(p, ck);
}

static void probe_free(struct ck_probe *p)
{
	struct ck_member *m, *next;

	const struct ck_driver *drv = drv_of(p);

	if (p->running && drv->cancel)
		drv->cancel(p);
	if (drv->release && !p->dropped)
		drv->release(p);
	for (m = p->members; m; m = next) {
		next = m->next;
		if (m->ck->probe == p)
			m->ck->probe = NULL;
		if (m != &p->lead)
			free(m);
	}
	free(p);
}

/* A uniform draw in [0, max_us]. */
static uint64_t random_us(uint64_t max_us)
{
	uint64_t r;

	if (!max_us)
		return 0;
	r = ((uint64_t)(unsigned)random() << 31) ^ (uint64_t)(unsigned)random();
	return r % (max_us + 1);
}

/* lines logged between two calls of the progress hook */
#define CK_PROGRESS_EVERY 64

struct ck_runtime *ck_runtime_start(struct sched *s, struct ce *e, bool log_all_failures)
{
	return ck_runtime_start_progress(s, e, log_all_failures, NULL, NULL);
}

struct ck_runtime *ck_runtime_start_progress(struct sched *s, struct ce *e, bool log_all_failures,
					     void (*progress)(void *arg), void *arg)
{
	unsigned n_lines = 0;

	struct ck_runtime *rt = xcalloc(1, sizeof(*rt));
	unsigned n_ck = 0;

	rt->s = s;
	rt->e = e;
	rt->log_all_failures = log_all_failures;
	for (unsigned v = 0; v < ce_n_vs(e); v++)
		for (unsigned r = 0; r < ce_vs_n_rs(ce_vs_at(e, v)); r++)
			n_ck += ce_rs_n_ck(ce_rs_at(ce_vs_at(e, v), r));
	rt->n_buckets = 2 * n_ck + 1;	/* at most half full: an empty slot ends a search */
	rt->buckets = xcalloc(rt->n_buckets, sizeof(*rt->buckets));
	rt->probes = xcalloc(n_ck ? n_ck : 1, sizeof(*rt->probes));
	for (unsigned v = 0; v < ce_n_vs(e); v++) {
		struct ce_vs *vs = ce_vs_at(e, v);
		/* ha_suspend: off while none of the VS's addresses is local (ce_address) */
		bool suspended = ce_vs_conf(vs)->ha_suspend && !ce_vs_ha_addr_count(vs);

		for (unsigned r = 0; r < ce_vs_n_rs(vs); r++) {
			struct ce_rs *rs = ce_rs_at(vs, r);

			for (unsigned c = 0; c < ce_rs_n_ck(rs); c++) {
				if (suspended)
					ce_ck_at(rs, c)->enabled = false;
				probe_add(rt, rs, ce_ck_at(rs, c));
			}
		}
	}
	free(rt->buckets);
	rt->buckets = NULL;
	if (rt->n_probes < n_ck)
		rt->probes = xrealloc(rt->probes, (rt->n_probes ? rt->n_probes : 1) *
				      sizeof(*rt->probes));
	/* keepalived drops a MISC_CHECK whose script is missing before it registers any */
	for (unsigned i = 0; i < rt->n_probes; i++) {
		struct ck_probe *p = rt->probes[i];

		if (!drv_of(p)->prepare || !drv_of(p)->prepare(p))
			continue;
		p->dropped = true;
		/*
		 * The real server is judged by its other checkers: a dropped alpha checker
		 * must not hold it down (keepalived never had it).
		 */
		for (struct ck_member *m = p->members; m; m = m->next)
			if (!m->ck->is_up)
				ce_ck_set_state(e, m->ck, true, NULL);
	}
	for (unsigned v = 0; v < ce_n_vs(e); v++) {
		struct ce_vs *vs = ce_vs_at(e, v);

		for (unsigned r = 0; r < ce_vs_n_rs(vs); r++) {
			struct ce_rs *rs = ce_rs_at(vs, r);

			for (unsigned c = 0; c < ce_rs_n_ck(rs); c++) {
				struct ce_ck *ck = ce_ck_at(rs, c);
				struct ck_probe *p = ck->probe;

				if (!p || p->dropped)
					continue;
				log_info("%s healthchecker for service %s for VS %s",
					 ck->enabled ? "Activating" : "Deactivating", ce_rs_str(rs),
					 ce_vs_str(vs));
				if (progress && ++n_lines % CK_PROGRESS_EVERY == 0)
					progress(arg);
			}
		}
	}
	for (unsigned i = 0; i < rt->n_probes; i++) {
		struct ck_probe *p = rt->probes[i];

		if (p->dropped)
			continue;
		if (probe_arm(p, ck_coalesce_us(sched_now_us(s) + CK_FIRST_RUN_US +
						random_us(CF(p)->warmup_us))) < 0)
			log_err("Cannot schedule the %s checker of %s", ck_type_kw(CF(p)->type),
				ck_member_rs_str(p->members));
	}
	if (rt->n_probes)
		sched_timer(s, &rt->sweep_ev, CK_SWEEP_US, sweep_cb, rt);
	return rt;
}

void ck_runtime_stop(struct ck_runtime *rt)
{
	if (!rt)
		return;
	for (unsigned i = 0; i < rt->n_probes; i++)
		probe_free(rt->probes[i]);
	for (unsigned b = 0; b < rt->n_slot_buckets; b++)
		for (struct ck_slot *sl = rt->slots[b], *next; sl; sl = next) {
			next = sl->hnext;
			slot_free(sl);
		}
	free(rt->slots);
	sched_cancel(&rt->sweep_ev);
	free(rt->probes);
	free(rt->buckets);
	free(rt);
}

/* --- SIGUSR1 --- */

void ck_probe_get_stats(const struct ck_probe *p, struct ck_probe_stats *out)
{
	*out = (struct ck_probe_stats){
		.n_attempts = p->n_attempts,
		.n_failures = p->n_failures,
		.n_guard = p->n_guard,
		.has_result = p->has_result,
		.last_ok = p->last_ok,
		.last_latency_us = p->last_latency_us,
	};
}

void ck_probe_dump(const struct ck_probe *p, FILE *f, uint64_t now_us)
{
	unsigned n_members = 0;

	for (const struct ck_member *m = p->members; m; m = m->next)
		n_members++;
	fprintf(f, "     probe: %u member(s), %llu attempt(s), %llu failed, %llu cancelled by "
		"the liveness guard%s\n", n_members, (unsigned long long)p->n_attempts,
		(unsigned long long)p->n_failures, (unsigned long long)p->n_guard,
		p->dropped ? ", dropped" : p->running ? ", attempt in flight" : "");
	if (p->has_result)
		fprintf(f, "     last result: %s, %.1f s ago\n", p->last_ok ? "success" : "failure",
			(double)((uint32_t)(now_us / 100000) - p->last_ds) / 10);
	else
		fprintf(f, "     last result: none yet\n");
}
