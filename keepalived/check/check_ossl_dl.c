// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * keepalived/check/check_ossl_dl.c: the OpenSSL functions the checker program calls,
 * resolved from libssl.so.3 when the first of them is called (keepalived-checker only).
 *
 * Linked, libssl and libcrypto cost every checker child about 460 KB of private memory
 * (the pages the dynamic loader writes when it relocates them) whether or not a TLS
 * check is configured. The program links this file instead: each function below has
 * OpenSSL's own declaration and forwards to the library's, which is opened at the
 * first call: only SSL_GET (SSL_CTX_new at start-up) gets there; HTTP_GET's digest is
 * lib/md5.c's. The unit tests and genhash link OpenSSL itself and not this file.
 */
#include <dlfcn.h>
#include <stdbool.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "log.h"

#define LIBSSL_SONAME "libssl.so.3"

static void *ossl_sym(const char *name)
{
	static void *dl;
	static bool failed;
	void *p;

	if (!dl && !failed) {
		dl = dlopen(LIBSSL_SONAME, RTLD_NOW | RTLD_LOCAL);
		if (!dl) {
			failed = true;
			log_err("SSL: cannot load %s: %s", LIBSSL_SONAME, dlerror());
			return NULL;
		}
	}
	if (!dl)
		return NULL;
	/* libssl's handle also finds libcrypto's symbols (ERR_*): a dependency of it */
	p = dlsym(dl, name);
	if (!p)
		log_err("SSL: %s has no %s", LIBSSL_SONAME, name);
	return p;
}

/* fn: the library's function of that name, resolved once; on failure the function returns fail */
#define RESOLVE(name, fail)							\
	static __typeof__(name) *fn;						\
	if (!fn && !(fn = (__typeof__(name) *)ossl_sym(#name)))		\
		return fail

#define RESOLVE_VOID(name)							\
	static __typeof__(name) *fn;						\
	if (!fn && !(fn = (__typeof__(name) *)ossl_sym(#name)))		\
		return

void ERR_clear_error(void)
{
	RESOLVE_VOID(ERR_clear_error);
	fn();
}

unsigned long ERR_peek_error(void)
{
	RESOLVE(ERR_peek_error, 0);
	return fn();
}

const SSL_METHOD *TLS_method(void)
{
	RESOLVE(TLS_method, NULL);
	return fn();
}

const SSL_METHOD *TLS_client_method(void)
{
	RESOLVE(TLS_client_method, NULL);
	return fn();
}

SSL_CTX *SSL_CTX_new(const SSL_METHOD *meth)
{
	RESOLVE(SSL_CTX_new, NULL);
	return meth ? fn(meth) : NULL;
}

void SSL_CTX_free(SSL_CTX *ctx)
{
	if (!ctx)
		return;
	RESOLVE_VOID(SSL_CTX_free);
	fn(ctx);
}

int SSL_CTX_load_verify_locations(SSL_CTX *ctx, const char *CAfile, const char *CApath)
{
	RESOLVE(SSL_CTX_load_verify_locations, 0);
	return fn(ctx, CAfile, CApath);
}

void SSL_CTX_set_default_passwd_cb(SSL_CTX *ctx, pem_password_cb *cb)
{
	RESOLVE_VOID(SSL_CTX_set_default_passwd_cb);
	fn(ctx, cb);
}

void SSL_CTX_set_default_passwd_cb_userdata(SSL_CTX *ctx, void *u)
{
	RESOLVE_VOID(SSL_CTX_set_default_passwd_cb_userdata);
	fn(ctx, u);
}

void SSL_CTX_set_verify(SSL_CTX *ctx, int mode, SSL_verify_cb callback)
{
	RESOLVE_VOID(SSL_CTX_set_verify);
	fn(ctx, mode, callback);
}

void SSL_CTX_set_verify_depth(SSL_CTX *ctx, int depth)
{
	RESOLVE_VOID(SSL_CTX_set_verify_depth);
	fn(ctx, depth);
}

int SSL_CTX_use_PrivateKey_file(SSL_CTX *ctx, const char *file, int type)
{
	RESOLVE(SSL_CTX_use_PrivateKey_file, 0);
	return fn(ctx, file, type);
}

int SSL_CTX_use_certificate_chain_file(SSL_CTX *ctx, const char *file)
{
	RESOLVE(SSL_CTX_use_certificate_chain_file, 0);
	return fn(ctx, file);
}

SSL *SSL_new(SSL_CTX *ctx)
{
	RESOLVE(SSL_new, NULL);
	return fn(ctx);
}

void SSL_free(SSL *ssl)
{
	if (!ssl)		/* every plain HTTP fetch's release() */
		return;
	RESOLVE_VOID(SSL_free);
	fn(ssl);
}

int SSL_set_fd(SSL *s, int fd)
{
	RESOLVE(SSL_set_fd, 0);
	return fn(s, fd);
}

void SSL_set_connect_state(SSL *s)
{
	RESOLVE_VOID(SSL_set_connect_state);
	fn(s);
}

long SSL_ctrl(SSL *ssl, int cmd, long larg, void *parg)
{
	RESOLVE(SSL_ctrl, 0);
	return fn(ssl, cmd, larg, parg);
}

int SSL_connect(SSL *ssl)
{
	RESOLVE(SSL_connect, -1);
	return fn(ssl);
}

int SSL_get_error(const SSL *s, int ret_code)
{
	RESOLVE(SSL_get_error, SSL_ERROR_SSL);
	return fn(s, ret_code);
}

int SSL_read(SSL *ssl, void *buf, int num)
{
	RESOLVE(SSL_read, -1);
	return fn(ssl, buf, num);
}

int SSL_write(SSL *ssl, const void *buf, int num)
{
	RESOLVE(SSL_write, -1);
	return fn(ssl, buf, num);
}

int SSL_pending(const SSL *s)
{
	RESOLVE(SSL_pending, 0);
	return fn(s);
}
