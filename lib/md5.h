/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lib/md5.h: MD5 (RFC 1321), for HTTP_GET's digest and genhash. Not for security: it
 * is keepalived's content check. Written here so that an HTTP check needs no libcrypto
 * (whose mapping and provider set-up are most of a small checker's private memory).
 */
#pragma once
#include <stddef.h>
#include <stdint.h>

#define MD5_LEN 16

struct md5 {
	uint32_t h[4];
	uint64_t len;			/* bytes fed */
	uint8_t blk[64];		/* the partial block */
};

void md5_init(struct md5 *m);
void md5_update(struct md5 *m, const void *data, size_t len);
/* the digest of everything fed; m must be md5_init()ed again before reuse */
void md5_final(struct md5 *m, uint8_t out[MD5_LEN]);
