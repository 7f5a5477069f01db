# SPDX-License-Identifier: GPL-2.0-or-later
"""A kernel without ip_vs (this host), and no recording file: keepalived 2.2.7's checker
exits FATAL and the parent stops everything, VRRP included. Ours logs it once, keeps the
VRRP instance running, and still runs the checks and their notify scripts."""
import os
import re
import signal

import pytest

import checklib as cl

pytestmark = pytest.mark.ours_only     # 2.2.7 exits (spec 4.6)
topo = cl.topo                 # fixture: a two-host topology

B = '192.0.2.2'
VRRP = '''
vrrp_instance VI_1 {
    state MASTER
    interface eth0
    virtual_router_id 51
    priority 150
    advert_int 1
    virtual_ipaddress {
        192.0.2.100/24
    }
}
'''


@pytest.fixture
def no_record(monkeypatch):
    monkeypatch.delenv('KEEPALIVED_IPVS_RECORD', raising=False)


def test_no_ipvs_keeps_running(topo, tmp_path, no_record, start_daemon):
    if os.path.exists('/proc/net/ip_vs'):
        pytest.skip('this kernel has ip_vs')
    srv = cl.TcpListener(topo.host('b'), B, 8080, tmp_path).start()
    note = cl.MiscScript(tmp_path, 'note.sh')
    rs = cl.rs(B, 8080, cl.tcp_check(retry=0),
               extra=f'        notify_up "{note.path} up"\n'
                     f'        notify_down "{note.path} down"\n')
    conf = tmp_path / 'keepalived.conf'
    conf.write_text(cl.conf(cl.vs('10.0.0.1', 80, rs)) + VRRP)
    d = start_daemon(conf)
    d.wait_log(r'\(VI_1\) Entering MASTER STATE', timeout=10)
    d.wait_log(r'IPVS: Can\'t initialize ipvs: ', timeout=10)
    d.wait_log(r'IPVS is not available: health checks, notify and quorum scripts run; '
               r'nothing is programmed')
    d.wait_log(r'TCP connection to \[192\.0\.2\.2\]:tcp:8080 success\.', timeout=10)
    mark = d.mark()
    srv.stop()
    d.wait_log(r'TCP_CHECK on service \[192\.0\.2\.2\]:tcp:8080 failed\.', timeout=10,
               since=mark)
    note.wait_calls(1)
    assert note.calls() == [['down']]
    srv.start()
    note.wait_calls(2)
    assert note.calls() == [['down'], ['up']]
    # a reload does not repeat the two lines; the checker child is still the first one
    pid = d.check_pid()
    mark = d.mark()
    d.signal(signal.SIGHUP)
    d.wait_log(r'Reload complete', since=mark, timeout=10)
    # the parent's one line, once both children have reloaded (it was one in each child)
    text = d.text(mark)
    assert len(re.findall(r': Reloading$', text, re.M)) == 2, text
    assert text.count('Reload complete') == 1, text
    assert d.check_pid() == pid, 'the checker child was restarted'
    assert len(re.findall(r"IPVS: Can't initialize ipvs", d.text())) == 1
    assert len(re.findall(r'IPVS is not available', d.text())) == 1
    assert topo.has_addr('a', '192.0.2.100'), 'VRRP lost its VIP'
    assert not d.search(r'exited with permanent error|Terminating')


def test_record_file_not_written_through_a_planted_symlink(topo, tmp_path, monkeypatch,
                                                           start_daemon):
    """KEEPALIVED_IPVS_RECORD is written as root: like the log file, a symlink another user
    planted there is replaced, and the file it points to is left alone."""
    victim = tmp_path / 'victim'
    victim.write_text('precious\n')
    os.chmod(tmp_path, 0o1777)
    link = tmp_path / 'ipvs.jsonl'
    link.symlink_to(victim)
    os.lchown(link, 65534, 65534)          # nobody's symlink
    monkeypatch.setenv('KEEPALIVED_IPVS_RECORD', str(link))
    srv = cl.TcpListener(topo.host('b'), B, 8080, tmp_path).start()
    conf = tmp_path / 'keepalived.conf'
    conf.write_text(cl.conf(cl.vs('10.0.0.1', 80, cl.rs(B, 8080, cl.tcp_check(retry=0)))))
    d = start_daemon(conf)
    d.wait_log(r'TCP connection to \[192\.0\.2\.2\]:tcp:8080 success\.', timeout=10)
    assert victim.read_text() == 'precious\n'
    assert not link.is_symlink()
    assert '"cmd":"NEW_DEST"' in link.read_text()
    srv.stop()
