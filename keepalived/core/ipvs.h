/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/core/ipvs.h: the IPVS edge: services, destinations, timeouts, sync daemon. */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <netinet/in.h>

/*
 * Two layers.
 *
 * 1. struct ipvs_backend: raw kernel commands, one generic-netlink message each
 *    (IPVS_CMD_NEW_SERVICE ... with the attributes of spec checker-ipvs.md 4.2,
 *    byte for byte what keepalived 2.2.7 sends). Implementations:
 *      ipvs_nl_open()  libnl-genl-3, the real kernel (ipvs_nl.c)
 *      ipvs_rec_open() records each command as one JSON line and can be told to
 *                      fail (ipvs_rec.c): unit tests, and the daemon on a kernel
 *                      without ip_vs when KEEPALIVED_IPVS_RECORD names a file
 *                      (tests/system reads that file).
 *    Each returns 0 or -errno (the kernel's).
 *
 * 2. ipvs_*() below: keepalived's intents (ipvswrapper.c's), on a backend:
 *    ADD_DEST is NEW_DEST or, for an inhibited server already in the table, SET_DEST;
 *    SET_DEST failing with ENOENT is retried as NEW_DEST; EEXIST on add and ENOENT on
 *    delete count as success but are logged; every failure is logged as
 *    "IPVS cmd %s(%d) error: %s(%d)%s" with keepalived's names and numbers.
 *    The engine calls only these.
 */

union ipvs_addr {
	struct in_addr v4;		/* IPv4 in the first 4 bytes of the 16 */
	struct in6_addr v6;
};

struct ipvs_svc {
	uint16_t af;			/* AF_INET, AF_INET6 */
	uint16_t protocol;		/* IPPROTO_*; 0 with a fwmark */
	union ipvs_addr addr;
	uint16_t port;			/* host order */
	uint32_t fwmark;		/* non-zero: a fwmark service (no protocol/addr/port) */
	char sched_name[16];
	char pe_name[16];		/* "": attribute not sent */
	uint32_t flags;			/* IP_VS_SVC_F_*; PERSISTENT only in service commands */
	uint32_t timeout_s;		/* persistence; 0 in dest commands */
	uint32_t netmask;		/* 0xffffffff (IPv4) / 128 (IPv6) unless granularity */
};

struct ipvs_dest {
	uint16_t af;
	union ipvs_addr addr;
	uint16_t port;			/* host order */
	uint32_t fwd_method;		/* IP_VS_CONN_F_MASQ 0, TUNNEL 2, DROUTE 3 */
	int32_t weight;
	uint8_t tun_type;		/* TUN only */
	uint16_t tun_port;		/* host order, GUE only */
	uint16_t tun_flags;
	uint32_t u_thresh, l_thresh;
};

struct ipvs_timeouts {
	uint32_t tcp_s, tcpfin_s, udp_s;	/* 0: leave as is */
};

struct ipvs_daemon {
	int state;			/* IP_VS_STATE_MASTER 1, IP_VS_STATE_BACKUP 2 */
	char mcast_ifn[16];
	int syncid;
	uint16_t sync_maxlen;		/* 0: not sent */
	uint16_t mcast_port;		/* host order (sent so); 0: not sent */
	uint8_t mcast_ttl;		/* 0: not sent */
	uint16_t mcast_af;		/* 0: no group sent */
	union ipvs_addr mcast_group;
};

enum ipvs_cmd {
	IPVS_C_NEW_SERVICE, IPVS_C_SET_SERVICE, IPVS_C_DEL_SERVICE,
	IPVS_C_NEW_DEST, IPVS_C_SET_DEST, IPVS_C_DEL_DEST,
	IPVS_C_FLUSH, IPVS_C_SET_CONFIG, IPVS_C_NEW_DAEMON, IPVS_C_DEL_DAEMON,
	IPVS_C__COUNT
};
const char *ipvs_cmd_name(enum ipvs_cmd c);	/* "NEW_SERVICE" ... */

