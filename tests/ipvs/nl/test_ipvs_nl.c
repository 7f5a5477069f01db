/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tests/ipvs/nl/test_ipvs_nl.c: the netlink backend against a real kernel (run it in
 * ../shared/tools/ipvs-vm; it skips itself with 77 where /proc/net/ip_vs is missing).
 *
 * The same keepalived intents go to the kernel (ipvs_nl_open) and to the recording backend;
 * after each step `ipvsadm -Ln` must print the expected table, and so must the recorder's
 * dump (what the daemon shows where there is no ip_vs). Timeouts and the sync daemon are
 * checked through `ipvsadm -Ln --timeout` / `--daemon`, the error lines through the log.
 * It flushes the IPVS table of the network namespace it runs in: only in the VM.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/ip_vs.h>

#include "core/ipvs.h"
#include "log.h"

static struct ipvs_backend *kern, *rec;
static int n_fail;

#define CHECK(cond, ...) do { \
	if (!(cond)) { \
		fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
		fprintf(stderr, __VA_ARGS__); \
		fputc('\n', stderr); \
		n_fail++; \
	} \
} while (0)

/* one intent on both backends: same result expected */
#define BOTH(want, call_k, call_r) do { \
	int rk_ = (call_k), rr_ = (call_r); \
	CHECK(rk_ == (want) && rr_ == (want), "%s: kernel %d, recorder %d, want %d", \
	      #call_k, rk_, rr_, (want)); \
} while (0)

static char *run(const char *cmd, bool skip_first)
{
	char *buf = NULL, line[512];
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len), *p = popen(cmd, "r");
	bool first = true;

	if (!out || !p) {
		perror(cmd);
		exit(1);
	}
	while (fgets(line, sizeof(line), p)) {
		if (!(first && skip_first))
			fputs(line, out);
		first = false;
	}
	pclose(p);
	fclose(out);
	return buf;
}

static void expect_table(const char *step, const char *want)
{
	char *got = run("ipvsadm -Ln", true), *dump = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&dump, &len);

	ipvs_rec_dump_table(rec, f);
	fclose(f);
	CHECK(!strcmp(got, want), "%s: ipvsadm -Ln:\n%swant:\n%s", step, got, want);
	CHECK(!strcmp(dump, want), "%s: recorder's table:\n%swant:\n%s", step, dump, want);
	free(got);
	free(dump);
}

static void expect_cmd(const char *cmd, const char *want)
{
	char *got = run(cmd, false);

	CHECK(!strcmp(got, want), "%s:\n%swant:\n%s", cmd, got, want);
	free(got);
}

static struct ipvs_svc svc(const char *addr, uint16_t proto, uint16_t port, const char *sched)
{
	struct ipvs_svc s = { .protocol = proto, .port = port };

	s.af = strchr(addr, ':') ? AF_INET6 : AF_INET;
	s.netmask = s.af == AF_INET6 ? 128 : 0xffffffffU;
	inet_pton(s.af, addr, &s.addr);
	snprintf(s.sched_name, sizeof(s.sched_name), "%s", sched);
	return s;
}

static struct ipvs_dest dest(const char *addr, uint16_t port, uint32_t fwd, int32_t weight)
{
	struct ipvs_dest d = { .port = port, .fwd_method = fwd, .weight = weight };

	d.af = strchr(addr, ':') ? AF_INET6 : AF_INET;
	inet_pton(d.af, addr, &d.addr);
	return d;
}

#define HEAD "Prot LocalAddress:Port Scheduler Flags\n" \
	"  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n"

static void check_log(const char *path, const char *const *want, size_t n_want)
{
	char line[512];
	size_t n = 0;
	FILE *in = fopen(path, "r");

	if (!in) {
		CHECK(0, "no log file %s", path);
		return;
	}
	while (fgets(line, sizeof(line), in)) {
		char *msg = strstr(line, "]: ");

		if (!msg)
			continue;
		msg += 3;
		msg[strcspn(msg, "\n")] = 0;
		CHECK(n < n_want && !strcmp(msg, want[n]), "log line %zu: '%s', want '%s'", n, msg,
		      n < n_want ? want[n] : "(none)");
		n++;
	}
	fclose(in);
	CHECK(n == n_want, "%zu log lines, want %zu", n, n_want);
}

