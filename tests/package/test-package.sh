#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The Debian package in a real Debian 12 root: builds aavm_*.deb from a
# clean clone (dpkg-buildpackage), runs lintian on it, and in a minimal
# root made by mmdebstrap from the mirror apt uses, with
# libvirt-daemon-system installed:
#   - a per-VM profile made by libvirt's own virt-aa-helper, tuned by the
#     admin (complain flag, an extra rule);
#   - install: the six diversions, libvirt's files kept byte for byte under
#     the diverted names, aavm-helper (a regular file) at libvirt's path,
#     every installed profile compiled with the root's apparmor_parser;
#   - the upgrade: the admin's profile survives the install and
#     aavm-helper -r byte for byte, aavm status calls it current;
#   - apt-get remove: every libvirt file back byte for byte, no diversion;
#   - install again: our conffiles and an admin's edit of them survive a
#     reinstall (the Debian way);
#   - purge: nothing of ours left (file lists before and after compared).
# Needs root (chroot, dpkg in the root), mmdebstrap, dpkg-buildpackage,
# debhelper, lintian and git. The root tarball and the .deb are cached in
# AAVM_PACKAGE_CACHE between runs (the .deb per commit).
# Prints "PASS: ..." / "FAIL: ..." lines and "N passed, M failed".
set -u

srcdir=${AAVM_TESTS_SRCDIR:?run from make check-package}
top_srcdir=$srcdir/..
cache=${AAVM_PACKAGE_CACHE:?run from make check-package}
suite=bookworm
passed=0 failed=0

skip() {
    if [ "${AAVM_REQUIRE_PACKAGE_TEST:-0}" = 1 ]; then
        echo "package test required but: $*" >&2
        exit 99
    fi
    echo "SKIP: $*"
    exit 77
}
[ "$(id -u)" -eq 0 ] || skip "needs root (chroot and dpkg in the test root)"
for tool in mmdebstrap dpkg-buildpackage dh lintian git; do
    command -v $tool > /dev/null 2>&1 || skip "$tool not found (.ci/deps installs it)"
done
git -C "$top_srcdir" rev-parse HEAD > /dev/null 2>&1 || skip "the source tree is not a git clone"

pass() { passed=$((passed + 1)); echo "PASS: $*"; }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }
check() {
    desc=$1; shift
    if "$@"; then pass "$desc"; else fail "$desc"; fi
}
t0=$(date +%s)
elapsed() { echo "# $(( $(date +%s) - t0 ))s: $*"; }

mkdir -p "$cache"
work=$(mktemp -d "$cache/run.XXXXXX")
root=$work/root
cleanup() { umount "$root/proc" 2> /dev/null; rm -rf --one-file-system "$work"; }
trap cleanup EXIT
in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C.UTF-8 "$@"; }
# libvirt's virt-aa-helper needs /proc (it lists /proc/self/fd): mounted
# only while it runs.
with_proc() {
    mount -t proc proc "$root/proc" || return 1
    "$@"
    rc=$?
    umount "$root/proc"
    return $rc
}

# mirror_uri: the URI of the first apt source with the suite bookworm
# (deb822 .sources files, then one-line .list files): the same mirror
# apt uses, read at run time.
mirror_uri() {
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] || continue
        awk -v s=$suite '
            function done() { if (uri != "" && (" " suites " ") ~ (" " s " ")) { print uri; exit } uri = ""; suites = "" }
            /^[ \t]*$/ { done(); next }
            tolower($1) == "uris:" { uri = $2 }
            tolower($1) == "suites:" { $1 = ""; suites = $0 }
            END { done() }
        ' "$f"
    done | head -n 1 | grep . && return 0
    cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2> /dev/null |
        awk -v s=$suite '$1 == "deb" { i = 2; if ($i ~ /^\[/) { while ($i !~ /\]$/) i++; i++ }
                                         if ($(i + 1) == s) { print $i; exit } }' | grep .
}

