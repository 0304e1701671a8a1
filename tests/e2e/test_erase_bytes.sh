#!/usr/bin/env bash
# An erasure leaves nothing behind, even with a reader holding the
# database open: the node answers at once, and once the reader is gone no
# byte of the name, of the mediator's disclosure note or of the narrative
# is left in the database, its WAL or its shared memory file. The
# coordinator's journal keeps no sealed narrative of the ended case.
set -u
. "$(dirname "$0")/lib.sh"
standard_scenario
person almere priv privacy
node_reload almere

# A narrative long enough that any journal entry that carries it, sealed,
# stands out by its size.
{
    printf 'Wisscanverhaal: Gerrit en zijn team\n'
    for _ in $(seq 80); do printf 'Wisscanregel met woorden over het conflict op de afdeling.\n'; done
} >"$POOL/narrative.txt"
long=$(wc -c <"$POOL/narrative.txt")
c=$(post_case almere hr1 --domain labour --language nl --party almere \
    --parties <(printf '%s\n' "person:Gerrit Wisbaar") --narrative "$POOL/narrative.txt")
m=$(as almere hr1 --json case wait "$c" --state shortlisted | json '.shortlist[0].mediator_id')
as almere hr1 case choose "$c" "$m" >/dev/null
med "$m" offer wait "$c" --state offered >/dev/null
med "$m" offer accept "$c" --disclose relationship --note "Ik ken Hendrika Derdepersoon" >/dev/null
as almere hr1 case wait "$c" --state awaiting_consent >/dev/null
as almere hr1 case consent "$c" "$m" >/dev/null
as almere hr1 case wait "$c" --state in_mediation >/dev/null
expect "the mediator reads the narrative" grep -q Wisscanverhaal <<<"$(med "$m" offer narrative "$c")"
as almere hr1 case close "$c" --outcome agreement --hours 1 >/dev/null
as almere hr1 case wait "$c" --state closed >/dev/null
for node in almere coordinator "${m%%:*}"; do synced "$node"; done
caught_up almere

db=$POOL/almere/mpool.db
# The count of each of the three in the raw bytes of the files.
bytes() {
    local what
    for what in "Gerrit Wisbaar" "Hendrika Derdepersoon" Wisscanverhaal; do
        cat "$db" "$db-wal" "$db-shm" 2>/dev/null | grep -acF "$what"
    done | paste -sd' '
}
expect "before the erasure the node holds the name, the note and the narrative" \
    test "$(bytes | tr ' ' '\n' | grep -c '^0$')" = 0
expect "the note is in the case's seats" \
    test "$(sqlite3 "$db" "select instr(seat_list, 'Derdepersoon') > 0 from m_cases
        where case_id = '$c'")" = 1

# A reader holding a read transaction, for at most a minute.
exec 7> >(exec timeout 60 sqlite3 "$db" >"$POOL/reader.out" 2>&1)
echo "BEGIN; SELECT 'reading', count(*) FROM m_cases;" >&7
for _ in $(seq 100); do grep -q reading "$POOL/reader.out" && break; sleep 0.05; done
expect "the reader holds a read transaction" grep -q reading "$POOL/reader.out"

ms() { date +%s%3N; }
t0=$(ms)
erase=$(as almere priv --json privacy erase --person-file <(printf '%s\n' "Gerrit Wisbaar"))
t1=$(ms)
show=$(as almere hr1 --json case show "$c")
t2=$(ms)
expect_eq "the erasure takes the ended case" "$(json '.erased | join(",")' <<<"$erase")" "$c"
expect "the erasure answers at once with the reader open (took $((t1 - t0)) ms)" \
    test $((t1 - t0)) -lt 2000
expect "and the node answers the next request at once (took $((t2 - t1)) ms)" \
    test $((t2 - t1)) -lt 2000
expect_eq "the case keeps its record, without the name or the note" \
    "$(json '[.state, (.parties | map(.label) | join("/")), (.disclosure_note // "")] | join(" ")' \
        <<<"$show")" "closed almere/ "
expect "the node says a reader holds up the checkpoint" \
    grep -q "a reader holds the WAL" "$POOL/almere/mpoold.log"

exec 7>&-
for _ in $(seq 100); do [ "$(bytes)" = "0 0 0" ] && break; sleep 0.1; done
expect_eq "once the reader is gone, no byte of the name, the note or the narrative is left in the database, its WAL or its shared memory" \
    "$(bytes)" "0 0 0"
expect "the node says the WAL is truncated" \
    grep -q "the WAL is truncated" "$POOL/almere/mpoold.log"
expect_eq "the note is gone from the case's seats" \
    "$(sqlite3 "$db" "select instr(seat_list, 'Derdepersoon') > 0 or instr(seat_list, '\"note\"') > 0
        from m_cases where case_id = '$c'")" 0

# The coordinator: no entry of the ended case is as long as the sealed
# narrative, and none of the words are in its files.
coord=$POOL/coordinator/mpool.db
longest() {
    sqlite3 "$coord" "select coalesce(max(length(frame)), 0) from c_journal
        where subject like '$c%'"
}
for _ in $(seq 100); do [ "$(longest)" -lt "$long" ] && break; sleep 0.1; done
expect "the coordinator's journal holds no sealed narrative of the ended case (longest entry $(longest) bytes, narrative $long)" \
    test "$(longest)" -lt "$long"
expect_eq "nor any of the words in the coordinator's files" \
    "$(cat "$coord" "$coord-wal" 2>/dev/null | grep -acE 'Gerrit Wisbaar|Derdepersoon|Wisscan')" 0

# A stripped entry still replays: the mediator's node reads its journal
# again from the start and comes to the same end, without the narrative.
mnode=${m%%:*}
expect "the coordinator says it stripped the sealed bytes of ended cases" \
    grep -q "journal: stripped the sealed bytes from" "$POOL/coordinator/mpoold.log"
node_stop "$mnode"
sqlite3 "$POOL/$mnode/mpool.db" "update meta set value = 0 where key = 'coord_seq'"
node_start "$mnode"
wait_node "$mnode"
caught_up "$mnode"
expect_eq "after the replay the mediator's offer is closed, with no sealed copy" \
    "$(sqlite3 "$POOL/$mnode/mpool.db" "select state || ' ' || (sealed is null) || (names is null)
        from m_offers where case_id = '$c'")" "closed 11"
expect_eq "and the mediator cannot read the narrative" "$(med "$m" offer narrative "$c" >/dev/null 2>&1
    echo $?)" 3
