# SPDX-License-Identifier: LGPL-2.1-or-later
# Sourced by the initramfs builders (tests/kernel/build-initramfs.sh,
# tests/libvirt/build-initramfs.sh); $root is the image's directory.
#
# copy SRC [DST]: a file to the same path (or DST) in the image.
# copy_prog SRC [DST]: a program or module, and every shared library ldd
#   names (each under its real path, with the name ldd used as a
#   symbolic link when it differs).  Libraries under $libs_in_image (a
#   directory already copied into the image) are left where they are.
# copy_libs FILE: only the libraries (list_libs FILE names them, copy_lib
#   LIB copies one).
# copy_qemu: qemu-system-x86_64, its TCG module and what a paused
#   pc/q35 machine loads (BIOS, option ROMs).
# copy_apparmor_base [ROOT]: the host's apparmor_parser and base policy
#   (abi, tunables, abstractions, parser.conf and the features file it
#   pins), or those of the Debian suite unpacked in ROOT.
libs_in_image=${libs_in_image:-}

copy() {
    src=$1 dst=${2:-$1}
    mkdir -p "$root$(dirname "$dst")"
    cp -L "$src" "$root$dst"
}
copy_prog() {
    copy "$1" "${2:-$1}"
    copy_libs "$1"
}
copy_libs() {
    list_libs "$1" | while read -r lib; do copy_lib "$lib"; done
}
list_libs() {
    LD_LIBRARY_PATH=$libs_in_image ldd "$1" 2>/dev/null |
    sed -n -e 's/.*=> \(\/[^ ]*\) .*/\1/p' -e 's/^[[:space:]]*\(\/[^ ]*\) (.*/\1/p' |
    while read -r lib; do
        case $lib in "$libs_in_image"/*) [ -n "$libs_in_image" ] && continue ;; esac
        echo "$lib"
    done
}
copy_lib() {
    lib=$1
    real=$(readlink -f "$lib")
    [ -e "$root$real" ] || copy "$real"
    case $lib in
    /lib/*|/lib64/*) name=/usr$lib ;;
    *) name=$lib ;;
    esac
    rname=$(dirname "$real")/$(basename "$name")
    [ -e "$root$rname" ] || ln -s "$(basename "$real")" "$root$rname"
    [ -e "$root$name" ] || { mkdir -p "$root$(dirname "$name")"; ln -s "$real" "$root$name"; }
}
copy_qemu() {
    qemu=$(command -v qemu-system-x86_64) || return 0
    copy_prog "$qemu" /usr/bin/qemu-system-x86_64
    # TCG is a module in Debian's QEMU.
    for m in /usr/lib/x86_64-linux-gnu/qemu/accel-tcg-x86_64.so; do
        [ -e "$m" ] && copy_prog "$m" "$m"
    done
    for d in /usr/share/qemu /usr/share/seabios; do
        [ -d "$d" ] && mkdir -p "$root$d" && cp -RL "$d/." "$root$d/"
    done
    for f in /usr/lib/ipxe/qemu/efi-virtio.rom /usr/lib/ipxe/qemu/efi-e1000.rom; do
        [ -e "$f" ] && copy "$f"
    done
    rm -rf "$root/usr/share/qemu/firmware" 2>/dev/null || :
}
copy_apparmor_base() {
    policy=${1:-}
    mkdir -p "$root/etc/apparmor.d" "$root/sbin"
    if [ -n "$policy" ]; then
        # Another suite's parser (tests/debian-suite.sh), run through its
        # own loader and libraries from /opt/parser by a wrapper.
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
        parser=$(command -v apparmor_parser || echo /sbin/apparmor_parser)
        copy_prog "$parser" /sbin/apparmor_parser
    fi
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
    return 0
}
# pack OUTPUT: the image as a gzip'ed newc cpio archive.
pack() {
    (cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) | gzip -1 > "$1.tmp"
    mv "$1.tmp" "$1"
}
