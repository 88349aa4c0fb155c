#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# aavm image-check on images qemu-img makes at test time: every rule in both
# directions, the verdict line, the exit codes, and the --json form.
. "$AAVM_TESTS_SRCDIR/cli/lib.sh"

if ! command -v qemu-img > /dev/null 2>&1; then
    if [ "${AAVM_REQUIRE_QEMU_IMG:-0}" = 1 ]; then
        echo "qemu-img is required (AAVM_REQUIRE_QEMU_IMG=1) but missing" >&2
        exit 99
    fi
    echo "qemu-img not found: skipping"
    exit 77
fi

# Messages and sizes as written in the tests, whatever the caller's locale.
LC_ALL=C
export LC_ALL
A=$builddir/helper/aavm
img=$tmp/img
mkdir "$img" && cd "$img" || exit 99

# mkimage DESCRIPTION qemu-img-ARGUMENT...: a test image; a failure is a hard error.
mkimage() {
    desc=$1; shift
    qemu-img "$@" > "$tmp/qemu.log" 2>&1 || { cat "$tmp/qemu.log" >&2; echo "cannot make $desc" >&2; exit 99; }
}

mkimage "qcow2" create -q -f qcow2 base.qcow2 16M
mkimage "qcow2 with a backing file" create -q -f qcow2 -F qcow2 -b base.qcow2 top.qcow2
mkimage "qcow2 with a data file" create -q -f qcow2 -o data_file=df.data df.qcow2 16M
mkimage "qed" create -q -f qed plain.qed 16M
mkimage "qed with a backing file" create -q -f qed -F qcow2 -b base.qcow2 top.qed
mkimage "vmdk sparse" create -q -f vmdk -o subformat=monolithicSparse sparse.vmdk 16M
mkimage "vmdk flat extents" create -q -f vmdk -o subformat=twoGbMaxExtentFlat flat.vmdk 16M
mkimage "raw" create -q -f raw clean.raw 1M
# The pbkdf benchmark of qemu-img's LUKS code fails now and then on a busy
# machine ("Unable to get accurate CPU usage", about one run in four with
# both CPUs of a small machine busy; a failure is quick): try again.
for try in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
    qemu-img create -q -f luks --object secret,id=s0,data=abc \
        -o key-secret=s0,iter-time=10 x.luks 16M > "$tmp/qemu.log" 2>&1 && break
    rm -f x.luks
done
[ -f x.luks ] || { cat "$tmp/qemu.log" >&2; echo "cannot make luks" >&2; exit 99; }
# The attack: a "raw" upload whose first sector is a qcow2 header naming
# /etc/shadow as its backing file.
mkimage "qcow2 naming /etc/shadow" create -q -f qcow2 -u -F raw -b /etc/shadow evil.qcow2 1M
cp clean.raw disguised.raw
dd if=evil.qcow2 of=disguised.raw bs=512 count=1 conv=notrunc 2> /dev/null
head -c 50 base.qcow2 > cut.qcow2

# expect STATUS DESCRIPTION ARGUMENT...: run 'aavm image-check ARGUMENT...'
# (standard output in $tmp/out, standard error in $tmp/err).
expect() {
    want=$1 desc=$2; shift 2
    "$A" image-check "$@" > "$tmp/out" 2> "$tmp/err"
    got=$?
    if [ "$got" -eq "$want" ]; then
        ok "$desc: exit $want"
    else
        not_ok "$desc: exit $got, expected $want"
        cat "$tmp/out" "$tmp/err"
    fi
}

# first_line TEXT: the verdict line must be TEXT.
first_line() {
    line=$(head -n1 "$tmp/out")
    if [ "$line" = "$1" ]; then
        ok "verdict '$1'"
    else
        not_ok "verdict '$line', expected '$1'"
    fi
}

# has TEXT: standard output has the line TEXT.
has() { check "output has '$1'" grep -qxF "$1" "$tmp/out"; }

