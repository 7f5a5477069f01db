// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * keepalived/check/check_main.c: keepalived-checker, the health-checker child as a program
 * of its own (like keepalived-vrrp). keepalived forks and execs it (core/child_prog.c);
 * it alone links libnl (IPVS) and OpenSSL (SSL_GET), so the parent and the VRRP child
 * map neither.
 */
#include "check/check_daemon.h"
#include "core/child.h"

/* check_module's configuration part plus the runtime; filled before anything reads it */
static struct ka_module checker_module;

/* This program's module table: modules.c (every module) is not linked in. */
const struct ka_module *const ka_modules[KA_MOD__COUNT] = {
	[KA_MOD_CHECK] = &checker_module,
};

int main(int argc, char **argv)
{
	checker_module = check_module;
	check_module_runtime(&checker_module);
	return ka_child_main(KA_MOD_CHECK, argc, argv);
}
