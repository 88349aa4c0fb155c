#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The aavm-helper contract, run as the VM manager runs it: modes, options,
# stdin, files in the profile directory, parser calls and exit codes.
. "$AAVM_TESTS_SRCDIR/cli/lib.sh"

. "$AAVM_TESTS_SRCDIR/cli/helper-env.sh"

# A recording stand-in for apparmor_parser: logs its arguments and its
# environment, exits with the status in parser.status (0 by default).
stub=$tmp/parser-stub
cat > "$stub" <<STUB
#!/bin/sh
echo "\$*" >> "$log"
env > "$tmp/parser.env"
exit \$(cat "$tmp/parser.status" 2>/dev/null || echo 0)
STUB
chmod +x "$stub"

xml=$srcdir/data/chardev-all-kinds.xml
disk_xml=$srcdir/data/disk-file.xml
cache=$tmp/cache
# The stub stands in for the kernel too: --assume-apparmor skips
# aa_is_enabled() (this machine has no AppArmor kernel).
run() { "$H" --profile-dir "$pd" --lock-dir "$tmp/lock" --parser "$stub" --assume-apparmor --cache-dir "$cache" "$@"; }
reset() { rm -f "$pd"/libvirt-* "$log" "$tmp/parser.status"; }
logged() { [ "$(cat "$log" 2>/dev/null)" = "$1" ]; }
nothing_logged() { [ ! -s "$log" ]; }
# The per-VM lock file is in the lock directory, never in the profile one.
no_vm_files() { [ -z "$(ls "$pd" | grep -v TEMPLATE)" ]; }

# --- options
"$H" -h > "$tmp/out" 2>&1
check "-h exits 0" [ $? -eq 0 ]
check "-h documents --append-file" grep -q -- "--append-file" "$tmp/out"
"$H" > /dev/null 2>&1
check "no arguments exit 1" [ $? -eq 1 ]
"$H" -p 0 -r -u $name < "$xml" > /dev/null 2> "$tmp/err"
check "the removed -p option is refused" [ $? -eq 1 ]
check "refusal says error" grep -q "aavm-helper: error:" "$tmp/err"
run -r -u libvirt-123 < "$xml" > /dev/null 2>&1
check "malformed -u exit 1" [ $? -eq 1 ]
run -u $name < "$xml" > /dev/null 2>&1
check "no mode exit 1" [ $? -eq 1 ]
run -r -u $name stray < "$xml" > /dev/null 2>&1
check "stray argument exit 1" [ $? -eq 1 ]

# --- dry runs: the reference's blocks on stderr, no side effects
reset
run -d -r -u $name < "$xml" > "$tmp/out" 2> "$tmp/err"
check "-d -r exit 0" [ $? -eq 0 ]
check "-d -r prints nothing on stdout" [ ! -s "$tmp/out" ]
check "-d -r names the .files" sed -n 2p "$tmp/err" | grep -qx "$files"
check "-d -r prints two blocks" [ "$(grep -c '^aavm-helper:$' "$tmp/err")" -eq 2 ]
check "-d -r prints the rules" grep -q '"/tmp/s1.in" rw,' "$tmp/err"
check "-d -r writes nothing" no_vm_files
check "-d -r runs no parser" nothing_logged
vol_xml=$srcdir/data/disk-volume.xml
vol_name=libvirt-00000000-0000-4000-8000-000000000001
"$H" --profile-dir "$pd" --lock-dir "$tmp/lock" --parser "$stub" -d -r -u $vol_name < "$vol_xml" > /dev/null 2> "$tmp/err"
check "-d -r with a warning exit 0" [ $? -eq 0 ]
check "-d -r prints the warning naming the device" grep -qF "aavm-helper: warning: disk vdb is a storage pool volume" "$tmp/err"
run -d -c -u $name < "$xml" > /dev/null 2> "$tmp/err"
check "-d -c exit 0" [ $? -eq 0 ]
check "-d -c prints five blocks" [ "$(grep -c '^aavm-helper:$' "$tmp/err")" -eq 5 ]
check "-d -c prints the profile name" grep -qx "$name" "$tmp/err"
check "-d -c prints the include line" grep -qF "include if exists \"$files\"" "$tmp/err"
check "-d -c writes nothing" no_vm_files
check "-d -c runs no parser" nothing_logged

