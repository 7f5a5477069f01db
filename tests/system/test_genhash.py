# SPDX-License-Identifier: GPL-2.0-or-later
"""genhash against Debian's genhash (keepalived 2.2.7): same servers, same options, same output.

Every server is ours, on 127.0.0.1 or ::1 with an ephemeral port. Each binary gets
a fresh server; stdout, stderr (the usecs figure masked, the program path named
PROG) and the exit status must be identical, and so must the request bytes.
Tests marked ours_only assert our behaviour where the reference's is a bug.
"""
import hashlib
import os
import re
import signal
import socket
import subprocess
from pathlib import Path

import pytest

import httpsrv
from httpsrv import Script, ScriptServer, chunked, response
from kalib import wait_for

REPO = Path(__file__).resolve().parents[2]
GENHASH = os.environ.get('GENHASH') or str(REPO / 'build' / 'genhash' / 'genhash')
KEEPALIVED = os.environ.get('KEEPALIVED') or str(REPO / 'build' / 'keepalived' / 'keepalived')
REF = '/usr/bin/genhash'
REF_KA = '/usr/sbin/keepalived'

need_ref = pytest.mark.skipif(not os.access(REF, os.X_OK), reason=f'no {REF} to compare with')
need_ours = pytest.mark.skipif(not os.access(GENHASH, os.X_OK), reason=f'no {GENHASH}: set GENHASH')

USECS = re.compile(rb'= \d+ usecs')


class Out:
    def __init__(self, rc, stdout, stderr):
        self.rc, self.stdout, self.stderr = rc, stdout, stderr

    def __eq__(self, other):
        return (self.rc, self.stdout, self.stderr) == (other.rc, other.stdout, other.stderr)

    def __repr__(self):
        return f'Out(rc={self.rc}, stdout={self.stdout!r}, stderr={self.stderr!r})'


def run(binary, args, timeout=30):
    p = subprocess.run([binary] + list(args), capture_output=True, timeout=timeout)
    mask = lambda b: USECS.sub(b'= N usecs', b).replace(binary.encode(), b'PROG')
    return Out(p.returncode, mask(p.stdout), mask(p.stderr))


def digest(body):
    return hashlib.md5(body).hexdigest().encode()


def fill(args, srv):
    return [a.format(port=srv.port, host=srv.host) for a in args]


def compare(args, make_server=None, timeout=30):
    """Run the reference, then ours, each against a fresh server; assert equal output.

    Returns [(Out, server)] for the reference and ours."""
    got = []
    for b in (REF, GENHASH):
        srv = make_server() if make_server else None
        try:
            out = run(b, fill(args, srv) if srv else args, timeout)
        finally:
            if srv:
                srv.stop()
        got.append((out, srv))
    (ref, _), (ours, _) = got
    assert ours == ref
    return got


def requests(srv):
    """What the server got, its own port (different for each run) masked."""
    return [r.replace(b':%d\r\n' % srv.port, b':PORT\r\n') for r in srv.requests]


def scripted(*steps, close='notify', **kw):
    return lambda: ScriptServer(Script(*steps, close=close), **kw)


pytestmark = [need_ours]
BASE = ['-s', '{host}', '-p', '{port}', '-u', '/index.html']
V = [[], ['-v']]
VID = ['plain', 'verbose']


# --- command line ---------------------------------------------------------

