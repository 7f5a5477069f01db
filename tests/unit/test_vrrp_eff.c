// SPDX-License-Identifier: GPL-2.0-or-later
/* tests/unit/test_vrrp_eff.c: an instance's effective settings from its block and global_defs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>

#include <cmocka.h>

#include "utils.h"
#include "vrrp/vrrp_eff.h"
#include "vrrp/vrrp_pkt.h"

/* A row's want starts from WANT_BASE and overrides some fields. */
#pragma GCC diagnostic ignored "-Woverride-init"
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

/* A boolean keyword of the instance: not written (global_defs' value), or written as off/on. */
enum { UNSET, OFF, ON };

/* What a row changes from the base: an IPv4 instance on eth0, VRID 51, priority 100, 1 s. */
struct in {
	sa_family_t family;		/* 0: AF_INET */
	uint8_t version;		/* 0: global_defs' */
	uint32_t advert_int_us;		/* 0: 1 s */
	enum vc_auth auth;
	int priority;			/* 0: 100; -1: not written */
	bool nopreempt, state_master;
	bool no_state;			/* state not written */
	signed char skip_check_adv_addr, lower_prio_no_advert;	/* 0: unset (-1) */
	int garp_master_repeat;		/* 0: unset */
	const char *mcast_dst, *mcast_src, *unicast_src, *peer;
	int unicast_ttl;		/* 0: unset */
	uint8_t down_timer_adverts;	/* 0: unset */
	bool check_unicast_src;
	int owner_ignore_adverts;	/* UNSET, OFF, ON */
	/* global_defs */
	unsigned g_version;		/* 0: 2 */
	const char *g_group4;		/* NULL: 224.0.0.18 */
	bool g_min_garp, g_skip_check_adv_addr, g_lower_prio_no_advert, g_check_unicast_src;
	unsigned g_down_timer_adverts;	/* 0: 3 */
	bool g_owner_ignore_adverts;
};

struct want {
	uint8_t version;
	uint16_t adver_int_cs;
	const char *group;		/* NULL: none (unicast) */
	const char *src;		/* NULL: the interface's */
	int proto;
	enum vrrp_auth_type auth;
	bool unicast;
	uint8_t unicast_ttl;
	unsigned garp_master_repeat;
	uint64_t garp_master_delay_us;
	uint8_t priority;		/* 0: 100 */
	bool preempt, init_master;
	bool skip_check_adv_addr, lower_prio_no_advert, check_unicast_src;
	bool version_forced, adver_int_rounded, auth_ignored, nopreempt_cleared;
	uint8_t down_timer_adverts;
	bool owner_ignore_adverts;
};

#define WANT_BASE .version = 2, .adver_int_cs = 100, .group = "224.0.0.18", .proto = VRRP_PROTO, \
		  .garp_master_repeat = 5, .garp_master_delay_us = 5000000, .preempt = true, \
		  .down_timer_adverts = 3
#define W(...) { WANT_BASE, __VA_ARGS__ }

