// SPDX-License-Identifier: GPL-2.0-or-later
/* tests/unit/test_parser.c: the config reader: syntax, includes, expansion, keyword tree, diagnostics. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "parser.h"
#include "utils.h"

/* ---- the model the test keywords fill ---- */

struct inst {
	char *name;
	unsigned prio;
	int state;
	bool nopreempt;
	uint64_t adv_us;
	int n_vips;
	int n_track;
	bool closed;
};

struct model {
	char *router_id;
	int auto_prio;
	bool traps;
	uint64_t garp_us;
	struct inet_addr mcast;
	int flush;
	char *script_user;
	struct inst inst[16];
	int n_inst;
	int n_finish;
	int n_opt_open, n_opt_fn, n_opt_close;
	char out[1 << 16];	/* what the handlers saw, one line per call */
	size_t out_len;
};

static void outf(struct model *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void outf(struct model *m, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(m->out + m->out_len, sizeof(m->out) - m->out_len, fmt, ap);
	va_end(ap);
	if (n > 0)
		m->out_len += (size_t)n;
	if (m->out_len >= sizeof(m->out))
		m->out_len = sizeof(m->out) - 1;
}

/* Records its words (after the keyword) joined by '|'. */
static int kw_words(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct model *m = obj;

	(void)c;
	for (int i = 1; i < a->argc; i++)
		outf(m, "%s%s", i > 1 ? "|" : "", a->argv[i]);
	outf(m, "\n");
	return 0;
}

/* A free-form line: all its words. */
static int kw_lines(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct model *m = obj;

	(void)c;
	outf(m, "L");
	for (int i = 0; i < a->argc; i++)
		outf(m, "%s%s", i ? "|" : " ", a->argv[i]);
	outf(m, "\n");
	return 0;
}

static int kw_router_id(struct cfg *c, void *obj, const struct cfg_args *a)
{
	return cfg_str(c, a, 1, &((struct model *)obj)->router_id);
}

static int kw_auto_prio(struct cfg *c, void *obj, const struct cfg_args *a)
{
	return cfg_int(c, a, 1, -1, 99, &((struct model *)obj)->auto_prio);
}

static int kw_traps(struct cfg *c, void *obj, const struct cfg_args *a)
{
	return cfg_bool(c, a, 1, &((struct model *)obj)->traps);
}

static int kw_garp(struct cfg *c, void *obj, const struct cfg_args *a)
{
	return cfg_timer_us(c, a, 1, 1, 10000000, &((struct model *)obj)->garp_us);
}

static int kw_mcast(struct cfg *c, void *obj, const struct cfg_args *a)
{
	return cfg_addr(c, a, 1, &((struct model *)obj)->mcast);
}

static int kw_flush(struct cfg *c, void *obj, const struct cfg_args *a)
{
	static const char *const names[] = { "VS", "ALL", NULL };

	return cfg_enum(c, a, 1, names, &((struct model *)obj)->flush);
}

static int kw_script_user(struct cfg *c, void *obj, const struct cfg_args *a)
{
	return cfg_str(c, a, 1, &((struct model *)obj)->script_user);
}

/*
 * A value the daemon would ignore (a mistake, at word 1) and a note kept for later at
 * word 2's column; records whether the parse is a -t.
 */
static int kw_mistake(struct cfg *c, void *obj, const struct cfg_args *a)
{
	cfg_mistake_arg(c, 1, "'%s' is ignored", a->argv[1]);
	cfg_report_at(c, CFG_SEV_MISTAKE, cfg_file(c), cfg_line(c), cfg_col(c, 2), "kept at %d",
		      cfg_col(c, 2));
	outf(obj, "%s\n", cfg_config_test(c) ? "test" : "daemon");
	return 0;
}

/* ${_RANDOM} made repeatable from inside the config, as random_seed does. */
static int kw_seed(struct cfg *c, void *obj, const struct cfg_args *a)
{
	unsigned v;

	(void)obj;
	if (cfg_uint(c, a, 1, 0, UINT_MAX, &v) < 0)
		return -EINVAL;
	cfg_set_random_seed(c, v);
	return 0;
}

/* include_check: no argument means all checks. */
static int kw_inc_check(struct cfg *c, void *obj, const struct cfg_args *a)
{
	(void)obj;
	cfg_set_include_check(c, a->argc > 1 ? CFG_INC_MATCH : CFG_INC_ALL);
	return 0;
}

/* Fails without saying why: the parser must still count an error. */
static int kw_fail(struct cfg *c, void *obj, const struct cfg_args *a)
{
	(void)c, (void)obj, (void)a;
	return -EINVAL;
}

static void *inst_open(struct cfg *c, void *parent, const struct cfg_args *a)
{
	struct model *m = parent;

	if (!strcmp(a->argv[1], "dup")) {
		cfg_error_arg(c, 1, "vrrp_instance 'dup' is already defined");
		return NULL;
	}
	if (m->n_inst == (int)ARRAY_SIZE(m->inst))
		return NULL;
	return &m->inst[m->n_inst++];
}

/* Runs after open(): gets the new instance. */
static int kw_inst(struct cfg *c, void *obj, const struct cfg_args *a)
{
	return cfg_str(c, a, 1, &((struct inst *)obj)->name);
}

static int inst_close(struct cfg *c, void *obj)
{
	struct inst *in = obj;

	in->closed = true;
	if (in->prio == 13) {
		cfg_error(c, "(%s) priority 13 is unlucky", in->name);
		return -EINVAL;
	}
	return 0;
}

static int kw_prio(struct cfg *c, void *obj, const struct cfg_args *a)
{
	return cfg_uint(c, a, 1, 1, 255, &((struct inst *)obj)->prio);
}

static int kw_state(struct cfg *c, void *obj, const struct cfg_args *a)
{
	static const char *const names[] = { "MASTER", "BACKUP", NULL };

	return cfg_enum(c, a, 1, names, &((struct inst *)obj)->state);
}

static int kw_nopreempt(struct cfg *c, void *obj, const struct cfg_args *a)
{
	(void)c, (void)a;
	((struct inst *)obj)->nopreempt = true;
	return 0;
}

static int kw_advert(struct cfg *c, void *obj, const struct cfg_args *a)
{
	return cfg_timer_us(c, a, 1, 1000, UINT64_MAX, &((struct inst *)obj)->adv_us);
}

static int kw_vip(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct inet_addr addr;

	if (cfg_addr(c, a, 0, &addr) < 0)
		return -EINVAL;
	((struct inst *)obj)->n_vips++;
	return 0;
}

static int kw_track(struct cfg *c, void *obj, const struct cfg_args *a)
{
	(void)c, (void)a;
	((struct inst *)obj)->n_track++;
	return 0;
}

/* A block keyword whose { } may be left out: counts its calls. */
static void *opt_open(struct cfg *c, void *parent, const struct cfg_args *a)
{
	(void)c, (void)a;
	((struct model *)parent)->n_opt_open++;
	return parent;
}

static int kw_opt(struct cfg *c, void *obj, const struct cfg_args *a)
{
	(void)c, (void)a;
	((struct model *)obj)->n_opt_fn++;
	return 0;
}

static int opt_close(struct cfg *c, void *obj)
{
	(void)c;
	((struct model *)obj)->n_opt_close++;
	return 0;
}

static int finish(struct cfg *c, void *obj)
{
	struct model *m = obj;

	m->n_finish++;
	for (int i = 0; i < m->n_inst; i++)
		if (m->inst[i].name && !strcmp(m->inst[i].name, "orphan"))
			cfg_error_at(c, "t.conf", 1, "(%s) is in no sync group", m->inst[i].name);
	return 0;
}

static const struct cfg_kw gd_kws[] = {
	{ "router_id", kw_router_id, .args = 1 },
	{ "max_auto_priority", kw_auto_prio, .args = 1 },
	{ "enable_traps", kw_traps, .max_args = 1 },
	{ "vrrp_garp_interval", kw_garp, .args = 1 },
	{ "vrrp_mcast_group4", kw_mcast, .args = 1 },
	{ "lvs_flush_on_stop", kw_flush, .args = 1 },
	{ "notification_email", .line = kw_lines },
	{ "script_user", kw_script_user, .args = 1, .max_args = 2 },
	{ "router_name", kw_router_id, .args = 1, .flags = CFG_KW_DEPRECATED, .alias = "router_id" },
	{ "lvs_id", kw_router_id, .args = 1, .flags = CFG_KW_DEPRECATED | CFG_KW_DEPRECATED_OK,
	  .alias = "router_id" },
	CFG_KW_LATER("snmp_socket", NULL, CFG_ARG1),
	{ "w", kw_words, .max_args = CFG_ANY },
	{ 0 }
};

static const struct cfg_kw auth_kws[] = {
	{ "auth_type", .args = 1 },
	{ "auth_pass", .args = 1 },
	{ 0 }
};

static const struct cfg_kw inst_kws[] = {
	{ "priority", kw_prio, .args = 1 },
	{ "state", kw_state, .args = 1 },
	{ "nopreempt", kw_nopreempt, .args = 0 },
	{ "advert_int", kw_advert, .args = 1 },
	{ "virtual_ipaddress", .line = kw_vip },
	{ "authentication", .block = auth_kws },
	{ "track_interface", .line = kw_track, .flags = CFG_KW_BLOCK_OPTIONAL },
	{ 0 }
};

static const struct cfg_kw sub_kws[] = {
	{ "sub", .block = sub_kws },
	{ "w", kw_words, .max_args = CFG_ANY },
	{ 0 }
};

static const struct cfg_kw mixed_kws[] = {
	{ "w", kw_words, .max_args = CFG_ANY },
	{ 0 }
};

/* a block not acted on yet whose keywords are not either: one warning, for the block */
static const struct cfg_kw later_kws[] = {
	CFG_KW_LATER("snmp_socket", NULL, CFG_ARG1),
	CFG_KW_LATER("neighbor_ip", NULL, CFG_ARG1),
	{ 0 }
};

static const struct cfg_kw top_kws[] = {
	{ "global_defs", .block = gd_kws },
	CFG_KW_LATER("bfd_instance", NULL, CFG_ARG1, .block = later_kws),
	{ "vrrp_instance", kw_inst, .args = 1, .block = inst_kws, .open = inst_open,
	  .close = inst_close },
	{ "w", kw_words, .max_args = CFG_ANY },
	{ "lines", .line = kw_lines },
	{ "sub", .block = sub_kws },
	{ "opt_block", kw_opt, .max_args = 1, .block = mixed_kws, .open = opt_open,
	  .close = opt_close, .flags = CFG_KW_BLOCK_OPTIONAL },
	{ "mixed", .block = mixed_kws, .line = kw_lines },
	{ "fail", kw_fail, .args = 0 },
	{ "atleast", kw_words, .args = 2, .max_args = CFG_ANY },
	{ "seed", kw_seed, .args = 1 },
	{ "mistake", kw_mistake, .args = 2 },
	{ "include_check", kw_inc_check, .max_args = CFG_ANY },
	{ 0 }
};

/* ---- running a parse ---- */

struct run {
	struct model m;
	char diag[1 << 18];
	size_t diag_len;
	unsigned n_err, n_warn, n_diag;
	int ret;
};

static void diag_cb(void *arg, const struct cfg_diag *d)
{
	struct run *r = arg;
	char line[2048];

	cfg_diag_format(d, line, sizeof(line));
	r->n_diag++;
	if (r->diag_len + strlen(line) + 2 < sizeof(r->diag))
		r->diag_len += (size_t)sprintf(r->diag + r->diag_len, "%s\n", line);
}

static void model_free(struct model *m)
{
	free(m->router_id);
	free(m->script_user);
	for (int i = 0; i < m->n_inst; i++)
		free(m->inst[i].name);
}

static struct cfg_opts opts_for(struct run *r)
{
	return (struct cfg_opts){ .config_id = "main", .diag = diag_cb, .diag_arg = r };
}

static struct run *run_buf_opts(const char *conf, size_t len, struct cfg_opts o)
{
	struct run *r = calloc(1, sizeof(*r));
	struct cfg_root roots[] = { { top_kws, &r->m, finish } };

	assert_non_null(r);
	o.diag = diag_cb;
	o.diag_arg = r;
	r->ret = cfg_parse_buf("t.conf", conf, len, roots, ARRAY_SIZE(roots), &o, &r->n_err,
			       &r->n_warn);
	return r;
}

static struct run *run_buf(const char *conf)
{
	struct run tmp;

	return run_buf_opts(conf, strlen(conf), opts_for(&tmp));
}

static void run_free(struct run *r)
{
	model_free(&r->m);
	free(r);
}

/* Compares and names the case: cmocka's own message would not say which row failed. */
static void expect_str(const char *what, const char *field, const char *got, const char *want)
{
	if (strcmp(got, want))
		fail_msg("%s: %s:\n--- got ---\n%s--- want ---\n%s", what, field, got, want);
}

/* ---- table: syntax and the words handlers see ---- */

static const struct {
	const char *what;
	const char *conf;
	const char *out;	/* handler calls */
	const char *diag;	/* diagnostics, in order */
} syntax[] = {
	{ "plain words", "w a b  c\n", "a|b|c\n", "" },
	{ "comments with # and !, anywhere outside quotes",
	  "# full line\n! another\nw a#b c\nw x !y\n  w z # end\n", "a\nx\nz\n", "" },
	{ "comment characters inside quotes are kept", "w \"a # b\" 'c ! d'\n", "a # b|c ! d\n",
	  "" },
	{ "double quotes keep spaces, join neighbours as in the shell",
	  "w \"a b\" x\"y z\"w \"\"\n", "a b|xy zw|\n", "" },
	{ "single quotes are literal", "w 'a\\tb \"c\"'\n", "a\\tb \"c\"\n", "" },
	{ "escapes inside double quotes",
	  "w \"1\\t2\" \"\\x41\\102\\cA|\" \"q\\\"q\" \"b\\\\s\" \"\\e[\"\n",
	  "1\t2|AB\x01||q\"q|b\\s|\x1b[\n", "" },
	{ "unknown escapes are kept whole (regular expressions)", "w \"^a\\d+\\.b$\"\n",
	  "^a\\d+\\.b$\n", "" },
	{ "backslash outside quotes escapes a separator only", "w a\\ b c\\#d e\\tf\n",
	  "a b|c#d|e\\tf\n", "" },
	{ "an escape making NUL is dropped with an error", "w \"a\\0b\"\n", "ab\n",
	  "t.conf:1:5: error: escape '\\0' makes a NUL character; dropped\n" },
	{ "missing closing quote", "w \"abc def\n", "abc def\n",
	  "t.conf:1:3: error: missing closing \" quote\n" },
	{ "blank lines and CRLF endings", "\r\n\nw a\r\n   \t\nw b\r\n", "a\nb\n", "" },
	{ "braces glued to words are words of their own (as keepalived)",
	  "sub{w a}\nsub {\nw b{\n}\n}\n", "a\nb\n",
	  "t.conf:3:4: error: 'w' takes no block\n" },
	{ "one-line block of free-form lines", "lines { 10.0.0.1 dev eth0 }\n",
	  "L 10.0.0.1|dev|eth0\n", "" },
	{ "'{' on the next line, with a comment between", "lines\n# c\n{\n a\n}\n", "L a\n", "" },
	{ "'}' then a keyword on the same line", "sub { w a } w b\n", "a\nb\n", "" },
	{ "a quoted brace is a plain word", "w \"{\" '}'\n", "{|}\n", "" },
	{ "undefined ${NAME} stays one word; its braces open nothing", "w ${NOPE} x${NO PE}\n",
	  "${NOPE}|x${NO PE}\n", "" },
	{ "UTF-8 is fine", "w caf\xc3\xa9 \xe2\x82\xac\n", "caf\xc3\xa9|\xe2\x82\xac\n", "" },
	{ "columns count characters, not bytes", "w \xc3\xa9\xc3\xa9 {\n}\n", "\xc3\xa9\xc3\xa9\n",
	  "t.conf:1:6: error: 'w' takes no block\n" },
	{ "mixed block: keywords and lines", "mixed {\n w a\n free line\n}\n", "a\nL free|line\n",
	  "" },

	/* @id conditions (config_id "main") */
	{ "@id kept when it matches", "@main w yes\n@other w no\n  @main   w indented\n",
	  "yes\nindented\n", "" },
	{ "@^id kept when it does not match", "@^main w no\n@^other w yes\n", "yes\n", "" },
	{ "@ alone is an error", "@ w x\n", "", "t.conf:1:1: error: '@' must be followed by a config id\n" },

	/* $NAME definitions */
	{ "definition and both forms of use", "$A=one\n$B=two\nw $A ${B}x $Ay\n",
	  "one|twox|$Ay\n", "" },
	{ "value trimmed, comment cut first", "$A=  a b  # c\nw [${A}]\n", "[a|b]\n", "" },
	{ "substitution is recursive and happens at use time",
	  "$BASE=10.2.${SUB}\n$SUB=0\nw ${BASE}.100\n$SUB=10\nw ${BASE}.100\n",
	  "10.2.0.100\n10.2.10.100\n", "" },
	{ "undefined names are left as they are", "w $UNDEF ${UNDEF}\n", "$UNDEF|${UNDEF}\n", "" },
	{ "an empty value is allowed", "$E=\nw a${E}b\n", "ab\n", "" },
	{ "a definition may make a conditional line", "$IF_MAIN=@main\n$IF_MAIN w yes\n"
	  "$IF_X=@x\n$IF_X w no\n", "yes\n", "" },
	{ "conditional definition", "@main $P=240\n@backup $P=200\nw $P\n", "240\n", "" },
	{ "self reference stops at the depth limit", "$X=$X\nw $X\n", "",
	  "t.conf:2:1: error: parameters expanded more than 32 levels deep (does a "
	  "definition refer to itself?)\n" },
	{ "exponential growth stops at the size limit", "$X=${X}${X}\nw a ${X}\n", "",
	  "t.conf:2:1: error: parameter expansion makes this line longer than 1048576 bytes\n" },
	{ "self reference through a multi-line definition", "$M= \\\n w a \\\n $M\n$M\n",
	  NULL, "t.conf:4: error: parameters expanded more than 32 levels deep (does a "
	  "definition refer to itself?)\n" },
	{ "multi-line definition, lines taken in turn",
	  "$M= \\\n  w ${N}a \\\n\n  w ${N}b\n$N=1\n$M\n$N=2\n${M}\n", "1a\n1b\n2a\n2b\n", "" },
	{ "nested multi-line definitions with definitions inside",
	  "$RS= \\\n w rs ${V}.${R}\n$VS= \\\n w vs ${V} \\\n $R=1 \\\n $RS \\\n $R=2 \\\n $RS\n"
	  "$V=0\n$VS\n$V=1\n$VS\n",
	  "vs|0\nrs|0.1\nrs|0.2\nvs|1\nrs|1.1\nrs|1.2\n", "" },
	{ "a multi-line definition can hold a whole block",
	  "$B= \\\nsub { \\\n  w in \\\n}\n$B\n", "in\n", "" },
	{ "predefined names", "w ${_HASH}x ${_BANG} $_HASH ${_INSTANCE} ${_RANDOM 5 5}\n",
	  "#x|!|#|main|5\n", "" },
	{ "${_ENV}", "w ${_ENV TEST_PARSER_VAR}. ${_ENV TEST_PARSER_UNSET}.\n", "from|env.|.\n", "" },
	{ "${_RANDOM} with bad arguments", "w ${_RANDOM 5 1} ${_RANDOM x}\n",
	  "${_RANDOM 5 1}|${_RANDOM x}\n",
	  "t.conf:1:3: error: '${_RANDOM 5 1}': MIN is above MAX\n"
	  "t.conf:1:18: error: '${_RANDOM x}' expects [MIN [MAX]] (integers from 0)\n" },
	{ "${_RANDOM} at the ends of its range", "w ${_RANDOM 0 0} ${_RANDOM 4294967295 4294967295}\n",
	  "0|4294967295\n", "" },
	{ "${_RANDOM} past 32 bits", "w ${_RANDOM 4294967296} ${_RANDOM 0 99999999999999999999}\n",
	  "${_RANDOM 4294967296}|${_RANDOM 0 99999999999999999999}\n",
	  "t.conf:1:3: error: '${_RANDOM 4294967296}' expects [MIN [MAX]] (integers from 0)\n"
	  "t.conf:1:25: error: '${_RANDOM 0 99999999999999999999}' expects [MIN [MAX]] (integers "
	  "from 0)\n" },
	{ "predefined names cannot be redefined", "$_HASH=x\nw ${_HASH}\n", "#\n",
	  "t.conf:1:1: warning: '$_HASH' is predefined: this definition is ignored\n" },

	/* ~SEQ and ~LST */
	{ "~SEQ with END only", "~SEQ(N, 3) w n$N\n", "n1\nn2\nn3\n", "" },
	{ "~SEQ counts down to a negative END", "~SEQ(N, -2) w ${N}\n", "-1\n-2\n", "" },
	{ "~SEQ with START, END", "~SEQ(N, 5, 3) w ${N}\n", "5\n4\n3\n", "" },
	{ "~SEQ with START, STEP, END", "~SEQ(N, 1, 2, 6) w ${N}\n", "1\n3\n5\n", "" },
	{ "~SEQ with a step away from END makes nothing", "~SEQ(N, 1, -1, 3) w ${N}\n", "", "" },
	{ "~SEQx formats in hex and reads 0x", "~SEQx(S, 0x9, 0x2, 14) w fe80::${S}\n",
	  "fe80::9\nfe80::b\nfe80::d\n", "" },
	{ "~SEQ reads 010 as octal, as keepalived", "~SEQ(N, 010, 9) w ${N}\n", "8\n9\n", "" },
	{ "chained ~SEQ", "~SEQ(A, 2) ~SEQ(B, 0, 1) w ${A}.${B}\n", "1.0\n1.1\n2.0\n2.1\n", "" },
	{ "~SEQ variable is restored afterwards", "$N=x\n~SEQ(N, 1) w $N\nw $N\n", "1\nx\n", "" },
	{ "~SEQ in a block", "lines {\n ~SEQ(N, 2) 10.0.0.${N}/32\n}\n",
	  "L 10.0.0.1/32\nL 10.0.0.2/32\n", "" },
	{ "~SEQ with step 0", "~SEQ(N, 1, 0, 3) w $N\n", "",
	  "t.conf:1:1: error: '~SEQ': the step is 0\n" },
	{ "~SEQ without a number", "~SEQ(N) w $N\n", "",
	  "t.conf:1:1: error: '~SEQ' expects (VAR, [START,] [STEP,] END)\n" },
	{ "~SEQ with a bad number", "  ~SEQ(N, 1, z) w $N\n", "",
	  "t.conf:1:3: error: '~SEQ': 'z' is not a number\n" },
	{ "~SEQx is for non-negative numbers", "~SEQx(N, -1, 3) w $N\n", "",
	  "t.conf:1:1: error: '~SEQx': '-1' is not a non-negative number\n" },
	{ "~SEQ without ')'", "~SEQ(N, 3 w $N\n", "",
	  "t.conf:1:1: error: '~SEQ' is missing its ')'\n" },
	{ "~LST of values", "~LST(V, a, b c, d) w $V\n", "a\nb|c\nd\n", "" },
	{ "~LST of tuples", "~LST({IP, IP1}, {10,1},{20,4}) w 192.168.${IP}.${IP1}\n",
	  "192.168.10.1\n192.168.20.4\n", "" },
	{ "~LST and ~SEQ together",
	  "~LST({A, B}, {1,2},{3,4}) ~SEQ(C, 5, 2, 7) w ${A}.${B}.${C}\n",
	  "1.2.5\n1.2.7\n3.4.5\n3.4.7\n", "" },
	{ "~LST tuple of the wrong size", "~LST({A, B}, {1,2}, {3}) w $A\n", "",
	  "t.conf:1:1: error: '~LST': '{3}' does not give 2 values\n" },
	{ "~LST tuple that is too long (found by the fuzzer)", "~LST({A}, {1, 2, 3}) w $A\n", "",
	  "t.conf:1:1: error: '~LST': '{1, 2, 3}' does not give 1 value\n" },
	{ "~LST without values", "~LST(V) w $V\n", "",
	  "t.conf:1:1: error: '~LST' expects (VAR, VALUE, ...) or ({VAR, ...}, {VALUE, ...}, ...)\n" },
	{ "~SEQ expanding a multi-line definition",
	  "$T= \\\n w t${I} \\\n w u${I}\n~SEQ(I, 2) $T\n", "t1\nu1\nt2\nu2\n", "" },
};

static void test_syntax(void **state)
{
	(void)state;
	setenv("TEST_PARSER_VAR", "from env", 1);
	unsetenv("TEST_PARSER_UNSET");
	for (size_t i = 0; i < ARRAY_SIZE(syntax); i++) {
		struct run *r = run_buf(syntax[i].conf);

		if (syntax[i].out)
			expect_str(syntax[i].what, "handler calls", r->m.out, syntax[i].out);
		expect_str(syntax[i].what, "diagnostics", r->diag, syntax[i].diag);
		run_free(r);
	}
}

/* ---- table: the keyword tree and its diagnostics ---- */

static const struct {
	const char *what;
	const char *conf;
	const char *diag;
} tree[] = {
	{ "a clean config",
	  "global_defs {\n router_id r1\n}\nvrrp_instance VI_1 {\n priority 100\n state MASTER\n"
	  " virtual_ipaddress {\n  10.0.0.1\n }\n authentication {\n  auth_type PASS\n }\n}\n", "" },
	{ "unknown keyword with a suggestion", "vrrp_instance VI_1 {\n  priorty 100\n}\n",
	  "t.conf:2:3: error: unknown keyword 'priorty' in vrrp_instance; did you mean 'priority'?\n" },
	{ "unknown keyword, nothing close", "vrrp_instance VI_1 {\n  frobnicate yes\n}\n",
	  "t.conf:2:3: error: unknown keyword 'frobnicate' in vrrp_instance\n" },
	{ "unknown top-level keyword: its block is skipped", "vrrp_instanc X {\n priorty 1\n}\n",
	  "t.conf:1:1: error: unknown keyword 'vrrp_instanc' at top level; did you mean "
	  "'vrrp_instance'?\n" },
	{ "misplaced keyword", "global_defs {\n    priority 100\n}\n",
	  "t.conf:2:5: error: 'priority' is not valid in global_defs (it belongs in vrrp_instance)\n" },
	{ "a keyword valid in many blocks", "vrrp_instance V {\n w x\n}\n",
	  "t.conf:2:2: error: 'w' is not valid in vrrp_instance (it belongs in global_defs or at "
	  "top level or in sub or elsewhere)\n" },
	{ "a top-level keyword inside a block: a '}' is missing above",
	  "vrrp_instance A {\n virtual_ipaddress {\n  10.0.0.1\n}\nvrrp_instance B {\n priorty 1\n}\n",
	  "t.conf:5:1: error: 'vrrp_instance' is not valid in vrrp_instance (it belongs at top "
	  "level); is a '}' missing before it?\n"
	  "t.conf:1:1: error: block 'vrrp_instance' opened here is not closed\n" },
	{ "misspelt keyword of another block", "global_defs {\n priorty 1\n}\n",
	  "t.conf:2:2: error: unknown keyword 'priorty' in global_defs; did you mean 'priority' "
	  "(valid in vrrp_instance)?\n" },
	{ "missing argument", "vrrp_instance V {\n    priority\n}\n",
	  "t.conf:2:5: error: 'priority' expects 1 argument, got 0\n" },
	{ "extra argument: at the first extra one", "vrrp_instance V {\n    advert_int 1 2\n}\n",
	  "t.conf:2:18: error: 'advert_int' expects 1 argument, got 2\n" },
	{ "no argument expected", "vrrp_instance V {\n nopreempt x\n}\n",
	  "t.conf:2:12: error: 'nopreempt' expects 0 arguments, got 1\n" },
	{ "at most", "global_defs {\n enable_traps on off\n}\n",
	  "t.conf:2:18: error: 'enable_traps' expects at most 1 argument, got 2\n" },
	{ "a range", "global_defs {\n script_user\n}\n",
	  "t.conf:2:2: error: 'script_user' expects 1 to 2 arguments, got 0\n" },
	{ "at least", "atleast a\n", "t.conf:1:1: error: 'atleast' expects at least 2 arguments, got 1\n" },
	{ "block keyword without its block", "vrrp_instance V\npriority 1\n",
	  "t.conf:1:1: error: 'vrrp_instance' expects a block: '{' is missing\n"
	  "t.conf:2:1: error: 'priority' is not valid at top level (it belongs in vrrp_instance)\n" },
	{ "block keyword at the end of the file", "lines\n",
	  "t.conf:1:1: error: 'lines' expects a block: '{' is missing\n" },
	{ "block keyword followed by '}'", "sub {\n sub }\n",
	  "t.conf:2:2: error: 'sub' expects a block: '{' is missing\n" },
	{ "'{' after a keyword that takes none: the block is skipped",
	  "vrrp_instance V {\n priority 1 {\n  junk here\n }\n}\n",
	  "t.conf:2:13: error: 'priority' takes no block\n" },
	{ "a stray '{' opens a skipped block", "{\n w a\n}\nw b\n", "t.conf:1:1: error: unexpected '{'\n" },
	{ "stray '}'", "w a\n}\nw b }\n",
	  "t.conf:2:1: error: unexpected '}': no block is open\n"
	  "t.conf:3:5: error: unexpected '}': no block is open\n" },
	{ "unclosed block at the end", "vrrp_instance V {\n priority 1\n",
	  "t.conf:1:1: error: block 'vrrp_instance' opened here is not closed\n" },
	{ "unclosed nested blocks: one error, for the outermost", "w a\n  sub {\n  sub {\n    sub {\n",
	  "t.conf:2:3: error: block 'sub' opened here is not closed (nor are the 2 blocks inside it)\n" },
	{ "an unknown block left open", "frob {\n",
	  "t.conf:1:1: error: unknown keyword 'frob' at top level\n"
	  "t.conf:1:1: error: block 'frob' opened here is not closed\n" },
	{ "unknown keyword with a block: skipped whole", "frob {\n a b\n c { d }\n}\nw after\n",
	  "t.conf:1:1: error: unknown keyword 'frob' at top level\n" },
	{ "unknown keyword with its block on the next line", "frob x\n{\n a\n}\n",
	  "t.conf:1:1: error: unknown keyword 'frob' at top level\n" },
	{ "wrong argument count on a block keyword: the block is skipped",
	  "vrrp_instance {\n priorty 1\n}\n",
	  "t.conf:1:1: error: 'vrrp_instance' expects 1 argument, got 0\n" },
	{ "deprecated keyword", "global_defs {\n router_name r\n}\n",
	  "t.conf:2:2: warning: 'router_name' is deprecated: use 'router_id' instead\n" },
	{ "unimplemented keyword: one warning per name and parse",
	  "global_defs {\n snmp_socket a\n snmp_socket b\n}\n",
	  "t.conf:2:2: warning: 'snmp_socket' is not acted on yet: it is parsed and ignored\n" },
	{ "not acted on yet: a block warns, its keywords do not; the name is warned once",
	  "bfd_instance B {\n neighbor_ip 1\n snmp_socket x\n}\nglobal_defs {\n snmp_socket a\n}\n"
	  "bfd_instance C {\n}\n",
	  "t.conf:1:1: warning: 'bfd_instance' is not acted on yet: it is parsed and ignored\n"
	  "t.conf:6:2: warning: 'snmp_socket' is not acted on yet: it is parsed and ignored\n" },
	{ "a handler failing silently still fails the parse", "fail\n",
	  "t.conf:1:1: error: 'fail' is invalid here (Invalid argument)\n" },
	{ "open() returning NULL skips the block", "vrrp_instance dup {\n priorty x\n}\n",
	  "t.conf:1:15: error: vrrp_instance 'dup' is already defined\n" },
	{ "close() reports at the block's keyword", "w\n  vrrp_instance V {\n priority 13\n}\n",
	  "t.conf:2:3: error: (V) priority 13 is unlucky\n" },
	{ "finish() runs after the parse", "vrrp_instance orphan {\n}\n",
	  "t.conf:1: error: (orphan) is in no sync group\n" },
	{ "a '{' inside a free-form block", "lines {\n a { b }\n}\n",
	  "t.conf:2:4: error: unexpected '{' in 'lines'\n" },
	{ "control character", "w a\x01" "b\n", "t.conf:1:4: error: unexpected character 0x01\n" },
	{ "invalid UTF-8", "w \xff\xfe\n", "t.conf:1:3: error: unexpected character 0xff (not UTF-8)\n" },
	{ "overlong UTF-8", "w x\xc0\xaf\n", "t.conf:1:4: error: unexpected character 0xc0 (not UTF-8)\n" },
	{ "UTF-16 surrogate", "w \xed\xa0\x80\n", "t.conf:1:3: error: unexpected character 0xed (not UTF-8)\n" },
	{ "garbage in a comment is ignored", "w a # \xff\x01\n", "" },
	{ "ten mistakes, ten errors",
	  "global_defs {\n"
	  "    priority 100\n"
	  "    router_id\n"
	  "    enable_traps maybe\n"
	  "    vrrp_garp_interval 2\n"
	  "}\n"
	  "vrrp_instance VI_1 {\n"
	  "    priorty 100\n"
	  "    priority 300\n"
	  "    state master\n"
	  "    advert_int 1 2\n"
	  "    virtual_ipaddress {\n"
	  "        10.0.0.300\n"
	  "    }\n"
	  "    frobnicate {\n"
	  "        priority 1\n"
	  "    }\n"
	  "}\n"
	  "}\n",
	  "t.conf:2:5: error: 'priority' is not valid in global_defs (it belongs in vrrp_instance)\n"
	  "t.conf:3:5: error: 'router_id' expects 1 argument, got 0\n"
	  "t.conf:4:18: error: 'enable_traps' expects on|off|true|false|yes|no, got 'maybe'\n"
	  "t.conf:8:5: error: unknown keyword 'priorty' in vrrp_instance; did you mean 'priority'?\n"
	  "t.conf:9:14: error: 'priority' expects an integer between 1 and 255, got '300'\n"
	  "t.conf:10:11: error: 'state' expects one of MASTER|BACKUP, got 'master'\n"
	  "t.conf:11:18: error: 'advert_int' expects 1 argument, got 2\n"
	  "t.conf:13:9: error: 'virtual_ipaddress' expects an IPv4 or IPv6 address, got '10.0.0.300'\n"
	  "t.conf:15:5: error: unknown keyword 'frobnicate' in vrrp_instance\n"
	  "t.conf:19:1: error: unexpected '}': no block is open\n" },
};

static void test_tree(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(tree); i++) {
		struct run *r = run_buf(tree[i].conf);
		unsigned n_err = 0;

		expect_str(tree[i].what, "diagnostics", r->diag, tree[i].diag);
		for (const char *p = r->diag; (p = strstr(p, ": error: ")); p++)
			n_err++;
		if (r->n_err != n_err || r->ret != (n_err ? -EINVAL : 0) || r->m.n_finish != 1)
			fail_msg("%s: %u errors counted, %u reported, ret %d, finish %d", tree[i].what,
				 r->n_err, n_err, r->ret, r->m.n_finish);
		run_free(r);
	}
}

