/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/vrrp/vrrp_vipq.h: the VIP operation queue: address sets added and removed in turn. */
#pragma once
#include <stdbool.h>

#include "vrrp_ipaddr.h"

struct nl_tx;

/*
 * Every change the VRRP child makes to its VIPs goes through one queue, on one nl_tx.
 *
 * An address set (an instance's VIPs and eVIPs) has a slot, embedded in its owner. A
 * slot runs one operation at a time (add or remove every address of its set); a
 * request made while one runs comes next, and the last such request wins: a flap add,
 * remove, add during a long operation costs one more operation, not two. At most
 * VRRP_VIPQ_LIVE operations run at once (each an allocation of about 100 bytes): a
 * thousand instances becoming master together wait in FIFO order instead; nl_tx sends
 * in windows anyway.
 *
 * The owner lends its name and set through set_of (read when an operation starts and
 * when one logs). An owner that goes away detaches its slot: what it runs or has asked
 * for still happens (the removal of a retired instance's VIPs) on copies, which free
 * themselves then. A stop is over once the queue is idle; idle_cb says when it becomes
 * so, never from within a call to this API.
 *
 * Failures are logged in the owner's name, as "(VI_1) cannot add 192.0.2.100/24 on
 * eth0: ...". Everything here is safe in a scheduler callback.
 */
#define VRRP_VIPQ_LIVE NL_TX_WINDOW

struct vrrp_vipq;
struct vrrp_vipq_op;

/* Embedded in the owner, zeroed (24 bytes: a thousand instances carry one each). */
struct vrrp_vipq_slot {
	struct vrrp_vipq_op *op;		/* running */
	struct vrrp_vipq_slot *wait_next;
	bool waiting : 1;			/* in the queue's FIFO, for room */
	bool want_add : 1;			/* what the waiting or running operation does */
	bool next : 1, next_add : 1;		/* asked while one runs: what comes after it */
	bool dirty : 1;				/* the set changed since the running one started */
	bool detached : 1;			/* the queue's copy (struct detached) */
	bool held : 1;				/* detached, but not to be freed yet */
};

/* The owner of sl's name and set (borrowed until the next call). */
typedef void vrrp_vipq_set_fn(const struct vrrp_vipq_slot *sl, const char **name,
			      const struct vrrp_ipaddr **addrs, unsigned *n);

/* idle_cb(arg): an operation ended and none runs or waits any more. It may free the queue. */
struct vrrp_vipq *vrrp_vipq_new(struct nl_tx *nl, vrrp_vipq_set_fn *set_of,
				void (*idle_cb)(void *arg), void *arg);
/* NULL is fine. Detach every slot first. Cancels what runs (what was sent stays sent). */
void vrrp_vipq_free(struct vrrp_vipq *q);
/* An operation runs or waits. */
bool vrrp_vipq_busy(const struct vrrp_vipq *q);

/*
 * Add (or remove) the set. While an operation runs, this comes after it, unless it
 * does the same to the same set.
 */
void vrrp_vipq_request(struct vrrp_vipq *q, struct vrrp_vipq_slot *sl, bool add);
/*
 * The owner replaces its set (a reload): call it while the old one is still valid. A
 * running operation goes on with a copy of the old one; the next request runs again.
 */
void vrrp_vipq_slot_changed(struct vrrp_vipq_slot *sl);
/* An operation of this slot runs or waits. */
bool vrrp_vipq_slot_busy(const struct vrrp_vipq_slot *sl);
/* The owner goes (call it while its set is valid): what the slot runs and was asked still happens. */
void vrrp_vipq_slot_detach(struct vrrp_vipq *q, struct vrrp_vipq_slot *sl);

/* A one-off operation on addresses no slot keeps (a reload dropped them): copied, in turn. */
void vrrp_vipq_once(struct vrrp_vipq *q, const char *name, const struct vrrp_ipaddr *addrs,
		    unsigned n, bool add);
