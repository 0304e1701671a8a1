#!/usr/bin/env bash
# A long list comes in pages: 20,000 cases at one node are listed 200 at a
# time by default, each answer far below the client's message limit, with
# the total and the position of the next page; paging through gives every
# case once.
set -u
. "$(dirname "$0")/lib.sh"
trap finish EXIT
pool_create "$(mktemp -d)" almere || exit 1
person coordinator coord coordinator
person almere hr1 hr
person almere aud auditor
person almere med mediator
pool_start || exit 1

# 20,000 cases as the node's own records (posting them would take minutes).
sqlite3 "$POOL/almere/mpool.db" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n
    WHERE i < 20000) INSERT INTO m_cases(case_id, posted_by, domain, language, urgency,
    requires_certified, seats, lat, lon, state, created_ms, updated_ms)
    SELECT printf('almere-%08x', i), 'hr1', 'labour', 'nl', 'normal', 0, 1, 52.3, 5.2,
    'shortlisted', i, i FROM n"

first=$(as almere hr1 --json case list)
expect_eq "the first page holds 200 cases, the total and where the next starts" \
    "$(json '[(.cases | length), .total, .next] | join(" ")' <<<"$first")" "200 20000 200"
expect "the answer is far below the client's message limit (${#first} bytes)" \
    test "${#first}" -lt 200000
expect "the text form says which cases it shows and how to see more" \
    grep -q "showing 1 to 200 of 20000; the next page: mpool case list --after 200" \
    <<<"$(as almere hr1 case list)"

after=0 pages=0 ids=""
while [ "$after" != null ] && [ $pages -lt 30 ]; do
    page=$(as almere hr1 --json case list --limit 1000 --after "$after") || break
    ids+=$(json '.cases[].case_id' <<<"$page")$'\n'
    after=$(json .next <<<"$page")
    pages=$((pages + 1))
done
expect_eq "1000 at a time, 20 pages give every case once" \
    "$pages $(grep -c . <<<"$ids") $(sort -u <<<"$ids" | grep -c .)" "20 20000 20000"
expect_exit 2 "a page larger than 1000 is refused" as almere hr1 case list --limit 1001
expect_eq "past the end, a page is empty and has no next" \
    "$(as almere hr1 --json case list --after 20000 | json '[(.cases | length), .next] | join(" ")')" "0 "

# The audit trail pages the same way: every list above is on it (23
# requests of hr1's; the refused --limit never left mpool).
trail=$(as almere aud --json audit --person hr1 --limit 5)
expect_eq "the audit trail gives a page of 5, the total of hr1's requests and more to come" \
    "$(json '[(.entries | length), .total, .next, .more] | join(" ")' <<<"$trail")" "5 23 5 true"
expect "its text form names the next page with the same filter" \
    grep -q "showing 1 to 5 of 23; the next page: mpool audit --person hr1 --after 5" \
    <<<"$(as almere aud audit --person hr1 --limit 5)"
expect_eq "the last page says no more" \
    "$(as almere aud --json audit --person hr1 --after 20 | json '[(.entries | length), .more] | join(" ")')" \
    "3 false"

# The other lists page the same way: a mediator's offers, the coordinator's
# stuck cases and its mediators' load.
sqlite3 "$POOL/almere/mpool.db" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n
    WHERE i < 3000) INSERT INTO m_offers(case_id, user_id, state, requester, domain, language,
    urgency, parties, expires_ms, updated_ms) SELECT printf('zeist-%08x', i), 'med', 'offered',
    'zeist', 'labour', 'nl', 'normal', '[]', 0, i FROM n"
sqlite3 "$POOL/coordinator/mpool.db" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1
    FROM n WHERE i < 3000) INSERT INTO c_cases(case_id, requester, domain, language, urgency,
    requires_certified, seats, lat, lon, state, created_ms, updated_ms)
    SELECT printf('zeist-%08x', i), 'zeist', 'labour', 'nl', 2, 0, 1, 52.1, 5.2, 10, i, i FROM n;
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1500)
    INSERT INTO c_mediators(mediator_id, node, specialties, languages, mfn_number, mfn_expiry_ms,
    capacity, lat, lon, box_key, windows, active, updated_ms) SELECT printf('zeist:m%d', i),
    'zeist', '[]', '[\"nl\"]', '', 0, 2, 52.1, 5.2, zeroblob(32), '[]', 1, i FROM n"
page_of() { json "[(.$1 | length), .total, .next] | join(\" \")"; }
expect_eq "offer list: 200 of 3000 offers, the next page at 200" \
    "$(as almere med --json offer list | page_of offers)" "200 3000 200"
expect_eq "pool stuck: a page of 50 after 100, of 3000" \
    "$(as coordinator coord --json pool stuck --limit 50 --after 100 | page_of cases)" "50 3000 150"
expect_eq "pool status: 200 of 1500 mediators, with every state counted" \
    "$(as coordinator coord --json pool status | json '[(.mediators | length), .total, .next, .cases.escalated] | join(" ")')" \
    "200 1500 200 3000"
expect "the text of pool stuck names the next page" \
    grep -q "showing 1 to 200 of 3000; the next page: mpool pool stuck --after 200" \
    <<<"$(as coordinator coord pool stuck)"
