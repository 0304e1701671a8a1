#!/usr/bin/env bash
# The pool's words come from the coordinator: a member refuses a domain or
# language the pool does not use, at once and with the nearest word, and
# learns a word the coordinator adds. A case needs its narrative unless
# HR says it has none.
set -u
. "$(dirname "$0")/lib.sh"
trap finish EXIT
pool_create "$(mktemp -d)" almere zeist || { echo "not ok - pool did not start"; exit 1; }
printf 'domains = labour, citizen, objection, complaint, family\n' >>"$POOL/coordinator/mpoold.conf"
person coordinator coord coordinator
person almere hr1 hr
person zeist med-z mediator
pool_start || { echo "not ok - pool did not start"; exit 1; }
for _ in $(seq 100); do
    [ "$(sqlite3 "$POOL/almere/mpool.db" "select count(*) from m_vocabulary where word = 'family'")" = 1 ] && break
    sleep 0.1
done
expect_eq "the member keeps the coordinator's words" \
    "$(sqlite3 "$POOL/almere/mpool.db" "select group_concat(word, ',') from (select word from m_vocabulary where kind = 'd' order by rowid)")" \
    "labour,citizen,objection,complaint,family"

post() { as almere hr1 case post --no-narrative --language nl --party almere "$@"; }
expect_exit 2 "a misspelt domain is refused with the nearest word" post --domain labor
expect "and the message names it" \
    sh -c "'$MPOOL' --config '$POOL/almere/people/hr1.conf' case post --no-narrative --language nl --party almere --domain labor 2>&1 | grep -q 'labor: unknown domain; did you mean labour?'"
expect_exit 2 "an unknown language is refused with the pool's list" \
    as almere hr1 case post --no-narrative --domain labour --party almere --language xx
expect "a word the coordinator added is taken" test -n "$(post_case almere hr1 --domain family --language nl --party almere)"
expect_exit 2 "a misspelt specialty is refused as well" \
    as zeist med-z mediator register --specialty famly --language nl --mfn-number 1 \
    --mfn-expiry 2030-01-01 --capacity 1
expect_exit 2 "a case without --narrative or --no-narrative is refused before it is sent" \
    as almere hr1 case post --domain labour --language nl --party almere
printf 'Het verhaal\n' >"$POOL/n.txt"
expect_exit 2 "and one with both" \
    as almere hr1 case post --domain labour --language nl --party almere --narrative "$POOL/n.txt" --no-narrative

# What people type: a language by its name, a shortlist's number, an id
# pasted with a space, a state in words, hours with a decimal comma.
expect "a mediator registers with the language by its name" \
    as zeist med-z mediator register --specialty labour --language Nederlands --mfn-number 1 \
    --mfn-expiry 2030-01-01 --capacity 2
wait_profiles 1
expect_eq "and it is kept as its code" "$(as zeist med-z --json mediator show | json '.languages | join(",")')" nl
c=$(post_case almere hr1 --no-narrative --party almere --domain labour --language nederlands)
expect_eq "a case posted in 'nederlands' is a case in nl" "$(as almere hr1 --json case show "$c" | json .language)" nl
as almere hr1 case wait "$c" --state shortlisted >/dev/null
said=$(as almere hr1 case choose "$c " 1)
expect_eq "case choose CASE 1 chooses the shortlist's first, with the case id's space trimmed" "$said" \
    "case $c: the parties' choice of zeist:med-z is recorded; the pool will offer the case to them"
med zeist:med-z offer wait "$c" --state offered >/dev/null
med zeist:med-z offer accept "$c" --no-conflict >/dev/null
as almere hr1 case wait "$c" --state in_mediation >/dev/null
expect_eq "case list takes a state in words" \
    "$(as almere hr1 --json case list --state "in mediation" | json '[.cases[].case_id] | join(",")')" "$c"
expect_eq "and case wait too" \
    "$(as almere hr1 --json case wait "$c" --state "In-Mediation" | json .state)" in_mediation
as almere hr1 case close "$c" --outcome agreement --hours 6,5 >/dev/null
expect_eq "hours with a decimal comma are hours: 6,5 h is 390 minutes" \
    "$(as almere hr1 --json case wait "$c" --state closed | json .minutes)" 390

# The coordinator checks too, with its own list: a post that reaches it
# with a word it does not use is withdrawn with the reason.
node_stop coordinator
node_stop almere
sqlite3 "$POOL/almere/mpool.db" "delete from m_vocabulary"
node_start almere
wait_node almere
c=$(as almere hr1 --json case post --no-narrative --domain housing --language nl --party almere | json .case_id)
node_start coordinator
show=$(as almere hr1 --json case wait "$c" --state withdrawn --timeout-wait 20)
expect "the coordinator withdraws a case with a word it does not use, and says why" \
    grep -q "housing: unknown domain" <<<"$(json '.history[-1].reason' <<<"$show")"
