// SPDX-License-Identifier: GPL-2.0-or-later
/* tests/fuzz/fuzz_check_conf.c: libFuzzer target: any bytes as the checker's configuration; its -d dump must parse again to itself. */
#include "check/check_conf.h"
#include "conf_roundtrip.h"

static const struct conf_module check = {
	.kws = check_root_kws, .new = check_conf_new, .finish = check_conf_finish,
	.dump = check_conf_dump, .free = check_conf_free,
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
	return conf_roundtrip(&check, data, size);
}
