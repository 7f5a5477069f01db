# SPDX-License-Identifier: GPL-2.0-or-later
"""`keepalived -t`: valid configs pass silently, broken ones name FILE:LINE:COL of each mistake.

Each configs/bad-NAME.conf has a bad-NAME.expect (format in README.md). The
daemon runs with cwd = configs/ and a relative -f, so the names in its
messages are relative too.
"""
import os
import re
from pathlib import Path

import pytest

import kalib
from kalib import CONFIGS

DEBIAN = '/usr/sbin/keepalived'
SAMPLE = kalib.REPO / 'etc' / 'keepalived' / 'keepalived.conf'
VALID = sorted(p for p in CONFIGS.glob('*.conf') if not p.name.startswith('bad-'))
BAD = sorted(CONFIGS.glob('bad-*.conf'))
LOCATED_ERROR = re.compile(r'^\S+:\d+:\d+: error: ')


def name(p):
    return 'sample' if p == SAMPLE else p.name


@pytest.fixture(scope='module')
def host():
    """A namespace with the interfaces the configs name (eth0, lo)."""
    t = kalib.Topology(('a',))
    yield t.host()
    t.destroy()


def config_test(binary, host, conf, *args):
    """Run BINARY -t [args] -f CONF in host, from configs/ (relative names for fixtures)."""
    conf = Path(conf)
    rel = conf.name if conf.parent == CONFIGS else str(conf)
    return kalib.run_binary(binary, ['-t', *args, '-f', rel], ns=host, cwd=CONFIGS)


@pytest.mark.parametrize('conf', VALID + [SAMPLE], ids=name)
def test_valid_config(binary, host, conf):
    if not conf.exists():
        pytest.skip(f'{conf} not written yet')
    r = config_test(binary, host, conf)
    # the one warning allowed: a feature parsed but not acted on yet (sync groups...)
    left = [ln for ln in r.stderr.splitlines() if "is not acted on yet" not in ln]
    assert (r.returncode, left) == (0, []), f'exit {r.returncode}, stderr:\n{r.stderr}'


@pytest.mark.skipif(not os.access(DEBIAN, os.X_OK), reason=f'{DEBIAN} not installed')
@pytest.mark.parametrize('conf', VALID + [SAMPLE], ids=name)
def test_valid_config_debian(host, conf):
    """The fixtures are real keepalived configs: Debian's keepalived accepts them too."""
    if not conf.exists():
        pytest.skip(f'{conf} not written yet')
    r = config_test(DEBIAN, host, conf)
    assert (r.returncode, r.stderr) == (0, ''), f'exit {r.returncode}, stderr:\n{r.stderr}'


class Expect:
    """A .expect file: what stderr and the exit code of -t must show."""

    def __init__(self, path):
        self.args, self.exit, self.errors, self.lines = [], 5, None, []
        self.ours_only, self.keepalived_exit = None, None
        for line in Path(path).read_text().splitlines():
            if not line.strip() or line.startswith('#'):
                continue
            key, _, val = line.partition(':')
            if key == 'args':
                self.args = val.split()
            elif key == 'exit':
                self.exit = int(val)
            elif key == 'errors':
                self.errors = int(val)
            elif key == 'ours_only':
                self.ours_only = val.strip()
            elif key == 'keepalived_exit':
                self.keepalived_exit = int(val)
            elif key == 're':
                self.lines.append(re.compile(val))
            else:
                self.lines.append(line)

    @staticmethod
    def found(want, got):
        if isinstance(want, str):
            return want in got
        return any(want.search(g) for g in got)


