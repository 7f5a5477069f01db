/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/core/ctl.h: what the live status plane (control socket, metrics) asks a child. */
#pragma once

/*
 * The parent's control socket (`keepalived --status`) and its metrics listener ask each
 * running child for its part of an answer; the child renders it from its runtime state
 * with struct ka_module's ctl_render, in its own loop, and the parent joins the parts.
 */
enum ka_ctl_req {
	KA_CTL_STATUS_TEXT = 1,	/* the human table of `keepalived --status` */
	KA_CTL_STATUS_JSON = 2,	/* this module's member of `keepalived --status --json` */
	KA_CTL_METRICS = 3,	/* Prometheus text exposition format, this module's families */
};

/*
 * The transport (core/ctl.c), over each child's heartbeat socketpair: SOCK_SEQPACKET, the
 * one descriptor the watchdog gives a child (it crosses the exec of keepalived-vrrp and
 * keepalived-checker), so a child needs no other channel. Message boundaries are kept:
 * - a 1-byte message is a heartbeat (child to parent, core/child.c);
 * - any longer message starts with a struct ka_ctl_hdr: a request (parent to child), or
 *   one chunk of an answer (child to parent; KA_CTL_END marks the last one, which may
 *   be empty). Chunks carry at most KA_CTL_CHUNK bytes of payload.
 * Both ends use non-blocking I/O on their loop: a request is rendered in the child's
 * loop (struct ka_module's ctl_render into a memory stream) and sent chunk by chunk as
 * the socket takes them; the parent joins the chunks as they come.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

struct sched;

enum ka_ctl_type {
	KA_CTL_REQUEST = 'Q',	/* parent to child: render req; payload none */
	KA_CTL_PART = 'P',	/* child to parent: a chunk of the answer to id */
	KA_CTL_END = 'E',	/* child to parent: the last chunk (possibly empty) */
	/*
	 * Both ways, payload the module's (core/resume.h): child to parent, what the child
	 * holds now (the VRRP child: its MASTER instances), sent on every change; parent to
	 * a child respawned after an abnormal exit, the last one its predecessor sent,
	 * queued before the fork so that it is the first message the child reads. Its
	 * payload is at most KA_CTL_CHUNK bytes, as a chunk's.
	 */
	KA_CTL_STATE = 'S',
	/*
	 * Child to parent, no payload: the child has read its configuration and set itself
	 * up, after its start and after each reload; the parent says "Startup complete" or
	 * "Reload complete" (and READY=1 to systemd) once every child it waits on has.
	 */
	KA_CTL_LOADED = 'L',
};

struct ka_ctl_hdr {
	uint8_t type;		/* enum ka_ctl_type */
	uint8_t req;		/* enum ka_ctl_req */
	uint16_t flags;		/* KA_CTL_F_*: on KA_CTL_END */
	uint32_t id;		/* the parent's request number, echoed in every chunk */
};
#define KA_CTL_F_TRUNCATED 1	/* the child could not render the whole answer */
#define KA_CTL_CHUNK (32 * 1024)
/* A child's answer larger than this is cut (KA_CTL_F_TRUNCATED). */
#define KA_CTL_MAX_ANSWER (256u * 1024 * 1024)

/*
 * Parent side: the hub knows each running child's socket (the watchdog tells it) and
 * runs gathers: one request sent to every running child, the answers collected until
 * all have come or the timeout passes.
 */
struct ctl_hub;
struct ctl_gather;

/* One child's part of a gathered answer. */
struct ctl_answer {
	int mod;		/* enum ka_mod (module.h, which includes this file) */
	pid_t pid;
	bool answered;		/* false: it did not answer in time, or it died meanwhile */
	bool truncated;		/* KA_CTL_F_TRUNCATED */
	const char *data;	/* its answer (answered), not NUL-terminated; NULL if none */
	size_t len;
};

