#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Soak benchmarks: what keepalived is known to fail at, over minutes (not in CI; the short
version of each runs in tests/system/test_soak.py, seconds).

Usage (as root, with Debian's /usr/bin/python3):

    tests/bench/bench_soak.py [--ours PATH] [--ref PATH] SUBCOMMAND [options]

    crash-failover [--runs 3] [--advert 1]
              a (prio 200) MASTER, b (100) BACKUP; SIGKILL of a's VRRP child: kill -> a's
              first advert, the longest gap between a's adverts, whether b took over
              (sent an advert), time the VIP was on both / on neither. Ours and 2.2.7.
    upgrade   [--advert 1]
              2.2.7 as MASTER on a and BACKUP on b; a's daemon restarted (SIGTERM, start
              with the same config) as 2.2.7, then as ours: time the VIP was on both / on
              neither host (ip monitor on each), the longest time without an advert of a
              master on the wire, until a holds it again.
    reloads   [--count 1000] [--instances 1000] [--servers 1000] [--interval 1]
              a: N VRRP instances (MASTER) and a virtual_server of M real servers (checker
              without ip_vs: KEEPALIVED_IPVS_RECORD), b: the N instances as BACKUP; SIGHUP
              to a every interval s, alternating two configs that differ in 10 instances
              (priority) and 10 real servers: RSS, RssAnon, open fds of every process of a
              after warm-up and at the end; adverts b sent (a takeover); IPVS operations
              on real servers that are in both configs.
    kills     [--count 100] [--max-wait 2]
              a's VRRP child and checker child SIGKILLed, alternately, count times, each a
              random 0..max-wait s after it is back: time until it is back against 1 s +
              the backoff keepalived applies; zombies; the parent's fds and RSS.
    flood     [--seconds 60] [--pps 50000] [--instances 100] [--nice 0|19|both]
              [--snaplen 256] [--buffer 8192] [--global-defs LINE ...]
              a: N instances MASTER (advert_int 1), b: BACKUP; from c, pps adverts to the
              group: half well-formed ones of VRIDs nobody has, half bad-checksum ones of
              a's VRIDs, by senders at niceness 19 and 0 (both: one run each): adverts a
              sent and b received (their stats dumps) and seen on a's and b's eth0, per
              instance; the longest gap of each instance's adverts on each side; drops in
              the captures, the VRRP sockets' queues and the host's backlogs; a's VRRP
              child's CPU and run-queue wait; log lines, RSS of a's VRRP child.

--ours defaults to <repo>/build/keepalived/keepalived, --ref to /usr/sbin/keepalived.
Namespaces of tests/system/kalib.py (prefix kt + 4 hex digits), removed at exit.
See tests/bench/README.md, section bench_soak.py.
"""
import argparse
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / 'system'))
sys.dont_write_bytecode = True
import kalib  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
DEFAULT_OURS = str(REPO / 'build' / 'keepalived' / 'keepalived')
DEFAULT_REF = '/usr/sbin/keepalived'
VIP = '192.0.2.100'
MCAST = '224.0.0.18'
BPF = 'ip proto 112'


# ---------------------------------------------------------------- helpers

def log(*a):
    print(*a, flush=True)


def status_kb(pid, key):
    try:
        m = re.search(rf'^{key}:\s+(\d+) kB', Path(f'/proc/{pid}/status').read_text(), re.M)
        return int(m.group(1)) if m else None
    except OSError:
        return None


def n_fds(pid):
    try:
        return len(os.listdir(f'/proc/{pid}/fd'))
    except OSError:
        return None


def zombies(pid):
    """Children of pid in state Z."""
    out = []
    for c in kalib.children(pid):
        try:
            st = Path(f'/proc/{c}/stat').read_text()
        except OSError:
            continue
        if st[st.rindex(')') + 2] == 'Z':
            out.append(c)
    return out


def instance(name, state, prio, vrid, adv=1, vips=(f'{VIP}/24',), ifname='eth0', version=2):
    body = '\n'.join(f'        {v}' for v in vips)
    return f'''
vrrp_instance {name} {{
    state {state}
    interface {ifname}
    virtual_router_id {vrid}
    priority {prio}
    advert_int {adv}
    version {version}
    virtual_ipaddress {{
{body}
    }}
}}
'''


def config(*blocks, router_id='soak'):
    return f'global_defs {{\n    router_id {router_id}\n}}\n' + ''.join(blocks)


def daemon(binary, ns, conf, tmp, name, args=('-P',)):
    d = kalib.Daemon(binary, ns, conf, tmp, name=name,
                     args=[*args, '-b', str(Path(tmp, f'{name}-bfd.pid'))])
    for f in (d.pidfile, d.vrrp_pidfile, d.check_pidfile):
        f.unlink(missing_ok=True)
    return d


def adverts(cap, src=None):
    return [ad for ad in kalib.vrrp_adverts(cap.packets()) if src is None or ad['src'] == src]


class VipWatch:
    """`ip monitor address` in each host: when the VIP came and went, stamped on arrival."""

    def __init__(self, topo, hosts, addr=VIP):
        self.events = []        # (time.time(), host, present)
        self.state = {h: topo.has_addr(h, addr) for h in hosts}
        self.initial = dict(self.state)
        self.procs = []
        self._lock = threading.Lock()
        for h in hosts:
            p = subprocess.Popen(['ip', '-n', topo.host(h), '-o', 'monitor', 'address'],
                                 stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                                 bufsize=1)
            self.procs.append(p)
            threading.Thread(target=self._read, args=(p, h, addr), daemon=True).start()
        time.sleep(0.2)

    def _read(self, p, h, addr):
        pat = re.compile(rf'\binet {re.escape(addr)}/')
        for line in p.stdout:
            if pat.search(line):
                with self._lock:
                    self.events.append((time.time(), h, not line.startswith('Deleted')))

    def stop(self):
        for p in self.procs:
            p.terminate()
            p.wait()

    def overlap(self, t0, t1, hosts=('a', 'b')):
        """(seconds on several hosts, seconds on none) between t0 and t1."""
        st = dict(self.initial)
        both = none = 0.0
        prev = t0
        with self._lock:
            evs = sorted(self.events)
        for t, h, present in evs + [(t1, None, None)]:
            if t > t0:
                seg = min(t, t1) - prev
                n = sum(st[x] for x in hosts)
                if seg > 0:
                    both += seg if n > 1 else 0
                    none += seg if n == 0 else 0
                prev = max(prev, min(t, t1))
            if h is not None:
                st[h] = present
            if t >= t1:
                break
        return both, none


def softnet_dropped():
    """Packets the host's input backlogs dropped so far (all CPUs: /proc/net/softnet_stat)."""
    try:
        return sum(int(line.split()[1], 16)
                   for line in Path('/proc/net/softnet_stat').read_text().splitlines())
    except (OSError, IndexError, ValueError):
        return None


