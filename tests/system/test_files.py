# SPDX-License-Identifier: GPL-2.0-or-later
"""Files the daemon writes as root: dumps, log files, pid files (issue 12, item 1.3).

Another user (nobody) who can write to the directory of one of these files plants a
symlink or a file of their own at its path before the daemon writes it. The daemon must
neither follow the symlink (its target stays untouched) nor write through the planted
file (it is replaced by a new file of root's): the dumps hold auth_pass.

The directory is world-writable and sticky, as /tmp is, and owned by nobody: the
kernel's fs.protected_symlinks / fs.protected_regular only guard sticky directories
whose owner is not the planter, so with nobody owning it they cannot hide what the
daemon itself does. Every test writes under its own tmp_path (state_dump_file,
stats_dump_file, -g, -p/-r/-c, $TMPDIR), never the shared /tmp.
"""
import os
import re
import signal
import stat
from pathlib import Path

import pytest

import kalib
from kalib import wait_for

NOBODY = 65534
CHILD_STARTED = r'Starting VRRP child process, pid=(\d+)'
CHECK_STARTED = r'Starting Healthcheck child process, pid=(\d+)'
VI_READY = r'\(VI_1\) Entering BACKUP STATE|VRRP configuration loaded: 1 instance'
REPLACED_LOG = r"Log file .* was a symlink or another user's file: replaced"


def public_dir(tmp_path):
    """tmp_path/pub: mode 1777, owned by nobody (see the module's docstring)."""
    pub = tmp_path / 'pub'
    pub.mkdir()
    os.chown(pub, NOBODY, NOBODY)
    pub.chmod(0o1777)
    return pub


class Planted:
    """What nobody put at a path: a symlink to a root file, or a file of their own."""

    def __init__(self, path, kind, tmp_path):
        self.path, self.kind = Path(path), kind
        if kind == 'symlink':
            targets = tmp_path / 'targets'
            targets.mkdir(exist_ok=True)
            self.target = targets / self.path.name
            self.text = f'precious: {self.path.name}\n'
            self.target.write_text(self.text)
            self.target_ino = self.target.stat().st_ino
            os.symlink(self.target, self.path)
            os.lchown(self.path, NOBODY, NOBODY)
        else:
            self.text = f"nobody's {self.path.name}\n"
            self.path.write_text(self.text)
            os.chown(self.path, NOBODY, NOBODY)
            self.path.chmod(0o666)
            # held open: the planted inode can be read after it is replaced at the path
            self.fd = os.open(self.path, os.O_RDONLY)
            self.ino = os.fstat(self.fd).st_ino

    def untouched(self):
        """'' if what nobody planted is as it was, else what changed."""
        if self.kind == 'symlink':
            if self.target.read_text() != self.text or self.target.stat().st_ino != self.target_ino:
                return f'the symlink target {self.target} was written'
            return ''
        size = os.fstat(self.fd).st_size
        if os.pread(self.fd, size + 1, 0).decode(errors='replace') != self.text:
            return 'written through: the planted file changed'
        if os.lstat(self.path).st_ino == self.ino:
            return 'the planted file is still at the path'
        return ''

    def close(self):
        if self.kind == 'file':
            os.close(self.fd)