static const struct row {
	const char *what;
	struct in in;
	struct want w;
} rows[] = {
	{ "defaults: global_defs' version, group and GARP settings", {}, W() },
	{ "the instance's version beats global_defs'", { .version = 3, .g_version = 2 },
	  W(.version = 3) },
	{ "global_defs' version 3", { .g_version = 3 }, W(.version = 3) },
	{ "IPv6 asking for v2 gets v3, and a warning", { .family = AF_INET6, .version = 2 },
	  W(.version = 3, .group = "ff02::12", .version_forced = true) },
	{ "v2 advert_int 1.5 s: whole seconds", { .advert_int_us = 1500000 },
	  W(.adver_int_cs = 100, .adver_int_rounded = true) },
	{ "v2 advert_int 0.5 s: 1 s", { .advert_int_us = 500000 },
	  W(.adver_int_cs = 100, .adver_int_rounded = true) },
	{ "v3 advert_int 0.5 s as it is", { .version = 3, .advert_int_us = 500000 },
	  W(.version = 3, .adver_int_cs = 50) },
	{ "a changed vrrp_mcast_group4 reaches the instance", { .g_group4 = "224.0.0.19" },
	  W(.group = "224.0.0.19") },
	{ "mcast_dst_ip beats global_defs' group", { .mcast_dst = "224.0.0.20",
						    .g_group4 = "224.0.0.19" },
	  W(.group = "224.0.0.20") },
	{ "unicast: no group, TTL given", { .peer = "192.0.2.2", .unicast_ttl = 64 },
	  W(.group = NULL, .unicast = true, .unicast_ttl = 64) },
	{ "unicast_src_ip with peers", { .peer = "192.0.2.2", .unicast_src = "192.0.2.9" },
	  W(.group = NULL, .unicast = true, .src = "192.0.2.9") },
	{ "mcast_src_ip", { .mcast_src = "192.0.2.8" }, W(.src = "192.0.2.8") },
	{ "unicast_src_ip without peers is not used", { .unicast_src = "192.0.2.9" }, W() },
	{ "the instance's garp_master_repeat", { .garp_master_repeat = 2 },
	  W(.garp_master_repeat = 2) },
	{ "vrrp_min_garp: one GARP, no delayed set", { .garp_master_repeat = 2, .g_min_garp = true },
	  W(.garp_master_repeat = 1, .garp_master_delay_us = 0) },
	{ "skip_check_adv_addr from global_defs", { .g_skip_check_adv_addr = true },
	  W(.skip_check_adv_addr = true) },
	{ "skip_check_adv_addr off in the instance beats global_defs",
	  { .skip_check_adv_addr = 0 + 2, .g_skip_check_adv_addr = true }, W() },
	{ "lower_prio_no_advert from global_defs", { .g_lower_prio_no_advert = true },
	  W(.lower_prio_no_advert = true) },
	{ "vrrp_check_unicast_src from global_defs", { .g_check_unicast_src = true },
	  W(.check_unicast_src = true) },
	{ "check_unicast_src in the instance", { .check_unicast_src = true },
	  W(.check_unicast_src = true) },
	{ "vrrp_down_timer_adverts from global_defs", { .g_down_timer_adverts = 5 },
	  W(.down_timer_adverts = 5) },
	{ "the instance's down_timer_adverts beats global_defs'",
	  { .down_timer_adverts = 6, .g_down_timer_adverts = 2 }, W(.down_timer_adverts = 6) },
	{ "down_timer_adverts 1 in the instance", { .down_timer_adverts = 1 },
	  W(.down_timer_adverts = 1) },
	{ "vrrp_owner_ignore_adverts from global_defs", { .g_owner_ignore_adverts = true },
	  W(.owner_ignore_adverts = true) },
	{ "owner_ignore_adverts in the instance", { .owner_ignore_adverts = ON },
	  W(.owner_ignore_adverts = true) },
	{ "owner_ignore_adverts off in the instance beats global_defs",
	  { .owner_ignore_adverts = OFF, .g_owner_ignore_adverts = true }, W() },
	{ "PASS with v2", { .auth = VC_AUTH_PASS }, W(.auth = VRRP_AUTH_PASS) },
	{ "AH with v2: IP protocol 51", { .auth = VC_AUTH_AH },
	  W(.auth = VRRP_AUTH_AH, .proto = VRRP_PROTO_AH) },
	{ "authentication with v3: ignored, and a warning", { .auth = VC_AUTH_AH, .version = 3 },
	  W(.version = 3, .auth_ignored = true) },
	{ "nopreempt with state MASTER: cleared, and a warning",
	  { .nopreempt = true, .state_master = true },
	  W(.preempt = false, .init_master = true, .nopreempt_cleared = true) },
	{ "nopreempt", { .nopreempt = true }, W(.preempt = false) },
	{ "state MASTER without priority: 255, the address owner", { .state_master = true,
								     .priority = -1 },
	  W(.priority = 255, .init_master = true) },
	{ "state MASTER with priority 100: a MASTER that waits like a backup",
	  { .state_master = true }, W(.init_master = true) },
	{ "priority 255 without state: state MASTER", { .priority = 255, .no_state = true },
	  W(.priority = 255, .init_master = true) },
	{ "priority 255 with state BACKUP stays BACKUP", { .priority = 255 },
	  W(.priority = 255) },
	{ "neither state nor priority: 100, BACKUP", { .priority = -1, .no_state = true }, W() },
	{ "state BACKUP without priority: 100", { .priority = -1 }, W() },
	{ "priority 200 without state: BACKUP", { .priority = 200, .no_state = true },
	  W(.priority = 200) },
	{ "nopreempt with priority 255 and state BACKUP: the owner preempts",
	  { .nopreempt = true, .priority = 255 }, W(.priority = 255) },
	{ "nopreempt, neither state nor priority: kept",
	  { .nopreempt = true, .priority = -1, .no_state = true }, W(.preempt = false) },
	{ "nopreempt with state MASTER alone: priority 255, cleared, and a warning",
	  { .nopreempt = true, .state_master = true, .priority = -1 },
	  W(.priority = 255, .init_master = true, .nopreempt_cleared = true) },
};

