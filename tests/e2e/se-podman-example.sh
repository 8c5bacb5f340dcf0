#!/bin/bash
# se-podman-example.sh: an example's generated flags and generated SELinux
# module together, in a real kernel (issue 5).  cpolc compiles
# examples/batch.pol to batch.te and batch.docker; batch.pp is linked
# with the e2e harness into the store of tests/validate/selinux/mkstore.sh
# (Debian's policy plus refpolicy's container module); Debian 12's kernel
# boots with SELinux, enforcing, and podman runs the probe as the job
# with batch.docker's arguments (--security-opt=label=type:batch_t among
# them), podman, conmon and runc in the container module's engine domain
# container_engine_t (a permissive domain: lib/se-harness.sh).  The
# container must run as system_u:system_r:batch_t:s0, its declared
# accesses must work and the undeclared ones fail, with the kernel's AVC
# denials (permissive=0) for the shadow_t file and the IP sockets, and
# the engine must have been denied nothing concerning batch_t (what the
# engine needs of the container's domain comes from batch.te alone).
# se-enforce.sh prints what it adds to or withholds from the arguments
# (@@ADDED, @@WITHHELD), with the reason.
# In the same boot, the negative control runs the same checks
# with batch.docker minus its label=type line: podman then starts the
# container as container_t, and the label and the IP-socket checks must
# fail (container_t may create sockets; batch_t, with no network
# statement, may not).
# About 45 s: one link (6-10 s), one boot with podman (22-30 s).
set -eu
. "$(dirname "$0")/lib/common.sh"

: "${CPOLC:?CPOLC must name the cpolc binary}"
srcdir=${srcdir:-$e2e_top}
PATH=$PATH:/usr/sbin:/sbin
export PATH
"$CPOLC" --help 2>/dev/null | grep -q '^  selinux ' ||
	e2e_skip "$CPOLC has no selinux target"
e2e_need make semodule qemu-system-x86_64 podman conmon runc
devel=/usr/share/selinux/devel/Makefile
[ -r "$devel" ] || e2e_skip "$devel missing (install selinux-policy-dev)"
store=${CPOLC_SELINUX_STORE:-}
if [ -z "$store" ] && [ -n "${top_builddir:-}" ]; then
	store=$top_builddir/tests/validate/selinux-store
fi
[ -n "$store" ] || store=${TMPDIR:-/tmp}/cpolc-selinux-store
rc=0
sh "$srcdir/tests/validate/selinux/mkstore.sh" "$store" || rc=$?
case $rc in
0) ;;
77) e2e_skip "no SELinux store with the container module (mkstore.sh)" ;;
*) e2e_die "mkstore.sh $store failed" ;;
esac

e2e_scratch
out=$scratch/out
(cd "$srcdir/examples" &&
	"$CPOLC" -q -t selinux,docker batch.pol -o "$out")
(cd "$out" && make -s -f "$devel" batch.pp >/dev/null) ||
	e2e_die "batch.pp does not build"
grep -qx -- '--security-opt=label=type:batch_t' "$out/batch.docker" ||
	{ echo "FAIL: batch.docker has no --security-opt=label=type:batch_t"
	  exit 1; }
# The negative control: the label flag dropped.
grep -vx -- '--security-opt=label=type:batch_t' "$out/batch.docker" \
	> "$scratch/nolabel.docker"

# spec NAME ARGSFILE: batch.pol's accesses, statement by statement.
spec() {
	cat <<EOT
name $1
context system_u:system_r:batch_t:s0
podman $2
probe /usr/local/bin/report
# the image's files are container_file_t, as the engine labels a rootfs
label /usr/local/bin/report system_u:object_r:container_file_t:s0
file /data/input/day.csv
label /data/input/day.csv system_u:object_r:container_file_t:s0
# a host secret: mode 0644, so that SELinux alone refuses it
file /etc/shadow 0644
label /etc/shadow system_u:object_r:shadow_t:s0
program /tmp/tool
# The image's /work: podman's tmpfs copies the mode of the directory it
# covers (tmpcopyup), and the first container leaves runc's 0755 /work
# in the shared root, where uid 1000 could not write.
dir /work 1777
# declared: read the input, write the tmpfs mounts, run the job
allow read /data/input/day.csv
allow write /work/report.txt
allow write /tmp/x
allow exec /usr/local/bin/report
# not declared: other files, writing the input, the read-only root
deny read /etc/shadow
deny write /data/input/day.csv
deny write /probe errno=EROFS
# /tmp is noexec
deny exec /tmp/tool
# no network statement: SELinux grants no IP sockets (--network=none
# alone would let socket() succeed in the empty namespace)
deny socket inet stream
deny socket inet6 dgram
# no capability is kept, and the user is 1000
deny cap sys_chroot
deny cap setuid
EOT
}
spec batch-podman "$out/batch.docker" > "$scratch/batch-podman.spec"
spec batch-nolabel "$scratch/nolabel.docker" > "$scratch/batch-nolabel.spec"

