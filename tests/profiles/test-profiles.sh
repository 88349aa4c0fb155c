#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The shipped policy with the real parser: every abstraction, template
# (filled with a sample name), the helper's profile and the daemon examples
# (as substituted in the build tree) compile; the helper's profile grants
# writes only to the per-VM files and the cache, exec only of the parser,
# and the examples keep the daemon away from the parser and the profile
# directory. Each rule check is also run on a profile with a bad rule
# added, to show that it can fail.
. "$AAVM_TESTS_SRCDIR/cli/lib.sh"

if ! have_parser; then
    echo "apparmor_parser not found: skipping"
    exit 77
fi
LC_ALL=C
export LC_ALL

profiles=$top_srcdir/profiles
templates=$top_srcdir/templates
helper_profile=$builddir/profiles/aavm-helper
examples="$builddir/profiles/examples/libvirtd $builddir/profiles/examples/virtqemud"
mk=$builddir/Makefile
uuid=libvirt-8a7e6c3e-1f0b-4c1e-9d55-2f7e0d9c1a11

# The configure values the build substituted, from the generated Makefile.
make_var() {
    env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -f "$mk" -f - aavm-print-var VAR="$1" <<'EOF'
aavm-print-var:
	@printf '%s\n' '$($(VAR))'
EOF
}
profiledir=$(make_var profiledir)
cachedir=$(make_var aavmcachedir)
lockdir=$(make_var aavmlockdir)
apparmordir=$(make_var apparmordir)
helper_bin=$(make_var aavmlibexecdir)/aavm-helper
compat_path=$(make_var libvirtcompatpath)
if [ -z "$profiledir" ] || [ -z "$cachedir" ] || [ -z "$apparmordir" ]; then
    echo "cannot read the configure values from $mk" >&2
    exit 99
fi

compiles() { compile_profile "$1" > "$tmp/parser.log" 2>&1 || { cat "$tmp/parser.log"; return 1; }; }
fails_to_compile() { ! compile_profile "$1" > /dev/null 2>&1; }

# ---------------------------------------------------------------- compile
for a in libvirt-qemu libvirt-lxc; do
    printf 'abi <abi/3.0>,\ninclude <tunables/global>\nprofile t-%s {\n  include <abstractions/%s>\n}\n' \
        "$a" "$a" > "$tmp/abs-$a"
    check "abstractions/$a compiles" compiles "$tmp/abs-$a"
done

# A template filled as aavm does: the name, and the include of .files.
printf '  "/var/lib/libvirt/images/sample.qcow2" rwk,\n' > "$tmp/$uuid.files"
fill() {
    sed -e "s/profile LIBVIRT_TEMPLATE/profile $uuid/" \
        -e "\$s|^}|  include if exists \"$tmp/$uuid.files\"\\n}|" "$1"
}
for t in qemu lxc; do
    fill "$templates/TEMPLATE.$t" > "$tmp/filled-$t"
    check "TEMPLATE.$t filled with a sample name compiles" compiles "$tmp/filled-$t"
    names=$("$parser" -N -M /etc/apparmor.d/abi/3.0 -I "$profiles" -b /etc/apparmor.d "$tmp/filled-$t" 2>/dev/null)
    check "TEMPLATE.$t filled holds exactly profile $uuid" test "$names" = "$uuid"
done
# The real filler (aavm generate) on the demo domain, with these templates.
if "$builddir/helper/aavm" generate --profile -t "$templates" "$top_srcdir/docs/examples/demo.xml" \
        > "$tmp/demo.profile" 2> "$tmp/demo.err"; then
    check "aavm generate --profile with the shipped TEMPLATE.qemu compiles" compiles "$tmp/demo.profile"
else
    cat "$tmp/demo.err"
    not_ok "aavm generate --profile with the shipped TEMPLATE.qemu"
fi

check "the helper's profile was substituted (no @PLACEHOLDER@ left)" \
    sh -c '! grep -n "@[A-Z_]*@" "$1"' sh "$helper_profile"