/* ---- value helpers: what is stored, and the exact complaints ---- */

static const struct {
	const char *what;
	const char *line;	/* inside global_defs (g) or vrrp_instance (v): first char */
	const char *diag;	/* "" when valid */
} values[] = {
	{ "uint lowest", "v priority 1", "" },
	{ "uint highest", "v priority 255", "" },
	{ "uint below", "v priority 0", "'priority' expects an integer between 1 and 255, got '0'" },
	{ "uint above", "v priority 256", "'priority' expects an integer between 1 and 255, got '256'" },
	{ "uint negative", "v priority -1", "'priority' expects an integer between 1 and 255, got '-1'" },
	{ "uint trailing junk", "v priority 1x", "'priority' expects an integer between 1 and 255, got '1x'" },
	{ "uint huge", "v priority 99999999999999999999999",
	  "'priority' expects an integer between 1 and 255, got '99999999999999999999999'" },
	{ "int negative", "g max_auto_priority -1", "" },
	{ "int below", "g max_auto_priority -2",
	  "'max_auto_priority' expects an integer between -1 and 99, got '-2'" },
	{ "int not a number", "g max_auto_priority x",
	  "'max_auto_priority' expects an integer between -1 and 99, got 'x'" },
	{ "bool absent means on", "g enable_traps", "" },
	{ "bool words, any case", "g enable_traps YES", "" },
	{ "bool bad", "g enable_traps 2", "'enable_traps' expects on|off|true|false|yes|no, got '2'" },
	{ "timer fraction", "g vrrp_garp_interval 2.5", "" },
	{ "timer smallest", "g vrrp_garp_interval 0.000001", "" },
	{ "timer past µs is cut", "g vrrp_garp_interval 1.2345678", "" },
	{ "timer .5", "g vrrp_garp_interval .5", "" },
	{ "timer 5.", "g vrrp_garp_interval 5.", "" },
	{ "timer above", "g vrrp_garp_interval 10.000001",
	  "'vrrp_garp_interval' expects a time in seconds between 0.000001 and 10, got '10.000001'" },
	{ "timer zero", "g vrrp_garp_interval 0",
	  "'vrrp_garp_interval' expects a time in seconds between 0.000001 and 10, got '0'" },
	{ "timer negative", "g vrrp_garp_interval -1",
	  "'vrrp_garp_interval' expects a time in seconds between 0.000001 and 10, got '-1'" },
	{ "timer dot", "g vrrp_garp_interval .",
	  "'vrrp_garp_interval' expects a time in seconds between 0.000001 and 10, got '.'" },
	{ "timer without a maximum", "v advert_int 0.0001",
	  "'advert_int' expects a time in seconds of at least 0.001, got '0.0001'" },
	{ "address v4", "g vrrp_mcast_group4 224.0.0.18", "" },
	{ "address v6", "g vrrp_mcast_group4 ff02::12", "" },
	{ "address bad", "g vrrp_mcast_group4 224.0.0.300",
	  "'vrrp_mcast_group4' expects an IPv4 or IPv6 address, got '224.0.0.300'" },
	{ "enum", "g lvs_flush_on_stop ALL", "" },
	{ "enum bad", "g lvs_flush_on_stop all", "'lvs_flush_on_stop' expects one of VS|ALL, got 'all'" },
	{ "enum long value is cut in the message", "g lvs_flush_on_stop "
	  "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
	  "'lvs_flush_on_stop' expects one of VS|ALL, got "
	  "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'" },
};

