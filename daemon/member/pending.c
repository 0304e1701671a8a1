/* pending: queued steps, kept until the coordinator answers them. */
#include "member/pending.h"

#include <string.h>

#include "base/ids.h"
#include "base/log.h"
#include "journey/journey.h"
#include "member/outbox.h"
#include "store/store.h"

int pending_enqueue(struct node *n, Mpool__V1__CaseAction *a, const char *user)
{
    const struct journey_step *s = journey_step_of_wire(a->action);
    int64_t seq;
    if (!s)
        fatal("pending: action %d has no journey step", (int)a->action);
    if (member_enqueue(n, MPOOL__V1__MSG_TYPE__MSG_TYPE_CASE_ACTION, &a->base) < 0 ||
        store_meta_get(n->db, "out_seq", &seq) < 0)
        return -1;
    sqlite3_stmt *st = store_prepare(n->db, "INSERT INTO m_pending(epoch, seq, case_id, step,"
                                            " mediator_id, user_id, at_ms)"
                                            " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, (int64_t)n->epoch);
    sqlite3_bind_int64(st, 2, seq);
    sqlite3_bind_text(st, 3, a->case_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, s->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, a->mediator_id ? a->mediator_id : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, user, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 7, now_ms());
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    store_release(st);
    return rc;
}

/* Who took the step the event answers with its refusal. */
static int refused_step(struct node *n, const Mpool__V1__CaseEvent *ev, struct pending_answer *out)
{
    sqlite3_stmt *st = store_prepare(n->db, "SELECT user_id, step FROM m_pending WHERE"
                                            " epoch = ?1 AND seq = ?2 AND case_id = ?3");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, (int64_t)ev->answers_epoch);
    sqlite3_bind_int64(st, 2, (int64_t)ev->answers_seq);
    sqlite3_bind_text(st, 3, ev->case_id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        snprintf(out->refused_by, sizeof out->refused_by, "%s", sqlite3_column_text(st, 0));
        snprintf(out->refused_step, sizeof out->refused_step, "%s", sqlite3_column_text(st, 1));
    }
    store_release(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

int pending_settle(struct node *n, const Mpool__V1__CaseEvent *ev, struct pending_answer *out)
{
    memset(out, 0, sizeof *out);
    if (*ev->refusal && refused_step(n, ev, out) < 0)
        return -1;
    /* The journal runs in the order the coordinator wrote it, and what it
     * had applied only grows: once an event of any case says a step was
     * applied, whatever that step wrote came before it. An outbox epoch
     * before the event's is one the coordinator moved past: whatever it
     * held was applied or is gone. */
    sqlite3_stmt *del = store_prepare(n->db, "DELETE FROM m_pending WHERE"
                                             " epoch < ?1 OR (epoch = ?1 AND seq <= ?2)");
    sqlite3_stmt *left = store_prepare(n->db, "SELECT 1 FROM m_pending WHERE case_id = ?1");
    int rc = del && left ? 0 : -1;
    if (rc == 0) {
        sqlite3_bind_int64(del, 1, (int64_t)ev->answers_epoch);
        sqlite3_bind_int64(del, 2, (int64_t)ev->answers_seq);
        rc = sqlite3_step(del) == SQLITE_DONE ? 0 : -1;
    }
    if (rc == 0) {
        sqlite3_bind_text(left, 1, ev->case_id, -1, SQLITE_STATIC);
        int step = sqlite3_step(left);
        out->stale = step == SQLITE_ROW;
        rc = step == SQLITE_ROW || step == SQLITE_DONE ? 0 : -1;
    }
    store_release(del);
    store_release(left);
    return rc;
}

json_t *pending_json(sqlite3 *db, const char *case_id)
{
    json_t *list = json_array();
    sqlite3_stmt *st = store_prepare(db, "SELECT step, mediator_id, at_ms FROM m_pending"
                                         " WHERE case_id = ?1 ORDER BY epoch, seq");
    if (!st)
        return list;
    sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *med = (const char *)sqlite3_column_text(st, 1);
        json_array_append_new(list, json_pack("{sssosI}", "step", sqlite3_column_text(st, 0),
                                              "mediator_id", *med ? json_string(med) : json_null(),
                                              "at_ms", (json_int_t)sqlite3_column_int64(st, 2)));
    }
    store_release(st);
    return list;
}
