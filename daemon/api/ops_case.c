/* ops_case: what HR staff do with their municipality's cases. The node
 * keeps the names and the narrative; the coordinator gets references. */
#include <string.h>

#include "api/clientapi.h"
#include "member/faces.h"
#include "member/seat_list.h"
#include "api/parties.h"
#include "member/words.h"
#include "api/ops_deadline.h"
#include "base/ids.h"
#include "base/log.h"
#include "match/match.h"
#include "member/notes.h"
#include "member/outbox.h"
#include "member/pending.h"
#include "member/shown.h"
#include "wire/names.h"
#include "wire/pseudonym.h"
#include "wire/seal.h"
#include "store/store.h"
#include "base/text.h"
#include "journey/journey.h"

#define ST(x) MPOOL__V1__REPLY_STATUS__REPLY_STATUS_##x
static bool word_ok(const char *s)
{
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || *s == '-' || *s == '_'))
            return false;
    return true;
}

struct new_case {
    struct case_deadline deadline;
    const char *domain, *language, *urgency;
    int requires_certified;
    long seats;
    double lat, lon;
    struct party parties[MAX_PARTIES];
    size_t nparties;
};

static int read_new_case(struct request *rq, struct reply *rp, struct new_case *nc)
{
    const struct roster_node *self = node_self(rq->n);
    nc->lat = self->lat;
    nc->lon = self->lon;
    nc->seats = 1;
    if (!(nc->domain = arg_str(rq, rp, "domain", DOMAIN_MAX, true)) ||
        !(nc->language = arg_str(rq, rp, "language", LANGUAGE_MAX, true)))
        return -1;
    if (!word_ok(nc->domain) || !word_ok(nc->language))
        return fail(rp, ST(BAD_REQUEST),
                    "domain and language are lower-case words, such as "
                    "'labour' and 'nl'");
    struct vocabulary words;
    char why[512];
    if (words_load(rq->n, &words) < 0)
        return fail_store(rq->n, rp);
    if (!vocabulary_check(&words, 'd', nc->domain, why, sizeof why) ||
        !vocabulary_check(&words, 'l', nc->language, why, sizeof why))
        return fail(rp, ST(BAD_REQUEST), "%s", why);
    nc->urgency = arg_str(rq, rp, "urgency", 8, false);
    if (rp->status != ST(OK))
        return -1;
    if (!nc->urgency)
        nc->urgency = "normal";
    if (!urgency_parse(nc->urgency))
        return fail(rp, ST(BAD_REQUEST), "urgency must be low, normal or high");
    nc->requires_certified = json_is_true(json_object_get(rq->args, "requires_certified"));
    if ((json_object_get(rq->args, "seats") && arg_int(rq, rp, "seats", 1, 2, &nc->seats) < 0) ||
        (json_object_get(rq->args, "lat") && arg_double(rq, rp, "lat", -90, 90, &nc->lat) < 0) ||
        (json_object_get(rq->args, "lon") && arg_double(rq, rp, "lon", -180, 180, &nc->lon) < 0))
        return -1;
    if (case_deadline_read(rq, rp, nc->domain, &nc->deadline) < 0)
        return -1;
    if (!text_lines_ok(rq->blob, rq->blob_len, NARRATIVE_MAX))
        return fail(rp, ST(BAD_REQUEST),
                    "the narrative must be UTF-8 text of at most %d bytes, without control "
                    "characters other than tabs and line breaks",
                    NARRATIVE_MAX);
    return parties_read(rq, rp, nc->parties, &nc->nparties);
}

