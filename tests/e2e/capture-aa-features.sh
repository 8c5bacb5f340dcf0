#!/bin/bash
# capture-aa-features.sh OUT: boot Debian's stock kernel with AppArmor and
# write its feature ABI ("aa-features-abi -x" in the guest) to OUT, the
# way tests/data/aa-features-debian12 was made. Not part of make check.
set -eu
. "$(dirname "$0")/lib/common.sh"

[ $# -eq 1 ] || e2e_die "usage: capture-aa-features.sh OUT"
e2e_need aa-features-abi
e2e_scratch
"$e2e_lib/get-kernel.sh" "$E2E_CACHE/kernel"
"$e2e_lib/build-initramfs.sh" "$scratch/base.gz" "$(command -v aa-features-abi)"
mkdir "$scratch/t"
cat > "$scratch/t/run.sh" <<'EOS'
echo @@FEATURES-BEGIN
aa-features-abi -x
echo @@FEATURES-END
EOS
"$e2e_lib/run-vm.sh" "$E2E_CACHE/kernel/vmlinuz" "$scratch/base.gz" \
	"$scratch/t" apparmor > "$scratch/log"
grep -a '^@@KERNEL' "$scratch/log"
awk '/^@@FEATURES-END/ { p = 0 } p { print } /^@@FEATURES-BEGIN/ { p = 1 }' \
	"$scratch/log" > "$scratch/abi"
[ -s "$scratch/abi" ] || e2e_die "no feature ABI in the guest's output"
mv "$scratch/abi" "$1"
e2e_say "wrote $1 from $(cat "$E2E_CACHE/kernel/version")"
