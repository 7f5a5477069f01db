# SPDX-License-Identifier: GPL-2.0-or-later
"""The Debian package (debian/): what it holds, and what it does to a machine.

The package is built from a clean copy of the tree (tests/pkg/build.sh, about a minute on
two cores) unless KA_DEB names one already built (CI builds it once, before the system
tests). It is extracted into a throwaway root (dpkg-deb -x) and the installed daemon is
checked there; the swap over Debian's keepalived and back runs in an overlay copy of the
machine (tests/pkg/swap.sh): this machine's /usr/sbin/keepalived, which other tests use
as the 2.2.7 reference, is never touched.
"""
import glob
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

import kalib

PKG = kalib.REPO / 'tests' / 'pkg'
UNIT = '/lib/systemd/system/keepalived.service'
HELPERS = ('keepalived-vrrp', 'keepalived-checker', 'keepalived-genhash')
MAN_PAGES = {'usr/share/man/man8/keepalived.8.gz': 'KEEPALIVED(8)',
             'usr/share/man/man5/keepalived.conf.5.gz': 'KEEPALIVED.CONF(5)',
             'usr/share/man/man1/genhash.1.gz': 'GENHASH(1)'}


def run(*cmd, **kw):
    kw.setdefault('timeout', 120)
    return subprocess.run(cmd, capture_output=True, text=True, stdin=subprocess.DEVNULL, **kw)


_BUILT = {}     # the package built in this session: test_package_systemd.py uses it too


@pytest.fixture(scope='module')
def deb(tmp_path_factory):
    """Path of keepalived-ng_*.deb: $KA_DEB, else built here (once a session)."""
    if os.environ.get('KA_DEB'):
        return Path(os.environ['KA_DEB']).resolve()
    if 'deb' in _BUILT:
        return _BUILT['deb']
    for tool in ('dpkg-buildpackage', 'dh'):
        if not shutil.which(tool):
            pytest.fail(f'{tool} not found: .ci/deps installs dpkg-dev and debhelper')
    out = tmp_path_factory.mktemp('deb')
    r = run('bash', str(PKG / 'build.sh'), str(out), timeout=1200,
            env=dict(os.environ, DEB_BUILD_OPTIONS='nocheck'))
    assert r.returncode == 0, f'package build failed:\n{r.stdout}\n{r.stderr}'
    _BUILT['deb'] = Path(r.stdout.split()[-1])
    return _BUILT['deb']


@pytest.fixture(scope='module')
def root(deb, tmp_path_factory):
    """The package's files, extracted into a directory of their own."""
    d = tmp_path_factory.mktemp('root')
    subprocess.run(['dpkg-deb', '-x', str(deb), str(d)], check=True)
    return d


@pytest.fixture(scope='module')
def control(deb, tmp_path_factory):
    """The control fields, as a dict, and the control files' directory."""
    d = tmp_path_factory.mktemp('control')
    subprocess.run(['dpkg-deb', '-e', str(deb), str(d)], check=True)
    text = (d / 'control').read_text()
    fields = dict(re.findall(r'^(\S+): (.*)$', text, re.M))
    return fields, d


@pytest.fixture(scope='module')
def debian_deb(tmp_path_factory):
    """Debian's keepalived 2.2.7 package file: apt's cache (.ci/deps installed it), else
    apt-get download."""
    found = sorted(glob.glob('/var/cache/apt/archives/keepalived_*2.2.7*.deb'))
    if found:
        return Path(found[-1])
    d = tmp_path_factory.mktemp('debian-deb')
    r = run('apt-get', 'download', 'keepalived', cwd=d)
    found = sorted(d.glob('keepalived_*.deb'))
    if r.returncode or not found:
        pytest.skip(f'no Debian keepalived package to compare with: {r.stderr.strip()}')
    return found[-1]


def deb_files(path):
    """The paths a package installs (no directories), without the leading '.'."""
    out = subprocess.run(['dpkg-deb', '--fsys-tarfile', str(path)], check=True,
                         capture_output=True).stdout
    names = subprocess.run(['tar', '-t', '--exclude=*/'], input=out, check=True,
                           capture_output=True).stdout.decode().split()
    return {n[1:] for n in names if not n.endswith('/')}


