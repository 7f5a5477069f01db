// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/vrrp/vrrp_nft.c: keepalived 2.2.7's nftables tables, sets and rules, through libnftnl. */
#include "vrrp_nft.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip6.h>

#include <libnftnl/table.h>

#include "log.h"
#include "vrrp_nft_int.h"

/* ---- keepalived's tables ---- */

static int have_table_cb(const struct nlmsghdr *nlh, void *arg)
{
	(void)nlh;
	*(bool *)arg = true;
	return MNL_CB_OK;
}

static bool have_table(struct vrrp_nft *n, int family)
{
	char buf[256];
	struct nftnl_table *t = nftnl_table_alloc();
	struct nlmsghdr *nlh;
	bool have = false;

	if (!t || vrrp_nft_open(n) < 0) {
		nftnl_table_free(t);
		return false;
	}
	nftnl_table_set_u32(t, NFTNL_TABLE_FAMILY, (uint32_t)family);
	nftnl_table_set_str(t, NFTNL_TABLE_NAME, n->table);
	nlh = nftnl_table_nlmsg_build_hdr(buf, NFT_MSG_GETTABLE, family, NLM_F_ACK, n->seq++);
	nftnl_table_nlmsg_build_payload(nlh, t);
	nftnl_table_free(t);
	if (mnl_socket_sendto(n->nl, nlh, nlh->nlmsg_len) >= 0)
		vrrp_nft_answers(n, have_table_cb, &have);	/* ENOENT: there is none */
	return have;
}

/* The first table made replaces what a previous run (or anyone) left under our name. */
static void replace_old_tables(struct vrrp_nft *n)
{
	static const int fams[] = { NFPROTO_IPV4, NFPROTO_IPV6 };

	if (n->made.v4_table || n->made.v6_table)
		return;
	for (unsigned i = 0; i < 2; i++)
		if (have_table(n, fams[i])) {
			log_info("Deleting old ip%s %s table", fams[i] == NFPROTO_IPV4 ? "" : "6",
				 n->table);
			vrrp_nft_put_table(n, fams[i], NFT_MSG_DELTABLE, NLM_F_ACK);
		}
}

static void setup_table(struct vrrp_nft *n, int family)
{
	bool *made = family == NFPROTO_IPV4 ? &n->made.v4_table : &n->made.v6_table;

	if (*made)
		return;
	replace_old_tables(n);
	vrrp_nft_put_table(n, family, NFT_MSG_NEWTABLE, NLM_F_CREATE | NLM_F_ACK);
	vrrp_nft_put_chain(n, family, "out", NF_INET_LOCAL_OUT);
	*made = true;
}

/* "ip[6] {s,d}addr @set" then the verdict */
static void rule_addr_set(struct vrrp_nft *n, int family, const char *chain, const char *set,
			  bool saddr)
{
	struct nftnl_rule *r = vrrp_nft_rule_new(n, family, chain);

	if (family == NFPROTO_IPV4)
		vrrp_nft_e_payload(r, NFT_PAYLOAD_NETWORK_HEADER, NFT_REG_1,
			  saddr ? offsetof(struct iphdr, saddr) : offsetof(struct iphdr, daddr), 4);
	else
		vrrp_nft_e_payload(r, NFT_PAYLOAD_NETWORK_HEADER, NFT_REG_1,
			  saddr ? offsetof(struct ip6_hdr, ip6_src) :
			  offsetof(struct ip6_hdr, ip6_dst), 16);
	vrrp_nft_e_lookup(r, NFT_REG_1, NO_REG, set, 0);
	vrrp_nft_e_verdict(n, r, NF_DROP, NULL);
	vrrp_nft_rule_put(n, r);
}

static void setup_v4_vips(struct vrrp_nft *n)
{
	struct nftnl_set *s;

	if (n->made.v4_vips)
		return;
	setup_table(n, NFPROTO_IPV4);
	vrrp_nft_put_chain(n, NFPROTO_IPV4, "in", NF_INET_LOCAL_IN);
	s = vrrp_nft_put_set(n, NFPROTO_IPV4, "vips", TYPE_IPADDR, 0, false);
	nftnl_set_free(s);
	rule_addr_set(n, NFPROTO_IPV4, "in", "vips", false);
	rule_addr_set(n, NFPROTO_IPV4, "out", "vips", true);
	n->made.v4_vips = true;
}