def root_file(path, text):
    """True once path is a regular file of root's that contains text."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return False
    return stat.S_ISREG(st.st_mode) and st.st_uid == 0 and text in Path(path).read_text()


def describe(path):
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return 'missing'
    kind = 'symlink' if stat.S_ISLNK(st.st_mode) else 'file' if stat.S_ISREG(st.st_mode) else '?'
    return f'{kind}, uid {st.st_uid}, mode {stat.S_IMODE(st.st_mode):o}'


def dump_conf(tmp_path, pub, extra=''):
    """vrrp-basic.conf with the dumps in pub (and extra global_defs lines)."""
    return kalib.make_conf(tmp_path / 'ka.conf', 'vrrp-basic.conf',
                           ('router_id kt_basic', f'router_id kt_basic\n'
                            f'    state_dump_file {pub}/ka.data\n'
                            f'    stats_dump_file {pub}/ka.stats\n    {extra}'))


def start_in(start_daemon, conf, pub, args=()):
    """The daemon with --all, its log file (-g) and pid files in pub; once all is up."""
    pids = (pub / 'ka.pid', pub / 'ka-vrrp.pid', pub / 'ka-check.pid')
    d = start_daemon(conf, args=['--all', f'-g{pub}/ka-file.log', '-p', str(pids[0]),
                                 '-r', str(pids[1]), '-c', str(pids[2]), *args])
    d.pidfile, d.vrrp_pidfile, d.check_pidfile = pids
    child = int(d.wait_log(CHILD_STARTED)[1])
    checker = int(d.wait_log(CHECK_STARTED)[1])
    d.wait_log(VI_READY)
    return d, child, checker


def dump_all(d, child, checker):
    """SIGUSR1 and SIGUSR2 to the parent, which relays them to its children."""
    mark = d.mark()
    d.signal(signal.SIGUSR1)
    d.wait_log(r'Printing parent data for process', since=mark)
    d.wait_log(rf'Printing VRRP data for process\({child}\)', since=mark)
    d.wait_log(rf'Printing checker data for process\({checker}\)', since=mark)  # 2.2.7's word
    d.signal(signal.SIGUSR2)


def expected(pub, d, child, checker):
    """Every file the daemon writes in pub, with a piece of text it must hold."""
    return {
        pub / 'ka.data': 'VRRP Instance = VI_1',
        pub / 'ka_parent.data': 'Parent process',
        pub / 'ka_check.data': 'Router ID = kt_basic',
        pub / 'ka.stats': 'VRRP Instance: VI_1',
        pub / 'ka_check.stats': 'Healthcheck child process',
        pub / 'ka-file.log': 'Starting Keepalived',
        pub / 'ka.pid': f'{d.pid}\n',
        pub / 'ka-vrrp.pid': f'{child}\n',
        pub / 'ka-check.pid': f'{checker}\n',
    }


FILES = ('ka.data', 'ka_parent.data', 'ka_check.data', 'ka.stats', 'ka_check.stats',
         'ka-file.log', 'ka.pid', 'ka-vrrp.pid', 'ka-check.pid')


@pytest.mark.ours_only  # state/stats_dump_file are keepalived 2.3's; 2.2.7 has no -g in
# Debian's build and writes through another user's pid file
@pytest.mark.parametrize('kind', ['symlink', 'file'])
def test_planted_paths(start_daemon, tmp_path, kind):
    """At every dump, log and pid path: nobody's symlink is not followed, nobody's file
    is replaced by root's (a new inode), not written through."""
    pub = public_dir(tmp_path)
    planted = [Planted(pub / name, kind, tmp_path) for name in FILES]
    try:
        d, child, checker = start_in(start_daemon, dump_conf(tmp_path, pub), pub)
        dump_all(d, child, checker)
        want = expected(pub, d, child, checker)
        try:
            wait_for(lambda: all(root_file(p, t) for p, t in want.items()), 5,
                     'every file written')
        except AssertionError:
            pass    # reported per file below
        bad = [f'{p.name}: {describe(p)}' for p, t in want.items() if not root_file(p, t)]
        bad += [f'{p.path.name}: {p.untouched()}' for p in planted if p.untouched()]
        assert not bad, 'not written safely:\n' + '\n'.join(bad)
        d.wait_log(REPLACED_LOG, timeout=0)
    finally:
        for p in planted:
            p.close()


# (global_defs line, extra command-line args, mode of the dumps and the log file)
UMASKS = {
    'default': ('', (), 0o600),         # keepalived's default umask, 0177
    '0077': ('umask 0077', (), 0o600),
    '0027': ('umask 0027', (), 0o640),
    'bits': ('umask IWGRP|IWOTH', (), 0o644),
    '-u wins': ('umask 0077', ('-u', '0'), 0o666),
}


@pytest.mark.ours_only  # the dump paths are set with keepalived 2.3's state/stats_dump_file
@pytest.mark.parametrize('case', list(UMASKS))
def test_umask_modes(start_daemon, tmp_path, case):
    """The dumps and the log file get 0666 & ~umask (global_defs umask, -u over it); the
    pid files rw-r--r-- whatever the umask, as keepalived writes them."""
    line, args, mode = UMASKS[case]
    pub = public_dir(tmp_path)
    d, child, checker = start_in(start_daemon, dump_conf(tmp_path, pub, line), pub, args)
    dump_all(d, child, checker)
    want = expected(pub, d, child, checker)
    wait_for(lambda: all(root_file(p, t) for p, t in want.items()), 5, 'every file written')
    got = {p.name: stat.S_IMODE(os.lstat(p).st_mode) for p in want}
    assert got == {p.name: 0o644 if p.suffix == '.pid' else mode for p in want}, \
        {k: oct(v) for k, v in got.items()}


