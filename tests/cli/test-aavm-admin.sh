#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The admin verbs: aavm status, aavm complain, aavm enforce, run as an
# administrator runs them (a recording stand-in for the parser via --parser,
# a temporary --profile-dir), and the real parser on a flipped profile.
. "$AAVM_TESTS_SRCDIR/cli/lib.sh"

A=$builddir/helper/aavm
H=$builddir/helper/aavm-helper
uuid=00000000-0000-4000-8000-000000000001
uuid2=00000000-0000-4000-8000-000000000002
name=libvirt-$uuid
pd=$tmp/profiles
prof=$pd/$name
cache=$tmp/cache
log=$tmp/parser.log
mkdir "$pd" "$tmp/run" "$tmp/etc"
cp "$top_srcdir/templates/TEMPLATE.qemu" "$pd/"

stub=$tmp/parser-stub
cat > "$stub" <<STUB
#!/bin/sh
echo "\$*" >> "$log"
exit \$(cat "$tmp/parser.status" 2>/dev/null || echo 0)
STUB
chmod +x "$stub"

# A stand-in for AppArmor's securityfs directory: the kernel's list of
# loaded profiles, one "name (mode)" a line.
sec=$tmp/securityfs
mkdir "$sec"
: > "$sec/profiles"
real_status() { "$A" status --profile-dir "$pd" --cache-dir "$cache" --libvirt-run-dir "$tmp/run" \
    --libvirt-config-dir "$tmp/etc" "$@"; }
status() { real_status --apparmor-dir "$sec" "$@"; }
mode() { "$A" "$1" --profile-dir "$pd" --lock-dir "$tmp/lock" --parser "$stub" --cache-dir "$cache" "$2"; }
header() { grep "^profile $name " "$prof"; }

# A profile as aavm-helper makes it, with an admin's edits.
sed "s/<uuid>.*<\/uuid>/<uuid>$uuid<\/uuid>/" "$top_srcdir/docs/examples/demo.xml" > "$tmp/demo.xml"
"$H" --profile-dir "$pd" --lock-dir "$tmp/lock" --parser "$stub" --assume-apparmor --cache-dir "$cache" -c -u $name < "$tmp/demo.xml" 2> "$tmp/err"
check "aavm-helper -c makes the profile" [ -s "$prof" ]
cat >> "$prof" <<'EOF2'
# admin: a comment that stays
EOF2
sed -i "s|^}|  /srv/admin-data/** rw,  # admin rule, flags=(complain) in a comment\n}|" "$prof"
cp "$prof" "$tmp/original"
rm -f "$log"

# --- usage
"$A" --help > "$tmp/out"
check "--help lists status, complain and enforce" \
    sh -c "grep -q '^  status ' '$tmp/out' && grep -q '^  complain ' '$tmp/out' && grep -q '^  enforce ' '$tmp/out'"
"$A" status --help > "$tmp/out"
check "status --help defines stale" grep -q "stale (changed)" "$tmp/out"
"$A" complain > /dev/null 2>&1
check "complain without a UUID exit 2" [ $? -eq 2 ]
"$A" complain $uuid $uuid > /dev/null 2>&1
check "complain with two UUIDs exit 2" [ $? -eq 2 ]
"$A" complain --profile-dir "$pd" libvirt-123 > /dev/null 2> "$tmp/err"
check "a malformed name exit 2" [ $? -eq 2 ]
check "a malformed name is named" grep -q "'libvirt-123' is not a valid profile name" "$tmp/err"
"$A" enforce --profile-dir "$pd" 00000000-0000-4000-8000-00000000000G > /dev/null 2>&1
check "a malformed UUID exit 2" [ $? -eq 2 ]
"$A" enforce --profile-dir relative $uuid > /dev/null 2>&1
check "a relative --profile-dir exit 2" [ $? -eq 2 ]
"$A" status extra > /dev/null 2>&1
check "status with an argument exit 2" [ $? -eq 2 ]
"$A" status --bogus > /dev/null 2>&1
check "status with an unknown option exit 2" [ $? -eq 2 ]
check "usage errors ran no parser" [ ! -e "$log" ]

# --- status on a fresh profile
status > "$tmp/out"
check "status exit 0" [ $? -eq 0 ]
check "status lists the VM by its .files name" grep -qE "^$uuid +demo +" "$tmp/out"
check "status: enforce, .files current" grep -qE "^$uuid .* enforce +current$" "$tmp/out"
check "status lists one VM" [ "$(grep -c '^0000' "$tmp/out")" -eq 1 ]
check "status: not loaded" grep -qE "^$uuid +demo +no +- +enforce" "$tmp/out"
echo "$name (complain)" > "$sec/profiles"
status > "$tmp/out"
check "status: loaded in complain mode, as the kernel says" grep -qE "^$uuid +demo +yes +complain +enforce" "$tmp/out"
: > "$sec/profiles"

