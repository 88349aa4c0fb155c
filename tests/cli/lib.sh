# SPDX-License-Identifier: LGPL-2.1-or-later
# lib.sh: shared by the shell tests. Each check prints one line; the script
# ends with "N passed, M failed" and exits 1 on any failure.
set -u

: "${AAVM_TESTS_SRCDIR:?run from make check (AAVM_TESTS_SRCDIR unset)}"
: "${AAVM_TESTS_BUILDDIR:?run from make check (AAVM_TESTS_BUILDDIR unset)}"
srcdir=$AAVM_TESTS_SRCDIR
top_srcdir=$srcdir/..
builddir=$AAVM_TESTS_BUILDDIR
parser=${APPARMOR_PARSER:-/sbin/apparmor_parser}
passed=0
failed=0

tmp=$(mktemp -d "${TMPDIR:-/tmp}/aavm-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

ok() { passed=$((passed + 1)); echo "ok - $*"; }
not_ok() { failed=$((failed + 1)); echo "not ok - $*"; }

# check DESCRIPTION COMMAND...: the command must succeed.
check() {
    desc=$1; shift
    if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}

# The real parser must be there unless AAVM_REQUIRE_PARSER is not 1.
have_parser() {
    if [ -x "$parser" ]; then return 0; fi
    if [ "${AAVM_REQUIRE_PARSER:-0}" = 1 ]; then
        echo "apparmor_parser '$parser' is required but missing" >&2
        exit 99
    fi
    return 1
}

# compile_profile FILE: compile-only with the repo's profiles first.
compile_profile() {
    "$parser" -Q -K -M /etc/apparmor.d/abi/3.0 -I "$top_srcdir/profiles" \
        -b /etc/apparmor.d "$1"
}

finish() {
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
    exit $?
}
