# SPDX-License-Identifier: GPL-2.0-or-later
"""virtual_routes, virtual_rules, static_ipaddress, static_routes, static_rules, track_group.

Host a (192.0.2.1 on eth0, plus eth1 made by the test) runs one instance alone: it
becomes MASTER after its down timer. What a user sees: the routes and rules in the
kernel with `proto keepalived`, the virtual ones only while MASTER, the static ones
all along, everything gone after a stop; a deleted route or rule puts the instance
back through BACKUP, a deleted static entry comes back with keepalived's log line.
Run against Debian's keepalived with KA_REFERENCE=/usr/sbin/keepalived; `ours_only`
tests expect where 2.2.7 fails (spec vrrp-advanced.md 13.6 and 13.7).
"""
import re
import signal
from pathlib import Path

import pytest

import kalib
from kalib import holds_for, wait_for

VIP = '192.0.2.100'


def config(*, instance_extra='', top='', state='BACKUP', prio=200, iface='eth0',
           vips=(f'{VIP}/24',)):
    body = '\n'.join(f'        {v}' for v in vips)
    return f'''global_defs {{
    router_id kt_routes
    script_user root
    enable_script_security
}}
{top}
vrrp_instance VI_1 {{
    state {state}
    interface {iface}
    virtual_router_id 51
    priority {prio}
    advert_int 0.1
    version 3
    virtual_ipaddress {{
{body}
    }}
{instance_extra}
}}
'''


VROUTES = '''
    virtual_routes {
        172.16.0.0/16 via 192.0.2.2 dev eth0
        172.17.0.0/16 via 192.0.2.2 dev eth0 table 100
        default via 192.0.2.254 dev eth0 table 101
        src 192.0.2.100 172.19.0.0/16 via 192.0.2.2 dev eth0
        172.20.0.0/16 dev eth0 scope link metric 50
        2001:db8:1::/64 via 2001:db8::9 dev eth0 metric 10
    }
    virtual_rules {
        from 192.0.2.100 table 100 priority 100
        to 172.18.0.0/16 table 101
        from 192.0.2.100 to 10.9.0.0/16 fwmark 7 table 100 priority 120
        from 2001:db8::100 table 100 priority 110
        to 2001:db8:9::/48 table 101
    }
'''

STATICS = '''
static_ipaddress {
    192.168.50.1/24 dev eth1
}
static_routes {
    192.168.60.0/24 via 192.168.50.2 dev eth1
}
static_rules {
    from 192.168.50.0/24 table 100 priority 1000
}
'''


def routes(topo, h='a'):
    """Every route of proto keepalived (18), in every table, as `ip route` prints them
    (which leaves the proto out: it is the filter)."""
    out = topo.ip(h, 'route', 'show', 'table', 'all', 'proto', '18').stdout
    out += topo.ip(h, '-6', 'route', 'show', 'table', 'all', 'proto', '18').stdout
    return {l.strip() for l in out.splitlines() if l.strip()}


def routes_multiline(topo, h='a'):
    """The same, a multipath route's nexthop lines joined to it."""
    out = topo.ip(h, 'route', 'show', 'table', 'all', 'proto', '18').stdout
    return {re.sub(r'\s+', ' ', l.strip())
            for l in re.sub(r'\n\s+nexthop', ' nexthop', out).splitlines() if l.strip()}


def rules(topo, h='a'):
    out = topo.ip(h, 'rule', 'show').stdout + topo.ip(h, '-6', 'rule', 'show').stdout
    return {re.sub(r'\s+', ' ', l.strip()) for l in out.splitlines() if 'proto keepalived' in l}


