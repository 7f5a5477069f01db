// SPDX-License-Identifier: GPL-2.0-or-later
/* tests/unit/test_vrrp_vmac.c: VMAC names, MACs and link-local addresses (the pure part of vrrp_vmac.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <errno.h>

#include <cmocka.h>

#include "vrrp/vrrp_vmac.h"

static void test_mac(void **state)
{
	uint8_t m[6];
	const uint8_t v4[6] = { 0, 0, 0x5e, 0, 1, 51 }, v6[6] = { 0, 0, 0x5e, 0, 2, 255 };

	(void)state;
	vrrp_vmac_mac(m, AF_INET, 51);
	assert_memory_equal(m, v4, 6);
	vrrp_vmac_mac(m, AF_INET6, 255);
	assert_memory_equal(m, v6, 6);
}

static void test_parse_mac(void **state)
{
	static const struct {
		const char *s;
		int r;
		bool vrid;
		uint8_t m[6];
	} cases[] = {
		{ "02:11:22:33:44:55", 0, false, { 2, 0x11, 0x22, 0x33, 0x44, 0x55 } },
		{ "2:a:b:c:d", 0, true, { 2, 0xa, 0xb, 0xc, 0xd, 0 } },
		{ "02:11:22:33", -EINVAL, false, { 0 } },
		{ "02:11:22:33:44:55:66", -EINVAL, false, { 0 } },
		{ "02:11:22:33:44:5g", -EINVAL, false, { 0 } },
		{ "02:11:22:333:44:55", -EINVAL, false, { 0 } },
		{ "02:11:22:33:44:", -EINVAL, false, { 0 } },
		{ "01:00:5e:00:00:12", -EADDRNOTAVAIL, false, { 0 } },
		{ "00:00:5e:00:01:07", -EADDRINUSE, false, { 0 } },
		{ "00:00:5e:00:02", -EADDRINUSE, true, { 0 } },
		{ "00:00:5e:00:03:07", 0, false, { 0, 0, 0x5e, 0, 3, 7 } },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t m[6] = { 0 };
		bool vrid = false;
		int r = vrrp_vmac_parse_mac(cases[i].s, m, &vrid);

		if (r != cases[i].r)
			fail_msg("%s: %d, want %d", cases[i].s, r, cases[i].r);
		if (r == 0 && (vrid != cases[i].vrid || memcmp(m, cases[i].m, cases[i].vrid ? 5 : 6)))
			fail_msg("%s: wrong MAC or VRID flag", cases[i].s);
	}
}

static void test_ifname_ok(void **state)
{
	(void)state;
	assert_true(vrrp_vmac_ifname_ok("vrrp.51"));
	assert_true(vrrp_vmac_ifname_ok("abcdefghijklmno"));		/* 15 */
	assert_false(vrrp_vmac_ifname_ok("abcdefghijklmnop"));	/* 16 */
	assert_false(vrrp_vmac_ifname_ok(""));
	assert_false(vrrp_vmac_ifname_ok("a/b"));
	assert_false(vrrp_vmac_ifname_ok("a:b"));
	assert_false(vrrp_vmac_ifname_ok("a b"));
	assert_false(vrrp_vmac_ifname_ok(".."));
}

/* taken: the names in a NULL-terminated list */
static bool taken(void *arg, const char *name)
{
	for (const char *const *p = arg; *p; p++)
		if (!strcmp(*p, name))
			return true;
	return false;
}

static void test_default_name(void **state)
{
	char out[IFNAMSIZ];
	const char *none[] = { NULL };
	const char *v4[] = { "vrrp.51", NULL };
	const char *v6[] = { "vrrp.61", "vrrp6.61", "vrrp1.61", NULL };
	const char *v6b[] = { "vrrp.61", "vrrp6.61", "vrrp1.61", "vrrp2.61", "vrrp3.61",
			      "vrrp4.61", "vrrp5.61", NULL };

	(void)state;
	assert_int_equal(vrrp_vmac_default_name(out, "vrrp", 51, AF_INET, taken, none), 0);
	assert_string_equal(out, "vrrp.51");
	assert_int_equal(vrrp_vmac_default_name(out, "vrrp", 51, AF_INET, taken, v4), 0);
	assert_string_equal(out, "vrrp1.51");
	assert_int_equal(vrrp_vmac_default_name(out, "vrrp", 61, AF_INET6, taken, v6), 0);
	assert_string_equal(out, "vrrp2.61");
	assert_int_equal(vrrp_vmac_default_name(out, "vrrp", 61, AF_INET6, taken, v6b), 0);
	assert_string_equal(out, "vrrp7.61");	/* 6 skipped for IPv6 */
	/* a long prefix gives way: 15 bytes */
	assert_int_equal(vrrp_vmac_default_name(out, "averyverylongprefix", 255, AF_INET, taken, none), 0);
	assert_string_equal(out, "averyverylo.255");
	assert_int_equal(strlen(out), 15);
	assert_int_equal(vrrp_vmac_default_name(out, "averyverylongprefix", 255, AF_INET6, taken,
						(const char *[]){ "averyverylo.255", NULL }), 0);
	assert_string_equal(out, "averyveryl6.255");
}

static void test_eui64(void **state)
{
	const uint8_t mac[6] = { 0x76, 0xab, 0x9b, 0x95, 0x0c, 0xcf };
	struct in6_addr a;
	char s[INET6_ADDRSTRLEN];

	(void)state;
	vrrp_vmac_eui64(&a, mac);
	assert_string_equal(inet_ntop(AF_INET6, &a, s, sizeof(s)), "fe80::74ab:9bff:fe95:ccf");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mac),
		cmocka_unit_test(test_parse_mac),
		cmocka_unit_test(test_ifname_ok),
		cmocka_unit_test(test_default_name),
		cmocka_unit_test(test_eui64),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
