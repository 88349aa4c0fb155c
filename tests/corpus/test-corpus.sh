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
#
# The same rule-by-rule comparison is made against libvirt 11.3's helper
# (Debian 13), run at test time from its packages (tests/debian-suite.sh,
# through its own suite's loader) with -d -r as the 9.0 outputs were made;
# a line of rule-differences.txt whose reason starts with "[9.0]" or
# "[11.3]" applies to that reference only.  Skipped with a message when it
# cannot be fetched, unless AAVM_REQUIRE_PARSER_MATRIX=1.
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

total=0 accepted=0 refused=0 same_status=0
: > "$tmp/missing-all"
# Counters per reference (9.0, 11.3): files compared, reference rules,
# matched, deliberate differences used, unexplained gaps, extra rules.
for v in 9.0 11.3; do
    echo "0 0 0 0 0 0" > "$tmp/counts-$v"
    : > "$tmp/gaps-used-$v"
done

# compare VERSION NAME REFERENCE-RULES: every rule of that reference's
# output for NAME granted by our dry run ($tmp/dry), or listed.
compare() {
    v=$1 n=$2
    rules "$3" > "$tmp/ref.rules"
    rules "$tmp/dry" > "$tmp/our.rules"
    awk -F '\t' -v n="$n" -v v="$v" -v gapfile="$gaps" '
        BEGIN {
            while ((getline line < gapfile) > 0) {
                split(line, g, "\t")
                only = ""
                if (g[3] ~ /^\[[0-9.]+\] /) only = substr(g[3], 2, index(g[3], "]") - 2)
                if (g[1] == n && (only == "" || only == v)) gap[g[2]] = 1
            }
        }
        FILENAME == ARGV[1] { ours[$1] = $2; next }
        {
            covered = ($1 in ours)
            for (i = 1; covered && i <= length($2); i++)
                if (index(ours[$1], substr($2, i, 1)) == 0) covered = 0
            if (covered) print "matched\t" $1
            else if ($1 in gap) print "gap\t" $1
            else print "missing\t" $1 "\t" $2
        }' "$tmp/our.rules" "$tmp/ref.rules" > "$tmp/cmp"
    read -r c r m g u e < "$tmp/counts-$v"
    echo "$((c + 1)) $((r + $(wc -l < "$tmp/ref.rules"))) $((m + $(grep -c '^matched' "$tmp/cmp"))) \
$((g + $(grep -c '^gap' "$tmp/cmp"))) $((u + $(grep -c '^missing' "$tmp/cmp"))) \
$((e + $(awk -F '\t' 'FILENAME == ARGV[1] { r[$1] = 1; next } !($1 in r)' "$tmp/ref.rules" "$tmp/our.rules" | wc -l)))" > "$tmp/counts-$v"
    grep '^gap' "$tmp/cmp" | cut -f2 | sed "s|^|$n\t|" >> "$tmp/gaps-used-$v"
    grep '^missing' "$tmp/cmp" | cut -f2,3 | sed "s|^|$v\t$n\t|" >> "$tmp/missing-all"
    if grep -q '^missing' "$tmp/cmp"; then
        not_ok "$n: $v reference rules neither granted nor in rule-differences.txt: $(grep '^missing' "$tmp/cmp" | cut -f2- | tr '\t\n' ' ,')"
    else
        ok "$n: every $v reference rule granted or listed"
    fi
}

