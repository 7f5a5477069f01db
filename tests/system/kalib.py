# SPDX-License-Identifier: GPL-2.0-or-later
"""System-test library: network namespaces, daemons under test, packet captures.

Everything this module creates carries PREFIX (unique per run) and is removed
by CLEANUP, which runs from the pytest finalizers, at exit, and on SIGINT or
SIGTERM. Processes are only ever killed by PID, and only PIDs we started or
that live in a namespace we created.
"""
import atexit
import ctypes
import os
import re
import secrets
import signal
import struct
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
CONFIGS = HERE / 'configs'
REFERENCE = os.environ.get('KA_REFERENCE', '')
DEBIAN = '/usr/sbin/keepalived'     # Debian's keepalived 2.2.7, the interop tests' other side


# ---------------------------------------------------------------- cleanup

class Cleanup:
    """Undo actions, run last-registered first, each at most once."""

    def __init__(self):
        self._actions = {}
        self._next = 0

    def add(self, fn):
        self._next += 1
        self._actions[self._next] = fn
        return self._next

    def run(self, token):
        fn = self._actions.pop(token, None)
        if fn:
            _quietly(fn)

    def discard(self, token):
        """Forget an action that its owner has done itself."""
        self._actions.pop(token, None)

    def run_all(self):
        while self._actions:
            try:
                token = max(self._actions)
            except ValueError:  # emptied meanwhile by a signal handler's run_all
                break
            self.run(token)


def _quietly(fn):
    try:
        fn()
    except Exception as e:  # cleanup must go on with the next action
        print(f'kalib: cleanup step failed: {e!r}', file=sys.stderr)


CLEANUP = Cleanup()
atexit.register(CLEANUP.run_all)


def _on_signal(signum, frame):
    CLEANUP.run_all()
    if signum == signal.SIGINT:
        raise KeyboardInterrupt
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


for _sig in (signal.SIGINT, signal.SIGTERM):
    signal.signal(_sig, _on_signal)

# A daemon parent killed with SIGKILL leaves its children to be reparented:
# make that us rather than PID 1 (which may not reap), so kill_tree can reap them.
PR_SET_CHILD_SUBREAPER = 36
try:
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
except (OSError, AttributeError):
    pass


# ---------------------------------------------------------------- polling

def wait_for(pred, timeout, what='condition', interval=0.01):
    """Poll pred() until it returns a true value (returned) or timeout s pass."""
    deadline = time.monotonic() + timeout
    while True:
        v = pred()
        if v:
            return v
        if time.monotonic() >= deadline:
            raise AssertionError(f'timed out after {timeout} s waiting for {what}')
        time.sleep(interval)


def holds_for(pred, duration, what='condition', interval=0.01):
    """Assert pred() stays true for the whole duration (a property over time)."""
    deadline = time.monotonic() + duration
    while time.monotonic() < deadline:
        if not pred():
            raise AssertionError(f'{what} stopped holding')
        time.sleep(interval)


# ---------------------------------------------------------------- processes

def alive(pid):
    """True if pid exists and is not a zombie."""
    try:
        stat = Path(f'/proc/{pid}/stat').read_text()
    except (FileNotFoundError, ProcessLookupError):
        return False
    return stat[stat.rindex(')') + 2] not in 'ZXx'


def ppid(pid):
    try:
        stat = Path(f'/proc/{pid}/stat').read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    return int(stat[stat.rindex(')') + 2:].split()[1])


def children(pid):
    """The children of every thread of pid; none once pid is gone (it may exit while
    this reads /proc: a glob of /proc/PID/task then fails in its scandir)."""
    pids = set()
    try:
        tasks = os.listdir(f'/proc/{pid}/task')
    except OSError:
        return pids
    for task in tasks:
        try:
            found = Path(f'/proc/{pid}/task/{task}/children').read_text().split()
        except OSError:
            continue
        pids.update(int(p) for p in found)
    return pids


