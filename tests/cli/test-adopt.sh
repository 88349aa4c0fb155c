#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The upgrade from virt-aa-helper: a per-VM profile as virt-aa-helper 9.0
# writes it (the template with "#include <libvirt/libvirt-<uuid>.files>"
# and a blank line put before its closing brace), tuned by the admin
# (complain flag, an extra rule), goes through aavm-helper -r, -a, -D, -r
# and aavm status, enforce and complain: every byte the admin wrote stays,
# aavm writes only .files, and the profile compiles with the real parser.
# A profile aavm must make again is first kept as <name>.aavm-old, and
# the admins' local/ overrides of virt-aa-helper's time still apply.
. "$AAVM_TESTS_SRCDIR/cli/lib.sh"

A=$builddir/helper/aavm
H=$builddir/helper/aavm-helper
uuid=00000000-0000-4000-8000-0000000000a1
other=00000000-0000-4000-8000-0000000000a2
name=libvirt-$uuid
aa=$tmp/apparmor.d
pd=$aa/libvirt
prof=$pd/$name
files=$pd/$name.files
cache=$tmp/cache
log=$tmp/parser.log
mkdir -p "$pd" "$tmp/run" "$tmp/etc"
cp "$top_srcdir/templates/TEMPLATE.qemu" "$pd/"

stub=$tmp/parser-stub
cat > "$stub" <<STUB
#!/bin/sh
echo "\$*" >> "$log"
STUB
chmod +x "$stub"
helper() { "$H" --profile-dir "$pd" --lock-dir "$tmp/lock" --parser "$stub" --assume-apparmor --cache-dir "$cache" "$@"; }
status() { "$A" status --profile-dir "$pd" --cache-dir "$cache" --libvirt-run-dir "$tmp/run" \
    --libvirt-config-dir "$tmp/etc" "$@"; }
mode() { "$A" "$1" --profile-dir "$pd" --lock-dir "$tmp/lock" --parser "$stub" --cache-dir "$cache" "$2"; }
# The profile directory's parent stands for /etc/apparmor.d: virt-aa-helper's
# include names libvirt/<name>.files relative to it.
compiles() {
    "$parser" -Q -K -M /etc/apparmor.d/abi/3.0 -I "$aa" -I "$top_srcdir/profiles" \
        -b /etc/apparmor.d "$1" > "$tmp/parser.out" 2>&1 || { sed 's/^/    /' "$tmp/parser.out"; return 1; }
}
same() { cmp -s "$1" "$2"; }

sed "s/<uuid>.*<\/uuid>/<uuid>$uuid<\/uuid>/" "$top_srcdir/docs/examples/demo.xml" > "$tmp/demo.xml"

