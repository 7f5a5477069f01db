// SPDX-License-Identifier: GPL-2.0-or-later
/* tests/unit/test_vrrp_route.c: route/rule requests, 2.2.7's log lines, notification matches. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>

#include <cmocka.h>

#include "utils.h"
#include "vrrp/vrrp_route.h"

static struct inet_addr ip(const char *s)
{
	struct inet_addr a;

	assert_true(inet_addr_parse(s, &a));
	return a;
}

static struct vrrp_rt_prefix pfx(const char *s, uint8_t len)
{
	return (struct vrrp_rt_prefix){ .addr = ip(s), .len = len };
}

static struct vrrp_route route_base(void)
{
	return (struct vrrp_route){ .family = AF_INET, .table = RT_TABLE_MAIN, .type = RTN_UNICAST,
				    .scope = RT_SCOPE_UNIVERSE, .protocol = 18 };
}

static struct vrrp_rule rule_base(void)
{
	return (struct vrrp_rule){ .family = AF_INET, .protocol = 18, .action = VRRP_RULE_TABLE,
				   .suppress_prefixlen = -1, .suppress_ifgroup = -1 };
}

struct attrs {
	const struct nlattr *tb[64];
};

static int attr_cb(const struct nlattr *a, void *data)
{
	struct attrs *t = data;

	if (mnl_attr_get_type(a) < 64)
		t->tb[mnl_attr_get_type(a)] = a;
	return MNL_CB_OK;
}

static void test_route_request(void **state)
{
	uint8_t buf[VRRP_ROUTE_MSG_MAX];
	struct vrrp_route r = route_base();
	const struct nlmsghdr *nlh = (const void *)buf;
	const struct rtmsg *rtm;
	struct attrs t = { 0 };
	struct in_addr want;
	int len;

	(void)state;
	r.dst = pfx("172.16.0.0", 16);
	r.via = ip("192.0.2.2");
	snprintf(r.oif, sizeof(r.oif), "eth0");
	r.table = 1000;
	r.metric = 50;
	r.metrics[RTAX_MTU] = 1400;
	r.metrics_set = 1u << RTAX_MTU;
	len = vrrp_route_build(buf, sizeof(buf), true, 7, &r, 5, NULL);
	assert_true(len > 0 && (size_t)len == nlh->nlmsg_len);
	assert_int_equal(nlh->nlmsg_type, RTM_NEWROUTE);
	assert_int_equal(nlh->nlmsg_flags, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE);
	assert_int_equal(nlh->nlmsg_seq, 7);
	rtm = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(rtm->rtm_family, AF_INET);
	assert_int_equal(rtm->rtm_dst_len, 16);
	assert_int_equal(rtm->rtm_protocol, 18);
	assert_int_equal(rtm->rtm_scope, RT_SCOPE_UNIVERSE);
	assert_int_equal(rtm->rtm_table, RT_TABLE_UNSPEC);	/* > 255: RTA_TABLE only */
	assert_int_equal(mnl_attr_parse(nlh, sizeof(*rtm), attr_cb, &t), MNL_CB_OK);
	inet_pton(AF_INET, "172.16.0.0", &want);
	assert_memory_equal(mnl_attr_get_payload(t.tb[RTA_DST]), &want, 4);
	inet_pton(AF_INET, "192.0.2.2", &want);
	assert_memory_equal(mnl_attr_get_payload(t.tb[RTA_GATEWAY]), &want, 4);
	assert_int_equal(mnl_attr_get_u32(t.tb[RTA_OIF]), 5);
	assert_int_equal(mnl_attr_get_u32(t.tb[RTA_PRIORITY]), 50);
	assert_int_equal(mnl_attr_get_u32(t.tb[RTA_TABLE]), 1000);
	assert_non_null(t.tb[RTA_METRICS]);
	assert_null(t.tb[RTA_PREFSRC]);

	/* a delete finds the route whatever its scope, without its metrics */
	memset(&t, 0, sizeof(t));
	len = vrrp_route_build(buf, sizeof(buf), false, 8, &r, 5, NULL);
	assert_true(len > 0);
	assert_int_equal(nlh->nlmsg_type, RTM_DELROUTE);
	assert_int_equal(nlh->nlmsg_flags, NLM_F_REQUEST | NLM_F_ACK);
	assert_int_equal(rtm->rtm_scope, RT_SCOPE_NOWHERE);
	mnl_attr_parse(nlh, sizeof(*rtm), attr_cb, &t);
	assert_null(t.tb[RTA_METRICS]);

	/* add: EXCL; append: APPEND */
	r.flags |= VRRP_ROUTE_F_ADD;
	vrrp_route_build(buf, sizeof(buf), true, 9, &r, 5, NULL);
	assert_int_equal(nlh->nlmsg_flags, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL);
	r.flags = VRRP_ROUTE_F_APPEND;
	vrrp_route_build(buf, sizeof(buf), true, 9, &r, 5, NULL);
	assert_int_equal(nlh->nlmsg_flags, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_APPEND);
	assert_int_equal(vrrp_route_build(buf, 20, true, 1, &r, 5, NULL), -ENOSPC);
}

