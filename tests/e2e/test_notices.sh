#!/usr/bin/env bash
# People are told what needs them, by e-mail through a real SMTP server
# (aiosmtpd from Debian) and by `mpool watch`: the mediator of an offer,
# HR of a shortlist and an acceptance, the coordinator of an escalation.
# No mail holds a party's name or the narrative; a notice queued while the
# server is away survives a killed node and goes exactly once. zeist sends
# through a second server that takes mail only after STARTTLS, with a
# certificate its ca_file names.
set -u
. "$(dirname "$0")/lib.sh"
trap 'smtp_stop; tls_stop; finish' EXIT
SMTPD=/usr/bin/python3
if ! "$SMTPD" -c 'import aiosmtpd' 2>/dev/null; then
    echo "not ok - python3-aiosmtpd is missing; run ./deps.sh check as root"
    exit 1
fi

OFFER_EXPIRY=16 LANGUAGES="nl, en, fr" pool_create "$(mktemp -d)" almere hilversum zeist ||
    { echo "not ok - pool did not start"; exit 1; }
MAILDIR=$POOL/maildir
SMTP_PORT=$((COORD_ROUTER + 8))
TLS_PORT=$((COORD_ROUTER + 9))
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
    -addext subjectAltName=IP:127.0.0.1 -keyout "$POOL/tls.key" -out "$POOL/tls.pem" 2>/dev/null ||
    { echo "not ok - openssl could not make the test certificate"; exit 1; }

