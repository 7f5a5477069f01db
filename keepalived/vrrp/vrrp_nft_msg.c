// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/vrrp/vrrp_nft_msg.c: vrrp_nft.c's netlink batches and the libnftnl objects in them. */
#include "vrrp_nft_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>

#include <libnftnl/chain.h>
#include <libnftnl/common.h>
#include <libnftnl/expr.h>
#include <libnftnl/table.h>
#include <libnftnl/udata.h>

#include "log.h"

/* ---- the socket and the batch ---- */

int vrrp_nft_open(struct vrrp_nft *n)
{
	int one = 1;

	if (n->nl)
		return 0;
	n->nl = mnl_socket_open2(NETLINK_NETFILTER, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (!n->nl)
		return -errno;
	/* errors carry the header of what failed, not all of it */
	mnl_socket_setsockopt(n->nl, NETLINK_CAP_ACK, &one, sizeof(one));
	if (mnl_socket_bind(n->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		int r = -errno;

		mnl_socket_close(n->nl);
		n->nl = NULL;
		return r;
	}
	n->portid = mnl_socket_get_portid(n->nl);
	if (!n->seq)
		n->seq = (uint32_t)time(NULL);
	return 0;
}

/* The answers to what was just sent: they are queued already (see vrrp_nft.h). */
int vrrp_nft_answers(struct vrrp_nft *n, mnl_cb_t cb, void *arg)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	int r = 0;

	for (;;) {
		ssize_t len = recv(mnl_socket_get_fd(n->nl), buf, sizeof(buf), MSG_DONTWAIT);

		if (len < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && !r)
				r = -errno;
			return r;
		}
		if (mnl_cb_run(buf, len, 0, n->portid, cb, arg) < 0 && !r)
			r = -errno;
	}
}

/* n_items: the addresses (set elements) the batch may carry */
void vrrp_nft_batch_start(struct vrrp_nft *n, size_t n_items)
{
	n->b_limit = BATCH_BASE + n_items * BATCH_ITEM;
	n->buf = xcalloc(2, n->b_limit);
	n->b = mnl_nlmsg_batch_start(n->buf, n->b_limit);
	n->n_msgs = 0;
	n->b_failed = false;
	nftnl_batch_begin(mnl_nlmsg_batch_current(n->b), n->seq++);
	mnl_nlmsg_batch_next(n->b);
}

/* Where the next message goes; a batch too big for the buffer fails as a whole. */
char *vrrp_nft_batch_cur(struct vrrp_nft *n)
{
	return mnl_nlmsg_batch_current(n->b);
}

void vrrp_nft_batch_next(struct vrrp_nft *n)
{
	n->n_msgs++;
	if (!mnl_nlmsg_batch_next(n->b))
		n->b_failed = true;
}

/* Sends the batch (if it has anything) and frees it: 0 or -errno. */
int vrrp_nft_batch_send(struct vrrp_nft *n, const char *what)
{
	int r = 0;

	if (n->n_msgs && !n->b_failed) {
		nftnl_batch_end(vrrp_nft_batch_cur(n), n->seq++);
		mnl_nlmsg_batch_next(n->b);
		if ((r = vrrp_nft_open(n)) == 0) {
			int sz = (int)mnl_nlmsg_batch_size(n->b);

			/* one send: a big batch needs the room (as nft does) */
			if (sz > 65536)
				setsockopt(mnl_socket_get_fd(n->nl), SOL_SOCKET, SO_SNDBUFFORCE, &sz,
					   sizeof(sz));
			if (mnl_socket_sendto(n->nl, mnl_nlmsg_batch_head(n->b),
					      mnl_nlmsg_batch_size(n->b)) < 0)
				r = -errno;
			else
				r = vrrp_nft_answers(n, NULL, NULL);
		}
	} else if (n->b_failed) {
		r = -EMSGSIZE;
	}
	if (r < 0)
		log_err("nftables: cannot %s in table %s: %s", what, n->table, strerror(-r));
	mnl_nlmsg_batch_stop(n->b);
	free(n->buf);
	n->b = NULL;
	n->buf = NULL;
	return r;
}

