#!/usr/bin/env bash
# Every read and change of a case leaves a row in the node's audit trail,
# which only an auditor (or admin) reads, and which `mpoold audit-verify`
# checks for edited or removed rows.
set -u
. "$(dirname "$0")/lib.sh"
standard_scenario
person almere aud auditor
node_reload almere

c=$(post_case almere hr1 --domain labour --language nl --party almere --parties <(echo "person:J. Jansen"))
as almere hr1 case wait "$c" --state shortlisted >/dev/null
as almere hr1 case show "$c" >/dev/null
as almere hr1 case list >/dev/null
m=$(as almere hr1 --json case show "$c" | json '.shortlist[0].mediator_id')
as almere hr1 case choose "$c" "$m" >/dev/null
as almere hr1 case close "$c" --outcome agreement --hours 1 >/dev/null 2>&1 # refused: offered
as "${m%%:*}" "${m#*:}" offer wait "$c" --state offered >/dev/null
as "${m%%:*}" "${m#*:}" offer accept "$c" --no-conflict >/dev/null
as "${m%%:*}" "${m#*:}" offer wait "$c" --state in_mediation >/dev/null
as "${m%%:*}" "${m#*:}" offer narrative "$c" >/dev/null

trail=$(as almere aud --json audit --case "$c")
ops=$(json '[.entries[] | "\(.user) \(.op) \(.result)"] | unique | join(",")' <<<"$trail")
for row in "hr1 case.post ok" "hr1 case.show read" "hr1 case.choose ok" "hr1 case.close refused"; do
    expect "the trail holds '$row'" grep -qF "$row" <<<"${ops//,/$'\n'}"
done
# Each time the node seals the narrative, or the parties' names, to the
# mediator, a row says so: once each here.
sealed_rows() { json --arg op "$1" '[.entries[] | select(.op == $op) | .result] | join(",")' <<<"$trail"; }
expect_eq "the narrative's delivery is recorded once at the requesting node, with its recipient" \
    "$(sealed_rows narrative.deliver)" "sealed to $m"
expect_eq "and so is the sending of the parties' names to the offered mediator" \
    "$(sealed_rows names.deliver)" "sealed to $m"
expect_eq "reads of the whole list are recorded too" \
    "$(as almere aud --json audit --person hr1 | json '[.entries[] | select(.op == "case.list")] | length')" 1
mnode=${m%%:*}
person "$mnode" aud-m auditor
node_reload "$mnode"
expect_eq "the mediator's node records the narrative read" \
    "$(as "$mnode" aud-m --json audit --case "$c" | json '[.entries[] | select(.op == "offer.narrative")] | length')" 1
expect_exit 3 "HR cannot read the audit trail" as almere hr1 audit
expect "the audit trail is intact" "$MPOOLD" -c "$POOL/almere/mpoold.conf" audit-verify

# Tampering with the file, past the triggers that refuse it.
node_stop almere
sqlite3 "$POOL/almere/mpool.db" "DROP TRIGGER audit_no_update;
    UPDATE audit SET user_id = 'someone' WHERE id = 2"
out=$("$MPOOLD" -c "$POOL/almere/mpoold.conf" audit-verify)
rc=$?
expect_eq "an edited row is found (exit $rc)" "$out" "the audit trail of almere is broken: row 2 was changed: its hash does not match"
expect "a DELETE from the trail is refused by the database itself" \
    bash -c "! sqlite3 '$POOL/almere/mpool.db' 'DELETE FROM audit WHERE id = 1' 2>/dev/null"
