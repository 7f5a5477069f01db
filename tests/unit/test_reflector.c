// SPDX-License-Identifier: GPL-2.0-or-later
/* tests/unit/test_reflector.c: the interface/address table fed with hand-built rtnetlink messages. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include <cmocka.h>
#include <libmnl/libmnl.h>

#include "core/reflector.h"
#include "log.h"
#include "utils.h"

#define UPR (IFF_UP | IFF_RUNNING)
/* RFC 2863 operstates as linux/if.h numbers them (that header clashes with net/if.h) */
enum { OPER_DOWN = 2, OPER_UP = 6 };

static uint8_t mbuf[4096];

static const struct nlmsghdr *link_msg(uint16_t type, int ifindex, const char *name,
				       unsigned flags, unsigned mtu)
{
	static const uint8_t hw[6] = { 0x02, 0, 0, 0, 0, 1 };
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;

	memset(mbuf, 0, sizeof(mbuf));
	nlh = mnl_nlmsg_put_header(mbuf);
	nlh->nlmsg_type = type;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_type = 1;	/* ARPHRD_ETHER */
	ifi->ifi_index = ifindex;
	ifi->ifi_flags = flags;
	if (name)
		mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
	mnl_attr_put_u8(nlh, IFLA_OPERSTATE, (flags & IFF_RUNNING) ? OPER_UP : OPER_DOWN);
	mnl_attr_put(nlh, IFLA_ADDRESS, sizeof(hw), hw);
	return nlh;
}

static const struct nlmsghdr *addr_msg(uint16_t type, int ifindex, const char *addr, int plen,
				       const char *label)
{
	struct inet_addr a;
	struct nlmsghdr *nlh;
	struct ifaddrmsg *ifa;

	assert_true(inet_addr_parse(addr, &a));
	memset(mbuf, 0, sizeof(mbuf));
	nlh = mnl_nlmsg_put_header(mbuf);
	nlh->nlmsg_type = type;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = (uint8_t)a.family;
	ifa->ifa_prefixlen = (uint8_t)plen;
	ifa->ifa_index = (uint32_t)ifindex;
	ifa->ifa_scope = a.family == AF_INET6 && IN6_IS_ADDR_LINKLOCAL(&a.v6) ? RT_SCOPE_LINK : 0;
	size_t alen = a.family == AF_INET ? 4 : 16;
	/* as the kernel sends them: IPv4 has both, IPv6 only IFA_ADDRESS */
	mnl_attr_put(nlh, IFA_ADDRESS, alen, &a.v6);
	if (a.family == AF_INET)
		mnl_attr_put(nlh, IFA_LOCAL, alen, &a.v6);
	if (label)
		mnl_attr_put_strz(nlh, IFA_LABEL, label);
	mnl_attr_put_u32(nlh, IFA_FLAGS, a.family == AF_INET6 ? IFA_F_NODAD : IFA_F_PERMANENT);
	return nlh;
}

/* What the callbacks saw, one event per line. */
struct rec {
	char ev[8192];
	struct reflector *r;
	bool lookup_in_del;	/* a deleted link is still findable during its callback */
};

static void rec_add(struct rec *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void rec_add(struct rec *c, const char *fmt, ...)
{
	size_t n = strlen(c->ev);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->ev + n, sizeof(c->ev) - n, fmt, ap);
	va_end(ap);
	n = strlen(c->ev);
	snprintf(c->ev + n, sizeof(c->ev) - n, "\n");
}

static void on_link(void *arg, const struct reflector_if *ifp, enum reflector_link_ev ev,
		    const char *old)
{
	struct rec *c = arg;

	if (ev == REFLECTOR_LINK_DEL)
		c->lookup_in_del = reflector_if_by_index(c->r, ifp->ifindex) == ifp;
	if (old)
		rec_add(c, "link %d %s %s from %s", ifp->ifindex, ifp->name,
			reflector_link_ev_str(ev), old);
	else
		rec_add(c, "link %d %s %s", ifp->ifindex, ifp->name, reflector_link_ev_str(ev));
}

