# SPDX-License-Identifier: GPL-2.0-or-later
"""`keepalived --status [--json]`: the running daemon's state from its control socket, as a
user reads it after an election, a failover and a checker failure; a stopped child reported
as not answering; root only; the JSON against doc/keepalived-status.schema.json.

Each daemon gets its own socket (--control-socket) in the test's directory. keepalived 2.2.7
has no control socket: these tests are ours only.
"""
import json
import os
import re
import shutil
import signal
import socket
import stat
import subprocess
import tempfile
import time
from pathlib import Path

import jsonschema
import pytest

import checklib as cl
import kalib

pytestmark = pytest.mark.ours_only     # keepalived 2.2.7 has no --status
topo = cl.topo                         # hosts a and b
rec = cl.rec                           # KEEPALIVED_IPVS_RECORD: the checker runs without ip_vs

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / 'doc' /
                     'keepalived-status.schema.json').read_text())
VIP = '192.0.2.100'
A, B = '192.0.2.1', '192.0.2.2'


def vrrp(prio, vrid=51, name='VI_1', vip=VIP, state='BACKUP'):
    return f'''vrrp_instance {name} {{
    state {state}
    interface eth0
    virtual_router_id {vrid}
    priority {prio}
    advert_int 1
    virtual_ipaddress {{
        {vip}/24
    }}
}}
'''


def start(start_daemon, tmp_path, text, name='ka', host='a', args=(), sock=None):
    conf = tmp_path / f'{name}.conf'
    conf.write_text(text)
    sock = sock or tmp_path / f'{name}.ctl'
    d = start_daemon(conf, args=[f'--control-socket={sock}', *args], name=name, host=host)
    d.sock = sock
    return d


def status(binary, d, *args, user=None):
    """Runs the client; returns (exit code, stdout, stderr, seconds it took)."""
    cmd = [binary, '--status', *args, f'--control-socket={d.sock}']
    if user:
        cmd = ['setpriv', f'--reuid={user}', f'--regid={user}', '--clear-groups', *cmd]
    t0 = time.monotonic()
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
    return p.returncode, p.stdout, p.stderr, time.monotonic() - t0


def status_json(binary, d):
    rc, out, err, _ = status(binary, d, '--json')
    assert rc == 0, err
    doc = json.loads(out)
    jsonschema.validate(doc, SCHEMA)
    return doc


def row(text, name):
    """The table's row of instance name, split in columns (master may be "ADDR (this host)")."""
    m = re.search(rf'^{re.escape(name)}\s+(\S+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\S+)\s+'
                  r'(\S+(?: \(this host\))?)\s+(\S+)\s+(\S+)\s+(\S+)$', text, re.M)
    assert m, f'no row for {name} in:\n{text}'
    keys = ('state', 'prio', 'eff', 'vrid', 'iface', 'master', 'in_state', 'failover', 'vips')
    return dict(zip(keys, m.groups()))


def inst(doc, name):
    return next(i for i in doc['vrrp']['instances'] if i['name'] == name)


