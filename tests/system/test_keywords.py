# SPDX-License-Identifier: GPL-2.0-or-later
"""Every keyword is honest: one that is not acted on warns at its FILE:LINE:COL, one that is
does what keepalived 2.2.7 does (startup_script, shutdown_script, child_wait_time here)."""
import os
import re
import signal
import stat
from pathlib import Path

import pytest

import kalib
from kalib import alive, wait_for

DEBIAN = '/usr/sbin/keepalived'
CHILD_STARTED = r'Starting VRRP child process, pid=(\d+)'
NOT_YET = "is not acted on yet: it is parsed and ignored"

INSTANCE = '''
vrrp_instance VI_1 {
    state BACKUP
    interface eth0
    virtual_router_id 51
    priority 100
    advert_int 1
    virtual_ipaddress {
        192.0.2.100/24
    }
}
'''

# Keywords of keepalived 2.2.7 acted on, in each block (Debian's keepalived accepts it too).
ACTED_ONLY = '''
use_pid_dir
child_wait_time 3
global_defs {
    script_user root
    enable_script_security
    vrrp_version 2
    vrrp_mcast_group4 224.0.0.18
    vrrp_mcast_group6 ff02::12
    vrrp_garp_master_delay 3
    vrrp_garp_master_repeat 2
    vrrp_garp_master_refresh 60
    vrrp_garp_master_refresh_repeat 1
    vrrp_garp_lower_prio_delay 2
    vrrp_garp_lower_prio_repeat 1
    vrrp_garp_interval 0.001
    vrrp_gna_interval 0.001
    vrrp_min_garp false
    vrrp_down_timer_adverts 3
    vrrp_lower_prio_no_advert false
    vrrp_higher_prio_send_advert false
    vrrp_check_unicast_src
    vrrp_skip_check_adv_addr
    umask 0177
    log_unknown_vrids
    nftables kt_table
    nftables_priority -5
    nftables_counters
    nftables_ifindex
    vrrp_priority -5
    vrrp_no_swap
    vrrp_rt_priority 20
    vrrp_cpu_affinity 0
    vrrp_rlimit_rttime 10000
    checker_priority -5
    checker_no_swap
    checker_rt_priority 20
    checker_cpu_affinity 0
    checker_rlimit_rttime 10000
    random_seed 42
    include_check read
    startup_script /bin/true
    startup_script_timeout 5
    shutdown_script /bin/true
    shutdown_script_timeout 5
    smtp_alert_vrrp false
    no_email_faults
    vrrp_notify_priority_changes
}

vrrp_script chk {
    script "/bin/true"
    interval 2
    timeout 1
    weight -10
    rise 2
    fall 2
    user root
}

vrrp_instance VI_1 {
    state BACKUP
    interface eth0
    virtual_router_id 51
    priority 100
    advert_int 1
    version 2
    preempt_delay 1
    mcast_src_ip 192.0.2.1
    dont_track_primary
    skip_check_adv_addr
    lower_prio_no_advert false
    higher_prio_send_advert false
    garp_master_delay 1
    garp_master_repeat 1
    garp_master_refresh 10
    garp_master_refresh_repeat 1
    garp_lower_prio_delay 1
    garp_lower_prio_repeat 1
    accept
    strict_mode false
    authentication {
        auth_type PASS
        auth_pass secret
    }
    virtual_ipaddress {
        192.0.2.100/24
    }
    virtual_ipaddress_excluded {
        192.0.2.101/24
    }
    track_script {
        chk
    }
    notify_master /bin/true
    notify_backup /bin/true
    notify_fault /bin/true
    notify_stop /bin/true
    notify /bin/true
    notify_master_rx_lower_pri /bin/true
    notify_priority_changes false
    smtp_alert false
}

vrrp_instance VI_2 {
    interface eth0
    virtual_router_id 52
    unicast_src_ip 192.0.2.1
    unicast_ttl 255
    unicast_peer {
        192.0.2.2
    }
    virtual_ipaddress {
        192.0.2.102/24
    }
}
'''


@pytest.fixture(scope='module')
def host():
    """A namespace with eth0 (192.0.2.1), for -t."""
    t = kalib.Topology(('a',))
    yield t.host()
    t.destroy()


def config_test(binary, host, conf):
    return kalib.run_binary(binary, ['-t', '-f', conf.name], ns=host, cwd=conf.parent)


