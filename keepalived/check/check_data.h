/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/check/check_data.h: the checker's configuration model, as the parser leaves it. */
#pragma once
#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "process.h"
#include "utils.h"

/*
 * Filled by check_conf.c while the config is parsed; check_conf_finish() then
 * resolves every inherited value into its *effective* field (keepalived 2.2.7's
 * defaults, spec checker-ipvs.md 1.1) so that nothing downstream looks at a parent
 * again. After finish the whole tree is read-only: the engine, the checkers and a
 * reload's diff only read it. One `struct check_conf` per load; a reload builds a
 * new one and compares.
 *
 * Times are microseconds (keepalived's TIMER keywords take decimal seconds).
 */

enum ck_type {
	CK_TCP, CK_HTTP, CK_SSL, CK_SMTP, CK_DNS, CK_UDP, CK_PING, CK_MISC, CK_FILE, CK_BFD,
	CK__COUNT
};
/* "TCP_CHECK", "HTTP_GET", "SSL_GET", ... as the keyword is written */
const char *ck_type_kw(enum ck_type t);

/*
 * An IPv4 or IPv6 address with its port: 28 bytes where a sockaddr_storage takes 128
 * (two per checker, 1,000s of checkers). ss_family overlays sin_family/sin6_family.
 */
union ck_sockaddr {
	struct sockaddr_in6 in6;	/* first: the largest, what { 0 } zeroes */
	struct sockaddr_in in;
	struct sockaddr sa;
	sa_family_t ss_family;
};

/*
 * The connection a network checker makes (not MISC, FILE, BFD). dst is as given, so that
 * the checkers of real servers with equal blocks are equal (and shared, see rs_conf):
 * ss_family 0 is the real server's address, port 0 (sin_port/sin6_port, the same
 * offset; with ss_family 0 in .in.sin_port) the real server's port; a connect_ip or
 * connect_port equal to the real server's is stored as 0 too. ck_conf_dst() resolves it.
 */
struct ck_conn {
	union ck_sockaddr dst;		/* connect_ip/connect_port; 0: the real server's */
	union ck_sockaddr src;		/* bindto (+ bind_port); ss_family 0: none */
	char bind_if[IF_NAMESIZE];	/* "" : none */
	uint32_t fwmark;		/* SO_MARK; 0: none */
	uint64_t connect_timeout_us;
};

#define CK_HTTP_STATUS_MIN 100
#define CK_HTTP_STATUS_MAX 599
struct ck_url {
	char *path;
	char *virtualhost;		/* the url's own; NULL: the checker's effective one */
	bool has_digest;
	uint8_t digest[16];
	/* status_code: bit (code - 100); none given: 200-299 */
	uint64_t status[(CK_HTTP_STATUS_MAX - CK_HTTP_STATUS_MIN + 64) / 64];
	char *regex;			/* NULL: none (PCRE2 pattern as written) */
	bool regex_no_match;
	uint32_t regex_options;		/* PCRE2 compile flags */
	uint64_t regex_min_offset;
	uint64_t regex_max_offset;	/* keyword + 1 (one past the last start), as keepalived
					 * keeps it; 0: to the end */
	unsigned regex_stack_start, regex_stack_max;
};

enum ck_http_proto { CK_HTTP_10, CK_HTTP_10C, CK_HTTP_11 };
struct ck_http {
	struct ck_url *urls;
	unsigned n_urls;
	enum ck_http_proto proto;
	char *virtualhost;		/* effective: checker, else RS, else VS; NULL: none */
	char *sni_virtualhost;		/* effective SNI name: url/checker/VS virtualhost (not RS) */
	bool fast_recovery;
	bool enable_sni;
};

struct ck_smtp {
	char *helo_name;		/* effective: "smtpchecker.keepalived.org" */
};

struct ck_dns {
	uint16_t qtype;			/* effective: SOA (6) */
	char *name;			/* effective: "." */
};

/* 48 bytes (the largest of ck_conf's union): lengths of hex strings on a config line */
struct ck_udp {
	uint8_t *payload;		/* effective: 32 bytes of "keepalived check - " repeated */
	uint8_t *reply, *reply_mask;	/* require_reply's pattern; mask: the bits that must
					 * match (an X nibble clears its 4: 0x0f, 0xf0, 0x00) */
	uint32_t payload_len;
	uint32_t reply_len;		/* 0: any reply */
	unsigned min_reply_len, max_reply_len;	/* effective 0 .. 255 */
	bool require_reply;
};

