/* apply: what a member node does with each event from its journal.
 *
 * An event about one of this node's own cases updates the case mirror and
 * its history; on an offer the node seals the parties' names, on
 * acceptance the narrative, to the mediator's key and queues them. An
 * event about an offer to one of this node's mediators updates that offer,
 * and keeps the names sealed to them while it runs. */
#include <jansson.h>
#include <sodium.h>
#include <string.h>

#include "base/ids.h"
#include "base/log.h"
#include "base/text.h"
#include "member/apply.h"
#include "member/faces.h"
#include "member/notes.h"
#include "node/audit.h"
#include "node/destroyed.h"
#include "node/notices.h"
#include "member/outbox.h"
#include "member/pending.h"
#include "member/seat_list.h"
#include "member/shown.h"
#include "wire/names.h"
#include "wire/seal.h"
#include "store/store.h"

static bool own_case(const struct node *n, const char *case_id)
{
    const char *dash = strrchr(case_id, '-');
    size_t len = strlen(n->cfg.node_id);
    return dash && (size_t)(dash - case_id) == len && strncmp(case_id, n->cfg.node_id, len) == 0;
}

static char *shortlist_json(const Mpool__V1__CaseEvent *ev)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < ev->n_shortlist; i++) {
        const Mpool__V1__ShortlistEntry *e = ev->shortlist[i];
        json_array_append_new(arr, json_pack("{sssssIss}", "mediator_id", e->mediator_id,
                                             "municipality", e->municipality, "cost",
                                             (json_int_t)e->cost, "why", e->why));
    }
    char *text = json_dumps(arr, JSON_COMPACT);
    json_decref(arr);
    return text;
}

static char *excluded_json(const Mpool__V1__CaseEvent *ev, unsigned *considered)
{
    json_t *arr = json_array();
    *considered = 0;
    for (size_t i = 0; i < ev->n_excluded; i++) {
        json_array_append_new(arr, json_pack("{sssi}", "reason", ev->excluded[i]->reason, "count",
                                             (int)ev->excluded[i]->count));
        *considered += ev->excluded[i]->count;
    }
    char *text = json_dumps(arr, JSON_COMPACT);
    json_decref(arr);
    return text;
}

/* The case as this node held it before the event. */
struct before {
    char poster[ID_MAX];
    char state[32];
    char *seat_list; /* malloc'd JSON */
};

static int add_history(struct node *n, const Mpool__V1__CaseEvent *ev)
{
    sqlite3_stmt *st = store_prepare(n->db, "INSERT INTO m_history(case_id, state, actor, "
                                            "reason, at_ms) VALUES(?1, ?2, ?3, ?4, ?5)");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, ev->case_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, case_state_name(ev->state), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, ev->actor, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, ev->reason, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, ev->at_ms);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    store_release(st);
    return rc;
}

/* The mirror takes the event's state and seats; the seat of `noted` gets
 * the note of the disclosure it just made. */
