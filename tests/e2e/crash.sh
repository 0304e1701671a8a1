# shellcheck shell=bash
# Crash-safety harness, sourced by tests/e2e/test_crash.sh (short form) and
# tests/stress.sh (long form); not a scenario itself. It runs a standard
# pool under load (HR officers posting and choosing, mediators answering
# offers), SIGKILLs a random daemon at random moments and restarts it, then
# checks that nothing a user was told had been stored was lost or applied
# twice, that every journey can go on, and that no database was damaged.
#
# Usage: . tests/e2e/lib.sh; . tests/e2e/crash.sh; trap crash_finish EXIT
#        crash_run KILLS SEED POSTERS_PER_NODE SAMPLE
# Prints TAP lines and the figure line; T_FAILED is set on any failure.
#
# Every random choice comes from bash's RANDOM, seeded from SEED in each
# loop (a subshell reseeds RANDOM by itself, so each loop seeds its own).
# RANDOM is never read inside $(...), which would reseed it too. What is
# reproducible is the sequence of choices; where a kill lands relative to a
# request still depends on timing.

CRASH_NODES=(coordinator almere hilversum zeist)
# Two mediators a node: a case lists four others, one more than a
# shortlist holds, so a re-rank can move a listed mediator off the list.
CRASH_MEDIATORS=(almere:med-a hilversum:med-h zeist:med-z almere:med-a2 hilversum:med-h2 zeist:med-z2)
CRASH_PIDS=()
CRASH_TALLY=0
CRASH_DONE=
CRASH_REFUSED=0
CRASH_INELIGIBLE=0

# ---- setup ------------------------------------------------------------

# crash_setup POSTERS_PER_NODE : a standard pool with HR posters at each
# member node and mediators with room for many open cases.
crash_setup() {
    local per=$1 node i who
    standard_pool "$(mktemp -d)" || return 1
    CRASH=$POOL/crash
    mkdir -p "$CRASH"
    : >"$CRASH/failed"
    : >"$CRASH/kills"
    : >"$CRASH/steps"
    person hilversum hr-h hr
    for who in almere:med-a2 hilversum:med-h2 zeist:med-z2; do person "${who%%:*}" "${who#*:}" mediator; done
    CRASH_POSTERS=(almere:hr1 hilversum:hr-h zeist:hr-z)
    for ((i = 2; i <= per; i++)); do
        for node in almere hilversum zeist; do
            person "$node" "hr$i" hr
            CRASH_POSTERS+=("$node:hr$i")
        done
    done
    for node in almere hilversum zeist; do node_reload "$node"; done
    # Capacity 2 would leave every case escalated after a few offers.
    for who in "${CRASH_MEDIATORS[@]}"; do
        as "${who%%:*}" "${who#*:}" mediator register --specialty labour --specialty citizen \
            --language nl --language en --mfn-number "MfN-${who#*:}" --mfn-expiry 2030-01-01 \
            --capacity 20 >/dev/null || return 1
    done
    for node in almere hilversum zeist; do synced "$node" || return 1; done
    printf 'Conflict over schedules between an officer and her manager.\n' >"$CRASH/narrative.txt"
}

# ---- load ---------------------------------------------------------------

# crash_poster INDEX NODE USER : posts cases until told to stop; records
# every attempt, and a case id only when mpool exited 0 and printed it.
crash_poster() {
    local idx=$1 node=$2 user=$3 out rc id
    RANDOM=$((CRASH_SEED * 1000 + idx))
    local domains=(labour citizen) langs=(nl en) args
    while [ ! -e "$CRASH/stop" ]; do
        args=(--domain "${domains[RANDOM % 2]}" --language "${langs[RANDOM % 2]}" --party "$node")
        # A person's name goes in a file, never on the command line.
        if [ $((RANDOM % 3)) = 0 ]; then
            echo "person:Party $RANDOM" >"$CRASH/parties.$idx"
            args+=(--parties "$CRASH/parties.$idx")
        fi
        if [ $((RANDOM % 2)) = 0 ]; then args+=(--narrative "$CRASH/narrative.txt"); else args+=(--no-narrative); fi
        echo "$node" >>"$CRASH/attempts.$idx"
        out=$(as "$node" "$user" --timeout 3 --json case post "${args[@]}" 2>/dev/null)
        rc=$?
        id=$(json '.case_id // empty' <<<"$out" 2>/dev/null)
        [ $rc = 0 ] && [ -n "$id" ] && echo "$id,$node" >>"$CRASH/accepted.$idx"
        [ $rc = 0 ] && [ -n "$id" ] && [ $((RANDOM % 3)) = 0 ] && crash_choose "$node" "$user" "$id"
        [ $((RANDOM % 2)) = 0 ] && crash_close_one "$node" "$user"
        sleep "0.$((1 + RANDOM % 4))"
    done
}

