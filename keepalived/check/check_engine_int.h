/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/check/check_engine_int.h: the engine's objects, shared by check_engine*.c only. */
#pragma once
#include <stdbool.h>
#include <stdint.h>

#include "check_engine.h"

/* IPVS weights are u32 in the kernel but keepalived keeps them in 0..INT32_MAX */
#define CE_WEIGHT_MAX INT32_MAX

struct ce_rs {
	const struct rs_conf *cf;	/* borrowed: the check_conf owns it */
	struct ce_vs *vs;
	struct ce_ck *ck;
	unsigned n_ck;
	bool alive;			/* counted as up (keepalived's ISALIVE) */
	bool set;			/* in the kernel table */
	bool inhibit;			/* cf->inhibit, cleared for a forced delete */
	bool is_sorry;
	bool reloaded;			/* carried over from the old engine */
	unsigned n_failed;		/* checkers with is_up false */
	int64_t weight;			/* effective: configured + the checkers' cur_weight */
	int64_t prev_weight;		/* reload: the old engine's effective weight */
};

/* alive counters of one virtual_server_group entry, per service kind (ipvswrapper.c) */
enum { CE_GK_TCP, CE_GK_UDP, CE_GK_SCTP, CE_GK_FWM4, CE_GK_FWM6, CE_GK__COUNT };
struct ce_gentry {
	unsigned alive[CE_GK__COUNT];
	bool reloaded;			/* the entry existed before the reload */
};

struct ce_vs {
	const struct vs_conf *cf;	/* borrowed */
	struct ce *e;
	struct ce_rs *rs;
	unsigned n_rs;
	struct ce_rs *sorry;		/* NULL: none */
	bool sorry_dup_rs;		/* the sorry server is also one of the real servers */
	bool alive;			/* the service was added */
	bool quorum_up;
	bool reloaded;
	bool omega;			/* cf->omega; forced on while a reload diffs it */
	unsigned ha_addr_count;		/* ha_suspend: matching local addresses */
	struct ce_gentry *gent;		/* VS_GROUP: the group's counters (shared) */
	struct ce_ck *cks;		/* every real server's checkers; rs[i].ck points in */
};

struct ce_group {
	const struct vsg_conf *cf;
	struct ce_gentry *ent;		/* one per entry */
};

struct ce {
	const struct check_conf *cc;
	struct ipvs_backend *b;		/* NULL: nothing is sent */
	struct ce_hooks h;
	struct ce_vs *vs;
	unsigned n_vs;
	struct ce_group *grp;		/* one per cc->vsg */
	unsigned n_grp;
	bool reload;			/* built to replace an old engine */
};

enum ce_op { CE_OP_ADD, CE_OP_DEL, CE_OP_EDIT };

/* check_engine_ipvs.c: keepalived's ipvs_cmd() and the group helpers */
const char *ce_proto_str(uint16_t proto);	/* "tcp", "udp", "sctp", "none", "?" */
/* keepalived's FMT_RS / inet_sockaddrtotrio: "[10.1.0.1]:tcp:80" */
void ce_fmt_trio(const struct inet_addr *a, uint16_t proto, uint16_t port, char *buf,
		 size_t len);
/* a service command: one, or one per group entry address whose alive counter allows it */
int ce_svc_cmd(struct ce_vs *vs, enum ce_op op);
/* a dest command with keepalived's inhibit rules; updates rs->set (before sending) */
int ce_dest_cmd(struct ce_vs *vs, struct ce_rs *rs, enum ce_op op);
unsigned *ce_gcount(const struct ce_vs *vs, unsigned idx);	/* the entry's alive counter */
void ce_group_sync(struct ce_vs *vs);	/* reload: carried-over servers into new entries */
void ce_group_entry_del(struct ce_vs *vs, unsigned idx);

/* check_engine.c */
void ce_rs_notify(struct ce_vs *vs, struct ce_rs *rs, bool stopping);
void ce_rs_alert(struct ce_vs *vs, struct ce_rs *rs, const char *state, const char *body);
void ce_update_quorum(struct ce_vs *vs, bool init);
void ce_vs_notifies_stop(struct ce_vs *vs, bool stopping);
bool ce_perform_svr_state(struct ce_vs *vs, struct ce_rs *rs, bool alive);
void ce_update_weight(struct ce_vs *vs, struct ce_rs *rs, int64_t weight, bool update_quorum);
void ce_set_checker_state(struct ce_ck *ck, bool up);
void ce_init_vs(struct ce_vs *vs);
void ce_clear_rs(struct ce_vs *vs, struct ce_rs *rs, bool stopping);
void ce_clear_vs(struct ce_vs *vs, bool stopping);
int ce_real_weight(int64_t w);
int64_t ce_rs_weight_sum(const struct ce_rs *rs);

/* check_engine_reload.c */
void ce_reload_diff(struct ce *e, struct ce *old);
