// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tests/unit/test_check_engine.c: the checker engine (spec checker-ipvs.md 1.3-1.12) on a
 * recording IPVS backend. Each test compares one timeline of log lines, IPVS commands,
 * notifies and mails, in order, with what keepalived 2.2.7 does (Appendix A.1/A.2).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "check/check_engine.h"
#include "ipvs_test_rec.h"
#include "log.h"
#include "utils.h"

/* --- a config built by hand (the parser is another module's) --- */

#define MAX_VS 8
#define MAX_RS 8
#define MAX_CK 3

struct bld {
	struct check_conf cc;
	struct vs_conf vs[MAX_VS];
	struct rs_conf rs[MAX_VS][MAX_RS];
	struct rs_conf sorry[MAX_VS];
	struct ck_conf ck[MAX_VS][MAX_RS][MAX_CK];
	struct vsg_conf vsg[2];
	struct vsg_entry ent[2][4];
	char str[MAX_VS][64];
	struct process_cmd misc_cmd;
};

static struct bld *bld_new(void)
{
	struct bld *b = calloc(1, sizeof(*b));

	b->cc.vs = b->vs;
	b->cc.vsg = b->vsg;
	b->misc_cmd.cmdline = "/bin/true";
	return b;
}

static struct inet_addr ip(const char *s)
{
	struct inet_addr a;

	assert_true(inet_addr_parse(s, &a));
	return a;
}

static unsigned vs_idx(struct bld *b, const struct vs_conf *vs)
{
	return (unsigned)(vs - b->vs);
}

static struct vs_conf *vs_common(struct bld *b, const char *sched)
{
	unsigned i = b->cc.n_vs++;
	struct vs_conf *vs = &b->vs[i];

	snprintf(vs->sched, sizeof(vs->sched), "%s", sched);
	vs->af = AF_INET;
	vs->protocol = IPPROTO_TCP;
	vs->quorum = 1;
	vs->fwd.method = LVS_NAT;
	vs->rs = b->rs[i];
	vs->str = b->str[i];
	vs->delay_loop_us = 60000000;
	return vs;
}

static struct vs_conf *b_vs(struct bld *b, const char *addr, uint16_t port, const char *sched)
{
	struct vs_conf *vs = vs_common(b, sched);

	vs->kind = VS_ADDR;
	vs->addr = ip(addr);
	vs->af = vs->addr.family;
	vs->port = port;
	snprintf(vs->str, 64, vs->af == AF_INET6 ? "[%s]:tcp:%u" : "[%s]:tcp:%u", addr, port);
	return vs;
}

static struct vs_conf *b_vs_fwm(struct bld *b, uint32_t mark, const char *sched)
{
	struct vs_conf *vs = vs_common(b, sched);

	vs->kind = VS_FWMARK;
	vs->fwmark = mark;
	vs->protocol = 0;
	snprintf(vs->str, 64, "FWM %u", mark);
	return vs;
}

/* entries: "10.0.0.21-22:80" style ranges (same /24) or "fwm9" */
static struct vsg_conf *b_vsg(struct bld *b, const char *name, const char *const *ents, unsigned n)
{
	unsigned gi = b->cc.n_vsg++;
	struct vsg_conf *g = &b->vsg[gi];

	g->name = (char *)name;
	g->entries = b->ent[gi];
	for (unsigned i = 0; i < n; i++) {
		struct vsg_entry *ge = &g->entries[g->n_entries++];
		char buf[64], *dash, *colon;

		if (!strncmp(ents[i], "fwm", 3)) {
			ge->is_fwmark = true;
			ge->fwmark = (uint32_t)atoi(ents[i] + 3);
			continue;
		}
		snprintf(buf, sizeof(buf), "%s", ents[i]);
		colon = strrchr(buf, ':');
		*colon = 0;
		ge->port = (uint16_t)atoi(colon + 1);
		dash = strchr(buf, '-');
		if (dash)
			*dash = 0;
		ge->first = ip(buf);
		ge->last = ge->first;
		if (dash)
			ge->last.v4.s_addr = htonl((ntohl(ge->first.v4.s_addr) & ~0xffu) |
						   (unsigned)atoi(dash + 1));
	}
	return g;
}

