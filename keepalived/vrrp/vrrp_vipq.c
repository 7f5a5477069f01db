// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/vrrp/vrrp_vipq.c: the VIP operation queue: address sets added and removed in turn. */
#include "vrrp_vipq.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "list.h"
#include "log.h"
#include "nl.h"

/* One running operation, with its own copy of the set. */
struct op {
	struct vrrp_ipaddr_op op;
	struct vrrp_vipq_slot *sl;
	struct vrrp_ipaddr addrs[];
};

struct vrrp_vipq_slot {
	struct vrrp_vipq *q;
	const char *name;
	const struct vrrp_ipaddr *addrs;
	unsigned n;
	struct op *op;			/* running */
	bool waiting;			/* in q's FIFO, for room */
	bool want_add;			/* what the waiting or running operation does */
	bool next, next_add;		/* asked while one runs: what comes after it */
	bool dirty;			/* the set changed since the running operation copied it */
	bool detached;			/* owns name and addrs; frees itself when idle */
	struct vrrp_vipq_slot *wait_next;
	struct list node;		/* in q->slots */
};

struct vrrp_vipq {
	struct nl_tx *nl;
	void (*idle_cb)(void *arg);
	void *arg;
	unsigned n_live;
	unsigned depth;			/* inside a call of ours: idle_cb waits for the outermost */
	struct vrrp_vipq_slot *wait_head, *wait_tail;
	struct list slots;
};

struct vrrp_vipq *vrrp_vipq_new(struct nl_tx *nl, void (*idle_cb)(void *arg), void *arg)
{
	struct vrrp_vipq *q = xcalloc(1, sizeof(*q));

	q->nl = nl;
	q->idle_cb = idle_cb;
	q->arg = arg;
	list_init(&q->slots);
	return q;
}

bool vrrp_vipq_busy(const struct vrrp_vipq *q)
{
	return q->n_live || q->wait_head;
}

bool vrrp_vipq_slot_busy(const struct vrrp_vipq_slot *sl)
{
	return sl->op || sl->waiting;
}

static void slot_free(struct vrrp_vipq_slot *sl)
{
	list_del(&sl->node);
	if (sl->detached) {
		free((char *)sl->name);
		free((struct vrrp_ipaddr *)sl->addrs);
	}
	free(sl);
}

void vrrp_vipq_free(struct vrrp_vipq *q)
{
	struct list *p, *t;

	if (!q)
		return;
	list_for_each_safe(p, t, &q->slots) {
		struct vrrp_vipq_slot *sl = list_entry(p, struct vrrp_vipq_slot, node);

		if (sl->op) {
			vrrp_ipaddr_cancel(q->nl, &sl->op->op);
			free(sl->op);
		}
		sl->detached = true;	/* the owner is gone too, or going: nothing of it is kept */
		slot_free(sl);
	}
	free(q);
}

struct vrrp_vipq_slot *vrrp_vipq_slot_new(struct vrrp_vipq *q, const char *name)
{
	struct vrrp_vipq_slot *sl = xcalloc(1, sizeof(*sl));

	sl->q = q;
	sl->name = name;
	list_add_tail(&q->slots, &sl->node);
	return sl;
}

void vrrp_vipq_slot_set(struct vrrp_vipq_slot *sl, const struct vrrp_ipaddr *addrs, unsigned n)
{
	sl->addrs = addrs;
	sl->n = n;
	if (sl->op)
		sl->dirty = true;
}

void vrrp_vipq_slot_rename(struct vrrp_vipq_slot *sl, const char *name)
{
	sl->name = name;
}

static void result_cb(void *arg, const struct vrrp_ipaddr *a, int err, const char *ext)
{
	struct op *op = arg;
	char buf[INET6_ADDRSTRLEN + 8];

	if (err)
		log_err("(%s) cannot %s %s on %s: %s%s%s", op->sl->name, op->op.add ? "add" : "remove",
			vrrp_ipaddr_str(a, buf, sizeof(buf)), a->ifname, strerror(-err),
			ext ? ": " : "", ext ? ext : "");
}

static void done_cb(void *arg, size_t n_failed);