def line_of(text, word):
    """1-based line and column of the first line whose first word is word."""
    for n, line in enumerate(text.splitlines(), 1):
        if line.split()[:1] == [word]:
            return n, len(line) - len(line.lstrip()) + 1
    raise AssertionError(f'{word} not in the config')


NOT_ACTED = [
    # router_id and the email settings are acted on (the checker's SMTP alerts)
    ('enable_snmp_vrrp', 'global_defs {\n    enable_snmp_vrrp\n}\n'),
    ('process_names', 'global_defs {\n    process_names\n}\n'),
    ('track_bfd', INSTANCE.replace('    priority 100\n',
                                   '    priority 100\n    track_bfd {\n        b1\n    }\n')),
]


@pytest.mark.ours_only  # keepalived 2.2.7 acts on these, or says nothing
@pytest.mark.parametrize('kw,text', NOT_ACTED, ids=[k for k, _ in NOT_ACTED])
def test_not_acted_on_warns_at_its_line(binary, host, tmp_path, kw, text):
    conf = tmp_path / 'ka.conf'
    conf.write_text(text if 'vrrp_instance' in text else text + INSTANCE)
    line, col = line_of(conf.read_text(), kw)
    r = config_test(binary, host, conf)
    want = f"ka.conf:{line}:{col}: warning: '{kw}' {NOT_YET}"
    assert want in r.stderr.splitlines(), f'{want!r} not in stderr:\n{r.stderr}'
    assert r.returncode == 0, r.stderr


@pytest.mark.ours_only  # keepalived 2.2.7 says nothing
def test_not_acted_on_warns_at_start(start_daemon, tmp_path):
    conf = tmp_path / 'ka.conf'
    conf.write_text('global_defs {\n    process_names\n}\n' + INSTANCE)
    d = start_daemon(conf)
    d.wait_log(CHILD_STARTED)
    d.wait_log(re.escape(f"{conf}:2:5: warning: 'process_names' {NOT_YET}"))


def test_acted_on_keywords_do_not_warn(binary, host, tmp_path):
    conf = tmp_path / 'ka.conf'
    conf.write_text(ACTED_ONLY)
    r = config_test(binary, host, conf)
    assert (r.returncode, r.stderr) == (0, ''), f'exit {r.returncode}, stderr:\n{r.stderr}'


@pytest.mark.skipif(not os.access(DEBIAN, os.X_OK), reason=f'{DEBIAN} not installed')
def test_acted_on_config_is_keepalived_227(host, tmp_path):
    """The config above is a real keepalived 2.2.7 one."""
    conf = tmp_path / 'ka.conf'
    conf.write_text(ACTED_ONLY)
    r = config_test(DEBIAN, host, conf)
    assert (r.returncode, r.stderr) == (0, ''), f'exit {r.returncode}, stderr:\n{r.stderr}'


# ---- startup_script, shutdown_script, child_wait_time

def script(path, body):
    path.write_text('#!/bin/sh\n' + body)
    path.chmod(0o755)
    return path


def parent_script_conf(tmp_path, extra):
    conf = tmp_path / 'ka.conf'
    conf.write_text('global_defs {\n    script_user root\n    enable_script_security\n'
                    f'{extra}}}\n' + INSTANCE)
    return conf


# What the parent's children are while the script runs: the script itself only, or more.
REPORT = '''echo "children=$(cat /proc/$PPID/task/$PPID/children)" > {out}
echo "self=$$" >> {out}
sleep {sleep}
echo done >> {out}
'''


def report(out):
    text = out.read_text()
    kids = set(re.search(r'^children=(.*)$', text, re.M)[1].split())
    return kids, re.search(r'^self=(\d+)$', text, re.M)[1], text


def test_startup_script_runs_before_the_children(start_daemon, tmp_path):
    out = tmp_path / 'startup.out'
    sh = script(tmp_path / 'startup.sh', REPORT.format(out=out, sleep=1))
    d = start_daemon(parent_script_conf(tmp_path, f'    startup_script {sh}\n'))
    d.wait_log(CHILD_STARTED, timeout=10)
    # the child starts only once the script has ended
    kids, me, text = report(out)
    assert 'done' in text, f'the VRRP child started while the startup script ran:\n{text}'
    assert kids == {me}, f'the parent had other children while the script ran: {kids}'


