#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The bash completion of aavm and aavm-helper (helper/completion/): run in
# bash, it offers every verb 'aavm --help' lists, every option each
# 'aavm VERB --help' and 'aavm-helper --help' print (so an option added
# without completion fails here), values for the options that take them,
# and bash-completion loads both files by command name from its
# completions directory.  The option check is also run on a completion
# with an option removed, to show it can fail.
. "$AAVM_TESTS_SRCDIR/cli/lib.sh"
LC_ALL=C
export LC_ALL

if ! command -v bash > /dev/null 2>&1; then
    echo "bash not found: skipping"
    exit 77
fi
A=$builddir/helper/aavm
H=$builddir/helper/aavm-helper
comp=$top_srcdir/helper/completion

# complete FILE WORD...: source FILE in bash, complete the last WORD of the
# command line WORD... (the cursor at its end); COMPREPLY one a line.
complete_words() {
    file=$1
    shift
    : > "$tmp/words"
    for word in "$@"; do printf '%s\n' "$word" >> "$tmp/words"; done
    complete_listed "$file"
}

# complete_listed FILE: as complete_words, the words in $tmp/words.
complete_listed() {
    bash --norc --noprofile -c '
        . "$1"
        mapfile -t COMP_WORDS < "$2"
        COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
        COMP_LINE="${COMP_WORDS[*]}"; COMP_POINT=${#COMP_LINE}
        fn=$(complete -p "${COMP_WORDS[0]}" | sed -n "s/.* -F \([^ ]*\) .*/\1/p")
        "$fn" "${COMP_WORDS[0]}" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
        printf "%s\n" "${COMPREPLY[@]}"' bash "$1" "$tmp/words"
}

# offers FILE WORD... -- EXPECTED...: every EXPECTED is among the answers.
offers() {
    file=$1
    shift
    : > "$tmp/words"
    while [ "$1" != -- ]; do printf '%s\n' "$1" >> "$tmp/words"; shift; done
    shift
    complete_listed "$file" > "$tmp/reply" || return 1
    for want in "$@"; do
        grep -qxF -- "$want" "$tmp/reply" ||
            { echo "# '$(tr '\n' ' ' < "$tmp/words")' does not offer '$want'" >&2; return 1; }
    done
}

# help_options: the options (short and long, but not -h/--help) of a GOption
# --help text on standard input, one a line.
help_options() {
    sed -n 's/^  \(-[A-Za-z0-9]\), \(--[a-z][a-z0-9-]*\).*/\1\n\2/p; s/^  \(--[a-z][a-z0-9-]*\).*/\1/p' |
        grep -vx -e -h -e --help
}

# all_options_offered COMPLETION-FILE: every option of every verb's --help
# and of aavm-helper's --help is offered after '-'.
# (A --help that yields no option at all fails: the check is not empty.)
all_options_offered() {
    for verb in $verbs; do
        "$A" "$verb" --help | help_options > "$tmp/options"
        [ -s "$tmp/options" ] || return 1
        # shellcheck disable=SC2046
        offers "$1/aavm" aavm "$verb" - -- $(cat "$tmp/options") || return 1
    done
    "$H" --help | help_options > "$tmp/options"
    [ "$(wc -l < "$tmp/options")" -ge 20 ] || return 1
    # shellcheck disable=SC2046
    offers "$1/aavm-helper" aavm-helper - -- $(cat "$tmp/options")
}

verbs=$("$A" --help | sed -n 's/^  \([a-z][a-z-]*\)  .*/\1/p')
check "aavm --help lists the verbs" [ "$(echo $verbs | wc -w)" -ge 8 ]
# shellcheck disable=SC2086
check "every verb of aavm --help is offered" offers "$comp/aavm" aavm '' -- $verbs
check "a verb is completed from its start" offers "$comp/aavm" aavm pr -- prune
check "'aavm pr' offers only prune" [ "$(complete_words "$comp/aavm" aavm pr)" = prune ]
check "every option of every verb and of aavm-helper is offered" all_options_offered "$comp"
check "prune: --d completes to --dry-run" [ "$(complete_words "$comp/aavm" aavm prune --d)" = --dry-run ]
check "image-check --format offers the formats" \
    offers "$comp/aavm" aavm image-check --format '' -- raw qcow2 qed vmdk luks
check "image-check --format=q offers qcow2 and qed" \
    offers "$comp/aavm" aavm image-check --format = q -- qcow2 qed
complete_words "$comp/aavm" aavm status -- > "$tmp/status"
check "status offers its --json" grep -qx -- --json "$tmp/status"
check "status does not offer prune's --force" sh -c "! grep -qx -- --force '$tmp/status'"
mkdir -p "$tmp/w/dir1" && : > "$tmp/w/file1.xml"
check "--profile-dir offers directories only" \
    [ "$(cd "$tmp/w" && complete_words "$comp/aavm" aavm prune --profile-dir '')" = dir1 ]
check "a domain file is offered for generate" \
    offers "$comp/aavm" aavm generate "$tmp/w/f" -- "$tmp/w/file1.xml"
: > "$tmp/w/two words.xml"
check "a file name with a space is one answer" \
    offers "$comp/aavm" aavm explain "$tmp/w/t" -- "$tmp/w/two words.xml"
check "aavm-helper -u offers libvirt-" offers "$comp/aavm-helper" aavm-helper -u '' -- libvirt-
check "aavm-helper --add-file offers files" \
    offers "$comp/aavm-helper" aavm-helper --add-file "$tmp/w/f" -- "$tmp/w/file1.xml"

# The option check can fail: a completion without prune's --force, one
# without aavm-helper's --assume-apparmor.
fails() { ! "$@" 2> /dev/null; }
mkdir -p "$tmp/less1" "$tmp/less2"
sed 's/ -f --force//' "$comp/aavm" > "$tmp/less1/aavm"
cp "$comp/aavm-helper" "$tmp/less1/"
cp "$comp/aavm" "$tmp/less2/"
sed 's/ --assume-apparmor//' "$comp/aavm-helper" > "$tmp/less2/aavm-helper"
check "the check finds a verb's option missing" fails all_options_offered "$tmp/less1"
check "the check finds an aavm-helper option missing" fails all_options_offered "$tmp/less2"
sed "s/ prune'/'/" "$comp/aavm" > "$tmp/less1/aavm"
# shellcheck disable=SC2086
check "the check finds a verb missing" fails offers "$tmp/less1/aavm" aavm '' -- $verbs

# Installed where bash-completion looks: configure took bash-completion's
# completionsdir, or its layout under DATADIR; its loader, given that
# layout, loads both files by command name.
dir=${AAVM_BASH_COMPLETION_DIR:-}
want=$(pkg-config --variable=completionsdir bash-completion 2> /dev/null || true)
check "the completion directory is bash-completion's ('$dir')" \
    sh -c "[ '$dir' = '$want' ] || case '$dir' in */bash-completion/completions) true ;; *) false ;; esac"
bc=/usr/share/bash-completion/bash_completion
if [ -f "$bc" ]; then
    mkdir -p "$tmp/share/bash-completion/completions"
    cp "$comp/aavm" "$comp/aavm-helper" "$tmp/share/bash-completion/completions/"
    XDG_DATA_DIRS=$tmp/share bash --norc --noprofile -c '
        . "$1"
        __load_completion aavm && __load_completion aavm-helper && complete -p aavm aavm-helper
    ' bash "$bc" > "$tmp/loaded" 2>&1
    check "bash-completion loads the aavm completion" grep -qx "complete -F _aavm aavm" "$tmp/loaded"
    check "bash-completion loads the aavm-helper completion" \
        grep -qx "complete -F _aavm_helper aavm-helper" "$tmp/loaded"
elif [ "${AAVM_REQUIRE_BASH_COMPLETION:-0}" = 1 ]; then
    not_ok "bash-completion is installed ($bc)"
else
    echo "# bash-completion not installed: its loader is not tried"
fi
finish