# Chooses a random mediator of the case's shortlist, once it has one; now
# and then the parties first veto another one of the list. The choice
# goes straight after the veto, from the list the parties saw.
crash_choose() {
    local node=$1 user=$2 id=$3 show list pick vetoed
    show=$(as "$node" "$user" --timeout 3 --json case wait "$id" --state shortlisted,escalated \
        --timeout-wait 5 2>/dev/null) || return 0
    mapfile -t list < <(json '.shortlist[]?.mediator_id' <<<"$show" 2>/dev/null)
    [ ${#list[@]} -gt 0 ] || return 0
    pick=$((RANDOM % ${#list[@]}))
    if [ ${#list[@]} -gt 1 ] && [ $((RANDOM % 3)) = 0 ]; then
        vetoed=$(((pick + 1) % ${#list[@]}))
        as "$node" "$user" --timeout 3 case veto "$id" "${list[vetoed]}" --reason-code other \
            >/dev/null 2>&1 && echo veto >>"$CRASH/steps"
    fi
    as "$node" "$user" --timeout 3 case choose "$id" "${list[pick]}" >/dev/null 2>&1 &&
        echo choose >>"$CRASH/steps"
}

# Closes one case in mediation, so that mediators keep room for offers.
crash_close_one() {
    local node=$1 user=$2 list
    mapfile -t list < <(as "$node" "$user" --timeout 3 --json case list --state in_mediation \
        2>/dev/null | json '.cases[]?.case_id' 2>/dev/null)
    [ ${#list[@]} -gt 0 ] || return 0
    as "$node" "$user" --timeout 3 case close "${list[RANDOM % ${#list[@]}]}" \
        --outcome agreement --hours 1 >/dev/null 2>&1 && echo close >>"$CRASH/steps"
}

# crash_mediator INDEX NODE USER : answers open offers, accepting or
# declining at random, until told to stop.
crash_mediator() {
    local idx=$1 node=$2 user=$3 list id
    RANDOM=$((CRASH_SEED * 1000 + 500 + idx))
    while [ ! -e "$CRASH/stop" ]; do
        mapfile -t list < <(as "$node" "$user" --timeout 3 --json offer list 2>/dev/null |
            json '.offers[]? | select(.state == "offered") | .case_id' 2>/dev/null)
        if [ ${#list[@]} -gt 0 ]; then
            id=${list[RANDOM % ${#list[@]}]}
            if [ $((RANDOM % 3)) = 0 ]; then
                as "$node" "$user" --timeout 3 offer decline "$id" --reason-code no-time --reason "no time" \
                    >/dev/null 2>&1 && echo decline >>"$CRASH/steps"
            else
                as "$node" "$user" --timeout 3 offer accept "$id" --no-conflict >/dev/null 2>&1 &&
                    echo accept >>"$CRASH/steps"
            fi
        fi
        sleep "0.$((2 + RANDOM % 5))"
    done
}

crash_load_start() {
    local i who
    rm -f "$CRASH/stop"
    for i in "${!CRASH_POSTERS[@]}"; do
        who=${CRASH_POSTERS[i]}
        crash_poster "$i" "${who%%:*}" "${who#*:}" &
        CRASH_PIDS+=($!)
    done
    for i in "${!CRASH_MEDIATORS[@]}"; do
        who=${CRASH_MEDIATORS[i]}
        crash_mediator "$i" "${who%%:*}" "${who#*:}" &
        CRASH_PIDS+=($!)
    done
}

crash_load_stop() {
    local pid
    touch "$CRASH/stop"
    for pid in "${CRASH_PIDS[@]}"; do wait "$pid" 2>/dev/null; done
    CRASH_PIDS=()
}

# ---- the killer ---------------------------------------------------------

# A SIGKILLed process stays a zombie until its parent reaps it; by then it
# holds no socket or lock any more, so a zombie counts as gone.
crash_gone() {
    local state
    kill -0 "$1" 2>/dev/null || return 0
    state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)
    [ "$state" = Z ] || [ -z "$state" ]
}

# crash_kill NODE : SIGKILL, and forget the pid file it leaves behind, so
# that no later stop signals a reused pid.
crash_kill() {
    local node=$1 pid
    pid=$(cat "$POOL/$node/pid" 2>/dev/null) || return 1
    kill -KILL "$pid" 2>/dev/null || return 1
    # Reaps it when it is this shell's child, without the job notice.
    wait "$pid" 2>/dev/null
    for _ in $(seq 100); do crash_gone "$pid" && break; sleep 0.05; done
    rm -f "$POOL/$node/pid"
}

# crash_restart NODE : start it and wait until it answers; a node that does
# not come up is recorded and tried once more.
crash_restart() {
    local node=$1
    node_start "$node"
    wait_node "$node" 2>>"$CRASH/restart.log" && return 0
    echo "$node did not come back" >>"$CRASH/failed"
    tail -20 "$POOL/$node/mpoold.log" >>"$CRASH/restart.log"
    crash_kill "$node"
    node_start "$node"
    wait_node "$node" 2>>"$CRASH/restart.log"
}

# crash_nap TENTHS : sleeps TENTHS tenths of a second.
crash_nap() {
    sleep "$(($1 / 10)).$(($1 % 10))"
}

# crash_killer KILLS : kills a random daemon at a random moment, keeps it
# down a random short while and restarts it, KILLS times.
crash_killer() {
    local kills=$1 k node
    RANDOM=$CRASH_SEED
    for ((k = 1; k <= kills; k++)); do
        # Up for 0.2-1.1 s after it answered, down for 0-0.5 s.
        crash_nap $((2 + RANDOM % 10))
        node=${CRASH_NODES[RANDOM % ${#CRASH_NODES[@]}]}
        if ! crash_kill "$node"; then
            echo "$node was not running at kill $k" >>"$CRASH/failed"
            crash_restart "$node"
            continue
        fi
        crash_nap $((RANDOM % 6))
        crash_restart "$node" && echo "$node" >>"$CRASH/kills"
    done
}

# ---- settling -----------------------------------------------------------

crash_sql() {
    sqlite3 -cmd '.timeout 5000' "$@"
}

# Every daemon runs at the end of the kills; one that stopped by itself is
# a failure, and is started again for the checks.
crash_restart_all() {
    local node pid
    for node in "${CRASH_NODES[@]}"; do
        pid=$(cat "$POOL/$node/pid" 2>/dev/null)
        if [ -z "$pid" ] || crash_gone "$pid"; then
            echo "$node had stopped by itself" >>"$CRASH/failed"
            tail -20 "$POOL/$node/mpoold.log" >>"$CRASH/restart.log"
            rm -f "$POOL/$node/pid"
            crash_restart "$node"
        fi
    done
}

# Settled when every outbox is empty and every member has applied its whole
# journal, all at once (applying an event may queue a message, and a message
# may add journal entries). Waits up to LIMIT seconds.
crash_settle() {
    local limit=$1 deadline node c_epoch head m_epoch m_seq busy busy_out
    deadline=$((SECONDS + limit))
    while [ $SECONDS -lt "$deadline" ]; do
        busy=0
        c_epoch=$(crash_sql "$POOL/coordinator/mpool.db" \
            "select value from meta where key = 'journal_epoch'")
        for node in almere hilversum zeist; do
            head=$(crash_sql "$POOL/coordinator/mpool.db" \
                "select coalesce(max(seq), 0) from c_journal where dest = '$node'")
            IFS='|' read -r m_epoch m_seq busy_out < <(crash_sql "$POOL/$node/mpool.db" \
                "select (select value from meta where key = 'coord_epoch'),
                        (select coalesce((select value from meta where key = 'coord_seq'), 0)),
                        (select count(*) from m_outbox)")
            if [ "$busy_out" != 0 ] || [ "$m_seq" != "$head" ] ||
                { [ "$head" != 0 ] && [ "$m_epoch" != "$c_epoch" ]; }; then
                busy=1
            fi
        done
        [ $busy = 0 ] && return 0
        sleep 0.2
    done
    return 1
}

# ---- checks -------------------------------------------------------------

# crash_query SQL : runs SQL over all four databases attached read-only
# together with the reported-accepted cases (table acc: case_id, node).
crash_query() {
    local attach="" node
    for node in "${CRASH_NODES[@]}"; do
        attach+="ATTACH 'file:$POOL/$node/mpool.db?mode=ro' AS $node;"
    done
    crash_sql -cmd "$attach" -cmd 'CREATE TABLE acc(case_id TEXT, node TEXT);' \
        -cmd ".import --csv $CRASH/accepted acc" -cmd "$CRASH_VIEWS" :memory: \
        "$1"
}

# Every node's cases and offers in one view each; the state names of the
# coordinator's numbers, as in proto/mpool.proto.
CRASH_VIEWS="
CREATE TEMP VIEW mcases AS
  SELECT 'almere' AS node, case_id, state FROM almere.m_cases UNION ALL
  SELECT 'hilversum', case_id, state FROM hilversum.m_cases UNION ALL
  SELECT 'zeist', case_id, state FROM zeist.m_cases;
CREATE TEMP VIEW moffers AS
  SELECT 'almere' AS node, case_id, user_id, state FROM almere.m_offers UNION ALL
  SELECT 'hilversum', case_id, user_id, state FROM hilversum.m_offers UNION ALL
  SELECT 'zeist', case_id, user_id, state FROM zeist.m_offers;
CREATE TEMP VIEW ccases AS
  SELECT case_id, requester, (SELECT s.mediator_id FROM coordinator.c_seats s
    WHERE s.case_id = c.case_id ORDER BY s.rowid LIMIT 1) AS mediator_id, state AS n, CASE state
    WHEN 1 THEN 'posted' WHEN 2 THEN 'shortlisted' WHEN 3 THEN 'chosen'
    WHEN 4 THEN 'offered' WHEN 5 THEN 'accepted' WHEN 6 THEN 'awaiting_consent'
    WHEN 7 THEN 'in_mediation' WHEN 8 THEN 'closed' WHEN 9 THEN 'withdrawn'
    WHEN 10 THEN 'escalated' END AS state FROM coordinator.c_cases c;
CREATE TEMP VIEW trans AS
  SELECT case_id, from_state, to_state, reason,
    row_number() OVER (PARTITION BY case_id ORDER BY id) AS rn,
    lag(to_state) OVER (PARTITION BY case_id ORDER BY id) AS prev
  FROM coordinator.c_transitions;"

# crash_count DESCRIPTION SQL : a TAP line, ok when the count SQL gives is 0;
# the count is added to CRASH_TALLY for the figure line.
crash_count() {
    local desc=$1 n
    n=$(crash_query "$2")
    [[ $n =~ ^[0-9]+$ ]] || { notok "$desc (the query failed: $n)"; n=1; }
    if [ "$n" = 0 ]; then ok "$desc"; else notok "$desc ($n found)"; fi
    CRASH_TALLY=$((CRASH_TALLY + n))
}

# Nothing that was reported accepted is missing, and nothing a member
# stored stayed away from the coordinator.
crash_check_lost() {
    crash_count "every reported-accepted case is stored once at its requesting node" \
        "SELECT count(*) FROM acc WHERE (SELECT count(*) FROM mcases m
           WHERE m.case_id = acc.case_id AND m.node = acc.node) != 1"
    crash_count "every reported-accepted case is stored once at the coordinator" \
        "SELECT count(*) FROM acc WHERE (SELECT count(*) FROM ccases c
           WHERE c.case_id = acc.case_id AND c.requester = acc.node) != 1"
    crash_count "every case a member stored has reached the coordinator" \
        "SELECT count(*) FROM mcases m WHERE NOT EXISTS
           (SELECT 1 FROM ccases c WHERE c.case_id = m.case_id)"
}

# The cases lost, each counted once: reported accepted but missing at its
# node or at the coordinator, or stored by a member but never at the
# coordinator.
CRASH_LOST="SELECT count(*) FROM (
  SELECT case_id FROM acc WHERE
    (SELECT count(*) FROM mcases m WHERE m.case_id = acc.case_id AND m.node = acc.node) != 1
    OR (SELECT count(*) FROM ccases c WHERE c.case_id = acc.case_id) != 1
  UNION SELECT case_id FROM mcases m WHERE NOT EXISTS
    (SELECT 1 FROM ccases c WHERE c.case_id = m.case_id))"

crash_check_duplicates() {
    local node attempts stored
    crash_count "no case id was reported accepted twice" \
        "SELECT count(*) - count(DISTINCT case_id) FROM acc"
    for node in almere hilversum zeist; do
        attempts=$(cat "$CRASH"/attempts.* 2>/dev/null | grep -c "^$node\$")
        stored=$(crash_sql "$POOL/$node/mpool.db" "select count(*) from m_cases")
        if [ "$stored" -le "$attempts" ]; then
            ok "$node stored no more cases than were posted ($stored of $attempts)"
        else
            notok "$node stored more cases than were posted ($stored of $attempts)"
            CRASH_TALLY=$((CRASH_TALLY + stored - attempts))
        fi
    done
    crash_count "every case was created once at the coordinator (one posted transition)" \
        "SELECT count(*) FROM ccases c WHERE (SELECT count(*) FROM trans t
           WHERE t.case_id = c.case_id AND t.from_state = 1) != 1"
    crash_count "every case's transitions form one chain (no action applied twice)" \
        "SELECT count(*) FROM trans WHERE (rn = 1 AND from_state != 1)
           OR (rn > 1 AND (from_state != prev OR from_state = 1))"
    crash_count "every offer follows a choice (no case offered twice without an end between)" \
        "SELECT count(*) FROM trans WHERE to_state = 4 AND from_state != 3
           AND reason NOT LIKE 'override:%'"
    crash_count "every node's journal runs 1..head without gaps" \
        "SELECT count(*) FROM (SELECT dest FROM coordinator.c_journal GROUP BY dest
           HAVING min(seq) != 1 OR max(seq) != count(*))"
    crash_count "every mediator's node has one offer row per case and mediator" \
        "SELECT count(*) - count(DISTINCT node || '|' || case_id || '|' || user_id) FROM moffers"
    crash_count "the coordinator never saw a case posted twice" \
        "SELECT $(grep -c 'exists already' "$POOL/coordinator/mpoold.log")"
}

# What members show agrees with the coordinator once everything is applied.
crash_check_views() {
    crash_count "each requesting node shows its cases in the coordinator's state" \
        "SELECT count(*) FROM mcases m JOIN ccases c USING (case_id) WHERE m.state != c.state"
    crash_count "each open offer is at its mediator's node" \
        "SELECT count(*) FROM coordinator.c_seats s WHERE s.state IN (4, 5, 6, 7) AND NOT EXISTS
           (SELECT 1 FROM moffers o WHERE o.case_id = s.case_id
            AND o.node || ':' || o.user_id = s.mediator_id)"
}

# crash_continue_shortlisted CASE : the next step works: a choice reaches the
# mediator's node as an offer, the acceptance puts the case in mediation.
crash_continue_shortlisted() {
    local id=$1 node=${1%%-*} show med state
    show=$(as "$node" "${CRASH_HR[$node]}" --json case show "$id") || return 1
    med=$(json '.shortlist[0].mediator_id // empty' <<<"$show")
    [ -n "$med" ] || { echo "$id: shortlisted without a shortlist" >&2; return 1; }
    as "$node" "${CRASH_HR[$node]}" case choose "$id" "$med" >/dev/null || return 1
    state=$(as "$node" "${CRASH_HR[$node]}" --json case wait "$id" \
        --state offered,shortlisted,escalated | json .state) || return 1
    # The coordinator may find the mediator full by now and shortlist anew.
    [ "$state" = offered ] || return 0
    crash_continue_offered "$id" "$med"
}

# crash_continue_offered CASE MEDIATOR
crash_continue_offered() {
    local id=$1 med=$2 node=${1%%-*}
    as "${med%%:*}" "${med#*:}" offer wait "$id" --state offered >/dev/null || {
        echo "$id: the offer did not reach $med" >&2
        return 1
    }
    as "${med%%:*}" "${med#*:}" offer accept "$id" --no-conflict >/dev/null || return 1
    as "$node" "${CRASH_HR[$node]}" case wait "$id" --state in_mediation >/dev/null || {
        echo "$id: accepted by $med but not in mediation" >&2
        return 1
    }
}

# crash_check_continue SAMPLE : the next step for SAMPLE shortlisted and
# SAMPLE offered surviving cases, picked with the seed.
crash_check_continue() {
    local sample=$1 rows row id med failed n kind pick
    RANDOM=$((CRASH_SEED * 1000 + 900))
    for kind in shortlisted offered; do
        mapfile -t rows < <(crash_query "SELECT c.case_id || '|' || coalesce(c.mediator_id, '')
            FROM acc JOIN ccases c USING (case_id) WHERE c.state = '$kind' ORDER BY c.case_id")
        failed=0 n=0
        while [ ${#rows[@]} -gt 0 ] && [ $n -lt "$sample" ]; do
            pick=$((RANDOM % ${#rows[@]}))
            row=${rows[pick]}
            rows=("${rows[@]:0:pick}" "${rows[@]:pick+1}")
            id=${row%%|*} med=${row#*|}
            n=$((n + 1))
            if [ $kind = shortlisted ]; then
                crash_continue_shortlisted "$id" || failed=$((failed + 1))
            else
                crash_continue_offered "$id" "$med" || failed=$((failed + 1))
            fi
        done
        if [ $failed = 0 ]; then
            ok "$n sampled $kind cases take their next step"
        else
            notok "$failed of $n sampled $kind cases cannot take their next step"
        fi
    done
}

# Steps a node answered OK that the coordinator refused later: none, but
# for a choice of a mediator who had become ineligible in the meantime.
# The coordinator logs each refusal; one it logged before a kill undid the
# transaction is logged again when the message comes again, so each is
# counted once. Prints the counts by reason; CRASH_REFUSED and
# CRASH_INELIGIBLE keep them for the figure line.
crash_check_refusals() {
    local log=$POOL/coordinator/mpoold.log refused
    refused=$(grep -h -e ' refused: ' -e 'rejected action' "$log" | sed 's/^.*\(case [^ ]*: \)/\1/' | sort -u)
    CRASH_INELIGIBLE=$(grep -c 'refused: no longer eligible' <<<"$refused")
    CRASH_REFUSED=$(grep -v 'refused: no longer eligible' <<<"$refused" | grep -c .)
    if [ -n "$refused" ]; then
        echo "# refusals of steps answered OK, by step and reason:"
        sed 's/^case [^ ]*: //; s/ from [^ ]* refused: / refused: /; s/ of [^ ]* refused: / refused: /' \
            <<<"$refused" | sed 's/(\([a-z_]*\))$/(\1)/' | sort | uniq -c | sed 's/^/#   /'
    fi
    if [ "$CRASH_REFUSED" = 0 ]; then
        ok "no step a node answered OK was refused later ($CRASH_INELIGIBLE choices of a mediator who had become ineligible were)"
    else
        notok "$CRASH_REFUSED steps a node answered OK were refused later by the coordinator"
    fi
    crash_count "no step waits for the pool once the pool settled" \
        "SELECT (SELECT count(*) FROM almere.m_pending) + (SELECT count(*) FROM hilversum.m_pending)
           + (SELECT count(*) FROM zeist.m_pending)"
}

# The steps people took and their nodes answered OK, counted by kind.
crash_steps() {
    local total
    total=$(wc -l <"$CRASH/steps" 2>/dev/null || echo 0)
    echo "$total ($(sort "$CRASH/steps" 2>/dev/null | uniq -c | awk '{printf "%s%s %s", (NR > 1 ? ", " : ""), $1, $2}'))"
}

crash_check_integrity() {
    local node
    for node in "${CRASH_NODES[@]}"; do
        expect_eq "$node's database passes the integrity check" \
            "$(sqlite3 "$POOL/$node/mpool.db" 'PRAGMA integrity_check')" ok
    done
}

# The EXIT trap of a scenario: a run that stopped half-way (a shell error
# under set -u, say) must not pass for lack of a failed check.
crash_finish() {
    local rc=$?
    [ "$CRASH_DONE" ] || notok "the crash run stopped before its checks were done (seed ${CRASH_SEED:-?})"
    finish $rc
}

# ---- the whole run ----------------------------------------------------------

# crash_run KILLS SEED POSTERS_PER_NODE SAMPLE
crash_run() {
    local kills=$1 per=$3 sample=$4 failed_restarts survived posted accepted lost dups
    CRASH_SEED=$2
    declare -gA CRASH_HR=([almere]=hr1 [hilversum]=hr-h [zeist]=hr-z)
    echo "# crash: seed $CRASH_SEED, $kills kills, $per poster(s) per node"
    local t0=$SECONDS
    crash_setup "$per" || { notok "the pool did not start"; return 1; }
    echo "# pool ready after $((SECONDS - t0)) s"
    crash_load_start
    crash_killer "$kills"
    crash_load_stop
    echo "# load and kills done after $((SECONDS - t0)) s"
    crash_restart_all
    failed_restarts=$(wc -l <"$CRASH/failed")
    if [ "$failed_restarts" = 0 ]; then
        ok "every killed daemon came back"
    else
        notok "$failed_restarts daemon restarts failed: $(sort -u "$CRASH/failed" | tr '\n' ';')"
        sed 's/^/# /' "$CRASH/restart.log" 2>/dev/null | tail -40
    fi
    survived=$(wc -l <"$CRASH/kills")
    if crash_settle 120; then
        ok "every outbox drained and every journal applied"
    else
        notok "the pool did not settle within 120 s"
    fi

    cat "$CRASH"/accepted.* >"$CRASH/accepted" 2>/dev/null || : >"$CRASH/accepted"
    posted=$(cat "$CRASH"/attempts.* 2>/dev/null | wc -l)
    accepted=$(wc -l <"$CRASH/accepted")
    CRASH_TALLY=0
    crash_check_lost
    lost=$(crash_query "$CRASH_LOST")
    CRASH_TALLY=0
    crash_check_duplicates
    dups=$CRASH_TALLY
    crash_check_views
    crash_check_refusals
    echo "# settled and checked after $((SECONDS - t0)) s"
    crash_check_continue "$sample"
    echo "# journeys continued after $((SECONDS - t0)) s"

    pool_stop
    crash_check_integrity
    echo "crash: seed $CRASH_SEED, kills $survived survived, cases posted $posted" \
        "(reported accepted $accepted), lost $lost, duplicates $dups;" \
        "steps answered OK $(crash_steps), refused later $CRASH_REFUSED" \
        "(and $CRASH_INELIGIBLE choices of a mediator no longer eligible)"
    CRASH_DONE=1
    [ "$lost" = 0 ] && [ "$dups" = 0 ] && [ "$failed_restarts" = 0 ] && [ "$CRASH_REFUSED" = 0 ]
}
