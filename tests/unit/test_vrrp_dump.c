// SPDX-License-Identifier: GPL-2.0-or-later
/* tests/unit/test_vrrp_dump.c: the dumps' address lines and counters, as keepalived 2.2.7's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vrrp/vrrp_ctx.h"
#include "vrrp/vrrp_dump.h"
#include "vrrp/vrrp_inst.h"
#include "vrrp/vrrp_ipaddr.h"

/* a virtual_ipaddress line, split on spaces, on eth0 unless it says dev */
static const char *line(const char *text, bool set, char *buf, size_t size)
{
	char *copy = strdup(text), *argv[16], *save = NULL;
	struct vrrp_ipaddr a;
	int argc = 0;

	for (char *w = strtok_r(copy, " ", &save); w && argc < 16; w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	assert_int_equal(vrrp_ipaddr_parse(argc, argv, VRRP_IPADDR_VIP, "eth0", &a, NULL),
			 VRRP_IPADDR_OK);
	vrrp_dump_ipaddr(&a, set, buf, size);
	free(copy);
	return buf;
}

static void test_ipaddr(void **state)
{
	static const struct {
		const char *conf;
		bool set;
		const char *want;
	} cases[] = {
		/* keepalived-exporter's ParseVIP takes the 1st word and the 3rd (the device) */
		{ "192.0.2.100/24", true, "192.0.2.100/24 dev eth0 scope global set" },
		{ "192.0.2.101", false, "192.0.2.101 dev eth0 scope global" },
		{ "192.0.2.102/32 dev eth1", true, "192.0.2.102 dev eth1 scope global set" },
		{ "192.0.2.103/24 brd 192.0.2.255 dev eth0 scope link label eth0:vi",
		  false, "192.0.2.103/24 brd 192.0.2.255 dev eth0 scope link label eth0:vi" },
		{ "2001:db8::64/64", true,
		  "2001:db8::64/64 dev eth0 scope global preferred_lft forever set" },
		{ "2001:db8::65 -nodad no_track", false,
		  "2001:db8::65 dev eth0 scope global -nodad no_track preferred_lft forever" },
		{ "2001:db8::66/64 preferred_lft 0", false,
		  "2001:db8::66/64 dev eth0 scope global deprecated" },
	};
	char buf[256];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_string_equal(line(cases[i].conf, cases[i].set, buf, sizeof(buf)),
				    cases[i].want);
}

/* 2.2.7's groups of drop reasons: the stats dump's and the JSON's counters */
static void test_counters(void **state)
{
	uint64_t drops[VRRP_DROP__COUNT] = { 0 };
	struct vrrp_inst vi = {
		.n_adverts_rx = 7, .n_adverts_tx = 9, .n_became_master = 2, .n_prio0_rx = 1,
		.n_prio0_tx = 3, .dump_n_released_master = 1, .n_drop = drops,
	};
	struct vrrp_dump_counters c;

	drops[VRRP_DROP_TTL] = 4;
	drops[VRRP_DROP_SHORT] = 1;
	drops[VRRP_DROP_LENGTH] = 2;
	drops[VRRP_DROP_NADDR] = 5;
	drops[VRRP_DROP_ADDRS] = 1;
	drops[VRRP_DROP_AUTH_TYPE] = 6;
	drops[VRRP_DROP_AUTH] = 8;
	drops[VRRP_DROP_ADVER_INT] = 3;
	drops[VRRP_DROP_TYPE] = 10;
	drops[VRRP_DROP_CHECKSUM] = 11;	/* 2.2.7 counts no line for it */
	vrrp_dump_counters(&vi, &c);
	assert_int_equal(c.advert_rcvd, 7);
	assert_int_equal(c.advert_sent, 9);
	assert_int_equal(c.become_master, 2);
	assert_int_equal(c.release_master, 1);
	assert_int_equal(c.ip_ttl_err, 4);
	assert_int_equal(c.packet_len_err, 3);
	assert_int_equal(c.addr_list_err, 6);
	assert_int_equal(c.authtype_mismatch, 6);
	assert_int_equal(c.auth_failure, 8);
	assert_int_equal(c.advert_interval_err, 3);
	assert_int_equal(c.invalid_type_rcvd, 10);
	assert_int_equal(c.invalid_authtype, 0);
	assert_int_equal(c.pri_zero_rcvd, 1);
	assert_int_equal(c.pri_zero_sent, 3);
	vi.n_drop = NULL;	/* no drop yet */
	vrrp_dump_counters(&vi, &c);
	assert_int_equal(c.ip_ttl_err + c.packet_len_err + c.auth_failure, 0);
}

/* "Released master" counts MASTER -> BACKUP or FAULT; a stop releases nothing */
static void test_released(void **state)
{
	struct vrrp_inst vi = { 0 };

	vrrp_dump_transition(&vi, VRRP_STATE_INIT, VRRP_STATE_BACKUP);
	vrrp_dump_transition(&vi, VRRP_STATE_BACKUP, VRRP_STATE_MASTER);
	assert_int_equal(vi.dump_n_released_master, 0);
	vrrp_dump_transition(&vi, VRRP_STATE_MASTER, VRRP_STATE_BACKUP);
	vrrp_dump_transition(&vi, VRRP_STATE_BACKUP, VRRP_STATE_MASTER);
	vrrp_dump_transition(&vi, VRRP_STATE_MASTER, VRRP_STATE_FAULT);
	vrrp_dump_transition(&vi, VRRP_STATE_FAULT, VRRP_STATE_BACKUP);
	assert_int_equal(vi.dump_n_released_master, 2);
	vrrp_dump_transition(&vi, VRRP_STATE_BACKUP, VRRP_STATE_MASTER);
	vrrp_dump_transition(&vi, VRRP_STATE_MASTER, VRRP_STATE_STOP);
	assert_int_equal(vi.dump_n_released_master, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipaddr),
		cmocka_unit_test(test_counters),
		cmocka_unit_test(test_released),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
