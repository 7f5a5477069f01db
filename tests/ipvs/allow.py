# SPDX-License-Identifier: GPL-2.0-or-later
"""The deliberate differences from keepalived 2.2.7 (briefs: ARCH13.md), in one place.

Everything else the harness compares must be equal. Each entry drops, from one side's
records (`ref` = 2.2.7, `ours`), the lines of `stream` (log, ipvs, notify, timeouts,
status) that match the regex, in runs/marks matching the globs (default '*'); with
`replace` the line is rewritten instead of dropped. Every entry that applied is
printed at the end of a run with the lines it covered, so nothing hides silently.
"""

ALLOW = [
    dict(stream='log', ref=r'^Activating BFD healthchecker$',
         reason='2.2.7 is built with BFD and logs this once at start; ours has no BFD child'),
]
