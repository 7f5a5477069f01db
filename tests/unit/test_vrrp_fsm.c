// SPDX-License-Identifier: GPL-2.0-or-later
/* tests/unit/test_vrrp_fsm.c: every state x event of the VRRP FSM, its timers, and timelines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <limits.h>
#include <string.h>

#include <cmocka.h>

#include "utils.h"
#include "vrrp/vrrp_fsm.h"

#define I VRRP_STATE_INIT
#define B VRRP_STATE_BACKUP
#define M VRRP_STATE_MASTER
#define F VRRP_STATE_FAULT
#define S VRRP_STATE_STOP

#define SEND VRRP_ACT_SEND_ADVERT
#define P0 VRRP_ACT_SEND_PRIO0
#define ADD VRRP_ACT_ADD_VIPS
#define DEL VRRP_ACT_DEL_VIPS
#define GS VRRP_ACT_GARP_START
#define GX VRRP_ACT_GARP_STOP
#define GL VRRP_ACT_GARP_LOWER
#define N VRRP_ACT_NOTIFY
#define NL VRRP_ACT_NOTIFY_RX_LOWER
#define AA VRRP_ACT_ARM_ADVER
#define CA VRRP_ACT_CANCEL_ADVER
#define AD VRRP_ACT_ARM_DOWN
#define CD VRRP_ACT_CANCEL_DOWN
#define TO_MASTER (CD | ADD | SEND | GS | AA | N)
#define LEAVE (CA | GX | DEL)

#define SEC 1000000ull

/* Master_Down_Interval and Skew_Time at 1 s (v2, or v3 100 cs), by priority, in µs */
#define SKEW_100 609375ull	/* 156 * 1000000 / 256 */
#define DOWN_100 (3 * SEC + SKEW_100)
#define SKEW_200 218750ull	/* 56 * 1000000 / 256 */
#define DOWN_200 (3 * SEC + SKEW_200)
#define DOWN_255 (3 * SEC + 3906)	/* 1e6 / 256 = 3906.25 */
#define DOWN_254 (3 * SEC + 7812)	/* 2e6 / 256 = 7812.5 */
#define DOWN_150 (3 * SEC + 414062)	/* 106e6 / 256 = 414062.5 */
#define DOWN_V3_300 (9 * SEC + 1828125)	/* 3 * 3 s + 156 * 3000000 / 256 */

enum {
	C_V2, C_V3, C_V3_50, C_MASTER, C_NOPRE, C_NOPRE_M, C_PDELAY, C_OWNER_M, C_OWNER_B,
	C_LOWNOADV, C_NOTIFYLOW, C_HIGHSEND, C_OWNIGN, C_DTA5,
};

static const struct vrrp_fsm_conf confs[] = {
	[C_V2] = { .priority = 100, .version = 2, .adver_int_cs = 100, .preempt = true },
	[C_V3] = { .priority = 100, .version = 3, .adver_int_cs = 100, .preempt = true },
	[C_V3_50] = { .priority = 100, .version = 3, .adver_int_cs = 50, .preempt = true },
	[C_MASTER] = { .priority = 100, .version = 2, .adver_int_cs = 100, .preempt = true,
		       .init_master = true },
	[C_NOPRE] = { .priority = 100, .version = 2, .adver_int_cs = 100 },
	[C_NOPRE_M] = { .priority = 100, .version = 2, .adver_int_cs = 100, .init_master = true },
	[C_PDELAY] = { .priority = 200, .version = 2, .adver_int_cs = 100, .preempt = true,
		       .preempt_delay_us = 8 * SEC },
	[C_OWNER_M] = { .priority = 255, .version = 2, .adver_int_cs = 100, .preempt = true,
			.init_master = true },
	[C_OWNER_B] = { .priority = 255, .version = 2, .adver_int_cs = 100, .preempt = true },
	[C_LOWNOADV] = { .priority = 100, .version = 2, .adver_int_cs = 100, .preempt = true,
			 .lower_prio_no_advert = true },
	[C_NOTIFYLOW] = { .priority = 100, .version = 2, .adver_int_cs = 100, .preempt = true,
			  .has_notify_rx_lower = true },
	[C_HIGHSEND] = { .priority = 100, .version = 2, .adver_int_cs = 100, .preempt = true,
			 .higher_prio_send_advert = true },
	[C_OWNIGN] = { .priority = 255, .version = 2, .adver_int_cs = 100, .preempt = true,
		       .init_master = true, .owner_ignore_adverts = true },
	[C_DTA5] = { .priority = 100, .version = 3, .adver_int_cs = 100, .preempt = true,
		     .down_timer_adverts = 5 },
};

/* The state before the step: vrrp_fsm_init(), then these fields (prio/int_cs 0: as initialised). */
struct setup {
	enum vrrp_state state;
	uint8_t prio;
	uint16_t int_cs;
	bool fault;
	uint64_t until;
	uint64_t armed;
	bool skew_only;
};

/* What the step must give (prio/int_cs 0: unchanged). */
struct want {
	enum vrrp_state state;
	uint32_t acts;
	enum vrrp_why why;
	uint64_t adver_us, down_us;
	uint16_t old_int;
	uint8_t prio;
	uint16_t int_cs;
	bool fault;
	uint64_t until;
};

struct row {
	const char *what;
	int conf;
	struct setup st;
	struct vrrp_fsm_in in;
	struct want w;
};

#define ST(s_, ...) { .state = (s_), __VA_ARGS__ }
#define W(s_, a_, w_, ...) { .state = (s_), .acts = (a_), .why = VRRP_WHY_##w_, __VA_ARGS__ }
#define EV(e) { .ev = VRRP_EV_##e }
#define RX(p) { .ev = VRRP_EV_ADVERT, .peer_prio = (p), .peer_adver_int_cs = 100 }
#define RX_INT(p, cs) { .ev = VRRP_EV_ADVERT, .peer_prio = (p), .peer_adver_int_cs = (cs) }
#define RX_GT(p) { .ev = VRRP_EV_ADVERT, .peer_prio = (p), .peer_adver_int_cs = 100, \
		   .peer_addr_greater = true }
