#!/usr/bin/python3
# tests/ipvs/nl/ka_compare.py A.pcap B.pcap: the IPVS generic-netlink requests of two nlmon
# captures (A: Debian's keepalived 2.2.7, B: ours) must be the same multiset, byte for byte
# after the nlmsghdr's seq/pid: genl command, version, flags and every attribute. Reads are
# left out (GET_SERVICE/GET_DEST dumps: keepalived's own bookkeeping), GET_INFO and
# GET_CONFIG count once (keepalived opens IPVS in several places).
import collections
import struct
import sys

CMDS = {1: "NEW_SERVICE", 2: "SET_SERVICE", 3: "DEL_SERVICE", 5: "NEW_DEST", 6: "SET_DEST",
        7: "DEL_DEST", 9: "NEW_DAEMON", 10: "DEL_DAEMON", 12: "SET_CONFIG", 13: "GET_CONFIG",
        15: "GET_INFO", 17: "FLUSH"}


def packets(path):
    with open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack("<I", data[:4])[0]
    end = "<" if magic in (0xa1b2c3d4, 0xa1b23c4d) else ">"
    linktype = struct.unpack(end + "I", data[20:24])[0]
    off = 24
    while off + 16 <= len(data):
        _, _, incl, orig = struct.unpack(end + "IIII", data[off:off + 16])
        yield linktype, data[off + 16:off + 16 + incl], orig
        off += 16 + incl


def requests(path):
    out = []
    for linktype, p, orig in packets(path):
        if linktype != 253 or len(p) < 16 + 20:
            continue
        proto = struct.unpack(">H", p[14:16])[0]
        if proto not in (16, 16 << 8):          # NETLINK_GENERIC, either byte order
            continue
        msg = p[16:]
        length, typ, flags, _seq, _pid = struct.unpack("=IHHII", msg[:16])
        if typ <= 16 or not flags & 1:          # control family, or not a request
            continue
        if len(p) < orig:
            sys.exit("%s: a request of %d bytes truncated to %d (snaplen)"
                     % (path, orig, len(p)))
        cmd, version = msg[16], msg[17]
        if cmd in (4, 8):
            continue
        if cmd in (13, 15) and any(o[0] == CMDS[cmd] for o in out):
            continue
        out.append((CMDS.get(cmd, str(cmd)), version, flags, msg[20:length].hex()))
    return out


def main():
    a, b = requests(sys.argv[1]), requests(sys.argv[2])
    ca, cb = collections.Counter(a), collections.Counter(b)
    print("keepalived 2.2.7: %d requests, ours: %d" % (len(a), len(b)))
    for name, c in (("only keepalived", ca - cb), ("only ours", cb - ca)):
        for (cmd, ver, flags, attrs), n in sorted(c.items()):
            print("%s: %dx %s v%d flags 0x%x %s" % (name, n, cmd, ver, flags, attrs))
    if not a or ca != cb:
        print("FAIL")
        return 1
    print("PASS: the same %d requests (%s)" % (len(a), ", ".join(
        "%s %d" % (k, v) for k, v in sorted(collections.Counter(x[0] for x in a).items()))))
    return 0


sys.exit(main())
