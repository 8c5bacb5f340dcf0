#!/bin/sh
# ctr-inspect.sh [PATH...]: run inside a container (as /cpolc-inspect.sh,
# see mkrootfs.sh); prints what the runtime really set up, one
# "@@KEY value" line per fact, for podman-check.sh to compare:
# credentials, capability sets, NoNewPrivs, the root's writability, the
# mounts, cgroup limits and network interfaces. For each PATH (a mount
# target) it also reports whether the container can write there and
# whether it can execute a file there.
status() { sed -n "s/^$1:[[:space:]]*//p" /proc/self/status; }
echo "@@UID $(id -u)"
echo "@@GID $(id -g)"
echo "@@GROUPS $(id -G)"
for k in CapInh CapPrm CapEff CapBnd CapAmb NoNewPrivs Seccomp; do
	echo "@@$k $(status $k)"
done
# The mount flag, not the write attempt, says whether / is read-only: a
# non-root user cannot write a root-owned / either way.
opt=$(awk '$2 == "/" { o = $4 } END { print o }' /proc/mounts | cut -d, -f1)
[ "$opt" = ro ] && echo "@@ROOT read-only" || echo "@@ROOT writable"
if (echo x > /cpolc-probe) 2>/dev/null; then
	echo "@@ROOTWRITE yes"
	rm -f /cpolc-probe
else
	echo "@@ROOTWRITE no"
fi
while read -r _ mnt type opts _; do
	case $mnt in
	/proc*|/sys*|/dev*) ;;
	*) echo "@@MOUNT $mnt $type $opts" ;;
	esac
done < /proc/mounts
for p in "$@"; do
	f=$p/.cpolc-probe.$$
	if (echo x > "$f") 2>/dev/null; then
		echo "@@WRITE $p yes"
		printf '#!/bin/sh\nexit 0\n' > "$f"
		chmod 755 "$f"
		if "$f" 2>/dev/null; then
			echo "@@EXEC $p yes"
		else
			echo "@@EXEC $p no"
		fi
		rm -f "$f"
	else
		echo "@@WRITE $p no"
	fi
	echo "@@SIZE $p $(df -k "$p" | awk 'NR == 2 { print $2 }')"
done
# cgroup v2 (a single hierarchy) or v1 controllers
cg=/sys/fs/cgroup
if [ -e $cg/memory.max ]; then
	echo "@@MEMORY $(cat $cg/memory.max)"
elif [ -e $cg/memory/memory.limit_in_bytes ]; then
	echo "@@MEMORY $(cat $cg/memory/memory.limit_in_bytes)"
fi
if [ -e $cg/pids.max ]; then
	echo "@@PIDS $(cat $cg/pids.max)"
elif [ -e $cg/pids/pids.max ]; then
	echo "@@PIDS $(cat $cg/pids/pids.max)"
fi
if [ -e $cg/cpu.max ]; then
	echo "@@CPU $(cat $cg/cpu.max)"
elif [ -e $cg/cpu/cpu.cfs_quota_us ]; then
	echo "@@CPU $(cat $cg/cpu/cpu.cfs_quota_us) $(cat $cg/cpu/cpu.cfs_period_us)"
fi
echo "@@NETIF $(ls /sys/class/net | tr '\n' ' ')"
echo "@@LABEL $(cat /proc/self/attr/current 2>/dev/null)"
echo "@@INSPECT done"
