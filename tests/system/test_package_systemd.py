# SPDX-License-Identifier: GPL-2.0-or-later
"""The Debian package under a real systemd: the service as a user drives it.

tests/pkg/nspawn.sh makes a throwaway overlay copy of this machine, installs the package
in it with apt (a first install: the unit is enabled by our package or not at all), writes
the user's keepalived.conf and notify script, and boots it with systemd-nspawn: systemd is PID 1 of
the container, whose network namespace is host a of a Topology (its eth0 on a bridge with
host b, which watches the adverts). The tests drive the container from outside as its
administrator would, with systemctl and journalctl run in its namespaces (nsenter), and
look at what a user sees: the unit's state, the addresses on eth0, the journal, the notify
script's output, the adverts on the wire. They run in file order on one container (boot
included, about a minute); each starts from the service running the first configuration.

The package is $KA_DEB or built here (test_package.py's fixture). Debian's keepalived unit
has no Restart=, nor has ours (the same behaviour after a crash: the unit fails and
`systemctl start` brings it back); test_main_pid_killed follows what the unit says.
"""
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

import kalib
from test_package import deb, debian_deb  # noqa: F401  (fixtures)

NSPAWN = kalib.REPO / 'tests' / 'pkg' / 'nspawn.sh'
VIP1, VIP2 = '192.0.2.250', '192.0.2.251'
ENV = {'PATH': '/usr/sbin:/usr/bin:/sbin:/bin', 'LANG': 'C.UTF-8', 'SYSTEMD_PAGER': '',
       'SYSTEMD_COLORS': '0', 'DEBIAN_FRONTEND': 'noninteractive'}

CONF = '''! the user's configuration
global_defs {
    enable_script_security
    script_user root
}
vrrp_instance VI_1 {
    state MASTER
    interface eth0
    virtual_router_id 51
    priority 150
    advert_int 1
    virtual_ipaddress {
        %s
    }
    notify /etc/keepalived/notify.sh
}
'''
CONF1 = CONF % f'{VIP1}/32'
CONF2 = CONF % f'{VIP1}/32\n        {VIP2}/32'
NOTIFY = '#!/bin/sh\necho "$*" >>/run/ka-notify.log\n'
# What systemd says when a service's start, notification or PID file goes wrong.
# A command's bound: what it takes here is milliseconds to 1-2 s; on a loaded machine the
# kernel's close of the VRRP child's packet socket (synchronize_rcu) once took 7 s. The
# bound catches systemd waiting out a timeout (90 s) or a hang, not the machine's load.
SYSTEMCTL_BOUND_S = 15
SYSTEMD_TROUBLE = re.compile(r'systemd\[1\]: .*([Tt]imed out|timeout|PID file \S+ not readable|'
                             r'Supervising process|Got notification message|[Rr]efusing|'
                             r'left-over process|remains running|[Ff]ailed to)')


def cmdline(pid):
    try:
        return Path(f'/proc/{pid}/cmdline').read_bytes().split(b'\0')
    except OSError:
        return []


def nspid(pid):
    """pid's PID in the innermost PID namespace it is in, and how deep that is."""
    try:
        text = Path(f'/proc/{pid}/status').read_text()
    except OSError:
        return None, 0
    ids = re.search(r'^NSpid:\s+(.*)$', text, re.M)[1].split()
    return int(ids[-1]), len(ids)


OWN_DEPTH = nspid('self')[1]