static int store_new_case(struct request *rq, const char *id, const struct new_case *nc)
{
    sqlite3 *db = rq->n->db;
    int64_t now = now_ms();
    sqlite3_stmt *st = store_prepare(
        db, "INSERT INTO m_cases(case_id, posted_by, domain, language, urgency,"
            " requires_certified, seats, lat, lon, state, narrative, created_ms, updated_ms)"
            " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'posted', ?10, ?11, ?11)");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, rq->user->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, nc->domain, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, nc->language, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, nc->urgency, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 6, nc->requires_certified);
    sqlite3_bind_int(st, 7, (int)nc->seats);
    sqlite3_bind_double(st, 8, nc->lat);
    sqlite3_bind_double(st, 9, nc->lon);
    sqlite3_bind_blob(st, 10, rq->blob ? (const void *)rq->blob : "", (int)rq->blob_len,
                      SQLITE_STATIC);
    sqlite3_bind_int64(st, 11, now);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    store_release(st);
    if (rc == 0)
        rc = parties_store(db, id, nc->parties, nc->nparties);
    sqlite3_stmt *h = store_prepare(db, "INSERT INTO m_history(case_id, state, actor, reason,"
                                        " at_ms) VALUES(?1, 'posted', ?2, '', ?3)");
    if (!h)
        return -1;
    sqlite3_bind_text(h, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(h, 2, rq->user->id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(h, 3, now);
    if (rc == 0)
        rc = sqlite3_step(h) == SQLITE_DONE ? 0 : -1;
    store_release(h);
    return rc;
}

/* Checked with the journey table before anything is stored: a post the
 * coordinator would refuse is refused here. */
static int send_post(struct request *rq, struct reply *rp, const char *id, struct new_case *nc)
{
    char *refs[MAX_PARTIES], *legacy[MAX_PARTIES];
    for (size_t i = 0; i < nc->nparties; i++)
        refs[i] = (char *)nc->parties[i].ref;
    Mpool__V1__CasePost p = MPOOL__V1__CASE_POST__INIT;
    p.case_id = (char *)id;
    p.requester = rq->n->cfg.node_id;
    p.parties = refs;
    p.n_parties = nc->nparties;
    p.legacy_parties = legacy;
    p.n_legacy_parties = parties_legacy(nc->parties, nc->nparties, legacy);
    p.domain = (char *)nc->domain;
    p.language = (char *)nc->language;
    p.lat = nc->lat;
    p.lon = nc->lon;
    p.urgency = (Mpool__V1__Urgency)urgency_parse(nc->urgency);
    p.requires_certified = nc->requires_certified;
    p.seats = (uint32_t)nc->seats;
    p.posted_ms = now_ms();
    char by[11] = "";
    if (nc->deadline.decide_by >= 0) {
        deadline_format(nc->deadline.decide_by, by);
        p.deadline_kind = (char *)deadline_kind_name(nc->deadline.in.kind);
        p.decide_by = by;
    }
    const char *problem = journey_post_problem(&p);
    if (problem)
        return fail(rp, ST(BAD_REQUEST), "%s", problem);
    if (store_begin(rq->n->db) < 0 || store_new_case(rq, id, nc) < 0 ||
        case_deadline_store(rq->n, id, &nc->deadline) < 0 ||
        member_enqueue(rq->n, MPOOL__V1__MSG_TYPE__MSG_TYPE_CASE_POST, &p.base) < 0)
        return fail_store(rq->n, rp);
    return 0;
}

void op_case_post(struct request *rq, struct reply *rp)
{
    struct new_case nc;
    memset(&nc, 0, sizeof nc);
    if (read_new_case(rq, rp, &nc) < 0)
        return;
    if (rq->blob_len == 0 && !json_is_true(json_object_get(rq->args, "no_narrative"))) {
        fail(rp, ST(BAD_REQUEST),
             "a case needs its narrative, the parties' account for the mediator; post without one "
             "only on purpose (mpool case post --no-narrative)");
        return;
    }
    char id[ID_MAX + 12];
    case_id_new(rq->n->cfg.node_id, id, sizeof id);
    snprintf(rq->n->audit.case_id, sizeof rq->n->audit.case_id, "%s", id);
    if (send_post(rq, rp, id, &nc) < 0)
        return;
    rp->result = json_pack("{ssss}", "case_id", id, "state", "posted");
    if (commit_or_fail(rq->n, rp) < 0)
        return;
    log_info("case %s posted by %s", id, rq->user->id);
}

/* ---- reading ---------------------------------------------------------- */

static json_t *json_column(sqlite3_stmt *st, int col)
{
    const char *text = (const char *)sqlite3_column_text(st, col);
    json_t *v = text ? json_loads(text, 0, NULL) : NULL;
    return v ? v : json_array();
}

static json_t *text_or_null(sqlite3_stmt *st, int col)
{
    const char *text = (const char *)sqlite3_column_text(st, col);
    return text ? json_string(text) : json_null();
}

#define LISTED                                                                                     \
    "FROM m_cases WHERE ?1 = 'all' OR (?1 = 'open' AND state NOT IN " CASE_ENDED_NAMES ")"         \
    " OR state = ?1"

static int64_t count_listed(sqlite3 *db, const char *filter)
{
    sqlite3_stmt *st = store_prepare(db, "SELECT COUNT(*) " LISTED);
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, filter, -1, SQLITE_STATIC);
    int64_t n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    store_release(st);
    return n;
}

