#!/usr/bin/env bash
# make demo: a pool of four municipalities and a coordinator on this
# machine, in a temporary directory, and one case through every step.
set -eu
BUILD=${1:-build}
cd "$(dirname "$0")/.."
. tests/e2e/lib.sh

dir=$(mktemp -d /tmp/mediatorpool-demo.XXXXXX)
trap 'set +e; pool_stop; rm -rf "$dir"' EXIT
if [ -t 1 ]; then bold=$(printf '\033[1m') plain=$(printf '\033[0m'); else bold= plain=; fi
step() { printf '\n%s== %s%s\n' "$bold" "$*" "$plain"; }
run() { # node user args...
    local node=$1 user=$2
    shift 2
    printf '\n[%s@%s]$ mpool %s\n' "$user" "$node" "$*"
    as "$node" "$user" "$@"
}

start=$(date +%s)
step "Setting up a pool in $dir: a coordinator and Almere, Hilversum, Zeist, Amersfoort"
LOG_LEVEL=warn pool_create "$dir" almere hilversum zeist amersfoort
# The coordinator's dashboard, for a browser on this machine.
dash_port=$(pick_ports)
printf '\n[dashboard]\nbind = 127.0.0.1:%s\n' "$dash_port" >>"$dir/coordinator/mpoold.conf"
person coordinator coord coordinator
person almere hr-almere hr
for m in almere hilversum zeist amersfoort; do person "$m" "med-$m" mediator; done
pool_start
echo "nodes running; keys, roster and people are in $dir"

step "Mediators register their profiles at their own node"
run hilversum med-hilversum mediator register --specialty labour --language nl --language en \
    --mfn-number MfN-20311 --mfn-expiry 2028-06-30 --capacity 2
for m in almere zeist amersfoort; do
    as "$m" "med-$m" mediator register --specialty labour --specialty citizen --language nl \
        --mfn-number "MfN-$m" --mfn-expiry 2029-01-31 --capacity 2 >/dev/null
done
echo "(Almere, Zeist and Amersfoort register theirs the same way)"
wait_profiles 4

step "Almere's HR posts a labour conflict; names stay at Almere"
printf 'Employee J. de Vries and team lead P. Bakker disagree about shift rosters.\n' >"$dir/narrative.txt"
# The parties' names go in a file, never on the command line (ps shows it).
printf 'person:J. de Vries\nperson:P. Bakker\n' >"$dir/parties.txt"
run almere hr-almere case post --domain labour --language nl --urgency high --party almere \
    --parties "$dir/parties.txt" --narrative "$dir/narrative.txt"
case_id=$(as almere hr-almere --json case list | json '.cases[0].case_id')

step "The coordinator proposes a shortlist of conflict-free mediators"
as almere hr-almere case wait "$case_id" --state shortlisted >/dev/null
run almere hr-almere case show "$case_id"
chosen=$(as almere hr-almere --json case show "$case_id" | json '.shortlist[0].mediator_id')

step "The parties choose $chosen; the mediator gets an offer"
run almere hr-almere case choose "$case_id" "$chosen"
mnode=${chosen%%:*}
muser=${chosen#*:}
as "$mnode" "$muser" offer wait "$case_id" --state offered >/dev/null
run "$mnode" "$muser" offer list

step "The mediator accepts with a declaration of no conflict and reads the sealed narrative"
run "$mnode" "$muser" offer accept "$case_id" --no-conflict
as "$mnode" "$muser" offer wait "$case_id" --state in_mediation >/dev/null
run "$mnode" "$muser" offer narrative "$case_id"

step "After the mediation, HR closes the case with the outcome and the hours"
run almere hr-almere case close "$case_id" --outcome agreement --hours 6.5
as almere hr-almere case wait "$case_id" --state closed >/dev/null
run almere hr-almere case show "$case_id"

step "The coordinator's ledger of hours given and received"
run coordinator coord pool ledger
run coordinator coord pool status

step "The coordinator's yearly report, as a page for the annual report"
report="$BUILD/pool-report-$(date -u +%Y).html"
as coordinator coord pool report --year "$(date -u +%Y)" --format html >"$report"
run coordinator coord pool report --year "$(date -u +%Y)" --municipality almere
echo "The year's report as one HTML page: $report"

step "The coordinator's dashboard: a link that signs a browser in, once"
run coordinator coord pool dashboard
if [ -t 0 ]; then
    printf '\nOpen the link in a browser on this machine; press Enter to stop the pool. '
    read -r _
fi

step "Done in $(($(date +%s) - start)) s; stopping the pool"