static struct inet_addr addr(const char *s)
{
	struct inet_addr a = { 0 };

	if (!s)
		return a;
	a.family = strchr(s, ':') ? AF_INET6 : AF_INET;
	assert_int_equal(inet_pton(a.family, s, &a.v4), 1);
	return a;
}

static const char *str(const struct inet_addr *a, char *b)
{
	return a->family ? inet_addr_str(a, b, INET6_ADDRSTRLEN) : "(none)";
}

/* The instance block and global_defs of a row. */
static void setup(const struct in *in, struct vc_instance *c, struct vc_more *m, struct vc_peer *p,
		  struct gd_vrrp *gd)
{
	*m = vc_more_default;
	*c = (struct vc_instance){
		.interface = "eth0", .more = m, .vrid = 51,
		.priority = in->priority > 0 ? in->priority : 100,
		.has_priority = in->priority >= 0, .has_state = !in->no_state,
		.advert_int_us = in->advert_int_us ? in->advert_int_us : 1000000,
		.version = in->version, .family = in->family ? in->family : AF_INET,
		.auth_type = in->auth, .nopreempt = in->nopreempt,
		.state = in->state_master ? VC_STATE_MASTER : VC_STATE_BACKUP,
	};
	if (in->skip_check_adv_addr)
		m->skip_check_adv_addr = in->skip_check_adv_addr - 2;	/* 2: written as 0 */
	if (in->lower_prio_no_advert)
		m->lower_prio_no_advert = in->lower_prio_no_advert;
	if (in->garp_master_repeat)
		m->garp_master_repeat = in->garp_master_repeat;
	m->mcast_dst = addr(in->mcast_dst);
	m->mcast_src = addr(in->mcast_src);
	m->unicast_src = addr(in->unicast_src);
	if (in->peer) {
		*p = (struct vc_peer){ .addr = addr(in->peer), .min_ttl = -1, .max_ttl = -1 };
		m->peers = p;
		m->n_peers = 1;
	}
	if (in->unicast_ttl)
		m->unicast_ttl = in->unicast_ttl;
	m->down_timer_adverts = in->down_timer_adverts;
	m->check_unicast_src = in->check_unicast_src;
	if (in->owner_ignore_adverts != UNSET)
		m->owner_ignore_adverts = in->owner_ignore_adverts == ON;
	*gd = (struct gd_vrrp){
		.version = in->g_version ? in->g_version : 2,
		.mcast_group4 = addr(in->g_group4 ? in->g_group4 : "224.0.0.18"),
		.mcast_group6 = addr("ff02::12"),
		.garp_master_delay_us = 5000000, .garp_master_repeat = 5,
		.garp_lower_prio_delay_us = 5000000, .garp_lower_prio_repeat = 0,
		.min_garp = in->g_min_garp,
		.down_timer_adverts = in->g_down_timer_adverts ? in->g_down_timer_adverts : 3,
		.owner_ignore_adverts = in->g_owner_ignore_adverts,
		.lower_prio_no_advert = in->g_lower_prio_no_advert,
		.skip_check_adv_addr = in->g_skip_check_adv_addr,
		.check_unicast_src = in->g_check_unicast_src,
	};
}

