#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Every domain of the shared corpus (libvirt's own test XMLs): aavm either
# generates a profile that the real apparmor_parser compiles, or refuses
# the domain with the error listed in expected-refusals.txt.  aavm-helper's
# dry run must agree, and its exit status must equal the reference
# virt-aa-helper's unless status-differences.txt explains why not.  Every
# rule the reference generated must be granted by ours (same path, at least
# its permissions) unless rule-differences.txt, the reviewed table of
# deliberate differences, lists it with a reason; what is neither is an
# unexplained gap and fails the test.  The domains the reference refuses to
# make a profile for are run through aavm-helper -c and must get the verdict
# reference-refusals.txt gives.
. "$AAVM_TESTS_SRCDIR/cli/lib.sh"

corpus=${AAVM_CORPUS_DIR:-$top_srcdir/../shared/corpus}
if [ ! -d "$corpus/libvirt" ]; then
    if [ "${AAVM_REQUIRE_CORPUS:-0}" = 1 ]; then
        echo "the corpus is required but '$corpus' has none" >&2
        exit 99
    fi
    echo "no corpus at '$corpus': skipped"
    exit 77
fi
have_parser || { echo "no apparmor_parser: skipped"; exit 77; }

A=$builddir/helper/aavm
H=$builddir/helper/aavm-helper
refusals=$srcdir/corpus/expected-refusals.txt
differences=$srcdir/corpus/status-differences.txt
gaps=$srcdir/corpus/rule-differences.txt
ref_refusals=$srcdir/corpus/reference-refusals.txt
mkdir "$tmp/pd"
# lookup FILE NAME: the second column of NAME's line in a tab-separated table.
lookup() { awk -F '\t' -v n="$2" '$1 == n { print $2; exit }' "$1"; }
# rules FILE: "path<TAB>perms" of every plain rule line, paths unescaped.
rules() {
    sed -n 's/^  "\(.*\)" \([a-z]*\),.*$/\1\t\2/p' "$1" | sed 's/\\\(.\)/\1/g'
}

