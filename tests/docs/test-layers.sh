#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The folders of helper/ are layers (HACKING.md, Module map): a source file
# includes headers of its own folder and of the folders before it in the
# order helper/Makefile.am.inc lists, never of a folder after it. HACKING.md's
# table names the same folders in the same order, every folder is in it, and
# no folder holds more than 25 files. Each check is also run on a copy with
# one thing broken, to show that it can fail.
. "$AAVM_TESTS_SRCDIR/cli/lib.sh"

# layer_order ROOT: the folders in the order the header comment of
# helper/Makefile.am.inc lists them ("#   base/     ...").
layer_order() {
    sed -n 's|^#   \([a-z]*\)/ .*|\1|p' "$1/helper/Makefile.am.inc"
}

# hacking_order ROOT: the folders of HACKING.md's module table.
hacking_order() {
    sed -n 's/^| `\([a-z]*\)\/` |.*/\1/p' "$1/HACKING.md"
}

# up_includes ROOT: "file -> header" for every include of a later folder.
up_includes() {
    (cd "$1/helper" && ls */*.[ch]) > "$tmp/owners"
    layer_order "$1" > "$tmp/order"
    (cd "$1/helper" && grep -H '^#include "[^"/]*"' */*.[ch]) |
        awk -v order="$tmp/order" -v owners="$tmp/owners" '
            BEGIN {
                while ((getline l < order) > 0) rank[l] = ++n
                while ((getline l < owners) > 0) { split(l, p, "/"); owner[p[2]] = p[1] }
            }
            {
                split($0, a, ":"); split(a[1], p, "/"); d = p[1]
                match($0, /"[^"]*"/); h = substr($0, RSTART + 1, RLENGTH - 2)
                if (!(h in owner)) next
                o = owner[h]
                if (!(d in rank) || !(o in rank) || rank[o] > rank[d])
                    print "helper/" a[1] " -> helper/" o "/" h
            }'
}

# folders ROOT: the folders of helper/ with sources.
folders() {
    for d in "$1"/helper/*/; do
        ls "$d" | grep -q '\.[ch]$' && basename "$d"
    done | sort
}

# crowded ROOT: folders with more than 25 files.
crowded() {
    for d in $(folders "$1"); do
        n=$(ls "$1/helper/$d" | grep -c '\.[ch]$')
        [ "$n" -le 25 ] || echo "helper/$d: $n files"
    done
}

# layered ROOT: every check above, one line a failure.
layered() {
    root=$1 bad=0
    up=$(up_includes "$root")
    [ -z "$up" ] || { echo "  includes of a later folder:"; printf '%s\n' "$up" | sed 's/^/    /'; bad=1; }
    if [ "$(layer_order "$root" | sort)" != "$(folders "$root")" ]; then
        echo "  helper/Makefile.am.inc does not list every folder of helper/"; bad=1
    fi
    if [ "$(layer_order "$root")" != "$(hacking_order "$root")" ]; then
        echo "  HACKING.md's table does not list the folders in the layers' order"; bad=1
    fi
    many=$(crowded "$root")
    [ -z "$many" ] || { echo "  $many"; bad=1; }
    return $bad
}

check "helper/'s folders are layers, listed alike in HACKING.md, none over 25 files" layered "$top_srcdir"

# Copies with one thing broken.
copy() {
    rm -rf "$tmp/copy" && mkdir -p "$tmp/copy" &&
        (cd "$top_srcdir" && tar -cf - helper/Makefile.am.inc helper/*/*.[ch] HACKING.md) | tar -C "$tmp/copy" -xf -
}
copy
echo '#include "vm-profile.h"' >> "$tmp/copy/helper/base/aare.c"
if layered "$tmp/copy" > "$tmp/out"; then not_ok "an include of a later folder is found"; else
    grep -q 'helper/base/aare.c -> helper/pipeline/vm-profile.h' "$tmp/out" && ok "an include of a later folder is found" ||
        not_ok "an include of a later folder is found (said: $(cat "$tmp/out"))"
fi
copy
mkdir "$tmp/copy/helper/extra" && touch "$tmp/copy/helper/extra/x.c"
if layered "$tmp/copy" > /dev/null; then not_ok "a folder missing from the layers is found"; else ok "a folder missing from the layers is found"; fi
copy
sed -i 's/^| `base\/` |/| `basis\/` |/' "$tmp/copy/HACKING.md"
if layered "$tmp/copy" > /dev/null; then not_ok "HACKING.md out of step is found"; else ok "HACKING.md out of step is found"; fi
copy
for i in $(seq 1 26); do touch "$tmp/copy/helper/base/extra-$i.h"; done
if layered "$tmp/copy" > /dev/null; then not_ok "a folder of 26 files is found"; else ok "a folder of 26 files is found"; fi

finish
