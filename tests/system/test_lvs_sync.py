# SPDX-License-Identifier: GPL-2.0-or-later
"""lvs_sync_daemon tied to a VRRP instance: the VRRP child drives the IPVS sync daemons.

keepalived 2.2.7 (vrrp.c, vrrp_scheduler.c, vrrp_daemon.c): an instance's start starts
the BACKUP sync daemon; entering MASTER stops BACKUP and starts MASTER; leaving MASTER
(BACKUP, FAULT) stops MASTER and starts BACKUP; the child's stop stops the one running.
The syncid is `id N`, else the instance's VRID.

This host has no ip_vs: each daemon writes its IPVS commands to its own recording file
(KEEPALIVED_IPVS_RECORD), one JSON line each, and the tests read the NEW_DAEMON /
DEL_DAEMON sequence from it. tests/ipvs/syncd.sh checks the same in the IPVS VM with
`ipvsadm -Ln --daemon`.
"""
import json
import os
import re
import signal

import pytest

import kalib
from kalib import wait_for

pytestmark = pytest.mark.ours_only     # KEEPALIVED_IPVS_RECORD is ours (2.2.7 needs ip_vs)

MASTER, BACKUP = 1, 2
VIP = '192.0.2.100'


@pytest.fixture
def topo():
    t = kalib.Topology(('a', 'b'))
    yield t
    t.destroy()


def config(prio, syncd, vrid=51, name='VI_1'):
    return f'''global_defs {{
    router_id kt_syncd
    lvs_sync_daemon {syncd}
}}
vrrp_instance {name} {{
    state BACKUP
    interface eth0
    virtual_router_id {vrid}
    priority {prio}
    advert_int 0.1
    version 3
    virtual_ipaddress {{
        {VIP}/24
    }}
}}
'''


def start(start_daemon, monkeypatch, tmp_path, host, prio, syncd, record=True, **kw):
    """A daemon on host with its own recording file (returns daemon, file path)."""
    conf = tmp_path / f'{host}.conf'
    conf.write_text(config(prio, syncd, **kw))
    rec = tmp_path / f'{host}.ipvs.jsonl'
    if record:
        monkeypatch.setenv('KEEPALIVED_IPVS_RECORD', str(rec))
    else:
        monkeypatch.delenv('KEEPALIVED_IPVS_RECORD', raising=False)
    d = start_daemon(conf, name=host, host=host)
    return d, rec


def syncd_cmds(rec):
    """The NEW_DAEMON / DEL_DAEMON commands recorded: (cmd, state, syncid, the rest)."""
    if not rec.exists():
        return []
    out = []
    for line in rec.read_text().splitlines():
        j = json.loads(line)
        if j['cmd'] not in ('NEW_DAEMON', 'DEL_DAEMON'):
            continue
        d = j['daemon']
        rest = {} if j['cmd'] == 'DEL_DAEMON' else \
            {k: d[k] for k in ('mcast_ifn', 'sync_maxlen', 'mcast_port', 'mcast_ttl',
                               'mcast_group')}
        out.append((j['cmd'], d['state'], d['syncid'], rest, j.get('err')))
    return out


def wait_cmds(rec, n, what):
    wait_for(lambda: len(syncd_cmds(rec)) >= n, 10, f'{n} sync daemon commands ({what})')
    return syncd_cmds(rec)


def entering(state):
    return rf'\(VI_1\) Entering {state} STATE'


def test_election_failover_stop(topo, tmp_path, monkeypatch, start_daemon):
    """Both daemons follow their instance through election, failover, preemption, stop."""
    a_set = dict(mcast_ifn='eth0', sync_maxlen=0, mcast_port=9000, mcast_ttl=3,
                 mcast_group='239.1.2.3')
    b_set = dict(mcast_ifn='eth0', sync_maxlen=1400, mcast_port=0, mcast_ttl=0,
                 mcast_group='')
    a, ra = start(start_daemon, monkeypatch, tmp_path, 'a', 200,
                  'eth0 inst VI_1 port 9000 ttl 3 group 239.1.2.3')
    a.wait_log(entering('MASTER'), timeout=10)
    # start: BACKUP; then MASTER instead (syncid: the VRID)
    assert wait_cmds(ra, 3, 'a elected') == [
        ('NEW_DAEMON', BACKUP, 51, a_set, None),
        ('DEL_DAEMON', BACKUP, 51, {}, None),
        ('NEW_DAEMON', MASTER, 51, a_set, None),
    ]
    # the old form: instance name after the interface, then `id`
    b, rb = start(start_daemon, monkeypatch, tmp_path, 'b', 100, 'eth0 VI_1 id 7 maxlen 1400')
    b.wait_log(entering(r'BACKUP') + r' \(init\)', timeout=10)
    assert wait_cmds(rb, 1, 'b backup') == [('NEW_DAEMON', BACKUP, 7, b_set, None)]

    # a stops: its MASTER daemon goes; b takes over
    mark = b.mark()
    assert a.stop() == 0
    b.wait_log(entering('MASTER'), since=mark, timeout=10)
    assert syncd_cmds(ra)[3:] == [('DEL_DAEMON', MASTER, 51, {}, None)]
    assert wait_cmds(rb, 3, 'b master')[1:] == [
        ('DEL_DAEMON', BACKUP, 7, {}, None),
        ('NEW_DAEMON', MASTER, 7, b_set, None),
    ]

    # a is back and preempts: b leaves MASTER (MASTER stopped, BACKUP started)
    mark = b.mark()
    ra.unlink()
    a, ra = start(start_daemon, monkeypatch, tmp_path, 'a', 200,
                  'eth0 inst VI_1 port 9000 ttl 3 group 239.1.2.3')
    b.wait_log(entering('BACKUP'), since=mark, timeout=10)
    assert wait_cmds(rb, 5, 'b backup again')[3:] == [
        ('DEL_DAEMON', MASTER, 7, {}, None),
        ('NEW_DAEMON', BACKUP, 7, b_set, None),
    ]
    a.wait_log(entering('MASTER'), timeout=10)
    assert wait_cmds(ra, 3, 'a master again')[2] == ('NEW_DAEMON', MASTER, 51, a_set, None)

    # b stops as BACKUP: the BACKUP daemon goes, nothing else
    assert b.stop() == 0
    assert syncd_cmds(rb)[5:] == [('DEL_DAEMON', BACKUP, 7, {}, None)]
    # the checker child does not act on a named instance, nor says it does not
    for d in (a, b):
        assert not d.search(r'not acted on yet')


