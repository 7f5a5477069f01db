# SPDX-License-Identifier: GPL-2.0-or-later
"""A minimal SMTP server for the alert tests, run inside a namespace.

    python3 smtpsink.py ADDR PORT OUTDIR READY [REJECT]
Each connection's dialogue goes to OUTDIR/mail-N.txt: the client's bytes exactly as
received (commands and DATA), so tests can compare them with keepalived's.
Replies: 220 banner, 250 to HELO/MAIL/RCPT, 354 to DATA, 250 after the final dot,
221 to QUIT; with REJECT (a command such as RCPT), 550 to that command.
"""
import os
import socket
import sys
import threading


def serve(c, path, reject):
    c.settimeout(30)
    buf = b''
    data = False
    got = b''
    c.sendall(b'220 sink ESMTP\r\n')
    try:
        while True:
            d = c.recv(65536)
            if not d:
                break
            got += d
            buf += d
            while True:
                if data:
                    i = buf.find(b'\r\n.\r\n')
                    if i < 0:
                        break
                    buf = buf[i + 5:]
                    data = False
                    c.sendall(b'250 queued\r\n')
                    continue
                i = buf.find(b'\r\n')
                if i < 0:
                    break
                line, buf = buf[:i], buf[i + 2:]
                if line.upper().startswith(b'DATA'):
                    data = True
                    c.sendall(b'354 go ahead\r\n')
                elif line.upper().startswith(b'QUIT'):
                    c.sendall(b'221 bye\r\n')
                elif reject and line.upper().startswith(reject):
                    c.sendall(b'550 no thanks\r\n')
                else:
                    c.sendall(b'250 ok\r\n')
    except OSError:
        pass
    c.close()
    tmp = path + '.tmp'
    with open(tmp, 'wb') as f:
        f.write(got)
    os.rename(tmp, path)


def main():
    addr, port, outdir, ready = sys.argv[1:5]
    reject = sys.argv[5].encode() if len(sys.argv) > 5 else b''
    s = socket.socket(socket.AF_INET6 if ':' in addr else socket.AF_INET)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, int(port)))
    s.listen(16)
    open(ready, 'w').close()
    n = 0
    while True:
        c, _ = s.accept()
        n += 1
        threading.Thread(target=serve, args=(c, os.path.join(outdir, f'mail-{n:03d}.txt'), reject),
                         daemon=True).start()


if __name__ == '__main__':
    main()