/*
 * Scripts (misc_path, notify_up/down, quorum_up/down) are process_cmds split, with the
 * uid/gid they run as (their own user, else script_user, else keepalived_script, else
 * the daemon's), NOT yet prepared: process_cmd_prepare() (PATH search, access and
 * script-security checks, keepalived's lines) is the runtime's, when the checker loads.
 * A cmd is NULL when the script cannot run as anyone (2.2.7's line was reported).
 */
/* a script's own user/group as written (for the dump); NULL: global_defs script_user's */
struct ck_script_user {
	char *user, *group;
};

struct ck_misc {
	struct process_cmd *cmd;	/* misc_path with its user (effective: script_user) */
	struct ck_script_user as;
	uint64_t timeout_us;		/* effective: misc_timeout, else the VS's delay_loop */
	bool dynamic;
};

struct track_file;
struct ck_file {
	char *track_file;		/* the track_file block's name */
	int weight;
	bool reverse;
	bool has_weight;		/* else the track_file's own weight */
	/* the block, borrowed from global_defs (check_file_resolve() at the FILE_CHECK's
	 * close: keepalived needs the track_file block before it); weight and reverse are
	 * then effective (the track_file's when the FILE_CHECK gives none) */
	const struct track_file *tf;
};

/* in this order no padding is left: 184 bytes, a 192-byte malloc chunk (224 at 208 bytes) */
struct ck_conf {
	enum ck_type type;
	/* effective timing (spec 1.1): checker keyword, else RS, else VS, else the type's */
	unsigned retry;
	struct ck_conn conn;
	uint64_t delay_before_retry_us;
	uint64_t delay_loop_us;
	uint64_t warmup_us;		/* 0: none */
	bool alpha;
	bool log_all_failures;		/* the checker's own keyword (global: the runtime's) */
	int line;			/* where the block opened (with file); shared: the first
					 * real server's (only MISC_CHECK's, never shared, are used) */
	union {
		struct ck_http http;	/* CK_HTTP, CK_SSL */
		struct ck_smtp smtp;
		struct ck_dns dns;
		struct ck_udp udp;
		struct ck_misc misc;
		struct ck_file file;
		char *bfd_name;		/* CK_BFD */
	} u;
	const char *file;		/* where the block opened (owned by the conf's strings) */
};

enum lvs_method { LVS_NAT, LVS_DR, LVS_TUN };	/* IP_VS_CONN_F_MASQ 0, DROUTE 3, TUNNEL 2 */
enum lvs_tun_type { LVS_TUN_IPIP, LVS_TUN_GUE, LVS_TUN_GRE };

struct lvs_fwd {
	enum lvs_method method;
	enum lvs_tun_type tun_type;
	uint16_t tun_port;		/* gue */
	uint16_t tun_flags;		/* IP_VS_TUNNEL_ENCAP_FLAG_*: nocsum 0, csum, remcsum */
};

/* a real server's notify scripts: few have any, so they are not in every rs_conf */
struct rs_scripts {
	struct process_cmd *notify_up, *notify_down;	/* NULL: none */
	struct ck_script_user notify_up_as, notify_down_as;
	const char *file;		/* where the real_server block opened (-t's lines) */
	int line;
};

/*
 * Ordered to leave no padding (thousands of them, in one array per VS): 80 bytes. Where
 * the block opened is kept only with its scripts, the one thing that needs it.
 */
struct rs_conf {
	struct inet_addr addr;
	uint16_t port;			/* effective (DR/TUN: the VS's; fwmark non-NAT: 0; NAT
					 * without one: the VS's; VS_GROUP: as given, 0 if none) */
	int weight;			/* effective: own, else the VS's */
	struct lvs_fwd fwd;		/* effective: own lvs_method, else the VS's */
	bool inhibit;			/* effective inhibit_on_failure */
	bool alpha;
	bool smtp_alert;		/* effective (spec 1.1: default on) */
	uint32_t u_thresh, l_thresh;
	unsigned n_checkers;
	struct rs_scripts *scripts;	/* NULL: no notify_up/notify_down given */
	char *virtualhost;
	/*
	 * n_checkers, in config order. Real servers whose checker lists are equal (every
	 * field but file and line; no MISC, FILE or BFD checker) share one array, owned by
	 * the check_conf (check_conf_finish interns them): read-only, never freed per RS.
	 */
	struct ck_conf *checkers;
};

