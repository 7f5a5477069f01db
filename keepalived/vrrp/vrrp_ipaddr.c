// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/vrrp/vrrp_ipaddr.c: VIP/eVIP/static address lines, RTM_NEWADDR/DELADDR, apply. */
#include "vrrp/vrrp_ipaddr.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>

#include <libmnl/libmnl.h>

#include "core/reflector.h"
#include "parser.h"

static const char *const err_strs[VRRP_IPADDR_ERR__COUNT] = {
	[VRRP_IPADDR_OK]		= "ok",
	[VRRP_IPADDR_ERR_ADDR]		= "not an IP address[/prefix]",
	[VRRP_IPADDR_ERR_NO_VALUE]	= "needs a value",
	[VRRP_IPADDR_ERR_BRD]		= "broadcast must be an IPv4 address, + or -",
	[VRRP_IPADDR_ERR_BRD_V6]	= "no broadcast for IPv6 addresses",
	[VRRP_IPADDR_ERR_DEV_TWICE]	= "dev given more than once",
	[VRRP_IPADDR_ERR_DEV_LONG]	= "interface name longer than 15 characters",
	[VRRP_IPADDR_ERR_LABEL_LONG]	= "label longer than 15 characters",
	[VRRP_IPADDR__ERRORS]		= "?",
	[VRRP_IPADDR_WARN_PREFIX]	= "invalid prefix length, using the host prefix",
	[VRRP_IPADDR_WARN_SCOPE]	= "invalid scope, ignored",
	[VRRP_IPADDR_WARN_SCOPE_V6]	= "no scope for IPv6 addresses, ignored",
	[VRRP_IPADDR_WARN_LABEL_V6]	= "no label for IPv6 addresses, ignored",
	[VRRP_IPADDR_WARN_BRD_PREFIX]	= "prefix too long for a broadcast address, none set",
	[VRRP_IPADDR_WARN_PEER]		= "invalid peer address, ignored",
	[VRRP_IPADDR_WARN_PEER_FAMILY]	= "peer address of the other family, ignored",
	[VRRP_IPADDR_WARN_LFT]		= "preferred_lft must be forever or 0..4294967295, ignored",
	[VRRP_IPADDR_WARN_UNKNOWN]	= "unknown option, ignored",
};

const char *vrrp_ipaddr_err_str(enum vrrp_ipaddr_err e)
{
	return (unsigned)e < VRRP_IPADDR_ERR__COUNT && err_strs[e] ? err_strs[e] : "?";
}

static const struct {
	const char *name;
	uint8_t scope;
} scopes[] = {
	{ "global", RT_SCOPE_UNIVERSE }, { "site", RT_SCOPE_SITE }, { "link", RT_SCOPE_LINK },
	{ "host", RT_SCOPE_HOST }, { "nowhere", RT_SCOPE_NOWHERE },
};

const char *vrrp_ipaddr_scope_str(uint8_t scope)
{
	for (size_t i = 0; i < ARRAY_SIZE(scopes); i++)
		if (scopes[i].scope == scope)
			return scopes[i].name;
	return NULL;
}

static bool parse_scope(const char *s, uint8_t *out)
{
	char *end;
	unsigned long v;

	for (size_t i = 0; i < ARRAY_SIZE(scopes); i++)
		if (!strcmp(s, scopes[i].name)) {
			*out = scopes[i].scope;
			return true;
		}
	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (*end || errno || v > 255)
		return false;
	*out = (uint8_t)v;
	return true;
}

/* A decimal 0..UINT32_MAX - 1 (UINT32_MAX is "forever"), or "forever". */
static bool parse_lft(const char *s, uint32_t *out)
{
	char *end;
	unsigned long long v;

	if (!strcmp(s, "forever")) {
		*out = VRRP_IPADDR_LFT_FOREVER;
		return true;
	}
	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end || errno || v > UINT32_MAX)
		return false;
	*out = (uint32_t)v;
	return true;
}

static bool copy_name(char dst[IFNAMSIZ], const char *s)
{
	size_t n = strlen(s);

	if (n >= IFNAMSIZ)
		return false;
	memcpy(dst, s, n + 1);
	return true;
}

