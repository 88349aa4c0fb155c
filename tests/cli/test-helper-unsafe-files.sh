#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Every file aavm-helper keeps in a directory it manages, replaced by what
# something other than aavm put there: a link to a secret file, a link to a
# directory, a dangling link, a FIFO, a directory, a hard link to the
# secret, a hard link to another user's file.  Each must be refused (exit 1,
# one sentence naming the file and what is there), left as it is, never
# read through and never copied, with a parser that would fail had it run.
# Then the same things planted while the parser runs: the rollback must not
# write the saved bytes through them either (docs/state.md).
# Each case prints "case: FILE x KIND: MESSAGE".
. "$AAVM_TESTS_SRCDIR/cli/lib.sh"

. "$AAVM_TESTS_SRCDIR/cli/helper-env.sh"
cache=$tmp/cache
lockdir=$tmp/lock
xml=$tmp/vm.xml
disk_domain /srv/vm/disk.img > "$xml"
disk_domain /srv/vm/other.img > "$tmp/other.xml"
marker="SECRET-MARKER-$$"
secret=$tmp/secret
secretdir=$tmp/secretdir
others=$tmp/others-file
printf 'root:%s:19000:0:99999:7:::\n' "$marker" > "$secret"
chmod 0600 "$secret"
mkdir "$secretdir"
cp "$secret" "$secretdir/inside"
hash_dir=$cache/0000beef.0

# The stand-in parser: logs its call; runs plant.sh (written by a case) to
# put something in place of a file while it "compiles"; exits with the
# status in parser.status.
stub=$tmp/parser-stub
cat > "$stub" <<STUB
#!/bin/sh
echo "\$*" >> "$log"
[ -f "$tmp/plant.sh" ] && . "$tmp/plant.sh"
echo "stub parser says: refused" >&2
exit \$(cat "$tmp/parser.status" 2>/dev/null || echo 0)
STUB
chmod +x "$stub"

run() { "$H" --profile-dir "$pd" --lock-dir "$lockdir" --parser "$stub" --assume-apparmor \
    --cache-dir "$cache" "$@"; }

if [ "$(id -u)" -eq 0 ]; then
    kinds="link-secret link-dir dangling fifo dir hardlink hardlink-other"
else
    kinds="link-secret link-dir dangling fifo dir hardlink"
    echo "skip: a hard link to another user's file needs root (chown); not tested as uid $(id -u)"
fi

# put KIND PATH: make PATH what KIND says (also sourced by the stub).
cat > "$tmp/put.sh" <<PUT
put() {
    case \$1 in
    link-secret) ln -s "$secret" "\$2" ;;
    link-dir) ln -s "$secretdir" "\$2" ;;
    dangling) ln -s "$tmp/nonexistent" "\$2" ;;
    fifo) mkfifo "\$2" ;;
    dir) mkdir "\$2" ;;
    hardlink) ln "$secret" "\$2" ;;
    hardlink-other)
        rm -f "$others"
        cp "$secret" "$others"
        chown 65534:65534 "$others"
        ln "$others" "\$2" ;;
    esac
}
# identity PATH: what it is, without following it.
identity() { stat -c '%i %F %h %u %s' "\$1" 2>/dev/null; readlink "\$1" 2>/dev/null; }
PUT
. "$tmp/put.sh"

