# SPDX-License-Identifier: GPL-2.0-or-later
"""TCP_CHECK and MISC_CHECK end to end: real backends in a namespace, keepalived 2.2.7's log
lines, the scripts' arguments, and the IPVS commands the checker decided.

This kernel has no ip_vs: KEEPALIVED_IPVS_RECORD makes the checker write each IPVS
command as a JSON line instead (checklib.IpvsRecord reads them).
"""
import re
import signal
import time

import pytest

import checklib as cl
import kalib

pytestmark = pytest.mark.ours_only     # the recording backend is ours (2.2.7 needs ip_vs)
topo, rec = cl.topo, cl.rec   # fixtures: a two-host topology, the IPVS record

B = '192.0.2.2'         # host b: the real servers
VIP, VIP2 = '10.0.0.1', '10.0.0.2'


def esc(s):
    return re.escape(s)


def rs_str(addr, port):
    return esc(f'[{addr}]:tcp:{port}')


def vs_str(addr, port):
    return esc(f'[{addr}]:tcp:{port}')


def write_conf(tmp_path, text):
    p = tmp_path / 'keepalived.conf'
    p.write_text(text)
    return p


def listener(topo, tmp_path, port):
    return cl.TcpListener(topo.host('b'), B, port, tmp_path)


def test_tcp_up_down_back(topo, tmp_path, rec, start_daemon):
    """Up at start, refused (retry 1: two failures), back: keepalived's lines and the
    DEL_DEST / NEW_DEST the checker decided."""
    srv = listener(topo, tmp_path, 8080).start()
    conf = write_conf(tmp_path, cl.conf(cl.vs(VIP, 80, cl.rs(B, 8080, cl.tcp_check(retry=1)))))
    d = start_daemon(conf)
    d.wait_log(r'Activating healthchecker for service ' + rs_str(B, 8080) + r' for VS ' +
               vs_str(VIP, 80), timeout=10)
    rec.wait('NEW_SERVICE', svc=f'{VIP}:80')
    rec.wait('NEW_DEST', dest=f'{B}:8080', weight=1)
    d.wait_log(r'TCP connection to ' + rs_str(B, 8080) + r' success\.', timeout=10)
    mark, m = d.mark(), rec.mark()
    srv.stop()
    d.wait_log(r'TCP_CHECK on service ' + rs_str(B, 8080) + r' failed after 1 retries\.',
               timeout=10, since=mark)
    d.wait_log(r'Removing service ' + rs_str(B, 8080) + r' from VS ' + vs_str(VIP, 80),
               since=mark)
    rec.wait('DEL_DEST', since=m, dest=f'{B}:8080')
    mark, m = d.mark(), rec.mark()
    srv.start()
    d.wait_log(r'TCP connection to ' + rs_str(B, 8080) + r' success\.', timeout=10, since=mark)
    d.wait_log(r'Adding service ' + rs_str(B, 8080) + r' to VS ' + vs_str(VIP, 80), since=mark)
    rec.wait('NEW_DEST', since=m, dest=f'{B}:8080', weight=1)


def test_tcp_cold_start_failure_removes_at_once(topo, tmp_path, rec, start_daemon):
    """Spec 1.2: at start retry_it = retry, so the first failure marks the checker down
    with no retries and the plain "failed." line; only later failures get retries."""
    conf = write_conf(tmp_path, cl.conf(cl.vs(VIP, 80, cl.rs(B, 8081, cl.tcp_check(retry=2)))))
    d = start_daemon(conf)
    d.wait_log(r'TCP_CHECK on service ' + rs_str(B, 8081) + r' failed\.$', timeout=10)
    assert not d.search(r'failed after'), 'cold start used the retries'
    rec.wait('DEL_DEST', dest=f'{B}:8081')
    # up, then down again: now retry 2 means three failed attempts, each logged
    srv = listener(topo, tmp_path, 8081).start()
    d.wait_log(r'Adding service ' + rs_str(B, 8081), timeout=10)