def test_startup_script_timeout(start_daemon, tmp_path):
    out = tmp_path / 'startup.out'
    sh = script(tmp_path / 'startup.sh', f'echo $$ > {out}\nexec sleep 30\n')
    d = start_daemon(parent_script_conf(tmp_path, f'    startup_script {sh}\n'
                                        '    startup_script_timeout 1\n'))
    d.wait_log(r'startup script timed out', timeout=5)
    d.wait_log(CHILD_STARTED, timeout=5)
    pid = int(out.read_text())
    wait_for(lambda: not alive(pid), 5, 'the timed-out script to be gone')


def test_startup_script_failure_is_logged(start_daemon, tmp_path):
    sh = script(tmp_path / 'startup.sh', 'exit 3\n')
    d = start_daemon(parent_script_conf(tmp_path, f'    startup_script {sh}\n'))
    d.wait_log(r'startup script script failed, status 3')
    d.wait_log(CHILD_STARTED)


def test_shutdown_script_runs_after_the_children(start_daemon, tmp_path):
    out = tmp_path / 'shutdown.out'
    sh = script(tmp_path / 'shutdown.sh', REPORT.format(out=out, sleep=0.5))
    d = start_daemon(parent_script_conf(tmp_path, f'    shutdown_script {sh}\n'))
    child = int(d.wait_log(CHILD_STARTED)[1])
    d.wait_log(r'\(VI_1\) Entering BACKUP STATE')
    assert not out.exists(), 'the shutdown script ran at start'
    d.signal(signal.SIGTERM)
    assert d.wait_exit(5) == 0
    kids, me, text = report(out)
    # the parent waited for the script, which ran when the VRRP child was gone
    assert 'done' in text, f'the daemon exited before the shutdown script ended:\n{text}'
    assert kids == {me} and str(child) not in kids, f'children while it ran: {kids}'
    lines = [l for l in d.text().splitlines() if l.strip()]
    assert 'Stopped Keepalived v' in lines[-1], f'last log line: {lines[-1]!r}'


def test_child_wait_time_kills_a_stuck_child(start_daemon, tmp_path):
    conf = tmp_path / 'ka.conf'
    conf.write_text('child_wait_time 1\n' + INSTANCE)
    d = start_daemon(conf)
    child = int(d.wait_log(CHILD_STARTED)[1])
    d.wait_log(r'\(VI_1\) Entering BACKUP STATE')
    os.kill(child, signal.SIGSTOP)      # it cannot stop on SIGTERM now
    d.signal(signal.SIGTERM)
    # without child_wait_time the parent would wait for its heartbeat check (10 s)
    assert d.wait_exit(4) == 0
    d.wait_log(r'vrrp process failed to die - forcing termination', timeout=0)
    wait_for(lambda: not alive(child), 2, 'the stuck child to be killed')


# ---- -t on startup/shutdown scripts, as keepalived 2.2.7 reports them

T_CASES = [
    # without script security: they run, and -t says so with exit 6
    ('no-security', 'startup_script /bin/true\n', 6,
     'SECURITY VIOLATION - start/shutdown scripts are being executed but script_security '
     'not enabled.'),
    # with it, no script_user and no keepalived_script user: the script cannot run
    ('no-default-user', 'enable_script_security\nshutdown_script /bin/true\n', 5,
     'Invalid shutdown script'),
    ('fine', 'enable_script_security\nscript_user root\nstartup_script /bin/true\n', 0, None),
]


@pytest.mark.parametrize('binary_name', ['ours', 'debian'])
@pytest.mark.parametrize('case,body,code,line', T_CASES, ids=[c[0] for c in T_CASES])
def test_config_test_parent_scripts(binary, host, tmp_path, binary_name, case, body, code, line):
    if binary_name == 'debian' and not os.access(DEBIAN, os.X_OK):
        pytest.skip(f'{DEBIAN} not installed')
    try:
        import pwd
        pwd.getpwnam('keepalived_script')
        pytest.skip('a keepalived_script user exists here')
    except KeyError:
        pass
    conf = tmp_path / 'ka.conf'
    conf.write_text('global_defs {\n' + body + '}\n')
    b = DEBIAN if binary_name == 'debian' else binary
    r = kalib.run_binary(b, ['-t', '-l', '-f', conf.name], ns=host, cwd=tmp_path)
    assert r.returncode == code, f'exit {r.returncode}, stderr:\n{r.stderr}{r.stdout}'
    if line:
        assert line in r.stderr + r.stdout, f'{line!r} not in:\n{r.stderr}{r.stdout}'
