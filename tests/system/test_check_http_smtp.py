# SPDX-License-Identifier: GPL-2.0-or-later
"""HTTP_GET, SSL_GET and SMTP_CHECK end to end: scripted backends in a namespace
(checksrv.py) that answer well, go down, hang, answer wrongly and come back; keepalived
2.2.7's log lines (spec checker-ipvs.md 2.2, 2.3), the bytes the checker sends, and the
IPVS commands it decided (the recording backend: this kernel has no ip_vs).
"""
import hashlib
import re

import pytest

import checklib as cl
import checksrv
import httpsrv
import kalib

pytestmark = pytest.mark.ours_only     # the recording backend is ours (2.2.7 needs ip_vs)
topo, rec = cl.topo, cl.rec   # fixtures: a two-host topology, the IPVS record

B = '192.0.2.2'         # host b: the real servers
VIP = '10.0.0.1'
BOL = r'(?:^|: )'         # a line's start, after the log file's time stamp
DIGEST_OK = hashlib.md5(checksrv.BODY_OK).hexdigest()


def rs_str(port, addr=B):
    return re.escape(f'[{addr}]:tcp:{port}')


def write_conf(tmp_path, text):
    p = tmp_path / 'keepalived.conf'
    p.write_text(text)
    return p


def backend(topo, tmp_path, kind, port, mode='ok', cert=None):
    return checksrv.Backend(topo.host('b'), kind, B, port, tmp_path, mode, cert).start()


def url(path='/health', digest=None, extra=''):
    body = f'                path {path}\n'
    if digest:
        body += f'                digest {digest}\n'
    return f'            url {{\n{body}{extra}            }}\n'


def http_check(*urls, kind='HTTP_GET', retry=1, extra='', delay_loop=1, timeout=1):
    return (f'        {kind} {{\n            connect_timeout {timeout}\n'
            f'            delay_loop {delay_loop}\n            delay_before_retry 1\n'
            f'            retry {retry}\n{extra}{"".join(urls)}        }}\n')


def smtp_check(retry=1, extra=''):
    return (f'        SMTP_CHECK {{\n            connect_timeout 1\n            delay_loop 1\n'
            f'            delay_before_retry 1\n            retry {retry}\n{extra}        }}\n')


def test_http_up_down_back(topo, tmp_path, rec, start_daemon):
    """Up at start (the success line even so), the digest changes (retry 1: down after
    two failures), back: the failed URL passes, then all URLs from the first (two
    "MD5 digest success" lines, then "Remote Web server ... succeed"). The request's
    exact bytes (HTTP/1.0, no virtualhost: Host <ip>:<port>)."""
    srv = backend(topo, tmp_path, 'http', 8080)
    conf = write_conf(tmp_path, cl.conf(cl.vs(VIP, 80, cl.rs(
        B, 8080, http_check(url(digest=DIGEST_OK))))))
    d = start_daemon(conf)
    d.wait_log(r'Remote Web server ' + rs_str(8080) + r' succeed on service\.', timeout=10)
    rec.wait('NEW_DEST', dest=f'{B}:8080', weight=1)
    assert srv.requests()[0] == ('GET /health HTTP/1.0\r\nUser-Agent: KeepAliveClient\r\n'
                                 f'Host: {B}:8080\r\n\r\n')
    assert not d.search(r'MD5 digest success'), 'success line while up'
    mark, m = d.mark(), rec.mark()
    srv.set_mode('other')
    d.wait_log(r'HTTP_CHECK on service ' + rs_str(8080) + r' failed after 1 retries\.$',
               timeout=15, since=mark)
    d.wait_log(r'Removing service ' + rs_str(8080) + r' from VS ' + re.escape(f'[{VIP}]:tcp:80'),
               since=mark)
    rec.wait('DEL_DEST', since=m, dest=f'{B}:8080')
    assert not d.search(r'MD5 digest error to', since=mark), 'failure logged without log_all'
    mark, m = d.mark(), rec.mark()
    srv.set_mode('ok')
    d.wait_log(r'Remote Web server ' + rs_str(8080) + r' succeed on service\.', timeout=15,
               since=mark)
    text = d.text(mark)
    ok = re.findall(r'MD5 digest success to ' + rs_str(8080) + r' url\(/health\)', text)
    assert len(ok) == 2, f'{len(ok)} success lines before up, expected 2:\n{text}'
    rec.wait('NEW_DEST', since=m, dest=f'{B}:8080', weight=1)


