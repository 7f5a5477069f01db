/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tests/unit/test_ipvs.c: the IPVS edge without a kernel: the netlink encoder's bytes against
 * keepalived 2.2.7's captured messages (spec checker-ipvs.md 4.2, 4.4, A.2), the recording
 * backend's lines and table, and keepalived's rules on top (errors tolerated, retried and
 * logged with 2.2.7's words).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <errno.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/ip_vs.h>
#include <netlink/errno.h>
#include <netlink/genl/genl.h>
#include <cmocka.h>

#include "core/ipvs.h"
#include "core/ipvs_nl.h"
#include "log.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* --- the services and destinations of the captures --- */

static struct ipvs_svc svc4(const char *addr, uint16_t proto, uint16_t port, const char *sched)
{
	struct ipvs_svc s = { .af = AF_INET, .protocol = proto, .port = port,
			      .netmask = 0xffffffffU };

	assert_int_equal(inet_pton(AF_INET, addr, &s.addr.v4), 1);
	snprintf(s.sched_name, sizeof(s.sched_name), "%s", sched);
	return s;
}

static struct ipvs_svc svc_fwm(uint16_t af, uint32_t mark, const char *sched)
{
	struct ipvs_svc s = { .af = af, .fwmark = mark,
			      .netmask = af == AF_INET6 ? 128 : 0xffffffffU };

	snprintf(s.sched_name, sizeof(s.sched_name), "%s", sched);
	return s;
}

static struct ipvs_dest dest(const char *addr, uint16_t port, uint32_t fwd, int32_t weight)
{
	struct ipvs_dest d = { .af = strchr(addr, ':') ? AF_INET6 : AF_INET, .port = port,
			       .fwd_method = fwd, .weight = weight };

	assert_int_equal(inet_pton(d.af, addr, &d.addr), 1);
	return d;
}

/* --- expected attributes, written out by hand (no libnl) --- */

struct exp {
	uint8_t b[1024];
	size_t n;
	size_t nest[4];
	int depth;
};

static void a_put(struct exp *e, uint16_t type, const void *data, size_t len)
{
	uint16_t hdr[2] = { (uint16_t)(4 + len), type };

	memcpy(e->b + e->n, hdr, 4);
	if (len)
		memcpy(e->b + e->n + 4, data, len);
	e->n += 4 + len;
	while (e->n % 4)
		e->b[e->n++] = 0;
}

static void a_u8(struct exp *e, uint16_t t, uint8_t v) { a_put(e, t, &v, 1); }
static void a_u16(struct exp *e, uint16_t t, uint16_t v) { a_put(e, t, &v, 2); }
static void a_u32(struct exp *e, uint16_t t, uint32_t v) { a_put(e, t, &v, 4); }
static void a_str(struct exp *e, uint16_t t, const char *s) { a_put(e, t, s, strlen(s) + 1); }

static void a_addr(struct exp *e, uint16_t t, const char *addr)
{
	uint8_t a[16] = { 0 };

	assert_int_equal(inet_pton(strchr(addr, ':') ? AF_INET6 : AF_INET, addr, a), 1);
	a_put(e, t, a, 16);
}

static void a_nest(struct exp *e, uint16_t type)
{
	e->nest[e->depth++] = e->n;
	a_put(e, type | NLA_F_NESTED, NULL, 0);
}

static void a_end(struct exp *e)
{
	size_t off = e->nest[--e->depth];
	uint16_t len = (uint16_t)(e->n - off);

	memcpy(e->b + off, &len, 2);
}

static void a_svc(struct exp *e, const char *addr, uint16_t proto, uint16_t port, uint32_t fwmark,
		  const char *sched, const char *pe, uint32_t flags, uint32_t timeout)
{
	struct ip_vs_flags f = { .flags = flags, .mask = 0xffffffffU };

	a_nest(e, IPVS_CMD_ATTR_SERVICE);
	a_u16(e, IPVS_SVC_ATTR_AF, AF_INET);
	if (fwmark) {
		a_u32(e, IPVS_SVC_ATTR_FWMARK, fwmark);
	} else {
		a_u16(e, IPVS_SVC_ATTR_PROTOCOL, proto);
		a_addr(e, IPVS_SVC_ATTR_ADDR, addr);
		a_u16(e, IPVS_SVC_ATTR_PORT, htons(port));
	}
	a_str(e, IPVS_SVC_ATTR_SCHED_NAME, sched);
	if (pe)
		a_str(e, IPVS_SVC_ATTR_PE_NAME, pe);
	a_put(e, IPVS_SVC_ATTR_FLAGS, &f, sizeof(f));
	a_u32(e, IPVS_SVC_ATTR_TIMEOUT, timeout);
	a_u32(e, IPVS_SVC_ATTR_NETMASK, 0xffffffffU);
	a_end(e);
}

static void a_dest(struct exp *e, const char *addr, uint16_t port, uint32_t fwd, uint32_t weight)
{
	a_nest(e, IPVS_CMD_ATTR_DEST);
	a_u16(e, IPVS_DEST_ATTR_ADDR_FAMILY, AF_INET);
	a_addr(e, IPVS_DEST_ATTR_ADDR, addr);
	a_u16(e, IPVS_DEST_ATTR_PORT, htons(port));
	a_u32(e, IPVS_DEST_ATTR_FWD_METHOD, fwd);
	a_u32(e, IPVS_DEST_ATTR_WEIGHT, weight);
}

static void a_dest_end(struct exp *e)
{
	a_u32(e, IPVS_DEST_ATTR_U_THRESH, 0);
	a_u32(e, IPVS_DEST_ATTR_L_THRESH, 0);
	a_end(e);
}

#define FAMILY 32	/* the id the kernel gave IPVS in the capture */

/* Build c with the encoder; its genl header and attribute bytes must be cmd + e. */
static void assert_encoded(int c, const struct ipvs_svc *s, const struct ipvs_dest *d,
			   const struct ipvs_timeouts *t, const struct ipvs_daemon *dm,
			   uint8_t genl_cmd, const struct exp *e)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;
	int len;

	assert_non_null(msg);
	assert_int_equal(ipvs_nl_build(msg, FAMILY, c, s, d, t, dm), 0);
	nlh = nlmsg_hdr(msg);
	assert_int_equal(nlh->nlmsg_type, FAMILY);
	assert_int_equal(nlh->nlmsg_flags, NLM_F_REQUEST | NLM_F_ACK);	/* 0x5 */
	g = nlmsg_data(nlh);
	assert_int_equal(g->cmd, genl_cmd);
	assert_int_equal(g->version, 1);
	len = genlmsg_attrlen(g, 0);
	if ((size_t)len != e->n || memcmp(genlmsg_attrdata(g, 0), e->b, e->n)) {
		const uint8_t *p = (const uint8_t *)genlmsg_attrdata(g, 0);

		for (int i = 0; i < len || (size_t)i < e->n; i++)
			print_message("%3d: got %02x want %02x%s\n", i, i < len ? p[i] : 0,
				      (size_t)i < e->n ? e->b[i] : 0,
				      i < len && (size_t)i < e->n && p[i] == e->b[i] ? "" : "  <--");
		fail_msg("%s: attributes differ (got %d bytes, want %zu)", c < IPVS_C__COUNT ?
			 ipvs_cmd_name((enum ipvs_cmd)c) : "GET", len, e->n);
	}
	nlmsg_free(msg);
}

/* 4.4: NEW_SERVICE 10.0.0.1:80/tcp rr, then NEW_DEST 10.1.0.1 masq w1 */
static void test_encode_nat(void **state)
{
	struct ipvs_svc s = svc4("10.0.0.1", IPPROTO_TCP, 80, "rr");
	struct ipvs_dest d = dest("10.1.0.1", 80, IP_VS_CONN_F_MASQ, 1);
	struct exp e = { .n = 0 };

	(void)state;
	a_svc(&e, "10.0.0.1", IPPROTO_TCP, 80, 0, "rr", NULL, 0, 0);
	assert_encoded(IPVS_C_NEW_SERVICE, &s, NULL, NULL, NULL, IPVS_CMD_NEW_SERVICE, &e);
	assert_encoded(IPVS_C_SET_SERVICE, &s, NULL, NULL, NULL, IPVS_CMD_SET_SERVICE, &e);
	assert_encoded(IPVS_C_DEL_SERVICE, &s, NULL, NULL, NULL, IPVS_CMD_DEL_SERVICE, &e);

	a_dest(&e, "10.1.0.1", 80, 0, 1);
	a_dest_end(&e);
	assert_encoded(IPVS_C_NEW_DEST, &s, &d, NULL, NULL, IPVS_CMD_NEW_DEST, &e);
	assert_encoded(IPVS_C_DEL_DEST, &s, &d, NULL, NULL, IPVS_CMD_DEL_DEST, &e);
}