def test_status_after_election_and_failover(topo, tmp_path, start_daemon, binary):
    a = start(start_daemon, tmp_path, vrrp(150), 'a', 'a')
    b = start(start_daemon, tmp_path, vrrp(100), 'b', 'b')
    a.wait_log(r'\(VI_1\) Entering MASTER STATE', timeout=10)
    b.wait_log(r'\(VI_1\) Entering BACKUP STATE', timeout=10)
    # b has heard a's adverts once a is master
    kalib.wait_for(lambda: inst(status_json(binary, b), 'VI_1')['master'], 5, 'b hears a')

    rc, out, err, _ = status(binary, a)
    assert rc == 0, err
    assert re.search(r'^Keepalived v2\.2\.7 .*, pid %d, up \d+:\d\d:\d\d$' % a.pid, out, re.M)
    assert re.search(r'^VRRP child process\(%d\): running$' % a.vrrp_pid(), out, re.M)
    r = row(out, 'VI_1')
    assert (r['state'], r['prio'], r['eff'], r['vrid'], r['iface']) == \
        ('MASTER', '150', '150', '51', 'eth0')
    assert r['master'] == f'{A} (this host)'
    assert r['vips'] == f'{VIP}/24'
    assert r['failover'] == '-'
    assert re.fullmatch(r'0:00:\d\d', r['in_state'])

    rc, out, err, _ = status(binary, b)
    assert rc == 0, err
    r = row(out, 'VI_1')
    assert (r['state'], r['prio'], r['master']) == ('BACKUP', '100', A)

    doc = status_json(binary, a)
    assert doc['complete'] and doc['pid'] == a.pid and doc['check'] is None
    assert doc['children'] == [{'name': 'vrrp', 'pid': a.vrrp_pid(), 'answered': True,
                                'truncated': False}]
    i = inst(doc, 'VI_1')
    assert (i['state'], i['priority'], i['effective_priority'], i['vrid']) == \
        ('MASTER', 150, 150, 51)
    assert i['master'] == {'address': A, 'self': True}
    assert i['vips'] == [f'{VIP}/24'] and i['excluded_vips'] == []
    assert i['became_master'] == 1 and i['adverts_tx'] >= 1
    i = inst(status_json(binary, b), 'VI_1')
    assert i['state'] == 'BACKUP' and i['master'] == {'address': A, 'self': False}
    assert i['became_master'] == 0 and i['adverts_rx'] >= 1

    # failover: a stops, b takes over; its time in state starts again
    before = inst(status_json(binary, b), 'VI_1')['in_state_s']
    mark = b.mark()
    a.stop()
    b.wait_log(r'\(VI_1\) Entering MASTER STATE', since=mark, timeout=10)
    i = inst(status_json(binary, b), 'VI_1')
    assert i['state'] == 'MASTER' and i['master'] == {'address': B, 'self': True}
    assert i['became_master'] == 1
    assert i['in_state_s'] < 2 < before, (i, before)
    # a left with a priority 0 advert: b took over its skew time ((256 - 100) / 256 s) later
    assert i['last_failover']['from'] == A
    assert 609 <= i['last_failover']['duration_ms'] < 1109, i['last_failover']
    assert i['conflicts'] == 0 and i['last_conflict_peer'] is None
    rc, out, err, _ = status(binary, b)
    r = row(out, 'VI_1')
    assert r['master'] == f'{B} (this host)'
    assert r['failover'] == f"{int(i['last_failover']['duration_ms'])}ms"
    # a stopped daemon has removed its socket: the client says it is not running
    assert not a.sock.exists()
    rc, out, err, _ = status(binary, a)
    assert rc == 1 and 'keepalived is not running' in err and out == ''


def test_status_after_checker_failure(topo, tmp_path, rec, start_daemon, binary):
    srv = cl.TcpListener(topo.host('b'), B, 8080, tmp_path).start()
    text = cl.conf(cl.vs('10.0.0.1', 80, cl.rs(B, 8080, cl.tcp_check(retry=0)),
                         cl.rs(B, 8081, '', extra='        weight 3\n')))
    d = start(start_daemon, tmp_path, text + vrrp(150))
    d.wait_log(r'TCP connection to \[192\.0\.2\.2\]:tcp:8080 success\.', timeout=10)
    doc = status_json(binary, d)
    assert [c['name'] for c in doc['children']] == ['vrrp', 'check']
    vs, = doc['check']['virtual_servers']
    assert vs['name'] == '[10.0.0.1]:tcp:80' and vs['quorum_up']
    r1, r2 = vs['real_servers']
    assert (r1['address'], r1['port'], r1['alive'], r1['weight']) == (B, 8080, True, 1)
    assert [(c['type'], c['state']) for c in r1['checkers']] == [('TCP_CHECK', 'up')]
    assert (r2['port'], r2['alive'], r2['weight'], r2['checkers']) == (8081, True, 3, [])

    mark = d.mark()
    srv.stop()
    d.wait_log(r'TCP_CHECK on service \[192\.0\.2\.2\]:tcp:8080 failed\.', since=mark,
               timeout=10)
    r1 = status_json(binary, d)['check']['virtual_servers'][0]['real_servers'][0]
    assert (r1['alive'], r1['in_ipvs']) == (False, False)
    assert [(c['type'], c['state']) for c in r1['checkers']] == [('TCP_CHECK', 'down')]
    rc, out, err, _ = status(binary, d)
    assert rc == 0, err
    assert re.search(r'^Virtual server \[10\.0\.0\.1\]:tcp:80  quorum UP \(\d+\)  2 real server',
                     out, re.M), out
    assert re.search(r'^  Real server \[192\.0\.2\.2\]:tcp:8080  DOWN  weight 1 \(configured 1\)'
                     r'  not in IPVS  TCP_CHECK down$', out, re.M), out
    assert re.search(r'^  Real server \[192\.0\.2\.2\]:tcp:8081  alive  weight 3 '
                     r'\(configured 3\)  in IPVS$', out, re.M), out


