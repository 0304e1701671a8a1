#!/usr/bin/env bash
# Crash safety, long form (make stress): the harness of tests/e2e/crash.sh
# with KILLS random SIGKILLs (default 200) and two HR posters per node.
# Prints the figure line and the elapsed time; exits non-zero on any
# failure. Replay a run with the SEED it printed.
# Usage: KILLS=200 SEED=1 BUILD=build tests/stress.sh
set -u
cd "$(dirname "$0")/.." || exit 1
. tests/e2e/lib.sh
. tests/e2e/crash.sh

KILLS=${KILLS:-200}
SEED=${SEED:-1}
start=$SECONDS

stress_done() {
    echo "stress: $KILLS kills, seed $SEED, elapsed $((SECONDS - start)) s"
    crash_finish
}
trap stress_done EXIT

crash_run "$KILLS" "$SEED" 2 10 || notok "stress run with seed $SEED (replay: SEED=$SEED)"