/* 4.4: the fwmark 7 sh service with persistence 360, its DR dest w3, the inhibit SET_DEST w0 */
static void test_encode_fwmark_dr(void **state)
{
	struct ipvs_svc s = svc_fwm(AF_INET, 7, "sh");
	struct ipvs_dest d = dest("10.1.0.1", 0, IP_VS_CONN_F_DROUTE, 3);
	struct exp e = { .n = 0 };

	(void)state;
	s.flags = IP_VS_SVC_F_PERSISTENT | IP_VS_SVC_F_SCHED_SH_PORT;	/* 0x11 */
	s.timeout_s = 360;
	a_svc(&e, NULL, 0, 0, 7, "sh", NULL, 0x11, 360);
	assert_encoded(IPVS_C_NEW_SERVICE, &s, NULL, NULL, NULL, IPVS_CMD_NEW_SERVICE, &e);

	/* in dest commands the service has flags 0x10 and timeout 0 (what ipvs_ops passes) */
	s.flags = 0x10;
	s.timeout_s = 0;
	e.n = 0;
	a_svc(&e, NULL, 0, 0, 7, "sh", NULL, 0x10, 0);
	a_dest(&e, "10.1.0.1", 0, 3, 3);
	a_dest_end(&e);
	assert_encoded(IPVS_C_NEW_DEST, &s, &d, NULL, NULL, IPVS_CMD_NEW_DEST, &e);

	d.weight = 0;
	e.n = 0;
	a_svc(&e, NULL, 0, 0, 7, "sh", NULL, 0x10, 0);
	a_dest(&e, "10.1.0.1", 0, 3, 0);
	a_dest_end(&e);
	assert_encoded(IPVS_C_SET_DEST, &s, &d, NULL, NULL, IPVS_CMD_SET_DEST, &e);
}

/* PE_NAME only when set; TUN_* only for TUN: type, port (GUE), flags (not IPIP) */
static void test_encode_pe_tun(void **state)
{
	struct ipvs_svc s = svc4("10.0.0.1", IPPROTO_UDP, 5060, "rr");
	struct ipvs_dest d = dest("10.1.0.2", 5060, IP_VS_CONN_F_TUNNEL, 2);
	struct exp e = { .n = 0 };

	(void)state;
	snprintf(s.pe_name, sizeof(s.pe_name), "sip");
	s.flags = IP_VS_SVC_F_PERSISTENT;
	s.timeout_s = 30;
	a_svc(&e, "10.0.0.1", IPPROTO_UDP, 5060, 0, "rr", "sip", 1, 30);
	assert_encoded(IPVS_C_NEW_SERVICE, &s, NULL, NULL, NULL, IPVS_CMD_NEW_SERVICE, &e);

	memset(s.pe_name, 0, sizeof(s.pe_name));
	s.flags = 0;
	s.timeout_s = 0;
	d.tun_type = IP_VS_CONN_F_TUNNEL_TYPE_GUE;
	d.tun_port = 6080;
	d.tun_flags = IP_VS_TUNNEL_ENCAP_FLAG_CSUM;
	e.n = 0;
	a_svc(&e, "10.0.0.1", IPPROTO_UDP, 5060, 0, "rr", NULL, 0, 0);
	a_dest(&e, "10.1.0.2", 5060, IP_VS_CONN_F_TUNNEL, 2);
	a_u8(&e, IPVS_DEST_ATTR_TUN_TYPE, IP_VS_CONN_F_TUNNEL_TYPE_GUE);
	a_u16(&e, IPVS_DEST_ATTR_TUN_PORT, htons(6080));
	a_u16(&e, IPVS_DEST_ATTR_TUN_FLAGS, IP_VS_TUNNEL_ENCAP_FLAG_CSUM);
	a_dest_end(&e);
	assert_encoded(IPVS_C_NEW_DEST, &s, &d, NULL, NULL, IPVS_CMD_NEW_DEST, &e);

	d.tun_type = IP_VS_CONN_F_TUNNEL_TYPE_IPIP;
	e.n = 0;
	a_svc(&e, "10.0.0.1", IPPROTO_UDP, 5060, 0, "rr", NULL, 0, 0);
	a_dest(&e, "10.1.0.2", 5060, IP_VS_CONN_F_TUNNEL, 2);
	a_u8(&e, IPVS_DEST_ATTR_TUN_TYPE, IP_VS_CONN_F_TUNNEL_TYPE_IPIP);
	a_dest_end(&e);
	assert_encoded(IPVS_C_SET_DEST, &s, &d, NULL, NULL, IPVS_CMD_SET_DEST, &e);

	d.tun_type = IP_VS_CONN_F_TUNNEL_TYPE_GRE;
	e.n = 0;
	a_svc(&e, "10.0.0.1", IPPROTO_UDP, 5060, 0, "rr", NULL, 0, 0);
	a_dest(&e, "10.1.0.2", 5060, IP_VS_CONN_F_TUNNEL, 2);
	a_u8(&e, IPVS_DEST_ATTR_TUN_TYPE, IP_VS_CONN_F_TUNNEL_TYPE_GRE);
	a_u16(&e, IPVS_DEST_ATTR_TUN_FLAGS, IP_VS_TUNNEL_ENCAP_FLAG_CSUM);
	a_dest_end(&e);
	assert_encoded(IPVS_C_SET_DEST, &s, &d, NULL, NULL, IPVS_CMD_SET_DEST, &e);
}

/* IPv6 service: AF 10, the whole 16-byte address, netmask 128 */
static void test_encode_ipv6(void **state)
{
	struct ipvs_svc s = { .af = AF_INET6, .protocol = IPPROTO_TCP, .port = 443,
			      .netmask = 128 };
	struct ip_vs_flags f = { 0, 0xffffffffU };
	struct exp e = { .n = 0 };

	(void)state;
	inet_pton(AF_INET6, "2001:db8::1", &s.addr.v6);
	snprintf(s.sched_name, sizeof(s.sched_name), "wlc");
	a_nest(&e, IPVS_CMD_ATTR_SERVICE);
	a_u16(&e, IPVS_SVC_ATTR_AF, AF_INET6);
	a_u16(&e, IPVS_SVC_ATTR_PROTOCOL, IPPROTO_TCP);
	a_addr(&e, IPVS_SVC_ATTR_ADDR, "2001:db8::1");
	a_u16(&e, IPVS_SVC_ATTR_PORT, htons(443));
	a_str(&e, IPVS_SVC_ATTR_SCHED_NAME, "wlc");
	a_put(&e, IPVS_SVC_ATTR_FLAGS, &f, sizeof(f));
	a_u32(&e, IPVS_SVC_ATTR_TIMEOUT, 0);
	a_u32(&e, IPVS_SVC_ATTR_NETMASK, 128);
	a_end(&e);
	assert_encoded(IPVS_C_NEW_SERVICE, &s, NULL, NULL, NULL, IPVS_CMD_NEW_SERVICE, &e);
}

