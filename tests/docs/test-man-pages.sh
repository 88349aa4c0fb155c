#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The manual pages as built (paths substituted): groff finds nothing to
# warn about, every verb `aavm --help` lists has a SYNOPSIS line in aavm(8)
# naming every long option `aavm VERB --help` prints, every long option of
# `aavm-helper --help` is in aavm-helper(8), and every key of
# helper/pipeline/config-file.c's known_keys is described in aavm.conf(5) and shown
# in docs/examples/aavm.conf. So the pages cannot fall behind the programs.
# Each check is also run on a page with something removed, to show that it
# can fail.
. "$AAVM_TESTS_SRCDIR/cli/lib.sh"
LC_ALL=C
export LC_ALL

if ! command -v groff > /dev/null 2>&1; then
    echo "groff not found (Debian: groff-base): skipping"
    exit 77
fi

man=$builddir/docs/man
aavm=$builddir/helper/aavm
helper=$builddir/helper/aavm-helper

# render PAGE: plain ASCII text, one line per paragraph, no hyphenation.
render() {
    groff -man -Tascii -rLL=2000n -rHY=0 -P-cbu "$1" 2> /dev/null
}

# long_options: the --long options of a GOption --help text on stdin,
# without --help itself, one a line.
long_options() {
    sed -n 's/^ *\(-[A-Za-z0-9], \)\{0,1\}\(--[a-z][a-z0-9-]*\).*/\2/p' | grep -vx -- '--help'
}

# lint PAGE: no groff warning at all.  The pages hold this build's paths;
# where one is too long for an 80-column line (a deep build directory, as
# in make distcheck) groff could not fit it, so the line is widened to fit
# the longest path and what follows it (installed pages have short ones).
width=
if [ -f "$builddir/tests/docs/build-paths.sh" ]; then
    longest=$(sed -n "s/^[a-z]*='\(.*\)'\$/\1/p" "$builddir/tests/docs/build-paths.sh" |
              awk '{ if (length($0) > n) n = length($0) } END { print n + 0 }')
    # A path plus "/libvirt-<uuid>.files" and the indentation of a tagged
    # paragraph must fit on one line.
    if [ "$longest" -gt 28 ]; then
        width="-rLL=$((longest + 50))n"
        echo "# paths up to $longest characters: linting with $width"
    fi
fi
lint() {
    out=$(groff -man -Tutf8 -ww $width -z "$1" 2>&1) && [ -z "$out" ] && return 0
    printf '%s\n' "$out" | sed 's/^/    /'
    return 1
}

# verbs: the verbs `aavm --help` lists.
verbs() {
    "$aavm" --help 2>&1 | sed -n '/^Verbs:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p'
}

# check_verbs PAGE: for each verb, the SYNOPSIS line `aavm VERB ...` (or
# `aavm A|VERB ...`) names every long option of `aavm VERB --help`.
check_verbs() {
    page=$1 bad=0
    text=$(render "$page")
    for verb in $(verbs); do
        line=$(printf '%s\n' "$text" | sed -n '/^SYNOPSIS/,/^[A-Z]/p' |
               grep -E "^ +aavm ([a-z-]+\|)*$verb(\|[a-z-]+)* " | head -n 1)
        if [ -z "$line" ]; then
            echo "    aavm $verb: no SYNOPSIS line"
            bad=1
            continue
        fi
        if ! printf '%s\n' "$text" | sed -n '/^DESCRIPTION/,/^OPTIONS/p' |
                grep -Eq "^   ([a-z-]+, )*$verb(, [a-z-]+)*\$"; then
            echo "    aavm $verb: no subsection in DESCRIPTION"
            bad=1
        fi
        if ! printf '%s\n' "$text" | sed -n '/^EXIT STATUS/,/^[A-Z]/p' |
                grep -Eq "^       ([a-z-]+, )*$verb(, [a-z-]+)*( |\$)"; then
            echo "    aavm $verb: no entry in EXIT STATUS"
            bad=1
        fi
        opts=$("$aavm" "$verb" --help 2>&1 | long_options)
        if [ -z "$opts" ]; then
            echo "    aavm $verb --help: no options found"
            bad=1
        fi
        for opt in $opts; do
            case " $line " in
            *"[$opt "* | *"[$opt]"* | *"|$opt "* | *"|$opt]"* | *" $opt "*) ;;
            *) echo "    aavm $verb: $opt missing from SYNOPSIS"; bad=1 ;;
            esac
        done
    done
    return $bad
}