static void on_addr(void *arg, const struct reflector_if *ifp, const struct reflector_addr *a,
		    bool added)
{
	struct rec *c = arg;
	char s[INET6_ADDRSTRLEN];

	assert_int_equal(ifp->ifindex, a->ifindex);
	rec_add(c, "addr%c %s %s/%u", added ? '+' : '-', ifp->name,
		inet_addr_str(&a->addr, s, sizeof(s)), a->prefix_len);
}

static bool on_is_used(void *arg, const struct reflector_if *ifp)
{
	(void)arg;
	return !strcmp(ifp->name, "eth0") || !strcmp(ifp->name, "eth1");
}


/* ---- log capture: a log file, read back without the stamps ---- */

static char log_path[] = "/tmp/test_reflector.XXXXXX";
static long log_off;

static int log_setup(void **state)
{
	int fd = mkstemp(log_path);
	(void)state;

	assert_true(fd >= 0);
	close(fd);
	struct log_opts o = { .ident = "t", .facility = LOG_DAEMON, .detail = true,
			      .file = log_path, .max_prio = LOG_DEBUG };
	assert_int_equal(log_open(&o), 0);
	return 0;
}

static int log_teardown(void **state)
{
	(void)state;
	log_close();
	unlink(log_path);
	return 0;
}

/* The lines logged since the last call, messages only. */
static char *new_log(void)
{
	static char out[8192];
	char line[1024];
	FILE *f = fopen(log_path, "r");

	out[0] = 0;
	assert_non_null(f);
	fseek(f, log_off, SEEK_SET);
	while (fgets(line, sizeof(line), f)) {
		char *m = strstr(line, "]: ");

		strncat(out, m ? m + 3 : line, sizeof(out) - strlen(out) - 1);
	}
	log_off = ftell(f);
	fclose(f);
	return out;
}

static void feed(struct reflector *r, const struct nlmsghdr *nlh)
{
	assert_int_equal(reflector_handle_msg(r, nlh), 0);
}

/* Feeds one message and checks the callbacks and the log lines it caused. */
static void step(struct rec *c, const struct nlmsghdr *nlh, const char *ev, const char *log)
{
	const char *got_log;

	c->ev[0] = 0;
	feed(c->r, nlh);
	if (strcmp(c->ev, ev))
		fail_msg("events:\n%s\nwant:\n%s", c->ev, ev);
	got_log = new_log();
	if (strcmp(got_log, log))
		fail_msg("log:\n%s\nwant:\n%s", got_log, log);
}

static struct inet_addr ia(const char *s)
{
	struct inet_addr a;

	assert_true(inet_addr_parse(s, &a));
	return a;
}