/* Never touches sl after vrrp_ipaddr_apply(): the operation may be over when it returns. */
static void start(struct vrrp_vipq_slot *sl)
{
	struct vrrp_vipq *q = sl->q;
	struct op *op = xmalloc(sizeof(*op) + sl->n * sizeof(op->addrs[0]));
	int r;

	memcpy(op->addrs, sl->addrs, sl->n * sizeof(op->addrs[0]));
	op->sl = sl;
	op->op = (struct vrrp_ipaddr_op){
		.addrs = op->addrs, .n = sl->n, .add = sl->want_add,
		.result_cb = result_cb, .done_cb = done_cb, .arg = op,
	};
	sl->op = op;
	sl->dirty = false;
	q->n_live++;
	r = vrrp_ipaddr_apply(q->nl, &op->op);
	if (r < 0) {		/* a fresh operation is never refused: kept for the contract */
		log_err("(%s) cannot %s its addresses: %s", sl->name, sl->want_add ? "set" : "remove",
			strerror(-r));
		sl->op = NULL;
		q->n_live--;
		free(op);
	}
}

static void submit(struct vrrp_vipq_slot *sl, bool add)
{
	struct vrrp_vipq *q = sl->q;

	sl->want_add = add;
	if (q->n_live < VRRP_VIPQ_LIVE && !q->wait_head) {
		start(sl);
		return;
	}
	sl->waiting = true;
	sl->wait_next = NULL;
	if (q->wait_tail)
		q->wait_tail->wait_next = sl;
	else
		q->wait_head = sl;
	q->wait_tail = sl;
}

/* Starts what waits while there is room. */
static void kick(struct vrrp_vipq *q)
{
	while (q->wait_head && q->n_live < VRRP_VIPQ_LIVE) {
		struct vrrp_vipq_slot *sl = q->wait_head;

		q->wait_head = sl->wait_next;
		if (!q->wait_head)
			q->wait_tail = NULL;
		sl->waiting = false;
		start(sl);
	}
}

/* sl's operation is over: the one asked for meanwhile, or the end of a detached slot. */
static void finished(struct vrrp_vipq_slot *sl, bool was_add)
{
	if (sl->next) {
		bool add = sl->next_add;

		sl->next = false;
		if (add != was_add || sl->dirty) {
			submit(sl, add);
			return;
		}
	}
	if (sl->detached && !vrrp_vipq_slot_busy(sl))
		slot_free(sl);
}

static void leave(struct vrrp_vipq *q)
{
	if (--q->depth == 0 && !vrrp_vipq_busy(q) && q->idle_cb)
		q->idle_cb(q->arg);
}

static void done_cb(void *arg, size_t n_failed)
{
	struct op *op = arg;
	struct vrrp_vipq_slot *sl = op->sl;
	struct vrrp_vipq *q = sl->q;
	bool was_add = op->op.add;

	(void)n_failed;		/* each failure was logged by result_cb */
	sl->op = NULL;
	free(op);
	q->n_live--;
	q->depth++;
	finished(sl, was_add);
	kick(q);
	leave(q);
}

void vrrp_vipq_request(struct vrrp_vipq_slot *sl, bool add)
{
	struct vrrp_vipq *q = sl->q;

	if (sl->waiting) {
		sl->want_add = add;	/* it copies the set when it starts: the latest one */
		return;
	}
	if (sl->op) {
		/* last wins: nothing more if the running one does what is wanted now */
		sl->next = add != sl->want_add || sl->dirty;
		sl->next_add = add;
		return;
	}
	q->depth++;
	submit(sl, add);
	/* a finish within the call is the caller's to see: no idle_cb from here */
	q->depth--;
}

void vrrp_vipq_slot_detach(struct vrrp_vipq_slot *sl)
{
	struct vrrp_ipaddr *copy;

	if (!sl)
		return;
	if (!vrrp_vipq_slot_busy(sl)) {
		slot_free(sl);
		return;
	}
	copy = xmalloc(sl->n * sizeof(*copy) + 1);
	memcpy(copy, sl->addrs, sl->n * sizeof(*copy));
	sl->addrs = copy;
	sl->name = xstrdup(sl->name);
	sl->detached = true;
}

void vrrp_vipq_once(struct vrrp_vipq *q, const char *name, const struct vrrp_ipaddr *addrs,
		    unsigned n, bool add)
{
	struct vrrp_vipq_slot *sl = vrrp_vipq_slot_new(q, name);

	vrrp_vipq_slot_set(sl, addrs, n);
	vrrp_vipq_request(sl, add);
	vrrp_vipq_slot_detach(sl);
}
