#!/usr/bin/env bash
# The whole journey: post, shortlist, choice, offer, acceptance, sealed
# narrative, mediation, closing, ledger; and what the coordinator never sees.
set -u
. "$(dirname "$0")/lib.sh"
standard_scenario

narrative=$POOL/narrative.txt
printf 'Conflict tussen Jan de Vries en zijn leidinggevende Petra Bakker over roosters.\n' >"$narrative"

case_id=$(post_case almere hr1 --domain labour --language nl --urgency high \
    --party almere --parties <(echo "person:Jan de Vries") --parties <(echo "person:Petra Bakker") \
    --certified --narrative "$narrative")
expect "an HR officer posts a case and gets its id" test -n "$case_id"

show=$(as almere hr1 --json case wait "$case_id" --state shortlisted,escalated)
expect_eq "the case is shortlisted" "$(json .state <<<"$show")" shortlisted
shortlist=$(json '[.shortlist[].mediator_id] | sort | join(",")' <<<"$show")
expect_eq "the shortlist holds the mediators of other municipalities" "$shortlist" \
    "hilversum:med-h,zeist:med-z"
expect_eq "the party municipality's own mediator is excluded, with the rule" \
    "$(json '.excluded[] | select(.reason == "party_municipality") | .count' <<<"$show")" 1
expect "each shortlisted mediator comes with the reasons for the order" \
    test "$(json '[.shortlist[] | select(.why | length > 0)] | length' <<<"$show")" = 2

first=$(json '.shortlist[0].mediator_id' <<<"$show")
mnode=${first%%:*}
muser=${first#*:}
expect "the parties' choice is recorded" as almere hr1 case choose "$case_id" "$first"
show=$(as almere hr1 --json case wait "$case_id" --state offered)
expect_eq "the chosen mediator gets the offer" "$(json .mediator_id <<<"$show")" "$first"

offer=$(as "$mnode" "$muser" --json offer wait "$case_id" --state offered)
expect_eq "the mediator sees the offer at their own node" "$(json .state <<<"$offer")" offered
expect "the offer names the requesting municipality" \
    test "$(json .requester <<<"$offer")" = almere
expect_exit 3 "the narrative is sealed until acceptance" \
    as "$mnode" "$muser" offer narrative "$case_id"

expect "the mediator accepts with a declaration of no conflict" \
    as "$mnode" "$muser" offer accept "$case_id" --no-conflict
show=$(as almere hr1 --json case wait "$case_id" --state in_mediation)
expect_eq "the case goes into mediation" "$(json .state <<<"$show")" in_mediation

as "$mnode" "$muser" offer wait "$case_id" --state in_mediation >/dev/null
text=$(as "$mnode" "$muser" offer narrative "$case_id")
expect "the accepting mediator reads the narrative" grep -q "Jan de Vries" <<<"$text"

expect "HR closes the case with outcome and hours" \
    as almere hr1 case close "$case_id" --outcome agreement --hours 6.5
show=$(as almere hr1 --json case wait "$case_id" --state closed)
expect_eq "the case is closed with its outcome" "$(json .outcome <<<"$show")" agreement
states=$(json '[.history[].state] | unique | sort | join(",")' <<<"$show")
expect_eq "every transition is in the history" "$states" \
    "accepted,chosen,closed,in_mediation,offered,posted,shortlisted"
expect "each transition says who" test \
    "$(json '[.history[] | select(.actor == "")] | length' <<<"$show")" = 0

ledger=$(as coordinator coord --json pool ledger)
expect_eq "the ledger credits the mediator's municipality" \
    "$(json ".municipalities[] | select(.id == \"$mnode\") | .given_minutes" <<<"$ledger")" 390
expect_eq "the ledger debits the requesting municipality" \
    "$(json '.municipalities[] | select(.id == "almere") | .received_minutes' <<<"$ledger")" 390

round=$(sqlite3 -separator '|' "$POOL/coordinator/mpool.db" \
    "select kind, length(input_hash), json_extract(config, '$.weights.load_step') from c_rounds where case_id = '$case_id' order by id limit 1")
expect_eq "the shortlist is recorded with its configuration and input hash" "$round" "shortlist|64|40"

# What the coordinator stores: references, never names or the narrative.
for word in "Jan de Vries" "Petra Bakker" "roosters" "jan de vries"; do
    if cat "$POOL"/coordinator/mpool.db* | grep -aqi "$word"; then
        notok "the coordinator's database contains '$word'"
    else
        ok "the coordinator's database does not contain '$word'"
    fi
done
expect_eq "the database with names and narrative is readable by its owner only" \
    "$(stat -c %a "$POOL/almere/mpool.db")" 600
if sqlite3 "$POOL/almere/mpool.db" "select label from m_case_parties" | grep -q "Jan de Vries"; then
    ok "the requesting node keeps the names"
else
    notok "the requesting node keeps the names"
fi

# Prior involvement also counts a case withdrawn after its mediator took it.
second=$(json '.shortlist[1].mediator_id' <<<"$show")
w=$(post_case almere hr1 --domain labour --language nl --party almere --parties <(echo "person:Kees Jansen"))
as almere hr1 case wait "$w" --state shortlisted >/dev/null
as almere hr1 case choose "$w" "$second" >/dev/null
as "${second%%:*}" "${second#*:}" offer wait "$w" --state offered >/dev/null
as "${second%%:*}" "${second#*:}" offer accept "$w" --no-conflict >/dev/null
as almere hr1 case wait "$w" --state in_mediation >/dev/null
as almere hr1 case withdraw "$w" --reason-code settled --reason "settled between the parties" >/dev/null
as almere hr1 case wait "$w" --state withdrawn >/dev/null
again=$(post_case almere hr1 --domain labour --language nl --party almere --parties <(echo "person:Kees Jansen"))
show=$(as almere hr1 --json case wait "$again" --state shortlisted,escalated)
# HR see the exclusion only as "not available"; the coordinator's record of
# the ranking names the rule.
considered=$(sqlite3 "$POOL/coordinator/mpool.db" "select json_extract(result,
    '\$.considered.prior_involvement') from c_rounds where case_id = '$again' order by id desc limit 1")
expect_eq "a mediator who took a case that was then withdrawn counts as involved with its parties" \
    "$(json '[.shortlist[].mediator_id | select(. == "'"$second"'")] | length' <<<"$show")/$considered" "0/1"
