#!/usr/bin/env bash
# Local faults: a damaged database, a missing or exposed key file, a broken
# roster. mpoold refuses with a clear message and never runs without
# authentication; a running node keeps serving and loses nothing.
set -u
. "$(dirname "$0")/lib.sh"
trap finish EXIT
standard_pool "$(mktemp -d)" || { echo "not ok - pool did not start"; exit 1; }

c=$(post_case almere hr1 --domain labour --language nl --party almere)
as almere hr1 case wait "$c" --state shortlisted >/dev/null

# starts NODE and expects it to stop at once with a message containing TEXT
refuses_to_start() {
    local desc=$1 node=$2 text=$3 out
    out=$(cd "$POOL/$node" && timeout 10 "$MPOOLD" -c mpoold.conf 2>&1)
    local rc=$?
    if [ $rc -ne 0 ] && [ $rc -ne 124 ] && grep -q -- "$text" <<<"$out"; then
        ok "$desc ($(tail -1 <<<"$out" | cut -c1-150))"
    else
        notok "$desc (exit $rc: $out)"
    fi
}

# A broken roster on reload: the node keeps the previous lists and serves on.
cp "$POOL/roster.ini" "$POOL/roster.good"
printf '[zeist\nname = broken\n' >>"$POOL/roster.ini"
node_reload almere
expect "a broken roster on reload is refused and logged" \
    grep -q "reload refused, keeping the previous lists" "$POOL/almere/mpoold.log"
expect "the node keeps serving with the previous lists" as almere hr1 case show "$c"

node_stop almere
refuses_to_start "a broken roster stops mpoold at start" almere "roster.ini"
cp "$POOL/roster.good" "$POOL/roster.ini"

mv "$POOL/almere/node.key" "$POOL/almere/node.key.away"
refuses_to_start "a missing key file stops mpoold, naming it" almere "node.key"
mv "$POOL/almere/node.key.away" "$POOL/almere/node.key"

chmod 644 "$POOL/almere/node.key"
refuses_to_start "a key file others can read stops mpoold" almere "chmod 600"
chmod 600 "$POOL/almere/node.key"

cp "$POOL/almere/mpool.db" "$POOL/almere/mpool.db.good"
printf 'this is not a database' | dd of="$POOL/almere/mpool.db" bs=1 seek=0 conv=notrunc 2>/dev/null
refuses_to_start "a damaged database stops mpoold with the file named" almere "mpool.db"
mv "$POOL/almere/mpool.db.good" "$POOL/almere/mpool.db"

node_start almere
wait_node almere
expect_eq "after the faults are mended the node has lost nothing" \
    "$(as almere hr1 --json case show "$c" | json .state)" shortlisted

# A database held by another writer: the request fails cleanly, nothing half-done.
before=$(sqlite3 "$POOL/almere/mpool.db" 'select count(*) from m_cases')
sqlite3 "$POOL/almere/mpool.db" 'BEGIN EXCLUSIVE; SELECT 1;' '.shell sleep 7' 'COMMIT;' >/dev/null 2>&1 &
locker=$!
sleep 0.5
expect_exit 1 "a request against a locked database gets a clear error" \
    as almere hr1 --timeout 15 case post --domain labour --language nl --party almere
wait $locker
expect_eq "nothing was stored by the refused request" \
    "$(sqlite3 "$POOL/almere/mpool.db" 'select count(*) from m_cases')" "$before"
expect "and the node serves again once the lock is gone" \
    as almere hr1 case post --domain labour --language nl --party almere
