// SPDX-License-Identifier: GPL-2.0-or-later
/* tests/unit/test_vrrp_sync.c: the sync group's decisions (vrrp_sync.h's pure part). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "utils.h"
#include "vrrp/vrrp_sync.h"

#define I VRRP_STATE_INIT
#define B VRRP_STATE_BACKUP
#define M VRRP_STATE_MASTER
#define F VRRP_STATE_FAULT
#define S VRRP_STATE_STOP

static const char *const do_names[] = { "NONE", "MASTER", "BACKUP", "FAULT" };

/* A member moved prev -> now while the group was in state group: what the others do. */
static const struct {
	const char *what;
	enum vrrp_state group, prev, now;
	enum vrrp_sync_do want;
	enum vrrp_state after;
} moves[] = {
	{ "backup group, member's timer: all go MASTER", B, B, M, VRRP_SYNC_MASTER, M },
	{ "master group, a member comes late (reload)", M, B, M, VRRP_SYNC_NONE, M },
	{ "master group, member yields to a higher master", M, M, B, VRRP_SYNC_BACKUP, B },
	{ "backup group, a master member steps down", B, M, B, VRRP_SYNC_NONE, B },
	{ "master group, member FAULT takes all", M, M, F, VRRP_SYNC_FAULT, F },
	{ "backup group, member FAULT takes all", B, B, F, VRRP_SYNC_FAULT, F },
	{ "fault group, another member faults", F, B, F, VRRP_SYNC_NONE, F },
	{ "fault group, the last fault clears: all BACKUP", F, F, B, VRRP_SYNC_BACKUP, B },
	{ "backup group, a member leaves FAULT alone", B, F, B, VRRP_SYNC_NONE, B },
	{ "fault group, member from FAULT straight to MASTER", F, F, M, VRRP_SYNC_MASTER, M },
	{ "stop is nobody's business", M, M, S, VRRP_SYNC_NONE, M },
	{ "init is nobody's business", B, B, I, VRRP_SYNC_NONE, B },
};

static void test_on_member(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(moves); i++) {
		enum vrrp_sync_do d = vrrp_sync_on_member(moves[i].group, moves[i].prev,
							  moves[i].now);

		if (d != moves[i].want)
			fail_msg("%s: got %s, want %s", moves[i].what, do_names[d],
				 do_names[moves[i].want]);
		if (vrrp_sync_after(d, moves[i].group) != moves[i].after)
			fail_msg("%s: group ends %s, want %s", moves[i].what,
				 vrrp_state_str(vrrp_sync_after(d, moves[i].group)),
				 vrrp_state_str(moves[i].after));
	}
}

static void test_may_master(void **state)
{
	static const bool none[] = { false, false }, one[] = { true, false }, all[] = { true, true };

	(void)state;
	assert_false(vrrp_sync_may_master(B, none, 2));
	assert_false(vrrp_sync_may_master(B, one, 2));
	assert_true(vrrp_sync_may_master(B, all, 2));
	/* the group is MASTER already: a member that lagged goes */
	assert_true(vrrp_sync_may_master(M, none, 2));
	/* a group of one (keepalived warns, and lets it work alone) */
	assert_true(vrrp_sync_may_master(B, NULL, 0));
	assert_false(vrrp_sync_may_master(F, one, 2));
}

static void test_init_state(void **state)
{
	static const struct {
		const char *what;
		bool owner[3], faulty[3];
		unsigned n;
		enum vrrp_state want;
	} rows[] = {
		{ "plain members", { 0, 0, 0 }, { 0, 0, 0 }, 3, B },
		{ "all owners starting MASTER", { 1, 1, 1 }, { 0, 0, 0 }, 3, M },
		{ "owners and not: BACKUP", { 1, 0, 1 }, { 0, 0, 0 }, 3, B },
		{ "one member faulty", { 0, 0, 0 }, { 0, 1, 0 }, 3, F },
		{ "owners, one faulty", { 1, 1, 1 }, { 1, 0, 0 }, 3, F },
		{ "no member", { 0 }, { 0 }, 0, B },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
		enum vrrp_state got = vrrp_sync_init_state(rows[i].owner, rows[i].faulty, rows[i].n);

		if (got != rows[i].want)
			fail_msg("%s: got %s, want %s", rows[i].what, vrrp_state_str(got),
				 vrrp_state_str(rows[i].want));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_on_member),
		cmocka_unit_test(test_may_master),
		cmocka_unit_test(test_init_state),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
