#!/bin/bash
# podman-run.sh [-r ROOTFS] [-w apparmor] ARGSFILE -- CMD...
#
# Runs CMD in a real container with the generated docker arguments of
# ARGSFILE (one argument per line, "--flag=value" form, as cpolc writes
# NAME.docker), through podman with runc, never editing them:
#   podman --runtime runc run --rm ADDITIONS... ARGS... --rootfs ROOTFS CMD
# The additions are printed with the reason for each:
#   --runtime runc            crun refuses this host's hybrid cgroups;
#   --ulimit nofile/nproc     podman's defaults exceed the hard limits here;
#   --read-only-tmpfs=false   with --read-only: docker's --read-only gives no
#                             writable /run and /var/tmp, podman's does;
#   --pids-limit=-1           without --pids-limit: docker sets no limit,
#                             podman defaults to 2048.
# One generated flag cannot be passed on a host without AppArmor:
# podman refuses --security-opt=apparmor=NAME there. Rather than drop it
# silently, the caller must say "-w apparmor": the flag is then withheld
# only if the host really has no AppArmor, with a WITHHELD line naming it
# (the profile itself is proven in a real kernel by aa-enforce.sh). With
# AppArmor on the host the flag is kept and the profile must be loaded.
# Without -w such an ARGSFILE is an error. --security-opt=label=... is
# kept; podman ignores it without SELinux, which is printed as a NOTE.
# ROOTFS defaults to a fresh one from lib/mkrootfs.sh. podman runs from a
# scratch directory (conmon leaves an "oom" file in its cwd).
# Exit: podman's (the container's) exit status; 77 podman or runc cannot
# run containers here; 99 usage or a flag that cannot be passed.
set -eu
. "$(dirname "$0")/lib/common.sh"

usage() {
	e2e_die "usage: podman-run.sh [-r ROOTFS] [-w apparmor] ARGSFILE -- CMD..."
}
rootfs='' withhold=''
while getopts r:w: opt; do
	case $opt in
	r) rootfs=$OPTARG ;;
	w) [ "$OPTARG" = apparmor ] || usage; withhold=apparmor ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -ge 3 ] && [ "$2" = -- ] || usage
argsfile=$1
shift 2
e2e_need podman runc
e2e_scratch
if [ -z "$rootfs" ]; then
	rootfs=$scratch/rootfs
	"$e2e_lib/mkrootfs.sh" "$rootfs"
fi
rootfs=$(cd "$rootfs" && pwd)

host_apparmor=no
[ "$(cat /sys/module/apparmor/parameters/enabled 2>/dev/null)" = Y ] &&
	host_apparmor=yes
args=() readonly=no pids=no
while IFS= read -r a || [ -n "$a" ]; do
	[ -n "$a" ] || continue
	case $a in
	--security-opt=apparmor=*)
		if [ $host_apparmor = yes ]; then
			echo "NOTE: kept $a (AppArmor is enabled here)"
		elif [ "$withhold" = apparmor ]; then
			echo "WITHHELD: $a: this host has no AppArmor and podman" \
				"refuses the flag; the profile is proven in a real" \
				"kernel by aa-enforce.sh"
			continue
		else
			e2e_die "$argsfile has $a, which podman refuses on this" \
				"host (no AppArmor); pass -w apparmor to withhold it"
		fi
		;;
	--security-opt=label=*)
		[ -d /sys/fs/selinux ] && [ -e /sys/fs/selinux/enforce ] ||
			echo "NOTE: $a is passed but podman ignores it:" \
				"SELinux is off here"
		;;
	--read-only|--read-only=true) readonly=yes ;;
	--pids-limit=*) pids=yes ;;
	esac
	args+=("$a")
done < "$argsfile"

add=(--ulimit nofile=1024:1024 --ulimit nproc=1000:1000)
echo "ADDED: --runtime runc (crun refuses this host's hybrid cgroups)"
echo "ADDED: ${add[*]} (podman's defaults exceed this host's hard limits)"
if [ $readonly = yes ]; then
	add+=(--read-only-tmpfs=false)
	echo "ADDED: --read-only-tmpfs=false (docker's --read-only has no" \
		"writable /run and /var/tmp; podman's default adds them)"
fi
if [ $pids = no ]; then
	add+=(--pids-limit=-1)
	echo "ADDED: --pids-limit=-1 (no --pids-limit: docker sets no limit," \
		"podman's default is 2048)"
fi
echo "RUN: podman --runtime runc run --rm ${add[*]} ${args[*]}" \
	"--rootfs $rootfs $*"
cd "$scratch"
rc=0
podman --runtime runc run --rm "${add[@]}" "${args[@]}" \
	--rootfs "$rootfs" "$@" 2> "$scratch/err" || rc=$?
cat "$scratch/err" >&2
case $rc in
125|126|127)
	# Is it the arguments, or can podman not run anything here?
	if ! podman --runtime runc run --rm "${add[@]}" --network=none \
		--rootfs "$rootfs" /bin/true > "$scratch/err2" 2>&1; then
		e2e_skip "podman cannot run containers here:" \
			"$(head -n 3 "$scratch/err2")"
	fi
	;;
esac
exit $rc
