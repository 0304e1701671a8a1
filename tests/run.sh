#!/usr/bin/env bash
# Runs every unit test binary (cmocka, TAP output) and every end-to-end
# scenario, then prints one summary line: "N passed, N failed".
# Usage: tests/run.sh BUILD_DIR UNIT_BINARY...
set -u
build=$1
shift
passed=0
failed=0
failures=()

count_tap() { # name, output
    local ok notok
    ok=$(grep -c '^ok ' <<<"$2")
    notok=$(grep -c '^not ok ' <<<"$2")
    passed=$((passed + ok))
    failed=$((failed + notok))
    [ "$notok" -gt 0 ] && failures+=("$1: $(grep '^not ok ' <<<"$2" | tr '\n' ';')")
}

for bin in "$@"; do
    name=$(basename "$bin")
    out=$(cd "$(dirname "$bin")" && CMOCKA_MESSAGE_OUTPUT=TAP "./$name" 2>&1)
    rc=$?
    printf '%s\n' "$out" | sed "s/^/[$name] /"
    count_tap "$name" "$out"
    if [ $rc -ne 0 ] && ! grep -q '^not ok ' <<<"$out"; then
        failed=$((failed + 1))
        failures+=("$name: exited $rc")
    fi
done

for script in tests/e2e/test_*.sh tests/test_*.sh; do
    [ -e "$script" ] || continue
    name=$(basename "$script" .sh)
    case " ${SKIP:-} " in *" $name "*) continue ;; esac
    start=$(date +%s)
    out=$(BUILD=$build bash "$script" 2>&1)
    rc=$?
    printf '%s\n' "$out" | sed "s/^/[$name] /"
    printf '[%s] %ss\n' "$name" $(($(date +%s) - start))
    count_tap "$name" "$out"
    if [ $rc -ne 0 ] && ! grep -q '^not ok ' <<<"$out"; then
        failed=$((failed + 1))
        failures+=("$name: exited $rc")
    fi
done

if [ ${#failures[@]} -gt 0 ]; then
    echo "failures:"
    printf '  %s\n' "${failures[@]}"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
