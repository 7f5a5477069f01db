// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/vrrp/vrrp_vipq.c: the VIP operation queue: address sets added and removed in turn. */
#include "vrrp_vipq.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "list.h"
#include "log.h"
#include "nl.h"

/* One running operation. */
struct vrrp_vipq_op {
	struct vrrp_ipaddr_op op;	/* op.addrs: its slot's set, or own */
	struct vrrp_vipq *q;
	struct vrrp_vipq_slot *sl;
	struct vrrp_ipaddr *own;	/* its set, copied when the slot's changed under it */
};

/* A slot whose owner went (or a one-off), with copies of its name and set. */
struct detached {
	struct vrrp_vipq_slot sl;
	char *name;
	struct vrrp_ipaddr *addrs;
	unsigned n;
	struct list node;		/* in q->detached */
};

struct vrrp_vipq {
	struct nl_tx *nl;
	vrrp_vipq_set_fn *set_of;
	void (*idle_cb)(void *arg);
	void *arg;
	unsigned n_live;
	unsigned depth;			/* inside a call of ours: idle_cb waits for the outermost */
	struct vrrp_vipq_slot *wait_head, *wait_tail;
	struct list detached;
};

static struct vrrp_ipaddr *copy_of(const struct vrrp_ipaddr *a, unsigned n)
{
	struct vrrp_ipaddr *c = xmalloc(n * sizeof(*c) + 1);

	memcpy(c, a, n * sizeof(*c));
	return c;
}

