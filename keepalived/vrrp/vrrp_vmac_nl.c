// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/vrrp/vrrp_vmac_nl.c: vrrp_vmac.c's kernel edge: sysctls and synchronous rtnetlink. */
#include "vrrp_vmac_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

/* ---- sysctls ---- */

static void sysctl_path(char *p, size_t n, int v6, const char *ifname, const char *key)
{
	snprintf(p, n, "/proc/sys/net/ipv%d/conf/%s/%s", v6 ? 6 : 4, ifname, key);
}

int vmac_sysctl_get(int v6, const char *ifname, const char *key, int *val)
{
	char path[128], buf[32];
	ssize_t r;
	int fd;

	sysctl_path(path, sizeof(path), v6, ifname, key);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -errno;
	r = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (r <= 0)
		return r < 0 ? -errno : -EIO;
	buf[r] = 0;
	*val = atoi(buf);
	return 0;
}

int vmac_sysctl_set(int v6, const char *ifname, const char *key, int val)
{
	char path[128], buf[16];
	int fd, n, r = 0;

	sysctl_path(path, sizeof(path), v6, ifname, key);
	if ((fd = open(path, O_WRONLY | O_CLOEXEC)) < 0)
		return -errno;
	n = snprintf(buf, sizeof(buf), "%d\n", val);
	if (write(fd, buf, n) != n)
		r = -errno;
	close(fd);
	return r;
}

/* ---- netlink, synchronous ---- */

static struct mnl_socket *nl_sock(struct vmac_nl *vs)
{
	if (vs->nl)
		return vs->nl;
	vs->nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (vs->nl && mnl_socket_bind(vs->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		mnl_socket_close(vs->nl);
		vs->nl = NULL;
	}
	return vs->nl;
}

struct talk {
	uint32_t seq;
	int err;
	bool done;
	mnl_cb_t data_cb;		/* a GETLINK's answer */
	void *data;
};

/* Sends nlh (NLM_F_ACK) and waits for its answer (2 s at most). 0 or -errno. */
static int talk_cb(struct vmac_nl *vs, struct nlmsghdr *nlh, mnl_cb_t data_cb, void *data)
{
	struct mnl_socket *nl = nl_sock(vs);
	char buf[MNL_SOCKET_BUFFER_SIZE];
	uint32_t seq, portid;
	time_t until = time(NULL) + 2;

	if (!nl)
		return -errno ? -errno : -EIO;
	if (++vs->seq == 0)
		vs->seq = 1;
	seq = nlh->nlmsg_seq = vs->seq;
	nlh->nlmsg_flags |= NLM_F_ACK;
	portid = mnl_socket_get_portid(nl);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	while (time(NULL) <= until) {
		ssize_t n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		int r;

		if (n < 0)
			return -errno;
		r = mnl_cb_run(buf, n, seq, portid, data_cb, data);
		if (r == MNL_CB_STOP)
			return 0;
		if (r < 0) {
			if (errno == ESRCH || errno == EPROTO)	/* an old answer: read on */
				continue;
			return -errno;
		}
	}
	return -ETIMEDOUT;
}

static int talk(struct vmac_nl *vs, struct nlmsghdr *nlh)
{
	return talk_cb(vs, nlh, NULL, NULL);
}

static struct nlmsghdr *link_msg(char *buf, uint16_t type, uint16_t flags, int ifindex)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	return nlh;
}


static int linkinfo_data_cb(const struct nlattr *a, void *data)
{
	struct link_info *li = data;

	if (mnl_attr_get_type(a) == IFLA_MACVLAN_MODE && mnl_attr_get_payload_len(a) >= 4)
		li->mode = mnl_attr_get_u32(a);
	return MNL_CB_OK;
}

static int linkinfo_cb(const struct nlattr *a, void *data)
{
	struct link_info *li = data;

	if (mnl_attr_get_type(a) == IFLA_INFO_KIND)
		snprintf(li->kind, sizeof(li->kind), "%.*s", (int)mnl_attr_get_payload_len(a),
			 (const char *)mnl_attr_get_payload(a));
	else if (mnl_attr_get_type(a) == IFLA_INFO_DATA)
		mnl_attr_parse_nested(a, linkinfo_data_cb, li);
	return MNL_CB_OK;
}

static int link_attr_cb(const struct nlattr *a, void *data)
{
	struct link_info *li = data;

	switch (mnl_attr_get_type(a)) {
	case IFLA_LINK:
		if (mnl_attr_get_payload_len(a) >= 4)
			li->link = (int)mnl_attr_get_u32(a);
		break;
	case IFLA_ADDRESS:
		if (mnl_attr_get_payload_len(a) == 6)
			memcpy(li->mac, mnl_attr_get_payload(a), 6);
		break;
	case IFLA_LINKINFO:
		mnl_attr_parse_nested(a, linkinfo_cb, li);
		break;
	}
	return MNL_CB_OK;
}

