/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * keepalived/core/ipvs_ops.c: keepalived's IPVS intents on a backend (spec checker-ipvs.md
 * 3, 4.2, 4.3): what a destination command carries, the SET_DEST -> NEW_DEST retry, which
 * errors count as success, and the "IPVS cmd ..." line with 2.2.7's names, numbers and
 * messages. Timeouts (lvs_timeouts) and the sync daemon (lvs_sync_daemon) too.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/ip_vs.h>

#include "ipvs.h"
#include "log.h"
#include "safe_file.h"

#define IPVS_RECORD_ENV "KEEPALIVED_IPVS_RECORD"
#define IPVS_RECORD_DELAY_ENV "KEEPALIVED_IPVS_RECORD_DELAY_US"

static unsigned rec_delay_us(void)
{
	const char *v = getenv(IPVS_RECORD_DELAY_ENV);
	unsigned long n;
	char *end;

	if (!v || !*v)
		return 0;
	errno = 0;
	n = strtoul(v, &end, 10);
	if (errno || *end || n > 10000000) {
		log_warn("%s: ignoring \"%s\" (µs, at most 10000000)", IPVS_RECORD_DELAY_ENV, v);
		return 0;
	}
	return (unsigned)n;
}

static FILE *rec_file_open(const char *path)
{
	FILE *f;
	int fd, r;

	r = safe_file_open(path, O_WRONLY | O_APPEND, 0600, &fd);
	if (r < 0) {
		log_err("IPVS: cannot open the recording file %s: %s", path, strerror(-r));
		return NULL;
	}
	f = fdopen(fd, "a");
	if (!f) {
		log_err("IPVS: cannot open the recording file %s: %s", path, strerror(errno));
		close(fd);
		return NULL;
	}
	setvbuf(f, NULL, _IOLBF, 0);
	return f;
}

int ipvs_open_backend(bool reload, FILE **rec, struct ipvs_backend **ret)
{
	const char *path = getenv(IPVS_RECORD_ENV);
	int r;

	log_debug(reload ? "Reinitializing ipvs" : "Initializing ipvs");
	*ret = NULL;
	if (!path || !*path) {
		r = ipvs_nl_open(ret);
		if (r < 0)
			*ret = NULL;
		return r < 0 ? r : 0;
	}
	if (!*rec && !(*rec = rec_file_open(path)))
		return 1;
	*ret = ipvs_rec_open(*rec);
	if (!*ret)
		return 1;
	ipvs_rec_set_delay(*ret, rec_delay_us());
	return 0;
}

const char *ipvs_cmd_name(enum ipvs_cmd c)
{
	static const char *const names[IPVS_C__COUNT] = {
		[IPVS_C_NEW_SERVICE] = "NEW_SERVICE", [IPVS_C_SET_SERVICE] = "SET_SERVICE",
		[IPVS_C_DEL_SERVICE] = "DEL_SERVICE", [IPVS_C_NEW_DEST] = "NEW_DEST",
		[IPVS_C_SET_DEST] = "SET_DEST", [IPVS_C_DEL_DEST] = "DEL_DEST",
		[IPVS_C_FLUSH] = "FLUSH", [IPVS_C_SET_CONFIG] = "SET_CONFIG",
		[IPVS_C_NEW_DAEMON] = "NEW_DAEMON", [IPVS_C_DEL_DAEMON] = "DEL_DAEMON",
	};

	return (unsigned)c < IPVS_C__COUNT ? names[c] : "?";
}

