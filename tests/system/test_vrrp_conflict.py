# SPDX-License-Identifier: GPL-2.0-or-later
"""VIP conflicts, split brain and failover time (issue 15 items 4 and 5), as a user sees
them: the master's log line naming the other router, the count in its end line, the
notify_conflict script, the VIPs announced again on the wire once the conflict is over,
and a new master's "took over from X, N ms after its last advert".

keepalived 2.2.7 has none of this: every test is ours_only. Hosts a (192.0.2.1), b
(192.0.2.2) and c (192.0.2.3) on one bridge; a is the master (priority 200). Conflicting
ARP replies and neighbour adverts are hand-made frames sent from a packet socket in the
sender's namespace; a second master is a crafted advert, or our daemon on b cut off
from a and joined again (the partition of keepalived's issues #166 and #1884).
"""
import ipaddress
import json
import os
import re
import signal
import subprocess
import socket
import struct
import time
from pathlib import Path

import pytest

import kalib
from kalib import holds_for, wait_for

pytestmark = pytest.mark.ours_only   # keepalived 2.2.7 reports no conflicts, no failover time

VIP4, VIP6 = '192.0.2.100', '2001:db8::100'
GROUP4 = '224.0.0.18'
QUIET = 1.0                 # an episode ends after max(3 advert intervals, 1 s) without packets


def config(prio, vip=VIP4, adv=0.1, extra='', vmac=False):
    plen = 64 if ':' in vip else 24
    more = '\n'.join(f'    {line.strip()}' for line in extra.strip().splitlines())
    return f'''global_defs {{
    router_id kt_conflict
    script_user root
    enable_script_security
}}
vrrp_instance VI_1 {{
    state BACKUP
    interface eth0
    virtual_router_id 51
    priority {prio}
    advert_int {adv}
    version 3
    garp_master_delay 0
    garp_lower_prio_delay 0
{'    use_vmac' if vmac else ''}
{more}
    virtual_ipaddress {{
        {vip}/{plen}
    }}
}}
'''


def start(start_daemon, tmp_path, text, host='a'):
    path = tmp_path / f'{host}.conf'
    path.write_text(text)
    d = start_daemon(path, name=host, host=host, args=[f'--control-socket={tmp_path}/{host}.ctl'])
    d.sock = tmp_path / f'{host}.ctl'
    return d


def status_instance(d):
    """VI_1 in `keepalived --status --json` of daemon d."""
    p = subprocess.run([kalib.find_binary(), '--status', '--json', f'--control-socket={d.sock}'],
                       capture_output=True, text=True, timeout=30)
    assert p.returncode == 0, p.stderr
    return next(i for i in json.loads(p.stdout)['vrrp']['instances'] if i['name'] == 'VI_1')


def notify_script(tmp_path):
    """An executable script that appends its arguments as one line to conflict.txt."""
    os.chmod(tmp_path, 0o755)
    out = tmp_path / 'conflict.txt'
    path = tmp_path / 'conflict.sh'
    path.write_text(f'#!/bin/sh\necho "$@" >> {out}\n')
    path.chmod(0o755)
    return path, out


def lines(path):
    return Path(path).read_text().splitlines() if Path(path).exists() else []


def mac_of(topo, h, dev='eth0'):
    out = topo.ip(h, '-o', 'link', 'show', 'dev', dev).stdout
    return bytes.fromhex(out.split('link/ether ')[1].split()[0].replace(':', ''))


def packet_socket(topo, h, dev='eth0'):
    s = kalib.netns_socket(topo.host(h), socket.AF_PACKET, socket.SOCK_RAW, 0)
    s.bind((dev, 0))
    return s


def arp_frame(op, smac, sip, tmac, tip, dst=b'\xff' * 6):
    """An Ethernet ARP frame (IPv4): sender smac/sip, target tmac/tip."""
    return (dst + smac + b'\x08\x06' + struct.pack('!HHBBH', 1, 0x0800, 6, 4, op) + smac +
            ipaddress.IPv4Address(sip).packed + tmac + ipaddress.IPv4Address(tip).packed)


def na_frame(smac, src, target):
    """An unsolicited neighbour advert (override) for target, with its link-layer option."""
    s, d = ipaddress.IPv6Address(src).packed, ipaddress.IPv6Address('ff02::1').packed
    icmp = (struct.pack('!BBHI', 136, 0, 0, 0x20000000) + ipaddress.IPv6Address(target).packed +
            struct.pack('!BB', 2, 1) + smac)
    csum = kalib.inet_checksum(s + d + struct.pack('!I3xB', len(icmp), 58) + icmp)
    icmp = icmp[:2] + struct.pack('!H', csum) + icmp[4:]
    ip6 = struct.pack('!IHBB', 0x60000000, len(icmp), 58, 255) + s + d
    return b'\x33\x33\x00\x00\x00\x01' + smac + b'\x86\xdd' + ip6 + icmp


