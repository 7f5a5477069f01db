# SPDX-License-Identifier: GPL-2.0-or-later
"""Backends and IPVS evidence for the checker's system tests (see kalib.py for the rest).

The daemon runs in host 'a' of a kalib.Topology, its real servers in host 'b':
- TcpListener: a TCP server on b that can be stopped and started again, and counts the
  connections it accepted (one line per connection in a file).
- blackhole(topo): an address routed to b, which does not forward: a connect() to it
  times out (no answer, no ICMP).
- MiscScript: a MISC_CHECK / notify script that appends its arguments to a file and exits
  with the code a test sets (and optionally sleeps first).
- IpvsRecord: the JSON lines the daemon writes when KEEPALIVED_IPVS_RECORD names a file
  (the recording IPVS backend, on this kernel without ip_vs): what it would have sent.
- conf(): a keepalived.conf from global_defs lines and virtual_server blocks.
"""
import json
import os
import re
import subprocess
from pathlib import Path

import kalib

# A TCP server: listen, write the ready file, then count accepted connections.
_SERVER = r'''
import socket, sys
addr, port, count, ready = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
s = socket.socket(socket.AF_INET6 if ':' in addr else socket.AF_INET)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((addr, port))
s.listen(64)
open(ready, 'w').close()
while True:
    c, peer = s.accept()
    with open(count, 'a') as f:
        f.write(f'{peer[0]}\n')
    c.close()
'''

BLACKHOLE_NET = '198.51.100.0/24'


