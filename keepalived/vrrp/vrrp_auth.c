// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/vrrp/vrrp_auth.c: PASS and IPsec AH (HMAC-MD5-96) for VRRPv2, as keepalived does. */
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "utils.h"
#include "vrrp/vrrp_auth.h"

/*
 * libcrypto is opened when the first AH instance needs it, not linked: the VRRP child
 * program then maps it only for configurations that use AH (it is most of the memory
 * a small process holds). The declarations come from OpenSSL's own headers.
 */
#define LIBCRYPTO_SONAME "libcrypto.so.3"

struct ah_crypto {
	void *dl;
	__typeof__(EVP_MAC_fetch) *mac_fetch;
	__typeof__(EVP_MAC_free) *mac_free;
	__typeof__(EVP_MAC_CTX_new) *ctx_new;
	__typeof__(EVP_MAC_CTX_free) *ctx_free;
	__typeof__(EVP_MAC_init) *init;
	__typeof__(EVP_MAC_update) *update;
	__typeof__(EVP_MAC_final) *final;
	EVP_MAC *mac;
	EVP_MAC_CTX *ctx;		/* keyed once, re-initialised per packet */
};

struct vrrp_auth {
	enum vrrp_auth_type type;
	uint8_t key[VRRP_AUTH_KEY_LEN];	/* auth_pass, zero-padded */
	struct ah_crypto *ah;		/* AH only */
};

/* Offsets in the IPv4 header and the AH header (RFC 791, RFC 2402 §2). */
#define IP_TOS		1
#define IP_FRAG		6
#define IP_CSUM		10
#define AH_ICV		12
#define AH_MAX_PKT	(60 + VRRP_AH_LEN + 8 + 255 * 4 + 8)	/* longest IHL, 255 VIPs */

static const char *const type_names[VRRP_AUTH__COUNT] = {
	[VRRP_AUTH_NONE] = "none",
	[VRRP_AUTH_PASS] = "PASS",
	[VRRP_AUTH_AH] = "AH",
};

const char *vrrp_auth_type_str(enum vrrp_auth_type t)
{
	return (unsigned)t < VRRP_AUTH__COUNT ? type_names[t] : "unknown";
}

/* Constant time, whatever the contents. */
static bool same_bytes(const uint8_t *a, const uint8_t *b, size_t n)
{
	uint8_t d = 0;

	for (size_t i = 0; i < n; i++)
		d |= a[i] ^ b[i];
	return d == 0;
}

static void *sym(struct ah_crypto *c, const char *name, bool *missing)
{
	void *p = dlsym(c->dl, name);

	if (p == NULL)
		*missing = true;
	return p;
}

static void ah_crypto_free(struct ah_crypto *c)
{
	if (c == NULL)
		return;
	if (c->ctx)
		c->ctx_free(c->ctx);
	if (c->mac)
		c->mac_free(c->mac);
	if (c->dl)
		dlclose(c->dl);
	free(c);
}

