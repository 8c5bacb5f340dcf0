#!/bin/bash
# host-load.sh: cpolc load and cpolc status on a host that enforces.
# Debian 12's kernel boots with AppArmor; in the guest, cpolc status
# sees the profiles compiled from examples/web.pol and the complain-mode
# golden case as not loaded, cpolc load loads them through
# apparmor_parser, and cpolc status then reports each loaded in its
# mode, in text and in JSON.  cpolc opens libapparmor and libselinux
# with dlopen(), so the image carries them; with libapparmor removed,
# status says AppArmor's state is unknown and load refuses to guess.
set -eu
. "$(dirname "$0")/lib/common.sh"

: "${CPOLC:?CPOLC must name the cpolc binary}"
parser=$(command -v apparmor_parser || true)
[ -n "$parser" ] || e2e_skip "no apparmor_parser (Debian package apparmor)"
aa_soname=${apparmor_soname:-libapparmor.so.1}
se_soname=${selinux_soname:-libselinux.so.1}
# The files the dynamic linker's cache lists for a soname.
host_lib() {
	PATH=$PATH:/sbin:/usr/sbin ldconfig -p 2>/dev/null |
		awk -v n="$1" '$1 == n { print $NF }'
}
aa_libs=$(host_lib "$aa_soname")
se_libs=$(host_lib "$se_soname")
[ -n "$aa_libs" ] && [ -n "$se_libs" ] ||
	e2e_skip "ldconfig -p lists no $aa_soname or $se_soname"
e2e_scratch
"$e2e_lib/get-kernel.sh" "$E2E_CACHE/kernel"
t=$scratch/test
mkdir -p "$t/apparmor.d"
# The guest mounts a tmpfs on /tmp, which would hide a cpolc built under
# /tmp: it runs from /test, its libraries come with the base image.
cp "$CPOLC" "$t/cpolc"
cp -R /etc/apparmor.d/tunables /etc/apparmor.d/abi "$t/apparmor.d/"
(cd "$srcdir/examples" && "$CPOLC" -q -t apparmor web.pol -o "$t/out")
(cd "$srcdir/tests/golden" && "$CPOLC" -q -t apparmor unsafe.pol \
	-o "$t/out")
cat > "$t/run.sh" <<EOT
mkdir -p /etc/apparmor.d
cp -R /test/apparmor.d/. /etc/apparmor.d/
echo "@@BEFORE"
/test/cpolc status -o /test/out | sed 's/^/@@S /'
/test/cpolc load -o /test/out > /tmp/load.out 2>&1
echo "@@LOADRC \$?"
sed 's/^/@@L /' /tmp/load.out
echo "@@AFTER"
/test/cpolc status -o /test/out | sed 's/^/@@A /'
/test/cpolc status --format=json -o /test/out | tr -d '\n' | sed 's/^/@@J /'
echo
for f in $aa_libs; do mv "\$f" "\$f.hidden"; done
echo "@@NOLIB"
/test/cpolc status -o /test/out | sed 's/^/@@N /'
/test/cpolc load -o /test/out > /tmp/load.out 2>&1
echo "@@NOLIBRC \$?"
sed 's/^/@@NL /' /tmp/load.out
EOT
# shellcheck disable=SC2086 # lists of paths
"$e2e_lib/build-initramfs.sh" "$scratch/base.cpio.gz" "$CPOLC" "$parser" \
	$aa_libs $se_libs
"$e2e_lib/run-vm.sh" "$E2E_CACHE/kernel/vmlinuz" "$scratch/base.cpio.gz" \
	"$t" apparmor > "$scratch/log" || {
	cat "$scratch/log"
	echo "FAIL: the guest did not finish"
	exit 1
}
grep -a '^@@' "$scratch/log"
bad=0
expect() {
	if grep -aqxF -- "$2" "$scratch/log"; then
		echo "PASS: $1"
	else
		echo "FAIL: $1: no line '$2'"
		bad=1
	fi
}
expect "status before: web not loaded" "@@S   profile web: not loaded"
expect "status before: ci-runner not loaded" \
	"@@S   profile ci-runner: not loaded"
expect "load succeeds" "@@LOADRC 0"
expect "status after: web enforced" \
	"@@A   profile web: loaded, enforce mode"
expect "status after: ci-runner in complain mode" \
	"@@A   profile ci-runner: loaded, complain mode"
if grep -aq '^@@A AppArmor: enabled; kernel ABI ' "$scratch/log"; then
	echo "PASS: status names the kernel's feature ABI"
else
	echo "FAIL: status names the kernel's feature ABI"
	bad=1
fi
json=$(grep -a '^@@J ' "$scratch/log" | sed 's/^@@J //')
if printf '%s' "$json" | /usr/bin/python3 -c '
import json, sys
s = json.load(sys.stdin)
p = {x["name"]: x for x in s["apparmor"]["profiles"]}
assert s["apparmor"]["enabled"] is True
assert s["selinux"]["enabled"] is False
assert p["web"]["loaded"] and p["web"]["mode"] == "enforce"
assert p["ci-runner"]["mode"] == "complain"
'; then
	echo "PASS: status --format=json says the same"
else
	echo "FAIL: status --format=json says the same: $json"
	bad=1
fi
expect "no libapparmor: status says why" "@@N AppArmor: unknown: \
$aa_soname could not be loaded: $aa_soname: cannot open shared object \
file: No such file or directory"
expect "no libapparmor: SELinux still known" "@@N SELinux: not enabled"
expect "no libapparmor: load refuses" "@@NOLIBRC 2"
if grep -aqF "@@NL cpolc load: cannot tell whether AppArmor is active \
here: $aa_soname could not be loaded" "$scratch/log"; then
	echo "PASS: no libapparmor: load says why"
else
	echo "FAIL: no libapparmor: load says why"
	bad=1
fi
exit $bad