struct vrrp_vipq *vrrp_vipq_new(struct nl_tx *nl, vrrp_vipq_set_fn *set_of,
				void (*idle_cb)(void *arg), void *arg)
{
	struct vrrp_vipq *q = xcalloc(1, sizeof(*q));

	q->nl = nl;
	q->set_of = set_of;
	q->idle_cb = idle_cb;
	q->arg = arg;
	list_init(&q->detached);
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

static void op_free(struct vrrp_vipq_op *op)
{
	free(op->own);
	free(op);
}

static struct detached *detached_of(const struct vrrp_vipq_slot *sl)
{
	return (struct detached *)sl;	/* sl is its first member */
}

/* sl's name and set: its owner's, or its own copies once detached. */
static void set_of(const struct vrrp_vipq *q, const struct vrrp_vipq_slot *sl, const char **name,
		   const struct vrrp_ipaddr **addrs, unsigned *n)
{
	const struct detached *d;

	if (!sl->detached) {
		q->set_of(sl, name, addrs, n);
		return;
	}
	d = detached_of(sl);
	*name = d->name;
	*addrs = d->addrs;
	*n = d->n;
}

static struct detached *detached_new(struct vrrp_vipq *q, const char *name,
				     const struct vrrp_ipaddr *addrs, unsigned n)
{
	struct detached *d = xcalloc(1, sizeof(*d));

	d->sl.detached = true;
	d->name = xstrdup(name);
	d->addrs = copy_of(addrs, n);
	d->n = n;
	list_add_tail(&q->detached, &d->node);
	return d;
}

static void detached_free(struct vrrp_vipq_slot *sl)
{
	struct detached *d = detached_of(sl);

	list_del(&d->node);
	free(d->name);
	free(d->addrs);
	free(d);
}

void vrrp_vipq_free(struct vrrp_vipq *q)
{
	struct list *p, *t;

	if (!q)
		return;
	list_for_each_safe(p, t, &q->detached) {
		struct detached *d = list_entry(p, struct detached, node);

		if (d->sl.op) {
			vrrp_ipaddr_cancel(q->nl, &d->sl.op->op);
			op_free(d->sl.op);
		}
		detached_free(&d->sl);
	}
	free(q);
}

void vrrp_vipq_slot_changed(struct vrrp_vipq_slot *sl)
{
	if (!sl->op)
		return;
	/* the running operation goes on with the set it started with */
	if (!sl->op->own)
		sl->op->op.addrs = sl->op->own = copy_of(sl->op->op.addrs, sl->op->op.n);
	sl->dirty = true;
}

static void result_cb(void *arg, const struct vrrp_ipaddr *a, int err, const char *ext)
{
	struct vrrp_vipq_op *op = arg;
	char buf[INET6_ADDRSTRLEN + 8];
	const struct vrrp_ipaddr *addrs;
	const char *name;
	unsigned n;

	if (!err)
		return;
	/* removing from an interface that is gone (a VMAC deleted): nothing left to remove */
	if (!op->op.add && err == -ENODEV)
		return;
	set_of(op->q, op->sl, &name, &addrs, &n);
	log_err("(%s) cannot %s %s on %s: %s%s%s", name, op->op.add ? "add" : "remove",
		vrrp_ipaddr_str(a, buf, sizeof(buf)), a->ifname, strerror(-err),
		ext ? ": " : "", ext ? ext : "");
}

static void done_cb(void *arg, size_t n_failed);

/* Never touches sl after vrrp_ipaddr_apply(): the operation may be over when it returns. */
static void start(struct vrrp_vipq *q, struct vrrp_vipq_slot *sl)
{
	struct vrrp_vipq_op *op = xcalloc(1, sizeof(*op));
	const struct vrrp_ipaddr *addrs;
	const char *name;
	unsigned n;
	int r;

	set_of(q, sl, &name, &addrs, &n);
	op->q = q;
	op->sl = sl;
	op->op = (struct vrrp_ipaddr_op){
		.addrs = addrs, .n = n, .add = sl->want_add,
		.result_cb = result_cb, .done_cb = done_cb, .arg = op,
	};
	sl->op = op;
	sl->dirty = false;
	q->n_live++;
	r = vrrp_ipaddr_apply(q->nl, &op->op);
	if (r < 0) {		/* a fresh operation is never refused: kept for the contract */
		log_err("(%s) cannot %s its addresses: %s", name, sl->want_add ? "set" : "remove",
			strerror(-r));
		sl->op = NULL;
		q->n_live--;
		op_free(op);
	}
}

static void submit(struct vrrp_vipq *q, struct vrrp_vipq_slot *sl, bool add)
{
	sl->want_add = add;
	if (q->n_live < VRRP_VIPQ_LIVE && !q->wait_head) {
		start(q, sl);
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
		start(q, sl);
	}
}

/* sl's operation is over: the one asked for meanwhile, or the end of a detached slot. */
static void finished(struct vrrp_vipq *q, struct vrrp_vipq_slot *sl, bool was_add)
{
	if (sl->next) {
		bool add = sl->next_add;

		sl->next = false;
		if (add != was_add || sl->dirty) {
			submit(q, sl, add);
			return;
		}
	}
	if (sl->detached && !sl->held && !vrrp_vipq_slot_busy(sl))
		detached_free(sl);
}

static void leave(struct vrrp_vipq *q)
{
	if (--q->depth == 0 && !vrrp_vipq_busy(q) && q->idle_cb)
		q->idle_cb(q->arg);
}

static void done_cb(void *arg, size_t n_failed)
{
	struct vrrp_vipq_op *op = arg;
	struct vrrp_vipq_slot *sl = op->sl;
	struct vrrp_vipq *q = op->q;
	bool was_add = op->op.add;

	(void)n_failed;		/* each failure was logged by result_cb */
	sl->op = NULL;
	op_free(op);
	q->n_live--;
	q->depth++;
	finished(q, sl, was_add);
	kick(q);
	leave(q);
}

void vrrp_vipq_request(struct vrrp_vipq *q, struct vrrp_vipq_slot *sl, bool add)
{
	if (sl->waiting) {
		sl->want_add = add;	/* it reads the set when it starts: the latest one */
		return;
	}
	if (sl->op) {
		/* last wins: nothing more if the running one does what is wanted now */
		sl->next = add != sl->want_add || sl->dirty;
		sl->next_add = add;
		return;
	}
	q->depth++;
	submit(q, sl, add);
	/* a finish within the call is the caller's to see: no idle_cb from here */
	q->depth--;
}

void vrrp_vipq_slot_detach(struct vrrp_vipq *q, struct vrrp_vipq_slot *sl)
{
	const struct vrrp_ipaddr *addrs;
	const char *name;
	unsigned n;
	struct detached *d;
	struct vrrp_vipq_slot **p;

	if (!vrrp_vipq_slot_busy(sl)) {
		*sl = (struct vrrp_vipq_slot){ 0 };
		return;
	}
	set_of(q, sl, &name, &addrs, &n);
	d = detached_new(q, name, addrs, n);
	d->sl = *sl;
	d->sl.detached = true;
	if (sl->op) {
		sl->op->sl = &d->sl;
		if (!sl->op->own)
			sl->op->op.addrs = d->addrs;	/* the same set, which the owner frees */
	}
	if (sl->waiting) {
		for (p = &q->wait_head; *p != sl; p = &(*p)->wait_next)
			;
		*p = &d->sl;
		if (q->wait_tail == sl)
			q->wait_tail = &d->sl;
	}
	*sl = (struct vrrp_vipq_slot){ 0 };
}

void vrrp_vipq_once(struct vrrp_vipq *q, const char *name, const struct vrrp_ipaddr *addrs,
		    unsigned n, bool add)
{
	struct detached *d = detached_new(q, name, addrs, n);

	d->sl.held = true;	/* a finish within the call leaves it to us */
	vrrp_vipq_request(q, &d->sl, add);
	d->sl.held = false;
	if (!vrrp_vipq_slot_busy(&d->sl))
		detached_free(&d->sl);
}
