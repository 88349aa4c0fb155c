#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# aavm-helper's state on disk (docs/state.md): the compile cache with the
# real apparmor_parser, the per-VM lock under 100 concurrent hot-plugs,
# rollback when the parser refuses, -F appending and a full -r revoking, repair of broken
# profiles, crash safety under SIGKILL, the aa_is_enabled() check and one
# load per hot-plug of a disk with a backing chain.  Figures are printed
# ("state: ..."), never asserted as timings.
. "$AAVM_TESTS_SRCDIR/cli/lib.sh"

. "$AAVM_TESTS_SRCDIR/cli/helper-env.sh"
cache=$tmp/cache
disk_xml=$srcdir/data/disk-file.xml

# A recording stub: one line of arguments per call, stdout/stderr text, and
# the exit status in parser.status (0 by default).
stub=$tmp/parser-stub
cat > "$stub" <<STUB
#!/bin/sh
echo "\$*" >> "$log"
echo "stub parser says: line 1"
echo "stub parser says: syntax error in the new rules" >&2
exit \$(cat "$tmp/parser.status" 2>/dev/null || echo 0)
STUB
chmod +x "$stub"

run() { "$H" --profile-dir "$pd" --lock-dir "$tmp/lock" --parser "$stub" --assume-apparmor --cache-dir "$cache" "$@"; }
reset() { rm -rf "$pd"/libvirt-* "$log" "$tmp/parser.status" "$cache"; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# --- 7. aa_is_enabled(): without --assume-apparmor, loading is refused here
reset
"$H" --profile-dir "$pd" --lock-dir "$tmp/lock" --parser "$stub" -c -u $name < "$disk_xml" > /dev/null 2> "$tmp/err"
check "no AppArmor kernel: -c exit 1" [ $? -eq 1 ]
check "no AppArmor kernel: the message names the reason" \
    grep -qE "aavm-helper: error: Cannot load profiles: (This kernel has no AppArmor support|AppArmor is in the kernel but was disabled at boot|AppArmor is enabled but securityfs is not mounted|Not permitted)" "$tmp/err"
check "no AppArmor kernel: nothing written" [ -z "$(ls "$pd" | grep -v TEMPLATE)" ]
check "no AppArmor kernel: no parser run" [ ! -s "$log" ]
"$H" --profile-dir "$pd" --lock-dir "$tmp/lock" --parser "$stub" -d -c -u $name < "$disk_xml" > /dev/null 2>&1
check "no AppArmor kernel: a dry run still works" [ $? -eq 0 ]
"$H" -h > "$tmp/out" 2>&1
check "-h documents --assume-apparmor" grep -q -- "--assume-apparmor" "$tmp/out"
check "-h documents --cache-dir" grep -q -- "--cache-dir" "$tmp/out"
run --cache-dir relative -c -u $name < "$disk_xml" > /dev/null 2> "$tmp/err"
check "a relative --cache-dir is refused" grep -q "not an absolute path" "$tmp/err"

# --- 3. rollback: a parser that fails leaves the old files byte for byte
reset
run -c -u $name < "$disk_xml" > /dev/null 2>&1
run -r -u $name -F /srv/vm/hot.img < "$disk_xml" > /dev/null 2>&1
cp "$prof" "$tmp/prof.old"; cp "$files" "$tmp/files.old"
echo 1 > "$tmp/parser.status"
disk_domain /srv/vm/other.img > "$tmp/other.xml"
run -r -u $name < "$tmp/other.xml" > /dev/null 2> "$tmp/err"
check "rollback: -r with a failing parser exit 1" [ $? -eq 1 ]
check "rollback: the profile is byte-identical" cmp -s "$prof" "$tmp/prof.old"
check "rollback: .files is byte-identical" cmp -s "$files" "$tmp/files.old"
check "rollback: the message has the parser's words" grep -q "stub parser says: syntax error in the new rules" "$tmp/err"
check "rollback: the message says the files were put back" grep -q "previous files were put back" "$tmp/err"
check "rollback: no temporary files" [ "$(ls "$pd" | wc -l)" -eq 4 ]
run -r -u $name -F /srv/vm/hot2.img < "$disk_xml" > /dev/null 2> "$tmp/err"
check "rollback: -r -F with a failing parser exit 1" [ $? -eq 1 ]
check "rollback: -F did not stay" cmp -s "$files" "$tmp/files.old"
: > "$prof"
run -r -u $name < "$disk_xml" > /dev/null 2> "$tmp/err"
check "rollback: a repair that fails to load exit 1" [ $? -eq 1 ]
check "rollback: the empty profile is put back as it was" [ -f "$prof" ] && [ ! -s "$prof" ]
reset
echo 1 > "$tmp/parser.status"
run -c -u $name < "$disk_xml" > /dev/null 2> "$tmp/err"
check "rollback: -c with a failing parser exit 1" [ $? -eq 1 ]
check "rollback: -c removes what it created" [ ! -e "$prof" ] && [ ! -e "$files" ]
check "rollback: -c names the parser's words" grep -q "stub parser says: syntax error" "$tmp/err"

# --- 4. -F appends to .files; a full -r writes what the XML grants (revokes)
reset
run -c -u $name < "$disk_xml" > /dev/null 2>&1
cp "$files" "$tmp/files.created"
run -r -u $name -F /srv/vm/hot.img < "$disk_xml" > /dev/null 2>&1
run -r -u $name -F /var/lib/libvirt/qemu/incoming.mig < "$disk_xml" > /dev/null 2>&1
check "-F: appended after the XML's rules" \
    sh -c 'head -c "$(wc -c < "$1")" "$2" | cmp -s - "$1"' sh "$tmp/files.created" "$files"
check "-F: the appended rule, its reason above it" \
    [ "$(tail -n 4 "$files" | tr '\n' '|')" = '  # -F append-file|  "/srv/vm/hot.img" rwk,|  # -F append-file|  "/var/lib/libvirt/qemu/incoming.mig" rwk,|' ]
run -r -u $name -F /srv/vm/hot.img < "$disk_xml" > /dev/null 2>&1
check "-F: the same path again is not appended twice" [ "$(grep -c '"/srv/vm/hot.img" rwk,' "$files")" -eq 1 ]
run -r -u $name < "$tmp/other.xml" > /dev/null 2>&1
check "-F: a full -r exit 0" [ $? -eq 0 ]
check "-F: a full -r writes the new XML's rules" grep -qF '"/srv/vm/other.img" rwk,' "$files"
check "-F: a full -r drops the old XML's disk" sh -c "! grep -q disk.qcow2 '$files'"
check "-F: a full -r revokes what -F added" sh -c "! grep -q -e hot.img -e incoming.mig '$files'"
cp "$files" "$tmp/files.full"
run -D -u $name > /dev/null 2>&1
run -r -u $name < "$tmp/other.xml" > /dev/null 2>&1
check "-F: a full -r writes what a fresh one does" cmp -s "$files" "$tmp/files.full"
run -r -u $name -F /srv/vm/other.img < "$tmp/other.xml" > /dev/null 2>&1
check "-F: a path .files grants is not added again" [ "$(grep -c '"/srv/vm/other.img"' "$files")" -eq 1 ]
# libvirt's hot-plug of a disk, then its unplug (detach-disk): -r -F of the
# image (the XML without the disk yet), a full -r with the disk, a full -r
# without it.
sed 's|</devices>|<disk type="file" device="disk"><driver name="qemu" type="raw"/><source file="/srv/vm/plugged.img"/><target dev="vdc" bus="virtio"/></disk>&|' \
    "$tmp/other.xml" > "$tmp/plugged.xml"
run -r -u $name -F /srv/vm/plugged.img < "$tmp/other.xml" > /dev/null 2>&1
check "hot-plug: -r -F grants the image" grep -qF '"/srv/vm/plugged.img" rwk,' "$files"
run -r -u $name -F /srv/vm/unrelated.img < "$tmp/other.xml" > /dev/null 2>&1
check "hot-plug: an unrelated hot-plug keeps it" grep -qF '"/srv/vm/plugged.img" rwk,' "$files"
run -r -u $name < "$tmp/plugged.xml" > /dev/null 2>&1
check "hot-plug: a full -r with the disk in the XML keeps it" grep -qF '"/srv/vm/plugged.img" rwk,' "$files"
run -r -u $name < "$tmp/other.xml" > /dev/null 2>&1
check "unplug: a full -r without the disk revokes it" sh -c "! grep -q plugged.img '$files'"
check "unplug: .files is what the XML grants" cmp -s "$files" "$tmp/files.full"
# detach-disk with no full -r between the hot-plug and the unplug: each
# layer came only from -r -F, and the full -r without the disk revokes all.
for layer in base mid top; do
    run -r -u $name -F /srv/vm/chain-$layer.qcow2 < "$tmp/other.xml" > /dev/null 2>&1
done
check "detach-disk: -r -F granted every layer" [ "$(grep -c '"/srv/vm/chain-[a-z]*.qcow2" rwk,' "$files")" -eq 3 ]
run -r -u $name < "$tmp/other.xml" > /dev/null 2>&1
check "detach-disk: a full -r without the disk revokes every layer" sh -c "! grep -q chain- '$files'"
check "detach-disk: and their reason lines" [ "$(grep -c '# -F append-file' "$files")" -eq 0 ]

# --- 5. repair: an empty or truncated profile is made again; dry runs only say so
for damage in empty truncated noinclude; do
    reset
    run -c -u $name < "$disk_xml" > /dev/null 2>&1
    cp "$prof" "$tmp/prof.good"
    case $damage in
    empty) : > "$prof" ;;
    truncated) head -c $(( $(wc -c < "$tmp/prof.good") - 3 )) "$tmp/prof.good" > "$prof" ;;
    noinclude) grep -v "include if exists \"$files\"" "$tmp/prof.good" > "$prof" ;;
    esac
    cp "$prof" "$tmp/prof.bad"
    rm -f "$log"
    run -d -r -u $name < "$disk_xml" > /dev/null 2> "$tmp/err"
    check "repair ($damage): -d -r exit 0" [ $? -eq 0 ]
    check "repair ($damage): -d -r warns" grep -q "aavm-helper: warning: The profile '$prof' .*without -d it would be made again" "$tmp/err"
    check "repair ($damage): -d -r repairs nothing" cmp -s "$prof" "$tmp/prof.bad"
    run -r -u $name < "$disk_xml" > /dev/null 2> "$tmp/err"
    check "repair ($damage): -r exit 0" [ $? -eq 0 ]
    check "repair ($damage): -r warns" grep -q "aavm-helper: warning: The profile '$prof' .*made again from the template" "$tmp/err"
    check "repair ($damage): the profile is whole again" cmp -s "$prof" "$tmp/prof.good"
    check "repair ($damage): loaded once" [ "$(grep -c '^-r ' "$log")" -eq 1 ]