static int update_case(struct node *n, const Mpool__V1__CaseEvent *ev, const struct before *b,
                       const char *noted, const char *note, size_t note_len)
{
    /* A ranking always counts the eligible mediators among its exclusions;
     * another event in these states (a refusal, say) leaves the list be. */
    bool with_list = (ev->state == MPOOL__V1__CASE_STATE__CASE_STATE_SHORTLISTED ||
                      ev->state == MPOOL__V1__CASE_STATE__CASE_STATE_ESCALATED) &&
                     ev->n_excluded > 0;
    unsigned considered = 0;
    char *list = with_list ? shortlist_json(ev) : NULL;
    char *seats = seat_list_from_event(ev, b->seat_list, noted, note, note_len);
    /* The case's mediator, for lists: the first seat's. */
    const Mpool__V1__Seat *first = ev->n_seats ? ev->seats[0] : NULL;
    char *excl = with_list ? excluded_json(ev, &considered) : NULL;
    unsigned eligible = 0;
    for (size_t i = 0; i < ev->n_excluded; i++)
        if (strcmp(ev->excluded[i]->reason, "eligible") == 0)
            eligible = ev->excluded[i]->count;
    sqlite3_stmt *st = store_prepare(
        n->db, "UPDATE m_cases SET state = ?2, mediator_id = NULLIF(?3, ''),"
               " offer_expires_ms = ?4, disclosure = NULLIF(?5, ''), outcome = NULLIF(?6, ''),"
               " minutes = ?7, shortlist = COALESCE(?8, shortlist),"
               " excluded = COALESCE(?9, excluded), eligible = COALESCE(?10, eligible),"
               " considered = COALESCE(?11, considered), updated_ms = ?12, seat_list = ?13"
               " WHERE case_id = ?1");
    int rc = -1;
    if (st && seats) {
        sqlite3_bind_text(st, 1, ev->case_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, case_state_name(ev->state), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, first ? first->mediator_id : "", -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 4, first ? first->offer_expires_ms : 0);
        sqlite3_bind_text(st, 5, disclosure_name(first ? first->disclosure : 0), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 6, outcome_name(ev->outcome), -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 7, (int)ev->minutes);
        if (with_list) {
            sqlite3_bind_text(st, 8, list, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 9, excl, -1, SQLITE_STATIC);
            sqlite3_bind_int(st, 10, (int)eligible);
            sqlite3_bind_int(st, 11, (int)considered);
        }
        sqlite3_bind_int64(st, 12, now_ms());
        sqlite3_bind_text(st, 13, seats, -1, SQLITE_STATIC);
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    }
    store_release(st);
    free(seats);
    free(list);
    free(excl);
    return rc;
}

/* Queues the automatic step that carries sealed bytes to the mediator
 * the event names, and records who received them (AVG art. 15(1)(c)) on
 * the trail, in the same transaction. Frees sealed. */
static int send_sealed(struct node *n, const Mpool__V1__CaseEvent *ev, Mpool__V1__Action action,
                       uint8_t *sealed, size_t sealed_len, const char *audit_op)
{
    Mpool__V1__CaseAction a = MPOOL__V1__CASE_ACTION__INIT;
    a.case_id = ev->case_id;
    a.action = action;
    a.mediator_id = ev->mediator_id;
    a.actor = "node";
    a.sealed.data = sealed;
    a.sealed.len = sealed_len;
    int rc = member_enqueue(n, MPOOL__V1__MSG_TYPE__MSG_TYPE_CASE_ACTION, &a.base);
    free(sealed);
    char to[160];
    snprintf(to, sizeof to, "sealed to %s", ev->mediator_id);
    return rc < 0 ? -1 : audit_append(n->db, now_ms(), "mpoold", audit_op, ev->case_id, to);
}

/* Seals the narrative to the accepting mediator and queues it. */
static int deliver_narrative(struct node *n, const Mpool__V1__CaseEvent *ev)
{
    sqlite3_stmt *st = store_prepare(n->db, "SELECT narrative FROM m_cases WHERE case_id = ?1");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, ev->case_id, -1, SQLITE_STATIC);
    size_t sealed_len = 0;
    uint8_t *sealed = NULL;
    if (sqlite3_step(st) == SQLITE_ROW)
        sealed = seal_to(ev->box_key.data, sqlite3_column_blob(st, 0),
                         (size_t)sqlite3_column_bytes(st, 0), &sealed_len);
    store_release(st);
    if (!sealed) {
        /* Retrying cannot help, and must not hold up the journal. */
        log_error("case %s: cannot seal the narrative to %s's key; withdraw the case and "
                  "post it again",
                  ev->case_id, ev->mediator_id);
        return 0;
    }
    return send_sealed(n, ev, MPOOL__V1__ACTION__ACTION_DELIVER_NARRATIVE, sealed, sealed_len,
                       "narrative.deliver");
}

/* The parties' names as this node keeps them, as the JSON text sealed to
 * an offered mediator (malloc'd; NULL on failure). A name erased at a
 * person's request is left out. */