def test_tcp_retry_counts_and_log_all_failures(topo, tmp_path, rec, start_daemon):
    """retry N = N+1 failed attempts once up; log_all_failures logs each while up."""
    srv = listener(topo, tmp_path, 8082).start()
    conf = write_conf(tmp_path, cl.conf(cl.vs(VIP, 80, cl.rs(
        B, 8082, cl.tcp_check(retry=2, extra='            log_all_failures\n')))))
    d = start_daemon(conf)
    d.wait_log(r'TCP connection to ' + rs_str(B, 8082) + r' success\.', timeout=10)
    mark = d.mark()
    srv.stop()
    d.wait_log(r'TCP_CHECK on service ' + rs_str(B, 8082) + r' failed after 2 retries\.',
               timeout=15, since=mark)
    text = d.text(mark)
    down_at = text.index('failed after 2 retries')
    fails = re.findall(r'TCP connection to ' + rs_str(B, 8082) + r' failed\.', text[:down_at])
    assert len(fails) == 3, f'{len(fails)} failed attempts before down, expected 3:\n{text}'


def test_tcp_timeout_line(topo, tmp_path, rec, start_daemon):
    """A backend that never answers: `TCP connection to X timeout.` (global
    checker_log_all_failures, logged while the checker is up), then down."""
    hole = cl.blackhole(topo)
    conf = write_conf(tmp_path, cl.conf(
        cl.vs(VIP, 80, cl.rs(hole, 80, cl.tcp_check(retry=1))),
        global_defs='    checker_log_all_failures\n'))
    d = start_daemon(conf)
    d.wait_log(r'TCP connection to ' + rs_str(hole, 80) + r' timeout\.', timeout=10)
    d.wait_log(r'TCP_CHECK on service ' + rs_str(hole, 80) + r' failed\.$', timeout=10)
    rec.wait('DEL_DEST', dest=f'{hole}:80')


def test_tcp_alpha(topo, tmp_path, rec, start_daemon):
    """alpha: not in the pool until a check succeeds."""
    srv = listener(topo, tmp_path, 8087)
    conf = write_conf(tmp_path, cl.conf(cl.vs(VIP, 80, cl.rs(
        B, 8087, cl.tcp_check(retry=0, extra='            alpha\n')))))
    d = start_daemon(conf)
    d.wait_log(r'TCP_CHECK on service ' + rs_str(B, 8087) + r' failed\.', timeout=10)
    assert not rec.find('NEW_DEST', dest=f'{B}:8087'), 'alpha RS added before a success'
    srv.start()
    d.wait_log(r'Adding service ' + rs_str(B, 8087), timeout=10)
    rec.wait('NEW_DEST', dest=f'{B}:8087')


def test_tcp_inhibit(topo, tmp_path, rec, start_daemon):
    """inhibit_on_failure: weight 0 with SET_DEST instead of DEL_DEST."""
    srv = listener(topo, tmp_path, 8083).start()
    conf = write_conf(tmp_path, cl.conf(cl.vs(VIP, 80, cl.rs(
        B, 8083, cl.tcp_check(retry=0), extra='        inhibit_on_failure\n        weight 3\n'))))
    d = start_daemon(conf)
    d.wait_log(r'TCP connection to ' + rs_str(B, 8083) + r' success\.', timeout=10)
    m, mark = rec.mark(), d.mark()
    srv.stop()
    d.wait_log(r'Disabling service ' + rs_str(B, 8083) + r' of VS ' + vs_str(VIP, 80),
               timeout=10, since=mark)
    rec.wait('SET_DEST', since=m, dest=f'{B}:8083', weight=0)
    assert not rec.find('DEL_DEST', since=m), 'inhibited RS deleted'
    m, mark = rec.mark(), d.mark()
    srv.start()
    d.wait_log(r'Enabling service ' + rs_str(B, 8083) + r' of VS ' + vs_str(VIP, 80),
               timeout=10, since=mark)
    rec.wait('SET_DEST', since=m, dest=f'{B}:8083', weight=3)