# --- create
reset
run -c -u $name < "$xml" 2> "$tmp/err"
check "-c exit 0" [ $? -eq 0 ]
check "-c writes the profile" [ -s "$prof" ]
check "-c writes .files with the header" head -n1 "$files" | grep -q "^# DO NOT EDIT"
check "-c .files has the rules" grep -q '"/tmp/s0.log" rw,' "$files"
check "-c profile renamed" grep -q "^profile $name " "$prof"
check "-c profile includes .files" grep -qF "  include if exists \"$files\"" "$prof"
check "-c files are 0644" [ "$(stat -c %a "$prof") $(stat -c %a "$files")" = "644 644" ]
check "-c runs apparmor_parser -a with the cache" logged "-a -W -L $cache $prof"
check "-c makes the per-VM lock file 0600" [ "$(stat -c %a "$tmp/lock/$name.lock")" = 600 ]
check "no leftover temporary files" [ "$(ls "$pd" | wc -l)" -eq 4 ]
run -c -u $name < "$xml" > /dev/null 2> "$tmp/err"
check "-c on an existing profile exit 1" [ $? -eq 1 ]
check "-c on an existing profile says so" grep -q "already exists" "$tmp/err"

reset
run -c -u $name -F /var/lib/libvirt/images/cdrom.iso < "$xml" > /dev/null 2>&1
check "-c -F exit 0" [ $? -eq 0 ]
check "-c -F writes the XML's rules" grep -q '"/tmp/s0.log" rw,' "$files"
check "-c -F adds the file too" grep -q '"/var/lib/libvirt/images/cdrom.iso" rwk,' "$files"

# --- replace, append, add-file
rm -f "$log"
run -r -u $name < "$disk_xml" > /dev/null 2>&1
check "-r exit 0" [ $? -eq 0 ]
check "-r runs apparmor_parser -r" logged "-r -W -L $cache $prof"
check "-r regenerates .files" grep -q '"/var/lib/libvirt/images/disk.qcow2" rwk,' "$files"
check "-r drops rules the XML no longer has" sh -c "! grep -q /tmp/s0.log '$files'"
run -r -u $name -F /var/lib/libvirt/images/hot.img < "$disk_xml" > /dev/null 2>&1
check "-r -F exit 0" [ $? -eq 0 ]
run -r -u $name --append-file /var/lib/libvirt/images/hot.img < "$disk_xml" > /dev/null 2>&1
check "--append-file takes its argument" [ $? -eq 0 ]
check "-F appends the rule exactly once" [ "$(grep -c '"/var/lib/libvirt/images/hot.img" rwk,' "$files")" -eq 1 ]
check "-F keeps the other rules" grep -q 'disk.qcow2" rwk,' "$files"
run -r -u $name -F '/dev/hugepages/libvirt/qemu/{,**}' < "$disk_xml" > /dev/null 2>&1
check "-F dir/{,**} grants the directory" grep -qF '"/dev/hugepages/libvirt/qemu/" rwk,' "$files"
check "-F dir/{,**} grants its contents" grep -qF '"/dev/hugepages/libvirt/qemu/**" rwk,' "$files"
run -r -u $name -F '/var/lib/libvirt/images/a*b.img' < "$disk_xml" > /dev/null 2>&1
check "-F escapes a glob character" grep -qF '"/var/lib/libvirt/images/a\*b.img" rwk,' "$files"
run -r -u $name -F /etc/shadow < "$disk_xml" > /dev/null 2> "$tmp/err"
check "-F /etc/shadow exit 1" [ $? -eq 1 ]
check "-F /etc/shadow is not added" sh -c "! grep -q /etc/shadow '$files'"
run -r -u $name -f /var/lib/libvirt/images/extra.img < "$disk_xml" > /dev/null 2>&1
check "-r -f exit 0" [ $? -eq 0 ]
check "-f adds its rule" grep -q '"/var/lib/libvirt/images/extra.img" rwk,' "$files"
run -d -r -u $name -F /var/lib/libvirt/images/dry.img < "$disk_xml" > /dev/null 2> "$tmp/err"
check "-d -r -F prints only the new rule" [ "$(grep -c ' rwk,' "$tmp/err")" -eq 1 ]
check "-d -r -F changes nothing" sh -c "! grep -q dry.img '$files'"
run -c -r -u $name < "$disk_xml" > /dev/null 2>&1
check "the last mode given wins (-c -r is -r)" [ $? -eq 0 ]

# --- UUID checks
other=libvirt-00000000-0000-4000-8000-000000000002
run -r -u $other < "$xml" > /dev/null 2> "$tmp/err"
check "-u not matching the XML exit 1" [ $? -eq 1 ]
check "mismatch is explained" grep -q "does not match" "$tmp/err"
sed "s/$uuid/0000000a-0000-4000-8000-00000000000b/" "$xml" > "$tmp/hex.xml"
run -d -r -u libvirt-0000000a-0000-4000-8000-00000000000b < "$tmp/hex.xml" > /dev/null 2>&1
check "lower-case -u matches" [ $? -eq 0 ]
run -d -r -u libvirt-0000000A-0000-4000-8000-00000000000B < "$tmp/hex.xml" > /dev/null 2>&1
check "upper-case -u does not match the XML" [ $? -eq 1 ]

