# SPDX-License-Identifier: GPL-2.0-or-later
"""vrrp_sync_group: the members of a group move as one (spec vrrp-advanced.md 1, 11).

Two members on one link (VRIDs 51 and 52); a member's FAULT comes from a tracked
interface `trk` (a veth inside the host) taken down. Interop: ours and Debian's
keepalived 2.2.7 (/usr/sbin/keepalived) as the two routers of one group, both ways.
"""
import os
import re
import signal
import time
from pathlib import Path

import pytest

import kalib
from kalib import holds_for, wait_for

REF = kalib.DEBIAN
VIP1, VIP2 = '192.0.2.100', '192.0.2.101'
ADV = 0.2


@pytest.fixture
def topo():
    """Hosts a and b (overrides conftest's one-host topo; start_daemon uses it)."""
    t = kalib.Topology(('a', 'b'))
    yield t
    t.destroy()


def instance(name, vrid, vip, prio, extra=''):
    return f'''
vrrp_instance {name} {{
    state BACKUP
    interface eth0
    virtual_router_id {vrid}
    priority {prio}
    advert_int {ADV}
    version 3
    {extra}
    virtual_ipaddress {{
        {vip}/24
    }}
}}
'''


def config(prio, group='', vi1_extra='', vi2_extra='', members=('VI_1', 'VI_2')):
    """Two instances (VI_1: VIP1, VI_2: VIP2) in sync group G1 (group: more lines for it)."""
    text = '''global_defs {
    router_id kt_sync
    script_user root
    enable_script_security
}
''' + instance('VI_1', 51, VIP1, prio, vi1_extra) + instance('VI_2', 52, VIP2, prio, vi2_extra)
    if members:
        body = '\n'.join(f'        {m}' for m in members)
        text += f'''
vrrp_sync_group G1 {{
    group {{
{body}
    }}
    {group}
}}
'''
    return text


def down_interval(prio):
    return 3 * ADV + (256 - prio) * ADV / 256


def script(tmp_path, name, text):
    os.chmod(tmp_path, 0o755)
    path = tmp_path / name
    path.write_text('#!/bin/sh\n' + text)
    path.chmod(0o755)
    return path


def lines(path):
    return Path(path).read_text().splitlines() if Path(path).exists() else []


class Net:
    def __init__(self, start_daemon, tmp_path, topo):
        self.start_daemon, self.tmp, self.topo = start_daemon, tmp_path, topo

    def start(self, host, text, binary=None):
        path = self.tmp / f'{host}.conf'
        path.write_text(text)
        kw = dict(binary=binary) if binary else {}
        d = self.start_daemon(path, name=host, host=host, **kw)
        d.wait_log(r'\(VI_\d\) Entering \w+ STATE|\(VI_\d\):? entering FAULT state', timeout=40)
        return d

    def has(self, host, vip):
        return self.topo.has_addr(host, vip)

    def holds(self, host, vips=(VIP1, VIP2)):
        """host has every one of vips, and no other host has any."""
        others = [h for h in self.topo.ns if h != host]
        return all(self.has(host, v) for v in vips) and \
            not any(self.has(o, v) for o in others for v in vips)

    def wait_holds(self, host, timeout=8):
        wait_for(lambda: self.holds(host), timeout, f'both VIPs on {host} only')


@pytest.fixture
def net(start_daemon, tmp_path, topo):
    return Net(start_daemon, tmp_path, topo)


def notify_group(tmp_path, host):
    """The group's notify lines (GROUP G1 STATE 0) and its notify_master/_fault runs."""
    sh = script(tmp_path, 'notify.sh', 'out=$1; shift; echo "$@" >> "$out"\n')
    every, one = tmp_path / f'group-{host}.txt', tmp_path / f'group-one-{host}.txt'
    return every, one, f'''notify "{sh} {every}"
    notify_master "{sh} {one} master"
    notify_backup "{sh} {one} backup"
    notify_fault "{sh} {one} fault"
    notify_stop "{sh} {one} stop"'''


# ---------------------------------------------------------------- one node