def test_tcp_dedup_two_vs(topo, tmp_path, rec, start_daemon):
    """Two VSs list the same backend with the same TCP_CHECK: one connection per
    delay_loop at the backend, and both VSs follow its state."""
    srv = listener(topo, tmp_path, 8084).start()
    ck = cl.tcp_check(retry=0, delay_loop=1)
    conf = write_conf(tmp_path, cl.conf(cl.vs(VIP, 80, cl.rs(B, 8084, ck)),
                                        cl.vs(VIP2, 80, cl.rs(B, 8084, ck))))
    d = start_daemon(conf)
    for v in (VIP, VIP2):
        d.wait_log(r'Activating healthchecker for service ' + rs_str(B, 8084) + r' for VS ' +
                   vs_str(v, 80), timeout=10)
    kalib.wait_for(lambda: srv.connections() >= 1, 10, 'first probe')
    n0 = srv.connections()
    kalib.wait_for(lambda: srv.connections() >= n0 + 4, 10, 'four more probes')
    t0 = time.monotonic()
    n1 = srv.connections()
    time.sleep(3)
    rate = (srv.connections() - n1) / (time.monotonic() - t0)
    assert rate < 1.5, f'{rate:.2f} connections/s at the backend: probed once per VS?'
    m, mark = rec.mark(), d.mark()
    srv.stop()
    for v in (VIP, VIP2):
        d.wait_log(r'Removing service ' + rs_str(B, 8084) + r' from VS ' + vs_str(v, 80),
                   timeout=10, since=mark)
        rec.wait('DEL_DEST', since=m, dest=f'{B}:8084', svc=f'{v}:80')
    # the probe's own line once per VS, like keepalived's per-VS checkers
    assert cl.count_lines(d, r'TCP_CHECK on service ' + rs_str(B, 8084) + r' failed',
                          mark) == 2


def test_notify_and_quorum_scripts(topo, tmp_path, rec, start_daemon):
    """notify_up/down and quorum_up/down get exactly the configured argv."""
    srv1 = listener(topo, tmp_path, 8085).start()
    srv2 = listener(topo, tmp_path, 8086).start()
    note = cl.MiscScript(tmp_path, 'note.sh')
    extra_rs = (f'        notify_up "{note.path} rs-up one"\n'
                f'        notify_down "{note.path} rs-down \'two words\'"\n')
    extra_vs = (f'    quorum 2\n    quorum_up "{note.path} q-up"\n'
                f'    quorum_down "{note.path} q-down x"\n')
    conf = write_conf(tmp_path, cl.conf(cl.vs(
        VIP, 80, cl.rs(B, 8085, cl.tcp_check(retry=0), extra=extra_rs),
        cl.rs(B, 8086, cl.tcp_check(retry=0)), extra=extra_vs)))
    d = start_daemon(conf)
    # both RSs in the pool at start: quorum 2 reached, quorum_up runs (spec 1.6)
    note.wait_calls(1)
    assert note.calls()[0] == ['q-up']
    d.wait_log(r'TCP connection to ' + rs_str(B, 8085) + r' success\.', timeout=10)
    srv1.stop()
    calls = note.wait_calls(3)
    # both scripts start in the same instant: either may write first
    assert sorted(calls[1:3]) == [['q-down', 'x'], ['rs-down', 'two words']], calls
    d.wait_log(r'Lost quorum 2-0=2 > 1 for VS ' + vs_str(VIP, 80))
    srv1.start()
    calls = note.wait_calls(5)
    assert sorted(calls[3:5]) == [['q-up'], ['rs-up', 'one']], calls
    d.wait_log(r'Gained quorum 2\+0=2 <= 2 for VS ' + vs_str(VIP, 80))
    del srv2


