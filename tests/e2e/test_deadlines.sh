#!/usr/bin/env bash
# Legal decision periods: set at the requesting node from the domain when
# a case is posted, moved only as far as the law allows, shown with the
# days left, listed soonest first; known to the coordinator, which lists
# cases at risk and lets no offer run into the decision date.
set -u
. "$(dirname "$0")/lib.sh"
trap finish EXIT
# Offers stay open for 30 days unless a decision date comes first.
OFFER_EXPIRY=2592000 DOMAINS="labour, citizen, objection, complaint, urgent" \
    pool_create "$(mktemp -d)" almere hilversum || exit 1
printf '\n[deadlines]\nobjection = objection\ncomplaint = complaint\nlabour = internal 10\n%s\n' \
    'urgent = internal 1' >>"$POOL/almere/mpoold.conf"
person coordinator coord coordinator
person almere hr1 hr
person hilversum med-h mediator
pool_start || exit 1
as hilversum med-h mediator register --specialty labour --language nl --mfn-number MfN-1 \
    --mfn-expiry 2030-01-01 --capacity 3 >/dev/null
wait_profiles 1 || exit 1

days_from_today() { echo $(($(date -ud "$1" +%s) / 86400 - $(date -u +%s) / 86400)); }
post() { as almere hr1 --json case post --no-narrative --language nl --party almere "$@" | json .case_id; }

obj=$(post --domain objection --period-start 2026-02-23)
show=$(as almere hr1 --json case show "$obj")
expect_eq "an objection period that ends on Easter Monday runs to the Tuesday" \
    "$(json '.deadline | "\(.kind) \(.start) \(.decide_by) \(.days_left)"' <<<"$show")" \
    "objection 2026-02-23 2026-04-07 $(days_from_today 2026-04-07)"
expect_exit 2 "an objection without the end of its objection period is refused" \
    as almere hr1 case post --no-narrative --domain objection --language nl --party almere
expect_exit 2 "a period start for a domain without a legal period is refused" \
    as almere hr1 case post --no-narrative --domain citizen --language nl --party almere --period-start 2026-02-23

expect "HR postpone the decision once, by six weeks" \
    as almere hr1 case deadline "$obj" --postpone 6w --reason-code complex-case
expect_eq "the decision date moves six weeks" \
    "$(as almere hr1 --json case show "$obj" | json .deadline.decide_by)" 2026-05-18
expect "the move is in the case's history, with its code" \
    grep -q "decision date moved from 2026-04-07 to 2026-05-18 (complex-case)" \
    <<<"$(as almere hr1 --json case show "$obj" | json '.history[].reason')"
expect_exit 3 "a second postponement is refused" \
    as almere hr1 case deadline "$obj" --postpone 7 --reason-code other
expect "a further postponement with the objector's consent is taken" \
    as almere hr1 case deadline "$obj" --extend 2w --reason-code objector-consented
expect_eq "it moves two more weeks" \
    "$(as almere hr1 --json case show "$obj" | json .deadline.decide_by)" 2026-06-01

cmp=$(post --domain complaint --period-start 2026-06-01 --committee)
expect_eq "a complaint with a committee has ten weeks" \
    "$(as almere hr1 --json case show "$cmp" | json .deadline.decide_by)" 2026-08-10
expect_exit 3 "a complaint cannot be postponed by more than four weeks" \
    as almere hr1 case deadline "$cmp" --postpone 5w --reason-code complex-case

lab=$(post --domain labour)
left=$(as almere hr1 --json case show "$lab" | json .deadline.days_left)
expect "an internal target of 10 working days lies 12 to 18 days ahead ($left)" \
    test "$left" -ge 12 -a "$left" -le 18
expect "case show calls an internal target the pool's own, not a legal period" \
    grep -q "days left; the pool's own target from " <<<"$(as almere hr1 case show "$lab")"
said=$(as almere hr1 case deadline "$lab")
expect "the notice's command, case deadline CASE as written, shows the date" \
    grep -q "^case $lab: decide by .* (.* days left); the pool's own target, not a legal date" <<<"$said"
plain=$(post --domain citizen)
expect_eq "a case without a period has no deadline" \
    "$(as almere hr1 --json case show "$plain" | json .deadline)" null

order=$(as almere hr1 --json case list | json '[.cases[].case_id] | join(",")')
expect_eq "the case list puts the soonest decision first, cases without one last" "$order" \
    "$obj,$cmp,$lab,$plain"