static void test_values(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(values); i++) {
		bool in_v = values[i].line[0] == 'v';
		const char *kw = values[i].line + 2, *arg = strchr(kw, ' ');
		char *conf = xasprintf("%s {\n\t%s\n}\n", in_v ? "vrrp_instance V" : "global_defs", kw);
		char *want = values[i].diag[0]
			? xasprintf("t.conf:2:%d: error: %s\n", arg ? (int)(arg - kw) + 3 : 2,
				    values[i].diag)
			: xstrdup("");
		struct run *r = run_buf(conf);

		expect_str(values[i].what, "diagnostics", r->diag, want);
		free(conf);
		free(want);
		run_free(r);
	}
}

static void test_values_stored(void **state)
{
	struct run *r;
	char buf[64];

	(void)state;
	r = run_buf("global_defs {\n router_id a\n router_id b\n max_auto_priority -1\n"
		    " enable_traps\n vrrp_garp_interval 1.2345678\n vrrp_mcast_group4 ff02::12\n"
		    " lvs_flush_on_stop ALL\n}\nvrrp_instance V {\n priority 255\n state BACKUP\n"
		    " nopreempt\n advert_int 0.5\n virtual_ipaddress {\n  10.0.0.1\n  fe80::1\n }\n}\n");
	expect_str("stored", "diagnostics", r->diag, "");
	assert_string_equal(r->m.router_id, "b");	/* replaced, the first freed */
	assert_int_equal(r->m.auto_prio, -1);
	assert_true(r->m.traps);
	assert_int_equal(r->m.garp_us, 1234567);
	assert_string_equal(inet_addr_str(&r->m.mcast, buf, sizeof(buf)), "ff02::12");
	assert_int_equal(r->m.flush, 1);
	assert_int_equal(r->m.n_inst, 1);
	assert_string_equal(r->m.inst[0].name, "V");	/* fn() ran on open()'s object */
	assert_int_equal(r->m.inst[0].prio, 255);
	assert_int_equal(r->m.inst[0].state, 1);
	assert_true(r->m.inst[0].nopreempt);
	assert_int_equal(r->m.inst[0].adv_us, 500000);
	assert_int_equal(r->m.inst[0].n_vips, 2);
	assert_true(r->m.inst[0].closed);
	run_free(r);

	r = run_buf("global_defs {\n enable_traps off\n}\n");
	assert_false(r->m.traps);
	run_free(r);
	/* an error leaves the old value */
	r = run_buf("vrrp_instance V {\n priority 7\n priority 0\n}\n");
	assert_int_equal(r->m.inst[0].prio, 7);
	assert_int_equal(r->ret, -EINVAL);
	run_free(r);
}

