# SPDX-License-Identifier: GPL-2.0-or-later
"""`.ci/deps` stops services only while apt installs, and keeps the machine's policy-rc.d.

dpkg-query and apt-get are stand-ins here (first on PATH): nothing is installed, and
POLICY_RC_D points into tmp_path instead of /usr/sbin/policy-rc.d.
"""
import os
import subprocess
from pathlib import Path

import pytest

DEPS = Path(__file__).resolve().parents[2] / '.ci' / 'deps'
OWN = '#!/bin/sh\n# the machine\'s own\nexit 0\n'


def run_deps(tmp_path, policy, apt_rc=0):
    """Runs .ci/deps with every package missing; returns (exit code, what apt-get saw)."""
    if 'POLICY_RC_D' not in DEPS.read_text():
        pytest.fail('.ci/deps does not take POLICY_RC_D: not run, it would change /usr/sbin')
    bin_dir = tmp_path / 'bin'
    bin_dir.mkdir(exist_ok=True)
    seen = tmp_path / 'seen'
    (bin_dir / 'dpkg-query').write_text('#!/bin/sh\nexit 1\n')
    (bin_dir / 'apt-get').write_text(
        f'#!/bin/sh\n[ "$1" = install ] || exit 0\ncat {policy} > {seen} 2>&1\nexit {apt_rc}\n')
    for f in bin_dir.iterdir():
        f.chmod(0o755)
    env = dict(os.environ, PATH=f'{bin_dir}:{os.environ["PATH"]}', POLICY_RC_D=str(policy))
    r = subprocess.run(['bash', str(DEPS)], env=env, capture_output=True, text=True, timeout=60)
    return r.returncode, seen.read_text() if seen.exists() else None


@pytest.mark.parametrize('apt_rc', [0, 100])
def test_existing_policy_is_kept(tmp_path, apt_rc):
    policy = tmp_path / 'policy-rc.d'
    policy.write_text(OWN)
    policy.chmod(0o750)
    rc, seen = run_deps(tmp_path, policy, apt_rc)
    assert (rc != 0) == (apt_rc != 0)
    assert seen == 'exit 101\n', 'services were not held off during the install'
    assert policy.read_text() == OWN, 'the machine\'s policy-rc.d was not put back'
    assert policy.stat().st_mode & 0o777 == 0o750


def test_no_policy_stays_none(tmp_path):
    policy = tmp_path / 'policy-rc.d'
    rc, seen = run_deps(tmp_path, policy)
    assert rc == 0 and seen == 'exit 101\n'
    assert not policy.exists() and not policy.is_symlink()


def test_policy_link_is_kept_and_its_target_untouched(tmp_path):
    target = tmp_path / 'real-policy'
    target.write_text(OWN)
    policy = tmp_path / 'policy-rc.d'
    policy.symlink_to(target)
    rc, seen = run_deps(tmp_path, policy)
    assert rc == 0 and seen == 'exit 101\n'
    assert policy.is_symlink() and os.readlink(policy) == str(target)
    assert target.read_text() == OWN, 'the link\'s target was written through'