# same_json EXPECTED: standard output is exactly EXPECTED and a newline.
same_json() {
    printf '%s\n' "$1" > "$tmp/expected"
    if cmp -s "$tmp/expected" "$tmp/out"; then
        ok "JSON of $(sed -n 's/^{"version":1,"file":"\([^"]*\)".*/\1/p' "$tmp/expected")"
    else
        not_ok "JSON differs"
        diff -u "$tmp/expected" "$tmp/out"
    fi
}

size_of() { wc -c < "$1" | tr -d ' '; }

# --- qcow2 ---
expect 0 "plain qcow2" --format qcow2 base.qcow2
first_line "base.qcow2: accepted (qcow2, virtual size 16777216 bytes)"
has "  format: qcow2, version 3"
has "  virtual size: 16777216 bytes (16.0 MiB)"
check "the file size in bytes" grep -qF "  file size: $(size_of base.qcow2) bytes (" "$tmp/out"
has "  backing file: none"
has "  data file: none"
has "  encrypted: no"
check "an accepted image has no problem line" sh -c "! grep -q problem '$tmp/out'"
expect 0 "-f is --format" -f qcow2 base.qcow2

expect 1 "qcow2 with a backing file" --format qcow2 top.qcow2
first_line "top.qcow2: refused: The image names the backing file 'base.qcow2'; a backing file can point the VM at any host file."
has "  backing file: 'base.qcow2', format qcow2"
has "  problem: The image names the backing file 'base.qcow2'; a backing file can point the VM at any host file."
check "the refusal is on standard output only" [ ! -s "$tmp/err" ]
expect 0 "qcow2 with a backing file, --allow-backing" --format qcow2 --allow-backing top.qcow2
first_line "top.qcow2: accepted (qcow2, virtual size 16777216 bytes)"
has "  backing file: 'base.qcow2', format qcow2"
expect 1 "qcow2 with a backing file, --allow-data-file only" --format qcow2 --allow-data-file top.qcow2

expect 1 "qcow2 with a data file" --format qcow2 df.qcow2
first_line "df.qcow2: refused: The image keeps its data in the external data file 'df.data'; a data file can point the VM at any host file."
has "  data file: 'df.data'"
expect 0 "qcow2 with a data file, --allow-data-file" --format qcow2 --allow-data-file df.qcow2
expect 1 "qcow2 with a data file, --allow-backing only" --format qcow2 --allow-backing df.qcow2

# --- the size limit ---
expect 1 "a limit one byte below the virtual size" --format qcow2 --max-virtual-size 16777215 base.qcow2
first_line "base.qcow2: refused: The virtual size of 16777216 bytes is above the limit of 16777215 bytes."
expect 0 "a limit equal to the virtual size" --format qcow2 --max-virtual-size 16777216 base.qcow2
expect 0 "a limit of 16M" --format qcow2 --max-virtual-size 16M base.qcow2
expect 0 "a limit of 16MiB" --format qcow2 --max-virtual-size 16MiB base.qcow2
expect 1 "a limit of 15M" --format qcow2 --max-virtual-size 15M base.qcow2
expect 1 "several problems at once" --format qcow2 --max-virtual-size 1M top.qcow2
first_line "top.qcow2: refused: The virtual size of 16777216 bytes is above the limit of 1048576 bytes."
check "every problem is listed" [ "$(grep -c '^  problem: ' "$tmp/out")" -eq 2 ]
has "  problem: The image names the backing file 'base.qcow2'; a backing file can point the VM at any host file."

# --- qed, vmdk, luks ---
expect 0 "qed" --format qed plain.qed
first_line "plain.qed: accepted (qed, virtual size 16777216 bytes)"
expect 1 "qed with a backing file" --format qed top.qed
first_line "top.qed: refused: The image names the backing file 'base.qcow2'; a backing file can point the VM at any host file."
expect 0 "qed with a backing file, --allow-backing" --format qed --allow-backing top.qed

expect 0 "vmdk monolithicSparse" --format vmdk sparse.vmdk
first_line "sparse.vmdk: accepted (vmdk, virtual size 16777216 bytes)"
expect 1 "vmdk twoGbMaxExtentFlat" --format vmdk flat.vmdk
first_line "flat.vmdk: refused: The image keeps its data in other files ('flat-f001.vmdk'); an extent file can point the VM at any host file."
has "  extent file: 'flat-f001.vmdk'"
expect 0 "vmdk twoGbMaxExtentFlat, --allow-data-file" --format vmdk --allow-data-file flat.vmdk
first_line "flat.vmdk: accepted (vmdk, virtual size 16777216 bytes)"

expect 0 "luks" --format luks x.luks
first_line "x.luks: accepted (luks, virtual size 16777216 bytes)"
has "  encrypted: yes"

# --- raw ---
expect 0 "clean raw" --format raw clean.raw
first_line "clean.raw: accepted (raw, virtual size 1048576 bytes)"
has "  format: raw"
expect 1 "raw carrying a qcow2 header" --format raw disguised.raw
first_line "disguised.raw: refused: The image is declared raw but carries a qcow2 header; a program that guesses the format would read it as qcow2 and follow that header."
has "  header found: qcow2"
expect 1 "no option allows a disguised header" --format raw --allow-backing --allow-data-file disguised.raw
expect 1 "a raw limit below the file size" --format raw --max-virtual-size 1048575 clean.raw
expect 0 "a raw limit at the file size" --format raw --max-virtual-size 1M clean.raw
expect 1 "a qcow2 declared raw" --format raw base.qcow2

# --- headers that do not match ---
expect 1 "qed declared qcow2" --format qcow2 plain.qed
first_line "plain.qed: refused: The qcow2 header is not valid: the image does not start with the qcow2 signature."
has "  header found: qed"
expect 1 "raw declared qcow2" --format qcow2 clean.raw
expect 1 "qcow2 declared vmdk" --format vmdk base.qcow2
expect 1 "qcow2 declared luks" --format luks base.qcow2
expect 1 "truncated qcow2" --format qcow2 cut.qcow2
first_line "cut.qcow2: refused: The image ends before its qcow2 header (72 bytes at offset 0; the image has 50 bytes)."
has "  file size: 50 bytes"

# --- JSON ---
base_size=$(size_of base.qcow2)
top_size=$(size_of top.qcow2)
expect 0 "--json of an accepted image" --format qcow2 --json base.qcow2
same_json "{\"version\":1,\"file\":\"base.qcow2\",\"format\":\"qcow2\",\"accepted\":true,\"problems\":[],\"virtual_size\":16777216,\"file_size\":$base_size,\"format_version\":3,\"backing\":null,\"backing_format\":null,\"data_file\":null,\"data_file_needed\":false,\"extents\":[],\"encrypted\":false,\"detected_format\":null}"
expect 1 "--json of a refused image" --format qcow2 --json --max-virtual-size 1M top.qcow2
same_json "{\"version\":1,\"file\":\"top.qcow2\",\"format\":\"qcow2\",\"accepted\":false,\"problems\":[\"The virtual size of 16777216 bytes is above the limit of 1048576 bytes.\",\"The image names the backing file 'base.qcow2'; a backing file can point the VM at any host file.\"],\"virtual_size\":16777216,\"file_size\":$top_size,\"format_version\":3,\"backing\":\"base.qcow2\",\"backing_format\":\"qcow2\",\"data_file\":null,\"data_file_needed\":false,\"extents\":[],\"encrypted\":false,\"detected_format\":null}"
expect 1 "--json of a disguised raw image" --format raw --json disguised.raw
same_json "{\"version\":1,\"file\":\"disguised.raw\",\"format\":\"raw\",\"accepted\":false,\"problems\":[\"The image is declared raw but carries a qcow2 header; a program that guesses the format would read it as qcow2 and follow that header.\"],\"virtual_size\":1048576,\"file_size\":1048576,\"format_version\":null,\"backing\":null,\"backing_format\":null,\"data_file\":null,\"data_file_needed\":false,\"extents\":[],\"encrypted\":false,\"detected_format\":\"qcow2\"}"
expect 1 "--json of a truncated image" --format qcow2 --json cut.qcow2
same_json "{\"version\":1,\"file\":\"cut.qcow2\",\"format\":\"qcow2\",\"accepted\":false,\"problems\":[\"The image ends before its qcow2 header (72 bytes at offset 0; the image has 50 bytes).\"],\"virtual_size\":null,\"file_size\":50,\"format_version\":null,\"backing\":null,\"backing_format\":null,\"data_file\":null,\"data_file_needed\":null,\"extents\":[],\"encrypted\":null,\"detected_format\":null}"
expect 1 "--json of vmdk extents" --format vmdk --json flat.vmdk
check "--json lists the extents" grep -qF '"extents":["flat-f001.vmdk"]' "$tmp/out"
check "--json is one line" [ "$(wc -l < "$tmp/out")" -eq 1 ]

# --- files that cannot be read: exit 3 ---
expect 3 "a missing file" --format qcow2 missing.qcow2
check "a missing file is named" grep -qF "aavm: Cannot open 'missing.qcow2': No such file or directory." "$tmp/err"
check "a missing file prints no verdict" [ ! -s "$tmp/out" ]
expect 3 "a missing file with --json" --format qcow2 --json missing.qcow2
check "a missing file with --json prints nothing on standard output" [ ! -s "$tmp/out" ]
expect 3 "a directory" --format raw "$img"
check "a directory is named" grep -qF "is neither a regular file nor a block device" "$tmp/err"

# --- usage errors: exit 2 ---
expect 2 "no --format" base.qcow2
check "no --format says so" grep -qF "needs the declared format" "$tmp/err"
expect 2 "an unknown format" --format qcow3 base.qcow2
check "an unknown format is named with the supported ones" \
    grep -qF "aavm cannot check images of the format 'qcow3'; the formats it checks are raw, qcow2, qed, vmdk, luks." "$tmp/err"
expect 2 "a format QEMU knows but aavm does not check" --format vdi base.qcow2
expect 2 "a QEMU driver name as the format" --format file clean.raw
expect 2 "a fractional size" --format qcow2 --max-virtual-size 1.5G base.qcow2
check "a bad size is named" grep -qF "'1.5G' is not a size" "$tmp/err"
expect 2 "a negative size" --format qcow2 --max-virtual-size -1 base.qcow2
expect 2 "a size with junk" --format qcow2 --max-virtual-size 10GB base.qcow2
expect 2 "a size too large" --format qcow2 --max-virtual-size 16E base.qcow2
expect 2 "a zero limit" --format qcow2 --max-virtual-size 0 base.qcow2
expect 2 "two files" --format qcow2 base.qcow2 top.qcow2
expect 2 "no file" --format qcow2
expect 2 "an unknown option" --format qcow2 --bogus base.qcow2
check "usage errors print no verdict" [ ! -s "$tmp/out" ]

# --- help ---
expect 0 "--help" --help
check "--help gives the exit codes" grep -qF "3  the file cannot be opened or read" "$tmp/out"
check "--help names --max-virtual-size" grep -qF -- "--max-virtual-size=SIZE" "$tmp/out"
"$A" --help > "$tmp/out" 2>&1
check "aavm --help lists image-check" grep -q "^  image-check " "$tmp/out"

finish
