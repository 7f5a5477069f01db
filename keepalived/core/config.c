// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/core/config.c: loading the whole configuration (global_defs + subsystems). */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "global_defs.h"
#include "log.h"
#include "utils.h"

int ka_config_load(const struct ka_config_opts *o, struct ka_config **out)
{
	struct ka_config *cfg = xcalloc(1, sizeof(*cfg));
	struct cfg_root roots[1 + KA_MOD__COUNT];
	size_t n = 0;
	struct cfg_opts po = {
		.config_id = o->config_id,
		.skip_unknown_top = o->skip_unknown_top,
		.includes_required = o->includes_required,
		.diag = o->diag,
		.diag_arg = o->diag_arg,
		.config_test = o->config_test,
	};
	int r;

	cfg->gd = global_defs_new();
	roots[n++] = (struct cfg_root){ global_defs_root_kws, cfg->gd, global_defs_finish };
	for (int m = 0; m < KA_MOD__COUNT; m++) {
		const struct ka_module *mod = ka_modules[m];

		if (!o->load[m] || !mod)
			continue;
		cfg->mod[m] = mod->conf_new();
		roots[n++] = (struct cfg_root){ mod->kws, cfg->mod[m], mod->finish };
	}
	r = cfg_parse_file(o->path, roots, n, &po, &cfg->n_errors, &cfg->n_warnings);
	*out = cfg;
	return r;
}

void ka_config_free(struct ka_config *cfg)
{
	if (!cfg)
		return;
	global_defs_free(cfg->gd);
	for (int m = 0; m < KA_MOD__COUNT; m++)
		if (cfg->mod[m])
			ka_modules[m]->conf_free(cfg->mod[m]);
	free(cfg);
}

void ka_config_dump(const struct ka_config *cfg, FILE *f)
{
	global_defs_dump(cfg->gd, f);
	for (int m = 0; m < KA_MOD__COUNT; m++)
		if (cfg->mod[m])
			ka_modules[m]->dump(cfg->mod[m], f);
}

void ka_test_report(struct ka_test *t, enum cfg_sev sev, const char *file, int line, int col,
		    const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (sev == CFG_SEV_MISTAKE)
		sev = CFG_SEV_ERROR;
	if (sev == CFG_SEV_ERROR)
		t->n_errors++;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	t->diag(t->diag_arg, &(struct cfg_diag){ .sev = sev, .file = file, .line = line,
						 .col = col, .msg = msg });
}
