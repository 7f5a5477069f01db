# SPDX-License-Identifier: GPL-2.0-or-later
"""Notify FIFOs (spec vrrp-advanced.md 2): notify_fifo / vrrp_notify_fifo and their scripts.

One host a (192.0.2.1) running VI_1 (VRID 51, priority 200, VIP 192.0.2.100) alone: it
goes BACKUP, then MASTER. The FIFO scripts copy every line they read to a file. Every
test passes against Debian's keepalived 2.2.7 (KA_REFERENCE=/usr/sbin/keepalived) except
the `ours_only` ones: 2.2.7 kills the FIFO scripts before it writes the STOP lines.
"""
import os
import signal
import stat
import subprocess
from pathlib import Path

import pytest

import kalib
from kalib import holds_for, wait_for

A = '192.0.2.1'
PEER = '192.0.2.9'      # a made-up router that sends adverts by hand


def instance(prio=200, extra=''):
    return f'''
vrrp_instance VI_1 {{
    state BACKUP
    interface eth0
    virtual_router_id 51
    priority {prio}
    advert_int 0.1
    version 3
{extra}
    virtual_ipaddress {{
        192.0.2.100/24
    }}
}}
'''


def config(global_extra, *blocks):
    return f'''global_defs {{
    router_id kt_fifo
    script_user root
    enable_script_security
{global_extra}
}}
''' + ''.join(blocks)


def reader_script(tmp_path, name):
    """A FIFO script: every line it reads from its last argument (the FIFO) goes to
    name.out; it ends at EOF."""
    out = tmp_path / f'{name}.out'
    sh = tmp_path / f'{name}.sh'
    sh.write_text(f'#!/bin/sh\nwhile read -r line; do echo "$line" >> {out}; done < "$1"\n'
                  f'echo EOF >> {out}\n')
    sh.chmod(0o755)
    return sh, out


def lines(path):
    return path.read_text().splitlines() if path.exists() else []


def wait_lines(path, want, timeout=10):
    """Wait until path's lines start with want (a list), return them all."""
    wait_for(lambda: lines(path)[:len(want)] == want, timeout,
             f'{want} in {path} (has {lines(path)})')
    return lines(path)


def start_cat(topo, fifo, out):
    """`cat FIFO > out` in host a, started once the FIFO exists."""
    wait_for(lambda: Path(fifo).exists(), 5, f'{fifo} made')
    p = subprocess.Popen(['ip', 'netns', 'exec', topo.host('a'), 'sh', '-c',
                          f'exec cat {fifo} > {out}'], start_new_session=True)
    kalib.CLEANUP.add(lambda: p.poll() is None and p.kill())
    return p


def test_vrrp_fifo_script_lines(topo, tmp_path, start_daemon):
    """vrrp_notify_fifo_script gets the FIFO's path as its last argument and reads
    `INSTANCE "VI_1" BACKUP 200` then `INSTANCE "VI_1" MASTER 200`; the FIFO is made
    with mode 0644 (under the daemon's umask) and removed at the stop."""
    sh, out = reader_script(tmp_path, 'vrrp')
    fifo = tmp_path / 'vrrp.fifo'
    conf = tmp_path / 'keepalived.conf'
    conf.write_text(config(f'    vrrp_notify_fifo {fifo}\n    vrrp_notify_fifo_script {sh}\n',
                           instance()))
    d = start_daemon(conf)
    got = wait_lines(out, ['INSTANCE "VI_1" BACKUP 200', 'INSTANCE "VI_1" MASTER 200'])
    assert len(got) == 2, got
    st = os.stat(fifo)
    assert stat.S_ISFIFO(st.st_mode)
    assert stat.S_IMODE(st.st_mode) == 0o644 & ~0o177, oct(st.st_mode)
    d.stop()
    assert not fifo.exists()


@pytest.mark.ours_only  # 2.2.7 SIGTERMs the FIFO scripts first, then writes STOP: lost
def test_stop_line_reaches_fifo_script(topo, tmp_path, start_daemon):
    """At a stop the STOP line is written before the FIFO is closed; the script reads
    it, then EOF, and ends by itself (`vrrp notify fifo script terminated`)."""
    sh, out = reader_script(tmp_path, 'vrrp')
    fifo = tmp_path / 'vrrp.fifo'
    conf = tmp_path / 'keepalived.conf'
    conf.write_text(config(f'    vrrp_notify_fifo {fifo}\n    vrrp_notify_fifo_script {sh}\n',
                           instance()))
    d = start_daemon(conf)
    wait_lines(out, ['INSTANCE "VI_1" BACKUP 200', 'INSTANCE "VI_1" MASTER 200'])
    d.stop()
    assert lines(out) == ['INSTANCE "VI_1" BACKUP 200', 'INSTANCE "VI_1" MASTER 200',
                          'INSTANCE "VI_1" STOP 200', 'EOF']
    assert d.search(r'vrrp notify fifo script terminated$')


