/* ops_deadline: reading, storing and moving a case's decision date. */
#include "api/ops_deadline.h"

#include <string.h>

#include "api/clientapi.h"
#include "base/ids.h"
#include "journey/journey.h"
#include "member/outbox.h"
#include "wire/names.h"
#include "store/store.h"

#define ST(x) MPOOL__V1__REPLY_STATUS__REPLY_STATUS_##x

int32_t days_left(int32_t day)
{
    return day - deadline_today(now_ms());
}

int case_deadline_read(struct request *rq, struct reply *rp, const char *domain,
                       struct case_deadline *d)
{
    memset(d, 0, sizeof *d);
    d->decide_by = -1;
    const char *start = arg_str(rq, rp, "period_start", 10, false);
    if (rp->status != ST(OK))
        return -1;
    const struct period *p = periods_find(&rq->n->cfg.periods, domain);
    if (!p) {
        if (start)
            return fail(rp, ST(BAD_REQUEST),
                        "cases of domain '%s' run inside no legal period here ([deadlines] in "
                        "mpoold.conf); leave out the period's start",
                        domain);
        return 0;
    }
    d->in.kind = p->kind;
    d->in.committee = json_is_true(json_object_get(rq->args, "committee"));
    d->in.working_days = p->working_days;
    if (p->kind == DEADLINE_INTERNAL) {
        d->in.start = start ? deadline_parse(start) : deadline_today(now_ms());
    } else if (!start) {
        return fail(rp, ST(BAD_REQUEST),
                    "cases of domain '%s' run inside the %s period: give the period's start (%s)",
                    domain, deadline_kind_name(p->kind),
                    p->kind == DEADLINE_OBJECTION ? "the last day of the objection period"
                                                  : "the day the complaint was received");
    } else {
        d->in.start = deadline_parse(start);
    }
    if (d->in.start < 0)
        return fail(rp, ST(BAD_REQUEST), "the period's start '%s' is not a date YYYY-MM-DD", start);
    struct deadline_extra extra = periods_holidays(&rq->n->cfg.periods);
    const char *why;
    d->decide_by = deadline_compute(&d->in, &extra, &why);
    return d->decide_by < 0 ? fail(rp, ST(BAD_REQUEST), "%s", why) : 0;
}

int case_deadline_store(struct node *n, const char *case_id, const struct case_deadline *d)
{
    if (d->decide_by < 0)
        return 0;
    sqlite3_stmt *st = store_prepare(
        n->db, "UPDATE m_cases SET deadline_kind = ?2, period_start = ?3, committee = ?4,"
               " suspended_days = ?5, postponed_days = ?6, consented_days = ?7,"
               " working_days = ?8, decide_by = ?9 WHERE case_id = ?1");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, deadline_kind_name(d->in.kind), -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, d->in.start);
    sqlite3_bind_int(st, 4, d->in.committee);
    sqlite3_bind_int(st, 5, d->in.suspended_days);
    sqlite3_bind_int(st, 6, d->in.postponed_days);
    sqlite3_bind_int(st, 7, d->in.consented_days);
    sqlite3_bind_int(st, 8, d->in.working_days);
    sqlite3_bind_int(st, 9, d->decide_by);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    store_release(st);
    return rc;
}

/* 1 when the case has a period (d filled, and the case's state in words
 * in state when given), 0 when not, -1 on failure. */
static int case_deadline_load(struct node *n, const char *case_id, struct case_deadline *d,
                              char state[32])
{
    sqlite3_stmt *st = store_prepare(
        n->db, "SELECT deadline_kind, period_start, committee, suspended_days, postponed_days,"
               " consented_days, working_days, decide_by, state FROM m_cases WHERE case_id = ?1"
               " AND decide_by IS NOT NULL");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        memset(d, 0, sizeof *d);
        d->in.kind = deadline_kind_parse((const char *)sqlite3_column_text(st, 0));
        d->in.start = sqlite3_column_int(st, 1);
        d->in.committee = sqlite3_column_int(st, 2) != 0;
        d->in.suspended_days = sqlite3_column_int(st, 3);
        d->in.postponed_days = sqlite3_column_int(st, 4);
        d->in.consented_days = sqlite3_column_int(st, 5);
        d->in.working_days = sqlite3_column_int(st, 6);
        d->decide_by = sqlite3_column_int(st, 7);
        if (state)
            snprintf(state, 32, "%s", sqlite3_column_text(st, 8));
    }
    store_release(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

json_t *case_deadline_json(struct node *n, const char *case_id)
{
    struct case_deadline d;
    if (case_deadline_load(n, case_id, &d, NULL) != 1)
        return json_null();
    char start[11], by[11];
    deadline_format(d.in.start, start);
    deadline_format(d.decide_by, by);
    return json_pack("{sssssbsisisisssi}", "kind", deadline_kind_name(d.in.kind), "start", start,
                     "committee", d.in.committee, "postponed_days", d.in.postponed_days,
                     "suspended_days", d.in.suspended_days, "consented_days", d.in.consented_days,
                     "decide_by", by, "days_left", days_left(d.decide_by));
}

/* A history line at this node: the decision date moved, and why (a code). */
static int note_move(struct node *n, const char *case_id, const char *user, const char *what)
{
    sqlite3_stmt *st = store_prepare(n->db, "INSERT INTO m_history(case_id, state, actor, reason,"
                                            " at_ms) SELECT case_id, state, ?2, ?3, ?4 FROM"
                                            " m_cases WHERE case_id = ?1");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, user, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, what, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, now_ms());
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    store_release(st);
    return rc;
}