/* keepalived's setsockopt-style command of c, and its name */
static int so_cmd(enum ipvs_cmd c)
{
	switch (c) {
	case IPVS_C_NEW_SERVICE: return IP_VS_SO_SET_ADD;
	case IPVS_C_SET_SERVICE: return IP_VS_SO_SET_EDIT;
	case IPVS_C_DEL_SERVICE: return IP_VS_SO_SET_DEL;
	case IPVS_C_NEW_DEST: return IP_VS_SO_SET_ADDDEST;
	case IPVS_C_SET_DEST: return IP_VS_SO_SET_EDITDEST;
	case IPVS_C_DEL_DEST: return IP_VS_SO_SET_DELDEST;
	case IPVS_C_FLUSH: return IP_VS_SO_SET_FLUSH;
	case IPVS_C_SET_CONFIG: return IP_VS_SO_SET_TIMEOUT;
	case IPVS_C_NEW_DAEMON: return IP_VS_SO_SET_STARTDAEMON;
	case IPVS_C_DEL_DAEMON: return IP_VS_SO_SET_STOPDAEMON;
	case IPVS_C__COUNT: break;
	}
	return 0;
}

static const char *so_name(int so)
{
	switch (so) {
	case IP_VS_SO_SET_ADD: return "IP_VS_SO_SET_ADD";
	case IP_VS_SO_SET_EDIT: return "IP_VS_SO_SET_EDIT";
	case IP_VS_SO_SET_DEL: return "IP_VS_SO_SET_DEL";
	case IP_VS_SO_SET_FLUSH: return "IP_VS_SO_SET_FLUSH";
	case IP_VS_SO_SET_ADDDEST: return "IP_VS_SO_SET_ADDDEST";
	case IP_VS_SO_SET_DELDEST: return "IP_VS_SO_SET_DELDEST";
	case IP_VS_SO_SET_EDITDEST: return "IP_VS_SO_SET_EDITDEST";
	case IP_VS_SO_SET_TIMEOUT: return "IP_VS_SO_SET_TIMEOUT";
	case IP_VS_SO_SET_STARTDAEMON: return "IP_VS_SO_SET_STARTDAEMON";
	case IP_VS_SO_SET_STOPDAEMON: return "IP_VS_SO_SET_STOPDAEMON";
	}
	return "(unknown)";
}

/*
 * libnl turns the kernel's errno into its own code (nl_syserr2nlerr) and libipvs turns that
 * back (nlerr2syserr); what 2.2.7 sees is the round trip: ESRCH comes back as ENOENT, and
 * anything libnl does not know as 1 (EPERM).
 */
int ipvs_ka_errno(int kernel_err)
{
	int e = kernel_err < 0 ? -kernel_err : kernel_err;

	switch (e) {
	case 0:
		return 0;
	case EBADF:
	case ENOTSOCK:
		return EBADF;
	case EADDRINUSE:
	case EEXIST:
		return EEXIST;
	case ESRCH:
	case ENOENT:
		return ENOENT;
	case ENOPROTOOPT:
	case EFAULT:
	case EINVAL:
		return EINVAL;
	case ENOBUFS:
	case ENOMEM:
		return ENOMEM;
	case EADDRNOTAVAIL:
	case EINTR:
	case EAGAIN:
	case EACCES:
	case EAFNOSUPPORT:
	case EPROTONOSUPPORT:
	case EOPNOTSUPP:
	case EPERM:
	case EBUSY:
	case ERANGE:
	case ENODEV:
		return e;
	}
	return EPERM;
}

