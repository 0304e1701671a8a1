/* ops_audit: the audit trail for the node's auditor (and admin). */
#include <string.h>

#include "api/clientapi.h"
#include "base/ids.h"
#include "store/store.h"

#define ST(x)       MPOOL__V1__REPLY_STATUS__REPLY_STATUS_##x
#define AUDIT_LIMIT 10000

/* The optional "since" day as Unix ms (0 without one); -1 with a reply. */
static int64_t read_since(struct request *rq, struct reply *rp)
{
    const char *since = arg_str(rq, rp, "since", 10, false);
    if (rp->status != ST(OK))
        return -1;
    int64_t since_ms = since ? date_parse_ms(since) : 0;
    if (since_ms < 0)
        fail(rp, ST(BAD_REQUEST), "since '%s' is not a date YYYY-MM-DD", since);
    return since_ms;
}

void op_audit_list(struct request *rq, struct reply *rp)
{
    int64_t since_ms = read_since(rq, rp);
    const char *case_id = arg_str(rq, rp, "case_id", ID_MAX + 12, false);
    const char *user = arg_str(rq, rp, "user", ID_MAX - 1, false);
    if (since_ms < 0 || rp->status != ST(OK))
        return;
    sqlite3_stmt *st = store_prepare(
        rq->n->db, "SELECT at_ms, user_id, op, case_id, result FROM audit WHERE at_ms >= ?1"
                   " AND (?2 IS NULL OR case_id = ?2) AND (?3 IS NULL OR user_id = ?3)"
                   " ORDER BY id LIMIT ?4");
    if (!st) {
        fail(rp, ST(INTERNAL), "database error");
        return;
    }
    sqlite3_bind_int64(st, 1, since_ms);
    if (case_id)
        sqlite3_bind_text(st, 2, case_id, -1, SQLITE_STATIC);
    if (user)
        sqlite3_bind_text(st, 3, user, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 4, AUDIT_LIMIT + 1);
    json_t *entries = json_array();
    int count = 0;
    while (sqlite3_step(st) == SQLITE_ROW && count++ < AUDIT_LIMIT)
        json_array_append_new(
            entries,
            json_pack("{sIssssssss}", "at_ms", (json_int_t)sqlite3_column_int64(st, 0), "user",
                      sqlite3_column_text(st, 1), "op", sqlite3_column_text(st, 2), "case_id",
                      sqlite3_column_text(st, 3), "result", sqlite3_column_text(st, 4)));
    store_release(st);
    /* More than the limit: the oldest are shown; --since narrows. */
    rp->result = json_pack("{sosb}", "entries", entries, "more", count > AUDIT_LIMIT);
}

void op_audit_destroyed(struct request *rq, struct reply *rp)
{
    int64_t since_ms = read_since(rq, rp);
    if (since_ms < 0)
        return;
    sqlite3_stmt *st = store_prepare(rq->n->db, "SELECT at_ms, kind, case_id, rule FROM destroyed"
                                                " WHERE at_ms >= ?1 ORDER BY id LIMIT ?2");
    if (!st) {
        fail(rp, ST(INTERNAL), "database error");
        return;
    }
    sqlite3_bind_int64(st, 1, since_ms);
    sqlite3_bind_int(st, 2, AUDIT_LIMIT + 1);
    json_t *entries = json_array();
    int count = 0;
    while (sqlite3_step(st) == SQLITE_ROW && count++ < AUDIT_LIMIT)
        json_array_append_new(
            entries, json_pack("{sIssssss}", "at_ms", (json_int_t)sqlite3_column_int64(st, 0),
                               "kind", sqlite3_column_text(st, 1), "case_id",
                               sqlite3_column_text(st, 2), "rule", sqlite3_column_text(st, 3)));
    store_release(st);
    rp->result = json_pack("{sosb}", "destroyed", entries, "more", count > AUDIT_LIMIT);
}
