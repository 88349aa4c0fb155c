#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Build the initramfs of the kernel tests (tests/kernel/run.sh):
# busybox-static, the host's apparmor_parser and qemu-system-x86_64 with
# every shared library they need, the AppArmor base policy of the host
# (abi/, tunables/, abstractions/), our programs, abstraction, template and
# probe, the test domains, and the guest script as /init.
#
#   build-initramfs.sh SRCDIR BUILDDIR OUTPUT [CORPUS-DIR]
set -eu
srcdir=$1 builddir=$2 out=$3 corpus=${4:-}

root=$(mktemp -d "${TMPDIR:-/tmp}/aavm-initramfs.XXXXXX")
trap 'rm -rf "$root"' EXIT

for d in bin sbin usr/bin usr/sbin usr/lib/x86_64-linux-gnu usr/lib64 usr/libexec/aavm \
         usr/lib/aavm-kernel-test etc/apparmor.d/libvirt etc/apparmor.d/abstractions \
         proc sys dev tmp run var/cache/aavm var/lib var/log t/domains; do
    mkdir -p "$root/$d"
done
ln -s usr/lib "$root/lib"
ln -s usr/lib64 "$root/lib64"

. "$srcdir/tests/kernel/initramfs-lib.sh"

copy "$(command -v busybox)" /bin/busybox
# The parser: the host's, or with AAVM_KERNEL_PARSER_ROOT (a Debian suite
# unpacked by tests/debian-suite.sh) that suite's, with its base policy.
copy_apparmor_base "${AAVM_KERNEL_PARSER_ROOT:-}"
copy_prog "$builddir/helper/aavm-helper" /usr/libexec/aavm/aavm-helper
copy_prog "$builddir/helper/aavm" /usr/sbin/aavm
copy_prog "$builddir/tests/kernel/probe" /usr/lib/aavm-kernel-test/probe
copy_qemu

# The AppArmor base policy the templates include (above); then ours.
# AAVM_KERNEL_PROFILE_ABI: the helper makes the profiles with that abi
# pinned (the setting profile-abi of aavm.conf(5)).
if [ -n "${AAVM_KERNEL_PROFILE_ABI:-}" ]; then
    printf '[aavm]\nprofile-abi = %s\n' "$AAVM_KERNEL_PROFILE_ABI" > "$root/t/aavm.conf"
fi
[ "${AAVM_KERNEL_UNIX_CHECKS:-}" != run ] || : > "$root/t/unix-checks"
cp "$srcdir/profiles/abstractions/libvirt-qemu" "$srcdir/profiles/abstractions/libvirt-lxc" \
    "$root/etc/apparmor.d/abstractions/"
cp "$srcdir/templates/TEMPLATE.qemu" "$srcdir/templates/TEMPLATE.lxc" "$root/etc/apparmor.d/libvirt/"

cp "$srcdir/tests/kernel/domains/"*.xml "$root/t/domains/"
if [ -n "$corpus" ] && [ -f "$srcdir/tests/kernel/corpus-domains.txt" ]; then
    grep -v '^#' "$srcdir/tests/kernel/corpus-domains.txt" | while read -r name; do
        [ -n "$name" ] && [ -f "$corpus/$name" ] && cp "$corpus/$name" "$root/t/domains/corpus-$name"
    done
fi
cp "$srcdir/tests/kernel/qemu-checks.sh" "$root/t/"
cp "$srcdir/tests/kernel/guest.sh" "$root/init"
chmod 755 "$root/init"
printf 'root:x:0:0:root:/root:/bin/sh\n' > "$root/etc/passwd"
printf 'root:*:1:0:99999:7:::\n' > "$root/etc/shadow"
chmod 600 "$root/etc/shadow"

pack "$out"
