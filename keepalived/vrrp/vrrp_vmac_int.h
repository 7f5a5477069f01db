/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/vrrp/vrrp_vmac_int.h: vrrp_vmac.c's kernel edge: sysctls and synchronous rtnetlink. */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include <netinet/in.h>

struct mnl_socket;

/* A NETLINK_ROUTE socket of our own, opened on first use, every request waiting for its ACK. */
struct vmac_nl {
	struct mnl_socket *nl;
	uint32_t seq;
};
void vmac_nl_close(struct vmac_nl *vs);

/* What an interface is: its kind ("" for none), macvlan mode, lower device and MAC. */
struct link_info {
	char kind[32];
	uint32_t mode;			/* IFLA_MACVLAN_MODE */
	int link;
	uint8_t mac[6];
};

/* /proc/sys/net/ipv4|6/conf/IFNAME/KEY (v6: ipv6): 0 or -errno. */
int vmac_sysctl_get(int v6, const char *ifname, const char *key, int *val);
int vmac_sysctl_set(int v6, const char *ifname, const char *key, int val);

/* Each 0 or -errno (the kernel's answer). */
int vmac_link_get(struct vmac_nl *vs, const char *name, struct link_info *li);	/* -ENODEV */
int vmac_link_del(struct vmac_nl *vs, const char *name);
/* A macvlan in private mode called name on base, with mac. */
int vmac_link_create(struct vmac_nl *vs, const char *name, int base, const uint8_t mac[6]);
int vmac_link_addrgenmode_none(struct vmac_nl *vs, int ifindex);
int vmac_link_up(struct vmac_nl *vs, int ifindex);
/* The link-local address ll/64 on ifindex: nodad, preferred lifetime 0 (as 2.2.7). */
int vmac_ll_add(struct vmac_nl *vs, int ifindex, const struct in6_addr *ll);
/* The first link-local address of ifindex. */
bool vmac_ll_of(struct vmac_nl *vs, int ifindex, struct in6_addr *out);
