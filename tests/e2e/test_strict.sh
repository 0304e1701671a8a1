#!/usr/bin/env bash
# What another client may send that mpool never would: the node refuses
# it before it answers OK or queues anything, naming what is wrong, and
# the case journey goes on as the journey table says.
set -u
. "$(dirname "$0")/lib.sh"
standard_scenario

RAW=$(realpath "$BUILD/tools/rawclient")
conf=$POOL/almere/people/hr1.conf
raw() { "$RAW" "$conf" "$@"; }
# The last outbox seq used: it moves with every message queued, acknowledged or not.
out_seq() { sqlite3 "$POOL/almere/mpool.db" "select coalesce(max(value), 0) from meta where key = 'out_seq'"; }
# raw_refused CODE DESCRIPTION WORDS OP ARGS [BLOB]: refused with CODE, the
# answer names WORDS, and nothing was queued for the coordinator.
raw_refused() {
    local code=$1 desc=$2 words=$3 out rc before
    shift 3
    before=$(out_seq)
    out=$(raw "$@" 2>&1)
    rc=$?
    if [ $rc -eq "$code" ] && grep -qF -- "$words" <<<"$out" && [ "$(out_seq)" = "$before" ]; then
        ok "$desc ($out)"
    else
        notok "$desc (exit $rc, want $code naming '$words', outbox seq $before -> $(out_seq): $out)"
    fi
}

parties='"parties":[{"kind":"municipality","value":"almere"}]'
raw_refused 2 "an unknown argument is refused, and named" "requires_certifed" \
    case.post "{\"domain\":\"labour\",\"language\":\"nl\",$parties,\"requires_certifed\":true}"
raw_refused 2 "a yes/no argument given as text is refused" "requires_certified" \
    case.post "{\"domain\":\"labour\",\"language\":\"nl\",$parties,\"requires_certified\":\"yes\"}"
raw_refused 2 "a number given as text is refused" "seats" \
    case.post "{\"domain\":\"labour\",\"language\":\"nl\",$parties,\"seats\":\"2\"}"
raw_refused 2 "a party of an unknown kind is refused" "kind" \
    case.post "{\"domain\":\"labour\",\"language\":\"nl\",\"parties\":[{\"kind\":\"dog\",\"value\":\"x\"}]}"
raw_refused 2 "a case without its narrative is refused unless it says so" "no-narrative" \
    case.post "{\"domain\":\"labour\",\"language\":\"nl\",$parties}"
printf 'de partijen \377\376 spreken\n' >"$POOL/latin1.txt"
raw_refused 2 "a narrative that is not UTF-8 is refused" "UTF-8" \
    case.post "{\"domain\":\"labour\",\"language\":\"nl\",$parties}" "$POOL/latin1.txt"
printf 'regel een\n\tregel twee\r\nregel drie\n' >"$POOL/lines.txt"
out=$(raw case.post "{\"domain\":\"labour\",\"language\":\"nl\",$parties}" "$POOL/lines.txt")
expect "a narrative with line breaks and tabs is taken" grep -q '^OK ' <<<"$out"
raw_refused 2 "an unknown argument of a reading operation is refused too" "colour" \
    case.list '{"colour":"red"}'
raw_refused 2 "an unknown argument of a step is refused" "urgent" \
    case.withdraw '{"case_id":"almere-00000000","reason_code":"settled","urgent":true}'
raw_refused 2 "a reason code not on the step's list is refused, with the list" "party-objects" \
    case.veto '{"case_id":"almere-00000000","mediator_id":"zeist:med-z","reason_code":"Gerrit objects"}'
mconf=$POOL/zeist/people/med-z.conf
out=$("$RAW" "$mconf" offer.decline '{"case_id":"almere-00000000","reason_code":"no-time","note":"x"}')
expect_eq "an argument of another step is refused at a mediator's answer" "$out" \
    "2: offer.decline: unknown argument 'note'; see docs/protocol.md for the arguments of this operation"
out=$("$RAW" "$mconf" mediator.register '{"specialties":["labour"],"languages":["nl"],"mfn_number":"1","mfn_expiry":"2030-01-01","capacity":"2"}')
expect_eq "a number given as text is refused in a profile" "$out" \
    "2: mediator.register: argument 'capacity' must be a whole number from 0 to 20"

