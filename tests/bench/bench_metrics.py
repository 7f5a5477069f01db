#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The cost of a Prometheus scrape (metrics_listen) at scale, and of the listener itself.

    bench_metrics.py vrrp  [--ours PATH] [--instances 1000] [--scrapes 20] [--window 30]
    bench_metrics.py check [--ours PATH] [--servers 10000] [--delay 10] [--scrapes 20] [--window 30]
    bench_metrics.py all   : both, with their defaults

Ours only: keepalived 2.2.7 has no metrics listener (the exporters that scrape it signal
it and parse its dump files). Everything runs in network namespaces named by kalib
(kt + 4 hex digits + serial + role), removed at exit; the daemon and its clients speak
over the namespace's loopback only.

vrrp:  N instances (VRIDs 1..255 on each of ceil(N/255) veth pairs to a second namespace,
       advert_int 1, one VIP each), all MASTER, VRRP child only (-P).
check: N real servers (one TCP_CHECK each, delay_loop D) on addresses of a veth in the
       namespace, answered by tests/ipvs/backend.py; the checker runs without ip_vs and
       records its IPVS commands (KEEPALIVED_IPVS_RECORD), checker child only (-C).

Figures:
  scrape ms      client side, connect -> last byte of GET /metrics, median and max of
                 --scrapes back-to-back scrapes
  cpu ms/scrape  CPU time of the whole daemon (parent and children) over those scrapes,
                 less the idle CPU of as long a window, per scrape
  body           bytes and sample lines of one scrape
  adverts (vrrp) inter-advert gaps of the instances on the first veth, captured in the
                 peer namespace for --advert-window s without scrapes, then as long with a
                 scrape every second: median, p99 and max of (gap - advert_int) in ms
  cpu on/off     the daemon's CPU ms/s over --window s: started without metrics_listen, and
                 with it and scraped every 5 s
"""
import argparse
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / 'tests' / 'system'))
import kalib  # noqa: E402

HZ = os.sysconf('SC_CLK_TCK')
PORT = 9165


def tree_ticks(d):
    t = 0
    for p in d.tree():
        try:
            f = Path(f'/proc/{p}/stat').read_text().rsplit(')', 1)[1].split()
            t += int(f[11]) + int(f[12])
        except (FileNotFoundError, ProcessLookupError, IndexError):
            pass
    return t


def scrape(ns, timeout=30):
    """(seconds, body bytes) of one GET /metrics."""
    s = kalib.netns_socket(ns, socket.AF_INET, socket.SOCK_STREAM)
    with s:
        s.settimeout(timeout)
        t0 = time.perf_counter()
        s.connect(('127.0.0.1', PORT))
        s.sendall(b'GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')
        chunks = []
        while c := s.recv(1 << 20):
            chunks.append(c)
        dt = time.perf_counter() - t0
    data = b''.join(chunks)
    head, _, body = data.partition(b'\r\n\r\n')
    if not head.startswith(b'HTTP/1.1 200'):
        raise RuntimeError(f'scrape: {head[:80]!r}')
    return dt, body


def wait_until(fn, timeout, what, interval=0.5):
    deadline = time.monotonic() + timeout
    while True:
        v = fn()
        if v:
            return v
        if time.monotonic() > deadline:
            raise RuntimeError(f'timed out waiting for {what}')
        time.sleep(interval)


def count(body, prefix, value):
    """Samples of a family whose value is value."""
    n = 0
    for line in body.split(b'\n'):
        if line.startswith(prefix) and line.rsplit(b' ', 1)[-1] == value:
            n += 1
    return n


def scrape_cost(d, ns, n, idle_window=None):
    """{median/max ms, cpu ms per scrape, bytes, lines} of n back-to-back scrapes."""
    times = []
    t0, c0 = time.monotonic(), tree_ticks(d)
    for _ in range(n):
        dt, body = scrape(ns)
        times.append(dt)
    t1, c1 = time.monotonic(), tree_ticks(d)
    busy_ms = (c1 - c0) * 1000 / HZ
    # idle CPU of the daemon over as long a window, subtracted
    i0 = tree_ticks(d)
    time.sleep(t1 - t0)
    idle_ms = (tree_ticks(d) - i0) * 1000 / HZ
    return dict(median_ms=statistics.median(times) * 1000, max_ms=max(times) * 1000,
                cpu_ms=max(busy_ms - idle_ms, 0) / n, bytes=len(body),
                lines=sum(1 for l in body.split(b'\n') if l and not l.startswith(b'#')))


class Scraper:
    """A scrape every period s in a thread, until stopped."""

    def __init__(self, ns, period):
        self.ns, self.period, self.n, self.err = ns, period, 0, None
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        nxt = time.monotonic()
        while not self._stop.is_set():
            try:
                scrape(self.ns)
                self.n += 1
            except Exception as e:      # noqa: BLE001 (reported by the caller)
                self.err = e
            nxt += self.period
            self._stop.wait(max(nxt - time.monotonic(), 0))

    def __enter__(self):
        self._t.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._t.join(60)


def cpu_window(d, window, ns=None, period=None):
    """The daemon's CPU ms/s over window s (scraped every period s if ns)."""
    t0, c0 = time.monotonic(), tree_ticks(d)
    if ns:
        with Scraper(ns, period) as s:
            time.sleep(window)
        if s.err:
            raise RuntimeError(f'scrape during the window: {s.err}')
    else:
        time.sleep(window)
    return (tree_ticks(d) - c0) * 1000 / HZ / (time.monotonic() - t0)


