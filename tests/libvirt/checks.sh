# SPDX-License-Identifier: LGPL-2.1-or-later
# Sourced by guest.sh: the check helpers.  One line a check, "PASS: ..."
# or "FAIL: ...", each prefixed with the set-up's name.
PROBE=/usr/lib/aavm-kernel-test/probe
AAFS=/sys/kernel/security/apparmor
PD=/etc/apparmor.d/libvirt
passed=0 failed=0

pass() { passed=$((passed + 1)); echo "PASS: ($setup) $*"; }
fail() { failed=$((failed + 1)); echo "FAIL: ($setup) $*"; }
# check WHAT COMMAND...: PASS when the command succeeds; its output on a FAIL.
# The time each took goes to /tmp/steps.
check() {
    what=$1; shift
    s0=$(now)
    if out=$("$@" 2>&1); then pass "$what"; else fail "$what: $(echo "$out" | tail -n 3 | tr '\n' ' ')"; fi
    echo "STEP: $setup $(awk -v a="$s0" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }') s $what" >> /tmp/steps
}

# expect ok|denied PROFILE ACTION PATH WHY: the probe opens PATH (r, w)
# in a process confined by PROFILE from its start.
expect() {
    want=$1 prof=$2 act=$3 path=$4 why=$5
    got=$($PROBE "$prof" "$act" "$path" 2>&1 | head -n 1)
    case $got in
    "$want $act "*) pass "$prof: $act $path $want ($why)" ;;
    *) fail "$prof: $act $path: want $want ($why), got: $got" ;;
    esac
}

loaded() { grep -q "^$1 (" "$AAFS/profiles"; }

# label_of VM: the AppArmor label of the VM's QEMU process.
label_of() {
    pid=$(cat "/run/libvirt/qemu/$1.pid" 2>/dev/null) || { echo "no pid file"; return; }
    cat "/proc/$pid/attr/current" 2>/dev/null || echo "no process $pid"
}
expect_label() { # VM UUID WHEN
    got=$(label_of "$1")
    if [ "$got" = "libvirt-$2 (enforce)" ]; then
        pass "$1: QEMU runs as '$got' ($3)"
    else
        fail "$1: QEMU's label after $3 is '$got', want 'libvirt-$2 (enforce)'"
    fi
}

# virsh with a time limit; on a hang the processes go to the console.
virsh() {
    timeout 150 /usr/bin/virsh "$@"; rc=$?
    if [ $rc -ge 124 ]; then
        { echo "----- virsh $* did not finish in 150 s (status $rc); processes:"
          ps -o pid,ppid,stat,args; } >> /tmp/hangs
    elif [ $rc -ne 0 ]; then
        { echo "----- virsh $* failed (status $rc); processes:"
          ps -o pid,ppid,stat,args; } >> /tmp/hangs
    fi
    return $rc
}

now() { cut -d' ' -f1 /proc/uptime; }
# timed NAME COMMAND...: runs it; when it succeeds, records
# "TIME: SETUP NAME SECONDS" for run.sh.
timed() {
    name=$1; shift
    t0=$(now)
    "$@" || return
    echo "TIME: $setup $name $(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }')" >> /tmp/times
}