/* FLUSH, GET_INFO, GET_CONFIG: no attributes; SET_CONFIG: the three timeouts; daemons */
static void test_encode_misc(void **state)
{
	struct ipvs_timeouts t = { 100, 20, 30 };
	struct ipvs_daemon dm = { .state = IP_VS_STATE_MASTER, .mcast_ifn = "eth0", .syncid = 5,
				  .sync_maxlen = 1000, .mcast_port = 8000, .mcast_ttl = 3,
				  .mcast_af = AF_INET };
	struct exp e = { .n = 0 };

	(void)state;
	assert_encoded(IPVS_C_FLUSH, NULL, NULL, NULL, NULL, IPVS_CMD_FLUSH, &e);
	assert_encoded(IPVS_NL_GET_INFO, NULL, NULL, NULL, NULL, IPVS_CMD_GET_INFO, &e);
	assert_encoded(IPVS_NL_GET_CONFIG, NULL, NULL, NULL, NULL, IPVS_CMD_GET_CONFIG, &e);

	a_u32(&e, IPVS_CMD_ATTR_TIMEOUT_TCP, 100);
	a_u32(&e, IPVS_CMD_ATTR_TIMEOUT_TCP_FIN, 20);
	a_u32(&e, IPVS_CMD_ATTR_TIMEOUT_UDP, 30);
	assert_encoded(IPVS_C_SET_CONFIG, NULL, NULL, &t, NULL, IPVS_CMD_SET_CONFIG, &e);

	inet_pton(AF_INET, "239.1.1.1", &dm.mcast_group.v4);
	e.n = 0;
	a_nest(&e, IPVS_CMD_ATTR_DAEMON);
	a_u32(&e, IPVS_DAEMON_ATTR_STATE, IP_VS_STATE_MASTER);
	a_str(&e, IPVS_DAEMON_ATTR_MCAST_IFN, "eth0");
	a_u32(&e, IPVS_DAEMON_ATTR_SYNC_ID, 5);
	a_u16(&e, IPVS_DAEMON_ATTR_SYNC_MAXLEN, 1000);
	a_u16(&e, IPVS_DAEMON_ATTR_MCAST_PORT, 8000);		/* host order, as 2.2.7 */
	a_u8(&e, IPVS_DAEMON_ATTR_MCAST_TTL, 3);
	a_put(&e, IPVS_DAEMON_ATTR_MCAST_GROUP, &dm.mcast_group.v4, 4);
	a_end(&e);
	assert_encoded(IPVS_C_NEW_DAEMON, NULL, NULL, NULL, &dm, IPVS_CMD_NEW_DAEMON, &e);

	/* without the optional ones: STATE, MCAST_IFN, SYNC_ID only */
	dm = (struct ipvs_daemon){ .state = IP_VS_STATE_BACKUP, .mcast_ifn = "lo" };
	e.n = 0;
	a_nest(&e, IPVS_CMD_ATTR_DAEMON);
	a_u32(&e, IPVS_DAEMON_ATTR_STATE, IP_VS_STATE_BACKUP);
	a_str(&e, IPVS_DAEMON_ATTR_MCAST_IFN, "lo");
	a_u32(&e, IPVS_DAEMON_ATTR_SYNC_ID, 0);
	a_end(&e);
	assert_encoded(IPVS_C_NEW_DAEMON, NULL, NULL, NULL, &dm, IPVS_CMD_NEW_DAEMON, &e);

	/* DEL_DAEMON: STATE and SYNC_ID */
	dm.syncid = 9;
	e.n = 0;
	a_nest(&e, IPVS_CMD_ATTR_DAEMON);
	a_u32(&e, IPVS_DAEMON_ATTR_STATE, IP_VS_STATE_BACKUP);
	a_u32(&e, IPVS_DAEMON_ATTR_SYNC_ID, 9);
	a_end(&e);
	assert_encoded(IPVS_C_DEL_DAEMON, NULL, NULL, NULL, &dm, IPVS_CMD_DEL_DAEMON, &e);

	/* a command without what it needs */
	struct nl_msg *msg = nlmsg_alloc();

	assert_int_equal(ipvs_nl_build(msg, FAMILY, IPVS_C_NEW_DEST, NULL, NULL, NULL, NULL),
			 -EINVAL);
	nlmsg_free(msg);
}

/* ipvs_ka_errno is libnl's round trip: nl_syserr2nlerr, then libipvs's nlerr2syserr */
static int libipvs_nlerr2syserr(int err)
{
	switch (abs(err)) {
	case NLE_BAD_SOCK: return EBADF;
	case NLE_EXIST: return EEXIST;
	case NLE_NOADDR: return EADDRNOTAVAIL;
	case NLE_OBJ_NOTFOUND: return ENOENT;
	case NLE_INTR: return EINTR;
	case NLE_AGAIN: return EAGAIN;
	case NLE_INVAL: return EINVAL;
	case NLE_NOACCESS: return EACCES;
	case NLE_NOMEM: return ENOMEM;
	case NLE_AF_NOSUPPORT: return EAFNOSUPPORT;
	case NLE_PROTO_MISMATCH: return EPROTONOSUPPORT;
	case NLE_OPNOTSUPP: return EOPNOTSUPP;
	case NLE_PERM: return EPERM;
	case NLE_BUSY: return EBUSY;
	case NLE_RANGE: return ERANGE;
	case NLE_NODEV: return ENODEV;
	}
	return err;
}

static void test_ka_errno(void **state)
{
	(void)state;
	for (int e = 1; e < 134; e++) {
		int want = libipvs_nlerr2syserr(nl_syserr2nlerr(e));

		if (ipvs_ka_errno(e) != want || ipvs_ka_errno(-e) != want)
			fail_msg("errno %d (%s): %d, libnl+libipvs give %d", e, strerror(e),
				 ipvs_ka_errno(e), want);
	}
	assert_int_equal(ipvs_ka_errno(ESRCH), ENOENT);
	assert_int_equal(ipvs_ka_errno(EMSGSIZE), EPERM);
}

/* --- the recording backend --- */

static char *rec_buf;
static size_t rec_len, rec_seen;

static struct ipvs_backend *rec_open(FILE **f)
{
	rec_seen = 0;
	*f = open_memstream(&rec_buf, &rec_len);
	assert_non_null(*f);
	return ipvs_rec_open(*f);
}

/* the recorded lines so far, then forget them */
static void assert_lines(FILE *f, const char *want)
{
	fflush(f);
	if (strcmp(rec_buf + rec_seen, want))
		fail_msg("recorded:\n%s\nwant:\n%s", rec_buf + rec_seen, want);
	rec_seen = rec_len;
}