static json_t *case_entry(sqlite3_stmt *st)
{
    json_t *c =
        json_pack("{sssssssssssosI}", "case_id", sqlite3_column_text(st, 0), "state",
                  sqlite3_column_text(st, 1), "domain", sqlite3_column_text(st, 2), "language",
                  sqlite3_column_text(st, 3), "urgency", sqlite3_column_text(st, 4), "mediator_id",
                  text_or_null(st, 5), "updated_ms", (json_int_t)sqlite3_column_int64(st, 6));
    bool timed = sqlite3_column_type(st, 7) != SQLITE_NULL;
    char by[11] = "";
    if (timed)
        deadline_format(sqlite3_column_int(st, 7), by);
    json_object_set_new(c, "decide_by", timed ? json_string(by) : json_null());
    json_object_set_new(c, "days_left",
                        timed ? json_integer(days_left(sqlite3_column_int(st, 7))) : json_null());
    return c;
}

void op_case_list(struct request *rq, struct reply *rp)
{
    const char *filter = arg_str(rq, rp, "state", 20, false);
    if (rp->status != ST(OK))
        return;
    if (!filter)
        filter = "open";
    bool all = strcmp(filter, "all") == 0, open = strcmp(filter, "open") == 0;
    if (!all && !open && !case_state_parse(filter)) {
        fail(rp, ST(BAD_REQUEST), "unknown state '%s'", filter);
        return;
    }
    struct page pg;
    page_read(rq, &pg);
    /* Cases inside a legal period first, the most urgent on top. */
    sqlite3_stmt *st = store_prepare(
        rq->n->db, "SELECT case_id, state, domain, language, urgency, mediator_id, updated_ms,"
                   " decide_by " LISTED " ORDER BY decide_by IS NULL, decide_by, created_ms,"
                   " case_id LIMIT ?2 OFFSET ?3");
    int64_t total = count_listed(rq->n->db, filter);
    if (!st || total < 0) {
        store_release(st);
        fail(rp, ST(INTERNAL), "database error");
        return;
    }
    sqlite3_bind_text(st, 1, filter, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, pg.limit);
    sqlite3_bind_int64(st, 3, pg.after);
    json_t *cases = json_array();
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(cases, case_entry(st));
    store_release(st);
    rp->result = json_pack("{so}", "cases", cases);
    page_finish(rp->result, &pg, json_array_size(cases), total);
}

static json_t *case_parties(sqlite3 *db, const char *id)
{
    json_t *arr = json_array();
    sqlite3_stmt *st = store_prepare(db, "SELECT kind, label, ref FROM m_case_parties WHERE"
                                         " case_id = ?1 ORDER BY rowid");
    if (!st)
        return arr;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(arr, json_pack("{ssssss}", "kind", sqlite3_column_text(st, 0),
                                             "label", sqlite3_column_text(st, 1), "ref",
                                             sqlite3_column_text(st, 2)));
    store_release(st);
    return arr;
}

static json_t *case_history(sqlite3 *db, const char *id)
{
    json_t *arr = json_array();
    sqlite3_stmt *st = store_prepare(db, "SELECT state, actor, reason, at_ms FROM m_history"
                                         " WHERE case_id = ?1 ORDER BY id");
    if (!st)
        return arr;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(arr, json_pack("{sssssssI}", "state", sqlite3_column_text(st, 0),
                                             "actor", sqlite3_column_text(st, 1), "reason",
                                             sqlite3_column_text(st, 2), "at_ms",
                                             (json_int_t)sqlite3_column_int64(st, 3)));
    store_release(st);
    return arr;
}

static void add_exclusion_texts(json_t *excluded)
{
    size_t i;
    json_t *e;
    json_array_foreach(excluded, i, e)
    {
        const char *code = json_string_value(json_object_get(e, "reason"));
        const char *text = code ? match_code_text(code) : NULL;
        if (text)
            json_object_set_new(e, "text", json_string(text));
    }
}

static const char show_sql[] =
    "SELECT case_id, state, domain, language, urgency, requires_certified, seats, shortlist,"
    " excluded, eligible, considered, mediator_id, offer_expires_ms, disclosure, outcome,"
    " minutes, posted_by, disclosure_note, seat_list FROM m_cases WHERE case_id = ?1";

