// SPDX-License-Identifier: GPL-2.0-or-later
/* tests/unit/test_vrrp_auth.c: PASS keys, AH ICVs of captured adverts, AH sequence rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>

#include <cmocka.h>

#include "utils.h"
#include "vrrp/vrrp_auth.h"
#include "vrrp_vectors.h"

static struct vrrp_auth *auth_new(enum vrrp_auth_type type, const char *pass)
{
	struct vrrp_auth *a = NULL;

	assert_int_equal(vrrp_auth_new(&a, type, pass, NULL), 0);
	return a;
}

static void test_keys(void **state)
{
	static const struct {
		const char *pass;
		uint8_t key[VRRP_AUTH_KEY_LEN];
		bool truncated;
	} rows[] = {
		{ "secret", "secret\0\0", false },
		{ "12345678", "12345678", false },
		{ "verylongpassword", "verylong", true },
		{ "123456789", "12345678", true },
		{ "", "\0\0\0\0\0\0\0\0", false },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
		for (int t = VRRP_AUTH_PASS; t <= VRRP_AUTH_AH; t++) {
			struct vrrp_auth *a = NULL;
			bool trunc = !rows[i].truncated;

			assert_int_equal(vrrp_auth_new(&a, (enum vrrp_auth_type)t, rows[i].pass,
						       &trunc), 0);
			assert_int_equal(vrrp_auth_get_type(a), t);
			assert_memory_equal(vrrp_auth_key(a), rows[i].key, VRRP_AUTH_KEY_LEN);
			if (trunc != rows[i].truncated)
				fail_msg("\"%s\": truncated %d", rows[i].pass, trunc);
			assert_true(vrrp_auth_pass_ok(a, rows[i].key));
			vrrp_auth_free(a);
		}
	}
}

static void test_new_errors(void **state)
{
	struct vrrp_auth *a = NULL;

	(void)state;
	assert_int_equal(vrrp_auth_new(&a, VRRP_AUTH_PASS, NULL, NULL), -EINVAL);
	assert_int_equal(vrrp_auth_new(&a, VRRP_AUTH_AH, NULL, NULL), -EINVAL);
	assert_int_equal(vrrp_auth_new(&a, VRRP_AUTH__COUNT, "x", NULL), -EINVAL);
	assert_int_equal(vrrp_auth_new(&a, (enum vrrp_auth_type)-1, "x", NULL), -EINVAL);
	assert_null(a);
	assert_int_equal(vrrp_auth_new(&a, VRRP_AUTH_NONE, NULL, NULL), 0);
	assert_int_equal(vrrp_auth_get_type(a), VRRP_AUTH_NONE);
	vrrp_auth_free(a);
	vrrp_auth_free(NULL);
	assert_int_equal(vrrp_auth_get_type(NULL), VRRP_AUTH_NONE);
	assert_string_equal(vrrp_auth_type_str(VRRP_AUTH_NONE), "none");
	assert_string_equal(vrrp_auth_type_str(VRRP_AUTH_PASS), "PASS");
	assert_string_equal(vrrp_auth_type_str(VRRP_AUTH_AH), "AH");
	assert_string_equal(vrrp_auth_type_str(VRRP_AUTH__COUNT), "unknown");
}

static void test_pass(void **state)
{
	struct vrrp_auth *a = auth_new(VRRP_AUTH_PASS, "secret");

	(void)state;
	assert_true(vrrp_auth_pass_ok(a, cap_v2_pass + 32));	/* the captured auth data */
	assert_false(vrrp_auth_pass_ok(a, (const uint8_t *)"secreT\0\0"));
	assert_false(vrrp_auth_pass_ok(a, (const uint8_t *)"secret\0x"));	/* padding counts */
	vrrp_auth_free(a);
}