#define RX_AT(p, t) { .ev = VRRP_EV_ADVERT, .peer_prio = (p), .peer_adver_int_cs = 100, \
		     .now_us = (t) }
#define PRIO(p) { .ev = VRRP_EV_PRIO, .new_prio = (p) }
#define PRIO_AT(p, t) { .ev = VRRP_EV_PRIO, .new_prio = (p), .now_us = (t) }

static const struct row rows[] = {
	/* INIT */
	{ "init: start -> BACKUP (init), full down timer", C_V2, ST(I), EV(START),
	  W(B, DEL | AD | N, INIT, .down_us = DOWN_100) },
	{ "init v3: start -> BACKUP, same interval at 100 cs", C_V3, ST(I), EV(START),
	  W(B, DEL | AD | N, INIT, .down_us = DOWN_100) },
	{ "init v3 50 cs: start -> BACKUP", C_V3_50, ST(I), EV(START),
	  W(B, DEL | AD | N, INIT, .down_us = 3 * 500000 + 304687) },
	{ "init down_timer_adverts 5", C_DTA5, ST(I), EV(START),
	  W(B, DEL | AD | N, INIT, .down_us = 5 * SEC + SKEW_100) },
	{ "init: state MASTER below 255 waits like BACKUP", C_MASTER, ST(I), EV(START),
	  W(B, DEL | AD | N, INIT, .down_us = DOWN_100) },
	{ "init: owner with state MASTER -> MASTER at once", C_OWNER_M, ST(I), EV(START),
	  W(M, DEL | TO_MASTER, OWNER, .adver_us = SEC) },
	{ "init: owner with state BACKUP waits its (short) skew", C_OWNER_B, ST(I), EV(START),
	  W(B, DEL | AD | N, INIT, .down_us = DOWN_255) },
	{ "init: owner whose priority fell (254) waits", C_OWNER_M, ST(I, .prio = 254), EV(START),
	  W(B, DEL | AD | N, INIT, .down_us = DOWN_254) },
	{ "init: fault pending -> FAULT", C_V2, ST(I, .fault = true), EV(START),
	  W(F, DEL | N, INIT_FAULT, .fault = true) },
	{ "init: owner with fault pending -> FAULT", C_OWNER_M, ST(I, .fault = true), EV(START),
	  W(F, DEL | N, INIT_FAULT, .fault = true) },
	{ "init: advert ignored", C_V2, ST(I), RX(200), W(I, 0, NONE) },
	{ "init: master-down ignored", C_V2, ST(I), EV(MASTER_DOWN), W(I, 0, NONE) },
	{ "init: advert timer ignored", C_V2, ST(I), EV(ADVER_TIMER), W(I, 0, NONE) },
	{ "init: fault noted for the start", C_V2, ST(I), EV(FAULT),
	  W(I, 0, NONE, .fault = true) },
	{ "init: fault cleared before the start", C_V2, ST(I, .fault = true), EV(FAULT_CLEAR),
	  W(I, 0, NONE) },
	{ "init: priority change taken", C_V2, ST(I), PRIO(150),
	  W(I, 0, PRIO, .prio = 150) },
	{ "init: same priority is no change", C_V2, ST(I), PRIO(100), W(I, 0, NONE) },
	{ "init: resign ignored", C_V2, ST(I), EV(RESIGN), W(I, 0, NONE) },
	{ "init: stop -> STOP, nothing to undo", C_V2, ST(I), EV(STOP), W(S, 0, STOP) },
	{ "init: reload: the interval follows the config", C_V3, ST(I, .int_cs = 200), EV(RECONF),
	  W(I, 0, NONE, .int_cs = 100) },
	{ "init: sync group to master ignored", C_V2, ST(I), EV(SYNC_MASTER), W(I, 0, NONE) },
	{ "init: sync group to backup ignored", C_V2, ST(I), EV(SYNC_BACKUP), W(I, 0, NONE) },

	/* BACKUP */
	{ "backup: start again ignored", C_V2, ST(B), EV(START), W(B, 0, NONE) },
	{ "backup: higher advert accepted", C_V2, ST(B), RX(200),
	  W(B, AD, RX_ACCEPT, .down_us = DOWN_100) },
	{ "backup: equal priority, lower address accepted", C_V2, ST(B), RX(100),
	  W(B, AD, RX_ACCEPT, .down_us = DOWN_100) },
	{ "backup: equal priority, higher address accepted", C_V2, ST(B), RX_GT(100),
	  W(B, AD, RX_ACCEPT, .down_us = DOWN_100) },
	{ "backup: lower advert discarded, timer left", C_V2, ST(B), RX(90),
	  W(B, 0, RX_LOWER_DISCARD) },
	{ "backup: lower advert from a greater address discarded too", C_V2, ST(B), RX_GT(90),
	  W(B, 0, RX_LOWER_DISCARD) },
	{ "backup nopreempt: lower advert accepted", C_NOPRE, ST(B), RX(90),
	  W(B, AD, RX_ACCEPT, .down_us = DOWN_100) },
	{ "backup nopreempt with state MASTER: preempt forced, lower discarded", C_NOPRE_M, ST(B),
	  RX(90), W(B, 0, RX_LOWER_DISCARD) },
	{ "backup: priority 0 -> skew time only", C_V2, ST(B), RX(0),
	  W(B, AD, RX_PRIO0_BACKUP, .down_us = SKEW_100) },
	{ "backup nopreempt: priority 0 -> skew time only", C_NOPRE, ST(B), RX(0),
	  W(B, AD, RX_PRIO0_BACKUP, .down_us = SKEW_100) },
	{ "backup v3: priority 0 uses the learned 50 cs, learns nothing", C_V3, ST(B, .int_cs = 50),
	  RX_INT(0, 200), W(B, AD, RX_PRIO0_BACKUP, .down_us = 304687) },
	{ "backup v3: higher advert at 300 cs: learnt", C_V3, ST(B), RX_INT(200, 300),
	  W(B, AD, RX_ACCEPT, .down_us = DOWN_V3_300, .old_int = 100, .int_cs = 300) },
	{ "backup v3: same interval again: no change reported", C_V3, ST(B, .int_cs = 300),
	  RX_INT(200, 300), W(B, AD, RX_ACCEPT, .down_us = DOWN_V3_300) },
	{ "backup v3: interval 0 is not learnt", C_V3, ST(B), RX_INT(200, 0),
	  W(B, AD, RX_ACCEPT, .down_us = DOWN_100) },
	{ "backup v3: lower advert discarded, interval not learnt", C_V3, ST(B), RX_INT(90, 300),
	  W(B, 0, RX_LOWER_DISCARD) },
	{ "backup v2: the advert's interval is never learnt", C_V2, ST(B), RX_INT(200, 300),
	  W(B, AD, RX_ACCEPT, .down_us = DOWN_100) },
	{ "backup preempt_delay: first lower advert starts it, accepted", C_PDELAY, ST(B),
	  RX_AT(100, SEC), W(B, AD, RX_PREEMPT_DELAY_START, .down_us = DOWN_200,
			     .until = 9 * SEC) },
	{ "backup preempt_delay: lower advert inside it accepted", C_PDELAY, ST(B, .until = 9 * SEC),
	  RX_AT(100, 9 * SEC - 1), W(B, AD, RX_PREEMPT_WAIT, .down_us = DOWN_200,
				     .until = 9 * SEC) },
	{ "backup preempt_delay: lower advert at the deadline discarded", C_PDELAY,
	  ST(B, .until = 9 * SEC), RX_AT(100, 9 * SEC),
	  W(B, 0, RX_LOWER_DISCARD, .until = 9 * SEC) },
	{ "backup preempt_delay: higher advert accepted, delay not started", C_PDELAY, ST(B),
	  RX_AT(250, SEC), W(B, AD, RX_ACCEPT, .down_us = DOWN_200) },
	{ "backup preempt_delay: priority 0", C_PDELAY, ST(B, .until = 9 * SEC), RX(0),
	  W(B, AD, RX_PRIO0_BACKUP, .down_us = SKEW_200, .until = 9 * SEC) },
	{ "backup owner (state BACKUP): another 255 accepted", C_OWNER_B, ST(B), RX_GT(255),
	  W(B, AD, RX_ACCEPT, .down_us = DOWN_255) },
	{ "backup owner (state BACKUP): 200 discarded", C_OWNER_B, ST(B), RX(200),
	  W(B, 0, RX_LOWER_DISCARD) },
	{ "backup: master-down -> MASTER", C_V2, ST(B), EV(MASTER_DOWN),
	  W(M, TO_MASTER, DOWN_TIMEOUT, .adver_us = SEC) },
	{ "backup v3: master-down -> MASTER, own interval back", C_V3, ST(B, .int_cs = 300),
	  EV(MASTER_DOWN), W(M, TO_MASTER, DOWN_TIMEOUT, .adver_us = SEC, .old_int = 300,
			     .int_cs = 100) },
	{ "backup v3 50 cs: master-down -> MASTER at 50 cs", C_V3_50, ST(B), EV(MASTER_DOWN),
	  W(M, TO_MASTER, DOWN_TIMEOUT, .adver_us = 500000) },
	{ "backup: advert timer ignored", C_V2, ST(B), EV(ADVER_TIMER), W(B, 0, NONE) },
	{ "backup: fault -> FAULT", C_V2, ST(B), EV(FAULT),
	  W(F, CD | N, FAULT, .fault = true) },
	{ "backup: fault clear without a fault ignored", C_V2, ST(B), EV(FAULT_CLEAR),
	  W(B, 0, NONE) },
	{ "backup: priority up moves the pending deadline", C_V2,
	  ST(B, .prio = 90, .armed = 10 * SEC), PRIO_AT(150, 10 * SEC + 980000),
	  W(B, AD, PRIO, .down_us = 10 * SEC + DOWN_150 - (10 * SEC + 980000),
	    .prio = 150) },
	{ "backup: priority change after priority 0 keeps skew only", C_V2,
	  ST(B, .armed = 5 * SEC, .skew_only = true), PRIO_AT(200, 5 * SEC + 100000),
	  W(B, AD, PRIO, .down_us = SKEW_200 - 100000, .prio = 200) },
	{ "backup: priority change past the new deadline: at once", C_V2, ST(B, .armed = 0),
	  PRIO_AT(150, 10 * SEC), W(B, AD, PRIO, .down_us = 0, .prio = 150) },
	{ "backup: same priority is no change", C_V2, ST(B), PRIO(100), W(B, 0, NONE) },
	{ "backup: resign ignored", C_V2, ST(B), EV(RESIGN), W(B, 0, NONE) },
	{ "backup: stop -> STOP", C_V2, ST(B), EV(STOP), W(S, CD | N, STOP) },
	{ "backup v2: reload: the interval (never learnt) follows the config", C_V2,
	  ST(B, .int_cs = 200), EV(RECONF), W(B, 0, NONE, .int_cs = 100) },
	{ "backup v3: reload: the master's interval stays, timer left", C_V3,
	  ST(B, .int_cs = 300), EV(RECONF), W(B, 0, NONE) },
	{ "backup: sync group to master -> MASTER at once, silently", C_V2, ST(B),
	  EV(SYNC_MASTER), W(M, TO_MASTER & ~SEND, SYNC, .adver_us = SEC) },
	{ "backup: sync group to backup ignored", C_V2, ST(B), EV(SYNC_BACKUP), W(B, 0, NONE) },

	/* MASTER */
	{ "master: start again ignored", C_V2, ST(M), EV(START), W(M, 0, NONE) },
	{ "master: advert timer -> send, re-arm", C_V2, ST(M), EV(ADVER_TIMER),
	  W(M, SEND | AA, SEND, .adver_us = SEC) },
	{ "master v3 50 cs: advert timer", C_V3_50, ST(M), EV(ADVER_TIMER),
	  W(M, SEND | AA, SEND, .adver_us = 500000) },
	{ "master: higher advert -> BACKUP", C_V2, ST(M), RX(200),
	  W(B, LEAVE | AD | N, RX_HIGHER, .down_us = DOWN_100) },
	{ "master: equal priority, greater address -> BACKUP", C_V2, ST(M), RX_GT(100),
	  W(B, LEAVE | AD | N, RX_EQUAL_HIGHER_ADDR, .down_us = DOWN_100) },
	{ "master: equal priority, lower address: stays, answers", C_V2, ST(M), RX(100),
	  W(M, SEND | AA | GL, RX_LOWER_MASTER, .adver_us = SEC) },
	{ "master: lower advert: answer at once, GARP", C_V2, ST(M), RX(90),
	  W(M, SEND | AA | GL, RX_LOWER_MASTER, .adver_us = SEC) },
	{ "master lower_prio_no_advert: no answer, GARP still", C_LOWNOADV, ST(M), RX(90),
	  W(M, GL, RX_LOWER_MASTER) },
	{ "master notify_master_rx_lower_pri: notify", C_NOTIFYLOW, ST(M), RX(90),
	  W(M, SEND | AA | GL | NL, RX_LOWER_MASTER, .adver_us = SEC) },
	{ "master: priority 0 -> answer at once", C_V2, ST(M), RX(0),
	  W(M, SEND | AA, RX_PRIO0_MASTER, .adver_us = SEC) },
	{ "master higher_prio_send_advert: one advert, then BACKUP", C_HIGHSEND, ST(M), RX(200),
	  W(B, SEND | LEAVE | AD | N, RX_HIGHER, .down_us = DOWN_100) },
	{ "master higher_prio_send_advert: equal, greater address too", C_HIGHSEND, ST(M),
	  RX_GT(100), W(B, SEND | LEAVE | AD | N, RX_EQUAL_HIGHER_ADDR,
			.down_us = DOWN_100) },
	{ "master v3: higher advert at 300 cs: learnt, down from it", C_V3, ST(M), RX_INT(200, 300),
	  W(B, LEAVE | AD | N, RX_HIGHER, .down_us = DOWN_V3_300, .old_int = 100,
	    .int_cs = 300) },
	{ "master v3: lower advert at 300 cs: not learnt", C_V3, ST(M), RX_INT(90, 300),
	  W(M, SEND | AA | GL, RX_LOWER_MASTER, .adver_us = SEC) },
	{ "master owner: another owner -> 254 and BACKUP", C_OWNER_M, ST(M), RX(255),
	  W(B, LEAVE | AD | N, RX_OWNER_CONFLICT, .down_us = DOWN_254, .prio = 254) },
	{ "master owner: 200 from a greater address: stays", C_OWNER_M, ST(M), RX_GT(200),
	  W(M, SEND | AA | GL, RX_LOWER_MASTER, .adver_us = SEC) },
	{ "master owner_ignore_adverts: another owner ignored", C_OWNIGN, ST(M), RX(255),
	  W(M, 0, RX_OWNER_IGNORE) },
	{ "master owner_ignore_adverts: priority 0 ignored", C_OWNIGN, ST(M), RX(0),
	  W(M, 0, RX_OWNER_IGNORE) },
	{ "master owner_ignore_adverts at 254: no longer an owner", C_OWNIGN, ST(M, .prio = 254),
	  RX(255), W(B, LEAVE | AD | N, RX_HIGHER, .down_us = DOWN_254) },
	{ "master preempt_delay: to BACKUP restarts the delay", C_PDELAY, ST(M, .until = 9 * SEC),
	  RX(250), W(B, LEAVE | AD | N, RX_HIGHER, .down_us = DOWN_200) },
	{ "master: stale master-down ignored", C_V2, ST(M), EV(MASTER_DOWN), W(M, 0, NONE) },
	{ "master: fault -> FAULT, priority 0, VIPs removed", C_V2, ST(M), EV(FAULT),
	  W(F, LEAVE | P0 | N, FAULT, .fault = true) },
	{ "master: fault clear without a fault ignored", C_V2, ST(M), EV(FAULT_CLEAR),
	  W(M, 0, NONE) },
	{ "master: priority change, no advert before the next", C_V2, ST(M), PRIO(90),
	  W(M, 0, PRIO, .prio = 90) },
	{ "master: resign (a tracked route deleted) -> BACKUP, priority 0, skew only", C_V2,
	  ST(M), EV(RESIGN), W(B, LEAVE | P0 | AD | N, RESIGN, .down_us = SKEW_100) },
	{ "master v3 200: resign -> skew at its own interval", C_V3, ST(M, .prio = 200),
	  EV(RESIGN), W(B, LEAVE | P0 | AD | N, RESIGN, .down_us = 56 * SEC / 256) },
	{ "master: stop -> STOP, priority 0, VIPs removed", C_V2, ST(M), EV(STOP),
	  W(S, LEAVE | P0 | N, STOP) },
	{ "master v3: reload: its own interval follows, the next advert timer uses it", C_V3,
	  ST(M, .int_cs = 200), EV(RECONF), W(M, 0, NONE, .int_cs = 100) },
	{ "master: sync group to master ignored", C_V2, ST(M), EV(SYNC_MASTER), W(M, 0, NONE) },
	{ "master: sync group to backup -> BACKUP, VIPs removed, no priority 0", C_V2, ST(M),
	  EV(SYNC_BACKUP), W(B, LEAVE | AD | N, SYNC, .down_us = DOWN_100) },

	/* FAULT */
	{ "fault: start ignored", C_V2, ST(F, .fault = true), EV(START),
	  W(F, 0, NONE, .fault = true) },
	{ "fault: advert ignored", C_V2, ST(F, .fault = true), RX(200),
	  W(F, 0, NONE, .fault = true) },
	{ "fault: priority 0 ignored", C_V2, ST(F, .fault = true), RX(0),
	  W(F, 0, NONE, .fault = true) },
	{ "fault: master-down ignored", C_V2, ST(F, .fault = true), EV(MASTER_DOWN),
	  W(F, 0, NONE, .fault = true) },
	{ "fault: advert timer ignored", C_V2, ST(F, .fault = true), EV(ADVER_TIMER),
	  W(F, 0, NONE, .fault = true) },
	{ "fault: fault again ignored", C_V2, ST(F, .fault = true), EV(FAULT),
	  W(F, 0, NONE, .fault = true) },
	{ "fault: cleared -> BACKUP, full down timer", C_V2, ST(F, .fault = true), EV(FAULT_CLEAR),
	  W(B, AD | N, FAULT_CLEAR, .down_us = DOWN_100) },
	{ "fault: owner cleared -> BACKUP as well", C_OWNER_M, ST(F, .fault = true),
	  EV(FAULT_CLEAR), W(B, AD | N, FAULT_CLEAR, .down_us = DOWN_255) },
	{ "fault: cleared restarts the preempt delay", C_PDELAY,
	  ST(F, .fault = true, .until = 9 * SEC), EV(FAULT_CLEAR),
	  W(B, AD | N, FAULT_CLEAR, .down_us = DOWN_200) },
	{ "fault: priority change taken, no timer", C_V2, ST(F, .fault = true), PRIO(150),
	  W(F, 0, PRIO, .prio = 150, .fault = true) },
	{ "fault: resign ignored", C_V2, ST(F, .fault = true), EV(RESIGN),
	  W(F, 0, NONE, .fault = true) },
	{ "fault: stop -> STOP", C_V2, ST(F, .fault = true), EV(STOP),
	  W(S, N, STOP, .fault = true) },
	{ "fault v3: reload: the learnt interval stays", C_V3, ST(F, .fault = true, .int_cs = 300),
	  EV(RECONF), W(F, 0, NONE, .fault = true) },
	{ "fault: sync group to master ignored", C_V2, ST(F, .fault = true), EV(SYNC_MASTER),
	  W(F, 0, NONE, .fault = true) },
	{ "fault: sync group to backup ignored", C_V2, ST(F, .fault = true), EV(SYNC_BACKUP),
	  W(F, 0, NONE, .fault = true) },

	/* STOP: the end */
	{ "stop: resign ignored", C_V2, ST(S), EV(RESIGN), W(S, 0, NONE) },
	{ "stop: start ignored", C_V2, ST(S), EV(START), W(S, 0, NONE) },
	{ "stop: advert ignored", C_V2, ST(S), RX(200), W(S, 0, NONE) },
	{ "stop: master-down ignored", C_V2, ST(S), EV(MASTER_DOWN), W(S, 0, NONE) },
	{ "stop: advert timer ignored", C_V2, ST(S), EV(ADVER_TIMER), W(S, 0, NONE) },
	{ "stop: fault ignored", C_V2, ST(S), EV(FAULT), W(S, 0, NONE) },
	{ "stop: fault clear ignored", C_V2, ST(S, .fault = true), EV(FAULT_CLEAR),
	  W(S, 0, NONE, .fault = true) },
	{ "stop: priority change ignored", C_V2, ST(S), PRIO(150), W(S, 0, NONE) },
	{ "stop: stop again ignored", C_V2, ST(S), EV(STOP), W(S, 0, NONE) },
	{ "stop: reload ignored", C_V2, ST(S, .int_cs = 200), EV(RECONF), W(S, 0, NONE) },
	{ "stop: sync group to master ignored", C_V2, ST(S), EV(SYNC_MASTER), W(S, 0, NONE) },
	{ "stop: sync group to backup ignored", C_V2, ST(S), EV(SYNC_BACKUP), W(S, 0, NONE) },
};

