#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# aavm denial, run on the sample logs of tests/data/denial: from a file, from
# standard input, as JSON, complain mode's ALLOWED records, and its exit
# statuses.  The VM manager's
# directories are the fake ones of tests/data/denial (and an empty runtime
# directory), so the host's libvirt is never read.
. "$AAVM_TESTS_SRCDIR/cli/lib.sh"

A=$builddir/helper/aavm
data=$srcdir/data/denial
uuid=5b2d8e3a-7c41-4f0e-9d6a-3e1f2a4b5c6d
mkdir "$tmp/run" "$tmp/profiles"
: > "$tmp/aavm.conf"

denial() { "$A" denial --config "$tmp/aavm.conf" --profile-dir "$tmp/profiles" \
    --libvirt-run-dir "$tmp/run" --libvirt-config-dir "$data/libvirt" "$@"; }

# check_json FILE PYTHON-EXPRESSION: FILE is one line of valid JSON and the
# expression over it (as j) is true.
check_json() {
    python3 -c 'import json, sys
text = open(sys.argv[1]).read()
assert text.endswith("}\n") and text.count("\n") == 1, "not one line"
j = json.loads(text)
sys.exit(0 if eval(sys.argv[2]) else 1)' "$1" "$2"
}

# From a file.
denial "$data/auditd.log" > "$tmp/out" 2> "$tmp/err"
check "a log file: exit 0" [ $? -eq 0 ]
check "a log file: nothing on stderr" [ ! -s "$tmp/err" ]
check "the summary counts every kind of line" grep -qx \
    "Lines read: 11; denials of VMs: 8; allowed in complain mode: 1; other AppArmor records: 0; denials of other profiles: 1; malformed: 0; too long: 0." "$tmp/out"
check "the VM is named from its domain XML; its count holds the ALLOWED record" grep -qx \
    "VM web1 (libvirt-$uuid): denials: 9; distinct: 7" "$tmp/out"
check "repeated denials are grouped" grep -qx \
    '  3x open "/var/lib/libvirt/images/web1-data.img" denied w' "$tmp/out"
check "a read-only disk: remove <readonly/>" grep -q \
    'fix: Disk vdb is <readonly/> in the domain XML: remove <readonly/>' "$tmp/out"
check "an undeclared backing file: <backingStore>" grep -q \
    "<backingStore type='file'><format type='FMT'/><source file='/var/lib/libvirt/images/debian-12-base.qcow2'/></backingStore>" "$tmp/out"
check "a granted serial log: the profile is stale" grep -q \
    'fix: The domain XML grants it (serial0), but the loaded profile does not' "$tmp/out"
check "anything else: the rule line for the VM's profile" grep -q \
    "profile $tmp/profiles/libvirt-$uuid (the administrator's file; this VM only): \"/srv/isos/virtio-win.iso\" r," "$tmp/out"
check "/etc/shadow: a warning" grep -qx \
    '      WARNING: /etc/shadow is under /etc (host configuration): do not grant it; find out why QEMU opens it.' "$tmp/out"
check "/etc/shadow: no rule" sh -c "! grep -q '\"/etc/shadow\" r,' '$tmp/out'"
check "a capability: a warning" grep -q 'WARNING: QEMU should not need most capabilities' "$tmp/out"
check "other profiles are not shown" sh -c "! grep -q cupsd '$tmp/out'"
check "the same path DENIED: one entry, marked denied" grep -qx \
    '  1x open "/srv/isos/virtio-win.iso" denied r' "$tmp/out"
check "the same path ALLOWED: an entry of its own, marked complain mode" grep -qx \
    '  1x open "/srv/isos/virtio-win.iso" allowed (complain mode) r' "$tmp/out"
check "the ALLOWED entry has its own time and the same fix" sh -c \
    "grep -A4 -x '  1x open \"/srv/isos/virtio-win.iso\" allowed (complain mode) r' '$tmp/out' | grep -qx '      seen: 1700000100.180:308 .. 1700000100.180:308' &&
     test \$(grep -c '\"/srv/isos/virtio-win.iso\" r,  # added for an AppArmor denial' '$tmp/out') -eq 2"

