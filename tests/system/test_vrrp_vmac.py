# SPDX-License-Identifier: GPL-2.0-or-later
"""VMAC (use_vmac) as a user sees it: the macvlan interface, its MAC, sysctls and VIP,
what goes on the wire from it, the switch seeing one MAC move, cleanup, reload, and
interop with Debian's keepalived 2.2.7 in both roles.

Hosts a (192.0.2.1), b (.2) and c (.3, an observer) on one bridge, VI_1 VRID 51
(VIP 192.0.2.100) or VI_6 VRID 61 (2001:db8::100), VRRPv3 at 0.1 s. Every test passes
against keepalived 2.2.7 (KA_REFERENCE=/usr/sbin/keepalived) except the `ours_only`
ones, which say where 2.2.7 does otherwise.
"""
import os
import re
import signal
import subprocess
import time

import pytest

import kalib
from kalib import holds_for, wait_for

REF = kalib.DEBIAN
VIP4, VIP6 = '192.0.2.100', '2001:db8::100'
MAC4, MAC6 = '00:00:5e:00:01:33', '00:00:5e:00:02:3d'    # VRID 51, VRID 61
BPF = 'ip proto 112 or ip6 proto 112 or arp or icmp6'


@pytest.fixture
def topo():
    t = kalib.Topology(('a', 'b', 'c'))
    yield t
    t.destroy()


def instance(name='VI_1', *, prio, vrid=51, vips=(f'{VIP4}/24',), extra='', adv=0.1):
    body = '\n'.join(f'        {v}' for v in vips)
    more = '\n'.join(f'    {l.strip()}' for l in extra.strip().splitlines())
    return f'''
vrrp_instance {name} {{
    state BACKUP
    interface eth0
    virtual_router_id {vrid}
    priority {prio}
    advert_int {adv}
    version 3
{more}
    virtual_ipaddress {{
{body}
    }}
}}
'''


def config(*blocks, global_extra=''):
    return f'''global_defs {{
    router_id kt_vmac
    {global_extra}
}}
''' + ''.join(blocks)


def entering(state, vi='VI_1'):
    return rf'\({vi}\) Entering {state} STATE'


def down_interval(prio, adv=0.1):
    return 3 * adv + (256 - prio) * adv / 256


class Host:
    """One host's view: links, addresses, sysctls (all inside its namespace)."""

    def __init__(self, topo, h):
        self.topo, self.h, self.ns = topo, h, topo.host(h)

    def link(self, name):
        """`ip -d link show NAME` text, or '' when there is no such interface."""
        r = self.topo.ip(self.h, '-d', 'link', 'show', name, check=False)
        return r.stdout if r.returncode == 0 else ''

    def addrs(self, dev):
        out = self.topo.ip(self.h, '-o', 'addr', 'show', 'dev', dev, check=False).stdout
        return out

    def has(self, dev, addr):
        return re.search(rf'inet6? {re.escape(addr)}/', self.addrs(dev)) is not None

    def sysctl(self, key):
        out = subprocess.run(['ip', 'netns', 'exec', self.ns, 'sysctl', '-n', key],
                             capture_output=True, text=True)
        return out.stdout.strip() if out.returncode == 0 else None

    def set_sysctl(self, key, value):
        kalib.sh('ip', 'netns', 'exec', self.ns, 'sysctl', '-qw', f'{key}={value}')


class Net:
    def __init__(self, start_daemon, tmp_path, topo):
        self.start_daemon, self.tmp, self.topo = start_daemon, tmp_path, topo

    def conf(self, name, text):
        path = self.tmp / f'{name}.conf'
        path.write_text(text)
        return path

    def start(self, host, text, name=None, binary=None, wait=True):
        name = name or host
        kw = dict(binary=binary) if binary else {}
        d = self.start_daemon(self.conf(name, text), name=name, host=host, **kw)
        if wait:
            d.wait_log(r'\(\w+\) Entering \w+ STATE', timeout=40)
        return d


