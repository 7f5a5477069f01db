#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Start-up and SIGTERM -> exit times of our daemon and Debian's keepalived, same run.

Usage: tests/bench/bench_lifecycle.py [OUR_BINARY] [RUNS]
Each run starts the daemon (-P: VRRP only, as IPVS is absent here) with one BACKUP
instance in a fresh namespace, measures exec -> VRRP pid file written ("start"),
then SIGTERM -> parent exit ("stop"), with no VIP to release. Prints medians in ms.
"""
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / 'system'))
sys.dont_write_bytecode = True
import kalib  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
ours = sys.argv[1] if len(sys.argv) > 1 else str(REPO / 'build/keepalived/keepalived')
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
CONF = kalib.CONFIGS / 'vrrp-basic.conf'


def once(binary, ns, tmp):
    pid, vpid = Path(tmp, 'k.pid'), Path(tmp, 'v.pid')
    for f in (pid, vpid):
        f.unlink(missing_ok=True)
    t0 = time.monotonic()
    p = subprocess.Popen(['ip', 'netns', 'exec', ns, binary, '-P', '-n', '-G', '-f', str(CONF),
                          '-p', str(pid), '-r', str(vpid), '-c', str(Path(tmp, 'c.pid'))],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        kalib.wait_for(lambda: vpid.exists() and vpid.read_text().strip(), 10, 'VRRP pid file',
                       interval=0.0005)
        start = time.monotonic() - t0
        time.sleep(0.5)
        t1 = time.monotonic()
        p.send_signal(signal.SIGTERM)
        p.wait(10)
        return start, time.monotonic() - t1
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()


def main():
    topo = kalib.Topology(('a',))
    rows = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for name, binary in (('ours', ours), ('keepalived', '/usr/sbin/keepalived')):
                if not os.access(binary, os.X_OK):
                    continue
                res = [once(binary, topo.host('a'), tmp) for _ in range(runs)]
                rows.append((name, statistics.median(r[0] for r in res) * 1000,
                             statistics.median(r[1] for r in res) * 1000))
    finally:
        topo.destroy()
    print(f'{"daemon":<12} {"start_ms":>9} {"stop_ms":>9}   (median of {runs})')
    for name, s, t in rows:
        print(f'{name:<12} {s:9.1f} {t:9.1f}')
    if len(rows) == 2:
        print(f'{"ratio":<12} {rows[0][1] / rows[1][1]:9.3f} {rows[0][2] / rows[1][2]:9.3f}')


if __name__ == '__main__':
    main()