# what KIND PATH: the sentence that refuses it.  A template may be a link
# (a package's layout), to a file every user can read.
what() {
    case $1:$2 in
    link-secret:*/TEMPLATE.qemu) echo "'$2' leads to a file not every user can read; aavm copies it only into files every user can read, so it leaves it as it is." ;;
    link-dir:*/TEMPLATE.qemu) echo "'$2' is a directory, not a regular file; aavm leaves it as it is." ;;
    dangling:*/TEMPLATE.qemu) echo "Cannot open '$2': No such file or directory." ;;
    esac
    case $1 in
    link-*|dangling)
        case $2 in */TEMPLATE.qemu) return ;; esac
        echo "'$2' is a symbolic link; aavm follows no links in the directories it manages and leaves it as it is." ;;
    fifo) echo "'$2' is a FIFO, not a regular file; aavm leaves it as it is." ;;
    dir) echo "'$2' is a directory, not a regular file; aavm leaves it as it is." ;;
    hardlink) echo "'$2' is a file with 2 links (a hard link to another name); aavm uses only files with one link and leaves it as it is." ;;
    hardlink-other)
        if [ "$(id -u)" -eq 0 ]; then
            echo "'$2' is a file owned by uid 65534, not by root; aavm leaves it as it is."
        else
            echo "'$2' is a file owned by uid 65534, not by root or uid $(id -u) (who runs aavm); aavm leaves it as it is."
        fi ;;
    esac
}

fresh() {
    rm -rf "$pd"/libvirt-* "$log" "$tmp/parser.status" "$tmp/plant.sh" "$cache" "$lockdir"
    run -c -u $name < "$xml" > /dev/null 2>&1 || not_ok "setup: -c failed"
    mkdir -p "$hash_dir"
    : > "$hash_dir/$name"
    cp "$prof" "$tmp/prof.before"
    cp "$files" "$tmp/files.before"
    rm -f "$log"
}

# not_copied TARGET: no regular file in a managed directory but TARGET
# itself holds the secret's bytes; the secret is unchanged.
not_copied() {
    [ "$(cat "$secret")" = "root:$marker:19000:0:99999:7:::" ] &&
        [ "$(cat "$secretdir/inside")" = "root:$marker:19000:0:99999:7:::" ] &&
        [ -z "$(find "$pd" "$lockdir" "$cache" -type f ! -path "$1" -exec grep -l "$marker" {} + 2>/dev/null)" ]
}

# same_files TARGET: the profile and .files (but TARGET) as before the call.
same_files() {
    { [ "$1" = "$prof" ] || cmp -s "$prof" "$tmp/prof.before"; } &&
        { [ "$1" = "$files" ] || cmp -s "$files" "$tmp/files.before"; }
}

# case_found FILE-LABEL TARGET KIND MODE...: KIND is at TARGET before the call.
case_found() {
    label=$1 target=$2 kind=$3
    shift 3
    rm -rf "$target"
    put "$kind" "$target"
    before=$(identity "$target")
    echo 1 > "$tmp/parser.status"
    run "$@" -u $name < "$xml" > /dev/null 2> "$tmp/err"
    rc=$?
    msg=$(what "$kind" "$target")
    desc="$label x $kind ($*)"
    echo "case: $desc: $(cat "$tmp/err")"
    check "$desc: exit 1" [ $rc -eq 1 ]
    check "$desc: the sentence names it and what is there" grep -qxF "aavm-helper: error: $msg" "$tmp/err"
    check "$desc: left as it is" [ "$(identity "$target")" = "$before" ]
    check "$desc: the secret neither changed nor copied" not_copied "$target"
    check "$desc: the parser did not run" [ ! -s "$log" ]
    # A refused -c (the template case) must not leave a profile behind.
    if [ -e "$tmp/prof.before" ]; then
        check "$desc: profile and .files unchanged" same_files "$target"
    else
        check "$desc: no profile or .files made" [ ! -e "$prof" ] && [ ! -e "$files" ]
    fi
}

# --- A: found there before the call; -r (and -D, -a, -c where they read it)
for kind in $kinds; do
    fresh
    case_found "profile" "$prof" "$kind" -r
    fresh
    case_found "profile" "$prof" "$kind" -a
    fresh
    case_found ".files" "$files" "$kind" -r
    fresh
    case_found ".files" "$files" "$kind" -r -F /srv/vm/hot.img
    fresh
    case_found ".files" "$files" "$kind" -D
    fresh
    case_found "lock" "$lockdir/$name.lock" "$kind" -r
    fresh
    case_found "lock" "$lockdir/$name.lock" "$kind" -D
    fresh
    case_found "cache entry" "$hash_dir/$name" "$kind" -r
    fresh
    rm -f "$prof" "$files" "$tmp/prof.before"
    case_found "TEMPLATE.qemu" "$pd/TEMPLATE.qemu" "$kind" -c
    rm -rf "$pd/TEMPLATE.qemu"
    cp "$top_srcdir/templates/TEMPLATE.qemu" "$pd/"