VIRTUAL_ROUTES = {
    '172.16.0.0/16 via 192.0.2.2 dev eth0',
    '172.17.0.0/16 via 192.0.2.2 dev eth0 table 100',
    'default via 192.0.2.254 dev eth0 table 101',
    '172.19.0.0/16 via 192.0.2.2 dev eth0 src 192.0.2.100',
    '172.20.0.0/16 dev eth0 scope link metric 50',
    '2001:db8:1::/64 via 2001:db8::9 dev eth0 metric 10 pref medium',
}
VIRTUAL_RULES = {
    '100: from 192.0.2.100 lookup 100 proto keepalived',
    '120: from 192.0.2.100 to 10.9.0.0/16 fwmark 0x7 lookup 100 proto keepalived',
    '16384: from all to 172.18.0.0/16 lookup 101 proto keepalived',
    '110: from 2001:db8::100 lookup 100 proto keepalived',
    '16384: from all to 2001:db8:9::/48 lookup 101 proto keepalived',
}
STATIC_ROUTES = {'192.168.60.0/24 via 192.168.50.2 dev eth1'}
STATIC_RULES = {'1000: from 192.168.50.0/24 lookup 100 proto keepalived'}


@pytest.fixture
def eth1(topo):
    topo.add_link('a', 'eth1')
    return 'eth1'


@pytest.fixture
def run(start_daemon, tmp_path):
    """run(text, name='ka') -> a started daemon with that config."""
    def start(text, name='ka', **kw):
        path = tmp_path / f'{name}.conf'
        path.write_text(text)
        return start_daemon(str(path), name=name, **kw)
    return start


def has_static_addr(topo):
    return ('eth1', '192.168.50.1/24') in topo.addrs_by_dev('a')


def test_virtual_and_static_routes_and_rules(topo, eth1, run):
    """Virtual routes/rules only while MASTER, statics all along (before the instance
    starts: its BACKUP line comes after), all with proto keepalived, all gone at stop."""
    d = run(config(instance_extra=VROUTES, top=STATICS))
    d.wait_log(r'\(VI_1\) Entering MASTER STATE', timeout=5)
    wait_for(lambda: routes(topo) >= VIRTUAL_ROUTES | STATIC_ROUTES, 3, 'routes')
    wait_for(lambda: rules(topo) == VIRTUAL_RULES | STATIC_RULES, 3, 'rules')
    assert routes(topo) == VIRTUAL_ROUTES | STATIC_ROUTES
    assert has_static_addr(topo)
    assert d.search(r'Rule has no preference specified - setting to 16384\. '
                    r'This is probably not what you want\.')
    d.stop()
    assert routes(topo) == set()
    assert rules(topo) == set()
    assert not has_static_addr(topo)
    assert not topo.has_addr('a', VIP)


@pytest.mark.parametrize('what', ['route', 'rule'])
def test_deleted_virtual_route_or_rule_backup_then_master_again(topo, run, what):
    """A tracked virtual route (or rule) deleted by hand: the master goes BACKUP with a
    priority 0 advert, removes the rest, and takes over again at once (skew time)."""
    d = run(config(instance_extra=VROUTES))
    d.wait_log(r'\(VI_1\) Entering MASTER STATE', timeout=5)
    wait_for(lambda: routes(topo) == VIRTUAL_ROUTES and rules(topo) == VIRTUAL_RULES, 3,
             'virtual routes and rules')
    m = d.mark()
    if what == 'route':
        topo.ip('a', 'route', 'del', '172.16.0.0/16', 'via', '192.0.2.2', 'dev', 'eth0')
    else:
        topo.ip('a', 'rule', 'del', 'priority', '100')
    d.wait_log(r'\(VI_1\) Entering BACKUP STATE', timeout=3, since=m)
    d.wait_log(r'\(VI_1\) Entering MASTER STATE', timeout=3, since=m)
    text = d.text(since=m)
    assert text.index('Entering BACKUP STATE') < text.index('Entering MASTER STATE')
    wait_for(lambda: routes(topo) == VIRTUAL_ROUTES and rules(topo) == VIRTUAL_RULES, 3,
             'virtual routes and rules back')
    print(text)



