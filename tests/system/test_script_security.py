# SPDX-License-Identifier: GPL-2.0-or-later
"""Who runs the scripts: never root by accident, and script security as keepalived 2.2.7 applies it.

One host (a, 192.0.2.1) runs VI_1 alone, so it becomes MASTER. Every script is
a copy of id.sh, which appends `id -u` and its arguments to OUT/TAG.UID: the
files show which script ran and as whom. The scripts live outside tmp_path,
whose parents only root may enter: a script that runs as nobody must reach
its file and its output directory. Every test passes against Debian's
keepalived 2.2.7 (KA_REFERENCE=/usr/sbin/keepalived) unless marked.
"""
import shutil
import signal
import tempfile
import time
from pathlib import Path

import pytest

import kalib
from kalib import wait_for

NOBODY = 65534
NO_USER = 'kt-no-such-user'
NO_GROUP = 'kt-no-such-group'
MASTER = r'\(VI_1\) Entering MASTER STATE'


class Scripts:
    """BASE (0755, in /tmp) holds id.sh, WW (0777, not sticky) a copy, OUT (01777) the results."""

    def __init__(self):
        self.base = Path(tempfile.mkdtemp(prefix=f'{kalib.PREFIX}-scripts-', dir='/tmp'))
        self.base.chmod(0o755)
        self.out = self.base / 'out'
        self.ww = self.base / 'ww'
        self.out.mkdir()
        self.out.chmod(0o1777)
        self.ww.mkdir()
        self.ww.chmod(0o777)
        body = f'#!/bin/sh\necho "$(id -u) $*" >> "{self.out}/$1.$(id -u)"\n'
        for d in (self.base, self.ww):
            (d / 'id.sh').write_text(body)
            (d / 'id.sh').chmod(0o755)
        self.id_sh, self.ww_sh = self.base / 'id.sh', self.ww / 'id.sh'

    def remove(self):
        shutil.rmtree(self.base, ignore_errors=True)

    def uids(self, tag):
        """{uid: [lines]} of what the scripts called with tag wrote."""
        got = {}
        for p in self.out.glob(f'{tag}.*'):
            got[int(p.suffix[1:])] = p.read_text().splitlines()
        return got

    def ran(self):
        """Every tag that some script wrote, with the uids that wrote it."""
        got = {}
        for p in self.out.iterdir():
            got.setdefault(p.stem, set()).add(int(p.suffix[1:]))
        return got


@pytest.fixture
def scripts():
    s = Scripts()
    yield s
    s.remove()


def config(global_lines, scripts_text='', inst_lines=''):
    body = '\n'.join(f'    {l.strip()}' for l in inst_lines.strip().splitlines())
    glob = '\n'.join(f'    {l.strip()}' for l in global_lines.strip().splitlines())
    return f'''global_defs {{
    router_id kt_scripts
{glob}
}}
{scripts_text}
vrrp_instance VI_1 {{
    state BACKUP
    interface eth0
    virtual_router_id 51
    priority 200
    advert_int 0.1
    version 3
{body}
    virtual_ipaddress {{
        192.0.2.100/24
    }}
}}
'''


def vrrp_script(name, cmd, extra=''):
    more = '\n'.join(f'    {l.strip()}' for l in extra.strip().splitlines())
    return f'''
vrrp_script {name} {{
    script "{cmd}"
    interval 1
{more}
}}
'''


def write_conf(tmp_path, text, name='ka.conf'):
    path = tmp_path / name
    path.write_text(text)
    return path


def run_until_master_and_stop(d, scripts=None, control=None):
    """The instance becomes MASTER (a script it no longer tracks cannot hold it back);
    the stop runs notify STOP and waits for the notify scripts. control: the tag of the
    test's control script, which does run: waited for first, since the stop waits only
    for the STOP ones."""
    d.wait_log(MASTER, timeout=40)
    if control:
        wait_for(lambda: scripts.ran().get(control), 10, f'the control script {control}')
    assert d.stop(timeout=10) == 0


# ------------------------------------------------- 1.2: no default user, no script

