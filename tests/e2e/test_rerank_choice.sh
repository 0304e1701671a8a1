#!/usr/bin/env bash
# A choice from what the parties were shown holds. Case A lists X, Y and
# Z; another case takes X, A is ranked again and X drops out of A's
# three. The parties' choice of X, still eligible and with capacity, is
# offered to X; HR's copy never goes back to "shortlisted" after the node
# answered the choice OK, not even when an event the coordinator wrote
# before it applied the choice arrives after it. Where X became
# ineligible in between, the refusal says why in words and HR gets a
# notice.
set -u
. "$(dirname "$0")/lib.sh"
standard_scenario

# Four mediators of one municipality, alike but for their load: a case
# more for one of them moves it behind the other three.
X=hilversum:med-h1
mediator_people hilversum:med-h1 hilversum:med-h2 hilversum:med-h3 hilversum:med-h4
node_reload hilversum
for who in hilversum:med-h1 hilversum:med-h2 hilversum:med-h3 hilversum:med-h4; do
    med "$who" mediator register --specialty labour --language nl \
        --mfn-number "MfN-${who#*:}" --mfn-expiry 2030-01-01 --capacity 3 >/dev/null
done
# The others of the standard pool keep out of these lists.
for who in almere:med-a hilversum:med-h zeist:med-z; do med "$who" mediator capacity 0 >/dev/null; done
wait_profiles 7
synced hilversum
for who in almere:med-a hilversum:med-h zeist:med-z; do synced "${who%%:*}"; done

# list CASE : the mediators of the case's current shortlist at almere, in order.
list() { as almere hr1 --json case show "$1" | json '[.shortlist[].mediator_id] | join(",")'; }
shortlisted() { as almere hr1 --json case wait "$1" --state shortlisted >/dev/null; }

# states_of CASE FILE : records the case's state at almere into FILE until
# FILE.stop appears, for a minute at most (started in the background).
states_of() {
    local end=$((SECONDS + 60))
    while [ ! -e "$2.stop" ] && [ $SECONDS -lt $end ]; do
        as almere hr1 --json case show "$1" 2>/dev/null | json .state >>"$2"
        sleep 0.05
    done
}
# offered_to_x CASE FILE : waits until the case is offered to X, then stops
# the recorder ($RECORDER).
offered_to_x() {
    local got
    got=$(as almere hr1 --json case wait "$1" --state offered --timeout-wait 20 | json .state)
    touch "$2.stop"
    wait "$RECORDER"
    [ "$got" = offered ] && med "$X" offer wait "$1" --state offered >/dev/null
}

# Three cases of almere, each shown X first.
a=$(post_case almere hr1 --domain labour --language nl --party almere)
a2=$(post_case almere hr1 --domain labour --language nl --party almere)
a3=$(post_case almere hr1 --domain labour --language nl --party almere)
for c in "$a" "$a2" "$a3"; do shortlisted "$c"; done
expect_eq "case A lists X first of three" "$(list "$a")" \
    "hilversum:med-h1,hilversum:med-h2,hilversum:med-h3"

# ---- another case takes X; A's choice of X, no longer on its list, holds ----
b=$(post_case zeist hr-z --domain labour --language nl --party zeist)
as zeist hr-z --json case wait "$b" --state shortlisted >/dev/null
as zeist hr-z case choose "$b" "$X" >/dev/null
med "$X" offer wait "$b" --state offered >/dev/null
for _ in $(seq 100); do [[ $(list "$a") != *med-h1* ]] && break; sleep 0.05; done
expect_eq "ranked again, A's three are the others: X is fourth" "$(list "$a")" \
    "hilversum:med-h2,hilversum:med-h3,hilversum:med-h4"
numbers=$(as almere hr1 --json case show "$a" | json '[.shortlist[].number] | map(tostring) | join(",")')
expect_eq "each keeps the number they were first shown under" "$numbers" "2,3,4"
out=$(as almere hr1 case choose "$a" 1)
expect "the parties may still choose X, whom they were shown as number 1 ($out)" \
    grep -q "choice of $X is recorded" <<<"$out"
