# SPDX-License-Identifier: GPL-2.0-or-later
"""Prometheus metrics (issue 15 item 3): metrics_listen, scraped as Prometheus scrapes it.

Host a runs the daemon (and, in test_prometheus_sees_failover, Debian's Prometheus server
scraping it, both on a's loopback); host b runs the real servers or a second router.
Everything HTTP is spoken from sockets that live in a's namespace. Checks run through
`promtool check metrics`, Prometheus' own linter, on a real scrape.
"""
import json
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.parse

import pytest

import checklib as cl
import kalib
from kalib import wait_for

pytestmark = pytest.mark.ours_only     # metrics_listen is ours
topo = cl.topo                          # fixture: hosts a (daemon) and b
rec = cl.rec                            # fixture: the checker records IPVS commands

PORT = 9165                             # metrics_listen's default port (the exporter's)
B = '192.0.2.2'


def vrrp(prio, adv=0.1):
    return f'''
vrrp_instance VI_1 {{
    state BACKUP
    interface eth0
    virtual_router_id 51
    priority {prio}
    advert_int {adv}
    version 3
    virtual_ipaddress {{
        192.0.2.100/24
    }}
}}
'''


def http(ns, path, method='GET', port=PORT, head='', timeout=5):
    """(status, headers text, body) of one request to 127.0.0.1:port in namespace ns."""
    s = kalib.netns_socket(ns, socket.AF_INET, socket.SOCK_STREAM)
    with s:
        s.settimeout(timeout)
        s.connect(('127.0.0.1', port))
        s.sendall(f'{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n{head}\r\n'.encode())
        data = b''
        while chunk := s.recv(65536):
            data += chunk
    hdr, _, body = data.partition(b'\r\n\r\n')
    status = int(hdr.split(b' ', 2)[1])
    return status, hdr.decode(), body.decode()


def refused(ns, port=PORT):
    s = kalib.netns_socket(ns, socket.AF_INET, socket.SOCK_STREAM)
    with s:
        s.settimeout(2)
        return s.connect_ex(('127.0.0.1', port)) != 0


def scrape(ns, port=PORT):
    status, hdr, body = http(ns, '/metrics', port=port)
    assert status == 200, hdr
    assert 'Content-Type: text/plain; version=0.0.4' in hdr
    return body


def sample(body, name, **labels):
    """The value of the sample of name whose labels include these, or None."""
    for line in body.splitlines():
        if not line.startswith(name + '{') and not line.startswith(name + ' '):
            continue
        if all(f'{k}="{v}"' in line for k, v in labels.items()):
            return float(line.rsplit(' ', 1)[1])
    return None


def promtool_check(body):
    r = subprocess.run(['promtool', 'check', 'metrics'], input=body, capture_output=True,
                       text=True, timeout=30)
    return r.returncode, r.stdout + r.stderr


def test_off_by_default_and_on_by_reload(topo, start_daemon, tmp_path):
    """Without metrics_listen nothing listens; a reload turns it on, another off again."""
    conf = tmp_path / 'ka.conf'
    conf.write_text('global_defs {\n    router_id kt_m\n}\n' + vrrp(100))
    ns = topo.host('a')
    d = start_daemon(conf, args=[f'--control-socket={tmp_path}/ctl'])
    d.wait_log(r'\(VI_1\) Entering MASTER STATE')
    assert refused(ns), 'something listens on the metrics port without metrics_listen'
    assert not d.search(r'Prometheus metrics on')

    conf.write_text('global_defs {\n    router_id kt_m\n    metrics_listen 127.0.0.1 9166\n}\n'
                    + vrrp(100))
    mark = d.mark()
    d.signal(signal.SIGHUP)
    d.wait_log(r'Prometheus metrics on http://127\.0\.0\.1:9166/metrics', since=mark)
    assert sample(scrape(ns, 9166), 'keepalived_vrrp_state', iname='VI_1') == 2
    assert refused(ns, PORT)

    conf.write_text('global_defs {\n    router_id kt_m\n}\n' + vrrp(100))
    mark = d.mark()
    d.signal(signal.SIGHUP)
    d.wait_log(r'Prometheus metrics on 127\.0\.0\.1:9166: closed', since=mark)
    wait_for(lambda: refused(ns, 9166), 5, 'the listener closed')