static const struct {
	const char *what;
	const uint8_t *pkt;
	size_t len;
	const char *pass;
} ah_caps[] = {
	{ "seq 1", cap_v2_ah, sizeof(cap_v2_ah), "secret" },
	{ "seq 5, priority 0", cap_v2_ah_prio0, sizeof(cap_v2_ah_prio0), "secret" },
	{ "key of 16 bytes", cap_v2_ah_long, sizeof(cap_v2_ah_long), "verylongpassword" },
	{ "key of its first 8 bytes", cap_v2_ah_long, sizeof(cap_v2_ah_long), "verylong" },
};

/* The ICVs keepalived sent verify, and signing the same bytes gives them back. */
static void test_ah_captured(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(ah_caps); i++) {
		struct vrrp_auth *a = auth_new(VRRP_AUTH_AH, ah_caps[i].pass);
		struct vrrp_auth *wrong = auth_new(VRRP_AUTH_AH, "secreT");
		uint8_t buf[128];
		size_t len = ah_caps[i].len;

		/* twice: the context is re-initialised between packets */
		for (int round = 0; round < 2; round++)
			if (vrrp_auth_ah_verify(a, ah_caps[i].pkt, len) != 0)
				fail_msg("%s: round %d: does not verify", ah_caps[i].what, round);
		assert_int_equal(vrrp_auth_ah_verify(wrong, ah_caps[i].pkt, len), -EBADMSG);
		memcpy(buf, ah_caps[i].pkt, len);
		memset(buf + 32, 0, VRRP_AH_ICV_LEN);
		assert_int_equal(vrrp_auth_ah_sign(a, buf, len), 0);
		assert_memory_equal(buf, ah_caps[i].pkt, len);
		vrrp_auth_free(wrong);
		vrrp_auth_free(a);
	}
}

/*
 * Which bytes the ICV covers. Not: TOS, flags + fragment offset, IP checksum.
 * Yes: everything else, TTL included (keepalived's choice, which we must share).
 */
static void test_ah_coverage(void **state)
{
	struct vrrp_auth *a = auth_new(VRRP_AUTH_AH, "secret");
	uint8_t buf[sizeof(cap_v2_ah)];

	(void)state;
	for (size_t off = 0; off < sizeof(buf); off++) {
		bool mutable = off == 1 || off == 6 || off == 7 || off == 10 || off == 11;
		bool icv = off >= 32 && off < 44;
		int r;

		memcpy(buf, cap_v2_ah, sizeof(buf));
		buf[off] ^= 0x40;		/* DF, for the flags byte */
		r = vrrp_auth_ah_verify(a, buf, sizeof(buf));
		if (off == 0) {			/* IPv4 version/IHL: no longer a datagram we sign */
			assert_int_equal(r, -EINVAL);
			continue;
		}
		if (r != (mutable ? 0 : -EBADMSG))
			fail_msg("byte %zu%s changed: %d", off, icv ? " (ICV)" : "", r);
	}
	vrrp_auth_free(a);
}

static void test_ah_errors(void **state)
{
	struct vrrp_auth *ah = auth_new(VRRP_AUTH_AH, "secret");
	struct vrrp_auth *pass = auth_new(VRRP_AUTH_PASS, "secret");
	uint8_t buf[sizeof(cap_v2_ah)];

	(void)state;
	memcpy(buf, cap_v2_ah, sizeof(buf));
	assert_int_equal(vrrp_auth_ah_verify(pass, buf, sizeof(buf)), -EINVAL);
	assert_int_equal(vrrp_auth_ah_sign(pass, buf, sizeof(buf)), -EINVAL);
	assert_int_equal(vrrp_auth_ah_verify(NULL, buf, sizeof(buf)), -EINVAL);
	assert_int_equal(vrrp_auth_ah_verify(ah, buf, 43), -EINVAL);	/* no room for AH */
	assert_int_equal(vrrp_auth_ah_verify(ah, buf, 19), -EINVAL);
	assert_int_equal(vrrp_auth_ah_verify(ah, buf, 0), -EINVAL);
	buf[0] = 0x4f;						/* IHL 15 */
	assert_int_equal(vrrp_auth_ah_verify(ah, buf, sizeof(buf)), -EINVAL);
	buf[0] = 0x44;						/* IHL 4 */
	assert_int_equal(vrrp_auth_ah_sign(ah, buf, sizeof(buf)), -EINVAL);
	assert_memory_equal(buf + 1, cap_v2_ah + 1, sizeof(buf) - 1);	/* untouched */
	/* 44 bytes: IPv4 + AH, an empty VRRP part: computable (decode refuses it earlier) */
	memcpy(buf, cap_v2_ah, sizeof(buf));
	assert_int_equal(vrrp_auth_ah_sign(ah, buf, 44), 0);
	assert_int_equal(vrrp_auth_ah_verify(ah, buf, 44), 0);
	vrrp_auth_free(pass);
	vrrp_auth_free(ah);
}

