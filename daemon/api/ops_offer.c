/* ops_offer: a mediator's offers. A mediator sees and answers only offers
 * made to them; the narrative stays sealed until their own mpool opens it. */
#include <sodium.h>
#include <string.h>

#include "api/clientapi.h"
#include "base/ids.h"
#include "member/apply.h"
#include "member/outbox.h"
#include "wire/names.h"
#include "wire/seal.h"
#include "store/store.h"
#include "base/text.h"
#include "journey/journey.h"

#define ST(x) MPOOL__V1__REPLY_STATUS__REPLY_STATUS_##x

/* The columns offer_row reads, in its order. */
#define OFFER_COLUMNS                                                                              \
    "case_id, state, requester, domain, language, urgency, parties, expires_ms,"                   \
    " sealed IS NOT NULL, names"

/* The parties' names as this node holds them: sealed to the mediator, in
 * base64 for the JSON answer; their own mpool opens them. */
static json_t *sealed_names_json(sqlite3_stmt *st, int col)
{
    size_t len = (size_t)sqlite3_column_bytes(st, col);
    if (sqlite3_column_type(st, col) == SQLITE_NULL || len == 0)
        return json_null();
    size_t b64_len = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL);
    char *b64 = malloc(b64_len);
    if (!b64)
        return json_null();
    sodium_bin2base64(b64, b64_len, sqlite3_column_blob(st, col), len,
                      sodium_base64_VARIANT_ORIGINAL);
    json_t *v = json_string(b64);
    free(b64);
    return v;
}

static json_t *offer_row(sqlite3_stmt *st)
{
    json_t *parties = json_loads((const char *)sqlite3_column_text(st, 6), 0, NULL);
    return json_pack("{sssssssssssssosIsbso}", "case_id", sqlite3_column_text(st, 0), "state",
                     sqlite3_column_text(st, 1), "requester", sqlite3_column_text(st, 2), "domain",
                     sqlite3_column_text(st, 3), "language", sqlite3_column_text(st, 4), "urgency",
                     sqlite3_column_text(st, 5), "parties", parties ? parties : json_array(),
                     "expires_ms", (json_int_t)sqlite3_column_int64(st, 7), "narrative",
                     sqlite3_column_int(st, 8), "names_sealed", sealed_names_json(st, 9));
}

void op_offer_list(struct request *rq, struct reply *rp)
{
    bool all = json_is_true(json_object_get(rq->args, "all"));
    struct page pg;
    page_read(rq, &pg);
    sqlite3_stmt *st = store_prepare(
        rq->n->db, "SELECT " OFFER_COLUMNS " FROM m_offers WHERE user_id = ?1 AND"
                   " (?2 OR state IN ('offered', 'answered', 'awaiting_consent', 'accepted',"
                   " 'in_mediation')) ORDER BY updated_ms, case_id");
    if (!st) {
        fail(rp, ST(INTERNAL), "database error");
        return;
    }
    sqlite3_bind_text(st, 1, rq->user->id, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, all);
    json_t *offers = json_array();
    rp->result = json_pack("{so}", "offers", offers);
    if (page_rows(st, &pg, rp->result, offers, offer_row) < 0)
        fail(rp, ST(INTERNAL), "database error");
}

/* One offer to this mediator, with the parties' names sealed to them: what
 * they declare about when they accept. */
void op_offer_show(struct request *rq, struct reply *rp)
{
    const char *id = arg_str(rq, rp, "case_id", ID_MAX + 12, true);
    if (!id)
        return;
    sqlite3_stmt *st = store_prepare(rq->n->db, "SELECT " OFFER_COLUMNS " FROM m_offers"
                                                " WHERE case_id = ?1 AND user_id = ?2");
    if (!st) {
        fail(rp, ST(INTERNAL), "database error");
        return;
    }
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, rq->user->id, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW)
        rp->result = offer_row(st);
    else
        fail(rp, ST(NOT_FOUND), "no offer of %s to you; `mpool offer list --all` lists yours", id);
    store_release(st);
}