static uint32_t v4_mask(unsigned plen)
{
	return plen == 0 ? 0 : htonl(~(uint32_t)0 << (32 - plen));
}

static void diag(struct vrrp_ipaddr_diags *d, enum vrrp_ipaddr_err why, int arg)
{
	if (!d)
		return;
	if (d->n < VRRP_IPADDR_MAX_DIAGS) {
		d->d[d->n].why = why;
		d->d[d->n].arg = arg;
	}
	d->n++;
}

/* ADDR or ADDR/PREFIX. False when ADDR is not an address; *bad_prefix for a bad PREFIX. */
static bool parse_addr_prefix(const char *s, struct inet_addr *a, unsigned *plen, bool *bad_prefix)
{
	const char *slash = strchr(s, '/');
	char buf[INET6_ADDRSTRLEN];
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	unsigned max;

	*bad_prefix = false;
	if (n >= sizeof(buf))
		return false;
	memcpy(buf, s, n);
	buf[n] = 0;
	memset(a, 0, sizeof(*a));
	if (!inet_addr_parse(buf, a))
		return false;
	max = a->family == AF_INET ? 32 : 128;
	*plen = max;
	if (slash) {
		char *end;
		unsigned long v;

		errno = 0;
		v = strtoul(slash + 1, &end, 10);
		if (slash[1] < '0' || slash[1] > '9' || *end || errno || v > max)
			*bad_prefix = true;
		else
			*plen = (unsigned)v;
	}
	return true;
}

enum opt {
	OPT_BRD, OPT_DEV, OPT_SCOPE, OPT_LABEL, OPT_PEER, OPT_LFT, OPT_TRACK_GROUP,
	OPT_HOME, OPT_NODAD_OFF, OPT_MNGTMPADDR, OPT_NOPREFIXROUTE, OPT_AUTOJOIN,
	OPT_NO_TRACK, OPT_USE_VMAC,
};

/* The words of a line; kinds: which blocks accept it (bit per enum vrrp_ipaddr_kind). */
#define K_ALL 7u
#define K_VIPS ((1u << VRRP_IPADDR_VIP) | (1u << VRRP_IPADDR_EVIP))
static const struct {
	const char *word;
	enum opt opt;
	bool value;
	unsigned kinds;
} opts[] = {
	{ "brd", OPT_BRD, true, K_ALL },
	{ "dev", OPT_DEV, true, K_ALL },
	{ "scope", OPT_SCOPE, true, K_ALL },
	{ "label", OPT_LABEL, true, K_ALL },
	{ "peer", OPT_PEER, true, K_ALL },
	{ "preferred_lft", OPT_LFT, true, K_ALL },
	{ "track_group", OPT_TRACK_GROUP, true, 1u << VRRP_IPADDR_STATIC },
	{ "home", OPT_HOME, false, K_ALL },
	{ "-nodad", OPT_NODAD_OFF, false, K_ALL },
	{ "mngtmpaddr", OPT_MNGTMPADDR, false, K_ALL },
	{ "noprefixroute", OPT_NOPREFIXROUTE, false, K_ALL },
	{ "autojoin", OPT_AUTOJOIN, false, K_ALL },
	{ "no_track", OPT_NO_TRACK, false, K_ALL },
	{ "use_vmac", OPT_USE_VMAC, false, K_VIPS },
};

enum vrrp_ipaddr_err vrrp_ipaddr_parse(int argc, char *const *argv, enum vrrp_ipaddr_kind kind,
				       const char *default_ifname, struct vrrp_ipaddr *out,
				       struct vrrp_ipaddr_diags *diags)
{
	struct vrrp_ipaddr a = { .preferred_lft_s = VRRP_IPADDR_LFT_FOREVER };
	enum { BRD_NONE, BRD_ADDR, BRD_PLUS, BRD_MINUS } brd = BRD_NONE;
	enum vrrp_ipaddr_err err;
	bool bad_prefix, nodad_off = false, v6;
	int brd_arg = 0, i, opt_i;
	unsigned plen;