#define CHECK(field, fmt)						\
	do {								\
		if (e.field != r->w.field)				\
			fail_msg("%s: " #field " " fmt ", want " fmt, r->what, e.field, r->w.field); \
	} while (0)

static void test_compute(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
		const struct row *r = &rows[i];
		struct vc_instance c;
		struct vc_more m;
		struct vc_peer p;
		struct gd_vrrp gd;
		struct vrrp_eff e;
		struct inet_addr want_group = addr(r->w.group), want_src = addr(r->w.src);
		char b1[INET6_ADDRSTRLEN], b2[INET6_ADDRSTRLEN];

		setup(&r->in, &c, &m, &p, &gd);
		vrrp_eff_compute(&c, &gd, &e);
		CHECK(version, "%u");
		if (e.fc.version != e.version)
			fail_msg("%s: the FSM's version %u, want %u", r->what, e.fc.version, e.version);
		if (e.fc.adver_int_cs != r->w.adver_int_cs)
			fail_msg("%s: adver_int_cs %u, want %u", r->what, e.fc.adver_int_cs,
				 r->w.adver_int_cs);
		if (e.group.family != want_group.family ||
		    (want_group.family && !inet_addr_eq(&e.group, &want_group)))
			fail_msg("%s: group %s, want %s", r->what, str(&e.group, b1),
				 str(&want_group, b2));
		if (e.src.family != want_src.family ||
		    (want_src.family && !inet_addr_eq(&e.src, &want_src)))
			fail_msg("%s: src %s, want %s", r->what, str(&e.src, b1), str(&want_src, b2));
		CHECK(proto, "%d");
		CHECK(auth, "%d");
		CHECK(unicast, "%d");
		CHECK(unicast_ttl, "%u");
		if (e.garp.master_repeat != r->w.garp_master_repeat ||
		    e.garp.master_delay_us != r->w.garp_master_delay_us)
			fail_msg("%s: garp repeat %u delay %llu, want %u %llu", r->what,
				 e.garp.master_repeat, (unsigned long long)e.garp.master_delay_us,
				 r->w.garp_master_repeat,
				 (unsigned long long)r->w.garp_master_delay_us);
		if (e.fc.preempt != r->w.preempt || e.fc.init_master != r->w.init_master)
			fail_msg("%s: preempt %d init_master %d, want %d %d", r->what, e.fc.preempt,
				 e.fc.init_master, r->w.preempt, r->w.init_master);
		CHECK(skip_check_adv_addr, "%d");
		if (e.fc.lower_prio_no_advert != r->w.lower_prio_no_advert)
			fail_msg("%s: lower_prio_no_advert %d, want %d", r->what,
				 e.fc.lower_prio_no_advert, r->w.lower_prio_no_advert);
		CHECK(check_unicast_src, "%d");
		if (e.fc.down_timer_adverts != r->w.down_timer_adverts)
			fail_msg("%s: down_timer_adverts %u, want %u", r->what, e.fc.down_timer_adverts,
				 r->w.down_timer_adverts);
		if (e.fc.owner_ignore_adverts != r->w.owner_ignore_adverts)
			fail_msg("%s: owner_ignore_adverts %d, want %d", r->what,
				 e.fc.owner_ignore_adverts, r->w.owner_ignore_adverts);
		CHECK(version_forced, "%d");
		CHECK(adver_int_rounded, "%d");
		CHECK(auth_ignored, "%d");
		CHECK(nopreempt_cleared, "%d");
		if (strcmp(e.interface, "eth0") || e.vrid != 51)
			fail_msg("%s: identity changed", r->what);
		if (e.fc.priority != (r->w.priority ? r->w.priority : 100))
			fail_msg("%s: priority %u, want %u", r->what, e.fc.priority,
				 r->w.priority ? r->w.priority : 100);
		if (!vrrp_eff_same(&e, &e))
			fail_msg("%s: not the same as itself", r->what);
	}
}

