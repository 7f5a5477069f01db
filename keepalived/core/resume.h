/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/core/resume.h: what a child held, kept by the parent for its successor after a crash. */
#pragma once
#include <stdbool.h>
#include <stddef.h>

/*
 * A child reports what it holds (opaque bytes, the module's format) to the parent as a
 * KA_CTL_STATE message on its heartbeat socketpair (core/ctl.h), on every change: the
 * VRRP child its MASTER instances (vrrp/vrrp_resume.c). The parent keeps the last
 * report. When the child dies and is respawned (an abnormal exit: a signal, or an
 * unexpected exit status), the parent queues that report on the new child's socketpair
 * before forking it; the new child reads it first thing (ka_child_resume_state()) and
 * may resume what its predecessor held instead of starting from scratch. A normal start,
 * a reload, or a child that stopped in order hands nothing over.
 */
/*
 * A report's largest payload: one chunk of the status plane's transport (KA_CTL_CHUNK in
 * core/ctl.h, which the parent's reader of that socket is sized for). The VRRP child's
 * report holds 16 bytes per MASTER instance: 2,047 of them; it names as many as fit.
 */
#define KA_RESUME_MAX (32u * 1024)

struct ka_resume {
	void *last;		/* the child's last report; NULL: none */
	size_t last_len;
	void *pending;		/* for the next spawn: its predecessor died abnormally */
	size_t pending_len;
};

/*
 * Parent: reads every message queued on fd (the parent's end), keeping the last
 * KA_CTL_STATE payload in rs. True if any message came (a heartbeat or a report).
 */
bool ka_resume_read(struct ka_resume *rs, int fd);
/*
 * Parent: one message msg (n bytes, header included) read from a child's socket by
 * another reader of it; keeps it if it is a KA_CTL_STATE report. True if it was one.
 */
bool ka_resume_note(struct ka_resume *rs, const void *msg, size_t n);
/* The child is gone: respawn true keeps its last report for its successor. */
void ka_resume_child_gone(struct ka_resume *rs, bool respawn);
/* Before the fork: queues the pending report (if any) on fd (the parent's end). */
void ka_resume_hand_over(struct ka_resume *rs, int fd, const char *name);
void ka_resume_clear(struct ka_resume *rs);

/* Child: sends a report on fd (the child's end). 0, -EAGAIN (try later) or -errno. */
int ka_resume_send(int fd, const void *p, size_t len);
/* Child: takes the handed-over report from fd if the first queued message is one. */
void *ka_resume_take(int fd, size_t *len);
