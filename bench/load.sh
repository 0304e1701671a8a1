#!/usr/bin/env bash
# The pool under load: a coordinator with almere, hilversum and zeist on
# loopback, in a temporary folder, durable as in production (SQLite WAL,
# synchronous=FULL). Measures, each beside its goal:
#   1. sustained case posts per second, three nodes at once
#   2. post -> shortlist latency at the requesting node, at light load
#   3. resync of a node that missed 10,000 events
#   4. peak resident memory of every daemon
#   5. the physical floor: a CURVE round trip and a durable commit
# A goal not met is reported, not a failure; a broken run fails.
# Usage: bench/load.sh BUILD_DIR   (KEEP=1 keeps the pool's folder)
set -u
B=${1:-build}
export BUILD=$B # lib.sh finds mpoold and mpool there
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../tests/e2e/lib.sh"
LOAD=$(realpath "$B/bench/load")
FLOOR=$(realpath "$B/bench/floor")

THREADS=4         # client connections per node
POST_COUNT=3000   # posts of the three nodes at once...
POST_SECONDS=5    # ...or this long, whichever comes first
LATENCY_CASES=500
MISSED=10000      # events almere misses while it is down
FILL_COUNT=2500   # almere's cases that the batch rounds then re-rank

work=$(mktemp -d /tmp/mpool-load.XXXXXX)
cleanup() {
    [ -n "${POOL:-}" ] && pool_stop
    [ "${KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT

step() { echo "   ... $*" >&2; }
die() {
    echo "load: $*" >&2
    exit 1
}

# val KEY LINE : the value of KEY=value in a line printed by load or floor.
val() {
    tr ' ' '\n' <<<"$2" | sed -n "s/^$1=//p"
}

# report LABEL VALUE UNIT CMP GOAL : one table line; CMP is >=, <= or <.
report() {
    local label=$1 value=$2 unit=$3 cmp=$4 goal=$5 verdict
    if [ -z "$value" ]; then
        printf '%-60s %10s %-6s goal: %s %s %-7s NOT met (failed, see above)\n' \
            "$label" "-" "" "$cmp" "$goal" "$unit"
        return
    fi
    verdict=$(awk -v v="$value" -v g="$goal" -v c="$cmp" 'BEGIN {
        ok = c == ">=" ? v >= g : c == "<=" ? v <= g : v < g
        print ok ? "met" : "NOT met"
    }')
    printf '%-60s %10s %-6s goal: %s %s %-7s %s\n' "$label" "$value" "$unit" "$cmp" "$goal" \
        "$unit" "$verdict"
}

db() { echo "$POOL/$1/mpool.db"; }
conf() { echo "$POOL/$1/people/$2.conf"; }

# ---- the pool: standard_pool, plus HR staff at hilversum ----------------
step "building the pool in $work"
standard_pool "$work/pool" >/dev/null || die "the pool did not come up"
person hilversum hr-h hr || die "cannot add hr-h at hilversum"
node_reload hilversum

# ---- 5. the floor, measured first while the machine is quiet -----------
step "floor: CURVE round trips and durable commits"
floor=$("$FLOOR" "$work") || floor=""

# ---- 2. latency at light load, at zeist ---------------------------------
step "latency: $LATENCY_CASES posts at zeist, one at a time"
lat=$("$LOAD" latency --cases "$LATENCY_CASES" "$(conf zeist hr-z)") || lat=""

# ---- 1. throughput: three nodes at once --------------------------------
step "throughput: $THREADS connections per node, $POST_COUNT posts or $POST_SECONDS s"
posts=$("$LOAD" posts --threads "$THREADS" --count "$POST_COUNT" --seconds "$POST_SECONDS" \
    --drain-wait 40 --drain "$(db almere)" --drain "$(db hilversum)" --drain "$(db zeist)" \
    "$(conf almere hr1)" "$(conf hilversum hr-h)" "$(conf zeist hr-z)") || posts=""

# The coordinator's peak while it takes posts, before the batch rounds
# below (one round over thousands of cases is its largest piece of work).
hwm_mb() {
    awk '/^VmHWM:/ { printf "%.1f", $2 / 1024 }' "/proc/$(cat "$POOL/$1/pid")/status" 2>/dev/null
}
coord_posts_mb=$(hwm_mb coordinator)

# ---- 3. resync: almere misses batch rounds' events ----------------------
# Each round sends one event per waiting case, so a few rounds over a few
# thousand of almere's cases make the MISSED events while almere is down.
step "resync: posting $FILL_COUNT cases at almere"
resync="" fill="" missed=0 rounds=0
if fill=$("$LOAD" posts --threads "$THREADS" --count "$FILL_COUNT" --seconds 60 \
    --drain-wait 60 --drain "$(db almere)" "$(conf almere hr1)") &&
    [ -n "$(val stored_per_s "$fill")" ] && caught_up almere; then
    node_stop almere
    step "resync: batch rounds at the coordinator while almere is down"
    while [ "$missed" -lt "$MISSED" ] && [ "$rounds" -lt 20 ]; do
        as coordinator coord --timeout 120 pool round >/dev/null || break
        rounds=$((rounds + 1))
        missed=$(($(journal_head almere) - $(coord_seq almere)))
    done
    head=$(journal_head almere)
    step "resync: starting almere, $missed journal entries behind after $rounds rounds"
    t0=$(date +%s%N)
    node_start almere
    resync=$("$LOAD" resync --since-ns "$t0" --head "$head" --db "$(db almere)" \
        "$(conf almere hr1)") || resync=""
fi

# ---- 4. peak memory ------------------------------------------------------
hwm=()
for node in coordinator "${MEMBERS[@]}"; do
    hwm+=("$node $(hwm_mb "$node")")
done

# ---- the table -----------------------------------------------------------
p50=$(val p50_ms "$lat")
echo "== load: coordinator + almere, hilversum, zeist on loopback; SQLite WAL, synchronous=FULL"
report "posts/s accepted by nodes (3 nodes x $THREADS conns)" "$(val accepted_per_s "$posts")" \
    posts/s ">=" 1000
report "posts/s stored at the coordinator" "$(val stored_per_s "$posts")" posts/s ">=" 1000
if [ -n "$posts" ]; then
    printf '   (%s posts accepted in %s s, %s failed; outboxes empty after %s s)\n' \
        "$(val accepted "$posts")" "$(val post_s "$posts")" "$(val failed "$posts")" \
        "$(val store_s "$posts")"
fi
report "post -> shortlist p50 ($LATENCY_CASES cases at zeist)" "$p50" ms "<" 5
# The goal is on the median; the tail is reported beside it.
printf '%-60s %10s ms\n' "post -> shortlist p99" "$(val p99_ms "$lat")"
printf '%-60s %10s ms\n' "post -> shortlist max" "$(val max_ms "$lat")"
if [ -n "$lat" ]; then
    printf '   (of which the case.post reply: p50 %s ms, p99 %s ms)\n' \
        "$(val post_p50_ms "$lat")" "$(val post_p99_ms "$lat")"
fi
report "resync of almere, $missed events missed" "$(val resync_s "$resync")" s "<=" 1
if [ -n "$resync" ]; then
    printf '   (measured from its start; it answered its clients after %s s)\n' \
        "$(val startup_s "$resync")"
fi
if [ -n "$fill" ]; then
    printf '   (%s batch rounds over almere'"'"'s cases made the events; its %s posts before: %s posts/s accepted, %s stored)\n' \
        "$rounds" "$(val accepted "$fill")" "$(val accepted_per_s "$fill")" \
        "$(val stored_per_s "$fill")"
fi
report "peak resident memory (VmHWM), coordinator taking posts" "$coord_posts_mb" MB "<" 20
for h in "${hwm[@]}"; do
    label=${h%% *}
    [ "$label" = coordinator ] && label="coordinator, after the batch rounds"
    report "peak resident memory (VmHWM), $label" "${h#* }" MB "<" 20
done
echo "   (almere's peak counts from its restart in the resync test; a batch round holds"
echo "    every waiting case and its result at once)"

echo
echo "== floor: the same machine, no application work"
curve=$(val curve_p50_us "$floor")
commit=$(val commit_p50_us "$floor")
printf '%-60s %10s us     p99 %s us\n' "CURVE round trip, $(val bytes "$floor") bytes, p50" \
    "${curve:--}" "$(val curve_p99_us "$floor")"
printf '%-60s %10s us     p99 %s us\n' "durable SQLite commit (WAL, FULL), p50" "${commit:--}" \
    "$(val commit_p99_us "$floor")"
if [ -n "$p50" ] && [ -n "$floor" ]; then
    awk -v p="$p50" -v r="$curve" -v c="$commit" 'BEGIN {
        f = 3 * r + 3 * c
        printf "%-60s %10.0f x\n", "post -> shortlist p50 / CURVE round trip", p * 1000 / r
        printf "%-60s %10.1f x\n", "post -> shortlist p50 / durable commit", p * 1000 / c
        printf "   A post crosses 3 round trips'"'"' worth of hops (client->node, node->coordinator\n"
        printf "   + doorbell, fetch) and waits for 3 durable commits (node; coordinator, with the\n"
        printf "   shortlist; node): a floor of about %.2f ms on this machine. The p50 is %.1f x\n", f / 1000, p * 1000 / f
        printf "   that floor; the rest is work in the daemons (and the client'"'"'s polling).\n"
    }'
fi
