#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Real servers for the IPVS harness and the checker benchmark: one process, one epoll loop.

Run it inside the backends' network namespace; it reads commands on stdin, one a line,
and answers each with one line on stdout ("ok" or "error: ...") once it is done:

    up ADDR PORT        listen on ADDR:PORT (TCP; a request that looks like HTTP gets a 200)
    down ADDR PORT      close that listener (new connections are refused)
    any PORT            listen on 0.0.0.0:PORT (every address of the namespace: the benchmark)
    stats               "ok accepted=N"
    quit                exit

Every accepted connection is answered at once: HTTP requests (first line "GET ...") get
"HTTP/1.1 200 OK" with a 2-byte body, anything else is closed after the first read or
after 1 s of silence (a TCP_CHECK only connects and closes).
"""
import os
import resource
import selectors
import socket
import sys
import time

REPLY = b'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok'


def main():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    sel = selectors.DefaultSelector()
    listeners = {}
    conns = {}
    accepted = 0
    os.set_blocking(0, False)
    sel.register(0, selectors.EVENT_READ, 'ctl')
    buf = b''

    def reply(text):
        sys.stdout.write(text + '\n')
        sys.stdout.flush()

    def listen(addr, port):
        s = socket.socket(socket.AF_INET6 if ':' in addr else socket.AF_INET)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((addr, port))
        s.listen(4096)
        s.setblocking(False)
        sel.register(s, selectors.EVENT_READ, 'listen')
        listeners[(addr, port)] = s

    def command(line):
        words = line.split()
        if not words:
            return True
        try:
            if words[0] == 'up':
                listen(words[1], int(words[2]))
            elif words[0] == 'any':
                listen('0.0.0.0', int(words[1]))
            elif words[0] == 'down':
                s = listeners.pop((words[1], int(words[2])))
                sel.unregister(s)
                s.close()
            elif words[0] == 'stats':
                reply(f'ok accepted={accepted}')
                return True
            elif words[0] == 'quit':
                reply('ok')
                return False
            else:
                raise ValueError(f'unknown command {words[0]}')
        except (OSError, ValueError, KeyError, IndexError) as e:
            reply(f'error: {line.strip()}: {e}')
            return True
        reply('ok')
        return True

    while True:
        now = time.monotonic()
        for c, t in list(conns.items()):
            if now - t > 1.0:
                sel.unregister(c)
                conns.pop(c)
                c.close()
        for key, _ in sel.select(0.5):
            what = key.data
            if what == 'ctl':
                data = os.read(0, 65536)
                if not data:
                    return
                buf += data
                while b'\n' in buf:
                    line, buf = buf.split(b'\n', 1)
                    if not command(line.decode()):
                        return
            elif what == 'listen':
                while True:
                    try:
                        c, _ = key.fileobj.accept()
                    except (BlockingIOError, InterruptedError):
                        break
                    except OSError:
                        break
                    accepted += 1
                    c.setblocking(False)
                    sel.register(c, selectors.EVENT_READ, 'conn')
                    conns[c] = now
            else:
                c = key.fileobj
                try:
                    data = c.recv(4096)
                    if data.startswith(b'GET ') or data.startswith(b'HEAD '):
                        c.send(REPLY)
                except OSError:
                    pass
                sel.unregister(c)
                conns.pop(c, None)
                c.close()


if __name__ == '__main__':
    main()
