# SPDX-License-Identifier: GPL-2.0-or-later
"""The harness's scenarios: configs and one timeline each (see README.md).

A run is a list of steps. Each step does its actions, waits until every regex of `wait`
has appeared in the daemon's log since the step began (or its timeout), waits until
the log has been quiet for `quiet` seconds, then records a mark: the IPVS table, the
IPVS timeouts, the checker lines and the notify lines since the previous mark.
Marks say what happened, never how long it took.

@RUN@ in a config is the run's directory (scripts, state files); the harness fills it in.
"""

# Real servers: backends in the namespace `ipvsbe`, 10.1.0.0/16 behind a veth.
# Virtual services: 10.0.0.0/24 (never used for traffic: the table is the evidence).

GLOBAL = '''global_defs {{
    router_id ipvs_harness
    script_user root
    enable_script_security
{extra}}}
'''

TCP = '''        TCP_CHECK {{
            connect_timeout 1
{extra}        }}
'''


def rs(addr, port=80, body='', check=None):
    check = TCP.format(extra='') if check is None else check
    return f'''    real_server {addr} {port} {{
{body}{check}    }}
'''


NOTIFY = '''        notify_up "@RUN@/notify.sh up {a}"
        notify_down "@RUN@/notify.sh down {a}"
'''


def vs_nat(rs3='10.1.0.3', sched='rr', w2=1):
    """NAT, quorum 2 + hysteresis 1 (lost below 1, gained at 3), sorry server,
    one inhibit_on_failure RS."""
    return f'''virtual_server 10.0.0.1 80 {{
    delay_loop 2
    lb_algo {sched}
    lb_kind NAT
    protocol TCP
    quorum 2
    hysteresis 1
    quorum_up "@RUN@/notify.sh quorum_up A"
    quorum_down "@RUN@/notify.sh quorum_down A"
    sorry_server 10.9.9.9 80
''' + rs('10.1.0.1', body='        weight 2\n' + NOTIFY.format(a='10.1.0.1')) \
        + rs('10.1.0.2', body=f'        weight {w2}\n        inhibit_on_failure\n') \
        + rs(rs3, body='        weight 1\n' + NOTIFY.format(a=rs3)) + '}\n'


MISC = '''        MISC_CHECK {
            misc_path "@RUN@/misc.sh 10.1.0.4"
            misc_timeout 5
            misc_dynamic
        }
'''

VS_DR = '''virtual_server 10.0.0.2 80 {
    delay_loop 2
    lb_algo wlc
    lb_kind DR
    protocol TCP
    alpha
    quorum_up "@RUN@/notify.sh quorum_up B"
    quorum_down "@RUN@/notify.sh quorum_down B"
''' + rs('10.1.0.4', body='        weight 10\n', check=MISC) \
    + rs('10.1.0.5', body='        weight 2\n') + '}\n'

VS_TUN = '''virtual_server 10.0.0.3 80 {
    delay_loop 3
    lb_algo rr
    lb_kind TUN
    protocol TCP
''' + rs('10.1.0.6') + rs('10.1.0.7', body='        lvs_method TUN type gue port 6080\n') + '}\n'

VS_FWM = '''virtual_server fwmark 7 {
    delay_loop 3
    lb_algo sh
    sh-port
    lb_kind DR
    persistence_timeout 360
''' + rs('10.1.0.8', body='        weight 3\n', check=TCP.format(extra='            connect_port 80\n')) + '}\n'

VSG = '''virtual_server_group G1 {
    10.0.0.21-22 80
    fwmark 9
}
virtual_server group G1 {
    delay_loop 3
    lb_algo wlc
    lb_kind NAT
    protocol TCP
''' + rs('10.1.0.9') + '}\n'

MAIN_A = GLOBAL.format(extra='    lvs_timeouts tcp 7200 tcpfin 60 udp 200\n') \
    + vs_nat() + VS_DR + VS_TUN + VS_FWM + VSG
