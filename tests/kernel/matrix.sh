#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# make check-kernel-matrix: the kernel suite (run.sh) on the cloud kernel of
# each Debian suite below: Debian 12's 6.1, Debian 13's 6.12 and
# trixie-backports' 7.3.  Each kernel package is fetched with
# tests/debian-suite.sh (a private apt state) and kept, with its work
# directory, in the build tree.  Prints run.sh's output and one line a kernel
#   == kernel <version>: unix sockets mediated|not mediated, N passed, M failed, S skipped
# then the total "N passed, M failed".
#
#   matrix.sh SRCDIR BUILDDIR [SUITE...]
# Variables: AAVM_KERNEL_SUITES (the suites, default "bookworm trixie
# trixie-backports"), AAVM_DEBIAN_DIR, and run.sh's.
set -eu
srcdir=$(cd "$1" && pwd) builddir=$(cd "$2" && pwd)
shift 2
suites=${*:-${AAVM_KERNEL_SUITES:-bookworm trixie trixie-backports}}
debian=${AAVM_DEBIAN_DIR:-$builddir/tests/debian}
suite_sh=$srcdir/tests/debian-suite.sh
total_p=0 total_f=0 lines=

for suite in $suites; do
    log=$builddir/tests/kernel/matrix-$suite.log
    # The package behind linux-image-cloud-amd64 in that suite; since
    # Linux 7.x the image itself is in linux-binary-<version>.
    if image=$(sh "$suite_sh" "$debian" "$suite" apt-cache depends linux-image-cloud-amd64 |
               sed -n 's/^ *Depends: \(linux-image-[^ ]*\)$/\1/p' | head -n 1) && [ -n "$image" ] &&
       deb=$(sh "$suite_sh" "$debian" "$suite" download "$image"); then
        if ! dpkg -c "$deb" | grep -q '/vmlinuz'; then
            binary=$(sh "$suite_sh" "$debian" "$suite" apt-cache depends "$image" |
                     sed -n 's/^ *Depends: \(linux-binary-[^ ]*\)$/\1/p' | head -n 1)
            deb=$(sh "$suite_sh" "$debian" "$suite" download "${binary:-none}") || deb=
        fi
    else
        deb=
    fi
    if [ -z "$deb" ]; then
        echo "== kernel of $suite: could not be fetched, 0 passed, 1 failed, 0 skipped"
        lines="$lines== kernel of $suite: could not be fetched, 0 passed, 1 failed, 0 skipped
"
        total_f=$((total_f + 1))
        continue
    fi
    echo "=== $suite: $(basename "$deb")"
    rc=0
    AAVM_KERNEL_DEB=$deb AAVM_KERNEL_WORK=$builddir/tests/kernel/work-$suite \
        sh "$srcdir/tests/kernel/run.sh" "$srcdir" "$builddir" > "$log" 2>&1 || rc=$?
    grep -v '^PASS: ' "$log" || :
    version=$(sed -n 's/^kernel: \([^;]*\);.*/\1/p' "$log" | head -n 1)
    case $(sed -n 's/.*unix socket paths mediated: .*(by the kernel: \([a-z]*\)).*/\1/p' "$log" | head -n 1) in
    yes) unix="unix sockets mediated" ;;
    *) unix="unix sockets not mediated" ;;
    esac
    p=$(sed -n 's/^\([0-9]*\) passed, [0-9]* failed$/\1/p' "$log" | tail -n 1)
    f=$(sed -n 's/^[0-9]* passed, \([0-9]*\) failed$/\1/p' "$log" | tail -n 1)
    s=$(sed -n 's/^domains: [0-9]*; \([0-9]*\) checks skipped$/\1/p' "$log" | tail -n 1)
    [ "$rc" -eq 0 ] || [ "${f:-0}" -gt 0 ] || f=1 # no result at all is a failure
    line="== kernel ${version:-$suite}: $unix, ${p:-0} passed, ${f:-1} failed, ${s:-0} skipped"
    echo "$line"
    lines="$lines$line
"
    total_p=$((total_p + ${p:-0})) total_f=$((total_f + ${f:-1}))
done
echo
printf '%s' "$lines"
echo "$total_p passed, $total_f failed"
[ "$total_f" -eq 0 ]
