#!/usr/bin/env bash
# mpool match: the offline matcher reads an instance, prints the optimum,
# explains it, writes DIMACS, and names what is wrong in a bad instance.
set -u
MPOOL=${MPOOL:-${BUILD:-build}/mpool}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
ok() { echo "ok - $*"; }
notok() { echo "not ok - $*"; }
check() { if [ "$2" = "$3" ]; then ok "$1"; else notok "$1 (got '$2', want '$3')"; fi; }

out=$("$MPOOL" --json match --instance tests/match/example.json --dimacs "$dir/ex.min")
check "the example's optimum" "$(jq .objective <<<"$out")" 503
check "the assignments, one per seat, in case order" \
    "$(jq -c '[.assignments[] | [.case, .mediators]]' <<<"$out")" '[["c1",["m3"]],["c2",["m2","m3"]]]'
check "no seat left empty" "$(jq -c .unfilled <<<"$out")" "[]"
check "a 2-seat case gets mediators of two municipalities" \
    "$(jq -r '.assignments[] | select(.case == "c2") | .mediators | length' <<<"$out")" 2
again=$("$MPOOL" --json match --instance tests/match/example.json)
check "the same input gives the same answer" "$again" "$out"

explained=$("$MPOOL" --json match --instance tests/match/example.json --explain)
check "the explanation names each rule that excluded someone" \
    "$(jq -r '.explain[] | select(.case == "c1") | .summary' <<<"$explained")" \
    "1 of 4 mediators eligible; 3 not: 1 municipality excluded for this case, 1 vetoed by a party, 1 declared relationship with a party"
check "the explanation gives the chosen mediator's cost term by term" \
    "$(jq -c '.explain[] | select(.case == "c1") | .chosen[0].cost | [.distance_km, .specialty, .balance, .load, .total]' <<<"$explained")" \
    "[13,200,6,0,219]"
check "alternates are listed" \
    "$(jq -r '.explain[] | select(.case == "c2") | .alternates[0].mediator' <<<"$explained")" m7

if head -2 "$dir/ex.min" | grep -q '^p min 9 15$'; then ok "the DIMACS file has its problem line"; else notok "the DIMACS file has no 'p min' line"; fi
if command -v dimacs-solver >/dev/null 2>&1; then
    check "LEMON's solver finds the same objective on the DIMACS file" \
        "$(dimacs-solver -long "$dir/ex.min" 2>&1 | sed -n 's/^Min flow cost: //p')" 503
fi

bad() { # description, jq filter to break the example, expected error part
    jq "$2" tests/match/example.json >"$dir/bad.json"
    local err rc
    err=$("$MPOOL" match --instance "$dir/bad.json" 2>&1 >/dev/null)
    rc=$?
    if [ $rc -eq 2 ] && grep -qF -- "$3" <<<"$err" && [ "$(wc -l <<<"$err")" -eq 1 ]; then
        ok "$1 ($err)"
    else
        notok "$1 (exit $rc: $err)"
    fi
}
bad "a missing capacity is named with its mediator" 'del(.mediators[1].capacity)' 'mediators[1] (m2).capacity'
bad "a wrong type is named" '.cases[0].seats = "one"' 'cases[0] (c1).seats'
bad "three seats are refused" '.cases[0].seats = 3' 'cases[0] (c1).seats'
bad "an unknown field is named" '.cases[1].colour = "red"' 'colour'
bad "a duplicate id is named" '.mediators[1].id = "m1"' 'mediators[1]'
bad "a weight that is not an integer is named" '.weights.load_step = 1.5' 'weights.load_step'
printf '{"cases": [' >"$dir/broken.json"
err=$("$MPOOL" match --instance "$dir/broken.json" 2>&1 >/dev/null)
if [ $? -eq 2 ] && grep -q "line" <<<"$err"; then ok "malformed JSON is reported with its place ($err)"; else notok "malformed JSON: $err"; fi
err=$("$MPOOL" match --instance "$dir/none.json" 2>&1 >/dev/null)
if [ $? -eq 2 ] && grep -q "none.json" <<<"$err"; then ok "a missing file is named"; else notok "a missing file: $err"; fi