/* "icmpv6 type @neighbor-discovery accept" */
static void rule_nd_accept(struct vrrp_nft *n, const char *chain)
{
	struct nftnl_rule *r = vrrp_nft_rule_new(n, NFPROTO_IPV6, chain);

	vrrp_nft_e_payload(r, NFT_PAYLOAD_NETWORK_HEADER, NFT_REG_1,
			   offsetof(struct ip6_hdr, ip6_nxt), 1);
	vrrp_nft_e_cmp_u8(r, NFT_REG_1, IPPROTO_ICMPV6);
	vrrp_nft_e_payload(r, NFT_PAYLOAD_TRANSPORT_HEADER, NFT_REG_1,
			   offsetof(struct icmp6_hdr, icmp6_type), 1);
	vrrp_nft_e_lookup(r, NFT_REG_1, NO_REG, "neighbor-discovery", 0);
	vrrp_nft_e_verdict(n, r, NF_ACCEPT, NULL);
	vrrp_nft_rule_put(n, r);
}

/* "ip6 {s,d}addr fe80::/10 goto CHAIN" */
static void rule_ll_goto(struct vrrp_nft *n, const char *chain, const char *to, bool saddr)
{
	struct nftnl_rule *r = vrrp_nft_rule_new(n, NFPROTO_IPV6, chain);
	struct in6_addr mask = { .s6_addr = { 0xff, 0xc0 } }, xor = { 0 },
			fe80 = { .s6_addr = { 0xfe, 0x80 } };

	vrrp_nft_e_payload(r, NFT_PAYLOAD_NETWORK_HEADER, NFT_REG_1,
		  saddr ? offsetof(struct ip6_hdr, ip6_src) : offsetof(struct ip6_hdr, ip6_dst), 16);
	vrrp_nft_e_bitwise(r, NFT_REG_1, &mask, &xor, sizeof(mask));
	vrrp_nft_e_cmp(r, NFT_REG_1, &fe80, sizeof(fe80));
	vrrp_nft_e_verdict(n, r, NFT_GOTO, to);
	vrrp_nft_rule_put(n, r);
}

static void setup_v6_vips(struct vrrp_nft *n)
{
	static const uint8_t nd[] = { ND_NEIGHBOR_SOLICIT, ND_NEIGHBOR_ADVERT };
	struct nftnl_set *s;

	if (n->made.v6_vips)
		return;
	setup_table(n, NFPROTO_IPV6);
	vrrp_nft_put_chain(n, NFPROTO_IPV6, "in", NF_INET_LOCAL_IN);
	vrrp_nft_put_chain(n, NFPROTO_IPV6, "in_link_local", -1);
	vrrp_nft_put_chain(n, NFPROTO_IPV6, "out_link_local", -1);
	nftnl_set_free(vrrp_nft_put_set(n, NFPROTO_IPV6, "vips", TYPE_IP6ADDR, 0, false));
	s = vrrp_nft_put_set(n, NFPROTO_IPV6, "neighbor-discovery", TYPE_ICMPV6_TYPE,
			     NFT_SET_CONSTANT, false);
	for (unsigned i = 0; i < sizeof(nd); i++)
		vrrp_nft_elem_add(s, &nd[i], 1, NULL, 0);
	vrrp_nft_put_elems(n, s, NFPROTO_IPV6, NFT_MSG_NEWSETELEM, NLM_F_CREATE | NLM_F_ACK);
	rule_nd_accept(n, "in");
	rule_ll_goto(n, "in", "in_link_local", false);
	rule_nd_accept(n, "out");
	rule_ll_goto(n, "out", "out_link_local", true);
	rule_addr_set(n, NFPROTO_IPV6, "in", "vips", false);
	rule_addr_set(n, NFPROTO_IPV6, "out", "vips", true);
	n->made.v6_vips = true;
}