# vah_profile NAME INCLUDE-KEYWORD: the profile virt-aa-helper 9.0 makes
# from Debian's TEMPLATE.qemu (header comment, tunables, the profile line,
# the abstraction), tuned: complain flag and one extra rule.
vah_profile() {
    cat <<EOF
#
# The header comment of the template.
#

#include <tunables/global>

profile $1 flags=(attach_disconnected,complain) {
  #include <abstractions/libvirt-qemu>
  /srv/shared/** r,
  $2 <libvirt/$1.files>

}
EOF
}

vah_profile $name "#include" > "$prof"
cp "$prof" "$tmp/admin"

# ---------------------------------------------------------------- -r
helper -r -u $name < "$tmp/demo.xml" > "$tmp/out" 2> "$tmp/err"
check "-r on virt-aa-helper's profile exit 0" [ $? -eq 0 ]
check "-r leaves the admin's profile byte for byte" same "$prof" "$tmp/admin"
check "-r says nothing (no repair)" [ ! -s "$tmp/err" ]
check "-r keeps no copy (nothing was remade)" [ ! -e "$prof.aavm-old" ]
check "-r writes .files from the XML" grep -q '"/var/lib/libvirt/images/demo.qcow2" rwk' "$files"
check "-r reloads the profile" grep -q "^-r .*$prof\$" "$log"
check "the adopted profile with aavm's .files compiles with the real parser" compiles "$prof"

# --------------------------------------------------------------- status
status > "$tmp/out"
check "status: the adopted profile is in complain mode, .files current" \
    grep -qE "^$uuid .* complain +current\$" "$tmp/out"
status --json > "$tmp/json"
check "status --json: not stale" grep -qF '"profile_mode":"complain","files":"current","files_stale":false' "$tmp/json"

# ------------------------------------------------------------------- -a
: > "$log"
helper -a -u $name > /dev/null 2> "$tmp/err"
check "-a exit 0 and loads the profile as it is" sh -c "[ $? -eq 0 ] && grep -q '^-a .*$prof\$' '$log'"
check "-a leaves the profile byte for byte" same "$prof" "$tmp/admin"

# ------------------------------------------------------ enforce/complain
mode enforce $uuid > /dev/null 2>&1
check "aavm enforce exit 0" [ $? -eq 0 ]
check "enforce drops only the complain flag" \
    sh -c "sed 's/flags=(attach_disconnected)/flags=(attach_disconnected,complain)/' '$prof' | cmp -s - '$tmp/admin'"
check "the enforced profile compiles" compiles "$prof"
mode complain $uuid > /dev/null 2>&1
check "aavm complain exit 0" [ $? -eq 0 ]
check "enforce then complain gives back the admin's bytes" same "$prof" "$tmp/admin"

# ------------------------------------------------------------ -D and -r
helper -D -u $name > /dev/null 2>&1
check "-D exit 0" [ $? -eq 0 ]
check "-D removes .files" [ ! -e "$files" ]
check "-D keeps the admin's profile byte for byte" same "$prof" "$tmp/admin"
helper -r -u $name < "$tmp/demo.xml" > /dev/null 2> "$tmp/err"
check "-r after -D exit 0, no warning" sh -c "[ $? -eq 0 ] && [ ! -s '$tmp/err' ]"
check "-r after -D writes .files again, profile unchanged" sh -c "[ -s '$files' ] && cmp -s '$prof' '$tmp/admin'"

# The other spelling, include <libvirt/...>, is adopted too.
vah_profile $name "include" > "$prof"
cp "$prof" "$tmp/admin2"
helper -r -u $name < "$tmp/demo.xml" > /dev/null 2> "$tmp/err"
check "'include <libvirt/...>' is adopted as well" sh -c "[ ! -s '$tmp/err' ] && cmp -s '$prof' '$tmp/admin2'"

# --------------------------------------------- a remade profile is kept
# Cut short (the closing brace lost): made again, the old bytes kept.
sed '$d' "$tmp/admin" > "$prof"
chmod 0640 "$prof"
cp "$prof" "$tmp/cut"
helper -r -u $name < "$tmp/demo.xml" > /dev/null 2> "$tmp/err"
check "-r on a cut profile exit 0" [ $? -eq 0 ]
check "the warning names the copy" grep -qF "aavm-helper: warning: The profile '$prof' is cut short (its profile line or closing brace is missing) and is made again from the template; the old one is kept as '$prof.aavm-old'." "$tmp/err"
check "the copy holds the old bytes, a regular file" sh -c "[ -f '$prof.aavm-old' ] && [ ! -L '$prof.aavm-old' ] && cmp -s '$prof.aavm-old' '$tmp/cut'"
check "the copy has the old mode" [ "$(stat -c %a "$prof.aavm-old")" = 640 ]
check "the remade profile compiles" compiles "$prof"
status > "$tmp/out"
check "status does not list the copy as a profile" [ "$(grep -c '^00000000-' "$tmp/out")" -eq 1 ]

# Must fail: another VM's .files is not this profile's include.
vah_profile $name "#include" | sed "s/$name.files/libvirt-$other.files/" > "$prof"
cp "$prof" "$tmp/wrong"
helper -r -u $name < "$tmp/demo.xml" > /dev/null 2> "$tmp/err"
check "a profile including another VM's .files is made again" grep -q "does not include its .files" "$tmp/err"
check "and kept first" cmp -s "$prof.aavm-old" "$tmp/wrong"

# ------------------------------------------------------ local overrides
# The admins' additions written for virt-aa-helper's profiles still reach
# the policy: local/abstractions/libvirt-qemu in every VM's profile,
# local/usr.lib.libvirt.virt-aa-helper in the helper's own.
mkdir -p "$aa/local/abstractions"
echo '  /srv/qemu-local-marker r,' > "$aa/local/abstractions/libvirt-qemu"
echo '  /srv/helper-local-marker r,' > "$aa/local/usr.lib.libvirt.virt-aa-helper"
vah_profile $name "#include" > "$prof"
"$parser" -p -I "$aa" -I "$top_srcdir/profiles" -b /etc/apparmor.d "$prof" > "$tmp/expanded" 2>&1
check "local/abstractions/libvirt-qemu reaches an adopted VM profile" grep -q '/srv/qemu-local-marker r,' "$tmp/expanded"
"$parser" -p -I "$aa" -b /etc/apparmor.d "$builddir/profiles/aavm-helper" > "$tmp/expanded" 2>&1
check "local/usr.lib.libvirt.virt-aa-helper reaches aavm-helper's profile" grep -q '/srv/helper-local-marker r,' "$tmp/expanded"
check "with the local files the helper's profile compiles" sh -c \
    "'$parser' -Q -K -M /etc/apparmor.d/abi/3.0 -I '$aa' -b /etc/apparmor.d '$builddir/profiles/aavm-helper' > /dev/null 2>&1"

finish