CLI = [
    [], ['-h'], ['--help'], ['-x'], ['-s'], ['-v'], ['--bogus'], [''],
    ['-s', '127.0.0.1', '-p', '80'], ['-s', '127.0.0.1', '-u', '/'], ['-p', '80', '-u', '/'],
    ['-s', '127.0.0.1', '-p', '1', '-u', '/', 'extra', 'more'],
    ['a', '-s', '127.0.0.1', '-p', '1', '-u', '/'],
    ['-s', '127.0.0.1', '-p', '1', '-u', '/', '--', '-x'],
    ['-s', '127.0.0.1', '-p', 'abc', '-u', '/'], ['-s', '127.0.0.1', '-p', '0', '-u', '/'],
    ['-s', '127.0.0.1', '-p', '65536', '-u', '/'], ['-s', '127.0.0.1', '-p', '', '-u', '/'],
    ['-s', '127.0.0.1', '-p', '-1', '-u', '/'], ['-s', '127.0.0.1', '-p', '1 ', '-u', '/'],
    ['-s', '127.0.0.1', '-p', '1', '-u', '/', '-P', '2.0'],
    ['-s', '127.0.0.1', '-p', '1', '-u', '/', '-P', '1.1c'],
    ['-s', '127.0.0.1', '-p', '1', '-u', '/', '-t', 'abc'],
    ['-s', '127.0.0.1', '-p', '1', '-u', '/', '-t', '-0'],
    ['-s', '127.0.0.1', '-p', '1', '-u', '/', '-t', '1.5'],
    ['-s', '127.0.0.1', '-p', '1', '-u', '/', '-m', '0x10'],
    ['-s', '127.0.0.1', '-p', '1', '-u', '/', '-m', '-1'],
    ['-s', '127.0.0.1', '-p', '1', '-u', '/', '-u'],
    ['-s', '127.0.0.1', '-p', '1', '-u', '/', '-V'],
    ['-v', '-s'], ['-vs'], ['-x', '-s', '1.1.1.1'], ['-vx', '-s', '1.1.1.1'], ['-xv', '-s', '1'],
    ['-x', '-x', '-s', '127.0.0.1', '-p', '1', '-u', '/'],
    ['-s', '127.0.0.1', '-p', '1', '-u', '/', '-h', '-x'],
    ['-s', '127.0.0.1', '-p', '1', '-u', '/', '-v', '-xs'],
    ['--use', '127.0.0.1'], ['--use=foo', '-s', '1'], ['--verbose=1', '-s', '1'],
    ['a', '--bogus', '-s', '127.0.0.1'], ['a', '-x', '-s', '127.0.0.1'], ['a', '--url'],
    ['-s', '127.0.0.1', 'a', '--port'],
    ['-s', '1', '-p', 'abc', '-u', '/'], ['-p', 'abc', '-s', '1', '-u', '/'],
    ['-x', 'a', '-s', '127.0.0.1', '-p', '1', '-u', '/'],
]


@need_ref
@pytest.mark.parametrize('args', CLI, ids=[' '.join(a) or '(none)' for a in CLI])
def test_cli(args):
    (ref, _), _ = compare(args)
    assert ref.rc == 1 and b'Usage: PROG COMMAND [OPTIONS]\n' in ref.stderr


# Malformed or unusable -s values: keepalived's address syntax, no name lookups.
ADDRS = ['1.2.3', '127.1', 'localhost', 'foo.invalid', '[::1]', '', 'fe80::1%lo', '127.0.0.01',
         '::1/-1', '127.0.0.1/8-', '1-2', ' 127.0.0.1', '127.0.0.1 ', '::1x']


@need_ref
@pytest.mark.parametrize('addr', ADDRS)
def test_malformed_address(addr):
    (ref, _), _ = compare(['-s', addr, '-p', '80', '-u', '/'])
    assert ref.rc == 1 and ref.stderr.startswith(b'server should be an IP, not ')


# Accepted forms: a prefix length or a range end is ignored.
@need_ref
@pytest.mark.parametrize('addr', ['127.0.0.1/8', '127.0.0.1-5', '::1/128', '::ffff:127.0.0.1',
                                  '0::0:1', '127.0.0.1/x'])
@pytest.mark.parametrize('verbose', V, ids=VID)
def test_address_forms(addr, verbose):
    fam = socket.AF_INET6 if ':' in addr and not addr.startswith('::ffff') else socket.AF_INET
    got = compare(['-s', addr, '-p', '{port}', '-u', '/'] + verbose,
                  scripted(response(b'ok\n'), family=fam))
    (ref, rs), (_, os_) = got
    assert digest(b'ok\n') + b'\n' in ref.stdout
    assert requests(rs) == requests(os_)


# --- keepalived -T --------------------------------------------------------

KA_CASES = [
    ['-T'], ['-T', '-h'], ['--genhash', '-h'], ['-T', '-s'], ['-T', '-x'], ['-Ts'], ['-Tvs'],
    ['-T', '-T'], ['-TT', '-s', '127.0.0.1'], ['-T', '--genhash', '-s', '127.0.0.1'],
    ['-T', '-s', '127.0.0.1', '-p', '1', '-u', '/', 'x'],
]


@pytest.mark.skipif(not os.access(KEEPALIVED, os.X_OK), reason=f'no {KEEPALIVED}')
@pytest.mark.skipif(not os.access(REF_KA, os.X_OK), reason=f'no {REF_KA}')
@pytest.mark.parametrize('args', KA_CASES, ids=[' '.join(a) for a in KA_CASES])
def test_keepalived_T_cli(args):
    assert run(KEEPALIVED, args) == run(REF_KA, args)