def test_misc_exit_codes(topo, tmp_path, rec, start_daemon):
    """exit 0 up, exit 1 down (MISC's retry 0: "with retry disabled"), back."""
    script = cl.MiscScript(tmp_path)
    conf = write_conf(tmp_path, cl.conf(cl.vs(VIP, 80, cl.rs(
        B, 8090, cl.misc_check(f'{script.path} arg1 arg2')))))
    d = start_daemon(conf)
    rsx, vsx = rs_str(B, 8090), vs_str(VIP, 80)
    d.wait_log(r'Misc check for \[' + rsx + ' VS ' + vsx + r'\] by \[' + esc(str(script.path)) +
               r'\] succeeded\.', timeout=10)
    assert script.calls()[0] == ['arg1', 'arg2']
    m, mark = rec.mark(), d.mark()
    script.set_exit(1)
    d.wait_log(r'Misc check for \[' + rsx + ' VS ' + vsx + r'\] by \[' + esc(str(script.path)) +
               r'\] failed with retry disabled \(exited with status 1\)\.', timeout=10,
               since=mark)
    rec.wait('DEL_DEST', since=m, dest=f'{B}:8090')
    m, mark = rec.mark(), d.mark()
    script.set_exit(0)
    d.wait_log(r'\] succeeded\.', timeout=10, since=mark)
    rec.wait('NEW_DEST', since=m, dest=f'{B}:8090')


def test_misc_dynamic_weights_and_timeout(topo, tmp_path, rec, start_daemon):
    """misc_dynamic: exit 12 -> weight 10, exit 0 -> the configured weight; a timeout is a
    failure ("timed out"), and the weight it had is not kept (keepalived issue #2720)."""
    script = cl.MiscScript(tmp_path)
    script.set_exit(12)
    conf = write_conf(tmp_path, cl.conf(cl.vs(VIP, 80, cl.rs(
        B, 8091, cl.misc_check(str(script.path),
                               extra='            misc_dynamic\n            misc_timeout 1\n'),
        extra='        weight 2\n'))))
    d = start_daemon(conf)
    rsx = rs_str(B, 8091)
    d.wait_log(r'Changing weight from 2 to 10 for active service ' + rsx, timeout=10)
    rec.wait('SET_DEST', dest=f'{B}:8091', weight=10)
    m, mark = rec.mark(), d.mark()
    script.set_sleep(5)
    d.wait_log(r'Misc check for \[' + rsx + r' VS .*\] timed out with retry disabled\.',
               timeout=15, since=mark)
    rec.wait('DEL_DEST', since=m, dest=f'{B}:8091')
    m, mark = rec.mark(), d.mark()
    script.set_sleep(0)
    script.set_exit(0)
    d.wait_log(r'\] succeeded\.', timeout=15, since=mark)
    op = rec.wait('NEW_DEST', since=m, dest=f'{B}:8091')
    assert op['dest']['weight'] == 2, f'weight after the timeout: {op}'


def test_misc_script_not_found(topo, tmp_path, rec, start_daemon):
    """The checker is dropped: the RS is judged by its other checkers (none: stays in)."""
    missing = tmp_path / 'nonexistent.sh'
    conf = write_conf(tmp_path, cl.conf(cl.vs(VIP, 80, cl.rs(
        B, 8092, cl.misc_check(str(missing))))))
    d = start_daemon(conf)
    d.wait_log(r'Disabling misc script ' + esc(str(missing)) + r' since not found/accessible',
               timeout=10)
    rec.wait('NEW_DEST', dest=f'{B}:8092')
    kalib.holds_for(lambda: not rec.find('DEL_DEST'), 3, 'RS kept')
    assert not d.search(r'Activating healthchecker for service ' + rs_str(B, 8092))