@pytest.mark.parametrize('mode,reason', [
    ('status500', 'HTTP status code error to'),
    ('noreason', 'HTTP status code error to'),       # 2.2.7 fails "HTTP/1.1 200" (kept)
    ('other', 'MD5 digest error to'),
    ('close', 'Read, no data received from '),
    ('hang', 'Timeout WEB read'),
])
def test_http_wrong_answers(topo, tmp_path, rec, start_daemon, mode, reason):
    """Each wrong answer at start: with log_all_failures its line "<reason> server <rs>."
    (2.2.7's format, the double space of "no data received from " included), and, at
    cold start, down at the first failure with 2.2.7's "failed after 1 retries."."""
    backend(topo, tmp_path, 'http', 8081, mode)
    conf = write_conf(tmp_path, cl.conf(cl.vs(VIP, 80, cl.rs(
        B, 8081, http_check(url(digest=DIGEST_OK), extra='            log_all_failures\n')))))
    d = start_daemon(conf)
    d.wait_log(BOL + re.escape(reason) + r' server ' + rs_str(8081) + r'\.$', timeout=10)
    d.wait_log(r'HTTP_CHECK on service ' + rs_str(8081) + r' failed after 1 retries\.$',
               timeout=10)
    rec.wait('DEL_DEST', dest=f'{B}:8081')
    assert not d.search(r'Remote Web server'), 'succeeded'


def test_http_response_then_open(topo, tmp_path, rec, start_daemon):
    """A complete response on a connection the server keeps open passes once
    connect_timeout passes without more data (a deliberate difference: 2.2.7 fails it
    with "Timeout HTTP read")."""
    backend(topo, tmp_path, 'http', 8089, 'keepopen')
    conf = write_conf(tmp_path, cl.conf(cl.vs(VIP, 80, cl.rs(
        B, 8089, http_check(url(digest=DIGEST_OK), extra='            alpha\n')))))
    d = start_daemon(conf)
    d.wait_log(r'MD5 digest success to ' + rs_str(8089) + r' url\(/health\)', timeout=10)
    d.wait_log(r'Remote Web server ' + rs_str(8089) + r' succeed on service\.', timeout=10)
    rec.wait('NEW_DEST', dest=f'{B}:8089')


def test_http_refused_and_status_codes(topo, tmp_path, rec, start_daemon):
    """A refused connection ("Connection failed"), and status_code: a 500 the url
    accepts passes while 200 no longer does."""
    conf = write_conf(tmp_path, cl.conf(cl.vs(VIP, 80,
        cl.rs(B, 8082, http_check(url(), extra='            log_all_failures\n')),
        cl.rs(B, 8083, http_check(url(extra='                status_code 500-503\n'))))))
    srv = backend(topo, tmp_path, 'http', 8083, 'status500')
    d = start_daemon(conf)
    d.wait_log(BOL + r'Connection failed server ' + rs_str(8082) + r'\.$', timeout=10)
    d.wait_log(r'Remote Web server ' + rs_str(8083) + r' succeed on service\.', timeout=10)
    mark = d.mark()
    srv.set_mode('ok')
    d.wait_log(r'HTTP_CHECK on service ' + rs_str(8083) + r' failed after 1 retries\.$',
               timeout=15, since=mark)


def test_http_regex(topo, tmp_path, rec, start_daemon):
    """regex and regex_no_match on an alpha checker: the "Regex match success" line while
    down, then up; a body without the match fails with "Regex match failed"."""
    alpha = '            alpha\n            log_all_failures\n'
    conf = write_conf(tmp_path, cl.conf(cl.vs(VIP, 80,
        cl.rs(B, 8084, http_check(url('/', extra='                regex "status: +OK"\n'),
                                  extra=alpha)),
        cl.rs(B, 8085, http_check(url('/', extra='                regex "status: +OK"\n'
                                                  '                regex_no_match\n'),
                                  extra=alpha)))))
    srv = backend(topo, tmp_path, 'http', 8084)
    backend(topo, tmp_path, 'http', 8085)
    d = start_daemon(conf)
    d.wait_log(r'Regex match success to ' + rs_str(8084) + r' url\(/\)$', timeout=10)
    d.wait_log(r'Remote Web server ' + rs_str(8084) + r' succeed on service\.', timeout=10)
    rec.wait('NEW_DEST', dest=f'{B}:8084')
    d.wait_log(BOL + r'Regex match failed server ' + rs_str(8085) + r'\.$', timeout=10)
    assert not rec.find('NEW_DEST', dest=f'{B}:8085'), 'regex_no_match passed'
    mark, m = d.mark(), rec.mark()
    srv.set_mode('other')
    d.wait_log(BOL + r'Regex match failed server ' + rs_str(8084) + r'\.$', timeout=10, since=mark)
    rec.wait('DEL_DEST', since=m, dest=f'{B}:8084')


