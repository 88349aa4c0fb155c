#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# make check-libvirt, step 3: the Debian package for set-up (b).  The
# .deb make check-package built and cached
# (BUILDDIR/tests/package/cache/deb-COMMIT/aavm_*.deb) is unpacked with
# dpkg-deb -x into WORK/package/root and its maintainer scripts with
# dpkg-deb -e into WORK/package/DEBIAN; the guest installs it from
# there (setup.sh).  The package is used only if aavm's sources (all
# but tests/, .ci/, *.md and .gitignore) are those of its commit.  Otherwise set-up (b)
# falls back to aavm's `make install` (WORK/stage) and says so, or,
# with AAVM_REQUIRE_PACKAGE_TEST=1, this fails.
#
#   unpack-package.sh SRCDIR BUILDDIR WORK
set -eu
srcdir=$1 builddir=$2 work=$3
rm -rf "$work/package"

why=
deb=$(ls "$builddir"/tests/package/cache/deb-*/aavm_*.deb 2> /dev/null | head -n 1) || :
if [ -z "$deb" ]; then
    why="no package in tests/package/cache (make check-package builds it)"
else
    commit=$(basename "$(dirname "$deb")")
    commit=${commit#deb-}
    if ! git -C "$srcdir" rev-parse --is-inside-work-tree > /dev/null 2>&1; then
        why="the sources are not a git checkout, so the cached package cannot be matched to them"
    elif ! git -C "$srcdir" diff --quiet "$commit" -- . ':(exclude)tests' ':(exclude).ci' ':(exclude)*.md' ':(exclude).gitignore' 2> /dev/null; then
        why="the cached package was built from commit $(echo "$commit" | cut -c1-12) and aavm's sources have changed since (make check-package builds it again)"
    fi
fi
if [ -n "$why" ]; then
    if [ "${AAVM_REQUIRE_PACKAGE_TEST:-0}" = 1 ]; then
        echo "check-libvirt: set-up (b) must run the package-installed layout, but $why"
        exit 1
    fi
    echo "check-libvirt: NOTE: set-up (b) runs aavm's make install layout, not the package's: $why"
    exit 0
fi
mkdir -p "$work/package"
dpkg-deb -x "$deb" "$work/package/root"
dpkg-deb -e "$deb" "$work/package/DEBIAN"
echo "check-libvirt: set-up (b) installs $(basename "$deb") (commit $(echo "$commit" | cut -c1-12))"
