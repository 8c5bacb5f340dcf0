# Shared by the test scripts: where things are, scratch space, and
# TAP-free PASS/FAIL/SKIP lines that automake's driver shows as is.
#
# Each script sources this, calls pass/fail per case, and ends with
# `finish`, which exits 0, 1 on any failure, or 77 when everything
# was skipped.

set -u

: "${srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
case $srcdir in
*/tests) srcdir=${srcdir%/tests} ;;
esac
: "${CPOLC:=$srcdir/src/cpolc}"
export LC_ALL=C

npass=0
nfail=0
nskip=0

scratch=$(mktemp -d "${TMPDIR:-/tmp}/cpolc-test.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

pass() {
	npass=$((npass + 1))
	echo "PASS: $*"
}

fail() {
	nfail=$((nfail + 1))
	echo "FAIL: $*"
}

skip() {
	nskip=$((nskip + 1))
	echo "SKIP: $*"
}

# check NAME COMMAND...: PASS when the command succeeds.
check() {
	name=$1
	shift
	if "$@"; then pass "$name"; else fail "$name"; fi
}

# A listing of a directory tree with each file's checksum, to prove a
# failed run left it exactly as it was.
tree_sum() {
	(cd "$1" && find . -print0 | LC_ALL=C sort -z |
		xargs -0 -r sh -c 'for f; do
			if [ -f "$f" ]; then
				printf "%s %s\n" "$(cksum < "$f")" "$f"
			else
				printf "dir %s\n" "$f"
			fi
		done' sh)
}

finish() {
	echo "$npass passed, $nfail failed, $nskip skipped"
	if [ "$nfail" -gt 0 ]; then exit 1; fi
	if [ "$npass" -eq 0 ] && [ "$nskip" -gt 0 ]; then exit 77; fi
	exit 0
}