static void test_links(void **state)
{
	struct rec c = { .ev = "" };
	const struct reflector_if *ifp;
	(void)state;

	c.r = reflector_new_table(&(struct reflector_cbs){ on_link, on_addr, on_is_used, &c });
	new_log();
	step(&c, link_msg(RTM_NEWLINK, 1, "lo", IFF_UP | IFF_RUNNING | IFF_LOOPBACK, 65536),
	     "link 1 lo new\n", "Interface lo added\n");
	step(&c, link_msg(RTM_NEWLINK, 2, "eth0", UPR, 1500), "link 2 eth0 new\n",
	     "Interface eth0 added\n");
	step(&c, link_msg(RTM_NEWLINK, 3, "eth1", IFF_UP, 1500), "link 3 eth1 new\n",
	     "Interface eth1 added\n");
	assert_int_equal(reflector_n_ifs(c.r), 3);

	ifp = reflector_if_by_name(c.r, "eth0");
	assert_non_null(ifp);
	assert_int_equal(ifp->ifindex, 2);
	assert_true(ifp->is_up);
	assert_int_equal(ifp->mtu, 1500);
	assert_int_equal(ifp->operstate, OPER_UP);
	assert_int_equal(ifp->hwaddr_len, 6);
	assert_int_equal(ifp->hwaddr[5], 1);
	assert_ptr_equal(reflector_if_by_index(c.r, 2), ifp);
	assert_false(reflector_if_by_index(c.r, 3)->is_up);	/* up but not running */
	assert_null(reflector_if_by_index(c.r, 4));
	assert_null(reflector_if_by_name(c.r, "eth2"));

	/* carrier comes and goes: up needs IFF_UP and IFF_RUNNING */
	step(&c, link_msg(RTM_NEWLINK, 3, "eth1", UPR, 1500), "link 3 eth1 up\n",
	     "Netlink reports eth1 up\n");
	step(&c, link_msg(RTM_NEWLINK, 2, "eth0", IFF_RUNNING, 1500), "link 2 eth0 down\n",
	     "Netlink reports eth0 down\n");
	step(&c, link_msg(RTM_NEWLINK, 2, "eth0", UPR, 1500), "link 2 eth0 up\n",
	     "Netlink reports eth0 up\n");
	/* the same again: nothing; an MTU change: a change, no line */
	step(&c, link_msg(RTM_NEWLINK, 2, "eth0", UPR, 1500), "", "");
	step(&c, link_msg(RTM_NEWLINK, 2, "eth0", UPR, 9000), "link 2 eth0 change\n", "");
	assert_int_equal(reflector_if_by_index(c.r, 2)->mtu, 9000);
	/* an interface not used: callbacks, no line */
	step(&c, link_msg(RTM_NEWLINK, 1, "lo", IFF_LOOPBACK, 65536), "link 1 lo down\n", "");

	/* rename away and back: the name follows, the line follows the state last reported */
	step(&c, link_msg(RTM_NEWLINK, 3, "eth1", IFF_UP, 1500), "link 3 eth1 down\n",
	     "Netlink reports eth1 down\n");
	step(&c, link_msg(RTM_NEWLINK, 3, "eth9", IFF_UP, 1500), "link 3 eth9 rename from eth1\n",
	     "Interface name has changed from eth1 to eth9\nInterface eth9 added\n");
	assert_null(reflector_if_by_name(c.r, "eth1"));
	assert_int_equal(reflector_if_by_name(c.r, "eth9")->ifindex, 3);
	step(&c, link_msg(RTM_NEWLINK, 3, "eth9", UPR, 1500), "link 3 eth9 up\n", "");
	step(&c, link_msg(RTM_NEWLINK, 3, "eth1", UPR, 1500), "link 3 eth1 rename from eth9\n",
	     "Interface name has changed from eth9 to eth1\nInterface eth1 added\n"
	     "Netlink reports eth1 up\n");
	assert_null(reflector_if_by_name(c.r, "eth9"));

	/* deleted, then created again under the same name with a new ifindex */
	step(&c, link_msg(RTM_DELLINK, 3, "eth1", 0, 1500), "link 3 eth1 del\n",
	     "Interface eth1 deleted\n");
	assert_true(c.lookup_in_del);
	assert_null(reflector_if_by_index(c.r, 3));
	assert_null(reflector_if_by_name(c.r, "eth1"));
	step(&c, link_msg(RTM_NEWLINK, 7, "eth1", IFF_UP, 1500), "link 7 eth1 new\n",
	     "Interface eth1 added\n");
	assert_int_equal(reflector_if_by_name(c.r, "eth1")->ifindex, 7);
	step(&c, link_msg(RTM_DELLINK, 33, "ghost", 0, 1500), "", "Unknown interface ghost deleted\n");

	/* the deletion was lost: the newest interface gets the name, the old one stays by index */
	step(&c, link_msg(RTM_NEWLINK, 8, "eth1", UPR, 1500), "link 8 eth1 new\n",
	     "Interface eth1 added\n");
	assert_int_equal(reflector_if_by_name(c.r, "eth1")->ifindex, 8);
	assert_string_equal(reflector_if_by_index(c.r, 7)->name, "eth1");
	/* and goes in the next resync, which does not see it */
	reflector_resync_begin(c.r);
	feed(c.r, link_msg(RTM_NEWLINK, 1, "lo", IFF_LOOPBACK, 65536));
	feed(c.r, link_msg(RTM_NEWLINK, 2, "eth0", UPR, 9000));
	feed(c.r, link_msg(RTM_NEWLINK, 8, "eth1", UPR, 1500));
	c.ev[0] = 0;
	reflector_resync_end(c.r, true);
	assert_string_equal(c.ev, "link 7 eth1 del\n");
	assert_int_equal(reflector_if_by_name(c.r, "eth1")->ifindex, 8);
	assert_int_equal(reflector_n_ifs(c.r), 3);
	new_log();

	/* iteration sees each once */
	unsigned n = 0;
	for (ifp = reflector_if_next(c.r, NULL); ifp; ifp = reflector_if_next(c.r, ifp))
		n++;
	assert_int_equal(n, 3);
	reflector_free(c.r);
}