def test_stop_line_to_a_reader(topo, tmp_path, start_daemon):
    """A reader of its own (`cat`) gets the STOP line too; a FIFO that existed before
    the start is used as it is and left in place at the stop."""
    fifo = tmp_path / 'mine.fifo'
    os.mkfifo(fifo, 0o600)
    out = tmp_path / 'cat.out'
    conf = tmp_path / 'keepalived.conf'
    conf.write_text(config(f'    vrrp_notify_fifo {fifo}\n', instance()))
    d = start_daemon(conf)
    start_cat(topo, fifo, out)
    wait_for(lambda: 'INSTANCE "VI_1" MASTER 200' in lines(out), 10, 'MASTER line')
    d.stop()
    wait_for(lambda: 'INSTANCE "VI_1" STOP 200' in lines(out), 5, 'STOP line')
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert stat.S_IMODE(os.stat(fifo).st_mode) == 0o600


@pytest.mark.ours_only  # 2.2.7 writes every line twice: its check runs in the wrong process
def test_global_and_vrrp_fifo_same_path(topo, tmp_path, start_daemon):
    """notify_fifo and vrrp_notify_fifo with one path: 2.2.7's line, the vrrp one is
    left out and each line is written once."""
    sh, out = reader_script(tmp_path, 'global')
    fifo = tmp_path / 'all.fifo'
    conf = tmp_path / 'keepalived.conf'
    conf.write_text(config(f'    notify_fifo {fifo}\n    notify_fifo_script {sh}\n'
                           f'    vrrp_notify_fifo {fifo}\n', instance()))
    d = start_daemon(conf)
    d.wait_log(rf'notify FIFO {fifo} has been specified for global and vrrp FIFO - '
               r'ignoring vrrp FIFO$')
    got = wait_lines(out, ['INSTANCE "VI_1" BACKUP 200', 'INSTANCE "VI_1" MASTER 200'])
    assert len(got) == 2, got


def test_priority_change_lines(topo, tmp_path, start_daemon):
    """vrrp_notify_priority_changes: a tracked script failing and passing again moves
    the effective priority: `INSTANCE "VI_1" MASTER_PRIORITY 190`, then `... 200`."""
    sh, out = reader_script(tmp_path, 'vrrp')
    fifo = tmp_path / 'vrrp.fifo'
    flag = tmp_path / 'ok'
    flag.write_text('')
    conf = tmp_path / 'keepalived.conf'
    conf.write_text(config(
        f'    vrrp_notify_fifo {fifo}\n    vrrp_notify_fifo_script {sh}\n'
        '    vrrp_notify_priority_changes\n',
        f'''
vrrp_script chk {{
    script "/bin/test -e {flag}"
    interval 1
    weight -10
}}
''', instance(extra='    track_script {\n        chk\n    }\n')))
    d = start_daemon(conf)
    wait_for(lambda: 'INSTANCE "VI_1" MASTER 200' in lines(out), 10, 'MASTER line')
    flag.unlink()
    d.wait_log(r'\(VI_1\) Changing effective priority from 200 to 190$', timeout=10)
    wait_for(lambda: 'INSTANCE "VI_1" MASTER_PRIORITY 190' in lines(out), 5, 'prio line')
    flag.write_text('')
    d.wait_log(r'\(VI_1\) Changing effective priority from 190 to 200$', timeout=10)
    wait_for(lambda: 'INSTANCE "VI_1" MASTER_PRIORITY 200' in lines(out), 5, 'prio line')
    got = [l for l in lines(out) if 'PRIORITY' in l]
    assert got == ['INSTANCE "VI_1" MASTER_PRIORITY 190', 'INSTANCE "VI_1" MASTER_PRIORITY 200']


