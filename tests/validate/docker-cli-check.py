#!/usr/bin/python3
"""Compare what the real docker CLI sent to the Engine API with what the
policy means.

usage: docker-cli-check.py DUMP RECORD NAME

DUMP is `cpolc --dump` of the policy file (the resolved policies, one
statement a line); RECORD holds the containers/create request that the
CLI sent when given NAME.docker.  Prints each difference; exits 1 if any.
"""
import json
import re
import sys

UNITS = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30}


def size(text):
    m = re.fullmatch(r"(\d+)([KMG]?)", text)
    return int(m.group(1)) * UNITS[m.group(2)]


def size_opt(nbytes):
    for unit, mult in (("g", 1 << 30), ("m", 1 << 20), ("k", 1 << 10)):
        if nbytes % mult == 0:
            return "%d%s" % (nbytes // mult, unit)
    return str(nbytes)


def unquote(text):
    if text.startswith('"'):
        return re.sub(r'\\(.)', r'\1', text[1:-1])
    return text


def ports(text):
    first, _, last = text.partition("-")
    return list(range(int(first), int(last or first) + 1))


def policy(dump, name):
    """The statements of policy NAME in the dump, one per line."""
    lines, inside = [], False
    for line in dump.splitlines():
        if line == "policy %s {" % name:
            inside = True
        elif inside and line == "}":
            break
        elif inside:
            lines.append(line.strip().rstrip(";"))
    return lines


def expected(lines, name):
    want = {"CapDrop": ["ALL"], "CapAdd": [], "ReadonlyRootfs": True,
            "Tmpfs": {}, "Mounts": [], "PortBindings": {}, "User": "",
            "Memory": 0, "PidsLimit": 0, "NanoCpus": 0}
    opts = {"no-new-privileges", "apparmor=" + name,
            "label=type:%s_t" % name.replace("-", "_")}
    networks, net_stmt, host = [], False, False
    for line in lines:
        words = line.split(" ")
        if words[0] == "user":
            want["User"] = words[1]
        elif words[0] == "capabilities":
            want["CapAdd"] = [c.strip(",").upper() for c in words[1:]]
        elif line == "unsafe new-privileges":
            opts.discard("no-new-privileges")
        elif line == "unsafe writable-root":
            want["ReadonlyRootfs"] = False
        elif line == "unsafe network host":
            host = True
        elif words[0] == "network":
            networks.append(words[1])
        elif words[0] in ("listen", "connect"):
            net_stmt = True
        elif words[0] == "publish":
            net_stmt = True
            m = re.fullmatch(r"publish (?:(\[[^\]]+\]|[\d.]+):)?(\S+) -> "
                             r"(\S+)/(tcp|udp)", line)
            addr = (m.group(1) or "").strip("[]")
            for h, c in zip(ports(m.group(2)), ports(m.group(3))):
                want["PortBindings"].setdefault(
                    "%d/%s" % (c, m.group(4)), []).append(
                        {"HostIp": addr, "HostPort": str(h)})
        elif words[0] in ("mount", "unsafe") and "tmpfs" in words[:3]:
            rest = words[words.index("tmpfs") + 1:]
            target = unquote(rest[0])
            opt = "rw," + ("noexec," if "noexec" in rest else "")
            opt += "nosuid,nodev"
            if "size" in rest:
                opt += ",size=" + size_opt(size(rest[rest.index("size") +
                                                     1]))
            mode = 0o1777  # docker's default, which cpolc writes out
            if "mode" in rest:
                mode = int(rest[rest.index("mode") + 1], 8)
            opt += ",mode=%o" % mode
            want["Tmpfs"][target] = opt
        elif words[0] in ("mount", "unsafe"):
            m = re.fullmatch(r"(?:unsafe )?mount (volume|bind) (\S+) at "
                             r"(\S+) (read-only|read-write)", line)
            want["Mounts"].append({"Type": m.group(1),
                                   "Source": unquote(m.group(2)),
                                   "Target": unquote(m.group(3)),
                                   "ReadOnly": m.group(4) == "read-only"})
        elif words[0] == "limit":
            if words[1] == "memory":
                want["Memory"] = size(words[2])
            elif words[1] == "pids":
                want["PidsLimit"] = int(words[2])
            else:
                whole, _, frac = words[2].partition(".")
                want["NanoCpus"] = int(whole) * 10**9 + int(
                    (frac + "0" * 9)[:9])
    want["SecurityOpt"] = sorted(opts)
    want["Networks"] = sorted(networks)
    if host:
        want["NetworkMode"] = "host"
    elif networks:
        want["NetworkMode"] = networks[0]
    elif net_stmt:
        want["NetworkMode"] = "default"
    else:
        want["NetworkMode"] = "none"
    return want


def sent(record):
    req = json.loads(open(record, encoding="utf-8").read().splitlines()[-1])
    hc = req["HostConfig"]
    got = {key: hc.get(key) for key in (
        "CapDrop", "CapAdd", "ReadonlyRootfs", "NetworkMode", "Memory",
        "PidsLimit", "NanoCpus")}
    got["CapAdd"] = got["CapAdd"] or []
    # docker 20.10 sends 0 for "no limit", later versions null
    got["PidsLimit"] = got["PidsLimit"] or 0
    got["SecurityOpt"] = sorted(hc.get("SecurityOpt") or [])
    got["Tmpfs"] = hc.get("Tmpfs") or {}
    got["Mounts"] = [{"Type": m["Type"], "Source": m["Source"],
                      "Target": m["Target"],
                      "ReadOnly": m.get("ReadOnly", False)}
                     for m in hc.get("Mounts") or []]
    got["PortBindings"] = hc.get("PortBindings") or {}
    got["User"] = req.get("User", "")
    endpoints = (req.get("NetworkingConfig") or {}).get("EndpointsConfig")
    # One network rides in NetworkMode alone; more add endpoints.
    nets = set(endpoints or {}) | {hc.get("NetworkMode")}
    got["Networks"] = sorted(nets - {"none", "host", "default", "bridge",
                                     None})
    return got


def main():
    dump = open(sys.argv[1], encoding="utf-8").read()
    name = sys.argv[3]
    want = expected(policy(dump, name), name)
    got = sent(sys.argv[2])
    bad = 0
    for key in sorted(want):
        w, g = want[key], got.get(key)
        if key == "CapAdd":
            w, g = sorted(w), sorted(g)
        if key == "Mounts":
            w = sorted(w, key=lambda m: m["Target"])
            g = sorted(g, key=lambda m: m["Target"])
        if w != g:
            print("%s: the policy means %r, docker sent %r" % (key, w, g))
            bad = 1
    return bad


if __name__ == "__main__":
    sys.exit(main())
