#!/usr/bin/env bash
# The code stays formatted, cppcheck-clean, and within the size of a module.
set -u
files=$(ls shared/*/*.[ch] daemon/*/*.[ch] client/*.[ch] tests/unit/*.c tests/fuzz/*.c tests/tools/*.c bench/*.c)
if command -v clang-format >/dev/null 2>&1; then
    if out=$(clang-format --dry-run --Werror $files 2>&1); then
        echo "ok - clang-format finds nothing to change"
    else
        echo "not ok - clang-format would change: $(grep -o '^[^:]*:[0-9]*' <<<"$out" | sort -u | head -5 | tr '\n' ' ')"
    fi
else
    echo "ok - clang-format not installed # SKIP"
fi
if command -v cppcheck >/dev/null 2>&1; then
    if out=$(make -s lint 2>&1); then
        echo "ok - cppcheck finds nothing"
    else
        echo "not ok - cppcheck: $(head -3 <<<"$out" | tr '\n' ' ')"
    fi
else
    echo "ok - cppcheck not installed # SKIP"
fi
big=$(for f in $files; do n=$(wc -l <"$f"); [ "$n" -gt 800 ] && echo "$f:$n"; done)
if [ -z "$big" ]; then
    echo "ok - no source file over 800 lines"
else
    echo "not ok - files over 800 lines: $big"
fi
if command -v clang >/dev/null 2>&1; then
    if out=$(make -s B=build/clang CC=clang build/clang/mpoold build/clang/mpool 2>&1); then
        echo "ok - clang builds mpoold and mpool with -Wall -Wextra -Werror"
    else
        echo "not ok - clang build: $(grep -m3 -E 'error|warning' <<<"$out" | tr '\n' ' ')"
    fi
else
    echo "ok - clang not installed # SKIP"
fi
