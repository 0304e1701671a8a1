#!/usr/bin/env bash
# What a municipality may not learn about other cases: whether a person it
# names was a party in a mediation elsewhere. A mediator kept out by such a
# private fact is counted with those who are unavailable or full.
set -u
. "$(dirname "$0")/lib.sh"
standard_scenario
person hilversum hr-h hr
node_reload hilversum

# almere's case with Gerrit Zwanenburg goes to zeist's mediator, who then
# has no room for another case.
as zeist med-z mediator register --specialty labour --language nl --mfn-number MfN-med-z \
    --mfn-expiry 2030-01-01 --capacity 1 >/dev/null
synced zeist
c=$(post_case almere hr1 --domain labour --language nl --party almere \
    --parties <(echo "person:Gerrit Zwanenburg"))
as almere hr1 case wait "$c" --state shortlisted >/dev/null
as almere hr1 case choose "$c" zeist:med-z >/dev/null
as zeist med-z offer wait "$c" --state offered >/dev/null
as zeist med-z offer accept "$c" --no-conflict >/dev/null
as almere hr1 case wait "$c" --state in_mediation >/dev/null

# hilversum names the same person in one case and a stranger in another.
exclusions() { # case id: its exclusion lines as HR see them
    as hilversum hr-h --json case wait "$1" --state shortlisted,escalated |
        json '[.excluded[] | "\(.count) \(.text)"] | join("; ")'
}
known=$(post_case hilversum hr-h --domain labour --language nl --party hilversum \
    --parties <(echo "person:Gerrit Zwanenburg"))
fresh=$(post_case hilversum hr-h --domain labour --language nl --party hilversum \
    --parties <(echo "person:Anna de Vries"))
expect_eq "a person with a mediation elsewhere and a stranger give the same exclusion lines" \
    "$(exclusions "$known")" "$(exclusions "$fresh")"
expect_eq "zeist's mediator is counted as not available for this case" \
    "$(as hilversum hr-h --json case show "$known" |
        json '.excluded[] | select(.reason == "not_available") | .count')" 1
considered=$(sqlite3 "$POOL/coordinator/mpool.db" "select json_extract(result,
    '\$.considered.prior_involvement') from c_rounds where case_id = '$known' order by id desc limit 1")
expect_eq "the coordinator's record of the ranking keeps the rule, for audit" "$considered" 1

# ---- Only codes leave the node ------------------------------------------
# A journey with a distinctive name in every text a person types. None of
# them may reach the coordinator (database, WAL, log), nor a node that
# neither typed it nor is its sealed recipient, nor any log line.
as zeist med-z mediator register --specialty labour --language nl --mfn-number MfN-med-z \
    --mfn-expiry 2030-01-01 --capacity 3 >/dev/null
synced zeist
printf 'Wubbo Narrativescan en zijn leidinggevende\n' >"$POOL/narrative.txt"
post_scan() {
    as almere hr1 --json case post --domain labour --language nl --party almere \
        --parties <(echo "person:Evertje Privacyscan") --narrative "$POOL/narrative.txt" | json .case_id
}
first_on() { as almere hr1 --json case wait "$1" --state shortlisted | json ".shortlist[$2].mediator_id"; }

# A: a veto, then a disclosure with a note, whose consent is refused.
a=$(post_scan)
vetoed=$(first_on "$a" 0)
expect "a veto with a code and HR's own words" \
    as almere hr1 case veto "$a" "$vetoed" --reason-code party-objects --reason "Gijsbert Vetoscan objects"
for _ in $(seq 100); do [ "$(first_on "$a" 0)" != "$vetoed" ] && break; sleep 0.1; done
m=$(first_on "$a" 0)
as almere hr1 case choose "$a" "$m" >/dev/null
as "${m%%:*}" "${m#*:}" offer wait "$a" --state offered >/dev/null
expect "a disclosure with the mediator's note" \
    as "${m%%:*}" "${m#*:}" offer accept "$a" --disclose relationship --note "Lammert Notescan was my client"
as almere hr1 case wait "$a" --state awaiting_consent >/dev/null
expect "a refused consent with a code and HR's own words" \
    as almere hr1 case consent "$a" "$m" --refuse --reason-code too-close --reason "Jacobus Consentscan refuses"
