#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# make-seeds.sh: regenerate the fuzzers' seed corpus tests/fuzz/seeds/ and
# the dictionaries tests/fuzz/pipeline.dict and tests/fuzz/qemu-args.dict,
# in one command (files named regress-*, inputs that once crashed a target,
# are kept):
#
#     tests/fuzz/make-seeds.sh
#
# The images come from qemu-img (Debian qemu-utils), cut to the bytes the
# header readers read, so each still reads as the same header; the LUKS
# headers are written byte by byte (qemu-img's have megabytes of key
# material); the pipeline seeds are golden cases from tests/data, the
# qemu-args seeds their <qemu:arg> and <qemu:env> values, the denial seeds
# the logs of tests/data/denial.  Needs qemu-img, printf, dd, head, sed,
# tr, awk and sort.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
command -v qemu-img > /dev/null || { echo "make-seeds.sh: qemu-img is needed" >&2; exit 1; }

# The seeds are made in a scratch directory and replace tests/fuzz/seeds
# only when all of them were made: a failure leaves the old ones.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out=$here/seeds
seeds=$work/seeds

# keep SRC DEST BYTES: the first BYTES of SRC as the seed DEST.
keep() {
    head -c "$3" "$work/$1" > "$2"
}
# put FILE OFFSET FORMAT [ARGS]: printf's output written at OFFSET of FILE.
put() {
    file=$1 offset=$2
    shift 2
    # shellcheck disable=SC2059
    printf "$@" | dd of="$file" bs=1 seek="$offset" conv=notrunc status=none
}
# zeros FILE BYTES: a file of BYTES zero bytes.
zeros() {
    head -c "$2" /dev/zero > "$1"
}
# img ARGS: qemu-img create in the scratch directory.  qemu-img fails now
# and then under load ("Unable to get accurate CPU usage" while it times
# the LUKS key derivation): try again, up to 20 times.
img() {
    tries=0
    until (cd "$work" && qemu-img create -q "$@"); do
        tries=$((tries + 1))
        [ $tries -lt 20 ] || return 1
    done
}

mkdir -p "$seeds/qcow2" "$seeds/qed" "$seeds/vmdk" "$seeds/luks" "$seeds/pipeline" \
    "$seeds/qemu-args" "$seeds/denial"

# ---- qcow2: the header, its extensions and the backing name all lie in
# the first few hundred bytes; 4 KiB keeps them and the end marker.
img -f raw base.raw 1M
img -f qcow2 -o compat=0.10 v2.qcow2 64M
img -f qcow2 -o compat=0.10 -b base.raw -F raw v2-backing.qcow2
img -f qcow2 v3.qcow2 64M
img -f qcow2 -b v3.qcow2 -F qcow2 v3-backing.qcow2
img -f qcow2 -o data_file=data.raw,data_file_raw=on v3-data-file.qcow2 1M
img -f qcow2 -o cluster_size=2M v3-cluster-2m.qcow2 64M
img -f qcow2 -o cluster_size=512 -b base.raw -F raw v3-cluster-512.qcow2
img -f qcow2 --object secret,id=sec0,data=fuzz -o encrypt.format=luks,encrypt.key-secret=sec0 \
    v3-encrypted.qcow2 1M
for f in v2 v2-backing v3 v3-backing v3-data-file v3-cluster-2m \
         v3-cluster-512 v3-encrypted; do
    keep "$f.qcow2" "$seeds/qcow2/$f" 4096
done

# ---- qed: a 64-byte header and the backing name right after it.
img -f qed plain.qed 64M
img -f qed -b plain.qed -F qed backing.qed
img -f qed -b base.raw -F raw backing-raw.qed
for f in plain backing backing-raw; do
    keep "$f.qed" "$seeds/qed/$f" 1024
done

