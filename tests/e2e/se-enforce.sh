#!/bin/bash
# se-enforce.sh [-l LOG] (-P POLICY | -m MODULE [-m MODULE...]) SPEC...
#
# Proves SELinux policy in a real kernel, enforcing: boots Debian's stock
# kernel under QEMU with SELinux active, loads the binary policy, labels
# the spec's files (permissive), switches to enforcing, and for each SPEC
# runs the probe (lib/cpolc-probe.c) in the spec's "context" (entered by
# exec through /proc/self/attr/exec, or with "enter runc" as runc's
# process.selinuxLabel) and checks every allow/deny line.
#   -P POLICY  a linked binary policy (policy.33) that already holds the
#              harness module built by lib/se-harness.sh for these specs;
#   -m MODULE  .pp, .cil or .te (built with the refpolicy devel Makefile)
#              modules: linked here, with the harness, into a private
#              copy of the host's store (semodule -n -p; the host store
#              is never touched).
# -l LOG keeps the guest's console log. Spec format: tests/e2e/README.
# Exit: 0 every check passed, 1 a check failed, 77 skipped (no QEMU, no
# kernel, no SELinux policy tools or store), 99 harness error.
set -eu
. "$(dirname "$0")/lib/common.sh"

usage() {
	e2e_die "usage: se-enforce.sh [-l LOG] (-P POLICY | -m MODULE...) SPEC..."
}
modules=() policy='' log=''
while getopts P:m:l: opt; do
	case $opt in
	P) policy=$OPTARG ;;
	m) modules+=("$OPTARG") ;;
	l) log=$OPTARG ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || usage
[ -n "$policy" ] || [ ${#modules[@]} -gt 0 ] || usage
[ -z "$policy" ] || [ ${#modules[@]} -eq 0 ] || usage
e2e_need qemu-system-x86_64 "${CC:-cc}"
e2e_scratch
t=$scratch/test
mkdir -p "$t/specs" "$t/bin"
for s in "$@"; do
	[ -n "$(e2e_spec_value "$s" context)" ] ||
		e2e_die "$s: no 'context CTX' line"
	[ -z "$(e2e_spec_value "$s" podman)" ] ||
		e2e_die "$s: 'podman' specs run under AppArmor only so far"
	n=$(e2e_spec_name "$s")
	[ ! -e "$t/specs/$n.spec" ] || e2e_die "two specs named $n"
	cp "$s" "$t/specs/$n.spec"
done

if [ ${#modules[@]} -gt 0 ]; then
	e2e_need semodule make
	[ -d /var/lib/selinux/default ] ||
		e2e_skip "no SELinux store (install selinux-policy-default)"
	"$e2e_lib/se-harness.sh" "$scratch/harness" "$@"
	root=$scratch/root
	mkdir -p "$root/var/lib" "$root/etc"
	cp -a /var/lib/selinux "$root/var/lib/"
	cp -a /etc/selinux "$root/etc/"
	pp=("$scratch/harness/cpolc_e2e_harness.pp")
	for m in "${modules[@]}"; do
		case $m in
		*.te)
			b=$(basename "$m" .te)
			mkdir -p "$scratch/mod/$b"
			cp "$m" "$scratch/mod/$b/"
			for x in fc if; do
				if [ -e "${m%.te}.$x" ]; then
					cp "${m%.te}.$x" "$scratch/mod/$b/"
				else
					: > "$scratch/mod/$b/$b.$x"
				fi
			done
			(cd "$scratch/mod/$b" && make -s -f \
				/usr/share/selinux/devel/Makefile "$b.pp" \
				>/dev/null) || e2e_die "building $m failed"
			pp+=("$scratch/mod/$b/$b.pp")
			;;
		*.pp|*.cil) pp+=("$m") ;;
		*) e2e_die "$m: not a .te, .pp or .cil module" ;;
		esac
	done
	e2e_say "linking ${pp[*]##*/} into a copy of the host's store"
	semodule -n -p "$root" -i "${pp[@]}" 2>&1 |
		grep -v 'not in password file' >&2 || true
	set -- "$root"/etc/selinux/default/policy/policy.*
	[ -s "$1" ] || e2e_die "semodule produced no binary policy"
	policy=$1
	set -- "$t"/specs/*.spec
fi
cp "$policy" "$t/policy"

"$e2e_lib/get-kernel.sh" "$E2E_CACHE/kernel"
probe=$(e2e_probe) || e2e_skip "cannot build the static probe" \
	"(is libc6-dev installed?)"
cp "$probe" "$t/bin/cpolc-probe"
extra=()
if grep -qs '^[[:space:]]*enter[[:space:]]\+runc' "$t"/specs/*.spec; then
	e2e_need runc
	extra+=("$(command -v runc)")
fi
"$e2e_lib/build-initramfs.sh" "$scratch/base.gz" ${extra[@]+"${extra[@]}"} \
	>/dev/null
cat > "$t/run.sh" <<'EOS'
if dd if=/test/policy of=/sys/fs/selinux/load bs=64M 2>/dev/null; then
	echo "@@POLICY loaded"
else
	echo "@@POLICY failed"
	exit 1
fi
echo "@@CTX init $(cat /proc/self/attr/current)"
# Label while permissive: the initramfs is root_t, and enforcing would
# refuse the relabel before the test types can associate with it.
for s in /test/specs/*.spec; do
	/test/bin/cpolc-probe setup --probe-label \
		system_u:object_r:cpolc_e2e_probe_exec_t:s0 "$s" || exit 1
done
# loopback up, so that connect checks reach a port (refused = allowed)
ip link set lo up
echo 1 > /sys/fs/selinux/enforce
echo "@@ENFORCE $(cat /sys/fs/selinux/enforce)"
rc=0
for s in /test/specs/*.spec; do /test/bin/cpolc-probe run "$s" || rc=1; done
dmesg | grep 'avc: ' | grep -v 'permissive=1' | sed 's/^/@@AVC /'
exit $rc
EOS
e2e_say "booting with SELinux: $# spec(s)"
vmrc=0
"$e2e_lib/run-vm.sh" "$E2E_CACHE/kernel/vmlinuz" "$scratch/base.gz" "$t" \
	selinux > "$scratch/log" || vmrc=$?
[ -z "$log" ] || cp "$scratch/log" "$log"
[ $vmrc -ne 77 ] || exit 77
grep '^@@' "$scratch/log" | grep -v '^@@\(OK\|FAIL\) ' || true
if [ $vmrc -ne 0 ]; then
	tail -n 30 "$scratch/log"
	echo "FAIL: the VM did not finish"
	exit 1
fi
bad=0
if grep -q '^@@POLICY loaded' "$scratch/log" &&
	grep -q '^@@ENFORCE 1' "$scratch/log"; then
	echo "PASS: policy loaded, enforcing"
else
	echo "FAIL: policy not loaded or not enforcing"
	bad=1
fi
for s in "$t"/specs/*.spec; do
	e2e_verify "$scratch/log" context "$s" || bad=1
done
[ $bad -eq 0 ] && e2e_say "all checks passed" || e2e_say "FAILED"
exit $bad