static void test_rec_lines(void **state)
{
	FILE *f;
	struct ipvs_backend *b = rec_open(&f);
	struct ipvs_svc s = svc4("10.0.0.1", IPPROTO_TCP, 80, "rr");
	struct ipvs_dest d = dest("10.1.0.1", 80, IP_VS_CONN_F_MASQ, 1);
	struct ipvs_timeouts t = { 100, 0, 30 }, got;
	struct ipvs_daemon dm = { .state = IP_VS_STATE_MASTER, .mcast_ifn = "eth0",
				  .mcast_af = AF_INET };

	(void)state;
	inet_pton(AF_INET, "239.1.1.1", &dm.mcast_group.v4);
	assert_int_equal(b->svc(b, IPVS_C_NEW_SERVICE, &s), 0);
	assert_int_equal(b->dest(b, IPVS_C_NEW_DEST, &s, &d), 0);
	assert_int_equal(b->svc(b, IPVS_C_NEW_SERVICE, &s), -EEXIST);	/* as the kernel */
	ipvs_rec_fail(b, IPVS_C_SET_DEST, ENOMEM);
	assert_int_equal(b->dest(b, IPVS_C_SET_DEST, &s, &d), -ENOMEM);
	assert_int_equal(b->dest(b, IPVS_C_SET_DEST, &s, &d), 0);	/* once only */
	assert_lines(f,
		"{\"cmd\":\"NEW_SERVICE\",\"svc\":{\"af\":2,\"protocol\":6,\"addr\":\"10.0.0.1\","
		"\"port\":80,\"fwmark\":0,\"sched_name\":\"rr\",\"pe_name\":\"\",\"flags\":0,"
		"\"timeout_s\":0,\"netmask\":4294967295}}\n"
		"{\"cmd\":\"NEW_DEST\",\"svc\":{\"af\":2,\"protocol\":6,\"addr\":\"10.0.0.1\","
		"\"port\":80,\"fwmark\":0,\"sched_name\":\"rr\",\"pe_name\":\"\",\"flags\":0,"
		"\"timeout_s\":0,\"netmask\":4294967295},\"dest\":{\"af\":2,\"addr\":\"10.1.0.1\","
		"\"port\":80,\"fwd_method\":0,\"weight\":1,\"tun_type\":0,\"tun_port\":0,"
		"\"tun_flags\":0,\"u_thresh\":0,\"l_thresh\":0}}\n"
		"{\"cmd\":\"NEW_SERVICE\",\"svc\":{\"af\":2,\"protocol\":6,\"addr\":\"10.0.0.1\","
		"\"port\":80,\"fwmark\":0,\"sched_name\":\"rr\",\"pe_name\":\"\",\"flags\":0,"
		"\"timeout_s\":0,\"netmask\":4294967295},\"err\":17}\n"
		"{\"cmd\":\"SET_DEST\",\"svc\":{\"af\":2,\"protocol\":6,\"addr\":\"10.0.0.1\","
		"\"port\":80,\"fwmark\":0,\"sched_name\":\"rr\",\"pe_name\":\"\",\"flags\":0,"
		"\"timeout_s\":0,\"netmask\":4294967295},\"dest\":{\"af\":2,\"addr\":\"10.1.0.1\","
		"\"port\":80,\"fwd_method\":0,\"weight\":1,\"tun_type\":0,\"tun_port\":0,"
		"\"tun_flags\":0,\"u_thresh\":0,\"l_thresh\":0},\"err\":12}\n"
		"{\"cmd\":\"SET_DEST\",\"svc\":{\"af\":2,\"protocol\":6,\"addr\":\"10.0.0.1\","
		"\"port\":80,\"fwmark\":0,\"sched_name\":\"rr\",\"pe_name\":\"\",\"flags\":0,"
		"\"timeout_s\":0,\"netmask\":4294967295},\"dest\":{\"af\":2,\"addr\":\"10.1.0.1\","
		"\"port\":80,\"fwd_method\":0,\"weight\":1,\"tun_type\":0,\"tun_port\":0,"
		"\"tun_flags\":0,\"u_thresh\":0,\"l_thresh\":0}}\n");

	assert_int_equal(b->get_timeouts(b, &got), 0);
	assert_int_equal(got.tcp_s, 900);
	assert_int_equal(b->set_timeouts(b, &t), 0);
	assert_int_equal(b->daemon(b, IPVS_C_NEW_DAEMON, &dm), 0);
	assert_int_equal(b->daemon(b, IPVS_C_DEL_DAEMON, &dm), 0);
	assert_int_equal(b->daemon(b, IPVS_C_DEL_DAEMON, &dm), -ESRCH);
	assert_int_equal(b->flush(b), 0);
	assert_lines(f,
		"{\"cmd\":\"GET_CONFIG\"}\n"
		"{\"cmd\":\"SET_CONFIG\",\"timeouts\":{\"tcp_s\":100,\"tcpfin_s\":0,\"udp_s\":30}}\n"
		"{\"cmd\":\"NEW_DAEMON\",\"daemon\":{\"state\":1,\"mcast_ifn\":\"eth0\",\"syncid\":0,"
		"\"sync_maxlen\":0,\"mcast_port\":0,\"mcast_ttl\":0,\"mcast_af\":2,"
		"\"mcast_group\":\"239.1.1.1\"}}\n"
		"{\"cmd\":\"DEL_DAEMON\",\"daemon\":{\"state\":1,\"mcast_ifn\":\"eth0\",\"syncid\":0,"
		"\"sync_maxlen\":0,\"mcast_port\":0,\"mcast_ttl\":0,\"mcast_af\":2,"
		"\"mcast_group\":\"239.1.1.1\"}}\n"
		"{\"cmd\":\"DEL_DAEMON\",\"daemon\":{\"state\":1,\"mcast_ifn\":\"eth0\",\"syncid\":0,"
		"\"sync_maxlen\":0,\"mcast_port\":0,\"mcast_ttl\":0,\"mcast_af\":2,"
		"\"mcast_group\":\"239.1.1.1\"},\"err\":3}\n"
		"{\"cmd\":\"FLUSH\"}\n");
	assert_int_equal(b->get_timeouts(b, &got), 0);
	assert_int_equal(got.tcp_s, 100);
	assert_int_equal(got.tcpfin_s, 120);
	assert_int_equal(got.udp_s, 30);
	b->close(b);
	fclose(f);
	free(rec_buf);
	rec_buf = NULL;
}

static char *dump(struct ipvs_backend *b)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	ipvs_rec_dump_table(b, f);
	fclose(f);
	return buf;
}

static void assert_dump(struct ipvs_backend *b, const char *want)
{
	char *got = dump(b);

	if (strcmp(got, want))
		fail_msg("table:\n%s\nwant:\n%s", got, want);
	free(got);
}

#define DUMP_HEAD "Prot LocalAddress:Port Scheduler Flags\n" \
	"  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n"

/* The table as ipvsadm -Ln printed it in the VM for the same commands (its order too). */
static void test_rec_table(void **state)
{
	struct ipvs_backend *b = ipvs_rec_open(NULL);
	struct ipvs_svc a = svc4("10.0.0.1", IPPROTO_TCP, 80, "rr");
	struct ipvs_svc u = svc4("10.0.0.3", IPPROTO_UDP, 81, "wlc");
	struct ipvs_svc fw = svc_fwm(AF_INET, 7, "sh");
	struct ipvs_svc fw6 = svc_fwm(AF_INET6, 9, "rr");
	struct ipvs_dest d1 = dest("10.1.0.1", 80, IP_VS_CONN_F_MASQ, 1);
	struct ipvs_dest d2 = dest("10.1.0.2", 80, IP_VS_CONN_F_MASQ, 2);

	(void)state;
	fw.flags = IP_VS_SVC_F_PERSISTENT;
	fw.timeout_s = 360;
	/* added out of order: ipvsadm sorts */
	assert_int_equal(b->svc(b, IPVS_C_NEW_SERVICE, &fw6), 0);
	assert_int_equal(b->svc(b, IPVS_C_NEW_SERVICE, &fw), 0);
	assert_int_equal(b->svc(b, IPVS_C_NEW_SERVICE, &u), 0);
	assert_int_equal(b->svc(b, IPVS_C_NEW_SERVICE, &a), 0);
	assert_int_equal(b->dest(b, IPVS_C_NEW_DEST, &a, &d2), 0);
	assert_int_equal(b->dest(b, IPVS_C_NEW_DEST, &a, &d1), 0);
	d1.port = 81;
	assert_int_equal(b->dest(b, IPVS_C_NEW_DEST, &u, &d1), 0);
	d1 = dest("10.1.0.1", 0, IP_VS_CONN_F_DROUTE, 3);
	fw.flags = 0;
	fw.timeout_s = 0;
	assert_int_equal(b->dest(b, IPVS_C_NEW_DEST, &fw, &d1), 0);
	d2 = dest("2001:db8::1", 80, IP_VS_CONN_F_MASQ, 1);
	assert_int_equal(b->dest(b, IPVS_C_NEW_DEST, &fw6, &d2), 0);
	d2.fwd_method = IP_VS_CONN_F_TUNNEL;
	d2.weight = 0;
	assert_int_equal(b->dest(b, IPVS_C_SET_DEST, &fw6, &d2), 0);
	assert_dump(b, DUMP_HEAD
		"TCP  10.0.0.1:80 rr\n"
		"  -> 10.1.0.1:80                  Masq    1      0          0         \n"
		"  -> 10.1.0.2:80                  Masq    2      0          0         \n"
		"UDP  10.0.0.3:81 wlc\n"
		"  -> 10.1.0.1:81                  Masq    1      0          0         \n"
		"FWM  7 sh persistent 360\n"
		"  -> 10.1.0.1:0                   Route   3      0          0         \n"
		"FWM  9 IPv6 rr\n"
		"  -> [2001:db8::1]:80             Tunnel  0      0          0         \n");

	/* the kernel's answers */
	assert_int_equal(b->dest(b, IPVS_C_NEW_DEST, &fw6, &d2), -EEXIST);
	d2.port = 81;
	assert_int_equal(b->dest(b, IPVS_C_SET_DEST, &fw6, &d2), -ENOENT);
	assert_int_equal(b->dest(b, IPVS_C_DEL_DEST, &fw6, &d2), -ENOENT);
	fw6.fwmark = 10;
	assert_int_equal(b->dest(b, IPVS_C_NEW_DEST, &fw6, &d2), -ESRCH);
	assert_int_equal(b->svc(b, IPVS_C_DEL_SERVICE, &fw6), -ESRCH);
	snprintf(fw6.sched_name, sizeof(fw6.sched_name), "nosuch");
	assert_int_equal(b->svc(b, IPVS_C_NEW_SERVICE, &fw6), -ENOENT);
	d2.l_thresh = 10;		/* above u_thresh */
	assert_int_equal(b->dest(b, IPVS_C_NEW_DEST, &a, &d2), -ERANGE);
	d2.l_thresh = 0;
	d2.weight = -1;
	assert_int_equal(b->dest(b, IPVS_C_NEW_DEST, &a, &d2), -ERANGE);

	/* SET_SERVICE changes the line; DEL_SERVICE takes its dests along */
	a.flags = IP_VS_SVC_F_PERSISTENT;
	a.timeout_s = 300;
	a.netmask = htonl(0xffffff00);
	snprintf(a.sched_name, sizeof(a.sched_name), "wrr");
	assert_int_equal(b->svc(b, IPVS_C_SET_SERVICE, &a), 0);
	assert_int_equal(b->svc(b, IPVS_C_DEL_SERVICE, &u), 0);
	fw = svc_fwm(AF_INET, 7, "sh");
	assert_int_equal(b->svc(b, IPVS_C_DEL_SERVICE, &fw), 0);
	fw = svc_fwm(AF_INET, 8, "sh");
	fw.flags = IP_VS_SVC_F_SCHED_SH_FALLBACK | IP_VS_SVC_F_SCHED_SH_PORT;
	assert_int_equal(b->svc(b, IPVS_C_NEW_SERVICE, &fw), 0);
	fw6.fwmark = 9;
	assert_int_equal(b->svc(b, IPVS_C_DEL_SERVICE, &fw6), 0);
	assert_dump(b, DUMP_HEAD
		"TCP  10.0.0.1:80 wrr persistent 300 mask 255.255.255.0\n"
		"  -> 10.1.0.1:80                  Masq    1      0          0         \n"
		"  -> 10.1.0.2:80                  Masq    2      0          0         \n"
		"FWM  8 sh (sh-fallback,sh-port)\n");
	assert_int_equal(b->flush(b), 0);
	assert_dump(b, DUMP_HEAD);
	b->close(b);
}

