#!/usr/bin/env bash
# The other ways a case can go: decline then the next candidate, veto,
# disclosure and consent, an interest that can never be waived, withdrawal,
# and nobody eligible.
set -u
. "$(dirname "$0")/lib.sh"
LANGUAGES="nl, en, fr" # French: a language nobody in the pool speaks at first
standard_scenario

new_case() {
    local id
    id=$(post_case almere hr1 --domain labour --language nl --party almere "$@")
    as almere hr1 case wait "$id" --state shortlisted,escalated >/dev/null
    echo "$id"
}
shortlist_of() {
    as almere hr1 --json case show "$1" | json '[.shortlist[].mediator_id] | join(",")'
}
offer_to() { # case, mediator id
    as almere hr1 case choose "$1" "$2" >/dev/null
    as "${2%%:*}" "${2#*:}" offer wait "$1" --state offered >/dev/null
}

# Decline, then the next candidate.
c=$(new_case)
first=$(shortlist_of "$c" | cut -d, -f1)
offer_to "$c" "$first"
expect "the mediator declines with a reason" \
    as "${first%%:*}" "${first#*:}" offer decline "$c" --reason-code away --reason "on leave"
show=$(as almere hr1 --json case wait "$c" --state shortlisted)
list=$(json '[.shortlist[].mediator_id] | join(",")' <<<"$show")
expect "after a decline the decliner is off the new shortlist" test "${list/$first/}" = "$list"
next=${list%%,*}
expect "the next candidate can be chosen and is offered the case" offer_to "$c" "$next"
expect_eq "the case is offered to the next candidate" \
    "$(as almere hr1 --json case show "$c" | json .mediator_id)" "$next"
expect_eq "the decliner's offer says declined" \
    "$(as "${first%%:*}" "${first#*:}" --json offer list --all |
        json ".offers[] | select(.case_id == \"$c\") | .state")" declined

# Veto.
c=$(new_case)
vetoed=$(shortlist_of "$c" | cut -d, -f1)
expect "a party vetoes a shortlisted mediator" \
    as almere hr1 case veto "$c" "$vetoed" --reason-code knows-mediator --reason "worked together before"
for _ in $(seq 50); do
    [ "$(shortlist_of "$c")" != "" ] && [ "${vetoed}" != "$(shortlist_of "$c" | cut -d, -f1)" ] && break
    sleep 0.1
done
list=$(shortlist_of "$c")
expect "the vetoed mediator is never proposed again for that case" \
    test "${list/$vetoed/}" = "$list"
expect_exit 3 "the vetoed mediator cannot be chosen" as almere hr1 case choose "$c" "$vetoed"

# A veto of another shortlisted mediator leaves a running offer alone.
c=$(new_case)
first=$(shortlist_of "$c" | cut -d, -f1)
second=$(shortlist_of "$c" | cut -d, -f2)
offer_to "$c" "$first"
expect "a party vetoes another shortlisted mediator while the offer runs" \
    as almere hr1 case veto "$c" "$second" --reason-code party-objects --reason "known to a party"
synced almere
expect_eq "the case stays offered to the chosen mediator" \
    "$(as almere hr1 --json case show "$c" | json .state)" offered
expect "the chosen mediator can still accept" \
    as "${first%%:*}" "${first#*:}" offer accept "$c" --no-conflict
expect_eq "and the case goes into mediation" \
    "$(as almere hr1 --json case wait "$c" --state in_mediation | json .state)" in_mediation

# Disclosure, consent.
c=$(new_case)
m=$(shortlist_of "$c" | cut -d, -f1)
offer_to "$c" "$m"
expect "the mediator accepts with a disclosed relationship and a note" \
    as "${m%%:*}" "${m#*:}" offer accept "$c" --disclose relationship \
    --note "I coached this team in 2024"
show=$(as almere hr1 --json case wait "$c" --state awaiting_consent)
expect_eq "a disclosure sends the case back to the parties" "$(json .state <<<"$show")" \
    awaiting_consent
expect_eq "the parties see the kind of disclosure" "$(json .disclosure <<<"$show")" relationship
expect_eq "the parties read the mediator's note" "$(json .disclosure_note <<<"$show")" \
    "I coached this team in 2024"
if cat "$POOL"/coordinator/mpool.db* | grep -aq "coached"; then
    notok "the note passes the coordinator sealed"
else
    ok "the note passes the coordinator sealed"
fi
said=$(as almere hr1 case consent "$c" "$m")
expect_eq "the parties' consent is confirmed as recorded, not as still awaited" "$said" \
    "case $c: the parties' consent to $m's disclosure is recorded; the pool will tell the mediator, who then gets the narrative"
expect_eq "with consent the case goes into mediation" \
    "$(as almere hr1 --json case wait "$c" --state in_mediation | json .state)" in_mediation

# Disclosure, refused consent.
c=$(new_case)
m=$(shortlist_of "$c" | cut -d, -f1)
offer_to "$c" "$m"
as "${m%%:*}" "${m#*:}" offer accept "$c" --disclose prior >/dev/null
as almere hr1 case wait "$c" --state awaiting_consent >/dev/null
said=$(as almere hr1 case consent "$c" "$m" --refuse --reason-code too-close --reason "te dichtbij")
expect_eq "the parties refuse consent, and the confirmation says so" "$said" \
    "case $c: the parties' refusal of $m's disclosure is recorded (too-close); the pool will look for another mediator"