check "the helper's profile compiles" compiles "$helper_profile"
# With --enable-libvirt-compat it attaches to the copy at libvirt's path too.
attach=$(make_var aavm_helper_attach)
check "the helper's profile attaches to the installed helper ($attach)" \
    sh -c 'case "$1" in "$2"|"/{${2#/},${3#/}}") grep -qF "profile aavm-helper $1 {" "$4" ;; *) false ;; esac' \
    sh "$attach" "$helper_bin" "$compat_path" "$helper_profile"
for e in $examples; do
    check "example $(basename "$e") was substituted" sh -c '! grep -n "@[A-Z_]*@" "$1"' sh "$e"
    check "example $(basename "$e") compiles" compiles "$e"
done

# Every shipped file pins the ABI; every profile and abstraction has its
# local/ override (the templates get theirs through the abstraction).
for f in "$profiles/abstractions/libvirt-qemu" "$profiles/abstractions/libvirt-lxc" \
         "$templates/TEMPLATE.qemu" "$templates/TEMPLATE.lxc" "$helper_profile" $examples; do
    n=${f#"$top_srcdir"/}; n=${n#"$builddir"/}
    check "$n pins abi <abi/3.0>" grep -q '^ *abi <abi/3.0>,$' "$f"
    case $n in
    templates/*)
        a=$(sed -n 's/^  include <abstractions\/\(libvirt-[a-z]*\)>$/\1/p' "$f")
        check "$n includes abstractions/$a, which includes local/abstractions/$a" \
            grep -q "^  include if exists <local/abstractions/$a>\$" "$profiles/abstractions/$a" ;;
    *)
        check "$n includes its local/ override if it exists" grep -q '^ *include if exists <local/' "$f" ;;
    esac
done

# The test of compiling can fail: a rule without its comma.
sed 's|^  /dev/kvm rw,$|  /dev/kvm rw|' "$profiles/abstractions/libvirt-qemu" > "$tmp/broken-abs"
printf 'abi <abi/3.0>,\nprofile t-broken {\n  include "%s"\n}\n' "$tmp/broken-abs" > "$tmp/broken"
check "a broken abstraction does not compile (the compile check can fail)" fails_to_compile "$tmp/broken"

# ---------------------------------------------------------------- rules
# The expanded rules (includes flattened by the parser) that allow (or,
# with "deny", deny) the permission letter $3 on the path $4: AppArmor
# globs turned into extended regular expressions. Variables not listed
# match anything, so the answer errs towards "granted".
rules_matching() { # FILE allow|deny LETTER PATH
    "$parser" -p -M /etc/apparmor.d/abi/3.0 -I "$profiles" -b /etc/apparmor.d "$1" 2> /dev/null |
    awk -v kind="$2" -v letter="$3" -v target="$4" '
    function ere(glob,    out, i, c, n, depth) {
        out = ""; depth = 0; n = length(glob)
        for (i = 1; i <= n; i++) {
            c = substr(glob, i, 1)
            if (c == "@" && substr(glob, i + 1, 1) == "{") {
                v = substr(glob, i); sub(/}.*/, "}", v); i += length(v) - 1
                if (v == "@{PROC}") out = out "/proc"
                else if (v == "@{sys}") out = out "/sys"
                else if (v == "@{run}") out = out "(/var)?/run"
                else if (v == "@{pid}" || v == "@{tid}") out = out "[0-9]+"
                else out = out ".*"
            } else if (c == "*" && substr(glob, i + 1, 1) == "*") { out = out ".*"; i++ }
            else if (c == "*") out = out "[^/]*"
            else if (c == "?") out = out "[^/]"
            else if (c == "{") { out = out "("; depth++ }
            else if (c == "}") { out = out ")"; depth-- }
            else if (c == "," && depth > 0) out = out "|"
            else if (c == "[") { j = index(substr(glob, i), "]"); out = out substr(glob, i, j); i += j - 1 }
            else if (c ~ /[.+()|^$\\]/) out = out "\\" c
            else out = out c
        }
        return "^" out "$"
    }
    {
        line = $0; sub(/#.*/, "", line); sub(/^[ \t]+/, "", line); sub(/[ \t]+$/, "", line)
        if (line == "") next
        denied = 0
        if (line ~ /^audit[ \t]/) sub(/^audit[ \t]+/, "", line)
        if (line ~ /^deny[ \t]/) { denied = 1; sub(/^deny[ \t]+/, "", line) }
        if (line ~ /^allow[ \t]/) sub(/^allow[ \t]+/, "", line)
        if (line ~ /^owner[ \t]/) sub(/^owner[ \t]+/, "", line)
        if ((kind == "deny") != denied) next
        if (line == "file,") { print $0; next }
        if (line ~ /^file[ \t]/) sub(/^file[ \t]+/, "", line)
        if (line ~ /^"/) { p = substr(line, 2); sub(/".*/, "", p); rest = line; sub(/^"[^"]*"[ \t]*/, "", rest) }
        else if (line ~ /^[\/@]/) { p = line; sub(/[ \t].*/, "", p); rest = line; sub(/^[^ \t]+[ \t]*/, "", rest) }
        else next
        perms = rest; sub(/[ \t,].*/, "", perms)
        if (perms !~ /^[rwaklmixpcuPCUI]+$/) next
        want = letter == "w" ? "[wa]" : letter
        if (perms ~ want && target ~ ere(p)) print $0
    }'
}
grants() { [ -n "$(rules_matching "$1" allow "$2" "$3")" ]; }
denies() { [ -n "$(rules_matching "$1" deny "$2" "$3")" ]; }
not_grants() {
    r=$(rules_matching "$1" allow "$2" "$3")
    [ -z "$r" ] || { echo "granted by: $r"; return 1; }
}

