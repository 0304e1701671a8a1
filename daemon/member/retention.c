/* retention: one statement per kind of record, each listing its cases on
 * the destruction list before it destroys them. */
#include "member/retention.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "member/seat_list.h"
#include "node/destroyed.h"
#include "store/store.h"
#include "wire/names.h"

#define ENDED "state IN " CASE_ENDED_NAMES

struct kind {
    const char *name;   /* on the destruction list */
    const char *config; /* the [retention] key */
    size_t period;      /* its field in struct retention */
    const char *due;    /* the cases whose records of this kind are due: ?1 = cutoff */
    const char *destroy;
};

#define PERIOD(field) offsetof(struct retention, field)

static const struct kind kinds[] = {
    {"narrative", "narrative", PERIOD(narrative_ms),
     "SELECT case_id FROM m_cases WHERE " ENDED " AND updated_ms <= ?1 AND length(narrative) > 0",
     "UPDATE m_cases SET narrative = NULL WHERE case_id = ?1"},
    {"party names and notes", "labels", PERIOD(labels_ms),
     "SELECT case_id FROM m_cases c WHERE " ENDED " AND updated_ms <= ?1 AND (EXISTS (SELECT 1"
     " FROM m_case_parties p WHERE p.case_id = c.case_id AND p.kind != 'municipality' AND p.label "
     "!= '') OR EXISTS (SELECT 1"
     " FROM m_case_notes o WHERE o.case_id = c.case_id) OR disclosure_note IS NOT NULL"
     " OR " SEAT_LIST_HAS_NOTE ")",
     "UPDATE m_case_parties SET label = '' WHERE case_id = ?1 AND kind != 'municipality';"
     "DELETE FROM m_case_notes WHERE case_id = ?1;"
     "UPDATE m_cases SET disclosure_note = NULL, seat_list = " SEAT_LIST_WITHOUT_NOTES
     " WHERE case_id = ?1"},
    {"case record", "case", PERIOD(case_ms),
     "SELECT case_id FROM m_cases WHERE " ENDED " AND updated_ms <= ?1",
     "DELETE FROM m_history WHERE case_id = ?1;"
     "DELETE FROM m_shown WHERE case_id = ?1;"
     "DELETE FROM m_numbers WHERE case_id = ?1;"
     "DELETE FROM m_pending WHERE case_id = ?1;"
     "DELETE FROM m_cases WHERE case_id = ?1"},
    {"offer record", "case", PERIOD(case_ms),
     "SELECT DISTINCT case_id FROM m_offers WHERE state IN " OFFER_ENDED_NAMES
     " AND updated_ms <= ?1",
     "DELETE FROM m_offers WHERE case_id = ?1"},
};

static int64_t period_of(const struct node *n, const struct kind *k)
{
    return *(const int64_t *)((const char *)&n->cfg.retention + k->period);
}

/* Runs each ';'-separated statement of sql with ?1 = case_id. */
static int destroy_one(struct node *n, const char *sql, const char *case_id)
{
    char copy[512];
    snprintf(copy, sizeof copy, "%s", sql);
    for (char *save = NULL, *part = strtok_r(copy, ";", &save); part;
         part = strtok_r(NULL, ";", &save)) {
        sqlite3_stmt *st = store_prepare(n->db, part);
        if (!st)
            return -1;
        sqlite3_bind_text(st, 1, case_id, -1, SQLITE_TRANSIENT);
        int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
        store_release(st);
        if (rc < 0)
            return -1;
    }
    return 0;
}

static int sweep_kind(struct node *n, const struct kind *k, int64_t now)
{
    int64_t period = period_of(n, k);
    char rule[96];
    snprintf(rule, sizeof rule, "[retention] %s = %lld days after the case ended", k->config,
             (long long)(period / 86400000));
    sqlite3_stmt *st = store_prepare(n->db, k->due);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, now - period);
    struct id_list due;
    int rc = store_collect_ids(st, &due);
    store_release(st);
    for (size_t i = 0; rc == 0 && i < due.count; i++)
        rc = destroyed_add(n->db, k->name, due.ids[i], rule) < 0 ||
                     destroy_one(n, k->destroy, due.ids[i]) < 0
                 ? -1
                 : 0;
    size_t count = due.count;
    id_list_free(&due);
    return rc < 0 ? -1 : (int)count;
}

int member_sweep(struct node *n, int64_t now)
{
    if (store_begin(n->db) < 0)
        return -1;
    int total = 0;
    for (size_t i = 0; total >= 0 && i < sizeof kinds / sizeof *kinds; i++) {
        int done = sweep_kind(n, &kinds[i], now);
        total = done < 0 ? -1 : total + done;
    }
    if (total < 0 || store_commit(n->db) < 0) {
        store_rollback(n->db);
        log_error("retention: could not destroy what is due; will retry");
        return -1;
    }
    if (total > 0) {
        /* held up by a reader, it is logged and finished by the loop */
        (void)store_reclaim(n->db);
        log_info("retention: destroyed %d records; see mpool audit destroyed", total);
    }
    return total;
}