def test_fault_moves_master_to_backup(topo, tmp_path, monkeypatch, start_daemon):
    """A master going to FAULT (its interface down) runs BACKUP; FAULT -> MASTER again."""
    a, ra = start(start_daemon, monkeypatch, tmp_path, 'a', 200, 'eth0 VI_1')
    a.wait_log(entering('MASTER'), timeout=10)
    wait_cmds(ra, 3, 'a master')
    mark = a.mark()
    topo.ip('a', 'link', 'set', 'eth0', 'down')
    a.wait_log(entering('FAULT'), since=mark, timeout=10)
    assert wait_cmds(ra, 5, 'fault')[3:] == [
        ('DEL_DAEMON', MASTER, 51, {}, None),
        ('NEW_DAEMON', BACKUP, 51, dict(mcast_ifn='eth0', sync_maxlen=0, mcast_port=0,
                                        mcast_ttl=0, mcast_group=''), None),
    ]
    mark = a.mark()
    topo.ip('a', 'link', 'set', 'eth0', 'up')
    a.wait_log(entering('MASTER'), since=mark, timeout=10)
    assert [c[:3] for c in wait_cmds(ra, 7, 'master again')[5:]] == [
        ('DEL_DAEMON', BACKUP, 51), ('NEW_DAEMON', MASTER, 51)]


def test_reload(topo, tmp_path, monkeypatch, start_daemon):
    """Unchanged settings: the daemon runs on. Changed: stopped and started anew.
    Removed: stopped."""
    a, ra = start(start_daemon, monkeypatch, tmp_path, 'a', 200, 'eth0 VI_1')
    a.wait_log(entering('MASTER'), timeout=10)
    wait_cmds(ra, 3, 'a master')
    conf = tmp_path / 'a.conf'

    def reload(syncd):
        conf.write_text(config(200, syncd) if syncd else
                        config(200, 'x').replace('    lvs_sync_daemon x\n', ''))
        mark = a.mark()
        a.signal(signal.SIGHUP)
        a.wait_log(r'VRRP reload: ', since=mark, timeout=10)

    reload('eth0 VI_1')
    kalib.holds_for(lambda: len(syncd_cmds(ra)) == 3, 0.5, 'no new command')
    reload('eth0 VI_1 id 9 port 9001')
    assert wait_cmds(ra, 5, 'changed')[3:] == [
        ('DEL_DAEMON', MASTER, 51, {}, None),
        ('NEW_DAEMON', MASTER, 9, dict(mcast_ifn='eth0', sync_maxlen=0, mcast_port=9001,
                                       mcast_ttl=0, mcast_group=''), None),
    ]
    reload(None)
    assert wait_cmds(ra, 6, 'removed')[5:] == [('DEL_DAEMON', MASTER, 9, {}, None)]
    assert not a.search(entering('BACKUP') + r'$'), 'the instance left MASTER'


def test_unknown_instance(topo, tmp_path, monkeypatch, start_daemon):
    """keepalived 2.2.7's line, then no sync daemon at all (neither child runs one)."""
    a, ra = start(start_daemon, monkeypatch, tmp_path, 'a', 200, 'eth0 VI_X')
    a.wait_log(entering('MASTER'), timeout=10)
    a.wait_log(r'Unable to find vrrp instance VI_X for lvs_syncd - clearing lvs_syncd config')
    kalib.holds_for(lambda: syncd_cmds(ra) == [], 0.5, 'no sync daemon command')


def test_no_ipvs_vrrp_runs_on(topo, tmp_path, monkeypatch, start_daemon):
    """No ip_vs and no recording file: 2.2.7's VRRP child exits FATAL; ours says so once
    and the instance runs on (a reload does not repeat it)."""
    if os.path.exists('/proc/net/ip_vs'):
        pytest.skip('this kernel has ip_vs')
    a, _ = start(start_daemon, monkeypatch, tmp_path, 'a', 200, 'eth0 VI_1', record=False)
    a.wait_log(entering('MASTER'), timeout=10)
    a.wait_log(r"IPVS: Can't initialize ipvs: ")
    a.wait_log(r'lvs_sync_daemon for VRRP instance VI_1 is not started: IPVS is not available')
    wait_for(lambda: topo.has_addr('a', VIP), 5, 'the VIP on a')
    mark = a.mark()
    a.signal(signal.SIGHUP)
    a.wait_log(r'VRRP reload: ', since=mark, timeout=10)
    a.signal(signal.SIGHUP)
    a.wait_log(r'VRRP reload: .*\n(.*\n)*.*VRRP reload: ', since=mark, timeout=10)
    assert len(re.findall(r"IPVS: Can't initialize ipvs", a.text())) == 1
    assert len(re.findall(r'IPVS is not available', a.text())) == 1
    assert a.running() and topo.has_addr('a', VIP), 'VRRP stopped or lost its VIP'
    assert not a.search(r'exited with permanent error|Terminating')
