# SPDX-License-Identifier: GPL-2.0-or-later
"""vrrp_strict, accept / no_accept and the nftables firewall, as a user sees them.

Hosts a (192.0.2.1) and b (.2) on one bridge. A master without accept mode
(no_accept, or vrrp_strict below priority 255) owns its addresses but drops
every packet to or from them (RFC 5798 Accept_Mode False): keepalived 2.2.7
does it with nftables tables `ip keepalived` / `ip6 keepalived`, and
`nft list ruleset` must read the same with ours as with Debian's keepalived
2.2.7 (/usr/sbin/keepalived) for the same config, handles aside.
"""
import re
import signal
import socket
from pathlib import Path

import pytest

import kalib
from kalib import holds_for, wait_for

REF = kalib.DEBIAN
VIP4 = '192.0.2.100'


@pytest.fixture
def topo():
    """Hosts a and b (overrides conftest's one-host topo; start_daemon uses it)."""
    t = kalib.Topology(('a', 'b'))
    yield t
    t.destroy()


# ---------------------------------------------------------------- configs

def instance(name, *, prio, vrid, vips, state='BACKUP', version=3, adv=0.1, extra=''):
    body = '\n'.join(f'        {v}' for v in vips)
    more = '\n'.join(f'    {l.strip()}' for l in extra.strip().splitlines())
    return f'''
vrrp_instance {name} {{
    state {state}
    interface eth0
    virtual_router_id {vrid}
    priority {prio}
    advert_int {adv}
    version {version}
{more}
    virtual_ipaddress {{
{body}
    }}
}}
'''


def config(*blocks, global_extra=''):
    return f'''global_defs {{
    router_id kt_strict
{global_extra}
}}
''' + ''.join(blocks)


def v4(prio=200, extra='', vips=(f'{VIP4}/24', '192.0.2.101/24'), **kw):
    return instance('VI_4', prio=prio, vrid=51, vips=vips, extra=extra, **kw)


def v6(prio=200, extra=''):
    # the first VIP link-local, as vrrp_strict wants
    return instance('VI_6', prio=prio, vrid=61, vips=('fe80::61/64', 'fd00::61/64'),
                    extra=extra)


# ---------------------------------------------------------------- nftables

def ruleset(topo, h='a'):
    return kalib.sh('ip', 'netns', 'exec', topo.host(h), 'nft', 'list', 'ruleset').stdout


def tables(text):
    """{'ip keepalived': body, ...}: each table's listing, handles and counts normalised."""
    text = re.sub(r' # handle \d+', '', text)
    text = re.sub(r'counter packets \d+ bytes \d+', 'counter packets 0 bytes 0', text)
    out = {}
    for m in re.finditer(r'^table (\S+ \S+) \{\n(.*?)^\}\n', text, re.M | re.S):
        out[m.group(1)] = m.group(2)
    return out


def has_elements(topo, want, h='a'):
    """Every address of want is in a set of host h's ruleset."""
    text = ruleset(topo, h)
    return all(re.search(rf'elements = \{{[^}}]*\b{re.escape(a)}\b', text) for a in want)


# The ruleset keepalived 2.2.7 builds for a strict master of VI_4 and VI_6 (spec 5.3).
IP4_TABLE = '''\
	set vips {
		type ipv4_addr
		elements = { 192.0.2.100, 192.0.2.101 }
	}

	chain out {
		type filter hook output priority filter - 1; policy accept;
		ip saddr @vips drop
	}

	chain in {
		type filter hook input priority filter - 1; policy accept;
		ip daddr @vips drop
	}
'''
IP6_TABLE = '''\
	set vips {
		type ipv6_addr
		elements = { fd00::61 }
	}

	set neighbor-discovery {
		type icmpv6_type
		flags constant
		elements = { nd-neighbor-solicit,
			     nd-neighbor-advert }
	}

	set vips_link_local {
		type ipv6_addr . iface_index
		elements = { fe80::61 . "eth0" }
	}

	chain out {
		type filter hook output priority filter - 1; policy accept;
		icmpv6 type @neighbor-discovery accept
		ip6 saddr fe80::/10 goto out_link_local
		ip6 saddr @vips drop
	}

	chain in {
		type filter hook input priority filter - 1; policy accept;
		icmpv6 type @neighbor-discovery accept
		ip6 daddr fe80::/10 goto in_link_local
		ip6 daddr @vips drop
	}

	chain in_link_local {
		ip6 daddr . iif @vips_link_local drop
	}

	chain out_link_local {
		ip6 saddr . oif @vips_link_local drop
	}
'''

