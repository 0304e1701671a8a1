#!/usr/bin/env bash
# A real browser on the dashboard: headless Chromium signs in with the link
# from mpool, loads every page over HTTPS trusting the test certificate
# (by its key, and nothing else), and finds the scenario's numbers in the
# charts of each page's DOM. A screenshot of each page goes under build/.
set -u
. "$(dirname "$0")/lib.sh"
trap finish EXIT
CHROMIUM=$(command -v chromium) || { echo "not ok - chromium is not installed (deps.sh check)"; exit 1; }
pool_create "$(mktemp -d)" almere hilversum || { echo "not ok - pool did not start"; exit 1; }
dashboard_on || { echo "not ok - no dashboard configuration"; exit 1; }
port=$DASH_PORT
spki=$(openssl x509 -in "$DASH_CRT" -pubkey -noout | openssl pkey -pubin -outform der |
    openssl dgst -sha256 -binary | base64)
person coordinator coord coordinator
person almere hr1 hr
person hilversum med-h mediator
pool_start || { echo "not ok - pool did not start"; exit 1; }
as hilversum med-h mediator register --specialty labour --language nl --mfn-number MfN-1 \
    --mfn-expiry 2030-01-01 --capacity 3 >/dev/null
wait_profiles 1

# One case closed with 2.5 hours, one waiting for a choice.
printf 'Het conflict van Jan Jansen\n' >"$POOL/story.txt"
c=$(post_case almere hr1 --domain labour --language nl --party almere --parties <(echo "person:Jan Jansen") \
    --narrative "$POOL/story.txt")
as almere hr1 case wait "$c" --state shortlisted >/dev/null
take_on almere hr1 "$c" hilversum:med-h
as almere hr1 case close "$c" --outcome agreement --hours 2.5 >/dev/null
c2=$(post_case almere hr1 --domain labour --language nl --party almere)
as almere hr1 case wait "$c2" --state shortlisted >/dev/null
as coordinator coord pool round >/dev/null

shots="$BUILD/dashboard"
mkdir -p "$shots"
browse() { # browse URL [FLAG...]: the DOM after the page loaded
    timeout 60 "$CHROMIUM" --headless=new --no-sandbox --disable-gpu --no-first-run \
        --user-data-dir="$POOL/chromium" --ignore-certificate-errors-spki-list="$spki" \
        --window-size=1280,1000 "${@:2}" "$1" 2>>"$POOL/chromium.log"
}
base="https://127.0.0.1:$port"
link=$(as coordinator coord --json pool dashboard | json .url)
dom=$(browse "$link" --dump-dom)
expect "the browser signs in with the link from mpool" grep -q "Signed in\|Overview" <<<"$dom"

page_dom() { browse "$base$1" --dump-dom; }
overview=$(page_dom /)
expect "the overview's chart shows the closed case" \
    grep -q "<title>closed, cases: 1</title>" <<<"$overview"
expect "and the one waiting for a choice" grep -q "<title>shortlisted, cases: 1</title>" <<<"$overview"
ledger=$(page_dom /ledger)
expect "the ledger's chart shows Hilversum's 2.5 hours given" \
    grep -q "<title>hilversum, hours given: 2.5</title>" <<<"$ledger"
expect "and Almere's received" grep -q "<title>almere, hours received: 2.5</title>" <<<"$ledger"
mediators=$(page_dom /mediators)
expect "the mediators' chart shows med-h's capacity" \
    grep -q "<title>hilversum:med-h, capacity: 3</title>" <<<"$mediators"
flow=$(page_dom /flow)
expect "the flow's chart shows this month's two posted cases" \
    grep -q "<title>$(date -u +%Y-%m), posted: 2</title>" <<<"$flow"
rounds=$(page_dom /rounds)
expect "and, by outcome, this month's agreement" \
    grep -q "<tr><td>$(date -u +%Y-%m)</td><td>1</td><td>0</td>" <<<"$flow"
expect "the rounds page lists the batch round" grep -q "<td>[0-9]*</td><td>[0-9-]* [0-9:]*</td>" <<<"$rounds"
expect "each page keeps a table of its chart's figures" \
    test "$(grep -c '<table><caption>' <<<"$overview$ledger$mediators$flow")" -ge 4
expect "no page holds the party's name or the narrative" \
    test -z "$(grep -i 'jansen\|conflict van' <<<"$overview$ledger$mediators$flow$rounds")"

for p in overview:/ ledger:/ledger mediators:/mediators flow:/flow rounds:/rounds; do
    browse "$base${p#*:}" --screenshot="$shots/${p%%:*}.png" >/dev/null
done
expect "a screenshot of each page is written under $shots" \
    test "$(find "$shots" -name '*.png' -size +5k | wc -l)" = 5