# check_helper PAGE: every long option of aavm-helper --help is an item of
# OPTIONS.
check_helper() {
    page=$1 bad=0
    text=$(render "$page" | sed -n '/^OPTIONS/,/^EXIT STATUS/p')
    opts=$("$helper" --help 2>&1 | long_options)
    [ -n "$opts" ] || { echo "    aavm-helper --help: no options found"; return 1; }
    for opt in $opts; do
        printf '%s\n' "$text" | grep -Eq -- "^       (-[A-Za-z], )?$opt([ =]|\$)" ||
            { echo "    aavm-helper: $opt missing from OPTIONS"; bad=1; }
    done
    return $bad
}

# check_conf PAGE SAMPLE: every known key is an item of OPTIONS and a
# (commented) line of the sample file.
config_keys() {
    sed -n '/known_keys\[\] = {/,/};/p' "$top_srcdir/helper/pipeline/config-file.c" |
        grep -o '"[a-z][a-z0-9-]*"' | tr -d '"'
}
check_conf() {
    page=$1 sample=$2 bad=0
    text=$(render "$page" | sed -n '/^OPTIONS/,/^FILES/p')
    keys=$(config_keys)
    [ -n "$keys" ] || { echo "    no keys found in helper/pipeline/config-file.c"; return 1; }
    for key in $keys; do
        printf '%s\n' "$text" | grep -Eq "^       $key = " ||
            { echo "    aavm.conf(5): $key missing from OPTIONS"; bad=1; }
        grep -Eq "^#?$key = " "$sample" ||
            { echo "    docs/examples/aavm.conf: no line for $key"; bad=1; }
    done
    return $bad
}

for page in aavm.8 aavm-helper.8 aavm.conf.5; do
    if [ ! -f "$man/$page" ]; then
        not_ok "$page is built"
        continue
    fi
    if lint "$man/$page"; then ok "$page: groff -ww has no warning"; else not_ok "$page: groff -ww warns"; fi
done

if check_verbs "$man/aavm.8"; then ok "aavm.8: every verb and its options"; else not_ok "aavm.8: every verb and its options"; fi
if check_helper "$man/aavm-helper.8"; then ok "aavm-helper.8: every option"; else not_ok "aavm-helper.8: every option"; fi
if check_conf "$man/aavm.conf.5" "$top_srcdir/docs/examples/aavm.conf"; then
    ok "aavm.conf.5: every key"
else
    not_ok "aavm.conf.5: every key"
fi
if grep -q '@[A-Z_]*@' "$man"/aavm.8 "$man"/aavm-helper.8 "$man"/aavm.conf.5; then
    not_ok "no @VARIABLE@ left unsubstituted"
else
    ok "no @VARIABLE@ left unsubstituted"
fi

# The checks can fail: a warning, an option, a verb's line, a key removed.
printf '.TH X 1\n.SH NAME\nx \\- y\n.BI\n.foo\n' > "$tmp/bad.1"
if lint "$tmp/bad.1" > /dev/null; then not_ok "must fail: a page with warnings"; else ok "must fail: a page with warnings"; fi
sed 's/^\.RB \[ \\-\\-no\\-reload \]$/.RB [ \\-\\-other ]/' "$man/aavm.8" > "$tmp/no-option.8"
if cmp -s "$man/aavm.8" "$tmp/no-option.8"; then not_ok "must fail: the --no-reload line was found"; fi
if check_verbs "$tmp/no-option.8" > /dev/null; then not_ok "must fail: --no-reload removed"; else ok "must fail: --no-reload removed"; fi
sed '/^\.B aavm status$/d' "$man/aavm.8" > "$tmp/no-verb.8"
if check_verbs "$tmp/no-verb.8" > /dev/null; then not_ok "must fail: status's line removed"; else ok "must fail: status's line removed"; fi
sed 's/assume\\-apparmor/assume\\-nothing/' "$man/aavm-helper.8" > "$tmp/no-helper-option.8"
if check_helper "$tmp/no-helper-option.8" > /dev/null; then not_ok "must fail: --assume-apparmor removed"; else ok "must fail: --assume-apparmor removed"; fi
sed 's/^\.BR max\\-backing\\-depth /.BR max\\-depth /' "$man/aavm.conf.5" > "$tmp/no-key.5"
if check_conf "$tmp/no-key.5" "$top_srcdir/docs/examples/aavm.conf" > /dev/null; then
    not_ok "must fail: max-backing-depth removed"
else
    ok "must fail: max-backing-depth removed"
fi

finish
