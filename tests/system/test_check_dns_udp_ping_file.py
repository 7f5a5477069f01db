# SPDX-License-Identifier: GPL-2.0-or-later
"""DNS_CHECK, UDP_CHECK, PING_CHECK and FILE_CHECK end to end: backends in a namespace,
keepalived 2.2.7's log lines (spec 2.5-2.8) and the IPVS commands the checker decided.

This kernel has no ip_vs: KEEPALIVED_IPVS_RECORD makes the checker write each IPVS
command as a JSON line instead (checklib.IpvsRecord reads them).
"""
import re
import subprocess
from pathlib import Path

import pytest

import checklib as cl
import kalib

pytestmark = pytest.mark.ours_only     # the recording backend is ours (2.2.7 needs ip_vs)
topo, rec = cl.topo, cl.rec   # fixtures: a two-host topology, the IPVS record

B = '192.0.2.2'         # host b: the backends
VIP = '10.0.0.1'
UDPSRV = Path(__file__).resolve().parent / 'udpsrv.py'


class UdpServer:
    """udpsrv.py in host b; set() changes what it answers."""

    def __init__(self, topo, tmp_path, kind, port, mode='', addr=B):
        self.modefile = Path(tmp_path) / f'{kind}-{port}.mode'
        self.ready = Path(tmp_path) / f'{kind}-{port}.ready'
        self.set(mode)
        self.proc = subprocess.Popen(
            ['ip', 'netns', 'exec', topo.host('b'), '/usr/bin/python3', str(UDPSRV), kind, addr,
             str(port), str(self.modefile), str(self.ready)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True)
        self.token = kalib.CLEANUP.add(self.kill)
        kalib.wait_for(lambda: self.ready.exists() or self.proc.poll() is not None, 5,
                       f'{kind} server on port {port}')
        assert self.proc.poll() is None, f'{kind} server on port {port} exited'

    def set(self, mode):
        self.modefile.write_text(mode + '\n')

    def seen(self):
        try:
            return Path(str(self.modefile) + '.seen').read_text().split()
        except FileNotFoundError:
            return []

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()


def esc(s):
    return re.escape(s)


def rs_str(addr, port, proto='udp'):
    return esc(f'[{addr}]:{proto}:{port}')


def vs_str(port, proto='udp'):
    return esc(f'[{VIP}]:{proto}:{port}')


def write_conf(tmp_path, text):
    p = tmp_path / 'keepalived.conf'
    p.write_text(text)
    return p


def dns_check(extra='', delay_loop=1, connect_timeout=1):
    return (f'        DNS_CHECK {{\n            connect_timeout {connect_timeout}\n'
            f'            delay_loop {delay_loop}\n{extra}        }}\n')


def udp_check(extra='', delay_loop=1, connect_timeout=1, retry=0):
    return (f'        UDP_CHECK {{\n            connect_timeout {connect_timeout}\n'
            f'            delay_loop {delay_loop}\n            retry {retry}\n'
            f'{extra}        }}\n')


def ping_check(extra='', delay_loop=1, connect_timeout=1, retry=0):
    return (f'        PING_CHECK {{\n            connect_timeout {connect_timeout}\n'
            f'            delay_loop {delay_loop}\n            retry {retry}\n'
            f'{extra}        }}\n')


# --- DNS_CHECK ---

def test_dns_rcode_then_recovery(topo, tmp_path, rec, start_daemon):
    """NXDOMAIN at start: the cold-start failure marks it down at once with 2.2.7's line
    (no retries); a NOERROR reply brings it back (DNS_CHECK logs no success line)."""
    srv = UdpServer(topo, tmp_path, 'dns', 53, 'nx')
    conf = write_conf(tmp_path, cl.conf(cl.vs(VIP, 53, cl.rs(B, 53, dns_check(
        '            type A\n            name example.com\n')), proto='UDP')))
    d = start_daemon(conf)
    d.wait_log(r'DNS_CHECK \(' + rs_str(B, 53) + r'\) read error occurred\. \(rcode = 3\)$',
               timeout=10)
    d.wait_log(r'Removing service ' + rs_str(B, 53) + r' from VS ' + vs_str(53))
    rec.wait('DEL_DEST', dest=f'{B}:53')
    # the query: RD, one question, example.com A IN
    q = bytes.fromhex(srv.seen()[0])
    assert q[2:12] == bytes.fromhex('01000001000000000000'), q.hex()
    assert q[12:] == b'\x07example\x03com\x00\x00\x01\x00\x01', q.hex()
    mark, m = d.mark(), rec.mark()
    srv.set('ok')
    d.wait_log(r'Adding service ' + rs_str(B, 53) + r' to VS ' + vs_str(53), timeout=10,
               since=mark)
    rec.wait('NEW_DEST', since=m, dest=f'{B}:53')
    assert not d.search(r'DNS_CHECK .*succe', since=mark)


def test_dns_default_retry_and_ignored_replies(topo, tmp_path, rec, start_daemon):
    """Replies with another id or QR=0 are ignored and the check goes on reading (the
    right reply that follows counts). Once up, DNS_CHECK's default retry 3 with
    delay_before_retry = delay_loop: four timeouts, one line `... after 3 retries`."""
    srv = UdpServer(topo, tmp_path, 'dns', 53, 'wrongid_ok')
    conf = write_conf(tmp_path, cl.conf(cl.vs(VIP, 53, cl.rs(B, 53, dns_check()),
                                              proto='UDP')))
    d = start_daemon(conf)
    rec.wait('NEW_DEST', dest=f'{B}:53')
    kalib.wait_for(lambda: len(srv.seen()) >= 2, 10, 'two queries answered')
    assert not d.search(r'DNS_CHECK'), d.tail()
    q = bytes.fromhex(srv.seen()[0])
    assert q[12:] == b'\x00\x00\x06\x00\x01', 'default: root, SOA: ' + q.hex()
    mark, m = d.mark(), rec.mark()
    srv.set('wrongid')
    d.wait_log(r'DNS_CHECK \(' + rs_str(B, 53) + r'\) read timeout from socket after 3 '
               r'retries$', timeout=20, since=mark)
    rec.wait('DEL_DEST', since=m, dest=f'{B}:53')
    text = d.text(mark)
    assert len(re.findall(r'DNS_CHECK', text)) == 1, text
    # four queries went out (the first and three retries), each timed out
    assert len(srv.seen()) >= 2 + 4


def test_dns_silent_and_closed(topo, tmp_path, rec, start_daemon):
    """No answer at all, and a closed port (ICMP port unreachable on the connected
    socket): 2.2.7's `read timeout from socket` and `failed to read socket; errno 111
    (Connection refused)`."""
    UdpServer(topo, tmp_path, 'dns', 53, 'silent')
    conf = write_conf(tmp_path, cl.conf(
        cl.vs(VIP, 53, cl.rs(B, 53, dns_check()), proto='UDP'),
        cl.vs(VIP, 54, cl.rs(B, 54, dns_check()), proto='UDP')))
    d = start_daemon(conf)
    d.wait_log(r'DNS_CHECK \(' + rs_str(B, 53) + r'\) read timeout from socket$', timeout=10)
    d.wait_log(r'DNS_CHECK \(' + rs_str(B, 54) + r'\) failed to read socket; errno 111 '
               r'\(Connection refused\)$', timeout=10)
    rec.wait('DEL_DEST', dest=f'{B}:53')
    rec.wait('DEL_DEST', dest=f'{B}:54')


# --- UDP_CHECK ---

def test_udp_no_reply_is_success_icmp_is_failure(topo, tmp_path, rec, start_daemon):
    """Without require_reply: silence within connect_timeout is a success, an ICMP port
    unreachable a failure (IP_RECVERR)."""
    srv = UdpServer(topo, tmp_path, 'echo', 9000, 'none')
    conf = write_conf(tmp_path, cl.conf(
        cl.vs(VIP, 9000, cl.rs(B, 9000, udp_check()), proto='UDP'),
        cl.vs(VIP, 9001, cl.rs(B, 9001, udp_check()), proto='UDP')))
    d = start_daemon(conf)
    d.wait_log(r'UDP connection to ' + rs_str(B, 9000) + r' success\.$', timeout=10)
    d.wait_log(r'UDP_CHECK on service ' + rs_str(B, 9001) + r' failed\.$', timeout=10)
    d.wait_log(r'Removing service ' + rs_str(B, 9001) + r' from VS ' + vs_str(9001))
    rec.wait('DEL_DEST', dest=f'{B}:9001')
    assert not rec.find('DEL_DEST', dest=f'{B}:9000')
    # the default payload: 32 bytes of "keepalived check - " repeated
    assert bytes.fromhex(srv.seen()[0]) == (b'keepalived check - ' * 2)[:32]
    # the closed port opens: one success brings it back
    mark, m = d.mark(), rec.mark()
    UdpServer(topo, tmp_path, 'echo', 9001, 'none')
    d.wait_log(r'UDP connection to ' + rs_str(B, 9001) + r' success\.$', timeout=10,
               since=mark)
    rec.wait('NEW_DEST', since=m, dest=f'{B}:9001')


def test_udp_require_reply_pattern_and_length(topo, tmp_path, rec, start_daemon):
    """require_reply with X nibbles, min/max_reply_length: a matching reply is a success,
    a mismatch (log_all_failures: `reply data mismatch.`) or a reply over the maximum a
    failure; with retry 1, two failures (`failed after 1 retries.`)."""
    srv = UdpServer(topo, tmp_path, 'echo', 9002, 'cafe0102')
    conf = write_conf(tmp_path, cl.conf(cl.vs(VIP, 9002, cl.rs(B, 9002, udp_check(
        '            payload 01 02 03\n'
        '            require_reply ca fe X1 0X\n'
        '            min_reply_length 3\n            max_reply_length 6\n'
        '            log_all_failures\n', retry=1)), proto='UDP')))
    d = start_daemon(conf)
    d.wait_log(r'UDP connection to ' + rs_str(B, 9002) + r' success\.$', timeout=10)
    assert srv.seen()[0] == '010203'
    mark, m = d.mark(), rec.mark()
    srv.set('cafe0202')         # the fixed (low) nibble of byte 3 differs
    d.wait_log(r'UDP_CHECK on service ' + rs_str(B, 9002) + r' failed after 1 retries\.$',
               timeout=10, since=mark)
    rec.wait('DEL_DEST', since=m, dest=f'{B}:9002')
    text = d.text(mark)
    assert len(re.findall(r'UDP check to ' + rs_str(B, 9002) + r' reply data mismatch\.',
                          text)) == 2, text
    mark, m = d.mark(), rec.mark()
    srv.set('CAFEf10a')         # only the X nibbles differ: a match
    d.wait_log(r'UDP connection to ' + rs_str(B, 9002) + r' success\.$', timeout=10,
               since=mark)
    rec.wait('NEW_DEST', since=m, dest=f'{B}:9002')
    mark, m = d.mark(), rec.mark()
    srv.set('cafe01020304')     # 6 bytes: still within max_reply_length
    srv.set('cafe0102030405')   # 7 bytes: too long
    d.wait_log(r'UDP_CHECK on service ' + rs_str(B, 9002) + r' failed after 1 retries\.$',
               timeout=10, since=mark)
    rec.wait('DEL_DEST', since=m, dest=f'{B}:9002')


def test_udp_require_reply_timeout(topo, tmp_path, rec, start_daemon):
    """With require_reply, silence is a failure (`UDP connection to X failed.` with
    log_all_failures)."""
    UdpServer(topo, tmp_path, 'echo', 9003, 'none')
    conf = write_conf(tmp_path, cl.conf(cl.vs(VIP, 9003, cl.rs(B, 9003, udp_check(
        '            require_reply\n')), proto='UDP'),
        global_defs='    checker_log_all_failures\n'))
    d = start_daemon(conf)
    d.wait_log(r'UDP connection to ' + rs_str(B, 9003) + r' failed\.$', timeout=10)
    d.wait_log(r'UDP_CHECK on service ' + rs_str(B, 9003) + r' failed\.$')
    rec.wait('DEL_DEST', dest=f'{B}:9003')


# --- PING_CHECK ---

def ping_range(topo, host='a'):
    out = subprocess.run(['ip', 'netns', 'exec', topo.host(host), 'cat',
                          '/proc/sys/net/ipv4/ping_group_range'], check=True,
                         capture_output=True, text=True).stdout
    return out.split()


def test_ping_live_and_unreachable(topo, tmp_path, rec, start_daemon):
    """An address that answers echo requests is up (`ICMP connection to X success.`), one
    that does not is down after connect_timeout (`ICMP CHECK on service X failed.`).
    ping_group_range is widened to 0 with 2.2.7's warning and restored at exit."""
    hole = cl.blackhole(topo)
    kalib.sh('ip', 'netns', 'exec', topo.host('a'), 'sysctl', '-qw',
             'net.ipv4.ping_group_range=100 200')
    conf = write_conf(tmp_path, cl.conf(
        cl.vs(VIP, 80, cl.rs(B, 80, ping_check()), cl.rs(hole, 80, ping_check()))))
    d = start_daemon(conf)
    d.wait_log(r'Warning: /proc/sys/net/ipv4/ping_group_range being expanded from 100 200 to '
               r'0 200$', timeout=10)
    d.wait_log(r'ICMP connection to ' + rs_str(B, 80, 'tcp') + r' success\.$', timeout=10)
    d.wait_log(r'ICMP CHECK on service ' + rs_str(hole, 80, 'tcp') + r' failed\.$', timeout=10)
    rec.wait('DEL_DEST', dest=f'{hole}:80')
    assert not rec.find('DEL_DEST', dest=f'{B}:80')
    assert ping_range(topo) == ['0', '200']
    # b stops answering: retry 0, so the next failure marks it down with 2.2.7's line
    mark, m = d.mark(), rec.mark()
    kalib.sh('ip', 'netns', 'exec', topo.host('b'), 'sysctl', '-qw',
             'net.ipv4.icmp_echo_ignore_all=1')
    d.wait_log(r'ICMP CHECK on service ' + rs_str(B, 80, 'tcp') + r' failed\.$', timeout=10,
               since=mark)
    rec.wait('DEL_DEST', since=m, dest=f'{B}:80')
    d.stop()
    assert ping_range(topo) == ['100', '200']


def test_ipv6_ping_and_dns(topo, tmp_path, rec, start_daemon):
    """IPv6 real servers: ICMPv6 echo over an unprivileged socket, a DNS query over UDP/IPv6;
    an on-link address nobody has is down."""
    b6, none6, vip6 = '2001:db8::2', '2001:db8::99', '2001:db8::100'
    srv = UdpServer(topo, tmp_path, 'dns', 53, 'ok', addr=b6)
    conf = write_conf(tmp_path, cl.conf(
        f'virtual_server {vip6} 80 {{\n    lb_algo rr\n    lb_kind NAT\n    protocol TCP\n'
        + cl.rs(b6, 80, ping_check()) + cl.rs(none6, 80, ping_check()) + '}\n',
        f'virtual_server {vip6} 53 {{\n    lb_algo rr\n    lb_kind NAT\n    protocol UDP\n'
        + cl.rs(b6, 53, dns_check()) + '}\n'))
    d = start_daemon(conf)
    d.wait_log(r'ICMP connection to ' + rs_str(b6, 80, 'tcp') + r' success\.$', timeout=10)
    d.wait_log(r'ICMP CHECK on service ' + rs_str(none6, 80, 'tcp') + r' failed\.$',
               timeout=10)
    rec.wait('DEL_DEST', dest=f'{none6}:80')
    kalib.wait_for(lambda: len(srv.seen()) >= 2, 10, 'two DNS queries over IPv6')
    assert not rec.find('DEL_DEST', dest=f'{b6}:53')
    assert not rec.find('DEL_DEST', dest=f'{b6}:80')
    assert not d.search(r'DNS_CHECK'), d.tail()


# --- FILE_CHECK ---

def test_file_check_weight_and_state(topo, tmp_path, rec, start_daemon):
    """track_file with init_file: the file's value at start is in the first table (weight
    1 + 5*10); values written to it change the weight; FILE_CHECK weight 0 means a
    non-zero value takes the server out."""
    f1, f2 = tmp_path / 'w.val', tmp_path / 'up.val'
    conf = write_conf(tmp_path, cl.conf(
        f'track_file TW {{\n    file {f1}\n    weight 10\n    init_file 5\n}}\n'
        f'track_file TU {{\n    file {f2}\n    weight 3\n}}\n',
        cl.vs(VIP, 80,
              cl.rs(B, 80, '        FILE_CHECK {\n            track_file TW\n        }\n'),
              cl.rs('192.0.2.3', 80, '        FILE_CHECK {\n            track_file TU\n'
                    '            weight 0\n        }\n'))))
    f2.write_text('0\n')
    d = start_daemon(conf)
    rec.wait('NEW_DEST', dest=f'{B}:80', weight=51)
    rec.wait('NEW_DEST', dest='192.0.2.3:80', weight=1)
    assert f1.read_text() == '5\n'
    m = rec.mark()
    f1.write_text('-2\n')       # 1 - 20: below 0
    op = rec.wait('SET_DEST', since=m, dest=f'{B}:80')
    assert op['dest']['weight'] == 0, op
    m = rec.mark()
    f1.write_text('0x2\n')      # hexadecimal, as keepalived's strtol: 1 + 20
    rec.wait('SET_DEST', since=m, dest=f'{B}:80', weight=21)
    mark, m = d.mark(), rec.mark()
    f2.write_text('1\n')        # weight 0: a non-zero value is a fault
    rec.wait('DEL_DEST', since=m, dest='192.0.2.3:80')
    d.wait_log(r'Removing service ' + rs_str('192.0.2.3', 80, 'tcp') + r' from VS ' +
               vs_str(80, 'tcp'), since=mark)
    m = rec.mark()
    f2.unlink()                 # a deleted file counts as 0
    rec.wait('NEW_DEST', since=m, dest='192.0.2.3:80', weight=1)


def test_file_check_track_file_must_come_first(tmp_path, binary):
    """keepalived 2.2.7 looks the track_file up when FILE_CHECK names it: a block that
    comes later (or none) is `not found`, then the FILE_CHECK has none; -t exits 5."""
    conf = write_conf(tmp_path, cl.conf(
        cl.vs(VIP, 80, cl.rs(B, 80, '        FILE_CHECK {\n            track_file LATE\n'
                             '        }\n')),
        f'track_file LATE {{\n    file {tmp_path}/late\n}}\n'))
    r = kalib.run_binary(binary, ['-t', '-f', str(conf)])
    assert r.returncode == 5, r
    out = r.stdout + r.stderr
    assert re.search(r'keepalived\.conf:11:24: error: track_file LATE not found$', out, re.M), out
    assert re.search(r'keepalived\.conf:10:9: error: FILE_CHECK has no track_file specified - '
                     r'ignoring$', out, re.M), out
