#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# doc-sandbox.sh: run inside `unshare --user --map-root-user --mount` by
# test-doc-commands.sh, once per Markdown file.  Mounts a scratch copy of
# every directory the built programs were configured with (and the Debian
# default of each, which the documentation shows) over the real one, puts
# the stubs and the build's helper/ first on PATH, binds a compile-only
# wrapper over the configured apparmor_parser, then runs the file's
# commands in order from the top of the source tree and compares their
# output.  Nothing outside the mount namespace changes.
#
# Usage: doc-sandbox.sh WORK NAME   (WORK holds list, N.cmd, N.exp; NAME
# is the file as reported).  Environment: top_srcdir, builddir, as set by
# test-doc-commands.sh.  Prints "ok - ..." / "not ok - ..." lines.
set -u
work=$1 name=$2
. "$builddir/tests/docs/build-paths.sh"
s=$work/sandbox
mkdir -p "$s"
mount -n -t tmpfs aavm-docs "$s" || exit 99
mounted=

# owned DIR: DIR is on a file system this script mounted.
owned() {
    for m in $mounted; do
        case $1/ in "$m"/*) return 0 ;; esac
    done
    return 1
}

# shadow DIR: a tmpfs over DIR that holds the same entries (each bound
# from the original), so new entries can be made in it.
nshadow=0
shadow() {
    nshadow=$((nshadow + 1))
    orig=$s/orig.$nshadow
    mkdir "$orig" && mount -n --rbind "$1" "$orig" && mount -n -t tmpfs aavm-docs "$1" || return 1
    for e in "$orig"/* "$orig"/.[!.]* "$orig"/..?*; do
        [ -e "$e" ] || [ -L "$e" ] || continue
        b=${e##*/}
        if [ -L "$e" ]; then
            cp -P "$e" "$1/$b"
        elif [ -d "$e" ]; then
            mkdir -p "$1/$b" && mount -n --rbind "$e" "$1/$b"
        else
            : > "$1/$b" && mount -n --bind "$e" "$1/$b"
        fi || return 1
    done
    mounted="$mounted $1"
}

# place SRC TARGET: bind SRC (a directory or file) at TARGET, making
# TARGET (and its parents) in a shadow when it does not exist.
place() {
    src=$1 target=$2
    if [ ! -e "$target" ]; then
        anc=$(dirname "$target")
        while [ ! -d "$anc" ]; do anc=$(dirname "$anc"); done
        owned "$anc" || shadow "$anc" || return 1
        if [ -d "$src" ]; then mkdir -p "$target"; else mkdir -p "$(dirname "$target")" && : > "$target"; fi
    fi
    mount -n --bind "$src" "$target"
}

fail_setup() { echo "not ok - $name: sandbox: $*"; exit 1; }

# The scratch directories.
aa=$s/apparmor.d
mkdir -p "$aa/libvirt" "$aa/local/abstractions" "$aa/abstractions" "$s/cache" "$s/aavm" \
         "$s/libvirt-etc/qemu" "$s/libvirt-etc/lxc" "$s/libvirt-run/qemu" "$s/libvirt-run/lxc" \
         "$s/libvirt-lib/images" "$s/libvirt-lib/qemu/nvram" "$s/libvirt-log/qemu" "$s/srv" "$s/bin" \
         "$s/audit" "$s/lock"
for d in abi tunables abstractions; do
    [ -d "/etc/apparmor.d/$d" ] && cp -R "/etc/apparmor.d/$d" "$aa/"
done
cp "$top_srcdir/profiles/abstractions/libvirt-qemu" "$top_srcdir/profiles/abstractions/libvirt-lxc" \
   "$aa/abstractions/"
cp "$top_srcdir/templates/TEMPLATE.qemu" "$top_srcdir/templates/TEMPLATE.lxc" "$aa/libvirt/"
cp "$top_srcdir/docs/examples/aavm.conf" "$s/aavm/${configfile##*/}"
[ "${configfile##*/}" = aavm.conf ] || cp "$top_srcdir/docs/examples/aavm.conf" "$s/aavm/aavm.conf"
cp "$top_srcdir/docs/examples/demo.xml" "$s/libvirt-etc/qemu/demo.xml"
# auditd's log holds the example denials (docs/denial.md).
cp "$top_srcdir/docs/examples/denials.log" "$s/audit/audit.log"

# The real parser, kept where the wrapper can run it, and the wrapper:
# compile only (-Q -K), never load, unload does nothing.
: > "$s/real-parser" && mount -n --bind "$parser" "$s/real-parser" || fail_setup "cannot keep $parser"
cat > "$s/bin/apparmor_parser" <<WRAPPER
#!/bin/sh
# compile-only stand-in for apparmor_parser (documentation test)
files=
while [ \$# -gt 0 ]; do
    case \$1 in
    -R | --remove) exit 0 ;;
    -L | --cache-loc | -I | --Include | -b | --base | -M | --features-file) shift ;;
    -*) ;;
    *) files="\$files \$1" ;;
    esac
    shift
