#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""`keepalived --status` at scale (README.md, bench_status.py). Ours alone: keepalived 2.2.7
has no control socket.

    bench_status.py vrrp  [--ours PATH] [--instances 1000] [--queries 30] [--window 20]
    bench_status.py check [--ours PATH] [--servers 10000] [--queries 30]
    bench_status.py all   : both with their defaults

vrrp: N VRRP instances, all MASTER (bench_vrrp.py cost's network: two namespaces joined
by veth pairs, VRIDs 1..255 on each). Once the daemon sends N adverts/s:
  latency     request -> whole answer over the control socket (a Python client: no
              fork/exec), `status json` and `status`, median / p95 / max of --queries
              queries one after the other; `keepalived --status --json` as a process too
  size        the answer's bytes
  adverts     the interval between consecutive adverts of each instance, seen from the
              other namespace (kernel receive timestamps), over --window s without queries
              and then over --window s with `--status --json` once a second: the median,
              p99 and max deviation from advert_int (1 s) - the child renders each answer
              in its own loop, so a query must not move its adverts.
check: the checker child with N real servers (TCP_CHECK, delay_loop 60) on the host: no
ip_vs here, KEEPALIVED_IPVS_RECORD records its IPVS commands (bench_check.py host's
network: a namespace with one address per real server and one listener). Once every real
server is in the (recorded) table: the same latency and size figures.
"""
import argparse
import ctypes
import os
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / 'system'))
sys.dont_write_bytecode = True
import bench_check as bc  # noqa: E402
import bench_vrrp as bv  # noqa: E402
import kalib  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
DEFAULT_OURS = str(REPO / 'build' / 'keepalived' / 'keepalived')


def query(path, req):
    """(seconds, answer bytes) of one request on the control socket."""
    t0 = time.perf_counter()
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(30)
        s.connect(str(path))
        s.sendall(req.encode() + b'\n')
        chunks = []
        while True:
            b = s.recv(1 << 20)
            if not b:
                break
            chunks.append(b)
    data = b''.join(chunks)
    took = time.perf_counter() - t0
    if not data.startswith(b'OK\n'):
        raise RuntimeError(f'{req}: {data[:200]!r}')
    return took, len(data) - 3


def client(binary, path):
    t0 = time.perf_counter()
    r = subprocess.run([binary, '--status', '--json', f'--control-socket={path}'],
                       capture_output=True)
    if r.returncode:
        raise RuntimeError(f'--status --json: exit {r.returncode}: {r.stderr[:200]!r}')
    return time.perf_counter() - t0, len(r.stdout)


def stats_ms(xs):
    xs = sorted(xs)
    p95 = xs[min(len(xs) - 1, int(round(0.95 * (len(xs) - 1))))]
    return f'{statistics.median(xs) * 1000:8.2f} {p95 * 1000:8.2f} {xs[-1] * 1000:8.2f}'


def latency_rows(binary, path, queries):
    rows = []
    for what, fn in (('status json', lambda: query(path, 'status json')),
                     ('status (table)', lambda: query(path, 'status')),
                     ('keepalived --status --json', lambda: client(binary, path))):
        fn()        # warm
        res = [fn() for _ in range(queries)]
        rows.append(f'  {what:28s} {stats_ms([r[0] for r in res])} {res[-1][1]:>10d}')
    return ['  request                      median      p95      max   answer B'] + rows


class AdvertTimes:
    """Kernel receive time of each VRRP advert on the given interfaces of namespace ns,
    by (interface, VRID); the master's adverts only (incoming)."""
    CLONE_NEWNET = 0x40000000
    SO_TIMESTAMPNS = 35
    SO_RCVBUFFORCE = 33
    SO_ATTACH_FILTER = 26
    PACKET_OUTGOING = 4

    def __init__(self, ns, ifnames):
        self.ns, self.ifnames = ns, set(ifnames)
        self.times = {}
        self.recording = False
        self.lock = threading.Lock()
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._error = None
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        self._ready.wait(5)
        if self._error or not self._ready.is_set():
            raise RuntimeError(f'advert capture in {ns}: {self._error or "no start"}')

    def _run(self):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            fd = os.open(f'/run/netns/{self.ns}', os.O_RDONLY)
            try:
                if libc.setns(fd, self.CLONE_NEWNET) != 0:
                    raise OSError(ctypes.get_errno(), 'setns')
            finally:
                os.close(fd)
            sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0800))
            prog = b''.join(struct.pack('HBBI', *i) for i in bv.AdvertCounter.BPF)
            buf = ctypes.create_string_buffer(prog)
            sock.setsockopt(socket.SOL_SOCKET, self.SO_ATTACH_FILTER,
                            struct.pack('HL', len(bv.AdvertCounter.BPF), ctypes.addressof(buf)))
            sock.setsockopt(socket.SOL_SOCKET, self.SO_RCVBUFFORCE, 64 << 20)
            sock.setsockopt(socket.SOL_SOCKET, self.SO_TIMESTAMPNS, 1)
            sock.settimeout(0.2)
        except Exception as e:  # reported by __init__
            self._error = repr(e)
            self._ready.set()
            return
        self._ready.set()
        with sock:
            while not self._stop.is_set():
                try:
                    data, anc, _, addr = sock.recvmsg(64, 64)
                except socket.timeout:
                    continue
                if addr[0] not in self.ifnames or addr[2] == self.PACKET_OUTGOING:
                    continue
                ts = None
                for lvl, typ, d in anc:
                    if lvl == socket.SOL_SOCKET and typ == self.SO_TIMESTAMPNS:
                        sec, nsec = struct.unpack('qq', d[:16])
                        ts = sec + nsec / 1e9
                if ts is None or len(data) < 40 or not self.recording:
                    continue
                ihl = (data[14] & 0x0f) * 4     # after the Ethernet header
                vrid = data[14 + ihl + 1]
                with self.lock:
                    self.times.setdefault((addr[0], vrid), []).append(ts)

    def window(self, seconds, during=None):
        """Record for seconds (running during() once a second meanwhile); the intervals'
        deviations from 1 s, in ms, and how many intervals."""
        with self.lock:
            self.times = {}
        self.recording = True
        t_end = time.monotonic() + seconds
        while time.monotonic() < t_end:
            t = time.monotonic()
            if during:
                during()
            time.sleep(max(0, 1 - (time.monotonic() - t)))
        self.recording = False
        with self.lock:
            devs = [abs((b - a) - 1.0) * 1000 for ts in self.times.values()
                    for a, b in zip(ts, ts[1:])]
        return devs

    def stop(self):
        self._stop.set()
        self._thread.join(2)