/* ---- includes: real files in a temporary directory ---- */

struct file {
	const char *name;	/* relative to the directory; "x/" makes a directory */
	const char *text;	/* NULL with link: a symbolic link */
	const char *link;
};

#define F(n, t)		{ .name = n, .text = t }
#define LINK(n, to)	{ .name = n, .link = to }

static const struct {
	const char *what;
	struct file files[6];	/* besides main.conf */
	const char *main;
	unsigned flags;		/* 1: includes_required, 2: no_includes, 4: max_depth 3,
				 * 8: include_root is the directory */
	const char *out;
	const char *diag;	/* "@D" stands for the directory */
} incs[] = {
	{ "relative to the including file, nested",
	  { F("sub/a.conf", "w a\ninclude b.conf\n"), F("sub/b.conf", "w b ${_PWD}\n") },
	  "include sub/a.conf\nw main\n", 0, "a\nb|@D/sub\nmain\n", "" },
	{ "a glob, sorted", { F("conf.d/2.conf", "w 2\n"), F("conf.d/1.conf", "w 1\n"),
	  F("conf.d/x.txt", "w x\n") }, "include conf.d/*.conf\n", 0, "1\n2\n", "" },
	{ "brace expansion, term by term", { F("a.inc", "w a\n"), F("b.inc", "w b\n") },
	  "include {b,a}.inc\ninclude {{a,b}.i*,x}\n", 0, "b\na\na\nb\n",
	  "@D/main.conf:2:9: warning: 'include': file '@D/x' not found\n" },
	{ "a missing file is a warning", { { 0 } }, "include nope.conf\nw after\n", 0, "after\n",
	  "@D/main.conf:1:9: warning: 'include': file '@D/nope.conf' not found\n" },
	{ "a missing file is an error with includes_required", { { 0 } }, "include nope.conf\n", 1, "",
	  "@D/main.conf:1:9: error: 'include': file '@D/nope.conf' not found\n" },
	{ "includem: a missing file is an error", { { 0 } }, "includem nope.conf\n", 0, "",
	  "@D/main.conf:1:10: error: 'includem': file '@D/nope.conf' not found\n" },
	{ "include: a pattern matching nothing is fine", { { 0 } }, "include none/*.conf\n", 0, "",
	  "" },
	{ "includew: a pattern matching nothing is an error", { { 0 } }, "includew none/*.conf\n", 0,
	  "", "@D/main.conf:1:10: error: 'includew': no file matches '@D/none/*.conf'\n" },
	{ "includeb: a brace term matching nothing is an error", { F("a.inc", "w a\n") },
	  "includeb {a,z*}.inc\n", 0, "a\n",
	  "@D/main.conf:1:10: error: 'includeb': no file matches '@D/z*.inc'\n" },
	{ "include loop", { F("a.conf", "include b.conf\n"), F("b.conf", "include a.conf\n") },
	  "include a.conf\nw after\n", 0, "after\n",
	  "@D/b.conf:1:9: error: 'include': include loop: @D/a.conf -> @D/b.conf -> @D/a.conf\n" },
	{ "a file including itself", { { 0 } }, "include main.conf\n", 0, "",
	  "@D/main.conf:1:9: error: 'include': include loop: @D/main.conf -> @D/main.conf\n" },
	{ "a directory matched by a glob is skipped", { F("dd/", ""), F("da.conf", "w da\n") },
	  "include d*\n", 0, "da\n",
	  "@D/main.conf:1:9: warning: 'include': '@D/dd' is not a regular file; skipped\n" },
	{ "includer: a match that cannot be read is an error", { F("dd/", "") }, "includer dd\n", 0,
	  "", "@D/main.conf:1:10: error: 'includer': '@D/dd' is not a regular file; skipped\n" },
	{ "a file gone before it is read (dangling link)", { LINK("gone.conf", "nowhere") },
	  "include gone.conf\n", 0, "",
	  "@D/main.conf:1:9: error: 'include': cannot open '@D/gone.conf': No such file or "
	  "directory\n" },
	{ "a file failing in the middle of a read", { { 0 } }, "include /proc/self/mem\n", 0, "",
	  "@D/main.conf:1:9: error: 'include': cannot read '/proc/self/mem': Input/output error\n" },
	{ "errors in an included file name it",
	  { F("sub/bad.conf", "vrrp_instance V {\n priority 0\n}\n") }, "include sub/bad.conf\n", 0, "",
	  "@D/sub/bad.conf:2:11: error: 'priority' expects an integer between 1 and 255, got '0'\n" },
	{ "include inside a block", { F("vips.conf", "10.0.0.1\n10.0.0.2 dev x\n") },
	  "lines {\n  include vips.conf\n}\n", 0, "L 10.0.0.1\nL 10.0.0.2|dev|x\n", "" },
	{ "a block keyword's '{' may start the included file", { F("body.conf", "{\n w in\n}\n") },
	  "sub\ninclude body.conf\n", 0, "in\n", "" },
	{ "include from a ~SEQ", { F("i1.conf", "w 1\n"), F("i2.conf", "w 2\n") },
	  "~SEQ(N, 2) include i${N}.conf\n", 0, "1\n2\n", "" },
	{ "a file including itself from a ~SEQ", { { 0 } }, "~SEQ(N, 2) include main.conf\n", 0, "",
	  "@D/main.conf:1:20: error: 'include': include loop: @D/main.conf -> @D/main.conf\n"
	  "@D/main.conf:1:20: error: 'include': include loop: @D/main.conf -> @D/main.conf\n" },
	{ "~SEQ nesting counts across the includes it opens",
	  { F("i.conf", "~SEQ(A,1) ~SEQ(B,1) ~SEQ(C,1) ~SEQ(D,1) ~SEQ(E,1) ~SEQ(F,1) ~SEQ(G,1) "
		"~SEQ(H,1) ~SEQ(I,1) ~SEQ(J,1) ~SEQ(K,1) ~SEQ(L,1) ~SEQ(M,1) ~SEQ(N,1) ~SEQ(O,1) "
		"~SEQ(P,1) ~SEQ(Q,1) w $A$Q\n") },
	  "~SEQ(A,1) ~SEQ(B,1) ~SEQ(C,1) ~SEQ(D,1) ~SEQ(E,1) ~SEQ(F,1) ~SEQ(G,1) ~SEQ(H,1) "
	  "~SEQ(I,1) ~SEQ(J,1) ~SEQ(K,1) ~SEQ(L,1) ~SEQ(M,1) ~SEQ(N,1) ~SEQ(O,1) ~SEQ(P,1) "
	  "include i.conf\nw after\n", 0, "after\n",
	  "@D/i.conf:1:161: error: '~SEQ' and '~LST' nested more than 32 deep\n" },
	{ "include nesting limit", { F("i1.conf", "include i2.conf\n"),
	  F("i2.conf", "include i3.conf\n"), F("i3.conf", "include i4.conf\n"),
	  F("i4.conf", "w deep\n") }, "include i1.conf\n", 4, "",
	  "@D/i3.conf:1:9: error: 'include': includes nested more than 3 deep\n" },
	{ "include_check holds until its file ends",
	  { F("sub/set.conf", "include_check\ninclude nope2.conf\n") },
	  "include sub/set.conf\ninclude nope1.conf\n", 0, "",
	  "@D/sub/set.conf:2:9: error: 'include': file '@D/sub/nope2.conf' not found\n"
	  "@D/main.conf:2:9: warning: 'include': file '@D/nope1.conf' not found\n" },
	{ "include_root: a file outside is not opened", { F("a.conf", "w a\n") },
	  "include a.conf\ninclude /dev/null\n", 8, "a\n",
	  "@D/main.conf:2:9: error: 'include': '/dev/null' is outside @D; not read\n" },
	{ "include_root: nor is one a link inside points to",
	  { LINK("null.conf", "/dev/null"), LINK("b.conf", "a.conf"), F("a.conf", "w a\n") },
	  "include null.conf\ninclude b.conf\n", 8, "a\n",
	  "@D/main.conf:1:9: error: 'include': '@D/null.conf' is outside @D; not read\n" },
	{ "includes turned off", { F("a.conf", "w a\n") }, "include a.conf\n", 2, "",
	  "@D/main.conf:1:1: error: 'include' is disabled here\n" },
	{ "include with two names", { { 0 } }, "include a b\n", 0, "",
	  "@D/main.conf:1:11: error: 'include' expects 1 argument (a file name or pattern), got 2\n" },
};