static void acts_str(uint32_t a, char *buf, size_t len)
{
	static const char *const names[] = {
		"SEND_ADVERT", "SEND_PRIO0", "ADD_VIPS", "DEL_VIPS", "GARP_START", "GARP_STOP",
		"GARP_LOWER", "NOTIFY", "NOTIFY_RX_LOWER", "ARM_ADVER", "CANCEL_ADVER", "ARM_DOWN",
		"CANCEL_DOWN",
	};
	size_t n = 0;

	buf[0] = 0;
	for (unsigned i = 0; i < ARRAY_SIZE(names); i++)
		if (a & (1u << i))
			n += (size_t)snprintf(buf + n, n < len ? len - n : 0, "%s%s", n ? "|" : "",
					      names[i]);
	if (a >> ARRAY_SIZE(names))
		snprintf(buf + n, n < len ? len - n : 0, "|0x%x", a >> ARRAY_SIZE(names));
}

static void run_row(const struct row *r)
{
	const struct vrrp_fsm_conf *cfg = &confs[r->conf];
	struct vrrp_fsm st;
	struct vrrp_fsm_out out;
	char got[256], want[256];
	uint8_t prio0;
	uint16_t int0;

	vrrp_fsm_init(cfg, &st);
	st.state = r->st.state;
	if (r->st.prio)
		st.eff_prio = r->st.prio;
	if (r->st.int_cs)
		st.master_adver_int_cs = r->st.int_cs;
	st.in_fault = r->st.fault;
	st.preempt_until_us = r->st.until;
	st.down_armed_us = r->st.armed;
	st.down_skew_only = r->st.skew_only;
	prio0 = st.eff_prio;
	int0 = st.master_adver_int_cs;
	memset(&out, 0xa5, sizeof(out));

	vrrp_fsm_step(cfg, &st, &r->in, &out);

	acts_str(out.acts, got, sizeof(got));
	acts_str(r->w.acts, want, sizeof(want));
	if (out.acts != r->w.acts)
		fail_msg("%s: acts %s, want %s", r->what, got, want);
	if (out.state != r->w.state || st.state != r->w.state || out.prev != r->st.state)
		fail_msg("%s: state %s (out %s, prev %s), want %s", r->what, vrrp_state_str(st.state),
			 vrrp_state_str(out.state), vrrp_state_str(out.prev), vrrp_state_str(r->w.state));
	if (out.why != r->w.why)
		fail_msg("%s: why %s, want %s", r->what, vrrp_why_str(out.why), vrrp_why_str(r->w.why));
	if ((out.acts & VRRP_ACT_ARM_ADVER) && out.adver_us != r->w.adver_us)
		fail_msg("%s: adver_us %llu, want %llu", r->what, (unsigned long long)out.adver_us,
			 (unsigned long long)r->w.adver_us);
	if (!(out.acts & VRRP_ACT_ARM_ADVER) && out.adver_us)
		fail_msg("%s: adver_us %llu without ARM_ADVER", r->what,
			 (unsigned long long)out.adver_us);
	if ((out.acts & VRRP_ACT_ARM_DOWN) && out.down_us != r->w.down_us)
		fail_msg("%s: down_us %llu, want %llu", r->what, (unsigned long long)out.down_us,
			 (unsigned long long)r->w.down_us);
	if (!(out.acts & VRRP_ACT_ARM_DOWN) && out.down_us)
		fail_msg("%s: down_us %llu without ARM_DOWN", r->what, (unsigned long long)out.down_us);
	if (out.old_prio != prio0)
		fail_msg("%s: old_prio %u, want %u", r->what, out.old_prio, prio0);
	if (out.old_adver_int_cs != r->w.old_int)
		fail_msg("%s: old_adver_int_cs %u, want %u", r->what, out.old_adver_int_cs, r->w.old_int);
	if (st.eff_prio != (r->w.prio ? r->w.prio : prio0))
		fail_msg("%s: eff_prio %u, want %u", r->what, st.eff_prio,
			 r->w.prio ? r->w.prio : prio0);
	if (st.master_adver_int_cs != (r->w.int_cs ? r->w.int_cs : int0))
		fail_msg("%s: master_adver_int_cs %u, want %u", r->what, st.master_adver_int_cs,
			 r->w.int_cs ? r->w.int_cs : int0);
	if (st.in_fault != r->w.fault)
		fail_msg("%s: in_fault %d, want %d", r->what, st.in_fault, r->w.fault);
	if (st.preempt_until_us != r->w.until)
		fail_msg("%s: preempt_until_us %llu, want %llu", r->what,
			 (unsigned long long)st.preempt_until_us, (unsigned long long)r->w.until);
	/* a freshly armed master-down timer counts from this event */
	if ((out.acts & VRRP_ACT_ARM_DOWN) && r->in.ev != VRRP_EV_PRIO &&
	    st.down_armed_us != r->in.now_us)
		fail_msg("%s: down_armed_us %llu, want %llu", r->what,
			 (unsigned long long)st.down_armed_us, (unsigned long long)r->in.now_us);
}

