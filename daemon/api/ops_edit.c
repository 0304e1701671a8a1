/* ops_edit: HR change a case before any offer (journey step EDIT): its
 * language, urgency, seats, certification or parties. The node keeps the
 * new labels, and sends the coordinator the case as it now reads; the
 * history records what changed. */
#include <string.h>

#include "member/seat_list.h"
#include "api/clientapi.h"
#include "api/ops_deadline.h"
#include "api/parties.h"
#include "base/deadline.h"
#include "member/outbox.h"
#include "member/words.h"
#include "store/store.h"
#include "wire/names.h"

#define ST(x) MPOOL__V1__REPLY_STATUS__REPLY_STATUS_##x

struct edit {
    char state[24], domain[DOMAIN_MAX + 1], language[LANGUAGE_MAX + 1], urgency[8];
    char deadline_kind[16], decide_by[11];
    int requires_certified, seats;
    double lat, lon;
    struct party parties[MAX_PARTIES];
    char *refs[MAX_PARTIES]; /* the parties' references, for the CasePost */
    size_t nparties;
    char changed[96];              /* "urgency, parties": for the history */
    struct case_deadline deadline; /* decide_by -1: the period stays as it was */
};

static int load_case(struct request *rq, struct reply *rp, const char *id, struct edit *e)
{
    sqlite3_stmt *st = store_prepare(
        rq->n->db, "SELECT state, domain, language, urgency, requires_certified, seats, lat, lon,"
                   " COALESCE(deadline_kind, ''), COALESCE(decide_by, -1) FROM m_cases"
                   " WHERE case_id = ?1");
    if (!st)
        return fail(rp, ST(INTERNAL), "database error");
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        snprintf(e->state, sizeof e->state, "%s", sqlite3_column_text(st, 0));
        snprintf(e->domain, sizeof e->domain, "%s", sqlite3_column_text(st, 1));
        snprintf(e->language, sizeof e->language, "%s", sqlite3_column_text(st, 2));
        snprintf(e->urgency, sizeof e->urgency, "%s", sqlite3_column_text(st, 3));
        e->requires_certified = sqlite3_column_int(st, 4);
        e->seats = sqlite3_column_int(st, 5);
        e->lat = sqlite3_column_double(st, 6);
        e->lon = sqlite3_column_double(st, 7);
        snprintf(e->deadline_kind, sizeof e->deadline_kind, "%s", sqlite3_column_text(st, 8));
        if (sqlite3_column_int(st, 9) >= 0)
            deadline_format(sqlite3_column_int(st, 9), e->decide_by);
    }
    store_release(st);
    return rc == SQLITE_ROW ? 0 : fail(rp, ST(NOT_FOUND), "no case %s at this node", id);
}

static void changed(struct edit *e, const char *what)
{
    size_t used = strlen(e->changed);
    snprintf(e->changed + used, sizeof e->changed - used, "%s%s", used ? ", " : "", what);
}

/* The parties as they stand, or as the request gives them anew. */
static int read_parties(struct request *rq, struct reply *rp, const char *id, struct edit *e)
{
    if (json_object_get(rq->args, "parties")) {
        if (parties_read(rq, rp, e->parties, &e->nparties) < 0)
            return -1;
        for (size_t i = 0; i < e->nparties; i++)
            e->refs[i] = e->parties[i].ref;
        changed(e, "parties");
        return 0;
    }
    sqlite3_stmt *st =
        store_prepare(rq->n->db, "SELECT ref, COALESCE(legacy_ref, '') FROM"
                                 " m_case_parties WHERE case_id = ?1 ORDER BY rowid");
    if (!st)
        return fail(rp, ST(INTERNAL), "database error");
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    while (e->nparties < MAX_PARTIES && sqlite3_step(st) == SQLITE_ROW) {
        snprintf(e->parties[e->nparties].ref, sizeof e->parties[0].ref, "%s",
                 sqlite3_column_text(st, 0));
        snprintf(e->parties[e->nparties].legacy, sizeof e->parties[0].legacy, "%s",
                 sqlite3_column_text(st, 1));
        e->refs[e->nparties] = e->parties[e->nparties].ref;
        e->nparties++;
    }
    store_release(st);
    return 0;
}

/* The request's changes over the stored case; at least one. */
static int read_changes(struct request *rq, struct reply *rp, const char *id, struct edit *e)
{
    const char *urgency = json_string_value(json_object_get(rq->args, "urgency"));
    const char *language = json_string_value(json_object_get(rq->args, "language"));
    json_t *seats = json_object_get(rq->args, "seats");
    json_t *certified = json_object_get(rq->args, "requires_certified");
    if (urgency) {
        snprintf(e->urgency, sizeof e->urgency, "%s", urgency);
        changed(e, "urgency");
    }
    if (language) {
        struct vocabulary words;
        char why[512];
        if (!vocabulary_word_ok(language, LANGUAGE_MAX))
            return fail(rp, ST(BAD_REQUEST), "language is a lower-case word, such as 'nl'");
        if (words_load(rq->n, &words) < 0 ||
            !vocabulary_check(&words, 'l', language, why, sizeof why))
            return fail(rp, ST(BAD_REQUEST), "%s", why);
        snprintf(e->language, sizeof e->language, "%s", language);
        changed(e, "language");
    }
    if (seats) {
        e->seats = (int)json_integer_value(seats);
        changed(e, "seats");
    }
    if (certified) {
        e->requires_certified = json_is_true(certified);
        changed(e, "certification");
    }
    e->deadline.decide_by = -1;
    if (json_object_get(rq->args, "period_start") || json_object_get(rq->args, "committee")) {
        /* The period afresh from its start: a move made before is undone. */
        if (case_deadline_read(rq, rp, e->domain, &e->deadline) < 0)
            return -1;
        if (e->deadline.decide_by >= 0) {
            snprintf(e->deadline_kind, sizeof e->deadline_kind, "%s",
                     deadline_kind_name(e->deadline.in.kind));
            deadline_format(e->deadline.decide_by, e->decide_by);
        }
        changed(e, "decision period");
    }
    if (read_parties(rq, rp, id, e) < 0)
        return -1;
    return e->changed[0] ? 0
                         : fail(rp, ST(BAD_REQUEST),
                                "nothing to change: give the urgency, language, seats, "
                                "certification, parties, or the period's start or committee");
}

