# SPDX-License-Identifier: GPL-2.0-or-later
"""The smaller VRRP keywords (issue 14, item 8), each as a user sees it: the delayed
start, promote_secondaries, disable_local_igmp, and the keywords 2.2.7 accepts without
acting on (debug) or that this kernel cannot serve (use_ipvlan, vrf, linkbeat).

One host a (192.0.2.1 on eth0) unless a test says otherwise. Tests not marked ours_only
pass against Debian's keepalived 2.2.7 too (KA_REFERENCE=/usr/sbin/keepalived).
"""
import os
import signal
import time

import pytest

import kalib
from kalib import holds_for, wait_for

VIP = '192.0.2.100'


def config(inst_extra='', global_extra='', prio=200, state='BACKUP', adv=0.1):
    more = '\n'.join(f'    {l.strip()}' for l in inst_extra.strip().splitlines())
    return f'''global_defs {{
    router_id kt_misc
    script_user root
    enable_script_security
    {global_extra}
}}
vrrp_instance VI_1 {{
    state {state}
    interface eth0
    virtual_router_id 51
    priority {prio}
    advert_int {adv}
    version 3
{more}
    virtual_ipaddress {{
        {VIP}/24
    }}
}}
'''


def start(start_daemon, tmp_path, text, name='ka'):
    path = tmp_path / f'{name}.conf'
    path.write_text(text)
    return start_daemon(path, name=name)


def sysctl(topo, path):
    """A sysctl of host a's namespace, by its /proc/sys path."""
    return kalib.sh('ip', 'netns', 'exec', topo.host(), 'cat', f'/proc/sys/{path}').stdout.strip()


@pytest.fixture
def topo():
    """Hosts a (192.0.2.1) and b (192.0.2.2) on one bridge; most tests use a only."""
    t = kalib.Topology(('a', 'b'))
    yield t
    t.destroy()


def set_sysctl(topo, path, value):
    kalib.sh('ip', 'netns', 'exec', topo.host(), 'sh', '-c', f'echo {value} > /proc/sys/{path}')


# ---------------------------------------------------------------- the delayed start

@pytest.mark.parametrize('owner', [False, True], ids=['backup', 'owner'])
def test_startup_delay_holds_the_vip_back(start_daemon, tmp_path, topo, owner):
    """vrrp_startup_delay 2: the instance starts as BACKUP and, alone on the link, takes
    the VIP only once the delay (plus its Master_Down_Interval) is over; an address owner
    (priority 255) waits for the delay as well, then takes over at once."""
    adv = 0.1
    text = config(global_extra='vrrp_startup_delay 2', adv=adv,
                  prio=255 if owner else 200, state='MASTER' if owner else 'BACKUP')
    t0 = time.monotonic()
    d = start(start_daemon, tmp_path, text)
    d.wait_log(r'Delaying startup for 2 seconds', timeout=20)
    if not owner:
        d.wait_log(r'\(VI_1\) Entering BACKUP STATE \(init\)', timeout=20)
    # nothing while the delay runs: it ends 2 s after the daemon started, after t0
    holds_for(lambda: not topo.has_addr('a', VIP), max(0.1, t0 + 1.8 - time.monotonic()),
              'no VIP during the delay')
    d.wait_log(r'\(VI_1\) Entering MASTER STATE', timeout=10)
    took = time.monotonic() - t0
    if owner:   # keepalived: no BACKUP line, the owner waits silently
        assert not d.search(r'Entering BACKUP STATE')
    wait_for(lambda: topo.has_addr('a', VIP), 5, 'VIP after the delay')
    assert took >= 2, f'MASTER after {took:.2f} s, before the 2 s delay was over'
    down = 3 * adv + (256 - 200) * adv / 256
    assert took < 2 + (0 if owner else down) + 3, f'MASTER only after {took:.2f} s'


def test_startup_delay_not_on_reload(start_daemon, tmp_path, topo):
    """The delay is for the start only: a reload (SIGHUP) neither logs nor waits again."""
    d = start(start_daemon, tmp_path, config(global_extra='vrrp_startup_delay 1'))
    d.wait_log(r'\(VI_1\) Entering MASTER STATE', timeout=20)
    mark = d.mark()
    d.signal(signal.SIGHUP)
    d.wait_log(r'[Rr]eload', timeout=10, since=mark)
    holds_for(lambda: topo.has_addr('a', VIP), 1.5, 'VIP kept over the reload')
    assert not d.search(r'Delaying startup', since=mark)


@pytest.mark.ours_only
def test_delay_after_boot(start_daemon, tmp_path, topo):
    """vrrp_delay_after_boot (later keepalived; 2.2.7 does not know it): the start waits
    until that long after the system booted, here the uptime + 2 s."""
    up = float(open('/proc/uptime').read().split()[0])
    d = start(start_daemon, tmp_path, config(global_extra=f'vrrp_delay_after_boot {up + 3:.2f}'))
    m = d.wait_log(r'Delaying startup for ([\d.]+) seconds', timeout=20)
    assert 1 < float(m.group(1)) <= 3
    assert not topo.has_addr('a', VIP)
    d.wait_log(r'\(VI_1\) Entering MASTER STATE', timeout=10)