/* ---- expressions ---- */

static void add_expr(struct nftnl_rule *r, struct nftnl_expr *e)
{
	if (!e)
		fatal("nftables: out of memory");
	nftnl_rule_add_expr(r, e);
}

void vrrp_nft_e_payload(struct nftnl_rule *r, uint32_t base, uint32_t dreg, uint32_t off,
		      uint32_t len)
{
	struct nftnl_expr *e = nftnl_expr_alloc("payload");

	if (e) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_BASE, base);
		nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_DREG, dreg);
		nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_OFFSET, off);
		nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_LEN, len);
	}
	add_expr(r, e);
}

void vrrp_nft_e_meta(struct nftnl_rule *r, uint32_t key, uint32_t dreg)
{
	struct nftnl_expr *e = nftnl_expr_alloc("meta");

	if (e) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_META_DREG, dreg);
		nftnl_expr_set_u32(e, NFTNL_EXPR_META_KEY, key);
	}
	add_expr(r, e);
}

void vrrp_nft_e_cmp(struct nftnl_rule *r, uint32_t sreg, const void *data, uint32_t len)
{
	struct nftnl_expr *e = nftnl_expr_alloc("cmp");

	if (e) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_SREG, sreg);
		nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_OP, NFT_CMP_EQ);
		nftnl_expr_set_data(e, NFTNL_EXPR_CMP_DATA, data, len);
	}
	add_expr(r, e);
}

void vrrp_nft_e_cmp_u8(struct nftnl_rule *r, uint32_t sreg, uint8_t v)
{
	vrrp_nft_e_cmp(r, sreg, &v, 1);
}

void vrrp_nft_e_bitwise(struct nftnl_rule *r, uint32_t reg, const void *mask, const void *xor,
		      uint32_t len)
{
	struct nftnl_expr *e = nftnl_expr_alloc("bitwise");

	if (e) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_SREG, reg);
		nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_DREG, reg);
		nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_LEN, len);
		nftnl_expr_set_data(e, NFTNL_EXPR_BITWISE_MASK, mask, len);
		nftnl_expr_set_data(e, NFTNL_EXPR_BITWISE_XOR, xor, len);
	}
	add_expr(r, e);
}

void vrrp_nft_e_lookup(struct nftnl_rule *r, uint32_t sreg, uint32_t dreg, const char *set,
		     uint32_t set_id)
{
	struct nftnl_expr *e = nftnl_expr_alloc("lookup");

	if (e) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_SREG, sreg);
		if (dreg != NO_REG)
			nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_DREG, dreg);
		nftnl_expr_set_str(e, NFTNL_EXPR_LOOKUP_SET, set);
		if (set_id)
			nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_SET_ID, set_id);
	}
	add_expr(r, e);
}

void vrrp_nft_e_dup(struct nftnl_rule *r, uint32_t addr_reg, uint32_t dev_reg)
{
	struct nftnl_expr *e = nftnl_expr_alloc("dup");

	if (e) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_DUP_SREG_ADDR, addr_reg);
		nftnl_expr_set_u32(e, NFTNL_EXPR_DUP_SREG_DEV, dev_reg);
	}
	add_expr(r, e);
}

/* nftables_counters: every rule counts what it matches, before its verdict */
void vrrp_nft_e_verdict(struct vrrp_nft *n, struct nftnl_rule *r, int verdict, const char *chain)
{
	struct nftnl_expr *e;

	if (n->counters)
		add_expr(r, nftnl_expr_alloc("counter"));
	e = nftnl_expr_alloc("immediate");
	if (e) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_DREG, NFT_REG_VERDICT);
		if (chain)
			nftnl_expr_set_str(e, NFTNL_EXPR_IMM_CHAIN, chain);
		nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_VERDICT, (uint32_t)verdict);
	}
	add_expr(r, e);
}

/* ---- objects ---- */

struct nftnl_rule *vrrp_nft_rule_new(struct vrrp_nft *n, int family, const char *chain)
{
	struct nftnl_rule *r = nftnl_rule_alloc();