def max_gap(ts, t0, t1):
    ts = sorted(t for t in ts if t0 <= t <= t1)
    return max((b - a for a, b in zip(ts, ts[1:])), default=None)


# ---------------------------------------------------------------- crash-failover

def crash_failover_once(binary, adv, tmp, tag):
    """One SIGKILL of a's VRRP child: dict of figures."""
    topo = kalib.Topology(('a', 'b'))
    ds = []
    try:
        conf_a = Path(tmp, f'{tag}-a.conf')
        conf_a.write_text(config(instance('VI_1', 'MASTER', 200, 51, adv), router_id='soak_a'))
        conf_b = Path(tmp, f'{tag}-b.conf')
        conf_b.write_text(config(instance('VI_1', 'BACKUP', 100, 51, adv), router_id='soak_b'))
        a = daemon(binary, topo.host('a'), conf_a, tmp, f'{tag}-a').start()
        ds.append(a)
        kalib.wait_for(lambda: topo.has_addr('a', VIP), 3 * adv + 10, 'a MASTER')
        b = daemon(binary, topo.host('b'), conf_b, tmp, f'{tag}-b').start()
        ds.append(b)
        b.wait_log(r'\(VI_1\) Entering BACKUP STATE', timeout=20)
        watch = VipWatch(topo, ('a', 'b'))
        with kalib.Capture(topo.switch, topo.port['b'], Path(tmp, f'{tag}.pcap'), BPF) as cap:
            time.sleep(2.5 * adv)
            old = a.vrrp_pid()
            t_kill = time.time()
            kalib.kill(old, signal.SIGKILL)
            # b's master-down interval, twice, and a preempting back if b took over
            end = t_kill + 2 * (3 * adv + 1) + 3 * adv
            kalib.wait_for(lambda: time.time() > end and topo.has_addr('a', VIP)
                           and not topo.has_addr('b', VIP), 30, 'a MASTER again')
            t_end = time.time()
            ads = adverts(cap)
        watch.stop()
        mine = [x['ts'] for x in ads if x['src'] == topo.addr4['a'] and x['priority']]
        after = [t for t in mine if t > t_kill]
        both, none = watch.overlap(t_kill, t_end)
        return dict(first_ms=(after[0] - t_kill) * 1000 if after else None,
                    gap_s=max_gap(mine, t_kill - 2 * adv, t_end),
                    took_over=any(x['src'] == topo.addr4['b'] for x in ads if x['ts'] > t_kill),
                    b_master=bool(b.search(r'\(VI_1\) Entering MASTER STATE')),
                    both_s=both, none_s=none,
                    resumed=bool(a.search(r'\(VI_1\) resuming MASTER state')))
    finally:
        kalib.stop_all(ds)
        topo.destroy()


def cmd_crash_failover(args):
    master_down = 3 * args.advert + (256 - 100) / 256
    rows = []
    with tempfile.TemporaryDirectory(prefix='soak') as tmp:
        for name, binary in impls(args):
            for r in range(args.runs):
                res = crash_failover_once(binary, args.advert, tmp, f'{name}{r}')
                log(f'{name} run {r + 1}: {fmt_row(res)}')
                rows.append((name, res))
    log(f'\ncrash-failover: SIGKILL of the MASTER\'s VRRP child, advert_int {args.advert} s, '
        f'b\'s master_down_interval {master_down:.2f} s')
    log(f'{"impl":12} {"first advert ms":>16} {"max gap s":>10} {"b took over":>12} '
        f'{"VIP on both s":>14} {"on neither s":>13}')
    for name, res in rows:
        log(f'{name:12} {num(res["first_ms"], 0):>16} {num(res["gap_s"], 2):>10} '
            f'{str(res["took_over"]):>12} {num(res["both_s"], 3):>14} {num(res["none_s"], 3):>13}')
    return 0


