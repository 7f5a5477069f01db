# SPDX-License-Identifier: GPL-2.0-or-later
"""SMTP alerts from the checker (spec 5): one connection per alert, keepalived 2.2.7's
dialogue and headers (checked byte for byte against Debian's keepalived 2.2.7 with a VRRP
alert: the same transport), its subjects and bodies, and its log lines (with -D only).
"""
import re
import subprocess
from pathlib import Path

import pytest

import checklib as cl
import kalib

pytestmark = pytest.mark.ours_only     # the recording backend is ours (2.2.7 needs ip_vs)
topo, rec = cl.topo, cl.rec   # fixtures: a two-host topology, the IPVS record

B = '192.0.2.2'
VIP = '10.0.0.1'
HERE = Path(__file__).resolve().parent


class Sink:
    """smtpsink.py on host b, port 2525."""

    def __init__(self, topo, tmp_path, reject=None):
        self.dir = Path(tmp_path) / 'mails'
        self.dir.mkdir()
        ready = Path(tmp_path) / 'sink.ready'
        self.proc = subprocess.Popen(
            ['ip', 'netns', 'exec', topo.host('b'), '/usr/bin/python3',
             str(HERE / 'smtpsink.py'), B, '2525', str(self.dir), str(ready),
             *([reject] if reject else [])],
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
        return [p.read_bytes() for p in sorted(self.dir.glob('mail-*.txt'))]

    def wait(self, n, timeout=15):
        kalib.wait_for(lambda: len(self.mails()) >= n, timeout, f'{n} mail(s)')
        return self.mails()


GLOBAL = ('    notification_email {\n        ops@example.com\n        oncall@example.com\n    }\n'
          '    notification_email_from ka@example.com\n'
          f'    smtp_server {B} 2525\n    smtp_connect_timeout 5\n    smtp_helo_name lb1.example.com\n')

DATE = rb'Date: [A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d [+-]\d{4}\r\n'


def dialogue(subject, body):
    """keepalived 2.2.7's bytes (core/smtp.c, checked against Debian's binary)."""
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


def test_rs_down_and_up_mails(topo, tmp_path, rec, start_daemon):
    """A TCP real server refused, then back: two mails, one connection each, with 2.2.7's
    subjects and bodies; `Remote SMTP server [..]:2525 connected.` and `SMTP alert
    successfully sent.` with -D."""
    sink = Sink(topo, tmp_path)
    srv = cl.TcpListener(topo.host('b'), B, 8080, tmp_path).start()
    conf = tmp_path / 'keepalived.conf'
    conf.write_text(cl.conf(cl.vs(VIP, 80, cl.rs(B, 8080, cl.tcp_check(retry=0))),
                            global_defs=GLOBAL))
    d = start_daemon(conf, args=('-D',))
    d.wait_log(r'TCP connection to \[192\.0\.2\.2\]:tcp:8080 success\.', timeout=10)
    srv.stop()
    mails = sink.wait(1)
    rs = f'[{B}]:tcp:8080'
    vs = f'[{VIP}]:tcp:80'
    assert dialogue(f'[kt_check] Realserver {rs} of virtual server {vs} - DOWN',
                    '=> TCP CHECK failed on service <=').match(mails[0]), mails[0]
    d.wait_log(r'Remote SMTP server \[192\.0\.2\.2\]:2525 connected\.$')
    d.wait_log(r'SMTP alert successfully sent\.$')
    srv.start()
    mails = sink.wait(2)
    assert dialogue(f'[kt_check] Realserver {rs} of virtual server {vs} - UP',
                    '=> TCP CHECK succeed on service <=').match(mails[1]), mails[1]


def test_dns_alert_body(topo, tmp_path, rec, start_daemon):
    """DNS_CHECK's own body (`=> DNS_CHECK: failed on service <=`)."""
    sink = Sink(topo, tmp_path)
    conf = tmp_path / 'keepalived.conf'
    conf.write_text(cl.conf(
        cl.vs(VIP, 53, cl.rs(B, 53, '        DNS_CHECK {\n            connect_timeout 1\n'
                             '            delay_loop 1\n        }\n'), proto='UDP'),
        global_defs=GLOBAL))
    start_daemon(conf)
    mails = sink.wait(1)
    assert dialogue(f'[kt_check] Realserver [{B}]:udp:53 of virtual server [{VIP}]:udp:53 - '
                    'DOWN', '=> DNS_CHECK: failed on service <=').match(mails[0]), mails[0]
    assert len(sink.mails()) == 1


def test_smtp_server_down(topo, tmp_path, rec, start_daemon):
    """Nobody listens on the SMTP port: 2.2.7's `SMTP connection ERROR to [..]:2525.`"""
    conf = tmp_path / 'keepalived.conf'
    conf.write_text(cl.conf(cl.vs(VIP, 80, cl.rs(B, 8081, cl.tcp_check(retry=0))),
                            global_defs=GLOBAL))
    d = start_daemon(conf)
    d.wait_log(r'SMTP connection ERROR to \[192\.0\.2\.2\]:2525\.$', timeout=15)


def test_smtp_reply_error(topo, tmp_path, rec, start_daemon):
    """A refused recipient: 2.2.7's `Error processing RCPT cmd on SMTP server [..]:2525.
    SMTP status code = 550`, then QUIT (nothing more is sent)."""
    sink = Sink(topo, tmp_path, reject='RCPT')
    conf = tmp_path / 'keepalived.conf'
    conf.write_text(cl.conf(cl.vs(VIP, 80, cl.rs(B, 8081, cl.tcp_check(retry=0))),
                            global_defs=GLOBAL))
    d = start_daemon(conf)
    d.wait_log(r'Error processing RCPT cmd on SMTP server \[192\.0\.2\.2\]:2525\. SMTP status '
               r'code = 550$', timeout=15)
    mails = sink.wait(1)
    assert mails[0] == (b'HELO lb1.example.com\r\nMAIL FROM:<ka@example.com>\r\n'
                        b'RCPT TO:<ops@example.com>\r\nQUIT\r\n'), mails[0]