# From standard input, with '-' and with no argument: the same report.
denial - < "$data/auditd.log" > "$tmp/out-dash"
check "'-' reads standard input: exit 0" [ $? -eq 0 ]
check "'-' gives the same report" cmp -s "$tmp/out" "$tmp/out-dash"
denial < "$data/auditd.log" > "$tmp/out-stdin"
check "no argument reads standard input" cmp -s "$tmp/out" "$tmp/out-stdin"

# JSON.
denial --json "$data/auditd.log" > "$tmp/json"
check "--json: exit 0" [ $? -eq 0 ]
check "--json: valid, one line, the counts" check_json "$tmp/json" \
    'j["lines"] == 11 and j["denials"] == 8 and j["allowed"] == 1 and j["not_denied"] == 0 and j["other_profiles"] == 1'
check "--json: the VM and its entries" check_json "$tmp/json" \
    'j["vms"][0]["name"] == "web1" and j["vms"][0]["denials"] == 9 and j["vms"][0]["distinct"] == 7 and [e["kind"] for e in j["vms"][0]["entries"]] == ["permission-missing", "near-device", "xml-element", "local-rule", "do-not-grant", "non-file", "local-rule"]'
check "--json: only the complain-mode entry is marked allowed" check_json "$tmp/json" \
    '[e["allowed"] for e in j["vms"][0]["entries"]] == [False] * 6 + [True] and j["vms"][0]["entries"][6]["object"] == j["vms"][0]["entries"][3]["object"] == "/srv/isos/virtio-win.iso" and j["vms"][0]["entries"][6]["fixes"] == j["vms"][0]["entries"][3]["fixes"]'
check "--json: the restricted path has a warning and no fix line" check_json "$tmp/json" \
    'j["vms"][0]["entries"][4]["object"] == "/etc/shadow" and "do not grant" in j["vms"][0]["entries"][4]["warnings"][0]'

# The other formats.
denial "$data/dmesg.log" > "$tmp/dmesg"
check "dmesg: exit 0" [ $? -eq 0 ]
check "dmesg: 3 denials, STATUS ignored" grep -qx \
    "Lines read: 5; denials of VMs: 3; allowed in complain mode: 0; other AppArmor records: 1; denials of other profiles: 0; malformed: 0; too long: 0." "$tmp/dmesg"
check "dmesg: a hexadecimal name is decoded" grep -q \
    '  1x open "/var/lib/libvirt/images/web1 scratch" denied r' "$tmp/dmesg"
check "dmesg: an exec denial names the child profile" grep -q \
    '(child profile null-/usr/lib/qemu/qemu-bridge-helper)' "$tmp/dmesg"
check "dmesg: an exec denial is warned about" grep -q 'a denied execution can be an attack' "$tmp/dmesg"
check "dmesg: an exec denial gets an ix line" grep -q '"/usr/lib/qemu/qemu-bridge-helper" ix,' "$tmp/dmesg"
denial --json "$data/journal.log" > "$tmp/journal"
check "journalctl: exit 0, valid JSON, two VMs" check_json "$tmp/journal" \
    'len(j["vms"]) == 2 and j["denials"] == 3 and j["vms"][1]["name"] is None and "No domain XML" in j["vms"][1]["problem"]'

# Complain mode, journalctl form: ALLOWED of a VM (a child profile) is
# shown, ALLOWED of another profile and AUDIT records are only counted.
cat > "$tmp/complain.log" <<EOF
Nov 14 22:16:00 host kernel: audit: type=1400 audit(1700000200.000:400): apparmor="ALLOWED" operation="open" class="file" profile="libvirt-$uuid//swtpm" name="/var/lib/libvirt/swtpm/x/tpm2/.lock" pid=2300 comm="swtpm" requested_mask="wc" denied_mask="wc" fsuid=0 ouid=0
Nov 14 22:16:01 host kernel: audit: type=1400 audit(1700000201.000:401): apparmor="ALLOWED" operation="open" class="file" profile="/usr/sbin/cupsd" name="/etc/cups/ppd/" pid=900 comm="cupsd" requested_mask="r" denied_mask="r" fsuid=0 ouid=0
Nov 14 22:16:02 host kernel: audit: type=1400 audit(1700000202.000:402): apparmor="AUDIT" operation="open" class="file" profile="libvirt-$uuid" name="/srv/audited" pid=2144 comm="qemu-system-x86" requested_mask="r" fsuid=0 ouid=0
EOF
denial "$tmp/complain.log" > "$tmp/complain"
check "complain mode: exit 0" [ $? -eq 0 ]
check "complain mode: counted" grep -qx \
    "Lines read: 3; denials of VMs: 0; allowed in complain mode: 1; other AppArmor records: 1; denials of other profiles: 1; malformed: 0; too long: 0." "$tmp/complain"
