/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/vrrp/vrrp_conf_host.h: -t's checks of the interfaces a configuration names, on this host. */
#pragma once
#include <stdbool.h>

#include "parser.h"

/*
 * keepalived 2.2.7's -t refuses a configuration that names an interface this host does
 * not have (unless global_defs sets dynamic_interfaces before it), and a vrrp_instance
 * on a loopback interface. We check only under -t (cfg_config_test()): a running daemon
 * meets interfaces as they come and go. With net_namespace the names are another
 * namespace's, which -t does not enter: not checked.
 */

/*
 * Argument i of a is an interface name: if it does not exist, reports "WHAT: interface
 * 'NAME' does not exist" at it and returns -ENODEV. Returns 1 for a loopback interface
 * (not reported: the caller says why that matters), 0 otherwise (or not checked).
 */
int vc_check_ifname(struct cfg *c, const struct cfg_args *a, int i, const char *what);
/* Nothing to report of name (not checked, or an interface that is not a loopback): */
bool vc_ifname_fine(const struct cfg *c, const char *name);
/* The same for a name that is not a word of the current line; reported at its word at_arg. */
int vc_check_ifname_at(struct cfg *c, const char *name, int at_arg, const char *what);
