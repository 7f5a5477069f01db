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
	struct ck_probe *p;
	struct ce_ck *ck;		/* borrowed: the engine's (ck->rs: its names) */
};

struct ck_probe {
	struct ck_runtime *rt;
	const struct ck_driver *drv;
	const struct ck_conf *cf;	/* the first member's definition (all are equal) */
	struct ck_member *members, *last;
	/*
	 * One timer: the next attempt, or while one is in flight (running) the liveness
	 * guard; re-armed in place from one to the other
	 */
	struct sched_ev *ev;
	/* for the dump */
	uint64_t n_attempts;
	uint32_t n_failures, n_guard;	/* at most one a delay_loop */
	uint64_t last_us;
	/* metrics (issue 15): the attempt's start (low 32 bits of its µs), the last's length */
	uint32_t attempt_lo_us, last_latency_us;
	unsigned n_members;
	bool running;			/* an attempt is in flight */
	bool dropped;			/* prepare() refused it */
	bool has_result, last_ok;
	/* the first member lives in the probe: most probes have only that one */
	struct ck_member lead;
	/*
	 * then the driver's state (drv->state_size bytes): pointers, ints and 64-bit
	 * counters, nothing aligned wider (so 120 bytes with TCP's: a 128-byte chunk)
	 */
	_Alignas(uint64_t) unsigned char state_buf[];
};

struct ck_runtime {
	struct sched *s;
	struct ce *e;
	bool log_all_failures;
	struct ck_probe **probes;
	unsigned n_probes;
	struct ck_probe **buckets;	/* deduplication, while ck_runtime_start() runs */
	unsigned n_buckets;
};

const struct ck_driver *ck_driver_of(enum ck_type t)
{
#define CK_DRIVER_ENTRY(type, name) [type] = &name,
	static const struct ck_driver *const drivers[CK__COUNT] = { CK_DRIVERS(CK_DRIVER_ENTRY) };
#undef CK_DRIVER_ENTRY

	return (unsigned)t < CK__COUNT ? drivers[t] : NULL;
}

struct sched *ck_probe_sched(const struct ck_probe *p) { return p->rt->s; }
const struct ck_conf *ck_probe_conf(const struct ck_probe *p) { return p->cf; }
void *ck_probe_state(const struct ck_probe *p)
{
	return p->drv->state_size ? (void *)p->state_buf : NULL;
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
	return p->cf->log_all_failures || p->rt->log_all_failures;
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
		ce_ck_set_weight(m->p->rt->e, m->ck, cur_weight);
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
	p->has_result = true;
	p->last_ok = ok;
	p->last_us = sched_now_us(p->rt->s);
	/* modulo 2^32 µs (71 min): longer than any attempt the guard lets run */
	p->last_latency_us = (uint32_t)p->last_us - p->attempt_lo_us;
	if (!ok)
		p->n_failures++;
}

static void probe_run_cb(struct sched_ev *ev, void *arg);
static void probe_guard_cb(struct sched_ev *ev, void *arg);

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

/* The attempt is over: the members follow the lead's counters; the next one is armed. */
void ck_probe_schedule(struct ck_probe *p, uint64_t delay_us)
{
	struct ce_ck *lead = ck_probe_ck(p);

	p->running = false;
	/* the guard's timer becomes the next run's (sched_timer_at re-arms it in place) */
	for (struct ck_member *m = p->members->next; m; m = m->next) {
		if (!m->ck->enabled)
			continue;
		m->ck->retry_it = lead->retry_it;
		m->ck->has_run = lead->has_run;
	}
	if (sched_timer_at(p->rt->s, &p->ev, ck_coalesce_us(sched_now_us(p->rt->s) + delay_us),
			   probe_run_cb, p) < 0)
		log_err("Cannot schedule the %s checker of %s", ck_type_kw(p->cf->type),
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

static void probe_run_cb(struct sched_ev *ev, void *arg)
{
	struct ck_probe *p = arg;

	(void)ev;
	/* ha_suspend: keepalived's disabled checker just comes back every delay_loop */
	if (!any_enabled(p)) {
		ck_probe_schedule(p, p->cf->delay_loop_us);
		return;
	}
	p->running = true;
	p->n_attempts++;
	p->attempt_lo_us = (uint32_t)sched_now_us(p->rt->s);
	sched_timer(p->rt->s, &p->ev, guard_us(p->cf), probe_guard_cb, p);
	p->drv->run(p);
}

/*
 * Spec 6.3 (keepalived issue #2523, and 2.2.7's lost MISC child that was never
 * rescheduled): an attempt that never reported is cancelled and the probe re-armed.
 */
static void probe_guard_cb(struct sched_ev *ev, void *arg)
{
	struct ck_probe *p = arg;

	(void)ev;
	if (!p->running)
		return;
	p->n_guard++;
	log_warn("%s of service %s for VS %s gave no result within %llu s: attempt cancelled, "
		 "rescheduled", ck_type_kw(p->cf->type), ck_member_rs_str(p->members),
		 ck_member_vs_str(p->members),
		 (unsigned long long)(guard_us(p->cf) / 1000000));
	if (p->drv->cancel)
		p->drv->cancel(p);
	ck_probe_schedule(p, p->cf->delay_loop_us);
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
		    conf_same(drv, p->cf, cf))
			break;
	}
	return &rt->buckets[i];
}

static void member_add(struct ck_probe *p, struct ce_ck *ck)
{
	struct ck_member *m = p->n_members ? xcalloc(1, sizeof(*m)) : &p->lead;

	m->p = p;
	m->ck = ck;
	if (p->last)
		p->last->next = m;
	else
		p->members = m;
	p->last = m;
	p->n_members++;
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
		p->drv = drv;
		p->cf = ck->cf;
		*slot = p;
		rt->probes[rt->n_probes++] = p;	/* sized for one probe per checker */
	}
	member_add(p, ck);
}

static void probe_free(struct ck_probe *p)
{
	struct ck_member *m, *next;

	if (p->running && p->drv->cancel)
		p->drv->cancel(p);
	sched_cancel(&p->ev);
	if (p->drv->release && !p->dropped)
		p->drv->release(p);
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

struct ck_runtime *ck_runtime_start(struct sched *s, struct ce *e, bool log_all_failures)
{
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

		if (!p->drv->prepare || !p->drv->prepare(p))
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
			}
		}
	}
	for (unsigned i = 0; i < rt->n_probes; i++) {
		struct ck_probe *p = rt->probes[i];

		if (p->dropped)
			continue;
		sched_timer(s, &p->ev, CK_FIRST_RUN_US + random_us(p->cf->warmup_us),
			    probe_run_cb, p);
	}
	return rt;
}

void ck_runtime_stop(struct ck_runtime *rt)
{
	if (!rt)
		return;
	for (unsigned i = 0; i < rt->n_probes; i++)
		probe_free(rt->probes[i]);
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
	fprintf(f, "     probe: %u member(s), %llu attempt(s), %llu failed, %llu cancelled by "
		"the liveness guard%s\n", p->n_members, (unsigned long long)p->n_attempts,
		(unsigned long long)p->n_failures, (unsigned long long)p->n_guard,
		p->dropped ? ", dropped" : p->running ? ", attempt in flight" : "");
	if (p->has_result)
		fprintf(f, "     last result: %s, %.1f s ago\n", p->last_ok ? "success" : "failure",
			(double)(now_us - p->last_us) / 1e6);
	else
		fprintf(f, "     last result: none yet\n");
}