total=0 accepted=0 refused=0 same_status=0 compared=0 ref_rules=0 matched=0 gapped=0 extra=0 unexplained=0
: > "$tmp/gaps-used"
: > "$tmp/missing-all"
for xml in "$corpus"/libvirt/*.xml; do
    n=$(basename "$xml" .xml)
    total=$((total + 1))
    uuid=$(sed -n 's:.*<uuid>\(.*\)</uuid>.*:\1:p' "$xml" | head -n1 | tr 'A-F' 'a-f')
    "$A" generate "$xml" > "$tmp/files" 2> "$tmp/err"
    rc=$?
    # The whole profile from the shipped template; drivers we ship no
    # template for (xen) get their rules compiled in a bare profile.
    if [ $rc -eq 0 ] && ! "$A" generate --profile -t "$top_srcdir/templates" "$xml" > "$tmp/profile" 2> /dev/null; then
        { printf 'abi <abi/3.0>,\ninclude <tunables/global>\nprofile corpus-test {\n'
          cat "$tmp/files"; printf '}\n'; } > "$tmp/profile"
    fi
    want=$(lookup "$refusals" "$n")
    if [ $rc -eq 0 ]; then
        accepted=$((accepted + 1))
        if [ -n "$want" ]; then
            not_ok "$n: accepted, but expected-refusals.txt says it is refused"
        elif compile_profile "$tmp/profile" > "$tmp/parser.out" 2>&1; then
            ok "$n: generated and compiled"
        else
            not_ok "$n: apparmor_parser refused the profile: $(cat "$tmp/parser.out")"
        fi
    else
        refused=$((refused + 1))
        if [ -z "$want" ]; then
            not_ok "$n: refused unexpectedly: $(cat "$tmp/err")"
        elif grep -qF -- "$want" "$tmp/err"; then
            ok "$n: refused as expected"
        else
            not_ok "$n: refused, but not with '$want': $(cat "$tmp/err")"
        fi
    fi

    # The drop-in's dry run must agree with generate, and with the reference.
    "$H" --profile-dir "$tmp/pd" -d -r -u "libvirt-$uuid" < "$xml" > /dev/null 2> "$tmp/dry"
    drc=$?
    [ $drc -eq $rc ] || not_ok "$n: aavm-helper -d -r exit $drc but aavm generate exit $rc"
    ref=$(sed -n 's/^dryrun_exit_status: //p' "$corpus/reference/$n.status")
    why=$(lookup "$differences" "$n")
    if [ "$ref" = "$drc" ]; then
        same_status=$((same_status + 1))
        [ -z "$why" ] || not_ok "$n: status-differences.txt lists it, but the exit status is the reference's"
    elif [ -z "$why" ]; then
        not_ok "$n: aavm-helper -d -r exit $drc, the reference $ref, and status-differences.txt does not say why"
    fi

    # Rule by rule against the reference's .files.
    [ $rc -eq 0 ] && [ -f "$corpus/reference/$n.files" ] || continue
    rules "$corpus/reference/$n.files" > "$tmp/ref.rules"
    rules "$tmp/dry" > "$tmp/our.rules"
    awk -F '\t' -v n="$n" -v gapfile="$gaps" '
        BEGIN { while ((getline line < gapfile) > 0) { split(line, g, "\t"); if (g[1] == n) gap[g[2]] = 1 } }
        FNR == NR { ours[$1] = $2; next }
        {
            covered = ($1 in ours)
            for (i = 1; covered && i <= length($2); i++)
                if (index(ours[$1], substr($2, i, 1)) == 0) covered = 0
            if (covered) print "matched\t" $1
            else if ($1 in gap) print "gap\t" $1
            else print "missing\t" $1 "\t" $2
        }' "$tmp/our.rules" "$tmp/ref.rules" > "$tmp/cmp"
    compared=$((compared + 1))
    ref_rules=$((ref_rules + $(wc -l < "$tmp/ref.rules")))
    unexplained=$((unexplained + $(grep -c '^missing' "$tmp/cmp")))
    matched=$((matched + $(grep -c '^matched' "$tmp/cmp")))
    gapped=$((gapped + $(grep -c '^gap' "$tmp/cmp")))
    extra=$((extra + $(awk -F '\t' 'FNR == NR { r[$1] = 1; next } !($1 in r)' "$tmp/ref.rules" "$tmp/our.rules" | wc -l)))
    grep '^gap' "$tmp/cmp" | cut -f2 | sed "s|^|$n\t|" >> "$tmp/gaps-used"
    grep '^missing' "$tmp/cmp" | cut -f2,3 | sed "s|^|$n\t|" >> "$tmp/missing-all"
    if grep -q '^missing' "$tmp/cmp"; then
        not_ok "$n: reference rules neither granted nor in rule-differences.txt: $(grep '^missing' "$tmp/cmp" | cut -f2- | tr '\t\n' ' ,')"
    else
        ok "$n: every reference rule granted or listed"
    fi
done

# The domains the reference refuses to make a profile for: aavm-helper -c.
printf '#!/bin/sh\nexit 0\n' > "$tmp/parser-stub"
chmod +x "$tmp/parser-stub"
ref_refused=0 we_refuse=0 we_accept=0
grep -v '^#' "$ref_refusals" | while IFS='	' read -r n verdict want why; do
    xml=$corpus/libvirt/$n.xml
    uuid=$(sed -n 's:.*<uuid>\(.*\)</uuid>.*:\1:p' "$xml" | head -n1 | tr 'A-F' 'a-f')
    rm -rf "$tmp/cpd" && mkdir "$tmp/cpd" && cp "$top_srcdir"/templates/TEMPLATE.* "$tmp/cpd/"
    "$H" --profile-dir "$tmp/cpd" --lock-dir "$tmp/lock" --parser "$tmp/parser-stub" --assume-apparmor --cache-dir "$tmp/cache" -c -u "libvirt-$uuid" < "$xml" > /dev/null 2> "$tmp/cerr"
    crc=$?
    case $verdict in
    refuse) if [ $crc -eq 1 ] && grep -qF -- "$want" "$tmp/cerr"; then ok "$n: -c refused like the reference ($want)"
            else not_ok "$n: -c exit $crc, expected a refusal with '$want': $(cat "$tmp/cerr")"; fi ;;
    accept) if [ $crc -eq 0 ]; then ok "$n: -c accepted (the reference refuses)"
            else not_ok "$n: -c exit $crc, expected acceptance: $(cat "$tmp/cerr")"; fi ;;
    *) not_ok "$n: unknown verdict '$verdict' in reference-refusals.txt" ;;
    esac
done > "$tmp/refusal-checks"
cat "$tmp/refusal-checks"
passed=$((passed + $(grep -c '^ok' "$tmp/refusal-checks")))
failed=$((failed + $(grep -c '^not ok' "$tmp/refusal-checks")))
listed_refusals=$(grep -v '^#' "$ref_refusals" | cut -f1 | sort | tr '\n' ' ')
actual_refusals=$(grep -l '^exit_status: 1' "$corpus"/reference/*.status | xargs -n1 basename | sed 's/\.status$//' | sort | tr '\n' ' ')
check "reference-refusals.txt lists exactly the reference's refusals" [ "$listed_refusals" = "$actual_refusals" ]
ref_refused=$(echo $actual_refusals | wc -w)
we_refuse=$(grep -v '^#' "$ref_refusals" | cut -f2 | grep -c '^refuse$')

# Every listed difference must still be one.
cut -f1,2 "$gaps" | grep -v '^#' | grep -v '^$' | sort > "$tmp/gaps-listed"
sort "$tmp/gaps-used" > "$tmp/gaps-used.sorted"
stale=$(comm -23 "$tmp/gaps-listed" "$tmp/gaps-used.sorted")
check "rule-differences.txt has no stale lines" [ -z "$stale" ]
[ -z "$stale" ] || echo "stale: $stale"

# To list the gaps for review: AAVM_CORPUS_REPORT=FILE make check.
[ -z "${AAVM_CORPUS_REPORT:-}" ] || cp "$tmp/missing-all" "$AAVM_CORPUS_REPORT" 2>/dev/null || : > "$AAVM_CORPUS_REPORT"
echo "corpus: $total domains: $accepted accepted and compiled, $refused refused as listed"
echo "corpus: aavm-helper -d -r exit status equal to the reference for $same_status of $total"
echo "corpus: files compared rule by rule: $compared; reference rules: $ref_rules, matched by ours: $matched, deliberate differences used: $gapped, unexplained gaps: $unexplained; extra rules we add: $extra"
echo "corpus: the reference refuses $ref_refused domains; aavm-helper -c refuses $we_refuse of them and accepts $((ref_refused - we_refuse)), each as reference-refusals.txt says"
finish
