#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Side-by-side IPVS harness: keepalived 2.2.7 and ours through the same timelines.

Runs where /proc/net/ip_vs exists (../shared/tools/ipvs-vm), as root; see README.md.
Each implementation runs every scenario of scenarios.py in turn (never two daemons at
once). At each mark it records the IPVS table (`ipvsadm -Ln --tun-info`, sorted, counters
dropped), the IPVS timeouts, the checker's log lines (normalised: no timestamps, no pids,
run directory as <run>) and the notify scripts' lines since the previous mark. Then it
compares ours with the reference mark by mark, minus the deliberate differences of
allow.py, and prints a diff.

Exit status: 0 equal, 1 different (or the reference differs from expected/ when ours is
not given), 2 usage/harness error, 77 no ip_vs here.
"""
import argparse
import difflib
import fnmatch
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.dont_write_bytecode = True
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import allow  # noqa: E402
import scenarios  # noqa: E402

REPO = HERE.parents[1]
NS = 'ipvsbe'
WORK = Path('/run/ipvs-harness')  # guest-only (FIFOs and scripts do not live on 9p)
VERBOSE = False

# The checker's event lines (spec section 3 and the checker protocols of section 2).
# Everything else (start-up banners, config warnings, CPU usage) is not compared.
CHECKER_LINE = re.compile(r'^(?:' + '|'.join([
    r'Adding service ', r'Removing service ', r'Enabling service ', r'Disabling service ',
    r'Gained quorum ', r'Lost quorum ', r'Starting with quorum ',
    r'(?:Adding|Enabling|Removing|Disabling) sorry server ',
    r'(?:Adding|Removing) alive servers ', r'Changing weight ',
    r'Shutting down ', r'Removing \(inhibited\) ', r'service .* no longer exist',
    r'Removing Virtual Server', r'VS \[.*\] (?:added into|in) group ',
    r'(?:Activating|Deactivating|Suspending) (?:BFD )?healthchecker', r'Reloading$',
    r'TCP_CHECK ', r'TCP connection to ', r'Misc check ', r'Disabling misc script',
    r'IPVS', r'Remote Web server ', r'HTTP_CHECK ', r'HTTP status code', r'MD5 digest',
    r'SECURITY VIOLATION', r'Stopping$',
]) + r')')
TIMESTAMP = re.compile(r'^(?:\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}: )?'
                       r'(?:Keepalived(?:_healthcheckers)?\[\d+\]: )?')


def log(*a):
    if VERBOSE:
        print('  ', *a, file=sys.stderr, flush=True)


def sh(*cmd, check=True, input=None):
    r = subprocess.run(cmd, input=input, capture_output=True, text=True)
    if check and r.returncode:
        raise RuntimeError(f'{" ".join(cmd)}: exit {r.returncode}: {r.stderr.strip()}')
    return r.stdout


# -- the test network --------------------------------------------------------------
class Net:
    """The backends' namespace behind a veth; RS addresses 10.1.0.1-40 live there."""

    def __init__(self):
        self.backend = None

    def up(self):
        self.down()
        sh('ip', 'netns', 'add', NS)
        batch = [f'link add kav0 type veth peer name kav1 netns {NS}', 'link set kav0 up',
                 'addr add 10.1.255.1/16 dev kav0']
        sh('ip', '-batch', '-', input='\n'.join(batch) + '\n')
        nbatch = ['link set lo up', 'link set kav1 up', 'addr add 10.1.255.2/16 dev kav1']
        nbatch += [f'addr add 10.1.0.{i}/16 dev kav1' for i in range(1, 41)]
        nbatch += ['addr add 10.1.0.77/16 dev kav1']
        sh('ip', '-n', NS, '-batch', '-', input='\n'.join(nbatch) + '\n')
        self.backend = subprocess.Popen(
            ['ip', 'netns', 'exec', NS, '/usr/bin/python3', str(HERE / 'backend.py')],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)

    def ctl(self, line):
        self.backend.stdin.write(line + '\n')
        self.backend.stdin.flush()
        ans = self.backend.stdout.readline().strip()
        if ans != 'ok':
            raise RuntimeError(f'backend: {line}: {ans!r}')

    def down(self):
        if self.backend:
            try:
                self.ctl('quit')
            except (RuntimeError, OSError, BrokenPipeError):
                pass
            try:
                self.backend.wait(5)
            except subprocess.TimeoutExpired:
                self.backend.kill()
                self.backend.wait()
            self.backend = None
        sh('ip', 'link', 'del', 'kav0', check=False)
        sh('ip', 'netns', 'del', NS, check=False)
        sh('ipvsadm', '-C', check=False)


