#!/usr/bin/env bash
# The manual pages pass mandoc's checks and cover what the programs offer:
# every mpool command, every mpoold command and every configuration key.
set -u
BUILD=${BUILD:-build}
cd "$(dirname "$0")/.."
for page in docs/man/mpool.1 docs/man/mpoold.8 docs/man/mpoold.conf.5; do
    if out=$(mandoc -Tlint -W warning "$page" 2>&1) && [ -z "$out" ]; then
        echo "ok - $page passes mandoc -Tlint"
    else
        echo "not ok - $page: $(head -3 <<<"$out" | tr '\n' ' ')"
    fi
done
missing=""
while read -r words; do
    grep -q "^\.It Cm $words\( \|$\)" docs/man/mpool.1 || missing="$missing '$words'"
done < <("$BUILD/mpool" --help | sed -n 's/^  \([a-z][a-z-]*\( [a-z][a-z-]*\)\?\)  .*/\1/p')
[ -n "$("$BUILD/mpool" --help)" ] || missing=" (mpool --help printed nothing)"
if [ -z "$missing" ]; then echo "ok - mpool(1) describes every command of mpool --help"; else echo "not ok - mpool(1) lacks$missing"; fi
missing=""
for cmd in $("$BUILD/mpoold" --help | sed -n 's/^ *\(usage: \)\?mpoold \(\[-c CONF\] \)\?\([a-z-]*\).*/\3/p' | grep .); do
    grep -q "^\.It Cm $cmd\( \|$\)" docs/man/mpoold.8 || missing="$missing $cmd"
done
if [ -z "$missing" ]; then echo "ok - mpoold(8) describes every command of mpoold --help"; else echo "not ok - mpoold(8) lacks:$missing"; fi
missing=""
for key in $(grep -o '{"[a-z]*", "[a-z_]*"' shared/store/config.c | cut -d'"' -f4 | sort -u); do
    grep -q "Cm \(.* \)\?$key\( \|,\|$\)" docs/man/mpoold.conf.5 || missing="$missing $key"
done
if [ -z "$missing" ]; then echo "ok - mpoold.conf(5) names every configuration key"; else echo "not ok - mpoold.conf(5) lacks:$missing"; fi
