#!/bin/bash
# podman-check.sh [-w apparmor] ARGSFILE EXPECT
#
# Runs lib/ctr-inspect.sh in a real container started by podman-run.sh
# with the generated arguments of ARGSFILE and compares what the
# container really got with EXPECT, one fact a line ("#" comments):
#   caps [CAP...]           CapEff, CapPrm and CapBnd hold exactly these
#                           (capabilities(7) names, any case, cap_ optional)
#   nnp 0|1                 NoNewPrivs
#   user UID:GID            credentials (and no supplementary groups)
#   root read-only|writable / is mounted ro (and writing there fails) or rw
#   tmpfs PATH SIZE [noexec] a tmpfs at PATH, writable, SIZE (K/M/G, or
#                           "-" for the default), executing a file there
#                           fails iff noexec
#   mount PATH ro|rw        writing under PATH fails or works
#   memory SIZE|max         the memory cgroup limit (in whole pages)
#   pids N|max              the pids cgroup limit
#   cpus DECIMAL            the CPU quota (quota/period)
#   net none|IF...          the network interfaces besides lo
# -w apparmor: see podman-run.sh. Prints PASS/FAIL for each line.
# Exit: 0 all passed, 1 a check failed, 77 podman cannot run here.
set -eu
. "$(dirname "$0")/lib/common.sh"

w=()
[ "${1:-}" = -w ] && { w=(-w "$2"); shift 2; }
[ $# -eq 2 ] || e2e_die "usage: podman-check.sh [-w apparmor] ARGSFILE EXPECT"
argsfile=$1 expect=$2
e2e_scratch

caps=(chown dac_override dac_read_search fowner fsetid kill setgid setuid
	setpcap linux_immutable net_bind_service net_broadcast net_admin
	net_raw ipc_lock ipc_owner sys_module sys_rawio sys_chroot sys_ptrace
	sys_pacct sys_admin sys_boot sys_nice sys_resource sys_time
	sys_tty_config mknod lease audit_write audit_control setfcap
	mac_override mac_admin syslog wake_alarm block_suspend audit_read
	perfmon bpf checkpoint_restore)
capmask() {
	local m=0 c i n
	for c in "$@"; do
		c=$(printf '%s' "$c" | tr A-Z a-z)
		c=${c#cap_}
		n=-1
		for i in "${!caps[@]}"; do
			[ "${caps[$i]}" = "$c" ] && n=$i
		done
		[ $n -ge 0 ] || e2e_die "$expect: unknown capability $c"
		m=$((m | (1 << n)))
	done
	printf '%016x\n' $m
}
bytes() {
	local n=${1%[KkMmGg]}
	case $1 in
	*[Kk]) echo $((n * 1024)) ;;
	*[Mm]) echo $((n * 1024 * 1024)) ;;
	*[Gg]) echo $((n * 1024 * 1024 * 1024)) ;;
	*) echo "$n" ;;
	esac
}

paths=$(sed 's/#.*//' "$expect" |
	awk '$1 == "tmpfs" || $1 == "mount" { print $2 }')
rc=0
# shellcheck disable=SC2086
"$e2e_dir/podman-run.sh" "${w[@]}" "$argsfile" -- /cpolc-inspect.sh $paths \
	> "$scratch/out" || rc=$?
grep -v '^@@' "$scratch/out" || true
[ $rc -ne 77 ] || exit 77
[ $rc -ne 99 ] || exit 99
fact() { sed -n "s|^@@$1 ||p" "$scratch/out" | head -n 1; }
bad=0
check() { # NAME GOT WANT
	if [ "$2" = "$3" ]; then
		echo "PASS: $1: $2"
	else
		echo "FAIL: $1: got '$2', want '$3'"
		bad=1
	fi
}
if [ $rc -ne 0 ] || [ "$(fact INSPECT)" != "done" ]; then
	echo "FAIL: the container did not run the inspection (rc $rc)"
	exit 1
fi
while read -r key a b c; do
	case $key in
	''|'#'*) ;;
	caps)
		# shellcheck disable=SC2086
		want=$(capmask $a $b $c)
		for s in CapEff CapPrm CapBnd; do
			check "$s" "$(fact $s)" "$want"
		done
		[ "$(fact CapAmb)" = 0000000000000000 ] ||
			echo "NOTE: CapAmb $(fact CapAmb): podman raises the" \
				"ambient set for a non-root user; docker does not"
		;;
	nnp) check NoNewPrivs "$(fact NoNewPrivs)" "$a" ;;
	user)
		check user "$(fact UID):$(fact GID)" "$a"
		check "supplementary groups" "$(fact GROUPS)" "${a#*:}"
		;;
	root)
		check "root file system" "$(fact ROOT)" "$a"
		[ "$a" = writable ] ||
			check "write to /" "$(fact ROOTWRITE)" no
		;;
	tmpfs)
		check "tmpfs $a" "$(sed -n "s|^@@MOUNT $a ||p" \
			"$scratch/out" | awk '{ print $1; exit }')" tmpfs
		check "tmpfs $a writable" "$(fact "WRITE $a")" yes
		# "-": no size given, the runtime's default applies
		[ "$b" = - ] || check "tmpfs $a size KiB" "$(fact "SIZE $a")" \
			$(($(bytes "$b") / 1024))
		check "tmpfs $a exec" "$(fact "EXEC $a")" \
			"$([ "$c" = noexec ] && echo no || echo yes)"
		;;
	mount)
		check "mount $a writable" "$(fact "WRITE $a")" \
			"$([ "$b" = rw ] && echo yes || echo no)"
		;;
	memory)
		want=$a
		# the kernel keeps whole pages
		[ "$a" = max ] || want=$(($(bytes "$a") / 4096 * 4096))
		got=$(fact MEMORY)
		# cgroup v1 writes "no limit" as a huge number
		[ "$a" = max ] && [ "${#got}" -ge 18 ] && got=max
		check "memory limit" "$got" "$want"
		;;
	pids) check "pids limit" "$(fact PIDS)" "$a" ;;
	cpus)
		check "cpu quota" "$(fact CPU | awk '{ printf "%g", $1 / $2 }')" \
			"$(awk -v c="$a" 'BEGIN { printf "%g", c }')"
		;;
	net)
		got=$(fact NETIF | tr ' ' '\n' | grep -v '^lo$' | grep . |
			tr '\n' ' ' | sed 's/ $//')
		want=$a
		[ "$a" = none ] && want=
		[ -z "$b" ] || want="$want $b"
		check "network interfaces besides lo" "${got:-none}" \
			"${want:-none}"
		;;
	*) e2e_die "$expect: unknown line: $key" ;;
	esac
done < "$expect"
exit $bad