static int link_cb(const struct nlmsghdr *nlh, void *data)
{
	if (nlh->nlmsg_type == RTM_NEWLINK)
		mnl_attr_parse(nlh, sizeof(struct ifinfomsg), link_attr_cb, data);
	return MNL_CB_OK;
}

/* The interface called name: 0 and *li, or -ENODEV. */
int vmac_link_get(struct vmac_nl *vs, const char *name, struct link_info *li)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = link_msg(buf, RTM_GETLINK, 0, 0);

	memset(li, 0, sizeof(*li));
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	return talk_cb(vs, nlh, link_cb, li);
}

int vmac_link_del(struct vmac_nl *vs, const char *name)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = link_msg(buf, RTM_DELLINK, 0, 0);

	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	return talk(vs, nlh);
}

int vmac_link_create(struct vmac_nl *vs, const char *name, int base, const uint8_t mac[6])
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = link_msg(buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, 0);
	struct nlattr *info, *data;

	mnl_attr_put_u32(nlh, IFLA_LINK, (uint32_t)base);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	mnl_attr_put(nlh, IFLA_ADDRESS, 6, mac);
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "macvlan");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	mnl_attr_put_u32(nlh, IFLA_MACVLAN_MODE, MACVLAN_MODE_PRIVATE);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, info);
	return talk(vs, nlh);
}

int vmac_link_addrgenmode_none(struct vmac_nl *vs, int ifindex)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = link_msg(buf, RTM_NEWLINK, 0, ifindex);
	struct nlattr *spec, *in6;

	spec = mnl_attr_nest_start(nlh, IFLA_AF_SPEC);
	in6 = mnl_attr_nest_start(nlh, AF_INET6);
	mnl_attr_put_u8(nlh, IFLA_INET6_ADDR_GEN_MODE, IN6_ADDR_GEN_MODE_NONE);
	mnl_attr_nest_end(nlh, in6);
	mnl_attr_nest_end(nlh, spec);
	return talk(vs, nlh);
}

int vmac_link_up(struct vmac_nl *vs, int ifindex)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = link_msg(buf, RTM_NEWLINK, 0, ifindex);
	struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);

	ifi->ifi_flags = IFF_UP;
	ifi->ifi_change = IFF_UP;
	return talk(vs, nlh);
}

/* The link-local address ll/64 on ifindex: nodad, preferred lifetime 0 (as 2.2.7). */
int vmac_ll_add(struct vmac_nl *vs, int ifindex, const struct in6_addr *ll)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifaddrmsg *ifa;
	struct ifa_cacheinfo ci = { .ifa_prefered = 0, .ifa_valid = 0xffffffffu };

	nlh->nlmsg_type = RTM_NEWADDR;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_REPLACE;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET6;
	ifa->ifa_prefixlen = 64;
	ifa->ifa_scope = RT_SCOPE_LINK;
	ifa->ifa_flags = IFA_F_NODAD;
	ifa->ifa_index = (uint32_t)ifindex;
	mnl_attr_put(nlh, IFA_LOCAL, sizeof(*ll), ll);
	mnl_attr_put(nlh, IFA_ADDRESS, sizeof(*ll), ll);
	mnl_attr_put_u32(nlh, IFA_FLAGS, IFA_F_NODAD);
	mnl_attr_put(nlh, IFA_CACHEINFO, sizeof(ci), &ci);
	return talk(vs, nlh);
}

/* The first link-local address of ifindex (an RTM_GETADDR dump). */
struct ll_find {
	int ifindex;
	bool found;
	struct in6_addr addr;
};

static int ll_attr_cb(const struct nlattr *a, void *data)
{
	struct ll_find *f = data;

	if (!f->found && mnl_attr_get_type(a) == IFA_ADDRESS &&
	    mnl_attr_get_payload_len(a) == sizeof(f->addr)) {
		memcpy(&f->addr, mnl_attr_get_payload(a), sizeof(f->addr));
		f->found = IN6_IS_ADDR_LINKLOCAL(&f->addr);
	}
	return MNL_CB_OK;
}

static int ll_cb(const struct nlmsghdr *nlh, void *data)
{
	struct ll_find *f = data;
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);

	if (nlh->nlmsg_type == RTM_NEWADDR && !f->found && ifa->ifa_family == AF_INET6 &&
	    (int)ifa->ifa_index == f->ifindex)
		mnl_attr_parse(nlh, sizeof(*ifa), ll_attr_cb, f);
	return MNL_CB_OK;
}

bool vmac_ll_of(struct vmac_nl *vs, int ifindex, struct in6_addr *out)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifaddrmsg *ifa;
	struct ll_find f = { .ifindex = ifindex };

	nlh->nlmsg_type = RTM_GETADDR;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET6;
	if (talk_cb(vs, nlh, ll_cb, &f) < 0 || !f.found)
		return false;
	*out = f.addr;
	return true;
}

void vmac_nl_close(struct vmac_nl *vs)
{
	if (vs->nl)
		mnl_socket_close(vs->nl);
	vs->nl = NULL;
}
