#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# po/ is complete: POTFILES.in names every source file with messages (and
# nothing else), and every language in LINGUAS translates every message of
# a catalogue extracted now from the sources, with no fuzzy entries and
# printf directives that match (msgfmt -c).
. "$AAVM_TESTS_SRCDIR/cli/lib.sh"

po=$top_srcdir/po
LC_ALL=C
export LC_ALL
for tool in xgettext msgmerge msgfmt; do
    command -v $tool > /dev/null 2>&1 || { echo "$tool is required (package gettext)" >&2; exit 99; }
done

# Source files that mark messages: _("..."), N_("..."), C_("ctx", "...").
(cd "$top_srcdir" && grep -l -E '(^|[^A-Za-z0-9_])(N?C?_|NC_|NG_)\(' helper/*/*.c helper/*/*.h |
    grep -v '^helper/base/aavm-i18n.h$' | sort) > "$tmp/marked" # that one defines the macros
grep -v -e '^#' -e '^$' "$po/POTFILES.in" | sort > "$tmp/listed"
grep -v -e '^#' -e '^$' "$po/POTFILES.in" > "$tmp/as-is"
check "POTFILES.in is sorted" cmp -s "$tmp/listed" "$tmp/as-is"
check "every file with messages is in POTFILES.in" sh -c "! comm -23 '$tmp/marked' '$tmp/listed' | grep ."
comm -23 "$tmp/marked" "$tmp/listed" | sed 's/^/  missing from POTFILES.in: /'
check "every file in POTFILES.in exists and has messages" sh -c "! comm -13 '$tmp/marked' '$tmp/listed' | grep ."
comm -13 "$tmp/marked" "$tmp/listed" | sed 's/^/  listed without messages: /'

(cd "$top_srcdir" && xgettext --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 --keyword=NG_:1,2 --from-code=UTF-8 \
    --add-comments=TRANSLATORS: --files-from=po/POTFILES.in -o "$tmp/aavm.pot")
check "xgettext extracts the catalogue" [ -s "$tmp/aavm.pot" ]
total=$(msgattrib --no-obsolete "$tmp/aavm.pot" | grep -c '^msgid "' )
total=$((total - 1)) # the header
check "the catalogue has messages ($total)" [ "$total" -gt 300 ]

linguas=$(grep -v '^#' "$po/LINGUAS" | tr -s ' \n' ' ')
for lang in de fr; do
    check "LINGUAS lists $lang" sh -c "echo ' $linguas ' | grep -q ' $lang '"
done
for lang in $linguas; do
    msgmerge -q --no-fuzzy-matching "$po/$lang.po" "$tmp/aavm.pot" -o "$tmp/$lang.po"
    stats=$(LC_ALL=C msgfmt -c --statistics -o /dev/null "$tmp/$lang.po" 2>&1)
    check "$lang: msgfmt -c accepts it" msgfmt -c -o /dev/null "$tmp/$lang.po"
    check "$lang: all $total messages translated ($stats)" [ "$stats" = "$total translated messages." ]
    # Nothing left over from messages the sources no longer have.
    obsolete=$(msgattrib --only-obsolete "$tmp/$lang.po" | grep -c '^#~ msgid' || :)
    check "$lang: po/$lang.po has no obsolete entries ($obsolete)" [ "$obsolete" -eq 0 ]
    check "$lang: the header names the language" grep -q "^\"Language: $lang\\\\n\"" "$po/$lang.po"
done

finish