# -- what a mark records -----------------------------------------------------------------
def ipvs_table():
    """`ipvsadm -Ln --tun-info`: services sorted, their dests sorted, counters dropped."""
    out = sh('ipvsadm', '-Ln', '--tun-info')
    services, cur = [], None
    for line in out.splitlines()[3:]:
        if line.startswith('  -> '):
            f = line.split()
            # -> addr:port Forward TunnelInfo Weight ActiveConn InActConn
            cur[1].append(f'  -> {f[1]} {f[2]} {f[3]} w{f[4]}')
        else:
            cur = (' '.join(line.split()), [])
            services.append(cur)
    rows = []
    for svc, dests in sorted(services):
        rows.append(svc)
        rows.extend(sorted(dests))
    return rows or ['(empty)']


def ipvs_timeouts():
    return [' '.join(sh('ipvsadm', '-L', '--timeout').split())]


def normalise(line, run):
    line = TIMESTAMP.sub('', line.rstrip('\n'))
    return line.replace(str(run), '<run>')


class Daemon:
    def __init__(self, binary, run, conf):
        self.binary, self.run, self.conf = binary, run, conf
        self.logfile = run / 'daemon.log'
        self.proc = None
        self.pos = 0            # the log offset of the previous mark

    def start(self):
        out = open(self.logfile, 'ab')
        r = self.run
        self.proc = subprocess.Popen(
            [self.binary, '-n', '-l', '-D', '-f', str(self.conf), '-p', str(r / 'ka.pid'),
             '-r', str(r / 'vrrp.pid'), '-c', str(r / 'check.pid')],
            stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True)
        out.close()

    def text(self):
        try:
            return self.logfile.read_text(errors='replace')
        except FileNotFoundError:
            return ''

    def lines_since(self, pos):
        data = self.logfile.read_bytes()[pos:] if self.logfile.exists() else b''
        return [normalise(x, self.run) for x in data.decode(errors='replace').splitlines()]

    def size(self):
        return self.logfile.stat().st_size if self.logfile.exists() else 0

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def signal(self, sig):
        if self.running():
            os.kill(self.proc.pid, sig)

    def stop(self, timeout=30):
        if not self.proc:
            return None
        self.signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
            return 'killed after timeout'


def wait_lines(d, since, regexes, timeout, quiet):
    """Wait for every regex among the lines since `since`, then for `quiet` s of silence."""
    missing = []
    deadline = time.monotonic() + timeout
    pending = [re.compile(r) for r in regexes]
    while pending and time.monotonic() < deadline:
        text = '\n'.join(d.lines_since(since))
        pending = [r for r in pending if not r.search(text)]
        if pending:
            if not d.running():
                break
            time.sleep(0.2)
    missing = [r.pattern for r in pending]
    # quiet = no new checker line (other chatter, e.g. slow-callback warnings under
    # emulation, does not count), for at most 5 quiet periods
    def count():
        return sum(1 for x in d.lines_since(since) if CHECKER_LINE.match(x))
    last, t = count(), time.monotonic()
    end = t + 5 * quiet
    while time.monotonic() - t < quiet and d.running() and time.monotonic() < end:
        time.sleep(0.2)
        n = count()
        if n != last:
            last, t = n, time.monotonic()
    return missing


