// SPDX-License-Identifier: GPL-2.0-or-later
/* tests/unit/test_dns_pkt.c: DNS_CHECK's query bytes and reply verdicts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <cmocka.h>

#include "check/dns_pkt.h"
#include "utils.h"

#define HDR(id_hi, id_lo) id_hi, id_lo, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0

/* the queries keepalived 2.2.7 sends for these (check_dns.c dns_make_query) */
static const uint8_t q_root_soa[] = { HDR(0x12, 0x34), 0, 0, 6, 0, 1 };
static const uint8_t q_example_a[] = {
	HDR(0xbe, 0xef), 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0, 0, 1, 0, 1
};
static const uint8_t q_trailing_dot_mx[] = { HDR(0, 1), 2, 'k', 'a', 0, 0, 15, 0, 1 };

static const struct {
	const char *what;
	const char *name;
	uint16_t id, qtype;
	const uint8_t *want;
	size_t want_len;	/* 0: refused */
} queries[] = {
	{ "root, SOA (the defaults)", ".", 0x1234, 6, q_root_soa, sizeof(q_root_soa) },
	{ "two labels, A", "example.com", 0xbeef, 1, q_example_a, sizeof(q_example_a) },
	{ "trailing dot, MX", "ka.", 1, 15, q_trailing_dot_mx, sizeof(q_trailing_dot_mx) },
	{ "empty label", "a..b", 1, 1, NULL, 0 },
	{ "leading dot", ".a", 1, 1, NULL, 0 },
	{ "label of 64 bytes",
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 1, 1, NULL, 0 },
};

static void test_query(void **state)
{
	uint8_t buf[DNS_PKT_MAX_QUERY];

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(queries); i++) {
		size_t n = dns_pkt_query(buf, queries[i].id, queries[i].name, queries[i].qtype);

		if (n != queries[i].want_len)
			fail_msg("%s: length %zu, want %zu", queries[i].what, n, queries[i].want_len);
		if (n && memcmp(buf, queries[i].want, n) != 0)
			fail_msg("%s: bytes differ", queries[i].what);
	}
}

static void test_query_limits(void **state)
{
	uint8_t buf[DNS_PKT_MAX_QUERY];
	char name[300];
	size_t n;

	(void)state;
	/* 63-byte labels: four of them make 256 bytes on the wire, over the 255 limit */
	memset(name, 'a', sizeof(name));
	for (int i = 0; i < 4; i++)
		name[i * 64 + 63] = '.';
	name[4 * 64 - 1] = '\0';
	assert_int_equal(dns_pkt_query(buf, 1, name, 1), 0);
	/* three of them and one of 61 bytes: 255 bytes, the largest name */
	name[3 * 64 + 61] = '\0';
	n = dns_pkt_query(buf, 1, name, 1);
	assert_int_equal(n, DNS_PKT_HDR_LEN + 255 + 4);
	assert_true(n <= DNS_PKT_MAX_QUERY);
}

static const uint8_t r_ok[] = { 0x12, 0x34, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0 };
static const uint8_t r_nxdomain[] = { 0x12, 0x34, 0x81, 0x83, 0, 1, 0, 0, 0, 0, 0, 0 };
static const uint8_t r_refused_noraflag[] = { 0x12, 0x34, 0x80, 0x05, 0, 1, 0, 0, 0, 0, 0, 0 };
static const uint8_t r_other_id[] = { 0x12, 0x35, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0 };
static const uint8_t r_query[] = { 0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0 };
/* answers are not inspected: a reply that says nothing but the header is a success */
static const uint8_t r_ok_garbage[] = { 0x12, 0x34, 0x84, 0x00, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0,
					0xde, 0xad };

static const struct {
	const char *what;
	const uint8_t *buf;
	size_t len;
	enum dns_reply want;
	int rcode;
} replies[] = {
	{ "NOERROR", r_ok, sizeof(r_ok), DNS_REPLY_OK, 0 },
	{ "NOERROR, counts and trailing bytes ignored", r_ok_garbage, sizeof(r_ok_garbage),
	  DNS_REPLY_OK, 0 },
	{ "NXDOMAIN", r_nxdomain, sizeof(r_nxdomain), DNS_REPLY_RCODE, 3 },
	{ "REFUSED", r_refused_noraflag, sizeof(r_refused_noraflag), DNS_REPLY_RCODE, 5 },
	{ "another id", r_other_id, sizeof(r_other_id), DNS_REPLY_ID, -1 },
	{ "a query (QR=0)", r_query, sizeof(r_query), DNS_REPLY_QUERY, -1 },
	{ "11 bytes", r_ok, sizeof(r_ok) - 1, DNS_REPLY_SHORT, -1 },
	{ "empty", r_ok, 0, DNS_REPLY_SHORT, -1 },
};

static void test_reply(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(replies); i++) {
		int rcode = -1;
		enum dns_reply got = dns_pkt_reply(replies[i].buf, replies[i].len, 0x1234, &rcode);

		if (got != replies[i].want)
			fail_msg("%s: got %s, want %s", replies[i].what, dns_reply_str(got),
				 dns_reply_str(replies[i].want));
		if (rcode != replies[i].rcode)
			fail_msg("%s: rcode %d, want %d", replies[i].what, rcode, replies[i].rcode);
	}
}

static void test_types(void **state)
{
	static const struct { const char *word; uint16_t qtype; } t[] = {
		{ "A", 1 }, { "ns", 2 }, { "CNAME", 5 }, { "soa", 6 }, { "MX", 15 }, { "TXT", 16 },
		{ "aaaa", 28 }, { "RRSIG", 46 }, { "DNSKEY", 48 }, { "PTR", 0 }, { "", 0 },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		if (dns_pkt_type(t[i].word) != t[i].qtype)
			fail_msg("type %s: got %u", t[i].word, dns_pkt_type(t[i].word));
		if (t[i].qtype && strcasecmp(dns_pkt_type_str(t[i].qtype), t[i].word))
			fail_msg("type %u: name %s", t[i].qtype, dns_pkt_type_str(t[i].qtype));
	}
	assert_string_equal(dns_pkt_type_str(12), "(unknown)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_query),
		cmocka_unit_test(test_query_limits),
		cmocka_unit_test(test_reply),
		cmocka_unit_test(test_types),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