done

# The template as a package installs it: a link to a file elsewhere that
# every user can read (debian/aavm.links).
mkdir -p "$tmp/templates"
cp "$top_srcdir/templates/TEMPLATE.qemu" "$tmp/templates/"
chmod 0644 "$tmp/templates/TEMPLATE.qemu"
rm -f "$pd/TEMPLATE.qemu" "$prof" "$files"
ln -s ../templates/TEMPLATE.qemu "$pd/TEMPLATE.qemu"
: > "$tmp/parser.status"
run -c -u $name < "$xml" > /dev/null 2> "$tmp/err"
check "TEMPLATE.qemu as a link to a file every user can read (a package's layout): -c makes the profile" \
    grep -q "^profile $name " "$prof"
check "TEMPLATE.qemu as a link: still a link, its target unchanged" \
    sh -c "[ -L '$pd/TEMPLATE.qemu' ] && cmp -s '$tmp/templates/TEMPLATE.qemu' '$top_srcdir/templates/TEMPLATE.qemu'"
rm -f "$pd/TEMPLATE.qemu"
cp "$top_srcdir/templates/TEMPLATE.qemu" "$pd/"

# --- B: planted while the parser runs, which then fails: the rollback must
# not put the saved bytes back through it, nor replace it.
for kind in $kinds; do
    for which in profile files; do
        fresh
        if [ $which = profile ]; then target=$prof; else target=$files; fi
        cat > "$tmp/plant.sh" <<PLANT
. "$tmp/put.sh"
rm -f "$target"
put $kind "$target"
identity "$target" > "$tmp/planted"
PLANT
        echo 1 > "$tmp/parser.status"
        run -r -u $name < "$tmp/other.xml" > /dev/null 2> "$tmp/err"
        rc=$?
        desc="rollback: $which x $kind"
        echo "case: $desc: $(cat "$tmp/err")"
        msg=$(what "$kind" "$target")
        check "$desc: exit 1" [ $rc -eq 1 ]
        check "$desc: the parser ran once" [ "$(wc -l < "$log")" -eq 1 ]
        check "$desc: the error says putting back failed, and why" \
            grep -qF "aavm-helper: error: The new rules were not loaded and putting the previous files back failed ($msg): apparmor_parser -r failed with exit status 1: stub parser says: refused" "$tmp/err"
        check "$desc: what was planted is left as it is" [ "$(identity "$target")" = "$(cat "$tmp/planted")" ]
        check "$desc: the secret neither changed nor copied" not_copied "$target"
        if [ $which = profile ]; then
            check "$desc: .files was put back" cmp -s "$files" "$tmp/files.before"
        fi
    done
done

# -D while the parser plants a link at the lock file: the lock removal
# (made under the lock) leaves what it did not make.
fresh
cat > "$tmp/plant.sh" <<PLANT
rm -f "$lockdir/$name.lock"
ln -s "$secret" "$lockdir/$name.lock"
PLANT
run -D -u $name > /dev/null 2> "$tmp/err"
check "-D with a link planted at the lock: exit 0 (unloaded, .files removed)" [ $? -eq 0 ]
check "-D with a link planted at the lock: the link stays" [ -L "$lockdir/$name.lock" ]
check "-D with a link planted at the lock: the secret is unchanged" not_copied /nonexistent