@pytest.mark.skipif(not os.access(KEEPALIVED, os.X_OK), reason=f'no {KEEPALIVED}')
@pytest.mark.parametrize('first', [['-T'], ['--genhash'], ['-Tv']], ids=['-T', '--genhash', '-Tv'])
def test_keepalived_T_fetch(first):
    """keepalived -T prints what genhash prints, and what Debian's keepalived -T prints."""
    body = b'<html>keepalived -T</html>\n'
    args = ['-s', '{host}', '-p', '{port}', '-u', '/', '-v']
    outs = []
    for b in (KEEPALIVED, GENHASH) + ((REF_KA,) if os.access(REF_KA, os.X_OK) else ()):
        srv = ScriptServer(Script(response(body)))
        try:
            outs.append(run(b, (first if b != GENHASH else []) + fill(args, srv)))
        finally:
            srv.stop()
    assert outs[0] == outs[1]
    assert b'\n' + digest(body) + b'\n' in outs[0].stdout
    if len(outs) > 2:
        assert outs[0] == outs[2]


# --- the request ------------------------------------------------------------

REQ = [[], ['-P', '1.0'], ['-P', '1.0c'], ['-P', '1.0C'], ['-P', '1.1'], ['-V', 'www.example.com'],
       ['-V', 'www.example.com', '-P', '1.1'], ['-V', ''], ['-V', 'a', '-V', 'b'],
       ['-u', '/x?y=1&z=%20'], ['-u', '']]


@need_ref
@pytest.mark.parametrize('family', [socket.AF_INET, socket.AF_INET6], ids=['ipv4', 'ipv6'])
@pytest.mark.parametrize('opts', REQ, ids=[' '.join(o) or 'default' for o in REQ])
def test_request_bytes(opts, family):
    args = ['-s', '{host}', '-p', '{port}', '-u', '/'] + opts
    (ref, rs), (_, os_) = compare(args, scripted(response(b'x'), family=family))
    assert requests(rs) == requests(os_) and len(rs.requests) == 1
    assert rs.requests[0].startswith(b'GET ') and b'User-Agent: KeepAliveClient\r\n' in rs.requests[0]


# --- responses --------------------------------------------------------------

@pytest.fixture
def docroot(tmp_path):
    (tmp_path / 'index.html').write_bytes(b'<html><body>hello world</body></html>\n')
    (tmp_path / 'all.bin').write_bytes(bytes(range(256)) * 3)
    return tmp_path


@need_ref
@pytest.mark.parametrize('verbose', V, ids=VID)
@pytest.mark.parametrize('path', ['/index.html', '/all.bin', '/missing'])
def test_http_server_content_length(docroot, path, verbose):
    """Python's http.server (HTTP/1.0, Content-Length; 404 for /missing)."""
    args = ['-s', '{host}', '-p', '{port}', '-u', path] + verbose
    (ref, _), _ = compare(args, lambda: httpsrv.FileServer(docroot))
    if path != '/missing':
        assert digest((docroot / path[1:]).read_bytes()) in ref.stdout


@need_ref
@pytest.mark.parametrize('proto', ['1.1', '1.0c', '1.0'])
@pytest.mark.parametrize('verbose', V, ids=VID)
def test_http11_keepalive_server(docroot, proto, verbose):
    """An HTTP/1.1 keep-alive server (it closes on Connection: close or an HTTP/1.0 request)."""
    args = ['-s', '{host}', '-p', '{port}', '-u', '/index.html', '-P', proto, '-t', '5'] + verbose
    (ref, _), _ = compare(args, lambda: httpsrv.FileServer(docroot, protocol='HTTP/1.1'))
    assert digest((docroot / 'index.html').read_bytes()) in ref.stdout


@need_ref
@pytest.mark.parametrize('family', [socket.AF_INET, socket.AF_INET6], ids=['ipv4', 'ipv6'])
def test_http_server_ipv6(docroot, family):
    compare(BASE + ['-v'], lambda: httpsrv.FileServer(docroot, family=family))


BODY = b'The quick brown fox jumps over the lazy dog\n' * 20