def test_reload_keeps_unchanged_rs(topo, tmp_path, rec, start_daemon):
    """SIGHUP: an unchanged RS gets no IPVS command and keeps its checker's state (a down
    RS stays out until a check succeeds); a new RS is added."""
    srv = listener(topo, tmp_path, 8093).start()
    rs_up = cl.rs(B, 8093, cl.tcp_check(retry=0))
    rs_down = cl.rs(B, 8094, cl.tcp_check(retry=0))
    conf = write_conf(tmp_path, cl.conf(cl.vs(VIP, 80, rs_up, rs_down)))
    d = start_daemon(conf)
    d.wait_log(r'Removing service ' + rs_str(B, 8094), timeout=10)
    d.wait_log(r'TCP connection to ' + rs_str(B, 8093) + r' success\.', timeout=10)
    listener(topo, tmp_path, 8095).start()
    write_conf(tmp_path, cl.conf(cl.vs(VIP, 80, rs_up, rs_down,
                                       cl.rs(B, 8095, cl.tcp_check(retry=0)))))
    m, mark = rec.mark(), d.mark()
    d.signal(signal.SIGHUP)
    d.wait_log(r'Reloading', since=mark)
    rec.wait('NEW_DEST', since=m, dest=f'{B}:8095')
    d.wait_log(r'Activating healthchecker for service ' + rs_str(B, 8093), since=mark)
    time.sleep(3)   # several check intervals after the reload
    ops = rec.ops(m)
    touched = [o for o in ops if (o.get('dest') or {}).get('port') in (8093, 8094)]
    assert not touched, f'unchanged RSs touched by the reload: {touched}'
    # the recorder answers as the kernel would: it still holds the service after a reload
    assert not [o for o in rec.ops() if 'err' in o], rec.ops()
    assert not d.search(r'Adding service ' + rs_str(B, 8094), since=mark)
    assert not d.search(r'TCP connection to ' + rs_str(B, 8093) + r' success', since=mark), \
        'the up checker lost its state (first-run success line again)'
    del srv


def test_sigusr1_dump(topo, tmp_path, rec, start_daemon):
    """SIGUSR1: every VS and RS with alive/weight/quorum and every checker's state."""
    srv = listener(topo, tmp_path, 8096).start()
    data = tmp_path / 'ka.data'
    conf = write_conf(tmp_path, cl.conf(
        cl.vs(VIP, 80, cl.rs(B, 8096, cl.tcp_check(retry=0)),
              cl.rs(B, 8097, cl.tcp_check(retry=3))),
        global_defs=f'    state_dump_file {data}\n'))
    d = start_daemon(conf)
    d.wait_log(r'TCP_CHECK on service ' + rs_str(B, 8097) + r' failed\.', timeout=10)
    d.wait_log(r'TCP connection to ' + rs_str(B, 8096) + r' success\.', timeout=10)
    check_data = tmp_path / 'ka_check.data'
    mark = d.mark()
    cl.signal_check_child(d, signal.SIGUSR1)
    d.wait_log(r'Printing checker data for process\(\d+\) on signal', since=mark)
    kalib.wait_for(lambda: any(p.name.endswith('.data') and 'check' in p.name
                               for p in tmp_path.iterdir()), 5, 'the checker dump')
    dump = next(p for p in tmp_path.iterdir() if p.name.endswith('.data') and 'check' in p.name)
    text = dump.read_text()

    def block(head):        # the lines of one real server's (or checker's) block
        m = re.search(head + r'\n((?:   (?!---).*\n)*)', text)
        assert m, f'{head!r} not in:\n{text}'
        return m[1]
    # keepalived 2.2.7's layout (LVS Topology, Health checkers: test_dumps, tests/ipvs/dumps.py)
    assert ' VS VIP = 10.0.0.1, VPORT = 80\n' in text, text
    assert re.search(r'   quorum_state_up = 1\n', text), text
    up = block(r'RIP = 192\.0\.2\.2, RPORT = 8096, WEIGHT = 1 EFF WEIGHT = 1')
    assert '   alive = 1\n' in up and '   RS set = 1\n' in up, up
    down = block(r'RIP = 192\.0\.2\.2, RPORT = 8097, WEIGHT = \d+ EFF WEIGHT = \d+')
    assert '   alive = 0\n' in down and '   num failed checkers = 1\n' in down, down
    assert '   RS set = 0\n' in down, down
    ck = block(r' \[10\.0\.0\.1\]:tcp:80 -> \[192\.0\.2\.2\]:tcp:8097')
    assert '   Up = no\n' in ck and '   Has run = yes\n' in ck and '   Retries = 3\n' in ck, ck
    assert re.search(r'   Retries iterations = [0-3]\n', ck), ck
    assert 'Keepalive method = TCP_CHECK' in ck, ck
    del srv, check_data


