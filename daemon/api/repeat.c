/* repeat: the answers to changes, by person and request id. */
#include "api/repeat.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "base/ids.h"
#include "base/log.h"
#include "store/store.h"

#define ST(x)   MPOOL__V1__REPLY_STATUS__REPLY_STATUS_##x
#define KEPT_MS (2 * 86400000LL)

/* The hash of op and its arguments, in a form that does not depend on
 * the order of their keys. */
static void args_hash(const char *op, const json_t *args, uint8_t out[32])
{
    char *text = json_dumps(args, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
    crypto_generichash_state h;
    crypto_generichash_init(&h, NULL, 0, 32);
    crypto_generichash_update(&h, (const unsigned char *)op, strlen(op) + 1);
    if (text)
        crypto_generichash_update(&h, (const unsigned char *)text, strlen(text));
    crypto_generichash_final(&h, out, 32);
    free(text);
}

/* Whether a recorded answer's hash (none in rows kept from before hashes
 * were) differs from this request's. */
static bool other_args(sqlite3_stmt *st, int col, const uint8_t hash[32])
{
    return sqlite3_column_bytes(st, col) == 32 &&
           sodium_memcmp(sqlite3_column_blob(st, col), hash, 32) != 0;
}

int repeat_answer(struct request *rq, struct reply *rp, const char *op)
{
    struct audit_ctx *a = &rq->n->audit;
    a->repeat = false;
    args_hash(op, rq->args, a->args_hash);
    if (rq->request_id == 0)
        return 0;
    sqlite3_stmt *st = store_prepare(rq->n->db, "SELECT op, result, args_hash FROM answered"
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
    } else if (found && other_args(st, 2, a->args_hash)) {
        snprintf(rp->error, sizeof rp->error,
                 "this request id was already used for another request; send the request "
                 "with a new one");
        rp->status = ST(BAD_REQUEST);
    } else if (found) {
        a->repeat = true;
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
                                            " request_id, op, at_ms, result, args_hash)"
                                            " VALUES(?1, ?2, ?3, ?4, ?5, ?6)");
    int rc = st ? 0 : -1;
    if (st) {
        sqlite3_bind_text(st, 1, a->user, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, (int64_t)a->request_id);
        sqlite3_bind_text(st, 3, a->op, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 4, now_ms());
        sqlite3_bind_text(st, 5, text ? text : "{}", -1, SQLITE_STATIC);
        sqlite3_bind_blob(st, 6, a->args_hash, 32, SQLITE_STATIC);
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
