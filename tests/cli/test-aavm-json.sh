#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The --json documents (docs/json.md): every one starts with "version", and
# aavm denial gives each fix's rule line and XML element as untranslated
# fields, escaped for what they are.
. "$AAVM_TESTS_SRCDIR/cli/lib.sh"

A=$builddir/helper/aavm
data=$srcdir/data/denial
uuid=5b2d8e3a-7c41-4f0e-9d6a-3e1f2a4b5c6d
mkdir "$tmp/run" "$tmp/profiles" "$tmp/sec"
: > "$tmp/aavm.conf"
: > "$tmp/sec/profiles"

# check_json FILE PYTHON-EXPRESSION: one line of valid JSON, the expression
# over it (as j) true.
check_json() {
    python3 -c 'import json, sys
text = open(sys.argv[1]).read()
assert text.endswith("}\n") and text.count("\n") == 1, "not one line"
j = json.loads(text)
sys.exit(0 if eval(sys.argv[2]) else 1)' "$1" "$2"
}
# first_key FILE: the first key of the document, as written.
first_key() { sed -n 's/^{ *"\([a-z_]*\)".*/\1/p' "$1"; }
denial() { "$A" denial --config "$tmp/aavm.conf" --profile-dir "$tmp/profiles" \
    --libvirt-run-dir "$tmp/run" --libvirt-config-dir "$data/libvirt" "$@"; }

# ---- version, first, in all four
"$A" status --json --profile-dir "$tmp/profiles" --apparmor-dir "$tmp/sec" > "$tmp/status.json"
"$A" explain --json "$top_srcdir/docs/examples/demo.xml" > "$tmp/explain.json"
denial --json "$data/auditd.log" > "$tmp/denial.json"
truncate -s 1M "$tmp/disk.img"
"$A" image-check --json --format raw "$tmp/disk.img" > "$tmp/image.json"
for doc in status explain denial image; do
    check "$doc --json: \"version\" is the first key" [ "$(first_key "$tmp/$doc.json")" = version ]
    check "$doc --json: version is the integer 1" check_json "$tmp/$doc.json" 'j["version"] == 1 and type(j["version"]) is int'
done
# One style for all four: compact (no space outside strings), keys in the
# order written; Python writes the same document back byte for byte.
for doc in status explain denial image; do
    check "$doc --json: compact, as json.dumps writes it" check_json "$tmp/$doc.json" \
        'text == json.dumps(j, separators=(",", ":"), ensure_ascii=False) + "\n"'
done
check "image-check --json: the image's own version is format_version" check_json "$tmp/image.json" \
    '"format_version" in j and j["format_version"] is None'

# ---- denial: the fix as data
e='j["vms"][0]["entries"]'
check "denial --json: every entry has rule, rule_in, xml, xml_action" check_json "$tmp/denial.json" \
    "all(set(['rule', 'rule_in', 'xml', 'xml_action']) <= set(x) for x in $e)"
check "a read-only disk: the element to remove" check_json "$tmp/denial.json" \
    "$e[0]['xml'] == '<readonly/>' and $e[0]['xml_action'] == 'remove' and $e[0]['rule'] is None"
check "an undeclared backing file: the <backingStore> to add, and the rule as fallback" check_json "$tmp/denial.json" \
    "$e[1]['xml'] == \"<backingStore type='file'><format type='FMT'/><source file='/var/lib/libvirt/images/debian-12-base.qcow2'/></backingStore>\" and $e[1]['xml_action'] == 'add' and $e[1]['rule'].startswith('\"/var/lib/libvirt/images/debian-12-base.qcow2\" r,')"
check "a stale profile: no rule, no element" check_json "$tmp/denial.json" \
    "$e[2]['kind'] == 'xml-element' and $e[2]['rule'] is None and $e[2]['xml'] is None and $e[2]['rule_in'] == []"
check "a local rule: the exact line and where it goes" check_json "$tmp/denial.json" \
    "$e[3]['rule'] == '\"/srv/isos/virtio-win.iso\" r,  # added for an AppArmor denial' and $e[3]['rule_in'][0] == '$tmp/profiles/libvirt-$uuid' and $e[3]['rule_in'][1].endswith('/local/abstractions/libvirt-qemu')"
check "the rule line is the one the text offers" grep -qF \
    "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["vms"][0]["entries"][3]["rule"])' "$tmp/denial.json")" \
    "$(denial "$data/auditd.log" > "$tmp/denial.txt"; echo "$tmp/denial.txt")"
check "a restricted path: no rule at all" check_json "$tmp/denial.json" \
    "$e[4]['kind'] == 'do-not-grant' and $e[4]['rule'] is None and $e[4]['rule_in'] == [] and $e[4]['xml'] is None"
check "a capability: its rule line" check_json "$tmp/denial.json" "$e[5]['rule'] == 'capability sys_admin,'"
# That they are not translated is checked by tests/i18n/test-l10n.sh.

# A hostile name next to the disk image: quoted in the rule, escaped in the XML.
line() { printf 'type=AVC msg=audit(1700000300.000:1): apparmor="DENIED" operation="open" class="file" profile="libvirt-%s" name=%s pid=1 comm="qemu" requested_mask="r" denied_mask="r" fsuid=0 ouid=0\n' $uuid "$1"; }
line 2F7661722F6C69622F6C6962766972742F696D616765732F612762263C3E2063 > "$tmp/hostile.log"
denial --json "$tmp/hostile.log" > "$tmp/hostile.json"
h='j["vms"][0]["entries"][0]'
check "a hostile name: valid JSON" check_json "$tmp/hostile.json" "$h[\"object\"] == \"/var/lib/libvirt/images/a'b&<> c\""
check "a hostile name: XML-escaped in the element" check_json "$tmp/hostile.json" \
    "$h['xml'] == \"<backingStore type='file'><format type='FMT'/><source file='/var/lib/libvirt/images/a&apos;b&amp;&lt;&gt; c'/></backingStore>\""
check "a hostile name: quoted in the rule" check_json "$tmp/hostile.json" \
    "$h['rule'] == '\"/var/lib/libvirt/images/a\\'b&<> c\" r,  # added for an AppArmor denial'"
# A name with a double quote would end the rule's string and add rules of
# its own: no rule is offered, and a warning says why.
line 2F7372762F7822207277782C202F2A2A207277782C2023 > "$tmp/quote.log"
denial --json "$tmp/quote.log" > "$tmp/quote.json"
check "a name with a double quote: no rule, no element" check_json "$tmp/quote.json" \
    "$h['kind'] == 'do-not-grant' and $h['rule'] is None and $h['xml'] is None and 'double quote' in $h['warnings'][0]"
denial "$tmp/quote.log" > "$tmp/quote.txt"
check "a name with a double quote: no rule line in the text either" sh -c "! grep -q 'rwx, /\*\* rwx' '$tmp/quote.txt' || ! grep -q 'Add this line' '$tmp/quote.txt'"

# ---- the schema page names every key the documents have
for key in $(python3 -c 'import json, sys
keys = set()
def walk(v):
    if isinstance(v, dict):
        for k, x in v.items():
            keys.add(k); walk(x)
    elif isinstance(v, list):
        for x in v: walk(x)
for f in sys.argv[1:]: walk(json.load(open(f)))
print(" ".join(sorted(keys)))' "$tmp/status.json" "$tmp/explain.json" "$tmp/denial.json" "$tmp/image.json"); do
    check "docs/json.md names the key $key" grep -q "\`$key\`" "$top_srcdir/docs/json.md"
done
finish
