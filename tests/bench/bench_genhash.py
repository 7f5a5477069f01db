#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Time to fetch and digest a large body: our genhash and Debian's, same server, same run.

Usage: tests/bench/bench_genhash.py [OUR_GENHASH] [MEGABYTES] [RUNS]
A loopback HTTP/1.0 server (Content-Length) sends the same MEGABYTES (default 100)
to each tool in turn; prints the median wall time and user+sys CPU of each, their
ratio, and checks both printed the same digest.
"""
import hashlib
import os
import resource
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ours = sys.argv[1] if len(sys.argv) > 1 else str(REPO / 'build/genhash/genhash')
mb = int(sys.argv[2]) if len(sys.argv) > 2 else 100
runs = int(sys.argv[3]) if len(sys.argv) > 3 else 5
REF = '/usr/bin/genhash'

chunk = bytes(range(256)) * 4096		# 1 MiB
body = chunk * mb
head = b'HTTP/1.0 200 OK\r\nContent-Length: %d\r\n\r\n' % len(body)
want = hashlib.md5(body).hexdigest()


def serve(sock, stop):
    while not stop.is_set():
        try:
            conn, _ = sock.accept()
        except OSError:
            return
        with conn:
            buf = b''
            while b'\r\n\r\n' not in buf:
                d = conn.recv(4096)
                if not d:
                    break
                buf += d
            conn.sendall(head)
            view = memoryview(body)
            for i in range(0, len(body), 1 << 20):
                conn.sendall(view[i:i + (1 << 20)])


def once(binary, port):
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    p = subprocess.run([binary, '-s', '127.0.0.1', '-p', str(port), '-u', '/big'],
                       capture_output=True, timeout=300)
    wall = time.monotonic() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    got = p.stdout.decode().split()[-1] if p.stdout.split() else ''
    if got != want:
        sys.exit(f'{binary}: digest {got!r}, expected {want}')
    return wall, cpu


def main():
    sock = socket.socket()
    sock.bind(('127.0.0.1', 0))
    sock.listen(4)
    port = sock.getsockname()[1]
    stop = threading.Event()
    threading.Thread(target=serve, args=(sock, stop), daemon=True).start()
    tools = [('ours', ours)] + ([('debian', REF)] if os.access(REF, os.X_OK) else [])
    res = {name: [] for name, _ in tools}
    for _ in range(runs):
        for name, b in tools:		# interleaved, so both see the same machine load
            res[name].append(once(b, port))
    stop.set()
    sock.close()
    print(f'genhash: {mb} MiB body over loopback, median of {runs} runs')
    print(f'{"tool":8} {"wall ms":>9} {"cpu ms":>9}')
    med = {}
    for name, _ in tools:
        w = statistics.median(x[0] for x in res[name]) * 1000
        c = statistics.median(x[1] for x in res[name]) * 1000
        med[name] = (w, c)
        print(f'{name:8} {w:9.1f} {c:9.1f}')
    if 'debian' in med:
        print(f'{"ratio":8} {med["ours"][0] / med["debian"][0]:9.2f} '
              f'{med["ours"][1] / med["debian"][1]:9.2f}   (ours / debian)')


main()
