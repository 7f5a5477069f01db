/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/vrrp/vrrp_ipaddr.h: virtual/static IP addresses: config line, netlink requests, apply. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <net/if.h>
#include "nl.h"
#include "utils.h"

struct cfg;
struct cfg_args;
struct reflector;
struct reflector_addr;

/* Which block a line comes from: they accept slightly different options. */
enum vrrp_ipaddr_kind {
	VRRP_IPADDR_VIP,	/* virtual_ipaddress */
	VRRP_IPADDR_EVIP,	/* virtual_ipaddress_excluded */
	VRRP_IPADDR_STATIC,	/* static_ipaddress */
};

enum vrrp_ipaddr_flag {
	VRRP_IPADDR_F_DEV	= 1 << 0,	/* dev given (else ifname: the default, or "") */
	VRRP_IPADDR_F_BRD	= 1 << 1,	/* broadcast is set (brd ADDR, brd + or brd -) */
	VRRP_IPADDR_F_PEER	= 1 << 2,	/* peer is set */
	VRRP_IPADDR_F_LFT	= 1 << 3,	/* preferred_lft given (else /128: 0, else forever) */
	VRRP_IPADDR_F_NO_TRACK	= 1 << 4,	/* no_track (accepted in static_ipaddress too) */
	VRRP_IPADDR_F_USE_VMAC	= 1 << 5,	/* use_vmac (VIP, eVIP) */
};

#define VRRP_IPADDR_LFT_FOREVER UINT32_MAX	/* preferred_lft forever (the kernel's INFINITY) */

/*
 * One address line, parsed. A plain struct with no pointers: copy it freely.
 * ifindex is the caller's to fill (from the reflector) before building requests.
 * The options of one family only share their storage (76 bytes in all).
 */
struct vrrp_ipaddr {
	struct inet_addr addr;		/* family AF_INET or AF_INET6 */
	union {
		struct {
			struct in_addr broadcast;	/* with VRRP_IPADDR_F_BRD */
			struct in_addr peer;		/* with VRRP_IPADDR_F_PEER: IFA_ADDRESS (ptp) */
			char label[IFNAMSIZ];		/* "" for none */
		} v4;
		struct {
			struct in6_addr peer;		/* with VRRP_IPADDR_F_PEER */
		} v6;
	};
	uint32_t preferred_lft_s;	/* with VRRP_IPADDR_F_LFT, else _LFT_FOREVER; sent for IPv6 */
	char ifname[IFNAMSIZ];		/* dev, or the default given to the parser, or "" */
	int ifindex;			/* 0 until the caller resolves ifname */
	uint16_t ifa_flags;		/* IFA_F_HOMEADDRESS, _NODAD, _MANAGETEMPADDR,
					 * _NOPREFIXROUTE, _MCAUTOJOIN, as the kernel takes them */
	uint16_t track_group_arg;	/* static: argv index of the track_group name, else 0 */
	uint8_t prefix_len;		/* /32 or /128 when not given */
	uint8_t scope;			/* RT_SCOPE_*; default RT_SCOPE_UNIVERSE (global) */
	uint8_t flags;			/* enum vrrp_ipaddr_flag */
};

/*
 * What is wrong with a line. Errors: keepalived 2.2.7 drops the address (with a log
 * line), so we refuse it. Warnings: keepalived keeps the address and ignores or
 * corrects the part named (prefix, scope, peer, lifetime, an unknown word).
 */