def test_member_held_back_until_all_want_master(net, topo):
    """b masters VI_1 only: a's VI_2 times out but waits for VI_1; b gone, a takes both."""
    b = net.start('b', config(200, members=()).replace(instance('VI_2', 52, VIP2, 200), ''))
    b.wait_log(r'\(VI_1\) Entering MASTER STATE', timeout=5)
    a = net.start('a', config(100))
    # VI_2 has nobody else: its timer fires again and again, VI_1 hears b
    holds_for(lambda: not net.has('a', VIP2) and not net.has('a', VIP1),
              3 * down_interval(100), 'a without VIPs while VI_1 hears a master')
    assert not a.search(r'Entering MASTER STATE')
    mark = a.mark()
    b.kill_tree()   # its VIP stays behind on b: a killed master removes nothing
    wait_for(lambda: net.has('a', VIP1) and net.has('a', VIP2), down_interval(100) + 3,
             'both VIPs on a')
    a.wait_log(r'VRRP_Group\(G1\) Syncing instances to MASTER state', since=mark)
    # the member whose timer fired last goes first, then the group takes the other
    log = Path(a.log).read_text()[mark:]
    order = re.findall(r'\((VI_\d)\) Entering MASTER STATE|VRRP_Group\(G1\) Syncing', log)
    assert order[1] == '' and sorted([order[0], order[2]]) == ['VI_1', 'VI_2'], order


def test_fault_at_start_and_recovery(net, topo, tmp_path):
    """trk down before start: the whole group starts in FAULT; trk up: BACKUP, then MASTER."""
    topo.add_link('a', 'trk')
    topo.ip('a', 'link', 'set', 'trk', 'down')
    every, one, notify = notify_group(tmp_path, 'a')
    a = net.start('a', config(100, group=notify, vi2_extra='track_interface {\n        trk\n    }'))
    a.wait_log(r'VRRP_Group\(G1\): Syncing VI_2 to FAULT state')
    a.wait_log(r'\(VI_1\) entering FAULT state')
    a.wait_log(r'\(VI_2\) entering FAULT state')
    wait_for(lambda: lines(every) == ['GROUP G1 FAULT 0'], 3, 'GROUP G1 FAULT 0')
    holds_for(lambda: not net.has('a', VIP1), 3 * ADV * 3, 'VI_1 in FAULT')
    mark = a.mark()
    topo.ip('a', 'link', 'set', 'trk', 'up')
    a.wait_log(r'\(VI_2\) Entering BACKUP STATE', since=mark)
    a.wait_log(r'VRRP_Group\(G1\) Syncing instances to BACKUP state', since=mark)
    a.wait_log(r'\(VI_1\) Entering BACKUP STATE', since=mark)
    net.wait_holds('a', timeout=down_interval(100) + 3)
    wait_for(lambda: lines(every) == ['GROUP G1 FAULT 0', 'GROUP G1 BACKUP 0',
                                      'GROUP G1 MASTER 0'], 3, 'GROUP lines')
    wait_for(lambda: lines(one) == ['fault', 'backup', 'master'], 3, 'group state scripts')


def test_owners_start_master(net, topo, tmp_path):
    """Every member an address owner with state MASTER: all MASTER at once, no group notify
    until the group changes (the stop's)."""
    every, one, notify = notify_group(tmp_path, 'a')
    text = config(100, group=notify).replace('priority 100', 'priority 255\n    state MASTER')
    a = net.start('a', text)
    a.wait_log(r'\(VI_1\) Entering MASTER STATE')
    a.wait_log(r'\(VI_2\) Entering MASTER STATE')
    net.wait_holds('a', timeout=3)
    time.sleep(0.3)     # a group notify would have been spawned at the start
    assert lines(every) == []
    assert kalib.stop_all([a]) == [0]
    wait_for(lambda: lines(every) == ['GROUP G1 STOP 0'], 3, 'GROUP G1 STOP 0')


