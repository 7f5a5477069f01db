// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tests/unit/test_vrrp_nft.c: keepalived 2.2.7's nftables ruleset as vrrp_nft.c builds it,
 * read back with `nft list ruleset` in a network namespace of the test's own (root; skipped
 * otherwise, and without the nft command). The expected listings are what Debian's
 * keepalived 2.2.7 makes for the same addresses and VMACs (nftables 1.0.6).
 */
#include <arpa/inet.h>
#include <net/if.h>
#include <stdbool.h>

#include "netns_test.h"
#include "utils.h"
#include "vrrp/vrrp_nft.h"

static bool skip_all;

static char *ruleset(void)
{
	static char buf[16384];
	FILE *p = popen("nft list ruleset", "r");
	size_t n;

	assert_non_null(p);
	n = fread(buf, 1, sizeof(buf) - 1, p);
	buf[n] = '\0';
	assert_int_equal(pclose(p), 0);
	return buf;
}

static struct vrrp_nft_addr addr(const char *s, const char *ifname, bool by_name)
{
	struct vrrp_nft_addr a = { .by_name = by_name };

	assert_true(inet_addr_parse(s, &a.addr));
	if (ifname) {
		a.ifindex = (int)if_nametoindex(ifname);
		snprintf(a.ifname, sizeof(a.ifname), "%s", ifname);
	}
	return a;
}

#define EXPECT_RULESET(want)							\
	do {									\
		const char *got_ = ruleset();					\
		if (strcmp(got_, want))						\
			fail_msg("nft list ruleset:\n%s\nwant:\n%s", got_, want);	\
	} while (0)

static const char addrs_ruleset[] =
	"table ip keepalived {\n"
	"\tset vips {\n"
	"\t\ttype ipv4_addr\n"
	"\t\telements = { 192.0.2.100, 192.0.2.101 }\n"
	"\t}\n"
	"\n"
	"\tchain out {\n"
	"\t\ttype filter hook output priority filter - 1; policy accept;\n"
	"\t\tip saddr @vips drop\n"
	"\t}\n"
	"\n"
	"\tchain in {\n"
	"\t\ttype filter hook input priority filter - 1; policy accept;\n"
	"\t\tip daddr @vips drop\n"
	"\t}\n"
	"}\n"
	"table ip6 keepalived {\n"
	"\tset vips {\n"
	"\t\ttype ipv6_addr\n"
	"\t\telements = { fd00::61 }\n"
	"\t}\n"
	"\n"
	"\tset neighbor-discovery {\n"
	"\t\ttype icmpv6_type\n"
	"\t\tflags constant\n"
	"\t\telements = { nd-neighbor-solicit,\n"
	"\t\t\t     nd-neighbor-advert }\n"
	"\t}\n"
	"\n"
	"\tset vips_link_local {\n"
	"\t\ttype ipv6_addr . iface_index\n"
	"\t\telements = { fe80::61 . \"eth0\" }\n"
	"\t}\n"
	"\n"
	"\tchain out {\n"
	"\t\ttype filter hook output priority filter - 1; policy accept;\n"
	"\t\ticmpv6 type @neighbor-discovery accept\n"
	"\t\tip6 saddr fe80::/10 goto out_link_local\n"
	"\t\tip6 saddr @vips drop\n"
	"\t}\n"
	"\n"
	"\tchain in {\n"
	"\t\ttype filter hook input priority filter - 1; policy accept;\n"
	"\t\ticmpv6 type @neighbor-discovery accept\n"
	"\t\tip6 daddr fe80::/10 goto in_link_local\n"
	"\t\tip6 daddr @vips drop\n"
	"\t}\n"
	"\n"
	"\tchain in_link_local {\n"
	"\t\tip6 daddr . iif @vips_link_local drop\n"
	"\t}\n"
	"\n"
	"\tchain out_link_local {\n"
	"\t\tip6 saddr . oif @vips_link_local drop\n"
	"\t}\n"
	"}\n";