def test_deleted_statics_restored(topo, eth1, run):
    """A static route, rule or address deleted by hand comes back, with 2.2.7's lines."""
    d = run(config(instance_extra=VROUTES, top=STATICS))
    d.wait_log(r'\(VI_1\) Entering MASTER STATE', timeout=5)
    wait_for(lambda: rules(topo) == VIRTUAL_RULES | STATIC_RULES, 3, 'rules')
    m = d.mark()
    topo.ip('a', 'route', 'del', '192.168.60.0/24')
    d.wait_log(r'Restoring deleted static route prepend 192\.168\.60\.0/24 via inet '
               r'192\.168\.50\.2 dev eth1 proto 18$', timeout=3, since=m)
    wait_for(lambda: routes(topo) == VIRTUAL_ROUTES | STATIC_ROUTES, 3, 'static route back')
    topo.ip('a', 'rule', 'del', 'priority', '1000')
    d.wait_log(r'Restoring deleted static rule from 192\.168\.50\.0/24 priority 1000 tos 0x0 '
               r'protocol 18 lookup 100$', timeout=3, since=m)
    wait_for(lambda: rules(topo) == VIRTUAL_RULES | STATIC_RULES, 3, 'static rule back')
    topo.ip('a', 'addr', 'del', '192.168.50.1/24', 'dev', 'eth1')
    d.wait_log(r'Restoring deleted static address 192\.168\.50\.1/24 dev eth1 scope global set$',
               timeout=3, since=m)
    wait_for(lambda: has_static_addr(topo), 3, 'static address back')
    # the instance is not disturbed by any of it
    assert not d.search(r'Entering BACKUP STATE', since=m)


@pytest.mark.ours_only  # 2.2.7 leaves out the static routes the kernel removed with the address
def test_static_route_back_with_its_address(topo, eth1, run):
    d = run(config(top=STATICS))
    d.wait_log(r'\(VI_1\) Entering MASTER STATE', timeout=5)
    wait_for(lambda: routes(topo) == STATIC_ROUTES, 3, 'static route')
    m = d.mark()
    topo.ip('a', 'addr', 'del', '192.168.50.1/24', 'dev', 'eth1')
    d.wait_log(r'Restoring deleted static address', timeout=3, since=m)
    wait_for(lambda: routes(topo) == STATIC_ROUTES, 3, 'static route back')
    d.wait_log(r'Restoring deleted static route prepend 192\.168\.60\.0/24', since=m)


@pytest.mark.ours_only  # 2.2.7 adds statics after the instances looked: FAULT for good (#2695)
def test_static_address_before_instances(topo, eth1, run):
    """The instance's interface has no IPv4 address but a static one: it runs."""
    d = run(config(iface='eth1', vips=('192.168.50.100/24',),
                   top='static_ipaddress {\n    192.168.50.1/24 dev eth1\n}\n'))
    d.wait_log(r'\(VI_1\) Entering MASTER STATE', timeout=5)
    assert not d.search(r'FAULT')
    assert ('eth1', '192.168.50.100/24') in topo.addrs_by_dev('a')


@pytest.mark.ours_only  # 2.2.7's VRRP child dies of SIGSEGV on it (fixed upstream f46327dc)
def test_static_default_route_with_route_tracking(topo, eth1, run):
    """A static default route while routes are watched: deleted, it comes back."""
    top = STATICS.replace('192.168.60.0/24 via 192.168.50.2 dev eth1',
                          'default via 192.168.50.2 dev eth1 table 200')
    d = run(config(instance_extra=VROUTES, top=top))
    d.wait_log(r'\(VI_1\) Entering MASTER STATE', timeout=5)
    default = 'default via 192.168.50.2 dev eth1 table 200'
    wait_for(lambda: default in routes(topo), 3, 'static default route')
    m = d.mark()
    topo.ip('a', 'route', 'del', 'default', 'table', '200')
    d.wait_log(r'Restoring deleted static route prepend default via inet 192\.168\.50\.2 '
               r'dev eth1 table 200 proto 18$', timeout=3, since=m)
    wait_for(lambda: default in routes(topo), 3, 'static default route back')
    assert not d.search(r'SIGSEGV|Respawning', since=m)
    assert not d.search(r'Entering BACKUP STATE', since=m)


TRACK_GROUP = '''
track_group TG {
    group {
        VI_1
        VI_X
    }
}
static_ipaddress {
    192.168.50.1/24 dev eth1 track_group TG
}
static_routes {
    192.168.60.0/24 via 192.168.50.2 dev eth1 track_group TG
}
'''


