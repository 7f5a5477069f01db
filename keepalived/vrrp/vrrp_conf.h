/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/vrrp/vrrp_conf.h: the VRRP subsystem's configuration (instances, scripts, sync groups). */
#pragma once
#include <stdbool.h>
#include <stdio.h>
#include "parser.h"

/*
 * Every VRRP keyword of keepalived.conf is accepted here with its argument
 * count checked; the fields the VRRP child will act on are stored and validated.
 * The config object is opaque: conf_new() gives an empty one, the parser fills
 * it through vrrp_root_kws, vrrp_conf_finish() checks references between
 * objects (sync group members, track_script names) after the whole parse.
 */
extern const struct cfg_kw vrrp_root_kws[];

void *vrrp_conf_new(void);
void vrrp_conf_free(void *conf);		/* NULL is fine */
int vrrp_conf_finish(struct cfg *c, void *conf);
/* True when there is something for the VRRP child to do: an instance or a static address/route. */
bool vrrp_conf_has_work(const void *conf);
/* The stored fields as keepalived.conf text that parses again to the same dump. */
void vrrp_conf_dump(const void *conf, FILE *f);
unsigned vrrp_conf_n_instances(const void *conf);