const char *ipvs_strerror(enum ipvs_cmd c, int err)
{
	/* libipvs's table: a command-specific line first, then the general ones */
	static const struct {
		int c;			/* -1: any command */
		int err;
		const char *msg;
	} tab[] = {
		{ IPVS_C_NEW_SERVICE, EEXIST, "Service already exists" },
		{ IPVS_C_NEW_SERVICE, ENOENT, "Scheduler or persistence engine not found" },
		{ IPVS_C_SET_SERVICE, ENOENT, "Scheduler or persistence engine not found" },
		{ IPVS_C_NEW_DEST, EEXIST, "Destination already exists" },
		{ IPVS_C_SET_DEST, ENOENT, "No such destination" },
		{ IPVS_C_DEL_DEST, ENOENT, "No such destination" },
		{ IPVS_C_NEW_DAEMON, EEXIST, "Daemon has already run" },
		{ IPVS_C_DEL_DAEMON, ESRCH, "No daemon is running" },
		{ -1, ESRCH, "No such service" },
		{ -1, EPERM, "Permission denied (you must be root)" },
		{ -1, EINVAL, "Invalid operation.  Possibly wrong module version, address not unicast, ..." },
		{ -1, ENOPROTOOPT, "Protocol not available" },
		{ -1, ENOMEM, "Memory allocation problem" },
		{ -1, EOPNOTSUPP, "Operation not supported with IPv6" },
		{ -1, EAFNOSUPPORT, "Operation not supported with specified address family" },
		{ -1, EMSGSIZE, "Module is wrong version" },
	};

	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if ((tab[i].c < 0 || tab[i].c == (int)c) && tab[i].err == err)
			return tab[i].msg;
	return strerror(err);
}

static void addr_str(uint16_t af, const union ipvs_addr *a, char *buf, size_t len)
{
	if (!inet_ntop(af == AF_INET6 ? AF_INET6 : AF_INET, a, buf, (socklen_t)len))
		snprintf(buf, len, "?");
}

/* " (10.0.0.1:tcp:80)", " (Fwm 7 inet6)", with " -> 10.1.0.1:80" for a destination */
static void cmd_suffix(char *buf, size_t len, const struct ipvs_svc *s, const struct ipvs_dest *d)
{
	char a[INET6_ADDRSTRLEN], proto[12];
	size_t n;

	buf[0] = '\0';
	if (!s)
		return;
	if (s->fwmark) {
		n = (size_t)snprintf(buf, len, " (Fwm %" PRIu32 "%s", s->fwmark,
				     s->af == AF_INET6 ? " inet6" : "");
	} else {
		addr_str(s->af, &s->addr, a, sizeof(a));
		if (s->protocol == IPPROTO_TCP)
			snprintf(proto, sizeof(proto), "tcp");
		else if (s->protocol == IPPROTO_UDP)
			snprintf(proto, sizeof(proto), "udp");
		else if (s->protocol == IPPROTO_SCTP)
			snprintf(proto, sizeof(proto), "sctp");
		else
			snprintf(proto, sizeof(proto), "%d", s->protocol);
		n = (size_t)snprintf(buf, len, " (%s:%s:%d", a, proto, s->port);
	}
	if (d && n < len) {
		addr_str(d->af, &d->addr, a, sizeof(a));
		n += (size_t)snprintf(buf + n, len - n, " -> %s:%d", a, d->port);
	}
	if (n < len)
		snprintf(buf + n, len - n, ")");
}

/* After each command the backend answered: its owner's progress hook (a heartbeat). */
static int answered(struct ipvs_backend *b, int r)
{
	if (b->progress)
		b->progress(b->progress_arg);
	return r;
}

static int send_cmd(struct ipvs_backend *b, enum ipvs_cmd c, const struct ipvs_svc *s,
		    const struct ipvs_dest *d, const struct ipvs_daemon *dm)
{
	switch (c) {
	case IPVS_C_NEW_SERVICE:
	case IPVS_C_SET_SERVICE:
	case IPVS_C_DEL_SERVICE:
		return answered(b, b->svc(b, c, s));
	case IPVS_C_NEW_DEST:
	case IPVS_C_SET_DEST:
	case IPVS_C_DEL_DEST:
		return answered(b, b->dest(b, c, s, d));
	case IPVS_C_FLUSH:
		return answered(b, b->flush(b));
	case IPVS_C_NEW_DAEMON:
	case IPVS_C_DEL_DAEMON:
		return answered(b, b->daemon(b, c, dm));
	case IPVS_C_SET_CONFIG:
	case IPVS_C__COUNT:
		break;
	}
	return -EINVAL;
}