def descendants(pid):
    found, todo = set(), [pid]
    while todo:
        for c in children(todo.pop()):
            if c not in found:
                found.add(c)
                todo.append(c)
    return found


def netlink_subscribed(pid):
    """True once one of pid's netlink sockets has joined a multicast group, i.e. it gets
    events from now on (/proc/PID/net/netlink shows the namespace pid is in)."""
    inodes = set()
    try:
        for fd in Path(f'/proc/{pid}/fd').iterdir():
            try:
                link = os.readlink(fd)
            except OSError:
                continue
            if link.startswith('socket:['):
                inodes.add(int(link[len('socket:['):-1]))
        rows = Path(f'/proc/{pid}/net/netlink').read_text().splitlines()[1:]
    except OSError:
        return False
    # sk Eth Pid Groups Rmem Wmem Dump Locks Drops Inode; Groups: the first 32, in hex
    return any(int(f[9]) in inodes and int(f[3], 16) for f in map(str.split, rows))


def reap(pid):
    """Collect pid if it is our (possibly adopted) child; harmless otherwise."""
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass


def kill(pid, sig=signal.SIGKILL):
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass


def read_pid(path):
    """The PID in a pid file, or None if it is absent or not (yet) complete."""
    try:
        text = Path(path).read_text()
    except FileNotFoundError:
        return None
    return int(text) if re.fullmatch(r'\s*\d+\s*', text) else None


def dead_pid():
    """A PID that no process has right now (a child we started and reaped)."""
    p = subprocess.Popen(['true'])
    p.wait()
    assert not alive(p.pid)
    return p.pid


# ---------------------------------------------------------------- namespaces

def sh(*cmd, check=True, **kw):
    """Run a command, capture its output; raise with its stderr if it fails."""
    r = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, **kw)
    if check and r.returncode != 0:
        raise RuntimeError(f'{" ".join(map(str, cmd))}: exit {r.returncode}: {r.stderr.strip()}')
    return r


def netns_list():
    return [line.split()[0] for line in sh('ip', 'netns', 'list').stdout.splitlines() if line]


def _new_prefix():
    taken = netns_list()
    while True:
        p = 'kt' + secrets.token_hex(2)
        if not any(n.startswith(p) for n in taken):
            return p


PREFIX = _new_prefix()
_serial = 0


def _name(suffix):
    global _serial
    _serial += 1
    name = f'{PREFIX}{_serial}{suffix}'
    assert len(name) <= 15, name
    return name


def netns_pids(ns):
    """PIDs of the processes whose network namespace is ns (like `ip netns pids`)."""
    try:
        st = os.stat(f'/run/netns/{ns}')
    except FileNotFoundError:
        return set()
    pids = set()
    for d in Path('/proc').iterdir():
        if d.name.isdigit():
            try:
                s = os.stat(d / 'ns' / 'net')
            except OSError:
                continue
            if (s.st_dev, s.st_ino) == (st.st_dev, st.st_ino):
                pids.add(int(d.name))
    return pids


_ns_tokens = {}


def netns_add(suffix):
    """Create a namespace named PREFIX<n><suffix> with lo up; removed by CLEANUP."""
    ns = _name(suffix)
    _ns_tokens[ns] = CLEANUP.add(lambda: netns_del(ns))
    sh('ip', 'netns', 'add', ns)
    sh('ip', '-n', ns, 'link', 'set', 'lo', 'up')
    return ns


def netns_del(ns):
    """Kill what still runs in ns (it can only be ours), then delete it."""
    CLEANUP.discard(_ns_tokens.pop(ns, None))
    if ns not in netns_list():
        return
    for pid in netns_pids(ns):
        kill(pid)
        reap(pid)
    sh('ip', 'netns', 'del', ns)