	if (!r)
		fatal("nftables: out of memory");
	nftnl_rule_set_str(r, NFTNL_RULE_TABLE, n->table);
	nftnl_rule_set_str(r, NFTNL_RULE_CHAIN, chain);
	nftnl_rule_set_u32(r, NFTNL_RULE_FAMILY, (uint32_t)family);
	return r;
}

void vrrp_nft_rule_put(struct vrrp_nft *n, struct nftnl_rule *r)
{
	struct nlmsghdr *nlh = nftnl_rule_nlmsg_build_hdr(vrrp_nft_batch_cur(n), NFT_MSG_NEWRULE,
			nftnl_rule_get_u32(r, NFTNL_RULE_FAMILY),
			NLM_F_APPEND | NLM_F_CREATE | NLM_F_ACK, n->seq++);

	nftnl_rule_nlmsg_build_payload(nlh, r);
	nftnl_rule_free(r);
	vrrp_nft_batch_next(n);
}

void vrrp_nft_put_table(struct vrrp_nft *n, int family, int type, uint16_t flags)
{
	struct nftnl_table *t = nftnl_table_alloc();
	struct nlmsghdr *nlh;

	if (!t)
		fatal("nftables: out of memory");
	nftnl_table_set_u32(t, NFTNL_TABLE_FAMILY, (uint32_t)family);
	nftnl_table_set_str(t, NFTNL_TABLE_NAME, n->table);
	nlh = nftnl_table_nlmsg_build_hdr(vrrp_nft_batch_cur(n), type, family, flags, n->seq++);
	nftnl_table_nlmsg_build_payload(nlh, t);
	nftnl_table_free(t);
	vrrp_nft_batch_next(n);
}

/* hook: NF_INET_LOCAL_IN/OUT for a base chain, -1 for a regular one */
void vrrp_nft_put_chain(struct vrrp_nft *n, int family, const char *name, int hook)
{
	struct nftnl_chain *c = nftnl_chain_alloc();
	struct nlmsghdr *nlh;

	if (!c)
		fatal("nftables: out of memory");
	nftnl_chain_set_str(c, NFTNL_CHAIN_TABLE, n->table);
	nftnl_chain_set_str(c, NFTNL_CHAIN_NAME, name);
	if (hook >= 0) {
		nftnl_chain_set_u32(c, NFTNL_CHAIN_HOOKNUM, (uint32_t)hook);
		nftnl_chain_set_str(c, NFTNL_CHAIN_TYPE, "filter");
		nftnl_chain_set_s32(c, NFTNL_CHAIN_PRIO, n->priority);
		nftnl_chain_set_u32(c, NFTNL_CHAIN_POLICY, NF_ACCEPT);
	}
	nlh = nftnl_chain_nlmsg_build_hdr(vrrp_nft_batch_cur(n), NFT_MSG_NEWCHAIN, family,
					  NLM_F_CREATE | NLM_F_ACK, n->seq++);
	nftnl_chain_nlmsg_build_payload(nlh, c);
	nftnl_chain_free(c);
	vrrp_nft_batch_next(n);
}

/* Key length of a (concatenated) nft type. */
static uint32_t type_len(uint32_t type)
{
	uint32_t len = 0;

	for (; type; type >>= TYPE_BITS)
		switch (type & ((1u << TYPE_BITS) - 1)) {
		case TYPE_IPADDR: len += 4; break;
		case TYPE_IP6ADDR: len += 16; break;
		case TYPE_IFINDEX: len += 4; break;
		case TYPE_ICMPV6_TYPE: len += 1; break;
		case TYPE_IFNAME: len += IFNAMSIZ; break;
		}
	return len;
}

/*
 * A named set (map: of iface_index to iface_index). Its id is n->set_id, which a rule
 * of the same batch can name; returned for elements added in that batch (caller frees).
 */
