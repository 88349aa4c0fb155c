#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# make check-kernel: boot Debian's cloud kernel (AppArmor built in and on)
# under qemu-system-x86_64 -accel tcg with an initramfs of busybox, the
# real apparmor_parser, our programs and profiles (build-initramfs.sh),
# and check in it that the generated profiles grant and deny what they
# claim (guest.sh).  See docs/kernel-tests.md.
#
#   run.sh SRCDIR BUILDDIR
# Variables: AAVM_CORPUS_DIR (the corpus, for its domains),
# AAVM_KERNEL_TIMEOUT (seconds, default 600), AAVM_KERNEL_DEB (a kernel
# .deb to use instead of downloading one), AAVM_KERNEL_WORK (the work
# directory, default tests/kernel/work of the build tree; the kernel is
# kept there).
set -eu
srcdir=$(cd "$1" && pwd) builddir=$(cd "$2" && pwd)
work=${AAVM_KERNEL_WORK:-$builddir/tests/kernel/work}
mkdir -p "$work"
timeout=${AAVM_KERNEL_TIMEOUT:-600}

for tool in qemu-system-x86_64 busybox apparmor_parser cpio gzip dpkg; do
    command -v "$tool" > /dev/null || { echo "check-kernel: $tool is missing (.ci/deps installs it)"; exit 1; }
done

# 1. The kernel: Debian's linux-image-cloud-amd64, unpacked in the build tree.
sh "$srcdir/tests/kernel/get-kernel.sh" "$work" check-kernel

# 2. The initramfs.
t0=$(date +%s)
sh "$srcdir/tests/kernel/build-initramfs.sh" "$srcdir" "$builddir" "$work/initramfs.gz" "${AAVM_CORPUS_DIR:+$AAVM_CORPUS_DIR/libvirt}"
t1=$(date +%s)
echo "check-kernel: $(cat "$work/kernel-version"), initramfs $(($(wc -c < "$work/initramfs.gz") / 1048576)) MiB built in $((t1 - t0)) s"

# 3. Boot.
log=$work/console.log
set +e
timeout "$timeout" qemu-system-x86_64 -accel tcg -m 2048 -smp 1 -nographic -no-reboot \
    -kernel "$work/vmlinuz" -initrd "$work/initramfs.gz" \
    -append "console=ttyS0 apparmor=1 security=apparmor panic=-1 quiet" > "$log" 2>&1 < /dev/null
rc=$?
set -e
t2=$(date +%s)
tr -d '\r' < "$log" > "$log.txt"
grep -E '^(PASS|FAIL|SKIP): |^kernel: |^domains: |^checks took ' "$log.txt" || :
summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log.txt" | tail -n 1)
echo "check-kernel: boot and checks took $((t2 - t1)) s"
if [ -z "$summary" ]; then
    echo "check-kernel: the test VM gave no result (qemu exit status $rc); its console:"
    tail -n 80 "$log.txt"
    echo "0 passed, 1 failed"
    exit 1
fi
if grep -q '^FAIL: ' "$log.txt"; then
    sed -n '/^----- AppArmor denials/,/^-----$/p' "$log.txt"
fi
echo "$summary"
case $summary in *" 0 failed") exit 0 ;; *) exit 1 ;; esac
