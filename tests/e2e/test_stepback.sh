#!/usr/bin/env bash
# A mediator who took a case on can leave it: they step back, HR asks for
# another mediator, or the coordinator reassigns it. Each time the case is
# shortlisted again with its history, the hours given so far go into the
# ledger, and the former mediator's node destroys its copy of the narrative.
set -u
. "$(dirname "$0")/lib.sh"
trap finish EXIT
pool_create "$(mktemp -d)" almere hilversum zeist || { echo "not ok - pool did not start"; exit 1; }
person coordinator coord coordinator
person almere hr1 hr
for who in hilversum:med-h hilversum:med-h2 zeist:med-z zeist:med-z2; do person "${who%%:*}" "${who#*:}" mediator; done
pool_start || { echo "not ok - pool did not start"; exit 1; }
for who in hilversum:med-h hilversum:med-h2 zeist:med-z zeist:med-z2; do
    as "${who%%:*}" "${who#*:}" mediator register --specialty labour --language nl \
        --mfn-number "MfN-${who#*:}" --mfn-expiry 2030-01-01 --capacity 3 >/dev/null
done
wait_profiles 4

printf 'Het geschil over de dienstroosters van team Noord\n' >"$POOL/story.txt"
c=$(post_case almere hr1 --domain labour --language nl --party almere --narrative "$POOL/story.txt")
first() { as almere hr1 --json case wait "$c" --state shortlisted | json '.shortlist[0].mediator_id'; }
# mediating MEDIATOR: chosen, accepted, the narrative at their node.
mediating() {
    as almere hr1 case choose "$c" "$1" >/dev/null
    med "$1" offer wait "$c" --state offered >/dev/null
    med "$1" offer accept "$c" --no-conflict >/dev/null
    med "$1" offer wait "$c" --state in_mediation >/dev/null
}
sealed_at() { sqlite3 "$POOL/${1%%:*}/mpool.db" "select count(*) from m_offers where case_id = '$c' and user_id = '${1#*:}' and sealed is not null"; }

# 1. The mediator steps back.
m1=$(first)
mediating "$m1"
expect_eq "the mediator reads the narrative while mediating" \
    "$(med "$m1" offer narrative "$c")" "Het geschil over de dienstroosters van team Noord"
expect_exit 2 "a step back needs a reason code" med "$m1" offer step-back "$c"
expect_exit 2 "and one of the listed codes" med "$m1" offer step-back "$c" --reason-code flu
said=$(med "$m1" offer step-back "$c" --reason-code illness --hours 2 --reason "langdurig ziek")
expect_eq "the step back says what just happened, not the state before it" "$said" \
    "case $c: you stepped back (illness); the pool will find another mediator, and your copy of the narrative is destroyed"
expect_eq "the offer ends as stepped back" \
    "$(med "$m1" --json offer wait "$c" --state stepped_back | json .state)" stepped_back
show=$(as almere hr1 --json case wait "$c" --state shortlisted)
expect "the case gets a fresh shortlist without them" \
    test -z "$(json --arg m "$m1" '.shortlist[] | select(.mediator_id == $m)' <<<"$show")"
expect "its history keeps the mediation and the step back" \
    test "$(json '[.history[] | select(.state == "in_mediation" or (.reason | contains("stepped back (illness) after 2.0 h")))] | length' <<<"$show")" -ge 2
expect "the mediator's own words reach HR only, sealed" \
    test "$(json '[.notes[] | select(.text == "langdurig ziek")] | length' <<<"$show")" = 1
expect_eq "kept as a step back with its code, not as a decline" \
    "$(json '[.notes[] | select(.text == "langdurig ziek") | .step + " " + .code] | join(",")' <<<"$show")" \
    "step back illness"
expect "case show lists the note in its text, with the step and code" \
    grep -q "step back (illness) by ${m1%%:*}/${m1#*:}: langdurig ziek" <<<"$(as almere hr1 case show "$c")"
expect_eq "their node no longer holds the narrative" "$(sealed_at "$m1")" 0
expect_exit 3 "and they can no longer read it" med "$m1" offer narrative "$c"
expect "the destruction list at their node says so" \
    test "$(sqlite3 "$POOL/${m1%%:*}/mpool.db" "select count(*) from destroyed where case_id = '$c' and kind = 'sealed narrative'")" = 1
expect_exit 3 "a second step back is refused" med "$m1" offer step-back "$c" --reason-code illness

# 2. The coordinator reassigns a case in mediation.
m2=$(first)
mediating "$m2"
m3=$(as almere hr1 --json case show "$c" | json --arg a "$m1" --arg b "$m2" \
    '[.shortlist[].mediator_id | select(. != $a and . != $b)][0]')
expect_exit 2 "an override needs its reason" as coordinator coord pool override "$c" "$m3"
as coordinator coord pool override "$c" "$m3" --reason "geen voortgang" --hours 1.5 >/dev/null
expect_eq "the former mediator's offer ends as reassigned" \
    "$(med "$m2" --json offer wait "$c" --state reassigned | json .state)" reassigned