# --- exit statuses, as aa-status: 3 no control files, 4 not permitted, 42 no profile directory
status --apparmor-dir "$tmp/no-securityfs" > "$tmp/out"
check "no profile list: exit 3" [ $? -eq 3 ]
check "no profile list: the profiles are still listed" grep -qE "^$uuid +demo +unknown +unknown +enforce" "$tmp/out"
# Not permitted: as another user than root (in a user namespace when we are root).
as_user=
if [ "$(id -u)" = 0 ]; then
    unshare --user true 2> /dev/null && as_user="unshare --user"
fi
if [ "$(id -u)" != 0 ] || [ -n "$as_user" ]; then
    chmod 000 "$sec/profiles"
    $as_user "$A" status --profile-dir "$pd" --apparmor-dir "$sec" > "$tmp/out" 2>&1
    check "an unreadable profile list: exit 4" [ $? -eq 4 ]
    check "an unreadable profile list: the profiles are still listed" grep -qE "^$uuid +demo +unknown" "$tmp/out"
    chmod 644 "$sec/profiles"
fi
status --profile-dir "$tmp/missing" > /dev/null 2> "$tmp/err"
check "a missing profile directory: exit 42" [ $? -eq 42 ]
status --json --apparmor-dir "$tmp/no-securityfs" > /dev/null
check "status --json follows the same exit statuses" [ $? -eq 3 ]

# The machine may or may not have AppArmor: the first line says which, and
# the exit status matches it.
real_status > "$tmp/out"
rc=$?
if head -n1 "$tmp/out" | grep -q "^AppArmor not enabled (.*)$"; then
    apparmor=no
    check "without AppArmor, loaded and mode are unknown" grep -qE "^$uuid +demo +unknown +unknown +enforce" "$tmp/out"
    case $(head -n1 "$tmp/out") in
        *"securityfs is not mounted"*) want=3 ;;
        *"Not permitted"*) want=4 ;;
        *) want=1 ;;
    esac
    check "without AppArmor, status exits $want as aa-status" [ $rc -eq $want ]
    if command -v aa-status > /dev/null 2>&1 && [ $want = 1 ]; then
        aa-status > /dev/null 2>&1
        check "aa-status agrees (exit 1)" [ $? -eq 1 ]
    fi
else
    apparmor=yes
    check "the first line says AppArmor is enabled" sh -c "head -n1 '$tmp/out' | grep -q '^AppArmor enabled'"
    check "with AppArmor, status exits 0 or 4 (not root)" [ $rc -eq 0 ] || [ $rc -eq 4 ]
fi
status --json > "$tmp/json"
check "status --json exit 0" [ $? -eq 0 ]
check "status --json is one line" [ "$(wc -l < "$tmp/json")" -eq 1 ]
check "status --json names the VM" grep -qF "\"uuid\":\"$uuid\",\"name\":\"demo\"" "$tmp/json"
check "status --json: profile mode and files" grep -qF '"profile_mode":"enforce","files":"current","files_stale":false' "$tmp/json"
if command -v python3 > /dev/null 2>&1; then
    check "status --json parses as JSON" python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert len(d['vms'])==1" "$tmp/json"
fi

# The VM manager's XML names the VM first.
printf '<domstatus><domain type="kvm"><name>running-name</name><uuid>%s</uuid></domain></domstatus>\n' \
    $uuid > "$tmp/run/qemu.xml"
mkdir "$tmp/run/qemu" && mv "$tmp/run/qemu.xml" "$tmp/run/qemu/running-name.xml"
status > "$tmp/out"
check "status prefers the running domain's XML" grep -qE "^$uuid +running-name +" "$tmp/out"

# --- complain
mode complain $uuid > "$tmp/out" 2> "$tmp/err"
check "complain exit 0" [ $? -eq 0 ]
check "complain says so" grep -qF "The profile '$name' is now in complain mode and reloaded." "$tmp/out"
check "complain sets the flag" [ "$(header)" = "profile $name flags=(attach_disconnected,complain) {" ]
check "complain changes only the header line" \
    sh -c "diff '$tmp/original' '$prof' | grep -c '^[<>]' | grep -qx 2"
check "complain reloads once with the cache" [ "$(cat "$log")" = "-r -W -L $cache $prof" ]
check "the profile stays 0644" [ "$(stat -c %a "$prof")" = 644 ]
check "no temporary file is left" [ -z "$(ls "$pd" | grep -v -e TEMPLATE -e "^$name\$" -e "^$name.files\$")" ]
status > "$tmp/out"
check "status shows the complain flag" grep -qE "^$uuid .* complain +current$" "$tmp/out"

rm -f "$log"
mode complain "$name" > "$tmp/out"
check "complain again exit 0" [ $? -eq 0 ]
check "complain again says already" grep -qF "The profile '$name' is already in complain mode." "$tmp/out"
check "complain again runs no parser" [ ! -e "$log" ]

# A VM restart regenerates .files but keeps the profile, and so the flag.
"$H" --profile-dir "$pd" --lock-dir "$tmp/lock" --parser "$stub" --assume-apparmor --cache-dir "$cache" -r -u $name < "$tmp/demo.xml"
check "aavm-helper -r keeps the complain flag" [ "$(header)" = "profile $name flags=(attach_disconnected,complain) {" ]

