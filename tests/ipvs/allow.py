# SPDX-License-Identifier: GPL-2.0-or-later
"""The deliberate differences from keepalived 2.2.7 (briefs: ARCH13.md), in one place.

Everything else the harness compares must be equal. Each entry drops, from one side's
records (`ref` = 2.2.7, `ours`), the lines of `stream` (log, ipvs, notify, timeouts,
status) that match the regex, in runs/marks matching the globs (default '*'; a tuple: any of them); with
`replace` the line is rewritten instead of dropped. Every entry that applied is
printed at the end of a run with the lines it covered, so nothing hides silently.
"""

HA_GROUP = ('ha_suspend with a virtual_server group: 2.2.7 never re-activates the '
            'group\'s checkers (spec 1.7 [BUG]); ours does')

ALLOW = [
    dict(stream='log', ref=r'^Activating BFD healthchecker$',
         reason='2.2.7 is built with BFD and logs this once at start; ours has no BFD child'),

    # [BUG] fixed (spec 1.7): with `virtual_server group`, 2.2.7's ha_suspend never sees the
    # group's address, so its checkers stay "Deactivating" forever; ours activates them
    # when the address appears (and so removes the RS that then fails)
    dict(run='suspend-reload', stream='log',
         ours=r'^Activating healthchecker for service \[10\.1\.0\.11\]:tcp:80 for VS \[G2\]:0$',
         reason=HA_GROUP),
    dict(run='suspend-reload', mark='reload', stream='log',
         ref=r'^Deactivating healthchecker for service \[10\.1\.0\.11\]:tcp:80 for VS \[G2\]:0$',
         reason=HA_GROUP),
    dict(run='suspend-reload', stream='log',
         ours=r'^(TCP connection to \[10\.1\.0\.11\]:|TCP_CHECK on service \[10\.1\.0\.11\]:'
              r'|Removing service \[10\.1\.0\.11\]:tcp:80 from VS \[G2\]:0$'
              r'|Lost quorum 1-0=1 > 0 for VS \[G2\]:0$)',
         reason=HA_GROUP),
    dict(run='suspend-reload', mark=('rs11-rs12-down', 'reload'), stream='ipvs',
         ref=r'^  -> 10\.1\.0\.11:80 ', reason=HA_GROUP),

    # [BUG] fixed (spec 1.11): after a reload's RS diff 2.2.7 judges quorum on the old VS's
    # remaining weight and runs quorum_down (no "Lost quorum" line, no quorum_up after)
    # although the new VS keeps its quorum
    dict(run='suspend-reload', mark='reload', stream='notify', ref=r'^quorum_down C$',
         reason='2.2.7 runs quorum_down on a reload that keeps the quorum (spec 1.11 [BUG]); '
                'ours does not'),
]
