#!/usr/bin/env bash
# mpool without a node: help texts, usage errors (exit 2, one line, nothing
# read or sent), configuration and key file errors (exit 1), and a node that
# does not answer (exit 5). mpoold only issues the person's key; no node
# is started.
#
# Usage: MPOOL=build/mpool MPOOLD=build/mpoold bash tests/e2e/test_client_usage.sh
set -u

MPOOL=${MPOOL:-${BUILD:-build}/mpool}
MPOOLD=${MPOOLD:-${BUILD:-build}/mpoold}
case $MPOOL in /*) ;; *) MPOOL=$PWD/$MPOOL ;; esac
case $MPOOLD in /*) ;; *) MPOOLD=$PWD/$MPOOLD ;; esac
. "$(dirname "$0")/lib.sh"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# Runs mpool with no configuration anywhere, unless the test gives one.
run() {
    env -u MPOOL_CONFIG HOME="$TMP/home" "$MPOOL" "$@"
}

# mpool_exits CODE PATTERN DESCRIPTION ARGS... : exit status, and exactly
# one line on stderr that starts with "mpool: " and matches PATTERN (grep -E).
mpool_exits() {
    local code=$1 pattern=$2 desc=$3 err rc
    shift 3
    err=$(run "$@" 2>&1 >/dev/null)
    rc=$?
    if [ $rc -ne "$code" ]; then
        notok "$desc (exit $rc, want $code: $err)"
    elif [ "$(printf '%s\n' "$err" | wc -l)" -ne 1 ] || [ "${err#mpool: }" = "$err" ]; then
        notok "$desc (want one 'mpool: ' line on stderr, got: $err)"
    elif ! grep -qE -- "$pattern" <<<"$err"; then
        notok "$desc (stderr does not match '$pattern': $err)"
    else
        ok "$desc"
    fi
}

# usage_error PATTERN DESCRIPTION ARGS... : exit 2 with a pointer to the help.
usage_error() {
    local pattern=$1 desc=$2
    shift 2
    mpool_exits 2 "$pattern.*; see 'mpool [a-z ]*--help'$" "$desc" "$@"
}

mkdir -p "$TMP/home"

# ---- help ------------------------------------------------------------------

commands=(
    "whoami" "case post" "case list" "case show" "case choose" "case veto" "case consent"
    "case withdraw" "case close" "case wait" "mediator register" "mediator availability"
    "mediator relationship" "mediator show" "offer list" "offer accept" "offer decline"
    "offer narrative" "offer wait" "pool status" "pool ledger" "pool stuck" "pool override"
    "audit" "privacy export" "privacy erase" "case deadline" "case due" "watch"
    "offer step-back" "case reassign" "mediator away" "mediator capacity" "case edit" "pool report" "pool dashboard"
    "offer show" "mediator profile"
)

out=$(run --help)
rc=$?
missing=""
for c in "${commands[@]}"; do
    grep -q "^  $c " <<<"$out" || missing="$missing '$c'"
done
if [ $rc -eq 0 ] && grep -q '^usage: mpool' <<<"$out" && [ -z "$missing" ]; then
    ok "mpool --help lists every command and exits 0"
else
    notok "mpool --help (exit $rc, missing:$missing)"
fi

for c in "${commands[@]}"; do
    # shellcheck disable=SC2086
    out=$(run $c --help 2>&1)
    rc=$?
    if [ $rc -eq 0 ] && [ "$(head -1 <<<"$out" | cut -d' ' -f1-$((2 + $(wc -w <<<"$c"))))" = \
        "usage: mpool $c" ] && grep -q -- '--json ' <<<"$out"; then
        ok "mpool $c --help prints its usage and flags and exits 0"
    else
        notok "mpool $c --help (exit $rc): $(head -1 <<<"$out")"
    fi
done

out=$(run case post --help)
undescribed=$(grep -E '^  --' <<<"$out" | grep -cvE '^  --[a-z-]+( [A-Z:.,\[\]-]+)? +[a-zA-Z0-9]')
for flag in domain language urgency party certified seats lat lon narrative; do
    grep -qE -- "^  --$flag .*[a-z]" <<<"$out" || undescribed=$((undescribed + 1))
done
if [ "$undescribed" -eq 0 ]; then
    ok "case post --help describes each of its flags in words"
else
    notok "case post --help leaves $undescribed flags undescribed"
fi

out=$(run --help case close)
if [ $? -eq 0 ] && grep -q '^usage: mpool case close' <<<"$out"; then
    ok "--help before the command words shows that command's help"
else
    notok "--help before the command words: $(head -1 <<<"$out")"
fi

out=$(run case --help)
if [ $? -eq 0 ] && grep -q '^  case wait ' <<<"$out" && ! grep -q '^  offer ' <<<"$out"; then
    ok "mpool case --help lists the case commands only"
else
    notok "mpool case --help"
fi

out=$(run --version)
if [ $? -eq 0 ] && grep -qE '^mpool [0-9]' <<<"$out"; then
    ok "--version prints the version and exits 0"
else
    notok "--version: $out"
fi

# ---- usage errors: no configuration exists, so none may be read ------------

usage_error "command is missing" "no command at all"
usage_error "'launch' is not a command" "an unknown command" launch
usage_error "'case' needs a command" "a group without its command" case
usage_error "'case open' is not a command" "an unknown command in a group" case open
usage_error "unknown flag '--colour'" "an unknown flag" case list --colour
usage_error "'--domain' needs a value" "a flag without its value" case post --no-narrative --domain
usage_error "'--certified' takes no value" "a switch given a value" case post --no-narrative --certified=yes
usage_error "'nope' is not a case id" "a malformed case id" case show nope
usage_error "the case is missing" "a missing case id, named in words" case show
usage_error "--state goes with a case id" "offer wait: a state without a case" offer wait --state offered
usage_error "unexpected argument 'x'" "watch takes no arguments" watch x
usage_error "unexpected argument 'extra'" "one argument too many" case show almere-1a2b3c4d extra
usage_error "'bob' is not a mediator id" "a malformed mediator id" \
    case choose almere-1a2b3c4d bob
usage_error "no party: give --parties FILE" "case post without a party" \
    case post --domain labour --language nl
usage_error "--domain is missing" "case post without a domain" \
    case post --language nl --party zeist
usage_error "the kind 'pet' is not" "a party of an unknown kind" \
    case post --no-narrative --domain labour --language nl --party pet:rex
usage_error "--urgency 'urgent' is not one of: low, normal, high" "an urgency out of the list" \
    case post --no-narrative --domain labour --language nl --party zeist --urgency urgent
usage_error "--seats '3' is not a whole number from 1 to 2" "three seats" \
    case post --no-narrative --domain labour --language nl --party zeist --seats 3
usage_error "--seats '1x' is not a whole number" "a number with trailing junk" \
    case post --no-narrative --domain labour --language nl --party zeist --seats 1x
usage_error "--lat and --lon together" "a latitude without longitude" \
    case post --no-narrative --domain labour --language nl --party zeist --lat 52.1
usage_error "--lat '95' is not a number from -90 to 90" "a latitude beyond the pole" \
    case post --no-narrative --domain labour --language nl --party zeist --lat 95 --lon 5
usage_error "--outcome 'won' is not one of" "an unknown outcome" \
    case close almere-1a2b3c4d --outcome won --hours 2
usage_error "--hours 'six' is not a number" "hours that are not a number" \
    case close almere-1a2b3c4d --outcome agreement --hours six
usage_error "--hours is missing" "closing without hours" \
    case close almere-1a2b3c4d --outcome agreement
usage_error "--reason-code is missing; say why the party vetoes: party-objects, knows-mediator" \
    "a veto without a reason code names the codes" case veto almere-1a2b3c4d zeist:bob
usage_error "--reason-code 'because' is not one of: party-objects" "a veto with an unknown code" \
    case veto almere-1a2b3c4d zeist:bob --reason-code because
usage_error "--reason is empty" "a veto with an empty reason" \
    case veto almere-1a2b3c4d zeist:bob --reason-code other --reason "  "
usage_error "--reason holds a line break" "a reason of two lines" \
    case withdraw almere-1a2b3c4d --reason-code other --reason "$(printf 'one\ntwo')"
usage_error "--refuse needs --reason-code" "refusing consent without a reason code" \
    case consent almere-1a2b3c4d zeist:bob --refuse
usage_error "--all or --state, not both" "case list with --all and --state" \
    case list --all --state posted
usage_error "--state 'done' is not one of" "case list with an unknown state" case list --state done
usage_error "--state is missing" "case wait without a state" case wait almere-1a2b3c4d
usage_error "--state 'open' is not one of" "case wait for an unknown state" \
    case wait almere-1a2b3c4d --state shortlisted,open
usage_error "--timeout-wait '0' is not a whole number" "a wait of zero seconds" \
    case wait almere-1a2b3c4d --state closed --timeout-wait 0
usage_error "--mfn-expiry '2027-02-30' is not a date" "an impossible date" \
    mediator register --specialty labour --language nl --mfn-number 123 \
    --mfn-expiry 2027-02-30 --capacity 2
usage_error "--capacity is missing" "register without capacity" \
    mediator register --specialty labour --language nl --mfn-number 123 --mfn-expiry 2027-01-01
usage_error "--capacity '-1' is not a whole number" "a negative capacity" \
    mediator register --specialty labour --language nl --mfn-number 123 \
    --mfn-expiry 2027-01-01 --capacity -1
usage_error "either --always or one or more --window" "availability with nothing" \
    mediator availability
usage_error "either --always or one or more --window" "availability with both" \
    mediator availability --always --window 2026-12-01:2026-12-24
usage_error "ends before it starts" "a window that ends before it starts" \
    mediator availability --window 2026-12-24:2026-12-01
usage_error "is not FROM:TO" "a window without a colon" mediator availability --window 2026-12-01
usage_error "name one party: --parties FILE" "a relationship without its party" \
    mediator relationship
usage_error "the relationship is not a municipality id; a person's or unit's name goes in a file, one person:NAME or unit:NAME a line, given with --parties FILE" \
    "a name on the command line is not echoed, and the way to give it is named" \
    mediator relationship "Petra Bakker"
usage_error "--party: a person's or unit's name must not be on the command line" \
    "case post refuses a person's name on the command line" \
    case post --no-narrative --domain labour --language nl --party "person:Petra Bakker"
usage_error "--person: a name must not be on the command line" \
    "privacy export refuses a name on the command line" privacy export --person "Petra Bakker"
usage_error "--parties: cannot read $TMP/none.txt \\(No such file" "a file of parties that is not there" \
    case post --no-narrative --domain labour --language nl --parties "$TMP/none.txt"
usage_error "--person-file: standard input must hold one name on one line, not 2" \
    "a look-up takes one name" privacy export --person-file - <<<$'Jan\nPiet'
usage_error "--parties -: standard input was read already" "standard input is read once" \
    case post --no-narrative --domain labour --language nl --parties - --parties - </dev/null
usage_error "the number of cases '25' is not a whole number from 0 to" \
    "a capacity out of range is named in words, not as N" mediator capacity 25
usage_error "--hours '6,5,1' is not a number from 0 to 1000, such as 6.5 or 6,5" \
    "hours that are no number say how to write one" \
    case close almere-1a2b3c4d --outcome agreement --hours 6,5,1
usage_error "--lat '91' is not a number from -90 to 90, such as 52.09 or 52,09" \
    "a latitude out of range gives a latitude as its example" \
    case post --domain labour --language nl --party almere --lat 91 --lon 5
usage_error "--language 'Klingonees' is not a language code: use nl for Dutch" \
    "an unknown language word says to use nl" \
    case post --no-narrative --domain labour --party zeist --language Klingonees
usage_error "--state 'gesloten' is not one of" "a state word that is none says which are" \
    case list --state gesloten
mpool_exits 1 "no configuration file" \
    "a shortlist number is taken as one (looked up at the node), not refused as a mediator id" \
    case choose almere-1a2b3c4d 7
mpool_exits 1 "no configuration file" "a case id with spaces around it is taken" \
    case show " almere-1a2b3c4d "
usage_error "either --no-conflict or --disclose" "accepting without a declaration" \
    offer accept almere-1a2b3c4d
usage_error "either --no-conflict or --disclose" "accepting with both declarations" \
    offer accept almere-1a2b3c4d --no-conflict --disclose prior
usage_error "--disclose 'friend' is not one of: relationship, prior, interest" \
    "an unknown disclosure" offer accept almere-1a2b3c4d --disclose friend
usage_error "--reason-code is missing" "declining without a reason code" \
    offer decline almere-1a2b3c4d
usage_error "--reason is missing" "an override without a reason" \
    pool override almere-1a2b3c4d zeist:bob
usage_error "--timeout '0' is not a whole number" "a zero timeout" --timeout 0 whoami
usage_error "unexpected argument 'now'" "whoami with an argument" whoami now

# ---- configuration ---------------------------------------------------------

mpool_exits 1 "no configuration file $TMP/home/.config/mpool/mpool.conf" \
    "without any configuration the error names the default file" whoami
mpool_exits 1 "no configuration file $TMP/absent.conf \(named by --config\)" \
    "a missing --config file is named" --config "$TMP/absent.conf" whoami
err=$(MPOOL_CONFIG="$TMP/env.conf" HOME="$TMP/home" "$MPOOL" whoami 2>&1 >/dev/null)
rc=$?
if [ $rc -eq 1 ] && grep -q "$TMP/env.conf (named by \$MPOOL_CONFIG)" <<<"$err"; then
    ok "\$MPOOL_CONFIG is used when --config is not given"
else
    notok "\$MPOOL_CONFIG (exit $rc: $err)"
fi

zkey=0000000000000000000000000000000000000000
printf '[client]\nnode = tcp://127.0.0.1:1\nnode_key = %s\nkey = alice.key\ncolour = blue\n' \
    "$zkey" >"$TMP/unknown.conf"
mpool_exits 1 "unknown.conf line 5: \[client\] unknown key 'colour'" \
    "an unknown key is an error naming file, line and key" --config "$TMP/unknown.conf" whoami

printf '[client]\nnode = tcp://127.0.0.1:1\nnode_key = not-a-key\nkey = alice.key\n' \
    >"$TMP/badkey.conf"
mpool_exits 1 "badkey.conf line 3: \[client\] node_key is not a 40-character Z85 key" \
    "a malformed node_key is named" --config "$TMP/badkey.conf" whoami

printf '[client]\nnode = tcp://127.0.0.1:1\nkey = alice.key\n' >"$TMP/nokey.conf"
mpool_exits 1 "nokey.conf: \[client\] node_key is missing" "a missing node_key is named" \
    --config "$TMP/nokey.conf" whoami

printf '[client]\nnode = tcp://127.0.0.1:1\nnode_key = %s\nkey = nobody.key\n' "$zkey" \
    >"$TMP/nofile.conf"
mpool_exits 1 "$TMP/nobody.key" \
    "a key file that is not there is named, relative to the configuration's folder" \
    --config "$TMP/nofile.conf" whoami

# ---- a person's key, for what needs one -------------------------------------

# Issued by mpoold as for a real pool; almere's node is never started, so
# the configured node does not answer.
if ! pool_create "$TMP/pool" almere || ! person almere alice hr; then
    notok "mpoold ($MPOOLD) could not issue a person's key and configuration"
    exit 1
fi
conf=$POOL/almere/people/alice.conf
key=$POOL/almere/people/alice.key
port=$CLIENT_PORT_almere

start=$(date +%s)
mpool_exits 5 "no answer from the node at tcp://127.0.0.1:$port within 1 s; a change may still have been made" \
    "a node that does not answer gives exit 5" --config "$conf" --timeout 1 whoami
elapsed=$(($(date +%s) - start))
if [ $elapsed -le 3 ]; then
    ok "--timeout bounds the wait for the node ($elapsed s)"
else
    notok "--timeout 1 took $elapsed s"
fi

mpool_exits 5 "within 1 s" "global flags after the command words work" \
    case show almere-1a2b3c4d --timeout 1 --config "$conf"
# Under --json an error is one line of JSON on stderr, with the exit code's name.
err=$(run case show almere-1a2b3c4d --config "$conf" --timeout 1 --json 2>&1 >/dev/null)
rc=$?
expect_eq "under --json an error is JSON: {\"error\":{\"status\",\"message\"}} (exit $rc)" \
    "$(jq -r '.error.status + " " + (.error.message | test("within 1 s") | tostring)' <<<"$err")" \
    "unreachable true"
err=$(run --json case show nope 2>&1 >/dev/null)
expect_eq "and so is a usage error" "$(jq -r .error.status <<<"$err")" usage

# With a working configuration, exit 2 (not 5) shows nothing was sent.
usage_error "cannot read the narrative file $TMP/absent.txt" \
    "a narrative that cannot be read stops mpool before anything is sent" \
    --config "$conf" --timeout 1 \
    case post --domain labour --language nl --party zeist --narrative "$TMP/absent.txt"
head -c 65537 /dev/zero | tr '\0' 'a' >"$TMP/big.txt"
usage_error "larger than 64 KiB" "a narrative over 64 KiB is refused before sending" \
    --config "$conf" --timeout 1 \
    case post --domain labour --language nl --party zeist --narrative "$TMP/big.txt"
printf 'Conflict \377\376 over rosters\n' >"$TMP/latin1.txt"
usage_error "is not UTF-8 text" "a narrative that is not UTF-8 is refused before sending" \
    --config "$conf" --timeout 1 \
    case post --domain labour --language nl --party zeist --narrative "$TMP/latin1.txt"
: >"$TMP/exists.txt"
usage_error "exists already" "offer narrative never overwrites a file" \
    --config "$conf" --timeout 1 offer narrative almere-1a2b3c4d --out "$TMP/exists.txt"

chmod 644 "$key"
mpool_exits 1 "$key is readable by group or others" \
    "a key file others can read is refused, and named" --config "$conf" whoami

exit $T_FAILED