@pytest.mark.ours_only
def test_delay_after_boot_already_past(start_daemon, tmp_path, topo):
    """A vrrp_delay_after_boot the uptime has passed delays nothing."""
    d = start(start_daemon, tmp_path, config(global_extra='vrrp_delay_after_boot 1'))
    d.wait_log(r'\(VI_1\) Entering MASTER STATE', timeout=20)
    assert not d.search(r'Delaying startup')


# ---------------------------------------------------------------- sysctls

PROMOTE = 'net/ipv4/conf/eth0/promote_secondaries'


def test_promote_secondaries_set_and_restored(start_daemon, tmp_path, topo):
    """promote_secondaries: set on the instance's interface while the daemon runs, so
    that the VIP survives when the interface's primary address of its subnet goes;
    back to 0 when it stops."""
    assert sysctl(topo, PROMOTE) == '0'
    topo.ip('a', 'addr', 'add', '192.0.2.50/24', 'dev', 'eth0')
    d = start(start_daemon, tmp_path, config('promote_secondaries'))
    d.wait_log(r'\(VI_1\) Entering MASTER STATE', timeout=20)
    wait_for(lambda: topo.has_addr('a', VIP), 5, 'VIP')
    assert sysctl(topo, PROMOTE) == '1'
    # the VIP is a secondary of 192.0.2.1/24: removing that one keeps (promotes) the others
    topo.ip('a', 'addr', 'del', '192.0.2.1/24', 'dev', 'eth0')
    holds_for(lambda: topo.has_addr('a', VIP) and topo.has_addr('a', '192.0.2.50'), 1,
              'VIP promoted, not dropped')
    d.stop()
    assert sysctl(topo, PROMOTE) == '0'


def test_promote_secondaries_left_alone_when_already_set(start_daemon, tmp_path, topo):
    """An interface that had promote_secondaries already keeps it at exit."""
    set_sysctl(topo, PROMOTE, 1)
    d = start(start_daemon, tmp_path, config('promote_secondaries'))
    d.wait_log(r'\(VI_1\) Entering MASTER STATE', timeout=20)
    d.stop()
    assert sysctl(topo, PROMOTE) == '1'


def test_no_promote_secondaries_by_default(start_daemon, tmp_path, topo):
    """Without the keyword the kernel drops the VIP with the primary address."""
    topo.ip('a', 'addr', 'add', '192.0.2.50/24', 'dev', 'eth0')
    d = start(start_daemon, tmp_path, config())
    d.wait_log(r'\(VI_1\) Entering MASTER STATE', timeout=20)
    wait_for(lambda: topo.has_addr('a', VIP), 5, 'VIP')
    assert sysctl(topo, PROMOTE) == '0'
    topo.ip('a', 'addr', 'del', '192.0.2.1/24', 'dev', 'eth0')
    wait_for(lambda: not topo.has_addr('a', '192.0.2.50'), 2, 'secondaries gone with the primary')


@pytest.mark.ours_only
def test_promote_secondaries_on_reload(start_daemon, tmp_path, topo):
    """promote_secondaries added by a reload is set; restored at exit."""
    path = tmp_path / 'ka.conf'
    path.write_text(config())
    d = start_daemon(path)
    d.wait_log(r'\(VI_1\) Entering MASTER STATE', timeout=20)
    assert sysctl(topo, PROMOTE) == '0'
    path.write_text(config('promote_secondaries'))
    d.signal(signal.SIGHUP)
    wait_for(lambda: sysctl(topo, PROMOTE) == '1', 10, 'promote_secondaries after the reload')
    d.stop()
    assert sysctl(topo, PROMOTE) == '0'


IGMP = 'net/ipv4/igmp_link_local_mcast_reports'


def test_disable_local_igmp(start_daemon, tmp_path, topo):
    """disable_local_igmp: no IGMP reports for 224.0.0.0/24 (VRRP's group) while the
    daemon runs; the setting back at exit."""
    assert sysctl(topo, IGMP) == '1'
    d = start(start_daemon, tmp_path, config(global_extra='disable_local_igmp'))
    d.wait_log(r'\(VI_1\) Entering MASTER STATE', timeout=20)
    assert sysctl(topo, IGMP) == '0'
    d.stop()
    assert sysctl(topo, IGMP) == '1'


# ---------------------------------------------------------------- instances that cannot run

def test_unicast_fault_no_peer(start_daemon, tmp_path, topo):
    """unicast_fault_no_peer without unicast_peer: FAULT for good, with 2.2.7's line, instead
    of falling back to multicast; the VIP never comes."""
    d = start(start_daemon, tmp_path, config('unicast_fault_no_peer'))
    d.wait_log(r'\(VI_1\) Cannot use unicast without any peers - going to fault state', timeout=20)
    holds_for(lambda: not topo.has_addr('a', VIP), 1.5, 'no VIP')
    assert not d.search(r'\(VI_1\) Entering (MASTER|BACKUP)')