class Topology:
    """N hosts, each in its own namespace, on one bridge in a "switch" namespace.

    Host i (from 0) gets interface `ifname` with 192.0.2.(i+1)/24 and
    2001:db8::(i+1)/64. The host end of each veth is created inside the host's
    namespace and the switch end inside the switch namespace, so neither ever
    appears in the root namespace. Host interfaces keep a fixed name (eth0)
    that the fixture configs refer to; switch ports carry the run prefix.
    """

    def __init__(self, hosts=('a',), ifname='eth0'):
        self.ifname = ifname
        self.ns, self.port, self.addr4, self.addr6 = {}, {}, {}, {}
        self.switch = netns_add('sw')
        self.bridge = _name('br')
        sh('ip', '-n', self.switch, 'link', 'add', self.bridge, 'type', 'bridge',
           'forward_delay', '0', 'mcast_snooping', '0')
        sh('ip', '-n', self.switch, 'link', 'set', self.bridge, 'up')
        for i, h in enumerate(hosts):
            ns = self.ns[h] = netns_add(h)
            # No IPv6 duplicate address detection: a tentative link-local address
            # cannot be a source, and VRRPv3 over IPv6 sends from it at once.
            for conf in ('all', 'default'):
                sh('ip', 'netns', 'exec', ns, 'sysctl', '-qw',
                   f'net.ipv6.conf.{conf}.accept_dad=0')
            port = self.port[h] = _name(f'p{h}')
            self.addr4[h] = f'192.0.2.{i + 1}'
            self.addr6[h] = f'2001:db8::{i + 1}'
            sh('ip', '-n', ns, 'link', 'add', ifname, 'type', 'veth',
               'peer', 'name', port, 'netns', self.switch)
            sh('ip', '-n', self.switch, 'link', 'set', port, 'master', self.bridge, 'up')
            sh('ip', '-n', ns, 'addr', 'add', f'{self.addr4[h]}/24', 'dev', ifname)
            sh('ip', '-n', ns, 'addr', 'add', f'{self.addr6[h]}/64', 'dev', ifname, 'nodad')
            sh('ip', '-n', ns, 'link', 'set', ifname, 'up')

    def destroy(self):
        for ns in [*self.ns.values(), self.switch]:
            netns_del(ns)

    def host(self, h='a'):
        return self.ns[h]

    def ip(self, h, *args, check=True):
        """Run `ip -n NS args` for host h."""
        return sh('ip', '-n', self.ns[h], *args, check=check)

    def add_link(self, h, name, up=True):
        """An extra interface in host h: a veth whose peer (NAMEp) stays in h too.

        (No dummy: the kernel may lack the module.) `ip link set NAME down`
        takes it down; removed with the namespace.
        """
        self.ip(h, 'link', 'add', name, 'type', 'veth', 'peer', 'name', f'{name}p')
        if up:
            self.ip(h, 'link', 'set', f'{name}p', 'up')
            self.ip(h, 'link', 'set', name, 'up')

    def link_local(self, h):
        """Host h's fe80:: address on its interface."""
        return next(a.split('/')[0] for a in self.addrs(h) if a.startswith('fe80:'))

    def cut(self, h):
        """Unplug host h from the switch (its own link stays up)."""
        sh('ip', '-n', self.switch, 'link', 'set', self.port[h], 'down')

    def plug(self, h):
        sh('ip', '-n', self.switch, 'link', 'set', self.port[h], 'up')

    def isolate(self, h):
        """Take host h's port off the bridge: its link keeps carrier, its packets go nowhere."""
        sh('ip', '-n', self.switch, 'link', 'set', self.port[h], 'nomaster')

    def rejoin(self, h):
        sh('ip', '-n', self.switch, 'link', 'set', self.port[h], 'master', self.bridge)

    def addrs(self, h):
        """Addresses on host h's interface, as 'ADDR/PLEN' strings."""
        out = sh('ip', '-n', self.ns[h], '-o', 'addr', 'show', 'dev', self.ifname).stdout
        return re.findall(r'inet6? (\S+)', out)

    def addrs_by_dev(self, h):
        """Every address on host h, on any interface, as (device, 'ADDR/PLEN') pairs."""
        out = sh('ip', '-n', self.ns[h], '-o', 'addr', 'show').stdout
        return {(dev.split('@')[0], a) for dev, a in
                re.findall(r'^\d+:\s+(\S+)\s+inet6? (\S+)', out, re.M)}

    def has_addr(self, h, addr):
        return any(a.split('/')[0] == addr for a in self.addrs(h))