/* The state of this mediator's offer of a case, or a NOT_FOUND reply. */
static int offer_state(struct request *rq, struct reply *rp, const char *case_id, char *state,
                       size_t len)
{
    sqlite3_stmt *st = store_prepare(rq->n->db, "SELECT state FROM m_offers WHERE case_id = ?1"
                                                " AND user_id = ?2");
    if (!st)
        return fail(rp, ST(INTERNAL), "database error");
    sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, rq->user->id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        snprintf(state, len, "%s", sqlite3_column_text(st, 0));
    store_release(st);
    if (rc != SQLITE_ROW)
        return fail(rp, ST(NOT_FOUND), "no offer of %s to you", case_id);
    return 0;
}

/* The case as this node sees it through the mediator's offer: an offer
 * that ended belongs to a case that went on without this mediator. */
static int offer_case_state(const char *offer_state, bool *current)
{
    static const struct {
        const char *offer;
        int state;
    } map[] = {
        {"offered", MPOOL__V1__CASE_STATE__CASE_STATE_OFFERED},
        {"awaiting_consent", MPOOL__V1__CASE_STATE__CASE_STATE_AWAITING_CONSENT},
        {"accepted", MPOOL__V1__CASE_STATE__CASE_STATE_ACCEPTED},
        {"in_mediation", MPOOL__V1__CASE_STATE__CASE_STATE_IN_MEDIATION},
        {"closed", MPOOL__V1__CASE_STATE__CASE_STATE_CLOSED},
        {"withdrawn", MPOOL__V1__CASE_STATE__CASE_STATE_WITHDRAWN},
    };
    *current = true;
    for (size_t i = 0; i < sizeof map / sizeof *map; i++)
        if (strcmp(map[i].offer, offer_state) == 0)
            return map[i].state;
    *current = false; /* declined, expired, vetoed, refused consent */
    return MPOOL__V1__CASE_STATE__CASE_STATE_SHORTLISTED;
}

static void answer(struct request *rq, struct reply *rp, Mpool__V1__CaseAction *a,
                   const char *offer_state)
{
    char mediator_id[2 * ID_MAX];
    snprintf(mediator_id, sizeof mediator_id, "%s:%s", rq->n->cfg.node_id, rq->user->id);
    a->mediator_id = mediator_id;
    a->actor = (char *)rq->user->id;
    bool current;
    int state = offer_case_state(offer_state, &current);
    struct journey_seat own = {a->mediator_id, state};
    struct journey_view v = {state, &own, current ? 1 : 0, false};
    char subject[ID_MAX + 30];
    snprintf(subject, sizeof subject, "your offer of %s", a->case_id);
    if (check_step(rp, a, &v, subject, offer_state_words(offer_state)) < 0)
        return;
    if (store_begin(rq->n->db) < 0 ||
        member_enqueue(rq->n, MPOOL__V1__MSG_TYPE__MSG_TYPE_CASE_ACTION, &a->base) < 0 ||
        /* "answered" until the pool's event says what came of it, so that a
         * second answer is refused here, not long after at the coordinator */
        member_offer_move(rq->n, a->case_id, rq->user->id, "offered", "answered") < 0) {
        fail_store(rq->n, rp);
        return;
    }
    rp->result = json_pack("{ssss}", "case_id", a->case_id, "state", "answered");
    commit_or_fail(rq->n, rp);
}

/* The offer of the request's case to this mediator, with its state; an
 * answer already on its way is refused with what to do instead. */
static const char *the_offer(struct request *rq, struct reply *rp, char *state, size_t len)
{
    const char *id = arg_str(rq, rp, "case_id", ID_MAX + 12, true);
    if (!id || offer_state(rq, rp, id, state, len) < 0)
        return NULL;
    if (strcmp(state, "answered") == 0) {
        fail(rp, ST(REFUSED),
             "you have already answered the offer of %s; `mpool offer wait %s` shows what "
             "the pool made of it",
             id, id);
        return NULL;
    }
    return id;
}

