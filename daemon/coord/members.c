/* members: retire the mediators of municipalities that left the roster. */
#include "coord/members.h"

#include <string.h>

#include "base/ids.h"
#include "base/log.h"
#include "coord/cases.h"
#include "coord/journal.h"
#include "store/store.h"

/* The active mediators whose node the roster no longer lists; the ids
 * are read first, since the update writes the same table. */
static int departed(struct node *n, char (**ids)[2 * ID_MAX], size_t *count)
{
    sqlite3_stmt *st = store_prepare(n->db, "SELECT mediator_id, node FROM c_mediators"
                                            " WHERE active = 1 ORDER BY mediator_id");
    if (!st)
        return -1;
    size_t cap = 0;
    int rc = 0, step;
    while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
        if (roster_find(&n->roster, (const char *)sqlite3_column_text(st, 1)))
            continue;
        if (*count == cap) {
            cap = cap ? cap * 2 : 8;
            char(*grown)[2 * ID_MAX] = realloc(*ids, cap * sizeof *grown);
            if (!grown) {
                rc = -1;
                break;
            }
            *ids = grown;
        }
        snprintf((*ids)[(*count)++], sizeof **ids, "%s", sqlite3_column_text(st, 0));
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = -1;
    store_release(st);
    return rc;
}

/* An offer to a mediator whose node is gone can never be answered, nor a
 * consent to their disclosure lead anywhere: the case goes back to a new
 * shortlist without them. What they already accepted runs its course. */
static int end_open_offers(struct node *n, const char *mediator_id)
{
    char states[64], sql[160];
    snprintf(states, sizeof states, "%d, %d", S(OFFERED), S(AWAITING_CONSENT));
    snprintf(sql, sizeof sql,
             "SELECT case_id FROM c_seats WHERE mediator_id = ?1 AND state IN (%s)"
             " ORDER BY case_id",
             states);
    sqlite3_stmt *st = store_prepare(n->db, sql);
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, mediator_id, -1, SQLITE_STATIC);
    struct id_list offers;
    int rc = store_collect_ids(st, &offers);
    store_release(st);
    for (size_t i = 0; rc == 0 && i < offers.count; i++) {
        struct ccase c;
        char reason[200];
        reasonf(reason, sizeof reason, "%s's municipality left the pool", mediator_id);
        if (case_load(n, offers.ids[i], &c) != 1 || mark(n, c.id, mediator_id, "declined") < 0) {
            rc = -1;
            break;
        }
        seat_drop(&c, mediator_id);
        rc = reshortlist(n, &c, "coordinator", reason);
    }
    id_list_free(&offers);
    return rc;
}

/* Mediators retired with their municipality (active = 2, where their own
 * node retires them with 0) come back when it is in the roster again. */
static int back_again(struct node *n)
{
    sqlite3_stmt *st = store_prepare(n->db, "SELECT mediator_id, node FROM c_mediators"
                                            " WHERE active = 2 ORDER BY mediator_id");
    sqlite3_stmt *up = store_prepare(n->db, "UPDATE c_mediators SET active = 1, updated_ms = ?2"
                                            " WHERE mediator_id = ?1");
    int rc = st && up ? 0 : -1, step = SQLITE_DONE;
    while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
        if (!roster_find(&n->roster, (const char *)sqlite3_column_text(st, 1)))
            continue;
        sqlite3_reset(up);
        sqlite3_bind_text(up, 1, (const char *)sqlite3_column_text(st, 0), -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(up, 2, now_ms());
        rc = sqlite3_step(up) == SQLITE_DONE ? 0 : -1;
        if (rc == 0)
            log_info("mediator %s is back: their municipality is in the roster again",
                     sqlite3_column_text(st, 0));
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = -1;
    store_release(st);
    store_release(up);
    return rc;
}

int coord_retire_departed(struct node *n)
{
    char(*ids)[2 * ID_MAX] = NULL;
    size_t count = 0;
    if (store_begin(n->db) < 0)
        return -1;
    int rc = departed(n, &ids, &count);
    sqlite3_stmt *st = rc == 0 && count ? store_prepare(n->db, "UPDATE c_mediators SET"
                                                               " active = 2, updated_ms = ?2"
                                                               " WHERE mediator_id = ?1")
                                        : NULL;
    if (count && !st)
        rc = -1;
    for (size_t i = 0; rc == 0 && i < count; i++) {
        sqlite3_reset(st);
        sqlite3_bind_text(st, 1, ids[i], -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, now_ms());
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
        if (rc == 0)
            rc = end_open_offers(n, ids[i]);
    }
    store_release(st);
    if (rc == 0 && back_again(n) < 0)
        rc = -1;
    if (rc < 0 || store_commit(n->db) < 0) {
        store_rollback(n->db);
        journal_forget(n);
        log_error("could not retire the mediators of municipalities that left the roster; "
                  "reload again");
        free(ids);
        return -1;
    }
    journal_ring(n);
    for (size_t i = 0; i < count; i++)
        log_info("mediator %s retired: their municipality is no longer in the roster", ids[i]);
    free(ids);
    return (int)count;
}
