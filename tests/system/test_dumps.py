# SPDX-License-Identifier: GPL-2.0-or-later
"""The dumps monitoring tools read (issue 15, item 1): keepalived.data (SIGUSR1),
keepalived.stats (SIGUSR2) and keepalived.json (--signum=JSON).

One run of the daemon under test and one of Debian's keepalived 2.2.7, each alone in a
namespace of its own with the same config and the same state: two instances MASTER in a
sync group (one IPv6), one in FAULT (a tracked file), one BACKUP to a master that this
test plays (adverts from host b). Both get the three signals; their files must be the
same once what cannot be (times, fds, link-local addresses, MACs, advert counts) is
normalised and the lines 2.2.7 has for what we do not have are dropped (keepalived(8),
DUMPS). Then keepalived-exporter's parsing rules (mehdy/keepalived-exporter,
internal/collector/parser.go, re-written here) read ours and find what a user would
see on a dashboard: each instance's state, VIPs, counters, script status.
"""
import json
import os
import re
import shutil
import signal
import threading

import pytest

import kalib
from conftest import SANITIZER_RE
from kalib import wait_for

CONF = '''
global_defs {
    router_id kt_dump
    enable_script_security
    script_user root
}
vrrp_script chk_unused {
    script "/bin/true"
    interval 1
    weight 10
}
vrrp_script chk_up {
    script "/bin/true"
    interval 1
}
track_file tf_fault {
    file DIR/track_fault
}
vrrp_sync_group SG1 {
    group {
        VI_1
        VI_2
    }
}
vrrp_instance VI_1 {
    state MASTER
    interface eth0
    virtual_router_id 51
    priority 150
    advert_int 1
    virtual_ipaddress {
        192.0.2.100/24
        192.0.2.101
    }
    virtual_ipaddress_excluded {
        198.51.100.7/32 dev eth0
    }
    track_script {
        chk_unused
    }
}
vrrp_instance VI_2 {
    state BACKUP
    interface eth0
    virtual_router_id 52
    priority 100
    advert_int 1
    version 3
    virtual_ipaddress {
        2001:db8::64/64
    }
}
vrrp_instance VI_3 {
    state BACKUP
    interface eth0
    virtual_router_id 53
    priority 90
    advert_int 1
    authentication {
        auth_type PASS
        auth_pass secret
    }
    virtual_ipaddress {
        192.0.2.103/24 label eth0:vi3
    }
    track_script {
        chk_up
    }
    track_file {
        tf_fault weight 0
    }
    notify "/bin/true notify"
}
vrrp_instance VI_4 {
    state BACKUP
    interface eth0
    virtual_router_id 54
    priority 100
    advert_int 1
    virtual_ipaddress {
        192.0.2.104/24
    }
}
'''
PEER_PRIO = 200     # host b's adverts for VRID 54: VI_4 stays BACKUP to it


class Run:
    """One daemon with the test config in a topology of its own; its dumps in self.dir."""

    def __init__(self, binary, base, name):
        self.dir = base / name
        self.dir.mkdir()
        (self.dir / 'track_fault').write_text('1\n')    # weight 0, non-zero: FAULT
        conf = self.dir / 'ka.conf'
        conf.write_text(CONF.replace('DIR', str(self.dir)))
        self.topo = kalib.Topology(('a', 'b'))
        self.daemon = kalib.Daemon(binary, self.topo.host('a'), conf, self.dir, name='ka')
        self.binary = binary

    def start(self):
        # no *_dump_file keywords (2.2.7 has none): $TMPDIR is where both write
        old = os.environ.get('TMPDIR')
        os.environ['TMPDIR'] = str(self.dir)
        try:
            self.daemon.start()
        finally:
            if old is None:
                del os.environ['TMPDIR']
            else:
                os.environ['TMPDIR'] = old

    def advert(self):
        """Host b's advert for VI_4, as the master it listens to."""
        payload = kalib.vrrp_packet(version=2, vrid=54, priority=PEER_PRIO,
                                    addrs=['192.0.2.104'], advert_cs=100)
        return kalib.ipv4_packet(self.topo.addr4['b'], '224.0.0.18', payload)

    def dump(self, sig, name, line):
        """Send sig to the parent; the file (written after the line is logged)."""
        path = self.dir / name
        before = path.stat().st_mtime_ns if path.exists() else None
        mark = self.daemon.mark()
        self.daemon.signal(sig)
        self.daemon.wait_log(line, since=mark)
        wait_for(lambda: path.exists() and path.stat().st_mtime_ns != before and
                 path.read_text().endswith('\n'), 5, f'{name} written')
        return path.read_text()

    def stop(self):
        """Ours stops gracefully (a sanitizer build then reports leaks); 2.2.7 is killed.
        Returns a sanitizer report found in the log, or None."""
        if self.binary == kalib.DEBIAN:
            self.daemon.kill_tree()
        else:
            self.daemon.stop()
        self.topo.destroy()
        text = self.daemon.text()
        return text[-3000:] if SANITIZER_RE.search(text) else None