/* Two holders of one address, a table left over by someone else, the stop. */
static void test_addresses(void **state)
{
	struct vrrp_nft_conf conf = { .table = "keepalived", .priority = -1 };
	struct vrrp_nft_hold h1 = { 0 }, h2 = { 0 };
	struct vrrp_nft_addr a1[] = {
		addr("192.0.2.100", "eth0", false), addr("192.0.2.101", "eth0", false),
		addr("fe80::61", "eth0", false), addr("fd00::61", "eth0", false),
	};
	struct vrrp_nft_addr a2[] = { addr("192.0.2.101", "eth0", false) };
	struct vrrp_nft *n;
	const char *got;

	(void)state;
	if (skip_all)
		skip();
	sh("nft add table ip keepalived && nft add chain ip keepalived left_over");
	n = vrrp_nft_new(&conf);
	assert_string_equal(ruleset(), "table ip keepalived {\n\tchain left_over {\n\t}\n}\n");
	assert_int_equal(vrrp_nft_hold(n, &h1, a1, ARRAY_SIZE(a1)), 0);
	EXPECT_RULESET(addrs_ruleset);
	assert_int_equal(vrrp_nft_hold(n, &h2, a2, ARRAY_SIZE(a2)), 0);
	assert_int_equal(vrrp_nft_hold(n, &h1, a1, ARRAY_SIZE(a1)), 0);	/* the same again */
	EXPECT_RULESET(addrs_ruleset);
	vrrp_nft_release(n, &h1);			/* 192.0.2.101 stays: h2 has it */
	got = ruleset();
	if (!strstr(got, "elements = { 192.0.2.101 }") || strstr(got, "192.0.2.100") ||
	    strstr(got, "fd00::61") || strstr(got, "fe80::61 ."))
		fail_msg("after h1's release:\n%s", got);
	/* h1 again, with one address less: only the others go in */
	assert_int_equal(vrrp_nft_hold(n, &h1, a1, 2), 0);
	assert_non_null(strstr(ruleset(), "elements = { 192.0.2.100, 192.0.2.101 }"));
	assert_int_equal(vrrp_nft_hold(n, &h1, &a1[1], 1), 0);	/* 192.0.2.100 out */
	assert_non_null(strstr(ruleset(), "elements = { 192.0.2.101 }"));
	vrrp_nft_release(n, &h1);
	vrrp_nft_release(n, &h2);
	assert_null(strstr(ruleset(), "elements = { 192"));
	free(h1.addrs);
	free(h2.addrs);
	vrrp_nft_free(n);
	assert_string_equal(ruleset(), "");
}

/* nftables_counters, nftables_priority, a name, keys by interface name; a new name. */
static void test_settings(void **state)
{
	struct vrrp_nft_conf conf = { .table = "kt_fw", .priority = -50, .counters = true };
	struct vrrp_nft_conf conf2 = { .table = "kt_two", .priority = -1 };
	struct vrrp_nft_hold h = { 0 };
	struct vrrp_nft_addr a[] = { addr("192.0.2.100", "eth0", false),
				     addr("fe80::62", "eth0", true) };
	struct vrrp_nft *n;
	const char *got;

	(void)state;
	if (skip_all)
		skip();
	n = vrrp_nft_new(&conf);
	assert_int_equal(vrrp_nft_hold(n, &h, a, ARRAY_SIZE(a)), 0);
	got = ruleset();
	if (!strstr(got, "table ip kt_fw {") || !strstr(got, "table ip6 kt_fw {") ||
	    !strstr(got, "type filter hook input priority -50; policy accept;") ||
	    !strstr(got, "ip daddr @vips counter packets 0 bytes 0 drop") ||
	    !strstr(got, "set vips_link_local_name {\n\t\ttype ipv6_addr . ifname\n"
			 "\t\telements = { fe80::62 . \"eth0\" }") ||
	    !strstr(got, "ip6 daddr . iifname @vips_link_local_name counter packets 0 bytes 0 drop"))
		fail_msg("nft list ruleset:\n%s", got);
	assert_false(vrrp_nft_conf_same(n, &conf2));
	vrrp_nft_reconf(n, &conf2);			/* a reload: made again under the new name */
	got = ruleset();
	if (strstr(got, "kt_fw") || !strstr(got, "table ip kt_two {") ||
	    !strstr(got, "elements = { 192.0.2.100 }") || strstr(got, "counter") ||
	    !strstr(got, "elements = { fe80::62 . \"eth0\" }"))
		fail_msg("after the new name:\n%s", got);
	vrrp_nft_release(n, &h);
	free(h.addrs);
	vrrp_nft_free(n);
	assert_string_equal(ruleset(), "");
}

