# SPDX-License-Identifier: GPL-2.0-or-later
"""VRRP as a user sees it: who holds the VIP, what goes on the wire, logs, notify scripts.

Hosts a (192.0.2.1), b (.2) and c (.3) on one bridge. Unless a test says
otherwise a runs priority 200 and b priority 100 of VI_1 (VRID 51, VIP
192.0.2.100 or 2001:db8::100), VRRPv3 with a short advert_int; v2 runs at 1 s
where v2 is what is tested. Every test passes against Debian's keepalived
2.2.7 (KA_REFERENCE=/usr/sbin/keepalived); `ours_only` ones expect where we
do better.
"""
import os
import re
import signal
import time
from pathlib import Path

import pytest

import kalib
from kalib import holds_for, wait_for

REF = kalib.DEBIAN                  # the interop tests' other side
VIP4, VIP6 = '192.0.2.100', '2001:db8::100'
MCAST4, MCAST6 = '224.0.0.18', 'ff02::12'
BPF = 'ip proto 112 or ip proto 51 or ip6 proto 112'   # VRRP, VRRP in AH, VRRP over IPv6


@pytest.fixture
def topo():
    """Hosts a, b, c (overrides conftest's one-host topo; start_daemon uses it)."""
    t = kalib.Topology(('a', 'b', 'c'))
    yield t
    t.destroy()


# ---------------------------------------------------------------- configs

def instance(name='VI_1', *, prio, state='BACKUP', vrid=51, version=3, adv=0.1,
             vips=(f'{VIP4}/24',), extra=''):
    """A vrrp_instance block; extra: more lines for its body."""
    body = '\n'.join(f'        {v}' for v in vips)
    more = '\n'.join(f'    {l.strip()}' for l in extra.strip().splitlines())
    return f'''
vrrp_instance {name} {{
    state {state}
    interface eth0
    virtual_router_id {vrid}
    priority {prio}
    advert_int {adv}
    version {version}
{more}
    virtual_ipaddress {{
{body}
    }}
}}
'''


def config(*blocks, router_id='kt_vrrp', global_extra=''):
    """A whole keepalived.conf: global_defs (scripts run as root, securely, and
    global_extra's lines) + blocks."""
    return f'''global_defs {{
    router_id {router_id}
    script_user root
    enable_script_security
    {global_extra}
}}
''' + ''.join(blocks)


def auth(kind, password):
    return f'''authentication {{
    auth_type {kind}
    auth_pass {password}
}}'''


def down_interval(prio, adv):
    """RFC 5798 Master_Down_Interval (RFC 3768's with adv in whole seconds)."""
    return 3 * adv + (256 - prio) * adv / 256


def entering(state, vi='VI_1'):
    return rf'\({vi}\) Entering {state} STATE'


class Net:
    """Starts daemons on the hosts of topo with configs written to tmp_path."""

    def __init__(self, start_daemon, tmp_path, topo):
        self.start_daemon, self.tmp, self.topo = start_daemon, tmp_path, topo

    def conf(self, name, text):
        path = self.tmp / f'{name}.conf'
        path.write_text(text)
        return path

    def start(self, host, text, name=None, binary=None, wait=True):
        """A daemon on host running text; wait: until it is up (see ready)."""
        name = name or host
        kw = dict(binary=binary) if binary else {}
        d = self.start_daemon(self.conf(name, text), name=name, host=host, **kw)
        if wait:
            self.ready(d)
        return d

    @staticmethod
    def ready(*daemons):
        """Wait until an instance of each daemon has entered its first state.

        Usually `Entering BACKUP STATE (init)`; an instance tracking a weight-0
        script waits (silently in FAULT) for its first result, then logs
        `Entering BACKUP STATE`. Generous: on a busy machine a daemon's start
        has been seen to take 20 s, and starting up is not what these tests time.
        """
        for d in daemons:
            d.wait_log(r'\(\w+\) Entering \w+ STATE', timeout=40)

    def has(self, host, vip=VIP4):
        return self.topo.has_addr(host, vip)

    def settled(self, master, backups, vip=VIP4):
        """True while master holds vip and none of backups does."""
        return self.has(master, vip) and not any(self.has(b, vip) for b in backups)

    def wait_settled(self, master, backups, vip=VIP4, timeout=8):
        wait_for(lambda: self.settled(master, backups, vip), timeout,
                 f'{vip} on {master} only (not on {", ".join(backups)})')


@pytest.fixture
def net(start_daemon, tmp_path, topo):
    return Net(start_daemon, tmp_path, topo)


def script(tmp_path, name, text):
    """An executable sh script in tmp_path, which is made root-only-writable for script security."""
    os.chmod(tmp_path, 0o755)
    path = tmp_path / name
    path.write_text('#!/bin/sh\n' + text)
    path.chmod(0o755)
    return path


def notify_script(tmp_path):
    """notify.sh OUT ARGS...: appends ARGS as one line to OUT."""
    return script(tmp_path, 'notify.sh', 'out=$1; shift; echo "$@" >> "$out"\n')


def lines(path):
    return Path(path).read_text().splitlines() if Path(path).exists() else []


def adverts_from(cap, src, since=0.0):
    return [ad for ad in kalib.vrrp_adverts(cap.packets()) if ad['src'] == src and ad['ts'] >= since]


def wait_adverts(cap, src, n, timeout=5, since=0.0, **match):
    """At least n adverts from src after since (epoch s) whose fields equal match."""
    def got():
        ads = [ad for ad in adverts_from(cap, src, since)
               if all(ad[k] == v for k, v in match.items())]
        return ads if len(ads) >= n else None
    return wait_for(got, timeout, f'{n} adverts from {src} with {match}')


# ---------------------------------------------------------------- 1. election

FAMILIES = {
    'v2-ipv4': dict(version=2, adv=1, vips=(f'{VIP4}/24',), vip=VIP4, dst=MCAST4),
    'v3-ipv4': dict(version=3, adv=0.1, vips=(f'{VIP4}/24',), vip=VIP4, dst=MCAST4),
    'v3-ipv6': dict(version=3, adv=0.1, vips=(f'{VIP6}/64',), vip=VIP6, dst=MCAST6),
}