def test_http_content_length_mismatch(topo, tmp_path, rec, start_daemon):
    """Content-Length 10, 2 bytes: logged once per distinct difference, not a failure."""
    srv = backend(topo, tmp_path, 'http', 8086, 'short')
    conf = write_conf(tmp_path, cl.conf(cl.vs(VIP, 80, cl.rs(B, 8086, http_check(url('/a'))))))
    d = start_daemon(conf)
    line = (r'http_check for RS ' + rs_str(8086) + r' VS ' + re.escape(f'[{VIP}]:tcp:80') +
            r' url /a: content_length \(10\) does not match received bytes \(2\)$')
    d.wait_log(line, timeout=10)
    d.wait_log(r'Remote Web server ' + rs_str(8086) + r' succeed on service\.', timeout=10)
    n = len(srv.requests())
    kalib.wait_for(lambda: len(srv.requests()) >= n + 2, 10, 'two more checks')
    assert cl.count_lines(d, line) == 1
    assert not d.search(r'HTTP_CHECK on service'), 'a length mismatch failed the check'


def test_http_protocol_and_virtualhost(topo, tmp_path, rec, start_daemon):
    """http_protocol 1.1 and 1.0C send Connection: close; the url's virtualhost, else the
    checker's, else the real server's is the Host; several URLs: one per delay_loop."""
    srv = backend(topo, tmp_path, 'http', 8087)
    srv2 = backend(topo, tmp_path, 'http', 8088)
    conf = write_conf(tmp_path, cl.conf(cl.vs(VIP, 80,
        cl.rs(B, 8087, http_check(url('/one', extra='                virtualhost url.test\n'),
                                  url('/two'),
                                  extra='            http_protocol 1.1\n'
                                        '            virtualhost checker.test\n')),
        cl.rs(B, 8088, http_check(url('/'), extra='            http_protocol 1.0C\n'),
              extra='        virtualhost rs.test\n'))))
    d = start_daemon(conf)
    d.wait_log(r'Remote Web server ' + rs_str(8087) + r' succeed on service\.', timeout=10)
    kalib.wait_for(lambda: len(srv.requests()) >= 2 and srv2.requests(), 10, 'requests')
    assert srv.requests()[:2] == [
        'GET /one HTTP/1.1\r\nUser-Agent: KeepAliveClient\r\nConnection: close\r\n'
        'Host: url.test\r\n\r\n',
        'GET /two HTTP/1.1\r\nUser-Agent: KeepAliveClient\r\nConnection: close\r\n'
        'Host: checker.test\r\n\r\n']
    assert srv2.requests()[0] == ('GET / HTTP/1.0\r\nUser-Agent: KeepAliveClient\r\n'
                                  'Connection: close\r\nHost: rs.test\r\n\r\n')


def test_http_ipv6(topo, tmp_path, rec, start_daemon):
    """An IPv6 real server: Host is [addr]:port."""
    b6 = topo.addr6['b']
    srv = checksrv.Backend(topo.host('b'), 'http', b6, 8090, tmp_path).start()
    conf = write_conf(tmp_path, cl.conf(cl.vs('2001:db8::100', 80, cl.rs(
        b6, 8090, http_check(url(digest=DIGEST_OK))))))
    d = start_daemon(conf)
    d.wait_log(r'Remote Web server ' + rs_str(8090, b6) + r' succeed on service\.', timeout=10)
    assert srv.requests()[0] == ('GET /health HTTP/1.0\r\nUser-Agent: KeepAliveClient\r\n'
                                 f'Host: [{b6}]:8090\r\n\r\n')


