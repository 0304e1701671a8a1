/* ops_notice: a person's own notices, for `mpool watch` and `mpool offer
 * wait` without a case: the same rows the mailer sends (node/notices.h). */
#include "api/clientapi.h"
#include "node/audit.h"
#include "node/notices.h"
#include "store/store.h"

#define NOTICE_PAGE 100

static void add_command(const char *command, void *ctx)
{
    json_array_append_new(ctx, json_string(command));
}

static json_t *notice_row(sqlite3_stmt *st)
{
    const char *kind = (const char *)sqlite3_column_text(st, 1);
    const char *case_id = (const char *)sqlite3_column_text(st, 2);
    const char *detail = (const char *)sqlite3_column_text(st, 3);
    const struct notice_kind *k = notice_kind_named(kind);
    char what[512] = "";
    json_t *commands = json_array();
    if (k) {
        notice_text(k->what, case_id, detail, what, sizeof what);
        notice_commands(k, case_id, detail, add_command, commands);
    }
    return json_pack("{sIsssssssIsssoss}", "seq", (json_int_t)sqlite3_column_int64(st, 0), "kind",
                     kind, "case_id", case_id, "detail", detail, "at_ms",
                     (json_int_t)sqlite3_column_int64(st, 4), "what", what, "commands", commands,
                     "mail", sqlite3_column_text(st, 5));
}

/* The newest notice's number, for a watch that starts now. */
static int64_t notice_head(sqlite3 *db, const char *user)
{
    sqlite3_stmt *st =
        store_prepare(db, "SELECT COALESCE(MAX(seq), 0) FROM notices WHERE user_id = ?1");
    int64_t head = -1;
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, user, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW)
        head = sqlite3_column_int64(st, 0);
    store_release(st);
    return head;
}

void op_notice_list(struct request *rq, struct reply *rp)
{
    long after = -1;
    if (json_object_get(rq->args, "after") && arg_int(rq, rp, "after", 0, INT32_MAX, &after) < 0)
        return;
    json_t *list = json_array();
    int64_t next = after;
    if (after < 0) {
        next = notice_head(rq->n->db, rq->user->id);
    } else {
        sqlite3_stmt *st = store_prepare(rq->n->db, "SELECT seq, kind, case_id, detail, at_ms,"
                                                    " mail FROM notices WHERE user_id = ?1 AND"
                                                    " seq > ?2 ORDER BY seq LIMIT ?3");
        if (st) {
            sqlite3_bind_text(st, 1, rq->user->id, -1, SQLITE_STATIC);
            sqlite3_bind_int64(st, 2, after);
            sqlite3_bind_int(st, 3, NOTICE_PAGE);
            while (sqlite3_step(st) == SQLITE_ROW) {
                json_array_append_new(list, notice_row(st));
                next = sqlite3_column_int64(st, 0);
            }
        }
        store_release(st);
        if (!st)
            next = -1;
    }
    if (next < 0) {
        json_decref(list);
        fail_store(rq->n, rp);
        return;
    }
    /* A watch asks every second: what found nothing for the person about
     * themselves is not worth a row of the trail each time. */
    if (json_array_size(list) == 0)
        audit_request_skip(rq->n);
    rp->result = json_pack("{sosI}", "notices", list, "next", (json_int_t)next);
}
