#!/bin/bash
# run-vm.sh KERNEL BASE TESTDIR LSM [APPEND...]: boot KERNEL under QEMU
# (TCG: KVM cannot boot a stock kernel on these hosts) with the base
# initramfs BASE plus TESTDIR packed as /test, LSM the last entry of
# lsm= ("apparmor" or "selinux"); extra kernel arguments may follow.
# Prints the console log (CR and terminal escapes removed) to stdout.
# Env: E2E_MEM (MB, default 512), E2E_TIMEOUT (s, default 120),
# E2E_VM_SLOTS (default 2): at most that many VMs run at once on the
# machine, whatever make -j says (one per core; TCG is CPU-bound).
# Exit: 0 the guest reached @@END, 1 it did not (timeout, panic),
# 77 qemu-system-x86_64 missing.
set -eu
. "$(dirname "$0")/common.sh"

[ $# -ge 4 ] || e2e_die "usage: run-vm.sh KERNEL BASE TESTDIR LSM [ARG...]"
kernel=$1 base=$2 testdir=$3 lsm=$4
shift 4
e2e_need qemu-system-x86_64 cpio timeout flock
case $lsm in
apparmor|selinux|none) ;;
*) e2e_die "LSM must be apparmor, selinux or none, not '$lsm'" ;;
esac
lsms=landlock,lockdown,yama
[ "$lsm" = none ] || lsms=$lsms,$lsm
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cpolc-vm.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# The kernel unpacks concatenated cpio archives in order; TESTDIR lands
# under /test.
mkdir "$tmp/root"
cp -a "$testdir" "$tmp/root/test"
(cd "$tmp/root" && find . -print0 | sort -z |
	cpio --null -o -H newc --owner 0:0 --quiet) | gzip -1 > "$tmp/test.gz"
cat "$base" "$tmp/test.gz" > "$tmp/initrd.gz"
# Take one of E2E_VM_SLOTS lock files; held until this script exits.
mkdir -p "$E2E_CACHE"
slot=
while [ -z "$slot" ]; do
	for i in $(seq 1 "${E2E_VM_SLOTS:-2}"); do
		exec 9> "$E2E_CACHE/vm-slot.$i"
		if flock -n 9; then
			slot=$i
			break
		fi
		exec 9>&-
	done
	[ -n "$slot" ] || sleep 0.3
done
start=$(date +%s.%N)
rc=0
timeout "${E2E_TIMEOUT:-120}" qemu-system-x86_64 -accel tcg \
	-m "${E2E_MEM:-512}" -smp 1 -nographic -no-reboot -net none \
	-monitor none -serial stdio \
	-kernel "$kernel" -initrd "$tmp/initrd.gz" \
	-append "console=ttyS0 quiet panic=-1 lsm=$lsms $*" \
	</dev/null > "$tmp/log" 2>&1 || rc=$?
end=$(date +%s.%N)
# Strip CR and the terminal escapes (ESC c, CSI ...) the firmware prints.
tr -d '\r' < "$tmp/log" | sed 's/\x1bc//g; s/\x1b\[[0-9;?]*[A-Za-z]//g'
secs=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')
if grep -aq '^@@END' "$tmp/log"; then
	e2e_say "VM ($lsm) finished in ${secs}s" >&2
	exit 0
fi
e2e_say "VM ($lsm) did not finish (qemu rc $rc, ${secs}s)" >&2
exit 1