# ---- vmdk: sparse images (a 512-byte header, the descriptor from byte
# 512) and descriptor files.
img -f vmdk base.vmdk 64M
img -f vmdk -b base.vmdk -F vmdk sparse-parent.vmdk
img -f vmdk -o subformat=streamOptimized stream.vmdk 64M
img -f vmdk -o subformat=twoGbMaxExtentFlat flat.vmdk 3G
img -f vmdk -o subformat=twoGbMaxExtentSparse split-sparse.vmdk 3G
img -f vmdk -o subformat=monolithicFlat mono-flat.vmdk 1M
keep base.vmdk "$seeds/vmdk/sparse" 2048
keep sparse-parent.vmdk "$seeds/vmdk/sparse-parent" 2048
keep stream.vmdk "$seeds/vmdk/stream-optimized" 2048
cp "$work/flat.vmdk" "$seeds/vmdk/descriptor-2gb-flat"
cp "$work/split-sparse.vmdk" "$seeds/vmdk/descriptor-2gb-sparse"
cp "$work/mono-flat.vmdk" "$seeds/vmdk/descriptor-flat"
# A sparse header with no capacity of its own: its embedded descriptor
# lists the extents.
keep sparse-parent.vmdk "$seeds/vmdk/sparse-no-capacity" 2048
put "$seeds/vmdk/sparse-no-capacity" 12 '\0\0\0\0\0\0\0\0'
# Descriptors at the readers' limits, which mutations alone seldom reach:
# an extent name over QEMU's 511 bytes, extents adding up past 2^64 bytes,
# and a descriptor file of exactly 64 KiB (one byte more is refused).
{
    printf '# Disk DescriptorFile\nversion=1\ncreateType="monolithicFlat"\n'
    printf 'RW 2048 FLAT "%s.vmdk" 0\n' "$(head -c 600 /dev/zero | tr '\0' 'x')"
} > "$seeds/vmdk/descriptor-long-extent-name"
{
    printf '# Disk DescriptorFile\nversion=1\ncreateType="twoGbMaxExtentFlat"\n'
    printf 'RW 36028797018963967 FLAT "huge-f001.vmdk" 0\n'
    printf 'RW 36028797018963967 FLAT "huge-f002.vmdk" 0\n'
} > "$seeds/vmdk/descriptor-huge-extents"
{
    cat "$work/mono-flat.vmdk"
    yes '# padding to the largest descriptor file read' | head -c 65536
} | head -c 65536 > "$seeds/vmdk/descriptor-64k"
# The old "COWD" header: version 1, capacity 2048 sectors, a parent hint.
zeros "$seeds/vmdk/cowd" 1024
put "$seeds/vmdk/cowd" 0 'COWD\1\0\0\0\3\0\0\0\0\10\0\0'
put "$seeds/vmdk/cowd" 512 'parentFileNameHint="parent.vmdk"\n'

# ---- luks: version 1 (magic, version, cipher, mode, hash, the payload
# offset in sectors at byte 104: 2 sectors) and version 2 (the header size
# at byte 8: 16 KiB; the JSON area from byte 4096 with the data segment).
zeros "$seeds/luks/luks1" 1536
put "$seeds/luks/luks1" 0 'LUKS\272\276\0\1'
put "$seeds/luks/luks1" 8 'aes'
put "$seeds/luks/luks1" 40 'xts-plain64'
put "$seeds/luks/luks1" 72 'sha256'
put "$seeds/luks/luks1" 104 '\0\0\0\2\0\0\0\100'
put "$seeds/luks/luks1" 168 '0f2a4c5e-93b1-4d7e-8c1a-2b3c4d5e6f70'
zeros "$seeds/luks/luks2" 16896
put "$seeds/luks/luks2" 0 'LUKS\272\276\0\2\0\0\0\0\0\0\100\0\0\0\0\0\0\0\0\1'
put "$seeds/luks/luks2" 72 'sha256'
put "$seeds/luks/luks2" 168 '0f2a4c5e-93b1-4d7e-8c1a-2b3c4d5e6f70'
put "$seeds/luks/luks2" 4096 '%s' \
    '{"keyslots":{},"tokens":{},"segments":{"0":{"type":"crypt","offset":"16384","size":"dynamic","iv_tweak":"0","encryption":"aes-xts-plain64","sector_size":512}},"digests":{},"config":{"json_size":"12288","keyslots_size":"0"}}'

# ---- pipeline: golden cases of many device families.
for case in minimal-qemu lxc-basic xen-pv disk-backing-chain disk-network disk-block \
            disk-volume chardev-all-kinds hostdev-pci-vfio hostdev-usb-address hostdev-scsi \
            hostdev-mdev gfx-sockets gfx-gl-rendernode fs-9p fs-virtiofs mem-nvdimm-pmem \
            mem-hugepages tpm-emulator-20 boot-nvram-template kernel-initrd-dtb \
            misc-smartcard-host misc-rng misc-sev shmem-models disk-special-chars \
            passthrough-block passthrough-devices-default-ns passthrough-unparsed; do
    cp "$top/tests/data/$case.xml" "$seeds/pipeline/$case.xml"
done

# The pipeline dictionary: XML syntax, and the element, attribute and
# value names the domain parser looks for.
{
    echo "# Generated by tests/fuzz/make-seeds.sh from helper/parse/domain-parse*.c: do not edit."
    cat <<'EOF'
"<"
"</"
"/>"
"=\""
"='"
"<devices>"
"</devices>"
"<![CDATA["
"]]>"
"<!--"
"&amp;"
"&#10;"
"<?xml version=\"1.0\"?>"
"<!DOCTYPE"
EOF
    grep -ho '"[a-zA-Z][a-zA-Z0-9_.:-]*"' "$top"/helper/parse/domain-parse*.c |
        grep -v -e '\.h"$' -e '^"domain\.xml"$' | sort -u
} > "$here/pipeline.dict"

# ---- qemu-args: the <qemu:arg> values of the passthrough golden cases
# (both namespace spellings), each ended by a NUL as the target splits
# them; each <qemu:env> as NAME NUL VALUE.  These cases use no XML
# entities in the values.
for xml in "$top"/tests/data/passthrough-*.xml; do
    case=$(basename "$xml" .xml)
    sed -n "s/.*<[a-z]*:\{0,1\}arg value='\([^']*\)'\/>.*/\1/p" "$xml" | tr '\n' '\0' \
        > "$seeds/qemu-args/$case"
    [ -s "$seeds/qemu-args/$case" ] || rm -f "$seeds/qemu-args/$case"
    sed -n "s/.*<[a-z]*:\{0,1\}env name='\([^']*\)' value='\([^']*\)'\/>.*/\1 \2/p" "$xml" |
        while read -r name value; do
            printf '%s\0%s' "$name" "$value" > "$seeds/qemu-args/env-$case-$name"
        done