static char *party_names_json(struct node *n, const char *case_id)
{
    sqlite3_stmt *st = store_prepare(n->db, "SELECT kind, label FROM m_case_parties"
                                            " WHERE case_id = ?1 AND label != '' ORDER BY rowid");
    if (!st)
        return NULL;
    sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
    json_t *arr = json_array();
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(arr, json_pack("{ssss}", "kind", sqlite3_column_text(st, 0), "label",
                                             sqlite3_column_text(st, 1)));
    store_release(st);
    char *text = json_dumps(arr, JSON_COMPACT);
    json_decref(arr);
    return text;
}

/* An offer of this node's case: the parties' names go sealed to the
 * offered mediator's key, so that they can check their relationships with
 * the parties before they declare. Only the names: the narrative waits for
 * acceptance. */
static int send_names(struct node *n, const Mpool__V1__CaseEvent *ev)
{
    char *names = party_names_json(n, ev->case_id);
    size_t sealed_len = 0;
    uint8_t *sealed =
        names && strlen(names) <= PARTY_NAMES_MAX
            ? seal_to(ev->box_key.data, (const uint8_t *)names, strlen(names), &sealed_len)
            : NULL;
    if (names)
        sodium_memzero(names, strlen(names));
    free(names);
    if (!sealed) {
        /* The mediator can still ask; retrying cannot help the journal. */
        log_error("case %s: cannot seal the parties' names to %s's key", ev->case_id,
                  ev->mediator_id);
        return 0;
    }
    return send_sealed(n, ev, MPOOL__V1__ACTION__ACTION_SEND_NAMES, sealed, sealed_len,
                       "names.deliver");
}

/* A mediator's note sealed to this node's CURVE key: opened, and kept
 * only when it is text as a person types it. */
static uint8_t *open_note(struct node *n, const Mpool__V1__CaseEvent *ev, const char *what,
                          size_t *len)
{
    uint8_t *note =
        seal_open(n->keys.curve_pk, n->keys.curve_sk, ev->sealed.data, ev->sealed.len, len);
    if (note && text_lines_ok(note, *len, REASON_MAX))
        return note;
    log_warn("case %s: a %s note does not open with this node's key, or is not text", ev->case_id,
             what);
    free(note);
    return NULL;
}

/* The last disclosure's note, as a case of one seat always showed it
 * (each seat keeps its own in seat_list). */
static int keep_disclosure_note(struct node *n, const char *case_id, const char *note, size_t len)
{
    sqlite3_stmt *st =
        store_prepare(n->db, "UPDATE m_cases SET disclosure_note = ?2 WHERE case_id = ?1");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
    if (note)
        sqlite3_bind_text(st, 2, note, (int)len, SQLITE_STATIC);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    store_release(st);
    return rc;
}

/* A mediator's note on their decline or step back, sealed to this node: kept with the
 * case's notes, where HR read it; it never reached anyone else. */
static int keep_decline_note(struct node *n, const Mpool__V1__CaseEvent *ev)
{
    size_t len = 0;
    uint8_t *note = open_note(n, ev, "decline", &len);
    if (!note)
        return 0;
    char code[48];
    const char *step = case_note_step_of(ev->reason, code, sizeof code);
    int rc = case_note_add(n, ev->case_id, ev->actor, step, code, (const char *)note, len);
    free(note);
    return rc;
}

static int case_before(struct node *n, const char *case_id, struct before *b)
{
    memset(b, 0, sizeof *b);
    sqlite3_stmt *st = store_prepare(n->db, "SELECT posted_by, state, seat_list FROM m_cases"
                                            " WHERE case_id = ?1");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        snprintf(b->poster, sizeof b->poster, "%s", (const char *)sqlite3_column_text(st, 0));
        snprintf(b->state, sizeof b->state, "%s", (const char *)sqlite3_column_text(st, 1));
        b->seat_list = strdup((const char *)sqlite3_column_text(st, 2));
    }
    store_release(st);
    return 0;
}

/* Whether the seat the event is about just came into state. */
static bool seat_came_to(const struct before *b, const Mpool__V1__Seat *seat, int state)
{
    char was[32];
    if (!seat || (int)seat->state != state)
        return false;
    seat_list_state(b->seat_list, seat->mediator_id, was, sizeof was);
    return strcmp(was, case_state_name(state)) != 0;
}

