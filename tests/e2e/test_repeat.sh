#!/usr/bin/env bash
# A change is made once, however often its request comes: a repeat with
# the same request id (as mpool sends when no answer came) gets the first
# answer back, and no second case is made.
set -u
. "$(dirname "$0")/lib.sh"
standard_scenario

RAW=$(realpath "$BUILD/tools/rawclient")
post='{"domain":"labour","language":"nl","parties":[{"kind":"municipality","value":"almere"}],"no_narrative":true}'
cases() { sqlite3 "$POOL/almere/mpool.db" "select count(*) from m_cases"; }
before=$(cases)

first=$(RAW_REQUEST_ID=4242 "$RAW" "$POOL/almere/people/hr1.conf" case.post "$post")
again=$(RAW_REQUEST_ID=4242 "$RAW" "$POOL/almere/people/hr1.conf" case.post "$post")
expect_eq "a repeated post is answered with the first case" "$again" "$first"
expect_eq "and makes no second case" "$(cases)" $((before + 1))
out=$(RAW_REQUEST_ID=4242 "$RAW" "$POOL/almere/people/hr1.conf" case.withdraw \
    "{\"case_id\":\"$(json .case_id <<<"${first#OK }")\",\"reason_code\":\"other\"}")
rc=$?
expect "the same request id with another operation is refused ($rc: $out)" \
    test $rc = 2 -a -n "$(grep 'already used for case.post' <<<"$out")"
expect_eq "the repeat is audited as a repeat, not as a second ok" \
    "$(sqlite3 "$POOL/almere/mpool.db" "select group_concat(result, ' ') from (select result from audit where user_id = 'hr1' and op = 'case.post' order by id)")" \
    "ok repeat"

# The same request id for a withdraw of another case is refused, and that
# case stays open.
a=$(json .case_id <<<"$(RAW_REQUEST_ID=5000 "$RAW" "$POOL/almere/people/hr1.conf" case.post "$post" | sed 's/^OK //')")
b=$(json .case_id <<<"$(RAW_REQUEST_ID=5001 "$RAW" "$POOL/almere/people/hr1.conf" case.post "$post" | sed 's/^OK //')")
withdraw() { printf '{"case_id":"%s","reason_code":"other"}' "$1"; }
RAW_REQUEST_ID=5002 "$RAW" "$POOL/almere/people/hr1.conf" case.withdraw "$(withdraw "$a")" >/dev/null
out=$(RAW_REQUEST_ID=5002 "$RAW" "$POOL/almere/people/hr1.conf" case.withdraw "$(withdraw "$b")")
rc=$?
expect "the same request id with other arguments is refused ($rc: $out)" \
    test $rc = 2 -a -n "$(grep 'already used for another request' <<<"$out")"
expect_eq "the first case is withdrawn and the other stays open" \
    "$(sqlite3 "$POOL/almere/mpool.db" "select count(*) from m_cases where case_id in ('$a', '$b') and state = 'withdrawn'")" 1
expect_eq "and the audit trail says so, with no ok for it" \
    "$(sqlite3 "$POOL/almere/mpool.db" "select result from audit where op = 'case.withdraw' and case_id = '$b'")" \
    "bad_request"
before=$((before + 2)) # the two cases above
person almere hr2 hr
node_reload almere
other=$(RAW_REQUEST_ID=4242 "$RAW" "$POOL/almere/people/hr2.conf" case.post "$post")
expect "another person's request with the same id is a request of its own" \
    test "$other" != "$first" -a "$(cases)" = $((before + 2))

# The node stops answering for a while: mpool sends the request again and
# takes the first answer; the node makes one case.
kill -STOP "$(cat "$POOL/almere/pid")"
(sleep 5 && kill -CONT "$(cat "$POOL/almere/pid")") &
cont=$!
out=$(as almere hr1 --json --timeout 8 case post --no-narrative --domain labour --language nl --party almere)
wait "$cont"
expect "mpool gets its answer after sending the request twice ($out)" \
    test -n "$(json .case_id <<<"$out")"
expect_eq "and the node made one case of it" "$(cases)" $((before + 3))
expect_eq "the node answered the second from its record" \
    "$(grep -c 'case.post repeated; answered as the first time' "$POOL/almere/mpoold.log")" 2

# The node is killed after it committed a post and before it answered:
# mpool sends the request again to the restarted node, which answers from
# its record; one case, and mpool reports it as posted.
node_stop almere
(cd "$POOL/almere" && MPOOLD_TEST_EXIT_AFTER_COMMIT=1 exec "$MPOOLD" -c mpoold.conf >>mpoold.log 2>&1) &
echo $! >"$POOL/almere/pid"
wait_node almere
crashing=$(cat "$POOL/almere/pid")
as almere hr1 --json --timeout 10 case post --no-narrative --domain labour --language nl --party almere \
    >"$POOL/post.out" 2>"$POOL/post.err" &
poster=$!
wait "$crashing" 2>/dev/null
expect "the node ended between its commit and its answer" \
    grep -q "exiting between a commit and its answer" "$POOL/almere/mpoold.log"
node_start almere
wait "$poster"
rc=$?
expect "mpool still gets its answer, from the restarted node (exit $rc: $(cat "$POOL/post.err"))" \
    test $rc = 0 -a -n "$(json .case_id <"$POOL/post.out")"
expect_eq "and the node holds that one case" \
    "$(sqlite3 "$POOL/almere/mpool.db" "select count(*) from m_cases where case_id = '$(json .case_id <"$POOL/post.out")'") $(cases)" \
    "1 $((before + 4))"

# The coordinator's override, repeated, is applied once.
c=$(json .case_id <"$POOL/post.out")
as almere hr1 case wait "$c" --state shortlisted >/dev/null
req="{\"case_id\":\"$c\",\"mediator_id\":\"hilversum:med-h\",\"reason\":\"test\"}"
o1=$(RAW_REQUEST_ID=777 "$RAW" "$POOL/coordinator/people/coord.conf" pool.override "$req")
o2=$(RAW_REQUEST_ID=777 "$RAW" "$POOL/coordinator/people/coord.conf" pool.override "$req")
expect_eq "a repeated override gets the first answer" "$o2" "$o1"
expect_eq "and offers the case once" \
    "$(sqlite3 "$POOL/coordinator/mpool.db" "select count(*) from c_transitions where case_id = '$c' and reason like 'override:%'")" 1