static struct vs_conf *b_vs_group(struct bld *b, struct vsg_conf *g, unsigned index)
{
	struct vs_conf *vs = vs_common(b, "rr");

	vs->kind = VS_GROUP;
	vs->group = g;
	vs->group_name = g->name;
	vs->group_index = index;
	snprintf(vs->str, 64, "[%s]:%u", g->name, index);
	return vs;
}

static struct rs_conf *b_rs(struct bld *b, struct vs_conf *vs, const char *addr, uint16_t port,
			    int weight)
{
	unsigned v = vs_idx(b, vs), r = vs->n_rs++;
	struct rs_conf *rs = &vs->rs[r];

	rs->addr = ip(addr);
	rs->port = port;
	rs->weight = weight;
	rs->fwd = vs->fwd;
	rs->inhibit = vs->inhibit;
	rs->alpha = vs->alpha;
	rs->smtp_alert = true;
	rs->checkers = b->ck[v][r];
	return rs;
}

static struct rs_conf *b_sorry(struct bld *b, struct vs_conf *vs, const char *addr,
			       uint16_t port)
{
	struct rs_conf *rs = &b->sorry[vs_idx(b, vs)];

	rs->addr = ip(addr);
	rs->port = port;
	rs->weight = 1;
	rs->fwd = vs->fwd;
	vs->sorry = rs;
	return rs;
}

static struct ck_conf *b_ck(struct rs_conf *rs, enum ck_type t, unsigned retry)
{
	struct ck_conf *ck = &rs->checkers[rs->n_checkers++];
	struct sockaddr_in *sin = (struct sockaddr_in *)&ck->conn.dst;

	ck->type = t;
	ck->retry = retry;
	ck->alpha = rs->alpha;
	ck->delay_loop_us = 60000000;
	ck->delay_before_retry_us = 1000000;
	sin->sin_family = AF_INET;
	sin->sin_addr = rs->addr.v4;
	sin->sin_port = htons(rs->port);
	return ck;
}

/* --- the timeline: log lines, "ipvs: ...", "notify: ...", "mail: ..." in order --- */

static struct {
	char ev[512][224];
	unsigned n, mark;
	char path[64];
	FILE *logr;
	struct trec rec;
	struct bld *conf[4];
	unsigned n_conf;
} T;

static void push(const char *pfx, const char *s)
{
	assert_true(T.n < ARRAY_SIZE(T.ev));
	snprintf(T.ev[T.n++], sizeof(T.ev[0]), "%s%s", pfx, s);
}

static void drain_log(void)
{
	char line[512];

	clearerr(T.logr);
	while (fgets(line, sizeof(line), T.logr)) {
		char *p = strstr(line, "]: ");

		line[strcspn(line, "\n")] = 0;
		push("", p ? p + 3 : line);
	}
}

static void on_cmd(void *arg, const char *line)
{
	(void)arg;
	drain_log();
	push("ipvs: ", line);
}

static void h_rs_notify(void *arg, const struct vs_conf *vs, const struct rs_conf *rs, bool up,
			bool shutdown)
{
	char a[INET6_ADDRSTRLEN], buf[200];

	(void)arg;
	drain_log();
	snprintf(buf, sizeof(buf), "RS %s:%u of %s %s%s", inet_addr_str(&rs->addr, a, sizeof(a)),
		 rs->port, vs->str, up ? "UP" : "DOWN", shutdown ? " (shutdown)" : "");
	push("notify: ", buf);
}

static void h_vs_notify(void *arg, const struct vs_conf *vs, bool up, bool shutdown)
{
	char buf[200];

	(void)arg;
	drain_log();
	snprintf(buf, sizeof(buf), "VS %s %s%s", vs->str, up ? "UP" : "DOWN",
		 shutdown ? " (shutdown)" : "");
	push("notify: ", buf);
}

static void h_alert(void *arg, const char *subject, const char *body)
{
	char buf[224];

	(void)arg;
	drain_log();
	snprintf(buf, sizeof(buf), "%s | %s", subject, body);
	push("mail: ", buf);
}

static struct ce_hooks hooks(void)
{
	return (struct ce_hooks){ .rs_notify = h_rs_notify, .vs_notify = h_vs_notify,
				  .alert = h_alert, .router_id = "lb1" };
}