# --- remove, delete, add
rm -f "$log"
echo 234 > "$tmp/parser.status"
run -R -u $name > /dev/null 2> "$tmp/err"
check "-R of a profile that is not loaded exit 0" [ $? -eq 0 ]
check "-R runs apparmor_parser -R" logged "-R $prof"
check "-R warns it was not loaded" grep -q "warning" "$tmp/err"
rm -f "$tmp/parser.status" "$log"
run -a -u $name > /dev/null 2>&1
check "-a exit 0" [ $? -eq 0 ]
check "-a runs apparmor_parser -a" logged "-a -W -L $cache $prof"
rm -f "$log"
run -d -D -u $name > /dev/null 2>&1
check "-d -D exit 0" [ $? -eq 0 ]
check "-d -D runs no parser" nothing_logged
check "-d -D keeps .files" [ -f "$files" ]
run -D -u $name > /dev/null 2>&1
check "-D exit 0" [ $? -eq 0 ]
check "-D runs apparmor_parser -R" logged "-R $prof"
check "-D removes .files" [ ! -e "$files" ]
check "-D keeps the profile" [ -s "$prof" ]
check "-D leaves no lock file" [ ! -e "$tmp/lock/$name.lock" ]
reset
run -a -u $name > /dev/null 2>&1
check "-a without a profile exit 1" [ $? -eq 1 ]
run -r -u $name < "$xml" > /dev/null 2>&1
check "-r without a profile exit 1" [ $? -eq 1 ]

# --- failures leave nothing behind
reset
echo 1 > "$tmp/parser.status"
run -c -u $name < "$xml" > /dev/null 2> "$tmp/err"
check "-c with a failing parser exit 1" [ $? -eq 1 ]
check "-c with a failing parser leaves no files" no_vm_files
check "the parser failure is named" grep -q "apparmor_parser -a failed" "$tmp/err"
reset
run -c -u $name < "$srcdir/data/disk-etc-fail.xml" > /dev/null 2> "$tmp/err"
check "-c of a domain with /etc/shadow exit 1" [ $? -eq 1 ]
check "the refused path is named" grep -q "/etc/shadow" "$tmp/err"
check "the refusal is one line" [ "$(wc -l < "$tmp/err")" -eq 1 ]
check "a refused domain writes nothing" no_vm_files
check "a refused domain runs no parser" nothing_logged
head -c 10485761 /dev/zero | tr '\0' ' ' > "$tmp/big.xml"
run -r -u $name < "$tmp/big.xml" > /dev/null 2> "$tmp/err"
check "stdin over 10 MiB exit 1" [ $? -eq 1 ]

# --- an empty profile (crash) is made again on -r
reset
run -c -u $name < "$xml" > /dev/null 2>&1
: > "$prof"
run -d -r -u $name < "$xml" > /dev/null 2>&1
check "a dry run leaves an empty profile alone" [ ! -s "$prof" ]
run -r -u $name < "$xml" > /dev/null 2> "$tmp/err"
check "-r with an empty profile exit 0" [ $? -eq 0 ]
check "-r remakes the empty profile" grep -q "^profile $name " "$prof"

# --- lxc: no .files
reset
lxc_name=libvirt-$(sed -n 's:.*<uuid>\(.*\)</uuid>.*:\1:p' "$srcdir/data/lxc-basic.xml")
run -c -u "$lxc_name" < "$srcdir/data/lxc-basic.xml" > /dev/null 2>&1
check "lxc -c exit 0" [ $? -eq 0 ]
check "lxc gets no .files" [ ! -e "$pd/$lxc_name.files" ]
check "lxc profile includes no .files" sh -c "! grep -q 'include if exists.*\.files' '$pd/$lxc_name'"

# --- the caller's environment does not reach the parser
reset
AAVM_SNEAKY=1 LD_PRELOAD= run -c -u $name < "$xml" > /dev/null 2>&1
check "the environment is cleared" sh -c "! grep -q AAVM_SNEAKY '$tmp/parser.env'"

