// SPDX-License-Identifier: GPL-2.0-or-later
/* tests/fuzz/fuzz_vrrp_conf.c: libFuzzer target: any bytes as the VRRP configuration (with global_defs); its dump must parse again to itself. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/global_defs.h"
#include "parser.h"
#include "vrrp/vrrp_conf.h"

static void no_diag(void *arg, const struct cfg_diag *d)
{
	(void)arg, (void)d;
}

/* parses buf with global_defs and the VRRP keywords; returns the dump of both */
static char *load(const char *buf, size_t len, unsigned *n_errors)
{
	struct global_defs *gd = global_defs_new();
	void *vc = vrrp_conf_new();
	struct cfg_root roots[] = {
		{ global_defs_root_kws, gd, global_defs_finish },
		{ vrrp_root_kws, vc, vrrp_conf_finish },
	};
	/* no includes (fuzz_parser has them), a small expansion limit (~SEQ(A, 1e9) costs
	 * milliseconds), the keyword index kept between inputs */
	struct cfg_opts o = { .config_id = "main", .diag = no_diag, .no_includes = true,
			      .max_depth = 16, .max_expansion = 256 << 10, .keep_index = true };
	char *out = NULL;
	size_t out_len = 0;
	FILE *f;

	cfg_parse_buf("fuzz.conf", buf, len, roots, 2, &o, n_errors, NULL);
	f = open_memstream(&out, &out_len);
	global_defs_dump(gd, f);
	vrrp_conf_dump(vc, f);
	fclose(f);
	vrrp_conf_free(vc);
	global_defs_free(gd);
	return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned n_errors, n2;
	char *dump = load((const char *)data, size, &n_errors);
	char *again;

	/* a configuration without errors dumps to text that means the same */
	if (!n_errors) {
		again = load(dump, strlen(dump), &n2);
		if (n2 || strcmp(dump, again)) {
			fprintf(stderr, "the dump does not parse to itself (%u errors):\n%s\n---\n%s\n",
				n2, dump, again);
			abort();
		}
		free(again);
	}
	free(dump);
	return 0;
}