/* --- keepalived's rules (ipvs_ops.c), with the log they write --- */

static char log_path[] = "/tmp/test_ipvs.XXXXXX";

static void log_to_file(void)
{
	int fd = mkstemp(log_path);

	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(log_open(&(struct log_opts){ .ident = "Keepalived_healthcheckers",
						      .facility = LOG_DAEMON, .file = log_path,
						      .max_prio = LOG_DEBUG }), 0);
}

/* the log holds exactly want[] (messages without their prefix); it is removed */
static void assert_log(const char *const *want, size_t n_want)
{
	char line[512];
	size_t n = 0;
	FILE *in;

	log_close();
	in = fopen(log_path, "r");
	assert_non_null(in);
	while (fgets(line, sizeof(line), in)) {
		char *msg = strstr(line, "]: ");

		assert_non_null(msg);
		msg += 3;
		msg[strcspn(msg, "\n")] = 0;
		if (n >= n_want || strcmp(msg, want[n]))
			fail_msg("line %zu: '%s', want '%s'", n, msg, n < n_want ? want[n] : "(none)");
		n++;
	}
	fclose(in);
	unlink(log_path);
	strcpy(log_path, "/tmp/test_ipvs.XXXXXX");
	assert_int_equal(n, n_want);
}

/* Tolerated errors (EEXIST on add, ENOENT on delete) return 0 and are still logged. */
static void test_ops_tolerance(void **state)
{
	struct ipvs_backend *b = ipvs_rec_open(NULL);
	struct ipvs_svc s = svc4("10.0.0.1", IPPROTO_TCP, 80, "rr");
	struct ipvs_svc fw = svc_fwm(AF_INET, 7, "sh");
	struct ipvs_svc fw6 = svc_fwm(AF_INET6, 9, "rr");
	struct ipvs_dest d1 = dest("10.1.0.1", 80, IP_VS_CONN_F_MASQ, 1);
	struct ipvs_dest d2 = dest("10.1.0.2", 80, IP_VS_CONN_F_MASQ, 2);
	struct ipvs_dest d6 = dest("2001:db8::1", 80, IP_VS_CONN_F_MASQ, 1);
	/* 2.2.7's lines in the VM for the same situations (spec 3) */
	static const char *const want[] = {
		"IPVS cmd IP_VS_SO_SET_ADD(1154) error: Service already exists(17) (10.0.0.1:tcp:80)",
		"IPVS cmd IP_VS_SO_SET_ADDDEST(1159) error: Destination already exists(17) "
		"(10.0.0.1:tcp:80 -> 10.1.0.1:80)",
		"IPVS cmd IP_VS_SO_SET_ADD(1154) error: Service already exists(17) (Fwm 7)",
		"IPVS cmd IP_VS_SO_SET_DELDEST(1160) error: No such destination(2) "
		"(10.0.0.1:tcp:80 -> 10.1.0.2:80)",
		"IPVS cmd IP_VS_SO_SET_DELDEST(1160) error: No such destination(2) (Fwm 7 -> 10.1.0.1:0)",
		"IPVS cmd IP_VS_SO_SET_DEL(1156) error: No such file or directory(2) (Fwm 7)",
		"IPVS cmd IP_VS_SO_SET_DELDEST(1160) error: No such destination(2) "
		"(Fwm 9 inet6 -> 2001:db8::1:80)",
		"IPVS cmd IP_VS_SO_SET_DEL(1156) error: No such file or directory(2) (Fwm 9 inet6)",
	};

	(void)state;
	log_to_file();
	assert_int_equal(ipvs_add_service(b, &s), 0);
	assert_int_equal(ipvs_add_dest(b, &s, &d1, false), 0);
	assert_int_equal(ipvs_add_service(b, &s), 0);
	assert_int_equal(ipvs_add_dest(b, &s, &d1, false), 0);
	assert_int_equal(ipvs_add_service(b, &fw), 0);
	assert_int_equal(ipvs_add_service(b, &fw), 0);
	assert_int_equal(ipvs_del_dest(b, &s, &d2), 0);
	d1.fwd_method = IP_VS_CONN_F_DROUTE;
	assert_int_equal(ipvs_del_dest(b, &fw, &d1), 0);
	assert_int_equal(ipvs_flush(b), 0);
	assert_int_equal(ipvs_del_service(b, &fw), 0);
	assert_int_equal(ipvs_del_dest(b, &fw6, &d6), 0);
	assert_int_equal(ipvs_del_service(b, &fw6), 0);
	assert_log(want, ARRAY_SIZE(want));
	b->close(b);
}

/* Errors that are not tolerated return the (libnl-mapped) -errno. */
static void test_ops_errors(void **state)
{
	FILE *f;
	struct ipvs_backend *b = rec_open(&f);
	struct ipvs_svc s = svc4("10.0.0.1", IPPROTO_TCP, 80, "nosuch");
	struct ipvs_dest d = dest("10.1.0.1", 80, IP_VS_CONN_F_MASQ, 1);
	struct ipvs_daemon dm = { .state = IP_VS_STATE_MASTER, .mcast_ifn = "eth0" };
	static const char *const want[] = {
		"IPVS cmd IP_VS_SO_SET_ADD(1154) error: Scheduler or persistence engine not found(2) "
		"(10.0.0.1:tcp:80)",
		"IPVS cmd IP_VS_SO_SET_EDIT(1155) error: Scheduler or persistence engine not found(2) "
		"(10.0.0.1:tcp:80)",
		"IPVS cmd IP_VS_SO_SET_ADDDEST(1159) error: No such file or directory(2) "
		"(10.0.0.1:tcp:80 -> 10.1.0.1:80)",
		"IPVS cmd IP_VS_SO_SET_EDITDEST(1161) error: Invalid operation.  Possibly wrong module "
		"version, address not unicast, ...(22) (10.0.0.1:tcp:80 -> 10.1.0.1:80)",
		"IPVS cmd IP_VS_SO_SET_ADDDEST(1159) error: Permission denied (you must be root)(1) "
		"(10.0.0.1:tcp:80 -> 10.1.0.1:80)",
		"IPVS cmd IP_VS_SO_SET_FLUSH(1157) error: Memory allocation problem(12)",
		"IPVS cmd IP_VS_SO_SET_STARTDAEMON(1163) error: Daemon has already run(17)",
		"IPVS cmd IP_VS_SO_SET_STOPDAEMON(1164) error: No such file or directory(2)",
		"IPVS cmd IP_VS_SO_SET_ADD(1154) error: Operation not supported with specified "
		"address family(97) (10.0.0.1:sctp:80)",
		"IPVS cmd IP_VS_SO_SET_ADD(1154) error: Invalid operation.  Possibly wrong module "
		"version, address not unicast, ...(22) (10.0.0.1:99:80)",
	};

	(void)state;
	log_to_file();
	assert_int_equal(ipvs_add_service(b, &s), -ENOENT);
	assert_int_equal(ipvs_edit_service(b, &s), -ENOENT);		/* ESRCH, seen as ENOENT */
	/* SET_DEST on a missing service: ENOENT, retried as NEW_DEST, which fails too */
	assert_int_equal(ipvs_edit_dest(b, &s, &d), -ENOENT);
	snprintf(s.sched_name, sizeof(s.sched_name), "rr");
	assert_int_equal(ipvs_add_service(b, &s), 0);
	ipvs_rec_fail(b, IPVS_C_SET_DEST, EINVAL);
	assert_int_equal(ipvs_add_dest(b, &s, &d, true), -EINVAL);
	/* an error libnl does not know: 2.2.7 sees 1 */
	ipvs_rec_fail(b, IPVS_C_NEW_DEST, EMSGSIZE);
	assert_int_equal(ipvs_add_dest(b, &s, &d, false), -EPERM);
	ipvs_rec_fail(b, IPVS_C_FLUSH, ENOBUFS);
	assert_int_equal(ipvs_flush(b), -ENOMEM);
	assert_int_equal(ipvs_sync_start(b, &dm, false), 0);
	assert_int_equal(ipvs_sync_start(b, &dm, false), -EEXIST);
	assert_int_equal(ipvs_sync_stop(b, &dm, false), 0);
	assert_int_equal(ipvs_sync_stop(b, &dm, true), 0);		/* ignored: no line */
	assert_int_equal(ipvs_sync_stop(b, &dm, false), -ENOENT);
	s.protocol = IPPROTO_SCTP;
	ipvs_rec_fail(b, IPVS_C_NEW_SERVICE, EAFNOSUPPORT);
	assert_int_equal(ipvs_add_service(b, &s), -EAFNOSUPPORT);
	s.protocol = 99;
	ipvs_rec_fail(b, IPVS_C_NEW_SERVICE, ENOPROTOOPT);	/* libnl makes it EINVAL */
	assert_int_equal(ipvs_add_service(b, &s), -EINVAL);
	assert_log(want, ARRAY_SIZE(want));
	fclose(f);
	free(rec_buf);
	rec_buf = NULL;
	b->close(b);
}