def test_unknown_script_user(start_daemon, tmp_path, scripts):
    """script_user names no user: the scripts without a user of their own never run.

    keepalived 2.2.7 logs `Failed to set default user for notify script PATH - ignoring`,
    `Unable to set default user for vrrp script chk - removing` and
    `(VI_1) track script chk not found, ignoring...`; the instance carries on without
    the script. A notify script with its own user (nobody) still runs: the control.
    """
    sh = scripts.id_sh
    d = start_daemon(write_conf(tmp_path, config(
        f'script_user {NO_USER}',
        vrrp_script('chk', f'{sh} chk'),
        f'''track_script {{
                chk
            }}
            notify "{sh} notify"
            notify_master "{sh} master_nobody" nobody''')))
    d.wait_log(rf'Failed to set default user for notify script {sh} - ignoring', timeout=40)
    d.wait_log(r'Unable to set default user for vrrp script chk - removing')
    d.wait_log(r'\(VI_1\) track script chk not found, ignoring\.\.\.')
    run_until_master_and_stop(d, scripts, 'master_nobody')
    ran = scripts.ran()
    assert ran.get('master_nobody') == {NOBODY}, ran
    assert 'notify' not in ran and 'chk' not in ran, ran


def hide_users_daemon(request, binary, topo, conf, workdir, names):
    """A daemon that sees /etc/passwd and /etc/group without the given names.

    It runs in a mount namespace of its own where filtered copies are bound over
    the two files (nothing changes for the rest of the machine), so the test does
    not depend on whether this machine has such a user.
    """
    files = []
    for db in ('passwd', 'group'):
        text = Path(f'/etc/{db}').read_text().splitlines(keepends=True)
        path = Path(workdir) / f'{db}.hidden'
        path.write_text(''.join(l for l in text if l.split(':', 1)[0] not in names))
        path.chmod(0o644)
        files.append(str(path))

    class Hiding(kalib.Daemon):
        @property
        def cmd(self):
            c = super().cmd
            assert c[:3] == ['ip', 'netns', 'exec']
            # unshare and sh exec in place: the daemon keeps the PID that kalib knows
            return c[:4] + ['unshare', '-m', '/bin/sh', '-c',
                            'mount --bind "$1" /etc/passwd && mount --bind "$2" /etc/group '
                            '&& shift 2 && exec "$@"', 'sh', *files, *c[4:]]

    d = Hiding(binary, topo.host('a'), conf, workdir)
    request.node.ka_daemons.append(d)   # start_daemon's teardown stops it
    return d.start()


def test_no_default_user_under_script_security(request, binary, topo, start_daemon, tmp_path,
                                               scripts):
    """enable_script_security, no script_user, no keepalived_script user: nothing runs as root.

    keepalived 2.2.7: `Unable to set default user keepalived_script for script`, then the
    lines of test_unknown_script_user. keepalived_script is hidden from the daemon
    whether or not this machine has one.
    """
    sh = scripts.id_sh
    conf = write_conf(tmp_path, config(
        'enable_script_security',
        vrrp_script('chk', f'{sh} chk'),
        f'''track_script {{
                chk
            }}
            notify "{sh} notify"
            notify_master "{sh} master_nobody" nobody'''))
    d = hide_users_daemon(request, binary, topo, conf, tmp_path, {'keepalived_script'})
    d.wait_log(r'Unable to set default user keepalived_script for script', timeout=40)
    d.wait_log(rf'Failed to set default user for notify script {sh} - ignoring')
    d.wait_log(r'Unable to set default user for vrrp script chk - removing')
    d.wait_log(r'\(VI_1\) track script chk not found, ignoring\.\.\.')
    run_until_master_and_stop(d, scripts, 'master_nobody')
    ran = scripts.ran()
    assert ran.get('master_nobody') == {NOBODY}, ran
    assert 'notify' not in ran and 'chk' not in ran, ran


