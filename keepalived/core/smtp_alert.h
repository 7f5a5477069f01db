/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/core/smtp_alert.h: alert mails, one SMTP connection each, on the event loop. */
#pragma once
#include <stddef.h>
#include <stdint.h>

struct sched;
struct global_defs;
struct list;

/*
 * keepalived 2.2.7's alert client (core/smtp.c, spec checker-ipvs.md 5), used by the
 * checker child (and the VRRP child later): one non-blocking TCP connection per alert
 * to smtp_server, then
 *   (220) HELO <smtp_helo_name>  (250) MAIL FROM:<from>  (250) RCPT TO:<addr> per
 *   notification_email (250 each)  DATA (354) headers + body + "." (250)  QUIT (221)
 * with smtp_connect_timeout on the connect and on every reply. Nothing is sent when
 * notification_email is empty or smtp_server is not set.
 *
 * subject and body are the final strings (the caller adds "[router_id] ..."); they
 * are copied, as is everything needed from gd, so a reload may free gd while the
 * mail is in flight. Safe in a callback; never blocks. 0, or -errno when the socket
 * could not be made (the alert is dropped, as keepalived does).
 * Logs `Remote SMTP server [%s]:%d connected.` and `SMTP alert successfully sent.`
 * with -D only (as 2.2.7), and its error lines always.
 */
int smtp_alert_send(struct sched *s, const struct global_defs *gd, const char *subject,
		    const char *body);
/*
 * The same, and done(arg) once the mail is over (sent, refused or failed: its line is
 * logged), so that a stop can wait for it. 1: under way, done will be called; 0: nothing
 * to send or dropped at once (done is not called); -errno as above. inflight (may be
 * NULL): a list_init()ed list the mail is on while it is under way.
 */
int smtp_alert_send_cb(struct sched *s, const struct global_defs *gd, const char *subject,
		       const char *body, void (*done)(void *arg), void *arg, struct list *inflight);
/* The mails on inflight dropped now (a stop that waited long enough): no line, no done. */
void smtp_alert_cancel_all(struct list *inflight);

/* Pure parts, for tests. */

/* keepalived truncates subjects to 255 and bodies to 511 bytes */
#define SMTP_ALERT_MAX_SUBJECT 255
#define SMTP_ALERT_MAX_BODY 511

/*
 * What follows DATA, into buf: "Date: <date>\r\nFrom: <from>\r\nSubject: <subject>\r\n"
 * "X-Mailer: Keepalived\r\nTo: <a>, <b>\r\n\r\n<body>\r\n\r\n.\r\n". date: RFC 822,
 * as smtp_alert_date() writes it. Returns the whole length, as snprintf (buf may be NULL
 * when len is 0).
 */
size_t smtp_alert_data(char *buf, size_t len, const char *date, const char *from,
		       const char *subject, char *const *to, unsigned n_to, const char *body);
/* "Sun, 06 Dec 2026 12:05:39 +0000" for t in the local time zone; buf >= 64 bytes. */
const char *smtp_alert_date(char *buf, size_t len, int64_t t);

/*
 * The address RCPT TO gets for a notification_email entry: "Name <a@b>" is a@b (*len
 * bytes from the result; keepalived 2.2.7 sends the entry verbatim, fixed in 2.3.0),
 * anything else as it is. The To: header keeps the entry as written.
 */
const char *smtp_alert_rcpt_addr(const char *to, size_t *len);

/*
 * The reply parser: bytes as they arrive, the code of the last line of the first complete
 * reply ("250-a\r\n250 b\r\n" is one reply: 250). Returns the number of bytes it used (0:
 * no complete reply yet, keep them and read more) and sets *code (-1 when the line does
 * not start with three digits).
 */
size_t smtp_alert_reply(const char *buf, size_t len, int *code);