# ------------------------------------------------------------ the package
head=$(git -C "$top_srcdir" rev-parse HEAD)
deb=$cache/deb-$head/aavm_$(sed -n '1s/^aavm (\([^)]*\)).*/\1/p' "$top_srcdir/debian/changelog")_$(dpkg --print-architecture).deb
if [ ! -f "$deb" ]; then
    rm -rf "$cache"/deb-*
    mkdir -p "$cache/deb-$head"
    git clone -q "$top_srcdir" "$cache/deb-$head/aavm"
    (cd "$cache/deb-$head/aavm" && DEB_BUILD_OPTIONS=nocheck dpkg-buildpackage -us -uc -b) \
        > "$cache/deb-$head/build.log" 2>&1
    status=$?
    rm -rf "$cache/deb-$head/aavm"
    if [ $status -ne 0 ]; then
        tail -n 40 "$cache/deb-$head/build.log"
        fail "dpkg-buildpackage -us -uc -b from a clean clone"
        echo "$passed passed, $failed failed"
        exit 1
    fi
fi
check "dpkg-buildpackage -us -uc -b from a clean clone builds $(basename "$deb")" [ -f "$deb" ]
elapsed "package built (or taken from the cache)"
lintian --pedantic -I -E "$deb" > "$work/lintian.out" 2>&1
lintian_status=$?
sed 's/^/# lintian: /' "$work/lintian.out"
check "lintian reports no error" sh -c "[ $lintian_status -eq 0 ] && ! grep -q '^E: ' '$work/lintian.out'"

# ------------------------------------------------------------ the root
tarball=$cache/$suite-libvirt.tar
if [ ! -f "$tarball" ]; then
    uri=$(mirror_uri) || skip "no apt source for $suite in /etc/apt"
    mmdebstrap --quiet --mode=root --variant=apt --include=libvirt-daemon-system,apparmor \
        $suite "$tarball.tmp" "deb $uri $suite main" > "$work/mmdebstrap.log" 2>&1 ||
        { tail -n 30 "$work/mmdebstrap.log"; rm -f "$tarball.tmp"; fail "mmdebstrap made the $suite root"; echo "$passed passed, $failed failed"; exit 1; }
    mv "$tarball.tmp" "$tarball"
fi
mkdir "$root"
tar -C "$root" -xf "$tarball"
check "the $suite root has libvirt-daemon-system" in_root dpkg -s libvirt-daemon-system > /dev/null 2>&1
elapsed "root ready"

libvirt_files="/usr/lib/libvirt/virt-aa-helper /etc/apparmor.d/usr.lib.libvirt.virt-aa-helper
/etc/apparmor.d/abstractions/libvirt-qemu /etc/apparmor.d/abstractions/libvirt-lxc
/etc/apparmor.d/libvirt/TEMPLATE.qemu /etc/apparmor.d/libvirt/TEMPLATE.lxc"
diverted_to() {
    case $1 in
    /etc/apparmor.d/usr.lib.libvirt.virt-aa-helper) echo /etc/aavm/libvirt/usr.lib.libvirt.virt-aa-helper ;;
    *) echo "$1.libvirt" ;;
    esac
}
sums() { for f in $libvirt_files; do sha256sum "$root$f" | sed "s|  $root|  |"; done; }
listing() {
    (cd "$root" && find . -xdev \( -path ./proc -o -path ./sys -o -path ./dev -o -path ./tmp -o -path ./var/lib/dpkg \
        -o -path ./var/log -o -path ./var/cache/debconf -o -path ./var/cache/apt -o -path ./var/lib/apt \
        -o -path ./etc/apparmor.d/libvirt -o -path ./root \) -prune -o -print | sort)
}
# The parser the helper runs compiles (-Q -K) instead of loading.
cat > "$root/usr/local/sbin/parser-compile-only" <<'EOF'
#!/bin/sh
for last; do :; done
exec /usr/sbin/apparmor_parser -Q -K -M /etc/apparmor.d/abi/3.0 "$last"
EOF
chmod 755 "$root/usr/local/sbin/parser-compile-only"
sums > "$work/sums.libvirt"
check "libvirt's six files are there before the install" [ "$(wc -l < "$work/sums.libvirt")" -eq 6 ]
listing > "$work/list.before"