def test_hidden_user_is_hidden(request, binary, topo, start_daemon, tmp_path, scripts):
    """Control for the test above: the mount namespace hides what it is told to.

    With user daemon (uid 1, from /etc/passwd; nss-systemd would make up root and
    nobody) hidden, `notify_master ... daemon` names an unknown user:
    `Script user 'daemon' does not exist` and the script is dropped.
    """
    sh = scripts.id_sh
    if kalib.sh('getent', 'passwd', 'daemon', check=False).returncode:
        pytest.skip('no user daemon on this machine')
    conf = write_conf(tmp_path, config('script_user root', '',
                                       f'notify_master "{sh} master_daemon" daemon'))
    d = hide_users_daemon(request, binary, topo, conf, tmp_path, {'daemon'})
    d.wait_log(r"Script user 'daemon' does not exist", timeout=40)
    d.wait_log(rf'Invalid user/group for notify script {sh} - ignoring')
    run_until_master_and_stop(d)
    assert scripts.ran() == {}


def test_unknown_own_user(start_daemon, tmp_path, scripts):
    """A script's own user or group is unknown: it never runs, not even as script_user (root).

    keepalived 2.2.7: `Unable to set uid/gid for script 'PATH' 'chk'` and the track
    script is not found; `Invalid user/group for notify script PATH - ignoring`.
    """
    sh = scripts.id_sh
    d = start_daemon(write_conf(tmp_path, config(
        'script_user root',
        vrrp_script('chk', f'{sh} chk', f'user {NO_USER}'),
        f'''track_script {{
                chk
            }}
            notify "{sh} notify" {NO_USER}
            notify_backup "{sh} backup" nobody {NO_GROUP}
            notify_master "{sh} master_nobody" nobody''')))
    d.wait_log(rf"Unable to set uid/gid for script '{sh}' 'chk'", timeout=40)
    d.wait_log(r'\(VI_1\) track script chk not found, ignoring\.\.\.')
    d.wait_log(rf"Script user '{NO_USER}' does not exist")
    d.wait_log(rf"Script group '{NO_GROUP}' does not exist")
    d.wait_log(rf'Invalid user/group for notify script {sh} - ignoring')
    run_until_master_and_stop(d, scripts, 'master_nobody')
    ran = scripts.ran()
    assert ran.get('master_nobody') == {NOBODY}, ran
    assert not {'notify', 'backup', 'chk'} & set(ran), ran


# ------------------------------------------------- 1.4: root's rights, whatever the uid

def test_group_root_script_in_world_writable_dir(start_daemon, tmp_path, scripts):
    """`user nobody root` runs with root's group: its script in a 0777 directory is refused.

    keepalived 2.2.7: `Unsafe permissions found for script 'PATH' - disabling.` and
    `Disabling track script chk due to insecure`; the instance no longer tracks it. The
    same file run as nobody:nogroup has no root rights to protect, and runs: the control.
    """
    sh = scripts.ww_sh
    d = start_daemon(write_conf(tmp_path, config(
        'enable_script_security\nscript_user nobody',
        vrrp_script('chk', f'{sh} chk', 'user nobody root'),
        f'''track_script {{
                chk
            }}
            notify_master "{sh} master_root_group" nobody root
            notify_backup "{sh} backup_nobody"''')))
    d.wait_log(rf"Unsafe permissions found for script '{sh}' - disabling\.", timeout=40)
    d.wait_log(r'Disabling track script chk due to insecure')
    run_until_master_and_stop(d, scripts, 'backup_nobody')
    ran = scripts.ran()
    assert ran.get('backup_nobody') == {NOBODY}, ran
    assert not {'master_root_group', 'chk'} & set(ran), ran


# ------------------------------------------------- 1.4: a reload re-applies both settings

def reload(d, conf, text):
    conf.write_text(text)
    mark = d.mark()
    d.signal(signal.SIGHUP)
    return mark