/* The coordinator is told the new date (a code and a date travel, as the
 * journey's MOVE_DEADLINE step): its matcher and offers count with it. */
static int send_move(struct request *rq, struct reply *rp, const char *id, const char *code,
                     const char *state, char by[11])
{
    Mpool__V1__CaseAction a = MPOOL__V1__CASE_ACTION__INIT;
    a.case_id = (char *)id;
    a.action = MPOOL__V1__ACTION__ACTION_MOVE_DEADLINE;
    a.actor = (char *)rq->user->id;
    a.reason_code = (char *)code;
    a.decide_by = by;
    struct journey_view v = {case_state_parse(state), NULL, 0, false};
    char subject[ID_MAX + 20];
    snprintf(subject, sizeof subject, "case %s", id);
    if (check_step(rp, &a, &v, subject, case_state_words(state)) < 0)
        return -1;
    return member_enqueue(rq->n, MPOOL__V1__MSG_TYPE__MSG_TYPE_CASE_ACTION, &a.base);
}

void op_case_deadline(struct request *rq, struct reply *rp)
{
    const char *id = arg_str(rq, rp, "case_id", ID_MAX + 12, true);
    const char *code = id ? arg_str(rq, rp, "reason_code", 40, true) : NULL;
    long postpone = 0, suspend = 0, consented = 0;
    if (!code ||
        (json_object_get(rq->args, "postpone_days") &&
         arg_int(rq, rp, "postpone_days", 1, 365, &postpone) < 0) ||
        (json_object_get(rq->args, "suspend_days") &&
         arg_int(rq, rp, "suspend_days", 1, 365, &suspend) < 0) ||
        (json_object_get(rq->args, "consented_days") &&
         arg_int(rq, rp, "consented_days", 1, 365, &consented) < 0))
        return;
    struct case_deadline d;
    char state[32];
    int found = case_deadline_load(rq->n, id, &d, state);
    if (found <= 0) {
        fail(rp, found < 0 ? ST(INTERNAL) : ST(NOT_FOUND),
             found < 0 ? "database error" : "case %s at this node runs inside no legal period", id);
        return;
    }
    if (postpone && d.in.postponed_days) {
        fail(rp, ST(REFUSED),
             "case %s was postponed once already; the law allows one postponement, further only "
             "with the objector's consent",
             id);
        return;
    }
    d.in.postponed_days += (int32_t)postpone;
    d.in.suspended_days += (int32_t)suspend;
    d.in.consented_days += (int32_t)consented;
    struct deadline_extra extra = periods_holidays(&rq->n->cfg.periods);
    const char *why;
    int32_t before = d.decide_by;
    d.decide_by = deadline_compute(&d.in, &extra, &why);
    if (d.decide_by < 0) {
        fail(rp, ST(REFUSED), "%s", why);
        return;
    }
    char by[11], was[11], what[160];
    deadline_format(d.decide_by, by);
    deadline_format(before, was);
    snprintf(what, sizeof what, "decision date moved from %s to %s (%s)", was, by, code);
    if (store_begin(rq->n->db) < 0)
        return (void)fail_store(rq->n, rp);
    if (send_move(rq, rp, id, code, state, by) < 0) {
        if (rp->status == ST(OK))
            fail_store(rq->n, rp);
        else
            store_rollback(rq->n->db);
        return;
    }
    if (case_deadline_store(rq->n, id, &d) < 0 || note_move(rq->n, id, rq->user->id, what) < 0) {
        fail_store(rq->n, rp);
        return;
    }
    rp->result =
        json_pack("{sssssi}", "case_id", id, "decide_by", by, "days_left", days_left(d.decide_by));
    commit_or_fail(rq->n, rp);
}

static json_t *due_row(sqlite3_stmt *st)
{
    char by[11];
    deadline_format(sqlite3_column_int(st, 4), by);
    return json_pack("{sssssssssssi}", "case_id", sqlite3_column_text(st, 0), "state",
                     sqlite3_column_text(st, 1), "domain", sqlite3_column_text(st, 2), "kind",
                     sqlite3_column_text(st, 3), "decide_by", by, "days_left",
                     days_left(sqlite3_column_int(st, 4)));
}

void op_case_due(struct request *rq, struct reply *rp)
{
    long within = AT_RISK_DAYS;
    struct page pg;
    page_read(rq, &pg);
    if (json_object_get(rq->args, "within") && arg_int(rq, rp, "within", 0, 3650, &within) < 0)
        return;
    sqlite3_stmt *st = store_prepare(
        rq->n->db,
        "SELECT case_id, state, domain, deadline_kind, decide_by FROM m_cases"
        " WHERE decide_by IS NOT NULL AND decide_by <= ?1 AND state NOT IN " CASE_ENDED_NAMES
        " ORDER BY decide_by, case_id");
    if (!st) {
        fail(rp, ST(INTERNAL), "database error");
        return;
    }
    sqlite3_bind_int(st, 1, deadline_today(now_ms()) + (int32_t)within);
    json_t *cases = json_array();
    rp->result = json_pack("{so}", "cases", cases);
    if (page_rows(st, &pg, rp->result, cases, due_row) < 0)
        fail(rp, ST(INTERNAL), "database error");
}