# --- backing chains read from image headers (images on the real host)
if command -v qemu-img > /dev/null 2>&1; then
    reset
    img=$tmp/images
    mkdir "$img"
    qemu-img create -q -f raw "$img/base.raw" 1M
    qemu-img create -q -f qcow2 -F raw -b base.raw "$img/mid.qcow2" 1M
    qemu-img create -q -f qcow2 -F qcow2 -b mid.qcow2 "$img/top.qcow2" 1M
    qemu-img create -q -f qcow2 -u -F raw -b /etc/shadow "$img/evil.img" 1M
    disk_domain "$img/top.qcow2" qcow2 > "$tmp/chain.xml"
    run -d -r -u $name < "$tmp/chain.xml" > /dev/null 2> "$tmp/err"
    check "chain: -d -r exit 0" [ $? -eq 0 ]
    check "chain: the top is rwk" grep -q "\"$img/top.qcow2\" rwk," "$tmp/err"
    check "chain: layer 1 is rk and says who named it" \
        sh -c 'grep -A1 -xF "  # disk vda backing layer 1 (named in $1/top.qcow2)" "$2" | grep -qxF "  \"$1/mid.qcow2\" rk,"' - "$img" "$tmp/err"
    check "chain: layer 2 is rk" grep -q "\"$img/base.raw\" rk," "$tmp/err"
    run -d -r -u $name --max-backing-depth 1 < "$tmp/chain.xml" > /dev/null 2> "$tmp/err"
    check "chain: --max-backing-depth 1 refuses two layers (exit 1)" [ $? -eq 1 ]
    check "chain: the refusal names the limit" grep -q "more layers than the limit of 1" "$tmp/err"
    run -d -r -u $name --max-backing-depth 0 < "$tmp/chain.xml" > /dev/null 2> "$tmp/err"
    check "chain: --max-backing-depth 0 is refused (exit 1)" [ $? -eq 1 ]
    # The same limit from aavm.conf; the command line wins over the file.
    printf '[aavm]\nmax-backing-depth = 1\n' > "$tmp/aavm.conf"
    run -d -r -u $name --config "$tmp/aavm.conf" < "$tmp/chain.xml" > /dev/null 2> "$tmp/err"
    check "config: max-backing-depth = 1 refuses two layers (exit 1)" [ $? -eq 1 ]
    check "config: the refusal names the limit" grep -q "more layers than the limit of 1" "$tmp/err"
    run -d -r -u $name --config "$tmp/aavm.conf" --max-backing-depth 2 < "$tmp/chain.xml" > /dev/null 2>&1
    check "config: --max-backing-depth 2 wins over the file (exit 0)" [ $? -eq 0 ]
    printf '[aavm]\nmax-backing-dept = 1\n' > "$tmp/typo.conf"
    run -d -r -u $name --config "$tmp/typo.conf" < "$tmp/chain.xml" > /dev/null 2> "$tmp/err"
    check "config: a misspelt setting exit 1" [ $? -eq 1 ]
    check "config: the error names the file and the setting" \
        grep -qF "$tmp/typo.conf: Unknown setting 'max-backing-dept'." "$tmp/err"
    run -d -r -u $name --config "$tmp/absent.conf" < "$tmp/chain.xml" > /dev/null 2> "$tmp/err"
    check "config: a missing --config file exit 1" [ $? -eq 1 ]
    check "config: the missing file is named" grep -qF "$tmp/absent.conf" "$tmp/err"
    disk_domain "$img/evil.img" raw > "$tmp/evil.xml"
    run -d -r -u $name < "$tmp/evil.xml" > /dev/null 2> "$tmp/err"
    check "chain: a raw disk's qcow2 header is never read (exit 0)" [ $? -eq 0 ]
    check "chain: nothing of that header is granted" sh -c "! grep -q shadow '$tmp/err'"
    disk_domain "$img/evil.img" qcow2 > "$tmp/evil.xml"
    run -d -r -u $name < "$tmp/evil.xml" > /dev/null 2> "$tmp/err"
    check "chain: declared qcow2, a backing file in /etc is refused (exit 1)" [ $? -eq 1 ]
    check "chain: the refusal names disk and layer" \
        grep -q "Refusing disk vda backing layer 1 (named in $img/evil.img): The path '/etc/shadow'" "$tmp/err"
elif [ "${AAVM_REQUIRE_QEMU_IMG:-0}" = 1 ]; then
    not_ok "qemu-img is required (AAVM_REQUIRE_QEMU_IMG=1) but missing"
fi

# --- the profile -c writes compiles with the real apparmor_parser
if have_parser; then
    reset
    compile=$tmp/parser-compile
    cat > "$compile" <<STUB
#!/bin/sh
for last in "\$@"; do :; done
exec "$parser" -Q -K -M /etc/apparmor.d/abi/3.0 -I "$top_srcdir/profiles" -b /etc/apparmor.d "\$last"
STUB
    chmod +x "$compile"
    "$H" --profile-dir "$pd" --lock-dir "$tmp/lock" --parser "$compile" --assume-apparmor --cache-dir "$cache" -c -u $name < "$xml" > /dev/null 2> "$tmp/err"
    check "-c output compiles with apparmor_parser" [ $? -eq 0 ]
    "$H" --profile-dir "$pd" --lock-dir "$tmp/lock" --parser "$compile" --assume-apparmor --cache-dir "$cache" -r -u $name -F '/srv/vm images/a*b[1].img' < "$xml" > /dev/null 2> "$tmp/err"
    check "-r -F output compiles with apparmor_parser" [ $? -eq 0 ]
fi
finish
