#!/usr/bin/env bash
# An offer nobody answers expires after the configured time, and the case
# goes back to the parties without that mediator.
set -u
. "$(dirname "$0")/lib.sh"
trap finish EXIT
OFFER_EXPIRY=2 standard_pool "$(mktemp -d)" || { echo "not ok - pool did not start"; exit 1; }

c=$(post_case almere hr1 --domain labour --language nl --party almere)
m=$(as almere hr1 --json case wait "$c" --state shortlisted | json '.shortlist[0].mediator_id')
as almere hr1 case choose "$c" "$m" >/dev/null
as "${m%%:*}" "${m#*:}" offer wait "$c" --state offered >/dev/null
expect_eq "an unanswered offer expires" \
    "$(as "${m%%:*}" "${m#*:}" --json offer wait "$c" --state expired --timeout-wait 10 | json .state)" \
    expired
show=$(as almere hr1 --json case wait "$c" --state shortlisted)
list=$(json '[.shortlist[].mediator_id] | join(",")' <<<"$show")
expect "after expiry the case is shortlisted again without that mediator" \
    test "${list/$m/}" = "$list"
expect "the history records the expiry" \
    test "$(json '[.history[] | select(.reason | contains("expired"))] | length' <<<"$show")" -ge 1
expect_exit 3 "an expired offer can no longer be accepted" \
    as "${m%%:*}" "${m#*:}" offer accept "$c" --no-conflict
expect "the shortlist says why they are off it: they let the offer expire" \
    grep -q "1 let the offer expire" <<<"$(as almere hr1 case show "$c")"
# A lapsed offer is not a decline: the coordinator may offer the case to
# that mediator again.
expect_eq "the coordinator may offer the case again to the mediator who let it expire" \
    "$(as coordinator coord --json pool override "$c" "$m" --reason "nu wel bereikbaar" | json .state)" \
    offered
