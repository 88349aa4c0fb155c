#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# fetch-libvirt-source.sh WORKDIR: fetch Debian 12's libvirt 9.0.0 source
# package with `apt-get source` and keep its tests/virt-aa-helper-test as
# WORKDIR/virt-aa-helper-test (with WORKDIR/version).  Nothing of it is
# committed; a later call finds the file and does nothing.
#
# apt runs on scratch state in WORKDIR/apt: its own sources list (a deb-src
# line for the mirror the machine's own sources name for bookworm), lists
# and cache.  The machine's apt configuration is read, never changed.
# Exit 0 with the file in place, 1 with a message when it cannot be had.
set -eu
work=$1
suite=bookworm
want_version=9.0.0
[ -f "$work/virt-aa-helper-test" ] && [ -f "$work/version" ] && exit 0

for tool in apt-get dpkg-source; do
    command -v "$tool" > /dev/null ||
        { echo "$tool is missing (.ci/deps installs it)"; exit 1; }
done

# The machine's mirror for $suite: "URI KEY" of the first deb822 stanza or
# one-line entry of type deb that names the suite (KEY: its signed-by, or
# empty).
deb822_mirror() {
    awk -v suite="$suite" '
        function flush() {
            if (deb && found && uri != "" && !done) { print uri " " key; done = 1 }
            deb = 0; found = 0; uri = ""; key = ""
        }
        done { exit }
        /^[ \t]*$/ { flush(); next }
        $1 == "Types:" { for (i = 2; i <= NF; i++) if ($i == "deb") deb = 1 }
        $1 == "URIs:" { uri = $2 }
        $1 == "Signed-By:" { key = $2 }
        $1 == "Suites:" { for (i = 2; i <= NF; i++) if ($i == suite) found = 1 }
        END { flush() }' "$1"
}
oneline_mirror() {
    awk -v suite="$suite" '
        $1 != "deb" { next }
        { o = 2; key = "" }
        $2 ~ /^\[/ {
            for (; o <= NF; o++) {
                if ($o ~ /signed-by=/) { key = $o; sub(/.*signed-by=/, "", key); sub(/\]$/, "", key) }
                if ($o ~ /\]$/) break
            }
            o++
        }
        $(o + 1) == suite { print $o " " key; exit }' "$1"
}
mirror=$(
    for f in /etc/apt/sources.list.d/*.sources; do
        if [ -f "$f" ]; then deb822_mirror "$f"; fi
    done
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        if [ -f "$f" ]; then oneline_mirror "$f"; fi
    done
)
mirror=$(printf '%s\n' "$mirror" | head -n 1)
uri=${mirror%% *}
key=${mirror#"$uri"}
key=${key# }
[ -n "$uri" ] || { echo "no apt source for $suite in /etc/apt"; exit 1; }

apt=$work/apt
mkdir -p "$work"
rm -rf "$apt" && mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$apt/parts" "$apt/get"
if [ -n "$key" ]; then
    echo "deb-src [signed-by=$key] $uri $suite main" > "$apt/sources.list"
else
    echo "deb-src $uri $suite main" > "$apt/sources.list"
fi
set -- -o Dir::Etc::sourcelist="$apt/sources.list" -o Dir::Etc::sourceparts="$apt/parts" \
    -o Dir::State::Lists="$apt/lists" -o Dir::Cache="$apt/cache" -o APT::Sandbox::User=root -q
apt-get "$@" update > "$apt/update.log" 2>&1 ||
    { echo "apt-get update (deb-src $suite) failed:"; tail -n 3 "$apt/update.log"; exit 1; }
(cd "$apt/get" && apt-get "$@" source --download-only libvirt > "$apt/source.log" 2>&1) ||
    { echo "apt-get source libvirt failed:"; tail -n 3 "$apt/source.log"; exit 1; }
dsc=$(ls "$apt/get/"libvirt_*.dsc 2> /dev/null | head -n 1)
version=$(sed -n 's/^Version: //p' "$dsc")
case $version in
"$want_version"-*) ;;
*) echo "apt-get source libvirt gave version '$version', not $want_version"; exit 1 ;;
esac
(cd "$apt/get" && dpkg-source -x "$dsc" libvirt > "$apt/extract.log" 2>&1) ||
    { echo "dpkg-source -x $dsc failed:"; tail -n 3 "$apt/extract.log"; exit 1; }
cp "$apt/get/libvirt/tests/virt-aa-helper-test" "$work/virt-aa-helper-test.tmp"
mv "$work/virt-aa-helper-test.tmp" "$work/virt-aa-helper-test"
echo "$version" > "$work/version"
rm -rf "$apt"
