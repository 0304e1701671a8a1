#!/usr/bin/env bash
# Local faults: a damaged database, a missing or exposed key file, a broken
# roster. mpoold refuses with a clear message and never runs without
# authentication; a running node keeps serving and loses nothing.
set -u
. "$(dirname "$0")/lib.sh"
standard_scenario

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
    as almere hr1 --timeout 15 case post --no-narrative --domain labour --language nl --party almere
wait $locker
expect_eq "nothing was stored by the refused request" \
    "$(sqlite3 "$POOL/almere/mpool.db" 'select count(*) from m_cases')" "$before"
expect "and the node serves again once the lock is gone" \
    as almere hr1 case post --no-narrative --domain labour --language nl --party almere

# A full disk: the node's files may not grow past a limit (RLIMIT_FSIZE,
# with SIGXFSZ ignored so that writes fail instead of killing mpoold). A
# post that does not fit is refused whole; every case accepted before it
# stays, and once there is room again the node serves as before.
node_stop almere
before=$(sqlite3 "$POOL/almere/mpool.db" 'select count(*) from m_cases')
limit_kb=$(($(stat -c %s "$POOL/almere/mpool.db") / 1024 + 48))
(cd "$POOL/almere" && trap '' XFSZ && ulimit -f "$limit_kb" && exec "$MPOOLD" -c mpoold.conf \
    >>mpoold.log 2>&1) &
echo $! >"$POOL/almere/pid"
wait_node almere
accepted=0 err=""
for _ in $(seq 60); do
    if ! err=$(as almere hr1 case post --no-narrative --domain labour --language nl --party almere 2>&1 >/dev/null); then
        break
    fi
    accepted=$((accepted + 1))
    err=""
done
expect "a post on a full disk is refused with a message that names the disk ($err)" \
    grep -q "disk" <<<"$err"
node_stop almere
node_start almere
wait_node almere
expect_eq "every case accepted before the disk filled is kept, the refused one is not" \
    "$(sqlite3 "$POOL/almere/mpool.db" 'select count(*) from m_cases')" $((before + accepted))
expect "with room again the node accepts posts" \
    as almere hr1 case post --no-narrative --domain labour --language nl --party almere
expect_eq "the database is whole after the full disk" \
    "$(sqlite3 "$POOL/almere/mpool.db" 'PRAGMA integrity_check')" ok

# A read-only database (a read-only mount of the node's folder, in a mount
# namespace of its own): mpoold refuses to start and says so.
if unshare -m true 2>/dev/null; then
    node_stop almere
    out=$(cd "$POOL/almere" && timeout 10 unshare -m sh -c 'mount --bind . . &&
        mount -o remount,bind,ro . . 2>/dev/null || mount -o remount,bind,ro "$PWD" &&
        cd "$PWD" && exec "$0" -c mpoold.conf' "$MPOOLD" 2>&1)
    rc=$?
    if [ $rc -ne 0 ] && [ $rc -ne 124 ] && grep -q "not writable (Read-only file system)" <<<"$out"; then
        ok "a read-only database stops mpoold with a clear message ($(tail -1 <<<"$out" | cut -c1-150))"
    else
        notok "a read-only database stops mpoold with a clear message (exit $rc: $out)"
    fi
    node_start almere
    wait_node almere
    expect "after the read-only mount the node serves again" as almere hr1 case list
else
    ok "a read-only database # SKIP no mount namespaces here"
fi