/* HR who posted the case hear of the states that ask something of them,
 * when the case, or one mediator's seat of it, comes into one: a list
 * ranked again, or a refusal, is no news. */
static int tell_poster(struct node *n, const Mpool__V1__CaseEvent *ev, const struct before *b)
{
    if (!b->poster[0])
        return 0;
    const char *state = case_state_name(ev->state);
    const struct notice_kind *k = strcmp(b->state, state) ? notice_for_case(state) : NULL;
    if (k && notice_add(n->db, b->poster, k->name, ev->case_id, "", NULL) < 0)
        return -1;
    const Mpool__V1__Seat *seat = seat_of_event(ev);
    const struct notice_kind *of_seat = seat && seat_came_to(b, seat, seat->state)
                                            ? notice_for_case(case_state_name(seat->state))
                                            : NULL;
    if (!of_seat || of_seat == k)
        return 0;
    return notice_add(n->db, b->poster, of_seat->name, ev->case_id, "", NULL);
}

/* An event written before the coordinator applied a step this node
 * answered OK: its shortlist is kept (the order may have moved), its state
 * and seats are not, as the step is yet to show in them. What it brings
 * besides (the history line, a key to seal the narrative to, a note) is
 * taken as from any event. */
static int update_stale(struct node *n, const Mpool__V1__CaseEvent *ev)
{
    bool with_list = (ev->state == MPOOL__V1__CASE_STATE__CASE_STATE_SHORTLISTED ||
                      ev->state == MPOOL__V1__CASE_STATE__CASE_STATE_ESCALATED) &&
                     ev->n_excluded > 0 && ev->n_shortlist > 0;
    char *list = with_list ? shortlist_json(ev) : NULL;
    sqlite3_stmt *st = store_prepare(n->db, "UPDATE m_cases SET shortlist = COALESCE(?2,"
                                            " shortlist) WHERE case_id = ?1");
    int rc = -1;
    if (st) {
        sqlite3_bind_text(st, 1, ev->case_id, -1, SQLITE_STATIC);
        if (list)
            sqlite3_bind_text(st, 2, list, -1, SQLITE_STATIC);
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    }
    store_release(st);
    free(list);
    log_debug("case %s: an event from before a pending step keeps the state", ev->case_id);
    return rc;
}

/* HR who took a step the coordinator refused hear why, in its words. */
static int tell_refused(struct node *n, const Mpool__V1__CaseEvent *ev,
                        const struct pending_answer *pa, const struct before *b)
{
    const char *who = *pa->refused_by ? pa->refused_by : b->poster;
    if (!*ev->refusal || !*who)
        return 0;
    return notice_add(n->db, who, "refused", ev->case_id, ev->refusal, NULL);
}

static int apply_to_case(struct node *n, const Mpool__V1__CaseEvent *ev)
{
    struct pending_answer pa;
    if (pending_settle(n, ev, &pa) < 0)
        return -1;
    struct before b;
    if (case_before(n, ev->case_id, &b) < 0)
        return -1;
    /* A disclosure's note belongs to the seat of the mediator who made it. */
    const Mpool__V1__Seat *seat = seat_of_event(ev);
    bool disclosed = seat_came_to(&b, seat, MPOOL__V1__CASE_STATE__CASE_STATE_AWAITING_CONSENT);
    size_t note_len = 0;
    uint8_t *note = disclosed && ev->sealed.len ? open_note(n, ev, "disclosure", &note_len) : NULL;
    int rc = pa.stale ? update_stale(n, ev)
                      : update_case(n, ev, &b, disclosed && seat ? seat->mediator_id : NULL,
                                    (const char *)note, note_len);
    if (rc == 0 && sqlite3_changes(n->db) == 0) {
        log_warn("journal: event for unknown case %s ignored", ev->case_id);
    } else if (rc == 0 && (add_history(n, ev) < 0 || shown_remember(n, ev) < 0 ||
                           faces_keep(n, ev) < 0 || tell_refused(n, ev, &pa, &b) < 0 ||
                           (!pa.stale && (shown_forget_left(n, ev, b.seat_list) < 0 ||
                                          tell_poster(n, ev, &b) < 0)))) {
        rc = -1;
    } else if (rc == 0 && seat && seat->state == MPOOL__V1__CASE_STATE__CASE_STATE_ACCEPTED &&
               ev->box_key.len == KEY_LEN) {
        /* Each mediator who takes the case on gets their own sealed copy. */
        rc = deliver_narrative(n, ev);
    } else if (rc == 0 && seat && seat->state == MPOOL__V1__CASE_STATE__CASE_STATE_OFFERED &&
               ev->box_key.len == KEY_LEN) {
        rc = send_names(n, ev);
    } else if (rc == 0 && disclosed) {
        rc = keep_disclosure_note(n, ev->case_id, (const char *)note, note_len);
    } else if (rc == 0 && ev->sealed.len) {
        rc = keep_decline_note(n, ev);
    }
    free(note);
    free(b.seat_list);
    return rc;
}

