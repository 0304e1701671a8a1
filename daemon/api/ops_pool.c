/* ops_pool: what a coordinator sees of the pool, answered from the
 * coordinator's own tables (references only, never a party's name; the
 * mediators' public display names, as their profiles give them). */
#include <sodium.h>
#include <string.h>

#include "api/clientapi.h"
#include "api/ops_deadline.h"
#include "api/repeat.h"
#include "base/deadline.h"
#include "base/ids.h"
#include "coord/batch.h"
#include "coord/dashlink.h"
#include "coord/hours.h"
#include "coord/candidates.h"
#include "coord/actions.h"
#include "node/audit.h"
#include "wire/names.h"
#include "store/store.h"
#include "base/text.h"

#define ST(x) MPOOL__V1__REPLY_STATUS__REPLY_STATUS_##x

static json_t *mediator_load_row(sqlite3_stmt *st)
{
    return json_pack("{sssssIsI}", "mediator_id", sqlite3_column_text(st, 0), "display_name",
                     sqlite3_column_text(st, 3), "open_cases",
                     (json_int_t)sqlite3_column_int(st, 2), "capacity",
                     (json_int_t)sqlite3_column_int(st, 1));
}

/* The cases per state, whole; the mediators, a page of them. */
void op_pool_status(struct request *rq, struct reply *rp)
{
    struct page pg;
    page_read(rq, &pg);
    json_t *cases = json_object();
    sqlite3_stmt *st = store_prepare(rq->n->db, "SELECT state, COUNT(*) FROM c_cases"
                                                " GROUP BY state ORDER BY state");
    while (st && sqlite3_step(st) == SQLITE_ROW)
        json_object_set_new(cases, case_state_name(sqlite3_column_int(st, 0)),
                            json_integer(sqlite3_column_int(st, 1)));
    store_release(st);
    json_t *mediators = json_array();
    st = store_prepare(
        rq->n->db, "SELECT m.mediator_id, m.capacity, (SELECT COUNT(*) FROM c_seats s"
                   " WHERE s.mediator_id = m.mediator_id AND s.state IN " CANDIDATE_LOAD_STATES "),"
                   " m.display_name FROM c_mediators m ORDER BY m.mediator_id");
    rp->result = json_pack("{soso}", "cases", cases, "mediators", mediators);
    if (!st || page_rows(st, &pg, rp->result, mediators, mediator_load_row) < 0)
        fail(rp, ST(INTERNAL), "database error");
}

/* Hours given by the mediators' municipality, received by the requester
 * (the view c_ledger, daemon/node/schema.c). */
static const char ledger_sql[] =
    "SELECT COALESCE(SUM(CASE WHEN giver = ?1 THEN minutes END), 0),"
    " COALESCE(SUM(CASE WHEN requester = ?1 THEN minutes END), 0) FROM c_ledger";

void op_pool_ledger(struct request *rq, struct reply *rp)
{
    json_t *rows = json_array();
    sqlite3_stmt *st = store_prepare(rq->n->db, ledger_sql);
    if (!st) {
        fail(rp, ST(INTERNAL), "database error");
        return;
    }
    for (size_t i = 0; i < rq->n->roster.count; i++) {
        const struct roster_node *m = &rq->n->roster.nodes[i];
        if (!hours_ledger_line(rq->n, m->id))
            continue;
        sqlite3_reset(st);
        sqlite3_bind_text(st, 1, m->id, -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_ROW)
            continue;
        json_int_t given = sqlite3_column_int64(st, 0), received = sqlite3_column_int64(st, 1);
        json_array_append_new(rows, json_pack("{sssssIsIsI}", "id", m->id, "name", m->name,
                                              "given_minutes", given, "received_minutes", received,
                                              "balance_minutes", given - received));
    }
    store_release(st);
    rp->result = json_pack("{so}", "municipalities", rows);
}

/* Escalated; without a transition for stuck_after; or at risk: its legal
 * decision date comes within `within` days (14 unless asked) and no
 * mediator has taken it on yet (accepted or in mediation). */
#define AT_RISK AT_RISK_SQL("c.state", "c.decide_by", "?2", CASE_ENDED_NUMBERS, CASE_TAKEN_NUMBERS)
static const char stuck_sql[] =
    "SELECT c.case_id, c.state, c.requester, c.updated_ms, COALESCE((SELECT t.reason FROM"
    " c_transitions t WHERE t.case_id = c.case_id ORDER BY t.id DESC LIMIT 1), ''),"
    " c.decide_by, " AT_RISK " FROM c_cases c WHERE c.state NOT IN " CASE_ENDED_NUMBERS
    " AND (c.state = 10 OR c.updated_ms < ?1 OR " AT_RISK ")"
    " ORDER BY c.decide_by IS NULL, c.decide_by, c.updated_ms, c.case_id";

