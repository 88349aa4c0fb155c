#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# libvirt's own test of its helper, tests/virt-aa-helper-test from Debian
# 12's libvirt 9.0.0 source package, run unmodified against aavm-helper.
# The source is fetched into the build tree (fetch-libvirt-source.sh) and
# kept there; when it cannot be fetched the test is skipped, unless
# AAVM_REQUIRE_LIBVIRT_SOURCE=1 (CI), which makes that a failure.
. "$AAVM_TESTS_SRCDIR/cli/lib.sh"
. "$srcdir/cli/helper-env.sh"

work=$builddir/tests/upstream/work
if ! why=$(sh "$srcdir/upstream/fetch-libvirt-source.sh" "$work" 2>&1); then
    if [ "${AAVM_REQUIRE_LIBVIRT_SOURCE:-0}" = 1 ]; then
        echo "libvirt's source is required (AAVM_REQUIRE_LIBVIRT_SOURCE=1) but cannot be fetched: $why" >&2
        exit 99
    fi
    echo "SKIP: libvirt's source cannot be fetched, so its virt-aa-helper-test is not run: $why"
    exit 77
fi

# The script runs the program it is given; ours with the profile directory
# an installed aavm has (the templates in it), as the reference finds its
# own.  Everything it runs is a dry run or fails before writing.
cat > "$tmp/virt-aa-helper" <<SH
#!/bin/sh
exec "$H" --profile-dir "$pd" "\$@"
SH
chmod +x "$tmp/virt-aa-helper"

# -d: each case prints "  TITLE:  'ARGS': ", the program's output, then
# "pass" or "FAIL: ..."; through a pipe (the script writes to /dev/stdout).
(cd "$tmp" && sh "$work/virt-aa-helper-test" -d "$tmp/virt-aa-helper"; echo "exit status $?") 2>&1 |
    cat > "$tmp/out"
awk '
    /^  .*:  \x27--dryrun/ { title = $0; sub(/:  \x27--dryrun.*/, "", title); sub(/^  /, "", title); next }
    /^pass$/ && title != "" { print "ok " title; title = ""; next }
    /^FAIL: exited/ && title != "" { print "not_ok " title; title = "" }
' "$tmp/out" > "$tmp/cases"
while read -r verdict title; do
    if [ "$verdict" = ok ]; then ok "libvirt: $title"; else not_ok "libvirt: $title"; fi
done < "$tmp/cases"
n=$(wc -l < "$tmp/cases")
p=$(grep -c '^ok ' "$tmp/cases")
echo "libvirt $(cat "$work/version") tests/virt-aa-helper-test: $p of $n cases passed"
check "the script ran its cases" [ "$n" -ge 70 ]
check "the script exits 0" grep -qx "exit status 0" "$tmp/out"
[ "$failed" -eq 0 ] || { echo "--- its output:"; cat "$tmp/out"; }
finish