static void expect_(const char *what, const char *const *want, size_t n)
{
	bool ok;

	drain_log();
	ok = T.n - T.mark == n;
	for (size_t i = 0; ok && i < n; i++)
		ok = !strcmp(T.ev[T.mark + i], want[i]);
	if (!ok) {
		fprintf(stderr, "%s: got\n", what);
		for (unsigned i = T.mark; i < T.n; i++)
			fprintf(stderr, "\t\"%s\"\n", T.ev[i]);
		fprintf(stderr, "wanted\n");
		for (size_t i = 0; i < n; i++)
			fprintf(stderr, "\t\"%s\"\n", want[i]);
		fail_msg("%s: timeline differs", what);
	}
	T.mark = T.n;
}

#define EXPECT(what, ...)                                        \
	do {                                                     \
		static const char *const w_[] = { __VA_ARGS__ }; \
		expect_(what, w_, ARRAY_SIZE(w_));               \
	} while (0)
#define EXPECT_NONE(what) expect_(what, NULL, 0)

static int setup(void **state)
{
	int fd;
	struct log_opts o = { .ident = "test", .facility = LOG_DAEMON, .max_prio = LOG_DEBUG };

	(void)state;
	memset(&T, 0, sizeof(T));
	snprintf(T.path, sizeof(T.path), "/tmp/test_check_engine.XXXXXX");
	fd = mkstemp(T.path);
	assert_true(fd >= 0);
	close(fd);
	o.file = T.path;
	assert_int_equal(log_open(&o), 0);
	T.logr = fopen(T.path, "r");
	assert_non_null(T.logr);
	trec_init(&T.rec, on_cmd, NULL);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	log_close();
	fclose(T.logr);
	unlink(T.path);
	for (unsigned i = 0; i < T.n_conf; i++)
		free(T.conf[i]);
	return 0;
}

static struct bld *conf(void)
{
	struct bld *b = bld_new();

	T.conf[T.n_conf++] = b;
	return b;
}

static struct ce_rs *rs_of(struct ce *e, unsigned v, unsigned r)
{
	return ce_rs_at(ce_vs_at(e, v), r);
}

static struct ce_ck *ck_of(struct ce *e, unsigned v, unsigned r, unsigned c)
{
	return ce_ck_at(rs_of(e, v, r), c);
}

static void set_state(struct ce *e, unsigned v, unsigned r, unsigned c, bool up,
		      const char *body)
{
	ce_ck_set_state(e, ck_of(e, v, r, c), up, body);
}

#define TCP_OK "=> TCP CHECK succeed on service <="
#define TCP_KO "=> TCP CHECK failed on service <="

/* --- Appendix A: the VM scenario, step by step --- */

/*
 * VS A 10.0.0.1:80 rr, quorum 2, sorry 10.9.9.9: RS1 (retry 1), RS2 (inhibit, retry 0),
 * RS3 (retry 2); VS B 10.0.0.2:80 wlc alpha DR: RS4 weight 10, HTTP_GET + MISC dynamic;
 * FWM 7 sh persistent 360 DR: RS 10.1.0.1 weight 3.
 * b.conf: VS A wrr, RS2 weight 5, RS3 replaced by 10.1.0.30.
 */
static struct bld *appendix_conf(bool reloaded)
{
	struct bld *b = conf();
	struct vs_conf *a = b_vs(b, "10.0.0.1", 80, reloaded ? "wrr" : "rr");
	struct vs_conf *vb, *f;
	struct rs_conf *rs;