def jsonsig(binary):
    r = kalib.run_binary(binary, ['--signum=JSON'])
    return int(json.loads(r.stdout))    # keepalived-exporter parses it as JSON


@pytest.fixture(scope='module')
def dumps(tmp_path_factory, request):
    """{'ours': {...}, 'ref': {...}}: each run's data, stats and json texts (ref: None
    without Debian's keepalived)."""
    binary = kalib.find_binary()
    if not binary:
        pytest.fail('no daemon binary')
    base = tmp_path_factory.mktemp('dumps')
    runs = {'ours': Run(binary, base, 'ours')}
    if os.path.exists(kalib.DEBIAN):
        runs['ref'] = Run(kalib.DEBIAN, base, 'ref')
    stop = threading.Event()
    injectors = {}
    try:
        for r in runs.values():
            r.start()
            injectors[r] = kalib.Injector(r.topo.host('b'))

        def peer():         # the master VI_4 hears, every 0.5 s until the end
            while not stop.is_set():
                for r, inj in injectors.items():
                    inj.send(r.advert())
                stop.wait(0.5)
        t = threading.Thread(target=peer, daemon=True)
        t.start()
        out = {}
        for key, r in runs.items():
            d = r.daemon
            for i in (1, 2):
                d.wait_log(rf'\(VI_{i}\) Entering MASTER STATE', timeout=15)
            d.wait_log(r'\(VI_3\).* FAULT', timeout=10)
            child = int(kalib.read_pid(d.vrrp_pidfile))
            # VI_4 heard the master: its adverts are counted (the stats dump says so)
            wait_for(lambda: re.search(r'VRRP Instance: VI_4\n  Advertisements:\n'
                                       r'    Received: [1-9]',
                                       r.dump(signal.SIGUSR2, 'keepalived.stats',
                                              rf'Printing VRRP stats for process\({child}\)')),
                     10, 'VI_4 counts the adverts it hears')
            out[key] = {
                'data': r.dump(signal.SIGUSR1, 'keepalived.data',
                               rf'Printing VRRP data for process\({child}\)'),
                'stats': r.dump(signal.SIGUSR2, 'keepalived.stats',
                                rf'Printing VRRP stats for process\({child}\)'),
                'json': r.dump(jsonsig(r.binary), 'keepalived.json',
                               rf'Printing VRRP as json for process\({child}\)'),
                'parent': (r.dir / 'keepalived_parent.data').read_text(),
                'dir': r.dir,
            }
        out.setdefault('ref', None)
        yield out
    except Exception:
        for r in runs.values():
            print(f'--- {r.daemon.log}\n{r.daemon.tail(60)}')
        raise
    finally:
        stop.set()
        for r, inj in injectors.items():
            inj.close()
        reports = [x for x in (r.stop() for r in runs.values()) if x]
        shutil.rmtree(base, ignore_errors=True)
        if reports:
            pytest.fail('sanitizer report in daemon log:\n' + '\n'.join(reports))


# ---- normalising: what cannot be the same between two runs, and 2.2.7's own lines ----

ONLY_227 = re.compile(
    r'^ libnftnl version |^ BFD |^   Reset ARP config counter |^   Original arp_|'
    r'^   Original promote_secondaries |^   Reset promote_secondaries counter |'
    r'^   Not IPv6 forwarding')


def norm_data(text, run_dir):
    out = []
    for line in text.splitlines():
        if ONLY_227.search(line):
            continue
        line = line.replace(str(run_dir), 'DIR')
        line = re.sub(r'= \d+\.\d{6} \(.*\)$', '= TIME', line)       # Last transition, Read timeout
        line = re.sub(r'fd_in \d+,? fd_out (= )?\d+', 'fd_in FD fd_out FD', line)
        line = re.sub(r'fe80::[0-9a-f:]+', 'fe80::LL', line)
        line = re.sub(r'MAC = ([0-9a-f]{2}:){5}[0-9a-f]{2}', 'MAC = M', line)
        out.append(line)
    return out


