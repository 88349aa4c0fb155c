#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# make check-libvirt, step 4: the initramfs.  Busybox, the host's
# apparmor_parser and aa-enabled, base policy, qemu-system-x86_64 and
# qemu-img; Debian's libvirt (WORK/libvirt) as its packages install it,
# AppArmor files and virt-aa-helper included (another suite's with that
# suite's libraries, apparmor_parser and base policy); aavm as `make install` put
# it (WORK/stage) in /t/stage and, if unpack-package.sh unpacked it, the
# Debian package in /t/package (each set-up installs what it uses,
# setup.sh); the probe of the kernel tests; the guest scripts,
# tests/libvirt/guest.sh as /init.
#
#   build-initramfs.sh SRCDIR BUILDDIR WORK OUTPUT
set -eu
srcdir=$1 builddir=$2 work=$3 out=$4

root=$(mktemp -d "${TMPDIR:-/tmp}/aavm-libvirt-initramfs.XXXXXX")
trap 'rm -rf "$root"' EXIT
for d in usr/bin usr/sbin usr/lib/x86_64-linux-gnu usr/lib64 proc sys dev tmp run var/lib var/log \
         var/cache t; do
    mkdir -p "$root/$d"
done
# Merged /usr, as on Debian 12 (the daemon runs /usr/sbin/apparmor_parser).
ln -s usr/bin "$root/bin"
ln -s usr/sbin "$root/sbin"
ln -s usr/lib "$root/lib"
ln -s usr/lib64 "$root/lib64"

. "$srcdir/tests/kernel/initramfs-lib.sh"
copy "$(command -v busybox)" /bin/busybox
copy_apparmor_base
copy_qemu
copy_prog "$(command -v qemu-img)" /usr/bin/qemu-img
# The package's postinst loads profiles when aa-enabled says AppArmor is on.
copy_prog "$(command -v aa-enabled)" /usr/bin/aa-enabled
copy_prog "$builddir/tests/kernel/probe" /usr/lib/aavm-kernel-test/probe

# Debian's libvirt, as its packages install it.
lv=$work/libvirt
if [ -s "$work/packages" ]; then
    # Another suite's (fetch-libvirt.sh SUITE): with its libraries, its
    # dynamic loader, its apparmor_parser and base policy, over the
    # host's (an older glibc's programs run on a newer one).  Of the
    # profiles at the top of /etc/apparmor.d only libvirt's: the apparmor
    # package's application profiles have nothing to confine here.
    (cd "$lv" && tar -cf - --exclude=./.unpacked .) | (cd "$root" && tar --keep-directory-symlink -xf -)
    for p in "$root/etc/apparmor.d/"*; do
        case ${p##*/} in usr.sbin.libvirtd|usr.sbin.virtqemud|usr.lib.libvirt.virt-aa-helper) ;;
        *) [ -d "$p" ] || rm -f "$p" ;; esac
    done
    ld=$lv/usr/lib64/ld-linux-x86-64.so.2
    for f in "$lv/usr/sbin/"* "$lv/usr/bin/"* "$lv/usr/lib/libvirt/"* \
             "$lv/usr/lib/x86_64-linux-gnu/libvirt/connection-driver/libvirt_driver_qemu.so"; do
        if [ ! -f "$f" ] || ! head -c 4 "$f" | grep -q ELF; then continue; fi
        if "$ld" --library-path "$lv/usr/lib/x86_64-linux-gnu" --list "$f" 2>&1 | grep 'not found'; then
            echo "check-libvirt: ${f#"$lv"} lacks the libraries above in $(wc -l < "$work/packages") packages"
            exit 1
        fi
    done
else
    (cd "$lv" && tar -cf - --exclude=./lib --exclude=./.unpacked .) | (cd "$root" && tar -xf -)
fi
# Only the QEMU driver: the others want dnsmasq, udev, firewalls.
find "$root/usr/lib/x86_64-linux-gnu/libvirt/connection-driver" -name '*.so' ! -name 'libvirt_driver_qemu.so' -delete
rm -rf "$root/usr/share/doc" "$root/usr/share/man" "$root/usr/share/locale" "$root/usr/lib/systemd"
# The host libraries Debian's libvirt needs (found once, kept in WORK).
if [ ! -s "$work/packages" ] && [ ! -s "$work/libvirt-libs" ]; then
    libs_in_image=$lv/usr/lib/x86_64-linux-gnu
    for f in "$lv/usr/sbin/libvirtd" "$lv/usr/bin/virsh" "$lv/usr/lib/libvirt/"* \
             $(find "$lv/usr/lib/x86_64-linux-gnu" -name '*.so*' -type f); do
        [ -f "$f" ] && list_libs "$f"
    done | sort -u > "$work/libvirt-libs.tmp"
    mv "$work/libvirt-libs.tmp" "$work/libvirt-libs"
fi
[ -s "$work/packages" ] || while read -r lib; do copy_lib "$lib"; done < "$work/libvirt-libs"

# aavm as installed (prefix /usr, sysconfdir /etc, --enable-libvirt-compat)
# and, if there is one, the package.
cp -a "$work/stage" "$root/t/stage"
[ ! -d "$work/package" ] || cp -a "$work/package" "$root/t/package"
for f in "$work/stage/usr/sbin/aavm" "$work/stage/usr/libexec/aavm/aavm-helper" \
         "$work/package/root/usr/sbin/aavm" "$work/package/root/usr/libexec/aavm/aavm-helper"; do
    [ ! -f "$f" ] || copy_libs "$f"
done

cp "$srcdir/tests/libvirt/guest.sh" "$root/init"
chmod 755 "$root/init"
for f in setup.sh lifecycle.sh checks.sh; do
    cp "$srcdir/tests/libvirt/$f" "$root/t/"
done
# The users and groups Debian's packages make (libvirt's built-in defaults).
printf 'root:x:0:0:root:/root:/bin/sh\nlibvirt-qemu:x:64055:64:libvirt qemu:/var/lib/libvirt:/bin/false\n' > "$root/etc/passwd"
printf 'root:x:0:\nkvm:x:64:libvirt-qemu\nlibvirt:x:65:\nlibvirt-qemu:x:64055:\nswtpm:x:66:\n' > "$root/etc/group"
printf 'root:*:1:0:99999:7:::\n' > "$root/etc/shadow"
chmod 600 "$root/etc/shadow"
pack "$out"
