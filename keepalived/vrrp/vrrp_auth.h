/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/vrrp/vrrp_auth.h: VRRPv2 authentication as keepalived does it: PASS and IPsec AH. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Both kinds exist in VRRPv2 over IPv4 only (RFC 2338 §5.3.6; RFC 3768 dropped them,
 * keepalived kept them). The key is the auth_pass of the config, truncated to 8 bytes
 * and zero-padded: PASS sends those 8 bytes in the advert, AH uses them as the
 * HMAC-MD5 key (zero padding does not change an HMAC key, so "secret" == "secret\0\0").
 *
 * AH (RFC 2402 layout, 24 bytes between the IPv4 header and the VRRP packet):
 *   next header 112 | payload len 4 | reserved 0 | SPI (32) | sequence (32) | ICV (96 bits)
 * ICV = first 12 bytes of HMAC-MD5(key, IPv4 header with TOS, flags+fragment offset and
 * checksum zeroed | AH with ICV zeroed | VRRP packet).
 * TTL is NOT zeroed (keepalived includes it, unlike RFC 2402 §3.3.3.1.1.1); flags+fragment
 * offset are (a DF bit is accepted). SPI: the sender's IPv4 source address, as on the wire;
 * the receiver drops an SPI that differs from the source address. Sequence: vrrp_ah_seq.
 */
#define VRRP_AUTH_KEY_LEN 8
#define VRRP_AH_LEN	  24	/* AH header with its 12-byte ICV, bytes */
#define VRRP_AH_ICV_LEN	  12	/* HMAC-MD5-96 */

enum vrrp_auth_type {		/* the VRRPv2 "Auth Type" field */
	VRRP_AUTH_NONE = 0,
	VRRP_AUTH_PASS = 1,
	VRRP_AUTH_AH = 2,
	VRRP_AUTH__COUNT
};
const char *vrrp_auth_type_str(enum vrrp_auth_type t);	/* "none", "PASS", "AH" */

/*
 * One instance's authentication: its type, key, and (AH) an OpenSSL HMAC context made
 * once here, so that signing and verifying a packet allocate nothing of ours (OpenSSL 3.0
 * itself still mallocs twice per HMAC inside EVP_MAC_init). Make it at config time; the
 * context is scratch space, so one struct vrrp_auth serves one call at a time (one per
 * instance, or one per thread).
 */
struct vrrp_auth;

/*
 * type NONE ignores pass (may be NULL). PASS/AH: pass is the auth_pass string; only its
 * first 8 bytes count, and *truncated (may be NULL) says whether more were given (keepalived
 * warns about that at config time). Returns 0, -EINVAL (bad type, NULL pass), -ENOMEM, or
 * -ENOSYS when OpenSSL has no HMAC-MD5 (a FIPS-only provider).
 */
int vrrp_auth_new(struct vrrp_auth **ret, enum vrrp_auth_type type, const char *pass,
		  bool *truncated);
void vrrp_auth_free(struct vrrp_auth *a);		/* NULL is fine */
enum vrrp_auth_type vrrp_auth_get_type(const struct vrrp_auth *a);	/* NULL: NONE */
/* The 8 key bytes (auth_pass zero-padded): what PASS sends and compares. */
const uint8_t *vrrp_auth_key(const struct vrrp_auth *a);

/* PASS: true when the advert's 8 auth data bytes equal our key (constant time). */
bool vrrp_auth_pass_ok(const struct vrrp_auth *a, const uint8_t data[VRRP_AUTH_KEY_LEN]);

/*
 * AH over a whole IPv4 datagram pkt/len (IPv4 header of ihl*4 bytes, then the AH header,
 * then the VRRP packet). The mutable IPv4 fields are zeroed in a copy, never in pkt.
 * sign writes the ICV into pkt's AH header (the other AH fields must be filled first);
 * verify recomputes it and compares in constant time. Both return -EINVAL when pkt is not
 * such a datagram (too short, or longer than an advert can be), and sign/verify return
 * -EIO if OpenSSL fails. verify returns 0 when the ICV matches, -EBADMSG when it does not.
 */
int vrrp_auth_ah_sign(struct vrrp_auth *a, uint8_t *pkt, size_t len);
int vrrp_auth_ah_verify(struct vrrp_auth *a, const uint8_t *pkt, size_t len);

/*
 * AH sequence numbers as keepalived 2.2.7 keeps them: one counter per instance, in a struct
 * the caller owns (zero it at start), holding the last number sent or accepted.
 *   send:    ++counter, saturating: at 0xffffffff it sends 0xffffffff again and again;
 *            a new instance starts at 0, so its first advert carries 1.
 *   receive: an advert whose number is <= counter is dropped (equal too), in any state,
 *            after the ICV and SPI checks: keepalived logs
 *            "(VI_1) IPSEC-AH : sequence number 1 already processed. Packet dropped. Local(8)".
 *            Accepted: counter = its number; but a master that stays master (it received
 *            a lower-priority advert) sets counter = number + 1 and logs
 *            "(VI_1) IPSEC-AH : Syncing seq_num - Increment seq".
 * So a backup rejects a restarted peer (its numbers start at 1 again) until they pass the
 * number it last saw: it times out and becomes master, sends counter + 1, and the restarted
 * master, receiving that lower-priority advert, jumps its counter past it.
 */
struct vrrp_ah_seq {
	uint32_t counter;
};
uint32_t vrrp_ah_seq_next(struct vrrp_ah_seq *s);		/* the number to send */
bool vrrp_ah_seq_ok(const struct vrrp_ah_seq *s, uint32_t seq);	/* seq > counter */
/* Once the advert is accepted; stays_master: we are master and remain so (lower priority). */
void vrrp_ah_seq_seen(struct vrrp_ah_seq *s, uint32_t seq, bool stays_master);