@pytest.mark.parametrize('dont_release', [False, True], ids=['stop', 'stop-I'])
def test_global_lvs_settings_and_stop(topo, tmp_path, rec, start_daemon, dont_release):
    """lvs_flush (cold start), lvs_timeouts, lvs_sync_daemon without an instance; at stop
    the table is released (sorry: none; each RS, then the service), the timeouts put back
    and both sync daemons stopped. -I leaves the table as it is."""
    srv = listener(topo, tmp_path, 8098).start()
    conf = write_conf(tmp_path, cl.conf(
        cl.vs(VIP, 80, cl.rs(B, 8098, cl.tcp_check(retry=0))),
        global_defs='    lvs_flush\n    lvs_timeouts tcp 100 udp 50\n'
                    '    lvs_sync_daemon eth0 id 5\n'))
    d = start_daemon(conf, args=('-I',) if dont_release else ())
    rec.wait('NEW_DEST', dest=f'{B}:8098')
    ops = [o['cmd'] for o in rec.ops()]
    assert ops.index('FLUSH') < ops.index('NEW_SERVICE'), ops
    assert ops.index('SET_CONFIG') < ops.index('FLUSH'), ops
    daemons = [o for o in rec.ops() if o['cmd'] == 'NEW_DAEMON']
    assert sorted(o['daemon']['state'] for o in daemons) == [1, 2], daemons
    assert all(o['daemon']['syncid'] == 5 and o['daemon']['mcast_ifn'] == 'eth0'
               for o in daemons), daemons
    sets = [o for o in rec.ops() if o['cmd'] == 'SET_CONFIG']
    assert sets[0]['timeouts']['tcp_s'] == 100 and sets[0]['timeouts']['udp_s'] == 50, sets
    d.wait_log(r'TCP connection to ' + rs_str(B, 8098) + r' success\.', timeout=10)
    m, mark = rec.mark(), d.mark()
    assert d.stop(timeout=10) == 0
    after = [o['cmd'] for o in rec.ops(m)]
    if dont_release:
        assert 'DEL_DEST' not in after and 'DEL_SERVICE' not in after, after
        assert not d.search(r'Shutting down service', since=mark)
    else:
        d.wait_log(r'Shutting down service ' + rs_str(B, 8098) + r' from VS ' +
                   vs_str(VIP, 80), since=mark)
        assert after.index('DEL_DEST') < after.index('DEL_SERVICE'), after
    assert after.count('DEL_DAEMON') >= 2, after
    restore = [o for o in rec.ops(m) if o['cmd'] == 'SET_CONFIG']
    assert restore and restore[-1]['timeouts']['tcp_s'] != 100, restore
    del srv