RESPONSES = {
    'content-length': [response(BODY)],
    'close-delimited': [response(BODY, length=False)],
    'chunked': [response(chunked(BODY, 100), length=False, version='HTTP/1.1',
                         headers=['Transfer-Encoding: chunked'])],
    'chunked-slow': [response(b'', length=False, version='HTTP/1.1',
                              headers=['Transfer-Encoding: chunked']),
                     0.2, b'5\r\nhello\r\n', 0.2, b'6\r\n world\r\n', 0.2, b'0\r\n\r\n'],
    'non-200': [response(b'<h1>Internal error</h1>\n', status='500 Internal Server Error')],
    '404-close-delimited': [response(b'gone\n', status='404 Not Found', length=False)],
    'empty-body': [response(b'')],
    'head-only-close': [b'HTTP/1.0 200 OK\r\nServer: x\r\n\r\n'],
    'longer-than-length': [b'HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\nabcdef'],
    'truncated-body': [b'HTTP/1.0 200 OK\r\nContent-Length: 100\r\n\r\nonly this'],
    'slow-head': [b'HTTP/1.0 200 OK\r\n', 0.2, b'Content-Length: 5\r\n\r', 0.2, b'\nab', 0.2,
                  b'cd', 0.2, b'e'],
    'head-then-body': [b'HTTP/1.0 200 OK\r\nContent-Length: 4\r\n\r\n', 0.2, b'bo', 0.2, b'dy'],
    'slow-body': [b'HTTP/1.0 200 OK\r\nContent-Length: 50\r\n\r\n']
                 + [x for _ in range(5) for x in (0.2, b'0123456789')],
    'extra-after-length': [b'HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\n', 0.2, b'bo', 0.2, b'dy'],
    'binary-body': [response(bytes(range(256)) * 4)],
    'head-4000': [response(b'body', headers=['X-Pad: ' + 'p' * 3900])],
    'head-too-big': [response(b'body', headers=['X-Big: ' + 'a' * 5000])],
    'no-data': [],
    'partial-head': [b'HTTP/1.0 200 OK\r\nServer'],
    'reset-after-body': [response(b'abc')],
    'reset-no-data': [],
}
CLOSE = {'reset-after-body': 'rst', 'reset-no-data': 'rst'}


@need_ref
@pytest.mark.parametrize('verbose', V, ids=VID)
@pytest.mark.parametrize('name', list(RESPONSES))
def test_response(name, verbose):
    close = CLOSE.get(name, 'fin')
    compare(BASE + ['-t', '5'] + verbose, scripted(*RESPONSES[name], close=close))


DUMP_LINE = re.compile(rb'(?m)^\d{4,}  (?:[0-9a-f ]{3}){8}- (?:[0-9a-f ]{3}){8}  .{16}\n')
HTML_BANNER = b'-----------------------[        HTML Buffer        ]-----------------------\n'


@need_ref
@pytest.mark.parametrize('verbose', V, ids=VID)
def test_ten_megabytes(verbose):
    body = os.urandom(10 * 1024 * 1024)
    if verbose:
        # The dump of each read restarts at offset 0, and how a plain socket's
        # reads split the body depends on timing: compare everything but the dumps.
        got = []
        for b in (REF, GENHASH):
            srv = ScriptServer(Script(response(body)))
            try:
                out = run(b, fill(BASE + ['-v'], srv))
            finally:
                srv.stop()
            got.append(DUMP_LINE.sub(b'', out.stdout).replace(HTML_BANNER, b''))
            assert out.rc == 0 and out.stderr == b''
        assert got[0] == got[1]
        return
    (ref, _), _ = compare(BASE, scripted(response(body)))
    assert ref.stdout == digest(body) + b'\n'


@need_ref
@pytest.mark.parametrize('verbose', V, ids=VID)
def test_never_answers(verbose):
    (ref, _), _ = compare(BASE + ['-t', '1'] + verbose, scripted(1.5, close='fin'))
    assert ref.stdout.startswith(b'Timeout WEB read\n')


@need_ref
@pytest.mark.parametrize('verbose', V, ids=VID)
@pytest.mark.parametrize('what', ['head', 'body'])
def test_stalls(what, verbose):
    first = b'HTTP/1.0 200 OK\r\n' if what == 'head' else b'HTTP/1.0 200 OK\r\n\r\nab'
    (ref, _), _ = compare(BASE + ['-t', '1'] + verbose, scripted(first, 1.5, close='fin'))
    assert b'Timeout HTTP read\n' in ref.stdout


@need_ref
@pytest.mark.parametrize('verbose', V, ids=VID)
def test_refused(verbose):
    port = httpsrv.free_port()
    (ref, _), _ = compare(['-s', '127.0.0.1', '-p', str(port), '-u', '/'] + verbose)
    assert ref.stdout.startswith(b'Connection failed\n') and ref.rc == 0