done
run -r -u $name < "$disk_xml" > /dev/null 2> "$tmp/err"
check "repair: a whole profile gets no warning" [ ! -s "$tmp/err" ]

# --- 2. the per-VM lock: 100 concurrent hot-plugs lose no rule
reset
run -c -u $name < "$disk_xml" > /dev/null 2>&1
t0=$(now_ms)
i=1
while [ $i -le 100 ]; do
    run -r -u $name -F /srv/vm/file$i < "$disk_xml" > /dev/null 2>> "$tmp/par.err" &
    i=$((i + 1))
done
wait
t1=$(now_ms)
echo "state: 100 parallel -r -F on one VM took $((t1 - t0)) ms"
check "lock: no call failed" [ ! -s "$tmp/par.err" ]
n=0
i=1
while [ $i -le 100 ]; do
    grep -qF "\"/srv/vm/file$i\" rwk," "$files" && n=$((n + 1))
    i=$((i + 1))
done
echo "state: $n of 100 rules present after the parallel run"
check "lock: all 100 rules are in .files" [ $n -eq 100 ]
check "lock: each exactly once" [ "$(grep -c '"/srv/vm/file[0-9]*" rwk,' "$files")" -eq 100 ]
check "lock: 101 loads ran" [ "$(wc -l < "$log")" -eq 101 ]
check "lock: the lock file is 0600, in the lock directory (0700)" [ "$(stat -c %a "$tmp/lock/$name.lock") $(stat -c %a "$tmp/lock")" = "600 700" ]
check "lock: no lock file in the profile directory" [ ! -e "$pd/$name.lock" ]
check "lock: no temporary files" [ "$(ls "$pd" | wc -l)" -eq 4 ]