smtp_start() {
    "$SMTPD" -m aiosmtpd -n -l "127.0.0.1:$SMTP_PORT" -c aiosmtpd.handlers.Mailbox "$MAILDIR" \
        >>"$POOL/smtpd.log" 2>&1 &
    SMTP_PID=$!
    for _ in $(seq 100); do port_free "$SMTP_PORT" || return 0; sleep 0.1; done
    echo "the SMTP server did not start" >&2
    return 1
}
tls_start() {
    "$SMTPD" -m aiosmtpd -n -l "127.0.0.1:$TLS_PORT" --tlscert "$POOL/tls.pem" \
        --tlskey "$POOL/tls.key" -c aiosmtpd.handlers.Mailbox "$POOL/tlsdir" >>"$POOL/smtpd.log" 2>&1 &
    TLS_PID=$!
    for _ in $(seq 100); do port_free "$TLS_PORT" || return 0; sleep 0.1; done
    echo "the STARTTLS server did not start" >&2
    return 1
}
tls_stop() {
    [ -n "${TLS_PID:-}" ] && kill "$TLS_PID" 2>/dev/null && wait "$TLS_PID" 2>/dev/null
    TLS_PID=
}
smtp_stop() {
    [ -n "${SMTP_PID:-}" ] || return 0
    kill "$SMTP_PID" 2>/dev/null
    wait "$SMTP_PID" 2>/dev/null
    SMTP_PID=
}
# mails_to ADDRESS [GREP] : how many mails went to ADDRESS (matching GREP).
mails_to() {
    local n=0 f
    for f in "$MAILDIR"/new/* "$POOL"/tlsdir/new/*; do
        [ -e "$f" ] || continue
        grep -q "^X-RcptTo: $1" "$f" || continue
        [ -z "${2:-}" ] || grep -q -- "$2" "$f" || continue
        n=$((n + 1))
    done
    echo $n
}
# wait_mail ADDRESS GREP : until such a mail came (20 s).
wait_mail() {
    for _ in $(seq 200); do
        [ "$(mails_to "$1" "$2")" -ge 1 ] && return 0
        sleep 0.1
    done
    return 1
}

for node in coordinator almere hilversum; do
    printf '\n[mail]\nsmtp_url = smtp://127.0.0.1:%s\nfrom = mediatorpool@%s.example\nstarttls = off\n' \
        "$SMTP_PORT" "$node" >>"$POOL/$node/mpoold.conf"
done
printf '\n[mail]\nsmtp_url = smtp://127.0.0.1:%s\nfrom = mediatorpool@zeist.example\nca_file = %s\n' \
    "$TLS_PORT" "$POOL/tls.pem" >>"$POOL/zeist/mpoold.conf"
# Everyone but hr2 gives an address; user-add makes the folder it writes to.
for who in coordinator:coord:coordinator almere:hr1:hr hilversum:med-h:mediator zeist:med-z:mediator \
    zeist:hr-z:hr; do
    IFS=: read -r node id role <<<"$who"
    "$MPOOLD" -c "$POOL/$node/mpoold.conf" user-add "$id" --role "$role" --email "$id@$node.example" \
        --out "$POOL/$node/people/new" >/dev/null
    mv "$POOL/$node/people/new/"* "$POOL/$node/people/"
done
person almere hr2 hr
expect_exit 2 "user-add refuses an address with a name in it" \
    "$MPOOLD" -c "$POOL/almere/mpoold.conf" user-add hr3 --role hr --email "Jan <j@x.nl>" --out "$POOL/x"
smtp_start && tls_start || exit 1
pool_start || { echo "not ok - pool did not start"; exit 1; }
for who in hilversum:med-h zeist:med-z; do
    as "${who%%:*}" "${who#*:}" mediator register --specialty labour --language nl \
        --mfn-number "MfN-${who#*:}" --mfn-expiry 2030-01-01 --capacity 2 >/dev/null
done
wait_profiles 2

LABEL="Installatiebedrijf Vonkenberg"
printf 'Zwaluwstaart conflict over roosters\n' >"$POOL/story.txt"
c=$(post_case almere hr1 --domain labour --language nl --party almere \
    --parties <(echo "unit:$LABEL") --narrative "$POOL/story.txt")
expect "HR hear by mail that the shortlist is ready" wait_mail hr1@almere.example "case $c: a shortlist"
m=$(as almere hr1 --json case wait "$c" --state shortlisted | json '.shortlist[0].mediator_id')
mnode=${m%%:*} muser=${m#*:}

# The mediator watches, and waits for the next offer, before it comes.
"$MPOOL" --config "$POOL/$mnode/people/$muser.conf" --json watch >"$POOL/watch.out" 2>"$POOL/watch.err" &
watch_pid=$!
as "$mnode" "$muser" offer wait --timeout-wait 20 >"$POOL/next.out" 2>&1 &
next_pid=$!
sleep 1.5
as almere hr1 case choose "$c" "$m" >/dev/null
expect "the mediator hears by mail of the offer" wait_mail "$muser@$mnode.example" "case $c: a case is offered"
mail=$(grep -l "case $c: a case is offered" "$MAILDIR"/new/* "$POOL"/tlsdir/new/* 2>/dev/null | head -1)
expect "the offer mail says what to run" grep -q "mpool offer accept $c --no-conflict" "$mail"
wait "$next_pid"
expect_eq "offer wait without a case ends with the offer" "$(grep -c "Case $c is offered to you" "$POOL/next.out")" 1
expect "and says what to run" grep -q "^    mpool offer accept $c --no-conflict" "$POOL/next.out"
for _ in $(seq 50); do grep -q "\"case_id\":\"$c\"" "$POOL/watch.out" && break; sleep 0.1; done
expect_eq "mpool watch --json shows the offer as it comes" \
    "$(json -s --arg c "$c" '[.[] | select(.case_id == $c and .kind == "offer")] | length' "$POOL/watch.out")" 1

as "$mnode" "$muser" offer accept "$c" --no-conflict >/dev/null
expect "HR hear by mail that the mediator accepted" wait_mail hr1@almere.example "case $c: the mediator accepted"
expect "the mediator hears when the mediation can begin" \
    wait_mail "$muser@$mnode.example" "case $c: the mediation can begin"

# An offer left unanswered: a reminder halfway through the 16 s.
c2=$(post_case almere hr1 --domain labour --language nl --party almere --narrative "$POOL/story.txt")
m2=$(as almere hr1 --json case wait "$c2" --state shortlisted | json '.shortlist[0].mediator_id')
as almere hr1 case choose "$c2" "$m2" >/dev/null
expect "the mediator is reminded before the offer expires" \
    wait_mail "${m2#*:}@${m2%%:*}.example" "case $c2: your offer expires soon"

# A case nobody in the pool can take goes to the coordinator.
c3=$(post_case almere hr1 --domain labour --language fr --party almere --narrative "$POOL/story.txt")
as almere hr1 case wait "$c3" --state escalated >/dev/null
expect "the coordinator hears by mail of the escalation" \
    wait_mail coord@coordinator.example "case $c3: a case needs the coordinator"
expect "HR hear of it too" wait_mail hr1@almere.example "case $c3: no mediator found yet"

# zeist's mail goes by STARTTLS, checked against its ca_file.
cz=$(post_case zeist hr-z --domain labour --language nl --party zeist --narrative "$POOL/story.txt")
as zeist hr-z case wait "$cz" --state shortlisted >/dev/null
wait_mail hr-z@zeist.example "case $cz: a shortlist"
expect "a node with starttls = required sends through STARTTLS (the server takes no other)" \
    grep -q "^X-RcptTo: hr-z@zeist.example" "$POOL"/tlsdir/new/*

# hr2 gave no address: told by watch only, and the notice is not queued.
c4=$(post_case almere hr2 --domain labour --language nl --party almere --narrative "$POOL/story.txt")
as almere hr2 case wait "$c4" --state shortlisted >/dev/null
sleep 1
expect_eq "a person without an address gets no mail, and nothing waits for one" \
    "$(sqlite3 "$POOL/almere/mpool.db" "select mail from notices where case_id = '$c4' and user_id = 'hr2'")" none

all=$(cat "$MAILDIR"/new/* "$POOL"/tlsdir/new/*)
sent=$(ls "$MAILDIR"/new "$POOL"/tlsdir/new | grep -c '^[0-9]')
expect "mail went out ($sent messages)" test "$sent" -ge 9
expect_eq "no mail holds the party's name" "$(grep -c "$LABEL" <<<"$all")" 0
expect_eq "no mail holds the narrative" "$(grep -c "Zwaluwstaart" <<<"$all")" 0
expect_eq "every mail has its own Message-ID" \
    "$(grep -h '^Message-ID:' "$MAILDIR"/new/* "$POOL"/tlsdir/new/* | sort | uniq -d | wc -l)" 0
expect_eq "no log line holds an address" "$(cat "$POOL"/*/mpoold.log | grep -c '@.*\.example')" 0

