/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/check/check_conf_int.h: the checker's parse-time model, shared by check_conf*.c. */
#pragma once
#include <stdbool.h>
#include <stdint.h>

#include "check_conf.h"
#include "check_data.h"
#include "parser.h"

/*
 * While the config is read, each object keeps its public struct (check_data.h) plus
 * what finish needs to resolve it: which inherited values were given, scripts as
 * written, where a block opened. check_conf_finish() then builds the public arrays
 * (struct check_conf's vs[], their rs[] and checkers[]) from these and frees them.
 */

/* Values a checker inherits from its real server, which inherits from its virtual server. */
struct cc_timing {
	unsigned retry;
	uint64_t delay_before_retry_us, delay_loop_us, warmup_us, connect_timeout_us;
	bool has_retry, has_dbr, has_delay_loop, has_warmup, has_connect_timeout;
	signed char alpha;		/* -1: not given */
};

/* A script keyword as written: cmdline [user [group]]. */
struct cc_cmd {
	char *cmdline;			/* NULL: none */
	struct ck_script_user as;
	const char *file;
	int line, col;
};

struct cc_ck {
	struct ck_conf c;		/* type data stored as parsed; timing and conn at finish */
	struct cc_timing t;
	struct cc_ck *parent;		/* a deprecated SMTP host { } block: its SMTP_CHECK */
	/* connection keywords (network checkers) */
	bool has_dst_addr, has_src_addr, has_conn_kw;
	struct inet_addr dst_addr, src_addr;
	uint16_t dst_port, src_port;	/* 0: not given */
	uint64_t connect_timeout_us;
	bool has_connect_timeout;
	char *sni_name;			/* SSL_GET/HTTP_GET sni_name */
	struct cc_cmd misc;		/* MISC_CHECK misc_path + user */
	bool has_misc_timeout;
	bool has_udp_max, has_udp_min;
	struct cc_ck **hosts;		/* SMTP_CHECK host { } blocks */
	unsigned n_hosts;
	bool dropped;			/* reported: not kept (keepalived "- ignoring"/"- skipping") */
	int col;
};

struct cc_rs {
	struct rs_conf r;		/* addr, given port, weight, fwd, thresholds, virtualhost */
	bool has_port, has_weight, has_fwd;
	signed char inhibit, alpha, smtp_alert;	/* -1: not given */
	struct cc_timing t;
	struct cc_cmd notify_up, notify_down;
	struct cc_ck **cks;
	unsigned n_cks;
	const char *file;		/* where the block opened */
	int line, col;
};

struct cc_vs {
	struct vs_conf v;		/* kind, addr, port, fwmark, group_name, flags, ... */
	bool has_protocol, has_sched, has_fwd, has_persistence;
	sa_family_t ip_family;		/* ip_family keyword; 0: not given */
	unsigned weight;		/* its real servers' default weight */
	signed char smtp_alert;		/* -1: not given */
	struct cc_timing t;
	struct cc_cmd quorum_up, quorum_down;
	struct cc_rs **rs;
	unsigned n_rs;
	struct cc_rs *sorry;
	int col;
};

/* a real server's checkers array (rs_conf.checkers), maybe shared by several */
struct cc_ck_set {
	struct ck_conf *ck;
	unsigned n;
};

struct cc_conf {
	struct check_conf pub;		/* first: check_conf_new() returns it */
	struct cc_ck_set *ck_sets;	/* every rs_conf.checkers array, each once */
	unsigned n_ck_sets;
	struct cc_vs **vs;
	unsigned n_vs;
	char **files;			/* file names the model points at */
	unsigned n_files;
	bool finished;
};

static inline struct cc_conf *cc_of(void *conf)
{
	return (struct cc_conf *)conf;
}

/* check_conf.c */
const char *cc_intern_file(struct cc_conf *cc, const char *file);
/* cc_rs and cc_ck (zeroed, never NULL), apart from the heap; cc_tmp_free(NULL) is fine */
void *cc_tmp_alloc(size_t size);
void cc_tmp_free(void *p);
void cc_timing_init(struct cc_timing *t);
/* the shared handlers of retry/delay_before_retry/warmup/delay_loop at VS and RS level */
int cc_kw_timing(struct cfg *c, const struct cfg_args *a, struct cc_timing *t, bool checker);
int cc_kw_cmd(struct cfg *c, const struct cfg_args *a, struct cc_cmd *cmd);
void cc_cmd_free(struct cc_cmd *cmd);
int cc_parse_fwd(struct cfg *c, const struct cfg_args *a, const char *s_type, struct lvs_fwd *out);

/* check_conf_ck.c: the checker blocks of a real_server */
extern const struct cfg_kw cc_http_get_kws[], cc_tcp_check_kws[],
	cc_misc_check_kws[], cc_smtp_check_kws[], cc_dns_check_kws[], cc_udp_check_kws[],
	cc_ping_check_kws[], cc_file_check_kws[], cc_bfd_check_kws[];
void *cc_open_ck(struct cfg *c, void *parent, const struct cfg_args *a);
int cc_close_ck(struct cfg *c, void *obj);
void cc_ck_free(struct cc_ck *k);
#define CC_CK(name, kws) CFG_KW(name, NULL, .block = kws, .open = cc_open_ck, .close = cc_close_ck)
#define CC_CHECKER_BLOCKS \
	CC_CK("HTTP_GET", cc_http_get_kws), CC_CK("SSL_GET", cc_http_get_kws), \
	CC_CK("TCP_CHECK", cc_tcp_check_kws), CC_CK("MISC_CHECK", cc_misc_check_kws), \
	CC_CK("SMTP_CHECK", cc_smtp_check_kws), CC_CK("DNS_CHECK", cc_dns_check_kws), \
	CC_CK("UDP_CHECK", cc_udp_check_kws), CC_CK("PING_CHECK", cc_ping_check_kws), \
	CC_CK("FILE_CHECK", cc_file_check_kws), \
	CFG_KW_LATER("BFD_CHECK", NULL, .block = cc_bfd_check_kws)

/* check_conf_vsg.c */
void *cc_open_vsg(struct cfg *c, void *parent, const struct cfg_args *a);
int cc_vsg_line(struct cfg *c, void *obj, const struct cfg_args *a);
int cc_close_vsg(struct cfg *c, void *obj);
void cc_vsg_free(struct vsg_conf *g);
/* "a.b.c.d-e.f.g.h" or "a.b.c.d" (and port) for a dump */
void cc_vsg_entry_dump(const struct vsg_entry *e, FILE *f);

/* check_data.c */
void cc_vs_conf_free(struct vs_conf *vs);
void cc_rs_conf_free(struct rs_conf *rs);
void cc_ck_conf_free(struct ck_conf *ck);
/* FMT_VS into a new string */
char *cc_vs_str(const struct vs_conf *vs);

/* check_conf_finish.c */
int cc_finish(struct cfg *c, struct cc_conf *cc);
void cc_free_rs_shell(struct cc_rs *rs);		/* NULL is fine */
void cc_free_parse(struct cc_conf *cc);