/* SET_DEST that finds no destination is retried as NEW_DEST (silently when that works);
 * in_table makes an add a SET_DEST; dest commands carry no persistence and DR's port. */
static void test_ops_dest_rules(void **state)
{
	FILE *f;
	struct ipvs_backend *b = rec_open(&f);
	struct ipvs_svc fw = svc_fwm(AF_INET, 7, "sh");
	struct ipvs_dest d = dest("10.1.0.1", 80, IP_VS_CONN_F_DROUTE, 3);
	struct ipvs_svc s = svc4("10.0.0.1", IPPROTO_TCP, 80, "rr");
	struct ipvs_dest t = dest("10.1.0.2", 8080, IP_VS_CONN_F_TUNNEL, 1);

	(void)state;
	fw.flags = IP_VS_SVC_F_PERSISTENT | IP_VS_SVC_F_SCHED_SH_PORT;
	fw.timeout_s = 360;
	fw.netmask = htonl(0xffffff00);
	snprintf(fw.pe_name, sizeof(fw.pe_name), "sip");
	log_to_file();
	assert_int_equal(ipvs_add_service(b, &fw), 0);
	assert_int_equal(ipvs_edit_dest(b, &fw, &d), 0);		/* -> NEW_DEST */
	d.weight = 0;
	assert_int_equal(ipvs_add_dest(b, &fw, &d, true), 0);		/* inhibit: SET_DEST w0 */
	assert_int_equal(ipvs_add_service(b, &s), 0);
	assert_int_equal(ipvs_add_dest(b, &s, &t, false), 0);		/* TUN: port 80 */
	assert_lines(f,
		"{\"cmd\":\"NEW_SERVICE\",\"svc\":{\"af\":2,\"protocol\":0,\"addr\":\"0.0.0.0\","
		"\"port\":0,\"fwmark\":7,\"sched_name\":\"sh\",\"pe_name\":\"sip\",\"flags\":17,"
		"\"timeout_s\":360,\"netmask\":16777215}}\n"
		"{\"cmd\":\"SET_DEST\",\"svc\":{\"af\":2,\"protocol\":0,\"addr\":\"0.0.0.0\","
		"\"port\":0,\"fwmark\":7,\"sched_name\":\"sh\",\"pe_name\":\"\",\"flags\":16,"
		"\"timeout_s\":0,\"netmask\":4294967295},\"dest\":{\"af\":2,\"addr\":\"10.1.0.1\","
		"\"port\":0,\"fwd_method\":3,\"weight\":3,\"tun_type\":0,\"tun_port\":0,"
		"\"tun_flags\":0,\"u_thresh\":0,\"l_thresh\":0},\"err\":2}\n"
		"{\"cmd\":\"NEW_DEST\",\"svc\":{\"af\":2,\"protocol\":0,\"addr\":\"0.0.0.0\","
		"\"port\":0,\"fwmark\":7,\"sched_name\":\"sh\",\"pe_name\":\"\",\"flags\":16,"
		"\"timeout_s\":0,\"netmask\":4294967295},\"dest\":{\"af\":2,\"addr\":\"10.1.0.1\","
		"\"port\":0,\"fwd_method\":3,\"weight\":3,\"tun_type\":0,\"tun_port\":0,"
		"\"tun_flags\":0,\"u_thresh\":0,\"l_thresh\":0}}\n"
		"{\"cmd\":\"SET_DEST\",\"svc\":{\"af\":2,\"protocol\":0,\"addr\":\"0.0.0.0\","
		"\"port\":0,\"fwmark\":7,\"sched_name\":\"sh\",\"pe_name\":\"\",\"flags\":16,"
		"\"timeout_s\":0,\"netmask\":4294967295},\"dest\":{\"af\":2,\"addr\":\"10.1.0.1\","
		"\"port\":0,\"fwd_method\":3,\"weight\":0,\"tun_type\":0,\"tun_port\":0,"
		"\"tun_flags\":0,\"u_thresh\":0,\"l_thresh\":0}}\n"
		"{\"cmd\":\"NEW_SERVICE\",\"svc\":{\"af\":2,\"protocol\":6,\"addr\":\"10.0.0.1\","
		"\"port\":80,\"fwmark\":0,\"sched_name\":\"rr\",\"pe_name\":\"\",\"flags\":0,"
		"\"timeout_s\":0,\"netmask\":4294967295}}\n"
		"{\"cmd\":\"NEW_DEST\",\"svc\":{\"af\":2,\"protocol\":6,\"addr\":\"10.0.0.1\","
		"\"port\":80,\"fwmark\":0,\"sched_name\":\"rr\",\"pe_name\":\"\",\"flags\":0,"
		"\"timeout_s\":0,\"netmask\":4294967295},\"dest\":{\"af\":2,\"addr\":\"10.1.0.2\","
		"\"port\":80,\"fwd_method\":2,\"weight\":1,\"tun_type\":0,\"tun_port\":0,"
		"\"tun_flags\":0,\"u_thresh\":0,\"l_thresh\":0}}\n");
	assert_log(NULL, 0);		/* the retry that worked logs nothing */
	/* no backend (no ip_vs): nothing sent, success */
	assert_int_equal(ipvs_add_service(NULL, &s), 0);
	assert_int_equal(ipvs_add_dest(NULL, &s, &t, false), 0);
	assert_int_equal(ipvs_flush(NULL), 0);
	fclose(f);
	free(rec_buf);
	rec_buf = NULL;
	b->close(b);
}

/* lvs_timeouts: originals read once, zeros filled from them, restored at the end */
static void test_ops_timeouts(void **state)
{
	FILE *f;
	struct ipvs_backend *b = rec_open(&f);
	static const char *const want[] = { "Failed to set ipvs timeouts" };

	(void)state;
	log_to_file();
	assert_int_equal(ipvs_restore_timeouts(b), 0);			/* never changed: nothing */
	assert_int_equal(ipvs_set_timeouts(b, &(struct ipvs_timeouts){ 0, 0, 0 }), 0);
	assert_int_equal(ipvs_set_timeouts(b, &(struct ipvs_timeouts){ 100, 0, 30 }), 0);
	assert_int_equal(ipvs_set_timeouts(b, &(struct ipvs_timeouts){ 0, 20, 0 }), 0);
	assert_int_equal(ipvs_restore_timeouts(b), 0);
	assert_int_equal(ipvs_set_timeouts(b, NULL), 0);			/* reload: restore */
	ipvs_rec_fail(b, IPVS_C_SET_CONFIG, EPERM);
	assert_int_equal(ipvs_set_timeouts(b, &(struct ipvs_timeouts){ 100, 0, 0 }), -EPERM);
	assert_lines(f,
		"{\"cmd\":\"GET_CONFIG\"}\n"
		"{\"cmd\":\"SET_CONFIG\",\"timeouts\":{\"tcp_s\":100,\"tcpfin_s\":120,\"udp_s\":30}}\n"
		"{\"cmd\":\"SET_CONFIG\",\"timeouts\":{\"tcp_s\":900,\"tcpfin_s\":20,\"udp_s\":300}}\n"
		"{\"cmd\":\"SET_CONFIG\",\"timeouts\":{\"tcp_s\":900,\"tcpfin_s\":120,\"udp_s\":300}}\n"
		"{\"cmd\":\"SET_CONFIG\",\"timeouts\":{\"tcp_s\":900,\"tcpfin_s\":120,\"udp_s\":300}}\n"
		"{\"cmd\":\"SET_CONFIG\",\"timeouts\":{\"tcp_s\":100,\"tcpfin_s\":120,\"udp_s\":300},"
		"\"err\":1}\n");
	assert_log(want, ARRAY_SIZE(want));
	fclose(f);
	free(rec_buf);
	rec_buf = NULL;
	b->close(b);
}