# A VM profile as libvirt's own virt-aa-helper 9.0 makes it (-c), with a
# stand-in parser for its load (no AppArmor in this kernel), then tuned
# by the admin: complain mode and one more rule.
uuid=6f1c2a9e-4d5b-4f7e-9a51-2c3d4e5f6a7b
name=libvirt-$uuid
prof=/etc/apparmor.d/libvirt/$name
sed "s/<uuid>.*<\/uuid>/<uuid>$uuid<\/uuid>/" "$top_srcdir/docs/examples/demo.xml" > "$root/tmp/demo.xml"
mv "$root/usr/sbin/apparmor_parser" "$root/usr/sbin/apparmor_parser.real"
printf '#!/bin/sh\nexit 0\n' > "$root/usr/sbin/apparmor_parser"
chmod 755 "$root/usr/sbin/apparmor_parser"
with_proc in_root /usr/lib/libvirt/virt-aa-helper -c -u "$name" < "$root/tmp/demo.xml" > "$work/vah.out" 2>&1
vah_status=$?
mv "$root/usr/sbin/apparmor_parser.real" "$root/usr/sbin/apparmor_parser"
check "virt-aa-helper 9.0 -c made the VM's profile" sh -c "[ $vah_status -eq 0 ] && [ -s '$root$prof' ]" ||
    sed 's/^/#   /' "$work/vah.out"
check "virt-aa-helper's profile includes <libvirt/$name.files>" grep -qx "  #include <libvirt/$name.files>" "$root$prof"
sed -i -e 's/flags=(attach_disconnected)/flags=(attach_disconnected,complain)/' \
    -e "s|^  #include <libvirt/$name.files>|  /srv/shared/** r,\n&|" "$root$prof"
check "the admin tuned it: complain flag and an extra rule" \
    sh -c "grep -q 'flags=(attach_disconnected,complain)' '$root$prof' && grep -q '^  /srv/shared/\*\* r,' '$root$prof'"
cp "$root$prof" "$work/admin-profile"
cp "$root$prof.files" "$work/vah-files"

# ------------------------------------------------------------ install
cp "$deb" "$root/tmp/aavm.deb"
in_root dpkg -i /tmp/aavm.deb > "$work/install.log" 2>&1
check "dpkg -i aavm exit 0" [ $? -eq 0 ] || cat "$work/install.log"
in_root dpkg-divert --list > "$work/diversions"
sed 's/^/# /' "$work/diversions"
for f in $libvirt_files; do
    check "diverted by aavm: $f -> $(diverted_to "$f")" \
        grep -qxF "diversion of $f to $(diverted_to "$f") by aavm" "$work/diversions"
done
for f in $libvirt_files; do
    expected=$(grep "  $f\$" "$work/sums.libvirt" | cut -d' ' -f1)
    check "libvirt's $f kept byte for byte as $(diverted_to "$f")" \
        [ "$(sha256sum < "$root$(diverted_to "$f")" | cut -d' ' -f1)" = "$expected" ]
done
check "libvirt's helper profile is not where apparmor_parser loads profiles at boot" \
    sh -c "! grep -ls '^profile virt-aa-helper ' '$root'/etc/apparmor.d/* | grep ."
check "/usr/lib/libvirt/virt-aa-helper is a regular file (AppArmor checks an exec against a link's target)" \
    sh -c "[ -f '$root/usr/lib/libvirt/virt-aa-helper' ] && [ ! -L '$root/usr/lib/libvirt/virt-aa-helper' ]"
in_root /usr/lib/libvirt/virt-aa-helper --version > "$work/version" 2>&1
check "aavm-helper --version runs at libvirt's path: $(cat "$work/version")" grep -q '^aavm-helper (aavm) ' "$work/version"
check "Debian's libvirtd profile, unchanged, lets the daemon run it (/usr/lib/libvirt/* PUxr)" \
    grep -q '^ *<*/usr/lib/libvirt/\* PUxr,' "$root/etc/apparmor.d/usr.sbin.libvirtd"
check "aavm-helper's profile attaches to libvirt's path" \
    grep -q '^profile aavm-helper /{usr/libexec/aavm/aavm-helper,usr/lib/libvirt/virt-aa-helper} {' "$root/etc/apparmor.d/aavm-helper"
check "the templates and abstractions at libvirt's names are ours" \
    sh -c "grep -q aavm '$root/etc/apparmor.d/libvirt/TEMPLATE.qemu' && grep -q 'include if exists <local/abstractions/libvirt-qemu>' '$root/etc/apparmor.d/abstractions/libvirt-qemu'"
elapsed "installed"