void op_case_show(struct request *rq, struct reply *rp)
{
    const char *id = arg_str(rq, rp, "case_id", ID_MAX + 12, true);
    if (!id)
        return;
    sqlite3_stmt *st = store_prepare(rq->n->db, show_sql);
    if (!st) {
        fail(rp, ST(INTERNAL), "database error");
        return;
    }
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_ROW) {
        store_release(st);
        fail(rp, ST(NOT_FOUND), "no case %s at this node", id);
        return;
    }
    json_t *excluded = json_column(st, 8);
    add_exclusion_texts(excluded);
    rp->result = json_pack(
        "{sssssssssssbsIsososIsIsosIsososIsssoso}", "case_id", sqlite3_column_text(st, 0), "state",
        sqlite3_column_text(st, 1), "domain", sqlite3_column_text(st, 2), "language",
        sqlite3_column_text(st, 3), "urgency", sqlite3_column_text(st, 4), "requires_certified",
        sqlite3_column_int(st, 5), "seats", (json_int_t)sqlite3_column_int(st, 6), "shortlist",
        json_column(st, 7), "excluded", excluded, "eligible", (json_int_t)sqlite3_column_int(st, 9),
        "considered", (json_int_t)sqlite3_column_int(st, 10), "mediator_id", text_or_null(st, 11),
        "offer_expires_ms", (json_int_t)sqlite3_column_int64(st, 12), "disclosure",
        text_or_null(st, 13), "outcome", text_or_null(st, 14), "minutes",
        (json_int_t)sqlite3_column_int(st, 15), "posted_by", sqlite3_column_text(st, 16), "parties",
        case_parties(rq->n->db, id), "history", case_history(rq->n->db, id));
    if (rp->result) {
        json_object_set_new(rp->result, "notes", case_notes_json(rq->n, id));
        json_object_set_new(rp->result, "deadline", case_deadline_json(rq->n, id));
    }
    if (rp->result) {
        json_object_set_new(rp->result, "disclosure_note", text_or_null(st, 17));
        /* Who holds the case's seats, and where each stands. */
        json_object_set_new(rp->result, "mediators", json_column(st, 18));
        /* The people the parties choose from and were offered. */
        faces_add(rq->n, json_object_get(rp->result, "shortlist"));
        faces_add(rq->n, json_object_get(rp->result, "mediators"));
        /* The numbers the parties choose by, which stay with each mediator. */
        json_object_set_new(
            rp->result, "numbers",
            shown_numbers_json(rq->n->db, id, json_object_get(rp->result, "shortlist")));
        /* Steps answered OK here that the pool has yet to answer. */
        json_object_set_new(rp->result, "pending", pending_json(rq->n->db, id));
    }
    store_release(st);
    if (!rp->result)
        fail(rp, ST(INTERNAL), "could not build the answer");
}

/* ---- decisions -------------------------------------------------------- */

struct mirror {
    char state[24];
    int seats; /* the case's: 1 or 2 */
    struct case_seats held;
};

/* The node's last view of its case, as the coordinator reported it. */
static int load_mirror(struct request *rq, struct reply *rp, const char *id, struct mirror *m)
{
    sqlite3_stmt *st = store_prepare(rq->n->db, "SELECT state, seats, seat_list FROM m_cases"
                                                " WHERE case_id = ?1");
    if (!st)
        return fail(rp, ST(INTERNAL), "database error");
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        snprintf(m->state, sizeof m->state, "%s", sqlite3_column_text(st, 0));
        m->seats = sqlite3_column_int(st, 1);
        case_seats_parse((const char *)sqlite3_column_text(st, 2), &m->held);
    }
    store_release(st);
    if (rc != SQLITE_ROW)
        return fail(rp, ST(NOT_FOUND), "no case %s at this node", id);
    return 0;
}

static int set_local_state(struct node *n, const char *id, const char *state)
{
    sqlite3_stmt *st = store_prepare(n->db, "UPDATE m_cases SET state = ?2, updated_ms = ?3"
                                            " WHERE case_id = ?1");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, state, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, now_ms());
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    store_release(st);
    return rc;
}

/* Checks the actions, each against the case as the ones before it leave
 * it (a second chosen mediator: the first holds a seat), queues them in
 * one transaction, each kept pending until the coordinator answers it
 * (member/pending.c), and, when given, shows the expected state at once:
 * no event written before the coordinator applied them undoes it, and
 * its answer corrects it if its state moved on. */