	if (diags)
		diags->n = 0;
	if (argc < 1 || !parse_addr_prefix(argv[0], &a.addr, &plen, &bad_prefix)) {
		err = VRRP_IPADDR_ERR_ADDR;
		i = 0;
		goto fail;
	}
	if (bad_prefix)
		diag(diags, VRRP_IPADDR_WARN_PREFIX, 0);
	a.prefix_len = (uint8_t)plen;
	v6 = a.addr.family == AF_INET6;
	if (default_ifname && !copy_name(a.ifname, default_ifname))
		a.ifname[0] = 0;	/* the caller's name cannot exist; it reports that itself */

	for (i = 1; i < argc; i++) {
		const char *w = argv[i], *v;
		size_t k;

		for (k = 0; k < ARRAY_SIZE(opts); k++)
			if (!strcmp(w, opts[k].word))
				break;
		if (k == ARRAY_SIZE(opts) || !(opts[k].kinds & (1u << kind))) {
			diag(diags, VRRP_IPADDR_WARN_UNKNOWN, i);
			continue;
		}
		if (opts[k].value && i + 1 >= argc) {
			err = VRRP_IPADDR_ERR_NO_VALUE;
			goto fail;
		}
		opt_i = i;
		v = opts[k].value ? argv[++i] : NULL;
		switch (opts[k].opt) {
		case OPT_BRD:
			if (v6) {
				err = VRRP_IPADDR_ERR_BRD_V6;
				i = opt_i;
				goto fail;
			}
			brd_arg = i;
			if (!strcmp(v, "+")) {
				brd = BRD_PLUS;
			} else if (!strcmp(v, "-")) {
				brd = BRD_MINUS;
			} else if (inet_pton(AF_INET, v, &a.v4.broadcast) == 1) {
				brd = BRD_ADDR;
			} else {
				err = VRRP_IPADDR_ERR_BRD;
				goto fail;
			}
			break;
		case OPT_DEV:
			if (a.flags & VRRP_IPADDR_F_DEV) {
				err = VRRP_IPADDR_ERR_DEV_TWICE;
				i = opt_i;
				goto fail;
			}
			if (!copy_name(a.ifname, v)) {
				err = VRRP_IPADDR_ERR_DEV_LONG;
				goto fail;
			}
			a.flags |= VRRP_IPADDR_F_DEV;
			break;
		case OPT_SCOPE:
			if (v6)
				diag(diags, VRRP_IPADDR_WARN_SCOPE_V6, opt_i);
			else if (!parse_scope(v, &a.scope))
				diag(diags, VRRP_IPADDR_WARN_SCOPE, i);
			break;
		case OPT_LABEL:
			if (strlen(v) >= IFNAMSIZ) {
				err = VRRP_IPADDR_ERR_LABEL_LONG;
				goto fail;
			}
			if (v6)
				diag(diags, VRRP_IPADDR_WARN_LABEL_V6, opt_i);
			else
				copy_name(a.v4.label, v);
			break;
		case OPT_PEER: {
			struct inet_addr p;

			if (!inet_addr_parse(v, &p)) {
				diag(diags, VRRP_IPADDR_WARN_PEER, i);
			} else if (p.family != a.addr.family) {
				diag(diags, VRRP_IPADDR_WARN_PEER_FAMILY, i);
			} else {
				if (v6)
					a.v6.peer = p.v6;
				else
					a.v4.peer = p.v4;
				a.flags |= VRRP_IPADDR_F_PEER;
			}
			break;
		}
		case OPT_LFT:
			if (parse_lft(v, &a.preferred_lft_s))
				a.flags |= VRRP_IPADDR_F_LFT;
			else
				diag(diags, VRRP_IPADDR_WARN_LFT, i);
			break;
		case OPT_TRACK_GROUP:
			a.track_group_arg = (uint16_t)(i <= UINT16_MAX ? i : 0);
			break;
		case OPT_HOME:
			a.ifa_flags |= IFA_F_HOMEADDRESS;
			break;
		case OPT_NODAD_OFF:
			nodad_off = true;
			break;
		case OPT_MNGTMPADDR:
			a.ifa_flags |= IFA_F_MANAGETEMPADDR;
			break;
		case OPT_NOPREFIXROUTE:
			a.ifa_flags |= IFA_F_NOPREFIXROUTE;
			break;
		case OPT_AUTOJOIN:
			a.ifa_flags |= IFA_F_MCAUTOJOIN;
			break;
		case OPT_NO_TRACK:
			a.flags |= VRRP_IPADDR_F_NO_TRACK;
			break;
		case OPT_USE_VMAC:
			a.flags |= VRRP_IPADDR_F_USE_VMAC;
			break;
		}
	}
	/* keepalived adds IPv6 VIPs without DAD unless told "-nodad"; never NODAD for IPv4 */
	if (v6 && !nodad_off)
		a.ifa_flags |= IFA_F_NODAD;
	_Static_assert((IFA_F_NODAD | IFA_F_HOMEADDRESS | IFA_F_MANAGETEMPADDR | IFA_F_NOPREFIXROUTE |
			IFA_F_MCAUTOJOIN) <= UINT16_MAX, "ifa_flags is 16 bits");
	if (brd == BRD_PLUS || brd == BRD_MINUS) {
		if (a.prefix_len >= 31) {
			diag(diags, VRRP_IPADDR_WARN_BRD_PREFIX, brd_arg);
			brd = BRD_NONE;
		} else {
			uint32_t m = v4_mask(a.prefix_len);

			a.v4.broadcast.s_addr = brd == BRD_PLUS ? (a.addr.v4.s_addr | ~m)
							     : (a.addr.v4.s_addr & m);
		}
	}
	if (brd != BRD_NONE)
		a.flags |= VRRP_IPADDR_F_BRD;
	if (!(a.flags & VRRP_IPADDR_F_LFT))
		a.preferred_lft_s = VRRP_IPADDR_LFT_FOREVER;
	*out = a;
	return VRRP_IPADDR_OK;
fail:
	diag(diags, err, i < argc ? i : argc - 1);
	return err;
}

