#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Packages of another Debian suite for the tests (newer parsers, libvirt's
# helper, kernels), fetched with apt-get into a private apt state: its own
# sources file (the mirror of this machine's sources, another suite), its
# own lists and cache; the system's apt configuration is never used or
# changed, nothing is installed.  Everything stays in DIR for the next run.
#
#   debian-suite.sh DIR SUITE apt-cache ARGS...   apt-cache on SUITE's lists
#   debian-suite.sh DIR SUITE download PACKAGE     the .deb's path on stdout
#   debian-suite.sh DIR SUITE unpack PACKAGE...    dpkg -x into DIR/SUITE/root
#   debian-suite.sh DIR SUITE kernel               the .deb of SUITE's cloud
#       kernel image (linux-image-cloud-amd64's) on stdout
#   debian-suite.sh DIR SUITE ld-run PROGRAM ARGS...
#       run DIR/SUITE/root/PROGRAM through that suite's own dynamic loader
#       with its libraries (libc6 and the rest must have been unpacked)
#
# Exit status 1 with a one-line reason when the suite cannot be reached.
set -eu
[ $# -ge 3 ] || { echo "usage: debian-suite.sh DIR SUITE apt-cache|download|unpack|ld-run ..." >&2; exit 2; }
dir=$1 suite=$2 cmd=$3
shift 3
case $suite in *[!a-z0-9-]*|'') echo "debian-suite: bad suite name '$suite'" >&2; exit 2 ;; esac
base=$dir/$suite
root=$base/root

ld_run() {
    prog=$root/$1
    shift
    for ld in "$root/usr/lib64/ld-linux-x86-64.so.2" "$root/lib64/ld-linux-x86-64.so.2" \
              "$root/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2" "$root/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"; do
        [ -e "$ld" ] && break
    done
    [ -e "$ld" ] || { echo "debian-suite: no dynamic loader in $root" >&2; exit 1; }
    exec "$ld" --library-path "$root/usr/lib/x86_64-linux-gnu:$root/lib/x86_64-linux-gnu" "$prog" "$@"
}
[ "$cmd" != ld-run ] || ld_run "$@"

mkdir -p "$base/apt/lists/partial" "$base/apt/cache/archives/partial" "$base/debs" "$root"
apt_opts="-o Dir::Etc::sourcelist=$base/apt/sources.list -o Dir::Etc::sourceparts=- \
-o Dir::State::Lists=$base/apt/lists -o Dir::Cache=$base/apt/cache \
-o Dir::State::status=$base/apt/status -o Debug::NoLocking=1 -o APT::Architecture=amd64 \
-o APT::Get::AllowUnauthenticated=false -o Acquire::Retries=2"

# One caller at a time per suite (make check runs tests in parallel).
exec 9> "$base/lock"
flock 9

# update: the suite's package lists, from the mirror this machine's apt
# sources name for Debian.
update() {
    uri=$(sed -n 's/^URIs: *\([^ ]*\).*/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null |
          grep -v -e security -e '^$' | head -n 1)
    [ -n "$uri" ] || uri=$(sed -n 's/^deb \(\[[^]]*\] \)\{0,1\}\([^ ]*\) .*/\2/p' /etc/apt/sources.list 2>/dev/null |
                           grep -v security | head -n 1)
    [ -n "$uri" ] || { echo "debian-suite: no Debian mirror in this machine's apt sources" >&2; exit 1; }
    echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $uri $suite main" > "$base/apt/sources.list"
    : > "$base/apt/status"
    # shellcheck disable=SC2086
    apt-get $apt_opts update > "$base/apt/update.log" 2>&1 ||
        { echo "debian-suite: apt-get update of $suite failed: $(tail -n 1 "$base/apt/update.log")" >&2; exit 1; }
    date -u > "$base/apt/updated"
}
[ -s "$base/apt/updated" ] || update

# download PACKAGE: the .deb of PACKAGE into $base/debs (once); its path.
# Lists kept from an earlier run may name a file the mirror has dropped:
# then the lists are fetched again and the download tried once more.
download() {
    deb=$(ls "$base/debs/$1"_*.deb 2>/dev/null | head -n 1)
    if [ -z "$deb" ]; then
        # shellcheck disable=SC2086
        (cd "$base/debs" && apt-get $apt_opts download "$1" > "$base/apt/download.log" 2>&1) ||
            { update && cd "$base/debs" && apt-get $apt_opts download "$1" > "$base/apt/download.log" 2>&1; } ||
            { echo "debian-suite: apt-get download $1 ($suite) failed: $(tail -n 1 "$base/apt/download.log")" >&2; exit 1; }
        deb=$(ls "$base/debs/$1"_*.deb | head -n 1)
    fi
    echo "$deb"
}

# kernel: the package behind linux-image-cloud-amd64; since Linux 7.x the
# image itself is in linux-binary-<version>.
# shellcheck disable=SC2086
kernel() {
    image=$(apt-cache $apt_opts depends linux-image-cloud-amd64 |
            sed -n 's/^ *Depends: \(linux-image-[^ ]*\)$/\1/p' | head -n 1)
    [ -n "$image" ] || { echo "debian-suite: no package behind linux-image-cloud-amd64 in $suite" >&2; exit 1; }
    deb=$(download "$image")
    if ! dpkg -c "$deb" 2> /dev/null | grep -q '/vmlinuz'; then
        binary=$(apt-cache $apt_opts depends "$image" |
                 sed -n 's/^ *Depends: \(linux-binary-[^ ]*\)$/\1/p' | head -n 1)
        deb=$(download "${binary:-none}")
    fi
    echo "$deb"
}

case $cmd in
kernel)
    kernel ;;
apt-cache)
    # shellcheck disable=SC2086
    exec apt-cache $apt_opts "$@" ;;
download)
    download "$1" ;;
unpack)
    # The .debs not yet here in one apt-get run (much faster than one each).
    want=
    for p in "$@"; do
        ls "$base/debs/$p"_*.deb > /dev/null 2>&1 || want="$want $p"
    done
    if [ -n "$want" ]; then
        # shellcheck disable=SC2086
        (cd "$base/debs" && apt-get $apt_opts download $want > "$base/apt/download.log" 2>&1) || :
    fi
    for p in "$@"; do
        [ -e "$root/.unpacked-$p" ] && continue
        deb=$(download "$p")
        dpkg -x "$deb" "$root"
        basename "$deb" > "$root/.unpacked-$p"
    done ;;
*)
    echo "debian-suite: unknown command '$cmd'" >&2; exit 2 ;;
esac
