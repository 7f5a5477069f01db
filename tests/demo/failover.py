#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The main job, shown: three daemons in network namespaces elect a master, the VIP
moves when the master is killed, and moves back when it returns (preemption).

Usage: tests/demo/failover.py [BINARY]   (default: build/keepalived/keepalived)
Prints a timeline: seconds since start, which host, what happened.
"""
import os
import signal
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / 'system'))
sys.dont_write_bytecode = True
import kalib  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
BINARY = sys.argv[1] if len(sys.argv) > 1 else str(REPO / 'build/keepalived/keepalived')
VIP = '192.0.2.100'
PRIO = {'a': 150, 'b': 100, 'c': 50}
CONF = '''global_defs {{
    router_id demo_{h}
}}
vrrp_instance VI_1 {{
    state BACKUP
    interface eth0
    virtual_router_id 51
    priority {prio}
    version 3
    advert_int 0.2
    virtual_ipaddress {{
        {vip}/24
    }}
}}
'''

T0 = time.monotonic()


def say(host, what):
    print(f'{time.monotonic() - T0:7.3f} s  {host:>6}  {what}', flush=True)


def holder(topo):
    return [h for h in PRIO if topo.has_addr(h, VIP)]


def wait_holder(topo, want, timeout=10):
    kalib.wait_for(lambda: holder(topo) == [want], timeout, f'the VIP on {want} only',
                   interval=0.005)
    say(want, f'holds {VIP} (alone)')


def main():
    tmp = Path(tempfile.mkdtemp(prefix='ka-demo-'))
    topo = kalib.Topology(hosts=tuple(PRIO))
    kalib.CLEANUP.add(topo.destroy)
    daemons = {}

    def start(h, run=''):
        conf = tmp / f'{h}.conf'
        conf.write_text(CONF.format(h=h, prio=PRIO[h], vip=VIP))
        d = kalib.Daemon(BINARY, topo.host(h), conf, tmp, name=h + run).start()
        daemons[h] = d
        return d

    print(f'VRRPv3, advert_int 0.2 s, VIP {VIP}; priorities: '
          + ', '.join(f'{h}={p}' for h, p in PRIO.items()))
    print(f'binary: {BINARY}\n')
    for h in PRIO:
        start(h)
        say(h, f'started (priority {PRIO[h]})')
    daemons['a'].wait_log(r'\(VI_1\) Entering MASTER STATE', 10)
    say('a', 'Entering MASTER STATE')
    wait_holder(topo, 'a')

    mark = daemons['b'].mark()
    say('a', 'frozen (SIGSTOP) then killed (SIGKILL): no goodbye advert')
    tree = daemons['a'].tree()
    for p in tree:
        os.kill(p, signal.SIGSTOP)
    for p in tree:
        os.kill(p, signal.SIGKILL)
    daemons['a'].kill_tree()
    # its VIP stays on the dead host's interface; a real host would lose it with its power
    kalib.sh('ip', '-n', topo.host('a'), 'addr', 'del', f'{VIP}/24', 'dev', 'eth0', check=False)
    daemons['b'].wait_log(r'\(VI_1\) Entering MASTER STATE', 10, since=mark)
    say('b', 'Entering MASTER STATE (master-down timer expired)')
    wait_holder(topo, 'b')

    mark = daemons['b'].mark()
    start('a', '-2')
    say('a', 'restarted')
    daemons['a'].wait_log(r'\(VI_1\) Entering MASTER STATE', 10)
    say('a', 'Entering MASTER STATE (higher priority: preempts)')
    daemons['b'].wait_log(r'\(VI_1\) Entering BACKUP STATE', 10, since=mark)
    say('b', 'Entering BACKUP STATE')
    wait_holder(topo, 'a')

    say('a', 'SIGTERM: sends priority 0 and releases the VIP')
    daemons['a'].stop()
    wait_holder(topo, 'b')
    for h in ('b', 'c'):
        daemons[h].stop()
    say('all', 'stopped')
    kalib.CLEANUP.run_all()


if __name__ == '__main__':
    main()