/* keepalived 2.2.7's sequence numbers, as observed on the wire and in its logs. */
static void test_ah_seq(void **state)
{
	struct vrrp_ah_seq s = { 0 };

	(void)state;
	/* a new sender starts at 1 and counts up */
	assert_int_equal(vrrp_ah_seq_next(&s), 1);
	assert_int_equal(vrrp_ah_seq_next(&s), 2);
	/* and saturates at the top: keepalived sent 0xffffffff again and again */
	s.counter = UINT32_MAX - 1;
	assert_int_equal(vrrp_ah_seq_next(&s), UINT32_MAX);
	assert_int_equal(vrrp_ah_seq_next(&s), UINT32_MAX);
	assert_false(vrrp_ah_seq_ok(&s, 0));		/* "sequence number 0 already processed" */
	assert_false(vrrp_ah_seq_ok(&s, UINT32_MAX));

	/* backup: numbers must grow; equal is a replay ("5 already processed. Local(5)") */
	s.counter = 0;
	assert_true(vrrp_ah_seq_ok(&s, 5));
	vrrp_ah_seq_seen(&s, 5, false);
	assert_int_equal(s.counter, 5);
	assert_false(vrrp_ah_seq_ok(&s, 5));
	assert_false(vrrp_ah_seq_ok(&s, 4));
	assert_true(vrrp_ah_seq_ok(&s, 6));

	/* a restarted peer (1, 2, 3 after 8) is refused until the backup takes over... */
	s.counter = 8;
	assert_false(vrrp_ah_seq_ok(&s, 1));
	assert_false(vrrp_ah_seq_ok(&s, 3));
	/* ...and sends 9, its counter + 1 */
	assert_int_equal(vrrp_ah_seq_next(&s), 9);
	/* the restarted master (counter 3) takes 9, and stays master: "Syncing seq_num" */
	{
		struct vrrp_ah_seq m = { 3 };

		assert_true(vrrp_ah_seq_ok(&m, 9));
		vrrp_ah_seq_seen(&m, 9, true);
		assert_int_equal(vrrp_ah_seq_next(&m), 11);	/* 0xb on the wire */
		/* the backup takes 11 */
		assert_true(vrrp_ah_seq_ok(&s, 11));
		vrrp_ah_seq_seen(&s, 11, false);
		assert_int_equal(s.counter, 11);
	}
	/* a master that steps down keeps the number as is: the next one is accepted */
	s.counter = 24;
	vrrp_ah_seq_seen(&s, 30, false);
	assert_true(vrrp_ah_seq_ok(&s, 31));
	/* syncing at the top stays there */
	vrrp_ah_seq_seen(&s, UINT32_MAX, true);
	assert_int_equal(s.counter, UINT32_MAX);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_new_errors),
		cmocka_unit_test(test_pass),
		cmocka_unit_test(test_ah_captured),
		cmocka_unit_test(test_ah_coverage),
		cmocka_unit_test(test_ah_errors),
		cmocka_unit_test(test_ah_seq),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