def test_track_group_interface_down_faults_instance(topo, eth1, run):
    """eth1 (of static entries in track group TG) down: VI_1 goes FAULT; up: back to
    MASTER, the static route put back."""
    d = run(config(top=TRACK_GROUP))
    d.wait_log(r'\(VI_1\) Entering MASTER STATE', timeout=5)
    assert d.search(r"vrrp instance VI_X specified in track group TG doesn't exist - ignoring")
    wait_for(lambda: routes(topo) == STATIC_ROUTES, 3, 'static route')
    m = d.mark()
    topo.ip('a', 'link', 'set', 'eth1', 'down')
    d.wait_log(r'\(VI_1\) Entering FAULT STATE', timeout=3, since=m)
    wait_for(lambda: not topo.has_addr('a', VIP), 3, 'VIP removed')
    m = d.mark()
    topo.ip('a', 'link', 'set', 'eth1', 'up')
    d.wait_log(r'\(VI_1\) Entering BACKUP STATE', timeout=3, since=m)
    d.wait_log(r'\(VI_1\) Entering MASTER STATE', timeout=5, since=m)
    wait_for(lambda: routes(topo) == STATIC_ROUTES, 3, 'static route back')
    d.wait_log(r'Restoring deleted static route prepend 192\.168\.60\.0/24 via inet '
               r'192\.168\.50\.2 dev eth1 proto 18 track_group TG$', since=m)
    d.wait_log(r'Restoring deleted static address 192\.168\.50\.1/24 dev eth1 scope global '
               r'track_group TG set$', since=m)
    assert d.search(r'Netlink reports eth1 down')


def test_reload_applies_route_changes(topo, eth1, run):
    """SIGHUP: a virtual route and rule removed, another added, a static route added."""
    d = run(config(instance_extra=VROUTES, top=STATICS))
    d.wait_log(r'\(VI_1\) Entering MASTER STATE', timeout=5)
    wait_for(lambda: routes(topo) == VIRTUAL_ROUTES | STATIC_ROUTES, 3, 'routes')
    new = VROUTES.replace('        172.16.0.0/16 via 192.0.2.2 dev eth0\n',
                          '        172.26.0.0/16 via 192.0.2.3 dev eth0\n')
    new = new.replace('        to 172.18.0.0/16 table 101\n',
                      '        to 172.28.0.0/16 table 101 priority 300\n')
    top = STATICS.replace('    192.168.60.0/24 via 192.168.50.2 dev eth1\n',
                          '    192.168.60.0/24 via 192.168.50.2 dev eth1\n'
                          '    192.168.61.0/24 via 192.168.50.2 dev eth1\n')
    Path(d.conf).write_text(config(instance_extra=new, top=top))
    m = d.mark()
    d.signal(signal.SIGHUP)
    want_routes = (VIRTUAL_ROUTES - {'172.16.0.0/16 via 192.0.2.2 dev eth0'}) | {
        '172.26.0.0/16 via 192.0.2.3 dev eth0'} | STATIC_ROUTES | {
        '192.168.61.0/24 via 192.168.50.2 dev eth1'}
    want_rules = (VIRTUAL_RULES - {'16384: from all to 172.18.0.0/16 lookup 101 proto keepalived'}
                  ) | {'300: from all to 172.28.0.0/16 lookup 101 proto keepalived'} | STATIC_RULES
    wait_for(lambda: routes(topo) == want_routes, 5, 'routes after reload')
    wait_for(lambda: rules(topo) == want_rules, 3, 'rules after reload')
    assert not d.search(r'Entering BACKUP STATE', since=m)
    d.stop()
    assert routes(topo) == set() and rules(topo) == set()


@pytest.fixture
def topo2():
    t = kalib.Topology(('a', 'b'))
    yield t
    t.destroy()


