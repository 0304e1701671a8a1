#!/usr/bin/env bash
# Hostile and broken input on the pool wire. A crafted peer (wirepeer)
# speaks to the coordinator's ROUTER with a roster node's real keys and sends
# frames no honest node sends. For each one the coordinator logs why it drops
# it, answers nothing, stores nothing, and keeps serving that very connection;
# afterwards the real nodes still post cases. Also: a node dropped from the
# roster loses its open connection at the next message, and a key that was
# never listed is refused at the handshake.
set -u
. "$(dirname "$0")/lib.sh"
WIREPEER=$(realpath "${WIREPEER:-$BUILD/tools/wirepeer}")
[ -x "$WIREPEER" ] || { echo "not ok - $WIREPEER is built (make $BUILD/tools/wirepeer)"; exit 1; }

cleanup() {
    local rc=$?
    [ -n "${WP_PID:-}" ] && kill "$WP_PID" 2>/dev/null
    finish $rc
}
trap cleanup EXIT
standard_pool "$(mktemp -d)" || { echo "not ok - pool did not start"; exit 1; }

CLOG=$POOL/coordinator/mpoold.log
CDB=$POOL/coordinator/mpool.db
WPLOG=$POOL/wirepeer.log # every wirepeer's stderr, checked for sanitizer reports
ENDPOINT=tcp://127.0.0.1:$COORD_ROUTER
SERVER_KEY=$(awk -F' = ' '/^\[coordinator\]/{f=1} f&&/^curve_key/{print $2; exit}' "$POOL/almere/mpoold.conf")

# What the coordinator has stored: cases, transitions, journal entries and
# every sender's inbound position.
snapshot() {
    sqlite3 "$CDB" "select (select count(*) from c_cases), (select count(*) from c_transitions),
        (select count(*) from c_journal),
        (select group_concat(sender || ':' || epoch || '/' || upto, ' ') from c_inbound)"
}

# log_has SINCE TEXT : the coordinator's log holds TEXT after line SINCE. The
# reply that follows a frame proves the coordinator has handled it, so the
# line is there already; the short poll only absorbs scheduling.
log_has() {
    for _ in $(seq 20); do
        tail -n +$(($1 + 1)) "$CLOG" | grep -qF -- "$2" && return 0
        sleep 0.05
    done
    return 1
}

log_lines() { wc -l <"$CLOG"; }

# Reloads the coordinator's roster and waits until it says it did.
reload_coordinator() {
    local n
    n=$(grep -c "reloaded:" "$CLOG")
    kill -HUP "$(cat "$POOL/coordinator/pid")"
    for _ in $(seq 60); do
        [ "$(grep -c "reloaded:" "$CLOG")" -gt "$n" ] && return 0
        sleep 0.05
    done
    return 1
}

# wait_lines FILE N : until FILE has N lines (a background wirepeer's answers).
wait_lines() {
    for _ in $(seq 200); do
        [ "$(wc -l <"$1")" -ge "$2" ] && return 0
        sleep 0.05
    done
    return 1
}

# ---- almere posts a real case: the coordinator now follows almere's outbox.
c=$(post_case almere hr1 --domain labour --language nl --party zeist)
as almere hr1 case wait "$c" --state shortlisted >/dev/null
synced almere
read -r AEPOCH AUPTO < <(sqlite3 -separator ' ' "$CDB" \
    "select epoch, upto from c_inbound where sender = 'almere'")
NEXT=$((AUPTO + 1))

# ---- a valid CasePost from a crafted peer is applied, so the frames below
# are refused for their one fault only. It speaks as an extra roster node,
# "wire", that no real daemon runs: its sequence disturbs nobody.
keys=$("$MPOOLD" keygen --out "$POOL/wire.key")
cp "$POOL/roster.ini" "$POOL/roster.orig"
printf '[wire]\nname = Wire\nlat = 52.1\nlon = 5.2\n%s\n' "$(grep -v '^#' <<<"$keys")" >>"$POOL/roster.ini"
reload_coordinator
wepoch=$(date +%s%3N)
out=$(printf 'send post seq=1 epoch=%s\nexpect-reply 3000\n' "$wepoch" |
    "$WIREPEER" "$ENDPOINT" "$SERVER_KEY" wire "$POOL/wire.key" 2>>"$WPLOG")
wcase=$(sed -n '1s/.* case //p' <<<"$out")
expect_eq "a well-formed CasePost from wirepeer is acknowledged" \
    "$(sed -n 2p <<<"$out")" "reply ack epoch=$wepoch upto=1"
expect_eq "and its case is stored and shortlisted (state 2)" \
    "$(sqlite3 "$CDB" "select state from c_cases where case_id = '$wcase'")" 2

