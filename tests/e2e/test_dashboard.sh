#!/usr/bin/env bash
# The coordinator's dashboard over HTTPS: a one-time link signs a browser
# in, nothing is shown without a session, a session ends, only the
# coordinator gets a link, and no page holds a label or a narrative.
set -u
. "$(dirname "$0")/lib.sh"
trap finish EXIT
pool_create "$(mktemp -d)" almere hilversum || { echo "not ok - pool did not start"; exit 1; }
dashboard_on "session = 8" || { echo "not ok - no dashboard configuration"; exit 1; }
port=$DASH_PORT
person coordinator coord coordinator
person coordinator watcher hr
person almere hr1 hr
person almere coord-a coordinator
person hilversum med-h mediator
pool_start || { echo "not ok - pool did not start"; exit 1; }
as hilversum med-h mediator register --specialty labour --language nl --mfn-number MfN-1 \
    --mfn-expiry 2030-01-01 --capacity 3 >/dev/null
wait_profiles 1
printf 'Het conflict tussen Jan Jansen en zijn teamleider\n' >"$POOL/story.txt"
c=$(post_case almere hr1 --domain labour --language nl --party almere --parties <(echo "person:Jan Jansen") \
    --narrative "$POOL/story.txt")
as almere hr1 case wait "$c" --state shortlisted >/dev/null
round=$(as coordinator coord --json pool round | json .round)

# get PATH [COOKIE]: "STATUS<tab>Set-Cookie<tab>CSP" and the body after a
# blank line, over HTTPS trusting the test certificate only.
get() {
    /usr/bin/python3 - "$port" "$POOL/dash.crt" "$1" "${2:-}" <<'EOF'
import http.client, ssl, sys
port, ca, path, cookie = sys.argv[1:5]
ctx = ssl.create_default_context(cafile=ca)
c = http.client.HTTPSConnection("127.0.0.1", int(port), context=ctx, timeout=10)
c.request("GET", path, headers={"Cookie": "__Host-mpool_session=" + cookie} if cookie else {})
r = c.getresponse()
body = r.read().decode()
print("%d\t%s\t%s\t%s" % (r.status, r.getheader("Set-Cookie") or "-",
                           r.getheader("Content-Security-Policy") or "-",
                           r.getheader("Strict-Transport-Security") or "-"))
print()
print(body)
EOF
}
status() { head -1 | cut -f1; }

