#!/usr/bin/env bash
# make demo shows a case through every step and the ledger, within a minute.
set -u
start=$(date +%s)
out=$(timeout 60 tests/demo.sh "${BUILD:-build}" 2>&1)
rc=$?
took=$(($(date +%s) - start))
if [ $rc -eq 0 ]; then echo "ok - the demo runs to the end (${took} s)"; else echo "not ok - the demo failed (exit $rc): $(tail -3 <<<"$out" | tr '\n' ' ')"; fi
for step in "shortlist:" "chosen, waiting for the pool" "offered" "answered, waiting for the pool" "in mediation" "closed" "GIVEN (H)" "Yearly report" "/login?token=" "Done in"; do
    if grep -qF "$step" <<<"$out"; then echo "ok - the demo shows '$step'"; else echo "not ok - the demo does not show '$step'"; fi
done
if grep -q "^hilversum.*6\.5\|^zeist.*6\.5\|^amersfoort.*6\.5" <<<"$out" && grep -q "^almere .*6\.5 .*-6\.5" <<<"$out"; then
    echo "ok - the ledger moves 6.5 hours from the requester to the mediator's municipality"
else
    echo "not ok - the ledger does not show the 6.5 hours"
fi