# ---- hostile frames, all on one connection made with almere's own keys.
coproc WP { exec "$WIREPEER" "$ENDPOINT" "$SERVER_KEY" almere "$POOL/almere/node.key" 2>>"$WPLOG"; }

# wp COMMAND... : one command to the wirepeer; its one-line answer in $ANSWER.
wp() {
    ANSWER="(wirepeer did not answer)"
    [ -n "${WP[1]:-}" ] || return 0 # it has exited: every check that follows fails
    echo "$*" >&"${WP[1]}" && read -r -t 15 ANSWER <&"${WP[0]}"
}

# fetch_served DESC : a valid Fetch gets a FetchReply as the next frame, and
# nothing follows it. Frames on one connection are handled in order, so a
# reply to the frame sent before the Fetch would have come first.
fetch_served() {
    local first
    wp send fetch
    wp expect-reply 5000
    first=$ANSWER
    wp expect-reply 100
    if [[ $first == "reply fetch-reply "* ]] && [ "$ANSWER" = "no reply" ]; then
        ok "$1"
    else
        notok "$1 (got '$first' then '$ANSWER')"
    fi
}

# hostile DESC REASON SEND_ARGS... : sends one bad frame, then checks the log
# reason, the silence, that nothing was stored, and that the link still works.
hostile() {
    local desc=$1 reason=$2 before since
    shift 2
    before=$(snapshot)
    since=$(log_lines)
    wp send "$@"
    fetch_served "$desc: no reply, and the same connection still gets a FetchReply"
    expect "$desc: the coordinator logs \"$reason\"" log_has "$since" "$reason"
    expect_eq "$desc: nothing stored" "$(snapshot)" "$before"
}

fetch_served "wirepeer as almere gets a FetchReply"

hostile "a flipped signature byte" "rejected message from almere: bad signature" \
    badsig seq=$NEXT epoch="$AEPOCH"
hostile "a truncated frame" "rejected message from almere: not a signed envelope" \
    truncated seq=$NEXT epoch="$AEPOCH"
hostile "garbage bytes" "rejected message from almere: not a signed envelope (32 bytes)" garbage
hostile "a three-frame message" "rejected a message of 3 frames from 'almere' on the pool socket" \
    multiframe seq=$NEXT epoch="$AEPOCH"
hostile "schema version 2" "rejected message from almere: unknown schema version 2" \
    post seq=$NEXT epoch="$AEPOCH" version=2
hostile "message type 42" "rejected message from almere: unknown message type 42" \
    post seq=$NEXT epoch="$AEPOCH" type=42
hostile "an Ack from a member" "rejected message from almere: type 4 is not for the coordinator" \
    ack seq="$AUPTO" epoch="$AEPOCH"
hostile "a FetchReply from a member" \
    "rejected message from almere: type 6 is not for the coordinator" fetch-reply
hostile "a CaseEvent from a member" \
    "rejected message from almere: type 7 is not for the coordinator" case-event
# The signature is checked with the key of the authenticated peer before the
# sender is read, so zeist's genuine signature fails as a bad one.
hostile "sender zeist, signed with zeist's key, on almere's connection" \
    "rejected message from almere: bad signature" \
    post seq=$NEXT epoch="$AEPOCH" sender=zeist signkey="$POOL/zeist/node.key"
hostile "sender zeist, signed with almere's key" \
    "rejected message from almere: sender 'zeist' is not the authenticated peer 'almere'" \
    post seq=$NEXT epoch="$AEPOCH" sender=zeist
hostile "a CasePost with seq 0" \
    "rejected message from almere: sequenced type without a sequence number" \
    post seq=0 epoch="$AEPOCH"
hostile "a CasePost addressed to another node" \
    "rejected message from almere: addressed to another node" \
    post seq=$NEXT epoch="$AEPOCH" recipient=zeist
hostile "a Fetch with a sequence number" \
    "rejected message from almere: control message with a sequence number" \
    fetch seq=7
hostile "a CasePost from an older outbox epoch" \
    "rejected message from almere: stale outbox epoch $((AEPOCH - 1)) (now $AEPOCH)" \
    post seq=$NEXT epoch=$((AEPOCH - 1))

# A replayed seq and a gap are not applied; the protocol acknowledges the
# current position again (section 5, steps 5 and 6).
before=$(snapshot)
wp send post seq="$AUPTO" epoch="$AEPOCH"
wp expect-reply 5000
expect_eq "a replayed seq gets the current position again" "$ANSWER" \
    "reply ack epoch=$AEPOCH upto=$AUPTO"