def test_ssl_get_sni(topo, tmp_path, rec, start_daemon):
    """SSL_GET with enable_sni: the virtualhost is the server name; no certificate check
    (a self-signed one passes); down and up with 2.2.7's HTTP_CHECK lines."""
    cert = httpsrv.self_signed(tmp_path, cn='other.test')
    srv = backend(topo, tmp_path, 'https', 8443, cert=cert)
    plain = backend(topo, tmp_path, 'https', 8444, cert=cert)
    conf = write_conf(tmp_path, cl.conf(cl.vs(VIP, 443,
        cl.rs(B, 8443, http_check(url(digest=DIGEST_OK), kind='SSL_GET',
                                  extra='            enable_sni\n'
                                        '            virtualhost www.sni.test\n')),
        cl.rs(B, 8444, http_check(url(), kind='SSL_GET',
                                  extra='            virtualhost nosni.test\n')))))
    d = start_daemon(conf)
    d.wait_log(r'Remote Web server ' + rs_str(8443) + r' succeed on service\.', timeout=10)
    d.wait_log(r'Remote Web server ' + rs_str(8444) + r' succeed on service\.', timeout=10)
    assert srv.sni()[0] == 'www.sni.test'
    assert not plain.sni(), 'SNI sent without enable_sni'
    assert srv.requests()[0].endswith('Host: www.sni.test\r\n\r\n')
    mark, m = d.mark(), rec.mark()
    srv.set_mode('status500')
    d.wait_log(r'HTTP_CHECK on service ' + rs_str(8443) + r' failed after 1 retries\.$',
               timeout=15, since=mark)
    rec.wait('DEL_DEST', since=m, dest=f'{B}:8443')
    mark, m = d.mark(), rec.mark()
    srv.set_mode('ok')
    d.wait_log(r'MD5 digest success to ' + rs_str(8443) + r' url\(/health\)', timeout=15,
               since=mark)
    d.wait_log(r'Remote Web server ' + rs_str(8443) + r' succeed on service\.', timeout=15,
               since=mark)
    rec.wait('NEW_DEST', since=m, dest=f'{B}:8443')


def test_ssl_block(topo, tmp_path, rec, start_daemon):
    """The SSL block's certificate and key are the client's; without a block, none."""
    cert = httpsrv.self_signed(tmp_path, cn='client.test')
    srv = backend(topo, tmp_path, 'https', 8446, cert=cert)
    conf = write_conf(tmp_path, cl.conf(
        f'SSL {{\n    certificate {cert[1]}\n    key {cert[0]}\n}}\n',
        cl.vs(VIP, 443, cl.rs(B, 8446, http_check(url(), kind='SSL_GET')))))
    d = start_daemon(conf)
    d.wait_log(r'Remote Web server ' + rs_str(8446) + r' succeed on service\.', timeout=10)
    assert srv.peers()[0] == 'client.test'


def test_ssl_block_bad_file(topo, tmp_path, rec, start_daemon):
    """An SSL block whose certificate cannot be loaded: 2.2.7's lines (the password
    not shown)."""
    conf = write_conf(tmp_path, cl.conf(
        f'SSL {{\n    password secret\n    certificate {tmp_path}/missing.pem\n}}\n',
        cl.vs(VIP, 443, cl.rs(B, 8447, http_check(url(), kind='SSL_GET')))))
    d = start_daemon(conf)
    d.wait_log(r'SSL error : Cant load certificate file\.\.\.', timeout=10)
    d.wait_log(r'Error Initialize SSL, ctx Instance', timeout=10)
    d.wait_log(r'  SSL password:<hidden>', timeout=10)
    d.wait_log(r'Terminate\.\.\.', timeout=10)
    d.wait_log(r'exited with permanent error FATAL\. Terminating', timeout=10)   # as 2.2.7
    assert not d.search('secret')


def test_ssl_get_plain_backend(topo, tmp_path, rec, start_daemon):
    """SSL_GET against a plain HTTP server that talks first: the handshake fails."""
    backend(topo, tmp_path, 'http', 8445, 'garbage')
    conf = write_conf(tmp_path, cl.conf(cl.vs(VIP, 443, cl.rs(
        B, 8445, http_check(url(), kind='SSL_GET', extra='            log_all_failures\n')))))
    d = start_daemon(conf)
    d.wait_log(BOL + r'SSL handshake/communication error connecting to server ' + rs_str(8445) +
               r'\.$', timeout=10)
    d.wait_log(r'HTTP_CHECK on service ' + rs_str(8445) + r' failed after 1 retries\.$',
               timeout=10)