def test_routes_on_master_only(topo2, tmp_path, binary, request):
    """Two routers: the virtual routes and rules are on the master only; they move with
    the VIP when the master stops."""
    topo = topo2
    daemons = []
    for h, prio in (('a', 200), ('b', 100)):
        path = tmp_path / f'{h}.conf'
        path.write_text(config(instance_extra=VROUTES, prio=prio))
        d = kalib.Daemon(binary, topo.host(h), str(path), tmp_path, name=h)
        request.addfinalizer(d.kill_tree)
        request.node.ka_daemons = getattr(request.node, 'ka_daemons', []) + [d]
        daemons.append(d.start())
    a, b = daemons
    a.wait_log(r'\(VI_1\) Entering MASTER STATE', timeout=5)
    b.wait_log(r'\(VI_1\) Entering BACKUP STATE', timeout=5)
    wait_for(lambda: routes(topo, 'a') == VIRTUAL_ROUTES and rules(topo, 'a') == VIRTUAL_RULES,
             3, 'routes on a')
    holds_for(lambda: routes(topo, 'b') == set() and rules(topo, 'b') == set(), 0.5,
              'no routes on the backup')
    a.stop()
    assert routes(topo, 'a') == set() and rules(topo, 'a') == set()
    b.wait_log(r'\(VI_1\) Entering MASTER STATE', timeout=5)
    wait_for(lambda: routes(topo, 'b') == VIRTUAL_ROUTES and rules(topo, 'b') == VIRTUAL_RULES,
             3, 'routes on b')
    b.stop()
    assert routes(topo, 'b') == set() and rules(topo, 'b') == set()



def test_deleted_vip_backup_then_master_no_track_ignored(topo, run):
    """A VIP deleted by hand: BACKUP (priority 0) and MASTER again with it back, as 2.2.7;
    a no_track VIP deleted: nothing happens, it stays away."""
    d = run(config(vips=(f'{VIP}/24', '192.0.2.101/24 no_track')))
    d.wait_log(r'\(VI_1\) Entering MASTER STATE', timeout=5)
    wait_for(lambda: topo.has_addr('a', VIP) and topo.has_addr('a', '192.0.2.101'), 3, 'VIPs')
    m = d.mark()
    topo.ip('a', 'addr', 'del', f'{VIP}/24', 'dev', 'eth0')
    d.wait_log(r'Netlink reflector reports IP 192\.0\.2\.100 removed from eth0', since=m)
    d.wait_log(r'\(VI_1\) Entering BACKUP STATE', timeout=3, since=m)
    d.wait_log(r'\(VI_1\) Entering MASTER STATE', timeout=3, since=m)
    wait_for(lambda: topo.has_addr('a', VIP), 3, 'VIP back')
    m = d.mark()
    topo.ip('a', 'addr', 'del', '192.0.2.101/24', 'dev', 'eth0')
    holds_for(lambda: not topo.has_addr('a', '192.0.2.101'), 1, 'no_track VIP left deleted')
    assert not d.search(r'Entering BACKUP STATE', since=m)


def test_route_interface_down_faults_instance(topo, eth1, run):
    """A tracked virtual route's dev going down puts the instance in FAULT; a multipath
    route and route metrics are installed as given."""
    extra = '''
    virtual_routes {
        192.168.70.0/24 dev eth1 scope link
        172.21.0.0/16 mtu 1400 advmss 1360 nexthop via 192.0.2.2 dev eth0 weight 2 nexthop via 192.0.2.3 dev eth0
    }
'''
    d = run(config(instance_extra=extra))
    d.wait_log(r'\(VI_1\) Entering MASTER STATE', timeout=5)
    want = {'192.168.70.0/24 dev eth1 scope link',
            '172.21.0.0/16 mtu 1400 advmss 1360 nexthop via 192.0.2.2 dev eth0 weight 2 '
            'nexthop via 192.0.2.3 dev eth0 weight 1'}
    wait_for(lambda: routes_multiline(topo) == want, 3, 'virtual routes')
    m = d.mark()
    topo.ip('a', 'link', 'set', 'eth1', 'down')
    d.wait_log(r'Netlink reports eth1 down', timeout=3, since=m)
    d.wait_log(r'\(VI_1\) Entering FAULT STATE', timeout=3, since=m)
    wait_for(lambda: not topo.has_addr('a', VIP), 3, 'VIP removed')
    m = d.mark()
    topo.ip('a', 'link', 'set', 'eth1', 'up')
    d.wait_log(r'\(VI_1\) Entering MASTER STATE', timeout=5, since=m)
    wait_for(lambda: routes_multiline(topo) == want, 3, 'virtual routes back')


