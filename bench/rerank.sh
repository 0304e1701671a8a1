#!/usr/bin/env bash
# A choice with many waiting cases: every shortlisted case that lists the
# chosen mediator is ranked again (coord/rerank.c). Measures how long a
# choice takes, from case.choose to the offer shown at the requesting
# node, with WAITING shortlisted cases listing the same mediator, beside
# the same choice with no other case waiting (its floor, in the same run).
# Usage: bench/rerank.sh BUILD_DIR   (KEEP=1 keeps the pool's folder)
set -u
B=${1:-build}
export BUILD=$B
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../tests/e2e/lib.sh"
LOAD=$(realpath "$B/bench/load")
WAITING=${WAITING:-1000}
CHOICES=5
M=hilversum:med-h

work=$(mktemp -d /tmp/mpool-rerank.XXXXXX)
cleanup() {
    [ -n "${POOL:-}" ] && pool_stop
    [ "${KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT
step() { echo "   ... $*" >&2; }
die() {
    echo "rerank: $*" >&2
    exit 1
}
val() { tr ' ' '\n' <<<"$2" | sed -n "s/^$1=//p"; }
conf() { echo "$POOL/$1/people/$2.conf"; }
events() { journal_head almere; }

step "building the pool in $work"
standard_pool "$work/pool" >/dev/null || die "the pool did not come up"
# Room for the ten choices below; almere's cases list hilversum's and zeist's mediators.
{ med "$M" mediator capacity 20 >/dev/null && synced hilversum; } || die "cannot set the capacity"

# ---- the floor: each choice with no other case waiting ------------------
step "floor: $CHOICES choices, each of the only waiting case"
ms=()
floor_events=0
for ((i = 0; i < CHOICES; i++)); do
    id=$(post_case almere hr1 --domain labour --language nl --party almere)
    as almere hr1 case wait "$id" --state shortlisted >/dev/null || die "case $id was not shortlisted"
    caught_up almere || die "almere did not catch up"
    before=$(events)
    out=$("$LOAD" choose --mediator "$M" "$(conf almere hr1)" "$id") || die "a floor choice failed"
    caught_up almere || die "almere did not catch up"
    ms+=("$(val p50_ms "$out")")
    floor_events=$((floor_events + $(events) - before))
done
floor=$(printf '%s\n' "${ms[@]}" | sort -n | sed -n "$(((CHOICES + 1) / 2))p")

# ---- WAITING shortlisted cases that list the mediator ---------------------
step "posting $WAITING cases at almere"
"$LOAD" posts --threads 4 --count "$WAITING" --seconds 120 --drain-wait 120 \
    --drain "$POOL/almere/mpool.db" "$(conf almere hr1)" >/dev/null || die "the posts failed"
caught_up almere || die "almere did not catch up"
listing=$(sqlite3 "$POOL/coordinator/mpool.db" "select count(*) from c_cases c where state = 2
    and exists (select 1 from c_shortlist s where s.case_id = c.case_id and s.mediator_id = '$M')")
[ "$listing" -ge "$WAITING" ] || die "only $listing waiting cases list $M"
mapfile -t ids < <(sqlite3 "$POOL/almere/mpool.db" "select case_id from m_cases
    where state = 'shortlisted' order by random() limit $CHOICES")
step "$CHOICES choices of $M, $listing waiting cases listing it"
before=$(events)
out=$("$LOAD" choose --mediator "$M" "$(conf almere hr1)" "${ids[@]}") || die "a choice failed"
caught_up almere || die "almere did not catch up"
many_events=$(($(events) - before))
many=$(val p50_ms "$out")

echo "== a choice: case.choose to the offer at the requesting node ($CHOICES each, median)"
printf '%-62s %10s ms\n' "no other case waiting (the floor)" "$floor"
printf '%-62s %10s ms  (%s x the floor)\n' "$listing waiting cases list the chosen mediator" \
    "$many" "$(awk -v a="$many" -v b="$floor" 'BEGIN { printf "%.1f", (b > 0 ? a / b : 0) }')"
printf '   (events to almere per choice: %s with no other case waiting, %s with %s waiting;\n' \
    "$((floor_events / CHOICES))" "$((many_events / CHOICES))" "$listing"
printf '    the slowest of the %s choices took %s ms)\n' "$CHOICES" "$(val max_ms "$out")"
