# SPDX-License-Identifier: LGPL-2.1-or-later
# Sourced by guest.sh: put the set-up's AppArmor policy and helper in
# place, load the profiles and start libvirtd under its profile.  The
# image holds Debian's libvirt as its packages install it; /t/stage
# holds aavm's `make install`, /t/package the Debian package unpacked
# (unpack-package.sh), if there was one.
#   a       aavm's installed profiles (the helper's) and the example
#           daemon profile (doc/aavm/examples/libvirtd) in place of
#           Debian's
#   b       Debian's shipped usr.sbin.libvirtd, unchanged, with aavm
#           installed from the package: the profiles of a Debian host
#           loaded, then the package's preinst (its dpkg-divert calls
#           rename libvirt's files), its files, its postinst (it unloads
#           libvirt's helper profile and loads aavm-helper).  Without
#           the package: aavm's `make install` over libvirt's files, and
#           Debian's usr.lib.libvirt.virt-aa-helper, unchanged, loaded
#           with aavm's profiles
#   debian  Debian's virt-aa-helper and all of Debian's profiles (the
#           reference, for the timings)
AD=/etc/apparmor.d

# What apparmor.service loads at boot: every profile file at the top of
# /etc/apparmor.d.
load_all() {
    for p in $(find $AD -maxdepth 1 ! -type d | sort); do
        check "load $(basename "$p")" apparmor_parser -r "$p"
    done
}

# The package's maintainer scripts run as dpkg runs them, with a
# dpkg-divert that does what --rename --add/--remove do to the files.
install_package() {
    mkdir -p /t/bin
    cat > /t/bin/dpkg-divert <<'SH'
#!/bin/sh
to= file= op=
while [ $# -gt 0 ]; do
    case $1 in
    --package) shift ;;
    --divert) to=$2; shift ;;
    --add|--remove) op=$1; file=$2; shift ;;
    esac
    shift
done
case $op in
--add) [ ! -e "$file" ] || [ -e "$to" ] || mv "$file" "$to" ;;
--remove) [ ! -e "$to" ] || [ -e "$file" ] || mv "$to" "$file" ;;
esac
echo "$op $file $to" >> /t/diversions
SH
    chmod 755 /t/bin/dpkg-divert
    check "the package's preinst install" env PATH=/t/bin:$PATH sh /t/package/DEBIAN/preinst install
    cp -a /t/package/root/. /
    check "the package's postinst configure" env PATH=/t/bin:$PATH sh /t/package/DEBIAN/postinst configure
    if loaded virt-aa-helper; then fail "libvirt's helper profile virt-aa-helper is still loaded after the package's postinst"
    else pass "the package's postinst unloaded libvirt's helper profile virt-aa-helper"; fi
    if loaded aavm-helper; then pass "the package's postinst loaded aavm-helper"
    else fail "aavm-helper is not loaded after the package's postinst"; fi
}

install_policy() {
    # What the distribution's postinst makes: empty local/ overrides.
    mkdir -p $AD/local/abstractions
    for f in usr.sbin.libvirtd usr.lib.libvirt.virt-aa-helper libvirtd aavm-helper abstractions/libvirt-qemu; do
        : > "$AD/local/$f"
    done
    case $setup in
    a)
        rm -f /usr/lib/libvirt/virt-aa-helper $AD/usr.lib.libvirt.virt-aa-helper
        cp -a /t/stage/. /
        cp /usr/share/doc/aavm/examples/libvirtd $AD/usr.sbin.libvirtd
        load_all ;;
    b)
        if [ -d /t/package ]; then
            echo "set-up b: aavm from the package, Debian's usr.sbin.libvirtd unchanged"
            load_all
            install_package
        else
            echo "set-up b: NOTE: no package, aavm's make install over Debian's files"
            rm -f /usr/lib/libvirt/virt-aa-helper
            cp -a /t/stage/. /
            load_all
        fi ;;
    debian)
        load_all ;;
    esac
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
