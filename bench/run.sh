#!/usr/bin/env bash
# make bench: figures for the matcher, each beside its peer in the same run.
#   shortlists: match_shortlist per case, per 1000 mediators
#   batch: mpool match on a national and a stress pool (fixed seed), and
#          LEMON's network simplex (dimacs-solver) on the same DIMACS file
#   load: the pool under load (bench/load.sh)
#   a choice: with 1,000 waiting cases listing the mediator, beside the
#          same choice with none (bench/rerank.sh)
set -eu
B=${1:-build}
dir=$B/bench
mkdir -p "$dir"

echo "== shortlists"
"$dir/shortlist_bench"

now() { date +%s.%N; }
echo
echo "== batch rounds: mpool match vs LEMON dimacs-solver (network simplex), seed 1"
printf '%-9s %9s %9s %10s %9s %16s %16s %9s %s\n' pool pairs arcs "mpool s" "solve s" \
    "objective" "LEMON objective" "LEMON s" "equal"
for pool in national stress; do
    "$dir/gen_instance" "$pool" --seed 1 >"$dir/$pool.json"
    # Timed as people run it; the DIMACS file for LEMON comes from a second run.
    t0=$(now)
    "$B/mpool" --json match --instance "$dir/$pool.json" --timing >"$dir/$pool.out" \
        2>"$dir/$pool.timing"
    t1=$(now)
    "$B/mpool" --json match --instance "$dir/$pool.json" --dimacs "$dir/$pool.min" >/dev/null
    ours=$(jq .objective "$dir/$pool.out")
    solve=$(sed -n 's/.*solve \([0-9.]*\) s.*/\1/p' "$dir/$pool.timing")
    pairs=$(sed -n 's/.*; \([0-9]*\) eligible pairs.*/\1/p' "$dir/$pool.timing")
    arcs=$(sed -n 's/.*nodes, \([0-9]*\) arcs.*/\1/p' "$dir/$pool.timing")
    lemon_out=$(dimacs-solver -long "$dir/$pool.min" 2>&1)
    theirs=$(sed -n 's/^Min flow cost: //p' <<<"$lemon_out")
    lemon_s=$(sed -n 's/^Run NetworkSimplex:.*real: \([0-9.e-]*\)s.*/\1/p' <<<"$lemon_out")
    equal=no
    [ "$ours" = "$theirs" ] && equal=yes
    printf '%-9s %9s %9s %10.3f %9.3f %16s %16s %9.3f %s\n' "$pool" "$pairs" "$arcs" \
        "$(echo "$t1 - $t0" | bc -l)" "$solve" "$ours" "$theirs" "$lemon_s" "$equal"
    echo "          ($(cat "$dir/$pool.timing"))"
done

echo
# The pool under load (posts/s, latency, resync, memory), beside its physical floor.
bash bench/load.sh "$B"

echo
# A choice with 1,000 waiting cases listing the chosen mediator, beside the
# same choice with none (coord/rerank.c).
bash bench/rerank.sh "$B"