static void write_file(const char *dir, const struct file *f)
{
	char *path = xasprintf("%s/%s", dir, f->name), *slash;
	FILE *fp;

	/* make the parent directories */
	for (slash = strchr(path + strlen(dir) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(path, 0755);
		*slash = '/';
	}
	if (path[strlen(path) - 1] != '/') {
		if (f->link) {
			assert_int_equal(symlink(f->link, path), 0);
		} else {
			assert_non_null(fp = fopen(path, "w"));
			fputs(f->text, fp);
			fclose(fp);
		}
	}
	free(path);
}

static char *replace_dir(const char *s, const char *dir)
{
	size_t n = strlen(s) + 1;
	char *out, *o;

	for (const char *p = s; (p = strstr(p, "@D")); p += 2)
		n += strlen(dir);
	out = o = xmalloc(n);
	for (; *s; s++) {
		if (s[0] == '@' && s[1] == 'D') {
			o = stpcpy(o, dir);
			s++;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
	return out;
}

static char *make_dir(void)
{
	char tmpl[] = "/tmp/test_parser.XXXXXX";

	assert_non_null(mkdtemp(tmpl));
	return xstrdup(tmpl);
}

static void remove_dir(const char *dir)
{
	char *cmd = xasprintf("rm -rf '%s'", dir);

	assert_int_equal(system(cmd), 0);
	free(cmd);
}

static struct run *run_file(const char *path, struct cfg_opts o)
{
	struct run *r = calloc(1, sizeof(*r));
	struct cfg_root roots[] = { { top_kws, &r->m, finish } };

	assert_non_null(r);
	o.diag = diag_cb;
	o.diag_arg = r;
	if (!o.config_id)
		o.config_id = "main";
	r->ret = cfg_parse_file(path, roots, ARRAY_SIZE(roots), &o, &r->n_err, &r->n_warn);
	return r;
}

static void test_includes(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(incs); i++) {
		char *dir = make_dir(), *path = xasprintf("%s/main.conf", dir);
		char *out = replace_dir(incs[i].out, dir), *want = replace_dir(incs[i].diag, dir);
		struct file mainf = F("main.conf", incs[i].main);
		struct cfg_opts o = { .includes_required = incs[i].flags & 1,
				      .no_includes = incs[i].flags & 2,
				      .max_depth = incs[i].flags & 4 ? 3 : 0,
				      .include_root = incs[i].flags & 8 ? dir : NULL };
		struct run *r;

		for (const struct file *f = incs[i].files; f->name; f++)
			write_file(dir, f);
		write_file(dir, &mainf);
		r = run_file(path, o);
		expect_str(incs[i].what, "handler calls", r->m.out, out);
		expect_str(incs[i].what, "diagnostics", r->diag, want);
		run_free(r);
		remove_dir(dir);
		free(dir);
		free(path);
		free(out);
		free(want);
	}
}

static void test_main_file(void **state)
{
	char *dir = make_dir(), *path = xasprintf("%s/none.conf", dir), *want;
	struct file sub = F("sub/x.conf", "vrrp_instance V {\n priority 0\n}\n");
	struct file mainf = F("main.conf", "include sub/x.conf\n");
	char cwd[4096];
	struct run *r;

	(void)state;
	r = run_file(path, (struct cfg_opts){ 0 });
	assert_int_equal(r->ret, -ENOENT);
	want = xasprintf("error: cannot open configuration file '%s': No such file or directory\n",
			 path);
	expect_str("missing main file", "diagnostics", r->diag, want);
	assert_int_equal(r->m.n_finish, 0);
	run_free(r);
	free(want);
	free(path);

	r = run_file(dir, (struct cfg_opts){ 0 });
	assert_int_equal(r->ret, -ENOENT);
	want = xasprintf("error: cannot read configuration file '%s': Is a directory\n", dir);
	expect_str("main file is a directory", "diagnostics", r->diag, want);
	run_free(r);
	free(want);

	/* a relative name: included files are named relative to it, as the user wrote them */
	write_file(dir, &sub);
	write_file(dir, &mainf);
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(dir), 0);
	r = run_file("main.conf", (struct cfg_opts){ 0 });
	assert_int_equal(chdir(cwd), 0);
	expect_str("relative names", "diagnostics", r->diag,
		   "sub/x.conf:2:11: error: 'priority' expects an integer between 1 and 255, got '0'\n");
	assert_int_equal(r->ret, -EINVAL);
	run_free(r);
	remove_dir(dir);
	free(dir);
}

/*
 * 70 files, each repeating its include line through 31 nested ~SEQ: once each file's
 * nesting started again at 0, 70 * 31 levels of recursion overflowed the stack.
 */
static void test_include_seq_depth(void **state)
{
	enum { N_FILES = 70, N_SEQ = 31 };
	char *dir = make_dir(), *path = xasprintf("%s/f0.conf", dir), *want;
	struct run *r;

	(void)state;
	for (int i = 0; i <= N_FILES; i++) {
		char name[32], text[1024];
		struct file f = { .name = name, .text = text };
		size_t n = 0;

		snprintf(name, sizeof(name), "f%d.conf", i);
		for (int k = 0; k < N_SEQ && i < N_FILES; k++)
			n += (size_t)snprintf(text + n, sizeof(text) - n, "~SEQ(V%d, 1) ", k);
		snprintf(text + n, sizeof(text) - n, i < N_FILES ? "include f%d.conf\n" : "w bottom\n",
			 i + 1);
		write_file(dir, &f);
	}
	r = run_file(path, (struct cfg_opts){ 0 });
	want = xasprintf("%s/f1.conf:1:13: error: '~SEQ' and '~LST' nested more than 32 deep\n",
			 dir);
	expect_str("deep ~SEQ through includes", "diagnostics", r->diag, want);
	expect_str("deep ~SEQ through includes", "handler calls", r->m.out, "");
	run_free(r);
	remove_dir(dir);
	free(want);
	free(dir);
	free(path);
}

/* ---- garbage, sizes, depths ---- */

static double now_s(void)
{
	return (double)mono_now_us() / 1e6;
}

static void test_nul_bytes(void **state)
{
	static const char conf[] = "w a\nw b\0c\nw d\n";
	struct run tmp, *r;

	(void)state;
	r = run_buf_opts(conf, sizeof(conf) - 1, opts_for(&tmp));
	expect_str("NUL in a line", "handler calls", r->m.out, "a\nd\n");
	expect_str("NUL in a line", "diagnostics", r->diag,
		   "t.conf:2:4: error: unexpected character 0x00\n");
	run_free(r);
}

static void test_binary_garbage(void **state)
{
	size_t len = 1 << 20;
	char *buf = xmalloc(len);
	uint64_t x = 88172645463325252ull;
	struct run tmp, *r;

	(void)state;
	for (size_t i = 0; i < len; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		buf[i] = (char)x;
	}
	r = run_buf_opts(buf, len, opts_for(&tmp));
	assert_true(r->n_err > 0);
	/* the file is given up after a few lines of garbage, not reported line by line */
	assert_true(r->n_diag < 40);
	assert_non_null(strstr(r->diag, "too many lines with unexpected characters: the rest of "
				       "'t.conf' is skipped"));
	run_free(r);
	free(buf);
}

static void test_long_line(void **state)
{
	size_t big = 1 << 20;
	char *conf = xmalloc(big + 32);
	double t0 = now_s();
	struct run tmp, *r;

	(void)state;
	strcpy(conf, "w a\nw ");
	memset(conf + 6, 'x', big);
	strcpy(conf + 6 + big, "\nw b\n");
	r = run_buf_opts(conf, strlen(conf), opts_for(&tmp));
	expect_str("1 MB line", "handler calls", r->m.out, "a\nb\n");
	expect_str("1 MB line", "diagnostics", r->diag,
		   "t.conf:2:1: error: line longer than 65536 bytes; skipped\n");
	assert_true(now_s() - t0 < 1.0);
	run_free(r);
	free(conf);
}

/* 10k levels: one error for the block past the limit, skipped without recursion. */
static void test_deep_nesting(void **state)
{
	enum { N = 10000 };
	static const char small[] = "sub {\n sub {\n  sub { w x }\n }\n}\n";
	struct sbuf_ { char *s; size_t len; } b = { xmalloc(N * 12 + 64), 0 };
	struct run *r;

	(void)state;
	for (int i = 0; i < N; i++)
		b.len += (size_t)sprintf(b.s + b.len, "sub {\n");
	b.len += (size_t)sprintf(b.s + b.len, "w deep\n");
	for (int i = 0; i < N; i++)
		b.len += (size_t)sprintf(b.s + b.len, "}\n");
	sprintf(b.s + b.len, "w after\n");
	r = run_buf(b.s);
	expect_str("10k levels", "handler calls", r->m.out, "after\n");
	expect_str("10k levels", "diagnostics", r->diag,
		   "t.conf:65:5: error: blocks nested more than 64 deep: this one is skipped\n");
	run_free(r);

	/* all on one line, and never closed */
	b.len = 0;
	for (int i = 0; i < N; i++)
		b.len += (size_t)sprintf(b.s + b.len, "sub { ");
	r = run_buf(b.s);
	expect_str("10k levels on one line", "diagnostics", r->diag,
		   "t.conf:1:389: error: blocks nested more than 64 deep: this one is skipped\n"
		   "t.conf:1:1: error: block 'sub' opened here is not closed (nor are the 64 blocks "
		   "inside it)\n");
	run_free(r);

	/* a smaller limit */
	r = run_buf_opts(small, strlen(small), (struct cfg_opts){ .config_id = "main", .max_depth = 2 });
	expect_str("max_depth 2", "diagnostics", r->diag,
		   "t.conf:3:7: error: blocks nested more than 2 deep: this one is skipped\n");
	run_free(r);
	free(b.s);
}

/* 100k keyword lines in one block. */
static void test_many_lines(void **state)
{
	enum { N = 100000 };
	char *buf = xmalloc(N * 40 + 64);
	size_t len = 0;
	double t0;
	struct run tmp, *r;

	(void)state;
	len += (size_t)sprintf(buf + len, "global_defs {\n");
	for (int i = 0; i < N; i++) {
		int v = i % 90 + 1;

		switch (i % 4) {
		case 0: len += (size_t)sprintf(buf + len, " router_id r%d\n", v); break;
		case 1: len += (size_t)sprintf(buf + len, " max_auto_priority %d\n", v); break;
		case 2: len += (size_t)sprintf(buf + len, " enable_traps\n"); break;
		default: len += (size_t)sprintf(buf + len, " vrrp_garp_interval 0.%d\n", v); break;
		}
	}
	len += (size_t)sprintf(buf + len, "}\n");
	t0 = now_s();
	r = run_buf_opts(buf, len, opts_for(&tmp));
	print_message("100k lines: %.3f s (sanitizers make it slower)\n", now_s() - t0);
	expect_str("100k lines", "diagnostics", r->diag, "");
	assert_string_equal(r->m.router_id, "r7");
	assert_true(now_s() - t0 < 5.0);
	run_free(r);
	free(buf);
}

/* ---- odds and ends ---- */

static void test_random(void **state)
{
	struct run *r;
	char a[64], b[64];

	(void)state;
	/* a seed makes the same numbers again */
	r = run_buf("seed 7\n$A=${_RANDOM}\nw $A ${_RANDOM 100 200}\nseed 7\nw $A ${_RANDOM 100 200}\n");
	expect_str("seeded", "diagnostics", r->diag, "");
	assert_int_equal(sscanf(r->m.out, "%63s\n%63s", a, b), 2);
	assert_string_equal(a, b);
	run_free(r);
	/* within bounds */
	for (int i = 0; i < 50; i++) {
		int lo, hi, any, top;

		r = run_buf("w ${_RANDOM 3 4} ${_RANDOM 7 7} ${_RANDOM} ${_RANDOM 32767}\n");
		assert_int_equal(sscanf(r->m.out, "%d|%d|%d|%d", &lo, &hi, &any, &top), 4);
		assert_true(lo >= 3 && lo <= 4);
		assert_int_equal(hi, 7);
		assert_true(any >= 0 && any <= 32767);
		assert_int_equal(top, 32767);
		run_free(r);
	}
	/* the widest range: MAX - MIN + 1 is 2^32, which a 32-bit long makes 0 (SIGFPE) */
	for (int i = 0; i < 50; i++) {
		unsigned long long v;

		r = run_buf("w ${_RANDOM 0 4294967295}\n");
		expect_str("${_RANDOM 0 4294967295}", "diagnostics", r->diag, "");
		assert_int_equal(sscanf(r->m.out, "%llu", &v), 1);
		assert_true(v <= 4294967295ull);
		run_free(r);
	}
}

/* ~SEQ(A, 1e9) and friends: a limit on what expansion may make, then the rest is skipped. */
static void test_expansion_limit(void **state)
{
	struct run tmp, *r;
	struct cfg_opts o = opts_for(&tmp);
	static const char conf[] = "~SEQ(A, 1000000000) w $A\nw next\n";
	int n = 0;

	(void)state;
	o.max_expansion = 1000;
	r = run_buf_opts(conf, sizeof(conf) - 1, o);
	expect_str("expansion limit", "diagnostics", r->diag,
		   "t.conf:1: error: parameters, ~SEQ, ~LST and includes expand to more than 1000 "
		   "bytes: the rest of the configuration is skipped\n");
	for (const char *p = r->m.out; (p = strchr(p, '\n')); p++)
		n++;
	assert_true(n > 50 && n < 200);
	assert_null(strstr(r->m.out, "next"));
	run_free(r);

	/* many errors from one line: the first thousand are shown, the rest counted */
	r = run_buf("~SEQ(N, 1500) frob\n");
	assert_int_equal(r->n_err, 1500);
	assert_int_equal(r->n_diag, 1001);
	assert_non_null(strstr(r->diag, "t.conf:1:15: error: unknown keyword 'frob' at top level\n"
				       "t.conf: error: 500 more errors and warnings are not shown\n"));
	run_free(r);
}

/* Files that include each other ten times over: a million lines, unless included bytes count. */
static void test_include_fanout_limit(void **state)
{
	static const struct file files[] = {
		F("a.conf", "include b.conf\ninclude b.conf\ninclude b.conf\ninclude b.conf\n"
			    "include b.conf\ninclude b.conf\ninclude b.conf\ninclude b.conf\n"),
		F("b.conf", "include c.conf\ninclude c.conf\ninclude c.conf\ninclude c.conf\n"
			    "include c.conf\ninclude c.conf\ninclude c.conf\ninclude c.conf\n"),
		F("c.conf", "w x\nw x\nw x\nw x\nw x\nw x\nw x\nw x\n"),
		F("main.conf", "~SEQ(N, 1000) include a.conf\nw after\n"),
	};
	char *dir = make_dir(), *path = xasprintf("%s/main.conf", dir), *want;
	struct run *r;
	int n = 0;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(files); i++)
		write_file(dir, &files[i]);
	r = run_file(path, (struct cfg_opts){ .max_expansion = 10000 });
	for (const char *p = r->m.out; (p = strchr(p, '\n')); p++)
		n++;
	/* a round is 15 + 120 + 8 * (120 + 8 * 32) bytes: 10000 make 3 rounds of 512 lines and
	 * a bit, not the 1000 rounds asked for */
	if (n <= 3 * 512 || n >= 4 * 512)
		fail_msg("%d lines", n);
	assert_null(strstr(r->m.out, "after"));
	want = xasprintf("%s/a.conf:2: error: parameters, ~SEQ, ~LST and includes expand to more "
			 "than 10000 bytes: the rest of the configuration is skipped\n", dir);
	expect_str("include fan-out", "diagnostics", r->diag, want);
	run_free(r);
	remove_dir(dir);
	free(want);
	free(dir);
	free(path);
}

