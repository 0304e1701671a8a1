#!/usr/bin/env bash
# A case for two mediators: the parties choose two from two municipalities,
# each answers on their own, a decline opens only that seat, both read the
# narrative, and the close credits each municipality with its own hours.
set -u
. "$(dirname "$0")/lib.sh"
trap finish EXIT
pool_create "$(mktemp -d)" almere hilversum zeist amersfoort ||
    { echo "not ok - pool did not start"; exit 1; }
person coordinator coord coordinator
person almere hr1 hr
mediators="hilversum:med-h hilversum:med-h2 zeist:med-z amersfoort:med-f"
# shellcheck disable=SC2086 # a list of ids
mediator_people $mediators
pool_start || { echo "not ok - pool did not start"; exit 1; }
# shellcheck disable=SC2086
register_mediators $mediators
story='Het geschil over de roosters van het klantcontactcentrum'
printf '%s\n' "$story" >"$POOL/story.txt"

c=$(post_case almere hr1 --domain labour --language nl --party almere --seats 2 \
    --narrative "$POOL/story.txt")
as almere hr1 case wait "$c" --state shortlisted >/dev/null

# 1. The parties choose two mediators, from two municipalities.
expect_exit 3 "two mediators of one municipality are refused" \
    as almere hr1 case choose "$c" hilversum:med-h hilversum:med-h2
expect_exit 2 "the same mediator twice is a usage error" \
    as almere hr1 case choose "$c" zeist:med-z zeist:med-z
expect_eq "the parties choose two mediators" \
    "$(as almere hr1 --json case choose "$c" hilversum:med-h zeist:med-z | json .state)" chosen
expect_eq "the first gets an offer" \
    "$(med hilversum:med-h --json offer wait "$c" --state offered | json .state)" offered
expect_eq "and so does the second" \
    "$(med zeist:med-z --json offer wait "$c" --state offered | json .state)" offered
expect_eq "the case waits for both answers" \
    "$(as almere hr1 --json case wait "$c" --state offered | json '[.mediators[].state] | join(",")')" \
    offered,offered
expect_exit 3 "a third mediator is refused: no seat is open" \
    as almere hr1 case choose "$c" amersfoort:med-f

# 2. One declines: only that seat opens again.
expect_eq "the decline says what the mediator did" \
    "$(med zeist:med-z offer decline "$c" --reason-code no-time --reason "vol tot maart")" \
    "case $c: you declined the offer (no-time); the pool will offer the case to someone else"
show=$(as almere hr1 --json case wait "$c" --state shortlisted)
for _ in $(seq 100); do
    as almere hr1 case show "$c" | grep -q "decline (no-time) by zeist/med-z: vol tot maart" && break
    sleep 0.1
done
expect "HR's case show lists the mediator's sealed note with the step and code" \
    grep -q "decline (no-time) by zeist/med-z: vol tot maart" <<<"$(as almere hr1 case show "$c")"
expect_eq "after a decline the other mediator keeps their seat" \
    "$(json '[.mediators[] | .mediator_id + "=" + .state] | join(",")' <<<"$show")" \
    hilversum:med-h=offered
expect_eq "the new shortlist holds neither the one who declined nor a colleague of the seated one" \
    "$(json '[.shortlist[].mediator_id] | join(",")' <<<"$show")" amersfoort:med-f
expect_eq "the mediator who stayed still has their offer" \
    "$(med hilversum:med-h --json offer list | json --arg c "$c" '.offers[] | select(.case_id == $c) | .state')" \
    offered

# 3. The first accepts, with a disclosure the parties consent to, and reads
# the narrative while the other seat is open.
expect_eq "the acceptance says what the mediator did, not that the offer waits" \
    "$(med hilversum:med-h offer accept "$c" --disclose relationship --note "Ik ken de teamleider van vroeger")" \
    "case $c: you accepted and disclosed a relationship with the parties; the parties are asked for their consent before the case goes on"
for _ in $(seq 100); do
    show=$(as almere hr1 --json case show "$c")
    [ "$(json '.mediators[0].state' <<<"$show")" = awaiting_consent ] && break
    sleep 0.1
done
expect_eq "the first mediator's disclosure awaits the parties, with their note" \
    "$(json '.mediators[0] | .state + ": " + .note' <<<"$show")" \
    "awaiting_consent: Ik ken de teamleider van vroeger"
as almere hr1 case consent "$c" hilversum:med-h >/dev/null
med hilversum:med-h offer wait "$c" --state in_mediation >/dev/null
expect_eq "the first mediator reads the narrative" "$(med hilversum:med-h offer narrative "$c")" \
    "$story"
expect_eq "the case still waits for a choice for the open seat" \
    "$(as almere hr1 --json case show "$c" | json .state)" shortlisted
expect_exit 3 "HR cannot close a case before both mediators took it on" \
    as almere hr1 case close "$c" --outcome agreement --hours 1

# 4. A second choice fills the open seat.
expect_eq "the parties choose the second mediator" \
    "$(as almere hr1 --json case choose "$c" amersfoort:med-f | json .state)" chosen
med amersfoort:med-f offer wait "$c" --state offered >/dev/null
med amersfoort:med-f offer accept "$c" --disclose prior >/dev/null
for _ in $(seq 100); do
    show=$(as almere hr1 --json case show "$c")
    [ "$(json '.mediators[1].state' <<<"$show")" = awaiting_consent ] && break
    sleep 0.1