static void test_addrs(void **state)
{
	struct rec c = { .ev = "" };
	const struct reflector_if *ifp;
	const struct reflector_addr *a;
	struct inet_addr x;
	(void)state;

	c.r = reflector_new_table(&(struct reflector_cbs){ on_link, on_addr, on_is_used, &c });
	feed(c.r, link_msg(RTM_NEWLINK, 2, "eth0", UPR, 1500));
	feed(c.r, link_msg(RTM_NEWLINK, 5, "dummy5", UPR, 1500));
	new_log();

	/* the first IPv4 address becomes the interface's own, logged for a used interface */
	step(&c, addr_msg(RTM_NEWADDR, 2, "10.0.0.1", 24, "eth0"), "addr+ eth0 10.0.0.1/24\n",
	     "Assigned address 10.0.0.1 for interface eth0\n");
	step(&c, addr_msg(RTM_NEWADDR, 2, "10.0.0.2", 24, "eth0:1"), "addr+ eth0 10.0.0.2/24\n", "");
	step(&c, addr_msg(RTM_NEWADDR, 5, "10.5.0.1", 24, NULL), "addr+ dummy5 10.5.0.1/24\n", "");
	ifp = reflector_if_by_index(c.r, 2);
	assert_true(ifp->has_src4);
	assert_int_equal(ifp->src4.s_addr, inet_addr("10.0.0.1"));
	assert_int_equal(ifp->n_addrs, 2);
	x = ia("10.0.0.2");
	a = reflector_addr_find(c.r, 2, &x);
	assert_non_null(a);
	assert_int_equal(a->prefix_len, 24);
	assert_string_equal(a->label, "eth0:1");
	assert_int_equal(a->flags, IFA_F_PERMANENT);
	assert_null(reflector_addr_find(c.r, 5, &x));	/* another interface */
	/* a repeat updates in place, quietly */
	step(&c, addr_msg(RTM_NEWADDR, 2, "10.0.0.2", 24, "eth0:2"), "", "");
	assert_string_equal(reflector_addr_find(c.r, 2, &x)->label, "eth0:2");

	/* the same address with another prefix is another entry (IPv4 allows both) */
	step(&c, addr_msg(RTM_NEWADDR, 2, "10.0.0.2", 32, NULL), "addr+ eth0 10.0.0.2/32\n", "");
	step(&c, addr_msg(RTM_DELADDR, 2, "10.0.0.2", 32, NULL), "addr- eth0 10.0.0.2/32\n", "");
	assert_non_null(reflector_addr_find(c.r, 2, &x));
	/* deleting what is not there, or on an unknown link: nothing */
	step(&c, addr_msg(RTM_DELADDR, 2, "10.0.0.9", 24, NULL), "", "");
	step(&c, addr_msg(RTM_NEWADDR, 99, "10.0.0.9", 24, NULL), "", "");

	/* the own address goes: another takes its place silently; the last one is logged */
	step(&c, addr_msg(RTM_DELADDR, 2, "10.0.0.1", 24, NULL), "addr- eth0 10.0.0.1/24\n", "");
	assert_int_equal(ifp->src4.s_addr, inet_addr("10.0.0.2"));
	step(&c, addr_msg(RTM_DELADDR, 2, "10.0.0.2", 24, NULL), "addr- eth0 10.0.0.2/24\n",
	     "Deassigned address 10.0.0.2 from interface eth0\n");
	assert_false(ifp->has_src4);

	/* IPv6: only a link-local address is the interface's own */
	step(&c, addr_msg(RTM_NEWADDR, 2, "2001:db8::1", 64, NULL), "addr+ eth0 2001:db8::1/64\n", "");
	assert_false(ifp->has_src6);
	step(&c, addr_msg(RTM_NEWADDR, 2, "fe80::1", 64, NULL), "addr+ eth0 fe80::1/64\n",
	     "Assigned address fe80::1 for interface eth0\n");
	step(&c, addr_msg(RTM_NEWADDR, 2, "fe80::2", 64, NULL), "addr+ eth0 fe80::2/64\n", "");
	x = ia("fe80::1");
	assert_int_equal(reflector_addr_find(c.r, 2, &x)->scope, RT_SCOPE_LINK);
	assert_int_equal(reflector_addr_find(c.r, 2, &x)->flags, IFA_F_NODAD);
	step(&c, addr_msg(RTM_DELADDR, 2, "fe80::1", 64, NULL), "addr- eth0 fe80::1/64\n", "");
	assert_true(ifp->has_src6);
	x = ia("fe80::2");
	assert_memory_equal(&ifp->src6, &x.v6, 16);
	feed(c.r, addr_msg(RTM_NEWADDR, 2, "10.0.0.7", 8, NULL));
	assert_int_equal(reflector_n_addrs(c.r), 4);

	unsigned n = 0;
	for (a = reflector_addr_next(c.r, 2, NULL); a; a = reflector_addr_next(c.r, 2, a))
		n++;
	assert_int_equal(n, 3);
	assert_null(reflector_addr_next(c.r, 42, NULL));

	/* the link goes: its addresses first, then the link */
	new_log();
	step(&c, link_msg(RTM_DELLINK, 2, "eth0", 0, 1500),
	     "addr- eth0 2001:db8::1/64\naddr- eth0 fe80::2/64\naddr- eth0 10.0.0.7/8\n"
	     "link 2 eth0 del\n",
	     "Deassigned address fe80::2 from interface eth0\n"
	     "Deassigned address 10.0.0.7 from interface eth0\nInterface eth0 deleted\n");
	assert_int_equal(reflector_n_addrs(c.r), 1);

	/* resync: what the dump does not show goes */
	feed(c.r, addr_msg(RTM_NEWADDR, 5, "10.5.0.2", 24, NULL));
	reflector_resync_begin(c.r);
	feed(c.r, link_msg(RTM_NEWLINK, 5, "dummy5", UPR, 1500));
	reflector_resync_end(c.r, true);
	feed(c.r, addr_msg(RTM_NEWADDR, 5, "10.5.0.2", 24, NULL));
	c.ev[0] = 0;
	reflector_resync_end(c.r, false);
	assert_string_equal(c.ev, "addr- dummy5 10.5.0.1/24\n");
	assert_int_equal(reflector_n_addrs(c.r), 1);
	reflector_free(c.r);
}