/* A second tree, for the keyword index kept between parses (opts.keep_index). */
static int kw_nothing(struct cfg *c, void *obj, const struct cfg_args *a)
{
	(void)c, (void)obj, (void)a;
	return 0;
}

static const struct cfg_kw other_inner_kws[] = {
	{ "zulu_word", kw_nothing, .max_args = CFG_ANY },
	{ 0 }
};
static const struct cfg_kw other_kws[] = {
	{ "alpha_block", .block = other_inner_kws },
	{ 0 }
};

/* opts.keep_index: the index follows the roots (a parse with other roots builds it again). */
static void test_keep_index(void **state)
{
	struct cfg_opts o = { .config_id = "main", .diag = diag_cb, .keep_index = true };
	struct cfg_root other[] = { { other_kws, NULL, NULL } };
	static const char conf[] = "global_defs {\n priority 1\n}\n";
	static const char want[] = "t.conf:2:2: error: 'priority' is not valid in global_defs "
				   "(it belongs in vrrp_instance)\n";
	struct run *r;

	(void)state;
	r = run_buf_opts(conf, sizeof(conf) - 1, o);
	expect_str("first tree", "diagnostics", r->diag, want);
	run_free(r);

	r = calloc(1, sizeof(*r));
	assert_non_null(r);
	o.diag_arg = r;
	cfg_parse_buf("t.conf", "zulu_word x\n", 12, other, 1, &o, &r->n_err, NULL);
	expect_str("second tree", "diagnostics", r->diag,
		   "t.conf:1:1: error: 'zulu_word' is not valid at top level (it belongs in "
		   "alpha_block)\n");
	run_free(r);

	r = run_buf_opts(conf, sizeof(conf) - 1, o);
	expect_str("first tree again", "diagnostics", r->diag, want);
	run_free(r);
}

