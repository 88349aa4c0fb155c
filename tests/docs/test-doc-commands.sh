#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Every command shown in docs/**/*.md runs and prints what the page says,
# so the documentation cannot rot.  The rules (written for authors in
# docs/README.md, "Commands in these pages"):
#
#   - Only ```console blocks are run.  In them a line starting with "$ "
#     (a user) or "# " (root) is a command; a command ending in "\" goes on
#     with the next line, one with a here-document (<<WORD) takes the lines
#     up to WORD.  The lines after a command, up to the next command or
#     the end of the block, are its expected output: standard output and
#     standard error together, as a terminal shows them.
#   - Output must be equal line by line, except that a line "..." matches
#     any number of lines (none included) and "..." within a line matches
#     any text in that line (for what depends on the kernel or the tools'
#     versions).  An output line starting with
#     "# " would be read as a command: show it as "...".
#   - Every command must exit 0; to show a failure, write it so, e.g.
#     `aavm image-check ... || echo "exit status $?"`.
#   - The commands of one file run in order, with /bin/sh, from the top of
#     the source tree, in one sandbox of their own (a user and mount
#     namespace, see doc-sandbox.sh): the directories the build was
#     configured with and the Debian defaults (/etc/apparmor.d/libvirt,
#     /var/cache/aavm, /etc/aavm, /etc/libvirt, /run/libvirt,
#     /var/lib/libvirt, /var/log/libvirt, and /srv for scratch files) hold the templates, the shipped
#     abstractions, docs/examples/aavm.conf and docs/examples/demo.xml (as
#     /etc/libvirt/qemu/demo.xml), and the VM demo has been started once
#     (`aavm-helper -c` made libvirt-<its uuid> and .files); PATH has stubs for virsh and systemctl,
#     the built aavm and aavm-helper, and apparmor_parser compiles (-Q -K)
#     instead of loading.  The build's configured paths are written as the
#     Debian defaults in the output before it is compared.
#   - Other blocks (```xml, ```text, ```ini, ```sh, indented) are not run.
#
# Without unshare permitted it skips (77), unless AAVM_REQUIRE_SANDBOX=1.
# With FILE... arguments it checks those files only.
. "$AAVM_TESTS_SRCDIR/cli/lib.sh"
LC_ALL=C
export LC_ALL

docs=$top_srcdir/docs
if [ ! -f "$builddir/tests/docs/build-paths.sh" ]; then
    not_ok "tests/docs/build-paths.sh is built"
    finish
fi
if ! have_parser; then
    echo "apparmor_parser not found: skipping"
    exit 77
fi
if ! unshare --user --map-root-user --mount true 2> /dev/null; then
    if [ "${AAVM_REQUIRE_SANDBOX:-0}" = 1 ]; then
        not_ok "unshare --user --map-root-user --mount is permitted"
        finish
    fi
    echo "unshare --user --map-root-user --mount is not permitted: skipping"
    exit 77
fi
export top_srcdir builddir

commands=0
# check_file FILE NAME: run FILE's commands, count them, print the results.
check_file() {
    w=$(mktemp -d "$tmp/doc.XXXXXX")
    : > "$w/list"
    if ! awk -v out="$w" -f "$srcdir/docs/doc-extract.awk" "$1"; then
        not_ok "$2: the console blocks can be read"
        return
    fi
    [ -s "$w/list" ] || return 0
    commands=$((commands + $(wc -l < "$w/list")))
    unshare --user --map-root-user --mount sh "$srcdir/docs/doc-sandbox.sh" "$w" "$2" > "$w/results" 2>&1
    cat "$w/results"
    passed=$((passed + $(grep -c '^ok - ' "$w/results")))
    failed=$((failed + $(grep -c '^not ok - ' "$w/results")))
    # a sandbox that stopped without a verdict for every command
    if [ "$(grep -c '^\(not \)\{0,1\}ok - ' "$w/results")" -lt "$(wc -l < "$w/list")" ]; then
        not_ok "$2: every command was run"
    fi
}

if [ $# -gt 0 ]; then
    for f in "$@"; do check_file "$f" "$f"; done
    finish
fi

files=$(cd "$top_srcdir" && find docs -name '*.md' | LC_ALL=C sort)
for f in $files; do
    check_file "$top_srcdir/$f" "$f"
done
echo "# $commands commands in $(echo "$files" | wc -l) pages"

# The EXAMPLES of aavm(8) run the same way: each line of an .EX block is a
# command (a line ending in "\e", roff's backslash, goes on with the next),
# run as root in the sandbox; it must exit 0, its output is not compared.
# (aavm-helper(8)'s examples load profiles, which needs AppArmor in the
# kernel: tests/kernel runs those commands.)
man_examples() {
    sed -n '/^\.SH EXAMPLES/,/^\.SH SEE ALSO/p' "$1" | awk '
        /^\.EX/ { on = 1; print "```console"; next }
        /^\.EE/ { on = 0; print "```"; next }
        !on { next }
        {
            gsub(/\\-/, "-"); gsub(/\\e/, "\\")
            print (cont ? "" : "# ") $0
            cont = /\\$/
            if (!cont) print "..."
        }'
}
man_examples "$docs/man/aavm.8.in" > "$tmp/aavm.8-examples.md"
check_file "$tmp/aavm.8-examples.md" "docs/man/aavm.8.in EXAMPLES"

# The test can fail: a wrong output, a failing command, a "..." that
# cannot cover a missing line; and a right one passes.
self=$tmp/self
mkdir -p "$self"
cat > "$self/right.md" <<'DOC'
```console
$ echo one; echo two; echo three
one
...
three
$ aavm generate docs/examples/demo.xml | grep -c 'disk vda'
1
```
DOC
sed 's/^three$/four/' "$self/right.md" > "$self/wrong-output.md"
sed 's/^\$ echo one.*/$ false/' "$self/right.md" > "$self/failing.md"
sed 's/^1$/2/' "$self/right.md" > "$self/wrong-count.md"
for case in right wrong-output failing wrong-count; do
    out=$(passed=0 failed=0; check_file "$self/$case.md" "self-check $case"; echo "counts $passed $failed")
    counts=$(printf '%s\n' "$out" | sed -n 's/^counts //p')
    case $case:$counts in
    right:"2 0") ok "self-check: a right page passes" ;;
    right:*) not_ok "self-check: a right page passes"; printf '%s\n' "$out" ;;
    *:*" 0") not_ok "self-check: $case must fail"; printf '%s\n' "$out" ;;
    *) if printf '%s\n' "$out" | grep -q "^not ok - self-check $case:[0-9]"; then
           ok "self-check: $case fails, naming file:line"
       else
           not_ok "self-check: $case fails, naming file:line"
       fi ;;
    esac
done
finish
