// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * genhash/keepalived_genhash.c: keepalived-genhash, what `keepalived -T` runs. keepalived
 * execs it with its own argv (core/main.c), so the long-running keepalived binary maps
 * no OpenSSL; the options are parsed as genhash.c's genhash_keepalived_main() says.
 */
#include "genhash.h"

int main(int argc, char **argv)
{
	return genhash_keepalived_main(argc, argv);
}