# the reload: VS A's scheduler rr -> wrr, RS 10.1.0.2's weight 1 -> 5, RS 10.1.0.3
# replaced by 10.1.0.30; the TUN VS removed; timeouts changed
MAIN_B = GLOBAL.format(extra='    lvs_timeouts tcp 3600 tcpfin 60 udp 200\n') \
    + vs_nat(rs3='10.1.0.30', sched='wrr', w2=5) + VS_DR + VS_FWM + VSG

FLUSH_VS = '''virtual_server 10.0.0.1 80 {
    delay_loop 2
    lb_algo rr
    lb_kind NAT
    protocol TCP
''' + rs('10.1.0.1') + rs('10.1.0.2', body='        inhibit_on_failure\n') + '}\n'


def w(*regexes):
    return list(regexes)


def A(*actions):
    return list(actions)


# actions: ('up', addr) ('down', addr) ('misc', addr, code) ('ipvsadm', args...)
#          ('start',) ('reload', conf) ('stop',)
MAIN = {
    'name': 'main',
    'what': 'NAT quorum+hysteresis+sorry+inhibit, DR alpha + MISC misc_dynamic, TUN ipip/gue, '
            'fwmark sh+sh-port persistent, group range+fwmark, lvs_timeouts, reload, SIGTERM',
    'conf': MAIN_A,
    'confs': {'b': MAIN_B},
    'backends': ['10.1.0.1', '10.1.0.2', '10.1.0.3', '10.1.0.6', '10.1.0.7', '10.1.0.8',
                 '10.1.0.9'],
    'misc': {'10.1.0.4': 0},
    'steps': [
        dict(mark='before-start', do=A(('ipvsadm', '-A', '-t', '10.0.0.99:80', '-s', 'rr'))),
        dict(mark='started', do=A(('start',)),
             wait=w(r'Gained quorum .* for VS \[10\.0\.0\.2\]',
                    r'TCP connection to \[10\.1\.0\.9\]', r'TCP connection to \[10\.1\.0\.8\]',
                    r'TCP connection to \[10\.1\.0\.7\]', r'TCP connection to \[10\.1\.0\.1\]')),
        dict(mark='rs1-down', do=A(('down', '10.1.0.1')),
             wait=w(r'Removing service \[10\.1\.0\.1\]')),
        dict(mark='rs3-down', do=A(('down', '10.1.0.3')),
             wait=w(r'Removing service \[10\.1\.0\.3\]')),
        dict(mark='rs2-down-quorum-lost', do=A(('down', '10.1.0.2')),
             wait=w(r'Removing alive servers from the pool')),
        dict(mark='rs3-up-quorum-still-down', do=A(('up', '10.1.0.3')),
             wait=w(r'Adding service \[10\.1\.0\.3\]')),
        dict(mark='rs1-up-quorum-gained', do=A(('up', '10.1.0.1')),
             wait=w(r'Adding alive servers to the pool')),
        dict(mark='misc-dynamic-weight-5', do=A(('misc', '10.1.0.4', 7)),
             wait=w(r'Changing weight from 10 to 5')),
        dict(mark='reload', do=A(('up', '10.1.0.30'), ('reload', 'b')),
             wait=w(r'Reloading', r'TCP connection to \[10\.1\.0\.30\]')),
        dict(mark='rs2-up', do=A(('up', '10.1.0.2')),
             wait=w(r'Enabling service \[10\.1\.0\.2\]')),
        dict(mark='misc-fails', do=A(('misc', '10.1.0.4', 1)),
             wait=w(r'Misc check for .* failed')),
        dict(mark='stopped', do=A(('stop',))),
    ],
}

FLUSH = {
    'name': 'flush-vs',
    'what': 'lvs_flush at start, lvs_flush_on_stop VS',
    'conf': GLOBAL.format(extra='    lvs_flush\n    lvs_flush_on_stop VS\n') + FLUSH_VS,
    'backends': ['10.1.0.1'],
    'steps': [
        dict(mark='before-start', do=A(('ipvsadm', '-A', '-t', '10.0.0.99:80', '-s', 'rr'),
                                       ('ipvsadm', '-A', '-t', '10.0.0.1:80', '-s', 'wlc'),
                                       ('ipvsadm', '-a', '-t', '10.0.0.1:80', '-r',
                                        '10.1.0.77:80', '-m'))),
        dict(mark='started', do=A(('start',)),
             wait=w(r'TCP connection to \[10\.1\.0\.1\]', r'TCP_CHECK on service \[10\.1\.0\.2\]')),
        dict(mark='foreign-added', do=A(('ipvsadm', '-A', '-t', '10.0.0.99:80', '-s', 'rr'),
                                        ('ipvsadm', '-a', '-t', '10.0.0.1:80', '-r',
                                         '10.1.0.77:80', '-m'))),
        dict(mark='stopped', do=A(('stop',))),
    ],
}