# -- vrrp ------------------------------------------------------------------------------
class VrrpNet:
    def __init__(self, n):
        self.a, self.b = kalib.netns_add('a'), kalib.netns_add('b')
        k = (n + 254) // 255
        self.ifnames = [f'{kalib.PREFIX}v{j}' for j in range(k)]
        for j, ifn in enumerate(self.ifnames):
            kalib.sh('ip', '-n', self.a, 'link', 'add', ifn, 'type', 'veth',
                     'peer', 'name', ifn, 'netns', self.b)
            for ns, h in ((self.a, 1), (self.b, 2)):
                kalib.sh('ip', '-n', ns, 'addr', 'add', f'198.18.{j}.{h}/24', 'dev', ifn)
                kalib.sh('ip', '-n', ns, 'link', 'set', ifn, 'up')

    def destroy(self):
        kalib.netns_del(self.a)
        kalib.netns_del(self.b)


def vrrp_conf(path, net, n, metrics):
    out = ['global_defs {', '    router_id bench_metrics', '    vrrp_version 3',
           '    metrics_listen' if metrics else '', '}']
    for i in range(n):
        out += [f'vrrp_instance VI_{i} {{', '    state BACKUP',
                f'    interface {net.ifnames[i // 255]}', f'    virtual_router_id {i % 255 + 1}',
                '    priority 100', '    advert_int 1', '    virtual_ipaddress {',
                f'        198.19.{i // 250}.{i % 250 + 1}/32', '    }', '}']
    Path(path).write_text('\n'.join(out) + '\n')
    return path


def advert_gaps(net, work, window, scraping):
    """Gaps between consecutive adverts of each VRID on the first veth, less advert_int (ms).

    A gap of more than 1.5 advert_int is a missing advert (counted apart): not sent, or not
    captured (tcpdump's own drop count is reported too)."""
    pcap = work / f'adverts-{int(scraping)}.pcap'
    err = work / f'adverts-{int(scraping)}.tcpdump.log'
    with open(err, 'wb') as e:
        cap = subprocess.Popen(['ip', 'netns', 'exec', net.b, 'tcpdump', '-i', net.ifnames[0],
                                '-w', str(pcap), '-B', '65536', '-n', '-s', '96', '-Z', 'root',
                                'ip proto 112'], stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=e, start_new_session=True)
    wait_until(lambda: 'listening on' in err.read_text(errors='replace'), 10, 'tcpdump', 0.05)
    try:
        if scraping:
            with Scraper(net.a, 1.0) as s:
                time.sleep(window)
            if s.err:
                raise RuntimeError(f'scrape: {s.err}')
        else:
            time.sleep(window)
    finally:
        cap.terminate()
        cap.wait(10)
    m = __import__('re').search(r'(\d+) packets dropped by kernel', err.read_text(errors='replace'))
    last, gaps, missing = {}, [], 0
    for ad in kalib.vrrp_adverts(kalib.read_pcap(pcap)):
        v = ad['vrid']
        if v in last:
            g = (ad['ts'] - last[v]) * 1000 - 1000
            if g > 500:
                missing += round(g / 1000)
            else:
                gaps.append(g)
        last[v] = ad['ts']
    gaps.sort()
    out = dict(n=len(gaps), missing=missing, dropped=int(m.group(1)) if m else None)
    if gaps:
        out.update(median=statistics.median(gaps),
                   p99=gaps[min(len(gaps) - 1, int(len(gaps) * 0.99))], max=gaps[-1])
    return out