# What the helper may write: the per-VM files, their locks and the cache,
# nothing else.
for p in "$profiledir/$uuid" "$profiledir/$uuid.files" "$lockdir/" "$lockdir/$uuid.lock" \
         "$profiledir/$uuid.files.Ab12Cd" "$cachedir/" "$cachedir/0123abcd.0/$uuid"; do
    check "the helper may write $p" grants "$helper_profile" w "$p"
done
check "the helper may lock $lockdir/$uuid.lock" grants "$helper_profile" k "$lockdir/$uuid.lock"
check "the helper may not lock in the profile directory" not_grants "$helper_profile" k "$profiledir/$uuid.lock"
for p in /etc/passwd /etc/shadow /etc/ld.so.preload "$profiledir/TEMPLATE.qemu" \
         "$apparmordir/aavm-helper" "$apparmordir/abstractions/libvirt-qemu" \
         "$apparmordir/local/abstractions/libvirt-qemu" "$helper_bin" \
         /var/lib/libvirt/images/disk.qcow2 /srv/pool/disk.img /dev/sda; do
    check "the helper may not write $p" not_grants "$helper_profile" w "$p"
done
# Loading policy: the parser's child profile, not the helper itself.
sed '/^  profile apparmor_parser {/,/^  }/d' "$helper_profile" > "$tmp/helper-top"
check "the helper's child profile is there" sh -c '! cmp -s "$1" "$2"' sh "$helper_profile" "$tmp/helper-top"
check "the helper itself may not write /sys/kernel/security/apparmor/.replace" \
    not_grants "$tmp/helper-top" w /sys/kernel/security/apparmor/.replace
check "the parser's child profile may write /sys/kernel/security/apparmor/.replace" \
    grants "$helper_profile" w /sys/kernel/security/apparmor/.replace
# ... reads any disk image, wherever it is, but no secrets.
for p in /var/lib/libvirt/images/disk.qcow2 /srv/pool/vm.data /home/u/vm/disk /dev/dm-3; do
    check "the helper may read the image $p" grants "$helper_profile" r "$p"
