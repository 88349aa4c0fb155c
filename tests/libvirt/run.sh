#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# make check-libvirt: a real libvirtd (Debian 12's) drives aavm-helper in
# a real AppArmor kernel.  Boots the kernel of the kernel tests under
# qemu-system-x86_64 -accel tcg once a set-up (setup.sh): (a) aavm's own
# installed profiles, (b) Debian's libvirtd profile unchanged with aavm
# installed from the Debian package (make check-package builds it), and,
# if asked for, once with Debian's own virt-aa-helper (the reference:
# its results are shown, not counted, and its timings are set beside
# ours).  With AAVM_LIBVIRT_SUITE=SUITE (make check-libvirt-trixie) the
# same set-ups run with that Debian suite's libvirt, libraries,
# apparmor_parser and base policy, booting that suite's cloud kernel
# (tests/debian-suite.sh; work directory tests/libvirt/work-SUITE, the
# kernel's tests/kernel/work-SUITE, shared with make check-kernel-matrix).
# See docs/libvirt-tests.md.
#
#   run.sh SRCDIR BUILDDIR
# Variables: AAVM_LIBVIRT_TIMEOUT (seconds a boot, default 900),
# AAVM_LIBVIRT_SETUPS (default "a b"; "a b debian" adds the reference),
# AAVM_KERNEL_DEB, AAVM_REQUIRE_PACKAGE_TEST=1 (set-up (b) fails without
# the package).
set -eu
srcdir=$(cd "$1" && pwd) builddir=$(cd "$2" && pwd)
suite=${AAVM_LIBVIRT_SUITE:-}
awork=$builddir/tests/libvirt/work
work=$awork${suite:+-$suite}
kwork=$builddir/tests/kernel/work${suite:+-$suite}
mkdir -p "$work" "$kwork"
timeout=${AAVM_LIBVIRT_TIMEOUT:-900}
setups=${AAVM_LIBVIRT_SETUPS:-a b}

for tool in qemu-system-x86_64 qemu-img busybox apparmor_parser aa-enabled cpio gzip dpkg dpkg-deb apt-get; do
    command -v "$tool" > /dev/null || { echo "check-libvirt: $tool is missing (.ci/deps installs it)"; exit 1; }
done

t0=$(date +%s)
if [ -n "$suite" ] && [ ! -f "$kwork/vmlinuz" ]; then
    AAVM_KERNEL_DEB=$(sh "$srcdir/tests/debian-suite.sh" "${AAVM_DEBIAN_DIR:-$builddir/tests/debian}" "$suite" kernel) ||
        { echo "check-libvirt: the kernel of $suite cannot be fetched"; exit 1; }
    export AAVM_KERNEL_DEB
fi
sh "$srcdir/tests/kernel/get-kernel.sh" "$kwork" check-libvirt
sh "$srcdir/tests/libvirt/fetch-libvirt.sh" "$srcdir" "$work" "$suite"
# aavm is built once (in tests/libvirt/work) for every suite.
sh "$srcdir/tests/libvirt/build-aavm.sh" "$srcdir" "$builddir" "$awork"
[ "$work" = "$awork" ] || { rm -rf "$work/stage" && cp -a "$awork/stage" "$work/stage"; }
rm -rf "$work/package"
case " $setups " in *" b "*) sh "$srcdir/tests/libvirt/unpack-package.sh" "$srcdir" "$builddir" "$work" ;; esac
sh "$srcdir/tests/libvirt/build-initramfs.sh" "$srcdir" "$builddir" "$work" "$work/initramfs.gz"
t1=$(date +%s)
echo "check-libvirt: $(cat "$kwork/kernel-version"), libvirt $(cat "$work/libvirt-version")${suite:+ of $suite}, initramfs $(($(wc -c < "$work/initramfs.gz") / 1048576)) MiB, prepared in $((t1 - t0)) s"

passed=0 failed=0
: > "$work/times"
for setup in $setups; do
    log=$work/console-$setup.log
    t2=$(date +%s)
    set +e
    timeout "$timeout" qemu-system-x86_64 -accel tcg -m 3072 -smp 2 -nographic -no-reboot \
        -kernel "$kwork/vmlinuz" -initrd "$work/initramfs.gz" \
        -append "console=ttyS0 apparmor=1 security=apparmor panic=-1 quiet log_buf_len=8M audit_backlog_limit=8192 aavm.setup=$setup" \
        > "$log" 2>&1 < /dev/null
    rc=$?
    set -e
    t3=$(date +%s)
    tr -d '\r' < "$log" > "$log.txt"
    summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log.txt" | tail -n 1)
    grep '^TIME: ' "$log.txt" >> "$work/times" || :
    if [ "$setup" = debian ]; then
        # The reference: shown, not counted.
        grep -E '^FAIL: ' "$log.txt" | sed 's/^FAIL: /reference, not counted: FAIL: /' || :
        echo "check-libvirt: reference (Debian's virt-aa-helper): ${summary:-no result} in $((t3 - t2)) s"
        continue
    fi
    grep -E '^(PASS|FAIL|INFO): |^kernel: |^denials provoked|^checks took' "$log.txt" || :
    if [ -z "$summary" ]; then
        echo "FAIL: ($setup) the test VM gave no result (qemu exit status $rc); its console:"
        tail -n 60 "$log.txt"
        failed=$((failed + 1))
        continue
    fi
    if grep -q '^FAIL: ' "$log.txt"; then
        sed -n '/^----- libvirtd.log/,/^-----$/p' "$log.txt"
    fi
    echo "check-libvirt: set-up $setup: $summary in $((t3 - t2)) s"
    p=${summary%% passed*} f=${summary#*passed, }
    passed=$((passed + p)) failed=$((failed + ${f%% failed}))
done

# Both helpers' times side by side (not a check).
time_of() { awk -v s="$1" -v n="$2" '$2 == s && $3 == n { print $4 " s"; exit }' "$work/times"; }
{
    echo "| set-up | helper | virsh start | virsh attach-disk (3-layer qcow2) |"
    echo "| --- | --- | --- | --- |"
    for s in $setups; do
        case $s in debian) h="Debian's virt-aa-helper" ;; *) h=aavm-helper ;; esac
        echo "| $s | $h | $(time_of "$s" start) | $(time_of "$s" attach-disk) |"
    done
} > "$work/bench.md"
echo "check-libvirt: times (bench, not checks):"
cat "$work/bench.md"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