	a->quorum = 2;
	b_sorry(b, a, "10.9.9.9", 80);
	b_ck(b_rs(b, a, "10.1.0.1", 80, 1), CK_TCP, 1);
	rs = b_rs(b, a, "10.1.0.2", 80, reloaded ? 5 : 1);
	rs->inhibit = true;
	b_ck(rs, CK_TCP, 0);
	b_ck(b_rs(b, a, reloaded ? "10.1.0.30" : "10.1.0.3", 80, 1), CK_TCP, 2);
	vb = b_vs(b, "10.0.0.2", 80, "wlc");
	vb->alpha = true;
	vb->fwd.method = LVS_DR;
	rs = b_rs(b, vb, "10.1.0.4", 80, 10);
	b_ck(rs, CK_HTTP, 1);
	b_ck(rs, CK_MISC, 0)->u.misc.dynamic = true;
	rs->checkers[1].u.misc.cmd = &b->misc_cmd;
	f = b_vs_fwm(b, 7, "sh");
	f->persistence_timeout_s = 360;
	f->flags = 0x10;
	f->fwd.method = LVS_DR;
	b_ck(b_rs(b, f, "10.1.0.1", 0, 3), CK_TCP, 1);
	return b;
}

static void test_appendix_a(void **state)
{
	struct bld *ca = appendix_conf(false), *cb;
	struct ce_hooks h = hooks();
	struct ce *e, *e2;

	(void)state;
	e = ce_new(&ca->cc, &T.rec.b, &h, NULL);
	ce_start(e, NULL);
	EXPECT("cold start (A.2 lines 2-3, 6)",
	       "ipvs: NEW_SERVICE 10.0.0.1:80 rr",
	       "ipvs: NEW_DEST 10.0.0.1:80 rr -> 10.1.0.1:80 w1",
	       "ipvs: NEW_DEST 10.0.0.1:80 rr -> 10.1.0.2:80 w1",
	       "ipvs: NEW_DEST 10.0.0.1:80 rr -> 10.1.0.3:80 w1",
	       "Gained quorum 2+0=2 <= 3 for VS [10.0.0.1]:tcp:80",
	       "notify: VS [10.0.0.1]:tcp:80 UP",
	       "ipvs: NEW_SERVICE 10.0.0.2:80 wlc",
	       "ipvs: NEW_SERVICE fwm7 sh",
	       "ipvs: NEW_DEST fwm7 sh -> 10.1.0.1:0 w3",
	       "Gained quorum 1+0=1 <= 3 for VS FWM 7",
	       "notify: VS FWM 7 UP");
	/* the fwmark service: persistent in its own command, not in the dest's */
	assert_int_equal(T.rec.last_svc.flags, 0x10);
	assert_int_equal(T.rec.last_svc.timeout_s, 0);
	assert_int_equal(T.rec.last_dest.fwd_method, 3);

	set_state(e, 0, 2, 0, false, TCP_KO);
	EXPECT("RS3's first check fails",
	       "Removing service [10.1.0.3]:tcp:80 from VS [10.0.0.1]:tcp:80",
	       "ipvs: DEL_DEST 10.0.0.1:80 rr -> 10.1.0.3:80 w1",
	       "notify: RS 10.1.0.3:80 of [10.0.0.1]:tcp:80 DOWN",
	       "mail: [lb1] Realserver [10.1.0.3]:tcp:80 of virtual server [10.0.0.1]:tcp:80 - DOWN"
	       " | " TCP_KO);
	set_state(e, 1, 0, 0, true, "=> CHECK succeed on service <=");
	EXPECT("alpha RS4: HTTP passes, MISC still down: a DOWN mail",
	       "mail: [lb1] Realserver [10.1.0.4]:tcp:80 of virtual server [10.0.0.2]:tcp:80 - DOWN"
	       " | => CHECK succeed on service <=");
	set_state(e, 0, 0, 0, true, TCP_OK);
	EXPECT_NONE("RS1's first success: no change, no notify");
	set_state(e, 1, 0, 1, true, "=> MISC CHECK succeeded on service <=");
	EXPECT("RS4's MISC passes: added (DR: the VS port)",
	       "Adding service [10.1.0.4]:tcp:80 to VS [10.0.0.2]:tcp:80",
	       "ipvs: NEW_DEST 10.0.0.2:80 wlc -> 10.1.0.4:80 w10",
	       "notify: RS 10.1.0.4:80 of [10.0.0.2]:tcp:80 UP",
	       "Gained quorum 1+0=1 <= 10 for VS [10.0.0.2]:tcp:80",
	       "notify: VS [10.0.0.2]:tcp:80 UP",
	       "mail: [lb1] Realserver [10.1.0.4]:tcp:80 of virtual server [10.0.0.2]:tcp:80 - UP"
	       " | => MISC CHECK succeeded on service <=");
	set_state(e, 0, 0, 0, false, TCP_KO);
	EXPECT("RS1 fails: quorum lost, sorry server in (A.2 'lost quorum')",
	       "Removing service [10.1.0.1]:tcp:80 from VS [10.0.0.1]:tcp:80",
	       "ipvs: DEL_DEST 10.0.0.1:80 rr -> 10.1.0.1:80 w1",
	       "notify: RS 10.1.0.1:80 of [10.0.0.1]:tcp:80 DOWN",
	       "Lost quorum 2-0=2 > 1 for VS [10.0.0.1]:tcp:80",
	       "Adding sorry server [10.9.9.9]:tcp:80 to VS [10.0.0.1]:tcp:80",
	       "Removing alive servers from the pool for VS [10.0.0.1]:tcp:80",
	       "ipvs: SET_DEST 10.0.0.1:80 rr -> 10.1.0.2:80 w0",
	       "ipvs: NEW_DEST 10.0.0.1:80 rr -> 10.9.9.9:80 w1",
	       "notify: VS [10.0.0.1]:tcp:80 DOWN",
	       "mail: [lb1] Realserver [10.1.0.1]:tcp:80 of virtual server [10.0.0.1]:tcp:80 - DOWN"
	       " | " TCP_KO);
	assert_false(ce_vs_quorum_up(ce_vs_at(e, 0)));
	set_state(e, 0, 1, 0, false, TCP_KO);
	EXPECT("RS2 fails under the sorry server: no IPVS command",
	       "Disabling service [10.1.0.2]:tcp:80 of VS [10.0.0.1]:tcp:80",
	       "notify: RS 10.1.0.2:80 of [10.0.0.1]:tcp:80 DOWN",
	       "mail: [lb1] Realserver [10.1.0.2]:tcp:80 of virtual server [10.0.0.1]:tcp:80 - DOWN"
	       " | " TCP_KO);
	set_state(e, 0, 2, 0, true, TCP_OK);
	EXPECT("RS3 back, quorum still down: marked only",
	       "Adding service [10.1.0.3]:tcp:80 to VS [10.0.0.1]:tcp:80",
	       "notify: RS 10.1.0.3:80 of [10.0.0.1]:tcp:80 UP",
	       "mail: [lb1] Realserver [10.1.0.3]:tcp:80 of virtual server [10.0.0.1]:tcp:80 - UP"
	       " | " TCP_OK);
	set_state(e, 0, 0, 0, true, NULL);
	EXPECT("RS1 back: quorum gained, sorry out, alive servers in (A.2 'gain quorum')",
	       "Adding service [10.1.0.1]:tcp:80 to VS [10.0.0.1]:tcp:80",
	       "notify: RS 10.1.0.1:80 of [10.0.0.1]:tcp:80 UP",
	       "Gained quorum 2+0=2 <= 2 for VS [10.0.0.1]:tcp:80",
	       "Removing sorry server [10.9.9.9]:tcp:80 from VS [10.0.0.1]:tcp:80",
	       "ipvs: DEL_DEST 10.0.0.1:80 rr -> 10.9.9.9:80 w1",
	       "Adding alive servers to the pool for VS [10.0.0.1]:tcp:80",
	       "ipvs: NEW_DEST 10.0.0.1:80 rr -> 10.1.0.1:80 w1",
	       "ipvs: NEW_DEST 10.0.0.1:80 rr -> 10.1.0.3:80 w1",
	       "notify: VS [10.0.0.1]:tcp:80 UP");

	/* reload to b.conf */
	cb = appendix_conf(true);
	e2 = ce_new(&cb->cc, &T.rec.b, &h, e);
	ce_start(e2, e);
	ce_free(e);
	EXPECT("reload (A.2 'reload'; fixed: no quorum_down, RS4's weight kept)",
	       "ipvs: SET_SERVICE 10.0.0.1:80 wrr",
	       "service [10.1.0.3]:tcp:80 no longer exist",
	       "Removing service [10.1.0.3]:tcp:80 from VS [10.0.0.1]:tcp:80",
	       "ipvs: DEL_DEST 10.0.0.1:80 rr -> 10.1.0.3:80 w1",
	       "notify: RS 10.1.0.3:80 of [10.0.0.1]:tcp:80 DOWN",
	       "mail: [lb1] Realserver [10.1.0.3]:tcp:80 of virtual server [10.0.0.1]:tcp:80 - DOWN"
	       " | => Removing <=",
	       "Changing weight from 1 to 5 for inactive service [10.1.0.2]:tcp:80 of VS [10.0.0.1]:tcp:80",
	       "ipvs: NEW_DEST 10.0.0.1:80 wrr -> 10.1.0.30:80 w1");
	/* the new RS's checker has its full retries, the migrated ones their state */
	assert_int_equal(ck_of(e2, 0, 2, 0)->retry_it, 0);
	assert_false(ck_of(e2, 0, 1, 0)->is_up);
	assert_true(ck_of(e2, 0, 1, 0)->has_run);
	assert_true(ce_rs_alive(rs_of(e2, 1, 0)));
	assert_int_equal(ce_rs_weight(rs_of(e2, 1, 0)), 10);

	set_state(e2, 0, 2, 0, false, NULL);
	EXPECT("RS30 fails: quorum lost again (A.2)",
	       "Removing service [10.1.0.30]:tcp:80 from VS [10.0.0.1]:tcp:80",
	       "ipvs: DEL_DEST 10.0.0.1:80 wrr -> 10.1.0.30:80 w1",
	       "notify: RS 10.1.0.30:80 of [10.0.0.1]:tcp:80 DOWN",
	       "Lost quorum 2-0=2 > 1 for VS [10.0.0.1]:tcp:80",
	       "Adding sorry server [10.9.9.9]:tcp:80 to VS [10.0.0.1]:tcp:80",
	       "Removing alive servers from the pool for VS [10.0.0.1]:tcp:80",
	       "ipvs: DEL_DEST 10.0.0.1:80 wrr -> 10.1.0.1:80 w1",
	       "ipvs: NEW_DEST 10.0.0.1:80 wrr -> 10.9.9.9:80 w1",
	       "notify: VS [10.0.0.1]:tcp:80 DOWN");
	set_state(e2, 0, 1, 0, true, NULL);
	EXPECT("RS2 enabled: quorum back, inhibited RS re-enabled at weight 5 (A.2)",
	       "Enabling service [10.1.0.2]:tcp:80 of VS [10.0.0.1]:tcp:80",
	       "notify: RS 10.1.0.2:80 of [10.0.0.1]:tcp:80 UP",
	       "Gained quorum 2+0=2 <= 6 for VS [10.0.0.1]:tcp:80",
	       "Removing sorry server [10.9.9.9]:tcp:80 from VS [10.0.0.1]:tcp:80",
	       "ipvs: DEL_DEST 10.0.0.1:80 wrr -> 10.9.9.9:80 w1",
	       "Adding alive servers to the pool for VS [10.0.0.1]:tcp:80",
	       "ipvs: NEW_DEST 10.0.0.1:80 wrr -> 10.1.0.1:80 w1",
	       "ipvs: SET_DEST 10.0.0.1:80 wrr -> 10.1.0.2:80 w5",
	       "notify: VS [10.0.0.1]:tcp:80 UP");
	ce_shutdown(e2);
	EXPECT("stop (A.2 'stop'): a line per RS, DEL_DEST per set RS, inhibit forced",
	       "Shutting down service [10.1.0.1]:tcp:80 from VS [10.0.0.1]:tcp:80",
	       "ipvs: DEL_DEST 10.0.0.1:80 wrr -> 10.1.0.1:80 w1",
	       "Shutting down service [10.1.0.2]:tcp:80 from VS [10.0.0.1]:tcp:80",
	       "ipvs: DEL_DEST 10.0.0.1:80 wrr -> 10.1.0.2:80 w5",
	       "Shutting down service [10.1.0.30]:tcp:80 from VS [10.0.0.1]:tcp:80",
	       "ipvs: DEL_SERVICE 10.0.0.1:80 wrr",
	       "Shutting down service [10.1.0.4]:tcp:80 from VS [10.0.0.2]:tcp:80",
	       "ipvs: DEL_DEST 10.0.0.2:80 wlc -> 10.1.0.4:80 w10",
	       "ipvs: DEL_SERVICE 10.0.0.2:80 wlc",
	       "Shutting down service [10.1.0.1]:none:0 from VS FWM 7",
	       "ipvs: DEL_DEST fwm7 sh -> 10.1.0.1:0 w3",
	       "ipvs: DEL_SERVICE fwm7 sh");
	assert_int_equal(T.rec.last_svc.flags, 0x11);
	assert_int_equal(T.rec.last_svc.timeout_s, 360);
	ce_free(e2);
}