as almere hr1 case wait "$a" --state shortlisted,escalated >/dev/null
disclosed_by=${m%%:*}
expect_eq "the disclosure note reached the requesting node, opened" \
    "$(as almere hr1 --json case show "$a" | json .disclosure_note)" "Lammert Notescan was my client"

# B: a decline with the mediator's words, then a withdrawal.
b=$(post_scan)
m=$(first_on "$b" 0)
as almere hr1 case choose "$b" "$m" >/dev/null
as "${m%%:*}" "${m#*:}" offer wait "$b" --state offered >/dev/null
expect "a decline with a code and the mediator's own words" \
    as "${m%%:*}" "${m#*:}" offer decline "$b" --reason-code no-time --reason "Hendrika Declinescan is my neighbour"
declined_by=${m%%:*}
as almere hr1 case wait "$b" --state shortlisted,escalated >/dev/null
for _ in $(seq 100); do
    as almere hr1 --json case show "$b" | json '.notes[].text' | grep -q Declinescan && break
    sleep 0.1
done
expect "the decline note reached the requesting node, opened, as a note" \
    grep -q "Hendrika Declinescan is my neighbour" <<<"$(as almere hr1 --json case show "$b" | json '.notes[].text')"
as almere hr1 case withdraw "$b" --reason-code settled --reason "Ottolien Withdrawscan settled it" >/dev/null
as almere hr1 case wait "$b" --state withdrawn >/dev/null
expect_eq "HR's own words are kept as notes at the requesting node" \
    "$(as almere hr1 --json case show "$b" | json '[.notes[] | select(.author == "hr1") | "\(.step) \(.code) \(.text)"] | join("|")')" \
    "withdraw settled Ottolien Withdrawscan settled it"
expect "the history shows the code" \
    grep -q "withdrawn (settled)" <<<"$(as almere hr1 --json case show "$b" | json '.history[].reason')"

# C: the narrative travels, sealed, to the mediator who accepts.
c=$(post_scan)
m=$(first_on "$c" 0)
as almere hr1 case choose "$c" "$m" >/dev/null
as "${m%%:*}" "${m#*:}" offer wait "$c" --state offered >/dev/null
as "${m%%:*}" "${m#*:}" offer accept "$c" --no-conflict >/dev/null
as "${m%%:*}" "${m#*:}" offer wait "$c" --state in_mediation >/dev/null
expect "the accepting mediator reads the narrative" \
    grep -q "Wubbo Narrativescan" <<<"$(as "${m%%:*}" "${m#*:}" offer narrative "$c")"
for node in coordinator almere hilversum zeist; do synced "$node" 2>/dev/null || true; done
caught_up almere && caught_up hilversum && caught_up zeist

# found NODE WORD: the node's files (database, WAL, log) hold WORD.
found() { cat "$POOL/$1"/mpool.db* "$POOL/$1/mpoold.log" 2>/dev/null | grep -aqF "$2"; }
words="Evertje Privacyscan Wubbo Narrativescan Gijsbert Vetoscan Jacobus Consentscan Ottolien Withdrawscan Lammert Notescan Hendrika Declinescan"
leaks=""
for w in $words; do found coordinator "$w" && leaks="$leaks $w"; done
expect_eq "no name or typed reason reaches the coordinator's database, WAL or log" "$leaks" ""
for node in hilversum zeist; do
    leaks=""
    for w in $words; do
        case $w in # what this node's own mediator typed may be there
        Lammert | Notescan) [ "$node" = "$disclosed_by" ] && continue ;;
        Hendrika | Declinescan) [ "$node" = "$declined_by" ] && continue ;;
        esac
        found "$node" "$w" && leaks="$leaks $w"
    done
    expect_eq "$node holds none of the requester's names and words, and no other node's" "$leaks" ""
done
leaks=""
for node in coordinator almere hilversum zeist; do
    for w in $words; do grep -aqF "$w" "$POOL/$node/mpoold.log" && leaks="$leaks $node:$w"; done
done
expect_eq "no log line at any node holds a name or a typed reason" "$leaks" ""
expect "the requesting node keeps what its HR typed and what was sealed to it" \
    found almere "Gijsbert Vetoscan"
