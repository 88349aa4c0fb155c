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

# Copy a file to the same path in the image; for a program, also every
# shared library ldd names (each under its real path, with the name ldd
# used as a symbolic link when it differs).
copy() {
    src=$1 dst=${2:-$1}
    mkdir -p "$root$(dirname "$dst")"
    cp -L "$src" "$root$dst"
}
copy_prog() {
    copy "$1" "$2"
    ldd "$1" 2>/dev/null | sed -n -e 's/.*=> \(\/[^ ]*\) .*/\1/p' -e 's/^[[:space:]]*\(\/[^ ]*\) (.*/\1/p' |
    while read -r lib; do
        real=$(readlink -f "$lib")
        [ -e "$root$real" ] || copy "$real"
        case $lib in
        /lib/*|/lib64/*) name=/usr$lib ;;
        *) name=$lib ;;
        esac
        rname=$(dirname "$real")/$(basename "$name")
        [ -e "$root$rname" ] || ln -s "$(basename "$real")" "$root$rname"
        [ -e "$root$name" ] || { mkdir -p "$root$(dirname "$name")"; ln -s "$real" "$root$name"; }
    done
}

busybox=$(command -v busybox)
copy "$busybox" /bin/busybox
parser=$(command -v apparmor_parser || echo /sbin/apparmor_parser)
copy_prog "$parser" /sbin/apparmor_parser
copy_prog "$builddir/helper/aavm-helper" /usr/libexec/aavm/aavm-helper
copy_prog "$builddir/helper/aavm" /usr/sbin/aavm
copy_prog "$builddir/tests/kernel/probe" /usr/lib/aavm-kernel-test/probe
if qemu=$(command -v qemu-system-x86_64); then
    copy_prog "$qemu" /usr/bin/qemu-system-x86_64
    # TCG is a module in Debian's QEMU.
    for m in /usr/lib/x86_64-linux-gnu/qemu/accel-tcg-x86_64.so; do
        [ -e "$m" ] && copy_prog "$m" "$m"
    done
    # What a paused (-S) q35/pc machine loads at start: BIOS, option ROMs.
    for d in /usr/share/qemu /usr/share/seabios; do
        [ -d "$d" ] && mkdir -p "$root$d" && cp -RL "$d/." "$root$d/"
    done
    for f in /usr/lib/ipxe/qemu/efi-virtio.rom /usr/lib/ipxe/qemu/efi-e1000.rom; do
        [ -e "$f" ] && copy "$f"
    done
fi
rm -rf "$root/usr/share/qemu/firmware" 2>/dev/null || :

# The AppArmor base policy the templates include (the host's, as
# apparmor_parser of the same package expects it), then ours.
for d in abi tunables abstractions; do
    cp -RL "/etc/apparmor.d/$d" "$root/etc/apparmor.d/"
done
# parser.conf may pin the features of a kernel (policy-features): the
# file it names goes along.
if [ -f /etc/apparmor/parser.conf ]; then
    copy /etc/apparmor/parser.conf
    sed -n 's/^policy-features=//p' /etc/apparmor/parser.conf | while read -r f; do
        [ -e "$f" ] && copy "$f"
    done
fi
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

(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) | gzip -1 > "$out.tmp"
mv "$out.tmp" "$out"
