#!/usr/bin/python3
"""gen.py OUTDIR [N...]: synthetic but realistic policy repositories for the
benchmark.

OUTDIR/repo-N (N = 1, 100, 1000, 10000): N policy files under
policies/, each one service that includes the shared templates under
templates/ (a hardened base, and one of web, worker, db, cache), extends
them, and adds what services add: an image, a user, a few
capabilities, file rules, mounts, a network and ports, limits.  The
services differ by index so that no two outputs are alike.

OUTDIR/rules-K.pol (K = 1000, 10000, 100000): one policy with K file
rules under a mix of accesses and denies.

Deterministic: the same OUTDIR content on every run.
"""
import os
import sys

TEMPLATES = {
    "base": """# The hardening every service shares.
template hardened {
    limit pids 256;
    mount tmpfs /tmp size 64M noexec;
    read /etc/ssl/certs/**, /usr/share/ca-certificates/**;
}
""",
    "web": """include "base.pol";
template web extends hardened {
    capabilities net_bind_service, setuid, setgid;
    read /etc/nginx/**, /usr/share/nginx/html/**;
    write /var/cache/nginx/**, /run/nginx.pid;
    exec /usr/sbin/nginx, /docker-entrypoint.sh;
    deny write /etc/nginx/**;
    mount tmpfs /run size 16M;
    listen tcp 80, 443;
}
""",
    "worker": """include "base.pol";
template worker extends hardened {
    read /app/**;
    exec /usr/local/bin/python3*, /app/bin/*;
    write /var/lib/worker/**;
    connect tcp 5432, 6379;
}
""",
    "db": """include "base.pol";
template db extends hardened {
    capabilities chown, fowner, setuid, setgid, dac_override;
    exec /usr/lib/postgresql/*/bin/*;
    read /usr/share/postgresql/**;
    write /run/postgresql/**;
    listen tcp 5432;
}
""",
    "cache": """include "base.pol";
template cache extends hardened {
    exec /usr/local/bin/redis-server;
    write /data/**;
    listen tcp 6379;
}
""",
}

KINDS = ["web", "worker", "db", "cache"]


def service(i):
    kind = KINDS[i % len(KINDS)]
    name = "svc%05d" % i
    lines = [
        '# %s: a synthetic %s service' % (name, kind),
        'include "../templates/%s.pol";' % kind,
        '',
        'policy %s extends %s {' % (name, kind),
        '    description "Synthetic %s service number %d";' % (kind, i),
        '    image "registry.example.com/team%d/%s:%d.%d";'
        % (i % 50, kind, 1 + i % 9, i % 20),
        '    user %d:%d;' % (1000 + i % 500, 1000 + i % 500),
        '    read /srv/%s/config/**, /srv/%s/static/*.html;' % (name, name),
        '    write /srv/%s/state/**;' % name,
        '    append /var/log/%s/*.log;' % name,
        '    deny read /srv/%s/config/secret*;' % name,
        '    mount volume %s-data at /srv/%s/state read-write;'
        % (name, name),
        '    mount bind /opt/shared/%d at /srv/%s/static;' % (i % 10, name),
        '    network team%d;' % (i % 50),
        '    listen tcp %d;' % (8000 + i % 1000),
        '    publish 127.0.0.1:%d -> %d/tcp;'
        % (20000 + i % 40000, 8000 + i % 1000),
        '    limit memory %dM;' % (64 * (1 + i % 8)),
        '    limit cpus %d.%d;' % (1 + i % 4, 5 * (i % 2)),
        '}',
        '',
    ]
    return name, "\n".join(lines)


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def repo(out, n):
    top = os.path.join(out, "repo-%d" % n)
    for t, text in TEMPLATES.items():
        write(os.path.join(top, "templates", t + ".pol"), text)
    for i in range(n):
        name, text = service(i)
        write(os.path.join(top, "policies", name + ".pol"), text)


def rules(out, k):
    acc = ["read", "read", "write", "exec", "append", "deny write"]
    lines = ["# one policy with %d file rules" % k, "policy big {"]
    for i in range(k):
        lines.append("    %s /data/d%03d/f%06d;" % (acc[i % len(acc)],
                                                   i % 500, i))
    lines += ["}", ""]
    write(os.path.join(out, "rules-%d.pol" % k), "\n".join(lines))


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: gen.py OUTDIR [N...]")
    out = sys.argv[1]
    # With sizes given (tests/threads.sh), only those repositories.
    sizes = [int(a) for a in sys.argv[2:]] or [1, 100, 1000, 10000]
    for n in sizes:
        repo(out, n)
    if len(sys.argv) == 2:
        for k in (1000, 10000, 100000):
            rules(out, k)


if __name__ == "__main__":
    main()