/* Thousands of addresses in one transaction (keepalived's users have that many VIPs). */
static void test_many(void **state)
{
	enum { N = 4000 };
	struct vrrp_nft_conf conf = { .table = "keepalived", .priority = -1 };
	struct vrrp_nft_addr *a = xcalloc(N, sizeof(*a));
	struct vrrp_nft_hold h = { 0 };
	struct vrrp_nft *n;
	char s[64];
	FILE *p;
	unsigned count = 0;

	(void)state;
	if (skip_all)
		skip();
	for (unsigned i = 0; i < N; i++) {
		if (i % 2)
			snprintf(s, sizeof(s), "10.%u.%u.1", i / 256, i % 256);
		else
			snprintf(s, sizeof(s), "fe80::%x", i + 1);
		a[i] = addr(s, "eth0", i % 4 == 0);
	}
	n = vrrp_nft_new(&conf);
	assert_int_equal(vrrp_nft_hold(n, &h, a, N), 0);
	p = popen("nft list ruleset | grep -o '10\\.[0-9.]*\\|fe80::[0-9a-f][0-9a-f]*' | wc -l", "r");
	assert_non_null(p);
	assert_int_equal(fscanf(p, "%u", &count), 1);
	pclose(p);
	assert_int_equal(count, N);
	vrrp_nft_release(n, &h);
	assert_null(strstr(ruleset(), "10.0.1.1"));
	free(h.addrs);
	free(a);
	vrrp_nft_free(n);
	assert_string_equal(ruleset(), "");
}

static const char vmac_ruleset[] =
	"table ip keepalived {\n"
	"\tmap vmac_map {\n"
	"\t\ttype iface_index : iface_index\n"
	"\t\telements = { \"vrrp.51\" : \"eth0\" }\n"
	"\t}\n"
	"\n"
	"\tchain out {\n"
	"\t\ttype filter hook output priority filter - 1; policy accept;\n"
	"\t\tip protocol igmp meta oifkind \"macvlan\" dup to ip daddr device oif map @vmac_map drop\n"
	"\t}\n"
	"}\n"
	"table ip6 keepalived {\n"
	"\tmap vmac_map {\n"
	"\t\ttype iface_index : iface_index\n"
	"\t\telements = { \"vrrp.61\" : \"eth0\" }\n"
	"\t}\n"
	"\n"
	"\tset vmac_set {\n"
	"\t\ttype iface_index\n"
	"\t\telements = { \"vrrp.61\" }\n"
	"\t}\n"
	"\n"
	"\tchain out {\n"
	"\t\ttype filter hook output priority filter - 1; policy accept;\n"
	"\t\ticmpv6 type mld2-listener-report meta oifkind \"macvlan\" dup to ip6 daddr device oif map @vmac_map drop\n"
	"\t\ticmpv6 type nd-router-solicit meta oifkind \"macvlan\" oif @vmac_set drop\n"
	"\t}\n"
	"}\n";

/* The rules keepalived 2.2.7 makes for an IPv4 and an IPv6 VMAC (use_vmac, accept mode). */
static void test_vmac(void **state)
{
	struct vrrp_nft_conf conf = { .table = "keepalived", .priority = -1 };
	int base, v51, v61;
	struct vrrp_nft *n;

	(void)state;
	if (skip_all)
		skip();
	sh("ip link add vrrp.51 link eth0 type macvlan mode private && "
	   "ip link add vrrp.61 link eth0 type macvlan mode private");
	base = (int)if_nametoindex("eth0");
	v51 = (int)if_nametoindex("vrrp.51");
	v61 = (int)if_nametoindex("vrrp.61");
	n = vrrp_nft_new(&conf);
	assert_int_equal(vrrp_nft_vmac(n, v51, base, AF_INET, false, true), 0);
	assert_int_equal(vrrp_nft_vmac(n, v61, base, AF_INET6, false, true), 0);
	EXPECT_RULESET(vmac_ruleset);
	assert_int_equal(vrrp_nft_vmac(n, v61, base, AF_INET6, false, false), 0);
	assert_null(strstr(ruleset(), "vrrp.61"));
	assert_non_null(strstr(ruleset(), "\"vrrp.51\" : \"eth0\""));
	vrrp_nft_free(n);
	assert_string_equal(ruleset(), "");
	sh("ip link del vrrp.51 && ip link del vrrp.61");
}

static int setup(void **state)
{
	int r;

	(void)state;
	if (system("nft --version >/dev/null 2>&1") != 0) {
		skip_all = true;
		return 0;
	}
	r = netns_enter("test_vrrp_nft");
	if (r <= 0) {
		skip_all = r == 0;
		return r;
	}
	sh("ip link add eth0 type veth peer name eth0p && ip link set eth0 up && "
	   "ip link set eth0p up");
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_addresses),
		cmocka_unit_test(test_settings),
		cmocka_unit_test(test_many),
		cmocka_unit_test(test_vmac),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