/*
 * --sequence: only what keepalived 2.2.7 sends for tests/ipvs/nl/ka_compare.conf from start
 * to stop (tests/ipvs/nl/ka_compare.sh captures both with nlmon and compares the requests).
 */
static int ka_sequence(void)
{
	struct ipvs_svc nat = svc("10.0.0.1", IPPROTO_TCP, 80, "rr");
	struct ipvs_svc fwm = { .af = AF_INET, .fwmark = 7, .sched_name = "sh",
				.flags = IP_VS_SVC_F_PERSISTENT | IP_VS_SVC_F_SCHED_SH_PORT,
				.timeout_s = 360, .netmask = 0xffffffffU };
	struct ipvs_svc tun = svc("10.0.0.2", IPPROTO_UDP, 53, "wrr");
	struct ipvs_svc v6 = svc("2001:db8::1", IPPROTO_TCP, 443, "wlc");
	struct ipvs_svc sip = svc("10.0.0.5", IPPROTO_UDP, 5060, "rr");
	struct ipvs_dest n1 = dest("10.1.0.1", 80, IP_VS_CONN_F_MASQ, 1);
	struct ipvs_dest n2 = dest("10.1.0.2", 8080, IP_VS_CONN_F_MASQ, 2);
	struct ipvs_dest dr = dest("10.1.0.1", 80, IP_VS_CONN_F_DROUTE, 3);
	struct ipvs_dest gue = dest("10.1.0.3", 53, IP_VS_CONN_F_TUNNEL, 1);
	struct ipvs_dest ipip = dest("10.1.0.4", 53, IP_VS_CONN_F_TUNNEL, 4);
	struct ipvs_dest d6 = dest("2001:db8::10", 443, IP_VS_CONN_F_MASQ, 5);
	struct ipvs_dest ds = dest("10.1.0.5", 5060, IP_VS_CONN_F_MASQ, 1);
	struct ipvs_daemon m = { .state = IP_VS_STATE_MASTER, .mcast_ifn = "lo", .syncid = 5,
				 .sync_maxlen = 1000, .mcast_port = 8000, .mcast_ttl = 3,
				 .mcast_af = AF_INET };
	struct ipvs_daemon bk, stop_m, stop_b;
	struct { struct ipvs_svc *s; struct ipvs_dest *d; } rs[] = {
		{ &nat, &n1 }, { &nat, &n2 }, { &fwm, &dr }, { &tun, &gue }, { &tun, &ipip },
		{ &v6, &d6 }, { &sip, &ds },
	};
	struct ipvs_svc *vs[] = { &nat, &fwm, &tun, &v6, &sip };
	int r;

	if ((r = ipvs_nl_open(&kern)) < 0) {
		fprintf(stderr, "ipvs_nl_open: %s\n", strerror(-r));
		return 1;
	}
	inet_pton(AF_INET, "239.1.1.1", &m.mcast_group.v4);
	bk = m;
	bk.state = IP_VS_STATE_BACKUP;
	gue.tun_type = IP_VS_CONN_F_TUNNEL_TYPE_GUE;
	gue.tun_port = 6080;
	gue.tun_flags = IP_VS_TUNNEL_ENCAP_FLAG_CSUM;
	sip.flags = IP_VS_SVC_F_PERSISTENT;
	sip.timeout_s = 30;
	sip.netmask = htonl(0xffffff00);
	snprintf(sip.pe_name, sizeof(sip.pe_name), "sip");

	/* the checker stops the daemons with no config (syncid 0), errors ignored */
	stop_m = (struct ipvs_daemon){ .state = IP_VS_STATE_MASTER };
	stop_b = (struct ipvs_daemon){ .state = IP_VS_STATE_BACKUP };
	ipvs_set_timeouts(kern, &(struct ipvs_timeouts){ 100, 20, 30 });
	ipvs_sync_stop(kern, &stop_m, true);
	ipvs_sync_stop(kern, &stop_b, true);
	ipvs_sync_start(kern, &m, false);
	ipvs_sync_start(kern, &bk, false);
	for (size_t i = 0; i < sizeof(vs) / sizeof(vs[0]); i++) {
		ipvs_add_service(kern, vs[i]);
		for (size_t j = 0; j < sizeof(rs) / sizeof(rs[0]); j++)
			if (rs[j].s == vs[i])
				ipvs_add_dest(kern, vs[i], rs[j].d, false);
	}
	for (size_t i = 0; i < sizeof(vs) / sizeof(vs[0]); i++) {
		for (size_t j = 0; j < sizeof(rs) / sizeof(rs[0]); j++)
			if (rs[j].s == vs[i])
				ipvs_del_dest(kern, vs[i], rs[j].d);
		ipvs_del_service(kern, vs[i]);
	}
	ipvs_restore_timeouts(kern);
	ipvs_sync_stop(kern, &stop_m, true);
	ipvs_sync_stop(kern, &stop_b, true);
	kern->close(kern);
	return 0;
}

