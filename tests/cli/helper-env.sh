# SPDX-License-Identifier: LGPL-2.1-or-later
# helper-env.sh: what the aavm-helper scripts share (after lib.sh): the
# program, one VM's names and a scratch profile directory with the templates.
H=$builddir/helper/aavm-helper
uuid=00000000-0000-4000-8000-000000000001
name=libvirt-$uuid
pd=$tmp/profiles
prof=$pd/$name
files=$pd/$name.files
log=$tmp/parser.log
mkdir "$pd"
cp "$top_srcdir/templates/TEMPLATE.qemu" "$top_srcdir/templates/TEMPLATE.lxc" "$pd/"
