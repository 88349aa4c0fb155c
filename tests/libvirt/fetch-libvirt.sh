#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# make check-libvirt, step 1: Debian 12's libvirt (the daemon, its QEMU
# driver, the client, the reference virt-aa-helper and Debian's AppArmor
# profiles) and the libraries it needs that the host lacks, downloaded
# with apt-get download into WORK/debs and unpacked with dpkg -x into
# WORK/libvirt.  Both are kept for the next run.
#
#   fetch-libvirt.sh WORK
set -eu
work=$1
pkgs="libvirt0 libvirt-clients libvirt-daemon libvirt-daemon-system libvirt-daemon-driver-qemu
      libyajl2 libssh-4 libpcap0.8"
mkdir -p "$work/debs"
need=
for p in $pkgs; do
    ls "$work/debs/${p}_"*.deb > /dev/null 2>&1 || need="$need $p"
done
if [ -n "$need" ]; then
    # shellcheck disable=SC2086 # a list of package names
    (cd "$work/debs" && apt-get download $need > "$work/debs/download.log" 2>&1) ||
        { cat "$work/debs/download.log"; echo "check-libvirt: apt-get download$need failed"; exit 1; }
    rm -rf "$work/libvirt"
fi
if [ ! -f "$work/libvirt/.unpacked" ]; then
    rm -rf "$work/libvirt" "$work/libvirt-libs" && mkdir -p "$work/libvirt"
    for deb in "$work/debs/"*.deb; do
        dpkg -x "$deb" "$work/libvirt"
    done
    : > "$work/libvirt/.unpacked"
fi
dpkg-deb -f "$(ls "$work/debs/libvirt-daemon_"*.deb)" Version > "$work/libvirt-version"
