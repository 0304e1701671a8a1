#!/usr/bin/env bash
# A batch round: the pool-wide optimum over all cases waiting for a choice
# becomes each case's first proposal, and the round is recorded.
set -u
. "$(dirname "$0")/lib.sh"
LANGUAGES="nl, en, fr" # French: a language nobody in the pool speaks at first
standard_scenario

# Two cases that would both rank Hilversum's mediator first; each mediator
# may take one more case.
for who in hilversum:med-h zeist:med-z; do
    as "${who%%:*}" "${who#*:}" mediator register --specialty labour --language nl \
        --mfn-number "MfN-${who#*:}" --mfn-expiry 2030-01-01 --capacity 1 >/dev/null
done
synced hilversum
synced zeist
c1=$(post_case almere hr1 --domain labour --language nl --party almere)
c2=$(post_case almere hr1 --domain labour --language nl --party almere)
first1=$(as almere hr1 --json case wait "$c1" --state shortlisted | json '.shortlist[0].mediator_id')
first2=$(as almere hr1 --json case wait "$c2" --state shortlisted | json '.shortlist[0].mediator_id')
expect_eq "on their own, both cases rank the same mediator first" "$first1" "$first2"

round=$(as coordinator coord --json pool round)
expect "a coordinator runs a batch round" test -n "$(json .round <<<"$round")"
expect_eq "the round assigns both cases" "$(json '.assignments | length' <<<"$round")" 2
expect_eq "no seat is left empty" "$(json '.unfilled | length' <<<"$round")" 0
for _ in $(seq 50); do
    a=$(as almere hr1 --json case show "$c1" | json '.shortlist[0].mediator_id')
    b=$(as almere hr1 --json case show "$c2" | json '.shortlist[0].mediator_id')
    [ "$a" != "$b" ] && break
    sleep 0.1
done
expect "after the round the two cases propose different mediators first" test "$a" != "$b"
expect "the optimum respects capacity: one case each" \
    test "$(printf '%s\n%s\n' "$a" "$b" | sort | tr '\n' ,)" = "hilversum:med-h,zeist:med-z,"
show=$(as almere hr1 --json case show "$c1")
expect "the history says the shortlist was re-ranked by the round" \
    test "$(json '[.history[] | select(.reason | contains("batch round"))] | length' <<<"$show")" -ge 1
expect_eq "the round is recorded with its objective and input hash" \
    "$(sqlite3 "$POOL/coordinator/mpool.db" "select kind, objective = $(json .objective <<<"$round"), length(input_hash) from c_rounds where kind = 'batch'")" \
    "batch|1|64"
expect_exit 3 "HR cannot run a batch round" as almere hr1 pool round

# An escalated case is taken up by a later round once someone fits.
c3=$(post_case almere hr1 --domain labour --language fr --party almere)
expect_eq "a French-language case finds nobody" \
    "$(as almere hr1 --json case wait "$c3" --state escalated,shortlisted | json .state)" escalated
person zeist med-fr mediator
node_reload zeist
as zeist med-fr mediator register --specialty labour --language nl --language fr \
    --mfn-number MfN-fr --mfn-expiry 2030-01-01 --capacity 1 >/dev/null
synced zeist
as coordinator coord pool round >/dev/null
expect_eq "after a French-speaking mediator registers, a round shortlists the case" \
    "$(as almere hr1 --json case wait "$c3" --state shortlisted | json '.shortlist[0].mediator_id')" \
    zeist:med-fr
