# SPDX-License-Identifier: GPL-2.0-or-later
"""The health checker's notify FIFO lines (spec vrrp-advanced.md 2): lvs_notify_fifo and
notify_fifo get keepalived 2.2.7's `RS [192.0.2.2]:tcp:8080 [10.0.0.1]:tcp:80 DOWN` and
`VS [10.0.0.1]:tcp:80 DOWN` lines; lvs_notify_fifo_script reads them.
"""
from pathlib import Path

import pytest

import checklib as cl
import kalib
from kalib import wait_for

pytestmark = pytest.mark.ours_only     # the recording backend is ours (2.2.7 needs ip_vs)
topo, rec = cl.topo, cl.rec

B = '192.0.2.2'
VIP = '10.0.0.1'


def reader_script(tmp_path, name):
    out = tmp_path / f'{name}.out'
    sh = tmp_path / f'{name}.sh'
    sh.write_text(f'#!/bin/sh\nwhile read -r line; do echo "$line" >> {out}; done < "$1"\n')
    sh.chmod(0o755)
    return sh, out


def lines(path):
    return path.read_text().splitlines() if path.exists() else []


def test_rs_and_vs_lines(topo, tmp_path, rec, start_daemon):
    """At start the quorum's `VS ... UP`; a real server refused, then back: `RS ... DOWN`,
    `VS ... DOWN` (quorum lost: its only server), then `RS ... UP`, `VS ... UP`."""
    sh, out = reader_script(tmp_path, 'lvs')
    fifo = tmp_path / 'lvs.fifo'
    srv = cl.TcpListener(topo.host('b'), B, 8080, tmp_path).start()
    conf = tmp_path / 'keepalived.conf'
    conf.write_text(cl.conf(cl.vs(VIP, 80, cl.rs(B, 8080, cl.tcp_check(retry=0))),
                            global_defs=f'    lvs_notify_fifo {fifo}\n'
                                        f'    lvs_notify_fifo_script {sh}\n'))
    d = start_daemon(conf)
    d.wait_log(r'TCP connection to \[192\.0\.2\.2\]:tcp:8080 success\.', timeout=10)
    srv.stop()
    rs = f'RS [{B}]:tcp:8080 [{VIP}]:tcp:80'
    vs = f'VS [{VIP}]:tcp:80'
    wait_for(lambda: f'{vs} DOWN' in lines(out), 10, f'VS DOWN (has {lines(out)})')
    srv.start()
    want = [f'{vs} UP', f'{rs} DOWN', f'{vs} DOWN', f'{rs} UP', f'{vs} UP']
    wait_for(lambda: len(lines(out)) >= len(want), 10, f'{want} (has {lines(out)})')
    assert lines(out) == want
    d.stop()
    assert not Path(fifo).exists()
