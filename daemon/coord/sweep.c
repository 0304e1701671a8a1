/* sweep: fold each due case into c_stats, then delete its rows. */
#include "coord/sweep.h"

#include <stdio.h>
#include <stdlib.h>

#include "base/log.h"
#include "node/destroyed.h"
#include "store/store.h"
#include "wire/names.h"

/* Closed (8) or withdrawn (9), and ended before the cutoff. */
static const char due_sql[] =
    "SELECT case_id FROM c_cases WHERE state IN " CASE_ENDED_NUMBERS " AND"
    " updated_ms <= ?1 ORDER BY case_id";

/* The case counts once, under the municipality of its first seat's
 * mediator; the hours go to each municipality that gave them (a mediator
 * who stepped back, each one who closed it). */
static const char fold_case_sql[] =
    "INSERT INTO c_stats(month, requester, giver, domain, state, outcome, cases, minutes)"
    " SELECT strftime('%Y-%m', updated_ms / 1000, 'unixepoch'), requester,"
    "  COALESCE((SELECT substr(s.mediator_id, 1, instr(s.mediator_id, ':') - 1) FROM c_seats s"
    "   WHERE s.case_id = c_cases.case_id ORDER BY s.rowid LIMIT 1), ''), domain, state,"
    "  outcome, 1, 0 FROM c_cases WHERE case_id = ?1"
    " ON CONFLICT(month, requester, giver, domain, state, outcome) DO UPDATE SET"
    "  cases = cases + 1";
/* Hours keep the month they were given in, so that a year's ledger reads
 * the same before and after retention. */
static const char fold_hours_sql[] =
    "INSERT INTO c_stats(month, requester, giver, domain, state, outcome, cases, minutes)"
    " SELECT strftime('%Y-%m', h.at_ms / 1000, 'unixepoch'), h.requester, h.giver,"
    "  c.domain, c.state, c.outcome, 0, SUM(h.minutes) FROM c_hours h"
    "  JOIN c_cases c ON c.case_id = h.case_id WHERE h.case_id = ?1 GROUP BY 1, h.giver"
    " ON CONFLICT(month, requester, giver, domain, state, outcome) DO UPDATE SET"
    "  minutes = minutes + excluded.minutes";

static const char *const delete_sql[] = {
    "DELETE FROM c_case_parties WHERE case_id = ?1", "DELETE FROM c_case_marks WHERE case_id = ?1",
    "DELETE FROM c_shortlist WHERE case_id = ?1",    "DELETE FROM c_transitions WHERE case_id = ?1",
    "DELETE FROM c_rounds WHERE case_id = ?1",       "DELETE FROM c_hours WHERE case_id = ?1",
    "DELETE FROM c_seats WHERE case_id = ?1",        "DELETE FROM c_shown WHERE case_id = ?1",
    "DELETE FROM c_cases WHERE case_id = ?1",
};

static int run(struct node *n, const char *sql, const char *case_id)
{
    sqlite3_stmt *st = store_prepare(n->db, sql);
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    store_release(st);
    return rc;
}

static int reduce_case(struct node *n, const char *case_id, const char *rule)
{
    if (destroyed_add(n->db, "coordinator case rows", case_id, rule) < 0 ||
        run(n, fold_case_sql, case_id) < 0 || run(n, fold_hours_sql, case_id) < 0)
        return -1;
    for (size_t i = 0; i < sizeof delete_sql / sizeof *delete_sql; i++)
        if (run(n, delete_sql[i], case_id) < 0)
            return -1;
    return 0;
}

int coord_sweep(struct node *n, int64_t now)
{
    char rule[96];
    snprintf(rule, sizeof rule, "[retention] coordinator = %lld days after the case ended",
             (long long)(n->cfg.retention.coordinator_ms / 86400000));
    if (store_begin(n->db) < 0)
        return -1;
    sqlite3_stmt *st = store_prepare(n->db, due_sql);
    if (!st) {
        store_rollback(n->db);
        return -1;
    }
    sqlite3_bind_int64(st, 1, now - n->cfg.retention.coordinator_ms);
    struct id_list due;
    int rc = store_collect_ids(st, &due);
    store_release(st);
    for (size_t i = 0; rc == 0 && i < due.count; i++)
        rc = reduce_case(n, due.ids[i], rule);
    size_t count = due.count;
    id_list_free(&due);
    if (rc < 0 || store_commit(n->db) < 0) {
        store_rollback(n->db);
        log_error("retention: could not reduce the cases that are due; will retry");
        return -1;
    }
    if (count > 0) {
        store_reclaim(n->db);
        log_info("retention: reduced %zu ended cases to statistics", count);
    }
    return (int)count;
}
