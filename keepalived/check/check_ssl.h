/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/check/check_ssl.h: the SSL_GET checkers' one TLS client context (the SSL block). */
#pragma once
#include <stdbool.h>

#include <openssl/ssl.h>

#include "check_data.h"

/*
 * keepalived 2.2.7's context (check_ssl.c build_ssl_ctx): TLS_method(), verify depth
 * 1, and from the SSL block `certificate` (a chain file), `password` (for the key),
 * `key`, `ca` (loaded as trust anchors). Like 2.2.7, no SSL_CTX_set_verify(): the
 * server's certificate is never verified, `ca` or not (spec 2.2); the checks test
 * liveness and content, not identity. Without an SSL block the context is the bare
 * one ("auto-generated").
 *
 * The checker child calls check_ssl_init() at start and on every reload, when the
 * configuration has an SSL_GET checker (check_ssl_needed(); 2.2.7's ssl_required),
 * after the old probes are stopped; a failure is keepalived's FATAL exit (its lines
 * are logged here). Fetches in flight keep their own reference to the old context.
 */
bool check_ssl_needed(const struct check_conf *cc);
/* c: NULL or not configured: the bare context. 0, or -errno (logged). */
int check_ssl_init(const struct ssl_conf *c);
void check_ssl_free(void);
/* The context for the fetches; a bare one is made on first use if none was set up. */
SSL_CTX *check_ssl_ctx(void);
