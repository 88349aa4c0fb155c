#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# aavm explain: the rule table, the findings, --json, and the exit codes.
. "$AAVM_TESTS_SRCDIR/cli/lib.sh"

A=$builddir/helper/aavm
demo=$top_srcdir/docs/examples/explain-demo.xml
uuid=3c1f8a52-7d9e-4b60-a2c4-5e6f7a8b9c0d

# A JSON checker: jq when installed, else python3.
json_ok() {
    if command -v jq > /dev/null 2>&1; then
        jq -e . "$1" > /dev/null
    else
        python3 -m json.tool "$1" > /dev/null
    fi
}
# json_get FILE EXPR: a value by a python expression on the document "d".
json_get() {
    python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

mkdir -p "$tmp/profiles" "$tmp/libvirt/storage"

# ---- usage ----
"$A" explain > /dev/null 2>&1
check "explain without a file exit 2" [ $? -eq 2 ]
"$A" explain "$demo" "$demo" > /dev/null 2>&1
check "explain with two files exit 2" [ $? -eq 2 ]
"$A" explain --bogus "$demo" > /dev/null 2>&1
check "explain with an unknown option exit 2" [ $? -eq 2 ]
"$A" explain --max-backing-depth 0 "$demo" > /dev/null 2>&1
check "explain with a bad --max-backing-depth exit 2" [ $? -eq 2 ]
"$A" explain --profile-dir relative "$demo" > /dev/null 2>&1
check "explain with a relative --profile-dir exit 2" [ $? -eq 2 ]
"$A" --help > "$tmp/out" 2>&1
check "--help lists explain" grep -q "^  explain " "$tmp/out"
"$A" explain --help > "$tmp/out" 2>&1
check "explain --help exit 0" [ $? -eq 0 ]
check "explain --help names the finding kinds" grep -q "backing-outside-pool" "$tmp/out"

# ---- the table ----
"$A" explain --profile-dir "$tmp/profiles" --libvirt-config-dir "$tmp/libvirt" "$demo" \
    > "$tmp/text" 2> "$tmp/err"
check "explain exit 0 with findings" [ $? -eq 0 ]
check "explain prints nothing on stderr" [ ! -s "$tmp/err" ]
check "the header names the domain and profile" \
    grep -qxF "Domain 'explain-demo' (profile libvirt-$uuid):" "$tmp/text"
check "the table has its columns" grep -qE '^PERMS +PATH +FROM +REASON$' "$tmp/text"
check "the disk's rule, from a device" \
    grep -qE '^rwk +/var/lib/libvirt/images/explain-demo.qcow2 +device +disk vda$' "$tmp/text"
check "the backing layer's rule" \
    grep -qE '^rk +/srv/templates/debian-12.qcow2 +device +disk vda backing layer 1$' "$tmp/text"
check "the ceph config's rule" grep -qE '^r +/etc/ceph/ceph.conf +device +disk vdb$' "$tmp/text"
check "a base rule, its pattern as it is" \
    grep -qE '^rwk +/run/libvirt/\*\*/explain-demo.pid +base +pid file$' "$tmp/text"
# Columns line up: PATH starts at the same place on every table line.
col=$(sed -n '2,/^$/p' "$tmp/text" | sed '/^$/d' | awk '{ print index($0, $2) }' | sort -u | wc -l)
check "the PATH column is aligned" [ "$col" -eq 1 ]

check "the findings follow" grep -qxF "Findings:" "$tmp/text"
check "network-storage names the disk" grep -qxF "warning: network-storage: disk vdb" "$tmp/text"
check "network-storage names the servers" \
    grep -qF "ceph-mon1.example.org:6789, ceph-mon2.example.org:6789" "$tmp/text"
check "network-storage advises a Ceph client per VM" grep -qF "own Ceph client" "$tmp/text"
check "no-format names the disk" grep -qxF "warning: no-format: disk vdc" "$tmp/text"
check "backing-outside-pool names the layer" \
    grep -qxF "warning: backing-outside-pool: disk vda backing layer 1" "$tmp/text"
check "no shared-writable without other VMs" sh -c "! grep -q shared-writable '$tmp/text'"

# ---- --json ----
"$A" explain --json --profile-dir "$tmp/profiles" --libvirt-config-dir "$tmp/libvirt" "$demo" \
    > "$tmp/json"
check "explain --json exit 0" [ $? -eq 0 ]
check "the JSON is one line" [ "$(wc -l < "$tmp/json")" -eq 1 ]
check "the JSON parses" json_ok "$tmp/json"
check "JSON: the domain" [ "$(json_get "$tmp/json" 'd["domain"]["uuid"]')" = "$uuid" ]
check "JSON: a rule with its origins" \
    [ "$(json_get "$tmp/json" '[r["origins"] for r in d["rules"] if r["reason"] == "disk vda"][0]')" = "['device']" ]
check "JSON: the finding kinds in order" \
    [ "$(json_get "$tmp/json" '",".join(f["kind"] for f in d["findings"])')" = "backing-outside-pool,network-storage,no-format" ]
check "JSON: no warnings" [ "$(json_get "$tmp/json" 'len(d["warnings"])')" = 0 ]
"$A" explain --json - < "$demo" > "$tmp/stdin-json" 2> /dev/null
check "explain - reads standard input" [ -s "$tmp/stdin-json" ]

# ---- the site: a pool over both directories, another VM writing the same image ----
cat > "$tmp/libvirt/storage/all.xml" <<'XML'
<pool type='dir'><name>all</name><target><path>/</path></target></pool>
XML
printf '  "/var/lib/libvirt/images/explain-demo-scratch.img" rwk,  # disk vdb\n' \
    > "$tmp/profiles/libvirt-11111111-2222-3333-4444-555555555555.files"
printf '  "/var/lib/libvirt/images/explain-demo-scratch.img" rwk,  # disk vdc\n' \
    > "$tmp/profiles/libvirt-$uuid.files"
"$A" explain --profile-dir "$tmp/profiles" --libvirt-config-dir "$tmp/libvirt" "$demo" \
    > "$tmp/text2"
check "a pool holding the backing file: no backing-outside-pool" \
    sh -c "! grep -q backing-outside-pool '$tmp/text2'"
check "shared-writable names the disk" grep -qxF "warning: shared-writable: disk vdc" "$tmp/text2"
check "shared-writable names the other profile only" \
    sh -c "grep -qF 'libvirt-11111111-2222-3333-4444-555555555555' '$tmp/text2' && ! grep -qF 'profiles libvirt-$uuid' '$tmp/text2'"

# ---- other VMs granted this domain's paths: a tree in one's .files, a
# disk in the domain XML of one only defined ----
printf '  "/srv/templates/**" r,  # filesystem0 (templates)\n' \
    > "$tmp/profiles/libvirt-66666666-2222-3333-4444-555555555555.files"
mkdir -p "$tmp/libvirt/qemu"
cat > "$tmp/libvirt/qemu/other.xml" <<'XML'
<domain type='kvm'><name>other</name><uuid>77777777-2222-3333-4444-555555555555</uuid>
<memory>1048576</memory><os><type arch='x86_64'>hvm</type></os><devices>
<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>
<source file='/var/lib/libvirt/images/explain-demo.qcow2'/><target dev='vdq'/><readonly/></disk>
</devices></domain>
XML
"$A" explain --profile-dir "$tmp/profiles" --libvirt-config-dir "$tmp/libvirt" "$demo" \
    > "$tmp/text4"
check "other-vm: another VM's tree holds the backing file (both only read: a note)" \
    grep -qxF "note: other-vm: disk vda backing layer 1" "$tmp/text4"
check "other-vm: names the VM, its UUID, its reason and rule" grep -qF \
    "VM ? (66666666-2222-3333-4444-555555555555), filesystem0 (templates) (rule \"/srv/templates/**\" r,)" "$tmp/text4"
check "other-vm: a VM only defined reads the writable disk (a warning)" \
    grep -qxF "warning: other-vm: disk vda" "$tmp/text4"
check "other-vm: named from its domain XML" grep -qF \
    "VM other (77777777-2222-3333-4444-555555555555), disk vdq" "$tmp/text4"
check "other-vm: the supported way to share, never the abstraction" sh -c \
    "grep -qF 'with <readonly/> (no VM can write it) or <shareable/>' '$tmp/text4' && ! grep -q abstractions '$tmp/text4'"
"$A" explain --json --profile-dir "$tmp/profiles" --libvirt-config-dir "$tmp/libvirt" "$demo" \
    > "$tmp/json4"
check "other-vm: JSON, the other VMs as their own field" test "$(json_get "$tmp/json4" \
    '[(g["name"], g["uuid"], g["reason"], g["certain"]) for f in d["findings"] if f["kind"] == "other-vm" and f["subject"] == "disk vda" for g in f["other_vms"]]')" = \
    "[('other', '77777777-2222-3333-4444-555555555555', 'disk vdq', True)]"
check "other-vm: JSON, other findings have an empty list" test "$(json_get "$tmp/json4" \
    'all(f["other_vms"] == [] for f in d["findings"] if f["kind"] not in ("other-vm", "shared-writable"))')" = True
rm -r "$tmp/libvirt/qemu" "$tmp/profiles/libvirt-66666666-2222-3333-4444-555555555555.files"

# ---- a world-writable directory on this host ----
mkdir -m 1777 "$tmp/drop"
sed "s|/var/lib/libvirt/images/explain-demo-scratch.img|$tmp/drop/scratch.img|" "$demo" \
    > "$tmp/ww.xml"
"$A" explain --profile-dir "$tmp/profiles" "$tmp/ww.xml" > "$tmp/text3"
check "world-writable-dir names the disk" grep -qxF "warning: world-writable-dir: disk vdc" "$tmp/text3"
check "world-writable-dir names the directory" grep -qF "'$tmp/drop'" "$tmp/text3"

# ---- hostile names are printable ----
# XML 1.0 has no C0 controls but C1 ones, such as CSI (U+009B), are legal.
sed "s|<name>explain-demo</name>|<name>evil\&#x9b;2J</name>|" "$demo" > "$tmp/evil.xml"
"$A" explain "$tmp/evil.xml" > "$tmp/evil" 2>&1
check "a hostile name exit 0" [ $? -eq 0 ]
check "a hostile name is shown escaped" grep -qF "Domain 'evil\u009b2J'" "$tmp/evil"
if grep -q "$(printf '\302\233')" "$tmp/evil"; then not_ok "no CSI reaches the terminal"
else ok "no CSI reaches the terminal"; fi

# ---- refused and unreadable ----
"$A" explain "$srcdir/data/disk-etc-fail.xml" > "$tmp/out" 2> "$tmp/err"
check "a refused domain exit 1" [ $? -eq 1 ]
check "a refused domain prints nothing on stdout" [ ! -s "$tmp/out" ]
check "the refusal names the file and the reason" \
    grep -q "disk-etc-fail.xml: .*refused.*'/etc/shadow'" "$tmp/err"
"$A" explain "$tmp/missing.xml" > /dev/null 2>&1
check "a missing file exit 1" [ $? -eq 1 ]
printf '<domain' > "$tmp/broken.xml"
"$A" explain --json "$tmp/broken.xml" > "$tmp/out" 2>&1
check "malformed XML exit 1" [ $? -eq 1 ]

finish