/*
 * Labels: the interface's name (no copy kept, so it reads as the name after a rename,
 * as the kernel relabels), none, or another one; each change of one replaces it.
 */
static void test_labels(void **state)
{
	struct rec c = { .ev = "" };
	const struct reflector_addr *a1, *a2, *a6;
	struct inet_addr x1 = ia("10.0.0.1"), x2 = ia("10.0.0.2"), x6 = ia("fe80::1");
	(void)state;

	c.r = reflector_new_table(&(struct reflector_cbs){ on_link, on_addr, on_is_used, &c });
	feed(c.r, link_msg(RTM_NEWLINK, 2, "eth0", UPR, 1500));
	feed(c.r, addr_msg(RTM_NEWADDR, 2, "10.0.0.1", 24, "eth0"));
	feed(c.r, addr_msg(RTM_NEWADDR, 2, "10.0.0.2", 24, "eth0:vip"));
	feed(c.r, addr_msg(RTM_NEWADDR, 2, "fe80::1", 64, NULL));
	a1 = reflector_addr_find(c.r, 2, &x1);
	a2 = reflector_addr_find(c.r, 2, &x2);
	a6 = reflector_addr_find(c.r, 2, &x6);
	assert_string_equal(a1->label, "eth0");
	assert_ptr_equal(a1->label, reflector_if_by_index(c.r, 2)->name);
	assert_string_equal(a2->label, "eth0:vip");
	assert_string_equal(a6->label, "");
	/* the rename, then the kernel's relabelling notifications */
	feed(c.r, link_msg(RTM_NEWLINK, 2, "wan0", UPR, 1500));
	assert_string_equal(a1->label, "wan0");
	assert_string_equal(a2->label, "eth0:vip");
	feed(c.r, addr_msg(RTM_NEWADDR, 2, "10.0.0.1", 24, "wan0"));
	feed(c.r, addr_msg(RTM_NEWADDR, 2, "10.0.0.2", 24, "wan0:vip"));
	assert_string_equal(a1->label, "wan0");
	assert_string_equal(a2->label, "wan0:vip");
	/* an own label becomes the name, the name an own label, an own label none */
	feed(c.r, addr_msg(RTM_NEWADDR, 2, "10.0.0.2", 24, "wan0"));
	assert_ptr_equal(a2->label, reflector_if_by_index(c.r, 2)->name);
	feed(c.r, addr_msg(RTM_NEWADDR, 2, "10.0.0.1", 24, "wan0:1"));
	assert_string_equal(a1->label, "wan0:1");
	feed(c.r, addr_msg(RTM_NEWADDR, 2, "10.0.0.1", 24, NULL));
	assert_string_equal(a1->label, "");
	feed(c.r, addr_msg(RTM_NEWADDR, 2, "fe80::1", 64, "wan0:6"));
	assert_string_equal(a6->label, "wan0:6");
	/* owned labels go with their entry: by DELADDR, and by the table's end (ASan) */
	feed(c.r, addr_msg(RTM_DELADDR, 2, "fe80::1", 64, NULL));
	feed(c.r, addr_msg(RTM_NEWADDR, 2, "10.0.0.3", 24, "wan0:3"));
	assert_int_equal(reflector_n_addrs(c.r), 3);
	reflector_free(c.r);
	new_log();	/* the rename's lines are not the next test's */
}