static void test_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(rows); i++)
		run_row(&rows[i]);
}

/* The table has at least one row for every state x event. */
static void test_table_covers_all(void **state)
{
	(void)state;
	for (int s = 0; s < VRRP_STATE__COUNT; s++)
		for (int e = 0; e < VRRP_EV__COUNT; e++) {
			bool found = false;

			for (size_t i = 0; i < ARRAY_SIZE(rows) && !found; i++)
				found = rows[i].st.state == (enum vrrp_state)s &&
					rows[i].in.ev == (enum vrrp_ev)e;
			if (!found)
				fail_msg("no row for %s x %s", vrrp_state_str(s), vrrp_ev_str(e));
		}
}

/* Skew_Time and Master_Down_Interval, truncated in µs as keepalived does. */
static const struct {
	const char *what;
	uint8_t version, prio;
	uint16_t cs;
	uint8_t n;
	uint64_t skew, down;
} timers[] = {
	{ "v2 prio 100", 2, 100, 100, 3, 609375, 3609375 },
	{ "v2 prio 100, n 0 means 3", 2, 100, 100, 0, 609375, 3609375 },
	{ "v2 prio 100 at 3 s: skew stays 1/256 s units", 2, 100, 300, 3, 609375, 9609375 },
	{ "v2 prio 200", 2, 200, 100, 3, 218750, 3218750 },
	{ "v2 prio 150 truncates .5", 2, 150, 100, 3, 414062, 3414062 },
	{ "v2 prio 90", 2, 90, 100, 3, 648437, 3648437 },
	{ "v2 prio 255", 2, 255, 100, 3, 3906, 3003906 },
	{ "v2 prio 1", 2, 1, 100, 3, 996093, 3996093 },
	{ "v2 prio 0 (a full second)", 2, 0, 100, 3, 1000000, 4000000 },
	{ "v3 prio 100 at 100 cs: 609375 us, not 60 cs", 3, 100, 100, 3, 609375, 3609375 },
	{ "v3 prio 100 at 300 cs", 3, 100, 300, 3, 1828125, 10828125 },
	{ "v3 prio 100 at 50 cs", 3, 100, 50, 3, 304687, 1804687 },
	{ "v3 prio 200 at 100 cs", 3, 200, 100, 3, 218750, 3218750 },
	{ "v3 prio 254 at 1 cs", 3, 254, 1, 3, 78, 30078 },
	{ "v3 prio 100 at 1 cs", 3, 100, 1, 3, 6093, 36093 },
	{ "v3 prio 1 at 4095 cs (max)", 3, 1, 4095, 3, 40790039, 163640039 },
	{ "v3 prio 255 at 4095 cs", 3, 255, 4095, 3, 159960, 123009960 },
	{ "v3 down_timer_adverts 1", 3, 100, 100, 1, 609375, 1609375 },
	{ "v3 down_timer_adverts 100 at 4095 cs", 3, 1, 4095, 100, 40790039, 4135790039ull },
	{ "v3 prio 100 at 0 cs", 3, 100, 0, 3, 0, 0 },
};

