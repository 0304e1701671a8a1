# Shared helpers of the end-to-end scenarios and the demo: build a pool of
# one coordinator and member nodes in a temporary directory, on loopback
# ports, drive it with mpool only, and stop it again.
#
# Usage: . tests/e2e/lib.sh; pool_create DIR almere hilversum zeist; pool_start
# Needs: BUILD (the build directory with mpoold and mpool).

BUILD=${BUILD:-build}
# As an administrator should: users.ini and the files the scenarios write in
# its place are for the node (its owner and group) only; mpoold refuses a
# users.ini that others may read.
umask 027
MEMBERS=()
MPOOLD=$(realpath "${MPOOLD:-$BUILD/mpoold}")
MPOOL=$(realpath "${MPOOL:-$BUILD/mpool}")
DATA=${DATA:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/../shared/data/pools.csv}

# Coordinates of a municipality, from pools.csv when it is there.
place() {
    local id=$1 line
    if [ -r "$DATA" ] && line=$(grep -m1 ",$id," "$DATA"); then
        IFS=, read -r _ _ name lat lon <<<"$line"
        printf '%s|%s|%s\n' "$name" "$lat" "$lon"
        return
    fi
    case $id in
    almere) echo "Almere|52.3508|5.2647" ;;
    hilversum) echo "Hilversum|52.2292|5.1669" ;;
    zeist) echo "Zeist|52.0894|5.2333" ;;
    amersfoort) echo "Amersfoort|52.1561|5.3878" ;;
    coordinator) echo "Pool coordinator|52.0907|5.1214" ;;
    *) echo "$id|52.1|5.2" ;;
    esac
}