static void send_actions(struct request *rq, struct reply *rp, Mpool__V1__CaseAction **acts,
                         size_t n_acts, struct mirror *m, const char *local_state)
{
    /* What HR typed with the reason's code stays here. */
    const char *note = arg_str(rq, rp, "reason", REASON_MAX, false);
    const char *code = arg_str(rq, rp, "reason_code", 40, false);
    const struct journey_step *step = journey_step_of_wire(acts[0]->action);
    if (rp->status != ST(OK) || !step)
        return;
    char subject[ID_MAX + 20];
    snprintf(subject, sizeof subject, "case %s", acts[0]->case_id);
    for (size_t i = 0; i < n_acts; i++) {
        Mpool__V1__CaseAction *a = acts[i];
        a->reason_code = (char *)(code ? code : "");
        a->actor = (char *)rq->user->id;
        struct journey_view v = {case_state_parse(m->state), m->held.held, m->held.n,
                                 shown_has(rq->n->db, a->case_id, a->mediator_id)};
        if (check_step(rp, a, &v, subject, case_state_words(m->state)) < 0)
            return;
        if (a->action == MPOOL__V1__ACTION__ACTION_CHOOSE)
            case_seats_add(&m->held, a->mediator_id, MPOOL__V1__CASE_STATE__CASE_STATE_OFFERED);
    }
    if (store_begin(rq->n->db) < 0)
        goto failed;
    for (size_t i = 0; i < n_acts; i++)
        if (pending_enqueue(rq->n, acts[i], rq->user->id) < 0 ||
            (acts[i]->action == MPOOL__V1__ACTION__ACTION_CHOOSE &&
             seat_list_add_chosen(rq->n->db, acts[i]->case_id, acts[i]->mediator_id) < 0) ||
            (acts[i]->action == MPOOL__V1__ACTION__ACTION_VETO &&
             shown_forget(rq->n->db, acts[i]->case_id, acts[i]->mediator_id) < 0))
            goto failed;
    if (case_note_add(rq->n, acts[0]->case_id, rq->user->id, step->name, acts[0]->reason_code, note,
                      note ? strlen(note) : 0) < 0 ||
        (local_state && set_local_state(rq->n, acts[0]->case_id, local_state) < 0))
        goto failed;
    rp->result = json_pack("{ssss}", "case_id", acts[0]->case_id, "state",
                           local_state ? local_state : m->state);
    commit_or_fail(rq->n, rp);
    return;
failed:
    fail_store(rq->n, rp);
}

static void send_action(struct request *rq, struct reply *rp, Mpool__V1__CaseAction *a,
                        struct mirror *m, const char *local_state)
{
    send_actions(rq, rp, &a, 1, m, local_state);
}

static const char *need_case(struct request *rq, struct reply *rp, struct mirror *m)
{
    const char *id = arg_str(rq, rp, "case_id", ID_MAX + 12, true);
    if (!id || load_mirror(rq, rp, id, m) < 0)
        return NULL;
    return id;
}

/* One mediator, or two for a case with two open seats: both go in one
 * transaction, each to its own seat. */
void op_case_choose(struct request *rq, struct reply *rp)
{
    struct mirror m;
    const char *id = need_case(rq, rp, &m);
    const char *med = id ? arg_str(rq, rp, "mediator_id", 2 * ID_MAX, true) : NULL;
    const char *second = med ? arg_str(rq, rp, "second_mediator_id", 2 * ID_MAX, false) : NULL;
    if (!med || rp->status != ST(OK))
        return;
    size_t open = m.held.n < (size_t)m.seats ? (size_t)m.seats - m.held.n : 0;
    if (second && open < 2) {
        fail(rp, ST(BAD_REQUEST), "case %s has %s open seat: choose one mediator", id,
             open ? "one" : "no");
        return;
    }
    Mpool__V1__CaseAction a = MPOOL__V1__CASE_ACTION__INIT, b = MPOOL__V1__CASE_ACTION__INIT;
    Mpool__V1__CaseAction *acts[2] = {&a, &b};
    a.case_id = b.case_id = (char *)id;
    a.action = b.action = MPOOL__V1__ACTION__ACTION_CHOOSE;
    a.mediator_id = (char *)med;
    b.mediator_id = (char *)(second ? second : "");
    size_t n_acts = second ? 2 : 1;
    /* The case is chosen when no seat stays open; else it still waits. */
    send_actions(rq, rp, acts, n_acts, &m, n_acts >= open ? "chosen" : NULL);
}

