// SPDX-License-Identifier: GPL-2.0-or-later
/* tests/fuzz/fuzz_vrrp_conf.c: libFuzzer target: any bytes as the VRRP configuration (with global_defs); the dump of both must parse again to itself. */
#include "conf_roundtrip.h"
#include "vrrp/vrrp_conf.h"

static const struct conf_module vrrp = {
	.kws = vrrp_root_kws, .new = vrrp_conf_new, .finish = vrrp_conf_finish,
	.dump = vrrp_conf_dump, .free = vrrp_conf_free, .dump_global_defs = true,
};

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	conf_isolate();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return conf_roundtrip(&vrrp, data, size);
}
