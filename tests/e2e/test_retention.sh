#!/usr/bin/env bash
# Retention: with periods of 0 days, what is due is destroyed at the next
# sweep (at start, then daily), the bytes are gone from the database and
# its WAL, every destruction is on the list, and the coordinator keeps only
# statistics, which the ledger still counts.
set -u
. "$(dirname "$0")/lib.sh"
trap finish EXIT
pool_create "$(mktemp -d)" almere hilversum zeist || exit 1
for node in coordinator almere hilversum zeist; do
    printf '\n[retention]\nnarrative = 0\nlabels = 0\ncase = 3650\ncoordinator = 0\n' \
        >>"$POOL/$node/mpoold.conf"
done
person coordinator coord coordinator
person almere hr1 hr
person almere aud auditor
person hilversum med-h mediator
person zeist med-z mediator
pool_start || exit 1
for who in hilversum:med-h zeist:med-z; do
    as "${who%%:*}" "${who#*:}" mediator register --specialty labour --language nl \
        --mfn-number "MfN-${who#*:}" --mfn-expiry 2030-01-01 --capacity 2 >/dev/null
done
wait_profiles 2

printf 'Retentiescan: het conflict van Fokje met haar afdeling\n' >"$POOL/narrative.txt"
c=$(as almere hr1 --json case post --domain labour --language nl --party almere \
    --parties <(echo "person:Fokje Bewaartermijn") --narrative "$POOL/narrative.txt" | json .case_id)
m=$(as almere hr1 --json case wait "$c" --state shortlisted | json '.shortlist[0].mediator_id')
mnode=${m%%:*} muser=${m#*:}
as almere hr1 case choose "$c" "$m" >/dev/null
as "$mnode" "$muser" offer wait "$c" --state offered >/dev/null
as "$mnode" "$muser" offer accept "$c" --no-conflict >/dev/null
as "$mnode" "$muser" offer wait "$c" --state in_mediation >/dev/null
expect "the mediator reads the narrative while mediating" \
    grep -q Retentiescan <<<"$(as "$mnode" "$muser" offer narrative "$c")"
as almere hr1 case close "$c" --outcome agreement --hours 2 >/dev/null
as "$mnode" "$muser" offer wait "$c" --state closed >/dev/null
expect_exit 3 "after close the mediator can no longer read it" \
    as "$mnode" "$muser" offer narrative "$c"
expect_eq "the mediator's sealed copies are gone, and on its node's destruction list" \
    "$(sqlite3 "$POOL/$mnode/mpool.db" "select count(*) from m_offers where case_id = '$c' and
        (sealed is not null or names is not null)")/$(sqlite3 "$POOL/$mnode/mpool.db" "select
        group_concat(kind, ',') from (select kind from destroyed where case_id = '$c'
        order by id)")" "0/sealed names of the parties,sealed narrative"
for node in coordinator almere "$mnode"; do synced "$node"; done
caught_up almere

bytes() { cat "$POOL/$1"/mpool.db* 2>/dev/null | grep -acF "$2"; }
expect "before the sweep the requesting node holds the narrative and the name" \
    test "$(bytes almere Retentiescan)" -gt 0 -a "$(bytes almere "Fokje Bewaartermijn")" -gt 0

# A restart sweeps; a journal retention of 1 s lets the coordinator's
# compaction drop the entries of the reduced case at once.
printf '\n[pool]\njournal_retention = 1\n' >>"$POOL/coordinator/mpoold.conf"
for node in almere coordinator; do
    node_stop "$node"
    node_start "$node"
    wait_node "$node"
done
expect_eq "after the sweep no byte of the narrative is left in almere's database or WAL" \
    "$(bytes almere Retentiescan)" 0
expect_eq "nor of the party's name" "$(bytes almere "Fokje Bewaartermijn")" 0
list=$(as almere aud --json audit destroyed | json "[.destroyed[] | select(.case_id == \"$c\") | .kind] | join(\",\")")
expect_eq "the destruction list names what went, by which rule" "$list" \
    "narrative,party names and notes"
expect "the rule is on the list" grep -q "\[retention\] narrative = 0 days after the case ended" \
    <<<"$(as almere aud audit destroyed)"
show=$(as almere hr1 --json case show "$c")
expect_eq "the case record stays, its outcome kept, the name blank" \
    "$(json '[.state, .outcome, (.parties | map(.label) | join("/"))] | join(" ")' <<<"$show")" \
    "closed agreement almere/"
expect_eq "the coordinator holds no row of the case any more" \
    "$(sqlite3 "$POOL/coordinator/mpool.db" "select count(*) from c_cases where case_id = '$c'") $(
        sqlite3 "$POOL/coordinator/mpool.db" "select count(*) from c_transitions where case_id = '$c'")" "0 0"
ledger=$(as coordinator coord --json pool ledger)
expect_eq "the ledger still counts its hours, from the statistics" \
    "$(json "[.municipalities[] | select(.id == \"almere\" or .id == \"$mnode\") | \"\(.id) \(.given_minutes) \(.received_minutes)\"] | join(\",\")" <<<"$ledger")" \
    "almere 0 120,$mnode 120 0"
gone() { sqlite3 "$POOL/coordinator/mpool.db" "select count(*) from c_journal where subject like '$c%'"; }
for _ in $(seq 100); do [ "$(gone)" = 0 ] && break; sleep 0.1; done
expect_eq "nor, once the journal's retention passed, any journal entry about it" "$(gone)" 0
head=$(journal_head almere)
c2=$(post_case almere hr1 --domain labour --language nl --party almere)
expect_eq "the journal goes on past the removed entries, and almere follows it" \
    "$(as almere hr1 --json case wait "$c2" --state shortlisted | json .state)/$(
        [ "$(journal_head almere)" -gt "$head" ] && echo on)" "shortlisted/on"
