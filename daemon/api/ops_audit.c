/* ops_audit: the audit trail for the node's auditor (and admin). */
#include <string.h>

#include "api/clientapi.h"
#include "base/ids.h"
#include "store/store.h"

#define ST(x) MPOOL__V1__REPLY_STATUS__REPLY_STATUS_##x

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

#define TRAIL                                                                                      \
    "FROM audit WHERE at_ms >= ?1 AND (?2 IS NULL OR case_id = ?2) AND (?3 IS NULL OR"             \
    " user_id = ?3)"

/* Binds since, case and person (NULL: any) to the first three parameters. */
static void bind_filter(sqlite3_stmt *st, int64_t since_ms, const char *case_id, const char *user)
{
    sqlite3_bind_int64(st, 1, since_ms);
    if (case_id)
        sqlite3_bind_text(st, 2, case_id, -1, SQLITE_STATIC);
    if (user)
        sqlite3_bind_text(st, 3, user, -1, SQLITE_STATIC);
}

static int64_t count_rows(sqlite3_stmt *st)
{
    int64_t n = st && sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    store_release(st);
    return n;
}

/* Oldest first, one page at a time; "more" says whether a page follows. */
static void finish(struct reply *rp, const char *key, json_t *entries, const struct page *pg,
                   int64_t total)
{
    rp->result = json_pack("{so}", key, entries);
    page_finish(rp->result, pg, json_array_size(entries), total);
    json_object_set_new(rp->result, "more",
                        json_boolean(json_is_integer(json_object_get(rp->result, "next"))));
}

void op_audit_list(struct request *rq, struct reply *rp)
{
    int64_t since_ms = read_since(rq, rp);
    const char *case_id = arg_str(rq, rp, "case_id", ID_MAX + 12, false);
    const char *user = arg_str(rq, rp, "user", ID_MAX - 1, false);
    if (since_ms < 0 || rp->status != ST(OK))
        return;
    struct page pg;
    page_read(rq, &pg);
    sqlite3_stmt *count = store_prepare(rq->n->db, "SELECT COUNT(*) " TRAIL);
    if (count)
        bind_filter(count, since_ms, case_id, user);
    int64_t total = count_rows(count);
    sqlite3_stmt *st = store_prepare(rq->n->db, "SELECT at_ms, user_id, op, case_id, result " TRAIL
                                                " ORDER BY id LIMIT ?4 OFFSET ?5");
    if (!st || total < 0) {
        store_release(st);
        fail(rp, ST(INTERNAL), "database error");
        return;
    }
    bind_filter(st, since_ms, case_id, user);
    sqlite3_bind_int64(st, 4, pg.limit);
    sqlite3_bind_int64(st, 5, pg.after);
    json_t *entries = json_array();
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(
            entries,
            json_pack("{sIssssssss}", "at_ms", (json_int_t)sqlite3_column_int64(st, 0), "user",
                      sqlite3_column_text(st, 1), "op", sqlite3_column_text(st, 2), "case_id",
                      sqlite3_column_text(st, 3), "result", sqlite3_column_text(st, 4)));
    store_release(st);
    finish(rp, "entries", entries, &pg, total);
}

void op_audit_destroyed(struct request *rq, struct reply *rp)
{
    int64_t since_ms = read_since(rq, rp);
    if (since_ms < 0)
        return;
    struct page pg;
    page_read(rq, &pg);
    sqlite3_stmt *count =
        store_prepare(rq->n->db, "SELECT COUNT(*) FROM destroyed WHERE at_ms >= ?1");
    if (count)
        sqlite3_bind_int64(count, 1, since_ms);
    int64_t total = count_rows(count);
    sqlite3_stmt *st =
        store_prepare(rq->n->db, "SELECT at_ms, kind, case_id, rule FROM destroyed"
                                 " WHERE at_ms >= ?1 ORDER BY id LIMIT ?2 OFFSET ?3");
    if (!st || total < 0) {
        store_release(st);
        fail(rp, ST(INTERNAL), "database error");
        return;
    }
    sqlite3_bind_int64(st, 1, since_ms);
    sqlite3_bind_int64(st, 2, pg.limit);
    sqlite3_bind_int64(st, 3, pg.after);
    json_t *entries = json_array();
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(
            entries, json_pack("{sIssssss}", "at_ms", (json_int_t)sqlite3_column_int64(st, 0),
                               "kind", sqlite3_column_text(st, 1), "case_id",
                               sqlite3_column_text(st, 2), "rule", sqlite3_column_text(st, 3)));
    store_release(st);
    finish(rp, "destroyed", entries, &pg, total);
}