def test_smtp(topo, tmp_path, rec, start_daemon):
    """SMTP_CHECK: the dialogue (HELO <helo_name>, QUIT) on the real server's port;
    a multi-line banner and a bad HELO reply fail with their SMTP_CHECK lines; SMTP
    retries even at start (retry_it reset every cycle): the failure that uses up the
    retries is the one logged. A server that comes back is re-added."""
    ok = backend(topo, tmp_path, 'smtp', 2525)
    multi = backend(topo, tmp_path, 'smtp', 2526, 'multiline')
    backend(topo, tmp_path, 'smtp', 2527, 'badhelo')
    conf = write_conf(tmp_path, cl.conf(cl.vs(VIP, 25,
        cl.rs(B, 2525, smtp_check(extra='            helo_name probe.test\n')),
        cl.rs(B, 2526, smtp_check()),
        cl.rs(B, 2527, smtp_check(retry=2)))))
    d = start_daemon(conf)
    d.wait_log(r'Remote SMTP server ' + rs_str(2525) + r' succeed on service\.', timeout=10)
    assert ok.requests()[:2] == ['HELO probe.test\r\n', 'QUIT\r\n']
    d.wait_log(BOL + r'SMTP_CHECK Bad greeting banner from server ' + re.escape(f'[{B}]:2526') + '$',
               timeout=10)
    rec.wait('DEL_DEST', dest=f'{B}:2526')
    d.wait_log(BOL + r'SMTP_CHECK Bad HELO response from server ' + re.escape(f'[{B}]:2527') + '$',
               timeout=15)
    rec.wait('DEL_DEST', dest=f'{B}:2527')
    # retry 2: three attempts, one line
    assert len(backend_helos := [r for r in checksrv.Backend._lines(
        tmp_path / f'smtp-{B}-2527.req') if r.startswith('HELO')]) >= 3, backend_helos
    assert cl.count_lines(d, r'Bad HELO response from server') == 1
    assert not rec.find('DEL_DEST', dest=f'{B}:2525'), 'the good server removed'
    mark, m = d.mark(), rec.mark()
    multi.set_mode('ok')
    d.wait_log(r'Remote SMTP server ' + rs_str(2526) + r' succeed on service\.', timeout=10,
               since=mark)
    rec.wait('NEW_DEST', since=m, dest=f'{B}:2526')
    assert multi.requests()[-2:] == ['HELO smtpchecker.keepalived.org\r\n', 'QUIT\r\n']


def test_smtp_down_and_hang(topo, tmp_path, rec, start_daemon):
    """A server that stops ("Could not connect") and one that never greets ("Read
    timeout"), with log_all_failures every failed attempt while up."""
    srv = backend(topo, tmp_path, 'smtp', 2528)
    conf = write_conf(tmp_path, cl.conf(cl.vs(VIP, 25,
        cl.rs(B, 2528, smtp_check(extra='            log_all_failures\n')))))
    d = start_daemon(conf)
    d.wait_log(r'Remote SMTP server ' + rs_str(2528) + r' succeed on service\.', timeout=10)
    mark, m = d.mark(), rec.mark()
    srv.stop()
    d.wait_log(BOL + r'SMTP_CHECK Could not connect to server ' + re.escape(f'[{B}]:2528') + '$',
               timeout=10, since=mark)
    rec.wait('DEL_DEST', since=m, dest=f'{B}:2528')
    assert cl.count_lines(d, r'Could not connect to server', since=mark) == 2
    srv = backend(topo, tmp_path, 'smtp', 2528, 'hang')
    srv.stop()
    srv.set_mode('ok')
    srv.start()
    mark, m = d.mark(), rec.mark()
    d.wait_log(r'Remote SMTP server ' + rs_str(2528) + r' succeed on service\.', timeout=10,
               since=mark)
    rec.wait('NEW_DEST', since=m, dest=f'{B}:2528')
    mark, m = d.mark(), rec.mark()
    srv.set_mode('hang')
    d.wait_log(BOL + r'SMTP_CHECK Read timeout from server ' + re.escape(f'[{B}]:2528') + '$',
               timeout=10, since=mark)
    rec.wait('DEL_DEST', since=m, dest=f'{B}:2528')
