#!/bin/busybox sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# /init of the kernel tests' VM (tests/kernel/run.sh builds the image).
# Loads each test domain's profile with the real aavm-helper, parser and
# kernel, and checks under it what the profile must grant and deny.
# Prints one line a check ("PASS: ...", "FAIL: ...", "SKIP: ..."), then
# "N passed, M failed", then powers the VM off.
/bin/busybox --install -s
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t securityfs securityfs /sys/kernel/security
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /run
echo 0 > /proc/sys/kernel/printk_ratelimit
echo 0 > /proc/sys/kernel/printk_ratelimit_burst 2>/dev/null

PD=/etc/apparmor.d/libvirt
# /t/aavm.conf (build-initramfs.sh, AAVM_KERNEL_PROFILE_ABI): the profiles
# are made with profile-abi pinned.
CONF='' abi=3.0
if [ -f /t/aavm.conf ]; then
    CONF="--config /t/aavm.conf"
    abi=$(sed -n 's/^profile-abi = //p' /t/aavm.conf)
fi
HELPER="/usr/libexec/aavm/aavm-helper --profile-dir $PD --parser /sbin/apparmor_parser --cache-dir /var/cache/aavm --lock-dir /run/aavm $CONF"
AAVM_OPTS="--profile-dir $PD --parser /sbin/apparmor_parser --cache-dir /var/cache/aavm --lock-dir /run/aavm"
AAVM_OPTS_DENIAL="--profile-dir $PD"
PROBE=/usr/lib/aavm-kernel-test/probe
AAFS=/sys/kernel/security/apparmor
passed=0 failed=0 skipped=0 t0=$(cut -d. -f1 /proc/uptime)

pass() { passed=$((passed + 1)); echo "PASS: $*"; }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }
skip() { skipped=$((skipped + 1)); echo "SKIP: $*"; }

# Upstream kernels before AppArmor's af_unix mediation (Debian 12's 6.1,
# Debian 13's 6.12) do not check the path of a unix socket on connect: any
# profile with "network unix stream," may connect to any socket.  Kernels
# with features/network/af_unix mediate it for policy whose abi lists
# network af_unix (abi 3.0 and 4.0 do); upstream's mediation (7.x:
# features/network_v9/af_unix) only for policy whose abi lists network_v9
# af_unix (abi 5.0 of apparmor_parser 5.0).  Cross-VM socket denials are
# checked where the kernel mediates them for our profiles' abi; the SKIP
# lines name the feature file and the abi file.
ABIF=/etc/apparmor.d/abi/$abi
abi_lists() { tr -d '\n' < "$ABIF" 2>/dev/null | grep -Eq "(^|})$1 \{(af_mask \{[^}]*\})?af_unix \{yes"; }
unix_mediated=no unix_kernel=no
unix_why="no $AAFS/features/network/af_unix nor $AAFS/features/network_v9/af_unix: this kernel does not mediate unix socket paths"
for f in network network_v9; do
    [ -e "$AAFS/features/$f/af_unix" ] || continue
    unix_kernel=yes
    if abi_lists $f; then
        unix_mediated=yes
    else
        unix_why="$AAFS/features/$f/af_unix but our profiles pin abi $abi, and $ABIF does not list $f af_unix: the kernel does not mediate unix socket paths for them"
    fi