class Container:
    """tests/pkg/nspawn.sh running: a booted copy of this machine, driven from outside."""

    def __init__(self, deb_path, ns, files, name, log):
        self.log = Path(log)
        with open(self.log, 'wb') as out:
            self.proc = subprocess.Popen(['bash', str(NSPAWN), str(deb_path), ns, str(files), name],
                                         stdin=subprocess.DEVNULL, stdout=out,
                                         stderr=subprocess.STDOUT, start_new_session=True)
        self._token = kalib.CLEANUP.add(self.destroy)
        self.pid1 = None

    def tail(self, n=60):
        return '\n'.join(self.log.read_text(errors='replace').splitlines()[-n:])

    def nspawn_pid(self):
        return next((c for c in kalib.children(self.proc.pid)
                     if cmdline(c)[:1] == [b'systemd-nspawn']), None)

    def wait_init(self, timeout):
        """The host PID of the container's PID 1 (systemd), once it runs."""
        def find():
            if self.proc.poll() is not None:
                raise AssertionError(f'nspawn.sh exited ({self.proc.returncode}):\n{self.tail()}')
            n = self.nspawn_pid()
            for c in kalib.children(n) if n else ():
                if nspid(c) == (1, OWN_DEPTH + 1):
                    return c
            return None
        self.pid1 = kalib.wait_for(find, timeout, f'systemd as PID 1 of the container:\n{self.tail()}',
                                   interval=0.1)
        return self.pid1

    def run(self, *cmd, input=None, check=True, timeout=60):
        r = subprocess.run(['nsenter', '-t', str(self.pid1), '-a', '--', *cmd], input=input,
                           capture_output=True, text=True, timeout=timeout, env=ENV)
        if check and r.returncode:
            raise AssertionError(f'{" ".join(cmd)} in the container: exit {r.returncode}\n'
                                 f'{r.stdout}{r.stderr}')
        return r

    def systemctl(self, *args, check=True, timeout=60):
        return self.run('systemctl', '--no-pager', *args, check=check, timeout=timeout)

    def state(self):
        return self.systemctl('is-active', 'keepalived', check=False).stdout.strip()

    def show(self, prop):
        return self.systemctl('show', '-P', prop, 'keepalived').stdout.strip()

    def journal(self):
        """journalctl -u keepalived: the daemon's lines and systemd's about the unit."""
        return self.run('journalctl', '-u', 'keepalived', '-o', 'short-monotonic',
                        '--no-hostname').stdout.splitlines()

    def mark(self):
        return len(self.journal())

    def wait_journal(self, regex, since=0, timeout=10):
        def look():
            return next((ln for ln in self.journal()[since:] if re.search(regex, ln)), None)
        return kalib.wait_for(look, timeout, f'{regex!r} in journalctl -u keepalived:\n'
                              + '\n'.join(self.journal()[since:][-30:]), interval=0.2)

    def read(self, path):
        return self.run('cat', path, check=False).stdout

    def write(self, path, text):
        self.run('sh', '-c', f'cat >"{path}"', input=text)

    def copy_in(self, src, dst):
        with open(src, 'rb') as f:
            subprocess.run(['nsenter', '-t', str(self.pid1), '-a', '--', 'sh', '-c', f'cat >"{dst}"'],
                           stdin=f, check=True, timeout=60, env=ENV)

    def host_pid(self, pid):
        """The host's PID of the container's process pid (None if it has none)."""
        return next((p for p in kalib.descendants(self.pid1) if nspid(p)[0] == pid), None)

    def keepalived_pids(self):
        """Host PIDs of the container's keepalived processes (parent and children)."""
        return {p for p in kalib.descendants(self.pid1)
                if cmdline(p)[:1] == [b'/usr/sbin/keepalived'] and kalib.alive(p)}

    def destroy(self):
        """Power the container off (SIGTERM to nspawn), SIGKILL after 20 s."""
        kalib.CLEANUP.discard(self._token)
        if self.proc.poll() is None:
            n = self.nspawn_pid()
            if n:
                kalib.kill(n, signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                for p in (self.pid1, self.nspawn_pid()):
                    if p:
                        kalib.kill(p)
                self.proc.wait(20)


@pytest.fixture(scope='module')
def box(deb, tmp_path_factory):  # noqa: F811
    for tool in ('systemd-nspawn', 'nsenter'):
        if not shutil.which(tool):
            pytest.fail(f'{tool} not found: .ci/deps installs systemd-container and util-linux')
    if 'overlay' not in Path('/proc/filesystems').read_text():
        pytest.skip('this kernel has no overlayfs: no throwaway copy of the machine to boot')
    if not Path('/lib/systemd/systemd').exists():
        pytest.fail('/lib/systemd/systemd not found: .ci/deps installs systemd')
    d = tmp_path_factory.mktemp('systemd')
    files = d / 'files'
    (files / 'etc/keepalived').mkdir(parents=True)
    (files / 'etc/keepalived/keepalived.conf').write_text(CONF1)
    (files / 'etc/keepalived/notify.sh').write_text(NOTIFY)
    (files / 'etc/keepalived/notify.sh').chmod(0o755)
    topo = kalib.Topology(('a', 'b'))
    t0 = time.monotonic()
    c = Container(deb, topo.host('a'), files, kalib._name('sd'), d / 'nspawn.log')
    c.topo, c.dir = topo, d
    try:
        c.wait_init(120)
        # systemctl answers once PID 1 has set up its socket; --wait: until the boot is over.
        # ("offline" while it cannot connect yet).
        c.boot_state = kalib.wait_for(lambda: (lambda s: s if s in ('running', 'degraded') else None)(
            c.systemctl('is-system-running', '--wait', check=False, timeout=120).stdout.strip()),
            60, 'the boot of the container to end', interval=0.2)
        c.boot_time = time.monotonic() - t0
        yield c
    finally:
        c.destroy()
        topo.destroy()


class JournalReport:
    """For conftest's failure report (it attaches each ka_daemons' text()): the
    container's journal of this boot and nspawn's output."""

    def __init__(self, c):
        self.c, self.log = c, 'the container: journalctl -b, then nspawn.sh\'s output'

    def text(self):
        try:
            j = self.c.run('journalctl', '-b', '--no-pager', '-n', '150', check=False).stdout
        except Exception as e:  # the report must not hide the failure
            j = f'(no journal: {e!r})'
        return j + '\n--- nspawn.sh:\n' + self.c.tail(40)


@pytest.fixture(autouse=True)
def report_journal(request):
    if 'box' in request.fixturenames:
        request.node.ka_daemons = [JournalReport(request.getfixturevalue('box'))]


def ensure_running(c, conf=CONF1):
    """The service running (the first configuration unless told), VIP1 held."""
    if c.read('/etc/keepalived/keepalived.conf') != conf:
        c.write('/etc/keepalived/keepalived.conf', conf)
        if c.state() == 'active':
            c.systemctl('reload', 'keepalived')
    if c.state() != 'active':
        c.systemctl('reset-failed', 'keepalived', check=False)
        c.systemctl('start', 'keepalived')
    kalib.wait_for(lambda: c.topo.has_addr('a', VIP1), 10, f'{VIP1} on eth0 of the container')


def assert_pidfile(c):
    """The main PID; the unit's PIDFile=, if it has one, names it too (the daemon's -p)."""
    main = int(c.show('MainPID'))
    assert main > 0
    pidfile = c.show('PIDFile')
    if pidfile:
        assert c.read(pidfile).strip() == str(main), f'PIDFile={pidfile} and MainPID={main} differ'
    return main


def test_started_at_boot(box):
    """The package enabled the unit: the boot starts keepalived, which takes the VIP,
    logs its MASTER line to the journal and runs the notify script."""
    c = box
    failed = c.systemctl('list-units', '--failed', '--plain', '--no-legend', check=False).stdout
    assert c.systemctl('is-enabled', 'keepalived', check=False).stdout.strip() == 'enabled'
    kalib.wait_for(lambda: c.state() == 'active', 10,
                   f'keepalived.service active after boot (boot: {c.boot_state}; failed: {failed})')
    assert c.show('Type') == 'notify' and c.show('Result') == 'success'
    main = assert_pidfile(c)
    assert c.run('readlink', f'/proc/{main}/exe').stdout.strip() == '/usr/sbin/keepalived'
    c.wait_journal(r'systemd\[1\]: Started keepalived\.service')
    c.wait_journal(r' Keepalived\[%d\]: Starting Keepalived v2\.2\.7 \(keepalived-ng ' % main)
    kalib.wait_for(lambda: c.topo.has_addr('a', VIP1), 10, f'{VIP1} on eth0 of the container')
    c.wait_journal(r' Keepalived_vrrp\[\d+\]: \(VI_1\) Entering MASTER STATE')
    kalib.wait_for(lambda: 'INSTANCE VI_1 MASTER 150' in c.read('/run/ka-notify.log').splitlines(),
                   5, 'the notify script run for MASTER')
    trouble = [ln for ln in c.journal() if SYSTEMD_TROUBLE.search(ln)]
    assert not trouble, trouble


def test_reload(box):
    """systemctl reload: a second VIP in the changed configuration appears, the same
    main process runs on, and the journal has the reload."""
    c = box
    ensure_running(c)
    main = int(c.show('MainPID'))
    c.write('/etc/keepalived/keepalived.conf', CONF2)
    m = c.mark()
    t0 = time.monotonic()
    c.systemctl('reload', 'keepalived')
    took = time.monotonic() - t0
    kalib.wait_for(lambda: c.topo.has_addr('a', VIP2), 5, f'{VIP2} on eth0 after the reload')
    assert c.topo.has_addr('a', VIP1)
    assert took < SYSTEMCTL_BOUND_S, f'systemctl reload took {took:.1f} s'
    c.wait_journal(r'systemd\[1\]: Reloading keepalived\.service', since=m)
    c.wait_journal(r' Keepalived\[%d\]: Reloading' % main, since=m)
    c.wait_journal(r'systemd\[1\]: Reloaded keepalived\.service', since=m)
    c.wait_journal(r' Keepalived_vrrp\[\d+\]: Reloading$', since=m)
    c.wait_journal(r' Keepalived\[%d\]: Reload complete' % main, since=m)
    assert c.state() == 'active' and int(c.show('MainPID')) == main
    assert_pidfile(c)
    trouble = [ln for ln in c.journal()[m:] if SYSTEMD_TROUBLE.search(ln)]
    assert not trouble, trouble


def test_stop_and_start(box, tmp_path):
    """systemctl stop: the master sends its priority 0 advert, the VIPs go, the unit is
    inactive and no keepalived process is left, within seconds; start: all back."""
    c = box
    ensure_running(c, CONF2)
    main = c.host_pid(int(c.show('MainPID')))
    assert main and len(c.keepalived_pids()) >= 2, 'no parent and VRRP child running'
    m = c.mark()
    with kalib.Capture(c.topo.host('b'), 'eth0', tmp_path / 'b.pcap', 'ip proto 112') as cap:
        kalib.wait_for(lambda: kalib.vrrp_adverts(cap.packets()), 3, 'an advert of the master')
        t0 = time.monotonic()
        c.systemctl('stop', 'keepalived', timeout=30)
        took = time.monotonic() - t0
        kalib.wait_for(lambda: any(a['priority'] == 0 for a in kalib.vrrp_adverts(cap.packets())),
                       2, 'the priority 0 advert')
    assert took < SYSTEMCTL_BOUND_S, f'systemctl stop took {took:.1f} s'
    assert c.state() == 'inactive' and c.show('MainPID') == '0' and c.show('Result') == 'success'
    assert not kalib.alive(main)
    assert not c.keepalived_pids(), 'keepalived processes left after the stop'
    assert not c.topo.has_addr('a', VIP1) and not c.topo.has_addr('a', VIP2)
    assert c.read('/run/keepalived.pid') == '', 'the pid file outlived the daemon'
    c.wait_journal(r' Keepalived\[\d+\]: Stopped Keepalived v2\.2\.7', since=m)
    c.wait_journal(r'systemd\[1\]: Stopped keepalived\.service', since=m)
    assert 'INSTANCE VI_1 STOP 150' in c.read('/run/ka-notify.log').splitlines()[-1:]

    m = c.mark()
    t0 = time.monotonic()
    c.systemctl('start', 'keepalived', timeout=30)
    took = time.monotonic() - t0
    assert took < SYSTEMCTL_BOUND_S, f'systemctl start took {took:.1f} s'
    assert c.state() == 'active'
    assert c.host_pid(assert_pidfile(c)) != main
    kalib.wait_for(lambda: c.topo.has_addr('a', VIP1) and c.topo.has_addr('a', VIP2), 10,
                   'both VIPs back after the start')
    c.wait_journal(r' Keepalived_vrrp\[\d+\]: \(VI_1\) Entering MASTER STATE', since=m)
    trouble = [ln for ln in c.journal()[m:] if SYSTEMD_TROUBLE.search(ln)]
    assert not trouble, trouble


def test_main_pid_killed(box):
    """SIGKILL of the main process: its children stop (the VIPs go with them) and systemd
    does what the unit's Restart= says. With none (ours as Debian's) the unit is failed
    and `systemctl start` brings it back."""
    c = box
    ensure_running(c)
    restart = c.show('Restart')
    main = c.host_pid(int(c.show('MainPID')))
    before = c.keepalived_pids()
    m = c.mark()
    kalib.kill(main)
    kalib.wait_for(lambda: not any(kalib.alive(p) for p in before), 5,
                   'the killed parent\'s children to stop')
    c.wait_journal(r'systemd\[1\]: keepalived\.service: Main process exited, code=killed, '
                   r'status=9/KILL', since=m)
    if restart == 'no':
        kalib.wait_for(lambda: c.state() == 'failed', 5, 'the unit failed')
        assert c.show('Result') == 'signal'
        kalib.wait_for(lambda: not c.topo.has_addr('a', VIP1), 5, f'{VIP1} released')
        m = c.mark()
        c.systemctl('start', 'keepalived', timeout=30)
    else:
        c.wait_journal(r'systemd\[1\]: keepalived\.service: Scheduled restart job', since=m,
                       timeout=15)
        kalib.wait_for(lambda: c.state() == 'active', 15, 'the unit restarted')
        assert int(c.show('NRestarts')) >= 1
    assert c.state() == 'active'
    assert c.host_pid(assert_pidfile(c)) not in before
    kalib.wait_for(lambda: c.topo.has_addr('a', VIP1), 10, f'{VIP1} back')
    trouble = [ln for ln in c.journal()[m:] if SYSTEMD_TROUBLE.search(ln)]
    assert not trouble, trouble


def test_daemon_args_log_detail(box):
    """DAEMON_ARGS in /etc/default/keepalived reaches the daemon: with --log-detail the
    journal gets the lines 2.2.7 writes only then (without it, test_swap_to_debian_and_back
    finds none of them)."""
    c = box
    ensure_running(c)
    default = c.read('/etc/default/keepalived')
    assert re.search(r'^DAEMON_ARGS=""$', default, re.M), default
    try:
        c.write('/etc/default/keepalived',
                default.replace('DAEMON_ARGS=""', 'DAEMON_ARGS="--log-detail"'))
        m = c.mark()
        c.systemctl('restart', 'keepalived', timeout=30)
        c.wait_journal(r" Keepalived\[\d+\]: Command line: '/usr/sbin/keepalived' '--dont-fork' "
                       r"'--log-detail'$", since=m)
        c.wait_journal(r" Keepalived\[\d+\]: Opening file '/etc/keepalived/keepalived\.conf'\.",
                       since=m)
        c.wait_journal(r' Keepalived_vrrp\[\d+\]: \(VI_1\) Receive advertisement timeout', since=m)
        c.wait_journal(r' Keepalived_vrrp\[\d+\]: \(VI_1\) setting VIPs\.', since=m)
        c.systemctl('stop', 'keepalived', timeout=30)
        c.wait_journal(r' Keepalived_vrrp\[\d+\]: \(VI_1\) sent 0 priority', since=m)
        c.wait_journal(r' Keepalived\[\d+\]: CPU usage \(self/children\)', since=m)
    finally:
        c.write('/etc/default/keepalived', default)


def test_empty_config_not_started(box):
    """ConditionFileNotEmpty=, as Debian's unit: with an empty keepalived.conf the start
    is skipped (no error, nothing runs); once the file has content it starts."""
    c = box
    ensure_running(c)
    c.systemctl('stop', 'keepalived', timeout=30)
    c.write('/etc/keepalived/keepalived.conf', '')
    m = c.mark()
    r = c.systemctl('start', 'keepalived', check=False)
    assert r.returncode == 0, r.stdout + r.stderr
    assert c.state() == 'inactive' and c.show('ConditionResult') == 'no'
    assert not c.keepalived_pids()
    c.wait_journal(r'systemd\[1\]: keepalived\.service .*was skipped because of an unmet '
                   r'condition check \(ConditionFileNotEmpty=/etc/keepalived/keepalived\.conf\)',
                   since=m)
    ensure_running(c)


LVS = '''virtual_server 192.0.2.250 80 {
    delay_loop 1
    lb_algo rr
    lb_kind NAT
    protocol TCP
    real_server 192.0.2.2 80 {
        TCP_CHECK {
            connect_timeout 1
        }
    }
}
'''


def test_checker_child(box):
    """With a virtual_server the unit's cgroup holds the parent and both children (this
    kernel has no ip_vs: the checker runs without IPVS); a reload reaches both, a stop
    ends all three within seconds."""
    c = box
    ensure_running(c)
    c.systemctl('stop', 'keepalived', timeout=30)
    c.write('/etc/keepalived/keepalived.conf', CONF1 + LVS)
    try:
        m = c.mark()
        c.systemctl('start', 'keepalived', timeout=30)
        main = int(c.show('MainPID'))
        line = c.wait_journal(r' Keepalived\[%d\]: Starting Healthcheck child process, pid=\d+' % main,
                              since=m)
        chk = int(line.rsplit('=', 1)[1])
        c.wait_journal(r' Keepalived_healthcheckers\[%d\]: Activating healthchecker for service '
                       r'\[192\.0\.2\.2\]:tcp:80' % chk, since=m)
        cgroup = c.run('cat', f'/sys/fs/cgroup/unified{c.show("ControlGroup")}/cgroup.procs',
                       check=False).stdout.split() or \
            c.run('cat', f'/sys/fs/cgroup{c.show("ControlGroup")}/cgroup.procs').stdout.split()
        assert len(c.keepalived_pids()) == 3 and {str(main), str(chk)} <= set(cgroup), cgroup
        kalib.wait_for(lambda: c.topo.has_addr('a', VIP1), 10, f'{VIP1} on eth0')
        m = c.mark()
        c.systemctl('reload', 'keepalived')
        c.wait_journal(r' Keepalived_healthcheckers\[%d\]: Reloading$' % chk, since=m)
        c.wait_journal(r' Keepalived_vrrp\[\d+\]: Reloading$', since=m)
        c.wait_journal(r' Keepalived\[%d\]: Reload complete' % main, since=m)
        t0 = time.monotonic()
        c.systemctl('stop', 'keepalived', timeout=30)
        took = time.monotonic() - t0
        assert took < SYSTEMCTL_BOUND_S, f'systemctl stop took {took:.1f} s'
        assert c.state() == 'inactive' and not c.keepalived_pids()
        c.wait_journal(r' Keepalived_healthcheckers\[%d\]: Stopped' % chk, since=m)
        trouble = [ln for ln in c.journal()[m:] if SYSTEMD_TROUBLE.search(ln)]
        assert not trouble, trouble
    finally:
        c.write('/etc/keepalived/keepalived.conf', CONF1)


# The journal of one start, reload and stop, line by line, as the same cycle under Debian's
# keepalived gives it: the lines one side has and the other has not, whatever the pids,
# times and versions (patterns of shape()'s lines). Ours adds its control socket, the VRRP
# child's reload summary and, on a loaded machine, its warning of a slow callback; 2.2.7
# advises max_auto_priority, and its VRRP child sends systemd a notification that systemd
# refuses.
OURS_ONLY = [
    r'Keepalived: Control socket /run/keepalived/keepalived\.ctl: listening',
    r'Keepalived_vrrp: VRRP reload: N instance\(s\) kept as they were, N changed in place, '
    r'N restarted, N added, N removed',
    r'Keepalived(_vrrp)?: Scheduler: \w+ took N\.N ms',
]
DEBIAN_ONLY = [
    r'Keepalived: NOTICE: setting config option max_auto_priority should result in better '
    r'keepalived performance',
    r'systemd: keepalived\.service: Got notification message from PID N, but reception only '
    r'permitted for main PID N',
]


def unlisted(lines, known):
    return sorted(ln for ln in lines if not any(re.fullmatch(k, ln) for k in known))


def shape(line):
    """A journal line without its time, pids, numbers and version: 'IDENT: message'."""
    m = re.match(r'\[\s*[\d.]+\] ([^\s\[:]+)(?:\[\d+\])?: (.*)$', line)
    if not m:
        return line
    msg = re.sub(r'Keepalived v2\.2\.7 \([^)]*\)', 'Keepalived v2.2.7 (VERSION)', m[2])
    msg = re.sub(r' \(built for [^)]*\)$', '', msg)
    return f'{m[1]}: {re.sub(r"[0-9]+", "N", msg)}'


def cycle(c):
    """start, MASTER, reload to the second configuration, stop: the journal's lines."""
    c.systemctl('stop', 'keepalived')
    c.write('/etc/keepalived/keepalived.conf', CONF1)
    m = c.mark()
    c.systemctl('start', 'keepalived')
    c.wait_journal(r' Keepalived_vrrp\[\d+\]: \(VI_1\) Entering MASTER STATE', since=m)
    kalib.wait_for(lambda: c.topo.has_addr('a', VIP1), 5, f'{VIP1} on eth0')
    c.write('/etc/keepalived/keepalived.conf', CONF2)
    c.systemctl('reload', 'keepalived')
    kalib.wait_for(lambda: c.topo.has_addr('a', VIP2), 5, f'{VIP2} on eth0 after the reload')
    c.wait_journal(r' Keepalived(_vrrp)?\[\d+\]: Reload complete', since=m)
    c.systemctl('stop', 'keepalived', timeout=30)
    c.wait_journal(r'systemd\[1\]: Stopped keepalived\.service', since=m)
    return c.journal()[m:]


def test_swap_to_debian_and_back(box, deb, debian_deb):  # noqa: F811
    """apt-get install of Debian's keepalived in the running system: systemd restarts the
    service with Debian's binary (same unit name, configuration and VIP); installing ours
    again restarts it with ours. With each, one start, reload and stop: the journal has
    the same lines, but for the differences listed above (DAEMON_ARGS as Debian ships it:
    no -D, so none of the lines 2.2.7 writes with --log-detail only)."""
    c = box
    ensure_running(c)
    c.copy_in(debian_deb, '/var/tmp/debian.deb')
    c.copy_in(deb, '/var/tmp/ours.deb')
    journal = {}
    for who, deb_file, version in (('debian', '/var/tmp/debian.deb', r'v2\.2\.7 \(\d\d/\d\d,\d{4}\)'),
                                   ('ours', '/var/tmp/ours.deb', r'v2\.2\.7 \(keepalived-ng ')):
        m = c.mark()
        old = c.keepalived_pids()
        c.run('apt-get', 'install', '-y', '-q', '--no-install-recommends', deb_file, timeout=120)
        main = int(c.show('MainPID'))
        c.wait_journal(r' Keepalived\[%d\]: Starting Keepalived %s' % (main, version), since=m)
        assert c.state() == 'active' and not old & c.keepalived_pids()
        c.wait_journal(r' Keepalived_vrrp\[\d+\]: \(VI_1\) Entering MASTER STATE', since=m)
        kalib.wait_for(lambda: c.topo.has_addr('a', VIP1), 5, f'{VIP1} held by {deb_file}')
        journal[who] = cycle(c)
    ours, theirs = ({shape(ln) for ln in journal[k]} for k in ('ours', 'debian'))
    extra, missing = unlisted(ours - theirs, OURS_ONLY), unlisted(theirs - ours, DEBIAN_ONLY)
    assert not extra and not missing, (
        f'lines only ours writes: {extra}\nlines only 2.2.7 writes: {missing}\n'
        '--- ours:\n' + '\n'.join(journal['ours']) + '\n--- 2.2.7:\n' + '\n'.join(journal['debian']))
    ensure_running(c)
