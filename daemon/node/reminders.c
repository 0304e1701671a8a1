/* reminders: one INSERT ... SELECT per kind; the `once` key makes a
 * repeat of the same reminder a no-op, so the check may run as often as
 * it likes. */
#include "node/reminders.h"

#include "base/deadline.h"
#include "base/log.h"
#include "node/notices.h"
#include "store/store.h"
#include "wire/names.h"

#define NOTICE_COLUMNS "INSERT INTO notices(user_id, kind, case_id, detail, once, at_ms) "

/* ?1 now. Halfway, or OFFER_REMIND_MS before the end, whichever is later. */
static const char offer_soon_sql[] =
    NOTICE_COLUMNS "SELECT user_id, 'offer_soon', case_id,"
                   " strftime('%Y-%m-%d %H:%M UTC', expires_ms / 1000, 'unixepoch'),"
                   " 'offer_soon:' || case_id || ':' || user_id || ':' || expires_ms, ?1"
                   " FROM m_offers WHERE state = 'offered' AND expires_ms > ?1"
                   " AND expires_ms - ?1 <= ?2 AND ?1 - updated_ms >= expires_ms - ?1"
                   " ON CONFLICT(once) DO NOTHING";

/* ?1 now, ?2 today. Near as deadline_near_days says: a legal date two
 * weeks before, the pool's own target only near its own date. The detail
 * says which of the two it is. */
static const char deadline_sql[] =
    NOTICE_COLUMNS "SELECT posted_by, 'deadline', case_id, date(decide_by * 86400, 'unixepoch')"
                   " || CASE deadline_kind WHEN 'internal' THEN ', the pool''s own target'"
                   " ELSE ', a legal decision date (' || deadline_kind || ')' END,"
                   " 'deadline:' || case_id || ':' || decide_by, ?1 FROM m_cases"
                   " WHERE " AT_RISK_SQL(
                       "state", "decide_by",
                       "?2 + " DEADLINE_NEAR_DAYS_SQL("deadline_kind", "period_start", "decide_by"),
                       CASE_ENDED_NAMES, CASE_TAKEN_NAMES) " ON CONFLICT(once) DO NOTHING";

/* ?1 now, ?2 moved last before this, ?3 the coordinator. Escalated cases
 * had their notice when they escalated. */
static const char stuck_sql[] = NOTICE_COLUMNS
    "SELECT ?3, 'pool_stuck', case_id, strftime('%Y-%m-%d', updated_ms / 1000, 'unixepoch'),"
    " 'pool_stuck:' || case_id || ':' || updated_ms || ':' || ?3, ?1 FROM c_cases"
    " WHERE updated_ms < ?2 AND state != 10 AND state NOT IN " CASE_ENDED_NUMBERS
    " ON CONFLICT(once) DO NOTHING";

static int run(sqlite3 *db, const char *sql, int64_t now, int64_t second, const char *third)
{
    sqlite3_stmt *st = store_prepare(db, sql);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_int64(st, 2, second);
    if (third)
        sqlite3_bind_text(st, 3, third, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    store_release(st);
    return rc;
}

void reminders_run(struct node *n, int64_t now)
{
    if (store_begin(n->db) < 0)
        return;
    int rc = 0;
    if (n->cfg.member) {
        rc |= run(n->db, offer_soon_sql, now, OFFER_REMIND_MS, NULL);
        rc |= run(n->db, deadline_sql, now, deadline_today(now), NULL);
    }
    for (size_t i = 0; n->cfg.coordinator && i < n->users.count; i++)
        if (n->users.list[i].roles & ROLE_COORDINATOR)
            rc |= run(n->db, stuck_sql, now, now - n->cfg.stuck_after_ms, n->users.list[i].id);
    if (rc != 0 || store_commit(n->db) < 0) {
        log_error("reminders: %s; they are tried again shortly", store_failure(n->db));
        store_rollback(n->db);
    }
}