STRICT = '    vrrp_strict'
CASES = {
    # name: (global_defs lines, instance blocks, table name)
    'strict': (STRICT, lambda: v4() + v6(), 'keepalived'),
    'counters_priority_name': (STRICT + '\n    nftables kt_fw\n    nftables_priority -50\n'
                               '    nftables_counters', lambda: v4() + v6(), 'kt_fw'),
    'no_accept_without_strict': ('', lambda: v4(extra='no_accept') + v6(extra='no_accept'),
                                 'keepalived'),
    'dont_track_primary': (STRICT, lambda: v4() + v6(extra='dont_track_primary'), 'keepalived'),
}


def run_and_list(start_daemon, topo, tmp_path, conf, binary, name):
    """Start binary on conf in a, wait for both masters' sets, list them, stop it."""
    d = start_daemon(conf, name=name, binary=binary)
    d.wait_log(r'\(VI_4\) Entering MASTER STATE', timeout=40)
    d.wait_log(r'\(VI_6\) Entering MASTER STATE', timeout=40)
    wait_for(lambda: has_elements(topo, ('192.0.2.101', 'fd00::61')), 5, 'the drop sets filled')
    text = ruleset(topo)
    d.signal(signal.SIGTERM)
    d.wait_exit(10)
    return d, text


@pytest.mark.interop
@pytest.mark.parametrize('case', CASES)
def test_ruleset_as_keepalived_227(start_daemon, binary, topo, tmp_path, case):
    """The same tables, sets, chains and rules as 2.2.7's, deleted at exit."""
    glob, blocks, table = CASES[case]
    conf = tmp_path / 'ka.conf'
    conf.write_text(config(blocks(), global_extra=glob))
    d, ours = run_and_list(start_daemon, topo, tmp_path, conf, binary, 'ours')
    assert not tables(ruleset(topo)), 'our tables are still there after the stop'
    if not glob:
        d.wait_log(r'use_vmac or no_accept/strict specified, but no firewall configured - '
                   r'using nftables', timeout=1)
    ref, theirs = run_and_list(start_daemon, topo, tmp_path, conf, REF, 'ref')
    assert not tables(ruleset(topo)), "2.2.7's tables are still there after its stop"
    got, want = tables(ours), tables(theirs)
    assert set(want) == {f'ip {table}', f'ip6 {table}'}
    assert got == want
    if case == 'strict':     # and what that is, in case both went wrong the same way
        assert got == {'ip keepalived': IP4_TABLE, 'ip6 keepalived': IP6_TABLE}
    if case == 'counters_priority_name':
        assert 'priority -50; policy accept;' in got['ip kt_fw']
        assert 'ip daddr @vips counter packets 0 bytes 0 drop' in got['ip kt_fw']
    if case == 'dont_track_primary':
        assert 'fe80::61 . "eth0"' in got['ip6 keepalived']
        assert 'ip6 daddr . iifname @vips_link_local_name drop' in got['ip6 keepalived']


def reaches(topo, h, addr, timeout=1.0):
    """A TCP connection attempt from host h to addr:9 gets an answer (a refusal counts)."""
    fam = socket.AF_INET6 if ':' in addr else socket.AF_INET
    s = kalib.netns_socket(topo.host(h), fam, socket.SOCK_STREAM)
    s.settimeout(timeout)
    try:
        s.connect((addr, 9))
        return True
    except ConnectionRefusedError:
        return True
    except OSError:
        return False
    finally:
        s.close()


def start_pair(start_daemon, tmp_path, a_blocks, b_blocks, glob=STRICT):
    (tmp_path / 'a.conf').write_text(config(a_blocks, global_extra=glob))
    (tmp_path / 'b.conf').write_text(config(b_blocks, global_extra=glob))
    a = start_daemon(tmp_path / 'a.conf', name='a', host='a')
    a.wait_log(r'\(VI_4\) Entering MASTER STATE', timeout=40)
    # b after a is master: b is never master, even for a moment (its table would stay)
    b = start_daemon(tmp_path / 'b.conf', name='b', host='b')
    b.wait_log(r'\(VI_4\) Entering BACKUP STATE', timeout=40)
    return a, b


