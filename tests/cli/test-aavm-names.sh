#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# VM names: aavm complain, enforce and explain take the name virsh shows,
# looked up in a fake libvirt configuration directory and in .files.
. "$AAVM_TESTS_SRCDIR/cli/lib.sh"

A=$builddir/helper/aavm
H=$builddir/helper/aavm-helper
u1=00000000-0000-4000-8000-0000000000a1
u2=00000000-0000-4000-8000-0000000000a2
u3=00000000-0000-4000-8000-0000000000a3
pd=$tmp/profiles
etc=$tmp/etc
mkdir -p "$pd" "$etc/qemu" "$etc/lxc"
cp "$top_srcdir/templates/TEMPLATE.qemu" "$pd/"
stub=$tmp/parser-stub
printf '#!/bin/sh\necho "$*" >> "%s"\n' "$tmp/parser.log" > "$stub"
chmod +x "$stub"

# domain NAME UUID: a defined domain as libvirt keeps it.
domain() {
    sed -e "s/<uuid>.*<\/uuid>/<uuid>$2<\/uuid>/" -e "s/<name>.*<\/name>/<name>$1<\/name>/" \
        "$top_srcdir/docs/examples/demo.xml"
}
domain web $u1 > "$etc/qemu/web.xml"
for u in $u1 $u2; do
    domain web $u | "$H" --profile-dir "$pd" --lock-dir "$tmp/lock" --parser "$stub" --assume-apparmor -c -u libvirt-$u 2> /dev/null
done
# u2 is only known through its .files (no definition): name it "db".
domain db $u2 | "$H" --profile-dir "$pd" --lock-dir "$tmp/lock" --parser "$stub" --assume-apparmor -r -u libvirt-$u2 2> /dev/null
mode() { "$A" "$1" --profile-dir "$pd" --lock-dir "$tmp/lock" --parser "$stub" --libvirt-config-dir "$etc" "$2"; }

# --- complain and enforce by name
mode complain web > "$tmp/out" 2> "$tmp/err"
check "complain by name exit 0" [ $? -eq 0 ]
check "complain by name says which VM matched" \
    grep -qF "aavm: The VM 'web' is $u1 (found in '$etc/qemu/web.xml')." "$tmp/err"
check "complain by name changes that VM's profile" grep -q "^profile libvirt-$u1 flags=(attach_disconnected,complain)" "$pd/libvirt-$u1"
check "complain by name leaves the other VM alone" grep -q "^profile libvirt-$u2 flags=(attach_disconnected) " "$pd/libvirt-$u2"
mode enforce db > "$tmp/out" 2> "$tmp/err"
check "a VM known only by its .files is found" grep -qF "The VM 'db' is $u2 (found in '$pd/libvirt-$u2.files')." "$tmp/err"
check "enforce by the .files name exit 0" grep -qF "already in enforce mode" "$tmp/out"
mode enforce web > /dev/null 2>&1
check "enforce by name puts it back" grep -q "^profile libvirt-$u1 flags=(attach_disconnected) " "$pd/libvirt-$u1"
mode complain $u1 > /dev/null 2> "$tmp/err"
check "a UUID still works and says nothing more" [ ! -s "$tmp/err" ]
mode enforce $u1 > /dev/null 2>&1

mode complain nosuchvm > /dev/null 2> "$tmp/err"
check "an unknown name exit 2" [ $? -eq 2 ]
check "an unknown name is named" grep -qF "No VM is named 'nosuchvm'" "$tmp/err"
mode complain libvirt-web > /dev/null 2> "$tmp/err"
check "libvirt-NAME is a malformed profile name, exit 2" [ $? -eq 2 ]

# Two definitions with one name: an error naming both, nothing changed.
domain web $u3 > "$etc/lxc/web2.xml"
cp "$pd/libvirt-$u1" "$tmp/before"
mode complain web > /dev/null 2> "$tmp/err"
check "an ambiguous name exit 2" [ $? -eq 2 ]
check "the ambiguity names both VMs" \
    grep -qF "More than one VM is named 'web': $u1 (in '$etc/qemu/web.xml') and $u3 (in '$etc/lxc/web2.xml')" "$tmp/err"
check "an ambiguous name changes nothing" cmp -s "$tmp/before" "$pd/libvirt-$u1"
rm "$etc/lxc/web2.xml"

# A definition with a document type declaration is not read; a link is not followed.
{ echo '<!DOCTYPE domain [ <!ENTITY x "y"> ]>'; domain evil $u3; } > "$etc/qemu/evil.xml"
mode complain evil > /dev/null 2> "$tmp/err"
check "a definition with a DTD is not taken" grep -qF "No VM is named 'evil'" "$tmp/err"
domain linked $u3 > "$tmp/linked.xml"
ln -s "$tmp/linked.xml" "$etc/qemu/linked.xml"
mode complain linked > /dev/null 2> "$tmp/err"
check "a definition through a symbolic link is not taken" grep -qF "No VM is named 'linked'" "$tmp/err"
# They go again: explain's other-vm findings read the configuration
# directory too, and these two would be other VMs of the same UUID.
rm "$etc/qemu/evil.xml" "$etc/qemu/linked.xml"

# --- explain by name reads that VM's definition
"$A" explain --profile-dir "$pd" --libvirt-config-dir "$etc" web > "$tmp/out" 2> "$tmp/err"
check "explain by name exit 0" [ $? -eq 0 ]
check "explain by name says which VM" grep -qF "The VM 'web' is $u1" "$tmp/err"
check "explain by name explains its XML" grep -q "$u1" "$tmp/out"
"$A" explain --json --profile-dir "$pd" --libvirt-config-dir "$etc" web > "$tmp/json" 2> /dev/null
check "explain --json by name: standard output stays one JSON line" [ "$(wc -l < "$tmp/json")" -eq 1 ]
"$A" explain --profile-dir "$pd" --libvirt-config-dir "$etc" $u1 > "$tmp/out2" 2> /dev/null
check "explain by UUID gives the same" cmp -s "$tmp/out" "$tmp/out2"
"$A" explain --profile-dir "$pd" --libvirt-config-dir "$etc" db > /dev/null 2> "$tmp/err"
check "explain of a VM without a definition exit 1" [ $? -eq 1 ]
check "explain says there is no definition" grep -qF "has no domain XML" "$tmp/err"
"$A" explain --profile-dir "$pd" --libvirt-config-dir "$etc" nosuchvm > /dev/null 2>&1
check "explain of an unknown name exit 2" [ $? -eq 2 ]
cp "$etc/qemu/web.xml" "$tmp/web"
"$A" explain --profile-dir "$pd" --libvirt-config-dir "$etc" "$tmp/web" > /dev/null 2>&1
check "a path with a '/' is still a file" [ $? -eq 0 ]

"$A" complain --help > "$tmp/out"
check "complain --help says a VM name is taken" grep -q "VM|UUID|libvirt-UUID" "$tmp/out"
"$A" explain --help > "$tmp/out"
check "explain --help says a VM name is taken" grep -q "DOMAIN.xml|-|VM" "$tmp/out"
finish
