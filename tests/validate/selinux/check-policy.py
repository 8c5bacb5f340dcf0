#!/usr/bin/python3
"""Check the cpolc domains in a linked binary policy.

usage: check-policy.py LABEL POLICY FILE_CONTEXTS DUMP [PORTS_C]

DUMP is the `cpolc --dump` text of every compiled policy: what the
source declares, independent of the SELinux backend.  For each policy
the linked POLICY must give the domain exactly the declared capabilities
(capability, capability2 and their user-namespace twins), bind and
connect permissions on exactly the port types the kernel assigns to the
declared ports (read from the policy's own portcon list), no inet socket
without a network statement, none of the dangerous permissions, a
permissive domain exactly in complain mode, the engine transition, and
file contexts that label every bind source and volume.  With PORTS_C
(src/backends/selinux_ports.c) it also checks cpolc's port table against
the policy's portcon statements.

Prints PASS:/FAIL: lines; exits 1 when anything failed.
"""

import re
import subprocess
import sys

import setools

HIGH_CAPS = {"mac_override", "mac_admin", "syslog", "wake_alarm",
             "block_suspend", "audit_read", "perfmon", "bpf",
             "checkpoint_restore"}
INET_CLASSES = ["tcp_socket", "udp_socket", "rawip_socket", "icmp_socket",
                "sctp_socket", "packet_socket", "dccp_socket"]
FORBIDDEN_TARGETS = ["shadow_t", "kernel_t", "security_t", "kmem_t",
                     "memory_device_t", "proc_kcore_t", "proc_kmsg_t",
                     "sysadm_t", "unconfined_t", "boot_t",
                     "modules_object_t", "default_t"]
WRITE_PERMS = {"write", "append", "create", "unlink", "rename", "setattr",
               "add_name", "remove_name", "rmdir", "link", "reparent"}
# Host directories cpolc refuses to relabel (selinux_rules.c).
SYSTEM_EXACT = {"/", "/bin", "/boot", "/dev", "/etc", "/home", "/lib",
                "/lib32", "/lib64", "/libx32", "/proc", "/root", "/run",
                "/sbin", "/sys", "/tmp", "/usr", "/var", "/var/lib",
                "/var/log", "/var/run", "/var/tmp", "/var/spool", "/srv",
                "/opt", "/mnt", "/media"}
SYSTEM_TREE = ["/boot", "/dev", "/etc/selinux", "/proc", "/run", "/sys",
               "/var/lib/containers", "/var/lib/docker", "/var/lib/selinux",
               "/var/run"]

failed = 0


def result(ok, what):
    global failed
    print(("PASS: " if ok else "FAIL: ") + what)
    if not ok:
        failed += 1


def unquote(tok):
    if not tok.startswith('"'):
        return tok
    return re.sub(r'\\(.)', r'\1', tok[1:-1])


PATH_RE = r'("(?:[^"\\]|\\.)*"|\S+)'


def parse_dump(text):
    pols = []
    cur = None
    for line in text.splitlines():
        line = line.strip()
        m = re.match(r'policy (\S+) \{$', line)
        if m:
            cur = {"name": m.group(1), "caps": set(), "complain": False,
                   "nnp": True, "network": False, "listen": [],
                   "connect": [], "binds": [], "volumes": []}
            pols.append(cur)
            continue
        if cur is None:
            continue
        if line == "mode complain;":
            cur["complain"] = True
        elif line == "unsafe new-privileges;":
            cur["nnp"] = False
        elif line.startswith("capabilities "):
            for c in line[len("capabilities "):-1].split(","):
                c = c.strip()
                cur["caps"].add(c[4:] if c.startswith("cap_") else c)
        elif re.match(r'(network |publish |unsafe network host;)', line):
            cur["network"] = True
        m = re.match(r'(listen|connect) (tcp|udp) (\d+)(?:-(\d+))?;$', line)
        if m:
            cur["network"] = True
            lo = int(m.group(3))
            hi = int(m.group(4) or lo)
            cur[m.group(1)].append((m.group(2), lo, hi))
        m = re.match(r'(?:unsafe )?mount (bind|volume) ' + PATH_RE +
                     r' at ', line)
        if m:
            key = "binds" if m.group(1) == "bind" else "volumes"
            cur[key].append(unquote(m.group(2)))
    return pols


