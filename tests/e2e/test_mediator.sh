#!/usr/bin/env bash
# What a mediator keeps up to date without registering again: a period
# away, their capacity, a relationship withdrawn; and what they see of their
# own work: open cases and their pace against the MfN's 9 in 3 years.
set -u
. "$(dirname "$0")/lib.sh"
standard_scenario

# listed CASE MEDIATOR : whether the mediator is on the case's shortlist.
listed() {
    as almere hr1 --json case wait "$1" --state shortlisted,escalated |
        json --arg m "$2" '[.shortlist[]?.mediator_id | select(. == $m)] | length'
}
new_case() { post_case almere hr1 --domain labour --language nl --party almere "$@"; }

today=$(date -u +%F)
week=$(date -u -d '+7 days' +%F)
waiting=$(new_case)
expect_eq "a case waiting for the parties' choice lists the mediator" "$(listed "$waiting" hilversum:med-h)" 1
clock() { sqlite3 "$POOL/coordinator/mpool.db" "select updated_ms from c_cases where case_id = '$waiting'"; }
since=$(clock)
as hilversum med-h mediator away --from "$today" --until "$week" >/dev/null
synced hilversum
expect_eq "a mediator away today is offered nothing" "$(listed "$(new_case)" hilversum:med-h)" 0
for _ in $(seq 50); do [ "$(listed "$waiting" hilversum:med-h)" = 0 ] && break; sleep 0.1; done
expect_eq "and the waiting case's shortlist is ranked again without them" \
    "$(listed "$waiting" hilversum:med-h)" 0
expect_eq "a re-rank is no progress: the case's clock for pool stuck stays" "$(clock)" "$since"
expect "its history says why" \
    test "$(as almere hr1 --json case show "$waiting" | json '[.history[] | select(.reason | test("re-ranked: the load or availability of hilversum:med-h changed"))] | length')" -ge 1
expect "their profile shows the period" \
    test "$(as hilversum med-h --json mediator show | json '.away[0].until')" = "$week"
as hilversum med-h mediator away --clear >/dev/null
synced hilversum
expect_eq "back from being away, they are offered cases again" "$(listed "$(new_case)" hilversum:med-h)" 1
as coordinator coord pool round >/dev/null
expect_eq "a batch round puts them back on the waiting case's shortlist" \
    "$(listed "$waiting" hilversum:med-h)" 1
as hilversum med-h mediator away --from "$week" --until "$week" >/dev/null
synced hilversum
expect_eq "a period still to come does not keep them out now" "$(listed "$(new_case)" hilversum:med-h)" 1
expect_exit 2 "away needs both dates" as hilversum med-h mediator away --from "$today"
expect_exit 2 "a period that is over is refused" as hilversum med-h mediator away --from 2020-01-01 --until 2020-01-02

as zeist med-z mediator capacity 0 >/dev/null
synced zeist
expect_eq "with capacity 0 a mediator is offered nothing" "$(listed "$(new_case)" zeist:med-z)" 0
expect_eq "and the rest of the profile stays" \
    "$(as zeist med-z --json mediator show | json '[.capacity, .mfn_number] | join(" ")')" "0 MfN-med-z"
as zeist med-z mediator capacity 2 >/dev/null
expect_exit 2 "a capacity above 20 is refused" as zeist med-z mediator capacity 21

as hilversum med-h mediator relationship --parties <(echo "person:J. Jansen") >/dev/null
synced hilversum
expect_eq "a declared relationship keeps them from the party's case" \
    "$(listed "$(new_case --parties <(echo "person:J. Jansen"))" hilversum:med-h)" 0
expect_eq "withdrawing it says how many remain" \
    "$(as hilversum med-h --json mediator relationship --parties <(echo "person:J. Jansen") --remove | json .count)" 0
synced hilversum
expect_eq "and the party's next case may reach them again" \
    "$(listed "$(new_case --parties <(echo "person:J. Jansen"))" hilversum:med-h)" 1
expect_exit 4 "withdrawing one never declared says so" \
    as hilversum med-h mediator relationship --parties <(echo "person:P. Bakker") --remove

# Open cases and the MfN pace.
c=$(new_case)
as almere hr1 case wait "$c" --state shortlisted >/dev/null
as almere hr1 case choose "$c" hilversum:med-h >/dev/null
as hilversum med-h offer wait "$c" --state offered >/dev/null
as hilversum med-h offer accept "$c" --no-conflict >/dev/null
as hilversum med-h offer wait "$c" --state in_mediation >/dev/null
expect_eq "show counts the case the mediator took on" \
    "$(as hilversum med-h --json mediator show | json .open_cases)" 1
as almere hr1 case close "$c" --outcome agreement --hours 2 >/dev/null
as hilversum med-h offer wait "$c" --state closed >/dev/null
show=$(as hilversum med-h --json mediator show)
expect_eq "and, once closed, counts it towards the pace" \
    "$(json '[.open_cases, .pace.closed_3y, .pace.target, .pace.on_pace] | map(tostring) | join(" ")' <<<"$show")" \
    "0 1 9 false"
expect "the text says the mediator is below the pace" \
    sh -c "'$MPOOL' --config '$POOL/hilversum/people/med-h.conf' mediator show | grep -q '1 closed in the last 3 years, against 9: below the pace'"