# The real parser accepts the flipped profile.
if have_parser; then
    cp "$prof" "$tmp/complain-profile"
    check "the complain profile compiles with apparmor_parser" compile_profile "$tmp/complain-profile"
fi

# --- enforce
rm -f "$log"
mode enforce $uuid > "$tmp/out"
check "enforce exit 0" [ $? -eq 0 ]
check "enforce says so" grep -qF "The profile '$name' is now in enforce mode and reloaded." "$tmp/out"
check "complain then enforce gives back the very bytes" cmp -s "$tmp/original" "$prof"
check "enforce reloads once" [ "$(cat "$log")" = "-r -W -L $cache $prof" ]
rm -f "$log"
mode enforce $uuid > "$tmp/out"
check "enforce again says already" grep -qF "The profile '$name' is already in enforce mode." "$tmp/out"
check "enforce again runs no parser" [ ! -e "$log" ]

# --no-reload: the flag only.
"$A" complain --profile-dir "$pd" --lock-dir "$tmp/lock" --parser "$stub" --no-reload $uuid > "$tmp/out"
check "complain --no-reload exit 0" [ $? -eq 0 ]
check "complain --no-reload says it did not reload" grep -q "not reloaded" "$tmp/out"
check "complain --no-reload sets the flag" grep -q "^profile $name flags=(attach_disconnected,complain) {" "$prof"
check "complain --no-reload runs no parser" [ ! -e "$log" ]
mode enforce $uuid > /dev/null

# --- failures
echo 1 > "$tmp/parser.status"
mode complain $uuid > "$tmp/out" 2> "$tmp/err"
check "a failing parser exit 1" [ $? -eq 1 ]
check "a failing parser puts the old profile back" cmp -s "$tmp/original" "$prof"
check "a failing parser is named" grep -q "^aavm: apparmor_parser -r failed with exit status 1" "$tmp/err"
rm -f "$tmp/parser.status" "$log"
mode complain $uuid2 > /dev/null 2> "$tmp/err"
check "a missing profile exit 1" [ $? -eq 1 ]
check "a missing profile is named" grep -q "libvirt-$uuid2' does not exist" "$tmp/err"
sed "s/flags=(attach_disconnected)/flags=(attach_disconnected,kill)/" "$tmp/original" > "$prof"
cp "$prof" "$tmp/kill"
mode complain $uuid > /dev/null 2> "$tmp/err"
check "a kill profile is refused, exit 1" [ $? -eq 1 ]
check "the refusal names the flag" grep -q "mode flag 'kill'" "$tmp/err"
check "a refused profile is unchanged" cmp -s "$tmp/kill" "$prof"
check "failures ran no parser" [ ! -e "$log" ]
cp "$tmp/original" "$prof"

# Stale .files: missing, then changed after the last compile.
mv "$pd/$name.files" "$tmp/files.saved"
status > "$tmp/out"
check "a missing .files is stale" grep -qE "^$uuid .* stale \(missing\)$" "$tmp/out"
mv "$tmp/files.saved" "$pd/$name.files"
if have_parser; then
    # The real parser's cache entry carries the newest source's time.
    "$parser" -Q -W -L "$cache" -M /etc/apparmor.d/abi/3.0 -I "$top_srcdir/profiles" \
        -b /etc/apparmor.d "$prof" > /dev/null 2>&1
    if ls "$cache"/*/"$name" > /dev/null 2>&1; then
        status > "$tmp/out"
        check "after a compile, .files is current" grep -qE "^$uuid .* current$" "$tmp/out"
        touch -d "+1 minute" "$pd/$name.files"
        status > "$tmp/out"
        check "a .files newer than the cache entry is stale" grep -qE "^$uuid .* stale \(changed\)$" "$tmp/out"
    else
        not_ok "the real parser wrote no cache entry for the profile"
    fi
    # Without AppArmor, the real parser cannot reload: clear error, nothing changed.
    if [ $apparmor = no ]; then
        cp "$prof" "$tmp/before"
        "$A" complain --profile-dir "$pd" --lock-dir "$tmp/lock" --parser "$parser" --cache-dir "$cache" $uuid > /dev/null 2> "$tmp/err"
        check "without AppArmor, a real reload fails with exit 1" [ $? -eq 1 ]
        check "the error says AppArmor is not enabled" grep -q "AppArmor not enabled" "$tmp/err"
        check "the profile is unchanged" cmp -s "$tmp/before" "$prof"
    fi
fi

# No profiles at all.
rm -f "$pd"/libvirt-*
status > "$tmp/out"
check "status on an empty directory exit 0" [ $? -eq 0 ]
check "status says there are none" grep -qF "No per-VM profiles in '$pd'." "$tmp/out"
"$A" status --profile-dir "$tmp/missing" --apparmor-dir "$sec" > /dev/null 2> "$tmp/err"
check "a missing profile directory exit 42" [ $? -eq 42 ]
finish
