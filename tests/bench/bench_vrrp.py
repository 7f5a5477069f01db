#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""VRRP benchmarks: our daemon and Debian's keepalived 2.2.7 side by side, in the same run.

Usage (as root, with Debian's /usr/bin/python3):

    tests/bench/bench_vrrp.py [--ours PATH] [--ref PATH] SUBCOMMAND [options]

    failover  [--runs 5] [--cases v2:1,v3:0.1,v3:0.01]
              Freeze+SIGKILL of a master (prio 200): last master advert -> the backup's
              (prio 100) first advert, against the RFC master_down_interval; SIGTERM of
              the master: its priority-0 advert -> the backup's first advert, against the
              RFC skew time. Medians over --runs, in ms.
    lifecycle [--runs 5] [--vips 3]
              One state MASTER instance with VIPs, priority 255 and 200: exec -> first
              advert on the wire, SIGTERM -> its priority-0 advert, SIGTERM -> parent exit.
    cost      [--sizes 1,100,255,1000] [--warmup 7] [--window 10]
              N instances, advert_int 1: CPU ms per second and peak RSS (VmHWM) of a
              daemon whose instances are all MASTER (alone), then of a daemon whose
              instances are all BACKUP under a master daemon of the same implementation.
    check     [--sizes 1000,10000,100000] [--timeout 120]
              Wall time of `-t -f FILE` on N generated vrrp_instances, best of 5 / 3 / 1
              run (under 1 s / under 10 s / longer); a run over --timeout s prints '>120 s'.
    syncgroup [--runs 5] [--cases v3:0.1,v2:1]
              A vrrp_sync_group of 10 instances on each side, master prio 200, backup 100:
              freeze+SIGKILL of the master, its last advert -> the backup's last member's
              first advert, against the RFC master_down_interval (and the spread from the
              backup's first member to its last).
    all       All four with their defaults (about 17 minutes on 2 cores: lifecycle 1,
              failover 3.5, cost 7, check 4.5 when both time out at 100k).

--ours defaults to <repo>/build/keepalived/keepalived, --ref to /usr/sbin/keepalived.
Options go after the subcommand: bench_vrrp.py failover --ours X --runs 3.
Passing the same binary twice (--ours /usr/sbin/keepalived) shows the noise level:
the ratio column should then read about 1.

Each table has one column per implementation and their ratio (ours / ref): below 1
means ours is faster / smaller. Daemons run VRRP only (-P) in namespaces of
tests/system/kalib.py (prefix kt + 4 random hex digits), all removed at exit.
See tests/bench/README.md.
"""
import argparse
import contextlib
import math
import os
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / 'system'))
sys.dont_write_bytecode = True
import kalib  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
DEFAULT_OURS = str(REPO / 'build' / 'keepalived' / 'keepalived')
DEFAULT_REF = '/usr/sbin/keepalived'
VRRP_ARGS = ['-P']          # VRRP only: no checker child (no ip_vs here)


# ---------------------------------------------------------------- output

def table(title, header, rows):
    """Print a title and left-aligned first columns, right-aligned figures."""
    cells = [[str(c) for c in header]] + [[fmt(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    text = [i == 0 or all(isinstance(r[i], str) and not r[i][:1] in '+-<>'
                          for r in rows) for i in range(len(header))]
    print(f'\n{title}')
    for n, r in enumerate(cells):
        print('  '.join(c.ljust(w) if text[i] else c.rjust(w)
                        for i, (c, w) in enumerate(zip(r, widths))).rstrip())
        if n == 0:
            print('  '.join('-' * w for w in widths))
    sys.stdout.flush()


def fmt(v):
    if v is None:
        return '-'
    if isinstance(v, float):
        return f'{v:.1f}' if abs(v) >= 10 else f'{v:.2f}' if abs(v) >= 1 else f'{v:.3f}'
    return str(v)


def ratio(a, b):
    if a is None or b is None or isinstance(a, str) or isinstance(b, str) or b == 0:
        return None
    return a / b


def median(xs):
    return statistics.median(xs) if xs else None


def note(msg):
    print(f'  note: {msg}', flush=True)


# ---------------------------------------------------------------- capture

class PcapTail:
    """The VRRP adverts of a pcap file that `tcpdump -U` is still writing, read incrementally."""

    def __init__(self, path):
        self.path = Path(path)
        self.off = 0
        self.hdr = None         # (endian, fraction, linktype)
        self.adverts = []

    def poll(self):
        try:
            with open(self.path, 'rb') as f:
                f.seek(self.off)
                data = f.read()
        except FileNotFoundError:
            return self.adverts
        pos = 0
        if self.hdr is None:
            if len(data) < 24:
                return self.adverts
            for endian in '<>':
                m = struct.unpack(endian + 'I', data[:4])[0]
                if m in (0xa1b2c3d4, 0xa1b23c4d):
                    break
            else:
                raise ValueError(f'{self.path}: not a pcap file')
            self.hdr = (endian, 1e-6 if m == 0xa1b2c3d4 else 1e-9,
                        struct.unpack(endian + 'I', data[20:24])[0])
            pos = 24
        endian, frac, lt = self.hdr
        pkts = []
        while pos + 16 <= len(data):
            sec, sub, incl, _ = struct.unpack(endian + 'IIII', data[pos:pos + 16])
            if pos + 16 + incl > len(data):
                break
            pkts.append((sec + sub * frac, lt, data[pos + 16:pos + 16 + incl]))
            pos += 16 + incl
        self.off += pos
        self.adverts += kalib.vrrp_adverts(pkts)
        return self.adverts

    def wait(self, pred, timeout, what):
        """Poll until pred(adverts) is true (returned); None after timeout s."""
        deadline = time.monotonic() + timeout
        while True:
            v = pred(self.poll())
            if v:
                return v
            if time.monotonic() >= deadline:
                return None
            time.sleep(0.01)


def capture(topo, path):
    """tcpdump of the VRRP adverts crossing the topology's bridge."""
    return kalib.Capture(topo.switch, topo.bridge, path, 'ip proto 112').start()


# ---------------------------------------------------------------- processes

def proc_cpu_ns(pid):
    """CPU time (user + system) of all threads of pid, in ns: sum_exec_runtime of
    /proc/PID/task/*/schedstat, the figure utime+stime are sampled from, at ns resolution."""
    total = 0
    try:
        tasks = list(Path(f'/proc/{pid}/task').iterdir())
    except FileNotFoundError:
        return None
    for t in tasks:
        try:
            total += int((t / 'schedstat').read_text().split()[0])
        except (FileNotFoundError, ProcessLookupError):
            pass
        except (OSError, ValueError):   # no schedstat: utime + stime in clock ticks
            stat = (t / 'stat').read_text()
            f = stat[stat.rindex(')') + 2:].split()
            total += (int(f[11]) + int(f[12])) * 1_000_000_000 // os.sysconf('SC_CLK_TCK')
    return total


def proc_status_kb(pid, field):
    try:
        for line in Path(f'/proc/{pid}/status').read_text().splitlines():
            if line.startswith(field + ':'):
                return int(line.split()[1])
    except FileNotFoundError:
        pass
    return None


def freeze_kill(daemon):
    """SIGSTOP the daemon's whole tree, then SIGKILL it: no goodbye advert can leave."""
    pids = daemon.tree()
    for p in pids:
        kalib.kill(p, signal.SIGSTOP)
    for p in pids:
        kalib.kill(p, signal.SIGKILL)
    daemon.kill_tree()
    reap_all(pids)


def reap_all(pids, timeout=5):
    """Wait until the (killed) pids are gone, collecting those that are our children.

    A VRRP child orphaned by its parent's SIGKILL is adopted by us (kalib makes us a
    subreaper) some time after the kill: unreaped, its zombie keeps the PID of the pid
    file alive and the next start says "daemon is already running".
    """
    deadline = time.monotonic() + timeout
    todo = set(pids)
    while todo and time.monotonic() < deadline:
        for p in list(todo):
            try:
                done, _ = os.waitpid(p, os.WNOHANG)
            except ChildProcessError:   # not (or no longer) our child
                done = p if not os.path.exists(f'/proc/{p}') else 0
            if done:
                todo.discard(p)
        if todo:
            time.sleep(0.005)
    return not todo


def daemon(binary, ns, conf, tmp, name):
    """A kalib.Daemon running VRRP only, with all four pid files (also BFD's) in tmp."""
    d = kalib.Daemon(binary, ns, conf, tmp, name=name,
                     args=[*VRRP_ARGS, '-b', str(Path(tmp, f'{name}-bfd.pid'))])
    remove_pidfiles(d)
    return d


def remove_pidfiles(daemon):
    for f in (daemon.pidfile, daemon.vrrp_pidfile, daemon.check_pidfile,
              daemon.pidfile.with_name(daemon.pidfile.stem + '-bfd.pid')):
        f.unlink(missing_ok=True)


def config_ok(binary, ns, conf):
    """(accepted, first message) of `binary -t -f conf`, run in ns."""
    r = kalib.run_binary(binary, ['-t', '-f', str(conf)], ns=ns)
    msg = (r.stderr.strip().splitlines() or [''])[0]
    return r.returncode == 0, msg


def vrrp_conf(path, instances, version=2, router_id='hbn'):
    """Write a config of instances: dicts of name, state, ifname, vrid, prio, advert, vips."""
    out = ['global_defs {', f'    router_id {router_id}', f'    vrrp_version {version}', '}']
    for i in instances:
        out += ['', f'vrrp_instance {i["name"]} {{', f'    state {i["state"]}',
                f'    interface {i["ifname"]}', f'    virtual_router_id {i["vrid"]}',
                f'    priority {i["prio"]}', f'    advert_int {i["advert"]}',
                '    virtual_ipaddress {', *(f'        {v}' for v in i['vips']), '    }', '}']
    Path(path).write_text('\n'.join(out) + '\n')
    return Path(path)


def impls(args):
    out = [('ours', args.ours), ('keepalived', args.ref)]
    for name, b in out:
        if not (os.path.isfile(b) and os.access(b, os.X_OK)):
            sys.exit(f'bench_vrrp: {name} binary {b} is not an executable file')
    return out


def workdir(args):
    """A temporary directory, or --keep DIR (created, not removed)."""
    if args.keep:
        os.makedirs(args.keep, exist_ok=True)
        return contextlib.nullcontext(args.keep)
    return tempfile.TemporaryDirectory(prefix='hbn')


def header_line(args):
    print(f'ours = {args.ours}\nkeepalived = {args.ref}', flush=True)


# ---------------------------------------------------------------- failover

def rfc_times(version, advert_s, prio=100):
    """(master_down_interval, skew_time) in s, RFC 3768 (v2) / RFC 5798 (v3)."""
    skew = (256 - prio) / 256 if version == 2 else (256 - prio) * advert_s / 256
    return 3 * advert_s + skew, skew


def failover_case(binary, topo, tmp, tag, version, advert, runs):
    """Per-run times (s) of 'kill' and 'term' takeovers, plus notes."""
    a_addr, b_addr = topo.addr4['a'], topo.addr4['b']
    inst = dict(name='VI_1', ifname='eth0', vrid=51, advert=advert, vips=['192.0.2.100/24'])
    conf_a = vrrp_conf(Path(tmp, f'{tag}-a.conf'), [dict(inst, state='MASTER', prio=200)],
                       version, 'hbn_a')
    conf_b = vrrp_conf(Path(tmp, f'{tag}-b.conf'), [dict(inst, state='BACKUP', prio=100)],
                       version, 'hbn_b')
    res = dict(kill=[], term=[], notes=[])
    ok, msg = config_ok(binary, topo.host('a'), conf_a)
    if msg:
        res['notes'].append(f'-t: {msg}')
    if not ok:
        res['notes'].append('config rejected: not run')
        return res
    advert_s = float(advert)
    down = rfc_times(version, advert_s)[0]
    steady_n = max(3, math.ceil(0.5 / advert_s))
    cap = capture(topo, Path(tmp, f'{tag}.pcap'))
    tail = PcapTail(cap.path)
    b = daemon(binary, topo.host('b'), conf_b, tmp, f'{tag}-b')
    b.start()
    try:
        for mode in ('kill', 'term'):
            for n in range(runs):
                a = daemon(binary, topo.host('a'), conf_a, tmp, f'{tag}-a')
                t0 = time.time()
                a.start()

                def steady(ads):
                    recent = [x for x in ads if x['ts'] >= t0 and x['vrid'] == 51]
                    mine = [x for x in recent if x['src'] == a_addr and x['priority'] == 200]
                    return (len(mine) >= steady_n
                            and all(x['src'] == a_addr for x in recent[-3:]))
                if not tail.wait(steady, 5 + 10 * advert_s, 'steady master'):
                    last = (a.tail(1) or '(empty log)').strip()
                    res['notes'].append(f'{mode} run {n}: master did not settle: skipped; '
                                        f'its last log line: {last}')
                    freeze_kill(a)
                    continue
                t1 = time.time()
                if mode == 'kill':
                    freeze_kill(a)
                else:
                    a.signal(signal.SIGTERM)

                def took_over(ads):
                    return [x for x in ads if x['src'] == b_addr and x['ts'] >= t1]
                got = tail.wait(took_over, 5 + 5 * advert_s, 'backup advert')
                if mode == 'term':
                    try:
                        a.wait_exit(10)
                    except AssertionError:
                        res['notes'].append(f'term run {n}: master did not exit in 10 s')
                    a.kill_tree()
                kalib.sh('ip', '-n', topo.host('a'), 'addr', 'del', '192.0.2.100/24',
                         'dev', 'eth0', check=False)
                if not got:
                    res['notes'].append(f'{mode} run {n}: backup never advertised')
                    continue
                first_b = got[0]['ts']
                if mode == 'kill':
                    before = [x['ts'] for x in tail.adverts
                              if x['src'] == a_addr and x['ts'] < first_b]
                    res['kill'].append(first_b - before[-1])
                    if first_b - before[-1] < down - advert_s:
                        res['notes'].append(
                            f'kill run {n}: backup advertised {(first_b - before[-1]) * 1000:.1f}'
                            ' ms after the last master advert: it timed out while the master '
                            'was still alive (a late advert, or a late backup)')
                else:
                    zero = [x for x in tail.adverts if x['src'] == a_addr
                            and x['priority'] == 0 and x['ts'] >= t1]
                    if not zero:
                        res['notes'].append(f'term run {n}: no priority-0 advert')
                        continue
                    res['term'].append(first_b - zero[0]['ts'])
                    if n == 0:
                        after = [x for x in tail.adverts if x['src'] == a_addr
                                 and x['ts'] >= t1]
                        res['notes'].append(
                            f'SIGTERM: master sent {len(after)} advert(s) after the signal, '
                            f'priorities {[x["priority"] for x in after]}')
    finally:
        b.stop()
        cap.stop()
    cs = {x['advert_cs'] for x in tail.adverts}
    if cs != {round(advert_s * 100)}:
        res['notes'].append(f'advert interval on the wire: {sorted(cs)} cs')
    return res


def bench_failover(args):
    header_line(args)
    cases = []
    for c in args.cases.split(','):
        v, ai = c.split(':')
        cases.append((int(v.lstrip('v')), ai))
    rows, notes = [], []
    topo = kalib.Topology(('a', 'b'))
    try:
        with workdir(args) as tmp:
            for version, ai in cases:
                down, skew = rfc_times(version, float(ai))
                per = {}
                for name, binary in impls(args):
                    tag = f'{name}-v{version}-{ai}'
                    r = failover_case(binary, topo, tmp, tag, version, ai, args.runs)
                    per[name] = r
                    notes += [f'{name} v{version} advert_int {ai}: {m}' for m in r['notes']]
                for mode, rfc in (('kill', down), ('term', skew)):
                    m = [median(per[n][mode]) for n in ('ours', 'keepalived')]
                    spread = [devs(per[n][mode], rfc) for n in ('ours', 'keepalived')]
                    rows.append((f'v{version} advert_int {ai}', mode, rfc * 1000,
                                 ms(m[0]), dev(m[0], rfc), spread[0],
                                 ms(m[1]), dev(m[1], rfc), spread[1], ratio(m[0], m[1])))
    finally:
        topo.destroy()
    table(f'failover, ms (median of {args.runs}): kill = freeze+SIGKILL master, last master '
          'advert -> backup\'s first advert, rfc = master_down_interval; term = SIGTERM, '
          'priority-0 advert -> backup\'s first advert, rfc = skew_time; dev = median - rfc',
          ('case', 'event', 'rfc', 'ours', 'ours_dev', 'ours_dev_range',
           'keepalived', 'keepalived_dev', 'keepalived_dev_range', 'ratio'), rows)
    for n in notes:
        note(n)


def ms(s):
    return None if s is None else s * 1000


def dev(s, rfc):
    return None if s is None else (s - rfc) * 1000


def devs(xs, rfc):
    if not xs:
        return None
    return f'{(min(xs) - rfc) * 1000:+.1f}..{(max(xs) - rfc) * 1000:+.1f}'


# ---------------------------------------------------------------- lifecycle

def bench_lifecycle(args):
    header_line(args)
    topo = kalib.Topology(('a',))
    addr = topo.addr4['a']
    vips = [f'192.0.2.{100 + i}/24' for i in range(args.vips)]
    prios = (255, 200)
    res = {(n, pr): dict(start=[], prio0=[], exit=[]) for n, _ in impls(args) for pr in prios}
    notes = set()
    try:
        with workdir(args) as tmp:
            confs = {pr: vrrp_conf(Path(tmp, f'lc{pr}.conf'), [dict(
                name='VI_1', state='MASTER', ifname='eth0', vrid=51, prio=pr, advert=1,
                vips=vips)], 2, 'hbn_lc') for pr in prios}
            cap = capture(topo, Path(tmp, 'lc.pcap'))
            tail = PcapTail(cap.path)
            try:
                for n in range(args.runs):
                    for pr in prios:
                        for name, binary in impls(args):   # interleaved: same conditions
                            lifecycle_once(binary, topo, addr, vips, confs[pr], tmp,
                                           f'lc-{name}-{pr}', tail, res[name, pr], notes)
            finally:
                cap.stop()
    finally:
        topo.destroy()
    rows = []
    for pr in prios:
        for key, label in (('start', 'exec -> first advert'),
                           ('prio0', 'SIGTERM -> priority-0 advert'),
                           ('exit', 'SIGTERM -> parent exit')):
            m = [median(res[n, pr][key]) for n in ('ours', 'keepalived')]
            rfc = None
            if key == 'start':
                rfc = 0.0 if pr == 255 else rfc_times(2, 1, pr)[0] * 1000
            rows.append((f'prio {pr}', label, rfc, ms(m[0]), ms(m[1]), ratio(m[0], m[1])))
    table(f'lifecycle, ms (median of {args.runs}): one instance, state MASTER, advert_int 1, '
          f'{args.vips} VIPs; rfc = the RFC start-up (255: master at once; else backup '
          'until master_down_interval)',
          ('instance', 'event', 'rfc', 'ours', 'keepalived', 'ratio'), rows)
    for n in sorted(notes):
        note(n)


def lifecycle_once(binary, topo, addr, vips, conf, tmp, tag, tail, res, notes):
    d = daemon(binary, topo.host('a'), conf, tmp, tag)
    t0 = time.time()
    d.start()
    try:
        first = tail.wait(lambda ads: [x for x in ads if x['ts'] >= t0 and x['src'] == addr
                                       and x['priority'] > 0], 10, 'advert')
        if not first:
            notes.add(f'{tag}: no advert within 10 s')
            return
        res['start'].append(first[0]['ts'] - t0)
        try:
            kalib.wait_for(lambda: all(topo.has_addr('a', v.split('/')[0]) for v in vips),
                           5, 'VIPs')
        except AssertionError:
            notes.add(f'{tag}: VIPs not all set 5 s after the first advert')
        time.sleep(0.2)
        t1 = time.time()
        d.signal(signal.SIGTERM)
        try:
            d.proc.wait(10)
            res['exit'].append(time.time() - t1)
        except subprocess.TimeoutExpired:
            notes.add(f'{tag}: no exit within 10 s of SIGTERM')
        zero = tail.wait(lambda ads: [x for x in ads if x['ts'] >= t1 and x['priority'] == 0],
                         1, 'prio 0')
        if zero:
            res['prio0'].append(zero[0]['ts'] - t1)
        else:
            notes.add(f'{tag}: no priority-0 advert after SIGTERM')
    finally:
        d.kill_tree()
    left = [v for v in vips if topo.has_addr('a', v.split('/')[0])]
    if left:
        notes.add(f'{tag}: VIPs left after exit: {left}')
        for v in left:
            kalib.sh('ip', '-n', topo.host('a'), 'addr', 'del', v, 'dev', 'eth0', check=False)


# ---------------------------------------------------------------- cost

class AdvertCounter:
    """Counts the VRRP adverts a namespace receives and sends, from a packet socket there.

    A thread enters the namespace (setns), opens an AF_PACKET socket with a classic BPF
    filter that passes IPv4 protocol 112 only, and counts by direction, so neither ARP
    bursts nor IPv6 chatter count, and no capture process competes for the CPU.
    """
    CLONE_NEWNET = 0x40000000
    SO_ATTACH_FILTER = 26
    SO_RCVBUFFORCE = 33
    SOL_PACKET = 263
    PACKET_STATISTICS = 6
    PACKET_OUTGOING = 4
    # ldh [12]; jeq 0x800 ? next : drop; ldb [23]; jeq 112 ? accept : drop; ret 64; ret 0
    BPF = ((0x28, 0, 0, 12), (0x15, 0, 3, 0x0800), (0x30, 0, 0, 23), (0x15, 0, 1, 112),
           (0x06, 0, 0, 64), (0x06, 0, 0, 0))

    def __init__(self, ns, ifnames):
        import threading
        self.ns, self.ifnames = ns, set(ifnames)
        self.rx = self.tx = self.dropped = 0
        self._sock = None
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._error = None
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        self._ready.wait(5)
        if self._error or not self._ready.is_set():
            raise RuntimeError(f'advert counter in {ns}: {self._error or "no start"}')

    def _run(self):
        import ctypes
        import socket
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            fd = os.open(f'/run/netns/{self.ns}', os.O_RDONLY)
            try:
                if libc.setns(fd, self.CLONE_NEWNET) != 0:
                    raise OSError(ctypes.get_errno(), 'setns')
            finally:
                os.close(fd)
            sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
            prog = b''.join(struct.pack('HBBI', *i) for i in self.BPF)
            buf = ctypes.create_string_buffer(prog)
            sock.setsockopt(socket.SOL_SOCKET, self.SO_ATTACH_FILTER,
                            struct.pack('HL', len(self.BPF), ctypes.addressof(buf)))
            # A daemon may send all its adverts in one burst: room for 10k of them.
            sock.setsockopt(socket.SOL_SOCKET, self.SO_RCVBUFFORCE, 32 << 20)
            sock.settimeout(0.2)
            self._sock = sock
        except Exception as e:  # reported by __init__
            self._error = repr(e)
            self._ready.set()
            return
        self._ready.set()
        with sock:
            data = bytearray(64)
            while not self._stop.is_set():
                try:
                    _, addr = sock.recvfrom_into(data, 64)
                except socket.timeout:
                    continue
                if addr[0] in self.ifnames:
                    if addr[2] == self.PACKET_OUTGOING:
                        self.tx += 1
                    else:
                        self.rx += 1

    def drops(self):
        """Adverts the socket dropped so far (its queue overflowed): counts are low by that."""
        if self._sock is not None:
            try:
                _, d = struct.unpack('II', self._sock.getsockopt(self.SOL_PACKET,
                                                                 self.PACKET_STATISTICS, 8))
                self.dropped += d   # reading resets the kernel's counters
            except OSError:
                pass
        return self.dropped

    def stop(self):
        self._stop.set()
        self._thread.join(2)


class CostNet:
    """Two host namespaces joined by K veth pairs (VRIDs 1..255 on each), 198.18.J.{1,2}/24.

    An AdvertCounter in b counts the adverts a sends (b's rx) and b sends (b's tx).
    """

    def __init__(self, k):
        self.a, self.b = kalib.netns_add('a'), kalib.netns_add('b')
        self.ifnames = [f'{kalib.PREFIX}v{j}' for j in range(k)]
        self.counter = None
        for j, ifn in enumerate(self.ifnames):
            kalib.sh('ip', '-n', self.a, 'link', 'add', ifn, 'type', 'veth',
                     'peer', 'name', ifn, 'netns', self.b)
            for ns, h in ((self.a, 1), (self.b, 2)):
                kalib.sh('ip', '-n', ns, 'addr', 'add', f'198.18.{j}.{h}/24', 'dev', ifn)
                kalib.sh('ip', '-n', ns, 'link', 'set', ifn, 'up')
        self.counter = AdvertCounter(self.b, self.ifnames)

    def destroy(self):
        if self.counter:
            self.counter.stop()
        kalib.netns_del(self.a)
        kalib.netns_del(self.b)

    def counts(self):
        """(adverts sent by a, adverts sent by b) so far."""
        return self.counter.rx, self.counter.tx


def cost_instances(net, n, state, prio):
    return [dict(name=f'VI_{i}', state=state, ifname=net.ifnames[i // 255], vrid=i % 255 + 1,
                 prio=prio, advert=1, vips=[f'198.19.{i // 250}.{i % 250 + 1}/32'])
            for i in range(n)]


def measure(daemons, net, window):
    """{daemon: (cpu ms/s, parent VmHWM kB, VRRP child VmHWM kB, its RssAnon kB[, note])},
    (adverts/s sent by a, by b) over the window."""
    def snap():
        return {d: {p: proc_cpu_ns(p) for p in d.tree()} for d in daemons}
    def used(a, b, d):
        return sum(b[d][p] - a[d].get(p, 0) for p in b[d] if b[d][p] is not None) / 1e6
    d0 = net.counter.drops()
    c0, s0, t0 = net.counts(), snap(), time.monotonic()
    time.sleep(window / 2)
    sh, th = snap(), time.monotonic()
    time.sleep(window / 2)
    s1, t1, c1 = snap(), time.monotonic(), net.counts()
    out = {}
    for d in daemons:
        vp = d.vrrp_pid()
        out[d] = (used(s0, s1, d) / (t1 - t0), proc_status_kb(d.pid, 'VmHWM'),
                  proc_status_kb(vp, 'VmHWM') if vp else None,
                  proc_status_kb(vp, 'RssAnon') if vp else None)
        if set(s0[d]) != set(s1[d]):
            out[d] += ('process tree changed during the window',)
        dropped = net.counter.drops() - d0
        if dropped:
            out[d] += (f'the advert counter dropped {dropped} adverts in the window',)
        h1, h2 = used(s0, sh, d) / (th - t0), used(sh, s1, d) / (t1 - th)
        if max(h1, h2) > 1.5 * min(h1, h2) + 1:
            out[d] += (f'not steady: {h1:.1f} then {h2:.1f} cpu ms/s in the two halves',)
    return out, tuple((c1[i] - c0[i]) / (t1 - t0) for i in (0, 1))


def wait_rate(net, want, t0, hold, timeout):
    """Seconds from t0 until a's adverts reach want/s and stay there for hold s; None
    after timeout s. Counted over sliding windows of 1.1 to 1.35 s (sampled every 0.25 s),
    each of which holds at least one full second of adverts whatever their phase, even
    when all instances send in one burst a second: want (one advert short allowed)."""
    hist, since = [(time.monotonic(), net.counts()[0])], None
    while time.monotonic() - t0 < timeout:
        time.sleep(0.25)
        now = (time.monotonic(), net.counts()[0])
        hist.append(now)
        old = [h for h in hist if now[0] - h[0] >= 1.1]
        if old and now[1] - old[-1][1] >= max(1, want - 1):
            since = since or now[0]
            if now[0] - since >= hold:
                return since - t0
        else:
            since = None
    return None


def tree_cpu_ns(d):
    return sum(c for c in (proc_cpu_ns(p) for p in d.tree()) if c is not None)


def wait_quiet(d, t0, limit_ms, timeout):
    """Seconds from t0 until daemon d used less than limit_ms of CPU in one second."""
    prev, tp = tree_cpu_ns(d), time.monotonic()
    while time.monotonic() - t0 < timeout:
        time.sleep(1)
        cur, tc = tree_cpu_ns(d), time.monotonic()
        if (cur - prev) / 1e6 / (tc - tp) < limit_ms:
            return tc - t0
        prev, tp = cur, tc
    return None


QUIET_MS = 100      # CPU ms/s below which a starting backup counts as settled

COST_ROWS = (('master', 'up', 'start -> N adverts/s, s'), ('master', 'cpu', 'cpu ms/s'),
             ('master', 'hwm_parent', 'parent VmHWM kB'), ('master', 'hwm_vrrp', 'vrrp VmHWM kB'),
             ('master', 'anon_vrrp', 'vrrp RssAnon kB'),
             ('master', 'tx_a', 'adverts/s sent'),
             ('backup', 'up', f'start -> < {QUIET_MS} cpu ms/s, s'), ('backup', 'cpu', 'cpu ms/s'),
             ('backup', 'hwm_parent', 'parent VmHWM kB'), ('backup', 'hwm_vrrp', 'vrrp VmHWM kB'),
             ('backup', 'anon_vrrp', 'vrrp RssAnon kB'),
             ('backup', 'tx_a', 'adverts/s by the master'),
             ('backup', 'tx_b', 'adverts/s by the backup'))


def cost_side(daemons, d, net, window):
    res, tx = measure(daemons, net, window)
    r = res[d]
    return dict(cpu=r[0], hwm_parent=r[1], hwm_vrrp=r[2], anon_vrrp=r[3], tx_a=tx[0], tx_b=tx[1],
                notes=list(r[4:]))


def bench_cost(args):
    header_line(args)
    sizes = [int(s) for s in args.sizes.split(',')]
    rows, notes = [], []
    t_start = time.monotonic()
    for n in sizes:
        net = CostNet(math.ceil(n / 255))
        fig = {}
        try:
            with workdir(args) as tmp:
                for name, binary in impls(args):
                    tag = f'cost-{name}-{n}'
                    ca = vrrp_conf(Path(tmp, f'{tag}-m.conf'),
                                   cost_instances(net, n, 'MASTER', 200), 2, 'hbn_m')
                    cb = vrrp_conf(Path(tmp, f'{tag}-b.conf'),
                                   cost_instances(net, n, 'BACKUP', 100), 2, 'hbn_b')
                    m = daemon(binary, net.a, ca, tmp, f'{tag}-m')
                    b = daemon(binary, net.b, cb, tmp, f'{tag}-b')
                    try:
                        t0 = time.monotonic()
                        m.start()
                        up = wait_rate(net, 0.98 * n, t0, 2, 60)
                        if up is None:
                            notes.append(f'{name} {n}: not {n} adverts/s for 2 s within 60 s '
                                         'of start; measured anyway')
                        time.sleep(args.warmup)
                        fig[name, 'master'] = dict(cost_side([m], m, net, args.window), up=up)
                        t0 = time.monotonic()
                        b.start()
                        up = wait_quiet(b, t0, QUIET_MS, 60)
                        if up is None:
                            notes.append(f'{name} {n}: backup still above {QUIET_MS} CPU ms/s '
                                         '60 s after start; measured anyway')
                        time.sleep(args.warmup)
                        fig[name, 'backup'] = dict(cost_side([m, b], b, net, args.window), up=up)
                        for d in (m, b):
                            if not d.running():
                                notes.append(f'{name} {n}: {d.log} exited early: '
                                             f'{d.tail(1).strip()}')
                    finally:
                        b.stop(10)
                        m.stop(10)
        finally:
            net.destroy()
        for side, key, label in COST_ROWS:
            o, k = fig['ours', side][key], fig['keepalived', side][key]
            rows.append((n, side, label, o, k, ratio(o, k) if key[:2] != 'tx' else None))
        for name in ('ours', 'keepalived'):
            for side in ('master', 'backup'):
                notes += [f'{name} {n} {side}: {x}' for x in fig[name, side]['notes']]
    table(f'cost: N instances, advert_int 1; master side alone, then backup side under a '
          f'master of the same implementation; window {args.window:g} s after {args.warmup:g} s '
          'of warm-up (master: from 2 s at N adverts/s); cpu = user+sys of parent + VRRP child per '
          'wall second; VmHWM = peak RSS; RssAnon = the private (anonymous) part of the RSS at the '
          'window\'s end: heap, stacks, written data; it leaves out the shared libraries\' pages',
          ('N', 'side', 'metric', 'ours', 'keepalived', 'ratio'), rows)
    for x in notes:
        note(x)
    note(f'took {time.monotonic() - t_start:.0f} s')


# ---------------------------------------------------------------- check (-t)

def check_conf(path, n):
    with open(path, 'w') as f:
        f.write('global_defs {\n    router_id hbn_check\n}\n')
        for i in range(n):
            v = i + 1
            f.write(f'\nvrrp_instance VI_{i} {{\n    state BACKUP\n    interface eth0\n'
                    f'    virtual_router_id {i % 255 + 1}\n    priority 100\n'
                    f'    advert_int 1\n    virtual_ipaddress {{\n'
                    f'        198.18.{v >> 8 & 255}.{v & 255}/32\n    }}\n}}\n')
    return path


def timed(binary, ns, conf, timeout):
    """(wall s or None on timeout, exit code, first stderr line) of binary -t -f conf."""
    t0 = time.monotonic()
    try:
        r = kalib.run_binary(binary, ['-t', '-f', str(conf)], ns=ns, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, None, ''
    return time.monotonic() - t0, r.returncode, (r.stderr.strip().splitlines() or [''])[0]


def bench_check(args):
    header_line(args)
    sizes = [int(s) for s in args.sizes.split(',')]
    topo = kalib.Topology(('a',))
    rows, notes = [], {}
    try:
        with workdir(args) as tmp:
            for n in sizes:
                conf = check_conf(Path(tmp, f'c{n}.conf'), n)
                best = {}
                for name, binary in impls(args):
                    times = []
                    while True:
                        t, rc, msg = timed(binary, topo.host('a'), conf, args.timeout)
                        if t is None:
                            break
                        times.append(t)
                        if rc != 0 or msg:
                            notes.setdefault((name, rc, msg), set()).add(n)
                        # best of 5 under 1 s, of 3 under 10 s, else one run
                        if len(times) >= (5 if times[0] < 1 else 3 if times[0] < 10 else 1):
                            break
                    best[name] = min(times) if times else f'>{args.timeout:g} s'
                o, k = best['ours'], best['keepalived']
                rows.append((n, o, k, ratio(o, k),
                             o / n * 1e6 if not isinstance(o, str) else None,
                             k / n * 1e6 if not isinstance(k, str) else None))
    finally:
        topo.destroy()
    table('-t -f FILE on N vrrp_instances (eth0, vrid cycling 1..255, one VIP each), wall s, '
          'best of 5 (of 3 over 1 s, 1 run over 10 s); per_1k = ms per 1000 instances '
          '(constant = linear, growing with N = quadratic)',
          ('N', 'ours_s', 'keepalived_s', 'ratio', 'ours_per_1k_ms', 'keepalived_per_1k_ms'),
          rows)
    for (name, rc, msg), ns in notes.items():
        note(f'{name} N={",".join(map(str, sorted(ns)))}: exit {rc}: {msg}')


# ---------------------------------------------------------------- main

# ---------------------------------------------------------------- sync group failover

SYNC_N = 10


def sync_conf(path, prio, state, version, advert, router_id, n=SYNC_N):
    """n instances (VRIDs 51.., one VIP each) in one vrrp_sync_group G1."""
    insts = [dict(name=f'VI_{k + 1}', state=state, ifname='eth0', vrid=51 + k, prio=prio,
                  advert=advert, vips=[f'192.0.2.{101 + k}/24']) for k in range(n)]
    vrrp_conf(path, insts, version, router_id)
    members = ''.join(f'        VI_{k + 1}\n' for k in range(n))
    with open(path, 'a') as f:
        f.write(f'\nvrrp_sync_group G1 {{\n    group {{\n{members}    }}\n}}\n')
    return Path(path)


def sync_case(binary, topo, tmp, tag, version, advert, runs):
    """Per-run (last master advert -> the last member's first advert from b, spread) in s."""
    a_addr, b_addr = topo.addr4['a'], topo.addr4['b']
    conf_a = sync_conf(Path(tmp, f'{tag}-a.conf'), 200, 'MASTER', version, advert, 'hbn_a')
    conf_b = sync_conf(Path(tmp, f'{tag}-b.conf'), 100, 'BACKUP', version, advert, 'hbn_b')
    res = dict(kill=[], spread=[], notes=[])
    ok, msg = config_ok(binary, topo.host('a'), conf_a)
    if msg:
        res['notes'].append(f'-t: {msg}')
    if not ok:
        res['notes'].append('config rejected: not run')
        return res
    advert_s = float(advert)
    vrids = set(range(51, 51 + SYNC_N))
    cap = capture(topo, Path(tmp, f'{tag}.pcap'))
    tail = PcapTail(cap.path)
    b = daemon(binary, topo.host('b'), conf_b, tmp, f'{tag}-b')
    b.start()
    try:
        for n in range(runs):
            a = daemon(binary, topo.host('a'), conf_a, tmp, f'{tag}-a')
            t0 = time.time()
            a.start()

            def steady(ads):
                recent = [x for x in ads if x['ts'] >= t0]
                mine = {x['vrid'] for x in recent[-3 * SYNC_N:]
                        if x['src'] == a_addr and x['priority'] == 200}
                return mine == vrids and all(x['src'] == a_addr for x in recent[-SYNC_N:])
            if not tail.wait(steady, 5 + 10 * advert_s, 'steady master'):
                res['notes'].append(f'run {n}: master did not settle: skipped')
                freeze_kill(a)
                continue
            t1 = time.time()
            freeze_kill(a)

            def all_over(ads):
                got = {}
                for x in ads:
                    if x['src'] == b_addr and x['ts'] >= t1 and x['vrid'] not in got:
                        got[x['vrid']] = x['ts']
                return got if set(got) == vrids else None
            got = tail.wait(all_over, 5 + 5 * advert_s, 'every member of b advertising')
            for k in range(SYNC_N):
                kalib.sh('ip', '-n', topo.host('a'), 'addr', 'del', f'192.0.2.{101 + k}/24',
                         'dev', 'eth0', check=False)
            if not got:
                res['notes'].append(f'run {n}: b did not take over every member')
                continue
            first = min(got.values())
            last_a = max(x['ts'] for x in tail.adverts if x['src'] == a_addr and x['ts'] < first)
            res['kill'].append(max(got.values()) - last_a)
            res['spread'].append(max(got.values()) - first)
    finally:
        b.stop()
        cap.stop()
    return res


def bench_sync(args):
    header_line(args)
    rows, notes = [], []
    topo = kalib.Topology(('a', 'b'))
    try:
        with workdir(args) as tmp:
            for c in args.cases.split(','):
                v, ai = c.split(':')
                version = int(v.lstrip('v'))
                down = rfc_times(version, float(ai))[0]
                per = {}
                for name, binary in impls(args):
                    per[name] = sync_case(binary, topo, tmp, f'sync-{name}-{v}-{ai}', version,
                                          ai, args.runs)
                    notes += [f'{name} {c}: {m}' for m in per[name]['notes']]
                m = [median(per[n]['kill']) for n in ('ours', 'keepalived')]
                sp = [median(per[n]['spread']) for n in ('ours', 'keepalived')]
                rows.append((f'v{version} advert_int {ai}', down * 1000,
                             ms(m[0]), dev(m[0], down), devs(per['ours']['kill'], down), ms(sp[0]),
                             ms(m[1]), dev(m[1], down), devs(per['keepalived']['kill'], down),
                             ms(sp[1]), ratio(m[0], m[1])))
    finally:
        topo.destroy()
    table(f'sync group of {SYNC_N} instances, ms (median of {args.runs}): freeze+SIGKILL of the '
          'master, its last advert -> the backup\'s last member\'s first advert, rfc = '
          'master_down_interval; spread = first to last member of the backup',
          ('case', 'rfc', 'ours', 'ours_dev', 'ours_dev_range', 'ours_spread',
           'keepalived', 'keepalived_dev', 'keepalived_dev_range', 'keepalived_spread',
           'ratio'), rows)
    for n in notes:
        note(n)


def main():
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument('--ours', default=DEFAULT_OURS, help='our daemon (default %(default)s)')
    common.add_argument('--ref', default=DEFAULT_REF, help='reference (default %(default)s)')
    common.add_argument('--keep', metavar='DIR',
                        help='write configs, logs and captures to DIR and keep them')
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    sub = p.add_subparsers(dest='cmd', required=True)
    f = sub.add_parser('failover', parents=[common])
    f.add_argument('--runs', type=int, default=5)
    f.add_argument('--cases', default='v2:1,v3:0.1,v3:0.01',
                   help='VERSION:ADVERT_INT,... (default %(default)s)')
    lc = sub.add_parser('lifecycle', parents=[common])
    lc.add_argument('--runs', type=int, default=5)
    lc.add_argument('--vips', type=int, default=3)
    c = sub.add_parser('cost', parents=[common])
    c.add_argument('--sizes', default='1,100,255,1000')
    c.add_argument('--warmup', type=float, default=7,
                   help='s before the window, for the master from when it sends N '
                        'adverts/s (the second gratuitous ARP burst comes 5 s after '
                        'MASTER; default %(default)s)')
    c.add_argument('--window', type=float, default=10)
    k = sub.add_parser('check', parents=[common])
    k.add_argument('--sizes', default='1000,10000,100000')
    k.add_argument('--timeout', type=float, default=120)
    sg = sub.add_parser('syncgroup', parents=[common])
    sg.add_argument('--runs', type=int, default=5)
    sg.add_argument('--cases', default='v3:0.1,v2:1',
                    help='VERSION:ADVERT_INT,... (default %(default)s)')
    sub.add_parser('all', parents=[common])
    args = p.parse_args()
    if os.geteuid() != 0:
        sys.exit('bench_vrrp: needs root (network namespaces)')
    run = dict(failover=bench_failover, lifecycle=bench_lifecycle, cost=bench_cost,
               check=bench_check, syncgroup=bench_sync)
    if args.cmd == 'all':
        for cmd in ('lifecycle', 'failover', 'cost', 'check'):
            run[cmd](p.parse_args([cmd, '--ours', args.ours, '--ref', args.ref,
                                   *(['--keep', args.keep] if args.keep else [])]))
    else:
        run[args.cmd](args)


if __name__ == '__main__':
    main()