class Rules:
    """Every allow rule of the policy whose source (or target) is one of
    the domains or an attribute of it, gathered in one pass: a query per
    check would read the whole rule table each time."""

    def __init__(self, pol, domains):
        self.src = {d: [] for d in domains}
        self.tgt = {d: [] for d in domains}
        member = {}
        for d in domains:
            for n in [d] + [str(a) for a in pol.lookup_type(d).attributes()]:
                member.setdefault(n, []).append(d)
        for r in pol.terules():
            if str(r.ruletype) != "allow":
                continue
            for d in member.get(str(r.source), ()):
                self.src[d].append(r)
            for d in member.get(str(r.target), ()):
                self.tgt[d].append(r)


def pick(rs, classes=None, perms=None, sources=None, targets=None):
    out = []
    for r in rs:
        if classes is not None and str(r.tclass) not in classes:
            continue
        if perms is not None and not set(r.perms) & set(perms):
            continue
        if sources is not None and str(r.source) not in sources:
            continue
        if targets is not None and str(r.target) not in targets:
            continue
        out.append(r)
    return out


def perms_of(rs, classes):
    got = set()
    for r in pick(rs, classes=classes):
        got |= set(r.perms)
    return got


# What the base policy's `domain` attribute gives every domain towards
# other domains: exit signals to a parent and labelled-network receipt.
BENIGN = {"process": {"sigchld"}, "association": {"recvfrom"},
          "peer": {"recv"}, "tcp_socket": {"recvfrom"}}


def benign(r):
    return set(r.perms) <= BENIGN.get(str(r.tclass), set())


def names_of(pol, t):
    """t and every attribute that holds it."""
    try:
        return {t} | {str(a) for a in pol.lookup_type(t).attributes()}
    except Exception:
        return set()


def port_types(portcons, proto, lo, hi):
    """The type the kernel picks per port: the first portcon that holds
    it, in the binary policy's order."""
    types = set()
    mine = [(p.ports.low, p.ports.high, str(p.context.type_))
            for p in portcons if str(p.protocol) == proto]
    for port in range(lo, hi + 1):
        for (a, z, t) in mine:
            if a <= port <= z:
                types.add(t)
                break
    return types


def system_dir(path):
    return path in SYSTEM_EXACT or any(path.startswith(t + "/")
                                       for t in SYSTEM_TREE)


def lookup(fc, path):
    out = subprocess.run(["selabel_lookup", "-b", "file", "-f", fc,
                          "-k", path], capture_output=True, text=True)
    m = re.search(r'Default context: \S+?:\S+?:(\S+?):', out.stdout)
    return m.group(1) if m else None