def deb_file(path, name):
    out = subprocess.run(['dpkg-deb', '--fsys-tarfile', str(path)], check=True,
                         capture_output=True).stdout
    return subprocess.run(['tar', '-xO', f'.{name}'], input=out, check=True,
                          capture_output=True).stdout


def relation_names(value):
    """Package names of a Depends-like field: 'a (>= 1), b | c' -> {'a', 'b', 'c'}."""
    return {alt.split()[0] for dep in value.split(',') for alt in dep.split('|') if alt.strip()}


def test_fields(control, root):
    fields, _ = control
    assert fields['Package'] == 'keepalived-ng'
    # In place of Debian's keepalived, never beside it: apt removes one to install the other.
    assert fields['Provides'] == 'keepalived (= 1:2.2.7)'
    assert relation_names(fields['Conflicts']) == {'keepalived'}
    assert relation_names(fields['Replaces']) == {'keepalived'}
    deps = relation_names(fields['Depends'])
    # libssl3: keepalived-checker dlopens libssl.so.3 at its first TLS check, which
    # ${shlibs:Depends} cannot see; the rest come from the linked libraries.
    assert {'libssl3', 'libc6', 'libmnl0', 'libnftnl11', 'libnl-3-200', 'libnl-genl-3-200',
            'libpcre2-8-0', 'iproute2'} <= deps, fields['Depends']
    v = run(str(root / 'usr/sbin/keepalived'), '-v')
    assert v.returncode == 0
    assert (v.stdout + v.stderr).splitlines()[0] == \
        f'Keepalived v2.2.7 (keepalived-ng {fields["Version"]})'


def installed(root):
    return {'/' + str(p.relative_to(root)) for p in root.rglob('*') if not p.is_dir()}


def test_files(root):
    files = installed(root)
    want = {'/usr/sbin/keepalived', '/usr/bin/genhash', '/etc/default/keepalived',
            '/etc/keepalived/keepalived.conf.sample', UNIT,
            *('/' + m for m in MAN_PAGES), *(f'/usr/libexec/keepalived-ng/{h}' for h in HELPERS)}
    assert want <= files, sorted(want - files)
    for f in ('/usr/sbin/keepalived', '/usr/bin/genhash',
              *(f'/usr/libexec/keepalived-ng/{h}' for h in HELPERS)):
        assert os.access(root / f[1:], os.X_OK), f
    # The user's configuration is no file of the package: installing, swapping back and
    # purging never touch it.
    assert '/etc/keepalived/keepalived.conf' not in files


def test_files_cover_debians(root, debian_deb):
    files = installed(root)
    # Whatever a user runs, reads or points a unit at in Debian's package is here too,
    # at the same path (the unit in /lib, not /usr/lib: the two packages replace each
    # other, and a file moved between aliased directories is lost on merged-/usr).
    theirs = {f for f in deb_files(debian_deb)
              if re.match(r'/(usr/s?bin|usr/share/man|lib/systemd/system|etc/default)/', f)}
    assert theirs and theirs <= files, sorted(theirs - files)


def test_conffiles(control):
    _, d = control
    conffiles = (d / 'conffiles').read_text().split()
    assert sorted(conffiles) == ['/etc/default/keepalived', '/etc/keepalived/keepalived.conf.sample']


def test_default_file_is_debians(deb, debian_deb):
    """Byte for byte Debian's: a user's edited DAEMON_ARGS is then kept without a conffile
    prompt whichever package replaces the other."""
    assert deb_file(deb, '/etc/default/keepalived') == deb_file(debian_deb, '/etc/default/keepalived')


def test_config_test_sample(root, topo):
    """keepalived -t on the shipped sample configuration (eth0 exists in the namespace)."""
    r = kalib.run_binary(str(root / 'usr/sbin/keepalived'),
                         ['-t', '-f', str(root / 'etc/keepalived/keepalived.conf.sample')],
                         ns=topo.host('a'))
    assert r.returncode == 0, r.stdout + r.stderr
    assert not re.search(r'error|warning', r.stdout + r.stderr, re.I), r.stdout + r.stderr