done
exec "$s/real-parser" -Q -K -M /etc/apparmor.d/abi/3.0 \$files
WRAPPER
chmod +x "$s/bin/apparmor_parser"
for stub in virsh systemctl dmesg journalctl; do
    cp "$top_srcdir/tests/docs/stubs/$stub" "$s/bin/"
done

# Over the configured directories and the Debian defaults the docs show.
place "$aa" /etc/apparmor.d || fail_setup "/etc/apparmor.d"
for pair in "$aa:$apparmordir" "$aa/libvirt:$profiledir" "$s/cache:/var/cache/aavm" \
            "$s/cache:$cachedir" "$s/lock:/run/aavm" "$s/lock:$lockdir" "$s/aavm:/etc/aavm" "$s/aavm:$(dirname "$configfile")" \
            "$s/libvirt-etc:/etc/libvirt" "$s/libvirt-etc:$libvirtconfigdir" \
            "$s/libvirt-run:/run/libvirt" "$s/libvirt-run:$libvirtrundir" \
            "$s/libvirt-lib:/var/lib/libvirt" "$s/libvirt-lib:$libvirtlibdir" \
            "$s/libvirt-log:/var/log/libvirt" "$s/libvirt-log:$libvirtlogdir" "$s/srv:/srv" \
            "$s/audit:/var/log/audit"; do
    src=${pair%%:*} target=${pair#*:}
    [ "$(stat -c %d:%i "$src")" = "$(stat -c %d:%i "$target" 2> /dev/null)" ] && continue
    place "$src" "$target" || fail_setup "cannot mount over $target"
done
place "$s/bin/apparmor_parser" "$parser" || fail_setup "cannot mount over $parser"

# The configured paths as the Debian defaults, in the output compared.
sed_literal() { printf '%s\n' "$1" | sed 's/[][\.*^$|]/\\&/g'; }
normalize=
for pair in "$profiledir:/etc/apparmor.d/libvirt" "$apparmordir:/etc/apparmor.d" \
            "$cachedir:/var/cache/aavm" "$lockdir:/run/aavm" "$configfile:/etc/aavm/aavm.conf"; do
    from=${pair%%:*} to=${pair#*:}
    [ "$from" = "$to" ] && continue
    normalize="$normalize -e s|$(sed_literal "$from")|$to|g"
done

# The state the pages start from: the VM demo has been started once (its
# profile, .files and lock made by the built helper, as libvirtd would).
"$builddir/helper/aavm-helper" --assume-apparmor -c -u libvirt-6f1c2a9e-4d5b-4f7e-9a51-2c3d4e5f6a7b \
    < "$top_srcdir/docs/examples/demo.xml" > "$s/start.log" 2>&1 ||
    { cat "$s/start.log"; fail_setup "aavm-helper -c for docs/examples/demo.xml failed"; }

PATH=$s/bin:$builddir/helper:$PATH
AAVM_DOCS_SRCDIR=$top_srcdir/docs
LC_ALL=C
export PATH AAVM_DOCS_SRCDIR LC_ALL
cd "$top_srcdir" || fail_setup "cd $top_srcdir"

# A command that hangs fails after two minutes instead of stopping make check.
limit=
command -v timeout > /dev/null 2>&1 && limit="timeout 120"

rc=0
while read -r n line; do
    where="$name:$line"
    cmd=$(head -n 1 "$work/$n.cmd")
    $limit sh "$work/$n.cmd" > "$work/$n.raw" 2>&1 < /dev/null
    status=$?
    if [ -n "$normalize" ]; then
        # shellcheck disable=SC2086
        sed $normalize "$work/$n.raw" > "$work/$n.out"
    else
        cp "$work/$n.raw" "$work/$n.out"
    fi
    if [ "$status" -ne 0 ]; then
        printf 'not ok - %s: %s: exit status %s\n' "$where" "$cmd" "$status"
        sed 's/^/    | /' "$work/$n.out"
        rc=1
    elif ! awk -f "$top_srcdir/tests/docs/doc-match.awk" "$work/$n.exp" "$work/$n.out"; then
        printf 'not ok - %s: %s: the output differs (- expected, + actual)\n' "$where" "$cmd"
        diff -u "$work/$n.exp" "$work/$n.out" | tail -n +3 | sed 's/^/    /'
        rc=1
    else
        printf 'ok - %s: %s\n' "$where" "$cmd"
    fi
done < "$work/list"
exit $rc
