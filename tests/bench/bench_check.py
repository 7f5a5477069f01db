#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The checker child at scale: ours vs keepalived 2.2.7 (README.md, bench_check.py).

    bench_check.py vm   [--ours PATH] [--ref PATH] [--cases ...] [--reload N]   (needs ip_vs)
    bench_check.py host [--ours PATH] [--sizes 100,1000,10000] [--reload N]     (ours alone)
    bench_check.py all  : host here, then vm inside ../shared/tools/ipvs-vm

Every run puts the daemon and its backends in one network namespace (kbch + 4 hex
digits): a dummy interface holds one address per real server, one epoll listener on
0.0.0.0:80 answers them all (HTTP gets a 200), so checks never leave the namespace.

Figures, per implementation and case:
  programmed  start (exec) -> every real server in the IPVS table (the namespace's
              /proc/net/ip_vs, polled every 50 ms; on the host without ip_vs: NEW_DEST lines of
              KEEPALIVED_IPVS_RECORD)
  cpu ms/s    CPU time of the checker child (utime+stime) per second of a steady window
  checks/s    connections the backend accepted per second over the same window
              (what was asked: RS / delay_loop)
  RssAnon     of the checker child at the end of the window
  reload      a config of N RS with one RS replaced: SIGHUP -> the table has the new one
              and not the old one; IPVS commands issued (nlmon capture of generic netlink
              requests in the VM; record lines on the host)