def test_genhash_runs(root):
    r = run(str(root / 'usr/bin/genhash'), '-h')
    assert 'Usage:' in r.stdout + r.stderr and '--use-ssl' in r.stdout + r.stderr


@pytest.mark.parametrize('page', sorted(MAN_PAGES))
def test_man_page_renders(root, page):
    r = run('man', '--warnings', '-l', str(root / page), env=dict(os.environ, MANWIDTH='80'))
    assert r.returncode == 0 and not r.stderr.strip(), r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].startswith(MAN_PAGES[page]) and 'NAME' in lines, r.stdout[:400]


def unit_directives(text):
    return {(k.strip(), v.strip()) for k, v in re.findall(r'^([A-Za-z]+)=(.*)$', text, re.M)}


def test_unit(root, tmp_path):
    unit = root / UNIT[1:]
    # Verified as installed: its ExecStart= and ExecReload= programs are this machine's.
    (tmp_path / 'keepalived.service').write_bytes(unit.read_bytes())
    r = run('systemd-analyze', 'verify', str(tmp_path / 'keepalived.service'))
    assert r.returncode == 0 and not (r.stdout + r.stderr).strip(), r.stdout + r.stderr
    ours = unit_directives(unit.read_text())
    assert ('ExecReload', '/bin/kill -HUP $MAINPID') in ours
    assert ('ExecStart', '/usr/sbin/keepalived --dont-fork $DAEMON_ARGS') in ours
    assert ('Type', 'notify') in ours


def test_unit_covers_debians(root, debian_deb):
    ours = unit_directives((root / UNIT[1:]).read_text())
    # Everything Debian's unit says, ours says too (same name, start, reload, environment).
    theirs = unit_directives(deb_file(debian_deb, UNIT).decode())
    assert theirs <= ours, sorted(theirs - ours)


def test_helpers_run_from_libexec(root, start_daemon, tmp_path):
    """The installed daemon's children exec the installed helper programs.

    The daemon runs in a mount namespace where the package's /usr/libexec is bound over
    the machine's: that is where the binary (compiled with PKGLIBEXECDIR) looks for them.
    """
    wrapper = tmp_path / 'installed-keepalived'
    wrapper.write_text(
        '#!/bin/sh\n'
        'exec unshare --mount --propagation private sh -c '
        '\'mount --bind "$0/usr/libexec" /usr/libexec && exec "$0/usr/sbin/keepalived" "$@"\' '
        f'"{root}" "$@"\n')
    wrapper.chmod(0o755)
    conf = kalib.make_conf(tmp_path / 'ka.conf', 'lvs.conf')
    d = start_daemon(conf, binary=str(wrapper))
    def exe(pidfile):
        try:
            st = os.stat(f'/proc/{kalib.read_pid(pidfile)}/exe')
            return st.st_dev, st.st_ino
        except (OSError, TypeError, ValueError):
            return None

    for pidfile, helper in ((d.vrrp_pidfile, 'keepalived-vrrp'),
                            (d.check_pidfile, 'keepalived-checker')):
        want = (root / 'usr/libexec/keepalived-ng' / helper).stat()
        kalib.wait_for(lambda: exe(pidfile) == (want.st_dev, want.st_ino), 10,
                       f'the child of {pidfile.name} running {helper} from the package')


def test_lintian(deb):
    if not shutil.which('lintian'):
        pytest.fail('lintian not found: .ci/deps installs it')
    r = run('lintian', '--display-info', '--pedantic', '--tag-display-limit', '0', str(deb),
            timeout=600)
    tags = [ln for ln in r.stdout.splitlines() if re.match(r'[EW]: ', ln)]
    assert r.returncode == 0 and not tags, r.stdout + r.stderr