def check_one(label, pol, fc, portcons, rules, pols, p):
    name = p["name"]
    ident = name.replace("-", "_")
    d = ident + "_t"
    tag = "%s %s:" % (label, name)
    mine = rules.src[d]

    low = {c for c in p["caps"] if c not in HIGH_CAPS}
    high = {c for c in p["caps"] if c in HIGH_CAPS}
    for cls, want in (("capability", low), ("cap_userns", low),
                      ("capability2", high), ("cap2_userns", high)):
        got = perms_of(mine, [cls])
        result(got == want, "%s %s is exactly {%s} (got {%s})" % (
            tag, cls, " ".join(sorted(want)), " ".join(sorted(got))))

    perm = [str(t) for t in pol.types() if t.ispermissive]
    result((d in perm) == p["complain"], "%s permissive %s" % (
        tag, "yes" if p["complain"] else "no"))

    engine = names_of(pol, "container_engine_t")
    tr = pick(rules.tgt[d], classes=["process"], perms=["transition"],
              sources=engine)
    result(bool(tr), "%s container_engine_t may transition" % tag)
    if p["nnp"]:
        nnp = pick(rules.tgt[d], classes=["process2"],
                   perms=["nnp_transition"], sources=engine)
        result(bool(nnp), "%s nnp_transition for no-new-privileges" % tag)

    for what, perm_name, proto in (("listen", "name_bind", "tcp"),
                                   ("listen", "name_bind", "udp"),
                                   ("connect", "name_connect", "tcp")):
        want = set()
        for (pr, lo, hi) in p[what]:
            if pr == proto:
                want |= port_types(portcons, proto, lo, hi)
        got = {str(r.target) for r in pick(
            mine, classes=[proto + "_socket"], perms=[perm_name])}
        result(got == want, "%s %s %s on exactly {%s} (got {%s})" % (
            tag, proto, perm_name, " ".join(sorted(want)),
            " ".join(sorted(got))))
    if not p["network"]:
        got = pick(mine, classes=INET_CLASSES, perms=["create"])
        result(not got, "%s no inet sockets without network%s" % (
            tag, "" if not got else ": " + str(got[0])))

    def none(what, bad):
        result(not bad, "%s %s%s" % (tag, what,
                                     "" if not bad else ": " + str(bad[0])))

    none("no security class access", pick(mine, classes=["security"]))
    none("no system class access", pick(mine, classes=["system"]))
    none("no relabelto/relabelfrom",
         pick(mine, perms=["relabelto", "relabelfrom"]))
    none("no process transition/ptrace/setexec",
         pick(mine, classes=["process"],
              perms=["transition", "dyntransition", "ptrace", "setexec",
                     "setcurrent", "setfscreate"]))
    for t in FORBIDDEN_TARGETS:
        names = names_of(pol, t)
        if names:
            none("no access to %s" % t,
                 [r for r in pick(mine, targets=names) if not benign(r)])
    allowed = {d, "container_file_t"}
    bad = [r for r in pick(mine, classes=["file", "dir", "lnk_file"],
                           perms=sorted(WRITE_PERMS))
           if str(r.target) not in allowed and
           not str(r.target).startswith(ident + "_")]
    none("writes only to its own and the container's files", bad)

    for src in p["binds"]:
        t = lookup(fc, src)
        # A host directory has one label: when several policies bind
        # it, the one whose file context sorts last labels it.
        owners = tuple(q["name"].replace("-", "_") + "_bind"
                       for q in pols if src in q["binds"])
        if system_dir(src):
            result(t is not None and not t.startswith(ident + "_"),
                   "%s %s is not relabelled (got %s)" % (tag, src, t))
        else:
            result(t is not None and t.startswith(owners),
                   "%s file context for %r (got %s)" % (tag, src, t))
            t2 = lookup(fc, src + "/f")
            result(t2 == t, "%s file context below %r" % (tag, src))
    for vol in p["volumes"]:
        # genhomedircon expands HOME_DIR for root's /root as well.
        for f, root in ((fc, "/var/lib/containers/storage/volumes"),
                        (fc, "/var/lib/docker/volumes"),
                        (fc + ".homedirs",
                         "/root/.local/share/containers/storage/volumes")):
            path = "%s/%s/_data/x" % (root, vol)
            t = lookup(f, path)
            result(t is not None and t.startswith(ident + "_volume"),
                   "%s file context for %s (got %s)" % (tag, path, t))


def check_table(pol, ports_c):
    want = set()
    for p in pol.portcons():
        proto = str(p.protocol)
        if proto in ("tcp", "udp"):
            want.add((proto, p.ports.low, p.ports.high,
                      str(p.context.type_)))
    got = set()
    with open(ports_c) as f:
        for m in re.finditer(r'\{CP_PROTO_(TCP|UDP), (\d+), (\d+), '
                             r'"(\w+)"\}', f.read()):
            got.add((m.group(1).lower(), int(m.group(2)), int(m.group(3)),
                     m.group(4)))
    missing = sorted(want - got)
    extra = sorted(got - want)
    result(not missing and not extra,
           "port table matches the policy's %d tcp/udp portcons%s" % (
               len(want), "" if not (missing or extra) else
               " (missing %s, extra %s)" % (missing[:3], extra[:3])))


def main():
    if len(sys.argv) not in (5, 6):
        sys.stderr.write(__doc__)
        return 2
    label, path, fc, dump = sys.argv[1:5]
    pol = setools.SELinuxPolicy(path)
    portcons = list(pol.portcons())
    with open(dump) as f:
        pols = parse_dump(f.read())
    result(bool(pols), "%s: policies in the dump" % label)
    domains = []
    for p in pols:
        d = p["name"].replace("-", "_") + "_t"
        try:
            pol.lookup_type(d)
            domains.append(d)
        except Exception:
            result(False, "%s %s: domain %s missing from the linked "
                   "policy" % (label, p["name"], d))
    rules = Rules(pol, domains)
    for p in pols:
        if p["name"].replace("-", "_") + "_t" in domains:
            check_one(label, pol, fc, portcons, rules, pols, p)
    if len(sys.argv) == 6:
        check_table(pol, sys.argv[5])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
