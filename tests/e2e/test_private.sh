#!/usr/bin/env bash
# What a municipality may not learn about other cases: whether a person it
# names was a party in a mediation elsewhere. A mediator kept out by such a
# private fact is counted with those who are unavailable or full.
set -u
. "$(dirname "$0")/lib.sh"
standard_scenario
person hilversum hr-h hr
node_reload hilversum

# almere's case with Gerrit Zwanenburg goes to zeist's mediator, who then
# has no room for another case.
as zeist med-z mediator register --specialty labour --language nl --mfn-number MfN-med-z \
    --mfn-expiry 2030-01-01 --capacity 1 >/dev/null
synced zeist
c=$(post_case almere hr1 --domain labour --language nl --party almere \
    --party "person:Gerrit Zwanenburg")
as almere hr1 case wait "$c" --state shortlisted >/dev/null
as almere hr1 case choose "$c" zeist:med-z >/dev/null
as zeist med-z offer wait "$c" --state offered >/dev/null
as zeist med-z offer accept "$c" --no-conflict >/dev/null
as almere hr1 case wait "$c" --state in_mediation >/dev/null

# hilversum names the same person in one case and a stranger in another.
exclusions() { # case id: its exclusion lines as HR see them
    as hilversum hr-h --json case wait "$1" --state shortlisted,escalated |
        json '[.excluded[] | "\(.count) \(.text)"] | join("; ")'
}
known=$(post_case hilversum hr-h --domain labour --language nl --party hilversum \
    --party "person:Gerrit Zwanenburg")
fresh=$(post_case hilversum hr-h --domain labour --language nl --party hilversum \
    --party "person:Anna de Vries")
expect_eq "a person with a mediation elsewhere and a stranger give the same exclusion lines" \
    "$(exclusions "$known")" "$(exclusions "$fresh")"
expect_eq "zeist's mediator is counted as not available for this case" \
    "$(as hilversum hr-h --json case show "$known" |
        json '.excluded[] | select(.reason == "not_available") | .count')" 1
considered=$(sqlite3 "$POOL/coordinator/mpool.db" "select json_extract(result,
    '\$.considered.prior_involvement') from c_rounds where case_id = '$known' order by id desc limit 1")
expect_eq "the coordinator's record of the ranking keeps the rule, for audit" "$considered" 1