static void test_bad(void **state)
{
	struct reflector *r = reflector_new_table(NULL);
	struct reflector_stats st;
	struct nlmsghdr *nlh;
	(void)state;

	feed(r, link_msg(RTM_NEWLINK, 2, "eth0", UPR, 1500));
	/* no name */
	assert_int_equal(reflector_handle_msg(r, link_msg(RTM_NEWLINK, 3, NULL, UPR, 1500)),
			 -EBADMSG);
	/* a name without its NUL */
	nlh = (void *)link_msg(RTM_NEWLINK, 3, "eth1", UPR, 1500);
	struct nlattr *at = (void *)((uint8_t *)nlh + NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(struct ifinfomsg)));
	assert_int_equal(at->nla_type, IFLA_IFNAME);
	((char *)(at + 1))[4] = 'x';
	assert_int_equal(reflector_handle_msg(r, nlh), -EBADMSG);
	/* a name too long for IFNAMSIZ */
	assert_int_equal(reflector_handle_msg(r, link_msg(RTM_NEWLINK, 3, "averyverylongname",
							  UPR, 1500)), -EBADMSG);
	/* a payload shorter than ifinfomsg */
	nlh = (void *)link_msg(RTM_NEWLINK, 3, "eth1", UPR, 1500);
	nlh->nlmsg_len = NLMSG_HDRLEN + 8;
	assert_int_equal(reflector_handle_msg(r, nlh), -EBADMSG);
	/* an IPv4 address of 16 bytes; a prefix over 32; no address */
	nlh = (void *)addr_msg(RTM_NEWADDR, 2, "2001:db8::1", 64, NULL);
	((struct ifaddrmsg *)mnl_nlmsg_get_payload(nlh))->ifa_family = AF_INET;
	assert_int_equal(reflector_handle_msg(r, nlh), -EBADMSG);
	nlh = (void *)addr_msg(RTM_NEWADDR, 2, "10.0.0.1", 24, NULL);
	((struct ifaddrmsg *)mnl_nlmsg_get_payload(nlh))->ifa_prefixlen = 33;
	assert_int_equal(reflector_handle_msg(r, nlh), -EBADMSG);
	memset(mbuf, 0, sizeof(mbuf));
	nlh = mnl_nlmsg_put_header(mbuf);
	nlh->nlmsg_type = RTM_NEWADDR;
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET;
	assert_int_equal(reflector_handle_msg(r, nlh), -EBADMSG);
	reflector_get_stats(r, &st);
	assert_int_equal(st.n_bad, 7);
	assert_int_equal(reflector_n_ifs(r), 1);
	assert_int_equal(reflector_n_addrs(r), 0);

	/* not for us: bridge port messages, other families and types */
	nlh = (void *)link_msg(RTM_NEWLINK, 9, "br-port", UPR, 1500);
	((struct ifinfomsg *)mnl_nlmsg_get_payload(nlh))->ifi_family = AF_BRIDGE;
	feed(r, nlh);
	nlh = (void *)link_msg(RTM_NEWROUTE, 9, "x", UPR, 1500);
	feed(r, nlh);
	assert_int_equal(reflector_n_ifs(r), 1);
	reflector_free(r);
	reflector_free(NULL);
}