def watch_sockets(topo, h):
    """The interfaces (ifindex) that host h's packet sockets bound to ETH_P_ALL listen on:
    the conflict sockets (tcpdump is never run in a or b)."""
    out = kalib.sh('ip', 'netns', 'exec', topo.host(h), 'cat', '/proc/net/packet').stdout
    rows = [line.split() for line in out.splitlines()[1:]]
    return [int(r[4]) for r in rows if len(r) > 4 and r[3] == '0003']


def ifindex(topo, h, dev='eth0'):
    return int(topo.ip(h, '-o', 'link', 'show', 'dev', dev).stdout.split(':')[0])


def announcements(cap, mac, vip, since):
    """Our GARPs (ARP, sender = target = vip) or NAs for vip from mac, after since (epoch s)."""
    out = []
    target = ipaddress.ip_address(vip).packed
    for ts, _lt, f in cap.packets():
        if ts < since or f[6:12] != mac:
            continue
        if f[12:14] == b'\x08\x06' and f[28:32] == target and f[38:42] == target:
            out.append(ts)
        elif f[12:14] == b'\x86\xdd' and len(f) >= 78 and f[20] == 58 and f[54] == 136 \
                and f[62:78] == target:
            out.append(ts)
    return out


@pytest.fixture
def topo():
    t = kalib.Topology(('a', 'b', 'c'))
    yield t
    t.destroy()


def master(start_daemon, tmp_path, topo, vip=VIP4, extra='', vmac=False):
    a = start(start_daemon, tmp_path, config(200, vip, extra=extra, vmac=vmac))
    a.wait_log(r'\(VI_1\) Entering MASTER STATE', timeout=10)
    wait_for(lambda: topo.has_addr('a', vip) or vmac, 5, f'{vip} on a')
    return a


# ---------------------------------------------------------------- a VIP claimed by another MAC

@pytest.mark.parametrize('family,vmac', [(4, False), (4, True), (6, False)],
                         ids=['arp', 'arp-use_vmac', 'na'])
def test_vip_claimed_by_another_mac(start_daemon, tmp_path, topo, family, vmac):
    """c claims the master's VIP three times (ARP replies; NAs for an IPv6 VIP): the master
    logs one line naming c's MAC, runs notify_conflict, and when c has been quiet for the
    quiet time it ends the episode ("3 packets") and announces the VIP again, seen on the
    wire. Its own GARPs/NAs (from its MAC, or its VMAC with use_vmac) are no conflict, nor is
    an ARP reply from c for c's own address; the backup b, not master, reports nothing."""
    vip = VIP4 if family == 4 else VIP6
    sh, out = notify_script(tmp_path)
    a = master(start_daemon, tmp_path, topo, vip, extra=f'notify_conflict "{sh}"', vmac=vmac)
    b = start(start_daemon, tmp_path, config(100, vip), host='b')
    b.wait_log(r'\(VI_1\) Entering BACKUP STATE', timeout=10)
    # a's sender MAC: the VMAC's with use_vmac (00:00:5e:00:01:51), else eth0's
    a_mac = mac_of(topo, 'a', 'vrrp.51' if vmac else 'eth0')
    c_mac = mac_of(topo, 'c')
    with kalib.Capture(topo.host('c'), 'eth0', tmp_path / 'c.pcap', 'arp or icmp6') as cap:
        # a's becoming-master announcements are no conflict, nor is c speaking for itself
        wait_for(lambda: announcements(cap, a_mac, vip, 0) or True, 1)
        s = packet_socket(topo, 'c')
        try:
            if family == 4:
                s.send(arp_frame(2, c_mac, '192.0.2.3', a_mac, '192.0.2.1'))
            holds_for(lambda: not a.search(r'\(VI_1\) conflict'), 0.5, 'no conflict yet')
            t0 = time.time()
            for _ in range(3):
                if family == 4:
                    s.send(arp_frame(2, c_mac, vip, a_mac, '192.0.2.1'))
                else:
                    s.send(na_frame(c_mac, topo.link_local('c'), vip))
                t_last = time.time()   # the last claim's time: the announcement comes
                time.sleep(0.05)       # QUIET after it; three packets of one episode
        finally:
            s.close()
        kind = 'ARP reply' if family == 4 else 'neighbour advert'
        cmac = c_mac.hex(':')
        dev = 'vrrp.51' if vmac else 'eth0'     # where the VIP is
        a.wait_log(rf'\(VI_1\) conflict: {vip} is claimed by {cmac} on {dev} \({kind}\)',
                   timeout=5)
        a.wait_log(rf'\(VI_1\) conflict with {cmac} ended after \d+\.\d s \(3 packets\): '
                   r'announcing the VIPs again', timeout=5)
        # announced again on the wire, a quiet time after c's last claim
        wait_for(lambda: announcements(cap, a_mac, vip, t_last + QUIET - 0.1), 5,
                 'VIP announced again after the conflict')
        assert not announcements(cap, a_mac, vip, t0)[0] < t_last + QUIET - 0.1, \
            'announced again before the conflict was over'
    # one line per episode, whatever the packets
    assert len(re.findall(r'\(VI_1\) conflict: ', a.text())) == 1
    wait_for(lambda: len(lines(out)) == 2, 5, 'notify_conflict twice')
    assert lines(out) == [f'INSTANCE VI_1 CONFLICT {cmac}', f'INSTANCE VI_1 CONFLICT_END {cmac}']
    assert not b.search(r'\(VI_1\) conflict')
    # a took over alone: no master before it, no failover figure
    assert not a.search(r'took over from')


