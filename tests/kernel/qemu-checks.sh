# SPDX-License-Identifier: LGPL-2.1-or-later
# Sourced by guest.sh: a real qemu-system-x86_64 (TCG, paused with -S)
# with the devices of domains/delta.xml on its command line, as the VM
# manager would start it, runs under the generated libvirt-<uuid>
# profile.  It must open everything without one AppArmor denial; then,
# through its monitor (QMP), adding another VM's disk must be denied.
# Where the kernel mediates unix socket paths for our profiles, its
# monitor socket is reached from its own profile and denied to another
# VM's.
delta=libvirt-0d4fd000-0000-4000-8000-00000000d004
qemu=/usr/bin/qemu-system-x86_64
if [ ! -x $qemu ]; then
    fail "qemu: $qemu is not in the image"
elif ! loaded "$delta"; then
    fail "qemu: $delta is not loaded"
else
    # What the VM manager prepares: the variables store and the disk with
    # their real sizes, no socket left at the paths QEMU binds.
    dd if=/dev/zero of=/var/lib/libvirt/qemu/nvram/delta_VARS.fd bs=4096 count=32 2> /dev/null
    dd if=/dev/zero of=/var/lib/libvirt/images/delta.img bs=1048576 count=1 2> /dev/null
    rm -f /var/lib/libvirt/qemu/channel/target/delta.agent /var/lib/libvirt/qemu/domain-delta/monitor.sock
    mkdir -p /run/libvirt/qemu /var/lib/libvirt/qemu/domain--1-delta
    other=/var/lib/libvirt/images/alpha.img
    monitor=/var/lib/libvirt/qemu/domain-delta/monitor.sock
    clear_log
    # QMP on a pipe (pipes are not mediated); commands are read in order
    # once QEMU has opened its devices.
    {
        echo '{"execute":"qmp_capabilities"}'
        echo '{"execute":"query-status"}'
        echo '{"execute":"query-block"}'
        echo '{"execute":"query-chardev"}'
        echo '{"execute":"blockdev-add","arguments":{"driver":"file","node-name":"other","filename":"'$other'"}}'
        sleep 1
        # Where the kernel mediates unix socket paths for our profiles: the
        # monitor socket of the running QEMU, from its own profile and from
        # another VM's.
        if [ "$unix_mediated" = yes ]; then
            i=0
            while [ ! -S "$monitor" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
            $PROBE "$delta" c "$monitor" > /tmp/monitor.own 2>&1
            $PROBE "$alpha" c "$monitor" > /tmp/monitor.other 2>&1
        fi
        echo '{"execute":"quit"}'
    } | timeout 120 $PROBE --exec "$delta" $qemu -S -accel tcg -machine pc -m 64 -nodefaults \
        -no-user-config -display none -name delta \
        -drive if=pflash,format=raw,unit=0,readonly=on,file=/usr/share/seabios/bios-256k.bin \
        -drive if=pflash,format=raw,unit=1,file=/var/lib/libvirt/qemu/nvram/delta_VARS.fd \
        -drive file=/var/lib/libvirt/images/delta.img,format=raw,if=none,id=drive-vda \
        -device virtio-blk-pci,drive=drive-vda,id=vda \
        -chardev file,id=charserial0,path=/var/log/libvirt/qemu/delta-serial0.log \
        -device isa-serial,chardev=charserial0,id=serial0 \
        -chardev socket,id=charchannel0,path=/var/lib/libvirt/qemu/channel/target/delta.agent,server=on,wait=off \
        -device virtio-serial-pci,id=virtio-serial0 \
        -device virtserialport,bus=virtio-serial0.0,chardev=charchannel0,name=org.qemu.guest_agent.0 \
        -chardev socket,id=charmonitor,path="$monitor",server=on,wait=off \
        -mon chardev=charmonitor,id=monitor,mode=control \
        -pidfile /run/libvirt/qemu/delta.pid \
        -qmp stdio 2>&1 | cat > /tmp/qemu.out
    sleep 0.2
    dmesg > /tmp/qemu.dmesg
    if grep -q '"status": "prelaunch"' /tmp/qemu.out; then
        pass "qemu: started paused under $delta (query-status prelaunch)"
    else
        fail "qemu: did not start under $delta: $(head -c 2000 /tmp/qemu.out)"
    fi
    for f in /var/lib/libvirt/images/delta.img /var/lib/libvirt/qemu/nvram/delta_VARS.fd /usr/share/seabios/bios-256k.bin; do
        grep -q "\"filename\": \"$f\"" /tmp/qemu.out && pass "qemu: opened $f (query-block)" ||
            fail "qemu: $f not in query-block"
    done
    for c in charserial0 charchannel0 charmonitor; do
        grep -q "\"label\": \"$c\"" /tmp/qemu.out && pass "qemu: chardev $c open (query-chardev)" ||
            fail "qemu: chardev $c missing"
    done
    grep 'apparmor="DENIED"' /tmp/qemu.dmesg | grep "profile=\"$delta\"" | grep -v "name=\"$other\"" > /tmp/qemu.denied
    if [ -s /tmp/qemu.denied ]; then
        fail "qemu: $(wc -l < /tmp/qemu.denied) AppArmor denials while starting: $(head -n 5 /tmp/qemu.denied)"
    else
        pass "qemu: zero AppArmor denials while starting under $delta"
    fi
    if [ "$unix_mediated" = yes ]; then
        case $(cat /tmp/monitor.own) in
        ok*) pass "qemu: $delta connects to its running QEMU's monitor socket" ;;
        *) fail "qemu: $delta cannot reach its QEMU's monitor socket: $(cat /tmp/monitor.own)" ;;
        esac
        case $(cat /tmp/monitor.other) in
        denied*) pass "qemu: $alpha is denied the monitor socket of $delta's running QEMU" ;;
        *) fail "qemu: $alpha reached $delta's QEMU's monitor socket: $(cat /tmp/monitor.other)" ;;
        esac
    else
        skip "qemu: $delta's QEMU's monitor socket reached by its own profile, denied to $alpha: $unix_why"
    fi
    if grep -q 'Permission denied' /tmp/qemu.out && grep 'apparmor="DENIED"' /tmp/qemu.dmesg | grep "profile=\"$delta\"" | grep -q "name=\"$other\""; then
        pass "qemu: blockdev-add of another VM's disk ($other) denied by the kernel"
    else
        fail "qemu: blockdev-add of $other was not denied: $(grep -i 'error\|other' /tmp/qemu.out | head -n 3)"
    fi
fi
