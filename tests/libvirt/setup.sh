# SPDX-License-Identifier: LGPL-2.1-or-later
# Sourced by guest.sh: put the set-up's AppArmor policy and helper in
# place, load the profiles and start libvirtd under its profile.
#   a       aavm's installed profiles (the helper's) and the example
#           daemon profile (doc/aavm/examples/libvirtd)
#   b       Debian's shipped usr.sbin.libvirtd and
#           usr.lib.libvirt.virt-aa-helper, unchanged, over aavm as
#           installed (aavm's abstraction and template; its other
#           profiles loaded too)
#   debian  Debian's virt-aa-helper and all of Debian's profiles (the
#           reference, for the timings)
AD=/etc/apparmor.d

install_policy() {
    # What the distribution's postinst makes: empty local/ overrides.
    mkdir -p $AD/local/abstractions
    for f in usr.sbin.libvirtd usr.lib.libvirt.virt-aa-helper libvirtd aavm-helper abstractions/libvirt-qemu; do
        : > "$AD/local/$f"
    done
    # The profiles aavm's install put at the top of /etc/apparmor.d (the
    # image has no others there: Debian's wait in /t/debian).
    installed=$(find $AD -maxdepth 1 -type f | sort | tr '\n' ' ')
    case $setup in
    a)
        cp /usr/share/doc/aavm/examples/libvirtd $AD/usr.sbin.libvirtd
        profiles="$installed $AD/usr.sbin.libvirtd" ;;
    b)
        cp /t/debian/apparmor.d/usr.sbin.libvirtd /t/debian/apparmor.d/usr.lib.libvirt.virt-aa-helper $AD/
        profiles=$(printf '%s\n' $installed $AD/usr.lib.libvirt.virt-aa-helper $AD/usr.sbin.libvirtd | sort -u) ;;
    debian)
        find $AD -maxdepth 1 -type f -delete
        cp -R /t/debian/apparmor.d/. $AD/
        rm -f /usr/lib/libvirt/virt-aa-helper
        cp /t/debian/virt-aa-helper /usr/lib/libvirt/virt-aa-helper
        profiles="$AD/usr.lib.libvirt.virt-aa-helper $AD/usr.sbin.libvirtd" ;;
    esac
    for p in $profiles; do
        check "load $(basename "$p")" apparmor_parser -r "$p"
    done
}

write_config() {
    mkdir -p /etc/libvirt /var/lib/libvirt/images /var/log/libvirt/qemu /var/cache/libvirt /run/libvirt
    cat > /etc/libvirt/libvirtd.conf <<'CONF'
unix_sock_group = "root"
unix_sock_rw_perms = "0770"
auth_unix_ro = "none"
auth_unix_rw = "none"
log_outputs = "3:file:/var/log/libvirt/libvirtd.log"
CONF
    cat > /etc/libvirt/qemu.conf <<'CONF'
security_driver = "apparmor"
security_default_confined = 1
user = "root"
group = "root"
dynamic_ownership = 0
remember_owner = 0
cgroup_controllers = [ ]
namespaces = [ ]
stdio_handler = "file"
swtpm_user = "root"
swtpm_group = "root"
CONF
}

start_libvirtd() {
    /usr/sbin/libvirtd -d
    limit=$(($(cut -d. -f1 /proc/uptime) + 240))
    until virsh version > /dev/null 2>&1; do
        if ! pidof libvirtd > /dev/null || [ "$(cut -d. -f1 /proc/uptime)" -gt $limit ]; then
            fail "libvirtd does not answer: $(grep ' error : ' /var/log/libvirt/libvirtd.log 2>/dev/null | grep -v dmidecode | tail -n 3 | tr '\n' ' ')"
            return 1
        fi
        sleep 1
    done
    pid=$(cat /run/libvirtd.pid 2>/dev/null || pidof libvirtd)
    got=$(cat "/proc/$pid/attr/current" 2>/dev/null)
    case $got in
    "libvirtd (enforce)") pass "libvirtd runs confined: '$got'" ;;
    *) fail "libvirtd's label is '$got', want 'libvirtd (enforce)'" ;;
    esac
}