def dev_row(what, devs):
    if not devs:
        return f'  {what:30s} (no advert seen)'
    devs = sorted(devs)
    p99 = devs[min(len(devs) - 1, int(0.99 * (len(devs) - 1)))]
    return (f'  {what:30s} {len(devs):9d} {statistics.median(devs):8.2f} {p99:8.2f} '
            f'{devs[-1]:8.2f}')


def bench_vrrp(args):
    n = args.instances
    k = (n + 254) // 255
    work = Path(tempfile.mkdtemp(prefix='kbst-'))
    net = bv.CostNet(k)
    d = cap = None
    try:
        conf = bv.vrrp_conf(work / 'ka.conf', bv.cost_instances(net, n, 'MASTER', 150),
                            router_id='kbst')
        sock = work / 'ka.ctl'
        d = kalib.Daemon(args.ours, net.a, conf, work, name='ka',
                         args=['-P', f'--control-socket={sock}'])
        bv.remove_pidfiles(d)
        t0 = time.monotonic()
        d.start()
        up = bv.wait_rate(net, n, t0, 3, 120)
        if up is None:
            raise RuntimeError(f'not {n} adverts/s after 120 s: see {d.log}')
        time.sleep(args.warmup)
        print(f'\nVRRP: {n} instances, all MASTER, advert_int 1 ({up:.1f} s to {n} adverts/s)')
        print('latency, ms over', args.queries, 'queries')
        print('\n'.join(latency_rows(args.ours, sock, args.queries)))
        cap = AdvertTimes(net.b, net.ifnames)
        quiet = cap.window(args.window)
        busy = cap.window(args.window, lambda: query(sock, 'status json'))
        print(f'advert interval deviation from 1 s, ms (each instance, {args.window:.0f} s '
              'windows)')
        print('  window                         intervals   median      p99      max')
        print(dev_row('no query', quiet))
        print(dev_row('--status --json every 1 s', busy))
        if d.search(r'is not responding|exited|Scheduler: '):
            print('  note: the daemon log has:',
                  d.search(r'.*(is not responding|exited|Scheduler: ).*').group(0))
    finally:
        if cap:
            cap.stop()
        if d:
            d.stop(30)
        net.destroy()
        if not args.keep:
            subprocess.run(['rm', '-rf', str(work)])
        else:
            print('kept', work)