def run_scenario(impl, binary, sc, outdir, quiet):
    """One implementation through one scenario: returns {mark: {stream: [lines]}}."""
    run = WORK / impl / sc['name']
    shutil.rmtree(run, ignore_errors=True)
    run.mkdir(parents=True)
    (run / 'notify.sh').write_text('#!/bin/sh\necho "$*" >> @RUN@/notify.log\n'
                                   .replace('@RUN@', str(run)))
    (run / 'misc.sh').write_text('#!/bin/sh\nc=1\nread c < @RUN@/misc.$1\nexit $c\n'
                                 .replace('@RUN@', str(run)))
    for f in ('notify.sh', 'misc.sh'):
        (run / f).chmod(0o755)
    for addr, code in sc.get('misc', {}).items():
        (run / f'misc.{addr}').write_text(f'{code}\n')
    conf = run / 'keepalived.conf'
    conf.write_text(sc['conf'].replace('@RUN@', str(run)))
    net = Net()
    net.up()
    for a in sc['backends']:
        net.ctl(f'up {a} 80')
    d = Daemon(binary, run, conf)
    marks = {}
    notify_pos = 0
    late = False
    t0 = time.monotonic()
    try:
        for step in sc['steps']:
            pos = d.size()
            exit_note = []
            for act in step.get('do', []):
                op = act[0]
                if op == 'start':
                    d.start()
                elif op == 'stop':
                    rc = d.stop()
                    exit_note = [f'exit status {rc}']
                elif op == 'reload':
                    conf.write_text(sc['confs'][act[1]].replace('@RUN@', str(run)))
                    d.signal(signal.SIGHUP)
                elif op == 'up':
                    net.ctl(f'up {act[1]} 80')
                elif op == 'down':
                    net.ctl(f'down {act[1]} 80')
                elif op == 'misc':
                    (run / f'misc.{act[1]}').write_text(f'{act[2]}\n')
                elif op == 'ip':
                    r = subprocess.run(list(act), capture_output=True, text=True)
                    if r.returncode:
                        exit_note.append(f'{" ".join(act)}: {r.stderr.strip()}')
                elif op == 'ipvsadm':
                    r = subprocess.run(['ipvsadm', *act[1:]], capture_output=True, text=True)
                    if r.returncode:
                        exit_note.append(f'ipvsadm {" ".join(act[1:])}: {r.stderr.strip()}')
            missing = []
            if d.proc is not None and d.running():
                # after one step timed out, the rest get a short one: a daemon that
                # misses events costs seconds, not minutes, of the CI budget
                timeout = step.get('timeout', 30) if not late else 6
                missing = wait_lines(d, pos, step.get('wait', []), timeout,
                                     step.get('quiet', quiet))
                late = late or bool(missing)
            elif step.get('wait'):
                missing = step['wait']
            lines = [x for x in d.lines_since(d.pos) if CHECKER_LINE.match(x)]
            d.pos = d.size()
            nlog = run / 'notify.log'
            ntext = nlog.read_text() if nlog.exists() else ''
            notify = sorted(ntext[notify_pos:].splitlines())
            notify_pos = len(ntext)
            status = list(exit_note)
            if d.proc is not None and not d.running() and 'stop' not in [a[0] for a in step.get('do', [])]:
                status.append(f'daemon exited: {d.proc.returncode}')
            status += [f'timed out waiting for /{m}/' for m in missing]
            marks[step['mark']] = {'ipvs': ipvs_table(), 'timeouts': ipvs_timeouts(),
                                   'log': lines, 'notify': notify, 'status': status}
            log(f'{impl} {sc["name"]} {step["mark"]}: {time.monotonic() - t0:.1f} s')
    finally:
        if d.running():
            d.stop(10)
        net.down()
        outdir.mkdir(parents=True, exist_ok=True)
        shutil.copy(d.logfile, outdir / f'{sc["name"]}.daemon.log') if d.logfile.exists() else None
    return marks


# -- rendering and comparing --------------------------------------------------------
SUBJECT = re.compile(r'(?:to|from|of|for) VS (\S+)|VS (\[[^\]]*\]\S*)')


def subject(line):
    """The VS a line is about (its lines keep their order), else its first address."""
    m = SUBJECT.search(line)
    if m:
        return 'VS ' + (m.group(1) or m.group(2))
    m = re.search(r'\[[^\]]*\][^\s\]]*', line)
    return m.group(0) if m else ''


def render(marks, keep_order=False):
    """A mark's text; log lines grouped by subject (order kept within a group)."""
    out = []
    for mark, rec in marks.items():
        out.append(f'== {mark}')
        for s in rec['status']:
            out.append(f'   ! {s}')
        out.append('   ipvs:')
        out += ['     ' + x for x in rec['ipvs']]
        out.append('   ' + rec['timeouts'][0])
        lines = rec['log'] if keep_order else sorted(rec['log'], key=subject)
        out.append('   log:')
        out += ['     ' + x for x in lines]
        out.append('   notify:')
        out += ['     ' + x for x in rec['notify']]
    return out


def globs(name, pat):
    pats = pat if isinstance(pat, (tuple, list)) else (pat,)
    return any(fnmatch.fnmatch(name, p) for p in pats)


def apply_allow(run, marks, side, used):
    """Drop what allow.py lists for this side; note each use."""
    res = {}
    for mark, rec in marks.items():
        new = {k: list(v) for k, v in rec.items()}
        for a in allow.ALLOW:
            if not globs(run, a.get('run', '*')) or not globs(mark, a.get('mark', '*')):
                continue
            rx = a.get(side)
            if rx is None:
                continue
            stream = a['stream']
            keep = []
            for x in new[stream]:
                if re.search(rx, x):
                    used.setdefault(a['reason'], set()).add(f'{side}: {run}/{mark}: {x.strip()}')
                    if 'replace' in a:
                        keep.append(re.sub(rx, a['replace'], x))
                else:
                    keep.append(x)
            new[stream] = keep
        if not new['ipvs']:
            new['ipvs'] = ['(empty)']
        res[mark] = new
    return res


