#!/bin/bash
# se-enforce.sh [-l LOG] [-S STORE] (-P POLICY | -m MODULE [-m MODULE...])
#               SPEC...
#
# Proves SELinux policy in a real kernel, enforcing: boots Debian's stock
# kernel under QEMU with SELinux active, loads the binary policy, labels
# the spec's files (permissive), switches to enforcing, and for each SPEC
# runs the probe (lib/cpolc-probe.c) in the spec's "context" (entered by
# exec through /proc/self/attr/exec, with "enter runc" as runc's
# process.selinuxLabel, or with "podman ARGSFILE" by podman from the
# generated arguments) and checks every allow/deny line.
#   -P POLICY  a linked binary policy (policy.33) that already holds the
#              harness module built by lib/se-harness.sh for these specs;
#   -m MODULE  .pp, .cil or .te (built with the refpolicy devel Makefile)
#              modules: linked here, with the harness, into a private
#              copy of the host's store (semodule -n -p; the host store
#              is never touched);
#   -S STORE   with -m: copy this store root (ROOT/etc/selinux,
#              ROOT/var/lib/selinux, as tests/validate/selinux/mkstore.sh
#              makes it, with refpolicy's container module) instead.
# "podman ARGSFILE" specs (ARGSFILE relative to the spec, the generated
# NAME.docker, copied unedited) run podman in the guest as
# aa-enforce.sh does, with the store's lxc_contexts (podman ignores
# label= without it), podman, conmon and runc in the engine domain
# container_engine_t (permissive: lib/se-harness.sh); the engine's
# denials that name a spec's domain are printed as @@ENGINE-AVC, and
# count as failures. Between the probe and podman a wrapper changes
# the command line in two ways only, each printed as @@ADDED or
# @@WITHHELD with its reason: it withholds --security-opt=apparmor=NAME
# (podman refuses an AppArmor profile where AppArmor is not active, and
# SELinux and AppArmor cannot both be active in Debian 12's kernel), and
# it adds --security-opt=label=level:s0 when the arguments name no level
# (podman would pick random MCS categories, so the context could not be
# compared). Such specs need the container module (container_file_t)
# and should label their probe as the image: "label PROBE
# system_u:object_r:container_file_t:s0".
# -l LOG keeps the guest's console log. Spec format: tests/e2e/README.
# Exit: 0 every check passed, 1 a check failed, 77 skipped (no QEMU, no
# kernel, no SELinux policy tools or store), 99 harness error.
set -eu
. "$(dirname "$0")/lib/common.sh"

usage() {
	e2e_die "usage: se-enforce.sh [-l LOG] [-S STORE]" \
		"(-P POLICY | -m MODULE...) SPEC..."
}
# write_podman_wrapper FILE: the guest's /usr/bin/podman, which runs the
# real one with two changes to the generated arguments (those before
# --rootfs), each printed: see the header.
write_podman_wrapper() {
	cat > "$1" <<'EOW'
#!/bin/sh
n=$# k=0 name=? level=no msgs=''
while [ $n -gt 0 ]; do
	a=$1
	shift
	n=$((n - 1))
	if [ $k -gt 0 ]; then
		k=$((k + 1))
		[ $k -ne 5 ] || name=$a
	else
		case $a in
		--security-opt=apparmor=*)
			msgs="$msgs|@@WITHHELD @NAME@: $a: podman refuses an"
			msgs="$msgs AppArmor profile where AppArmor is not"
			msgs="$msgs active (SELinux is; aa-podman-example.sh"
			msgs="$msgs runs it under AppArmor)"
			continue
			;;
		--security-opt=label=level:*|--security-opt=label=disable)
			level=yes
			;;
		--rootfs)
			k=1
			if [ $level = no ]; then
				set -- "$@" --security-opt=label=level:s0
				msgs="$msgs|@@ADDED @NAME@:"
				msgs="$msgs --security-opt=label=level:s0"
				msgs="$msgs (the arguments name no level:"
				msgs="$msgs podman would pick random MCS"
				msgs="$msgs categories)"
			fi
			;;
		esac
	fi
	set -- "$@" "$a"
done
IFS='|'
for m in $msgs; do
	[ -z "$m" ] || printf '%s\n' "${m%%@NAME@*}$name${m#*@NAME@}"
