#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Boots a throwaway copy of this machine under systemd with the package installed:
#   bash tests/pkg/nspawn.sh OURS.deb NETNS FILES NAME
# (tests/system/test_package_systemd.py runs it and drives the container from outside.)
#
# As tests/pkg/swap.sh: the machine's root is the lower layer of an overlay whose upper
# layer is a tmpfs, in a mount namespace of this script's own, so nothing on the machine
# changes. In the copy: OURS.deb is installed with apt (chrooted; a first install: a keepalived
# package the machine has is purged first), every unit the machine enables is
# disabled but keepalived.service (the boot starts only what the test looks at), the
# files under the directory FILES are copied in (the user's keepalived.conf and scripts),
# and a machine id of its own is written. Then systemd-nspawn boots it: systemd is PID 1
# of the container, whose network namespace is NETNS (/run/netns/NETNS, made by the test).
# nspawn runs in a cgroup NAME of its own (on each cgroup hierarchy systemd uses), which
# is removed when it exits. SIGTERM to systemd-nspawn powers the container off.
set -euo pipefail
if [ "${1:-}" != --inside ]; then
	ours=$(realpath "${1:?usage: nspawn.sh OURS.deb NETNS FILES NAME}")
	netns=${2:?usage: nspawn.sh OURS.deb NETNS FILES NAME}
	files=$(realpath "${3:?usage: nspawn.sh OURS.deb NETNS FILES NAME}")
	name=${4:?usage: nspawn.sh OURS.deb NETNS FILES NAME}
	cgroups=()
	if [ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ]; then
		cgroups=(/sys/fs/cgroup)
	else
		for h in systemd unified; do
			if mountpoint -q "/sys/fs/cgroup/$h"; then cgroups+=("/sys/fs/cgroup/$h"); fi
		done
	fi
	t=$(mktemp -d)
	mkdir "$t/rw" "$t/root"
	touch "$t/netns"
	cleanup() {
		local c
		# nspawn (and so the container) is gone: its cgroups are empty, deepest first.
		for c in "${cgroups[@]}"; do
			[ -d "$c/$name" ] && find "$c/$name" -depth -type d -exec rmdir {} + 2>/dev/null || true
		done
		rm -rf "$t"
	}
	trap cleanup EXIT
	trap 'kill -TERM "$child" 2>/dev/null || true' TERM INT
	# The inner shell moves itself into the new cgroups, then becomes systemd-nspawn.
	unshare --mount --propagation private bash "$0" --inside "$ours" "$netns" "$files" "$name" \
		"$t" "${cgroups[@]}" &
	child=$!
	rc=0
	wait "$child" || rc=$?
	# A TERM interrupts the first wait: wait again for nspawn to power the container off.
	while kill -0 "$child" 2>/dev/null; do wait "$child" || rc=$?; done
	exit "$rc"
fi
ours=$2 netns=$3 files=$4 name=$5 t=$6
shift 6
mnt=$t/root
# The network namespace, by a bind mount: /run is covered below.
mount --bind "/run/netns/$netns" "$t/netns"
# nspawn keeps its state in /run/systemd/nspawn and refuses to remove it from anything
# but a tmpfs (this machine's /run is on its root file system, PID 1 is not systemd).
mount -t tmpfs tmpfs /run
mount -t tmpfs -o size=1g tmpfs "$t/rw"
mkdir "$t/rw/upper" "$t/rw/work"
mount -t overlay overlay -o "lowerdir=/,upperdir=$t/rw/upper,workdir=$t/rw/work" "$mnt"

# Install the package, chrooted, before the boot; no service starts (policy-rc.d, no
# /run/systemd/system) and man-db's trigger need not reindex.
mount -t proc proc "$mnt/proc"
mount --rbind /dev "$mnt/dev"
mount -t tmpfs tmpfs "$mnt/run"
mount -t tmpfs tmpfs "$mnt/tmp"
cp "$ours" "$mnt/tmp/"
policy=$mnt/usr/sbin/policy-rc.d
[ -e "$policy" ] && mv "$policy" "$t/rw/policy-rc.d.machine"
printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy"
rm -f "$mnt/var/lib/man-db/auto-update"
inroot() { chroot "$mnt" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive "$@"; }
# A first install, whatever the machine has: Debian's keepalived or ours (and the unit's
# enablement) purged from the copy, so that the unit starts at boot only if our package
# enabled it. (The swap over a running Debian keepalived is test_swap_to_debian_and_back's.)
for p in keepalived keepalived-ng; do
	if inroot dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null | grep -q '^[ir]'; then
		inroot dpkg --purge "$p" </dev/null
	fi
done
rm -f "$mnt"/etc/systemd/system/*.wants/keepalived.service
inroot apt-get install -y -q --no-install-recommends "/tmp/$(basename "$ours")" </dev/null
rm -f "$policy"
[ -e "$t/rw/policy-rc.d.machine" ] && mv "$t/rw/policy-rc.d.machine" "$policy"
umount "$mnt/tmp" "$mnt/run" "$mnt/proc"
umount -R "$mnt/dev"

# Only keepalived.service is enabled: the machine's other services (databases, exporters,
# timers, gettys, its SysV scripts) stay down in the copy.
find "$mnt/etc/systemd/system" -path '*.wants/*' ! -name keepalived.service -delete
for d in "$mnt"/etc/rc[0-6S].d; do find "$d" -name '[SK][0-9]*' -delete; done
# A machine id of its own: journald then keeps the container's journal apart.
tr -d '-' </proc/sys/kernel/random/uuid >"$mnt/etc/machine-id"
cp -a "$files/." "$mnt/"
ls -l "$mnt/etc/systemd/system/multi-user.target.wants/"

for c; do
	mkdir -p "$c/$name"
	echo $$ >"$c/$name/cgroup.procs"
done
exec systemd-nspawn --quiet --directory="$mnt" --boot --machine="$name" --register=no --keep-unit \
	--network-namespace-path="$t/netns" --capability=CAP_NET_ADMIN --tmpfs=/tmp --console=pipe </dev/null
