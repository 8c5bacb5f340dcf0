#!/bin/bash
# build-initramfs.sh OUT [BINARY...]: write the base e2e initramfs OUT
# (a gzip'd newc cpio): static busybox with all its applets, /init
# (lib/init.sh), and each BINARY at its own path with the libraries ldd
# lists for it; a BINARY named *.so or *.so.* is a shared library that a
# program opens with dlopen(), which ldd cannot see. Profiles are compiled on the host, so apparmor_parser is
# only needed if the caller passes it. setfattr and getfattr are added
# when installed. Exit: 0 done, 77 busybox-static or cpio missing.
set -eu
. "$(dirname "$0")/common.sh"

[ $# -ge 1 ] || e2e_die "usage: build-initramfs.sh OUT [BINARY...]"
out=$1
shift
e2e_need cpio gzip ldd
bb=/bin/busybox
[ -x "$bb" ] && ! ldd "$bb" >/dev/null 2>&1 ||
	e2e_skip "$bb is not a static busybox (install busybox-static)"
root=$(mktemp -d "${TMPDIR:-/tmp}/cpolc-initramfs.XXXXXX")
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,proc,sys,dev,tmp,run,test}
mkdir -p "$root"/etc/apparmor "$root"/var/log
chmod 1777 "$root/tmp"
cp "$bb" "$root/bin/busybox"
for a in $("$bb" --list); do
	[ "$a" = busybox ] || ln -s busybox "$root/bin/$a"
done
install -m 755 "$e2e_lib/init.sh" "$root/init"
: > "$root/etc/apparmor/parser.conf"
cat > "$root/etc/passwd" <<'EOT'
root:x:0:0::/:/bin/sh
app:x:101:101::/tmp:/bin/sh
user:x:1000:1000::/tmp:/bin/sh
EOT
printf 'root:x:0:\napp:x:101:\nuser:x:1000:\n' > "$root/etc/group"

# add_file PATH: copy PATH (following links) to the same path in the image.
add_file() {
	mkdir -p "$root$(dirname "$1")"
	cp -L "$1" "$root$1"
}
bins=("$@")
for b in /usr/bin/setfattr /usr/bin/getfattr; do
	[ -x "$b" ] && bins+=("$b")
done
for b in "${bins[@]}"; do
	case $b in
	*.so | *.so.*) [ -f "$b" ] || e2e_die "not a library: $b" ;;
	*) [ -x "$b" ] || e2e_die "not an executable: $b" ;;
	esac
	add_file "$b"
	libs=$(ldd "$b" 2>/dev/null |
		awk '/=> \// { print $3 } /^\t\// { print $1 }')
	for l in $libs; do
		[ -e "$root$l" ] || add_file "$l"
	done
done
e2e_say "binaries: busybox ${bins[*]}"
(cd "$root" && find . -print0 | sort -z |
	cpio --null -o -H newc --owner 0:0 --quiet) | gzip -1 > "$out.tmp"
mv "$out.tmp" "$out"
e2e_say "wrote $out ($(stat -c %s "$out") bytes)"
