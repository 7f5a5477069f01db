#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The swap a user makes, on a throwaway copy of this machine: bash tests/pkg/swap.sh OURS.deb DEBIANS.deb
#
# The machine's root is the lower layer of an overlay whose upper layer is a tmpfs, in a
# mount namespace (and a network namespace) of this script's own: apt and dpkg run chrooted
# in it and every change they make vanishes with the namespace; the machine's
# /usr/sbin/keepalived, dpkg database and units are never touched. In the copy: Debian's
# keepalived is installed (from DEBIANS.deb if the machine does not have it), the user
# writes /etc/keepalived/keepalived.conf and a notify script and edits DAEMON_ARGS in
# /etc/default/keepalived; then
#   install:   apt-get install ./OURS.deb          (swaps ours in)
#   swapback:  apt-get install ./DEBIANS.deb       (Debian's keepalived again)
#   purge:     dpkg --purge keepalived-ng
#   purge_debian: dpkg --purge keepalived  (no keepalived left, nor its unit's state)
#   fresh:     apt-get install ./OURS.deb          (a first install: enables the unit)
#   back_again, again: apt-get install ./DEBIANS.deb, then ./OURS.deb (Debian's left as "rc")
#   purge_debian_rc: dpkg --purge keepalived       (Debian's purge script disables the unit)
#   reinstall: apt-get install --reinstall ./OURS.deb   (enables it again)
# After each step it prints "== STEP rc=N" and KEY=VALUE lines (what the test checks),
# and the step's own output prefixed with "| ".
set -euo pipefail
if [ "${1:-}" != --inside ]; then
	ours=$(realpath "${1:?usage: swap.sh OURS.deb DEBIANS.deb}")
	theirs=$(realpath "${2:?usage: swap.sh OURS.deb DEBIANS.deb}")
	t=$(mktemp -d)
	mkdir "$t/rw" "$t/root"
	rc=0
	unshare --mount --net --propagation private bash "$0" --inside "$ours" "$theirs" "$t" || rc=$?
	# The mounts went with the namespace: only the empty mount points are left.
	rmdir "$t/rw" "$t/root" "$t"
	exit "$rc"
fi
ours=$2 theirs=$3 t=$4
mnt=$t/root
mount -t tmpfs -o size=1g tmpfs "$t/rw"
mkdir "$t/rw/upper" "$t/rw/work"
ip link set lo up && ip link add eth0 type veth peer name eth1 && ip link set eth0 up	# for keepalived -t
mount -t overlay overlay -o "lowerdir=/,upperdir=$t/rw/upper,workdir=$t/rw/work" "$mnt"
mount -t proc proc "$mnt/proc"
mount --rbind /dev "$mnt/dev"
mount -t tmpfs tmpfs "$mnt/run"		# no /run/systemd/system: maintainer scripts start nothing
mount -t tmpfs tmpfs "$mnt/tmp"
cp "$ours" "$mnt/tmp/" && cp "$theirs" "$mnt/tmp/"
ours=/tmp/$(basename "$ours") theirs=/tmp/$(basename "$theirs")
inroot() { chroot "$mnt" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive "$@"; }

# No service may start in the copy (policy-rc.d), and man-db's trigger need not reindex.
printf '#!/bin/sh\nexit 101\n' >"$mnt/usr/sbin/policy-rc.d" && chmod 755 "$mnt/usr/sbin/policy-rc.d"
rm -f "$mnt/var/lib/man-db/auto-update"

md5() { if [ -e "$mnt$1" ]; then md5sum <"$mnt$1" | cut -d' ' -f1; else echo absent; fi; }
state() {
	local p
	for p in keepalived keepalived-ng; do
		echo "status.$p=$(inroot dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null | tr -d ' ' || echo none)"
	done
	echo "version=$(inroot /usr/sbin/keepalived -v 2>&1 | head -1)"
	echo "conf=$(md5 /etc/keepalived/keepalived.conf)"
	echo "notify=$(md5 /etc/keepalived/notify.sh)"
	echo "default=$(md5 /etc/default/keepalived)"
	echo "daemon_args=$(grep '^DAEMON_ARGS=' "$mnt/etc/default/keepalived" 2>/dev/null || echo none)"
	echo "sample=$(md5 /etc/keepalived/keepalived.conf.sample)"
	echo "unit=$(md5 /lib/systemd/system/keepalived.service)"
	echo "enabled=$(readlink "$mnt/etc/systemd/system/multi-user.target.wants/keepalived.service" || echo no)"
	echo "helpers=$(ls "$mnt/usr/libexec/keepalived-ng" 2>/dev/null | tr '\n' ' ' || true)"
	echo "owner.conf=$(inroot dpkg-query -S /etc/keepalived/keepalived.conf 2>/dev/null | cut -d: -f1 || echo none)"
	echo "conffiles.keepalived-ng=$(inroot dpkg-query -W -f='${Conffiles}' keepalived-ng 2>/dev/null | awk '{print $1}' | tr '\n' ' ' || true)"
	inroot /usr/sbin/keepalived -t -f /etc/keepalived/keepalived.conf >/dev/null 2>&1 && echo "config_test=0" || echo "config_test=$?"
}
step() {
	local name=$1 rc=0 log
	shift
	log=$(inroot "$@" </dev/null 2>&1) || rc=$?
	echo "== $name rc=$rc"
	state
	printf '%s\n' "$log" | sed 's/^/| /'
}

# The user's machine: Debian's keepalived, a configuration, a script, DAEMON_ARGS edited.
inroot dpkg-query -W -f='${db:Status-Abbrev}' keepalived 2>/dev/null | grep -q '^ii' ||
	inroot apt-get install -y -q --no-install-recommends "$theirs" </dev/null >/dev/null 2>&1
cat >"$mnt/etc/keepalived/keepalived.conf" <<'CONF'
! the user's own configuration
global_defs {
    enable_script_security
    script_user root
}
vrrp_instance VI_1 {
    state BACKUP
    interface eth0
    virtual_router_id 51
    priority 100
    advert_int 1
    virtual_ipaddress {
        192.0.2.250/32
    }
    notify /etc/keepalived/notify.sh
}
CONF
printf '#!/bin/sh\nlogger -t keepalived-notify "$@"\n' >"$mnt/etc/keepalived/notify.sh"
chmod 755 "$mnt/etc/keepalived/notify.sh"
sed -i 's/^DAEMON_ARGS=.*/DAEMON_ARGS="--log-detail --vrrp"/' "$mnt/etc/default/keepalived"
echo "== before rc=0"
state
step install apt-get install -y -q --no-install-recommends "$ours"
step swapback apt-get install -y -q --no-install-recommends "$theirs"
step purge dpkg --purge keepalived-ng
step purge_debian dpkg --purge keepalived
step fresh apt-get install -y -q --no-install-recommends "$ours"
step back_again apt-get install -y -q --no-install-recommends "$theirs"
step again apt-get install -y -q --no-install-recommends "$ours"
step purge_debian_rc dpkg --purge keepalived
step reinstall apt-get install -y -q --reinstall --no-install-recommends "$ours"
