#!/usr/bin/env bash
# A data subject's rights at the requesting node: an export of every case
# that names them, others redacted, and erasure from the cases that ended.
set -u
. "$(dirname "$0")/lib.sh"
standard_scenario
person almere priv privacy
node_reload almere

printf 'Inzagescan-een: Jan en Other\n' >"$POOL/one.txt"
printf 'Inzagescan-twee: Jan alleen\n' >"$POOL/two.txt"
ended=$(as almere hr1 --json case post --domain labour --language nl --party almere \
    --parties <(echo "person:Jan Inzage") --parties <(echo "person:Other Persoon") --narrative "$POOL/one.txt" |
    json .case_id)
running=$(as almere hr1 --json case post --domain labour --language nl --party almere \
    --parties <(echo "person:jan  INZAGE") --narrative "$POOL/two.txt" | json .case_id)
m=$(as almere hr1 --json case wait "$ended" --state shortlisted | json '.shortlist[0].mediator_id')
as almere hr1 case choose "$ended" "$m" >/dev/null
as "${m%%:*}" "${m#*:}" offer wait "$ended" --state offered >/dev/null
as "${m%%:*}" "${m#*:}" offer accept "$ended" --no-conflict >/dev/null
as almere hr1 case wait "$ended" --state in_mediation >/dev/null
as almere hr1 case close "$ended" --outcome agreement --hours 1 >/dev/null
as almere hr1 case wait "$ended" --state closed >/dev/null

export=$(as almere priv --json privacy export --person-file <(printf '%s\n' "Jan Inzage"))
expect_eq "the export finds both cases, also under another spelling of the name" \
    "$(json '[.cases[].case_id] | sort | join(",")' <<<"$export")" \
    "$(printf '%s\n' "$ended" "$running" | sort | paste -sd,)"
expect "the subject's own entry is in it" grep -q "Jan Inzage" <<<"$export"
expect_eq "the other person is redacted" "$(grep -c "Other Persoon" <<<"$export")" 0
expect_exit 3 "HR cannot export a person's data" as almere hr1 privacy export --person-file <(printf '%s\n' "Jan Inzage")
ref=$(json .pseudonym <<<"$export")
DB=$POOL/almere/mpool.db
expect_eq "the export is on the audit trail once per case returned, with the subject's pseudonym" \
    "$(sqlite3 "$DB" "select case_id || ' ' || result from audit where op = 'privacy.export' and case_id <> '' order by case_id" | paste -sd,)" \
    "$(printf '%s read, subject %s\n' "$ended" "$ref" "$running" "$ref" | sort | paste -sd,)"
expect_eq "no audit row holds the subject's name" \
    "$(sqlite3 "$DB" "select count(*) from audit where result like '%Inzage%' or user_id like '%Inzage%'")" 0

as almere med-a mediator relationship --parties <(printf '%s\n' "person:Jan Inzage") >/dev/null
erase=$(as almere priv --json privacy erase --person-file <(printf '%s\n' "Jan Inzage"))
expect_eq "erasure takes the ended case and keeps the running one" \
    "$(json '"\(.erased | join(",")) / \(.kept_running | join(","))"' <<<"$erase")" "$ended / $running"
expect_eq "it says what it kept: the running case and the mediator's declared relationship" \
    "$(json '[.kept[] | "\(.what) \(.case_id // .mediator)"] | join(",")' <<<"$erase")" \
    "case $running,relationship med-a"
words=$(as almere priv privacy erase --person-file <(printf '%s\n' "Jan Inzage"))
expect "in words, with why: the running case needs its parties" \
    grep -q "kept       case $running: the case is still running" <<<"$words"
expect "and the relationship keeps the mediator from the person's cases" \
    grep -q "kept       the relationship med-a declared: .*keeps them from being offered" <<<"$words"
labels=$(as almere hr1 --json case show "$ended" | json '[.parties[].label] | join("|")')
expect_eq "the subject's name is gone from the ended case, the other party's stays" "$labels" \
    "almere||Other Persoon"
# Two erasures ran (in JSON, then in words): each leaves its rows.
expect_eq "each erasure is on the audit trail per case, with the pseudonym and what was kept" \
    "$(sqlite3 "$DB" "select case_id || ' ' || result from audit where op = 'privacy.erase' and case_id <> '' order by case_id" | paste -sd,)" \
    "$(printf '%s\n' "$ended erased, subject $ref" "$ended erased, subject $ref" "$running kept: running, subject $ref" "$running kept: running, subject $ref" | sort | paste -sd,)"
bytes() { cat "$POOL/almere"/mpool.db* | grep -acF "$1"; }
expect_eq "the ended case's narrative is gone from the database and its WAL" \
    "$(bytes Inzagescan-een)" 0
expect "the running case's narrative stays" test "$(bytes Inzagescan-twee)" -gt 0
person almere aud auditor
node_reload almere
expect "the erasure is on the destruction list, with its reason" \
    grep -q "$ended.*AVG art. 17" <<<"$(as almere aud audit destroyed)"