@pytest.mark.ours_only  # keepalived 2.2.7 logs "ignoring ... weight" and applies the weight all the same
def test_weighted_member_trackers_neutralised(net, topo):
    """Without sync_group_tracking_weight a member's interface weight is 0: down is FAULT."""
    topo.add_link('a', 'trk')
    a = net.start('a', config(100, vi1_extra='track_interface {\n        trk weight -50\n    }'))
    a.wait_log(r'\(VI_1\) ignoring trk tracked interface weight due to SYNC group')
    net.wait_holds('a', timeout=down_interval(100) + 3)
    mark = a.mark()
    topo.ip('a', 'link', 'set', 'trk', 'down')
    a.wait_log(r'\(VI_1\) Entering FAULT STATE', since=mark)
    a.wait_log(r'VRRP_Group\(G1\) Syncing instances to FAULT state', since=mark)
    a.wait_log(r'\(VI_2\) Entering FAULT STATE', since=mark)
    wait_for(lambda: not net.has('a', VIP1) and not net.has('a', VIP2), 3, 'VIPs removed')
    assert not a.search(r'Changing effective priority', since=mark)


def test_group_tracking_weight_and_group_tracker(net, topo):
    """sync_group_tracking_weight keeps a member's weight; a group track_interface applies to all."""
    topo.add_link('a', 'trk')
    topo.add_link('a', 'gtrk')
    a = net.start('a', config(100, group='sync_group_tracking_weight\n    track_interface {\n'
                                         '        gtrk weight -20\n    }',
                              vi1_extra='track_interface {\n        trk weight -50\n    }'))
    net.wait_holds('a', timeout=down_interval(100) + 3)
    assert not a.search(r'ignoring trk tracked interface weight')
    mark = a.mark()
    topo.ip('a', 'link', 'set', 'trk', 'down')
    a.wait_log(r'\(VI_1\) Changing effective priority from 100 to 50', since=mark)
    topo.ip('a', 'link', 'set', 'gtrk', 'down')
    a.wait_log(r'Netlink reports gtrk down', since=mark)
    a.wait_log(r'\(VI_1\) Changing effective priority from 50 to 30', since=mark)
    a.wait_log(r'\(VI_2\) Changing effective priority from 100 to 80', since=mark)
    assert not a.search(r'FAULT', since=mark)


def test_lower_advert_garps_for_the_group(net, topo):
    """A master member hearing a lower priority: its siblings re-announce their VIPs too."""
    a = net.start('a', config(100, vi1_extra='garp_lower_prio_repeat 1',
                              vi2_extra='garp_lower_prio_repeat 1'))
    net.wait_holds('a', timeout=down_interval(100) + 3)
    time.sleep(0.2)     # the becoming-master GARP burst is over
    mark = a.mark()
    b = topo.addr4['b']
    pkt = kalib.ipv4_packet(b, '224.0.0.18', kalib.vrrp_packet(
        3, 51, 50, [VIP1], round(ADV * 100), src=b, dst='224.0.0.18'))
    with kalib.Injector(topo.host('b')) as inj:
        inj.send(pkt)
    a.wait_log(r'\(VI_1\) Received advert from 192\.0\.2\.2 with lower priority 50, ours 100',
               since=mark)
    # at once: the becoming-master's second burst comes 5 s after MASTER (garp_master_delay)
    a.wait_log(r'Sending gratuitous ARP on eth0 for 192\.0\.2\.101', since=mark, timeout=1.5)
    a.wait_log(r'Sending gratuitous ARP on eth0 for 192\.0\.2\.100', since=mark, timeout=1.5)


# ---------------------------------------------------------------- two nodes

def two_nodes(net, topo, tmp_path, a_bin=None, b_bin=None):
    """a (200) masters the group, b (100) backs it up; trk on a: VI_2's weight-0 tracker."""
    topo.add_link('a', 'trk')
    every, one, notify = notify_group(tmp_path, 'a')
    trk = 'track_interface {\n        trk\n    }'
    a = net.start('a', config(200, group=notify, vi2_extra=trk), binary=a_bin)
    net.wait_holds('a', timeout=down_interval(200) + 5)
    b = net.start('b', config(100), binary=b_bin)
    net.wait_holds('a')
    return a, b, every


