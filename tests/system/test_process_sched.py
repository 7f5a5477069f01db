# SPDX-License-Identifier: GPL-2.0-or-later
"""Scheduling of the child processes (global_defs' vrrp_* and checker_* keywords): nice
value, realtime policy and priority, RLIMIT_RTTIME, memory lock, CPU affinity, read from
/proc as a user would check them, for ours and for Debian's keepalived 2.2.7 on the same
configuration.

What keepalived 2.2.7 does, measured here: with *_rt_priority the child runs SCHED_RR |
SCHED_RESET_ON_FORK at that priority, RLIMIT_RTTIME soft/hard = *_rlimit_rttime / 2 and
*_rlimit_rttime (default 10000 us), and its nice value is left alone (*_priority is applied
only to a child that is not realtime); *_no_swap locks its memory (VmLck); the parent is
untouched; its scripts run SCHED_OTHER at nice 0. SIGXCPU is logged, SIGKILL (RLIMIT_RTTIME's
hard limit) makes the parent ask whether rlimit_rttime was exceeded.
"""
import os
import re
import signal
import time
from pathlib import Path

import pytest

import kalib
from kalib import alive, wait_for

CHILD_STARTED = r'Starting VRRP child process, pid=(\d+)'
CHECK_STARTED = r'Starting Healthcheck child process, pid=(\d+)'
SCHED_OTHER, SCHED_RR, RESET_ON_FORK = 0, 2, 0x40000000
POLICY = {SCHED_OTHER: 'SCHED_OTHER', SCHED_RR: 'SCHED_RR'}
# keepalived 2.2.7's checker child exits at start without the kernel's IPVS
HAS_IPVS = os.path.exists('/proc/net/ip_vs')


def cpu_list(text):
    """'0-2,5' -> [0, 1, 2, 5]"""
    cpus = []
    for part in text.split(','):
        lo, _, hi = part.partition('-')
        cpus += range(int(lo), int(hi or lo) + 1)
    return cpus


def sched_of(pid):
    """What /proc says of pid's scheduling: stat's nice, rt_priority and policy (with
    SCHED_RESET_ON_FORK from sched_getscheduler), status' Cpus_allowed_list and VmLck,
    limits' RLIMIT_RTTIME (soft, hard)."""
    stat = Path(f'/proc/{pid}/stat').read_text()
    fields = stat[stat.rindex(')') + 2:].split()   # from field 3 (state) on
    nice, rt_prio, policy = int(fields[19 - 3]), int(fields[40 - 3]), int(fields[41 - 3])
    status = Path(f'/proc/{pid}/status').read_text()
    limits = Path(f'/proc/{pid}/limits').read_text()
    rttime = re.search(r'^Max realtime timeout\s+(\S+)\s+(\S+)', limits, re.M).groups()
    policy_name = POLICY.get(policy, str(policy))
    if os.sched_getscheduler(pid) & RESET_ON_FORK:
        policy_name += '|SCHED_RESET_ON_FORK'
    return {
        'nice': nice,
        'policy': policy_name,
        'rt_priority': rt_prio,
        'cpus': cpu_list(re.search(r'^Cpus_allowed_list:\s*(\S+)', status, re.M)[1]),
        'rttime': rttime,
        'locked': int(re.search(r'^VmLck:\s*(\d+) kB', status, re.M)[1]) > 0,
    }


def wait_sched(pid, want, timeout=5):
    """pid's scheduling once it is want (the child applies it after its start)."""
    deadline = time.monotonic() + timeout
    while True:
        got = sched_of(pid)
        if all(got[k] == v for k, v in want.items()) or time.monotonic() > deadline:
            break
        time.sleep(0.02)
    assert {k: got[k] for k in want} == want, f'pid {pid}: {got}'
    return got


# What the test runner has (the daemon inherits it).
OWN = sched_of(os.getpid())
NOT_SET = {'nice': 0, 'policy': 'SCHED_OTHER', 'rt_priority': 0, 'cpus': OWN['cpus'],
           'rttime': OWN['rttime'], 'locked': False}
LAST_CPU = OWN['cpus'][-1]      # not 0 when there are several: a visible change

# case: (global_defs lines with PREFIX for vrrp/checker, what the child gets)
CASES = {
    # the settings: the nice value is not applied to a realtime child (2.2.7)
    'realtime': ('{p}_priority -5\n{p}_cpu_affinity {cpu}\n{p}_rt_priority 20\n'
                 '{p}_rlimit_rttime 10000\n{p}_no_swap',
                 {'nice': 0, 'policy': 'SCHED_RR|SCHED_RESET_ON_FORK', 'rt_priority': 20,
                  'rttime': ('5000', '10000'), 'locked': True}),
    'nice': ('{p}_priority -5\n{p}_no_swap',
             {'nice': -5, 'policy': 'SCHED_OTHER', 'rt_priority': 0, 'rttime': OWN['rttime'],
              'locked': True}),
    'rttime': ('{p}_rt_priority 30\n{p}_rlimit_rttime 24000',
                       {'policy': 'SCHED_RR|SCHED_RESET_ON_FORK', 'rt_priority': 30,
                        'rttime': ('12000', '24000'), 'locked': False}),
    # RLIMIT_RTTIME's default (10000 us) comes with the realtime priority
    'rt_only': ('{p}_rt_priority 30',
                {'policy': 'SCHED_RR|SCHED_RESET_ON_FORK', 'rt_priority': 30,
                 'rttime': ('5000', '10000'), 'cpus': OWN['cpus']}),
}