def test_unicast_fault_no_peer_with_peers(start_daemon, tmp_path, topo):
    """With a peer it is plain unicast: the instance runs."""
    d = start(start_daemon, tmp_path, config('''unicast_fault_no_peer
        unicast_peer {
            192.0.2.2
        }'''))
    d.wait_log(r'\(VI_1\) Entering MASTER STATE', timeout=20)
    assert not d.search(r'Cannot use unicast')


def test_use_ipvlan_without_kernel_support(start_daemon, tmp_path, topo):
    """use_ipvlan on a kernel without ipvlan: 2.2.7's line, the instance stays in FAULT."""
    d = start(start_daemon, tmp_path, config('use_ipvlan'))
    d.wait_log(r'\(VI_1\): Unable to create ipvlan interface vrrp\.51', timeout=20)
    holds_for(lambda: not topo.has_addr('a', VIP), 1.5, 'no VIP')
    assert not d.search(r'\(VI_1\) Entering MASTER')


def config_test(binary, topo, tmp_path, text):
    conf = tmp_path / 'ka.conf'
    conf.write_text(text)
    return kalib.run_binary(binary, ['-t', '-f', str(conf)], ns=topo.host(), cwd=tmp_path)


def test_vrf_with_interface_is_an_error(binary, topo, tmp_path):
    """vrf with an interface: 2.2.7's message, and -t fails (exit 5)."""
    r = config_test(binary, topo, tmp_path, config('vrf vrf1'))
    assert '(VI_1) Cannot specify VRF interface and interface - ignoring' in r.stdout + r.stderr
    assert r.returncode == 5


@pytest.mark.parametrize('value,ok', [('0', True), ('4', True), ('5', False)])
def test_debug_accepted(binary, topo, tmp_path, value, ok):
    """debug 0..4 is accepted and, as in 2.2.7, changes nothing; 5 is an error."""
    r = config_test(binary, topo, tmp_path, config(f'debug {value}'))
    assert (r.returncode == 0) == ok, r.stdout + r.stderr
    assert 'not acted on' not in r.stdout + r.stderr


# ---------------------------------------------------------------- old_unicast_checksum

def unicast_conf(me, peer, prio, extra=''):
    return config(f'''unicast_src_ip {me}
        unicast_peer {{
            {peer}
        }}
        {extra}''', prio=prio, adv=0.5)


@pytest.fixture
def two(start_daemon, tmp_path):
    """two(host, text, name=host, debian=False) -> a started daemon on host."""
    def run(host, text, name=None, debian=False):
        path = tmp_path / f'{name or host}.conf'
        path.write_text(text)
        kw = dict(binary=kalib.DEBIAN) if debian else {}
        return start_daemon(path, name=name or host, host=host, **kw)
    return run


def old_master_and_our_backup(two, topo):
    b = two('b', unicast_conf('192.0.2.2', '192.0.2.1', 200, 'old_unicast_checksum'),
            debian=True)
    b.wait_log(r'\(VI_1\) Entering MASTER STATE', timeout=20)
    a = two('a', unicast_conf('192.0.2.1', '192.0.2.2', 100))
    a.wait_log(r'\(VI_1\) Setting unicast VRRPv3 checksum to old version', timeout=20)
    holds_for(lambda: not topo.has_addr('a', VIP), 2, 'the VIP stays on b')
    assert not a.search(r'\(VI_1\) Entering MASTER')
    assert not a.search(r'Invalid VRRPv3 checksum')
    return a, b


def test_old_unicast_checksum_detected(two, topo):
    """A master with the old unicast VRRPv3 checksum (keepalived < 1.3.6, or
    old_unicast_checksum: here Debian's 2.2.7): our backup says 2.2.7's line, switches
    to it, and stays backup."""
    old_master_and_our_backup(two, topo)


@pytest.mark.ours_only  # 2.2.7 goes back to the RFC checksum when it becomes master
def test_old_unicast_checksum_kept_as_master(two, topo):
    """Switched to the old checksum, ours keeps sending it once master: the old master,
    back as a backup with old_unicast_checksum, accepts our adverts (2.2.7 sends RFC
    checksums then, which that backup rejects: two masters)."""
    a, b = old_master_and_our_backup(two, topo)
    b.stop()
    a.wait_log(r'\(VI_1\) Entering MASTER STATE', timeout=10)
    b2 = two('b', unicast_conf('192.0.2.2', '192.0.2.1', 50, 'old_unicast_checksum'),
             name='b2', debian=True)
    b2.wait_log(r'\(VI_1\) Entering BACKUP STATE', timeout=20)
    holds_for(lambda: not topo.has_addr('b', VIP), 2, 'b stays backup')
    assert not b2.search(r'Invalid VRRPv3 checksum|Entering MASTER')