# The server goes away; a notice is queued; the node is killed; after the
# restart it goes once, and a second kill sends it no second time.
smtp_stop
c5=$(post_case almere hr1 --domain labour --language nl --party almere --narrative "$POOL/story.txt")
as almere hr1 case wait "$c5" --state shortlisted >/dev/null
for _ in $(seq 100); do
    [ "$(sqlite3 "$POOL/almere/mpool.db" "select tries from notices where case_id = '$c5'")" = 1 ] && break
    sleep 0.1
done
expect_eq "with the server away the notice stays queued" \
    "$(sqlite3 "$POOL/almere/mpool.db" "select mail || ' ' || tries from notices where case_id = '$c5'")" "queued 1"
kill -KILL "$(cat "$POOL/almere/pid")"
wait "$(cat "$POOL/almere/pid")" 2>/dev/null
smtp_start || exit 1
node_start almere
wait_node almere
expect "after the restart the queued notice goes" wait_mail hr1@almere.example "case $c5: a shortlist"
kill -KILL "$(cat "$POOL/almere/pid")"
wait "$(cat "$POOL/almere/pid")" 2>/dev/null
node_start almere
wait_node almere
sleep 2
expect_eq "and it goes once, through a second kill" "$(mails_to hr1@almere.example "case $c5: a shortlist")" 1

# watch survives a restart of the node and shows what came meanwhile.
node_stop "$mnode"
node_start "$mnode"
wait_node "$mnode"
as almere hr1 case wait "$c" --state in_mediation >/dev/null
as almere hr1 case close "$c" --outcome agreement --hours 3 >/dev/null
for _ in $(seq 100); do grep -q '"kind":"case_closed"' "$POOL/watch.out" && break; sleep 0.1; done
expect "watch goes on after the node restarted" grep -q '"kind":"case_closed"' "$POOL/watch.out"
kill "$watch_pid"
wait "$watch_pid"
expect_eq "watch ends with exit 0 when stopped" "$?" 0
expect_exit 2 "watch refuses a bad --after" as almere hr1 watch --after x

# Every command a mail names runs as written, for the person it went to:
# none is a usage error (a CAPITAL word is one to fill in, such as CODE).
ran=0 bad=""
while IFS= read -r f; do
    to=$(sed -n 's/^To: *<\?\([^>]*\)>\?$/\1/p' "$f" | head -1)
    id=${to%@*} node=${to#*@}
    node=${node%.example}
    [ -r "$POOL/$node/people/$id.conf" ] || continue
    while IFS= read -r line; do
        grep -q '[A-Z][A-Z]' <<<"$line" && continue
        read -ra words <<<"${line#mpool }"
        ran=$((ran + 1))
        "$MPOOL" --config "$POOL/$node/people/$id.conf" --timeout 5 "${words[@]}" >/dev/null 2>&1
        [ $? -eq 2 ] && bad="$bad [$line]"
    done < <(sed -n 's/^    \(mpool [a-z].*\)$/\1/p' "$f" | tr -d '\r' | sort -u)
done < <(ls "$MAILDIR"/new/* "$POOL"/tlsdir/new/* 2>/dev/null)
expect "every command the mails name runs as written ($ran run)" test -z "$bad" -a "$ran" -ge 5
[ -z "$bad" ] || echo "# usage errors:$bad"
