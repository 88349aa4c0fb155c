#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# make check-libvirt, step 1: Debian's libvirt (the daemon, its QEMU
# driver, the client, the reference virt-aa-helper and Debian's AppArmor
# profiles), downloaded into WORK/debs and unpacked with dpkg -x into
# WORK/libvirt.  Both are kept for the next run.
#   Without SUITE: Debian 12's (this machine's apt), and the few
#   libraries it needs that the host lacks; the rest come from the host.
#   With SUITE (e.g. trixie): that suite's, fetched with
#   tests/debian-suite.sh, with every library package its Depends reach
#   (libc6 and its dynamic loader included) and its apparmor package
#   (apparmor_parser, base policy): the guest then runs on that suite's
#   libraries (build-initramfs.sh).
#
#   fetch-libvirt.sh SRCDIR WORK [SUITE]
set -eu
srcdir=$1 work=$2 suite=${3:-}
libvirt="libvirt0 libvirt-clients libvirt-daemon libvirt-daemon-system libvirt-daemon-driver-qemu"
mkdir -p "$work/debs"
if [ -z "$suite" ]; then
    pkgs="$libvirt libyajl2 libssh-4 libpcap0.8"
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
elif [ ! -s "$work/packages" ]; then
    debian=${AAVM_DEBIAN_DIR:-$(dirname "$(dirname "$work")")/debian}
    suite_sh="sh $srcdir/tests/debian-suite.sh $debian $suite"
    # The library packages the Depends of libvirt's reach (not the other
    # drivers': only the QEMU driver goes into the guest).
    # shellcheck disable=SC2086 # a list of package names
    libs=$($suite_sh apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts \
               --no-breaks --no-replaces --no-enhances $libvirt |
           grep -E '^lib' | grep -vE '^libvirt-daemon-(driver|config)-|^libpam|-utils$' | sort -u) ||
        { echo "check-libvirt: the packages of $suite cannot be listed"; exit 1; }
    rm -rf "$work/debs" && mkdir -p "$work/debs"
    # shellcheck disable=SC2086
    printf '%s\n' $libvirt $libs apparmor | sort -u > "$work/packages.tmp"
    while read -r p; do
        deb=$($suite_sh download "$p") || { echo "check-libvirt: $p of $suite cannot be fetched"; exit 1; }
        ln -sf "$deb" "$work/debs/"
    done < "$work/packages.tmp"
    mv "$work/packages.tmp" "$work/packages"
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
