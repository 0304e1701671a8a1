#!/usr/bin/env bash
# The mediator knows the parties before declaring: the requesting node
# seals the parties' names to the offered mediator, who reads them with
# their own key; the coordinator sees only pseudonyms; a decline destroys
# them at the mediator's node. And the parties choose people: a mediator's
# display name and text travel with their profile to the shortlist.
set -u
. "$(dirname "$0")/lib.sh"
standard_scenario
person zeist aud auditor
person hilversum aud auditor
node_reload zeist
node_reload hilversum

# ---- The parties choose people: a mediator's name and text -----------------
about='Arbeidsjurist, 12 jaar mediator.
Talen: Nederlands, Engels. Specialisme: conflicten op de werkvloer.'
printf '%s\n' "$about" | as zeist med-z mediator register --specialty labour --specialty citizen \
    --language nl --language en --mfn-number MfN-med-z --mfn-expiry 2030-01-01 --capacity 2 \
    --name "Petra Bakker" --about - >/dev/null
expect_eq "mediator register --name round-trips" \
    "$(as zeist med-z --json mediator show | json .display_name)" "Petra Bakker"
expect_eq "and --about - reads the text from standard input" \
    "$(as zeist med-z --json mediator show | json .about)" "$about"
as zeist med-z mediator register --specialty labour --specialty citizen --language nl \
    --language en --mfn-number MfN-med-z --mfn-expiry 2030-01-01 --capacity 2 >/dev/null
expect_eq "registering again without --name keeps the name" \
    "$(as zeist med-z --json mediator show | json .display_name)" "Petra Bakker"
expect_eq "mediator profile changes the name alone" \
    "$(as zeist med-z --json mediator profile --name "P. Bakker" | json .display_name)/$(as zeist med-z --json mediator show | json '"\(.capacity) \(.about | length > 0)"')" \
    "P. Bakker/2 true"
expect "and says what shortlists from now on show" \
    grep -q "shortlists from now on show mediator zeist:med-z as Petra Bakker" <<<"$(as zeist med-z mediator profile --name "Petra Bakker")"
expect_exit 2 "mediator profile without --name or --about is a usage error" as zeist med-z mediator profile
expect_exit 2 "a name over 80 characters is refused" \
    as zeist med-z mediator register --specialty labour --language nl --mfn-number MfN-med-z \
    --mfn-expiry 2030-01-01 --capacity 2 --name "$(printf 'é%.0s' $(seq 81))"
expect_exit 2 "a text over 600 characters is refused" \
    as zeist med-z mediator register --specialty labour --language nl --mfn-number MfN-med-z \
    --mfn-expiry 2030-01-01 --capacity 2 --about <(printf 'x%.0s' $(seq 601))
# The node checks the limits itself, in characters, whatever a client sends.
raw() { "$(realpath "$BUILD/tools/rawclient")" "$POOL/zeist/people/med-z.conf" "$@"; }
long=$(printf 'ë%.0s' $(seq 81))
refused() { # DESCRIPTION WORDS ARGS: the node answers BAD_REQUEST naming WORDS
    local out
    out=$(raw mediator.profile "$3")
    if [ $? -eq 2 ] && grep -qF -- "$2" <<<"$out"; then ok "$1 ($out)"; else notok "$1 ($out)"; fi
}
refused "the node refuses a display name of 81 characters" "80 characters" \
    "{\"display_name\":\"$long\"}"
expect "and takes one of 80 two-byte characters" \
    raw mediator.profile "{\"display_name\":\"${long%ë}\"}"
refused "the node refuses a text of 601 characters" "at most 600 characters" \
    "{\"about\":\"$(printf 'x%.0s' $(seq 601))\"}"
refused "and a name with a line break" "display_name" '{"display_name":"Petra\nBakker"}'
as zeist med-z mediator profile --name "Petra Bakker" >/dev/null
synced zeist
for _ in $(seq 100); do
    [ "$(as coordinator coord --json pool status | json '.mediators[] | select(.mediator_id == "zeist:med-z") | .display_name')" = "Petra Bakker" ] && break
    sleep 0.1
done
expect "the coordinator's pool status shows the name" \
    grep -q "zeist:med-z  *Petra Bakker" <<<"$(as coordinator coord pool status)"

printf 'Welkom Verhaalscan en de roosters\n' >"$POOL/story.txt"
c=$(post_case almere hr1 --domain labour --language nl --party almere \
    --parties <(echo "person:Zoë Namenscan-Çelik") --parties <(echo "unit:Team Eenheidscan") \
    --narrative "$POOL/story.txt")
as almere hr1 case wait "$c" --state shortlisted >/dev/null
expect_eq "the shortlist in case show names the mediator" \
    "$(as almere hr1 --json case show "$c" | json '.shortlist[] | select(.mediator_id == "zeist:med-z") | .display_name')" \
    "Petra Bakker"
show=$(as almere hr1 case show "$c")
expect "case show prints the name in the shortlist" grep -q "zeist:med-z  *Petra Bakker" <<<"$show"
expect "and the mediator's own text, for the parties" grep -q "Talen: Nederlands, Engels" <<<"$show"
as almere hr1 case choose "$c" zeist:med-z >/dev/null
med zeist:med-z offer wait "$c" --state offered >/dev/null
expect "HR see whom the case is offered to by name" \
    grep -q "zeist:med-z (Petra Bakker)" <<<"$(as almere hr1 case show "$c")"

