/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tests/unit/ipvs_test_rec.h: a test-only IPVS backend that reports each command as one text line. */
#pragma once
#include "check/ipvs.h"

/*
 * Each command becomes "<CMD> <service> <sched>[ -> <dest> w<weight>]", e.g.
 * "NEW_DEST 10.0.0.1:80 rr -> 10.1.0.1:80 w1", "NEW_SERVICE fwm7 sh" ("10.0.0.1:53/udp" for another protocol than tcp); on_cmd gets it
 * before the command "runs". The last command's structures are kept for detailed checks.
 */
struct trec {
	struct ipvs_backend b;
	void (*on_cmd)(void *arg, const char *line);
	void *arg;
	int fail_err[IPVS_C__COUNT];	/* the next command of that type fails once */
	struct ipvs_svc last_svc;
	struct ipvs_dest last_dest;
	unsigned n;
};
void trec_init(struct trec *r, void (*on_cmd)(void *arg, const char *line), void *arg);
