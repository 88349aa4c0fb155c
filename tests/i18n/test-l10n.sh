#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The translations are used: aavm run under LANGUAGE=de (and fr) prints its
# messages, from the program and from the library, in that language, while
# the rules it generates stay byte for byte the same in every language.
# tests/i18n/aavm-l10n is helper/aavm reading its catalogues from the build
# tree (tests/i18n/locale), built from po/*.po by make check.
. "$AAVM_TESTS_SRCDIR/cli/lib.sh"

L=$builddir/tests/i18n/aavm-l10n
demo=$top_srcdir/docs/examples/demo.xml
etc_fail=$srcdir/data/disk-etc-fail.xml
# LANGUAGE is honoured only when the locale is not "C"; C.UTF-8 is built
# into glibc, so no locale has to be generated.
in_lang() { lang=$1; shift; LC_ALL=C.UTF-8 LANGUAGE=$lang "$@"; }

for f in de fr; do
    check "the $f catalogue was built" [ -s "$builddir/tests/i18n/locale/$f/LC_MESSAGES/aavm.mo" ]
done

in_lang de "$L" frobnicate > /dev/null 2> "$tmp/err"
check "de: a usage error still exits 2" [ $? -eq 2 ]
check "de: the program's own message is German" grep -qxF "aavm: Unbekanntes Verb 'frobnicate'." "$tmp/err"
check "de: the usage text is German" grep -q "^Aufruf: aavm VERB" "$tmp/err"

in_lang de "$L" generate "$etc_fail" > /dev/null 2> "$tmp/err"
check "de: a refused domain exits 1" [ $? -eq 1 ]
check "de: the library's path policy message is German" \
    grep -qF "Der Pfad '/etc/shadow' liegt unter dem gesperrten Verzeichnis '/etc'" "$tmp/err"
check "de: the English text is gone" sh -c "! grep -q 'is under the restricted directory' '$tmp/err'"

in_lang de "$L" generate --help > "$tmp/help"
check "de: option help is German" grep -q "Regeln" "$tmp/help"

# aavm denial --json: the advice is German, the fix as data is not translated.
data=$srcdir/data/denial
mkdir "$tmp/run" "$tmp/profiles"
fields='import json, sys; print(json.dumps([(e["rule"], e["rule_in"], e["xml"], e["xml_action"]) for e in json.load(open(sys.argv[1]))["vms"][0]["entries"]]))'
for lang in de en; do
    in_lang $lang "$L" denial --json --profile-dir "$tmp/profiles" --libvirt-run-dir "$tmp/run" \
        --libvirt-config-dir "$data/libvirt" "$data/auditd.log" > "$tmp/denial-$lang.json"
    python3 -c "$fields" "$tmp/denial-$lang.json" > "$tmp/fields-$lang"
done
check "de: denial --json's advice is German" grep -q "Fügen Sie\\|Entfernen Sie\\|hinzu" "$tmp/denial-de.json"
check "de: denial --json's rule and xml fields are the English run's" cmp -s "$tmp/fields-de" "$tmp/fields-en"
check "de: denial --json has rule lines at all" grep -q "added for an AppArmor denial" "$tmp/fields-de"

in_lang fr "$L" frobnicate > /dev/null 2> "$tmp/err"
check "fr: the program's own message is French" grep -qxF "aavm: Verbe inconnu 'frobnicate'." "$tmp/err"
in_lang fr "$L" generate "$etc_fail" > /dev/null 2> "$tmp/err"
check "fr: the library's path policy message is French" \
    grep -qF "Le chemin '/etc/shadow' est sous le répertoire restreint '/etc'" "$tmp/err"

# Controls: in the C locale, or without LANGUAGE, the messages are English.
LC_ALL=C LANGUAGE=de "$L" frobnicate > /dev/null 2> "$tmp/err"
check "C locale: LANGUAGE is ignored, English" grep -qxF "aavm: Unknown verb 'frobnicate'." "$tmp/err"
LC_ALL=C.UTF-8 "$L" frobnicate > /dev/null 2> "$tmp/err"
check "no LANGUAGE: English" grep -qxF "aavm: Unknown verb 'frobnicate'." "$tmp/err"

# What goes into a profile does not depend on the language.
LC_ALL=C "$L" generate "$demo" > "$tmp/c.files"
in_lang de "$L" generate "$demo" > "$tmp/de.files"
in_lang fr "$L" generate "$demo" > "$tmp/fr.files"
check "the rules are generated" grep -q '^  "/var/lib/libvirt/images/demo.qcow2" rwk,$' "$tmp/c.files"
check "de: the same rules, byte for byte" cmp -s "$tmp/c.files" "$tmp/de.files"
check "fr: the same rules, byte for byte" cmp -s "$tmp/c.files" "$tmp/fr.files"

finish
