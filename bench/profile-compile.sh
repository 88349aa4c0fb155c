#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Compile time of the shipped abstractions with the real parser, against
# the reference's (libvirt's) and against the pieces they include.
#
#   bench/profile-compile.sh [-n RUNS] [-r REFERENCE_APPARMOR_DIR]
#
# Each case is a minimal profile (abi 3.0, tunables/global, one include)
# compiled with "apparmor_parser -Q -K -M <abi>" (no kernel, no cache);
# the figures are the median wall time of RUNS runs (default 10) and the
# mean CPU time (user + system) of the parser per run, in ms; the CPU time
# is the steadier one on a busy machine.
# REFERENCE_APPARMOR_DIR is an unpacked reference policy tree, e.g. from
#   apt-get download libvirt-daemon-system && dpkg -x <deb> /tmp/ref
# (use /tmp/ref/etc/apparmor.d); its cases are skipped when not given.
set -eu

runs=10
ref=
while getopts n:r: opt; do
    case $opt in
    n) runs=$OPTARG ;;
    r) ref=$OPTARG ;;
    *) echo "usage: $0 [-n RUNS] [-r REFERENCE_APPARMOR_DIR]" >&2; exit 2 ;;
    esac
done

here=$(cd "$(dirname "$0")/.." && pwd)
parser=${APPARMOR_PARSER:-/usr/sbin/apparmor_parser}
abi=${AAVM_ABI:-/etc/apparmor.d/abi/3.0}
system=/etc/apparmor.d
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM

# now in nanoseconds
now() { date +%s%N; }

# median of the numbers on stdin
median() {
    sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2];
                                         else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# The reference includes its local/ files without "if exists": empty stubs.
mkdir -p "$work/stubs/local/abstractions"
: > "$work/stubs/local/abstractions/libvirt-qemu"
: > "$work/stubs/local/abstractions/libvirt-lxc"

# run_case NAME INCLUDE-DIR-OR-EMPTY BODY
run_case() {
    name=$1 incdir=$2 body=$3
    f="$work/$name"
    printf 'abi <abi/3.0>,\ninclude <tunables/global>\nprofile bench-%s {\n%s\n}\n' \
        "$name" "$body" > "$f"
    set -- -Q -K -M "$abi" -b "$system"
    [ -n "$incdir" ] && set -- "$@" -I "$incdir"
    set -- "$@" -I "$system" -I "$work/stubs"
    "$parser" "$@" "$f" || { echo "$name: does not compile" >&2; exit 1; }
    times > "$work/t0"
    i=0
    while [ "$i" -lt "$runs" ]; do
        t0=$(now)
        "$parser" "$@" "$f"
        t1=$(now)
        echo $(( (t1 - t0) / 1000 )) >> "$work/times"
        i=$((i + 1))
    done
    times > "$work/t1"
    c0=$(children_cpu < "$work/t0") c1=$(children_cpu < "$work/t1")
    wall=$(median < "$work/times")
    rm -f "$work/times"
    awk -v n="$name" -v w="$wall" -v c0="$c0" -v c1="$c1" -v r="$runs" \
        'BEGIN { printf "%-26s %8.1f ms %8.1f ms\n", n, w / 1000, (c1 - c0) * 1000 / r }'
}

# user + system seconds of the shell's finished children (from "times",
# run in the shell itself: its 2nd line)
children_cpu() {
    sed -n 2p | awk '{ t = 0; for (i = 1; i <= 2; i++) { split($i, a, /[ms]/);
                                 t += a[1] * 60 + a[2] } print t }'
}

# What a small VM's .files holds (the base rules, a disk, firmware).
vm_rules='  "/var/log/libvirt/**/vm1.log" w,
  "/var/lib/libvirt/qemu/domain-vm1/monitor.sock" rw,
  "/run/libvirt/**/vm1.pid" rwk,
  "/run/libvirt/**/*.tunnelmigrate.dest.vm1" rw,
  "/var/lib/libvirt/qemu/domain-1-vm1/*" rw,
  "/var/lib/libvirt/images/vm1.qcow2" rwk,
  "/var/lib/libvirt/images/base.qcow2" rk,
  "/usr/share/OVMF/OVMF_CODE.fd" rk,
  "/var/lib/libvirt/qemu/nvram/vm1_VARS.fd" rwk,'

echo "apparmor_parser: $("$parser" --version | head -n 1); $runs runs per case"
printf '%-26s %11s %11s\n' case "median wall" "mean CPU"
run_case empty-profile "" "  /dev/null r,"
run_case base "" "  include <abstractions/base>"
run_case consoles "" "  include <abstractions/consoles>"
run_case nameservice "" "  include <abstractions/nameservice>"
run_case base+nameservice "" "  include <abstractions/base>
  include <abstractions/nameservice>"
run_case aavm-libvirt-qemu "$here/profiles" "  include <abstractions/libvirt-qemu>"
run_case aavm-libvirt-lxc "$here/profiles" "  include <abstractions/libvirt-lxc>"
run_case aavm-vm-profile "$here/profiles" "  include <abstractions/libvirt-qemu>
$vm_rules"
if [ -n "$ref" ]; then
    run_case reference-libvirt-qemu "$ref" "  include <abstractions/libvirt-qemu>"
    run_case reference-libvirt-lxc "$ref" "  include <abstractions/libvirt-lxc>"
    run_case reference-vm-profile "$ref" "  include <abstractions/libvirt-qemu>
$vm_rules"
fi