def settings(case, prefix, cpu):
    lines = CASES[case][0].format(p=prefix, cpu=cpu)
    return '\n'.join(f'    {l}' for l in lines.splitlines())


def sanitized(binary):
    """A sanitizer build: ASan makes mlockall() a no-op that succeeds."""
    return b'__asan_init' in Path(binary).read_bytes()


def expect(case, cpu, binary):
    want = dict(CASES[case][1])
    if '_cpu_affinity' in CASES[case][0]:
        want['cpus'] = [cpu]
    if sanitized(binary):
        want.pop('locked', None)
    return want


@pytest.fixture(params=['ours', 'debian'])
def impl(request, binary):
    """The daemon under test, then Debian's keepalived 2.2.7 on the same config."""
    if request.param == 'ours':
        return binary
    if not os.access(kalib.DEBIAN, os.X_OK):
        pytest.skip(f'{kalib.DEBIAN} not installed')
    return kalib.DEBIAN


def vrrp_conf(tmp_path, lines, append=''):
    return kalib.make_conf(tmp_path / 'ka.conf', 'vrrp-basic.conf',
                           ('router_id kt_basic', f'router_id kt_basic\n{lines}'), append=append)


def start_vrrp(start_daemon, conf, impl, args=()):
    d = start_daemon(conf, binary=impl, args=args)
    child = int(d.wait_log(CHILD_STARTED)[1])
    wait_for(lambda: d.vrrp_pid() == child, 5, 'VRRP pid file')
    return d, child


@pytest.mark.parametrize('case', list(CASES))
def test_vrrp_child(start_daemon, tmp_path, impl, case):
    """The VRRP child gets the vrrp_* settings; the parent keeps its own."""
    d, child = start_vrrp(start_daemon, vrrp_conf(tmp_path, settings(case, 'vrrp', 0)), impl)
    wait_sched(child, expect(case, 0, impl))
    assert sched_of(d.pid) == NOT_SET, 'the parent changed'


@pytest.mark.parametrize('case', ['realtime', 'nice'])
def test_checker_child(start_daemon, tmp_path, impl, case):
    """The checker child (a config with a virtual_server) gets the checker_* settings, the
    VRRP child none of them."""
    if impl == kalib.DEBIAN and not HAS_IPVS:
        pytest.skip("keepalived 2.2.7's checker child exits without the kernel's ip_vs")
    conf = kalib.make_conf(tmp_path / 'ka.conf', 'lvs.conf',
                           ('router_id kt_lvs', f'router_id kt_lvs\n'
                            f'{settings(case, "checker", LAST_CPU)}'))
    d = start_daemon(conf, binary=impl)
    checker = int(d.wait_log(CHECK_STARTED)[1])
    child = int(d.wait_log(CHILD_STARTED)[1])
    wait_sched(checker, expect(case, LAST_CPU, impl))
    assert sched_of(child) == NOT_SET, 'the VRRP child took the checker_* settings'


def test_sigxcpu_is_logged(start_daemon, tmp_path, impl):
    """SIGXCPU (the kernel's at RLIMIT_RTTIME's soft limit) is logged, the child goes on;
    SIGKILL (at the hard limit) makes the parent ask whether the limit was exceeded, and
    respawn the child."""
    d, child = start_vrrp(start_daemon, vrrp_conf(tmp_path, settings('realtime', 'vrrp', 0)),
                          impl)
    wait_sched(child, expect('realtime', 0, impl))
    mark = d.mark()
    os.kill(child, signal.SIGXCPU)
    d.wait_log(r'VRRP process has used too much CPU time, vrrp_rlimit_rttime may need to be '
               r'increased', since=mark)
    assert alive(child) and d.vrrp_pid() == child
    mark = d.mark()
    os.kill(child, signal.SIGKILL)
    d.wait_log(rf'pid {child} exited due to signal 9 \(Killed\) - has rlimit_rttime been '
               r'exceeded\?', since=mark)
    d.wait_log(rf'VRRP child process\({child}\) died: Respawning', since=mark)


@pytest.mark.ours_only  # keepalived 2.2.7's checker child exits without the kernel's ip_vs
def test_checker_sigxcpu_is_logged(start_daemon, tmp_path, binary):
    conf = kalib.make_conf(tmp_path / 'ka.conf', 'lvs.conf',
                           ('router_id kt_lvs', f'router_id kt_lvs\n'
                            f'{settings("realtime", "checker", LAST_CPU)}'))
    d = start_daemon(conf)
    checker = int(d.wait_log(CHECK_STARTED)[1])
    wait_sched(checker, expect('realtime', LAST_CPU, binary))
    os.kill(checker, signal.SIGXCPU)
    d.wait_log(r'Checker process has used too much CPU time, checker_rlimit_rttime may need '
               r'to be increased')
    assert alive(checker) and d.check_pid() == checker