# ------------------------------------------------ the upgrade: -r, status
check "the admin's profile survives the install byte for byte" cmp -s "$root$prof" "$work/admin-profile"
in_root /usr/lib/libvirt/virt-aa-helper --assume-apparmor --parser /usr/local/sbin/parser-compile-only \
    -r -u "$name" < "$root/tmp/demo.xml" > "$work/r.out" 2>&1
check "aavm-helper -r on it exit 0 (profile and new .files compiled by the root's parser)" [ $? -eq 0 ] || cat "$work/r.out"
check "aavm-helper -r warns about nothing" sh -c "! grep -q warning '$work/r.out'"
check "the admin's profile survives aavm-helper -r byte for byte" cmp -s "$root$prof" "$work/admin-profile"
check "no copy was needed (nothing remade)" [ ! -e "$root$prof.aavm-old" ]
check "aavm-helper -r rewrote .files" sh -c "! cmp -s '$root$prof.files' '$work/vah-files' && grep -q 'GENERATED BY AAVM' '$root$prof.files'"
in_root aavm status > "$work/status" 2>&1
sed 's/^/# status: /' "$work/status"
check "aavm status: the adopted profile is complain, .files current" grep -qE "^$uuid .* complain +current\$" "$work/status"

# Every installed profile compiles with the root's parser: each profile
# of /etc/apparmor.d (ours, libvirt's daemon, the rest of the root), a VM
# profile aavm-helper makes from our template, the adopted one.
uuid2=0d3c8a52-1f7e-4b9a-8c6d-5e4f3a2b1c0d
sed "s/<uuid>.*<\/uuid>/<uuid>$uuid2<\/uuid>/" "$root/tmp/demo.xml" > "$root/tmp/demo2.xml"
in_root /usr/lib/libvirt/virt-aa-helper --assume-apparmor --parser /usr/local/sbin/parser-compile-only \
    -c -u "libvirt-$uuid2" < "$root/tmp/demo2.xml" > "$work/c.out" 2>&1