def test_old_unicast_checksum_never(two, topo):
    """old_unicast_checksum never: the old checksum is a checksum error (2.2.7's line),
    so this backup hears no master and takes over too."""
    b = two('b', unicast_conf('192.0.2.2', '192.0.2.1', 200, 'old_unicast_checksum'),
            debian=True)
    b.wait_log(r'\(VI_1\) Entering MASTER STATE', timeout=20)
    a = two('a', unicast_conf('192.0.2.1', '192.0.2.2', 100, 'old_unicast_checksum never'))
    a.wait_log(r'\(VI_1\) Invalid VRRPv3 checksum', timeout=20)
    a.wait_log(r'\(VI_1\) Entering MASTER STATE', timeout=20)
    assert not a.search(r'Setting unicast VRRPv3 checksum')


def test_old_unicast_checksum_sent(two, topo):
    """old_unicast_checksum on our master: Debian's 2.2.7 backup detects it (its own line)
    and stays backup."""
    a = two('a', unicast_conf('192.0.2.1', '192.0.2.2', 200, 'old_unicast_checksum'))
    a.wait_log(r'\(VI_1\) Entering MASTER STATE', timeout=20)
    b = two('b', unicast_conf('192.0.2.2', '192.0.2.1', 100), debian=True)
    b.wait_log(r'\(VI_1\) Setting unicast VRRPv3 checksum to old version', timeout=20)
    holds_for(lambda: not topo.has_addr('b', VIP), 2, 'b stays backup')
    assert not b.search(r'Entering MASTER')


# ---------------------------------------------------------------- dynamic_interfaces

def test_dynamic_interfaces_waits_for_the_interface(start_daemon, tmp_path, topo):
    """dynamic_interfaces: an instance on an interface that does not exist yet says so
    (2.2.7's line), waits in FAULT, and runs once the interface is created."""
    text = config(global_extra='dynamic_interfaces').replace('interface eth0', 'interface eth9')
    d = start(start_daemon, tmp_path, text)
    d.wait_log(r"Configuration specifies interface eth9 which doesn't currently exist - "
               r"will use if created", timeout=20)
    holds_for(lambda: not topo.has_addr('a', VIP), 1, 'no VIP without the interface')
    topo.add_link('a', 'eth9')
    topo.ip('a', 'addr', 'add', '198.51.100.1/24', 'dev', 'eth9')
    d.wait_log(r'\(VI_1\) Entering MASTER STATE', timeout=20)
    wait_for(lambda: ('eth9', f'{VIP}/24') in topo.addrs_by_dev('a'), 5, 'VIP on eth9')


@pytest.mark.ours_only  # 2.2.7 stops the daemon: "Non-existent interface specified in configuration"
def test_missing_interface_without_dynamic_interfaces(start_daemon, tmp_path, topo):
    """Without dynamic_interfaces: 2.2.7's warning, and (unlike 2.2.7, which exits with a
    config error) the instance waits in FAULT for the interface all the same."""
    d = start(start_daemon, tmp_path, config().replace('interface eth0', 'interface eth9'))
    d.wait_log(r"WARNING - interface eth9 for vrrp_instance VI_1 doesn't exist", timeout=20)
    topo.add_link('a', 'eth9')
    topo.ip('a', 'addr', 'add', '198.51.100.1/24', 'dev', 'eth9')
    d.wait_log(r'\(VI_1\) Entering MASTER STATE', timeout=20)


# ---------------------------------------------------------------- the NA router flag

VIP6 = '2001:db8::100'


def nas_for(cap, target):
    """The flags bytes of the unsolicited NAs for target that cap saw."""
    import ipaddress
    want = ipaddress.IPv6Address(target).packed
    out = []
    for _ts, lt, frame in cap.packets():
        ip = kalib.decode_ip(frame, lt)
        if not ip or ip['proto'] != 58:
            continue
        icmp = ip['payload']
        if len(icmp) >= 24 and icmp[0] == 136 and icmp[8:24] == want:
            out.append(icmp[4])
    return out


@pytest.mark.parametrize('forwarding', [1, 0])
def test_na_router_flag_follows_ipv6_forwarding(start_daemon, tmp_path, topo, forwarding):
    """The unsolicited NAs of a new master carry the Router flag when IPv6 forwarding is
    on for the interface, and not otherwise (as 2.2.7)."""
    set_sysctl(topo, 'net/ipv6/conf/eth0/forwarding', forwarding)
    text = config().replace(f'{VIP}/24', f'{VIP6}/64')
    with kalib.Capture(topo.switch, topo.port['a'], tmp_path / 'a.pcap', 'icmp6') as cap:
        d = start(start_daemon, tmp_path, text)
        d.wait_log(r'\(VI_1\) Entering MASTER STATE', timeout=20)
        wait_for(lambda: len(nas_for(cap, VIP6)) >= 3, 5, 'NAs for the VIP')
        flags = nas_for(cap, VIP6)
    assert all(bool(f & 0x80) == bool(forwarding) for f in flags), [hex(f) for f in flags]
    assert all(f & 0x20 for f in flags)     # Override, always