def stats_blocks(text):
    """2.2.7's part of a stats file: the instance blocks, as lines."""
    lines = text.splitlines()
    end = next((i for i, l in enumerate(lines) if l.startswith(('VRRP socket:', 'VRRP child'))),
               len(lines))
    return lines[:end]


def test_data_dump_matches_keepalived(dumps):
    """SIGUSR1: the same keepalived.data as Debian's keepalived, section by section."""
    if not dumps['ref']:
        pytest.skip(f'{kalib.DEBIAN} not installed')
    ours = norm_data(dumps['ours']['data'], dumps['ours']['dir'])
    ref = norm_data(dumps['ref']['data'], dumps['ref']['dir'])
    assert ours == ref, '\n'.join(
        __import__('difflib').unified_diff(ref, ours, 'keepalived 2.2.7', 'ours', lineterm=''))
    # the parent's file: 2.2.7's global definitions (ours adds its children after them);
    # 2.2.7's parent shows the lower priority GARP settings unresolved (4294967295)
    op, rp = ([l for l in norm_data(dumps[k]['parent'], dumps[k]['dir'])
               if not l.startswith(' Gratuitous ARP lower priority')] for k in ('ours', 'ref'))
    assert op[:len(rp)] == rp
    if kalib.find_binary() != kalib.DEBIAN:     # under KA_REFERENCE both are 2.2.7's
        assert op[len(rp)].startswith('------< Parent process(')


def test_stats_and_json_match_keepalived(dumps):
    """SIGUSR2 and JSON: 2.2.7's lines and members, the same counters (advert counts
    aside: they grow with time)."""
    if not dumps['ref']:
        pytest.skip(f'{kalib.DEBIAN} not installed')
    counts = re.compile(r'^(    (Received|Sent)): \d+$')
    ours, ref = ([counts.sub(r'\1: N', l) for l in stats_blocks(dumps[k]['stats'])]
                 for k in ('ours', 'ref'))
    assert ours == ref
    oj, rj = (json.loads(dumps[k]['json']) for k in ('ours', 'ref'))
    for doc in (oj, rj):
        for v in doc:
            del v['data']['last_transition']
            v['stats']['advert_rcvd'] = bool(v['stats']['advert_rcvd'])
            v['stats']['advert_sent'] = bool(v['stats']['advert_sent'])
    assert oj == rj
    assert dumps['ours']['json'].count('\n') == 1, 'one line, as 2.2.7 writes it'


# ---- keepalived-exporter's parsers (internal/collector/parser.go), rule for rule ----

STATES = ['INIT', 'BACKUP', 'MASTER', 'FAULT']


class ParseError(Exception):
    pass


def go_atoi(s):
    if not re.fullmatch(r'[+-]?\d+', s):
        raise ParseError(f'strconv.Atoi: parsing {s!r}: invalid syntax')
    return int(s)


def parse_vrrp_data(text):
    """ParseVRRPData: ' VRRP Instance = X' opens an instance; '   Key = val' (or ':')
    lines fill it; '     ...' continues the last key (VIP lists); other lines close it."""
    data, inst, key = {}, '', ''
    for l in text.split('\n'):
        if l.startswith(' VRRP Instance') and '=' in l:
            inst = l.strip().split('=')[1].strip()
            data[inst] = {'iname': inst, 'vips': [], 'evips': []}
        elif l.startswith('   ') and inst:
            if l.startswith('     '):
                val = l.strip()
            else:
                if '=' in l:
                    args = l.strip().split('=')
                elif ':' in l:
                    args = l.strip().split(':')
                else:
                    continue
                key = args[0].strip()
                if key == 'Virtual IP':
                    continue
                val = args[1].strip()
            d = data[inst]
            if (key.startswith('Virtual IP (') or key == 'Virtual IP') and val:
                d['vips'].append(val.strip())
            if key.startswith('Virtual IP Excluded') and val:
                d['evips'].append(val.strip())
            if key in ('State', 'Wantstate'):
                if val not in STATES:
                    raise ParseError(f'unknown {key.lower()} found: {val}')
                d['state' if key == 'State' else 'wantstate'] = STATES.index(val)
            elif key in ('Interface', 'Listening device'):
                d['intf'] = val
            elif key == 'Gratuitous ARP delay':
                d['garp_delay'] = go_atoi(val)
            elif key == 'Virtual Router ID':
                d['vrid'] = go_atoi(val)
        elif l.startswith((' VRRP Version', ' VRRP Script')):
            continue
        else:
            inst = ''
    return data