# --- 8. hot-plug of a disk with a 3-layer backing chain loads once
if command -v qemu-img > /dev/null 2>&1; then
    reset
    img=$tmp/images
    mkdir -p "$img"
    qemu-img create -q -f raw "$img/base.raw" 1M
    qemu-img create -q -f qcow2 -F raw -b base.raw "$img/mid.qcow2" 1M
    qemu-img create -q -f qcow2 -F qcow2 -b mid.qcow2 "$img/top.qcow2" 1M
    run -c -u $name < "$disk_xml" > /dev/null 2>&1
    disk_domain "$img/top.qcow2" qcow2 > "$tmp/chain.xml"
    rm -f "$log"
    run -r -u $name < "$tmp/chain.xml" > /dev/null 2> "$tmp/err"
    check "chain: -r exit 0" [ $? -eq 0 ]
    check "chain: all three layers granted" \
        [ "$(grep -c -e 'top.qcow2" ' -e 'mid.qcow2" ' -e 'base.raw" ' "$files")" -eq 3 ]
    check "chain: exactly one parser call" [ "$(wc -l < "$log")" -eq 1 ]
    rm -f "$log"
    run -r -u $name -F "$img/top.qcow2" < "$tmp/chain.xml" > /dev/null 2>&1
    check "chain: -r -F of the top loads once" [ "$(wc -l < "$log")" -eq 1 ]
elif [ "${AAVM_REQUIRE_QEMU_IMG:-0}" = 1 ]; then
    not_ok "qemu-img is required (AAVM_REQUIRE_QEMU_IMG=1) but missing"
fi

# --- 6. crash safety: SIGKILL at random points, files always whole
big_domain() {
    echo "<domain type='kvm'><name>big</name><uuid>$uuid</uuid><memory>1024</memory><os><type>hvm</type></os><devices>"
    awk -v p="$1" 'BEGIN { for (i = 0; i < 3000; i++)
        printf "<disk type=\"file\" device=\"disk\"><source file=\"/srv/vm/%s-disk-%d.img\"/><target dev=\"vd%d\" bus=\"virtio\"/></disk>\n", p, i, i }'
    echo "</devices></domain>"
}
reset
big_domain a > "$tmp/big-a.xml"
big_domain b > "$tmp/big-b.xml"
run -c -u $name < "$tmp/big-b.xml" > /dev/null 2>&1
cp "$files" "$tmp/files.b"
run -r -u $name < "$tmp/big-a.xml" > /dev/null 2>&1
cp "$files" "$tmp/files.a"
cp "$prof" "$tmp/prof.whole"
runs=200 landed=0 finished=0 midwrite=0 torn=0 changed=0 repaired=0
prev=a
i=0
while [ $i -lt $runs ]; do
    if [ $((i % 2)) -eq 0 ]; then x=b; else x=a; fi
    # Every fourth run also has an empty profile to remake (the profile's
    # own atomic write): afterwards it is empty or whole, never torn.
    [ $((i % 4)) -eq 3 ] && : > "$prof"
    delay=$(( $(od -An -N2 -tu2 /dev/urandom) % 80 ))
    # Not through run(): $! must be the helper itself, not a subshell.
    "$H" --profile-dir "$pd" --lock-dir "$tmp/lock" --parser "$stub" --assume-apparmor --cache-dir "$cache" \
        -r -u $name < "$tmp/big-$x.xml" > /dev/null 2>&1 &
    pid=$!
    sleep "0.$(printf %03d $delay)"
    if kill -KILL $pid 2> /dev/null; then landed=$((landed + 1)); else finished=$((finished + 1)); fi
    wait $pid 2> /dev/null
    # A temporary file left behind: the kill landed between mkstemp and rename.
    [ -n "$(ls "$pd" | grep -E "^$name(\.files)?\.[A-Za-z0-9]{6}\$")" ] && midwrite=$((midwrite + 1))
    now=
    cmp -s "$files" "$tmp/files.a" && now=a
    cmp -s "$files" "$tmp/files.b" && now=b
    prof_ok=
    cmp -s "$prof" "$tmp/prof.whole" && prof_ok=1
    [ $((i % 4)) -eq 3 ] && [ -n "$prof_ok" ] && repaired=$((repaired + 1))
    [ -f "$prof" ] && [ ! -s "$prof" ] && prof_ok=1
    if [ -z "$now" ] || [ -z "$prof_ok" ]; then
        torn=$((torn + 1))
    else
        [ "$now" != "$prev" ] && changed=$((changed + 1))
        prev=$now
    fi
    i=$((i + 1))
