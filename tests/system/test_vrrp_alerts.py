# SPDX-License-Identifier: GPL-2.0-or-later
"""SMTP alerts of VRRP instances (spec vrrp-advanced.md 3): when a mail goes, its dialogue,
headers, subject and body byte for byte as Debian's keepalived 2.2.7 sends them (Date
aside). Host a runs the daemon, host b (192.0.2.2) the SMTP sink (smtpsink.py, port 2525).
Every test passes against 2.2.7 (KA_REFERENCE=/usr/sbin/keepalived) except the
`ours_only` ones: 2.2.7 exits before its STOP mails are sent.
"""
import re
import subprocess
import time
from pathlib import Path

import pytest

import kalib
from kalib import holds_for

B = '192.0.2.2'
HERE = Path(__file__).resolve().parent


@pytest.fixture
def topo():
    t = kalib.Topology(('a', 'b'))
    yield t
    t.destroy()


class Sink:
    """smtpsink.py on host b: each connection's bytes in mails/mail-N.txt."""

    def __init__(self, topo, tmp_path):
        self.dir = Path(tmp_path) / 'mails'
        self.dir.mkdir()
        ready = Path(tmp_path) / 'sink.ready'
        self.proc = subprocess.Popen(
            ['ip', 'netns', 'exec', topo.host('b'), '/usr/bin/python3',
             str(HERE / 'smtpsink.py'), B, '2525', str(self.dir), str(ready)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True)
        kalib.CLEANUP.add(self.kill)
        kalib.wait_for(lambda: ready.exists() or self.proc.poll() is not None, 5, 'SMTP sink')
        assert self.proc.poll() is None

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()

    def mails(self):
        return [p.read_bytes() for p in self.dir.glob('mail-*.txt')]

    def wait(self, n, timeout=15):
        kalib.wait_for(lambda: len(self.mails()) >= n, timeout, f'{n} mail(s)')
        return self.mails()


GLOBAL = ('    notification_email {\n        ops@example.com\n        oncall@example.com\n    }\n'
          '    notification_email_from ka@example.com\n'
          f'    smtp_server {B} 2525\n    smtp_connect_timeout 5\n'
          '    smtp_helo_name lb1.example.com\n')

DATE = rb'Date: [A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d [+-]\d{4}\r\n'


def mail_re(subject, body):
    """2.2.7's bytes for one alert (checked against Debian's binary)."""
    return re.compile(
        rb'HELO lb1\.example\.com\r\n'
        rb'MAIL FROM:<ka@example\.com>\r\n'
        rb'RCPT TO:<ops@example\.com>\r\n'
        rb'RCPT TO:<oncall@example\.com>\r\n'
        rb'DATA\r\n' + DATE +
        rb'From: ka@example\.com\r\n'
        rb'Subject: ' + re.escape(subject.encode()) + rb'\r\n'
        rb'X-Mailer: Keepalived\r\n'
        rb'To: ops@example\.com, oncall@example\.com\r\n'
        rb'\r\n' + re.escape(body.encode()) + rb'\r\n'
        rb'\r\n\.\r\n'
        rb'QUIT\r\n\Z')


MASTER = ('Entering MASTER state', '=> VRRP Instance is now owning VRRP VIPs <=')
BACKUP = ('Entering BACKUP state', '=> VRRP Instance is no longer owning VRRP VIPs <=')
FAULT = ('Entering FAULT state', '=> VRRP Instance is no longer owning VRRP VIPs <=')
STOP = ('Stopping', '=> VRRP Instance stopping <=')


def expect(mails, *want):
    """mails (in any order: they go concurrently) are exactly want's (name, (what, body));
    a name `Group G` is a sync group's."""
    left = list(mails)
    for name, (what, body) in want:
        obj = name if name.startswith('Group ') else f'Instance {name}'
        r = mail_re(f'[kt_alert] VRRP {obj} - {what}', body)
        hit = [m for m in left if r.match(m)]
        assert hit, f'no mail {name} - {what} in {mails}'
        left.remove(hit[0])
    assert not left, f'unexpected mail(s): {left}'


def instance(name='VI_1', vrid=51, ifname='eth0', prio=200, extra=''):
    return f'''
vrrp_instance {name} {{
    state BACKUP
    interface {ifname}
    virtual_router_id {vrid}
    priority {prio}
    advert_int 0.1
    version 3
{extra}
    virtual_ipaddress {{
        192.0.2.{vrid + 49}/24
    }}
}}
'''


def config(global_extra, *blocks):
    return f'''global_defs {{
    router_id kt_alert
{GLOBAL}{global_extra}
}}
''' + ''.join(blocks)


def test_instance_mails(topo, tmp_path, start_daemon):
    """smtp_alert in the instance: the initial BACKUP is mailed, then MASTER, with
    2.2.7's subjects `[kt_alert] VRRP Instance VI_1 - Entering MASTER state` and bodies,
    one connection each."""
    sink = Sink(topo, tmp_path)
    conf = tmp_path / 'keepalived.conf'
    conf.write_text(config('', instance(extra='    smtp_alert')))
    d = start_daemon(conf)
    d.wait_log(r'\(VI_1\) Entering MASTER STATE', timeout=10)
    expect(sink.wait(2), ('VI_1', BACKUP), ('VI_1', MASTER))
    holds_for(lambda: len(sink.mails()) == 2, 0.5)


@pytest.mark.ours_only  # 2.2.7 exits before its STOP mails get further than the banner
def test_stop_mail_delivered(topo, tmp_path, start_daemon):
    """The stop waits for its mails: `[kt_alert] VRRP Instance VI_1 - Stopping` with
    `=> VRRP Instance stopping <=` reaches the server before the daemon exits."""
    sink = Sink(topo, tmp_path)
    conf = tmp_path / 'keepalived.conf'
    conf.write_text(config('', instance(extra='    smtp_alert')))
    d = start_daemon(conf)
    d.wait_log(r'\(VI_1\) Entering MASTER STATE', timeout=10)
    sink.wait(2)
    d.stop()
    expect(sink.wait(3), ('VI_1', BACKUP), ('VI_1', MASTER), ('VI_1', STOP))


def test_smtp_alert_vrrp_and_no_email_faults(topo, tmp_path, start_daemon):
    """smtp_alert_vrrp turns mails on for every instance; an instance's own
    `smtp_alert false` wins; no_email_faults leaves out VI_2's FAULT (its interface is
    down)."""
    topo.add_link('a', 'eth1', up=False)
    sink = Sink(topo, tmp_path)
    conf = tmp_path / 'keepalived.conf'
    conf.write_text(config('    smtp_alert_vrrp\n    no_email_faults\n',
                           instance(),
                           instance('VI_2', 52, 'eth1', prio=100),
                           instance('VI_3', 53, prio=150, extra='    smtp_alert false')))
    d = start_daemon(conf)
    d.wait_log(r'\(VI_1\) Entering MASTER STATE', timeout=10)
    d.wait_log(r'\(VI_3\) Entering MASTER STATE', timeout=10)
    expect(sink.wait(2), ('VI_1', BACKUP), ('VI_1', MASTER))
    holds_for(lambda: len(sink.mails()) == 2, 1)


def test_fault_mail(topo, tmp_path, start_daemon):
    """Without no_email_faults a FAULT is mailed (global smtp_alert): the link's carrier
    goes, `[kt_alert] VRRP Instance VI_1 - Entering FAULT state`."""
    sink = Sink(topo, tmp_path)
    conf = tmp_path / 'keepalived.conf'
    conf.write_text(config('    smtp_alert\n', instance()))
    d = start_daemon(conf)
    d.wait_log(r'\(VI_1\) Entering MASTER STATE', timeout=10)
    sink.wait(2)
    topo.cut('a')
    d.wait_log(r'\(VI_1\) Entering FAULT STATE', timeout=10)
    mark = d.mark()
    topo.plug('a')      # the sink is reached through the same link: the mail goes now
    d.wait_log(r'\(VI_1\) Entering MASTER STATE', timeout=10, since=mark)
    expect(sink.wait(5), ('VI_1', BACKUP), ('VI_1', MASTER), ('VI_1', FAULT),
           ('VI_1', BACKUP), ('VI_1', MASTER))


def test_no_smtp_alert_no_mail(topo, tmp_path, start_daemon):
    """notification_email and smtp_server alone send no VRRP mail (2.2.7: an instance
    mails only with smtp_alert, smtp_alert_vrrp or its own smtp_alert)."""
    sink = Sink(topo, tmp_path)
    conf = tmp_path / 'keepalived.conf'
    conf.write_text(config('', instance()))
    d = start_daemon(conf)
    d.wait_log(r'\(VI_1\) Entering MASTER STATE', timeout=10)
    holds_for(lambda: not sink.mails(), 1)


def test_sync_group_mails(topo, tmp_path, start_daemon):
    """A sync group's own smtp_alert: `[kt_alert] VRRP Group G1 - Entering BACKUP state`
    with `=> All VRRP group instances are now in BACKUP state <=`, then MASTER; its
    members (no smtp_alert of their own) send none."""
    sink = Sink(topo, tmp_path)
    conf = tmp_path / 'keepalived.conf'
    group = ('vrrp_sync_group G1 {\n    group {\n        VI_1\n        VI_2\n    }\n'
             '    smtp_alert\n}\n')
    conf.write_text(config('', instance(), instance('VI_2', 52), group))
    d = start_daemon(conf)
    d.wait_log(r'\(VI_2\) Entering MASTER STATE', timeout=10)
    g = '=> All VRRP group instances are now in {} state <='
    expect(sink.wait(2), ('Group G1', ('Entering BACKUP state', g.format('BACKUP'))),
           ('Group G1', ('Entering MASTER state', g.format('MASTER'))))
    holds_for(lambda: len(sink.mails()) == 2, 0.5)


@pytest.mark.ours_only  # 2.2.7 sends RCPT TO:<Second Person <two@example.com>> (fixed in 2.3.0)
def test_display_name_recipient(topo, tmp_path, start_daemon):
    """A recipient written "Second Person <two@example.com>": RCPT TO gets the address,
    the To: header the whole entry."""
    sink = Sink(topo, tmp_path)
    conf = tmp_path / 'keepalived.conf'
    conf.write_text(config('', instance(extra='    smtp_alert')).replace(
        '        oncall@example.com\n', '        "Second Person <two@example.com>"\n'))
    d = start_daemon(conf)
    d.wait_log(r'\(VI_1\) Entering MASTER STATE', timeout=10)
    mail = sink.wait(1)[0]
    assert b'RCPT TO:<ops@example.com>\r\nRCPT TO:<two@example.com>\r\n' in mail, mail
    assert b'\r\nTo: ops@example.com, Second Person <two@example.com>\r\n' in mail, mail


@pytest.mark.ours_only  # 2.2.7's VRRP child logs `smtp fd 14 returned write error`
def test_smtp_server_refuses(topo, tmp_path, start_daemon):
    """Nobody listens: the checker's line, `SMTP connection ERROR to [192.0.2.2]:2525.`,
    once per mail (BACKUP, MASTER), no retry."""
    conf = tmp_path / 'keepalived.conf'
    conf.write_text(config('', instance(extra='    smtp_alert')))
    d = start_daemon(conf)
    d.wait_log(r'\(VI_1\) Entering MASTER STATE', timeout=10)
    d.wait_log(r'SMTP connection ERROR to \[192\.0\.2\.2\]:2525\.$', timeout=10)
    holds_for(lambda: len(re.findall(r'SMTP connection ERROR', d.text())) <= 2, 1)


@pytest.mark.ours_only  # 2.2.7 does not wait for its STOP mails at all
def test_stop_waits_at_most_3s_for_mails(topo, tmp_path, start_daemon):
    """A server that never answers: the stop waits 3 s for the STOP mail, says so
    (`Stopping without waiting for 1 SMTP alert(s) still being sent`) and ends."""
    conf = tmp_path / 'keepalived.conf'
    conf.write_text(config('', instance(extra='    smtp_alert')).replace(
        'smtp_connect_timeout 5', 'smtp_connect_timeout 30'))
    # b's port 2525 drops everything: connects hang
    kalib.sh('ip', 'netns', 'exec', topo.host('b'), 'nft', '-f', '-', input=(
        'table inet kt_drop { chain in { type filter hook input priority 0; '
        'tcp dport 2525 drop; }; }'))
    d = start_daemon(conf)
    d.wait_log(r'\(VI_1\) Entering MASTER STATE', timeout=10)
    t0 = time.monotonic()
    d.stop(timeout=10)
    took = time.monotonic() - t0
    assert 2.5 < took < 6, took
    assert d.search(r'Stopping without waiting for [0-9]+ SMTP alert\(s\) still being sent$')


def test_fault_at_start(topo, tmp_path, start_daemon):
    """An instance whose interface is down at start mails its FAULT, as 2.2.7 does;
    the other one its BACKUP and MASTER."""
    topo.add_link('a', 'eth1', up=False)
    sink = Sink(topo, tmp_path)
    conf = tmp_path / 'keepalived.conf'
    conf.write_text(config('', instance('VI_2', 52, 'eth1', prio=100, extra='    smtp_alert'),
                           instance(extra='    smtp_alert')))
    d = start_daemon(conf)
    d.wait_log(r'\(VI_1\) Entering MASTER STATE', timeout=10)
    expect(sink.wait(3), ('VI_2', FAULT), ('VI_1', BACKUP), ('VI_1', MASTER))
    holds_for(lambda: len(sink.mails()) == 3, 0.5)


def test_deleted_at_reload(topo, tmp_path, start_daemon):
    """Instances a reload removes: VI_2 (notify_deleted) mails `... VI_2 - Deleted` with
    `=> VRRP Deleted at reload <=`, VI_3 (without) `... VI_3 - Entering FAULT state`."""
    import signal
    sink = Sink(topo, tmp_path)
    conf = tmp_path / 'keepalived.conf'
    keep = instance(extra='    smtp_alert')
    vi2 = instance('VI_2', 52, extra='    smtp_alert\n    notify_deleted')
    vi3 = instance('VI_3', 53, extra='    smtp_alert')
    conf.write_text(config('', keep, vi2, vi3))
    d = start_daemon(conf)
    for vi in ('VI_1', 'VI_2', 'VI_3'):
        d.wait_log(rf'\({vi}\) Entering MASTER STATE', timeout=10)
    sink.wait(6)
    conf.write_text(config('', keep))
    d.signal(signal.SIGHUP)
    mails = sink.wait(8)
    expect(mails, *[(vi, s) for vi in ('VI_1', 'VI_2', 'VI_3') for s in (BACKUP, MASTER)],
           ('VI_2', ('Deleted', '=> VRRP Deleted at reload <=')), ('VI_3', FAULT))
