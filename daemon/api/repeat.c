/* repeat: the answers to changes, by person and request id. */
#include "api/repeat.h"

#include <stdlib.h>
#include <string.h>

#include "base/ids.h"
#include "base/log.h"
#include "store/store.h"

#define ST(x)   MPOOL__V1__REPLY_STATUS__REPLY_STATUS_##x
#define KEPT_MS (2 * 86400000LL)

int repeat_answer(struct request *rq, struct reply *rp, const char *op)
{
    if (rq->request_id == 0)
        return 0;
    sqlite3_stmt *st = store_prepare(rq->n->db, "SELECT op, result FROM answered"
                                                " WHERE user_id = ?1 AND request_id = ?2");
    if (!st)
        return 0;
    sqlite3_bind_text(st, 1, rq->user->id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, (int64_t)rq->request_id);
    int found = sqlite3_step(st) == SQLITE_ROW;
    if (found && strcmp((const char *)sqlite3_column_text(st, 0), op) != 0) {
        snprintf(rp->error, sizeof rp->error,
                 "this request id was already used for %.40s; send the request with a new one",
                 (const char *)sqlite3_column_text(st, 0));
        rp->status = ST(BAD_REQUEST);
    } else if (found) {
        rp->status = ST(OK);
        rp->result = json_loads((const char *)sqlite3_column_text(st, 1), 0, NULL);
        log_info("%s: %s repeated; answered as the first time", rq->user->id, op);
    }
    store_release(st);
    return found;
}

int repeat_record(struct node *n, const struct reply *rp)
{
    const struct audit_ctx *a = &n->audit;
    if (!a->pending || a->request_id == 0)
        return 0;
    char *text = rp->result ? json_dumps(rp->result, JSON_COMPACT) : NULL;
    sqlite3_stmt *st = store_prepare(n->db, "INSERT OR REPLACE INTO answered(user_id,"
                                            " request_id, op, at_ms, result)"
                                            " VALUES(?1, ?2, ?3, ?4, ?5)");
    int rc = st ? 0 : -1;
    if (st) {
        sqlite3_bind_text(st, 1, a->user, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, (int64_t)a->request_id);
        sqlite3_bind_text(st, 3, a->op, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 4, now_ms());
        sqlite3_bind_text(st, 5, text ? text : "{}", -1, SQLITE_STATIC);
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    }
    store_release(st);
    free(text);
    return rc;
}

void repeat_sweep(sqlite3 *db, int64_t now)
{
    sqlite3_stmt *st = store_prepare(db, "DELETE FROM answered WHERE at_ms < ?1");
    if (!st)
        return;
    sqlite3_bind_int64(st, 1, now - KEPT_MS);
    if (sqlite3_step(st) != SQLITE_DONE)
        log_warn("could not forget old answers: %s; will retry", sqlite3_errmsg(db));
    store_release(st);
}