def test_scrape_vrrp_and_checker(topo, start_daemon, tmp_path, rec):
    """One scrape has both children's families and the parent's, and promtool accepts it."""
    srv = cl.TcpListener(topo.host('b'), B, 8080, tmp_path).start()
    conf = tmp_path / 'ka.conf'
    conf.write_text(cl.conf(
        vrrp(100),
        cl.vs('192.0.2.1', 80,
              cl.rs(B, 8080, cl.tcp_check()),
              cl.rs(B, 8081, cl.tcp_check())),     # nothing listens: down
        global_defs='    metrics_listen\n'))
    ns = topo.host('a')
    d = start_daemon(conf, args=[f'--control-socket={tmp_path}/ctl'])
    d.wait_log(r'Prometheus metrics on http://127\.0\.0\.1:9165/metrics')
    d.wait_log(r'\(VI_1\) Entering MASTER STATE')

    def checked():
        b = scrape(ns)
        # a result for the live one (its latency), the other one found down
        done = sample(b, 'keepalived_checker_latency_seconds', real_server=f'[{B}]:tcp:8080')
        down = sample(b, 'keepalived_real_server_up', real_server=f'[{B}]:tcp:8081')
        return b if done is not None and down == 0 else None
    body = wait_for(checked, 15, 'both real servers checked, in the metrics', 0.1)
    rc, out = promtool_check(body)
    assert rc == 0, f'promtool check metrics:\n{out}\n--- scrape ---\n{body}'
    assert srv.connections() >= 1

    assert sample(body, 'keepalived_up') == 1
    assert sample(body, 'keepalived_child_up', process='vrrp') == 1
    assert sample(body, 'keepalived_child_up', process='checker') == 1
    # mehdy/keepalived-exporter's names and labels
    assert sample(body, 'keepalived_vrrp_state', iname='VI_1', intf='eth0', vrid='51',
                  ip_address='192.0.2.100/24') == 2
    assert sample(body, 'keepalived_advertisements_sent_total', iname='VI_1') >= 1
    assert sample(body, 'keepalived_become_master_total', iname='VI_1') == 1
    assert sample(body, 'keepalived_vrrp_transitions_total', iname='VI_1') == 2   # INIT, MASTER
    since = sample(body, 'keepalived_vrrp_last_transition_timestamp_seconds', iname='VI_1')
    assert time.time() - 60 < since <= time.time()
    # the real servers and their checkers
    vs = '[192.0.2.1]:tcp:80'
    assert sample(body, 'keepalived_real_server_up', virtual_server=vs,
                  real_server=f'[{B}]:tcp:8080') == 1
    assert sample(body, 'keepalived_real_server_up', virtual_server=vs,
                  real_server=f'[{B}]:tcp:8081') == 0
    assert sample(body, 'keepalived_real_server_weight', real_server=f'[{B}]:tcp:8080') == 1
    assert sample(body, 'keepalived_checker_failures_total',
                  real_server=f'[{B}]:tcp:8081', checker='TCP_CHECK') >= 1
    assert sample(body, 'keepalived_checker_attempts_total', real_server=f'[{B}]:tcp:8080') >= 1
    assert 0 <= sample(body, 'keepalived_checker_latency_seconds',
                       real_server=f'[{B}]:tcp:8080') < 1
    assert sample(body, 'keepalived_virtual_server_alive_real_servers', virtual_server=vs) == 1
    # every process's own
    for p in ('parent', 'vrrp', 'checker'):
        assert sample(body, 'process_resident_memory_bytes', process=p) > 0
    # one family per name, though three processes write process_*
    types = re.findall(r'^# TYPE (\S+) ', body, re.M)
    assert len(types) == len(set(types))
    assert body.count('# TYPE process_open_fds gauge') == 1

    # HTTP: only GET and HEAD of /metrics
    status, hdr, body = http(ns, '/metrics', method='HEAD')
    assert status == 200 and body == '' and 'Content-Length: ' in hdr
    assert http(ns, '/metrics', method='POST')[0] == 405
    assert http(ns, '/')[0] == 404
    assert http(ns, '/metrics', head='X: ' + 'y' * 9000 + '\r\n')[0] == 431


def test_many_clients_never_block(topo, start_daemon, tmp_path):
    """Idle clients hold their connection but not the parent; past the limit, a 503."""
    conf = tmp_path / 'ka.conf'
    conf.write_text('global_defs {\n    router_id kt_m\n    metrics_listen\n}\n' + vrrp(100))
    ns = topo.host('a')
    d = start_daemon(conf, args=[f'--control-socket={tmp_path}/ctl'])
    d.wait_log(r'Prometheus metrics on')
    d.wait_log(r'\(VI_1\) Entering MASTER STATE')
    idle = []
    try:
        for _ in range(64):        # MH_CONN_MAX: each sends half a request head and waits
            s = kalib.netns_socket(ns, socket.AF_INET, socket.SOCK_STREAM)
            idle.append(s)
            s.settimeout(5)
            s.connect(('127.0.0.1', PORT))
            s.sendall(b'GET /metrics HTTP/1.1\r\n')
        status, _, _ = http(ns, '/metrics')
        assert status == 503       # answered at once: the parent's loop is not held
        idle.pop().close()
        wait_for(lambda: http(ns, '/metrics')[0] == 200, 5, 'a scrape once a client left', 0.05)
        # an idle client that finishes its request is answered too
        idle[0].sendall(b'\r\n')
        idle[0].settimeout(5)
        assert idle[0].recv(64).startswith(b'HTTP/1.1 200 OK')
    finally:
        for s in idle:
            s.close()