def check_moves_as_one(net, topo, a, b, every):
    # one member's FAULT on a takes the group: b gets both VIPs
    mark = a.mark()
    topo.ip('a', 'link', 'set', 'trk', 'down')
    net.wait_holds('b', timeout=down_interval(100) + 3)
    a.wait_log(r'VRRP_Group\(G1\) Syncing instances to FAULT state', since=mark)
    a.wait_log(r'\(VI_1\) Entering FAULT STATE', since=mark)
    wait_for(lambda: lines(every)[-1:] == ['GROUP G1 FAULT 0'], 3, 'GROUP G1 FAULT 0')
    # recovery: both members back, a (higher) preempts for both
    mark_b = b.mark()
    topo.ip('a', 'link', 'set', 'trk', 'up')
    net.wait_holds('a', timeout=down_interval(200) + 3)
    b.wait_log(r'VRRP_Group\(G1\) Syncing instances to BACKUP state', since=mark_b)
    wait_for(lambda: lines(every)[-2:] == ['GROUP G1 BACKUP 0', 'GROUP G1 MASTER 0'], 3,
             'GROUP G1 BACKUP 0, MASTER 0')
    # a killed (its VIPs stay behind on it): b takes both
    a.kill_tree()
    wait_for(lambda: net.has('b', VIP1) and net.has('b', VIP2), down_interval(100) + 3,
             'both VIPs on b')


def test_moves_as_one(net, topo, tmp_path):
    a, b, every = two_nodes(net, topo, tmp_path)
    assert lines(every) == ['GROUP G1 BACKUP 0', 'GROUP G1 MASTER 0']
    check_moves_as_one(net, topo, a, b, every)


@pytest.mark.interop
@pytest.mark.skipif(not os.access(REF, os.X_OK), reason=f'{REF} not installed')
@pytest.mark.parametrize('ours', ['master', 'backup'])
def test_interop_keepalived(net, topo, tmp_path, binary, ours):
    """Ours and keepalived 2.2.7 as the two routers of one group, both roles."""
    a_bin, b_bin = (binary, REF) if ours == 'master' else (REF, binary)
    a, b, every = two_nodes(net, topo, tmp_path, a_bin, b_bin)
    check_moves_as_one(net, topo, a, b, every)


def test_notify_order_and_stop(net, topo, tmp_path):
    """Instances' notify lines, then the group's; on stop every instance's STOP, then the group's."""
    sh = script(tmp_path, 'notify.sh', 'out=$1; shift; echo "$@" >> "$out"\n')
    out = tmp_path / 'all.txt'
    n = f'notify "{sh} {out}"'
    a = net.start('a', config(100, group=n, vi1_extra=n, vi2_extra=n))
    net.wait_holds('a', timeout=down_interval(100) + 3)
    wait_for(lambda: len(lines(out)) >= 6, 3, 'the BACKUP and MASTER lines')
    assert kalib.stop_all([a]) == [0]
    wait_for(lambda: len(lines(out)) >= 9, 3, 'the STOP lines')
    time.sleep(0.2)     # then nothing more comes
    got = lines(out)
    # scripts run concurrently (keepalived's too): each event's lines compared as a set
    assert sorted(got[:3]) == ['GROUP G1 BACKUP 0', 'INSTANCE VI_1 BACKUP 100',
                               'INSTANCE VI_2 BACKUP 100']
    assert sorted(got[3:6]) == ['GROUP G1 MASTER 0', 'INSTANCE VI_1 MASTER 100',
                                'INSTANCE VI_2 MASTER 100']
    # the three STOP scripts run at once: which writes first is the scheduler's
    assert sorted(got[6:]) == ['GROUP G1 STOP 0', 'INSTANCE VI_1 STOP 100',
                               'INSTANCE VI_2 STOP 100']


