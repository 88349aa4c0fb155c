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

# disk_domain PATH [FORMAT]: a domain of this VM with one file disk at PATH
# (driver type FORMAT, default raw).
disk_domain() {
    cat <<XML
<domain type='kvm'><name>vm1</name><uuid>$uuid</uuid><memory>1024</memory>
<os><type>hvm</type></os><devices>
<disk type='file' device='disk'><driver name='qemu' type='${2:-raw}'/><source file='$1'/>
<target dev='vda' bus='virtio'/></disk></devices></domain>
XML
}