static void test_timers(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(timers); i++) {
		uint64_t skew = vrrp_fsm_skew_us(timers[i].version, timers[i].prio, timers[i].cs);
		uint64_t down = vrrp_fsm_down_us(timers[i].version, timers[i].prio, timers[i].cs,
						 timers[i].n);

		if (skew != timers[i].skew || down != timers[i].down)
			fail_msg("%s: skew %llu down %llu, want %llu %llu", timers[i].what,
				 (unsigned long long)skew, (unsigned long long)down,
				 (unsigned long long)timers[i].skew, (unsigned long long)timers[i].down);
	}
}

static void test_eff_prio(void **state)
{
	static const struct {
		uint8_t base;
		int sum;
		uint8_t want;
	} t[] = {
		{ 100, 0, 100 }, { 150, -60, 90 }, { 100, 100, 200 },
		{ 30, -100, 1 },	/* keepalived: "Changing effective priority from 30 to 1" */
		{ 200, 100, 254 },	/* "from 200 to 254": weights never make an owner */
		{ 254, 1, 254 }, { 1, -1, 1 }, { 2, -1, 1 }, { 253, 1, 254 },
		{ 255, -60, 255 },	/* owner: "ignoring tracked script ... due to address_owner" */
		{ 255, 10, 255 }, { 100, INT_MAX, 254 }, { 100, INT_MIN, 1 },
	};
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		uint8_t got = vrrp_fsm_eff_prio(t[i].base, t[i].sum);

		if (got != t[i].want)
			fail_msg("base %u sum %d: %u, want %u", t[i].base, t[i].sum, got, t[i].want);
	}
}

