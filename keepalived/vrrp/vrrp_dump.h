/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/vrrp/vrrp_dump.h: what the SIGUSR1 / SIGUSR2 / JSON dumps share (vrrp_dump.c). */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct vrrp_inst;
struct vrrp_ipaddr;
struct process_cmd;

/* keepalived 2.2.7's per-instance counters (the stats dump's and the JSON "stats"). */
struct vrrp_dump_counters {
	unsigned long long advert_rcvd, advert_sent, become_master, release_master;
	unsigned long long packet_len_err, advert_interval_err, ip_ttl_err, invalid_type_rcvd;
	unsigned long long addr_list_err, invalid_authtype, authtype_mismatch, auth_failure;
	unsigned long long pri_zero_rcvd, pri_zero_sent;
};
void vrrp_dump_counters(const struct vrrp_inst *vi, struct vrrp_dump_counters *out);
/* "192.0.2.100/24 dev eth0 scope global set": keepalived's line for an address */
const char *vrrp_dump_ipaddr(const struct vrrp_ipaddr *a, bool set, char *buf, size_t size);
/* ... "dev IF@BASE" when base is not NULL (an address on a VMAC) */
const char *vrrp_dump_ipaddr_on(const struct vrrp_ipaddr *a, const char *base, bool set,
				char *buf, size_t size);
/* instance vi's address i (of all_vips), as its dump shows it */
const char *vrrp_dump_vip(const struct vrrp_inst *vi, unsigned i, char *buf, size_t size);
/* keepalived's cmd_str(): 'word' 'word' ...; c NULL: 'fallback' */
void vrrp_dump_cmd(FILE *f, const struct process_cmd *c, const char *fallback);
/* the master-down interval: down_timer_adverts x the master's interval + skew */
unsigned vrrp_dump_down_timer_us(const struct vrrp_inst *vi);
