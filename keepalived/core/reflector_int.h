/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/core/reflector_int.h: what reflector.c (the socket edge) and reflector_table.c share. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/reflector.h"
#include "list.h"
#include "nl.h"

struct sched_ev;

/* Chained hash table of intrusive nodes; grows by doubling at load 1. */
struct hnode {
	struct hnode *next;
	uint32_t hash;
	unsigned gen;		/* the owner's (struct raddr), in what would be padding */
};
struct htab {
	struct hnode **b;
	size_t nb, n;
};

struct rif {
	struct reflector_if pub;
	struct hnode by_index, by_name;
	bool named;		/* in by_name (a newer interface may have taken the name) */
	bool reported_up;	/* the state last logged/reported for it while used */
	struct list node;	/* reflector.ifs */
	struct list addrs;	/* struct raddr.node */
	unsigned gen;
};

/* 72 bytes: an 80-byte malloc chunk per address (1000 VIPs are 1000 of them) */
struct raddr {
	struct reflector_addr pub;	/* pub.label: reflector_empty_label, the rif's name, or owned */
	struct hnode by_key;	/* hash of (ifindex, address); by_key.gen: the dump that saw it */
	struct list node;
};

enum dump_phase { DUMP_NONE, DUMP_LINKS, DUMP_ADDRS };

struct reflector {
	struct reflector_cbs cbs;
	struct sched *s;
	struct nl_sock *ns;
	struct sched_ev *ev_read;
	struct htab ifs_by_index, ifs_by_name, addrs;
	struct list ifs;
	size_t n_ifs, n_addrs;
	unsigned gen;		/* of the dump running (or the last one) */
	enum dump_phase dump;
	uint32_t dump_seq;
	bool dump_intr;		/* NLM_F_DUMP_INTR seen: the dump is inconsistent, redo it */
	bool redump;		/* messages were lost: dump again once this one ends */
	bool starting;		/* the start-up dump: no callbacks, no lines but "Assigned" */
	struct reflector_stats st;
	/*
	 * Written by a dump's datagrams, a page by a notification's: r is a mapping of its
	 * own (xmap_zeroed), so the pages never written cost no memory.
	 */
	uint8_t rbuf[NL_RECV_BUF];
};

struct reflector *reflector_table_new(const struct reflector_cbs *cbs);
void reflector_table_clear(struct reflector *r);	/* frees the entries and tables, not r */
void reflector_table_log_sources(struct reflector *r);
bool reflector_is_used(const struct reflector *r, const struct rif *f);