/* -ENOSYS: no libcrypto, or no provider has MD5 (FIPS). */
static int ah_ctx_new(struct vrrp_auth *a)
{
	OSSL_PARAM params[] = {
		{ OSSL_MAC_PARAM_DIGEST, OSSL_PARAM_UTF8_STRING, (char *)"MD5", 3, OSSL_PARAM_UNMODIFIED },
		{ NULL, 0, NULL, 0, 0 },
	};
	struct ah_crypto *c = xcalloc(1, sizeof(*c));
	bool missing = false;

	a->ah = c;
	c->dl = dlopen(LIBCRYPTO_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (c->dl == NULL)
		return -ENOSYS;
	c->mac_fetch = sym(c, "EVP_MAC_fetch", &missing);
	c->mac_free = sym(c, "EVP_MAC_free", &missing);
	c->ctx_new = sym(c, "EVP_MAC_CTX_new", &missing);
	c->ctx_free = sym(c, "EVP_MAC_CTX_free", &missing);
	c->init = sym(c, "EVP_MAC_init", &missing);
	c->update = sym(c, "EVP_MAC_update", &missing);
	c->final = sym(c, "EVP_MAC_final", &missing);
	if (missing)
		return -ENOSYS;
	c->mac = c->mac_fetch(NULL, "HMAC", NULL);
	if (c->mac == NULL)
		return -ENOSYS;
	c->ctx = c->ctx_new(c->mac);
	if (c->ctx == NULL)
		return -ENOMEM;
	if (!c->init(c->ctx, a->key, sizeof(a->key), params))
		return -ENOSYS;
	return 0;
}

int vrrp_auth_new(struct vrrp_auth **ret, enum vrrp_auth_type type, const char *pass,
		  bool *truncated)
{
	struct vrrp_auth *a;
	size_t n = 0;
	int r;

	if ((unsigned)type >= VRRP_AUTH__COUNT || (type != VRRP_AUTH_NONE && pass == NULL))
		return -EINVAL;
	a = xcalloc(1, sizeof(*a));
	a->type = type;
	if (type != VRRP_AUTH_NONE) {
		n = strnlen(pass, VRRP_AUTH_KEY_LEN + 1);
		memcpy(a->key, pass, n > VRRP_AUTH_KEY_LEN ? VRRP_AUTH_KEY_LEN : n);
	}
	if (truncated != NULL)
		*truncated = n > VRRP_AUTH_KEY_LEN;
	if (type == VRRP_AUTH_AH && (r = ah_ctx_new(a)) < 0) {
		vrrp_auth_free(a);
		return r;
	}
	*ret = a;
	return 0;
}

void vrrp_auth_free(struct vrrp_auth *a)
{
	if (a == NULL)
		return;
	ah_crypto_free(a->ah);
	explicit_bzero(a->key, sizeof(a->key));
	free(a);
}

enum vrrp_auth_type vrrp_auth_get_type(const struct vrrp_auth *a)
{
	return a != NULL ? a->type : VRRP_AUTH_NONE;
}

const uint8_t *vrrp_auth_key(const struct vrrp_auth *a)
{
	return a->key;
}

bool vrrp_auth_pass_ok(const struct vrrp_auth *a, const uint8_t data[VRRP_AUTH_KEY_LEN])
{
	return same_bytes(a->key, data, VRRP_AUTH_KEY_LEN);
}

/*
 * pkt: IPv4 header, AH, VRRP. The ICV covers the IPv4 header with TOS, flags+offset and
 * checksum zeroed (TTL kept: keepalived does, and so must we to interoperate), the AH header
 * with its ICV zeroed, and the rest as is. IP options, which keepalived never sends, are
 * covered as they are.
 */
static int ah_icv(struct vrrp_auth *a, const uint8_t *pkt, size_t len, uint8_t icv[VRRP_AH_ICV_LEN])
{
	uint8_t ip[60], ah[VRRP_AH_LEN], md[EVP_MAX_MD_SIZE];
	size_t ihl, md_len = 0;
	struct ah_crypto *c;

	if (a == NULL || a->type != VRRP_AUTH_AH || len < 20 || len > AH_MAX_PKT)
		return -EINVAL;
	ihl = (size_t)(pkt[0] & 0x0f) * 4;
	if ((pkt[0] >> 4) != 4 || ihl < 20 || len < ihl + VRRP_AH_LEN)
		return -EINVAL;
	memcpy(ip, pkt, ihl);
	ip[IP_TOS] = 0;
	memset(ip + IP_FRAG, 0, 2);
	memset(ip + IP_CSUM, 0, 2);
	memcpy(ah, pkt + ihl, VRRP_AH_LEN);
	memset(ah + AH_ICV, 0, VRRP_AH_ICV_LEN);

	c = a->ah;
	if (!c->init(c->ctx, NULL, 0, NULL) ||	/* same key, fresh state */
	    !c->update(c->ctx, ip, ihl) ||
	    !c->update(c->ctx, ah, sizeof(ah)) ||
	    !c->update(c->ctx, pkt + ihl + VRRP_AH_LEN, len - ihl - VRRP_AH_LEN) ||
	    !c->final(c->ctx, md, &md_len, sizeof(md)) || md_len < VRRP_AH_ICV_LEN)
		return -EIO;
	memcpy(icv, md, VRRP_AH_ICV_LEN);
	return 0;
}

int vrrp_auth_ah_sign(struct vrrp_auth *a, uint8_t *pkt, size_t len)
{
	uint8_t icv[VRRP_AH_ICV_LEN];
	int r = ah_icv(a, pkt, len, icv);

	if (r < 0)
		return r;
	memcpy(pkt + (size_t)(pkt[0] & 0x0f) * 4 + AH_ICV, icv, sizeof(icv));
	return 0;
}

int vrrp_auth_ah_verify(struct vrrp_auth *a, const uint8_t *pkt, size_t len)
{
	uint8_t icv[VRRP_AH_ICV_LEN];
	int r = ah_icv(a, pkt, len, icv);

	if (r < 0)
		return r;
	if (!same_bytes(icv, pkt + (size_t)(pkt[0] & 0x0f) * 4 + AH_ICV, sizeof(icv)))
		return -EBADMSG;
	return 0;
}

uint32_t vrrp_ah_seq_next(struct vrrp_ah_seq *s)
{
	if (s->counter != UINT32_MAX)	/* keepalived saturates rather than wrap */
		s->counter++;
	return s->counter;
}

bool vrrp_ah_seq_ok(const struct vrrp_ah_seq *s, uint32_t seq)
{
	return seq > s->counter;
}

void vrrp_ah_seq_seen(struct vrrp_ah_seq *s, uint32_t seq, bool stays_master)
{
	s->counter = seq;
	if (stays_master && seq != UINT32_MAX)
		s->counter++;
}