def test_reload_watches_new_vip(start_daemon, tmp_path, topo):
    """A reload adds a VIP to the master: a claim for it is a conflict at once (the
    socket's filter follows the VIPs)."""
    a = master(start_daemon, tmp_path, topo)
    vip2 = '192.0.2.101'
    text = config(200).replace(f'{VIP4}/24', f'{VIP4}/24\n        {vip2}/24')
    mark = a.mark()
    Path(a.conf).write_text(text)
    a.signal(signal.SIGHUP)
    a.wait_log(r'Reload complete', since=mark, timeout=5)
    wait_for(lambda: topo.has_addr('a', vip2), 5, f'{vip2} on a')
    c_mac = mac_of(topo, 'c')
    s = packet_socket(topo, 'c')
    try:
        s.send(arp_frame(1, c_mac, vip2, b'\0' * 6, vip2))      # a gratuitous ARP
    finally:
        s.close()
    a.wait_log(rf'\(VI_1\) conflict: {vip2} is claimed by {c_mac.hex(":")} on eth0 '
               r'\(gratuitous ARP\)', since=mark, timeout=5)


def wakeups(pid):
    """The voluntary context switches of pid so far: one per wait that ended in a wakeup."""
    for line in Path(f'/proc/{pid}/status').read_text().splitlines():
        if line.startswith('voluntary_ctxt_switches:'):
            return int(line.split()[1])
    raise AssertionError(f'no voluntary_ctxt_switches for {pid}')


def test_unrelated_arp_wakes_nothing(start_daemon, tmp_path, topo):
    """The master's watch passes only what concerns its VIPs: 400 ARP replies and NAs for
    other addresses, spaced 2 ms apart, cost the VRRP child hardly a wakeup (its adverts,
    every 0.1 s, are most of them), where one per frame would be 400."""
    a = master(start_daemon, tmp_path, topo)
    wait_for(lambda: watch_sockets(topo, 'a'), 5, 'a watching eth0')
    pid = a.vrrp_pid()
    c_mac = mac_of(topo, 'c')
    s = packet_socket(topo, 'c')
    try:
        before, t0 = wakeups(pid), time.monotonic()
        for i in range(200):
            s.send(arp_frame(2, c_mac, '192.0.2.3', b'\xff' * 6, '192.0.2.1'))
            s.send(na_frame(c_mac, topo.link_local('c') if i == 0 else 'fe80::3', '2001:db8::3'))
            time.sleep(0.002)
        woke, secs = wakeups(pid) - before, time.monotonic() - t0
    finally:
        s.close()
    # adverts and their timers: ~10 a second; allow three times that
    assert woke < 30 * secs + 10, f'{woke} wakeups in {secs:.2f} s for 400 unrelated frames'
    assert not a.search(r'\(VI_1\) conflict')


# ---------------------------------------------------------------- another master for our VRID

def test_crafted_second_master(start_daemon, tmp_path, topo):
    """Adverts for VRID 51 from b at priority 100 reach the master a (200): a keeps
    2.2.7's "Received advert ... lower priority" line and adds one conflict line naming
    b, whatever the number of adverts; the episode ends a quiet time after the last one,
    counted, and a announces its VIP again."""
    a = master(start_daemon, tmp_path, topo)
    a_mac = mac_of(topo, 'a')
    pkt = kalib.ipv4_packet('192.0.2.2', GROUP4, kalib.vrrp_packet(
        3, 51, 100, [VIP4], 10, src='192.0.2.2', dst=GROUP4))
    with kalib.Capture(topo.host('c'), 'eth0', tmp_path / 'c.pcap', 'arp') as cap, \
            kalib.Injector(topo.host('b')) as inj:
        for _ in range(5):
            inj.send(pkt)
            t_last = time.time()        # the last one's, not after the sleep: the
            time.sleep(0.1)             # announcement comes QUIET after it, to the ms
        a.wait_log(r'\(VI_1\) conflict: another master 192\.0\.2\.2 \(priority 100\) '
                   r'advertises VRID 51 on eth0', timeout=5)
        a.wait_log(r'\(VI_1\) conflict with 192\.0\.2\.2 ended after \d+\.\d s \(5 packets\): '
                   r'announcing the VIPs again', timeout=5)
        wait_for(lambda: announcements(cap, a_mac, VIP4, t_last + QUIET - 0.1), 5,
                 'VIP announced again after the conflict')
    assert a.search(r'\(VI_1\) Received advert from 192\.0\.2\.2 with lower priority 100, '
                    r'ours 200, forcing new election')
    assert len(re.findall(r'\(VI_1\) conflict: ', a.text())) == 1
    assert topo.has_addr('a', VIP4)
    # the status says it too
    i = status_instance(a)
    assert (i['conflicts'], i['conflict_active'], i['last_conflict_peer']) == \
        (1, False, '192.0.2.2')


