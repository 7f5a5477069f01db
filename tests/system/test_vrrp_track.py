# SPDX-License-Identifier: GPL-2.0-or-later
"""track_file and track_process for VRRP instances, as a user sees them: log lines,
priority, FAULT state and who holds the VIP.

Hosts a (192.0.2.1) and b (.2); VI_1 is VRID 51, VIP 192.0.2.100, VRRPv3 at
advert_int 0.1 s. The daemons run under `ip netns exec`, where the kernel's process
events cannot be had: track_process then scans /proc every second (keepalived 2.2.7
never sees a process there: those tests are ours_only). The files are the tests'
own, in tmp_path.
"""
import os
import secrets
import shutil
import signal
import subprocess

import pytest

import kalib
from kalib import holds_for, wait_for

VIP4 = '192.0.2.100'


@pytest.fixture
def topo():
    t = kalib.Topology(('a', 'b'))
    yield t
    t.destroy()


@pytest.fixture
def procs():
    """Processes a test starts: killed (by PID) and reaped at its end."""
    started = []
    yield started
    for p in started:
        if p.poll() is None:
            p.kill()
        p.wait()


def instance(*, prio, extra='', name='VI_1', vrid=51):
    more = '\n'.join(f'    {l.strip()}' for l in extra.strip().splitlines())
    return f'''
vrrp_instance {name} {{
    state BACKUP
    interface eth0
    virtual_router_id {vrid}
    priority {prio}
    advert_int 0.1
    version 3
{more}
    virtual_ipaddress {{
        {VIP4}/24
    }}
}}
'''


def config(*blocks):
    return '''global_defs {
    router_id kt_track
    script_user root
    enable_script_security
}
''' + ''.join(blocks)


def track_file(name, path, weight=None, extra=''):
    w = f'    weight {weight}\n' if weight is not None else ''
    return f'''
track_file {name} {{
    file {path}
{w}{extra}}}
'''


def entering(state, vi='VI_1'):
    return rf'\({vi}\) Entering {state} STATE'


def prio_change(old, new, vi='VI_1'):
    return rf'\({vi}\) Changing effective priority from {old} to {new}$'


def start(start_daemon, tmp_path, host, text, wait=r'\(VI_1\) (Entering \w+ STATE|entering FAULT state)'):
    path = tmp_path / f'{host}.conf'
    path.write_text(text)
    d = start_daemon(path, name=host, host=host)
    if wait:
        d.wait_log(wait, timeout=40)
    return d


def write(path, text):
    """As `echo text > path`: one write, then close (what inotify's IN_CLOSE_WRITE reports)."""
    with open(path, 'w') as f:
        f.write(text)


# ---------------------------------------------------------------- track_file

def test_track_file_weight_moves_priority(start_daemon, tmp_path, topo):
    """weight 60: the value times 60 is added (hex and negative values, clamped); a deleted
    file counts 0; a file replaced by mv is read. b (150) and a (100 + 60 * value) swap the VIP."""
    f = tmp_path / 'tf1'
    write(f, '0\n')
    a = start(start_daemon, tmp_path, 'a',
              config(track_file('tf1', f, 60), instance(prio=100, extra='track_file {\n tf1\n}')))
    b = start(start_daemon, tmp_path, 'b', config(instance(prio=150)))
    b.wait_log(entering('MASTER'), timeout=5)
    wait_for(lambda: topo.has_addr('b', VIP4) and not topo.has_addr('a', VIP4), 5, 'VIP on b')

    m = a.mark()
    write(f, '1\n')
    a.wait_log(prio_change(100, 160), since=m, timeout=3)
    a.wait_log(entering('MASTER'), since=m, timeout=3)
    wait_for(lambda: topo.has_addr('a', VIP4) and not topo.has_addr('b', VIP4), 5, 'VIP on a')

    m = a.mark()
    write(f, '0x2\n')                   # hexadecimal: 2 * 60
    a.wait_log(prio_change(160, 220), since=m, timeout=3)

    m = a.mark()
    write(f, '-3\n')                    # 100 - 180: the priority stays at 1 at least
    a.wait_log(prio_change(220, 1), since=m, timeout=3)
    a.wait_log(entering('BACKUP'), since=m, timeout=3)
    wait_for(lambda: topo.has_addr('b', VIP4) and not topo.has_addr('a', VIP4), 5, 'VIP on b')

    m = a.mark()
    tmp = tmp_path / 'tf1.new'
    write(tmp, '1\n')
    os.rename(tmp, f)                   # an atomic replacement, as editors do
    a.wait_log(prio_change(1, 160), since=m, timeout=3)
    wait_for(lambda: topo.has_addr('a', VIP4) and not topo.has_addr('b', VIP4), 5, 'VIP on a')

    m = a.mark()
    f.unlink()                          # gone: 0
    a.wait_log(prio_change(160, 100), since=m, timeout=3)
    wait_for(lambda: topo.has_addr('b', VIP4) and not topo.has_addr('a', VIP4), 5, 'VIP on b')
    assert not a.search(entering('FAULT')), 'a weighted track file must not cause FAULT'


