/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/vrrp/vrrp_conf.h: the VRRP subsystem's configuration (instances, scripts, sync groups). */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>
#include "parser.h"
#include "utils.h"
#include "vrrp_ipaddr.h"

struct cfg_map;
struct vc_routes;

/*
 * Every VRRP keyword of keepalived.conf is accepted here with its argument
 * count checked; the fields the VRRP child acts on are stored, typed and
 * validated. The parser fills a struct vrrp_conf through vrrp_root_kws;
 * vrrp_conf_finish() checks references between objects (sync group members,
 * track_script names) and fills derived fields after the whole parse.
 *
 * The model is immutable once loaded: the runtime (vrrp_inst.c) borrows it.
 * "Unset" values (-1, 0 family) mean "global_defs' default", applied by the runtime.
 */
extern const struct cfg_kw vrrp_root_kws[];

/*
 * Where a name was written, for errors found after the parse. file is one copy per
 * file name, owned by struct vrrp_conf (vrrp_conf.strs).
 */
struct vc_ref {
	char *name;
	const char *file;
	int line;
	int col;			/* of the name */
};

/* Where a value was written, for checks after the parse (file as in struct vc_ref). */
struct vc_at {
	const char *file;
	int line, col;
};

/* Free-form lines kept as their words, normalised (for the dump). */
struct vc_lines {
	char **v;
	unsigned n;
};

enum vc_state { VC_STATE_BACKUP, VC_STATE_MASTER };
enum vc_auth { VC_AUTH_NONE, VC_AUTH_PASS, VC_AUTH_AH };

/* A command to run, with its optional user and group (names; resolved when run). */
struct vc_cmd {
	char *cmd;			/* NULL: none */
	char *user;
	char *group;
	struct vc_at at;		/* the command's word */
};

struct vc_peer {
	struct inet_addr addr;
	int min_ttl, max_ttl;		/* -1: not checked */
};

struct vc_track_if {
	char *name;
	int weight;			/* 0: a failure means FAULT */
	bool reverse;
	struct vc_at at;		/* the name's word */
};

struct vc_track_script {
	struct vc_ref ref;		/* the vrrp_script's name */
	int weight;
	bool has_weight;		/* else the script's own weight */
	bool reverse;			/* "reverse"; "noreverse" clears the script's */
	bool has_reverse;
	int script;			/* index in vrrp_conf.scripts, after finish */
};

/*
 * A tracked file (a global_defs track_file block) or process (a vrrp_track_process block),
 * by name, with the weight and reverse in effect (the block's unless the line gives them).
 */
struct vc_track_ref {
	struct vc_ref ref;
	int weight;			/* -254..254; 0: a failure means FAULT */
	bool reverse;
};

/* vrrp_track_process NAME { ... } (vrrp_conf_track.c) */
struct vc_tproc {
	struct vc_ref id;
	bool is_dup;			/* keepalived finds the first of two with one name */
	char *process;			/* NULL: none given (the block is dropped) */
	char *params;			/* the words after the name, each NUL-terminated; NULL: none */
	size_t params_len;
	int param_match;		/* enum track_proc_params */
	bool full_command;
	int weight;			/* -254..254, default 0 */
	bool reverse;
	unsigned quorum, quorum_max;	/* 1, UINT_MAX; quorum_max 0: "must not run" */
	uint64_t fork_delay_us, terminate_delay_us;
};

/*
 * The fields of an instance that a typical configuration leaves unset: allocated
 * on the first one given. Read them through vc_more(), never through vi->more.
 */