def test_stopped_child_reported_not_answering(topo, tmp_path, rec, start_daemon, binary):
    text = cl.conf(cl.vs('10.0.0.1', 80, cl.rs(B, 8080, cl.tcp_check())))
    d = start(start_daemon, tmp_path, text + vrrp(150))
    d.wait_log(r'\(VI_1\) Entering MASTER STATE', timeout=10)
    kalib.wait_for(lambda: d.check_pid(), 5, 'checker pid file')
    vrrp_pid = d.vrrp_pid()
    os.kill(vrrp_pid, signal.SIGSTOP)
    try:
        rc, out, err, took = status(binary, d)
        assert rc == 3, err
        assert re.search(r'^VRRP child process\(%d\): NOT ANSWERING \(no answer within 1000 ms\)$'
                         % vrrp_pid, out, re.M), out
        assert re.search(r'^Healthcheck child process\(%d\): running$' % d.check_pid(), out,
                         re.M), out
        assert 'VRRP INSTANCE' not in out and 'Virtual server [10.0.0.1]:tcp:80' in out
        assert took < 5, took
        rc, out, err, _ = status(binary, d, '--json')
        assert rc == 3, err
        doc = json.loads(out)
        jsonschema.validate(doc, SCHEMA)
        assert not doc['complete'] and doc['vrrp'] is None and doc['check'] is not None
        assert {c['name']: c['answered'] for c in doc['children']} == \
            {'vrrp': False, 'check': True}
    finally:
        os.kill(vrrp_pid, signal.SIGCONT)
    # back: it answers again (the stale requests it finds are answered and dropped)
    doc = status_json(binary, d)
    assert doc['complete'] and inst(doc, 'VI_1')['state'] == 'MASTER'
    assert d.vrrp_pid() == vrrp_pid
    assert not d.search(r'is not responding')


@pytest.fixture
def open_dir():
    """A directory every user may reach (the test's own is under a 0700 one)."""
    path = Path(tempfile.mkdtemp(prefix='kt-status-'))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


def test_not_root_refused(topo, tmp_path, open_dir, start_daemon, binary):
    d = start(start_daemon, tmp_path, vrrp(150), sock=open_dir / 'ka.ctl')
    d.wait_log(r'Control socket .*ka\.ctl: listening', timeout=10)
    st = os.lstat(d.sock)
    assert stat.S_ISSOCK(st.st_mode) and stat.S_IMODE(st.st_mode) == 0o600 and st.st_uid == 0
    rc, out, err, _ = status(binary, d, user=65534)
    assert rc == 1 and out == ''
    assert 'Permission denied (the control socket is for root only)' in err, err
    # with the mode opened, the daemon still refuses: it checks the peer's uid
    os.chmod(d.sock, 0o666)
    mark = d.mark()
    rc, out, err, _ = status(binary, d, '--json', user=65534)
    assert rc == 1 and out == ''
    assert 'keepalived refused the request: permission denied' in err, err
    d.wait_log(r'Control socket: refused a connection from uid 65534 pid \d+ \(root only\)',
               since=mark)
    os.chmod(d.sock, 0o600)
    assert status(binary, d)[0] == 0


def test_socket_file_stale_live_symlink(topo, tmp_path, start_daemon, binary):
    """A stale socket is replaced; a live one (another daemon) is left alone; a symlink
    another user planted is replaced, not followed; the socket goes at exit."""
    sock = tmp_path / 'ka.ctl'
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(str(sock))
    stale.close()                  # the file stays, nobody listens: stale
    d = start(start_daemon, tmp_path, vrrp(150))
    d.wait_log(r'Control socket .*ka\.ctl: listening', timeout=10)
    assert status(binary, d)[0] == 0
    # a second daemon given the same path leaves the first one's socket alone
    d2 = start_daemon(tmp_path / 'ka.conf', args=[f'--control-socket={sock}'], name='ka2',
                      host='b')
    d2.wait_log(r'Control socket .*ka\.ctl is in use by another keepalived: no control socket',
                timeout=10)
    rc, out, err, _ = status(binary, d)
    assert rc == 0 and f'pid {d.pid},' in out
    d2.stop()
    assert status(binary, d)[0] == 0, 'the second daemon removed the first one\'s socket'
    d.stop()
    assert not os.path.lexists(sock)

    victim = tmp_path / 'victim'
    victim.write_text('precious\n')
    os.symlink(victim, sock)
    os.lchown(sock, 65534, 65534)
    d = start(start_daemon, tmp_path, vrrp(150), name='ka3', sock=sock)
    d.wait_log(r'Control socket .*ka\.ctl: listening', timeout=10)
    assert stat.S_ISSOCK(os.lstat(sock).st_mode)
    assert victim.read_text() == 'precious\n'
    assert status(binary, d)[0] == 0