/* "ip6 {s,d}addr . {o,i}if[name] @SET drop" in {in,out}_link_local */
static void setup_link_local(struct vrrp_nft *n, bool by_name)
{
	const char *set = by_name ? "vips_link_local_name" : "vips_link_local";
	bool *made = by_name ? &n->made.ll_name : &n->made.ll_index;

	if (*made)
		return;
	setup_v6_vips(n);
	nftnl_set_free(vrrp_nft_put_set(n, NFPROTO_IPV6, set, TYPE_IP6ADDR << TYPE_BITS |
			       (by_name ? TYPE_IFNAME : TYPE_IFINDEX), 0, false));
	for (int out = 0; out < 2; out++) {
		struct nftnl_rule *r = vrrp_nft_rule_new(n, NFPROTO_IPV6, out ? "out_link_local" :
						"in_link_local");

		vrrp_nft_e_payload(r, NFT_PAYLOAD_NETWORK_HEADER, NFT_REG_1,
			  out ? offsetof(struct ip6_hdr, ip6_src) : offsetof(struct ip6_hdr, ip6_dst),
			  16);
		vrrp_nft_e_meta(r, out ? (by_name ? NFT_META_OIFNAME : NFT_META_OIF) :
		       (by_name ? NFT_META_IIFNAME : NFT_META_IIF), NFT_REG_2);
		vrrp_nft_e_lookup(r, NFT_REG_1, NO_REG, set, 0);
		vrrp_nft_e_verdict(n, r, NF_DROP, NULL);
		vrrp_nft_rule_put(n, r);
	}
	*made = true;
}

/* ---- addresses ---- */

static bool same_key(const struct vrrp_nft_addr *a, const struct vrrp_nft_addr *b)
{
	if (!inet_addr_eq(&a->addr, &b->addr))
		return false;
	if (a->addr.family != AF_INET6 || !IN6_IS_ADDR_LINKLOCAL(&a->addr.v6))
		return true;
	if (a->by_name != b->by_name)
		return false;
	return a->by_name ? !strcmp(a->ifname, b->ifname) : a->ifindex == b->ifindex;
}

static struct nft_entry *find_entry(struct vrrp_nft *n, const struct vrrp_nft_addr *a)
{
	for (unsigned i = 0; i < n->n_ents; i++)
		if (same_key(&n->ents[i].a, a))
			return &n->ents[i];
	return NULL;
}

/* One element set per kind of key, filled while a batch is built. */
enum { SET_V4, SET_V6, SET_LL, SET_LL_NAME, SET__COUNT };

static int set_kind(const struct vrrp_nft_addr *a)
{
	if (a->addr.family == AF_INET)
		return SET_V4;
	if (!IN6_IS_ADDR_LINKLOCAL(&a->addr.v6))
		return SET_V6;
	return a->by_name ? SET_LL_NAME : SET_LL;
}

/* Makes what a's set needs (in the batch) and puts a's key in sets[its kind]. */
static void key_into(struct vrrp_nft *n, const struct vrrp_nft_addr *a, struct nftnl_set **sets,
		     bool setup)
{
	static const char *const names[] = { "vips", "vips", "vips_link_local",
					     "vips_link_local_name" };
	int k = set_kind(a);
	uint8_t key[16 + IFNAMSIZ] = { 0 };
	uint32_t len;

	if (setup) {
		if (k == SET_V4)
			setup_v4_vips(n);
		else if (k == SET_V6)
			setup_v6_vips(n);
		else
			setup_link_local(n, k == SET_LL_NAME);
	}
	if (!sets[k])
		sets[k] = vrrp_nft_set_ref(n, names[k]);
	if (k == SET_V4) {
		memcpy(key, &a->addr.v4, 4);
		len = 4;
	} else {
		memcpy(key, &a->addr.v6, 16);
		len = 16;
		if (k == SET_LL) {
			uint32_t ix = (uint32_t)a->ifindex;

			memcpy(key + 16, &ix, 4);	/* host order: what meta iif gives */
			len += 4;
		} else if (k == SET_LL_NAME) {
			memcpy(key + 16, a->ifname, strnlen(a->ifname, IFNAMSIZ - 1));
			len += IFNAMSIZ;
		}
	}
	vrrp_nft_elem_add(sets[k], key, len, NULL, 0);
}