def test_vip_unreachable_without_accept(start_daemon, topo, tmp_path):
    """Strict master a owns the VIP, yet nothing reaches it; the backup has no table."""
    a, b = start_pair(start_daemon, tmp_path, v4(200), v4(100))
    wait_for(lambda: topo.has_addr('a', VIP4), 5, 'the VIP on a')
    assert reaches(topo, 'b', topo.addr4['a']), 'control: a itself is reachable'
    assert not reaches(topo, 'b', VIP4), 'the VIP answered: no drop rule'
    assert tables(ruleset(topo, 'a'))['ip keepalived'] == IP4_TABLE
    assert not tables(ruleset(topo, 'b')), 'a backup has no keepalived table'


@pytest.mark.parametrize('what', ['accept', 'owner'])
def test_accept_or_owner_means_no_rules(start_daemon, topo, tmp_path, what):
    """accept, or priority 255, under vrrp_strict: the VIP answers, no table is made."""
    block = v4(200, extra='accept') if what == 'accept' else v4(255, state='MASTER')
    (tmp_path / 'a.conf').write_text(config(block, global_extra=STRICT))
    a = start_daemon(tmp_path / 'a.conf', name='a')
    a.wait_log(r'\(VI_4\) Entering MASTER STATE', timeout=40)
    wait_for(lambda: topo.has_addr('a', VIP4), 5, 'the VIP on a')
    wait_for(lambda: reaches(topo, 'b', VIP4), 3, 'the VIP reachable')
    assert not tables(ruleset(topo, 'a'))
    assert not a.search(r'firewall drop rule|no firewall configured')


def test_old_table_replaced(start_daemon, topo, tmp_path):
    """Tables of our name left by someone else are deleted first, with 2.2.7's lines."""
    ns = topo.host('a')
    for fam in ('ip', 'ip6'):
        kalib.sh('ip', 'netns', 'exec', ns, 'nft', 'add', 'table', fam, 'keepalived')
        kalib.sh('ip', 'netns', 'exec', ns, 'nft', 'add', 'chain', fam, 'keepalived', 'left_over')
    (tmp_path / 'a.conf').write_text(config(v4(), global_extra=STRICT))
    a = start_daemon(tmp_path / 'a.conf', name='a')
    a.wait_log(r'Deleting old ip keepalived table', timeout=40)
    a.wait_log(r'Deleting old ip6 keepalived table', timeout=5)
    wait_for(lambda: has_elements(topo, (VIP4,)), 5, 'the drop set filled')
    assert tables(ruleset(topo)) == {'ip keepalived': IP4_TABLE}
    a.signal(signal.SIGTERM)
    a.wait_exit(10)
    assert not tables(ruleset(topo))


VIPS3 = (f'{VIP4}/24', '192.0.2.101/24', '192.0.2.102/24')


def reload_new_vip(a, topo, conf):
    """A strict master a, then by SIGHUP a third VIP: dropped too."""
    a.wait_log(r'\(VI_4\) Entering MASTER STATE', timeout=40)
    wait_for(lambda: has_elements(topo, (VIP4, '192.0.2.101')), 5, 'the drop set filled')
    conf.write_text(config(v4(vips=VIPS3), global_extra=STRICT))
    a.signal(signal.SIGHUP)
    wait_for(lambda: has_elements(topo, ('192.0.2.102',)), 5, 'the new VIP in the drop set')
    wait_for(lambda: topo.has_addr('a', '192.0.2.102'), 5, 'the new VIP on a')
    assert not reaches(topo, 'b', '192.0.2.102')


def test_reload_adds_vip_to_drop_set(start_daemon, topo, tmp_path):
    """SIGHUP adding a VIP to a strict master: it is dropped like the others."""
    conf = tmp_path / 'a.conf'
    conf.write_text(config(v4(), global_extra=STRICT))
    a = start_daemon(conf, name='a')
    reload_new_vip(a, topo, conf)
    words = tables(ruleset(topo))['ip keepalived'].split()     # nft wraps long lists
    assert words == IP4_TABLE.replace('192.0.2.101 }', '192.0.2.101, 192.0.2.102 }').split()


@pytest.mark.ours_only  # keepalived 2.2.7 keeps dropping the VIPs after accept is added
def test_reload_applies_accept(start_daemon, topo, tmp_path):
    """SIGHUP: accept lets the VIPs through at once; no_accept drops them again."""
    conf = tmp_path / 'a.conf'
    conf.write_text(config(v4(), global_extra=STRICT))
    a = start_daemon(conf, name='a')
    reload_new_vip(a, topo, conf)
    vips3 = VIPS3
    conf.write_text(config(v4(vips=vips3, extra='accept'), global_extra=STRICT))
    a.signal(signal.SIGHUP)
    wait_for(lambda: 'elements' not in ruleset(topo), 5, 'the drop set emptied')
    wait_for(lambda: reaches(topo, 'b', VIP4), 3, 'the VIP reachable with accept')
    assert topo.has_addr('a', VIP4)
    conf.write_text(config(v4(vips=vips3, extra='no_accept'), global_extra=STRICT))
    a.signal(signal.SIGHUP)
    wait_for(lambda: has_elements(topo, (VIP4, '192.0.2.101', '192.0.2.102')), 5,
             'the drop set filled again')
    assert not reaches(topo, 'b', VIP4)
    assert a.running()