static void count_progress(void *arg)
{
	(*(unsigned *)arg)++;
}

/*
 * The progress hook runs once per command the backend answered, failed ones and the
 * SET_DEST -> NEW_DEST retry included (the checker child's heartbeat during a burst).
 */
static void test_ops_progress(void **state)
{
	struct ipvs_backend *b = ipvs_rec_open(NULL);
	struct ipvs_svc s = svc4("10.0.0.1", IPPROTO_TCP, 80, "rr");
	struct ipvs_dest d1 = dest("10.1.0.1", 80, IP_VS_CONN_F_MASQ, 1);
	struct ipvs_daemon dm = { .state = IP_VS_STATE_MASTER, .mcast_ifn = "eth0" };
	unsigned n = 0;

	(void)state;
	log_to_file();
	b->progress = count_progress;
	b->progress_arg = &n;
	assert_int_equal(ipvs_add_service(b, &s), 0);
	assert_int_equal(n, 1);
	assert_int_equal(ipvs_add_dest(b, &s, &d1, false), 0);
	assert_int_equal(ipvs_add_dest(b, &s, &d1, false), 0);	/* EEXIST: answered too */
	assert_int_equal(n, 3);
	assert_int_equal(ipvs_del_dest(b, &s, &d1), 0);
	assert_int_equal(ipvs_add_dest(b, &s, &d1, true), 0);	/* SET_DEST ENOENT, NEW_DEST */
	assert_int_equal(n, 6);
	assert_int_equal(ipvs_sync_start(b, &dm, false), 0);
	assert_int_equal(ipvs_sync_stop(b, &dm, false), 0);
	assert_int_equal(ipvs_set_timeouts(b, &(struct ipvs_timeouts){ 100, 0, 0 }), 0);
	assert_int_equal(n, 10);				/* GET_CONFIG + SET_CONFIG */
	assert_int_equal(ipvs_restore_timeouts(b), 0);
	assert_int_equal(ipvs_flush(b), 0);
	assert_int_equal(n, 12);
	assert_int_equal(ipvs_add_service(NULL, &s), 0);	/* no backend: nothing */
	assert_int_equal(n, 12);
	b->close(b);
}

/*
 * The netlink backend's batch (pure part): one buffer of requests with consecutive
 * sequence numbers, each the encoder's bytes but without NLM_F_ACK except the last;
 * answers matched back by sequence number, the last one's ending the batch.
 */
static void test_nl_batch(void **state)
{
	static struct ipvs_nl_batch q;
	struct ipvs_svc s = svc4("10.0.0.1", IPPROTO_TCP, 80, "rr");
	struct ipvs_dest d = dest("10.1.0.1", 80, IP_VS_CONN_F_MASQ, 1);
	struct nl_msg *one = nlmsg_alloc();
	struct nlmsghdr *h, *want;
	uint8_t rep[3 * NLMSG_SPACE(sizeof(struct nlmsgerr))];
	size_t off = 0;
	unsigned i;

	(void)state;
	ipvs_nl_batch_reset(&q, 1000);
	assert_int_equal(ipvs_nl_batch_add(&q, FAMILY, 77, IPVS_C_NEW_SERVICE, &s, NULL), 0);
	for (i = 0; i < 3; i++) {
		d.addr.v4.s_addr = htonl(0x0a010001 + i);
		assert_int_equal(ipvs_nl_batch_add(&q, FAMILY, 77, IPVS_C_NEW_DEST, &s, &d), 0);
	}
	ipvs_nl_batch_seal(&q);
	assert_int_equal(q.n, 4);
	assert_int_equal(ipvs_nl_build(one, FAMILY, IPVS_C_NEW_DEST, &s, &d, NULL, NULL), 0);
	want = nlmsg_hdr(one);
	for (i = 0; i < 4; i++) {
		h = (struct nlmsghdr *)(q.buf + off);
		assert_int_equal(h->nlmsg_seq, 1000 + i);
		assert_int_equal(h->nlmsg_pid, 77);
		assert_int_equal(h->nlmsg_flags, i == 3 ? NLM_F_REQUEST | NLM_F_ACK : NLM_F_REQUEST);
		off += NLMSG_ALIGN(h->nlmsg_len);
	}
	assert_int_equal(off, q.len);
	/* the last request's attributes are the encoder's for it */
	assert_int_equal(h->nlmsg_len, want->nlmsg_len);
	assert_memory_equal(nlmsg_data(h), nlmsg_data(want), want->nlmsg_len - NLMSG_HDRLEN);
	nlmsg_free(one);
	assert_int_equal(q.req[2].c, IPVS_C_NEW_DEST);
	assert_int_equal(q.req[2].d.addr.v4.s_addr, htonl(0x0a010002));

	/* answers: a stale one, request 1 refused (EEXIST), then the barrier's ACK */
	memset(rep, 0, sizeof(rep));
	const uint32_t seqs[3] = { 999, 1001, 1003 };
	const int errs[3] = { -ENOENT, -EEXIST, 0 };

	for (i = 0; i < 3; i++) {
		h = (struct nlmsghdr *)(rep + i * NLMSG_SPACE(sizeof(struct nlmsgerr)));
		h->nlmsg_len = NLMSG_LENGTH(sizeof(struct nlmsgerr));
		h->nlmsg_type = NLMSG_ERROR;
		h->nlmsg_seq = seqs[i];
		((struct nlmsgerr *)NLMSG_DATA(h))->error = errs[i];
	}
	ipvs_nl_batch_replies(&q, rep, 2 * NLMSG_SPACE(sizeof(struct nlmsgerr)));
	assert_false(q.done);
	assert_int_equal(q.req[1].err, -EEXIST);
	assert_int_equal(q.req[0].err, 0);
	ipvs_nl_batch_replies(&q, rep + 2 * NLMSG_SPACE(sizeof(struct nlmsgerr)),
			      NLMSG_SPACE(sizeof(struct nlmsgerr)));
	assert_true(q.done);
	assert_int_equal(q.req[3].err, 0);

	/* the barrier refused: an error that also ends the batch */
	q.done = false;
	((struct nlmsgerr *)NLMSG_DATA((struct nlmsghdr *)(rep + 2 * NLMSG_SPACE(
		sizeof(struct nlmsgerr)))))->error = -ENOENT;
	ipvs_nl_batch_replies(&q, rep + 2 * NLMSG_SPACE(sizeof(struct nlmsgerr)),
			      NLMSG_SPACE(sizeof(struct nlmsgerr)));
	assert_true(q.done);
	assert_int_equal(q.req[3].err, -ENOENT);

	/* full: -ENOSPC, the caller sends and starts again */
	ipvs_nl_batch_reset(&q, 1);
	for (i = 0; i < IPVS_NL_BATCH_MAX; i++)
		assert_int_equal(ipvs_nl_batch_add(&q, FAMILY, 77, IPVS_C_NEW_DEST, &s, &d), 0);
	assert_int_equal(ipvs_nl_batch_add(&q, FAMILY, 77, IPVS_C_NEW_DEST, &s, &d), -ENOSPC);
}

/* A backend with a queue, over the recorder: commands wait until flush_queue(). */
struct qbe {
	struct ipvs_backend b;
	struct ipvs_backend *rec;
	struct { enum ipvs_cmd c; struct ipvs_svc s; struct ipvs_dest d; } q[8];
	unsigned n, flushes;
};

static int qbe_dest(struct ipvs_backend *b, enum ipvs_cmd c, const struct ipvs_svc *s,
		    const struct ipvs_dest *d)
{
	struct qbe *x = (struct qbe *)b;

	return x->rec->dest(x->rec, c, s, d);
}