/*
 * A gather's end: ans[0 .. n-1] are the children that were running when it started, in
 * enum ka_mod order; joined is the answered parts concatenated in that order (NUL-
 * terminated, joined_len without the NUL). All of it is valid during the call only.
 * Called from the loop (never from within ctl_gather()); the gather's ref is NULL again.
 */
typedef void ctl_done_fn(void *arg, enum ka_ctl_req req, const struct ctl_answer *ans,
			 unsigned n, const char *joined, size_t joined_len);

int ctl_hub_new(struct sched *s, struct ctl_hub **ret);		/* 0 or -errno */
void ctl_hub_free(struct ctl_hub *h);	/* NULL is fine; pending gathers end unanswered */
/* The watchdog: child m runs as pid with fd as the parent's end of its socketpair. */
void ctl_hub_child_up(struct ctl_hub *h, int m, pid_t pid, int fd);
/* Child m is gone (its fd is about to be closed): its pending parts end unanswered. */
void ctl_hub_child_down(struct ctl_hub *h, int m);
/*
 * The watchdog's heartbeat check: reads whatever child m has queued (beats, chunks) and
 * says whether any message came from it since the last call. A chunk counts as a beat:
 * the child wrote it from its loop.
 */
bool ctl_hub_alive(struct ctl_hub *h, int m);
/*
 * A KA_CTL_STATE message (header included, n bytes) the hub read from child m's socket
 * goes to fn (the watchdog keeps it for the child's successor: core/resume.h).
 */
typedef void ctl_state_fn(void *arg, int m, const void *msg, size_t n);
void ctl_hub_on_state(struct ctl_hub *h, ctl_state_fn *fn, void *arg);
/*
 * A KA_CTL_LOADED message from child m goes to fn. While the watchdog awaits it from m
 * (ctl_hub_await(h, m, true), until it comes or m goes), m's socket is read as soon as
 * a message is there, not at the next heartbeat check.
 */
typedef void ctl_loaded_fn(void *arg, int m);
void ctl_hub_on_loaded(struct ctl_hub *h, ctl_loaded_fn *fn, void *arg);
void ctl_hub_await(struct ctl_hub *h, int m, bool on);
/* Children running now (for a caller's header lines). */
unsigned ctl_hub_children(const struct ctl_hub *h, int *mods, pid_t *pids);

/*
 * Start a gather of req from every running child; fn gets the answers once every child
 * has answered, or after timeout_us with those that have not marked so. With no child
 * running, fn runs at the end of this loop iteration with n == 0. *ref (may be NULL)
 * is set while the gather runs. 0 or -errno.
 */
int ctl_gather(struct ctl_hub *h, enum ka_ctl_req req, uint64_t timeout_us, ctl_done_fn *fn,
	       void *arg, struct ctl_gather **ref);
/* Idempotent: ends the gather without calling its fn; sets *ref = NULL. */
void ctl_gather_cancel(struct ctl_gather **ref);

/*
 * Child side: answers the parent's requests on fd (the child's end of the socketpair)
 * from the child's loop, one at a time, in order. render appends the answer to f a part
 * per loop iteration (core/child.c calls the module's ctl_render_part, or ctl_render for
 * the whole answer at once); once whole it is sent.
 */
struct ctl_responder;
/* A part of the answer to req from cursor (0 at first); returns 0 when whole (module.h). */
typedef size_t ctl_render_fn(void *arg, enum ka_ctl_req req, FILE *f, size_t cursor);

int ctl_responder_new(struct sched *s, int fd, ctl_render_fn *render, void *arg,
		      struct ctl_responder **ret);
void ctl_responder_free(struct ctl_responder *r);	/* NULL is fine */

/* A duration in µs as "H:MM:SS", or "Nd HH:MM:SS" from a day (the status table's). */
void ctl_duration_str(char *buf, size_t len, uint64_t us);
/* For the modules' ctl_render: s as a JSON string (quoted, escaped) to f; NULL: null. */
void ctl_json_str(FILE *f, const char *s);