static const char *kind_kw(enum vrrp_ipaddr_kind kind)
{
	switch (kind) {
	case VRRP_IPADDR_VIP:
		return "virtual_ipaddress";
	case VRRP_IPADDR_EVIP:
		return "virtual_ipaddress_excluded";
	case VRRP_IPADDR_STATIC:
		break;
	}
	return "static_ipaddress";
}

int vrrp_ipaddr_parse_cfg(struct cfg *c, const struct cfg_args *a, enum vrrp_ipaddr_kind kind,
			  const char *default_ifname, struct vrrp_ipaddr *out)
{
	struct vrrp_ipaddr_diags d;
	enum vrrp_ipaddr_err err = vrrp_ipaddr_parse(a->argc, a->argv, kind, default_ifname, out, &d);
	unsigned n = d.n < VRRP_IPADDR_MAX_DIAGS ? d.n : VRRP_IPADDR_MAX_DIAGS;

	for (unsigned k = 0; k < n; k++) {
		int i = d.d[k].arg;
		enum vrrp_ipaddr_err why = d.d[k].why;
		const char *w = i >= 0 && i < a->argc ? a->argv[i] : "";

		/*
		 * An option without its value is reported at the option. What keepalived
		 * corrects or ignores is a mistake: its -t fails on each.
		 */
		if (vrrp_ipaddr_err_is_error(why))
			cfg_error_arg(c, i, "%s %s: '%s': %s", kind_kw(kind), a->argv[0], w,
				      vrrp_ipaddr_err_str(why));
		else
			cfg_mistake_arg(c, i, "%s %s: '%s': %s", kind_kw(kind), a->argv[0], w,
					vrrp_ipaddr_err_str(why));
	}
	if (d.n > n)
		cfg_warn(c, "%s %s: %u more problems not shown", kind_kw(kind), a->argv[0], d.n - n);
	return err == VRRP_IPADDR_OK ? 0 : -EINVAL;
}

const char *vrrp_ipaddr_str(const struct vrrp_ipaddr *a, char *buf, size_t len)
{
	char s[INET6_ADDRSTRLEN];

	snprintf(buf, len, "%s/%u", inet_addr_str(&a->addr, s, sizeof(s)), a->prefix_len);
	return buf;
}