# ---------------------------------------------------------------- a real Prometheus server

PROM_PORT = 9090


@pytest.fixture
def prometheus(topo, tmp_path):
    """Debian's Prometheus in a's namespace, on its loopback only, scraping the daemon."""
    exe = shutil.which('prometheus')
    if not exe:
        pytest.fail('prometheus is not installed (Debian package prometheus: .ci/deps)')
    (tmp_path / 'prom').mkdir()
    cfg = tmp_path / 'prom' / 'prometheus.yml'
    cfg.write_text(f'''global:
  scrape_interval: 200ms
  scrape_timeout: 200ms
scrape_configs:
  - job_name: keepalived
    static_configs:
      - targets: ['127.0.0.1:{PORT}']
''')
    log = open(tmp_path / 'prometheus.log', 'wb')
    proc = subprocess.Popen(
        ['ip', 'netns', 'exec', topo.host('a'), exe, f'--config.file={cfg}',
         f'--storage.tsdb.path={tmp_path}/prom/data', f'--web.listen-address=127.0.0.1:{PROM_PORT}',
         '--log.level=warn'],
        stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    token = kalib.CLEANUP.add(lambda: kalib.kill(proc.pid))
    try:
        wait_for(lambda: not refused(topo.host('a'), PROM_PORT)
                 and http(topo.host('a'), '/-/ready', port=PROM_PORT)[0] == 200,
                 30, 'Prometheus ready', 0.1)
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        kalib.CLEANUP.discard(token)
        log.close()


def prom_query(ns, query):
    """The value of an instant query's single result, or None."""
    status, _, body = http(ns, '/api/v1/query?query=' + urllib.parse.quote(query),
                           port=PROM_PORT)
    assert status == 200, body
    res = json.loads(body)['data']['result']
    return float(res[0]['value'][1]) if len(res) == 1 else None


def test_prometheus_sees_failover(topo, start_daemon, tmp_path, prometheus):
    """Prometheus scrapes a as MASTER, then a router of higher priority takes over: Prometheus
    sees a go to BACKUP, and the counters of the change, through its query API."""
    ns = topo.host('a')
    conf_a = tmp_path / 'a.conf'
    conf_a.write_text('global_defs {\n    router_id kt_a\n    metrics_listen\n}\n' + vrrp(100))
    a = start_daemon(conf_a, args=[f'--control-socket={tmp_path}/ctl-a'])
    a.wait_log(r'\(VI_1\) Entering MASTER STATE')
    state = 'keepalived_vrrp_state{job="keepalived",iname="VI_1",ip_address="192.0.2.100/24"}'
    wait_for(lambda: prom_query(ns, state) == 2, 20, 'Prometheus sees a as MASTER', 0.1)
    assert prom_query(ns, 'keepalived_up') == 1

    conf_b = tmp_path / 'b.conf'
    conf_b.write_text('global_defs {\n    router_id kt_b\n}\n' + vrrp(200))
    mark = a.mark()
    b = start_daemon(conf_b, name='kb', host='b', args=[f'--control-socket={tmp_path}/ctl-b'])
    a.wait_log(r'\(VI_1\) Entering BACKUP STATE', since=mark)
    wait_for(lambda: prom_query(ns, state) == 1, 20, 'Prometheus sees a as BACKUP', 0.1)
    assert prom_query(ns, 'keepalived_release_master_total{iname="VI_1"}') == 1
    assert prom_query(ns, 'max_over_time(' + state + '[1m])') == 2
    assert prom_query(ns, 'keepalived_advertisements_received_total{iname="VI_1"}') >= 1

    # b is killed: a takes over, and says how long after b's last advert (once a, as
    # BACKUP, has heard b: a takeover is measured from an advert heard in BACKUP)
    def rx():
        return sample(scrape(ns), 'keepalived_advertisements_received_total', iname='VI_1')
    heard = rx()
    wait_for(lambda: rx() >= heard + 3, 10, 'a hearing b as BACKUP', 0.05)
    mark = a.mark()
    b.kill_tree()
    a.wait_log(r'\(VI_1\) Entering MASTER STATE', since=mark)
    wait_for(lambda: prom_query(ns, state) == 2, 20, 'Prometheus sees a as MASTER again', 0.1)
    took = float(a.wait_log(r'\(VI_1\) took over from 192\.0\.2\.2, (\d+) ms after', since=mark)[1])
    fo = wait_for(lambda: prom_query(
        ns, 'keepalived_vrrp_last_failover_seconds{iname="VI_1",from="192.0.2.2"}'), 20,
        'Prometheus sees the failover time', 0.1)
    assert abs(fo * 1000 - took) <= 1, (fo, took)
    # b's child sends priority 0 as its parent dies (skew time, 61 ms), or falls silent
    # (master down interval, 361 ms): either way well under a second
    assert 0 < fo < 1
