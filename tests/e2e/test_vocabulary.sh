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
