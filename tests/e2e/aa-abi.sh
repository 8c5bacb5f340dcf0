#!/bin/bash
# aa-abi.sh: the captured feature ABI of Debian 12's kernel
# (tests/data/aa-features-debian12) is usable: it has the sections
# aa-features-abi -x writes, and apparmor_parser compiles the stand-in
# profile against it. No kernel needed; runs where QEMU cannot.
set -eu
. "$(dirname "$0")/lib/common.sh"

features=$e2e_top/tests/data/aa-features-debian12
e2e_need apparmor_parser
e2e_scratch
p=$e2e_dir/data/standin.apparmor
bad=0
if apparmor_parser -QK --skip-cache -M "$features" -o "$scratch/k" "$p" \
	2> "$scratch/err"; then
	echo "PASS: $(basename "$p") compiles against $(basename "$features")"
else
	grep -v 'interface file missing' "$scratch/err" || true
	echo "FAIL: $(basename "$p") does not compile against the ABI"
	bad=1
fi
grep -q '^caps {mask {chown' "$features" &&
	grep -q '^network_v8 {af_mask' "$features" &&
	echo "PASS: the ABI file names capabilities and network families" || {
	echo "FAIL: $features does not look like aa-features-abi -x output"
	bad=1
}
exit $bad