def run_vrrp(args, work):
    n = args.instances
    net = VrrpNet(n)
    res = {}
    try:
        for metrics in (False, True):
            conf = vrrp_conf(work / f'vrrp-{int(metrics)}.conf', net, n, metrics)
            d = kalib.Daemon(args.ours, net.a, conf, work, name=f'vrrp{int(metrics)}',
                             args=['-P', f'--control-socket={work}/ctl{int(metrics)}'])
            d.start()
            try:
                d.wait_log(r'\(VI_%d\) Entering MASTER STATE' % (n - 1), timeout=120)
                time.sleep(args.settle)
                if not metrics:
                    res['cpu_off'] = cpu_window(d, args.window)
                    continue
                wait_until(lambda: count(scrape(net.a)[1], b'keepalived_vrrp_state{', b'2') == n,
                           60, f'{n} instances MASTER in the metrics')
                res['scrape'] = scrape_cost(d, net.a, args.scrapes)
                res['cpu_on'] = cpu_window(d, args.window, net.a, 5.0)
                res['gaps_quiet'] = advert_gaps(net, work, args.advert_window, False)
                res['gaps_scraped'] = advert_gaps(net, work, args.advert_window, True)
            finally:
                d.stop(30)
    finally:
        net.destroy()
    return res


# -- check -----------------------------------------------------------------------------
def rs_addr(i):
    return f'10.2.{i // 250}.{i % 250 + 1}'