# ---- Before acceptance, the offered mediator reads the parties' names ----
names() { med zeist:med-z --json offer show "$c" | json '[.names[]? | "\(.kind):\(.label)"] | join(",")'; }
for _ in $(seq 100); do [ -n "$(names)" ] && break; sleep 0.1; done
expect_eq "offer show names the parties before acceptance" "$(names)" \
    "municipality:almere,person:Zoë Namenscan-Çelik,unit:Team Eenheidscan"
show=$(med zeist:med-z offer show "$c")
expect "offer show prints the names for people" grep -q "person  *Zoë Namenscan-Çelik" <<<"$show"
expect "offer show says what the declaration is about" grep -q "no relationship" <<<"$show"
expect "offer list shows the names too" \
    grep -q "Zoë Namenscan-Çelik, Team Eenheidscan" <<<"$(med zeist:med-z offer list)"
expect_eq "offer list --json opens them" \
    "$(med zeist:med-z --json offer list | json --arg c "$c" '.offers[] | select(.case_id == $c) | .names[1].label')" \
    "Zoë Namenscan-Çelik"
expect_exit 4 "another mediator has no such offer to show" med hilversum:med-h offer show "$c"
expect_exit 3 "HR may not read a mediator's offer" as almere hr1 offer show "$c"
expect_eq "the mediator's node keeps them sealed, not readable there" \
    "$(sqlite3 "$POOL/zeist/mpool.db" "select length(names) > 48 and instr(names, 'Namenscan') = 0 from m_offers where case_id = '$c'")" 1
expect "reading the names is on the audit trail at the mediator's node" \
    grep -q "offer.show" <<<"$(as zeist aud --json audit --case "$c" | json '.entries[].op')"

# ---- The coordinator sees only pseudonyms ----------------------------------
for node in coordinator almere zeist; do synced "$node" 2>/dev/null || true; done
found() { cat "$POOL/$1"/mpool.db* "$POOL/$1/mpoold.log" 2>/dev/null | grep -aqF "$2"; }
leaks=""
for w in Namenscan Eenheidscan Verhaalscan; do found coordinator "$w" && leaks="$leaks $w"; done
expect_eq "no party name reaches the coordinator's database, WAL or log" "$leaks" ""
leaks=""
for w in Namenscan Eenheidscan Verhaalscan; do found zeist "$w" && leaks="$leaks $w"; done
expect_eq "nor the mediator's node in the clear" "$leaks" ""

# ---- A decline destroys them at the mediator's node ------------------------
med zeist:med-z offer decline "$c" --reason-code no-time >/dev/null
med zeist:med-z offer wait "$c" --state declined >/dev/null
caught_up zeist
expect_eq "after a decline no sealed names are left in m_offers" \
    "$(sqlite3 "$POOL/zeist/mpool.db" "select count(*) from m_offers where names is not null")" 0
expect "the destruction list says so" \
    grep -q "sealed names of the parties.*without acceptance" <<<"$(as zeist aud audit destroyed)"
expect "offer show says they were destroyed" \
    grep -q "destroyed" <<<"$(med zeist:med-z offer show "$c")"

# ---- An override offers too; after acceptance the names stay with the ------
# ---- narrative, and go with it at a step back ------------------------------
as almere hr1 case wait "$c" --state shortlisted,escalated >/dev/null
as coordinator coord pool override "$c" hilversum:med-h --reason "de partijen vroegen erom" >/dev/null
med hilversum:med-h offer wait "$c" --state offered >/dev/null
hnames() { med hilversum:med-h --json offer show "$c" | json '[.names[]?.label] | join(",")'; }
for _ in $(seq 100); do [ -n "$(hnames)" ] && break; sleep 0.1; done
expect_eq "the mediator of an override reads the names too" "$(hnames)" \
    "almere,Zoë Namenscan-Çelik,Team Eenheidscan"
# Names that have not reached the mediator's node yet: no declaration.
hdb=$POOL/hilversum/mpool.db
sqlite3 "$hdb" "create table held(names blob); insert into held select names from m_offers
    where case_id = '$c'; update m_offers set names = null where case_id = '$c'"
out=$("$MPOOL" --config "$POOL/hilversum/people/med-h.conf" offer accept "$c" --no-conflict 2>&1)
expect_eq "no declaration is taken before the parties' names have arrived ($out)" "$?" 3
expect "and the refusal says what to do" grep -q "mpool offer show $c" <<<"$out"
sqlite3 "$hdb" "update m_offers set names = (select names from held) where case_id = '$c';
    drop table held"
med hilversum:med-h offer accept "$c" --no-conflict >/dev/null
med hilversum:med-h offer wait "$c" --state in_mediation >/dev/null
expect_eq "after acceptance the names stay, with the narrative" "$(hnames)" \
    "almere,Zoë Namenscan-Çelik,Team Eenheidscan"
med hilversum:med-h offer step-back "$c" --reason-code no-time >/dev/null
med hilversum:med-h offer wait "$c" --state stepped_back >/dev/null
expect_eq "a step back destroys them with the narrative" \
    "$(sqlite3 "$POOL/hilversum/mpool.db" "select count(*) from m_offers where names is not null or sealed is not null")" 0
expect "the destruction list says they went with the narrative" \
    grep -q "sealed names of the parties.*with the narrative" <<<"$(as hilversum aud audit destroyed)"