@need_ref
@pytest.mark.parametrize('verbose', V, ids=VID)
def test_connect_timeout(verbose):
    (ref, _), _ = compare(BASE + ['-t', '1'] + verbose, httpsrv.FullBacklog)
    assert ref.stdout.startswith(b'Timeout connecting\n')


@need_ref
@pytest.mark.parametrize('sig', [signal.SIGTERM, signal.SIGINT], ids=['TERM', 'INT'])
@pytest.mark.parametrize('verbose', V, ids=VID)
def test_signal_while_waiting(sig, verbose):
    outs = []
    for b in (REF, GENHASH):
        srv = ScriptServer(Script(1.5, close='fin'))
        try:
            p = subprocess.Popen([b] + fill(BASE + verbose, srv), stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE)
            # the server has the request and pauses: genhash is waiting for the reply
            wait_for(lambda: srv.requests, 5, 'the request at the server')
            p.send_signal(sig)
            o, e = p.communicate(timeout=10)
            outs.append(Out(p.returncode, USECS.sub(b'= N usecs', o), e))
        finally:
            srv.stop()
    assert outs[0] == outs[1]


@need_ref
def test_fwmark():
    """-m sets SO_MARK on the connection (ss shows it while the server holds it)."""
    marks = []

    def look(sock, req):
        peer = sock.getpeername()[1]
        out = subprocess.run(['ss', '-tnHe', 'state', 'established', f'sport = :{peer}'],
                             capture_output=True, text=True).stdout
        marks.append(re.findall(r'fwmark:(0x[0-9a-f]+)', out))

    compare(BASE + ['-m', '77'], lambda: ScriptServer(Script(response(b'm')), on_request=look))
    assert marks == [['0x4d'], ['0x4d']]


# --- TLS ------------------------------------------------------------------------

@pytest.fixture(scope='module')
def cert(tmp_path_factory):
    return httpsrv.self_signed(tmp_path_factory.mktemp('tls'))


def tls_server(cert, *steps, close='notify', **kw):
    return lambda: ScriptServer(Script(*steps, close=close), tls=httpsrv.server_ctx(*cert), **kw)


TLS_BODY = bytes(range(256)) * 400	# 100 KB: TLS records make the reads' split deterministic

TLS_RESPONSES = {
    'content-length': [response(b'hello over TLS\n')],
    'close-delimited': [response(b'hello over TLS\n', length=False)],
    'chunked': [response(chunked(BODY, 64), length=False, version='HTTP/1.1',
                         headers=['Transfer-Encoding: chunked'])],
    '100k': [response(TLS_BODY)],
    'no-data': [],
    'partial-head': [b'HTTP/1.0 200 OK\r\n'],
    'head-too-big': [response(b'body', headers=['X-Big: ' + 'a' * 5000])],
}


@need_ref
@pytest.mark.parametrize('verbose', V, ids=VID)
@pytest.mark.parametrize('close', ['notify', 'fin', 'rst'])
@pytest.mark.parametrize('name', list(TLS_RESPONSES))
def test_tls(cert, name, close, verbose):
    """Self-signed certificate; the server ends with close_notify, a plain close or a reset."""
    compare(['-S'] + BASE + ['-t', '5'] + verbose, tls_server(cert, *TLS_RESPONSES[name],
                                                              close=close))


@need_ref
@pytest.mark.parametrize('opts,want', [
    (['-I', '-V', 'sni.example.com'], 'sni.example.com'),
    (['-V', 'sni.example.com'], None),	# -V alone: Host header only
    (['-I'], None),			# -I without -V: no name to send
    ([], None),
])
def test_tls_sni(cert, opts, want):
    got = compare(['-S'] + BASE + opts, tls_server(cert, response(b'sni\n')))
    for out, srv in got:
        assert srv.sni == [want]
        assert out.stdout == digest(b'sni\n') + b'\n'
        host = want or ('sni.example.com' if '-V' in opts else f'127.0.0.1:{srv.port}')
        assert f'Host: {host}\r\n'.encode() in srv.requests[0]


@need_ref
@pytest.mark.parametrize('verbose', V, ids=VID)
def test_tls_to_plain_server(verbose):
    """-S against a server that reads the ClientHello and closes: the handshake fails."""
    (ref, _), _ = compare(['-S'] + BASE + ['-t', '5'] + verbose,
                          scripted(close='fin', read_request='once'))
    assert ref.stdout.startswith(b'SSL handshake/communication error connecting to\n')


