// SPDX-License-Identifier: GPL-2.0-or-later
/* genhash/main.c: the genhash program; the tool itself is genhash.c, shared with keepalived -T. */
#include "genhash.h"

int main(int argc, char **argv)
{
	return genhash_main(argc, argv);
}