/* vrrp_strict / strict_mode and accept mode (keepalived 2.2.7's vrrp_complete_instance). */
static const struct strict_row {
	const char *what;
	bool g_strict;
	int strict_mode;		/* UNSET, OFF, ON */
	int accept;			/* UNSET, OFF (no_accept), ON */
	uint8_t priority, version;	/* 0: 100, 3 */
	bool state_master;
	bool auth, preempt_delay, down5, garp_lower, lower_off, higher_on;
	/* want */
	bool strict, want_accept, firewall, init_master;
	uint16_t fixes;
} strict_rows[] = {
	{ "no strict: accept mode, no firewall", .want_accept = true },
	{ "no strict, no_accept: the firewall", .accept = OFF, .firewall = true },
	{ "no_accept at priority 255: the owner always accepts", .accept = OFF, .priority = 255,
	  .state_master = true, .want_accept = false, .init_master = true },
	{ "strict: no accept mode below 255", .g_strict = true, .strict = true, .firewall = true },
	{ "strict, owner: accept mode", .g_strict = true, .priority = 255, .state_master = true,
	  .strict = true, .want_accept = true, .init_master = true },
	{ "strict with accept (VRRPv3): accepted", .g_strict = true, .accept = ON, .strict = true,
	  .want_accept = true },
	{ "strict with accept (VRRPv2): reset", .g_strict = true, .accept = ON, .version = 2,
	  .strict = true, .firewall = true, .fixes = VRRP_EFF_FIX_ACCEPT_V2 },
	{ "strict_mode off beats vrrp_strict", .g_strict = true, .strict_mode = OFF,
	  .want_accept = true },
	{ "strict_mode on without vrrp_strict", .strict_mode = ON, .strict = true, .firewall = true },
	{ "strict: state MASTER below 255 starts as BACKUP", .g_strict = true, .state_master = true,
	  .strict = true, .firewall = true, .fixes = VRRP_EFF_FIX_STATE },
	{ "strict: everything it forbids, reset", .g_strict = true, .version = 2, .auth = true,
	  .preempt_delay = true, .down5 = true, .garp_lower = true, .lower_off = true,
	  .higher_on = true, .strict = true, .firewall = true,
	  .fixes = VRRP_EFF_FIX_AUTH | VRRP_EFF_FIX_PREEMPT_DELAY | VRRP_EFF_FIX_DOWN_TIMER |
		   VRRP_EFF_FIX_GARP_REPEAT | VRRP_EFF_FIX_GARP_DELAY |
		   VRRP_EFF_FIX_LOWER_NO_ADVERT | VRRP_EFF_FIX_HIGHER_ADVERT },
	{ "no strict: the same settings stay", .version = 2, .auth = true, .preempt_delay = true,
	  .down5 = true, .garp_lower = true, .lower_off = true, .higher_on = true,
	  .want_accept = true },
};

