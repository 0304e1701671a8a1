#!/usr/bin/env bash
# The rooms of daemon/ and shared/ call each other in one direction only.
#
# Who calls whom is read from the built objects (nm: the functions each
# one defines and the ones it needs), so a call through a header that
# declares nothing else is caught too. Each room has a rank; a module may
# call its own room or a room of a lower rank, never one above it, and no
# two modules call each other in a circle (tsort finds loops).
set -u
export LC_ALL=C # sort and join must agree on one order
BUILD=${BUILD:-build}
cd "$(dirname "$0")/.."

# room rank: lower rooms never call higher ones.
rank_of() {
    case $1 in
    shared/base/*) echo 0 ;;
    shared/match/*) echo 1 ;;
    shared/wire/*) echo 2 ;;
    shared/store/*) echo 3 ;;
    shared/journey/*) echo 4 ;;
    daemon/node/zap | daemon/node/schema | daemon/node/notify | daemon/node/audit | \
        daemon/node/destroyed | daemon/node/notices) echo 5 ;;
    daemon/member/* | daemon/coord/*) echo 6 ;;
    daemon/api/*) echo 7 ;;
    daemon/node/*) echo 8 ;;
    *) echo 99 ;;
    esac
}
room_of() { dirname "$1"; }

# Objects of sources that still exist: a module moved or renamed leaves its
# old object behind in a build folder that is not new.
objects=$(cd "$BUILD" && for o in shared/*/*.o daemon/*/*.o; do
    [ -e "$OLDPWD/${o%.o}.c" ] && echo "$o"
done)
if [ -z "$objects" ]; then
    echo "not ok - no objects under $BUILD/shared and $BUILD/daemon; run make first"
    exit 1
fi

defs=$(mktemp) edges=$(mktemp)
trap 'rm -f "$defs" "$edges"' EXIT
for o in $objects; do
    nm --defined-only -g "$BUILD/$o" | awk -v m="${o%.o}" 'NF == 3 {print $3, m}'
done | sort -u >"$defs"
for o in $objects; do
    nm -u "$BUILD/$o" | awk -v m="${o%.o}" '{print $2, m}'
done | sort -u | join - "$defs" | awk '$2 != $3 {print $2, $3}' | sort -u >"$edges"

count=$(wc -l <"$edges")
[ "$count" -gt 50 ] && echo "ok - $count calls between modules read from the objects" ||
    echo "not ok - only $count calls between modules found; is nm reading the objects?"

if loop=$(tsort "$edges" 2>&1 >/dev/null) && [ -z "$loop" ]; then
    echo "ok - no two modules call each other in a circle"
else
    echo "not ok - modules call each other in a circle: $(grep -v 'input contains a loop' <<<"$loop" | sed 's/^tsort: //' | tr '\n' ' ')"
fi

upward=""
while read -r from to; do
    rf=$(rank_of "$from") rt=$(rank_of "$to")
    if [ "$rf" -lt "$rt" ] || { [ "$rf" = "$rt" ] && [ "$(room_of "$from")" != "$(room_of "$to")" ]; }; then
        upward="$upward $from->$to"
    fi
done <"$edges"
if [ -z "$upward" ]; then
    echo "ok - no room calls a room above it or beside it"
else
    echo "not ok - calls against the layering:$upward"
fi

# The matcher is a pure library: nothing from the wire, storage or daemon.
impure=$(awk '$1 ~ /^shared\/match\// && $2 !~ /^shared\/(match|base)\// {print $1 "->" $2}' "$edges")
libs=$(for o in $(cd "$BUILD" && ls shared/match/*.o); do nm -u "$BUILD/$o"; done |
    awk '{print $2}' | grep -E '^(sqlite3_|zmq_|zsock_|zmsg_|protobuf_c_|mpool__)' | sort -u | tr '\n' ' ')
if [ -z "$impure$libs" ]; then
    echo "ok - the matcher calls no storage, wire or daemon code"
else
    echo "not ok - the matcher reaches out: $impure $libs"
fi

# ar keeps members by file name: two modules of one library with the same
# name would replace each other on a rebuild.
dups=$(for lib in shared daemon; do ls $lib/*/*.c | xargs -n1 basename | sort | uniq -d | sed "s|^|$lib: |"; done)
if [ -z "$dups" ]; then
    echo "ok - no two modules of one library share a file name"
else
    echo "not ok - modules that share a file name in one library: $(echo $dups)"
fi