done
# Forms the golden cases leave out: json: filenames, the nbd+unix URL,
# multiboot modules, -incoming, the short chardev forms, dotted -drive
# keys, -netdev scripts, ",," escapes, options aavm does not read, deep
# JSON with escapes, environment variables.
# qa NAME ARG...: the arguments, each ended by a NUL, as seed NAME.
qa() {
    name=$1
    shift
    printf '%s\0' "$@" > "$seeds/qemu-args/$name"
}
qa json-filename -drive 'file=json:{"driver":"qcow2","file":{"driver":"file","filename":"/srv/a.qcow2"}},if=none'
qa nbd-unix-url -drive 'file=nbd+unix:///export?socket=/run/nbd.sock,if=none' -hda 'gluster://h/v/i'
qa initrd-multiboot -kernel /boot/mboot.c32 -initrd '/boot/xen.gz dom0_mem=1G,,x,/boot/vmlinuz root=/dev/sda'
qa incoming -incoming 'file:/srv/state.bin,offset=0' -incoming 'exec:cat /srv/state' \
    -incoming unix:/run/mig.sock
qa chardev-short -serial pipe:/srv/fifo -parallel /dev/parport0 \
    -monitor 'mon:unix:path=/run/m.sock,server' -gdb 'file:/srv/gdb.log' -qmp stdio
qa drive-dotted -drive \
    'driver=qcow2,file.driver=file,file.filename=/srv/d.qcow2,backing.file.filename=/srv/b.raw,file.read-only=on'
qa netdev-tap -netdev 'tap,id=t0,script=/etc/qemu-ifup,vhost=on' \
    -netdev 'user,id=u0,smb=/srv/smb,tftp=/srv/tftp' -netdev 'bridge,id=b0,br=br0'
qa opts-commas -chardev 'socket,,x=,,,id=c,path=/run/a,,b.sock,,,server' \
    -mem-path /dev/hugepages -L /usr/share/qemu
qa unknown-option -frobnicate /srv/x -name vm1 -readconfig /etc/qemu.cfg -chroot /srv/root
qa json-deep -blockdev \
    '{"driver":"raw","file":{"driver":"qcow2","file":{"driver":"file","filename":"/srv/\ud83d\ude00\u00e9.img"},"backing":null},"cache":{"direct":true,"no-flush":false},"a":[1,-2.5e3,{"b":"/c"}]}'
printf 'XAUTHORITY\0/run/user/1000/.Xauthority' > "$seeds/qemu-args/env-xauthority"
printf 'LD_LIBRARY_PATH\0/opt/lib:sql:/srv/db:relative' > "$seeds/qemu-args/env-path-list"

# ---- denial: the kernel logs of aavm denial's tests (auditd, dmesg,
# journal, hostile names).
for log in "$top"/tests/data/denial/*.log; do
    cp "$log" "$seeds/denial/$(basename "$log" .log)"
done

# The qemu-args dictionary: QEMU's option syntax, the options the table
# knows (with their dash), and every word the readers compare against.
{
    echo "# Generated by tests/fuzz/make-seeds.sh from helper/qemu/qemu-args*.c: do not edit."
    cat <<'EOF'
","
",,"
"="
"{"
"}"
"["
"]"
"\\u00"
"\\ud800\\udc00"
"\\\""
"{\"driver\":"
"{\"qom-type\":"
"json:{"
"nbd+unix://"
"?socket=/"
"rbd:"
"\\:"
"file:/"
"unix:/"
"mon:"
"fat:rw:/"
"/dev/fdset/"
"--"
"\x00"
"\x00-"
EOF
    grep -ho -e '\(KEYS\|PLAIN\|PATH\|BLOCK\|CHARDEV\|FLAG\)("[^"]*"' -e '{ "[a-z-]*", ARG_' \
        "$top"/helper/qemu/qemu-args.c | sed 's/^[^"]*"\([^"]*\)".*/"-\1"/'
    grep -ho '"[a-zA-Z][a-zA-Z0-9_.:+-]*"' "$top"/helper/qemu/qemu-args*.c "$top"/helper/qemu/qemu-opts.c |
        grep -v '\.h"$' | sort -u
} | awk '!seen[$0]++' > "$here/qemu-args.dict"

# Found inputs kept as regressions (regress-*) stay; the rest is replaced.
mkdir -p "$out"
find "$out" -type f ! -name 'regress-*' -exec rm -f {} +
cp -R "$seeds/." "$out/"
echo "make-seeds.sh: $(find "$out" -type f | wc -l) seeds, $(find "$out" -type f -exec cat {} + | wc -c) bytes, in $out"
