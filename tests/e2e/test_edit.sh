#!/usr/bin/env bash
# HR change a case until an offer is made: the coordinator takes the new
# urgency, language and parties, ranks it again, and the history says
# what changed; the new party's name stays at the node. Once offered, the
# case can no longer be edited.
set -u
. "$(dirname "$0")/lib.sh"
standard_scenario

c=$(post_case almere hr1 --domain labour --language nl --party almere --urgency low)
as almere hr1 case wait "$c" --state shortlisted >/dev/null
urgency() { sqlite3 "$POOL/coordinator/mpool.db" "select urgency || ' ' || language from c_cases where case_id = '$c'"; }
expect_eq "the coordinator holds the case as posted" "$(urgency)" "1 nl"

as almere hr1 case edit "$c" --urgency high --language en --party almere --parties <(echo "person:Edward Editson") >/dev/null
for _ in $(seq 50); do [ "$(urgency)" = "3 en" ] && break; sleep 0.1; done
expect_eq "after the edit it holds the new urgency and language" "$(urgency)" "3 en"
expect_eq "and the new parties, as references" \
    "$(sqlite3 "$POOL/coordinator/mpool.db" "select count(*) from c_case_parties where case_id = '$c' and ref like 'p:%'")" 1
expect_eq "no name reaches the coordinator" \
    "$(sqlite3 "$POOL/coordinator/mpool.db" .dump | grep -c "Editson")" 0
show=$(as almere hr1 --json case wait "$c" --state shortlisted)
expect "the case is shortlisted again, and the history says what changed" \
    test "$(json '[.history[] | select(.reason == "edited: urgency, language, parties" or .reason == "edited by the requesting municipality")] | length' <<<"$show")" -ge 2
expect_eq "the node keeps the new party's name" \
    "$(json '[.parties[] | select(.label == "Edward Editson")] | length' <<<"$show")" 1

expect_exit 2 "an edit with nothing to change is refused before it is sent" as almere hr1 case edit "$c"
expect_exit 2 "an unknown language is refused with the pool's list" as almere hr1 case edit "$c" --language xx

m=$(json '.shortlist[0].mediator_id' <<<"$show")
as almere hr1 case choose "$c" "$m" >/dev/null
as almere hr1 case wait "$c" --state offered >/dev/null
expect_exit 3 "once offered, the case can no longer be edited" as almere hr1 case edit "$c" --urgency low
