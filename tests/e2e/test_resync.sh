#!/usr/bin/env bash
# Outages and resynchronisation: a node that was away replays the journal
# it missed, or catches up from the compacted journal (a snapshot of the
# last event of each case) when the gap is older than the retention; the
# coordinator takes the outboxes queued while it was down; and a node that
# finds the coordinator's journal started afresh follows the new one.
set -u
. "$(dirname "$0")/lib.sh"
standard_scenario
person hilversum hr-h hr
node_reload hilversum

cdb() { sqlite3 "$POOL/coordinator/mpool.db" "$@"; }
meta() { sqlite3 "$POOL/$1/mpool.db" "select value from meta where key = '$2'"; }

# ---- the coordinator is down: every node's outbox waits for it ----------
node_stop coordinator
a1=$(post_case almere hr1 --domain labour --language nl --party almere)
a2=$(post_case almere hr1 --domain labour --language nl --party almere)
h1=$(post_case hilversum hr-h --domain labour --language nl --party hilversum)
expect_eq "two nodes queue their cases while the coordinator is down" \
    "$(sqlite3 "$POOL/almere/mpool.db" 'select count(*) from m_outbox')+$(sqlite3 \
        "$POOL/hilversum/mpool.db" 'select count(*) from m_outbox')" "2+1"
node_start coordinator
wait_node coordinator
for c in "$a1" "$a2"; do
    expect_eq "queued case $c is shortlisted once the coordinator is back" \
        "$(as almere hr1 --json case wait "$c" --state shortlisted | json .state)" shortlisted
done
expect_eq "hilversum's queued case is shortlisted too" \
    "$(as hilversum hr-h --json case wait "$h1" --state shortlisted | json .state)" shortlisted
expect_eq "the coordinator stored each queued case once" \
    "$(cdb "select count(*) from c_cases where case_id in ('$a1', '$a2', '$h1')")" 3

# ---- replay: zeist is away while offers are made to its mediator --------
caught_up zeist
node_stop zeist
as almere hr1 case choose "$a1" zeist:med-z >/dev/null
as hilversum hr-h case choose "$h1" zeist:med-z >/dev/null
as almere hr1 case wait "$a1" --state offered >/dev/null
as hilversum hr-h case wait "$h1" --state offered >/dev/null
missed=$(($(journal_head zeist) - $(meta zeist coord_seq)))
node_start zeist
wait_node zeist
expect "zeist replays the journal it missed" caught_up zeist
expect_eq "both offers reached zeist's mediator" \
    "$(as zeist med-z --json offer list | json '[.offers[] | select(.state == "offered")] | length')" 2
expect_eq "zeist missed $missed entries and replayed them without a snapshot" \
    "$(grep -c 'were compacted' "$POOL/zeist/mpoold.log")" 0

# ---- an answer given while the coordinator is away counts once ----------
node_stop coordinator
as zeist med-z offer decline "$h1" --reason-code no-time --reason "no time this month" >/dev/null
expect_exit 3 "a second answer while the coordinator is away is refused at once" \
    as zeist med-z offer accept "$h1" --no-conflict
expect_eq "meanwhile the offer shows as answered" \
    "$(as zeist med-z --json offer list | json --arg c "$h1" '.offers[] | select(.case_id == $c) | .state')" \
    answered
node_start coordinator
wait_node coordinator
expect_eq "once the coordinator is back the answer takes effect" \
    "$(as zeist med-z --json offer wait "$h1" --state declined | json .state)" declined

# ---- snapshot: almere is away longer than the journal's retention -------
node_stop coordinator
printf 'journal_retention = 1\n' >>"$POOL/coordinator/mpoold.conf"
node_start coordinator
wait_node coordinator
caught_up almere
node_stop almere
# Two batch rounds send a2's shortlist twice, then zeist accepts a1: every
# subject but the last event of each case becomes compactable.
as coordinator coord pool round >/dev/null
as coordinator coord pool round >/dev/null
as zeist med-z offer accept "$a1" --no-conflict >/dev/null
for _ in $(seq 100); do
    [ "$(cdb "select coalesce(max(floor), 0) from c_journal_floor where dest = 'almere'")" -gt \
        "$(meta almere coord_seq)" ] && break
    sleep 0.1
