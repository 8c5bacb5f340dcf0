#!/bin/sh
# /init of the e2e initramfs: mount the kernel file systems, report the
# active LSMs, run /test/run.sh, report its status, power off.
# Everything the host parses is on lines starting with "@@".
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t securityfs securityfs /sys/kernel/security
mount -t tmpfs -o mode=1777 tmpfs /tmp
# for runc and podman in the guest
mount -t cgroup2 cgroup2 /sys/fs/cgroup 2>/dev/null
lsm=$(cat /sys/kernel/security/lsm)
case ",$lsm," in
*,selinux,*) mount -t selinuxfs selinuxfs /sys/fs/selinux ;;
esac
# (SELinux labels this devtmpfs oddly, as it predates the policy load;
# the probe never uses /dev.)
mount -t devtmpfs devtmpfs /dev
# Audit records reach the console through printk; without auditd the
# kernel rate-limits them, and the tests want every denial on record.
echo 0 > /proc/sys/kernel/printk_ratelimit
# a newline first: the firmware's last line has none
echo
echo "@@LSM $lsm"
echo "@@KERNEL $(uname -r)"
if [ -f /test/run.sh ]; then
	/bin/sh /test/run.sh
	echo "@@RC $?"
else
	echo "@@RC 127 no /test/run.sh"
fi
echo "@@END"
sync
poweroff -f