# ---------------------------------------------------------------- garp_extra_if

EXTRA_VIP = '198.51.100.100'


def garps_for(cap, vip, since=0):
    """Timestamps of the gratuitous ARPs (sender IP = vip) that cap saw after since."""
    import socket
    want = socket.inet_aton(vip)
    return [ts for ts, _lt, f in cap.packets()
            if ts > since and len(f) >= 42 and f[12:14] == b'\x08\x06' and f[28:32] == want]


def extra_if_config(extra, global_extra=''):
    return config(f'''garp_master_delay 0
        {extra}''', global_extra=global_extra).replace(
        f'{VIP}/24', f'{VIP}/24\n        {EXTRA_VIP}/24 dev eth1')


@pytest.mark.parametrize('where', ['instance', 'global'])
def test_garp_extra_if_repeats_on_the_other_interface(start_daemon, tmp_path, topo, where):
    """garp_extra_if all 1 (or vrrp_garp_extra_if all 1): while MASTER, a gratuitous ARP
    every second on eth1, which carries a VIP but is not the instance's interface; none
    on eth0 after the first burst."""
    topo.add_link('a', 'eth1')
    kw = 'garp_extra_if all 1'
    text = extra_if_config(kw) if where == 'instance' else \
        extra_if_config('', global_extra=f'vrrp_{kw}')
    with kalib.Capture(topo.host(), 'eth1p', tmp_path / 'eth1.pcap', 'arp') as cap1, \
            kalib.Capture(topo.switch, topo.port['a'], tmp_path / 'eth0.pcap', 'arp') as cap0:
        d = start(start_daemon, tmp_path, text)
        d.wait_log(r'\(VI_1\) Entering MASTER STATE', timeout=20)
        wait_for(lambda: garps_for(cap1, EXTRA_VIP), 5, 'the first burst on eth1')
        first = garps_for(cap1, EXTRA_VIP)[-1] + 0.5     # after the first burst
        time.sleep(3.6)
        extra = garps_for(cap1, EXTRA_VIP, since=first)
        on_eth0 = garps_for(cap0, VIP, since=first)
    assert 2 <= len(extra) <= 4, extra
    assert not on_eth0


def test_garp_extra_if_without_all_needs_a_vmac(start_daemon, tmp_path, topo):
    """Without 'all' only VMAC interfaces get them (2.2.7): eth1 gets none after the burst."""
    topo.add_link('a', 'eth1')
    with kalib.Capture(topo.host(), 'eth1p', tmp_path / 'eth1.pcap', 'arp') as cap1:
        d = start(start_daemon, tmp_path, extra_if_config('garp_extra_if 1'))
        d.wait_log(r'\(VI_1\) Entering MASTER STATE', timeout=20)
        wait_for(lambda: garps_for(cap1, EXTRA_VIP), 5, 'the first burst on eth1')
        first = garps_for(cap1, EXTRA_VIP)[-1] + 0.5
        time.sleep(2.5)
        assert not garps_for(cap1, EXTRA_VIP, since=first)


# ---------------------------------------------------------------- interface_up_down_delays

def delays_config(delays, adv=1, extra='down_timer_adverts 5'):
    return config(extra, adv=adv) + f'''
interface_up_down_delays {{
    eth0 {delays}
}}
'''


def test_interface_down_delay(start_daemon, tmp_path, topo):
    """interface_up_down_delays { eth0 2 }: eth0 going down reaches the instance only
    after 2 s (2.2.7's line says so); then FAULT. (advert_int 1, down_timer_adverts 5:
    the delay is shorter than 4 adverts, so it is kept.)"""
    d = start(start_daemon, tmp_path, delays_config('2'))
    d.wait_log(r'\(VI_1\) Entering MASTER STATE', timeout=20)
    mark = d.mark()
    t0 = time.monotonic()
    topo.ip('a', 'link', 'set', 'eth0', 'down')
    d.wait_log(r'eth0: Adding flags change from 0x\w+ to 0x\w+ delay by 2000000', since=mark)
    holds_for(lambda: not d.search(r'\(VI_1\) Entering FAULT', since=mark),
              max(0.1, t0 + 1.7 - time.monotonic()), 'no FAULT during the delay')
    d.wait_log(r'\(VI_1\) Entering FAULT STATE', timeout=5, since=mark)
    assert time.monotonic() - t0 >= 1.9