check "complain mode: the VM's ALLOWED record is shown, with its child profile" grep -qx \
    '  1x open "/var/lib/libvirt/swtpm/x/tpm2/.lock" allowed (complain mode) wc (child profile swtpm)' "$tmp/complain"
check "complain mode: another profile's ALLOWED record is not shown" sh -c "! grep -q cupsd '$tmp/complain'"
check "complain mode: an AUDIT record is not shown" sh -c "! grep -q /srv/audited '$tmp/complain'"
denial --json "$tmp/complain.log" > "$tmp/complain.json"
check "complain mode: JSON" check_json "$tmp/complain.json" \
    'j["denials"] == 0 and j["allowed"] == 1 and j["other_profiles"] == 1 and j["not_denied"] == 1 and j["vms"][0]["denials"] == 1 and j["vms"][0]["entries"][0]["allowed"] is True and j["vms"][0]["entries"][0]["child"] == "swtpm"'

# Hostile input: control characters, a cut line, bytes that are not UTF-8,
# a line over the limit.
cp "$data/hostile.log" "$tmp/hostile.log"
python3 -c 'import sys; sys.stdout.write("apparmor=\"DENIED\" operation=\"open\" profile=\"libvirt-'$uuid'\" name=\"/" + "a" * 70000 + "\"\n")' >> "$tmp/hostile.log"
denial "$tmp/hostile.log" > "$tmp/hostile" 2>&1
check "hostile log: exit 0" [ $? -eq 0 ]
check "hostile log: counted" grep -qx \
    "Lines read: 4; denials of VMs: 1; allowed in complain mode: 0; other AppArmor records: 0; denials of other profiles: 0; malformed: 1; too long: 1." "$tmp/hostile"
check "hostile log: no escape character printed" sh -c "! grep -q \"\$(printf '\\033')\" '$tmp/hostile'"
check "hostile log: the name is shown escaped" grep -q '"/srv/\\x1b\[2J\\x0aevil"' "$tmp/hostile"
denial --json "$tmp/hostile.log" > "$tmp/hostile.json"
check "hostile log: valid JSON" check_json "$tmp/hostile.json" 'j["too_long"] == 1'

# ---- Another VM's files: never a rule, in the three forms the kernel's
# records take (auditd's log, dmesg, the journal).  VM 1 is denied VM 2's
# disk, which VM 2's .files grants; VM 1's own .files (it is itself) grants
# a file that must not count as another VM's; VM 3 is only defined (its
# domain XML in the configuration directory, no .files).
u1=11111111-1111-4111-8111-111111111111
u2=22222222-2222-4222-8222-222222222222
u3=33333333-3333-4333-8333-333333333333
mkdir -p "$tmp/two/profiles" "$tmp/two/run" "$tmp/two/etc/qemu"
cat > "$tmp/two/profiles/libvirt-$u2.files" <<'END'
# DO NOT EDIT THIS FILE DIRECTLY. IT IS GENERATED BY AAVM FROM THE DOMAIN XML.
  "/run/libvirt/**/vm2.pid" rwk,  # pid file
  "/srv/shared/vm2/**" rw,  # filesystem0 (data)
  "/var/lib/libvirt/images/vm2 \[old\].qcow2" rk,  # disk vda backing layer 1
  "/var/lib/libvirt/images/vm2.qcow2" rwk,  # disk vda
END
cat > "$tmp/two/profiles/libvirt-$u1.files" <<'END'
# DO NOT EDIT THIS FILE DIRECTLY. IT IS GENERATED BY AAVM FROM THE DOMAIN XML.
  "/srv/vm1-only.img" rwk,  # disk vdb