done
# /t/unix-checks (build-initramfs.sh, AAVM_KERNEL_UNIX_CHECKS=run): the
# socket checks run whatever the features say, to see what the kernel does.
if [ -f /t/unix-checks ]; then unix_mediated=yes; fi
# expect ok|denied PROFILE ACTION PATH [WHY]
# Between "batch_start" and "batch_run PROFILE" the checks (all for that
# profile) are collected and run by one probe process, one answer a line.
batch=
expect() {
    want=$1 prof=$2 act=$3 path=$4 why=${5:-}
    if [ -n "$batch" ]; then
        printf '%s %s %s\t%s\n' "$want" "$act" "$path" "$why" >> "$batch"
        return
    fi
    got=$($PROBE "$prof" "$act" "$path" 2>&1)
    judge "$got"
}
judge() {
    case $1 in
    "$want $act "*) pass "$prof: $act $path $want${why:+ ($why)}" ;;
    *) fail "$prof: $act $path: want $want${why:+ ($why)}, got: $1" ;;
    esac
}
batch_start() { batch=/tmp/batch; : > "$batch"; }
batch_run() {
    batch=
    prof=$1
    sed -e 's/\t.*//' -e 's/^[a-z]* //' /tmp/batch | $PROBE "$prof" > /tmp/batch.out 2>&1
    i=0
    while IFS="$(printf '\t')" read -r spec why; do
        i=$((i + 1))
        want=${spec%% *} rest=${spec#* }
        act=${rest%% *} path=${rest#* }
        judge "$(sed -n "${i}p" /tmp/batch.out)"
    done < /tmp/batch
}

# Empty the kernel log (for a check that reads it), keeping its AppArmor
# records for the report on failure.
: > /tmp/aa.log
clear_log() { dmesg -c | grep 'apparmor=' >> /tmp/aa.log; }

loaded() { grep -q "^$1 (" "$AAFS/profiles"; }
mode_of() { sed -n "s/^$1 (\(.*\))\$/\1/p" "$AAFS/profiles"; }

# The literal paths of a .files (# REASON, then "PATH" PERMS,), unescaped:
# "PATH<TAB>PERMS<TAB>REASON".  Globs and alternations are left out.
literal_rules() {
    # The reason is on the comment line above its rule.
    awk '/^  # / { reason = substr($0, 5); next }
         /^  ".*" [a-z]*,$/ { n = split($0, w, " "); perms = w[n]; sub(/,$/, "", perms)
                              path = $0; sub(/^  "/, "", path); sub(/" [a-z]*,$/, "", path)
                              print path "\t" perms "\t" reason }
         { reason = "" }' "$1" |
    grep -v "$(printf '^[^\t]*[^\\\\][*?[{]')" | grep -v "$(printf '^[^\t]*/\t')" |
    sed 's/\\\(.\)/\1/g'
}

is_socket() {
    case "$1|$2" in
    *"|monitor socket"*|*.sock\|*|*.agent\|*) return 0 ;;
    esac
    return 1
}

uuid_of() { sed -n 's/.*<uuid>\(.*\)<\/uuid>.*/\1/p' "$1" | head -n 1 | tr 'A-F' 'a-f'; }

# Make every literal path of a .files exist: sockets get a listener.
make_files() {
    literal_rules "$1" | while IFS="$(printf '\t')" read -r path perms reason; do
        mkdir -p "$(dirname "$path")"
        if is_socket "$path" "$reason"; then
            [ -S "$path" ] || { $PROBE --listen "$path" & sleep 0.1; }
        else
            [ -e "$path" ] || echo data > "$path"
        fi
    done
}

# Everything a .files grants literally is reachable with its permissions.
check_granted() {
    prof=$1 files=$2
    literal_rules "$files" > /tmp/rules
    while IFS="$(printf '\t')" read -r path perms reason; do
        if is_socket "$path" "$reason"; then
            expect ok "$prof" c "$path" "$reason"
            continue
        fi
        [ -f "$path" ] || continue
        case $perms in *r*) expect ok "$prof" r "$path" "$reason" ;; esac
        case $perms in
        *w*) expect ok "$prof" w "$path" "$reason" ;;
        *)   expect denied "$prof" w "$path" "$reason, read-only" ;;
        esac
    done < /tmp/rules
}

start_vm() { # XML -> prints the profile name
    uuid=$(uuid_of "$1")
    prof=libvirt-$uuid
    if out=$($HELPER -c -u "$prof" < "$1" 2>&1); then
        pass "$(basename "$1"): aavm-helper -c loads $prof"
    else
        fail "$(basename "$1"): aavm-helper -c: $out"
        return 1
    fi
    if loaded "$prof"; then pass "$prof: loaded in the kernel ($(mode_of "$prof"))"; else fail "$prof: not in $AAFS/profiles"; fi
    make_files "$PD/$prof.files"
    return 0
}

echo # the firmware's escape sequences end on this line
echo "kernel: $(uname -r); AppArmor enabled: $(cat /sys/module/apparmor/parameters/enabled); unix socket paths mediated: $unix_mediated (by the kernel: $unix_kernel)"
echo "kernel: apparmor_parser $(/sbin/apparmor_parser --version 2>&1 | sed -n '1s/.*version //p'); profiles pin abi $abi"
echo "kernel: AppArmor features: $(cd $AAFS/features && find . -mindepth 1 -maxdepth 2 | sed 's|^\./||' | sort | tr '\n' ' ')"