def test_interface_delay_cut_to_the_down_timer(start_daemon, tmp_path, topo):
    """A delay on the instance's interface as long as its master-down timer (here 2 s
    against advert_int 0.1) is cut to just under (down_timer_adverts - 1) adverts, with
    2.2.7's lines: 200 ms less 1/256 of an advert."""
    d = start(start_daemon, tmp_path, delays_config('2', adv=0.1, extra=''))
    d.wait_log(r'VI_1: interface eth0 debounce timer\(s\) not less that 2 \* advert_int - '
               r'resetting', timeout=20)
    d.wait_log(r'\(VI_1\) Entering MASTER STATE', timeout=20)
    mark = d.mark()
    topo.ip('a', 'link', 'set', 'eth0', 'down')
    d.wait_log(r'eth0: Adding flags change from 0x\w+ to 0x\w+ delay by 199610', since=mark)
    d.wait_log(r'\(VI_1\) Entering FAULT STATE', timeout=5, since=mark)


def test_interface_flap_within_the_delay(start_daemon, tmp_path, topo):
    """Down and up again within the delay: the change is dropped (silently, as 2.2.7)
    and the instance never notices."""
    d = start(start_daemon, tmp_path, delays_config('3 3'))
    d.wait_log(r'\(VI_1\) Entering MASTER STATE', timeout=20)
    mark = d.mark()
    topo.ip('a', 'link', 'set', 'eth0', 'down')
    d.wait_log(r'eth0: Adding flags change', since=mark)
    topo.ip('a', 'link', 'set', 'eth0', 'up')
    holds_for(lambda: not d.search(r'\(VI_1\) Entering', since=mark), 3, 'still MASTER')
    assert topo.has_addr('a', VIP)


@pytest.mark.ours_only
def test_interface_up_delay_on_reload(start_daemon, tmp_path, topo):
    """A delay added by a reload applies from then on."""
    path = tmp_path / 'ka.conf'
    path.write_text(config('down_timer_adverts 20'))
    d = start_daemon(path)
    d.wait_log(r'\(VI_1\) Entering MASTER STATE', timeout=20)
    path.write_text(delays_config('1', adv=0.1, extra='down_timer_adverts 20'))
    mark = d.mark()
    d.signal(signal.SIGHUP)
    d.wait_log(r'VRRP reload', timeout=10, since=mark)
    topo.ip('a', 'link', 'set', 'eth0', 'down')
    d.wait_log(r'eth0: Adding flags change .* delay by 1000000', since=mark)
    d.wait_log(r'\(VI_1\) Entering FAULT STATE', timeout=5, since=mark)


@pytest.mark.ours_only  # Debian's 2.2.7 is built without linkbeat and says nothing
def test_linkbeat_says_netlink_is_used(binary, topo, tmp_path):
    """linkbeat_interfaces / linkbeat_use_polling: no polling, and a warning that says so;
    -t passes (the instance's deprecated keyword excepted, as in 2.2.7)."""
    text = config() + '''
linkbeat_use_polling
linkbeat_interfaces {
    eth0 ETHTOOL
}
'''
    r = config_test(binary, topo, tmp_path, text)
    out = r.stdout + r.stderr
    assert 'linkbeat_interfaces eth0: no polling: the link state comes from netlink' in out
    assert "'linkbeat_use_polling': no polling" in out
    assert 'not acted on' not in out
    assert r.returncode == 0, out


# ---------------------------------------------------------------- track_src_ip

# 2.2.7 does not go to FAULT (its man page says it does): ours_only
@pytest.mark.parametrize('track', [pytest.param(True, marks=pytest.mark.ours_only), False],
                         ids=['track_src_ip', 'untracked'])
def test_track_src_ip(start_daemon, tmp_path, topo, track):
    """track_src_ip: the instance is in FAULT while its configured source address
    (mcast_src_ip, the interface's address here) is missing from its interface, and runs
    again once it is back, as keepalived.conf(5) of 2.2.7 says. Without it, the instance
    does not notice."""
    extra = 'mcast_src_ip 192.0.2.1' + ('\ntrack_src_ip' if track else '')
    d = start(start_daemon, tmp_path, config(extra))
    d.wait_log(r'\(VI_1\) Entering MASTER STATE', timeout=20)
    mark = d.mark()
    topo.ip('a', 'addr', 'del', '192.0.2.1/24', 'dev', 'eth0')
    if not track:
        # (the kernel takes the VIP, a secondary, with the address: 2.2.7 goes BACKUP and
        # MASTER again, we put the VIP back; neither is a FAULT)
        holds_for(lambda: not d.search(r'\(VI_1\) Entering FAULT', since=mark), 1.5,
                  'no FAULT')
        return
    d.wait_log(r'\(VI_1\) Entering FAULT STATE', timeout=5, since=mark)
    topo.ip('a', 'addr', 'add', '192.0.2.1/24', 'dev', 'eth0')
    d.wait_log(r'\(VI_1\) Entering MASTER STATE', timeout=10, since=mark)
    wait_for(lambda: topo.has_addr('a', VIP), 5, 'VIP back')


# ---------------------------------------------------------------- receive buffers