@pytest.mark.parametrize('group', [False, True], ids=['vs', 'group'])
def test_ha_suspend(topo, tmp_path, rec, start_daemon, group):
    """ha_suspend: the checkers run only while the VS address is local. With a
    virtual_server_group 2.2.7 never activates them (a [BUG]); we match its entries."""
    srv = listener(topo, tmp_path, 8099).start()
    rs_block = cl.rs(B, 8099, cl.tcp_check(retry=0))
    if group:
        block = ('virtual_server_group G1 {\n    10.0.0.5 80\n}\n'
                 'virtual_server group G1 {\n    lb_algo rr\n    lb_kind NAT\n'
                 f'    protocol TCP\n    ha_suspend\n{rs_block}}}\n')
        vsx = r'\[G1\]:\d+'
    else:
        block = cl.vs('10.0.0.5', 80, rs_block, extra='    ha_suspend\n')
        vsx = vs_str('10.0.0.5', 80)
    conf = write_conf(tmp_path, cl.conf(block))
    d = start_daemon(conf)
    d.wait_log(r'Deactivating healthchecker for service ' + rs_str(B, 8099) + r' for VS ' + vsx,
               timeout=10)
    kalib.holds_for(lambda: srv.connections() == 0, 2.5, 'no probe while suspended')
    mark = d.mark()
    topo.ip('a', 'addr', 'add', '10.0.0.5/32', 'dev', 'eth0')
    d.wait_log(r'Activating healthchecker for service ' + rs_str(B, 8099) + r' for VS ' + vsx,
               timeout=10, since=mark)
    kalib.wait_for(lambda: srv.connections() >= 1, 10, 'a probe once active')
    mark = d.mark()
    topo.ip('a', 'addr', 'del', '10.0.0.5/32', 'dev', 'eth0')
    d.wait_log(r'Suspending healthchecker for service ' + rs_str(B, 8099) + r' for VS ' + vsx,
               timeout=10, since=mark)


def test_omega_stop_scripts(topo, tmp_path, rec, start_daemon):
    """omega: at stop notify_down and quorum_down run (with 1 s each), with exactly the
    configured arguments, before the checker child exits; without omega none runs."""
    srv = listener(topo, tmp_path, 8100).start()
    note = cl.MiscScript(tmp_path, 'note.sh')
    rs_block = cl.rs(B, 8100, cl.tcp_check(retry=0),
                     extra=f'        notify_down "{note.path} rs-down"\n')
    conf = write_conf(tmp_path, cl.conf(
        cl.vs(VIP, 80, rs_block, extra=f'    omega\n    quorum_down "{note.path} q-down"\n'),
        cl.vs(VIP2, 80, cl.rs(B, 8100, cl.tcp_check(retry=0),
                              extra=f'        notify_down "{note.path} no-omega"\n'))))
    d = start_daemon(conf)
    d.wait_log(r'TCP connection to ' + rs_str(B, 8100) + r' success\.', timeout=10)
    assert note.calls() == []
    assert d.stop(timeout=10) == 0
    assert sorted(note.calls()) == [['q-down'], ['rs-down']], note.calls()
    del srv


def test_reload_terms_running_scripts(topo, tmp_path, rec, start_daemon):
    """A reload sends SIGTERM to the notify scripts still running, as 2.2.7 does to all
    its scripts before it re-reads the configuration."""
    got = tmp_path / 'term.out'
    script = tmp_path / 'slow.sh'
    script.write_text('#!/bin/sh\n'
                      f'trap \'echo TERM >> {got}; exit 0\' TERM\n'
                      f'echo started >> {got}\n'
                      'sleep 30 & wait $!\n')
    script.chmod(0o755)
    conf = write_conf(tmp_path, cl.conf(cl.vs(VIP, 80, cl.rs(
        B, 8101, cl.tcp_check(retry=0), extra=f'        notify_down "{script}"\n'))))
    d = start_daemon(conf)
    kalib.wait_for(lambda: got.exists() and 'started' in got.read_text(), 10, 'notify_down')
    d.signal(signal.SIGHUP)
    kalib.wait_for(lambda: 'TERM' in got.read_text(), 5, 'SIGTERM to the script')