ndomains=0
# 1. Our own domains, all loaded at once.
own=""
for xml in /t/domains/*.xml; do
    case $(basename "$xml") in corpus-*) continue ;; esac
    start_vm "$xml" && own="$own $xml"
    ndomains=$((ndomains + 1))
done
for xml in $own; do
    prof=libvirt-$(uuid_of "$xml")
    batch_start
    check_granted "$prof" "$PD/$prof.files"
    expect denied "$prof" r /etc/shadow "host secret"
    expect denied "$prof" r "$PD/$prof" "its own profile"
    expect denied "$prof" w "$PD/$prof.files" "its own rules"
    expect denied "$prof" w "$PD/TEMPLATE.qemu" "the template"
    expect denied "$prof" w /etc/apparmor.d/abstractions/libvirt-qemu "the abstraction"
    expect denied "$prof" w "$AAFS/.replace" "policy load"
    expect denied "$prof" x /bin/sh "a shell"
    # Another VM's disks, nvram, sockets and logs.
    for other in $own; do
        [ "$other" = "$xml" ] && continue
        oprof=libvirt-$(uuid_of "$other")
        literal_rules "$PD/$oprof.files" | while IFS="$(printf '\t')" read -r path perms reason; do
            grep -qF "\"$(echo "$path" | sed 's/[*?[{}]/\\&/g')\" " "$PD/$prof.files" && continue
            case $path in /usr/*) continue ;; esac
            if is_socket "$path" "$reason"; then
                if [ $unix_mediated = yes ]; then
                    expect denied "$prof" c "$path" "$oprof's $reason"
                else
                    echo "SKIP: $prof: c $path denied ($oprof's $reason): $unix_why"
                fi
            else
                expect denied "$prof" r "$path" "$oprof's $reason"
                expect denied "$prof" w "$path" "$oprof's $reason"
            fi
        done > /tmp/cross
        while read -r line; do
            case $line in
            PASS:*) passed=$((passed + 1)) ;;
            FAIL:*) failed=$((failed + 1)) ;;
            SKIP:*) skipped=$((skipped + 1)) ;;
            esac
            echo "$line"
        done < /tmp/cross
    done
    batch_run "$prof"
done

# 2. The escaped glob: 'a*b.img' is granted, 'aXb.img' is not.
gamma=libvirt-0c3fc000-0000-4000-8000-00000000c003
echo data > /srv/vm/aXb.img
expect ok "$gamma" w '/srv/vm/a*b.img' "granted name"
expect denied "$gamma" r /srv/vm/aXb.img "look-alike of a\\*b.img"
expect denied "$gamma" w /srv/vm/aXb.img "look-alike of a\\*b.img"

# 3. Hot-plug: -r -F grants a new file to a running process.
alpha=libvirt-0a1fa000-0000-4000-8000-00000000a001
mkdir -p /srv/hot && echo data > /srv/hot/disk.img
mkfifo /tmp/hp.in
$PROBE "$alpha" < /tmp/hp.in > /tmp/hp.out 2>&1 &
hp=$!
exec 3> /tmp/hp.in
ask() { # ACTION PATH -> the probe's answer line
    n=$(($(wc -l < /tmp/hp.out) + 1))
    echo "$1 $2" >&3
    i=0
    while [ "$(wc -l < /tmp/hp.out)" -lt $n ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
    sed -n "${n}p" /tmp/hp.out
}
got=$(ask r /srv/hot/disk.img)
case $got in denied*) pass "$alpha: running process denied /srv/hot/disk.img before hot-plug" ;; *) fail "$alpha: before hot-plug: $got" ;; esac
if out=$($HELPER -r -u "$alpha" -F /srv/hot/disk.img < /t/domains/alpha.xml 2>&1); then
    pass "$alpha: aavm-helper -r -F /srv/hot/disk.img"
else
    fail "$alpha: aavm-helper -r -F: $out"
fi
got=$(ask r /srv/hot/disk.img)
case $got in ok*) pass "$alpha: same process reads /srv/hot/disk.img after hot-plug" ;; *) fail "$alpha: after hot-plug: $got" ;; esac
got=$(ask w /srv/hot/disk.img)
case $got in ok*) pass "$alpha: same process writes /srv/hot/disk.img after hot-plug" ;; *) fail "$alpha: after hot-plug (w): $got" ;; esac
got=$(ask r /var/lib/libvirt/images/alpha.img)
case $got in ok*) pass "$alpha: the XML's disk still readable after -r -F" ;; *) fail "$alpha: own disk after -r -F: $got" ;; esac
exec 3>&-
wait $hp

# 4. Complain mode: a denied access succeeds and is logged; enforce again.
beta=libvirt-0b2fb000-0000-4000-8000-00000000b002
expect denied "$beta" r /var/lib/libvirt/images/alpha.img "before complain"
if out=$(aavm complain $AAVM_OPTS "$beta" 2>&1); then pass "aavm complain $beta"; else fail "aavm complain: $out"; fi
[ "$(mode_of "$beta")" = complain ] && pass "$beta: kernel mode complain" || fail "$beta: kernel mode: $(mode_of "$beta")"
clear_log
expect ok "$beta" r /var/lib/libvirt/images/alpha.img "complain mode"
sleep 0.2
if dmesg | grep 'apparmor="ALLOWED"' | grep "profile=\"$beta\"" | grep -q 'name="/var/lib/libvirt/images/alpha.img"'; then
    pass "$beta: complain mode logged the access (apparmor=\"ALLOWED\")"
else
    fail "$beta: no ALLOWED record in the kernel log"
fi
# aavm denial on the real kernel's records: the complain-mode access, and
# the /etc/shadow denials of section 1 (kept in /tmp/aa.log).
{ cat /tmp/aa.log; dmesg; } > /tmp/kernel-records.log
if aavm denial $AAVM_OPTS_DENIAL /tmp/kernel-records.log > /tmp/denial.out 2>&1; then
    pass "aavm denial reads the kernel's records"
else
    fail "aavm denial: $(head -n 5 /tmp/denial.out)"
fi
grep -qF "open \"/var/lib/libvirt/images/alpha.img\" allowed (complain mode) r" /tmp/denial.out &&
    pass "aavm denial: $beta's complain-mode access is shown as allowed (complain mode)" ||
    fail "aavm denial: no complain-mode entry for alpha.img"
grep -qF "WARNING: /etc/shadow is under /etc (host configuration): do not grant it" /tmp/denial.out &&
    pass "aavm denial: the /etc/shadow denials get the do-not-grant warning" ||
    fail "aavm denial: no do-not-grant warning for /etc/shadow"
# Never advice that hands one VM another VM's file: every denial (or
# complain-mode record) of a path another VM's .files grants literally -
# section 1's cross-VM checks, beta reading alpha's disk - is of kind
# other-vm (no rule line), whatever else is true of it.
awk '
/^VM / { vm = $0; sub(/^[^(]*\(libvirt-/, "", vm); sub(/\).*/, "", vm) }
/^  [0-9]+x / { obj = $0; sub(/^[^"]*"/, "", obj); sub(/" .*$/, "", obj) }
/^      kind: / { print vm "\t" obj "\t" $2 }
' /tmp/denial.out > /tmp/denial.kinds
: > /tmp/denial.bad
n_other=0
for xml in $own; do
    ouuid=$(uuid_of "$xml")
    literal_rules "$PD/libvirt-$ouuid.files" | cut -f1 > /tmp/other-paths
    while IFS="$(printf '\t')" read -r vm obj kind; do
        [ "$vm" = "$ouuid" ] && continue
        grep -qxF "$obj" /tmp/other-paths || continue
        if [ "$kind" = other-vm ]; then n_other=$((n_other + 1))
        else echo "libvirt-$vm: $obj ($kind)" >> /tmp/denial.bad; fi
    done < /tmp/denial.kinds
done
if [ ! -s /tmp/denial.bad ] && [ $n_other -gt 0 ]; then
    pass "aavm denial: all $n_other denials of other VMs' paths are other-vm, with no rule"
else
    fail "aavm denial: $n_other other-vm; not other-vm: $(head -n 3 /tmp/denial.bad)"
fi
alpha_uuid=$(uuid_of /t/domains/alpha.xml)
grep -q "WARNING: /var/lib/libvirt/images/alpha.img belongs to VM .* ($alpha_uuid), disk vda" /tmp/denial.out &&
    pass "aavm denial: beta's denial of alpha.img names alpha's VM and disk" ||
    fail "aavm denial: no other-vm warning for alpha.img"
if out=$(aavm enforce $AAVM_OPTS "$beta" 2>&1); then pass "aavm enforce $beta"; else fail "aavm enforce: $out"; fi
[ "$(mode_of "$beta")" = enforce ] && pass "$beta: kernel mode enforce" || fail "$beta: kernel mode: $(mode_of "$beta")"
expect denied "$beta" r /var/lib/libvirt/images/alpha.img "enforce again"

# 5. -D unloads the profile and removes .files.
if out=$($HELPER -D -u "$beta" < /dev/null 2>&1); then pass "aavm-helper -D $beta"; else fail "aavm-helper -D: $out"; fi
loaded "$beta" && fail "$beta: still loaded after -D" || pass "$beta: unloaded by -D"
[ -e "$PD/$beta.files" ] && fail "$beta: .files left after -D" || pass "$beta: .files removed by -D"
[ -e "/run/aavm/$beta.lock" ] && fail "$beta: lock file left after -D" || pass "$beta: no lock file left by -D"
got=$($PROBE "$beta" r /var/lib/libvirt/images/beta.img 2>&1)
case $got in *aa_change_onexec*|error*) pass "$beta: cannot be entered after -D" ;; *) fail "$beta: entered after -D: $got" ;; esac

# 5b. Passthrough: the paths only <qemu:commandline> names were granted
#     (section 1 checked every rule of .files); with passthrough-paths =
#     false in aavm.conf, -r drops them and the kernel denies them, while
#     the XML's own disk stays granted.
epsilon=libvirt-0e5fe000-0000-4000-8000-00000000e005
expect ok "$epsilon" w /srv/pt/data.img "passthrough -drive file="
expect ok "$epsilon" r /srv/pt/tools.iso "passthrough -cdrom"
printf '[aavm]\npassthrough-paths = false\n' > /tmp/no-passthrough.conf
if out=$($HELPER -r -u "$epsilon" --config /tmp/no-passthrough.conf < /t/domains/epsilon.xml 2>&1); then
    pass "$epsilon: aavm-helper -r with passthrough-paths = false"
else
    fail "$epsilon: aavm-helper -r --config: $out"
fi
case $out in *"passthrough-paths is false"*"3 host paths"*) pass "$epsilon: -r warns that 3 passthrough paths are not granted" ;;
*) fail "$epsilon: no passthrough warning: $out" ;; esac
expect denied "$epsilon" r /srv/pt/data.img "passthrough-paths = false"
expect denied "$epsilon" r /srv/pt/fwcfg.bin "passthrough-paths = false"
expect denied "$epsilon" r /srv/pt/tools.iso "passthrough-paths = false"
expect ok "$epsilon" w /var/lib/libvirt/images/epsilon.img "its XML disk, passthrough off"
if out=$($HELPER -r -u "$epsilon" < /t/domains/epsilon.xml 2>&1); then
    pass "$epsilon: aavm-helper -r with the default settings"
