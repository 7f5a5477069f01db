/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/vrrp/vrrp_daemon.h: the VRRP subsystem as the core sees it. */
#pragma once
#include "core/module.h"

extern const struct ka_module vrrp_module;
struct global_defs;
/* -t: the scripts' checks (vrrp_test.c); a KA_EXIT_* code. */
int vrrp_config_test(const void *conf, const struct global_defs *gd, struct ka_test *t);