def test_statics_without_instances(topo, eth1, run):
    """A static rule alone (no vrrp_instance) is enough for the VRRP child: in place
    while it runs, gone after a stop."""
    d = run('global_defs {\n    router_id kt_routes\n}\n' + 'static_rules {\n'
            '    from 192.168.50.0/24 table 100 priority 1000\n}\n')
    d.wait_log(r'Starting VRRP child process', timeout=5)
    wait_for(lambda: rules(topo) == STATIC_RULES, 3, 'static rule')
    d.stop()
    assert rules(topo) == set()


def test_route_options(topo, eth1, run):
    """A route without gateway is installed with scope global, as 2.2.7 does (where
    `ip route add` would give link); a locked mtu and cwnd as given."""
    extra = '''
    virtual_routes {
        192.168.71.0/24 dev eth1
        172.22.0.0/16 via 192.0.2.2 dev eth0 mtu lock 1300 cwnd 10
    }
'''
    d = run(config(instance_extra=extra))
    d.wait_log(r'\(VI_1\) Entering MASTER STATE', timeout=5)
    want = {'192.168.71.0/24 dev eth1',
            '172.22.0.0/16 via 192.0.2.2 dev eth0 mtu lock 1300 cwnd 10'}
    wait_for(lambda: routes_multiline(topo) == want, 3, 'routes')


@pytest.mark.ours_only  # 2.2.7: EINVAL for both routes, and rtt 100ms becomes 200ms
def test_route_options_2_2_7_gets_wrong(topo, eth1, run):
    """A local route (scope host), the deprecated 'or' (two nexthops), rtt in ms."""
    extra = '''
    virtual_routes {
        local 192.168.72.1 dev eth1
        172.23.0.0/16 via 192.0.2.2 or 192.0.2.3 dev eth0
        172.24.0.0/16 via 192.0.2.2 dev eth0 rtt 100ms
    }
'''
    d = run(config(instance_extra=extra))
    d.wait_log(r'\(VI_1\) Entering MASTER STATE', timeout=5)
    want = {'172.23.0.0/16 nexthop via 192.0.2.2 dev eth0 weight 1 '
            'nexthop via 192.0.2.3 dev eth0 weight 1',
            '172.24.0.0/16 via 192.0.2.2 dev eth0 rtt 100ms',
            'local 192.168.72.1 dev eth1 scope host'}
    wait_for(lambda: routes_multiline(topo) == want, 3, 'routes')
    assert not d.search(r'cannot add')


RULE_OPTIONS = '''
    virtual_rules {
        from 10.1.0.0/16 table 100 priority 201 suppress_prefixlength 0
        to 10.2.0.0/16 priority 202 blackhole
        not from 10.3.0.0/16 priority 203 prohibit
        from all iif eth1 priority 204 unreachable
        from all oif eth1 priority 205 table 101
        from all priority 206 goto 300
        from all priority 207 nop
        from all fwmark 0x10/0xff priority 208 table 102
        from all uidrange 1000-2000 priority 209 table 103
        from all ipproto 6 dport 80-81 priority 210 table 104
        from all ipproto 17 sport 1000-2000 priority 211 table 105
        from all tos 0x10 priority 212 table 106
        from all priority 213 table 107 suppress_ifgroup 5
        from all tunnel-id 7 priority 214 table 108
        from all priority 300 table 109
    }
'''
RULES_INSTALLED = {
    '201: from 10.1.0.0/16 lookup 100 suppress_prefixlength 0 proto keepalived',
    '202: from all to 10.2.0.0/16 blackhole proto keepalived',
    '203: not from 10.3.0.0/16 prohibit proto keepalived',
    '204: from all iif eth1 unreachable proto keepalived',
    '205: from all oif eth1 lookup 101 proto keepalived',
    '206: from all goto 300 proto keepalived',
    '207: from all nop proto keepalived',
    '208: from all fwmark 0x10/0xff lookup 102 proto keepalived',
    '209: from all uidrange 1000-2000 lookup 103 proto keepalived',
    '210: from all ipproto tcp dport 80-81 lookup 104 proto keepalived',
    '211: from all ipproto udp sport 1000-2000 lookup 105 proto keepalived',
    '212: from all tos 0x10 lookup 106 proto keepalived',
    '213: from all lookup 107 suppress_ifgroup 5 proto keepalived',
    '214: from all tun_id 7 lookup 108 proto keepalived',
    '300: from all lookup 109 proto keepalived',
}