def parse_vrrp_scripts(text):
    """ParseVRRPScript: ' VRRP Script = X', then its '   Status = ' and '   State = '."""
    scripts, cur = [], None
    for l in text.split('\n'):
        if l.startswith(' VRRP Script') and '=' in l:
            if cur:
                scripts.append(cur)
            cur = {'name': l.strip().split('=')[1].strip()}
        elif l.startswith('   ') and cur:
            if '=' not in l:
                continue
            k, v = (x.strip() for x in l.strip().split('=')[:2])
            if k in ('Status', 'State'):
                cur[k.lower()] = v
        elif not l.startswith('    '):
            if cur:
                scripts.append(cur)
            cur = None
    if cur:
        scripts.append(cur)
    return scripts


STATS_KEYS = {
    ('Advertisements', 'Received'): 'advert_rcvd', ('Advertisements', 'Sent'): 'advert_sent',
    ('Packet Errors', 'Length'): 'packet_len_err', ('Packet Errors', 'TTL'): 'ip_ttl_err',
    ('Packet Errors', 'Invalid Type'): 'invalid_type_rcvd',
    ('Packet Errors', 'Advertisement Interval'): 'advert_interval_err',
    ('Packet Errors', 'Address List'): 'addr_list_err',
    ('Authentication Errors', 'Invalid Type'): 'invalid_authtype',
    ('Authentication Errors', 'Type Mismatch'): 'authtype_mismatch',
    ('Authentication Errors', 'Failure'): 'auth_failure',
    ('Priority Zero', 'Received'): 'pri_zero_rcvd', ('Priority Zero', 'Sent'): 'pri_zero_sent',
    ('', 'Became master'): 'become_master', ('', 'Released master'): 'release_master',
}


def parse_stats(text):
    """ParseStats: 'VRRP Instance: X'; '  Section:'; '    Key: N' in it; '  Key: N'. Every
    value of those shapes must be an integer (the exporter gives up on the file if not)."""
    stats, inst, section = {}, '', ''
    for l in text.split('\n'):
        if l.startswith('VRRP Instance') and ':' in l:
            inst = l.strip().split(':')[1].strip()
            stats[inst] = {}
        elif l.startswith('  ') and l.endswith(':'):
            section = l.strip().split(':')[0].strip()
        elif l.startswith('    ') and section:
            sp = l.strip().split(':')
            if len(sp) < 2:
                raise ParseError(f'index out of range: {l!r}')
            name = STATS_KEYS.get((section, sp[0].strip()))
            value = go_atoi(sp[1].strip())
            if name:
                stats[inst][name] = value
        elif l.startswith('  ') and not l.endswith(':') and not l.startswith('    '):
            sp = l.strip().split(':')
            section = ''
            if len(sp) < 2:
                raise ParseError(f'index out of range: {l!r}')
            value = go_atoi(sp[1].strip())
            name = STATS_KEYS.get(('', sp[0].strip()))
            if name:
                stats[inst][name] = value
    return stats


GO_INT = {'state', 'wantstate', 'garp_delay', 'vrid'}
GO_STR = {'iname', 'ifp_ifname'}


def parse_json(text):
    """ParseJSON: encoding/json into []VRRP{Data, Stats}: a member the exporter maps must
    have its Go type (an int member holding 5.0 or true fails the whole document)."""
    doc = json.loads(text)
    out = []
    for v in doc:
        d, s = v['data'], v['stats']
        for k in GO_INT:
            if k in d and (type(d[k]) is not int):
                raise ParseError(f'cannot unmarshal {d[k]!r} into int ({k})')
        for k in GO_STR:
            if k in d and type(d[k]) is not str:
                raise ParseError(f'cannot unmarshal {d[k]!r} into string ({k})')
        for k in ('vips', 'evips'):
            if k in d and not all(type(x) is str for x in d[k]):
                raise ParseError(f'{k}: not a list of strings')
        for k, x in s.items():
            if type(x) is not int:
                raise ParseError(f'cannot unmarshal {x!r} into int ({k})')
        out.append(v)
    return out


def parse_vip(vip):
    """ParseVIP: '192.0.2.100/24 dev eth0 scope global set' -> ('192.0.2.100/24', 'eth0')."""
    args = vip.split(' ')
    return (args[0], args[2]) if len(args) >= 3 else None