static int qbe_svc(struct ipvs_backend *b, enum ipvs_cmd c, const struct ipvs_svc *s)
{
	struct qbe *x = (struct qbe *)b;

	return x->rec->svc(x->rec, c, s);
}

static int qbe_flush_table(struct ipvs_backend *b)
{
	struct qbe *x = (struct qbe *)b;

	return x->rec->flush(x->rec);
}

static int qbe_queue(struct ipvs_backend *b, enum ipvs_cmd c, const struct ipvs_svc *s,
		     const struct ipvs_dest *d)
{
	struct qbe *x = (struct qbe *)b;

	if (x->n >= 8)
		return -ENOSPC;
	x->q[x->n].c = c;
	x->q[x->n].s = *s;
	if (d)
		x->q[x->n].d = *d;
	x->n++;
	return 0;
}

static int qbe_flush(struct ipvs_backend *b)
{
	struct qbe *x = (struct qbe *)b;
	unsigned n = x->n;

	x->n = 0;
	x->flushes++;
	for (unsigned i = 0; i < n; i++) {
		int r = x->q[i].c <= IPVS_C_DEL_SERVICE ? qbe_svc(b, x->q[i].c, &x->q[i].s) :
			qbe_dest(b, x->q[i].c, &x->q[i].s, &x->q[i].d);

		if (r < 0)
			b->failed(b, x->q[i].c, &x->q[i].s, &x->q[i].d, r);
	}
	return 0;
}

/*
 * Layer 2 in a batch: the calls return 0 at once, nothing is sent before the flush; a
 * refused command gets 2.2.7's line then (and SET_DEST's NEW_DEST retry); a command that
 * cannot be queued (FLUSH) sends what is queued first.
 */
static void test_ops_batch(void **state)
{
	FILE *f;
	struct qbe x = { .b = { .svc = qbe_svc, .dest = qbe_dest, .queue = qbe_queue,
				.flush_queue = qbe_flush } };
	struct ipvs_svc s = svc4("10.0.0.1", IPPROTO_TCP, 80, "rr");
	struct ipvs_dest d1 = dest("10.1.0.1", 80, IP_VS_CONN_F_MASQ, 1);
	struct ipvs_dest d2 = dest("10.1.0.2", 80, IP_VS_CONN_F_MASQ, 2);
	static const char *const want[] = {
		"IPVS cmd IP_VS_SO_SET_ADDDEST(1159) error: Destination already exists(17) "
		"(10.0.0.1:tcp:80 -> 10.1.0.1:80)",
	};
	const char *text;

	(void)state;
	log_close();			/* test_ops_progress leaves its log open */
	unlink(log_path);
	strcpy(log_path, "/tmp/test_ipvs.XXXXXX");
	log_to_file();
	x.rec = rec_open(&f);
	x.b.flush = qbe_flush_table;
	ipvs_batch_begin(&x.b);
	ipvs_batch_begin(&x.b);		/* nested: the outer end flushes */
	assert_int_equal(ipvs_add_service(&x.b, &s), 0);
	assert_int_equal(ipvs_add_dest(&x.b, &s, &d1, false), 0);
	assert_int_equal(ipvs_add_dest(&x.b, &s, &d1, false), 0);	/* EEXIST, later */
	assert_int_equal(ipvs_add_dest(&x.b, &s, &d2, true), 0);	/* SET_DEST -> NEW_DEST */
	assert_int_equal(x.n, 4);
	fflush(f);
	assert_int_equal(rec_len, 0);				/* nothing sent yet */
	ipvs_batch_end(&x.b);
	assert_int_equal(x.n, 4);
	assert_int_equal(x.flushes, 0);
	ipvs_batch_end(&x.b);
	assert_int_equal(x.n, 0);
	assert_int_equal(x.flushes, 1);
	assert_log(want, ARRAY_SIZE(want));
	fflush(f);
	text = rec_buf;
	/* in order: the service, d1, d1 refused, SET_DEST d2 refused, its NEW_DEST */
	assert_non_null(strstr(text, "\"cmd\":\"SET_DEST\""));
	assert_non_null(strstr(strstr(text, "\"cmd\":\"SET_DEST\""), "\"cmd\":\"NEW_DEST\""));
	assert_non_null(strstr(text, "\"err\":17"));
	/* FLUSH cannot be queued: the queue goes first */
	ipvs_batch_begin(&x.b);
	assert_int_equal(ipvs_del_dest(&x.b, &s, &d1), 0);
	assert_int_equal(x.n, 1);
	assert_int_equal(ipvs_flush(&x.b), 0);
	assert_int_equal(x.n, 0);
	assert_int_equal(x.flushes, 2);
	ipvs_batch_end(&x.b);
	x.rec->close(x.rec);
	fclose(f);
}

/* KEEPALIVED_IPVS_RECORD_DELAY_US's delay: each command takes that much longer. */
static void test_rec_delay(void **state)
{
	struct ipvs_backend *b = ipvs_rec_open(NULL);
	struct ipvs_svc s = svc4("10.0.0.1", IPPROTO_TCP, 80, "rr");
	struct timespec t0, t1;
	long long us;

	(void)state;
	ipvs_rec_set_delay(b, 20000);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(b->svc(b, IPVS_C_NEW_SERVICE, &s), 0);
	assert_int_equal(b->svc(b, IPVS_C_DEL_SERVICE, &s), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	us = (t1.tv_sec - t0.tv_sec) * 1000000LL + (t1.tv_nsec - t0.tv_nsec) / 1000;
	assert_true(us >= 40000);
	ipvs_rec_set_delay(b, 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(b->svc(b, IPVS_C_NEW_SERVICE, &s), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	us = (t1.tv_sec - t0.tv_sec) * 1000000LL + (t1.tv_nsec - t0.tv_nsec) / 1000;
	assert_true(us < 20000);
	b->close(b);
}

/* Without ip_vs (this host): -ENOENT, so the caller can say IPVS is not available. */
static void test_nl_open(void **state)
{
	struct ipvs_backend *b = (struct ipvs_backend *)state;	/* not NULL */
	int r = ipvs_nl_open(&b);

	if (access("/proc/net/ip_vs", F_OK)) {
		assert_int_equal(r, -ENOENT);
		assert_null(b);
	} else if (r == 0) {
		assert_non_null(b);
		b->close(b);
	} else {
		assert_int_equal(r, -EPERM);	/* ip_vs but not root */
	}
}

static void test_strerror(void **state)
{
	(void)state;
	assert_string_equal(ipvs_strerror(IPVS_C_NEW_SERVICE, EEXIST), "Service already exists");
	assert_string_equal(ipvs_strerror(IPVS_C_SET_SERVICE, EEXIST), "File exists");
	assert_string_equal(ipvs_strerror(IPVS_C_DEL_DEST, ESRCH), "No such service");
	assert_string_equal(ipvs_strerror(IPVS_C_DEL_DAEMON, ESRCH), "No daemon is running");
	assert_string_equal(ipvs_strerror(IPVS_C_SET_DEST, ENOENT), "No such destination");
	assert_string_equal(ipvs_strerror(IPVS_C_FLUSH, EMSGSIZE), "Module is wrong version");
	assert_string_equal(ipvs_strerror(IPVS_C_FLUSH, EOPNOTSUPP),
			    "Operation not supported with IPv6");
	assert_string_equal(ipvs_cmd_name(IPVS_C_DEL_DAEMON), "DEL_DAEMON");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encode_nat),
		cmocka_unit_test(test_encode_fwmark_dr),
		cmocka_unit_test(test_encode_pe_tun),
		cmocka_unit_test(test_encode_ipv6),
		cmocka_unit_test(test_encode_misc),
		cmocka_unit_test(test_ka_errno),
		cmocka_unit_test(test_rec_lines),
		cmocka_unit_test(test_rec_table),
		cmocka_unit_test(test_ops_tolerance),
		cmocka_unit_test(test_ops_errors),
		cmocka_unit_test(test_ops_dest_rules),
		cmocka_unit_test(test_ops_timeouts),
		cmocka_unit_test(test_ops_progress),
		cmocka_unit_test(test_rec_delay),
		cmocka_unit_test(test_nl_batch),
		cmocka_unit_test(test_ops_batch),
		cmocka_unit_test(test_nl_open),
		cmocka_unit_test(test_strerror),
	};

	log_open(&(struct log_opts){ .ident = "test", .max_prio = LOG_DEBUG });
	return cmocka_run_group_tests(tests, NULL, NULL);
}