def test_rule_options(topo, eth1, run):
    """Every rule selector and action, installed as 2.2.7 installs them."""
    d = run(config(instance_extra=RULE_OPTIONS))
    d.wait_log(r'\(VI_1\) Entering MASTER STATE', timeout=5)
    wait_for(lambda: rules(topo) == RULES_INSTALLED, 3, 'rules')


@pytest.mark.ours_only  # 2.2.7 leaves a single port out (dport 80 matches every port)
def test_rule_single_port(topo, eth1, run):
    d = run(config(instance_extra=RULE_OPTIONS.replace('dport 80-81', 'dport 80')))
    d.wait_log(r'\(VI_1\) Entering MASTER STATE', timeout=5)
    want = RULES_INSTALLED - {'210: from all ipproto tcp dport 80-81 lookup 104 proto keepalived'}
    wait_for(lambda: rules(topo) == want | {
        '210: from all ipproto tcp dport 80 lookup 104 proto keepalived'}, 3, 'rules')


def test_reload_adds_and_removes_statics(topo, eth1, run):
    """SIGHUP from no static entries to some, and back: added, then removed."""
    d = run(config())
    d.wait_log(r'\(VI_1\) Entering MASTER STATE', timeout=5)
    for top, present in ((STATICS, True), ('', False)):
        Path(d.conf).write_text(config(top=top))
        m = d.mark()
        d.signal(signal.SIGHUP)
        d.wait_log(r'Reload complete', timeout=5, since=m)
        wait_for(lambda: (routes(topo) == (STATIC_ROUTES if present else set()) and
                          rules(topo) == (STATIC_RULES if present else set()) and
                          has_static_addr(topo) == present), 3, f'statics present={present}')


def test_untrackable_route_and_rule_lines(topo, eth1, run):
    """2.2.7's lines for a route without dev (installed, not tracked) and a tracked rule
    with another protocol (installed with proto keepalived)."""
    extra = '''
    virtual_routes {
        172.25.0.0/16 via 192.0.2.2
    }
    virtual_rules {
        from 10.1.0.0/16 table 100 priority 201 protocol 5
    }
'''
    d = run(config(instance_extra=extra))
    d.wait_log(r'\(VI_1\) Entering MASTER STATE', timeout=5)
    assert d.search(r'Warning - cannot track route 172\.25\.0\.0/16 with no interface '
                    r'specified, not tracking')
    assert d.search(r'Rule cannot be tracked if protocol is not RTPROT_KEEPALIVED\(18\), '
                    r'resetting protocol')
    wait_for(lambda: routes(topo) == {'172.25.0.0/16 via 192.0.2.2 dev eth0'} and
             rules(topo) == {'201: from 10.1.0.0/16 lookup 100 proto keepalived'}, 3, 'both')
    # not tracked: deleting the route changes nothing
    m = d.mark()
    topo.ip('a', 'route', 'del', '172.25.0.0/16')
    holds_for(lambda: not d.search(r'Entering BACKUP STATE', since=m), 0.5, 'stays MASTER')


def test_default_interface_for_static_address_without_dev(topo, eth1, run):
    """global_defs' default_interface is where a static_ipaddress without dev goes
    (keepalived 2.2.7: eth0 when not given); the address is removed at stop."""
    d = run('global_defs {\n    router_id kt_routes\n    default_interface eth1\n}\n'
            'static_ipaddress {\n    192.168.50.1/24\n}\n')
    d.wait_log(r'Starting VRRP child process', timeout=5)
    wait_for(lambda: has_static_addr(topo), 3, 'static address on eth1')
    assert ('eth0', '192.168.50.1/24') not in topo.addrs_by_dev('a')
    d.stop()
    assert not has_static_addr(topo)
