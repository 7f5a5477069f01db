/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/vrrp/vrrp_daemon.h: the VRRP subsystem as the core sees it. */
#pragma once
#include "core/module.h"

extern const struct ka_module vrrp_module;
