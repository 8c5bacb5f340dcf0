#!/bin/sh
# enforce.sh: examples/web.pol's SELinux module, linked into the store of
# mkstore.sh, enforced in Debian 12's kernel under QEMU through the e2e
# harness (tests/e2e/se-enforce.sh -P): web-enforce.spec's declared
# accesses must succeed and the undeclared ones fail with EACCES/EPERM,
# entered directly and under runc with selinuxLabel.
# About 10 s once the kernel is cached.  Skips (77) where QEMU, the
# kernel or the SELinux tools cannot be had.
: "${srcdir:=$(cd "$(dirname "$0")/../../.." && pwd)}"
. "$srcdir/tests/lib.sh"

here=$srcdir/tests/validate/selinux
# semodule, selabel_lookup and friends live in /usr/sbin, which a user's
# PATH may lack.
PATH=$PATH:/usr/sbin:/sbin
export PATH
e2e=$srcdir/tests/e2e
devel=/usr/share/selinux/devel/Makefile

if ! "$CPOLC" --help 2>/dev/null | grep -q '^  selinux '; then
	skip "$CPOLC has no selinux target"
	finish
fi
for tool in make semodule qemu-system-x86_64; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		skip "$tool not installed"
		finish
	fi
done
store=${CPOLC_SELINUX_STORE:-}
if [ -z "$store" ] && [ -n "${top_builddir:-}" ]; then
	store=$top_builddir/tests/validate/selinux-store
fi
[ -n "$store" ] || store=${TMPDIR:-/tmp}/cpolc-selinux-store
sh "$here/mkstore.sh" "$store"
case $? in
0) ;;
77) skip "no policy store to link against"; finish ;;
*) fail "mkstore.sh $store"; finish ;;
esac

out=$scratch/out
if ! "$CPOLC" -q -t selinux "$srcdir/examples/web.pol" -o "$out"; then
	fail "compile examples/web.pol"
	finish
fi
if ! (cd "$out" && make -s -f "$devel" web.pp) >"$scratch/log" 2>&1; then
	fail "web.pp builds"
	cat "$scratch/log"
	finish
fi
# The same checks once more, with the domain entered by runc from the
# selinuxLabel of an OCI spec, as a container engine does.
sed 's/^name web-enforce$/name web-enforce-runc\nenter runc/' \
	"$here/web-enforce.spec" > "$scratch/web-enforce-runc.spec"
bash "$e2e/lib/se-harness.sh" "$scratch/harness" "$here/web-enforce.spec" \
	"$scratch/web-enforce-runc.spec" >"$scratch/log" 2>&1
case $? in
0) ;;
77) skip "the e2e harness cannot be built here"; finish ;;
*) fail "e2e harness module"; cat "$scratch/log"; finish ;;
esac
root=$scratch/root
cp -a "$store" "$root"
if ! semodule -n -p "$root" -i "$out/web.pp" \
	"$scratch/harness/cpolc_e2e_harness.pp" >"$scratch/log" 2>&1; then
	fail "web.pp and the harness link"
	cat "$scratch/log"
	finish
fi
pol=$(ls "$root"/etc/selinux/*/policy/policy.* | head -n 1)
bash "$e2e/se-enforce.sh" -P "$pol" "$here/web-enforce.spec" \
	"$scratch/web-enforce-runc.spec" >"$scratch/vm" 2>&1
rc=$?
while IFS= read -r line; do
	case $line in
	PASS:*) pass "${line#PASS: }" ;;
	FAIL:*) fail "${line#FAIL: }" ;;
	SKIP:*) skip "${line#SKIP: }" ;;
	@@AVC*) echo "$line" ;;
	esac
done <"$scratch/vm"
[ "$rc" -eq 0 ] || [ "$rc" -eq 77 ] || [ "$nfail" -gt 0 ] ||
	{ fail "se-enforce.sh exited $rc"; cat "$scratch/vm"; }
finish
