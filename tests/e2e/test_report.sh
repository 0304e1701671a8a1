#!/usr/bin/env bash
# The yearly report: a scenario with known counts, read back in all four
# formats, and the same report after retention destroyed the cases.
set -u
. "$(dirname "$0")/lib.sh"
trap finish EXIT
pool_create "$(mktemp -d)" almere hilversum zeist || { echo "not ok - pool did not start"; exit 1; }
printf '\n[deadlines]\nlabour = internal 10\n' >>"$POOL/almere/mpoold.conf"
person coordinator coord coordinator
person almere hr1 hr
mediators="hilversum:med-h hilversum:med-h2 zeist:med-z"
# shellcheck disable=SC2086 # a list of ids
mediator_people $mediators
pool_start || { echo "not ok - pool did not start"; exit 1; }
# shellcheck disable=SC2086
register_mediators $mediators
rank() { as almere hr1 --json case wait "$1" --state shortlisted | json ".shortlist[$2].mediator_id"; }
year=$(date -u +%Y)

# Four cases: one taken on by the first on its list and closed with an
# agreement; one whose second-ranked mediator declines, then the first
# takes it and it closes partially; one withdrawn; one nobody speaks.
c1=$(post_case almere hr1 --domain labour --language nl --party almere --parties <(echo "person:Jan Jansen"))
m=$(rank "$c1" 0)
take_on almere hr1 "$c1" "$m"
as almere hr1 case close "$c1" --outcome agreement --hours 2 >/dev/null
c2=$(post_case almere hr1 --domain labour --language nl --party almere)
declined=$(rank "$c2" 1)
as almere hr1 case choose "$c2" "$declined" >/dev/null
med "$declined" offer wait "$c2" --state offered >/dev/null
med "$declined" offer decline "$c2" --reason-code no-time >/dev/null
as almere hr1 case wait "$c2" --state shortlisted >/dev/null
for _ in $(seq 100); do [ "$(rank "$c2" 0)" != "$declined" ] && break; sleep 0.1; done
take_on almere hr1 "$c2" "$(rank "$c2" 0)"
as almere hr1 case close "$c2" --outcome partial --hours 3 >/dev/null
c3=$(post_case almere hr1 --domain labour --language nl --party almere)
as almere hr1 case wait "$c3" --state shortlisted >/dev/null
as almere hr1 case withdraw "$c3" --reason-code settled >/dev/null
c4=$(post_case almere hr1 --domain labour --language en --party almere)
as almere hr1 case wait "$c4" --state escalated >/dev/null
for _ in $(seq 100); do
    [ "$(as almere hr1 --json case show "$c3" | json .state)" = withdrawn ] && break
    sleep 0.1
done

report=$(as coordinator coord --json pool report --year "$year")
almere() { json ".municipalities[] | select(.id == \"almere\") | $1" <<<"$report"; }
expect_eq "almere posted four cases, one escalated, one withdrawn" \
    "$(almere '[.posted, .escalated, .withdrawn.settled] | join(" ")')" "4 1 1"
expect_eq "two closed: an agreement and a partial one" \
    "$(almere '[.closed.agreement, .closed.partial] | join(" ")')" "1 1"
expect_eq "almere received 5 hours" "$(almere .received_minutes)" 300
expect_eq "the pool's municipalities gave them" \
    "$(json '[.municipalities[].given_minutes] | add' <<<"$report")" 300
expect_eq "the decline counts for the municipality of the mediator who declined, with its code" \
    "$(json --arg m "${declined%%:*}" '.municipalities[] | select(.id == $m) | .declined["no-time"]' <<<"$report")" 1
expect_eq "both closed cases kept their internal decision date" \
    "$(almere '.deadlines.internal | [.met, .missed] | join(" ")')" "2 0"
expect_eq "the parties took the first on the list twice in three choices" \
    "$(almere '.first_choice | [.yes, .no] | join(" ")')" "2 1"
expect_eq "everything happened today: the medians are 0 days" \
    "$(almere '[.median_days_to_accept, .median_days_to_close] | join(" ")')" "0 0"
expect_eq "what kept mediators out: the language of the fourth case, three times" \
    "$(json '.excluded | to_entries | map("\(.key) \(.value)") | join(",")' <<<"$report")" "language 3"
expect_eq "every mediator is below the MfN pace, with what they closed" \
    "$(json '[.below_pace[].closed_3y] | add' <<<"$report")" 2
expect_eq "--municipality reports on one" \
    "$(as coordinator coord --json pool report --year "$year" --municipality almere | json '[.municipalities[].id] | join(",")')" almere
expect_exit 4 "an unknown municipality is not found" \
    as coordinator coord pool report --year "$year" --municipality utrecht
expect_exit 2 "the year is required" as coordinator coord pool report
expect_exit 3 "HR may not read the pool's report" as almere hr1 pool report --year "$year"

# The text, CSV and HTML forms say the same.
text=$(as coordinator coord pool report --year "$year" --municipality almere)
expect "the text says what was closed" grep -q "closed        agreement 1, partial 1" <<<"$text"
expect "and the hours, in hours" grep -q "hours         0.0 given, 5.0 received, balance -5.0" <<<"$text"
as coordinator coord pool report --year "$year" --format csv >"$POOL/report.csv"
expect "the CSV reads as RFC 4180, with CRLF line ends" /usr/bin/python3 - "$POOL/report.csv" <<'EOF'
import csv, sys
data = open(sys.argv[1], newline="").read()
assert data.endswith("\r\n") and "\n" not in data.replace("\r\n", "")
rows = list(csv.reader(data.splitlines(), strict=True))
assert rows[0] == ["municipality", "measure", "code", "value"], rows[0]
assert all(len(r) == 4 for r in rows), "every row has four fields"
assert ["almere", "received_minutes", "", "300"] in rows
assert ["almere", "closed", "agreement", "1"] in rows
assert ["pool", "excluded", "language", "3"] in rows
EOF
as coordinator coord pool report --year "$year" --format html >"$POOL/report.html"
expect "the HTML page holds the chart inline, with its figures in a table" /usr/bin/python3 - "$POOL/report.html" <<'EOF'
import sys
from html.parser import HTMLParser
class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.text = [], []
    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
    def handle_data(self, data):
        self.text.append(data)
page = Page()
page.feed(open(sys.argv[1], encoding="utf-8").read())
assert "svg" in page.tags and "table" in page.tags and "figcaption" in page.tags
assert "script" not in page.tags and "img" not in page.tags and "link" not in page.tags
words = " ".join(page.text)
assert "hours received: 5" in words, "the chart's bars carry their figures"
assert "Jansen" not in words
EOF
expect "no party label reaches any form" \
    test -z "$(grep -l "Jansen" "$POOL/report.csv" "$POOL/report.html"; grep "Jansen" <<<"$text$report")"

# Retention destroys the cases; the report of the year stays the same.
node_stop coordinator
printf '\n[retention]\ncoordinator = 0\n' >>"$POOL/coordinator/mpoold.conf"
node_start coordinator
wait_node coordinator
for _ in $(seq 100); do
    [ "$(sqlite3 "$POOL/coordinator/mpool.db" "select count(*) from c_cases where state in (8, 9)")" = 0 ] && break
    sleep 0.1
done
expect_eq "retention destroyed the ended cases at the coordinator" \
    "$(sqlite3 "$POOL/coordinator/mpool.db" "select count(*) from c_cases where state in (8, 9)")" 0
expect_eq "and the report is the same as before" \
    "$(as coordinator coord --json pool report --year "$year")" "$report"
