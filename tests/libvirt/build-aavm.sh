#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# make check-libvirt, step 2: aavm built and installed the way a
# distribution installs it (docs/packaging.md: --prefix=/usr
# --sysconfdir=/etc --localstatedir=/var --libexecdir=/usr/libexec
# --runstatedir=/run --enable-libvirt-compat) into
# WORK/stage.  The sources are copied to WORK/src with their times (the
# files git knows, as they are in the work tree; `make distdir` when the
# sources are not a git checkout), so the build in WORK/build only
# remakes what changed.
#
#   build-aavm.sh SRCDIR BUILDDIR WORK
set -eu
srcdir=$1 builddir=$2 work=$3
mkdir -p "$work/src" "$work/build"
if git -C "$srcdir" rev-parse --is-inside-work-tree > /dev/null 2>&1; then
    (cd "$srcdir" && git ls-files -z --cached --others --exclude-standard -- . ':!:tests/*/work' |
        xargs -0 sh -c 'for f; do [ -f "$f" ] && printf "%s\n" "$f"; done' sh | tar -cf - -T -) |
        (cd "$work/src" && tar -xf -)
    if [ ! -x "$work/src/configure" ]; then
        (cd "$work/src" && NOCONFIGURE=1 ./autogen.sh > "$work/autogen.log" 2>&1) ||
            { tail -n 30 "$work/autogen.log"; echo "check-libvirt: autogen.sh failed"; exit 1; }
    fi
else
    rm -rf "$work/src"
    (cd "$builddir" && make distdir distdir="tests/libvirt/work/src" > "$work/distdir.log" 2>&1) ||
        { tail -n 30 "$work/distdir.log"; echo "check-libvirt: make distdir failed"; exit 1; }
fi
# --runstatedir=/run: the helper's profile names its lock directory by
# the path AppArmor sees (/var/run is a link to /run).
options="--prefix=/usr --sysconfdir=/etc --localstatedir=/var --libexecdir=/usr/libexec
         --runstatedir=/run --enable-libvirt-compat --enable-unit-tests=no"
if [ ! -f "$work/build/Makefile" ] || [ "$(cat "$work/build/options" 2>/dev/null)" != "$options" ]; then
    # shellcheck disable=SC2086 # a list of options
    (cd "$work/build" && "$work/src/configure" $options > "$work/configure.log" 2>&1) ||
        { tail -n 30 "$work/configure.log"; echo "check-libvirt: configure failed"; exit 1; }
    printf '%s\n' "$options" > "$work/build/options"
fi
rm -rf "$work/stage"
(cd "$work/build" && make -j2 > "$work/make.log" 2>&1 && make install DESTDIR="$work/stage" >> "$work/make.log" 2>&1) ||
    { tail -n 30 "$work/make.log"; echo "check-libvirt: building aavm failed"; exit 1; }