def test_track_file_fault(start_daemon, tmp_path, topo):
    """weight 0: a non-zero value is FAULT from the start; 0 brings the instance back; a value
    of 0 with the instance line's reverse is FAULT."""
    f = tmp_path / 'tf0'
    write(f, '1\n')
    a = start(start_daemon, tmp_path, 'a',
              config(track_file('tf0', f, 0), instance(prio=100, extra='track_file {\n tf0\n}')))
    a.wait_log(r'\(VI_1\): entering FAULT state \(tracked file tf0 has status -254\)')
    holds_for(lambda: not topo.has_addr('a', VIP4), 0.5, 'no VIP in FAULT')

    m = a.mark()
    write(f, '0\n')
    a.wait_log(r'\(VI_1\): tracked file tf0 leaving FAULT state', since=m, timeout=3)
    a.wait_log(entering('MASTER'), since=m, timeout=5)
    wait_for(lambda: topo.has_addr('a', VIP4), 3, 'VIP on a')

    m = a.mark()
    write(f, '7 apples\n')              # text after the number is ignored
    a.wait_log(r'\(VI_1\): tracked file tf0 now FAULT state', since=m, timeout=3)
    a.wait_log(entering('FAULT'), since=m, timeout=3)
    wait_for(lambda: not topo.has_addr('a', VIP4), 3, 'VIP gone from a')


def test_track_file_reverse_init_file_missing_dir(start_daemon, tmp_path, topo):
    """init_file creates a missing file (and rewrites one with overwrite); the block's weight
    and reverse apply unless the instance's line gives its own; a file in a directory that
    does not exist is dropped with 2.2.7's line."""
    new, kept, over = tmp_path / 'new', tmp_path / 'kept', tmp_path / 'over'
    write(kept, '1\n')
    write(over, '9\n')
    text = config(
        track_file('tf_new', new, 5, '    init_file 3\n'),
        track_file('tf_kept', kept, '2 reverse', '    init_file 4\n'),
        track_file('tf_over', over, 1, '    init_file -2 overwrite\n'),
        track_file('tf_nodir', tmp_path / 'nodir' / 'f', 1),
        instance(prio=100, extra='''track_file {
            tf_new
            tf_kept
            tf_over weight 10 reverse
            tf_nodir
        }'''))
    a = start(start_daemon, tmp_path, 'a', text)
    assert new.read_text() == '3\n'
    assert kept.read_text() == '1\n'
    assert over.read_text() == '-2\n'
    # 100 + 3 * 5 - 1 * 2 + 2 * 10 = 133
    a.wait_log(prio_change(100, 133), timeout=3)
    a.wait_log(r'Track file directory for tf_nodir does not exist - removing')


def test_track_file_reload(start_daemon, tmp_path, topo):
    """A reload that changes the instance's weight for a track file applies it."""
    f = tmp_path / 'tf'
    write(f, '2\n')
    conf = tmp_path / 'a.conf'
    a = start(start_daemon, tmp_path, 'a',
              config(track_file('tf', f, 1), instance(prio=100, extra='track_file {\n tf weight 5\n}')))
    a.wait_log(prio_change(100, 110), timeout=3)
    m = a.mark()
    conf.write_text(config(track_file('tf', f, 1),
                           instance(prio=100, extra='track_file {\n tf weight 20\n}')))
    a.signal(signal.SIGHUP)
    # 2.2.7 says "from 100 to 140" here (it starts from the base priority again), we "from 110"
    a.wait_log(prio_change(r'\d+', 140), since=m, timeout=5)
    m = a.mark()
    write(f, '1\n')                     # still watched after the reload
    a.wait_log(prio_change(140, 120), since=m, timeout=3)