# libvirt 11.3's helper (Debian 13's libvirt-daemon and the libraries of
# libvirt0), its dry run of every corpus domain: $ref113/NAME.dry, .rc.
ref113=
debian=${AAVM_DEBIAN_DIR:-$builddir/tests/debian}
suite_sh=$srcdir/debian-suite.sh
if libs=$(sh "$suite_sh" "$debian" trixie apt-cache depends --recurse --no-recommends --no-suggests \
              --no-conflicts --no-breaks --no-replaces --no-enhances --no-pre-depends libvirt0 2> "$tmp/fetch.err" |
          grep -v -e '^ ' -e '^<' | sort -u) &&
   [ -n "$libs" ] &&
   # shellcheck disable=SC2086
   sh "$suite_sh" "$debian" trixie unpack libc6 libvirt-daemon $libs 2> "$tmp/fetch.err"; then
    ref113=$tmp/ref113
    mkdir "$ref113"
    for xml in "$corpus"/libvirt/*.xml; do
        n=$(basename "$xml" .xml)
        uuid=$(sed -n 's:.*<uuid>\(.*\)</uuid>.*:\1:p' "$xml" | head -n1 | tr 'A-F' 'a-f')
        sh "$suite_sh" "$debian" trixie ld-run usr/lib/libvirt/virt-aa-helper -d -r -u "libvirt-$uuid" \
            < "$xml" > /dev/null 2> "$ref113/$n.dry"
        echo $? > "$ref113/$n.rc"
    done
    echo "corpus: libvirt 11.3's virt-aa-helper ($(cat "$debian/trixie/root/.unpacked-libvirt-daemon")) ran on every domain"
elif [ "${AAVM_REQUIRE_PARSER_MATRIX:-0}" = 1 ]; then
    not_ok "libvirt 11.3's virt-aa-helper could not be fetched: $(cat "$tmp/fetch.err")"
else
    echo "libvirt 11.3's virt-aa-helper could not be fetched, its comparison is skipped: $(cat "$tmp/fetch.err")"
fi
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

    # Rule by rule against the reference's .files, and 11.3's dry run.
    [ $rc -eq 0 ] || continue
    [ ! -f "$corpus/reference/$n.files" ] || compare 9.0 "$n" "$corpus/reference/$n.files"
    # (An LXC domain's rules are only printed: the helper writes no .files
    # for LXC and TEMPLATE.lxc grants the container everything.)
    if [ -n "$ref113" ] && [ "$(cat "$ref113/$n.rc")" = 0 ] && grep -q '^  "' "$ref113/$n.dry" &&
       ! grep -q "<domain type=.lxc." "$xml"; then
        compare 11.3 "$n" "$ref113/$n.dry"
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

# Every listed difference must still be one, against the reference(s) it
# names (the 11.3 lines only when 11.3 was run).
awk -F '\t' '!/^#/ && NF >= 3 {
    only = ""; if ($3 ~ /^\[[0-9.]+\] /) only = substr($3, 2, index($3, "]") - 2)
    print (only == "" ? "any" : only) "\t" $1 "\t" $2 }' "$gaps" > "$tmp/gaps-listed"
{ sed 's/^/9.0\t/' "$tmp/gaps-used-9.0"; sed 's/^/11.3\t/' "$tmp/gaps-used-11.3"
  cat "$tmp/gaps-used-9.0" "$tmp/gaps-used-11.3" | sed 's/^/any\t/'; } | sort -u > "$tmp/gaps-used"
stale=$(awk -F '\t' -v ran113="$ref113" '$1 != "11.3" || ran113 != ""' "$tmp/gaps-listed" | sort -u | comm -23 - "$tmp/gaps-used")
check "rule-differences.txt has no stale lines" [ -z "$stale" ]
[ -z "$stale" ] || echo "stale: $stale"

# To list the gaps for review: AAVM_CORPUS_REPORT=FILE make check.
[ -z "${AAVM_CORPUS_REPORT:-}" ] || cp "$tmp/missing-all" "$AAVM_CORPUS_REPORT" 2>/dev/null || : > "$AAVM_CORPUS_REPORT"
echo "corpus: $total domains: $accepted accepted and compiled, $refused refused as listed"
echo "corpus: aavm-helper -d -r exit status equal to the reference for $same_status of $total"
for v in 9.0 11.3; do
    [ "$v" = 9.0 ] || [ -n "$ref113" ] || continue
    read -r compared ref_rules matched gapped unexplained extra < "$tmp/counts-$v"
    echo "corpus: libvirt $v: files compared rule by rule: $compared; reference rules: $ref_rules, matched by ours: $matched, deliberate differences used: $gapped, unexplained gaps: $unexplained; extra rules we add: $extra"
done
if [ -n "$ref113" ]; then
    same=0
    for st in "$ref113"/*.rc; do
        n=$(basename "$st" .rc)
        ours=$("$H" --profile-dir "$tmp/pd" -d -r -u "libvirt-$(sed -n 's:.*<uuid>\(.*\)</uuid>.*:\1:p' "$corpus/libvirt/$n.xml" | head -n1 | tr 'A-F' 'a-f')" \
               < "$corpus/libvirt/$n.xml" > /dev/null 2>&1; echo $?)
        [ "$ours" != "$(cat "$st")" ] || same=$((same + 1))
    done
    echo "corpus: libvirt 11.3: aavm-helper -d -r exit status equal to 11.3's for $same of $total"
fi
echo "corpus: the reference refuses $ref_refused domains; aavm-helper -c refuses $we_refuse of them and accepts $((ref_refused - we_refuse)), each as reference-refusals.txt says"
finish
