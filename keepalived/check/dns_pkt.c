// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/check/dns_pkt.c: DNS_CHECK's query and reply check (RFC 1035 4.1). */
#include "dns_pkt.h"

#include <stdbool.h>
#include <string.h>
#include <strings.h>

static const struct {
	const char *word;
	uint16_t qtype;
} types[] = {
	{ "A", 1 }, { "NS", 2 }, { "CNAME", 5 }, { "SOA", 6 }, { "MX", 15 }, { "TXT", 16 },
	{ "AAAA", 28 }, { "RRSIG", 46 }, { "DNSKEY", 48 },
};

uint16_t dns_pkt_type(const char *word)
{
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (!strcasecmp(word, types[i].word))
			return types[i].qtype;
	return 0;
}

const char *dns_pkt_type_str(uint16_t qtype)
{
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (types[i].qtype == qtype)
			return types[i].word;
	return "(unknown)";
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

size_t dns_pkt_query(uint8_t *buf, uint16_t id, const char *name, uint16_t qtype)
{
	uint8_t *p = buf + DNS_PKT_HDR_LEN;
	size_t name_len = 0;

	memset(buf, 0, DNS_PKT_HDR_LEN);
	put16(buf, id);
	put16(buf + 2, 0x0100);		/* RD */
	put16(buf + 4, 1);		/* QDCOUNT */

	/* labels up to the end or a final dot; "." alone is the root (just the zero byte) */
	if (strcmp(name, ".") != 0) {
		for (const char *s = name; *s;) {
			const char *e = strchr(s, '.');
			size_t n = e ? (size_t)(e - s) : strlen(s);

			if (n == 0 || n > 63)
				return 0;
			name_len += n + 1;
			if (name_len + 1 > 255)
				return 0;
			*p++ = (uint8_t)n;
			memcpy(p, s, n);
			p += n;
			s += n;
			if (*s)
				s++;
		}
	}
	*p++ = 0;
	put16(p, qtype);
	put16(p + 2, 1);		/* QCLASS IN */
	p += 4;
	return (size_t)(p - buf);
}

enum dns_reply dns_pkt_reply(const uint8_t *buf, size_t len, uint16_t id, int *rcode)
{
	uint16_t flags;

	if (len < DNS_PKT_HDR_LEN)
		return DNS_REPLY_SHORT;
	if ((uint16_t)(buf[0] << 8 | buf[1]) != id)
		return DNS_REPLY_ID;
	flags = (uint16_t)(buf[2] << 8 | buf[3]);
	if (!(flags & 0x8000))
		return DNS_REPLY_QUERY;
	*rcode = flags & 0x000f;
	return *rcode ? DNS_REPLY_RCODE : DNS_REPLY_OK;
}

const char *dns_reply_str(enum dns_reply r)
{
	static const char *const names[DNS_REPLY__COUNT] = {
		[DNS_REPLY_OK] = "ok",
		[DNS_REPLY_RCODE] = "rcode",
		[DNS_REPLY_SHORT] = "short",
		[DNS_REPLY_ID] = "id",
		[DNS_REPLY_QUERY] = "query",
	};

	return (unsigned)r < DNS_REPLY__COUNT ? names[r] : "unknown";
}