# ---------------------------------------------------------------- upgrade

def upgrade_step(topo, watch, cap, a, binary, conf, tmp, name, adv):
    """SIGTERM a, start binary with conf on a; figures until a holds the VIP alone again."""
    t0 = time.time()
    a.signal(signal.SIGTERM)
    a.wait_exit(20)
    a.kill_tree()
    t_stopped = time.time()
    a2 = daemon(binary, topo.host('a'), conf, tmp, name).start()
    kalib.wait_for(lambda: topo.has_addr('a', VIP) and not topo.has_addr('b', VIP),
                   3 * adv + 20, 'a MASTER again')
    t_back = time.time()
    time.sleep(1 + adv)
    t1 = time.time()
    both, none = watch.overlap(t0 - 0.5, t1)
    ads = [x['ts'] for x in adverts(cap) if x['priority'] and t0 - 2 * adv <= x['ts'] <= t1]
    return a2, dict(both_s=both, none_s=none, advert_gap_s=max_gap(ads, t0 - 2 * adv, t1),
                    stop_s=t_stopped - t0, back_s=t_back - t0)


def upgrade(ours, ref, adv, tmp):
    """{'2.2.7 -> 2.2.7': figures, '2.2.7 -> ours': figures} in one run on one pair."""
    topo = kalib.Topology(('a', 'b'))
    ds = []
    try:
        conf_a = Path(tmp, 'up-a.conf')
        conf_a.write_text(config(instance('VI_1', 'MASTER', 200, 51, adv), router_id='up_a'))
        conf_b = Path(tmp, 'up-b.conf')
        conf_b.write_text(config(instance('VI_1', 'BACKUP', 100, 51, adv), router_id='up_b'))
        a = daemon(ref, topo.host('a'), conf_a, tmp, 'up-a0').start()
        ds.append(a)
        kalib.wait_for(lambda: topo.has_addr('a', VIP), 3 * adv + 10, 'a MASTER')
        b = daemon(ref, topo.host('b'), conf_b, tmp, 'up-b').start()
        ds.append(b)
        b.wait_log(r'\(VI_1\) Entering BACKUP STATE', timeout=20)
        time.sleep(2 * adv)
        watch = VipWatch(topo, ('a', 'b'))
        out = {}
        with kalib.Capture(topo.switch, topo.bridge, Path(tmp, 'up.pcap'), BPF) as cap:
            for label, binary, name in (('2.2.7 -> 2.2.7', ref, 'up-a1'),
                                        ('2.2.7 -> ours', ours, 'up-a2')):
                a, res = upgrade_step(topo, watch, cap, a, binary, conf_a, tmp, name, adv)
                ds.append(a)
                out[label] = res
        watch.stop()
        return out
    finally:
        for d in ds:
            d.stop()
        topo.destroy()


def cmd_upgrade(args):
    with tempfile.TemporaryDirectory(prefix='soak') as tmp:
        out = upgrade(args.ours, args.ref, args.advert, tmp)
    log(f'\nupgrade in place: a (prio 200) MASTER, b (100) BACKUP, both 2.2.7, advert_int '
        f'{args.advert} s; a\'s daemon restarted (SIGTERM, start with the same config)')
    log(f'{"restart":16} {"VIP on both ms":>15} {"on neither ms":>14} {"advert gap s":>13} '
        f'{"a back after s":>15}')
    for label, r in out.items():
        log(f'{label:16} {num(r["both_s"] * 1000, 1):>15} {num(r["none_s"] * 1000, 1):>14} '
            f'{num(r["advert_gap_s"], 2):>13} {num(r["back_s"], 2):>15}')
    return 0


# ---------------------------------------------------------------- reloads

def reload_confs(tmp, net, n, m, tag):
    """Two configs of a (MASTER) differing in 10 instances and 10 real servers, b's config,
    and the real servers in both of a's configs."""
    from bench_vrrp import cost_instances, vrrp_conf
    insts = cost_instances(net, n, 'MASTER', 200)
    b_conf = vrrp_conf(Path(tmp, f'{tag}-b.conf'), [dict(i, state='BACKUP', prio=100)
                                                    for i in insts], 2, 'soak_b')
    rs_all = [f'10.{1 + k // 62500}.{k // 250 % 250}.{k % 250 + 1}' for k in range(m + 10)]
    confs = []
    for v in (0, 1):
        vi = [dict(i, prio=190 if v and k < 10 else 200) for k, i in enumerate(insts)]
        path = vrrp_conf(Path(tmp, f'{tag}-a{v}.conf'), vi, 2, 'soak_a')
        rs = rs_all[10:m + 10] if v else rs_all[:m]
        with open(path, 'a') as f:
            f.write('\nvirtual_server 198.51.100.1 80 {\n    lb_algo rr\n    lb_kind NAT\n'
                    '    protocol TCP\n')
            for r in rs:
                f.write(f'    real_server {r} 80 {{\n        weight 1\n    }}\n')
            f.write('}\n')
        confs.append(path)
    return confs, b_conf, set(rs_all[10:m])