def bench_check_case(args):
    n = args.servers
    work = Path(tempfile.mkdtemp(prefix='kbst-'))
    net = bc.Net(n)
    proc = log = None
    try:
        net.up()
        conf = work / 'ka.conf'
        conf.write_text(bc.config(n, 'tcp', 60))
        record = work / 'ipvs.jsonl'
        sock = work / 'ka.ctl'
        log = open(work / 'daemon.log', 'ab')
        proc = subprocess.Popen(
            ['ip', 'netns', 'exec', bc.NS, args.ours, '-n', '-l', '-C', '-f', str(conf),
             '-p', str(work / 'ka.pid'), '-c', str(work / 'check.pid'),
             '-r', str(work / 'vrrp.pid'), f'--control-socket={sock}'],
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            env=dict(os.environ, KEEPALIVED_IPVS_RECORD=str(record)), start_new_session=True)
        table = bc.Table(record)
        t0 = time.monotonic()
        if not bc.wait_until(lambda: table.count() >= n, 300, 0.5):
            raise RuntimeError(f'{n} real servers not programmed after 300 s: see {work}')
        time.sleep(args.warmup)
        print(f'\nChecker: 1 virtual server, {n} real servers, TCP_CHECK every 60 s, '
              f'KEEPALIVED_IPVS_RECORD ({time.monotonic() - t0:.1f} s to program them)')
        print('latency, ms over', args.queries, 'queries')
        print('\n'.join(latency_rows(args.ours, sock, args.queries)))
    finally:
        if proc and proc.poll() is None:
            os.kill(proc.pid, 15)
            try:
                proc.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, 9)
                proc.wait()
        if log:
            log.close()
        net.down()
        if not args.keep:
            subprocess.run(['rm', '-rf', str(work)])
        else:
            print('kept', work)


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument('--ours', default=DEFAULT_OURS)
    common.add_argument('--queries', type=int, default=30)
    common.add_argument('--warmup', type=float, default=3)
    common.add_argument('--keep', action='store_true', help='keep the work directory')
    sub = p.add_subparsers(dest='cmd', required=True)
    v = sub.add_parser('vrrp', parents=[common])
    v.add_argument('--instances', type=int, default=1000)
    v.add_argument('--window', type=float, default=20)
    c = sub.add_parser('check', parents=[common])
    c.add_argument('--servers', type=int, default=10000)
    sub.add_parser('all', parents=[common])
    args = p.parse_args()
    if os.geteuid() != 0:
        sys.exit('bench_status: needs root (network namespaces)')
    print(f'bench_status.py {args.cmd}: {args.ours}; {os.cpu_count()} CPUs, load '
          f'{os.getloadavg()[0]:.2f}')
    if args.cmd in ('vrrp', 'all'):
        if args.cmd == 'all':
            args.instances, args.window = 1000, 20
        bench_vrrp(args)
    if args.cmd in ('check', 'all'):
        if args.cmd == 'all':
            args.servers = 10000
        bench_check_case(args)


if __name__ == '__main__':
    main()
