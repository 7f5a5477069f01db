# SPDX-License-Identifier: GPL-2.0-or-later
"""A flood of adverts cannot flood the log: per-packet lines, of bad adverts and of valid
ones alike, are rate limited per instance and reason (kind of line), with one line for
those held back; the counters count them all.

keepalived 2.2.7 logged 4,156 lines for 20,000 bad-checksum adverts to its group.
"""
import re
import time

import pytest

import kalib
from kalib import holds_for, wait_for
from test_vrrp import MCAST4, VIP4, config, entering, instance, net, topo  # noqa: F401
from test_vrrp_offlink import stats, stats_conf

N = 20000


def sock_counts(text):
    """(received, dropped as bad checksum) of the IPv4 VRRP socket in a stats dump."""
    m = re.search(r'^VRRP socket: .*IPv4, protocol 112\n(.*?)(?=^VRRP |\Z)', text, re.M | re.S)
    assert m, f'no IPv4 VRRP socket in the stats dump:\n{text}'
    rx = int(re.search(r'^  Received: (\d+)$', m.group(1), re.M).group(1))
    # a reason is listed once it has dropped something: no line is 0
    bad = re.search(r'^  Dropped, bad checksum: (\d+)$', m.group(1), re.M)
    return rx, int(bad.group(1)) if bad else 0


@pytest.mark.ours_only  # keepalived 2.2.7 logs a line per packet (4,156 of 20,000 here)
def test_bad_checksum_flood(net, topo):
    """20,000 bad-checksum adverts from c to the group, TTL 255, as fast as c sends them in
    bursts: a stays MASTER with its VIP; its log gets at most 20 'Invalid VRRPv3 checksum'
    lines and, once the 10 s window is over, one line counting the rest; the stats dump
    counts every advert the socket received as a bad checksum, most of the 20,000."""
    a = net.start('a', config(instance(prio=200), global_extra=stats_conf(net)))
    a.wait_log(entering('MASTER'), timeout=5)
    wait_for(lambda: net.has('a'), 3, 'the VIP on a')
    rx0, bad0 = sock_counts(stats(a))
    mark = a.mark()
    c = topo.addr4['c']
    pkt = kalib.ipv4_packet(c, MCAST4, kalib.vrrp_packet(3, 51, 255, [VIP4], 10, src=c,
                                                          dst=MCAST4, bad_checksum=True))
    with kalib.Injector(topo.host('c')) as inj:
        for i in range(N):
            inj.send(pkt)
            if i % 50 == 49:
                time.sleep(0.0005)   # bursts of 50: the socket's buffer holds ~200
    # the window opened at the first line: its count comes when it ends, 10 s later
    a.wait_log(r'\(VI_1\) \d+ similar log lines suppressed \(bad checksum\)', since=mark,
               timeout=15)
    rx, bad = sock_counts(stats(a))
    rx, bad = rx - rx0, bad - bad0
    text = a.text(since=mark)
    logged = len(re.findall(r'\(VI_1\) Invalid VRRPv3 checksum', text))
    held = sum(int(n) for n in re.findall(r'\(VI_1\) (\d+) similar log lines suppressed', text))
    lines = text.count('\n')
    print(f'{N} sent, {rx} received, {bad} counted as bad checksum; {logged} lines logged, '
          f'{held} held back, {lines} log lines in all')
    assert bad == rx, f'{rx} received but {bad} counted'
    assert rx >= N * 0.9, f'only {rx} of {N} reached the socket'
    assert 1 <= logged <= 20, f'{logged} "Invalid VRRPv3 checksum" lines'
    assert logged + held == bad, f'{logged} logged + {held} held back != {bad} dropped'
    assert lines < 100, f'{lines} log lines for {N} bad adverts'
    holds_for(lambda: net.has('a') and a.running(), 0.3, 'a MASTER with its VIP')
    assert not a.search(r'\(VI_1\) Entering', since=mark), 'a changed state'


# ---------------------------------------------------------------- log_unknown_vrids

UNKNOWN = r'Unknown VRID\(52\) received on interface\(eth0\)\. ignoring\.\.\.'


def unknown_vrid_advert(topo):
    """From c to the group, TTL 255: a well-formed advert of VRID 52, which a does not have."""
    c = topo.addr4['c']
    return kalib.ipv4_packet(c, MCAST4, kalib.vrrp_packet(3, 52, 255, [VIP4], 10, src=c,
                                                          dst=MCAST4))


@pytest.mark.parametrize('flag', ['on', 'off'])
def test_log_unknown_vrids(net, topo, flag):
    """log_unknown_vrids: an advert for a VRID that no instance has on the interface gets
    keepalived 2.2.7's line, one per advert; without it, none. An advert of VI_1's with a
    TTL of 64 follows the unknown ones, and its own line shows they have all arrived."""
    a = net.start('a', config(instance(prio=200),
                              global_extra='log_unknown_vrids' if flag == 'on' else ''))
    a.wait_log(entering('MASTER'), timeout=5)
    mark = a.mark()
    c = topo.addr4['c']
    marker = kalib.ipv4_packet(c, MCAST4, kalib.vrrp_packet(3, 51, 255, [VIP4], 10, src=c,
                                                             dst=MCAST4), ttl=64)
    with kalib.Injector(topo.host('c')) as inj:
        for _ in range(3):
            inj.send(unknown_vrid_advert(topo))
        inj.send(marker)
    a.wait_log(r'\(VI_1\) invalid TTL/HL\. Received 64 and expect 255', since=mark)
    n = len(re.findall(UNKNOWN, a.text(since=mark)))
    assert n == (3 if flag == 'on' else 0), f'{n} "Unknown VRID" lines'
    assert net.has('a') and not a.search(r'\(VI_1\) Entering', since=mark)