# ---------------------------------------------------------------- track_process

@pytest.fixture
def prog(tmp_path):
    """A copy of sleep under a name of this test's own: its comm (15 characters at most)."""
    name = 'ktsl' + secrets.token_hex(4)
    path = tmp_path / name
    shutil.copy('/bin/sleep', path)
    return name, str(path)


def tproc(name, process, extra=''):
    return f'''
vrrp_track_process {name} {{
    process {process}
{extra}}}
'''


FALLBACK = (r'track_process: .* the process events of the kernel cannot be had \(they exist only '
            r'in the initial network namespace\): scanning /proc every 1 s instead')


@pytest.mark.ours_only  # keepalived 2.2.7 never sees a process start under ip netns exec (#1469)
def test_track_process_fault(start_daemon, tmp_path, topo, procs, prog):
    """weight 0: no such process is FAULT from the start; the process started: quorum gained,
    MASTER with the VIP; killed: quorum lost, FAULT, VIP gone. The fallback is said at start."""
    name, path = prog
    a = start(start_daemon, tmp_path, 'a',
              config(tproc('tp', name), instance(prio=100, extra='track_process {\n tp\n}')))
    a.wait_log(FALLBACK)
    a.wait_log(r'\(VI_1\) entering FAULT state \(tracked process tp quorum not achieved\)')
    holds_for(lambda: not topo.has_addr('a', VIP4), 0.5, 'no VIP in FAULT')

    m = a.mark()
    procs.append(subprocess.Popen([path, '1000']))
    a.wait_log(r'Quorum gained for tracked process tp$', since=m, timeout=4)
    a.wait_log(entering('MASTER'), since=m, timeout=4)
    wait_for(lambda: topo.has_addr('a', VIP4), 3, 'VIP on a')

    m = a.mark()
    procs[0].kill()
    procs[0].wait()
    a.wait_log(r'Quorum lost for tracked process tp$', since=m, timeout=4)
    a.wait_log(entering('FAULT'), since=m, timeout=3)
    wait_for(lambda: not topo.has_addr('a', VIP4), 3, 'VIP gone from a')


@pytest.mark.ours_only  # keepalived 2.2.7 never sees a process start under ip netns exec (#1469)
def test_track_process_weight_quorum_params(start_daemon, tmp_path, topo, procs, prog):
    """quorum 2 with weight 30 and the full command line with its parameter: a process with
    another parameter does not count; two that match add 30, after fork_delay; one killed:
    the weight goes at once."""
    name, path = prog
    a = start(start_daemon, tmp_path, 'a', config(
        tproc('tp', f'{path} 4242', '    quorum 2\n    weight 30\n    fork_delay 1\n'),
        instance(prio=100, extra='track_process {\n tp\n}')))
    a.wait_log(FALLBACK)
    procs.append(subprocess.Popen([path, '4243']))      # another parameter
    procs.append(subprocess.Popen([path, '4242']))
    m = a.mark()
    holds_for(lambda: not a.search(r'Quorum gained', since=m), 2.5,
                     'no quorum with one matching process')
    procs.append(subprocess.Popen([path, '4242']))
    m = a.mark()
    a.wait_log(r'Quorum gained for tracked process tp$', since=m, timeout=5)
    a.wait_log(prio_change(100, 130), since=m, timeout=1)
    assert not a.search(entering('FAULT')), 'a weighted process must not cause FAULT'

    m = a.mark()
    procs[1].kill()
    a.wait_log(r'Quorum lost for tracked process tp$', since=m, timeout=4)
    a.wait_log(prio_change(130, 100), since=m, timeout=1)


def test_track_process_config_test(tmp_path, binary, topo):
    """-t: keepalived 2.2.7's messages for references it ignores."""
    conf = tmp_path / 'k.conf'
    conf.write_text(config(tproc('tp', 'sshd', '    weight 300\n'),
                           instance(prio=100, extra='track_process {\n tp_none\n tp weight 9 sideways\n}')))
    r = kalib.run_binary(binary, ['-t', '-f', str(conf)], ns=topo.host('a'))
    err = r.stderr + r.stdout
    assert r.returncode != 0
    assert 'Weight (300) for vrrp_track_process tp must be between [-254..254] inclusive. Ignoring...' in err
    assert '(VI_1) track process tp_none not found, ignoring...' in err
    assert '(VI_1) unknown track_process tp weight option sideways - ignoring' in err