struct nftnl_set *vrrp_nft_put_set(struct vrrp_nft *n, int family, const char *name, uint32_t type,
				 uint32_t flags, bool map)
{
	struct nftnl_set *s = nftnl_set_alloc();
	struct nftnl_udata_buf *ud = nftnl_udata_buf_alloc(NFT_USERDATA_MAXLEN);
	struct nlmsghdr *nlh;

	if (!s || !ud)
		fatal("nftables: out of memory");
	nftnl_set_set_str(s, NFTNL_SET_TABLE, n->table);
	nftnl_set_set_str(s, NFTNL_SET_NAME, name);
	nftnl_set_set_u32(s, NFTNL_SET_FAMILY, (uint32_t)family);
	nftnl_set_set_u32(s, NFTNL_SET_KEY_LEN, type_len(type));
	nftnl_set_set_u32(s, NFTNL_SET_KEY_TYPE, type);
	if (map)
		flags |= NFT_SET_MAP;
	if (flags)
		nftnl_set_set_u32(s, NFTNL_SET_FLAGS, flags);
	if (map) {
		nftnl_set_set_u32(s, NFTNL_SET_DATA_TYPE, TYPE_IFINDEX);
		nftnl_set_set_u32(s, NFTNL_SET_DATA_LEN, 4);
	}
	nftnl_set_set_u32(s, NFTNL_SET_ID, ++n->set_id);
	/* addresses are in network order, the rest as the host has them (as 2.2.7 says) */
	nftnl_udata_put_u32(ud, NFTNL_UDATA_SET_KEYBYTEORDER,
			    type == TYPE_IPADDR || type == TYPE_IP6ADDR ? BYTEORDER_BIG :
			    BYTEORDER_HOST);
	if (map)
		nftnl_udata_put_u32(ud, NFTNL_UDATA_SET_DATABYTEORDER, BYTEORDER_HOST);
	nftnl_set_set_data(s, NFTNL_SET_USERDATA, nftnl_udata_buf_data(ud),
			   nftnl_udata_buf_len(ud));
	nftnl_udata_buf_free(ud);
	nlh = nftnl_set_nlmsg_build_hdr(vrrp_nft_batch_cur(n), NFT_MSG_NEWSET, family,
					NLM_F_CREATE | NLM_F_ACK, n->seq++);
	nftnl_set_nlmsg_build_payload(nlh, s);
	vrrp_nft_batch_next(n);
	return s;
}

/* A set by name, to carry elements. */
struct nftnl_set *vrrp_nft_set_ref(struct vrrp_nft *n, const char *name)
{
	struct nftnl_set *s = nftnl_set_alloc();

	if (!s)
		fatal("nftables: out of memory");
	nftnl_set_set_str(s, NFTNL_SET_TABLE, n->table);
	nftnl_set_set_str(s, NFTNL_SET_NAME, name);
	return s;
}

void vrrp_nft_elem_add(struct nftnl_set *s, const void *key, uint32_t len, const void *data,
		     uint32_t dlen)
{
	struct nftnl_set_elem *e = nftnl_set_elem_alloc();

	if (!e)
		fatal("nftables: out of memory");
	nftnl_set_elem_set(e, NFTNL_SET_ELEM_KEY, key, len);
	if (data)
		nftnl_set_elem_set(e, NFTNL_SET_ELEM_DATA, data, dlen);
	nftnl_set_elem_add(s, e);
}

/* Sends s's elements (if any) with type NEW/DELSETELEM, and frees s. */
void vrrp_nft_put_elems(struct vrrp_nft *n, struct nftnl_set *s, int family, int type,
		      uint16_t flags)
{
	struct nlmsghdr *nlh;
	struct nftnl_set_elems_iter *it;

	if (!s)
		return;
	it = nftnl_set_elems_iter_create(s);
	if (it && nftnl_set_elems_iter_cur(it)) {
		nlh = nftnl_nlmsg_build_hdr(vrrp_nft_batch_cur(n), type, family, flags, n->seq++);
		nftnl_set_elems_nlmsg_build_payload(nlh, s);
		vrrp_nft_batch_next(n);
	}
	if (it)
		nftnl_set_elems_iter_destroy(it);
	nftnl_set_free(s);
}