@pytest.mark.ours_only  # keepalived 2.2.7 logs a line per packet
def test_unknown_vrid_flood(net, topo):
    """2,000 adverts of an unknown VRID under log_unknown_vrids: at most 20 lines, then one
    that counts the rest for the interface; lines + held back = the packets the socket
    counted as of a wrong VRID."""
    a = net.start('a', config(instance(prio=200),
                              global_extra=f'log_unknown_vrids\n{stats_conf(net)}'))
    a.wait_log(entering('MASTER'), timeout=5)
    mark = a.mark()
    pkt = unknown_vrid_advert(topo)
    with kalib.Injector(topo.host('c')) as inj:
        for i in range(2000):
            inj.send(pkt)
            if i % 50 == 49:
                time.sleep(0.0005)
    a.wait_log(r'\d+ similar log lines suppressed \(unknown VRID on eth0\)', since=mark,
               timeout=15)
    text = a.text(since=mark)
    logged = len(re.findall(UNKNOWN, text))
    held = sum(int(n) for n in re.findall(r'(\d+) similar log lines suppressed \(unknown VRID',
                                          text))
    m = re.search(r'^VRRP socket: .*IPv4, protocol 112\n(.*?)(?=^VRRP |\Z)', stats(a),
                  re.M | re.S)
    wrong = int(re.search(r'^  Dropped, wrong VRID: (\d+)$', m.group(1), re.M).group(1))
    assert 1 <= logged <= 20, f'{logged} "Unknown VRID" lines'
    assert logged + held == wrong, f'{logged} logged + {held} held back != {wrong} counted'
    assert wrong >= 1800, f'only {wrong} of 2000 counted'
    assert net.has('a') and a.running()


def adverts_received(text, name='VI_1'):
    """The instance's 'Advertisements: Received' count in a stats dump."""
    m = re.search(rf'^VRRP Instance: {name}\n  Advertisements:\n    Received: (\d+)$', text, re.M)
    assert m, f'no {name} adverts count in the stats dump:\n{text}'
    return int(m.group(1))


@pytest.mark.ours_only  # keepalived 2.2.7 logs a line per advert
def test_valid_lower_priority_flood(net, topo):
    """5,000 valid priority-100 adverts from c to master a (200): each one is accepted
    and answered ('forcing new election'), but a logs at most 20 'Received advert from
    192.0.2.3 with lower priority 100, ours 200' lines and, once the 10 s window is over,
    one line counting the rest: logged + held back = the adverts a received. a stays
    MASTER with its VIP."""
    n = 5000
    a = net.start('a', config(instance(prio=200), global_extra=stats_conf(net)))
    a.wait_log(entering('MASTER'), timeout=5)
    wait_for(lambda: net.has('a'), 3, 'the VIP on a')
    rx0 = adverts_received(stats(a))
    mark = a.mark()
    c = topo.addr4['c']
    pkt = kalib.ipv4_packet(c, MCAST4, kalib.vrrp_packet(3, 51, 100, [VIP4], 10, src=c,
                                                          dst=MCAST4))
    with kalib.Injector(topo.host('c')) as inj:
        for i in range(n):
            inj.send(pkt)
            if i % 50 == 49:
                time.sleep(0.005)   # bursts of 50, each accepted one is answered
    a.wait_log(r'\(VI_1\) \d+ similar log lines suppressed \(lower priority advert\)',
               since=mark, timeout=15)
    rx = adverts_received(stats(a)) - rx0
    text = a.text(since=mark)
    line = (r'\(VI_1\) Received advert from 192\.0\.2\.3 with lower priority 100, ours 200, '
            r'forcing new election')
    logged = len(re.findall(line, text))
    held = sum(int(k) for k in re.findall(
        r'\(VI_1\) (\d+) similar log lines suppressed \(lower priority advert\)', text))
    print(f'{n} sent, {rx} accepted; {logged} lines logged, {held} held back, '
          f'{text.count(chr(10))} log lines in all')
    assert rx >= n * 0.5, f'only {rx} of {n} adverts accepted'
    assert 1 <= logged <= 20, f'{logged} "Received advert ... lower priority" lines'
    assert logged + held == rx, f'{logged} logged + {held} held back != {rx} accepted'
    assert text.count('\n') < 100, f'{text.count(chr(10))} log lines for {n} adverts'
    holds_for(lambda: net.has('a') and a.running(), 0.3, 'a MASTER with its VIP')
    assert not a.search(r'\(VI_1\) Entering', since=mark), 'a changed state'


# ---------------------------------------------------------------- the socket's receive buffer

@pytest.mark.ours_only  # 2.2.7 leaves the kernel's default: 208 kB, 256 short packets
def test_default_receive_buffer(net, topo):
    """Without vrrp_rx_bufs_policy or kernel_rx_buf_size, the VRRP socket's receive buffer
    is 8 MB (4 MB set past net.core.rmem_max, doubled by the kernel): about 10,000 short
    packets of a flood wait there while the child waits for a CPU, instead of 256 (5 ms
    at 50,000 packets/s: then the master's adverts were lost with the flood's packets;
    tests/system/test_soak.py, test_flood_short)."""
    from test_vrrp_misc import rcvbufs
    a = net.start('a', config(instance(prio=200)))
    a.wait_log(entering('MASTER'), timeout=5)
    pid = a.vrrp_pid()
    wait_for(lambda: 8 << 20 in rcvbufs(pid), 5, 'a raw socket with SO_RCVBUF 8 MB')
