// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/vrrp/vrrp_arp.c: gratuitous ARP / unsolicited NA frames, their socket and schedule. */
#include "vrrp_arp.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <sys/socket.h>

#include "log.h"
#include "list.h"
#include "scheduler.h"

#define NO_INDEX ((size_t)-1)

/* ---- pure frame builders ---- */

static uint8_t *put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
	return p + 2;
}

static uint8_t *put(uint8_t *p, const void *src, size_t len)
{
	memcpy(p, src, len);
	return p + len;
}

static const uint8_t eth_bcast[GARP_HWADDR_LEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
/* RFC 2464 §7: ff02::1 maps to 33:33:00:00:00:01 */
static const uint8_t eth_all_nodes[GARP_HWADDR_LEN] = { 0x33, 0x33, 0x00, 0x00, 0x00, 0x01 };
static const struct in6_addr in6_all_nodes = { .s6_addr = { 0xff, 0x02, [15] = 0x01 } };

size_t garp_build_arp(uint8_t *buf, const uint8_t hw[GARP_HWADDR_LEN], const struct in_addr *vip)
{
	uint8_t *p = buf;

	p = put(p, eth_bcast, GARP_HWADDR_LEN);
	p = put(p, hw, GARP_HWADDR_LEN);
	p = put16(p, ETHERTYPE_ARP);
	/* RFC 826 with RFC 5227 §3's announcement shape: a REQUEST, sender IP = target IP */
	p = put16(p, 1);		/* htype: Ethernet */
	p = put16(p, ETHERTYPE_IP);	/* ptype */
	*p++ = GARP_HWADDR_LEN;
	*p++ = 4;
	p = put16(p, 1);		/* op: REQUEST, as keepalived */
	p = put(p, hw, GARP_HWADDR_LEN);
	p = put(p, &vip->s_addr, 4);
	p = put(p, eth_bcast, GARP_HWADDR_LEN);	/* target hw: keepalived sends all ones */
	p = put(p, &vip->s_addr, 4);
	return (size_t)(p - buf);
}

static uint32_t sum16(uint32_t sum, const uint8_t *p, size_t len)
{
	for (; len > 1; p += 2, len -= 2)
		sum += (uint32_t)p[0] << 8 | p[1];
	if (len)
		sum += (uint32_t)p[0] << 8;
	return sum;
}

uint16_t garp_icmp6_csum(const struct in6_addr *src, const struct in6_addr *dst,
			 const uint8_t *icmp, size_t len)
{
	uint32_t sum = 0;

	/* pseudo-header: src, dst, upper-layer length (32 bits), 3 zero bytes, next header 58 */
	sum = sum16(sum, src->s6_addr, 16);
	sum = sum16(sum, dst->s6_addr, 16);
	sum += (uint32_t)(len >> 16) + (uint32_t)(len & 0xffff);
	sum += IPPROTO_ICMPV6;
	sum = sum16(sum, icmp, len);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

size_t garp_build_na(uint8_t *buf, const uint8_t hw[GARP_HWADDR_LEN], const struct in6_addr *vip,
		     bool router)
{
	enum { NA_LEN = 24 + 8 };	/* NA header and target + the link-layer address option */
	uint8_t *p = buf, *icmp;

	p = put(p, eth_all_nodes, GARP_HWADDR_LEN);
	p = put(p, hw, GARP_HWADDR_LEN);
	p = put16(p, ETHERTYPE_IPV6);
	/* IPv6 header: version 6, traffic class 0, flow label 0 */
	p = put(p, (const uint8_t[]){ 0x60, 0, 0, 0 }, 4);
	p = put16(p, NA_LEN);
	*p++ = IPPROTO_ICMPV6;
	*p++ = 255;			/* RFC 4861 §7.1.2: hop limit 255 */
	p = put(p, vip->s6_addr, 16);	/* source: the VIP itself, as keepalived */
	p = put(p, in6_all_nodes.s6_addr, 16);
	/* RFC 4861 §4.4 neighbour advertisement, §7.2.6 unsolicited: S = 0, O = 1 */
	icmp = p;
	*p++ = 136;			/* type */
	*p++ = 0;			/* code */
	p = put16(p, 0);		/* checksum, below */
	*p++ = (router ? 0x80 : 0) | 0x20;	/* R, S = 0, O */
	p = put(p, (const uint8_t[]){ 0, 0, 0 }, 3);
	p = put(p, vip->s6_addr, 16);	/* target */
	*p++ = 2;			/* option: target link-layer address */
	*p++ = 1;			/* length in units of 8 bytes */
	p = put(p, hw, GARP_HWADDR_LEN);
	put16(icmp + 2, garp_icmp6_csum(vip, &in6_all_nodes, icmp, NA_LEN));
	return (size_t)(p - buf);
}

/* ---- the edge: one AF_PACKET socket ---- */

struct garp_sock {
	int fd;
};

int garp_sock_open(struct garp_sock **ret)
{
	/* protocol 0: the socket is bound to no ethertype, so nothing is ever queued to it */
	int fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	struct garp_sock *gs;

	if (fd < 0)
		return -errno;
	gs = xcalloc(1, sizeof(*gs));
	gs->fd = fd;
	*ret = gs;
	return 0;
}

void garp_sock_close(struct garp_sock *gs)
{
	if (!gs)
		return;
	close(gs->fd);
	free(gs);
}

int garp_sock_send(void *arg, int ifindex, const uint8_t *frame, size_t len)
{
	struct garp_sock *gs = arg;
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_ifindex = ifindex,
		.sll_halen = GARP_HWADDR_LEN,
	};
	ssize_t n;

	if (len < 14)
		return -EINVAL;
	memcpy(&sll.sll_protocol, frame + 12, 2);	/* the frame's ethertype, network order */
	memcpy(sll.sll_addr, frame, GARP_HWADDR_LEN);
	n = sendto(gs->fd, frame, len, MSG_DONTWAIT, (const struct sockaddr *)&sll, sizeof(sll));
	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EMSGSIZE;
}

/* ---- pacing ---- */

enum fam { FAM_ARP, FAM_NA, FAM__COUNT };

struct garp_pace {
	uint64_t interval_us[FAM__COUNT];
	uint64_t next_us[FAM__COUNT];	/* first free slot on the scheduler clock */
};

struct garp_pace *garp_pace_new(uint64_t arp_interval_us, uint64_t na_interval_us)
{
	struct garp_pace *p = xcalloc(1, sizeof(*p));

	garp_pace_set(p, arp_interval_us, na_interval_us);
	return p;
}

void garp_pace_free(struct garp_pace *p)
{
	free(p);
}

void garp_pace_set(struct garp_pace *p, uint64_t arp_interval_us, uint64_t na_interval_us)
{
	p->interval_us[FAM_ARP] = arp_interval_us;
	p->interval_us[FAM_NA] = na_interval_us;
}

/* ---- the schedule ---- */

/* The paced walk of one family: one address per reserved slot. */
struct paced {
	struct garp *g;
	enum fam fam;
	bool active;
	size_t i;			/* next address to look at */
	size_t due_i;			/* address whose slot ev waits for, or NO_INDEX */
	struct sched_ev *ev;
};

/* A set in progress; it exists only until the set is over (most last one callback). */
struct garp_run {
	bool gated;			/* started by garp_lower_prio(): its lines ask lower_gate */
	/* The unpaced rounds of the set; round 0 also logs every address. */
	struct {
		bool active;
		unsigned rounds, round;
		size_t i;
		size_t n_unpaced;	/* counted during round 0 */
		struct sched_ev *ev;
	} burst;
	struct paced paced[FAM__COUNT];
};

/* garp_params as kept (one struct garp per instance): ms, 32 bits (49 days). */
struct garp_cfg {
	uint32_t master_delay_ms, master_refresh_ms, lower_prio_delay_ms;
	uint32_t master_repeat, master_refresh_repeat, lower_prio_repeat;
};

struct garp_ctx {
	struct sched *s;
	garp_send_fn *send;
	void *send_arg;
	struct list delayed;		/* struct garp.delay_node, by second_at_us, then arming order */
	struct sched_ev *ev_delayed;	/* at the first one's deadline */
};

struct garp {
	struct garp_ctx *gc;		/* borrowed */
	const char *name;		/* borrowed */
	const struct garp_addr *addrs;	/* borrowed */
	uint32_t n_addrs;
	bool is_master;
	bool err_logged;		/* one error line per set */
	struct garp_cfg p;
	struct garp_run *run;		/* NULL: no set in progress */

	struct list delay_node;		/* in gc->delayed while the garp_master_delay set waits */
	uint64_t second_at_us;
	struct sched_ev *ev_refresh;	/* garp_master_refresh */
	uint64_t refresh_at_us;
	struct sched_ev *ev_lower;	/* garp_lower_prio_delay */
	garp_gate_fn *lower_gate;	/* NULL: every line is logged */
	void *lower_gate_arg;
	uint32_t n_arp, n_na, n_err;	/* struct garp_stats, in 32 bits */
	int last_err;
};

static uint32_t to_ms(uint64_t us)
{
	return us / 1000 >= UINT32_MAX ? UINT32_MAX : (uint32_t)((us + 999) / 1000);
}

static uint64_t ms_us(uint32_t ms)
{
	return (uint64_t)ms * 1000;
}

static void set_cfg(struct garp *g, const struct garp_params *p)
{
	g->p = (struct garp_cfg){
		.master_delay_ms = to_ms(p->master_delay_us),
		.master_refresh_ms = to_ms(p->master_refresh_us),
		.lower_prio_delay_ms = to_ms(p->lower_prio_delay_us),
		.master_repeat = p->master_repeat,
		.master_refresh_repeat = p->master_refresh_repeat,
		.lower_prio_repeat = p->lower_prio_repeat,
	};
}

static enum fam addr_fam(const struct garp_addr *a)
{
	return a->addr.family == AF_INET6 ? FAM_NA : FAM_ARP;
}

static bool is_paced(const struct garp_addr *a)
{
	return a->pace && a->pace->interval_us[addr_fam(a)] > 0;
}

/* May the set in progress log a line now? (Asked only for a line that would be logged.) */
static bool may_log(const struct garp *g)
{
	return !g->run || !g->run->gated || !g->lower_gate || g->lower_gate(g->lower_gate_arg);
}

static void send_one(struct garp *g, const struct garp_addr *a)
{
	uint8_t frame[GARP_FRAME_MAX];
	char buf[INET6_ADDRSTRLEN];
	bool na = addr_fam(a) == FAM_NA;
	size_t len;
	int r;

	if (log_get_opts()->detail && may_log(g))
		log_detail(na ? "Sending unsolicited Neighbour Advert on %s for %s"
			      : "Sending gratuitous ARP on %s for %s",
			   a->ifname, inet_addr_str(&a->addr, buf, sizeof(buf)));
	len = na ? garp_build_na(frame, a->hw, &a->addr.v6, a->na_router)
		 : garp_build_arp(frame, a->hw, &a->addr.v4);
	r = g->gc->send(g->gc->send_arg, a->ifindex, frame, len);
	if (r == 0) {
		if (na)
			g->n_na++;
		else
			g->n_arp++;
		return;
	}
	g->n_err++;
	g->last_err = r;
	if (!g->err_logged) {
		g->err_logged = true;
		if (may_log(g))
				log_warn("(%s) Error sending %s on %s for %s: %s", g->name,
				 na ? "unsolicited Neighbour Advert" : "gratuitous ARP", a->ifname,
				 inet_addr_str(&a->addr, buf, sizeof(buf)), strerror(-r));
	}
}

static void paced_cb(struct sched_ev *ev, void *arg);

static void run_free(struct garp *g)
{
	struct garp_run *r = g->run;

	if (!r)
		return;
	sched_cancel(&r->burst.ev);
	for (int f = 0; f < FAM__COUNT; f++)
		sched_cancel(&r->paced[f].ev);
	free(r);
	g->run = NULL;
}

/* After each entry point (never inside a step, which may still use it): a set that is over. */
static void run_gc(struct garp *g)
{
	const struct garp_run *r = g->run;

	if (r && !r->burst.active && !r->paced[FAM_ARP].active && !r->paced[FAM_NA].active)
		run_free(g);
}

static struct garp_run *run_get(struct garp *g)
{
	if (!g->run) {
		g->run = xcalloc(1, sizeof(*g->run));
		for (int f = 0; f < FAM__COUNT; f++) {
			g->run->paced[f].g = g;
			g->run->paced[f].fam = f;
			g->run->paced[f].due_i = NO_INDEX;
		}
	}
	return g->run;
}

/* Walk on from pw->i: send what may go now, reserve the next slot and wait for it. */
static void paced_step(struct paced *pw)
{
	struct garp *g = pw->g;
	uint64_t now = sched_now_us(g->gc->s);
	unsigned budget = GARP_BUDGET;

	while (pw->i < g->n_addrs) {
		const struct garp_addr *a = &g->addrs[pw->i];
		struct garp_pace *pc = a->pace;
		uint64_t slot;

		if (addr_fam(a) != pw->fam || !is_paced(a)) {
			pw->i++;	/* skipping is free: bounded by the list */
			continue;
		}
		if (budget-- == 0) {
			pw->due_i = NO_INDEX;
			sched_timer(g->gc->s, &pw->ev, 0, paced_cb, pw);
			return;
		}
		/* Reserve a slot even when it is now, so instances sharing pc take turns. */
		slot = pc->next_us[pw->fam] > now ? pc->next_us[pw->fam] : now;
		pc->next_us[pw->fam] = slot + pc->interval_us[pw->fam];
		if (slot > now) {
			pw->due_i = pw->i++;
			sched_timer_at(g->gc->s, &pw->ev, slot, paced_cb, pw);
			return;
		}
		send_one(g, a);
		pw->i++;
	}
	pw->active = false;
}

static void paced_cb(struct sched_ev *ev, void *arg)
{
	struct paced *pw = arg;
	struct garp *g = pw->g;

	(void)ev;
	if (pw->due_i != NO_INDEX && pw->due_i < g->n_addrs) {
		const struct garp_addr *a = &g->addrs[pw->due_i];
		uint64_t now = sched_now_us(g->gc->s);

		send_one(g, a);
		/* Late (a busy loop): keep the interval after this frame, don't catch up in a burst. */
		if (a->pace && a->pace->next_us[pw->fam] < now + a->pace->interval_us[pw->fam])
			a->pace->next_us[pw->fam] = now + a->pace->interval_us[pw->fam];
	}
	pw->due_i = NO_INDEX;
	paced_step(pw);
	run_gc(g);
}

static void paced_start(struct garp *g)
{
	for (int f = 0; f < FAM__COUNT; f++) {
		struct paced *pw = &g->run->paced[f];

		sched_cancel(&pw->ev);
		pw->active = true;
		pw->i = 0;
		pw->due_i = NO_INDEX;
		paced_step(pw);
	}
}

static void burst_cb(struct sched_ev *ev, void *arg);

static void log_queueing(const struct garp *g, const struct garp_addr *a)
{
	char buf[INET6_ADDRSTRLEN];

	if (!log_get_opts()->detail || !may_log(g))
		return;
	log_detail(addr_fam(a) == FAM_NA
		   ? "(%s) Sending/queueing Unsolicited Neighbour Adverts on %s for %s"
		   : "(%s) Sending/queueing gratuitous ARPs on %s for %s",
		   g->name, a->ifname, inet_addr_str(&a->addr, buf, sizeof(buf)));
}

/*
 * keepalived's order: round by round over the list; in round 0 each address's
 * "Sending/queueing" line comes just before its first frame.
 */
static void burst_step(struct garp *g)
{
	unsigned budget = GARP_BUDGET;

	while (g->run->burst.active) {
		const struct garp_addr *a;

		if (g->run->burst.i >= g->n_addrs) {
			g->run->burst.i = 0;
			if (++g->run->burst.round == 1)
				paced_start(g);
			if (g->run->burst.round >= g->run->burst.rounds || g->run->burst.n_unpaced == 0)
				g->run->burst.active = false;
			continue;
		}
		a = &g->addrs[g->run->burst.i];
		/* the budget counts frames and log lines; skipping a paced address is free */
		if ((g->run->burst.round == 0 && log_get_opts()->detail) || !is_paced(a)) {
			if (budget == 0) {
				sched_timer(g->gc->s, &g->run->burst.ev, 0, burst_cb, g);
				return;
			}
			budget--;
		}
		g->run->burst.i++;
		if (g->run->burst.round == 0)
			log_queueing(g, a);
		if (!is_paced(a)) {
			if (g->run->burst.round == 0)
				g->run->burst.n_unpaced++;
			send_one(g, a);
		}
	}
}

static void burst_cb(struct sched_ev *ev, void *arg)
{
	(void)ev;
	burst_step(arg);
	run_gc(arg);
}

/*
 * One set: repeat rounds of the unpaced addresses, one paced frame per address. gated: a
 * lower-priority advert's (a set in progress it takes over is from then on).
 */
static void start_set(struct garp *g, unsigned repeat, bool gated)
{
	unsigned rounds = repeat;
	struct garp_run *r;

	if (repeat == 0)
		return;
	r = run_get(g);
	/* A set still going keeps what it promised: its rounds left, if more. */
	if (r->burst.active && r->burst.rounds - r->burst.round > rounds)
		rounds = r->burst.rounds - r->burst.round;
	sched_cancel(&r->burst.ev);
	for (int f = 0; f < FAM__COUNT; f++) {
		sched_cancel(&r->paced[f].ev);
		r->paced[f].active = false;
	}
	r->gated = gated;
	r->burst.active = true;
	r->burst.rounds = rounds;
	r->burst.round = 0;
	r->burst.i = 0;
	r->burst.n_unpaced = 0;
	g->err_logged = false;
	burst_step(g);
	run_gc(g);
}

struct garp_ctx *garp_ctx_new(struct sched *s, garp_send_fn *send, void *send_arg)
{
	struct garp_ctx *gc = xcalloc(1, sizeof(*gc));

	gc->s = s;
	gc->send = send;
	gc->send_arg = send_arg;
	list_init(&gc->delayed);
	return gc;
}

void garp_ctx_free(struct garp_ctx *gc)
{
	if (!gc)
		return;
	sched_cancel(&gc->ev_delayed);
	free(gc);
}

int garp_new(struct garp **ret, struct garp_ctx *gc, const char *name,
	     const struct garp_params *p)
{
	struct garp *g = xcalloc(1, sizeof(*g));

	g->gc = gc;
	g->name = name;
	list_init(&g->delay_node);
	set_cfg(g, p);
	*ret = g;
	return 0;
}

/* ---- the delayed sets, one timer for all ---- */

static void delayed_cb(struct sched_ev *ev, void *arg);

static void arm_delayed(struct garp_ctx *gc)
{
	const struct garp *first;

	if (list_empty(&gc->delayed)) {
		sched_cancel(&gc->ev_delayed);
		return;
	}
	first = list_entry(gc->delayed.next, struct garp, delay_node);
	sched_timer_at(gc->s, &gc->ev_delayed, first->second_at_us, delayed_cb, gc);
}

/* In deadline order; equal deadlines keep their arming order (as separate timers would). */
static void delay_add(struct garp *g, uint64_t at_us)
{
	struct list *pos = g->gc->delayed.prev;

	g->second_at_us = at_us;
	while (pos != &g->gc->delayed &&
	       list_entry(pos, struct garp, delay_node)->second_at_us > at_us)
		pos = pos->prev;
	list_insert_after(pos, &g->delay_node);
	if (g->gc->delayed.next == &g->delay_node)
		arm_delayed(g->gc);
}

static void delay_del(struct garp *g)
{
	bool was_first;

	if (list_empty(&g->delay_node))
		return;		/* not waiting (a node alone points at itself) */
	was_first = g->gc->delayed.next == &g->delay_node;
	list_del(&g->delay_node);
	if (was_first)
		arm_delayed(g->gc);
}

static void delayed_cb(struct sched_ev *ev, void *arg)
{
	struct garp_ctx *gc = arg;
	uint64_t now = sched_now_us(gc->s);
	unsigned budget = GARP_DELAYED_BUDGET;

	(void)ev;
	while (!list_empty(&gc->delayed)) {
		struct garp *g = list_entry(gc->delayed.next, struct garp, delay_node);

		if (g->second_at_us > now)
			break;
		if (budget-- == 0) {
			sched_timer(gc->s, &gc->ev_delayed, 0, delayed_cb, gc);
			return;
		}
		list_del(&g->delay_node);
		start_set(g, g->p.master_repeat, false);
	}
	arm_delayed(gc);
}

void garp_free(struct garp *g)
{
	if (!g)
		return;
	garp_stop(g);
	free(g);
}

void garp_set_addrs(struct garp *g, const struct garp_addr *addrs, size_t n)
{
	g->addrs = addrs;
	g->n_addrs = n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
	if (!g->run)
		return;
	if (g->run->burst.i > n)
		g->run->burst.i = n;
	for (int f = 0; f < FAM__COUNT; f++) {
		struct paced *pw = &g->run->paced[f];

		if (!pw->active)
			continue;
		/* The reserved slot was for the old entry: look at that index again. */
		if (pw->due_i != NO_INDEX)
			pw->i = pw->due_i;
		pw->due_i = NO_INDEX;
		if (pw->i > n)
			pw->i = n;
		sched_timer(g->gc->s, &pw->ev, 0, paced_cb, pw);
	}
}

static void refresh_cb(struct sched_ev *ev, void *arg);

static void arm_refresh(struct garp *g, uint64_t from_us)
{
	g->refresh_at_us = from_us + ms_us(g->p.master_refresh_ms);
	sched_timer_at(g->gc->s, &g->ev_refresh, g->refresh_at_us, refresh_cb, g);
}

void garp_set_params(struct garp *g, const struct garp_params *p)
{
	uint32_t old_refresh = g->p.master_refresh_ms;

	set_cfg(g, p);
	if (!g->is_master || old_refresh == g->p.master_refresh_ms)
		return;
	sched_cancel(&g->ev_refresh);
	if (g->p.master_refresh_ms)
		arm_refresh(g, sched_now_us(g->gc->s));
}

void garp_set_name(struct garp *g, const char *name)
{
	g->name = name;
}

static void refresh_cb(struct sched_ev *ev, void *arg)
{
	struct garp *g = arg;
	uint64_t now = sched_now_us(g->gc->s);

	(void)ev;
	start_set(g, g->p.master_refresh_repeat, false);
	if (g->p.master_refresh_ms == 0)
		return;
	/* keepalived refreshes every period counted from MASTER; skip periods we overran */
	if (g->refresh_at_us + ms_us(g->p.master_refresh_ms) <= now)
		g->refresh_at_us = now;
	arm_refresh(g, g->refresh_at_us);
}

static void lower_cb(struct sched_ev *ev, void *arg)
{
	struct garp *g = arg;

	(void)ev;
	start_set(g, g->p.lower_prio_repeat, true);
}

void garp_start_master(struct garp *g)
{
	uint64_t now = sched_now_us(g->gc->s);

	garp_stop(g);
	g->is_master = true;
	start_set(g, g->p.master_repeat, false);
	if (g->p.master_delay_ms)
		delay_add(g, now + ms_us(g->p.master_delay_ms));
	if (g->p.master_refresh_ms)
		arm_refresh(g, now);
}

void garp_lower_prio(struct garp *g)
{
	if (g->p.lower_prio_repeat == 0)
		return;
	start_set(g, g->p.lower_prio_repeat, true);
	/* keepalived arms one delayed set per advert; we keep the earliest pending one */
	if (g->p.lower_prio_delay_ms && !g->ev_lower)
		sched_timer(g->gc->s, &g->ev_lower, ms_us(g->p.lower_prio_delay_ms), lower_cb, g);
}

void garp_set_lower_gate(struct garp *g, garp_gate_fn *gate, void *arg)
{
	g->lower_gate = gate;
	g->lower_gate_arg = arg;
}

void garp_stop(struct garp *g)
{
	g->is_master = false;
	run_free(g);
	delay_del(g);
	sched_cancel(&g->ev_refresh);
	sched_cancel(&g->ev_lower);
}

void garp_get_stats(const struct garp *g, struct garp_stats *out)
{
	*out = (struct garp_stats){ .n_arp = g->n_arp, .n_na = g->n_na, .n_err = g->n_err,
				    .last_err = g->last_err };
}