class Unprivileged(kalib.Daemon):
    """The daemon without CAP_SYS_NICE and CAP_IPC_LOCK (out of its bounding set)."""

    @property
    def cmd(self):
        cmd = super().cmd
        at = cmd.index(self.binary)
        return cmd[:at] + ['setpriv', '--bounding-set', '-sys_nice,-ipc_lock'] + cmd[at:]


@pytest.mark.parametrize('case,line', [
    ('realtime', r'child process: cannot raise priority'),
    ('nice', r'Unable to set process priority to -5 - Permission denied'),
])
def test_refused_is_logged(request, tmp_path, topo, impl, case, line):
    """Without the capabilities the settings are refused: keepalived's line, and the child
    runs on with ordinary scheduling."""
    d = Unprivileged(impl, topo.host(), vrrp_conf(tmp_path, settings(case, 'vrrp', 0)), tmp_path)
    request.node.ka_daemons = [d]       # the failure report shows its log
    try:
        d.start()
        child = int(d.wait_log(CHILD_STARTED)[1])
        d.wait_log(line)
        got = sched_of(child)
        assert (got['nice'], got['policy']) == (0, 'SCHED_OTHER'), got
        assert alive(child)
    finally:
        d.kill_tree()


def script_conf(tmp_path, case):
    """The case's settings, and a notify script that copies its /proc stat and status when
    VI_1 becomes MASTER (after start-up: the child has applied its settings by then)."""
    os.chmod(tmp_path, 0o755)
    out = tmp_path / 'script'
    script = tmp_path / 'notify.sh'
    script.write_text(f'#!/bin/sh\n[ "$3" = MASTER ] || exit 0\n'
                      f'cat /proc/$$/stat > {out}.stat.tmp\n'
                      f'cat /proc/$$/status > {out}.status\n'
                      f'mv {out}.stat.tmp {out}.stat\n')
    script.chmod(0o755)
    conf = vrrp_conf(tmp_path, settings(case, 'vrrp', 0) +
                     '\n    script_user root\n    enable_script_security')
    text = conf.read_text().replace('    advert_int 1\n', f'    advert_int 1\n    notify {script}\n')
    conf.write_text(text)
    return conf, out


@pytest.mark.parametrize('case', ['realtime', 'nice'])
def test_scripts_run_unprivileged(start_daemon, tmp_path, impl, case):
    """A notify script runs SCHED_OTHER at the daemon's nice value, memory not locked."""
    conf, out = script_conf(tmp_path, case)
    d, child = start_vrrp(start_daemon, conf, impl)
    wait_sched(child, expect(case, 0, impl))
    d.wait_log(r'\(VI_1\) Entering MASTER STATE', timeout=10)
    stat_file = Path(f'{out}.stat')
    wait_for(stat_file.exists, 5, 'the notify script ran')
    stat = stat_file.read_text()
    fields = stat[stat.rindex(')') + 2:].split()
    status = Path(f'{out}.status').read_text()
    got = {'nice': int(fields[19 - 3]), 'policy': POLICY.get(int(fields[41 - 3])),
           'locked': int(re.search(r'^VmLck:\s*(\d+) kB', status, re.M)[1]) > 0}
    assert got == {'nice': 0, 'policy': 'SCHED_OTHER', 'locked': False}


@pytest.mark.ours_only  # keepalived 2.2.7 sets RLIMIT_RTTIME to 0 before a reload: where it
# may not raise it again (no CAP_SYS_RESOURCE) its realtime child is killed after it
def test_reload_applies_new_settings(start_daemon, tmp_path, binary):
    """A reload applies the new settings to the same child and undoes those it removes
    (2.2.7 keeps the CPUs)."""
    d, child = start_vrrp(start_daemon, vrrp_conf(tmp_path, settings('realtime', 'vrrp', 0)),
                          binary)
    wait_sched(child, expect('realtime', 0, binary))
    steps = [
        ('    vrrp_priority -3', {'nice': -3, 'policy': 'SCHED_OTHER', 'rt_priority': 0,
                                  'cpus': OWN['cpus'], 'locked': False}),
        ('    vrrp_rt_priority 10\n    vrrp_cpu_affinity 0\n    vrrp_no_swap',
         {'nice': 0, 'policy': 'SCHED_RR|SCHED_RESET_ON_FORK', 'rt_priority': 10, 'cpus': [0],
          'rttime': ('5000', '10000'), 'locked': True}),
    ]
    for lines, want in steps:
        if sanitized(binary):
            want.pop('locked')
        vrrp_conf(tmp_path, lines)
        mark = d.mark()
        d.signal(signal.SIGHUP)
        d.wait_log(r'Reload complete', since=mark)
        wait_sched(child, want)
        assert d.vrrp_pid() == child and alive(child)