def test_track_file_sync_group(start_daemon, tmp_path, topo):
    """A sync group's track_file applies to every member: a non-zero value (weight 0) keeps
    both in FAULT from the start, without their addresses; 0 brings both up with them."""
    f = tmp_path / 'tfg'
    write(f, '1\n')
    vip2 = '192.0.2.102'
    text = config(track_file('tfg', f, 0),
                  instance(prio=100),
                  instance(prio=100, name='VI_2', vrid=52).replace(VIP4, vip2),
                  '''
vrrp_sync_group G1 {
    group {
        VI_1
        VI_2
    }
    track_file {
        tfg
    }
}
''')
    a = start(start_daemon, tmp_path, 'a', text)
    for vi in ('VI_1', 'VI_2'):
        a.wait_log(rf'\({vi}\): entering FAULT state \(tracked file tfg has status -254\)')
    holds_for(lambda: not topo.has_addr('a', VIP4) and not topo.has_addr('a', vip2), 0.5,
              'no VIP in FAULT')
    m = a.mark()
    write(f, '0\n')
    a.wait_log(entering('MASTER', 'VI_1'), since=m, timeout=5)
    a.wait_log(entering('MASTER', 'VI_2'), since=m, timeout=5)
    wait_for(lambda: topo.has_addr('a', VIP4) and topo.has_addr('a', vip2), 3, 'both VIPs on a')


@pytest.mark.ours_only  # keepalived 2.2.7 never sees a process start under ip netns exec (#1469)
def test_track_process_reload(start_daemon, tmp_path, topo, procs, prog):
    """A reload that raises the quorum above the processes running: `Quorum lost`, FAULT;
    back to 1: `Quorum gained`, MASTER again."""
    name, path = prog
    procs.append(subprocess.Popen([path, '1000']))
    conf = tmp_path / 'a.conf'
    inst = instance(prio=100, extra='track_process {\n tp\n}')
    a = start(start_daemon, tmp_path, 'a', config(tproc('tp', name), inst))
    a.wait_log(entering('MASTER'), timeout=5)
    m = a.mark()
    conf.write_text(config(tproc('tp', name, '    quorum 2\n'), inst))
    a.signal(signal.SIGHUP)
    a.wait_log(r'Quorum lost for tracked process tp$', since=m, timeout=5)
    a.wait_log(entering('FAULT'), since=m, timeout=3)
    wait_for(lambda: not topo.has_addr('a', VIP4), 3, 'VIP gone from a')
    m = a.mark()
    conf.write_text(config(tproc('tp', name), inst))
    a.signal(signal.SIGHUP)
    a.wait_log(r'Quorum gained for tracked process tp$', since=m, timeout=5)
    a.wait_log(entering('MASTER'), since=m, timeout=5)


@pytest.mark.ours_only  # the dump's content is ours; keepalived writes its own format
def test_track_usr1_dump(start_daemon, tmp_path, topo, procs, prog):
    """SIGUSR1's data file lists each tracked file with its value and each tracked process
    with how many run and its quorum."""
    name, path = prog
    f = tmp_path / 'tf'
    write(f, '4\n')
    data = tmp_path / 'ka.data'
    procs.append(subprocess.Popen([path, '1000']))
    text = config(track_file('tf', f, 1), tproc('tp', name),
                  instance(prio=100, extra='track_file {\n tf\n}\ntrack_process {\n tp\n}'))
    text = text.replace('router_id kt_track', f'router_id kt_track\n    state_dump_file {data}')
    a = start(start_daemon, tmp_path, 'a', text)
    a.signal(signal.SIGUSR1)
    # keepalived 2.2.7's sections and words (issue 15's dumps)
    wait_for(lambda: data.exists() and 'VRRP Track process = tp' in data.read_text(), 5,
             'data file')
    dump = data.read_text()
    assert f' Track file = tf\n   File = {f}\n   Status = 4\n   Weight = 1\n' in dump
    assert (f' VRRP Track process = tp\n   Process = {name}\n   Min processes = 1\n'
            '   Current processes = 1\n   Have quorum = true\n') in dump
    assert '   Tracked files :\n     tf, weight 1\n   Tracked processes :\n     tp, weight 0\n' \
        in dump
