#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The admin interface: aavm generate, its options and exit codes.
. "$AAVM_TESTS_SRCDIR/cli/lib.sh"

A=$builddir/helper/aavm
demo=$top_srcdir/docs/examples/demo.xml

"$A" > /dev/null 2>&1
check "no verb exit 2" [ $? -eq 2 ]
"$A" --help > "$tmp/out" 2>&1
check "--help exit 0" [ $? -eq 0 ]
check "--help lists generate" grep -q "generate" "$tmp/out"
"$A" frobnicate > /dev/null 2> "$tmp/err"
check "unknown verb exit 2" [ $? -eq 2 ]
check "unknown verb is named" grep -q "frobnicate" "$tmp/err"
"$A" generate > /dev/null 2>&1
check "generate without a file exit 2" [ $? -eq 2 ]
"$A" generate "$demo" "$demo" > /dev/null 2>&1
check "generate with two files exit 2" [ $? -eq 2 ]
"$A" generate --bogus "$demo" > /dev/null 2>&1
check "generate with an unknown option exit 2" [ $? -eq 2 ]

"$A" generate "$demo" > "$tmp/files"
check "generate exit 0" [ $? -eq 0 ]
check "generate prints the header first" head -n1 "$tmp/files" | grep -q "^# DO NOT EDIT"
check "generate prints the disk rule" grep -qxF '  "/var/lib/libvirt/images/demo.qcow2" rwk,' "$tmp/files"
check "generate prints the read-only cdrom rule" grep -qxF '  "/var/lib/libvirt/images/debian-12-netinst.iso" rk,' "$tmp/files"
check "generate prints each reason on the line above its rule" \
    [ "$(grep -B1 -xF '  "/var/lib/libvirt/images/demo.qcow2" rwk,' "$tmp/files" | head -n1)" = "  # disk vda" ]
check "generate prints the base rules" grep -qF '"/run/libvirt/**/demo.pid" rwk,' "$tmp/files"
"$A" generate - < "$demo" > "$tmp/stdin"
check "generate - reads standard input" cmp -s "$tmp/files" "$tmp/stdin"
printf '[aavm]\n# nothing set\n' > "$tmp/empty.conf"
"$A" generate --config "$tmp/empty.conf" "$demo" > "$tmp/conf-out"
check "generate --config with defaults prints the same rules" cmp -s "$tmp/files" "$tmp/conf-out"
printf '[aavm]\npassthrough-paths = sometimes\n' > "$tmp/bad.conf"
"$A" generate --config "$tmp/bad.conf" "$demo" > "$tmp/out" 2> "$tmp/err"
check "generate --config with a bad value exit 1" [ $? -eq 1 ]
check "the bad value's setting is named" grep -qF "$tmp/bad.conf: The value of 'passthrough-paths' is invalid" "$tmp/err"
check "nothing is printed for a bad config" [ ! -s "$tmp/out" ]

# A known configuration that cannot be granted: a warning naming it, exit 0.
"$A" generate "$srcdir/data/disk-volume.xml" > "$tmp/files" 2> "$tmp/err"
check "a warning leaves generate exit 0" [ $? -eq 0 ]
check "the warning names the device" grep -qF "aavm: warning: disk vdb is a storage pool volume" "$tmp/err"
check "the other disks still get their rules" grep -qF '"/var/lib/libvirt/images/disk.qcow2" rwk,' "$tmp/files"

"$A" generate --profile -t "$top_srcdir/templates" "$demo" > "$tmp/profile"
check "generate --profile exit 0" [ $? -eq 0 ]
check "the profile is named after the UUID" grep -q "^profile libvirt-6f1c2a9e-4d5b-4f7e-9a51-2c3d4e5f6a7b " "$tmp/profile"
check "the profile inlines the rules" grep -qF '"/var/lib/libvirt/images/demo.qcow2" rwk,' "$tmp/profile"
check "the profile ends with its closing brace" [ "$(tail -n1 "$tmp/profile")" = "}" ]
"$A" generate --profile -t "$tmp" "$demo" > /dev/null 2> "$tmp/err"
check "a missing template exit 1" [ $? -eq 1 ]
check "a missing template is named" grep -q "TEMPLATE.qemu" "$tmp/err"

"$A" generate "$srcdir/data/disk-etc-fail.xml" > "$tmp/out" 2> "$tmp/err"
check "a refused domain exit 1" [ $? -eq 1 ]
check "a refused domain prints nothing on stdout" [ ! -s "$tmp/out" ]
check "the refusal names the file and the path" grep -q "disk-etc-fail.xml: .*'/etc/shadow'" "$tmp/err"
"$A" generate "$tmp/missing.xml" > /dev/null 2>&1
check "a missing file exit 1" [ $? -eq 1 ]

# A declared non-UTF-8 encoding is not converted: one error line, nothing
# from libxml2 on standard error.
"$A" generate "$srcdir/data/xml-encoding-declared-fail.xml" > /dev/null 2> "$tmp/err"
check "a declared ISO-2022-JP document exits 1" [ $? -eq 1 ]
check "it prints exactly one line, ours" sh -c "[ \$(wc -l < '$tmp/err') -eq 1 ] && grep -q '^aavm: ' '$tmp/err'"

if have_parser; then
    check "the demo profile compiles with apparmor_parser" compile_profile "$tmp/profile"
fi
finish