static void put_key_sets(struct vrrp_nft *n, struct nftnl_set **sets, int type, uint16_t flags)
{
	for (int k = 0; k < SET__COUNT; k++) {
		vrrp_nft_put_elems(n, sets[k], k == SET_V4 ? NFPROTO_IPV4 : NFPROTO_IPV6, type,
				   flags);
		sets[k] = NULL;
	}
}

static bool in_list(const struct vrrp_nft_addr *a, const struct vrrp_nft_addr *l, unsigned cnt)
{
	for (unsigned i = 0; i < cnt; i++)
		if (same_key(a, &l[i]))
			return true;
	return false;
}

int vrrp_nft_hold(struct vrrp_nft *n, struct vrrp_nft_hold *h, const struct vrrp_nft_addr *addrs,
		  unsigned cnt)
{
	struct nftnl_set *add[SET__COUNT] = { 0 }, *del[SET__COUNT] = { 0 };
	struct nft_made was = n->made;
	struct vrrp_nft_addr *keep;
	unsigned n_keep = 0;
	int r;

	vrrp_nft_batch_start(n, h->n + cnt);
	/* what h lets go of, and nobody else holds, leaves the sets */
	for (unsigned i = 0; i < h->n; i++) {
		struct nft_entry *e = find_entry(n, &h->addrs[i]);

		if (!in_list(&h->addrs[i], addrs, cnt) && e && e->refs == 1)
			key_into(n, &e->a, del, false);
	}
	put_key_sets(n, del, NFT_MSG_DELSETELEM, NLM_F_ACK);
	/* what h takes and nobody holds yet joins them (EXCL: as 2.2.7 adds them) */
	for (unsigned i = 0; i < cnt; i++)
		if (!in_list(&addrs[i], h->addrs, h->n) && !find_entry(n, &addrs[i]) &&
		    !in_list(&addrs[i], addrs, i))
			key_into(n, &addrs[i], add, true);
	put_key_sets(n, add, NFT_MSG_NEWSETELEM, NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK);
	if ((r = vrrp_nft_batch_send(n, "update the addresses dropped")) < 0) {
		n->made = was;
		return r;
	}
	/* the books: references, then h's own list */
	for (unsigned i = 0; i < h->n; i++) {
		struct nft_entry *e;

		if (in_list(&h->addrs[i], addrs, cnt) || !(e = find_entry(n, &h->addrs[i])))
			continue;
		if (--e->refs == 0)
			*e = n->ents[--n->n_ents];
	}
	for (unsigned i = 0; i < cnt; i++) {
		struct nft_entry *e;

		if (in_list(&addrs[i], h->addrs, h->n) || in_list(&addrs[i], addrs, i))
			continue;
		if ((e = find_entry(n, &addrs[i]))) {
			e->refs++;
			continue;
		}
		n->ents = xrealloc(n->ents, (n->n_ents + 1) * sizeof(*n->ents));
		n->ents[n->n_ents++] = (struct nft_entry){ .a = addrs[i], .refs = 1 };
	}
	keep = cnt ? xcalloc(cnt, sizeof(*keep)) : NULL;
	for (unsigned i = 0; i < cnt; i++)
		if (!in_list(&addrs[i], keep, n_keep))
			keep[n_keep++] = addrs[i];
	free(h->addrs);
	h->addrs = keep;
	h->n = n_keep;
	return 0;
}

/* ---- VMACs ---- */

