#!/usr/bin/env bash
# Legal decision periods at the requesting node: set from the domain when
# a case is posted, moved only as far as the law allows, shown with the
# days left, listed soonest first.
set -u
. "$(dirname "$0")/lib.sh"
trap finish EXIT
pool_create "$(mktemp -d)" almere hilversum || exit 1
printf '\n[deadlines]\nobjection = objection\ncomplaint = complaint\nlabour = internal 10\n' \
    >>"$POOL/almere/mpoold.conf"
person coordinator coord coordinator
person almere hr1 hr
pool_start || exit 1

days_from_today() { echo $(($(date -ud "$1" +%s) / 86400 - $(date -u +%s) / 86400)); }
post() { as almere hr1 --json case post --language nl --party almere "$@" | json .case_id; }

obj=$(post --domain objection --period-start 2026-02-23)
show=$(as almere hr1 --json case show "$obj")
expect_eq "an objection period that ends on Easter Monday runs to the Tuesday" \
    "$(json '.deadline | "\(.kind) \(.start) \(.decide_by) \(.days_left)"' <<<"$show")" \
    "objection 2026-02-23 2026-04-07 $(days_from_today 2026-04-07)"
expect_exit 2 "an objection without the end of its objection period is refused" \
    as almere hr1 case post --domain objection --language nl --party almere
expect_exit 2 "a period start for a domain without a legal period is refused" \
    as almere hr1 case post --domain citizen --language nl --party almere --period-start 2026-02-23

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
plain=$(post --domain citizen)
expect_eq "a case without a period has no deadline" \
    "$(as almere hr1 --json case show "$plain" | json .deadline)" null

order=$(as almere hr1 --json case list | json '[.cases[].case_id] | join(",")')
expect_eq "the case list puts the soonest decision first, cases without one last" "$order" \
    "$obj,$cmp,$lab,$plain"
due=$(as almere hr1 --json case due --within 0 | json '[.cases[].case_id] | join(",")')
expect_eq "cases due (past their date included) are listed soonest first" "$due" "$obj,$cmp"