expect_eq "without a session the overview is refused" "$(get / | status)" 401
link=$(as coordinator coord --json pool dashboard | json .url)
expect "the coordinator gets a one-time HTTPS link" grep -q "^https://127.0.0.1:$port/login?token=[0-9a-f]\{64\}$" <<<"$link"
path=${link#https://127.0.0.1:$port}
first=$(get "$path")
expect_eq "the link signs the browser in" "$(status <<<"$first")" 200
expect "and its page moves on to the overview itself, a same-site step" \
    grep -q '<meta http-equiv="refresh" content="0; url=/">' <<<"$first"
cookie=$(head -1 <<<"$first" | cut -f2)
expect "the session cookie is bound to this origin, HttpOnly, SameSite=Strict and Secure" \
    grep -q "^__Host-mpool_session=[0-9a-f]\{64\}; Path=/; Max-Age=8; HttpOnly; SameSite=Strict; Secure$" <<<"$cookie"
expect_eq "browsers are told to come back over HTTPS only" "$(head -1 <<<"$first" | cut -f4)" \
    "max-age=31536000"
sid=$(sed 's/^__Host-mpool_session=\([0-9a-f]*\);.*/\1/' <<<"$cookie")
expect_eq "the link works once" "$(get "$path" | status)" 401
page=$(get / "$sid")
expect_eq "with the session the overview shows" "$(status <<<"$page")" 200
expect_eq "under a strict content policy" "$(head -1 <<<"$page" | cut -f3)" \
    "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
expect "the overview holds a chart and its table" \
    test -n "$(grep '<svg' <<<"$page")" -a -n "$(grep '<table><caption>Cases by state now' <<<"$page")"
expect "and no script" test -z "$(grep -i '<script' <<<"$page")"
ledger=$(get "/ledger?year=$(date -u +%Y)" "$sid")
expect_eq "the ledger page shows" "$(status <<<"$ledger")" 200
expect_eq "an unknown page is not found" "$(get /nothing "$sid" | status)" 404
mediators=$(get /mediators "$sid")
expect "the mediators page shows open cases against capacity" \
    grep -q '<title>hilversum:med-h, capacity: 3</title>' <<<"$mediators"
flow=$(get /flow "$sid")
expect "the flow page counts this month's posted case" \
    grep -q "<title>$(date -u +%Y-%m), posted: 1</title>" <<<"$flow"
rounds=$(get /rounds "$sid")
expect "the rounds page lists the batch round" grep -q "<tr><td>$round</td>" <<<"$rounds"
expect "no page holds a party's label or the narrative" \
    test -z "$(grep -i 'jansen\|teamleider' <<<"$page$ledger$mediators$flow$rounds")"
expect_eq "an unknown page with invalid UTF-8 in its path is not found" \
    "$(get /%FF%FE "$sid" | status)" 404
expect_eq "every page view is in the audit trail by the page's name, recorded before the page was built" \
    "$(sqlite3 "$POOL/coordinator/mpool.db" "select count(*) from audit where user_id = 'coord' and op like 'dashboard /%' and result = 'read'")" 5
expect_eq "an unknown page is recorded as such, read and not found, never by the path as sent" \
    "$(sqlite3 "$POOL/coordinator/mpool.db" "select group_concat(result) from (select result from audit where user_id = 'coord' and op = 'dashboard (unknown page)' order by id)")" \
    "read,not_found,read,not_found"
expect "no audit row holds a byte that is not UTF-8" \
    test -z "$(sqlite3 "$POOL/coordinator/mpool.db" "select op from audit" | iconv -f UTF-8 -t UTF-8 >/dev/null 2>&1 || echo bad)"
sleep 8.5
expect_eq "a session ends" "$(get / "$sid" | status)" 401
expect_eq "a made-up session is refused" "$(get / "$(printf '%064d' 0)" | status)" 401

expect_exit 3 "a person without the coordinator role gets no link" \
    as coordinator watcher pool dashboard
expect_exit 3 "nor does a coordinator at a member node" as almere coord-a pool dashboard
expect "the link and the session are in no log" \
    test -z "$(grep -h "${path#*=}\|$sid" "$POOL"/*/mpoold.log)"

expect "TLS before 1.2 is refused" /usr/bin/python3 - "$port" <<'EOF'
import socket, ssl, sys
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
ctx.minimum_version = ssl.TLSVersion.TLSv1
ctx.maximum_version = ssl.TLSVersion.TLSv1_1
try:
    with socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5) as s:
        ctx.wrap_socket(s).close()
except (ssl.SSLError, ConnectionError, OSError):
    sys.exit(0)
sys.exit(1)
EOF

# handshake ARGS...: whether openssl completes a handshake with these offers.
handshake() {
    timeout 5 openssl s_client -connect "127.0.0.1:$port" -servername 127.0.0.1 "$@" \
        </dev/null >/dev/null 2>&1
}
expect "a TLS 1.2 handshake with the defaults works" handshake -tls1_2
expect "a TLS 1.3 handshake with the defaults works" handshake -tls1_3
expect "a client offering only SHA-1 signatures is refused" \
    test -n "$(handshake -tls1_2 -sigalgs RSA+SHA1 -cipher 'DEFAULT:@SECLEVEL=0' || echo refused)"
expect "a TLS 1.3 client offering only the FFDHE2048 group is refused" \
    test -n "$(handshake -tls1_3 -groups ffdhe2048 || echo refused)"
for _ in $(seq 40); do handshake -tls1_2 -sigalgs RSA+SHA1; done
expect "failed handshakes reach the log at most once a minute" \
    test "$(grep -c 'dashboard: .*more warnings in the minute before' "$POOL/coordinator/mpoold.log")" -ge 1 \
    -a "$(grep -c 'dashboard: .*more warnings in the minute before' "$POOL/coordinator/mpoold.log")" -le 2

# A coordinator taken off the node's list is signed out at the reload.
link=$(as coordinator coord --json pool dashboard | json .url)
sid=$(get "${link#https://127.0.0.1:$port}" | head -1 | cut -f2 |
    sed 's/^__Host-mpool_session=\([0-9a-f]*\);.*/\1/')
expect_eq "a new session shows the overview" "$(get / "$sid" | status)" 200
awk 'BEGIN{skip=0} /^\[/{skip=($0=="[coord]")} !skip' "$POOL/coordinator/users.ini" \
    >"$POOL/coordinator/users.new"
mv "$POOL/coordinator/users.new" "$POOL/coordinator/users.ini"
node_reload coordinator
for _ in $(seq 50); do [ "$(get / "$sid" | status)" = 401 ] && break; sleep 0.1; done
expect_eq "once the coordinator is off the node's list, their session is refused" \
    "$(get / "$sid" | status)" 401