class CheckNet:
    def __init__(self, n):
        self.ns = kalib.netns_add('c')
        cmds = ['link add kbd0 type veth peer name kbd1', 'link set kbd0 up', 'link set kbd1 up']
        cmds += [f'addr add {rs_addr(i)}/32 dev kbd0' for i in range(n)]
        kalib.sh('ip', '-n', self.ns, '-batch', '-', input='\n'.join(cmds) + '\n')
        for k, v in (('net.core.somaxconn', '65535'), ('net.ipv4.tcp_max_syn_backlog', '65535'),
                     ('net.ipv4.ip_local_port_range', '1024 65000'), ('net.ipv4.tcp_tw_reuse', '1')):
            kalib.sh('ip', 'netns', 'exec', self.ns, 'sysctl', '-qw', f'{k}={v}', check=False)
        self.backend = subprocess.Popen(
            ['ip', 'netns', 'exec', self.ns, '/usr/bin/python3', str(REPO / 'tests/ipvs/backend.py')],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
        self.backend.stdin.write('any 80\n')
        self.backend.stdin.flush()
        if not self.backend.stdout.readline().startswith('ok'):
            raise RuntimeError('backend did not start')

    def destroy(self):
        try:
            self.backend.stdin.write('quit\n')
            self.backend.stdin.flush()
            self.backend.wait(10)
        except Exception:       # noqa: BLE001
            self.backend.kill()
            self.backend.wait()
        kalib.netns_del(self.ns)


def check_conf(path, n, delay, metrics):
    out = ['global_defs {', '    router_id bench_metrics', '    metrics_listen' if metrics else '',
           '}', 'virtual_server 10.0.0.1 80 {', f'    delay_loop {delay}', '    lb_algo rr',
           '    lb_kind NAT', '    protocol TCP']
    for i in range(n):
        out += [f'    real_server {rs_addr(i)} 80 {{', '        TCP_CHECK {',
                '            connect_timeout 3', '        }', '    }']
    out.append('}')
    Path(path).write_text('\n'.join(out) + '\n')
    return path


def run_check(args, work):
    n = args.servers
    net = CheckNet(n)
    res = {}
    old = os.environ.get('KEEPALIVED_IPVS_RECORD')
    try:
        for metrics in (False, True):
            os.environ['KEEPALIVED_IPVS_RECORD'] = str(work / f'ipvs-{int(metrics)}.jsonl')
            conf = check_conf(work / f'check-{int(metrics)}.conf', n, args.delay, metrics)
            d = kalib.Daemon(args.ours, net.ns, conf, work, name=f'check{int(metrics)}',
                             args=['-C', f'--control-socket={work}/cctl{int(metrics)}'])
            d.start()
            try:
                rec = Path(os.environ['KEEPALIVED_IPVS_RECORD'])
                wait_until(lambda: rec.exists() and rec.read_text().count('NEW_DEST') >= n,
                           300, f'{n} real servers programmed')
                # every probe has run once: the first runs spread over delay_loop
                time.sleep(args.delay + args.settle)
                if not metrics:
                    res['cpu_off'] = cpu_window(d, args.window)
                    continue
                wait_until(lambda: count(scrape(net.ns)[1], b'keepalived_real_server_up{',
                                         b'1') == n, 120, f'{n} real servers up in the metrics')
                res['scrape'] = scrape_cost(d, net.ns, args.scrapes)
                res['cpu_on'] = cpu_window(d, args.window, net.ns, 5.0)
            finally:
                d.stop(60)
    finally:
        if old is None:
            os.environ.pop('KEEPALIVED_IPVS_RECORD', None)
        else:
            os.environ['KEEPALIVED_IPVS_RECORD'] = old
        net.destroy()
    return res


def report(title, res):
    s = res['scrape']
    print(f'\n{title}')
    print(f'  scrape: median {s["median_ms"]:.1f} ms, max {s["max_ms"]:.1f} ms, '
          f'cpu {s["cpu_ms"]:.1f} ms/scrape, {s["bytes"]} bytes, {s["lines"]} samples')
    print(f'  daemon cpu: listener off {res["cpu_off"]:.2f} ms/s, '
          f'on and scraped every 5 s {res["cpu_on"]:.2f} ms/s')
    for k, what in (('gaps_quiet', 'no scrape'), ('gaps_scraped', 'scraped every 1 s')):
        g = res.get(k)
        if g and g['n']:
            print(f'  advert gap - advert_int ({what}): median {g["median"]:+.2f} ms, '
                  f'p99 {g["p99"]:+.2f} ms, max {g["max"]:+.2f} ms over {g["n"]} gaps; '
                  f'{g["missing"]} missing, tcpdump dropped {g["dropped"]}')


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('mode', choices=['vrrp', 'check', 'all'])
    p.add_argument('--ours', default=str(REPO / 'build/keepalived/keepalived'))
    p.add_argument('--instances', type=int, default=1000)
    p.add_argument('--servers', type=int, default=10000)
    p.add_argument('--delay', type=int, default=10, help='check: delay_loop')
    p.add_argument('--scrapes', type=int, default=20)
    p.add_argument('--window', type=float, default=30)
    p.add_argument('--advert-window', type=float, default=10)
    p.add_argument('--settle', type=float, default=3)
    p.add_argument('--keep', help='keep configs and logs under this directory')
    args = p.parse_args()
    if os.geteuid():
        sys.exit('bench_metrics: needs root (network namespaces)')
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix='bench_metrics'))
    work.mkdir(parents=True, exist_ok=True)
    try:
        if args.mode in ('vrrp', 'all'):
            report(f'vrrp: {args.instances} instances (advert_int 1, all MASTER)',
                   run_vrrp(args, work))
        if args.mode in ('check', 'all'):
            report(f'check: {args.servers} real servers (TCP_CHECK, delay_loop {args.delay})',
                   run_check(args, work))
    finally:
        kalib.CLEANUP.run_all()
        if not args.keep:
            subprocess.run(['rm', '-rf', str(work)])


if __name__ == '__main__':
    main()
