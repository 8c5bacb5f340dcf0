#!/bin/bash
# aa-enforce.sh [-l LOG] -p PROFILE [-p PROFILE...] SPEC...
#
# Proves AppArmor profiles in a real kernel: compiles each PROFILE on the
# host against Debian 12's feature ABI (tests/data/aa-features-debian12),
# boots Debian's stock kernel under QEMU with AppArmor active, loads them
# through .replace, and for each SPEC runs the probe (lib/cpolc-probe.c)
# confined by the spec's "profile" and checks every allow/deny line. The
# probe enters the profile through /proc/self/attr/exec, or as the spec
# says: "enter change" (change_profile), "enter runc" (apparmorProfile in
# an OCI spec), "podman ARGSFILE" (podman with generated docker arguments,
# apparmor=NAME among them).
# All profiles and specs share one boot. Spec format: tests/e2e/README.
# -l LOG keeps the guest's console log.
# Exit: 0 every check passed, 1 a check or a profile failed, 77 skipped
# (no QEMU, no kernel, no apparmor_parser), 99 harness error.
set -eu
. "$(dirname "$0")/lib/common.sh"

usage() { e2e_die "usage: aa-enforce.sh [-l LOG] -p PROFILE... SPEC..."; }
profiles=() log=''
while getopts p:l: opt; do
	case $opt in
	p) profiles+=("$OPTARG") ;;
	l) log=$OPTARG ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ ${#profiles[@]} -gt 0 ] && [ $# -gt 0 ] || usage
features=${CPOLC_AA_FEATURES:-$e2e_top/tests/data/aa-features-debian12}
[ -r "$features" ] || e2e_die "no feature ABI file $features"
e2e_need apparmor_parser qemu-system-x86_64 "${CC:-cc}"
e2e_scratch
t=$scratch/test
mkdir -p "$t/prof" "$t/specs" "$t/bin"

bad=0
i=0
for p in "${profiles[@]}"; do
	i=$((i + 1))
	e2e_say "compiling $p against $(basename "$features")"
	if apparmor_parser -QK --skip-cache -M "$features" \
		-o "$t/prof/$i.bin" "$p" 2> "$scratch/err"; then
		echo "PASS: compiles: $p"
	else
		grep -v 'interface file missing' "$scratch/err" >&2 || true
		echo "FAIL: compiles: $p"
		bad=1
	fi
done
[ $bad -eq 0 ] || exit 1
e2e_stage_specs profile "profile NAME" "$t" "$@"

"$e2e_lib/get-kernel.sh" "$E2E_CACHE/kernel"
probe=$(e2e_probe) || e2e_skip "cannot build the static probe" \
	"(is libc6-dev installed?)"
cp "$probe" "$t/bin/cpolc-probe"
extra=()
if grep -qs '^[[:space:]]*enter[[:space:]]\+runc' "$t"/specs/*.spec ||
	[ $podman = yes ]; then
	e2e_need runc
	extra+=("$(command -v runc)")
fi
if [ $podman = yes ]; then
	# podman insists on finding apparmor_parser before it accepts
	# --security-opt=apparmor=NAME, though the profile is loaded already
	e2e_need podman conmon apparmor_parser
	extra+=("$(command -v podman)" "$(command -v conmon)"
		"$(command -v apparmor_parser)")
	export E2E_MEM=${E2E_MEM:-1024}
fi
"$e2e_lib/build-initramfs.sh" "$scratch/base.gz" ${extra[@]+"${extra[@]}"} \
	>/dev/null
cat > "$t/run.sh" <<'EOS'
for b in /test/prof/*.bin; do
	if dd if="$b" of=/sys/kernel/security/apparmor/.replace bs=4M \
		2>/dev/null; then
		echo "@@LOADED $b"
	else
		echo "@@LOADFAIL $b"
	fi
done
sed 's/^/@@PROFILE /' /sys/kernel/security/apparmor/profiles
if [ -d /test/podman ]; then
	# podman in the guest: vfs storage on a tmpfs, no pivot_root in an
	# initramfs, cgroupfs, file events, an accept-anything image policy
	mkdir -p /etc/containers /var/lib/containers /dev/shm /root
	mount -t tmpfs tmpfs /var/lib/containers
	mount -t tmpfs tmpfs /dev/shm
	mount -t tmpfs tmpfs /run
	echo '{"default":[{"type":"insecureAcceptAnything"}]}' \
		> /etc/containers/policy.json
	cat > /etc/containers/containers.conf <<'EOC'
[engine]
no_pivot_root = true
cgroup_manager = "cgroupfs"
events_logger = "file"
EOC
	export HOME=/root
fi
# loopback up, so that connect checks reach a port (refused = allowed)
ip link set lo up
for s in /test/specs/*.spec; do /test/bin/cpolc-probe setup "$s"; done
rc=0
for s in /test/specs/*.spec; do /test/bin/cpolc-probe run "$s" || rc=1; done
dmesg | grep 'apparmor=' | sed 's/^/@@AUDIT /'
exit $rc
EOS
e2e_say "booting with AppArmor: ${#profiles[@]} profile(s), $# spec(s)"
vmrc=0
"$e2e_lib/run-vm.sh" "$E2E_CACHE/kernel/vmlinuz" "$scratch/base.gz" "$t" \
	apparmor > "$scratch/log" || vmrc=$?
[ -z "$log" ] || cp "$scratch/log" "$log"
[ $vmrc -ne 77 ] || exit 77
grep '^@@' "$scratch/log" | grep -v '^@@\(OK\|FAIL\) ' || true
if [ $vmrc -ne 0 ]; then
	tail -n 30 "$scratch/log"
	echo "FAIL: the VM did not finish"
	exit 1
fi
if grep -q '^@@LOADFAIL' "$scratch/log"; then
	echo "FAIL: a profile did not load"
	bad=1
else
	echo "PASS: ${#profiles[@]} profile(s) loaded"
fi
for s in "$t"/specs/*.spec; do
	e2e_verify "$scratch/log" profile "$s" || bad=1
done
[ $bad -eq 0 ] && e2e_say "all checks passed" || e2e_say "FAILED"
exit $bad