static char *parties_json(const Mpool__V1__CaseEvent *ev)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < ev->n_parties; i++)
        json_array_append_new(arr, json_string(ev->parties[i]));
    char *text = json_dumps(arr, JSON_COMPACT);
    json_decref(arr);
    return text;
}

/* One UPDATE of a mediator's offer of a case (?1 case, ?2 user). */
static int clear_offer(struct node *n, const char *sql, const char *case_id, const char *user)
{
    sqlite3_stmt *st = store_prepare(n->db, sql);
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, user, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    store_release(st);
    return rc;
}

/* The parties' names sealed to the offered mediator go when the offer
 * ends; after acceptance they go with the narrative. Which of the two it
 * was, the offer's state says (the narrative may not have arrived yet). */
static int destroy_names(struct node *n, const char *case_id, const char *user)
{
    sqlite3_stmt *st = store_prepare(
        n->db, "SELECT state IN ('accepted', 'in_mediation',"
               " 'stepped_back', 'reassigned', 'closed')"
               " FROM m_offers WHERE case_id = ?1 AND user_id = ?2 AND names IS NOT NULL");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, user, -1, SQLITE_STATIC);
    int step = sqlite3_step(st);
    bool accepted = step == SQLITE_ROW && sqlite3_column_int(st, 0);
    store_release(st);
    if (step == SQLITE_DONE)
        return 0;
    if (step != SQLITE_ROW)
        return -1;
    return clear_offer(n, "UPDATE m_offers SET names = NULL WHERE case_id = ?1 AND user_id = ?2",
                       case_id, user) < 0
               ? -1
               : destroyed_add(n->db, "sealed names of the parties", case_id,
                               accepted ? "they go with the narrative when the case "
                                          "ends for the mediator"
                                        : "the offer ended without acceptance");
}

/* The names the requesting node sealed to this node's mediator: kept with
 * the offer while it runs, unread here (only their own key opens them). */
static int keep_names(struct node *n, const Mpool__V1__CaseEvent *ev, const char *user)
{
    if (ev->sealed_names.len > PARTY_NAMES_MAX + crypto_box_SEALBYTES) {
        log_warn("offer %s to %s: sealed names too large, ignored", ev->case_id, ev->mediator_id);
        return 0;
    }
    sqlite3_stmt *st =
        store_prepare(n->db, "UPDATE m_offers SET names = ?3 WHERE case_id = ?1"
                             " AND user_id = ?2 AND state NOT IN " OFFER_ENDED_NAMES);
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, ev->case_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, user, -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 3, ev->sealed_names.data, (int)ev->sealed_names.len, SQLITE_STATIC);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    store_release(st);
    if (rc == 0)
        log_info("offer %s to %s: the parties' names arrived%s", ev->case_id, ev->mediator_id,
                 sqlite3_changes(n->db) ? "" : " after it ended; dropped");
    return rc;
}

/* A mediator reads the narrative while they mediate: when the case ends
 * for them, the sealed copy goes, and on the destruction list. */
