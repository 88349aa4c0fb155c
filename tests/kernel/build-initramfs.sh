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
# The parser: the host's, or with AAVM_KERNEL_PARSER_ROOT (a Debian suite
# unpacked by tests/debian-suite.sh) that suite's, run through its own
# loader and libraries from /opt/parser by a wrapper /sbin/apparmor_parser,
# with that suite's base policy and parser.conf.
policy=${AAVM_KERNEL_PARSER_ROOT:-}
if [ -n "$policy" ]; then
    mkdir -p "$root/opt/parser/lib"
    cp -L "$policy/usr/sbin/apparmor_parser" "$root/opt/parser/apparmor_parser"
    cp -L "$policy/usr/lib64/ld-linux-x86-64.so.2" "$root/opt/parser/"
    for l in libc.so.6 libm.so.6 libapparmor.so.1 libgcc_s.so.1 libstdc++.so.6 libzstd.so.1; do
        cp -L "$policy/usr/lib/x86_64-linux-gnu/$l" "$root/opt/parser/lib/"
    done
    printf '#!/bin/sh\nexec /opt/parser/ld-linux-x86-64.so.2 --library-path /opt/parser/lib /opt/parser/apparmor_parser "$@"\n' \
        > "$root/sbin/apparmor_parser"
    chmod 755 "$root/sbin/apparmor_parser"
else
    policy=
    parser=$(command -v apparmor_parser || echo /sbin/apparmor_parser)
    copy_prog "$parser" /sbin/apparmor_parser
fi
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
    cp -RL "$policy/etc/apparmor.d/$d" "$root/etc/apparmor.d/"
done
# parser.conf may pin the features of a kernel (policy-features): the
# file it names goes along.
if [ -f "$policy/etc/apparmor/parser.conf" ]; then
    copy "$policy/etc/apparmor/parser.conf" /etc/apparmor/parser.conf
    sed -n 's/^policy-features=//p' "$policy/etc/apparmor/parser.conf" | while read -r f; do
        [ -e "$policy$f" ] && copy "$policy$f" "$f"
    done
fi
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

(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) | gzip -1 > "$out.tmp"
mv "$out.tmp" "$out"
