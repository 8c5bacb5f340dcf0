#!/bin/bash
# get-kernel.sh DIR: put Debian's current stock kernel in DIR/vmlinuz.
#
# Downloads (apt-get download, no root needed) the kernel package that
# linux-image-amd64 depends on and extracts its vmlinuz; DIR/version names
# the package and version. Does nothing if DIR/vmlinuz exists.
# Exit: 0 done, 77 the kernel cannot be had here, 99 usage.
set -eu
. "$(dirname "$0")/common.sh"

[ $# -eq 1 ] || e2e_die "usage: get-kernel.sh DIR"
dir=$1
if [ -s "$dir/vmlinuz" ]; then
	e2e_say "cached: $dir/vmlinuz ($(cat "$dir/version" 2>/dev/null))"
	exit 0
fi
e2e_need apt-cache apt-get dpkg-deb
pkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
	awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
[ -n "$pkg" ] || e2e_skip "apt-cache does not know linux-image-amd64"
mkdir -p "$dir"
tmp=$(mktemp -d "$dir/.get.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
e2e_say "downloading $pkg"
(cd "$tmp" && apt-get download -q "$pkg" >/dev/null 2>&1) ||
	e2e_skip "apt-get download $pkg failed"
deb=$(ls "$tmp"/*.deb)
dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp" --wildcards './boot/vmlinuz-*'
set -- "$tmp"/boot/vmlinuz-*
[ -s "$1" ] || e2e_die "no vmlinuz in $deb"
ver=$(dpkg-deb -f "$deb" Version)
mv "$1" "$dir/vmlinuz.new"
printf '%s %s\n' "$pkg" "$ver" > "$dir/version"
mv "$dir/vmlinuz.new" "$dir/vmlinuz"
e2e_say "kernel: $dir/vmlinuz ($pkg $ver)"