@need_ref
@pytest.mark.parametrize('verbose', V, ids=VID)
def test_tls_handshake_timeout(verbose):
    (ref, _), _ = compare(['-S'] + BASE + ['-t', '1'] + verbose,
                          scripted(1.5, close='fin', read_request=False))
    assert ref.stdout.startswith(b'Timeout connecting\n')


@need_ref
@pytest.mark.parametrize('verbose', V, ids=VID)
def test_tls_read_timeout(cert, verbose):
    (ref, _), _ = compare(['-S'] + BASE + ['-t', '1'] + verbose,
                          tls_server(cert, b'HTTP/1.0 200 OK\r\n\r\nab', 1.5))
    assert b'Timeout SSL read\n' in ref.stdout


@need_ref
def test_plain_to_tls_server(cert):
    """No -S against a TLS server: it gets no handshake and closes; genhash gets no data."""
    compare(BASE + ['-t', '5', '-v'], tls_server(cert, response(b'x')))


# --- where keepalived 2.2.7 is wrong ----------------------------------------------

@pytest.mark.ours_only
@pytest.mark.parametrize('verbose', V, ids=VID)
def test_server_ignoring_connection_close(verbose):
    """keepalived waits for the close after a complete Content-Length body and, on a
    server that keeps the connection open, prints "Timeout HTTP read" though it has
    the whole page. We print the digest when the wait times out."""
    srv = ScriptServer(Script(response(b'kept alive\n', version='HTTP/1.1'), 2, close='fin'))
    try:
        out = run(GENHASH, fill(BASE + ['-P', '1.1', '-t', '1'] + verbose, srv))
    finally:
        srv.stop()
    assert out.rc == 0 and out.stderr == b''
    assert (b'\n' if verbose else b'') + digest(b'kept alive\n') + b'\n' in out.stdout


@pytest.mark.ours_only
@pytest.mark.parametrize('opt', ['--url', '--port', '--server', '--use-virtualhost', '--timeout'])
def test_long_option_without_value(opt):
    """keepalived 2.2.7 segfaults when a long option that needs a value ends the command line."""
    out = run(GENHASH, ['-s', '127.0.0.1', '-p', '1', '-u', '/', opt])
    assert out.rc == 1
    assert out.stderr.startswith(f'Missing parameter for option {opt}\nUsage: PROG '.encode())


@pytest.mark.ours_only
def test_link_local_without_scope():
    """connect() to fe80::1 with no interface fails (EINVAL): keepalived 2.2.7 retries
    in a busy loop forever; we report the failure at once."""
    out = run(GENHASH, ['-s', 'fe80::1', '-p', '80', '-u', '/', '-v'], timeout=10)
    assert out.rc == 0 and out.stdout.startswith(b'Connection failed\n\nGlobal response time')


@pytest.mark.ours_only
def test_fwmark_not_permitted():
    """Setting SO_MARK without CAP_NET_ADMIN fails: keepalived 2.2.7 retries in a busy
    loop forever; we report the failure at once."""
    port = httpsrv.free_port()
    p = subprocess.run(['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups',
                        '--inh-caps=-all', GENHASH, '-s', '127.0.0.1', '-p', str(port),
                        '-u', '/', '-m', '5'], capture_output=True, timeout=10)
    assert (p.returncode, p.stdout, p.stderr) == (0, b'Connection failed\n', b'')


@pytest.mark.ours_only
def test_long_request():
    """keepalived 2.2.7 cuts the request at 2047 bytes (no blank line: the server
    waits for the rest); we send it whole."""
    url = '/' + 'a' * 3000
    srv = ScriptServer(Script(response(b'long\n')))
    try:
        out = run(GENHASH, fill(['-s', '{host}', '-p', '{port}', '-u', url, '-t', '2'], srv))
    finally:
        srv.stop()
    assert out.stdout == digest(b'long\n') + b'\n'
    assert srv.requests[0].startswith(f'GET {url} HTTP/1.0\r\n'.encode())


@pytest.mark.ours_only
@pytest.mark.parametrize('reply', [b'garbage\r\n\r\nbody', b'HTTP/1.1 200 OK\r\nNo colon\r\n\r\nx'])
def test_not_http(reply):
    """A deliberate difference: keepalived hashes whatever follows the first blank line;
    we check the reply is HTTP and say when it is not."""
    srv = ScriptServer(Script(reply, close='fin'))
    try:
        out = run(GENHASH, fill(BASE + ['-t', '2'], srv))
    finally:
        srv.stop()
    assert out.rc == 0 and out.stdout == b''
    assert out.stderr.startswith(b'invalid HTTP response from remote webserver: ')