e2e_say "batch.docker, passed unedited:" "$(tr '\n' ' ' < "$out/batch.docker")"
vmrc=0
"$e2e_dir/se-enforce.sh" -S "$store" -m "$out/batch.pp" \
	"$scratch/batch-podman.spec" "$scratch/batch-nolabel.spec" \
	> "$scratch/vm" 2>&1 || vmrc=$?
[ $vmrc -ne 77 ] || { grep '^SKIP:' "$scratch/vm"; exit 77; }
[ $vmrc -ne 99 ] || { cat "$scratch/vm"; exit 99; }
# the control's own lines are judged below; se-enforce.sh fails on it
grep -v '^\(PASS\|FAIL\): batch-nolabel\|^se-enforce.sh: FAILED$' \
	"$scratch/vm" || true
bad=0
pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; bad=1; }

# The example itself: every line of se-enforce.sh for it passed.
if grep -q '^FAIL: batch-podman' "$scratch/vm"; then
	fail "batch-podman: a check failed (above)"
elif ! grep -qx 'PASS: batch-podman: confined as system_u:system_r:batch_t:s0' \
	"$scratch/vm"; then
	fail "batch-podman: no confined label reported"
else
	pass "batch-podman: podman ran the job as batch_t, all checks held"
fi
grep -q '^PASS: policy loaded, enforcing' "$scratch/vm" ||
	fail "policy not loaded or not enforcing"
n=$(sed -n 's/^@@ENGINE-AVC-COUNT //p' "$scratch/vm")
if [ "${n:-0}" -gt 0 ] && grep -q '^PASS: the engine (container_engine_t)' \
	"$scratch/vm"; then
	pass "podman ran as container_engine_t ($n permissive denials for" \
		"the guest's layout, none concerning batch_t)"
else
	fail "podman did not run as container_engine_t, or it was denied" \
		"something concerning batch_t"
fi
grep -q '^@@WITHHELD batch-podman: --security-opt=apparmor=batch:' \
	"$scratch/vm" && [ "$(grep -c '^@@WITHHELD batch-podman' \
	"$scratch/vm")" -eq 1 ] ||
	fail "batch-podman: the wrapper withheld something else"
# The kernel's denials, enforcing, for the confined job.
avc() {
	if grep '^@@AVC ' "$scratch/vm" | grep 'permissive=0' |
		grep 'scontext=system_u:system_r:batch_t:s0' |
		grep -q -- "$2"; then
		pass "AVC permissive=0: $1"
	else
		fail "no AVC permissive=0 for $1"
	fi
}
avc "read of the shadow_t file" \
	'{ read } .*tcontext=system_u:object_r:shadow_t:s0 tclass=file'
avc "tcp_socket create" '{ create } .*tclass=tcp_socket'
avc "udp_socket create" '{ create } .*tclass=udp_socket'

# The negative control must fail the label and the IP sockets, exactly.
got=$(sed -n 's/^FAIL: batch-nolabel: //p' "$scratch/vm" |
	grep -v '^[0-9]* of [0-9]* checks passed$' |
	sed 's/: .*//; s/^label .*/label/' | sort | tr '\n' ';')
want='deny socket inet stream;deny socket inet6 dgram;label;'
if [ "$got" = "$want" ] &&
	grep -q '^@@DONE batch-nolabel checks=[0-9]* rc=1$' "$scratch/vm"; then
	pass "control (label=type dropped): ran as" \
		"$(sed -n 's/^@@LABEL batch-nolabel: //p' "$scratch/vm")," \
		"failed exactly: $want"
else
	fail "control (label=type dropped) failed '$got', want '$want'"
	grep '^\(PASS\|FAIL\): batch-nolabel' "$scratch/vm" || true
fi
[ $bad -eq 0 ] && e2e_say "all checks passed" || e2e_say "FAILED"
exit $bad