# ---------------------------------------------------------------- the daemon

def find_binary():
    """The daemon under test: $KA_REFERENCE, $KEEPALIVED, $KA_BUILDDIR, <repo>/build."""
    if REFERENCE:
        return REFERENCE
    if os.environ.get('KEEPALIVED'):
        return os.environ['KEEPALIVED']
    cands = []
    if os.environ.get('KA_BUILDDIR'):
        cands.append(Path(os.environ['KA_BUILDDIR']) / 'keepalived' / 'keepalived')
    cands.append(REPO / 'build' / 'keepalived' / 'keepalived')
    for c in cands:
        if c.is_file() and os.access(c, os.X_OK):
            return str(c)
    return None


def make_conf(path, fixture, *replace, append=''):
    """Write configs/<fixture> to path with (old, new) replacements and text appended.

    Each old string must occur, so a test never runs an unchanged config by mistake.
    """
    text = (CONFIGS / fixture).read_text()
    for old, new in replace:
        assert old in text, f'{old!r} not in {fixture}'
        text = text.replace(old, new)
    Path(path).write_text(text + append)
    return Path(path)


def is_reference(binary):
    """Whether binary is keepalived 2.2.7 (Debian's, or $KA_REFERENCE), not ours."""
    ref = {Path('/usr/sbin/keepalived').resolve()}
    if REFERENCE:
        ref.add(Path(REFERENCE).resolve())
    return Path(binary).resolve() in ref