for _ in $(seq 50); do [ "$(sealed_at "$m2")" = 0 ] && break; sleep 0.1; done
expect_eq "and their node destroyed its copy" "$(sealed_at "$m2")" 0
expect_eq "they are told" \
    "$(sqlite3 "$POOL/${m2%%:*}/mpool.db" "select count(*) from notices where case_id = '$c' and kind = 'reassigned'")" 1
med "$m3" offer wait "$c" --state offered >/dev/null
med "$m3" offer accept "$c" --no-conflict >/dev/null
med "$m3" offer wait "$c" --state in_mediation >/dev/null
expect_eq "the new mediator reads the narrative" \
    "$(med "$m3" offer narrative "$c")" "Het geschil over de dienstroosters van team Noord"

# 3. HR asks for another mediator.
expect_exit 3 "HR cannot reassign a mediator the case is not with" \
    as almere hr1 case reassign "$c" "$m1" --reason-code no-progress
said=$(as almere hr1 case reassign "$c" "$m3" --reason-code no-progress --hours 1 --reason "het schiet niet op")
expect_eq "the reassignment says what just happened" "$said" \
    "case $c: the request for another mediator than $m3 is recorded (no-progress); the pool will take them off the case and shortlist it again"
expect "and HR's words show under the case's notes" \
    grep -q "ask for another mediator (no-progress) by hr1: het schiet niet op" \
    <<<"$(as almere hr1 case show "$c")"
expect_eq "the third mediator's offer ends as reassigned" \
    "$(med "$m3" --json offer wait "$c" --state reassigned | json .state)" reassigned
expect "the case's exclusions count the replaced mediators as replaced, not vetoed" \
    grep -q "2 replaced on this case" <<<"$(as almere hr1 --json case wait "$c" --state shortlisted >/dev/null; as almere hr1 case show "$c")"
# A reassignment for lack of progress is not a veto: the coordinator may
# still offer them the case.
expect_eq "the coordinator may offer the case to a mediator HR had replaced" \
    "$(as coordinator coord --json pool override "$c" "$m3" --reason "partijen weer akkoord" | json .state)" offered
med "$m3" offer wait "$c" --state offered >/dev/null
med "$m3" offer accept "$c" --no-conflict >/dev/null
med "$m3" offer wait "$c" --state in_mediation >/dev/null
# A party's objection is a veto: no override puts them back.
as almere hr1 case reassign "$c" "$m3" --reason-code party-objects --reason "de partijen willen verder zonder" >/dev/null
med "$m3" offer wait "$c" --state reassigned >/dev/null
as almere hr1 case wait "$c" --state shortlisted >/dev/null
expect "the mediator the parties objected to counts as vetoed" \
    grep -q "1 vetoed by a party" <<<"$(as almere hr1 case show "$c")"
expect_exit 3 "and the coordinator cannot offer them the case again" \
    as coordinator coord pool override "$c" "$m3" --reason "toch weer"
said=$(as coordinator coord pool override "$c" "$m3" --reason "toch weer" 2>&1 || true)
expect "saying that an override cannot lift a veto" \
    grep -q "may not mediate this case: vetoed by a party (an override cannot lift it)" <<<"$said"
m4=$(first)
expect "the fourth mediator is none of the three before" \
    test "$m4" != "$m1" -a "$m4" != "$m2" -a "$m4" != "$m3" -a "$m4" != null
mediating "$m4"
as almere hr1 case close "$c" --outcome agreement --hours 3 >/dev/null
as almere hr1 case wait "$c" --state closed >/dev/null

# The ledger: 2 + 1.5 + 1 + 3 hours, each to the municipality that gave them.
ledger=$(as coordinator coord --json pool ledger)
given_by() { json --arg n "$1" '.municipalities[] | select(.id == $n) | .given_minutes' <<<"$ledger"; }
want_h=0 want_z=0
for pair in "$m1:120" "$m2:90" "$m3:60" "$m4:180"; do
    case $pair in hilversum:*) want_h=$((want_h + ${pair##*:})) ;; zeist:*) want_z=$((want_z + ${pair##*:})) ;; esac
done
expect_eq "almere received every hour given, 7.5 h" \
    "$(json '.municipalities[] | select(.id == "almere") | .received_minutes' <<<"$ledger")" 450
expect_eq "hilversum gave the hours of its mediators" "$(given_by hilversum)" "$want_h"
expect_eq "zeist gave the hours of its mediators" "$(given_by zeist)" "$want_z"

# Retention reduces the case to statistics; every municipality's hours stay.
node_stop coordinator
printf '\n[retention]\ncoordinator = 0\n' >>"$POOL/coordinator/mpoold.conf"
node_start coordinator
wait_node coordinator
for _ in $(seq 50); do
    [ "$(sqlite3 "$POOL/coordinator/mpool.db" "select count(*) from c_hours")" = 0 ] && break
    sleep 0.1
done
expect_eq "retention folded the case and its hours into the statistics" \
    "$(sqlite3 "$POOL/coordinator/mpool.db" "select (select count(*) from c_cases) || '/' || (select count(*) from c_hours) || '/' || (select sum(cases) from c_stats)")" "0/0/1"
expect_eq "and the ledger is the same as before" "$(as coordinator coord --json pool ledger)" "$ledger"
