/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/check/check_daemon.h: the health-checker subsystem as the core sees it. */
#pragma once
#include "core/module.h"

extern const struct ka_module check_module;
