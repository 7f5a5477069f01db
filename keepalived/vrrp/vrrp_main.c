// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * keepalived/vrrp/vrrp_main.c: keepalived-vrrp, the VRRP child as a program of its own.
 * keepalived forks and execs it (core/child_prog.c); it links the VRRP module alone, so
 * it maps neither OpenSSL (AH loads libcrypto when an instance uses it) nor libnl.
 */
#include "core/child.h"
#include "vrrp/vrrp_daemon.h"
#include "vrrp/vrrp_lvs_sync.h"

/* This program's module table: modules.c (every module) is not linked in. */
const struct ka_module *const ka_modules[KA_MOD__COUNT] = {
	[KA_MOD_VRRP] = &vrrp_module,
};

int main(int argc, char **argv)
{
	vrrp_lvs_sync = &vrrp_lvs_sync_impl;	/* the parent does not link the IPVS edge */
	return ka_child_main(KA_MOD_VRRP, argc, argv);
}