void op_case_veto(struct request *rq, struct reply *rp)
{
    struct mirror m;
    const char *id = need_case(rq, rp, &m);
    const char *med = id ? arg_str(rq, rp, "mediator_id", 2 * ID_MAX, true) : NULL;
    if (!med)
        return;
    Mpool__V1__CaseAction a = MPOOL__V1__CASE_ACTION__INIT;
    a.case_id = (char *)id;
    a.action = MPOOL__V1__ACTION__ACTION_VETO;
    a.mediator_id = (char *)med;
    send_action(rq, rp, &a, &m, NULL);
}

/* The parties want another mediator than the one who took the case on. */
void op_case_reassign(struct request *rq, struct reply *rp)
{
    struct mirror m;
    long minutes = 0;
    const char *id = need_case(rq, rp, &m);
    const char *med = id ? arg_str(rq, rp, "mediator_id", 2 * ID_MAX, true) : NULL;
    if (!med || (json_object_get(rq->args, "minutes") &&
                 arg_int(rq, rp, "minutes", 0, 100000, &minutes) < 0))
        return;
    Mpool__V1__CaseAction a = MPOOL__V1__CASE_ACTION__INIT;
    a.case_id = (char *)id;
    a.action = MPOOL__V1__ACTION__ACTION_REASSIGN;
    a.mediator_id = (char *)med;
    a.minutes = (uint32_t)minutes;
    send_action(rq, rp, &a, &m, NULL);
}

void op_case_consent(struct request *rq, struct reply *rp)
{
    struct mirror m;
    const char *id = need_case(rq, rp, &m);
    const char *med = id ? arg_str(rq, rp, "mediator_id", 2 * ID_MAX, true) : NULL;
    if (!med)
        return;
    Mpool__V1__CaseAction a = MPOOL__V1__CASE_ACTION__INIT;
    a.case_id = (char *)id;
    a.action = json_is_true(json_object_get(rq->args, "consent"))
                   ? MPOOL__V1__ACTION__ACTION_CONSENT
                   : MPOOL__V1__ACTION__ACTION_REFUSE_CONSENT;
    a.mediator_id = (char *)med;
    send_action(rq, rp, &a, &m, NULL);
}

void op_case_withdraw(struct request *rq, struct reply *rp)
{
    struct mirror m;
    const char *id = need_case(rq, rp, &m);
    if (!id)
        return;
    Mpool__V1__CaseAction a = MPOOL__V1__CASE_ACTION__INIT;
    a.case_id = (char *)id;
    a.action = MPOOL__V1__ACTION__ACTION_WITHDRAW;
    send_action(rq, rp, &a, &m, "withdrawn");
}

/* The minutes of each mediator, or one figure for each ("minutes"). */
static int close_hours(struct request *rq, struct reply *rp, Mpool__V1__Seat *seats,
                       Mpool__V1__Seat **ptrs, Mpool__V1__CaseAction *a)
{
    json_t *hours = json_object_get(rq->args, "hours");
    bool one = json_object_get(rq->args, "minutes") != NULL;
    if (one == (hours != NULL))
        return fail(rp, ST(BAD_REQUEST),
                    "give the hours once for each mediator, or each "
                    "mediator's hours, one of the two");
    if (one) {
        long minutes;
        if (arg_int(rq, rp, "minutes", 0, 100000, &minutes) < 0)
            return -1;
        a->minutes = (uint32_t)minutes;
        return 0;
    }
    size_t i;
    json_t *e;
    json_array_foreach(hours, i, e)
    {
        if (i == 2)
            break;
        mpool__v1__seat__init(&seats[i]);
        seats[i].mediator_id = (char *)json_string_value(json_object_get(e, "mediator_id"));
        seats[i].minutes = (uint32_t)json_integer_value(json_object_get(e, "minutes"));
        ptrs[i] = &seats[i];
        a->n_hours = i + 1;
    }
    a->hours = ptrs;
    return 0;
}

void op_case_close(struct request *rq, struct reply *rp)
{
    struct mirror m;
    const char *id = need_case(rq, rp, &m);
    const char *outcome = id ? arg_str(rq, rp, "outcome", 20, true) : NULL;
    Mpool__V1__Seat seats[2], *ptrs[2];
    Mpool__V1__CaseAction a = MPOOL__V1__CASE_ACTION__INIT;
    if (!outcome || close_hours(rq, rp, seats, ptrs, &a) < 0)
        return;
    a.case_id = (char *)id;
    a.action = MPOOL__V1__ACTION__ACTION_CLOSE;
    a.outcome = (Mpool__V1__Outcome)outcome_parse(outcome);
    send_action(rq, rp, &a, &m, "closed");
}