/* The parties must know what they consent to, the coordinator need not: an
 * optional note is sealed to the requesting node's own CURVE key. */
static int seal_note(struct request *rq, struct reply *rp, const char *case_id, const char *key,
                     Mpool__V1__CaseAction *a)
{
    const char *note = arg_str(rq, rp, key, REASON_MAX, false);
    if (rp->status != ST(OK))
        return -1;
    if (!note || !*note)
        return 0;
    sqlite3_stmt *st = store_prepare(rq->n->db, "SELECT requester FROM m_offers WHERE"
                                                " case_id = ?1 AND user_id = ?2");
    const struct roster_node *requester = NULL;
    if (st) {
        sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, rq->user->id, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW)
            requester = roster_find(&rq->n->roster, (const char *)sqlite3_column_text(st, 0));
        store_release(st);
    }
    if (!requester)
        return fail(rp, ST(REFUSED), "the requesting municipality of %s is no longer in the roster",
                    case_id);
    a->sealed.data =
        seal_to(requester->curve_pk, (const uint8_t *)note, strlen(note), &a->sealed.len);
    return a->sealed.data ? 0 : fail(rp, ST(INTERNAL), "could not seal the note");
}

/* Whether the parties' names reached this mediator: a declaration about
 * parties one has not seen is worth nothing. */
static int names_seen(struct request *rq, struct reply *rp, const char *case_id)
{
    sqlite3_stmt *st = store_prepare(rq->n->db, "SELECT names IS NOT NULL FROM m_offers"
                                                " WHERE case_id = ?1 AND user_id = ?2");
    if (!st)
        return fail(rp, ST(INTERNAL), "database error");
    sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, rq->user->id, -1, SQLITE_STATIC);
    bool seen = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0);
    store_release(st);
    if (!seen)
        return fail(rp, ST(REFUSED),
                    "the parties' names have not reached your node yet; look again with "
                    "`mpool offer show %s` in a minute, then answer",
                    case_id);
    return 0;
}

void op_offer_accept(struct request *rq, struct reply *rp)
{
    char state[32];
    const char *id = the_offer(rq, rp, state, sizeof state);
    if (id && strcmp(state, "offered") == 0 && names_seen(rq, rp, id) < 0)
        return;
    const char *decl = id ? arg_str(rq, rp, "declaration", 20, true) : NULL;
    if (!decl)
        return;
    Mpool__V1__CaseAction a = MPOOL__V1__CASE_ACTION__INIT;
    a.case_id = (char *)id;
    a.action = MPOOL__V1__ACTION__ACTION_ACCEPT;
    if (strcmp(decl, "no-conflict") == 0) {
        a.declaration = MPOOL__V1__DECLARATION__DECLARATION_NO_CONFLICT;
    } else if (strcmp(decl, "disclosure") == 0) {
        const char *kind = arg_str(rq, rp, "disclosure", 20, true);
        if (!kind)
            return;
        a.declaration = MPOOL__V1__DECLARATION__DECLARATION_DISCLOSURE;
        a.disclosure = (Mpool__V1__Disclosure)disclosure_parse(kind);
        if (!a.disclosure) {
            fail(rp, ST(BAD_REQUEST), "disclosure must be relationship, prior or interest");
            return;
        }
        if (seal_note(rq, rp, id, "note", &a) < 0)
            return;
    } else {
        fail(rp, ST(BAD_REQUEST), "declaration must be no-conflict or disclosure");
        return;
    }
    answer(rq, rp, &a, state);
    free(a.sealed.data);
}