FLUSH_ALL = {
    'name': 'flush-all',
    'what': 'lvs_flush_on_stop (the whole table)',
    'conf': GLOBAL.format(extra='    lvs_flush_on_stop\n') + FLUSH_VS,
    'backends': ['10.1.0.1', '10.1.0.2'],
    'steps': [
        dict(mark='before-start'),
        dict(mark='started', do=A(('start',)),
             wait=w(r'TCP connection to \[10\.1\.0\.1\]', r'TCP connection to \[10\.1\.0\.2\]')),
        dict(mark='foreign-added', do=A(('ipvsadm', '-A', '-t', '10.0.0.99:80', '-s', 'rr'))),
        dict(mark='stopped', do=A(('stop',))),
    ],
}


def vs_quorum(second=True, w13=1):
    """quorum 2 with two RS of weight 1; the reload drops one and raises the other to 2:
    the new VS keeps its quorum (2.2.7 still runs quorum_down: [BUG], fixed by ours)."""
    return f'''virtual_server 10.0.0.33 80 {{
    delay_loop 2
    lb_algo rr
    lb_kind NAT
    protocol TCP
    quorum 2
    quorum_up "@RUN@/notify.sh quorum_up C"
    quorum_down "@RUN@/notify.sh quorum_down C"
''' + rs('10.1.0.13', body=f'        weight {w13}\n') \
        + (rs('10.1.0.14', body='        weight 1\n') if second else '') + '}\n'


SUSPEND = '''virtual_server_group G2 {
    10.0.0.31 80
}
virtual_server group G2 {
    delay_loop 2
    lb_algo rr
    lb_kind NAT
    protocol TCP
    ha_suspend
''' + rs('10.1.0.11') + '''}
virtual_server 10.0.0.32 80 {
    delay_loop 2
    lb_algo rr
    lb_kind NAT
    protocol TCP
    ha_suspend
''' + rs('10.1.0.12') + '}\n'

SUSPEND_RELOAD = {
    'name': 'suspend-reload',
    'what': 'ha_suspend on a VS and on a group (VIPs added later), a reload that keeps quorum',
    'conf': GLOBAL.format(extra='') + SUSPEND + vs_quorum(),
    'confs': {'b': GLOBAL.format(extra='') + SUSPEND + vs_quorum(second=False, w13=2)},
    'backends': ['10.1.0.11', '10.1.0.12', '10.1.0.13', '10.1.0.14'],
    'steps': [
        dict(mark='before-start'),
        dict(mark='started', do=A(('start',)),
             wait=w(r'Gained quorum .* for VS \[10\.0\.0\.33\]',
                    r'TCP connection to \[10\.1\.0\.14\]')),
        dict(mark='vips-added', do=A(('ip', 'addr', 'add', '10.0.0.31/32', 'dev', 'kav0'),
                                     ('ip', 'addr', 'add', '10.0.0.32/32', 'dev', 'kav0')),
             wait=w(r'Activating healthchecker for service \[10\.1\.0\.12\]')),
        dict(mark='rs11-rs12-down', do=A(('down', '10.1.0.11'), ('down', '10.1.0.12')),
             wait=w(r'Removing service \[10\.1\.0\.12\]')),
        dict(mark='reload', do=A(('reload', 'b'),),
             wait=w(r'Reloading', r'service \[10\.1\.0\.14\]:tcp:80 no longer exist')),
        dict(mark='stopped', do=A(('stop',))),
    ],
}

RUNS = [MAIN, FLUSH, FLUSH_ALL, SUSPEND_RELOAD]
