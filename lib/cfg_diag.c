// SPDX-License-Identifier: GPL-2.0-or-later
/* lib/cfg_diag.c: the parser's diagnostics: severities, counting, the cap on lines shown, format. */
#include "parser.h"

#include <stdarg.h>
#include <stdio.h>

#include "cfg_internal.h"
#include "log.h"

#define MAX_SHOWN	1000	/* diagnostics shown per parse; the rest are only counted */

const char *cfg_diag_format(const struct cfg_diag *d, char *buf, size_t len)
{
	const char *sev = d->sev == CFG_SEV_ERROR ? "error" : "warning";

	if (d->file && d->line > 0 && d->col > 0)
		snprintf(buf, len, "%s:%d:%d: %s: %s", d->file, d->line, d->col, sev, d->msg);
	else if (d->file && d->line > 0)
		snprintf(buf, len, "%s:%d: %s: %s", d->file, d->line, sev, d->msg);
	else if (d->file)
		snprintf(buf, len, "%s: %s: %s", d->file, sev, d->msg);
	else
		snprintf(buf, len, "%s: %s", sev, d->msg);
	return buf;
}

void cfg_report(struct cfg *c, enum cfg_sev sev, const char *file, int line, int col,
		const char *msg)
{
	struct cfg_diag d;

	if (sev == CFG_SEV_MISTAKE)
		sev = c->o.config_test ? CFG_SEV_ERROR : CFG_SEV_WARNING;
	d = (struct cfg_diag){ .sev = sev, .file = file, .line = line, .col = col, .msg = msg };
	if (sev == CFG_SEV_ERROR)
		c->n_err++;
	else
		c->n_warn++;
	/* a generated config can repeat one mistake a million times: show the first ones */
	if (c->n_err + c->n_warn > MAX_SHOWN) {
		c->n_hidden++;
		return;
	}
	cfg_emit_diag(c, &d);
}

void cfg_emit_diag(struct cfg *c, const struct cfg_diag *d)
{
	char buf[1280];

	if (c->o.diag)
		c->o.diag(c->o.diag_arg, d);
	else
		log_msg(d->sev == CFG_SEV_ERROR ? LOG_ERR : LOG_WARNING, "%s",
			cfg_diag_format(d, buf, sizeof(buf)));
}

void cfg_vreport(struct cfg *c, enum cfg_sev sev, const char *file, int line, int col,
		 const char *fmt, va_list ap)
{
	char msg[1024];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	cfg_report(c, sev, file, line, col, msg);
}

void cfg_report_at(struct cfg *c, enum cfg_sev sev, const char *file, int line, int col,
		   const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cfg_vreport(c, sev, file, line, col, fmt, ap);
	va_end(ap);
}

void cfg_error(struct cfg *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cfg_vreport(c, CFG_SEV_ERROR, c->cur.file, c->cur.line, cur_col(c, 0), fmt, ap);
	va_end(ap);
}

void cfg_warn(struct cfg *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cfg_vreport(c, CFG_SEV_WARNING, c->cur.file, c->cur.line, cur_col(c, 0), fmt, ap);
	va_end(ap);
}

void cfg_error_arg(struct cfg *c, int i, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cfg_vreport(c, CFG_SEV_ERROR, c->cur.file, c->cur.line, cur_col(c, i), fmt, ap);
	va_end(ap);
}

void cfg_warn_arg(struct cfg *c, int i, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cfg_vreport(c, CFG_SEV_WARNING, c->cur.file, c->cur.line, cur_col(c, i), fmt, ap);
	va_end(ap);
}

void cfg_error_at(struct cfg *c, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cfg_vreport(c, CFG_SEV_ERROR, file, line, 0, fmt, ap);
	va_end(ap);
}

void cfg_warn_at(struct cfg *c, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cfg_vreport(c, CFG_SEV_WARNING, file, line, 0, fmt, ap);
	va_end(ap);
}

void cfg_mistake(struct cfg *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cfg_vreport(c, CFG_SEV_MISTAKE, c->cur.file, c->cur.line, cur_col(c, 0), fmt, ap);
	va_end(ap);
}

void cfg_mistake_arg(struct cfg *c, int i, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cfg_vreport(c, CFG_SEV_MISTAKE, c->cur.file, c->cur.line, cur_col(c, i), fmt, ap);
	va_end(ap);
}

bool cfg_config_test(const struct cfg *c)
{
	return c->o.config_test;
}

/* For the value helpers (cfg_internal.h). */

const char *cfg_value_kw(const struct cfg *c, const struct cfg_args *a)
{
	if (a->argv == c->cur.argv && c->cur.kwname)
		return c->cur.kwname;
	return a->argc > 0 ? a->argv[0] : "?";
}

void cfg_error_value(struct cfg *c, const struct cfg_args *a, int i, const char *fmt, ...)
{
	int col = a->argv == c->cur.argv ? cur_col(c, i) : 0;
	va_list ap;

	va_start(ap, fmt);
	cfg_vreport(c, CFG_SEV_ERROR, a->file, a->line, col, fmt, ap);
	va_end(ap);
}
