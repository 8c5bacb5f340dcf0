#!/bin/sh
# mkstore.sh ROOT: build a private copy of the host's SELinux policy store
# under ROOT that also holds refpolicy's `container` module, compiled from
# the selinux-policy-src package (Debian installs no container module).
#
# The host store is only read.  The result is cached: when ROOT already
# holds a store built from the same host store and sources, the script
# returns at once, so several tests can share one store (concurrent
# callers wait on a lock).  The linked policy
# is ROOT/etc/selinux/$SELINUXTYPE/policy/policy.NN; ROOT/.refpolicy holds
# the reference policy's policy/ source tree (for selint --context).
#
# Exit status: 0 ready, 77 when a tool or the host store is missing (the
# caller should skip), 1 on a real failure.
set -eu

if [ $# -ne 1 ]; then
	echo "usage: $0 ROOT" >&2
	exit 1
fi
root=$1
# semodule, selabel_lookup and friends live in /usr/sbin, which a user's
# PATH may lack.
PATH=$PATH:/usr/sbin:/sbin
export PATH
stamp="$root/.cpolc-store"
devel=/usr/share/selinux/devel/Makefile

skip() {
	echo "SKIP: $*" >&2
	exit 77
}

# The cache is valid while the host store and the policy sources it was
# built from are unchanged.
fingerprint() {
	ls -l --time-style=+%s /var/lib/selinux/*/active/policy.kern \
		/usr/src/selinux-policy-src.tar.* 2>/dev/null
}
fresh() {
	[ -f "$stamp" ] && fingerprint | cmp -s - "$stamp"
}

fresh && exit 0

for tool in semodule make m4 checkmodule flock tar zstd; do
	command -v "$tool" >/dev/null 2>&1 ||
		skip "$tool not installed"
done
[ -f "$devel" ] || skip "$devel missing (selinux-policy-dev)"
[ -d /var/lib/selinux ] || skip "no host policy store in /var/lib/selinux"
[ -f /etc/selinux/config ] || skip "no /etc/selinux/config"
src_tar=
for f in /usr/src/selinux-policy-src.tar.zst /usr/src/selinux-policy-src.tar.*
do
	if [ -f "$f" ]; then
		src_tar=$f
		break
	fi
done
[ -n "$src_tar" ] ||
	skip "no /usr/src/selinux-policy-src.tar.* (selinux-policy-src)"

mkdir -p "$(dirname "$root")"
exec 9>"$root.lock"
flock 9
# Another caller may have finished while we waited.
fresh && exit 0

work=$(mktemp -d "$root.tmp.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

mkdir -p "$work/store/var/lib" "$work/store/etc" "$work/mod"
cp -a /var/lib/selinux "$work/store/var/lib/"
cp -a /etc/selinux "$work/store/etc/"

# The devel headers already carry container.if, so only the .te and .fc
# are needed; a local copy of the .if would define every interface twice.
d=selinux-policy-src/policy/modules/services
tar -C "$work/mod" -xf "$src_tar" "$d/container.te" "$d/container.fc" ||
	{ echo "mkstore: container module not in $src_tar" >&2; exit 1; }
mv "$work/mod/$d/container.te" "$work/mod/$d/container.fc" "$work/mod/"
if [ ! -f /usr/share/selinux/devel/include/services/container.if ]; then
	tar -C "$work/mod" -xf "$src_tar" "$d/container.if"
	mv "$work/mod/$d/container.if" "$work/mod/"
fi
(cd "$work/mod" && make -s -f "$devel" container.pp) >"$work/build.log" 2>&1 ||
	{ cat "$work/build.log" >&2; echo "mkstore: container.pp failed" >&2
	  exit 1; }

# semodule warns about users of the host's password database; only a
# failure matters.
semodule -n -p "$work/store" -i "$work/mod/container.pp" \
	>"$work/link.log" 2>&1 ||
	{ cat "$work/link.log" >&2; echo "mkstore: link failed" >&2; exit 1; }

ls "$work"/store/etc/selinux/*/policy/policy.* >/dev/null 2>&1 ||
	{ echo "mkstore: no linked policy produced" >&2; exit 1; }

# The reference policy's source tree, for selint --context (it needs the
# access vectors and permission macros to check classes and perms).
tar -C "$work" -xf "$src_tar" selinux-policy-src/policy ||
	{ echo "mkstore: no policy/ in $src_tar" >&2; exit 1; }
mv "$work/selinux-policy-src/policy" "$work/store/.refpolicy"

rm -rf "$root"
mv "$work/store" "$root"
cp "$work/mod/container.pp" "$root/.container.pp"
fingerprint >"$stamp"
