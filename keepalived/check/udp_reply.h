/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/check/udp_reply.h: UDP_CHECK's reply test (pure). */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "check_data.h"

/*
 * keepalived 2.2.7's check_udp_reply: the length must be within min_reply_len ..
 * max_reply_len, and the first min(len, reply_len) bytes must match the pattern in the
 * bits their mask sets (check_data.h: an X nibble of require_reply's hex string clears
 * its 4 bits; reply_mask NULL: every bit counts). Without a pattern (reply_len 0) any reply is good,
 * whatever its length.
 */
bool udp_reply_ok(const struct ck_udp *u, const uint8_t *buf, size_t len);