struct vc_more {
	struct inet_addr unicast_src;	/* family 0: none */
	struct inet_addr mcast_src;	/* family 0: none */
	struct inet_addr mcast_dst;	/* family 0: the protocol's group */
	struct vc_peer *peers;
	unsigned n_peers;
	int unicast_ttl;		/* -1: 255 */
	struct vc_track_if *track_ifs;
	unsigned n_track_ifs;
	struct vc_track_script *track_scripts;
	unsigned n_track_scripts;
	struct vc_cmd notify_master, notify_backup, notify_fault, notify_stop, notify;
	struct vc_cmd notify_master_rx_lower_pri;
	/* -1: global_defs' value */
	int64_t garp_master_delay_us, garp_master_refresh_us, garp_lower_prio_delay_us;
	int garp_master_repeat, garp_master_refresh_repeat, garp_lower_prio_repeat;
	signed char skip_check_adv_addr, lower_prio_no_advert, higher_prio_send_advert;
	signed char notify_priority_changes, owner_ignore_adverts;
	uint8_t down_timer_adverts;	/* 1..100; 0: global_defs' */
	bool check_unicast_src;		/* or global_defs' (our receive path checks always) */
	char auth_pass[9];		/* NUL-terminated; keepalived uses at most 8 bytes */
	/* VMAC (vrrp_vmac.c): use_vmac's arguments */
	char *vmac_ifname;		/* NULL: <vmac_prefix>.<VRID> */
	uint8_t vmac_mac[6];
	bool has_vmac_mac;		/* else 00:00:5e:00:01|02:VRID */
	bool vmac_mac_vrid;		/* five octets given: the VRID is the sixth */
	bool use_vmac_addr;		/* VIPs on other interfaces get VMACs there too */
	/* track_file / track_process (issue 14, track): references by name */
	struct vc_track_ref *track_files;
	unsigned n_track_files;
	struct vc_track_ref *track_procs;
	unsigned n_track_procs;
	/* routes: virtual_routes, virtual_rules (vrrp_route_conf.h); NULL: none */
	struct vc_routes *routes;
	/* notify (vrrp_notify.c) */
	signed char smtp_alert;		/* -1: smtp_alert_vrrp, else smtp_alert, else off */
	bool notify_deleted_set;	/* notify_deleted [SCRIPT]: DELETED, not FAULT, at removal */
	struct vc_cmd notify_deleted;
	/* misc (issue 14 item 8) */
	bool promote_secondaries;
	bool use_ipvlan;		/* an instance that stays in FAULT: no ipvlan here */
	uint8_t old_unicast_csum;	/* enum vc_old_csum */
	bool has_garp_extra_if;		/* garp_extra_if written (else global_defs') */
	bool garp_extra_if_all;
	unsigned garp_extra_if_s;	/* 0: off */
	bool track_src_ip;		/* FAULT while the configured source address is missing */
	unsigned kernel_rx_buf_size;	/* bytes this instance adds to its socket's SO_RCVBUF; 0: none */
	const char *lvs_sync_if;	/* lvs_sync_daemon_interface (deprecated); interned */
	bool has_v3_csum_as_v2, v3_csum_as_v2;	/* v3_checksum_as_v2 (else global_defs') */
	/* conflict (issue 15 item 4): notify_conflict, ours (vrrp_conflict.h) */
	struct vc_cmd notify_conflict;
};

/* interface_up_down_delays: one line */
struct vc_if_delay {
	const char *ifname;		/* one copy per name, owned by vrrp_conf */
	uint64_t down_us, up_us;	/* 0..255 s; up 0 when not written (2.2.7) */
};

/* garp_group: its interfaces share one pacing of GARPs (garp_interval) and NAs */
struct vc_garp_group {
	uint64_t garp_us, gna_us;	/* 0: no spacing */
	bool has_garp, has_gna;		/* neither: the group is removed (2.2.7) */
	const char **ifnames;		/* interned: owned by vrrp_conf */
	unsigned n_ifnames;
};

/* old_unicast_checksum (VRRPv3, IPv4, unicast): keepalived 2.2.7's modes */
enum vc_old_csum {
	VC_OLD_CSUM_AUTO,		/* not written: switch to the old one on receiving one */
	VC_OLD_CSUM_NEVER,		/* "never": RFC checksums only */
	VC_OLD_CSUM_ON,			/* written alone: the old one from the start */
};