def vrrp_state_metrics(datas):
    """keepalived_vrrp_state{iname, intf, vrid, ip_address}: one per VIP, the state."""
    m = {}
    for d in datas:
        for vip in d.get('vips') or []:
            ip, intf = parse_vip(vip)
            m[(d['iname'], intf, str(d['vrid']), ip)] = d['state']
        if not d.get('vips'):
            m[(d['iname'], d.get('intf', d.get('ifp_ifname')), str(d['vrid']), '')] = d['state']
    return m


EXPECTED_STATE = {
    ('VI_1', 'eth0', '51', '192.0.2.100/24'): 2,
    ('VI_1', 'eth0', '51', '192.0.2.101'): 2,
    ('VI_2', 'eth0', '52', '2001:db8::64/64'): 2,
    ('VI_3', 'eth0', '53', '192.0.2.103/24'): 3,
    ('VI_4', 'eth0', '54', '192.0.2.104/24'): 1,
}


@pytest.mark.parametrize('who', ['ours', 'ref'])
def test_exporter_parsers_read_dumps(dumps, who):
    """keepalived-exporter's text mode (keepalived.data + keepalived.stats) and its JSON
    mode read the same states, VIPs and counters from our files (and from 2.2.7's: the
    parsers here are the exporter's, not tuned to ours)."""
    if not dumps[who]:
        pytest.skip(f'{kalib.DEBIAN} not installed')
    got = dumps[who]
    data = parse_vrrp_data(got['data'])
    stats = parse_stats(got['stats'])
    assert sorted(data) == sorted(stats) == ['VI_1', 'VI_2', 'VI_3', 'VI_4'], \
        'the exporter pairs data and stats by instance and needs the same set'
    assert vrrp_state_metrics(data.values()) == EXPECTED_STATE
    vi1 = data['VI_1']
    assert (vi1['intf'], vi1['vrid'], vi1['garp_delay'], vi1['wantstate']) == ('eth0', 51, 5, 2)
    assert vi1['vips'] == ['192.0.2.100/24 dev eth0 scope global set',
                           '192.0.2.101 dev eth0 scope global set']
    assert vi1['evips'] == ['198.51.100.7 dev eth0 scope global set']
    assert data['VI_4']['vips'] == ['192.0.2.104/24 dev eth0 scope global'], 'not set: BACKUP'
    assert [(s['name'], s['status'], s['state']) for s in parse_vrrp_scripts(got['data'])] == \
        [('chk_up', 'GOOD', 'idle')], 'chk_unused is not used: 2.2.7 drops it'
    assert stats['VI_1']['become_master'] == 1 and stats['VI_1']['advert_sent'] >= 1
    assert stats['VI_4']['advert_rcvd'] >= 1 and stats['VI_4']['become_master'] == 0
    for name, s in stats.items():
        assert len(s) == len(STATS_KEYS), f'{name}: {sorted(s)}'
        assert not any(v for k, v in s.items() if k.endswith(('_err', '_rcvd', 'authtype',
                                                               'mismatch', 'failure'))
                       and k not in ('advert_rcvd',)), f'{name}: {s}'
    # --ka.json
    js = parse_json(got['json'])
    jdata = [v['data'] for v in js]
    assert vrrp_state_metrics(jdata) == EXPECTED_STATE
    by = {v['data']['iname']: v for v in js}
    assert by['VI_1']['data']['evips'] == vi1['evips']
    assert by['VI_1']['stats']['become_master'] == 1
    assert by['VI_4']['data']['master_priority'] == PEER_PRIO
    assert by['VI_3']['data']['auth_type'] == 1 and by['VI_3']['data']['auth_data'] == 'secret'
    assert (by['VI_1']['data']['garp_delay'], by['VI_1']['data']['vrid']) == (5, 51)


def test_version_and_signum_for_exporters(binary):
    """What keepalived-exporter asks the binary: `--signum=JSON` (parsed as JSON) and
    whether `--version` names --enable-json, which its JSON mode requires."""
    assert jsonsig(binary) == jsonsig(kalib.DEBIAN) if os.path.exists(kalib.DEBIAN) else True
    r = kalib.run_binary(binary, ['--version'])
    assert '--enable-json' in r.stdout + r.stderr
    assert re.match(r'Keepalived v\d+\.\d+\.\d+ ', (r.stdout + r.stderr).split('\n')[0])