/* Thousands of each: every lookup finds its own, then everything goes. */
static void test_scale(void **state)
{
	enum { NIF = 5000, NA = 4 };
	struct reflector *r = reflector_new_table(NULL);
	char name[IFNAMSIZ], s[64];
	(void)state;

	for (int i = 1; i <= NIF; i++) {
		snprintf(name, sizeof(name), "if%d", i);
		feed(r, link_msg(RTM_NEWLINK, i, name, UPR, 1500));
		for (int k = 0; k < NA; k++) {
			snprintf(s, sizeof(s), k % 2 ? "10.%d.%d.%d" : "2001:db8:%x:%x::%x",
				 i / 256, i % 256, k);
			feed(r, addr_msg(RTM_NEWADDR, i, s, k % 2 ? 24 : 64, NULL));
		}
	}
	assert_int_equal(reflector_n_ifs(r), NIF);
	assert_int_equal(reflector_n_addrs(r), NIF * NA);
	for (int i = 1; i <= NIF; i++) {
		snprintf(name, sizeof(name), "if%d", i);
		const struct reflector_if *ifp = reflector_if_by_name(r, name);

		assert_non_null(ifp);
		assert_int_equal(ifp->ifindex, i);
		assert_ptr_equal(reflector_if_by_index(r, i), ifp);
		for (int k = 0; k < NA; k++) {
			snprintf(s, sizeof(s), k % 2 ? "10.%d.%d.%d" : "2001:db8:%x:%x::%x",
				 i / 256, i % 256, k);
			struct inet_addr x = ia(s);
			const struct reflector_addr *a = reflector_addr_find(r, i, &x);

			assert_non_null(a);
			assert_int_equal(a->ifindex, i);
			assert_null(reflector_addr_find(r, i % NIF + 1, &x));
		}
	}
	for (int i = 1; i <= NIF; i++) {
		snprintf(name, sizeof(name), "if%d", i);
		feed(r, link_msg(RTM_DELLINK, i, name, 0, 1500));
	}
	assert_int_equal(reflector_n_ifs(r), 0);
	assert_int_equal(reflector_n_addrs(r), 0);
	reflector_free(r);
}

static void test_log_vip(void **state)
{
	struct reflector *r = reflector_new_table(NULL);
	(void)state;

	feed(r, link_msg(RTM_NEWLINK, 2, "eth0", UPR, 1500));
	feed(r, addr_msg(RTM_NEWADDR, 2, "192.0.2.100", 24, NULL));
	struct inet_addr x = ia("192.0.2.100");
	new_log();
	reflector_log_vip(reflector_if_by_index(r, 2), reflector_addr_find(r, 2, &x), false);
	assert_string_equal(new_log(), "Netlink reflector reports IP 192.0.2.100 removed from eth0\n");
	for (int e = 0; e < REFLECTOR_LINK_EV__COUNT; e++)
		assert_string_not_equal(reflector_link_ev_str(e), "?");
	reflector_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_links),
		cmocka_unit_test(test_addrs),
		cmocka_unit_test(test_labels),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_scale),
		cmocka_unit_test(test_log_vip),
	};
	return cmocka_run_group_tests(tests, log_setup, log_teardown);
}