struct vc_instance {
	struct vc_ref id;		/* name (stored after the struct) and where vrrp_instance was written */
	const char *interface;		/* one copy per name, owned by vrrp_conf; NULL: none */
	struct vrrp_ipaddr *vip_ia;	/* n_vips parsed lines; ifname "" unless dev was given */
	struct vrrp_ipaddr *evip_ia;	/* n_evips: virtual_ipaddress_excluded */
	struct vc_more *more;		/* NULL: every field at its default; see vc_more() */
	unsigned index;			/* in vrrp_conf.insts */
	unsigned n_vips, n_evips;
	int sync_group;			/* index in vrrp_conf.groups, -1: none (after finish) */
	uint32_t advert_int_us;		/* 10 ms .. 255 s */
	uint32_t preempt_delay_us;	/* 0 .. 1000 s */
	uint8_t vrid;			/* 0: not set */
	uint8_t priority;		/* 1 .. 255 */
	uint8_t version;		/* 0: global vrrp_version */
	uint8_t state;			/* enum vc_state */
	uint8_t auth_type;		/* enum vc_auth */
	sa_family_t family;		/* after finish: AF_INET or AF_INET6 (from the first VIP) */
	bool is_dup : 1;		/* a second definition: reported, left out of checks */
	/* which keywords were written (keepalived derives state and priority from each other) */
	bool has_state : 1, has_priority : 1, has_vrid : 1;
	bool has_vip_lines : 1;		/* virtual_ipaddress lines, refused ones too */
	bool unicast_fault_no_peer : 1;
	bool use_vmac : 1, vmac_xmit_base : 1;	/* VMAC (vrrp_vmac.c) */
	bool native_ipv6 : 1;
	bool no_vips : 1;		/* no_virtual_ipaddress */
	bool nopreempt : 1;
	bool dont_track_primary : 1;
	bool accept : 1;		/* accept / no_accept: only meaningful with vrrp_strict */
	/* vrrp_strict and accept mode (vrrp_eff.c, vrrp_nft.c) */
	bool has_accept : 1;		/* accept or no_accept written (else: !strict, or owner) */
	bool has_strict_mode : 1, strict_mode : 1;	/* strict_mode [BOOL]; else vrrp_strict */
	char name[];			/* id.name points here */
};

/* The defaults of struct vc_more: what vc_more() returns for an instance without one. */
extern const struct vc_more vc_more_default;
static inline const struct vc_more *vc_more(const struct vc_instance *vi)
{
	return vi->more ? vi->more : &vc_more_default;
}

/*
 * keepalived 2.2.7 derives priority and state from each other when only one is written:
 * state MASTER alone means priority 255 (the address owner), priority 255 alone means
 * state MASTER; neither is priority 100, BACKUP.
 */
#define VC_PRIO_OWNER 255
#define VC_PRIO_DEFAULT 100
static inline uint8_t vc_priority(const struct vc_instance *vi)
{
	if (vi->has_priority)
		return vi->priority;
	return vi->has_state && vi->state == VC_STATE_MASTER ? VC_PRIO_OWNER : VC_PRIO_DEFAULT;
}

static inline bool vc_init_master(const struct vc_instance *vi)
{
	return vi->has_state ? vi->state == VC_STATE_MASTER : vc_priority(vi) == VC_PRIO_OWNER;
}

struct vc_script {
	struct vc_ref id;
	unsigned index;			/* in vrrp_conf.scripts */
	bool is_dup;			/* keepalived keeps the first definition */
	char *script;
	struct vc_at script_at;		/* the script's word */
	uint64_t interval_us;
	uint64_t timeout_us;		/* 0: the interval */
	int weight;
	bool weight_reverse;
	unsigned rise, fall;		/* consecutive results to change state; default 1 */
	char *user, *group;		/* NULL: script_user */
	bool init_fail;
};