done
expect_eq "a second disclosure without a note leaves the first mediator's note be" \
    "$(json '[.mediators[] | .mediator_id + "=" + (.note // "-")] | join(",")' <<<"$show")" \
    "hilversum:med-h=Ik ken de teamleider van vroeger,amersfoort:med-f=-"
as almere hr1 case consent "$c" amersfoort:med-f >/dev/null
expect_eq "once both took it on the case is in mediation" \
    "$(as almere hr1 --json case wait "$c" --state in_mediation | json '[.mediators[].state] | join(",")')" \
    in_mediation,in_mediation
med amersfoort:med-f offer wait "$c" --state in_mediation >/dev/null
expect_eq "the second mediator reads the narrative too" \
    "$(med amersfoort:med-f offer narrative "$c")" "$story"

# 5. The close records each mediator's hours; the ledger credits both.
expect_exit 3 "hours for someone who is not a mediator of the case are refused" \
    as almere hr1 case close "$c" --outcome agreement --hours hilversum:med-h=3 \
    --hours zeist:med-z=4.5
as almere hr1 case close "$c" --outcome agreement --hours hilversum:med-h=3 \
    --hours amersfoort:med-f=4.5 >/dev/null
expect_eq "the case is closed" "$(as almere hr1 --json case wait "$c" --state closed | json .minutes)" 450
expect_eq "each mediator's offer ends as closed" \
    "$(med hilversum:med-h --json offer wait "$c" --state closed | json .state),$(med amersfoort:med-f --json offer wait "$c" --state closed | json .state)" \
    closed,closed
ledger=$(as coordinator coord --json pool ledger)
given_by() { json --arg n "$1" '.municipalities[] | select(.id == $n) | .given_minutes' <<<"$ledger"; }
expect_eq "hilversum gave its mediator's 3 hours" "$(given_by hilversum)" 180
expect_eq "amersfoort gave its mediator's 4.5 hours" "$(given_by amersfoort)" 270
expect_eq "zeist, whose mediator declined, gave none" "$(given_by zeist)" 0
expect_eq "almere received both" \
    "$(json '.municipalities[] | select(.id == "almere") | .received_minutes' <<<"$ledger")" 450

# 6. A batch round's pair is offered first, and can be chosen as one.
c2=$(post_case almere hr1 --domain labour --language nl --party almere --seats 2)
as almere hr1 case wait "$c2" --state shortlisted >/dev/null
round=$(as coordinator coord --json pool round)
pair=$(json --arg c "$c2" '.assignments[] | select(.case == $c) | .mediators | join(" ")' <<<"$round")
expect_eq "the round gives the two-seat case a pair" "$(wc -w <<<"$pair")" 2
for _ in $(seq 100); do
    show=$(as almere hr1 --json case show "$c2")
    json '[.history[] | select(.reason | contains("batch round"))] | length' <<<"$show" | grep -qv '^0$' && break
    sleep 0.1
done
expect_eq "the shortlist puts the round's pair first" \
    "$(json '[.shortlist[0:2][].mediator_id] | join(" ")' <<<"$show")" "$pair"
# shellcheck disable=SC2086 # the pair is two ids
expect_eq "the parties take the pair" \
    "$(as almere hr1 --json case choose "$c2" $pair | json .state)" chosen
expect_eq "and both are offered the case" \
    "$(as almere hr1 --json case wait "$c2" --state offered | json '.mediators | length')" 2

# 7. The coordinator's override: a two-seat case with both seats held needs
# to be told whose seat; a one-seat case's mediator may give way to a
# colleague of theirs.
read -r p1 p2 <<<"$pair"
others=$(for who in $mediators; do
    [ "$who" != "$p1" ] && [ "$who" != "$p2" ] && [ "${who%%:*}" != "${p1%%:*}" ] && echo "$who"
done | head -1)
expect_exit 3 "an override of a case with two mediators asks whose seat" \
    as coordinator coord pool override "$c2" "$others" --reason "beschikbaarheid"
expect_eq "with --replace the new mediator takes that seat" \
    "$(as coordinator coord --json pool override "$c2" "$others" --reason "beschikbaarheid" \
        --replace "$p2" | json .state)" offered
expect_eq "the other mediator keeps theirs" \
    "$(as almere hr1 --json case wait "$c2" --state offered | json --arg a "$p1" --arg b "$others" '[.mediators[].mediator_id | select(. == $a or . == $b)] | length')" 2
c3=$(post_case almere hr1 --domain labour --language nl --party almere)
as almere hr1 case wait "$c3" --state shortlisted >/dev/null
as coordinator coord pool override "$c3" hilversum:med-h --reason "snel nodig" >/dev/null
expect_eq "a one-seat case's offer goes to a colleague of its mediator" \
    "$(as coordinator coord --json pool override "$c3" hilversum:med-h2 --reason "snel nodig" | json .state)" \
    offered

# 7. One mediator chosen for a case with two open seats: the confirmation
# says so, and that the other seat still waits.
c4=$(post_case almere hr1 --domain labour --language nl --party almere --seats 2)
as almere hr1 case wait "$c4" --state shortlisted >/dev/null
said=$(as almere hr1 case choose "$c4" amersfoort:med-f)
expect_eq "one of two seats chosen: the choice is recorded, the other seat still open" "$said" \
    "case $c4: the parties' choice of amersfoort:med-f is recorded; the pool will offer the case to them; the case's second seat is still open: choose its mediator from the shortlist too"
expect "and it does not say the case waits for the parties' choice" \
    test "${said/waiting for the parties/}" = "$said"
