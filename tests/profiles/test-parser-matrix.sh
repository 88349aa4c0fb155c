#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The parsers of today's distributions compile our policy: Debian 12's
# apparmor_parser 3.0 (this machine's), Debian 13's 4.1 and sid's 5.0, the
# newer two fetched with tests/debian-suite.sh and run through their own
# suite's loader and libraries.  Each parser gets its own suite's abi files
# and abstractions (-b at that suite's /etc/apparmor.d, -I our profiles/),
# and compiles every shipped profile (abstractions, templates filled, the
# helper's profile, the daemon examples), the per-VM profile of every
# golden domain and of every corpus domain; the two newer ones also a
# per-VM profile pinned (setting profile-abi) to each abi they ship.  A
# parser that cannot be fetched is skipped with a message, unless
# AAVM_REQUIRE_PARSER_MATRIX=1.
. "$AAVM_TESTS_SRCDIR/cli/lib.sh"

have_parser || { echo "no apparmor_parser: skipped"; exit 77; }
LC_ALL=C
export LC_ALL
debian=${AAVM_DEBIAN_DIR:-$builddir/tests/debian}
suite_sh=$srcdir/debian-suite.sh
require=${AAVM_REQUIRE_PARSER_MATRIX:-0}
corpus=${AAVM_CORPUS_DIR:-$top_srcdir/../shared/corpus}
A=$builddir/helper/aavm
templates=$top_srcdir/templates

# ------------------------------------------------ the profiles to compile
mkdir "$tmp/p"
uuid=libvirt-8a7e6c3e-1f0b-4c1e-9d55-2f7e0d9c1a11
for a in libvirt-qemu libvirt-lxc; do
    printf 'abi <abi/3.0>,\ninclude <tunables/global>\nprofile t-%s {\n  include <abstractions/%s>\n}\n' \
        "$a" "$a" > "$tmp/p/shipped-abstraction-$a"
done
printf '  "/var/lib/libvirt/images/sample.qcow2" rwk,\n' > "$tmp/$uuid.files"
for t in qemu lxc; do
    sed -e "s/profile LIBVIRT_TEMPLATE/profile $uuid/" \
        -e "\$s|^}|  include if exists \"$tmp/$uuid.files\"\\n}|" "$templates/TEMPLATE.$t" > "$tmp/p/shipped-TEMPLATE.$t"
