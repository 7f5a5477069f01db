// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/modules.c: the subsystems the core runs, so that core/ never includes vrrp/ or check/. */
#include "core/module.h"
#include "check/check_daemon.h"
#include "vrrp/vrrp_daemon.h"

const struct ka_module *const ka_modules[KA_MOD__COUNT] = {
	[KA_MOD_VRRP] = &vrrp_module,
	[KA_MOD_CHECK] = &check_module,
};