def test_reload_applies_new_script_user(topo, start_daemon, tmp_path, scripts):
    """script_user root -> nobody on SIGHUP, VI_1 and chk unchanged: their next runs are nobody's.

    (Before the fix, what a reload kept because its own text had not changed ran on as
    root.) chk's runs, and the notify of a FAULT caused after the reload (eth1 down),
    show uid 65534, and chk runs as root no more.
    """
    sh = scripts.id_sh
    topo.add_link('a', 'eth1')

    def text(user):
        return config(f'script_user {user}\nenable_script_security',
                      vrrp_script('chk', f'{sh} chk'),
                      f'''track_script {{
                              chk
                          }}
                          track_interface {{
                              eth1
                          }}
                          notify "{sh} notify"''')
    conf = write_conf(tmp_path, text('root'))
    d = start_daemon(conf)
    d.wait_log(MASTER, timeout=40)
    wait_for(lambda: 0 in scripts.uids('chk') and
             any('MASTER' in l for l in scripts.uids('notify').get(0, [])), 10,
             'chk and notify MASTER run as root first')

    mark = reload(d, conf, text('nobody'))
    wait_for(lambda: NOBODY in scripts.uids('chk'), 10, "chk's first run as nobody")
    if not kalib.REFERENCE:
        # the case this test is about: nothing in VI_1 or chk changed
        d.wait_log(r'VRRP reload: 1 instance\(s\) kept as they were', since=mark)
    n_root = len(scripts.uids('chk').get(0, []))
    n_nobody = len(scripts.uids('chk')[NOBODY])
    wait_for(lambda: len(scripts.uids('chk')[NOBODY]) >= n_nobody + 2, 10,
             'two more runs of chk')
    assert len(scripts.uids('chk').get(0, [])) == n_root, 'chk ran as root after the reload'

    n_root = len(scripts.uids('notify').get(0, []))
    topo.ip('a', 'link', 'set', 'eth1', 'down')
    d.wait_log(r'\(VI_1\) Entering FAULT STATE', since=mark)
    wait_for(lambda: any('FAULT' in l for l in scripts.uids('notify').get(NOBODY, [])), 10,
             'notify FAULT as nobody')
    assert len(scripts.uids('notify').get(0, [])) == n_root, 'notify ran as root after the reload'


def test_reload_applies_script_security(topo, start_daemon, tmp_path, scripts):
    """enable_script_security added on SIGHUP: root's script in a 0777 directory stops running.

    Without it the script runs (keepalived 2.2.7 warns `Unsafe permissions found for
    script 'PATH'.`); with it, after the reload, `... - disabling.`, and neither chk
    nor the notify script (the same file) runs again.
    """
    sh = scripts.ww_sh
    topo.add_link('a', 'eth1')

    def text(security):
        return config(f'script_user root\n{"enable_script_security" if security else ""}',
                      vrrp_script('chk', f'{sh} chk', 'weight 10'),
                      f'''track_script {{
                              chk
                          }}
                          track_interface {{
                              eth1
                          }}
                          notify "{sh} notify"''')
    conf = write_conf(tmp_path, text(False))
    d = start_daemon(conf)
    d.wait_log(rf"Unsafe permissions found for script '{sh}'\.$", timeout=40)
    d.wait_log(MASTER, timeout=40)
    wait_for(lambda: 0 in scripts.uids('chk'), 10, 'chk runs as root before the reload')

    mark = reload(d, conf, text(True))
    d.wait_log(rf"Unsafe permissions found for script '{sh}' - disabling\.", since=mark)
    # a run started just before the reload may still be writing: wait until it has ended
    wait_for(lambda: not any(kalib.alive(p) for p in kalib.descendants(d.vrrp_pid())), 5,
             'no script of the VRRP child still running')
    n_chk = len(scripts.uids('chk').get(0, []))
    n_notify = len(scripts.uids('notify').get(0, []))
    topo.ip('a', 'link', 'set', 'eth1', 'down')
    d.wait_log(r'\(VI_1\) Entering FAULT STATE', since=mark)
    time.sleep(2.5)         # two more intervals of chk, in which neither script may run
    assert len(scripts.uids('chk').get(0, [])) == n_chk, 'chk ran after the reload'
    assert len(scripts.uids('notify').get(0, [])) == n_notify, 'notify ran after the reload'