@pytest.fixture
def net(start_daemon, tmp_path, topo):
    return Net(start_daemon, tmp_path, topo)


def ask(topo, h, ip):
    """Host h sends a datagram to ip (there is no ping here), which makes it ask for ip's MAC."""
    import socket
    topo.ip(h, 'neigh', 'flush', 'to', ip, check=False)
    with kalib.netns_socket(topo.host(h), socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.sendto(b'x', (ip, 9))


def arp_replies(cap, ip):
    """(Ethernet source, ARP sender MAC) of each ARP reply for ip."""
    import ipaddress
    a = ipaddress.IPv4Address(ip).packed
    return [(smac, p[8:14].hex(':')) for _ts, smac, et, p in frames(cap)
            if et == 0x0806 and len(p) >= 28 and p[6:8] == b'\x00\x02' and p[14:18] == a]


def fdb_port(topo, mac):
    """The switch port the bridge has learnt mac on, or None."""
    out = kalib.sh('bridge', '-n', topo.switch, 'fdb', 'show', 'br', topo.bridge).stdout
    for line in out.splitlines():
        w = line.split()
        if w and w[0] == mac and 'dev' in w and 'permanent' not in w:
            return w[w.index('dev') + 1]
    return None


def frames(cap):
    """(ts, src MAC, ethertype, payload) of each captured Ethernet frame."""
    out = []
    for ts, lt, f in cap.packets():
        if lt == kalib.LINKTYPE_ETHERNET and len(f) >= 14:
            out.append((ts, f[6:12].hex(':'), int.from_bytes(f[12:14], 'big'), f[14:]))
    return out


def garps(cap, vip):
    """GARPs for vip: (src MAC, ARP sender MAC) of each 'who-has VIP tell VIP' request."""
    import ipaddress
    ip = ipaddress.IPv4Address(vip).packed
    return [(smac, p[8:14].hex(':')) for _ts, smac, et, p in frames(cap)
            if et == 0x0806 and len(p) >= 28 and p[6:8] == b'\x00\x01'
            and p[14:18] == ip and p[24:28] == ip]


# ---------------------------------------------------------------- the kernel objects

@pytest.mark.parametrize('family', [4, 6])
def test_vmac_interface(net, topo, family):
    """The VMAC of 2.2.7: vrrp.VRID, MAC 00:00:5e:00:0F:VRID, macvlan private, no address
    generation, 2.2.7's sysctls, the VIP on it once MASTER; gone after a stop."""
    a = Host(topo, 'a')
    if family == 4:
        name, mac, vip, vi = 'vrrp.51', MAC4, VIP4, 'VI_1'
        inst = instance(prio=200, extra='use_vmac')
    else:
        name, mac, vip, vi = 'vrrp.61', MAC6, VIP6, 'VI_6'
        inst = instance('VI_6', prio=200, vrid=61, vips=(f'{VIP6}/64',), extra='use_vmac')
    d = net.start('a', config(inst))
    link = a.link(name)
    assert f'link/ether {mac} ' in link, link
    assert f'{name}@eth0' in link and 'macvlan mode private' in link and 'addrgenmode none' in link
    assert '<BROADCAST,MULTICAST,UP,LOWER_UP>' in link, 'the VMAC is up in BACKUP too'
    if family == 4:
        for key, val in (('arp_ignore', '1'), ('accept_local', '1'), ('rp_filter', '0'),
                         ('promote_secondaries', '1')):
            assert a.sysctl(f'net.ipv4.conf.{name.replace(".", "/")}.{key}') == val, key
        assert a.sysctl('net.ipv4.conf.eth0.arp_ignore') == '1'
        assert a.sysctl('net.ipv4.conf.eth0.arp_filter') == '1'
        assert a.sysctl(f'net.ipv6.conf.{name.replace(".", "/")}.disable_ipv6') == '1'
    else:
        assert a.sysctl(f'net.ipv6.conf.{name.replace(".", "/")}.disable_ipv6') == '0'
        ll = topo.link_local('a')
        line = next(l for l in a.addrs(name).splitlines() if 'fe80:' in l)
        assert f'inet6 {ll}/64 scope link nodad deprecated' in line, line
    d.wait_log(entering('MASTER', vi), timeout=down_interval(200) + 5)
    wait_for(lambda: a.has(name, vip), 3, f'{vip} on {name}')
    assert not a.has('eth0', vip)
    d.signal(signal.SIGTERM)
    assert d.wait_exit(10) == 0
    assert not a.link(name), f'{name} left behind'


def test_vmac_name_and_mac_configured(net, topo):
    """use_vmac NAME MAC: that name, and that MAC (five octets: the VRID appended)."""
    a = Host(topo, 'a')
    net.start('a', config(instance(prio=200, extra='use_vmac vmac52 02:11:22:33:44'),
                          instance('VI_2', prio=200, vrid=52, vips=('192.0.2.101/24',),
                                   extra='use_vmac 02:11:22:33:44:55')))
    assert 'link/ether 02:11:22:33:44:33 ' in a.link('vmac52')
    assert 'link/ether 02:11:22:33:44:55 ' in a.link('vrrp.52')


def test_vmac_prefix_and_taken_name(net, topo):
    """vmac_prefix names the VMACs; a name already taken by an interface moves to <p>1.VRID."""
    a = Host(topo, 'a')
    topo.add_link('a', 'kv.51')
    net.start('a', config(instance(prio=200, extra='use_vmac'), global_extra='vmac_prefix kv'))
    assert 'macvlan mode private' in a.link('kv1.51')
    assert 'macvlan' not in a.link('kv.51')


@pytest.mark.ours_only  # 2.2.7 leaves the base's arp_ignore/arp_filter at 1 (spec 13.4)
def test_vmac_stop_restores_base_sysctls(net, topo):
    """After a stop the base interface's arp_ignore and arp_filter are back as they were."""
    a = Host(topo, 'a')
    a.set_sysctl('net.ipv4.conf.eth0.arp_ignore', 2)
    d = net.start('a', config(instance(prio=200, extra='use_vmac')))
    assert (a.sysctl('net.ipv4.conf.eth0.arp_ignore'), a.sysctl('net.ipv4.conf.eth0.arp_filter')) == ('1', '1')
    d.signal(signal.SIGTERM)
    assert d.wait_exit(10) == 0
    assert a.sysctl('net.ipv4.conf.eth0.arp_ignore') == '2'
    assert a.sysctl('net.ipv4.conf.eth0.arp_filter') == '0'
    assert not a.link('vrrp.51')


def test_vmac_rp_filter(net, topo):
    """all.rp_filter 1: 2.2.7's NOTICE lines, all.rp_filter 0 while running, both back after."""
    a = Host(topo, 'a')
    a.set_sysctl('net.ipv4.conf.all.rp_filter', 1)
    a.set_sysctl('net.ipv4.conf.default.rp_filter', 0)
    a.set_sysctl('net.ipv4.conf.eth0.rp_filter', 0)
    a.set_sysctl('net.ipv4.conf.lo.rp_filter', 0)
    d = net.start('a', config(instance(prio=200, extra='use_vmac')))
    d.wait_log(r'NOTICE: setting sysctl net\.ipv4\.conf\.default\.rp_filter from 0 to 1', timeout=0)
    d.wait_log(r'NOTICE: setting sysctl net\.ipv4\.conf\.all\.rp_filter from 1 to 0', timeout=0)
    assert a.sysctl('net.ipv4.conf.all.rp_filter') == '0'
    assert a.sysctl('net.ipv4.conf.vrrp/51.rp_filter') == '0'
    # what all.rp_filter 1 enforced stays enforced: eth0 goes up to 1 (lo is left alone)
    assert (a.sysctl('net.ipv4.conf.eth0.rp_filter'), a.sysctl('net.ipv4.conf.lo.rp_filter')) == ('1', '0')
    d.signal(signal.SIGTERM)
    assert d.wait_exit(10) == 0
    d.wait_log(r'NOTICE: resetting sysctl net\.ipv4\.conf\.all\.rp_filter to 1', timeout=0)
    d.wait_log(r'NOTICE: resetting sysctl net\.ipv4\.conf\.default\.rp_filter to 0', timeout=0)
    assert a.sysctl('net.ipv4.conf.all.rp_filter') == '1'
    assert a.sysctl('net.ipv4.conf.default.rp_filter') == '0'
    assert a.sysctl('net.ipv4.conf.eth0.rp_filter') == '0'


# ---------------------------------------------------------------- the wire

@pytest.mark.parametrize('xmit_base', [False, True], ids=['vmac', 'xmit_base'])
def test_vmac_wire(net, topo, tmp_path, xmit_base):
    """RFC 5798 7.3 on the wire: adverts from the virtual router MAC (from the base MAC
    with vmac_xmit_base), from the base's address, TTL 255; GARPs from the VMAC with
    sender MAC the VMAC's; an ARP request for the VIP answered with the VMAC's MAC."""
    extra = 'use_vmac\nvmac_xmit_base' if xmit_base else 'use_vmac'
    base_mac = Host(topo, 'a').link('eth0').split('link/ether ')[1].split()[0]
    with kalib.Capture(topo.host('c'), 'eth0', tmp_path / 'c.pcap', BPF) as cap:
        d = net.start('a', config(instance(prio=200, extra=extra)))
        d.wait_log(entering('MASTER'), timeout=down_interval(200) + 5)
        wait_for(lambda: len(garps(cap, VIP4)) >= 1, 5, 'a GARP for the VIP')
        wait_for(lambda: len([x for x in kalib.vrrp_adverts(cap.packets())]) >= 3, 5, 'adverts')
        # an ARP request from c for the VIP: the answer names the VMAC's MAC
        ask(topo, 'c', VIP4)
        wait_for(lambda: arp_replies(cap, VIP4), 3, 'an ARP reply for the VIP')
    ads = kalib.vrrp_adverts(cap.packets())
    assert ads and all(ad['src'] == topo.addr4['a'] and ad['ttl'] == 255 and ad['vrid'] == 51
                       for ad in ads)
    want = base_mac if xmit_base else MAC4
    assert {ad['smac'] for ad in ads} == {want}
    assert set(garps(cap, VIP4)) == {(MAC4, MAC4)}
    assert set(arp_replies(cap, VIP4)) == {(MAC4, MAC4)}


def test_vmac_ipv6_wire(net, topo, tmp_path):
    """IPv6: adverts from the VMAC's MAC and the base's link-local; NAs for the VIP from it."""
    with kalib.Capture(topo.host('c'), 'eth0', tmp_path / 'c.pcap', BPF) as cap:
        d = net.start('a', config(instance('VI_6', prio=200, vrid=61, vips=(f'{VIP6}/64',),
                                           extra='use_vmac')))
        d.wait_log(entering('MASTER', 'VI_6'), timeout=down_interval(200) + 5)
        wait_for(lambda: len(kalib.vrrp_adverts(cap.packets())) >= 3, 5, 'adverts')
        # unsolicited NA (ICMPv6 136) for the VIP
        wait_for(lambda: any(et == 0x86dd and p[6] == 58 and p[40] == 136 for _t, _s, et, p in frames(cap)),
                 5, 'an unsolicited NA')
    ads = kalib.vrrp_adverts(cap.packets())
    assert {ad['smac'] for ad in ads} == {MAC6}
    assert {ad['src'] for ad in ads} == {topo.link_local('a')}
    nas = [s for _t, s, et, p in frames(cap) if et == 0x86dd and p[6] == 58 and p[40] == 136]
    assert set(nas) == {MAC6}


# ---------------------------------------------------------------- failover

def two_routers(net, topo, bins, extra='use_vmac', family=4):
    """a (200) and b (100) with one instance each; a MASTER, b BACKUP."""
    vi = 'VI_1' if family == 4 else 'VI_6'

    def inst(prio):
        if family == 4:
            return instance(prio=prio, extra=extra)
        return instance('VI_6', prio=prio, vrid=61, vips=(f'{VIP6}/64',), extra=extra)
    a = net.start('a', config(inst(200)), binary=bins.get('a'), wait=False)
    b = net.start('b', config(inst(100)), binary=bins.get('b'), wait=False)
    a.wait_log(entering('MASTER', vi), timeout=40)
    b.wait_log(entering('BACKUP', vi), timeout=40)
    return a, b


def test_vmac_switch_sees_one_mac_move(net, topo, tmp_path):
    """Failover with VMAC: the VIP keeps its MAC for the hosts (every ARP reply and GARP
    for it names the VMAC's), the switch learns that one MAC on the new master's port."""
    A, B, C = Host(topo, 'a'), Host(topo, 'b'), Host(topo, 'c')
    a, b = two_routers(net, topo, {})
    wait_for(lambda: A.has('vrrp.51', VIP4), 3, 'VIP on a')
    with kalib.Capture(topo.host('c'), 'eth0', tmp_path / 'c.pcap', 'arp') as cap:
        ask(topo, 'c', VIP4)
        wait_for(lambda: arp_replies(cap, VIP4), 3, 'an ARP reply for the VIP from a')
        wait_for(lambda: fdb_port(topo, MAC4) == topo.port['a'], 3, 'the switch learns the VMAC on a')
        n = len(arp_replies(cap, VIP4))
        mark = b.mark()
        a.signal(signal.SIGTERM)
        b.wait_log(entering('MASTER'), since=mark, timeout=5)
        wait_for(lambda: B.has('vrrp.51', VIP4) and not A.has('vrrp.51', VIP4), 3, 'VIP on b')
        wait_for(lambda: garps(cap, VIP4), 3, "b's GARP")
        wait_for(lambda: fdb_port(topo, MAC4) == topo.port['b'], 3, 'the switch learns the VMAC on b')
        ask(topo, 'c', VIP4)
        wait_for(lambda: len(arp_replies(cap, VIP4)) > n, 3, 'an ARP reply for the VIP from b')
    assert set(garps(cap, VIP4)) == {(MAC4, MAC4)}, 'the GARP announces the same MAC'
    assert set(arp_replies(cap, VIP4)) == {(MAC4, MAC4)}, 'the VIP keeps its MAC'


@pytest.mark.interop
@pytest.mark.parametrize('family', [4, 6])
@pytest.mark.parametrize('master', ['ours', 'ref'], ids=['ours-master', 'ref-master'])
def test_vmac_interop(net, topo, binary, master, family):
    """Ours and keepalived 2.2.7, both with use_vmac: the right one holds the VIP on its
    VMAC, the other takes over (same MAC) when it stops."""
    if not os.access(REF, os.X_OK):
        pytest.skip(f'{REF} not installed')
    A, B = Host(topo, 'a'), Host(topo, 'b')
    name, mac, vip, vi = (('vrrp.51', MAC4, VIP4, 'VI_1') if family == 4 else
                          ('vrrp.61', MAC6, VIP6, 'VI_6'))
    bins = {'a': binary if master == 'ours' else REF, 'b': REF if master == 'ours' else binary}
    a, b = two_routers(net, topo, bins, family=family)
    wait_for(lambda: A.has(name, vip), 3, 'VIP on a')
    holds_for(lambda: A.has(name, vip) and not B.has(name, vip), 0.5, 'VIP on a only')
    assert f'link/ether {mac} ' in B.link(name)
    assert not b.search(r'invalid|mismatch|error', since=0), 'b complained about the adverts'
    mark = b.mark()
    a.signal(signal.SIGTERM)
    b.wait_log(entering('MASTER', vi), since=mark, timeout=5)
    wait_for(lambda: B.has(name, vip), 3, 'VIP on b')
    wait_for(lambda: fdb_port(topo, mac) == topo.port['b'], 3, 'the switch learns the VMAC on b')


def test_vmac_base_down_is_fault(net, topo):
    """The base interface loses its carrier: the VMAC goes down with it, the instance to
    FAULT (the backup takes over); carrier back: MASTER again with the VIP on the VMAC."""
    A, B = Host(topo, 'a'), Host(topo, 'b')
    a, b = two_routers(net, topo, {})
    wait_for(lambda: A.has('vrrp.51', VIP4), 3, 'VIP on a')
    mark_a, mark_b = a.mark(), b.mark()
    topo.cut('a')
    a.wait_log(r'Netlink reports vrrp\.51 down', since=mark_a, timeout=5)
    a.wait_log(entering('FAULT'), since=mark_a, timeout=5)
    b.wait_log(entering('MASTER'), since=mark_b, timeout=5)
    wait_for(lambda: B.has('vrrp.51', VIP4) and not A.has('vrrp.51', VIP4), 3, 'VIP on b')
    mark_a = a.mark()
    topo.plug('a')
    a.wait_log(entering('MASTER'), since=mark_a, timeout=10)
    wait_for(lambda: A.has('vrrp.51', VIP4) and not B.has('vrrp.51', VIP4), 5, 'VIP back on a')


# ---------------------------------------------------------------- reload, deletion

@pytest.mark.ours_only  # 2.2.7 logs no restart line; the VMAC behaviour is the same
def test_vmac_reload(net, topo, tmp_path):
    """use_vmac added on reload: the instance restarts on its new VMAC; removed: the VMAC goes."""
    A = Host(topo, 'a')
    plain = config(instance(prio=200))
    d = net.start('a', plain)
    d.wait_log(entering('MASTER'), timeout=down_interval(200) + 5)
    wait_for(lambda: A.has('eth0', VIP4), 3, 'VIP on eth0')
    mark = d.mark()
    net.conf('a', config(instance(prio=200, extra='use_vmac')))
    d.signal(signal.SIGHUP)
    d.wait_log(r'\(VI_1\) use_vmac changed \(off -> on\): restarting the instance', since=mark)
    d.wait_log(entering('MASTER'), since=mark, timeout=down_interval(200) + 5)
    wait_for(lambda: A.has('vrrp.51', VIP4) and not A.has('eth0', VIP4), 5, 'VIP on vrrp.51')
    mark = d.mark()
    net.conf('a', plain)
    d.signal(signal.SIGHUP)
    d.wait_log(entering('MASTER'), since=mark, timeout=down_interval(200) + 5)
    wait_for(lambda: not A.link('vrrp.51'), 5, 'vrrp.51 deleted')
    wait_for(lambda: A.has('eth0', VIP4), 5, 'VIP back on eth0')


def test_vmac_term_cleans_up(net, topo):
    """SIGTERM with two VMAC instances, master and backup: both VMACs deleted, exit 0."""
    A = Host(topo, 'a')
    d = net.start('a', config(instance(prio=200, extra='use_vmac'),
                              instance('VI_6', prio=200, vrid=61, vips=(f'{VIP6}/64',),
                                       extra='use_vmac')))
    d.wait_log(entering('MASTER'), timeout=down_interval(200) + 5)
    d.signal(signal.SIGTERM)
    assert d.wait_exit(10) == 0
    assert not A.link('vrrp.51') and not A.link('vrrp.61')
    assert 'macvlan' not in kalib.sh('ip', '-n', topo.host('a'), '-d', 'link').stdout


def test_vmac_deleted_is_made_again(net, topo):
    """`ip link del vrrp.51` behind the master's back: FAULT, the VMAC made again, MASTER
    with the VIP on it again (2.2.7 does the same)."""
    A = Host(topo, 'a')
    d = net.start('a', config(instance(prio=200, extra='use_vmac')))
    d.wait_log(entering('MASTER'), timeout=down_interval(200) + 5)
    wait_for(lambda: A.has('vrrp.51', VIP4), 3, 'VIP on vrrp.51')
    mark = d.mark()
    topo.ip('a', 'link', 'del', 'vrrp.51')
    d.wait_log(entering('FAULT'), since=mark, timeout=5)
    d.wait_log(entering('MASTER'), since=mark, timeout=down_interval(200) + 5)
    wait_for(lambda: A.has('vrrp.51', VIP4), 3, 'VIP on the new vrrp.51')
    link = A.link('vrrp.51')
    assert f'link/ether {MAC4} ' in link and 'macvlan mode private' in link
    assert A.sysctl('net.ipv4.conf.vrrp/51.arp_ignore') == '1'
    d.signal(signal.SIGTERM)
    assert d.wait_exit(10) == 0
    assert not A.link('vrrp.51')


def test_vmac_addr(net, topo):
    """use_vmac_addr and an address's use_vmac: the addresses on another interface go on a
    VMAC of it, <vmac_addr_prefix>.VRID with the virtual router's MAC (2.2.7's names and
    warning); every VMAC gone after a stop."""
    A = Host(topo, 'a')
    topo.add_link('a', 'eth1')
    topo.ip('a', 'addr', 'add', '10.1.0.1/24', 'dev', 'eth1')
    d = net.start('a', config(
        instance('V4', prio=200, extra='use_vmac\nuse_vmac_addr',
                 vips=(f'{VIP4}/24', '10.1.0.100/24 dev eth1', '10.1.0.101/24 dev eth1 use_vmac')),
        instance('V5', prio=200, vrid=52,
                 vips=('192.0.2.101/24', '10.1.0.102/24 dev eth1 use_vmac')),
        global_extra='vmac_addr_prefix va'))
    d.wait_log(r'\(V4\) use_vmac_addr specified and use_vmac specified for VIP/eVIP 10\.1\.0\.101/24',
               timeout=0)
    d.wait_log(entering('MASTER', 'V4'), timeout=down_interval(200) + 5)
    d.wait_log(entering('MASTER', 'V5'), timeout=down_interval(200) + 5)
    assert 'link/ether 00:00:5e:00:01:33 ' in A.link('va.51') and 'va.51@eth1' in A.link('va.51')
    assert 'link/ether 00:00:5e:00:01:34 ' in A.link('va.52')
    wait_for(lambda: A.has('vrrp.51', VIP4) and A.has('va.51', '10.1.0.100') and
             A.has('va.51', '10.1.0.101') and A.has('va.52', '10.1.0.102') and
             A.has('eth0', '192.0.2.101'), 3, 'the addresses on their VMACs')
    d.signal(signal.SIGTERM)
    assert d.wait_exit(10) == 0
    assert not A.link('va.51') and not A.link('va.52') and not A.link('vrrp.51')


# ---------------------------------------------------------------- the firewall

def nft_tables(topo, h='a'):
    """{'ip keepalived': body, ...} of host h's ruleset, handles left out."""
    text = kalib.sh('ip', 'netns', 'exec', topo.host(h), 'nft', 'list', 'ruleset').stdout
    text = re.sub(r' # handle \d+', '', text)
    return {m.group(1): m.group(2)
            for m in re.finditer(r'^table (\S+ \S+) \{\n(.*?)^\}\n', text, re.M | re.S)}


@pytest.mark.interop
def test_vmac_firewall_as_keepalived_227(start_daemon, binary, topo, tmp_path):
    """A VMAC's IGMP/MLD reports leave by the base (a switch must not learn the virtual
    MAC from a backup's reports): the same nftables tables as 2.2.7's, gone at exit."""
    if not os.access(REF, os.X_OK):
        pytest.skip(f'{REF} not installed')
    conf = tmp_path / 'ka.conf'
    conf.write_text(config(instance(prio=100, extra='use_vmac'),
                           instance('VI_6', prio=100, vrid=61, vips=(f'{VIP6}/64',),
                                    extra='use_vmac')))
    got = {}
    for name, b in (('ours', binary), ('ref', REF)):
        d = start_daemon(conf, name=name, binary=b)
        d.wait_log(entering('BACKUP', 'VI_6'), timeout=40)
        d.wait_log(r'use_vmac or no_accept/strict specified, but no firewall configured - '
                   r'using nftables', timeout=0)
        wait_for(lambda: 'vrrp.61' in str(nft_tables(topo)), 5, 'the VMACs in the firewall')
        got[name] = nft_tables(topo)
        d.signal(signal.SIGTERM)
        d.wait_exit(10)
        assert not nft_tables(topo), f'{name}: tables left after the stop'
    assert set(got['ref']) == {'ip keepalived', 'ip6 keepalived'}
    assert got['ours'] == got['ref']
    assert 'meta oifkind "macvlan" dup to ip daddr device oif map @vmac_map drop' in got['ours']['ip keepalived']


def test_vmac_backup_reports_do_not_move_the_mac(net, topo, tmp_path):
    """A backup joining the VRRP group on its VMAC sends its IGMP reports by the base
    interface (the firewall's dup rule, as 2.2.7): the switch keeps the virtual MAC on
    the master's port while the backup starts."""
    A = Host(topo, 'a')
    a = net.start('a', config(instance(prio=200, extra='use_vmac')))
    a.wait_log(entering('MASTER'), timeout=down_interval(200) + 5)
    wait_for(lambda: A.has('vrrp.51', VIP4), 3, 'VIP on a')
    wait_for(lambda: fdb_port(topo, MAC4) == topo.port['a'], 3, 'the switch learns the VMAC on a')
    with kalib.Capture(topo.host('c'), 'eth0', tmp_path / 'igmp.pcap', 'igmp') as cap:
        b = net.start('b', config(instance(prio=100, extra='use_vmac')))
        # the kernel sends its unsolicited reports within about a second of the join
        wait_for(lambda: cap.packets(), 3, "b's IGMP report")
        holds_for(lambda: fdb_port(topo, MAC4) == topo.port['a'], 1.5,
                  'the VMAC stays on a\'s port')
    smacs = {smac for _ts, smac, _et, _p in frames(cap)}
    assert MAC4 not in smacs, f'IGMP reports from the VMAC: {smacs}'
    assert not b.search(entering('MASTER'))


@pytest.mark.ours_only  # the restart line is ours; 2.2.7 restarts the same way, silently
@pytest.mark.parametrize('change', ['mac', 'xmit_base'])
def test_vmac_reload_changed_vmac(net, topo, change):
    """A reload changing use_vmac's MAC (the VMAC is made again under the same name) or
    vmac_xmit_base (the same VMAC is kept): the instance restarts and is MASTER again with
    the VIP on vrrp.51, which has the right MAC; no second VMAC (vrrp1.51) appears."""
    A = Host(topo, 'a')
    d = net.start('a', config(instance(prio=200, extra='use_vmac')))
    d.wait_log(entering('MASTER'), timeout=down_interval(200) + 5)
    wait_for(lambda: A.has('vrrp.51', VIP4), 3, 'VIP on vrrp.51')
    index = A.link('vrrp.51').split(':')[0]
    extra, mac = {'mac': ('use_vmac 02:11:22:33:44:55', '02:11:22:33:44:55'),
                  'xmit_base': ('use_vmac\nvmac_xmit_base', MAC4)}[change]
    mark = d.mark()
    net.conf('a', config(instance(prio=200, extra=extra)))
    d.signal(signal.SIGHUP)
    d.wait_log(r'\(VI_1\) VMAC settings changed: restarting the instance', since=mark)
    d.wait_log(entering('MASTER'), since=mark, timeout=down_interval(200) + 5)
    wait_for(lambda: A.has('vrrp.51', VIP4), 5, 'VIP on vrrp.51 again')
    holds_for(lambda: A.has('vrrp.51', VIP4), 0.5, 'VIP stays on vrrp.51')
    assert f'link/ether {mac} ' in A.link('vrrp.51')
    assert (A.link('vrrp.51').split(':')[0] == index) == (change == 'xmit_base')
    assert not A.link('vrrp1.51')
    assert not d.search(r'cannot|error|Unable', since=mark)
