// SPDX-License-Identifier: GPL-2.0-or-later
/* tests/fuzz/fuzz_dns_pkt.c: libFuzzer target: DNS_CHECK's reply check and query builder. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check/dns_pkt.h"

/*
 * Input: two bytes of query id, then a datagram as the checker's socket would
 * receive it. The verdict must follow from the header alone, never read past
 * len, and be the same for any bytes after the header. The input, read as a
 * name, must give a query that is refused or fits DNS_PKT_MAX_QUERY and that
 * the reply check, fed the query itself, ignores (QR=0).
 */

static void check(bool ok)
{
	if (!ok)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t q[DNS_PKT_MAX_QUERY];
	uint16_t id;
	const uint8_t *pkt;
	size_t len, qlen;
	uint8_t *copy;
	char *name;
	int rcode = -1, rcode2 = -1;
	enum dns_reply r, r2;

	if (size < 2)
		return 0;
	id = (uint16_t)(data[0] << 8 | data[1]);
	pkt = data + 2;
	len = size - 2;

	/* an exact-size copy, so that ASan sees any read past len */
	copy = malloc(len ? len : 1);
	check(copy != NULL);
	memcpy(copy, pkt, len);
	r = dns_pkt_reply(copy, len, id, &rcode);
	check((unsigned)r < DNS_REPLY__COUNT);
	check(strcmp(dns_reply_str(r), "unknown") != 0);
	if (len < DNS_PKT_HDR_LEN) {
		check(r == DNS_REPLY_SHORT);
	} else {
		check(r != DNS_REPLY_SHORT);
		check((r == DNS_REPLY_ID) == ((uint16_t)(pkt[0] << 8 | pkt[1]) != id));
		if (r == DNS_REPLY_OK)
			check(rcode == 0 && (pkt[2] & 0x80) && (pkt[3] & 0x0f) == 0);
		else if (r == DNS_REPLY_RCODE)
			check(rcode >= 1 && rcode <= 15 && rcode == (pkt[3] & 0x0f));
		else
			check(rcode == -1);
		/* the header decides: the same header alone gives the same verdict */
		r2 = dns_pkt_reply(copy, DNS_PKT_HDR_LEN, id, &rcode2);
		check(r2 == r && rcode2 == rcode);
	}
	free(copy);

	name = malloc(len + 1);
	check(name != NULL);
	memcpy(name, pkt, len);
	name[len] = '\0';
	memset(q, 0xaa, sizeof(q));
	qlen = dns_pkt_query(q, id, name, 6);
	if (qlen) {
		check(qlen >= DNS_PKT_HDR_LEN + 5 && qlen <= DNS_PKT_MAX_QUERY);
		check(qlen <= DNS_PKT_HDR_LEN + strlen(name) + 2 + 4);
		check(dns_pkt_reply(q, qlen, id, &rcode2) == DNS_REPLY_QUERY);
		check(q[qlen - 5] == 0);	/* the name ends with the root label */
	}
	free(name);
	return 0;
}