class Daemon:
    """One keepalived run in a namespace, with its own log and pid files in workdir.

    The log (stdout+stderr, -l -D) is the main evidence: wait_log() polls it.
    """

    def __init__(self, binary, ns, conf, workdir, name='ka', args=(), log=None):
        self.binary, self.ns, self.conf = binary, ns, str(conf)
        self.args = list(args)
        # ours: a control socket of its own, not the default /run/keepalived/keepalived.ctl
        # of the machine (tests run side by side; 2.2.7 has no such option)
        sock = Path(workdir) / f'{name}.ctl'
        if not is_reference(binary) and len(str(sock)) < 100 and \
                not any(str(a).startswith('--control-socket') for a in self.args):
            self.args.append(f'--control-socket={sock}')
        self.log = Path(workdir) / (log or f'{name}.log')
        self.pidfile, self.vrrp_pidfile, self.check_pidfile = self.pidfiles(workdir, name)
        self.proc = None
        self._known = set()     # every PID seen in the tree, for teardown
        self._token = None

    @staticmethod
    def pidfiles(workdir, name='ka'):
        """Paths of the parent, VRRP child and checker child pid files."""
        wd = Path(workdir)
        return wd / f'{name}.pid', wd / f'{name}-vrrp.pid', wd / f'{name}-check.pid'

    @property
    def cmd(self):
        return ['ip', 'netns', 'exec', self.ns, self.binary, '-n', '-l', '-D',
                '-f', self.conf, '-p', str(self.pidfile), '-r', str(self.vrrp_pidfile),
                '-c', str(self.check_pidfile), *self.args]

    def start(self):
        self._token = CLEANUP.add(self.kill_tree)
        with open(self.log, 'ab') as log:
            # Own session: a Ctrl-C at the terminal reaches pytest, which cleans up.
            self.proc = subprocess.Popen(self.cmd, stdin=subprocess.DEVNULL, stdout=log,
                                         stderr=subprocess.STDOUT, start_new_session=True)
        self.pid = self.proc.pid    # `ip netns exec` execs the binary in place
        self._known.add(self.pid)
        return self

    # -- the log
    def text(self, since=0):
        try:
            with open(self.log, 'rb') as f:
                f.seek(since)
                return f.read().decode(errors='replace')
        except FileNotFoundError:
            return ''

    def mark(self):
        """A log position; pass it as since= to look only at what follows."""
        try:
            return self.log.stat().st_size
        except FileNotFoundError:
            return 0

    def search(self, regex, since=0):
        return re.search(regex, self.text(since), re.M)

    def wait_log(self, regex, timeout=5, since=0):
        """The first match of regex in the log after since; fails with the log tail.

        Fails at once if the daemon has exited and its log does not match.
        """
        def look():
            running = self.running()
            m = self.search(regex, since)
            if not m and not running:
                raise AssertionError(f'exited with code {self.proc.returncode}')
            return m
        try:
            return wait_for(look, timeout, 'it')
        except AssertionError as e:
            raise AssertionError(f'/{regex}/ not in {self.log}: {e}\n'
                                 f'--- log tail ---\n{self.tail()}') from None

    def tail(self, n=40):
        return '\n'.join(self.text().splitlines()[-n:])

    # -- processes
    def parent_pid(self):
        return read_pid(self.pidfile)

    def vrrp_pid(self):
        return read_pid(self.vrrp_pidfile)

    def check_pid(self):
        return read_pid(self.check_pidfile)

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def tree(self):
        """The parent and all its live descendants."""
        pids = ({self.pid} | descendants(self.pid)) if self.running() else set()
        self._known |= pids
        return {p for p in pids if alive(p)}

    def signal(self, sig):
        os.kill(self.pid, sig)

    def wait_exit(self, timeout=5):
        """The exit code, once the parent has exited within timeout s."""
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError(f'{self.binary} did not exit within {timeout} s\n'
                                 f'--- log tail ---\n{self.tail()}') from None

    def stop(self, timeout=5):
        """SIGTERM, wait up to timeout s, then SIGKILL the tree. Returns the exit code."""
        if self.running():
            self.tree()
            self.signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                pass
        self.kill_tree()
        return self.proc.returncode

    def kill_tree(self):
        """SIGKILL the parent, its descendants, and the children named in the pid files.

        A pid-file PID counts only if it is in our namespace and is a child of
        this daemon or was adopted by us after its parent died: another daemon
        sharing the pid files (the second-instance test) keeps its processes.
        """
        if self.proc is None:
            return
        self.tree()
        ours = netns_pids(self.ns)
        for f in (self.vrrp_pidfile, self.check_pidfile):
            p = read_pid(f)
            if p in ours and ppid(p) in (self.pid, os.getpid()):
                self._known.add(p)
        for p in sorted(self._known):
            if p == self.pid or p in ours or p in descendants(self.pid):
                kill(p)
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        for p in self._known:
            reap(p)
        CLEANUP.discard(self._token)


def stop_all(daemons, timeout=5):
    """SIGTERM every running daemon at once, then wait: stop() for many in parallel.

    Returns the exit codes in order.
    """
    for d in daemons:
        if d.running():
            d.tree()
            d.signal(signal.SIGTERM)
    deadline = time.monotonic() + timeout
    for d in daemons:
        if d.proc is not None and d.running():
            try:
                d.proc.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
    for d in daemons:
        d.kill_tree()
    return [d.proc.returncode if d.proc else None for d in daemons]


def run_binary(binary, args, ns=None, cwd=None, timeout=20):
    """Run the binary once (e.g. -t), optionally inside ns; returns CompletedProcess."""
    cmd = [binary, *args]
    if ns:
        cmd = ['ip', 'netns', 'exec', ns, *cmd]
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL)


# ---------------------------------------------------------------- capture