struct vc_group {
	struct vc_ref id;
	bool is_dup;
	bool has_group;			/* the group { } block was seen */
	struct vc_ref *members;		/* as written; the valid ones are instances' sync_group */
	unsigned n_members;
	unsigned n_valid;		/* members that are this group's (after finish) */
	struct vc_track_script *track_scripts;	/* applied to every member */
	unsigned n_track_scripts;
	struct vc_lines track_script_lines;
	struct vc_track_if *track_ifs;	/* applied to every member */
	unsigned n_track_ifs;
	struct vc_lines track_if_lines;
	bool tracking_weight;		/* sync_group_tracking_weight (or global_tracking) */
	signed char smtp_alert;		/* -1: smtp_alert_vrrp / smtp_alert */
	struct vc_cmd notify_master, notify_backup, notify_fault, notify_stop, notify;
	/* track_file / track_process (issue 14, track): applied to every member */
	struct vc_track_ref *track_files;
	unsigned n_track_files;
	struct vc_track_ref *track_procs;
	unsigned n_track_procs;
	/* notify FIFOs (vrrp_notify.c) */
	signed char notify_priority_changes;	/* -1: the members' own, else global_defs' */
};

struct vrrp_conf {
	struct vc_instance **insts;
	unsigned n_insts;
	struct vc_script **scripts;
	unsigned n_scripts;
	struct vc_group **groups;
	unsigned n_groups;
	struct vc_lines static_addrs;
	struct vc_lines static_routes;
	struct cfg_map *names;		/* instance, script and group names; NULL after finish */
	char **strs;			/* file and interface names, one copy of each */
	unsigned n_strs;
	/* vrrp_track_process blocks (issue 14, track) */
	struct vc_tproc **tprocs;
	unsigned n_tprocs;
	/* routes: static_ipaddress/routes/rules, track_group (vrrp_route_conf.h); NULL: none */
	struct vc_routes *statics;
	/* misc (issue 14 item 8): interface_up_down_delays, garp_group */
	struct vc_if_delay *if_delays;
	unsigned n_if_delays;
	struct vc_garp_group **garp_groups;	/* one allocation each (the parser fills them) */
	unsigned n_garp_groups;
};

void *vrrp_conf_new(void);
void vrrp_conf_free(void *conf);		/* NULL is fine */
int vrrp_conf_finish(struct cfg *c, void *conf);
/* At where r was written (its name's column); sev may be CFG_SEV_MISTAKE. */
void vc_report(struct cfg *c, enum cfg_sev sev, const struct vc_ref *r, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/*
 * An instance's settings together, after the parse (vrrp_conf_check.c): what keepalived
 * 2.2.7 corrects or ignores, reported as mistakes (its -t fails on them).
 */
void vrrp_conf_check_instance(struct cfg *c, const struct vrrp_conf *vc,
			      const struct vc_instance *vi);
/* The same for a sync group and its members, once they are known. */
void vrrp_conf_check_group(struct cfg *c, const struct vrrp_conf *vc, const struct vc_group *g);
/* True when there is something for the VRRP child to do: an instance or a static address/route. */
bool vrrp_conf_has_work(const void *conf);
/* The stored fields as keepalived.conf text that parses again to the same dump. */
void vrrp_conf_dump(const void *conf, FILE *f);
unsigned vrrp_conf_n_instances(const void *conf);
/* An instance's notify commands, in the order keepalived runs them for a state. */
enum vc_notify {
	VC_NOTIFY_MASTER, VC_NOTIFY_BACKUP, VC_NOTIFY_FAULT, VC_NOTIFY_STOP,
	VC_NOTIFY_ANY,			/* "notify": every state, with arguments */
	VC_NOTIFY_RX_LOWER,		/* notify_master_rx_lower_pri */
	VC_NOTIFY_DELETED,		/* notify_deleted's script: a reload removed the instance */
	VC_NOTIFY_CONFLICT,		/* notify_conflict (ours): a conflict started or ended */
	VC_NOTIFY__COUNT
};
const struct vc_cmd *vc_notify_cmd(const struct vc_instance *vi, enum vc_notify n);
/* Does an instance track vrrp_script number idx? */
bool vrrp_conf_script_used(const struct vrrp_conf *vc, unsigned idx);

/* One object's dump (a reload compares them to find what changed). */
void vrrp_conf_dump_instance(FILE *f, const struct vc_instance *vi);
void vrrp_conf_dump_script(FILE *f, const struct vc_script *vs);
/* The instance named name (not a duplicate), or NULL. */
const struct vc_instance *vrrp_conf_find(const struct vrrp_conf *vc, const char *name);