/* The scope `ip route add` would give when none is written. */
static void test_route_scope(void **state)
{
	static const struct {
		const char *what;
		uint8_t type;
		bool via, has_scope;
		uint8_t scope, want;
	} cases[] = {
		{ "gateway: global", RTN_UNICAST, true, false, 0, RT_SCOPE_UNIVERSE },
		{ "dev only: global, as 2.2.7", RTN_UNICAST, false, false, 0, RT_SCOPE_UNIVERSE },
		{ "local: host", RTN_LOCAL, false, false, 0, RT_SCOPE_HOST },
		{ "blackhole: global", RTN_BLACKHOLE, false, false, 0, RT_SCOPE_UNIVERSE },
		{ "broadcast: link", RTN_BROADCAST, false, false, 0, RT_SCOPE_LINK },
		{ "written: kept", RTN_UNICAST, false, true, RT_SCOPE_SITE, RT_SCOPE_SITE },
	};
	uint8_t buf[VRRP_ROUTE_MSG_MAX] = { 0 };
	const struct rtmsg *rtm = mnl_nlmsg_get_payload((const void *)buf);

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct vrrp_route r = route_base();

		r.dst = pfx("10.0.0.0", 8);
		r.type = cases[i].type;
		if (cases[i].via)
			r.via = ip("192.0.2.2");
		r.has_scope = cases[i].has_scope;
		r.scope = cases[i].scope;
		assert_true(vrrp_route_build(buf, sizeof(buf), true, 1, &r, 2, NULL) > 0);
		if (rtm->rtm_scope != cases[i].want)
			fail_msg("%s: scope %u", cases[i].what, rtm->rtm_scope);
	}
}

static void test_rule_request(void **state)
{
	uint8_t buf[VRRP_ROUTE_MSG_MAX];
	struct vrrp_rule r = rule_base();
	const struct nlmsghdr *nlh = (const void *)buf;
	const struct fib_rule_hdr *frh;
	struct attrs t = { 0 };

	(void)state;
	r.from = pfx("192.0.2.100", 32);
	r.to = pfx("10.9.0.0", 16);
	r.priority = 120;
	r.table = 100;
	r.has_fwmark = true;
	r.fwmark = 7;
	snprintf(r.iif, sizeof(r.iif), "eth1");
	assert_true(vrrp_rule_build(buf, sizeof(buf), true, 3, &r) > 0);
	assert_int_equal(nlh->nlmsg_type, RTM_NEWRULE);
	assert_int_equal(nlh->nlmsg_flags, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL);
	frh = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(frh->family, AF_INET);
	assert_int_equal(frh->src_len, 32);
	assert_int_equal(frh->dst_len, 16);
	assert_int_equal(frh->action, FR_ACT_TO_TBL);
	assert_int_equal(frh->table, 100);
	mnl_attr_parse(nlh, sizeof(*frh), attr_cb, &t);
	assert_int_equal(mnl_attr_get_u32(t.tb[FRA_PRIORITY]), 120);
	assert_int_equal(mnl_attr_get_u32(t.tb[FRA_TABLE]), 100);
	assert_int_equal(mnl_attr_get_u32(t.tb[FRA_FWMARK]), 7);
	assert_null(t.tb[FRA_FWMASK]);
	assert_string_equal(mnl_attr_get_str(t.tb[FRA_IIFNAME]), "eth1");
	assert_int_equal(mnl_attr_get_u8(t.tb[FRA_PROTOCOL]), 18);

	/* goto and not */
	memset(&t, 0, sizeof(t));
	r = rule_base();
	r.invert = true;
	r.action = VRRP_RULE_GOTO;
	r.priority = 10;
	r.goto_target = 20;
	assert_true(vrrp_rule_build(buf, sizeof(buf), false, 4, &r) > 0);
	assert_int_equal(nlh->nlmsg_type, RTM_DELRULE);
	assert_int_equal(frh->action, FR_ACT_GOTO);
	assert_int_equal(frh->flags, FIB_RULE_INVERT);
	mnl_attr_parse(nlh, sizeof(*frh), attr_cb, &t);
	assert_int_equal(mnl_attr_get_u32(t.tb[FRA_GOTO]), 20);
	assert_null(t.tb[FRA_TABLE]);
}