port_free() {
    ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Picks a base port with ten free ports above it, below the kernel's range
# of ephemeral ports: an outgoing connection may hold any port in that range
# without listening on it, and a bind there would fail.
pick_ports() {
    local tries=0 base low
    read -r low _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || low=32768
    while [ $tries -lt 50 ]; do
        base=$((10000 + (RANDOM * 7 + $$) % (low - 10020)))
        local ok=1 p
        for p in $(seq "$base" $((base + 9))); do port_free "$p" || ok=0; done
        [ $ok = 1 ] && { echo "$base"; return 0; }
        tries=$((tries + 1))
    done
    echo "no free ports found" >&2
    return 1
}

# pool_create DIR MEMBER... : keys, roster, configurations, people.
# OFFER_EXPIRY (seconds), LANGUAGES and DOMAINS (the pool's words,
# comma-separated) change the defaults.
pool_create() {
    POOL=$1
    shift
    MEMBERS=("$@")
    mkdir -p "$POOL"
    local base
    base=$(pick_ports) || return 1
    COORD_ROUTER=$base
    COORD_PUB=$((base + 1))
    "$MPOOLD" pool-secret --out "$POOL/pool.secret" >/dev/null || return 1
    : >"$POOL/roster.ini"
    local node i=0
    for node in coordinator "${MEMBERS[@]}"; do
        mkdir -p "$POOL/$node/people"
        local keys name lat lon
        keys=$("$MPOOLD" keygen --out "$POOL/$node/node.key") || return 1
        IFS='|' read -r name lat lon <<<"$(place "$node")"
        printf '[%s]\nname = %s\nlat = %s\nlon = %s\n%s\n\n' "$node" "$name" "$lat" "$lon" \
            "$(grep -v '^#' <<<"$keys")" >>"$POOL/roster.ini"
        eval "CLIENT_PORT_${node//-/_}=$((base + 2 + i))"
        i=$((i + 1))
    done
    local coord_curve coord_sign
    coord_curve=$(awk -F' = ' '/^\[coordinator\]/{f=1} f&&/^curve_key/{print $2; exit}' "$POOL/roster.ini")
    coord_sign=$(awk -F' = ' '/^\[coordinator\]/{f=1} f&&/^sign_key/{print $2; exit}' "$POOL/roster.ini")
    for node in coordinator "${MEMBERS[@]}"; do
        local role=member port_var="CLIENT_PORT_${node//-/_}"
        [ "$node" = coordinator ] && role=coordinator
        : >"$POOL/$node/users.ini"
        chmod 640 "$POOL/$node/users.ini"
        {
            printf '[node]\nid = %s\nrole = %s\ndatabase = mpool.db\nkeys = node.key\n' "$node" "$role"
            [ $role = member ] && printf 'pool_secret = pool.secret\n'
            printf 'roster = ../roster.ini\nusers = users.ini\nclients = tcp://127.0.0.1:%s\n' "${!port_var}"
            printf 'log_level = %s\n\n' "${LOG_LEVEL:-info}"
            printf '[coordinator]\nendpoint = tcp://127.0.0.1:%s\nevents = tcp://127.0.0.1:%s\n' \
                "$COORD_ROUTER" "$COORD_PUB"
            printf 'curve_key = %s\nsign_key = %s\n' "$coord_curve" "$coord_sign"
            [ $role = coordinator ] && printf 'bind = tcp://127.0.0.1:%s\nevents_bind = tcp://127.0.0.1:%s\n' \
                "$COORD_ROUTER" "$COORD_PUB"
            printf '\n[pool]\nretry = 200\noffer_expiry = %s\n' "${OFFER_EXPIRY:-172800}"
            # The coordinator's languages, for a scenario that needs one nobody speaks.
            [ -n "${LANGUAGES:-}" ] && printf 'languages = %s\n' "$LANGUAGES"
            [ -n "${DOMAINS:-}" ] && printf 'domains = %s\n' "$DOMAINS"
        } >"$POOL/$node/mpoold.conf"
        if [ $role = member ]; then
            cp "$POOL/pool.secret" "$POOL/$node/pool.secret"
            chmod 600 "$POOL/$node/pool.secret"
        fi
    done
    rm -f "$POOL/pool.secret"
}

# person NODE ID ROLE : issue a key; `as NODE ID ...` then runs mpool as them.
person() {
    "$MPOOLD" -c "$POOL/$1/mpoold.conf" user-add "$2" --role "$3" --out "$POOL/$1/people" >/dev/null
}

as() {
    local node=$1 id=$2
    shift 2
    names_before_accept "$node" "$id" "$@"
    "$MPOOL" --config "$POOL/$node/people/$id.conf" "$@"
}

# A mediator reads the parties' names (mpool offer show) before declaring,
# and the node takes no declaration on an offer whose names have not
# reached it yet: before an `offer accept`, wait (5 s at most) until they
# have, or the offer no longer waits for an answer. The accept then says
# what is wrong, if anything still is.
names_before_accept() { # NODE USER ARGS...
    local node=$1 id=$2 case_id="" prev="" arg
    shift 2
    for arg in "$@"; do
        if [ "$prev" = accept ] && [ "${arg#-}" = "$arg" ]; then case_id=$arg; break; fi
        [ "$prev" = offer ] && [ "$arg" = accept ] && prev=accept && continue
        [ "$prev" != accept ] && prev=$arg
    done
    [ -n "$case_id" ] || return 0
    local db=$POOL/$node/mpool.db _
    for _ in $(seq 50); do
        [ "$(sqlite3 "$db" "select count(*) from m_offers where case_id = '$case_id' and user_id = '$id'
            and state = 'offered' and names is null" 2>/dev/null)" = 0 ] && return 0
        sleep 0.1
    done
}

node_start() {
    local node=$1
    # NODE_USER=UID runs it as that user (setpriv then execs mpoold: same pid).
    (cd "$POOL/$node" && exec ${NODE_USER:+setpriv --reuid="$NODE_USER" --regid="$NODE_USER" \
        --clear-groups} "$MPOOLD" -c mpoold.conf >>mpoold.log 2>&1) &
    echo $! >"$POOL/$node/pid"
}

node_stop() {
    local node=$1 pid
    pid=$(cat "$POOL/$node/pid" 2>/dev/null) || return 0
    # A pid file left by a daemon that is gone: its number may be reused.
    if ! kill -0 "$pid" 2>/dev/null; then
        rm -f "$POOL/$node/pid"
        return 0
    fi
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    rm -f "$POOL/$node/pid"
}

# Reloads people and roster (SIGHUP) of a running node.
node_reload() {
    kill -HUP "$(cat "$POOL/$1/pid")"
    sleep 0.3
}

pool_start() {
    local node
    for node in coordinator "${MEMBERS[@]}"; do node_start "$node"; done
    # Ready when every node answers its people.
    for node in coordinator "${MEMBERS[@]}"; do
        wait_node "$node" || return 1
    done
}

wait_node() {
    local node=$1 who
    who=$(ls "$POOL/$node/people/"*.conf 2>/dev/null | head -1)
    [ -n "$who" ] || { sleep 0.5; return 0; }
    for _ in $(seq 50); do
        "$MPOOL" --config "$who" --timeout 1 whoami >/dev/null 2>&1 && return 0
        kill -0 "$(cat "$POOL/$node/pid")" 2>/dev/null || break
        sleep 0.1
    done
    echo "node $node did not come up; its log:" >&2
    tail -5 "$POOL/$node/mpoold.log" >&2
    return 1
}

pool_stop() {
    local node
    for node in "${MEMBERS[@]}" coordinator; do node_stop "$node"; done
}

# json FILTER : jq on stdin, raw output.
json() {
    jq -r "$@"
}

# ---- assertions: TAP lines, counted by tests/run.sh ----------------------
T_FAILED=0

ok() { echo "ok - $*"; }
notok() {
    echo "not ok - $*"
    T_FAILED=1
}

# expect DESCRIPTION COMMAND... : the command succeeds.
expect() {
    local desc=$1
    shift
    if "$@" >/dev/null 2>&1; then ok "$desc"; else notok "$desc"; fi
}

# expect_eq DESCRIPTION GOT WANT
expect_eq() {
    if [ "$2" = "$3" ]; then ok "$1"; else notok "$1 (got '$2', want '$3')"; fi
}

# expect_exit CODE DESCRIPTION COMMAND... : exit status and a one-line error.
expect_exit() {
    local code=$1 desc=$2 err rc
    shift 2
    err=$("$@" 2>&1 >/dev/null)
    rc=$?
    if [ $rc -eq "$code" ] && [ "$(wc -l <<<"$err")" -le 1 ] && [ -n "$err" ]; then
        ok "$desc (exit $rc: $err)"
    else
        notok "$desc (exit $rc, want $code: $err)"
    fi
}

# A pool of almere, hilversum and zeist with people, mediators registered.
standard_pool() {
    pool_create "$1" almere hilversum zeist || return 1
    person coordinator coord coordinator
    person almere hr1 hr
    person almere med-a mediator
    person hilversum med-h mediator
    person zeist med-z mediator
    person zeist hr-z hr
    pool_start || return 1
    local who
    for who in almere:med-a hilversum:med-h zeist:med-z; do
        as "${who%%:*}" "${who#*:}" mediator register --specialty labour --specialty citizen \
            --language nl --language en --mfn-number "MfN-${who#*:}" --mfn-expiry 2030-01-01 \
            --capacity 2 >/dev/null || return 1
    done
    wait_profiles 3
}

# The start of most scenarios: a standard pool in a new temporary folder,
# stopped and checked by finish however the scenario ends.
standard_scenario() {
    trap finish EXIT
    standard_pool "$(mktemp -d)" || { echo "not ok - pool did not start"; exit 1; }
}

# NODE:USER pairs as mediators in users.ini (before pool_start), and then
# registered: labour, Dutch, capacity 3 (register_mediators, after it).
mediator_people() {
    local who
    for who in "$@"; do person "${who%%:*}" "${who#*:}" mediator; done
}
register_mediators() {
    local who
    for who in "$@"; do
        as "${who%%:*}" "${who#*:}" mediator register --specialty labour --language nl \
            --mfn-number "MfN-${who#*:}" --mfn-expiry 2030-01-01 --capacity 3 >/dev/null || return 1
    done
    wait_profiles $#
}
# med NODE:USER ARGS... : mpool as that mediator.
med() { as "${1%%:*}" "${1#*:}" "${@:2}"; }

# take_on NODE HR CASE MEDIATOR: the parties choose the mediator, who
# accepts; returns once the case is in mediation.
take_on() {
    as "$1" "$2" case choose "$3" "$4" >/dev/null &&
        med "$4" offer wait "$3" --state offered >/dev/null &&
        med "$4" offer accept "$3" --no-conflict >/dev/null &&
        as "$1" "$2" case wait "$3" --state in_mediation >/dev/null
}

# dashboard_on [LINE...]: a test certificate ($DASH_CRT, $DASH_KEY) and the
# coordinator's [dashboard] with it on a free port ($DASH_PORT), plus the
# lines given; before pool_start.
dashboard_on() {
    DASH_CRT=$POOL/dash.crt DASH_KEY=$POOL/dash.key
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
        -addext subjectAltName=IP:127.0.0.1 -keyout "$DASH_KEY" -out "$DASH_CRT" \
        >/dev/null 2>&1 || { echo "openssl could not make the test certificate" >&2; return 1; }
    chmod 600 "$DASH_KEY"
    DASH_PORT=$(pick_ports) || return 1
    {
        printf '\n[dashboard]\nbind = 127.0.0.1:%s\ncert = %s\nkey = %s\n' "$DASH_PORT" \
            "$DASH_CRT" "$DASH_KEY"
        [ $# -eq 0 ] || printf '%s\n' "$@"
    } >>"$POOL/coordinator/mpoold.conf"
}

# Waits until the coordinator knows N mediators.
wait_profiles() {
    for _ in $(seq 100); do
        [ "$(as coordinator coord --json pool status | json '.mediators | length')" = "$1" ] && return 0
        sleep 0.1
    done
    echo "the coordinator did not learn $1 mediator profiles" >&2
    return 1
}

# Waits until NODE's outbox is empty: the coordinator has stored all it sent.
synced() {
    for _ in $(seq 200); do
        [ "$(sqlite3 "$POOL/$1/mpool.db" 'select count(*) from m_outbox')" = 0 ] && return 0
        sleep 0.05
    done
    echo "$1 still has unacknowledged messages" >&2
    return 1
}

# The coordinator's journal head for NODE, and NODE's position in it.
journal_head() {
    sqlite3 "$POOL/coordinator/mpool.db" "select coalesce(max(seq), 0) from c_journal where dest = '$1'"
}
coord_seq() {
    sqlite3 "$POOL/$1/mpool.db" "select coalesce(max(value), 0) from meta where key = 'coord_seq'"
}

# Waits (up to a minute) until NODE has applied its whole journal.
caught_up() {
    for _ in $(seq 1200); do
        [ "$(coord_seq "$1")" -ge "$(journal_head "$1")" ] && return 0
        sleep 0.05
    done
    echo "$1 did not catch up with its journal" >&2
    return 1
}

# post_case HR_NODE HR_ID ARGS... : prints the new case id; without a
# --narrative among ARGS the case is posted with --no-narrative.
post_case() {
    local node=$1 id=$2 none=--no-narrative arg
    shift 2
    for arg in "$@"; do [ "$arg" = --narrative ] && none=; done
    as "$node" "$id" --json case post $none "$@" | json .case_id
}

# finish [STATUS]: the EXIT trap; a wrapper passes the status it found.
finish() {
    local rc=${1:-$?}
    # A scenario that stopped on an error (set -u, a failed helper) must
    # not pass because no assertion had failed yet.
    if [ $rc -ne 0 ] && [ $T_FAILED -eq 0 ]; then
        notok "the scenario stopped early with exit status $rc"
    fi
    [ -n "${POOL:-}" ] || exit $T_FAILED
    pool_stop
    # In a sanitizer build, a report in any daemon's log fails the scenario.
    local log
    for log in "$POOL"/*/mpoold.log; do
        [ -e "$log" ] || continue
        if grep -q "Sanitizer\|runtime error" "$log"; then
            notok "$(basename "$(dirname "$log")"): $(grep -m1 "Sanitizer\|runtime error" "$log")"
        fi
    done
    [ "${KEEP:-}" ] || rm -rf "$POOL"
    exit $T_FAILED
}
