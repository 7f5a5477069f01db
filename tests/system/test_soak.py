# SPDX-License-Identifier: GPL-2.0-or-later
"""Short versions (seconds) of the soak benchmarks of tests/bench/bench_soak.py, and the
upgrade in place from Debian's keepalived 2.2.7.

The long versions (minutes) and their figures: tests/bench/README.md, bench_soak.py. The
crash that does not fail over is test_vrrp_resume.py.
"""
import os
import subprocess
import sys
from pathlib import Path

import pytest

import kalib

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / 'bench'))
import bench_soak  # noqa: E402

pytestmark = pytest.mark.ours_only      # each drives our binary (and 2.2.7 where it says)


def quiet(*a):
    pass


def sanitized(binary):
    """An ASan build: its quarantine makes memory grow; only fds are compared then."""
    out = subprocess.run(['ldd', binary], capture_output=True, text=True).stdout
    return 'libasan' in out


def growth(res, role, field):
    """End minus warm-up of field (0 VmRSS, 1 RssAnon, 2 fds) of role's process."""
    warm, end = (dict(res['samples'])[k][role][field] for k in ('warm', 'end'))
    return end - warm


def test_upgrade_in_place(binary, tmp_path):
    """2.2.7 MASTER on a and BACKUP on b; a's daemon restarted as 2.2.7, then as ours: the
    VIP is on both hosts, or on neither, no longer with ours than with 2.2.7."""
    if not os.access(kalib.DEBIAN, os.X_OK):
        pytest.skip(f'no {kalib.DEBIAN}')
    out = bench_soak.upgrade(binary, kalib.DEBIAN, 1, tmp_path)
    ref, ours = out['2.2.7 -> 2.2.7'], out['2.2.7 -> ours']
    print(out)
    # the backup held it meanwhile: the time on neither is the skew time after the
    # priority-0 advert, for both; 0.1 s of slack for a loaded host
    assert ours['none_s'] <= ref['none_s'] + 0.1, out
    assert ours['both_s'] <= ref['both_s'] + 0.05, out
    assert ours['none_s'] < 1.0 and ours['both_s'] < 0.2, out
    # ours takes it back by preemption, as 2.2.7 does (master-down interval after start)
    assert ours['back_s'] <= ref['back_s'] + 1.0, out


def test_reloads_short(binary, tmp_path):
    """6 SIGHUPs alternating two configs (20 instances, 20 real servers, 10 of each differ):
    no takeover by the backup, no IPVS operation on an unchanged real server, fds flat."""
    res = bench_soak.reloads(binary, 6, 20, 20, 1, tmp_path, warmup=2, progress=quiet)
    print(res)
    assert res['a_alive']
    assert res['b_tx'] == 0 and res['b_master'] == 0, 'the backup took over'
    assert res['ipvs_dest_ops'] >= 10, 'no IPVS operation recorded at all'
    assert res['ipvs_unchanged_ops'] == 0
    for role in ('parent', 'vrrp', 'checker'):
        assert growth(res, role, 2) == 0, f'{role} fds grew'
        assert sanitized(binary) or growth(res, role, 1) <= 256, f'{role} RssAnon grew'


def test_reloads_vrrp_memory(binary, tmp_path):
    """40 SIGHUPs alternating two configs of 300 instances: the VRRP child's RssAnon after
    them is what it was after its start, and flat from the 10th on (the old config, the
    parse's leftovers and the reload's work go back to the kernel)."""
    if sanitized(binary):
        pytest.skip('an ASan build: its quarantine and shadow memory make memory grow')
    res = bench_soak.reloads(binary, 40, 300, 20, 0.5, tmp_path, warmup=10, progress=quiet)
    print(res)
    assert res['a_alive']
    assert res['b_tx'] == 0 and res['b_master'] == 0, 'the backup took over'
    start, warm, end = (dict(res['samples'])[k]['vrrp'][1] for k in ('start', 'warm', 'end'))
    assert end - start <= 64 + start // 20, f'RssAnon {start} kB after the start, {end} at the end'
    assert end - warm <= 32, f'RssAnon {warm} kB after 10 reloads, {end} after 40'


def test_kills_short(binary, tmp_path):
    """Each child SIGKILLed 3 times: back within 1 s + the backoff, no zombie, the parent's
    fds unchanged."""
    res = bench_soak.kills(binary, 6, 0.5, tmp_path, progress=quiet)
    print(res)
    assert res['alive']
    assert res['late'] == []
    assert res['zombies'] == 0
    assert res['parent_after'][0] == res['parent_before'][0], 'parent fds'
    assert sanitized(binary) or res['parent_after'][1] - res['parent_before'][1] <= 128, \
        'parent VmRSS'


def test_flood_short(binary, tmp_path):
    """5 s of 30,000 adverts/s from c (half unknown VRIDs, half bad checksums of a's) against
    10 instances, the senders at normal priority on the daemons' 2 cores: a sends every
    advert on time, no packet is lost in a's or b's VRRP socket queue (the kernel's 208 kB
    default held 256 packets, 8 ms of the flood, and overflowed: 5,000-13,000 packets
    each, and adverts with them), b receives every advert a sent (their stats dumps) and its capture sees
    each instance's adverts every interval; nobody changes state; the log stays bounded."""
    res = bench_soak.flood(binary, 5, 30000, 10, tmp_path, progress=quiet, snaplen=256,
                           buffer_kib=8192)
    print(res)
    assert res['sent'] >= 75000
    assert all(x['sent'] >= 4 for x in res['per'].values()), res['per']
    assert res['sock_drops'] == (0, 0), 'packets lost in the VRRP sockets\' queues of a, b'
    assert res['totals']['lost'] == 0, f'adverts of a lost on b: {res["per"]}'
    assert res['missing'] == [] and res['worst_gap'] < 1.5, res
    assert not res['b_master'] and not res['a_changed']
    assert res['a_lines'] <= 30 * 10, 'a logged too much'
    assert sanitized(binary) or res['rss'][1] - res['rss'][0] <= 512