int main(int argc, char **argv)
{
	struct timespec t0, t1;
	char log_path[] = "/tmp/test_ipvs_nl.XXXXXX";
	int fd, r;

	if (access("/proc/net/ip_vs", F_OK)) {
		fprintf(stderr, "no ip_vs in this kernel: skipped (run it in ../shared/tools/ipvs-vm)\n");
		return 77;
	}
	if (argc > 1 && !strcmp(argv[1], "--sequence"))
		return ka_sequence();
	if (system("ipvsadm -v >/dev/null 2>&1")) {
		fprintf(stderr, "no ipvsadm: skipped\n");
		return 77;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	fd = mkstemp(log_path);
	if (fd < 0)
		return 1;
	close(fd);
	log_open(&(struct log_opts){ .ident = "Keepalived_healthcheckers", .file = log_path,
				     .max_prio = LOG_DEBUG });
	if ((r = ipvs_nl_open(&kern)) < 0) {
		fprintf(stderr, "ipvs_nl_open: %s\n", strerror(-r));
		return 1;
	}
	rec = ipvs_rec_open(NULL);
	if (ipvs_flush(kern))
		return 1;

	/* 1. NAT service with 2 dests, fwmark DR with persistence, TUN (gue, ipip), IPv6 */
	struct ipvs_svc nat = svc("10.0.0.1", IPPROTO_TCP, 80, "rr");
	struct ipvs_svc fwm = { .af = AF_INET, .fwmark = 7, .sched_name = "sh",
				.flags = IP_VS_SVC_F_PERSISTENT | IP_VS_SVC_F_SCHED_SH_PORT,
				.timeout_s = 360, .netmask = 0xffffffffU };
	struct ipvs_svc tun = svc("10.0.0.2", IPPROTO_UDP, 53, "wrr");
	struct ipvs_svc v6 = svc("2001:db8::1", IPPROTO_TCP, 443, "wlc");
	struct ipvs_dest n1 = dest("10.1.0.1", 80, IP_VS_CONN_F_MASQ, 1);
	struct ipvs_dest n2 = dest("10.1.0.2", 8080, IP_VS_CONN_F_MASQ, 2);
	struct ipvs_dest dr = dest("10.1.0.1", 80, IP_VS_CONN_F_DROUTE, 3);
	struct ipvs_dest gue = dest("10.1.0.3", 53, IP_VS_CONN_F_TUNNEL, 1);
	struct ipvs_dest ipip = dest("10.1.0.4", 53, IP_VS_CONN_F_TUNNEL, 4);
	struct ipvs_dest d6 = dest("2001:db8::10", 443, IP_VS_CONN_F_MASQ, 5);

	gue.tun_type = IP_VS_CONN_F_TUNNEL_TYPE_GUE;
	gue.tun_port = 6080;
	gue.tun_flags = IP_VS_TUNNEL_ENCAP_FLAG_CSUM;
	BOTH(0, ipvs_add_service(kern, &nat), ipvs_add_service(rec, &nat));
	BOTH(0, ipvs_add_dest(kern, &nat, &n1, false), ipvs_add_dest(rec, &nat, &n1, false));
	BOTH(0, ipvs_add_dest(kern, &nat, &n2, false), ipvs_add_dest(rec, &nat, &n2, false));
	BOTH(0, ipvs_add_service(kern, &fwm), ipvs_add_service(rec, &fwm));
	BOTH(0, ipvs_add_dest(kern, &fwm, &dr, false), ipvs_add_dest(rec, &fwm, &dr, false));
	BOTH(0, ipvs_add_service(kern, &tun), ipvs_add_service(rec, &tun));
	BOTH(0, ipvs_add_dest(kern, &tun, &gue, false), ipvs_add_dest(rec, &tun, &gue, false));
	BOTH(0, ipvs_add_dest(kern, &tun, &ipip, false), ipvs_add_dest(rec, &tun, &ipip, false));
	BOTH(0, ipvs_add_service(kern, &v6), ipvs_add_service(rec, &v6));
	BOTH(0, ipvs_add_dest(kern, &v6, &d6, false), ipvs_add_dest(rec, &v6, &d6, false));
	/* persistence with granularity and a pe, one-packet scheduling, IPv6 granularity */
	struct ipvs_svc sip = svc("10.0.0.5", IPPROTO_UDP, 5060, "rr");
	struct ipvs_svc ops = svc("10.0.0.6", IPPROTO_UDP, 53, "rr");
	struct ipvs_svc p6 = svc("2001:db8::2", IPPROTO_TCP, 80, "rr");

	sip.flags = IP_VS_SVC_F_PERSISTENT;
	sip.timeout_s = 30;
	sip.netmask = htonl(0xffffff00);
	snprintf(sip.pe_name, sizeof(sip.pe_name), "sip");
	ops.flags = IP_VS_SVC_F_ONEPACKET;
	p6.flags = IP_VS_SVC_F_PERSISTENT;
	p6.timeout_s = 60;
	p6.netmask = 64;
	BOTH(0, ipvs_add_service(kern, &sip), ipvs_add_service(rec, &sip));
	BOTH(0, ipvs_add_service(kern, &ops), ipvs_add_service(rec, &ops));
	BOTH(0, ipvs_add_service(kern, &p6), ipvs_add_service(rec, &p6));
	expect_table("added", HEAD
		"TCP  10.0.0.1:80 rr\n"
		"  -> 10.1.0.1:80                  Masq    1      0          0         \n"
		"  -> 10.1.0.2:8080                Masq    2      0          0         \n"
		"UDP  10.0.0.2:53 wrr\n"
		"  -> 10.1.0.3:53                  Tunnel  1      0          0         \n"
		"  -> 10.1.0.4:53                  Tunnel  4      0          0         \n"
		"UDP  10.0.0.5:5060 rr persistent 30 mask 255.255.255.0 pe sip\n"
		"UDP  10.0.0.6:53 rr ops\n"
		"TCP  [2001:db8::1]:443 wlc\n"
		"  -> [2001:db8::10]:443           Masq    5      0          0         \n"
		"TCP  [2001:db8::2]:80 rr persistent 60 mask 64\n"
		"FWM  7 sh (sh-port) persistent 360\n"
		"  -> 10.1.0.1:0                   Route   3      0          0         \n");
	BOTH(0, ipvs_del_service(kern, &sip), ipvs_del_service(rec, &sip));
	BOTH(0, ipvs_del_service(kern, &ops), ipvs_del_service(rec, &ops));
	BOTH(0, ipvs_del_service(kern, &p6), ipvs_del_service(rec, &p6));
	expect_cmd("ipvsadm -S -n | grep 10.1.0.3",
		   "-a -u 10.0.0.2:53 -r 10.1.0.3:53 -i -w 1 --tun-type gue --tun-port 6080 "
		   "--tun-csum\n");

	/* 2. edits: scheduler, inhibit (weight 0 in place), SET on a missing dest (-> NEW),
	 * tolerated errors (logged), deletes */
	snprintf(nat.sched_name, sizeof(nat.sched_name), "wrr");
	BOTH(0, ipvs_edit_service(kern, &nat), ipvs_edit_service(rec, &nat));
	n2.weight = 0;
	BOTH(0, ipvs_edit_dest(kern, &nat, &n2), ipvs_edit_dest(rec, &nat, &n2));
	n2.weight = 7;
	BOTH(0, ipvs_add_dest(kern, &nat, &n2, true), ipvs_add_dest(rec, &nat, &n2, true));
	BOTH(0, ipvs_del_dest(kern, &nat, &n1), ipvs_del_dest(rec, &nat, &n1));
	BOTH(0, ipvs_edit_dest(kern, &nat, &n1), ipvs_edit_dest(rec, &nat, &n1));
	BOTH(0, ipvs_add_service(kern, &nat), ipvs_add_service(rec, &nat));
	BOTH(0, ipvs_add_dest(kern, &nat, &n1, false), ipvs_add_dest(rec, &nat, &n1, false));
	BOTH(0, ipvs_del_dest(kern, &tun, &n1), ipvs_del_dest(rec, &tun, &n1));
	BOTH(0, ipvs_del_service(kern, &v6), ipvs_del_service(rec, &v6));
	BOTH(0, ipvs_del_service(kern, &v6), ipvs_del_service(rec, &v6));
	BOTH(0, ipvs_del_dest(kern, &v6, &d6), ipvs_del_dest(rec, &v6, &d6));
	BOTH(-ENOENT, ipvs_edit_dest(kern, &v6, &d6), ipvs_edit_dest(rec, &v6, &d6));
	snprintf(v6.sched_name, sizeof(v6.sched_name), "nosuch");
	BOTH(-ENOENT, ipvs_add_service(kern, &v6), ipvs_add_service(rec, &v6));
	expect_table("edited", HEAD
		"TCP  10.0.0.1:80 wrr\n"
		"  -> 10.1.0.1:80                  Masq    1      0          0         \n"
		"  -> 10.1.0.2:8080                Masq    7      0          0         \n"
		"UDP  10.0.0.2:53 wrr\n"
		"  -> 10.1.0.3:53                  Tunnel  1      0          0         \n"
		"  -> 10.1.0.4:53                  Tunnel  4      0          0         \n"
		"FWM  7 sh (sh-port) persistent 360\n"
		"  -> 10.1.0.1:0                   Route   3      0          0         \n");

	/* 3. timeouts: changed (zeros keep the original), restored */
	expect_cmd("ipvsadm -Ln --timeout", "Timeout (tcp tcpfin udp): 900 120 300\n");
	BOTH(0, ipvs_set_timeouts(kern, &(struct ipvs_timeouts){ 100, 0, 30 }),
	     ipvs_set_timeouts(rec, &(struct ipvs_timeouts){ 100, 0, 30 }));
	expect_cmd("ipvsadm -Ln --timeout", "Timeout (tcp tcpfin udp): 100 120 30\n");
	BOTH(0, ipvs_restore_timeouts(kern), ipvs_restore_timeouts(rec));
	expect_cmd("ipvsadm -Ln --timeout", "Timeout (tcp tcpfin udp): 900 120 300\n");

	/* 4. sync daemon: master with every option, backup with none; twice: EEXIST */
	struct ipvs_daemon m = { .state = IP_VS_STATE_MASTER, .mcast_ifn = "lo", .syncid = 5,
				 .sync_maxlen = 1000, .mcast_port = 8000, .mcast_ttl = 3,
				 .mcast_af = AF_INET };
	struct ipvs_daemon bk = { .state = IP_VS_STATE_BACKUP, .mcast_ifn = "lo", .syncid = 5 };

	inet_pton(AF_INET, "239.1.1.1", &m.mcast_group.v4);
	BOTH(0, ipvs_sync_stop(kern, &m, true), ipvs_sync_stop(rec, &m, true));
	BOTH(0, ipvs_sync_start(kern, &m, false), ipvs_sync_start(rec, &m, false));
	BOTH(0, ipvs_sync_start(kern, &bk, false), ipvs_sync_start(rec, &bk, false));
	BOTH(-EEXIST, ipvs_sync_start(kern, &m, false), ipvs_sync_start(rec, &m, false));
	expect_cmd("ipvsadm -Ln --daemon",
		   "master sync daemon (mcast=lo, syncid=5, maxlen=1000, group=239.1.1.1, port=8000, ttl=3)\n"
		   "backup sync daemon (mcast=lo, syncid=5, maxlen=65507, group=224.0.0.81, port=8848, ttl=1)\n");
	BOTH(0, ipvs_sync_stop(kern, &m, false), ipvs_sync_stop(rec, &m, false));
	BOTH(0, ipvs_sync_stop(kern, &bk, false), ipvs_sync_stop(rec, &bk, false));
	BOTH(-ENOENT, ipvs_sync_stop(kern, &bk, false), ipvs_sync_stop(rec, &bk, false));
	expect_cmd("ipvsadm -Ln --daemon", "");

	/* 5. a service with its dests goes at once; flush empties the rest */
	BOTH(0, ipvs_del_service(kern, &nat), ipvs_del_service(rec, &nat));
	expect_table("deleted", HEAD
		"UDP  10.0.0.2:53 wrr\n"
		"  -> 10.1.0.3:53                  Tunnel  1      0          0         \n"
		"  -> 10.1.0.4:53                  Tunnel  4      0          0         \n"
		"FWM  7 sh (sh-port) persistent 360\n"
		"  -> 10.1.0.1:0                   Route   3      0          0         \n");
	BOTH(0, ipvs_flush(kern), ipvs_flush(rec));
	expect_table("flushed", HEAD);

	/*
	 * 6. a batch (the kernel's backend only): 150 dests in three sends, the refused ones
	 * matched back to their command by sequence number: a second NEW_DEST (EEXIST), a
	 * SET_DEST of a missing dest (ENOENT: retried as NEW_DEST, no line), a DEL_DEST of a
	 * missing one; their lines come at the end of the batch, once each
	 */
	struct ipvs_svc big = svc("10.0.0.9", IPPROTO_TCP, 80, "rr");
	struct ipvs_dest bd = dest("10.3.0.1", 80, IP_VS_CONN_F_MASQ, 1);

	ipvs_batch_begin(kern);
	CHECK(ipvs_add_service(kern, &big) == 0, "batch: NEW_SERVICE");
	for (unsigned i = 0; i < 150; i++) {
		bd.addr.v4.s_addr = htonl(0x0a030001 + i);
		CHECK(ipvs_add_dest(kern, &big, &bd, false) == 0, "batch: NEW_DEST %u", i);
	}
	bd.addr.v4.s_addr = htonl(0x0a030001 + 70);
	CHECK(ipvs_add_dest(kern, &big, &bd, false) == 0, "batch: NEW_DEST again");
	bd.addr.v4.s_addr = htonl(0x0a030001 + 150);
	CHECK(ipvs_add_dest(kern, &big, &bd, true) == 0, "batch: SET_DEST of a missing dest");
	bd.addr.v4.s_addr = htonl(0x0a030001 + 151);
	CHECK(ipvs_del_dest(kern, &big, &bd) == 0, "batch: DEL_DEST of a missing dest");
	ipvs_batch_end(kern);
	expect_cmd("ipvsadm -Ln | grep -c Masq", "151\n");
	CHECK(ipvs_flush(kern) == 0, "batch: flush");
	expect_cmd("ipvsadm -Ln | grep -c Masq", "0\n");

	/* every line twice: once per backend (the batch's once) */
	static const char *const want[] = {
		"IPVS cmd IP_VS_SO_SET_ADD(1154) error: Service already exists(17) (10.0.0.1:tcp:80)",
		"IPVS cmd IP_VS_SO_SET_ADD(1154) error: Service already exists(17) (10.0.0.1:tcp:80)",
		"IPVS cmd IP_VS_SO_SET_ADDDEST(1159) error: Destination already exists(17) (10.0.0.1:tcp:80 -> 10.1.0.1:80)",
		"IPVS cmd IP_VS_SO_SET_ADDDEST(1159) error: Destination already exists(17) (10.0.0.1:tcp:80 -> 10.1.0.1:80)",
		"IPVS cmd IP_VS_SO_SET_DELDEST(1160) error: No such destination(2) (10.0.0.2:udp:53 -> 10.1.0.1:80)",
		"IPVS cmd IP_VS_SO_SET_DELDEST(1160) error: No such destination(2) (10.0.0.2:udp:53 -> 10.1.0.1:80)",
		"IPVS cmd IP_VS_SO_SET_DEL(1156) error: No such file or directory(2) (2001:db8::1:tcp:443)",
		"IPVS cmd IP_VS_SO_SET_DEL(1156) error: No such file or directory(2) (2001:db8::1:tcp:443)",
		"IPVS cmd IP_VS_SO_SET_DELDEST(1160) error: No such destination(2) (2001:db8::1:tcp:443 -> 2001:db8::10:443)",
		"IPVS cmd IP_VS_SO_SET_DELDEST(1160) error: No such destination(2) (2001:db8::1:tcp:443 -> 2001:db8::10:443)",
		"IPVS cmd IP_VS_SO_SET_ADDDEST(1159) error: No such file or directory(2) (2001:db8::1:tcp:443 -> 2001:db8::10:443)",
		"IPVS cmd IP_VS_SO_SET_ADDDEST(1159) error: No such file or directory(2) (2001:db8::1:tcp:443 -> 2001:db8::10:443)",
		"IPVS cmd IP_VS_SO_SET_ADD(1154) error: Scheduler or persistence engine not found(2) (2001:db8::1:tcp:443)",
		"IPVS cmd IP_VS_SO_SET_ADD(1154) error: Scheduler or persistence engine not found(2) (2001:db8::1:tcp:443)",
		"IPVS cmd IP_VS_SO_SET_STARTDAEMON(1163) error: Daemon has already run(17)",
		"IPVS cmd IP_VS_SO_SET_STARTDAEMON(1163) error: Daemon has already run(17)",
		"IPVS cmd IP_VS_SO_SET_STOPDAEMON(1164) error: No such file or directory(2)",
		"IPVS cmd IP_VS_SO_SET_STOPDAEMON(1164) error: No such file or directory(2)",
		"IPVS cmd IP_VS_SO_SET_ADDDEST(1159) error: Destination already exists(17) (10.0.0.9:tcp:80 -> 10.3.0.71:80)",
		"IPVS cmd IP_VS_SO_SET_DELDEST(1160) error: No such destination(2) (10.0.0.9:tcp:80 -> 10.3.0.152:80)",
	};

	log_close();
	check_log(log_path, want, sizeof(want) / sizeof(want[0]));
	unlink(log_path);
	kern->close(kern);
	rec->close(rec);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%s: %d failure(s), %.2f s\n", n_fail ? "FAIL" : "PASS", n_fail,
	       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	return n_fail ? 1 : 0;
}