def parse_swap(out):
    """swap.sh's output -> {step: {'rc': N, key: value, 'log': text}}."""
    steps, cur = {}, None
    for line in out.splitlines():
        m = re.match(r'== (\S+) rc=(\d+)$', line)
        if m:
            cur = steps[m[1]] = {'rc': int(m[2]), 'log': ''}
        elif cur is not None and line.startswith('| '):
            cur['log'] += line[2:] + '\n'
        elif cur is not None and '=' in line:
            k, v = line.split('=', 1)
            cur[k] = v.strip()
    return steps


def test_swap_in_and_back(deb, debian_deb):
    """apt-get install ./keepalived-ng_*.deb over Debian's keepalived, and back again,
    on an overlay copy of this machine: the user's files are kept at every step."""
    r = run('bash', str(PKG / 'swap.sh'), str(deb), str(debian_deb), timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr
    s = parse_swap(r.stdout)
    assert list(s) == ['before', 'install', 'swapback', 'purge', 'purge_debian', 'fresh',
                       'back_again', 'again', 'purge_debian_rc', 'reinstall'], r.stdout
    before, inst, back, purge, fresh = (s[k] for k in ('before', 'install', 'swapback', 'purge', 'fresh'))
    user = ('conf', 'notify', 'default', 'daemon_args')
    assert before['status.keepalived'] == 'ii' and before['config_test'] == '0', before

    assert inst['rc'] == 0, inst['log']
    assert inst['status.keepalived'] == 'rc' and inst['status.keepalived-ng'] == 'ii', inst
    assert 'conffile prompt' not in inst['log']
    assert 'keepalived-ng' in inst['version'], inst['version']
    assert inst['helpers'].split() == sorted(HELPERS)
    assert inst['enabled'] == UNIT and inst['config_test'] == '0', inst
    assert inst['daemon_args'] == 'DAEMON_ARGS="--log-detail --vrrp"'
    for k in user:
        assert inst[k] == before[k], f'install changed the user\'s {k}'
    assert inst['owner.conf'] == 'none'

    assert back['rc'] == 0, back['log']
    assert back['status.keepalived'] == 'ii' and back['status.keepalived-ng'] == 'rc', back
    assert back['version'] == before['version'] and 'keepalived-ng' not in back['version']
    assert back['helpers'] == '' and back['unit'] == before['unit'], back
    assert back['enabled'] == UNIT and back['config_test'] == '0', back
    for k in user:
        assert back[k] == before[k], f'the swap back changed the user\'s {k}'

    # Purging what is left of ours leaves Debian's package, its unit's enablement and the
    # user's files alone.
    assert purge['rc'] == 0, purge['log']
    assert purge['status.keepalived'] == 'ii' and purge['status.keepalived-ng'] in ('none', 'un')
    assert purge['enabled'] == UNIT, 'purging keepalived-ng disabled Debian\'s keepalived.service'
    for k in (*user, 'sample', 'unit'):
        assert purge[k] == back[k], f'the purge changed {k}'

    # A first install (no keepalived before): the unit is enabled, as Debian's package does.
    assert fresh['rc'] == 0, fresh['log']
    assert fresh['status.keepalived-ng'] == 'ii' and fresh['enabled'] == UNIT, fresh
    assert fresh['conf'] == before['conf'] and fresh['config_test'] == '0'
    assert fresh['daemon_args'] == 'DAEMON_ARGS=""'

    # README's warning: purging Debian's keepalived (left as "rc" by the swap) runs its
    # purge script, which disables keepalived.service; a reinstall of ours enables it again.
    # The user's files stay throughout.
    again, purged, reinst = s['again'], s['purge_debian_rc'], s['reinstall']
    assert s['back_again']['rc'] == 0 and again['rc'] == 0, s['back_again']['log'] + again['log']
    assert again['status.keepalived'] == 'rc' and again['enabled'] == UNIT, again
    assert purged['rc'] == 0 and purged['status.keepalived-ng'] == 'ii', purged
    assert purged['enabled'] == 'no', 'Debian\'s purge no longer disables the unit: README says so'
    assert reinst['rc'] == 0 and reinst['enabled'] == UNIT, reinst
    for st in (again, purged, reinst):
        assert st['conf'] == before['conf'] and st['default'] == fresh['default'], st