done
expect "the coordinator compacted almere's journal past almere's position" \
    test "$(cdb "select floor from c_journal_floor where dest = 'almere'")" -gt "$(meta almere coord_seq)"
pos=$(meta almere coord_seq)
expect "old entries are gone, the last one of each case is kept" \
    test "$(cdb "select count(*) || ' ' || max(seq) from c_journal where dest = 'almere' and seq > $pos" |
        { read -r count last; echo $((last - pos - count)); })" -gt 0
node_start almere
wait_node almere
expect "almere catches up from the compacted journal" caught_up almere
expect "almere says it caught up from a snapshot" grep -q "were compacted" "$POOL/almere/mpoold.log"
expect_eq "the acceptance it missed still reaches it: the narrative goes out" \
    "$(as almere hr1 --json case wait "$a1" --state in_mediation | json .state)" in_mediation
expect_eq "the offer at zeist follows" \
    "$(as zeist med-z --json offer wait "$a1" --state in_mediation | json .state)" in_mediation
expect_eq "a2 is still shortlisted, with a shortlist" \
    "$(as almere hr1 --json case show "$a2" | json '.state + " " + (.shortlist | length > 0 | tostring)')" \
    "shortlisted true"
expect_eq "the journey continues: a2 can be chosen and offered" \
    "$(as almere hr1 case choose "$a2" hilversum:med-h >/dev/null &&
        as hilversum med-h --json offer wait "$a2" --state offered | json .state)" offered

# ---- the coordinator's journal starts afresh (a new epoch) --------------
caught_up almere
# Almere's retry timers are slowed down, so that only the new link itself
# can make it send again what the dead coordinator never stored.
node_stop almere
sed -i 's/^retry = .*/retry = 60000/' "$POOL/almere/mpoold.conf"
node_start almere
wait_node almere
old_epoch=$(meta almere coord_epoch)
old_seq=$(meta almere coord_seq)
cpid=$(cat "$POOL/coordinator/pid")
kill -STOP "$cpid"
inflight=$(post_case almere hr1 --domain labour --language nl --party almere)
sleep 0.3 # almere sends it into the frozen coordinator's socket
kill -KILL "$cpid"
wait "$cpid" 2>/dev/null
rm -f "$POOL/coordinator/pid"
mkdir "$POOL/coordinator/old"
mv "$POOL/coordinator"/mpool.db* "$POOL/coordinator/old/"
node_start coordinator
wait_node coordinator
expect "the members send their mediators' profiles to the new coordinator" wait_profiles 3
expect "almere logs that the coordinator's journal has a new epoch" \
    grep -q "journal has a new epoch" "$POOL/almere/mpoold.log"
expect "almere follows the new epoch" test "$(meta almere coord_epoch)" -gt "$old_epoch"
n1=$(post_case almere hr1 --domain labour --language nl --party almere)
expect_eq "a case posted after the reset is shortlisted from the new journal" \
    "$(as almere hr1 --json case wait "$n1" --state shortlisted | json .state)" shortlisted
# It may arrive before almere's mediator profiles do, and then be escalated:
# what counts is that it is not lost.
for _ in $(seq 100); do
    [ "$(cdb "select count(*) from c_cases where case_id = '$inflight'")" = 1 ] && break
    sleep 0.1
done
expect_eq "the case in flight when the coordinator died reaches the new one too" \
    "$(cdb "select count(*) from c_cases where case_id = '$inflight'")" 1
expect "the new coordinator learned where almere's outbox starts from its Fetch" \
    grep -q "almere: outbox epoch .* starts at" "$POOL/coordinator/mpoold.log"
expect "almere's position restarted in the new journal instead of trusting seq $old_seq" \
    test "$(meta almere coord_seq)" -lt "$old_seq"
for n in coordinator almere hilversum zeist; do
    expect_eq "$n's database passes the integrity check" \
        "$(sqlite3 "$POOL/$n/mpool.db" 'PRAGMA integrity_check')" ok
done