enum vrrp_ipaddr_err {
	VRRP_IPADDR_OK,
	/* errors */
	VRRP_IPADDR_ERR_ADDR,		/* the first word is not an IPv4/IPv6 address[/prefix] */
	VRRP_IPADDR_ERR_NO_VALUE,	/* an option that takes a value is the last word */
	VRRP_IPADDR_ERR_BRD,		/* brd not an IPv4 address, + or - */
	VRRP_IPADDR_ERR_BRD_V6,		/* brd on an IPv6 address */
	VRRP_IPADDR_ERR_DEV_TWICE,	/* dev given twice */
	VRRP_IPADDR_ERR_DEV_LONG,	/* interface name of IFNAMSIZ bytes or more: cannot exist */
	VRRP_IPADDR_ERR_LABEL_LONG,	/* label of IFNAMSIZ bytes or more */
	VRRP_IPADDR__ERRORS,		/* the values below are warnings */
	VRRP_IPADDR_WARN_PREFIX,	/* prefix not a number within 0..32/128: host prefix used */
	VRRP_IPADDR_WARN_SCOPE,		/* scope not a name or 0..255: ignored */
	VRRP_IPADDR_WARN_SCOPE_V6,	/* scope on IPv6 (the kernel derives it): ignored */
	VRRP_IPADDR_WARN_LABEL_V6,	/* label on IPv6: ignored */
	VRRP_IPADDR_WARN_BRD_PREFIX,	/* brd + or - on a /31 or /32: no broadcast */
	VRRP_IPADDR_WARN_PEER,		/* peer not an address (or with a prefix): ignored */
	VRRP_IPADDR_WARN_PEER_FAMILY,	/* peer of the other family: ignored */
	VRRP_IPADDR_WARN_LFT,		/* preferred_lft not forever or 0..4294967295: ignored */
	VRRP_IPADDR_WARN_UNKNOWN,	/* an unknown word, or one not valid in this block: ignored */
	VRRP_IPADDR_ERR__COUNT
};
const char *vrrp_ipaddr_err_str(enum vrrp_ipaddr_err e);
static inline bool vrrp_ipaddr_err_is_error(enum vrrp_ipaddr_err e)
{
	return e != VRRP_IPADDR_OK && e < VRRP_IPADDR__ERRORS;
}

/* The problems of one line, in order, each at the argv index it is about. */
#define VRRP_IPADDR_MAX_DIAGS 8
struct vrrp_ipaddr_diags {
	unsigned n;			/* may exceed VRRP_IPADDR_MAX_DIAGS: the rest not kept */
	struct { enum vrrp_ipaddr_err why; int arg; } d[VRRP_IPADDR_MAX_DIAGS];
};

/*
 * Pure. Parses argv[0..argc) (the address first, then options, as keepalived reads
 * them: later words override earlier ones, except dev) into *out. default_ifname
 * (may be NULL) is used when there is no dev (the instance's interface). Returns
 * VRRP_IPADDR_OK (*out is usable; diags may hold warnings) or the error that drops
 * the line (also the last entry of diags). diags may be NULL.
 */
enum vrrp_ipaddr_err vrrp_ipaddr_parse(int argc, char *const *argv, enum vrrp_ipaddr_kind kind,
				       const char *default_ifname, struct vrrp_ipaddr *out,
				       struct vrrp_ipaddr_diags *diags);
/*
 * The same for a config line handler (a->argv[0] is the address): reports every
 * problem at its word with cfg_mistake_arg() (a warning, an error under -t) or
 * cfg_error_arg() and returns 0 (usable, possibly after warnings) or -EINVAL (drop the line).
 */
int vrrp_ipaddr_parse_cfg(struct cfg *c, const struct cfg_args *a, enum vrrp_ipaddr_kind kind,
			  const char *default_ifname, struct vrrp_ipaddr *out);