END
cat > "$tmp/two/etc/qemu/vm3.xml" <<END
<domain type='kvm'><name>vm3</name><uuid>$u3</uuid><memory>1048576</memory>
<os><type arch='x86_64'>hvm</type></os><devices>
<disk type='file' device='disk'><driver name='qemu' type='raw'/>
<source file='/srv/vm3/disk.img'/><target dev='vdc'/></disk></devices></domain>
END
cat > "$tmp/two/etc/qemu/vm2.xml" <<END
<domain type='kvm'><name>vm2</name><uuid>$u2</uuid><memory>1048576</memory>
<os><type arch='x86_64'>hvm</type></os><devices/></domain>
END
two() { "$A" denial --config "$tmp/aavm.conf" --profile-dir "$tmp/two/profiles" \
    --libvirt-run-dir "$tmp/two/run" --libvirt-config-dir "$tmp/two/etc" "$@"; }
# rec PATH MASK: the part of a record after its header.
rec() {
    printf 'apparmor="DENIED" operation="open" class="file" profile="libvirt-%s" name="%s" pid=3100 comm="qemu-system-x86" requested_mask="%s" denied_mask="%s" fsuid=64055 ouid=64055\n' "$u1" "$1" "$2" "$2"
}
{
    printf 'type=AVC msg=audit(1700000300.100:501): '; rec /var/lib/libvirt/images/vm2.qcow2 wr
    printf 'type=AVC msg=audit(1700000300.110:502): '; rec /srv/vm1-only.img r
} > "$tmp/two/audit.log"
{
    printf '[ 4321.000001] audit: type=1400 audit(1700000300.200:503): '; rec /var/lib/libvirt/images/vm2.qcow2 r
    # A name with a space is written in hexadecimal.
    printf '[ 4321.000002] audit: type=1400 audit(1700000300.210:504): apparmor="DENIED" operation="open" class="file" profile="libvirt-%s" name=%s pid=3100 comm="qemu-system-x86" requested_mask="r" denied_mask="r" fsuid=64055 ouid=64055\n' \
        "$u1" "$(printf '/var/lib/libvirt/images/vm2 [old].qcow2' | od -An -tx1 | tr -d ' \n' | tr a-f A-F)"
} > "$tmp/two/dmesg.log"
{
    printf 'Nov 14 23:00:00 host kernel: audit: type=1400 audit(1700000300.300:505): '; rec /srv/shared/vm2/sub/data.img rw
    printf 'Nov 14 23:00:01 host kernel: audit: type=1400 audit(1700000300.310:506): '; rec /srv/vm3/disk.img rw
    printf 'Nov 14 23:00:02 host kernel: audit: type=1400 audit(1700000300.320:507): '; rec /run/libvirt/qemu/vm2.pid r
    printf 'Nov 14 23:00:03 host kernel: audit: type=1400 audit(1700000300.330:508): '; rec /srv/shared/vm2x/data.img r
} > "$tmp/two/journal.log"

two "$tmp/two/audit.log" > "$tmp/two/audit.out" 2>&1
check "other VM, audit.log: exit 0" [ $? -eq 0 ]
check "other VM, audit.log: kind other-vm" sh -c \
    "grep -A3 -F '1x open \"/var/lib/libvirt/images/vm2.qcow2\" denied wr' '$tmp/two/audit.out' | grep -qx '      kind: other-vm'"
check "other VM, audit.log: it names the VM, its UUID and the reason from its .files" grep -qF \
    "WARNING: /var/lib/libvirt/images/vm2.qcow2 belongs to VM vm2 ($u2), disk vda (its rule" "$tmp/two/audit.out"
check "other VM, audit.log: the supported way to share" grep -qF \
    "<readonly/> in both (neither can write it) or <shareable/> in both" "$tmp/two/audit.out"
# Its entry alone: from its line to the next entry's.
awk '/^  [0-9]+x /{on = index($0, "vm2.qcow2") > 0} on' "$tmp/two/audit.out" > "$tmp/two/vm2-entry"
grep '^      fix: ' "$tmp/two/vm2-entry" > "$tmp/two/vm2-fixes"
check "other VM, audit.log: no rule line for it, for this VM or for every VM" sh -c \
    "grep -q 'kind: other-vm' '$tmp/two/vm2-entry' && test \$(wc -l < '$tmp/two/vm2-fixes') -eq 2 && ! grep -qF '\"/var/lib/libvirt/images/vm2.qcow2\"' '$tmp/two/vm2-fixes' && ! grep -qF 'abstractions' '$tmp/two/vm2-entry' && ! grep -q 'Add this line' '$tmp/two/vm2-entry'"
check "other VM, audit.log: VM 1's own file is not another VM's: its rule is offered" grep -qF \
    '"/srv/vm1-only.img" r,  # added for an AppArmor denial' "$tmp/two/audit.out"