FORCED = [
    r'\(VI_4\) State MASTER must match being address owner',
    r'\(VI_4\) Strict mode does not support authentication. Ignoring.',
    r'\(VI_4\) preempt_delay is incompatible with strict mode - resetting',
    r'\(VI_4\) down_timer_adverts is incompatible with strict mode - resetting',
    r'\(VI_4\) Strict mode requires no repeat garps. resetting',
    r'\(VI_4\) Strict mode requires no repeat garp delay. resetting',
    r'\(VI_4\) Strict mode requires no lower priority advert. resetting',
    r'\(VI_4\) strict mode requires higher_prio_send_advert to be clear. resetting',
    r'\(VI_4\) warning - accept mode for VRRP version 2 does not comply with RFC3768 - resetting',
]


@pytest.mark.parametrize('which', ['ours', 'debian'])
def test_strict_forced_changes_are_logged(start_daemon, binary, topo, tmp_path, which):
    """What vrrp_strict overrides is logged in keepalived 2.2.7's words, and applied: the
    instance (state MASTER, priority 100) starts as BACKUP and drops its VIP as master."""
    extra = '''
        authentication {
            auth_type PASS
            auth_pass secret
        }
        preempt_delay 2
        down_timer_adverts 5
        garp_lower_prio_repeat 2
        garp_lower_prio_delay 1
        lower_prio_no_advert false
        higher_prio_send_advert true
        accept
    '''
    first_global = instance('VI_7', prio=100, vrid=71, vips=('fd00::71/64', 'fe80::71/64'))
    (tmp_path / 'a.conf').write_text(config(
        v4(100, state='MASTER', version=2, adv=1, extra=extra) + first_global,
        global_extra=STRICT))
    a = start_daemon(tmp_path / 'a.conf', name='a', binary=binary if which == 'ours' else REF)
    for line in FORCED + [r'\(VI_7\) the first IPv6 VIP address must be link local']:
        a.wait_log(line, timeout=40)
    a.wait_log(r'\(VI_4\) Entering BACKUP STATE \(init\)', timeout=10)
    a.wait_log(r'\(VI_4\) Entering MASTER STATE', timeout=10)
    wait_for(lambda: has_elements(topo, (VIP4,)), 5, 'the VIP in the drop set (accept reset)')


@pytest.mark.ours_only  # keepalived 2.2.7 keeps its old tables and names at a reload
def test_reload_renames_the_tables(start_daemon, topo, tmp_path):
    """SIGHUP with another nftables name (and priority): the old tables go, the new ones
    hold the master's addresses, and they go at the stop."""
    conf = tmp_path / 'a.conf'
    conf.write_text(config(v4() + v6(), global_extra=STRICT + '\n    nftables kt_one'))
    a = start_daemon(conf, name='a')
    a.wait_log(r'\(VI_4\) Entering MASTER STATE', timeout=40)
    a.wait_log(r'\(VI_6\) Entering MASTER STATE', timeout=40)
    wait_for(lambda: has_elements(topo, (VIP4, 'fd00::61')), 5, 'the drop sets filled')
    assert set(tables(ruleset(topo))) == {'ip kt_one', 'ip6 kt_one'}
    conf.write_text(config(v4() + v6(), global_extra=STRICT + '\n    nftables kt_two\n'
                           '    nftables_priority -7'))
    a.signal(signal.SIGHUP)
    wait_for(lambda: set(tables(ruleset(topo))) == {'ip kt_two', 'ip6 kt_two'}, 5,
             'the tables renamed')
    got = tables(ruleset(topo))
    assert got['ip kt_two'] == IP4_TABLE.replace('priority filter - 1', 'priority filter - 7')
    assert got['ip6 kt_two'] == IP6_TABLE.replace('priority filter - 1', 'priority filter - 7')
    assert not reaches(topo, 'b', VIP4)
    a.signal(signal.SIGTERM)
    a.wait_exit(10)
    assert not tables(ruleset(topo))