# The lost veto: a reason with an ESC was once answered OK by the node and
# then dropped by the coordinator, and the vetoed mediator was offered the
# case later.
c=$(post_case almere hr1 --domain labour --language nl --party almere)
as almere hr1 case wait "$c" --state shortlisted >/dev/null
med=$(as almere hr1 --json case show "$c" | json '.shortlist[0].mediator_id')
raw_refused 2 "a veto whose reason holds an ESC is refused at the node" "reason" \
    case.veto "{\"case_id\":\"$c\",\"mediator_id\":\"$med\",\"reason_code\":\"knows-mediator\",\"reason\":\"knows \\u001b[2J her\"}"
expect_eq "the case is still shortlisted with that mediator on the list" \
    "$(as almere hr1 --json case show "$c" | json "[.state, (.shortlist | map(.mediator_id) | index(\"$med\") != null)] | join(\" \")")" \
    "shortlisted true"
expect "the same veto with a clean reason is taken" \
    raw case.veto "{\"case_id\":\"$c\",\"mediator_id\":\"$med\",\"reason_code\":\"knows-mediator\",\"reason\":\"knows her\"}"
for _ in $(seq 100); do
    as almere hr1 --json case show "$c" | json '.history[].reason' | grep -q "vetoed by a party" && break
    sleep 0.1
done
list=$(as almere hr1 --json case show "$c" | json '[.shortlist[].mediator_id] | join(",")')
expect "the vetoed mediator is off the new shortlist" test "${list/$med/}" = "$list"
expect_exit 3 "and cannot be chosen any more" as almere hr1 case choose "$c" "$med"
next=${list%%,*}
if [ -n "$next" ]; then
    as almere hr1 case choose "$c" "$next" >/dev/null
    as almere hr1 case wait "$c" --state offered >/dev/null
    expect_eq "the case is offered to another mediator, never the vetoed one" \
        "$(as almere hr1 --json case show "$c" | json .mediator_id)" "$next"
fi

# A step the coordinator refuses after all (its state moved on) shows in
# the case's history: here a choice queued while the coordinator already
# holds a withdrawal of the same case cannot be taken.
c=$(post_case almere hr1 --domain labour --language nl --party almere)
as almere hr1 case wait "$c" --state shortlisted >/dev/null
med=$(as almere hr1 --json case show "$c" | json '.shortlist[0].mediator_id')
node_stop coordinator
as almere hr1 case withdraw "$c" --reason-code settled --reason "settled by phone" >/dev/null
sqlite3 "$POOL/almere/mpool.db" "update m_cases set state = 'shortlisted' where case_id = '$c'"
as almere hr1 case choose "$c" "$med" >/dev/null
node_start coordinator
wait_node coordinator
for _ in $(seq 100); do
    as almere hr1 --json case show "$c" | json '.history[].reason' | grep -q '^refused: ' && break
    sleep 0.1
done
expect_eq "the coordinator's refusal is in the case's history at the requester" \
    "$(as almere hr1 --json case show "$c" | json '[.history[].reason | select(startswith("refused: "))][0]')" \
    "refused: the case is not waiting for a choice"
expect_eq "and the case shows what the coordinator holds" \
    "$(as almere hr1 --json case show "$c" | json .state)" withdrawn

# A refusal while the case waits for a choice keeps its shortlist at the
# requester: HR can still choose. (The node's copy is put behind by hand,
# as if a step had crossed another one.)
c=$(post_case almere hr1 --domain labour --language nl --party almere)
as almere hr1 case wait "$c" --state shortlisted >/dev/null
med=$(as almere hr1 --json case show "$c" | json '.shortlist[0].mediator_id')
sqlite3 "$POOL/almere/mpool.db" \
    "update m_cases set state = 'awaiting_consent', mediator_id = '$med',
     seat_list = json_array(json_object('mediator_id', '$med', 'state', 'awaiting_consent'))
     where case_id = '$c'"
as almere hr1 case consent "$c" "$med" >/dev/null
for _ in $(seq 100); do
    as almere hr1 --json case show "$c" | json '.history[].reason' | grep -q '^refused: ' && break
    sleep 0.1
done
show=$(as almere hr1 --json case show "$c")
expect_eq "the refused consent is in the history" \
    "$(json '[.history[].reason | select(startswith("refused: "))][0]' <<<"$show")" \
    "refused: no disclosure of that mediator awaits the parties' consent"
expect_eq "and the case is shortlisted with its shortlist intact" \
    "$(json '[.state, (.shortlist | length > 0)] | join(" ")' <<<"$show")" "shortlisted true"
expect "HR can choose from it" as almere hr1 case choose "$c" "$med"