def each_socket(pid, fn):
    """fn(sock) for each socket process pid holds, read through a copy of its descriptor
    (pidfd_getfd); the results that are not None."""
    import ctypes
    import socket
    libc = ctypes.CDLL(None, use_errno=True)
    out = []
    pidfd = os.pidfd_open(pid)
    try:
        for fd in os.listdir(f'/proc/{pid}/fd'):
            try:
                if not os.readlink(f'/proc/{pid}/fd/{fd}').startswith('socket:'):
                    continue
            except OSError:
                continue
            mine = libc.syscall(438, pidfd, int(fd), 0)     # pidfd_getfd
            if mine < 0:
                continue
            sk = socket.socket(fileno=mine)
            try:
                v = fn(sk)
                if v is not None:
                    out.append(v)
            finally:
                sk.close()
    finally:
        os.close(pidfd)
    return out


def rcvbufs(pid):
    """SO_RCVBUF (as the kernel reports it: doubled) of each raw socket process pid holds."""
    import socket
    return each_socket(pid, lambda sk: sk.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF)
                       if sk.getsockopt(socket.SOL_SOCKET, socket.SO_TYPE) == socket.SOCK_RAW
                       else None)


@pytest.mark.parametrize('conf,want', [
    (('kernel_rx_buf_size 100000', ''), 200000),
    (('', 'vrrp_rx_bufs_policy 50000'), 100000),
    (('', 'vrrp_rx_bufs_policy MTU\nvrrp_rx_bufs_multiplier 10'), 2 * 10 * 1500),
], ids=['kernel_rx_buf_size', 'policy_size', 'policy_mtu'])
def test_receive_buffer_size(start_daemon, tmp_path, topo, conf, want):
    """kernel_rx_buf_size / vrrp_rx_bufs_policy size the VRRP socket's receive buffer
    (SO_RCVBUF, which the kernel doubles): what ss shows."""
    inst, glob = conf
    d = start(start_daemon, tmp_path, config(inst, global_extra=glob))
    d.wait_log(r'\(VI_1\) Entering MASTER STATE', timeout=20)
    pid = d.vrrp_pid()
    wait_for(lambda: want in rcvbufs(pid), 5, f'a raw socket with SO_RCVBUF {want}')


# ---------------------------------------------------------------- garp_group

def test_garp_group_spaces_the_garps(start_daemon, tmp_path, topo):
    """garp_group { garp_interval 0.3; interface eth0 }: the gratuitous ARPs on eth0 go
    out at least 0.3 s apart (without it: a burst)."""
    vips = [f'192.0.2.{100 + i}' for i in range(3)]
    text = config('garp_master_repeat 1\ngarp_master_delay 0').replace(
        f'{VIP}/24', '\n        '.join(f'{v}/24' for v in vips)) + '''
garp_group {
    garp_interval 0.3
    interface eth0
}
'''
    with kalib.Capture(topo.switch, topo.port['a'], tmp_path / 'a.pcap', 'arp') as cap:
        d = start(start_daemon, tmp_path, text)
        d.wait_log(r'\(VI_1\) Entering MASTER STATE', timeout=20)
        wait_for(lambda: all(garps_for(cap, v) for v in vips), 5, 'a GARP for each VIP')
        ts = sorted(t for v in vips for t in garps_for(cap, v))
    gaps = [b - a for a, b in zip(ts, ts[1:])]
    assert len(ts) >= 3 and min(gaps) >= 0.27, gaps


# ---------------------------------------------------------------- lvs_sync_daemon_interface

@pytest.mark.ours_only  # KEEPALIVED_IPVS_RECORD is ours (2.2.7 needs ip_vs)
def test_lvs_sync_daemon_interface(start_daemon, tmp_path, topo, monkeypatch):
    """The deprecated lvs_sync_daemon_interface on an instance: as 'lvs_sync_daemon IF
    INSTANCE' (syncid: the VRID): the sync daemon follows the instance (BACKUP, then
    MASTER), and the deprecation is said."""
    import json
    rec = tmp_path / 'ipvs.jsonl'
    monkeypatch.setenv('KEEPALIVED_IPVS_RECORD', str(rec))
    d = start(start_daemon, tmp_path, config('lvs_sync_daemon_interface eth0'))
    d.wait_log(r"'lvs_sync_daemon_interface' is deprecated", timeout=20)
    d.wait_log(r'\(VI_1\) Entering MASTER STATE', timeout=20)

    def cmds():
        if not rec.exists():
            return []
        return [(j['cmd'], j['daemon']['state'], j['daemon']['syncid'],
                 j['daemon'].get('mcast_ifn'))
                for j in map(json.loads, rec.read_text().splitlines())
                if j['cmd'] in ('NEW_DAEMON', 'DEL_DAEMON')]
    wait_for(lambda: len(cmds()) >= 3, 10, 'the sync daemon commands')
    assert cmds()[:3] == [('NEW_DAEMON', 2, 51, 'eth0'), ('DEL_DAEMON', 2, 51, ''),
                          ('NEW_DAEMON', 1, 51, 'eth0')]


# ---------------------------------------------------------------- v3_checksum_as_v2