/* A sequence of events through one FSM; each step's state, why, and timers. */
struct tl_step {
	struct vrrp_fsm_in in;
	enum vrrp_state state;
	enum vrrp_why why;
	uint64_t down_us;	/* checked when ARM_DOWN is set; ~0 wants no ARM_DOWN */
};
#define NO_DOWN UINT64_MAX

static void run_timeline(const char *what, const struct vrrp_fsm_conf *cfg,
			 const struct tl_step *t, size_t n)
{
	struct vrrp_fsm st;
	struct vrrp_fsm_out out;

	vrrp_fsm_init(cfg, &st);
	for (size_t i = 0; i < n; i++) {
		vrrp_fsm_step(cfg, &st, &t[i].in, &out);
		if (out.state != t[i].state || out.why != t[i].why)
			fail_msg("%s step %zu (%s at %llu us): %s/%s, want %s/%s", what, i,
				 vrrp_ev_str(t[i].in.ev), (unsigned long long)t[i].in.now_us,
				 vrrp_state_str(out.state), vrrp_why_str(out.why),
				 vrrp_state_str(t[i].state), vrrp_why_str(t[i].why));
		if (t[i].down_us == NO_DOWN ? (out.acts & VRRP_ACT_ARM_DOWN) != 0 :
		    !(out.acts & VRRP_ACT_ARM_DOWN) || out.down_us != t[i].down_us)
			fail_msg("%s step %zu: ARM_DOWN %d %llu, want %llu", what, i,
				 !!(out.acts & VRRP_ACT_ARM_DOWN), (unsigned long long)out.down_us,
				 (unsigned long long)t[i].down_us);
	}
}