due=$(as almere hr1 --json case due --within 0 | json '[.cases[].case_id] | join(",")')
expect_eq "cases due (past their date included) are listed soonest first" "$due" "$obj,$cmp"

# ---- the notices of a near date -----------------------------------------
notice_of() { sqlite3 "$POOL/almere/mpool.db" "select detail from notices where kind = 'deadline' and case_id = '$1'"; }
for _ in $(seq 100); do [ -n "$(notice_of "$obj")" ] && break; sleep 0.1; done
expect "a legal date that has passed is noticed, and called legal" \
    grep -q "a legal decision date (objection)" <<<"$(notice_of "$obj")"
expect_eq "an internal target of 10 working days is not near on the day it is set" "$(notice_of "$lab")" ""
ex=$(as almere hr1 case deadline "$obj")
expect "case deadline CASE runs as the mail names it, for a legal date too" \
    grep -q "a legal decision date" <<<"$ex"

# ---- at the coordinator ------------------------------------------------
synced almere || exit 1
stuck() { as coordinator coord --json pool stuck "$@"; }
expect_eq "the coordinator holds the moved decision date, not the first one" \
    "$(stuck --within 0 | json --arg c "$obj" '.cases[] | select(.case_id == $c) | .decide_by')" \
    2026-06-01
expect_eq "pool stuck lists the cases past their date as at risk, soonest first" \
    "$(stuck --within 0 | json '[.cases[] | select(.at_risk) | .case_id] | join(",")')" "$obj,$cmp"
expect_eq "within 30 days the internal target is at risk too; a case without a date is not" \
    "$(stuck --within 30 | json '[.cases[] | select(.at_risk) | .case_id] | join(",")')" \
    "$obj,$cmp,$lab"
expect "the text table shows the date and the days left" \
    grep -q "$(as almere hr1 --json case show "$lab" | json .deadline.decide_by) ($left days) at risk" \
    <<<"$(as coordinator coord pool stuck --within 30)"

# An offer on a case due in a working day ends when the decision day starts.
urg=$(post --domain urgent)
by=$(as almere hr1 --json case show "$urg" | json .deadline.decide_by)
as almere hr1 --json case wait "$urg" --state shortlisted >/dev/null
as almere hr1 case choose "$urg" hilversum:med-h >/dev/null
expires=$(as hilversum med-h --json offer wait "$urg" --state offered | json .expires_ms)
expect_eq "the offer expires at the start of the decision date ($by), not in 30 days" \
    "$expires" "$(($(date -ud "$by" +%s) * 1000))"
for _ in $(seq 100); do [ -n "$(notice_of "$urg")" ] && break; sleep 0.1; done
expect_eq "a target of one working day is near at once, as the pool's own target" \
    "$(notice_of "$urg")" "$by, the pool's own target"
expect "the coordinator's record shows the moved date with its code, and no words" \
    test "$(sqlite3 "$POOL/coordinator/mpool.db" "select reason from c_transitions where case_id = '$obj' and reason like 'decision date%' order by id" | tr '\n' ';')" \
    = "decision date moved to 2026-05-18 (complex-case);decision date moved to 2026-06-01 (objector-consented);"

# An edit before any offer computes the period afresh from its new start,
# at the node and at the coordinator.
ed=$(post --domain objection --period-start 2026-02-23)
as almere hr1 case wait "$ed" --state shortlisted >/dev/null
before=$(as almere hr1 --json case show "$ed" | json .deadline.decide_by)
as almere hr1 case edit "$ed" --period-start 2026-03-09 >/dev/null
after=$(as almere hr1 --json case show "$ed" | json .deadline.decide_by)
expect "an edited period start moves the decision date two weeks on ($before -> $after)" \
    test "$(( ($(date -ud "$after" +%s) - $(date -ud "$before" +%s)) / 86400 ))" -ge 13
for _ in $(seq 50); do
    [ "$(sqlite3 "$POOL/coordinator/mpool.db" "select date(decide_by * 86400, 'unixepoch') from c_cases where case_id = '$ed'")" = "$after" ] && break
    sleep 0.1
done
expect_eq "and the coordinator holds the new date" \
    "$(sqlite3 "$POOL/coordinator/mpool.db" "select date(decide_by * 86400, 'unixepoch') from c_cases where case_id = '$ed'")" "$after"
