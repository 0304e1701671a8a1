#!/usr/bin/env bash
# Names compared as people read them: a relationship declared as
# "ömer yılmaz" keeps the mediator off the case of "Ömer Yılmaz"; the
# privacy officer finds the person under any spelling; and a pool whose
# nodes upgrade one by one never lets a declared relationship stop
# excluding, while a node's first start derives its stored pseudonyms again.
set -u
. "$(dirname "$0")/lib.sh"
standard_scenario
person almere priv privacy
person hilversum priv-h privacy
node_reload almere
node_reload hilversum

# shortlisted CASE: the mediators on the case's shortlist, as almere's HR see it.
shortlisted() {
    as almere hr1 --json case wait "$1" --state shortlisted,escalated |
        json '[.shortlist[]?.mediator_id] | sort | join(",")'
}
# A relationship is a private fact: HR see it counted as not available;
# the coordinator's record of the ranking keeps the rule.
not_available() {
    as almere hr1 --json case show "$1" |
        json '[.excluded[]? | select(.reason == "not_available") | .count] | add // 0'
}
for_relationship() {
    sqlite3 -cmd ".timeout 5000" "$POOL/coordinator/mpool.db" "select coalesce(json_extract(result,
        '\$.considered.relationship'), 0) from c_rounds where case_id = '$1' order by id desc limit 1"
}
new_case() { post_case almere hr1 --domain labour --language nl --party almere "$@"; }
coord_db() { sqlite3 -cmd ".timeout 5000" "$POOL/coordinator/mpool.db" "$@"; }

expect "mpoold check names the Unicode version names are compared by, as docs/privacy.md does" \
    grep -q "names are compared by the rules of Unicode 14.0" \
    <<<"$(cd "$POOL/almere" && "$MPOOLD" -c mpoold.conf check)"

as hilversum med-h mediator relationship --parties <(echo "person:ömer yılmaz") >/dev/null
synced hilversum
omer=$(new_case --parties <(echo "person:Ömer Yılmaz"))
stranger=$(new_case --parties <(echo "person:Anna de Vries"))
expect_eq "a stranger's case lists hilversum's mediator" \
    "$(shortlisted "$stranger" | tr , '\n' | grep -c hilversum:med-h)" 1
expect_eq "a relationship with 'ömer yılmaz' keeps them off the case of 'Ömer Yılmaz'" \
    "$(shortlisted "$omer" | tr , '\n' | grep -c hilversum:med-h)" 0
expect_eq "HR's exclusion lines count one more mediator not available than for a stranger" \
    "$(not_available "$omer")" "$(($(not_available "$stranger") + 1))"
expect_eq "the coordinator's record of the ranking counts one declared relationship" \
    "$(for_relationship "$omer") $(for_relationship "$stranger")" "1 0"

as zeist med-z mediator relationship --parties <(echo "person:Zoë van den Heuvel-Çelik") >/dev/null
synced zeist
zoe=$(new_case --parties <(echo "person:ZOE VAN DEN HEUVEL CELIK"))
expect_eq "'Zoë van den Heuvel-Çelik' and 'ZOE VAN DEN HEUVEL CELIK' are one person" \
    "$(shortlisted "$zoe" | tr , '\n' | grep -c zeist:med-z)" 0

# ---- The privacy officer finds the person under any spelling -------------
found_cases() { as almere priv --json privacy export --person-file <(printf '%s\n' "$1") | json '[.cases[].case_id] | join(",")'; }
for name in "Ömer Yılmaz" "OMER YILMAZ" $'O\xcc\x88mer Y\xc4\xb1lmaz' " ömer   yilmaz " "omer-yilmaz"; do
    desc=$name
    [[ $name == *$'\xcc'* ]] && desc="$name, decomposed"
    expect_eq "privacy export --person '$desc' finds the case" "$(found_cases "$name")" "$omer"
done
expect_eq "another person is not found" "$(found_cases "Omer Yilmazer")" ""
expect_eq "hilversum's privacy officer finds the declared relationship under another spelling" \
    "$(as hilversum priv-h --json privacy export --person-file <(printf '%s\n' "OMER YILMAZ") | json '[.relationships[].mediator] | join(",")')" \
    med-h
found_zoe=$(as almere priv --json privacy export --person-file <(printf '%s\n' $'zo\x65\xcc\x88 van den heuvel-c\xcc\xa7elik'))
expect_eq "a decomposed spelling finds the case of 'ZOE VAN DEN HEUVEL CELIK'" \
    "$(json '[.cases[].case_id] | join(",")' <<<"$found_zoe")" "$zoe"

# ---- A pool that upgrades node by node -----------------------------------
# zeist not upgraded yet: its profile carries the legacy form only. A case
# from an upgraded almere sends the legacy forms too, so the relationship
# that matched before still excludes.
as zeist med-z mediator relationship --parties <(echo "person:Şenay Güler") >/dev/null
synced zeist
zeist_db() { sqlite3 "$POOL/zeist/mpool.db" "select $1 from m_relationships where label = 'Şenay Güler'"; }
coord_db "delete from c_relationships where mediator_id = 'zeist:med-z' and ref = '$(zeist_db ref)'"
expect_eq "the coordinator holds zeist's relationship in its legacy form only" \
    "$(coord_db "select group_concat(ref) from c_relationships where mediator_id = 'zeist:med-z'
        and ref in ('$(zeist_db ref)', '$(zeist_db legacy_ref)')")" "$(zeist_db legacy_ref)"