#define T_EV(e, t) { .ev = VRRP_EV_##e, .now_us = (t) }

/*
 * keepalived 2.2.7 run with preempt_delay 7.5, priority 200, a priority-100 master
 * sending from 0.991 s (times from its log): "start preempt delay (7.500000)" at
 * 0.991, adverts accepted up to 7.991, "received lower priority (100) advert ... -
 * discarding" from 8.991, "Receive advertisement timeout" at 11.217 (7.991 + 3.219).
 * Then a priority-250 advert sends it back to BACKUP and the delay starts again.
 */
static void test_timeline_preempt_delay(void **state)
{
	static const struct vrrp_fsm_conf cfg = { .priority = 200, .version = 2,
						  .adver_int_cs = 100, .preempt = true,
						  .preempt_delay_us = 7500000 };
	static const struct tl_step t[] = {
		{ T_EV(START, 66000), B, VRRP_WHY_INIT, DOWN_200 },
		{ RX_AT(100, 991000), B, VRRP_WHY_RX_PREEMPT_DELAY_START, DOWN_200 },
		{ RX_AT(100, 1991000), B, VRRP_WHY_RX_PREEMPT_WAIT, DOWN_200 },
		{ RX_AT(100, 6991000), B, VRRP_WHY_RX_PREEMPT_WAIT, DOWN_200 },
		{ RX_AT(100, 7991000), B, VRRP_WHY_RX_PREEMPT_WAIT, DOWN_200 },
		{ RX_AT(100, 8991000), B, VRRP_WHY_RX_LOWER_DISCARD, NO_DOWN },
		{ RX_AT(100, 9991000), B, VRRP_WHY_RX_LOWER_DISCARD, NO_DOWN },
		{ RX_AT(100, 10991000), B, VRRP_WHY_RX_LOWER_DISCARD, NO_DOWN },
		{ T_EV(MASTER_DOWN, 7991000 + DOWN_200), M, VRRP_WHY_DOWN_TIMEOUT, NO_DOWN },
		{ RX_AT(100, 11497000), M, VRRP_WHY_RX_LOWER_MASTER, NO_DOWN },
		{ RX_AT(250, 12851000), B, VRRP_WHY_RX_HIGHER, DOWN_200 },
		{ RX_AT(100, 13498000), B, VRRP_WHY_RX_PREEMPT_DELAY_START, DOWN_200 },
		{ RX_AT(100, 20498000), B, VRRP_WHY_RX_PREEMPT_WAIT, DOWN_200 },
		{ RX_AT(100, 21498000), B, VRRP_WHY_RX_LOWER_DISCARD, NO_DOWN },
		{ T_EV(FAULT, 21600000), F, VRRP_WHY_FAULT, NO_DOWN },
		{ T_EV(FAULT_CLEAR, 22000000), B, VRRP_WHY_FAULT_CLEAR, DOWN_200 },
		{ RX_AT(100, 22498000), B, VRRP_WHY_RX_PREEMPT_DELAY_START, DOWN_200 },
	};
	(void)state;
	run_timeline("preempt_delay", &cfg, t, ARRAY_SIZE(t));
}

/*
 * Two routers as keepalived showed them: A (100) alone becomes master after
 * 3.609 s, a lower advert is answered, a higher one sends A back, the higher
 * master's priority 0 makes A master after skew time, and A's stop sends priority 0.
 */