static json_t *stuck_row(sqlite3_stmt *st)
{
    json_t *row =
        json_pack("{sssssssIsssb}", "case_id", sqlite3_column_text(st, 0), "state",
                  case_state_name(sqlite3_column_int(st, 1)), "requester",
                  sqlite3_column_text(st, 2), "since_ms", (json_int_t)sqlite3_column_int64(st, 3),
                  "reason", sqlite3_column_text(st, 4), "at_risk", sqlite3_column_int(st, 6) != 0);
    if (sqlite3_column_type(st, 5) == SQLITE_NULL) {
        json_object_set_new(row, "decide_by", json_null());
        json_object_set_new(row, "days_left", json_null());
        return row;
    }
    char by[11];
    int32_t day = sqlite3_column_int(st, 5);
    deadline_format(day, by);
    json_object_set_new(row, "decide_by", json_string(by));
    json_object_set_new(row, "days_left", json_integer(days_left(day)));
    return row;
}

void op_pool_stuck(struct request *rq, struct reply *rp)
{
    long within = AT_RISK_DAYS;
    struct page pg;
    page_read(rq, &pg);
    if (json_object_get(rq->args, "within") && arg_int(rq, rp, "within", 0, 3650, &within) < 0)
        return;
    sqlite3_stmt *st = store_prepare(rq->n->db, stuck_sql);
    if (!st) {
        fail(rp, ST(INTERNAL), "database error");
        return;
    }
    sqlite3_bind_int64(st, 1, now_ms() - rq->n->cfg.stuck_after_ms);
    sqlite3_bind_int(st, 2, deadline_today(now_ms()) + (int32_t)within);
    json_t *cases = json_array();
    rp->result = json_pack("{so}", "cases", cases);
    if (page_rows(st, &pg, rp->result, cases, stuck_row) < 0)
        fail(rp, ST(INTERNAL), "database error");
}

/* In the coordinator's transaction: the request's audit row, and its
 * answer for a repeat (api/repeat.h), as commit_or_fail writes them. */
struct answer_hook {
    struct node *n;
    json_t *result; /* the answer, when the coordinator does not make it */
};

static int keep_answer(void *ctx, json_t *result)
{
    struct answer_hook *h = ctx;
    struct reply answer = {.status = ST(OK), .result = result ? result : h->result};
    return repeat_record(h->n, &answer) < 0 || audit_request_commit(h->n) < 0 ? -1 : 0;
}

void op_pool_override(struct request *rq, struct reply *rp)
{
    const char *id = arg_str(rq, rp, "case_id", ID_MAX + 12, true);
    const char *med = id ? arg_str(rq, rp, "mediator_id", 2 * ID_MAX, true) : NULL;
    const char *reason = med ? arg_str(rq, rp, "reason", REASON_MAX, true) : NULL;
    const char *replace = reason ? arg_str(rq, rp, "replace", 2 * ID_MAX, false) : NULL;
    long minutes = 0;
    if (!reason || rp->status != ST(OK) ||
        (json_object_get(rq->args, "minutes") &&
         arg_int(rq, rp, "minutes", 0, 100000, &minutes) < 0))
        return;
    char actor[2 * ID_MAX + 16];
    snprintf(actor, sizeof actor, "coordinator/%s", rq->user->id);
    struct answer_hook answer = {rq->n, json_pack("{ssss}", "case_id", id, "state", "offered")};
    struct tx_hook hook = {keep_answer, &answer};
    int status = journey_override(rq->n, actor, id, med, replace, reason, (unsigned)minutes, &hook,
                                  rp->error, sizeof rp->error);
    rp->status = status;
    if (status == ST(OK))
        rp->result = answer.result;
    else
        json_decref(answer.result);
}

void op_pool_round(struct request *rq, struct reply *rp)
{
    char actor[2 * ID_MAX + 16];
    snprintf(actor, sizeof actor, "coordinator/%s", rq->user->id);
    json_t *result = NULL;
    struct answer_hook answer = {rq->n, NULL};
    struct tx_hook hook = {keep_answer, &answer};
    rp->status = batch_round(rq->n, actor, &hook, &result, rp->error, sizeof rp->error);
    rp->result = result;
}

/* A one-time link to the dashboard, over the person's CURVE link: the
 * browser trades it for a session. */
void op_pool_dashboard(struct request *rq, struct reply *rp)
{
    char url[256];
    int64_t expires;
    if (!rq->n->dashlinks) {
        fail(rp, ST(REFUSED),
             "this node serves no dashboard; its administrator turns it on with "
             "[dashboard] in mpoold.conf");
        return;
    }
    if (dashlink_link(rq->n->dashlinks, rq->user->id, now_ms(), url, sizeof url, &expires) < 0) {
        fail(rp, ST(INTERNAL), "could not make a link");
        return;
    }
    rp->result = json_pack("{sssI}", "url", url, "expires_ms", (json_int_t)expires);
    sodium_memzero(url, sizeof url);
}