/* opts.max_includes: the files read are counted; an include line past the limit opens nothing. */
static void test_include_count_limit(void **state)
{
	static const struct file files[] = {
		F("a.conf", "w a\n"),
		F("b.conf", "w b\n"),
		F("main.conf", "include a.conf\ninclude a.conf\ninclude {a,b}.conf\nw after\n"),
	};
	char *dir = make_dir(), *path = xasprintf("%s/main.conf", dir), *want;
	struct run *r;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(files); i++)
		write_file(dir, &files[i]);
	r = run_file(path, (struct cfg_opts){ .max_includes = 3 });
	expect_str("include count", "lines", r->m.out, "a\na\na\nafter\n");
	want = xasprintf("%s/main.conf:3: error: '%s/b.conf' not read: the limit of 3 included files "
			 "is reached\n",
			 dir, dir);
	expect_str("include count", "diagnostics", r->diag, want);
	run_free(r);
	free(want);

	/* past the limit, the include line itself is refused */
	r = run_file(path, (struct cfg_opts){ .max_includes = 1 });
	expect_str("include line refused", "lines", r->m.out, "a\nafter\n");
	want = xasprintf("%s/main.conf:2:1: error: 'include': the limit of 1 included files is "
			 "reached; not read\n"
			 "%s/main.conf:3:1: error: 'include': the limit of 1 included files is "
			 "reached; not read\n",
			 dir, dir);
	expect_str("include line refused", "diagnostics", r->diag, want);
	run_free(r);
	remove_dir(dir);
	free(want);
	free(dir);
	free(path);
}