done
for p in /etc/shadow /etc/ssh/ssh_host_ed25519_key /root/.ssh/id_ed25519 /etc/libvirt/secrets/x.base64; do
    check "the helper may not read $p" denies "$helper_profile" r "$p"
done
# ... runs the parser and nothing else.
check "the helper may run the parser" grants "$helper_profile" x "$(make_var APPARMOR_PARSER)"
for p in /bin/sh /usr/bin/qemu-system-x86_64 /usr/bin/python3 "$helper_bin"; do
    check "the helper may not run $p" not_grants "$helper_profile" x "$p"
done
# ... and only the parser's child profile may load policy.
top=$(sed -e 's/#.*//' "$tmp/helper-top")
check "the helper itself has no mac_admin" sh -c '! printf "%s\n" "$1" | grep -q mac_admin' sh "$top"
check "the helper has no dac_override (reads past file modes, never writes past them)" \
    sh -c '! printf "%s\n" "$1" | grep -q dac_override' sh "$top"
check "the parser's child profile may load policy" \
    sh -c 'sed -n "/^  profile apparmor_parser {/,/^  }/p" "$1" | grep -q "capability mac_admin,"' sh "$helper_profile"
# apparmor_parser reads the kernel release on every run (769 denials in one
# libvirt run without this rule).
check "the parser's child profile may read the kernel release" \
    sh -c 'sed -n "/^  profile apparmor_parser {/,/^  }/p" "$1" | grep -qF "@{PROC}/sys/kernel/osrelease r,"' sh "$helper_profile"

# The rule checks can fail: the same profile with one bad rule added.
bad() { sed "s|^  include if exists <local/aavm-helper>|  $1\\n&|" "$helper_profile" > "$tmp/bad"; }
bad '/** w,'
check "a profile with '/** w' is caught granting /etc/passwd" grants "$tmp/bad" w /etc/passwd
check "  (and still compiles, so only the rule check catches it)" compiles "$tmp/bad"
bad '/etc/{passwd,group} rw,'
check "a profile with '/etc/{passwd,group} rw' is caught" grants "$tmp/bad" w /etc/passwd
bad 'owner /etc/pass?d a,'
check "a profile with 'owner /etc/pass?d a' is caught" grants "$tmp/bad" w /etc/passwd
bad '/{usr/,}bin/* ix,'
check "a profile with '/{usr/,}bin/* ix' is caught running /bin/sh" grants "$tmp/bad" x /bin/sh
bad '/etc/passwd r,'
check "a read rule does not count as a write" not_grants "$tmp/bad" w /etc/passwd

# The daemon examples: run the helper in its profile, move VMs to theirs,
# and never run the parser, write the policy or load it.
for e in $examples; do
    n=$(basename "$e")
    check "$n runs the helper under its profile (Px -> aavm-helper)" \
        grep -q "^  $helper_bin Px -> aavm-helper,$" "$e"
    check "$n runs the compat copy under the helper's profile (Px -> aavm-helper)" \
        grep -q "^  $compat_path Px -> aavm-helper,$" "$e"
    # The daemon reads /proc entries of unconfined processes (14 denials
    # in one libvirt run without this rule).
    check "$n may read unconfined processes (ptrace read)" \
        grep -q "^  ptrace (read) peer=unconfined,$" "$e"
    check "$n may change to libvirt-<uuid> profiles" grep -q '^  change_profile -> libvirt-' "$e"
    check "$n is denied running the parser" denies "$e" x "$(make_var APPARMOR_PARSER)"
    check "$n is denied writing $profiledir/$uuid" denies "$e" w "$profiledir/$uuid"
    check "$n is denied writing $profiledir/TEMPLATE.qemu" denies "$e" w "$profiledir/TEMPLATE.qemu"
    check "$n is denied writing the cache" denies "$e" w "$cachedir/0123abcd.0/$uuid"
    check "$n is denied loading policy (mac_admin)" grep -q '^  audit deny capability mac_admin,$' "$e"
done

finish
