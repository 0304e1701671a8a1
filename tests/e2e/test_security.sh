#!/usr/bin/env bash
# Who may do what: a node outside the roster, a person outside their role,
# a person removed from the node's list, a mediator and someone else's offer.
set -u
. "$(dirname "$0")/lib.sh"
trap 'rc=$?; node_stop intruder; finish $rc' EXIT
standard_pool "$(mktemp -d)" || { echo "not ok - pool did not start"; exit 1; }

# A node with its own keys, not in the pool's roster, pointed at the coordinator.
mkdir -p "$POOL/intruder/people"
keys=$("$MPOOLD" keygen --out "$POOL/intruder/node.key")
{ cat "$POOL/roster.ini"; printf '[intruder]\nname = Intruder\nlat = 52\nlon = 5\n%s\n' \
    "$(grep -v '^#' <<<"$keys")"; } >"$POOL/intruder/roster.ini"
sed -e 's/^id = almere/id = intruder/' -e 's|^roster = .*|roster = roster.ini|' \
    -e "s|^clients = .*|clients = tcp://127.0.0.1:$((COORD_ROUTER + 9))|" \
    "$POOL/almere/mpoold.conf" >"$POOL/intruder/mpoold.conf"
cp "$POOL/almere/pool.secret" "$POOL/intruder/"
: >"$POOL/intruder/users.ini"
person intruder hr9 hr
node_start intruder
wait_node intruder
before=$(as coordinator coord --json pool status | json '[.cases[]] | add // 0')
as intruder hr9 case post --no-narrative --domain labour --language nl --party zeist >/dev/null
sleep 2
expect_eq "a case from a node outside the roster never reaches the coordinator" \
    "$(as coordinator coord --json pool status | json '[.cases[]] | add // 0')" "$before"
expect "the coordinator logs the refused key" grep -q "refused CURVE key" "$POOL/coordinator/mpoold.log"
expect_eq "the intruder never learns the coordinator's journal" \
    "$(sqlite3 "$POOL/intruder/mpool.db" "select count(*) from meta where key = 'coord_epoch'")" 0

# People acting outside their role.
expect_exit 3 "HR cannot read offers" as almere hr1 offer list
expect_exit 3 "a mediator cannot post a case" \
    as hilversum med-h case post --no-narrative --domain labour --language nl --party zeist
expect_exit 3 "HR cannot see the pool's ledger" as almere hr1 pool ledger
expect_exit 3 "a member node does not answer coordinator questions" as almere hr1 pool status

# A mediator cannot answer someone else's offer.
c=$(post_case almere hr1 --domain labour --language nl --party almere)
show=$(as almere hr1 --json case wait "$c" --state shortlisted)
m=$(json '.shortlist[] | select(.mediator_id | startswith("zeist:")) | .mediator_id' <<<"$show")
as almere hr1 case choose "$c" "$m" >/dev/null
as zeist med-z offer wait "$c" --state offered >/dev/null
person zeist med-z2 mediator
node_reload zeist
expect_exit 4 "another mediator of the same node cannot accept that offer" \
    as zeist med-z2 offer accept "$c" --no-conflict
expect_exit 4 "HR of another municipality cannot see the case" as zeist hr-z case show "$c"

# Removed from the node's list: refused from the next request on.
awk 'BEGIN{skip=0} /^\[/{skip=($0=="[hr-z]")} !skip' "$POOL/zeist/users.ini" >"$POOL/zeist/users.new"
mv "$POOL/zeist/users.new" "$POOL/zeist/users.ini"
node_reload zeist
expect_exit 3 "a person removed from users.ini is refused after SIGHUP" \
    as zeist hr-z --timeout 5 case list
started=$SECONDS
err=$(as zeist hr-z --timeout 30 case list 2>&1)
expect "and told so, not left waiting for an answer" \
    test $((SECONDS - started)) -lt 10 -a -n "$(grep 'does not know your key (yet)' <<<"$err")"
expect "others at that node keep working" as zeist med-z offer list

# A mediator who leaves the node's list is retired at the coordinator on the
# reload, and offered nothing more; back on the list, they are active again.
active() { sqlite3 "$POOL/coordinator/mpool.db" "select active from c_mediators where mediator_id = '$1'"; }
cp "$POOL/hilversum/users.ini" "$POOL/hilversum/users.keep"
awk 'BEGIN{skip=0} /^\[/{skip=($0=="[med-h]")} !skip' "$POOL/hilversum/users.keep" >"$POOL/hilversum/users.ini"
node_reload hilversum
synced hilversum
expect_eq "a mediator removed from users.ini is retired at the coordinator" "$(active hilversum:med-h)" 0
c=$(post_case almere hr1 --domain labour --language nl --party almere)
expect_eq "a retired mediator is on no new shortlist" \
    "$(as almere hr1 --json case wait "$c" --state shortlisted |
        json '[.shortlist[] | select(.mediator_id == "hilversum:med-h")] | length')" 0
cp "$POOL/hilversum/users.keep" "$POOL/hilversum/users.ini"
node_reload hilversum
synced hilversum
expect_eq "back on the list, the mediator is active again" "$(active hilversum:med-h)" 1

# The same when users.ini changes while the node is stopped.
awk 'BEGIN{skip=0} /^\[/{skip=($0=="[med-h]")} !skip' "$POOL/hilversum/users.keep" >"$POOL/hilversum/users.ini"
node_stop hilversum
served=$(grep -c "serving as" "$POOL/hilversum/mpoold.log")
node_start hilversum
for _ in $(seq 50); do
    [ "$(grep -c "serving as" "$POOL/hilversum/mpoold.log")" -gt "$served" ] && break
    sleep 0.1
done
synced hilversum
expect_eq "a mediator removed while the node was stopped is retired when it starts" \
    "$(active hilversum:med-h)" 0
