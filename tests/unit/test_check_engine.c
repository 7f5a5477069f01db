// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tests/unit/test_check_engine.c: the checker engine (spec checker-ipvs.md 1.3-1.12) on a
 * recording IPVS backend. Each test compares one timeline of log lines, IPVS commands,
 * notifies and mails, in order, with what keepalived 2.2.7 does (Appendix A.1/A.2).
 */
#include <setjmp.h>
#include <errno.h>
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
	bool no_ipvs;			/* b == NULL: the wanted "ipvs: " lines are not sent */
	char path[64];
	FILE *logr;
	struct trec rec;
	struct bld *conf[16];
	unsigned n_conf;
} T;

static void push(const char *pfx, const char *s)
{
	size_t lp = strlen(pfx), ls = strlen(s);

	assert_true(T.n < ARRAY_SIZE(T.ev));
	assert_true(lp + ls < sizeof(T.ev[0]));
	memcpy(T.ev[T.n], pfx, lp);
	memcpy(T.ev[T.n++] + lp, s, ls + 1);
}

static void drain_log(void)
{
	char line[512];

	clearerr(T.logr);
	while (fgets(line, sizeof(line), T.logr)) {
		char *p = strstr(line, "]: ");

		line[strcspn(line, "\n")] = 0;
		p = p ? p + 3 : line;
		/* layer 2's error lines are test_ipvs's (the stand-in has none) */
		if (strncmp(p, "IPVS cmd ", 9))
			push("", p);
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

static void expect_(const char *what, const char *const *want_in, size_t n_in)
{
	const char *want[256];
	size_t n = 0;
	bool ok;

	for (size_t i = 0; i < n_in; i++)
		if (!T.no_ipvs || strncmp(want_in[i], "ipvs: ", 6))
			want[n++] = want_in[i];
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

static struct ce *reload(struct ce *old, struct bld *b, const struct ce_hooks *h)
{
	struct ce *e = ce_new(&b->cc, &T.rec.b, h, old);

	ce_start(e, old);
	ce_free(old);
	return e;
}

static struct ce *start(struct bld *b, const struct ce_hooks *h)
{
	struct ce *e = ce_new(&b->cc, &T.rec.b, h, NULL);

	ce_start(e, NULL);
	return e;
}

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

static void appendix_a(struct ipvs_backend *b)
{
	struct bld *ca = appendix_conf(false), *cb;
	struct ce_hooks h = hooks();
	struct ce *e, *e2;

	T.no_ipvs = !b;
	e = ce_new(&ca->cc, b, &h, NULL);
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
	if (b) {
		assert_int_equal(T.rec.last_svc.flags, 0x10);
		assert_int_equal(T.rec.last_svc.timeout_s, 0);
		assert_int_equal(T.rec.last_dest.fwd_method, 3);
	}

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
	e2 = ce_new(&cb->cc, b, &h, e);
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
	if (b) {
		assert_int_equal(T.rec.last_svc.flags, 0x11);
		assert_int_equal(T.rec.last_svc.timeout_s, 360);
	}
	ce_free(e2);
}

static void test_appendix_a(void **state)
{
	(void)state;
	appendix_a(&T.rec.b);
}

/* b == NULL (no ip_vs): the same state, lines, notifies and mails; nothing sent */
static void test_appendix_a_no_ipvs(void **state)
{
	(void)state;
	appendix_a(NULL);
	assert_int_equal(T.rec.n, 0);
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

static void test_start_sorry_inhibit(void **state)
{
	struct bld *b = conf();
	struct vs_conf *up = b_vs(b, "10.0.0.1", 80, "rr"), *down;
	struct ce_hooks h = hooks();
	struct rs_conf *rs;
	struct ce *e;

	(void)state;
	up->sorry_inhibit = true;
	b_sorry(b, up, "10.9.9.9", 80);
	b_ck(b_rs(b, up, "10.1.0.1", 80, 1), CK_TCP, 1);
	down = b_vs(b, "10.0.0.2", 80, "rr");
	down->alpha = true;
	down->inhibit = true;
	down->smtp_alert = true;
	down->sorry_inhibit = true;
	b_sorry(b, down, "10.9.9.8", 80)->weight = 2;
	rs = b_rs(b, down, "10.1.0.14", 80, 4);
	b_ck(rs, CK_TCP, 1);
	h.rs_init_notifies = true;
	e = ce_new(&b->cc, &T.rec.b, &h, NULL);
	ce_start(e, NULL);
	EXPECT("sorry_server_inhibit: pre-added at weight 0 after quorum; alpha+inhibit RS at 0",
	       "ipvs: NEW_SERVICE 10.0.0.1:80 rr",
	       "ipvs: NEW_DEST 10.0.0.1:80 rr -> 10.1.0.1:80 w1",
	       "notify: RS 10.1.0.1:80 of [10.0.0.1]:tcp:80 UP",
	       "Gained quorum 1+0=1 <= 1 for VS [10.0.0.1]:tcp:80",
	       "notify: VS [10.0.0.1]:tcp:80 UP",
	       "ipvs: NEW_DEST 10.0.0.1:80 rr -> 10.9.9.9:80 w0",
	       "ipvs: NEW_SERVICE 10.0.0.2:80 rr",
	       "ipvs: NEW_DEST 10.0.0.2:80 rr -> 10.1.0.14:80 w0",
	       "Starting with quorum down 1-0=1 > 0 for VS [10.0.0.2]:tcp:80",
	       "Enabling sorry server [10.9.9.8]:tcp:80 to VS [10.0.0.2]:tcp:80",
	       "Removing alive servers from the pool for VS [10.0.0.2]:tcp:80",
	       "ipvs: NEW_DEST 10.0.0.2:80 rr -> 10.9.9.8:80 w2",
	       "notify: VS [10.0.0.2]:tcp:80 DOWN",
	       "mail: [lb1] Virtualserver [10.0.0.2]:tcp:80 - DOWN"
	       " | => Starting with quorum down 1+0=1 <= 0 <=");
	assert_true(ce_rs_in_table(rs_of(e, 1, 0)));
	assert_false(ce_rs_alive(rs_of(e, 1, 0)));
	set_state(e, 1, 0, 0, true, NULL);
	EXPECT("the alpha inhibited RS passes: enabled, quorum, the sorry server disabled",
	       "Enabling service [10.1.0.14]:tcp:80 of VS [10.0.0.2]:tcp:80",
	       "notify: RS 10.1.0.14:80 of [10.0.0.2]:tcp:80 UP",
	       "Gained quorum 1+0=1 <= 4 for VS [10.0.0.2]:tcp:80",
	       "Disabling sorry server [10.9.9.8]:tcp:80 from VS [10.0.0.2]:tcp:80",
	       "ipvs: SET_DEST 10.0.0.2:80 rr -> 10.9.9.8:80 w0",
	       "Adding alive servers to the pool for VS [10.0.0.2]:tcp:80",
	       "ipvs: SET_DEST 10.0.0.2:80 rr -> 10.1.0.14:80 w4",
	       "notify: VS [10.0.0.2]:tcp:80 UP",
	       "mail: [lb1] Virtualserver [10.0.0.2]:tcp:80 - UP | => Gained quorum 1+0=1 <= 4 <=");
	ce_shutdown(e);
	EXPECT("stop: sorry servers really deleted, '(inhibited)' for none alive",
	       "ipvs: DEL_DEST 10.0.0.1:80 rr -> 10.9.9.9:80 w1",
	       "Shutting down service [10.1.0.1]:tcp:80 from VS [10.0.0.1]:tcp:80",
	       "ipvs: DEL_DEST 10.0.0.1:80 rr -> 10.1.0.1:80 w1",
	       "ipvs: DEL_SERVICE 10.0.0.1:80 rr",
	       "ipvs: DEL_DEST 10.0.0.2:80 rr -> 10.9.9.8:80 w2",
	       "Shutting down service [10.1.0.14]:tcp:80 from VS [10.0.0.2]:tcp:80",
	       "ipvs: DEL_DEST 10.0.0.2:80 rr -> 10.1.0.14:80 w4",
	       "ipvs: DEL_SERVICE 10.0.0.2:80 rr");
	ce_free(e);
}

/* two VSs (tcp, udp) on one group: per-protocol services, the fwmark service shared */
static void test_start_group_shared(void **state)
{
	static const char *const ents[] = { "10.0.0.21:80", "fwm9" };
	struct bld *b = conf();
	struct vsg_conf *g = b_vsg(b, "VSG1", ents, 2);
	struct vs_conf *v0 = b_vs_group(b, g, 0), *v1 = b_vs_group(b, g, 1);
	struct ce_hooks h = hooks();
	struct ce *e;

	(void)state;
	v1->protocol = IPPROTO_UDP;
	b_ck(b_rs(b, v0, "10.1.0.1", 80, 1), CK_TCP, 1);
	b_ck(b_rs(b, v1, "10.1.0.2", 80, 1), CK_TCP, 1);
	e = start(b, &h);
	EXPECT("start",
	       "ipvs: NEW_SERVICE 10.0.0.21:80 rr",
	       "ipvs: NEW_SERVICE fwm9 rr",
	       "ipvs: NEW_DEST 10.0.0.21:80 rr -> 10.1.0.1:80 w1",
	       "ipvs: NEW_DEST fwm9 rr -> 10.1.0.1:80 w1",
	       "Gained quorum 1+0=1 <= 1 for VS [VSG1]:0",
	       "notify: VS [VSG1]:0 UP",
	       "ipvs: NEW_SERVICE 10.0.0.21:80/udp rr",
	       "ipvs: NEW_DEST 10.0.0.21:80/udp rr -> 10.1.0.2:80 w1",
	       "ipvs: NEW_DEST fwm9 rr -> 10.1.0.2:80 w1",
	       "Gained quorum 1+0=1 <= 1 for VS [VSG1]:1",
	       "notify: VS [VSG1]:1 UP");
	ce_shutdown(e);
	EXPECT("stop: the shared fwmark service goes with its last server",
	       "Shutting down service [10.1.0.1]:tcp:80 from VS [VSG1]:0",
	       "ipvs: DEL_DEST 10.0.0.21:80 rr -> 10.1.0.1:80 w1",
	       "ipvs: DEL_DEST fwm9 rr -> 10.1.0.1:80 w1",
	       "ipvs: DEL_SERVICE 10.0.0.21:80 rr",
	       "Shutting down service [10.1.0.2]:udp:80 from VS [VSG1]:1",
	       "ipvs: DEL_DEST 10.0.0.21:80/udp rr -> 10.1.0.2:80 w1",
	       "ipvs: DEL_DEST fwm9 rr -> 10.1.0.2:80 w1",
	       "ipvs: DEL_SERVICE 10.0.0.21:80/udp rr",
	       "ipvs: DEL_SERVICE fwm9 rr");
	ce_free(e);
}

/* a sorry server that is also a real server (inhibit): never sent on its own */
static void test_sorry_dup(void **state)
{
	struct bld *b = conf();
	struct vs_conf *vs = b_vs(b, "10.0.0.1", 80, "rr");
	struct ce_hooks h = hooks();
	struct rs_conf *rs;
	struct ce *e;

	(void)state;
	vs->sorry_inhibit = true;
	b_sorry(b, vs, "10.1.0.1", 80)->inhibit = true;
	rs = b_rs(b, vs, "10.1.0.1", 80, 1);
	rs->inhibit = true;
	b_ck(rs, CK_TCP, 1);
	e = start(b, &h);
	EXPECT("start: no separate weight-0 add",
	       "ipvs: NEW_SERVICE 10.0.0.1:80 rr",
	       "ipvs: NEW_DEST 10.0.0.1:80 rr -> 10.1.0.1:80 w1",
	       "Gained quorum 1+0=1 <= 1 for VS [10.0.0.1]:tcp:80",
	       "notify: VS [10.0.0.1]:tcp:80 UP");
	assert_true(ce_rs_in_table(ce_vs_sorry(ce_vs_at(e, 0))));
	ce_shutdown(e);
	EXPECT("stop: only the real server's delete",
	       "Shutting down service [10.1.0.1]:tcp:80 from VS [10.0.0.1]:tcp:80",
	       "ipvs: DEL_DEST 10.0.0.1:80 rr -> 10.1.0.1:80 w1",
	       "ipvs: DEL_SERVICE 10.0.0.1:80 rr");
	ce_free(e);
}

/* FILE_CHECK's state is known before start: a failing file keeps its RS out */
static void test_start_file_state(void **state)
{
	struct bld *b = conf();
	struct vs_conf *vs = b_vs(b, "10.0.0.1", 80, "rr");
	struct ce_hooks h = hooks();
	struct ce *e;

	(void)state;
	b_ck(b_rs(b, vs, "10.1.0.1", 80, 1), CK_FILE, 0);
	b_ck(b_rs(b, vs, "10.1.0.2", 80, 1), CK_FILE, 0);
	e = ce_new(&b->cc, &T.rec.b, &h, NULL);
	ce_ck_init_state(ck_of(e, 0, 0, 0), false, 0);
	ce_ck_init_state(ck_of(e, 0, 1, 0), true, 3);
	ce_start(e, NULL);
	EXPECT("start",
	       "ipvs: NEW_SERVICE 10.0.0.1:80 rr",
	       "ipvs: NEW_DEST 10.0.0.1:80 rr -> 10.1.0.2:80 w4",
	       "Gained quorum 1+0=1 <= 4 for VS [10.0.0.1]:tcp:80",
	       "notify: VS [10.0.0.1]:tcp:80 UP");
	ce_free(e);
}

/* --- 1.3: several checkers, first results, IPVS failures, mails --- */

static void test_and_semantics(void **state)
{
	struct bld *b = conf();
	struct vs_conf *vs = b_vs(b, "10.0.0.1", 80, "rr");
	struct ce_hooks h = hooks();
	struct rs_conf *rs;
	struct ce *e;

	(void)state;
	rs = b_rs(b, vs, "10.1.0.1", 80, 1);
	b_ck(rs, CK_TCP, 3);
	b_ck(rs, CK_MISC, 0)->u.misc.cmd = &b->misc_cmd;
	rs = b_rs(b, vs, "10.1.0.2", 80, 1);
	rs->alpha = true;
	b_ck(rs, CK_TCP, 1);
	b_rs(b, vs, "10.1.0.9", 80, 1);		/* no checker: keeps the quorum */
	h.no_checker_emails = true;
	e = ce_new(&b->cc, &T.rec.b, &h, NULL);
	/* cold start: retry_it = retry (the first failure counts), alpha starts down */
	assert_int_equal(ck_of(e, 0, 0, 0)->retry_it, 3);
	assert_true(ck_of(e, 0, 0, 0)->is_up);
	assert_false(ck_of(e, 0, 1, 0)->is_up);
	assert_true(ck_of(e, 0, 0, 0)->enabled);
	ce_start(e, NULL);
	T.mark = T.n;

	set_state(e, 0, 0, 1, false, "=> MISC CHECK failed on service <=");
	EXPECT("the first failed checker takes the RS out",
	       "Removing service [10.1.0.1]:tcp:80 from VS [10.0.0.1]:tcp:80",
	       "ipvs: DEL_DEST 10.0.0.1:80 rr -> 10.1.0.1:80 w1",
	       "notify: RS 10.1.0.1:80 of [10.0.0.1]:tcp:80 DOWN",
	       "mail: [lb1] Realserver [10.1.0.1]:tcp:80 of virtual server [10.0.0.1]:tcp:80 - DOWN"
	       " | => MISC CHECK failed on service <=");
	set_state(e, 0, 0, 0, false, TCP_KO);
	EXPECT_NONE("a second failed checker: nothing (no_checker_emails: no mail either)");
	set_state(e, 0, 0, 1, true, "=> MISC CHECK succeeded on service <=");
	EXPECT_NONE("one of two recovers: still out");
	set_state(e, 0, 0, 0, true, TCP_OK);
	EXPECT("the last recovery puts it back",
	       "Adding service [10.1.0.1]:tcp:80 to VS [10.0.0.1]:tcp:80",
	       "ipvs: NEW_DEST 10.0.0.1:80 rr -> 10.1.0.1:80 w1",
	       "notify: RS 10.1.0.1:80 of [10.0.0.1]:tcp:80 UP",
	       "mail: [lb1] Realserver [10.1.0.1]:tcp:80 of virtual server [10.0.0.1]:tcp:80 - UP"
	       " | " TCP_OK);
	set_state(e, 0, 1, 0, false, TCP_KO);
	EXPECT("an alpha checker's first result is down: notify_down though nothing changed",
	       "notify: RS 10.1.0.2:80 of [10.0.0.1]:tcp:80 DOWN");
	assert_true(ck_of(e, 0, 1, 0)->has_run);
	set_state(e, 0, 1, 0, false, TCP_KO);
	EXPECT_NONE("the same result again: nothing");

	/* an IPVS failure leaves the state as it was: the next report retries */
	T.rec.fail_err[IPVS_C_DEL_DEST] = -EIO;
	set_state(e, 0, 0, 0, false, NULL);
	EXPECT("DEL_DEST fails",
	       "Removing service [10.1.0.1]:tcp:80 from VS [10.0.0.1]:tcp:80",
	       "ipvs: DEL_DEST 10.0.0.1:80 rr -> 10.1.0.1:80 w1");
	assert_true(ck_of(e, 0, 0, 0)->is_up);
	assert_true(ce_rs_alive(rs_of(e, 0, 0)));
	set_state(e, 0, 0, 0, false, NULL);
	EXPECT("retried",
	       "Removing service [10.1.0.1]:tcp:80 from VS [10.0.0.1]:tcp:80",
	       "ipvs: DEL_DEST 10.0.0.1:80 rr -> 10.1.0.1:80 w1",
	       "notify: RS 10.1.0.1:80 of [10.0.0.1]:tcp:80 DOWN");
	assert_false(ck_of(e, 0, 0, 0)->is_up);
	ce_free(e);
}

/* --- 1.6: quorum and hysteresis, both directions, at the boundaries --- */

static void test_quorum_hysteresis(void **state)
{
	static const struct {
		const char *what;
		unsigned rs;		/* index of the RS whose only checker reports */
		bool up;
		bool quorum;		/* afterwards */
		const char *line;	/* the quorum line, or NULL */
	} steps[] = {
		{ "W 4 -> 3: above Q-H", 0, false, true, NULL },
		{ "W 3 -> 2: = Q-H keeps quorum", 1, false, true, NULL },
		{ "W 2 -> 1: below Q-H loses it", 2, false, false,
		  "Lost quorum 3-1=2 > 1 for VS [10.0.0.1]:tcp:80" },
		{ "W 1 -> 2: = Q-H is not enough to regain", 2, true, false, NULL },
		{ "W 2 -> 3: = Q, still below Q+H", 1, true, false, NULL },
		{ "W 3 -> 4: = Q+H regains", 0, true, true,
		  "Gained quorum 3+1=4 <= 4 for VS [10.0.0.1]:tcp:80" },
		{ "W 4 -> 3", 3, false, true, NULL },
		{ "W 3 -> 2", 2, false, true, NULL },
		{ "W 2 -> 1", 1, false, false, "Lost quorum 3-1=2 > 1 for VS [10.0.0.1]:tcp:80" },
		{ "W 1 -> 0: already down", 0, false, false, NULL },
	};
	struct bld *b = conf();
	struct vs_conf *vs = b_vs(b, "10.0.0.1", 80, "rr");
	struct ce_hooks h = hooks();
	struct ce *e;

	(void)state;
	vs->quorum = 3;
	vs->hysteresis = 1;
	for (int i = 0; i < 4; i++) {
		char a[16];

		snprintf(a, sizeof(a), "10.1.0.%d", i + 1);
		b_ck(b_rs(b, vs, a, 80, 1), CK_TCP, 1);
	}
	e = ce_new(&b->cc, NULL, &h, NULL);
	ce_start(e, NULL);
	EXPECT("start at W = Q+H", "Gained quorum 3+1=4 <= 4 for VS [10.0.0.1]:tcp:80",
	       "notify: VS [10.0.0.1]:tcp:80 UP");
	for (size_t i = 0; i < ARRAY_SIZE(steps); i++) {
		bool found = false;

		set_state(e, 0, steps[i].rs, 0, steps[i].up, NULL);
		drain_log();
		for (unsigned j = T.mark; j < T.n; j++) {
			if (strstr(T.ev[j], "quorum ")) {
				if (!steps[i].line || strcmp(T.ev[j], steps[i].line))
					fail_msg("%s: unexpected \"%s\"", steps[i].what, T.ev[j]);
				found = true;
			}
		}
		if (steps[i].line && !found)
			fail_msg("%s: no \"%s\"", steps[i].what, steps[i].line);
		if (ce_vs_quorum_up(ce_vs_at(e, 0)) != steps[i].quorum)
			fail_msg("%s: quorum %d", steps[i].what, !steps[i].quorum);
		T.mark = T.n;
	}
	ce_free(e);
}

/* quorum 1, hysteresis 1: Q-H = 0, so only W == 0 loses it */
static void test_quorum_zero_threshold(void **state)
{
	struct bld *b = conf();
	struct vs_conf *vs = b_vs(b, "10.0.0.1", 80, "rr");
	struct ce_hooks h = hooks();
	struct ce *e;

	(void)state;
	vs->hysteresis = 1;
	vs->smtp_alert = true;
	b_ck(b_rs(b, vs, "10.1.0.1", 80, 2), CK_TCP, 1);
	e = ce_new(&b->cc, NULL, &h, NULL);
	ce_start(e, NULL);
	EXPECT("start", "Gained quorum 1+1=2 <= 2 for VS [10.0.0.1]:tcp:80",
	       "notify: VS [10.0.0.1]:tcp:80 UP",
	       "mail: [lb1] Virtualserver [10.0.0.1]:tcp:80 - UP"
	       " | => Starting with quorum up 1+1=2 <= 2 <=");
	set_state(e, 0, 0, 0, false, NULL);
	EXPECT("W 0: lost (the mail says + and <= even for a loss)",
	       "Removing service [10.1.0.1]:tcp:80 from VS [10.0.0.1]:tcp:80",
	       "notify: RS 10.1.0.1:80 of [10.0.0.1]:tcp:80 DOWN",
	       "Lost quorum 1-1=0 > 0 for VS [10.0.0.1]:tcp:80",
	       "notify: VS [10.0.0.1]:tcp:80 DOWN",
	       "mail: [lb1] Virtualserver [10.0.0.1]:tcp:80 - DOWN | => Lost quorum 1+1=0 <= 0 <=");
	ce_free(e);
}

/* --- 1.5: weights --- */

static void test_weights(void **state)
{
	struct bld *b = conf();
	struct vs_conf *vs = b_vs(b, "10.0.0.1", 80, "rr");
	struct ce_hooks h = hooks();
	struct rs_conf *rs;
	struct ce *e;

	(void)state;
	vs->quorum = 5;
	b_sorry(b, vs, "10.9.9.9", 80);
	rs = b_rs(b, vs, "10.1.0.1", 80, 10);
	b_ck(rs, CK_MISC, 0)->u.misc.dynamic = true;
	rs = b_rs(b, vs, "10.1.0.2", 80, INT32_MAX);
	b_ck(rs, CK_FILE, 0);
	b_ck(rs, CK_TCP, 0);
	e = ce_new(&b->cc, &T.rec.b, &h, NULL);
	ce_start(e, NULL);
	T.mark = T.n;

	ce_ck_set_weight(e, ck_of(e, 0, 1, 0), 5);
	EXPECT_NONE("above INT32_MAX: clamped, no change");
	assert_int_equal(ce_rs_weight(rs_of(e, 0, 1)), INT32_MAX);
	ce_ck_set_weight(e, ck_of(e, 0, 1, 0), -5);
	EXPECT("INT32_MAX-5: a change",
	       "Changing weight from 2147483647 to 2147483642 for active service [10.1.0.2]:tcp:80"
	       " of VS [10.0.0.1]:tcp:80",
	       "ipvs: SET_DEST 10.0.0.1:80 rr -> 10.1.0.2:80 w2147483642");
	ce_ck_set_weight(e, ck_of(e, 0, 1, 0), INT32_MIN);
	EXPECT("below 0: clamped to 0",
	       "Changing weight from 2147483642 to 0 for active service [10.1.0.2]:tcp:80"
	       " of VS [10.0.0.1]:tcp:80",
	       "ipvs: SET_DEST 10.0.0.1:80 rr -> 10.1.0.2:80 w0");
	ce_ck_set_weight(e, ck_of(e, 0, 0, 0), -7);
	EXPECT("W 3 < quorum 5: the weight change loses quorum, the sorry server comes",
	       "Changing weight from 10 to 3 for active service [10.1.0.1]:tcp:80"
	       " of VS [10.0.0.1]:tcp:80",
	       "ipvs: SET_DEST 10.0.0.1:80 rr -> 10.1.0.1:80 w3",
	       "Lost quorum 5-0=5 > 3 for VS [10.0.0.1]:tcp:80",
	       "Adding sorry server [10.9.9.9]:tcp:80 to VS [10.0.0.1]:tcp:80",
	       "Removing alive servers from the pool for VS [10.0.0.1]:tcp:80",
	       "ipvs: DEL_DEST 10.0.0.1:80 rr -> 10.1.0.1:80 w3",
	       "ipvs: DEL_DEST 10.0.0.1:80 rr -> 10.1.0.2:80 w0",
	       "ipvs: NEW_DEST 10.0.0.1:80 rr -> 10.9.9.9:80 w1",
	       "notify: VS [10.0.0.1]:tcp:80 DOWN");
	ce_ck_set_weight(e, ck_of(e, 0, 0, 0), -6);
	EXPECT("the sorry server is in: remembered, not sent",
	       "Changing weight from 3 to 4 for active service [10.1.0.1]:tcp:80"
	       " of VS [10.0.0.1]:tcp:80");
	set_state(e, 0, 0, 0, false, NULL);
	T.mark = T.n;
	ce_ck_set_weight(e, ck_of(e, 0, 0, 0), 0);
	EXPECT("an inactive server's weight",
	       "Changing weight from 4 to 10 for inactive service [10.1.0.1]:tcp:80"
	       " of VS [10.0.0.1]:tcp:80");
	set_state(e, 0, 0, 0, true, NULL);
	EXPECT("back with its new weight, quorum regained",
	       "Adding service [10.1.0.1]:tcp:80 to VS [10.0.0.1]:tcp:80",
	       "notify: RS 10.1.0.1:80 of [10.0.0.1]:tcp:80 UP",
	       "Gained quorum 5+0=5 <= 10 for VS [10.0.0.1]:tcp:80",
	       "Removing sorry server [10.9.9.9]:tcp:80 from VS [10.0.0.1]:tcp:80",
	       "ipvs: DEL_DEST 10.0.0.1:80 rr -> 10.9.9.9:80 w1",
	       "Adding alive servers to the pool for VS [10.0.0.1]:tcp:80",
	       "ipvs: NEW_DEST 10.0.0.1:80 rr -> 10.1.0.1:80 w10",
	       "ipvs: NEW_DEST 10.0.0.1:80 rr -> 10.1.0.2:80 w0",
	       "notify: VS [10.0.0.1]:tcp:80 UP");
	ce_free(e);
}

/* --- 1.12: shutdown --- */

static struct ce *shutdown_engine(struct bld *b, const struct ce_hooks *h)
{
	struct vs_conf *vs = b_vs(b, "10.0.0.1", 80, "rr");
	struct rs_conf *rs;
	struct ce *e;

	vs->omega = true;
	vs->smtp_alert = true;
	b_sorry(b, vs, "10.9.9.9", 80);
	b_ck(b_rs(b, vs, "10.1.0.1", 80, 1), CK_TCP, 1);
	rs = b_rs(b, vs, "10.1.0.2", 80, 1);
	rs->inhibit = true;
	b_ck(rs, CK_TCP, 1);
	vs = b_vs(b, "10.0.0.2", 80, "rr");
	b_ck(b_rs(b, vs, "10.1.0.3", 80, 1), CK_TCP, 1);
	e = ce_new(&b->cc, &T.rec.b, h, NULL);
	ce_start(e, NULL);
	ce_ck_set_state(e, ck_of(e, 0, 1, 0), false, NULL);
	T.mark = T.n;
	return e;
}

static void test_shutdown_omega(void **state)
{
	struct ce_hooks h = hooks();
	struct ce *e = shutdown_engine(conf(), &h);

	(void)state;
	ce_shutdown(e);
	EXPECT("omega: notifies and mails while tearing down; without omega none",
	       "Shutting down service [10.1.0.1]:tcp:80 from VS [10.0.0.1]:tcp:80",
	       "ipvs: DEL_DEST 10.0.0.1:80 rr -> 10.1.0.1:80 w1",
	       "notify: RS 10.1.0.1:80 of [10.0.0.1]:tcp:80 DOWN (shutdown)",
	       "mail: [lb1] Realserver [10.1.0.1]:tcp:80 of virtual server [10.0.0.1]:tcp:80 - DOWN"
	       " | => Shutting down <=",
	       "Shutting down (inhibited) service [10.1.0.2]:tcp:80 from VS [10.0.0.1]:tcp:80",
	       "ipvs: DEL_DEST 10.0.0.1:80 rr -> 10.1.0.2:80 w1",
	       "notify: VS [10.0.0.1]:tcp:80 DOWN (shutdown)",
	       "mail: [lb1] Virtualserver [10.0.0.1]:tcp:80 - DOWN | => Shutting down <=",
	       "ipvs: DEL_SERVICE 10.0.0.1:80 rr",
	       "Shutting down service [10.1.0.3]:tcp:80 from VS [10.0.0.2]:tcp:80",
	       "ipvs: DEL_DEST 10.0.0.2:80 rr -> 10.1.0.3:80 w1",
	       "ipvs: DEL_SERVICE 10.0.0.2:80 rr");
	ce_free(e);
}

static void test_shutdown_flush(void **state)
{
	struct ce_hooks h = hooks();
	struct ce *e;

	(void)state;
	h.flush_on_stop = 1;
	e = shutdown_engine(conf(), &h);
	ce_shutdown(e);
	EXPECT("lvs_flush_on_stop: one FLUSH, then the VS notifies (omega)",
	       "ipvs: FLUSH",
	       "notify: VS [10.0.0.1]:tcp:80 DOWN (shutdown)",
	       "mail: [lb1] Virtualserver [10.0.0.1]:tcp:80 - DOWN | => Shutting down <=");
	ce_free(e);

	h.flush_on_stop = 2;
	e = shutdown_engine(conf(), &h);
	ce_shutdown(e);
	EXPECT("lvs_flush_on_stop VS: DEL_SERVICE per VS only",
	       "notify: VS [10.0.0.1]:tcp:80 DOWN (shutdown)",
	       "mail: [lb1] Virtualserver [10.0.0.1]:tcp:80 - DOWN | => Shutting down <=",
	       "ipvs: DEL_SERVICE 10.0.0.1:80 rr",
	       "ipvs: DEL_SERVICE 10.0.0.2:80 rr");
	ce_free(e);

	h.flush_on_stop = 0;
	h.dont_release_ipvs = true;
	e = shutdown_engine(conf(), &h);
	ce_shutdown(e);
	EXPECT_NONE("-I: nothing at all");
	ce_free(e);
}

/* --- 1.7: ha_suspend --- */

static void test_ha_suspend(void **state)
{
	static const char *const ents[] = { "10.0.0.21-23:80" };
	struct bld *b = conf();
	struct vs_conf *vs = b_vs(b, "10.0.0.1", 80, "rr"), *gv;
	struct ce_hooks h = hooks();
	struct inet_addr a1 = ip("10.0.0.1"), a22 = ip("10.0.0.22"), a24 = ip("10.0.0.24");
	struct ce *e;

	(void)state;
	vs->ha_suspend = true;
	b_ck(b_rs(b, vs, "10.1.0.1", 80, 1), CK_TCP, 1);
	gv = b_vs_group(b, b_vsg(b, "VSG1", ents, 1), 0);
	gv->ha_suspend = true;
	b_ck(b_rs(b, gv, "10.1.0.13", 80, 1), CK_TCP, 1);
	e = ce_new(&b->cc, NULL, &h, NULL);
	ce_start(e, NULL);
	T.mark = T.n;
	/* addresses present at start: counted, no line (the runtime logs Activating) */
	ce_address(e, &a1, true);
	EXPECT_NONE("present at start");
	assert_int_equal(ce_vs_ha_addr_count(ce_vs_at(e, 0)), 1);
	assert_int_equal(ce_vs_ha_addr_count(ce_vs_at(e, 1)), 0);
	ck_of(e, 1, 0, 0)->enabled = false;	/* the runtime's "Deactivating ..." */
	ce_address(e, &a1, true);
	ce_address(e, &a1, false);
	EXPECT_NONE("on two interfaces, removed from one: still active");
	ce_address(e, &a1, false);
	EXPECT("gone", "Suspending healthchecker for service [10.1.0.1]:tcp:80 for VS [10.0.0.1]:tcp:80");
	assert_false(ck_of(e, 0, 0, 0)->enabled);
	ce_address(e, &a24, true);
	EXPECT_NONE("outside the group's range");
	ce_address(e, &a22, true);
	EXPECT("a group matched by its entries (fixed: 2.2.7 never re-activated it)",
	       "Activating healthchecker for service [10.1.0.13]:tcp:80 for VS [VSG1]:0");
	assert_true(ck_of(e, 1, 0, 0)->enabled);
	ce_address(e, &a1, true);
	EXPECT("back", "Activating healthchecker for service [10.1.0.1]:tcp:80 for VS [10.0.0.1]:tcp:80");
	ce_free(e);
}

/* --- checker identity --- */

static void test_ck_conf_same(void **state)
{
	struct bld *b = conf();
	struct vs_conf *vs = b_vs(b, "10.0.0.1", 80, "rr");
	struct rs_conf *rs = b_rs(b, vs, "10.1.0.1", 80, 1);
	struct ck_conf x, y;
	struct process_cmd other = { .cmdline = "/bin/false" };

	(void)state;
	x = *b_ck(rs, CK_TCP, 1);
	y = x;
	assert_true(ck_conf_same(&x, &y));
	y.retry = 2;
	assert_false(ck_conf_same(&x, &y));
	assert_true(ck_conf_same_target(&x, &y));	/* reload migrates across a retry change */
	y = x;
	((struct sockaddr_in *)&y.conn.dst)->sin_port = htons(81);
	assert_false(ck_conf_same_target(&x, &y));
	y = x;
	y.type = CK_UDP;
	assert_false(ck_conf_same_target(&x, &y));
	y = x;
	y.conn.connect_timeout_us = 1;
	assert_false(ck_conf_same_target(&x, &y));
	x.type = y.type = CK_MISC;
	x.u.misc.cmd = &b->misc_cmd;
	y = x;
	assert_true(ck_conf_same(&x, &y));
	y.u.misc.dynamic = true;
	assert_false(ck_conf_same(&x, &y));
	y = x;
	y.u.misc.cmd = &other;
	assert_false(ck_conf_same(&x, &y));
	x.type = y.type = CK_DNS;
	x.u.dns.name = "a.";
	y.u.dns.name = "a.";
	x.u.dns.qtype = y.u.dns.qtype = 6;
	assert_true(ck_conf_same(&x, &y));
	y.u.dns.name = "b.";
	assert_false(ck_conf_same(&x, &y));
}

/* --- 1.11: reload --- */

/* VS A: RS1 alive, RS2 inhibited and down, RS3 down; VS B: one RS */
static struct bld *two_vs(bool with_a)
{
	struct bld *b = conf();
	struct vs_conf *vs;
	struct rs_conf *rs;

	if (with_a) {
		vs = b_vs(b, "10.0.0.1", 80, "rr");
		b_ck(b_rs(b, vs, "10.1.0.1", 80, 1), CK_TCP, 1);
		rs = b_rs(b, vs, "10.1.0.2", 80, 1);
		rs->inhibit = true;
		b_ck(rs, CK_TCP, 1);
		b_ck(b_rs(b, vs, "10.1.0.3", 80, 1), CK_TCP, 1);
	}
	vs = b_vs(b, "10.0.0.2", 80, "rr");
	b_ck(b_rs(b, vs, "10.1.0.4", 80, 1), CK_TCP, 1);
	return b;
}

static void test_reload_vs_removed(void **state)
{
	struct ce_hooks h = hooks();
	struct ce *e = start(two_vs(true), &h);

	(void)state;
	set_state(e, 0, 1, 0, false, NULL);
	set_state(e, 0, 2, 0, false, NULL);
	T.mark = T.n;
	e = reload(e, two_vs(false), &h);
	EXPECT("a VS gone: its set RSs deleted (inhibit forced), notifies, quorum_down, service",
	       "Removing Virtual Server [10.0.0.1]:tcp:80",
	       "Removing service [10.1.0.1]:tcp:80 from VS [10.0.0.1]:tcp:80",
	       "ipvs: DEL_DEST 10.0.0.1:80 rr -> 10.1.0.1:80 w1",
	       "notify: RS 10.1.0.1:80 of [10.0.0.1]:tcp:80 DOWN",
	       "mail: [lb1] Realserver [10.1.0.1]:tcp:80 of virtual server [10.0.0.1]:tcp:80 - DOWN"
	       " | => Removing <=",
	       "Removing (inhibited) service [10.1.0.2]:tcp:80 from VS [10.0.0.1]:tcp:80",
	       "ipvs: DEL_DEST 10.0.0.1:80 rr -> 10.1.0.2:80 w1",
	       "notify: VS [10.0.0.1]:tcp:80 DOWN",
	       "ipvs: DEL_SERVICE 10.0.0.1:80 rr");
	assert_int_equal(ce_n_vs(e), 1);
	assert_true(ce_rs_alive(rs_of(e, 0, 0)));
	ce_free(e);
}

static void test_reload_identity(void **state)
{
	struct ce_hooks h = hooks();
	struct bld *b1 = conf(), *b2 = conf();
	struct vs_conf *vs;
	struct ce *e;

	(void)state;
	b_ck(b_rs(b1, b_vs(b1, "10.0.0.1", 80, "rr"), "10.1.0.1", 80, 1), CK_TCP, 1);
	b_ck(b_rs(b1, b_vs_fwm(b1, 7, "rr"), "10.1.0.1", 80, 1), CK_TCP, 1);
	vs = b_vs(b2, "10.0.0.1", 80, "rr");
	vs->protocol = IPPROTO_UDP;
	snprintf(vs->str, 64, "[10.0.0.1]:udp:80");
	b_ck(b_rs(b2, vs, "10.1.0.1", 80, 1), CK_TCP, 1);
	b_ck(b_rs(b2, b_vs_fwm(b2, 7, "rr"), "10.1.0.1", 80, 1), CK_TCP, 1);
	e = start(b1, &h);
	T.mark = T.n;
	e = reload(e, b2, &h);
	EXPECT("another protocol is another VS; the same fwmark is the same VS",
	       "Removing Virtual Server [10.0.0.1]:tcp:80",
	       "Removing service [10.1.0.1]:tcp:80 from VS [10.0.0.1]:tcp:80",
	       "ipvs: DEL_DEST 10.0.0.1:80 rr -> 10.1.0.1:80 w1",
	       "notify: RS 10.1.0.1:80 of [10.0.0.1]:tcp:80 DOWN",
	       "mail: [lb1] Realserver [10.1.0.1]:tcp:80 of virtual server [10.0.0.1]:tcp:80 - DOWN"
	       " | => Removing <=",
	       "notify: VS [10.0.0.1]:tcp:80 DOWN",
	       "ipvs: DEL_SERVICE 10.0.0.1:80 rr",
	       "ipvs: NEW_SERVICE 10.0.0.1:80/udp rr",
	       "ipvs: NEW_DEST 10.0.0.1:80/udp rr -> 10.1.0.1:80 w1",
	       "Gained quorum 1+0=1 <= 1 for VS [10.0.0.1]:udp:80",
	       "notify: VS [10.0.0.1]:udp:80 UP");
	ce_free(e);
}

static struct bld *group_conf(const char *const *ents, unsigned n, bool with_vs)
{
	struct bld *b = conf();
	struct vsg_conf *g = b_vsg(b, "VSG1", ents, n);

	if (with_vs)
		b_ck(b_rs(b, b_vs_group(b, g, 0), "10.1.0.1", 80, 1), CK_TCP, 1);
	b_ck(b_rs(b, b_vs(b, "10.0.0.2", 80, "rr"), "10.1.0.4", 80, 1), CK_TCP, 1);
	return b;
}

static void test_reload_group(void **state)
{
	static const char *const old_ents[] = { "10.0.0.21:80", "10.0.0.22:80" };
	static const char *const new_ents[] = { "10.0.0.21:80", "10.0.0.23:80" };
	struct ce_hooks h = hooks();
	struct ce *e = start(group_conf(old_ents, 2, true), &h);

	(void)state;
	T.mark = T.n;
	e = reload(e, group_conf(new_ents, 2, true), &h);
	EXPECT("an entry gone, an entry new",
	       "VS [[10.0.0.22]:tcp:80] in group VSG1 no longer exists",
	       "ipvs: DEL_DEST 10.0.0.22:80 rr -> 10.1.0.1:80 w1",
	       "ipvs: DEL_SERVICE 10.0.0.22:80 rr",
	       "ipvs: NEW_SERVICE 10.0.0.23:80 rr",
	       "VS [[10.0.0.23]:tcp:80] added into group VSG1",
	       "ipvs: NEW_DEST 10.0.0.23:80 rr -> 10.1.0.1:80 w1");
	e = reload(e, group_conf(new_ents, 2, false), &h);
	EXPECT("the group's VS gone",
	       "Removing Virtual Server Group [VSG1]",
	       "Removing service [10.1.0.1]:tcp:80 from VS [VSG1]:0",
	       "ipvs: DEL_DEST 10.0.0.21:80 rr -> 10.1.0.1:80 w1",
	       "ipvs: DEL_DEST 10.0.0.23:80 rr -> 10.1.0.1:80 w1",
	       "notify: RS 10.1.0.1:80 of [VSG1]:0 DOWN",
	       "mail: [lb1] Realserver [10.1.0.1]:tcp:80 of virtual server [VSG1]:0 - DOWN"
	       " | => Removing <=",
	       "notify: VS [VSG1]:0 DOWN",
	       "ipvs: DEL_SERVICE 10.0.0.21:80 rr",
	       "ipvs: DEL_SERVICE 10.0.0.23:80 rr");
	ce_free(e);
}

/* one VS, quorum 2, RSs of weight 1 with a TCP check each; sorry server optional */
static struct bld *rs_conf_set(const char *const *addrs, unsigned n, bool sorry, int w1)
{
	struct bld *b = conf();
	struct vs_conf *vs = b_vs(b, "10.0.0.1", 80, "rr");

	vs->quorum = 2;
	if (sorry)
		b_sorry(b, vs, "10.9.9.9", 80);
	for (unsigned i = 0; i < n; i++)
		b_ck(b_rs(b, vs, addrs[i], 80, i ? 1 : w1), CK_TCP, 3);
	return b;
}

static void test_reload_rs_changes(void **state)
{
	static const char *const three[] = { "10.1.0.1", "10.1.0.2", "10.1.0.3" };
	struct ce_hooks h = hooks();
	struct ce *e = start(rs_conf_set(three, 3, false, 1), &h);
	struct bld *b;

	(void)state;
	T.mark = T.n;
	b = rs_conf_set(three, 3, false, 3);
	b->rs[0][1].fwd.method = LVS_TUN;
	b->rs[0][1].fwd.tun_type = LVS_TUN_GUE;
	b->rs[0][1].fwd.tun_port = 6080;
	b->rs[0][2].u_thresh = 100;
	b->vs[0].persistence_timeout_s = 300;
	e = reload(e, b, &h);
	EXPECT("persistence: SET_SERVICE first; tunnel, thresholds: SET_DEST; weight: a line",
	       "ipvs: SET_SERVICE 10.0.0.1:80 rr",
	       "ipvs: SET_DEST 10.0.0.1:80 rr -> 10.1.0.2:80 w1",
	       "ipvs: SET_DEST 10.0.0.1:80 rr -> 10.1.0.3:80 w1",
	       "Changing weight from 1 to 3 for active service [10.1.0.1]:tcp:80"
	       " of VS [10.0.0.1]:tcp:80",
	       "ipvs: SET_DEST 10.0.0.1:80 rr -> 10.1.0.1:80 w3");
	/* the tunnel's dest port is the service's, its settings in the SET_DEST */
	set_state(e, 0, 1, 0, false, NULL);
	assert_int_equal(T.rec.last_dest.fwd_method, 2);
	assert_int_equal(T.rec.last_dest.tun_type, LVS_TUN_GUE);
	assert_int_equal(T.rec.last_dest.tun_port, 6080);
	T.mark = T.n;

	/* fixed: losing an RS while keeping quorum fires nothing */
	b = rs_conf_set(three, 3, false, 3);
	b->vs[0].persistence_timeout_s = 300;
	b->rs[0][1].fwd.method = LVS_DR;	/* not in the table: nothing to edit */
	b->rs[0][2].u_thresh = 100;
	e = reload(e, b, &h);
	EXPECT_NONE("RS2 is out of the table: its method change waits");
	b = rs_conf_set(three, 2, false, 3);
	b->vs[0].persistence_timeout_s = 300;
	e = reload(e, b, &h);
	EXPECT("a live RS removed, quorum kept: no quorum_down",
	       "service [10.1.0.3]:tcp:80 no longer exist",
	       "Removing service [10.1.0.3]:tcp:80 from VS [10.0.0.1]:tcp:80",
	       "ipvs: DEL_DEST 10.0.0.1:80 rr -> 10.1.0.3:80 w1",
	       "notify: RS 10.1.0.3:80 of [10.0.0.1]:tcp:80 DOWN",
	       "mail: [lb1] Realserver [10.1.0.3]:tcp:80 of virtual server [10.0.0.1]:tcp:80 - DOWN"
	       " | => Removing <=");
	b = rs_conf_set(three, 1, false, 1);
	b->vs[0].persistence_timeout_s = 300;
	e = reload(e, b, &h);
	EXPECT("a real loss: judged on the new VS, notified once",
	       "service [10.1.0.2]:tcp:80 no longer exist",
	       "Changing weight from 3 to 1 for active service [10.1.0.1]:tcp:80"
	       " of VS [10.0.0.1]:tcp:80",
	       "ipvs: SET_DEST 10.0.0.1:80 rr -> 10.1.0.1:80 w1",
	       "Starting with quorum down 2-0=2 > 1 for VS [10.0.0.1]:tcp:80",
	       "notify: VS [10.0.0.1]:tcp:80 DOWN");
	ce_free(e);
}

static void test_reload_sorry_removed(void **state)
{
	static const char *const two[] = { "10.1.0.1", "10.1.0.2" };
	struct ce_hooks h = hooks();
	struct ce *e = start(rs_conf_set(two, 2, true, 1), &h);

	(void)state;
	set_state(e, 0, 1, 0, false, NULL);
	T.mark = T.n;
	e = reload(e, rs_conf_set(two, 2, false, 1), &h);
	EXPECT("fixed: the sorry server removed while quorum is down puts the alive RSs back",
	       "Removing sorry server [10.9.9.9]:tcp:80 from VS [10.0.0.1]:tcp:80",
	       "ipvs: DEL_DEST 10.0.0.1:80 rr -> 10.9.9.9:80 w1",
	       "Adding alive servers to the pool for VS [10.0.0.1]:tcp:80",
	       "ipvs: NEW_DEST 10.0.0.1:80 rr -> 10.1.0.1:80 w1");
	assert_false(ce_vs_quorum_up(ce_vs_at(e, 0)));
	e = reload(e, rs_conf_set(two, 2, true, 1), &h);
	EXPECT("a sorry server added while quorum is down: in, as at start",
	       "Starting with quorum down 2-0=2 > 1 for VS [10.0.0.1]:tcp:80",
	       "Adding sorry server [10.9.9.9]:tcp:80 to VS [10.0.0.1]:tcp:80",
	       "Removing alive servers from the pool for VS [10.0.0.1]:tcp:80",
	       "ipvs: DEL_DEST 10.0.0.1:80 rr -> 10.1.0.1:80 w1",
	       "ipvs: NEW_DEST 10.0.0.1:80 rr -> 10.9.9.9:80 w1",
	       "notify: VS [10.0.0.1]:tcp:80 DOWN");
	ce_free(e);
}

static struct bld *misc_conf(int weight, bool new_rs, bool alpha_rs, bool extra_ck)
{
	struct bld *b = conf();
	struct vs_conf *vs = b_vs(b, "10.0.0.1", 80, "rr");
	struct rs_conf *rs = b_rs(b, vs, "10.1.0.1", 80, weight);

	b_ck(rs, CK_MISC, 0)->u.misc.dynamic = true;
	rs->checkers[0].u.misc.cmd = &b->misc_cmd;
	rs = b_rs(b, vs, "10.1.0.2", 80, 1);
	b_ck(rs, CK_TCP, extra_ck ? 2 : 3);
	if (extra_ck) {
		rs->alpha = true;
		b_ck(rs, CK_DNS, 3);
	}
	if (new_rs) {
		b_ck(b_rs(b, vs, "10.1.0.30", 80, 1), CK_TCP, 2);
		rs = b_rs(b, vs, "10.1.0.31", 80, 1);
		rs->alpha = alpha_rs;
		b_ck(rs, CK_TCP, 2);
	}
	return b;
}

static void test_reload_checkers(void **state)
{
	struct ce_hooks h = hooks();
	struct ce *e = start(misc_conf(10, false, false, false), &h);

	(void)state;
	ce_ck_set_weight(e, ck_of(e, 0, 0, 0), 5);
	set_state(e, 0, 1, 0, false, NULL);
	T.mark = T.n;
	e = reload(e, misc_conf(10, false, false, false), &h);
	EXPECT_NONE("fixed: misc_dynamic's weight survives a reload");
	assert_int_equal(ce_rs_weight(rs_of(e, 0, 0)), 15);
	assert_int_equal(ck_of(e, 0, 0, 0)->cur_weight, 5);
	e = reload(e, misc_conf(20, false, false, false), &h);
	EXPECT("the configured weight changes under it",
	       "Changing weight from 15 to 25 for active service [10.1.0.1]:tcp:80"
	       " of VS [10.0.0.1]:tcp:80",
	       "ipvs: SET_DEST 10.0.0.1:80 rr -> 10.1.0.1:80 w25");
	/* a failed RS stays out; new RSs: non-alpha in the pool unchecked, alpha not */
	e = reload(e, misc_conf(20, true, true, false), &h);
	EXPECT("new RSs",
	       "ipvs: NEW_DEST 10.0.0.1:80 rr -> 10.1.0.30:80 w1");
	assert_false(ce_rs_alive(rs_of(e, 0, 1)));
	assert_false(ck_of(e, 0, 1, 0)->is_up);
	assert_int_equal(ck_of(e, 0, 2, 0)->retry_it, 0);	/* full retries */
	assert_false(ce_rs_alive(rs_of(e, 0, 3)));
	assert_false(ck_of(e, 0, 3, 0)->is_up);
	/* migrated retry_it is capped by a smaller retry; a new alpha checker on a failed
	 * RS starts down with one failure to go */
	ck_of(e, 0, 1, 0)->retry_it = 3;
	e = reload(e, misc_conf(20, true, true, true), &h);
	EXPECT_NONE("a checker added to a failed RS");
	assert_int_equal(ck_of(e, 0, 1, 0)->retry_it, 1);
	assert_false(ck_of(e, 0, 1, 0)->is_up);
	assert_false(ck_of(e, 0, 1, 1)->is_up);
	assert_int_equal(ck_of(e, 0, 1, 1)->retry_it, 3);
	set_state(e, 0, 1, 0, true, NULL);
	EXPECT_NONE("the old checker recovers: the new alpha one still holds it out");
	set_state(e, 0, 1, 1, true, NULL);
	EXPECT("both up",
	       "Adding service [10.1.0.2]:tcp:80 to VS [10.0.0.1]:tcp:80",
	       "ipvs: NEW_DEST 10.0.0.1:80 rr -> 10.1.0.2:80 w1",
	       "notify: RS 10.1.0.2:80 of [10.0.0.1]:tcp:80 UP");
	ce_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_appendix_a, setup, teardown),
		cmocka_unit_test_setup_teardown(test_appendix_a_no_ipvs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_start_group, setup, teardown),
		cmocka_unit_test_setup_teardown(test_start_sorry_inhibit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_start_file_state, setup, teardown),
		cmocka_unit_test_setup_teardown(test_start_group_shared, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sorry_dup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_and_semantics, setup, teardown),
		cmocka_unit_test_setup_teardown(test_quorum_hysteresis, setup, teardown),
		cmocka_unit_test_setup_teardown(test_quorum_zero_threshold, setup, teardown),
		cmocka_unit_test_setup_teardown(test_weights, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shutdown_omega, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shutdown_flush, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ha_suspend, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ck_conf_same, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reload_vs_removed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reload_identity, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reload_group, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reload_rs_changes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reload_sorry_removed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reload_checkers, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