states_of "$a" "$POOL/states.a" &
RECORDER=$!
expect "the choice of X is offered to X" offered_to_x "$a" "$POOL/states.a"
expect "HR's copy never showed A shortlisted after the choice ($(sort -u "$POOL/states.a" | tr '\n' ' '))" \
    test "$(grep -c shortlisted "$POOL/states.a")" = 0
expect_exit 3 "a veto of someone never shown for the case is refused" \
    as almere hr1 case veto "$a2" almere:med-a --reason-code other

# ---- an event written before the coordinator applied the choice ----
# almere is away while another case takes med-h2, which A2 lists: the
# coordinator ranks A2 again and journals it. Then the coordinator is away
# while almere comes back and HR chooses X for A2: the re-rank reaches
# almere after its choice, written before the coordinator applied it.
node_stop almere
c=$(post_case zeist hr-z --domain labour --language nl --party zeist)
as zeist hr-z --json case wait "$c" --state shortlisted >/dev/null
as zeist hr-z case choose "$c" hilversum:med-h2 >/dev/null
med hilversum:med-h2 offer wait "$c" --state offered >/dev/null
expect "the coordinator journalled a re-rank of A2 for almere" test "$(sqlite3 \
    "$POOL/coordinator/mpool.db" "select count(*) from c_transitions where case_id = '$a2'
    and reason like 're-ranked%med-h2%'")" -ge 1
node_stop coordinator
node_start almere
wait_node almere
out=$(as almere hr1 case choose "$a2" "$X")
expect "with the coordinator away, the choice of X for A2 is answered OK ($out)" \
    grep -q "choice of $X is recorded" <<<"$out"
expect "case show says the choice waits for the pool" \
    grep -q "waiting for the pool: choose $X" <<<"$(as almere hr1 case show "$a2")"
states_of "$a2" "$POOL/states.a2" &
RECORDER=$!
node_start coordinator
wait_node coordinator
expect "the choice of X for A2 is offered to X" offered_to_x "$a2" "$POOL/states.a2"
expect "HR's copy never showed A2 shortlisted after the choice ($(sort -u "$POOL/states.a2" | tr '\n' ' '))" \
    test "$(grep -c shortlisted "$POOL/states.a2")" = 0
show=$(as almere hr1 --json case show "$a2")
expect "the earlier re-rank is in A2's history all the same" \
    test "$(json '[.history[] | select(.reason | test("re-ranked.*med-h2"))] | length' <<<"$show")" -ge 1
expect_eq "nothing waits for the pool any more" "$(json '.pending | length' <<<"$show")" 0

# ---- X became ineligible in the meantime: refused, in words, with a notice ----
# X now holds three cases: full.
out=$(as almere hr1 case choose "$a3" "$X")
expect "a choice of X, shown for A3, is answered OK at the node ($out)" \
    grep -q "choice of $X is recorded" <<<"$out"
show=$(as almere hr1 --json case wait "$a3" --state shortlisted,escalated)
why=$(json '[.history[] | select(.reason | test("refused"))][-1].reason' <<<"$show")
expect "the refusal says why in words ($why)" grep -q "$X is no longer eligible (not available for this case)" <<<"$why"
notice=$(sqlite3 "$POOL/almere/mpool.db" "select kind || ': ' || detail from notices
    where case_id = '$a3' and user_id = 'hr1' and kind = 'refused'")
expect "HR gets a notice of the refusal, with the reason ($notice)" \
    grep -q "no longer eligible (not available for this case)" <<<"$notice"
expect "the coordinator offered nothing to X for A3" \
    test "$(sqlite3 "$POOL/hilversum/mpool.db" "select count(*) from m_offers where case_id = '$a3'")" = 0