class Capture:
    """tcpdump -w on one interface in a namespace, started before and stopped after an action.

        with Capture(ns, 'eth0', tmp_path / 'a.pcap', 'ip proto 112') as cap:
            ...
        adverts = vrrp_adverts(cap.packets())
    """

    def __init__(self, ns, ifname, path, bpf='', snaplen=0, buffer_kib=None):
        """snaplen 0: whole packets. On a veth (GSO on) libpcap then sizes each ring
        frame for 256 kB, and its 2 MB ring holds 8 packets: a tcpdump that does not run
        for a while (2 cores saturated) drops what passed the filter. A small snaplen
        and buffer_kib (-B) make room for thousands."""
        self.ns, self.ifname, self.path = ns, ifname, Path(path)
        self.bpf = bpf.split()
        self.opts = ['-s', str(snaplen)] + (['-B', str(buffer_kib)] if buffer_kib else [])
        self.errlog = self.path.with_suffix('.tcpdump.log')
        self.proc = None
        self._token = None

    def start(self, timeout=5):
        self._token = CLEANUP.add(self.stop)
        with open(self.errlog, 'wb') as err:
            # -Z root: Debian's tcpdump drops to user tcpdump, which cannot write our tmp dir.
            self.proc = subprocess.Popen(
                ['ip', 'netns', 'exec', self.ns, 'tcpdump', '-i', self.ifname, '-w',
                 str(self.path), '-U', '--immediate-mode', '-n', *self.opts, '-Z', 'root',
                 *self.bpf],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err,
                start_new_session=True)
        wait_for(lambda: 'listening on' in self.errlog.read_text(errors='replace')
                 or self.proc.poll() is not None, timeout, 'tcpdump to start')
        if self.proc.poll() is not None:
            raise RuntimeError(f'tcpdump failed: {self.errlog.read_text()}')
        return self

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        CLEANUP.discard(self._token)

    def packets(self):
        """Packets written so far (also while running: -U writes each one at once)."""
        return read_pcap(self.path) if self.path.exists() else []

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


LINKTYPE_ETHERNET = 1


def read_pcap(path):
    """[(timestamp_s, linktype, frame bytes)] from a classic pcap file.

    A record cut short at the end (the writer is still running) is left out.
    """
    data = Path(path).read_bytes()
    if len(data) < 24:
        return []
    magic = data[:4]
    for endian in '<>':
        m = struct.unpack(endian + 'I', magic)[0]
        if m in (0xa1b2c3d4, 0xa1b23c4d):
            break
    else:
        raise ValueError(f'{path}: not a pcap file')
    frac = 1e-6 if m == 0xa1b2c3d4 else 1e-9
    linktype = struct.unpack(endian + 'I', data[20:24])[0]
    out, off = [], 24
    while off + 16 <= len(data):
        sec, sub, incl, _orig = struct.unpack(endian + 'IIII', data[off:off + 16])
        if off + 16 + incl > len(data):
            break
        out.append((sec + sub * frac, linktype, data[off + 16:off + 16 + incl]))
        off += 16 + incl
    return out


def decode_ip(frame, linktype=LINKTYPE_ETHERNET):
    """dict(src, dst, proto, ttl, payload) of an Ethernet IPv4/IPv6 frame, else None."""
    if linktype != LINKTYPE_ETHERNET or len(frame) < 14:
        return None
    import ipaddress
    etype = struct.unpack('!H', frame[12:14])[0]
    p = frame[14:]
    if etype == 0x0800 and len(p) >= 20:
        ihl = (p[0] & 0x0f) * 4
        total = struct.unpack('!H', p[2:4])[0]
        return dict(family=4, src=str(ipaddress.IPv4Address(p[12:16])),
                    dst=str(ipaddress.IPv4Address(p[16:20])), ttl=p[8], proto=p[9],
                    payload=p[ihl:total], smac=frame[6:12].hex(':'))
    if etype == 0x86dd and len(p) >= 40:
        plen = struct.unpack('!H', p[4:6])[0]
        return dict(family=6, src=str(ipaddress.IPv6Address(p[8:24])),
                    dst=str(ipaddress.IPv6Address(p[24:40])), ttl=p[7], proto=p[6],
                    payload=p[40:40 + plen], smac=frame[6:12].hex(':'))
    return None


