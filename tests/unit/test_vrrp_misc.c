// SPDX-License-Identifier: GPL-2.0-or-later
/* tests/unit/test_vrrp_misc.c: the delayed start's arithmetic (vrrp_startup_delay, vrrp_delay_after_boot). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "vrrp/vrrp_misc.h"

static void test_parse_uptime(void **state)
{
	(void)state;
	assert_true(vrrp_misc_parse_uptime("23168.48 45000.10\n") == 23168.48);
	assert_true(vrrp_misc_parse_uptime("7 1\n") == 7.0);
	assert_true(vrrp_misc_parse_uptime("") < 0);
	assert_true(vrrp_misc_parse_uptime("x 1") < 0);
	assert_true(vrrp_misc_parse_uptime("-3 1") < 0);
}

static void test_start_delay(void **state)
{
	(void)state;
	/* nothing asked */
	assert_int_equal(vrrp_misc_start_delay_us(0, 0, 100), 0);
	/* vrrp_startup_delay alone, whatever the uptime */
	assert_int_equal(vrrp_misc_start_delay_us(2000000, 0, 5000), 2000000);
	/* after boot: what is left of it */
	assert_int_equal(vrrp_misc_start_delay_us(0, 60000000, 50.5), 9500000);
	/* ... nothing once the uptime is past it */
	assert_int_equal(vrrp_misc_start_delay_us(0, 60000000, 60), 0);
	assert_int_equal(vrrp_misc_start_delay_us(0, 60000000, 3600), 0);
	/* both: the longer */
	assert_int_equal(vrrp_misc_start_delay_us(5000000, 60000000, 50), 10000000);
	assert_int_equal(vrrp_misc_start_delay_us(15000000, 60000000, 50), 15000000);
	/* an unreadable uptime: after boot is ignored */
	assert_int_equal(vrrp_misc_start_delay_us(1000000, 60000000, -1), 1000000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_uptime),
		cmocka_unit_test(test_start_delay),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