static void test_strict(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(strict_rows); i++) {
		const struct strict_row *r = &strict_rows[i];
		struct in in = { .priority = r->priority, .state_master = r->state_master,
				 .version = r->version ? r->version : 3,
				 .auth = r->auth ? VC_AUTH_PASS : VC_AUTH_NONE,
				 .down_timer_adverts = r->down5 ? 5 : 0};
		struct vc_instance c;
		struct vc_more m;
		struct vc_peer p;
		struct gd_vrrp gd;
		struct vrrp_eff e;

		setup(&in, &c, &m, &p, &gd);
		strcpy(m.auth_pass, "secret");
		gd.strict = r->g_strict;
		c.has_strict_mode = r->strict_mode != UNSET;
		c.strict_mode = r->strict_mode == ON;
		c.has_accept = r->accept != UNSET;
		c.accept = r->accept == ON;
		if (r->preempt_delay)
			c.preempt_delay_us = 2000000;
		if (r->garp_lower) {
			m.garp_lower_prio_repeat = 2;
			m.garp_lower_prio_delay_us = 1000000;
		}
		if (r->lower_off)
			m.lower_prio_no_advert = 0;
		if (r->higher_on)
			m.higher_prio_send_advert = 1;
		vrrp_eff_compute(&c, &gd, &e);
		if (e.strict != r->strict || e.accept != r->want_accept || e.firewall != r->firewall)
			fail_msg("%s: strict %d accept %d firewall %d, want %d %d %d", r->what, e.strict,
				 e.accept, e.firewall, r->strict, r->want_accept, r->firewall);
		if (e.strict_fixes != r->fixes)
			fail_msg("%s: fixes 0x%x, want 0x%x", r->what, e.strict_fixes, r->fixes);
		if (e.fc.init_master != r->init_master)
			fail_msg("%s: init_master %d, want %d", r->what, e.fc.init_master,
				 r->init_master);
		if (r->strict && (e.auth != VRRP_AUTH_NONE || e.fc.preempt_delay_us ||
				  e.fc.down_timer_adverts != 3 || e.garp.lower_prio_repeat ||
				  e.garp.lower_prio_delay_us || !e.fc.lower_prio_no_advert ||
				  e.fc.higher_prio_send_advert))
			fail_msg("%s: a setting strict mode forbids is left", r->what);
		if (!r->strict && r->auth && (e.auth != VRRP_AUTH_PASS || !e.fc.preempt_delay_us ||
					      e.fc.down_timer_adverts != 5 ||
					      e.garp.lower_prio_repeat != 2 || e.fc.lower_prio_no_advert ||
					      !e.fc.higher_prio_send_advert))
			fail_msg("%s: a setting changed without strict mode", r->what);
		for (unsigned k = 0; k < VRRP_EFF_FIX__COUNT; k++)
			if (!vrrp_eff_strict_line(k))
				fail_msg("fix %u has no line", k);
	}
}

/* What restarts an instance, and what a reload applies in place. */
static void test_identity(void **state)
{
	static const struct {
		const char *what;
		struct in in;
		const char *iface;
		uint8_t vrid;
		const char *change;	/* NULL: the same router */
		bool same;		/* every setting equal */
	} cases[] = {
		{ "nothing changed", {}, "eth0", 51, NULL, true },
		{ "another interface", {}, "eth1", 51, "interface changed (eth0 -> eth1)" },
		{ "another VRID", {}, "eth0", 52, "virtual_router_id changed (51 -> 52)" },
		{ "IPv6 now", { .family = AF_INET6 }, "eth0", 51,
		  "address family changed (IPv4 -> IPv6)" },
		{ "unicast now", { .peer = "192.0.2.2" }, "eth0", 51,
		  "unicast_peer changed (multicast -> unicast)" },
		{ "priority: in place", {}, "eth0", 51, NULL, false },
		{ "global_defs' group: in place", { .g_group4 = "224.0.0.19" }, "eth0", 51, NULL },
		{ "GARP repeat: in place", { .garp_master_repeat = 3 }, "eth0", 51, NULL },
		{ "advert_int: in place", { .version = 2, .advert_int_us = 2000000 }, "eth0", 51, NULL },
	};
	struct vc_instance c0, c;
	struct vc_more m0, m;
	struct vc_peer p0, p;
	struct gd_vrrp gd0, gd;
	struct vrrp_eff a, b;
	char what[128];

	(void)state;
	setup(&(struct in){ 0 }, &c0, &m0, &p0, &gd0);
	vrrp_eff_compute(&c0, &gd0, &a);
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		bool changed;

		setup(&cases[i].in, &c, &m, &p, &gd);
		c.interface = cases[i].iface;
		c.vrid = cases[i].vrid;
		if (!strcmp(cases[i].what, "priority: in place"))
			c.priority = 150;
		vrrp_eff_compute(&c, &gd, &b);
		changed = vrrp_eff_identity_change(&a, &b, what, sizeof(what));
		if (changed != !!cases[i].change || (changed && strcmp(what, cases[i].change)))
			fail_msg("%s: got %s, want %s", cases[i].what, changed ? what : "(same)",
				 cases[i].change ? cases[i].change : "(same)");
		if (vrrp_eff_same(&a, &b) != cases[i].same)
			fail_msg("%s: same %d, want %d", cases[i].what, !cases[i].same, cases[i].same);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compute),
		cmocka_unit_test(test_identity),
		cmocka_unit_test(test_strict),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