done
cp "$builddir/profiles/aavm-helper" "$tmp/p/shipped-aavm-helper"
for e in libvirtd virtqemud; do cp "$builddir/profiles/examples/$e" "$tmp/p/shipped-example-$e"; done
# per-VM profile NAME XML: the whole profile from the shipped template, or
# the rules in a bare profile for a driver we ship no template for.
per_vm() {
    "$A" generate "$2" > "$tmp/files" 2> /dev/null || return 0 # refused: nothing to compile
    "$A" generate --profile -t "$templates" "$2" > "$tmp/p/$1" 2> /dev/null ||
        { printf 'abi <abi/3.0>,\ninclude <tunables/global>\nprofile aavm-matrix {\n'
          cat "$tmp/files"; printf '}\n'; } > "$tmp/p/$1"
}
for xml in "$srcdir"/data/*.xml; do
    case $xml in *-fail.xml) continue ;; esac
    per_vm "golden-$(basename "$xml" .xml)" "$xml"
done
if [ -d "$corpus/libvirt" ]; then
    for xml in "$corpus"/libvirt/*.xml; do per_vm "corpus-$(basename "$xml" .xml)" "$xml"; done
elif [ "${AAVM_REQUIRE_CORPUS:-0}" = 1 ]; then
    echo "the corpus is required but '$corpus' has none" >&2
    exit 99
else
    echo "no corpus at '$corpus': its profiles are left out"
fi
shipped=$(ls "$tmp/p" | grep -c '^shipped-')
golden=$(ls "$tmp/p" | grep -c '^golden-')
corpus_n=$(ls "$tmp/p" | grep -c '^corpus-')
# Only a profile that needs an abstraction of the newer suites (not in
# Debian 12's apparmor): it shows that -b points at the suite's own tree.
printf 'abi <abi/3.0>,\ninclude <tunables/global>\nprofile t-canary {\n  include <abstractions/devices-usb>\n}\n' > "$tmp/canary"
# ... and a profile no parser may accept: the compile check can fail.
printf 'abi <abi/3.0>,\nprofile t-broken {\n  /srv/x rwz,\n}\n' > "$tmp/broken"

# A per-VM profile made with the setting profile-abi (aavm.conf(5)) for
# each newer abi: pinned NAME ABI.
pinned() {
    printf '[aavm]\nprofile-abi = %s\n' "$2" > "$tmp/pin-$2.conf"
    "$A" generate --config "$tmp/pin-$2.conf" --profile -t "$templates" \
        "$srcdir/data/chardev-all-kinds.xml" > "$tmp/$1" &&
        grep -qx "abi <abi/$2>," "$tmp/$1" && ! grep -q '^abi <abi/3\.0>' "$tmp/$1"
}
check "profile-abi = 4.0 pins abi 4.0 in a profile made from the template" pinned pinned-4.0 4.0
check "profile-abi = 5.0 pins abi 5.0 in a profile made from the template" pinned pinned-5.0 5.0

# ------------------------------------------------ the parsers
# matrix LABEL BASE PARSER...: compile every profile with PARSER (a command)
# against the abi files and abstractions under BASE.
matrix() {
    label=$1 base=$2
    shift 2
    n=0 bad=0
    # One parser run for all (fast); on a failure, one a profile to name them.
    if "$@" -Q -K -M "$base/abi/3.0" -I "$top_srcdir/profiles" -b "$base" "$tmp"/p/* > "$tmp/all.log" 2>&1; then
        n=$(ls "$tmp/p" | wc -l)
    else
        for f in "$tmp"/p/*; do
            if "$@" -Q -K -M "$base/abi/3.0" -I "$top_srcdir/profiles" -b "$base" "$f" > "$tmp/one.log" 2>&1; then
                n=$((n + 1))
            else
                bad=$((bad + 1))
                not_ok "$label: $(basename "$f") does not compile: $(tail -n 2 "$tmp/one.log" | tr '\n' ' ')"
            fi
        done
    fi
    check "$label compiles all $n profiles ($shipped shipped, $golden golden domains, $corpus_n corpus domains)" [ "$bad" -eq 0 ]
    check "$label refuses a broken rule" sh -c '! "$@" -Q -K -M "'"$base"'/abi/3.0" -b "'"$base"'" "'"$tmp"'/broken" > /dev/null 2>&1' sh "$@"
    version=$("$@" --version 2>/dev/null | sed -n '1s/.*version //p')
    echo "parser matrix: apparmor_parser $version ($label): $n compiled, $bad failed"
}

matrix "Debian 12 apparmor_parser (this machine's)" /etc/apparmor.d "$parser"
check "Debian 12's tree lacks the canary's abstraction (the canary can fail)" \
    sh -c '! "$1" -Q -K -M /etc/apparmor.d/abi/3.0 -b /etc/apparmor.d "$2" > /dev/null 2>&1' sh "$parser" "$tmp/canary"
check "Debian 12's parser refuses a profile pinned to abi 4.0, which it lacks (the pinned check can fail)" \
    sh -c '! "$1" -Q -K -M /etc/apparmor.d/abi/3.0 -I "$2" -b /etc/apparmor.d "$3" > /dev/null 2>&1' \
    sh "$parser" "$top_srcdir/profiles" "$tmp/pinned-4.0"

for pair in "trixie:Debian 13" "sid:Debian sid"; do
    suite=${pair%%:*} label=${pair#*:}
    if ! sh "$suite_sh" "$debian" "$suite" unpack apparmor libc6 libapparmor1 libgcc-s1 libstdc++6 libzstd1 2> "$tmp/fetch.err"; then
        if [ "$require" = 1 ]; then
            not_ok "$label apparmor_parser could not be fetched: $(cat "$tmp/fetch.err")"
        else
            echo "$label apparmor_parser could not be fetched, skipped: $(cat "$tmp/fetch.err")"
        fi
        continue
    fi
    root=$debian/$suite/root
    run_parser="sh $suite_sh $debian $suite ld-run usr/sbin/apparmor_parser --config-file=$root/etc/apparmor/parser.conf"
    # shellcheck disable=SC2086
    matrix "$label apparmor_parser" "$root/etc/apparmor.d" $run_parser
    # shellcheck disable=SC2086
    check "$label: the canary compiles against the suite's own abstractions" \
        $run_parser -Q -K -M "$root/etc/apparmor.d/abi/3.0" -b "$root/etc/apparmor.d" "$tmp/canary"
    # The profiles pinned to an abi the suite ships, compiled with it.
    for abi in 4.0 5.0; do
        [ -e "$root/etc/apparmor.d/abi/$abi" ] || { echo "$label has no abi/$abi: its pinned profile is left out"; continue; }
        # shellcheck disable=SC2086
        check "$label compiles a profile pinned to abi $abi" \
            $run_parser -Q -K -M "$root/etc/apparmor.d/abi/$abi" -I "$top_srcdir/profiles" \
            -b "$root/etc/apparmor.d" "$tmp/pinned-$abi"
    done
done
finish