def vrrp_adverts(packets):
    """The VRRP adverts among packets, as dicts, in capture order.

    IP protocol 112, or 51 (IPsec AH, keepalived's auth_type AH) carrying 112.
    Fields: ts, src, dst, ttl, smac, ah (True if inside AH), version, type,
    vrid, priority, count, advert_cs (advert interval, centiseconds), auth_type
    (v2), auth_data (v2: the 8 bytes after the addresses), addrs.
    No extension headers in IPv6 (keepalived sends none).
    """
    import ipaddress
    out = []
    for ts, lt, frame in packets:
        ip = decode_ip(frame, lt)
        if not ip:
            continue
        v, ah = ip['payload'], False
        if ip['proto'] == 51 and len(v) >= 12 and v[0] == 112:
            v, ah = v[(v[1] + 2) * 4:], True
        elif ip['proto'] != 112:
            continue
        if len(v) < 8:
            continue
        ad = dict(ts=ts, src=ip['src'], dst=ip['dst'], ttl=ip['ttl'], smac=ip['smac'], ah=ah,
                  version=v[0] >> 4, type=v[0] & 0x0f, vrid=v[1], priority=v[2], count=v[3])
        alen = 4 if ip['family'] == 4 else 16
        end = 8 + ad['count'] * alen
        if ad['version'] == 2:
            ad['auth_type'], ad['advert_cs'] = v[4], v[5] * 100
            ad['auth_data'] = v[end:end + 8]
        else:
            ad['auth_type'], ad['advert_cs'] = None, struct.unpack('!H', v[4:6])[0] & 0x0fff
            ad['auth_data'] = None
        cls = ipaddress.IPv4Address if alen == 4 else ipaddress.IPv6Address
        ad['addrs'] = [str(cls(v[8 + i * alen:8 + (i + 1) * alen])) for i in range(ad['count'])
                       if 8 + (i + 1) * alen <= len(v)]
        out.append(ad)
    return out


# ---------------------------------------------------------------- crafted packets

def inet_checksum(data):
    """The Internet checksum (RFC 1071) of data."""
    if len(data) % 2:
        data += b'\0'
    total = sum(struct.unpack(f'!{len(data) // 2}H', data))
    while total >> 16:
        total = (total & 0xffff) + (total >> 16)
    return ~total & 0xffff


def vrrp_packet(version=3, vrid=51, priority=100, addrs=(), advert_cs=100, src=None, dst=None,
                auth_type=0, auth_data=b'', count=None, vtype=1, bad_checksum=False):
    """The VRRP part of an advert (what follows the IP header), checksum included.

    version 2: RFC 3768 layout (advert interval in whole seconds, auth_type,
    8 bytes of auth data after the addresses), checksum over the VRRP packet.
    Any other version: RFC 5798 layout, checksum over the pseudo-header of
    src and dst (both needed). count defaults to len(addrs).
    """
    import ipaddress
    raw = [ipaddress.ip_address(a).packed for a in addrs]
    count = len(raw) if count is None else count
    first = ((version & 0xf) << 4) | (vtype & 0xf)
    if version == 2:
        head = struct.pack('!BBBBBBH', first, vrid, priority, count, auth_type,
                           advert_cs // 100, 0)
        body = head + b''.join(raw) + auth_data.ljust(8, b'\0')[:8]
        csum = inet_checksum(body)
    else:
        head = struct.pack('!BBBBHH', first, vrid, priority, count, advert_cs & 0x0fff, 0)
        body = head + b''.join(raw)
        s, d = ipaddress.ip_address(src), ipaddress.ip_address(dst)
        if s.version == 4:
            pseudo = s.packed + d.packed + struct.pack('!BBH', 0, 112, len(body))
        else:
            pseudo = s.packed + d.packed + struct.pack('!I3xB', len(body), 112)
        csum = inet_checksum(pseudo + body)
    if bad_checksum:
        csum ^= 0xffff
    return body[:6] + struct.pack('!H', csum) + body[8:]


def ipv4_packet(src, dst, payload, proto=112, ttl=255):
    """An IPv4 header (no options, DSCP CS6 like VRRP) + payload."""
    import ipaddress
    hdr = struct.pack('!BBHHHBBH4s4s', 0x45, 0xc0, 20 + len(payload), 0, 0, ttl, proto, 0,
                      ipaddress.IPv4Address(src).packed, ipaddress.IPv4Address(dst).packed)
    return hdr[:10] + struct.pack('!H', inet_checksum(hdr)) + hdr[12:] + payload


CLONE_NEWNET = 0x40000000


def netns_socket(ns, family, stype, proto=0):
    """A socket that lives in namespace ns (created there, used from here).

    The calling thread enters ns only for the socket() call and then returns.
    """
    import socket
    libc = ctypes.CDLL(None, use_errno=True)
    here = os.open('/proc/thread-self/ns/net', os.O_RDONLY)
    there = os.open(f'/run/netns/{ns}', os.O_RDONLY)
    try:
        if libc.setns(there, CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), f'setns {ns}')
        try:
            return socket.socket(family, stype, proto)
        finally:
            if libc.setns(here, CLONE_NEWNET) != 0:
                # Stuck in a test namespace: nothing else we do can be trusted.
                print('kalib: cannot return to our network namespace', file=sys.stderr)
                os._exit(70)
    finally:
        os.close(here)
        os.close(there)