done
unset IFS
# podman, conmon and runc in the container module's engine domain
printf '%s' system_u:system_r:container_engine_t:s0 > /proc/self/attr/exec
exec /usr/bin/podman.real "$@"
EOW
	chmod 755 "$1"
}
modules=() policy='' log='' store='' podman=no
while getopts P:m:l:S: opt; do
	case $opt in
	P) policy=$OPTARG ;;
	m) modules+=("$OPTARG") ;;
	l) log=$OPTARG ;;
	S) store=$OPTARG ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || usage
[ -n "$policy" ] || [ ${#modules[@]} -gt 0 ] || usage
[ -z "$policy" ] || [ ${#modules[@]} -eq 0 ] || usage
[ -z "$store" ] || [ ${#modules[@]} -gt 0 ] || usage
e2e_need qemu-system-x86_64 "${CC:-cc}"
e2e_scratch
t=$scratch/test
mkdir -p "$t/specs" "$t/bin"
e2e_stage_specs context "context CTX" "$t" "$@"

if [ ${#modules[@]} -gt 0 ]; then
	e2e_need semodule make
	from=${store:-}
	[ -d "$from/var/lib/selinux/default" ] ||
		e2e_skip "no SELinux store in $from/var/lib/selinux" \
			"(install selinux-policy-default)"
	"$e2e_lib/se-harness.sh" "$scratch/harness" "$@"
	root=$scratch/root
	mkdir -p "$root/var/lib" "$root/etc"
	cp -a "$from/var/lib/selinux" "$root/var/lib/"
	cp -a "$from/etc/selinux" "$root/etc/"
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
if [ $podman = yes ]; then
	# podman takes its default labels, and with them the label= options,
	# from lxc_contexts; without the file it runs the container unlabelled
	lxc=${policy%/policy/*}/contexts/lxc_contexts
	[ -r "$lxc" ] || lxc=/etc/selinux/default/contexts/lxc_contexts
	[ -r "$lxc" ] || e2e_skip "no lxc_contexts for podman"
	mkdir -p "$t/selinux"
	cp "$lxc" "$t/selinux/lxc_contexts"
	e2e_say "podman's labels from $lxc"
fi

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
	e2e_need podman conmon
	extra+=("$(command -v podman)" "$(command -v conmon)")
	export E2E_MEM=${E2E_MEM:-1024}
	write_podman_wrapper "$t/bin/podman-wrapper"
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
if [ -d /test/podman ]; then
	# podman in the guest, set up after the policy load so that the
	# tmpfs mounts get their policy labels: vfs storage on a tmpfs, no
	# pivot_root in an initramfs, cgroupfs, file events, an
	# accept-anything image policy, lxc_contexts for the labels
	mkdir -p /etc/containers /var/lib/containers /dev/shm /root \
		/etc/selinux/default/contexts
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
	printf 'SELINUX=enforcing\nSELINUXTYPE=default\n' > /etc/selinux/config
	cp /test/selinux/lxc_contexts /etc/selinux/default/contexts/
	mv /usr/bin/podman /usr/bin/podman.real
	cp /test/bin/podman-wrapper /usr/bin/podman
	# as refpolicy's container.fc labels them
	for b in /usr/bin/podman.real /usr/bin/conmon /usr/sbin/runc; do
		setfattr -n security.selinux \
			-v system_u:object_r:container_engine_exec_t:s0 "$b" ||
			exit 1
	done
	export HOME=/root
fi
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
if [ -d /test/podman ]; then
	# the permissive engine's denials that concern a spec's domain
	doms=$(sed 's/#.*//' /test/specs/*.spec |
		awk '$1 == "context" { split($2, c, ":"); print c[3] }' |
		sort -u)
	dmesg | grep 'avc: .*scontext=[^ ]*:container_engine_t:' |
		grep 'permissive=1' | sed 's/^/@@ENGINE-AVC /' > /tmp/engine-avc
	for d in $doms; do grep ":$d:" /tmp/engine-avc; done | sort -u
	dmesg | grep -c 'avc: .*container_engine_t.*permissive=1' |
		sed 's/^/@@ENGINE-AVC-COUNT /'
fi
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
if [ $podman = yes ]; then
	if grep '^@@ENGINE-AVC \[' "$scratch/log" |
		sed 's/^@@ENGINE-AVC /FAIL: engine needs: /' | grep .; then
		bad=1
	else
		echo "PASS: the engine (container_engine_t) was denied" \
			"nothing that concerns a spec's domain"
	fi
fi
[ $bad -eq 0 ] && e2e_say "all checks passed" || e2e_say "FAILED"
exit $bad
