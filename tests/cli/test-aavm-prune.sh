#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# aavm prune: the files of VMs the VM manager no longer knows go (profile,
# .files, the .aavm-old copy, temporary files, compile cache entries, the
# lock file in the lock directory); known VMs, loaded
# profiles, edited profiles (without --force) and anything reached through
# a symbolic link stay.  A fake libvirt configuration and runtime directory,
# a fake securityfs (the kernel's list of loaded profiles), a stand-in
# parser.
. "$AAVM_TESTS_SRCDIR/cli/lib.sh"

A=$builddir/helper/aavm
H=$builddir/helper/aavm-helper
pd=$tmp/profiles
cache=$tmp/cache
lockd=$tmp/lock
etc=$tmp/etc
run=$tmp/run
sec=$tmp/securityfs
mkdir -p "$pd" "$cache/feat.0" "$etc/qemu" "$run/qemu" "$sec"
cp "$top_srcdir/templates/TEMPLATE.qemu" "$top_srcdir/templates/TEMPLATE.lxc" "$pd/"
printf '#!/bin/sh\nexit 0\n' > "$tmp/parser"
chmod +x "$tmp/parser"
: > "$sec/profiles"

u() { printf '00000000-0000-4000-8000-0000000000%s' "$1"; }
known=$(u 01); running=$(u 02); gone=$(u 03); edited=$(u 04); loaded=$(u 05); linked=$(u 06)
plink=$(u 08)
domain() { sed "s/<uuid>.*<\/uuid>/<uuid>$1<\/uuid>/" "$top_srcdir/docs/examples/demo.xml"; }
for id in $known $running $gone $edited $loaded $linked $plink; do
    domain $id | "$H" --profile-dir "$pd" --lock-dir "$lockd" --parser "$tmp/parser" --assume-apparmor \
        --cache-dir "$cache" -c -u libvirt-$id 2> /dev/null
    echo compiled > "$cache/feat.0/libvirt-$id"
done
domain $known > "$etc/qemu/demo.xml"
printf '<domstatus><domain type="kvm"><name>r</name><uuid>%s</uuid></domain></domstatus>\n' $running > "$run/qemu/r.xml"
# Leftovers of the gone VM: the temporary files of a killed writer.
echo partial > "$pd/libvirt-$gone.Ab12Cd"
echo partial > "$pd/libvirt-$gone.files.XyZ123"
# and the copy an adoption of virt-aa-helper's profile kept.
echo old > "$pd/libvirt-$gone.aavm-old"
# An admin's edit; a loaded profile; a .files that is a symbolic link.
echo "# my rule" >> "$pd/libvirt-$edited"
echo "libvirt-$loaded (enforce)" > "$sec/profiles"
echo "keep me" > "$tmp/target"
rm "$pd/libvirt-$linked.files"
ln -s "$tmp/target" "$pd/libvirt-$linked.files"
# A symbolic link in place of a profile (to a copy of a generated one), and
# in place of a compile cache entry.
cp "$pd/libvirt-$plink" "$tmp/profile-target"
rm "$pd/libvirt-$plink" "$cache/feat.0/libvirt-$plink"
ln -s "$tmp/profile-target" "$pd/libvirt-$plink"
ln -s "$tmp/target" "$cache/feat.0/libvirt-$plink"
if have_parser; then
    check "a profile the test made compiles" compile_profile "$pd/libvirt-$gone"
fi
# Files that are not a VM's.
echo x > "$pd/libvirt-notauuid"
echo x > "$pd/local-notes"
ls "$pd" > "$tmp/before"

prune() { "$A" prune --profile-dir "$pd" --lock-dir "$lockd" --cache-dir "$cache" --libvirt-config-dir "$etc" \
    --libvirt-run-dir "$run" --apparmor-dir "$sec" "$@"; }

# ---- --dry-run: the list, nothing removed
prune --dry-run > "$tmp/out" 2> "$tmp/err"
check "--dry-run: exit 0" [ $? -eq 0 ]
ls "$pd" > "$tmp/after"
check "--dry-run removes nothing" cmp -s "$tmp/before" "$tmp/after"
check "--dry-run: the cache entry stays" [ -f "$cache/feat.0/libvirt-$gone" ]
check "--dry-run names the gone VM's profile" grep -qxF "  would remove $pd/libvirt-$gone" "$tmp/out"
check "--dry-run names its temporary files and cache entry" sh -c \
    "grep -qxF '  would remove $pd/libvirt-$gone.Ab12Cd' '$tmp/out' && grep -qxF '  would remove $pd/libvirt-$gone.files.XyZ123' '$tmp/out' && grep -qxF '  would remove $cache/feat.0/libvirt-$gone' '$tmp/out'"
check "--dry-run: the lock (in the lock directory) is listed last" [ "$(grep "libvirt-$gone" "$tmp/out" | tail -n1)" = "  would remove $lockd/libvirt-$gone.lock" ]
check "--dry-run: the lock file stays" [ -f "$lockd/libvirt-$gone.lock" ]
check "--dry-run: known VMs are not named" sh -c "! grep -q -e $known -e $running '$tmp/out'"

# ---- the kernel's list not known: nothing at all
rm "$sec/profiles"
prune > "$tmp/out" 2> "$tmp/err"
check "loaded profiles not known: exit 1" [ $? -eq 1 ]
check "loaded profiles not known: said" grep -q "Cannot tell which profiles the kernel has loaded" "$tmp/err"
ls "$pd" > "$tmp/after"
check "loaded profiles not known: nothing removed" cmp -s "$tmp/before" "$tmp/after"
echo "libvirt-$loaded (enforce)" > "$sec/profiles"