def compare(name, ref, ours, used):
    ref_f = render(apply_allow(name, ref, 'ref', used))
    ours_f = render(apply_allow(name, ours, 'ours', used))
    return list(difflib.unified_diff(ref_f, ours_f, f'keepalived-2.2.7/{name}',
                                     f'ours/{name}', n=4, lineterm=''))


def main():
    global VERBOSE
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--ours', help='our keepalived binary (default: ./build/keepalived/keepalived '
                   'or ./keepalived/keepalived if one exists; without one only the reference runs)')
    p.add_argument('--ref', default='/usr/sbin/keepalived', help='keepalived 2.2.7')
    p.add_argument('--only', nargs='*', help='scenario names (default: all)')
    p.add_argument('--record', action='store_true',
                   help='write the reference\'s marks to tests/ipvs/expected/')
    p.add_argument('--quiet', type=float, default=3.5,
                   help='seconds of log silence that end a step (default 3.5)')
    p.add_argument('--out', default='tests/ipvs/out',
                   help='raw logs and marks (default ./tests/ipvs/out: ipvs-vm shares only the '
                   'working directory read-write)')
    p.add_argument('-v', '--verbose', action='store_true')
    args = p.parse_args()
    VERBOSE = args.verbose
    if not Path('/proc/net/ip_vs').exists():
        print('no ip_vs here (/proc/net/ip_vs): skipped; run it in ../shared/tools/ipvs-vm')
        return 77
    if os.geteuid() != 0:
        print('needs root', file=sys.stderr)
        return 2
    ours = args.ours
    for cand in ('build/keepalived/keepalived', 'keepalived/keepalived'):
        if ours is None and not args.record and Path(cand).is_file():
            ours = str(Path(cand).resolve())
    runs = [s for s in scenarios.RUNS if not args.only or s['name'] in args.only]
    out = Path(args.out)
    results = {}
    t0 = time.monotonic()
    for impl, binary in (('ref', args.ref), ('ours', ours)):
        if not binary:
            continue
        for sc in runs:
            t = time.monotonic()
            results[(impl, sc['name'])] = run_scenario(impl, binary, sc, out / impl,
                                                       args.quiet)
            text = render(results[(impl, sc['name'])], keep_order=True)
            (out / impl / f'{sc["name"]}.marks').write_text('\n'.join(text) + '\n')
            print(f'{impl:4} {sc["name"]:10} {time.monotonic() - t:5.1f} s  ({sc["what"]})',
                  flush=True)
    print(f'total {time.monotonic() - t0:.1f} s')
    failed = False
    used = {}
    exp_dir = HERE / 'expected'
    for sc in runs:
        name = sc['name']
        ref = results[('ref', name)]
        if args.record:
            exp_dir.mkdir(exist_ok=True)
            (exp_dir / f'{name}.txt').write_text(
                f'# keepalived 2.2.7 ({args.ref}) through scenario {name}: {sc["what"]}\n'
                '# recorded by tests/ipvs/run.sh --record; log lines grouped by subject\n'
                + '\n'.join(render(ref)) + '\n')
            continue
        exp = exp_dir / f'{name}.txt'
        want = [x for x in exp.read_text().splitlines() if not x.startswith('#')] \
            if exp.exists() else []
        ediff = list(difflib.unified_diff(want, render(ref), f'expected/{name}.txt',
                                          f'keepalived-2.2.7/{name}', n=4, lineterm=''))
        if ours:
            diff = compare(name, ref, results[('ours', name)], used)
            what = 'ours vs keepalived 2.2.7'
            if ediff:
                # not a failure of ours, but worth knowing: timing made 2.2.7 differ
                print(f'\nnote: keepalived 2.2.7 differs from {exp} this time:')
                print('\n'.join(ediff))
        else:
            diff = ediff
            what = 'keepalived 2.2.7 vs expected/ (the harness is repeatable)'
        if diff:
            failed = True
            print(f'\nDIFFERENT {name}: {what}')
            print('\n'.join(diff))
        else:
            print(f'same      {name}: {what}')
    if used:
        print('\ndeliberate differences (allow.py) that applied:')
        for reason, hits in used.items():
            print(f'  - {reason}')
            for h in sorted(hits):
                print(f'      {h}')
    if args.record:
        print(f'recorded {", ".join(s["name"] for s in runs)} in {exp_dir}')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
