/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/check/dns_pkt.h: DNS_CHECK's query and reply check (pure bytes, no sockets). */
#pragma once
#include <stddef.h>
#include <stdint.h>

/*
 * keepalived 2.2.7's DNS_CHECK (check_dns.c): one question, recursion desired;
 * the reply only has to carry the query's id, QR=1 and RCODE 0. Answers are not
 * inspected. Other datagrams (another id, a query, shorter than a header) are
 * ignored and the checker goes on reading until its timeout.
 */

#define DNS_PKT_HDR_LEN 12
#define DNS_PKT_MAX_QUERY (DNS_PKT_HDR_LEN + 255 + 4)

/* DNS_CHECK's `type` words and their QTYPE values; 0: not one of them. Case-insensitive. */
uint16_t dns_pkt_type(const char *word);
/* "SOA" for 6 ...; "(unknown)" for others (as keepalived's dump) */
const char *dns_pkt_type_str(uint16_t qtype);

/*
 * The query into buf (at least DNS_PKT_MAX_QUERY bytes): header with id, RD=1,
 * QDCOUNT 1; QNAME from name ("." is the root; a trailing dot is allowed), qtype,
 * QCLASS IN. Returns its length, or 0 if name does not fit the wire format (an empty
 * label inside the name, a label over 63 bytes, a name over 255 bytes).
 */
size_t dns_pkt_query(uint8_t *buf, uint16_t id, const char *name, uint16_t qtype);

enum dns_reply {
	DNS_REPLY_OK,		/* same id, QR=1, RCODE 0: the check succeeds */
	DNS_REPLY_RCODE,	/* same id, QR=1, RCODE != 0 (*rcode): the check fails */
	DNS_REPLY_SHORT,	/* ignored: shorter than a header */
	DNS_REPLY_ID,		/* ignored: another id */
	DNS_REPLY_QUERY,	/* ignored: QR=0 */
	DNS_REPLY__COUNT
};
const char *dns_reply_str(enum dns_reply r);

/* A datagram received on the checker's socket, against the id the query carried. */
enum dns_reply dns_pkt_reply(const uint8_t *buf, size_t len, uint16_t id, int *rcode);
