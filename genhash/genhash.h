/* SPDX-License-Identifier: GPL-2.0-or-later */
/* genhash/genhash.h: the genhash tool (MD5 of a web page), standalone and as keepalived -T. */
#pragma once

/*
 * The whole tool: parse argv (argv[0] names the program in the usage text),
 * fetch the page, print its digest in keepalived 2.2.7's format. Returns the
 * exit status: 1 for a command-line error or --help, 0 once a fetch was tried
 * (keepalived's genhash reports a failed fetch on its output, not in the status).
 */
int genhash_main(int argc, char **argv);

/*
 * keepalived -T / --genhash: argv is keepalived's whole command line; argv[1]
 * is "-T", "--genhash", or "-T" followed by more short options ("-Tvs").
 */
int genhash_keepalived_main(int argc, char **argv);