/* "ip protocol igmp" / "icmpv6 type T" then "meta oifkind "macvlan"" */
static void match_vmac(struct nftnl_rule *r, int family, uint8_t icmp6_type, bool dup)
{
	static const char macvlan[IFNAMSIZ] = "macvlan";

	if (family == NFPROTO_IPV4) {
		vrrp_nft_e_payload(r, NFT_PAYLOAD_NETWORK_HEADER, NFT_REG_1,
				   offsetof(struct iphdr, protocol), 1);
		vrrp_nft_e_cmp_u8(r, NFT_REG_1, IPPROTO_IGMP);
		if (dup)
			vrrp_nft_e_payload(r, NFT_PAYLOAD_NETWORK_HEADER, NFT_REG_1,
				  offsetof(struct iphdr, daddr), 4);
	} else {
		vrrp_nft_e_meta(r, NFT_META_L4PROTO, NFT_REG_1);
		vrrp_nft_e_cmp_u8(r, NFT_REG_1, IPPROTO_ICMPV6);
		vrrp_nft_e_payload(r, NFT_PAYLOAD_TRANSPORT_HEADER, NFT_REG_1,
			  offsetof(struct icmp6_hdr, icmp6_type), 1);
		vrrp_nft_e_cmp_u8(r, NFT_REG_1, icmp6_type);
		if (dup)
			vrrp_nft_e_payload(r, NFT_PAYLOAD_NETWORK_HEADER, NFT_REG_1,
				  offsetof(struct ip6_hdr, ip6_dst), 16);
	}
	vrrp_nft_e_meta(r, NFT_META_OIFKIND, NFT_REG_2);
	vrrp_nft_e_cmp(r, NFT_REG_2, macvlan, sizeof(macvlan));
	vrrp_nft_e_meta(r, NFT_META_OIF, NFT_REG_2);
}

static void setup_igmp(struct vrrp_nft *n, int family)
{
	bool *made = family == NFPROTO_IPV4 ? &n->made.v4_igmp : &n->made.v6_igmp;
	struct nftnl_rule *r;
	uint32_t map_id, set_id = 0;

	if (*made)
		return;
	setup_table(n, family);
	nftnl_set_free(vrrp_nft_put_set(n, family, "vmac_map", TYPE_IFINDEX, 0, true));
	map_id = n->set_id;
	if (family == NFPROTO_IPV6) {
		nftnl_set_free(vrrp_nft_put_set(n, family, "vmac_set", TYPE_IFINDEX, 0, false));
		set_id = n->set_id;
	}
	/* reports leaving a VMAC go out of its base interface instead */
	r = vrrp_nft_rule_new(n, family, "out");
	match_vmac(r, family, MLD2_REPORT, true);
	vrrp_nft_e_lookup(r, NFT_REG_2, NFT_REG_2, "vmac_map", map_id);
	vrrp_nft_e_dup(r, NFT_REG_1, NFT_REG_2);
	vrrp_nft_e_verdict(n, r, NF_DROP, NULL);
	vrrp_nft_rule_put(n, r);
	if (family == NFPROTO_IPV6) {
		r = vrrp_nft_rule_new(n, family, "out");
		match_vmac(r, family, ROUTER_SOLICIT, false);
		vrrp_nft_e_lookup(r, NFT_REG_2, NO_REG, "vmac_set", set_id);
		vrrp_nft_e_verdict(n, r, NF_DROP, NULL);
		vrrp_nft_rule_put(n, r);
	}
	*made = true;
}

static void vmac_family(struct vrrp_nft *n, const struct nft_vmac *v, int family, bool add)
{
	int type = add ? NFT_MSG_NEWSETELEM : NFT_MSG_DELSETELEM;
	uint16_t flags = add ? NLM_F_CREATE | NLM_F_ACK : NLM_F_ACK;
	uint32_t ix = (uint32_t)v->ifindex, base = (uint32_t)v->base_ifindex;
	struct nftnl_set *s;

	if (add)
		setup_igmp(n, family);
	s = vrrp_nft_set_ref(n, "vmac_map");
	vrrp_nft_elem_add(s, &ix, 4, &base, 4);
	vrrp_nft_put_elems(n, s, family, type, flags);
	if (family == NFPROTO_IPV6) {
		s = vrrp_nft_set_ref(n, "vmac_set");
		vrrp_nft_elem_add(s, &ix, 4, NULL, 0);
		vrrp_nft_put_elems(n, s, family, type, flags);
	}
}