def proc_sample(d):
    """{role: (VmRSS kB, RssAnon kB, fds)} of a's parent and children."""
    out = {}
    for role, pid in (('parent', d.pid), ('vrrp', d.vrrp_pid()), ('checker', d.check_pid())):
        if pid:
            out[role] = (status_kb(pid, 'VmRSS'), status_kb(pid, 'RssAnon'), n_fds(pid))
    return out


def ipvs_ops(record, since_line, unchanged):
    """(dest operations in record after since_line on real servers in `unchanged`, all dest
    operations after it, lines)."""
    try:
        lines = Path(record).read_text().splitlines()
    except OSError:
        return 0, 0, 0
    bad = total = 0
    for line in lines[since_line:]:
        try:
            j = json.loads(line)
        except ValueError:
            continue
        if j.get('cmd', '').endswith('_DEST'):
            total += 1
            bad += (j.get('dest') or {}).get('addr') in unchanged
    return bad, total, len(lines)


def reloads(binary, count, n, m, interval, tmp, warmup=None, progress=log):
    from bench_vrrp import CostNet
    net = CostNet((n + 254) // 255)
    ds = []
    record = Path(tmp, 'ipvs.jsonl')
    old_env = os.environ.get('KEEPALIVED_IPVS_RECORD')
    os.environ['KEEPALIVED_IPVS_RECORD'] = str(record)
    try:
        (ca0, ca1), cb, unchanged = reload_confs(tmp, net, n, m, 'rl')
        live = Path(tmp, 'rl-a.conf')
        live.write_text(ca0.read_text())
        a = daemon(binary, net.a, live, tmp, 'rl-a', args=()).start()
        ds.append(a)
        a.wait_log(r'Entering MASTER STATE', timeout=60 + n / 20)
        b = daemon(binary, net.b, cb, tmp, 'rl-b').start()
        ds.append(b)
        b.wait_log(r'Entering BACKUP STATE', timeout=60 + n / 20)
        # settled: b has sent nothing (it took nothing over at the start) for 3 s
        last, since, t_lim = net.counts()[1], time.monotonic(), time.monotonic() + 120
        while time.monotonic() - since < 3 and time.monotonic() < t_lim:
            time.sleep(0.5)
            if net.counts()[1] != last:
                last, since = net.counts()[1], time.monotonic()
        time.sleep(2)
        tx0 = net.counts()[1]
        warmup = warmup if warmup is not None else max(2, count // 10)
        samples, rec_line = [('start', proc_sample(a))], None
        t_start = time.monotonic()
        for k in range(count):
            live.write_text((ca1 if k % 2 == 0 else ca0).read_text())
            a.signal(signal.SIGHUP)
            if k + 1 == warmup:
                time.sleep(interval)
                _, _, rec_line = ipvs_ops(record, 0, unchanged)
                samples.append(('warm', proc_sample(a)))
            nxt = t_start + (k + 1) * interval
            time.sleep(max(0.0, nxt - time.monotonic()))
            if (k + 1) % max(1, count // 10) == 0:
                progress(f'  reload {k + 1}/{count}: {proc_sample(a)}')
        time.sleep(2 * interval + 2)
        samples.append(('end', proc_sample(a)))
        bad, total, _ = ipvs_ops(record, rec_line or 0, unchanged)
        return dict(samples=samples, b_tx=net.counts()[1] - tx0,
                    b_master=len(re.findall(r'Entering MASTER STATE', b.text())),
                    ipvs_unchanged_ops=bad, ipvs_dest_ops=total, a_alive=a.running(),
                    reloads_logged=len(re.findall(r'Reloading', a.text())))
    finally:
        if old_env is None:
            os.environ.pop('KEEPALIVED_IPVS_RECORD', None)
        else:
            os.environ['KEEPALIVED_IPVS_RECORD'] = old_env
        for d in ds:
            d.stop(30)
        net.destroy()


def cmd_reloads(args):
    with tempfile.TemporaryDirectory(prefix='soak') as tmp:
        res = reloads(args.ours, args.count, args.instances, args.servers, args.interval, tmp)
    log(f'\nreloads: {args.count} SIGHUPs every {args.interval} s, {args.instances} instances, '
        f'{args.servers} real servers, two configs differing in 10 of each')
    for tag, s in res['samples']:
        for role, (rss, anon, fds) in s.items():
            log(f'  {tag:5} {role:8} VmRSS {rss} kB  RssAnon {anon} kB  fds {fds}')
    log(f'  adverts sent by b (takeovers): {res["b_tx"]}; b entered MASTER '
        f'{res["b_master"]} times; IPVS operations on unchanged real servers after warm-up: '
        f'{res["ipvs_unchanged_ops"]} (of {res["ipvs_dest_ops"]} on real servers); "Reloading" lines: {res["reloads_logged"]}')
    return 0


# ---------------------------------------------------------------- kills

def backoff(n_quick):
    """keepalived's restart delay after n consecutive deaths of a short run."""
    if n_quick <= 1:
        return 0
    return min(60, 1 << (n_quick - 2))


def kills(binary, count, max_wait, tmp, progress=log):
    topo = kalib.Topology(('a',))
    ds = []
    record = Path(tmp, 'kills-ipvs.jsonl')
    old_env = os.environ.get('KEEPALIVED_IPVS_RECORD')
    os.environ['KEEPALIVED_IPVS_RECORD'] = str(record)
    try:
        conf = Path(tmp, 'kills.conf')
        conf.write_text(config(instance('VI_1', 'MASTER', 200, 51, 1)) +
                        'virtual_server 198.51.100.1 80 {\n    lb_algo rr\n    lb_kind NAT\n'
                        '    protocol TCP\n    real_server 10.1.0.1 80 {\n        weight 1\n'
                        '    }\n}\n')
        a = daemon(binary, topo.host('a'), conf, tmp, 'kills', args=()).start()
        ds.append(a)
        a.wait_log(r'Entering MASTER STATE', timeout=20)
        kalib.wait_for(lambda: a.check_pid() and a.vrrp_pid(), 10, 'both children')
        time.sleep(1)
        p0 = (n_fds(a.pid), status_kb(a.pid, 'VmRSS'))
        state = {'vrrp': [a.vrrp_pid, 0, time.monotonic()],
                 'checker': [a.check_pid, 0, time.monotonic()]}
        worst, late, zomb = {}, [], 0
        for k in range(count):
            role = ('vrrp', 'checker')[k % 2]
            getpid, nq, started = state[role]
            time.sleep(random.uniform(0, max_wait))
            old = getpid()
            ran = time.monotonic() - started
            t0 = time.monotonic()
            kalib.kill(old, signal.SIGKILL)
            nq = 0 if ran >= 60 else nq + 1
            allowed = 1 + backoff(nq)
            kalib.wait_for(lambda: getpid() not in (None, old) and kalib.alive(getpid()),
                           allowed + 5, f'the {role} child back')
            took = time.monotonic() - t0
            state[role] = [getpid, nq, time.monotonic()]
            worst[role] = max(worst.get(role, 0), took - backoff(nq))
            if took > allowed:
                late.append((k, role, took, allowed))
            time.sleep(0.3)
            zomb += len(zombies(a.pid))
            if (k + 1) % max(1, count // 10) == 0:
                progress(f'  kill {k + 1}/{count}: {role} back in {took:.2f} s '
                         f'(backoff {backoff(nq)} s)')
        time.sleep(1)
        p1 = (n_fds(a.pid), status_kb(a.pid, 'VmRSS'))
        return dict(worst=worst, late=late, zombies=zomb, parent_before=p0, parent_after=p1,
                    alive=a.running())
    finally:
        if old_env is None:
            os.environ.pop('KEEPALIVED_IPVS_RECORD', None)
        else:
            os.environ['KEEPALIVED_IPVS_RECORD'] = old_env
        for d in ds:
            d.stop()
        topo.destroy()


def cmd_kills(args):
    with tempfile.TemporaryDirectory(prefix='soak') as tmp:
        t0 = time.monotonic()
        res = kills(args.ours, args.count, args.max_wait, tmp)
    log(f'\nkills: {args.count} SIGKILLs alternating VRRP/checker child, each 0..{args.max_wait}'
        f' s after it was back ({time.monotonic() - t0:.0f} s)')
    log(f'  worst time back beyond the backoff: '
        + ', '.join(f'{r} {v:.3f} s' for r, v in res['worst'].items()))
    log(f'  later than 1 s + backoff: {len(res["late"])} {res["late"][:5]}')
    log(f'  zombies seen: {res["zombies"]}; parent fds/VmRSS kB before {res["parent_before"]}, '
        f'after {res["parent_after"]}')
    return 0


# ---------------------------------------------------------------- flood

def send_flood(ns, pkts, pps, seconds, senders, nice=0):
    """pps packets/s of pkts (in turn) from ns for seconds s, in bursts every 5 ms, by
    `senders` processes (one Python process sends about 45,000/s here) at niceness nice;
    the number sent."""
    share = pps / senders
    pipes = []
    for j in range(senders):
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(r)
            n = 0
            try:
                if nice:
                    os.nice(nice)
                inj = kalib.Injector(ns)
                send, dst, npk = inj.sock.sendto, (MCAST, 0), len(pkts)
                burst = max(1, int(share) // 200)
                k, tm0 = j, time.monotonic()
                while time.monotonic() - tm0 < seconds:
                    for _ in range(burst):
                        try:
                            send(pkts[k % npk], dst)
                            n += 1
                        except OSError:
                            pass
                        k += senders
                    d = tm0 + n / share - time.monotonic()
                    if d > 0:
                        time.sleep(d)
            finally:
                os.write(w, str(n).encode())
                os._exit(0)
        os.close(w)
        pipes.append((pid, r))
    total = 0
    for pid, r in pipes:
        with os.fdopen(r) as f:
            total += int(f.read() or 0)
        os.waitpid(pid, 0)
    return total


def start_dumping(d, dumpdir):
    """Start d with its SIGUSR2 stats dump in dumpdir ($TMPDIR: 2.2.7 has no keyword)."""
    old = os.environ.get('TMPDIR')
    os.environ['TMPDIR'] = str(dumpdir)
    try:
        return d.start()
    finally:
        if old is None:
            del os.environ['TMPDIR']
        else:
            os.environ['TMPDIR'] = old


def stats_dump(d, dumpdir):
    """{instance: (adverts received, adverts sent)} from d's SIGUSR2 dump."""
    path = Path(dumpdir, 'keepalived.stats')
    path.unlink(missing_ok=True)
    mark = d.mark()
    d.signal(signal.SIGUSR2)
    d.wait_log(r'Printing VRRP stats for process', since=mark, timeout=10)
    kalib.wait_for(lambda: path.exists() and path.read_text().endswith('\n'), 10,
                   'the stats dump')
    out = {}
    for m in re.finditer(r'^VRRP Instance: (\S+)\n  Advertisements:\n    Received: (\d+)\n'
                         r'    Sent: (\d+)', path.read_text(), re.M):
        out[m.group(1)] = (int(m.group(2)), int(m.group(3)))
    return out


def host_cpu():
    """The host's CPU time by kind so far (/proc/stat's cpu line, in ticks)."""
    f = Path('/proc/stat').read_text().split('\n', 1)[0].split()[1:9]
    return dict(zip(('user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal'),
                    map(int, f)))


def schedstat(pid):
    """(CPU time s, run-queue wait s, timeslices) of pid (/proc/PID/schedstat)."""
    try:
        cpu, wait, n = Path(f'/proc/{pid}/schedstat').read_text().split()
        return int(cpu) / 1e9, int(wait) / 1e9, int(n)
    except (OSError, ValueError):
        return None


def raw_drops(ns, proto=112):
    """Packets the kernel dropped at the raw sockets of proto in ns (their receive queues
    full: /proc/net/raw's drops column), summed."""
    out = subprocess.run(['ip', 'netns', 'exec', ns, 'cat', '/proc/net/raw'],
                         capture_output=True, text=True).stdout
    n = 0
    for line in out.splitlines()[1:]:
        f = line.split()
        if len(f) >= 13 and int(f[1].split(':')[1], 16) == proto:
            n += int(f[-1])
    return n


def tcpdump_drops(cap):
    """Packets tcpdump's capture dropped (its exit report), None if it did not say."""
    m = re.search(r'(\d+) packets? dropped by kernel', cap.errlog.read_text(errors='replace'))
    return int(m.group(1)) if m else None


def gap_stats(ts, t0, t1, limit):
    """(longest gap, number of gaps over limit) of the times in [t0, t1]."""
    ts = sorted(t for t in ts if t0 <= t <= t1)
    gaps = [b - a for a, b in zip(ts, ts[1:])]
    return max(gaps, default=None), sum(1 for g in gaps if g > limit)


def flood(binary, seconds, pps, n, tmp, progress=log, senders=2, nice=0, snaplen=256,
          buffer_kib=8192, global_extra=''):
    topo = kalib.Topology(('a', 'b', 'c'))
    ds = []
    try:
        insts_a = ''.join(instance(f'VI_{i}', 'MASTER', 200, i, 1, vips=(f'198.19.0.{i}/32',))
                          for i in range(1, n + 1))
        insts_b = ''.join(instance(f'VI_{i}', 'BACKUP', 100, i, 1, vips=(f'198.19.0.{i}/32',))
                          for i in range(1, n + 1))
        ca, cb = Path(tmp, 'fl-a.conf'), Path(tmp, 'fl-b.conf')
        # a timer of a's loop found 0.2 s late is logged ("A thread timer expired")
        ca.write_text(config(insts_a, router_id='fl_a').replace(
            '}\n', f'    min_auto_priority_delay 200000\n{global_extra}}}\n', 1))
        cb.write_text(config(insts_b, router_id='fl_b').replace('}\n', f'{global_extra}}}\n', 1))
        dir_a, dir_b = Path(tmp, 'fl-a.d'), Path(tmp, 'fl-b.d')
        dir_a.mkdir(exist_ok=True)
        dir_b.mkdir(exist_ok=True)
        a = start_dumping(daemon(binary, topo.host('a'), ca, tmp, 'fl-a'), dir_a)
        ds.append(a)
        a.wait_log(rf'\(VI_{n}\) Entering MASTER STATE', timeout=30)
        b = start_dumping(daemon(binary, topo.host('b'), cb, tmp, 'fl-b'), dir_b)
        ds.append(b)
        b.wait_log(rf'\(VI_{n}\) Entering BACKUP STATE', timeout=30)
        time.sleep(2)
        c = topo.addr4['c']
        good = [kalib.ipv4_packet(c, MCAST, kalib.vrrp_packet(2, v, 100, ['198.19.1.1'], 100,
                                                              src=c, dst=MCAST))
                for v in range(n + 1, min(256, n + 101))]
        bad = [kalib.ipv4_packet(c, MCAST, kalib.vrrp_packet(2, v, 250, ['198.19.0.1'], 100,
                                                             src=c, dst=MCAST,
                                                             bad_checksum=True))
               for v in range(1, n + 1)]
        pkts = [p for pair in zip(good * (len(bad) // len(good) + 1), bad) for p in pair]
        vpid = a.vrrp_pid()
        rss0 = status_kb(vpid, 'VmRSS')
        mark_a, mark_b = a.mark(), b.mark()
        bpf = f'src host {topo.addr4["a"]} and ip proto 112'
        drop0 = softnet_dropped()
        raw0 = raw_drops(topo.host('a')), raw_drops(topo.host('b'))
        cap_a = kalib.Capture(topo.host('a'), 'eth0', Path(tmp, 'fl-a.pcap'), bpf, snaplen,
                              buffer_kib)
        cap_b = kalib.Capture(topo.host('b'), 'eth0', Path(tmp, 'fl.pcap'), bpf, snaplen,
                              buffer_kib)
        with cap_a, cap_b:
            # b's count from before a's to after a's (and one advert's way): every advert
            # a counts as sent, b has received if none was lost
            st_b0 = stats_dump(b, dir_b)
            st_a0 = stats_dump(a, dir_a)
            ss0, cpu0 = schedstat(vpid), host_cpu()
            t0 = time.time()
            sent = send_flood(topo.host('c'), pkts, pps, seconds, senders, nice)
            t1 = time.time()
            ss1, cpu1 = schedstat(vpid), host_cpu()
            st_a1 = stats_dump(a, dir_a)
            time.sleep(0.2)
            st_b1 = stats_dump(b, dir_b)
            time.sleep(0.3)
        ads_a, ads_b = adverts(cap_a), adverts(cap_b)
        rss1 = status_kb(vpid, 'VmRSS')
        drop1 = softnet_dropped()
        raw1 = raw_drops(topo.host('a')), raw_drops(topo.host('b'))
        # VRID: sent by a, received by b (their stats), seen on a's and b's eth0 (from t0 to
        # t1), lost: sent by a and not received by b
        per = {}
        worst = {'a': None, 'b': None}
        long_gaps = {'a': 0, 'b': 0}
        missing = []
        for v in range(1, n + 1):
            name = f'VI_{v}'
            row = dict(sent=st_a1[name][1] - st_a0[name][1],
                       rcvd=st_b1[name][0] - st_b0[name][0])
            row['lost'] = max(0, row['sent'] - row['rcvd'])
            for side, ads in (('a', ads_a), ('b', ads_b)):
                ts = [x['ts'] for x in ads if x['vrid'] == v]
                row[f'cap_{side}'] = sum(1 for t in ts if t0 <= t <= t1)
                g, k = gap_stats(ts, t0, t1, 1.5)
                if g is None:
                    if side == 'b':
                        missing.append(v)
                    continue
                worst[side] = g if worst[side] is None else max(worst[side], g)
                long_gaps[side] += k
            per[v] = row
        totals = {k: sum(r[k] for r in per.values())
                  for k in ('sent', 'rcvd', 'lost', 'cap_a', 'cap_b')}
        late = re.findall(r'A thread timer expired (\d+\.\d+) seconds ago', a.text(since=mark_a))
        return dict(sent=sent, rate=sent / (t1 - t0), worst_gap=worst['b'], long_gaps=long_gaps['b'],
                    worst_gap_a=worst['a'], long_gaps_a=long_gaps['a'],
                    n_adverts=len(ads_b), per=per, totals=totals, due=n * (t1 - t0),
                    tcpdump_drops=(tcpdump_drops(cap_a), tcpdump_drops(cap_b)),
                    softnet_drops=None if drop0 is None else drop1 - drop0,
                    sock_drops=(raw1[0] - raw0[0], raw1[1] - raw0[1]),
                    missing=missing,
                    late=[float(x) for x in late],
                    host_cpu={k: (cpu1[k] - cpu0[k]) / max(1, sum(cpu1.values()) -
                                                         sum(cpu0.values()))
                              for k in cpu0},
                    sched=None if not (ss0 and ss1) else
                    (ss1[0] - ss0[0], ss1[1] - ss0[1], ss1[2] - ss0[2]),
                    a_lines=a.text(since=mark_a).count('\n'),
                    b_lines=b.text(since=mark_b).count('\n'),
                    b_master=bool(b.search(r'Entering MASTER STATE', since=mark_b)),
                    a_changed=bool(a.search(r'Entering', since=mark_a)),
                    rss=(rss0, rss1))
    finally:
        for d in ds:
            d.stop()
        topo.destroy()


def cmd_flood(args):
    for nice in ((19, 0) if args.nice == 'both' else (int(args.nice),)):
        with tempfile.TemporaryDirectory(prefix='soak') as tmp:
            r = flood(args.ours, args.seconds, args.pps, args.instances, tmp, nice=nice,
                      snaplen=args.snaplen, buffer_kib=args.buffer,
                      global_extra=''.join(f'    {x}\n' for x in args.global_defs))
        report_flood(args, r, nice)
    return 0


def report_flood(args, r, nice):
    t = r['totals']
    log(f'\nflood: {args.seconds} s at {args.pps} packets/s asked ({r["rate"]:.0f}/s sent, '
        f'senders at nice {nice}), {args.instances} instances, advert_int 1')
    log(f'  adverts during the flood (about {r["due"]:.0f} due): sent by a {t["sent"]} (its '
        f'stats), seen on a\'s eth0 {t["cap_a"]}, seen on b\'s eth0 {t["cap_b"]}, received '
        f'by b {t["rcvd"]} (its stats)')
    log(f'  adverts a sent that b did not receive: {t["lost"]}, in '
        f'{sum(1 for x in r["per"].values() if x["lost"])} instances')
    rows = sorted(r['per'].items(), key=lambda kv: (-kv[1]['lost'], kv[1]['cap_b']))
    log('  per instance (sent by a / on a\'s eth0 / on b\'s eth0 / received by b), most lost '
        'first: ' + ', '.join(
            f'VI_{v} {x["sent"]}/{x["cap_a"]}/{x["cap_b"]}/{x["rcvd"]}' for v, x in rows[:5]))
    log(f'  longest gap of an instance\'s adverts: on a\'s eth0 {num(r["worst_gap_a"], 3)} s '
        f'({r["long_gaps_a"]} over 1.5 s), on b\'s eth0 {num(r["worst_gap"], 3)} s '
        f'({r["long_gaps"]} over 1.5 s); instances never seen on b: {r["missing"]}')
    log(f'  drops: tcpdump on a / b {r["tcpdump_drops"]}, VRRP sockets (queue full) of a / b '
        f'{r["sock_drops"]}, host input backlogs {r["softnet_drops"]}')
    if r['sched']:
        cpu, wait, nsl = r['sched']
        log(f'  a\'s VRRP child: CPU {cpu:.1f} s, run-queue wait {wait:.1f} s, {nsl} '
            f'timeslices; timers found late > 0.2 s: {len(r["late"])} (worst '
            f'{max(r["late"], default=0):.3f} s)')
    log('  host CPU during the flood: ' + ', '.join(
        f'{k} {v * 100:.0f}%' for k, v in r['host_cpu'].items() if v >= 0.005))
    log(f'  log lines during the flood: a {r["a_lines"]}, b {r["b_lines"]}; b entered MASTER: '
        f'{r["b_master"]}; a changed state: {r["a_changed"]}')
    log(f'  a\'s VRRP child VmRSS kB before/after: {r["rss"]}')


# ---------------------------------------------------------------- main

def num(v, digits):
    return '-' if v is None else f'{v:.{digits}f}'


def fmt_row(res):
    return ', '.join(f'{k}={num(v, 3) if isinstance(v, float) else v}' for k, v in res.items())


def impls(args):
    out = [('ours', args.ours), ('keepalived', args.ref)]
    for name, b in out:
        if not (os.path.isfile(b) and os.access(b, os.X_OK)):
            sys.exit(f'bench_soak: {name} binary {b} is not an executable file')
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--ours', default=DEFAULT_OURS)
    ap.add_argument('--ref', default=DEFAULT_REF)
    sub = ap.add_subparsers(dest='cmd', required=True)
    p = sub.add_parser('crash-failover')
    p.add_argument('--runs', type=int, default=3)
    p.add_argument('--advert', type=float, default=1)
    p.set_defaults(fn=cmd_crash_failover)
    p = sub.add_parser('upgrade')
    p.add_argument('--advert', type=float, default=1)
    p.set_defaults(fn=cmd_upgrade)
    p = sub.add_parser('reloads')
    p.add_argument('--count', type=int, default=1000)
    p.add_argument('--instances', type=int, default=1000)
    p.add_argument('--servers', type=int, default=1000)
    p.add_argument('--interval', type=float, default=1)
    p.set_defaults(fn=cmd_reloads)
    p = sub.add_parser('kills')
    p.add_argument('--count', type=int, default=100)
    p.add_argument('--max-wait', type=float, default=2)
    p.set_defaults(fn=cmd_kills)
    p = sub.add_parser('flood')
    p.add_argument('--seconds', type=float, default=60)
    p.add_argument('--pps', type=int, default=50000)
    p.add_argument('--instances', type=int, default=100)
    p.add_argument('--nice', choices=('0', '19', 'both'), default='both')
    p.add_argument('--snaplen', type=int, default=256)
    p.add_argument('--buffer', type=int, default=8192)
    p.add_argument('--global-defs', action='append', default=[],
                   help='a line for both daemons\' global_defs (repeat)')
    p.set_defaults(fn=cmd_flood)
    for sp in sub.choices.values():
        sp.add_argument('--ours', default=argparse.SUPPRESS)
        sp.add_argument('--ref', default=argparse.SUPPRESS)
    args = ap.parse_args()
    if os.geteuid() != 0:
        sys.exit('bench_soak: run as root (network namespaces)')
    log(f'ours = {args.ours}\nkeepalived = {args.ref}')
    try:
        return args.fn(args)
    finally:
        kalib.CLEANUP.run_all()


if __name__ == '__main__':
    sys.exit(main())
