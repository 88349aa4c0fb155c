#!/bin/busybox sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# /init of make check-libvirt's VM (tests/libvirt/run.sh boots it once a
# set-up, named by aavm.setup= on the kernel command line: a, b or
# debian; see setup.sh).  Starts a confined libvirtd with the QEMU
# driver and the AppArmor security driver, runs the lifecycle checks
# (lifecycle.sh), then reports every AppArmor denial the checks did not
# provoke on purpose (those come from the probe).  Prints one line a
# check, "N passed, M failed", and powers off.
/bin/busybox --install -s
# PID 1 only reaps: QEMU is daemonized, so once libvirt kills it, it is
# an orphan that init must wait for.  Left a zombie, libvirt 11.3 takes
# it for alive and `virsh destroy` fails ("Failed to terminate process
# ... with SIGKILL").  The checks run in a child; ash's wait reaps every
# child, adopted ones too (ash opens /dev/null for a background job).
if [ $$ -eq 1 ]; then
    [ -e /dev/null ] || mknod /dev/null c 1 3
    /bin/busybox sh /init &
    wait
    poweroff -f
fi
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
export LIBVIRT_DEFAULT_URI=qemu:///system HOME=/root
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mkdir -p /dev/pts /dev/shm /sys/fs/cgroup /root
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
mount -t securityfs securityfs /sys/kernel/security
mount -t cgroup2 cgroup2 /sys/fs/cgroup
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /run
ln -sfn /run /var/run
echo 0 > /proc/sys/kernel/printk_ratelimit
echo 0 > /proc/sys/kernel/printk_ratelimit_burst 2>/dev/null
ip link set lo up 2>/dev/null

setup=$(sed -n 's/.*aavm\.setup=\([a-z]*\).*/\1/p' /proc/cmdline)
. /t/checks.sh
. /t/setup.sh
. /t/lifecycle.sh

echo "kernel: $(uname -r); set-up: $setup; $(apparmor_parser --version | head -n 1); $(libvirtd --version)"
dmesg -c > /dev/null
install_policy
write_config
t0=$(now)
if start_libvirtd; then
    echo "TIME: $setup libvirtd-ready $(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }')" >> /tmp/times
    lifecycle
fi

# Every AppArmor denial but the probe's (the probe is the only process
# the checks make ask for what they expect to be denied), one FAIL a
# distinct denial with its count.  The probe runs itself again through
# /proc/self/exe under the profile it tests: its comm is then "exe".
probe_comm='comm="\(probe\|exe\)"'
dmesg | grep 'apparmor="DENIED"' | grep -v "$probe_comm" |
    sed -e 's/^\[[^]]*\] //' -e 's/audit([^)]*): //' -e 's/ pid=[0-9]*//g' -e 's/ fsuid=[0-9]*//' -e 's/ ouid=[0-9]*//' |
    sort | uniq -c > /tmp/denials
ndenials=$(awk '{ s += $1 } END { print s + 0 }' /tmp/denials)
if [ "$ndenials" -eq 0 ]; then
    pass "no AppArmor denial but the probe's"
else
    while read -r count line; do
        fail "AppArmor denial (${count}x): $line"
    done < /tmp/denials
fi
provoked=$(dmesg | grep 'apparmor="DENIED"' | grep -c "$probe_comm")
echo "denials provoked by the probe: $provoked"
if [ $failed -gt 0 ] && [ -f /var/log/libvirt/libvirtd.log ]; then
    echo "----- libvirtd.log (last lines)"
    tail -n 20 /var/log/libvirt/libvirtd.log
    for f in /var/log/libvirt/qemu/vm*.log; do
        [ -f "$f" ] && { echo "----- $f (last lines)"; tail -n 8 "$f"; }
    done
    echo "-----"
fi
cat /tmp/hangs /tmp/steps /tmp/times 2>/dev/null
echo "checks took $(cut -d. -f1 /proc/uptime) s after boot"
echo "$passed passed, $failed failed"
sync
poweroff -f
