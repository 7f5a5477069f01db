# SPDX-License-Identifier: GPL-2.0-or-later
"""Fixtures for the system tests; the machinery is in kalib.py."""
import os
import re
import sys
from pathlib import Path

import pytest

sys.dont_write_bytecode = True
import kalib  # noqa: E402  (after dont_write_bytecode: no __pycache__ in the tree)


def pytest_configure(config):
    if os.geteuid() != 0:
        raise pytest.UsageError('the system tests need root (network namespaces)')


def pytest_report_header(config):
    return (f'daemon under test: {kalib.find_binary() or "NOT FOUND"}'
            f'{" (reference: ours_only tests skipped)" if kalib.REFERENCE else ""}; '
            f'name prefix: {kalib.PREFIX}')


def pytest_collection_modifyitems(config, items):
    if not kalib.REFERENCE:
        return
    skip = pytest.mark.skip(reason=f'ours_only: KA_REFERENCE={kalib.REFERENCE}')
    for item in items:
        if 'ours_only' in item.keywords:
            item.add_marker(skip)


def pytest_sessionfinish(session, exitstatus):
    kalib.CLEANUP.run_all()
    left = [n for n in kalib.netns_list() if n.startswith(kalib.PREFIX)]
    if left:
        print(f'\nkalib: namespaces left behind: {left}', file=sys.stderr)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """On a failure, attach the log of every daemon the test started."""
    rep = (yield).get_result()
    if rep.failed:
        for d in getattr(item, 'ka_daemons', []):
            rep.sections.append((f'daemon log {d.log}', d.text()[-6000:]))


@pytest.fixture(scope='session')
def binary():
    """Absolute path of the daemon under test (see kalib.find_binary)."""
    b = kalib.find_binary()
    if not b:
        pytest.fail('no daemon binary: set KEEPALIVED=/path, KA_BUILDDIR=dir or '
                    'KA_REFERENCE=/usr/sbin/keepalived')
    return b


@pytest.fixture
def topo():
    """One host 'a' (namespace topo.host()) with eth0 on a bridge."""
    t = kalib.Topology(('a',))
    yield t
    t.destroy()


SANITIZER_RE = re.compile(r'ERROR: (Address|Leak|Memory|Thread)Sanitizer|runtime error: ')


@pytest.fixture
def start_daemon(request, binary, tmp_path, topo):
    """start_daemon(conf, args=(), name='ka', host='a', binary=None) -> a started kalib.Daemon.

    binary: a daemon other than the one under test (the interop tests).
    """
    started = request.node.ka_daemons = []

    def start(conf, args=(), name='ka', host='a', binary=binary):
        d = kalib.Daemon(binary, topo.host(host), conf, tmp_path, name=name, args=args)
        started.append(d)
        return d.start()

    yield start
    # A graceful stop (all daemons at once) lets sanitizer builds report leaks;
    # then any sanitizer report in a daemon's log (parent or child) fails the test.
    # Debian's keepalived is no sanitizer build and takes ~1 s to stop: killed.
    reports = []
    for d in started:
        if d.binary == kalib.DEBIAN:
            d.kill_tree()
    kalib.stop_all(started)
    for d in started:
        text = Path(d.log).read_text(errors='replace') if Path(d.log).exists() else ''
        if SANITIZER_RE.search(text):
            reports.append(f'{d.log}:\n{text[-3000:]}')
    if reports:
        pytest.fail('sanitizer report in daemon log:\n' + '\n'.join(reports))