struct ipvs_backend {
	int (*svc)(struct ipvs_backend *b, enum ipvs_cmd c, const struct ipvs_svc *s);
	int (*dest)(struct ipvs_backend *b, enum ipvs_cmd c, const struct ipvs_svc *s,
		    const struct ipvs_dest *d);
	int (*flush)(struct ipvs_backend *b);
	int (*get_timeouts)(struct ipvs_backend *b, struct ipvs_timeouts *out);
	int (*set_timeouts)(struct ipvs_backend *b, const struct ipvs_timeouts *t);
	int (*daemon)(struct ipvs_backend *b, enum ipvs_cmd c, const struct ipvs_daemon *d);
	void (*close)(struct ipvs_backend *b);
	/* layer 2's state (zero at open): the kernel's timeouts before lvs_timeouts changed them */
	struct ipvs_timeouts orig_timeouts;	/* tcp_s 0: not read yet */
	/*
	 * Progress hook (zero at open; the owner sets it): layer 2 calls it after every
	 * command the backend answered. A burst of thousands of commands (start-up, reload)
	 * is synchronous; the checker child proves it is alive meanwhile (its heartbeat)
	 * without this code depending on the child runtime. Must be cheap.
	 */
	void (*progress)(void *arg);
	void *progress_arg;
	/*
	 * Batching (optional; the netlink backend has it): queue() takes a service or
	 * destination command to be sent later with others (several messages per sendmsg,
	 * one ACK at the end of each send), and returns 0, or < 0 if it could not queue it
	 * (the caller then sends it alone). Before queue() returns, or at flush_queue(),
	 * the backend sends what it holds and calls failed() once for each command the
	 * kernel refused, in order, with the kernel's -errno (layer 2 sets failed; it may
	 * send commands of its own from there, synchronously). flush_queue(): send
	 * everything queued and wait for the kernel's answers; 0 or -errno of the socket.
	 */
	int (*queue)(struct ipvs_backend *b, enum ipvs_cmd c, const struct ipvs_svc *s,
		     const struct ipvs_dest *d);
	int (*flush_queue)(struct ipvs_backend *b);
	void (*failed)(struct ipvs_backend *b, enum ipvs_cmd c, const struct ipvs_svc *s,
		       const struct ipvs_dest *d, int err);
	unsigned batch_depth;		/* layer 2's: inside ipvs_batch_begin() */
};

/* libnl-genl: 0, or -errno (-ENOENT/-EPROTONOSUPPORT: no IPVS family in this kernel). */
int ipvs_nl_open(struct ipvs_backend **ret);
/*
 * A child's backend (ipvs_ops.c): the kernel's, or, when the environment variable
 * KEEPALIVED_IPVS_RECORD names a file (tests on a kernel without ip_vs), the recorder
 * appending to that file, each command slowed by KEEPALIVED_IPVS_RECORD_DELAY_US.
 * *rec keeps the file open across reloads (the caller fcloses it at exit); it is opened
 * as the log file is (safe_file_open: never through a symlink or another user's file).
 * Logs "Initializing ipvs" / "Reinitializing ipvs" at debug. Returns 0 with *ret set;
 * -errno from the kernel with *ret NULL (the caller says that IPVS is not available);
 * 1 with *ret NULL when the recording file could not be opened (logged here).
 */
int ipvs_open_backend(bool reload, FILE **rec, struct ipvs_backend **ret);
/*
 * Recording: one JSON object per command, one line each, flushed, to out (owned by
 * the caller; NULL: no lines, the table only): {"cmd":"NEW_DEST","svc":{...},"dest":{...}}
 * with the fields above under their names (addresses as text, numbers as in the structs,
 * ports in host order). "cmd" is ipvs_cmd_name() or "GET_CONFIG"; SET_CONFIG carries
 * "timeouts", NEW/DEL_DAEMON "daemon"; a failed command adds "err":<positive errno>.
 * ipvs_rec_fail() makes the next command of type c fail with -err once (tests of the
 * error paths).
 */
struct ipvs_backend *ipvs_rec_open(FILE *out);
void ipvs_rec_fail(struct ipvs_backend *b, enum ipvs_cmd c, int err);
/*
 * Tests only: every command (GET_CONFIG included) then takes delay_us more, as on a
 * slow kernel (the daemon: KEEPALIVED_IPVS_RECORD_DELAY_US). 0: none (the default).
 */
void ipvs_rec_set_delay(struct ipvs_backend *b, unsigned delay_us);
/*
 * The recorder also keeps the table the kernel would have (services, destinations,
 * timeouts, sync daemons) and answers like the kernel would (-EEXIST for a service or
 * destination already there, -ESRCH for a missing service, -ENOENT for a missing
 * destination; such a line carries "err":N). ipvs_rec_dump_table() prints that table
 * like `ipvsadm -Ln` (without its "IP Virtual Server version" line).
 */