def test_master_rx_lower_pri_line(topo, tmp_path, start_daemon):
    """A master that receives a lower priority advert writes
    `INSTANCE "VI_1" MASTER_RX_LOWER_PRI 200` (no notify_master_rx_lower_pri script
    needed)."""
    sh, out = reader_script(tmp_path, 'vrrp')
    fifo = tmp_path / 'vrrp.fifo'
    conf = tmp_path / 'keepalived.conf'
    conf.write_text(config(f'    vrrp_notify_fifo {fifo}\n    vrrp_notify_fifo_script {sh}\n',
                           instance()))
    d = start_daemon(conf)
    wait_for(lambda: 'INSTANCE "VI_1" MASTER 200' in lines(out), 10, 'MASTER line')
    topo.ip('a', 'addr', 'add', f'{PEER}/24', 'dev', 'eth0')    # a source on the link
    pkt = kalib.vrrp_packet(priority=50, addrs=('192.0.2.100',), advert_cs=10, src=PEER,
                            dst='224.0.0.18')
    with kalib.Injector(topo.host('a')) as inj:
        inj.send(kalib.ipv4_packet(PEER, '224.0.0.18', pkt))
    wait_for(lambda: 'INSTANCE "VI_1" MASTER_RX_LOWER_PRI 200' in lines(out), 5,
             f'MASTER_RX_LOWER_PRI line (has {lines(out)})')


def test_states_written_again_on_reload(topo, tmp_path, start_daemon):
    """fifo_write_vrrp_states_on_reload: after SIGHUP the current state of an instance
    that did not change is written again: `INSTANCE "VI_2" FAULT 100` (its interface
    is down). 2.2.7 leaves a master out; we write `INSTANCE "VI_1" MASTER 200` too."""
    topo.add_link('a', 'eth1', up=False)
    sh, out = reader_script(tmp_path, 'vrrp')
    fifo = tmp_path / 'vrrp.fifo'
    conf = tmp_path / 'keepalived.conf'
    vi2 = instance(prio=100).replace('VI_1', 'VI_2').replace('eth0', 'eth1').replace(
        '51', '52').replace('192.0.2.100', '198.51.100.1')
    conf.write_text(config(f'    vrrp_notify_fifo {fifo}\n    vrrp_notify_fifo_script {sh}\n'
                           '    fifo_write_vrrp_states_on_reload\n', instance(), vi2))
    d = start_daemon(conf)
    wait_for(lambda: 'INSTANCE "VI_1" MASTER 200' in lines(out), 10, 'MASTER line')
    before = lines(out)
    d.signal(signal.SIGHUP)
    d.wait_log(r'Reload', timeout=5)
    wait_for(lambda: 'INSTANCE "VI_2" FAULT 100' in lines(out)[len(before):], 5,
             f'FAULT line again (before {before}, now {lines(out)})')
    if not kalib.REFERENCE:
        wait_for(lambda: 'INSTANCE "VI_1" MASTER 200' in lines(out)[len(before):], 5,
                 'MASTER line again')


@pytest.mark.ours_only  # 2.2.7 kills the old FIFO script at a reload (no EOF)
def test_reload_moves_the_fifo(topo, tmp_path, start_daemon):
    """A reload that names another vrrp_notify_fifo: the old FIFO (ours) is removed and
    its script ends, the new one is made, its script started, and the next lines go
    there; a reload that changes nothing keeps the FIFO and its script."""
    sh1, out1 = reader_script(tmp_path, 'one')
    sh2, out2 = reader_script(tmp_path, 'two')
    fifo1, fifo2 = tmp_path / 'one.fifo', tmp_path / 'two.fifo'
    conf = tmp_path / 'keepalived.conf'
    conf.write_text(config(f'    vrrp_notify_fifo {fifo1}\n    vrrp_notify_fifo_script {sh1}\n',
                           instance()))
    d = start_daemon(conf)
    wait_lines(out1, ['INSTANCE "VI_1" BACKUP 200', 'INSTANCE "VI_1" MASTER 200'])
    conf.write_text(config(f'    vrrp_notify_fifo {fifo2}\n    vrrp_notify_fifo_script {sh2}\n'
                           '    fifo_write_vrrp_states_on_reload\n', instance()))
    d.signal(signal.SIGHUP)
    wait_lines(out2, ['INSTANCE "VI_1" MASTER 200'])
    assert not fifo1.exists()
    wait_for(lambda: lines(out1)[-1:] == ['EOF'], 5, 'the old script ends')
    assert fifo2.exists()


