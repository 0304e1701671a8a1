#!/usr/bin/env bash
# Nodes and the coordinator stopped mid-journey catch up when they return,
# and the state survives restarts.
set -u
. "$(dirname "$0")/lib.sh"
standard_scenario

# The coordinator is down while a case is posted: the outbox keeps it.
node_stop coordinator
c=$(post_case almere hr1 --domain labour --language nl --party almere --party hilversum)
expect "a case can be posted while the coordinator is down" test -n "$c"
sleep 0.5
node_start coordinator
wait_node coordinator
show=$(as almere hr1 --json case wait "$c" --state shortlisted)
expect_eq "after the coordinator returns the case is shortlisted" "$(json .state <<<"$show")" \
    shortlisted

# The mediator's node is down when the offer is made.
node_stop zeist
as almere hr1 case choose "$c" zeist:med-z >/dev/null
as almere hr1 case wait "$c" --state offered >/dev/null
node_start zeist
wait_node zeist
expect_eq "a mediator's node that was down receives the offer when it returns" \
    "$(as zeist med-z --json offer wait "$c" --state offered | json .state)" offered

# The requesting node is down when the mediator accepts.
node_stop almere
as zeist med-z offer accept "$c" --no-conflict >/dev/null
sleep 0.5
node_start almere
wait_node almere
expect_eq "the requesting node catches up and sends the narrative" \
    "$(as almere hr1 --json case wait "$c" --state in_mediation | json .state)" in_mediation

# Everything survives a restart of the whole pool.
pool_stop
expect "mpoold stops cleanly on SIGTERM" grep -q "info  coordinator: stopped" "$POOL/coordinator/mpoold.log"
pool_start
expect_eq "state survives a restart" "$(as almere hr1 --json case show "$c" | json .state)" \
    in_mediation
for n in coordinator almere hilversum zeist; do
    expect_eq "$n's database passes the integrity check" \
        "$(sqlite3 "$POOL/$n/mpool.db" 'PRAGMA integrity_check')" ok
done
expect_eq "the outboxes are empty once acknowledged" \
    "$(sqlite3 "$POOL/almere/mpool.db" 'select count(*) from m_outbox')" 0