static void test_optional_block(void **state)
{
	struct run *r;

	(void)state;
	/* left out (before a keyword, at the end), given, given on the next line */
	r = run_buf("opt_block\nw x\nopt_block {\n w y\n}\nopt_block a\n{\n}\nopt_block");
	expect_str("optional block", "diagnostics", r->diag, "");
	expect_str("optional block", "handler calls", r->m.out, "x\ny\n");
	assert_int_equal(r->m.n_opt_open, 4);
	assert_int_equal(r->m.n_opt_fn, 4);
	assert_int_equal(r->m.n_opt_close, 4);
	run_free(r);
	/* left out before the parent's '}' */
	r = run_buf("vrrp_instance V {\n track_interface }\n");
	expect_str("optional block before '}'", "diagnostics", r->diag, "");
	assert_int_equal(r->m.inst[0].n_track, 0);
	assert_true(r->m.inst[0].closed);
	run_free(r);
	r = run_buf("vrrp_instance V {\n track_interface {\n  eth0\n  eth1 weight 2\n }\n}\n");
	expect_str("optional block given", "diagnostics", r->diag, "");
	assert_int_equal(r->m.inst[0].n_track, 2);
	run_free(r);
}

static void test_skip_unknown_top(void **state)
{
	struct run tmp, *r;
	struct cfg_opts o = opts_for(&tmp);
	static const char conf[] = "virtual_server 10.0.0.1 80 {\n real_server x {\n  a\n }\n}\n"
				   "virtual_server_group g\n{\n x\n}\nlvs_id x\nw a\nsub {\n frob 1\n}\n";

	(void)state;
	o.skip_unknown_top = true;
	r = run_buf_opts(conf, sizeof(conf) - 1, o);
	expect_str("child skips other subsystems", "handler calls", r->m.out, "a\n");
	expect_str("child skips other subsystems", "diagnostics", r->diag,
		   "t.conf:13:2: error: unknown keyword 'frob' in sub\n");
	run_free(r);
}

static void test_warnings_only(void **state)
{
	struct run *r;

	(void)state;
	r = run_buf("global_defs {\n router_name r\n}\ninclude /nonexistent/x.conf\n");
	assert_int_equal(r->ret, 0);
	assert_int_equal(r->n_err, 0);
	assert_int_equal(r->n_warn, 2);
	run_free(r);
}

/*
 * A mistake (and a deprecated keyword without CFG_KW_DEPRECATED_OK) is a warning for the
 * daemon and an error under -t (cfg_opts.config_test), where keepalived's -t fails on it.
 */
static void test_mistakes(void **state)
{
	static const char conf[] = "global_defs {\n router_name a\n lvs_id b\n}\nmistake x  y\n";
	static const char *const want[2] = {
		"t.conf:2:2: warning: 'router_name' is deprecated: use 'router_id' instead\n"
		"t.conf:3:2: warning: 'lvs_id' is deprecated: use 'router_id' instead\n"
		"t.conf:5:9: warning: 'x' is ignored\n"
		"t.conf:5:12: warning: kept at 12\n",
		"t.conf:2:2: error: 'router_name' is deprecated: use 'router_id' instead\n"
		"t.conf:3:2: warning: 'lvs_id' is deprecated: use 'router_id' instead\n"
		"t.conf:5:9: error: 'x' is ignored\n"
		"t.conf:5:12: error: kept at 12\n",
	};

	(void)state;
	for (int t = 0; t < 2; t++) {
		struct run tmp, *r;
		struct cfg_opts o = opts_for(&tmp);

		o.config_test = t;
		r = run_buf_opts(conf, sizeof(conf) - 1, o);
		expect_str(t ? "-t" : "daemon", "diagnostics", r->diag, want[t]);
		expect_str(t ? "-t" : "daemon", "handler calls", r->m.out, t ? "test\n" : "daemon\n");
		assert_int_equal(r->n_err, t ? 3 : 0);
		assert_int_equal(r->ret, t ? -EINVAL : 0);
		run_free(r);
	}
}

static void test_diag_format(void **state)
{
	static const struct {
		struct cfg_diag d;
		const char *want;
	} rows[] = {
		{ { CFG_SEV_ERROR, "a.conf", 3, 7, "msg" }, "a.conf:3:7: error: msg" },
		{ { CFG_SEV_WARNING, "a.conf", 3, 0, "msg" }, "a.conf:3: warning: msg" },
		{ { CFG_SEV_ERROR, "a.conf", 0, 0, "msg" }, "a.conf: error: msg" },
		{ { CFG_SEV_ERROR, NULL, 0, 0, "msg" }, "error: msg" },
	};
	char buf[64];

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(rows); i++)
		assert_string_equal(cfg_diag_format(&rows[i].d, buf, sizeof(buf)), rows[i].want);
	/* a small buffer cuts, never overflows */
	assert_string_equal(cfg_diag_format(&rows[0].d, buf, 8), "a.conf:");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_syntax),
		cmocka_unit_test(test_tree),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_values_stored),
		cmocka_unit_test(test_includes),
		cmocka_unit_test(test_main_file),
		cmocka_unit_test(test_include_seq_depth),
		cmocka_unit_test(test_nul_bytes),
		cmocka_unit_test(test_binary_garbage),
		cmocka_unit_test(test_long_line),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_many_lines),
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_expansion_limit),
		cmocka_unit_test(test_include_fanout_limit),
		cmocka_unit_test(test_include_count_limit),
		cmocka_unit_test(test_keep_index),
		cmocka_unit_test(test_optional_block),
		cmocka_unit_test(test_skip_unknown_top),
		cmocka_unit_test(test_warnings_only),
		cmocka_unit_test(test_mistakes),
		cmocka_unit_test(test_diag_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