def test_reload(net, topo, tmp_path):
    """SIGHUP with the group unchanged: no group notify; a group removed: members on their own."""
    every, one, notify = notify_group(tmp_path, 'a')
    text = config(100, group=notify)
    a = net.start('a', text)
    net.wait_holds('a', timeout=down_interval(100) + 3)
    wait_for(lambda: lines(every) == ['GROUP G1 BACKUP 0', 'GROUP G1 MASTER 0'], 3, 'GROUP')
    mark = a.mark()
    a.signal(signal.SIGHUP)
    a.wait_log(r'Reload complete', since=mark, timeout=5)
    time.sleep(0.5)     # a group notify would have been spawned at once
    assert lines(every) == ['GROUP G1 BACKUP 0', 'GROUP G1 MASTER 0']
    assert net.holds('a')
    # without the group, a fault of VI_2 no longer takes VI_1
    topo.add_link('a', 'trk')
    Path(a.conf).write_text(config(100, members=(),
                                   vi2_extra='track_interface {\n        trk\n    }'))
    mark = a.mark()
    a.signal(signal.SIGHUP)
    a.wait_log(r'Reload complete', since=mark, timeout=5)
    topo.ip('a', 'link', 'set', 'trk', 'down')
    a.wait_log(r'\(VI_2\) Entering FAULT STATE', since=mark)
    holds_for(lambda: net.has('a', VIP1) and not net.has('a', VIP2), 1, 'VI_1 alone master')
    assert not a.search(r'Syncing', since=mark)


# ---------------------------------------------------------------- -t

BAD = '''global_defs {
    script_user root
    enable_script_security
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    priority 100
    track_interface {
        trk weight 5
    }
    virtual_ipaddress {
        10.9.0.1
    }
}
vrrp_instance VI_2 {
    interface eth0
    virtual_router_id 52
    priority 100
    virtual_ipaddress {
        10.9.0.2
    }
}
vrrp_instance VI_3 {
    interface eth0
    virtual_router_id 53
    priority 100
    virtual_ipaddress {
        10.9.0.3
    }
}
vrrp_sync_group G1 {
    group {
        VI_1
        VI_2
        VI_9
    }
}
vrrp_sync_group G2 {
    group {
        VI_2
        VI_3
    }
    notify_master /bin/true
    notify_master /bin/false
    smtp_alert maybe
    global_tracking
}
vrrp_sync_group G3 {
}
vrrp_sync_group G4 {
    group {
    }
}
vrrp_sync_group G5 {
    group {
      VI_3
    }
}
vrrp_sync_group G1 {
    group {
      VI_3
    }
}
vrrp_sync_group {
}
'''

MESSAGES = [
    '(G2) global_tracking is deprecated. Use track_interface/script/file on the sync group',
    'vrrp group G2: notify_master script already specified - ignoring /bin/false',
    'Invalid vrrp_group smtp_alert parameter maybe',
    'Warning - sync group G4 has empty group block',
    'vrrp sync group G1 already defined',
    'vrrp_sync_group must have a name - skipping',
    'Virtual router VI_9 specified in sync group G1 doesn\'t exist - ignoring',
    'Virtual router VI_2 cannot exist in more than one sync group; ignoring G2',
    'Sync group G2 has only 1 virtual router(s) - this probably isn\'t what you want',
    'Sync group G3 has no virtual router(s). removing',
    'Sync group G4 has no virtual router(s). removing',
    'Virtual router VI_3 cannot exist in more than one sync group; ignoring G5',
    'Sync group G5, no matching virtual router found in group declaration - removing',
    '(VI_1) ignoring trk tracked interface weight due to SYNC group',
]


@pytest.mark.parametrize('which', ['ours', 'keepalived'])
def test_config_check_messages(binary, topo, tmp_path, which):
    """-t: keepalived 2.2.7's messages for sync groups, and its verdict (exit 5)."""
    if which == 'keepalived' and not os.access(REF, os.X_OK):
        pytest.skip(f'{REF} not installed')
    topo.add_link('a', 'trk')
    conf = tmp_path / 'bad.conf'
    conf.write_text(BAD)
    r = kalib.run_binary(binary if which == 'ours' else REF, ['-t', '-f', str(conf)],
                         ns=topo.host('a'))
    missing = [m for m in MESSAGES if m not in r.stderr]
    assert not missing, f'not in stderr: {missing}\n--- stderr ---\n{r.stderr}'
    assert r.returncode == 5, r.stderr
