#!/bin/bash
# mkrootfs.sh DIR: a minimal container root file system for
# "podman --rootfs": static busybox and its applets in /bin, an empty
# /tmp of mode 1777 (podman copies the rootfs /tmp's mode and contents
# into a --tmpfs /tmp), mount points, /etc/passwd and /etc/group with
# root, uid/gid 101 (the examples' service user) and 1000, and
# lib/ctr-inspect.sh as /cpolc-inspect.sh. DIR must not exist or be
# empty. Exit: 0 done, 77 no static busybox, 99 usage.
set -eu
. "$(dirname "$0")/common.sh"

[ $# -eq 1 ] || e2e_die "usage: mkrootfs.sh DIR"
r=$1
bb=/bin/busybox
[ -x "$bb" ] && ! ldd "$bb" >/dev/null 2>&1 ||
	e2e_skip "$bb is not a static busybox (install busybox-static)"
mkdir -p "$r"
[ -z "$(ls -A "$r")" ] || e2e_die "$r is not empty"
mkdir -p "$r"/{bin,etc,proc,sys,dev,run,var,tmp}
chmod 1777 "$r/tmp"
cp "$bb" "$r/bin/busybox"
for a in $("$bb" --list); do
	[ "$a" = busybox ] || ln -s busybox "$r/bin/$a"
done
cat > "$r/etc/passwd" <<'EOT'
root:x:0:0:root:/:/bin/sh
app:x:101:101:app:/tmp:/bin/sh
user:x:1000:1000:user:/tmp:/bin/sh
nobody:x:65534:65534:nobody:/:/bin/false
EOT
cat > "$r/etc/group" <<'EOT'
root:x:0:
app:x:101:
user:x:1000:
nogroup:x:65534:
EOT
install -m 755 "$e2e_lib/ctr-inspect.sh" "$r/cpolc-inspect.sh"
