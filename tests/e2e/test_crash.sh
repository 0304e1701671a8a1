#!/usr/bin/env bash
# Crash safety, short form: about ten SIGKILLs of random daemons while HR
# officers post and choose and mediators answer; nothing reported accepted
# is lost, nothing is applied twice, every journey goes on, no database is
# damaged. The long form is tests/stress.sh (make stress).
# SEED picks the run (default: a new one each time, printed to replay it).
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/crash.sh"
trap crash_finish EXIT

seed=${SEED:-$((($(date +%s) + $$) % 100000))}
RANDOM=$seed
kills=$((8 + RANDOM % 5))
crash_run "$kills" "$seed" 1 3 || notok "crash run with seed $seed (replay: SEED=$seed)"