@pytest.mark.ours_only  # keepalived 2.2.7's check of it is dead code: it runs (#2645)
def test_strict_refuses_unicast(start_daemon, topo, tmp_path):
    """vrrp_strict with unicast_peer: 2.2.7's line, and the instance stays in FAULT."""
    uni = f'''unicast_src_ip {topo.addr4["a"]}
        unicast_peer {{
            {topo.addr4["b"]}
        }}'''
    (tmp_path / 'a.conf').write_text(config(v4(extra=uni), global_extra=STRICT))
    a = start_daemon(tmp_path / 'a.conf', name='a')
    a.wait_log(r'\(VI_4\) Unicast peers are not supported in strict mode', timeout=40)
    a.wait_log(r'\(VI_4\) entering FAULT state', timeout=10)
    holds_for(lambda: not topo.has_addr('a', VIP4), 1.0, 'no VIP on a')
    assert not a.search(r'\(VI_4\) Entering MASTER STATE')


@pytest.mark.interop
@pytest.mark.parametrize('ours', ['master', 'backup'])
def test_strict_interop(start_daemon, binary, topo, tmp_path, ours):
    """A strict virtual router of ours and Debian's keepalived 2.2.7, each role: the master
    drops its VIP, the backup has no table; the master stopped, the backup takes over and
    drops it in turn, with the same ruleset."""
    (tmp_path / 'a.conf').write_text(config(v4(200), global_extra=STRICT))
    (tmp_path / 'b.conf').write_text(config(v4(100), global_extra=STRICT))
    a = start_daemon(tmp_path / 'a.conf', name='a', host='a',
                     binary=binary if ours == 'master' else REF)
    a.wait_log(r'\(VI_4\) Entering MASTER STATE', timeout=40)
    # b after a is master: b is never master, even for a moment (its table would stay)
    b = start_daemon(tmp_path / 'b.conf', name='b', host='b',
                     binary=REF if ours == 'master' else binary)
    b.wait_log(r'\(VI_4\) Entering BACKUP STATE', timeout=40)
    wait_for(lambda: has_elements(topo, (VIP4, '192.0.2.101'), 'a'), 5, "a's drop set")
    assert not tables(ruleset(topo, 'b'))
    assert not reaches(topo, 'b', VIP4)
    a.signal(signal.SIGTERM)
    b.wait_log(r'\(VI_4\) Entering MASTER STATE', timeout=10)
    wait_for(lambda: has_elements(topo, (VIP4, '192.0.2.101'), 'b'), 5, "b's drop set")
    assert tables(ruleset(topo, 'b')) == {'ip keepalived': IP4_TABLE}
    assert not reaches(topo, 'a', VIP4)
    a.wait_exit(10)
    assert not tables(ruleset(topo, 'a'))


@pytest.mark.parametrize('which', ['ours', 'debian'])
def test_killed_child_tables_replaced(start_daemon, binary, topo, tmp_path, which):
    """The VRRP child SIGKILLed leaves its tables; the respawned child replaces them
    (2.2.7's "Deleting old ..." lines) and drops the VIPs again: one table per family."""
    (tmp_path / 'a.conf').write_text(config(v4() + v6(), global_extra=STRICT))
    a = start_daemon(tmp_path / 'a.conf', name='a', binary=binary if which == 'ours' else REF)
    a.wait_log(r'\(VI_4\) Entering MASTER STATE', timeout=40)
    a.wait_log(r'\(VI_6\) Entering MASTER STATE', timeout=40)
    wait_for(lambda: has_elements(topo, (VIP4, 'fd00::61')), 5, 'the drop sets filled')
    child = a.vrrp_pid()
    mark = a.mark()
    kalib.kill(child, signal.SIGKILL)
    a.wait_log(r'Deleting old ip keepalived table', timeout=40, since=mark)
    a.wait_log(r'Deleting old ip6 keepalived table', timeout=5, since=mark)
    a.wait_log(r'\(VI_4\) Entering MASTER STATE', timeout=10, since=mark)
    a.wait_log(r'\(VI_6\) Entering MASTER STATE', timeout=10, since=mark)
    wait_for(lambda: has_elements(topo, (VIP4, '192.0.2.101', 'fd00::61')), 5,
             'the drop sets filled again')
    got = tables(ruleset(topo))
    assert [' '.join(got[t].split()) for t in ('ip keepalived', 'ip6 keepalived')] == \
        [' '.join(t.split()) for t in (IP4_TABLE, IP6_TABLE)]