@pytest.mark.ours_only  # keepalived 2.2.7 gives "(Line N) Unknown keyword" without file or column
@pytest.mark.parametrize('conf', BAD, ids=name)
def test_bad_config(binary, host, conf):
    exp = Expect(conf.with_suffix('.expect'))
    r = config_test(binary, host, conf, *exp.args)
    got = [l.rstrip() for l in r.stderr.splitlines()]
    missing = [w if isinstance(w, str) else f're:{w.pattern}'
               for w in exp.lines if not Expect.found(w, got)]
    assert not missing, ('not in stderr:\n  ' + '\n  '.join(missing) +
                         f'\n--- stderr ---\n{r.stderr}')
    if exp.errors is not None:
        located = [l for l in got if LOCATED_ERROR.match(l)]
        assert len(located) == exp.errors, f'{len(located)} located errors:\n' + '\n'.join(located)
    assert r.returncode == exp.exit, f'exit code {r.returncode}'


@pytest.mark.ours_only  # keepalived 2.2.7 exits 0
def test_missing_config_file(binary, host, tmp_path):
    conf = tmp_path / 'no-such.conf'
    r = config_test(binary, host, conf)
    assert r.returncode != 0
    assert str(conf) in r.stderr, f'the file is not named:\n{r.stderr}'
    assert re.search(r'(?i)missing|no such file|not found|does not exist|cannot (open|read)',
                     r.stderr), f'does not say the file is missing:\n{r.stderr}'


def verdict_params():
    """The bad fixtures, those where keepalived 2.2.7 is wrong marked ours_only."""
    for conf in BAD:
        exp = Expect(conf.with_suffix('.expect'))
        marks = [pytest.mark.ours_only] if exp.ours_only else []
        yield pytest.param(conf, exp, marks=marks, id=name(conf))


@pytest.mark.skipif(not os.access(DEBIAN, os.X_OK), reason=f'{DEBIAN} not installed')
@pytest.mark.parametrize('conf,exp', verdict_params())
def test_bad_config_verdict_debian(binary, host, conf, exp):
    """-t reaches keepalived 2.2.7's verdict on each fixture, and its exit code.

    keepalived_exit: in the .expect gives 2.2.7's code where it differs (same verdict);
    an ours_only fixture is one where 2.2.7 is wrong: its verdict must differ from ours.
    """
    ours = config_test(binary, host, conf, *exp.args)
    ref = config_test(DEBIAN, host, conf, *exp.args)
    report = f'ours: exit {ours.returncode}\n{ours.stderr}\n2.2.7: exit {ref.returncode}\n{ref.stderr}'
    assert ours.returncode == exp.exit, report
    if exp.ours_only:
        assert (ref.returncode == 0) != (ours.returncode == 0), \
            f'2.2.7 no longer differs ({exp.ours_only}):\n{report}'
        return
    assert (ref.returncode == 0) == (ours.returncode == 0), report
    want = exp.keepalived_exit if exp.keepalived_exit is not None else exp.exit
    assert ref.returncode == want, report


def test_checker_corrections_logged(start_daemon, tmp_path):
    """The daemon runs with what keepalived 2.2.7 corrects, and logs it in 2.2.7's words."""
    conf = tmp_path / 'ka.conf'
    conf.write_text((CONFIGS / 'bad-vs-corrections.conf').read_text())
    d = start_daemon(conf)
    for line in ("Virtual server [192.0.2.100]:tcp:80: one packet scheduling requires UDP - "
                 "resetting",
                 "VS [192.0.2.100]:tcp:80: real server [192.0.2.10]:tcp:81 is duplicated - "
                 "removing second rs",
                 "Warning - quorum 5 for [192.0.2.100]:tcp:80 exceeds total weight of real "
                 "servers 2, reducing quorum to 2",
                 "Virtual server [192.0.2.101]:none:80 has no real servers - ignoring",
                 "Virtual server FWM 3: no scheduler set, setting default 'wlc'",
                 "Virtual server [192.0.2.102]:udp:0: zero port only valid for persistent "
                 "services - setting"):
        d.wait_log(re.escape(line))
    assert d.running(), 'the daemon stopped on what keepalived 2.2.7 corrects'
