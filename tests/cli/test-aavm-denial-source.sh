#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Where aavm denial reads its log: a file, '-', a pipe, or (nothing given)
# auditd's log or the journal, through a stand-in journalctl on PATH that
# prints `journalctl -k -o json` lines (MESSAGE as a string and as an array
# of bytes) and records how it was run.  A terminal is never waited on
# silently.
. "$AAVM_TESTS_SRCDIR/cli/lib.sh"

A=$builddir/helper/aavm
data=$srcdir/data/denial
uuid=5b2d8e3a-7c41-4f0e-9d6a-3e1f2a4b5c6d
mkdir "$tmp/run" "$tmp/profiles" "$tmp/bin" "$tmp/nobin"
: > "$tmp/aavm.conf"

# The journal: three kernel records of the VM as `journalctl -k -o json`
# writes them (a byte array for a message that is not UTF-8), one line of
# another program, one broken JSON line.
python3 - "$tmp/journal.json" <<'PY'
import json, sys
rec = ('audit: type=1400 audit(1700000100.%03d:%d): apparmor="DENIED" operation="open" '
       'class="file" profile="libvirt-5b2d8e3a-7c41-4f0e-9d6a-3e1f2a4b5c6d" name="%s" pid=2144 '
       'comm="qemu-system-x86" requested_mask="r" denied_mask="r" fsuid=64055 ouid=0')
with open(sys.argv[1], "w") as f:
    f.write(json.dumps({"__CURSOR": "s=1", "_TRANSPORT": "kernel", "PRIORITY": "5",
                        "MESSAGE": rec % (150, 305, "/srv/isos/virtio-win.iso")}) + "\n")
    f.write(json.dumps({"_TRANSPORT": "kernel", "MESSAGE": rec % (151, 306, "/srv/isos/virtio-win.iso"),
                        "nested": {"a": [1, {"b": None}]}}) + "\n")
    raw = (rec % (152, 307, "/srv/caf\u00e9\u00ff")).encode("latin-1")
    f.write(json.dumps({"_TRANSPORT": "kernel", "MESSAGE": list(raw)}) + "\n")
    f.write(json.dumps({"_TRANSPORT": "syslog", "MESSAGE": "Started libvirtd."}) + "\n")
    f.write('{"MESSAGE": "cut\n')
PY
{
    echo '#!/bin/sh'
    echo "echo \"\$*\" >> '$tmp/journalctl.args'"
    echo "cat '$tmp/journal.json'"
    echo "exit \$(cat '$tmp/journalctl.status' 2>/dev/null || echo 0)"
} > "$tmp/bin/journalctl"
chmod +x "$tmp/bin/journalctl"
for tool in sh cat; do
    ln -s "$(command -v $tool)" "$tmp/bin/$tool"
    ln -s "$(command -v $tool)" "$tmp/nobin/$tool"
done

denial() { "$A" denial --config "$tmp/aavm.conf" --profile-dir "$tmp/profiles" \
    --libvirt-run-dir "$tmp/run" --libvirt-config-dir "$data/libvirt" "$@"; }

# ---- nothing given, standard input not a pipe or file: the journal
PATH=$tmp/bin denial --audit-log "$tmp/no-audit.log" < /dev/null > "$tmp/out" 2> "$tmp/err"
check "no log, no auditd log: exit 0" [ $? -eq 0 ]
check "the journal is read as journalctl -k -o json" [ "$(cat "$tmp/journalctl.args")" = "-k -o json --no-pager" ]
check "it says it reads the journal" grep -qxF "aavm: Reading the kernel's records from 'journalctl -k -o json --no-pager'." "$tmp/err"
check "journal JSON: the records counted (one broken line)" grep -qx \
    "Lines read: 5; denials of VMs: 3; allowed in complain mode: 0; other AppArmor records: 0; denials of other profiles: 0; malformed: 1; too long: 0." "$tmp/out"
check "journal JSON: a string MESSAGE is a record" grep -qx '  2x open "/srv/isos/virtio-win.iso" denied r' "$tmp/out"
check "journal JSON: a byte-array MESSAGE is a record, its bytes kept (not UTF-8: no rule)" \
    grep -qF "/srv/caf$(printf '\357\277\275\357\277\275') cannot be granted: The path is not valid UTF-8." "$tmp/out"
check "journal JSON: the VM is named" grep -q "^VM web1 (libvirt-$uuid)" "$tmp/out"

