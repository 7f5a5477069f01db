/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/check/check_conf.h: the health checker's configuration (virtual and real servers). */
#pragma once
#include <stdbool.h>
#include <stdio.h>
#include "parser.h"

/*
 * The checker's keywords (virtual_server, virtual_server_group, SSL and everything in
 * them) fill a struct check_conf (check_data.h): check_conf_new() returns one, and
 * check_conf_finish() resolves every effective value with keepalived 2.2.7's defaults
 * and messages (check_conf_finish.c). Scripts are process_cmds with their user; their
 * files are checked when the checker prepares them, and by check_config_test() for -t.
 */
extern const struct cfg_kw check_root_kws[];

void *check_conf_new(void);
void check_conf_free(void *conf);		/* NULL is fine */
int check_conf_finish(struct cfg *c, void *conf);
bool check_conf_has_work(const void *conf);	/* any virtual_server */
/* The stored fields as keepalived.conf text that parses again to the same dump. */
void check_conf_dump(const void *conf, FILE *f);
unsigned check_conf_n_virtual_servers(const void *conf);

struct global_defs;
struct ka_test;
/* -t's checks of the checker's scripts (struct ka_module.config_test). */
int check_config_test(const void *conf, const struct global_defs *gd, struct ka_test *t);