@pytest.mark.parametrize('kind', ['symlink', 'file'])
def test_default_dump_paths(start_daemon, tmp_path, monkeypatch, kind):
    """Without *_dump_file the dumps go to keepalived's temporary directory, $TMPDIR
    (/tmp when unset, as keepalived 2.2.7 reads it), as keepalived.data,
    keepalived_parent.data and keepalived.stats: safely, and 0600 under the default umask.
    $TMPDIR points at a directory of this test's, so the shared /tmp is never touched."""
    pub = public_dir(tmp_path)
    names = ('keepalived.data', 'keepalived_parent.data', 'keepalived.stats')
    planted = [Planted(pub / n, kind, tmp_path) for n in names]
    monkeypatch.setenv('TMPDIR', str(pub))
    try:
        conf = kalib.make_conf(tmp_path / 'ka.conf', 'vrrp-basic.conf')
        d = start_daemon(conf)
        child = int(d.wait_log(CHILD_STARTED)[1])
        d.wait_log(VI_READY)
        mark = d.mark()
        d.signal(signal.SIGUSR1)
        d.wait_log(r'Printing parent data for process', since=mark)
        d.wait_log(rf'Printing VRRP data for process\({child}\)', since=mark)
        d.signal(signal.SIGUSR2)
        want = dict(zip((pub / n for n in names), ('VI_1', 'kt_basic', 'VRRP Instance: VI_1')))
        try:
            wait_for(lambda: all(root_file(p, t) for p, t in want.items()), 5,
                     'every dump written')
        except AssertionError:
            pass    # reported per file below
        bad = [f'{p.name}: {describe(p)}' for p, t in want.items() if not root_file(p, t)]
        bad += [f'{p.path.name}: {p.untouched()}' for p in planted if p.untouched()]
        assert not bad, 'not written safely:\n' + '\n'.join(bad)
        modes = {p.name: stat.S_IMODE(os.lstat(p).st_mode) for p in want}
        assert modes == {n: 0o600 for n in names}, {k: oct(v) for k, v in modes.items()}
    finally:
        for p in planted:
            p.close()


@pytest.mark.ours_only  # 2.2.7 refuses a symlinked -t log file (exit 1) and writes
# through another user's file
@pytest.mark.parametrize('kind', ['symlink', 'file'])
def test_config_test_log_file(binary, tmp_path, topo, kind):
    """-t/LOG_FILE: the diagnostics go to a root file that replaces nobody's symlink or file."""
    pub = public_dir(tmp_path)
    log = pub / 'check.log'
    planted = Planted(log, kind, tmp_path)
    conf = kalib.make_conf(tmp_path / 'ka.conf', 'vrrp-basic.conf',
                           ('priority 100', 'priorty 100'))
    try:
        r = kalib.run_binary(binary, [f'-t{log}', '-f', str(conf)], ns=topo.host())
        assert r.returncode != 0, r.stderr
        assert root_file(log, 'priorty'), f'{describe(log)}; stderr: {r.stderr}'
        assert not planted.untouched(), planted.untouched()
    finally:
        planted.close()


UMASK_IGNORED = r'umask command line option specified, ignoring config option'


@pytest.mark.parametrize('args', [('-u', '0'), ()], ids=['-u', 'none'])
def test_umask_option_over_config_is_logged(start_daemon, tmp_path, args):
    """-u and global_defs' umask: keepalived's line where the config is read, the parent at
    start, parent and VRRP child at a reload (2.2.7's count); without -u, none. (That -u's
    umask is the one in force: test_umask_modes.)"""
    conf = kalib.make_conf(tmp_path / 'ka.conf', 'vrrp-basic.conf',
                           ('router_id kt_basic', 'router_id kt_basic\n    umask 0077'))
    d = start_daemon(conf, args=args)
    d.wait_log(CHILD_STARTED)
    d.wait_log(VI_READY)
    mark = d.mark()
    d.signal(signal.SIGHUP)
    d.wait_log(r'Reload complete', since=mark)
    text = d.text()
    counts = (len(re.findall(UMASK_IGNORED, text[:mark])),
              len(re.findall(UMASK_IGNORED, text[mark:])))
    assert counts == ((1, 2) if args else (0, 0)), f'{counts} lines (start, reload)'


@pytest.mark.ours_only  # Debian's 2.2.7 is built without -g ("requires configure option
# --enable-log-file"); its source names the file the same way
@pytest.mark.parametrize('arg,name', [('-g', 'keepalived.log'), ('-gka-rel.log', 'ka-rel.log'),
                                      ('--log-file=', 'keepalived.log')])
def test_log_file_in_tmpdir(start_daemon, tmp_path, monkeypatch, arg, name):
    """-g without a file, or with a relative name, logs to keepalived's temporary directory:
    $TMPDIR when it is an absolute path (here the test's own), else /tmp."""
    pub = public_dir(tmp_path)
    monkeypatch.setenv('TMPDIR', str(pub))
    d = start_daemon(kalib.make_conf(tmp_path / 'ka.conf', 'vrrp-basic.conf'), args=[arg])
    d.wait_log(CHILD_STARTED)
    d.wait_log(VI_READY)
    wait_for(lambda: root_file(pub / name, 'Starting Keepalived'), 5, f'{name} in $TMPDIR')
    wait_for(lambda: 'Entering BACKUP STATE' in (pub / name).read_text(), 5,
             'the VRRP child logging there too')
    assert sorted(p.name for p in pub.iterdir()) == [name]