@pytest.mark.ours_only  # a keyword of later keepalived versions
@pytest.mark.parametrize('where', ['instance', 'global'])
def test_v3_checksum_as_v2(two, topo, tmp_path, where):
    """v3_checksum_as_v2: VRRPv3 adverts over IPv4 checksummed as v2's, without the
    pseudo-header (Cisco/Juniper interop): on the wire, and a peer with it too stays backup,
    while one without it counts a checksum error and takes over as well."""
    inst, glob = ('v3_checksum_as_v2', '') if where == 'instance' else ('', 'v3_checksum_as_v2')
    with kalib.Capture(topo.switch, topo.port['a'], tmp_path / 'a.pcap', 'ip proto 112') as cap:
        a = two('a', config(inst, global_extra=glob, prio=200))
        a.wait_log(r'\(VI_1\) Entering MASTER STATE', timeout=20)
        b = two('b', config('v3_checksum_as_v2', prio=100))
        b.wait_log(r'\(VI_1\) Entering BACKUP STATE', timeout=20)
        holds_for(lambda: not topo.has_addr('b', VIP), 1, 'b stays backup')
        payloads = [kalib.decode_ip(f, lt) for _ts, lt, f in cap.packets()]
    vrrp = [ip['payload'] for ip in payloads if ip and ip['src'] == '192.0.2.1']
    assert vrrp and all(kalib.inet_checksum(p) == 0 for p in vrrp)
    c = two('b', config('', prio=100).replace('priority 100', 'priority 100'), name='b2')
    c.wait_log(r'\(VI_1\) Invalid VRRPv3 checksum', timeout=20)


# ---------------------------------------------------------------- max_auto_priority

def sched_policy(pid):
    """The scheduling policy of pid (0 SCHED_OTHER, 2 SCHED_RR) and its rt priority."""
    fields = open(f'/proc/{pid}/stat').read().rsplit(')', 1)[1].split()
    return int(fields[38]), int(fields[37])     # policy (field 41), rt_priority (40)


@pytest.mark.ours_only  # 2.2.7 logged nothing here (its check misses a stopped process)
def test_max_auto_priority(start_daemon, tmp_path, topo):
    """A VRRP child whose timers run late (here: stopped for a second) logs how late, and
    with max_auto_priority goes realtime (SCHED_RR), one step per late wakeup."""
    d = start(start_daemon, tmp_path, config(
        global_extra='max_auto_priority 5\n    min_auto_priority_delay 200000'))
    d.wait_log(r'\(VI_1\) Entering MASTER STATE', timeout=20)
    pid = d.vrrp_pid()
    assert sched_policy(pid)[0] == 0
    mark = d.mark()
    os.kill(pid, signal.SIGSTOP)
    time.sleep(1)
    os.kill(pid, signal.SIGCONT)
    d.wait_log(r'A thread timer expired 0?\.?\d+\.\d{6} seconds ago', since=mark, timeout=5)
    d.wait_log(r'Set realtime priority 1', since=mark, timeout=5)
    assert sched_policy(pid) == (2, 1)


# ---------------------------------------------------------------- vrrp_netlink_*_rcv_bufs

def netlink_rcvbufs(pid):
    """(joined groups?, SO_RCVBUF as the kernel reports it: doubled) of each NETLINK_ROUTE
    socket process pid holds."""
    import socket

    def one(sk):
        if (sk.getsockopt(socket.SOL_SOCKET, socket.SO_DOMAIN) != socket.AF_NETLINK or
                sk.getsockopt(socket.SOL_SOCKET, socket.SO_PROTOCOL) != 0):
            return None
        groups = sk.getsockopt(270, 9, 64)      # SOL_NETLINK, NETLINK_LIST_MEMBERSHIPS
        return (any(groups), sk.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF))
    return sorted(each_socket(pid, one))


@pytest.mark.ours_only  # 2.2.7's default buffers differ from ours (8 MB)
@pytest.mark.parametrize('glob,want', [
    ('', [(False, 16 << 20), (True, 16 << 20)]),
    ('vrrp_netlink_cmd_rcv_bufs 1048576\nvrrp_netlink_cmd_rcv_bufs_force\n'
     'vrrp_netlink_monitor_rcv_bufs 524288\nvrrp_netlink_monitor_rcv_bufs_force',
     [(False, 2 << 20), (True, 1 << 20)]),
], ids=['default', 'configured'])
def test_vrrp_netlink_rcv_bufs(start_daemon, tmp_path, topo, glob, want):
    """vrrp_netlink_cmd_rcv_bufs / vrrp_netlink_monitor_rcv_bufs (with _force: past
    rmem_max) size the VRRP child's netlink sockets: the one for requests (no group) and
    the reflector's (joined to the link and address groups); by default 8 MB each."""
    d = start(start_daemon, tmp_path, config('', global_extra=glob))
    d.wait_log(r'\(VI_1\) Entering MASTER STATE', timeout=20)
    pid = d.vrrp_pid()
    wait_for(lambda: netlink_rcvbufs(pid) == want, 5, f'netlink receive buffers {want}')
