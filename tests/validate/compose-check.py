#!/usr/bin/python3
"""Compare a compose file as docker-compose reports it back with the
docker run arguments compiled from the same policy.

usage: compose-check.py NAME.docker CONFIG.yaml NAME

CONFIG.yaml is the output of `docker-compose -f NAME.compose.yaml config`.
Prints one line per difference and exits 1 if there is any.
"""
import sys

import yaml


def port_range(text):
    first, _, last = text.partition("-")
    return range(int(first), int(last or first) + 1)


def ports_of_flag(value):
    """--publish=[ADDR:]HOST:PORT/PROTO, one tuple per port."""
    spec, _, proto = value.rpartition("/")
    addr = ""
    if spec.startswith("["):
        addr, _, spec = spec[1:].partition("]:")
    elif spec.count(":") == 2:
        addr, _, spec = spec.partition(":")
    host, _, ctr = spec.partition(":")
    return [(addr, h, c, proto)
            for h, c in zip(port_range(host), port_range(ctr))]


def ports_of_compose(port):
    """What docker-compose config prints: a dict, or a string whose
    address may hold colons (it drops an IPv6 address's brackets)."""
    if isinstance(port, dict):
        return [(port.get("host_ip", ""), int(port["published"]),
                 int(port["target"]), port.get("protocol", "tcp"))]
    spec, _, proto = str(port).rpartition("/")
    parts = spec.rsplit(":", 2)
    if len(parts) == 2:
        parts.insert(0, "")
    addr, host, ctr = parts
    return [(addr.strip("[]"), h, c, proto or "tcp")
            for h, c in zip(port_range(host), port_range(ctr))]


def from_flags(path):
    """The settings that NAME.docker asks of docker run."""
    want = {"cap_add": [], "cap_drop": [], "security_opt": [], "tmpfs": [],
            "volumes": [], "networks": [], "ports": [], "read_only": False,
            "labels": {}}
    for line in open(path, encoding="utf-8").read().splitlines():
        flag, _, value = line.partition("=")
        if flag == "--cap-add":
            want["cap_add"].append(value)
        elif flag == "--cap-drop":
            want["cap_drop"].append(value)
        elif flag == "--read-only":
            want["read_only"] = True
        elif flag == "--security-opt":
            # compose spells the flag's bare form with ":true"
            if value == "no-new-privileges":
                value = "no-new-privileges:true"
            want["security_opt"].append(value)
        elif flag == "--user":
            want["user"] = value
        elif flag == "--tmpfs":
            want["tmpfs"].append(value)
        elif flag == "--mount":
            fields = dict(f.partition("=")[::2] if "=" in f else (f, True)
                          for f in value.split(","))
            want["volumes"].append({
                "type": fields["type"], "source": fields["source"],
                "target": fields["target"],
                "read_only": "readonly" in fields})
        elif flag == "--network":
            if value in ("none", "host"):
                want["network_mode"] = value
            else:
                want["networks"].append(value)
        elif flag == "--publish":
            want["ports"].extend(ports_of_flag(value))
        elif flag == "--memory":
            want["mem_limit"] = value
        elif flag == "--pids-limit":
            want["pids_limit"] = int(value)
        elif flag == "--cpus":
            want["cpus"] = float(value)
        elif flag == "--label":
            key, _, val = value.partition("=")
            want["labels"][key] = val
        else:
            want.setdefault("unknown", []).append(line)
    return want


def from_compose(path, name):
    """The same settings as docker-compose config reports them."""
    doc = yaml.safe_load(open(path, encoding="utf-8"))
    svc = doc["services"][name]
    got = {"cap_add": svc.get("cap_add", []),
           "cap_drop": svc.get("cap_drop", []),
           "security_opt": svc.get("security_opt", []),
           "tmpfs": svc.get("tmpfs", []),
           "read_only": svc.get("read_only", False),
           "labels": svc.get("labels", {}),
           "networks": sorted(svc.get("networks", {}) or {}),
           "ports": [t for p in svc.get("ports", [])
                     for t in ports_of_compose(p)]}
    got["volumes"] = [{"type": v["type"], "source": v["source"],
                       "target": v["target"],
                       "read_only": v.get("read_only", False)}
                      for v in svc.get("volumes", [])]
    for key in ("user", "network_mode", "mem_limit", "pids_limit"):
        if key in svc:
            got[key] = svc[key]
    if "cpus" in svc:
        got["cpus"] = float(svc["cpus"])
    # Named volumes and networks keep their own names, not the project's.
    for vol in got["volumes"]:
        if vol["type"] == "volume":
            decl = doc.get("volumes", {}).get(vol["source"], {})
            if decl.get("name") != vol["source"]:
                got.setdefault("renamed", []).append(vol["source"])
    for net in got["networks"]:
        decl = doc.get("networks", {}).get(net, {})
        if not decl.get("external") or decl.get("name") != net:
            got.setdefault("not-external", []).append(net)
    return got


def main():
    want = from_flags(sys.argv[1])
    got = from_compose(sys.argv[2], sys.argv[3])
    bad = 0
    for key in sorted(set(want) | set(got)):
        w, g = want.get(key), got.get(key)
        if isinstance(w, list) and isinstance(g, list):
            w, g = sorted(map(repr, w)), sorted(map(repr, g))
        if w != g:
            print("%s: docker flags say %r, compose says %r" % (key, w, g))
            bad = 1
    return bad


if __name__ == "__main__":
    sys.exit(main())