/* keepalived 2.2.7's lines, as seen in its log */
static void test_log_lines(void **state)
{
	char line[512];
	struct vrrp_route r = route_base();
	struct vrrp_rule u = rule_base();

	(void)state;
	r.dst = pfx("192.168.60.0", 24);
	r.via = ip("10.1.0.2");
	snprintf(r.oif, sizeof(r.oif), "eth1");
	assert_string_equal(vrrp_route_str(&r, line, sizeof(line)),
			    "prepend 192.168.60.0/24 via inet 10.1.0.2 dev eth1 proto 18");
	r.dst = (struct vrrp_rt_prefix){ 0 };
	r.table = 200;
	r.track_group = "TG";
	assert_string_equal(vrrp_route_str(&r, line, sizeof(line)),
			    "prepend default via inet 10.1.0.2 dev eth1 table 200 proto 18 "
			    "track_group TG");
	u.from = pfx("192.168.50.0", 24);
	u.priority = 1000;
	u.table = 100;
	assert_string_equal(vrrp_rule_str(&u, line, sizeof(line)),
			    "from 192.168.50.0/24 priority 1000 tos 0x0 protocol 18 lookup 100");
}

/* The kernel's notifications: a delete request has the attributes they carry. */
static void test_match(void **state)
{
	uint8_t buf[VRRP_ROUTE_MSG_MAX];
	const struct nlmsghdr *nlh = (const void *)buf;
	struct vrrp_route r = route_base(), other;
	struct vrrp_rule u = rule_base(), uo;

	(void)state;
	r.dst = pfx("172.16.0.0", 16);
	r.via = ip("192.0.2.2");
	r.metric = 5;
	vrrp_route_build(buf, sizeof(buf), false, 1, &r, 3, NULL);
	assert_true(vrrp_route_match(&r, 3, nlh));
	assert_false(vrrp_route_match(&r, 4, nlh));		/* another interface */
	other = r;
	other.metric = 6;
	assert_false(vrrp_route_match(&other, 3, nlh));
	other = r;
	other.table = 100;
	assert_false(vrrp_route_match(&other, 3, nlh));
	other = r;
	other.dst = pfx("172.17.0.0", 16);
	assert_false(vrrp_route_match(&other, 3, nlh));
	/* a default route: no RTA_DST (what crashed keepalived 2.2.7) */
	r.dst = (struct vrrp_rt_prefix){ 0 };
	vrrp_route_build(buf, sizeof(buf), false, 1, &r, 3, NULL);
	assert_true(vrrp_route_match(&r, 3, nlh));
	assert_false(vrrp_route_match(&other, 3, nlh));

	u.from = pfx("192.168.50.0", 24);
	u.priority = 1000;
	u.table = 100;
	vrrp_rule_build(buf, sizeof(buf), false, 1, &u);
	assert_true(vrrp_rule_match(&u, nlh));
	uo = u;
	uo.priority = 1001;
	assert_false(vrrp_rule_match(&uo, nlh));
	uo = u;
	uo.from = pfx("192.168.51.0", 24);
	assert_false(vrrp_rule_match(&uo, nlh));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_route_request),
		cmocka_unit_test(test_route_scope),
		cmocka_unit_test(test_rule_request),
		cmocka_unit_test(test_log_lines),
		cmocka_unit_test(test_match),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