else
    fail "$epsilon: aavm-helper -r: $out"
fi
expect ok "$epsilon" r /srv/pt/data.img "passthrough granted again"

echo "own domains done at $(cut -d" " -f1 /proc/uptime) s"
# 6. Corpus domains (if any were copied in), one at a time: -c, the
#    granted paths, -D.
for xml in /t/domains/corpus-*.xml; do
    [ -e "$xml" ] || continue
    prof=libvirt-$(uuid_of "$xml")
    rm -f "$PD/$prof"
    ndomains=$((ndomains + 1))
    start_vm "$xml" || continue
    batch_start
    check_granted "$prof" "$PD/$prof.files"
    expect denied "$prof" r /etc/shadow "host secret"
    batch_run "$prof"
    $HELPER -D -u "$prof" < /dev/null > /dev/null 2>&1 && ! loaded "$prof" &&
        pass "$prof: -D unloads" || fail "$prof: -D did not unload"
    rm -f "$PD/$prof"
done

echo "corpus domains done at $(cut -d" " -f1 /proc/uptime) s"
# 7. A real QEMU under a generated profile.
if [ -f /t/qemu-checks.sh ]; then . /t/qemu-checks.sh; else fail "qemu: /t/qemu-checks.sh missing"; fi

t1=$(cut -d. -f1 /proc/uptime)
echo "checks took $((t1 - t0)) s (uptime $t1 s)"
if [ $failed -ne 0 ]; then
    echo "----- AppArmor denials in the kernel log"
    { cat /tmp/aa.log; dmesg; } | grep 'apparmor=' | grep -v 'apparmor="STATUS"' | tail -n 100
    echo "-----"
fi
echo "domains: $ndomains; $skipped checks skipped"
echo "$passed passed, $failed failed"
sync
poweroff -f