static int destroy_sealed_copy(struct node *n, const char *case_id, const char *user)
{
    if (destroy_names(n, case_id, user) < 0)
        return -1;
    int rc = clear_offer(n,
                         "UPDATE m_offers SET sealed = NULL WHERE case_id = ?1 AND user_id = ?2"
                         " AND sealed IS NOT NULL",
                         case_id, user);
    if (rc == 0 && sqlite3_changes(n->db) > 0)
        rc = destroyed_add(n->db, "sealed narrative", case_id,
                           "a mediator's copy goes when the case ends");
    return rc;
}

int member_offer_move(struct node *n, const char *case_id, const char *user, const char *from,
                      const char *to)
{
    sqlite3_stmt *st = store_prepare(n->db, "UPDATE m_offers SET state = ?4, updated_ms = ?5"
                                            " WHERE state = ?3 AND (?1 IS NULL OR"
                                            " (case_id = ?1 AND user_id = ?2))");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, user, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, from, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, to, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, now_ms());
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    store_release(st);
    return rc;
}

static int apply_to_offer(struct node *n, const Mpool__V1__CaseEvent *ev)
{
    /* It also says how far the coordinator came with this node's steps. */
    struct pending_answer pa;
    if (pending_settle(n, ev, &pa) < 0)
        return -1;
    const char *user = strchr(ev->mediator_id, ':');
    if (user && ev->sealed_names.len)
        return keep_names(n, ev, user + 1);
    if (!user || !*ev->offer_state) {
        log_warn("journal: event for %s without a mediator ignored", ev->case_id);
        return 0;
    }
    user++;
    if (strcmp(ev->offer_state, "refused") == 0) {
        log_warn("the coordinator refused %s's answer on %s", ev->mediator_id, ev->case_id);
        /* The offer stays as it was: open, if nothing else has happened
         * to it since (an expiry, say, comes as an event of its own). */
        return member_offer_move(n, ev->case_id, user, "answered", "offered");
    }
    char *parties = parties_json(ev);
    sqlite3_stmt *st = store_prepare(
        n->db, "INSERT INTO m_offers(case_id, user_id, state, requester, domain, language,"
               " urgency, parties, expires_ms, sealed, updated_ms)"
               " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
               " ON CONFLICT(case_id, user_id) DO UPDATE SET"
               " state = excluded.state,"
               " expires_ms = excluded.expires_ms, sealed = COALESCE(excluded.sealed, sealed),"
               " updated_ms = excluded.updated_ms");
    int rc = -1;
    if (st && parties) {
        sqlite3_bind_text(st, 1, ev->case_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, user, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, ev->offer_state, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, ev->requester, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, ev->domain, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 6, ev->language, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 7, urgency_name(ev->urgency), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 8, parties, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 9, ev->offer_expires_ms);
        if (ev->sealed.len)
            sqlite3_bind_blob(st, 10, ev->sealed.data, (int)ev->sealed.len, SQLITE_STATIC);
        sqlite3_bind_int64(st, 11, now_ms());
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    }
    store_release(st);
    free(parties);
    if (rc == 0)
        log_info("offer %s to %s: %s", ev->case_id, ev->mediator_id, ev->offer_state);
    if (rc == 0 && offer_state_ended(ev->offer_state))
        rc = destroy_sealed_copy(n, ev->case_id, user);
    const struct notice_kind *k = notice_for_offer(ev->offer_state);
    if (rc == 0 && k)
        rc = notice_add(n->db, user, k->name, ev->case_id, "", NULL);
    return rc;
}

int member_apply(struct node *n, const Mpool__V1__Envelope *env)
{
    if (env->type != MPOOL__V1__MSG_TYPE__MSG_TYPE_CASE_EVENT) {
        log_warn("journal: entry of type %d ignored", (int)env->type);
        return 0;
    }
    Mpool__V1__CaseEvent *ev = mpool__v1__case_event__unpack(NULL, env->body.len, env->body.data);
    if (!ev) {
        log_warn("journal: malformed case event ignored");
        return 0;
    }
    int rc = own_case(n, ev->case_id) ? apply_to_case(n, ev) : apply_to_offer(n, ev);
    mpool__v1__case_event__free_unpacked(ev, NULL);
    return rc;
}
