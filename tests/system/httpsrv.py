# SPDX-License-Identifier: GPL-2.0-or-later
"""Loopback HTTP(S) servers for the genhash tests: scripted replies, recorded requests and SNI."""
import fcntl
import http.server
import socket
import ssl
import subprocess
import termios
import threading
import time

from kalib import wait_for


class Script:
    """What a connection gets back: bytes to send and float pauses, then how to close.

    close: 'fin' (plain close), 'rst' (SO_LINGER 0: a reset), 'notify' (TLS
    close_notify, then close; plain close without TLS).
    """

    def __init__(self, *steps, close='notify'):
        self.steps = steps
        self.close = close


def drain(sock, timeout=5.0):
    """Wait until the peer has acknowledged everything sent (SIOCOUTQ is 0).

    A reset discards what is still in our send queue, so without this how much of
    a large reply reaches the client before the reset depends on scheduling."""
    deadline = time.monotonic() + timeout
    buf = bytearray(4)
    while time.monotonic() < deadline:
        fcntl.ioctl(sock.fileno(), termios.TIOCOUTQ, buf)
        if int.from_bytes(buf, 'little') == 0:
            return
        time.sleep(0.005)


class ScriptServer:
    """Accepts connections on 127.0.0.1 or ::1 (ephemeral port) in a thread.

    Each connection: optional TLS handshake (names from SNI go to .sni), the
    request read up to its blank line (kept in .requests; read_request='once':
    one recv, False: none), then the script. on_request(sock, request) runs
    before the script, with the connection's socket.
    """

    def __init__(self, script, family=socket.AF_INET, tls=None, read_request=True,
                 on_request=None):
        self.script = script
        self.tls = tls
        self.read_request = read_request
        self.on_request = on_request
        self.requests = []
        self.sni = []
        self.errors = []
        self.host = '::1' if family == socket.AF_INET6 else '127.0.0.1'
        self.sock = socket.socket(family, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((self.host, 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self._stop = False
        self._conns = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            t = threading.Thread(target=self._handle, args=(conn,), daemon=True)
            self._conns.append(t)
            t.start()

    def _sni_cb(self, sslsock, name, ctx):
        self.sni.append(name)

    def _handle(self, raw):
        conn = raw
        try:
            raw.settimeout(10)
            if self.tls:
                self.tls.sni_callback = self._sni_cb
                conn = self.tls.wrap_socket(raw, server_side=True)
            req = b''
            while self.read_request and b'\r\n\r\n' not in req:
                d = conn.recv(65536)
                req += d
                if not d or self.read_request == 'once':
                    break
            self.requests.append(req)
            if self.on_request:
                self.on_request(conn, req)
            for st in self.script.steps:
                if isinstance(st, (int, float)):
                    time.sleep(st)     # the script's pause: a slow server is the scenario
                else:
                    conn.sendall(st)
            if self.script.close == 'rst':
                drain(conn)
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b'\1\0\0\0\0\0\0\0')
            elif self.script.close == 'notify' and self.tls:
                conn.settimeout(3)
                try:
                    conn.unwrap()	# sends close_notify; the client just closes
                except (OSError, ssl.SSLError):
                    pass
        except (OSError, ssl.SSLError) as e:
            self.errors.append(e)
        finally:
            conn.close()	# wrap_socket() took raw's descriptor over

    def stop(self):
        self._stop = True
        self.sock.close()
        for t in self._conns:
            t.join(15)


def response(body, status='200 OK', headers=(), length=True, version='HTTP/1.0'):
    """A whole response as bytes; length=False leaves Content-Length out."""
    head = f'{version} {status}\r\n'
    if length:
        head += f'Content-Length: {len(body)}\r\n'
    for h in headers:
        head += h + '\r\n'
    return head.encode() + b'\r\n' + body


def chunked(body, size):
    """body in chunks of size bytes, chunked transfer coding."""
    out = b''
    for i in range(0, len(body), size):
        part = body[i:i + size]
        out += b'%x\r\n' % len(part) + part + b'\r\n'
    return out + b'0\r\n\r\n'


class _Handler(http.server.SimpleHTTPRequestHandler):
    # Fixed Server and Date headers: two runs must get the same bytes.
    server_version = 'TestHTTP/1.0'
    sys_version = ''
    # Head and body leave in one send: how genhash's reads split them shows in -v.
    wbufsize = 1 << 20

    def date_time_string(self, timestamp=None):
        return 'Mon, 02 Jan 2006 15:04:05 GMT'

    def log_message(self, fmt, *args):
        pass


class FileServer:
    """Python's http.server over a directory, on 127.0.0.1 or ::1, HTTP/1.0 or 1.1."""

    def __init__(self, root, protocol='HTTP/1.0', family=socket.AF_INET):
        root = str(root)

        class Handler(_Handler):
            protocol_version = protocol

            def __init__(self, *a, **kw):
                super().__init__(*a, directory=root, **kw)

        class Server(http.server.ThreadingHTTPServer):
            address_family = family
            daemon_threads = True

        self.host = '::1' if family == socket.AF_INET6 else '127.0.0.1'
        self.httpd = Server((self.host, 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def self_signed(dirpath, cn='genhash.test'):
    """A key and self-signed certificate made with the openssl CLI; returns a server SSLContext."""
    key, cert = dirpath / 'key.pem', dirpath / 'cert.pem'
    subprocess.run(['openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2',
                    '-subj', f'/CN={cn}', '-keyout', str(key), '-out', str(cert)],
                   check=True, capture_output=True)
    return key, cert


def server_ctx(key, cert):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(str(cert), str(key))
    return ctx


def free_port(family=socket.AF_INET):
    """A loopback port nothing listens on (bound, then closed: connecting is refused)."""
    s = socket.socket(family, socket.SOCK_STREAM)
    s.bind(('::1' if family == socket.AF_INET6 else '127.0.0.1', 0))
    port = s.getsockname()[1]
    s.close()
    return port


def accept_queue(host, port):
    """How many connections wait in the accept queue of the IPv4 listener on host:port
    (/proc/net/tcp shows that count as a listener's rx_queue), or None if there is none."""
    local = '%08X:%04X' % (int.from_bytes(socket.inet_aton(host), 'little'), port)
    with open('/proc/net/tcp') as f:
        for line in f.readlines()[1:]:
            fields = line.split()
            if fields[1] == local and fields[3] == '0A':    # TCP_LISTEN
                return int(fields[4].split(':')[1], 16)
    return None


class FullBacklog:
    """A listener on 127.0.0.1 that never accepts, its backlog filled: new SYNs are dropped."""

    def __init__(self):
        self.host = '127.0.0.1'
        self.sock = socket.socket()
        self.sock.bind((self.host, 0))
        self.sock.listen(0)     # the kernel drops SYNs once 1 (> 0) connection waits
        self.port = self.sock.getsockname()[1]
        self.fillers = []
        for _ in range(4):
            c = socket.socket()
            c.setblocking(False)
            try:
                c.connect(('127.0.0.1', self.port))
            except BlockingIOError:
                pass
            self.fillers.append(c)
        wait_for(lambda: (accept_queue(self.host, self.port) or 0) > 0, 5,
                 'a connection in the accept queue')

    def stop(self):
        for c in self.fillers:
            c.close()
        self.sock.close()