# journalctl failing is an error; so is neither log existing.
echo 1 > "$tmp/journalctl.status"
PATH=$tmp/bin denial --audit-log "$tmp/no-audit.log" < /dev/null > /dev/null 2> "$tmp/err"
check "journalctl failing: exit 1" [ $? -eq 1 ]
check "journalctl failing: said" grep -qF "journalctl -k -o json --no-pager failed with exit status 1." "$tmp/err"
rm "$tmp/journalctl.status"
PATH=$tmp/nobin denial --audit-log "$tmp/no-audit.log" < /dev/null > /dev/null 2> "$tmp/err"
check "no auditd log, no journalctl: exit 1" [ $? -eq 1 ]
check "no auditd log, no journalctl: said" grep -qF "There is no log to read: neither '$tmp/no-audit.log' nor journalctl exists" "$tmp/err"

# ---- auditd's log first, when it exists; the journal is not asked
rm -f "$tmp/journalctl.args"
PATH=$tmp/bin denial --audit-log "$data/auditd.log" < /dev/null > "$tmp/out" 2> "$tmp/err"
check "the auditd log: exit 0" [ $? -eq 0 ]
check "the auditd log: it says so" grep -qxF "aavm: Reading the kernel's records from '$data/auditd.log'." "$tmp/err"
check "the auditd log: its records" grep -q "^Lines read: 11; denials of VMs: 8;" "$tmp/out"
check "the auditd log: journalctl not run" [ ! -e "$tmp/journalctl.args" ]
mkdir "$tmp/audit-dir.log"
PATH=$tmp/bin denial --audit-log "$tmp/audit-dir.log" < /dev/null > /dev/null 2> "$tmp/err"
check "an auditd log that is a directory: the journal instead" grep -qF "from 'journalctl" "$tmp/err"

# ---- a pipe or a file on standard input, nothing given: read it, say nothing
rm -f "$tmp/journalctl.args"
PATH=$tmp/bin denial < "$data/auditd.log" > "$tmp/out" 2> "$tmp/err"
check "a file on standard input: read" grep -q "^Lines read: 11;" "$tmp/out"
cat "$data/auditd.log" | PATH=$tmp/bin denial > "$tmp/out2" 2>> "$tmp/err"
check "a pipe on standard input: read" cmp -s "$tmp/out" "$tmp/out2"
check "standard input: nothing said, no journal" sh -c "[ ! -s '$tmp/err' ] && [ ! -e '$tmp/journalctl.args' ]"
# '-' reads standard input whatever it is; journal JSON lines too.
PATH=$tmp/bin denial - < "$tmp/journal.json" > "$tmp/out" 2> "$tmp/err"
check "'-' with journal JSON: the same records" grep -q "^Lines read: 5; denials of VMs: 3;" "$tmp/out"
check "'-' with journal JSON: nothing said" [ ! -s "$tmp/err" ]
# A file given: journal JSON lines too.
denial --json "$tmp/journal.json" > "$tmp/out.json"
check "a file of journal JSON: --json counts" python3 -c \
    'import json,sys; j=json.load(open(sys.argv[1])); assert j["denials"] == 3 and j["malformed"] == 1' "$tmp/out.json"

# ---- a terminal on standard input: never waited on silently
if command -v script > /dev/null 2>&1 && command -v timeout > /dev/null 2>&1; then
    # nothing given: the system's log, not the terminal
    rm -f "$tmp/journalctl.args"
    timeout 20 script -qec "PATH='$tmp/bin' '$A' denial --profile-dir '$tmp/profiles' --libvirt-run-dir '$tmp/run' --libvirt-config-dir '$data/libvirt' --audit-log '$tmp/no-audit.log'" /dev/null < /dev/null > "$tmp/tty-out" 2>&1
    check "a terminal, nothing given: done without input (not waiting)" [ $? -eq 0 ]
    check "a terminal, nothing given: the journal was read" grep -q "Reading the kernel's records from 'journalctl" "$tmp/tty-out"
    # '-': a line says what is awaited
    timeout 20 script -qec "'$A' denial --profile-dir '$tmp/profiles' --libvirt-run-dir '$tmp/run' --libvirt-config-dir '$data/libvirt' -" /dev/null < /dev/null > "$tmp/tty-out" 2>&1
    check "a terminal with '-': it says it reads the terminal" grep -q "Reading log lines from the terminal; end with Ctrl-D." "$tmp/tty-out"
fi

"$A" denial --help > "$tmp/help"
check "denial --help says what is read without LOGFILE" grep -q "journalctl -k -o json" "$tmp/help"
check "denial --help has --audit-log" grep -q -- "--audit-log" "$tmp/help"
finish