/* What keepalived does with a refused command r (< 0): retry, tolerate, log. */
static int refused(struct ipvs_backend *b, enum ipvs_cmd c, const struct ipvs_svc *s,
		   const struct ipvs_dest *d, const struct ipvs_daemon *dm, int r)
{
	char suffix[2 * INET6_ADDRSTRLEN + 48];
	int err, ret;

	if (c == IPVS_C_SET_DEST && ipvs_ka_errno(r) == ENOENT) {
		c = IPVS_C_NEW_DEST;
		r = send_cmd(b, c, s, d, dm);
		if (r >= 0)
			return 0;
	}
	err = ipvs_ka_errno(r);
	ret = -err;
	if (err == EEXIST && (c == IPVS_C_NEW_SERVICE || c == IPVS_C_NEW_DEST))
		ret = 0;
	else if (err == ENOENT && (c == IPVS_C_DEL_SERVICE || c == IPVS_C_DEL_DEST))
		ret = 0;
	/* s and d are NULL for FLUSH and the daemon: no suffix */
	cmd_suffix(suffix, sizeof(suffix), s, d);
	log_info("IPVS cmd %s(%d) error: %s(%d)%s", so_name(so_cmd(c)), so_cmd(c),
		 ipvs_strerror(c, err), err, suffix);
	return ret;
}

/* a queued command the kernel refused (the backend calls it when the answer comes) */
static void batch_failed(struct ipvs_backend *b, enum ipvs_cmd c, const struct ipvs_svc *s,
			 const struct ipvs_dest *d, int err)
{
	refused(b, c, s, d, NULL, err);
}

static bool queueable(enum ipvs_cmd c)
{
	return c == IPVS_C_NEW_SERVICE || c == IPVS_C_SET_SERVICE || c == IPVS_C_DEL_SERVICE ||
	       c == IPVS_C_NEW_DEST || c == IPVS_C_SET_DEST || c == IPVS_C_DEL_DEST;
}

/* keepalived's ipvs_talk(): send, retry, tolerate, log */
static int talk(struct ipvs_backend *b, enum ipvs_cmd c, const struct ipvs_svc *s,
		const struct ipvs_dest *d, const struct ipvs_daemon *dm, bool ignore_error)
{
	int r;

	if (!b)
		return 0;
	if (b->batch_depth && b->queue && queueable(c)) {
		b->failed = batch_failed;
		if (b->queue(b, c, s, d) == 0)
			return 0;
	} else if (b->batch_depth && b->flush_queue) {
		/* in order: what is queued goes before this one */
		b->flush_queue(b);
	}
	r = send_cmd(b, c, s, d, dm);
	if (r >= 0 || ignore_error)
		return 0;
	return refused(b, c, s, d, dm, r);
}

void ipvs_batch_begin(struct ipvs_backend *b)
{
	if (b)
		b->batch_depth++;
}

void ipvs_batch_flush(struct ipvs_backend *b)
{
	if (b && b->flush_queue) {
		b->failed = batch_failed;
		b->flush_queue(b);
	}
}

void ipvs_batch_end(struct ipvs_backend *b)
{
	if (!b || !b->batch_depth)
		return;
	if (--b->batch_depth == 0)
		ipvs_batch_flush(b);
}

int ipvs_add_service(struct ipvs_backend *b, const struct ipvs_svc *s)
{
	return talk(b, IPVS_C_NEW_SERVICE, s, NULL, NULL, false);
}

int ipvs_edit_service(struct ipvs_backend *b, const struct ipvs_svc *s)
{
	return talk(b, IPVS_C_SET_SERVICE, s, NULL, NULL, false);
}

int ipvs_del_service(struct ipvs_backend *b, const struct ipvs_svc *s)
{
	return talk(b, IPVS_C_DEL_SERVICE, s, NULL, NULL, false);
}

