#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
set -e
srcdir=$(dirname "$0")
test -n "$srcdir" || srcdir=.
(cd "$srcdir" && autoreconf --force --install --verbose)
if test -z "$NOCONFIGURE"; then
    exec "$srcdir/configure" "$@"
fi