void vrrp_ipaddr_dump(const struct vrrp_ipaddr *a, FILE *f)
{
	char s[INET6_ADDRSTRLEN + 4];
	bool v6 = a->addr.family == AF_INET6;

	fputs(vrrp_ipaddr_str(a, s, sizeof(s)), f);
	if (a->flags & VRRP_IPADDR_F_BRD)
		fprintf(f, " brd %s", inet_ntop(AF_INET, &a->v4.broadcast, s, sizeof(s)));
	if (a->ifname[0]) {
		fputs(" dev ", f);
		cfg_dump_word(f, a->ifname);
	}
	if (a->scope != RT_SCOPE_UNIVERSE) {
		const char *n = vrrp_ipaddr_scope_str(a->scope);

		if (n)
			fprintf(f, " scope %s", n);
		else
			fprintf(f, " scope %u", a->scope);
	}
	if (!v6 && a->v4.label[0]) {
		fputs(" label ", f);
		cfg_dump_word(f, a->v4.label);
	}
	if (a->flags & VRRP_IPADDR_F_PEER)
		fprintf(f, " peer %s", inet_ntop(a->addr.family, v6 ? (const void *)&a->v6.peer :
							 (const void *)&a->v4.peer, s, sizeof(s)));
	if (a->ifa_flags & IFA_F_HOMEADDRESS)
		fputs(" home", f);
	if (v6 && !(a->ifa_flags & IFA_F_NODAD))
		fputs(" -nodad", f);
	if (a->ifa_flags & IFA_F_MANAGETEMPADDR)
		fputs(" mngtmpaddr", f);
	if (a->ifa_flags & IFA_F_NOPREFIXROUTE)
		fputs(" noprefixroute", f);
	if (a->ifa_flags & IFA_F_MCAUTOJOIN)
		fputs(" autojoin", f);
	if (a->flags & VRRP_IPADDR_F_NO_TRACK)
		fputs(" no_track", f);
	if (a->flags & VRRP_IPADDR_F_USE_VMAC)
		fputs(" use_vmac", f);
	if (a->flags & VRRP_IPADDR_F_LFT) {
		if (a->preferred_lft_s == VRRP_IPADDR_LFT_FOREVER)
			fputs(" preferred_lft forever", f);
		else
			fprintf(f, " preferred_lft %u", a->preferred_lft_s);
	}
}

const char *vrrp_ipaddr_line(const struct vrrp_ipaddr *a, char *buf, size_t len)
{
	FILE *f = len ? fmemopen(buf, len, "w") : NULL;

	if (!f) {
		if (len)
			buf[0] = 0;
		return buf;
	}
	setbuf(f, NULL);
	vrrp_ipaddr_dump(a, f);
	fclose(f);
	buf[len - 1] = 0;
	return buf;
}

bool vrrp_ipaddr_same(const struct vrrp_ipaddr *a, const struct vrrp_ipaddr *b)
{
	return inet_addr_eq(&a->addr, &b->addr) && a->prefix_len == b->prefix_len &&
	       !strcmp(a->ifname, b->ifname);
}

static size_t addr_len(const struct inet_addr *a)
{
	return a->family == AF_INET ? sizeof(a->v4) : sizeof(a->v6);
}