void ipvs_rec_dump_table(struct ipvs_backend *b, FILE *f);

/* --- layer 2: what the engine calls (ipvs_ops.c) --- */
int ipvs_add_service(struct ipvs_backend *b, const struct ipvs_svc *s);
int ipvs_edit_service(struct ipvs_backend *b, const struct ipvs_svc *s);
int ipvs_del_service(struct ipvs_backend *b, const struct ipvs_svc *s);
/*
 * Destination commands send the service without persistence (no PERSISTENT flag, timeout
 * 0, no pe, the default netmask) and, for DR/TUN, the destination port forced to the
 * service's (0 with a fwmark), as 2.2.7 does: pass the service and server as configured.
 * in_table: the destination is in the kernel already (inhibited: SET_DEST instead)
 */
int ipvs_add_dest(struct ipvs_backend *b, const struct ipvs_svc *s, const struct ipvs_dest *d,
		  bool in_table);
int ipvs_edit_dest(struct ipvs_backend *b, const struct ipvs_svc *s, const struct ipvs_dest *d);
int ipvs_del_dest(struct ipvs_backend *b, const struct ipvs_svc *s, const struct ipvs_dest *d);
int ipvs_flush(struct ipvs_backend *b);

/*
 * Between ipvs_batch_begin() and ipvs_batch_end() (they nest), service and destination
 * commands go to the backend's queue when it has one: programming thousands of servers
 * costs a few sendmsg instead of one round trip each. Their calls then return 0 at
 * once; a command the kernel refuses is handled when its answer comes (at the latest at
 * ipvs_batch_flush()/end): the same tolerance, SET_DEST -> NEW_DEST retry and "IPVS cmd
 * ..." line as unbatched, but that line comes after the lines logged meanwhile. The
 * caller flushes before anything whose order against those lines matters.
 * A backend without a queue (the recorder) sends each command at once, as without batch.
 */
void ipvs_batch_begin(struct ipvs_backend *b);
void ipvs_batch_flush(struct ipvs_backend *b);
void ipvs_batch_end(struct ipvs_backend *b);

/*
 * Sync daemon (lvs_sync_daemon): one NEW_DAEMON / DEL_DAEMON for d->state (MASTER or
 * BACKUP). ignore_error: no error line and 0. Failures: "IPVS cmd
 * IP_VS_SO_SET_STARTDAEMON(1163) error: ..." etc. DEL_DAEMON sends state and syncid only.
 * 2.2.7's checker stops both states with no config (syncid 0, errors ignored) before it
 * starts them and at exit (check_daemon.c:172, 376); the VRRP child's transitions stop
 * and start with the configured values, errors logged (ipvswrapper.c:970-983).
 */
int ipvs_sync_start(struct ipvs_backend *b, const struct ipvs_daemon *d, bool ignore_error);
int ipvs_sync_stop(struct ipvs_backend *b, const struct ipvs_daemon *d, bool ignore_error);
/*
 * lvs_timeouts: nothing when all three are 0; else the kernel's timeouts are read once
 * (GET_CONFIG; "Failed to get IPVS timeouts") and SET_CONFIG sends all three, 0 replaced
 * by the original ("Failed to set ipvs timeouts"). t NULL (2.2.7 on a reload without
 * lvs_timeouts): ipvs_restore_timeouts(), failure logged the same way.
 * ipvs_restore_timeouts(): the originals back, nothing if never changed, no log (stop).
 */
int ipvs_set_timeouts(struct ipvs_backend *b, const struct ipvs_timeouts *t);
int ipvs_restore_timeouts(struct ipvs_backend *b);

/*
 * keepalived's view of a kernel error: libnl maps it (ESRCH -> ENOENT, unknown ones to
 * EPERM), so 2.2.7 logs and tolerates the mapped value. The layer-2 calls return it.
 */
int ipvs_ka_errno(int kernel_err);
/* libipvs's message for err after command c (ipvs_strerror), else strerror(err);
 * c = IPVS_C__COUNT: no command (only the general messages) */
const char *ipvs_strerror(enum ipvs_cmd c, int err);