/* "192.0.2.1/24", "fe80::1/64" (no dev) into buf (INET6_ADDRSTRLEN + 4 bytes); returns buf. */
const char *vrrp_ipaddr_str(const struct vrrp_ipaddr *a, char *buf, size_t len);
/* Writes the line that parses back to *a (for config dumps); the track group name is the caller's. */
void vrrp_ipaddr_dump(const struct vrrp_ipaddr *a, FILE *f);
/* The same line into buf (cut to len), for a log line; returns buf. */
const char *vrrp_ipaddr_line(const struct vrrp_ipaddr *a, char *buf, size_t len);
#define VRRP_IPADDR_LINE_MAX 256	/* enough for any line but one with odd names */
/* Same kernel address: family, address, prefix and interface name. */
bool vrrp_ipaddr_same(const struct vrrp_ipaddr *a, const struct vrrp_ipaddr *b);
/* "global", "site", "link", "host", "nowhere", or NULL for a scope without a name. */
const char *vrrp_ipaddr_scope_str(uint8_t scope);

/*
 * Pure message builders: one request with NLM_F_REQUEST | NLM_F_ACK (an add also
 * NLM_F_CREATE | NLM_F_EXCL) for *a into buf (room bytes), attributes as keepalived
 * 2.2.7 sends them:
 *   add IPv4: IFA_LOCAL, IFA_ADDRESS (peer only), IFA_BROADCAST, IFA_LABEL, IFA_FLAGS
 *   add IPv6: IFA_CACHEINFO (preferred_lft, valid forever), IFA_LOCAL, IFA_ADDRESS
 *             (peer only), IFA_FLAGS (IFA_F_NODAD unless -nodad)
 *   delete:   IFA_LOCAL, and for IPv4 IFA_ADDRESS (the peer, else the address)
 * IFA_FLAGS is present when a flag is set (ifa_flags stays 0); IFA_CACHEINFO only
 * for IPv6 with a lifetime. Returns the length, -ENOSPC if room is too small,
 * -ENODEV if a->ifindex is 0.
 */
int vrrp_ipaddr_build(void *buf, size_t room, bool add, uint32_t seq, const struct vrrp_ipaddr *a);
/* Longest request vrrp_ipaddr_build() writes, bytes. */
#define VRRP_IPADDR_MSG_MAX 160
/*
 * Many into one buffer, back to back, seq, seq + 1, ...: builds a[0..n) while they
 * fit; *n_built gets how many (an entry with ifindex 0 stops the batch there).
 * Returns the bytes used.
 */
size_t vrrp_ipaddr_build_batch(void *buf, size_t room, bool add, uint32_t seq,
			       const struct vrrp_ipaddr *a, size_t n, size_t *n_built);

/*
 * The edge: add or delete a set of addresses through an nl_tx (one sendmsg per
 * window of up to NL_TX_WINDOW requests, see lib/nl.h), non-blocking. The op lives in the caller's
 * object; addrs is borrowed until done_cb. result_cb gets every address's outcome:
 * 0, or -errno with the kernel's extended ACK text (or NULL). -EEXIST on an add
 * and -EADDRNOTAVAIL on a delete count as 0 (already so). An address with
 * ifindex 0 fails with -ENODEV, unsent. Either callback may be NULL.
 */
struct vrrp_ipaddr_op {
	const struct vrrp_ipaddr *addrs;	/* borrowed until done_cb */
	size_t n;
	bool add;
	void (*result_cb)(void *arg, const struct vrrp_ipaddr *a, int err, const char *ext_msg);
	/* n_failed: how many got err != 0; may free the op or start another */
	void (*done_cb)(void *arg, size_t n_failed);
	void *arg;
	/* private */
	struct nl_job job;
	size_t n_failed;
};
/* Starts op (fields above set). 0 or -EBUSY (op still running). Safe in a callback. */
int vrrp_ipaddr_apply(struct nl_tx *tx, struct vrrp_ipaddr_op *op);
/* No more callbacks; what was sent stays sent. Idempotent. */
void vrrp_ipaddr_cancel(struct nl_tx *tx, struct vrrp_ipaddr_op *op);

/* Is a's address on interface a->ifindex, per the reflector's table? The entry or NULL. */
const struct reflector_addr *vrrp_ipaddr_present(const struct reflector *r,
						 const struct vrrp_ipaddr *a);