def test_sync_group_lines(topo, tmp_path, start_daemon):
    """A vrrp_sync_group's lines in 2.2.7's order: `GROUP "G1" BACKUP 0` at start (before
    its members'), `GROUP "G1" MASTER 0` after its members' MASTER; at the stop
    `GROUP "G1" STOP 0` after theirs (2.2.7 writes it too, but its FIFO script is gone)."""
    sh, out = reader_script(tmp_path, 'vrrp')
    fifo = tmp_path / 'vrrp.fifo'
    conf = tmp_path / 'keepalived.conf'
    vi2 = instance().replace('VI_1', 'VI_2').replace(' 51\n', ' 52\n').replace(
        '192.0.2.100', '192.0.2.101')
    group = 'vrrp_sync_group G1 {\n    group {\n        VI_1\n        VI_2\n    }\n}\n'
    conf.write_text(config(f'    vrrp_notify_fifo {fifo}\n    vrrp_notify_fifo_script {sh}\n',
                           instance(), vi2, group))
    d = start_daemon(conf)
    wait_lines(out, ['GROUP "G1" BACKUP 0', 'INSTANCE "VI_1" BACKUP 200',
                     'INSTANCE "VI_2" BACKUP 200', 'INSTANCE "VI_2" MASTER 200',
                     'INSTANCE "VI_1" MASTER 200', 'GROUP "G1" MASTER 0'])
    if not kalib.REFERENCE:
        d.stop()
        assert lines(out)[6:] == ['INSTANCE "VI_1" STOP 200', 'INSTANCE "VI_2" STOP 200',
                                  'GROUP "G1" STOP 0', 'EOF']


def args_script(tmp_path):
    """A notify script: its arguments, one line per run, in notify.out."""
    out = tmp_path / 'notify.out'
    sh = tmp_path / 'notify.sh'
    sh.write_text(f'#!/bin/sh\necho "$@" >> {out}\n')
    sh.chmod(0o755)
    return sh, out


def removal(topo, tmp_path, start_daemon, extra):
    """VI_1 and VI_2 (with extra) become masters, then a reload removes VI_2. Returns
    the FIFO lines that follow the reload and a function giving the notify scripts'."""
    sh, out = reader_script(tmp_path, 'vrrp')
    nsh, nout = args_script(tmp_path)
    fifo = tmp_path / 'vrrp.fifo'
    conf = tmp_path / 'keepalived.conf'
    vi2 = instance(extra=extra.format(sh=nsh)).replace('VI_1', 'VI_2').replace(
        ' 51\n', ' 52\n').replace('192.0.2.100', '192.0.2.101')
    g = f'    vrrp_notify_fifo {fifo}\n    vrrp_notify_fifo_script {sh}\n'
    conf.write_text(config(g, instance(), vi2))
    d = start_daemon(conf)
    wait_for(lambda: len([l for l in lines(out) if 'MASTER' in l]) == 2, 10, 'masters')
    wait_for(lambda: 'INSTANCE VI_2 MASTER 200' in lines(nout), 5, 'notify MASTER')
    n, nn = len(lines(out)), len(lines(nout))
    conf.write_text(config(g, instance()))
    d.signal(signal.SIGHUP)
    wait_for(lambda: lines(out)[n:], 5, 'a line after the reload')
    holds_for(lambda: len(lines(out)) == n + 1, 0.5)
    return lines(out)[n:], lambda: lines(nout)[nn:]


NOTIFY_ALL = ('    notify_fault "{sh} fault"\n    notify_stop "{sh} stop"\n'
              '    notify {sh}\n')


def test_removed_at_reload(topo, tmp_path, start_daemon):
    """An instance a reload removes, as 2.2.7: `INSTANCE "VI_2" FAULT 200` on the FIFO
    and `notify` with INSTANCE VI_2 FAULT 200; neither notify_stop nor notify_fault (2.2.7
    picks the script of DELETED: none)."""
    fifo, scripts = removal(topo, tmp_path, start_daemon, NOTIFY_ALL)
    assert fifo == ['INSTANCE "VI_2" FAULT 200']
    wait_for(scripts, 3, 'notify FAULT')
    holds_for(lambda: scripts() == ['INSTANCE VI_2 FAULT 200'], 0.5)


def test_notify_deleted(topo, tmp_path, start_daemon):
    """notify_deleted SCRIPT: at its removal the instance runs it and `notify` gets
    INSTANCE VI_2 DELETED 200; the FIFO `INSTANCE "VI_2" DELETED 200`."""
    fifo, scripts = removal(topo, tmp_path, start_daemon,
                            NOTIFY_ALL + '    notify_deleted "{sh} deleted"\n')
    assert fifo == ['INSTANCE "VI_2" DELETED 200']
    wait_for(lambda: sorted(scripts()) == ['INSTANCE VI_2 DELETED 200', 'deleted'], 3,
             'deleted, notify DELETED')
    holds_for(lambda: len(scripts()) == 2, 0.3)