static void vmac_put(struct vrrp_nft *n, const struct nft_vmac *v, bool add)
{
	int fam = v->family == AF_INET ? NFPROTO_IPV4 : NFPROTO_IPV6;

	vmac_family(n, v, fam, add);
	if (v->other_family)
		vmac_family(n, v, fam == NFPROTO_IPV4 ? NFPROTO_IPV6 : NFPROTO_IPV4, add);
}

int vrrp_nft_vmac(struct vrrp_nft *n, int vmac_ifindex, int base_ifindex, sa_family_t family,
		  bool other_family, bool add)
{
	struct nft_vmac v = { vmac_ifindex, base_ifindex, family, other_family };
	struct nft_made was = n->made;
	unsigned i;
	int r;

	for (i = 0; i < n->n_vmacs; i++)
		if (n->vmacs[i].ifindex == vmac_ifindex)
			break;
	if (!add && i == n->n_vmacs)
		return 0;
	vrrp_nft_batch_start(n, 8);
	if (add && i < n->n_vmacs)
		vmac_put(n, &n->vmacs[i], false);	/* the same VMAC again: its new base */
	vmac_put(n, &v, add);
	if ((r = vrrp_nft_batch_send(n, add ? "add a VMAC" : "remove a VMAC")) < 0) {
		n->made = was;
		return r;
	}
	if (!add)
		n->vmacs[i] = n->vmacs[--n->n_vmacs];
	else if (i < n->n_vmacs)
		n->vmacs[i] = v;
	else {
		n->vmacs = xrealloc(n->vmacs, (n->n_vmacs + 1) * sizeof(*n->vmacs));
		n->vmacs[n->n_vmacs++] = v;
	}
	return 0;
}

/* ---- life ---- */

static void set_conf(struct vrrp_nft *n, const struct vrrp_nft_conf *conf)
{
	free(n->table);
	n->table = xstrdup(conf->table);
	n->priority = conf->priority;
	n->counters = conf->counters;
}

struct vrrp_nft *vrrp_nft_new(const struct vrrp_nft_conf *conf)
{
	struct vrrp_nft *n = xcalloc(1, sizeof(*n));

	set_conf(n, conf);
	return n;
}

bool vrrp_nft_conf_same(const struct vrrp_nft *n, const struct vrrp_nft_conf *conf)
{
	return !strcmp(n->table, conf->table) && n->priority == conf->priority &&
	       n->counters == conf->counters;
}

static void delete_tables(struct vrrp_nft *n)
{
	if (!n->made.v4_table && !n->made.v6_table)
		return;
	vrrp_nft_batch_start(n, 0);
	if (n->made.v4_table)
		vrrp_nft_put_table(n, NFPROTO_IPV4, NFT_MSG_DELTABLE, NLM_F_ACK);
	if (n->made.v6_table)
		vrrp_nft_put_table(n, NFPROTO_IPV6, NFT_MSG_DELTABLE, NLM_F_ACK);
	vrrp_nft_batch_send(n, "delete the tables");
	n->made = (struct nft_made){ 0 };
}

void vrrp_nft_reconf(struct vrrp_nft *n, const struct vrrp_nft_conf *conf)
{
	struct nftnl_set *sets[SET__COUNT] = { 0 };

	delete_tables(n);
	set_conf(n, conf);
	if (!n->n_ents && !n->n_vmacs)
		return;
	vrrp_nft_batch_start(n, n->n_ents + 4 * n->n_vmacs);
	for (unsigned i = 0; i < n->n_vmacs; i++)
		vmac_put(n, &n->vmacs[i], true);
	for (unsigned i = 0; i < n->n_ents; i++)
		key_into(n, &n->ents[i].a, sets, true);
	put_key_sets(n, sets, NFT_MSG_NEWSETELEM, NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK);
	if (vrrp_nft_batch_send(n, "make the tables again") < 0)
		n->made = (struct nft_made){ 0 };
}

void vrrp_nft_free(struct vrrp_nft *n)
{
	if (!n)
		return;
	delete_tables(n);
	if (n->nl)
		mnl_socket_close(n->nl);
	free(n->ents);
	free(n->vmacs);
	free(n->table);
	free(n);
}
