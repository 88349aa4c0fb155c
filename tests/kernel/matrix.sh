#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# make check-kernel-matrix: the kernel suite (run.sh) on the cloud kernel of
# each Debian suite below: Debian 12's 6.1, Debian 13's 6.12 and
# trixie-backports' 7.3.  Each kernel package is fetched with
# tests/debian-suite.sh (a private apt state) and kept, with its work
# directory, in the build tree.  Then the socket run: 7.3 again with the
# profiles pinned to abi 5.0 (aavm.conf's profile-abi) and sid's
# apparmor_parser 5.0, the one of these parsers that knows the kernel's
# features/network_v9/af_unix, so the cross-VM socket checks run.  Prints
# run.sh's output and one line a run
#   == kernel <version>[ (apparmor_parser of SUITE, abi X.Y)]: unix sockets mediated|not mediated, N passed, M failed, S skipped
# then the total "N passed, M failed".
#
#   matrix.sh SRCDIR BUILDDIR [SUITE...]
# Variables: AAVM_KERNEL_SUITES (the suites, default "bookworm trixie
# trixie-backports"), AAVM_KERNEL_SOCKET_RUN (above), AAVM_DEBIAN_DIR, and
# run.sh's.
set -eu
srcdir=$(cd "$1" && pwd) builddir=$(cd "$2" && pwd)
shift 2
suites=${*:-${AAVM_KERNEL_SUITES:-bookworm trixie trixie-backports}}
debian=${AAVM_DEBIAN_DIR:-$builddir/tests/debian}
suite_sh=$srcdir/tests/debian-suite.sh
total_p=0 total_f=0 lines=
# SUITE PARSER-SUITE ABI: the run where the cross-VM unix socket checks
# must run (a kernel with features/network_v9/af_unix, a parser and abi
# that know it); "" leaves it out.
socket_run=${AAVM_KERNEL_SOCKET_RUN-trixie-backports sid 5.0}

# run_one SUITE NAME SUFFIX: run.sh on SUITE's kernel ($deb) in the work
# directory and log of NAME; its summary line (SUFFIX after the version).
run_one() {
    log=$builddir/tests/kernel/matrix-$2.log
    rc=0
    AAVM_KERNEL_DEB=$deb AAVM_KERNEL_WORK=$builddir/tests/kernel/work-$2 \
        sh "$srcdir/tests/kernel/run.sh" "$srcdir" "$builddir" > "$log" 2>&1 || rc=$?
    grep -v '^PASS: ' "$log" || :
    version=$(sed -n 's/^kernel: \([^;]*\);.*/\1/p' "$log" | head -n 1)
    case $(sed -n 's/.*unix socket paths mediated: \([a-z]*\) .*/\1/p' "$log" | head -n 1) in
    yes) unix="unix sockets mediated" ;;
    *) unix="unix sockets not mediated" ;;
    esac
    p=$(sed -n 's/^\([0-9]*\) passed, [0-9]* failed$/\1/p' "$log" | tail -n 1)
    f=$(sed -n 's/^[0-9]* passed, \([0-9]*\) failed$/\1/p' "$log" | tail -n 1)
    s=$(sed -n 's/^domains: [0-9]*; \([0-9]*\) checks skipped$/\1/p' "$log" | tail -n 1)
    [ "$rc" -eq 0 ] || [ "${f:-0}" -gt 0 ] || f=1 # no result at all is a failure
    line="== kernel ${version:-$1}$3: $unix, ${p:-0} passed, ${f:-1} failed, ${s:-0} skipped"
    echo "$line"
    lines="$lines$line
"
    total_p=$((total_p + ${p:-0})) total_f=$((total_f + ${f:-1}))
}

for suite in $suites; do
    deb=$(sh "$suite_sh" "$debian" "$suite" kernel) || deb=
    if [ -z "$deb" ]; then
        echo "== kernel of $suite: could not be fetched, 0 passed, 1 failed, 0 skipped"
        lines="$lines== kernel of $suite: could not be fetched, 0 passed, 1 failed, 0 skipped
"
        total_f=$((total_f + 1))
        continue
    fi
    echo "=== $suite: $(basename "$deb")"
    run_one "$suite" "$suite" ""
    # The socket run: that kernel again, the profiles pinned to abi ABI and
    # loaded by the apparmor_parser of the suite PARSER-SUITE (its own
    # loader, libraries and base policy).
    # shellcheck disable=SC2086
    set -- $socket_run
    [ "$suite" = "${1:-}" ] || continue
    if sh "$suite_sh" "$debian" "$2" unpack apparmor libc6 libapparmor1 libgcc-s1 libstdc++6 libzstd1 > /dev/null 2> "$builddir/tests/kernel/matrix-fetch-$2.log"; then
        echo "=== $suite, apparmor_parser of $2, abi $3"
        export AAVM_KERNEL_PARSER_ROOT="$debian/$2/root" AAVM_KERNEL_PROFILE_ABI="$3"
        run_one "$suite" "$suite-abi-$3" " (apparmor_parser of $2, abi $3)"
        unset AAVM_KERNEL_PARSER_ROOT AAVM_KERNEL_PROFILE_ABI
    else
        line="== kernel of $suite (apparmor_parser of $2, abi $3): the parser could not be fetched ($(tail -n 1 "$builddir/tests/kernel/matrix-fetch-$2.log")), 0 passed, 1 failed, 0 skipped"
        echo "$line"
        lines="$lines$line
"
        total_f=$((total_f + 1))
    fi
done
echo
printf '%s' "$lines"
echo "$total_p passed, $total_f failed"
[ "$total_f" -eq 0 ]
