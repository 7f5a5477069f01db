# SPDX-License-Identifier: GPL-2.0-or-later
"""The checker child's SIGUSR1 dump (keepalived_check.data), ours against keepalived 2.2.7.

keepalived 2.2.7's checker child exits without ip_vs, so this runs in ../shared/tools/ipvs-vm
beside harness.py (same backends' namespace, same Daemon class): each implementation
with the same config, until its checkers have settled (one real server up, one down, an
HTTP check up), then SIGUSR1; the two files are compared once the run directory, times
and the lines listed in ALLOWED (2.2.7's bookkeeping we do not have) are normalised.

    ../shared/tools/ipvs-vm -- tests/ipvs/dumps.py [--ours PATH] [--record]

--record writes 2.2.7's normalised file to expected/dumps-check.data (the golden: read
it to see 2.2.7's format). Without --ours (or ./build/keepalived/keepalived) only 2.2.7
runs and is compared with the golden. Exit: 0 same, 1 different (a unified diff), 2 a
harness error, 77 no ip_vs here.
"""
import argparse
import difflib
import os
import re
import signal
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import harness  # noqa: E402

RUN = Path('/run/ipvs-harness-dumps')
GOLDEN = HERE / 'expected' / 'dumps-check.data'

CONF = harness.scenarios.GLOBAL.format(extra='') + '''virtual_server 10.0.0.1 80 {
    delay_loop 2
    lb_algo rr
    lb_kind NAT
    protocol TCP
    quorum 1
    sorry_server 10.9.9.9 80
    real_server 10.1.0.1 80 {
        weight 2
        TCP_CHECK {
            connect_timeout 1
        }
    }
    real_server 10.1.0.2 80 {
        weight 1
        inhibit_on_failure
        TCP_CHECK {
            connect_timeout 1
            retry 0
        }
    }
}
virtual_server 10.0.0.2 8080 {
    delay_loop 3
    lb_algo wlc
    lb_kind DR
    protocol TCP
    real_server 10.1.0.3 8080 {
        HTTP_GET {
            url {
                path /
                status_code 200
            }
            connect_timeout 2
        }
    }
}
'''

# Waited for before the dump: each checker has its result.
SETTLED = [r'TCP connection to \[10\.1\.0\.1\]:tcp:80 success',
           r'TCP_CHECK on service \[10\.1\.0\.2\]:tcp:80 failed',
           r'Remote Web server \[10\.1\.0\.3\]:tcp:8080 succeed on service']


# The deliberate differences (keepalived(8), DUMPS), dropped from both sides before the
# comparison: 2.2.7's lines for what we do not have (libnftnl, a BFD process), and its
# checker's and parent's unresolved lower priority GARP settings (4294967295: ours show
# the values in effect, as its VRRP child does).
ALLOWED = re.compile(r'^ libnftnl version |^ BFD |^ Gratuitous ARP lower priority ')


def normalise(text, run):
    out = []
    for line in text.splitlines():
        line = line.replace(str(run), '<run>')
        line = re.sub(r'\d{10}\.\d{6} \(.*\)', 'TIME', line)
        line = re.sub(r'= [A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4}', '= TIME', line)
        out.append(line)
    return out


def run_one(impl, binary):
    run = RUN / impl
    if run.exists():
        for p in run.iterdir():
            p.unlink()
    run.mkdir(parents=True, exist_ok=True)
    conf = run / 'ka.conf'
    conf.write_text(CONF)
    net = harness.Net()
    net.up()
    d = harness.Daemon(binary, run, conf)
    try:
        net.ctl('up 10.1.0.1 80')
        net.ctl('up 10.1.0.3 8080')
        os.environ['TMPDIR'] = str(run)
        d.start()
        deadline = time.monotonic() + 60
        while not all(re.search(p, d.text()) for p in SETTLED):
            if time.monotonic() > deadline or not d.running():
                raise RuntimeError(f'{impl}: checkers did not settle:\n{d.text()[-3000:]}')
            time.sleep(0.2)
        time.sleep(1)
        d.signal(signal.SIGUSR1)
        dump = run / 'keepalived_check.data'
        deadline = time.monotonic() + 20
        while not (dump.exists() and 'Printing checker data' in d.text()):
            if time.monotonic() > deadline:
                raise RuntimeError(f'{impl}: no checker dump:\n{d.text()[-3000:]}')
            time.sleep(0.2)
        time.sleep(0.5)
        return dump.read_text(), run
    finally:
        d.stop()
        net.down()


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--ours')
    p.add_argument('--ref', default='/usr/sbin/keepalived')
    p.add_argument('--record', action='store_true')
    p.add_argument('--out', default='tests/ipvs/out')
    args = p.parse_args()
    if not Path('/proc/net/ip_vs').exists():
        print('no ip_vs here (/proc/net/ip_vs): skipped; run it in ../shared/tools/ipvs-vm')
        return 77
    ours = args.ours
    for cand in ('build/keepalived/keepalived', 'keepalived/keepalived'):
        if ours is None and not args.record and Path(cand).is_file():
            ours = str(Path(cand).resolve())
    out = Path(args.out)
    texts = {}
    for impl, binary in (('ref', args.ref), ('ours', ours)):
        if not binary:
            continue
        raw, run = run_one(impl, binary)
        (out / impl).mkdir(parents=True, exist_ok=True)
        (out / impl / 'check.data').write_text(raw)
        texts[impl] = normalise(raw, run)
    if args.record:
        GOLDEN.write_text('\n'.join(texts['ref']) + '\n')
        print(f'recorded {GOLDEN}')
        return 0
    rc = 0
    want = GOLDEN.read_text().splitlines() if GOLDEN.exists() else []
    if texts['ref'] != want:
        print('2.2.7 differs from its golden (not repeatable?):')
        print('\n'.join(difflib.unified_diff(want, texts['ref'], 'golden', 'ref', lineterm='')))
        rc = 1
    if 'ours' in texts:
        ref, mine = ([x for x in texts[k] if not ALLOWED.search(x)] for k in ('ref', 'ours'))
        diff = list(difflib.unified_diff(ref, mine, 'keepalived 2.2.7', 'ours', lineterm=''))
        if diff:
            print('keepalived_check.data: ours differs from 2.2.7:')
            print('\n'.join(diff))
            rc = 1
        else:
            print('keepalived_check.data: ours and 2.2.7 agree')
    return rc


if __name__ == '__main__':
    try:
        sys.exit(main())
    except RuntimeError as e:
        print(e, file=sys.stderr)
        sys.exit(2)