two --json "$tmp/two/dmesg.log" > "$tmp/two/dmesg.json" 2>&1
check "other VM, dmesg: JSON, the kind and the other VM as its own field" check_json "$tmp/two/dmesg.json" \
    '[e["kind"] for e in j["vms"][0]["entries"]] == ["other-vm", "other-vm"] and j["vms"][0]["entries"][0]["other_vms"][0]["uuid"] == "'$u2'" and j["vms"][0]["entries"][0]["other_vms"][0]["name"] == "vm2" and j["vms"][0]["entries"][0]["other_vms"][0]["reason"] == "disk vda" and j["vms"][0]["entries"][0]["other_vms"][0]["certain"] is True'
check "other VM, dmesg: an escaped rule matches the path with brackets and a space" check_json "$tmp/two/dmesg.json" \
    'j["vms"][0]["entries"][1]["object"] == "/var/lib/libvirt/images/vm2 [old].qcow2" and j["vms"][0]["entries"][1]["other_vms"][0]["reason"] == "disk vda backing layer 1"'
check "other VM, dmesg: no fix offers a rule" check_json "$tmp/two/dmesg.json" \
    'not any("\" r" in f or "Add this line" in f for e in j["vms"][0]["entries"] for f in e["fixes"])'

two "$tmp/two/journal.log" > "$tmp/two/journal.out" 2>&1
check "other VM, journal: exit 0" [ $? -eq 0 ]
check "other VM, journal: a path in its tree" grep -qF \
    "/srv/shared/vm2/sub/data.img belongs to VM vm2 ($u2), filesystem0 (data)" "$tmp/two/journal.out"
check "other VM, journal: a VM only defined, from its domain XML" grep -qF \
    "/srv/vm3/disk.img belongs to VM vm3 ($u3), disk vdc" "$tmp/two/journal.out"
check "other VM, journal: its pid file" grep -qF \
    "/run/libvirt/qemu/vm2.pid belongs to VM vm2 ($u2), pid file" "$tmp/two/journal.out"
check "other VM, journal: next to its tree is not its (a rule)" grep -qF \
    '"/srv/shared/vm2x/data.img" r,  # added for an AppArmor denial' "$tmp/two/journal.out"
check "other VM, journal: the note names where it looked for VM 1's XML" grep -qF \
    "note: No domain XML found for this UUID in $tmp/two/run/qemu, $tmp/two/run/lxc, $tmp/two/etc/qemu, $tmp/two/etc/lxc;" "$tmp/two/journal.out"
check "other VM, journal: 3 other-vm, 1 local-rule" sh -c \
    "test \$(grep -c '      kind: other-vm' '$tmp/two/journal.out') -eq 3 && test \$(grep -c '      kind: local-rule' '$tmp/two/journal.out') -eq 1"

# Empty input.
denial - < /dev/null > "$tmp/empty"
check "empty input: exit 0" [ $? -eq 0 ]
check "empty input: says so" grep -qx "No denials of VM profiles." "$tmp/empty"

# The example of docs/denial.md is run by tests/docs/test-doc-commands.sh.

# Failures and usage errors.
denial "$tmp/missing.log" > /dev/null 2> "$tmp/err"
check "a missing log: exit 1" [ $? -eq 1 ]
check "a missing log: the reason" grep -q "^aavm: Cannot open the log '$tmp/missing.log': " "$tmp/err"
denial "$tmp" > /dev/null 2> "$tmp/err"
check "a directory as the log: exit 1" [ $? -eq 1 ]
denial "$data/auditd.log" "$data/dmesg.log" > /dev/null 2> "$tmp/err"
check "two logs: exit 2" [ $? -eq 2 ]
"$A" denial --no-such-option < /dev/null > /dev/null 2>&1
check "an unknown option: exit 2" [ $? -eq 2 ]
denial --libvirt-run-dir relative/dir < /dev/null > /dev/null 2>&1
check "a relative directory: exit 2" [ $? -eq 2 ]
"$A" denial --config "$tmp/no-such.conf" < /dev/null > /dev/null 2>&1
check "a missing --config file: exit 1" [ $? -eq 1 ]
"$A" --help > "$tmp/help"
check "aavm --help lists denial" grep -q "^  denial " "$tmp/help"

finish