static int store_edit(struct request *rq, const char *id, const struct edit *e)
{
    sqlite3_stmt *st = store_prepare(rq->n->db, "UPDATE m_cases SET language = ?2, urgency = ?3,"
                                                " requires_certified = ?4, seats = ?5,"
                                                " updated_ms = ?6 WHERE case_id = ?1");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, e->language, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, e->urgency, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 4, e->requires_certified);
    sqlite3_bind_int(st, 5, e->seats);
    sqlite3_bind_int64(st, 6, now_ms());
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    store_release(st);
    if (rc == 0 && json_object_get(rq->args, "parties")) {
        sqlite3_stmt *del = store_prepare(rq->n->db, "DELETE FROM m_case_parties WHERE"
                                                     " case_id = ?1");
        rc = -1;
        if (del) {
            sqlite3_bind_text(del, 1, id, -1, SQLITE_STATIC);
            rc = sqlite3_step(del) == SQLITE_DONE ? 0 : -1;
        }
        store_release(del);
        if (rc == 0)
            rc = parties_store(rq->n->db, id, e->parties, e->nparties);
    }
    sqlite3_stmt *h = rc == 0 ? store_prepare(rq->n->db, "INSERT INTO m_history(case_id, state,"
                                                         " actor, reason, at_ms)"
                                                         " VALUES(?1, ?2, ?3, ?4, ?5)")
                              : NULL;
    if (!h)
        return -1;
    char reason[128];
    snprintf(reason, sizeof reason, "edited: %s", e->changed);
    sqlite3_bind_text(h, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(h, 2, e->state, -1, SQLITE_STATIC);
    sqlite3_bind_text(h, 3, rq->user->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(h, 4, reason, -1, SQLITE_STATIC);
    sqlite3_bind_int64(h, 5, now_ms());
    rc = sqlite3_step(h) == SQLITE_DONE ? 0 : -1;
    store_release(h);
    return rc;
}

void op_case_edit(struct request *rq, struct reply *rp)
{
    const char *id = arg_str(rq, rp, "case_id", ID_MAX + 12, true);
    struct edit e;
    memset(&e, 0, sizeof e);
    if (!id || load_case(rq, rp, id, &e) < 0 || read_changes(rq, rp, id, &e) < 0)
        return;
    Mpool__V1__CasePost p = MPOOL__V1__CASE_POST__INIT;
    p.case_id = (char *)id;
    p.requester = rq->n->cfg.node_id;
    p.domain = e.domain;
    p.language = e.language;
    p.urgency = (Mpool__V1__Urgency)urgency_parse(e.urgency);
    p.requires_certified = e.requires_certified;
    p.seats = (uint32_t)e.seats;
    p.lat = e.lat;
    p.lon = e.lon;
    p.parties = e.refs;
    p.n_parties = e.nparties;
    char *legacy[MAX_PARTIES];
    p.legacy_parties = legacy;
    p.n_legacy_parties = parties_legacy(e.parties, e.nparties, legacy);
    p.posted_ms = now_ms();
    if (e.decide_by[0]) {
        p.deadline_kind = e.deadline_kind;
        p.decide_by = e.decide_by;
    }
    Mpool__V1__CaseAction a = MPOOL__V1__CASE_ACTION__INIT;
    a.case_id = (char *)id;
    a.action = MPOOL__V1__ACTION__ACTION_EDIT;
    a.actor = (char *)rq->user->id;
    a.edit = &p;
    struct case_seats seats;
    if (case_seats_load(rq->n->db, id, &seats) < 0) {
        fail(rp, ST(INTERNAL), "database error");
        return;
    }
    struct journey_view v = {case_state_parse(e.state), seats.held, seats.n, false};
    char subject[ID_MAX + 20];
    snprintf(subject, sizeof subject, "case %s", id);
    if (check_step(rp, &a, &v, subject, case_state_words(e.state)) < 0)
        return;
    if (store_begin(rq->n->db) < 0 || store_edit(rq, id, &e) < 0 ||
        case_deadline_store(rq->n, id, &e.deadline) < 0 ||
        member_enqueue(rq->n, MPOOL__V1__MSG_TYPE__MSG_TYPE_CASE_ACTION, &a.base) < 0) {
        fail_store(rq->n, rp);
        return;
    }
    rp->result = json_pack("{ssss}", "case_id", id, "state", e.state);
    commit_or_fail(rq->n, rp);
}