int vrrp_ipaddr_build(void *buf, size_t room, bool add, uint32_t seq, const struct vrrp_ipaddr *a)
{
	struct nlmsghdr *nlh;
	struct ifaddrmsg *ifa;
	bool v6 = a->addr.family == AF_INET6;
	size_t alen = addr_len(&a->addr);
	bool ok = true;

	if (a->ifindex <= 0)
		return -ENODEV;
	room &= ~(size_t)(MNL_ALIGNTO - 1);	/* libmnl pads attributes past an unaligned end */
	if (room < MNL_ALIGN(sizeof(*nlh)) + MNL_ALIGN(sizeof(*ifa)))
		return -ENOSPC;
	/* libmnl 1.0.4 leaves attribute padding as it finds it */
	memset(buf, 0, room < VRRP_IPADDR_MSG_MAX ? room : VRRP_IPADDR_MSG_MAX);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = add ? RTM_NEWADDR : RTM_DELADDR;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | (add ? NLM_F_CREATE | NLM_F_EXCL : 0);
	nlh->nlmsg_seq = seq;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = (uint8_t)a->addr.family;
	ifa->ifa_prefixlen = a->prefix_len;
	/* IPv6: the kernel derives the scope from the address */
	ifa->ifa_scope = v6 ? RT_SCOPE_UNIVERSE : a->scope;
	ifa->ifa_index = (uint32_t)a->ifindex;

	if (add && v6) {
		uint32_t lft = a->flags & VRRP_IPADDR_F_LFT ? a->preferred_lft_s
			     : a->prefix_len == 128 ? 0 : VRRP_IPADDR_LFT_FOREVER;

		/* RFC 4862 §5.5.4: preferred 0 deprecates the address (no new flows from it) */
		if (lft != VRRP_IPADDR_LFT_FOREVER) {
			struct ifa_cacheinfo ci = { .ifa_prefered = lft,
						    .ifa_valid = VRRP_IPADDR_LFT_FOREVER };
			ok = mnl_attr_put_check(nlh, room, IFA_CACHEINFO, sizeof(ci), &ci);
		}
	}
	ok = ok && mnl_attr_put_check(nlh, room, IFA_LOCAL, alen, &a->addr.v6);
	if (a->flags & VRRP_IPADDR_F_PEER)
		ok = ok && mnl_attr_put_check(nlh, room, IFA_ADDRESS, alen,
					    v6 ? (const void *)&a->v6.peer : (const void *)&a->v4.peer);
	else if (!add && !v6)
		/* the kernel matches IFA_ADDRESS against the subnet of each address */
		ok = ok && mnl_attr_put_check(nlh, room, IFA_ADDRESS, alen, &a->addr.v6);
	if (add && !v6) {
		if (a->flags & VRRP_IPADDR_F_BRD)
			ok = ok && mnl_attr_put_check(nlh, room, IFA_BROADCAST,
						      sizeof(a->v4.broadcast), &a->v4.broadcast);
		if (a->v4.label[0])
			ok = ok && mnl_attr_put_strz_check(nlh, room, IFA_LABEL, a->v4.label);
	}
	if (add && a->ifa_flags)
		ok = ok && mnl_attr_put_u32_check(nlh, room, IFA_FLAGS, a->ifa_flags);
	return ok ? (int)nlh->nlmsg_len : -ENOSPC;
}

size_t vrrp_ipaddr_build_batch(void *buf, size_t room, bool add, uint32_t seq,
			       const struct vrrp_ipaddr *a, size_t n, size_t *n_built)
{
	size_t off = 0, i;

	for (i = 0; i < n; i++) {
		int r = vrrp_ipaddr_build((uint8_t *)buf + off, room - off, add, seq + (uint32_t)i,
					  &a[i]);
		if (r < 0)
			break;
		off += MNL_ALIGN((size_t)r);
	}
	*n_built = i;
	return off;
}

static int op_build(void *arg, size_t i, void *buf, size_t room, uint32_t seq)
{
	struct vrrp_ipaddr_op *op = arg;

	return vrrp_ipaddr_build(buf, room, op->add, seq, &op->addrs[i]);
}

static void op_result(void *arg, size_t i, int err, const char *msg)
{
	struct vrrp_ipaddr_op *op = arg;

	/* already there / already gone: the state we want */
	if ((op->add && err == -EEXIST) || (!op->add && err == -EADDRNOTAVAIL))
		err = 0;
	if (err)
		op->n_failed++;
	if (op->result_cb)
		op->result_cb(op->arg, &op->addrs[i], err, err ? msg : NULL);
}

static void op_done(void *arg, int err)
{
	struct vrrp_ipaddr_op *op = arg;

	(void)err;	/* already counted: each request it touched failed with it */
	if (op->done_cb)
		op->done_cb(op->arg, op->n_failed);
}

static const struct nl_job_ops op_ops = {
	.build = op_build,
	.result = op_result,
	.done = op_done,
};

int vrrp_ipaddr_apply(struct nl_tx *tx, struct vrrp_ipaddr_op *op)
{
	if (op->job.queued)
		return -EBUSY;
	op->n_failed = 0;
	return nl_tx_submit(tx, &op->job, op->n, &op_ops, op);
}

void vrrp_ipaddr_cancel(struct nl_tx *tx, struct vrrp_ipaddr_op *op)
{
	nl_tx_cancel(tx, &op->job);
}

const struct reflector_addr *vrrp_ipaddr_present(const struct reflector *r,
						 const struct vrrp_ipaddr *a)
{
	return reflector_addr_find(r, a->ifindex, &a->addr);
}
