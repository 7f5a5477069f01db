// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/check/udp_reply.c: UDP_CHECK's reply test (check_udp.c:251-274 of 2.2.7). */
#include "udp_reply.h"

bool udp_reply_ok(const struct ck_udp *u, const uint8_t *buf, size_t len)
{
	size_t n;

	if (!u->reply_len)
		return true;
	if (len < u->min_reply_len || len > u->max_reply_len)
		return false;
	n = len < u->reply_len ? len : u->reply_len;
	for (size_t i = 0; i < n; i++) {
		uint8_t care = u->reply_mask ? u->reply_mask[i] : 0xff;

		if ((buf[i] ^ u->reply[i]) & care)
			return false;
	}
	return true;
}
