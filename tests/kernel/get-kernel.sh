#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The kernel the VM tests boot (tests/kernel, tests/libvirt): Debian's
# cloud kernel (AppArmor built in and on), downloaded with apt-get
# download and unpacked with dpkg -x into WORK/vmlinuz (kept there).
# AAVM_KERNEL_DEB=FILE uses a .deb at hand instead.
#
#   get-kernel.sh WORK NAME   (NAME prefixes the error messages)
set -eu
work=$1 name=$2
[ -f "$work/vmlinuz" ] && exit 0
deb=${AAVM_KERNEL_DEB:-}
if [ -z "$deb" ]; then
    rm -rf "$work/deb" && mkdir -p "$work/deb"
    image=$(apt-cache depends linux-image-cloud-amd64 | sed -n 's/^ *Depends: \(linux-image-[^ ]*\)$/\1/p' | head -n 1)
    [ -n "$image" ] || { echo "$name: no package behind linux-image-cloud-amd64 (apt-get update?)"; exit 1; }
    (cd "$work/deb" && apt-get download "$image" > /dev/null 2>&1) ||
        { echo "$name: apt-get download $image failed"; exit 1; }
    deb=$(ls "$work/deb/"*.deb | head -n 1)
fi
rm -rf "$work/kernel" && dpkg -x "$deb" "$work/kernel"
# boot/vmlinuz-<version>; since Linux 7.x (package linux-binary-<version>)
# usr/lib/modules/<version>/vmlinuz.
image=$(ls "$work/kernel/boot/"vmlinuz-* "$work/kernel/usr/lib/modules/"*/vmlinuz 2>/dev/null | head -n 1)
[ -n "$image" ] || { echo "$name: no vmlinuz in $deb"; exit 1; }
cp "$image" "$work/vmlinuz.tmp"
case $image in
*/boot/*) basename "$image" ;;
*) echo "vmlinuz-$(basename "$(dirname "$image")")" ;;
esac > "$work/kernel-version"
rm -rf "$work/kernel" "$work/deb"
mv "$work/vmlinuz.tmp" "$work/vmlinuz"