def test_split_brain_heals(start_daemon, tmp_path, topo):
    """b (100) cut off from a (200) becomes master too; joined again, b yields at a's first
    advert, and a, which heard b's meanwhile, reports the conflict and announces the VIP
    again once b has been quiet for a's quiet time (3 of its 1 s intervals): what
    keepalived leaves undone after a partition heals. b advertises every 0.1 s and a
    every second, so that b's adverts reach a before a's reach b."""
    a = start(start_daemon, tmp_path, config(200, adv=1))
    a.wait_log(r'\(VI_1\) Entering MASTER STATE', timeout=10)
    a_mac = mac_of(topo, 'a')
    topo.isolate('b')
    b = start(start_daemon, tmp_path, config(100), host='b')
    b.wait_log(r'\(VI_1\) Entering MASTER STATE', timeout=10)
    with kalib.Capture(topo.host('c'), 'eth0', tmp_path / 'c.pcap', 'arp or ip proto 112') as cap:
        topo.rejoin('b')
        b.wait_log(r'\(VI_1\) Entering BACKUP STATE', timeout=5)
        a.wait_log(r'\(VI_1\) conflict: another master 192\.0\.2\.2 \(priority 100\) '
                   r'advertises VRID 51 on eth0', timeout=5)
        a.wait_log(r'\(VI_1\) conflict with 192\.0\.2\.2 ended after .*: '
                   r'announcing the VIPs again', timeout=8)
        b_last = max(ad['ts'] for ad in kalib.vrrp_adverts(cap.packets())
                     if ad['src'] == '192.0.2.2' and ad['priority'])
        wait_for(lambda: announcements(cap, a_mac, VIP4, b_last + 3 - 0.1), 5,
                 'VIP announced again after the split brain')
    wait_for(lambda: topo.has_addr('a', VIP4) and not topo.has_addr('b', VIP4), 5,
             'VIP on a only')
    assert len(re.findall(r'\(VI_1\) conflict: ', a.text())) == 1


# ---------------------------------------------------------------- failover time

def test_failover_time(start_daemon, tmp_path, topo):
    """The master a is killed: b takes over and logs from whom and how long after a's last
    advert, which is its Master_Down_Interval (3 x 1 s + skew (256 - 100) / 256 s = 3609 ms)
    plus the loop's delay: within half a second of it."""
    a = start(start_daemon, tmp_path, config(200, adv=1))
    a.wait_log(r'\(VI_1\) Entering MASTER STATE', timeout=10)
    b = start(start_daemon, tmp_path, config(100, adv=1), host='b')
    b.wait_log(r'\(VI_1\) Entering BACKUP STATE', timeout=10)
    # b has heard a (its down timer re-armed at least once)
    time.sleep(1.5)   # scenario: b hears a few of a's adverts
    assert not b.search(r'took over')
    # the master watches its VIPs' interface for conflicts; a backup watches nothing
    assert watch_sockets(topo, 'a') == [ifindex(topo, 'a')]
    assert watch_sockets(topo, 'b') == []
    # the VRRP child first: killed with its parent it would stop gracefully (priority 0)
    kalib.kill(a.vrrp_pid())
    a.kill_tree()
    line = b.wait_log(r'\(VI_1\) took over from 192\.0\.2\.1, (\d+) ms after its last advert',
                      timeout=10)
    ms = int(line.group(1))
    assert 3609 <= ms <= 3609 + 500, f'took over {ms} ms after the last advert'
    i = status_instance(b)     # the same figure in the status
    assert i['last_failover']['from'] == '192.0.2.1'
    assert int(i['last_failover']['duration_ms']) == ms
    wait_for(lambda: watch_sockets(topo, 'b') == [ifindex(topo, 'b')], 5,
             'the new master watches eth0')
    assert b.search(r'\(VI_1\) Entering MASTER STATE')