senay=$(new_case --parties <(echo "person:Şenay Güler"))
expect_eq "a case from an upgraded node still meets a relationship in the legacy form" \
    "$(shortlisted "$senay" | tr , '\n' | grep -c zeist:med-z)" 0

# almere and hilversum as they were before the upgrade: every pseudonym in
# the legacy form, and no word of the rule they were made by (the columns
# later migrations added stay: a database is never migrated backwards); the
# coordinator knows only those forms.
case_new=$(sqlite3 "$POOL/almere/mpool.db" "select ref from m_case_parties where case_id = '$omer' and kind = 'person'")
rel_new=$(sqlite3 "$POOL/hilversum/mpool.db" "select ref from m_relationships where user_id = 'med-h'")
node_stop almere
node_stop hilversum
downgrade() { # NODE TABLE
    sqlite3 "$POOL/$1/mpool.db" "update $2 set ref = legacy_ref where legacy_ref is not null;
        delete from meta where key = 'pseudonym_rule';"
}
downgrade almere m_case_parties
downgrade hilversum m_relationships
coord_db "delete from c_case_parties where ref = '$case_new'; delete from c_relationships where ref = '$rel_new'"
as coordinator coord pool round >/dev/null
clock() { coord_db "select updated_ms from c_cases where case_id = '$omer'"; }
since=$(clock)
listed_at_coord() {
    coord_db "select count(*) from c_shortlist where case_id = '$omer' and mediator_id = 'hilversum:med-h'"
}
expect_eq "under the legacy rule alone, 'ömer yılmaz' and 'Ömer Yılmaz' were two people" \
    "$(listed_at_coord)" 1

node_start almere
node_start hilversum
wait_node almere && wait_node hilversum
synced almere
synced hilversum
expect_eq "almere's first start derived the party's pseudonym again" \
    "$(sqlite3 "$POOL/almere/mpool.db" "select ref from m_case_parties where case_id = '$omer' and kind = 'person'")" \
    "$case_new"
expect_eq "and keeps the legacy form beside it" \
    "$(sqlite3 "$POOL/almere/mpool.db" "select count(*) from m_case_parties where case_id = '$omer' and legacy_ref != ref")" 1
expect_eq "hilversum's first start derived the relationship's pseudonym again" \
    "$(sqlite3 "$POOL/hilversum/mpool.db" "select ref from m_relationships where user_id = 'med-h'")" "$rel_new"
expect_eq "the coordinator heard of both" \
    "$(coord_db "select (select count(*) from c_case_parties where case_id = '$omer' and ref = '$case_new')
        + (select count(*) from c_relationships where mediator_id = 'hilversum:med-h' and ref = '$rel_new')")" 2
for _ in $(seq 100); do [ "$(listed_at_coord)" = 0 ] && break; sleep 0.1; done
expect_eq "and ranked the waiting case again without the mediator" "$(listed_at_coord)" 0
expect_eq "a new order is no progress: the case keeps its clock for pool stuck" "$(clock)" "$since"
expect "the case's history says why" \
    grep -q "the parties' names were compared anew" <<<"$(as almere hr1 --json case show "$omer" | json '.history[].reason')"
expect_eq "the export still finds the person after the upgrade" "$(found_cases "OMER YILMAZ")" "$omer"
expect "no name reaches the coordinator's database, WAL or log" \
    test "$(cat "$POOL/coordinator"/mpool.db* "$POOL/coordinator/mpoold.log" | grep -acE 'lmaz|Heuvel|Güler')" = 0

# The pool takes at most 256 references per mediator, legacy forms included:
# the mediator hears so when declaring, rather than the profile being dropped.
sqlite3 -cmd ".timeout 5000" "$POOL/hilversum/mpool.db" "with recursive i(n) as (select 1 union all
    select n + 1 from i where n < 253) insert into m_relationships(user_id, kind, label, ref)
    select 'med-h', 'person', 'Vulling ' || n, printf('p:%032x', n) from i"
expect "with 255 references, one more fits" as hilversum med-h mediator relationship --parties <(echo "person:Jan Extra")
expect_exit 3 "a relationship past the pool's limit is refused, saying what to do" \
    as hilversum med-h mediator relationship --parties <(echo "person:Zoë Extra")
expect_eq "and nothing of it is kept" \
    "$(sqlite3 "$POOL/hilversum/mpool.db" "select count(*) from m_relationships where label = 'Zoë Extra'")" 0

# A row whose name was blanked is found only under its pseudonyms: the
# export says how many such cases it found, so the officer looks further.
expect "an export of a person whose names are all kept mentions no blanked rows" \
    test "$(as almere priv privacy export --person-file <(printf '%s\n' "OMER YILMAZ") | grep -c 'no longer hold the name')" = 0
sqlite3 "$POOL/almere/mpool.db" "update m_case_parties set label = '' where case_id = '$omer' and kind = 'person'"
expect_eq "the export counts the case whose name is gone" \
    "$(as almere priv --json privacy export --person-file <(printf '%s\n' "OMER YILMAZ") | json .unlabelled)" 1
expect "and tells the officer to look up the spelling used then" \
    grep -q "1 of these case(s) no longer hold the name.*look up that spelling too" \
    <<<"$(as almere priv privacy export --person-file <(printf '%s\n' "OMER YILMAZ"))"
