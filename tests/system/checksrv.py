# SPDX-License-Identifier: GPL-2.0-or-later
"""Scripted HTTP, HTTPS and SMTP backends for the checker's system tests.

Each runs as its own python3 process inside a test namespace (`ip netns exec`), serving
one address and port. What a connection gets is read from a mode file at accept time,
so a test changes a backend's behaviour between checks without restarting it:

HTTP/HTTPS modes:
  ok          HTTP/1.0 200 OK with Content-Length and BODY_OK
  status500   HTTP/1.0 500 Internal Server Error
  noreason    "HTTP/1.1 200" with no reason phrase (keepalived 2.2.7 fails it)
  other       200 OK with BODY_OTHER (digest and regex mismatch)
  short       Content-Length: 10 with a 2-byte body, then close
  close       accept, read the request, close without a byte
  hang        accept, read the request, never answer
  keepopen    200 OK with Content-Length, then the connection stays open
  garbage     a 400 at once, before any request (not TLS: a handshake fails)
SMTP modes:
  ok          "220 ...", "250 ..." to HELO, "221 ..." to QUIT
  multiline   "220-first" and "220 second" (2.2.7 fails a multi-line banner)
  badhelo     "220 ...", "550 ..." to HELO
  hang        accept, never answer

Every request (HTTP: the bytes up to the blank line; SMTP: each line received) goes to
<name>.req as one JSON string per line; TLS server names to <name>.sni, the CN of the
client's certificate (asked for, checked against the server's own) to <name>.sni.peer.
"""
import json
from pathlib import Path

import checklib as cl

BODY_OK = b'<html><body>status: OK</body></html>\n'
BODY_OTHER = b'<html><body>status: DOWN</body></html>\n'

_SERVER = r'''
import json, socket, ssl, sys, threading, time
kind, addr, port, mode_file, req_file, sni_file, ready = sys.argv[1:8]
cert, key = (sys.argv[8], sys.argv[9]) if kind == 'https' else (None, None)
BODY_OK = %r
BODY_OTHER = %r
lock = threading.Lock()

def note(path, value):
    with lock, open(path, 'a') as f:
        f.write(json.dumps(value) + '\n')

def mode():
    try:
        return open(mode_file).read().strip()
    except FileNotFoundError:
        return 'ok'

def hang(c):
    try:
        while c.recv(4096):
            pass
    except OSError:
        pass

def http(c, m):
    if m == 'garbage':
        c.sendall(b'HTTP/1.0 400 Bad Request\r\n\r\n')
        return
    data = b''
    while b'\r\n\r\n' not in data:
        chunk = c.recv(4096)
        if not chunk:
            return
        data += chunk
    note(req_file, data.decode('latin-1'))
    if m == 'hang':
        hang(c)
        return
    if m == 'close':
        return
    if m == 'keepopen':
        c.sendall(b'HTTP/1.1 200 OK\r\nContent-Length: %%d\r\n\r\n' %% len(BODY_OK) + BODY_OK)
        hang(c)
        return
    if m == 'ok':
        out = b'HTTP/1.0 200 OK\r\nContent-Length: %%d\r\n\r\n' %% len(BODY_OK) + BODY_OK
    elif m == 'other':
        out = b'HTTP/1.0 200 OK\r\nContent-Length: %%d\r\n\r\n' %% len(BODY_OTHER) + BODY_OTHER
    elif m == 'status500':
        out = b'HTTP/1.0 500 Internal Server Error\r\nContent-Length: 2\r\n\r\nno'
    elif m == 'noreason':
        out = b'HTTP/1.1 200\r\nContent-Length: %%d\r\nConnection: close\r\n\r\n' %% len(BODY_OK) + BODY_OK
    elif m == 'short':
        out = b'HTTP/1.0 200 OK\r\nContent-Length: 10\r\n\r\nab'
    else:
        out = b'HTTP/1.0 418 unknown mode\r\n\r\n'
    c.sendall(out)

def smtp(c, m):
    if m == 'hang':
        hang(c)
        return
    f = c.makefile('rb')
    def line():
        l = f.readline()
        if l:
            note(req_file, l.decode('latin-1'))
        return l
    if m == 'multiline':
        c.sendall(b'220-mail.test first line\r\n220 mail.test ESMTP\r\n')
    else:
        c.sendall(b'220 mail.test ESMTP ready\r\n')
    if not line():
        return
    c.sendall(b'550 go away\r\n' if m == 'badhelo' else b'250 mail.test Hello\r\n')
    if not line():
        return
    c.sendall(b'221 bye\r\n')
    time.sleep(0.1)

def serve(c):
    m = mode()
    try:
        if kind == 'https':
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(cert, key)
            def sni(sock, name, context):
                if name is not None:
                    note(sni_file, name)
            ctx.sni_callback = sni
            # a client certificate is asked for (the SSL block's), not required
            ctx.verify_mode = ssl.CERT_OPTIONAL
            ctx.load_verify_locations(cert)
            c = ctx.wrap_socket(c, server_side=True)
            peer = c.getpeercert()
            note(sni_file + '.peer', dict(x[0] for x in peer['subject'])['commonName']
                 if peer else None)
        if kind == 'smtp':
            smtp(c, m)
        else:
            http(c, m)
    except (OSError, ssl.SSLError):
        pass
    finally:
        try:
            c.close()
        except OSError:
            pass

s = socket.socket(socket.AF_INET6 if ':' in addr else socket.AF_INET)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((addr, int(port)))
s.listen(64)
open(ready, 'w').close()
while True:
    c, peer = s.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
''' % (BODY_OK, BODY_OTHER)


class Backend(cl.NsServer):
    """kind 'http', 'https' or 'smtp' on addr:port inside namespace ns."""

    def __init__(self, ns, kind, addr, port, workdir, mode='ok', cert=None):
        self.ns, self.kind, self.addr, self.port = ns, kind, addr, port
        wd = Path(workdir)
        name = f'{kind}-{addr}-{port}'
        self.mode_file = wd / f'{name}.mode'
        self.req_file = wd / f'{name}.req'
        self.sni_file = wd / f'{name}.sni'
        self.ready = wd / f'{name}.ready'
        self.cert = cert            # (key, cert) for https
        self.set_mode(mode)

    def set_mode(self, mode):
        self.mode_file.write_text(mode + '\n')

    def start(self):
        args = [self.kind, self.addr, str(self.port), str(self.mode_file), str(self.req_file),
                str(self.sni_file), str(self.ready)]
        if self.kind == 'https':
            args += [str(self.cert[1]), str(self.cert[0])]
        return self._spawn(_SERVER, args, f'{self.kind} backend {self.addr}:{self.port}')

    @staticmethod
    def _lines(path):
        try:
            return [json.loads(line) for line in path.read_text().splitlines() if line]
        except FileNotFoundError:
            return []

    def requests(self):
        return self._lines(self.req_file)

    def sni(self):
        return self._lines(self.sni_file)

    def peers(self):
        """https: the CN of the client's certificate per connection (None: no certificate)."""
        return self._lines(Path(str(self.sni_file) + '.peer'))
