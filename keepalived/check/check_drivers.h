/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/check/check_drivers.h: the checker drivers this build has, one line each. */
#pragma once
#include "check_api.h"

/*
 * X(type, driver): one line per driver file (check_tcp.c defines ck_driver_tcp ...).
 * A helper adding a checker type adds its line here; check_api.c's ck_driver_of()
 * and the declarations below come from this one list.
 */
#define CK_DRIVERS(X) \
	X(CK_TCP, ck_driver_tcp) \
	X(CK_MISC, ck_driver_misc)

#define CK_DRIVER_DECLARE(type, name) extern const struct ck_driver name;
CK_DRIVERS(CK_DRIVER_DECLARE)
#undef CK_DRIVER_DECLARE