In the VM (software emulation, 10-30x slower than the host) only the ratio means anything.
"""
import argparse
import os
import re
import secrets
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
HZ = os.sysconf('SC_CLK_TCK')
NS = 'kbch' + secrets.token_hex(2)


def sh(*cmd, check=True, input=None, ns=None):
    if ns:
        cmd = ('ip', 'netns', 'exec', ns) + cmd
    r = subprocess.run(cmd, input=input, capture_output=True, text=True)
    if check and r.returncode:
        raise RuntimeError(f'{" ".join(cmd)}: exit {r.returncode}: {r.stderr.strip()}')
    return r.stdout


def rs_addr(i):
    return f'10.2.{i // 250}.{i % 250 + 1}'


# -- the namespace, its addresses and the backend -------------------------------------
class Net:
    def __init__(self, n):
        self.n = n
        self.backend = None

    def up(self):
        sh('ip', 'netns', 'add', NS)
        cmds = ['link set lo up', 'link add kbd0 type veth peer name kbd1', 'link set kbd0 up',
                'link set kbd1 up']
        cmds += [f'addr add {rs_addr(i)}/32 dev kbd0' for i in range(self.n + 1)]
        sh('ip', '-n', NS, '-batch', '-', input='\n'.join(cmds) + '\n')
        for k, v in (('net.core.somaxconn', '65535'), ('net.ipv4.tcp_max_syn_backlog', '65535'),
                     ('net.ipv4.ip_local_port_range', '1024 65000'),
                     ('net.ipv4.tcp_tw_reuse', '1')):
            sh('sysctl', '-qw', f'{k}={v}', ns=NS, check=False)
        self.backend = subprocess.Popen(
            ['ip', 'netns', 'exec', NS, '/usr/bin/python3', str(REPO / 'tests/ipvs/backend.py')],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
        self.ctl('any 80')

    def ctl(self, line):
        self.backend.stdin.write(line + '\n')
        self.backend.stdin.flush()
        ans = self.backend.stdout.readline().strip()
        if not ans.startswith('ok'):
            raise RuntimeError(f'backend: {line}: {ans!r}')
        return ans

    def accepted(self):
        return int(self.ctl('stats').split('accepted=')[1])

    def down(self):
        if self.backend:
            try:
                self.ctl('quit')
                self.backend.wait(10)
            except Exception:
                self.backend.kill()
                self.backend.wait()
            self.backend = None
        sh('ip', 'netns', 'del', NS, check=False)


# -- configs ---------------------------------------------------------------------------
def config(n, kind, delay, replace_last=False):
    out = ['global_defs {', '    router_id bench_check', '}',
           'virtual_server 10.0.0.1 80 {', f'    delay_loop {delay}', '    lb_algo rr',
           '    lb_kind NAT', '    protocol TCP']
    for i in range(n):
        a = rs_addr(n if replace_last and i == n - 1 else i)
        out.append(f'    real_server {a} 80 {{')
        if kind == 'http':
            out += ['        HTTP_GET {', '            url {', '                path /',
                    '                status_code 200', '            }',
                    '            connect_timeout 3', '        }']
        else:
            out += ['        TCP_CHECK {', '            connect_timeout 3', '        }']
        out.append('    }')
    out.append('}')
    return '\n'.join(out) + '\n'


# -- the daemon --------------------------------------------------------------------------
class Daemon:
    def __init__(self, binary, work, conf, env=None):
        self.binary, self.work, self.conf = binary, work, conf
        self.env = dict(os.environ, **(env or {}))
        self.proc = None

    def start(self):
        w = self.work
        self.log = open(w / 'daemon.log', 'ab')
        self.proc = subprocess.Popen(
            ['ip', 'netns', 'exec', NS, self.binary, '-n', '-l', '-C', '-f', str(self.conf),
             '-p', str(w / 'ka.pid'), '-c', str(w / 'check.pid'), '-r', str(w / 'vrrp.pid')],
            stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT,
            env=self.env, start_new_session=True)

    def checker_pid(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                pid = int((self.work / 'check.pid').read_text())
                if Path(f'/proc/{pid}').exists():
                    return pid
            except (FileNotFoundError, ValueError):
                pass
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        return None

    def stop(self):
        if self.proc and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(120)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()


class Floor:
    """tests/bench/tcp_floor: the least a TCP_CHECK costs (the kernel's share); no IPVS."""

    def __init__(self, binary, n, delay):
        self.binary, self.n, self.delay = binary, n, delay
        self.proc = None

    def start(self):
        # `ip netns exec` execs the program: proc.pid is the floor process itself
        self.proc = subprocess.Popen(['ip', 'netns', 'exec', NS, self.binary, str(self.n),
                                      str(self.delay), '80'], stdin=subprocess.DEVNULL)

    def checker_pid(self, timeout=0):
        return self.proc.pid if self.proc.poll() is None else None

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()


def cpu_ticks(pid):
    f = Path(f'/proc/{pid}/stat').read_text().rsplit(')', 1)[1].split()
    return int(f[11]) + int(f[12])     # utime stime


def rss_anon(pid):
    m = re.search(r'RssAnon:\s+(\d+) kB', Path(f'/proc/{pid}/status').read_text())
    return int(m.group(1)) if m else None


# -- what is in the table -------------------------------------------------------------
class Table:
    """The namespace's IPVS table (/proc/PID/net/ip_vs of a process inside it) or, on a
    host without ip_vs, the record file."""

    def __init__(self, record=None):
        self.record = record
        self.pid = None

    def dests(self):
        if self.record:
            try:
                text = self.record.read_text()
            except FileNotFoundError:
                return set()
            s = set()
            for line in text.splitlines():
                m = re.search(r'"cmd":"(NEW_DEST|DEL_DEST)".*?"dest":\{[^}]*?"addr":"([^"]+)"', line)
                if m:
                    (s.add if m.group(1) == 'NEW_DEST' else s.discard)(m.group(2))
            return s
        text = Path(f'/proc/{self.pid}/net/ip_vs').read_text()
        s = set()
        for line in text.splitlines():
            if line.startswith('  -> ') and not line.split()[1].startswith('Remote'):
                h = line.split()[1].split(':')[0]
                s.add('.'.join(str(int(h[i:i + 2], 16)) for i in (0, 2, 4, 6)))
        return s

    def count(self):
        """How many destinations; in the VM without parsing them (polled every 50 ms
        while the table fills: the poll must stay cheap next to what it measures)."""
        if self.record:
            return len(self.dests())
        data = Path(f'/proc/{self.pid}/net/ip_vs').read_bytes()
        return data.count(b'\n  -> ') - data.count(b'\n  -> RemoteAddress')


def wait_until(fn, timeout, interval):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if fn():
            return True
        time.sleep(interval)
    return False


# -- nlmon: count the generic-netlink requests of the IPVS family ------------------------
class Nlmon:
    def __init__(self, work):
        self.file = work / 'nl.pcap'
        self.proc = None

    def start(self):
        if not shutil.which('tcpdump'):
            return False
        r = subprocess.run(['ip', '-n', NS, 'link', 'add', 'nlmon0', 'type', 'nlmon'],
                           capture_output=True)
        if r.returncode:
            return False
        sh('ip', '-n', NS, 'link', 'set', 'nlmon0', 'up')
        self.proc = subprocess.Popen(['ip', 'netns', 'exec', NS, 'tcpdump', '-q', '-i', 'nlmon0',
                                      '-s', '0', '-U', '-w', str(self.file)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(2)
        return True

    def stop(self):
        if self.proc:
            self.proc.send_signal(signal.SIGINT)
            self.proc.wait(30)
            sh('ip', '-n', NS, 'link', 'del', 'nlmon0', check=False)

    def count(self):
        """Generic-netlink requests (NLM_F_REQUEST) of a family other than nlctrl."""
        data = self.file.read_bytes()
        if len(data) < 24:
            return None
        magic = struct.unpack('<I', data[:4])[0]
        end = '<' if magic in (0xa1b2c3d4, 0xa1b23c4d) else '>'
        off, n = 24, 0
        cmds = {}
        while off + 16 <= len(data):
            incl = struct.unpack(end + 'I', data[off + 8:off + 12])[0]
            pkt = data[off + 16:off + 16 + incl]
            off += 16 + incl
            if len(pkt) < 16 + 20:
                continue
            proto = struct.unpack('>H', pkt[14:16])[0]
            if proto != 16:                 # NETLINK_GENERIC
                continue
            p = 16
            while p + 20 <= len(pkt):
                ln, typ, flags = struct.unpack('<IHH', pkt[p:p + 8])
                if ln < 16:
                    break
                if flags & 1 and typ > 0x10:
                    n += 1
                    cmds[pkt[p + 16]] = cmds.get(pkt[p + 16], 0) + 1
                p += (ln + 3) & ~3
        return n, cmds


IPVS_CMD = {1: 'NEW_SERVICE', 2: 'SET_SERVICE', 3: 'DEL_SERVICE', 4: 'GET_SERVICE',
            5: 'NEW_DEST', 6: 'SET_DEST', 7: 'DEL_DEST', 8: 'GET_DEST', 13: 'SET_CONFIG',
            14: 'GET_CONFIG', 15: 'GET_INFO', 16: 'ZERO', 17: 'FLUSH'}


# -- one case ------------------------------------------------------------------------------
def run_case(impl, binary, n, kind, delay, args, host):
    """Start with n RS, measure, optionally reload; returns a dict of figures."""
    work = Path(tempfile.mkdtemp(prefix=f'kbch-{impl}-', dir=args.keep or None))
    res = {'impl': impl, 'n': n, 'kind': kind, 'delay': delay}
    net = Net(n)
    d = None
    nl = None
    try:
        net.up()
        conf = work / 'keepalived.conf'
        conf.write_text(config(n, kind, delay))
        record = work / 'ipvs.jsonl' if host else None
        env = {'KEEPALIVED_IPVS_RECORD': str(record)} if host else {}
        table = Table(record)
        d = Floor(binary, n, delay) if impl == 'floor' else Daemon(binary, work, conf, env)
        t0 = time.monotonic()
        d.start()
        pid = d.checker_pid()
        if pid is None:
            res['error'] = 'no checker child (see ' + str(work / 'daemon.log') + ')'
            return res
        table.pid = d.proc.pid     # the parent: same namespace, outlives a child's respawn
        interval = 0.05
        if impl == 'floor':
            pass                   # no IPVS, no reload: only the window
        elif wait_until(lambda: table.count() >= n, args.timeout, interval):
            res['programmed_s'] = time.monotonic() - t0
        else:
            res['error'] = f'table not full after {args.timeout} s ({table.count()}/{n})'
        time.sleep(args.warmup)
        if d.checker_pid(5) != pid:
            # e.g. the parent's heartbeat killed a child that was busy too long
            res['error'] = (res.get('error', '') + f' checker child {pid} replaced by '
                            f'{d.checker_pid(5)} during start-up: see the daemon log').strip()
            pid = d.checker_pid(5)
            if pid is None:
                return res
        try:
            acc0, c0, w0 = net.accepted(), cpu_ticks(pid), time.monotonic()
            time.sleep(args.window)
            acc1, c1, w1 = net.accepted(), cpu_ticks(pid), time.monotonic()
            res['rss_kb'] = rss_anon(pid)
            if args.keep:
                # where the private memory is: heap, anonymous maps, libraries' written pages
                (work / 'checker.smaps').write_text(Path(f'/proc/{pid}/smaps').read_text())
        except FileNotFoundError:
            res['error'] = (res.get('error', '') + f' checker child {pid} died in the window'
                            ).strip()
            return res
        res['cpu_ms_s'] = (c1 - c0) * 1000 / HZ / (w1 - w0)
        res['checks_s'] = (acc1 - acc0) / (w1 - w0)
        if args.reload and n == args.reload and impl != 'floor':
            old, new = rs_addr(n - 1), rs_addr(n)
            if not host:
                nl = Nlmon(work)
                have_nl = nl.start()
            rec0 = len(record.read_text().splitlines()) if host and record.exists() else 0
            conf.write_text(config(n, kind, delay, replace_last=True))
            t = time.monotonic()
            os.kill(d.proc.pid, signal.SIGHUP)

            def applied():
                s = table.dests()
                return new in s and old not in s
            if wait_until(applied, args.timeout, 0.05 if host else 0.25):
                res['reload_s'] = time.monotonic() - t
            else:
                res['reload_error'] = 'new RS not in the table'
            time.sleep(2)
            now = d.checker_pid(5)
            if now != pid:
                res['reload_error'] = (res.get('reload_error', '') + f' checker child {pid} gone'
                                       f' (now {now}): see the daemon log').strip()
            if host:
                lines = record.read_text().splitlines()[rec0:]
                res['reload_ops'] = len(lines)
                res['reload_cmds'] = {}
                for x in lines:
                    m = re.search(r'"cmd":"(\w+)"', x)
                    if m:
                        res['reload_cmds'][m.group(1)] = res['reload_cmds'].get(m.group(1), 0) + 1
            elif have_nl:
                nl.stop()
                cnt = nl.count()
                if cnt:
                    res['reload_ops'] = cnt[0]
                    res['reload_cmds'] = {IPVS_CMD.get(k, str(k)): v for k, v in cnt[1].items()}
    finally:
        if nl:
            nl.stop()
        if d and d.proc:
            d.stop()
        net.down()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return res


def fmt(v, spec):
    return format(v, spec) if isinstance(v, (int, float)) else '-'


def table_print(results, title):
    print(f'\n{title}')
    cols = ['case', 'impl', 'programmed s', 'cpu ms/s', 'checks/s', 'RssAnon kB',
            'reload s', 'reload ops']
    rows = []
    for r in results:
        case = f'{r["kind"]} x{r["n"]} delay_loop {r["delay"]}'
        rows.append([case, r['impl'], fmt(r.get('programmed_s'), '.2f'),
                     fmt(r.get('cpu_ms_s'), '.1f'), fmt(r.get('checks_s'), '.0f'),
                     fmt(r.get('rss_kb'), 'd'), fmt(r.get('reload_s'), '.2f'),
                     fmt(r.get('reload_ops'), 'd')])
    w = [max(len(c), *(len(x[i]) for x in rows)) if rows else len(c) for i, c in enumerate(cols)]
    print('  '.join(c.ljust(w[i]) for i, c in enumerate(cols)))
    print('  '.join('-' * w[i] for i in range(len(cols))))
    for x in rows:
        print('  '.join(v.ljust(w[i]) for i, v in enumerate(x)))
    for r in results:
        for k in ('error', 'reload_error'):
            if k in r:
                print(f'  note: {r["impl"]} {r["kind"]} x{r["n"]}: {r[k]}')
        if r.get('reload_cmds'):
            print(f'  reload commands, {r["impl"]} x{r["n"]}: '
                  + ', '.join(f'{k} {v}' for k, v in sorted(r['reload_cmds'].items())))
    sys.stdout.flush()


def parse_cases(text):
    out = []
    for c in text.split(','):
        kind, n, delay = c.split(':')
        out.append((kind, int(n), float(delay) if '.' in delay else int(delay)))
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('mode', choices=['vm', 'host', 'all'])
    p.add_argument('--ours', default=str(REPO / 'build/keepalived/keepalived'))
    p.add_argument('--ref', default='/usr/sbin/keepalived')
    p.add_argument('--cases', default=None,
                   help='KIND:RS:DELAY_LOOP,... (vm default tcp:1000:1,tcp:10000:1,'
                        'http:1000:5; host default: tcp at each of --sizes and --delay)')
    p.add_argument('--sizes', default='100,1000,10000', help='host: RS counts (TCP_CHECK)')
    p.add_argument('--delay', type=int, default=1, help='host: delay_loop (default 1)')
    p.add_argument('--reload', type=int, default=10000,
                   help='reload the case with this many RS (0: none; default 10000)')
    p.add_argument('--warmup', type=float, default=5)
    p.add_argument('--window', type=float, default=10)
    p.add_argument('--timeout', type=float, default=300)
    p.add_argument('--impl', default='ours,ref',
                   help='vm: which of ours,ref,floor (floor: tests/bench/tcp_floor, TCP cases; '
                        'build it with `make -C build tests/bench/tcp_floor`)')
    p.add_argument('--keep', help='keep configs and logs under this directory')
    p.add_argument('--vm-timeout', type=int, default=3000)
    args = p.parse_args()
    if os.geteuid() != 0:
        sys.exit('bench_check.py: needs root (network namespaces)')
    if args.mode == 'all':
        a = [sys.argv[0], 'host', '--ours', args.ours, '--reload', str(args.reload)]
        subprocess.run(['/usr/bin/python3', *a])
        vm = REPO.parent / 'shared/tools/ipvs-vm'
        rel = ['/usr/bin/python3', 'tests/bench/bench_check.py', 'vm', '--ours', args.ours,
               '--ref', args.ref, '--reload', str(args.reload)]
        if args.cases:
            rel += ['--cases', args.cases]
        return subprocess.run([str(vm), '--timeout', str(args.vm_timeout), '--', *rel],
                              cwd=REPO).returncode
    results = []
    if args.mode == 'host':
        if Path('/proc/net/ip_vs').exists():
            print('note: this kernel has ip_vs; the host mode still uses the recording backend')
        cases = (parse_cases(args.cases) if args.cases else
                 [('tcp', int(x), args.delay) for x in args.sizes.split(',')])
        for kind, n, delay in cases:
            results.append(run_case('ours', args.ours, n, kind, delay, args, True))
            table_print(results[-1:], 'progress')
        table_print(results, f'host, ours alone, IPVS recorded (KEEPALIVED_IPVS_RECORD), '
                             f'window {args.window} s')
        return 0
    if not Path('/proc/net/ip_vs').exists():
        print('bench_check.py vm: no ip_vs here; run it in ../shared/tools/ipvs-vm (or `all`)')
        return 77
    floor = str(REPO / 'build/tests/bench/tcp_floor')
    impls = [(i, {'ours': args.ours, 'floor': floor}.get(i, args.ref))
             for i in args.impl.split(',')]
    for kind, n, delay in parse_cases(args.cases or 'tcp:1000:1,tcp:10000:1,http:1000:5'):
        for impl, binary in impls:
            if impl == 'floor' and kind != 'tcp':
                continue
            t = time.monotonic()
            results.append(run_case(impl, binary, n, kind, delay, args, False))
            print(f'{impl} {kind} x{n}: {time.monotonic() - t:.0f} s', flush=True)
    table_print(results, f'VM (TCG: only ratios mean anything), window {args.window} s')
    return 0


if __name__ == '__main__':
    sys.exit(main())
