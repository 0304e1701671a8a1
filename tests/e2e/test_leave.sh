#!/usr/bin/env bash
# A municipality leaves the pool: once it is dropped from the coordinator's
# roster.ini and the coordinator reloads, its mediators are retired and no
# shortlist, choice or override names them again.
set -u
. "$(dirname "$0")/lib.sh"
standard_scenario

shortlist_of() {
    as almere hr1 --json case show "$1" | json '[.shortlist[].mediator_id] | join(",")'
}
c=$(post_case almere hr1 --domain labour --language nl --party almere)
as almere hr1 case wait "$c" --state shortlisted >/dev/null
expect "before: zeist's mediator is on the shortlist" grep -q "zeist:med-z" <<<"$(shortlist_of "$c")"

# An offer to zeist's mediator is open when zeist leaves.
c0=$(post_case almere hr1 --domain labour --language nl --party almere)
as almere hr1 case wait "$c0" --state shortlisted >/dev/null
as almere hr1 case choose "$c0" zeist:med-z >/dev/null
as almere hr1 case wait "$c0" --state offered >/dev/null

# zeist leaves the roster; only the coordinator reloads (the other nodes
# read the same file, but only when they reload).
cp "$POOL/roster.ini" "$POOL/roster.full"
awk '/^\[/{keep = ($0 != "[zeist]")} keep' "$POOL/roster.full" >"$POOL/roster.ini"
node_reload coordinator
expect "the coordinator logs that zeist's mediator is retired" \
    grep -q "mediator zeist:med-z retired: their municipality is no longer in the roster" \
    "$POOL/coordinator/mpoold.log"

show=$(as almere hr1 --json case wait "$c0" --state shortlisted,escalated)
expect "the open offer to zeist's mediator ends: the case is ranked again without them" \
    grep -q "zeist:med-z's municipality left the pool" <<<"$(json '.history[].reason' <<<"$show")"
expect_eq "and zeist's mediator is not on its new shortlist" \
    "$(json '.shortlist | map(.mediator_id) | index("zeist:med-z")' <<<"$show")" null

c2=$(post_case almere hr1 --domain labour --language nl --party almere)
as almere hr1 case wait "$c2" --state shortlisted,escalated >/dev/null
list=$(shortlist_of "$c2")
expect "a new shortlist leaves zeist's mediator out ($list)" test "${list/zeist:/}" = "$list"
# The old shortlist still names zeist's mediator at almere's node: the
# choice goes out, and the coordinator takes the case to a new shortlist.
as almere hr1 case choose "$c" zeist:med-z >/dev/null
for _ in $(seq 100); do
    as almere hr1 --json case show "$c" | json '.history[].reason' |
        grep -q "zeist:med-z is no longer eligible" && break
    sleep 0.1
done
expect "a choice from the old shortlist is answered: no longer eligible" \
    grep -q "zeist:med-z is no longer eligible" \
    <<<"$(as almere hr1 --json case show "$c" | json '.history[].reason')"
expect_eq "the case went back to a shortlist without zeist's mediator" \
    "$(as almere hr1 --json case show "$c" | json '[.state, (.shortlist | map(.mediator_id) | index("zeist:med-z") == null)] | join(" ")')" \
    "shortlisted true"
expect_exit 4 "an override to zeist's mediator finds no such mediator in the pool" \
    as coordinator coord pool override "$c2" zeist:med-z --reason "independent route"

# Back in the roster: the mediator is proposed again.
cp "$POOL/roster.full" "$POOL/roster.ini"
node_reload coordinator
expect "the coordinator logs that zeist's mediator is back" \
    grep -q "mediator zeist:med-z is back" "$POOL/coordinator/mpoold.log"
c3=$(post_case almere hr1 --domain labour --language nl --party almere)
as almere hr1 case wait "$c3" --state shortlisted >/dev/null
expect "a new shortlist names zeist's mediator again" grep -q "zeist:med-z" <<<"$(shortlist_of "$c3")"
