#!/usr/bin/env bash
# Bad input gets a clear one-line error, a distinct exit code, and changes nothing.
set -u
. "$(dirname "$0")/lib.sh"
standard_scenario

c=$(post_case almere hr1 --domain labour --language nl --party almere)
as almere hr1 case wait "$c" --state shortlisted >/dev/null
synced almere
snapshot() { as almere hr1 --json case list --all; sqlite3 "$POOL/almere/mpool.db" 'select count(*) from m_outbox, m_history'; }
before=$(snapshot)

expect_exit 2 "an unknown flag" as almere hr1 case post --no-narrative --colour red
expect_exit 2 "a missing required flag" as almere hr1 case post --no-narrative --language nl --party almere
expect_exit 2 "an unknown urgency" as almere hr1 case post --no-narrative --domain labour --language nl --party almere --urgency asap
expect_exit 2 "an unreadable narrative file" \
    as almere hr1 case post --domain labour --language nl --party almere --narrative /nonexistent/file
expect_exit 2 "a municipality that is not in the roster" \
    as almere hr1 case post --no-narrative --domain labour --language nl --party atlantis
expect_exit 2 "a malformed case id" as almere hr1 case show "not a case"
expect_exit 4 "an unknown case id" as almere hr1 case show almere-00000000
expect_exit 3 "closing a case that is not in mediation" \
    as almere hr1 case close "$c" --outcome agreement --hours 2
expect_exit 3 "choosing someone not on the shortlist" as almere hr1 case choose "$c" almere:med-a
expect_exit 2 "hours that are not a number" \
    as almere hr1 case close "$c" --outcome agreement --hours lots
expect_exit 2 "an unknown outcome" as almere hr1 case close "$c" --outcome happy --hours 2
expect_exit 2 "a date that does not exist" \
    as hilversum med-h mediator availability --window 2026-02-30:2026-03-10
expect_exit 4 "accepting an offer that does not exist" \
    as hilversum med-h offer accept almere-00000000 --no-conflict
expect_eq "nothing changed after all those errors" "$(snapshot)" "$before"

printf '[client]\nuser = x\nnode = tcp://127.0.0.1:1\n' >"$POOL/broken.conf"
expect_exit 1 "a client configuration without a key" "$MPOOL" --config "$POOL/broken.conf" whoami
expect_exit 1 "mpoold refuses a configuration with an unknown key" \
    "$MPOOLD" -c <(sed 's/^role = member/rol = member/' "$POOL/almere/mpoold.conf") check
chmod 644 "$POOL/hilversum/node.key"
expect_exit 1 "mpoold refuses a node key readable by others" \
    bash -c "cd '$POOL/hilversum' && '$MPOOLD' -c mpoold.conf check"
chmod 600 "$POOL/hilversum/node.key"
