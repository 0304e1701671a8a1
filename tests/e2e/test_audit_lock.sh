#!/usr/bin/env bash
# Fail closed: while another process holds the database's write lock past
# the node's busy wait, a read is refused with no data, and no answer is
# ever given without its audit row.
set -u
. "$(dirname "$0")/lib.sh"
standard_scenario
person almere aud auditor
node_reload almere
DB=$POOL/almere/mpool.db

c=$(post_case almere hr1 --domain labour --language nl --party almere --parties <(printf '%s\n' "person:J. Jansen"))
as almere hr1 case wait "$c" --state shortlisted >/dev/null
shows() { sqlite3 "$DB" "select count(*) from audit where op = 'case.show'"; }
names=$(as almere hr1 case show "$c")
expect "a read shows the parties' names" grep -qF Jansen <<<"$names"

# Fail closed: another process holds the write lock past the busy wait.
before=$(shows)
flag=$POOL/locked
python3 - "$DB" "$flag" <<'PY' &
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=10)
db.execute("BEGIN IMMEDIATE")
open(sys.argv[2], "w").close()
time.sleep(40)  # a bounded lifetime; the test ends it sooner
db.execute("ROLLBACK")
PY
holder=$!
for _ in $(seq 100); do [ -e "$flag" ] && break; sleep 0.1; done
# The client waits longer than the node's busy waits (the node's own work
# may wait on the lock first), to hear its answer; then the lock goes.
out=$(as almere hr1 --timeout 35 case show "$c" 2>&1)
rc=$?
kill "$holder"
wait "$holder" 2>/dev/null
expect "with the write lock held, case show fails (exit $rc)" test "$rc" -ne 0
expect "and says the read cannot be recorded" grep -qF "cannot record this read" <<<"$out"
expect_eq "and shows no name" "$(grep -c Jansen <<<"$out")" 0
expect_eq "the refused read left no row and gave no answer" "$(shows)" "$before"
as almere hr1 case show "$c" | grep -qF Jansen
expect_eq "once the lock is gone, the read is answered with its row" "$(shows)" $((before + 1))
finish
