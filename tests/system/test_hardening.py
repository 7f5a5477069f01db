# SPDX-License-Identifier: GPL-2.0-or-later
"""The programs are built hardened, as Debian builds keepalived: PIE, full RELRO, stack
protector and _FORTIFY_SOURCE (configure.ac adds each flag the compiler takes)."""
import os
import re
import subprocess
from pathlib import Path

import pytest

import kalib

# A sanitizer build has no _FORTIFY_SOURCE (configure leaves it out: ASan checks those calls).
ASAN = '__asan_init'


def programs(binary):
    """The daemon, and in a build tree its helper programs and genhash."""
    b = Path(binary)
    progs = [b] + [b.parent / n for n in ('keepalived-vrrp', 'keepalived-genhash')]
    genhash = os.environ.get('GENHASH') or b.parent.parent / 'genhash' / 'genhash'
    progs.append(Path(genhash))
    return [p for p in progs if p.is_file()]


def readelf(*args):
    r = subprocess.run(['readelf', '-W', *args], capture_output=True, text=True, check=True)
    return r.stdout


def refused(binary, flag):
    """Did the build's configure find that the compiler takes no form of flag (config.log)?"""
    log = Path(binary).parent.parent / 'config.log'
    if not log.is_file():
        return False
    tried = re.findall(r'checking whether \S+ accepts (.+)\.\.\. (yes|no)$',
                       log.read_text(errors='replace'), re.M)
    answers = {ok for flags, ok in tried if flag in flags}
    return answers == {'no'}


def dyn_symbols(p):
    """Names in the dynamic symbol table ("12: 0 0 FUNC GLOBAL DEFAULT UND name@GLIBC_2.4 (3)")."""
    names = set()
    for line in readelf('--dyn-syms', str(p)).splitlines():
        f = line.split()
        if len(f) >= 8 and f[0].endswith(':') and f[0][:-1].isdigit():
            names.add(f[7].split('@')[0])
    return names


CHECKS = {
    # check: (flag configure adds, what readelf must show)
    'pie': ('-pie', lambda p: re.search(r'Type:\s+DYN', readelf('-h', str(p)))),
    'relro': ('-z,relro', lambda p: re.search(r'\bGNU_RELRO\b', readelf('-l', str(p)))),
    'bind_now': ('-z,now', lambda p: re.search(r'\(FLAGS\)\s.*\bBIND_NOW\b|\(FLAGS_1\)\s.*\bNOW\b',
                                                readelf('-d', str(p)))),
    'stack_protector': ('-fstack-protector-strong',
                        lambda p: '__stack_chk_fail' in dyn_symbols(p)),
    'fortify': ('_FORTIFY_SOURCE',
                lambda p: any(re.fullmatch(r'__\w+_chk', s) for s in dyn_symbols(p))),
}


@pytest.mark.parametrize('check', CHECKS)
def test_hardened(binary, check):
    flag, holds = CHECKS[check]
    if refused(binary, flag):
        pytest.skip(f'the compiler does not take {flag} (config.log)')
    progs = programs(binary)
    if check == 'fortify' and ASAN in dyn_symbols(progs[0]):
        pytest.skip('a sanitizer build: no _FORTIFY_SOURCE')
    missing = [str(p) for p in progs if not holds(p)]
    assert not missing, f'{check} missing in {missing}'