/* --- cold start (1.10) --- */

static void test_start_group(void **state)
{
	static const char *const ents[] = { "10.0.0.21-22:80", "fwm9" };
	struct bld *b = conf();
	struct vsg_conf *g = b_vsg(b, "VSG1", ents, 2);
	struct vs_conf *vs = b_vs_group(b, g, 0);
	struct ce_hooks h = hooks();
	struct rs_conf *rs;
	struct ce *e;

	(void)state;
	b_ck(b_rs(b, vs, "10.1.0.1", 8080, 1), CK_TCP, 1);
	rs = b_rs(b, vs, "10.1.0.2", 80, 2);
	rs->fwd.method = LVS_DR;
	b_ck(rs, CK_TCP, 1);
	e = ce_new(&b->cc, &T.rec.b, &h, NULL);
	ce_start(e, NULL);
	EXPECT("group: a service per address of the range, then per fwmark; every RS on each",
	       "ipvs: NEW_SERVICE 10.0.0.21:80 rr",
	       "ipvs: NEW_SERVICE 10.0.0.22:80 rr",
	       "ipvs: NEW_SERVICE fwm9 rr",
	       "ipvs: NEW_DEST 10.0.0.21:80 rr -> 10.1.0.1:8080 w1",
	       "ipvs: NEW_DEST 10.0.0.22:80 rr -> 10.1.0.1:8080 w1",
	       "ipvs: NEW_DEST fwm9 rr -> 10.1.0.1:8080 w1",
	       "ipvs: NEW_DEST 10.0.0.21:80 rr -> 10.1.0.2:80 w2",
	       "ipvs: NEW_DEST 10.0.0.22:80 rr -> 10.1.0.2:80 w2",
	       "ipvs: NEW_DEST fwm9 rr -> 10.1.0.2:0 w2",
	       "Gained quorum 1+0=1 <= 3 for VS [VSG1]:0",
	       "notify: VS [VSG1]:0 UP");
	set_state(e, 0, 0, 0, false, "x");
	EXPECT("group: a removal on every entry",
	       "Removing service [10.1.0.1]:tcp:8080 from VS [VSG1]:0",
	       "ipvs: DEL_DEST 10.0.0.21:80 rr -> 10.1.0.1:8080 w1",
	       "ipvs: DEL_DEST 10.0.0.22:80 rr -> 10.1.0.1:8080 w1",
	       "ipvs: DEL_DEST fwm9 rr -> 10.1.0.1:8080 w1",
	       "notify: RS 10.1.0.1:8080 of [VSG1]:0 DOWN",
	       "mail: [lb1] Realserver [10.1.0.1]:tcp:8080 of virtual server [VSG1]:0 - DOWN | x");
	(void)0;
	ce_shutdown(e);
	EXPECT("group: stop",
	       "Shutting down service [10.1.0.1]:tcp:8080 from VS [VSG1]:0",
	       "Shutting down service [10.1.0.2]:tcp:80 from VS [VSG1]:0",
	       "ipvs: DEL_DEST 10.0.0.21:80 rr -> 10.1.0.2:80 w2",
	       "ipvs: DEL_DEST 10.0.0.22:80 rr -> 10.1.0.2:80 w2",
	       "ipvs: DEL_DEST fwm9 rr -> 10.1.0.2:0 w2",
	       "ipvs: DEL_SERVICE 10.0.0.21:80 rr",
	       "ipvs: DEL_SERVICE 10.0.0.22:80 rr",
	       "ipvs: DEL_SERVICE fwm9 rr");
	ce_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_appendix_a, setup, teardown),
		cmocka_unit_test_setup_teardown(test_start_group, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