void op_offer_decline(struct request *rq, struct reply *rp)
{
    char state[32];
    const char *id = the_offer(rq, rp, state, sizeof state);
    const char *code = id ? arg_str(rq, rp, "reason_code", 40, true) : NULL;
    if (!code)
        return;
    Mpool__V1__CaseAction a = MPOOL__V1__CASE_ACTION__INIT;
    a.case_id = (char *)id;
    a.action = MPOOL__V1__ACTION__ACTION_DECLINE;
    a.reason_code = (char *)code;
    /* The mediator's words are for the requesting municipality alone. */
    if (seal_note(rq, rp, id, "reason", &a) < 0)
        return;
    answer(rq, rp, &a, state);
    free(a.sealed.data);
}

/* A mediator leaves a case they took on. Their offer stays as it is until
 * the pool's event ends it; a second step back is refused there. */
void op_offer_step_back(struct request *rq, struct reply *rp)
{
    char state[32];
    const char *id = the_offer(rq, rp, state, sizeof state);
    const char *code = id ? arg_str(rq, rp, "reason_code", 40, true) : NULL;
    long minutes = 0;
    if (!code || (json_object_get(rq->args, "minutes") &&
                  arg_int(rq, rp, "minutes", 0, 100000, &minutes) < 0))
        return;
    char mediator_id[2 * ID_MAX];
    snprintf(mediator_id, sizeof mediator_id, "%s:%s", rq->n->cfg.node_id, rq->user->id);
    Mpool__V1__CaseAction a = MPOOL__V1__CASE_ACTION__INIT;
    a.case_id = (char *)id;
    a.action = MPOOL__V1__ACTION__ACTION_STEP_BACK;
    a.reason_code = (char *)code;
    a.minutes = (uint32_t)minutes;
    a.mediator_id = mediator_id;
    a.actor = (char *)rq->user->id;
    if (seal_note(rq, rp, id, "reason", &a) < 0)
        return;
    bool current;
    struct journey_seat own = {mediator_id, offer_case_state(state, &current)};
    struct journey_view v = {own.state, &own, current ? 1 : 0, false};
    char subject[ID_MAX + 30];
    snprintf(subject, sizeof subject, "your part in %s", id);
    if (check_step(rp, &a, &v, subject, offer_state_words(state)) == 0) {
        if (store_begin(rq->n->db) < 0 ||
            member_enqueue(rq->n, MPOOL__V1__MSG_TYPE__MSG_TYPE_CASE_ACTION, &a.base) < 0) {
            fail_store(rq->n, rp);
        } else {
            rp->result = json_pack("{ssss}", "case_id", id, "state", state);
            commit_or_fail(rq->n, rp);
        }
    }
    free(a.sealed.data);
}

void op_offer_narrative(struct request *rq, struct reply *rp)
{
    const char *id = arg_str(rq, rp, "case_id", ID_MAX + 12, true);
    if (!id)
        return;
    sqlite3_stmt *st = store_prepare(rq->n->db, "SELECT sealed, state FROM m_offers WHERE"
                                                " case_id = ?1 AND user_id = ?2");
    if (!st) {
        fail(rp, ST(INTERNAL), "database error");
        return;
    }
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, rq->user->id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        fail(rp, ST(NOT_FOUND), "no offer of %s to you", id);
    } else if (sqlite3_column_type(st, 0) == SQLITE_NULL &&
               offer_state_ended((const char *)sqlite3_column_text(st, 1))) {
        fail(rp, ST(REFUSED),
             "your part in case %s has ended (%s): your copy of its narrative was destroyed", id,
             offer_state_words((const char *)sqlite3_column_text(st, 1)));
    } else if (sqlite3_column_type(st, 0) == SQLITE_NULL) {
        fail(rp, ST(REFUSED),
             "the narrative of %s is released only after you accept and the "
             "requesting municipality sends it",
             id);
    } else {
        rp->blob_len = (size_t)sqlite3_column_bytes(st, 0);
        rp->blob = malloc(rp->blob_len ? rp->blob_len : 1);
        if (rp->blob)
            memcpy(rp->blob, sqlite3_column_blob(st, 0), rp->blob_len);
        rp->result = json_pack("{ss}", "case_id", id);
    }
    store_release(st);
}
