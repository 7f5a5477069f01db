# SPDX-License-Identifier: GPL-2.0-or-later
"""A crash does not fail over: a MASTER's VRRP child SIGKILLed is respawned by the parent,
and the new child resumes MASTER at once (its VIPs are still set), so the backup never
sees a gap in the master's adverts long enough to take over.

keepalived 2.2.7 (and we before this) started the new child in BACKUP: its first advert
came about 3.2 s after the kill at advert_int 1, the backup took over, then gave the VIP
back. An instance whose VIPs are no longer all there, or whose config changed, starts as
at a normal start (keepalived(8), RESPAWN).
"""
import signal
import time

import pytest

import kalib
from kalib import holds_for, wait_for
from test_vrrp import (BPF, VIP4, adverts_from, down_interval, entering, net,  # noqa: F401
                       topo, two_routers)

ADV = 1.0
RESUMED = r'\(VI_1\) resuming MASTER state after a restart of the VRRP process'
NOT_RESUMED = r'\(VI_1\) not resuming MASTER state after a restart of the VRRP process: '


def kill_vrrp_child(d):
    """SIGKILL d's VRRP child; its pid, once the parent has respawned another."""
    old = d.vrrp_pid()
    assert old, 'no VRRP child pid file'
    t0 = time.time()
    kalib.kill(old, signal.SIGKILL)
    wait_for(lambda: (d.vrrp_pid() or old) != old, 5, 'a new VRRP child')
    return t0


def max_gap(ads, t_from, t_to):
    ts = [ad['ts'] for ad in ads if t_from <= ad['ts'] <= t_to]
    return max(b - a for a, b in zip(ts, ts[1:])), ts


@pytest.mark.ours_only   # keepalived 2.2.7: the backup takes over 3.2 s after the kill
def test_crash_resumes_master(net, topo, tmp_path):
    """SIGKILL of the master's VRRP child: no advert gap past one interval, b never MASTER."""
    a, b = two_routers(net, ADV)
    mark_a, mark_b = a.mark(), b.mark()
    with kalib.Capture(topo.switch, topo.port['b'], tmp_path / 'b.pcap', BPF) as cap:
        time.sleep(2.5 * ADV)
        t_kill = kill_vrrp_child(a)
        a.wait_log(RESUMED, since=mark_a)
        # the VIP stays on a, never on b, for longer than b's master-down interval
        holds_for(lambda: net.settled('a', ['b']), down_interval(100, ADV) + 2 * ADV,
                  'the VIP on a only')
        ads = kalib.vrrp_adverts(cap.packets())
    assert not [ad for ad in ads if ad['src'] == topo.addr4['b']], 'b sent adverts (took over)'
    assert not b.search(entering('MASTER'), since=mark_b), b.tail()
    mine = [ad for ad in ads if ad['src'] == topo.addr4['a']]
    gap, ts = max_gap(mine, t_kill - 2 * ADV, time.time())
    first_after = min(t for t in ts if t > t_kill)
    # "within one advert interval of the kill" (+ scheduling slack on a loaded host)
    assert first_after - t_kill < ADV, f'first advert {first_after - t_kill:.2f} s after the kill'
    assert gap < 2 * ADV + 0.3, f'gap of {gap:.2f} s between adverts of a'
    assert gap < down_interval(100, ADV)
    assert not a.search(entering('BACKUP'), since=mark_a), 'the new child went through BACKUP'


@pytest.mark.ours_only
def test_crash_vips_gone_starts_as_before(net, topo):
    """Its VIP removed before the respawn: no resume; BACKUP (init), then MASTER by election."""
    a, b = two_routers(net, ADV)
    mark_a = a.mark()
    child = a.vrrp_pid()
    kalib.kill(child, signal.SIGSTOP)
    topo.ip('a', 'addr', 'del', f'{VIP4}/24', 'dev', 'eth0')
    kill_vrrp_child(a)
    a.wait_log(NOT_RESUMED + 'its VIPs are not all set', since=mark_a)
    a.wait_log(entering('BACKUP') + r' \(init\)', since=mark_a)
    # b held it meanwhile (a's adverts stopped), a preempts it back
    a.wait_log(entering('MASTER'), since=mark_a, timeout=10)
    net.wait_settled('a', ['b'])


@pytest.mark.ours_only
def test_crash_after_config_change_starts_as_before(net, topo, tmp_path):
    """A reload changed its priority, then the child died before applying it: no resume."""
    a, b = two_routers(net, ADV)
    mark_a = a.mark()
    child = a.vrrp_pid()
    kalib.kill(child, signal.SIGSTOP)
    conf = tmp_path / 'a.conf'
    conf.write_text(conf.read_text().replace('priority 200', 'priority 150'))
    a.signal(signal.SIGHUP)
    a.wait_log(r'Reloading', since=mark_a)
    kill_vrrp_child(a)
    a.wait_log(NOT_RESUMED + 'its configuration changed', since=mark_a)
    a.wait_log(entering('BACKUP') + r' \(init\)', since=mark_a)


@pytest.mark.ours_only
def test_normal_restart_does_not_resume(net, topo):
    """A stop and a start of the daemon: the new one starts in BACKUP as keepalived does."""
    a, b = two_routers(net, ADV)
    assert a.stop() == 0
    net.wait_settled('b', ['a'])
    a2 = net.start('a', open(a.conf).read(), name='a2')
    a2.wait_log(entering('BACKUP') + r' \(init\)')
    assert not a2.search(RESUMED)
    a2.wait_log(entering('MASTER'), timeout=10)
