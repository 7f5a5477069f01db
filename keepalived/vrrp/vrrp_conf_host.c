// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/vrrp/vrrp_conf_host.c: -t's checks of the interfaces a configuration names, on this host. */
#include "vrrp_conf_host.h"

#include <errno.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/global_defs.h"

enum if_kind { IF_MISSING, IF_PRESENT, IF_LOOPBACK };

static bool checking(const struct cfg *c)
{
	const struct global_defs *gd = cfg_root_obj(c, global_defs_root_kws);

	if (!cfg_config_test(c))
		return false;
	return !gd || (!global_defs_dynamic_interfaces(gd) && !global_defs_net_namespace(gd));
}

static enum if_kind if_kind_ask(const char *name)
{
	struct ifreq ifr = { 0 };
	int fd, r;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return IF_PRESENT;	/* cannot tell: say nothing */
	memcpy(ifr.ifr_name, name, strlen(name));
	r = ioctl(fd, SIOCGIFHWADDR, &ifr);
	close(fd);
	if (r < 0)
		return errno == ENODEV ? IF_MISSING : IF_PRESENT;
	return ifr.ifr_hwaddr.sa_family == ARPHRD_LOOPBACK ? IF_LOOPBACK : IF_PRESENT;
}

/*
 * -t runs once over a configuration that names a handful of interfaces many times (100k
 * instances on eth0): the last few answers are remembered, so that the kernel is asked
 * once per name, not once per line (a socket and an ioctl each: 3x the parse's time).
 */
static enum if_kind if_kind(const char *name)
{
	static struct {
		char name[IFNAMSIZ];
		enum if_kind kind;
	} seen[8];
	static unsigned n_seen;
	unsigned slot;

	if (!*name || strlen(name) >= IFNAMSIZ)
		return IF_MISSING;
	for (unsigned i = 0; i < n_seen && i < 8; i++)
		if (!strcmp(seen[i].name, name))
			return seen[i].kind;
	slot = n_seen++ % 8;
	memcpy(seen[slot].name, name, strlen(name) + 1);
	seen[slot].kind = if_kind_ask(name);
	return seen[slot].kind;
}

bool vc_ifname_fine(const struct cfg *c, const char *name)
{
	return !checking(c) || if_kind(name) == IF_PRESENT;
}

int vc_check_ifname_at(struct cfg *c, const char *name, int at_arg, const char *what)
{
	if (!checking(c))
		return 0;
	switch (if_kind(name)) {
	case IF_MISSING:
		cfg_error_arg(c, at_arg, "%s: interface '%s' does not exist", what, name);
		return -ENODEV;
	case IF_LOOPBACK:
		return 1;
	default:
		return 0;
	}
}

int vc_check_ifname(struct cfg *c, const struct cfg_args *a, int i, const char *what)
{
	return vc_check_ifname_at(c, a->argv[i], i, what);
}
