/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/vrrp/vrrp_vipq.h: the VIP operation queue: address sets added and removed in turn. */
#pragma once
#include <stdbool.h>

#include "vrrp_ipaddr.h"

struct nl_tx;

/*
 * Every change the VRRP child makes to its VIPs goes through one queue, on one nl_tx.
 *
 * An address set (an instance's VIPs and eVIPs) has a slot. A slot runs one operation
 * at a time (add or remove every address of its set); a request made while one runs
 * comes next, and the last such request wins: a flap add, remove, add during a long
 * operation costs one more operation, not two. At most VRRP_VIPQ_LIVE operations run at
 * once (each is an allocation holding a copy of its addresses): a thousand instances
 * becoming master together wait in FIFO order instead; nl_tx sends in windows anyway.
 *
 * An owner that goes away detaches its slot: what it runs or has asked for still
 * happens (a removal of a retired instance's VIPs), then the slot frees itself. A
 * stop is over once the queue is idle; idle_cb says when it becomes so.
 *
 * Failures are logged in the owner's name, as "(VI_1) cannot add 192.0.2.100/24 on
 * eth0: ...". Everything here is safe in a scheduler callback.
 */
#define VRRP_VIPQ_LIVE NL_TX_WINDOW

struct vrrp_vipq;
struct vrrp_vipq_slot;

/* idle_cb(arg): an operation ended and none runs or waits any more. It may free the queue. */
struct vrrp_vipq *vrrp_vipq_new(struct nl_tx *nl, void (*idle_cb)(void *arg), void *arg);
/* NULL is fine. Cancels what runs (what was sent stays sent) and frees every slot. */
void vrrp_vipq_free(struct vrrp_vipq *q);
/* An operation runs or waits. */
bool vrrp_vipq_busy(const struct vrrp_vipq *q);

/* name: the owner's, for log lines (borrowed until detached). */
struct vrrp_vipq_slot *vrrp_vipq_slot_new(struct vrrp_vipq *q, const char *name);
/* The set the slot's next operation copies: addrs[0..n) borrowed until the next call. */
void vrrp_vipq_slot_set(struct vrrp_vipq_slot *sl, const struct vrrp_ipaddr *addrs, unsigned n);
void vrrp_vipq_slot_rename(struct vrrp_vipq_slot *sl, const char *name);
/*
 * Add (or remove) the set. While an operation runs, this comes after it, unless it does
 * the same to the same set (vrrp_vipq_slot_set() since it started makes another one run).
 */
void vrrp_vipq_request(struct vrrp_vipq_slot *sl, bool add);
/* An operation of this slot runs or waits. */
bool vrrp_vipq_slot_busy(const struct vrrp_vipq_slot *sl);
/* The owner goes: the slot finishes what it runs and was asked, then frees itself. NULL is fine. */
void vrrp_vipq_slot_detach(struct vrrp_vipq_slot *sl);

/* A one-off operation on addresses no slot keeps (a reload dropped them): copied, in turn. */
void vrrp_vipq_once(struct vrrp_vipq *q, const char *name, const struct vrrp_ipaddr *addrs,
		    unsigned n, bool add);
