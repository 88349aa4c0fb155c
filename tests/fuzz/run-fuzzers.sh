#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# run-fuzzers.sh: run built libFuzzer targets for a fixed time each (what
# `make fuzz-run` does), one after the other, each on a writable copy of
# its seeds, and fail if any of them found a crash, a leak or a timeout.
#
#     run-fuzzers.sh SECONDS SRCDIR BUILDDIR TARGET...
#
# SRCDIR is tests/fuzz in the source tree (seeds/<target>/, <target>.dict);
# BUILDDIR is tests/fuzz in the build tree (the fuzz-<target> programs).
# Each run works in BUILDDIR/run/<target>/: corpus/ (the seeds and what the
# run added), log, and crash-*, leak-*, timeout-* files for findings.
set -eu

[ $# -ge 4 ] || { echo "usage: $0 SECONDS SRCDIR BUILDDIR TARGET..." >&2; exit 2; }
seconds=$1 srcdir=$2 builddir=$3
shift 3

# Leaks are findings; GLib's slice allocator would hide them and their
# use-after-free from ASan.
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
G_SLICE=always-malloc
export ASAN_OPTIONS UBSAN_OPTIONS G_SLICE

# run_one TARGET: run fuzz-TARGET; its exit status.
run_one() {
    target=$1
    program=$builddir/fuzz-$target
    work=$builddir/run/$target
    [ -x "$program" ] || { echo "$program is not built (make fuzz)" >&2; exit 2; }
    rm -rf "$work"
    mkdir -p "$work/corpus"
    cp "$srcdir/seeds/$target/"* "$work/corpus/"
    chmod -R u+w "$work"
    # Images: 70000 bytes cover every area the readers read (64 KiB past a
    # header); a log, past the longest line read (64 KiB); a domain XML or
    # a command line needs less.
    case $target in
    pipeline | qemu-args) max_len=16384 ;;
    *) max_len=70000 ;;
    esac
    set -- -max_total_time="$seconds" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$work/"
    if [ -f "$srcdir/$target.dict" ]; then
        set -- "$@" -dict="$srcdir/$target.dict"
    fi
    status=0
    "$program" "$@" "$work/corpus" > "$work/log" 2>&1 || status=$?
    echo "fuzz-$target: $(grep '^Done [0-9]* runs' "$work/log" | tail -n 1)"
    echo "fuzz-$target: $(grep '^#[0-9]' "$work/log" | tail -n 1)"
    if [ "$status" -ne 0 ]; then
        echo "fuzz-$target: FAILED (exit status $status); from $work/log:"
        # The sanitizer's report (or libFuzzer's for timeouts and leaks).
        grep -n -m 1 -E '^==[0-9]+==|^(ERROR|SUMMARY|INFO): libFuzzer|fuzz check failed' "$work/log" > /dev/null &&
            sed -n '/^==[0-9]*==\|fuzz check failed\|^ALARM\|-- libFuzzer/,$p' "$work/log" | grep -v '^  0x\|^=>0x\|^Shadow' | head -n 60 ||
            tail -n 40 "$work/log"
        for f in "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-*; do
            [ -e "$f" ] && echo "  finding: $f"
        done
    fi
    return "$status"
}

failed=""
for target in "$@"; do
    run_one "$target" || failed="$failed $target"
done
if [ -n "$failed" ]; then
    echo "fuzzers that found something:$failed"
    exit 1
fi
echo "all fuzzers ran ${seconds}s each without a finding: $*"