/*
 * What a destination command carries (ipvswrapper.c's srule/drule): the service without
 * persistence (no PERSISTENT flag, timeout 0, no pe, the default netmask) and, for DR and
 * TUN, the destination port forced to the service's (0 for a fwmark service).
 */
static int dest_cmd(struct ipvs_backend *b, enum ipvs_cmd c, const struct ipvs_svc *s,
		    const struct ipvs_dest *d)
{
	struct ipvs_svc ds = *s;
	struct ipvs_dest dd = *d;

	ds.flags &= ~(uint32_t)IP_VS_SVC_F_PERSISTENT;
	ds.timeout_s = 0;
	memset(ds.pe_name, 0, sizeof(ds.pe_name));
	ds.netmask = ds.af == AF_INET6 ? 128 : 0xffffffffU;
	if ((dd.fwd_method & IP_VS_CONN_F_FWD_MASK) != IP_VS_CONN_F_MASQ)
		dd.port = s->fwmark ? 0 : s->port;
	return talk(b, c, &ds, &dd, NULL, false);
}

int ipvs_add_dest(struct ipvs_backend *b, const struct ipvs_svc *s, const struct ipvs_dest *d,
		  bool in_table)
{
	return dest_cmd(b, in_table ? IPVS_C_SET_DEST : IPVS_C_NEW_DEST, s, d);
}

int ipvs_edit_dest(struct ipvs_backend *b, const struct ipvs_svc *s, const struct ipvs_dest *d)
{
	return dest_cmd(b, IPVS_C_SET_DEST, s, d);
}

int ipvs_del_dest(struct ipvs_backend *b, const struct ipvs_svc *s, const struct ipvs_dest *d)
{
	return dest_cmd(b, IPVS_C_DEL_DEST, s, d);
}

int ipvs_flush(struct ipvs_backend *b)
{
	return talk(b, IPVS_C_FLUSH, NULL, NULL, NULL, false);
}

int ipvs_sync_start(struct ipvs_backend *b, const struct ipvs_daemon *d, bool ignore_error)
{
	return talk(b, IPVS_C_NEW_DAEMON, NULL, NULL, d, ignore_error);
}

int ipvs_sync_stop(struct ipvs_backend *b, const struct ipvs_daemon *d, bool ignore_error)
{
	return talk(b, IPVS_C_DEL_DAEMON, NULL, NULL, d, ignore_error);
}

int ipvs_set_timeouts(struct ipvs_backend *b, const struct ipvs_timeouts *t)
{
	struct ipvs_timeouts send;
	int r;

	if (!b || (t && !t->tcp_s && !t->tcpfin_s && !t->udp_s))
		return 0;
	if (!t) {
		/* a reload without lvs_timeouts: the originals back, if they were changed */
		if ((r = ipvs_restore_timeouts(b)) < 0)
			log_info("Failed to set ipvs timeouts");
		return r;
	}
	if (!b->orig_timeouts.tcp_s) {
		struct ipvs_timeouts o;

		if (answered(b, b->get_timeouts(b, &o)) < 0)
			log_info("Failed to get IPVS timeouts");
		else
			b->orig_timeouts = o;
	}
	send.tcp_s = t->tcp_s ? t->tcp_s : b->orig_timeouts.tcp_s;
	send.tcpfin_s = t->tcpfin_s ? t->tcpfin_s : b->orig_timeouts.tcpfin_s;
	send.udp_s = t->udp_s ? t->udp_s : b->orig_timeouts.udp_s;
	if ((r = answered(b, b->set_timeouts(b, &send))) < 0)
		log_info("Failed to set ipvs timeouts");
	return r < 0 ? r : 0;
}

int ipvs_restore_timeouts(struct ipvs_backend *b)
{
	int r;

	if (!b || !b->orig_timeouts.tcp_s)
		return 0;
	r = answered(b, b->set_timeouts(b, &b->orig_timeouts));
	return r < 0 ? r : 0;
}
