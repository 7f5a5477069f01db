// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/check/check_ssl.c: the SSL_GET checkers' one TLS client context (the SSL block). */
#include "check_ssl.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "utils.h"

static SSL_CTX *ssl_ctx;
static char *ssl_password;		/* for the key's callback; the context's own copy */

bool check_ssl_needed(const struct check_conf *cc)
{
	for (unsigned v = 0; v < cc->n_vs; v++) {
		const struct vs_conf *vs = &cc->vs[v];

		for (unsigned r = 0; r < vs->n_rs; r++)
			for (unsigned k = 0; k < vs->rs[r].n_checkers; k++)
				if (vs->rs[r].checkers[k].type == CK_SSL)
					return true;
	}
	return false;
}

static int password_cb(char *buf, int size, int rwflag, void *userdata)
{
	const char *pw = userdata;
	size_t len = strlen(pw);

	(void)rwflag;
	if (size < 0 || (size_t)size < len + 1)
		return 0;
	memcpy(buf, pw, len + 1);
	return (int)len;
}

static int load(SSL_CTX *ctx, const struct ssl_conf *c)
{
	if (c->certificate && SSL_CTX_use_certificate_chain_file(ctx, c->certificate) != 1) {
		log_info("SSL error : Cant load certificate file...");
		return -EINVAL;
	}
	if (c->password) {
		ssl_password = xstrdup(c->password);
		SSL_CTX_set_default_passwd_cb_userdata(ctx, ssl_password);
		SSL_CTX_set_default_passwd_cb(ctx, password_cb);
	}
	if (c->key && SSL_CTX_use_PrivateKey_file(ctx, c->key, SSL_FILETYPE_PEM) != 1) {
		log_info("SSL error : Cant load key file...");
		return -EINVAL;
	}
	if (c->ca && SSL_CTX_load_verify_locations(ctx, c->ca, NULL) != 1) {
		log_info("SSL error : Cant load CA file...");
		return -EINVAL;
	}
	return 0;
}

int check_ssl_init(const struct ssl_conf *c)
{
	SSL_CTX *ctx;
	int r = 0;

	check_ssl_free();
	ctx = SSL_CTX_new(TLS_method());
	if (!ctx) {
		log_info("SSL error: cannot create new SSL context");
		r = -ENOMEM;
	} else if (c && c->configured) {
		r = load(ctx, c);
	}
	if (r < 0) {
		/* keepalived's lines, but the password is not written to the log */
		log_info("Error Initialize SSL, ctx Instance");
		log_info("  SSL  keyfile:%s", c && c->key ? c->key : "(null)");
		log_info("  SSL password:%s", c && c->password ? "<hidden>" : "(null)");
		log_info("  SSL   cafile:%s", c && c->ca ? c->ca : "(null)");
		log_info("Terminate...");
		SSL_CTX_free(ctx);
		check_ssl_free();
		return r;
	}
	SSL_CTX_set_verify_depth(ctx, 1);
	ssl_ctx = ctx;
	return 0;
}

void check_ssl_free(void)
{
	SSL_CTX_free(ssl_ctx);
	ssl_ctx = NULL;
	if (ssl_password)
		explicit_bzero(ssl_password, strlen(ssl_password));
	free(ssl_password);
	ssl_password = NULL;
}

SSL_CTX *check_ssl_ctx(void)
{
	if (!ssl_ctx && check_ssl_init(NULL) < 0)
		return NULL;
	return ssl_ctx;
}
