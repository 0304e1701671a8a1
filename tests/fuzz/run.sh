#!/usr/bin/env bash
# Runs each libFuzzer target for a bounded time on a copy of its corpus
# (the repository's corpus is only read), then prints per target the
# executions and whether it crashed. Fails if any target crashed.
# Usage: tests/fuzz/run.sh FUZZ_BUILD_DIR SECONDS TARGET...
set -u
dir=$1 seconds=$2
shift 2
crashed=0
for target in "$@"; do
    name=$(basename "$target")
    work=$dir/run/$name
    rm -rf "$work"
    mkdir -p "$work/corpus" "$work/artifacts"
    cp tests/fuzz/corpus/"$name"/* "$work/corpus/" 2>/dev/null
    "$target" -max_total_time="$seconds" -timeout=10 -print_final_stats=1 \
        -artifact_prefix="$work/artifacts/" "$work/corpus" >"$work/log" 2>&1
    rc=$?
    runs=$(grep -o 'Done [0-9]* runs in [0-9]* second' "$work/log" | tail -1)
    found=$(find "$work/artifacts" -type f | head -5 | tr '\n' ' ')
    if [ $rc -eq 0 ] && [ -z "$found" ]; then
        echo "$name: ${runs#Done }(s), no crash"
    else
        crashed=1
        echo "$name: CRASHED (exit $rc) after $(grep -o 'stat::number_of_executed_units: *[0-9]*' \
            "$work/log" | grep -o '[0-9]*$') runs; reproducer: ${found:-none}; log: $work/log"
        grep -m3 -E '^==[0-9]+==ERROR|runtime error|SUMMARY' "$work/log" | sed 's/^/    /'
    fi
done
exit $crashed