expect_eq "a replayed seq: nothing stored" "$(snapshot)" "$before"
wp send post seq=$((AUPTO + 5)) epoch="$AEPOCH"
wp expect-reply 5000
expect_eq "a seq past a gap gets the current position again" "$ANSWER" \
    "reply ack epoch=$AEPOCH upto=$AUPTO"
expect_eq "a seq past a gap: nothing stored" "$(snapshot)" "$before"

# Bigger than max_message: libzmq drops it and closes the connection before
# the coordinator sees a byte (protocol section 1), so there is no log line
# to look for. The DEALER connects again by itself, keeping its queue.
wp send oversize seq=$NEXT epoch="$AEPOCH"
wp expect-reply 500
expect_eq "a frame over max_message gets no reply" "$ANSWER" "no reply"
fetch_served "after the oversized frame the peer is served again on a new connection"
expect_eq "a frame over max_message: nothing stored" "$(snapshot)" "$before"

# End of input ends the peer; bash forgets a coprocess that ended on its own.
rc="ended early"
if [ -n "${WP_PID:-}" ]; then
    wp_pid=$WP_PID wp_in=${WP[1]}
    exec {wp_in}>&-
    wait "$wp_pid"
    rc=$?
fi
expect_eq "wirepeer as almere ran every command and exited cleanly" "$rc" 0

# ---- the real nodes are undisturbed.
expect "the coordinator is still running" kill -0 "$(cat "$POOL/coordinator/pid")"
c2=$(post_case almere hr1 --domain labour --language nl --party zeist)
expect "almere can still post a case that is shortlisted" \
    as almere hr1 case wait "$c2" --state shortlisted --timeout-wait 10
expect "and almere's outbox drains" synced almere
expect_eq "the coordinator applied almere's next seq in the same epoch" \
    "$(sqlite3 "$CDB" "select epoch || '/' || upto from c_inbound where sender = 'almere'")" \
    "$AEPOCH/$NEXT"
person hilversum hr-h hr
node_reload hilversum
c3=$(post_case hilversum hr-h --domain labour --language nl --party zeist)
expect "hilversum can still post a case that is shortlisted" \
    as hilversum hr-h case wait "$c3" --state shortlisted --timeout-wait 10

# ---- (a) dropped from the roster: the open connection is refused from the
# next message on. wait-file holds the peer between its steps while the
# roster changes, so all three Fetches travel on one connection.
zout=$POOL/zeist-peer.out
"$WIREPEER" "$ENDPOINT" "$SERVER_KEY" zeist "$POOL/zeist/node.key" >"$zout" 2>>"$WPLOG" <<EOF &
send fetch
expect-reply 5000
wait-file $POOL/roster-edited
send fetch
expect-reply 1000
wait-file $POOL/roster-restored
send fetch
expect-reply 5000
EOF
zpid=$!
wait_lines "$zout" 2
expect_eq "wirepeer as zeist gets a FetchReply" "$(sed -n '2s/ epoch=.*//p' "$zout")" \
    "reply fetch-reply"
since=$(log_lines)
awk '/^\[/{skip=($0=="[zeist]")} !skip' "$POOL/roster.orig" >"$POOL/roster.ini"
reload_coordinator
touch "$POOL/roster-edited"
wait_lines "$zout" 5
expect_eq "after zeist leaves the roster and SIGHUP, its open connection gets no reply" \
    "$(sed -n 5p "$zout")" "no reply"
expect "the coordinator logs that zeist is not in the roster with this key" \
    log_has "$since" "rejected message from 'zeist': not in the roster with this key"
cp "$POOL/roster.orig" "$POOL/roster.ini"
reload_coordinator
touch "$POOL/roster-restored"
wait "$zpid"
expect_eq "with zeist back in the roster the same connection is served again" \
    "$(sed -n '8s/ epoch=.*//p' "$zout")" "reply fetch-reply"

# ---- (b) a key that was never listed is refused at the handshake.
keys=$("$MPOOLD" keygen --out "$POOL/stranger.key")
skey=$(awk -F' = ' '/^curve_key/{print $2}' <<<"$keys")
out=$(printf 'send fetch\nexpect-reply 1000\n' |
    "$WIREPEER" "$ENDPOINT" "$SERVER_KEY" almere "$POOL/stranger.key" 2>>"$WPLOG")
expect_eq "a peer with an unlisted key gets no reply" "$(sed -n 2p <<<"$out")" "no reply"
expect "the coordinator logs the refused key at the handshake" \
    grep -qF "refused CURVE key $skey" "$CLOG"

expect_exit 2 "wirepeer without arguments is a usage error" "$WIREPEER"
if grep -q "Sanitizer\|runtime error" "$WPLOG"; then
    notok "wirepeer: $(grep -m1 "Sanitizer\|runtime error" "$WPLOG")"
fi