done
echo "state: crash test: $runs runs, $landed SIGKILLs landed before exit, $finished finished first, $midwrite left a temporary file (killed mid-write), $changed switched .files, $repaired of $((runs / 4)) emptied profiles remade, $torn torn"
check "crash: .files and the profile were whole after every kill" [ $torn -eq 0 ]
run -r -u $name < "$tmp/big-a.xml" > /dev/null 2>&1
check "crash: the next run succeeds" [ $? -eq 0 ]
# What is left: the template, the profile, .files and the copy of the
# last emptied profile remade (libvirt-<uuid>.aavm-old); the lock is in
# the lock directory.
check "crash: the next run cleans every temporary file" [ "$(ls "$pd" | grep -v -x "$name.aavm-old" | wc -l)" -eq 4 ]
check "crash: and writes the complete new .files" cmp -s "$files" "$tmp/files.a"
check "crash: and leaves the profile whole" cmp -s "$prof" "$tmp/prof.whole"

# --- 1. the compile cache, with the real apparmor_parser
if have_parser; then
    reset
    real=$tmp/parser-real
    cat > "$real" <<STUB
#!/bin/sh
"$parser" -Q -M /etc/apparmor.d/abi/3.0 -I "$top_srcdir/profiles" -b /etc/apparmor.d -v "\$@" >> "$tmp/real.log" 2>&1
STUB
    chmod +x "$real"
    rr() { "$H" --profile-dir "$pd" --lock-dir "$tmp/lock" --parser "$real" --assume-apparmor --cache-dir "$cache" "$@"; }
    rr -c -u $name < "$disk_xml" > /dev/null 2> "$tmp/err"
    check "cache: -c with the real parser exit 0" [ $? -eq 0 ]
    cached=$(find "$cache" -type f -name "$name" | head -n 1)
    check "cache: -c writes the compiled profile under the cache dir" [ -n "$cached" ] && [ -s "$cached" ]
    check "cache: the first load compiles" sh -c "! grep -q 'Cached' '$tmp/real.log'"
    m1=$(stat -c %y "$cached")
    sleep 1.1
    : > "$tmp/real.log"
    rr -r -u $name < "$disk_xml" > /dev/null 2>&1
    check "cache: -r of unchanged files exit 0" [ $? -eq 0 ]
    check "cache: the parser used the cache" grep -q "^Cached reload succeeded for \"$cached\"" "$tmp/real.log"
    check "cache: the cache file was not rewritten" [ "$(stat -c %y "$cached")" = "$m1" ]
    : > "$tmp/real.log"
    rr -a -u $name > /dev/null 2>&1
    check "cache: -a of unchanged files uses the cache" grep -q "^Cached load succeeded for \"$cached\"" "$tmp/real.log"
    : > "$tmp/real.log"
    disk_domain /srv/vm/new-disk.img > "$tmp/new.xml"
    rr -r -u $name < "$tmp/new.xml" > /dev/null 2>&1
    check "cache: -r with a new disk exit 0" [ $? -eq 0 ]
    check "cache: a real change recompiles" sh -c "! grep -q 'Cached' '$tmp/real.log'"
    check "cache: the cache file is rebuilt" [ "$(stat -c %y "$cached")" != "$m1" ]
    : > "$tmp/real.log"
    rr -r -u $name < "$tmp/new.xml" > /dev/null 2>&1
    check "cache: and is used again on the next unchanged load" grep -q "^Cached reload succeeded" "$tmp/real.log"
fi
finish