show=$(as almere hr1 --json case wait "$c" --state shortlisted,escalated)
list=$(json '[.shortlist[].mediator_id] | join(",")' <<<"$show")
expect "without consent the mediator is off the new shortlist" test "${list/$m/}" = "$list"

# An interest in the outcome can never be waived.
c=$(new_case)
m=$(shortlist_of "$c" | cut -d, -f1)
offer_to "$c" "$m"
as "${m%%:*}" "${m#*:}" offer accept "$c" --disclose interest >/dev/null
show=$(as almere hr1 --json case wait "$c" --state shortlisted,escalated)
list=$(json '[.shortlist[].mediator_id] | join(",")' <<<"$show")
expect "a disclosed interest excludes the mediator without asking consent" \
    test "${list/$m/}" = "$list"

# Withdrawal while offered.
c=$(new_case)
m=$(shortlist_of "$c" | cut -d, -f1)
offer_to "$c" "$m"
expect "HR withdraws an offered case" as almere hr1 case withdraw "$c" --reason-code settled --reason "settled"
expect_eq "the mediator's offer is withdrawn" \
    "$(as "${m%%:*}" "${m#*:}" --json offer wait "$c" --state withdrawn | json .state)" withdrawn
expect_exit 3 "a withdrawn case cannot be withdrawn again" \
    as almere hr1 case withdraw "$c" --reason-code other

# A relationship declared at the mediator's node, hashed there, excludes them.
expect "a mediator declares a relationship" \
    as hilversum med-h mediator relationship --parties <(echo "person:Karin  Smit")
synced hilversum
c=$(new_case --parties <(echo "person:karin smit"))
show=$(as almere hr1 --json case show "$c")
expect "a mediator with a declared relationship with a party is not proposed" \
    test "$(json '[.shortlist[] | select(.mediator_id == "hilversum:med-h")] | length' <<<"$show")" = 0
expect_eq "HR see the exclusion as not available, never as a relationship" \
    "$(json '[.excluded[] | select(.reason != "eligible") | "\(.reason) \(.text)"] | join(",")' <<<"$show")" \
    "party_municipality same municipality as a party,not_available not available for this case"
if cat "$POOL"/coordinator/mpool.db* | grep -aqi "karin"; then
    notok "the relationship reaches the coordinator only as a pseudonym"
else
    ok "the relationship reaches the coordinator only as a pseudonym"
fi

# Nobody eligible: escalated, with the reasons.
c=$(post_case almere hr1 --domain labour --language fr --party almere)
show=$(as almere hr1 --json case wait "$c" --state escalated,shortlisted)
expect_eq "a case nobody may take is escalated" "$(json .state <<<"$show")" escalated
expect_eq "the exclusion histogram says why" \
    "$(json '.excluded[] | select(.reason == "language") | .count' <<<"$show")" 2
expect "case show counts the eligible first, then the others with their rules" \
    grep -qx "0 of 3 mediators eligible; 3 not: 1 same municipality as a party, 2 does not speak the language" \
    <<<"$(as almere hr1 case show "$c")"
stuck=$(as coordinator coord --json pool stuck)
expect "the coordinator sees the escalated case" \
    test "$(json "[.cases[] | select(.case_id == \"$c\")] | length" <<<"$stuck")" = 1
expect "the coordinator overrides with a logged reason" \
    as coordinator coord pool override "$c" hilversum:med-h --reason "independent mediator route"
show=$(as almere hr1 --json case wait "$c" --state offered)
expect "the requester is told that the coordinator overrode" \
    test "$(json '[.history[] | select(.reason == "override by the coordinator")] | length' <<<"$show")" -ge 1
expect_eq "the coordinator's words stay in its own record, not at the requester" \
    "$(json '[.history[] | select(.reason | contains("independent mediator route"))] | length' <<<"$show")/$(sqlite3 \
        "$POOL/coordinator/mpool.db" "select count(*) from c_transitions where case_id = '$c' and reason = 'override: independent mediator route'")" "0/1"
expect_exit 3 "an override never lifts a party municipality exclusion" \
    as coordinator coord pool override "$c" almere:med-a --reason "try"

# Availability windows and capacity.
expect "a mediator sets availability windows" \
    as zeist med-z mediator availability --window 2030-01-01:2030-06-30
as hilversum med-h mediator register --specialty labour --language nl --mfn-number MfN-med-h \
    --mfn-expiry 2030-01-01 --capacity 0 >/dev/null
synced hilversum
synced zeist
c=$(new_case)
show=$(as almere hr1 --json case show "$c")
expect_eq "mediators outside their availability windows or without free capacity are not proposed" \
    "$(json '.excluded[] | select(.reason == "not_available") | .count' <<<"$show")" 2
expect_eq "with nobody left the case is escalated" "$(json .state <<<"$show")" escalated