# --- aavm status and complain/enforce read the same files the same way
A=$builddir/helper/aavm
for kind in $kinds; do
    fresh
    rm -f "$prof"
    put "$kind" "$prof"
    before=$(identity "$prof")
    msg=$(what "$kind" "$prof")
    # A stand-in securityfs: the exit status is then the listing's, not the
    # kernel's (aa-status's codes).
    mkdir -p "$tmp/securityfs" && : > "$tmp/securityfs/profiles"
    "$A" status --profile-dir "$pd" --cache-dir "$cache" --libvirt-run-dir "$tmp/run" \
        --libvirt-config-dir "$tmp/etc" --apparmor-dir "$tmp/securityfs" > "$tmp/out" 2> "$tmp/err"
    check "aavm status, profile x $kind: exit 0" [ $? -eq 0 ]
    check "aavm status, profile x $kind: the problem says what is there" grep -qxF "$name: $msg" "$tmp/out"
    for verb in complain enforce; do
        "$A" $verb --profile-dir "$pd" --lock-dir "$lockdir" --parser "$stub" --cache-dir "$cache" \
            $uuid > "$tmp/out" 2> "$tmp/err"
        rc=$?
        echo "case: aavm $verb, profile x $kind: $(cat "$tmp/err")"
        check "aavm $verb, profile x $kind: exit 1" [ $rc -eq 1 ]
        check "aavm $verb, profile x $kind: the sentence names it" grep -qxF "aavm: $msg" "$tmp/err"
        check "aavm $verb, profile x $kind: left as it is" [ "$(identity "$prof")" = "$before" ]
        check "aavm $verb, profile x $kind: the secret neither changed nor copied" not_copied "$prof"
        check "aavm $verb, profile x $kind: no parser run" [ ! -s "$log" ]
    done
done

# --- the managed directories themselves
fresh
mv "$pd" "$tmp/real-pd"
ln -s "$tmp/real-pd" "$pd"
run -r -u $name < "$xml" > /dev/null 2> "$tmp/err"
check "a profile directory that is a link: exit 1" [ $? -eq 1 ]
check "a profile directory that is a link: said so" grep -qxF "aavm-helper: error: The directory '$pd' is a symbolic link; aavm follows no links to the directories it manages." "$tmp/err"
echo "case: profile directory x link: $(cat "$tmp/err")"
rm "$pd"
mv "$tmp/real-pd" "$pd"

for d in lock cache; do
    fresh
    if [ $d = lock ]; then dir=$lockdir; else dir=$cache; fi
    rm -rf "$dir"
    ln -s "$secretdir" "$dir"
    run -r -u $name < "$xml" > /dev/null 2> "$tmp/err"
    check "a $d directory that is a link: exit 1" [ $? -eq 1 ]
    check "a $d directory that is a link: said so" grep -qxF "aavm-helper: error: The directory '$dir' is a symbolic link; aavm follows no links to the directories it manages." "$tmp/err"
    check "a $d directory that is a link: nothing written there" [ "$(ls "$secretdir")" = inside ]
    echo "case: $d directory x link: $(cat "$tmp/err")"
    rm "$dir"
done

fresh
chmod 0777 "$lockdir"
run -r -u $name < "$xml" > /dev/null 2> "$tmp/err"
check "a lock directory every user can write: exit 1" [ $? -eq 1 ]
check "a lock directory every user can write: said so" grep -qxF "aavm-helper: error: The directory '$lockdir' is writable by every user; aavm keeps its files only in directories others cannot write." "$tmp/err"
echo "case: lock directory x writable by all: $(cat "$tmp/err")"

if [ "$(id -u)" -eq 0 ]; then
    fresh
    chown 65534:65534 "$lockdir"
    run -r -u $name < "$xml" > /dev/null 2> "$tmp/err"
    check "a lock directory of another user: exit 1" [ $? -eq 1 ]
    check "a lock directory of another user: said so" grep -qxF "aavm-helper: error: The directory '$lockdir' is owned by uid 65534, not by root." "$tmp/err"
    echo "case: lock directory x another user's: $(cat "$tmp/err")"
fi

finish