# ---- prune
prune > "$tmp/out" 2> "$tmp/err"
check "prune: exit 0" [ $? -eq 0 ]
for f in "" .files .aavm-old .Ab12Cd .files.XyZ123; do
    check "the gone VM's libvirt-$gone$f is removed and named" sh -c \
        "[ ! -e '$pd/libvirt-$gone$f' ] && grep -qxF '  removed $pd/libvirt-$gone$f' '$tmp/out'"
done
check "its lock file is removed and named, last" sh -c \
    "[ ! -e '$lockd/libvirt-$gone.lock' ] && [ \"\$(grep 'libvirt-$gone' '$tmp/out' | tail -n1)\" = '  removed $lockd/libvirt-$gone.lock' ]"
check "its compile cache entry is removed" [ ! -e "$cache/feat.0/libvirt-$gone" ]
check "the summary counts it" grep -qx "Removed 7 files of VMs the VM manager no longer knows." "$tmp/out"
for id in $known $running; do
    check "the known VM $id keeps its files and cache entry" sh -c \
        "[ -f '$pd/libvirt-$id' ] && [ -f '$pd/libvirt-$id.files' ] && [ -f '$lockd/libvirt-$id.lock' ] && [ -f '$cache/feat.0/libvirt-$id' ]"
done
check "an edited profile is kept, with its .files" sh -c "[ -f '$pd/libvirt-$edited' ] && [ -f '$pd/libvirt-$edited.files' ]"
check "an edited profile: said" sh -c "grep -A1 -x 'libvirt-$edited: no VM has this UUID.' '$tmp/out' | grep -q 'kept: the profile was edited'"
check "a loaded profile is kept" sh -c "[ -f '$pd/libvirt-$loaded' ] && grep -A1 -x 'libvirt-$loaded: no VM has this UUID.' '$tmp/out' | grep -q 'kept: the kernel has its profile loaded'"
check "a VM with a symbolic link is left alone" sh -c "[ -f '$pd/libvirt-$linked' ] && [ -L '$pd/libvirt-$linked.files' ] && grep -A1 -x 'libvirt-$linked: no VM has this UUID.' '$tmp/out' | grep -q 'symbolic link'"
check "the link's target is untouched" [ "$(cat "$tmp/target")" = "keep me" ]
check "a link in place of a profile is refused" sh -c "[ -L '$pd/libvirt-$plink' ] && [ -f '$tmp/profile-target' ] && [ -f '$pd/libvirt-$plink.files' ] && grep -A1 -x 'libvirt-$plink: no VM has this UUID.' '$tmp/out' | grep -q 'symbolic link'"
check "a link in place of a cache entry stays" [ -L "$cache/feat.0/libvirt-$plink" ]
check "files that are not a VM's stay" sh -c "[ -f '$pd/libvirt-notauuid' ] && [ -f '$pd/local-notes' ] && [ -f '$pd/TEMPLATE.qemu' ]"

# ---- --force: the edited profile goes too
prune --force > "$tmp/out" 2> "$tmp/err"
check "--force: exit 0" [ $? -eq 0 ]
check "--force removes the edited profile" sh -c "[ ! -e '$pd/libvirt-$edited' ] && [ ! -e '$pd/libvirt-$edited.files' ] && [ ! -e '$cache/feat.0/libvirt-$edited' ]"
check "--force still keeps the loaded and the linked VMs" sh -c "[ -f '$pd/libvirt-$loaded' ] && [ -L '$pd/libvirt-$linked.files' ] && [ -L '$pd/libvirt-$plink' ]"

# ---- nothing left to prune but what must stay; an LXC profile
rm "$sec/profiles"; : > "$sec/profiles"
rm "$pd/libvirt-$linked.files" "$pd/libvirt-$plink"
prune > "$tmp/out"
check "after the links went, those VMs are removed" sh -c "[ ! -e '$pd/libvirt-$linked' ] && [ ! -e '$pd/libvirt-$plink.files' ]"
check "the cache entry that is a link is not removed" [ -L "$cache/feat.0/libvirt-$plink" ]
prune > "$tmp/out"
check "nothing to prune: said" grep -qx "Nothing to prune: every per-VM profile belongs to a VM the VM manager knows." "$tmp/out"
lxc=$(u 07)
sed "s/LIBVIRT_TEMPLATE/libvirt-$lxc/" "$pd/TEMPLATE.lxc" > "$pd/libvirt-$lxc"
prune --dry-run > "$tmp/out"
check "an LXC profile as its template makes it is not 'edited'" grep -qxF "  would remove $pd/libvirt-$lxc" "$tmp/out"

# ---- usage
"$A" prune extra > /dev/null 2>&1
check "prune with an argument: exit 2" [ $? -eq 2 ]
"$A" prune --profile-dir relative > /dev/null 2>&1
check "prune with a relative directory: exit 2" [ $? -eq 2 ]
prune --profile-dir "$tmp/missing" > /dev/null 2>&1
check "a missing profile directory: exit 1" [ $? -eq 1 ]
"$A" --help > "$tmp/help"
check "aavm --help lists prune" grep -q "^  prune " "$tmp/help"
"$A" prune --help > "$tmp/help"
check "prune --help has --dry-run and --force" sh -c "grep -q -- --dry-run '$tmp/help' && grep -q -- --force '$tmp/help'"
finish