class TcpListener:
    """A TCP backend on addr:port inside namespace ns."""

    def __init__(self, ns, addr, port, workdir):
        self.ns, self.addr, self.port = ns, addr, port
        wd = Path(workdir)
        self.count_file = wd / f'tcp-{addr}-{port}.count'
        self.ready = wd / f'tcp-{addr}-{port}.ready'
        self.proc = None
        self._token = None

    def start(self):
        assert self.proc is None, 'already running'
        self.ready.unlink(missing_ok=True)
        self.proc = subprocess.Popen(
            ['ip', 'netns', 'exec', self.ns, '/usr/bin/python3', '-c', _SERVER, self.addr,
             str(self.port), str(self.count_file), str(self.ready)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True)
        self._token = kalib.CLEANUP.add(self._kill)
        kalib.wait_for(lambda: self.ready.exists() or self.proc.poll() is not None, 5,
                       f'listener {self.addr}:{self.port}')
        assert self.proc.poll() is None, f'listener {self.addr}:{self.port} exited'
        return self

    def _kill(self):
        if self.proc is not None:
            if self.proc.poll() is None:
                self.proc.kill()
            self.proc.wait()
            self.proc = None

    def stop(self):
        """Gone: a connect() to it is refused."""
        self._kill()
        kalib.CLEANUP.discard(self._token)

    def connections(self):
        try:
            return len(self.count_file.read_text().splitlines())
        except FileNotFoundError:
            return 0


def add_backend_addr(topo, addr, host='b'):
    """One more address on host's eth0 (192.0.2.0/24 is on link for every host)."""
    topo.ip(host, 'addr', 'add', f'{addr}/24', 'dev', topo.ifname)


def blackhole(topo, frm='a', to='b'):
    """An address whose connect() times out: routed to `to`, which does not forward."""
    topo.ip(frm, 'route', 'add', BLACKHOLE_NET, 'via', topo.addr4[to])
    kalib.sh('ip', 'netns', 'exec', topo.host(to), 'sysctl', '-qw', 'net.ipv4.ip_forward=0')
    return '198.51.100.1'


class MiscScript:
    """An executable that logs its arguments (one line per run) to a file and exits with a settable code."""

    def __init__(self, workdir, name='misc.sh'):
        wd = Path(workdir)
        self.path = wd / name
        self.log = wd / f'{name}.calls'
        self.code = wd / f'{name}.code'
        self.sleep = wd / f'{name}.sleep'
        self.path.write_text(
            '#!/bin/sh\n'
            # one write per run: scripts started together must not interleave their lines
            'line=; for a in "$@"; do line="$line$a|"; done\n'
            f'echo "$line" >> {self.log}\n'
            f'[ -f {self.sleep} ] && sleep "$(cat {self.sleep})"\n'
            f'exit "$(cat {self.code} 2>/dev/null || echo 0)"\n')
        self.path.chmod(0o755)
        self.set_exit(0)

    @staticmethod
    def _write(path, text):
        """Atomically: a script running now reads the old value or the new, never ''."""
        tmp = path.with_suffix('.tmp')
        tmp.write_text(text)
        tmp.replace(path)

    def set_exit(self, code):
        self._write(self.code, f'{code}\n')

    def set_sleep(self, secs):
        if secs:
            self._write(self.sleep, f'{secs}\n')
        else:
            self.sleep.unlink(missing_ok=True)

    def calls(self):
        """One list of arguments per run (argv[1:])."""
        try:
            lines = self.log.read_text().splitlines()
        except FileNotFoundError:
            return []
        return [line.split('|')[:-1] for line in lines]

    def wait_calls(self, n, timeout=10):
        kalib.wait_for(lambda: len(self.calls()) >= n, timeout, f'{n} call(s) of {self.path}')
        return self.calls()


class IpvsRecord:
    """The recording backend's file: one JSON object per IPVS command."""

    def __init__(self, path):
        self.path = Path(path)

    def ops(self, since=0):
        try:
            lines = self.path.read_text().splitlines()
        except FileNotFoundError:
            return []
        return [json.loads(line) for line in lines[since:] if line.strip()]

    def mark(self):
        return len(self.ops())

    @staticmethod
    def match(op, cmd, dest=None, svc=None, **dest_fields):
        """op is cmd; dest 'ADDR:PORT' and svc 'ADDR:PORT' when given; dest fields equal."""
        if op.get('cmd') != cmd:
            return False
        d, s = op.get('dest') or {}, op.get('svc') or {}
        if dest is not None and f"{d.get('addr')}:{d.get('port')}" != dest:
            return False
        if svc is not None and f"{s.get('addr')}:{s.get('port')}" != svc:
            return False
        return all(d.get(k) == v for k, v in dest_fields.items())

    def find(self, cmd, since=0, **kw):
        return [op for op in self.ops(since) if self.match(op, cmd, **kw)]

    def wait(self, cmd, timeout=10, since=0, **kw):
        """The first op matching (see match) after since, within timeout s."""
        def look():
            found = self.find(cmd, since, **kw)
            return found[0] if found else None
        try:
            return kalib.wait_for(look, timeout, f'{cmd} {kw}')
        except AssertionError:
            raise AssertionError(f'no {cmd} {kw} in {self.path}:\n' +
                                 '\n'.join(json.dumps(o) for o in self.ops(since))) from None


def conf(*blocks, global_defs=''):
    """keepalived.conf text: global_defs (lines) and the blocks as given."""
    return (f'global_defs {{\n    router_id kt_check\n{global_defs}}}\n\n' +
            '\n'.join(blocks))


def vs(addr, port, *rs_blocks, extra='', proto='TCP'):
    """A NAT virtual_server with rr scheduling."""
    body = ''.join(rs_blocks)
    return (f'virtual_server {addr} {port} {{\n    lb_algo rr\n    lb_kind NAT\n'
            f'    protocol {proto}\n{extra}{body}}}\n')


def rs(addr, port, checker='', extra=''):
    return f'    real_server {addr} {port} {{\n{extra}{checker}    }}\n'


def tcp_check(extra='', connect_timeout=1, delay_loop=1, retry=None, delay_before_retry=1):
    lines = f'            connect_timeout {connect_timeout}\n'
    lines += f'            delay_loop {delay_loop}\n'
    lines += f'            delay_before_retry {delay_before_retry}\n'
    if retry is not None:
        lines += f'            retry {retry}\n'
    return f'        TCP_CHECK {{\n{lines}{extra}        }}\n'


def misc_check(path, extra='', delay_loop=1):
    return (f'        MISC_CHECK {{\n            misc_path "{path}"\n'
            f'            delay_loop {delay_loop}\n{extra}        }}\n')


def signal_check_child(d, sig):
    """Signal the checker child directly (its pid file)."""
    os.kill(d.check_pid(), sig)


def count_lines(d, regex, since=0):
    return len(re.findall(regex, d.text(since), re.M))