/*
 * The address cf connects to for real server rs: connect_ip/connect_port, else rs's
 * address and port (see struct ck_conn).
 */
void ck_conf_dst(const struct ck_conf *cf, const struct rs_conf *rs, union ck_sockaddr *out);

/* rs's scripts, or an empty set (every field NULL) */
const struct rs_scripts *rs_scripts(const struct rs_conf *rs);

/* one entry of a virtual_server_group: an address range with a port, or a fwmark */
struct vsg_entry {
	bool is_fwmark;
	struct inet_addr first, last;	/* inclusive; first == last for one address */
	uint16_t port;
	uint32_t fwmark;
	sa_family_t fwmark_af;		/* fwmark N inet|inet6; 0: not given */
};

struct vsg_conf {
	char *name;
	struct vsg_entry *entries;
	unsigned n_entries;
};

enum vs_kind { VS_ADDR, VS_FWMARK, VS_GROUP };

struct vs_conf {
	enum vs_kind kind;
	struct inet_addr addr;		/* VS_ADDR */
	uint16_t port;			/* VS_ADDR */
	uint32_t fwmark;		/* VS_FWMARK */
	const struct vsg_conf *group;	/* VS_GROUP, resolved at finish */
	char *group_name;
	unsigned group_index;		/* this VS's index among the VSs using its group */
	sa_family_t af;			/* effective family of the service */
	uint16_t protocol;		/* IPPROTO_TCP/UDP/SCTP; effective UDP; 0 for fwmark */
	char sched[16];			/* effective "wlc" */
	uint32_t flags;			/* IP_VS_SVC_F_* (ops, sched flags); persistent set below */
	uint32_t persistence_timeout_s;	/* 0: not persistent */
	uint32_t granularity;		/* netmask (IPv4, network order as keepalived sends) or
					 * prefix (IPv6); 0: not given (whole address) */
	char pe_name[16];		/* "" : none */
	struct lvs_fwd fwd;		/* the default for its real servers */
	uint64_t delay_loop_us;		/* effective 60 s (MISC's timeout default) */
	unsigned quorum, hysteresis;	/* effective (quorum clamped to the total weight) */
	struct process_cmd *quorum_up, *quorum_down;
	struct ck_script_user quorum_up_as, quorum_down_as;
	bool alpha, omega, inhibit, ha_suspend;
	bool smtp_alert;		/* effective (spec 1.1: default off) */
	char *virtualhost;
	struct rs_conf *sorry;		/* NULL: none */
	bool sorry_inhibit;
	struct rs_conf *rs;
	unsigned n_rs;
	char *str;			/* FMT_VS: "[10.0.0.1]:tcp:80", "FWM 7", "[VSG1]:0" */
	const char *file;
	int line;
};

struct ssl_conf {
	char *password, *ca, *certificate, *key;	/* NULL: none */
	bool configured;		/* an SSL block was given */
};

struct check_conf {
	struct vs_conf *vs;		/* in config order; ignored ones are not here */
	unsigned n_vs;
	struct vsg_conf *vsg;
	unsigned n_vsg;
	struct ssl_conf ssl;
	bool has_checker_config;	/* any virtual_server keyword (keepalived's fork test) */
	bool has_scripts;		/* misc/notify/quorum scripts (-t: check_config_test()) */
};

/*
 * FMT_RS of keepalived: "[10.1.0.1]:tcp:80" (IPv6 "[fe80::1]:tcp:80"), with the
 * protocol of the VS ("none" for fwmark). buf: at least CK_RS_STR_LEN bytes.
 */
#define CK_RS_STR_LEN (INET6_ADDRSTRLEN + 16)
const char *ck_rs_str(const struct vs_conf *vs, const struct inet_addr *a, uint16_t port,
		      char *buf, size_t len);