@pytest.mark.parametrize('family', FAMILIES)
def test_election_and_failover(net, topo, tmp_path, family):
    """200 beats 100; the master's adverts on the wire; b takes over when a drops off the link."""
    f = FAMILIES[family]
    inst = dict(version=f['version'], adv=f['adv'], vips=f['vips'])
    vip, adv = f['vip'], f['adv']
    with kalib.Capture(topo.switch, topo.port['a'], tmp_path / 'a.pcap', BPF) as cap_a, \
            kalib.Capture(topo.switch, topo.port['b'], tmp_path / 'b.pcap', BPF) as cap_b:
        a = net.start('a', config(instance(prio=200, **inst)), wait=False)
        b = net.start('b', config(instance(prio=100, **inst)), wait=False)
        net.ready(a, b)
        a.wait_log(entering('MASTER'), timeout=down_interval(200, adv) + 5)
        b.wait_log(entering('BACKUP'))
        net.wait_settled('a', ['b'], vip)
        settled = time.time()
        holds_for(lambda: net.settled('a', ['b'], vip), max(0.5, 2 * adv), f'{vip} on a only')
        src = topo.link_local('a') if f['dst'] == MCAST6 else topo.addr4['a']
        ads = wait_adverts(cap_a, src, 3 if adv >= 1 else 5, since=settled)
        from_b = adverts_from(cap_b, topo.link_local('b') if f['dst'] == MCAST6 else topo.addr4['b'],
                              since=settled + 0.05)
    want = dict(dst=f['dst'], ttl=255, version=f['version'], type=1, vrid=51, priority=200,
                count=1, advert_cs=round(adv * 100), addrs=[vip], ah=False)
    if f['version'] == 2:
        want['auth_type'] = 0
    for ad in ads:
        assert {k: ad[k] for k in want} == want
    gaps = sorted(nxt['ts'] - prev['ts'] for prev, nxt in zip(ads, ads[1:]))
    median = gaps[len(gaps) // 2]
    assert 0.7 * adv < median < 1.3 * adv + 0.05, \
        f'adverts {median:.3f} s apart (median), advert_int {adv}'
    assert from_b == [], 'the BACKUP sent adverts'
    assert not a.search(entering('BACKUP') + r'$'), 'a left MASTER'

    # a drops off the link (its carrier stays up): b's master-down timer fires.
    mark = b.mark()
    t0 = time.monotonic()
    topo.isolate('a')
    wait_for(lambda: net.has('b', vip), down_interval(100, adv) + 2, f'{vip} on b')
    took = time.monotonic() - t0
    b.wait_log(r'\(VI_1\) Receive advertisement timeout', since=mark)
    b.wait_log(entering('MASTER'), since=mark)
    assert took > down_interval(100, adv) - adv - 0.05, f'b took over after {took:.2f} s'
    assert net.has('a', vip), 'isolated a (still MASTER on its own) lost the VIP'

    # a is back: the higher priority wins again, b releases the VIP.
    mark = b.mark()
    topo.rejoin('a')
    net.wait_settled('a', ['b'], vip, timeout=2 + 2 * adv)
    b.wait_log(r'\(VI_1\) Master received advert from \S+ with higher priority 200, ours 100',
               since=mark)
    b.wait_log(entering('BACKUP'), since=mark)


OWNER_BY_DEFAULT = {   # a MASTER instance with one of its two lines left out
    'state-master-alone': (1, '    priority 1\n'),
    'priority-255-alone': (255, '    state MASTER\n'),
}


@pytest.mark.parametrize('case', OWNER_BY_DEFAULT)
def test_owner_by_default(net, topo, tmp_path, case):
    """keepalived 2.2.7 derives priority and state from each other: state MASTER without
    a priority is priority 255, the address owner, and priority 255 without a state is
    state MASTER. Either way the instance is MASTER at once (no `Entering BACKUP STATE
    (init)`) and its adverts carry priority 255."""
    prio, leave_out = OWNER_BY_DEFAULT[case]
    inst = instance(prio=prio, state='MASTER').replace(leave_out, '')
    with kalib.Capture(topo.switch, topo.port['a'], tmp_path / 'a.pcap', BPF) as cap:
        a = net.start('a', config(inst))
        a.wait_log(entering('MASTER'), timeout=5)
        ads = wait_adverts(cap, topo.addr4['a'], 3)
    assert [ad['priority'] for ad in ads] == [255] * len(ads)
    assert not a.search(entering('BACKUP')), 'the owner went through BACKUP'
    assert net.has('a')


# ---------------------------------------------------------------- 2./3. master goes away

def two_routers(net, adv=0.1, version=3, a_extra='', b_extra='', vips=(f'{VIP4}/24',)):
    """a (200) MASTER with the VIP, b (100) BACKUP without it.

    b starts once a is MASTER, so it never is one itself (test_election_and_failover
    starts both at once).
    """
    a = net.start('a', config(instance(prio=200, adv=adv, version=version, vips=vips,
                                       extra=a_extra)))
    a.wait_log(entering('MASTER'), timeout=down_interval(200, adv) + 5)
    b = net.start('b', config(instance(prio=100, adv=adv, version=version, vips=vips,
                                       extra=b_extra)))
    vip = vips[0].split('/')[0]
    net.wait_settled('a', ['b'], vip)
    return a, b


def test_hard_kill_master(net, topo):
    """A frozen then SIGKILLed master: b takes over within its master-down interval."""
    adv = 0.1
    a, b = two_routers(net, adv)
    mark = b.mark()
    tree = a.tree()
    t0 = time.monotonic()
    for pid in tree:
        kalib.kill(pid, signal.SIGSTOP)
    for pid in tree:
        kalib.kill(pid, signal.SIGKILL)
    wait_for(lambda: net.has('b'), down_interval(100, adv) + 1.5, 'the VIP on b')
    took = time.monotonic() - t0
    b.wait_log(r'\(VI_1\) Receive advertisement timeout', since=mark)
    b.wait_log(entering('MASTER'), since=mark)
    # The master's last advert was at most advert_int before the freeze.
    assert took > down_interval(100, adv) - adv - 0.05, f'b took over after {took:.2f} s'
    wait_for(lambda: not a.running(), 5, 'a to die')
    # Nobody removed it: a killed master leaves its VIP behind (on a host that is down).
    assert net.has('a')


def test_graceful_stop_master(net, topo, tmp_path):
    """SIGTERM: a priority-0 advert, the VIP leaves a, b takes over well before master-down."""
    adv = 0.5
    a, b = two_routers(net, adv)
    mark = b.mark()
    with kalib.Capture(topo.switch, topo.port['a'], tmp_path / 'a.pcap', BPF) as cap:
        t0 = time.monotonic()
        a.signal(signal.SIGTERM)
        wait_for(lambda: net.has('b'), 5, 'the VIP on b')
        took = time.monotonic() - t0
        assert a.wait_exit(5) == 0
        wait_adverts(cap, topo.addr4['a'], 1, priority=0)
    assert not net.has('a'), 'the stopped master left its VIP'
    b.wait_log(r'\(VI_1\) Backup received priority 0 advertisement', since=mark)
    b.wait_log(entering('MASTER'), since=mark)
    # After a priority-0 advert the backup waits only its skew time (0.3 s here).
    assert took < down_interval(100, adv) - adv, f'b took over {took:.2f} s after the SIGTERM'


def test_send_error_logged(net, topo):
    """A master whose adverts no longer fit the link (MTU 68 < 20 + 8 + 15 * 4 bytes) says
    so in keepalived's words, keeps running, and sends again once the MTU is back."""
    vips = [f'192.0.2.{100 + i}/24' for i in range(15)]
    a = net.start('a', config(instance(prio=200, state='MASTER', version=3, adv=0.1, vips=vips)))
    a.wait_log(entering('MASTER'), timeout=5)
    mark = a.mark()
    topo.ip('a', 'link', 'set', 'eth0', 'mtu', '68')
    try:
        a.wait_log(r'^.*\(VI_1\): send advert error 90 \(Message too long\)$', since=mark, timeout=5)
    finally:
        topo.ip('a', 'link', 'set', 'eth0', 'mtu', '1500')
    assert a.running()
    assert net.has('a')


def owner_masters(n, second):
    """n address owners (priority 255, state MASTER, v2): VRIDs 1..255 on eth0, then on
    the link second; one /32 VIP each. Returns (blocks, [(dev, vip)])."""
    blocks, vips = [], []
    for i in range(n):
        dev, vrid = ('eth0', i + 1) if i < 255 else (second, i - 254)
        vip = f'10.{66 + i // 250}.{i % 250 + 1}.1'
        vips.append((dev, vip))
        blocks.append(instance(f'VI_{i}', prio=255, state='MASTER', vrid=vrid, version=2, adv=1,
                               vips=(f'{vip}/32 dev {dev}',)).replace('interface eth0',
                                                                     f'interface {dev}'))
    return blocks, vips


def vips_present(topo, vips):
    """Those of vips ((dev, addr) pairs) that host a holds, as a /32 on that device."""
    have = topo.addrs_by_dev('a')
    return [(dev, vip) for dev, vip in vips if (dev, f'{vip}/32') in have]


def test_many_masters_at_once(net, topo):
    """300 address owners become master together (more VIP operations than the child
    keeps in flight at once): every VIP is set, and a SIGTERM removes every one."""
    topo.add_link('a', 'ktm1')
    topo.ip('a', 'addr', 'add', '198.51.100.1/24', 'dev', 'ktm1')
    blocks, vips = owner_masters(300, 'ktm1')
    a = net.start('a', config(*blocks), wait=False)
    wait_for(lambda: len(vips_present(topo, vips)) == 300, 60, 'all 300 VIPs on a')
    a.signal(signal.SIGTERM)
    assert a.wait_exit(30) == 0
    assert not vips_present(topo, vips), 'VIPs left behind after the stop'


@pytest.mark.parametrize('n', [1, 300])
def test_term_right_after_reload_removes_retired_vips(net, topo, n):
    """A reload drops n masters, and a SIGTERM follows at once: the stop waits for the
    dropped instances' VIP removals too (here it has nothing else to wait for: the kept
    instance is a backup), so none of their VIPs is left behind."""
    topo.add_link('a', 'ktr1')
    topo.ip('a', 'addr', 'add', '198.51.100.1/24', 'dev', 'ktr1')
    keep = instance('VI_keep', prio=100, state='BACKUP', vrid=255, version=2, adv=1,
                    vips=('10.69.0.1/32 dev ktr1',)).replace('interface eth0', 'interface ktr1')
    blocks, vips = owner_masters(n, 'ktr1')
    a = net.start('a', config(keep, *blocks), wait=False)
    wait_for(lambda: len(vips_present(topo, vips)) == n, 60, f'all {n} VIPs on a')
    net.conf('a', config(keep))
    a.signal(signal.SIGHUP)
    a.signal(signal.SIGTERM)
    assert a.wait_exit(30) == 0
    left = vips_present(topo, vips)
    assert not left, f'{len(left)} VIPs of dropped instances left behind: {left[:5]}'


@pytest.mark.ours_only  # keepalived 2.2.7 takes over 60 s to set the 4010 addresses
def test_term_while_faulted_masters_release(net, topo):
    """20 masters lose their link and start removing 200 addresses each; a SIGTERM comes
    while they do, and 10 other masters' removals queue behind theirs. The stop is over
    only once no instance is releasing anything: no address is left behind. (It used to
    count the removals it started and let the ones already under way decrement the
    count too: it ended with 1,300 to 1,500 of the faulted masters' addresses still on
    the host.)"""
    topo.add_link('a', 'ktf1')
    topo.ip('a', 'addr', 'add', '198.51.100.1/24', 'dev', 'ktf1')
    blocks, vips = [], []
    for i in range(20):
        addrs = [(f'ktf1', f'10.{70 + i}.{k // 250}.{k % 250 + 1}') for k in range(200)]
        vips += addrs
        excl = '\n'.join(f'{a}/32 dev {d}' for d, a in addrs[1:])
        blocks.append(instance(f'VF_{i}', prio=255, state='MASTER', vrid=i + 1, version=2, adv=1,
                               vips=(f'{addrs[0][1]}/32 dev ktf1',),
                               extra=f'virtual_ipaddress_excluded {{\n{excl}\n}}')
                      .replace('interface eth0', 'interface ktf1'))
    kept = [('eth0', f'10.90.0.{i + 1}') for i in range(10)]
    for i, (dev, vip) in enumerate(kept):
        blocks.append(instance(f'VM_{i}', prio=255, state='MASTER', vrid=i + 1, version=2, adv=1,
                               vips=(f'{vip}/32 dev {dev}',)))
    a = net.start('a', config(*blocks), wait=False)
    wait_for(lambda: len(vips_present(topo, vips + kept)) == len(vips + kept), 60,
             'every VIP on a')
    topo.ip('a', 'link', 'set', 'ktf1', 'down')
    a.signal(signal.SIGTERM)
    assert a.wait_exit(30) == 0
    assert a.search(r'\(VF_0\) Entering FAULT STATE'), 'the link went down after the stop began'
    left = vips_present(topo, kept)
    assert not left, f'{len(left)} VIPs of the masters left behind: {left[:5]}'
    left = vips_present(topo, vips)
    assert not left, f'{len(left)} VIPs of the faulted masters left behind: {left[:5]}'


# ---------------------------------------------------------------- 4. preemption

def test_preempt_when_master_returns(net, topo):
    """a stops, b takes over; a restarts and takes the VIP back."""
    a, b = two_routers(net)
    a.stop()
    net.wait_settled('b', ['a'])
    mark = b.mark()
    a2 = net.start('a', config(instance(prio=200)), name='a2')
    a2.wait_log(entering('MASTER'), timeout=5)
    net.wait_settled('a', ['b'])
    b.wait_log(r'\(VI_1\) Master received advert from 192\.0\.2\.1 with higher priority 200, ours 100',
               since=mark)
    b.wait_log(entering('BACKUP'), since=mark)


def test_nopreempt(net, topo):
    """nopreempt on the higher priority: it joins as BACKUP and stays there."""
    b = net.start('b', config(instance(prio=100)))
    b.wait_log(entering('MASTER'), timeout=5)
    net.wait_settled('b', ['a'])
    a = net.start('a', config(instance(prio=200, extra='nopreempt')))
    holds_for(lambda: net.settled('b', ['a']), 1.5, 'the VIP on b only')
    assert not a.search(entering('MASTER')), 'nopreempt a took over'
    # ... but it is still a backup that takes over when b goes away.
    b.stop()
    net.wait_settled('a', ['b'], timeout=3)


def test_preempt_delay(net, topo):
    """preempt_delay 2: the higher priority takes over from a lower master only after ~2 s."""
    delay = 2
    b = net.start('b', config(instance(prio=100)))
    b.wait_log(entering('MASTER'), timeout=5)
    net.wait_settled('b', ['a'])
    a = net.start('a', config(instance(prio=200, extra=f'preempt_delay {delay}')))
    t0 = time.monotonic()     # a little after a started: the delay runs from its start
    a.wait_log(rf'\(VI_1\) start preempt delay \({delay}\.0+\)')
    holds_for(lambda: net.settled('b', ['a']), delay - 0.3, 'the VIP on b only')
    wait_for(lambda: net.settled('a', ['b']), 5, 'the VIP to move to a')
    took = time.monotonic() - t0
    assert delay - 0.3 < took < delay + down_interval(200, 0.1) + 3, \
        f'a took over {took:.2f} s after its start, preempt_delay {delay}'
    a.wait_log(entering('MASTER'))


def test_down_timer_adverts(net, topo):
    """The instance's down_timer_adverts 6 beats global_defs' vrrp_down_timer_adverts 2:
    b takes over 6 advert intervals (plus skew) after the master goes quiet, not 2."""
    adv, n = 0.2, 6
    a = net.start('a', config(instance(prio=200, adv=adv)))
    a.wait_log(entering('MASTER'), timeout=5)
    b = net.start('b', config(instance(prio=100, adv=adv, extra=f'down_timer_adverts {n}'),
                              global_extra='vrrp_down_timer_adverts 2'))
    net.wait_settled('a', ['b'])
    mark = b.mark()
    t0 = time.monotonic()
    topo.isolate('a')
    down = n * adv + (256 - 100) * adv / 256
    wait_for(lambda: net.has('b'), down + 3, 'the VIP on b')
    took = time.monotonic() - t0
    b.wait_log(r'\(VI_1\) Receive advertisement timeout', since=mark)
    # the master's last advert came at most one interval before it went quiet
    assert took > down - adv - 0.05, \
        f'b took over after {took:.2f} s: down_timer_adverts {n} wants {down:.2f} s'



# ---------------------------------------------------------------- 5. unicast

UNICAST = {4: ('addr4', VIP4, '24'), 6: ('addr6', VIP6, '64')}


def unicast_extra(topo, me, peer, family):
    attr = UNICAST[family][0]
    return f'''unicast_src_ip {getattr(topo, attr)[me]}
unicast_peer {{
    {getattr(topo, attr)[peer]}
}}'''


@pytest.mark.parametrize('family', [4, 6], ids=['ipv4', 'ipv6'])
def test_unicast(net, topo, tmp_path, family):
    """unicast_peer: adverts go only to the peer's address; election and failover as usual."""
    attr, vip, plen = UNICAST[family]
    vips = (f'{vip}/{plen}',)
    with kalib.Capture(topo.switch, topo.port['a'], tmp_path / 'a.pcap', BPF) as cap:
        a, b = two_routers(net, vips=vips, a_extra=unicast_extra(topo, 'a', 'b', family),
                           b_extra=unicast_extra(topo, 'b', 'a', family))
        ads = wait_adverts(cap, getattr(topo, attr)['a'], 3, priority=200)
        mark = b.mark()
        a.signal(signal.SIGTERM)
        a.wait_exit(5)
        net.wait_settled('b', ['a'], vip, timeout=2)
        b_ads = wait_adverts(cap, getattr(topo, attr)['b'], 1, priority=100)
    b.wait_log(r'\(VI_1\) Backup received priority 0 advertisement', since=mark)
    everything = kalib.vrrp_adverts(cap.packets())
    assert everything, 'no adverts captured'
    for ad in everything:
        assert ad['dst'] in (getattr(topo, attr)['a'], getattr(topo, attr)['b']), \
            f'advert to {ad["dst"]}: unicast instances must not multicast'
    assert {ad['dst'] for ad in ads} == {getattr(topo, attr)['b']}
    assert {ad['dst'] for ad in b_ads} == {getattr(topo, attr)['a']}
    assert all(ad['addrs'] == [vip] for ad in ads)
    if family == 4:
        assert all(ad['ttl'] == 255 for ad in ads)


@pytest.mark.ours_only  # keepalived 2.2.7 sends IPv6 unicast adverts with hop limit 64 (the socket default)
def test_unicast_ipv6_hop_limit(net, topo, tmp_path):
    """RFC 5798 5.1.2.3: the hop limit is 255, unicast or not (the receiver's guard against off-link adverts)."""
    with kalib.Capture(topo.switch, topo.port['a'], tmp_path / 'a.pcap', BPF) as cap:
        two_routers(net, vips=(f'{VIP6}/64',), a_extra=unicast_extra(topo, 'a', 'b', 6),
                    b_extra=unicast_extra(topo, 'b', 'a', 6))
        ads = wait_adverts(cap, topo.addr6['a'], 3, priority=200)
    assert [ad['ttl'] for ad in ads] == [255] * len(ads)


# ---------------------------------------------------------------- 6. authentication

# What keepalived 2.2.7 logs when an advert's authentication does not match.
BAD_AUTH_LOG = {
    'PASS': r'\(VI_1\) received an invalid passwd!',
    'AH': r'\(VI_1\) IPSEC-AH : invalid IPSEC HMAC-MD5 value\. Due to fields mutation or bad password !',
}


@pytest.mark.parametrize('match', ['same', 'wrong'])
@pytest.mark.parametrize('kind', ['PASS', 'AH'])
def test_authentication(net, topo, tmp_path, kind, match):
    """v2 auth: the same password elects one master; a wrong one on b means split brain."""
    a_auth = auth(kind, 'kt-pass1')
    b_auth = auth(kind, 'kt-pass1' if match == 'same' else 'kt-pass2')
    with kalib.Capture(topo.switch, topo.port['a'], tmp_path / 'a.pcap', BPF) as cap:
        a = net.start('a', config(instance(prio=200, version=2, adv=1, extra=a_auth)), wait=False)
        b = net.start('b', config(instance(prio=100, version=2, adv=1, extra=b_auth)), wait=False)
        net.ready(a, b)
        a.wait_log(entering('MASTER'), timeout=down_interval(200, 1) + 5)
        if match == 'same':
            b.wait_log(entering('BACKUP'))
            net.wait_settled('a', ['b'])
            holds_for(lambda: net.settled('a', ['b']), 1.5, 'the VIP on a only')
            assert not b.search(BAD_AUTH_LOG[kind])
        else:
            # b never hears a valid master: it times out and takes the VIP too.
            b.wait_log(BAD_AUTH_LOG[kind], timeout=5)
            b.wait_log(entering('MASTER'), timeout=down_interval(100, 1) + 3)
            wait_for(lambda: net.has('a') and net.has('b'), 3, 'the VIP on both hosts')
        ads = wait_adverts(cap, topo.addr4['a'], 1, priority=200)
    ad = ads[-1]
    if kind == 'PASS':
        assert (ad['ah'], ad['auth_type'], ad['auth_data']) == (False, 1, b'kt-pass1')
    else:
        assert (ad['ah'], ad['auth_type']) == (True, 2)
        assert b'kt-pass1' not in cap.path.read_bytes(), 'AH sent the password in clear'


# ---------------------------------------------------------------- 7. track_interface

def test_track_interface_fault(net, topo):
    """The tracked eth1 goes down: FAULT, VIP removed, b takes over; eth1 up: a is back."""
    topo.add_link('a', 'eth1')
    a, b = two_routers(net, a_extra='track_interface {\n eth1\n}')
    mark_a, mark_b = a.mark(), b.mark()
    topo.ip('a', 'link', 'set', 'eth1', 'down')
    a.wait_log(r'Netlink reports eth1 down', since=mark_a)
    a.wait_log(entering('FAULT'), since=mark_a)
    net.wait_settled('b', ['a'], timeout=3)
    # Leaving MASTER for FAULT, a says so with a priority-0 advert.
    b.wait_log(r'\(VI_1\) Backup received priority 0 advertisement', since=mark_b)
    b.wait_log(entering('MASTER'), since=mark_b)
    holds_for(lambda: net.settled('b', ['a']), 0.5, 'the VIP on b only while a is in FAULT')

    mark_a = a.mark()
    topo.ip('a', 'link', 'set', 'eth1', 'up')
    a.wait_log(r'Netlink reports eth1 up', since=mark_a)
    a.wait_log(entering('BACKUP'), since=mark_a)
    a.wait_log(entering('MASTER'), since=mark_a)
    net.wait_settled('a', ['b'], timeout=3)


def test_track_own_interface_ignored(net, topo):
    """track_interface naming the instance's own interface is ignored, weight and all (as
    2.2.7: -t says so): b at 100 with `eth0 weight 150` does not become 250 and preempt a
    (200)."""
    a, b = two_routers(net, b_extra='track_interface {\n eth0 weight 150\n}')
    holds_for(lambda: net.settled('a', ['b']), 1.5, 'a stays master (b not at 250)')
    assert not b.search(entering('MASTER'))


# ---------------------------------------------------------------- 8. track_script

def chk_script(tmp_path):
    """vrrp_script chk: exit 0 while the flag file says ok, 1 otherwise."""
    flag = tmp_path / 'flag'
    flag.write_text('ok\n')
    path = script(tmp_path, 'chk.sh', f'[ "$(cat {flag})" = ok ]\n')
    return path, flag


def vrrp_script(path, weight=None):
    w = f'    weight {weight}\n' if weight is not None else ''
    return f'''
vrrp_script chk {{
    script "{path}"
    interval 1
    fall 1
    rise 1
{w}}}
'''


def test_track_script_weight(net, topo, tmp_path):
    """weight -150: a failing check drops a to 50, b takes over; success puts a back at 200."""
    path, flag = chk_script(tmp_path)
    a = net.start('a', config(vrrp_script(path, -150),
                              instance(prio=200, extra='track_script {\n chk\n}')))
    b = net.start('b', config(instance(prio=100)))
    a.wait_log(r'VRRP_Script\(chk\) succeeded')
    a.wait_log(entering('MASTER'), timeout=5)
    net.wait_settled('a', ['b'])

    mark_a, mark_b = a.mark(), b.mark()
    with kalib.Capture(topo.switch, topo.port['a'], tmp_path / 'a.pcap', BPF) as cap:
        flag.write_text('fail\n')
        a.wait_log(r'VRRP_Script\(chk\) failed', since=mark_a, timeout=3)
        a.wait_log(r'\(VI_1\) Changing effective priority from 200 to 50', since=mark_a)
        net.wait_settled('b', ['a'], timeout=3)
        wait_adverts(cap, topo.addr4['a'], 1, priority=50)
    b.wait_log(entering('MASTER'), since=mark_b)
    a.wait_log(entering('BACKUP'), since=mark_a)
    assert not a.search(entering('FAULT')), 'a weighted script must not cause FAULT'

    mark_a = a.mark()
    flag.write_text('ok\n')
    a.wait_log(r'VRRP_Script\(chk\) succeeded', since=mark_a, timeout=3)
    a.wait_log(r'\(VI_1\) Changing effective priority from 50 to 200', since=mark_a)
    net.wait_settled('a', ['b'], timeout=3)


def test_track_script_fault(net, topo, tmp_path):
    """weight 0: a failing check puts a in FAULT (VIP gone, b master); success brings it back."""
    path, flag = chk_script(tmp_path)
    a = net.start('a', config(vrrp_script(path, 0),
                              instance(prio=200, extra='track_script {\n chk\n}')))
    b = net.start('b', config(instance(prio=100)))
    a.wait_log(entering('MASTER'), timeout=5)
    net.wait_settled('a', ['b'])

    mark_a, mark_b = a.mark(), b.mark()
    flag.write_text('fail\n')
    a.wait_log(r'VRRP_Script\(chk\) failed', since=mark_a, timeout=3)
    a.wait_log(entering('FAULT'), since=mark_a)
    net.wait_settled('b', ['a'], timeout=3)
    b.wait_log(r'\(VI_1\) Backup received priority 0 advertisement', since=mark_b)
    b.wait_log(entering('MASTER'), since=mark_b)

    mark_a = a.mark()
    flag.write_text('ok\n')
    a.wait_log(r'VRRP_Script\(chk\) succeeded', since=mark_a, timeout=3)
    a.wait_log(entering('MASTER'), since=mark_a, timeout=3)
    net.wait_settled('a', ['b'], timeout=3)


# ---------------------------------------------------------------- 9. notify

def notify_extra(tmp_path, host, sh):
    one, every = tmp_path / f'notify-{host}.txt', tmp_path / f'notify-all-{host}.txt'
    return one, every, f'''notify_master "{sh} {one} master"
notify_backup "{sh} {one} backup"
notify_fault "{sh} {one} fault"
notify_stop "{sh} {one} stop"
notify "{sh} {every}"'''


def test_notify_scripts(net, topo, tmp_path):
    """notify_* and notify (INSTANCE VI_1 STATE PRIO) across start, FAULT, recovery, stop."""
    sh = notify_script(tmp_path)
    topo.add_link('a', 'eth1')
    one_a, all_a, extra_a = notify_extra(tmp_path, 'a', sh)
    one_b, all_b, extra_b = notify_extra(tmp_path, 'b', sh)
    adv = 0.2   # transitions at least 0.6 s apart: each script has written before the next
    a = net.start('a', config(instance(prio=200, adv=adv,
                                       extra='track_interface {\n eth1\n}\n' + extra_a)))
    wait_for(lambda: lines(one_a) == ['backup', 'master'], 5, 'a: backup, master')
    b = net.start('b', config(instance(prio=100, adv=adv, extra=extra_b)))
    wait_for(lambda: lines(one_b) == ['backup'], 5, 'b: backup')
    net.wait_settled('a', ['b'])

    topo.ip('a', 'link', 'set', 'eth1', 'down')
    wait_for(lambda: lines(one_a)[2:] == ['fault'], 3, 'a: fault')
    wait_for(lambda: lines(one_b)[1:] == ['master'], 3, 'b: master')
    # `notify` too has written, so its FAULT line comes before the next transition's
    wait_for(lambda: len(lines(all_a)) == 3 and len(lines(all_b)) == 2, 3,
             'notify: a FAULT, b MASTER')
    topo.ip('a', 'link', 'set', 'eth1', 'up')
    wait_for(lambda: lines(one_a)[3:] == ['backup', 'master'], 3, 'a: backup, master')
    wait_for(lambda: lines(one_b)[2:] == ['backup'], 3, 'b: backup')
    # and `notify` has written these too: a stop right away may end it before it writes
    wait_for(lambda: len(lines(all_a)) == 5 and len(lines(all_b)) == 3, 3,
             'notify: a BACKUP, MASTER, b BACKUP')

    assert kalib.stop_all([a, b]) == [0, 0]
    wait_for(lambda: lines(one_a)[5:] == ['stop'] and lines(one_b)[3:] == ['stop'], 3, 'stop')
    wait_for(lambda: lines(all_a)[5:] and lines(all_b)[3:], 3, 'notify STOP')
    time.sleep(0.2)     # then nothing more comes: a late line would fail the checks below
    assert lines(one_a) == ['backup', 'master', 'fault', 'backup', 'master', 'stop']
    assert lines(one_b) == ['backup', 'master', 'backup', 'stop']
    assert lines(all_a)[:5] == [f'INSTANCE VI_1 {s} 200' for s in
                                ('BACKUP', 'MASTER', 'FAULT', 'BACKUP', 'MASTER')]
    assert lines(all_b)[:3] == [f'INSTANCE VI_1 {s} 100' for s in ('BACKUP', 'MASTER', 'BACKUP')]
    # keepalived 2.2.7 also runs `notify` with STOP on shutdown.
    assert lines(all_a)[5:] == ['INSTANCE VI_1 STOP 200']
    assert lines(all_b)[3:] == ['INSTANCE VI_1 STOP 100']


# ---------------------------------------------------------------- 10. reload

VI_2 = instance('VI_2', prio=200, vrid=52, vips=('192.0.2.101/24',))


@pytest.mark.parametrize('change', ['same', 'add_instance'])
def test_reload_keeps_master(net, topo, tmp_path, change):
    """SIGHUP: the unchanged master keeps its VIP throughout and logs no transition."""
    text = config(instance(prio=200))
    a = net.start('a', text)
    a.wait_log(entering('MASTER'), timeout=5)
    wait_for(lambda: net.has('a'), 3, 'the VIP on a')
    child = a.vrrp_pid()
    if change == 'add_instance':
        text += VI_2
    net.conf('a', text)
    with kalib.AddrWatch(topo, 'a', VIP4, tmp_path / 'monitor.txt') as watch:
        mark = a.mark()
        a.signal(signal.SIGHUP)
        a.wait_log(r'Reloading', since=mark)
        a.wait_log(r'Reload complete', since=mark, timeout=5)
        if change == 'add_instance':
            a.wait_log(entering('BACKUP', 'VI_2') + r' \(init\)', since=mark)
            a.wait_log(entering('MASTER', 'VI_2'), since=mark, timeout=5)
            wait_for(lambda: net.has('a', '192.0.2.101'), 3, 'VI_2 VIP on a')
        time.sleep(0.5)     # the watch goes on after the reload: a late removal shows too
    assert watch.polls > 20, 'the address poll did not run'
    assert watch.gaps == [], f'{VIP4} was missing at {len(watch.gaps)} polls during the reload'
    assert watch.deleted == [], f'{VIP4} was deleted during the reload'
    assert not a.search(r'\(VI_1\) Entering', since=mark), 'VI_1 changed state on reload'
    assert a.vrrp_pid() == child and a.running()


def reload_to(d, text):
    """d's config becomes text, SIGHUP; returns the log mark once the reload is complete."""
    Path(d.conf).write_text(text)
    mark = d.mark()
    d.signal(signal.SIGHUP)
    d.wait_log(r'Reload complete', since=mark, timeout=5)
    return mark


def master_a(net):
    a = net.start('a', config(instance(prio=200)))
    a.wait_log(entering('MASTER'), timeout=5)
    wait_for(lambda: net.has('a'), 3, 'the VIP on a')
    return a


def watched(watch):
    """Until the address poll has run past now, and at least 21 times in all."""
    n = watch.polls
    wait_for(lambda: watch.polls > max(20, n + 5), 5, 'the address poll to run')


def test_reload_priority_in_place(net, topo, tmp_path):
    """Five reloads change the master's priority: its VIP never leaves (keepalived 2.2.7
    keeps it too), it stays MASTER, and its adverts carry each new priority."""
    a = master_a(net)
    mark = a.mark()
    with kalib.Capture(topo.switch, topo.port['a'], tmp_path / 'a.pcap', BPF) as cap, \
            kalib.AddrWatch(topo, 'a', VIP4, tmp_path / 'monitor.txt') as watch:
        for prio in (190, 180, 170, 160, 150):
            reload_to(a, config(instance(prio=prio)))
            wait_adverts(cap, topo.addr4['a'], 2, since=time.time(), priority=prio)
        watched(watch)
    assert watch.polls > 20, 'the address poll did not run'
    assert watch.deleted == [], f'{VIP4} was deleted by a reload'
    assert watch.gaps == [], f'{VIP4} was missing at {len(watch.gaps)} polls'
    assert not a.search(r'\(VI_1\) Entering', since=mark), 'VI_1 changed state on reload'


def garps_for(cap, ip):
    """Gratuitous ARPs (sender == target == ip) among the captured frames."""
    addr = bytes(int(x) for x in ip.split('.'))
    return [f for _, _, f in cap.packets()
            if f[12:14] == b'\x08\x06' and len(f) >= 42 and f[28:32] == addr and f[38:42] == addr]


def test_reload_vips_one_by_one(net, topo, tmp_path):
    """A reload adds a second VIP to the master, another removes it: the first VIP never
    leaves, the added one appears and is announced (GARP, as keepalived 2.2.7 does), the
    removed one goes with keepalived's line."""
    vip2 = '192.0.2.101'
    a = master_a(net)
    mark = a.mark()
    with kalib.Capture(topo.switch, topo.port['a'], tmp_path / 'arp.pcap', 'arp') as arp, \
            kalib.AddrWatch(topo, 'a', VIP4, tmp_path / 'monitor.txt') as watch:
        reload_to(a, config(instance(prio=200, vips=(f'{VIP4}/24', f'{vip2}/24'))))
        wait_for(lambda: net.has('a', vip2), 3, f'{vip2} on a')
        wait_for(lambda: garps_for(arp, vip2), 3, f'a gratuitous ARP for {vip2}')
        reload_to(a, config(instance(prio=200)))
        wait_for(lambda: not net.has('a', vip2), 3, f'{vip2} gone from a')
        a.wait_log(rf'\(VI_1\) ip address {vip2}/24 dev eth0, no longer exist', since=mark)
        watched(watch)
    assert watch.polls > 20, 'the address poll did not run'
    assert watch.deleted == [], f'{VIP4} was deleted by a reload'
    assert watch.gaps == [], f'{VIP4} was missing at {len(watch.gaps)} polls'
    assert not a.search(r'\(VI_1\) Entering', since=mark), 'VI_1 changed state on reload'


def garp_times(cap, since):
    """When the gratuitous ARPs (sender == target) captured from since (epoch s) were sent."""
    return [ts for ts, _, f in cap.packets()
            if ts >= since and f[12:14] == b'\x08\x06' and len(f) >= 42 and f[28:32] == f[38:42]]


def at_least(n, get):
    """A wait_for predicate: get()'s list once it has n items."""
    return lambda: (lambda v: v if len(v) >= n else None)(get())


def test_reload_garp_interval(net, topo, tmp_path):
    """A reload that sets vrrp_garp_interval 0.25 paces the master's gratuitous ARPs from
    then on (they kept their start-up spacing, none, before). Master a has 4 VIPs and
    announces them again every second (vrrp_garp_master_refresh 1), one ARP each: a burst
    before the reload, at least 0.25 s apart after it."""
    vips = tuple(f'192.0.2.{100 + i}/24' for i in range(4))
    garp = ('vrrp_garp_master_refresh 1\n    vrrp_garp_master_repeat 1\n'
            '    vrrp_garp_master_refresh_repeat 1\n    vrrp_garp_master_delay 0')
    a = net.start('a', config(instance(prio=200, vips=vips), global_extra=garp))
    a.wait_log(entering('MASTER'), timeout=5)
    with kalib.Capture(topo.switch, topo.port['a'], tmp_path / 'arp.pcap', 'arp') as cap:
        t0 = time.time()
        burst = wait_for(at_least(4, lambda: garp_times(cap, t0)), 3, 'a set of 4 ARPs')[:4]
        mark = reload_to(a, config(instance(prio=200, vips=vips),
                                   global_extra=garp + '\n    vrrp_garp_interval 0.25'))
        t1 = time.time()
        paced = wait_for(at_least(8, lambda: garp_times(cap, t1)), 6, '8 ARPs after the reload')
    assert burst[-1] - burst[0] < 0.2, f'no burst before the reload: {burst}'
    gaps = [round(y - x, 3) for x, y in zip(paced, paced[1:])]
    assert min(gaps) > 0.2, f'ARPs {gaps} s apart after the reload set vrrp_garp_interval 0.25'
    assert not a.search(r'\(VI_1\) Entering BACKUP', since=mark), 'a left MASTER'


@pytest.mark.ours_only  # keepalived 2.2.7 restarts it too, without saying why
def test_reload_vrid_change_restarts(net, topo, tmp_path):
    """A new virtual_router_id is a new virtual router: the instance restarts, and says so."""
    a = master_a(net)
    with kalib.Capture(topo.switch, topo.port['a'], tmp_path / 'a.pcap', BPF) as cap:
        mark = reload_to(a, config(instance(prio=200, vrid=52)))
        a.wait_log(r'\(VI_1\) virtual_router_id changed \(51 -> 52\): restarting the instance',
                   since=mark)
        a.wait_log(entering('BACKUP') + r' \(init\)', since=mark)
        a.wait_log(entering('MASTER'), since=mark, timeout=5)
        wait_adverts(cap, topo.addr4['a'], 2, since=time.time(), vrid=52)
    wait_for(lambda: net.has('a'), 3, 'the VIP back on a')


def test_reload_changed_script_keeps_result(net, topo, tmp_path):
    """A reload changes the vrrp_script (weight 0) that master a tracks: the new one
    starts from the old one's result, as keepalived 2.2.7 does ("considered successful
    on reload"), so a neither goes FAULT nor drops its VIP meanwhile."""
    runs = tmp_path / 'runs'    # a line as each run of chk starts, one as it ends (exit 0)
    path = script(tmp_path, 'chk.sh', f'echo start >> {runs}\necho end >> {runs}\n')
    a = net.start('a', config(vrrp_script(path, 0), instance(prio=200,
                                                             extra='track_script {\n chk\n}')))
    a.wait_log(r'VRRP_Script\(chk\) succeeded')
    a.wait_log(entering('MASTER'), timeout=5)
    wait_for(lambda: net.has('a'), 3, 'the VIP on a')
    with kalib.AddrWatch(topo, 'a', VIP4, tmp_path / 'monitor.txt') as watch:
        mark = reload_to(a, config(vrrp_script(path, 0).replace('interval 1', 'interval 2'),
                                   instance(prio=200, extra='track_script {\n chk\n}')))
        a.wait_log(r'VRRP_Script\(chk\) considered successful on reload', since=mark)
        n = lines(runs).count('start')     # the old script's runs: none starts from now on

        def new_run_ended():
            done = lines(runs)
            return done.count('start') > n and done.count('end') == done.count('start')
        # the new script's first run (interval 2), and what the instance makes of it
        wait_for(new_run_ended, 6, "the new script's first run")
        watched(watch)
    assert watch.deleted == [], f'{VIP4} was deleted by the reload'
    assert not a.search(r'\(VI_1\) (Entering|entering)', since=mark), 'VI_1 changed state'


GROUPS = {4: ('vrrp_mcast_group4', MCAST4, '224.0.0.19', VIP4, 24),
          6: ('vrrp_mcast_group6', MCAST6, 'ff02::13', VIP6, 64)}


def maddrs(topo, h):
    out = topo.ip(h, 'maddr', 'show', 'dev', 'eth0').stdout
    return set(re.findall(r'inet6?\s+(\S+)', out))


@pytest.mark.parametrize('family', [4, 6], ids=['ipv4', 'ipv6'])
def test_reload_mcast_group(net, topo, tmp_path, family):
    """global_defs' multicast group changes on reload: the kept master's adverts go to the
    new group, its socket leaves the old group and joins the new one, so a peer that
    speaks on the new group is heard."""
    kw, old, new, vip, plen = GROUPS[family]
    inst = dict(vips=(f'{vip}/{plen}',))
    a = net.start('a', config(instance(prio=200, **inst)))
    a.wait_log(entering('MASTER'), timeout=5)
    wait_for(lambda: net.has('a', vip), 3, 'the VIP on a')
    assert old in maddrs(topo, 'a')
    src = topo.link_local('a') if family == 6 else topo.addr4['a']
    moved = config(instance(prio=200, **inst), global_extra=f'    {kw} {new}\n')
    with kalib.Capture(topo.switch, topo.port['a'], tmp_path / 'a.pcap', BPF) as cap:
        reload_to(a, moved)
        t = time.time()
        wait_adverts(cap, src, 3, since=t, dst=new)
        assert not [ad for ad in adverts_from(cap, src, t + 0.05) if ad['dst'] != new], \
            'adverts still going to the old group'
    wait_for(lambda: new in maddrs(topo, 'a') and old not in maddrs(topo, 'a'), 3,
             f'a joined to {new}, not {old}: {maddrs(topo, "a")}')
    mark = a.mark()
    b = net.start('b', config(instance(prio=250, **inst), global_extra=f'    {kw} {new}\n'))
    a.wait_log(rf'\(VI_1\) Master received advert from \S+ with higher priority 250, ours 200',
               since=mark, timeout=5)
    net.wait_settled('b', ['a'], vip)


# ---------------------------------------------------------------- 10b. address events

@pytest.mark.parametrize('how', ['promoted', 'replaced'])
def test_advert_source_follows_address(net, topo, tmp_path, how):
    """a's address 192.0.2.1 is replaced by 192.0.2.11 while a is master: its next adverts
    come from 192.0.2.11. promoted: .11 is there first and the kernel promotes it, so a
    stays MASTER with its VIP (keepalived 2.2.7 switches silently too); replaced: .1 goes
    first (taking the VIP, a secondary, with it), a has no address to speak from and
    waits in FAULT, as 2.2.7 does, until .11 comes."""
    new = '192.0.2.11'
    a = master_a(net)
    mark = a.mark()
    with kalib.Capture(topo.switch, topo.port['a'], tmp_path / 'a.pcap', BPF) as cap:
        if how == 'promoted':
            topo.ip('a', 'addr', 'add', f'{new}/24', 'dev', 'eth0')
            kalib.sh('ip', 'netns', 'exec', topo.host('a'), 'sysctl', '-qw',
                     'net.ipv4.conf.eth0.promote_secondaries=1')
            topo.ip('a', 'addr', 'del', f'{topo.addr4["a"]}/24', 'dev', 'eth0')
        else:
            topo.ip('a', 'addr', 'del', f'{topo.addr4["a"]}/24', 'dev', 'eth0')
            a.wait_log(entering('FAULT'), since=mark)   # no address to send from
            topo.ip('a', 'addr', 'add', f'{new}/24', 'dev', 'eth0')
        t = time.time()
        wait_adverts(cap, new, 3, since=t, priority=200)
        assert not adverts_from(cap, topo.addr4['a'], t + 0.2), 'adverts still from 192.0.2.1'
    wait_for(lambda: net.has('a'), 3, 'the VIP on a')
    if how == 'promoted':
        assert not a.search(r'\(VI_1\) Entering', since=mark), 'VI_1 changed state'
    else:
        a.wait_log(entering('FAULT'), since=mark)
        a.wait_log(entering('MASTER'), since=mark)


# ---------------------------------------------------------------- 11. hostile adverts

def hostile(topo, defect):
    """(instance kwargs, IPv4 packet from c): a priority-255 advert for VI_1 with one defect.

    Without the defect it would make the master step down at once.
    """
    c = topo.addr4['c']
    if defect == 'bad_auth':
        vrrp = kalib.vrrp_packet(2, 51, 255, [VIP4], 100, auth_type=1, auth_data=b'kt-wrong')
        return dict(version=2, adv=1, extra=auth('PASS', 'kt-pass1')), \
            kalib.ipv4_packet(c, MCAST4, vrrp)
    args = dict(version=3, vrid=51, priority=255, addrs=[VIP4], advert_cs=10, src=c, dst=MCAST4)
    ttl = 255
    if defect == 'bad_checksum':
        args['bad_checksum'] = True
    elif defect == 'ttl64':
        ttl = 64
    elif defect == 'truncated':
        args['addrs'], args['count'] = [], 1      # claims one address, carries none
    elif defect == 'wrong_vrid':
        args['vrid'] = 52
    elif defect == 'version4':
        args['version'] = 4
    elif defect == 'v2_on_v3':
        args.update(version=2, advert_cs=100)
    elif defect == 'wrong_type':
        args['vtype'] = 2
    else:
        assert defect == 'valid', defect
    return dict(version=3, adv=0.1), kalib.ipv4_packet(c, MCAST4, kalib.vrrp_packet(**args), ttl=ttl)


# What keepalived 2.2.7 logs for each, once per packet (None: nothing).
HOSTILE_LOG = {
    'bad_checksum': r'\(VI_1\) Invalid VRRPv3 checksum',
    'ttl64': r'\(VI_1\) invalid TTL/HL\. Received 64 and expect 255',
    'truncated': r'\(VI_1\) vrrp packet too short, length 28 and expect 32',
    'wrong_vrid': None,
    'version4': r'\(VI_1\) wrong version\. Received 4 and expect 3',
    'v2_on_v3': r'\(VI_1\) wrong version\. Received 2 and expect 3',
    'wrong_type': r'\(VI_1\) Invalid packet type\. 2 and expect 1',
    'bad_auth': r'\(VI_1\) received an invalid passwd!',
}


def test_injected_valid_advert_is_heard(net, topo):
    """The injector's control: a well-formed priority-255 advert from c does make a step down."""
    inst, pkt = hostile(topo, 'valid')
    a = net.start('a', config(instance(prio=200, **inst)))
    a.wait_log(entering('MASTER'), timeout=5)
    mark = a.mark()
    with kalib.Injector(topo.host('c')) as inj:
        inj.send(pkt)
    a.wait_log(r'\(VI_1\) Master received advert from 192\.0\.2\.3 with higher priority 255, '
               r'ours 200', since=mark, timeout=2)
    a.wait_log(entering('BACKUP'), since=mark)


@pytest.mark.parametrize('defect', list(HOSTILE_LOG))
def test_hostile_advert_ignored(net, topo, tmp_path, defect):
    """A malformed advert from c: the master stays master, no transition, the daemon lives."""
    inst, pkt = hostile(topo, defect)
    a = net.start('a', config(instance(prio=200, **inst)))
    a.wait_log(entering('MASTER'), timeout=down_interval(200, inst['adv']) + 5)
    wait_for(lambda: net.has('a'), 3, 'the VIP on a')
    child = a.vrrp_pid()
    mark = a.mark()
    with kalib.Capture(topo.switch, topo.port['a'], tmp_path / 'a.pcap', BPF) as cap, \
            kalib.Injector(topo.host('c')) as inj:
        for _ in range(3):
            inj.send(pkt)
            time.sleep(0.02)    # three adverts apart, as a peer sends them, not a burst
        sent = time.time()
        holds_for(lambda: net.has('a') and a.running(), max(0.5, 1.5 * inst['adv']),
                  'a MASTER with its VIP')
        wait_adverts(cap, topo.addr4['a'], 2, since=sent, priority=200, timeout=3)
    assert not a.search(r'\(VI_1\) Entering', since=mark), 'a changed state'
    assert not a.search(r'higher priority', since=mark), 'a took the advert for a real one'
    assert a.vrrp_pid() == child and kalib.alive(child), 'the VRRP child died'
    if HOSTILE_LOG[defect]:
        a.wait_log(HOSTILE_LOG[defect], since=mark, timeout=0)


# ---------------------------------------------------------------- 12. interop

INTEROP = {
    'v2-pass': dict(version=2, adv=1, auth=('PASS', 'kt-pass1')),
    'v2-ah': dict(version=2, adv=1, auth=('AH', 'kt-pass1')),
    'v3-ipv4': dict(version=3, adv=0.1),
    'v3-ipv6': dict(version=3, adv=0.1, vips=(f'{VIP6}/64',)),
    'unicast': dict(version=3, adv=0.1, unicast=True),
}


@pytest.mark.interop
@pytest.mark.parametrize('mode', INTEROP)
@pytest.mark.parametrize('master', ['ours', 'ref'], ids=['ours-master', 'ref-master'])
def test_interop(net, topo, binary, master, mode):
    """Ours and keepalived 2.2.7 in one virtual router: the right one holds the VIP, and
    the backup takes over when the master stops."""
    if not os.access(REF, os.X_OK):
        pytest.skip(f'{REF} not installed')
    m = INTEROP[mode]
    vips = m.get('vips', (f'{VIP4}/24',))
    vip = vips[0].split('/')[0]
    bins = {'a': binary if master == 'ours' else REF, 'b': REF if master == 'ours' else binary}
    daemons = {}
    for host, peer, prio in (('a', 'b', 200), ('b', 'a', 100)):
        extra = ''
        if 'auth' in m:
            extra += auth(*m['auth']) + '\n'
        if m.get('unicast'):
            extra += unicast_extra(topo, host, peer, 4)
        daemons[host] = net.start(host, config(instance(prio=prio, version=m['version'],
                                                        adv=m['adv'], vips=vips, extra=extra)),
                                  binary=bins[host], wait=False)
    a, b = daemons['a'], daemons['b']
    net.ready(a, b)
    a.wait_log(entering('MASTER'), timeout=down_interval(200, m['adv']) + 5)
    b.wait_log(entering('BACKUP'))
    net.wait_settled('a', ['b'], vip)
    holds_for(lambda: net.settled('a', ['b'], vip), max(0.5, 1.2 * m['adv']), 'the VIP on a only')
    assert not b.search(r'invalid|mismatch|error', since=0), 'b complained about the adverts'

    mark = b.mark()
    a.signal(signal.SIGTERM)
    assert a.wait_exit(5) == 0
    net.wait_settled('b', ['a'], vip, timeout=2)
    b.wait_log(r'\(VI_1\) Backup received priority 0 advertisement', since=mark)
    b.wait_log(entering('MASTER'), since=mark)


# ---------------------------------------------------------------- 11b. drops counted (ours)

# The reason each hostile advert is counted under in the SIGUSR2 stats file.
HOSTILE_COUNTER = {
    'bad_checksum': 'bad checksum',
    'ttl64': 'invalid TTL/hop limit',
    'truncated': 'truncated address list',
    'wrong_vrid': 'wrong VRID',
    'version4': 'wrong version',
    'v2_on_v3': 'wrong version',
    'wrong_type': 'not an advertisement',
    'bad_auth': 'authentication failed',
}
@pytest.mark.ours_only  # keepalived 2.2.7's stats file has no per-reason drop counters
@pytest.mark.parametrize('defect', list(HOSTILE_COUNTER))
def test_hostile_advert_counted(net, topo, tmp_path, defect):
    """Each malformed advert is counted under its reason in the SIGUSR2 dump."""
    inst, pkt = hostile(topo, defect)
    stats_file = tmp_path / 'a.stats'   # not the /tmp file parallel runs share
    a = net.start('a', config(instance(prio=200, **inst),
                              global_extra=f'stats_dump_file {stats_file}'))
    a.wait_log(entering('MASTER'), timeout=down_interval(200, inst['adv']) + 5)
    with kalib.Injector(topo.host('c')) as inj:
        for _ in range(3):
            inj.send(pkt)
            time.sleep(0.02)    # three adverts apart, as a peer sends them, not a burst
    line = re.compile(rf'^  Dropped, {re.escape(HOSTILE_COUNTER[defect])}: (\d+)$', re.M)

    def counted():
        stats_file.unlink(missing_ok=True)
        os.kill(a.vrrp_pid(), signal.SIGUSR2)
        try:
            kalib.wait_for(stats_file.exists, 2, 'the stats file')
            # renamed into place once complete: no wait for the writer to finish
            return sum(int(n) for n in line.findall(stats_file.read_text())) >= 3
        except AssertionError:
            return False
    wait_for(counted, 5, f'3 drops counted as "{HOSTILE_COUNTER[defect]}"')
    assert a.running() and net.has('a')
