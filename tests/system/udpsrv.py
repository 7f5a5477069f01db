# SPDX-License-Identifier: GPL-2.0-or-later
"""UDP backends for the DNS_CHECK / UDP_CHECK system tests, run inside a namespace.

    python3 udpsrv.py dns ADDR PORT MODEFILE READY
        A DNS responder. MODEFILE holds what it does with each query:
          ok        one reply, same id, QR=1, RCODE 0 (and one answer-less question section)
          nx        one reply, RCODE 3 (NXDOMAIN)
          wrongid   one reply with another id, nothing else
          wrongid_ok  a reply with another id, then a query-flagged copy (QR=0), then the right one
          silent    nothing
    python3 udpsrv.py echo ADDR PORT MODEFILE READY
        A UDP server whose reply is MODEFILE's hex bytes ("" : echo the datagram back;
        "none": no reply).
Every datagram received is appended (hex) to MODEFILE + '.seen'.
"""
import socket
import sys


def mode(path):
    try:
        with open(path) as f:
            return f.read().strip()
    except FileNotFoundError:
        return ''


def main():
    kind, addr, port, modefile, ready = sys.argv[1:6]
    s = socket.socket(socket.AF_INET6 if ':' in addr else socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((addr, int(port)))
    open(ready, 'w').close()
    while True:
        data, peer = s.recvfrom(65536)
        with open(modefile + '.seen', 'a') as f:
            f.write(data.hex() + '\n')
        m = mode(modefile)
        if kind == 'echo':
            if m == 'none':
                continue
            s.sendto(bytes.fromhex(m) if m else data, peer)
            continue
        if len(data) < 12:
            continue
        qid, rest = data[:2], data[4:]
        other = bytes([qid[0] ^ 0xff, qid[1]])
        # header: id, QR|RD|RA, then the query's counts and question
        ok = qid + b'\x81\x80' + rest
        if m == 'ok':
            s.sendto(ok, peer)
        elif m == 'nx':
            s.sendto(qid + b'\x81\x83' + rest, peer)
        elif m == 'wrongid':
            s.sendto(other + b'\x81\x80' + rest, peer)
        elif m == 'wrongid_ok':
            s.sendto(other + b'\x81\x80' + rest, peer)
            s.sendto(qid + b'\x01\x00' + rest, peer)
            s.sendto(ok, peer)


if __name__ == '__main__':
    main()