static void test_timeline_takeover(void **state)
{
	static const struct tl_step t[] = {
		{ T_EV(START, 0), B, VRRP_WHY_INIT, DOWN_100 },
		{ T_EV(MASTER_DOWN, DOWN_100), M, VRRP_WHY_DOWN_TIMEOUT, NO_DOWN },
		{ T_EV(ADVER_TIMER, DOWN_100 + SEC), M, VRRP_WHY_SEND, NO_DOWN },
		{ RX_AT(90, 5000000), M, VRRP_WHY_RX_LOWER_MASTER, NO_DOWN },
		{ RX_AT(0, 6000000), M, VRRP_WHY_RX_PRIO0_MASTER, NO_DOWN },
		{ RX_AT(200, 7000000), B, VRRP_WHY_RX_HIGHER, DOWN_100 },
		{ RX_AT(200, 8000000), B, VRRP_WHY_RX_ACCEPT, DOWN_100 },
		{ RX_AT(0, 8500000), B, VRRP_WHY_RX_PRIO0_BACKUP, SKEW_100 },
		{ T_EV(MASTER_DOWN, 8500000 + SKEW_100), M, VRRP_WHY_DOWN_TIMEOUT, NO_DOWN },
		{ T_EV(FAULT, 10000000), F, VRRP_WHY_FAULT, NO_DOWN },
		{ RX_AT(200, 10500000), F, VRRP_WHY_NONE, NO_DOWN },
		{ T_EV(FAULT_CLEAR, 11000000), B, VRRP_WHY_FAULT_CLEAR, DOWN_100 },
		{ .in = PRIO_AT(150, 12000000), B, VRRP_WHY_PRIO, 11000000 + DOWN_150 - 12000000 },
		{ T_EV(MASTER_DOWN, 11000000 + DOWN_150), M, VRRP_WHY_DOWN_TIMEOUT, NO_DOWN },
		{ T_EV(STOP, 15000000), S, VRRP_WHY_STOP, NO_DOWN },
		{ RX_AT(200, 15500000), S, VRRP_WHY_NONE, NO_DOWN },
	};
	(void)state;
	run_timeline("takeover", &confs[C_V2], t, ARRAY_SIZE(t));
}

/* v3: a backup adopts the master's interval, keeps it for priority 0, drops it as master. */
static void test_timeline_v3_interval(void **state)
{
	const struct vrrp_fsm_conf *cfg = &confs[C_V3];
	struct vrrp_fsm st;
	struct vrrp_fsm_out out;
	struct vrrp_fsm_in in = { .ev = VRRP_EV_START };
	(void)state;

	vrrp_fsm_init(cfg, &st);
	vrrp_fsm_step(cfg, &st, &in, &out);
	in = (struct vrrp_fsm_in){ .ev = VRRP_EV_ADVERT, .peer_prio = 200, .peer_adver_int_cs = 200 };
	vrrp_fsm_step(cfg, &st, &in, &out);
	assert_int_equal(out.old_adver_int_cs, 100);
	assert_int_equal(st.master_adver_int_cs, 200);
	in.peer_adver_int_cs = 50;
	vrrp_fsm_step(cfg, &st, &in, &out);
	assert_int_equal(out.old_adver_int_cs, 200);
	assert_int_equal(st.master_adver_int_cs, 50);
	/* keepalived: prio 0 at 200 cs after 50 cs was learnt -> master 0.307 s later */
	in = (struct vrrp_fsm_in){ .ev = VRRP_EV_ADVERT, .peer_prio = 0, .peer_adver_int_cs = 200 };
	vrrp_fsm_step(cfg, &st, &in, &out);
	assert_int_equal(out.old_adver_int_cs, 0);
	assert_int_equal(out.down_us, 304687);
	in = (struct vrrp_fsm_in){ .ev = VRRP_EV_MASTER_DOWN };
	vrrp_fsm_step(cfg, &st, &in, &out);
	assert_int_equal(out.state, VRRP_STATE_MASTER);
	assert_int_equal(out.old_adver_int_cs, 50);
	assert_int_equal(st.master_adver_int_cs, 100);
	assert_int_equal(out.adver_us, SEC);
}

/* A respawn after a crash (vrrp_resume.c): START -> MASTER at once, no notify; a fault wins. */
static void test_start_resume(void **state)
{
	const struct vrrp_fsm_conf *cfg = &confs[C_V3];
	struct vrrp_fsm st;
	struct vrrp_fsm_out out;
	struct vrrp_fsm_in in = { .ev = VRRP_EV_START, .resume_master = true };
	(void)state;

	vrrp_fsm_init(cfg, &st);
	vrrp_fsm_step(cfg, &st, &in, &out);
	assert_int_equal(st.state, VRRP_STATE_MASTER);
	assert_int_equal(out.why, VRRP_WHY_RESUME);
	assert_true(out.acts & VRRP_ACT_SEND_ADVERT);
	assert_true(out.acts & VRRP_ACT_ADD_VIPS);
	assert_true(out.acts & VRRP_ACT_ARM_ADVER);
	assert_false(out.acts & VRRP_ACT_NOTIFY);
	assert_int_equal(out.adver_us, (uint64_t)cfg->adver_int_cs * 10000);

	vrrp_fsm_init(cfg, &st);
	in = (struct vrrp_fsm_in){ .ev = VRRP_EV_FAULT };
	vrrp_fsm_step(cfg, &st, &in, &out);
	in = (struct vrrp_fsm_in){ .ev = VRRP_EV_START, .resume_master = true };
	vrrp_fsm_step(cfg, &st, &in, &out);
	assert_int_equal(st.state, VRRP_STATE_FAULT);
}

static void test_strings(void **state)
{
	static const char *const want[] = { "INIT", "BACKUP", "MASTER", "FAULT", "STOP" };
	(void)state;

	for (int s = 0; s < VRRP_STATE__COUNT; s++)
		assert_string_equal(vrrp_state_str(s), want[s]);
	assert_string_equal(vrrp_state_str(VRRP_STATE__COUNT), "UNKNOWN");
	assert_string_equal(vrrp_state_str((enum vrrp_state)-1), "UNKNOWN");
	for (int e = 0; e < VRRP_EV__COUNT; e++)
		assert_non_null(vrrp_ev_str(e));
	assert_string_equal(vrrp_ev_str(VRRP_EV__COUNT), "unknown");
	for (int w = 0; w < VRRP_WHY__COUNT; w++) {
		assert_non_null(vrrp_why_str(w));
		for (int v = 0; v < w; v++)
			if (!strcmp(vrrp_why_str(w), vrrp_why_str(v)))
				fail_msg("why %d and %d share the name %s", v, w, vrrp_why_str(w));
	}
	assert_string_equal(vrrp_why_str(VRRP_WHY__COUNT), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_table_covers_all),
		cmocka_unit_test(test_timers),
		cmocka_unit_test(test_eff_prio),
		cmocka_unit_test(test_timeline_preempt_delay),
		cmocka_unit_test(test_timeline_takeover),
		cmocka_unit_test(test_timeline_v3_interval),
		cmocka_unit_test(test_start_resume),
		cmocka_unit_test(test_strings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
