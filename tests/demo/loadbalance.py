#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The load-balancing job, shown: a virtual server with three real servers; one stops
and starts again; the health checker takes it out of the kernel's IPVS table and puts it
back. `ipvsadm -Ln` is printed at each step.

Usage: tests/demo/loadbalance.py [BINARY]   (default: build/keepalived/keepalived)

It needs the kernel's ip_vs. Where the kernel has none (`modprobe ip_vs` fails), it runs
itself inside ../shared/tools/ipvs-vm (a throwaway VM with Debian's kernel) when that
tool is there, and otherwise says so and exits 77.
Everything runs in two network namespaces of its own (the balancer, the backends behind a
veth); they are removed at exit, and the host's own IPVS table is never touched.
"""
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BINARY = sys.argv[1] if len(sys.argv) > 1 else str(REPO / 'build/keepalived/keepalived')
TAG = secrets.token_hex(2)
LB, BE = f'kdlb{TAG}', f'kdbe{TAG}'
VIP = '192.0.2.80'
RS = ['198.51.100.1', '198.51.100.2', '198.51.100.3']
CONF = '''global_defs {{
    router_id demo_lb
}}
virtual_server {vip} 80 {{
    delay_loop 1
    lb_algo rr
    lb_kind NAT
    protocol TCP
{rs}}}
'''
RS_CONF = '''    real_server {a} 80 {{
        weight 1
        TCP_CHECK {{
            connect_timeout 1
            retry 0
        }}
    }}
'''
T0 = time.monotonic()


def say(what):
    print(f'{time.monotonic() - T0:7.3f} s  {what}', flush=True)


def sh(*cmd, ns=None, input=None, check=True):
    if ns:
        cmd = ('ip', 'netns', 'exec', ns) + cmd
    r = subprocess.run(cmd, input=input, capture_output=True, text=True)
    if check and r.returncode:
        raise RuntimeError(f'{" ".join(cmd)}: {r.stderr.strip()}')
    return r.stdout


def have_ipvs():
    if Path('/proc/net/ip_vs').exists():
        return True
    subprocess.run(['modprobe', '-q', 'ip_vs'], capture_output=True)
    return Path('/proc/net/ip_vs').exists()


def in_vm():
    vm = REPO.parent / 'shared/tools/ipvs-vm'
    if not vm.exists():
        print('load balancing: skipped: this kernel has no ip_vs (modprobe ip_vs failed)')
        return 77
    print('(this kernel has no ip_vs: the load-balancing part runs in a VM with Debian\'s '
          'kernel, ../shared/tools/ipvs-vm; it is about 20 times slower there)\n', flush=True)
    binary = os.path.relpath(BINARY, REPO) if BINARY.startswith(str(REPO)) else BINARY
    return subprocess.run([str(vm), '--timeout', '300', '--', '/usr/bin/python3',
                           'tests/demo/loadbalance.py', binary], cwd=REPO).returncode


def table():
    """ipvsadm -Ln in the balancer's namespace, without the counters' zeros."""
    return sh('ipvsadm', '-Ln', ns=LB)


def dests():
    return sorted(x.split()[1] for x in table().splitlines()
                  if x.startswith('  -> ') and not x.split()[1].startswith('Remote'))


def show():
    for line in table().splitlines():
        print('           | ' + line.rstrip())


def wait(want, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if dests() == want:
            return True
        time.sleep(0.1)
    say(f'!! still {dests()} after {timeout} s, wanted {want}')
    return False


def main():
    if not have_ipvs():
        return in_vm()
    work = Path(tempfile.mkdtemp(prefix='ka-demo-lb-'))
    backend = daemon = None
    ok = True
    try:
        sh('ip', 'netns', 'add', LB)
        sh('ip', 'netns', 'add', BE)
        sh('ip', '-n', LB, '-batch', '-', input='\n'.join([
            'link set lo up', f'link add lb0 type veth peer name be0 netns {BE}',
            'link set lb0 up', 'addr add 198.51.100.254/24 dev lb0',
            'link add vip0 type dummy', 'link set vip0 up', f'addr add {VIP}/32 dev vip0']) + '\n')
        sh('ip', '-n', BE, '-batch', '-', input='\n'.join(
            ['link set lo up', 'link set be0 up'] + [f'addr add {a}/24 dev be0' for a in RS]
            + ['route add default via 198.51.100.254']) + '\n')
        backend = subprocess.Popen(['ip', 'netns', 'exec', BE, '/usr/bin/python3',
                                    str(REPO / 'tests/ipvs/backend.py')],
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                   bufsize=1)

        def ctl(line):
            backend.stdin.write(line + '\n')
            backend.stdin.flush()
            assert backend.stdout.readline().strip() == 'ok', line

        for a in RS:
            ctl(f'up {a} 80')
        conf = work / 'keepalived.conf'
        conf.write_text(CONF.format(vip=VIP, rs=''.join(RS_CONF.format(a=a) for a in RS)))
        print(f'virtual server {VIP}:80 (NAT, rr), real servers {", ".join(RS)}, '
              f'TCP_CHECK every 1 s')
        print(f'binary: {BINARY}\n')
        log = open(work / 'daemon.log', 'wb')
        daemon = subprocess.Popen(['ip', 'netns', 'exec', LB, BINARY, '-n', '-l', '-C',
                                   '-f', str(conf), '-p', str(work / 'ka.pid'),
                                   '-c', str(work / 'check.pid'), '-r', str(work / 'vrrp.pid')],
                                  stdin=subprocess.DEVNULL, stdout=log,
                                  stderr=subprocess.STDOUT, start_new_session=True)
        global T0
        T0 = time.monotonic()
        say('daemon started')
        all3 = sorted(f'{a}:80' for a in RS)
        ok &= wait(all3, 30)
        say('three real servers in the IPVS table')
        show()
        ctl(f'down {RS[1]} 80')
        say(f'{RS[1]} stopped listening')
        ok &= wait([f'{RS[0]}:80', f'{RS[2]}:80'], 30)
        say(f'the check failed: {RS[1]} taken out of the table')
        show()
        ctl(f'up {RS[1]} 80')
        say(f'{RS[1]} listening again')
        ok &= wait(all3, 30)
        say(f'the check succeeded: {RS[1]} back in the table')
        show()
        os.kill(daemon.pid, signal.SIGTERM)
        daemon.wait(30)
        say('SIGTERM: the daemon removed its virtual server')
        show()
        if not ok:
            print(f'\nthe daemon\'s log ({work / "daemon.log"}):')
            print((work / 'daemon.log').read_text()[-3000:])
    finally:
        if daemon and daemon.poll() is None:
            os.killpg(daemon.pid, signal.SIGKILL)
            daemon.wait()
        if backend:
            backend.kill()
            backend.wait()
        sh('ip', 'netns', 'del', LB, check=False)
        sh('ip', 'netns', 'del', BE, check=False)
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