class Injector:
    """Sends hand-built IPv4 packets (IP_HDRINCL) out of ifname in namespace ns."""

    def __init__(self, ns, ifname='eth0'):
        import socket
        self.sock = netns_socket(ns, socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, ifname.encode())

    def send(self, packet):
        """Send a whole IPv4 packet (header included) to its destination address."""
        import ipaddress
        dst = str(ipaddress.IPv4Address(packet[16:20]))
        return self.sock.sendto(packet, (dst, 0))

    def close(self):
        self.sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class AddrWatch:
    """Watches one address on a host while running (context manager).

    Two observers: `ip monitor address` (every netlink add/delete event, so
    even a removal undone within microseconds is seen) and a poll of `ip addr`
    every interval s. .gaps: poll times at which the address was absent;
    .deleted: monitor lines reporting its deletion.
    """

    def __init__(self, topo, host, addr, path, interval=0.01):
        import threading
        self.topo, self.host, self.addr, self.path = topo, host, addr, Path(path)
        self.interval = interval
        self.gaps, self.polls = [], 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)
        self.mon = None
        self._token = None

    def _poll(self):
        while not self._stop.is_set():
            if not self.topo.has_addr(self.host, self.addr):
                self.gaps.append(time.monotonic())
            self.polls += 1
            self._stop.wait(self.interval)

    def __enter__(self):
        self._token = CLEANUP.add(self.stop)
        with open(self.path, 'wb') as out:
            self.mon = subprocess.Popen(['ip', '-n', self.topo.host(self.host), '-o', 'monitor',
                                         'address'], stdin=subprocess.DEVNULL, stdout=out,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        # the action starts once `ip monitor` gets the events
        wait_for(lambda: netlink_subscribed(self.mon.pid) or self.mon.poll() is not None, 5,
                 '`ip monitor` to subscribe')
        assert self.mon.poll() is None, f'`ip monitor` exited: {self.path.read_text()}'
        self._thread.start()
        return self

    def stop(self):
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(5)
        if self.mon and self.mon.poll() is None:
            self.mon.kill()
            self.mon.wait()
        CLEANUP.discard(self._token)

    def __exit__(self, *exc):
        self.stop()

    @property
    def deleted(self):
        text = self.path.read_text(errors='replace') if self.path.exists() else ''
        return [l for l in text.splitlines()
                if l.startswith('Deleted') and re.search(rf'inet6? {re.escape(self.addr)}/', l)]