check "aavm-helper -c makes a VM profile from our template" [ $? -eq 0 ] || cat "$work/c.out"
n=0 bad= names=
for p in "$root"/etc/apparmor.d/* "$root$prof" "$root/etc/apparmor.d/libvirt/libvirt-$uuid2"; do
    [ -f "$p" ] || continue
    p=${p#$root}
    n=$((n + 1))
    names="$names ${p#/etc/apparmor.d/}"
    in_root apparmor_parser -Q -K -M /etc/apparmor.d/abi/3.0 "$p" > "$work/parser.out" 2>&1 ||
        { bad="$bad $p"; sed 's/^/#   /' "$work/parser.out"; }
done
echo "# compiled:$names"
check "all $n installed profiles compile with the root's apparmor_parser -Q -K${bad:+ (not:$bad)}" [ -z "$bad" ]
elapsed "upgrade checks"

# ------------------------------------------------------------ remove
in_root apt-get remove -y aavm > "$work/remove.log" 2>&1
check "apt-get remove aavm exit 0" [ $? -eq 0 ] || cat "$work/remove.log"
check "no diversion by aavm is left" sh -c "! chroot '$root' dpkg-divert --list | grep -q 'by aavm'"
sums > "$work/sums.after-remove"
check "apt-get remove gives back libvirt's six files byte for byte" cmp -s "$work/sums.libvirt" "$work/sums.after-remove" ||
    diff "$work/sums.libvirt" "$work/sums.after-remove"
left=
for f in $libvirt_files; do
    [ ! -e "$root$(diverted_to "$f")" ] || left="$left $(diverted_to "$f")"
done
check "no diverted copy is left behind${left:+ (left:$left)}" [ -z "$left" ]
check "removed, our conffiles stay until purge" \
    sh -c "chroot '$root' dpkg -s aavm 2>/dev/null | grep -q '^Status: deinstall ok config-files' && [ -f '$root/etc/aavm/templates/TEMPLATE.qemu' ]"
check "the admin's VM profile is still there, byte for byte" cmp -s "$root$prof" "$work/admin-profile"
# Back to libvirt's helper: it goes on with the profiles aavm made (they
# include .files by its absolute path) and the adopted one.
cp "$root/etc/apparmor.d/libvirt/libvirt-$uuid2" "$work/aavm-made"
mv "$root/usr/sbin/apparmor_parser" "$root/usr/sbin/apparmor_parser.real"
cp "$root/usr/local/sbin/parser-compile-only" "$root/usr/sbin/apparmor_parser"
sed -i 's|/usr/sbin/apparmor_parser |/usr/sbin/apparmor_parser.real |' "$root/usr/sbin/apparmor_parser"
with_proc in_root /usr/lib/libvirt/virt-aa-helper -r -u "libvirt-$uuid2" < "$root/tmp/demo2.xml" > "$work/vah2.out" 2>&1
vah2=$?
with_proc in_root /usr/lib/libvirt/virt-aa-helper -r -u "$name" < "$root/tmp/demo.xml" > "$work/vah3.out" 2>&1
vah3=$?
mv "$root/usr/sbin/apparmor_parser.real" "$root/usr/sbin/apparmor_parser"
check "libvirt's virt-aa-helper -r takes over a profile aavm made (compiled by the root's parser)" \
    sh -c "[ $vah2 -eq 0 ] && cmp -s '$root/etc/apparmor.d/libvirt/libvirt-$uuid2' '$work/aavm-made' && grep -q 'MANAGED BY LIBVIRT' '$root/etc/apparmor.d/libvirt/libvirt-$uuid2.files'" ||
    sed 's/^/#   /' "$work/vah2.out"
check "and the adopted one, still the admin's" sh -c "[ $vah3 -eq 0 ] && cmp -s '$root$prof' '$work/admin-profile'" ||
    sed 's/^/#   /' "$work/vah3.out"

# ------------------------------------------------ install again, reinstall
in_root dpkg -i /tmp/aavm.deb > "$work/install2.log" 2>&1
check "dpkg -i aavm again exit 0" [ $? -eq 0 ] || cat "$work/install2.log"
check "the six diversions are back" [ "$(in_root dpkg-divert --list | grep -c 'by aavm$')" -eq 6 ]
echo '# the admin: a local change' >> "$root/etc/aavm/templates/TEMPLATE.qemu"
echo '  # the admin: a local change' >> "$root/etc/apparmor.d/abstractions/libvirt-qemu"
cp "$root/etc/aavm/templates/TEMPLATE.qemu" "$work/template.edited"
cp "$root/etc/apparmor.d/abstractions/aavm-qemu" "$work/abstraction.edited"
in_root dpkg -i /tmp/aavm.deb > "$work/install3.log" 2>&1
check "dpkg -i over the installed package (the upgrade path) exit 0" [ $? -eq 0 ] || cat "$work/install3.log"
check "an admin's edit of TEMPLATE.qemu survives it (a conffile)" cmp -s "$root/etc/aavm/templates/TEMPLATE.qemu" "$work/template.edited"
check "an admin's edit of abstractions/libvirt-qemu survives it (a conffile)" cmp -s "$root/etc/apparmor.d/abstractions/aavm-qemu" "$work/abstraction.edited"
check "the link at libvirt's name still points to the edited abstraction" \
    grep -q 'the admin: a local change' "$root/etc/apparmor.d/abstractions/libvirt-qemu"
check "diversions unchanged by the reinstall (6)" [ "$(in_root dpkg-divert --list | grep -c 'by aavm$')" -eq 6 ]

# ------------------------------------------------------------ purge
in_root apt-get purge -y aavm > "$work/purge.log" 2>&1
check "apt-get purge aavm exit 0" [ $? -eq 0 ] || cat "$work/purge.log"
check "dpkg knows nothing of aavm" sh -c "! chroot '$root' dpkg -L aavm > /dev/null 2>&1 && ! chroot '$root' dpkg-divert --list | grep -q aavm"
sums > "$work/sums.after-purge"
check "libvirt's six files byte for byte after the purge" cmp -s "$work/sums.libvirt" "$work/sums.after-purge"
listing > "$work/list.after"
check "nothing of ours left: the root lists the same files as before the install" \
    cmp -s "$work/list.before" "$work/list.after" ||
    diff "$work/list.before" "$work/list.after" | sed 's/^/#   /'
check "no file named aavm* anywhere" sh -c "! find '$root' -xdev -name '*aavm*' ! -path '$root$prof*' ! -path '$root/tmp/*' | grep ."
elapsed "done"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
