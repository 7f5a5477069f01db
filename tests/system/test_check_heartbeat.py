# SPDX-License-Identifier: GPL-2.0-or-later
"""A checker child busy programming IPVS still proves it is alive.

With thousands of real servers the start-up (and a reload) sends one IPVS command each,
synchronously: on a slow kernel that outlasts the parent's heartbeat limit (5 silent
checks of 2 s), and a child that does not beat meanwhile is killed and respawned, and
the new one again: a respawn loop. KEEPALIVED_IPVS_RECORD_DELAY_US makes the recording
backend take that long per command (tests only). A child stopped in the middle is
still killed.
"""
import signal

import pytest

import checklib as cl
import kalib

pytestmark = pytest.mark.ours_only     # 2.2.7 has no heartbeat and no recording backend
topo = cl.topo
rec = cl.rec

N_RS = 2500
VIP = '10.0.0.1'
STARTED = r'Starting Healthcheck child process, pid=(\d+)'
NOT_RESPONDING = r'Healthcheck child process\(\d+\) is not responding: killing it'


def rs_addr(i):
    return f'10.1.{i // 250}.{i % 250 + 1}'


def config(weight):
    """One virtual server, N_RS real servers without checkers (up from the start)."""
    servers = [cl.rs(rs_addr(i), 80, extra=f'        weight {weight}\n') for i in range(N_RS)]
    return cl.conf(cl.vs(VIP, 80, *servers))


def dests(rec, cmd, since=0):
    """The distinct servers cmd succeeded for (after since)."""
    return {op['dest']['addr'] for op in rec.find(cmd, since) if 'err' not in op}


def wait_all(d, rec, cmd, since=0, timeout=60):
    """Until cmd succeeded for every server; fails at once if a child was killed meanwhile."""
    def look():
        if d.search(NOT_RESPONDING):
            raise AssertionError(f'killed while programming IPVS:\n{d.tail()}')
        return len(dests(rec, cmd, since)) == N_RS
    kalib.wait_for(look, timeout, f'{N_RS} {cmd}', interval=0.2)


@pytest.fixture
def slow(monkeypatch):
    def set_delay(us):
        monkeypatch.setenv('KEEPALIVED_IPVS_RECORD_DELAY_US', str(us))
    return set_delay


def test_slow_ipvs_start_and_reload_not_killed(topo, tmp_path, rec, slow, start_daemon):
    """2500 servers at 5 ms each: 12.5 s of start-up, and of reload, without a kill."""
    slow(5000)
    conf = tmp_path / 'keepalived.conf'
    conf.write_text(config(1))
    d = start_daemon(conf)
    child = int(d.wait_log(STARTED, timeout=10)[1])
    wait_all(d, rec, 'NEW_DEST')
    assert all(op['dest']['weight'] == 1 for op in rec.find('NEW_DEST'))
    assert not d.search(NOT_RESPONDING), d.tail()
    assert d.check_pid() == child and kalib.alive(child)
    assert len(rec.find('NEW_SERVICE')) == 1
    # a reload changing every weight: one SET_DEST each, as long again
    conf.write_text(config(2))
    mark, rmark = d.mark(), rec.mark()
    d.signal(signal.SIGHUP)
    wait_all(d, rec, 'SET_DEST', rmark)
    d.wait_log(r'Reload complete', since=mark, timeout=10)
    assert all(op['dest']['weight'] == 2 for op in rec.find('SET_DEST', rmark))
    assert not d.search(NOT_RESPONDING), d.tail()
    assert d.check_pid() == child and kalib.alive(child)
    assert not d.search(STARTED, since=mark)


def test_child_stopped_while_programming_is_killed(topo, tmp_path, rec, slow, start_daemon):
    """The heartbeat comes from the work itself: a child stopped inside it is killed."""
    slow(1000)
    conf = tmp_path / 'keepalived.conf'
    conf.write_text(config(1))
    d = start_daemon(conf)
    child = int(d.wait_log(STARTED, timeout=10)[1])
    rec.wait('NEW_DEST', timeout=10)
    mark, rmark = d.mark(), rec.mark()
    kalib.kill(child, signal.SIGSTOP)
    d.wait_log(rf'Healthcheck child process\({child}\) is not responding: killing it',
               timeout=15, since=mark)
    assert len(dests(rec, 'NEW_DEST')) < N_RS, 'it finished before it was stopped'
    new = int(d.wait_log(STARTED, since=mark, timeout=10)[1])
    assert new != child
    # the new child (a new recorder: an empty table) programs the whole table again
    kalib.wait_for(lambda: len(dests(rec, 'NEW_DEST', rmark)) == N_RS, 30, f'{N_RS} NEW_DEST',
                   interval=0.2)
    assert kalib.alive(new)
